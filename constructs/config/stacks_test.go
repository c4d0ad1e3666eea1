package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stacksBase is a valid configuration with two stacks and an ECS blue/green
// service after them, in two environments that share an account.
const stacksBase = `name: shop
tooling: {account: "111111111111", region: us-east-1}
source: {github: {repository: acme/shop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}
  stacks:
    - name: network
      stackName: shop-${env}-network
      templatePath: network.yaml
    - name: data
      stackName: shop-${env}-data
      templatePath: data-${region}.yaml
      templateConfiguration: config/${env}/data.json
      parameters: {VpcId: "#{Deploy_${env}_${region}_network.VpcId}"}
      dependsOn: [network]
      executionPolicy: {statements: [{actions: ["dynamodb:*"], resources: ["arn:aws:dynamodb:*:*:table/shop-*"], reason: Tables are named shop-<purpose> by the template.}]}
      capabilities: [CAPABILITY_IAM]
    - name: service
      dependsOn: [data]
      ecsBlueGreen:
        cluster: web
        service: shop-${env}
        productionListener: arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2
        testListener: arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65
        targetGroups: [arn:aws:elasticloadbalancing:us-east-1:222222222222:targetgroup/b/73e2d6bc24d8a067, arn:aws:elasticloadbalancing:us-east-1:222222222222:targetgroup/g/73e2d6bc24d8a068]
        taskRoles: [arn:aws:iam::222222222222:role/shop-task]
environments:
  - {name: dev, account: "222222222222", regions: [us-east-1]}
  - {name: qa, account: "222222222222", regions: [us-east-1]}
`

