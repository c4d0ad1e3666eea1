package delivery

import (
	"fmt"
	"strings"

	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/target"
)

// composed is one physical name Relay composes from config fields.
type composed struct {
	// name is the composed name, id its kind (a limits.NameRules key).
	name, id string
	// shape says how it is composed, such as <name>-<environment>-deploy.
	shape string
	// fields are the config fields that compose it.
	fields []string
}

// checkNames checks every physical name of spec after composition, per
// environment and region, against its AWS limit and alphabet
// (limits.CheckName): stacks, StackSets, roles, managed policies, buckets,
// log groups, the pipeline, CodeBuild projects and report groups, topics,
// CodeDeploy applications and groups, and key aliases. (Stage and action
// names, variable namespaces and the workload StackSets' names are the
// release plan's, checked by package plan.) Each problem names the config
// fields that compose the name, the length, the limit and its source.
func (t *translator) checkNames(spec *Spec) []error {
	cfg := t.cfg
	index := map[string]int{}
	for i, e := range cfg.Environments {
		index[e.Name] = i
	}
	env := func(name string) string { return fmt.Sprintf("environments[%d].name", index[name]) }
	// regionField names where a region comes from: the tooling region, or
	// the first environment that deploys there.
	regionField := func(region string) string {
		if region == cfg.Tooling.Region {
			return "tooling.region"
		}
		for i, e := range cfg.Environments {
			for k, r := range e.Regions {
				if r == region {
					return fmt.Sprintf("environments[%d].regions[%d]", i, k)
				}
			}
		}
		return "tooling.region"
	}
	var all []composed
	add := func(name, id, shape string, fields ...string) {
		if name != "" {
			all = append(all, composed{name, id, shape, fields})
		}
	}
	n, p := spec.Names, spec.Pipeline
	add(n.ToolingStack(), limits.StackName, "<name>-tooling", "name")
	add(p.PipelineName, limits.PipelineName, "<name>", "name")
	add(p.RoleName, limits.IAMRoleName, "<name>-pipeline", "name")
	add(p.ApproverRoleName, limits.IAMRoleName, "<name>-approver", "name")
	add(p.Build.ProjectName, limits.CodeBuildProjectName, "<name>-build", "name")
	add(p.Build.LogGroupName, limits.LogGroupName, "/relay/<name>/build", "name")
	for i, s := range p.Tests {
		field := fmt.Sprintf("tests[%d].name", i)
		add(s.ProjectName, limits.CodeBuildProjectName, "<name>-test-<suite>", "name", field)
		if s.Reports != nil {
			add(s.ReportGroupName, limits.ReportGroupName, "<name>-test-<suite>", "name", field)
		}
	}
	if sc := p.Scan; sc != nil {
		for i, s := range sc.Scanners {
			field := fmt.Sprintf("securityScan.scanners[%d].name", i)
			add(s.ProjectName, limits.CodeBuildProjectName, "<name>-scan-<scanner>", "name", field)
			if s.Reports != nil {
				add(s.ReportGroupName, limits.ReportGroupName, "<name>-scan-<scanner>", "name", field)
			}
		}
	}
	if x := cfg.Deploy.EKS; x != nil && x.GitOps != nil {
		add(p.GitOpsProjectName, limits.CodeBuildProjectName, "<name>-gitops", "name")
	}
	// Each environment's Helm step has its own project and role,
	// <name>-<environment>-helm.
	for _, d := range p.Deployments {
		if x, ok := d.Release.(*pipeline.EKSRelease); ok && x != nil && x.Helm != nil {
			add(x.Helm.ProjectName, limits.CodeBuildProjectName, "<name>-<environment>-helm", "name", env(d.Name))
			add(x.Helm.RoleName, limits.IAMRoleName, "<name>-<environment>-helm", "name", env(d.Name))
		}
	}
	// A CodeBuild step's project, <name>-step-<step> for a top-level step
	// without a role (shared by the environments) or
	// <name>-<environment>-step-<step> (stepProject), and its role of the
	// same name when the step has a role. Both are unique
	// in the tooling account with the test and scan projects and the Helm
	// projects (<name>-test-step-x is env test's step x and suite step-x).
	for i, d := range p.Deployments {
		for k, st := range d.Steps {
			x, ok := st.Action.(*pipeline.CodeBuildStep)
			if !ok || x == nil {
				continue
			}
			field := t.paths[fmt.Sprintf("Deployments[%d].Steps[%d].Action.ProjectName", i, k)]
			shape, fields := "<name>-<environment>-step-<step>", []string{"name", env(d.Name), field}
			if topLevel(field) && x.ProjectName == t.n.StepProject("", st.Name) {
				shape, fields = "<name>-step-<step>", []string{"name", field}
			}
			add(x.ProjectName, limits.CodeBuildProjectName, shape, fields...)
			add(x.RoleName, limits.IAMRoleName, shape, fields...)
		}
	}
	for _, d := range p.Deployments {
		if d.Approval != nil {
			add(d.Approval.TopicName, limits.SNSTopicName, "<name>-<environment>-approval", "name", env(d.Name))
		}
	}
	store := func(region string, bucket, logs, alias string) {
		fields := []string{"name", "tooling.account", regionField(region)}
		add(bucket, limits.S3BucketName, "<name>-artifacts-<tooling account>-<region>", fields...)
		add(logs, limits.S3BucketName, "<name>-logs-<tooling account>-<region>", fields...)
		add(alias, limits.KMSAliasName, "alias/relay/<name>/artifacts", "name")
	}
	store(cfg.Tooling.Region, spec.Store.BucketName, spec.Store.AccessLogBucketName, spec.Store.KeyAlias)
	for _, r := range spec.Replicas {
		add(n.ToolingStack()+"-"+r.Region, limits.StackName, "<name>-tooling-<region>", "name", regionField(r.Region))
		store(r.Region, r.Store.BucketName, r.Store.AccessLogBucketName, r.Store.KeyAlias)
	}
	if a := spec.Audit; a != nil {
		add(a.BucketName, limits.S3BucketName, "<name>-audit-<tooling account>-<tooling region>", "name", "tooling.account", "tooling.region")
		add(a.KeyAlias, limits.KMSAliasName, "alias/relay/<name>/audit", "name")
	}
	if r := spec.Recovery; r != nil {
		add(r.RoleName, limits.IAMRoleName, "<name>-recovery", "name")
		add(r.LogGroupName, limits.LogGroupName, "/relay/<name>/recovery", "name")
	}
	if jr := spec.JobResults; jr != nil {
		add(jr.RoleName, limits.IAMRoleName, "<name>-job-results", "name")
	}
	if sa := spec.StackSetAdmin; sa != nil {
		add(sa.RoleName, limits.IAMRoleName, "<name>-stackset-admin", "name")
	}
	for _, ts := range spec.Targets {
		add(ts.StackName, limits.StackName, "<name>-<environment>", "name", env(ts.Environment))
		t.targetNames(add, ts.Props, env(ts.Environment))
		if x := ts.ECS; x != nil {
			add(x.ApplicationName, limits.CodeDeployAppName, "<name>", "name")
			add(x.DeploymentGroupName, limits.CodeDeployGroupName, "<name>-<environment>", "name", env(ts.Environment))
		}
		if x := ts.Server; x != nil {
			add(x.ApplicationName, limits.CodeDeployAppName, "<name>", "name")
			add(x.DeploymentGroupName, limits.CodeDeployGroupName, "<name>-<environment>", "name", env(ts.Environment))
		}
	}
	for _, a := range spec.AccountStacks {
		i := index[a.Environment]
		k := 0
		for j, acct := range cfg.Environments[i].Accounts {
			if acct == a.Account {
				k = j
			}
		}
		add(a.StackName, limits.StackName, "<name>-<environment>-<account>", "name", env(a.Environment), fmt.Sprintf("environments[%d].accounts[%d]", i, k))
		owner := env(a.Owner)
		if a.Owner != a.Environment {
			owner = fmt.Sprintf("environments[%d].stackSetOf", i)
		}
		add(a.Role.RoleName, limits.IAMRoleName, "<name>-<environment>-stackset-exec", "name", owner)
	}
	spec.composed = all
	var errs []error
	seen := map[string]bool{}
	for _, c := range all {
		if seen[c.id+"\x00"+c.name] {
			continue
		}
		seen[c.id+"\x00"+c.name] = true
		if rule := limits.CheckName(c.id, c.name); rule != "" {
			what := strings.TrimSuffix(limits.ByID(c.id).What, " (characters)")
			fix := "shorten " + strings.Join(c.fields, " or ")
			switch {
			case strings.HasPrefix(rule, "is not"):
				fix = "change " + strings.Join(c.fields, " or ")
			case strings.HasPrefix(rule, "starts with"):
				// A reserved prefix: the name's first part starts it.
				fix = "choose another " + c.fields[0]
			}
			errs = append(errs, fmt.Errorf("%s: %s %q (%s) %s: %s",
				strings.Join(c.fields, ", "), what, c.name, c.shape, rule, fix))
		}
	}
	return errs
}

