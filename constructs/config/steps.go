package config

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/graph"
	"github.com/relaycdk/relay/constructs/internal/iampolicy"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// Step is one entry of steps (run in every environment that deploys:
// account environments in each region, StackSet environments once) or of
// environments[].steps (that environment only): a CodeBuild build, a
// Lambda or Step Functions invoke in the tooling account, or a manual
// approval, before, after or between the environment's stacks.
type Step struct {
	// Name names the action (Step-<name>, Invoke-<name>, Approve-<name>),
	// the CodeBuild project, the step role and the variable namespace
	// Step_<env>_<region>_<name>: 2 to 31 lowercase letters, digits and
	// hyphens, unique among the environment's steps and stacks. Required.
	Name string `yaml:"name" json:"name"`
	// When is before (before the stacks) or after (after them). Steps of
	// the same when run one after another, in order. Default: after.
	When string `yaml:"when,omitempty" json:"when,omitempty"`
	// DependsOn places the step after these stacks (deploy.stacks names)
	// or steps instead; stacks may depend on the step in turn. Exclusive
	// with when.
	DependsOn []string `yaml:"dependsOn,omitempty" json:"dependsOn,omitempty"`
	// CodeBuild, Lambda, StepFunctions and Approval say what the step
	// runs; exactly one.
	CodeBuild     *CodeBuildStep     `yaml:"codeBuild,omitempty" json:"codeBuild,omitempty"`
	Lambda        *LambdaHook        `yaml:"lambda,omitempty" json:"lambda,omitempty"`
	StepFunctions *StepFunctionsHook `yaml:"stepFunctions,omitempty" json:"stepFunctions,omitempty"`
	Approval      *StepApproval      `yaml:"approval,omitempty" json:"approval,omitempty"`
}

// CodeBuildStep runs a buildspec file in a CodeBuild project of the tooling
// account, with RELAY_ENVIRONMENT, RELAY_ACCOUNT, RELAY_REGION (RELAY_REGIONS
// for a StackSet) and, with a role, RELAY_ROLE_ARN set.
type CodeBuildStep struct {
	// Buildspec is the path of the buildspec file in the step's first
	// input, never inline text (see build.buildspec). Required.
	Buildspec string `yaml:"buildspec" json:"buildspec"`
	// Inputs are source, build or the names of earlier steps with output:
	// true; the first holds the buildspec. At most 5. Default: [build]
	// ([source] with build: none).
	Inputs []string `yaml:"inputs,omitempty" json:"inputs,omitempty"`
	// Output makes the step write the artifacts its buildspec lists, for
	// later steps' inputs (such as a Terraform plan). Default: false.
	Output bool `yaml:"output,omitempty" json:"output,omitempty"`
	// EnvironmentVariables reach the step, by name: exactly one of value
	// (may use #{...} variables and ${...} placeholders), output (a stack
	// output: <stack>.<Output>, or <Output> with one stack), parameter and
	// secret.
	EnvironmentVariables map[string]StepVariable `yaml:"environmentVariables,omitempty" json:"environmentVariables,omitempty"`
	// Role is a role in the environment's account that the step may assume
	// (account environments only): <name>-<env>-<step>-step, trusted by
	// this step's project role alone. Default: none.
	Role *StepRole `yaml:"role,omitempty" json:"role,omitempty"`
	// ComputeType is a CodeBuild compute type. Default: build.computeType.
	ComputeType string `yaml:"computeType,omitempty" json:"computeType,omitempty"`
	// TimeoutMinutes bounds one run, 5 to 2160. Default: 60.
	TimeoutMinutes int `yaml:"timeoutMinutes,omitempty" json:"timeoutMinutes,omitempty"`
	// Privileged allows Docker-in-Docker. Default: false.
	Privileged bool `yaml:"privileged,omitempty" json:"privileged,omitempty"`
}

// StepVariable is one environment variable of a CodeBuild step: exactly
// one of Value, Output, Parameter and Secret.
type StepVariable struct {
	Value     string `yaml:"value,omitempty" json:"value,omitempty"`
	Output    string `yaml:"output,omitempty" json:"output,omitempty"`
	Parameter string `yaml:"parameter,omitempty" json:"parameter,omitempty"`
	Secret    string `yaml:"secret,omitempty" json:"secret,omitempty"`
}

