package plan_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/plan"
)

// TestLimits proves that every limit the planner enforces is the one
// package limits reports: for each, a blueprint that reaches exactly
// limits.Max is planned, and one past it is refused with a message that
// names the limit's number.
func TestLimits(t *testing.T) {
	name := func(n int) string { return strings.Repeat("e", n) }
	tests := []struct {
		id string
		// at builds a blueprint whose measure of the limit is n.
		at func(n int) plan.Input
	}{
		{limits.PipelineStages, func(n int) plan.Input { return input(many(n-2, "")...) }},
		{limits.StageActions, func(n int) plan.Input {
			// One region of one deployment: n-2 hooks and a change set.
			d := dep("staging", "", false, "us-east-1")
			for i := 0; i < n-2; i++ {
				d.Hooks = append(d.Hooks, plan.Hook{Name: fmt.Sprintf("h%02d", i), Invoke: &plan.LambdaInvoke{Function: "f"}})
			}
			return input(d)
		}},
		{limits.StageName, func(n int) plan.Input {
			return input(dep("e", name(n-len("Deploy-")), false, "us-east-1"))
		}},
		{limits.ActionName, func(n int) plan.Input {
			// Prepare-<env>-us-east-1 in a wave of two.
			long := name(n - len("Prepare--us-east-1"))
			return input(dep(long, "w", false, "us-east-1"), dep("b", "w", false, "us-east-1"))
		}},
		{limits.Namespace, func(n int) plan.Input {
			// Deploy_<env>_us-east-1 (the action names are shorter).
			return input(dep(name(n-len("Deploy__us-east-1")), "", false, "us-east-1"))
		}},
		{limits.StackSetName, func(n int) plan.Input {
			s := stack()
			s.Name = "s" + name(n-len("s-fleet"))
			if len(s.Name) > limits.Max(limits.StackName) {
				s.Name = s.Name[:limits.Max(limits.StackName)]
				return input(plan.Deployment{Name: name(n - len(s.Name) - 1), Regions: []string{"us-east-1"}, Release: s,
					Target: &plan.OrganizationalUnits{IDs: []string{"ou-ab12-cd34ef56"}}})
			}
			return input(plan.Deployment{Name: "fleet", Regions: []string{"us-east-1"}, Release: s, Target: &plan.OrganizationalUnits{IDs: []string{"ou-ab12-cd34ef56"}}})
		}},
		{limits.StackName, func(n int) plan.Input {
			d := dep("staging", "", false, "us-east-1")
			d.Release = &plan.Stack{Name: "s" + name(n-1)}
			return input(d)
		}},
		{limits.TriggerPatterns, func(n int) plan.Input {
			in := input(dep("staging", "", false, "us-east-1"))
			var branches []string
			for i := 0; i < n; i++ {
				branches = append(branches, fmt.Sprintf("release/%d", i))
			}
			in.Source.(*plan.ConnectionSource).Triggers = &plan.Triggers{Branches: plan.Filter{Includes: branches}}
			return in
		}},
		{limits.RunOrder, func(n int) plan.Input {
			in := input(dep("staging", "", false, "us-east-1"))
			in.Tests = []plan.Suite{{Name: "unit", Commands: []string{"make test"}, RunOrder: n}}
			return in
		}},
		{limits.VariableDefault, func(n int) plan.Input {
			in := input(dep("staging", "", false, "us-east-1"))
			in.Variables = []plan.Variable{{Name: "v", Default: name(n)}}
			return in
		}},
		{limits.LambdaFunctionName, func(n int) plan.Input {
			d := dep("staging", "", false, "us-east-1")
			d.Hooks = []plan.Hook{{Name: "smoke", Invoke: &plan.LambdaInvoke{Function: name(n)}}}
			return input(d)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			max := limits.Max(tc.id)
			if _, err := plan.New(tc.at(max)); err != nil {
				t.Errorf("at the limit (%d): %v", max, err)
			}
			_, err := plan.New(tc.at(max + 1))
			if err == nil {
				t.Fatalf("past the limit (%d): planned", max+1)
			}
			if !strings.Contains(err.Error(), fmt.Sprint(max)) {
				t.Errorf("past the limit: the message does not name %d: %v", max, err)
			}
		})
	}
}

// TestWaveActions checks the actions-per-stage limit on a wave: a wave of
// exactly limits.Max actions is one stage, one more action splits it, and
// more approvals than a stage holds are refused.
func TestWaveActions(t *testing.T) {
	max := limits.Max(limits.StageActions)
	full := make([]plan.Deployment, max/2)
	for i := range full {
		full[i] = dep(fmt.Sprintf("e%d", i), "w", false, "us-east-1")
	}
	if p := mustPlan(t, input(full...)); len(p.Stages) != 3 {
		t.Errorf("a wave of %d actions: %d deploy stages, want 1", max, len(p.Stages)-2)
	}
	full[0].Approval = &plan.Approval{}
	if p := mustPlan(t, input(full...)); len(p.Stages) != 4 {
		t.Errorf("a wave of %d actions: %d deploy stages, want 2", max+1, len(p.Stages)-2)
	}
	var approvals []plan.Deployment
	for i := 0; i <= max; i++ {
		approvals = append(approvals, plan.Deployment{Name: fmt.Sprintf("e%d", i), Wave: "w", Regions: []string{"us-east-1"}, Release: stack(),
			Target: &plan.OrganizationalUnits{IDs: []string{"ou-ab12-cd34ef56"}}, Approval: &plan.Approval{}})
	}
	_, err := plan.New(input(approvals...))
	want := fmt.Sprintf(`Deployments[0].Approval: wave "w" has %d approvals; a CodePipeline stage holds at most %d actions: approve the wave once (an approval on its first environment only)`, max+1, max)
	if err == nil || err.Error() != want {
		t.Errorf("New() error = %v\nwant %s", err, want)
	}
}

// TestSplitWaveStageNames: a wave split at the actions-per-stage quota
// takes the stages Deploy-<wave>-1, -2, ...; a deployment named like one
// of them is refused by name (CodePipeline refuses two stages of one name,
// and aws-cdk-lib throws when the second is added).
func TestSplitWaveStageNames(t *testing.T) {
	max := limits.Max(limits.StageActions)
	var deps []plan.Deployment
	for i := 0; i <= max/2; i++ {
		deps = append(deps, dep(fmt.Sprintf("e%d", i), "w", false, "us-east-1"))
	}
	tests := []struct {
		name string
		last plan.Deployment
		want string
	}{
		{"another name", dep("w-3", "", false, "us-east-1"), ""},
		{"the name of a split stage", dep("w-2", "", false, "us-east-1"),
			`Deployments[26].Name: stage name "Deploy-w-2" is also the stage of Deployments[25].Wave; CodePipeline takes each stage name once: give it another name`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := plan.New(input(append(slices.Clone(deps), tc.last)...))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("New() error:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
