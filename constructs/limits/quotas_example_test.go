package limits_test

import (
	"fmt"
	"strings"

	"github.com/relaycdk/relay/constructs/limits"
)

// ExampleQuotas_CheckTemplate measures a role that attaches 15 managed
// policies: over IAM's default quota of 10, within a quota of 20 that
// Service Quotas raised in the role's account and that Quotas declares.
func ExampleQuotas_CheckTemplate() {
	var arns []string
	for i := range 15 {
		arns = append(arns, fmt.Sprintf("%q", fmt.Sprintf("arn:aws:iam::aws:policy/P%d", i)))
	}
	template := []byte(`{"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"ManagedPolicyArns": [` + strings.Join(arns, ",") + `]}}}}`)
	for _, q := range []limits.Quotas{{}, {IAMManagedPoliciesPerRole: 20}} {
		findings, err := q.CheckTemplate("orders-staging", template)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("at most %d: %d finding(s)\n", q.Max(limits.IAMRoleManagedPolicies), len(findings))
	}
	// Output:
	// at most 10: 1 finding(s)
	// at most 20: 0 finding(s)
}
