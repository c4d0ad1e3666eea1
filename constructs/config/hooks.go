package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/iampolicy"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// Hook is an invoke action that runs in each region of every account
// environment, before or after the deployment.
type Hook struct {
	// Name is [a-z][a-z0-9-]{1,30}, unique.
	Name string `yaml:"name" json:"name"`
	// When is before or after. Default: after.
	When string `yaml:"when,omitempty" json:"when,omitempty"`
	// Lambda invokes a function. Exactly one of Lambda and StepFunctions.
	Lambda *LambdaHook `yaml:"lambda,omitempty" json:"lambda,omitempty"`
	// StepFunctions starts a state machine execution.
	StepFunctions *StepFunctionsHook `yaml:"stepFunctions,omitempty" json:"stepFunctions,omitempty"`
}

// LambdaHook invokes a function of the environment's account; the function
// reports back with PutJobSuccessResult or PutJobFailureResult, calling
// CodePipeline as the role <name>-job-results of the tooling account. The
// function runs as the hook role Relay creates in the account,
// <name>-<env>-hook (its execution role, which the workload template names
// by ARN): the one kind of role the job-results role trusts.
type LambdaHook struct {
	// Function is the function name, without a qualifier: CodePipeline
	// invokes its $LATEST version. Required.
	Function string `yaml:"function" json:"function"`
	// UserParameters is the string the function receives; it may use
	// variables. At most 1000 characters. Default: none.
	UserParameters string `yaml:"userParameters,omitempty" json:"userParameters,omitempty"`
	// Statements are what the function may do besides writing its logs and
	// reporting its job result, as statements of the hook role (such as
	// lambda:InvokeFunction on the alias it checks); they may use
	// placeholders. No statement may be as strong as AdministratorAccess,
	// write IAM (no permissions boundary would bound what it changes) or
	// pass roles by a pattern.
	// Default: none.
	Statements []Statement `yaml:"statements,omitempty" json:"statements,omitempty"`
}

// StepFunctionsHook starts a Step Functions execution in the environment's
// account and waits for it; a failed execution fails the stage.
type StepFunctionsHook struct {
	// StateMachine is the state machine name. Required.
	StateMachine string `yaml:"stateMachine" json:"stateMachine"`
	// Input is the execution input, as a map of strings that may use
	// variables. Default: {}.
	Input map[string]string `yaml:"input,omitempty" json:"input,omitempty"`
	// InputFile is instead the path of a JSON file in the build output, at
	// most 1,000 characters (the action's Input, one action configuration
	// value).
	InputFile string `yaml:"inputFile,omitempty" json:"inputFile,omitempty"`
	// ExecutionNamePrefix prefixes execution names, which the action writes
	// <prefix>-<its 36-character execution ID> within Step Functions' 80
	// characters: 1 to 43 letters, digits, _ and - (values.ExecutionNamePrefix,
	// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html).
	// Default: the hook name.
	ExecutionNamePrefix string `yaml:"executionNamePrefix,omitempty" json:"executionNamePrefix,omitempty"`
}

var (
	stateMachineRE  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)
	hookWhenAllowed = []string{"before", "after"}
)

// defaultHookWhen is when a hook runs unless it says.
const defaultHookWhen = defaults.HookWhen

// hooksDefaults sets the defaults of deploy.hooks; unset is as in
// applyDefaults.
func hooksDefaults(hooks []Hook, unset unsetFunc) {
	for i := range hooks {
		h := &hooks[i]
		path := fmt.Sprintf("deploy.hooks[%d]", i)
		if unset(path+".when", h.When == "") {
			h.When = defaultHookWhen
		}
		if s := h.StepFunctions; s != nil && unset(path+".stepFunctions.executionNamePrefix", s.ExecutionNamePrefix == "") {
			s.ExecutionNamePrefix = h.Name
		}
	}
}

