package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/graph"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/naming"
)

// validateReferences checks every #{namespace.name} in fields CodePipeline
// resolves: the namespace must be set by an action that runs earlier, a
// pipeline variable must be declared, of the namespace codepipeline,
// which CodePipeline sets for every action, only PipelineExecutionId
// exists, and a source's variable must be one its action sets (an S3, ECR
// or CodeCommit source), or, for a connection source, not one AWS
// documents in another case (limits.VariableName; as
// limits.CheckTemplate reads the written templates).
func (c *Config) validateReferences(p *problems) {
	declared := map[string]bool{}
	for _, v := range c.Pipeline.Variables {
		declared[v.Name] = true
	}
	known := map[string]bool{"SourceVariables": true}
	// The variables each source's action sets, as limits knows them: a
	// fixed set, or (a connection source's) the documented names, checked
	// for spelling.
	sources := map[string]*limits.Setter{"SourceVariables": c.Source.setter()}
	for _, x := range c.ExtraSources {
		known["SourceVariables_"+x.Name] = true
		sources["SourceVariables_"+x.Name] = x.Source.setter()
	}
	// Variables whose value is known at synth (a CodeCommit source's
	// branch): not free text inside JSON.
	fixedValues := map[string]bool{}
	branch := func(s Source) string {
		if s.CodeCommit != nil {
			return s.CodeCommit.Branch
		}
		return ""
	}
	values.SourceFixedVariables(fixedValues, "SourceVariables", branch(c.Source))
	for _, x := range c.ExtraSources {
		values.SourceFixedVariables(fixedValues, "SourceVariables_"+x.Name, branch(x.Source))
	}
	check := func(path, value string, known map[string]bool) {
		p.add(path, value, jsonReferenceRule(path, value, fixedValues))
		for _, m := range values.VariableRef.FindAllStringSubmatch(value, -1) {
			ns, name := m[1], m[2]
			switch {
			case !limits.ReferencePart(ns) || !limits.ReferencePart(name):
				p.add(path, value, fmt.Sprintf("%q %s; %s", m[0], limits.MalformedRule, limits.MalformedFix))
			case ns == "codepipeline" && name != "PipelineExecutionId":
				p.add(path, value, fmt.Sprintf("refers to %q of namespace codepipeline, which sets only PipelineExecutionId; use #{codepipeline.PipelineExecutionId}", name))
			case ns == "codepipeline":
				// Set by CodePipeline for every action of an execution:
				// no action runs first (CodePipeline User Guide,
				// "Variables reference", namespace codepipeline).
			case ns == "variables" && !declared[name]:
				p.add(path, value, fmt.Sprintf("refers to pipeline variable %q, which pipeline.variables does not declare", name))
			case ns != "variables" && !known[ns]:
				names := make([]string, 0, len(known))
				for k := range known {
					names = append(names, k)
				}
				slices.Sort(names)
				p.add(path, value, fmt.Sprintf("refers to namespace %q, which no earlier action sets; known here: %s, variables", ns, strings.Join(names, ", ")))
			case sources[ns] != nil && limits.VariableName(name, sources[ns]) != limits.Resolves:
				rule, fix := limits.UnsetVariableRule(name, "the source of namespace "+ns, sources[ns])
				p.add(path, value, rule+"; "+fix)
			}
		}
	}
	names := make([]string, 0, len(c.Build.EnvironmentVariables))
	for n := range c.Build.EnvironmentVariables {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		check("build.environmentVariables."+n+".value", c.Build.EnvironmentVariables[n].Value, known)
	}
	if !c.Build.None {
		known["BuildVariables"] = true
	}
	// An environment sees the namespaces of the stages before its own: the
	// deploy actions of earlier environments outside its wave.
	for i, e := range c.Environments {
		visible := maps.Clone(known)
		for _, prev := range c.Environments[:i] {
			if (e.Wave != "" && prev.Wave == e.Wave) || prev.Account == "" {
				continue
			}
			for _, r := range prev.Regions {
				for _, x := range c.Deploy.Components() {
					if x.IsStack() {
						visible[naming.StackNamespace(prev.Name, r, x.Name)] = true
					}
				}
				for _, h := range c.Deploy.Hooks {
					visible[naming.HookNamespace(prev.Name, r, h.Name)] = true
				}
			}
		}
		for j, prev := range c.Environments[:i] {
			if e.Wave != "" && prev.Wave == e.Wave {
				continue
			}
			steps, _ := c.StepsOf(j)
			for _, r := range c.stepRegions(j) {
				for _, s := range steps {
					if s.Approval == nil {
						visible[naming.StepNamespace(prev.Name, r, s.Name)] = true
					}
				}
			}
		}
		if e.Account != "" {
			// Hooks and the EKS release expand settings: check what each
			// region receives, since a setting may carry a reference.
			for _, r := range e.Regions {
				x, errs := c.expand(i, r)
				if len(errs) > 0 {
					continue // reported by the deploy section
				}
				for k, h := range x.Deploy.Hooks {
					b := fmt.Sprintf("deploy.hooks[%d]", k)
					if h.Lambda != nil {
						check(b+".lambda.userParameters", h.Lambda.UserParameters, visible)
					}
					if h.StepFunctions != nil {
						for _, key := range slices.Sorted(maps.Keys(h.StepFunctions.Input)) {
							check(b+".stepFunctions.input."+key, h.StepFunctions.Input[key], visible)
						}
					}
				}
				for k, comp := range x.Deploy.Components() {
					eks := comp.EKS
					if eks != nil && eks.GitOps != nil {
						check(x.Deploy.componentPath(k, "eks.gitops.value"), eks.GitOps.Value, visible)
					}
					if eks != nil && eks.Helm != nil {
						for _, key := range slices.Sorted(maps.Keys(eks.Helm.Set)) {
							check(x.Deploy.componentPath(k, "eks.helm.set."+key), eks.Helm.Set[key], visible)
						}
					}
				}
			}
		}
		if a := e.Approval; a != nil {
			check(envPath(i, "approval.comment"), a.Comment, visible)
			check(envPath(i, "approval.reviewUrl"), a.ReviewURL, visible)
		}
		for _, k := range slices.Sorted(maps.Keys(e.Parameters)) {
			check(envPath(i, "parameters."+k), e.Parameters[k], visible)
		}
		c.stepReferences(i, visible, check)
		if e.Account == "" || len(c.Deploy.Stacks) == 0 {
			continue
		}
		// A stack's parameters may also read the outputs of the stacks of
		// its environment that finish before it, in the same region.
		nodes := make([]graph.Node, len(c.Deploy.Stacks))
		for k, x := range c.Deploy.Stacks {
			nodes[k] = graph.Node{Name: x.Name, DependsOn: x.DependsOn}
		}
		for _, r := range e.Regions {
			x, errs := c.expand(i, r)
			if len(errs) > 0 {
				continue // reported by the deploy section
			}
			for k, comp := range x.Deploy.Stacks {
				here := maps.Clone(visible)
				for j, other := range c.Deploy.Stacks {
					if other.IsStack() && graph.Before(nodes, j, k) {
						here[naming.StackNamespace(e.Name, r, other.Name)] = true
					}
				}
				for _, key := range slices.Sorted(maps.Keys(comp.Parameters)) {
					check(fmt.Sprintf("deploy.stacks[%d].parameters.%s", k, key), comp.Parameters[key], here)
				}
			}
		}
	}
}

