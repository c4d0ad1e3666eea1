// Package target provides DeploymentTarget: the roles a target account needs
// so that a pipeline in another account can release there.
//
// The deploy role is the role the pipeline assumes for its deploy actions;
// it may manage only the named stacks, each only through its own execution
// role (a change set is created only passing it), read the artifact store,
// and pass the execution roles to CloudFormation, plus the statements of
// other deploy actions (ECS, CodeDeploy, S3, EKS) that the caller gives.
// The execution role is what CloudFormation uses to create the stack's
// resources; its permissions come from the caller and are never
// AdministratorAccess by default. The invoke role, when asked for, runs the
// pipeline's Lambda and Step Functions invoke actions. Each of the three is created only when
// needed (no execution role without stacks, no deploy role for a target with
// invoke actions only). ArtifactReaderPolicyName creates a customer
// managed policy that reads the artifact store, for the team to attach to
// roles it owns (such as CodeDeploy instance roles): nothing is attached to
// a role the stack does not create, since such a stack fails when the role
// does not exist yet and silently loses the grant when the role is
// recreated.
package target

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/internal/iampolicy"
	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/internal/policy"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/internal/policysize"
)

// stackChangeRule is why a step role or the hook role, which no
// permissions boundary bounds, may not change CloudFormation stacks
// (iampolicy.ChangesStacks), and the fix.
const stackChangeRule = "lets the role change CloudFormation stacks, which CloudFormation changes as each stack's service role without asking the caller for iam:PassRole: " +
	"on the stacks the CDK deployed in the account, Relay's own among them, that is the bootstrap's cfn-exec-role (AdministratorAccess), through which the role could create any IAM resource; " +
	"deploy stacks through the pipeline, each with its own execution role, or grant CloudFormation reads only"

// unboundedRule words what checkUnbounded refuses for one kind of role
// that no permissions boundary bounds.
type unboundedRule struct {
	// role names the role in messages ("deploy role").
	role string
	// adminFix and assumeFix end the messages of a statement as strong as
	// AdministratorAccess and of role chaining ("" adds nothing); writeTail
	// follows "writes IAM, and " in the message of an IAM write.
	adminFix, assumeFix, writeTail string
	// adminAlone: a statement as strong as AdministratorAccess gets that
	// message only, not also one per action it holds.
	adminAlone bool
}

// unboundedRoles are the statement fields of the deploy and invoke roles,
// which no permissions boundary bounds, with their rules. (Step and hook
// roles have rules of their own, stepRule and hookRule, with fixes for
// their jobs.)
var unboundedRoles = map[string]unboundedRule{
	"DeployStatements": deployRule("deploy role"),
	"InvokeStatements": deployRule("invoke role"),
}

// deployRule is the rule of the deploy or invoke role, role: the deploy
// actions' own calls (What a run may call, in the README) need none of
// what checkUnbounded refuses; iam:PassRole of named roles stays allowed.
func deployRule(role string) unboundedRule {
	fix := "grant the " + role + " what its actions call, by ARN"
	return unboundedRule{role: role, adminFix: fix, assumeFix: fix, adminAlone: true,
		writeTail: "no permissions boundary bounds the " + role + "; grant IAM reads only (and iam:PassRole on named roles), and let a stack (its execution role) create or change IAM resources"}
}

var (
	// stepRule is the rule of a step role (StepRoles).
	stepRule = unboundedRule{role: "step role", adminFix: "grant the step what its job touches, by ARN", assumeFix: "grant the step what its job touches, by ARN",
		writeTail: "no permissions boundary would bound the roles it creates; let the step create IAM resources through CloudFormation (a stack with its execution role), or grant IAM reads only"}
	// hookRule is the rule of the hook role (HookStatements).
	hookRule = unboundedRule{role: "hook role", assumeFix: "grant the hook functions what they read, by ARN",
		writeTail: "no permissions boundary would bound what the hook functions change; grant IAM reads only, and let a stack (its execution role) create or change IAM resources"}
)

// checkUnbounded reports what s, a statement at field of a role that no
// permissions boundary bounds, may not grant under rule: a statement as
// strong as AdministratorAccess (iampolicy.AdminEquivalent), role chaining
// (iampolicy.AssumesRoles: the role would act with the other role's
// permissions), an IAM write (values.IAMWrite: nothing bounds the roles,
// users or policies it creates or changes; one that may change a role's
// policy and trust can make it trust this role and hold any permission),
// a stack change that CloudFormation would make as the stack's service
// role (iampolicy.ChangesStacks), iam:PassRole of a role Relay creates
// (values.PassesRelayRoles: a function created with it runs as it), and an
// action given as a token, which none of these can judge.
func checkUnbounded(field string, rule unboundedRule, s Statement, add func(format string, a ...any)) {
	for k, a := range s.Actions {
		if values.IsToken(a) {
			add("%s.Actions[%d] %q: a token, whose action is known only at deploy, so the rules of a role that no permissions boundary bounds (no administrator, IAM write, role chaining or stack change) cannot hold it; write the action, such as s3:GetObject", field, k, a)
		}
	}
	if why := iampolicy.AdminEquivalent(s.Actions, s.Resources); why != "" {
		if rule.adminFix != "" {
			why += "; " + rule.adminFix
		}
		add("%s: is as strong as AdministratorAccess: %s", field, why)
		if rule.adminAlone {
			return
		}
	} else if a := iampolicy.AssumesRoles(s.Actions); a != "" {
		add("%s: %s lets the %s assume another role and act with that role's permissions (role chaining), beyond its own statements; %s", field, a, rule.role, rule.assumeFix)
	}
	for _, j := range values.PassesRelayRoles(s.Actions, s.Resources) {
		add("%s.Resources[%d] %q: %s", field, j, s.Resources[j], values.PassRelayRoleRule)
	}
	for _, a := range s.Actions {
		if values.IAMWrite(a) {
			add("%s: %s writes IAM, and %s", field, a, rule.writeTail)
		} else if iampolicy.ChangesStacks([]string{a}) != "" {
			add("%s: %s %s", field, a, stackChangeRule)
		}
	}
}

// Statement is one Allow statement of a role, as plain data.
type Statement struct {
	// Sid is an optional statement ID.
	Sid string
	// Actions are IAM actions, service:Action such as
	// lambda:UpdateFunctionCode (* and ? as wildcards), or *. Required.
	Actions []string
	// Resources are ARNs or "*". Required.
	Resources []string
	// Conditions map a condition operator (one IAM knows, such as
	// StringEquals or ForAnyValue:StringLikeIfExists) to condition keys
	// and their values, e.g. {"StringEquals": {"iam:PassedToService":
	// {"ecs-tasks.amazonaws.com"}}}. Default: no condition.
	Conditions map[string]map[string][]string
	// Reason says why the statement needs a wildcard (* in an action or a
	// resource), at least 10 characters: the cdk-nag suppression of each
	// wildcard finding carries it. Required for a wildcard in
	// ExecutionStatements (which come from the user); Relay's own
	// statements give one. Default: none.
	Reason string
}

// statement is s as a policy statement (Reason is for cdk-nag only).
func (s Statement) statement() policy.Statement {
	return policy.Statement{Sid: s.Sid, Actions: s.Actions, Resources: s.Resources, Conditions: policy.Conditions(s.Conditions)}
}

// PolicyStatement converts s to an IAM policy statement.
func (s Statement) PolicyStatement() awsiam.PolicyStatement {
	props := &awsiam.PolicyStatementProps{
		Sid:       values.Optional(s.Sid),
		Effect:    awsiam.Effect_ALLOW,
		Actions:   jsii.Strings(s.Actions...),
		Resources: jsii.Strings(s.Resources...),
	}
	if c := policy.Conditions(s.Conditions); c != nil {
		props.Conditions = &c
	}
	return awsiam.NewPolicyStatement(props)
}

