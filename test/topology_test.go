package test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/limits"
)

// resourcesOf are the resources of a golden stack's template, by logical ID.
func resourcesOf(t *testing.T, stack string) map[string]map[string]interface{} {
	t.Helper()
	tpl, ok := templates(t)[stack]
	if !ok {
		t.Fatalf("no template for stack %s", stack)
	}
	out := map[string]map[string]interface{}{}
	for id, r := range tpl["Resources"].(map[string]interface{}) {
		out[id] = r.(map[string]interface{})
	}
	return out
}

// roleNamed is the logical ID and properties of the role named name.
func roleNamed(t *testing.T, res map[string]map[string]interface{}, name string) (string, map[string]interface{}) {
	t.Helper()
	for id, r := range res {
		if p, _ := r["Properties"].(map[string]interface{}); r["Type"] == "AWS::IAM::Role" && p["RoleName"] == name {
			return id, p
		}
	}
	t.Fatalf("no role named %s", name)
	return "", nil
}

// roleStatements are the statements of the inline policies attached to the role
// with logical ID role.
func roleStatements(res map[string]map[string]interface{}, role string) []map[string]interface{} {
	var out []map[string]interface{}
	for _, r := range res {
		p, _ := r["Properties"].(map[string]interface{})
		if r["Type"] != "AWS::IAM::Policy" {
			continue
		}
		raw, _ := json.Marshal(p["Roles"])
		if !strings.Contains(string(raw), `"`+role+`"`) {
			continue
		}
		for _, s := range p["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
			out = append(out, s.(map[string]interface{}))
		}
	}
	return out
}

// arnLike reports whether arn matches an IAM ARN pattern (* and ?).
func arnLike(pattern, arn string) bool {
	re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(pattern)) + "$"
	return regexp.MustCompile(re).MatchString(arn)
}

// TestStepRoleGrants pins the cross-account grants of the step roles of
// examples/terraform.yaml, both sides: each step role in the target account
// trusts the tooling account only for its own step's project role (an ARN
// condition), may do exactly what the config's statements say (expanded for
// its account), and nothing IAM would let it escalate with; each project
// role in the tooling account (one per environment: the steps are
// top-level steps with a role) may assume its own environment's role of
// its step, and no other step's or environment's.
func TestStepRoleGrants(t *testing.T) {
	tooling := resourcesOf(t, "networking-tooling")
	for _, env := range []struct{ name, account string }{{"dev", "222222222222"}, {"prod", "333333333333"}} {
		target := resourcesOf(t, "networking-"+env.name)
		for _, step := range []string{"plan", "apply"} {
			roleName := fmt.Sprintf("networking-%s-%s-step", env.name, step)
			roleArn := fmt.Sprintf("arn:aws:iam::%s:role/relay/networking/%s", env.account, roleName)
			project := fmt.Sprintf("networking-%s-step-%s", env.name, step)
			projectRole := "arn:aws:iam::111111111111:role/" + project
			id, props := roleNamed(t, target, roleName)
			if props["Path"] != "/relay/networking/" {
				t.Errorf("%s: path %v", roleName, props["Path"])
			}
			trust, _ := json.Marshal(props["AssumeRolePolicyDocument"])
			if want := `"Condition":{"ArnEquals":{"aws:PrincipalArn":"` + projectRole + `"}}`; !strings.Contains(string(trust), want) ||
				!strings.Contains(string(trust), `":iam::111111111111:root"`) || strings.Count(string(trust), `"Principal"`) != 1 {
				t.Errorf("%s trusts %s; want the tooling account pinned to %s", roleName, trust, projectRole)
			}
			for _, st := range roleStatements(target, id) {
				raw, _ := json.Marshal(st)
				if strings.Contains(string(raw), `"iam:`) {
					t.Errorf("%s may call IAM: %s", roleName, raw)
				}
				if strings.Contains(string(raw), "tfstate-") && !strings.Contains(string(raw), "tfstate-"+env.account) {
					t.Errorf("%s reaches another account's state: %s", roleName, raw)
				}
			}
			sids := []string{}
			for _, st := range roleStatements(target, id) {
				sids = append(sids, fmt.Sprint(st["Sid"]))
			}
			want := map[string][]string{"plan": {"ReadNetwork", "ReadState"}, "apply": {"ChangeNetwork", "State", "Lock"}}[step]
			if !slices.Equal(sids, want) {
				t.Errorf("%s's statements %v, want the config's %v", roleName, sids, want)
			}

			// The other side: the project role may assume this role, and the
			// other step's project role and the other environment's may not.
			pid, _ := roleNamed(t, tooling, project)
			if !mayAssume(roleStatements(tooling, pid), roleArn) {
				t.Errorf("%s may not assume %s", project, roleArn)
			}
			otherEnv := map[string]string{"dev": "prod", "prod": "dev"}[env.name]
			for _, other := range []string{
				fmt.Sprintf("networking-%s-step-%s", env.name, map[string]string{"plan": "apply", "apply": "plan"}[step]),
				fmt.Sprintf("networking-%s-step-%s", otherEnv, step),
			} {
				if oid, _ := roleNamed(t, tooling, other); mayAssume(roleStatements(tooling, oid), roleArn) {
					t.Errorf("%s may assume %s", other, roleArn)
				}
			}
		}
	}
}