// targetNames adds the names of a target's roles and reader policy (env
// is the environment's name field).
func (t *translator) targetNames(add func(name, id, shape string, fields ...string), p *target.Props, env string) {
	if p == nil {
		return
	}
	add(p.DeployRoleName, limits.IAMRoleName, "<name>-<environment>-deploy", "name", env)
	add(p.ExecutionRoleName, limits.IAMRoleName, "<name>-<environment>-cfn-exec", "name", env)
	add(p.InvokeRoleName, limits.IAMRoleName, "<name>-<environment>-invoke", "name", env)
	add(p.ArtifactReaderPolicyName, limits.IAMManagedPolicyName, "<name>-<environment>-artifact-reader", "name", env)
	for _, r := range p.ExecutionRoles {
		add(r.Name, limits.IAMRoleName, "<name>-<environment>-<stack>-cfn-exec", "name", env, "deploy.stacks[].name")
	}
	for _, r := range p.StepRoles {
		add(r.Name, limits.IAMRoleName, "<name>-<environment>-<step>-step", "name", env, "steps[].name or environments[].steps[].name")
	}
}

// targetNamesFit reports whether every name of a target's roles and reader
// policy fits its rule (checkNames reports those that do not).
func targetNamesFit(p *target.Props) bool {
	for _, x := range [][2]string{
		{p.DeployRoleName, limits.IAMRoleName}, {p.ExecutionRoleName, limits.IAMRoleName},
		{p.InvokeRoleName, limits.IAMRoleName}, {p.ArtifactReaderPolicyName, limits.IAMManagedPolicyName},
	} {
		if x[0] != "" && limits.CheckName(x[1], x[0]) != "" {
			return false
		}
	}
	for _, r := range p.ExecutionRoles {
		if limits.CheckName(limits.IAMRoleName, r.Name) != "" {
			return false
		}
	}
	for _, r := range p.StepRoles {
		if limits.CheckName(limits.IAMRoleName, r.Name) != "" {
			return false
		}
	}
	return true
}
