package config

import (
	"regexp"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// TestValidateS3Deploy checks the rules of the S3 deployment, each with its
// message.
func TestValidateS3Deploy(t *testing.T) {
	runReleaseCases(t, []releaseCase{
		{"bucket name", "deploy:\n  s3: {bucket: Site_Bucket}\n",
			`deploy.s3.bucket "Site_Bucket": must be an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens`},
		// The CDK bootstrap's asset bucket holds what the next cdk deploy
		// runs in the account, Relay's own stacks among them.
		{"the CDK bootstrap's asset bucket", "deploy:\n  s3: {bucket: \"cdk-hnb659fds-assets-${account}-${region}\"}\n",
			`deploy.s3.bucket "cdk-hnb659fds-assets-222222222222-us-east-1": ` + values.CDKAssetBucketRule("cdk-hnb659fds-assets-222222222222-us-east-1")},
		{"zip without a key", "deploy:\n  s3: {bucket: site, extract: false}\n",
			`deploy.s3.objectKey "": required when extract is false: the key of the zip in the bucket`},
		// The key (a prefix with extract) lands in the deploy role's
		// s3:PutObject resource, arn:aws:s3:::<bucket>/<key>/*: a line
		// break makes a resource IAM refuses (cfn-lint E3510), and IAM's
		// wildcards would widen the grant past the prefix.
		{"a key on two lines", "deploy:\n  s3: {bucket: site, objectKey: \"site\\nx\"}\n",
			`deploy.s3.objectKey "site\nx": must be an S3 key of at most 1024 bytes (UTF-8) on one line, without IAM's wildcards * and ?, not starting with /`},
		// The deploy role's policy names the key: IAM's policy characters.
		{"a key beyond Latin-1", "deploy:\n  s3: {bucket: site, objectKey: \"site€\"}\n",
			`deploy.s3.objectKey "site€": holds "€" (U+20AC) at byte 4, which IAM refuses in a policy document: it takes printable characters through U+00FF (Basic Latin and Latin-1 Supplement) only (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html); use an object key of ASCII and Latin-1 characters`},
		{"a key with a wildcard", "deploy:\n  s3: {bucket: site, objectKey: \"s*\"}\n",
			`deploy.s3.objectKey "s*": must be an S3 key of at most 1024 bytes (UTF-8) on one line, without IAM's wildcards * and ?, not starting with /`},
		{"a key with a question mark", "deploy:\n  s3: {bucket: site, objectKey: \"release?\"}\n",
			`deploy.s3.objectKey "release?": must be an S3 key`},
		// S3 takes keys of 1,024 bytes; the S3 deploy action's ObjectKey,
		// an action configuration value, at most 1,000 characters.
		{"a key longer than an action configuration value", "deploy:\n  s3: {bucket: site, objectKey: \"" + strings.Repeat("k", 1001) + "\"}\n",
			`deploy.s3.objectKey "1001 characters": CodePipeline takes at most 1000 characters per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html); use a shorter object key`},
		{"cache control", "deploy:\n  s3: {bucket: site, cacheControl: [\"max-age 300\"]}\n",
			`deploy.s3.cacheControl[0] "max-age 300": must be one Cache-Control directive, such as public or max-age=300`},
		// The directives become one action configuration value, joined
		// by ", ": 1,000 characters at most (2 x 499 + 2 is 1,000).
		{"cache control longer than an action configuration value", "deploy:\n  s3: {bucket: site, cacheControl: [" + strings.Repeat("a", 499) + ", " + strings.Repeat("b", 500) + "]}\n",
			`deploy.s3.cacheControl "1001 characters": CodePipeline takes at most 1000 characters per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html); use fewer or shorter Cache-Control directives (they are joined by ", " into one value)`},
		{"key alias", "deploy:\n  s3: {bucket: site, kmsKey: \"arn:aws:kms:us-east-1:222222222222:alias/site\"}\n",
			`deploy.s3.kmsKey "arn:aws:kms:us-east-1:222222222222:alias/site": must be a KMS key ARN (not an alias)`},
		// A multi-Region key's ID is mrk- and 32 hexadecimal digits: a
		// valid key ARN, refused as "not an alias" before (found by the
		// variants sweep); one digit short is no key.
		{"multi-Region key ID cut short", "deploy:\n  s3: {bucket: site, kmsKey: \"arn:aws:kms:us-east-1:222222222222:key/mrk-1234abcd12ab34cd56ef1234567890a\"}\n",
			`deploy.s3.kmsKey "arn:aws:kms:us-east-1:222222222222:key/mrk-1234abcd12ab34cd56ef1234567890a": must be a KMS key ARN (not an alias)`},
		{"key of another account", "deploy:\n  s3: {bucket: site, kmsKey: \"arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab\"}\n",
			`deploy.s3.kmsKey "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab": is a KMS key of account 999999999999, but environment "staging" deploys to 222222222222; use the one in 222222222222`},
	})
}

// TestS3MultiRegionKey checks that a multi-Region key (key/mrk-<32 hex>)
// of the environment's account and region is taken, as S3 takes it for
// SSE-KMS (https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html).
func TestS3MultiRegionKey(t *testing.T) {
	base := regexp.MustCompile(`, settings: \{[^}]*\}`).ReplaceAllString(releaseBase, "")
	key := "arn:aws:kms:us-east-1:222222222222:key/mrk-1234abcd12ab34cd56ef1234567890ab"
	if _, err := Parse("relay.yaml", []byte(base+"deploy:\n  s3: {bucket: site, kmsKey: \""+key+"\"}\n")); err != nil {
		t.Errorf("Parse() with kmsKey %s: %v", key, err)
	}
}

// TestS3CacheControlAtLimit checks that directives joined to exactly 1,000
// characters, CodePipeline's action configuration value limit, are taken.
func TestS3CacheControlAtLimit(t *testing.T) {
	for _, n := range []int{1, 499} {
		cc := strings.Repeat("a", n) + ", " + strings.Repeat("b", 998-n)
		base := regexp.MustCompile(`, settings: \{[^}]*\}`).ReplaceAllString(releaseBase, "")
		if _, err := Parse("relay.yaml", []byte(base+"deploy:\n  s3: {bucket: site, cacheControl: ["+cc+"]}\n")); err != nil {
			t.Errorf("Parse() with cacheControl of %d characters joined: %v", len(cc), err)
		}
	}
}
