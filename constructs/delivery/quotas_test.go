package delivery_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/internal/policysize"
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

// TestExplainApproverTrust: the approver principals' share of the approver
// role's trust policy that Explain reports is what the pipeline writes for
// them: every statement of the trust, so the policy's size less its
// {"Statement":[],"Version":"2012-10-17"}. It counted each principal's ARN
// alone (17 principals of 17 accounts: about 1071 of 3574 characters, where
// each account's statement costs about 140 more).
func TestExplainApproverTrust(t *testing.T) {
	many := func(accounts, perAccount int) []string {
		var out []string
		for a := range accounts {
			for r := range perAccount {
				out = append(out, fmt.Sprintf("arn:aws:iam::1111111111%02d:role/release-managers-%d", a, r))
			}
		}
		return out
	}
	tests := []struct {
		name      string
		approvers config.Approvers
	}{
		{"one account, three roles", config.Approvers{Principals: many(1, 3)}},
		{"seventeen accounts", config.Approvers{Principals: many(17, 1)}},
		{"four accounts of two roles each, with MFA", config.Approvers{Principals: many(4, 2), RequireMFA: true}},
		{"an account root beside a role", config.Approvers{Principals: []string{"arn:aws:iam::111111111100:root", "arn:aws:iam::111111111101:role/release-managers"},
			AccountRoots: &config.AccountRoots{Reason: "the audit account's administrators approve"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := example(t)
			cfg.Pipeline.Approvers = &tc.approvers
			spec, err := delivery.Translate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			app := relaytest.NewApp()
			relaytest.Do(t, "delivery.New", func() { delivery.New(app, spec) })
			var tpl map[string]interface{}
			relaytest.Do(t, "synthesize", func() {
				raw, _ := json.Marshal(app.Synth(nil).GetStackByName(jsii.String(spec.Names.ToolingStack())).Template())
				if err := json.Unmarshal(raw, &tpl); err != nil {
					t.Fatal(err)
				}
			})
			size := -1
			for id, v := range policysize.Measure(tpl).TrustPolicies {
				if strings.HasPrefix(id, "PipelineApproverRole") {
					size = v
				}
			}
			if size < 0 {
				t.Fatal("no approver role in the tooling stack")
			}
			f := limits.Finding{Limit: limits.ByID(limits.IAMTrustPolicy), Stack: spec.Names.ToolingStack(), Resource: "PipelineApproverRole", Physical: spec.Names.ApproverRole(), Value: size}
			want := fmt.Sprintf("(about %d characters)", size-len(`{"Statement":[],"Version":"2012-10-17"}`))
			if got := spec.Explain(f); !strings.Contains(got.Fix, want) {
				t.Errorf("Explain() Fix = %q\nwant the principals' share %s of the trust policy's %d", got.Fix, want, size)
			}
		})
	}
}
