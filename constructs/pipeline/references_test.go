package pipeline_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
)

// TestReferences: through the Go API, a variable reference that can never
// resolve (a namespace that a later stage sets, one no action sets, an
// undeclared pipeline variable, a connection source's CommitID) is refused
// by pipeline.New, naming the field (the release plan's check); references
// that resolve synthesize, and the check on the written template (limits.CheckTemplate, which
// relaytest.CheckAssembly and the relay app run) finds nothing in them.
func TestReferences(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *pipeline.Props)
		want   []string // errors of pipeline.New; none: it synthesizes
	}{
		{"references that resolve", func(p *pipeline.Props) {
			p.Variables = []pipeline.Variable{{Name: "release", Default: "latest"}}
			p.Build.EnvironmentVariables = map[string]pipeline.BuildVariable{
				"RELEASE": pipeline.PlainText("#{variables.release}"), "COMMIT": pipeline.PlainText("#{SourceVariables.CommitId}"),
				"RUN": pipeline.PlainText("#{codepipeline.PipelineExecutionId}"), "TOKEN": pipeline.Parameter("/orders/token")}
			p.Deployments[1].Approval.Comment = "Staging is at #{Deploy_staging_us-east-1.Url}"
		}, nil},
		{"a build variable from a later stage, an undeclared pipeline variable in a comment", func(p *pipeline.Props) {
			p.Build.EnvironmentVariables = map[string]pipeline.BuildVariable{"URL": pipeline.PlainText("#{Deploy_staging_us-east-1.Url}")}
			p.Deployments[1].Approval.Comment = "Release #{variables.release} (#{codepipeline.PipelineName})"
		}, []string{
			`Build.EnvironmentVariables: #{Deploy_staging_us-east-1.Url} refers to namespace "Deploy_staging_us-east-1", which action Deploy-us-east-1 of stage Deploy-staging sets, and that action does not run before action Build of stage Build: CodePipeline could not resolve it when the action runs; refer to a namespace that an earlier action sets, or declare the variable in Variables`,
			`Deployments[1].Approval.Comment: #{variables.release} refers to pipeline variable "release", which Variables does not declare: CodePipeline could not resolve it when the action runs; refer to a namespace that an earlier action sets, or declare the variable in Variables`,
			`Deployments[1].Approval.Comment: #{codepipeline.PipelineName} refers to "PipelineName" of namespace codepipeline, which sets only PipelineExecutionId: CodePipeline could not resolve it when the action runs; refer to a namespace that an earlier action sets, or declare the variable in Variables`,
		}},
		{"a variable that an S3 source does not set, and one in another case", func(p *pipeline.Props) {
			p.Source = &pipeline.S3Source{Bucket: "acme-releases", Key: "orders.zip"}
			p.Build.EnvironmentVariables = map[string]pipeline.BuildVariable{
				"COMMIT": pipeline.PlainText("#{SourceVariables.CommitId}"), "VERSION": pipeline.PlainText("#{SourceVariables.VersionId}")}
			p.Deployments[1].Approval.Comment = "Object version #{SourceVariables.versionId}"
		}, []string{
			`Build.EnvironmentVariables: #{SourceVariables.CommitId} refers to variable "CommitId", which action S3 of stage Source does not set: an action of its kind sets only ETag, VersionId: CodePipeline could not resolve it when the action runs; use one of those names, or a variable of another action that runs earlier`,
			`Deployments[1].Approval.Comment: #{SourceVariables.versionId} refers to variable "versionId", which action S3 of stage Source does not set: an action of its kind sets only ETag, VersionId: CodePipeline could not resolve it when the action runs; write VersionId, as CodePipeline spells it`,
		}},
		{"a connection source's variable in another case (its other names are not a fixed set)", func(p *pipeline.Props) {
			p.Build.EnvironmentVariables = map[string]pipeline.BuildVariable{
				"COMMIT": pipeline.PlainText("#{SourceVariables.CommitID}"), "PR": pipeline.PlainText("#{SourceVariables.PullRequestId}")}
		}, []string{
			`Build.EnvironmentVariables: #{SourceVariables.CommitID} refers to variable "CommitID", which action GitHub of stage Source never sets: variable names are case-sensitive, and an action of its kind sets CommitId: CodePipeline could not resolve it when the action runs; write CommitId, as CodePipeline spells it`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want != nil {
				stack := newStack()
				p := validProps(nil, stagingAndProduction())
				relaytest.Do(t, "NewStore", func() {
					p.Store = artifacts.NewStore(stack, "Artifacts", &artifacts.StoreProps{
						Readers: artifacts.Readers{Accounts: []string{"222222222222", "333333333333"}, RoleArnPatterns: []string{deployPattern}},
					})
				})
				tc.mutate(p)
				err := p.ValidateIn(stack)
				if err == nil {
					t.Fatal("ValidateIn() = nil, want the references refused")
				}
				var got []string
				for _, line := range strings.Split(strings.TrimPrefix(err.Error(), "pipeline.Props: "), "\n") {
					if strings.Contains(line, "#{") {
						got = append(got, line)
					}
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("ValidateIn() references (-want +got):\n%s\nwhole error: %v", diff, err)
				}
				return
			}
			s := synth(t, stagingAndProduction(), tc.mutate)
			body, err := json.Marshal(s.json)
			if err != nil {
				t.Fatal(err)
			}
			found, err := limits.CheckTemplate("Tooling", body)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range found {
				if f.Limit.ID == limits.VariableReference {
					t.Errorf("%v", s.pl.Plan().Explain(f))
				}
			}
		})
	}
}
