package iameval

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeAssembly writes a cloud assembly of the stacks (name, environment,
// template) into a new folder, as cdk synth would.
func writeAssembly(t *testing.T, stacks ...[3]string) string {
	t.Helper()
	dir := t.TempDir()
	arts := map[string]interface{}{}
	for _, s := range stacks {
		file := s[0] + ".template.json"
		if !json.Valid([]byte(s[2])) {
			t.Fatalf("%s: template is not JSON", s[0])
		}
		if err := os.WriteFile(filepath.Join(dir, file), []byte(s[2]), 0o644); err != nil {
			t.Fatal(err)
		}
		arts[s[0]] = map[string]interface{}{"type": "aws:cloudformation:stack", "environment": s[1],
			"properties": map[string]interface{}{"templateFile": file}}
	}
	raw, _ := json.Marshal(map[string]interface{}{"version": "55.0.0", "artifacts": arts})
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// storeJSON is an artifact store: a key with an alias, a bucket whose policy
// denies uploads with another key (compared as guard lists) and admits the
// deploy roles.
func storeJSON(guard string) string {
	return `
  "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": [
    {"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Readers", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*",
     "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/relay/p/p-*-deploy"}, "StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}}},
  "Alias": {"Type": "AWS::KMS::Alias", "Properties": {"AliasName": "alias/relay/p/artifacts", "TargetKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}},
  "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Sub": "p-artifacts-${AWS::Region}"}}},
  "Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Bucket"}, "PolicyDocument": {"Statement": [
    {"Sid": "DenyUploadsWithAnotherKey", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:PutObject", "Resource": {"Fn::Sub": "${Bucket.Arn}/*"},
     "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": ` + guard + `}}},
    {"Sid": "Readers", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": {"Fn::Sub": "${Bucket.Arn}/*"},
     "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/relay/p/p-*-deploy"}, "StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}}}`
}

// TestWorld evaluates requests against an assembly: a tooling stack with
// the pipeline role, a replica store in another region, and a target
// stack with a deploy role and a policy on a role it does not create.
func TestWorld(t *testing.T) {
	keyArnOnly := `{"Fn::GetAtt": ["Key", "Arn"]}`
	bothForms := `[{"Fn::GetAtt": ["Key", "Arn"]}, {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/relay/p/artifacts"}]`
	tooling := `{"Resources": {` + storeJSON(keyArnOnly) + `,
  "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "p-pipeline", "Path": "/relay/p/",
    "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
  "RolePolicy": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": [{"Ref": "Role"}], "PolicyDocument": {"Statement": [
    {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": ["arn:aws:s3:::p-artifacts-us-east-1/*", "arn:aws:s3:::p-artifacts-eu-west-1/*"]},
    {"Effect": "Allow", "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "arn:aws:kms:*:111111111111:key/*",
     "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/relay/p/artifacts"}}}]}}}}}`
	replica := func(guard string) string { return `{"Resources": {` + storeJSON(guard) + `}}` }
	target := `{"Resources": {
  "Deploy": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "p-staging-deploy", "Path": "/relay/p/",
    "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole",
      "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/relay/p/p-pipeline"}}}]},
    "Policies": [{"PolicyName": "read", "PolicyDocument": {"Statement": [
      {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::p-artifacts-*/*"},
      {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:*:111111111111:key/*"}]}}]}},
  "Readers": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "r", "Roles": ["fleet-instance"], "PolicyDocument": {"Statement": [
      {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}}}}`

	pipeline := Principal{ARN: "arn:aws:iam::111111111111:role/relay/p/p-pipeline"}
	deploy := Principal{ARN: "arn:aws:iam::222222222222:role/relay/p/p-staging-deploy"}
	upload := func(region, keyID string) Request {
		return Request{Principal: pipeline, Action: "s3:PutObject", Resource: "arn:aws:s3:::p-artifacts-" + region + "/run/a.zip", Context: map[string][]string{
			"s3:x-amz-server-side-encryption": {"aws:kms"}, "s3:x-amz-server-side-encryption-aws-kms-key-id": {keyID}}}
	}
	alias := func(region string) string { return "arn:aws:kms:" + region + ":111111111111:alias/relay/p/artifacts" }

	for _, tc := range []struct {
		name, guard string
		replicated  bool
	}{
		{"the replica's guard compares the key ARN only", keyArnOnly, false},
		{"the replica's guard takes both forms", bothForms, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := FromAssembly(writeAssembly(t,
				[3]string{"p-tooling", "aws://111111111111/us-east-1", tooling},
				[3]string{"p-tooling-eu-west-1", "aws://111111111111/eu-west-1", replica(tc.guard)},
				[3]string{"p-staging", "aws://222222222222/eu-west-1", target}))
			if err != nil {
				t.Fatal(err)
			}
			w.OrgID = "o-a1b2c3d4e5"
			// The pipeline names the replica's key by alias: replication.
			if d := w.Authorize(upload("eu-west-1", alias("eu-west-1"))); d.Allowed != tc.replicated {
				t.Errorf("replication upload: %v, want allowed=%v", d, tc.replicated)
			}
			keyArn := w.KeyOf(alias("eu-west-1"))
			if keyArn == "" || !strings.HasPrefix(keyArn, "arn:aws:kms:eu-west-1:111111111111:key/") {
				t.Fatalf("alias resolves to %q", keyArn)
			}
			if d := w.Authorize(upload("eu-west-1", keyArn)); !d.Allowed {
				t.Errorf("upload naming the key ARN: %v", d)
			}
			// The primary store compares the key ARN, which the pipeline sends.
			if d := w.Authorize(upload("us-east-1", w.KeyOf(alias("us-east-1")))); !d.Allowed {
				t.Errorf("primary upload: %v", d)
			}
			// Encrypting with the replica key: through its alias condition.
			if d := w.Authorize(Request{Principal: pipeline, Action: "kms:GenerateDataKey", Resource: alias("eu-west-1")}); !d.Allowed {
				t.Errorf("kms:GenerateDataKey on the replica key: %v", d)
			}
			// The deploy role reads across accounts, within the organization.
			read := Request{Principal: deploy, Action: "s3:GetObject", Resource: "arn:aws:s3:::p-artifacts-eu-west-1/run/a.zip"}
			if d := w.Authorize(read); !d.Allowed {
				t.Errorf("deploy role read: %v", d)
			}
			read.Principal.OrgID = "o-zzzzzzzzzz"
			if d := w.Authorize(read); d.Allowed {
				t.Errorf("deploy role of another organization read: %v", d)
			}
			if d := w.Authorize(Request{Principal: deploy, Action: "kms:Decrypt", Resource: keyArn}); !d.Allowed {
				t.Errorf("deploy role decrypt: %v", d)
			}
			if d := w.Authorize(Request{Principal: pipeline, Action: "sts:AssumeRole", Resource: deploy.ARN}); d.Allowed {
				t.Errorf("the pipeline role has no sts:AssumeRole here: %v", d)
			}
			if d := w.Authorize(Request{Principal: Principal{Service: "codepipeline.amazonaws.com"}, Action: "sts:AssumeRole", Resource: pipeline.ARN}); !d.Allowed {
				t.Errorf("CodePipeline assumes the pipeline role: %v", d)
			}
			ext := w.Roles["arn:aws:iam::222222222222:role/fleet-instance"]
			if ext == nil || !ext.External || len(ext.Policies) != 1 {
				t.Errorf("a policy attached by name to a role no stack creates: %+v", ext)
			}
			if d := w.Authorize(Request{Principal: deploy, Action: "s3:GetObject", Resource: "arn:aws:s3:::elsewhere/x"}); d.Allowed || !strings.Contains(d.Reason, "not in the assembly") {
				t.Errorf("a bucket outside the assembly: %v", d)
			}
		})
	}
}

func TestWorldRefusesUnknownPolicy(t *testing.T) {
	_, err := FromAssembly(writeAssembly(t, [3]string{"s", "aws://111111111111/us-east-1", `{"Resources": {
	  "B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}},
	  "P": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": "b", "PolicyDocument": {"Statement": [
	    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}}}}}`}))
	if err == nil || !strings.Contains(err.Error(), "bucket policy of s/P") || !strings.Contains(err.Error(), "NotIpAddress") {
		t.Errorf("FromAssembly = %v, want a refusal naming the policy and the operator", err)
	}
}
