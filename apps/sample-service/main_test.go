package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/canary"
	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/relaytest"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

type m = map[string]interface{}

// testApp is newApp for the tests that read the stack: without aws-cdk-lib's
// built-in CloudFormation validation, which costs seconds per synthesis
// (TestSynth runs main's App, with it).
func testApp(stackName string) (awscdk.App, awscdk.Stack) {
	return newApp(stackName, &awscdk.AppProps{AnalyticsReporting: jsii.Bool(false), BuiltinCloudFormationValidation: jsii.Bool(false)})
}

// maxInlineCode is CloudFormation's limit for a function's ZipFile.
const maxInlineCode = 4096

func TestInlineCodeFits(t *testing.T) {
	for name, code := range map[string]string{"pre-traffic": preTrafficCode, "smoke-test": smokeTestCode} {
		if len(code) == 0 || len(code) > maxInlineCode {
			t.Errorf("handlers/%s.js: %d characters; inline code takes 1 to %d", name, len(code), maxInlineCode)
		}
	}
}

// TestHandlers runs the handlers' own tests (handlers/handlers.test.js),
// which replace the AWS SDK with a recorder, on the Node.js that jsii uses.
func TestHandlers(t *testing.T) {
	node := os.Getenv("JSII_NODE")
	if node == "" {
		var err error
		if node, err = exec.LookPath("node"); err != nil {
			t.Skip("no Node.js on PATH and no JSII_NODE: cannot run handlers/handlers.test.js")
		}
	}
	out, err := exec.Command(node, "--test", filepath.Join("handlers", "handlers.test.js")).CombinedOutput()
	if err != nil {
		t.Errorf("node --test handlers/handlers.test.js: %v\n%s", err, out)
	}
}

func TestCheckStackName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"payments-app", true},
		{"a", true},
		{"Orders2", true},
		{strings.Repeat("s", 52), true},
		{strings.Repeat("s", 53), false},
		{"", false},
		{"1app", false},
		{"payments_app", false},
		{"payments.app", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkStackName(tc.name)
			if (err == nil) != tc.ok {
				t.Errorf("checkStackName(%q) = %v, want ok %v", tc.name, err, tc.ok)
			}
			if err != nil && !strings.HasPrefix(err.Error(), fmt.Sprintf("RELAY_STACK_NAME %q: must start with a letter", tc.name)) {
				t.Errorf("error %q does not name the variable and value", err)
			}
		})
	}
}

// TestTemplate checks what a pipeline's CloudFormation action and the
// target account's execution policy need of the template, for the default
// stack name and another one.
func TestTemplate(t *testing.T) {
	for _, name := range []string{defaultStackName, "orders-svc"} {
		t.Run(name, func(t *testing.T) { testTemplate(t, name) })
	}
}

