package plan

import (
	"fmt"

	"github.com/relaycdk/relay/constructs/limits"
)

// Deployment is one environment: a stage (or a share of its wave's stage)
// that releases the build output to Target in each of its regions.
type Deployment struct {
	// Name names the deployment and, unless Wave is set, its stage
	// (Deploy-<Name>): letters, digits and -_ (it is part of variable
	// namespaces), unique. Required.
	Name string
	// Wave groups consecutive deployments with the same Wave into one stage
	// (Deploy-<Wave>), where they deploy in parallel after the wave's
	// approvals. A deployment without Wave is in the wave of its Name, so
	// a deployment next to it may join its stage by naming it. The
	// deployments of a wave must be listed one after another (refused
	// otherwise: a pipeline has one stage of each name). Default: Name (a
	// stage of its own).
	Wave string
	// Target is where it releases. Required.
	Target Target
	// Regions receive the release, in parallel; a StackSet deploys to all
	// of them from the pipeline's region. At least one, each once.
	Regions []string
	// Release is how the build output is released. Required, unless
	// Components are given.
	Release Release
	// Components release several parts instead of one Release (Account
	// targets only): stacks and releases by other strategies, each started
	// as soon as the components it depends on have finished, so that
	// components without dependencies run in parallel. Default: none.
	Components []Component
	// Hooks are invoke actions around the release in each region of an
	// Account target. Default: none.
	Hooks []Hook
	// Steps are CodeBuild builds, invokes and approvals of the pipeline's
	// account before, after or between the releases (see Step). A
	// deployment may run steps only (no Release nor Components), such as
	// Terraform in an Account, or any steps in the *PipelineAccount.
	// Default: none.
	Steps []Step
	// Regional replaces Release, a component's release, Hooks or Steps in
	// some regions, for values that differ between regions: not all of
	// them (pipeline.Props refuses a value every region replaces, which
	// would be unused), and not on a StackSet or *PipelineAccount
	// deployment, which runs its Release and Steps once. Default: none.
	Regional map[string]Regional
	// Approval, when set, gates the deployment with a manual approval.
	Approval *Approval
	// Freeze, when set, disables the transition into the deployment's stage
	// with this reason: executions wait until someone enables it. 1 to 300
	// of letters, digits, spaces and !@().*?- (CodePipeline's transition
	// reason).
	Freeze string
	// DisableRollback keeps a failed stage as it is instead of rolling it
	// back to the last successful execution. Default: false.
	DisableRollback bool
	// Window, when set, lets executions enter the stage only inside this
	// deployment window.
	Window *Window
	// NoAlarms are CloudWatch alarms (pipeline account and region) that
	// must not be in ALARM for executions to enter the stage. Each is an
	// alarm's exact name: 1 to 255 characters, no control character, no *
	// or ? (the pipeline role may describe each by its ARN, where IAM reads
	// them as wildcards) and nothing beyond U+00FF (IAM refuses it in the
	// role's policy); Validate refuses others. Each alarm is a rule of the
	// stage's entry condition, as is Window, and a condition holds at most
	// 5 rules (limits.ConditionRules), with the alarms of the whole wave.
	// Default: none.
	NoAlarms []string
}

// Regional replaces a deployment's Release, component releases or Hooks in
// one region.
type Regional struct {
	// Release, when set, replaces Deployment.Release.
	Release Release
	// Releases replace the Release of the components they name.
	Releases map[string]Release
	// Hooks, when not nil, replace Deployment.Hooks.
	Hooks []Hook
	// Steps, when not nil, replace Deployment.Steps; they must have the same
	// names, in the same order, and the same places (Before, DependsOn). A
	// CodeBuild step without a ProjectName of its own runs in the project
	// of its step in the other regions: pipeline.Props refuses project
	// settings (Buildspec, ComputeType, ...) that differ from it.
	Steps []Step
}

// Component is one of several releases of a deployment.
type Component struct {
	// Name names its actions (<verb>-<Name>, such as Prepare-network) and,
	// for a *Stack, its variable namespace
	// Deploy_<deployment>_<region>_<Name>, which exports the stack's
	// outputs: 2 to 31 of a-z, 0-9 and -, unique in the deployment.
	// Required.
	Name string
	// Release is how the component is released. Required.
	Release Release
	// DependsOn names the components of the deployment that finish before
	// this one starts (in each region). A name that is no component, or a
	// cycle, is an error. Default: none (it starts with the deployment).
	DependsOn []string
}

