package pipeline

import (
	"fmt"
	"maps"
	"reflect"

	"github.com/relaycdk/relay/constructs/plan"
)

// Settings that configure a project several actions share are taken from
// the first action rendered (helmProject, runProject): the same setting
// written otherwise on another of them would be dropped. checkSharedProjects
// refuses it instead, for the sharing the renderer does on its own:
//   - one Helm project per deployment (helmProject), whatever the regions
//     and components: Helm.ProjectName and Helm.RoleName;
//   - one project per stepProjectKey (runProject): a step without
//     ProjectName keeps its project in every region of its deployment, and
//     a ProjectName equal to such a generated key joins that project.
//
// Action settings (Helm's Cluster, Release, Chart, Namespace, ValuesFile,
// Set; a step's EnvironmentVariables, StackOutputs) go on each action, and a
// step project's role gathers every step's Inputs, Output, AssumeRoleArn and
// AssumeRolePattern: those stay free per region. Named steps of
// Deployments[i].Steps that share a ProjectName are plan's (projects) to
// check; this check reports a pair only where the plan's does not.

// stepProjectKey is the key of the project that runs CodeBuild step x,
// named name, of deployment d: its ProjectName, or <d>-<name>, which also
// names the project's constructs (Step-<key>) and log streams.
func stepProjectKey(d, name string, x *plan.CodeBuildStep) string {
	if x.ProjectName != "" {
		return x.ProjectName
	}
	return d + "-" + name
}

// helmAt is a Helm release of a deployment with the Go path of its release.
type helmAt struct {
	field string
	helm  *plan.HelmRelease
}

// renderedHelm are the Helm releases deployment d (at Go path f) runs, in
// the order they are rendered: per region of Regions, its release or its
// components' (with that region's Regional replacements).
func renderedHelm(f string, d *plan.Deployment) []helmAt {
	var out []helmAt
	add := func(field string, r plan.Release) {
		if x, ok := r.(*plan.EKSRelease); ok && x != nil && x.Helm != nil {
			out = append(out, helmAt{field, x.Helm})
		}
	}
	for _, r := range d.Regions {
		if len(d.Components) == 0 {
			field := f + ".Release"
			if x, ok := d.Regional[r]; ok && x.Release != nil {
				field = fmt.Sprintf("%s.Regional[%q].Release", f, r)
			}
			add(field, d.ReleaseIn(r))
			continue
		}
		for k, c := range d.ComponentsIn(r) {
			field := fmt.Sprintf("%s.Components[%d].Release", f, k)
			if x, ok := d.Regional[r].Releases[c.Name]; ok && !nilRelease(x) {
				field = fmt.Sprintf("%s.Regional[%q].Releases[%q]", f, r, c.Name)
			}
			add(field, c.Release)
		}
	}
	return out
}

