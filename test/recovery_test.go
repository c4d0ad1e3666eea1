package test

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/naming"
	"github.com/relaycdk/relay/constructs/wiring"
	"github.com/relaycdk/relay/internal/iameval"
)

// recoveryStack is one stack that the recovery function may have to
// delete: environment env's stack of component (a deploy.stacks name, ""
// for the one workload) in region, under its resolved name, created by
// change sets through the execution role exec.
type recoveryStack struct {
	env, account, region, component, name, exec string
}

func (s recoveryStack) String() string { return s.env + " " + s.region + " stack " + s.name }

// recoveryStacks are the stacks of cfg that its pipeline deploys by change
// sets to account environments, one per environment, region and stack.
// Names are resolved by config.Expand and Deploy.Components, as package
// delivery resolves them for the deploy actions and the deploy role; the
// execution role is the environment's (naming.ExecutionRoleArn) or, for a
// stack with an executionPolicy of its own, the stack's
// (naming.StackExecutionRoleArn).
func recoveryStacks(t *testing.T, cfg *config.Config) []recoveryStack {
	t.Helper()
	n := delivery.Names(cfg)
	var out []recoveryStack
	for i, e := range cfg.Environments {
		if e.Account == "" {
			continue // a StackSet or tooling environment: no change set of its own
		}
		for _, region := range e.Regions {
			x, err := cfg.Expand(i, region)
			if err != nil {
				t.Fatalf("%s: environment %s in %s: %v", cfg.Name, e.Name, region, err)
			}
			for _, c := range x.Deploy.Components() {
				if !c.IsStack() {
					continue
				}
				s := recoveryStack{env: e.Name, account: e.Account, region: region, component: c.Name, name: c.StackName,
					exec: n.ExecutionRoleArn(e.Account, e.Name)}
				if c.ExecutionPolicy != nil {
					s.exec = n.StackExecutionRoleArn(e.Account, e.Name, c.Name)
				}
				out = append(out, s)
			}
		}
	}
	return out
}

// envProbe is what checkRecovery and checkChangeSets try with environment
// e's deploy role: its own stacks (env, region, name, execution role), the
// stack names to try (every environment's, near misses of its own, the
// tooling and target stacks, someone else's) and the execution roles to
// pass (none, the environment's, an administrator role, every execution
// role of its account, other environments' too), sorted and unique.
type envProbe struct {
	own                []recoveryStack
	want               map[[3]string]bool // region, name, execution role of its own stacks
	ownNames, ownRoles map[string]bool
	names, roles       []string
}

// probeRegions are the regions the permission matrices try: every region
// any stack or store of cfg is in, and one of none (ap-southeast-2), sorted.
func probeRegions(cfg *config.Config) []string {
	regions := []string{cfg.Tooling.Region, "ap-southeast-2"}
	for _, e := range cfg.Environments {
		regions = append(regions, e.Regions...)
	}
	return slices.Compact(slices.Sorted(slices.Values(regions)))
}

// probeEnv is e's envProbe among stacks (recoveryStacks of cfg, named by n).
func probeEnv(cfg *config.Config, n naming.Names, e config.Environment, stacks []recoveryStack) envProbe {
	p := envProbe{want: map[[3]string]bool{}, ownNames: map[string]bool{}, ownRoles: map[string]bool{}}
	p.roles = []string{"", n.ExecutionRoleArn(e.Account, e.Name), fmt.Sprintf("arn:%s:iam::%s:role/admin", cfg.Partition(), e.Account)}
	for _, s := range stacks {
		p.names = append(p.names, s.name)
		if s.account == e.Account {
			p.roles = append(p.roles, s.exec)
		}
		if s.env != e.Name {
			continue
		}
		p.own = append(p.own, s)
		p.want[[3]string{s.region, s.name, s.exec}] = true
		p.ownNames[s.name], p.ownRoles[s.exec] = true, true
		p.names = append(p.names, s.name+"-x", s.name[:len(s.name)-1])
	}
	p.names = append(p.names, n.ToolingStack(), n.TargetStack(e.Name), "someone-elses-stack")
	p.names = slices.Compact(slices.Sorted(slices.Values(p.names)))
	p.roles = slices.Compact(slices.Sorted(slices.Values(p.roles)))
	return p
}

