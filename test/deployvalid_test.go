package test

import (
	"fmt"
	"os"
	"sort"
	"testing"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/constructs/wiring"
	"github.com/relaycdk/relay/internal/iameval"
)

// caseAssemblies are the cloud assemblies of configurations that are not
// golden (field failure reports) by key, synthesized once per test binary
// and removed by TestMain.
var caseAssemblies = map[string]string{}

// goldenDir is the cloud assembly folder of the golden configuration cfg
// (synthesized once, by assemblies).
func goldenDir(t *testing.T, cfg *config.Config) string {
	t.Helper()
	a, ok := assemblies(t)[cfg.Name]
	if !ok {
		t.Fatalf("%s is not a golden configuration", cfg.Name)
	}
	return a.Dir
}

// assemblyOf synthesizes cfg as apps/relay does into a cloud assembly
// folder, cached under key (a field failure report may share its name with
// a golden configuration).
func assemblyOf(t *testing.T, key string, cfg *config.Config) string {
	t.Helper()
	if dir, ok := caseAssemblies[key]; ok {
		return dir
	}
	app, _ := build(t, cfg)
	var dir string
	relaytest.Do(t, "synth "+cfg.Name, func() { dir = *app.Synth(nil).Directory() })
	caseAssemblies[key] = dir
	return dir
}

func removeAssemblies() {
	for _, dir := range caseAssemblies {
		os.RemoveAll(dir)
	}
}

// worldOf is the IAM world of the resolved stacks of cfg's assembly, in
// cfg's organization: the configuration declares that the target accounts
// sit under its organizational units, so their roles' sessions carry that
// path.
func worldOf(t *testing.T, cfg *config.Config, stacks []wiring.ResolvedStack) *iameval.World {
	t.Helper()
	w, err := iameval.FromStacks(stacks)
	if err != nil {
		t.Fatal(err)
	}
	if o := cfg.Organization; o != nil {
		w.OrgID = o.ID
		for _, ou := range o.OrganizationalUnits {
			w.OrgPaths = append(w.OrgPaths, o.ID+"/r-a1b2/"+ou+"/")
		}
	}
	return w
}

// TestDeployValidity checks, over every example and golden configuration,
// what CloudFormation and CodePipeline would otherwise refuse or fail on at
// run time, on the templates as synthesized:
//   - every quota of package limits: each action configuration value under
//     1,000 characters, policy and template sizes, stages and actions, and
//     every name within its limit and alphabet;
//   - each pipeline trigger is a push filter CodePipeline accepts;
//   - no pipeline has an empty stage, or fewer than two stages;
//   - no policy is attached to a role its stack does not create;
//   - every upload and read that a run makes is allowed by the policies as
//     evaluated (package iameval): each action's role is assumed, and reads
//     and writes its artifacts with the key identifier its service sends,
//     across accounts and regions; each action's role makes the calls of
//     its provider (iameval's providerCalls, from the CodePipeline action
//     reference); the EventBridge rules' roles start their pipeline; a
//     Lambda hook reports its job through the job-results role; and the
//     CodeDeploy instance roles can read with the reader policy Relay
//     gives the team to attach.
func TestDeployValidity(t *testing.T) {
	for _, cfg := range goldenConfigs(t) {
		t.Run(cfg.Name, func(t *testing.T) { checkDeployValid(t, cfg, goldenDir(t, cfg)) })
	}
}

