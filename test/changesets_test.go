package test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/wiring"
	"github.com/relaycdk/relay/internal/iameval"
)

// TestChangeSetPermissions evaluates, in every golden configuration that
// deploys stacks by change sets to account environments (the same matrix
// as TestRecoveryPermissions: one workload stack or deploy.stacks, names
// with ${env} and ${region}, stacks with the environment's execution role
// or one of their own), what each environment's deploy role may do with
// change sets. See checkChangeSets. It fails when no golden configuration
// has a stack with an execution role of its own beside one with the
// environment's, in several regions.
func TestChangeSetPermissions(t *testing.T) {
	var total matrixCount
	mixed := false
	for _, cfg := range goldenConfigs(t) {
		stacks := recoveryStacks(t, cfg)
		if len(stacks) == 0 {
			continue
		}
		roles, regions := map[string]map[string]bool{}, map[string]map[string]bool{}
		for _, s := range stacks {
			if roles[s.env] == nil {
				roles[s.env], regions[s.env] = map[string]bool{}, map[string]bool{}
			}
			roles[s.env][s.exec], regions[s.env][s.region] = true, true
		}
		for env := range roles {
			mixed = mixed || (len(roles[env]) > 1 && len(regions[env]) > 1)
		}
		t.Run(cfg.Name, func(t *testing.T) { total.add(checkChangeSets(t, cfg, goldenDir(t, cfg), stacks)) })
	}
	t.Logf("change sets checked in %d configurations: %d environments, %d stacks (environment, region, stack), %d requests evaluated, %d CloudFormation actions of the pipelines",
		total.configs, total.envs, total.stacks, total.requests, total.actions)
	if !mixed {
		t.Error("no golden configuration deploys, in several regions, a stack with an execution role of its own beside another execution role: add one to test/testdata/configs")
	}
}

// checkChangeSets evaluates, with internal/iameval over the cloud assembly
// dir of cfg, for every account environment, every region (its own, the
// tooling region and one of none), every stack name (its own, near misses
// of them, other environments' and the tooling and target stacks) and
// every execution role of its account (and none, and another role):
//   - the deploy role may create a change set of a stack exactly when the
//     stack is the environment's in that region and the request passes the
//     execution role that stack is deployed with: not another stack's (the
//     change set would create the stack's resources with that role's
//     permissions), not none (with UPDATE, CloudFormation would reuse the
//     stack's last role), not another environment's;
//   - it may pass to CloudFormation exactly the execution roles of its
//     stacks, and to no other service;
//   - it may execute, describe and delete change sets and describe the
//     stacks of exactly its stacks in their regions;
//   - every CloudFormation action of the pipeline that prepares or executes
//     a change set acts as an environment's deploy role on one of its
//     stacks in its region and, to prepare it, passes that stack's
//     execution role (the calls themselves are evaluated by
//     TestDeployValidity, iameval.PipelinePaths).
//
// Stack names and execution roles are resolved as the constructs resolve
// them (recoveryStacks: config.Expand, naming).
func checkChangeSets(t *testing.T, cfg *config.Config, dir string, stacks []recoveryStack) matrixCount {
	t.Helper()
	count := matrixCount{configs: 1}
	resolved, err := wiring.ReadResolved(dir)
	if err != nil {
		t.Fatal(err)
	}
	w, err := iameval.FromStacks(resolved)
	if err != nil {
		t.Fatal(err)
	}
	n := delivery.Names(cfg)
	partition := cfg.Partition()
	stackArn := func(region, account, name string) string {
		return fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d", partition, region, account, name)
	}
	expect := func(what string, r iameval.Request, want bool) {
		t.Helper()
		count.requests++
		if d := w.Authorize(r); d.Allowed != want {
			t.Errorf("%s: %v, want allowed=%v", what, d, want)
		}
	}

	regions := probeRegions(cfg)
	for _, e := range cfg.Environments {
		p := probeEnv(cfg, n, e, stacks)
		own, want, ownNames, ownRoles := p.own, p.want, p.ownNames, p.ownRoles
		if len(own) == 0 {
			continue
		}
		count.envs++
		count.stacks += len(own)
		deploy := iameval.Principal{ARN: n.DeployRoleArn(e.Account, e.Name)}
		if _, ok := w.Roles[deploy.ARN]; !ok {
			t.Errorf("%s: the deploy role %s is not in the assembly", e.Name, deploy.ARN)
			continue
		}
		manages := map[[2]string]bool{} // region, name
		for _, s := range own {
			manages[[2]string{s.region, s.name}] = true
		}

		for _, region := range regions {
			for _, name := range p.names {
				for _, exec := range p.roles {
					why := "its stack, through its execution role"
					switch {
					case want[[3]string{region, name, exec}]:
					case exec == "":
						why = "not without an execution role"
					case !ownNames[name]:
						why = "not a stack of " + e.Name
					case !manages[[2]string{region, name}]:
						why = "not in a region where " + e.Name + " deploys " + name
					case ownRoles[exec]:
						why = "not through another stack's execution role"
					default:
						why = "not through a role that is not its execution role"
					}
					r := iameval.Request{Principal: deploy, Action: "cloudformation:CreateChangeSet", Resource: stackArn(region, e.Account, name)}
					if exec != "" {
						r.Context = map[string][]string{"cloudformation:RoleArn": {exec}}
					}
					via := exec
					if via == "" {
						via = "no role"
					}
					expect(fmt.Sprintf("%s creates a change set of %s in %s passing %s: %s", e.Name, name, region, via, why), r, want[[3]string{region, name, exec}])
				}
				for _, action := range []string{"ExecuteChangeSet", "DescribeChangeSet", "DeleteChangeSet", "DescribeStacks"} {
					expect(fmt.Sprintf("%s: %s of %s in %s", e.Name, action, name, region),
						iameval.Request{Principal: deploy, Action: "cloudformation:" + action, Resource: stackArn(region, e.Account, name)}, manages[[2]string{region, name}])
				}
			}
		}
		for _, s := range own {
			expect(s.String()+": not a stack of that name in another account", iameval.Request{Principal: deploy, Action: "cloudformation:CreateChangeSet",
				Resource: stackArn(s.region, cfg.Tooling.Account, s.name), Context: map[string][]string{"cloudformation:RoleArn": {s.exec}}}, s.account == cfg.Tooling.Account)
		}
		for _, exec := range p.roles {
			if exec == "" {
				continue
			}
			for _, service := range []string{"cloudformation.amazonaws.com", "lambda.amazonaws.com"} {
				allowed := ownRoles[exec] && service == "cloudformation.amazonaws.com"
				expect(fmt.Sprintf("%s passes %s to %s", e.Name, exec, service), iameval.Request{Principal: deploy, Action: "iam:PassRole", Resource: exec,
					Context: map[string][]string{"iam:PassedToService": {service}}}, allowed)
			}
		}
	}
	count.actions = checkChangeSetActions(t, cfg, resolved, stacks)
	return count
}

