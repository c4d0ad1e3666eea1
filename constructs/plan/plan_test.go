package plan_test

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/plan"
)

const connection = "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"

func roleArn(account, env, kind string) string {
	return "arn:aws:iam::" + account + ":role/relay/payments/payments-" + env + "-" + kind
}

// account is an Account target with every role named after env.
func account(id, env string) *plan.Account {
	return &plan.Account{ID: id, DeployRoleArn: roleArn(id, env, "deploy"), ExecutionRoleArn: roleArn(id, env, "cfn-exec"), InvokeRoleArn: roleArn(id, env, "invoke")}
}

func stack() *plan.Stack {
	return &plan.Stack{Name: "payments-app", Capabilities: []string{"CAPABILITY_IAM"}}
}

// dep is a change-set deployment of env to one account in regions.
func dep(name, wave string, approval bool, regions ...string) plan.Deployment {
	d := plan.Deployment{Name: name, Wave: wave, Target: account("222222222222", name), Regions: regions, Release: stack()}
	if approval {
		d.Approval = &plan.Approval{}
	}
	return d
}

func input(deps ...plan.Deployment) plan.Input {
	return plan.Input{
		Source:      &plan.ConnectionSource{Owner: "acme", Repo: "payments", ConnectionArn: connection},
		Deployments: deps,
	}
}

func mustPlan(t *testing.T, in plan.Input) *plan.Pipeline {
	t.Helper()
	p, err := plan.New(in)
	if err != nil {
		t.Fatalf("plan.New: %v", err)
	}
	return p
}

// layout renders the Deploy stages as "Stage: action@runOrder ..." lines.
func layout(p *plan.Pipeline) []string {
	var out []string
	for _, s := range p.Stages {
		if !strings.HasPrefix(s.Name, "Deploy-") {
			continue
		}
		var acts []string
		for _, a := range s.Actions {
			acts = append(acts, fmt.Sprintf("%s@%d", a.Name, a.RunOrder))
		}
		out = append(out, s.Name+": "+strings.Join(acts, " "))
	}
	return out
}

func many(n int, wave string) []plan.Deployment {
	var out []plan.Deployment
	for i := 0; i < n; i++ {
		out = append(out, dep(fmt.Sprintf("e%d", i), wave, i == 0, "us-east-1"))
	}
	return out
}

// TestNoCDK keeps the planner pure Go: no aws-cdk-lib, no jsii, so that it
// runs before (and without) the jsii runtime.
func TestNoCDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/aws/") || strings.HasPrefix(dep, "github.com/cdklabs/") {
			t.Errorf("package plan depends on %s; it must stay pure Go", dep)
		}
	}
}

func TestStages(t *testing.T) {
	tests := []struct {
		name    string
		deps    []plan.Deployment
		want    []string
		wantErr string
	}{
		{
			name: "one stage per environment, short action names",
			deps: []plan.Deployment{dep("staging", "", false, "us-east-1"), dep("production", "", true, "us-east-1")},
			want: []string{
				"Deploy-staging: Prepare-us-east-1@1 Deploy-us-east-1@2",
				"Deploy-production: Approve@1 Prepare-us-east-1@2 Deploy-us-east-1@3",
			},
		},
		{
			name: "a wave shares a stage, approvals first",
			deps: []plan.Deployment{dep("dev", "", false, "us-east-1"), dep("eu1", "prod", true, "us-east-1"), dep("eu2", "prod", false, "us-east-1")},
			want: []string{
				"Deploy-dev: Prepare-us-east-1@1 Deploy-us-east-1@2",
				"Deploy-prod: Approve-eu1@1 Prepare-eu1-us-east-1@2 Deploy-eu1-us-east-1@3 Prepare-eu2-us-east-1@2 Deploy-eu2-us-east-1@3",
			},
		},
		{
			name: "a wave over 50 actions is split in order, approvals kept in the first stage",
			deps: many(26, "all"),
			want: func() []string {
				first := []string{"Approve-e0@1"}
				for i := 0; i < 24; i++ {
					first = append(first, fmt.Sprintf("Prepare-e%d-us-east-1@2 Deploy-e%d-us-east-1@3", i, i))
				}
				return []string{
					"Deploy-all-1: " + strings.Join(first, " "),
					"Deploy-all-2: Prepare-e24-us-east-1@1 Deploy-e24-us-east-1@2 Prepare-e25-us-east-1@1 Deploy-e25-us-east-1@2",
				}
			}(),
		},
		{
			name:    "more stages than a pipeline allows",
			deps:    many(49, ""),
			wantErr: "Deployments: 49 deploy stages plus Source and Build make 51 stages; a pipeline has at most 50: put environments that may deploy together in one wave (Deployments[].Wave): waves of 2 or more environments fit",
		},
		{
			name:    "more actions than one pipeline holds",
			deps:    many(1300, ""),
			wantErr: "Deployments: 1300 deploy stages plus Source and Build make 1302 stages; a pipeline has at most 50: their 2601 actions need at least 53 full stages; split the environments across at least 2 pipelines (Relay configurations)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := plan.New(input(tc.deps...))
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("New() error = %v\nwant %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("New() error = %v", err)
			}
			if diff := cmp.Diff(tc.want, layout(got)); diff != "" {
				t.Errorf("Deploy stages (-want +got):\n%s", diff)
			}
			for _, s := range got.Stages {
				if len(s.Actions) == 0 || len(s.Actions) > limits.Max(limits.StageActions) {
					t.Errorf("%s has %d actions; want 1 to %d", s.Name, len(s.Actions), limits.Max(limits.StageActions))
				}
			}
		})
	}
}