// Props configures a DeploymentTarget. Fields without a default are
// required.
type Props struct {
	// Partition is the AWS partition. Default: aws.
	Partition string
	// Account is the target account, where the roles live. Default: the
	// account the stack is deployed to (for an environment-agnostic stack,
	// such as the template of a StackSet).
	Account string
	// Regions are the regions where the deploy role may manage stacks.
	Regions []string
	// RolePath is the IAM path of the roles: / alone, or printable ASCII
	// characters between a leading and a trailing /, at most 512 (IAM
	// CreateRole). Default: /.
	RolePath string
	// DeployRoleName is the physical name of the deploy role. The
	// pipeline's store must admit it (artifacts.Readers.RoleArnPatterns) and
	// the pipeline role may assume it (pipeline.Props.DeployRolePatterns):
	// naming.Names.DeployRole gives the name their patterns match. A
	// pipeline in the same App checks that (Account()); one in another App
	// cannot.
	DeployRoleName string
	// ExecutionRoleName is the physical name of the execution role.
	ExecutionRoleName string
	// PipelineAccount is the account of the pipeline that assumes the
	// deploy role.
	PipelineAccount string
	// PipelineRoleArns are the exact ARNs (no * or ?) of the pipeline roles
	// allowed to assume the deploy role (naming.Names.PipelineRoleArn gives the ARN of the
	// pipeline whose RoleName and RolePath come from the same Names). The trust policy names PipelineAccount as principal and
	// pins these ARNs in an aws:PrincipalArn condition, so it does not depend
	// on the roles existing first, and keeps matching after a role is
	// recreated.
	PipelineRoleArns []string
	// StackNames are the CloudFormation stacks the deploy role may manage
	// through the execution role: it creates their change sets only
	// passing ExecutionRoleName (Sid CreateChangeSetsWithExecutionRole, on
	// the condition cloudformation:RoleArn), and describes, executes and
	// deletes change sets of every stack of the target (Sid
	// ManageDeployedStacks). Without them there is no execution role, and
	// DeployStatements say what the deploy role may do. A name is of one
	// execution role only: not also in ExecutionRoles[].StackNames.
	StackNames []string
	// StackRegions limits stack names to some of Regions: the deploy role
	// manages (and, with DeleteFailedStacks, deletes) a stack name that is
	// a key (of StackNames or ExecutionRoles[].StackNames) only in the
	// regions listed, such as a name with its region in it
	// (app-us-east-1). Default: every stack name in every region of
	// Regions.
	StackRegions map[string][]string
	// DeployStatements are further permissions of the deploy role, for
	// deploy actions other than CloudFormation (ECS, CodeDeploy, S3, EKS).
	// A pipeline wired to the target by reference refuses a release whose
	// calls as the deploy role they do not grant (pipeline.Props.Validate).
	// No permissions boundary bounds the deploy role, so Validate refuses
	// what would let it escape its statements: a statement as strong as
	// AdministratorAccess, an IAM write (anything but iam:Get*, List*,
	// Generate*, Simulate* and iam:PassRole of named roles), sts:AssumeRole
	// (role chaining) and a CloudFormation stack change (which CloudFormation
	// makes as the stack's service role). Default: none.
	DeployStatements []Statement
	// InvokeRoleName, when set, creates a third role with the same trust
	// for the pipeline's invoke actions (Lambda, Step Functions), allowed
	// InvokeStatements, and reading the artifact store with
	// InvokeReadsArtifacts.
	InvokeRoleName string
	// InvokeStatements are the invoke role's permissions, refused as
	// DeployStatements are (no boundary bounds the invoke role either).
	InvokeStatements []Statement
	// InvokeReadsArtifacts lets the invoke role read the artifact store
	// (ArtifactBucketArns, ArtifactKeyArns), as an invoke action with an
	// input artifact needs: a Step Functions invoke with an input file
	// (CodePipeline reads the file as the action's role). Default: false, a
	// role that runs Lambda invokes and Step Functions executions without
	// artifacts and reads no release.
	InvokeReadsArtifacts bool
	// TrustedRoleArns are the exact ARNs of further roles of
	// PipelineAccount that may assume the deploy role, such as a CodeBuild
	// project's role that runs Helm.
	TrustedRoleArns []string
	// ArtifactReaderPolicyName, when set, creates a customer managed policy
	// of that name at RolePath that lets the roles it is attached to read
	// the artifact store (ArtifactBucketArns, ArtifactKeyArns), for roles of
	// Account that read it themselves, such as the instance roles with
	// which the CodeDeploy agent downloads a revision. DeploymentTarget
	// attaches it to no role: the team attaches it to its roles (the store's
	// policies must admit them too). 1 to 128 characters of letters, digits
	// and +=,.@_- (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
	// Default: no policy.
	ArtifactReaderPolicyName string
	// Quotas declares the adjustable AWS quotas that Service Quotas raised
	// in Account (every account the stack deploys to, for a StackSet's
	// template): Validate measures ExecutionManagedPolicyArns and each
	// ExecutionRoles entry's against Quotas.IAMManagedPoliciesPerRole
	// when set. Check the written templates with the same value
	// (limits.Quotas.CheckDir). Default: the zero value, every quota at
	// AWS's default.
	Quotas limits.Quotas
	// ArtifactBucketArns are the artifact buckets the deploy role may read,
	// as ARNs (arn:aws:s3:::BUCKET, not the bucket name), or tokens.
	ArtifactBucketArns []string
	// ArtifactKeyArns are the KMS keys (or ARN patterns such as
	// arn:aws:kms:us-east-1:111111111111:key/*) the deploy role may decrypt
	// with. The key policies of those keys must name this role as well.
	ArtifactKeyArns []string
	// Stores are artifact stores in the same App that the roles read, by
	// reference: each adds its bucket (by StoreProps.BucketName, which must
	// be set) to ArtifactBucketArns and its key (every key of the store's
	// account and region, arn:...:key/*; the key policy admits only the
	// readers) to ArtifactKeyArns. Default: none (name them in those
	// fields, as a target in another App must).
	Stores []*artifacts.Store
	// DeleteFailedStacks lets the deploy role delete its stacks (StackNames
	// and those of ExecutionRoles, in Regions or StackRegions), each only
	// through the execution role it is deployed with, so that a
	// recovery.Recovery whose role is in TrustedRoleArns can delete a stack
	// that a failed first deployment left in ROLLBACK_COMPLETE, and never
	// with another stack's permissions: one statement per execution role
	// (recovery.DeleteStatement), Sid DeleteStacksLeftInRollbackComplete
	// for ExecutionRoleName's stacks and
	// DeleteStacksLeftInRollbackComplete<i+1> for ExecutionRoles[i]'s.
	// Default: false.
	DeleteFailedStacks bool
	// ExecutionManagedPolicyArns are managed policies for the execution role:
	// AWS managed ones, or customer managed ones of Account, as ARNs (a
	// bare policy name is refused; IAM attaches no other account's policy,
	// refused when Account or the stack's account is known). An ARN
	// may write the account as AccountPlaceholder
	// (arn:aws:iam::${account}:policy/app-deployer): it is filled with
	// Account, or, in a template deployed to accounts unknown at synth
	// (a StackSet's), with the deploying account (AWS::AccountId), so that
	// one policy name serves every account that has it. At most 10
	// distinct ARNs (limits.IAMRoleManagedPolicies: IAM's default quota of
	// managed policies per role, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html),
	// or Quotas.IAMManagedPoliciesPerRole when declared.
	ExecutionManagedPolicyArns []string
	// ExecutionStatements are inline statements for the execution role. With
	// ExecutionManagedPolicyArns, at least one is required. A resource may
	// write the account as AccountPlaceholder and the region as
	// RegionPlaceholder (arn:aws:dynamodb:${region}:${account}:table/app):
	// the account is filled as in ExecutionManagedPolicyArns, and the
	// resource is written once per region of Regions (FillStatements); any
	// other ${...} is refused (IAM policy variables such as ${aws:username}
	// are IAM's own). iam:PassRole (or an action wildcard that includes
	// it) on a pattern of roles is refused unless an iam:PassedToService
	// condition names the services (iampolicy.PassRoleWithoutService), for
	// statements not as strong as AdministratorAccess.
	ExecutionStatements []Statement
	// ExecutionRoles are further CloudFormation execution roles, each for
	// stacks with permissions of their own; the deploy role may manage
	// their stacks and pass each to CloudFormation, and creates a change set
	// of ExecutionRoles[i]'s stacks only passing that role (Sid
	// CreateChangeSetsWithExecutionRole<i+1>), never another stack's role:
	// a change set creates its stack's resources as the role it passes
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html).
	// Default: none.
	ExecutionRoles []ExecutionRole
	// StepRoles are roles that steps of the pipeline assume in this
	// account (from a CodeBuild project of PipelineAccount), each trusted by
	// its project's role alone and allowed its Statements only. Default:
	// none.
	StepRoles []StepRole
	// HookRoleName, when set, creates the role that the account's Lambda
	// hook functions run as (their execution role, trusted by Lambda): it
	// may assume JobResultsRoleArn to report the job result, write the logs
	// of HookFunctions, and do what HookStatements grant. The execution
	// role may pass it to Lambda, so that the workload's template can name
	// it as a function's role. Default: none.
	HookRoleName string
	// HookFunctions are the hook functions' names, in Regions.
	HookFunctions []string
	// HookStatements are what the hook functions may do besides. Refused:
	// a statement as strong as AdministratorAccess, an action that writes
	// IAM (no permissions boundary would bound what it changes),
	// iam:PassRole on a pattern, sts:AssumeRole of any role (or a wildcard
	// that includes it: role chaining would give the hook another role's
	// permissions, iampolicy.AssumesRoles), and a ${...} placeholder.
	HookStatements []Statement
	// JobResultsRoleArn is the pipeline account's role that reports job
	// results. Required with HookRoleName.
	JobResultsRoleArn string
	// PermissionsBoundaryName names the permissions boundary, a customer
	// managed policy at RolePath that the stacks' roles must carry: the
	// execution role may create or change a role or user only with this
	// boundary (iam:PermissionsBoundary), never remove a boundary or change
	// this policy, and never change Relay's roles at RolePath; the boundary
	// holds the same denies, so a bounded role cannot escape it either.
	// Workload templates attach it by ARN (PermissionsBoundaryArn).
	// Default: <ExecutionRoleName>-boundary.
	PermissionsBoundaryName string
	// RelayStacks are Relay's own stacks in Account (those the CDK
	// bootstrap deploys, such as <name>-<environment>, <name>-source-<account>
	// or, in the tooling account, <name>-tooling). The execution roles, and
	// the roles under the permissions boundary, may not update, roll back or
	// delete them (DenyChangingRelayStacks): CloudFormation would change
	// them as their service role, the bootstrap's cfn-exec-role, and a
	// caller that names no role needs no iam:PassRole for it
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html).
	// A name may not be among the stacks the execution roles deploy in the
	// same region. Default: the stack that holds the target, in its region,
	// if that stack names its account (an environment-agnostic stack, such
	// as a StackSet's template, deploys under other names: none). A
	// pipeline wired to the target by reference (pipeline.New) refuses a
	// target whose RelayStacks leave out a stack of its App in Account that
	// holds Relay's constructs (the pipeline's, a store's, another
	// target's): name them all when the target shares its account.
	RelayStacks []RelayStack
	// RelayTooling, when Account is the tooling account of a Relay
	// pipeline, are the ARN patterns of that pipeline's own resources
	// there (naming.Names.ToolingResources: the pipeline, its CodeBuild
	// projects, the recovery function, the execution timer, the artifact,
	// access-log and asset buckets, the image repository). The execution
	// roles, the roles under the permissions boundary, the step roles, the
	// hook role and the invoke role may not start, change or write them
	// (iampolicy.ToolingGuard, DenyUsingRelayTooling), whatever their
	// statements grant: starting the self-update project with a buildspec
	// override, or changing the recovery function's code, would run
	// commands as those projects' and functions' roles, which reach every
	// account the pipeline deploys to, and a new version of an artifact or
	// an asset waiting at an approval would be deployed in place of what
	// the pipeline built. Each must be an ARN of Account. Default: none
	// (a target outside the tooling account).
	RelayTooling []string
}

