package fieldpath_test

import (
	"errors"
	"reflect"
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
