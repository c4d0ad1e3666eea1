package plan

import (
	"fmt"
	"maps"
	"slices"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// StepFunctionsInvoke is the Step Functions invoke action; it waits for the
// execution.
type StepFunctionsInvoke struct {
	// StateMachine is the state machine name: 1 to 80 letters, digits, _,
	// . and -. Required.
	StateMachine string
	// Input is the literal execution input. Default: {}.
	Input map[string]string
	// InputFile is instead a JSON file in the build output.
	InputFile string
	// ExecutionNamePrefix prefixes execution names: 1 to 43 letters,
	// digits, _ and - (values.ExecutionNamePrefix: with the action
	// execution's 36-character ID, within Step Functions' 80 characters of
	// an execution name,
	// https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
	// Default: the hook's (or step's) name.
	ExecutionNamePrefix string
}

// InvokeStepFunctions starts a hook's state machine and waits for it.
type InvokeStepFunctions struct {
	Invoke *StepFunctionsInvoke
	// Hook is the hook's name.
	Hook string
}

// Type implements Kind.
func (*InvokeStepFunctions) Type() ActionType { return ActionType{"Invoke", "StepFunctions"} }

func (*InvokeStepFunctions) kind()   {}
func (*StepFunctionsInvoke) invoke() {}

func (x *StepFunctionsInvoke) withDefaults(hook string) Invoke {
	c := *x
	def(&c.ExecutionNamePrefix, hook)
	return &c
}

func (x *StepFunctionsInvoke) validate(v *validator, field string) {
	switch {
	case !resourceRE.MatchString(x.StateMachine) || len(x.StateMachine) > 80:
		// Step Functions names a state machine in at most 80 characters
		// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html):
		// no state machine has a longer name, and the action would fail.
		v.addf(field+".StateMachine", "%q: must be a state machine name of 1 to 80 letters, digits, _, . and -", x.StateMachine)
	case len(x.Input) > 0 && x.InputFile != "":
		v.add(field, ": set Input or InputFile, not both")
	}
	outputPath(v, field+".InputFile", x.InputFile, "migrations/input.json")
	if x.ExecutionNamePrefix != "" && !values.ExecutionNamePrefix(x.ExecutionNamePrefix) {
		// Step Functions refuses to start an execution of another name,
		// failing the action when it runs.
		v.addf(field+".ExecutionNamePrefix", "%q: must be 1 to 43 letters, digits, _ and - (the action names each execution <prefix>-<its 36-character execution ID>, and Step Functions takes at most 80 characters: https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html)", x.ExecutionNamePrefix)
	}
	for _, k := range slices.Sorted(maps.Keys(x.Input)) {
		v.freeTextInJSON(fmt.Sprintf("%s.Input[%q]", field, k), x.Input[k], "Input")
	}
}

// plan: an input file is read from the build output.
func (x *StepFunctionsInvoke) plan(a *Action, c *invokeContext) {
	a.Kind = &InvokeStepFunctions{Invoke: x, Hook: c.hook}
	input := c.p.fix(c.path+".Input", "move the input into a JSON file of the build output (%s)", c.p.in.name(c.path+".InputFile"))
	if x.InputFile != "" {
		a.Inputs = []string{c.p.in.Deployable()}
		input = pathField(c.f(".InputFile"))
	}
	a.Configuration = map[string]Field{
		"StateMachineArn": c.f(".StateMachine"), "ExecutionNamePrefix": c.f(".ExecutionNamePrefix"),
		"InputType": c.f(""), "Input": input,
	}
}
