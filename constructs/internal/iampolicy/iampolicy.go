// Package iampolicy holds Relay's rules about what an IAM statement grants,
// in pure Go for config validation and the target construct alike: which
// statements are as strong as AdministratorAccess, and the statements of
// the permissions boundary that keeps the roles a workload creates from
// minting an administrator.
package iampolicy

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/arns"
)

// Statement is one statement as plain data.
type Statement struct {
	Sid        string
	Deny       bool
	Actions    []string
	Resources  []string
	Conditions map[string]map[string][]string
}

// Escalation are the IAM and STS actions with which a principal that may
// use them on every role, user or policy of an account can give itself
// administrator rights: change a policy, a policy version or a trust,
// create credentials for someone else, pass or assume any role. (The paths
// of "Privilege escalation in AWS IAM", as AWS's IAM Access Analyzer and the
// common audit tools list them.)
var Escalation = []string{
	"iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:AttachUserPolicy", "iam:PutUserPolicy",
	"iam:AttachGroupPolicy", "iam:PutGroupPolicy", "iam:AddUserToGroup",
	"iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
	"iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
	"iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
	"iam:PassRole", "sts:AssumeRole",
}

// AdministratorPolicies are the AWS managed policies as strong as
// AdministratorAccess: AdministratorAccess itself, and IAMFullAccess, with
// which a principal can attach AdministratorAccess to itself.
var AdministratorPolicies = []string{"AdministratorAccess", "IAMFullAccess"}

// allIAM matches a resource that covers every role, user, group or policy of
// an account (or of every account): "*", arn:<p>:iam::<account or *>:* or
// arn:<p>:iam::<account or *>:<type>/*.
var allIAM = regexp.MustCompile(`^arn:[^:]*:iam::[^:]*:((role|user|group|policy)/)?\*$`)

// AdminEquivalent says why actions on resources are as strong as
// AdministratorAccess, or "" when they are not: an escalation action (or a
// wildcard that matches one) on a resource that covers every role, user or
// policy. Conditions are not read: what a condition allows depends on the
// request, and a statement that needs one to be safe should say so in
// its reason when it is accepted.
func AdminEquivalent(actions, resources []string) string {
	all := ""
	for _, r := range resources {
		if r == "*" || allIAM.MatchString(r) || coversAnyName(r) {
			all = r
			break
		}
	}
	if all == "" {
		return ""
	}
	for _, a := range actions {
		for _, e := range Escalation {
			if Matches(a, e) {
				if a == e {
					return fmt.Sprintf("%s on %s lets the role give itself administrator rights", a, all)
				}
				return fmt.Sprintf("%s on %s includes %s, with which the role can give itself administrator rights", a, all, e)
			}
		}
	}
	return ""
}

// PassesRolesByPattern reports whether a statement of actions and resources
// grants iam:PassRole (IAM compares actions without regard to case) on a
// resource with IAM's wildcards * or ?: it could pass roles that nobody
// named, to whatever service takes them.
func PassesRolesByPattern(actions, resources []string) bool {
	return slices.ContainsFunc(actions, func(a string) bool { return strings.EqualFold(a, "iam:PassRole") }) &&
		slices.ContainsFunc(resources, func(r string) bool { return strings.ContainsAny(r, "*?") })
}

// PassedToServiceKey is IAM's condition key for the service a role is
// passed to; it is in the request context of iam:PassRole only (IAM User
// Guide, "IAM and AWS STS condition context keys").
const PassedToServiceKey = "iam:PassedToService"

