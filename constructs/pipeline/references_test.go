package pipeline_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/pipeline"
)

// TestUnresolvableReferences: through the Go API, a variable reference that
// can never resolve (a namespace that a later stage sets, one no action
// sets, an undeclared pipeline variable) synthesizes, and the pipeline would
// fail at run time. The check on the written template (limits.CheckTemplate,
// which relaytest.CheckAssembly and the relay app run) finds each, and the
// plan names the field that holds it (plan.Pipeline.Explain).
func TestUnresolvableReferences(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *pipeline.Props)
		want   []string // Field: Name
	}{
		{"references that resolve", func(p *pipeline.Props) {
			p.Variables = []pipeline.Variable{{Name: "release", Default: "latest"}}
			p.Build.EnvironmentVariables = map[string]pipeline.BuildVariable{
				"RELEASE": pipeline.PlainText("#{variables.release}"), "COMMIT": pipeline.PlainText("#{SourceVariables.CommitId}")}
			p.Deployments[1].Approval.Comment = "Staging is at #{Deploy_staging_us-east-1.Url}"
		}, nil},
		{"a build variable from a later stage, an undeclared pipeline variable in a comment", func(p *pipeline.Props) {
			p.Build.EnvironmentVariables = map[string]pipeline.BuildVariable{"URL": pipeline.PlainText("#{Deploy_staging_us-east-1.Url}")}
			p.Deployments[1].Approval.Comment = "Release #{variables.release}"
		}, []string{
			`Build.EnvironmentVariables: #{Deploy_staging_us-east-1.Url}`,
			`Deployments[1].Approval.Comment: #{variables.release}`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := synth(t, stagingAndProduction(), tc.mutate)
			body, err := json.Marshal(s.json)
			if err != nil {
				t.Fatal(err)
			}
			found, err := limits.CheckTemplate("Tooling", body)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range found {
				if f.Limit.ID != limits.VariableReference {
					continue
				}
				f = s.pl.Plan().Explain(f)
				t.Logf("%v", f)
				got = append(got, f.Field+": "+f.Name)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("unresolvable references (-want +got):\n%s", diff)
			}
		})
	}
}