// nilRelease reports whether r is nil or a nil pointer (which
// Deployment.ComponentsIn leaves out).
func nilRelease(r plan.Release) bool {
	if r == nil {
		return true
	}
	v := reflect.ValueOf(r)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// stepAt is a CodeBuild step of a deployment with its Go path.
type stepAt struct {
	field string
	// regional is whether it comes from Regional[r].Steps.
	regional bool
	name     string
	step     *plan.CodeBuildStep
}

// renderedSteps are the CodeBuild steps deployment d (at Go path f) runs,
// in the order they are rendered: Steps once (a StackSet or the pipeline's
// account), or per region of Regions its Steps or Regional[r].Steps, each
// list once.
func renderedSteps(f string, d *plan.Deployment) []stepAt {
	var out []stepAt
	add := func(field string, regional bool, steps []plan.Step) {
		for j, s := range steps {
			if x, ok := s.Action.(*plan.CodeBuildStep); ok && x != nil {
				out = append(out, stepAt{fmt.Sprintf("%s[%d].Action", field, j), regional, s.Name, x})
			}
		}
	}
	_, tooling := d.Target.(*plan.PipelineAccount)
	if plan.IsStackSet(d.Target) || tooling {
		add(f+".Steps", false, d.Steps)
		return out
	}
	own := false
	for _, r := range d.Regions {
		if x, ok := d.Regional[r]; ok && x.Steps != nil {
			add(fmt.Sprintf("%s.Regional[%q].Steps", f, r), true, x.Steps)
		} else if !own {
			own = true
			add(f+".Steps", false, d.Steps)
		}
	}
	return out
}

// setting is one project setting of a step or Helm release, as the project
// receives it (Go field name and value).
type setting struct {
	name  string
	value any
}

// stepSettings are the settings of step x that configure its project
// (runProject), with the compute type the project receives (x's, or
// Build.ComputeType).
func stepSettings(x *plan.CodeBuildStep, build plan.Build) []setting {
	compute := x.ComputeType
	if compute == "" {
		compute = build.ComputeType
	}
	return []setting{{"ProjectName", x.ProjectName}, {"RoleName", x.RoleName}, {"Buildspec", x.Buildspec},
		{"ComputeType", compute}, {"TimeoutMinutes", x.TimeoutMinutes}, {"Privileged", x.Privileged},
		{"ProjectVariables", x.ProjectVariables}}
}

// equalSetting compares two values of one setting.
func equalSetting(a, b any) bool {
	if x, ok := a.(map[string]plan.BuildVariable); ok {
		return maps.Equal(x, b.(map[string]plan.BuildVariable))
	}
	return a == b
}

// quote shows a setting's value: strings quoted, "" as generated or unset.
func quote(v any) string {
	switch x := v.(type) {
	case string:
		if x == "" {
			return `"" (generated or unset)`
		}
		return fmt.Sprintf("%q", x)
	case map[string]plan.BuildVariable:
		if len(x) == 0 {
			return "none"
		}
		return fmt.Sprintf("%v", x)
	}
	return fmt.Sprint(v)
}

// checkSharedProjects refuses a Helm or step setting in (defaulted) that
// the project it runs in would ignore: it names the field, its value, the
// action whose value the project takes, and the fix.
func checkSharedProjects(in plan.Input) []error {
	var errs []error
	for i, d := range in.Deployments {
		f := fmt.Sprintf("Deployments[%d]", i)
		helm := renderedHelm(f, &d)
		for _, h := range helm[min(1, len(helm)):] {
			first := helm[0]
			for _, s := range []struct {
				name     string
				got, was string
			}{{"ProjectName", h.helm.ProjectName, first.helm.ProjectName}, {"RoleName", h.helm.RoleName, first.helm.RoleName}} {
				if s.got != s.was {
					errs = append(errs, fmt.Errorf("%s.Helm.%s %s: ignored: a deployment has one Helm project for all its regions and components, configured by %s.Helm (%s %s); set the same %s on each Helm release of %s",
						h.field, s.name, quote(s.got), first.field, s.name, quote(s.was), s.name, f))
				}
			}
		}
	}
	type first struct {
		stepAt
		deployment string
	}
	seen := map[string]first{}
	for i, d := range in.Deployments {
		for _, s := range renderedSteps(fmt.Sprintf("Deployments[%d]", i), &d) {
			key := stepProjectKey(d.Name, s.name, s.step)
			was, ok := seen[key]
			if !ok {
				seen[key] = first{s, d.Name}
				continue
			}
			if !s.regional && !was.regional && s.step.ProjectName != "" && was.step.ProjectName != "" {
				continue // plan's projects check reports it
			}
			if s.step.ProjectName != was.step.ProjectName {
				named, generated, dep := s, was.stepAt, was.deployment
				if named.step.ProjectName == "" {
					named, generated, dep = was.stepAt, s, d.Name
				}
				errs = append(errs, fmt.Errorf("%s.ProjectName %q: is the key of the project of step %q of deployment %q (%s, without ProjectName): both steps would run in one project, configured by the first; choose another ProjectName",
					named.field, named.step.ProjectName, generated.name, dep, generated.field))
				continue
			}
			why, fix := "steps with the same ProjectName share one project", "or give this step another ProjectName"
			if s.step.ProjectName == "" {
				why, fix = "a step without ProjectName has one project for all regions of its deployment", "or give this regional step a ProjectName of its own"
			}
			ws := stepSettings(was.step, in.Build)
			for k, g := range stepSettings(s.step, in.Build) {
				if !equalSetting(g.value, ws[k].value) {
					errs = append(errs, fmt.Errorf("%s.%s %s: ignored: %s, configured by %s (%s %s); set the same %s, %s",
						s.field, g.name, quote(g.value), why, was.field, g.name, quote(ws[k].value), g.name, fix))
				}
			}
		}
	}
	return errs
}