func testTemplate(t *testing.T, name string) {
	_, stack := testApp(name)
	tpl := relaytest.Template(t, stack)
	raw := *tpl.ToJSON()
	resources := raw["Resources"].(m)
	ofType := func(typ string) map[string]m {
		out := map[string]m{}
		for id, r := range resources {
			if r.(m)["Type"] == typ {
				out[id] = r.(m)
			}
		}
		return out
	}
	props := func(r m) m { p, _ := r["Properties"].(m); return p }
	only := func(typ string) (string, m) {
		t.Helper()
		rs := ofType(typ)
		if len(rs) != 1 {
			t.Fatalf("%d resources of type %s, want 1", len(rs), typ)
		}
		for id, r := range rs {
			return id, r
		}
		return "", nil
	}
	aliasID, _ := only("AWS::Lambda::Alias")
	groupID, _ := only("AWS::CodeDeploy::DeploymentGroup")

	t.Run("deployable as it is", func(t *testing.T) {
		if _, ok := raw["Rules"]; ok {
			t.Errorf("template has Rules (the bootstrap version check?): %v", raw["Rules"])
		}
		params := slices.Sorted(func(yield func(string) bool) {
			for p := range raw["Parameters"].(m) {
				if !yield(p) {
					return
				}
			}
		})
		if diff := cmp.Diff([]string{"DeploymentConfig", "HookRoleArn", "JobResultRoleArn", "PermissionsBoundaryArn"}, params); diff != "" {
			t.Errorf("parameters (-want +got), no asset or BootstrapVersion parameter expected:\n%s", diff)
		}
		assets := 0
		for id, r := range ofType("AWS::Lambda::Function") {
			code := props(r)["Code"].(m)
			if b, ok := code["S3Bucket"].(m); ok {
				// The API's code asset, in the pipeline's asset bucket of
				// the region the stack deploys to.
				if diff := cmp.Diff(m{"Fn::Sub": "payments-assets-111111111111-${AWS::Region}"}, b); diff != "" {
					t.Errorf("%s: code bucket (-want +got):\n%s", id, diff)
				}
				assets++
				continue
			}
			zip, ok := code["ZipFile"].(string)
			if !ok || len(code) != 1 {
				t.Errorf("%s: code %v, want inline ZipFile or the asset bucket", id, code)
			}
			if len(zip) > maxInlineCode {
				t.Errorf("%s: %d characters of inline code; CloudFormation takes at most %d", id, len(zip), maxInlineCode)
			}
			if props(r)["Runtime"] != "nodejs22.x" {
				t.Errorf("%s: runtime %v, want nodejs22.x (its AWS SDK v3 is what the handlers use)", id, props(r)["Runtime"])
			}
		}
		if assets != 1 {
			t.Errorf("%d functions read a code asset, want 1 (the API)", assets)
		}
	})

	t.Run("physical names start with the stack name", func(t *testing.T) {
		var functions []string
		for _, r := range ofType("AWS::Lambda::Function") {
			functions = append(functions, props(r)["FunctionName"].(string))
		}
		slices.Sort(functions)
		want := []string{name + "-api", name + "-pre-traffic", name + "-smoke-test"}
		if diff := cmp.Diff(want, functions); diff != "" {
			t.Errorf("function names (-want +got):\n%s", diff)
		}
		for id, r := range resources {
			for _, key := range []string{"FunctionName", "AlarmName", "ApplicationName", "DeploymentGroupName", "LogGroupName", "RoleName"} {
				v, ok := props(r.(m))[key].(string)
				if ok && !strings.HasPrefix(strings.TrimPrefix(v, "/aws/lambda/"), name+"-") {
					t.Errorf("%s: %s %q does not start with %s-, the pattern of the execution policy", id, key, v, name)
				}
			}
		}
	})

	tests := []struct {
		what, typ string
		match     m
		resource  bool // match is the whole resource, not its Properties
	}{
		{"CloudFormation moves the alias live through CodeDeploy, after the pre-traffic hook", "AWS::Lambda::Alias", m{
			"Properties": m{"Name": "live"},
			"UpdatePolicy": m{"CodeDeployLambdaAliasUpdate": m{
				"ApplicationName":        m{"Ref": logicalIDOf(t, resources, "AWS::CodeDeploy::Application", name+"-api")},
				"DeploymentGroupName":    m{"Ref": groupID},
				"BeforeAllowTrafficHook": m{"Ref": logicalIDOf(t, resources, "AWS::Lambda::Function", name+"-pre-traffic")},
			}},
		}, true},
		{"the deployment config is a parameter of short names, a canary by default", "", nil, false},
		{"the deployment group takes the parameter, rolls back on failure and on either alarm", "AWS::CodeDeploy::DeploymentGroup", m{
			"ApplicationName":      assertions.Match_AnyValue(),
			"DeploymentGroupName":  name + "-api-live",
			"DeploymentConfigName": m{"Fn::Join": []interface{}{"", []interface{}{"CodeDeployDefault.Lambda", m{"Ref": "DeploymentConfig"}}}},
			"AlarmConfiguration": m{"Enabled": true, "Alarms": []interface{}{
				m{"Name": m{"Ref": logicalIDOf(t, resources, "AWS::CloudWatch::Alarm", name+"-api-errors")}},
				m{"Name": m{"Ref": logicalIDOf(t, resources, "AWS::CloudWatch::Alarm", name+"-api-p99-duration")}},
			}},
			"AutoRollbackConfiguration": m{"Enabled": true, "Events": []interface{}{"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"}},
		}, false},
		{"the errors alarm watches the alias", "AWS::CloudWatch::Alarm", m{
			"AlarmName": name + "-api-errors", "MetricName": "Errors", "Namespace": "AWS/Lambda", "Statistic": "Sum", "Threshold": 1,
			"Dimensions": assertions.Match_ArrayWith(&[]interface{}{m{"Name": "Resource", "Value": m{"Fn::Join": []interface{}{"", []interface{}{m{"Ref": logicalIDOf(t, resources, "AWS::Lambda::Function", name+"-api")}, ":live"}}}}}),
		}, false},
		{"the latency alarm watches the alias's p99", "AWS::CloudWatch::Alarm", m{
			"AlarmName": name + "-api-p99-duration", "MetricName": "Duration", "ExtendedStatistic": "p99", "Threshold": 1000,
		}, false},
		{"the pre-traffic hook tests the new version and may report to this deployment group only", "AWS::IAM::Policy", m{
			"PolicyDocument": m{"Version": "2012-10-17", "Statement": []interface{}{
				m{"Action": "lambda:InvokeFunction", "Effect": "Allow", "Resource": m{"Ref": logicalIDOf(t, resources, "AWS::Lambda::Version", "")}},
				m{"Action": "codedeploy:PutLifecycleEventHookExecutionStatus", "Effect": "Allow", "Resource": m{"Fn::Join": []interface{}{"", []interface{}{
					"arn:", m{"Ref": "AWS::Partition"}, ":codedeploy:", m{"Ref": "AWS::Region"}, ":", m{"Ref": "AWS::AccountId"},
					":deploymentgroup:", m{"Ref": logicalIDOf(t, resources, "AWS::CodeDeploy::Application", name+"-api")}, "/", m{"Ref": groupID},
				}}}},
			}},
		}, false},
		{"the smoke test runs as the hook role Relay creates", "AWS::Lambda::Function", m{
			"FunctionName": name + "-smoke-test",
			"Role":         m{"Ref": "HookRoleArn"},
		}, false},
		{"the smoke test knows the alias and the role", "AWS::Lambda::Function", m{
			"FunctionName": name + "-smoke-test",
			"Environment": m{"Variables": m{
				"ALIAS_ARN":           m{"Ref": aliasID},
				"JOB_RESULT_ROLE_ARN": m{"Ref": "JobResultRoleArn"},
			}},
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			relaytest.Check(t, tc.what, func() {
				switch {
				case tc.typ == "":
					tpl.HasParameter(jsii.String("DeploymentConfig"), m{
						"Type": "String", "Default": "Canary10Percent5Minutes", "AllowedValues": canary.ShortConfigNames(),
					})
				case tc.resource:
					tpl.HasResource(jsii.String(tc.typ), tc.match)
				default:
					tpl.HasResourceProperties(jsii.String(tc.typ), tc.match)
				}
			})
		})
	}

	t.Run("outputs", func(t *testing.T) {
		outputs := raw["Outputs"].(m)
		want := m{
			"ApiFunctionName":       m{"Ref": logicalIDOf(t, resources, "AWS::Lambda::Function", name+"-api")},
			"LiveAliasArn":          m{"Ref": aliasID},
			"SmokeTestFunctionName": m{"Ref": logicalIDOf(t, resources, "AWS::Lambda::Function", name+"-smoke-test")},
		}
		for k, v := range want {
			o, _ := outputs[k].(m)
			if diff := cmp.Diff(v, o["Value"]); diff != "" {
				t.Errorf("output %s (-want +got):\n%s", k, diff)
			}
		}
	})
}