// RelayStack is one of Relay's own stacks in a target's account.
type RelayStack struct {
	// Name is the stack's name, or a prefix ending in * for every stack
	// whose name starts so (such as payments-tooling*, which covers the
	// tooling stacks of every region). Required.
	Name string
	// Region is the stack's region; "" for every region.
	Region string
}

// StepRole is the role a step assumes in the target account, such as the
// role Terraform plans or applies with.
type StepRole struct {
	// Name is the role's physical name, at RolePath. Required.
	Name string
	// TrustedRoleArn is the role of PipelineAccount that may assume it
	// (the step project's role): the trust names PipelineAccount and pins
	// this ARN in an aws:PrincipalArn condition. Required.
	TrustedRoleArn string
	// Statements are its permissions; at least one. A wildcard needs a
	// Reason; iam:PassRole names each role; IAM writes (anything but
	// iam:Get*, List*, Generate*, Simulate* and a named iam:PassRole) are
	// refused: no permissions boundary would bound the roles they create;
	// so is a statement as strong as AdministratorAccess
	// (iampolicy.AdminEquivalent, such as sts:AssumeRole on every role),
	// and sts:AssumeRole of a named role too (role chaining,
	// iampolicy.AssumesRoles).
	Statements []Statement
}

// ExecutionRole is a CloudFormation execution role for some stacks only.
type ExecutionRole struct {
	// Name is the role's physical name, at RolePath. Required.
	Name string
	// StackNames are the stacks CloudFormation deploys as this role. At
	// least one.
	StackNames []string
	// ManagedPolicyArns and Statements are its permissions; at least one
	// of them. Statements with a wildcard need a Reason. ManagedPolicyArns
	// may use AccountPlaceholder, as ExecutionManagedPolicyArns, and
	// Statements AccountPlaceholder and RegionPlaceholder, as
	// ExecutionStatements. At most 10 distinct managed policies, as
	// ExecutionManagedPolicyArns.
	ManagedPolicyArns []string
	Statements        []Statement
}

// stackNames are every stack the deploy role manages: StackNames and those
// of ExecutionRoles.
func (p *Props) stackNames() []string {
	out := append([]string(nil), p.StackNames...)
	for _, r := range p.ExecutionRoles {
		out = append(out, r.StackNames...)
	}
	return out
}

// BoundaryName is the name of the permissions boundary of p (see
// PermissionsBoundaryName), or "" without an execution role.
func (p *Props) BoundaryName() string {
	switch {
	case len(p.StackNames) == 0 && len(p.ExecutionRoles) == 0:
		return ""
	case p.PermissionsBoundaryName != "":
		return p.PermissionsBoundaryName
	}
	return p.ExecutionRoleName + "-boundary"
}

var (
	roleName   = regexp.MustCompile(fmt.Sprintf(`^[\w+=,.@-]{1,%d}$`, limits.Max(limits.IAMRoleName)))
	policyName = regexp.MustCompile(fmt.Sprintf(`^[\w+=,.@-]{1,%d}$`, limits.Max(limits.IAMManagedPolicyName)))
)

