// Package hardening holds the settings Relay's resources share to meet AWS
// Control Tower's proactive controls and cdk-nag's compliance packs: the
// CloudWatch Logs service may use a key for named log groups only, nobody
// may create a grant on a key except for an AWS resource, and buckets send
// their object events to EventBridge.
package hardening

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// AdmitLogs lets CloudWatch Logs of the key's region use key for the log
// groups logGroupArns (ARNs or ARN patterns, such as
// arn:aws:logs:us-east-1:111111111111:log-group:/relay/payments/build),
// and nothing else: an ArnLike condition on the encryption context
// kms:EncryptionContext:aws:logs:arn, which CloudWatch Logs sends with
// every request for a log group.
// Source: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
func AdmitLogs(key awskms.Key, sid string, logGroupArns ...string) {
	region := awscdk.Stack_Of(key).Region()
	logs := awsiam.NewServicePrincipal(awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String("logs."), region, jsii.String(".amazonaws.com")}), nil)
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String(sid),
		Principals: &[]awsiam.IPrincipal{logs},
		Actions:    jsii.Strings("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"ArnLike": map[string]interface{}{"kms:EncryptionContext:aws:logs:arn": oneOrMany(logGroupArns)},
		},
	}), jsii.Bool(false))
}

// DenyGrants denies kms:CreateGrant on key to every principal unless the
// grant is for an AWS resource or the caller is an AWS service (the
// BoolIfExists conditions kms:GrantIsForAWSResource and
// aws:PrincipalIsAWSService both false): AWS Control Tower's proactive
// control CT.KMS.PR.3. Relay's keys need no grants of their own.
// Source: https://docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html
func DenyGrants(key awskms.Key) {
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("DenyGrantsExceptForAWSResources"),
		Effect:     awsiam.Effect_DENY,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("kms:CreateGrant"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"BoolIfExists": map[string]interface{}{"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"},
		},
	}), jsii.Bool(false))
}

func oneOrMany(v []string) interface{} {
	if len(v) == 1 {
		return v[0]
	}
	return v
}

// EventBridgeNotifications turns on the delivery of bucket's object events
// to EventBridge (the default event bus of its account and region) on the
// L1 resource, without aws-cdk-lib's notifications custom resource: AWS
// Control Tower's proactive control CT.S3.PR.4. S3 charges nothing for it.
// Source: https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
func EventBridgeNotifications(bucket constructs.IConstruct) {
	bucket.Node().DefaultChild().(awscdk.CfnResource).AddPropertyOverride(jsii.String("NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled"), true)
}
