package values

import (
	"fmt"
	"regexp"
	"strings"
)

// The rules below refuse a configuration value that names, as an existing
// resource for Relay to use, a resource that Relay itself creates for its
// pipeline: it would fail when the pipeline deploys or runs (a trust, a
// bucket or key policy that admits only Relay's own principals), or hand
// the pipeline's own resources to a job they were not made for. Config
// validation (the YAML front door) and the Go props share them, so that
// the two never drift; naming.Names says which of a pipeline's resources a
// name is, where a rule needs the pipeline's name.

// RelayIAMPath starts the IAM path of every role and customer managed
// policy that Relay creates under a path, /relay/<name>/
// (naming.Names.RolePath), where each is named <name>-...
const RelayIAMPath = "/relay/"

// relayIAMRE matches a role or policy ARN whose path is RelayIAMPath and
// one more segment, in any partition, with an account ID or a placeholder
// such as ${account}: the path's segment and the name follow in 2 and 3.
var relayIAMRE = regexp.MustCompile(`^arn:[^:]*:iam::[^:]*:(role|policy)/relay/([a-z][a-z0-9-]{2,23})/([^/]+)$`)

// RelayIAMARN reports whether arn is the ARN of a role or managed policy
// that Relay creates, for this pipeline or another: under the path
// /relay/<name>/ and named <name>-..., as in
// arn:aws:iam::222222222222:role/relay/web/web-staging-deploy. A policy
// of the team's own under /relay/ (/relay/boundaries/x, /relay/x) is not.
func RelayIAMARN(arn string) bool {
	m := relayIAMRE.FindStringSubmatch(arn)
	return m != nil && strings.HasPrefix(m[3], m[2]+"-")
}

// OwnRoleRule is why a field that names a role for an AWS service to
// assume may not name what, one of the roles Relay creates (such as "the
// deploy role of environment staging", or RelayPathRole), and the fix. Each
// of Relay's roles trusts only the principals Relay names (the pipeline
// role, a CodeBuild project's role, CloudFormation, Lambda for the hook
// role), never service, so service cannot assume it: a role is usable by a
// service only when its trust policy names that service
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-service.html);
// for ECS tasks, ecs-tasks.amazonaws.com
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html),
// for EC2 instances, ec2.amazonaws.com through an instance profile
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html).
// failure says what then fails, fix what to name instead.
func OwnRoleRule(what, service, failure, fix string) string {
	return fmt.Sprintf("is %s, a role Relay creates for its pipeline that trusts only the principals Relay names, never %s: %s; %s", what, service, failure, fix)
}

// RelayPathRole names, for OwnRoleRule, a role found by its IAM path only.
const RelayPathRole = "a role under Relay's IAM path " + RelayIAMPath + "<name>/"

// RelayPathPolicy names, for OwnPolicyRule, a managed policy found by its
// IAM path: Relay creates there the permissions boundary
// <name>-<env>-boundary and the artifact reader policy
// <name>-<env>-artifact-reader of each environment.
const RelayPathPolicy = "a policy under Relay's IAM path " + RelayIAMPath + "<name>/ (an environment's permissions boundary or artifact reader policy)"

// OwnPolicyRule is why an execution policy may not attach what, a managed
// policy Relay creates under RelayIAMPath (the permissions boundary or the
// artifact reader policy of an environment), and the fix. The boundary
// allows every action on every resource and only denies: as a permissions
// boundary it caps what a role may do, but attached as the role's own
// policy it grants all of it (a boundary "does not grant permissions on
// its own", an identity policy does:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html),
// which is administrator rights less a few denials, past Relay's refusal
// of AdministratorAccess. The artifact reader policy is the instance roles'
// read grant on the artifact stores. Neither is the workload's to attach.
func OwnPolicyRule(what, fix string) string {
	return fmt.Sprintf("is %s, a managed policy Relay creates: the permissions boundary allows every action and only denies (it caps a role, it grants nothing by itself), so attached to a role it grants nearly everything, past the refusal of AdministratorAccess, and the artifact reader policy is for the CodeDeploy instance roles; %s", what, fix)
}

