package pipeline_test

import (
	"fmt"

	"github.com/relaycdk/relay/constructs/pipeline"
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
