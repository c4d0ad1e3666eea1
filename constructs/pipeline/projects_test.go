package pipeline_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
)

// render writes a template value as text: Ref and GetAtt as <ID> and
// <ID.Attr>, Fn::Join joined.
func render(v interface{}) string {
	switch x := v.(type) {
	case string:
		return x
	case []interface{}:
		var parts []string
		for _, p := range x {
			parts = append(parts, render(p))
		}
		return strings.Join(parts, ",")
	case map[string]interface{}:
		if id, ok := x["Ref"]; ok {
			return "<" + render(id) + ">"
		}
		if ga, ok := x["Fn::GetAtt"].([]interface{}); ok {
			return "<" + render(ga[0]) + "." + render(ga[1]) + ">"
		}
		if j, ok := x["Fn::Join"].([]interface{}); ok {
			var parts []string
			for _, p := range j[1].([]interface{}) {
				parts = append(parts, render(p))
			}
			return strings.Join(parts, render(j[0]))
		}
	}
	return fmt.Sprint(v)
}

func list(v interface{}) []interface{} {
	if l, ok := v.([]interface{}); ok {
		return l
	}
	return []interface{}{v}
}

// grant is one action on one resource, with the statement's conditions.
type grant struct{ Action, Resource, Condition string }

// projectGrants are the grants of the policies of each CodeBuild project
// role of the template (roles trusted by codebuild.amazonaws.com), by role
// logical ID.
func (s synthesized) projectGrants() map[string][]grant {
	roles := map[string]bool{}
	for id, r := range s.resources("AWS::IAM::Role") {
		if strings.Contains(render(obj(obj(r["Properties"])["AssumeRolePolicyDocument"])["Statement"]), "codebuild.amazonaws.com") ||
			strings.Contains(fmt.Sprint(obj(r["Properties"])["AssumeRolePolicyDocument"]), "codebuild.amazonaws.com") {
			roles[id] = true
		}
	}
	out := map[string][]grant{}
	for _, p := range s.resources("AWS::IAM::Policy") {
		props := obj(p["Properties"])
		for _, r := range list(props["Roles"]) {
			id := render(obj(r)["Ref"])
			if !roles[id] {
				continue
			}
			for _, st := range list(obj(props["PolicyDocument"])["Statement"]) {
				st := obj(st)
				for _, a := range list(st["Action"]) {
					for _, res := range list(st["Resource"]) {
						out[id] = append(out[id], grant{render(a), render(res), fmt.Sprint(st["Condition"])})
					}
				}
			}
		}
	}
	return out
}