// TestFixedStagesCount is the regression test of the bug that the release
// plan fixes: the stage limit was counted with Source and Build only in one
// place and with Test and Scan in another, so that a Test stage and 48 deploy
// stages passed the first check and failed inside jsii. Now one count,
// before jsii, with advice.
func TestFixedStagesCount(t *testing.T) {
	unit := []plan.Suite{{Name: "unit", Commands: []string{"make test"}}}
	scan := &plan.Scan{Scanners: []plan.Suite{{Name: "deps", Preset: "trivy"}}}
	tests := []struct {
		name    string
		mutate  func(*plan.Input)
		wantErr string
	}{
		{"48 deployments fill 50 stages", func(in *plan.Input) {}, ""},
		{"a Test stage and 48 deployments", func(in *plan.Input) { in.Tests = unit },
			"Deployments: 48 deploy stages plus Source, Build and Test make 51 stages; a pipeline has at most 50: put environments that may deploy together in one wave (Deployments[].Wave): waves of 2 or more environments fit"},
		{"Test, Scan and 48 deployments", func(in *plan.Input) { in.Tests, in.Scan = unit, scan },
			"Deployments: 48 deploy stages plus Source, Build, Test and Scan make 52 stages; a pipeline has at most 50: put environments that may deploy together in one wave (Deployments[].Wave): waves of 2 or more environments fit"},
		{"Test, Scan and 46 deployments fit", func(in *plan.Input) { in.Tests, in.Scan, in.Deployments = unit, scan, in.Deployments[:46] }, ""},
		// The list of fixed stages read "plus  and Source" without Build.
		{"no Build stage and 50 deployments", func(in *plan.Input) { in.NoBuild, in.Deployments = true, many(50, "") },
			"Deployments: 50 deploy stages plus Source make 51 stages; a pipeline has at most 50: put environments that may deploy together in one wave (Deployments[].Wave): waves of 2 or more environments fit"},
		{"the advice names the config field", func(in *plan.Input) {
			in.Scan, in.Paths = scan, map[string]string{"Deployments": "environments"}
		}, "environments: 48 deploy stages plus Source, Build and Scan make 51 stages; a pipeline has at most 50: put environments that may deploy together in one wave (environments[].wave): waves of 2 or more environments fit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := input(many(48, "")...)
			tc.mutate(&in)
			_, err := plan.New(in)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.wantErr {
				t.Errorf("New() error = %q\nwant %q", got, tc.wantErr)
			}
		})
	}
}

