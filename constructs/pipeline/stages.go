package pipeline

import (
	"fmt"

	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// CodePipeline's structural limits, from limits.Table.
var (
	// MaxStages is the number of stages a pipeline may have.
	MaxStages = limits.Max(limits.PipelineStages)
	// MaxActionsPerStage is the number of actions a stage may have.
	MaxActionsPerStage = limits.Max(limits.StageActions)
)

// Stage is one deploy stage of the plan: plain data, computed without jsii.
type Stage struct {
	// Name is the stage name, Deploy-<wave>, with -<k> when a wave is split.
	Name string
	// Actions run in the stage, in RunOrder.
	Actions []Action
	// FreezeReason, when set, disables the transition into the stage with
	// this reason (the first frozen deployment of a wave freezes its first
	// stage).
	FreezeReason string
	// Rollback makes a failed stage roll back to the last successful
	// execution; false when every deployment in it disables rollback.
	Rollback bool
	// Window and Alarms are the stage's entry conditions, gathered from
	// its wave's deployments (first stage of a wave only).
	Window *Window
	Alarms []string
}

// ActionKind says what an Action does.
type ActionKind int

const (
	// Approve is a manual approval.
	Approve ActionKind = iota
	// Prepare creates a change set.
	Prepare
	// Execute executes the change set.
	Execute
	// StackSet deploys a StackSet to organizational units, all regions at
	// once.
	StackSet
	// Review is a manual approval between Prepare and Execute, so that a
	// person reads the change set first.
	Review
	// Deploy is the single deploy action of a Release (ECS, ECS blue/green,
	// CodeDeploy or S3).
	Deploy
	// GitOpsUpdate commits the release to the GitOps repository.
	GitOpsUpdate
	// HelmDeploy runs helm upgrade against the EKS cluster.
	HelmDeploy
	// Invoke runs a Hook (Lambda or Step Functions).
	Invoke
	// StackInstances adds instances of an earlier deployment's StackSet.
	StackInstances
)

// Action is one action of a deploy stage.
type Action struct {
	// Name is unique within the stage.
	Name string
	// Kind is what the action does.
	Kind ActionKind
	// Deployment indexes Props.Deployments.
	Deployment int
	// Region is the region of a Prepare or Execute action.
	Region string
	// RunOrder orders the action within its stage.
	RunOrder int
	// Hook indexes the deployment's hooks in Region, for Invoke.
	Hook int
}

// PlanStages groups deployments into deploy stages. Consecutive deployments
// with the same Wave share a stage and deploy in parallel after all of the
// wave's approvals; a wave with more than MaxActionsPerStage actions is
// split into consecutive stages, approvals in the first. The Source and
// Build stages come before these, so at most MaxStages-2 are allowed.
func PlanStages(deps []Deployment) ([]Stage, error) {
	var stages []Stage
	for start := 0; start < len(deps); {
		wave := waveOf(deps[start])
		end := start + 1
		for end < len(deps) && waveOf(deps[end]) == wave {
			end++
		}
		stages = append(stages, planWave(deps, start, end, wave)...)
		start = end
	}
	if len(stages)+2 > MaxStages {
		return stages, fmt.Errorf("Deployments: %d deploy stages plus Source and Build make %d stages; a pipeline has at most %d: %s",
			len(stages), len(stages)+2, MaxStages, splitAdvice(deps))
	}
	return stages, nil
}

// splitAdvice says how to fit deps into one pipeline, or into how many.
func splitAdvice(deps []Deployment) string {
	actions := 0
	for _, d := range deps {
		if d.isStackSet() {
			actions++
		} else {
			for _, r := range d.Regions {
				actions += len(regionActions(d, r))
			}
		}
		if d.Approval != nil {
			actions++
		}
	}
	deployStages := MaxStages - 2
	need := (actions + MaxActionsPerStage - 1) / MaxActionsPerStage
	if need > deployStages {
		pipelines := (need + deployStages - 1) / deployStages
		return fmt.Sprintf("their %d actions need at least %d full stages; split the environments across at least %d pipelines (Relay configurations)", actions, need, pipelines)
	}
	per := (len(deps) + deployStages - 1) / deployStages
	return fmt.Sprintf("put environments that may deploy together in one wave (environments[].wave): waves of %d or more environments fit", per)
}

// waveOf is d's wave, its own name by default.
func waveOf(d Deployment) string {
	if d.Wave != "" {
		return d.Wave
	}
	return d.Name
}

// planWave plans deps[start:end], one wave.
func planWave(deps []Deployment, start, end int, wave string) []Stage {
	single := end-start == 1
	name := func(verb string, i int, region string) string {
		n := verb
		if !single {
			n += "-" + deps[i].Name
		}
		if region != "" {
			n += "-" + region
		}
		return n
	}
	var approvals []Action
	for i := start; i < end; i++ {
		if deps[i].Approval != nil {
			approvals = append(approvals, Action{Name: name("Approve", i, ""), Kind: Approve, Deployment: i, RunOrder: 1})
		}
	}
	var stages []Stage
	cur := Stage{Actions: approvals}
	base := 1
	if len(approvals) > 0 {
		base = 2
	}
	for i := start; i < end; i++ {
		if deps[i].isStackSet() {
			if len(cur.Actions)+1 > MaxActionsPerStage {
				stages = append(stages, cur)
				cur, base = Stage{}, 1
			}
			kind, verb := StackSet, "DeployStackSet"
			if deps[i].StackSetOf != "" {
				kind, verb = StackInstances, "AddStackInstances"
			}
			cur.Actions = append(cur.Actions, Action{Name: name(verb, i, ""), Kind: kind, Deployment: i, RunOrder: base})
			continue
		}
		for _, r := range deps[i].Regions {
			steps := regionActions(deps[i], r)
			if len(cur.Actions)+len(steps) > MaxActionsPerStage {
				stages = append(stages, cur)
				cur, base = Stage{}, 1
			}
			for k, a := range steps {
				a.Name = name(a.Name, i, r)
				a.Deployment, a.Region, a.RunOrder = i, r, base+k
				cur.Actions = append(cur.Actions, a)
			}
		}
	}
	stages = append(stages, cur)
	for i := start; i < end; i++ {
		if deps[i].Freeze != "" && stages[0].FreezeReason == "" {
			stages[0].FreezeReason = deps[i].Freeze
		}
		if deps[i].Window != nil && stages[0].Window == nil {
			stages[0].Window = deps[i].Window
		}
		stages[0].Alarms = append(stages[0].Alarms, deps[i].NoAlarms...)
	}
	stages[0].Alarms = values.SortedUnique(stages[0].Alarms)
	for k := range stages {
		for _, a := range stages[k].Actions {
			stages[k].Rollback = stages[k].Rollback || !deps[a.Deployment].DisableRollback
		}
		stages[k].Name = "Deploy-" + wave
		if len(stages) > 1 {
			stages[k].Name = fmt.Sprintf("Deploy-%s-%d", wave, k+1)
		}
	}
	return stages
}

// isStackSet reports whether d deploys a StackSet (to accounts or OUs).
func (d Deployment) isStackSet() bool {
	return len(d.OrganizationalUnits) > 0 || len(d.Accounts) > 0
}

// regionActions are the actions of d in region r, in run order, named by
// their verb: the before hooks, the deploy actions, the after hooks.
func regionActions(d Deployment, r string) []Action {
	var out []Action
	hooks := d.hooksIn(r)
	for k, h := range hooks {
		if h.Before {
			out = append(out, Action{Name: "Hook-" + h.Name, Kind: Invoke, Hook: k})
		}
	}
	verbs := map[ActionKind]string{Prepare: "Prepare", Execute: "Deploy", Deploy: "Deploy", GitOpsUpdate: "GitOps", HelmDeploy: "Helm"}
	for _, kind := range d.releaseIn(r).steps() {
		out = append(out, Action{Name: verbs[kind], Kind: kind})
		if kind == Prepare && d.ReviewChangeSet {
			out = append(out, Action{Name: "Review", Kind: Review})
		}
	}
	for k, h := range hooks {
		if !h.Before {
			out = append(out, Action{Name: "Hook-" + h.Name, Kind: Invoke, Hook: k})
		}
	}
	return out
}