func TestStacks(t *testing.T) {
	c, err := Parse("relay.yaml", []byte(stacksBase))
	if err != nil {
		t.Fatal(err)
	}
	x, err := c.Expand(1, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	type stack struct{ Name, StackName, TemplatePath, TemplateConfiguration, VpcId, Service string }
	var got []stack
	for _, s := range x.Deploy.Components() {
		st := stack{Name: s.Name, StackName: s.StackName, TemplatePath: s.TemplatePath, TemplateConfiguration: s.TemplateConfiguration, VpcId: s.Parameters["VpcId"]}
		if s.ECSBlueGreen != nil {
			st.Service = s.ECSBlueGreen.Service
		}
		got = append(got, st)
	}
	want := []stack{
		{Name: "network", StackName: "shop-qa-network", TemplatePath: "network.yaml"},
		{Name: "data", StackName: "shop-qa-data", TemplatePath: "data-us-east-1.yaml", TemplateConfiguration: "config/qa/data.json", VpcId: "#{Deploy_qa_us-east-1_network.VpcId}"},
		{Name: "service", Service: "shop-qa"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("qa's stacks (-want +got):\n%s", diff)
	}
	if x := c.Deploy.Stacks[2].ECSBlueGreen; x.TaskDefinition != "taskdef.json" || x.DeploymentConfig != "ECSAllAtOnce" {
		t.Errorf("the service's defaults were not applied: %+v", x)
	}
}

// TestStackNameOfTwoExecutionRoles: two entries whose names, expanded per
// region, give one stack name in two regions of an environment would make
// the environment's deploy role create change sets of that name through
// two execution roles; one with the environment's role in every entry is
// accepted.
func TestStackNameOfTwoExecutionRoles(t *testing.T) {
	input := strings.NewReplacer(
		"stackName: shop-${env}-network", "stackName: shop-${env}-${region}-us-east-1",
		"stackName: shop-${env}-data", "stackName: shop-${env}-eu-west-1-${region}",
		`{name: qa, account: "222222222222", regions: [us-east-1]}`, `{name: qa, account: "333333333333", regions: [eu-west-1, us-east-1]}`,
	).Replace(stacksBase)
	want := `deploy.stacks[1].stackName "shop-${env}-eu-west-1-${region}": environments[1] "qa" in eu-west-1 and environments[1] "qa" in us-east-1 deploy the stack name shop-qa-eu-west-1-us-east-1 as deploy.stacks[0] and deploy.stacks[1], with different execution roles; the deploy role creates change sets of a stack name through one execution role only: give each entry its own stackName`
	_, err := Parse("relay.yaml", []byte(input))
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Parse() error = %v\nwant it to contain %q", err, want)
	}
	if err != nil && strings.Count(err.Error(), "with different execution roles") != 1 {
		t.Errorf("Parse() error = %v\nwant one stack name of two execution roles", err)
	}
	// Both entries with the environment's execution role: one role, no error.
	same := strings.Replace(input, `      executionPolicy: {statements: [{actions: ["dynamodb:*"], resources: ["arn:aws:dynamodb:*:*:table/shop-*"], reason: Tables are named shop-<purpose> by the template.}]}
`, "", 1)
	if same == input {
		t.Fatal("stacksBase has no executionPolicy of deploy.stacks[1] to remove")
	}
	if _, err := Parse("relay.yaml", []byte(same)); err != nil && strings.Contains(err.Error(), "with different execution roles") {
		t.Errorf("Parse() error = %v for entries with one execution role", err)
	}
}

func TestStacksRules(t *testing.T) {
	for _, tt := range []struct{ name, old, new, want string }{
		// Advice that fits the configuration (the kind of
		// bucket-policy-advice.yaml): the example scope once read
		// arn:aws:iam::*:role/-* (deploy.stackName is unset with stacks).
		{"an admin-equivalent statement of a stack's own policy", `executionPolicy: {statements: [{actions: ["dynamodb:*"]`, `executionPolicy: {statements: [{actions: ["dynamodb:*", "iam:PassRole"], resources: ["*"]}, {actions: ["dynamodb:*"]`,
			`deploy.stacks[1].executionPolicy.statements[0] "": is as strong as AdministratorAccess: iam:PassRole on * lets the role give itself administrator rights; scope it to the workload's own resources (such as arn:aws:iam::*:role/shop-data-*), or set deploy.stacks[1].executionPolicy.allowAdministratorAccess: true`},
		{"a dependency cycle", "      dependsOn: [network]\n", "      dependsOn: [network, service]\n",
			`relay.yaml:6: deploy.stacks "data -> service -> data": the dependsOn lists make a cycle, so no stack could start; remove one of these dependencies`},
		{"an unknown dependency", "      dependsOn: [data]\n", "      dependsOn: [database]\n",
			`deploy.stacks[2].dependsOn "database": names no other entry of deploy.stacks or of steps; use the name of a stack or top-level step that must finish first`},
		{"a stack deployed twice, by default", "      stackName: shop-${env}-network\n", "",
			`deploy.stacks[0].stackName "shop-network": environments[0] "dev" in us-east-1 and environments[1] "qa" in us-east-1 both deploy the stack shop-network to account 222222222222; a stack is deployed once per account and region: give each its own stackName, with ${env} when environments share an account`},
		{"two entries of one environment with one stack name", "      stackName: shop-${env}-data\n", "      stackName: shop-${env}-network\n",
			`deploy.stacks[1].stackName "shop-${env}-network": deploy.stacks[0] and deploy.stacks[1] both deploy, for environments[0] "dev" in us-east-1, the stack shop-dev-network to account 222222222222; a stack is deployed once per account and region: give each entry its own stackName`},
		{"the one workload's settings beside stacks", "  stacks:\n", "  templatePath: app.yaml\n  stacks:\n",
			`relay.yaml:6: deploy.templatePath "app.yaml": with deploy.stacks, each stack has its own; move it into deploy.stacks[]`},
		{"stack settings on a strategy", "      dependsOn: [data]\n", "      dependsOn: [data]\n      capabilities: [CAPABILITY_IAM]\n",
			`deploy.stacks[2].capabilities "": applies to stacks, and deploy.stacks[2] is released by the ecs-blue-green strategy; remove it`},
		{"a strategy setting checked in its component", "        cluster: web\n", "        cluster: web/prod\n",
			`deploy.stacks[2].ecsBlueGreen.cluster "web/prod": required: the ECS cluster name`},
		{"parameters of an environment", "  - {name: qa, account: \"222222222222\", regions: [us-east-1]}\n", "  - {name: qa, account: \"222222222222\", regions: [us-east-1], parameters: {A: b}}\n",
			`environments[1].parameters "A": with deploy.stacks, parameters belong to each stack`},
		{"outputs of a stack that runs later", "#{Deploy_${env}_${region}_network.VpcId}", "#{Deploy_${env}_${region}_service.VpcId}",
			`deploy.stacks[1].parameters.VpcId "#{Deploy_dev_us-east-1_service.VpcId}": refers to namespace "Deploy_dev_us-east-1_service", which no earlier action sets`},
		{"a StackSet environment", "  - {name: qa, account: \"222222222222\", regions: [us-east-1]}\n", "  - {name: qa, accounts: [\"333333333333\"], regions: [us-east-1]}\n",
			`deploy.stacks "network,data,service": deploy to account environments only, and environments[1] "qa" (accounts) deploy one StackSet with one template`},
		{"an own execution role name over 64 characters", "  - {name: qa,", "  - {name: quality-assurance-eu,",
			`deploy.stacks[1].name "data-warehouse-eu": its execution role in environments[1] would be shop-reports-team-quality-assurance-eu-data-warehouse-eu-cfn-exec, 65 characters; IAM takes at most 64: use a shorter stack or environment name, or the environment's execution role`},
		// CloudFormation actions take a path as <artifact>::<path>, one
		// action configuration value of at most 1,000 characters; a
		// longer one used to be refused only after aws-cdk-lib ran.
		{"a template path over CodePipeline's 1,000 characters", "templatePath: network.yaml", "templatePath: " + strings.Repeat("n", 990) + ".yaml",
			`relay.yaml:9: deploy.stacks[0].templatePath "995 characters": is 1002 characters as the action's Build::<path>; CodePipeline takes at most 1000 characters per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html); shorten the path`},
		{"a template configuration path over CodePipeline's 1,000 characters", "templateConfiguration: config/${env}/data.json", "templateConfiguration: " + strings.Repeat("c", 994),
			`deploy.stacks[1].templateConfiguration "994 characters": is 1001 characters as the action's Build::<path>; CodePipeline takes at most 1000 characters per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html); shorten the path`},
		{"an expanded template path over CodePipeline's 1,000 characters", "templatePath: data-${region}.yaml", "templatePath: " + strings.Repeat("d", 980) + "-${region}.yaml",
			`": expands to "995 characters" for environments[0] "dev" in us-east-1, which is 1002 characters as the action's Build::<path>; CodePipeline takes at most 1000 characters per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html); shorten the path`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(stacksBase, tt.old) {
				t.Fatalf("stacksBase has no %q", tt.old)
			}
			input := strings.Replace(stacksBase, tt.old, tt.new, 1)
			if strings.Contains(tt.name, "64 characters") {
				input = strings.ReplaceAll(strings.Replace(input, "name: shop\n", "name: shop-reports-team\n", 1), "data", "data-warehouse-eu")
			}
			_, err := Parse("relay.yaml", []byte(input))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse() error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// TestTemplatePathAtTheLimit checks that a template path whose action value,
// Build::<path>, is exactly CodePipeline's 1,000 characters passes, and
// that with build: none the action's value is Source::<path>, one more.
func TestTemplatePathAtTheLimit(t *testing.T) {
	input := strings.Replace(stacksBase, "templatePath: network.yaml", "templatePath: "+strings.Repeat("n", 988)+".yaml", 1)
	if _, err := Parse("relay.yaml", []byte(input)); err != nil {
		t.Errorf("Parse() error = %v, want none for a 993-character path (Build::<path>: 1000 characters)", err)
	}
	input = strings.Replace(input, "name: shop\n", "name: shop\nbuild: none\n", 1)
	want := `relay.yaml:10: deploy.stacks[0].templatePath "993 characters": is 1001 characters as the action's Source::<path>; CodePipeline takes at most 1000 characters per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html); shorten the path`
	if _, err := Parse("relay.yaml", []byte(input)); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Parse() error = %v\nwant it to contain %q", err, want)
	}
}
