package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// S3Deploy copies the build output into a bucket of the environment's
// account, such as a static website.
type S3Deploy struct {
	// Bucket is the bucket name; use ${account} or ${env} to make it
	// unique per environment. Required.
	Bucket string `yaml:"bucket" json:"bucket"`
	// Extract unzips the build output into the bucket (under ObjectKey as a
	// prefix, if set). Default: true.
	Extract *bool `yaml:"extract,omitempty" json:"extract,omitempty"`
	// ObjectKey is the key of the zip when Extract is false (required
	// then), or the key prefix when it is true. Default: none.
	ObjectKey string `yaml:"objectKey,omitempty" json:"objectKey,omitempty"`
	// CacheControl are Cache-Control directives for every object, such as
	// [public, max-age=300]. Default: none.
	CacheControl []string `yaml:"cacheControl,omitempty" json:"cacheControl,omitempty"`
	// KMSKey is the ARN of a KMS key in the environment's account that
	// encrypts the objects. Default: the bucket's default encryption.
	KMSKey string `yaml:"kmsKey,omitempty" json:"kmsKey,omitempty"`
}

var (
	// kmsARNRE matches a KMS key ARN: a key ID that is a UUID, or mrk- and
	// 32 hexadecimal digits for a multi-Region key (kmsKeyIDRE).
	kmsARNRE = regexp.MustCompile(`^arn:[^:]+:kms:([a-z0-9-]+):([0-9]{12}):key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`)
)

// applyDefaults sets x's defaults: extract is true unless written.
func (x *S3Deploy) applyDefaults() {
	if x.Extract == nil {
		t := true
		x.Extract = &t
	}
}

// validateS3Deploy checks the S3 deployment x as environment e receives it in
// region.
func validateS3Deploy(c *Config, q *problems, x *S3Deploy, e Environment, region string) {
	const b = "deploy.s3."
	if rule := bucketRule(x.Bucket); rule != "" {
		q.add(b+"bucket", x.Bucket, rule)
	} else {
		q.add(b+"bucket", x.Bucket, values.CDKAssetBucketRule(x.Bucket))
	}
	if what := c.names().OwnBucket(x.Bucket); what != "" {
		q.add(b+"bucket", x.Bucket, values.OwnBucketRule(what, "the deploy role would be denied when the action runs, and a release that could write there would overwrite the artifacts that later stages deploy", "release into a bucket of the workload's own"))
	}
	if x.Extract != nil && !*x.Extract && x.ObjectKey == "" {
		q.add(b+"objectKey", "", "required when extract is false: the key of the zip in the bucket")
	}
	// The key is the prefix of the deploy role's s3:PutObject resource
	// (arn:aws:s3:::<bucket>/<key>/*): values.S3DeployKeyRule, the rule
	// plan.S3Release shares. S3's 1,024 bytes are more than the action's
	// ObjectKey takes, so the action value's limit applies after it.
	if rule := values.S3DeployKeyRule(x.ObjectKey); rule != "" {
		q.add(b+"objectKey", x.ObjectKey, rule)
	} else if x.ObjectKey != "" {
		v, rule := actionValue(x.ObjectKey, "", "use a shorter object key")
		q.add(b+"objectKey", v, rule)
	}
	directives := true
	for k, cc := range x.CacheControl {
		if !values.CacheControlDirective(cc) {
			q.add(fmt.Sprintf("%scacheControl[%d]", b, k), cc, "must be one Cache-Control directive, such as public or max-age=300")
			directives = false
		}
	}
	// The action's CacheControl is one configuration value: the directives
	// joined by ", " (as aws-cdk-lib's S3DeployAction writes them). Over
	// 1,000 characters it used to be refused only after aws-cdk-lib ran,
	// without the config's line.
	if joined := strings.Join(x.CacheControl, ", "); directives && joined != "" {
		v, rule := actionValue(joined, "", "use fewer or shorter Cache-Control directives (they are joined by \", \" into one value)")
		if rule != "" {
			q.add(b+"cacheControl", v, rule)
		}
	}
	if x.KMSKey != "" {
		rule := ""
		if m := kmsARNRE.FindStringSubmatch(x.KMSKey); m == nil {
			rule = "must be a KMS key ARN (not an alias), such as arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
		} else {
			rule = arnPlaceRule("KMS key", m[1], m[2], e, region)
		}
		q.add(b+"kmsKey", x.KMSKey, rule)
	}
}