// TestSmokeTestHasNoRoleOfItsOwn checks that the smoke test's permissions
// live in Relay's hook role only: the stack gives it no role and no policy.
func TestSmokeTestHasNoRoleOfItsOwn(t *testing.T) {
	_, stack := testApp(defaultStackName)
	for id, r := range relaytest.JSON(t, stack)["Resources"].(m) {
		typ := r.(m)["Type"]
		if (typ == "AWS::IAM::Role" || typ == "AWS::IAM::Policy") && strings.HasPrefix(id, "SmokeTest") {
			t.Errorf("%s (%s): the smoke test has IAM of its own; it runs as Relay's hook role", id, typ)
		}
	}
}

// TestCompliance runs cdk-nag's AwsSolutions pack: every finding is fixed or
// suppressed with a reason.
func TestCompliance(t *testing.T) {
	app, stack := testApp(defaultStackName)
	relaytest.Do(t, "add cdk-nag", func() { compliance.AwsSolutions(app) })
	if errs := relaytest.Errors(t, stack); len(errs) > 0 {
		t.Errorf("%d unsuppressed cdk-nag findings:\n%s", len(errs), relaytest.FindingsText(errs))
	}
}

// TestSynth runs what main runs and checks the template it writes, which the
// buildspec copies to template.json.
func TestSynth(t *testing.T) {
	tests := []struct {
		stackName, wantFile, wantErr string
	}{
		{"", "payments-app.template.json", ""},
		{"orders-svc", "orders-svc.template.json", ""},
		{"orders_svc", "", `RELAY_STACK_NAME "orders_svc": must start with a letter and have at most 52 letters, digits and hyphens, so that orders_svc-pre-traffic fits Lambda's 64-character function names; such as payments-app`},
	}
	for _, tc := range tests {
		t.Run(tc.stackName, func(t *testing.T) {
			dir := t.TempDir()
			var path string
			var err error
			relaytest.Do(t, "synth", func() { path, err = synth(tc.stackName, dir) })
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("synth(%q) error = %v\nwant %s", tc.stackName, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("synth(%q): %v", tc.stackName, err)
			}
			want := filepath.Join(dir, tc.wantFile)
			if path != want {
				t.Errorf("synth(%q) = %s, want %s", tc.stackName, path, want)
			}
			b, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			var tpl m
			if err := json.Unmarshal(b, &tpl); err != nil || tpl["Resources"] == nil {
				t.Errorf("%s: not a template with resources: %v", want, err)
			}
		})
	}
}

