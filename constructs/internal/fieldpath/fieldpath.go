// Package fieldpath checks that the Go paths starting the problems of a
// Validate error (Deployments[2].Target.ID, Replicas["eu-west-1"]) name
// fields that exist in the props, so that a message never sends a caller
// to a field that is not there. It is plain Go (reflect), so that the
// tests of packages without jsii, such as plan, use it without linking
// aws-cdk-lib; relaytest.FieldPaths is the same check for teams.
package fieldpath

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Check checks that every problem of err (one per line, as Validate
// methods report them, after a "pkg.Props: " prefix) starts with a Go path
// that names a field of props as it is: Deployments[2].Target.ID,
// Replicas["eu-west-1"], Source.ConnectionArn (pointers, interfaces,
// slices and maps are followed through their values). A message whose path
// names no field, or that starts with no path, is reported with the reason.
func Check(t testing.TB, props any, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, line := range strings.Split(prefixRE.ReplaceAllString(err.Error(), ""), "\n") {
		if why := Problem(reflect.ValueOf(props), line); why != "" {
			t.Errorf("%s\nnames no field of %T: %s", line, props, why)
		}
	}
}

var (
	prefixRE = regexp.MustCompile(`^[a-z]+\.[A-Z]\w*: `)
	pathRE   = regexp.MustCompile(`^[A-Z]\w*((\.[A-Z]\w*)|(\[\d+\])|(\["[^"]*"\]))*`)
	partRE   = regexp.MustCompile(`\.?[A-Z]\w*|\[[^\]]*\]`)
)

// Problem checks that the Go path line starts with names a field of v,
// and returns the problem, or "" when it does.
func Problem(v reflect.Value, line string) string {
	path := pathRE.FindString(line)
	if path == "" {
		return "no Go path at the start of the message"
	}
	for _, part := range partRE.FindAllString(path, -1) {
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				return fmt.Sprintf("%s: below a nil value", part)
			}
			v = v.Elem()
		}
		switch {
		case strings.HasPrefix(part, `["`):
			if v.Kind() != reflect.Map {
				return fmt.Sprintf("%s: %s is not a map", part, v.Type())
			}
			key := reflect.ValueOf(strings.Trim(part, `[]"`))
			if !v.MapIndex(key).IsValid() {
				return fmt.Sprintf("%s: no such key", part)
			}
			v = v.MapIndex(key)
		case strings.HasPrefix(part, "["):
			i, _ := strconv.Atoi(strings.Trim(part, "[]"))
			if v.Kind() != reflect.Slice || i >= v.Len() {
				return fmt.Sprintf("%s: %s has no such element", part, v.Type())
			}
			v = v.Index(i)
		default:
			name := strings.TrimPrefix(part, ".")
			if v.Kind() != reflect.Struct {
				return fmt.Sprintf("%s: %s is not a struct", part, v.Type())
			}
			f := v.FieldByName(name)
			if !f.IsValid() {
				return fmt.Sprintf("%s: %s has no field %s", part, v.Type(), name)
			}
			v = f
		}
	}
	return ""
}

// Value is a string of props at its Go path, as Tokens finds it.
type Value struct {
	// Path is the Go path, such as Deployments[0].Target.DeployRoleArn or
	// ExecutionStatements[1].Conditions["StringEquals"]["aws:SourceArn"][0].
	Path string
	// Text is the string as props hold it.
	Text string
}

// Strings returns every string of props for which keep is true, with its
// Go path, walking exported struct fields, pointers, interfaces, slices,
// arrays and maps (keys in sorted order). It does not enter a struct that
// embeds a field named Construct (a construct, such as *artifacts.Store,
// whose fields are jsii's), nor unexported fields.
func Strings(props any, keep func(string) bool) []Value {
	var out []Value
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.String:
			if s := v.String(); keep(s) {
				out = append(out, Value{Path: path, Text: s})
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case reflect.Map:
			keys := v.MapKeys()
			sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
			for _, k := range keys {
				walk(v.MapIndex(k), fmt.Sprintf("%s[%q]", path, fmt.Sprint(k)))
			}
		case reflect.Struct:
			t := v.Type()
			if f, ok := t.FieldByName("Construct"); ok && f.Anonymous {
				return
			}
			for i := range t.NumField() {
				f := t.Field(i)
				if !f.IsExported() {
					continue
				}
				p := f.Name
				if path != "" {
					p = path + "." + f.Name
				}
				walk(v.Field(i), p)
			}
		}
	}
	walk(reflect.ValueOf(props), "")
	return out
}
