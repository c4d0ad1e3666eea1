package naming_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/naming"
)

var payments = naming.Names{Name: "payments", Partition: "aws", ToolingAccount: "111111111111", ToolingRegion: "us-east-1"}

func TestNames(t *testing.T) {
	cn := naming.Names{Name: "orders", Partition: "aws-cn", ToolingAccount: "333333333333", ToolingRegion: "cn-north-1"}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"RolePath", payments.RolePath(), "/relay/payments/"},
		{"ToolingStack", payments.ToolingStack(), "payments-tooling"},
		{"TargetStack", payments.TargetStack("staging"), "payments-staging"},
		{"Pipeline", payments.Pipeline(), "payments"},
		{"PipelineRole", payments.PipelineRole(), "payments-pipeline"},
		{"PipelineRoleArn", payments.PipelineRoleArn(), "arn:aws:iam::111111111111:role/relay/payments/payments-pipeline"},
		{"DeployRole", payments.DeployRole("staging"), "payments-staging-deploy"},
		{"DeployRoleArn", payments.DeployRoleArn("222222222222", "staging"), "arn:aws:iam::222222222222:role/relay/payments/payments-staging-deploy"},
		{"DeployRolePattern", payments.DeployRolePattern(), "arn:aws:iam::*:role/relay/payments/payments-*-deploy"},
		{"ExecutionRole", payments.ExecutionRole("staging"), "payments-staging-cfn-exec"},
		{"ExecutionRoleArn", payments.ExecutionRoleArn("222222222222", "staging"), "arn:aws:iam::222222222222:role/relay/payments/payments-staging-cfn-exec"},
		{"ArtifactBucket", payments.ArtifactBucket("eu-west-1"), "payments-artifacts-111111111111-eu-west-1"},
		{"ArtifactBucketArn", payments.ArtifactBucketArn("eu-west-1"), "arn:aws:s3:::payments-artifacts-111111111111-eu-west-1"},
		{"AccessLogBucket", payments.AccessLogBucket("eu-west-1"), "payments-logs-111111111111-eu-west-1"},
		{"ArtifactKeyAlias", payments.ArtifactKeyAlias(), "alias/relay/payments/artifacts"},
		{"ArtifactKeyPattern", payments.ArtifactKeyPattern("eu-west-1"), "arn:aws:kms:eu-west-1:111111111111:key/*"},
		{"BuildProject", payments.BuildProject(), "payments-build"},
		{"BuildLogGroup", payments.BuildLogGroup(), "/relay/payments/build"},
		{"ApprovalTopic", payments.ApprovalTopic("prod"), "payments-prod-approval"},
		{"ApprovalTopicPattern", payments.ApprovalTopicPattern(), "arn:aws:sns:us-east-1:111111111111:payments-*-approval"},
		{"RecoveryFunction", payments.RecoveryFunction(), "payments-recovery"},
		{"ExecutionTimer", payments.ExecutionTimer(), "payments-execution-timer"},

		{"aws-cn PipelineRoleArn", cn.PipelineRoleArn(), "arn:aws-cn:iam::333333333333:role/relay/orders/orders-pipeline"},
		{"aws-cn DeployRoleArn", cn.DeployRoleArn("444444444444", "prod"), "arn:aws-cn:iam::444444444444:role/relay/orders/orders-prod-deploy"},
		{"aws-cn DeployRolePattern", cn.DeployRolePattern(), "arn:aws-cn:iam::*:role/relay/orders/orders-*-deploy"},
		{"aws-cn ExecutionRoleArn", cn.ExecutionRoleArn("444444444444", "prod"), "arn:aws-cn:iam::444444444444:role/relay/orders/orders-prod-cfn-exec"},
		{"aws-cn ArtifactBucket", cn.ArtifactBucket("cn-northwest-1"), "orders-artifacts-333333333333-cn-northwest-1"},
		{"aws-cn ArtifactBucketArn", cn.ArtifactBucketArn("cn-northwest-1"), "arn:aws-cn:s3:::orders-artifacts-333333333333-cn-northwest-1"},
		{"aws-cn AccessLogBucket", cn.AccessLogBucket("cn-north-1"), "orders-logs-333333333333-cn-north-1"},
		{"aws-cn ArtifactKeyPattern", cn.ArtifactKeyPattern("cn-north-1"), "arn:aws-cn:kms:cn-north-1:333333333333:key/*"},
		{"aws-cn ApprovalTopicPattern", cn.ApprovalTopicPattern(), "arn:aws-cn:sns:cn-north-1:333333333333:orders-*-approval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
			}
		})
	}
}

