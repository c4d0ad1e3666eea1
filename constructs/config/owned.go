package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/naming"
)

// The rules of this file refuse a field that takes an existing resource
// when it names one that the configuration's own pipeline creates (its
// buckets, roles and policies): the shared rules are in package values
// (OwnRoleRule, OwnBucketRule, OwnPolicyRule), which of the pipeline's
// resources a name is, in package naming.

// names is the naming.Names of c's pipeline.
func (c *Config) names() naming.Names {
	return naming.Names{Name: c.Name, Partition: c.Partition(), ToolingAccount: c.Tooling.Account, ToolingRegion: c.Tooling.Region}
}

// ownRoles are the roles c's pipeline may create by fixed names: in each
// account environment's account its roles (naming.Names.EnvironmentRoles),
// in each account of an accounts environment its StackSet execution role,
// and in the tooling account the pipeline's own roles
// (naming.Names.ToolingRoles) and the service roles of the CodeBuild
// steps' projects (at path /, named like the projects).
func (c *Config) ownRoles() []naming.Role {
	n := c.names()
	var comps, top []string
	for _, x := range c.Deploy.Stacks {
		if x.ExecutionPolicy != nil {
			comps = append(comps, x.Name)
		}
	}
	for _, s := range c.Steps {
		top = append(top, s.Name)
	}
	var envs []string
	var out []naming.Role
	for _, e := range c.Environments {
		envs = append(envs, e.Name)
		steps := append([]string(nil), top...)
		for _, s := range e.Steps {
			steps = append(steps, s.Name)
			out = append(out, naming.Role{Name: n.StepProject(e.Name, s.Name), Account: n.ToolingAccount, What: fmt.Sprintf("the project role of step %s of environment %s", s.Name, e.Name)})
		}
		switch kindOf(e) {
		case "account":
			out = append(out, n.EnvironmentRoles(e.Account, e.Name, comps, steps)...)
		case "accounts":
			for _, a := range e.Accounts {
				out = append(out, naming.Role{Name: n.StackSetExecutionRole(e.Name), Account: a, What: "the StackSet execution role of environment " + e.Name})
			}
		}
	}
	for _, s := range c.Steps {
		if s.CodeBuild == nil || s.CodeBuild.Role == nil {
			out = append(out, naming.Role{Name: n.StepProject("", s.Name), Account: n.ToolingAccount, What: "the project role of step " + s.Name})
			continue
		}
		// A step with a role has a project per environment that runs it
		// (delivery's stepProject), so that each may assume its own
		// environment's step role only.
		for _, e := range c.Environments {
			if kindOf(e) != "tooling" {
				out = append(out, naming.Role{Name: n.StepProject(e.Name, s.Name), Account: n.ToolingAccount, What: fmt.Sprintf("the project role of step %s of environment %s", s.Name, e.Name)})
			}
		}
	}
	return append(out, n.ToolingRoles(envs)...)
}

// ownRole says which of c's own roles (ownRoles) in account is named name,
// or "" when none is. IAM role names are unique in an account without
// regard to case or path
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html),
// so a name alone says which role it is. Every one of them starts with
// <name>-, so other names are answered without listing them.
func (c *Config) ownRole(account, name string) string {
	if !strings.HasPrefix(strings.ToLower(name), c.Name+"-") {
		return ""
	}
	for _, r := range c.ownRoles() {
		if r.Account == account && strings.EqualFold(r.Name, name) {
			return r.What
		}
	}
	return ""
}

// ownRoleARN says which of c's own roles role (an ARN) is: any role under
// Relay's IAM path (values.RelayIAMARN), or one of ownRoles by its account
// and name; "" for any other ARN.
func (c *Config) ownRoleARN(role string) string {
	if values.RelayIAMARN(role) {
		return values.RelayPathRole
	}
	m := roleARNRE.FindStringSubmatch(role)
	if m == nil {
		return ""
	}
	return c.ownRole(m[1], role[strings.LastIndex(role, "/")+1:])
}

// taskRoleRule refuses an ECS task role (deploy.ecs.taskRoles,
// deploy.ecsBlueGreen.taskRoles) that is one of c's own roles.
func (c *Config) taskRoleRule(role string) string {
	what := c.ownRoleARN(role)
	if what == "" {
		return ""
	}
	return values.OwnRoleRule(what, "ecs-tasks.amazonaws.com", "ECS could not start the service's tasks with it", "name the task role and task execution role of the service's own task definition")
}

// instanceRoleRule refuses a CodeDeploy instance role
// (deploy.codeDeploy.instanceRoles, a name) that is one of c's own roles
// in the account of environment e.
func (c *Config) instanceRoleRule(role string, e Environment) string {
	what := c.ownRole(e.Account, role)
	if what == "" {
		return ""
	}
	return values.OwnRoleRule(what, "ec2.amazonaws.com", "no instance profile can give it to the instances, and the artifact store admits it at path / only, where it does not exist", "name the role of the instances' own instance profile")
}

// ownInvokeRule refuses a step's function or state machine (of the
// tooling account) that is one c's pipeline creates there: the recovery
// function <name>-recovery (with a stack deployed to an account
// environment: package recovery) or the execution timer
// <name>-execution-timer (with observability.alarms.maxExecutionMinutes:
// package observe). kind is "function" or "state machine".
func (c *Config) ownInvokeRule(kind, name string) string {
	n, what := c.names(), ""
	switch {
	case kind == "function" && name == n.RecoveryFunction() && c.recovers():
		what = "the recovery function " + name
	case kind == "state machine" && name == n.ExecutionTimer() && c.Observability != nil && c.Observability.Alarms != nil && c.Observability.Alarms.MaxExecutionMinutes > 0:
		what = "the execution timer " + name
	default:
		return ""
	}
	return values.OwnInvokeRule(what, "name a "+kind+" of the workload's own")
}

// recovers reports whether c's pipeline has the recovery function: a
// stack deployed to an environment with an account (package delivery
// creates it then).
func (c *Config) recovers() bool {
	return slices.ContainsFunc(c.Deploy.Components(), Component.IsStack) &&
		slices.ContainsFunc(c.Environments, func(e Environment) bool { return e.Account != "" })
}

// ownHookRules refuses a hook that invokes, in an account environment of
// the tooling account and region, the recovery function or the execution
// timer of c's pipeline (ownInvokeRule): the hook's action would run them
// there as it runs a step.
func (c *Config) ownHookRules(p *problems, hooks []Hook) {
	for i, h := range hooks {
		b := fmt.Sprintf("deploy.hooks[%d]", i)
		switch {
		case h.Lambda != nil:
			p.add(b+".lambda.function", h.Lambda.Function, c.ownInvokeRule("function", h.Lambda.Function))
		case h.StepFunctions != nil:
			p.add(b+".stepFunctions.stateMachine", h.StepFunctions.StateMachine, c.ownInvokeRule("state machine", h.StepFunctions.StateMachine))
		}
	}
}
