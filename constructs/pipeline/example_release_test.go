package pipeline_test

import (
	"fmt"

	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/plan"
)

// ExampleProps_Plan plans, without jsii, an ECS blue/green release with a
// database migration before it (Step Functions) and a smoke test after it
// (Lambda), both run as the environment's invoke role.
func ExampleProps_Plan() {
	production := pipeline.Deployment{
		Name: "production",
		Target: &pipeline.Account{ID: "333333333333",
			DeployRoleArn: "arn:aws:iam::333333333333:role/relay/shop/shop-production-deploy",
			InvokeRoleArn: "arn:aws:iam::333333333333:role/relay/shop/shop-production-invoke"},
		Regions: []string{"us-east-1"},
		Release: &pipeline.ECSBlueGreenRelease{Application: "shop", DeploymentGroup: "shop-production"},
		Hooks: []pipeline.Hook{
			{Name: "migrate", Before: true, Invoke: &pipeline.StepFunctionsInvoke{
				StateMachine: "shop-migrate", Input: map[string]string{"commit": "#{SourceVariables.CommitId}"}}},
			{Name: "smoke-test", Invoke: &pipeline.LambdaInvoke{Function: "shop-smoke-test", UserParameters: `{"path":"/health"}`}},
		},
		Approval: &pipeline.Approval{},
	}
	props := &pipeline.Props{
		Source:      &pipeline.ConnectionSource{Owner: "acme", Repo: "shop", ConnectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/abc"},
		Deployments: []pipeline.Deployment{production},
	}
	planned, err := props.Plan()
	if err != nil {
		panic(err)
	}
	for _, st := range planned.Stages {
		for _, a := range st.Actions {
			role := a.RoleArn
			if role == "" {
				role = "(pipeline role)"
			}
			fmt.Println(st.Name, a.RunOrder, a.Name, a.Kind.Type().Provider, role)
		}
	}
	// Output:
	// Source 1 GitHub CodeStarSourceConnection (pipeline role)
	// Build 1 Build CodeBuild (pipeline role)
	// Deploy-production 1 Approve Manual (pipeline role)
	// Deploy-production 2 Hook-migrate-us-east-1 StepFunctions arn:aws:iam::333333333333:role/relay/shop/shop-production-invoke
	// Deploy-production 3 Deploy-us-east-1 CodeDeployToECS arn:aws:iam::333333333333:role/relay/shop/shop-production-deploy
	// Deploy-production 4 Hook-smoke-test-us-east-1 Lambda arn:aws:iam::333333333333:role/relay/shop/shop-production-invoke
}

// ExampleProps_Plan_steps plans, without jsii, Terraform per account with no
// Build stage and no workload stack: a plan step that assumes a read-only
// step role in the account and writes the plan, an approval, and an apply
// step that reads that plan; then a Lambda invoke in the pipeline's own
// account, as a stage of its own; then an infrastructure stack and a
// service stack that waits for it, with a smoke test reading the service
// stack's output.
func ExampleProps_Plan_steps() {
	stepRole := func(step string) string {
		return "arn:aws:iam::222222222222:role/relay/net/net-dev-" + step + "-step"
	}
	dev := pipeline.Deployment{
		Name:    "dev",
		Target:  &pipeline.Account{ID: "222222222222", DeployRoleArn: "arn:aws:iam::222222222222:role/relay/net/net-dev-deploy"},
		Regions: []string{"eu-west-1"},
		Steps: []pipeline.Step{
			{Name: "plan", Action: &pipeline.CodeBuildStep{Buildspec: "ci/terraform-plan.yml", Output: true,
				RoleName: "net-step-plan", AssumeRoleArn: stepRole("plan")}},
			{Name: "review", Action: &pipeline.ApprovalStep{Comment: "Read the plan first"}},
			{Name: "apply", Action: &pipeline.CodeBuildStep{Buildspec: "ci/terraform-apply.yml", Inputs: []string{"source", "plan"},
				RoleName: "net-step-apply", AssumeRoleArn: stepRole("apply")}},
		},
	}
	notes := pipeline.Deployment{Name: "release-notes", Target: &pipeline.PipelineAccount{},
		Steps: []pipeline.Step{{Name: "notes", Action: &pipeline.LambdaInvoke{Function: "release-notes"}}}}
	prod := pipeline.Deployment{
		Name: "prod",
		Target: &pipeline.Account{ID: "333333333333", DeployRoleArn: "arn:aws:iam::333333333333:role/relay/net/net-prod-deploy",
			ExecutionRoleArn: "arn:aws:iam::333333333333:role/relay/net/net-prod-cfn-exec"},
		Regions: []string{"eu-west-1"},
		Components: []pipeline.Component{
			{Name: "infra", Release: &pipeline.Stack{Name: "net-prod-infra", TemplatePath: "infra.yaml"}},
			{Name: "service", Release: &pipeline.Stack{Name: "net-prod-service", TemplatePath: "service.yaml"}, DependsOn: []string{"infra"}},
		},
		Steps: []pipeline.Step{{Name: "smoke", Action: &pipeline.CodeBuildStep{Buildspec: "ci/smoke.yml",
			StackOutputs: map[string]string{"API_URL": "service.ApiUrl"}}}},
	}
	props := &pipeline.Props{
		Source:      &pipeline.ConnectionSource{Owner: "acme", Repo: "net", ConnectionArn: "arn:aws:codeconnections:eu-west-1:111111111111:connection/abc"},
		NoBuild:     true,
		Deployments: []pipeline.Deployment{dev, notes, prod},
	}
	planned, err := props.Plan()
	if err != nil {
		panic(err)
	}
	for _, st := range planned.Stages {
		for _, a := range st.Actions {
			fmt.Println(st.Name, a.RunOrder, a.Name, a.Kind.Type().Provider, a.Inputs)
		}
	}
	smoke := planned.Action("Deploy-prod", "Step-smoke-eu-west-1").Kind.(*plan.RunStep)
	fmt.Println("API_URL =", smoke.Variables["API_URL"])
	// Output:
	// Source 1 GitHub CodeStarSourceConnection []
	// Deploy-dev 1 Step-plan-eu-west-1 CodeBuild [Source]
	// Deploy-dev 2 Approve-review-eu-west-1 Manual []
	// Deploy-dev 3 Step-apply-eu-west-1 CodeBuild [Source Step_dev_eu-west-1_plan]
	// Deploy-release-notes 1 Invoke-notes Lambda []
	// Deploy-prod 1 Prepare-infra-eu-west-1 CloudFormation [Source]
	// Deploy-prod 2 Deploy-infra-eu-west-1 CloudFormation []
	// Deploy-prod 3 Prepare-service-eu-west-1 CloudFormation [Source]
	// Deploy-prod 4 Deploy-service-eu-west-1 CloudFormation []
	// Deploy-prod 5 Step-smoke-eu-west-1 CodeBuild [Source]
	// API_URL = #{Deploy_prod_eu-west-1_service.ApiUrl}
}
