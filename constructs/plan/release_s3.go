package plan

import (
	"fmt"
	"regexp"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// S3Release is the S3 deploy action.
type S3Release struct {
	// Bucket is the bucket name, in the deployment's account: 3 to 63
	// lowercase letters, digits, dots and hyphens
	// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html),
	// or a token. Required.
	Bucket string
	// Extract unzips the build output into the bucket.
	Extract bool
	// ObjectKey is the zip's key without Extract (required then), or the
	// key prefix with it: at most 1,024 bytes in UTF-8 on one line, not
	// starting with /, without * or ?, in characters through U+00FF
	// (values.S3DeployKeyRule, config's rule too), since the deploy role's
	// s3:PutObject resource ends in it. Default: none (the bucket's root,
	// with Extract).
	ObjectKey string
	// CacheControl are Cache-Control directives, one each, such as public
	// or max-age=300 (values.CacheControlDirective); the action sends them
	// joined by ", ". Default: none.
	CacheControl []string
	// KMSKeyArn encrypts the objects. Default: the bucket's encryption.
	KMSKeyArn string
}

// DeployS3 copies the build output into a bucket.
type DeployS3 struct{ Release *S3Release }

// Type implements Kind.
func (*DeployS3) Type() ActionType { return ActionType{"Deploy", "S3"} }

func (*DeployS3) kind()                 {}
func (*S3Release) release()             {}
func (*S3Release) usesDeployRole() bool { return true }

// kmsKeyARNRE matches a KMS key ARN: a key ID that is a UUID, or mrk- and
// 32 hexadecimal digits for a multi-Region key
// (https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html).
var kmsKeyARNRE = regexp.MustCompile(`^arn:[^:]+:kms:[a-z0-9-]+:[0-9]{12}:key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`)

func (x *S3Release) withDefaults() Release {
	c := *x
	return &c
}

func (x *S3Release) validate(v *validator, field string) {
	if x.Bucket == "" {
		v.add(field+".Bucket", `"": required`)
	} else if !values.BucketName(x.Bucket) && !arns.IsToken(x.Bucket) {
		// No bucket has it: the action would fail when it runs.
		v.addf(field+".Bucket", "%q: must be an S3 bucket name, 3 to 63 lowercase letters, digits, dots and hyphens (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)", x.Bucket)
	} else if rule := values.CDKAssetBucketRule(x.Bucket); rule != "" {
		v.addf(field+".Bucket", "%q: %s", x.Bucket, rule)
	}
	if !x.Extract && x.ObjectKey == "" {
		v.add(field+".ObjectKey", `"": required when Extract is false`)
	}
	// The deploy role's s3:PutObject resource ends in the key: the rule
	// config shares (values.S3DeployKeyRule).
	if rule := values.S3DeployKeyRule(x.ObjectKey); rule != "" {
		v.addf(field+".ObjectKey", "%q: %s", x.ObjectKey, rule)
	}
	for k, cc := range x.CacheControl {
		if !values.CacheControlDirective(cc) {
			v.addf(fmt.Sprintf("%s.CacheControl[%d]", field, k), "%q: must be one Cache-Control directive, such as public or max-age=300", cc)
		}
	}
	if x.KMSKeyArn != "" && !kmsKeyARNRE.MatchString(x.KMSKeyArn) && !arns.IsToken(x.KMSKeyArn) {
		v.addf(field+".KMSKeyArn", "%q: must be a KMS key ARN", x.KMSKeyArn)
	}
}

func (x *S3Release) actions(c *releaseContext) []Action {
	f := c.f
	return []Action{c.deploy(&DeployS3{Release: x}, map[string]Field{
		"BucketName": f(".Bucket"), "Extract": f(".Extract"), "ObjectKey": f(".ObjectKey"),
		"CacheControl": c.p.fix(c.path+".CacheControl", "use fewer Cache-Control directives"), "KMSEncryptionKeyARN": f(".KMSKeyArn"),
	})}
}