// StepRole is what a step may do in the environment's account.
type StepRole struct {
	// Statements are its permissions, like deploy.executionPolicy's (a
	// reason for every wildcard), whose resources may use ${account},
	// ${region}, ${env} and settings. IAM writes are refused (no
	// permissions boundary would bound the roles they create), and
	// iam:PassRole names each role, and a statement as strong as
	// AdministratorAccess (sts:AssumeRole on every role, say) is refused.
	// At least one.
	Statements []Statement `yaml:"statements" json:"statements"`
}

// StepApproval is a manual approval between steps or stacks.
type StepApproval struct {
	// Comment is shown to the approver, at most 512 characters. Default:
	// "Approve <step> of <env>".
	Comment string `yaml:"comment,omitempty" json:"comment,omitempty"`
	// ReviewURL is an https link to check first, at most 1,000 characters
	// (one action configuration value). Default: none.
	ReviewURL string `yaml:"reviewUrl,omitempty" json:"reviewUrl,omitempty"`
	// TimeoutMinutes is how long the approval waits, 5 to 86400. Default:
	// 10080 (7 days).
	TimeoutMinutes int `yaml:"timeoutMinutes,omitempty" json:"timeoutMinutes,omitempty"`
}

var (
	stepWhen = []string{"before", "after"}
)

// stepsDefaults sets the defaults of steps and environments[].steps.
func (c *Config) stepsDefaults(unset unsetFunc) {
	set := func(base string, steps []Step) {
		for k := range steps {
			s := &steps[k]
			path := fmt.Sprintf("%s[%d]", base, k)
			if len(s.DependsOn) == 0 && unset(path+".when", s.When == "") {
				s.When = defaults.StepWhen
			}
			if x := s.CodeBuild; x != nil && unset(path+".codeBuild.timeoutMinutes", x.TimeoutMinutes == 0) {
				x.TimeoutMinutes = defaults.RunStepTimeoutMinutes
			}
			if x := s.StepFunctions; x != nil && unset(path+".stepFunctions.executionNamePrefix", x.ExecutionNamePrefix == "") {
				x.ExecutionNamePrefix = s.Name
			}
			if x := s.Approval; x != nil && unset(path+".approval.timeoutMinutes", x.TimeoutMinutes == 0) {
				x.TimeoutMinutes = defaults.ApprovalTimeoutMinutes
			}
		}
	}
	set("steps", c.Steps)
	for i := range c.Environments {
		set(envPath(i, "steps"), c.Environments[i].Steps)
	}
}

// StepsOf are the steps environments[i] runs: steps (unless it is a
// tooling environment, which deploys nothing), then its own, each with the
// YAML path of its entry.
func (c *Config) StepsOf(i int) ([]Step, []string) {
	e := c.Environments[i]
	var steps []Step
	var paths []string
	if kindOf(e) != "tooling" {
		for k, s := range c.Steps {
			steps, paths = append(steps, s), append(paths, fmt.Sprintf("steps[%d]", k))
		}
	}
	for k, s := range e.Steps {
		steps, paths = append(steps, s), append(paths, envPath(i, fmt.Sprintf("steps[%d]", k)))
	}
	return steps, paths
}

// stepGraph is the graph of environments[i]'s stacks and steps (the one
// workload, if any, named ""), stacks first, as the pipeline orders them.
func (c *Config) stepGraph(i int) []graph.Node {
	var parts []graph.Node
	if !c.Deploy.None && kindOf(c.Environments[i]) != "tooling" {
		for _, x := range c.Deploy.Components() {
			parts = append(parts, graph.Node{Name: x.Name, DependsOn: x.DependsOn})
		}
	}
	steps, _ := c.StepsOf(i)
	gs := make([]graph.Step, len(steps))
	for k, s := range steps {
		gs[k] = graph.Step{Name: s.Name, Before: s.When == "before", DependsOn: s.DependsOn}
	}
	return graph.Deployment(parts, gs)
}