// TestNoBuild plans a pipeline without a Build stage: the deploy actions,
// a StackSet and Test suites with input build read the source artifact.
func TestNoBuild(t *testing.T) {
	fleet := plan.Deployment{Name: "fleet", Regions: []string{"us-east-1"}, Release: stack(), Target: &plan.OrganizationalUnits{IDs: []string{"ou-ab12-cd34ef56"}}}
	in := input(dep("staging", "", false, "us-east-1"), fleet)
	in.NoBuild = true
	in.Tests = []plan.Suite{{Name: "lint", Input: "build", Commands: []string{"cfn-lint template.json"}}}
	got := mustPlan(t, in)
	var stages []string
	for _, s := range got.Stages {
		stages = append(stages, s.Name)
		for _, a := range s.Actions {
			for _, i := range a.Inputs {
				if i == plan.BuildArtifact {
					t.Errorf("%s/%s reads the build output, which does not exist", s.Name, a.Name)
				}
			}
		}
	}
	if want := []string{"Source", "Test", "Deploy-staging", "Deploy-fleet"}; !slices.Equal(stages, want) {
		t.Errorf("stages = %v, want %v", stages, want)
	}
	if a := got.Action("Deploy-staging", "Prepare-us-east-1"); a == nil || !slices.Equal(a.Inputs, []string{plan.SourceArtifact}) {
		t.Errorf("Prepare reads %v, want the source artifact", a)
	}
}

func TestFreezeAndRollback(t *testing.T) {
	frozen := dep("eu2", "prod", false, "us-east-1")
	frozen.Freeze = "Holiday freeze"
	canary := dep("canary", "", false, "us-east-1")
	canary.DisableRollback = true
	mixed := dep("eu1", "prod", false, "us-east-1")
	mixed.DisableRollback = true
	mixed.NoAlarms = []string{"b", "a"}
	frozen.NoAlarms = []string{"a"}
	mixed.Window = &plan.Window{Cron: "cron(* 9-16 ? * MON-FRI *)"}
	got := mustPlan(t, input(canary, mixed, frozen))
	type stage struct {
		Name, Freeze string
		Rollback     bool
		Window       *plan.Window
		Alarms       []string
	}
	var out []stage
	for _, s := range got.Stages {
		out = append(out, stage{s.Name, s.Freeze, s.Rollback, s.Window, s.Alarms})
	}
	want := []stage{
		{Name: "Source"}, {Name: "Build"},
		{Name: "Deploy-canary"},
		// A wave freezes when any of its environments does, rolls back
		// unless all of them disable it, and gathers their entry conditions.
		{Name: "Deploy-prod", Freeze: "Holiday freeze", Rollback: true, Window: &plan.Window{Cron: "cron(* 9-16 ? * MON-FRI *)", TimeZone: "UTC"}, Alarms: []string{"a", "b"}},
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
}

// TestEntryConditionRules: a stage's entry condition takes at most 5
// rules, one per distinct alarm of the wave's deployments and one for the
// deployment window; CloudFormation refused the 13 rules of 12 alarms and a
// window that the variants sweep synthesized.
func TestEntryConditionRules(t *testing.T) {
	window := &plan.Window{Cron: "cron(* 9-16 ? * MON-FRI *)"}
	const source = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-codepipeline-pipeline-condition.html"
	for _, tc := range []struct {
		name   string
		alarms [][]string // per deployment of wave prod
		window bool       // on the last deployment
		want   string     // "" when it plans
	}{
		{"five alarms", [][]string{{"a", "b", "c", "d", "e"}}, false, ""},
		{"four alarms and a window", [][]string{{"a", "b", "c", "d"}}, true, ""},
		{"five alarms and a window", [][]string{{"a", "b", "c", "d", "e"}}, true,
			"Deployments[0].NoAlarms: 5 alarms and the deployment window make 6 rules of the stage's entry condition (one rule per alarm), and CodePipeline takes at most 5 rules in a condition (" + source + "): gate on at most 4 alarms, combining them into a CloudWatch composite alarm"},
		{"a wave's five distinct alarms", [][]string{{"a", "b", "c"}, {"c", "d", "e"}}, false, ""},
		{"a wave's six distinct alarms", [][]string{{"a", "b", "c"}, {"d", "e", "f"}, {}}, false,
			`Deployments[1].NoAlarms: wave "prod" is one stage: 6 alarms of its deployments make 6 rules of the stage's entry condition (one rule per alarm), and CodePipeline takes at most 5 rules in a condition (` + source + "): gate on at most 5 alarms, combining them into a CloudWatch composite alarm"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var deps []plan.Deployment
			for i, a := range tc.alarms {
				d := dep(fmt.Sprintf("prod%d", i), "prod", false, "us-east-1")
				d.NoAlarms = a
				deps = append(deps, d)
			}
			if tc.window {
				deps[len(deps)-1].Window = window
			}
			_, err := plan.New(input(deps...))
			if got := fmt.Sprint(err); (tc.want == "" && err != nil) || (tc.want != "" && got != tc.want) {
				t.Errorf("plan.New: %v\nwant %q", err, tc.want)
			}
		})
	}
}

