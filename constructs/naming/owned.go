package naming

import (
	"fmt"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/arns"
)

// OwnBucket says which of the pipeline's own buckets bucket is, such as
// "the artifact bucket of us-east-1 (website-artifacts-111111111111-us-east-1)":
// the artifact bucket (ArtifactBucket), its access-log bucket
// (AccessLogBucket) or the asset bucket (AssetBucket) of a region, all in
// the tooling account. It is "" for any other name, including the same
// shapes of another pipeline's name or account. Bucket names are global in
// a partition (https://docs.aws.amazon.com/AmazonS3/latest/userguide/gpbucketnamespaces.html),
// so a field that names one of these from any account names that very
// bucket. The rule that uses it is values.OwnBucketRule.
func (n Names) OwnBucket(bucket string) string {
	for _, b := range []struct{ infix, what string }{
		{"-artifacts-", "artifact bucket"}, {"-logs-", "artifact access-log bucket"}, {"-assets-", "asset bucket"},
	} {
		region, ok := strings.CutPrefix(bucket, n.Name+b.infix+n.ToolingAccount+"-")
		if _, known := arns.RegionPartition(region); ok && known {
			return fmt.Sprintf("the pipeline's %s of %s (%s)", b.what, region, bucket)
		}
	}
	return ""
}

// Role is one role a pipeline creates, by name and account.
type Role struct {
	// Name is the role's name, without its path.
	Name string
	// Account is the account the role lives in.
	Account string
	// What says which role it is, such as "the deploy role of environment
	// staging".
	What string
}

// EnvironmentRoles are the roles the pipeline may create in account for
// the environment env that deploys there with its own roles (an account
// environment): the deploy, CloudFormation execution, invoke and hook
// roles, the execution role of each of components (the stacks of env with
// an execution policy of their own) and the role of each of steps.
// Whether the environment's stack creates each depends on its strategy
// and hooks; a name listed here is Relay's either way (IAM role names are
// unique in an account: a role of another owner by this name would make
// the stack fail to create Relay's).
func (n Names) EnvironmentRoles(account, env string, components, steps []string) []Role {
	out := []Role{
		{n.DeployRole(env), account, "the deploy role of environment " + env},
		{n.ExecutionRole(env), account, "the CloudFormation execution role of environment " + env},
		{n.InvokeRole(env), account, "the invoke role of environment " + env},
		{n.HookRole(env), account, "the hook role of environment " + env},
	}
	for _, c := range components {
		out = append(out, Role{n.StackExecutionRole(env, c), account, fmt.Sprintf("the CloudFormation execution role of stack %s of environment %s", c, env)})
	}
	for _, s := range steps {
		out = append(out, Role{n.StepRole(env, s), account, fmt.Sprintf("the role of step %s of environment %s", s, env)})
	}
	return out
}

// ToolingRoles are the roles the pipeline may create in the tooling
// account by fixed names: the pipeline, approver, job-results, recovery
// and StackSet administration roles, and the service role of each
// environment's Helm project (envs).
func (n Names) ToolingRoles(envs []string) []Role {
	a := n.ToolingAccount
	out := []Role{
		{n.PipelineRole(), a, "the pipeline role"},
		{n.ApproverRole(), a, "the approver role"},
		{n.JobResultsRole(), a, "the job-results role"},
		{n.RecoveryRole(), a, "the recovery function's role"},
		{n.StackSetAdminRole(), a, "the StackSet administration role"},
	}
	for _, e := range envs {
		out = append(out, Role{n.HelmProject(e), a, "the Helm project role of environment " + e})
	}
	return out
}

// ToolingResources are the ARN patterns, in every region of the tooling
// account, of the pipeline's own resources that run as or feed its roles:
// the pipeline (and its stages and actions), its CodeBuild projects and
// report groups (every one is named <name>-...), the recovery function,
// the execution timer, the artifact, access-log and asset buckets (and
// their objects), the image repository, and the recovery function's role,
// the one role of the pipeline that trusts a service (Lambda) without a
// source condition, so that whoever may pass it can run code as it. Relay's roles in the tooling
// account that a configuration gives statements (a CloudFormation
// execution role, a step role, the hook role) and the roles a workload
// creates there under the permissions boundary are denied writes to them
// (iampolicy.ToolingGuard): each would let a principal of the tooling
// account act as one of the pipeline's roles, or replace what it deploys.
func (n Names) ToolingResources() []string {
	p, a := n.partition(), n.ToolingAccount
	out := []string{
		fmt.Sprintf("arn:%s:codepipeline:*:%s:%s", p, a, n.Pipeline()),
		fmt.Sprintf("arn:%s:codepipeline:*:%s:%s/*", p, a, n.Pipeline()),
		fmt.Sprintf("arn:%s:codebuild:*:%s:project/%s-*", p, a, n.Name),
		fmt.Sprintf("arn:%s:codebuild:*:%s:report-group/%s-*", p, a, n.Name),
		fmt.Sprintf("arn:%s:lambda:*:%s:function:%s", p, a, n.RecoveryFunction()),
		fmt.Sprintf("arn:%s:lambda:*:%s:function:%s:*", p, a, n.RecoveryFunction()),
		fmt.Sprintf("arn:%s:states:*:%s:stateMachine:%s", p, a, n.ExecutionTimer()),
		fmt.Sprintf("arn:%s:states:*:%s:execution:%s:*", p, a, n.ExecutionTimer()),
	}
	for _, b := range []string{"artifacts", "logs", "assets"} {
		// IAM's * matches / too: the bucket and its objects.
		out = append(out, fmt.Sprintf("arn:%s:s3:::%s-%s-%s-*", p, n.Name, b, a))
	}
	return append(out, fmt.Sprintf("arn:%s:ecr:*:%s:repository/%s", p, a, n.AssetRepository()), n.RecoveryRoleArn())
}
