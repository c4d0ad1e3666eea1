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
// *GitOpsStep, *HelmStep, *InvokeLambda or *InvokeStepFunctions. Package
// pipeline renders each with a function of its own.
type Kind interface {
	// Type is the action's CodePipeline action type.
	Type() ActionType
	kind()
}

func (*SourceAction) kind()        {}
func (*BuildAction) kind()         {}
func (*SuiteAction) kind()         {}
func (*ApprovalAction) kind()      {}
func (*PrepareChangeSet) kind()    {}
func (*ReviewChangeSet) kind()     {}
func (*ExecuteChangeSet) kind()    {}
func (*DeployStackSet) kind()      {}
func (*AddStackInstances) kind()   {}
func (*DeployECS) kind()           {}
func (*DeployECSBlueGreen) kind()  {}
func (*DeployCodeDeploy) kind()    {}
func (*DeployS3) kind()            {}
func (*GitOpsStep) kind()          {}
func (*HelmStep) kind()            {}
func (*InvokeLambda) kind()        {}
func (*InvokeStepFunctions) kind() {}

// BuildAction runs the build project on the sources and writes the build
// output.
type BuildAction struct {
	// Build is the build (defaults applied).
	Build *Build
	// Variables are the environment variables that go on the action: the
	// source's commit, branch and author date, and each PlainText build
	// variable that refers to a variable.
	Variables map[string]string
}

// SuiteAction runs one Test or Scan suite in its own project.
type SuiteAction struct {
	// Stage is Test or Scan.
	Stage string
	// Suite is the suite (defaults applied, a scanner's preset expanded).
	Suite Suite
	// Variables are the environment variables of the action: the commit,
	// and for scanners RELAY_FAIL_ON and RELAY_SEVERITIES.
	Variables map[string]string
}

// ApprovalAction is the manual approval before a deployment.
type ApprovalAction struct {
	// Approval is the approval (defaults applied).
	Approval *Approval
}

// PrepareChangeSet creates (or replaces) the change set ChangeSetName of a
// stack in the account, as the account's deploy role.
type PrepareChangeSet struct {
	// Stack is the stack (defaults applied).
	Stack *Stack
	// ExecutionRoleArn is the role CloudFormation acts as.
	ExecutionRoleArn string
}

// ReviewChangeSet is a manual approval between creating and executing a
// change set of Stack in Account and Region.
type ReviewChangeSet struct {
	Stack           *Stack
	Account, Region string
}

// ExecuteChangeSet executes the change set ChangeSetName; its namespace
// exports the stack's outputs.
type ExecuteChangeSet struct {
	Stack *Stack
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

// DeployECS is the ECS rolling update.
type DeployECS struct{ Release *ECSRelease }

// DeployECSBlueGreen is the CodeDeployToECS action.
type DeployECSBlueGreen struct{ Release *ECSBlueGreenRelease }

// DeployCodeDeploy is the CodeDeploy EC2/on-premises action.
type DeployCodeDeploy struct{ Release *CodeDeployRelease }

// DeployS3 copies the build output into a bucket.
type DeployS3 struct{ Release *S3Release }

// GitOpsStep commits the release to the GitOps repository from the GitOps
// CodeBuild project (pipeline account).
type GitOpsStep struct{ Release *GitOpsRelease }

// HelmStep runs helm upgrade from the Helm CodeBuild project (pipeline
// account), as AssumeRoleArn for the cluster in Region of the target
// account.
type HelmStep struct {
	Release *HelmRelease
	// AssumeRoleArn is the deploy role the step assumes for the cluster.
	AssumeRoleArn string
	// Region is the cluster's region.
	Region string
}

// InvokeLambda invokes a hook's function.
type InvokeLambda struct {
	Invoke *LambdaInvoke
	// Hook is the hook's name.
	Hook string
}

// InvokeStepFunctions starts a hook's state machine and waits for it.
type InvokeStepFunctions struct {
	Invoke *StepFunctionsInvoke
	// Hook is the hook's name.
	Hook string
}

// ChangeSetName is the change set each stack deployment creates and
// executes.
const ChangeSetName = "relay-pipeline"

// Type implements Kind.
func (*BuildAction) Type() ActionType { return ActionType{"Build", "CodeBuild"} }

// Type implements Kind.
func (*SuiteAction) Type() ActionType { return ActionType{"Test", "CodeBuild"} }

// Type implements Kind.
func (*ApprovalAction) Type() ActionType { return ActionType{"Approval", "Manual"} }

// Type implements Kind.
func (*PrepareChangeSet) Type() ActionType { return ActionType{"Deploy", "CloudFormation"} }

// Type implements Kind.
func (*ReviewChangeSet) Type() ActionType { return ActionType{"Approval", "Manual"} }

// Type implements Kind.
func (*ExecuteChangeSet) Type() ActionType { return ActionType{"Deploy", "CloudFormation"} }

// Type implements Kind.
func (*DeployStackSet) Type() ActionType { return ActionType{"Deploy", "CloudFormationStackSet"} }

// Type implements Kind.
func (*AddStackInstances) Type() ActionType {
	return ActionType{"Deploy", "CloudFormationStackInstances"}
}

// Type implements Kind.
func (*DeployECS) Type() ActionType { return ActionType{"Deploy", "ECS"} }

// Type implements Kind.
func (*DeployECSBlueGreen) Type() ActionType { return ActionType{"Deploy", "CodeDeployToECS"} }

// Type implements Kind.
func (*DeployCodeDeploy) Type() ActionType { return ActionType{"Deploy", "CodeDeploy"} }

// Type implements Kind.
func (*DeployS3) Type() ActionType { return ActionType{"Deploy", "S3"} }

// Type implements Kind.
func (*GitOpsStep) Type() ActionType { return ActionType{"Build", "CodeBuild"} }

// Type implements Kind.
func (*HelmStep) Type() ActionType { return ActionType{"Build", "CodeBuild"} }

// Type implements Kind.
func (*InvokeLambda) Type() ActionType { return ActionType{"Invoke", "Lambda"} }

// Type implements Kind.
func (*InvokeStepFunctions) Type() ActionType { return ActionType{"Invoke", "StepFunctions"} }
