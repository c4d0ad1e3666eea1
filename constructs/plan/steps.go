package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/graph"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/naming"
)

// Step is an action of a deployment besides its releases: a CodeBuild
// build (integration or load tests, a render step, Terraform), a Lambda or
// Step Functions invoke, or a manual approval. Steps run in the pipeline's
// account and region (a CodeBuild step may act in the target account
// through AssumeRoleArn); in an Account target once per region, in a
// StackSet or PipelineAccount target once. They count toward the actions
// per stage like every action.
type Step struct {
	// Name names the action (Step-<Name>, Invoke-<Name> or Approve-<Name>)
	// and its variable namespace Step_<deployment>_<region>_<Name>
	// (Step_<deployment>_<Name> without a region): 2 to 31 of a-z, 0-9 and
	// -, unique among the deployment's steps and components. Required.
	Name string
	// Before runs the step before the releases (after the earlier Before
	// steps). Default: after the releases (and after the earlier steps that
	// run after them).
	Before bool
	// DependsOn places the step after these components or steps instead,
	// between releases: components may depend on the step in turn.
	// Exclusive with Before. Default: none.
	DependsOn []string
	// Action is what the step runs: a *CodeBuildStep, *LambdaInvoke,
	// *StepFunctionsInvoke (in the pipeline's account) or *ApprovalStep.
	// Required.
	Action StepAction
}

// StepAction is what a step runs (a sealed interface): *CodeBuildStep,
// *LambdaInvoke, *StepFunctionsInvoke or *ApprovalStep.
type StepAction interface {
	stepAction()
}

func (*CodeBuildStep) stepAction()       {}
func (*LambdaInvoke) stepAction()        {}
func (*StepFunctionsInvoke) stepAction() {}
func (*ApprovalStep) stepAction()        {}

// CodeBuildStep runs a buildspec from an artifact in a CodeBuild project of
// the pipeline's account, with the deployment's values as environment
// variables: RELAY_ENVIRONMENT, RELAY_ACCOUNT (empty for a StackSet),
// RELAY_REGION and, with AssumeRoleArn, RELAY_ROLE_ARN.
type CodeBuildStep struct {
	// ProjectName is the project's physical name: steps with the same
	// ProjectName share one project and must agree on Buildspec,
	// ComputeType, TimeoutMinutes, Privileged, RoleName and
	// ProjectVariables. Default: generated, one project per step.
	ProjectName string
	// RoleName is the physical name of the project's service role, at path
	// /, which the trust of AssumeRoleArn names. Default: generated.
	RoleName string
	// Buildspec is the buildspec's path in the primary input artifact (a
	// file, never inline text). Required.
	Buildspec string
	// Inputs are the artifacts the step reads: "source", "build" or the
	// Name of a step of the deployment with Output that runs before it; the
	// first is the primary (CODEBUILD_SRC_DIR), the others are
	// CODEBUILD_SRC_DIR_<artifact>. At most 5 (CodeBuild). Default: build
	// (source without a Build stage).
	Inputs []string
	// Output makes the step write an artifact (from the buildspec's
	// artifacts section), named Step_<deployment>_<region>_<Name>, that
	// later steps of the deployment name in Inputs. Default: false.
	Output bool
	// EnvironmentVariables go on the action; values may use
	// #{namespace.name} variables. Names are letters, digits and _, not
	// starting with CODEBUILD_ or RELAY_. Default: none.
	EnvironmentVariables map[string]string
	// StackOutputs give environment variables the outputs of the
	// deployment's stacks, as <component>.<OutputName> (<OutputName> for
	// the one Release), read from the stack's namespace in the step's
	// region; the stack must finish before the step. Default: none.
	StackOutputs map[string]string
	// ProjectVariables go on the project: SSM parameters and Secrets
	// Manager secrets of the pipeline's account, which the project's role
	// may read (PlainText values without references too), each named
	// exactly as Parameter and Secret say. Default: none.
	ProjectVariables map[string]BuildVariable
	// AssumeRoleArn is a role of the target account (Account targets only)
	// that the project's role may assume, given to the build as
	// RELAY_ROLE_ARN. Default: none.
	AssumeRoleArn string
	// AssumeRolePattern replaces, in the project role's policy, the list
	// of the AssumeRoleArn of the steps that share the project with one ARN
	// pattern, so that it keeps one size for any number of deployments;
	// each role's trust must pin the project's role. It needs AssumeRoleArn
	// and must match it, as an IAM role ARN pattern
	// (arn:PARTITION:iam::ACCOUNT:role/PATH/NAME, * and ? within a part,
	// as ArnLike matches:
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN);
	// New refuses others. Default: the list.
	AssumeRolePattern string
	// ComputeType is a CodeBuild compute type. Default: Build.ComputeType.
	ComputeType string
	// TimeoutMinutes bounds one run, 5 to 2160. Default: 60.
	TimeoutMinutes int
	// Privileged allows Docker-in-Docker. Default: false.
	Privileged bool
}