// Validate reports every problem of p at once.
func (p *Props) Validate() error {
	if p == nil {
		return errNilProps
	}
	// The ARNs are judged as the caller wrote them: those Stores adds are
	// the stores' own (withStores checks the stores).
	own := p
	q, errs := p.withStores()
	p = &q
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if rule := values.AccountRule(p.Account); p.Account != "" && rule != "" {
		if values.IsToken(p.Account) {
			rule += " (or leave Account unset: the stack's account)"
		}
		add("Account %q: %s", p.Account, rule)
	}
	if rule := values.AccountRule(p.PipelineAccount); rule != "" {
		add("PipelineAccount %q: %s", p.PipelineAccount, rule)
	}
	if len(p.Regions) == 0 {
		add("Regions []: name at least one region the deploy role deploys to")
	}
	if p.RolePath != "" {
		if why := limits.CheckName(limits.IAMPath, p.RolePath); why != "" {
			add("RolePath %q: %s", p.RolePath, why)
		}
	}
	// The stacks name the deploy role's grants: a name CloudFormation
	// refuses would grant nothing the pipeline can use.
	for i, s := range p.StackNames {
		if why := limits.CheckName(limits.StackName, s); why != "" {
			add("StackNames[%d] %q: %s", i, s, why)
		}
	}
	for i, r := range p.ExecutionRoles {
		for j, s := range r.StackNames {
			if why := limits.CheckName(limits.StackName, s); why != "" {
				add("ExecutionRoles[%d].StackNames[%d] %q: %s", i, j, s, why)
			}
		}
	}
	for i, a := range p.RelayTooling {
		if parts := strings.SplitN(a, ":", 6); len(parts) != 6 || parts[0] != "arn" || parts[2] == "" || parts[4] != p.Account && !(parts[4] == "" && parts[2] == "s3") && !values.IsToken(p.Account) {
			add("RelayTooling[%d] %q: must be an ARN (pattern) of a resource in Account %s (an S3 ARN names no account), the pipeline's tooling account, such as those naming.Names.ToolingResources lists", i, a, p.Account)
		}
	}
	for i, r := range p.RelayStacks {
		prefix, pattern := strings.CutSuffix(r.Name, "*")
		covers := func(name string) bool { return name == r.Name || pattern && strings.HasPrefix(name, prefix) }
		if why := limits.CheckName(limits.StackName, prefix); why != "" {
			add("RelayStacks[%d].Name %q: %s (a prefix may end in *)", i, r.Name, why)
		} else if slices.ContainsFunc(p.stackNames(), covers) && (r.Region == "" || slices.Contains(p.Regions, r.Region)) {
			add("RelayStacks[%d].Name %q: also covers a stack the execution roles deploy, which they could then not change; give the workload's stack another name", i, r.Name)
		}
	}
	if p.PermissionsBoundaryName == "" && p.ExecutionRoleName == "" && len(p.ExecutionRoles) > 0 {
		add("PermissionsBoundaryName \"\": required with ExecutionRoles and no ExecutionRoleName to derive it from; name the boundary of the execution roles, such as payments-staging-boundary")
	}
	if n := p.PermissionsBoundaryName; n != "" {
		if why := limits.CheckName(limits.IAMManagedPolicyName, n); why != "" {
			add("PermissionsBoundaryName %q: %s", n, why)
		}
	}
	for _, f := range []struct {
		name, v string
		used    bool // the role is created (a target with invoke actions only has no deploy role)
	}{
		{"DeployRoleName", p.DeployRoleName, p.DeployRoleName != "" || p.needsDeployRole() || (p.InvokeRoleName == "" && len(p.StepRoles) == 0)},
		{"ExecutionRoleName", p.ExecutionRoleName, len(p.StackNames) > 0},
		{"InvokeRoleName", p.InvokeRoleName, p.InvokeRoleName != ""},
	} {
		if f.used && !roleName.MatchString(f.v) {
			add("%s %q: must be 1-64 characters of letters, digits and +=,.@_-", f.name, f.v)
		}
	}
	if p.DeployRoleName != "" && p.DeployRoleName == p.ExecutionRoleName {
		add("ExecutionRoleName %q: must differ from DeployRoleName", p.ExecutionRoleName)
	}
	if len(p.PipelineRoleArns) == 0 {
		add("PipelineRoleArns []: name the pipeline role that assumes the deploy role")
	}
	if !p.needsDeployRole() && p.InvokeRoleName == "" && len(p.StepRoles) == 0 {
		add("StackNames []: name the stacks the pipeline deploys, or give DeployStatements for another kind of deploy action")
	}
	sets := []struct {
		name string
		sts  []Statement
	}{{"DeployStatements", p.DeployStatements}, {"InvokeStatements", p.InvokeStatements}, {"ExecutionStatements", p.ExecutionStatements}}
	for i, r := range p.ExecutionRoles {
		if !roleName.MatchString(r.Name) || r.Name == p.DeployRoleName || r.Name == p.ExecutionRoleName {
			add("ExecutionRoles[%d].Name %q: must be 1-64 characters of letters, digits and +=,.@_-, unlike the other roles' names", i, r.Name)
		}
		if len(r.StackNames) == 0 {
			add("ExecutionRoles[%d].StackNames []: name the stacks CloudFormation deploys as this role", i)
		}
		if len(r.ManagedPolicyArns) == 0 && len(r.Statements) == 0 {
			add("ExecutionRoles[%d].Statements []: grant the role what its stacks create (statements or managed policies); there is no AdministratorAccess default", i)
		}
		sets = append(sets, struct {
			name string
			sts  []Statement
		}{fmt.Sprintf("ExecutionRoles[%d].Statements", i), r.Statements})
	}
	for i, r := range p.StepRoles {
		if !roleName.MatchString(r.Name) || slices.Contains([]string{p.DeployRoleName, p.ExecutionRoleName, p.InvokeRoleName}, r.Name) {
			add("StepRoles[%d].Name %q: must be 1-64 characters of letters, digits and +=,.@_-, unlike the other roles' names", i, r.Name)
		}
		if !strings.HasPrefix(r.TrustedRoleArn, "arn:") || !strings.Contains(r.TrustedRoleArn, ":iam::"+p.PipelineAccount+":role/") {
			add("StepRoles[%d].TrustedRoleArn %q: must be a role ARN in PipelineAccount %s", i, r.TrustedRoleArn, p.PipelineAccount)
		} else if strings.ContainsAny(r.TrustedRoleArn, "*?") {
			add("StepRoles[%d].TrustedRoleArn %q: a pattern: the trust (aws:PrincipalArn, ArnEquals, which takes * and ? as wildcards) would admit every matching role of account %s; name the step project's role exactly", i, r.TrustedRoleArn, p.PipelineAccount)
		}
		if len(r.Statements) == 0 {
			add("StepRoles[%d].Statements []: grant the step what it does in the account; a step role has no other permission", i)
		}
		for k, st := range r.Statements {
			// A step role that may assume or pass any role, or change any
			// user's credentials, could act as an administrator of the
			// account.
			checkUnbounded(fmt.Sprintf("StepRoles[%d].Statements[%d]", i, k), stepRule, st, add)
		}
		sets = append(sets, struct {
			name string
			sts  []Statement
		}{fmt.Sprintf("StepRoles[%d].Statements", i), r.Statements})
	}
	generated := p.generatedSids()
	sets = append(sets, struct {
		name string
		sts  []Statement
	}{"HookStatements", p.HookStatements})
	for _, set := range sets {
		execution := set.name == "ExecutionStatements" || strings.HasPrefix(set.name, "ExecutionRoles[")
		for i, s := range set.sts {
			for j, r := range s.Resources {
				for _, m := range placeholderRE.FindAllString(r, -1) {
					switch {
					case execution && (m == AccountPlaceholder || m == RegionPlaceholder):
					case execution:
						add("%s[%d].Resources[%d] %q: %s is not filled here: the execution roles' statements fill %s (the role's account) and %s (each of Regions) only; write the value", set.name, i, j, r, m, AccountPlaceholder, RegionPlaceholder)
					default:
						add("%s[%d].Resources[%d] %q: %s is not filled here: only the execution roles' statements fill %s and %s; write the value", set.name, i, j, r, m, AccountPlaceholder, RegionPlaceholder)
					}
				}
			}
		}
		if set.name == "HookStatements" {
			continue // checked with the hook role below
		}
		p.validateSids(set.name, set.sts, generated[strings.SplitN(set.name, "[", 2)[0]], add)
		for i, s := range set.sts {
			if len(s.Actions) == 0 || len(s.Resources) == 0 {
				add("%s[%d]: needs actions and resources", set.name, i)
			}
			s.checkShape(fmt.Sprintf("%s[%d]", set.name, i), add)
			if len(wildcards(s)) > 0 && len(strings.TrimSpace(s.Reason)) < 10 {
				add("%s[%d].Reason %q: say why the statement needs %s (at least 10 characters): the cdk-nag suppression of each wildcard carries it", set.name, i, s.Reason, strings.Join(wildcards(s), ", "))
			}
			if set.name == "ExecutionStatements" || strings.HasPrefix(set.name, "ExecutionRoles[") {
				// An admin-equivalent statement is the caller's to accept
				// (config's allowAdministratorAccess).
				if a := iampolicy.PassRoleWithoutService(s.Actions, s.Resources, s.Conditions); a != "" && iampolicy.AdminEquivalent(s.Actions, s.Resources) == "" {
					ignored := ""
					if why := iampolicy.PassedToServiceIgnored(s.Conditions); why != "" {
						ignored = " (" + why + ")"
					}
					add(`%s[%d]: %s on %q passes every matching role to any service that trusts it%s; grant it with Conditions {"StringEquals": {"iam:PassedToService": ["lambda.amazonaws.com"]}} naming the services (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html), or name each role`,
						set.name, i, a, s.Resources, ignored)
				}
				continue
			}
			if iampolicy.PassesRolesByPattern(s.Actions, s.Resources) {
				add("%s[%d]: iam:PassRole on %q: name each role; a pattern would let the role pass roles that nobody named", set.name, i, s.Resources)
			}
			if rule, ok := unboundedRoles[set.name]; ok {
				checkUnbounded(fmt.Sprintf("%s[%d]", set.name, i), rule, s, add)
			}
		}
	}
	if n := p.ArtifactReaderPolicyName; n != "" && !policyName.MatchString(n) {
		add("ArtifactReaderPolicyName %q: must be 1-%d characters of letters, digits and +=,.@_-", n, limits.Max(limits.IAMManagedPolicyName))
	}
	if p.HookRoleName != "" {
		if !roleName.MatchString(p.HookRoleName) {
			add("HookRoleName %q: must be 1-64 characters of letters, digits and +=,.@_-", p.HookRoleName)
		}
		if !strings.HasPrefix(p.JobResultsRoleArn, "arn:") || !strings.Contains(p.JobResultsRoleArn, ":iam::"+p.PipelineAccount+":role/") {
			add("JobResultsRoleArn %q: must be a role ARN in PipelineAccount %s", p.JobResultsRoleArn, p.PipelineAccount)
		}
		if len(p.HookFunctions) == 0 {
			add("HookFunctions []: name the hook functions that run as the hook role")
		}
		// Every hook function's statements join the hook role's one
		// policy, beside the two Relay writes.
		p.validateSids("HookStatements", p.HookStatements, iampolicy.HookRoleSids(), add)
		for i, s := range p.HookStatements {
			if len(s.Actions) == 0 || len(s.Resources) == 0 {
				add("HookStatements[%d]: needs actions and resources", i)
			}
			s.checkShape(fmt.Sprintf("HookStatements[%d]", i), add)
			if len(wildcards(s)) > 0 && len(strings.TrimSpace(s.Reason)) < 10 {
				add("HookStatements[%d].Reason %q: say why the statement needs %s (at least 10 characters)", i, s.Reason, strings.Join(wildcards(s), ", "))
			}
			checkUnbounded(fmt.Sprintf("HookStatements[%d]", i), hookRule, s, add)
			if len(p.RelayTooling) > 0 && s.Sid == iampolicy.ToolingSid {
				add("HookStatements[%d].Sid %q: Relay writes a statement with this Sid into the same policy, and IAM refuses repeated Sids; choose another Sid", i, s.Sid)
			}
			if iampolicy.PassesRolesByPattern(s.Actions, s.Resources) {
				add("HookStatements[%d]: iam:PassRole on %q: name each role; a pattern would let the hook functions pass roles the workload does not run", i, s.Resources)
			}
		}
	}
	if p.InvokeRoleName != "" && len(p.InvokeStatements) == 0 {
		add("InvokeStatements []: say which functions and state machines the invoke role may run")
	}
	// (A store in Stores that could not be added is reported as such.)
	if len(p.ArtifactBucketArns) == 0 && len(own.Stores) == 0 {
		add("ArtifactBucketArns []: name the artifact bucket the deploy role reads, or give its store in Stores")
	}
	if len(p.ArtifactKeyArns) == 0 && len(own.Stores) == 0 {
		add("ArtifactKeyArns []: name the artifact key the deploy role decrypts with, or give its store in Stores")
	}
	names := p.stackNames()
	p.validateOneRolePerStack(add)
	for _, name := range slices.Sorted(maps.Keys(p.StackRegions)) {
		regions := p.StackRegions[name]
		if !slices.Contains(names, name) {
			add("StackRegions[%q]: not a stack of StackNames or ExecutionRoles[].StackNames", name)
		}
		if len(regions) == 0 {
			add("StackRegions[%q] []: name the regions of the stack, or leave it out for every region of Regions", name)
		}
		for k, r := range regions {
			if !slices.Contains(p.Regions, r) {
				add("StackRegions[%q][%d] %q: not one of Regions %v", name, k, r, p.Regions)
			}
		}
	}
	if p.DeleteFailedStacks && len(names) == 0 {
		add("DeleteFailedStacks: needs StackNames or ExecutionRoles, the stacks the deploy role may delete")
	}
	if len(p.StackNames) > 0 && len(p.ExecutionManagedPolicyArns) == 0 && len(p.ExecutionStatements) == 0 {
		add("ExecutionStatements []: grant the execution role what the stacks create (statements or managed policies); there is no AdministratorAccess default")
	}
	own.validateArns(add)
	for _, q := range p.Quotas.Problems() {
		add("Quotas.%s", q)
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("target.Props: %w", errors.Join(errs...))
}

// generatedSids are the statement IDs Relay writes into the policy that
// each set of the caller's statements joins, by field: the deploy role's
// stack and artifact statements (DeployStatements), the invoke role's
// artifact statements (InvokeStatements), an execution role's guards and
// hook-role statement (ExecutionStatements, ExecutionRoles), and the
// tooling guard of the invoke and step roles (RelayTooling).
func (p *Props) generatedSids() map[string][]string {
	q := *p
	q.defaults()
	sids := func(sts []policy.Statement) []string {
		var out []string
		for _, s := range sts {
			out = append(out, s.Sid)
		}
		return out
	}
	deploy := artifactStatements(q)
	if len(q.stackNames()) > 0 {
		deploy = append(stackStatements(q), deploy...)
	}
	execution := iampolicy.ExecutionRoleSids(q.HookRoleName != "")
	return map[string][]string{
		"DeployStatements":    sids(deploy),
		"InvokeStatements":    sids(append(artifactStatements(q), q.toolingGuard()...)),
		"StepRoles":           sids(q.toolingGuard()),
		"ExecutionStatements": execution,
		"ExecutionRoles":      execution,
	}
}

// validateSids refuses a Sid of the caller's statements sts (field name)
// that repeats one of sts or one of generated, the Sids Relay writes into
// the same policy: IAM refuses a policy whose statement IDs repeat
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html).
func (p *Props) validateSids(name string, sts []Statement, generated []string, add func(format string, a ...any)) {
	seen := map[string]int{}
	for i, s := range sts {
		if s.Sid == "" {
			continue
		}
		switch prev, dup := seen[s.Sid]; {
		case slices.Contains(generated, s.Sid):
			add("%s[%d].Sid %q: Relay writes a statement with this Sid into the same policy, and IAM refuses repeated Sids; choose another Sid", name, i, s.Sid)
		case dup:
			add("%s[%d].Sid %q: also the Sid of %s[%d], and IAM refuses repeated Sids in a policy; choose another Sid", name, i, s.Sid, name, prev)
		default:
			seen[s.Sid] = i
		}
	}
}