// PassRoleWithoutService returns the action of a statement that grants
// iam:PassRole (written as iam:PassRole in any case, or as a wildcard that
// includes it, such as iam:* or iam:Pass*) on a resource with IAM's
// wildcards * or ?, when the statement's conditions do not name the
// services it may pass them to; "" otherwise. Named roles need no
// condition: a named role's own trust policy says which service may take
// it. A pattern may match roles nobody reviewed, trusted by any service
// (CloudFormation or EC2 among them), so AWS's advice applies: limit the
// services with iam:PassedToService (IAM User Guide, "Grant a user
// permissions to pass a role to an AWS service",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
// A condition names services when its operator is StringEquals,
// StringEqualsIgnoreCase or StringLike (no IfExists, no set or negated
// operator, which would admit a request they do not match) and its values
// are service principals without wildcards.
func PassRoleWithoutService(actions, resources []string, conditions map[string]map[string][]string) string {
	action := ""
	for _, a := range actions {
		if Matches(a, "iam:PassRole") {
			action = a
			break
		}
	}
	if action == "" || !slices.ContainsFunc(resources, RolePattern) {
		return ""
	}
	for op, keys := range conditions {
		if op != "StringEquals" && op != "StringEqualsIgnoreCase" && op != "StringLike" {
			continue
		}
		for key, services := range keys {
			if strings.EqualFold(key, PassedToServiceKey) && len(services) > 0 &&
				!slices.ContainsFunc(services, func(s string) bool { return s == "" || strings.ContainsAny(s, "*?") }) {
				return ""
			}
		}
	}
	return action
}

// PassedToServiceIgnored says why the iam:PassedToService conditions among
// conditions do not name the services for PassRoleWithoutService, or ""
// when there is none: a set operator (iam:PassedToService is single-valued,
// and AWS advises no ForAnyValue or ForAllValues with a single-valued key:
// IAM User Guide, "Single-valued vs. multivalued context keys"), IfExists
// or a negated or other operator (each admits requests it does not
// match), or a service with a wildcard. The message names the operator
// and value, so that a refusal says what to change.
func PassedToServiceIgnored(conditions map[string]map[string][]string) string {
	for _, op := range slices.Sorted(maps.Keys(conditions)) {
		for key, services := range conditions[op] {
			if !strings.EqualFold(key, PassedToServiceKey) {
				continue
			}
			switch {
			case strings.HasPrefix(op, "ForAnyValue:") || strings.HasPrefix(op, "ForAllValues:"):
				return fmt.Sprintf("its %s condition on %s does not count: the key is single-valued, and AWS advises no set operator with a single-valued key (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html); write %s", op, key, strings.SplitN(op, ":", 2)[1])
			case op != "StringEquals" && op != "StringEqualsIgnoreCase" && op != "StringLike":
				return fmt.Sprintf("its %s condition on %s does not count: only StringEquals, StringEqualsIgnoreCase or StringLike limit the services (IfExists or a negated operator admits requests it does not match)", op, key)
			}
			for _, s := range services {
				if s == "" || strings.ContainsAny(s, "*?") {
					return fmt.Sprintf("its %s condition on %s does not count: the service %q is a pattern; name each service principal", op, key, s)
				}
			}
		}
	}
	return ""
}

// RolePattern reports whether resource has IAM's wildcards * or ? and may
// match a role: its service matches iam (or the ARN is cut short by a
// wildcard) and its resource part may begin with role/. A pattern of
// functions or buckets matches no role, and iam:PassRole on it passes
// nothing.
func RolePattern(resource string) bool {
	if !strings.ContainsAny(resource, "*?") {
		return false
	}
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) < 6 {
		return true // "*", or an ARN that a wildcard cuts short
	}
	if !Matches(parts[2], "iam") {
		return false
	}
	literal := parts[5]
	if i := strings.IndexAny(literal, "*?"); i >= 0 {
		literal = literal[:i]
	}
	return strings.HasPrefix("role/", literal) || strings.HasPrefix(literal, "role/")
}

// assumeActions are the STS actions that return another role's
// credentials to the caller.
var assumeActions = []string{"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"}

// AssumesRoles returns the first of actions that lets a principal assume
// another role (sts:AssumeRole and its federated forms, written in any
// case or as a wildcard that includes one, such as sts:* or sts:Assume*),
// or "". A role that may assume another acts with that role's permissions
// instead of its own (role chaining, IAM User Guide, "Roles terms and
// concepts"), so its own statements no longer bound what it does.
func AssumesRoles(actions []string) string { return firstCovering(actions, assumeActions) }

