package pipeline_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/naming"
	"github.com/relaycdk/relay/constructs/pipeline"
)

// ExampleNew builds, in a team's own tooling stack, a pipeline from GitLab
// with a Test stage, a Scan stage and a gated production deployment: the Go
// form of what relay.yaml configures.
func ExampleNew() {
	// Without aws-cdk-lib's built-in CloudFormation validation, as the relay
	// app and relaytest.NewApp synthesize: it costs seconds per App.
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false), BuiltinCloudFormationValidation: jsii.Bool(false)})
	stack := awscdk.NewStack(app, jsii.String("Tooling"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
	// The names the targets' Apps use too (see target.ExampleNew).
	n := naming.Names{Name: "orders", ToolingAccount: "111111111111", ToolingRegion: "us-east-1"}
	store := artifacts.NewStore(stack, "Artifacts", &artifacts.StoreProps{
		BucketName: n.ArtifactBucket("us-east-1"),
		Readers:    artifacts.Readers{OrganizationID: "o-a1b2c3d4e5", OrganizationalUnits: []string{"ou-a1b2-w0rkl0ad"}, RoleArnPatterns: []string{n.DeployRolePattern()}},
	})
	pipeline.New(stack, "Pipeline", &pipeline.Props{
		RoleName: n.PipelineRole(),
		RolePath: n.RolePath(),
		Store:    store,
		Source: &pipeline.ConnectionSource{
			Provider: "GitLab", Owner: "acme", Repo: "orders",
			ConnectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/abc",
			Triggers:      &pipeline.Triggers{Branches: pipeline.Filter{Includes: []string{"main"}}},
		},
		Build: pipeline.Build{Cache: "local", EnvironmentVariables: map[string]pipeline.BuildVariable{
			"RELEASE_TAG": pipeline.PlainText("#{variables.releaseTag}"),
		}},
		Variables: []pipeline.Variable{{Name: "releaseTag", Default: "latest"}},
		Tests: []pipeline.Suite{
			{Name: "unit", Commands: []string{"make test"}, Reports: &pipeline.Reports{Files: []string{"reports/*.xml"}}},
		},
		Scan:          &pipeline.Scan{FailOn: "HIGH", Scanners: []pipeline.Suite{{Name: "deps", Preset: "trivy"}}},
		ExecutionMode: "QUEUED",
		Deployments: []pipeline.Deployment{{
			Name: "production",
			Target: &pipeline.Account{
				ID:               "333333333333",
				DeployRoleArn:    n.DeployRoleArn("333333333333", "production"),
				ExecutionRoleArn: n.ExecutionRoleArn("333333333333", "production"),
			},
			Regions:  []string{"us-east-1"},
			Release:  &pipeline.Stack{Name: "orders-app"},
			Approval: &pipeline.Approval{Comment: "Ship it?", TimeoutMinutes: 1440},
			Window:   &pipeline.Window{Cron: "cron(* 9-16 ? * MON-FRI *)"},
		}},
		DeployRolePatterns: []string{n.DeployRolePattern()},
	})
	tpl := assertions.Template_FromStack(stack, nil)
	for _, r := range *tpl.FindResources(jsii.String("AWS::CodePipeline::Pipeline"), nil) {
		for _, st := range (*r)["Properties"].(map[string]interface{})["Stages"].([]interface{}) {
			fmt.Println(st.(map[string]interface{})["Name"])
		}
	}
	// Output:
	// Source
	// Build
	// Test
	// Scan
	// Deploy-production
}