// stepRegions are the regions environments[i]'s steps run once per: its
// regions, or "" for an environment that runs them once.
func (c *Config) stepRegions(i int) []string {
	if kindOf(c.Environments[i]) == "account" {
		return c.Environments[i].Regions
	}
	return []string{""}
}

// stepReferences checks the #{namespace.name} references of environments[i]'s
// steps, once expanded in each region: visible namespaces, and those of the
// environment's stacks and steps that finish before the step.
func (c *Config) stepReferences(i int, visible map[string]bool, check func(path, value string, known map[string]bool)) {
	e := c.Environments[i]
	_, paths := c.StepsOf(i)
	if len(paths) == 0 {
		return
	}
	nodes := c.stepGraph(i)
	parts := len(nodes) - len(paths)
	comps := c.Deploy.Components()
	if c.Deploy.None || kindOf(e) == "tooling" {
		comps = nil
	}
	for _, r := range c.stepRegions(i) {
		x, errs := c.expand(i, r)
		if len(errs) > 0 {
			continue // reported by the deploy section
		}
		var steps []Step
		if kindOf(e) != "tooling" {
			steps = append(steps, x.Steps...)
		}
		steps = append(steps, x.Environment.Steps...)
		for k, s := range steps {
			here := maps.Clone(visible)
			for j := range nodes {
				if j == parts+k || !graph.Before(nodes, j, parts+k) {
					continue
				}
				switch {
				case j < parts && kindOf(e) == "account" && comps[j].IsStack():
					here[naming.StackNamespace(e.Name, r, comps[j].Name)] = true
				case j >= parts && steps[j-parts].Approval == nil:
					here[naming.StepNamespace(e.Name, r, steps[j-parts].Name)] = true
				}
			}
			switch {
			case s.CodeBuild != nil:
				for _, name := range slices.Sorted(maps.Keys(s.CodeBuild.EnvironmentVariables)) {
					check(paths[k]+".codeBuild.environmentVariables."+name+".value", s.CodeBuild.EnvironmentVariables[name].Value, here)
				}
			case s.Lambda != nil:
				check(paths[k]+".lambda.userParameters", s.Lambda.UserParameters, here)
			case s.StepFunctions != nil:
				for _, key := range slices.Sorted(maps.Keys(s.StepFunctions.Input)) {
					check(paths[k]+".stepFunctions.input."+key, s.StepFunctions.Input[key], here)
				}
			case s.Approval != nil:
				check(paths[k]+".approval.comment", s.Approval.Comment, here)
				check(paths[k]+".approval.reviewUrl", s.Approval.ReviewURL, here)
			}
		}
	}
}

