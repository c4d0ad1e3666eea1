package pipeline_test

import (
	"fmt"

	"github.com/relaycdk/relay/constructs/pipeline"
)

// ExamplePlanStages_release plans an ECS blue/green release with a database
// migration before it (Step Functions) and a smoke test after it (Lambda),
// both run as the environment's invoke role.
func ExamplePlanStages_release() {
	production := pipeline.Deployment{
		Name: "production", Account: "333333333333", Regions: []string{"us-east-1"},
		DeployRoleArn: "arn:aws:iam::333333333333:role/relay/shop/shop-production-deploy",
		InvokeRoleArn: "arn:aws:iam::333333333333:role/relay/shop/shop-production-invoke",
		StackName:     "shop-app",
		Release: &pipeline.Release{ECSBlueGreen: &pipeline.ECSBlueGreenRelease{
			Application: "shop", DeploymentGroup: "shop-production",
		}},
		Hooks: []pipeline.Hook{
			{Name: "migrate", Before: true, StepFunctions: &pipeline.StepFunctionsHook{
				StateMachine: "shop-migrate", Input: map[string]string{"commit": "#{SourceVariables.CommitId}"}}},
			{Name: "smoke-test", Lambda: &pipeline.LambdaHook{Function: "shop-smoke-test", UserParameters: `{"path":"/health"}`}},
		},
		Approval: &pipeline.Approval{},
	}
	stages, err := pipeline.PlanStages([]pipeline.Deployment{production})
	if err != nil {
		panic(err)
	}
	for _, a := range stages[0].Actions {
		fmt.Println(a.RunOrder, a.Name)
	}
	// Output:
	// 1 Approve
	// 2 Hook-migrate-us-east-1
	// 3 Deploy-us-east-1
	// 4 Hook-smoke-test-us-east-1
}