// validateOneRolePerStack refuses a stack name listed under two execution
// roles (StackNames and ExecutionRoles[i].StackNames, or two of
// ExecutionRoles): the deploy role creates (and deletes) a stack only
// through its one execution role.
func (p *Props) validateOneRolePerStack(add func(format string, a ...any)) {
	owner := map[string]string{}
	for _, s := range p.StackNames {
		owner[s] = "StackNames"
	}
	for i, r := range p.ExecutionRoles {
		field := fmt.Sprintf("ExecutionRoles[%d].StackNames", i)
		for k, s := range r.StackNames {
			switch prev, ok := owner[s]; {
			case !ok:
				owner[s] = field
			case prev != field:
				add("%s[%d] %q: also in %s; a stack is deployed with one execution role: list it under one role only", field, k, s, prev)
			}
		}
	}
}

// DeploymentTarget holds the deploy role and the CloudFormation execution
// role of one target account.
type DeploymentTarget struct {
	constructs.Construct
	deployRole    awsiam.Role
	executionRole awsiam.Role
	invokeRole    awsiam.Role
	hookRole      awsiam.Role
	readers       awsiam.ManagedPolicy
	// executionRoles and stepRoles are those of Props.ExecutionRoles and
	// Props.StepRoles, in order.
	executionRoles, stepRoles []awsiam.Role
	boundary                  awsiam.ManagedPolicy
	boundaryArn               string
	props                     Props // after defaults
	// path is the construct path, read once (a jsii call).
	path string
	// registered are the role ARN tokens handed out, by kind.
	mu         sync.Mutex
	registered map[string]string
}

// StepRoles are the roles of Props.StepRoles, in order. Role.AddToPolicy
// and grants add to a step role's one inline policy under the rules of
// StepRoles[].Statements, as DeployRole says for the deploy role.
func (t *DeploymentTarget) StepRoles() []awsiam.Role { return t.stepRoles }

// New creates the roles that props call for. Like aws-cdk-go's
// constructors, it panics when props are invalid (nil props too), with
// every problem of props.ValidateIn(scope) listed; call props.ValidateIn
// (or Validate) first to handle the error yourself.
func New(scope constructs.Construct, id string, props *Props) *DeploymentTarget {
	if props == nil {
		panic(errors.New("target.New: props are nil; pass &target.Props{...}"))
	}
	if err := props.ValidateIn(scope); err != nil {
		panic(err)
	}
	p, _ := props.withStores() // validated above
	p.defaults()
	if p.Account == "" {
		p.Account = *stackOf(scope).Account() // a token when the stack is environment-agnostic
	}
	if s := stackOf(scope); len(p.RelayStacks) == 0 && !*awscdk.Token_IsUnresolved(s.Account()) {
		region := ""
		if r := s.Region(); r != nil && !*awscdk.Token_IsUnresolved(r) {
			region = *r
		}
		p.RelayStacks = []RelayStack{{Name: *s.StackName(), Region: region}}
	}
	t := &DeploymentTarget{Construct: constructs.NewConstruct(scope, &id), props: p}

	if p.BoundaryName() != "" {
		t.boundary, t.boundaryArn = NewBoundary(t.Construct, p.Partition, p.Account, p.RolePath, p.BoundaryName(),
			"Permissions boundary of the roles that the delivery pipeline's stacks create; attach it to every role of the workload",
			p.relayStackArns(), p.RelayTooling, p.attachedPolicies()...)
	}
	if len(p.StackNames) > 0 {
		t.executionRole = newExecutionRole(t.Construct, "ExecutionRole", p.ExecutionRoleName, p.ExecutionManagedPolicyArns, p.ExecutionStatements, p, t.boundaryArn)
	}
	for _, r := range p.ExecutionRoles {
		t.executionRoles = append(t.executionRoles, newExecutionRole(t.Construct, "ExecutionRole-"+r.Name, r.Name, r.ManagedPolicyArns, r.Statements, p, t.boundaryArn))
	}

	if p.needsDeployRole() {
		t.deployRole = newDeployRole(t.Construct, p)
	}
	if p.HookRoleName != "" {
		t.hookRole = newHookRole(t.Construct, p)
	}
	if p.InvokeRoleName != "" {
		t.invokeRole = pipelineRole(t.Construct, "InvokeRole", p.InvokeRoleName,
			"Assumed by the delivery pipeline in account "+p.PipelineAccount+" to run its invoke actions",
			p, p.PipelineRoleArns, append(append(p.invokeArtifactStatements(), statementsOf(p.InvokeStatements)...), p.toolingGuard()...), unboundedCheck("InvokeRole()", deployRule("invoke role")))
	}
	for _, r := range p.StepRoles {
		t.stepRoles = append(t.stepRoles, pipelineRole(t.Construct, "StepRole-"+r.Name, r.Name,
			"Assumed by a step of the delivery pipeline in account "+p.PipelineAccount, p, []string{r.TrustedRoleArn}, append(statementsOf(r.Statements), p.toolingGuard()...),
			unboundedCheck("StepRoles()", stepRule)))
	}
	if p.ArtifactReaderPolicyName != "" {
		t.readers = awsiam.NewManagedPolicy(t.Construct, jsii.String("ArtifactReaders"), &awsiam.ManagedPolicyProps{
			ManagedPolicyName: jsii.String(p.ArtifactReaderPolicyName),
			Path:              jsii.String(p.RolePath),
			Description:       jsii.String("Reads the delivery pipeline's artifact store: attach it to the roles that download artifacts themselves, such as CodeDeploy instance roles"),
			Document:          policy.Document(artifactStatements(p)...),
		})
		awscdk.NewCfnOutput(t.Construct, jsii.String("ArtifactReaderPolicyArn"), &awscdk.CfnOutputProps{
			Description: jsii.String("Attach this managed policy to the roles that read the pipeline's artifacts themselves (CodeDeploy instance roles)"),
			Value:       t.readers.ManagedPolicyArn(),
		})
	}
	// The reasons name the target's path (two jsii calls): written only
	// when a pack runs.
	nag.Defer(func() { t.suppressions(p) })
	return t
}

