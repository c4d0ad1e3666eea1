// Package audit creates a CloudTrail trail that records the object-level
// (data) events of chosen S3 buckets, such as a pipeline's artifact buckets
// (who read or wrote which artifact) and its S3 source buckets (CodePipeline
// starts on their PutObject events only when a trail records them).
//
// The trail writes to a bucket of its own: SSE-KMS with a key of its own
// (rotated, retained), versioned, TLS-only, not public, server access
// logs to a bucket the caller names, log file validation on. CloudTrail may
// write there, and use the key, for this trail only (aws:SourceArn).
package audit

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudtrail"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/hardening"
	"github.com/relaycdk/relay/constructs/internal/idrules"
	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// Props configures a Trail.
type Props struct {
	// TrailName is the trail's name (see idrules.TrailName). Required.
	TrailName string
	// Partition, Account and Region are the trail's (the tooling
	// account's home region). Required; the bucket and key policies name
	// the trail's ARN.
	Partition string
	Account   string
	Region    string
	// DataEventBuckets are the names of the buckets whose object-level
	// events (reads and writes) the trail records, in any region: the trail
	// is multi-region. At least one, at most 250 (CloudTrail's limit of
	// data resources per trail with basic event selectors).
	// Source: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html
	DataEventBuckets []string
	// AccessLogBucket receives the trail bucket's server access logs
	// (an SSE-S3 bucket: S3 delivers access logs to no other). Required.
	AccessLogBucket awss3.IBucket
	// AccessLogPrefix is the key prefix of those logs. Default: trail/.
	AccessLogPrefix string
	// BucketName is the trail bucket's name. Default: generated.
	BucketName string
	// KeyAlias is the trail key's alias. Default: none.
	KeyAlias string
	// RetentionDays is how long log files are kept before they expire.
	// Default: 365.
	RetentionDays int
}

// Trail is a CloudTrail trail of S3 data events with its bucket and key.
type Trail struct {
	constructs.Construct
	trail  awscloudtrail.CfnTrail
	bucket awss3.Bucket
	key    awskms.Key
}

var bucketRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// maxDataResources is CloudTrail's limit of data resources per trail.
const maxDataResources = 250

// Validate reports every problem of p at once.
func (p *Props) Validate() error {
	err := p.ValidateNames()
	if p.AccessLogBucket == nil {
		err = errors.Join(err, errors.New("audit.Props: AccessLogBucket: required; the trail bucket's server access logs go there"))
	}
	return err
}

