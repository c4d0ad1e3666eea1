package limits_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/limits"
)

// TestQuotasValidate: a declared quota is at least AWS's default and at
// most the maximum AWS documents; 0 keeps the default.
func TestQuotasValidate(t *testing.T) {
	tests := []struct {
		name string
		q    limits.Quotas
		want []string
	}{
		{"zero value: every default", limits.Quotas{}, nil},
		{"the defaults, declared", limits.Quotas{IAMManagedPoliciesPerRole: 10, IAMRoleTrustPolicyLength: 2048, CodeDeployAutoScalingGroups: 10}, nil},
		{"the maximums", limits.Quotas{IAMManagedPoliciesPerRole: 25, IAMRoleTrustPolicyLength: 4096, CodeDeployAutoScalingGroups: 100}, nil},
		{"below the defaults", limits.Quotas{IAMManagedPoliciesPerRole: 9, IAMRoleTrustPolicyLength: 1024, CodeDeployAutoScalingGroups: 5}, []string{
			"IAMManagedPoliciesPerRole 9: must be 10 (AWS's default) to 25 (the most Service Quotas grants, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); declare the value Service Quotas shows in every account this deploys to, or leave it 0 for the default",
			"IAMRoleTrustPolicyLength 1024: must be 2048 (AWS's default) to 4096 (the most Service Quotas grants, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); declare the value Service Quotas shows in every account this deploys to, or leave it 0 for the default",
			"CodeDeployAutoScalingGroups 5: must be at least 10, AWS's default (https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html); declare the value Service Quotas shows in every account this deploys to, or leave it 0 for the default",
		}},
		{"above the maximums", limits.Quotas{IAMManagedPoliciesPerRole: 26, IAMRoleTrustPolicyLength: 8192}, []string{
			"IAMManagedPoliciesPerRole 26: must be 10 (AWS's default) to 25 (the most Service Quotas grants, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); declare the value Service Quotas shows in every account this deploys to, or leave it 0 for the default",
			"IAMRoleTrustPolicyLength 8192: must be 2048 (AWS's default) to 4096 (the most Service Quotas grants, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); declare the value Service Quotas shows in every account this deploys to, or leave it 0 for the default",
		}},
		{"negative", limits.Quotas{CodeDeployAutoScalingGroups: -1}, []string{
			"CodeDeployAutoScalingGroups -1: must be at least 10, AWS's default (https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html); declare the value Service Quotas shows in every account this deploys to, or leave it 0 for the default",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.q.Problems()
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("Problems() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if err := tc.q.Validate(); (err != nil) != (len(tc.want) > 0) {
				t.Errorf("Validate() = %v, want an error: %v", err, len(tc.want) > 0)
			}
		})
	}
}

// TestQuotasLimit: a declared quota replaces Table's Max, and its fix
// advises a further raise only while AWS allows one.
func TestQuotasLimit(t *testing.T) {
	tests := []struct {
		name               string
		q                  limits.Quotas
		id                 string
		max                int
		what, fixSuffix    string
		declared, notAdj   bool
		wantDeclaredInWhat bool
	}{
		{"default", limits.Quotas{}, limits.IAMRoleManagedPolicies, 10, "IAM managed policies attached to one role (default quota)",
			"; or, once Service Quotas raised the quota of managed policies per role (up to 25) in every account this deploys to, declare it (quotas.iamManagedPoliciesPerRole in relay.yaml, limits.Quotas.IAMManagedPoliciesPerRole in Go)", false, false, false},
		{"raised", limits.Quotas{IAMManagedPoliciesPerRole: 20}, limits.IAMRoleManagedPolicies, 20, "IAM managed policies attached to one role (quota declared raised)",
			"instead; or raise the quota further in Service Quotas (up to 25), in every account this deploys to, and declare the new value (quotas.iamManagedPoliciesPerRole in relay.yaml, limits.Quotas.IAMManagedPoliciesPerRole in Go)", true, false, true},
		{"raised to the maximum: no further raise", limits.Quotas{IAMManagedPoliciesPerRole: 25}, limits.IAMRoleManagedPolicies, 25, "IAM managed policies attached to one role (quota declared raised)",
			"merge customer managed policies, or grant with statements (the role's own policy) instead", true, false, true},
		{"trust policy raised", limits.Quotas{IAMRoleTrustPolicyLength: 3000}, limits.IAMTrustPolicy, 3000, "IAM role trust policy (characters; quota declared raised)",
			"trust fewer principals; or raise the quota further in Service Quotas (up to 4096), in every account this deploys to, and declare the new value (quotas.iamRoleTrustPolicyLength in relay.yaml, limits.Quotas.IAMRoleTrustPolicyLength in Go)", true, false, true},
		{"Auto Scaling groups raised: no documented maximum", limits.Quotas{CodeDeployAutoScalingGroups: 50}, limits.CodeDeployASGs, 50, "CodeDeploy Auto Scaling groups per deployment group (quota declared raised)",
			"(another Relay configuration); or raise the quota further in Service Quotas, in every account this deploys to, and declare the new value (quotas.codeDeployAutoScalingGroups in relay.yaml, limits.Quotas.CodeDeployAutoScalingGroups in Go)", true, false, true},
		{"a quota that is not adjustable keeps its row", limits.Quotas{IAMManagedPoliciesPerRole: 20}, limits.IAMRoleInline, 10240, "IAM inline policies of one role, in total (characters)",
			"merge statements with the same actions", false, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.q.Limit(tc.id)
			if l.Max != tc.max || tc.q.Max(tc.id) != tc.max || l.What != tc.what || !strings.HasSuffix(l.Fix, tc.fixSuffix) {
				t.Errorf("Limit(%s) = %+v\nwant Max %d, What %q, Fix ending %q", tc.id, l, tc.max, tc.what, tc.fixSuffix)
			}
			if got := tc.q.Declared(tc.id) != 0; got != tc.declared {
				t.Errorf("Declared(%s) = %d, want declared: %v", tc.id, tc.q.Declared(tc.id), tc.declared)
			}
			if _, ok := limits.AdjustableByID(tc.id); ok == tc.notAdj {
				t.Errorf("AdjustableByID(%s) = %v, want %v", tc.id, ok, !tc.notAdj)
			}
		})
	}
}

