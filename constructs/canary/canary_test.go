package canary_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/canary"
	"github.com/relaycdk/relay/constructs/relaytest"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

type m = map[string]interface{}

func newStack() awscdk.Stack {
	app := relaytest.NewApp()
	return awscdk.NewStack(app, jsii.String("Workload"), nil)
}

func newFunction(stack awscdk.Stack, id string) awslambda.Function {
	return awslambda.NewFunction(stack, jsii.String(id), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_NODEJS_22_X(),
		Handler: jsii.String("index.handler"),
		Code:    awslambda.Code_FromInline(jsii.String("exports.handler = async () => ({ id: '" + id + "' });")),
	})
}

func newAlarm(stack awscdk.Stack, fn awslambda.Function, id string) awscloudwatch.Alarm {
	return awscloudwatch.NewAlarm(stack, jsii.String(id), &awscloudwatch.AlarmProps{
		Metric:            fn.MetricErrors(nil),
		Threshold:         jsii.Number(1),
		EvaluationPeriods: jsii.Number(1),
	})
}

// logicalID is the logical ID of c's default resource.
func logicalID(stack awscdk.Stack, c awscdk.Resource) string {
	return stack.Resolve(stack.GetLogicalId(c.Node().DefaultChild().(awscdk.CfnElement))).(string)
}

func TestCanary(t *testing.T) {
	stack := newStack()
	var c *canary.Canary
	var api, pre, post awslambda.Function
	var errors, latency awscloudwatch.Alarm
	relaytest.Do(t, "canary.New", func() {
		api, pre, post = newFunction(stack, "Api"), newFunction(stack, "PreTraffic"), newFunction(stack, "PostTraffic")
		errors, latency = newAlarm(stack, api, "Errors"), newAlarm(stack, api, "Latency")
		c = canary.New(stack, "Release", &canary.Props{
			Function:            api,
			ApplicationName:     "payments-app-api",
			DeploymentGroupName: "payments-app-api-live",
			DeploymentConfig:    "Canary10Percent5Minutes",
			Alarms:              []awscloudwatch.IAlarm{errors},
			PreTraffic:          pre,
			PostTraffic:         post,
		})
		c.AddAlarm(latency)
	})
	tpl := relaytest.Template(t, stack)
	var ids struct{ api, pre, preRole, post, errors, latency, app, group, version string }
	relaytest.Do(t, "logical IDs", func() {
		ids.api, ids.pre, ids.post = logicalID(stack, api), logicalID(stack, pre), logicalID(stack, post)
		ids.errors, ids.latency = logicalID(stack, errors), logicalID(stack, latency)
		ids.preRole = logicalID(stack, pre.Role().(awsiam.Role))
		ids.group = logicalID(stack, c.DeploymentGroup())
		ids.app = logicalID(stack, c.DeploymentGroup().Application().(awscdk.Resource))
		ids.version = logicalID(stack, c.Version().(awslambda.Version))
	})
	ref := func(id string) m { return m{"Ref": id} }

	tests := []struct {
		name, typ string
		props     m
		resource  bool // props is the whole resource, not its Properties
	}{
		{"alias live points to the function's current version", "AWS::Lambda::Alias", m{
			"Name": "live", "FunctionName": ref(ids.api),
			// aws-cdk-lib appends a hash of the function's code and
			// configuration to the version's logical ID at synth.
			"FunctionVersion": m{"Fn::GetAtt": []interface{}{assertions.Match_StringLikeRegexp(jsii.String("^" + ids.version + "[0-9a-f]{32}$")), "Version"}},
		}, false},
		// The Refs to the hooks also make CloudFormation update them (e.g. the
		// version they test) before it moves the alias.
		{"CloudFormation moves the alias through CodeDeploy, with both hooks", "AWS::Lambda::Alias", m{
			"UpdatePolicy": m{"CodeDeployLambdaAliasUpdate": m{
				"ApplicationName":        ref(ids.app),
				"DeploymentGroupName":    ref(ids.group),
				"BeforeAllowTrafficHook": ref(ids.pre),
				"AfterAllowTrafficHook":  ref(ids.post),
			}},
		}, true},
		{"the application has its name", "AWS::CodeDeploy::Application", m{
			"ApplicationName": "payments-app-api", "ComputePlatform": "Lambda",
		}, false},
		{"the group shifts 10% first, rolls back on failure and on either alarm", "AWS::CodeDeploy::DeploymentGroup", m{
			"ApplicationName":      ref(ids.app),
			"DeploymentGroupName":  "payments-app-api-live",
			"DeploymentConfigName": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
			"DeploymentStyle":      m{"DeploymentType": "BLUE_GREEN", "DeploymentOption": "WITH_TRAFFIC_CONTROL"},
			"AlarmConfiguration": m{"Enabled": true, "Alarms": []interface{}{
				m{"Name": ref(ids.errors)}, m{"Name": ref(ids.latency)},
			}},
			"AutoRollbackConfiguration": m{"Enabled": true, "Events": []interface{}{"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"}},
		}, false},
		{"the pre-traffic hook may report on this deployment group only", "AWS::IAM::Policy", m{
			"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": []interface{}{m{
				"Action": "codedeploy:PutLifecycleEventHookExecutionStatus", "Effect": "Allow",
				"Resource": m{"Fn::Join": []interface{}{"", []interface{}{
					"arn:", m{"Ref": "AWS::Partition"}, ":codedeploy:", m{"Ref": "AWS::Region"}, ":", m{"Ref": "AWS::AccountId"},
					":deploymentgroup:", ref(ids.app), "/", ref(ids.group),
				}}},
			}}}),
			"Roles": []interface{}{ref(ids.preRole)},
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			relaytest.Check(t, tc.name, func() {
				if tc.resource {
					tpl.HasResource(jsii.String(tc.typ), tc.props)
				} else {
					tpl.HasResourceProperties(jsii.String(tc.typ), tc.props)
				}
			})
		})
	}
}

