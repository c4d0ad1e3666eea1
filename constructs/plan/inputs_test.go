package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/plan"
)

// TestSourceArtifactReaders: what a source action writes depends on its
// kind, and an action that reads a source artifact must be able to read
// what is there. A full-clone connection source writes a clone reference
// that only CodeBuild reads; an ECR source writes only imageDetail.json,
// which holds no buildspec, template, go.mod or files to scan. Each such
// pair would fail (or scan nothing) on every execution, so it is refused
// by the source's field and the reader's; a reader that can read it plans.
func TestSourceArtifactReaders(t *testing.T) {
	clone := &plan.ConnectionSource{Owner: "acme", Repo: "payments", ConnectionArn: connection, FullClone: true}
	image := &plan.ECRSource{Repository: "payments", Tag: "release"}
	tests := []struct {
		name string
		edit func(in *plan.Input)
		want []string // substrings of the error, or none
	}{
		{"full clone read by the build", func(in *plan.Input) { in.Source = clone }, nil},
		{"full clone read by CodeBuild suites and steps without a build", func(in *plan.Input) {
			in.Source, in.NoBuild = clone, true
			in.Deployments[0].Release = nil
			in.Deployments[0].Steps = []plan.Step{{Name: "plan", Action: &plan.CodeBuildStep{Buildspec: "ci/plan.yml"}}}
			in.Tests = []plan.Suite{{Name: "unit", Commands: []string{"make test"}}}
		}, nil},
		{"full clone read by CloudFormation without a build", func(in *plan.Input) { in.Source, in.NoBuild = clone, true },
			[]string{"Source.FullClone: true: the source then writes a clone reference that only CodeBuild reads, and Deployments[0].Release (CloudFormation action Prepare-us-east-1 in stage Deploy-staging) reads it"}},
		{"image read by the build", func(in *plan.Input) { in.Source = image },
			[]string{`Source "payments:release": an ECR source writes only imageDetail.json`, "Build (CodeBuild action Build in stage Build) reads its buildspec from it"}},
		{"image read by the self-update", func(in *plan.Input) {
			in.Source = image
			in.SelfUpdate = &plan.SelfUpdate{Environments: []plan.AccountRegion{{Account: "111111111111", Region: "us-east-1"}}}
		}, []string{"SelfUpdate (CodeBuild action SelfUpdate in stage UpdatePipeline) reads go.mod and the configuration file from it"}},
		{"image read by CloudFormation without a build", func(in *plan.Input) { in.Source, in.NoBuild = image, true },
			[]string{"Deployments[0].Release (CloudFormation action Prepare-us-east-1 in stage Deploy-staging) reads the files it deploys from it"}},
		{"image read by a preset scanner", func(in *plan.Input) {
			in.Source, in.NoBuild = image, true
			in.Deployments[0].Release = nil
			in.Deployments[0].Steps = []plan.Step{{Name: "notes", Action: &plan.LambdaInvoke{Function: "release-notes"}}}
			in.Scan = &plan.Scan{FailOn: "HIGH", Scanners: []plan.Suite{{Name: "deps", Preset: "trivy"}}}
		}, []string{"Scan.Scanners[0] (CodeBuild action deps in stage Scan) scans the files of its input"}},
		{"image read by suite commands of one's own", func(in *plan.Input) {
			in.Source, in.NoBuild = image, true
			in.Deployments[0].Release = nil
			in.Deployments[0].Steps = []plan.Step{{Name: "notes", Action: &plan.LambdaInvoke{Function: "release-notes"}}}
			in.Tests = []plan.Suite{{Name: "image", Commands: []string{`trivy image "$(jq -r .ImageURI imageDetail.json)"`}}}
		}, nil},
		{"image as an extra source of the build", func(in *plan.Input) {
			in.ExtraSources = []plan.ExtraSource{{Name: "base", Source: image}}
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := input(dep("staging", "", false, "us-east-1"))
			tc.edit(&in)
			_, err := plan.New(in)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("plan.New: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("plan.New planned it; want an error with %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("plan.New error:\n%v\nwant it to contain %q", err, w)
				}
			}
		})
	}
}

// TestSelfUpdatePinsEverySource: when the self-update changed the
// pipeline, it restarts the same revisions on the new definition. It
// pinned only the primary source, so an extra source that changed in the
// meantime entered the restarted execution, which then deployed a combination the
// first execution never built; each source now
// gives its revision (the type its kind takes, from its own namespace).
func TestSelfUpdatePinsEverySource(t *testing.T) {
	in := input(dep("staging", "", false, "us-east-1"))
	in.SelfUpdate = &plan.SelfUpdate{Environments: []plan.AccountRegion{{Account: "111111111111", Region: "us-east-1"}}}
	in.ExtraSources = []plan.ExtraSource{
		{Name: "settings", Source: &plan.S3Source{Bucket: "acme-settings", Key: "s.zip"}},
		{Name: "schemas", Source: &plan.CodeCommitSource{Repository: "schemas"}},
		{Name: "base", Source: &plan.ECRSource{Repository: "acme/base"}},
		{Name: "docs", Source: &plan.ConnectionSource{Owner: "acme", Repo: "docs", ConnectionArn: connection}},
	}
	want := map[string]string{
		"RELAY_EXECUTION_ID":     "#{codepipeline.PipelineExecutionId}",
		"RELAY_SOURCE_ACTION":    "GitHub",
		"RELAY_REVISION_TYPE":    "COMMIT_ID",
		"RELAY_SOURCE_REVISION":  "#{SourceVariables.CommitId}",
		"RELAY_EXTRA_REVISION_1": "actionName=settings,revisionType=S3_OBJECT_VERSION_ID,revisionValue=#{SourceVariables_settings.VersionId}",
		"RELAY_EXTRA_REVISION_2": "actionName=schemas,revisionType=COMMIT_ID,revisionValue=#{SourceVariables_schemas.CommitId}",
		"RELAY_EXTRA_REVISION_3": "actionName=base,revisionType=IMAGE_DIGEST,revisionValue=#{SourceVariables_base.ImageDigest}",
		"RELAY_EXTRA_REVISION_4": "actionName=docs,revisionType=COMMIT_ID,revisionValue=#{SourceVariables_docs.CommitId}",
	}
	for _, st := range mustPlan(t, in).Stages {
		for _, a := range st.Actions {
			if k, ok := a.Kind.(*plan.UpdatePipeline); ok {
				if diff := cmp.Diff(want, k.Variables); diff != "" {
					t.Errorf("self-update variables (-want +got):\n%s", diff)
				}
				return
			}
		}
	}
	t.Fatal("no self-update action")
}