// TestAdjustablesTable: each adjustable quota's Table row advises declaring
// it, by its field in both vocabularies.
func TestAdjustablesTable(t *testing.T) {
	for _, a := range limits.Adjustables {
		fix := limits.ByID(a.ID).Fix
		for _, want := range []string{"quotas." + a.Field + " in relay.yaml", "limits.Quotas." + a.GoField + " in Go"} {
			if !strings.Contains(fix, want) {
				t.Errorf("%s: Fix %q does not name %s", a.ID, fix, want)
			}
		}
		if a.Most != 0 && a.Most < limits.Max(a.ID) {
			t.Errorf("%s: Most %d below the default %d", a.ID, a.Most, limits.Max(a.ID))
		}
	}
}

// quotaTemplates are templates over each adjustable quota's default.
var quotaTemplates = map[string]map[string]interface{}{
	limits.IAMRoleManagedPolicies: roleWithPolicies(managedArns(15), 0),
	limits.IAMTrustPolicy:         res("AWS::IAM::Role", map[string]interface{}{"AssumeRolePolicyDocument": statements(2500)}),
	limits.CodeDeployASGs:         res("AWS::CodeDeploy::DeploymentGroup", map[string]interface{}{"AutoScalingGroups": strs(15)}),
}

// TestCheckTemplateQuotas: a template over an adjustable quota's default
// is refused by CheckTemplate, and passes Quotas.CheckTemplate when the
// quota is declared raised enough; it is still refused over the declared
// value.
func TestCheckTemplateQuotas(t *testing.T) {
	tests := []struct {
		name string
		id   string
		q    limits.Quotas
		over bool
		warn bool
	}{
		{"15 managed policies, default quota", limits.IAMRoleManagedPolicies, limits.Quotas{}, true, false},
		{"15 managed policies, 20 declared: 75%, no warning", limits.IAMRoleManagedPolicies, limits.Quotas{IAMManagedPoliciesPerRole: 20}, false, false},
		{"15 managed policies, 18 declared: a warning", limits.IAMRoleManagedPolicies, limits.Quotas{IAMManagedPoliciesPerRole: 18}, false, true},
		{"15 managed policies, 12 declared", limits.IAMRoleManagedPolicies, limits.Quotas{IAMManagedPoliciesPerRole: 12}, true, false},
		{"15 managed policies, another quota declared", limits.IAMRoleManagedPolicies, limits.Quotas{IAMRoleTrustPolicyLength: 4096, CodeDeployAutoScalingGroups: 20}, true, false},
		{"a long trust policy, default quota", limits.IAMTrustPolicy, limits.Quotas{}, true, false},
		{"a long trust policy, 4096 declared", limits.IAMTrustPolicy, limits.Quotas{IAMRoleTrustPolicyLength: 4096}, false, false},
		{"15 Auto Scaling groups, default quota", limits.CodeDeployASGs, limits.Quotas{}, true, false},
		{"15 Auto Scaling groups, 20 declared", limits.CodeDeployASGs, limits.Quotas{CodeDeployAutoScalingGroups: 20}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, _ := json.Marshal(quotaTemplates[tc.id])
			found, err := tc.q.CheckTemplate("stack", body)
			if err != nil {
				t.Fatal(err)
			}
			var over, warn bool
			for _, f := range found {
				if f.Limit.ID != tc.id {
					t.Errorf("unexpected finding: %v", f)
					continue
				}
				over = over || f.Over()
				warn = warn || !f.Over()
				if f.Limit.Max != tc.q.Max(tc.id) {
					t.Errorf("finding measured against %d, want %d: %v", f.Limit.Max, tc.q.Max(tc.id), f)
				}
			}
			if over != tc.over || warn != tc.warn {
				t.Errorf("CheckTemplate: over %v, warning %v; want %v, %v: %v", over, warn, tc.over, tc.warn, found)
			}
			if tc.q == (limits.Quotas{}) {
				plain, err := limits.CheckTemplate("stack", body)
				if err != nil || len(plain) != len(found) {
					t.Errorf("limits.CheckTemplate = %v, %v; want the zero Quotas' %v", plain, err, found)
				}
			}
		})
	}
}