// TestBuildspec checks that the buildspec runs the app the way TestSynth
// does and ships the file it writes as template.json.
func TestBuildspec(t *testing.T) {
	raw, err := os.ReadFile("buildspec.yml")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Version string `yaml:"version"`
		Env     struct {
			Variables map[string]string `yaml:"variables"`
		} `yaml:"env"`
		Phases struct {
			Install struct {
				RuntimeVersions map[string]string `yaml:"runtime-versions"`
			} `yaml:"install"`
			Build struct {
				Commands []string `yaml:"commands"`
			} `yaml:"build"`
		} `yaml:"phases"`
		Artifacts struct {
			Files []string `yaml:"files"`
		} `yaml:"artifacts"`
	}
	if err := yaml.UnmarshalWithOptions(raw, &spec, yaml.Strict()); err != nil {
		t.Fatalf("buildspec.yml: %v", err)
	}
	vars := spec.Env.Variables
	got := map[string]string{
		"version":          spec.Version,
		"nodejs":           spec.Phases.Install.RuntimeVersions["nodejs"],
		"GOTOOLCHAIN":      vars["GOTOOLCHAIN"],
		"RELAY_STACK_NAME": vars["RELAY_STACK_NAME"],
	}
	want := map[string]string{"version": "0.2", "nodejs": "22", "GOTOOLCHAIN": "auto", "RELAY_STACK_NAME": defaultStackName}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("buildspec.yml (-want +got):\n%s", diff)
	}
	if vars["CDK_OUTDIR"] == "" {
		t.Errorf("buildspec.yml: no CDK_OUTDIR variable")
	}
	wantCommands := []string{
		"go run ./apps/sample-service",
		`cp "$CDK_OUTDIR/$RELAY_STACK_NAME.template.json" template.json`,
	}
	for _, c := range wantCommands {
		if !slices.Contains(spec.Phases.Build.Commands, c) {
			t.Errorf("buildspec.yml: build commands %q lack %q", spec.Phases.Build.Commands, c)
		}
	}
	if !slices.Contains(spec.Artifacts.Files, "template.json") {
		t.Errorf("buildspec.yml: artifacts %q lack template.json", spec.Artifacts.Files)
	}
}

// logicalIDOf is the logical ID of the one resource of type typ whose
// physical name (any *Name property) is name; "" matches the only resource
// of that type.
func logicalIDOf(t testing.TB, resources m, typ, name string) string {
	t.Helper()
	var ids []string
	for id, r := range resources {
		if r.(m)["Type"] != typ {
			continue
		}
		p, _ := r.(m)["Properties"].(m)
		found := name == ""
		for k, v := range p {
			if strings.HasSuffix(k, "Name") && v == name {
				found = true
			}
		}
		if found {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("%d resources of type %s named %q, want 1: %v", len(ids), typ, name, ids)
	}
	return ids[0]
}
