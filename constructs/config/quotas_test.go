package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/limits"
)

// quotasBase is a configuration whose execution role takes 15 managed
// policies and whose CodeDeploy group 15 Auto Scaling groups: over both
// default quotas. Line 8 is the quotas section's place.
const quotasBase = `name: shop
tooling: {account: "111111111111", region: us-east-1}
source: {github: {repository: acme/shop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1]}
deploy:
  executionPolicy: {managedPolicyArns: [%s]}
`

// quotasConfig is quotasBase with n managed policies, then extra.
func quotasConfig(n int, extra string) string {
	var arns []string
	for i := range n {
		arns = append(arns, fmt.Sprintf(`"arn:aws:iam::aws:policy/P%d"`, i))
	}
	return fmt.Sprintf(quotasBase, strings.Join(arns, ", ")) + extra
}

// TestValidateQuotas checks quotas as written: each field a whole number,
// at least AWS's default and at most AWS's documented maximum, with its
// line; and that a declared quota lets through what the default refuses.
func TestValidateQuotas(t *testing.T) {
	const (
		managedMax = "must be 10 (AWS's default) to 25 (the most Service Quotas grants, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); declare the value Service Quotas shows in every account this deploys to, or leave it out for the default"
		trustMax   = "must be 2048 (AWS's default) to 4096 (the most Service Quotas grants, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); declare the value Service Quotas shows in every account this deploys to, or leave it out for the default"
		groupsMin  = "must be at least 10, AWS's default (https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html); declare the value Service Quotas shows in every account this deploys to, or leave it out for the default"
		fifteen    = `relay.yaml:7: deploy.executionPolicy.managedPolicyArns "15": IAM attaches at most %d managed policies to a role (%s, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), and each execution role gets all 15, so CloudFormation would fail to create it: %s`
	)
	tests := []struct {
		name     string
		policies int
		quotas   string
		want     []string // the whole error, line by line
	}{
		{"ten policies, no quotas", 10, "", nil},
		{"fifteen policies, no quotas: the default", 15, "", []string{fmt.Sprintf(fifteen, 10, "the default quota",
			"merge customer managed policies, grant with deploy.executionPolicy.statements instead, or, once Service Quotas raised the quota to at least 15 (AWS allows up to 25) in every account this deploys to, declare it in quotas.iamManagedPoliciesPerRole")}},
		{"fifteen policies, 20 declared", 15, "quotas: {iamManagedPoliciesPerRole: 20}\n", nil},
		{"fifteen policies, 15 declared", 15, "quotas: {iamManagedPoliciesPerRole: 15}\n", nil},
		{"fifteen policies, 12 declared", 15, "quotas: {iamManagedPoliciesPerRole: 12}\n", []string{fmt.Sprintf(fifteen, 12, "the quota declared in quotas.iamManagedPoliciesPerRole",
			"merge customer managed policies, grant with deploy.executionPolicy.statements instead, or, once Service Quotas raised the quota to at least 15 (AWS allows up to 25) in every account this deploys to, declare it in quotas.iamManagedPoliciesPerRole")}},
		{"26 policies, 25 declared: no raise left", 26, "quotas: {iamManagedPoliciesPerRole: 25}\n", []string{strings.ReplaceAll(fmt.Sprintf(fifteen, 25, "the quota declared in quotas.iamManagedPoliciesPerRole",
			"merge customer managed policies, or grant with deploy.executionPolicy.statements instead"), "15", "26")}},
		{"every quota at its maximum", 10, "quotas:\n  iamManagedPoliciesPerRole: 25\n  iamRoleTrustPolicyLength: 4096\n  codeDeployAutoScalingGroups: 500\n", nil},
		{"every quota at its default", 10, "quotas: {iamManagedPoliciesPerRole: 10, iamRoleTrustPolicyLength: 2048, codeDeployAutoScalingGroups: 10}\n", nil},
		{"below the defaults", 10, "quotas:\n  iamManagedPoliciesPerRole: 9\n  iamRoleTrustPolicyLength: 2047\n  codeDeployAutoScalingGroups: 5\n", []string{
			`relay.yaml:9: quotas.iamManagedPoliciesPerRole "9": ` + managedMax,
			`relay.yaml:10: quotas.iamRoleTrustPolicyLength "2047": ` + trustMax,
			`relay.yaml:11: quotas.codeDeployAutoScalingGroups "5": ` + groupsMin,
		}},
		{"above the maximums", 10, "quotas:\n  iamManagedPoliciesPerRole: 26\n  iamRoleTrustPolicyLength: 8192\n", []string{
			`relay.yaml:9: quotas.iamManagedPoliciesPerRole "26": ` + managedMax,
			`relay.yaml:10: quotas.iamRoleTrustPolicyLength "8192": ` + trustMax,
		}},
		{"a written 0 is not the default", 10, "quotas: {iamManagedPoliciesPerRole: 0, codeDeployAutoScalingGroups: 0}\n", []string{
			`relay.yaml:8: quotas.codeDeployAutoScalingGroups "0": ` + groupsMin,
			`relay.yaml:8: quotas.iamManagedPoliciesPerRole "0": ` + managedMax,
		}},
		{"negative", 10, "quotas: {codeDeployAutoScalingGroups: -20}\n", []string{`relay.yaml:8: quotas.codeDeployAutoScalingGroups "-20": ` + groupsMin}},
		{"no quota declared", 10, "quotas: {}\n", []string{
			`relay.yaml:8: quotas "": declares no quota; remove it for AWS's defaults, or declare iamManagedPoliciesPerRole, iamRoleTrustPolicyLength or codeDeployAutoScalingGroups`}},
		// go-yaml named neither field nor fix: "number 99999999999999999999
		// is too large", and the same of .nan.
		{"a number no whole number holds", 10, "quotas: {codeDeployAutoScalingGroups: 99999999999999999999}\n", []string{
			`relay.yaml:8: quotas.codeDeployAutoScalingGroups "99999999999999999999": out of range for a whole number; write the number this field takes (its range is in the configuration reference)`}},
		{"not a number", 10, "quotas:\n  iamRoleTrustPolicyLength: .nan\n", []string{
			`relay.yaml:9: quotas.iamRoleTrustPolicyLength ".nan": must be a whole number written in decimal, without quotes, such as 30`}},
		{"a list", 10, "quotas: {iamManagedPoliciesPerRole: [20]}\n", []string{
			`relay.yaml:8: quotas.iamManagedPoliciesPerRole: wrong type: expected a whole number, found a list`}},
		{"a list for the section", 10, "quotas: [20]\n", []string{
			`relay.yaml:8: quotas: sequence was used where mapping is expected`}},
		// go-yaml places an error in an aliased value at its anchor,
		// whichever field it is in: the message names each use too.
		{"a list, anchored and aliased", 10, "quotas:\n  iamManagedPoliciesPerRole: &n [20]\n  codeDeployAutoScalingGroups: *n\n", []string{
			`relay.yaml:9: quotas.iamManagedPoliciesPerRole (anchor &n, also used as *n by quotas.codeDeployAutoScalingGroups on line 10): wrong type: expected a whole number, found a list`}},
		{"another field's string, aliased", 10, "  stackName: &s shop\nquotas: {iamManagedPoliciesPerRole: *s}\n", []string{
			`relay.yaml:8: deploy.stackName (anchor &s, also used as *s by quotas.iamManagedPoliciesPerRole on line 9): wrong type: expected a whole number, found a string`}},
		{"a string", 10, "quotas: {iamManagedPoliciesPerRole: \"20\"}\n", []string{
			`relay.yaml:8: quotas.iamManagedPoliciesPerRole "20": must be a whole number written in decimal, without quotes, such as 30`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("relay.yaml", []byte(quotasConfig(tc.policies, tc.quotas)))
			got := fmt.Sprint(err)
			switch {
			case len(tc.want) == 0 && err != nil:
				t.Errorf("Parse() = %v, want no error", err)
			case len(tc.want) > 0 && got != strings.Join(tc.want, "\n"):
				t.Errorf("Parse() =\n%s\nwant\n%s", got, strings.Join(tc.want, "\n"))
			}
		})
	}
	// Decoding is strict: a fraction or an unknown quota is refused alone,
	// on its line.
	for _, tc := range []struct{ quotas, want string }{
		{"quotas: {iamRoleTrustPolicyLength: 4096.5}\n", "relay.yaml:8:"},
		{"quotas: {iamRolesPerAccount: 5000}\n", "relay.yaml:8:"},
	} {
		if _, err := Parse("relay.yaml", []byte(quotasConfig(10, tc.quotas))); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: Parse() = %v, want an error starting %q", tc.quotas, err, tc.want)
		}
	}
}