// matrixCount counts what checkRecovery and checkChangeSets checked.
type matrixCount struct {
	configs, envs, stacks, requests, actions int
}

func (c *matrixCount) add(o matrixCount) {
	c.configs, c.envs, c.stacks, c.requests, c.actions = c.configs+o.configs, c.envs+o.envs, c.stacks+o.stacks, c.requests+o.requests, c.actions+o.actions
}

// TestRecoveryPermissions evaluates what the recovery function (package
// recovery) may do in every golden configuration that deploys stacks by
// change sets to account environments: one workload stack or deploy.stacks,
// names with placeholders (${env}, ${region}, settings) resolved as the
// constructs resolve them, stacks with the environment's execution role or
// one of their own. See checkRecovery for what it checks. It fails when no
// golden configuration has one of the shapes it must cover.
func TestRecoveryPermissions(t *testing.T) {
	var total matrixCount
	shapes := map[string]bool{}
	for _, cfg := range goldenConfigs(t) {
		stacks := recoveryStacks(t, cfg)
		if len(stacks) == 0 {
			continue
		}
		regions, ownRole := false, false
		for _, e := range cfg.Environments {
			regions = regions || (e.Account != "" && len(e.Regions) > 1)
		}
		raw := []string{cfg.Deploy.StackName}
		for _, x := range cfg.Deploy.Stacks {
			raw = append(raw, x.StackName)
			ownRole = ownRole || (x.IsStack() && x.ExecutionPolicy != nil)
		}
		shapes["one workload stack"] = shapes["one workload stack"] || len(cfg.Deploy.Stacks) == 0
		shapes["deploy.stacks"] = shapes["deploy.stacks"] || len(cfg.Deploy.Stacks) > 0
		shapes["a stack with an execution role of its own"] = shapes["a stack with an execution role of its own"] || ownRole
		shapes["deploy.stacks with a stack's own execution role, in several regions"] = shapes["deploy.stacks with a stack's own execution role, in several regions"] || (ownRole && regions)
		for _, s := range raw {
			for _, p := range []string{"${env}", "${region}"} {
				shapes["a stack name with "+p] = shapes["a stack name with "+p] || strings.Contains(s, p)
			}
		}
		t.Run(cfg.Name, func(t *testing.T) { total.add(checkRecovery(t, cfg, goldenDir(t, cfg))) })
	}
	t.Logf("recovery checked in %d configurations: %d environments, %d stacks (environment, region, stack), %d requests evaluated, %d CloudFormation actions through recover.py",
		total.configs, total.envs, total.stacks, total.requests, total.actions)
	for _, shape := range []string{"one workload stack", "deploy.stacks", "a stack with an execution role of its own",
		"deploy.stacks with a stack's own execution role, in several regions", "a stack name with ${env}", "a stack name with ${region}"} {
		if !shapes[shape] {
			t.Errorf("no golden configuration has %s: add one to test/testdata/configs so that recovery is checked for it", shape)
		}
	}
}