// TestSixtyHooksOneRegion replays the field failure
// sixty-hooks-one-region.yaml: 60 hooks in one region made 62 actions, the
// stage planner pushed an empty stage and jsii panicked. A region's actions
// cannot be split across stages without serializing the wave, so the plan
// refuses it by name, before jsii.
func TestSixtyHooksOneRegion(t *testing.T) {
	d := dep("staging", "", false, "us-east-1")
	for i := 0; i < 60; i++ {
		d.Hooks = append(d.Hooks, plan.Hook{Name: fmt.Sprintf("h%02d", i), Invoke: &plan.LambdaInvoke{Function: fmt.Sprintf("fn%d", i)}})
	}
	in := input(d)
	_, err := plan.New(in)
	want := "Deployments[0].Hooks: Deployments[0] gets 62 actions in us-east-1 (60 hooks and 2 release actions); a CodePipeline stage holds at most 50 actions: run at most 48 hooks per region, or combine hooks into one Step Functions state machine"
	if err == nil || err.Error() != want {
		t.Fatalf("New() error = %v\nwant %s", err, want)
	}
	d.Hooks = d.Hooks[:48]
	p := mustPlan(t, input(d))
	if n := len(p.Stages[2].Actions); n != 50 {
		t.Errorf("48 hooks and a change set: %d actions, want 50 in one stage", n)
	}
}