// TestProjectsTouchOnlyTheirArtifacts pins issue 10's security item 2: the
// roles of projects that run repository code may neither list nor delete
// artifacts, read only their input artifacts' objects, and only the build
// writes, under the build output's own prefix (<pipeline>/<artifact>/).
func TestProjectsTouchOnlyTheirArtifacts(t *testing.T) {
	s := synth(t, stagingAndProduction(), func(p *pipeline.Props) {
		p.ExtraSources = []pipeline.ExtraSource{{Name: "settings", Source: &pipeline.S3Source{Bucket: "acme-settings", Key: "s.zip"}}}
		p.Build.Cache = "s3"
		p.Tests = []pipeline.Suite{{Name: "unit", Commands: []string{"make test"}, Reports: &pipeline.Reports{Files: []string{"r.xml"}}},
			{Name: "e2e", Input: "build", Commands: []string{"./e2e.sh"}}}
		p.Scan = &pipeline.Scan{Scanners: []pipeline.Suite{{Name: "deps", Preset: "trivy"}}}
	})
	bucket := "<" + logicalID(s.store.Bucket()) + ".Arn>"
	grants := s.projectGrants()
	if len(grants) != 4 {
		t.Fatalf("project roles = %d, want 4 (build, unit, e2e and deps): %v", len(grants), grants)
	}
	type access struct{ Reads, Writes []string }
	got := map[string]access{}
	for role, gs := range grants {
		var a access
		for _, g := range gs {
			if strings.HasPrefix(g.Action, "s3:") && (strings.Contains(g.Action, "Delete") || strings.Contains(g.Action, "List") || strings.Contains(g.Action, "*")) {
				t.Errorf("%s may %s on %s; a project must neither list nor delete artifacts", role, g.Action, g.Resource)
			}
			if !strings.HasPrefix(g.Resource, bucket) {
				continue
			}
			switch g.Action {
			case "s3:GetObject":
				a.Reads = append(a.Reads, strings.TrimPrefix(g.Resource, bucket))
			case "s3:PutObject":
				a.Writes = append(a.Writes, strings.TrimPrefix(g.Resource, bucket))
			case "s3:GetObjectVersion", "s3:GetBucketAcl", "s3:GetBucketLocation":
			default:
				t.Errorf("%s may %s on %s", role, g.Action, g.Resource)
			}
		}
		sort.Strings(a.Reads)
		sort.Strings(a.Writes)
		got[role[:strings.Index(role, "Role")]] = a
	}
	want := map[string]access{
		"PipelineBuild":    {Reads: []string{"/build-cache/*", "/payments/Source/*", "/payments/Source_set/*"}, Writes: []string{"/build-cache/*", "/payments/Build/*"}},
		"PipelineTestunit": {Reads: []string{"/payments/Source/*"}},
		"PipelineTeste2e":  {Reads: []string{"/payments/Build/*"}},
		"PipelineScandeps": {Reads: []string{"/payments/Source/*"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("artifact objects each project role reads and writes (-want +got):\n%s", diff)
	}
}

// TestArtifactPrefix pins CodePipeline's key layout: the pipeline name's
// first 20 characters, the artifact name's first 10.
func TestArtifactPrefix(t *testing.T) {
	for _, tc := range []struct{ pipeline, artifact, want string }{
		{"payments", "Build", "payments/Build"},
		{"payments-platform-eu-1", "Source_settings", "payments-platform-eu/Source_set"},
		{"", "Source", "*/Source"},
	} {
		if got := pipeline.ArtifactPrefix(tc.pipeline, tc.artifact); got != tc.want {
			t.Errorf("ArtifactPrefix(%q, %q) = %q, want %q", tc.pipeline, tc.artifact, got, tc.want)
		}
	}
}

// TestConnectionGrants pins issue 10's security item 5: a role that runs
// repository code from a full clone may use the connection for that
// repository only (FullRepositoryId), with the action prefix of the
// connection ARN's service; the pipeline role likewise. Every project that
// reads the clone needs it: the build, a suite and the self-update (whose
// role once lacked it, so every self-update of a full-clone source failed
// at the clone).
func TestConnectionGrants(t *testing.T) {
	const codestar = "arn:aws:codestar-connections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
	for _, tc := range []struct {
		name, arn, prefix string
	}{
		{"codeconnections ARN", connection, "codeconnections"},
		{"codestar-connections ARN", codestar, "codestar-connections"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := synth(t, stagingAndProduction(), func(p *pipeline.Props) {
				p.Source = &pipeline.ConnectionSource{Owner: "acme", Repo: "payments", ConnectionArn: tc.arn, FullClone: true}
				p.Tests = []pipeline.Suite{{Name: "unit", Commands: []string{"make test"}}}
				p.PipelineName = "payments"
				p.SelfUpdate = &pipeline.SelfUpdate{Environments: []pipeline.AccountRegion{{Account: "111111111111", Region: "us-east-1"}}}
			})
			want := grant{tc.prefix + ":UseConnection", tc.arn, "map[ForAllValues:StringEquals:map[" + tc.prefix + ":FullRepositoryId:acme/payments]]"}
			var roles []string
			for role, gs := range s.projectGrants() {
				var uses []grant
				for _, g := range gs {
					if strings.HasSuffix(g.Action, ":UseConnection") {
						uses = append(uses, g)
					}
				}
				if diff := cmp.Diff([]grant{want}, uses); diff != "" {
					t.Errorf("%s UseConnection (-want +got):\n%s", role, diff)
				}
				roles = append(roles, role)
			}
			if len(roles) != 3 {
				t.Errorf("project roles %v: want the build's, the unit suite's and the self-update's", roles)
			}
			_, policy := s.rolePolicy(t, logicalID(s.pl.Role()))
			var uses []string
			for _, st := range list(obj(obj(policy["Properties"])["PolicyDocument"])["Statement"]) {
				if a := render(obj(st)["Action"]); strings.Contains(a, "UseConnection") {
					uses = append(uses, a+" "+fmt.Sprint(obj(st)["Condition"]))
				}
			}
			if w := []string{want.Action + " " + want.Condition}; !slices.Equal(uses, w) {
				t.Errorf("pipeline role UseConnection = %q, want %q", uses, w)
			}
		})
	}
}

// TestProjectsReadTheirActionsInputs: a project's role may read exactly the
// artifacts its actions take as input. Without a Build stage the EKS
// GitOps and Helm actions take the source artifact, and their roles could
// read only the build output's objects, so CodeBuild failed to download
// the input on every run.
func TestProjectsReadTheirActionsInputs(t *testing.T) {
	gitops := &pipeline.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", File: "envs/values.yaml", Value: "#{codepipeline.PipelineExecutionId}",
		TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-AbCdEf"}
	for _, tc := range []struct {
		name    string
		noBuild bool
		want    string
	}{
		{"build", false, "/payments/Build/*"},
		{"no build", true, "/payments/Source/*"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := synth(t, stagingAndProduction(), func(p *pipeline.Props) {
				p.NoBuild = tc.noBuild
				p.Deployments[0].Release = &pipeline.EKSRelease{GitOps: gitops,
					Helm: &pipeline.HelmRelease{Cluster: "payments", Release: "payments", Chart: "chart"}}
			})
			bucket := "<" + logicalID(s.store.Bucket()) + ".Arn>"
			for _, prefix := range []string{"PipelineGitOps", "PipelineHelmstaging"} {
				var reads []string
				for role, gs := range s.projectGrants() {
					if !strings.HasPrefix(role, prefix) {
						continue
					}
					for _, g := range gs {
						if g.Action == "s3:GetObject" && strings.HasPrefix(g.Resource, bucket) {
							reads = append(reads, strings.TrimPrefix(g.Resource, bucket))
						}
					}
				}
				if want := []string{tc.want}; !slices.Equal(reads, want) {
					t.Errorf("%s role reads %q, want %q (its action's input)", prefix, reads, want)
				}
			}
		})
	}
}

