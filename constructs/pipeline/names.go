package pipeline

import (
	"fmt"

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
// generated), with the rule each must follow.
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
		if r, ok := d.Release.(*plan.EKSRelease); ok && r != nil && r.Helm != nil {
			add(f+".Release.Helm.ProjectName", r.Helm.ProjectName, limits.CodeBuildProjectName)
			add(f+".Release.Helm.RoleName", r.Helm.RoleName, limits.IAMRoleName)
		}
		for j, s := range d.Steps {
			if b, ok := s.Action.(*plan.CodeBuildStep); ok && b != nil {
				add(fmt.Sprintf("%s.Steps[%d].Action.ProjectName", f, j), b.ProjectName, limits.CodeBuildProjectName)
				add(fmt.Sprintf("%s.Steps[%d].Action.RoleName", f, j), b.RoleName, limits.IAMRoleName)
			}
		}
	}
	for _, r := range sortedRegions(p.Replicas) {
		add(fmt.Sprintf("Replicas[%q].BucketName", r), p.Replicas[r].BucketName, limits.S3BucketName)
		add(fmt.Sprintf("Replicas[%q].KeyAlias", r), p.Replicas[r].KeyAlias, limits.KMSAliasName)
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