// checkDeployValid is the deploy-validity check of TestDeployValidity on
// the cloud assembly dir of cfg. It returns the evaluated world and the
// access paths it allowed, for checks of one case.
func checkDeployValid(t *testing.T, cfg *config.Config, dir string) (*iameval.World, []iameval.Path) {
	t.Helper()
	overQuota(t, dir, cfg, "quota: ")
	stacks, err := wiring.ReadResolved(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, problem := range templateProblems(stacks) {
		t.Error(problem)
	}
	w := worldOf(t, cfg, stacks)
	paths := append(iameval.PipelinePaths(stacks), iameval.RulePaths(stacks)...)
	paths = append(paths, instanceRolePaths(t, cfg, w)...)
	paths = append(paths, assetReadPaths(cfg, w)...)
	paths = append(paths, jobResultPaths(cfg, w)...)
	if len(paths) < 6 {
		t.Fatalf("only %d access paths found in the templates", len(paths))
	}
	t.Logf("%d access paths allowed", len(paths))
	for _, p := range paths {
		if d := w.AuthorizePath(p); !d.Allowed {
			t.Errorf("%s: %s %s on %s is %v", p.What, p.Request.Principal, p.Request.Action, wiring.Display(p.Request.Resource), d)
		}
	}
	return w, paths
}

// templateProblems are what the templates get wrong that no quota
// measures: triggers CodePipeline refuses, empty stages, policies
// attached to roles the stack does not create, and actions of a type
// whose provider calls iameval does not model.
func templateProblems(stacks []wiring.ResolvedStack) []string {
	var out []string
	for _, st := range stacks {
		roles := map[string]bool{}
		for _, r := range st.Resources {
			if r.Type == "AWS::IAM::Role" {
				roles[r.Ref] = true
			}
		}
		ids := make([]string, 0, len(st.Resources))
		for id := range st.Resources {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			r := st.Resources[id]
			where := st.Name + "/" + id
			switch r.Type {
			case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
				for _, name := range names(r.Properties["Roles"]) {
					if !roles[name] {
						out = append(out, fmt.Sprintf("%s: attaches a policy to role %s, which the stack does not create", where, wiring.Display(name)))
					}
				}
			case "AWS::CodePipeline::Pipeline":
				stages, _ := r.Properties["Stages"].([]interface{})
				if len(stages) < 2 {
					out = append(out, fmt.Sprintf("%s: %d stages; CodePipeline needs at least 2", where, len(stages)))
				}
				for _, s := range stages {
					sm, _ := s.(map[string]interface{})
					if actions, _ := sm["Actions"].([]interface{}); len(actions) == 0 {
						out = append(out, fmt.Sprintf("%s: stage %v has no action", where, sm["Name"]))
					}
				}
				out = append(out, triggerProblems(where, r.Properties["Triggers"])...)
				// Every action type the pipeline uses has its provider's
				// calls modelled, or its role's grants would go unproven.
				for _, s := range stages {
					sm, _ := s.(map[string]interface{})
					actions, _ := sm["Actions"].([]interface{})
					for _, a := range actions {
						am, _ := a.(map[string]interface{})
						typ, _ := am["ActionTypeId"].(map[string]interface{})
						cat, prov := fmt.Sprint(typ["Category"]), fmt.Sprint(typ["Provider"])
						if !iameval.ProviderCalled(cat, prov) {
							out = append(out, fmt.Sprintf("%s: action %v/%v is of type %s/%s, whose provider calls internal/iameval does not model", where, sm["Name"], am["Name"], cat, prov))
						}
					}
				}
			}
		}
	}
	return out
}

// triggerProblems checks V2 push filters: tags alone, branches alone, or
// branches with file paths
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GitPushFilter.html).
func triggerProblems(where string, v interface{}) []string {
	var out []string
	triggers, _ := v.([]interface{})
	for i, t := range triggers {
		tm, _ := t.(map[string]interface{})
		git, _ := tm["GitConfiguration"].(map[string]interface{})
		push, _ := git["Push"].([]interface{})
		for k, p := range push {
			pm, _ := p.(map[string]interface{})
			_, tags := pm["Tags"]
			_, branches := pm["Branches"]
			_, paths := pm["FilePaths"]
			if (tags && (branches || paths)) || (paths && !branches) || (!tags && !branches) {
				out = append(out, fmt.Sprintf("%s: trigger %d push filter %d has tags=%v branches=%v filePaths=%v; CodePipeline takes tags alone, branches alone, or branches with file paths", where, i, k, tags, branches, paths))
			}
		}
	}
	return out
}

// instanceRolePaths are the reads of the CodeDeploy agent: each instance
// role, in each account environment's account and region, reads the
// revision with the reader policy of its environment's stack attached (as
// the README tells the team to do).
func instanceRolePaths(t *testing.T, cfg *config.Config, w *iameval.World) []iameval.Path {
	x := cfg.Deploy.CodeDeploy
	if x == nil {
		return nil
	}
	var out []iameval.Path
	for _, env := range cfg.Environments {
		if env.Account == "" {
			continue
		}
		reader := readerPolicy(t, cfg, w, env)
		for _, name := range x.InstanceRoles {
			arn := fmt.Sprintf("arn:%s:iam::%s:role/%s", cfg.Partition(), env.Account, name)
			w.Roles[arn] = &iameval.Role{ARN: arn, Name: name, Account: env.Account, External: true, Policies: []iameval.Policy{reader}}
			for _, region := range env.Regions {
				bucket := fmt.Sprintf("%s-artifacts-%s-%s", cfg.Name, cfg.Tooling.Account, region)
				key := fmt.Sprintf("arn:%s:kms:%s:%s:alias/relay/%s/artifacts", cfg.Partition(), region, cfg.Tooling.Account, cfg.Name)
				who := iameval.Principal{ARN: arn}
				what := fmt.Sprintf("CodeDeploy agent of %s in %s with role %s", env.Name, region, name)
				out = append(out,
					iameval.Path{What: what + " reads the revision", Request: iameval.Request{Principal: who, Action: "s3:GetObject",
						Resource: "arn:" + cfg.Partition() + ":s3:::" + bucket + "/" + cfg.Name + "/BuildArtif/revision.zip",
						Context:  map[string][]string{"aws:SecureTransport": {"true"}}}},
					iameval.Path{What: what + " decrypts the revision", Request: iameval.Request{Principal: who, Action: "kms:Decrypt", Resource: key}})
			}
		}
	}
	return out
}

