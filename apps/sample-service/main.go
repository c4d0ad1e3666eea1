// Command sample-service is a small workload CDK app of the kind a Relay
// pipeline builds and deploys: one stack with an API function released
// through the alias "live" by CodeDeploy (package canary), a pre-traffic
// hook, rollback alarms, and a smoke-test function for a CodePipeline invoke
// action.
//
// The stack name comes from RELAY_STACK_NAME (default payments-app) and
// every physical name starts with it, so that an execution policy scoped to
// <stack>-* covers the stack. The API function's code is a real code asset
// (the folder handlers/): the stack synthesizes with assets.NewSynthesizer,
// so its template reads the code from the Relay pipeline's asset bucket of
// its region, <pipeline>-assets-<tooling account>-<region>, into which the
// pipeline's Assets stage publishes cdk.out's asset manifest; no bootstrap
// rule, no bootstrap in the target accounts. RELAY_PIPELINE (default
// payments) and RELAY_TOOLING_ACCOUNT (default 111111111111) name the
// store. The hooks stay inline (CloudFormation's ZipFile).
//
//	CDK_OUTDIR=out go run ./apps/sample-service   # writes out/payments-app.template.json and its assets
package main

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/assets"
	"github.com/relaycdk/relay/constructs/canary"
	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/naming"
)

// defaultStackName is the stack name without RELAY_STACK_NAME; it matches
// deploy.stackName of Relay's example configuration.
const defaultStackName = "payments-app"

// The hooks are inline code (CloudFormation's ZipFile, at most 4096
// characters each); the API is the code asset handlersDir.
var (
	//go:embed handlers/pre-traffic.js
	preTrafficCode string
	//go:embed handlers/smoke-test.js
	smokeTestCode string
)