// ApprovalStep is a manual approval between steps or releases, such as
// between a Terraform plan and its apply.
type ApprovalStep struct {
	// Comment is shown to the approver. Default: "Approve <step> of
	// <deployment>".
	Comment string
	// ReviewURL is a link for the approver to check first: an https URL
	// (values.ReviewURLRule, config's rule too) of at most 1,000
	// characters, the action configuration value's limit, which the
	// written template's check applies (limits.CheckTemplate). Default:
	// none.
	ReviewURL string
	// TimeoutMinutes is how long the approval waits, 5 to 86400. Default:
	// 10080 (7 days).
	TimeoutMinutes int
}

// RunStep runs a CodeBuildStep.
type RunStep struct {
	// Name is the step's name.
	Name string
	Step *CodeBuildStep
	// Variables are the action's environment variables: the step's own,
	// its stack outputs as #{namespace.name} and the RELAY_* values.
	Variables map[string]string
}

// StepApproval is an ApprovalStep's action.
type StepApproval struct{ Approval *ApprovalStep }

// Type implements Kind.
func (*RunStep) Type() ActionType { return ActionType{"Build", "CodeBuild"} }

// Type implements Kind.
func (*StepApproval) Type() ActionType { return ActionType{"Approval", "Manual"} }

func (*RunStep) kind()      {}
func (*StepApproval) kind() {}

// stepDefaults is a copy of steps with their defaults applied (deployment
// d, noBuild for the default input).
func stepDefaults(steps []Step, d string, noBuild bool) []Step {
	if steps == nil {
		return nil
	}
	out := make([]Step, len(steps))
	for i, s := range steps {
		switch x := s.Action.(type) {
		case *CodeBuildStep:
			if x != nil {
				c := *x
				if len(c.Inputs) == 0 {
					c.Inputs = []string{"build"}
					if noBuild {
						c.Inputs = []string{"source"}
					}
				}
				defInt(&c.TimeoutMinutes, defaults.RunStepTimeoutMinutes)
				s.Action = &c
			}
		case *ApprovalStep:
			if x != nil {
				c := *x
				def(&c.Comment, "Approve "+s.Name+" of "+d)
				defInt(&c.TimeoutMinutes, defaults.ApprovalTimeoutMinutes)
				s.Action = &c
			}
		case *LambdaInvoke:
			if x != nil {
				s.Action = x.withDefaults(s.Name).(*LambdaInvoke)
			}
		case *StepFunctionsInvoke:
			if x != nil {
				s.Action = x.withDefaults(s.Name).(*StepFunctionsInvoke)
			}
		}
		out[i] = s
	}
	return out
}

// nodes are the deployment's components and steps as graph nodes
// (graph.Deployment), components first.
func nodes(comps []Component, steps []Step) []graph.Node {
	parts := make([]graph.Node, len(comps))
	for k, c := range comps {
		parts[k] = graph.Node{Name: c.Name, DependsOn: c.DependsOn}
	}
	gs := make([]graph.Step, len(steps))
	for k, s := range steps {
		gs[k] = graph.Step{Name: s.Name, Before: s.Before, DependsOn: s.DependsOn}
	}
	return graph.Deployment(parts, gs)
}