// TestStepsReadPipelineVariablesFromTheExecution: a GitOps value or Helm
// set value that uses a pipeline variable reaches the step's action as a
// template (%{relay.variables.NAME}) with the execution's ID and the
// pipeline's name, never as #{variables.NAME} inside the action's
// EnvironmentVariables JSON, where CodePipeline's escaping is wrong
// (aws/aws-cdk#8458); only then may the project's role read this
// pipeline's executions. Other references stay for CodePipeline.
func TestStepsReadPipelineVariablesFromTheExecution(t *testing.T) {
	for _, tc := range []struct {
		name, gitOpsValue, helmValue string
		generatedName                bool              // no PipelineName: the commands take it from CODEBUILD_INITIATOR
		wantGitOps, wantHelm         map[string]string // the action's variables that change
		gitOpsReads, helmReads       bool
	}{
		{
			name: "pipeline variables", gitOpsValue: "#{variables.tag}", helmValue: "v-#{variables.tag}-#{SourceVariables.CommitId}",
			wantGitOps:  map[string]string{"GITOPS_VALUE": "%{relay.variables.tag}", "RELAY_EXECUTION_ID": "#{codepipeline.PipelineExecutionId}", "RELAY_PIPELINE": "payments"},
			wantHelm:    map[string]string{"HELM_SET_0": "v-%{relay.variables.tag}-#{SourceVariables.CommitId}", "RELAY_EXECUTION_ID": "#{codepipeline.PipelineExecutionId}", "RELAY_PIPELINE": "payments"},
			gitOpsReads: true, helmReads: true,
		},
		{
			name: "generated pipeline name", gitOpsValue: "#{variables.tag}", helmValue: "#{variables.tag}", generatedName: true,
			wantGitOps:  map[string]string{"GITOPS_VALUE": "%{relay.variables.tag}", "RELAY_EXECUTION_ID": "#{codepipeline.PipelineExecutionId}"},
			wantHelm:    map[string]string{"HELM_SET_0": "%{relay.variables.tag}", "RELAY_EXECUTION_ID": "#{codepipeline.PipelineExecutionId}"},
			gitOpsReads: true, helmReads: true,
		},
		{
			name: "Helm only", gitOpsValue: "#{SourceVariables.CommitId}", helmValue: "#{variables.tag}",
			wantGitOps: map[string]string{"GITOPS_VALUE": "#{SourceVariables.CommitId}"},
			wantHelm:   map[string]string{"HELM_SET_0": "%{relay.variables.tag}", "RELAY_EXECUTION_ID": "#{codepipeline.PipelineExecutionId}", "RELAY_PIPELINE": "payments"},
			helmReads:  true,
		},
		{
			name: "no pipeline variable", gitOpsValue: "#{SourceVariables.CommitId}", helmValue: "#{SourceVariables.CommitId}",
			wantGitOps: map[string]string{"GITOPS_VALUE": "#{SourceVariables.CommitId}"},
			wantHelm:   map[string]string{"HELM_SET_0": "#{SourceVariables.CommitId}"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := synth(t, stagingAndProduction(), func(p *pipeline.Props) {
				p.Variables = []pipeline.Variable{{Name: "tag", Default: "latest"}}
				if tc.generatedName {
					p.PipelineName = ""
				}
				p.Deployments[0].Release = &pipeline.EKSRelease{
					GitOps: &pipeline.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", File: "envs/values.yaml", Value: tc.gitOpsValue,
						TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-AbCdEf"},
					Helm: &pipeline.HelmRelease{Cluster: "payments", Release: "payments", Chart: "chart", Set: map[string]string{"image.tag": tc.helmValue}}}
			})
			byName, _ := stages(s.pipelineProps(t))
			got := map[string]map[string]string{}
			for _, a := range byName["Deploy-staging"] {
				a := obj(a)
				name := str(a["Name"])
				if !strings.HasPrefix(name, "GitOps") && !strings.HasPrefix(name, "Helm") {
					continue
				}
				raw := str(obj(a["Configuration"])["EnvironmentVariables"])
				if strings.Contains(raw, "#{variables.") {
					t.Errorf("%s: EnvironmentVariables %s hold a pipeline variable", name, raw)
				}
				var vars []struct{ Name, Value string }
				if err := json.Unmarshal([]byte(raw), &vars); err != nil {
					t.Fatalf("%s: EnvironmentVariables %q: %v", name, raw, err)
				}
				m := map[string]string{}
				for _, v := range vars {
					if strings.HasPrefix(v.Name, "RELAY_") || v.Name == "GITOPS_VALUE" || v.Name == "HELM_SET_0" {
						m[v.Name] = v.Value
					}
				}
				got[strings.SplitN(name, "-", 2)[0]] = m
			}
			if diff := cmp.Diff(map[string]map[string]string{"GitOps": tc.wantGitOps, "Helm": tc.wantHelm}, got); diff != "" {
				t.Errorf("the steps' variables (-want +got):\n%s", diff)
			}
			for prefix, want := range map[string]bool{"PipelineGitOps": tc.gitOpsReads, "PipelineHelmstaging": tc.helmReads} {
				var reads []string
				for role, gs := range s.projectGrants() {
					for _, g := range gs {
						if strings.HasPrefix(role, prefix) && strings.HasPrefix(g.Action, "codepipeline:") {
							reads = append(reads, g.Action+" "+g.Resource)
						}
					}
				}
				var wantReads []string
				if want {
					arn := "arn:aws:codepipeline:us-east-1:111111111111:payments"
					if tc.generatedName {
						arn = "arn:aws:codepipeline:us-east-1:111111111111:*"
					}
					wantReads = []string{"codepipeline:GetPipelineExecution " + arn}
				}
				if !slices.Equal(reads, wantReads) {
					t.Errorf("%s role: codepipeline grants %q, want %q", prefix, reads, wantReads)
				}
			}
		})
	}
}

