package plan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/plan"
)

// TestSteps places steps before, after and between releases, in every
// region of an Account, once for a StackSet, and alone in the pipeline's
// account; each counts as an action of its stage.
func TestSteps(t *testing.T) {
	stagingRole := roleArn("222222222222", "staging", "plan-step")
	staging := plan.Deployment{Name: "staging", Target: account("222222222222", "staging"), Regions: []string{"us-east-1", "eu-west-1"},
		Components: []plan.Component{
			{Name: "infra", Release: &plan.Stack{Name: "shop-infra"}},
			{Name: "service", Release: &plan.Stack{Name: "shop-service"}, DependsOn: []string{"render"}},
		},
		Steps: []plan.Step{
			{Name: "lint", Before: true, Action: &plan.CodeBuildStep{Buildspec: "ci/lint.yml", Inputs: []string{"source"}}},
			{Name: "render", DependsOn: []string{"infra"}, Action: &plan.CodeBuildStep{Buildspec: "ci/render.yml", Output: true,
				StackOutputs: map[string]string{"TABLE": "infra.TableName"}, AssumeRoleArn: stagingRole}},
			{Name: "smoke", Action: &plan.CodeBuildStep{Buildspec: "ci/smoke.yml", Inputs: []string{"render", "build"},
				EnvironmentVariables: map[string]string{"COMMIT": "#{SourceVariables.CommitId}"}, StackOutputs: map[string]string{"URL": "service.Url"}}},
			{Name: "notify", Action: &plan.LambdaInvoke{Function: "release-notes"}},
		},
	}
	fleet := plan.Deployment{Name: "fleet", Regions: []string{"us-east-1", "eu-west-1"}, Release: &plan.Stack{Name: "shop-baseline"},
		Target: &plan.OrganizationalUnits{IDs: []string{"ou-ab12-cd34ef56"}},
		Steps:  []plan.Step{{Name: "integration", Action: &plan.CodeBuildStep{Buildspec: "ci/integration.yml"}}}}
	gate := plan.Deployment{Name: "change-ticket", Target: &plan.PipelineAccount{},
		Steps: []plan.Step{
			{Name: "ticket", Action: &plan.StepFunctionsInvoke{StateMachine: "open-change-ticket"}},
			{Name: "cab", Action: &plan.ApprovalStep{}},
		}}
	got := mustPlan(t, input(staging, fleet, gate))
	want := []string{
		"Deploy-staging: Prepare-infra-us-east-1@2 Deploy-infra-us-east-1@3 Prepare-service-us-east-1@5 Deploy-service-us-east-1@6 " +
			"Step-lint-us-east-1@1 Step-render-us-east-1@4 Step-smoke-us-east-1@7 Invoke-notify-us-east-1@8 " +
			"Prepare-infra-eu-west-1@2 Deploy-infra-eu-west-1@3 Prepare-service-eu-west-1@5 Deploy-service-eu-west-1@6 " +
			"Step-lint-eu-west-1@1 Step-render-eu-west-1@4 Step-smoke-eu-west-1@7 Invoke-notify-eu-west-1@8",
		"Deploy-fleet: DeployStackSet@1 Step-integration@2",
		"Deploy-change-ticket: Invoke-ticket@1 Approve-cab@2",
	}
	if diff := cmp.Diff(want, layout(got)); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
	render := got.Action("Deploy-staging", "Step-render-eu-west-1")
	if k := render.Kind.(*plan.RunStep); k.Variables["TABLE"] != "#{Deploy_staging_eu-west-1_infra.TableName}" ||
		k.Variables["RELAY_ROLE_ARN"] != stagingRole || k.Variables["RELAY_REGION"] != "eu-west-1" || k.Variables["RELAY_ACCOUNT"] != "222222222222" {
		t.Errorf("render's variables: %v", k.Variables)
	}
	if render.Account != "" || render.Region != "" || render.RoleArn != "" || render.Namespace != "Step_staging_eu-west-1_render" ||
		!cmp.Equal(render.Outputs, []string{"Step_staging_eu-west-1_render"}) || !cmp.Equal(render.Inputs, []string{plan.BuildArtifact}) {
		t.Errorf("render runs in the pipeline's account as its role and writes its artifact: %+v", render)
	}
	smoke := got.Action("Deploy-staging", "Step-smoke-us-east-1")
	if !cmp.Equal(smoke.Inputs, []string{"Step_staging_us-east-1_render", plan.BuildArtifact}) {
		t.Errorf("smoke reads %v", smoke.Inputs)
	}
	if k := got.Action("Deploy-fleet", "Step-integration").Kind.(*plan.RunStep); k.Variables["RELAY_REGIONS"] != "us-east-1,eu-west-1" {
		t.Errorf("a StackSet step's variables: %v", k.Variables)
	}
}