// TestRegionOverflowAdvice checks that a region whose actions overflow a
// stage is refused with advice about what drives the count (the kind of
// bucket-policy-advice.yaml: advice must fit the configuration): 30 stacks
// in one region were blamed on Hooks, with "run at most -10 hooks".
func TestRegionOverflowAdvice(t *testing.T) {
	hooks := func(n int) []plan.Hook {
		var out []plan.Hook
		for i := range n {
			out = append(out, plan.Hook{Name: fmt.Sprintf("h%02d", i), Invoke: &plan.LambdaInvoke{Function: fmt.Sprintf("fn%d", i)}})
		}
		return out
	}
	steps := func(n int) []plan.Step {
		var out []plan.Step
		for i := range n {
			out = append(out, plan.Step{Name: fmt.Sprintf("s%02d", i), Action: &plan.CodeBuildStep{Buildspec: "ci/s.yml"}})
		}
		return out
	}
	components := func(n int) []plan.Component {
		var out []plan.Component
		for i := range n {
			x := stack()
			x.Name = fmt.Sprintf("app-%02d", i)
			out = append(out, plan.Component{Name: fmt.Sprintf("c%02d", i), Release: x})
		}
		return out
	}
	for _, tc := range []struct {
		name             string
		stacks, h, steps int
		want             string
	}{
		{"hooks", 0, 60, 0, "Deployments[0].Hooks: Deployments[0] gets 62 actions in us-east-1 (60 hooks and 2 release actions); a CodePipeline stage holds at most 50 actions: run at most 48 hooks per region, or combine hooks into one Step Functions state machine"},
		{"steps", 0, 10, 45, "Deployments[0].Steps: Deployments[0] gets 57 actions in us-east-1 (45 steps, 10 hooks and 2 release actions); a CodePipeline stage holds at most 50 actions: run at most 38 steps per region, or combine steps into one CodeBuild step or Step Functions state machine"},
		{"components", 30, 0, 0, "Deployments[0].Components: Deployments[0] gets 60 actions in us-east-1 (0 steps, 0 hooks and 60 release actions of 30 components); a CodePipeline stage holds at most 50 actions: leave at most 50 release actions in one region (a stack takes 2: Prepare and Deploy): release fewer, larger stacks (nested stacks count as one)"},
		{"components with hooks", 30, 5, 0, "Deployments[0].Components: Deployments[0] gets 65 actions in us-east-1 (0 steps, 5 hooks and 60 release actions of 30 components); a CodePipeline stage holds at most 50 actions: leave at most 45 release actions in one region (a stack takes 2: Prepare and Deploy): release fewer, larger stacks (nested stacks count as one)"},
		{"components with steps", 30, 0, 5, "Deployments[0].Components: Deployments[0] gets 65 actions in us-east-1 (5 steps, 0 hooks and 60 release actions of 30 components); a CodePipeline stage holds at most 50 actions: leave at most 45 release actions in one region (a stack takes 2: Prepare and Deploy): release fewer, larger stacks (nested stacks count as one)"},
		{"steps where fewer steps fit", 20, 10, 10, "Deployments[0].Steps: Deployments[0] gets 60 actions in us-east-1 (10 steps, 10 hooks and 40 release actions); a CodePipeline stage holds at most 50 actions: run at most 0 steps per region, or combine steps into one CodeBuild step or Step Functions state machine"},
		{"steps and hooks together", 20, 15, 15, "Deployments[0].Steps: Deployments[0] gets 70 actions in us-east-1 (15 steps, 15 hooks and 40 release actions); a CodePipeline stage holds at most 50 actions: run at most 10 steps and hooks together per region, or combine them into one CodeBuild step or Step Functions state machine"},
		{"25 stacks fit", 25, 0, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := dep("staging", "", false, "us-east-1")
			if tc.stacks > 0 {
				d.Release, d.Components = nil, components(tc.stacks)
			}
			d.Hooks, d.Steps = hooks(tc.h), steps(tc.steps)
			_, err := plan.New(input(d))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("New() error = %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestPaths names fields by the caller's paths.
func TestPaths(t *testing.T) {
	d := dep("staging", "", false, "us-east-1")
	d.Approval = &plan.Approval{ReviewURL: "https://example.com", TopicName: "t"}
	in := input(d)
	in.Paths = map[string]string{
		"Deployments":                                  "environments",
		"Deployments[0].Release":                       "deploy",
		"Deployments[0].Release.ParameterOverrides":    "environments[0].parameters",
		"Deployments[0].Release.TemplateConfiguration": "environments[0].templateConfiguration",
	}
	p := mustPlan(t, in)
	want := map[string]plan.Field{
		"Deploy-staging/Approve/ExternalEntityLink":           {Path: "environments[0].approval.reviewUrl", Fix: "use a shorter link"},
		"Deploy-staging/Prepare-us-east-1/StackName":          {Path: "deploy.name"},
		"Deploy-staging/Prepare-us-east-1/ParameterOverrides": {Path: "environments[0].parameters", Fix: "move parameters into a template configuration file (environments[0].templateConfiguration)"},
		"Deploy-staging/Prepare-us-east-1/RoleArn":            {Path: "environments[0].target.executionRoleArn"},
		// A path says to shorten the path, not to move parameters.
		"Deploy-staging/Prepare-us-east-1/TemplatePath":          {Path: "deploy.templatePath", Fix: "shorten the path"},
		"Deploy-staging/Prepare-us-east-1/TemplateConfiguration": {Path: "environments[0].templateConfiguration", Fix: "shorten the path"},
		"Build/Build/EnvironmentVariables":                       {Path: "Build.EnvironmentVariables", Fix: "the variables that refer to #{...} go on the action: shorten their values, or give constant values without references (they go on the project)"},
	}
	for k, w := range want {
		parts := strings.Split(k, "/")
		got, ok := p.FieldOf(parts[0], parts[1], parts[2])
		if !ok || got != w {
			t.Errorf("FieldOf(%s) = %+v, %v; want %+v", k, got, ok, w)
		}
	}
}

// TestExplain reports a configuration value through its field.
func TestExplain(t *testing.T) {
	d := dep("staging", "", false, "us-east-1")
	in := input(d)
	in.Paths = map[string]string{"Deployments": "environments", "Deployments[0].Release.ParameterOverrides": "environments[0].parameters",
		"Deployments[0].Release.TemplateConfiguration": "environments[0].templateConfiguration"}
	p := mustPlan(t, in)
	f := limits.Finding{Limit: limits.ByID(limits.ActionConfiguration), Stack: "payments-tooling", Resource: "Pipeline", Value: 1234,
		Stage: "Deploy-staging", Action: "Prepare-us-east-1", Key: "ParameterOverrides"}
	got := p.Explain(f).Error()
	want := "environments[0].parameters: 1234 characters of ParameterOverrides in payments-tooling/Pipeline (stage Deploy-staging, action Prepare-us-east-1), which exceeds CodePipeline's limit of 1000 per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html): move parameters into a template configuration file (environments[0].templateConfiguration)"
	if got != want {
		t.Errorf("Explain() =\n%s\nwant\n%s", got, want)
	}
	other := limits.Finding{Limit: limits.ByID(limits.S3BucketPolicy), Stack: "s", Resource: "B", Value: 1}
	if diff := cmp.Diff(other, p.Explain(other), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Explain changed another finding:\n%s", diff)
	}
}

// TestComponents plans several releases in one deployment: each starts as
// soon as those it depends on have finished, in every region, and stacks
// export their outputs in a namespace of their own.
func TestComponents(t *testing.T) {
	infra := &plan.Stack{Name: "shop-infra"}
	cache := &plan.Stack{Name: "shop-cache", Review: true, ExecutionRoleArn: roleArn("222222222222", "staging", "cache-cfn-exec")}
	service := &plan.ECSBlueGreenRelease{Application: "shop-staging", DeploymentGroup: "shop-staging"}
	d := plan.Deployment{Name: "staging", Target: account("222222222222", "staging"), Regions: []string{"us-east-1", "eu-west-1"},
		Components: []plan.Component{
			{Name: "infra", Release: infra},
			{Name: "cache", Release: cache},
			{Name: "service", Release: service, DependsOn: []string{"infra", "cache"}},
		},
		Hooks: []plan.Hook{smokeTest()},
	}
	got := mustPlan(t, input(d))
	want := []string{"Deploy-staging: " +
		"Prepare-infra-us-east-1@1 Deploy-infra-us-east-1@2 Prepare-cache-us-east-1@1 Review-cache-us-east-1@2 Deploy-cache-us-east-1@3 Deploy-service-us-east-1@4 Hook-smoke-test-us-east-1@5 " +
		"Prepare-infra-eu-west-1@1 Deploy-infra-eu-west-1@2 Prepare-cache-eu-west-1@1 Review-cache-eu-west-1@2 Deploy-cache-eu-west-1@3 Deploy-service-eu-west-1@4 Hook-smoke-test-eu-west-1@5"}
	if diff := cmp.Diff(want, layout(got)); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
	if a := got.Action("Deploy-staging", "Deploy-infra-us-east-1"); a == nil || a.Namespace != "Deploy_staging_us-east-1_infra" {
		t.Errorf("infra's namespace: %+v", a)
	}
	prep := got.Action("Deploy-staging", "Prepare-cache-eu-west-1")
	if k, ok := prep.Kind.(*plan.PrepareChangeSet); !ok || k.ExecutionRoleArn != cache.ExecutionRoleArn {
		t.Errorf("cache's change set runs as %+v, want its own execution role", prep.Kind)
	}
	if f, _ := got.FieldOf("Deploy-staging", "Prepare-cache-eu-west-1", "RoleArn"); f.Path != "Deployments[0].Components[1].Release.ExecutionRoleArn" {
		t.Errorf("RoleArn comes from %q", f.Path)
	}
}

// TestComponentErrors names an unknown dependency and a cycle.
func TestComponentErrors(t *testing.T) {
	stack := func(n string) *plan.Stack { return &plan.Stack{Name: n} }
	d := plan.Deployment{Name: "staging", Target: account("222222222222", "staging"), Regions: []string{"us-east-1"}, Release: stack("x"),
		Components: []plan.Component{
			{Name: "app", Release: stack("app"), DependsOn: []string{"web"}},
			{Name: "api", Release: stack("api"), DependsOn: []string{"app", "db"}},
			{Name: "web", Release: stack("web"), DependsOn: []string{"api"}},
		},
	}
	in := input(d)
	in.Paths = map[string]string{"Deployments[0].Components": "deploy.stacks", "Deployments": "environments"}
	_, err := plan.New(in)
	want := strings.Join([]string{
		"environments[0].release: set Release or Components, not both",
		`deploy.stacks[1].dependsOn "db": names no other component or step of the deployment`,
		"deploy.stacks: the dependencies make a cycle, app -> api -> web -> app; remove one of them",
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("New() error:\n%v\nwant:\n%s", err, want)
	}
}

// TestSourceVariables: the variables that the plan itself puts on the
// build, the test suites and the GitOps step are variables the primary
// source sets (limits.ActionVariables): an S3 or ECR source has no commit,
// branch or author date, and a reference to one would fail the action on
// every execution. An S3 source has nothing to default a GitOps value to,
// so the value is required there.
func TestSourceVariables(t *testing.T) {
	gitops := &plan.EKSRelease{GitOps: &plan.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", File: "envs/values.yaml",
		TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-AbCdEf"}}
	tests := []struct {
		name          string
		source        plan.Source
		build, suites map[string]string
		gitOps        string // the GitOps value, or the error
	}{
		{"connection", &plan.ConnectionSource{Owner: "acme", Repo: "payments", ConnectionArn: connection},
			map[string]string{"GIT_COMMIT_HASH": "#{SourceVariables.CommitId}", "GIT_BRANCH": "#{SourceVariables.BranchName}", "GIT_AUTHOR_DATE": "#{SourceVariables.AuthorDate}"},
			map[string]string{"GIT_COMMIT_HASH": "#{SourceVariables.CommitId}"}, "#{SourceVariables.CommitId}"},
		{"CodeCommit", &plan.CodeCommitSource{Repository: "payments", Branch: "main"},
			map[string]string{"GIT_COMMIT_HASH": "#{SourceVariables.CommitId}", "GIT_BRANCH": "#{SourceVariables.BranchName}", "GIT_AUTHOR_DATE": "#{SourceVariables.AuthorDate}"},
			map[string]string{"GIT_COMMIT_HASH": "#{SourceVariables.CommitId}"}, "#{SourceVariables.CommitId}"},
		{"S3", &plan.S3Source{Bucket: "acme-releases", Key: "payments.zip"},
			map[string]string{"SOURCE_VERSION_ID": "#{SourceVariables.VersionId}"},
			map[string]string{"SOURCE_VERSION_ID": "#{SourceVariables.VersionId}"},
			"Deployments[0].Release.GitOps.Value: required with an S3 or ECR source: an S3 source has no commit ID, and an ECR source's ImageTag is the tag it watches"},
		// An ECR source feeds no build (TestSourceArtifactReaders): the
		// suites and the GitOps step of a pipeline without one.
		{"ECR", &plan.ECRSource{Repository: "payments", Tag: "release"},
			nil,
			map[string]string{"SOURCE_IMAGE_DIGEST": "#{SourceVariables.ImageDigest}"},
			// ImageTag is the tag the source watches, the same every
			// release: writing it would never roll out a new image.
			"Deployments[0].Release.GitOps.Value: required with an S3 or ECR source: an S3 source has no commit ID, and an ECR source's ImageTag is the tag it watches"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := input(dep("staging", "", false, "us-east-1"))
			in.Source = tc.source
			in.Tests = []plan.Suite{{Name: "unit", Commands: []string{"make test"}}}
			if tc.build == nil { // the suites of a pipeline with a GitOps release that has its value
				in.NoBuild = true
				valued := *gitops.GitOps
				valued.Key, valued.Value = ".image.digest", "#{SourceVariables.ImageDigest}"
				in.Deployments[0].Release = &plan.EKSRelease{GitOps: &valued}
			}
			p := mustPlan(t, in)
			for _, st := range p.Stages {
				for _, a := range st.Actions {
					switch k := a.Kind.(type) {
					case *plan.BuildAction:
						if diff := cmp.Diff(tc.build, k.Variables); diff != "" {
							t.Errorf("build variables (-want +got):\n%s", diff)
						}
					case *plan.SuiteAction:
						if diff := cmp.Diff(tc.suites, k.Variables); diff != "" {
							t.Errorf("suite variables (-want +got):\n%s", diff)
						}
					}
				}
			}
			in.Deployments[0].Release = gitops
			p, err := plan.New(in)
			if err != nil {
				if !strings.Contains(err.Error(), tc.gitOps) {
					t.Fatalf("plan.New with GitOps: %v; want %q", err, tc.gitOps)
				}
				return
			}
			var got string
			for _, st := range p.Stages {
				for _, a := range st.Actions {
					if k, ok := a.Kind.(*plan.GitOpsStep); ok {
						got = k.Release.Value
					}
				}
			}
			if got != tc.gitOps {
				t.Errorf("GitOps value = %q, want %q", got, tc.gitOps)
			}
			if gitops.GitOps.Value != "" {
				t.Errorf("plan.New changed the caller's GitOpsRelease: Value %q", gitops.GitOps.Value)
			}
		})
	}
}