// ComponentsIn are d's components in region r, with their regional
// releases: Components, or the one Release as a component named "".
func (d *Deployment) ComponentsIn(r string) []Component {
	if len(d.Components) == 0 {
		if isNil(d.ReleaseIn(r)) {
			return nil // steps only
		}
		return []Component{{Release: d.ReleaseIn(r)}}
	}
	out := make([]Component, len(d.Components))
	for k, c := range d.Components {
		if x, ok := d.Regional[r].Releases[c.Name]; ok && !isNil(x) {
			c.Release = x
		}
		out[k] = c
	}
	return out
}

// componentPath is the Go path of the release of component k of d in
// region r (deployment i); k is 0 for the one Release.
func (d *Deployment) componentPath(i int, r string, k int) string {
	if len(d.Components) == 0 {
		return d.releasePath(i, r)
	}
	name := d.Components[k].Name
	if x, ok := d.Regional[r].Releases[name]; ok && !isNil(x) {
		return sprintf("Deployments[%d].Regional[%q].Releases[%q]", i, r, name)
	}
	return sprintf("Deployments[%d].Components[%d].Release", i, k)
}

// ReleaseIn is d's release in region r.
func (d *Deployment) ReleaseIn(r string) Release {
	if x, ok := d.Regional[r]; ok && x.Release != nil {
		return x.Release
	}
	return d.Release
}

// StepsIn are d's steps in region r ("" for a deployment that runs once).
func (d *Deployment) StepsIn(r string) []Step {
	if x, ok := d.Regional[r]; ok && x.Steps != nil {
		return x.Steps
	}
	return d.Steps
}

// stepsPath is the Go path of d's steps in region r (deployment i).
func (d *Deployment) stepsPath(i int, r string) string {
	if x, ok := d.Regional[r]; ok && x.Steps != nil {
		return sprintf("Deployments[%d].Regional[%q].Steps", i, r)
	}
	return sprintf("Deployments[%d].Steps", i)
}

// HooksIn are d's hooks in region r.
func (d *Deployment) HooksIn(r string) []Hook {
	if x, ok := d.Regional[r]; ok && x.Hooks != nil {
		return x.Hooks
	}
	return d.Hooks
}

// releasePath is the Go path of d's release in region r (deployment i).
func (d *Deployment) releasePath(i int, r string) string {
	if x, ok := d.Regional[r]; ok && x.Release != nil {
		return sprintf("Deployments[%d].Regional[%q].Release", i, r)
	}
	return sprintf("Deployments[%d].Release", i)
}

// hooksPath is the Go path of d's hooks in region r (deployment i).
func (d *Deployment) hooksPath(i int, r string) string {
	if x, ok := d.Regional[r]; ok && x.Hooks != nil {
		return sprintf("Deployments[%d].Regional[%q].Hooks", i, r)
	}
	return sprintf("Deployments[%d].Hooks", i)
}

// StackSetName is the StackSet that deploys d's stack: <stack name>-<Name>,
// or "" when d does not deploy a StackSet of its own.
func (d *Deployment) StackSetName() string {
	_, of, _, ok := stackSet(d.Target)
	s, isStack := d.Release.(*Stack)
	if !ok || of != "" || !isStack || s == nil {
		return ""
	}
	return s.Name + "-" + d.Name
}

// WaveName is d's wave: Wave, or Name by default.
func (d *Deployment) WaveName() string {
	if d.Wave != "" {
		return d.Wave
	}
	return d.Name
}

// conditionRules says why alarms (distinct) and, with window, a
// deployment window are more rules than a stage's entry condition holds,
// or "" when they fit: each alarm is a CloudWatchAlarm rule of its own (a
// rule names one alarm) and the window a DeploymentWindow rule, and
// CloudFormation refuses a condition of more than limits.ConditionRules
// (5). of says whose alarms they are (" of its deployments" for a wave).
func conditionRules(alarms []string, window bool, of string) string {
	n, max := len(alarms), limits.Max(limits.ConditionRules)
	with, room := "", max
	if window {
		n, with, room = n+1, " and the deployment window", max-1
	}
	if n <= max {
		return ""
	}
	return fmt.Sprintf("%d alarms%s%s make %d rules of the stage's entry condition (one rule per alarm), and CodePipeline takes at most %d rules in a condition (%s): gate on at most %d alarms, combining them into a CloudWatch composite alarm",
		len(alarms), of, with, n, max, limits.ByID(limits.ConditionRules).Source, room)
}