// checkRecovery evaluates, with internal/iameval over the cloud assembly
// dir of cfg, what the recovery function may do:
//   - it reads the pipeline, and may not delete its own stacks (the
//     tooling stack and its replica stacks) nor any workload stack itself;
//   - it assumes each environment's deploy role, whose trust admits no
//     other role of the tooling account than the pipeline's (and an EKS
//     environment's Helm role);
//   - for every environment, region, stack name and execution role, the
//     deploy role may delete exactly the stacks the environment deploys
//     there under that name, when the request passes the execution role the
//     stack is created with (the environment's, or the stack's own): not
//     without one, not through another role (Relay intends each stack to be
//     deleted only through its own execution role, also when another stack
//     of the environment has another one), not another environment's or
//     anyone's stack, not in another region.
//
// It also runs the function's own code (stack_action of recover.py) on
// the synthesized pipeline for each CloudFormation action: the deploy role
// it assumes and the RoleARN it passes to DeleteStack must be the
// environment's deploy role and that stack's execution role.
func checkRecovery(t *testing.T, cfg *config.Config, dir string) matrixCount {
	t.Helper()
	count := matrixCount{configs: 1}
	stacks := recoveryStacks(t, cfg)
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
	recoveryRole := iameval.Principal{ARN: n.RecoveryRoleArn()}
	stackArn := func(region, account, name string) string {
		return fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d", partition, region, account, name)
	}
	roleArn := func(account, name string) string {
		return fmt.Sprintf("arn:%s:iam::%s:role/%s", partition, account, name)
	}
	deleteStack := func(who, region, account, name, exec string) iameval.Request {
		r := iameval.Request{Principal: iameval.Principal{ARN: who}, Action: "cloudformation:DeleteStack", Resource: stackArn(region, account, name)}
		if exec != "" {
			r.Context = map[string][]string{"cloudformation:RoleArn": {exec}}
		}
		return r
	}
	expect := func(what string, r iameval.Request, want bool) {
		t.Helper()
		count.requests++
		if d := w.Authorize(r); d.Allowed != want {
			t.Errorf("%s: %v, want allowed=%v", what, d, want)
		}
	}

	regions := probeRegions(cfg)

	expect("the recovery function reads the pipeline", iameval.Request{Principal: recoveryRole, Action: "codepipeline:GetPipeline",
		Resource: fmt.Sprintf("arn:%s:codepipeline:%s:%s:%s", partition, cfg.Tooling.Region, cfg.Tooling.Account, n.Pipeline())}, true)
	for _, region := range regions {
		name := n.ToolingStack()
		if region != cfg.Tooling.Region {
			name += "-" + region
		}
		for _, exec := range []string{"", roleArn(cfg.Tooling.Account, "admin")} {
			expect(fmt.Sprintf("the recovery function may not delete its own stack %s in %s", name, region),
				deleteStack(recoveryRole.ARN, region, cfg.Tooling.Account, name, exec), false)
		}
	}

	for _, e := range cfg.Environments {
		p := probeEnv(cfg, n, e, stacks)
		own, want, ownNames, ownRoles := p.own, p.want, p.ownNames, p.ownRoles
		if len(own) == 0 {
			continue
		}
		count.envs++
		count.stacks += len(own)
		deploy := n.DeployRoleArn(e.Account, e.Name)
		role, ok := w.Roles[deploy]
		if !ok || role.Trust == nil {
			t.Errorf("%s: the deploy role %s is not in the assembly", e.Name, deploy)
			continue
		}

		// Who assumes the deploy role.
		expect(e.Name+": the recovery function assumes the deploy role", iameval.Request{Principal: recoveryRole, Action: "sts:AssumeRole", Resource: deploy}, true)
		trusted := map[string]bool{n.PipelineRoleArn(): true, recoveryRole.ARN: true}
		if x, err := cfg.ReleaseFor(e, e.Regions[0]); err == nil {
			for _, c := range x.Components() {
				if c.EKS != nil && c.EKS.Helm != nil {
					trusted[n.HelmRoleArn(e.Name)] = true
				}
			}
		}
		candidates := []string{roleArn(cfg.Tooling.Account, "admin"), "arn:" + partition + ":iam::" + cfg.Tooling.Account + ":root"}
		for arn, r := range w.Roles {
			if r.Account == cfg.Tooling.Account {
				candidates = append(candidates, arn)
			}
		}
		for _, c := range slices.Compact(slices.Sorted(slices.Values(candidates))) {
			count.requests++
			r := iameval.Request{Principal: iameval.Principal{ARN: c, OrgID: w.OrgID}, Action: "sts:AssumeRole", Resource: deploy}
			if len(w.OrgPaths) > 0 {
				r.Context = map[string][]string{"aws:PrincipalOrgPaths": w.OrgPaths}
			}
			m := role.Trust.Match(r)
			if m.Allow != trusted[c] {
				t.Errorf("%s: the deploy role's trust admits %s: %v, want %v (only the pipeline's, the recovery function's and an EKS environment's Helm role)", e.Name, c, m.Allow, trusted[c])
			}
		}

		// What the deploy role may delete: exactly its stacks, each in its
		// region through its execution role.
		for _, region := range regions {
			for _, name := range p.names {
				for _, exec := range p.roles {
					key := [3]string{region, name, exec}
					why := "its stack, through its execution role"
					switch {
					case want[key]:
					case exec == "":
						why = "not without an execution role"
					case !ownNames[name]:
						why = "not a stack of " + e.Name
					case !slices.ContainsFunc(own, func(s recoveryStack) bool { return s.region == region && s.name == name }):
						why = "not in a region where " + e.Name + " deploys " + name
					case ownRoles[exec]:
						why = "not through another stack's execution role"
					default:
						why = "not through a role that did not create it"
					}
					via := exec
					if via == "" {
						via = "no role"
					}
					expect(fmt.Sprintf("%s %s stack %s through %s: %s", e.Name, region, name, via, why),
						deleteStack(deploy, region, e.Account, name, exec), want[key])
				}
			}
		}
		for _, s := range own {
			expect(s.String()+": the recovery function may not delete it without the deploy role", deleteStack(recoveryRole.ARN, s.region, s.account, s.name, s.exec), false)
		}
	}
	count.actions = checkRecoveryCode(t, cfg, resolved, stacks)
	return count
}

