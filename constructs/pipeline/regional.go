package pipeline

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/plan"
)

// checkRegional refuses what a deployment's Regional replacements leave
// unused, so that it is not accepted and then dropped. The renderer takes
// a region's release, components, hooks and steps from Regional[r] where
// set (Deployment.ReleaseIn, ComponentsIn, HooksIn, StepsIn), and runs a
// StackSet or *PipelineAccount deployment once, with its own Release and
// Steps (plan's onceActions). So it refuses, in in (defaulted):
//   - Release, Components[k].Release, Hooks or Steps of an Account
//     deployment that every region of Regions replaces;
//   - Regional[r].Release of a deployment with Components (a component is
//     replaced by Regional[r].Releases);
//   - Regional[r].Release and Regional[r].Steps of a StackSet deployment
//     (plan refuses its Regional Hooks and Releases);
//   - any Regional[r] of a *PipelineAccount deployment, which has no
//     regions.
//
// Each error names the field, its value and the fix.
func checkRegional(in plan.Input) []error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	for i, d := range in.Deployments {
		f := fmt.Sprintf("Deployments[%d]", i)
		keys := slices.Sorted(maps.Keys(d.Regional))
		_, tooling := d.Target.(*plan.PipelineAccount)
		for _, r := range keys {
			if x := d.Regional[r]; !tooling && x.Release == nil && len(x.Releases) == 0 && x.Hooks == nil && x.Steps == nil {
				add("%s.Regional[%q]: replaces nothing (no Release, Releases, Hooks or Steps), so the deployment runs its own settings there; remove it, or set what %s runs instead",
					f, r, r)
			}
		}
		switch {
		case tooling:
			for _, r := range keys {
				add("%s.Regional[%q]: ignored: a *PipelineAccount deployment runs its Steps once, in the pipeline's region, and has no Regions to replace them in; remove it, and put the steps in %s.Steps",
					f, r, f)
			}
			continue
		case plan.IsStackSet(d.Target):
			for _, r := range keys {
				x := d.Regional[r]
				if !nilRelease(x.Release) {
					add("%s.Regional[%q].Release %s: ignored: a StackSet deployment deploys %s.Release, one template with one set of parameters, to all of its Regions at once; remove it",
						f, r, kindOf(x.Release), f)
				}
				if x.Steps != nil {
					add("%s.Regional[%q].Steps %s: ignored: a StackSet deployment runs %s.Steps once, from the pipeline's region, not per region; remove it, and put what runs in %s.Steps",
						f, r, stepNames(x.Steps), f, f)
				}
			}
			continue
		}
		if len(d.Components) > 0 {
			for _, r := range keys {
				if x := d.Regional[r].Release; !nilRelease(x) {
					add("%s.Regional[%q].Release %s: ignored: a deployment with Components releases each component, which Regional[%q].Releases[\"<component>\"] replaces; move it there",
						f, r, kindOf(x), r)
				}
			}
		}
		// everywhere reports whether every region of d replaces a setting.
		everywhere := func(replaces func(plan.Regional) bool) bool {
			return len(d.Regions) > 0 && !slices.ContainsFunc(d.Regions, func(r string) bool {
				x, ok := d.Regional[r]
				return !ok || !replaces(x)
			})
		}
		regions := strings.Join(d.Regions, ", ")
		unused := func(field, value, noun, regional string) {
			add("%s.%s %s: ignored: every region of %s.Regions (%s) replaces it under Regional; make it the %s of one region, such as %s, and remove Regional[%q].%s",
				f, field, value, f, regions, noun, d.Regions[0], d.Regions[0], regional)
		}
		if !nilRelease(d.Release) && len(d.Components) == 0 && everywhere(func(x plan.Regional) bool { return !nilRelease(x.Release) }) {
			unused("Release", kindOf(d.Release), "release", "Release")
		}
		for k, c := range d.Components {
			if !nilRelease(c.Release) && everywhere(func(x plan.Regional) bool { return !nilRelease(x.Releases[c.Name]) }) {
				unused(fmt.Sprintf("Components[%d].Release", k), kindOf(c.Release), "release", fmt.Sprintf("Releases[%q]", c.Name))
			}
		}
		if len(d.Hooks) > 0 && everywhere(func(x plan.Regional) bool { return x.Hooks != nil }) {
			names := make([]string, len(d.Hooks))
			for k, h := range d.Hooks {
				names[k] = h.Name
			}
			unused("Hooks", fmt.Sprintf("%q", names), "hooks", "Hooks")
		}
		if len(d.Steps) > 0 && everywhere(func(x plan.Regional) bool { return x.Steps != nil }) {
			unused("Steps", stepNames(d.Steps), "steps", "Steps")
		}
	}
	return errs
}

// kindOf names the kind of release r, such as *Stack.
func kindOf(r plan.Release) string {
	t := fmt.Sprintf("%T", r)
	if k := strings.LastIndex(t, "."); k >= 0 {
		return "*" + t[k+1:]
	}
	return t
}

// stepNames are the names of steps, quoted.
func stepNames(steps []plan.Step) string {
	names := make([]string, len(steps))
	for k, s := range steps {
		names[k] = s.Name
	}
	return fmt.Sprintf("%q", names)
}