// validateSteps checks steps and environments[].steps: each step on its
// own, then per environment the names, places and references it resolves
// there.
func (c *Config) validateSteps(p *problems) {
	for k, s := range c.Steps {
		c.stepRules(p, fmt.Sprintf("steps[%d]", k), s)
	}
	for i, e := range c.Environments {
		for k, s := range e.Steps {
			c.stepRules(p, envPath(i, fmt.Sprintf("steps[%d]", k)), s)
		}
		c.environmentSteps(p, i)
	}
}

// stepRules checks step s, written at path, alone.
func (c *Config) stepRules(p *problems, path string, s Step) {
	if !values.EntryName(s.Name) {
		p.add(path+".name", s.Name, "must be 2 to 31 lowercase letters, digits and hyphens, starting with a letter, such as integration-test")
	}
	switch {
	case len(s.DependsOn) > 0 && s.When != "":
		p.add(path+".when", s.When, "set when (before or after the stacks) or dependsOn (after these stacks or steps), not both")
	case len(s.DependsOn) == 0:
		p.add(path+".when", s.When, oneOfRule(s.When, stepWhen))
	}
	if n := countSet(s.CodeBuild != nil, s.Lambda != nil, s.StepFunctions != nil, s.Approval != nil); n != 1 {
		p.add(path, s.Name, "set exactly one of codeBuild, lambda, stepFunctions and approval")
		return
	}
	switch {
	case s.CodeBuild != nil:
		c.codeBuildStepRules(p, path+".codeBuild", *s.CodeBuild)
	case s.Lambda != nil:
		if limits.CheckName(limits.LambdaFunctionName, s.Lambda.Function) != "" && !placeholderRE.MatchString(s.Lambda.Function) {
			p.add(path+".lambda.function", s.Lambda.Function, "must be a function name of the tooling account without a qualifier (CodePipeline invokes $LATEST), such as release-notes")
		} else {
			p.add(path+".lambda.function", s.Lambda.Function, c.ownInvokeRule("function", s.Lambda.Function))
		}
		// As for a hook: a setting is JSON-encoded into userParameters, so a
		// placeholder must sit inside a JSON string.
		p.add(path+".lambda.userParameters", s.Lambda.UserParameters, userParametersRule(s.Lambda.UserParameters))
	case s.StepFunctions != nil:
		x := s.StepFunctions
		if !stateMachineRE.MatchString(x.StateMachine) && !placeholderRE.MatchString(x.StateMachine) {
			p.add(path+".stepFunctions.stateMachine", x.StateMachine, "must be the name of a state machine of the tooling account, 1 to 80 letters, digits, _ and -")
		} else {
			p.add(path+".stepFunctions.stateMachine", x.StateMachine, c.ownInvokeRule("state machine", x.StateMachine))
		}
		if len(x.Input) > 0 && x.InputFile != "" {
			p.add(path+".stepFunctions.inputFile", x.InputFile, "set either input or inputFile, not both")
		}
		if x.InputFile != "" {
			v, rule := pathValue(x.InputFile, "input.json", "the build output")
			p.add(path+".stepFunctions.inputFile", v, rule)
		}
		if !values.ExecutionNamePrefix(x.ExecutionNamePrefix) {
			p.add(path+".stepFunctions.executionNamePrefix", x.ExecutionNamePrefix, "must be 1 to 43 letters, digits, _ and - (the action names each execution <prefix>-<its 36-character execution ID>, and Step Functions takes at most 80 characters: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html)")
		}
	case s.Approval != nil:
		a := s.Approval
		// Left out, the comment is "Approve <step> of <environment>",
		// which the release plan writes per environment; Parse refuses
		// comment: "" written in the file (tree.writtenZero).
		p.add(path+".approval.comment", a.Comment, stepCommentRule(a.Comment))
		if !placeholderRE.MatchString(a.ReviewURL) {
			// With a placeholder (reviewUrl: ${dashboard}), each
			// environment's link is checked once filled
			// (expandedStepRules).
			v, rule := actionValue(a.ReviewURL, values.ReviewURLRule(a.ReviewURL), "use a shorter link")
			p.add(path+".approval.reviewUrl", v, rule)
		}
		if a.TimeoutMinutes < 5 || a.TimeoutMinutes > 86400 {
			p.add(path+".approval.timeoutMinutes", strconv.Itoa(a.TimeoutMinutes), "must be from 5 to 86400 minutes (60 days); the default is 10080 (7 days)")
		}
	}
}

