package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/relaycdk/relay/constructs/internal/graph"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// Component is one entry of deploy.stacks: a CloudFormation stack, or a
// release by another strategy, that every account environment receives, in
// the order its dependsOn gives (entries without one start together).
type Component struct {
	// Name names the component's actions (Prepare-<name>, Deploy-<name>)
	// and its stack's variable namespace Deploy_<env>_<region>_<name>:
	// 2 to 31 lowercase letters, digits and hyphens, unique. Required.
	Name string `yaml:"name" json:"name"`
	// DependsOn names the components (and steps) that finish before this
	// one starts. Default: none.
	DependsOn []string `yaml:"dependsOn,omitempty" json:"dependsOn,omitempty"`
	// StackName is the stack's name, which may use ${...} placeholders.
	// Default: <name>-<component name>.
	StackName string `yaml:"stackName,omitempty" json:"stackName,omitempty"`
	// TemplatePath is the template's path in the build output (the
	// source artifact with build: none), which may use placeholders.
	// Required for a stack.
	TemplatePath string `yaml:"templatePath,omitempty" json:"templatePath,omitempty"`
	// TemplateConfiguration is the path of a template configuration file
	// in the build output, which may use placeholders. Default: none.
	TemplateConfiguration string `yaml:"templateConfiguration,omitempty" json:"templateConfiguration,omitempty"`
	// Parameters override template parameters; values may use #{...}
	// variables and ${...} placeholders. At most 1,000 characters of JSON
	// once expanded. Default: none.
	Parameters map[string]string `yaml:"parameters,omitempty" json:"parameters,omitempty"`
	// Capabilities acknowledged on the change sets. Default: none.
	Capabilities []string `yaml:"capabilities,omitempty" json:"capabilities,omitempty"`
	// ExecutionPolicy gives this stack an execution role of its own,
	// <name>-<env>-<component>-cfn-exec, with these permissions. Default:
	// the environment's execution role (deploy.executionPolicy).
	ExecutionPolicy *ExecutionPolicy `yaml:"executionPolicy,omitempty" json:"executionPolicy,omitempty"`
	// ECS, ECSBlueGreen, CodeDeploy, S3 and EKS release the component by
	// another strategy than a stack (see deploy); at most one, and at most
	// one strategy component per configuration.
	ECS          *ECSDeploy          `yaml:"ecs,omitempty" json:"ecs,omitempty"`
	ECSBlueGreen *ECSBlueGreenDeploy `yaml:"ecsBlueGreen,omitempty" json:"ecsBlueGreen,omitempty"`
	CodeDeploy   *CodeDeployDeploy   `yaml:"codeDeploy,omitempty" json:"codeDeploy,omitempty"`
	S3           *S3Deploy           `yaml:"s3,omitempty" json:"s3,omitempty"`
	EKS          *EKSDeploy          `yaml:"eks,omitempty" json:"eks,omitempty"`
}

// Release is x's strategy block as a Deploy (the shape the strategy rules
// and grants take), or a Deploy without one for a stack.
func (x Component) Release() Deploy {
	return Deploy{ECS: x.ECS, ECSBlueGreen: x.ECSBlueGreen, CodeDeploy: x.CodeDeploy, S3: x.S3, EKS: x.EKS}
}

// IsStack reports whether x is a CloudFormation stack.
func (x Component) IsStack() bool {
	d := x.Release()
	return d.IsStack()
}

// Components are what every account environment receives: deploy.stacks,
// or the one workload of deploy (stackName, templatePath, capabilities, or
// a strategy block) as a component named "", or none with deploy: none.
func (d Deploy) Components() []Component {
	if d.None {
		return nil
	}
	if len(d.Stacks) > 0 {
		return d.Stacks
	}
	return []Component{{StackName: d.StackName, TemplatePath: d.TemplatePath, Capabilities: d.Capabilities,
		ECS: d.ECS, ECSBlueGreen: d.ECSBlueGreen, CodeDeploy: d.CodeDeploy, S3: d.S3, EKS: d.EKS}}
}

// StrategyRelease is the strategy block of the component released by
// another strategy than a stack, as a Deploy, and true; or false when
// every component is a stack.
func (d Deploy) StrategyRelease() (Deploy, bool) {
	for _, x := range d.Components() {
		if !x.IsStack() {
			return x.Release(), true
		}
	}
	return Deploy{}, false
}

// HasStacks reports whether a component is a CloudFormation stack that
// uses the environment's execution role (deploy.executionPolicy).
func (d Deploy) HasStacks() bool {
	return slices.ContainsFunc(d.Components(), func(x Component) bool { return x.IsStack() && x.ExecutionPolicy == nil })
}

