package delivery_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/limits"
)

// TestTranslateQuotas: the configuration's declared quotas reach the props
// of every target and CodeDeploy group, which measure against them (an
// execution role of 15 managed policies, a group of 15 Auto Scaling
// groups); without quotas the props keep AWS's defaults.
func TestTranslateQuotas(t *testing.T) {
	var arns, groups []string
	for i := range 15 {
		arns = append(arns, fmt.Sprintf(`"arn:aws:iam::aws:policy/P%d"`, i))
		groups = append(groups, fmt.Sprintf("g%d", i))
	}
	base := `name: shop
tooling: {account: "111111111111", region: us-east-1}
source: {github: {repository: acme/shop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1]}
`
	for _, tc := range []struct {
		name, deploy string
		quotas       string
		want         limits.Quotas
	}{
		{"managed policies, no quotas", "deploy:\n  executionPolicy: {managedPolicyArns: [" + strings.Join(arns[:10], ", ") + "]}\n", "", limits.Quotas{}},
		{"managed policies, declared", "deploy:\n  executionPolicy: {managedPolicyArns: [" + strings.Join(arns, ", ") + "]}\n",
			"quotas: {iamManagedPoliciesPerRole: 20, iamRoleTrustPolicyLength: 4096}\n", limits.Quotas{IAMManagedPoliciesPerRole: 20, IAMRoleTrustPolicyLength: 4096}},
		{"Auto Scaling groups, declared", "deploy:\n  codeDeploy: {autoScalingGroups: [" + strings.Join(groups, ", ") + "], instanceRoles: [web]}\n",
			"quotas: {codeDeployAutoScalingGroups: 20}\n", limits.Quotas{CodeDeployAutoScalingGroups: 20}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := translateYAML(t, base+tc.deploy+tc.quotas)
			for _, ts := range spec.Targets {
				if ts.Props == nil {
					continue
				}
				if ts.Props.Quotas != tc.want {
					t.Errorf("%s: Props.Quotas = %+v, want %+v", ts.Environment, ts.Props.Quotas, tc.want)
				}
				if err := ts.Props.Validate(); err != nil {
					t.Errorf("%s: Props.Validate() = %v", ts.Environment, err)
				}
				if ts.Server != nil {
					if ts.Server.Quotas != tc.want {
						t.Errorf("%s: Server.Quotas = %+v, want %+v", ts.Environment, ts.Server.Quotas, tc.want)
					}
					if err := ts.Server.Validate(); err != nil {
						t.Errorf("%s: Server.Validate() = %v", ts.Environment, err)
					}
				} else if strings.Contains(tc.deploy, "codeDeploy") {
					t.Errorf("%s: no Server props for a codeDeploy configuration", ts.Environment)
				}
			}
		})
	}
}

// TestExplainTrustQuota: Explain's advice on the job-results role's trust
// policy (an account per environment without an organization) against the
// quota the configuration declares: the drivers keep Table's unit
// (characters, not bytes, when the quota is declared), near the limit (a
// warning) the raise it offers is above the quota held, and once the
// configuration declares AWS's maximum no raise is offered.
func TestExplainTrustQuota(t *testing.T) {
	const (
		org    = "set organization.id: the trust then admits the organization instead of each account"
		driver = "it grows with 2 accounts of the environments, each a value of its aws:PrincipalAccount condition (about 30 characters): "
	)
	tests := []struct {
		name  string
		quota int // quotas.iamRoleTrustPolicyLength; 0: none
		value int
		want  string // Fix
	}{
		{"over the default", 0, 2534, driver + org + "; or once Service Quotas raised the quota to at least 2534 (AWS allows up to 4096) in every account this deploys to, declare it in quotas.iamRoleTrustPolicyLength"},
		{"near the default", 0, 1702, driver + org + "; or once Service Quotas raised the quota above 2048 (AWS allows up to 4096) in every account this deploys to, declare it in quotas.iamRoleTrustPolicyLength"},
		{"over a declared value", 3000, 3574, driver + org + "; or once Service Quotas raised the quota to at least 3574 (AWS allows up to 4096) in every account this deploys to, declare it in quotas.iamRoleTrustPolicyLength"},
		{"near the declared maximum", 4096, 3574, driver + org},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := example(t)
			cfg.Organization = nil
			if tc.quota != 0 {
				cfg.Quotas = &config.Quotas{IAMRoleTrustPolicyLength: &tc.quota}
			}
			spec, err := delivery.Translate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			f := limits.Finding{Limit: cfg.DeclaredQuotas().Limit(limits.IAMTrustPolicy), Stack: "payments-tooling", Resource: "JobResultsRole", Physical: "payments-job-results", Value: tc.value}
			if got := spec.Explain(f); got.Field != "environments[].account" || got.Fix != tc.want {
				t.Errorf("Explain() Field %q, Fix\n%q\nwant Field environments[].account, Fix\n%q", got.Field, got.Fix, tc.want)
			}
		})
	}
}
