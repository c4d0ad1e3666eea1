package plan

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"

	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// checkReferences reports every variable reference (#{namespace.name}) in
// the input fields behind the configuration of pl's actions that cannot
// resolve when its action runs: the namespace must be set by an action of
// an earlier stage, or of the same stage at a lower run order; variables
// must name a declared pipeline variable; codepipeline has only
// PipelineExecutionId; a source's variable must be one it sets (S3, ECR,
// CodeCommit), or not a documented one in another case (a connection
// source's CommitID)
// (limits.Resolve, which limits.CheckTemplate applies to the written
// templates).
//
// It reads the fields by their Go paths, so it runs only for a caller
// that names fields by Go path (no Input.Paths): a caller with paths of
// its own (package delivery, whose config checks every reference first)
// is checked on its templates.
func (pl *Pipeline) checkReferences() error {
	in := pl.Input
	if len(in.Paths) > 0 {
		return nil
	}
	declared := map[string]bool{}
	for _, v := range in.Variables {
		declared[v.Name] = true
	}
	type setter struct {
		limits.Setter
		where string
	}
	set := map[string]setter{}
	for i, st := range pl.Stages {
		for _, a := range st.Actions {
			if a.Namespace != "" {
				t := a.Kind.Type()
				set[a.Namespace] = setter{limits.NewSetter(t.Category, t.Provider, i, a.RunOrder), fmt.Sprintf("action %s of stage %s", a.Name, st.Name)}
			}
		}
	}
	var errs []error
	seen := map[string]bool{}
	for i, st := range pl.Stages {
		for _, a := range st.Actions {
			keys := make([]string, 0, len(a.Configuration))
			for k := range a.Configuration {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				path := a.Configuration[k].Path
				for _, s := range stringsAt(reflect.ValueOf(in), path) {
					for _, m := range values.VariableRef.FindAllStringSubmatch(s, -1) {
						ref, ns, name := m[0], m[1], m[2]
						why, fix := "", "refer to a namespace that an earlier action sets, or declare the variable in Variables"
						p, ok := set[ns]
						var s *limits.Setter
						if ok {
							s = &p.Setter
						}
						switch limits.Resolve(ns, name, declared[name], s, i, a.RunOrder) {
						case limits.UndeclaredVariable:
							why = fmt.Sprintf("refers to pipeline variable %q, which Variables does not declare", name)
						case limits.UnknownExecutionVariable:
							why = fmt.Sprintf("refers to %q of namespace codepipeline, which sets only PipelineExecutionId", name)
						case limits.UnsetNamespace:
							why = fmt.Sprintf("refers to namespace %q, which no action of the pipeline sets", ns)
						case limits.LaterNamespace:
							why = fmt.Sprintf("refers to namespace %q, which %s sets, and that action does not run before action %s of stage %s", ns, p.where, a.Name, st.Name)
						case limits.UnsetVariable, limits.MisspelledVariable:
							why, fix = limits.UnsetVariableRule(name, p.where, s)
						case limits.MalformedReference:
							why, fix = limits.MalformedRule, limits.MalformedFix
						}
						if e := fmt.Sprintf("%s: %s %s: CodePipeline could not resolve it when the action runs; %s", path, ref, why, fix); why != "" && !seen[e] {
							seen[e] = true
							errs = append(errs, errors.New(e))
						}
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

// pathStep matches one step of a Go path: .Field, [n] or ["key"].
var pathStep = regexp.MustCompile(`^(?:\.?([A-Za-z][A-Za-z0-9]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\])`)

// stringsAt are the strings of the value at Go path in v: a string, or
// the strings of a []string, map[string]string or map of BuildVariable
// (their PlainText values); nil for a path that does not resolve or
// another kind of value (a struct is not searched: its other fields may
// be rendered elsewhere, where CodePipeline resolves nothing).
func stringsAt(v reflect.Value, path string) []string {
	for path != "" {
		for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return nil
			}
			v = v.Elem()
		}
		m := pathStep.FindStringSubmatch(path)
		if m == nil {
			return nil
		}
		path = path[len(m[0]):]
		switch {
		case m[1] != "":
			if v.Kind() != reflect.Struct {
				return nil
			}
			v = v.FieldByName(m[1])
		case m[2] != "":
			n, _ := strconv.Atoi(m[2])
			if v.Kind() != reflect.Slice || n >= v.Len() {
				return nil
			}
			v = v.Index(n)
		default:
			key, err := strconv.Unquote(`"` + m[3] + `"`)
			if err != nil || v.Kind() != reflect.Map || v.Type().Key().Kind() != reflect.String {
				return nil
			}
			v = v.MapIndex(reflect.ValueOf(key).Convert(v.Type().Key()))
		}
		if !v.IsValid() {
			return nil
		}
	}
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return []string{v.String()}
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.String {
			return nil
		}
		out := make([]string, v.Len())
		for i := range out {
			out[i] = v.Index(i).String()
		}
		return out
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil
		}
		var out []string
		for _, k := range v.MapKeys() {
			e := v.MapIndex(k)
			if e.Kind() == reflect.Interface {
				// A BuildVariable: only a PlainText value goes on the
				// action, where CodePipeline resolves references.
				if e.IsNil() || e.Elem().Type() != reflect.TypeOf(PlainText("")) {
					continue
				}
				e = e.Elem()
			}
			if e.Kind() == reflect.String {
				out = append(out, e.String())
			}
		}
		slices.Sort(out)
		return out
	}
	return nil
}