// validateHooks checks the invoke hooks.
func validateHooks(q *problems, hooks []Hook) {
	first := map[string]int{}
	hookSids := hookSidSet{}
	for i, h := range hooks {
		b := fmt.Sprintf("deploy.hooks[%d]", i)
		q.add(b+".name", h.Name, listNameRule(first, "deploy.hooks", i, h.Name, "smoke-test", "hook"))
		q.add(b+".when", h.When, oneOfRule(h.When, hookWhenAllowed))
		switch {
		case (h.Lambda == nil) == (h.StepFunctions == nil):
			q.add(b, h.Name, "set exactly one of lambda and stepFunctions")
		case h.Lambda != nil:
			if limits.CheckName(limits.LambdaFunctionName, h.Lambda.Function) != "" {
				q.add(b+".lambda.function", h.Lambda.Function, "must be a function name without a qualifier (CodePipeline invokes $LATEST), such as payments-app-smoke-test")
			}
			if max := limits.Max(limits.ActionConfiguration); len(h.Lambda.UserParameters) > max {
				q.add(b+".lambda.userParameters", strconv.Itoa(len(h.Lambda.UserParameters))+" characters", fmt.Sprintf("CodePipeline passes at most %d characters; pass a file path instead", max))
			}
			for k, s := range h.Lambda.Statements {
				sp := fmt.Sprintf("%s.lambda.statements[%d]", b, k)
				statementRules(q, sp, s)
				q.add(sp+".sid", s.Sid, hookSids.rule(sp, s))
				unboundedRoleRules(q, sp, s, "a hook function checks a release: grant it what it reads, by ARN",
					"no permissions boundary would bound what a hook function changes; a hook function checks a release: grant IAM reads only, and create or change IAM resources in a stack (its execution role)")
			}
		default:
			s := h.StepFunctions
			if !stateMachineRE.MatchString(s.StateMachine) {
				q.add(b+".stepFunctions.stateMachine", s.StateMachine, "must be a state machine name of 1 to 80 letters, digits, _ and -")
			}
			if len(s.Input) > 0 && s.InputFile != "" {
				q.add(b+".stepFunctions.inputFile", s.InputFile, "set either input or inputFile, not both")
			}
			if s.InputFile != "" {
				v, rule := pathValue(s.InputFile, "migrations/input.json", "the build output")
				q.add(b+".stepFunctions.inputFile", v, rule)
			}
			if !values.ExecutionNamePrefix(s.ExecutionNamePrefix) {
				q.add(b+".stepFunctions.executionNamePrefix", s.ExecutionNamePrefix, "must be 1 to 43 letters, digits, _ and - (the action names each execution <prefix>-<its 36-character execution ID>, and Step Functions takes at most 80 characters: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html)")
			}
		}
	}
}

// hookSidSet are the Sids of the Lambda hooks' statements seen so far, by
// Sid: the path of the first statement with it and what the hook role's
// policy merges on (a statement written alike in two hooks, or filled for
// several regions, becomes one statement with every resource).
type hookSidSet map[string]struct{ path, shape string }

// rule is the rule of statement s's Sid at path sp: every Lambda hook's
// statements join one policy, the hook role's, beside the statements
// Relay writes there (iampolicy.HookRoleSids), and IAM refuses a policy
// whose Sids repeat
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html).
func (h hookSidSet) rule(sp string, s Statement) string {
	if s.Sid == "" {
		return ""
	}
	if slices.Contains(iampolicy.HookRoleSids(), s.Sid) {
		return "Relay writes a statement with this Sid into the hook role's policy, which every Lambda hook's statements join, and IAM refuses repeated Sids; choose another sid"
	}
	shape := fmt.Sprint(s.Actions, s.Conditions, s.Reason)
	prev, seen := h[s.Sid]
	switch {
	case !seen:
		h[s.Sid] = struct{ path, shape string }{sp, shape}
	case prev.shape != shape:
		return "also the sid of " + prev.path + ", another statement: every Lambda hook's statements join one policy, the hook role's, and IAM refuses repeated Sids; choose another sid"
	}
	return ""
}
