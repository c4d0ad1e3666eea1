package delivery

import (
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/audit"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/observe"
	"github.com/relaycdk/relay/constructs/plan"
)

// observeProps are the props of cfg's Observer, or nil without
// observability, given cfg's release plan. Names: topics <name>-alerts and <name>-chat (key
// alias/relay/<name>/alerts), rules and alarms <name>-<kind>, log group
// /relay/<name>/events, dashboard <name>-pipeline.
func observeProps(cfg *config.Config, planned *plan.Pipeline) *observe.Props {
	o := cfg.Observability
	if o == nil {
		return nil
	}
	n := Names(cfg)
	p := &observe.Props{
		PipelineName:       n.Pipeline(),
		Prefix:             cfg.Name,
		Partition:          n.Partition,
		Account:            cfg.Tooling.Account,
		Region:             cfg.Tooling.Region,
		RolePath:           n.RolePath(),
		KeyAlias:           "alias/relay/" + cfg.Name + "/alerts",
		LogGroupName:       "/relay/" + cfg.Name + "/events",
		EventRetentionDays: o.EventRetentionDays,
		BuildProjects:      BuildProjects(cfg),
		Environments:       EnvironmentStages(planned),
		NoDashboard:        !o.DashboardEnabled(),
	}
	if a := o.Alarms; a != nil {
		p.Alarms = observe.Alarms{FailedExecutions: a.FailedExecutions, FailedPeriodMinutes: a.FailedPeriodMinutes, MaxExecutionMinutes: a.MaxExecutionMinutes}
	}
	p.Notifications.Events = []observe.Event{} // none unless configured
	if nt := o.Notifications; nt != nil {
		p.Notifications.Emails = nt.Emails
		p.Notifications.SucceededEnvironments = nt.Succeeded
		for _, e := range nt.Events {
			p.Notifications.Events = append(p.Notifications.Events, observe.Event(e))
		}
		for _, s := range nt.Slack {
			p.Notifications.Slack = append(p.Notifications.Slack, observe.SlackChannel{WorkspaceID: s.WorkspaceID, ChannelID: s.ChannelID, Name: s.Name})
		}
		for _, t := range nt.Teams {
			p.Notifications.Teams = append(p.Notifications.Teams, observe.TeamsChannel{TeamID: t.TeamID, TenantID: t.TenantID, ChannelID: t.ChannelID, Name: t.Name})
		}
	}
	return p
}

// BuildProjects are the names of the CodeBuild projects of cfg's pipeline:
// the build (unless build is none), the test and scan suites, the GitOps
// and Helm steps, and the CodeBuild steps.
func BuildProjects(cfg *config.Config) []string {
	n := Names(cfg)
	var out []string
	if !cfg.Build.None {
		out = append(out, n.BuildProject())
	}
	for _, s := range cfg.Tests {
		out = append(out, n.SuiteProject("test", s.Name))
	}
	if sc := cfg.SecurityScan; sc != nil {
		for _, s := range sc.Scanners {
			out = append(out, n.SuiteProject("scan", s.Name))
		}
	}
	if r, _ := cfg.Deploy.StrategyRelease(); r.EKS != nil && r.EKS.GitOps != nil {
		out = append(out, n.GitOpsProject())
	}
	if r, _ := cfg.Deploy.StrategyRelease(); r.EKS != nil && r.EKS.Helm != nil {
		for _, e := range cfg.Environments {
			if e.Account != "" {
				out = append(out, n.HelmProject(e.Name))
			}
		}
	}
	return append(out, StepProjects(cfg)...)
}

// EnvironmentStages are the deployments of a release plan in order, each
// with the deploy stages that deploy it (shared within a wave).
func EnvironmentStages(planned *plan.Pipeline) []observe.Environment {
	deps := planned.Input.Deployments
	out := make([]observe.Environment, len(deps))
	for i, d := range deps {
		out[i].Name = d.Name
	}
	for _, st := range planned.Stages {
		for _, a := range st.Actions {
			if a.Deployment < 0 {
				continue
			}
			e := &out[a.Deployment]
			if !slices.Contains(e.Stages, st.Name) {
				e.Stages = append(e.Stages, st.Name)
			}
		}
	}
	return out
}

// AuditProps are the props of cfg's trail, or nil when cfg creates none:
// the trail <trailName> records the data events of the artifact buckets of
// every region and of the S3 source buckets, in the bucket
// <name>-audit-<account>-<region> with the key alias/relay/<name>/audit.
// AccessLogBucket is left to the caller.
func AuditProps(cfg *config.Config) *audit.Props {
	a := cfg.Audit
	if a == nil || a.OrganizationTrail != "" {
		return nil
	}
	n := Names(cfg)
	buckets := []string{n.ArtifactBucket(cfg.Tooling.Region)}
	for _, r := range ReplicaRegions(cfg) {
		buckets = append(buckets, n.ArtifactBucket(r))
	}
	for _, src := range append([]config.Source{cfg.Source}, sources(cfg.ExtraSources)...) {
		if src.S3 != nil {
			buckets = append(buckets, src.S3.Bucket)
		}
	}
	return &audit.Props{
		TrailName:        a.TrailName,
		Partition:        n.Partition,
		Account:          cfg.Tooling.Account,
		Region:           cfg.Tooling.Region,
		DataEventBuckets: buckets,
		BucketName:       fmt.Sprintf("%s-audit-%s-%s", cfg.Name, cfg.Tooling.Account, cfg.Tooling.Region),
		KeyAlias:         "alias/relay/" + cfg.Name + "/audit",
		RetentionDays:    a.RetentionDays,
	}
}

func sources(x []config.ExtraSource) []config.Source {
	out := make([]config.Source, len(x))
	for i, s := range x {
		out[i] = s.Source
	}
	return out
}

// validateObservability checks the props spec gives the Observer and the
// trail, which config validation has judged field by field.
func validateObservability(spec *Spec) error {
	var errs []error
	if p := spec.Observe; p != nil {
		errs = append(errs, p.Validate())
	}
	if p := spec.Audit; p != nil {
		// The access-log bucket is the artifact store's, created later.
		errs = append(errs, p.ValidateNames())
	}
	return errors.Join(errs...)
}

// newObservability adds the Observer and the trail to the tooling stack.
func (d *Delivery) newObservability() {
	spec := d.spec
	if p := spec.Observe; p != nil {
		props := *p
		d.observer = observe.New(d.tooling, "Observe", &props)
	}
	if p := spec.Audit; p != nil {
		props := *p
		props.AccessLogBucket = d.store.AccessLogBucket()
		d.trail = audit.New(d.tooling, "Audit", &props)
		awscdk.NewCfnOutput(d.tooling, jsii.String("AuditTrail"), &awscdk.CfnOutputProps{
			Description: jsii.String("The trail that records the artifact buckets' data events"),
			Value:       d.trail.TrailArn(),
		})
	} else if spec.OrganizationTrail != "" {
		awscdk.NewCfnOutput(d.tooling, jsii.String("AuditTrail"), &awscdk.CfnOutputProps{
			Description: jsii.String("The existing trail that records the artifact buckets' data events (not created by Relay)"),
			Value:       jsii.String(spec.OrganizationTrail),
		})
	}
}

// Observer watches the pipeline, or is nil without observability.
func (d *Delivery) Observer() *observe.Observer { return d.observer }

// Trail records the artifact buckets' data events, or is nil when Relay
// creates no trail.
func (d *Delivery) Trail() *audit.Trail { return d.trail }
