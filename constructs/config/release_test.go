package config

import (
	"strings"
	"testing"
)

// TestReleaseValidation checks the rules of the release strategies and
// hooks, each with its exact message.
func TestReleaseValidation(t *testing.T) {
	base := `name: shop
tooling: {account: "111111111111", region: us-east-1}
source: {github: {repository: acme/shop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1], settings: {tl: "arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65"}}
`
	bg := `deploy:
  ecsBlueGreen:
    cluster: web
    service: api
    productionListener: arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2
    targetGroups: [arn:aws:elasticloadbalancing:us-east-1:222222222222:targetgroup/b/73e2d6bc24d8a067, arn:aws:elasticloadbalancing:us-east-1:222222222222:targetgroup/g/73e2d6bc24d8a068]
    taskRoles: [arn:aws:iam::222222222222:role/api-task]
`
	tests := []struct {
		name, deploy, want string
	}{
		{"blue/green without a test listener", bg, `deploy.ecsBlueGreen.testListener "": required: blue/green needs a test listener`},
		{"unknown ECS deployment config", bg + "    testListener: ${tl}\n    deploymentConfig: ECSCanary50Percent\n",
			`deploy.ecsBlueGreen.deploymentConfig "ECSCanary50Percent": unknown deployment configuration; use one of ECSAllAtOnce,`},
		{"undefined setting", bg + "    testListener: ${testListener}\n",
			`deploy "": uses a ${...} placeholder that environments[0] cannot fill: environment "staging" defines no setting "testListener"`},
		{"listener of another account", bg + "    testListener: arn:aws:elasticloadbalancing:us-east-1:999999999999:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65\n",
			`is a listener of account 999999999999, but environment "staging" deploys to 222222222222`},
		{"two strategies", "deploy:\n  s3: {bucket: site}\n  ecs: {cluster: web, service: api, taskRoles: [\"arn:aws:iam::222222222222:role/t\"]}\n",
			`deploy.s3 "": deploy sets ecs and s3; choose one release strategy`},
		{"PassRole pattern", "deploy:\n  ecs: {cluster: web, service: api, taskRoles: [\"arn:aws:iam::222222222222:role/*\"]}\n",
			`deploy.ecs.taskRoles[0] "arn:aws:iam::222222222222:role/*": must be a role ARN without wildcards`},
		{"hook with both kinds", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: f}, stepFunctions: {stateMachine: m}}]\n",
			`deploy.hooks[0] "smoke": set exactly one of lambda and stepFunctions`},
		{"qualified hook function", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: \"f:live\"}}]\n",
			`deploy.hooks[0].lambda.function "f:live": must be a function name without a qualifier (CodePipeline invokes $LATEST)`},
		{"EC2 without instance roles", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}}\n",
			`deploy.codeDeploy.instanceRoles "": required: name the roles of the instances' profiles`},
		{"EC2 instance role as an ARN", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}, instanceRoles: [\"arn:aws:iam::222222222222:role/web\"]}\n",
			`deploy.codeDeploy.instanceRoles[0] "arn:aws:iam::222222222222:role/web": must be a role name (not an ARN)`},
		{"blue-green EC2 without an Auto Scaling group", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}, style: blue-green, targetGroups: [web]}\n",
			`deploy.codeDeploy.autoScalingGroups "": blue-green needs an Auto Scaling group`},
		{"execution policy with another strategy", "deploy:\n  s3: {bucket: site}\n  executionPolicy: {managedPolicyArns: [\"arn:aws:iam::111111111111:policy/x\"]}\n",
			`deploy.executionPolicy "": applies to CloudFormation workloads only`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("relay.yaml", []byte(base+tt.deploy))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse() error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// TestStackSetEnvironments checks accounts and stackSetOf.
func TestStackSetEnvironments(t *testing.T) {
	head := `name: agent
tooling: {account: "111111111111", region: us-east-1}
source: {github: {repository: acme/agent, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
deploy: {executionPolicy: {managedPolicyArns: ["arn:aws:iam::111111111111:policy/x"]}}
environments:
`
	tests := []struct{ name, envs, want string }{
		{"neither accounts nor OUs", "  - {name: fleet, stackSetOf: pilot, regions: [us-east-1]}\n",
			`environments[0].stackSetOf "pilot": needs accounts or organizationalUnits`},
		{"unknown owner", "  - {name: fleet, accounts: [\"222222222222\"], stackSetOf: pilot, regions: [us-east-1]}\n",
			`environments[0].stackSetOf "pilot": must name an earlier environment with accounts or organizationalUnits`},
		{"account and accounts", "  - {name: fleet, account: \"222222222222\", accounts: [\"333333333333\"], regions: [us-east-1]}\n",
			`set one of account (one account), accounts (a StackSet to these accounts) and organizationalUnits`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("relay.yaml", []byte(head+tt.envs))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse() error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}
