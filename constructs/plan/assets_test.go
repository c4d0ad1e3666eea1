package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/plan"
)

// stageNames are the names of p's stages.
func stageNames(p *plan.Pipeline) []string {
	var out []string
	for _, s := range p.Stages {
		out = append(out, s.Name)
	}
	return out
}

// TestAssetsAndSelfUpdateStages pins where the two stages go, what their
// actions are, and the run orders that cap concurrent publishes.
func TestAssetsAndSelfUpdateStages(t *testing.T) {
	regions := []string{"us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2", "us-west-2"}
	tests := []struct {
		name       string
		in         func(in *plan.Input)
		stages     []string
		publishers map[string]int // action -> run order
	}{
		{name: "neither: Source, Build, Deploy", in: func(*plan.Input) {}, stages: []string{"Source", "Build", "Deploy-staging"}},
		{name: "assets, two at once", in: func(in *plan.Input) { in.Assets = &plan.Assets{MaxConcurrent: 2} },
			stages:     []string{"Source", "Build", "Assets", "Deploy-staging"},
			publishers: map[string]int{"Publish-ap-southeast-2": 1, "Publish-eu-central-1": 1, "Publish-eu-west-1": 2, "Publish-us-east-1": 2, "Publish-us-west-2": 3}},
		{name: "assets by default four at once", in: func(in *plan.Input) { in.Assets = &plan.Assets{} },
			stages:     []string{"Source", "Build", "Assets", "Deploy-staging"},
			publishers: map[string]int{"Publish-ap-southeast-2": 1, "Publish-eu-central-1": 1, "Publish-eu-west-1": 1, "Publish-us-east-1": 1, "Publish-us-west-2": 2}},
		{name: "self-update right after Build, assets after Test", in: func(in *plan.Input) {
			in.Assets = &plan.Assets{MaxConcurrent: 5}
			in.Tests = []plan.Suite{{Name: "unit", Commands: []string{"make test"}}}
			in.SelfUpdate = &plan.SelfUpdate{Environments: []plan.AccountRegion{{Account: "111111111111", Region: "us-east-1"}}}
		}, stages: []string{"Source", "Build", "UpdatePipeline", "Test", "Assets", "Deploy-staging"},
			publishers: map[string]int{"Publish-ap-southeast-2": 1, "Publish-eu-central-1": 1, "Publish-eu-west-1": 1, "Publish-us-east-1": 1, "Publish-us-west-2": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(dep("staging", "", false, regions...))
			tt.in(&in)
			p := mustPlan(t, in)
			if diff := cmp.Diff(tt.stages, stageNames(p)); diff != "" {
				t.Errorf("stages (-want +got):\n%s", diff)
			}
			got := map[string]int{}
			for _, s := range p.Stages {
				for _, a := range s.Actions {
					switch k := a.Kind.(type) {
					case *plan.PublishAssets:
						got[a.Name] = a.RunOrder
						if a.Inputs[0] != plan.BuildArtifact || k.Assets.Manifests != "cdk.out" || a.Deployment != -1 {
							t.Errorf("%s: inputs %v, manifests %q, deployment %d", a.Name, a.Inputs, k.Assets.Manifests, a.Deployment)
						}
					case *plan.UpdatePipeline:
						if a.Inputs[0] != plan.SourceArtifact || k.SelfUpdate.ConfigPath != "relay.yaml" || k.SelfUpdate.Qualifier != "hnb659fds" {
							t.Errorf("self-update: inputs %v, settings %+v", a.Inputs, k.SelfUpdate)
						}
						want := map[string]string{"RELAY_EXECUTION_ID": "#{codepipeline.PipelineExecutionId}", "RELAY_SOURCE_ACTION": "GitHub",
							"RELAY_REVISION_TYPE": "COMMIT_ID", "RELAY_SOURCE_REVISION": "#{SourceVariables.CommitId}"}
						if diff := cmp.Diff(want, k.Variables); diff != "" {
							t.Errorf("self-update variables (-want +got):\n%s", diff)
						}
					}
				}
			}
			if tt.publishers == nil {
				tt.publishers = map[string]int{}
			}
			if diff := cmp.Diff(tt.publishers, got); diff != "" {
				t.Errorf("publish actions and run orders (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAssetsAndSelfUpdateRefused pins each message.
func TestAssetsAndSelfUpdateRefused(t *testing.T) {
	tests := []struct {
		name string
		in   func(in *plan.Input)
		want string
	}{
		{"past CodeBuild's quota", func(in *plan.Input) { in.Assets = &plan.Assets{MaxConcurrent: 61} },
			"Assets.MaxConcurrent 61: must be 1 to 60 (CodeBuild's default concurrency quota"},
		{"manifests outside the output", func(in *plan.Input) { in.Assets = &plan.Assets{Manifests: "../cdk.out"} },
			`Assets.Manifests "../cdk.out": must be a relative folder of the build output`},
		{"self-update without a build", func(in *plan.Input) {
			in.NoBuild = true
			in.SelfUpdate = &plan.SelfUpdate{Environments: []plan.AccountRegion{{Account: "111111111111", Region: "us-east-1"}}}
		}, "SelfUpdate: needs a Build stage (NoBuild is set)"},
		{"self-update without environments", func(in *plan.Input) { in.SelfUpdate = &plan.SelfUpdate{} },
			"SelfUpdate.Environments []: add the account and region of each stack it deploys"},
		{"config outside the source", func(in *plan.Input) {
			in.SelfUpdate = &plan.SelfUpdate{ConfigPath: "/etc/relay.yaml", Environments: []plan.AccountRegion{{Account: "111111111111", Region: "us-east-1"}}}
		}, `SelfUpdate.ConfigPath "/etc/relay.yaml": must be the path of the configuration file in the source, such as relay.yaml`},
		{"config above the source", func(in *plan.Input) {
			in.SelfUpdate = &plan.SelfUpdate{ConfigPath: "config/../../relay.yaml", Environments: []plan.AccountRegion{{Account: "111111111111", Region: "us-east-1"}}}
		}, `SelfUpdate.ConfigPath "config/../../relay.yaml": must be the path of the configuration file in the source, such as relay.yaml`},
		{"config is the source's folder", func(in *plan.Input) {
			in.SelfUpdate = &plan.SelfUpdate{ConfigPath: ".", Environments: []plan.AccountRegion{{Account: "111111111111", Region: "us-east-1"}}}
		}, `SelfUpdate.ConfigPath ".": must be the path of the configuration file in the source, such as relay.yaml`},
		{"bad qualifier", func(in *plan.Input) {
			in.SelfUpdate = &plan.SelfUpdate{Qualifier: "Not-OK", Environments: []plan.AccountRegion{{Account: "111111111111", Region: "us-east-1"}}}
		}, `SelfUpdate.Qualifier "Not-OK": must be 1 to 10 lowercase letters and digits`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(dep("staging", "", false, "us-east-1"))
			tt.in(&in)
			_, err := plan.New(in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
