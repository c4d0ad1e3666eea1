package naming

import (
	"slices"
	"testing"

	"github.com/relaycdk/relay/constructs/internal/arns"
)

// TestOwnBucket: the artifact, access-log and asset buckets of the
// pipeline in any region are its own; the same shapes of another name,
// account or an unknown region are not.
func TestOwnBucket(t *testing.T) {
	n := Names{Name: "shop", ToolingAccount: "111111111111", ToolingRegion: "us-east-1"}
	for _, tt := range []struct{ bucket, want string }{
		{"shop-artifacts-111111111111-us-east-1", "the pipeline's artifact bucket of us-east-1 (shop-artifacts-111111111111-us-east-1)"},
		{"shop-logs-111111111111-eu-west-1", "the pipeline's artifact access-log bucket of eu-west-1 (shop-logs-111111111111-eu-west-1)"},
		{"shop-assets-111111111111-ap-southeast-2", "the pipeline's asset bucket of ap-southeast-2 (shop-assets-111111111111-ap-southeast-2)"},
		{"shop-artifacts-222222222222-us-east-1", ""},
		{"shop2-artifacts-111111111111-us-east-1", ""},
		{"shop-artifacts-111111111111-moon-1", ""},
		{"shop-site", ""},
	} {
		if got := n.OwnBucket(tt.bucket); got != tt.want {
			t.Errorf("OwnBucket(%q) = %q, want %q", tt.bucket, got, tt.want)
		}
	}
}

// TestToolingResources: the patterns cover every resource of the pipeline
// that runs as or feeds its roles, by the names the other methods give, in
// any region of the tooling account, and none of the workload's that the
// same account may hold (a function CloudFormation names after a stack
// shop-app, another pipeline, a bucket of its own).
func TestToolingResources(t *testing.T) {
	n := Names{Name: "shop", ToolingAccount: "111111111111", ToolingRegion: "us-east-1"}
	arn := func(service, region, resource string) string {
		return "arn:aws:" + service + ":" + region + ":111111111111:" + resource
	}
	covered := func(a string) bool {
		return slices.ContainsFunc(n.ToolingResources(), func(p string) bool { return arns.Glob(p, a) })
	}
	for _, a := range []string{
		arn("codepipeline", "us-east-1", n.Pipeline()),
		arn("codepipeline", "us-east-1", n.Pipeline()+"/Approve_production/Approve"),
		arn("codebuild", "us-east-1", "project/"+n.BuildProject()),
		arn("codebuild", "us-east-1", "project/"+n.SelfUpdateProject()),
		arn("codebuild", "eu-west-1", "project/"+n.AssetsProject()),
		arn("codebuild", "us-east-1", "project/"+n.StepProject("", "smoke")),
		arn("codebuild", "us-east-1", "project/"+n.StepProject("dev", "plan")),
		arn("codebuild", "us-east-1", "project/"+n.HelmProject("dev")),
		arn("codebuild", "us-east-1", "project/"+n.GitOpsProject()),
		arn("codebuild", "us-east-1", "report-group/"+n.SuiteProject("test", "unit")),
		arn("lambda", "us-east-1", "function:"+n.RecoveryFunction()),
		arn("lambda", "us-east-1", "function:"+n.RecoveryFunction()+":$LATEST"),
		arn("states", "us-east-1", "stateMachine:"+n.ExecutionTimer()),
		arn("states", "us-east-1", "execution:"+n.ExecutionTimer()+":a1b2"),
		"arn:aws:s3:::" + n.ArtifactBucket("us-east-1"),
		"arn:aws:s3:::" + n.ArtifactBucket("eu-west-1") + "/shop/BuildArtif/Ab12Cd3",
		"arn:aws:s3:::" + n.AccessLogBucket("us-east-1") + "/log",
		"arn:aws:s3:::" + n.AssetBucket("eu-west-1") + "/4f1c2e.zip",
		n.AssetRepositoryArn("eu-west-1"),
		n.RecoveryRoleArn(),
	} {
		if !covered(a) {
			t.Errorf("ToolingResources() leaves out %s", a)
		}
	}
	for _, a := range []string{
		arn("codepipeline", "us-east-1", "shop-app"),
		arn("codepipeline", "us-east-1", "shop2"),
		arn("codebuild", "us-east-1", "project/ReportsProjectA1B2C3-x9Y8z7"),
		arn("lambda", "us-east-1", "function:shop-app-Handler-4D5E6F"),
		arn("lambda", "us-east-1", "function:shop-recovery-probe"),
		arn("states", "us-east-1", "stateMachine:shop-app-Flow"),
		"arn:aws:s3:::shop-data-111111111111-us-east-1/x",
		"arn:aws:s3:::shop-artifacts-222222222222-us-east-1/x",
		arn("ecr", "us-east-1", "repository/shop/api"),
		"arn:aws:codebuild:us-east-1:222222222222:project/shop-build",
		"arn:aws:iam::111111111111:role/shop-app-HandlerRole-1A2B3C",
		n.HookRoleArn("111111111111", "dev"),
	} {
		if covered(a) {
			t.Errorf("ToolingResources() covers the workload's %s", a)
		}
	}
}
