package config

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// TestValidateHooks checks the rules of the invoke hooks, each with its
// message.
func TestValidateHooks(t *testing.T) {
	runReleaseCases(t, []releaseCase{
		{"hook with both kinds", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: f}, stepFunctions: {stateMachine: m}}]\n",
			`deploy.hooks[0] "smoke": set exactly one of lambda and stepFunctions`},
		{"qualified hook function", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: \"f:live\"}}]\n",
			`deploy.hooks[0].lambda.function "f:live": must be a function name without a qualifier (CodePipeline invokes $LATEST)`},
		{"hook statement as strong as AdministratorAccess", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: f, statements: [{sid: Any, actions: [\"sts:AssumeRole\"], resources: [\"*\"], reason: \"checks other accounts\"}]}}]\n",
			`deploy.hooks[0].lambda.statements[0] "Any": is as strong as AdministratorAccess: sts:AssumeRole on * lets the role give itself administrator rights; a hook function checks a release: grant it what it reads, by ARN`},
		// A hook role that may change a role's policy and trust could
		// make that role trust it and give it any permission: no boundary
		// bounds what a hook writes, as for a step role.
		{"hook statement that writes IAM", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: f, statements: [{sid: Roles, actions: [\"iam:PutRolePolicy\", \"iam:GetRole\", \"iam:UpdateAssumeRolePolicy\"], resources: [\"arn:aws:iam::222222222222:role/app-api\"]}]}}]\n",
			`deploy.hooks[0].lambda.statements[0].actions[0] "iam:PutRolePolicy": writes IAM, and no permissions boundary would bound what a hook function changes; a hook function checks a release: grant IAM reads only, and create or change IAM resources in a stack (its execution role)`},
		{"hook statement that writes IAM through a pattern", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: f, statements: [{sid: Keys, actions: [\"iam:Create*\"], resources: [\"arn:aws:iam::222222222222:user/ci-*\"], reason: \"creates the CI users it checks\"}]}}]\n",
			`deploy.hooks[0].lambda.statements[0].actions[0] "iam:Create*": writes IAM`},
		{"hook statement that changes stacks", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: f, statements: [{sid: Stacks, actions: [\"cloudformation:DescribeStacks\", \"cloudformation:ExecuteChangeSet\"], resources: [\"arn:aws:cloudformation:us-east-1:222222222222:stack/site/*\"], reason: \"Stack IDs end in a generated suffix.\"}]}}]\n",
			`deploy.hooks[0].lambda.statements[0].actions[1] "cloudformation:ExecuteChangeSet": ` + StackChangeRule},
		{"hook statement passing roles by pattern", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: f, statements: [{sid: Pass, actions: [\"iam:PassRole\"], resources: [\"arn:aws:iam::222222222222:role/app-*\"], reason: \"passes the app roles\"}]}}]\n",
			`deploy.hooks[0].lambda.statements[0].resources "arn:aws:iam::222222222222:role/app-*": iam:PassRole must name each role it passes, without wildcards`},
		{"hook statement passing Relay's recovery role", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: f, statements: [{sid: Pass, actions: [\"iam:PassRole\", \"lambda:CreateFunction\"], resources: [\"arn:aws:iam::111111111111:role/relay/site/site-recovery\", \"arn:aws:lambda:us-east-1:111111111111:function:probe\"]}]}}]\n",
			`deploy.hooks[0].lambda.statements[0].resources[0] "arn:aws:iam::111111111111:role/relay/site/site-recovery": ` + values.PassRelayRoleRule},
		// A hook role that may assume another role acts with that role's
		// permissions (role chaining): its own statements no longer bound
		// it, whichever role it names.
		{"hook statement assuming a named role", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: f, statements: [{sid: Probe, actions: [\"s3:GetObject\", \"sts:AssumeRole\"], resources: [\"arn:aws:iam::222222222222:role/app-reader\"]}]}}]\n",
			`deploy.hooks[0].lambda.statements[0].actions[1] "sts:AssumeRole": lets the role assume another role and act with that role's permissions (role chaining), beyond what its own statements grant; a hook function checks a release: grant it what it reads, by ARN`},
		// The action names each execution <prefix>-<36-character execution
		// ID>, and Step Functions refuses names over 80 characters: a
		// 44-character prefix failed every run (found by the variants sweep).
		{"execution name prefix over 43 characters", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, stepFunctions: {stateMachine: m, executionNamePrefix: " + strings.Repeat("p", 44) + "}}]\n",
			`deploy.hooks[0].stepFunctions.executionNamePrefix "` + strings.Repeat("p", 44) + `": must be 1 to 43 letters, digits, _ and - (the action names each execution <prefix>-<its 36-character execution ID>, and Step Functions takes at most 80 characters: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html)`},
		// The hook role's one policy holds every Lambda hook's statements
		// beside ReportJobResults and WriteHookLogs: a repeated Sid
		// synthesized, and CloudFormation would fail to create the policy.
		// A statement written alike in two hooks becomes one statement.
		{"hook statement with a Sid of the hook role's own", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: f, statements: [{sid: WriteHookLogs, actions: [\"lambda:GetAlias\"], resources: [\"arn:aws:lambda:us-east-1:222222222222:function:app:live\"]}]}}]\n",
			`deploy.hooks[0].lambda.statements[0].sid "WriteHookLogs": Relay writes a statement with this Sid into the hook role's policy, which every Lambda hook's statements join, and IAM refuses repeated Sids; choose another sid`},
		{"hook statements of two hooks with one Sid", "deploy:\n  s3: {bucket: site}\n  hooks:\n    - {name: smoke, lambda: {function: f, statements: [{sid: Read, actions: [\"dynamodb:GetItem\"], resources: [\"arn:aws:dynamodb:us-east-1:222222222222:table/t\"]}]}}\n" +
			"    - {name: check, lambda: {function: g, statements: [{sid: Read, actions: [\"dynamodb:Query\"], resources: [\"arn:aws:dynamodb:us-east-1:222222222222:table/u\"]}]}}\n",
			`deploy.hooks[1].lambda.statements[0].sid "Read": also the sid of deploy.hooks[0].lambda.statements[0], another statement: every Lambda hook's statements join one policy, the hook role's, and IAM refuses repeated Sids; choose another sid`},
		{"hook statements of one hook with one Sid", "deploy:\n  s3: {bucket: site}\n  hooks:\n    - {name: smoke, lambda: {function: f, statements: [{sid: Read, actions: [\"dynamodb:GetItem\"], resources: [\"arn:aws:dynamodb:us-east-1:222222222222:table/t\"]}, {sid: Read, actions: [\"dynamodb:Query\"], resources: [\"arn:aws:dynamodb:us-east-1:222222222222:table/t\"]}]}}\n",
			`deploy.hooks[0].lambda.statements[1].sid "Read": also the sid of deploy.hooks[0].lambda.statements[0], another statement`},
		{"hook statement assuming roles through a wildcard", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: f, statements: [{sid: Probe, actions: [\"sts:*\"], resources: [\"arn:aws:iam::333333333333:role/app-reader\"], reason: \"every STS call of the check\"}]}}]\n",
			`deploy.hooks[0].lambda.statements[0].actions[0] "sts:*": lets the role assume another role and act with that role's permissions (role chaining), beyond what its own statements grant`},
	})
}

// TestUserParametersFromSettings pins deploy-time kind 9 for JSON: a setting
// that fills a placeholder of a Lambda hook's userParameters is encoded for
// JSON, so a value with quotes sets one string and adds no key; a template
// that is not JSON cannot say where a value ends and is refused.
func TestUserParametersFromSettings(t *testing.T) {
	const base = `name: shop
tooling: {account: "111111111111", region: us-east-1}
source: {github: {repository: acme/shop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1], settings: {path: 'x", "admin": true, "y": "'}}
deploy:
  s3: {bucket: site}
`
	cfg, err := Parse("relay.yaml", []byte(base+"  hooks: [{name: smoke, lambda: {function: f, userParameters: '{\"path\": \"${path}\"}'}}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := cfg.ReleaseFor(cfg.Environments[0], "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]interface{}
	if err := json.Unmarshal([]byte(d.Hooks[0].Lambda.UserParameters), &got); err != nil {
		t.Fatalf("userParameters %q is not JSON: %v", d.Hooks[0].Lambda.UserParameters, err)
	}
	if want := map[string]interface{}{"path": `x", "admin": true, "y": "`}; !reflect.DeepEqual(got, want) {
		t.Errorf("userParameters = %v, want one key path with the setting as its value: %v", got, want)
	}
	_, err = Parse("relay.yaml", []byte(base+"  hooks: [{name: smoke, lambda: {function: f, userParameters: 'path=${path}'}}]\n"))
	if want := `deploy.hooks[0].lambda.userParameters "path=${path}": uses a ${...} placeholder outside a JSON document`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Parse() error = %v\nwant it to contain %q", err, want)
	}
}

// TestUserParametersPlaceholders checks every place a Lambda invoke's
// userParameters is written (hooks, steps, an environment's steps): a
// setting in a JSON template reaches the function as one string value; a
// placeholder outside a JSON document is refused, since the value would
// otherwise be JSON-escaped into text that is not JSON (the function would
// receive backslashes the setting does not have).
func TestUserParametersPlaceholders(t *testing.T) {
	const base = `name: shop
tooling: {account: "111111111111", region: us-east-1}
source: {github: {repository: acme/shop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
deploy:
  s3: {bucket: site}
`
	const env = `  - {name: staging, account: "222222222222", regions: [us-east-1], settings: {path: 'x", "admin": true, "y": "'}%s}
`
	const setting = `x", "admin": true, "y": "`
	tests := []struct {
		name, yaml, field string
		params            func(x Expanded) string
	}{
		{"hook", "  hooks: [{name: smoke, lambda: {function: f, userParameters: '%s'}}]\nenvironments:\n" + fmt.Sprintf(env, ""),
			"deploy.hooks[0].lambda.userParameters", func(x Expanded) string { return x.Deploy.Hooks[0].Lambda.UserParameters }},
		{"step", "steps: [{name: notify, lambda: {function: f, userParameters: '%s'}}]\nenvironments:\n" + fmt.Sprintf(env, ""),
			"steps[0].lambda.userParameters", func(x Expanded) string { return x.Steps[0].Lambda.UserParameters }},
		{"environment step", "environments:\n" + fmt.Sprintf(env, ", steps: [{name: notify, lambda: {function: f, userParameters: '%s'}}]"),
			"environments[0].steps[0].lambda.userParameters", func(x Expanded) string { return x.Environment.Steps[0].Lambda.UserParameters }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("relay.yaml", []byte(base+fmt.Sprintf(tt.yaml, `{"path": "${path}"}`)))
			if err != nil {
				t.Fatal(err)
			}
			x, err := cfg.Expand(0, "us-east-1")
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]interface{}
			if err := json.Unmarshal([]byte(tt.params(x)), &got); err != nil {
				t.Fatalf("userParameters %q is not JSON: %v", tt.params(x), err)
			}
			if want := map[string]interface{}{"path": setting}; !reflect.DeepEqual(got, want) {
				t.Errorf("userParameters = %v, want one key path with the setting as its value: %v", got, want)
			}
			_, err = Parse("relay.yaml", []byte(base+fmt.Sprintf(tt.yaml, `path=${path}`)))
			if want := tt.field + ` "path=${path}": uses a ${...} placeholder outside a JSON document`; err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Parse() error = %v\nwant it to contain %q", err, want)
			}
		})
	}
}

// TestHookStatementWrittenAlike: one statement written alike in two Lambda
// hooks (the same sid, actions, conditions and reason) becomes one
// statement of the hook role's policy with the resources of both, so its
// sid is not repeated there and the configuration is accepted.
func TestHookStatementWrittenAlike(t *testing.T) {
	const hooks = "deploy:\n  s3: {bucket: site}\n  hooks:\n" +
		"    - {name: smoke, lambda: {function: f, statements: [{sid: Read, actions: [\"dynamodb:GetItem\"], resources: [\"arn:aws:dynamodb:us-east-1:222222222222:table/t\"]}]}}\n" +
		"    - {name: check, lambda: {function: g, statements: [{sid: Read, actions: [\"dynamodb:GetItem\"], resources: [\"arn:aws:dynamodb:us-east-1:222222222222:table/u\"]}]}}\n"
	base := strings.Replace(releaseBase, `, settings: {tl: "arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65"}`, "", 1)
	if _, err := Parse("relay.yaml", []byte(base+hooks)); err != nil {
		t.Errorf("Parse(): %v", err)
	}
}