// mayAssume reports whether statements allow sts:AssumeRole on arn.
func mayAssume(statements []map[string]interface{}, arn string) bool {
	for _, st := range statements {
		if fmt.Sprint(st["Action"]) != "sts:AssumeRole" {
			continue
		}
		for _, r := range list(st["Resource"]) {
			if s, ok := r.(string); ok && arnLike(s, arn) {
				return true
			}
		}
	}
	return false
}

// TestActionConfigurationValues requires every action configuration value
// of every golden pipeline to stay under CodePipeline's 1,000 characters,
// measured as deployed (limits.ConfigurationLength).
func TestActionConfigurationValues(t *testing.T) {
	max := limits.Max(limits.ActionConfiguration)
	checked := 0
	for name, tpl := range templates(t) {
		for _, r := range tpl["Resources"].(map[string]interface{}) {
			r := r.(map[string]interface{})
			if r["Type"] != "AWS::CodePipeline::Pipeline" {
				continue
			}
			for _, s := range r["Properties"].(map[string]interface{})["Stages"].([]interface{}) {
				st := s.(map[string]interface{})
				for _, a := range st["Actions"].([]interface{}) {
					am := a.(map[string]interface{})
					cfg, _ := am["Configuration"].(map[string]interface{})
					for key, v := range cfg {
						checked++
						if n := limits.ConfigurationLength(v); n >= max {
							t.Errorf("%s %s/%s: %s has %d characters; CodePipeline takes at most %d", name, st["Name"], am["Name"], key, n, max)
						}
					}
				}
			}
		}
	}
	if checked < 500 {
		t.Errorf("only %d configuration values checked", checked)
	}
}

// TestAppRejectsBadTopology runs the app on a configuration with the
// topology mistakes the issue lists: each is named with its field, value
// and fix on its line, and no template is written.
func TestAppRejectsBadTopology(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "relay.yaml")
	long := strings.Repeat("x", 120)
	if err := os.WriteFile(cfg, []byte(`name: shop
tooling: {account: "111111111111", region: us-east-1}
organization: {id: o-a1b2c3d4e5}
source: {github: {repository: acme/shop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}
  stacks:
    - {name: network, stackName: "shop-${env}-${suffix}", templatePath: network.yaml, dependsOn: [service]}
    - {name: service, stackName: "shop-${env}-service", templatePath: service.yaml, dependsOn: [network, database]}
steps:
  - {name: smoke, codeBuild: {inputs: [source]}}
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1], settings: {suffix: `+long+`}}
  - {name: members, organizationalUnits: [ou-ab12-cd34ef56], regions: [us-east-1]}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	outdir := filepath.Join(dir, "cdk.out")
	stderr, err := runApp(t, appBinary(t), cfg, outdir)
	if err == nil {
		t.Fatalf("app exited 0 for an invalid config; stderr:\n%s", stderr)
	}
	for _, want := range []string{
		cfg + `:7: deploy.stacks "network,service": deploy to account environments only, and environments[1] "members" (organizationalUnits) deploy one StackSet with one template`,
		cfg + `:7: deploy.stacks "network -> service -> network": the dependsOn lists make a cycle, so no stack could start; remove one of these dependencies`,
		cfg + `:8: deploy.stacks[0].stackName "shop-${env}-${suffix}": expands to "shop-staging-` + long + `" for environments[0] "staging" in us-east-1, 133 characters; CloudFormation takes at most 128`,
		cfg + `:9: deploy.stacks[1].dependsOn "database": names no other entry of deploy.stacks or of steps`,
		cfg + `:11: steps[0].codeBuild.buildspec "": required: the path of the step's buildspec file in its first input`,
		"no templates were written",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q; got:\n%s", want, stderr)
		}
	}
	if entries, _ := os.ReadDir(outdir); len(entries) > 0 {
		t.Errorf("the app wrote %d files to %s for an invalid config", len(entries), outdir)
	}
}