// ChangesStacks returns the first of actions that makes CloudFormation
// change, roll back or delete a stack (StackChanges, written in any case or
// as a wildcard that includes one, such as cloudformation:Update* or
// cloudformation:*), or "". CloudFormation does that as the stack's
// service role, the one it was last deployed with, and a caller that names
// no role needs no iam:PassRole for it (AWS CloudFormation User Guide,
// "CloudFormation service role",
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html):
// on every stack the CDK deployed in the account, Relay's own among them,
// that is the bootstrap's cfn-exec-role, with AdministratorAccess by
// default. A role that no permissions boundary bounds (a step's, a hook
// function's) and that may change such a stack could create any IAM
// resource through it.
func ChangesStacks(actions []string) string { return firstCovering(actions, StackChanges) }

// firstCovering returns the first of actions (patterns: any case, * and
// ?, as Matches takes them) that covers one of exact, IAM actions as AWS
// names them, or "".
func firstCovering(actions, exact []string) string {
	for _, a := range actions {
		for _, e := range exact {
			if Matches(a, e) {
				return a
			}
		}
	}
	return ""
}

// CoversAnyName reports whether the ARN pattern (IAM's * and ?) matches
// a role, user, group or policy of any name, at the root path or at a
// path: "*", arn:aws:iam::*:role/*, arn:aws:iam::111111111111:*. A pattern
// that names a path or a name prefix (role/relay/orders/*) does not.
func CoversAnyName(pattern string) bool { return coversAnyName(pattern) }

// coversAnyName reports whether the resource pattern matches a role, user,
// group or policy of any name (at the root path or at any path), however it
// is written:
// IAM's * and ? in a resource ARN match any characters, / and : included,
// so arn:aws:iam::*:role*, arn:aws:iam::*:*/* and arn:*:*::*:* cover every
// role as surely as arn:aws:iam::*:role/* does. The probes take the
// pattern's partition and account when it names them.
func coversAnyName(pattern string) bool {
	partition, account := "aws", "123456789012"
	if parts := strings.SplitN(pattern, ":", 6); len(parts) == 6 {
		if !strings.ContainsAny(parts[1], "*?") {
			partition = parts[1]
		}
		if !strings.ContainsAny(parts[4], "*?") {
			account = parts[4]
		}
	}
	for _, kind := range []string{"role", "user", "group", "policy"} {
		// At the root path and at a path: every pathed role includes
		// Relay's own (/relay/<name>/), the execution role among them, so
		// iam:PutRolePolicy on role/*/* lets that role write itself an
		// administrator policy.
		for _, name := range []string{"relay-probe-x7Q9z", "relay/probe/relay-probe-x7Q9z"} {
			if arns.Glob(pattern, fmt.Sprintf("arn:%s:iam::%s:%s/%s", partition, account, kind, name)) {
				return true
			}
		}
	}
	return false
}

// Matches reports whether the IAM action pattern (with * and ?, case
// insensitive, as IAM compares actions) matches action.
func Matches(pattern, action string) bool {
	ok, _ := path.Match(strings.ToLower(pattern), strings.ToLower(action))
	return ok
}

// BoundaryWrites are the IAM actions that create or change a role or user
// and support the iam:PermissionsBoundary condition key (Service
// Authorization Reference, IAM): for CreateRole and CreateUser and
// Put*PermissionsBoundary the key is the boundary in the request, for the
// others the boundary of the role or user changed.
var BoundaryWrites = []string{
	"iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
	"iam:PutRolePolicy", "iam:DeleteRolePolicy",
	"iam:CreateUser", "iam:PutUserPermissionsBoundary", "iam:AttachUserPolicy", "iam:DetachUserPolicy",
	"iam:PutUserPolicy", "iam:DeleteUserPolicy",
}

// BoundaryRemovals are the IAM actions that take the permissions boundary
// off a role or user.
var BoundaryRemovals = []string{"iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"}

