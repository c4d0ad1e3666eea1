package wiring_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/wiring"
)

// TestReadResolved resolves every property of every resource, keeps open
// parts equal only to themselves, and lists StackSet instances as stacks of
// their own.
func TestReadResolved(t *testing.T) {
	dir := writeAssembly(t,
		stack{"tooling", "aws://111111111111/us-east-1", `{"Resources": {
		  "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": [{"Effect": "Allow",
		    "Principal": {"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":root"]]}},
		    "Action": "kms:*", "Resource": "*"}]}}},
		  "Alias": {"Type": "AWS::KMS::Alias", "Properties": {"AliasName": "alias/a", "TargetKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}},
		  "Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Bucket"}, "PolicyDocument": {"Statement": [
		    {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:PutObject", "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/*"]]},
		     "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": [{"Fn::GetAtt": ["Key", "Arn"]}, {"Ref": "AWS::NoValue"}]}}}]}}},
		  "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}},
		  "Role": {"Type": "AWS::IAM::Role", "Properties": {"Path": "/p/", "Tags": {"Ref": "AWS::NoValue"}}},
		  "Set": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"StackSetName": "roles",
		    "StackInstancesGroup": [{"DeploymentTargets": {"Accounts": ["222222222222"]}, "Regions": ["eu-west-1"]}],
		    "TemplateBody": "{\"Resources\": {\"R\": {\"Type\": \"AWS::IAM::Role\", \"Properties\": {\"RoleName\": \"r\"}}}}"}}
		}}`},
	)
	stacks, err := wiring.ReadResolved(dir)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]wiring.ResolvedStack{}
	for _, s := range stacks {
		byName[s.Name] = s
	}
	tooling, set := byName["tooling"], byName["roles"]
	if tooling.Account != "111111111111" || tooling.Region != "us-east-1" {
		t.Errorf("tooling placed in %q %q", tooling.Account, tooling.Region)
	}
	if set.Account != "222222222222" || set.Region != "eu-west-1" || set.StackSet != "roles" {
		t.Errorf("StackSet instance = %+v, want account 222222222222 in eu-west-1 of StackSet roles", set)
	}
	if got := set.Resources["R"].Arn; got != "arn:aws:iam::222222222222:role/r" {
		t.Errorf("StackSet role ARN = %q", got)
	}
	key, alias, policy := tooling.Resources["Key"], tooling.Resources["Alias"], tooling.Resources["Policy"]
	if alias.Properties["TargetKeyId"] != key.Arn || wiring.Resolved(key.Arn) {
		t.Errorf("the alias target %q is not the key's open ARN %q", alias.Properties["TargetKeyId"], key.Arn)
	}
	if got := wiring.Display(key.Arn); got != "arn:aws:kms:us-east-1:111111111111:key/{key ID of Key}" {
		t.Errorf("key ARN = %q", got)
	}
	stmt := policy.Properties["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{})[0]
	want := map[string]interface{}{
		"Effect": "Deny", "Principal": map[string]interface{}{"AWS": "*"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*",
		"Condition": map[string]interface{}{"StringNotEqualsIfExists": map[string]interface{}{"s3:x-amz-server-side-encryption-aws-kms-key-id": []interface{}{key.Arn}}},
	}
	if diff := cmp.Diff(want, stmt); diff != "" {
		t.Errorf("bucket policy statement (-want +got):\n%s", diff)
	}
	role := tooling.Resources["Role"]
	if _, ok := role.Properties["Tags"]; ok {
		t.Error("AWS::NoValue was kept")
	}
	if role.Ref != role.Arn[len("arn:aws:iam::111111111111:role/p/"):] || wiring.Resolved(role.Ref) {
		t.Errorf("a generated role name must be one open part shared by Ref and Arn: Ref %q, Arn %q", role.Ref, role.Arn)
	}
	if got := tooling.Resources["Key"].Properties["KeyPolicy"].(map[string]interface{})["Statement"].([]interface{})[0].(map[string]interface{})["Principal"]; !cmp.Equal(got, map[string]interface{}{"AWS": "arn:aws:iam::111111111111:root"}) {
		t.Errorf("key policy principal = %v", got)
	}
}
