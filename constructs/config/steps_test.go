package config

import (
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// stepsBase is a valid configuration with a step before, between and after
// its stacks, and a tooling environment between its two account
// environments.
const stepsBase = `name: shop
tooling: {account: "111111111111", region: us-east-1}
organization: {id: o-a1b2c3d4e5}
source: {github: {repository: acme/shop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}
  stacks:
    - {name: network, stackName: "shop-${env}-network", templatePath: network.yaml}
    - {name: service, stackName: "shop-${env}-service", templatePath: service.yaml, dependsOn: [render]}
steps:
  - name: lint
    when: before
    codeBuild: {buildspec: ci/lint.yml, inputs: [source]}
  - name: render
    dependsOn: [network]
    codeBuild:
      buildspec: ci/render.yml
      output: true
      environmentVariables:
        VPC: {output: network.VpcId}
        TOKEN: {secret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:shop/token-AbCdEf"}
      role:
        statements:
          - {actions: ["ssm:GetParameter"], resources: ["arn:aws:ssm:${region}:${account}:parameter/shop/${env}/*"], reason: Parameters of the environment are read by prefix.}
  - name: smoke
    codeBuild:
      buildspec: ci/smoke.yml
      inputs: [render, source]
      environmentVariables:
        URL: {output: service.Url}
        STAGE: {value: "${env}"}
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1]}
  - name: change
    tooling: true
    steps:
      - {name: ticket, lambda: {function: itsm-open-change, userParameters: '{"env": "${env}", "account": "${account}"}'}}
  - name: production
    account: "333333333333"
    regions: [us-east-1]
    approval: {comment: "Change #{Step_change_ticket.ChangeId} approved? Staging smoke: #{Step_staging_us-east-1_smoke.Result}"}
    steps:
      - {name: signoff, approval: {comment: "Sign off ${env}"}}
`

func TestSteps(t *testing.T) {
	c, err := Parse("relay.yaml", []byte(stepsBase))
	if err != nil {
		t.Fatal(err)
	}
	steps, paths := c.StepsOf(2)
	var names []string
	for _, s := range steps {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, " ") + " | " + strings.Join(paths, " "); got != "lint render smoke signoff | steps[0] steps[1] steps[2] environments[2].steps[0]" {
		t.Errorf("production's steps: %s", got)
	}
	if got, _ := c.StepsOf(1); len(got) != 1 || got[0].Name != "ticket" {
		t.Errorf("the tooling environment runs its own steps only: %+v", got)
	}
	x, err := c.Expand(1, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := x.Environment.Steps[0].Lambda.UserParameters; got != `{"env": "change", "account": "111111111111"}` {
		t.Errorf("a tooling environment's ${account} is the tooling account's: %s", got)
	}
	x, _ = c.Expand(2, "us-east-1")
	if got := x.Steps[1].CodeBuild.Role.Statements[0].Resources[0]; got != "arn:aws:ssm:us-east-1:333333333333:parameter/shop/production/*" {
		t.Errorf("the role's resources expand: %s", got)
	}
	if s := c.Steps[2]; s.When != "after" || s.CodeBuild.TimeoutMinutes != 60 {
		t.Errorf("defaults: %+v", s)
	}
}

func TestStepsRules(t *testing.T) {
	for _, tt := range []struct{ name, old, new, want string }{
		{"a step without a buildspec", "codeBuild: {buildspec: ci/lint.yml, inputs: [source]}", "codeBuild: {inputs: [source]}",
			`relay.yaml:13: steps[0].codeBuild.buildspec "": required: the path of the step's buildspec file in its first input, such as ci/integration.yml; a step has no inline buildspec`},
		{"an inline buildspec", "codeBuild: {buildspec: ci/lint.yml, inputs: [source]}", `codeBuild: {buildspec: "version: 0.2\nphases: {build: {commands: [make lint]}}", inputs: [source]}`,
			`steps[0].codeBuild.buildspec "version: 0.2\nphases: {build: {commands: [make lint]}}": must be a path to a buildspec file`},
		{"an unknown dependency", "    dependsOn: [network]\n", "    dependsOn: [netwrok]\n",
			`steps[1].dependsOn "netwrok": names no stack or step of environments[0] "staging"; use the name of one that must finish first`},
		// The cycle is reported at the dependsOn of its first entry, naming
		// every entry's list, once for the environments it reaches: it
		// named environments[0].steps, a field that the configuration did
		// not have, on environment 0's line, once per environment.
		{"a cycle through a step", "    dependsOn: [network]\n", "    dependsOn: [service]\n",
			`relay.yaml:9: deploy.stacks[1].dependsOn "service -> render -> service": the dependsOn lists of deploy.stacks[1] (service), steps[1] (render) make a cycle, so none of them could start; remove one of these dependencies`},
		{"a cycle through an environment's steps", "      - {name: signoff, approval: {comment: \"Sign off ${env}\"}}\n",
			"      - {name: signoff, dependsOn: [gate], approval: {comment: \"Sign off ${env}\"}}\n      - {name: gate, dependsOn: [signoff], approval: {}}\n",
			`relay.yaml:43: environments[2].steps[0].dependsOn "signoff -> gate -> signoff": the dependsOn lists of environments[2].steps[0] (signoff), environments[2].steps[1] (gate) make a cycle`},
		{"when and dependsOn", "    dependsOn: [network]\n", "    dependsOn: [network]\n    when: after\n",
			`steps[1].when "after": set when (before or after the stacks) or dependsOn (after these stacks or steps), not both`},
		{"an output read before its stack", "environments:\n", "  - name: warm\n    when: before\n    codeBuild: {buildspec: ci/warm.yml, environmentVariables: {URL: {output: service.Url}}}\nenvironments:\n",
			`steps[3].codeBuild.environmentVariables.URL.output "service.Url": that stack does not finish before this step; run the step after it (when: after, or dependsOn the stack)`},
		{"an input that writes nothing", "      output: true\n", "",
			`steps[2].codeBuild.inputs[0] "render": that step writes no artifact; set output: true on it`},
		{"IAM writes in a step role", `["ssm:GetParameter"]`, `["ssm:GetParameter", "iam:CreateRole"]`,
			`steps[1].codeBuild.role.statements[0].actions[1] "iam:CreateRole": writes IAM, and no permissions boundary would bound the roles a step creates; create IAM resources in a stack (its execution role), or grant IAM reads only`},
		// CloudFormation changes a stack as its service role, without
		// iam:PassRole of the caller: on the CDK's stacks, Relay's own
		// among them, the bootstrap's cfn-exec-role (AdministratorAccess).
		{"a step role that changes stacks", `["ssm:GetParameter"]`, `["ssm:GetParameter", "cloudformation:UpdateStack"]`,
			`steps[1].codeBuild.role.statements[0].actions[1] "cloudformation:UpdateStack": ` + StackChangeRule},
		{"a step role that changes stacks through a pattern", `["ssm:GetParameter"]`, `["cloudformation:Describe*", "cloudformation:Create*"]`,
			`steps[1].codeBuild.role.statements[0].actions[1] "cloudformation:Create*": ` + StackChangeRule},
		// A step role that may assume any role of the account could act
		// as one that trusts the account: as strong as AdministratorAccess,
		// as for a hook or the execution policy.
		{"a step role as strong as AdministratorAccess", `{actions: ["ssm:GetParameter"], resources: ["arn:aws:ssm:${region}:${account}:parameter/shop/${env}/*"], reason: Parameters of the environment are read by prefix.}`,
			`{sid: Probe, actions: ["sts:AssumeRole"], resources: ["arn:aws:iam::*:role*"], reason: Assumes the roles it tests.}`,
			`steps[1].codeBuild.role.statements[0] "Probe": is as strong as AdministratorAccess: sts:AssumeRole on arn:aws:iam::*:role* lets the role give itself administrator rights; a step does one job: grant it what that job touches, by ARN`},
		// A role that may pass one of Relay's roles and create a function
		// runs code as it: the recovery and hook roles trust Lambda without
		// a source condition. The step's own roles stay passable.
		{"a step role passing Relay's hook role", `{actions: ["ssm:GetParameter"], resources: ["arn:aws:ssm:${region}:${account}:parameter/shop/${env}/*"], reason: Parameters of the environment are read by prefix.}`,
			`{sid: Helper, actions: ["lambda:CreateFunction", "iam:PassRole"], resources: ["arn:aws:lambda:${region}:${account}:function:shop-helper", "arn:aws:iam::${account}:role/shop-helper", "arn:aws:iam::${account}:role/relay/shop/shop-${env}-hook"]}`,
			`relay.yaml:24: steps[1].codeBuild.role.statements[0].resources[2] "arn:aws:iam::${account}:role/relay/shop/shop-${env}-hook": ` + values.PassRelayRoleRule},
		{"a step role assuming a named role", `["ssm:GetParameter"]`, `["ssm:GetParameter", "sts:AssumeRole*"]`,
			`steps[1].codeBuild.role.statements[0].actions[1] "sts:AssumeRole*": lets the role assume another role and act with that role's permissions (role chaining), beyond what its own statements grant; a step does one job: grant it what that job touches, by ARN`},
		{"a step role in an organizational-unit environment", "  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n",
			"  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n  - {name: members, organizationalUnits: [ou-ab12-cd34ef56], regions: [us-east-1]}\n",
			`steps[1].codeBuild.role "": applies to account environments only, and environments[1] "members" is a organizationalUnits environment: it has no account of its own to act in`},
		// Both were refused only by the translation, without a line.
		{"an input listed twice", "inputs: [render, source]", "inputs: [render, source, render]",
			`relay.yaml:28: steps[2].codeBuild.inputs[2] "render": listed twice; remove one`},
		{"a step role Sid listed twice", `{actions: ["ssm:GetParameter"], resources: ["arn:aws:ssm:${region}:${account}:parameter/shop/${env}/*"], reason: Parameters of the environment are read by prefix.}`,
			`{sid: Read, actions: ["ssm:GetParameter"], resources: ["arn:aws:ssm:${region}:${account}:parameter/shop/${env}/*"], reason: Parameters of the environment are read by prefix.}
          - {sid: Read, actions: ["ssm:GetParameters"], resources: ["arn:aws:ssm:${region}:${account}:parameter/shop/${env}/*"], reason: Parameters of the environment are read by prefix.}`,
			`relay.yaml:25: steps[1].codeBuild.role.statements[1].sid "Read": also the sid of steps[1].codeBuild.role.statements[0], and IAM refuses repeated Sids in a policy; choose another sid`},
		{"a tooling environment without steps", "    steps:\n      - {name: ticket,", "    freeze: {reason: x}\n    xsteps:\n      - {name: ticket,",
			`unknown field "xsteps"`},
		{"a tooling environment with regions", "    tooling: true\n", "    tooling: true\n    regions: [us-east-1]\n",
			`environments[1].regions "us-east-1": a tooling environment runs its steps in the tooling region; remove regions`},
		{"a step name that is a stack's", "  - name: smoke\n", "  - name: network\n",
			`steps[2].name "network": duplicate of deploy.stacks[0].name in environments[0] "staging"; give each step and stack a unique name`},
		{"a step variable named like Relay's", "        STAGE: {value: \"${env}\"}\n", "        RELAY_STAGE: {value: \"${env}\"}\n",
			`steps[2].codeBuild.environmentVariables.RELAY_STAGE "RELAY_STAGE": names are letters, digits and _, not starting with a digit, CODEBUILD_ or RELAY_ (CodeBuild's and Relay's)`},
		{"a step's execution name prefix over 43 characters", "    codeBuild: {buildspec: ci/lint.yml, inputs: [source]}", "    stepFunctions: {stateMachine: shop-lint, executionNamePrefix: " + strings.Repeat("p", 44) + "}",
			`steps[0].stepFunctions.executionNamePrefix "` + strings.Repeat("p", 44) + `": must be 1 to 43 letters, digits, _ and - (the action names each execution <prefix>-<its 36-character execution ID>, and Step Functions takes at most 80 characters: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html)`},
		{"a reference to a step that runs later", "Staging smoke: #{Step_staging_us-east-1_smoke.Result}", "Production smoke: #{Step_production_us-east-1_smoke.Result}",
			`refers to namespace "Step_production_us-east-1_smoke", which no earlier action sets`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(stepsBase, tt.old) {
				t.Fatalf("stepsBase has no %q", tt.old)
			}
			_, err := Parse("relay.yaml", []byte(strings.Replace(stepsBase, tt.old, tt.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse() error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// TestStepApprovalDefaultComment: a step approval may leave its comment
// out, in the file and in Go; the release plan then writes "Approve <step>
// of <environment>" (plan.ApprovalStep).
func TestStepApprovalDefaultComment(t *testing.T) {
	for _, tt := range []struct{ name, old, new string }{
		{"an environment's step", `approval: {comment: "Sign off ${env}"}`, "approval: {}"},
		{"an environment's step with a timeout", `approval: {comment: "Sign off ${env}"}`, "approval: {timeoutMinutes: 60}"},
		{"a top-level step", "    codeBuild: {buildspec: ci/lint.yml, inputs: [source]}\n", "    approval: {}\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(stepsBase, tt.old) {
				t.Fatalf("stepsBase has no %q", tt.old)
			}
			c, err := Parse("relay.yaml", []byte(strings.Replace(stepsBase, tt.old, tt.new, 1)))
			if err != nil {
				t.Fatalf("Parse() error = %v", err)
			}
			if err := c.Validate(); err != nil {
				t.Errorf("Validate() = %v", err)
			}
		})
	}
}

// TestDeployNone parses deploy: none: environments run their steps only,
// and what needs a workload is refused by name.
func TestDeployNone(t *testing.T) {
	base := `name: networking
tooling: {account: "111111111111", region: eu-west-1}
source: {github: {repository: acme/networking, connectionArn: "arn:aws:codeconnections:eu-west-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
build: none
deploy: none
steps:
  - {name: plan, codeBuild: {buildspec: ci/plan.yml, inputs: [source]}}
environments:
  - {name: dev, account: "222222222222", regions: [eu-west-1]}
`
	c, err := Parse("relay.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Deploy.None || c.Deploy.StackName != "" || len(c.Deploy.Components()) != 0 {
		t.Errorf("deploy = %+v, want None and no workload", c.Deploy)
	}
	for _, tt := range []struct{ name, old, new, want string }{
		{"no steps at all", "steps:\n  - {name: plan, codeBuild: {buildspec: ci/plan.yml, inputs: [source]}}\n", "",
			`environments[0].name "dev": has nothing to run: deploy is none and no steps apply; add steps (top-level or environments[].steps) or remove the environment`},
		{"a StackSet environment", "  - {name: dev, account: \"222222222222\", regions: [eu-west-1]}\n", "  - {name: dev, accounts: [\"222222222222\"], regions: [eu-west-1]}\n",
			`environments[0].name "dev": is a accounts environment, which deploys a StackSet of the workload, and deploy is none; give it account, or set deploy`},
		{"the build output with build: none", "inputs: [source]", "inputs: [build]",
			`steps[0].codeBuild.inputs[0] "build": reads the build output, and build is none; use source`},
		{"another word", "deploy: none\n", "deploy: nothing\n",
			`relay.yaml:5: deploy: found a string; write none (no workload: environments run their steps only), a mapping of settings such as {stackName: payments-app, executionPolicy: {...}}, or omit deploy for the defaults`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("relay.yaml", []byte(strings.Replace(base, tt.old, tt.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse() error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// TestStepRoleSettingsChecked: a setting can make a written ARN cover every
// role, so a step role's statement is checked again once each environment's
// settings fill it (it used to be refused only by target.Props, without a
// line); a setting that names one role passes.
func TestStepRoleSettingsChecked(t *testing.T) {
	const statement = `{actions: ["ssm:GetParameter"], resources: ["arn:aws:ssm:${region}:${account}:parameter/shop/${env}/*"], reason: Parameters of the environment are read by prefix.}`
	const passes = `{actions: ["iam:PassRole"], resources: ["arn:aws:iam::${account}:role/${deployer}"], reason: Passes the deployer role.}`
	const env = `  - {name: staging, account: "222222222222", regions: [us-east-1]}`
	for _, tt := range []struct{ name, deployer, want string }{
		{"a setting that makes it every role", `"*"`,
			`relay.yaml:24: steps[1].codeBuild.role.statements[0] "arn:aws:iam::${account}:role/${deployer}": with environments[0]'s settings filled in (resources arn:aws:iam::222222222222:role/*): is as strong as AdministratorAccess: iam:PassRole on arn:aws:iam::222222222222:role/* lets the role give itself administrator rights; a step does one job: grant it what that job touches, by ARN`},
		{"a setting that names one role", "shop-deployer", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			input := strings.Replace(stepsBase, statement, passes, 1)
			input = strings.Replace(input, env, strings.TrimSuffix(env, "}")+", settings: {deployer: "+tt.deployer+"}}", 1)
			input = strings.Replace(input, "    account: \"333333333333\"\n", "    account: \"333333333333\"\n    settings: {deployer: shop-deployer}\n", 1)
			if input == stepsBase || !strings.Contains(input, "deployer: ") {
				t.Fatal("stepsBase changed: the statement or the environment is not found")
			}
			_, err := Parse("relay.yaml", []byte(input))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Parse() error = %v, want none", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Parse() error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// TestStepReviewURLFromSettings: an approval step's reviewUrl expands, so
// a setting may give each environment its own link; the link is checked
// once filled. A reviewUrl that was only a placeholder was refused as not
// an https URL whatever the settings held.
func TestStepReviewURLFromSettings(t *testing.T) {
	const head = `name: shop
tooling: {account: "111111111111", region: us-east-1}
source: {github: {repository: acme/shop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}
steps:
  - {name: review, approval: {comment: "Check ${env}", reviewUrl: "${dashboard}"}}
environments:
`
	for _, tt := range []struct{ name, envs, want string }{
		{"https links", `  - {name: staging, account: "222222222222", regions: [us-east-1], settings: {dashboard: "https://grafana.example.com/d/staging"}}
  - {name: production, account: "333333333333", regions: [us-east-1], settings: {dashboard: "https://grafana.example.com/d/production"}}
`, ""},
		{"a link that is not https", `  - {name: staging, account: "222222222222", regions: [us-east-1], settings: {dashboard: "https://grafana.example.com/d/staging"}}
  - {name: production, account: "333333333333", regions: [us-east-1], settings: {dashboard: "javascript:alert(1)"}}
`, `relay.yaml:7: steps[0].approval.reviewUrl "${dashboard}": expands to "javascript:alert(1)" for environments[1]: must be an https URL, such as https://grafana.example.com/d/staging`},
		{"a link over the action's 1000 characters", `  - {name: staging, account: "222222222222", regions: [us-east-1], settings: {dashboard: "https://grafana.example.com/` + strings.Repeat("d", 1000) + `"}}
`, `relay.yaml:7: steps[0].approval.reviewUrl "${dashboard}": expands to "https://grafana.example.com/` + strings.Repeat("d", 1000) + `" for environments[0]: CodePipeline takes at most 1000 characters per action configuration value`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("relay.yaml", []byte(head+tt.envs))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Parse(): %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Parse() error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}
