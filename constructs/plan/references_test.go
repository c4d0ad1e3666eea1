package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/plan"
)

// TestConnectionSourceVariables: through the Go API, for each provider of
// a connection source (GitHub, GitLab, Bitbucket), primary or extra, every
// variable AWS documents (limits.SpelledVariables) resolves in the build
// and in a later stage's approval, and so does a name a pull request
// trigger adds; a documented name in another case never resolves, and
// plan.New refuses it naming the field and the spelling to use.
// TestMalformedReferences: a reference written inside another, or with a
// name no variable has, never resolves.
func TestMalformedReferences(t *testing.T) {
	in := input(dep("staging", "", false, "us-east-1"), dep("production", "", true, "us-east-1"))
	in.Variables = []plan.Variable{{Name: "tag"}}
	in.Build.EnvironmentVariables = map[string]plan.BuildVariable{"NESTED": plan.PlainText("#{SourceVariables.#{variables.tag}}")}
	in.Deployments[1].Approval.Comment = "#{variables.tag} of #{SourceVariables.Commit.Id}"
	_, err := plan.New(in)
	if err == nil {
		t.Fatal("plan.New() = nil, want the references refused")
	}
	const cannot = ": CodePipeline could not resolve it when the action runs; "
	want := []string{
		`Build.EnvironmentVariables: #{SourceVariables.#{variables.tag} ` + limits.MalformedRule + cannot + limits.MalformedFix,
		`Deployments[1].Approval.Comment: #{SourceVariables.Commit.Id} ` + limits.MalformedRule + cannot + limits.MalformedFix,
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("plan.New() error (-want +got):\n%s", diff)
	}
}

func TestConnectionSourceVariables(t *testing.T) {
	const cannot = ": CodePipeline could not resolve it when the action runs; "
	for _, provider := range []string{"GitHub", "GitLab", "Bitbucket"} {
		in := func(build map[string]string, comment string) plan.Input {
			in := input(dep("staging", "", false, "us-east-1"), dep("production", "", true, "us-east-1"))
			in.Source = &plan.ConnectionSource{Provider: provider, Owner: "acme", Repo: "payments", ConnectionArn: connection}
			in.ExtraSources = []plan.ExtraSource{{Name: "docs", Source: &plan.ConnectionSource{Provider: provider, Owner: "acme", Repo: "docs", ConnectionArn: connection}}}
			in.Build.EnvironmentVariables = map[string]plan.BuildVariable{}
			for k, v := range build {
				in.Build.EnvironmentVariables[k] = plan.PlainText(v)
			}
			in.Deployments[1].Approval.Comment = comment
			return in
		}
		t.Run(provider+" resolves", func(t *testing.T) {
			build := map[string]string{"PR": "#{SourceVariables.PullRequestId}"}
			var comment []string
			for _, name := range limits.SpelledVariables("Source", "CodeStarSourceConnection") {
				build["V_"+name] = "#{SourceVariables." + name + "}"
				comment = append(comment, "#{SourceVariables_docs."+name+"}")
			}
			mustPlan(t, in(build, strings.Join(comment, " ")))
		})
		t.Run(provider+" in another case", func(t *testing.T) {
			_, err := plan.New(in(map[string]string{"COMMIT": "#{SourceVariables.CommitID}"}, "Branch #{SourceVariables_docs.branchname}"))
			if err == nil {
				t.Fatal("plan.New() = nil, want the references refused")
			}
			want := []string{
				`Build.EnvironmentVariables: #{SourceVariables.CommitID} refers to variable "CommitID", which action ` + provider +
					` of stage Source never sets: variable names are case-sensitive, and an action of its kind sets CommitId` + cannot + "write CommitId, as CodePipeline spells it",
				`Deployments[1].Approval.Comment: #{SourceVariables_docs.branchname} refers to variable "branchname", which action docs of stage Source never sets: variable names are case-sensitive, and an action of its kind sets BranchName` +
					cannot + "write BranchName, as CodePipeline spells it",
			}
			if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("plan.New() error (-want +got):\n%s", diff)
			}
		})
	}
}