// componentPath is the YAML path of component k's field (deploy.stacks[k].
// field, or deploy.field for the one workload).
func (d *Deploy) componentPath(k int, field string) string {
	if len(d.Stacks) == 0 {
		return "deploy." + field
	}
	return fmt.Sprintf("deploy.stacks[%d].%s", k, field)
}

// prefixed rewrites the problems of a strategy block, which name it
// deploy.<block>, to name it deploy.stacks[k].<block>.
func prefixed(into *problems, k int, check func(q *problems)) {
	var q problems
	check(&q)
	for _, e := range q {
		e.Path = fmt.Sprintf("deploy.stacks[%d].%s", k, strings.TrimPrefix(e.Path, "deploy."))
		*into = append(*into, e)
	}
}

// stacksDefaults sets the defaults of deploy.stacks: each stack's name,
// each strategy block's.
func (c *Config) stacksDefaults(unset unsetFunc) {
	for k := range c.Deploy.Stacks {
		x := &c.Deploy.Stacks[k]
		base := fmt.Sprintf("deploy.stacks[%d].", k)
		if x.IsStack() && c.Name != "" && unset(base+"stackName", x.StackName == "") {
			x.StackName = c.Name + "-" + x.Name
		}
		at := unsetFunc(func(path string, zero bool) bool {
			return unset(base+strings.TrimPrefix(path, "deploy."), zero)
		})
		d := x.Release()
		d.strategyDefaults(at, c.Source.gitOpsValue())
	}
}

// validateStacks checks deploy.stacks: the settings of one workload are
// refused beside it, names are unique, dependencies name components and
// make no cycle, each component is a stack or one strategy, and at most one
// is a strategy. Values with placeholders are checked per environment and
// region (componentRules).
func (c *Config) validateStacks(p *problems) {
	d := &c.Deploy
	if len(d.Stacks) == 0 {
		return
	}
	moved := "with deploy.stacks, each stack has its own; move it into deploy.stacks[]"
	if d.StackName != "" {
		p.add("deploy.stackName", d.StackName, moved)
	}
	if d.TemplatePath != "" {
		p.add("deploy.templatePath", d.TemplatePath, moved)
	}
	if len(d.Capabilities) > 0 {
		p.add("deploy.capabilities", strings.Join(d.Capabilities, ","), moved)
	}
	for _, b := range d.setBlocks() {
		p.add("deploy."+b, "", "with deploy.stacks, a release strategy is one of the stacks; move it into deploy.stacks[] with a name")
	}
	first := map[string]int{}
	nodes := make([]graph.Node, len(d.Stacks))
	strategies := 0
	for k, x := range d.Stacks {
		base := fmt.Sprintf("deploy.stacks[%d]", k)
		p.add(base+".name", x.Name, listNameRule(first, "deploy.stacks", k, x.Name, "network", "stack"))
		nodes[k] = graph.Node{Name: x.Name, DependsOn: x.DependsOn}
		rel := x.Release()
		if blocks := rel.setBlocks(); len(blocks) > 1 {
			p.add(base+"."+blocks[1], "", fmt.Sprintf("deploy.stacks[%d] sets %s; choose one release strategy", k, strings.Join(blocks, " and ")))
			continue
		}
		if !x.IsStack() {
			strategies++
			if strategies > 1 {
				p.add(base+"."+rel.setBlocks()[0], "", "a configuration releases at most one component by another strategy than a stack; give the others a Relay configuration of their own")
			}
			for _, f := range []struct {
				name string
				set  bool
			}{{"stackName", x.StackName != ""}, {"templatePath", x.TemplatePath != ""}, {"templateConfiguration", x.TemplateConfiguration != ""},
				{"parameters", len(x.Parameters) > 0}, {"capabilities", len(x.Capabilities) > 0}, {"executionPolicy", x.ExecutionPolicy != nil}} {
				if f.set {
					p.add(base+"."+f.name, "", fmt.Sprintf("applies to stacks, and deploy.stacks[%d] is released by the %s strategy; remove it", k, rel.Strategy()))
				}
			}
			continue
		}
		if x.TemplatePath == "" {
			p.add(base+".templatePath", "", "required: the template's path in the build output, such as network.yaml")
		} else if !placeholderRE.MatchString(x.TemplatePath) {
			v, rule := c.artifactPath(x.TemplatePath, pathRule(x.TemplatePath, "network.yaml", "the build output"))
			p.add(base+".templatePath", v, rule)
		}
		if !placeholderRE.MatchString(x.StackName) {
			p.add(base+".stackName", x.StackName, stackNameRule(x.StackName, c.Name))
		}
		if tc := x.TemplateConfiguration; tc != "" && !placeholderRE.MatchString(tc) {
			v, rule := c.artifactPath(tc, pathRule(tc, "config/network.json", "the build output"))
			p.add(base+".templateConfiguration", v, rule)
		}
		for _, key := range slices.Sorted(maps.Keys(x.Parameters)) {
			if !values.TemplateParameterName(key) {
				p.add(base+".parameters."+key, key, "must be a template parameter name: 1 to 255 letters and digits")
			}
		}
		capabilityRulesAt(p, base+".capabilities", x.Capabilities)
		if ep := x.ExecutionPolicy; ep != nil {
			example := x.StackName
			if strings.Contains(example, "${") {
				example = c.Name + "-" + x.Name // an example without placeholders
			}
			c.policyRules(p, base+".executionPolicy", *ep, true, example)
			for i, e := range c.Environments {
				role := c.Name + "-" + e.Name + "-" + x.Name + "-cfn-exec"
				if max := limits.Max(limits.IAMRoleName); e.Account != "" && len(role) > max {
					p.add(base+".name", x.Name, fmt.Sprintf("its execution role in environments[%d] would be %s, %d characters; IAM takes at most %d: use a shorter stack or environment name, or the environment's execution role", i, role, len(role), max))
				}
			}
		}
	}
	unknown, cycle := graph.Check(nodes)
	for _, u := range unknown {
		if slices.ContainsFunc(c.Steps, func(s Step) bool { return s.Name == u.Dep }) {
			continue // a top-level step: environmentSteps checks the order
		}
		p.add(fmt.Sprintf("deploy.stacks[%d].dependsOn", u.Node), u.Dep, "names no other entry of deploy.stacks or of steps; use the name of a stack or top-level step that must finish first")
	}
	if cycle != nil {
		p.add("deploy.stacks", strings.Join(cycle, " -> "), "the dependsOn lists make a cycle, so no stack could start; remove one of these dependencies")
	}
	for i, e := range c.Environments {
		if len(e.Parameters) > 0 {
			p.add(envPath(i, "parameters"), strings.Join(slices.Sorted(maps.Keys(e.Parameters)), ","), "with deploy.stacks, parameters belong to each stack (deploy.stacks[].parameters, with ${env} or settings for per-environment values); move them there")
		}
		if e.TemplateConfiguration != "" {
			p.add(envPath(i, "templateConfiguration"), e.TemplateConfiguration, "with deploy.stacks, a template configuration belongs to each stack (deploy.stacks[].templateConfiguration, with ${env} for per-environment files); move it there")
		}
	}
}

