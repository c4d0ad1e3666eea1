package plan

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/graph"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/naming"
)

// Pipeline is a planned pipeline: every stage and action, as data.
type Pipeline struct {
	// Input is the blueprint, with its defaults applied.
	Input Input
	// Stages are the stages in order: Source, Build, Test and Scan when
	// there are suites, then the Deploy stages.
	Stages []Stage
}

// Stage is one stage of the plan.
type Stage struct {
	// Name is the stage name: Source, Build, Test, Scan, or Deploy-<wave>
	// with -<k> when a wave is split.
	Name string
	// Actions run in the stage, in RunOrder.
	Actions []Action
	// Freeze, when set, disables the transition into the stage with this
	// reason (the first frozen deployment of a wave freezes its first
	// stage).
	Freeze string
	// Rollback makes a failed stage roll back to the last successful
	// execution; false when every deployment in it disables rollback (and
	// outside the Deploy stages).
	Rollback bool
	// Window and Alarms are the stage's entry conditions, gathered from
	// its wave's deployments (first stage of a wave only).
	Window *Window
	Alarms []string
}

// Action is one action of the plan.
type Action struct {
	// Name is unique within the stage.
	Name string
	// RunOrder orders the action within its stage (1 to 999).
	RunOrder int
	// Kind is what the action does.
	Kind Kind
	// Deployment indexes Input.Deployments, or is -1 outside the Deploy
	// stages.
	Deployment int
	// Account is the account the action acts in: "" for the pipeline's.
	Account string
	// Region is the action's region: "" for the pipeline's.
	Region string
	// RoleArn is the role the action runs as: "" for the pipeline role.
	RoleArn string
	// Inputs and Outputs are artifact names (SourceArtifact,
	// BuildArtifact, Source_<extra source>).
	Inputs, Outputs []string
	// Namespace is the action's variable namespace, unique in the
	// pipeline, or "".
	Namespace string
	// Field names the input the action came from, such as
	// Deployments[2].Hooks[0] (or the caller's path, see Input.Paths).
	Field string
	// Configuration maps each CodePipeline configuration key the action
	// may set to the input field that drives it.
	Configuration map[string]Field
}

// Field is the input field behind an action configuration value.
type Field struct {
	// Path names the field, such as environments[0].parameters.
	Path string
	// Fix says how to shorten the value when it passes its quota; "" for a
	// value of bounded length.
	Fix string
}

// New validates in, applies its defaults and plans it. The error lists
// every problem at once (errors.Join), each naming its field by the
// caller's path: a blueprint that does not fit CodePipeline's quotas (stages
// per pipeline, actions per stage, composed names) is refused with the field
// and the fix, and so is a variable reference in a field of in (without
// Paths) that cannot resolve when its action runs (checkReferences).
func New(in Input) (*Pipeline, error) {
	d := withDefaults(in)
	v := &validator{in: &d}
	v.noBuild(in)
	v.validate()
	if len(v.errs) > 0 {
		return nil, v.err()
	}
	p := &planner{in: &d}
	stages := []Stage{p.sourceStage()}
	if !d.NoBuild {
		stages = append(stages, p.buildStage())
	}
	if d.SelfUpdate != nil {
		stages = append(stages, p.updatePipelineStage())
	}
	if len(d.Tests) > 0 {
		stages = append(stages, p.suiteStage("Test", d.Tests, nil))
	}
	if sc := d.Scan; sc != nil {
		var scanners []Suite
		for _, s := range sc.Scanners {
			if s.Preset != "" {
				s = PresetSuite(s, sc.FailOn)
			}
			scanners = append(scanners, s)
		}
		stages = append(stages, p.suiteStage("Scan", scanners, map[string]string{
			"RELAY_FAIL_ON":    sc.FailOn,
			"RELAY_SEVERITIES": strings.Join(severitiesFrom(sc.FailOn), ","),
		}))
	}
	if d.Assets != nil {
		stages = append(stages, p.assetsStage())
	}
	fixed := len(stages)
	deploy := p.deployStages()
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	stages = append(stages, deploy...)
	if max := limits.Max(limits.PipelineStages); len(stages) > max {
		var names []string
		for _, s := range stages[:fixed] {
			names = append(names, s.Name)
		}
		// Source alone when there is no Build stage.
		list := names[len(names)-1]
		if len(names) > 1 {
			list = strings.Join(names[:len(names)-1], ", ") + " and " + list
		}
		return nil, fmt.Errorf("%s: %d deploy stages plus %s make %d stages; a pipeline has at most %d: %s",
			d.name("Deployments"), len(deploy), list, len(stages), max, p.splitAdvice(max-fixed))
	}
	// CodePipeline refuses a stage without actions; wave never plans one,
	// and this keeps it so.
	for _, st := range stages {
		if len(st.Actions) == 0 {
			return nil, fmt.Errorf("%s: stage %s has no action; a CodePipeline stage needs at least one (this is a bug in the release plan: please report it with the blueprint)", d.name("Deployments"), st.Name)
		}
	}
	pl := &Pipeline{Input: d, Stages: stages}
	if err := pl.checkNames(); err != nil {
		return nil, err
	}
	if err := pl.checkInputs(); err != nil {
		return nil, err
	}
	if err := pl.checkReferences(); err != nil {
		return nil, err
	}
	return pl, nil
}

