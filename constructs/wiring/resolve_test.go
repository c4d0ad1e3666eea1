package wiring

import (
	"encoding/json"
	"testing"
)

// TestResolve resolves template values the way CloudFormation would, as far
// as the template and the stack's environment fix them.
func TestResolve(t *testing.T) {
	tpl := `{
	  "Parameters": {"Stage": {"Type": "String"}},
	  "Mappings": {"Partition": {"eu-west-1": {"name": "aws"}}},
	  "Resources": {
	    "Named": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "orders-deploy", "Path": "/relay/orders/"}},
	    "Generated": {"Type": "AWS::IAM::Role", "Properties": {}},
	    "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "orders-artifacts"}},
	    "Key": {"Type": "AWS::KMS::Key", "Properties": {}},
	    "Project": {"Type": "AWS::CodeBuild::Project", "Properties": {"Name": "orders-build"}},
	    "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "orders-approval"}},
	    "App": {"Type": "AWS::CodeDeploy::Application", "Properties": {"ApplicationName": "orders-staging"}},
	    "Config": {"Type": "AWS::CodeDeploy::DeploymentConfig", "Properties": {"DeploymentConfigName": "orders-config"}},
	    "Group": {"Type": "AWS::CodeDeploy::DeploymentGroup", "Properties": {"DeploymentGroupName": "orders-group"}}
	  }
	}`
	tests := []struct {
		name, account, region, value, want string
	}{
		{"role ARN with path", "222222222222", "eu-west-1", `{"Fn::GetAtt": ["Named", "Arn"]}`, "arn:aws:iam::222222222222:role/relay/orders/orders-deploy"},
		{"role name", "222222222222", "eu-west-1", `{"Ref": "Named"}`, "orders-deploy"},
		{"generated role name stays open", "222222222222", "eu-west-1", `{"Fn::GetAtt": ["Generated", "Arn"]}`, "arn:aws:iam::222222222222:role/{generated name of Generated}"},
		{"bucket ARN", "222222222222", "eu-west-1", `{"Fn::GetAtt": ["Bucket", "Arn"]}`, "arn:aws:s3:::orders-artifacts"},
		{"key ARN: the ID is open", "222222222222", "eu-west-1", `{"Fn::GetAtt": ["Key", "Arn"]}`, "arn:aws:kms:eu-west-1:222222222222:key/{key ID of Key}"},
		{"project ARN", "222222222222", "eu-west-1", `{"Fn::GetAtt": ["Project", "Arn"]}`, "arn:aws:codebuild:eu-west-1:222222222222:project/orders-build"},
		{"topic Ref is its ARN", "222222222222", "eu-west-1", `{"Ref": "Topic"}`, "arn:aws:sns:eu-west-1:222222222222:orders-approval"},
		{"CodeDeploy application Ref is its name", "222222222222", "eu-west-1", `{"Ref": "App"}`, "orders-staging"},
		{"CodeDeploy config Ref is its name", "222222222222", "eu-west-1", `{"Ref": "Config"}`, "orders-config"},
		{"CodeDeploy group Ref is its name", "222222222222", "eu-west-1", `{"Ref": "Group"}`, "orders-group"},
		{"join with partition", "222222222222", "eu-west-1", `{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::111111111111:root"]]}`, "arn:aws:iam::111111111111:root"},
		{"China partition", "222222222222", "cn-north-1", `{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::111111111111:root"]]}`, "arn:aws-cn:iam::111111111111:root"},
		{"GovCloud partition", "222222222222", "us-gov-west-1", `{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}`, "arn:aws-us-gov:iam::222222222222:root"},
		{"environment-agnostic", "", "", `{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x"}`, "arn:{AWS::Partition}:iam::{AWS::AccountId}:role/x"},
		{"sub with resource attribute and variable", "222222222222", "eu-west-1", `{"Fn::Sub": ["${Named.Arn}/${Suffix}${!Literal}", {"Suffix": "s"}]}`, "arn:aws:iam::222222222222:role/relay/orders/orders-deploy/s${Literal}"},
		{"select of split", "222222222222", "eu-west-1", `{"Fn::Select": [1, {"Fn::Split": [":", "a:b:c"]}]}`, "b"},
		{"find in map", "222222222222", "eu-west-1", `{"Fn::FindInMap": ["Partition", {"Ref": "AWS::Region"}, "name"]}`, "aws"},
		{"a parameter is open", "222222222222", "eu-west-1", `{"Fn::Join": ["-", ["orders", {"Ref": "Stage"}]]}`, "orders-{parameter Stage}"},
		{"a condition is open", "222222222222", "eu-west-1", `{"Fn::If": ["IsProd", "a", "b"]}`, "{if IsProd}"},
		{"an unknown import is open", "222222222222", "eu-west-1", `{"Fn::ImportValue": "other-stack:RoleArn"}`, "{import other-stack:RoleArn}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var raw map[string]interface{}
			if err := json.Unmarshal([]byte(tpl), &raw); err != nil {
				t.Fatal(err)
			}
			st := newStack(raw)
			st.key, st.name, st.account, st.region = "s", "orders", tc.account, tc.region
			s := &scope{a: &assembly{exports: map[string]exportRef{}}, st: st}
			var v interface{}
			if err := json.Unmarshal([]byte(tc.value), &v); err != nil {
				t.Fatal(err)
			}
			if got := Display(s.str(v)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