// checkRecoveryCode runs stack_action of recover.py, the function's own
// code, on the pipeline of resolved as GetPipeline returns it, for every
// CloudFormation action: the action it reads must be the environment's
// deploy role's, in the stack's region, and the RoleARN it passes to
// DeleteStack the stack's execution role. Every stack of stacks must be
// deployed by such an action. It returns how many actions it checked.
func checkRecoveryCode(t *testing.T, cfg *config.Config, resolved []wiring.ResolvedStack, stacks []recoveryStack) int {
	t.Helper()
	n := delivery.Names(cfg)
	var pipeline map[string]interface{}
	for _, st := range resolved {
		for _, r := range st.Resources {
			if st.Name == n.ToolingStack() && r.Type == "AWS::CodePipeline::Pipeline" && r.Properties["Name"] == n.Pipeline() {
				pipeline = getPipeline(r.Properties)
			}
		}
	}
	if pipeline == nil {
		t.Errorf("%s: no pipeline %s", n.ToolingStack(), n.Pipeline())
		return 0
	}
	type call struct {
		Stage  string `json:"stage"`
		Action string `json:"action"`
	}
	var calls []call
	for _, s := range pipeline["stages"].([]interface{}) {
		stage := s.(map[string]interface{})
		for _, a := range stage["actions"].([]interface{}) {
			action := a.(map[string]interface{})
			if action["actionTypeId"].(map[string]interface{})["provider"] == "CloudFormation" {
				calls = append(calls, call{stage["name"].(string), action["name"].(string)})
			}
		}
	}
	type picked struct {
		Stack   string `json:"stack"`
		RoleArn string `json:"roleArn"`
		Region  string `json:"region"`
		Exec    string `json:"exec"`
	}
	var got []picked
	runPython(t, recoveryDriver, map[string]interface{}{"pipeline": pipeline, "calls": calls}, &got)
	if len(got) != len(calls) {
		t.Fatalf("recover.py answered %d of %d actions", len(got), len(calls))
	}
	deployed := map[recoveryStack]bool{}
	for k, c := range calls {
		g := got[k]
		if g.Region == "" {
			g.Region = cfg.Tooling.Region // the event's region: the pipeline's
		}
		i := slices.IndexFunc(stacks, func(s recoveryStack) bool {
			return n.DeployRoleArn(s.account, s.env) == g.RoleArn && s.region == g.Region && s.name == g.Stack
		})
		if i < 0 {
			t.Errorf("stage %s action %s: recover.py reads stack %s in %s as %s, not a stack of an environment's deploy role", c.Stage, c.Action, g.Stack, g.Region, g.RoleArn)
			continue
		}
		s := stacks[i]
		deployed[s] = true
		if g.Exec != s.exec {
			t.Errorf("%s (stage %s action %s): recover.py passes RoleARN %q to DeleteStack; the stack is created with %s", s, c.Stage, c.Action, g.Exec, s.exec)
		}
	}
	for _, s := range stacks {
		if !deployed[s] {
			t.Errorf("%s: no CloudFormation action of the pipeline deploys it as %s", s, n.DeployRoleArn(s.account, s.env))
		}
	}
	return len(calls)
}