// planner builds the stages of a validated Input.
type planner struct {
	in   *Input
	errs []error
}

// fields returns a function that names the field at Go path base+suffix.
func (p *planner) fields(base string) func(suffix string) Field {
	return func(suffix string) Field { return Field{Path: p.in.name(base + suffix)} }
}

// fix is the field at Go path with a fix.
func (p *planner) fix(path, format string, a ...any) Field {
	return Field{Path: p.in.name(path), Fix: fmt.Sprintf(format, a...)}
}

// pathField is f, a path in an input artifact, with the fix of a path
// over CodePipeline's 1,000 characters per action configuration value.
func pathField(f Field) Field {
	f.Fix = "shorten the path"
	return f
}

// buildStage plans the Build stage.
func (p *planner) buildStage() Stage {
	b := &p.in.Build
	vars := sourceEnvironment(p.in.Source, true)
	for name, v := range b.EnvironmentVariables {
		if s, ok := v.(PlainText); ok && HasReference(string(s)) {
			vars[name] = string(s)
		}
	}
	inputs := []string{SourceArtifact}
	for _, x := range p.in.ExtraSources {
		inputs = append(inputs, SourceArtifact+"_"+x.Name)
	}
	f := p.fields("Build")
	return Stage{Name: "Build", Actions: []Action{{
		Name: "Build", RunOrder: 1, Kind: &BuildAction{Build: b, Variables: vars}, Deployment: -1,
		Inputs: inputs, Outputs: []string{BuildArtifact}, Namespace: BuildVariables, Field: p.in.name("Build"),
		Configuration: map[string]Field{
			"ProjectName":   f(".ProjectName"),
			"PrimarySource": Field{Path: p.in.name("Source")},
			"EnvironmentVariables": p.fix("Build.EnvironmentVariables",
				"the variables that refer to #{...} go on the action: shorten their values, or give constant values without references (they go on the project)"),
		},
	}}}
}

// HasReference reports whether s refers to a variable (#{namespace.name}),
// which only an action (not a CodeBuild project) resolves.
func HasReference(s string) bool { return strings.Contains(s, "#{") }