// BoundaryWritesSid is the Sid of the Guards statement that denies
// BoundaryWrites unless the role or user carries the boundary, and
// BoundaryRemovalsSid of the one that denies BoundaryRemovals.
const (
	BoundaryWritesSid   = "DenyWritesWithoutTheBoundary"
	BoundaryRemovalsSid = "DenyRemovingBoundaries"
)

// Guards are the Deny statements that keep a principal from escaping the
// permissions boundary boundaryArn: it may create or change roles and users
// only when they carry that boundary, never remove a boundary, never change
// the boundary policy, and never change (or pass) Relay's own roles and
// policies under relayPath in account (such as /relay/payments/). Relay
// gives them to the CloudFormation execution roles, and the boundary holds
// them too, so a role the workload creates cannot create an unbounded one.
// With passToLambda the principal may pass Relay's roles to Lambda only
// (the execution role passes the hook role, the one Relay role that Lambda
// may assume); without it, not at all. attached are the managed policy
// ARNs attached to the execution roles: a new default version of one would
// change what an execution role may do, and nothing else bounds those roles,
// so the customer managed ones among them (not arn:PARTITION:iam::aws:...,
// which only AWS versions) may not be versioned or deleted either
// (AttachedPoliciesSid). relayStacks are the ARN patterns (StackArn) of
// Relay's own stacks in account, which the CDK bootstrap deploys: the
// principal may not change or delete them (RelayStacksSid, StackChanges),
// since CloudFormation would do it as the bootstrap's role; none for nil.
// tooling are the ARN patterns of the pipeline's own resources in account
// when account is its tooling account (ToolingGuard): the principal may not
// start, change or write them (ToolingSid); none for nil.
func Guards(partition, account, boundaryArn, relayPath string, relayStacks, tooling []string, passToLambda bool, attached ...string) []Statement {
	relay := []string{
		fmt.Sprintf("arn:%s:iam::%s:role%s*", partition, account, relayPath),
		fmt.Sprintf("arn:%s:iam::%s:policy%s*", partition, account, relayPath),
	}
	writes := []string{"iam:Add*", "iam:Attach*", "iam:Create*", "iam:Delete*", "iam:Detach*", "iam:Put*", "iam:Remove*",
		"iam:SetDefaultPolicyVersion", "iam:Tag*", "iam:Untag*", "iam:Update*"}
	pass := Statement{Sid: "DenyPassingRelayRoles", Deny: true, Actions: []string{"iam:PassRole"}, Resources: relay[:1]}
	if passToLambda {
		pass.Conditions = map[string]map[string][]string{"StringNotEquals": {"iam:PassedToService": {"lambda.amazonaws.com"}}}
	}
	out := []Statement{
		{Sid: BoundaryWritesSid, Deny: true, Actions: BoundaryWrites, Resources: []string{"*"},
			Conditions: map[string]map[string][]string{"StringNotEquals": {"iam:PermissionsBoundary": {boundaryArn}}}},
		{Sid: BoundaryRemovalsSid, Deny: true, Actions: BoundaryRemovals, Resources: []string{"*"}},
		{Sid: "DenyChangingTheBoundary", Deny: true, Actions: policyChanges, Resources: []string{boundaryArn}},
		{Sid: "DenyChangingRelayRoles", Deny: true, Actions: writes, Resources: relay},
		pass,
	}
	if len(relayStacks) > 0 {
		out = append(out, Statement{Sid: RelayStacksSid, Deny: true, Actions: StackChanges, Resources: slices.Clone(relayStacks)})
	}
	if len(tooling) > 0 {
		out = append(out, ToolingGuard(tooling))
	}
	var customer []string
	for _, a := range attached {
		if !strings.Contains(a, ":iam::aws:policy/") && !slices.Contains(customer, a) {
			customer = append(customer, a)
		}
	}
	if len(customer) > 0 {
		slices.Sort(customer)
		out = append(out, Statement{Sid: AttachedPoliciesSid, Deny: true, Actions: policyChanges, Resources: customer})
	}
	return out
}

