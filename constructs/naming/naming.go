// Package naming computes the deterministic names and ARNs that Relay's
// stacks use to reach each other across accounts without lookups.
//
// The roles that other accounts name (the pipeline, deploy, execution,
// invoke, approver, job-results and StackSet administration roles) live
// under the IAM path /relay/<name>/ (RolePath), so one ARN pattern such as
// DeployRolePattern names a kind of role of one pipeline in any account, and
// two pipelines never match each other's roles even when one name is a
// prefix of the other. Two roles live at path / instead: the StackSet
// execution role (CloudFormation StackSets takes a role name, not a path)
// and the Helm projects' roles (a CodeBuild service role with a path draws
// cfn-lint's E3050); their names start with <name>- and end in a fixed
// suffix, and nothing else of the pipeline is named that way.
package naming

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// Names derives every physical name of one Relay pipeline from its name, the
// tooling account and region, and the partition (aws, aws-cn, aws-us-gov).
type Names struct {
	// Name is the pipeline name from the configuration, e.g. payments.
	Name string
	// Partition is the AWS partition of the tooling region (aws, aws-cn or
	// aws-us-gov). Default: the partition of ToolingRegion, or aws when
	// ToolingRegion is unset; never empty in an ARN (arn::iam::... is
	// refused by IAM and aws-cdk-lib).
	Partition string
	// ToolingAccount is the account that owns the pipeline.
	ToolingAccount string
	// ToolingRegion is the region of the pipeline and its artifact store.
	ToolingRegion string
}

// partition is Partition, or its default.
func (n Names) partition() string {
	if n.Partition != "" {
		return n.Partition
	}
	if p, ok := arns.RegionPartition(n.ToolingRegion); ok {
		return p
	}
	return "aws"
}