// suiteStage plans the Test or Scan stage: one action per suite.
func (p *planner) suiteStage(stage string, suites []Suite, env map[string]string) Stage {
	base := "Tests"
	if stage == "Scan" {
		base = "Scan.Scanners"
	}
	st := Stage{Name: stage}
	for i, s := range suites {
		field := fmt.Sprintf("%s[%d]", base, i)
		vars := sourceEnvironment(p.in.Source, false)
		maps.Copy(vars, env)
		input := SourceArtifact
		if s.Input == "build" {
			input = p.in.Deployable()
		}
		f := p.fields(field)
		envField := f("")
		if stage == "Scan" {
			envField = Field{Path: p.in.name("Scan.FailOn")}
		}
		st.Actions = append(st.Actions, Action{
			Name: s.Name, RunOrder: s.RunOrder, Kind: &SuiteAction{Stage: stage, Suite: s, Variables: vars}, Deployment: -1,
			Inputs: []string{input}, Field: p.in.name(field),
			Configuration: map[string]Field{"ProjectName": f(".ProjectName"), "EnvironmentVariables": envField, "PrimarySource": f(".Input")},
		})
	}
	return st
}

var (
	actionNameRE = regexp.MustCompile(`^[A-Za-z0-9.@_-]+$`)
	namespaceRE  = regexp.MustCompile(`^[A-Za-z0-9@_-]+$`)
)

// checkNames checks what CodePipeline requires of the composed names:
// stage and action names within their length and alphabet, stage names
// unique per pipeline, action names unique per stage, namespaces unique per pipeline, StackSet names within
// CloudFormation's limit and alphabet (limits.CheckName, with its AWS source).
func (pl *Pipeline) checkNames() error {
	in := &pl.Input
	var errs []error
	namespaces := map[string]string{}
	stages := map[string]string{}
	for _, st := range pl.Stages {
		field := in.name("Deployments")
		if len(st.Actions) > 0 && st.Actions[0].Deployment >= 0 {
			i := st.Actions[0].Deployment
			field = in.name(fmt.Sprintf("Deployments[%d].Name", i))
			if in.Deployments[i].Wave != "" {
				field = in.name(fmt.Sprintf("Deployments[%d].Wave", i))
			}
		}
		if max := limits.Max(limits.StageName); len(st.Name) > max || !actionNameRE.MatchString(st.Name) {
			errs = append(errs, fmt.Errorf("%s: stage name %q has %d characters; CodePipeline takes at most %d letters, digits and .@_-: use a shorter wave or environment name",
				field, st.Name, len(st.Name), max))
		}
		if prev, dup := stages[st.Name]; dup {
			errs = append(errs, fmt.Errorf("%s: stage name %q is also the stage of %s; CodePipeline takes each stage name once: give it another name",
				field, st.Name, prev))
		}
		stages[st.Name] = field
		actions := map[string]bool{}
		for _, a := range st.Actions {
			if values.IsToken(a.Name) {
				errs = append(errs, fmt.Errorf("%s: action name %q in stage %s holds a token, which stays unknown at synth; give the regions and names it is made of as text", a.Field, a.Name, st.Name))
			} else if max := limits.Max(limits.ActionName); len(a.Name) > max || !actionNameRE.MatchString(a.Name) {
				errs = append(errs, fmt.Errorf("%s: action name %q in stage %s has %d characters; CodePipeline takes at most %d letters, digits and .@_-: use shorter names",
					a.Field, a.Name, st.Name, len(a.Name), max))
			}
			if actions[a.Name] {
				errs = append(errs, fmt.Errorf("%s: action name %q is used twice in stage %s; give it another name", a.Field, a.Name, st.Name))
			}
			actions[a.Name] = true
			if a.Namespace == "" {
				continue
			}
			if values.IsToken(a.Namespace) {
				errs = append(errs, fmt.Errorf("%s: variable namespace %q holds a token, which stays unknown at synth; give the regions and names it is made of as text", a.Field, a.Namespace))
			} else if max := limits.Max(limits.Namespace); len(a.Namespace) > max || !namespaceRE.MatchString(a.Namespace) {
				errs = append(errs, fmt.Errorf("%s: variable namespace %q has %d characters; CodePipeline takes at most %d letters, digits and @_-: use shorter names",
					a.Field, a.Namespace, len(a.Namespace), max))
			}
			if prev, dup := namespaces[a.Namespace]; dup {
				errs = append(errs, fmt.Errorf("%s: variable namespace %q is also set by %s; a namespace is unique per pipeline", a.Field, a.Namespace, prev))
			}
			namespaces[a.Namespace] = a.Field
		}
	}
	for i := range in.Deployments {
		d := &in.Deployments[i]
		if n := d.StackSetName(); n != "" {
			if rule := limits.CheckName(limits.StackSetName, n); rule != "" {
				errs = append(errs, fmt.Errorf("%s, %s: StackSet name %q (<stack name>-<name>) %s: use a shorter stack or environment name",
					in.name(d.releasePath(i, "")+".Name"), in.name(fmt.Sprintf("Deployments[%d].Name", i)), n, rule))
			}
		}
	}
	return errors.Join(errs...)
}