// assetReadPaths are the reads of the workload's assets by the roles that
// deploy them: CloudFormation creates a function from code in the asset
// store of its region with the stack's execution role, and Lambda reads the
// object with those credentials
// (https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCode.html).
// Every execution role of an account environment in the assembly, the
// environment's and each deploy.stacks entry's own, in each of its regions.
func assetReadPaths(cfg *config.Config, w *iameval.World) []iameval.Path {
	if cfg.Assets == nil {
		return nil
	}
	n := delivery.Names(cfg)
	var out []iameval.Path
	for _, env := range cfg.Environments {
		if env.Account == "" {
			continue
		}
		roles := []string{n.ExecutionRoleArn(env.Account, env.Name)}
		for _, x := range cfg.Deploy.Stacks {
			roles = append(roles, n.StackExecutionRoleArn(env.Account, env.Name, x.Name))
		}
		for _, role := range roles {
			if _, ok := w.Roles[role]; !ok {
				continue
			}
			for _, region := range env.Regions {
				out = append(out, iameval.Path{What: fmt.Sprintf("execution role %s reads a code asset in %s", role, region),
					Request: iameval.Request{Principal: iameval.Principal{ARN: role}, Action: "s3:GetObject",
						Resource: "arn:" + cfg.Partition() + ":s3:::" + n.AssetBucket(region) + "/0123456789abcdef.zip",
						Context:  map[string][]string{"aws:SecureTransport": {"true"}}}})
			}
		}
	}
	return out
}

// jobResultPaths are the report of a Lambda hook that CodePipeline invokes
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-invoke-lambda-function.html):
// Lambda assumes the hook role of each target environment (the execution
// role of the team's hook functions), which assumes the tooling account's
// job-results role, which calls codepipeline:PutJobSuccessResult and
// PutJobFailureResult (no resource-level permission: "*"). Only when the
// assembly has the job-results role and the environment's hook role.
func jobResultPaths(cfg *config.Config, w *iameval.World) []iameval.Path {
	n := delivery.Names(cfg)
	results := n.JobResultsRoleArn()
	if _, ok := w.Roles[results]; !ok {
		return nil
	}
	var out []iameval.Path
	for _, env := range cfg.Environments {
		if env.Account == "" {
			continue
		}
		hook := n.HookRoleArn(env.Account, env.Name)
		if r, ok := w.Roles[hook]; !ok || r.External {
			continue
		}
		what := "hook of " + env.Name + ": "
		out = append(out,
			iameval.Path{What: what + "Lambda assumes the hook role", Request: iameval.Request{
				Principal: iameval.Principal{Service: "lambda.amazonaws.com"}, Action: "sts:AssumeRole", Resource: hook}},
			iameval.Path{What: what + "the hook role assumes the job-results role", Request: iameval.Request{
				Principal: iameval.Principal{ARN: hook}, Action: "sts:AssumeRole", Resource: results}})
		for _, a := range []string{"codepipeline:PutJobSuccessResult", "codepipeline:PutJobFailureResult"} {
			out = append(out, iameval.Path{What: what + "the job-results role reports the job", Request: iameval.Request{
				Principal: iameval.Principal{ARN: results}, Action: a, Resource: "*"}})
		}
	}
	return out
}

// readerPolicy is the artifact reader managed policy of env's stack,
// which Relay creates for the team to attach to its instance roles, and
// which no stack attaches to a role it does not create.
func readerPolicy(t *testing.T, cfg *config.Config, w *iameval.World, env config.Environment) iameval.Policy {
	t.Helper()
	for _, r := range w.Roles {
		if r.External && r.Account == env.Account && len(r.Policies) > 0 {
			t.Fatalf("a policy is attached to %s, which no stack creates", r.ARN)
		}
	}
	arn := delivery.Names(cfg).ArtifactReaderPolicyArn(env.Account, env.Name)
	p, ok := w.Managed[arn]
	if !ok {
		t.Fatalf("environment %s: no artifact reader managed policy %s", env.Name, arn)
	}
	return p
}

// names reads a string or a list of strings.
func names(v interface{}) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []interface{}:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
