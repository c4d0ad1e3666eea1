package plan

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStringsAt pins how checkReferences reads a field by its Go path:
// strings, string lists and maps, and only the PlainText values of build
// variables; structs are not searched, and a path that does not resolve
// yields nothing.
func TestStringsAt(t *testing.T) {
	in := Input{
		Build: Build{EnvironmentVariables: map[string]BuildVariable{
			"A": PlainText("#{SourceVariables.CommitId}"), "B": Parameter("/x/#{y.z}"), "C": PlainText("plain"),
		}},
		Deployments: []Deployment{{
			Name:     "staging",
			Approval: &Approval{Comment: "see #{variables.release}"},
			Release:  &Stack{Name: "orders-app", ParameterOverrides: map[string]string{"Image": "#{BuildVariables.IMAGE}"}},
			Regional: map[string]Regional{"eu-west-1": {Release: &Stack{Name: "orders-eu"}}},
		}},
	}
	tests := []struct {
		path string
		want []string
	}{
		{"Build.EnvironmentVariables", []string{"#{SourceVariables.CommitId}", "plain"}},
		{"Deployments[0].Approval.Comment", []string{"see #{variables.release}"}},
		{"Deployments[0].Release.ParameterOverrides", []string{"#{BuildVariables.IMAGE}"}},
		{"Deployments[0].Release.Name", []string{"orders-app"}},
		{`Deployments[0].Regional["eu-west-1"].Release.Name`, []string{"orders-eu"}},
		{"Deployments[0].Release", nil},
		{"Deployments[1].Approval.Comment", nil},
		{`Deployments[0].Regional["us-east-1"].Release.Name`, nil},
		{"Deployments[0].NoSuchField", nil},
		{"environments[0].approval.comment", nil},
		{"Build", nil},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, stringsAt(reflect.ValueOf(in), tc.path)); diff != "" {
			t.Errorf("stringsAt(%s) (-want +got):\n%s", tc.path, diff)
		}
	}
}