// deployStages plans the Deploy stages, one or more per wave.
func (p *planner) deployStages() []Stage {
	deps := p.in.Deployments
	var stages []Stage
	for start := 0; start < len(deps); {
		wave := deps[start].WaveName()
		end := start + 1
		for end < len(deps) && deps[end].WaveName() == wave {
			end++
		}
		stages = append(stages, p.wave(start, end, wave)...)
		start = end
	}
	return stages
}

// wave plans deployments [start, end), one wave: its approvals first, then
// each deployment's actions per region, split into consecutive stages at
// the actions-per-stage quota (a region's actions stay in one stage).
func (p *planner) wave(start, end int, wave string) []Stage {
	in := p.in
	deps := in.Deployments
	max := limits.Max(limits.StageActions)
	single := end-start == 1
	name := func(verb string, i int, region string) string {
		n := verb
		if !single {
			n += "-" + deps[i].Name
		}
		if region != "" {
			n += "-" + region
		}
		return n
	}
	var approvals []Action
	for i := start; i < end; i++ {
		if a := deps[i].Approval; a != nil {
			field := fmt.Sprintf("Deployments[%d].Approval", i)
			f := p.fields(field)
			approvals = append(approvals, Action{
				Name: name("Approve", i, ""), RunOrder: 1, Kind: &ApprovalAction{Approval: a}, Deployment: i, Field: in.name(field),
				Configuration: map[string]Field{
					"NotificationArn":    f(".TopicName"),
					"CustomData":         p.fix(field+".Comment", "shorten the comment"),
					"ExternalEntityLink": p.fix(field+".ReviewURL", "use a shorter link"),
				},
			})
		}
	}
	if len(approvals) > max {
		p.errs = append(p.errs, fmt.Errorf("%s: wave %q has %d approvals; a CodePipeline stage holds at most %d actions: approve the wave once (an approval on its first environment only)",
			in.name(fmt.Sprintf("Deployments[%d].Approval", start)), wave, len(approvals), max))
		return nil
	}
	var stages []Stage
	cur := Stage{Actions: approvals}
	base := 1
	if len(approvals) > 0 {
		base = 2
	}
	push := func(n int) {
		if len(cur.Actions)+n > max && len(cur.Actions) > 0 {
			stages = append(stages, cur)
			cur, base = Stage{}, 1
		}
	}
	for i := start; i < end; i++ {
		d := &deps[i]
		if _, tooling := d.Target.(*PipelineAccount); IsStackSet(d.Target) || tooling {
			acts := p.onceActions(i)
			if len(acts) > max {
				p.errs = append(p.errs, fmt.Errorf("%s: %s gets %d actions; a CodePipeline stage holds at most %d actions: run fewer steps",
					in.name(d.stepsPath(i, "")), in.name(fmt.Sprintf("Deployments[%d]", i)), len(acts), max))
				continue
			}
			push(len(acts))
			for _, a := range acts {
				a.Name = name(a.Name, i, "")
				a.RunOrder += base
				cur.Actions = append(cur.Actions, a)
			}
			continue
		}
		for _, r := range d.Regions {
			steps := p.regionActions(i, r)
			if len(steps) > max {
				p.errs = append(p.errs, p.regionOverflow(i, r, len(steps), max))
				continue
			}
			push(len(steps))
			for _, a := range steps {
				a.Name = name(a.Name, i, r)
				a.RunOrder += base
				cur.Actions = append(cur.Actions, a)
			}
		}
	}
	if len(cur.Actions) > 0 {
		stages = append(stages, cur)
	}
	if len(stages) == 0 {
		return nil
	}
	for i := start; i < end; i++ {
		d := &deps[i]
		if d.Freeze != "" && stages[0].Freeze == "" {
			stages[0].Freeze = d.Freeze
		}
		if d.Window != nil && stages[0].Window == nil {
			stages[0].Window = d.Window
		}
		stages[0].Alarms = append(stages[0].Alarms, d.NoAlarms...)
	}
	stages[0].Alarms = values.SortedUnique(stages[0].Alarms)
	if len(stages[0].Alarms) == 0 {
		stages[0].Alarms = nil
	}
	// Each deployment's own fit (validator.deployment); together, the
	// wave's deployments may still pass the condition's rules.
	if rule := conditionRules(stages[0].Alarms, stages[0].Window != nil, " of its deployments"); rule != "" {
		last := start
		for i := start; i < end; i++ {
			if len(deps[i].NoAlarms) > 0 {
				last = i
			}
		}
		p.errs = append(p.errs, fmt.Errorf("%s: wave %q is one stage: %s",
			in.name(fmt.Sprintf("Deployments[%d].NoAlarms", last)), wave, rule))
	}
	for k := range stages {
		for _, a := range stages[k].Actions {
			stages[k].Rollback = stages[k].Rollback || !deps[a.Deployment].DisableRollback
		}
		stages[k].Name = "Deploy-" + wave
		if len(stages) > 1 {
			stages[k].Name = fmt.Sprintf("Deploy-%s-%d", wave, k+1)
		}
	}
	return stages
}