var (
	// bucketRE is the S3 bucket naming rule (without the length limit,
	// checked apart so that the failure says which rule broke).
	bucketRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`)
	// roleNameRE and rolePathRE are IAM's patterns for role names and paths.
	roleNameRE = regexp.MustCompile(`^[\w+=,.@-]+$`)
	rolePathRE = regexp.MustCompile(`^/([\x21-\x7E]+/)?$`)
)

// TestLimits checks that the longest names the configuration accepts still
// fit AWS's limits: a 24-character pipeline name, a 20-character environment
// name and the longest known region.
func TestLimits(t *testing.T) {
	const (
		maxBucket   = 63  // S3 bucket name
		maxRoleName = 64  // IAM role name
		maxRolePath = 512 // IAM path
	)
	region := ""
	for _, r := range config.Regions() {
		if len(r) > len(region) {
			region = r
		}
	}
	partition, _ := config.Partition(region)
	env := strings.Repeat("e", 20)
	n := naming.Names{Name: strings.Repeat("a", 24), Partition: partition, ToolingAccount: "111111111111", ToolingRegion: region}

	for _, b := range []struct{ what, name string }{
		{"ArtifactBucket", n.ArtifactBucket(region)},
		{"AccessLogBucket", n.AccessLogBucket(region)},
	} {
		if len(b.name) > maxBucket {
			t.Errorf("%s(%q) = %q is %d characters; S3 allows at most %d", b.what, region, b.name, len(b.name), maxBucket)
		}
		if !bucketRE.MatchString(b.name) {
			t.Errorf("%s(%q) = %q is not a valid S3 bucket name", b.what, region, b.name)
		}
	}

	for _, r := range []struct{ what, name string }{
		{"PipelineRole", n.PipelineRole()},
		{"DeployRole", n.DeployRole(env)},
		{"ExecutionRole", n.ExecutionRole(env)},
	} {
		if len(r.name) > maxRoleName {
			t.Errorf("%s = %q is %d characters; IAM allows at most %d", r.what, r.name, len(r.name), maxRoleName)
		}
		if !roleNameRE.MatchString(r.name) {
			t.Errorf("%s = %q is not a valid IAM role name", r.what, r.name)
		}
	}

	if p := n.RolePath(); len(p) > maxRolePath || !rolePathRE.MatchString(p) {
		t.Errorf("RolePath() = %q (%d characters); want a valid IAM path of at most %d", p, len(p), maxRolePath)
	}
}

// arnLike compiles an IAM ArnLike pattern: * matches any run of characters
// and ? one character, neither crossing the colons between ARN components.
func arnLike(pattern string) *regexp.Regexp {
	q := regexp.QuoteMeta(pattern)
	q = strings.ReplaceAll(q, `\*`, `[^:]*`)
	q = strings.ReplaceAll(q, `\?`, `[^:]`)
	return regexp.MustCompile("^" + q + "$")
}

func TestDeployRolePattern(t *testing.T) {
	pattern := payments.DeployRolePattern()
	re := arnLike(pattern)
	other := naming.Names{Name: "payments-x", Partition: "aws", ToolingAccount: "111111111111", ToolingRegion: "us-east-1"}
	tests := []struct {
		arn  string
		want bool
	}{
		{payments.DeployRoleArn("222222222222", "staging"), true},
		{payments.DeployRoleArn("333333333333", "prod"), true},
		{payments.DeployRoleArn("111111111111", "eu-prod-2"), true},
		{payments.DeployRoleArn("999999999999", strings.Repeat("e", 20)), true},

		{payments.ExecutionRoleArn("222222222222", "staging"), false},
		{payments.PipelineRoleArn(), false},
		{other.DeployRoleArn("222222222222", "staging"), false},
		{other.DeployRoleArn("222222222222", "x-staging"), false},
		{naming.Names{Name: "payments", Partition: "aws-cn"}.DeployRoleArn("222222222222", "staging"), false},
	}
	for _, tt := range tests {
		if got := re.MatchString(tt.arn); got != tt.want {
			t.Errorf("ArnLike(%q, %q) = %v, want %v", tt.arn, pattern, got, tt.want)
		}
	}
	// The longer name's pattern must not reach back into payments either.
	if arn := payments.DeployRoleArn("222222222222", "staging"); arnLike(other.DeployRolePattern()).MatchString(arn) {
		t.Errorf("%q matches %q", other.DeployRolePattern(), arn)
	}
}

// TestPartitionDefault: Names without a Partition never yield arn::...
// (issue 14): the tooling region's partition, or aws.
func TestPartitionDefault(t *testing.T) {
	for _, tt := range []struct {
		n    naming.Names
		want string
	}{
		{naming.Names{Name: "orders", ToolingAccount: "111111111111", ToolingRegion: "us-east-1"}, "arn:aws:iam::111111111111:role/relay/orders/orders-pipeline"},
		{naming.Names{Name: "orders", ToolingAccount: "111111111111", ToolingRegion: "cn-north-1"}, "arn:aws-cn:iam::111111111111:role/relay/orders/orders-pipeline"},
		{naming.Names{Name: "orders", ToolingAccount: "111111111111"}, "arn:aws:iam::111111111111:role/relay/orders/orders-pipeline"},
	} {
		if got := tt.n.PipelineRoleArn(); got != tt.want {
			t.Errorf("%+v.PipelineRoleArn() = %q, want %q", tt.n, got, tt.want)
		}
	}
	// Every ARN a method builds takes the same default (the asset store's
	// and the artifact reader policy's wrote arn:: without Partition).
	cn := naming.Names{Name: "orders", ToolingAccount: "111111111111", ToolingRegion: "cn-north-1"}
	for _, tt := range []struct{ method, arn string }{
		{"AssetBucketArn", cn.AssetBucketArn("cn-north-1")},
		{"AssetRepositoryArn", cn.AssetRepositoryArn("cn-north-1")},
		{"ArtifactReaderPolicyArn", cn.ArtifactReaderPolicyArn("222222222222", "staging")},
		{"ArtifactBucketArn", cn.ArtifactBucketArn("cn-north-1")},
		{"DeployRoleArn", cn.DeployRoleArn("222222222222", "staging")},
		{"PermissionsBoundaryArn", cn.PermissionsBoundaryArn("222222222222", "staging")},
	} {
		if !strings.HasPrefix(tt.arn, "arn:aws-cn:") {
			t.Errorf("%s of %+v = %q, want an ARN of partition aws-cn", tt.method, cn, tt.arn)
		}
	}
	for _, a := range cn.ToolingResources() {
		if !strings.HasPrefix(a, "arn:aws-cn:") {
			t.Errorf("ToolingResources() of %+v holds %q, want ARNs of partition aws-cn", cn, a)
		}
	}
}

func TestNamesValidate(t *testing.T) {
	tests := []struct {
		name string
		n    naming.Names
		want string
	}{
		{"valid", payments, ""},
		{"partition from the region", naming.Names{Name: "orders", ToolingAccount: "111111111111", ToolingRegion: "eu-west-1"}, ""},
		{"zero", naming.Names{}, `naming.Names: Name "": must be 3 to 24 lowercase letters, digits and single hyphens, starting with a letter, such as payments
ToolingAccount "": must be a 12-digit account ID
ToolingRegion "": required; the region of the pipeline and its artifact store`},
		{"typos", naming.Names{Name: "Orders", Partition: "aws-china", ToolingAccount: "11111111111", ToolingRegion: "eu-west-l"}, `naming.Names: Name "Orders": must be 3 to 24 lowercase letters, digits and single hyphens, starting with a letter, such as payments
Partition "aws-china": must be one of aws, aws-cn, aws-us-gov, or empty for the ToolingRegion's
ToolingAccount "11111111111": must be a 12-digit account ID
ToolingRegion "eu-west-l": not an AWS region; did you mean "eu-west-1"?`},
		{"region of another partition", naming.Names{Name: "orders", Partition: "aws", ToolingAccount: "111111111111", ToolingRegion: "cn-north-1"},
			`naming.Names: ToolingRegion "cn-north-1": a region of partition aws-cn, not aws; set Partition to aws-cn or pick a region of aws`},
	}
	for _, tt := range tests {
		err := tt.n.Validate()
		if got := fmt.Sprint(err); (err == nil) != (tt.want == "") || (err != nil && got != tt.want) {
			t.Errorf("%s: Validate() = %v\nwant %s", tt.name, err, tt.want)
		}
	}
}