// defaults sets the defaults New gives p: Partition aws, RolePath /.
func (p *Props) defaults() {
	if p.Partition == "" {
		p.Partition = "aws"
	}
	if p.RolePath == "" {
		p.RolePath = "/"
	}
}

// ArtifactReadersPolicy is the managed policy that reads the artifact
// store (Props.ArtifactReaderPolicyName), attached to no role, or nil.
func (t *DeploymentTarget) ArtifactReadersPolicy() awsiam.ManagedPolicy { return t.readers }

// pipelineRole is a role at p.RolePath that the roles trusted (in
// p.PipelineAccount) may assume, allowed statements. The trust names the
// account and pins the role ARNs in an aws:PrincipalArn condition, so it
// does not depend on the roles existing first.
func pipelineRole(scope constructs.Construct, id, name, description string, p Props, trusted []string, statements []policy.Statement, check policy.Check) awsiam.Role {
	trust := trustedRoles(p.PipelineAccount, values.SortedUnique(trusted))
	role := policy.NewRole(scope, id, &awsiam.RoleProps{
		RoleName:    jsii.String(name),
		Path:        jsii.String(p.RolePath),
		Description: jsii.String(description),
		AssumedBy:   trust,
	}, check)
	policy.Attach(role, statements...)
	return role
}

// needsDeployRole reports whether p has deploy actions (CloudFormation or
// others); a target with invoke actions only has no deploy role.
func (p *Props) needsDeployRole() bool {
	return len(p.stackNames()) > 0 || len(p.DeployStatements) > 0
}

// newDeployRole is the role of the deploy actions.
func newDeployRole(scope constructs.Construct, p Props) awsiam.Role {
	return pipelineRole(scope, "DeployRole", p.DeployRoleName, deployRoleDescription(p),
		p, append(slices.Clone(p.PipelineRoleArns), p.TrustedRoleArns...), deployStatements(p), unboundedCheck("DeployRole()", deployRule("deploy role")))
}

func deployRoleDescription(p Props) string {
	if len(p.stackNames()) > 0 {
		return "Assumed by the delivery pipeline in account " + p.PipelineAccount + " to deploy CloudFormation stacks"
	}
	return "Assumed by the delivery pipeline in account " + p.PipelineAccount + " to run its deploy actions"
}

// newExecutionRole is a CloudFormation execution role (construct id, role
// name) with its permissions, and the guards of the permissions boundary
// boundaryArn.
// AccountPlaceholder stands for the execution role's own account in a
// managed policy ARN (Props.ExecutionManagedPolicyArns,
// ExecutionRole.ManagedPolicyArns): IAM attaches to a role only AWS managed
// policies and customer managed policies of the role's account
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html),
// so a policy that every target account keeps under one name is written
// once as arn:<partition>:iam::${account}:policy/<name>.
const AccountPlaceholder = "${account}"

// FillAccount is arn with AccountPlaceholder replaced by account.
func FillAccount(arn, account string) string {
	return strings.ReplaceAll(arn, AccountPlaceholder, account)
}

// RegionPlaceholder stands for each region of an execution role in a
// resource of its statements (Props.ExecutionStatements,
// ExecutionRole.Statements): a resource with it becomes one resource per
// region of Props.Regions, in order. IAM roles are global, and one
// execution role deploys its stacks in every region of its environment.
const RegionPlaceholder = "${region}"

// FillStatements are statements with AccountPlaceholder replaced by account
// and each resource with RegionPlaceholder written once for each of
// regions (each resource once), in the resources of each statement: the
// statements of the execution role of account in regions. Conditions are
// kept as written.
func FillStatements(statements []Statement, account string, regions []string) []Statement {
	out := make([]Statement, len(statements))
	for i, s := range statements {
		s.Resources = fillResources(s.Resources, account, regions)
		out[i] = s
	}
	return out
}

func fillResources(resources []string, account string, regions []string) []string {
	var out []string
	add := func(r string) {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	for _, r := range resources {
		r = FillAccount(r, account)
		if !strings.Contains(r, RegionPlaceholder) {
			add(r)
			continue
		}
		for _, region := range regions {
			add(strings.ReplaceAll(r, RegionPlaceholder, region))
		}
	}
	return out
}

// placeholderRE matches a ${key} placeholder; IAM's policy variables, such
// as ${aws:username}, have a colon and never match.
var placeholderRE = regexp.MustCompile(`\$\{[A-Za-z][A-Za-z0-9_]*\}`)

// executionAccount is the account that fills AccountPlaceholder in the
// execution roles of p: Account, or the deploying account
// (AWS::AccountId) in a template deployed to accounts unknown at synth.
func (p *Props) executionAccount() string {
	if values.IsAccount(p.Account) {
		return p.Account
	}
	return *awscdk.Aws_ACCOUNT_ID()
}

// attachedPolicies are the managed policy ARNs attached to the execution
// roles (ExecutionManagedPolicyArns and each ExecutionRoles entry's), with
// the account filled: the Guards keep the customer managed ones as they
// are.
func (p *Props) attachedPolicies() []string {
	var out []string
	if len(p.StackNames) > 0 {
		out = append(out, p.ExecutionManagedPolicyArns...)
	}
	for _, r := range p.ExecutionRoles {
		out = append(out, r.ManagedPolicyArns...)
	}
	for i, arn := range out {
		out[i] = FillAccount(arn, p.executionAccount())
	}
	return out
}

func newExecutionRole(scope constructs.Construct, id, name string, managedArns []string, statements []Statement, p Props, boundaryArn string) awsiam.Role {
	statements = FillStatements(statements, p.executionAccount(), p.Regions)
	var managed []awsiam.IManagedPolicy
	for i, arn := range managedArns {
		arn = FillAccount(arn, p.executionAccount())
		mid := fmt.Sprintf("ExecutionManagedPolicy%d", i)
		if id != "ExecutionRole" {
			mid = fmt.Sprintf("%s-ManagedPolicy%d", id, i)
		}
		managed = append(managed, awsiam.ManagedPolicy_FromManagedPolicyArn(scope, jsii.String(mid), jsii.String(arn)))
	}
	role := policy.NewRole(scope, id, &awsiam.RoleProps{
		RoleName:        jsii.String(name),
		Path:            jsii.String(p.RolePath),
		Description:     jsii.String("CloudFormation execution role for stacks the delivery pipeline deploys"),
		AssumedBy:       cloudFormation(),
		ManagedPolicies: &managed,
	}, executionCheck)
	all := statementsOf(statements)
	if p.HookRoleName != "" {
		// The workload's template names the hook role as its hook
		// functions' execution role.
		all = append(all, policy.Statement{
			Sid:       iampolicy.PassHookRoleSid,
			Actions:   []string{"iam:PassRole"},
			Resources: []string{p.hookRoleArn()},
			Conditions: map[string]interface{}{
				"StringEquals": map[string]interface{}{"iam:PassedToService": "lambda.amazonaws.com"},
			},
		})
	}
	all = append(all, policy.From(iampolicy.Guards(p.Partition, p.Account, boundaryArn, p.RolePath, p.relayStackArns(), p.RelayTooling, p.HookRoleName != "", p.attachedPolicies()...))...)
	policy.Attach(role, all...)
	return role
}

// ExecutionRoles are the roles of Props.ExecutionRoles, in order; what
// ExecutionRole says of Role.AddToPolicy and grants holds for them too.
func (t *DeploymentTarget) ExecutionRoles() []awsiam.Role { return t.executionRoles }

// hookRoleArn is the ARN of the hook role.
func (p *Props) hookRoleArn() string {
	return fmt.Sprintf("arn:%s:iam::%s:role%s%s", p.Partition, p.Account, p.RolePath, p.HookRoleName)
}

// newHookRole is the execution role of the hook functions: Lambda assumes
// it for them (Lambda documents no source condition for execution roles,
// and only a principal that may pass it can create a function with it: the
// execution role, to Lambda only); it may report the job result through
// JobResultsRoleArn, write the functions' logs, and do HookStatements.
func newHookRole(scope constructs.Construct, p Props) awsiam.Role {
	role := policy.NewRole(scope, "HookRole", &awsiam.RoleProps{
		RoleName:    jsii.String(p.HookRoleName),
		Path:        jsii.String(p.RolePath),
		Description: jsii.String("Execution role of the delivery pipeline's Lambda hook functions; reports their job results to the pipeline in " + p.PipelineAccount),
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	}, unboundedCheck("HookRole()", hookRule))
	statements := []policy.Statement{
		{Sid: iampolicy.ReportJobResultsSid, Actions: []string{"sts:AssumeRole"}, Resources: []string{p.JobResultsRoleArn}},
		{Sid: iampolicy.WriteHookLogsSid, Actions: []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}, Resources: hookLogGroups(p)},
	}
	policy.Attach(role, append(append(statements, statementsOf(p.HookStatements)...), p.toolingGuard()...)...)
	return role
}