// stackSetAction is deployment i's StackSet action, named by its verb.
func (p *planner) stackSetAction(i int) Action {
	in := p.in
	d := &in.Deployments[i]
	_, of, _, _ := stackSet(d.Target)
	field := fmt.Sprintf("Deployments[%d]", i)
	f := p.fields(field)
	targets := p.fix(field+".Target.IDs", "split the %s across deployments that extend this StackSet (%s)", in.name(field+".Target.IDs"), in.name(field+".Target.StackSetOf"))
	common := map[string]Field{
		"DeploymentTargets":          targets,
		"Regions":                    p.fix(field+".Regions", "split the regions across deployments"),
		"MaxConcurrentPercentage":    f(".Target.Rollout.MaxConcurrentPercentage"),
		"FailureTolerancePercentage": f(".Target.Rollout.FailureTolerancePercentage"),
	}
	if of != "" {
		j := slices.IndexFunc(in.Deployments, func(o Deployment) bool { return o.Name == of })
		common["StackSetName"] = f(".Target.StackSetOf")
		return Action{
			Name: "AddStackInstances", Deployment: i, Field: in.name(field),
			Kind:          &AddStackInstances{StackSetName: in.Deployments[j].StackSetName(), Target: d.Target},
			Configuration: common,
		}
	}
	rel := d.releasePath(i, "")
	r := p.fields(rel)
	s := d.Release.(*Stack)
	cfg := maps.Clone(common)
	maps.Copy(cfg, map[string]Field{
		"StackSetName":                r(".Name"),
		"TemplatePath":                pathField(r(".TemplatePath")),
		"Capabilities":                r(".Capabilities"),
		"PermissionModel":             f(".Target"),
		"OrganizationsAutoDeployment": f(".Target"),
		"AdministrationRoleArn":       f(".Target.AdministrationRoleArn"),
		"ExecutionRoleName":           f(".Target.ExecutionRoleName"),
	})
	return Action{
		Name: "DeployStackSet", Deployment: i, Field: in.name(field),
		Kind:          &DeployStackSet{Stack: s, StackSetName: d.StackSetName(), Target: d.Target},
		Inputs:        []string{in.Deployable()},
		Configuration: cfg,
	}
}