// TestGeneratedNameReadsAnyPipelineWithAReason: with a generated pipeline
// name, the steps' GetPipelineExecution grant names any pipeline of the
// account and region (the pipeline's ARN would make it depend on itself),
// and cdk-nag's AwsSolutions-IAM5 finding on it carries Relay's reason.
func TestGeneratedNameReadsAnyPipelineWithAReason(t *testing.T) {
	stack := newStack()
	var store *artifacts.Store
	relaytest.Do(t, "NewStore", func() {
		store = artifacts.NewStore(stack, "Artifacts", &artifacts.StoreProps{
			Readers: artifacts.Readers{Accounts: []string{"222222222222", "333333333333"}, RoleArnPatterns: []string{deployPattern}},
		})
	})
	p := validProps(store, stagingAndProduction())
	p.PipelineName = ""
	p.Variables = []pipeline.Variable{{Name: "tag", Default: "latest"}}
	p.Deployments[0].Release = &pipeline.EKSRelease{Helm: &pipeline.HelmRelease{Cluster: "payments", Release: "payments", Chart: "chart", Set: map[string]string{"image.tag": "#{variables.tag}"}}}
	relaytest.Do(t, "pipeline.New", func() { pipeline.New(stack, "Pipeline", p) })
	compliance.AwsSolutions(stack)
	for _, e := range relaytest.Errors(t, stack) {
		t.Errorf("unsuppressed finding %s: %s", e.Path, e.Message)
	}
}
