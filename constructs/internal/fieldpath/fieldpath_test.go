package fieldpath_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/internal/fieldpath"
)

type target struct{ ID string }

type deployment struct {
	Name   string
	Target *target
}

type props struct {
	Deployments []deployment
	Replicas    map[string]string
	Source      any
}

type source struct{ ConnectionArn string }

// TestProblem follows pointers, interfaces, slices and maps through the
// values of the props, and names the first part of the path that does not
// exist.
func TestProblem(t *testing.T) {
	p := &props{
		Deployments: []deployment{{Name: "staging", Target: &target{ID: "t"}}, {Name: "production"}},
		Replicas:    map[string]string{"eu-west-1": "bucket"},
		Source:      &source{},
	}
	tests := []struct{ line, want string }{
		{`Deployments[0].Target.ID "": required`, ""},
		{`Deployments[1].Name "x": bad`, ""},
		{`Deployments[2].Name "": required`, "[2]: []fieldpath_test.deployment has no such element"},
		{`Deployments[1].Target.ID "": required`, ".ID: below a nil value"},
		{`Deployments[0].Target.Name "": required`, ".Name: fieldpath_test.target has no field Name"},
		{`Replicas["eu-west-1"]: bad`, ""},
		{`Replicas["us-west-2"]: bad`, `["us-west-2"]: no such key`},
		{`Source.ConnectionArn "x": must be an ARN`, ""},
		{`Source.Connection.ConnectionArn "x": must be an ARN`, ".Connection: fieldpath_test.source has no field Connection"},
		{`Deployments.Name: bad`, ".Name: []fieldpath_test.deployment is not a struct"},
		{`environments[0].name "": required`, "no Go path at the start of the message"},
	}
	for _, tt := range tests {
		if got := fieldpath.Problem(reflect.ValueOf(p), tt.line); got != tt.want {
			t.Errorf("Problem(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

// TestCheck reports each line of the error whose path names no field, after
// the "pkg.Props: " prefix of the first line.
func TestCheck(t *testing.T) {
	p := &props{Deployments: []deployment{{Name: "staging"}}}
	tests := []struct {
		name  string
		err   error
		fails bool
	}{
		{"nil error", nil, false},
		{"every path exists", errors.New("pipeline.Props: Deployments[0].Name \"\": required\nReplicas: bad"), false},
		{"one path does not", errors.New("pipeline.Props: Deployments[0].Name \"\": required\nDeployments[0].Region: bad"), true},
		{"no path", errors.New("pipeline.Props: something is wrong"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			fieldpath.Check(rec, p, tt.err)
			if rec.failed != tt.fails {
				t.Errorf("Check failed = %v, want %v", rec.failed, tt.fails)
			}
		})
	}
}

// recorder is a testing.TB that records Errorf instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()                       {}
func (r *recorder) Errorf(string, ...interface{}) { r.failed = true }

// TestStrings finds the strings the filter keeps at the Go paths that
// Problem accepts, in a stable order, without entering constructs or
// unexported fields.
func TestStrings(t *testing.T) {
	type Construct interface{}
	type construct struct {
		Construct // embedded, as constructs.Construct in a construct's struct
		Name      string
	}
	type statement struct {
		Resources  []string
		Conditions map[string]map[string][]string
		hidden     string
	}
	type all struct {
		Deployments []deployment
		Statements  []statement
		Stores      []*construct
		Source      any
	}
	p := &all{
		Deployments: []deployment{{Name: "x-staging", Target: &target{ID: "x-1"}}, {Name: "production", Target: nil}},
		Statements: []statement{{Resources: []string{"*", "x-arn"}, hidden: "x-hidden",
			Conditions: map[string]map[string][]string{"StringLike": {"b": {"x-b"}, "a": {"x-a"}}, "Bool": {"c": {"x-c"}}}}},
		Stores: []*construct{{Name: "x-store"}, nil},
		Source: &source{ConnectionArn: "x-conn"},
	}
	keep := func(s string) bool { return strings.HasPrefix(s, "x-") }
	var got []string
	for _, v := range fieldpath.Strings(p, keep) {
		got = append(got, v.Path+"="+v.Text)
		if why := fieldpath.Problem(reflect.ValueOf(p), v.Path+": x"); why != "" {
			t.Errorf("path %s: %s", v.Path, why)
		}
	}
	want := []string{
		"Deployments[0].Name=x-staging",
		"Deployments[0].Target.ID=x-1",
		"Statements[0].Resources[1]=x-arn",
		`Statements[0].Conditions["Bool"]["c"][0]=x-c`,
		`Statements[0].Conditions["StringLike"]["a"][0]=x-a`,
		`Statements[0].Conditions["StringLike"]["b"][0]=x-b`,
		"Source.ConnectionArn=x-conn",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Strings() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
