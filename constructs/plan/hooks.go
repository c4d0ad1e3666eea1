package plan

// Hook is an invoke action in a deployment's account, in each region,
// before or after the release, as the account's InvokeRoleArn.
type Hook struct {
	// Name is unique within the deployment: 2 to 31 of a-z, 0-9 and -.
	// Required.
	Name string
	// Before runs the hook before the release. Default: after.
	Before bool
	// Invoke is what the hook runs: a *LambdaInvoke or a
	// *StepFunctionsInvoke. Required.
	Invoke Invoke
}

// Invoke is what an invoke action runs: a *LambdaInvoke or a
// *StepFunctionsInvoke (a sealed interface).
type Invoke interface{ invoke() }

// LambdaInvoke is the Lambda invoke action: the function reports with
// PutJobSuccessResult (with output variables) or PutJobFailureResult.
type LambdaInvoke struct {
	// Function is a function name, without a qualifier: CodePipeline
	// invokes its $LATEST version. Required.
	Function string
	// UserParameters is passed to the function, at most 1,000 characters
	// (limits.ActionConfiguration). Default: none.
	UserParameters string
}

// StepFunctionsInvoke is the Step Functions invoke action; it waits for the
// execution.
type StepFunctionsInvoke struct {
	// StateMachine is the state machine name. Required.
	StateMachine string
	// Input is the literal execution input. Default: {}.
	Input map[string]string
	// InputFile is instead a JSON file in the build output.
	InputFile string
	// ExecutionNamePrefix prefixes execution names. Default: the hook name.
	ExecutionNamePrefix string
}

func (*LambdaInvoke) invoke()        {}
func (*StepFunctionsInvoke) invoke() {}