// getPipeline is the pipeline whose AWS::CodePipeline::Pipeline properties
// are props, as CodePipeline's GetPipeline returns it (the fields recover.py
// reads): stages[].name and .actions[] with name, actionTypeId,
// configuration, roleArn and region (when set).
func getPipeline(props map[string]interface{}) map[string]interface{} {
	var stages []interface{}
	for _, s := range list(props["Stages"]) {
		stage, _ := s.(map[string]interface{})
		var actions []interface{}
		for _, a := range list(stage["Actions"]) {
			action, _ := a.(map[string]interface{})
			typ, _ := action["ActionTypeId"].(map[string]interface{})
			conf, _ := action["Configuration"].(map[string]interface{})
			if conf == nil {
				conf = map[string]interface{}{}
			}
			out := map[string]interface{}{"name": action["Name"], "configuration": conf,
				"actionTypeId": map[string]interface{}{"category": typ["Category"], "owner": typ["Owner"], "provider": typ["Provider"], "version": typ["Version"]}}
			for from, to := range map[string]string{"RoleArn": "roleArn", "Region": "region", "RunOrder": "runOrder"} {
				if v, ok := action[from]; ok {
					out[to] = v
				}
			}
			actions = append(actions, out)
		}
		stages = append(stages, map[string]interface{}{"name": stage["Name"], "actions": actions})
	}
	return map[string]interface{}{"name": props["Name"], "stages": stages}
}

// recoveryDriver calls stack_action of recover.py (in the folder argv[1])
// for each {stage, action} of the JSON on stdin and prints what the handler
// would use: the stack, the deploy role it assumes, the region and the
// RoleARN it passes. boto3 is stubbed: stack_action calls no AWS API (the
// calls themselves run against moto in package recovery).
const recoveryDriver = `
import json, sys, types
sys.modules.setdefault("boto3", types.ModuleType("boto3"))
sys.path.insert(0, sys.argv[1])
import recover
req = json.load(sys.stdin)
out = []
for c in req["calls"]:
    a, role = recover.stack_action(req["pipeline"], c["stage"], c["action"])
    a = a or {}
    out.append({"stack": a.get("configuration", {}).get("StackName", ""), "roleArn": a.get("roleArn", ""),
                "region": a.get("region", ""), "exec": role or ""})
json.dump(out, sys.stdout)
`

// runPython runs script with python3 (argument: the folder of recover.py),
// in as JSON on stdin, and decodes its stdout into out.
func runPython(t *testing.T, script string, in, out interface{}) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is needed to run the recovery function's code; install Python 3")
	}
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", script, filepath.Join("..", "constructs", "recovery"))
	cmd.Stdin = strings.NewReader(string(raw))
	cmd.Env = append(cmd.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	stdout, err := cmd.Output()
	if err != nil {
		msg := err.Error()
		if ee, ok := err.(*exec.ExitError); ok {
			msg += ": " + string(ee.Stderr)
		}
		t.Fatalf("python3 recover.py: %s", msg)
	}
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatalf("python3 recover.py: %v in %s", err, stdout)
	}
}
