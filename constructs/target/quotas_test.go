package target_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/constructs/target"
)

// TestQuotasGoAPI builds a target whose execution role attaches 15
// managed policies, with Quotas.IAMManagedPoliciesPerRole 20 declared:
// target.New accepts it, and the check of the written templates passes
// with the same Quotas (relaytest.AssemblyFindingsQuotas) while the
// default check (AssemblyFindings) refuses the role, as it would in an
// account where the quota was never raised.
func TestQuotasGoAPI(t *testing.T) {
	quotas := limits.Quotas{IAMManagedPoliciesPerRole: 20}
	over := func(found []limits.Finding) []string {
		var out []string
		for _, f := range found {
			if f.Over() {
				out = append(out, f.Limit.ID)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		quotas limits.Quotas
		want   []string
	}{
		{"checked with the declared quota", quotas, nil},
		{"checked with the default quota", limits.Quotas{}, []string{limits.IAMRoleManagedPolicies}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := relaytest.NewApp()
			stack := awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
			})
			p := validProps()
			p.ExecutionManagedPolicyArns = policyArns(15)
			p.Quotas = quotas
			relaytest.Do(t, "target.New", func() { target.New(stack, "Target", p) })
			found := relaytest.AssemblyFindingsQuotas(t, app, tc.quotas)
			if got := over(found); len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
				t.Errorf("over the quotas: %v, want %v", got, tc.want)
			}
			if tc.quotas == (limits.Quotas{}) {
				if got := over(relaytest.AssemblyFindings(t, app)); len(got) != 1 {
					t.Errorf("AssemblyFindings over: %v, want the default quota's finding", got)
				}
			}
		})
	}
}