// codeBuildStepRules checks a CodeBuild step written at path.
func (c *Config) codeBuildStepRules(p *problems, path string, x CodeBuildStep) {
	if x.Buildspec == "" {
		p.add(path+".buildspec", "", "required: the path of the step's buildspec file in its first input, such as ci/integration.yml; a step has no inline buildspec")
	} else {
		p.add(path+".buildspec", x.Buildspec, buildspecRule(x.Buildspec))
	}
	if max := limits.Max(limits.CodeBuildInputs); len(x.Inputs) > max {
		p.add(path+".inputs", strings.Join(x.Inputs, ","), fmt.Sprintf("a CodeBuild action reads at most %d artifacts; combine files in an earlier step's output", max))
	}
	for k, in := range x.Inputs {
		switch {
		case slices.Index(x.Inputs, in) != k:
			p.add(fmt.Sprintf("%s.inputs[%d]", path, k), in, "listed twice; remove one")
		case in == "build" && c.Build.None:
			p.add(fmt.Sprintf("%s.inputs[%d]", path, k), in, "reads the build output, and build is none; use source")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(x.EnvironmentVariables)) {
		v, vp := x.EnvironmentVariables[name], path+".environmentVariables."+name
		if !values.EnvironmentVariableName(name) || strings.HasPrefix(name, "CODEBUILD_") || strings.HasPrefix(name, "RELAY_") {
			p.add(vp, name, "names are letters, digits and _, not starting with a digit, CODEBUILD_ or RELAY_ (CodeBuild's and Relay's)")
			continue
		}
		switch {
		case countSet(v.Value != "", v.Output != "", v.Parameter != "", v.Secret != "") != 1:
			p.add(vp, "", "set exactly one of value, output (a stack output, <stack>.<Output>), parameter (SSM Parameter Store name) and secret (Secrets Manager ARN)")
		case v.Output != "" && !isStackOutputRef(v.Output):
			p.add(vp+".output", v.Output, "must be <stack>.<OutputName> (a name of deploy.stacks), or <OutputName> with one stack")
		case v.Parameter != "" && !values.SSMParameterName(v.Parameter):
			p.add(vp+".parameter", v.Parameter, "must be an SSM parameter name such as /payments/db-url")
		case v.Secret != "":
			p.add(vp+".secret", v.Secret, secretRule(v.Secret, c.Tooling))
		}
	}
	if x.ComputeType != "" {
		p.add(path+".computeType", x.ComputeType, oneOfRule(x.ComputeType, computeTypes))
	}
	p.add(path+".timeoutMinutes", strconv.Itoa(x.TimeoutMinutes), timeoutRule(x.TimeoutMinutes))
	if r := x.Role; r != nil {
		if len(r.Statements) == 0 {
			p.add(path+".role.statements", "", "required; list what the step may do in the environment's account")
		}
		sids := map[string]int{}
		for k, s := range r.Statements {
			sp := fmt.Sprintf("%s.role.statements[%d]", path, k)
			statementRules(p, sp, s)
			if prev, dup := sids[s.Sid]; s.Sid != "" && dup {
				p.add(sp+".sid", s.Sid, fmt.Sprintf("also the sid of %s.role.statements[%d], and IAM refuses repeated Sids in a policy; choose another sid", path, prev))
			} else if s.Sid != "" {
				sids[s.Sid] = k
			}
			unboundedRoleRules(p, sp, s, stepAdminFix, stepWriteFix)
		}
	}
}

// stepAdminFix and stepWriteFix complete unboundedRoleRules' messages for
// a step's role.
const (
	stepAdminFix = "a step does one job: grant it what that job touches, by ARN"
	stepWriteFix = "no permissions boundary would bound the roles a step creates; create IAM resources in a stack (its execution role), or grant IAM reads only"
)

// StackChangeRule is why a role that no permissions boundary bounds (a
// step's, a hook function's) may not change CloudFormation stacks
// (iampolicy.ChangesStacks), and the fix.
const StackChangeRule = "lets the role change CloudFormation stacks, which CloudFormation changes as each stack's service role without asking the caller for iam:PassRole: " +
	"on the stacks the CDK deployed in the account, Relay's own among them, that is the bootstrap's cfn-exec-role (AdministratorAccess), through which the role could create any IAM resource; " +
	"deploy stacks as deploy.stacks entries, each with its own execution role, or grant CloudFormation reads only"

// unboundedRoleRules checks statement s, at sp, of a role that no
// permissions boundary bounds (a step's, a hook function's): nothing as
// strong as AdministratorAccess (a role that may assume or pass any role,
// or change any user's credentials, could act as an administrator of the
// account; adminFix completes that message), no IAM writes (one that may
// change a role's policy and trust can make it trust this role and hold
// any permission; writeFix completes that message), and iam:PassRole only
// of roles it names, none of them Relay's (values.PassRelayRoleRule); no
// sts:AssumeRole of any role (role chaining: the role would act with the
// other role's permissions, IAM User Guide, "Roles terms and concepts").
func unboundedRoleRules(p *problems, sp string, s Statement, adminFix, writeFix string) {
	if why := iampolicy.AdminEquivalent(s.Actions, s.Resources); why != "" {
		p.add(sp, s.Sid, "is as strong as AdministratorAccess: "+why+"; "+adminFix)
	} else if a := iampolicy.AssumesRoles(s.Actions); a != "" {
		// Whichever role it names: that role's permissions, not this
		// statement list, would bound what the step or hook does.
		p.add(fmt.Sprintf("%s.actions[%d]", sp, slices.Index(s.Actions, a)), a,
			"lets the role assume another role and act with that role's permissions (role chaining), beyond what its own statements grant; "+adminFix)
	}
	for j, a := range s.Actions {
		if values.IAMWrite(a) {
			p.add(fmt.Sprintf("%s.actions[%d]", sp, j), a, "writes IAM, and "+writeFix)
		} else if iampolicy.ChangesStacks([]string{a}) != "" {
			p.add(fmt.Sprintf("%s.actions[%d]", sp, j), a, StackChangeRule)
		}
	}
	if iampolicy.PassesRolesByPattern(s.Actions, s.Resources) {
		p.add(sp+".resources", strings.Join(s.Resources, ","), "iam:PassRole must name each role it passes, without wildcards")
	}
	for _, j := range values.PassesRelayRoles(s.Actions, s.Resources) {
		p.add(fmt.Sprintf("%s.resources[%d]", sp, j), s.Resources[j], values.PassRelayRoleRule)
	}
}

// environmentSteps checks the steps environments[i] runs: names unique
// among its steps and stacks, dependencies that exist and make no cycle,
// inputs and outputs that come from earlier parts, what its kind allows,
// and the names composed from them.
func (c *Config) environmentSteps(p *problems, i int) {
	e := c.Environments[i]
	kind := kindOf(e)
	steps, paths := c.StepsOf(i)
	if kind == "tooling" && len(e.Steps) == 0 {
		p.add(envPath(i, "steps"), "", "required: a tooling environment runs its steps only; add at least one, such as a lambda step")
	}
	if c.Deploy.None && kind != "tooling" && len(steps) == 0 {
		p.add(envPath(i, "name"), e.Name, "has nothing to run: deploy is none and no steps apply; add steps (top-level or environments[].steps) or remove the environment")
	}
	nodes := c.stepGraph(i)
	parts := len(nodes) - len(steps)
	names := map[string]string{}
	if !c.Deploy.None && kind != "tooling" {
		for k, x := range c.Deploy.Stacks {
			names[x.Name] = fmt.Sprintf("deploy.stacks[%d]", k)
		}
	}
	for k, s := range steps {
		if prev, dup := names[s.Name]; dup && values.EntryName(s.Name) {
			p.add(paths[k]+".name", s.Name, fmt.Sprintf("duplicate of %s.name in environments[%d] %q; give each step and stack a unique name", prev, i, e.Name))
		} else if !dup {
			names[s.Name] = paths[k]
		}
	}
	unknown, cycle := graph.Check(nodes)
	for _, u := range unknown {
		if u.Node < parts {
			continue // deploy.stacks reports its own
		}
		p.add(paths[u.Node-parts]+".dependsOn", u.Dep, fmt.Sprintf("names no stack or step of environments[%d] %q; use the name of one that must finish first", i, e.Name))
	}
	if cycle != nil {
		// The field is the dependsOn of the cycle's first entry, and the
		// rule names every entry's: the steps may be top-level ones and
		// the stacks deploy.stacks, which this environment only runs (the
		// same cycle of top-level steps is one problem, not one per
		// environment).
		var parts []string
		for _, name := range cycle[:len(cycle)-1] {
			if at, ok := names[name]; ok {
				parts = append(parts, fmt.Sprintf("%s (%s)", at, name))
			}
		}
		field := envPath(i, "steps")
		if at, ok := names[cycle[0]]; ok {
			field = at + ".dependsOn"
		}
		p.add(field, strings.Join(cycle, " -> "), "the dependsOn lists of "+strings.Join(parts, ", ")+" make a cycle, so none of them could start; remove one of these dependencies")
		return
	}
	for k, s := range steps {
		me := parts + k
		if s.CodeBuild == nil {
			continue
		}
		x := s.CodeBuild
		for j, in := range x.Inputs {
			if in == "source" || in == "build" {
				continue
			}
			o := slices.IndexFunc(steps, func(o Step) bool { return o.Name == in })
			switch {
			case o < 0 || o == k:
				p.add(fmt.Sprintf("%s.codeBuild.inputs[%d]", paths[k], j), in, fmt.Sprintf("must be source, build or the name of another step of environments[%d] %q", i, e.Name))
			case steps[o].CodeBuild == nil || !steps[o].CodeBuild.Output:
				p.add(fmt.Sprintf("%s.codeBuild.inputs[%d]", paths[k], j), in, "that step writes no artifact; set output: true on it")
			case !graph.Before(nodes, parts+o, me):
				p.add(fmt.Sprintf("%s.codeBuild.inputs[%d]", paths[k], j), in, "that step does not finish before this one; place this one after it (dependsOn)")
			}
		}
		for _, name := range slices.Sorted(maps.Keys(x.EnvironmentVariables)) {
			out := x.EnvironmentVariables[name].Output
			stack, _, ok := values.StackOutputRef(out)
			if out == "" || !ok {
				continue
			}
			vp := paths[k] + ".codeBuild.environmentVariables." + name + ".output"
			comps := c.Deploy.Components()
			at := slices.IndexFunc(comps, func(x Component) bool { return x.Name == stack })
			switch {
			case kind != "account" || c.Deploy.None:
				p.add(vp, out, fmt.Sprintf("environments[%d] %q (%s) deploys no stack with outputs; read stack outputs in account environments", i, e.Name, kind))
			case at < 0 || !comps[at].IsStack():
				p.add(vp, out, "names no stack of deploy (give <stack>.<Output> with a stack of deploy.stacks, or <Output> with the one stack of deploy)")
			case !graph.Before(nodes, at, me):
				p.add(vp, out, "that stack does not finish before this step; run the step after it (when: after, or dependsOn the stack)")
			}
		}
		if x.Role != nil {
			role := c.Name + "-" + e.Name + "-" + s.Name + "-step"
			switch max := limits.Max(limits.IAMRoleName); {
			case kind != "account":
				p.add(paths[k]+".codeBuild.role", "", fmt.Sprintf("applies to account environments only, and environments[%d] %q is a %s environment: it has no account of its own to act in", i, e.Name, kind))
			case len(role) > max:
				p.add(paths[k]+".name", s.Name, fmt.Sprintf("its role in environments[%d] would be %s, %d characters; IAM takes at most %d: use a shorter step or environment name", i, role, len(role), max))
			}
		}
		if strings.HasPrefix(paths[k], "environments[") && x.Role != nil {
			project := c.Name + "-" + e.Name + "-step-" + s.Name
			if max := limits.Max(limits.IAMRoleName); len(project) > max {
				p.add(paths[k]+".name", s.Name, fmt.Sprintf("its project's role would be %s, %d characters; IAM takes at most %d: use a shorter step or environment name", project, len(project), max))
			}
		}
	}
}

// expandedStepRules checks the invokes of environments[i]'s steps whose
// names use placeholders, the review links of its approval steps that use
// them, and its step roles' statements, once expanded (x).
func (c *Config) expandedStepRules(p *problems, i int, x Expanded) {
	raw, paths := c.StepsOf(i)
	var got []Step
	if kindOf(c.Environments[i]) != "tooling" {
		got = append(got, x.Steps...)
	}
	got = append(got, x.Environment.Steps...)
	for k, s := range got {
		if k >= len(raw) {
			break
		}
		if f := s.Lambda; f != nil && placeholderRE.MatchString(raw[k].Lambda.Function) && limits.CheckName(limits.LambdaFunctionName, f.Function) != "" {
			p.add(paths[k]+".lambda.function", raw[k].Lambda.Function, fmt.Sprintf("expands to %q for environments[%d], which is no function name (1 to 64 letters, digits, - and _)", f.Function, i))
		}
		if m := s.StepFunctions; m != nil && placeholderRE.MatchString(raw[k].StepFunctions.StateMachine) && !stateMachineRE.MatchString(m.StateMachine) {
			p.add(paths[k]+".stepFunctions.stateMachine", raw[k].StepFunctions.StateMachine, fmt.Sprintf("expands to %q for environments[%d], which is no state machine name (1 to 80 letters, digits, _ and -)", m.StateMachine, i))
		}
		if a, ra := s.Approval, raw[k].Approval; a != nil && ra != nil && placeholderRE.MatchString(ra.ReviewURL) {
			if _, rule := actionValue(a.ReviewURL, values.ReviewURLRule(a.ReviewURL), "use a shorter link"); rule != "" {
				p.add(paths[k]+".approval.reviewUrl", ra.ReviewURL, fmt.Sprintf("expands to %q for environments[%d]: %s", a.ReviewURL, i, rule))
			}
		}
		if b, rb := s.CodeBuild, raw[k].CodeBuild; b != nil && b.Role != nil && rb != nil && rb.Role != nil {
			expandedRoleRules(p, paths[k]+".codeBuild.role", i, rb.Role.Statements, b.Role.Statements)
		}
	}
}

// expandedRoleRules checks the statements of a step's role, at path, once
// environments[i]'s settings fill its resources (expanded; raw as written):
// a resource such as arn:aws:iam::${account}:role/${r} passes the written
// check, and r: "*" makes it every role. A problem the written statement
// already has is not repeated.
func expandedRoleRules(p *problems, path string, i int, raw, expanded []Statement) {
	for j, s := range expanded {
		if j >= len(raw) || !slices.ContainsFunc(raw[j].Resources, placeholderRE.MatchString) {
			continue
		}
		sp := fmt.Sprintf("%s.statements[%d]", path, j)
		var written, filled problems
		unboundedRoleRules(&written, sp, raw[j], stepAdminFix, stepWriteFix)
		unboundedRoleRules(&filled, sp, s, stepAdminFix, stepWriteFix)
		for _, fe := range filled {
			if !slices.ContainsFunc(written, func(w *FieldError) bool { return w.Path == fe.Path }) {
				p.add(fe.Path, strings.Join(raw[j].Resources, ","), fmt.Sprintf("with environments[%d]'s settings filled in (resources %s): %s", i, strings.Join(s.Resources, ","), fe.Rule))
			}
		}
	}
}

// isStackOutputRef reports whether s is <stack>.<OutputName> or
// <OutputName> (values.StackOutputRef).
func isStackOutputRef(s string) bool {
	_, _, ok := values.StackOutputRef(s)
	return ok
}