// TestCheckTemplateQuotasMessage pins the error of a default quota
// exceeded (it says the quota is adjustable and how to declare it), of a
// declared quota exceeded, and of a value over AWS's maximum (no raise is
// offered, declared or not).
func TestCheckTemplateQuotasMessage(t *testing.T) {
	tests := []struct {
		name     string
		q        limits.Quotas
		template map[string]interface{}
		want     string
	}{
		{"default", limits.Quotas{}, quotaTemplates[limits.IAMRoleManagedPolicies],
			"stack/R: IAM managed policies attached to one role (default quota) is 15, which exceeds the limit of 10 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): merge customer managed policies, or grant with statements (the role's own policy) instead; or, once Service Quotas raised the quota of managed policies per role (up to 25) in every account this deploys to, declare it (quotas.iamManagedPoliciesPerRole in relay.yaml, limits.Quotas.IAMManagedPoliciesPerRole in Go)"},
		{"declared", limits.Quotas{IAMManagedPoliciesPerRole: 12}, quotaTemplates[limits.IAMRoleManagedPolicies],
			"stack/R: IAM managed policies attached to one role (quota declared raised) is 15, which exceeds the limit of 12 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): merge customer managed policies, or grant with statements (the role's own policy) instead; or raise the quota further in Service Quotas (up to 25), in every account this deploys to, and declare the new value (quotas.iamManagedPoliciesPerRole in relay.yaml, limits.Quotas.IAMManagedPoliciesPerRole in Go)"},
		{"over AWS's maximum, default quota", limits.Quotas{}, roleWithPolicies(managedArns(30), 0),
			"stack/R: IAM managed policies attached to one role (default quota) is 30, which exceeds the limit of 10 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): merge customer managed policies, or grant with statements (the role's own policy) instead; no raised quota fits 30: Service Quotas raises it to at most 25"},
		{"over AWS's maximum, maximum declared", limits.Quotas{IAMManagedPoliciesPerRole: 25}, roleWithPolicies(managedArns(30), 0),
			"stack/R: IAM managed policies attached to one role (quota declared raised) is 30, which exceeds the limit of 25 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): merge customer managed policies, or grant with statements (the role's own policy) instead; no raised quota fits 30: Service Quotas raises it to at most 25"},
		{"trust policy over AWS's maximum", limits.Quotas{}, res("AWS::IAM::Role", map[string]interface{}{"AssumeRolePolicyDocument": statements(5000)}),
			"stack/X: IAM role trust policy (characters) is 6038, which exceeds the limit of 2048 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): trust fewer principals; no raised quota fits 6038: Service Quotas raises it to at most 4096"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, _ := json.Marshal(tc.template)
			found, err := tc.q.CheckTemplate("stack", body)
			if err != nil || len(found) != 1 {
				t.Fatalf("CheckTemplate() = %v, %v; want one finding", found, err)
			}
			if got := found[0].Error(); got != tc.want {
				t.Errorf("Error() =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestCheckDirQuotas: CheckDir holds the assembly to the defaults,
// Quotas.CheckDir to the declared quotas, including inside a StackSet's
// template (deployed into every account of its OUs); invalid Quotas are
// an error.
func TestCheckDirQuotas(t *testing.T) {
	stackSet, _ := json.Marshal(quotaTemplates[limits.IAMRoleManagedPolicies])
	dir := assembly(t,
		testStack{id: "shop-staging", env: "aws://222222222222/us-east-1", resources: quotaTemplates[limits.IAMRoleManagedPolicies]["Resources"].(map[string]interface{})},
		testStack{id: "shop-tooling", env: "aws://111111111111/us-east-1", resources: map[string]interface{}{
			"Group":    quotaTemplates[limits.CodeDeployASGs]["Resources"].(map[string]interface{})["X"],
			"Trust":    quotaTemplates[limits.IAMTrustPolicy]["Resources"].(map[string]interface{})["X"],
			"StackSet": r("AWS::CloudFormation::StackSet", map[string]interface{}{"TemplateBody": string(stackSet)}),
		}},
	)
	overs := func(found []limits.Finding) []string {
		var out []string
		for _, f := range found {
			if f.Over() {
				out = append(out, f.Stack+"/"+f.Resource+" "+f.Limit.ID)
			}
		}
		return out
	}
	tests := []struct {
		name string
		q    limits.Quotas
		want []string
	}{
		{"defaults", limits.Quotas{}, []string{
			"shop-staging/R iam-role-managed-policies",
			"shop-tooling/Group codedeploy-auto-scaling-groups",
			"shop-tooling/StackSet/R iam-role-managed-policies",
			"shop-tooling/Trust iam-trust-policy",
		}},
		{"every quota raised", limits.Quotas{IAMManagedPoliciesPerRole: 20, IAMRoleTrustPolicyLength: 4096, CodeDeployAutoScalingGroups: 20}, nil},
		{"only the trust policy raised", limits.Quotas{IAMRoleTrustPolicyLength: 4096}, []string{
			"shop-staging/R iam-role-managed-policies",
			"shop-tooling/Group codedeploy-auto-scaling-groups",
			"shop-tooling/StackSet/R iam-role-managed-policies",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			found, err := tc.q.CheckDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := overs(found); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("Quotas.CheckDir over:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
	plain, err := limits.CheckDir(dir)
	if err != nil || len(overs(plain)) != 4 {
		t.Errorf("limits.CheckDir = %v, %v; want the four findings over the defaults", overs(plain), err)
	}
	if _, err := (limits.Quotas{IAMManagedPoliciesPerRole: 30}).CheckDir(dir); err == nil || !strings.HasPrefix(err.Error(), "IAMManagedPoliciesPerRole 30: must be 10") {
		t.Errorf("Quotas.CheckDir with 30 managed policies per role = %v, want the Validate error", err)
	}
}

// TestQuotasRaiseFix: the fix of declaring a raised quota asks for a value
// that fits need and that the user has not declared already: above the
// quota held for a value within it (a warning), and nothing once the quota
// held is AWS's maximum (a warning at 3,574 of a declared 4,096 was told
// to raise the quota "to at least 3574" and declare it).
func TestQuotasRaiseFix(t *testing.T) {
	const field = "quotas.iamRoleTrustPolicyLength"
	tests := []struct {
		name string
		q    limits.Quotas
		id   string
		need int
		want string
	}{
		{"over the default", limits.Quotas{}, limits.IAMTrustPolicy, 2534,
			"once Service Quotas raised the quota to at least 2534 (AWS allows up to 4096) in every account this deploys to, declare it in " + field},
		{"near the default: a warning", limits.Quotas{}, limits.IAMTrustPolicy, 1702,
			"once Service Quotas raised the quota above 2048 (AWS allows up to 4096) in every account this deploys to, declare it in " + field},
		{"over a declared value", limits.Quotas{IAMRoleTrustPolicyLength: 3000}, limits.IAMTrustPolicy, 3574,
			"once Service Quotas raised the quota to at least 3574 (AWS allows up to 4096) in every account this deploys to, declare it in " + field},
		{"near a declared value", limits.Quotas{IAMRoleTrustPolicyLength: 3000}, limits.IAMTrustPolicy, 2800,
			"once Service Quotas raised the quota above 3000 (AWS allows up to 4096) in every account this deploys to, declare it in " + field},
		{"near AWS's maximum, declared", limits.Quotas{IAMRoleTrustPolicyLength: 4096}, limits.IAMTrustPolicy, 3574, ""},
		{"past AWS's maximum", limits.Quotas{}, limits.IAMTrustPolicy, 4100, ""},
		{"no documented maximum, near a declared value", limits.Quotas{CodeDeployAutoScalingGroups: 50}, limits.CodeDeployASGs, 45,
			"once Service Quotas raised the quota above 50 in every account this deploys to, declare it in " + field},
		{"not adjustable", limits.Quotas{}, limits.IAMRoleInline, 11000, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.q.RaiseFix(tc.id, field, tc.need); got != tc.want {
				t.Errorf("RaiseFix(%s, %d) =\n%q\nwant\n%q", tc.id, tc.need, got, tc.want)
			}
		})
	}
}