// ValidateNames reports every problem of p except a missing
// AccessLogBucket, for checks made before that bucket exists.
func (p *Props) ValidateNames() error {
	var errs []error
	add := func(field, value, rule string) {
		if rule != "" {
			errs = append(errs, fmt.Errorf("%s %q: %s", field, value, rule))
		}
	}
	add("TrailName", p.TrailName, idrules.TrailName(p.TrailName))
	if p.Partition != "aws" && p.Partition != "aws-cn" && p.Partition != "aws-us-gov" {
		add("Partition", p.Partition, "must be aws, aws-cn or aws-us-gov")
	}
	if !values.IsAccount(p.Account) {
		add("Account", p.Account, "must be a 12-digit account ID (no token: the policies name the trail's ARN)")
	}
	if p.Region == "" {
		add("Region", p.Region, "required; the trail's home region, such as us-east-1")
	}
	switch n := len(p.DataEventBuckets); {
	case n == 0:
		add("DataEventBuckets", "", "required; name at least one bucket whose data events to record")
	case n > maxDataResources:
		add("DataEventBuckets", fmt.Sprint(n), fmt.Sprintf("CloudTrail records at most %d data resources per trail", maxDataResources))
	}
	for i, b := range p.DataEventBuckets {
		if !bucketRE.MatchString(b) {
			add(fmt.Sprintf("DataEventBuckets[%d]", i), b, "must be an S3 bucket name")
		}
	}
	if p.BucketName != "" && !bucketRE.MatchString(p.BucketName) {
		add("BucketName", p.BucketName, "must be an S3 bucket name")
	}
	if p.RetentionDays < 0 {
		add("RetentionDays", fmt.Sprint(p.RetentionDays), "must be 0 (default 365) or more")
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("audit.Props: %w", errors.Join(errs...))
}

// New creates the trail, its bucket and its key. It panics with every
// problem of props listed when props are invalid.
func New(scope constructs.Construct, id string, props *Props) *Trail {
	if props == nil {
		props = &Props{}
	}
	if err := props.Validate(); err != nil {
		panic(err)
	}
	p := *props
	if p.AccessLogPrefix == "" {
		p.AccessLogPrefix = "trail/"
	}
	if p.RetentionDays == 0 {
		p.RetentionDays = defaults.AuditRetentionDays
	}
	t := &Trail{Construct: constructs.NewConstruct(scope, &id)}
	// Access logs are delivered under a bucket policy, not an ACL.
	t.Node().SetContext(jsii.String("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"), true)
	trailArn := fmt.Sprintf("arn:%s:cloudtrail:%s:%s:trail/%s", p.Partition, p.Region, p.Account, p.TrailName)
	fromTrail := map[string]interface{}{"aws:SourceArn": trailArn}

	keyProps := &awskms.KeyProps{
		Description:       jsii.String("Relay: encrypts the log files of trail " + p.TrailName),
		EnableKeyRotation: jsii.Bool(true),
		PendingWindow:     awscdk.Duration_Days(jsii.Number(30)),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	}
	if p.KeyAlias != "" {
		keyProps.Alias = jsii.String(p.KeyAlias)
	}
	t.key = awskms.NewKey(t.Construct, jsii.String("Key"), keyProps)
	hardening.DenyGrants(t.key)
	// CloudTrail encrypts this trail's log files, decrypts (as it must with
	// the bucket's S3 Bucket Key) and reads the key's description; readers
	// decrypt through IAM policies in the account.
	// Source: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
	cloudtrail := awsiam.NewServicePrincipal(jsii.String("cloudtrail.amazonaws.com"), nil)
	t.key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudTrailEncryptsThisTrail"),
		Principals: &[]awsiam.IPrincipal{cloudtrail},
		Actions:    jsii.Strings("kms:GenerateDataKey*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"StringEquals": fromTrail,
			"StringLike":   map[string]interface{}{"kms:EncryptionContext:aws:cloudtrail:arn": fmt.Sprintf("arn:%s:cloudtrail:*:%s:trail/*", p.Partition, p.Account)},
		},
	}), jsii.Bool(false))
	// The bucket has an S3 Bucket Key, with which CloudTrail needs
	// kms:Decrypt to create or update a trail encrypted with SSE-KMS (the
	// guide's "Required KMS key policy elements for trails", item 2);
	// without it the trail is refused at deploy.
	t.key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudTrailDecryptsWithTheBucketKey"),
		Principals: &[]awsiam.IPrincipal{cloudtrail},
		Actions:    jsii.Strings("kms:Decrypt"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{"StringEquals": fromTrail},
	}), jsii.Bool(false))
	t.key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudTrailDescribesKey"),
		Principals: &[]awsiam.IPrincipal{cloudtrail},
		Actions:    jsii.Strings("kms:DescribeKey"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{"StringEquals": fromTrail},
	}), jsii.Bool(false))

	t.bucket = awss3.NewBucket(t.Construct, jsii.String("Bucket"), &awss3.BucketProps{
		BucketName:             values.Optional(p.BucketName),
		Encryption:             awss3.BucketEncryption_KMS,
		EncryptionKey:          t.key,
		BucketKeyEnabled:       jsii.Bool(true),
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:             jsii.Bool(true),
		MinimumTLSVersion:      jsii.Number(1.2),
		ObjectOwnership:        awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		Versioned:              jsii.Bool(true),
		RemovalPolicy:          awscdk.RemovalPolicy_RETAIN,
		ServerAccessLogsBucket: p.AccessLogBucket,
		ServerAccessLogsPrefix: jsii.String(p.AccessLogPrefix),
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                          jsii.String("ExpireLogFiles"),
			Expiration:                  awscdk.Duration_Days(jsii.Number(float64(p.RetentionDays))),
			NoncurrentVersionExpiration: awscdk.Duration_Days(jsii.Number(1)),
		}},
	})
	// CloudTrail checks the bucket's ACL and writes log files, for this
	// trail only. Source: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
	t.bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudTrailAclCheck"),
		Principals: &[]awsiam.IPrincipal{cloudtrail},
		Actions:    jsii.Strings("s3:GetBucketAcl"),
		Resources:  &[]*string{t.bucket.BucketArn()},
		Conditions: &map[string]interface{}{"StringEquals": fromTrail},
	}))
	t.bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudTrailWrite"),
		Principals: &[]awsiam.IPrincipal{cloudtrail},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  &[]*string{t.bucket.ArnForObjects(jsii.String("AWSLogs/" + p.Account + "/*"))},
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{
			"aws:SourceArn": trailArn,
			"s3:x-amz-acl":  "bucket-owner-full-control",
		}},
	}))

	var data []*string
	for _, b := range values.SortedUnique(p.DataEventBuckets) {
		data = append(data, jsii.String(fmt.Sprintf("arn:%s:s3:::%s/", p.Partition, b)))
	}
	// aws-cdk-lib's Trail grants CloudTrail on the bucket without an
	// aws:SourceArn condition and adds no key grants; the L1 resource with
	// the policies above keeps CloudTrail to this trail.
	t.trail = awscloudtrail.NewCfnTrail(t.Construct, jsii.String("Trail"), &awscloudtrail.CfnTrailProps{
		TrailName:                  jsii.String(p.TrailName),
		S3BucketName:               t.bucket.BucketName(),
		KmsKeyId:                   t.key.KeyArn(),
		IsLogging:                  jsii.Bool(true),
		IsMultiRegionTrail:         jsii.Bool(true), // artifact replicas live in other regions
		IncludeGlobalServiceEvents: jsii.Bool(true), // required of a multi-region trail
		EnableLogFileValidation:    jsii.Bool(true),
		EventSelectors: &[]*awscloudtrail.CfnTrail_EventSelectorProperty{{
			// Data events only: the account's management events are
			// already recorded (once for free) by its existing trails.
			IncludeManagementEvents: jsii.Bool(false),
			ReadWriteType:           jsii.String("All"),
			DataResources: &[]*awscloudtrail.CfnTrail_DataResourceProperty{{
				Type:   jsii.String("AWS::S3::Object"),
				Values: &data,
			}},
		}},
	})
	hardening.EventBridgeNotifications(t.bucket)
	nag.Replication(t.bucket, "The trail's log files are versioned, KMS-encrypted and validated by CloudTrail's digest files, and S3 stores them redundantly across Availability Zones; a copy in a separate log-archive account is an organization trail's job (name it in audit.organizationTrail instead).")
	nag.Each(t.trail, "The trail records only the data events of the buckets it names (a pipeline's artifact or S3 source buckets), for audit: its log files are validated by digest files and kept in a KMS-encrypted, versioned bucket for the retention period, where an audit reads them; a CloudWatch Logs copy would add a log group with no metric filter or alarm on it.",
		"NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled", "PCI.DSS.321-CloudTrailCloudWatchLogsEnabled", "HIPAA.Security-CloudTrailCloudWatchLogsEnabled")
	// CloudTrail validates the bucket policy when the trail is created.
	if policy := t.bucket.Policy(); policy != nil {
		t.trail.Node().AddDependency(policy)
	}
	t.trail.Node().AddDependency(t.key)
	return t
}

// TrailArn is the trail's ARN.
func (t *Trail) TrailArn() *string { return t.trail.AttrArn() }

// Bucket holds the log files.
func (t *Trail) Bucket() awss3.Bucket { return t.bucket }

// Key encrypts the log files.
func (t *Trail) Key() awskms.Key { return t.key }
