package report_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/assembly"
	"github.com/relaycdk/relay/constructs/compliance/report"
)

type m = map[string]interface{}
type l = []interface{}

// write writes a one-stack assembly with resources (and cdk-nag reports
// of packs) and reads it back.
func write(t *testing.T, resources m, packs ...string) *assembly.Assembly {
	t.Helper()
	return writeTemplate(t, m{"Resources": resources}, packs...)
}

// writeTemplate writes a one-stack assembly with the template tpl (and
// cdk-nag reports of packs) and reads it back.
func writeTemplate(t *testing.T, tpl m, packs ...string) *assembly.Assembly {
	t.Helper()
	dir := t.TempDir()
	put := func(name string, v interface{}) {
		raw, _ := json.Marshal(v)
		if err := os.WriteFile(filepath.Join(dir, name), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("manifest.json", m{"artifacts": m{"app": m{"type": "aws:cloudformation:stack", "environment": "aws://111111111111/us-east-1",
		"properties": m{"templateFile": "app.template.json"}}}})
	put("app.template.json", tpl)
	for _, p := range packs {
		put(p+"--app-NagReport.json", m{"lines": l{m{"ruleId": p + "-X", "resourceId": "app/X", "compliance": "Compliant"}}})
	}
	a, err := assembly.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func role(extra m) m {
	props := m{"RoleName": "r", "AssumeRolePolicyDocument": m{"Statement": l{m{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": m{"Service": "codebuild.amazonaws.com"}}}}}
	for k, v := range extra {
		props[k] = v
	}
	return m{"Type": "AWS::IAM::Role", "Properties": props}
}

func pipeline(stages ...m) m {
	var s l
	for _, st := range stages {
		s = append(s, st)
	}
	return m{"Type": "AWS::CodePipeline::Pipeline", "Properties": m{"Stages": s}}
}

func stage(name string, actions ...m) m {
	var a l
	for _, x := range actions {
		a = append(a, x)
	}
	return m{"Name": name, "Actions": a}
}

func action(name, category string, order int, account string) m {
	a := m{"Name": name, "ActionTypeId": m{"Category": category, "Provider": "CloudFormation"}, "RunOrder": order}
	if account != "" {
		a["RoleArn"] = "arn:aws:iam::" + account + ":role/deploy"
	}
	return a
}

func find(r *report.Report, id string) report.Control {
	for _, c := range r.Controls {
		if c.ID == id {
			return c
		}
	}
	return report.Control{}
}

func TestControls(t *testing.T) {
	gated := pipeline(stage("Build", action("Build", "Build", 1, "")),
		stage("Deploy-staging", action("Deploy", "Deploy", 1, "222222222222")),
		stage("Deploy-production", action("Approve", "Approval", 1, ""), action("Deploy", "Deploy", 2, "333333333333")))
	ungated := pipeline(stage("Deploy-staging", action("Deploy", "Deploy", 1, "222222222222")),
		stage("Deploy-production", action("Deploy", "Deploy", 1, "222222222222")))
	tests := []struct {
		name      string
		resources m
		id        string
		want      report.Status
		gap       string
	}{
		{"no pipeline", m{}, "CC8.1", report.Missing, "no CodePipeline pipeline"},
		{"approval unpinned", m{"P": gated}, "CC8.1", report.Partial, "who may approve is not pinned"},
		{"production ungated", m{"P": ungated}, "A.8.32", report.Partial, "deploys without a manual approval"},
		{"same account for staging and production", m{"P": ungated}, "A.8.31", report.Partial, "give production an account of its own"},
		{"separate accounts", m{"P": gated}, "A.8.31", report.Met, ""},
		{"no trail", m{}, "CC7.2", report.Missing, "no CloudTrail trail"},
		// A trail that is not logging records nothing.
		{"trail not logging", m{"T": m{"Type": "AWS::CloudTrail::Trail", "Properties": m{"TrailName": "t", "IsLogging": false, "EnableLogFileValidation": true, "KMSKeyId": m{"Fn::GetAtt": l{"K", "Arn"}}}}}, "CC7.2", report.Partial, "trail t: logging is off (IsLogging is not true), so it records nothing: set IsLogging to true"},
		{"trail logging", m{"T": m{"Type": "AWS::CloudTrail::Trail", "Properties": m{"TrailName": "t", "IsLogging": true, "EnableLogFileValidation": true, "KMSKeyId": m{"Fn::GetAtt": l{"K", "Arn"}}}}}, "CC7.2", report.Met, ""},
		// An approval gates only when it runs before the first deployment:
		// actions of one run order run in parallel.
		{"approval alongside the deployment", m{"P": pipeline(stage("Deploy-staging", action("Deploy", "Deploy", 1, "222222222222")),
			stage("Deploy-production", action("Approve", "Approval", 1, ""), action("Deploy", "Deploy", 1, "333333333333")))}, "CC8.1", report.Partial,
			"the last deploy stage Deploy-production (production) deploys alongside or before its approval Approve (run order 1), not after it (first deployment at run order 1): give the approval a lower run order"},
		{"approval after the deployment", m{"P": pipeline(stage("Deploy-staging", action("Deploy", "Deploy", 1, "222222222222")),
			stage("Deploy-production", action("Deploy", "Deploy", 1, "333333333333"), action("Approve", "Approval", 2, "")))}, "A.8.32", report.Partial,
			"deploys alongside or before its approval Approve (run order 2)"},
		// Rules count as monitoring only when they record or announce the
		// pipeline's events: a rule that invokes a function does neither.
		{"a pipeline rule that only invokes a function", m{
			"R": m{"Type": "AWS::Events::Rule", "Properties": m{"EventPattern": m{"source": l{"aws.codepipeline"}}, "Targets": l{m{"Arn": m{"Fn::GetAtt": l{"F", "Arn"}}, "Id": "Target0"}}}},
			"F": m{"Type": "AWS::Lambda::Function"},
		}, "CC7.2", report.Missing, "no CloudTrail trail"},
		{"a pipeline rule that announces", m{
			"R": m{"Type": "AWS::Events::Rule", "Properties": m{"EventPattern": m{"source": l{"aws.codepipeline"}}, "Targets": l{m{"Arn": m{"Ref": "S"}, "Id": "Target0"}}}},
			"S": m{"Type": "AWS::SNS::Topic"},
		}, "CC7.2", report.Partial, "no CloudTrail trail"},
		{"trail without validation", m{"T": m{"Type": "AWS::CloudTrail::Trail", "Properties": m{"TrailName": "t", "KMSKeyId": m{"Fn::GetAtt": l{"K", "Arn"}}}}}, "164.312(b)", report.Partial, "log file validation is off"},
		{"administrator", m{"R": role(m{"ManagedPolicyArns": l{"arn:aws:iam::aws:policy/AdministratorAccess"}})}, "7.2.1, 7.2.2", report.Partial, "has AdministratorAccess"},
		{"full access", m{"R": role(nil), "P": m{"Type": "AWS::IAM::Policy", "Properties": m{"Roles": l{m{"Ref": "R"}}, "PolicyDocument": m{"Statement": l{m{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}}}}, "7.2.1, 7.2.2", report.Partial, "allowed whole services: s3:*"},
		{"iam write without boundary", m{"R": role(m{"Policies": l{m{"PolicyDocument": m{"Statement": l{m{"Effect": "Allow", "Action": l{"iam:CreateRole"}, "Resource": "*"}}}}}})}, "7.2.1, 7.2.2", report.Partial, "without an iam:PermissionsBoundary condition"},
		{"iam write with boundary", m{"R": role(m{"Policies": l{m{"PolicyDocument": m{"Statement": l{m{"Effect": "Allow", "Action": "iam:CreateRole", "Resource": "*", "Condition": m{"StringEquals": m{"iam:PermissionsBoundary": "arn:aws:iam::1:policy/b"}}}}}}}})}, "7.2.1, 7.2.2", report.Met, ""},
		// Relay's execution roles: the Allow names no condition, and a Deny
		// refuses the writes that do not attach the boundary.
		{"iam write guarded by a deny", m{"R": role(m{"Policies": l{m{"PolicyDocument": m{"Statement": l{
			m{"Effect": "Allow", "Action": l{"iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"}, "Resource": "arn:aws:iam::*:role/app-*"},
			m{"Effect": "Deny", "Action": l{"iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"}, "Resource": "*", "Condition": m{"StringNotEquals": m{"iam:PermissionsBoundary": "arn:aws:iam::1:policy/b"}}},
		}}}}})}, "7.2.1, 7.2.2", report.Met, ""},
		{"iam write guarded by a deny of wildcards", m{"R": role(m{"Policies": l{m{"PolicyDocument": m{"Statement": l{
			m{"Effect": "Allow", "Action": l{"iam:CreateRole", "iam:PutRolePolicy"}, "Resource": "arn:aws:iam::*:role/app-*"},
			m{"Effect": "Deny", "Action": l{"iam:Create*", "iam:Put*"}, "Resource": "*", "Condition": m{"StringNotEqualsIfExists": m{"iam:PermissionsBoundary": "arn:aws:iam::1:policy/b"}}},
		}}}}})}, "7.2.1, 7.2.2", report.Met, ""},
		{"deny guard that misses an action", m{"R": role(m{"Policies": l{m{"PolicyDocument": m{"Statement": l{
			m{"Effect": "Allow", "Action": l{"iam:CreateRole", "iam:PutRolePolicy"}, "Resource": "*"},
			m{"Effect": "Deny", "Action": "iam:CreateRole", "Resource": "*", "Condition": m{"StringNotEquals": m{"iam:PermissionsBoundary": "arn:aws:iam::1:policy/b"}}},
		}}}}})}, "7.2.1, 7.2.2", report.Partial, "may iam:PutRolePolicy without an iam:PermissionsBoundary condition"},
		{"deny guard narrowed by another condition", m{"R": role(m{"Policies": l{m{"PolicyDocument": m{"Statement": l{
			m{"Effect": "Allow", "Action": "iam:CreateRole", "Resource": "*"},
			m{"Effect": "Deny", "Action": "iam:CreateRole", "Resource": "*", "Condition": m{"StringNotEquals": m{"iam:PermissionsBoundary": "arn:aws:iam::1:policy/b", "aws:RequestedRegion": "us-east-1"}}},
		}}}}})}, "7.2.1, 7.2.2", report.Partial, "may iam:CreateRole without an iam:PermissionsBoundary condition"},
		{"allow only without the boundary", m{"R": role(m{"Policies": l{m{"PolicyDocument": m{"Statement": l{
			m{"Effect": "Allow", "Action": "iam:CreateRole", "Resource": "*", "Condition": m{"StringNotEquals": m{"iam:PermissionsBoundary": "arn:aws:iam::1:policy/b"}}},
		}}}}})}, "7.2.1, 7.2.2", report.Partial, "may iam:CreateRole without an iam:PermissionsBoundary condition"},
		// A permissions boundary caps and grants nothing: its Allow of * is
		// no whole-service grant unless the policy is also attached.
		{"boundary named by a condition", m{
			"R": role(m{"Policies": l{m{"PolicyDocument": m{"Statement": l{
				m{"Effect": "Deny", "Action": "iam:CreateRole", "Resource": "*", "Condition": m{"StringNotEquals": m{"iam:PermissionsBoundary": "arn:aws:iam::1:policy/relay/b/b-boundary"}}},
			}}}}}),
			"B": m{"Type": "AWS::IAM::ManagedPolicy", "Properties": m{"ManagedPolicyName": "b-boundary", "Path": "/relay/b/", "PolicyDocument": m{"Statement": l{m{"Effect": "Allow", "Action": "*", "Resource": "*"}}}}},
		}, "7.2.1, 7.2.2", report.Met, ""},
		{"boundary by reference", m{
			"R": role(m{"PermissionsBoundary": m{"Ref": "B"}}),
			"B": m{"Type": "AWS::IAM::ManagedPolicy", "Properties": m{"PolicyDocument": m{"Statement": l{m{"Effect": "Allow", "Action": "*", "Resource": "*"}}}}},
		}, "7.2.1, 7.2.2", report.Met, ""},
		{"boundary also attached", m{
			"R": role(m{"PermissionsBoundary": m{"Ref": "B"}}),
			"B": m{"Type": "AWS::IAM::ManagedPolicy", "Properties": m{"Roles": l{m{"Ref": "R"}}, "PolicyDocument": m{"Statement": l{m{"Effect": "Allow", "Action": "*", "Resource": "*"}}}}},
		}, "7.2.1, 7.2.2", report.Partial, "managed policy B allows whole services: *"},
		{"unattached policy named by no boundary", m{
			"R": role(nil),
			"B": m{"Type": "AWS::IAM::ManagedPolicy", "Properties": m{"ManagedPolicyName": "reader", "PolicyDocument": m{"Statement": l{m{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}}},
		}, "7.2.1, 7.2.2", report.Partial, "managed policy B allows whole services: s3:*"},
		// NotAction allows every action it does not name.
		{"allow with NotAction", m{"R": role(m{"Policies": l{m{"PolicyDocument": m{"Statement": l{
			m{"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "*"},
		}}}}})}, "7.2.1, 7.2.2", report.Partial, "is allowed whole services: every action but s3:DeleteBucket (NotAction)"},
		{"allow with NotAction that spares IAM", m{"R": role(m{"Policies": l{m{"PolicyDocument": m{"Statement": l{
			m{"Effect": "Allow", "NotAction": l{"iam:*", "s3:DeleteBucket"}, "Resource": "*"},
		}}}}})}, "7.2.1, 7.2.2", report.Partial, "every action but iam:*, s3:DeleteBucket (NotAction)"},
		{"allow with NotAction grants IAM writes", m{"R": role(m{"Policies": l{m{"PolicyDocument": m{"Statement": l{
			m{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
		}}}}})}, "7.2.1, 7.2.2", report.Partial, "may iam:CreateRole, iam:PutRolePolicy, iam:AttachRolePolicy, iam:CreateUser, iam:PutUserPolicy, iam:AttachUserPolicy without an iam:PermissionsBoundary condition"},
		// A customer managed policy outside the templates is not shown; one
		// of the templates attached by reference is read like an inline one.
		{"customer managed policy of the account", m{"R": role(m{"ManagedPolicyArns": l{"arn:aws:iam::222222222222:policy/app-deployer"}})}, "7.2.1, 7.2.2", report.Partial,
			"role r (R) has managed policies that the templates do not hold: arn:aws:iam::222222222222:policy/app-deployer; what they allow is not shown here: check them in the account"},
		{"AWS managed policy", m{"R": role(m{"ManagedPolicyArns": l{m{"Fn::Join": l{"", l{"arn:", m{"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWSCodeDeployRole"}}}}})}, "7.2.1, 7.2.2", report.Met, ""},
		{"managed policy of the templates attached by reference", m{
			"R": role(m{"ManagedPolicyArns": l{m{"Ref": "P"}}}),
			"P": m{"Type": "AWS::IAM::ManagedPolicy", "Properties": m{"PolicyDocument": m{"Statement": l{m{"Effect": "Allow", "Action": "iam:CreateRole", "Resource": "*"}}}}},
		}, "7.2.1, 7.2.2", report.Partial, "role r (R) may iam:CreateRole without an iam:PermissionsBoundary condition"},
		{"key not rotated", m{"K": m{"Type": "AWS::KMS::Key"}}, "3.6.1, 3.7.4", report.Missing, "is not rotated"},
		{"log group unencrypted", m{"G": m{"Type": "AWS::Logs::LogGroup", "Properties": m{"LogGroupName": "/g", "RetentionInDays": 365}}}, "164.312(a)(2)(iv)", report.Missing, "is not encrypted with a KMS key"},
		{"short retention", m{"G": m{"Type": "AWS::Logs::LogGroup", "Properties": m{"LogGroupName": "/g", "RetentionInDays": 30}}}, "10.2.1, 10.5.1", report.Missing, "kept 30 days"},
		{"bucket without TLS policy", m{"B": m{"Type": "AWS::S3::Bucket", "Properties": m{"BucketName": "b"}}}, "4.2.1", report.Missing, "accepts requests without TLS"},
		{"bucket TLS only", m{"B": m{"Type": "AWS::S3::Bucket", "Properties": m{"BucketName": "b"}},
			"BP": m{"Type": "AWS::S3::BucketPolicy", "Properties": m{"Bucket": m{"Ref": "B"}, "PolicyDocument": m{"Statement": l{m{"Effect": "Deny", "Action": "s3:*", "Principal": "*", "Condition": m{"Bool": m{"aws:SecureTransport": "false"}}}}}}}}, "164.312(e)(2)(ii)", report.Met, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := find(report.Build(write(t, tc.resources), nil), tc.id)
			if c.Status != tc.want {
				t.Errorf("%s status = %s, want %s; evidence %v, gaps %v", tc.id, c.Status, tc.want, c.Evidence, c.Gaps)
			}
			if tc.gap != "" && !slices.ContainsFunc(c.Gaps, func(g string) bool { return strings.Contains(g, tc.gap) }) {
				t.Errorf("%s gaps = %q, want one containing %q", tc.id, c.Gaps, tc.gap)
			}
		})
	}
}

// TestExistingTrail: a trail that a stack output names instead of a trail
// in the templates is evidence only of the name; what the trail records,
// and how it keeps its log files, is outside the templates and a gap.
func TestExistingTrail(t *testing.T) {
	key := m{"K": m{"Type": "AWS::KMS::Key", "Properties": m{"EnableKeyRotation": true}}}
	trail := m{"Type": "AWS::CloudTrail::Trail", "Properties": m{"TrailName": "t", "IsLogging": true, "EnableLogFileValidation": true, "KMSKeyId": m{"Fn::GetAtt": l{"K", "Arn"}}}}
	output := m{"AuditTrail": m{"Value": "org-trail"}}
	tests := []struct {
		name string
		tpl  m
		want report.Status
		gaps []string
	}{
		{"named only", m{"Resources": key, "Outputs": output}, report.Partial, []string{
			"trail org-trail is not in the templates: check in its account that it is logging, records the data events of the artifact buckets, validates its log files and keeps them 12 months",
		}},
		{"created here", m{"Resources": m{"K": key["K"], "T": trail}, "Outputs": m{"AuditTrail": m{"Value": m{"Fn::GetAtt": l{"T", "Arn"}}}}}, report.Met, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := find(report.Build(writeTemplate(t, tc.tpl), nil), "CC7.2")
			if c.Status != tc.want || !slices.Equal(c.Gaps, tc.gaps) {
				t.Errorf("CC7.2 = %s with gaps %q, want %s with %q; evidence %v", c.Status, c.Gaps, tc.want, tc.gaps, c.Evidence)
			}
		})
	}
}

// TestMissingIsListed: every control appears whatever the templates hold,
// and packs that did not run are reported as not run.
func TestMissingIsListed(t *testing.T) {
	r := report.Build(write(t, m{}, "AwsSolutions"), nil)
	if len(r.Controls) != 11 || r.Summary[report.Missing] == 0 {
		t.Errorf("controls = %d, summary %v; want all 11 listed, the empty ones missing", len(r.Controls), r.Summary)
	}
	md := string(r.Markdown())
	for _, want := range []string{"| AwsSolutions | yes | yes |", "| HIPAA.Security | **no** | **no** |", "**Missing:** HIPAA.Security did not run", "**Missing:** not run; `make compliance-report`"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	var back report.Report
	if err := json.Unmarshal(r.JSON(), &back); err != nil || len(back.Controls) != 11 {
		t.Errorf("JSON does not read back: %v", err)
	}
}