// stepActions are the actions of the steps of deployment i in region r
// ("" for a deployment that runs once), named by their verb, indexed like
// d.Steps.
func (p *planner) stepActions(i int, r string) [][]Action {
	d := &p.in.Deployments[i]
	steps := d.StepsIn(r)
	out := make([][]Action, len(steps))
	for k, s := range steps {
		field := fmt.Sprintf("%s[%d]", d.stepsPath(i, r), k)
		f := p.fields(field + ".Action")
		a := Action{Deployment: i, Field: p.in.name(field), Namespace: stepNamespace(d.Name, r, s.Name)}
		switch x := s.Action.(type) {
		case *CodeBuildStep:
			a.Name = "Step-" + s.Name
			a.Kind = &RunStep{Name: s.Name, Step: x, Variables: p.stepVariables(d, r, x)}
			for _, in := range x.Inputs {
				a.Inputs = append(a.Inputs, p.stepArtifact(d, r, in))
			}
			if x.Output {
				a.Outputs = []string{stepArtifactName(d.Name, r, s.Name)}
			}
			a.Configuration = map[string]Field{
				"ProjectName":          f(".ProjectName"),
				"PrimarySource":        f(".Inputs"),
				"EnvironmentVariables": p.fix(field+".Action.EnvironmentVariables", "shorten the values, or move constant values into a file of the step's input"),
			}
		case *LambdaInvoke:
			a.Name = "Invoke-" + s.Name
			x.plan(&a, &invokeContext{p: p, path: field + ".Action", f: f, hook: s.Name})
		case *StepFunctionsInvoke:
			a.Name = "Invoke-" + s.Name
			x.plan(&a, &invokeContext{p: p, path: field + ".Action", f: f, hook: s.Name})
		case *ApprovalStep:
			a.Name, a.Namespace = "Approve-"+s.Name, ""
			a.Kind = &StepApproval{Approval: x}
			a.Configuration = map[string]Field{
				"CustomData":         p.fix(field+".Action.Comment", "shorten the comment"),
				"ExternalEntityLink": p.fix(field+".Action.ReviewURL", "use a shorter link"),
			}
		}
		out[k] = []Action{a}
	}
	return out
}

// stepVariables are the environment variables of a CodeBuild step's
// action in region r.
func (p *planner) stepVariables(d *Deployment, r string, x *CodeBuildStep) map[string]string {
	vars := maps.Clone(x.EnvironmentVariables)
	if vars == nil {
		vars = map[string]string{}
	}
	vars["RELAY_ENVIRONMENT"] = d.Name
	switch t := d.Target.(type) {
	case *Account:
		vars["RELAY_ACCOUNT"], vars["RELAY_REGION"] = t.ID, r
	case *StackSetAccounts, *OrganizationalUnits:
		vars["RELAY_REGIONS"] = strings.Join(d.Regions, ",")
	}
	if x.AssumeRoleArn != "" {
		vars["RELAY_ROLE_ARN"] = x.AssumeRoleArn
	}
	for name, ref := range x.StackOutputs {
		comp, output, _ := values.StackOutputRef(ref)
		vars[name] = "#{" + naming.StackNamespace(d.Name, r, comp) + "." + output + "}"
	}
	return vars
}

// stepArtifact is the artifact that a step input names.
func (p *planner) stepArtifact(d *Deployment, r, input string) string {
	switch input {
	case "source":
		return SourceArtifact
	case "build":
		return p.in.Deployable()
	}
	return stepArtifactName(d.Name, r, input)
}

// stepArtifactName is the output artifact of step in deployment d and
// region r: its namespace's name.
func stepArtifactName(d, r, step string) string { return naming.StepNamespace(d, r, step) }

// stepNamespace is the variable namespace of step in deployment d and
// region r ("" when it runs once).
func stepNamespace(d, r, step string) string { return naming.StepNamespace(d, r, step) }

// steps checks the steps of deployment i (account is the target's, "" for
// a StackSet or the pipeline's account).
func (v *validator) steps(i int, d *Deployment, path string, steps []Step, account string) {
	names := map[string]bool{}
	for _, c := range d.Components {
		names[c.Name] = true
	}
	_, isAccount := d.Target.(*Account)
	for k, s := range steps {
		f := fmt.Sprintf("%s[%d]", path, k)
		if !values.EntryName(s.Name) || names[s.Name] {
			v.addf(f+".Name", "%q: must be unique among the deployment's steps and components, 2 to 31 of a-z, 0-9 and -", s.Name)
		}
		names[s.Name] = true
		if s.Before && len(s.DependsOn) > 0 {
			v.add(f+".Before", ": set Before or DependsOn, not both")
		}
		switch x := s.Action.(type) {
		case *CodeBuildStep:
			if x == nil {
				break
			}
			v.codeBuildStep(f+".Action", k, d, steps, x, isAccount, account)
		case *LambdaInvoke:
			if x != nil {
				x.validate(v, f+".Action")
			}
		case *StepFunctionsInvoke:
			if x != nil {
				x.validate(v, f+".Action")
			}
		case *ApprovalStep:
			if x != nil && (x.TimeoutMinutes < 5 || x.TimeoutMinutes > 86400) {
				v.addf(f+".Action.TimeoutMinutes", "%d: must be 5 to 86400", x.TimeoutMinutes)
			}
			if x != nil {
				if rule := values.ReviewURLRule(x.ReviewURL); rule != "" {
					v.addf(f+".Action.ReviewURL", "%q: %s", x.ReviewURL, rule)
				}
			}
		}
		if isNil(s.Action) {
			v.add(f+".Action", ": required; set a *CodeBuildStep, *LambdaInvoke, *StepFunctionsInvoke or *ApprovalStep")
		}
	}
}

