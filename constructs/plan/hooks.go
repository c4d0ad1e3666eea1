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
// *StepFunctionsInvoke (a sealed interface). Each kind lives in a file of
// its own (invoke_*.go) with its fields, defaults, validation and the action
// it plans.
type Invoke interface {
	invoke()
	// withDefaults is a copy with the defaults applied, for the hook named
	// hook.
	withDefaults(hook string) Invoke
	// validate reports the problems of the invoke at Go path field.
	validate(v *validator, field string)
	// plan sets the kind, inputs and configuration fields of a, the
	// invoke's action.
	plan(a *Action, c *invokeContext)
}

// invokeContext is what an invoke kind plans its action in: the invoke at
// Go path path of the hook named hook.
type invokeContext struct {
	p    *planner
	path string
	f    func(suffix string) Field
	hook string
}