// OwnBucketRule is why a field that names a bucket for a job (the S3
// deploy action's target, an S3 source) may not name what, one of the
// buckets Relay creates in the tooling account (the artifact, access-log
// or asset bucket of a region), and the fix. Their policies and the
// artifact key admit only Relay's own readers and writers, so a deploy
// role of a target account is denied there at run time
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html:
// across accounts both the bucket policy and the caller's policy must
// allow); and the pipeline's own projects write there (build outputs,
// published assets), so neither what starts a release nor where a release
// lands may be there. failure says what would then go wrong, fix what to
// name instead.
func OwnBucketRule(what, failure, fix string) string {
	return fmt.Sprintf("is %s, a bucket Relay creates in the tooling account for the pipeline's own use (its policy and key admit only Relay's roles, and the pipeline's projects write there): %s; %s", what, failure, fix)
}

// OwnInvokeRule is why a step that invokes a function or starts a state
// machine of the tooling account may not name what, one that Relay
// creates there for its own use (the recovery function, the execution
// timer), and the fix. Neither is made for a pipeline job: the recovery
// function reads EventBridge events and never reports a job result, which
// a Lambda invoke action waits for until it times out
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-invoke-lambda-function.html),
// and the timer waits for and judges a pipeline execution it is given by
// the pipeline's own events; and the pipeline role would get the right to
// start them with whatever input the step sends.
func OwnInvokeRule(what, fix string) string {
	return fmt.Sprintf("is %s, which Relay creates in the tooling account for its own use and which is not made for a pipeline job: the step would fail when it runs, and the pipeline role would be allowed to start it with the step's input; %s", what, fix)
}

// OwnRepositoryRule is why an ECR source may not watch what, the image
// repository Relay creates in the tooling account for the workload's
// published images (naming.Names.AssetRepository), and the fix: the
// pipeline's own Assets project pushes there whatever the build's asset
// manifests name, so one build could push the watched tag and start the
// next execution from an image of its own choosing, outside the source's
// control (an ECR source starts on every push of its tag,
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECR.html).
func OwnRepositoryRule(what, fix string) string {
	return fmt.Sprintf("is %s, which Relay creates in the tooling account for the images the pipeline publishes: its own Assets project pushes there what the build names, so a build could push the watched tag and start the next execution from an image of its choosing; %s", what, fix)
}

// PassRelayRoleRule is why a role that no permissions boundary bounds (a
// step's, a hook function's, a deploy or invoke role) may not pass a role
// Relay creates (RelayIAMARN), and the fix. A principal that may pass a
// role and create a function or other compute gets that role's
// permissions without assuming it; Relay's Lambda execution roles (the
// recovery function's, which assumes every environment's deploy role, and
// the hook role, which reports job results through the job-results role)
// trust lambda.amazonaws.com without a source condition, since Lambda
// documents none for execution roles
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html),
// so any function of their account may run as them.
const PassRelayRoleRule = "is a role Relay creates for its pipeline: a role that may pass it could create a Lambda function (or other compute) that runs as it, " +
	"and Relay's Lambda roles (the recovery function's, which assumes every environment's deploy role, and the hook role, which reports job results) trust Lambda without a source condition; " +
	"pass the workload's own roles only"

// PassesRelayRoles returns the indexes of resources that are roles Relay
// creates (RelayIAMARN) when actions grant iam:PassRole (in any case, or
// through a wildcard such as iam:Pass* or iam:*); none otherwise.
func PassesRelayRoles(actions, resources []string) []int {
	passes := false
	for _, a := range actions {
		service, name, _ := strings.Cut(strings.ToLower(a), ":")
		if a == "*" || wildcardMatch(service, "iam") && wildcardMatch(name, "passrole") {
			passes = true
		}
	}
	if !passes {
		return nil
	}
	var out []int
	for i, r := range resources {
		if RelayIAMARN(r) && strings.Contains(r, ":role/") {
			out = append(out, i)
		}
	}
	return out
}
