package plan

import (
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

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

// InvokeLambda invokes a hook's function.
type InvokeLambda struct {
	Invoke *LambdaInvoke
	// Hook is the hook's name.
	Hook string
}

// Type implements Kind.
func (*InvokeLambda) Type() ActionType { return ActionType{"Invoke", "Lambda"} }

func (*InvokeLambda) kind()   {}
func (*LambdaInvoke) invoke() {}

func (x *LambdaInvoke) withDefaults(string) Invoke {
	c := *x
	return &c
}

func (x *LambdaInvoke) validate(v *validator, field string) {
	if limits.CheckName(limits.LambdaFunctionName, x.Function) != "" {
		v.addf(field+".Function", "%q: must be a function name of 1 to %d letters, digits, - and _, without a qualifier (the action invokes $LATEST)", x.Function, limits.Max(limits.LambdaFunctionName))
	}
	if values.JSONDocument(x.UserParameters) {
		v.freeTextInJSON(field+".UserParameters", x.UserParameters, "UserParameters")
	}
}

func (x *LambdaInvoke) plan(a *Action, c *invokeContext) {
	a.Kind = &InvokeLambda{Invoke: x, Hook: c.hook}
	a.Configuration = map[string]Field{
		"FunctionName":   c.f(".Function"),
		"UserParameters": c.p.fix(c.path+".UserParameters", "pass a shorter value, such as the path of a file in the build output"),
	}
}
