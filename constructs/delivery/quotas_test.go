package delivery_test

import (
	"fmt"
	"strings"
	"testing"

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
