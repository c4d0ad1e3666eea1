package plan

import (
	"fmt"
	"maps"
	"reflect"

	"github.com/relaycdk/relay/constructs/internal/defaults"
)

func def(v *string, d string) {
	if *v == "" {
		*v = d
	}
}

func defInt(v *int, d int) {
	if *v == 0 {
		*v = d
	}
}

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

// withDefaults is a copy of in with every default applied; in is not
// changed (nested values are copied where a default is set).
func withDefaults(in Input) Input {
	in.Source = sourceDefaults(in.Source)
	extra := make([]ExtraSource, len(in.ExtraSources))
	for i, x := range in.ExtraSources {
		extra[i] = ExtraSource{Name: x.Name, Source: sourceDefaults(x.Source)}
	}
	in.ExtraSources = extra
	b := &in.Build
	def(&b.Buildspec, defaults.Buildspec)
	def(&b.ComputeType, defaults.ComputeType)
	def(&b.Image, defaults.Image)
	def(&b.Cache, defaults.Cache)
	defInt(&b.TimeoutMinutes, defaults.BuildTimeoutMinutes)
	defInt(&b.LogRetentionDays, defaults.LogRetentionDays)
	def(&in.ExecutionMode, defaults.ExecutionMode)
	suites := func(ss []Suite) []Suite {
		out := make([]Suite, len(ss))
		for i, s := range ss {
			def(&s.Input, defaults.SuiteInput)
			defInt(&s.RunOrder, defaults.RunOrder)
			if s.Reports != nil {
				r := *s.Reports
				def(&r.Format, defaults.ReportFormat)
				s.Reports = &r
			}
			out[i] = s
		}
		return out
	}
	in.Tests = suites(in.Tests)
	if in.Scan != nil {
		sc := *in.Scan
		def(&sc.FailOn, defaults.FailOn)
		sc.Scanners = suites(sc.Scanners)
		in.Scan = &sc
	}
	if in.SelfUpdate != nil {
		in.SelfUpdate = in.SelfUpdate.withDefaults()
	}
	if in.Assets != nil {
		in.Assets = in.Assets.withDefaults(in.Deployments)
	}
	deps := make([]Deployment, len(in.Deployments))
	for i, d := range in.Deployments {
		d.Target = targetDefaults(d.Target)
		d.Release = releaseDefaults(d.Release, in.Source)
		if len(d.Components) > 0 {
			comps := make([]Component, len(d.Components))
			for k, c := range d.Components {
				c.Release = releaseDefaults(c.Release, in.Source)
				comps[k] = c
			}
			d.Components = comps
		}
		d.Hooks = hookDefaults(d.Hooks)
		d.Steps = stepDefaults(d.Steps, d.Name, in.NoBuild)
		if len(d.Regional) > 0 {
			regional := maps.Clone(d.Regional)
			for r, x := range regional {
				x.Release = releaseDefaults(x.Release, in.Source)
				x.Hooks = hookDefaults(x.Hooks)
				x.Steps = stepDefaults(x.Steps, d.Name, in.NoBuild)
				if len(x.Releases) > 0 {
					releases := maps.Clone(x.Releases)
					for name, rel := range releases {
						releases[name] = releaseDefaults(rel, in.Source)
					}
					x.Releases = releases
				}
				regional[r] = x
			}
			d.Regional = regional
		}
		if d.Approval != nil {
			a := *d.Approval
			def(&a.Comment, defaults.ApprovalCommentPrefix+d.Name)
			defInt(&a.TimeoutMinutes, defaults.ApprovalTimeoutMinutes)
			d.Approval = &a
		}
		if d.Window != nil {
			w := *d.Window
			def(&w.TimeZone, defaults.TimeZone)
			d.Window = &w
		}
		deps[i] = d
	}
	in.Deployments = deps
	return in
}

func targetDefaults(t Target) Target {
	if isNil(t) {
		return t
	}
	switch x := t.(type) {
	case *Account:
		c := *x
		return &c
	case *StackSetAccounts:
		c := *x
		defInt(&c.Rollout.MaxConcurrentPercentage, defaults.MaxConcurrentPercentage)
		return &c
	case *OrganizationalUnits:
		c := *x
		defInt(&c.Rollout.MaxConcurrentPercentage, defaults.MaxConcurrentPercentage)
		return &c
	case *PipelineAccount:
		c := *x
		return &c
	}
	return t
}

// releaseDefaults is r with its defaults; an EKS release's GitOps value
// defaults to the primary source src's revision (gitOpsValue).
func releaseDefaults(r Release, src Source) Release {
	if isNil(r) {
		return r
	}
	r = r.withDefaults()
	if x, ok := r.(*EKSRelease); ok && x.GitOps != nil && x.GitOps.Value == "" {
		x.GitOps.Value = gitOpsValue(src) // a copy: withDefaults copied GitOps
	}
	return r
}

func hookDefaults(hooks []Hook) []Hook {
	if hooks == nil {
		return nil
	}
	out := make([]Hook, len(hooks))
	for i, h := range hooks {
		if !isNil(h.Invoke) {
			h.Invoke = h.Invoke.withDefaults(h.Name)
		}
		out[i] = h
	}
	return out
}

// isNil reports whether v is nil or holds a nil pointer (a typed nil, such
// as Release((*Stack)(nil))), for any kind of the sealed interfaces.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	r := reflect.ValueOf(v)
	return r.Kind() == reflect.Pointer && r.IsNil()
}