func TestCanaryDefaults(t *testing.T) {
	stack := newStack()
	relaytest.Do(t, "canary.New", func() {
		canary.New(stack, "Release", &canary.Props{Function: newFunction(stack, "Api"), DeploymentConfig: "AllAtOnce"})
	})
	tpl := relaytest.Template(t, stack)
	tests := []struct {
		name, typ string
		props     m
	}{
		{"alias is called live", "AWS::Lambda::Alias", m{"Name": "live"}},
		{"names are generated", "AWS::CodeDeploy::Application", m{"ApplicationName": assertions.Match_Absent()}},
		{"without alarms, the group rolls back on failure only", "AWS::CodeDeploy::DeploymentGroup", m{
			"DeploymentGroupName":       assertions.Match_Absent(),
			"DeploymentConfigName":      "CodeDeployDefault.LambdaAllAtOnce",
			"AutoRollbackConfiguration": m{"Enabled": true, "Events": []interface{}{"DEPLOYMENT_FAILURE"}},
			// aws-cdk-lib's recommended removeAlarmsFromDeploymentGroup flag
			// writes "no alarms" explicitly, so that alarms removed from the
			// configuration are also removed from the deployed group.
			"AlarmConfiguration": m{"Enabled": false},
		}},
	}
	for _, tc := range tests {
		relaytest.Check(t, tc.name, func() { tpl.HasResourceProperties(jsii.String(tc.typ), tc.props) })
	}
	relaytest.Check(t, "the update policy names no hooks", func() {
		tpl.HasResource(jsii.String("AWS::Lambda::Alias"), m{"UpdatePolicy": m{"CodeDeployLambdaAliasUpdate": m{
			"ApplicationName":        assertions.Match_AnyValue(),
			"DeploymentGroupName":    assertions.Match_AnyValue(),
			"BeforeAllowTrafficHook": assertions.Match_Absent(),
			"AfterAllowTrafficHook":  assertions.Match_Absent(),
		}}})
	})
}

// TestCanaryToken checks that a deployment config chosen at deploy time, by
// a CfnParameter of short names, reaches CodeDeploy as a full name.
func TestCanaryToken(t *testing.T) {
	stack := newStack()
	relaytest.Do(t, "canary.New", func() {
		param := awscdk.NewCfnParameter(stack, jsii.String("DeploymentConfig"), &awscdk.CfnParameterProps{
			AllowedValues: jsii.Strings(canary.ShortConfigNames()...),
			Default:       jsii.String("Canary10Percent5Minutes"),
		})
		canary.New(stack, "Release", &canary.Props{
			Function:         newFunction(stack, "Api"),
			DeploymentConfig: canary.Prefix + *param.ValueAsString(),
		})
	})
	relaytest.Check(t, "config name joins the prefix and the parameter", func() {
		relaytest.Template(t, stack).HasResourceProperties(jsii.String("AWS::CodeDeploy::DeploymentGroup"), m{
			"DeploymentConfigName": m{"Fn::Join": []interface{}{"", []interface{}{"CodeDeployDefault.Lambda", m{"Ref": "DeploymentConfig"}}}},
		})
	})
}

