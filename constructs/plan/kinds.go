package plan

// ActionType is a CodePipeline action type (owner AWS, version 1).
type ActionType struct {
	// Category is Source, Build, Test, Approval, Deploy or Invoke.
	Category string
	// Provider is the action provider, such as CloudFormation.
	Provider string
}

// Kind is what an action does (a sealed interface): *SourceAction,
// *BuildAction, *SuiteAction, *ApprovalAction, *PrepareChangeSet,
// *ReviewChangeSet, *ExecuteChangeSet, *DeployStackSet, *AddStackInstances,
// *DeployECS, *DeployECSBlueGreen, *DeployCodeDeploy, *DeployS3,
// *GitOpsStep, *HelmStep, *InvokeLambda, *InvokeStepFunctions,
// *PublishAssets or *UpdatePipeline. Package pipeline renders each with a
// function of its own.
type Kind interface {
	// Type is the action's CodePipeline action type.
	Type() ActionType
	kind()
}

func (*SourceAction) kind()      {}
func (*BuildAction) kind()       {}
func (*SuiteAction) kind()       {}
func (*ApprovalAction) kind()    {}
func (*DeployStackSet) kind()    {}
func (*AddStackInstances) kind() {}

// BuildAction runs the build project on the sources and writes the build
// output.
type BuildAction struct {
	// Build is the build (defaults applied).
	Build *Build
	// Variables are the environment variables that go on the action: the
	// primary source's revision (GIT_COMMIT_HASH, GIT_BRANCH and
	// GIT_AUTHOR_DATE of a connection or CodeCommit source;
	// SOURCE_VERSION_ID of an S3 source; an ECR source feeds no build), and
	// each PlainText build variable that refers to a variable.
	Variables map[string]string
}

// SuiteAction runs one Test or Scan suite in its own project.
type SuiteAction struct {
	// Stage is Test or Scan.
	Stage string
	// Suite is the suite (defaults applied, a scanner's preset expanded).
	Suite Suite
	// Variables are the environment variables of the action: the primary
	// source's revision (GIT_COMMIT_HASH, SOURCE_VERSION_ID or
	// SOURCE_IMAGE_DIGEST, as for the build), and for scanners
	// RELAY_FAIL_ON and RELAY_SEVERITIES.
	Variables map[string]string
}

// ApprovalAction is the manual approval before a deployment.
type ApprovalAction struct {
	// Approval is the approval (defaults applied).
	Approval *Approval
}

// DeployStackSet creates or updates a StackSet and its instances, as the
// pipeline role.
type DeployStackSet struct {
	// Stack is the template.
	Stack *Stack
	// StackSetName is <Stack.Name>-<deployment name>.
	StackSetName string
	// Target is the *StackSetAccounts or *OrganizationalUnits.
	Target Target
}

// AddStackInstances adds instances of an earlier deployment's StackSet.
type AddStackInstances struct {
	// StackSetName is the owner's StackSet.
	StackSetName string
	// Target is the *StackSetAccounts or *OrganizationalUnits.
	Target Target
}

// Type implements Kind.
func (*BuildAction) Type() ActionType { return ActionType{"Build", "CodeBuild"} }

// Type implements Kind.
func (*SuiteAction) Type() ActionType { return ActionType{"Test", "CodeBuild"} }

// Type implements Kind.
func (*ApprovalAction) Type() ActionType { return ActionType{"Approval", "Manual"} }

// Type implements Kind.
func (*DeployStackSet) Type() ActionType { return ActionType{"Deploy", "CloudFormationStackSet"} }

// Type implements Kind.
func (*AddStackInstances) Type() ActionType {
	return ActionType{"Deploy", "CloudFormationStackInstances"}
}
