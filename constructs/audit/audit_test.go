package audit_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/audit"
	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/relaytest"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

type m = map[string]interface{}
type l = []interface{}

func props(logs awss3.IBucket) *audit.Props {
	return &audit.Props{
		TrailName:        "payments-audit",
		Partition:        "aws",
		Account:          "111111111111",
		Region:           "us-east-1",
		DataEventBuckets: []string{"payments-artifacts-111111111111-us-east-1", "payments-artifacts-111111111111-eu-west-1"},
		AccessLogBucket:  logs,
		BucketName:       "payments-audit-111111111111-us-east-1",
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *audit.Props)
		want   []string
	}{
		{"valid", func(p *audit.Props) {}, nil},
		{"a trail name that is not a valid name", func(p *audit.Props) { p.TrailName = "payments--audit" }, []string{
			`TrailName "payments--audit": must not have adjacent '.', '_' or '-', such as my--trail; use single separators`,
		}},
		{"no buckets, a bad bucket and a token account", func(p *audit.Props) {
			p.DataEventBuckets, p.Account, p.BucketName = nil, "${Token[AWS.AccountId.1]}", "Audit_Logs"
		}, []string{
			`Account "${Token[AWS.AccountId.1]}": must be a 12-digit account ID (no token: the policies name the trail's ARN)`,
			`DataEventBuckets "": required; name at least one bucket whose data events to record`,
			`BucketName "Audit_Logs": must be an S3 bucket name`,
		}},
		{"too many buckets for one trail", func(p *audit.Props) {
			p.DataEventBuckets = make([]string, 251)
			for i := range p.DataEventBuckets {
				p.DataEventBuckets[i] = "bucket-" + strings.Repeat("a", i%40+3)
			}
		}, []string{`DataEventBuckets "251": CloudTrail records at most 250 data resources per trail`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := props(nil)
			tt.mutate(p)
			relaytest.ValidateError(t, p.ValidateNames(), "audit.Props: ", tt.want)
		})
	}
	if err := props(nil).Validate(); err == nil || !strings.Contains(err.Error(), "AccessLogBucket: required") {
		t.Errorf("Validate without AccessLogBucket = %v", err)
	}
}

func statements(doc interface{}) []m {
	var out []m
	for _, s := range doc.(m)["Statement"].([]interface{}) {
		out = append(out, s.(m))
	}
	return out
}

func TestTrail(t *testing.T) {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Tooling"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
	relaytest.Do(t, "audit.New", func() {
		logs := awss3.NewBucket(stack, jsii.String("AccessLogs"), &awss3.BucketProps{
			Encryption: awss3.BucketEncryption_S3_MANAGED, EnforceSSL: jsii.Bool(true),
			BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(), Versioned: jsii.Bool(true),
		})
		cdknag.NagSuppressions_AddResourceSuppressions(logs, &[]*cdknag.NagPackSuppression{{
			Id: jsii.String("AwsSolutions-S1"), Reason: jsii.String("The test's stand-in for the artifact store's access-log bucket."),
		}}, jsii.Bool(true))
		audit.New(stack, "Audit", props(logs))
		compliance.AwsSolutions(stack)
	})
	res := relaytest.JSON(t, stack)["Resources"].(m)
	byType := func(typ, part string) (string, m) {
		for id, r := range res {
			if r.(m)["Type"] == typ && strings.Contains(id, part) {
				return id, r.(m)
			}
		}
		t.Fatalf("no %s with %q", typ, part)
		return "", nil
	}
	trailArn := "arn:aws:cloudtrail:us-east-1:111111111111:trail/payments-audit"
	bucketID, _ := byType("AWS::S3::Bucket", "AuditBucket")
	keyID, key := byType("AWS::KMS::Key", "Audit")
	_, trail := byType("AWS::CloudTrail::Trail", "Audit")

	want := m{
		"TrailName": "payments-audit", "S3BucketName": m{"Ref": bucketID}, "KMSKeyId": m{"Fn::GetAtt": l{keyID, "Arn"}},
		"IsLogging": true, "IsMultiRegionTrail": true, "IncludeGlobalServiceEvents": true, "EnableLogFileValidation": true,
		"EventSelectors": l{m{"IncludeManagementEvents": false, "ReadWriteType": "All", "DataResources": l{m{
			"Type":   "AWS::S3::Object",
			"Values": l{"arn:aws:s3:::payments-artifacts-111111111111-eu-west-1/", "arn:aws:s3:::payments-artifacts-111111111111-us-east-1/"},
		}}}},
	}
	if diff := cmp.Diff(want, trail["Properties"]); diff != "" {
		t.Errorf("trail (-want +got):\n%s", diff)
	}
	if deps := trail["DependsOn"]; len(deps.([]interface{})) != 2 {
		t.Errorf("trail depends on %v, want the bucket policy and the key", deps)
	}

	// CloudTrail may use the key and the bucket for this trail only.
	fromTrail := m{"aws:SourceArn": trailArn}
	wantKey := []m{
		{"Effect": "Allow", "Action": "kms:*", "Resource": "*",
			"Principal": m{"AWS": m{"Fn::Join": l{"", l{"arn:", m{"Ref": "AWS::Partition"}, ":iam::111111111111:root"}}}}},
		{"Sid": "DenyGrantsExceptForAWSResources", "Effect": "Deny", "Principal": m{"AWS": "*"}, "Action": "kms:CreateGrant", "Resource": "*",
			"Condition": m{"BoolIfExists": m{"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}}},
		{"Sid": "CloudTrailEncryptsThisTrail", "Effect": "Allow", "Principal": m{"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*",
			"Condition": m{"StringEquals": fromTrail, "StringLike": m{"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*"}}},
		// The bucket has an S3 Bucket Key: CloudTrail then needs
		// kms:Decrypt to create or update the trail (CloudTrail User Guide,
		// create-kms-key-policy-for-cloudtrail.html).
		{"Sid": "CloudTrailDecryptsWithTheBucketKey", "Effect": "Allow", "Principal": m{"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*",
			"Condition": m{"StringEquals": fromTrail}},
		{"Sid": "CloudTrailDescribesKey", "Effect": "Allow", "Principal": m{"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*",
			"Condition": m{"StringEquals": fromTrail}},
	}
	if diff := cmp.Diff(wantKey, statements(key["Properties"].(m)["KeyPolicy"])); diff != "" {
		t.Errorf("key policy (-want +got):\n%s", diff)
	}
	if key["Properties"].(m)["EnableKeyRotation"] != true || key["DeletionPolicy"] != "Retain" {
		t.Errorf("trail key not rotated or not retained: %v", key)
	}
	_, policy := byType("AWS::S3::BucketPolicy", "AuditBucket")
	var cloudtrail []m
	for _, s := range statements(policy["Properties"].(m)["PolicyDocument"]) {
		if p, ok := s["Principal"].(m); ok && p["Service"] == "cloudtrail.amazonaws.com" {
			cloudtrail = append(cloudtrail, s)
		}
	}
	for _, s := range cloudtrail {
		if s["Condition"].(m)["StringEquals"].(m)["aws:SourceArn"] != trailArn {
			t.Errorf("bucket statement %v is not pinned to the trail", s)
		}
	}
	if len(cloudtrail) != 2 {
		t.Errorf("%d CloudTrail statements in the bucket policy, want 2 (ACL check, write)", len(cloudtrail))
	}
	if errs := relaytest.Errors(t, stack); len(errs) > 0 {
		t.Errorf("%d unsuppressed cdk-nag findings:\n%s", len(errs), relaytest.FindingsText(errs))
	}
}