func TestPropsValidate(t *testing.T) {
	const use = "use one of AllAtOnce, Canary10Percent5Minutes, Canary10Percent10Minutes, Canary10Percent15Minutes, Canary10Percent30Minutes, Linear10PercentEvery1Minute, Linear10PercentEvery2Minutes, Linear10PercentEvery3Minutes, Linear10PercentEvery10Minutes"
	stack := newStack()
	var fn awslambda.Function
	var imported awslambda.IFunction
	var alarms []awscloudwatch.IAlarm
	relaytest.Do(t, "fixtures", func() {
		fn = newFunction(stack, "Api")
		imported = awslambda.Function_FromFunctionArn(stack, jsii.String("Imported"), jsii.String("arn:aws:lambda:us-east-1:222222222222:function:payments-app-api"))
		for i := range canary.MaxAlarms + 1 {
			alarms = append(alarms, awscloudwatch.Alarm_FromAlarmArn(stack, jsii.String(fmt.Sprint("Alarm", i)), jsii.String(fmt.Sprint("arn:aws:cloudwatch:us-east-1:222222222222:alarm:a", i))))
		}
	})
	valid := func() *canary.Props {
		return &canary.Props{Function: fn, DeploymentConfig: "Canary10Percent5Minutes", Alarms: alarms[:2]}
	}
	tests := []struct {
		name   string
		mutate func(p *canary.Props)
		want   []string
	}{
		{"valid", func(p *canary.Props) {}, nil},
		{"full name and names", func(p *canary.Props) {
			p.DeploymentConfig = "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes"
			p.AliasName, p.ApplicationName, p.DeploymentGroupName = "prod_2", "payments-app-api", "payments-app-api.live"
		}, nil},
		{"imported function with a version", func(p *canary.Props) {
			p.Function = imported
			p.Version = fn.CurrentVersion()
		}, nil},
		{"ten alarms", func(p *canary.Props) { p.Alarms = alarms[:canary.MaxAlarms] }, nil},
		{"unknown config", func(p *canary.Props) { p.DeploymentConfig = "Canary10Percent7Minutes" }, []string{
			`DeploymentConfig "Canary10Percent7Minutes": unknown Lambda deployment config; ` + use,
		}},
		{"config in the wrong case", func(p *canary.Props) { p.DeploymentConfig = "allAtOnce" }, []string{
			`DeploymentConfig "allAtOnce": names are case-sensitive; use AllAtOnce`,
		}},
		{"nothing set", func(p *canary.Props) { *p = canary.Props{} }, []string{
			"Function: required; set the function to release",
			`DeploymentConfig "": must be set; ` + use,
		}},
		{"imported function without a version", func(p *canary.Props) { p.Function = imported }, []string{
			"Version: required when Function is not an awslambda.Function (e.g. imported); set a version whose logical ID changes with each release",
		}},
		{"names", func(p *canary.Props) {
			p.AliasName, p.ApplicationName, p.DeploymentGroupName = "42", "payments app", strings.Repeat("g", 101)
		}, []string{
			`AliasName "42": must be 1-128 letters, digits, - and _, and not only digits (that names a version); omit it for "live"`,
			`ApplicationName "payments app": must be 1-100 letters, digits and ._+=,@-; omit it for a generated name`,
			`DeploymentGroupName "` + strings.Repeat("g", 101) + `": must be 1-100 letters, digits and ._+=,@-; omit it for a generated name`,
		}},
		{"alias name with a colon", func(p *canary.Props) { p.AliasName = "live:1" }, []string{
			`AliasName "live:1": must be 1-128 letters, digits, - and _, and not only digits (that names a version); omit it for "live"`,
		}},
		{"alarms", func(p *canary.Props) { p.Alarms = append(append([]awscloudwatch.IAlarm{}, alarms...), nil) }, []string{
			"Alarms: 12 alarms; CodeDeploy takes at most 10 per deployment group, combine some into an awscloudwatch.CompositeAlarm",
			"Alarms[11]: nil; remove it or set an alarm",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := valid()
			tc.mutate(p)
			relaytest.ValidateError(t, p.Validate(), "canary.Props: ", tc.want)
		})
	}
	var nilProps *canary.Props
	if err := nilProps.Validate(); err == nil || err.Error() != "canary.Props: nil; set at least Function and DeploymentConfig" {
		t.Errorf("(*Props)(nil).Validate() = %v", err)
	}
}

func TestNewPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func(stack awscdk.Stack)
		want string
	}{
		{"invalid props, with every problem", func(stack awscdk.Stack) {
			canary.New(stack, "Release", &canary.Props{AliasName: "1", DeploymentConfig: "Canary10Percent7Minutes"})
		}, "canary.Props: Function: required; set the function to release\n" +
			`AliasName "1": must be 1-128 letters, digits, - and _, and not only digits (that names a version); omit it for "live"` + "\n" +
			`DeploymentConfig "Canary10Percent7Minutes": unknown Lambda deployment config; use one of AllAtOnce, Canary10Percent5Minutes, Canary10Percent10Minutes, Canary10Percent15Minutes, Canary10Percent30Minutes, Linear10PercentEvery1Minute, Linear10PercentEvery2Minutes, Linear10PercentEvery3Minutes, Linear10PercentEvery10Minutes`},
		{"an eleventh alarm", func(stack awscdk.Stack) {
			fn := newFunction(stack, "Api")
			c := canary.New(stack, "Release", &canary.Props{Function: fn, DeploymentConfig: "AllAtOnce"})
			for i := range canary.MaxAlarms + 1 {
				c.AddAlarm(newAlarm(stack, fn, fmt.Sprint("Alarm", i)))
			}
		}, "canary.AddAlarm: CodeDeploy takes at most 10 alarms per deployment group; combine some into an awscloudwatch.CompositeAlarm"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg, ok := relaytest.Recover(func() { tc.f(newStack()) })
			if ok || msg != tc.want {
				t.Errorf("panic = %q (panicked: %v)\nwant %q", msg, !ok, tc.want)
			}
		})
	}
}