// regionActions are deployment i's actions in region r, named by their
// verb, each with its run order relative to the region's first action (0):
// the before hooks one after another, then the components, each as soon as
// the components it depends on have finished (so that independent ones run
// in parallel), then the after hooks one after another.
func (p *planner) regionActions(i int, r string) []Action {
	in := p.in
	d := &in.Deployments[i]
	acct := d.Target.(*Account)
	var out []Action
	slot := 0
	hooks := d.HooksIn(r)
	hooksPath := d.hooksPath(i, r)
	runHooks := func(before bool) {
		for k, h := range hooks {
			if h.Before != before {
				continue
			}
			field := fmt.Sprintf("%s[%d]", hooksPath, k)
			a := Action{
				Name: "Hook-" + h.Name, RunOrder: slot, Deployment: i, Account: acct.ID, Region: r, RoleArn: acct.InvokeRoleArn,
				Namespace: naming.HookNamespace(d.Name, r, h.Name), Field: in.name(field),
			}
			h.Invoke.plan(&a, &invokeContext{p: p, path: field + ".Invoke", f: p.fields(field + ".Invoke"), hook: h.Name})
			out = append(out, a)
			slot++
		}
	}
	runHooks(true)
	comps, steps := d.ComponentsIn(r), d.StepsIn(r)
	var acts [][]Action
	for k, c := range comps {
		acts = append(acts, p.releaseActions(i, r, k, c))
	}
	acts = append(acts, p.stepActions(i, r)...)
	placed, total := schedule(nodes(comps, steps), acts, slot)
	out = append(out, placed...)
	slot += total
	runHooks(false)
	return out
}

// onceActions are the actions of deployment i when it runs once rather
// than per region (a StackSet, or steps in the pipeline's account), named
// by their verb, with run orders relative to the first (0).
func (p *planner) onceActions(i int) []Action {
	d := &p.in.Deployments[i]
	var comps []Component
	var acts [][]Action
	if IsStackSet(d.Target) {
		comps = []Component{{Release: d.Release}}
		acts = append(acts, []Action{p.stackSetAction(i)})
	}
	acts = append(acts, p.stepActions(i, "")...)
	placed, _ := schedule(nodes(comps, d.StepsIn("")), acts, 0)
	return placed
}

// schedule gives each node's actions (acts, indexed like nodes) run orders
// from slot on: a node starts as soon as those it depends on have finished,
// its actions one after another. It returns the actions in node order and
// the run orders used.
func schedule(nodes []graph.Node, acts [][]Action, slot int) ([]Action, int) {
	starts, total := graph.Starts(nodes, func(k int) int { return len(acts[k]) })
	var out []Action
	for k := range nodes {
		for j, a := range acts[k] {
			a.RunOrder = slot + starts[k] + j
			out = append(out, a)
		}
	}
	return out, total
}

// releaseActions are the actions of component k (c) of deployment i in
// region r, named <verb>-<component> (or <verb> for the one Release).
func (p *planner) releaseActions(i int, r string, k int, c Component) []Action {
	d := &p.in.Deployments[i]
	rel := d.componentPath(i, r, k)
	acts := c.Release.actions(&releaseContext{
		p: p, i: i, d: d, acct: d.Target.(*Account), region: r, component: c.Name, path: rel, f: p.fields(rel),
		deployed: func(a Action) Action {
			a.Deployment, a.Account, a.Region, a.RoleArn = i, d.Target.(*Account).ID, r, d.Target.(*Account).DeployRoleArn
			return a
		},
	})
	if c.Name != "" {
		for j := range acts {
			acts[j].Name += "-" + c.Name
		}
	}
	return acts
}

// releaseContext is what a release kind plans its actions in: deployment i
// (d) in an Account target, in region, with its release at Go path path,
// as its component named component ("" for the one Release).
type releaseContext struct {
	p         *planner
	i         int
	d         *Deployment
	acct      *Account
	region    string
	component string
	path      string
	f         func(suffix string) Field
	deployed  func(Action) Action
}

