package plan

// Target is where a deployment releases: one *Account, or a StackSet across
// *StackSetAccounts or *OrganizationalUnits, or *PipelineAccount for steps
// only (a sealed interface).
type Target interface{ target() }

// Account is one target account. Its actions run as roles of that account,
// which trust the pipeline role. For a target.DeploymentTarget of the same
// App, take it from the target (target.Account(): its roles by reference),
// and pipeline.New checks that the target agrees with the pipeline. For a
// target of another App, name the roles (plain ARNs, from one naming.Names
// on both sides): nothing can check what the other App deploys. The ARN
// fields take plain ARNs or aws-cdk-lib tokens (such as
// *role.RoleArn()).
type Account struct {
	// ID is the 12-digit account ID. Required, unless the roles are a
	// target's by reference (then: the target's account).
	ID string
	// DeployRoleArn is the role the pipeline assumes in the account for the
	// deploy actions (change sets, ECS, CodeDeploy, S3, and the Helm step).
	// Required, unless the release is GitOps only.
	DeployRoleArn string
	// ExecutionRoleArn is the role CloudFormation uses in the account.
	// Required with a *Stack release.
	ExecutionRoleArn string
	// InvokeRoleArn is the role the hooks run as in the account. Required
	// with hooks.
	InvokeRoleArn string
}

// StackSetAccounts deploys the stack as a self-managed StackSet named
// <Stack.Name>-<deployment name> to these accounts, in every region of the
// deployment (the CloudFormationStackSet action, run as the pipeline role).
type StackSetAccounts struct {
	// IDs are 12-digit account IDs. At least one.
	IDs []string
	// AdministrationRoleArn is the StackSet administration role, in the
	// pipeline's account; the pipeline role passes it to CloudFormation.
	// Required unless StackSetOf is set.
	AdministrationRoleArn string
	// ExecutionRoleName is the role StackSets assumes in each account (at
	// path /). Required unless StackSetOf is set.
	ExecutionRoleName string
	// StackSetOf names an earlier deployment whose StackSet this one
	// extends with instances in IDs (the CloudFormationStackInstances
	// action). Default: a StackSet of its own.
	StackSetOf string
	// Rollout paces the deployment across accounts.
	Rollout Rollout
}

// OrganizationalUnits deploys the stack as a service-managed StackSet named
// <Stack.Name>-<deployment name> to every account of these OUs, and to
// accounts that join them later (automatic deployment), with a
// CloudFormationStackSet action that runs as the pipeline role. StackSets
// deploys through its service-linked roles: no deploy or execution role.
type OrganizationalUnits struct {
	// IDs are OU IDs (ou-xxxx-xxxxxxxx). At least one.
	IDs []string
	// StackSetOf names an earlier deployment whose StackSet this one
	// extends. Default: a StackSet of its own.
	StackSetOf string
	// Rollout paces the deployment across accounts.
	Rollout Rollout
}

// Rollout paces a StackSet deployment.
type Rollout struct {
	// MaxConcurrentPercentage is the share of accounts deployed at once, 1
	// to 100. Default: 25.
	MaxConcurrentPercentage int
	// FailureTolerancePercentage is the share of accounts per region that
	// may fail, 0 to 100. Default: 0.
	FailureTolerancePercentage int
}

// PipelineAccount runs a deployment's steps only, in the pipeline's own
// account and region: a stage of its own without a release, such as a
// Lambda invoke between two environments.
type PipelineAccount struct{}

func (*Account) target()             {}
func (*PipelineAccount) target()     {}
func (*StackSetAccounts) target()    {}
func (*OrganizationalUnits) target() {}

// stackSetOf is t's StackSetOf and rollout, and whether t is a StackSet
// target.
func stackSet(t Target) (ids []string, of string, rollout Rollout, ok bool) {
	switch x := t.(type) {
	case *StackSetAccounts:
		return x.IDs, x.StackSetOf, x.Rollout, true
	case *OrganizationalUnits:
		return x.IDs, x.StackSetOf, x.Rollout, true
	}
	return nil, "", Rollout{}, false
}

// IsStackSet reports whether t deploys a StackSet (to accounts or OUs).
func IsStackSet(t Target) bool {
	_, _, _, ok := stackSet(t)
	return ok
}