// checkChangeSetActions checks each CloudFormation action of the pipeline
// that prepares or executes a change set: it acts as the deploy role of an
// environment, on a stack of that environment in the action's region, and
// prepares the change set passing that stack's execution role. Every stack
// must be prepared and executed by such actions. It returns how many
// actions it checked.
func checkChangeSetActions(t *testing.T, cfg *config.Config, resolved []wiring.ResolvedStack, stacks []recoveryStack) int {
	t.Helper()
	n := delivery.Names(cfg)
	prepared, executed := map[recoveryStack]bool{}, map[recoveryStack]bool{}
	count := 0
	for _, st := range resolved {
		for _, r := range st.Resources {
			if r.Type != "AWS::CodePipeline::Pipeline" || r.Properties["Name"] != n.Pipeline() {
				continue
			}
			for _, s := range list(r.Properties["Stages"]) {
				stage, _ := s.(map[string]interface{})
				for _, a := range list(stage["Actions"]) {
					action, _ := a.(map[string]interface{})
					typ, _ := action["ActionTypeId"].(map[string]interface{})
					conf, _ := action["Configuration"].(map[string]interface{})
					mode, _ := conf["ActionMode"].(string)
					if typ["Provider"] != "CloudFormation" || !strings.HasPrefix(mode, "CHANGE_SET_") {
						continue
					}
					count++
					where := fmt.Sprintf("stage %v action %v", stage["Name"], action["Name"])
					region, _ := action["Region"].(string)
					if region == "" {
						region = st.Region
					}
					i := slices.IndexFunc(stacks, func(s recoveryStack) bool {
						return n.DeployRoleArn(s.account, s.env) == action["RoleArn"] && s.region == region && s.name == conf["StackName"]
					})
					if i < 0 {
						t.Errorf("%s: %s of stack %v in %s as %v, not a stack of that environment's deploy role", where, mode, conf["StackName"], region, action["RoleArn"])
						continue
					}
					s := stacks[i]
					switch mode {
					case "CHANGE_SET_REPLACE":
						prepared[s] = true
						if conf["RoleArn"] != s.exec {
							t.Errorf("%s (%s): prepares the change set passing %v; the stack is deployed with %s", s, where, conf["RoleArn"], s.exec)
						}
					case "CHANGE_SET_EXECUTE":
						executed[s] = true
					}
				}
			}
		}
	}
	for _, s := range stacks {
		if !prepared[s] || !executed[s] {
			t.Errorf("%s: prepared %v, executed %v by the pipeline's CloudFormation actions; want both", s, prepared[s], executed[s])
		}
	}
	return count
}