func main() {
	path, err := synth(os.Getenv("RELAY_STACK_NAME"), os.Getenv("CDK_OUTDIR"))
	jsii.Close() // stops the jsii runtime, which leaves no temporary folder behind
	if err != nil {
		fmt.Fprintln(os.Stderr, "sample-service:", err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "sample-service: wrote", path)
}

// synth builds the app for stackName ("" for the default) and writes the
// cloud assembly to outdir ("" for a temporary folder). It returns the path
// of the stack's template, <outdir>/<stackName>.template.json.
func synth(stackName, outdir string) (string, error) {
	if stackName == "" {
		stackName = defaultStackName
	}
	if err := checkStackName(stackName); err != nil {
		return "", err
	}
	app, stack := newApp(stackName, appProps(outdir))
	assembly := app.Synth(nil)
	return *assembly.GetStackArtifact(stack.ArtifactId()).TemplateFullPath(), nil
}

// The longest suffix is "-pre-traffic": a Lambda function name has at most
// 64 characters.
var validStackName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,51}$`)

// checkStackName reports whether name makes valid physical names.
func checkStackName(name string) error {
	if !validStackName.MatchString(name) {
		return fmt.Errorf("RELAY_STACK_NAME %q: must start with a letter and have at most 52 letters, digits and hyphens, so that %s-pre-traffic fits Lambda's 64-character function names; such as %s",
			name, name, defaultStackName)
	}
	return nil
}

// appProps are the props of main's App: no analytics, the cloud assembly
// in outdir ("" lets CDK choose), and aws-cdk-lib's built-in CloudFormation
// validation on (its default), as in a team's own app.
func appProps(outdir string) *awscdk.AppProps {
	props := &awscdk.AppProps{AnalyticsReporting: jsii.Bool(false)}
	if outdir != "" {
		props.Outdir = jsii.String(outdir)
	}
	return props
}

// newApp builds the App of props with its one stack, whose construct ID and
// CloudFormation name are stackName.
func newApp(stackName string, props *awscdk.AppProps) (awscdk.App, awscdk.Stack) {
	app := awscdk.NewApp(props)
	pipelineName, tooling := envOr("RELAY_PIPELINE", "payments"), envOr("RELAY_TOOLING_ACCOUNT", "111111111111")
	stack := awscdk.NewStack(app, jsii.String(stackName), &awscdk.StackProps{
		StackName:   jsii.String(stackName),
		Description: jsii.String("Relay sample service: an API function released by CodeDeploy through the alias live"),
		// No bootstrap version rule; the assets go to the Relay pipeline's
		// asset store of the stack's region.
		Synthesizer: assets.NewSynthesizer(&assets.SynthesizerProps{
			ToolingAccount: tooling,
			BucketName:     naming.Names{Name: pipelineName, ToolingAccount: tooling}.AssetBucket("${AWS::Region}"),
		}),
	})
	newService(stack, stackName)
	return app, stack
}

// newService adds the service's resources to stack; every physical name
// starts with name.
func newService(stack awscdk.Stack, name string) {
	deploymentConfig := awscdk.NewCfnParameter(stack, jsii.String("DeploymentConfig"), &awscdk.CfnParameterProps{
		Description:   jsii.String("How CodeDeploy shifts traffic to a new version of the API: AllAtOnce for staging, a canary for production"),
		AllowedValues: jsii.Strings(canary.ShortConfigNames()...),
		Default:       jsii.String("Canary10Percent5Minutes"),
	})
	// Every role of the stack carries the permissions boundary Relay
	// creates in the target account: Relay's execution role may create or
	// change roles only with it.
	boundaryArn := awscdk.NewCfnParameter(stack, jsii.String("PermissionsBoundaryArn"), &awscdk.CfnParameterProps{
		Description:           jsii.String("The permissions boundary Relay creates in this account for the stack's roles: arn:aws:iam::<account>:policy/relay/<name>/<name>-<env>-boundary"),
		AllowedPattern:        jsii.String(`arn:aws[a-z-]*:iam::[0-9]{12}:policy/[\w+=,.@/-]+`),
		ConstraintDescription: jsii.String("must be an IAM managed policy ARN"),
	})
	awsiam.PermissionsBoundary_Of(stack).Apply(awsiam.ManagedPolicy_FromManagedPolicyArn(stack, jsii.String("PermissionsBoundary"), boundaryArn.ValueAsString()))
	jobResultRoleArn := awscdk.NewCfnParameter(stack, jsii.String("JobResultRoleArn"), &awscdk.CfnParameterProps{
		Description: jsii.String("The role in the pipeline's (tooling) account that the smoke test assumes to report its CodePipeline job result: arn:aws:iam::<tooling>:role/relay/<name>/<name>-job-results"),
		// CloudFormation matches the whole value.
		AllowedPattern:        jsii.String(`arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+`),
		ConstraintDescription: jsii.String("must be an IAM role ARN"),
	})

	api := newFunction(stack, "Api", name+"-api", "The API, released through the alias live", apiCode(), "api.handler", 10, nil)
	// The version is built from the function's code and configuration: a
	// change makes a new version, and moving the alias to it is a CodeDeploy
	// deployment.
	version := api.CurrentVersion()

	preTraffic := newFunction(stack, "PreTraffic", name+"-pre-traffic", "CodeDeploy hook: checks the new version before it gets traffic", inline(preTrafficCode), "index.handler", 60, nil)
	preTraffic.AddEnvironment(jsii.String("NEW_VERSION_ARN"), version.FunctionArn(), nil)
	version.GrantInvoke(preTraffic)

	release := canary.New(stack, "Release", &canary.Props{
		Function:            api,
		Version:             version,
		ApplicationName:     name + "-api",
		DeploymentGroupName: name + "-api-live",
		DeploymentConfig:    canary.Prefix + *deploymentConfig.ValueAsString(),
		PreTraffic:          preTraffic, // granted PutLifecycleEventHookExecutionStatus on the group
	})
	alias := release.Alias()
	minute := awscdk.Duration_Minutes(jsii.Number(1))
	release.AddAlarm(awscloudwatch.NewAlarm(stack, jsii.String("ApiErrors"), &awscloudwatch.AlarmProps{
		AlarmName:          jsii.String(name + "-api-errors"),
		AlarmDescription:   jsii.String("The live alias returned an error; CodeDeploy rolls back a deployment while this is in ALARM"),
		Metric:             alias.MetricErrors(&awscloudwatch.MetricOptions{Period: minute, Statistic: jsii.String("Sum")}),
		Threshold:          jsii.Number(1),
		EvaluationPeriods:  jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	}))
	release.AddAlarm(awscloudwatch.NewAlarm(stack, jsii.String("ApiLatency"), &awscloudwatch.AlarmProps{
		AlarmName:          jsii.String(name + "-api-p99-duration"),
		AlarmDescription:   jsii.String("The live alias's p99 duration stayed above 1 s for 2 minutes; CodeDeploy rolls back a deployment while this is in ALARM"),
		Metric:             alias.MetricDuration(&awscloudwatch.MetricOptions{Period: minute, Statistic: jsii.String("p99")}),
		Threshold:          jsii.Number(1000),
		EvaluationPeriods:  jsii.Number(2),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	}))

	// The smoke test runs as the hook role Relay creates in the account,
	// the one kind of role that Relay's job-results role trusts; what it
	// may do (invoke the live alias, report its result) is that role's
	// policy, in Relay's configuration.
	hookRoleArn := awscdk.NewCfnParameter(stack, jsii.String("HookRoleArn"), &awscdk.CfnParameterProps{
		Description:           jsii.String("The role Relay creates in this account for the pipeline's Lambda hook functions: arn:aws:iam::<account>:role/relay/<name>/<name>-<env>-hook"),
		AllowedPattern:        jsii.String(`arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+`),
		ConstraintDescription: jsii.String("must be an IAM role ARN"),
	})
	hookRole := awsiam.Role_FromRoleArn(stack, jsii.String("HookRole"), hookRoleArn.ValueAsString(), &awsiam.FromRoleArnOptions{Mutable: jsii.Bool(false)})
	smokeTest := newFunction(stack, "SmokeTest", name+"-smoke-test", "CodePipeline invoke action: calls the live alias and reports the job result to the pipeline's account", inline(smokeTestCode), "index.handler", 60, hookRole)
	smokeTest.AddEnvironment(jsii.String("ALIAS_ARN"), alias.FunctionArn(), nil)
	smokeTest.AddEnvironment(jsii.String("JOB_RESULT_ROLE_ARN"), jobResultRoleArn.ValueAsString(), nil)

	awscdk.NewCfnOutput(stack, jsii.String("ApiFunctionName"), &awscdk.CfnOutputProps{
		Description: jsii.String("The API function"),
		Value:       api.FunctionName(),
	})
	awscdk.NewCfnOutput(stack, jsii.String("LiveAliasArn"), &awscdk.CfnOutputProps{
		Description: jsii.String("The alias callers invoke"),
		Value:       alias.FunctionArn(),
	})
	awscdk.NewCfnOutput(stack, jsii.String("SmokeTestFunctionName"), &awscdk.CfnOutputProps{
		Description: jsii.String("The function of the pipeline's post-deployment invoke action"),
		Value:       smokeTest.FunctionName(),
	})

	suppress(api, preTraffic, smokeTest, release)
}

// newFunction is a Node.js 22 function with code and handler, named name,
// and a log group of its own that keeps logs for a month; role nil gives it
// a role of its own.
func newFunction(stack awscdk.Stack, id, name, description string, code awslambda.Code, handler string, timeoutSeconds float64, role awsiam.IRole) awslambda.Function {
	logs := awslogs.NewLogGroup(stack, jsii.String(id+"Logs"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String("/aws/lambda/" + name),
		Retention:     awslogs.RetentionDays_ONE_MONTH,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	return awslambda.NewFunction(stack, jsii.String(id), &awslambda.FunctionProps{
		FunctionName: jsii.String(name),
		Description:  jsii.String(description),
		Runtime:      awslambda.Runtime_NODEJS_22_X(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String(handler),
		Code:         code,
		Timeout:      awscdk.Duration_Seconds(jsii.Number(timeoutSeconds)),
		MemorySize:   jsii.Number(128),
		LogGroup:     logs,
		Role:         role,
	})
}

func inline(code string) awslambda.Code { return awslambda.Code_FromInline(jsii.String(code)) }

// apiCode is the API's code asset: the handlers folder without its tests,
// found from the repository root (go run ./apps/sample-service) or from this
// folder (go test).
func apiCode() awslambda.Code {
	dir := filepath.Join("apps", "sample-service", "handlers")
	if _, err := os.Stat(dir); err != nil {
		dir = "handlers"
	}
	return awslambda.Code_FromAsset(jsii.String(dir), &awss3assets.AssetOptions{Exclude: jsii.Strings("*.test.js")})
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// suppress records why the cdk-nag AwsSolutions findings that remain do not
// apply.
func suppress(api, preTraffic, smokeTest awslambda.Function, release *canary.Canary) {
	for _, fn := range []awslambda.Function{api, preTraffic} {
		compliance.Suppress(fn, compliance.Suppression{
			Rule:      "AwsSolutions-IAM4",
			AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
			Reason:    "AWS's managed policy for Lambda logging: the function writes to its own log group, which this stack creates with a retention.",
		})
	}
	for _, fn := range []awslambda.Function{api, preTraffic, smokeTest} {
		compliance.Suppress(fn,
			compliance.Suppression{
				Rule:   "AwsSolutions-L1",
				Reason: "Pinned to nodejs22.x on purpose: the inline handlers use the AWS SDK v3 clients this runtime ships (inline code cannot bundle dependencies); move all three functions together when the runtime is reviewed.",
			},
		)
	}
	compliance.Suppress(release.DeploymentGroup(),
		compliance.Suppression{
			Rule:      "AwsSolutions-IAM4",
			AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited"},
			Reason:    "The policy CodeDeploy documents for Lambda deployment groups: it reads alarms, moves aliases and publishes trigger notifications, and invokes only functions named CodeDeployHook_* (this stack grants its own hook by ARN).",
		},
		compliance.Suppression{
			Rule:      "AwsSolutions-IAM5",
			AppliesTo: []string{"Resource::<" + logicalID(preTraffic) + ".Arn>:*"},
			Reason:    "aws-cdk-lib lets CodeDeploy invoke the pre-traffic hook and its versions and aliases: one function of this stack, not a pattern over functions.",
		},
	)
}

// logicalID is the CloudFormation logical ID of c's default resource.
func logicalID(c constructs.IConstruct) string {
	stack := awscdk.Stack_Of(c)
	return stack.Resolve(stack.GetLogicalId(c.Node().DefaultChild().(awscdk.CfnElement))).(string)
}
