package config

import (
	"strings"
	"testing"
)

// TestValidateStrategy checks the rules of the choice of one release strategy and the ${...} placeholders, each with its
// message.
func TestValidateStrategy(t *testing.T) {
	runReleaseCases(t, []releaseCase{
		{"undefined setting", releaseBlueGreen + "    testListener: ${testListener}\n",
			`deploy.ecsBlueGreen.testListener "${testListener}": uses ${testListener}, which environments[0] "staging" does not define; add testListener to its settings`},
		{"two strategies", "deploy:\n  s3: {bucket: site}\n  ecs: {cluster: web, service: api, taskRoles: [\"arn:aws:iam::222222222222:role/t\"]}\n",
			`deploy.s3 "": deploy sets ecs and s3; choose one release strategy`},
		{"execution policy with another strategy", "deploy:\n  s3: {bucket: site}\n  executionPolicy: {managedPolicyArns: [\"arn:aws:iam::111111111111:policy/x\"]}\n",
			`deploy.executionPolicy "": applies to CloudFormation workloads only`},
	})
}

// releaseBase is a valid configuration without a deploy section, for the
// release cases to add one; releaseBlueGreen is an ECS blue/green deploy
// section without its test listener.
const (
	releaseBase = `name: shop
tooling: {account: "111111111111", region: us-east-1}
source: {github: {repository: acme/shop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1], settings: {tl: "arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65"}}
`
	releaseBlueGreen = `deploy:
  ecsBlueGreen:
    cluster: web
    service: api
    productionListener: arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2
    targetGroups: [arn:aws:elasticloadbalancing:us-east-1:222222222222:targetgroup/b/73e2d6bc24d8a067, arn:aws:elasticloadbalancing:us-east-1:222222222222:targetgroup/g/73e2d6bc24d8a068]
    taskRoles: [arn:aws:iam::222222222222:role/api-task]
`
)

// releaseCase parses releaseBase plus deploy and expects an error that
// contains want.
type releaseCase struct{ name, deploy, want string }

func runReleaseCases(t *testing.T, tests []releaseCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("relay.yaml", []byte(releaseBase+tt.deploy))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse() error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}
