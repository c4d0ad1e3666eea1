package pipeline_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/pipeline"
)

// layout renders a plan as "Stage: action@runOrder ..." lines.
func layout(stages []pipeline.Stage) []string {
	var out []string
	for _, s := range stages {
		var acts []string
		for _, a := range s.Actions {
			acts = append(acts, fmt.Sprintf("%s@%d", a.Name, a.RunOrder))
		}
		out = append(out, s.Name+": "+strings.Join(acts, " "))
	}
	return out
}

func dep(name, wave string, approval bool, regions ...string) pipeline.Deployment {
	d := pipeline.Deployment{Name: name, Wave: wave, Regions: regions}
	if approval {
		d.Approval = &pipeline.Approval{}
	}
	return d
}

func TestPlanStages(t *testing.T) {
	many := func(n int, wave string) []pipeline.Deployment {
		var out []pipeline.Deployment
		for i := 0; i < n; i++ {
			out = append(out, dep(fmt.Sprintf("e%d", i), wave, i == 0, "us-east-1"))
		}
		return out
	}
	tests := []struct {
		name    string
		deps    []pipeline.Deployment
		want    []string
		wantErr string
	}{
		{
			name: "one stage per environment, short action names",
			deps: []pipeline.Deployment{dep("staging", "", false, "us-east-1"), dep("production", "", true, "us-east-1")},
			want: []string{
				"Deploy-staging: Prepare-us-east-1@1 Deploy-us-east-1@2",
				"Deploy-production: Approve@1 Prepare-us-east-1@2 Deploy-us-east-1@3",
			},
		},
		{
			name: "a wave shares a stage, approvals first",
			deps: []pipeline.Deployment{dep("dev", "", false, "us-east-1"), dep("eu1", "prod", true, "us-east-1"), dep("eu2", "prod", false, "us-east-1")},
			want: []string{
				"Deploy-dev: Prepare-us-east-1@1 Deploy-us-east-1@2",
				"Deploy-prod: Approve-eu1@1 Prepare-eu1-us-east-1@2 Deploy-eu1-us-east-1@3 Prepare-eu2-us-east-1@2 Deploy-eu2-us-east-1@3",
			},
		},
		{
			name: "a wave over 50 actions is split in order, approvals kept in the first stage",
			deps: many(26, "all"),
			want: func() []string {
				first := []string{"Approve-e0@1"}
				for i := 0; i < 24; i++ {
					first = append(first, fmt.Sprintf("Prepare-e%d-us-east-1@2 Deploy-e%d-us-east-1@3", i, i))
				}
				return []string{
					"Deploy-all-1: " + strings.Join(first, " "),
					"Deploy-all-2: Prepare-e24-us-east-1@1 Deploy-e24-us-east-1@2 Prepare-e25-us-east-1@1 Deploy-e25-us-east-1@2",
				}
			}(),
		},
		{
			name:    "more stages than a pipeline allows",
			deps:    many(49, ""),
			wantErr: "Deployments: 49 deploy stages plus Source and Build make 51 stages; a pipeline has at most 50: put environments that may deploy together in one wave (environments[].wave): waves of 2 or more environments fit",
		},
		{
			name:    "more actions than one pipeline holds",
			deps:    many(1300, ""),
			wantErr: "Deployments: 1300 deploy stages plus Source and Build make 1302 stages; a pipeline has at most 50: their 2601 actions need at least 53 full stages; split the environments across at least 2 pipelines (Relay configurations)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := pipeline.PlanStages(tc.deps)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("PlanStages() error = %v, want %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("PlanStages() error = %v", err)
			}
			if diff := cmp.Diff(tc.want, layout(got)); diff != "" {
				t.Errorf("PlanStages() (-want +got):\n%s", diff)
			}
			for _, s := range got {
				if len(s.Actions) > pipeline.MaxActionsPerStage {
					t.Errorf("%s has %d actions, more than %d", s.Name, len(s.Actions), pipeline.MaxActionsPerStage)
				}
			}
		})
	}
}

func TestPlanStagesFreezeAndRollback(t *testing.T) {
	frozen := dep("eu2", "prod", false, "us-east-1")
	frozen.Freeze = "Holiday freeze"
	canary := dep("canary", "", false, "us-east-1")
	canary.DisableRollback = true
	mixed := dep("eu1", "prod", false, "us-east-1")
	mixed.DisableRollback = true
	got, err := pipeline.PlanStages([]pipeline.Deployment{canary, mixed, frozen})
	if err != nil {
		t.Fatal(err)
	}
	type plan struct {
		Name, Freeze string
		Rollback     bool
	}
	var out []plan
	for _, s := range got {
		out = append(out, plan{s.Name, s.FreezeReason, s.Rollback})
	}
	want := []plan{
		{"Deploy-canary", "", false},
		// A wave freezes when any of its environments does, and rolls back
		// unless all of them disable it.
		{"Deploy-prod", "Holiday freeze", true},
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("PlanStages() (-want +got):\n%s", diff)
	}
}