// TestStepErrors names each problem of steps.
func TestStepErrors(t *testing.T) {
	role := roleArn("222222222222", "staging", "plan-step")
	tests := []struct {
		name  string
		steps []plan.Step
		want  []string
	}{
		{"no buildspec, a bad input and a bad variable", []plan.Step{{Name: "test", Action: &plan.CodeBuildStep{Inputs: []string{"plan"},
			EnvironmentVariables: map[string]string{"RELAY_X": "y"}}}}, []string{
			`Deployments[0].Steps[0].Action.Buildspec "": must be the path of a buildspec file in the step's primary input, such as ci/integration.yml`,
			`Deployments[0].Steps[0].Action.Inputs[0] "plan": must be source, build or the name of another step of the deployment`,
			`Deployments[0].Steps[0].Action.EnvironmentVariables["RELAY_X"]: names are letters, digits and _, not starting with a digit, CODEBUILD_ or RELAY_ (CodeBuild's and Relay's)`,
		}},
		{"an output read before its stack", []plan.Step{{Name: "warm", Before: true, Action: &plan.CodeBuildStep{Buildspec: "ci/warm.yml", StackOutputs: map[string]string{"URL": "Url"}}}}, []string{
			`Deployments[0].Steps[0].Action.StackOutputs["URL"] "Url": that stack does not finish before this step; run the step after it (not Before, or DependsOn the stack)`,
		}},
		{"an unknown dependency and a missing action", []plan.Step{{Name: "apply", DependsOn: []string{"plan"}}}, []string{
			"Deployments[0].Steps[0].Action: required; set a *CodeBuildStep, *LambdaInvoke, *StepFunctionsInvoke or *ApprovalStep",
			`Deployments[0].Steps[0].DependsOn "plan": names no other step or component of the deployment`,
		}},
		{"an artifact of a step that runs later", []plan.Step{
			{Name: "apply", Action: &plan.CodeBuildStep{Buildspec: "ci/apply.yml", Inputs: []string{"plan"}, AssumeRoleArn: role}},
			{Name: "plan", Action: &plan.CodeBuildStep{Buildspec: "ci/plan.yml", Output: true}},
		}, []string{`Deployments[0].Steps[0].Action.Inputs[0] "plan": that step does not finish before this one; place this step after it (DependsOn)`}},
		// values.ReviewURLRule, config's rule.
		{"an approval linking to a page without TLS, and a script", []plan.Step{
			{Name: "cab", Action: &plan.ApprovalStep{ReviewURL: "http://grafana.example.com/d/staging"}},
			{Name: "sign-off", Action: &plan.ApprovalStep{ReviewURL: "javascript:alert(1)"}},
			{Name: "ok", Action: &plan.ApprovalStep{ReviewURL: "https://grafana.example.com/d/staging"}},
		}, []string{
			`Deployments[0].Steps[0].Action.ReviewURL "http://grafana.example.com/d/staging": must be an https URL, such as https://grafana.example.com/d/staging`,
			`Deployments[0].Steps[1].Action.ReviewURL "javascript:alert(1)": must be an https URL, such as https://grafana.example.com/d/staging`,
		}},
		{"a role in another account", []plan.Step{{Name: "tf", Action: &plan.CodeBuildStep{Buildspec: "ci/tf.yml", AssumeRoleArn: roleArn("333333333333", "staging", "tf-step")}}}, []string{
			`Deployments[0].Steps[0].Action.AssumeRoleArn "arn:aws:iam::333333333333:role/relay/payments/payments-staging-tf-step": must be a role ARN in account 222222222222`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := dep("staging", "", false, "us-east-1")
			d.Steps = tc.steps
			_, err := plan.New(input(d))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if want := strings.Join(tc.want, "\n"); got != want {
				t.Errorf("New() error:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestStepsCountTowardStageActions splits a deployment whose steps fill
// more than one stage (each region's actions stay together), and refuses a
// region whose steps alone pass CodePipeline's 50 actions per stage, naming
// the steps and how many fit.
func TestStepsCountTowardStageActions(t *testing.T) {
	steps := func(n int) []plan.Step {
		var out []plan.Step
		for k := 0; k < n; k++ {
			out = append(out, plan.Step{Name: fmt.Sprintf("check-%02d", k), Action: &plan.LambdaInvoke{Function: fmt.Sprintf("check-%02d", k)}})
		}
		return out
	}
	d := dep("staging", "", false, "us-east-1", "eu-west-1")
	d.Steps = steps(24) // 2 change-set actions + 24 steps = 26 per region
	got := mustPlan(t, input(d))
	var stages []string
	for _, s := range got.Stages {
		if strings.HasPrefix(s.Name, "Deploy-") {
			stages = append(stages, fmt.Sprintf("%s:%d", s.Name, len(s.Actions)))
		}
	}
	if want := []string{"Deploy-staging-1:26", "Deploy-staging-2:26"}; !cmp.Equal(stages, want) {
		t.Errorf("stages %v, want %v", stages, want)
	}

	d.Steps = steps(49)
	_, err := plan.New(input(d))
	want := "Deployments[0].Steps: Deployments[0] gets 51 actions in us-east-1 (49 steps, 0 hooks and 2 release actions); " +
		"a CodePipeline stage holds at most 50 actions: run at most 48 steps per region, or combine steps into one CodeBuild step or Step Functions state machine"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("New() error:\n%v\nwant it to contain:\n%s", err, want)
	}
}