// jsonDocument names the JSON document of an action's configuration that
// the field at path is part of, or "" when the field is not in one: stack
// parameters (ParameterOverrides), a state machine's input map (Input), and
// a Lambda's UserParameters when written as JSON.
func jsonDocument(path, value string) string {
	switch {
	case strings.Contains(path, ".parameters."):
		return "the CloudFormation parameter overrides (ParameterOverrides)"
	case strings.Contains(path, ".stepFunctions.input."):
		return "the state machine's input (Input)"
	case strings.HasSuffix(path, ".lambda.userParameters") && values.JSONDocument(value):
		return "the function's JSON UserParameters"
	}
	return ""
}

// jsonReferenceRule refuses a reference to a free-text variable
// (values.FreeTextReference) inside a JSON document of an action's
// configuration (jsonDocument). CodePipeline resolves #{namespace.name} by putting the
// value in as it is: a quote in it ends the JSON string, and what follows
// becomes keys of the caller's choice (another stack parameter, another
// input field), or makes the document invalid (aws/aws-cdk#31213, #8458).
// Relay cannot encode a value that only exists at run time there; the
// build can check it and export it. fixed are the variables whose value is
// known at synth (values.SourceFixedVariables).
func jsonReferenceRule(path, value string, fixed map[string]bool) string {
	if strings.Contains(path, ".eks.helm.set.") || strings.HasSuffix(path, ".eks.gitops.value") {
		return values.StepValueReferenceRule(value, fixed)
	}
	doc := jsonDocument(path, value)
	if doc == "" {
		return ""
	}
	ref, who := values.FreeTextReference(value, fixed)
	if ref == "" {
		return ""
	}
	return fmt.Sprintf("uses %s, whose value %s chooses, inside %s: CodePipeline puts a variable's value into the document without encoding it, so a quote in the value would end the string and add keys; "+
		"pass it through the build instead: a build environment variable such as RELEASE_TAG: {value: \"%s\"}, which the buildspec checks and exports (env: exported-variables), then #{BuildVariables.RELEASE_TAG} here",
		ref, who, doc, ref)
}
