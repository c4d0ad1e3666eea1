package canary_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/canary"
)

// ExampleNew releases a function through the alias "live": each new version
// gets 10% of the traffic every minute, and CodeDeploy rolls back when the
// alias reports an error.
func ExampleNew() {
	// Without aws-cdk-lib's built-in CloudFormation validation, as the relay
	// app and relaytest.NewApp synthesize: it costs seconds per App.
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false), BuiltinCloudFormationValidation: jsii.Bool(false)})
	stack := awscdk.NewStack(app, jsii.String("orders-app"), nil)
	fn := awslambda.NewFunction(stack, jsii.String("Api"), &awslambda.FunctionProps{
		FunctionName: jsii.String("orders-app-api"),
		Runtime:      awslambda.Runtime_NODEJS_22_X(),
		Handler:      jsii.String("index.handler"),
		Code:         awslambda.Code_FromInline(jsii.String("exports.handler = async () => ({ statusCode: 200 });")),
	})
	release := canary.New(stack, "Release", &canary.Props{
		Function:         fn,
		DeploymentConfig: "Linear10PercentEvery1Minute",
	})
	// An alarm on the alias watches both versions while traffic shifts.
	release.AddAlarm(awscloudwatch.NewAlarm(stack, jsii.String("Errors"), &awscloudwatch.AlarmProps{
		Metric:            release.Alias().MetricErrors(nil),
		Threshold:         jsii.Number(1),
		EvaluationPeriods: jsii.Number(1),
	}))

	tpl := assertions.Template_FromStack(stack, nil)
	for _, r := range *tpl.FindResources(jsii.String("AWS::CodeDeploy::DeploymentGroup"), nil) {
		props := (*r)["Properties"].(map[string]interface{})
		fmt.Println(props["DeploymentConfigName"])
		fmt.Println(props["AutoRollbackConfiguration"].(map[string]interface{})["Events"])
	}
	for _, r := range *tpl.FindResources(jsii.String("AWS::Lambda::Alias"), nil) {
		_, released := (*r)["UpdatePolicy"].(map[string]interface{})["CodeDeployLambdaAliasUpdate"]
		fmt.Println((*r)["Properties"].(map[string]interface{})["Name"], "released by CodeDeploy:", released)
	}
	// Output:
	// CodeDeployDefault.LambdaLinear10PercentEvery1Minute
	// [DEPLOYMENT_FAILURE DEPLOYMENT_STOP_ON_ALARM]
	// live released by CodeDeploy: true
}

// ExampleConfigName checks a name from a configuration file before any
// construct exists.
func ExampleConfigName() {
	for _, name := range []string{"Canary10Percent5Minutes", "CodeDeployDefault.LambdaAllAtOnce", "Canary10Percent7Minutes"} {
		full, err := canary.ConfigName(name)
		if err != nil {
			fmt.Printf("deploymentConfig %q: %v\n", name, err)
			continue
		}
		fmt.Println(full)
	}
	// Output:
	// CodeDeployDefault.LambdaCanary10Percent5Minutes
	// CodeDeployDefault.LambdaAllAtOnce
	// deploymentConfig "Canary10Percent7Minutes": unknown Lambda deployment config; use one of AllAtOnce, Canary10Percent5Minutes, Canary10Percent10Minutes, Canary10Percent15Minutes, Canary10Percent30Minutes, Linear10PercentEvery1Minute, Linear10PercentEvery2Minutes, Linear10PercentEvery3Minutes, Linear10PercentEvery10Minutes
}