// RelayStacksSid is the Sid of the Guards statement that keeps Relay's own
// stacks of the account as they are.
const RelayStacksSid = "DenyChangingRelayStacks"

// StackChanges are the CloudFormation actions with which a principal makes
// CloudFormation change or delete a stack's resources, or its protection.
// CloudFormation runs them as the stack's service role, and a caller that
// names no role needs no iam:PassRole to have that role used (AWS
// CloudFormation User Guide, "CloudFormation service role",
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html):
// on Relay's own stacks that role is the CDK bootstrap's cfn-exec-role,
// which may write any policy into a role at Relay's path.
var StackChanges = []string{"cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:UpdateStack",
	"cloudformation:DeleteStack", "cloudformation:ContinueUpdateRollback", "cloudformation:RollbackStack",
	"cloudformation:CancelUpdateStack", "cloudformation:SetStackPolicy", "cloudformation:UpdateTerminationProtection"}

// ToolingSid is the Sid of the Guards statement (ToolingGuard) that keeps
// the pipeline's own resources of the tooling account out of reach of the
// roles Relay creates there for a workload or a step.
const ToolingSid = "DenyUsingRelayTooling"

// ToolingWrites are the actions that ToolingGuard denies on the pipeline's
// own resources in the tooling account. Each one lets a principal of that
// account act as one of the pipeline's roles without assuming it, or
// change what the pipeline deploys, and none needs iam:PassRole:
//   - CodeBuild, every action on Relay's projects: StartBuild takes a
//     buildspecOverride, so whoever may start the self-update project runs
//     commands as its role, which assumes the CDK bootstrap's deploy roles
//     of every account Relay deploys to
//     (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_StartBuild.html);
//   - Lambda and Step Functions, every action on the recovery function and
//     the execution timer: UpdateFunctionCode runs new code as the recovery
//     role, which assumes every environment's deploy role;
//   - CodePipeline, every action but reads (Get*, List*) on the pipeline and
//     its stages and actions: PutApprovalResult approves a production
//     deployment, Start*, Retry* and Stop* run or stop executions; reads stay
//     allowed, since a step may read the execution's variables
//     (GetPipelineExecution);
//   - S3, writes to the artifact, access-log and asset buckets: a new
//     version of a build output or an asset waiting at an approval would
//     be deployed instead of what the pipeline built (reads stay allowed:
//     execution roles read assets, CodeDeploy instance roles artifacts);
//   - ECR, pushes to and deletions in the asset repository;
//   - IAM, passing the recovery function's role: it trusts Lambda without a
//     source condition (Lambda documents none for execution roles), so a
//     function created with it runs as the recovery role; the execution
//     role's own guard lets it pass Relay's roles to Lambda when it passes
//     the hook role (Guards' passToLambda).
var ToolingWrites = []string{
	"codebuild:*", "lambda:*", "states:*", "iam:PassRole",
	"codepipeline:Create*", "codepipeline:Delete*", "codepipeline:Disable*", "codepipeline:Enable*",
	"codepipeline:Override*", "codepipeline:Put*", "codepipeline:Retry*", "codepipeline:Rollback*",
	"codepipeline:Start*", "codepipeline:Stop*", "codepipeline:Tag*", "codepipeline:Untag*", "codepipeline:Update*",
	"s3:Abort*", "s3:Delete*", "s3:Put*", "s3:Replicate*", "s3:Restore*",
	"ecr:BatchDeleteImage", "ecr:CompleteLayerUpload", "ecr:Delete*", "ecr:InitiateLayerUpload", "ecr:Put*",
	"ecr:Set*", "ecr:Tag*", "ecr:Untag*", "ecr:UploadLayerPart",
}

