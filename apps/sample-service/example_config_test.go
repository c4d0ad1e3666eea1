package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/relaytest"
)

// TestExampleConfigDeploysThisService checks that Relay's embedded example
// configuration and this app fit together: it builds with this buildspec,
// deploys this stack, sets only parameters the template has (the job
// result role being the one Relay creates), runs this smoke test as its
// hook, and lets CloudFormation create what the stack holds.
func TestExampleConfigDeploysThisService(t *testing.T) {
	cfg, err := config.Parse("example.yaml", config.Example())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Build.Buildspec, "apps/sample-service/buildspec.yml"; got != want {
		t.Errorf("build.buildspec = %q, want %q", got, want)
	}
	if cfg.Deploy.StackName != defaultStackName {
		t.Errorf("deploy.stackName = %q, want this app's stack %q", cfg.Deploy.StackName, defaultStackName)
	}
	_, stack := testApp(cfg.Deploy.StackName)
	tpl := relaytest.JSON(t, stack)
	params := tpl["Parameters"].(map[string]interface{})
	jobResults := delivery.Names(cfg).JobResultsRoleArn()
	for _, env := range cfg.Environments {
		for _, k := range slices.Sorted(maps.Keys(env.Parameters)) {
			if _, ok := params[k]; !ok {
				t.Errorf("environments %s: parameter %s is not a parameter of the template", env.Name, k)
			}
		}
		if got := env.Parameters["JobResultRoleArn"]; got != jobResults {
			t.Errorf("environments %s: JobResultRoleArn = %q, want the role Relay creates, %q", env.Name, got, jobResults)
		}
		if got, want := env.Parameters["HookRoleArn"], delivery.Names(cfg).HookRoleArn(env.Account, env.Name); got != want {
			t.Errorf("environments %s: HookRoleArn = %q, want the hook role Relay creates there, %q", env.Name, got, want)
		}
		if got, want := env.Parameters["PermissionsBoundaryArn"], delivery.Names(cfg).PermissionsBoundaryArn(env.Account, env.Name); got != want {
			t.Errorf("environments %s: PermissionsBoundaryArn = %q, want the boundary Relay creates there, %q", env.Name, got, want)
		}
	}
	var hooks []string
	for _, h := range cfg.Deploy.Hooks {
		if h.Lambda != nil {
			hooks = append(hooks, h.Lambda.Function)
		}
	}
	if want := []string{defaultStackName + "-smoke-test"}; !slices.Equal(hooks, want) {
		t.Errorf("Lambda hooks = %v, want this app's smoke test %v", hooks, want)
	}
	// The hook role may invoke the live alias the smoke test checks, in
	// each environment's account and region, and nothing else of the stack.
	for _, env := range cfg.Environments {
		d, err := cfg.ReleaseFor(env, env.Regions[0])
		if err != nil {
			t.Fatal(err)
		}
		want := "lambda:InvokeFunction arn:aws:lambda:" + env.Regions[0] + ":" + env.Account + ":function:" + defaultStackName + "-api:live"
		var got []string
		for _, s := range d.Hooks[0].Lambda.Statements {
			got = append(got, strings.Join(s.Actions, ",")+" "+strings.Join(s.Resources, ","))
		}
		if !slices.Equal(got, []string{want}) {
			t.Errorf("environments %s: the smoke test's statements %q, want %q", env.Name, got, want)
		}
	}
	// Every role of the stack carries that boundary: Relay's execution role
	// may create roles only with it.
	for id, r := range tpl["Resources"].(map[string]interface{}) {
		r := r.(map[string]interface{})
		if r["Type"] == "AWS::IAM::Role" {
			if b := r["Properties"].(map[string]interface{})["PermissionsBoundary"]; fmt.Sprint(b) != "map[Ref:PermissionsBoundaryArn]" {
				t.Errorf("role %s: PermissionsBoundary = %v, want the PermissionsBoundaryArn parameter", id, b)
			}
		}
	}
	// Every service the stack's resources belong to has a statement in the
	// execution policy.
	granted := map[string]bool{}
	for _, s := range cfg.Deploy.ExecutionPolicy.Statements {
		for _, a := range s.Actions {
			granted[strings.SplitN(a, ":", 2)[0]] = true
		}
	}
	service := map[string]string{"Lambda": "lambda", "IAM": "iam", "CodeDeploy": "codedeploy", "CloudWatch": "cloudwatch", "Logs": "logs"}
	for id, r := range tpl["Resources"].(map[string]interface{}) {
		typ := r.(map[string]interface{})["Type"].(string)
		svc, ok := service[strings.Split(typ, "::")[1]]
		if !ok {
			t.Errorf("%s: resource type %s has no service in this test's table", id, typ)
			continue
		}
		if !granted[svc] {
			t.Errorf("%s (%s): the example's execution policy grants nothing on %s", id, typ, svc)
		}
	}
}