// namespace is the variable namespace of the release's stack outputs.
func (c *releaseContext) namespace() string {
	return naming.StackNamespace(c.d.Name, c.region, c.component)
}

// field is the caller's name of the release's own path.
func (c *releaseContext) field(suffix string) string { return c.p.in.name(c.path + suffix) }

// deploy is the one deploy action of a release: named Deploy, run as the
// deploy role in the account and region, reading the build output.
func (c *releaseContext) deploy(k Kind, config map[string]Field) Action {
	return c.deployed(Action{Name: "Deploy", Kind: k, Inputs: []string{c.p.in.Deployable()}, Field: c.field(""), Configuration: config})
}

// splitAdvice says how to fit the deployments into deployStages stages, or
// into how many pipelines.
func (p *planner) splitAdvice(deployStages int) string {
	deps := p.in.Deployments
	max := limits.Max(limits.StageActions)
	actions := 0
	for i := range deps {
		d := &deps[i]
		if _, tooling := d.Target.(*PipelineAccount); IsStackSet(d.Target) || tooling {
			actions += len(p.onceActions(i))
		} else {
			for _, r := range d.Regions {
				actions += len(p.regionActions(i, r))
			}
		}
		if d.Approval != nil {
			actions++
		}
	}
	need := (actions + max - 1) / max
	if need > deployStages {
		pipelines := (need + deployStages - 1) / deployStages
		return fmt.Sprintf("their %d actions need at least %d full stages; split the environments across at least %d pipelines (Relay configurations)", actions, need, pipelines)
	}
	per := (len(deps) + deployStages - 1) / deployStages
	return fmt.Sprintf("put environments that may deploy together in one wave (%s): waves of %d or more environments fit", p.in.name("Deployments[].Wave"), per)
}

// regionOverflow is the error of deployment i's region r, whose total
// actions do not fit a stage of max actions, naming what can absorb the
// overflow: its steps, its hooks (each alone), its components (when their
// release actions alone overflow), or its steps and hooks together.
func (p *planner) regionOverflow(i int, r string, total, max int) error {
	in, d := p.in, &p.in.Deployments[i]
	n, h := len(d.StepsIn(r)), len(d.HooksIn(r))
	rel := total - n - h
	dep := in.name(fmt.Sprintf("Deployments[%d]", i))
	switch {
	case n > 0 && total-n <= max:
		return fmt.Errorf("%s: %s gets %d actions in %s (%d steps, %d hooks and %d release actions); a CodePipeline stage holds at most %d actions: run at most %d steps per region, or combine steps into one CodeBuild step or Step Functions state machine",
			in.name(d.stepsPath(i, r)), dep, total, r, n, h, rel, max, max-(total-n))
	case n == 0 && h > 0 && total-h <= max:
		return fmt.Errorf("%s: %s gets %d actions in %s (%d hooks and %d release actions); a CodePipeline stage holds at most %d actions: run at most %d hooks per region, or combine hooks into one Step Functions state machine",
			in.name(d.hooksPath(i, r)), dep, total, r, h, rel, max, max-(total-h))
	case rel > max:
		room := max - n - h
		if room < 0 {
			room = 0
		}
		return fmt.Errorf("%s: %s gets %d actions in %s (%d steps, %d hooks and %d release actions of %d components); a CodePipeline stage holds at most %d actions: leave at most %d release actions in one region (a stack takes 2: Prepare and Deploy): release fewer, larger stacks (nested stacks count as one)",
			in.name(fmt.Sprintf("Deployments[%d].Components", i)), dep, total, r, n, h, rel, len(d.ComponentsIn(r)), max, room)
	default:
		return fmt.Errorf("%s: %s gets %d actions in %s (%d steps, %d hooks and %d release actions); a CodePipeline stage holds at most %d actions: run at most %d steps and hooks together per region, or combine them into one CodeBuild step or Step Functions state machine",
			in.name(d.stepsPath(i, r)), dep, total, r, n, h, rel, max, max-rel)
	}
}