// toolingGuard is the statement that keeps a role of the target from the
// pipeline's own resources of the tooling account (RelayTooling), or none.
func (p *Props) toolingGuard() []policy.Statement {
	if len(p.RelayTooling) == 0 {
		return nil
	}
	return policy.From([]iampolicy.Statement{iampolicy.ToolingGuard(p.RelayTooling)})
}

// hookLogGroups are the log groups of the hook functions (and their
// streams) in the regions.
func hookLogGroups(p Props) []string {
	var out []string
	for _, r := range values.SortedUnique(p.Regions) {
		for _, f := range values.SortedUnique(p.HookFunctions) {
			group := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:/aws/lambda/%s", p.Partition, r, p.Account, f)
			out = append(out, group, group+":*")
		}
	}
	return out
}

// HookRole is the execution role of the hook functions, or nil without
// HookRoleName.
func (t *DeploymentTarget) HookRole() awsiam.Role { return t.hookRole }

// NewBoundary creates the permissions boundary managed policy
// "PermissionsBoundary" named name at rolePath in account (partition
// partition) under scope, with Relay's boundary statements
// (iampolicy.Boundary), and returns it with its ARN,
// arn:<partition>:iam::<account>:policy<rolePath><name>. attached are the
// managed policy ARNs attached to the execution roles it guards (account
// filled): the bounded roles may not version or delete the customer
// managed ones, since a new version would change what an execution role
// may do. relayStacks are the ARN patterns of Relay's own stacks in account
// (RelayStackArns), which the bounded roles may not change, and tooling
// the ARN patterns of the pipeline's own resources when account is its
// tooling account (Props.RelayTooling), which they may not start, change
// or write. Record its cdk-nag reasons with SuppressBoundary.
func NewBoundary(scope constructs.Construct, partition, account, rolePath, name, description string, relayStacks, tooling []string, attached ...string) (awsiam.ManagedPolicy, string) {
	arn := fmt.Sprintf("arn:%s:iam::%s:policy%s%s", partition, account, rolePath, name)
	return awsiam.NewManagedPolicy(scope, jsii.String("PermissionsBoundary"), &awsiam.ManagedPolicyProps{
		ManagedPolicyName: jsii.String(name),
		Path:              jsii.String(rolePath),
		Description:       jsii.String(description),
		Document:          policy.Document(policy.From(iampolicy.Boundary(partition, account, arn, rolePath, relayStacks, tooling, attached...))...),
	}), arn
}