// TestDeclaredQuotas: the quotas section becomes limits.Quotas, fields left
// out at 0 (AWS's default).
func TestDeclaredQuotas(t *testing.T) {
	for _, tc := range []struct {
		quotas string
		want   limits.Quotas
	}{
		{"", limits.Quotas{}},
		{"quotas: {iamManagedPoliciesPerRole: 20}\n", limits.Quotas{IAMManagedPoliciesPerRole: 20}},
		{"quotas: {iamRoleTrustPolicyLength: 4096, codeDeployAutoScalingGroups: 20}\n", limits.Quotas{IAMRoleTrustPolicyLength: 4096, CodeDeployAutoScalingGroups: 20}},
	} {
		cfg, err := Parse("relay.yaml", []byte(quotasConfig(10, tc.quotas)))
		if err != nil {
			t.Fatalf("%q: %v", tc.quotas, err)
		}
		if got := cfg.DeclaredQuotas(); got != tc.want {
			t.Errorf("%q: DeclaredQuotas() = %+v, want %+v", tc.quotas, got, tc.want)
		}
	}
}

// TestQuotasCodeDeploy: a deployment group of 15 Auto Scaling groups is
// refused at the default quota and accepted with one declared.
func TestQuotasCodeDeploy(t *testing.T) {
	var groups []string
	for i := range 15 {
		groups = append(groups, fmt.Sprintf("g%d", i))
	}
	deploy := "deploy:\n  codeDeploy: {autoScalingGroups: [" + strings.Join(groups, ", ") + "], instanceRoles: [web]}\n"
	base := withoutSettings(releaseBase) + deploy
	for _, tc := range []struct{ name, quotas, want string }{
		{"default", "", `relay.yaml:7: deploy.codeDeploy.autoScalingGroups "15": CodeDeploy takes at most 10 Auto Scaling groups in a deployment group (the default quota, https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html), so CloudFormation would fail to create it: deploy through at most 10 groups, or select the other instances with deploy.codeDeploy.instanceTags, or, once Service Quotas raised the quota to at least 15 in every account this deploys to, declare it in quotas.codeDeployAutoScalingGroups`},
		{"declared 20", "quotas: {codeDeployAutoScalingGroups: 20}\n", ""},
		{"declared 12", "quotas: {codeDeployAutoScalingGroups: 12}\n", `relay.yaml:7: deploy.codeDeploy.autoScalingGroups "15": CodeDeploy takes at most 12 Auto Scaling groups in a deployment group (the quota declared in quotas.codeDeployAutoScalingGroups, https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html), so CloudFormation would fail to create it: deploy through at most 12 groups, or select the other instances with deploy.codeDeploy.instanceTags, or, once Service Quotas raised the quota to at least 15 in every account this deploys to, declare it in quotas.codeDeployAutoScalingGroups`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("relay.yaml", []byte(base+tc.quotas))
			if got := fmt.Sprint(err); (tc.want == "" && err != nil) || (tc.want != "" && got != tc.want) {
				t.Errorf("Parse() = %v\nwant %q", err, tc.want)
			}
		})
	}
}