// codeBuildStep checks step k of deployment i, a CodeBuild step.
func (v *validator) codeBuildStep(f string, k int, d *Deployment, steps []Step, x *CodeBuildStep, isAccount bool, account string) {
	if x.Buildspec == "" || strings.ContainsAny(x.Buildspec, "\n\r") || strings.HasPrefix(x.Buildspec, "/") || strings.Contains(x.Buildspec, "..") {
		v.addf(f+".Buildspec", "%q: must be the path of a buildspec file in the step's primary input, such as ci/integration.yml", x.Buildspec)
	}
	if max := limits.Max(limits.CodeBuildInputs); len(x.Inputs) > max {
		v.addf(f+".Inputs", "%d artifacts: a CodeBuild action reads at most %d", len(x.Inputs), max)
	}
	for j, in := range x.Inputs {
		switch {
		case in == "build" && v.in.NoBuild:
			v.addf(fmt.Sprintf("%s.Inputs[%d]", f, j), "%q: there is no Build stage (NoBuild); read the source", in)
		case in == "source" || in == "build":
		default:
			o := slices.IndexFunc(steps, func(s Step) bool { return s.Name == in })
			if o < 0 || o == k {
				v.addf(fmt.Sprintf("%s.Inputs[%d]", f, j), "%q: must be source, build or the name of another step of the deployment", in)
				continue
			}
			if cb, ok := steps[o].Action.(*CodeBuildStep); !ok || cb == nil || !cb.Output {
				v.addf(fmt.Sprintf("%s.Inputs[%d]", f, j), "%q: that step writes no artifact; set its Output", in)
			}
		}
		if slices.Index(x.Inputs, in) != j {
			v.addf(fmt.Sprintf("%s.Inputs[%d]", f, j), "%q: listed twice", in)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(x.EnvironmentVariables)) {
		v.stepVariable(f+".EnvironmentVariables", name, x)
	}
	for _, name := range slices.Sorted(maps.Keys(x.ProjectVariables)) {
		v.buildVariable(fmt.Sprintf("%s.ProjectVariables[%q]", f, name), x.ProjectVariables[name])
	}
	for _, name := range slices.Sorted(maps.Keys(x.StackOutputs)) {
		v.stepVariable(f+".StackOutputs", name, x)
		ref := x.StackOutputs[name]
		comp, _, ok := values.StackOutputRef(ref)
		if !ok {
			v.addf(fmt.Sprintf("%s.StackOutputs[%q]", f, name), "%q: must be <component>.<OutputName>, or <OutputName> with one Release", ref)
			continue
		}
		var rel Release
		if comp == "" && len(d.Components) == 0 {
			rel = d.Release
		} else if c := slices.IndexFunc(d.Components, func(c Component) bool { return c.Name == comp }); c >= 0 {
			rel = d.Components[c].Release
		}
		if _, isStack := rel.(*Stack); !isStack || !isAccount {
			v.addf(fmt.Sprintf("%s.StackOutputs[%q]", f, name), "%q: names no stack of the deployment that exports outputs (a *Stack release in an Account)", ref)
		}
	}
	if x.TimeoutMinutes < 5 || x.TimeoutMinutes > 2160 {
		v.addf(f+".TimeoutMinutes", "%d: must be 5 to 2160", x.TimeoutMinutes)
	}
	if x.ComputeType != "" && !slices.Contains(ComputeTypes, x.ComputeType) {
		v.addf(f+".ComputeType", "%q: must be BUILD_GENERAL1_SMALL, _MEDIUM, _LARGE, _XLARGE or _2XLARGE", x.ComputeType)
	}
	if x.AssumeRoleArn != "" {
		switch {
		case !isAccount:
			v.add(f+".AssumeRoleArn", ": needs an Account target; a StackSet or the pipeline's account has no step role")
		case !roleIn(x.AssumeRoleArn, account):
			v.addf(f+".AssumeRoleArn", "%q: must be a role ARN in account %s", x.AssumeRoleArn, account)
		}
	}
	if p := x.AssumeRolePattern; p != "" {
		// The project role may assume what the pattern matches, instead
		// of AssumeRoleArn: a pattern that is no role ARN pattern, or
		// misses the step's role, leaves the step unable to assume it.
		switch {
		case x.AssumeRoleArn == "":
			v.addf(f+".AssumeRolePattern", "%q: applies with AssumeRoleArn, the role the pattern stands for; set it, or remove the pattern", p)
		case arns.CheckRolePattern(p, "") != "":
			v.addf(f+".AssumeRolePattern", "%q: %s", p, arns.CheckRolePattern(p, ""))
		case !arns.IsToken(p) && !arns.IsToken(x.AssumeRoleArn) && !arns.Like(p, x.AssumeRoleArn):
			v.addf(f+".AssumeRolePattern", "%q: does not match AssumeRoleArn %q, so the project's role could not assume the step's role; write a pattern that matches it", p, x.AssumeRoleArn)
		}
	}
}

// stepVariable checks the name of an environment variable of a step.
func (v *validator) stepVariable(field, name string, x *CodeBuildStep) {
	if !values.EnvironmentVariableName(name) || strings.HasPrefix(name, "CODEBUILD_") || strings.HasPrefix(name, "RELAY_") {
		v.addf(fmt.Sprintf("%s[%q]", field, name), ": names are letters, digits and _, not starting with a digit, CODEBUILD_ or RELAY_ (CodeBuild's and Relay's)")
	}
	_, a := x.EnvironmentVariables[name]
	_, b := x.StackOutputs[name]
	if a && b && strings.HasSuffix(field, ".StackOutputs") {
		v.addf(fmt.Sprintf("%s[%q]", field, name), ": also set in EnvironmentVariables; keep one")
	}
}

// order checks the dependencies among deployment i's components and steps:
// names that exist, no cycle, and each step input and stack output that
// comes from a part that finishes before the step.
func (v *validator) order(i int, d *Deployment, path string, steps []Step) {
	field := fmt.Sprintf("Deployments[%d]", i)
	comps := d.ComponentsIn("")
	nodes := nodes(comps, steps)
	unknown, cycle := graph.Check(nodes)
	for _, u := range unknown {
		if u.Node < len(comps) {
			continue // reported by components
		}
		v.addf(fmt.Sprintf("%s[%d].DependsOn", path, u.Node-len(comps)), "%q: names no other step or component of the deployment", u.Dep)
	}
	if cycle != nil {
		at := field + ".Steps"
		if len(d.Components) > 0 {
			at = field + ".Components"
		}
		v.addf(at, ": the dependencies make a cycle, %s; remove one of them", strings.Join(cycle, " -> "))
		return
	}
	for k, s := range steps {
		x, ok := s.Action.(*CodeBuildStep)
		if !ok || x == nil {
			continue
		}
		me := len(comps) + k
		for j, in := range x.Inputs {
			o := slices.IndexFunc(steps, func(s Step) bool { return s.Name == in })
			if o >= 0 && o != k && !graph.Before(nodes, len(comps)+o, me) {
				v.addf(fmt.Sprintf("%s[%d].Action.Inputs[%d]", path, k, j), "%q: that step does not finish before this one; place this step after it (DependsOn)", in)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(x.StackOutputs)) {
			comp, _, ok := values.StackOutputRef(x.StackOutputs[name])
			if !ok {
				continue
			}
			c := slices.IndexFunc(comps, func(c Component) bool { return c.Name == comp })
			if c >= 0 && !graph.Before(nodes, c, me) {
				v.addf(fmt.Sprintf("%s[%d].Action.StackOutputs[%q]", path, k, name), "%q: that stack does not finish before this step; run the step after it (not Before, or DependsOn the stack)", x.StackOutputs[name])
			}
		}
	}
}

// projects checks that the CodeBuild steps sharing a project agree on it.
func (v *validator) projects() {
	type first struct {
		field string
		step  *CodeBuildStep
	}
	seen := map[string]first{}
	for i, d := range v.in.Deployments {
		for k, s := range d.Steps {
			x, ok := s.Action.(*CodeBuildStep)
			if !ok || x == nil || x.ProjectName == "" {
				continue
			}
			field := fmt.Sprintf("Deployments[%d].Steps[%d].Action", i, k)
			prev, dup := seen[x.ProjectName]
			if !dup {
				seen[x.ProjectName] = first{field, x}
				continue
			}
			p := prev.step
			if p.Buildspec != x.Buildspec || p.ComputeType != x.ComputeType || p.TimeoutMinutes != x.TimeoutMinutes || p.Privileged != x.Privileged ||
				p.RoleName != x.RoleName || p.AssumeRolePattern != x.AssumeRolePattern || !maps.Equal(p.ProjectVariables, x.ProjectVariables) {
				v.addf(field+".ProjectName", "%q: is also the project of %s, which configures it otherwise (Buildspec, ComputeType, TimeoutMinutes, Privileged, RoleName, AssumeRolePattern and ProjectVariables must agree): give one of the two steps a project of its own (another ProjectName; in a configuration, rename one of the steps or the environment, whose names compose it)", x.ProjectName, v.in.name(prev.field))
			}
		}
	}
}
