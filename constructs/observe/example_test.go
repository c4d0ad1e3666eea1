package observe_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/observe"
)

// ExampleNew watches a pipeline built without Relay's config: failures,
// approvals and stopped executions go by email and to a Slack channel,
// production's deployments are announced too, and an execution still
// running after four hours raises an alarm.
func ExampleNew() {
	// Without aws-cdk-lib's built-in CloudFormation validation, as the relay
	// app and relaytest.NewApp synthesize: it costs seconds per App.
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false), BuiltinCloudFormationValidation: jsii.Bool(false)})
	stack := awscdk.NewStack(app, jsii.String("Tooling"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")},
	})
	props := &observe.Props{
		PipelineName:  "orders",
		Partition:     "aws",
		Account:       "111111111111",
		Region:        "eu-west-1",
		BuildProjects: []string{"orders-build"},
		Environments: []observe.Environment{
			{Name: "staging", Stages: []string{"Deploy-staging"}},
			{Name: "production", Stages: []string{"Deploy-production"}},
		},
		Notifications: observe.Notifications{
			Emails:                []string{"orders-team@example.com"},
			Slack:                 []observe.SlackChannel{{WorkspaceID: "T0123ABCD45", ChannelID: "C0123ABCD45"}},
			SucceededEnvironments: []string{"production"},
		},
		Alarms: observe.Alarms{MaxExecutionMinutes: 240},
	}
	if err := props.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	o := observe.New(stack, "Observe", props)
	fmt.Println("alarms:", o.AlarmNames())
	fmt.Println("chat channels read CloudWatch only:", observe.ChatActions)
	// Output:
	// alarms: [orders-failed-executions orders-long-executions orders-notification-failures]
	// chat channels read CloudWatch only: [cloudwatch:Describe* cloudwatch:Get* cloudwatch:List*]
}