// ToolingGuard is the Deny statement ToolingSid of ToolingWrites on
// resources, the ARN patterns of the pipeline's own resources in its
// tooling account (naming.Names.ToolingResources): Relay's roles in that
// account, and the roles the workload creates there under the permissions
// boundary, may not use them. A Deny beats any Allow of the role's own
// policies (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
func ToolingGuard(resources []string) Statement {
	return Statement{Sid: ToolingSid, Deny: true, Actions: slices.Clone(ToolingWrites), Resources: slices.Clone(resources)}
}

// StackArn is the ARN pattern of the stack named name in region of account
// (every stack ID of that name): arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/*.
func StackArn(partition, region, account, name string) string {
	return fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/*", partition, region, account, name)
}

// AttachedPoliciesSid is the Sid of the Guards statement that keeps the
// managed policies attached to the execution roles as they are.
const AttachedPoliciesSid = "DenyChangingAttachedPolicies"

// policyChanges change what a managed policy grants, remove it, or change
// its tags (which conditions may read).
var policyChanges = []string{"iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion",
	"iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"}

// PassHookRoleSid is the Sid of the execution role's statement that passes
// the hook role to Lambda (target.Props.HookRoleName).
const PassHookRoleSid = "PassHookRoleToLambda"

// Sids of the statements with which an execution role deploys the
// workload's assets from the stores Relay owns (configuration assets):
// ReadAssetsSid reads the asset objects, PullImagesSid pulls the images
// (with assets.images).
const (
	ReadAssetsSid = "ReadWorkloadAssets"
	PullImagesSid = "PullWorkloadImages"
)

// Sids of the statements Relay writes into the hook role's policy beside
// the hook functions' own statements (target.Props.HookStatements):
// ReportJobResultsSid assumes the pipeline's job-results role,
// WriteHookLogsSid writes the functions' logs.
const (
	ReportJobResultsSid = "ReportJobResults"
	WriteHookLogsSid    = "WriteHookLogs"
)

// HookRoleSids are the Sids Relay writes into the hook role's policy. A
// hook function's statement may not reuse one: IAM refuses a policy whose
// Sids repeat.
func HookRoleSids() []string { return []string{ReportJobResultsSid, WriteHookLogsSid} }

// ExecutionRoleSids are the Sids Relay writes into a CloudFormation
// execution role's policy beside the caller's statements: the Guards and,
// with a hook role, PassHookRoleSid. A caller's statement may not reuse
// one: IAM refuses a policy whose Sids repeat
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html).
func ExecutionRoleSids(hookRole bool) []string {
	var out []string
	for _, g := range Guards("aws", "000000000000", "", "/", []string{StackArn("aws", "*", "000000000000", "relay")}, []string{"arn:aws:codepipeline:*:000000000000:relay"}, hookRole, "arn:aws:iam::000000000000:policy/attached") {
		out = append(out, g.Sid)
	}
	if hookRole {
		out = append(out, PassHookRoleSid)
	}
	return out
}

// Boundary is the document of the permissions boundary boundaryArn: it
// allows what the role's own policies grant (a boundary only caps), except
// the Guards, so that a bounded role cannot create or free a role beyond
// it, change it, touch Relay's roles, or rewrite the managed policies
// attached to the execution roles (attached, see Guards); and except the
// ways to act as a principal without the boundary (Contain), which the
// execution role keeps for the roles and users of its stacks. relayStacks
// and tooling are as for Guards.
func Boundary(partition, account, boundaryArn, relayPath string, relayStacks, tooling []string, attached ...string) []Statement {
	out := append([]Statement{{Sid: "CapWithoutGranting", Actions: []string{"*"}, Resources: []string{"*"}}},
		Guards(partition, account, boundaryArn, relayPath, relayStacks, tooling, false, attached...)...)
	return append(out, Contain(partition, account)...)
}

// Borrowing are the IAM actions with which a principal gets the rights of
// another principal without changing its own policies: make a role trust
// it (UpdateAssumeRolePolicy), make or revive a user's credentials (access
// keys, console password, MFA, service-specific credentials, SSH keys,
// signing certificates), change a group's policies or members, set a
// managed policy's version (which changes every principal it is attached
// to), or retag a role or user (what a tag-based policy grants). None of
// them supports the iam:PermissionsBoundary condition key (Service
// Authorization Reference, IAM:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html),
// so IAM cannot tell a bounded target from one without the boundary.
// iam:AddRoleToInstanceProfile is not among them: its caller must also be
// allowed iam:PassRole on the role
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html),
// so it lends no role that passing it would not (the open iam:PassRole
// question of Contain), and Karpenter's controller, a workload role, puts
// its node role into the instance profiles it creates.
var Borrowing = []string{
	"iam:UpdateAssumeRolePolicy",
	"iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
	"iam:DeactivateMFADevice", "iam:EnableMFADevice",
	"iam:CreateServiceSpecificCredential", "iam:ResetServiceSpecificCredential", "iam:UpdateServiceSpecificCredential",
	"iam:UploadSSHPublicKey", "iam:UpdateSSHPublicKey", "iam:UploadSigningCertificate", "iam:UpdateSigningCertificate",
	"iam:AddUserToGroup", "iam:RemoveUserFromGroup", "iam:AttachGroupPolicy", "iam:DetachGroupPolicy",
	"iam:PutGroupPolicy", "iam:DeleteGroupPolicy",
	"iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
	"iam:TagRole", "iam:UntagRole", "iam:TagUser", "iam:UntagUser",
}

// Contain are the permissions boundary's Deny statements beyond the Guards,
// which keep a bounded role from acting as a principal that has no
// boundary (an administrator role, the CDK bootstrap roles, a user):
// DenyBorrowingOtherPrincipals (Borrowing, on every principal: the
// workload's own roles and users change through its stack, as the
// execution role, which these statements do not bind);
// DenyAssumingBootstrapRoles (sts:AssumeRole of the CDK bootstrap's roles of
// account, cdk-*-role-ACCOUNT-*, as the bootstrap template names them:
// cdk-QUALIFIER-{deploy,cfn-exec,file-publishing,image-publishing,lookup}-role-ACCOUNT-REGION
// (the CDK CLI's bootstrap-template.yaml,
// https://github.com/aws/aws-cdk-cli/blob/main/packages/aws-cdk/lib/api/bootstrap/bootstrap-template.yaml); not
// cdk-*, which also matches every role CloudFormation names after a stack
// whose name starts with cdk-, such as a cluster's creation role in a stack
// cdk-eks; they trust the account, and the deploy role, which may
// deploy any stack with the bootstrap's cfn-exec-role, would otherwise lend
// its permissions by role chaining; other roles of the account stay
// assumable, because aws-cdk-lib's own handlers assume roles of their stack
// (the aws-eks cluster handler assumes the cluster's creation role), and
// another account's role decides by its own trust); and
// DenyPassingRolesToCloudFormation (a
// stack's service role, such as the bootstrap's cfn-exec-role, creates
// with its own permissions, not the caller's). A boundary caps only the
// principal it is attached to (IAM User Guide, "Permissions boundaries for
// IAM entities",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html),
// so each of these would let a bounded role act beyond it. Still open:
// iam:PassRole of a role without the boundary to another service that runs
// code with it (Lambda, EC2, ECS, CodeBuild); see the README's threat model.
func Contain(partition, account string) []Statement {
	return []Statement{
		{Sid: "DenyBorrowingOtherPrincipals", Deny: true, Actions: Borrowing, Resources: []string{"*"}},
		{Sid: "DenyAssumingBootstrapRoles", Deny: true, Actions: []string{"sts:AssumeRole"},
			Resources: []string{fmt.Sprintf("arn:%s:iam::%s:role/cdk-*-role-%s-*", partition, account, account)}},
		{Sid: "DenyPassingRolesToCloudFormation", Deny: true, Actions: []string{"iam:PassRole"}, Resources: []string{"*"},
			Conditions: map[string]map[string][]string{"StringEquals": {PassedToServiceKey: {"cloudformation.amazonaws.com"}}}},
	}
}
