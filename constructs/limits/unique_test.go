package limits_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/limits"
)

// testStack is one stack of a hand-written cloud assembly.
type testStack struct {
	id, name, env string // name "" = the artifact ID, as aws-cdk-lib writes it
	resources     map[string]interface{}
}

// assembly writes a cloud assembly folder (manifest.json and templates) as
// app.Synth would, for CheckDir.
func assembly(t *testing.T, stacks ...testStack) string {
	t.Helper()
	dir := t.TempDir()
	artifacts := map[string]interface{}{
		"Tree": map[string]interface{}{"type": "cdk:tree", "properties": map[string]interface{}{"file": "tree.json"}},
	}
	for _, s := range stacks {
		props := map[string]interface{}{"templateFile": s.id + ".template.json"}
		if s.name != "" {
			props["stackName"] = s.name
		}
		artifacts[s.id] = map[string]interface{}{"type": "aws:cloudformation:stack", "environment": s.env, "properties": props}
		body, _ := json.Marshal(map[string]interface{}{"Resources": s.resources})
		if err := os.WriteFile(filepath.Join(dir, s.id+".template.json"), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	manifest, _ := json.Marshal(map[string]interface{}{"version": "43.0.0", "artifacts": artifacts})
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func r(typ string, props map[string]interface{}) map[string]interface{} {
	return map[string]interface{}{"Type": typ, "Properties": props}
}

func role(name interface{}) map[string]interface{} {
	return r("AWS::IAM::Role", map[string]interface{}{"RoleName": name, "Path": "/relay/"})
}

func one(id string, res map[string]interface{}) map[string]interface{} {
	return map[string]interface{}{id: res}
}

func join(parts ...interface{}) map[string]interface{} {
	return map[string]interface{}{"Fn::Join": []interface{}{"-", parts}}
}

var (
	accountID = map[string]interface{}{"Ref": "AWS::AccountId"}
	regionRef = map[string]interface{}{"Ref": "AWS::Region"}
)

const (
	a1east  = "aws://111111111111/us-east-1"
	a1west  = "aws://111111111111/eu-west-1"
	a2east  = "aws://222222222222/us-east-1"
	a3china = "aws://333333333333/cn-north-1"
	unknown = "aws://unknown-account/unknown-region"
)

// TestCheckUnique has a colliding and a valid case per scope: each want is
// "<rule> <stack>[/<resource>] after <other>".
func TestCheckUnique(t *testing.T) {
	tests := []struct {
		name   string
		stacks []testStack
		want   []string
	}{
		{"two stacks of one name in one account and region",
			[]testStack{{id: "a", name: "app", env: a1east}, {id: "b", name: "app", env: a1east}},
			[]string{limits.UniqueStackName + " b after a"}},
		{"a stack whose artifact ID is another's stack name",
			[]testStack{{id: "app", env: a1east}, {id: "b", name: "app", env: a1east}},
			[]string{limits.UniqueStackName + " b after app"}},
		{"one stack name in two regions",
			[]testStack{{id: "a", name: "app", env: a1east}, {id: "b", name: "app", env: a1west}}, nil},
		{"one stack name in two accounts",
			[]testStack{{id: "a", name: "app", env: a1east}, {id: "b", name: "app", env: a2east}}, nil},
		{"role Deploy and role deploy in one account, in two regions",
			[]testStack{{id: "a", env: a1east, resources: one("R", role("Deploy"))}, {id: "b", env: a1west, resources: one("R", role("deploy"))}},
			[]string{limits.UniqueRoleName + " b/R after a/R"}},
		{"one role name in two accounts",
			[]testStack{{id: "a", env: a1east, resources: one("R", role("deploy"))}, {id: "b", env: a2east, resources: one("R", role("deploy"))}}, nil},
		{"one managed policy name in one account, cases differ",
			[]testStack{{id: "a", env: a1east, resources: one("P", r("AWS::IAM::ManagedPolicy", map[string]interface{}{"ManagedPolicyName": "Reader"}))},
				{id: "b", env: a1east, resources: one("P", r("AWS::IAM::ManagedPolicy", map[string]interface{}{"ManagedPolicyName": "reader", "Path": "/other/"}))}},
			[]string{limits.UniqueManagedPolicy + " b/P after a/P"}},
		{"inline policies of one name (named per role)",
			[]testStack{{id: "a", env: a1east, resources: map[string]interface{}{
				"P1": r("AWS::IAM::Policy", map[string]interface{}{"PolicyName": "p"}),
				"P2": r("AWS::IAM::Policy", map[string]interface{}{"PolicyName": "p"})}}}, nil},
		{"one bucket name in two accounts and regions",
			[]testStack{{id: "a", env: a1east, resources: one("B", r("AWS::S3::Bucket", map[string]interface{}{"BucketName": "acme-artifacts"}))},
				{id: "b", env: "aws://222222222222/eu-west-1", resources: one("B", r("AWS::S3::Bucket", map[string]interface{}{"BucketName": "acme-artifacts"}))}},
			[]string{limits.UniqueBucketName + " b/B after a/B"}},
		{"one bucket name in two partitions",
			[]testStack{{id: "a", env: a1east, resources: one("B", r("AWS::S3::Bucket", map[string]interface{}{"BucketName": "acme-artifacts"}))},
				{id: "b", env: a3china, resources: one("B", r("AWS::S3::Bucket", map[string]interface{}{"BucketName": "acme-artifacts"}))}}, nil},
		{"two buckets of one name in one stack",
			[]testStack{{id: "a", env: a1east, resources: map[string]interface{}{
				"B1": r("AWS::S3::Bucket", map[string]interface{}{"BucketName": "acme-logs"}),
				"B2": r("AWS::S3::Bucket", map[string]interface{}{"BucketName": "acme-logs"})}}},
			[]string{limits.UniqueBucketName + " a/B2 after a/B1"}},
		{"environment-agnostic stacks are never compared",
			[]testStack{{id: "a", name: "app", env: unknown, resources: map[string]interface{}{"R": role("deploy"), "B": r("AWS::S3::Bucket", map[string]interface{}{"BucketName": "acme-x"})}},
				{id: "b", name: "app", env: unknown, resources: map[string]interface{}{"R": role("deploy"), "B": r("AWS::S3::Bucket", map[string]interface{}{"BucketName": "acme-x"})}},
				{id: "c", name: "app", env: a1east, resources: map[string]interface{}{"R": role("deploy"), "B": r("AWS::S3::Bucket", map[string]interface{}{"BucketName": "acme-x"})}}}, nil},
		{"an unknown region: the role's account is known",
			[]testStack{{id: "a", env: "aws://111111111111/unknown-region", resources: one("R", role("deploy"))},
				{id: "b", env: a1east, resources: one("R", role("deploy"))}},
			[]string{limits.UniqueRoleName + " b/R after a/R"}},
		{"Fn::Join with AWS::AccountId, resolved per stack: two accounts",
			[]testStack{{id: "a", env: a1east, resources: one("R", role(join("deploy", accountID)))}, {id: "b", env: a2east, resources: one("R", role(join("deploy", accountID)))}}, nil},
		{"Fn::Join with AWS::AccountId, resolved per stack: one account",
			[]testStack{{id: "a", env: a1east, resources: one("R", role(join("deploy", accountID)))}, {id: "b", env: a1west, resources: one("R", role("deploy-111111111111"))}},
			[]string{limits.UniqueRoleName + " b/R after a/R"}},
		{"Fn::Join with AWS::Region in an environment-agnostic stack",
			[]testStack{{id: "a", env: "aws://111111111111/unknown-region", resources: one("R", role(join("deploy", regionRef)))},
				{id: "b", env: a1east, resources: one("R", role("deploy-us-east-1"))}}, nil},
		{"Fn::Join with a parameter is not certain",
			[]testStack{{id: "a", env: a1east, resources: one("R", role(join("deploy", map[string]interface{}{"Ref": "Env"})))},
				{id: "b", env: a1east, resources: one("R", role(join("deploy", map[string]interface{}{"Ref": "Env"})))}}, nil},
		{"Fn::Sub with AWS::Region: two regions",
			[]testStack{{id: "a", env: a1east, resources: one("L", r("AWS::Logs::LogGroup", map[string]interface{}{"LogGroupName": map[string]interface{}{"Fn::Sub": "/app/${AWS::Region}"}}))},
				{id: "b", env: a1west, resources: one("L", r("AWS::Logs::LogGroup", map[string]interface{}{"LogGroupName": map[string]interface{}{"Fn::Sub": "/app/${AWS::Region}"}}))}}, nil},
		{"Fn::Sub with AWS::Partition, one region",
			[]testStack{{id: "a", env: a1east, resources: one("L", r("AWS::Logs::LogGroup", map[string]interface{}{"LogGroupName": map[string]interface{}{"Fn::Sub": "/app/${AWS::Partition}"}}))},
				{id: "b", env: a1east, resources: one("L", r("AWS::Logs::LogGroup", map[string]interface{}{"LogGroupName": "/app/aws"}))}},
			[]string{limits.UniqueLogGroupName + " b/L after a/L"}},
		{"Fn::Sub with a variable of its own is not certain",
			[]testStack{{id: "a", env: a1east, resources: one("L", r("AWS::Logs::LogGroup", map[string]interface{}{"LogGroupName": map[string]interface{}{"Fn::Sub": []interface{}{"/app/${X}", map[string]interface{}{"X": "a"}}}}))},
				{id: "b", env: a1east, resources: one("L", r("AWS::Logs::LogGroup", map[string]interface{}{"LogGroupName": "/app/a"}))}}, nil},
		{"event rules of one name on two buses",
			[]testStack{{id: "a", env: a1east, resources: one("E", r("AWS::Events::Rule", map[string]interface{}{"Name": "on-push"}))},
				{id: "b", env: a1east, resources: one("E", r("AWS::Events::Rule", map[string]interface{}{"Name": "on-push", "EventBusName": "relay"}))}}, nil},
		{"event rules of one name on the default bus, named or not",
			[]testStack{{id: "a", env: a1east, resources: one("E", r("AWS::Events::Rule", map[string]interface{}{"Name": "on-push"}))},
				{id: "b", env: a1east, resources: one("E", r("AWS::Events::Rule", map[string]interface{}{"Name": "on-push", "EventBusName": "default"}))}},
			[]string{limits.UniqueEventRuleName + " b/E after a/E"}},
		{"event rules on one bus by name and by ARN",
			[]testStack{{id: "a", env: a1east, resources: one("E", r("AWS::Events::Rule", map[string]interface{}{"Name": "r", "EventBusName": "relay"}))},
				{id: "b", env: a1east, resources: one("E", r("AWS::Events::Rule", map[string]interface{}{"Name": "r", "EventBusName": "arn:aws:events:us-east-1:111111111111:event-bus/relay"}))}},
			[]string{limits.UniqueEventRuleName + " b/E after a/E"}},
		{"a resource with a Condition may not be created",
			[]testStack{{id: "a", env: a1east, resources: map[string]interface{}{
				"T1": r("AWS::SNS::Topic", map[string]interface{}{"TopicName": "t"}),
				"T2": map[string]interface{}{"Type": "AWS::SNS::Topic", "Condition": "Other", "Properties": map[string]interface{}{"TopicName": "t"}}}}}, nil},
		{"dashboards are global in an account",
			[]testStack{{id: "a", env: a1east, resources: one("D", r("AWS::CloudWatch::Dashboard", map[string]interface{}{"DashboardName": "relay"}))},
				{id: "b", env: a1west, resources: one("D", r("AWS::CloudWatch::Dashboard", map[string]interface{}{"DashboardName": "relay"}))}},
			[]string{limits.UniqueDashboardName + " b/D after a/D"}},
		{"regional names in two regions",
			[]testStack{{id: "a", env: a1east, resources: map[string]interface{}{
				"K": r("AWS::KMS::Alias", map[string]interface{}{"AliasName": "alias/x"}), "P": r("AWS::CodePipeline::Pipeline", map[string]interface{}{"Name": "p"}),
				"F": r("AWS::Lambda::Function", map[string]interface{}{"FunctionName": "f"}), "S": r("AWS::StepFunctions::StateMachine", map[string]interface{}{"StateMachineName": "s"})}},
				{id: "b", env: a1west, resources: map[string]interface{}{
					"K": r("AWS::KMS::Alias", map[string]interface{}{"AliasName": "alias/x"}), "P": r("AWS::CodePipeline::Pipeline", map[string]interface{}{"Name": "p"}),
					"F": r("AWS::Lambda::Function", map[string]interface{}{"FunctionName": "f"}), "S": r("AWS::StepFunctions::StateMachine", map[string]interface{}{"StateMachineName": "s"})}}}, nil},
		{"regional names in one region, cases kept apart",
			[]testStack{{id: "a", env: a1east, resources: map[string]interface{}{
				"K": r("AWS::KMS::Alias", map[string]interface{}{"AliasName": "alias/x"}), "P": r("AWS::CodePipeline::Pipeline", map[string]interface{}{"Name": "p"}),
				"C": r("AWS::CodeBuild::Project", map[string]interface{}{"Name": "build"}), "G": r("AWS::CodeBuild::ReportGroup", map[string]interface{}{"Name": "unit"}),
				"A": r("AWS::CodeDeploy::Application", map[string]interface{}{"ApplicationName": "app"}), "W": r("AWS::CloudWatch::Alarm", map[string]interface{}{"AlarmName": "Errors"}),
				"SS": r("AWS::CloudFormation::StackSet", map[string]interface{}{"StackSetName": "targets"})}},
				{id: "b", env: a1east, resources: map[string]interface{}{
					"K": r("AWS::KMS::Alias", map[string]interface{}{"AliasName": "alias/x"}), "P": r("AWS::CodePipeline::Pipeline", map[string]interface{}{"Name": "p"}),
					"C": r("AWS::CodeBuild::Project", map[string]interface{}{"Name": "build"}), "G": r("AWS::CodeBuild::ReportGroup", map[string]interface{}{"Name": "unit"}),
					"A": r("AWS::CodeDeploy::Application", map[string]interface{}{"ApplicationName": "app"}), "W": r("AWS::CloudWatch::Alarm", map[string]interface{}{"AlarmName": "errors"}),
					"SS": r("AWS::CloudFormation::StackSet", map[string]interface{}{"StackSetName": "targets"})}}},
			[]string{limits.UniqueCodeDeployApp + " b/A after a/A", limits.UniqueProjectName + " b/C after a/C", limits.UniqueReportGroupName + " b/G after a/G",
				limits.UniqueKMSAlias + " b/K after a/K", limits.UniquePipelineName + " b/P after a/P", limits.UniqueStackSetName + " b/SS after a/SS"}},
		{"StackSets of one name, one called as a delegated administrator",
			[]testStack{{id: "a", env: a1east, resources: one("SS", r("AWS::CloudFormation::StackSet", map[string]interface{}{"StackSetName": "targets"}))},
				{id: "b", env: a1east, resources: one("SS", r("AWS::CloudFormation::StackSet", map[string]interface{}{"StackSetName": "targets", "CallAs": "DELEGATED_ADMIN"}))}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			found, err := limits.CheckDir(assembly(t, tc.stacks...))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range found {
				if !strings.HasSuffix(f.Limit.ID, "-unique") {
					continue
				}
				if !f.Over() || f.Rule == "" || f.Other == "" {
					t.Errorf("%v: want an error finding that names the other place", f)
				}
				where := f.Stack
				if f.Resource != "" {
					where += "/" + f.Resource
				}
				got = append(got, fmt.Sprintf("%s %s after %s", f.Limit.ID, where, f.Other))
			}
			sort.Strings(got)
			if fmt.Sprint(got) != fmt.Sprint(sorted(tc.want)) {
				t.Errorf("got %q\nwant %q", got, sorted(tc.want))
			}
		})
	}
}

// TestCheckUniqueMessage pins the message: both places, the property, the
// name, the scope, the rule with its source, and the fix.
func TestCheckUniqueMessage(t *testing.T) {
	tests := []struct {
		name   string
		stacks []testStack
		want   string
	}{
		{"roles", []testStack{{id: "orders-staging", env: a1east, resources: one("DeployRole1", role("orders-Deploy"))},
			{id: "orders-production", env: a1west, resources: one("DeployRole2", role("orders-deploy"))}},
			`orders-staging/DeployRole1: RoleName "orders-Deploy" is also the RoleName of orders-production/DeployRole2, "orders-deploy" (account 111111111111): IAM role names are unique in an account, whatever their path, and not distinguished by case (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html): give one of them another name`},
		{"stacks", []testStack{{id: "a", name: "orders", env: a1east}, {id: "b", name: "orders", env: a1east}},
			`b: stack name "orders" is also the stack name of a (account 111111111111, region us-east-1): CloudFormation stack names are unique in an account and region (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html): give one of them another name`},
		{"rules", []testStack{{id: "a", env: a1east, resources: one("E", r("AWS::Events::Rule", map[string]interface{}{"Name": "r", "EventBusName": "relay"}))},
			{id: "b", env: a1east, resources: one("E", r("AWS::Events::Rule", map[string]interface{}{"Name": "r", "EventBusName": "relay"}))}},
			`b/E: Name "r" is also the Name of a/E (account 111111111111, region us-east-1, event bus relay): EventBridge rule names are unique on their event bus (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html): give one of them another name`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			found, err := limits.CheckDir(assembly(t, tc.stacks...))
			if err != nil {
				t.Fatal(err)
			}
			if len(found) != 1 || found[0].Error() != tc.want {
				t.Errorf("got %v\nwant %s", found, tc.want)
			}
		})
	}
}