// RelayStackArns are the ARN patterns of stacks in account (partition
// partition): arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/*, with
// * for a stack without a region.
func RelayStackArns(partition, account string, stacks []RelayStack) []string {
	var out []string
	for _, s := range stacks {
		region := s.Region
		if region == "" {
			region = "*"
		}
		if a := iampolicy.StackArn(partition, region, account, s.Name); !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

func (p *Props) relayStackArns() []string {
	return RelayStackArns(p.Partition, p.Account, p.RelayStacks)
}

// PermissionsBoundary is the boundary policy that the stacks' roles must
// carry, or nil without an execution role.
func (t *DeploymentTarget) PermissionsBoundary() awsiam.ManagedPolicy { return t.boundary }

// PermissionsBoundaryArn is the ARN of PermissionsBoundary,
// arn:<partition>:iam::<account>:policy<RolePath><name>, or "".
func (t *DeploymentTarget) PermissionsBoundaryArn() string { return t.boundaryArn }

// DeployRole is the role the pipeline assumes to run deploy actions, or
// nil for a target with invoke actions only.
//
// Its statements are in one inline policy (the awsiam.Policy
// "DefaultPolicy" under the role): to give the role more, use
// DeployStatements, which Validate holds to the deploy role's rules (no
// administrator, IAM write, role chaining, stack change or iam:PassRole
// on a pattern: no permissions boundary bounds this role). Role.AddToPolicy
// and grants (bucket.GrantRead(role)) add their statement to that policy
// under the same rules, and NotAction or NotResource in an Allow is
// refused too: a refused statement is left out and fails synthesis
// (aws-cdk-lib's "Validation failed with the following errors", before
// any template is written) with a message that names the role's path, the
// statement and the fix. A policy of your own attached to the role
// (awsiam.NewPolicy with Roles, Policy.AttachToRole,
// Role.AttachInlinePolicy, Role.AddManagedPolicy, ManagedPolicy with
// Roles), a policy attached to the role imported by ARN
// (awsiam.Role_FromRoleArn) or by RoleName (an L1 CfnPolicy), or a
// statement added to its trust (AssumeRolePolicy) is not checked by Relay
// at synthesis; relaytest.CheckAssembly (an IAM write, role chaining or a
// stack change among them) and cdk-nag (compliance.Check) judge it in the
// written templates.
func (t *DeploymentTarget) DeployRole() awsiam.Role {
	t.register("deploy", t.deployRole)
	return t.deployRole
}

// ExecutionRole is the role CloudFormation uses to create stack resources,
// or nil without StackNames.
//
// Its statements are in one inline policy (the awsiam.Policy
// "DefaultPolicy" under the role): to give the role more, use
// ExecutionStatements or ExecutionManagedPolicyArns, which Validate
// checks. Role.AddToPolicy and grants add their statement to that policy;
// iam:PassRole without an iam:PassedToService condition is refused there,
// as in ExecutionStatements (it fails synthesis as DeployRole says).
// Whatever is added, by those or by a policy of your own, stays under the
// role's Deny statements (roles and users created or changed only with
// the permissions boundary, no change to Relay's roles, stacks or
// boundary), which no Allow overrides; the role itself carries no
// permissions boundary.
func (t *DeploymentTarget) ExecutionRole() awsiam.Role {
	t.register("execution", t.executionRole)
	return t.executionRole
}

// InvokeRole is the role of the invoke actions, or nil without
// InvokeRoleName.
//
// Its statements are in one inline policy (the awsiam.Policy
// "DefaultPolicy" under the role): to give the role more, use
// InvokeStatements, which Validate holds to the rules of DeployStatements;
// what DeployRole says of Role.AddToPolicy, grants and policies of your
// own holds here too.
func (t *DeploymentTarget) InvokeRole() awsiam.Role {
	t.register("invoke", t.invokeRole)
	return t.invokeRole
}

func statementsOf(in []Statement) []policy.Statement {
	var out []policy.Statement
	for _, s := range in {
		out = append(out, s.statement())
	}
	return out
}

// deployStatements are the deploy role's: managing the stacks through the
// execution role, the caller's DeployStatements, and reading artifacts.
func deployStatements(p Props) []policy.Statement {
	var out []policy.Statement
	if len(p.stackNames()) > 0 {
		out = append(out, stackStatements(p)...)
	}
	out = append(out, statementsOf(p.DeployStatements)...)
	return append(out, artifactStatements(p)...)
}

// DeployPolicySize is the length in characters of the deploy role's
// inline policy that New writes for p, as IAM counts it toward its limit
// of 10,240 characters for a role's inline policies (limits.IAMRoleInline):
// the minified JSON of its document, measured as on synthesized templates
// (policysize). It grows with each stack name in each region it deploys
// to (written in ManageDeployedStacks, in the CreateChangeSet statement of
// its execution role and, with DeleteFailedStacks, in its DeleteStack
// statement), with each execution role (one such statement each and an ARN
// to pass), with DeployStatements and with each store read. It needs no
// stack, so that a caller can weigh what a change to p would save: p takes
// New's defaults, an empty Account counts as 12 digits (the stack's), and
// it is the size of those statements even when p needs no deploy role.
func (p *Props) DeployPolicySize() int {
	q, _ := p.withStores()
	q.defaults()
	if q.Account == "" {
		q.Account = "000000000000"
	}
	return policysize.Size(policy.DocumentJSON(deployStatements(q)...))
}

// stackStatements are the deploy role's CloudFormation statements:
//   - ManageDeployedStacks: every action of a change set but its creation
//     (DeleteChangeSet, DescribeChangeSet, ExecuteChangeSet, DescribeStacks,
//     DescribeStackEvents) on all of the target's stacks;
//   - CreateChangeSetsWithExecutionRole (ExecutionRoleName's stacks) and
//     CreateChangeSetsWithExecutionRole<i+1> (ExecutionRoles[i]'s):
//     CreateChangeSet on that role's stacks only when the request passes
//     that role (cloudformation:RoleArn), so that no change set creates a
//     stack's resources with another stack's permissions, nor with none;
//   - PassExecutionRoleToCloudFormation: iam:PassRole of every execution
//     role, to CloudFormation only;
//   - with DeleteFailedStacks, DeleteStack per execution role likewise.
//
// Of the change-set actions only CreateChangeSet takes the condition key
// cloudformation:RoleArn (as DeleteStack does): ExecuteChangeSet runs a
// change set with the role it was created with and takes no role, so
// ManageDeployedStacks needs no split
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html).
func stackStatements(p Props) []policy.Statement {
	type byRole struct {
		sid   string // suffix of the Sids: "" or i+1
		role  string
		names []string
	}
	var roles []byRole
	if len(p.StackNames) > 0 {
		roles = append(roles, byRole{"", fmt.Sprintf("arn:%s:iam::%s:role%s%s", p.Partition, p.Account, p.RolePath, p.ExecutionRoleName), p.StackNames})
	}
	for i, r := range p.ExecutionRoles {
		roles = append(roles, byRole{strconv.Itoa(i + 1), fmt.Sprintf("arn:%s:iam::%s:role%s%s", p.Partition, p.Account, p.RolePath, r.Name), r.StackNames})
	}
	var executionRoles []string
	for _, r := range roles {
		executionRoles = append(executionRoles, r.role)
	}
	// withRole is action on the stacks of r, when the request passes r's
	// role (recovery.DeleteStatement too, as plain data for the role's one
	// document).
	withRole := func(sid, action string, r byRole) policy.Statement {
		return policy.Statement{
			Sid:        sid + r.sid,
			Actions:    []string{action},
			Resources:  p.stackArns(p.Account, r.names),
			Conditions: map[string]interface{}{"ArnEquals": map[string]interface{}{"cloudformation:RoleArn": r.role}},
		}
	}
	out := []policy.Statement{{
		Sid: "ManageDeployedStacks",
		Actions: []string{"cloudformation:DeleteChangeSet", "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet",
			"cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents"},
		Resources: p.stackArns(p.Account, p.stackNames()),
	}}
	for _, r := range roles {
		out = append(out, withRole("CreateChangeSetsWithExecutionRole", "cloudformation:CreateChangeSet", r))
	}
	out = append(out, policy.Statement{
		Sid:        "PassExecutionRoleToCloudFormation",
		Actions:    []string{"iam:PassRole"},
		Resources:  executionRoles,
		Conditions: map[string]interface{}{"StringEquals": map[string]interface{}{"iam:PassedToService": "cloudformation.amazonaws.com"}},
	})
	if p.DeleteFailedStacks {
		for _, r := range roles {
			out = append(out, withRole("DeleteStacksLeftInRollbackComplete", "cloudformation:DeleteStack", r))
		}
	}
	return out
}

// stackArns are the ARN patterns of the stacks names in account
// (arn:<partition>:cloudformation:<region>:<account>:stack/<name>/*), each
// in the regions of Regions that StackRegions leaves it, sorted by region
// and name.
func (p *Props) stackArns(account string, names []string) []string {
	var out []string
	for _, r := range values.SortedUnique(p.Regions) {
		for _, s := range values.SortedUnique(names) {
			if only, ok := p.StackRegions[s]; ok && !slices.Contains(only, r) {
				continue
			}
			out = append(out, fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/*", p.Partition, r, account, s))
		}
	}
	return out
}

// artifactStatements let a role read the artifact store.
// invokeArtifactStatements are the invoke role's artifact statements:
// artifactStatements with InvokeReadsArtifacts, none without.
func (p Props) invokeArtifactStatements() []policy.Statement {
	if !p.InvokeReadsArtifacts {
		return nil
	}
	return artifactStatements(p)
}

func artifactStatements(p Props) []policy.Statement {
	return []policy.Statement{{
		Sid:       "ReadArtifactObjects",
		Actions:   []string{"s3:GetObject", "s3:GetObjectVersion"},
		Resources: objectArns(p),
	}, {
		Sid:       "LocateArtifactBuckets",
		Actions:   []string{"s3:GetBucketLocation", "s3:ListBucket"},
		Resources: values.SortedUnique(p.ArtifactBucketArns),
	}, {
		Sid:       "DecryptArtifacts",
		Actions:   []string{"kms:Decrypt", "kms:DescribeKey"},
		Resources: values.SortedUnique(p.ArtifactKeyArns),
	}}
}

// principals holds the trust principals made so far, by account and
// trusted role ARNs ("" for CloudFormation's): a principal is plain data
// that no construct owns, so every role with the same trust (each
// environment's deploy role trusts the same pipeline role) shares one, and
// a synth makes two jsii calls for it instead of two per role.
var principals sync.Map

// trustedRoles is the principal of account's roles trusted, pinned by
// aws:PrincipalArn.
func trustedRoles(account string, trusted []string) awsiam.IPrincipal {
	key := account + " " + strings.Join(trusted, " ")
	if p, ok := principals.Load(key); ok {
		return p.(awsiam.IPrincipal)
	}
	p := awsiam.NewAccountPrincipal(jsii.String(account)).WithConditions(&map[string]interface{}{
		"ArnEquals": map[string]interface{}{"aws:PrincipalArn": values.OneOrMany(trusted)},
	})
	principals.Store(key, p)
	return p
}

// cloudFormation is CloudFormation's service principal.
func cloudFormation() awsiam.IPrincipal {
	if p, ok := principals.Load(""); ok {
		return p.(awsiam.IPrincipal)
	}
	p := awsiam.NewServicePrincipal(jsii.String("cloudformation.amazonaws.com"), nil)
	principals.Store("", p)
	return p
}

var (
	// iamAction is an IAM action, service:Action, with * and ? as
	// wildcards, or * alone.
	iamAction = regexp.MustCompile(`^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$`)
	// conditionOperator is an IAM condition operator, with its set
	// qualifier and IfExists suffix
	// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
	conditionOperator = regexp.MustCompile(`^((ForAnyValue:|ForAllValues:)?(String(Not)?Equals(IgnoreCase)?|String(Not)?Like|Numeric(Not)?Equals|Numeric(LessThan|GreaterThan)(Equals)?|Date(Not)?Equals|Date(LessThan|GreaterThan)(Equals)?|Bool|BinaryEquals|(Not)?IpAddress|Arn(Not)?Equals|Arn(Not)?Like)(IfExists)?|Null)$`)
)

// checkShape reports what IAM refuses in s at deploy (MalformedPolicyDocument)
// or aws-cdk-lib refuses without naming the field: an action that is not
// service:Action, a resource that is neither * nor an ARN, a condition
// operator IAM does not know, and a resource or condition value with a
// character IAM refuses in a policy (values.PolicyText). field is s's path, such as
// ExecutionStatements[0].
func (s Statement) checkShape(field string, add func(format string, a ...any)) {
	for k, a := range s.Actions {
		if !iamAction.MatchString(a) && !values.IsToken(a) {
			if svc, name, ok := strings.Cut(a, ":"); ok && iamAction.MatchString(strings.ToLower(svc)+":"+name) {
				add("%s.Actions[%d] %q: write the service prefix in lowercase, %s:%s (IAM reads it either way; the checks of IAM writes and admin-equivalent grants compare it in lowercase)", field, k, a, strings.ToLower(svc), name)
				continue
			}
			add("%s.Actions[%d] %q: not an IAM action; write service:Action, such as s3:GetObject (* and ? as wildcards)", field, k, a)
		}
	}
	for k, r := range s.Resources {
		if r != "*" && !strings.HasPrefix(r, "arn:") && !values.IsToken(r) {
			add("%s.Resources[%d] %q: not an ARN; IAM takes \"*\" or an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE), such as arn:aws:s3:::%s", field, k, r, r)
		} else if c, at, ok := values.PolicyText(r); !ok {
			add("%s.Resources[%d] %q: holds %q (%U) at byte %d, which IAM refuses in a policy document (printable characters through U+00FF only, %s); write it in those characters, or match it with a wildcard such as ?", field, k, r, string(c), c, at, values.IAMPolicyCharactersSource)
		} else if p := values.PseudoParameter(r); p != "" {
			add("%s.Resources[%d] %q: holds %s, CloudFormation's Fn::Sub syntax, which nothing resolves in a policy statement (IAM would read it as a policy variable no request has: a grant that matches nothing); write the partition as text, the account and region as %s and %s (filled for each role), or pass a token (awscdk.Aws_PARTITION(), awscdk.Fn_Sub(...))", field, k, r, p, AccountPlaceholder, RegionPlaceholder)
		}
	}
	for _, op := range slices.Sorted(maps.Keys(s.Conditions)) {
		if !conditionOperator.MatchString(op) {
			add("%s.Conditions[%q]: not an IAM condition operator, such as StringEquals, StringLike, ArnLike, Bool or Null (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)", field, op)
		}
		if len(s.Conditions[op]) == 0 {
			add("%s.Conditions[%q]: no condition key, so the policy would hold an empty block (%q: {}); name a key and its values, or remove the operator", field, op, op)
		}
		for _, key := range slices.Sorted(maps.Keys(s.Conditions[op])) {
			if len(s.Conditions[op][key]) == 0 {
				add("%s.Conditions[%q][%q]: no value, so the policy would hold an empty list (%q: []); give the values the key must match, or remove the key", field, op, key, key)
			}
			for j, v := range s.Conditions[op][key] {
				if c, at, ok := values.PolicyText(v); !ok {
					add("%s.Conditions[%q][%q][%d] %q: holds %q (%U) at byte %d, which IAM refuses in a policy document (printable characters through U+00FF only, %s); write it in those characters, or match it with a wildcard such as ?", field, op, key, j, v, string(c), c, at, values.IAMPolicyCharactersSource)
				}
			}
		}
	}
}
