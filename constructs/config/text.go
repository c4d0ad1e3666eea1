package config

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// textRules refuses, in every string of c (map keys included), the
// characters refusedRune names: NUL and other control characters that a
// double-quoted YAML string can carry escaped ("\0", "\e"), and the
// invisible format characters of Trojan Source (bidirectional overrides,
// embeddings and isolates, zero-width spaces). Each problem names its
// field. Tab and line breaks are allowed; fields that must be one line say
// so in their own rules.
func (c *Config) textRules(p *problems) {
	var all problems
	walkText(&all, "", reflect.ValueOf(c).Elem())
	// A default made from another field repeats its text: reported once, at
	// the field written.
	derived := map[string]string{} // derived field -> its source
	if c.Deploy.StackName == c.Name+stackNameSuffix {
		derived["deploy.stackName"] = "name"
	}
	for i, e := range c.Environments {
		if a := e.Approval; a != nil && a.Comment == approvalCommentPrefix+e.Name {
			derived[envPath(i, "approval.comment")] = envPath(i, "name")
		}
	}
	for i, h := range c.Deploy.Hooks {
		if s := h.StepFunctions; s != nil && s.ExecutionNamePrefix == h.Name {
			derived[fmt.Sprintf("deploy.hooks[%d].stepFunctions.executionNamePrefix", i)] = fmt.Sprintf("deploy.hooks[%d].name", i)
		}
	}
	reported := map[string]bool{}
	for _, e := range all {
		reported[e.Path] = true
	}
	for _, e := range all {
		if src, ok := derived[e.Path]; !ok || !reported[src] {
			*p = append(*p, e)
		}
	}
}

// walkText checks v, the field at path, and what it holds.
func walkText(p *problems, path string, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkText(p, path, v.Elem())
		}
	case reflect.String:
		p.add(path, v.String(), textRule(v.String()))
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			name, opts, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			switch {
			case !t.Field(i).IsExported() || name == "-":
			case opts == "inline":
				walkText(p, path, v.Field(i))
			default:
				walkText(p, joinPath(path, name), v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkText(p, fmt.Sprintf("%s[%d]", path, i), v.Index(i))
		}
	case reflect.Map:
		keys := slices.SortedFunc(maps.Keys(mapKeys(v)), strings.Compare)
		for _, k := range keys {
			kp := joinPath(path, k)
			if rule := textRule(k); rule != "" {
				p.add(kp, k, rule)
				continue
			}
			walkText(p, kp, v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())))
		}
	}
}

// mapKeys are the string keys of map v, as a set.
func mapKeys(v reflect.Value) map[string]bool {
	out := map[string]bool{}
	for _, k := range v.MapKeys() {
		out[k.String()] = true
	}
	return out
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// textRule refuses a control or invisible format character in s.
func textRule(s string) string {
	for _, r := range s {
		if refusedRune(r) {
			return fmt.Sprintf("contains %s; remove it", describeRune(r))
		}
	}
	return ""
}