// Validate reports every problem of n at once, each naming the field: a
// Name that is not 3 to 24 lowercase letters, digits and single hyphens
// starting with a letter (bucket names are built from it), a ToolingAccount that is not 12
// digits, a ToolingRegion that is not an AWS region (or not one of
// Partition), an unknown Partition. The name methods do not check: call
// Validate once where Names are built.
func (n Names) Validate() error {
	var errs []error
	if !nameRE(n.Name) {
		errs = append(errs, fmt.Errorf("Name %q: must be 3 to 24 lowercase letters, digits and single hyphens, starting with a letter, such as payments", n.Name))
	}
	if n.Partition != "" && !slices.Contains(arns.Partitions, n.Partition) {
		errs = append(errs, fmt.Errorf("Partition %q: must be one of %s, or empty for the ToolingRegion's", n.Partition, strings.Join(arns.Partitions, ", ")))
	}
	if !values.IsAccount(n.ToolingAccount) {
		errs = append(errs, fmt.Errorf("ToolingAccount %q: must be a 12-digit account ID", n.ToolingAccount))
	}
	if n.ToolingRegion == "" {
		errs = append(errs, errors.New(`ToolingRegion "": required; the region of the pipeline and its artifact store`))
	} else if why := arns.CheckRegion(n.ToolingRegion, n.Partition); why != "" {
		errs = append(errs, fmt.Errorf("ToolingRegion %q: %s", n.ToolingRegion, why))
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("naming.Names: %w", errors.Join(errs...))
}

// nameRE is the shape of a pipeline name, as package config checks it:
// every bucket name built from it then stays within S3's 63 characters.
func nameRE(s string) bool {
	return pipelineName.MatchString(s) && !strings.HasSuffix(s, "-") && !strings.Contains(s, "--")
}

var pipelineName = regexp.MustCompile(`^[a-z][a-z0-9-]{2,23}$`)

// RolePath is the IAM path of every role of this pipeline: /relay/<name>/.
func (n Names) RolePath() string { return "/relay/" + n.Name + "/" }

// ToolingStack is the name of the stack in the tooling account.
func (n Names) ToolingStack() string { return n.Name + "-tooling" }

// TargetStack is the name of the stack that holds env's roles.
func (n Names) TargetStack(env string) string { return n.Name + "-" + env }

// Pipeline is the CodePipeline pipeline name.
func (n Names) Pipeline() string { return n.Name }

// PipelineRole is the name of the pipeline's service role.
func (n Names) PipelineRole() string { return n.Name + "-pipeline" }

// PipelineRoleArn is the ARN of the pipeline's service role, path included.
func (n Names) PipelineRoleArn() string {
	return n.roleArn(n.ToolingAccount, n.PipelineRole())
}

// ApproverRole is the name of the role that may approve the pipeline's
// manual approvals.
func (n Names) ApproverRole() string { return n.Name + "-approver" }

// DeployRole is the name of the role the pipeline assumes in env's account.
func (n Names) DeployRole(env string) string { return n.Name + "-" + env + "-deploy" }

// DeployRoleArn is the ARN of env's deploy role in account.
func (n Names) DeployRoleArn(account, env string) string {
	return n.roleArn(account, n.DeployRole(env))
}

// DeployRolePattern matches the deploy role of every environment of this
// pipeline in any account (an ArnLike pattern).
func (n Names) DeployRolePattern() string {
	return fmt.Sprintf("arn:%s:iam::*:role%s%s-*-deploy", n.partition(), n.RolePath(), n.Name)
}

// ExecutionRole is the name of the CloudFormation execution role in env's
// account.
func (n Names) ExecutionRole(env string) string { return n.Name + "-" + env + "-cfn-exec" }

// ExecutionRoleArn is the ARN of env's CloudFormation execution role.
func (n Names) ExecutionRoleArn(account, env string) string {
	return n.roleArn(account, n.ExecutionRole(env))
}

// StackExecutionRole is the name of the CloudFormation execution role of
// component (one of several stacks of env) that has permissions of its own.
func (n Names) StackExecutionRole(env, component string) string {
	return n.Name + "-" + env + "-" + component + "-cfn-exec"
}

// StackExecutionRoleArn is the ARN of StackExecutionRole in account.
func (n Names) StackExecutionRoleArn(account, env, component string) string {
	return n.roleArn(account, n.StackExecutionRole(env, component))
}

// StepProject is the CodeBuild project of step: <name>-step-<step> for a
// step of every environment (env ""), <name>-<env>-step-<step> for a step
// of env only. Its service role has the same name, at path / (see
// HelmRoleArn).
func (n Names) StepProject(env, step string) string {
	if env == "" {
		return n.Name + "-step-" + step
	}
	return n.Name + "-" + env + "-step-" + step
}

// StepProjectRoleArn is the ARN of the service role of the project named
// project (StepProject), at path /.
func (n Names) StepProjectRoleArn(project string) string {
	return fmt.Sprintf("arn:%s:iam::%s:role/%s", n.partition(), n.ToolingAccount, project)
}

// StepRole is the name of the role that step assumes in env's account.
func (n Names) StepRole(env, step string) string { return n.Name + "-" + env + "-" + step + "-step" }

// StepRoleArn is the ARN of env's StepRole in account.
func (n Names) StepRoleArn(account, env, step string) string {
	return n.roleArn(account, n.StepRole(env, step))
}

// StepRolePattern matches step's role in every environment and account.
// It may also match the role of another step whose name ends in -<step>
// in an environment whose name ends in the rest; each role's trust pins
// its own step's project role, so a match alone grants nothing.
func (n Names) StepRolePattern(step string) string {
	return fmt.Sprintf("arn:%s:iam::*:role%s%s-*-%s-step", n.partition(), n.RolePath(), n.Name, step)
}

// PermissionsBoundary is the name of the permissions boundary that the
// roles of env's stacks must carry, a customer managed policy at RolePath
// in env's account: <name>-<env>-boundary.
func (n Names) PermissionsBoundary(env string) string { return n.Name + "-" + env + "-boundary" }

// PermissionsBoundaryArn is the ARN of env's permissions boundary in
// account: arn:<partition>:iam::<account>:policy/relay/<name>/<name>-<env>-boundary.
func (n Names) PermissionsBoundaryArn(account, env string) string {
	return fmt.Sprintf("arn:%s:iam::%s:policy%s%s", n.partition(), account, n.RolePath(), n.PermissionsBoundary(env))
}

// ArtifactBucket is the artifact bucket's name in region:
// <name>-artifacts-<tooling account>-<region>, at most 62 characters.
func (n Names) ArtifactBucket(region string) string {
	return fmt.Sprintf("%s-artifacts-%s-%s", n.Name, n.ToolingAccount, region)
}

// ArtifactBucketArn is the ARN of the artifact bucket in region.
func (n Names) ArtifactBucketArn(region string) string {
	return fmt.Sprintf("arn:%s:s3:::%s", n.partition(), n.ArtifactBucket(region))
}

// AccessLogBucket is the name of the bucket that receives the artifact
// bucket's server access logs in region: <name>-logs-<tooling
// account>-<region>, at most 56 characters.
func (n Names) AccessLogBucket(region string) string {
	return fmt.Sprintf("%s-logs-%s-%s", n.Name, n.ToolingAccount, region)
}

// ArtifactKeyAlias is the alias of the artifact key in every region.
func (n Names) ArtifactKeyAlias() string { return "alias/relay/" + n.Name + "/artifacts" }

// ArtifactKeyPattern matches every KMS key of the tooling account in region.
// Identity policies in target accounts use it: a key ID is random, and the
// key policy, which names the deploy roles, is what restricts use to the
// artifact key.
func (n Names) ArtifactKeyPattern(region string) string {
	return fmt.Sprintf("arn:%s:kms:%s:%s:key/*", n.partition(), region, n.ToolingAccount)
}

// BuildProject is the CodeBuild project name.
func (n Names) BuildProject() string { return n.Name + "-build" }

// SuiteProject is the CodeBuild project (and report group) of suite in
// stage (test or scan).
func (n Names) SuiteProject(stage, suite string) string { return n.Name + "-" + stage + "-" + suite }

// BuildLogGroup is the CloudWatch log group of the build project.
func (n Names) BuildLogGroup() string { return "/relay/" + n.Name + "/build" }

// ApprovalTopic is the SNS topic that announces env's manual approval.
func (n Names) ApprovalTopic(env string) string { return n.Name + "-" + env + "-approval" }

// ApprovalTopicPattern matches every approval topic of this pipeline.
func (n Names) ApprovalTopicPattern() string {
	return fmt.Sprintf("arn:%s:sns:%s:%s:%s-*-approval", n.partition(), n.ToolingRegion, n.ToolingAccount, n.Name)
}

func (n Names) roleArn(account, role string) string {
	return fmt.Sprintf("arn:%s:iam::%s:role%s%s", n.partition(), account, n.RolePath(), role)
}

// DeployNamespace is the variable namespace of env's deploy action in
// region: its stack outputs are #{Deploy_<env>_<region>.<OutputName>}.
func DeployNamespace(env, region string) string { return "Deploy_" + env + "_" + region }

// StackNamespace is the variable namespace of the stack of component
// (of several stacks of env) in region: DeployNamespace, followed by
// _<component> when component is not "".
func StackNamespace(env, region, component string) string {
	if component == "" {
		return DeployNamespace(env, region)
	}
	return DeployNamespace(env, region) + "_" + component
}

// StepNamespace is the variable namespace of step in env and region:
// Step_<env>_<region>_<step>, or Step_<env>_<step> for a step that runs
// once (region "", a StackSet or tooling environment). A CodeBuild step's
// output artifact has the same name.
func StepNamespace(env, region, step string) string {
	if region == "" {
		return "Step_" + env + "_" + step
	}
	return "Step_" + env + "_" + region + "_" + step
}

// HookNamespace is the variables namespace of hook's invoke action in env
// and region: Lambda output variables, or the Step Functions execution ARN.
func HookNamespace(env, region, hook string) string {
	return "Hook_" + env + "_" + region + "_" + hook
}

// ArtifactReaderPolicy is the name of the customer managed policy in env's
// account that lets the roles it is attached to (CodeDeploy instance roles,
// which the team owns) read the artifact stores:
// <name>-<env>-artifact-reader, at RolePath.
func (n Names) ArtifactReaderPolicy(env string) string {
	return n.Name + "-" + env + "-artifact-reader"
}

// ArtifactReaderPolicyArn is the ARN of env's ArtifactReaderPolicy in
// account.
func (n Names) ArtifactReaderPolicyArn(account, env string) string {
	return fmt.Sprintf("arn:%s:iam::%s:policy%s%s", n.partition(), account, n.RolePath(), n.ArtifactReaderPolicy(env))
}

// InvokeRole is the name of the role the pipeline assumes in env's account
// to run its invoke hooks (Lambda, Step Functions).
func (n Names) InvokeRole(env string) string { return n.Name + "-" + env + "-invoke" }

// InvokeRoleArn is the ARN of env's invoke role in account.
func (n Names) InvokeRoleArn(account, env string) string {
	return n.roleArn(account, n.InvokeRole(env))
}

// InvokeRolePattern matches the invoke role of every environment.
func (n Names) InvokeRolePattern() string {
	return fmt.Sprintf("arn:%s:iam::*:role%s%s-*-invoke", n.partition(), n.RolePath(), n.Name)
}

// HookRole is the name of the role that env's Lambda hook functions run as
// (their execution role, in env's account): the only kind of role the
// job-results role trusts.
func (n Names) HookRole(env string) string { return n.Name + "-" + env + "-hook" }

// HookRoleArn is the ARN of env's hook role in account.
func (n Names) HookRoleArn(account, env string) string { return n.roleArn(account, n.HookRole(env)) }

// HookRolePattern matches the hook role of every environment (an ArnLike
// pattern).
func (n Names) HookRolePattern() string {
	return fmt.Sprintf("arn:%s:iam::*:role%s%s-*-hook", n.partition(), n.RolePath(), n.Name)
}

// JobResultsRole is the tooling-account role that Lambda hook functions in
// target accounts assume to report their job result to CodePipeline.
func (n Names) JobResultsRole() string { return n.Name + "-job-results" }

// JobResultsRoleArn is the ARN of JobResultsRole.
func (n Names) JobResultsRoleArn() string { return n.roleArn(n.ToolingAccount, n.JobResultsRole()) }

// RecoveryRole is the tooling-account role of the function that deletes a
// stack a failed first deployment left in ROLLBACK_COMPLETE (package
// recovery), which the deploy roles trust.
func (n Names) RecoveryRole() string { return n.Name + "-recovery" }

// RecoveryRoleArn is the ARN of RecoveryRole.
func (n Names) RecoveryRoleArn() string { return n.roleArn(n.ToolingAccount, n.RecoveryRole()) }

// RecoveryFunction is the name of the recovery function that package
// recovery creates in the tooling account (recovery.Props.FunctionName's
// default), <name>-recovery, as its role's.
func (n Names) RecoveryFunction() string { return n.Name + "-recovery" }

// ExecutionTimer is the name of the state machine that package observe
// creates in the tooling account to time each execution
// (observe.Props.Alarms.MaxExecutionMinutes), <name>-execution-timer.
func (n Names) ExecutionTimer() string { return n.Name + "-execution-timer" }

// RecoveryLogGroup is the log group of the recovery function.
func (n Names) RecoveryLogGroup() string { return "/relay/" + n.Name + "/recovery" }

// StackSetAdminRole is the tooling-account role CloudFormation assumes to
// administer the self-managed StackSets of accounts environments.
func (n Names) StackSetAdminRole() string { return n.Name + "-stackset-admin" }

// StackSetAdminRoleArn is the ARN of StackSetAdminRole.
func (n Names) StackSetAdminRoleArn() string {
	return n.roleArn(n.ToolingAccount, n.StackSetAdminRole())
}

// StackSetExecutionRole is the role CloudFormation StackSets assumes in
// each account of env (the StackSet owner). StackSets take a role name
// without a path, so it lives at path /.
func (n Names) StackSetExecutionRole(env string) string { return n.Name + "-" + env + "-stackset-exec" }

// StackSetExecutionRolePattern matches every StackSet execution role of
// this pipeline in any account.
func (n Names) StackSetExecutionRolePattern() string {
	return fmt.Sprintf("arn:%s:iam::*:role/%s-*-stackset-exec", n.partition(), n.Name)
}

// AccountStack is the stack holding the StackSet execution role of env in
// one of its accounts.
func (n Names) AccountStack(env, account string) string { return n.Name + "-" + env + "-" + account }

// CodeDeployApplication is env's CodeDeploy application in its target
// account: one per environment, since an application name is unique per
// account and region and two environments may share both.
func (n Names) CodeDeployApplication(env string) string { return n.Name + "-" + env }

// CodeDeployGroup is env's CodeDeploy deployment group.
func (n Names) CodeDeployGroup(env string) string { return n.Name + "-" + env }

// GitOpsProject is the CodeBuild project of the GitOps step.
func (n Names) GitOpsProject() string { return n.Name + "-gitops" }

// HelmProject is the CodeBuild project of env's Helm step, and the name of
// its service role: each environment has its own, which may assume that
// environment's deploy role only.
func (n Names) HelmProject(env string) string { return n.Name + "-" + env + "-helm" }

// HelmRoleArn is the ARN of env's Helm project role (named HelmProject),
// which env's deploy role trusts. It lives at path /, unlike Relay's other
// roles.
func (n Names) HelmRoleArn(env string) string {
	return fmt.Sprintf("arn:%s:iam::%s:role/%s", n.partition(), n.ToolingAccount, n.HelmProject(env))
}

// SourceRole is the name of the role the pipeline assumes in a source
// account to read a source there (at RolePath).
func (n Names) SourceRole() string { return n.Name + "-source" }

// SourceRoleArn is the ARN of the source role in account.
func (n Names) SourceRoleArn(account string) string { return n.roleArn(account, n.SourceRole()) }

// SourceForwarderRole is the name of the role a source account's rules
// forward events to the tooling account's default event bus with.
func (n Names) SourceForwarderRole() string { return n.Name + "-source-forwarder" }

// SourceStack is the name of the stack in source account account.
func (n Names) SourceStack(account string) string { return n.Name + "-source-" + account }

// SourceRule is the name of the EventBridge rules (one in the source
// account, one in the tooling account) of the source whose output artifact
// is artifact (Source, Source_<name>): <name>-<artifact>, at most 63
// characters.
func (n Names) SourceRule(artifact string) string { return n.Name + "-" + artifact }

// SourceStartRole is the name of the tooling role that starts the pipeline
// on the events of source account account.
func (n Names) SourceStartRole(account string) string { return n.Name + "-start-" + account }

// SourceBusStatement is the ID of the tooling default event bus's policy
// statement that admits the rules of source account account.
func (n Names) SourceBusStatement(account string) string { return n.Name + "-source-" + account }

// SourceTrail is the name of the trail Relay creates in a source account
// for its S3 sources' data events.
func (n Names) SourceTrail() string { return n.Name + "-sources" }
