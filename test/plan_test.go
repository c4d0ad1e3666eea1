package test

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/plan"
)

// TestPlanIsThePipeline checks, for every golden configuration, that the
// release plan is the pipeline the templates hold: the same stages, and per
// action the same name, run order, action type, region, role, artifacts and
// variable namespace. And that every configuration key of every action maps
// to a field of relay.yaml that exists (a value the configuration-value check
// could not report by its field fails here).
func TestPlanIsThePipeline(t *testing.T) {
	all := templates(t)
	for _, cfg := range goldenConfigs(t) {
		t.Run(cfg.Name, func(t *testing.T) {
			spec, err := delivery.Translate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			tpl := all[spec.Names.ToolingStack()]
			var stages []interface{}
			for _, r := range tpl["Resources"].(map[string]interface{}) {
				if r := r.(map[string]interface{}); r["Type"] == "AWS::CodePipeline::Pipeline" {
					stages = r["Properties"].(map[string]interface{})["Stages"].([]interface{})
				}
			}
			var got, want []string
			keys := 0
			for _, s := range stages {
				st := s.(map[string]interface{})
				for _, a := range st["Actions"].([]interface{}) {
					got = append(got, describeTemplateAction(fmt.Sprint(st["Name"]), a.(map[string]interface{}), cfg.Tooling.Region))
					am := a.(map[string]interface{})
					config, _ := am["Configuration"].(map[string]interface{})
					for key := range config {
						keys++
						f, ok := spec.Plan.FieldOf(fmt.Sprint(st["Name"]), fmt.Sprint(am["Name"]), key)
						switch {
						case !ok:
							t.Errorf("%s/%s: configuration key %s maps to no field", st["Name"], am["Name"], key)
						case !configPathExists(f.Path):
							t.Errorf("%s/%s: configuration key %s maps to %q, which is not a field of relay.yaml", st["Name"], am["Name"], key, f.Path)
						}
					}
				}
			}
			for _, st := range spec.Plan.Stages {
				for _, a := range st.Actions {
					want = append(want, describePlanAction(st.Name, a, cfg.Tooling.Region))
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("plan (-) and template (+) differ:\n%s", diff)
			}
			if keys == 0 {
				t.Error("no configuration keys checked")
			}
		})
	}
}

// describeTemplateAction renders an action of the template as
// "stage/name@runOrder category/provider region role in=[...] out=[...] ns".
func describeTemplateAction(stage string, a map[string]interface{}, tooling string) string {
	at := a["ActionTypeId"].(map[string]interface{})
	region := tooling
	if r, ok := a["Region"].(string); ok {
		region = r
	}
	role := "(pipeline role)"
	if r, ok := a["RoleArn"].(string); ok {
		role = r
	}
	artifacts := func(key string) []string {
		var out []string
		list, _ := a[key].([]interface{})
		for _, x := range list {
			out = append(out, fmt.Sprint(x.(map[string]interface{})["Name"]))
		}
		slices.Sort(out)
		return out
	}
	ns, _ := a["Namespace"].(string)
	return fmt.Sprintf("%s/%s@%v %s/%s %s %s in=%v out=%v %s", stage, a["Name"], a["RunOrder"], at["Category"], at["Provider"], region, role,
		artifacts("InputArtifacts"), artifacts("OutputArtifacts"), ns)
}

func describePlanAction(stage string, a plan.Action, tooling string) string {
	region, role := a.Region, a.RoleArn
	if region == "" {
		region = tooling
	}
	if role == "" {
		role = "(pipeline role)"
	}
	in, out := slices.Sorted(slices.Values(a.Inputs)), slices.Sorted(slices.Values(a.Outputs))
	typ := a.Kind.Type()
	return fmt.Sprintf("%s/%s@%d %s/%s %s %s in=%v out=%v %s", stage, a.Name, a.RunOrder, typ.Category, typ.Provider, region, role, in, out, a.Namespace)
}

var pathSegment = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9]*)((\[[0-9]*\])*)$`)

// configPathExists reports whether path (such as environments[0].parameters)
// names a field of relay.yaml, by the YAML keys of package config's types.
func configPathExists(path string) bool {
	typ := reflect.TypeOf(config.Config{})
	for _, seg := range strings.Split(path, ".") {
		for typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		if typ.Kind() == reflect.Map {
			typ = typ.Elem() // a map key, such as a variable name
			continue
		}
		m := pathSegment.FindStringSubmatch(seg)
		if m == nil || typ.Kind() != reflect.Struct {
			return false
		}
		f, ok := yamlField(typ, m[1])
		if !ok {
			return false
		}
		typ = f
		for range strings.Count(m[2], "[") {
			for typ.Kind() == reflect.Pointer {
				typ = typ.Elem()
			}
			if typ.Kind() != reflect.Slice {
				return false
			}
			typ = typ.Elem()
		}
	}
	return true
}

// yamlField is the type of the field of struct typ with YAML key key,
// looking into inlined fields.
func yamlField(typ reflect.Type, key string) (reflect.Type, bool) {
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if strings.Contains(opts, "inline") {
			if t, ok := yamlField(f.Type, key); ok {
				return t, true
			}
			continue
		}
		if name == key {
			return f.Type, true
		}
	}
	return nil, false
}