// componentRules checks the components of environments[i] in region with
// the values they receive there (x): the names, paths and parameters
// written with placeholders once expanded, each strategy block, that a
// stack is deployed once per account and region, and that entries with
// different execution roles deploy different stack names in an environment
// (stacks remembers each, by account and region, and by account and
// environment).
func (c *Config) componentRules(p *problems, i int, region string, x Expanded, stacks map[[3]string]deployedStack) {
	d, e := &c.Deploy, c.Environments[i]
	where := fmt.Sprintf("environments[%d] %q", i, e.Name)
	if region != "" {
		where += " in " + region
	}
	raw, got := d.Components(), x.Deploy.Components()
	for k, comp := range got {
		if !comp.IsStack() {
			if kindOf(e) == "account" {
				rel := comp.Release()
				if len(d.Stacks) == 0 {
					validateStrategy(c, p, &rel, e, region, c.DeclaredQuotas())
				} else {
					prefixed(p, k, func(q *problems) { validateStrategy(c, q, &rel, e, region, c.DeclaredQuotas()) })
				}
			}
			continue
		}
		if placeholderRE.MatchString(raw[k].StackName) {
			name := comp.StackName
			switch max := limits.Max(limits.StackName); {
			case len(name) > max:
				p.add(d.componentPath(k, "stackName"), raw[k].StackName, fmt.Sprintf("expands to %q for %s, %d characters; CloudFormation takes at most %d: use shorter settings or a shorter pattern", name, where, len(name), max))
			case !stackNameRE.MatchString(name):
				p.add(d.componentPath(k, "stackName"), raw[k].StackName, fmt.Sprintf("expands to %q for %s, which %s", name, where, stackNameRule(name, c.Name)))
			}
		}
		if placeholderRE.MatchString(raw[k].TemplatePath) {
			if v, rule := c.artifactPath(comp.TemplatePath, pathRule(comp.TemplatePath, defaultTemplatePath, "the build output")); rule != "" {
				p.add(d.componentPath(k, "templatePath"), raw[k].TemplatePath, fmt.Sprintf("expands to %q for %s, which %s", v, where, rule))
			}
		}
		tcPath, tcRaw, tc := d.componentPath(k, "templateConfiguration"), raw[k].TemplateConfiguration, comp.TemplateConfiguration
		if len(d.Stacks) == 0 {
			tcPath, tcRaw, tc = envPath(i, "templateConfiguration"), e.TemplateConfiguration, x.Environment.TemplateConfiguration
		}
		if placeholderRE.MatchString(tcRaw) {
			if v, rule := c.artifactPath(tc, pathRule(tc, "config/production.json", "the build output")); rule != "" {
				p.add(tcPath, tcRaw, fmt.Sprintf("expands to %q for %s, which %s", v, where, rule))
			}
		}
		if raw, _ := json.Marshal(comp.Parameters); len(comp.Parameters) > 0 && len(raw) > limits.Max(limits.ActionConfiguration) {
			p.add(d.componentPath(k, "parameters"), strconv.Itoa(len(raw))+" characters", fmt.Sprintf("for %s; CodePipeline takes at most %d characters of parameter overrides: move parameters into templateConfiguration", where, limits.Max(limits.ActionConfiguration)))
		}
		if kindOf(e) != "account" || !values.IsAccount(e.Account) {
			continue
		}
		key, at := [3]string{e.Account, region, comp.StackName}, deployedStack{where, k}
		if prev, dup := stacks[key]; dup && prev != at {
			if len(d.Stacks) == 0 {
				p.add(envPath(i, "account"), e.Account, fmt.Sprintf("%s and %s both deploy the stack %s to account %s; a stack is deployed once per account and region: give each environment its own stack name, such as %s-${env} in deploy.stackName",
					prev.where, where, comp.StackName, e.Account, strings.ReplaceAll(raw[k].StackName, "${env}", "")))
				continue
			}
			// Name the entries when they differ, and give the ${env} hint
			// only when two environments collide.
			who, fix := fmt.Sprintf("%s and %s both deploy", prev.where, where), "give each its own stackName, with ${env} when environments share an account"
			switch {
			case prev.where == where:
				who, fix = fmt.Sprintf("deploy.stacks[%d] and deploy.stacks[%d] both deploy, for %s,", prev.component, k, where), "give each entry its own stackName"
			case prev.component != k:
				who = fmt.Sprintf("%s (deploy.stacks[%d]) and %s (deploy.stacks[%d]) both deploy", prev.where, prev.component, where, k)
			}
			p.add(d.componentPath(k, "stackName"), raw[k].StackName, fmt.Sprintf("%s the stack %s to account %s; a stack is deployed once per account and region: %s",
				who, comp.StackName, e.Account, fix))
			continue
		} else if !dup {
			stacks[key] = at
		}
		// One name of an environment, deployed by two entries in two of
		// its regions, is one stack name of its deploy role, which creates
		// change sets of a name through one execution role only.
		envKey := [3]string{e.Account, fmt.Sprintf("environments[%d]", i), comp.StackName}
		if prev, dup := stacks[envKey]; dup && prev.component != k && (raw[k].ExecutionPolicy != nil || raw[prev.component].ExecutionPolicy != nil) {
			p.add(d.componentPath(k, "stackName"), raw[k].StackName, fmt.Sprintf("%s and %s deploy the stack name %s as deploy.stacks[%d] and deploy.stacks[%d], with different execution roles; the deploy role creates change sets of a stack name through one execution role only: give each entry its own stackName",
				prev.where, where, comp.StackName, prev.component, k))
		} else if !dup {
			stacks[envKey] = at
		}
	}
}

// deployedStack is where a stack name is deployed: an environment in a
// region, and the component.
type deployedStack struct {
	where     string
	component int
}

// artifactPath checks path, a stack's template or template configuration
// path in the build output (as written, or as a placeholder expands it),
// whose rule so far is rule: CloudFormation actions take it as one action
// configuration value, <artifact>::<path>, where the artifact is the build
// output (plan.BuildArtifact, "Build"), or the source (plan.SourceArtifact,
// "Source") with build: none. It returns the value to report (its length,
// "1001 characters", when too long) and rule, or the length rule of
// actionValue; a longer path used to be refused only after aws-cdk-lib ran,
// once per action and without the config's line.
func (c *Config) artifactPath(path, rule string) (value, problem string) {
	if rule != "" {
		return path, rule
	}
	artifact := "Build"
	if c.Build.None {
		artifact = "Source"
	}
	if v, problem := actionValue(artifact+"::"+path, "", "shorten the path"); problem != "" {
		return fmt.Sprintf("%d characters", utf8.RuneCountInString(path)), fmt.Sprintf("is %s as the action's %s::<path>; %s", v, artifact, problem)
	}
	return path, ""
}
