package pipeline

import (
	"fmt"
	"maps"
	"slices"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/plan"
)

// physicalName is one name of p that becomes a resource's physical name.
type physicalName struct {
	// field is its Go path, name the value, id its rule (a limits.NameRules
	// key).
	field, name, id string
}

// physicalNames are the names p gives resources (those set; defaults are
// generated), with the rule each must follow. A deployment's Helm and step
// names count wherever they are set: its Release, Components and Steps and
// each region's Regional replacements (releasesOf, stepsOf).
func (p *Props) physicalNames() []physicalName {
	var out []physicalName
	add := func(field, name, id string) {
		if name != "" && !arns.IsToken(name) {
			out = append(out, physicalName{field, name, id})
		}
	}
	add("PipelineName", p.PipelineName, limits.PipelineName)
	add("RoleName", p.RoleName, limits.IAMRoleName)
	add("RolePath", p.RolePath, limits.IAMPath)
	add("ApproverRoleName", p.ApproverRoleName, limits.IAMRoleName)
	add("GitOpsProjectName", p.GitOpsProjectName, limits.CodeBuildProjectName)
	add("Build.ProjectName", p.Build.ProjectName, limits.CodeBuildProjectName)
	add("Build.LogGroupName", p.Build.LogGroupName, limits.LogGroupName)
	suites := func(field string, list []plan.Suite) {
		for i, s := range list {
			add(fmt.Sprintf("%s[%d].ProjectName", field, i), s.ProjectName, limits.CodeBuildProjectName)
			add(fmt.Sprintf("%s[%d].ReportGroupName", field, i), s.ReportGroupName, limits.ReportGroupName)
		}
	}
	suites("Tests", p.Tests)
	if p.Scan != nil {
		suites("Scan.Scanners", p.Scan.Scanners)
	}
	if p.SelfUpdate != nil {
		add("SelfUpdate.ProjectName", p.SelfUpdate.ProjectName, limits.CodeBuildProjectName)
	}
	if p.Assets != nil {
		add("Assets.ProjectName", p.Assets.ProjectName, limits.CodeBuildProjectName)
	}
	for i, d := range p.Deployments {
		f := fmt.Sprintf("Deployments[%d]", i)
		if d.Approval != nil {
			add(f+".Approval.TopicName", d.Approval.TopicName, limits.SNSTopicName)
		}
		if t, ok := d.Target.(*plan.StackSetAccounts); ok && t != nil {
			add(f+".Target.ExecutionRoleName", t.ExecutionRoleName, limits.IAMRoleName)
		}
		for _, r := range releasesOf(f, &d) {
			if x, ok := r.release.(*plan.EKSRelease); ok && x != nil && x.Helm != nil {
				add(r.field+".Helm.ProjectName", x.Helm.ProjectName, limits.CodeBuildProjectName)
				add(r.field+".Helm.RoleName", x.Helm.RoleName, limits.IAMRoleName)
			}
		}
		for _, s := range stepsOf(f, &d) {
			for j, st := range s.steps {
				if b, ok := st.Action.(*plan.CodeBuildStep); ok && b != nil {
					add(fmt.Sprintf("%s[%d].Action.ProjectName", s.field, j), b.ProjectName, limits.CodeBuildProjectName)
					add(fmt.Sprintf("%s[%d].Action.RoleName", s.field, j), b.RoleName, limits.IAMRoleName)
				}
			}
		}
	}
	for _, r := range sortedRegions(p.Replicas) {
		add(fmt.Sprintf("Replicas[%q].BucketName", r), p.Replicas[r].BucketName, limits.S3BucketName)
		add(fmt.Sprintf("Replicas[%q].KeyAlias", r), p.Replicas[r].KeyAlias, limits.KMSAliasName)
	}
	return out
}

// releaseAt is a release of a deployment with its Go path.
type releaseAt struct {
	field   string
	release plan.Release
}

// releasesOf are the releases of deployment d (at Go path f) wherever they
// are set: Release, each Components[k].Release, and each region's
// Regional[r].Release and Regional[r].Releases[c] (regions and components
// sorted). A nil release is left out.
func releasesOf(f string, d *plan.Deployment) []releaseAt {
	var out []releaseAt
	add := func(field string, r plan.Release) {
		if r != nil {
			out = append(out, releaseAt{field, r})
		}
	}
	add(f+".Release", d.Release)
	for k, c := range d.Components {
		add(fmt.Sprintf("%s.Components[%d].Release", f, k), c.Release)
	}
	for _, r := range slices.Sorted(maps.Keys(d.Regional)) {
		x := d.Regional[r]
		add(fmt.Sprintf("%s.Regional[%q].Release", f, r), x.Release)
		for _, c := range slices.Sorted(maps.Keys(x.Releases)) {
			add(fmt.Sprintf("%s.Regional[%q].Releases[%q]", f, r, c), x.Releases[c])
		}
	}
	return out
}

// stepsAt are steps of a deployment with the Go path of the list.
type stepsAt struct {
	field string
	steps []plan.Step
}

// stepsOf are the step lists of deployment d (at Go path f): Steps and each
// region's Regional[r].Steps that is set (regions sorted).
func stepsOf(f string, d *plan.Deployment) []stepsAt {
	out := []stepsAt{{f + ".Steps", d.Steps}}
	for _, r := range slices.Sorted(maps.Keys(d.Regional)) {
		if x := d.Regional[r].Steps; x != nil {
			out = append(out, stepsAt{fmt.Sprintf("%s.Regional[%q].Steps", f, r), x})
		}
	}
	return out
}

// checkPhysicalNames reports each name of p that AWS would refuse
// (limits.CheckName: its length limit, alphabet and reserved prefixes),
// with the field, the value and the rule: aws-cdk-lib refuses some of them
// only inside New, with a message that names no field, AWS refuses others
// at deploy time, and a key alias without alias/ names no key at all.
// (Names package delivery composes are checked there first, with the
// config fields that compose them; Plan leaves these out for that reason.)
func (p *Props) checkPhysicalNames() []error {
	var errs []error
	for _, n := range p.physicalNames() {
		if why := limits.CheckName(n.id, n.name); why != "" {
			errs = append(errs, fmt.Errorf("%s %q: %s", n.field, n.name, why))
		}
	}
	return errs
}
