// Package delivery turns a validated Relay configuration into stacks: one
// tooling stack with the artifact store and the pipeline, and one stack per
// environment with the roles the pipeline assumes there.
//
// The stacks never reference each other's resources: every cross-account
// name is computed by package naming, trust and grants use conditions
// instead of role ARNs as principals, and explicit stack dependencies order
// the target stacks before the tooling stack, so that `cdk deploy --all`
// works in one run and redeploying any stack alone is safe.
package delivery

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/audit"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/naming"
	"github.com/relaycdk/relay/constructs/observe"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/target"
)

// Delivery is every stack of one configuration.
type Delivery struct {
	config   *config.Config
	names    naming.Names
	tooling  awscdk.Stack
	store    *artifacts.Store
	pipeline *pipeline.Pipeline
	targets  []Target
	// replicas are the artifact stores of other regions, by region.
	replicas map[string]*Replica
	// stackSets roll the target roles out to OU environments.
	stackSets []awscdk.CfnStackSet
	// accountStacks hold the StackSet execution roles of accounts
	// environments, one per account.
	accountStacks []awscdk.Stack
	// observer and trail watch the pipeline (observability.go).
	observer *observe.Observer
	trail    *audit.Trail
}

// Replica is the artifact store of a region other than the tooling region.
type Replica struct {
	// Region is the store's region.
	Region string
	// Stack is the stack <name>-tooling-<region> in the tooling account.
	Stack awscdk.Stack
	// Store is the key and bucket.
	Store *artifacts.Store
}

// ReplicaRegions are the regions other than the tooling region that
// account environments deploy to, sorted. (OU environments deploy through
// StackSets from the tooling region and need none.)
func ReplicaRegions(cfg *config.Config) []string {
	var out []string
	for _, e := range cfg.Environments {
		if e.Account == "" {
			continue
		}
		for _, r := range e.Regions {
			if r != cfg.Tooling.Region {
				out = append(out, r)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Replicas are the artifact stores of the other regions, sorted by region.
func (d *Delivery) Replicas() []*Replica {
	var out []*Replica
	for _, r := range slices.Sorted(maps.Keys(d.replicas)) {
		out = append(out, d.replicas[r])
	}
	return out
}

// Target is one environment's stack and roles.
type Target struct {
	// Environment is the environment's name.
	Environment string
	// Stack holds the roles.
	Stack awscdk.Stack
	// Roles are the deploy and execution roles.
	Roles *target.DeploymentTarget
}

// Names derives the physical names of cfg's resources.
func Names(cfg *config.Config) naming.Names {
	return naming.Names{
		Name:           cfg.Name,
		Partition:      cfg.Partition(),
		ToolingAccount: cfg.Tooling.Account,
		ToolingRegion:  cfg.Tooling.Region,
	}
}

// New adds cfg's stacks to app. cfg must have passed config validation
// (config.Parse or Config.Validate): New does not check it again.
func New(app constructs.Construct, cfg *config.Config) *Delivery {
	n := Names(cfg)
	d := &Delivery{config: cfg, names: n}
	tags := map[string]*string{"relay:pipeline": jsii.String(cfg.Name)}

	execRoles := map[[2]string]bool{} // StackSet owner and account with an execution role
	for _, env := range cfg.Environments {
		for _, account := range env.Accounts {
			if key := [2]string{stackSetOwner(env), account}; execRoles[key] {
				continue
			} else {
				execRoles[key] = true
			}
			// Each account of a self-managed StackSet holds its execution role.
			stack := awscdk.NewStack(app, jsii.String(n.AccountStack(env.Name, account)), &awscdk.StackProps{
				StackName:   jsii.String(n.AccountStack(env.Name, account)),
				Description: jsii.String("Relay " + cfg.Name + ": the StackSet execution role that deploys " + env.Name + " in this account"),
				Env:         &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(env.Regions[0])},
				Tags:        &tags,
			})
			newStackSetExecutionRole(stack, cfg, stackSetOwner(env))
			d.accountStacks = append(d.accountStacks, stack)
		}
		if env.Account == "" {
			continue // StackSets: roles above, or rolled out by a StackSet of the tooling stack, below
		}
		props := TargetProps(cfg, env)
		if props.DeployRoleName == "" && props.InvokeRoleName == "" {
			continue // a GitOps release needs nothing in the account
		}
		stack := awscdk.NewStack(app, jsii.String(n.TargetStack(env.Name)), &awscdk.StackProps{
			StackName:   jsii.String(n.TargetStack(env.Name)),
			Description: jsii.String("Relay " + cfg.Name + ": roles that let the pipeline in " + cfg.Tooling.Account + " deploy to " + env.Name),
			Env:         &awscdk.Environment{Account: jsii.String(env.Account), Region: jsii.String(env.Regions[0])},
			Tags:        &tags,
		})
		roles := target.New(stack, "Target", props)
		addReleaseResources(stack, cfg, env, roles)
		d.targets = append(d.targets, Target{Environment: env.Name, Stack: stack, Roles: roles})
	}

	d.tooling = awscdk.NewStack(app, jsii.String(n.ToolingStack()), &awscdk.StackProps{
		StackName:   jsii.String(n.ToolingStack()),
		Description: jsii.String("Relay " + cfg.Name + ": pipeline, artifact key and bucket"),
		Env:         &awscdk.Environment{Account: jsii.String(cfg.Tooling.Account), Region: jsii.String(cfg.Tooling.Region)},
		Tags:        &tags,
	})
	readers := artifacts.Readers{RoleArnPatterns: []string{n.DeployRolePattern()}}
	if len(cfg.Deploy.Hooks) > 0 {
		readers.RoleArnPatterns = append(readers.RoleArnPatterns, n.InvokeRolePattern())
	}
	if x := cfg.Deploy.CodeDeploy; x != nil {
		// The CodeDeploy agent downloads revisions with the instance role:
		// one pattern per role name, whatever the number of accounts.
		for _, r := range values.SortedUnique(x.InstanceRoles) {
			readers.RoleArnPatterns = append(readers.RoleArnPatterns, fmt.Sprintf("arn:%s:iam::*:role/%s", n.Partition, r))
		}
	}
	if cfg.Organization != nil {
		readers.OrganizationID = cfg.Organization.ID
	} else {
		for _, env := range cfg.Environments {
			if env.Account != "" {
				readers.Accounts = append(readers.Accounts, env.Account)
			}
		}
	}
	d.store = artifacts.NewStore(d.tooling, "Artifacts", &artifacts.StoreProps{
		BucketName:          n.ArtifactBucket(cfg.Tooling.Region),
		AccessLogBucketName: n.AccessLogBucket(cfg.Tooling.Region),
		KeyAlias:            n.ArtifactKeyAlias(),
		Readers:             readers,
	})
	// Every other region that an account environment deploys to gets an
	// artifact store of its own, in the tooling account, with the same
	// settings and grants; CodePipeline replicates artifacts there.
	d.replicas = map[string]*Replica{}
	replicas := map[string]pipeline.Replica{}
	for _, r := range ReplicaRegions(cfg) {
		stack := awscdk.NewStack(app, jsii.String(n.ToolingStack()+"-"+r), &awscdk.StackProps{
			StackName:   jsii.String(n.ToolingStack() + "-" + r),
			Description: jsii.String("Relay " + cfg.Name + ": artifact key and bucket for deployments to " + r),
			Env:         &awscdk.Environment{Account: jsii.String(cfg.Tooling.Account), Region: jsii.String(r)},
			Tags:        &tags,
		})
		store := artifacts.NewStore(stack, "Artifacts", &artifacts.StoreProps{
			BucketName:          n.ArtifactBucket(r),
			AccessLogBucketName: n.AccessLogBucket(r),
			KeyAlias:            n.ArtifactKeyAlias(),
			Readers:             readers,
		})
		d.replicas[r] = &Replica{Region: r, Stack: stack, Store: store}
		replicas[r] = pipeline.Replica{BucketName: n.ArtifactBucket(r), KeyAlias: n.ArtifactKeyAlias()}
	}

	props := &pipeline.Props{
		Partition:    n.Partition,
		PipelineName: n.Pipeline(),
		RoleName:     n.PipelineRole(),
		RolePath:     n.RolePath(),
		Store:        d.store,
		Replicas:     replicas,
		Source:       PipelineSource(cfg.Source),

		Build: pipeline.Build{
			ProjectName:      n.BuildProject(),
			Buildspec:        cfg.Build.Buildspec,
			TimeoutMinutes:   cfg.Build.TimeoutMinutes,
			ComputeType:      cfg.Build.ComputeType,
			Image:            cfg.Build.Image,
			LogGroupName:     n.BuildLogGroup(),
			LogRetentionDays: cfg.Build.LogRetentionDays,
			Privileged:       cfg.Build.Privileged,
			Cache:            cfg.Build.Cache,
		},
		ExecutionMode:         cfg.Pipeline.ExecutionMode,
		DeployRolePatterns:    []string{n.DeployRolePattern()},
		ApprovalTopicPatterns: []string{n.ApprovalTopicPattern()},
		GitOpsProjectName:     n.GitOpsProject(),
		HelmProjectName:       n.HelmProject(),
	}
	if len(cfg.Deploy.Hooks) > 0 {
		props.InvokeRolePatterns = []string{n.InvokeRolePattern()}
	}
	if usesHelm(cfg) {
		props.HelmRoleName = n.HelmProject()
	}
	props.Deployments = Deployments(cfg)
	for _, x := range cfg.ExtraSources {
		src := PipelineSource(x.Source)
		src.Name = x.Name
		props.ExtraSources = append(props.ExtraSources, src)
	}
	props.Tests = suites(n, "test", cfg.Tests)
	if sc := cfg.SecurityScan; sc != nil {
		props.Scan = &pipeline.Scan{FailOn: sc.FailOn, Scanners: suites(n, "scan", sc.Scanners)}
	}
	if len(cfg.Build.EnvironmentVariables) > 0 {
		props.Build.EnvironmentVariables = map[string]pipeline.BuildVariable{}
		for name, v := range cfg.Build.EnvironmentVariables {
			props.Build.EnvironmentVariables[name] = pipeline.BuildVariable{Value: v.Value, Parameter: v.Parameter, Secret: v.Secret}
		}
	}
	for _, v := range cfg.Pipeline.Variables {
		props.Variables = append(props.Variables, pipeline.Variable{Name: v.Name, Default: v.Default, Description: v.Description})
	}
	if a := cfg.Pipeline.Approvers; a != nil {
		props.ApproverPrincipals = a.Principals
		props.ApproverRoleName = n.ApproverRole()
	}
	d.pipeline = pipeline.New(d.tooling, "Pipeline", props)
	d.newObservability()
	if usesLambdaHooks(cfg) {
		newJobResultsRole(d.tooling, cfg)
	}
	if slices.ContainsFunc(cfg.Environments, func(e config.Environment) bool { return len(e.Accounts) > 0 }) {
		newStackSetAdminRole(d.tooling, cfg)
	}
	for _, env := range cfg.Environments {
		if len(env.OrganizationalUnits) > 0 {
			d.stackSets = append(d.stackSets, newRolesStackSet(d.tooling, cfg, env))
		}
	}

	// The deploy roles must exist before the pipeline first runs; ordering
	// the stacks makes `cdk deploy --all` create them first.
	for _, t := range d.targets {
		d.tooling.AddStackDependency(t.Stack, jsii.String("the pipeline assumes the deploy role of "+t.Environment))
	}
	for _, s := range d.accountStacks {
		d.tooling.AddStackDependency(s, jsii.String("StackSets assume the execution role in "+*s.Account()))
	}
	for _, r := range ReplicaRegions(cfg) {
		d.tooling.AddStackDependency(d.replicas[r].Stack, jsii.String("the pipeline replicates artifacts to "+r))
	}
	return d
}

// AccountStacks hold the StackSet execution roles of accounts
// environments, one stack per environment and account.
func (d *Delivery) AccountStacks() []awscdk.Stack { return d.accountStacks }

// Config is the configuration d was built from.
func (d *Delivery) Config() *config.Config { return d.config }

// Names are the physical names of this delivery's resources.
func (d *Delivery) Names() naming.Names { return d.names }

// ToolingStack holds the pipeline and the artifact store.
func (d *Delivery) ToolingStack() awscdk.Stack { return d.tooling }

// Store is the artifact store.
func (d *Delivery) Store() *artifacts.Store { return d.store }

// Pipeline is the pipeline.
func (d *Delivery) Pipeline() *pipeline.Pipeline { return d.pipeline }

// Targets are the environments' stacks, in deployment order.
func (d *Delivery) Targets() []Target { return d.targets }

// Stacks are every stack, targets first, then the tooling stack.
func (d *Delivery) Stacks() []awscdk.Stack {
	var out []awscdk.Stack
	for _, t := range d.targets {
		out = append(out, t.Stack)
	}
	out = append(out, d.accountStacks...)
	for _, r := range d.Replicas() {
		out = append(out, r.Stack)
	}
	return append(out, d.tooling)
}

// TargetProps are the props of env's deployment target. For an environment
// of organizational units, Account is empty: the roles go to whichever
// account the StackSet deploys them to.
func TargetProps(cfg *config.Config, env config.Environment) *target.Props {
	n := Names(cfg)
	p := &target.Props{
		Partition:          n.Partition,
		Account:            env.Account,
		Regions:            env.Regions,
		RolePath:           n.RolePath(),
		DeployRoleName:     n.DeployRole(env.Name),
		PipelineAccount:    cfg.Tooling.Account,
		PipelineRoleArns:   []string{n.PipelineRoleArn()},
		ArtifactBucketArns: artifactBucketArns(n, cfg.Tooling.Region, env.Regions),
		ArtifactKeyArns:    artifactKeyArns(n, cfg.Tooling.Region, env.Regions),
	}
	if cfg.Deploy.IsStack() {
		p.StackNames = []string{cfg.Deploy.StackName}
		p.ExecutionRoleName = n.ExecutionRole(env.Name)
		p.ExecutionManagedPolicyArns = cfg.Deploy.ExecutionPolicy.ManagedPolicyArns
		p.ExecutionStatements = statements(cfg.Deploy.ExecutionPolicy.Statements)
	}
	if env.Account != "" {
		p.DeployStatements, p.InvokeStatements = releaseGrants(cfg, env)
		if len(p.StackNames) == 0 && len(p.DeployStatements) == 0 {
			p.DeployRoleName = "" // a GitOps release needs no deploy role
		}
		if len(cfg.Deploy.Hooks) > 0 {
			p.InvokeRoleName = n.InvokeRole(env.Name)
		}
		if x := cfg.Deploy.CodeDeploy; x != nil {
			p.ArtifactReaderRoles = x.InstanceRoles
		}
	}
	if usesHelm(cfg) {
		p.TrustedRoleArns = []string{n.HelmRoleArn()}
	}
	return p
}

// artifactBucketArns are the stores a deploy role in regions reads: the
// tooling region's and each other region's replica.
func artifactBucketArns(n naming.Names, tooling string, regions []string) []string {
	out := []string{n.ArtifactBucketArn(tooling)}
	for _, r := range regions {
		if r != tooling {
			out = append(out, n.ArtifactBucketArn(r))
		}
	}
	return out
}

// artifactKeyArns are the key patterns that go with artifactBucketArns.
func artifactKeyArns(n naming.Names, tooling string, regions []string) []string {
	out := []string{n.ArtifactKeyPattern(tooling)}
	for _, r := range regions {
		if r != tooling {
			out = append(out, n.ArtifactKeyPattern(r))
		}
	}
	return out
}

// StackSets are the StackSets that roll the target roles out to the
// environments of organizational units, in config order.
func (d *Delivery) StackSets() []awscdk.CfnStackSet { return d.stackSets }

// Deployments are the pipeline deployments of cfg's environments, in order.
func Deployments(cfg *config.Config) []pipeline.Deployment {
	n := Names(cfg)
	var out []pipeline.Deployment
	for _, env := range cfg.Environments {
		dep := pipeline.Deployment{
			Name:                  env.Name,
			Wave:                  env.Wave,
			Account:               env.Account,
			OrganizationalUnits:   env.OrganizationalUnits,
			DisableRollback:       env.DisableRollback,
			ParameterOverrides:    env.Parameters,
			TemplateConfiguration: env.TemplateConfiguration,
			ReviewChangeSet:       env.ReviewChangeSet,
			Regions:               env.Regions,
			DeployRoleArn:         n.DeployRoleArn(env.Account, env.Name),
			ExecutionRoleArn:      n.ExecutionRoleArn(env.Account, env.Name),
			StackName:             cfg.Deploy.StackName,
			TemplatePath:          cfg.Deploy.TemplatePath,
			Capabilities:          cfg.Deploy.Capabilities,
			Accounts:              env.Accounts,
			StackSetOf:            env.StackSetOf,
		}
		if len(env.Accounts) > 0 {
			dep.StackSetAdminRoleArn = n.StackSetAdminRoleArn()
			dep.StackSetExecutionRoleName = n.StackSetExecutionRole(stackSetOwner(env))
		}
		releases(cfg, env, &dep)
		if r := env.Rollout; r != nil {
			dep.MaxConcurrentPercentage, dep.FailureTolerancePercentage = r.MaxConcurrentPercentage, r.FailureTolerancePercentage
		}
		if env.Account == "" {
			dep.DeployRoleArn, dep.ExecutionRoleArn = "", ""
		}
		if env.Freeze != nil {
			dep.Freeze = env.Freeze.Reason
		}
		if ec := env.EntryConditions; ec != nil {
			if w := ec.DeploymentWindow; w != nil {
				dep.Window = &pipeline.Window{Cron: w.Cron, TimeZone: w.TimeZone}
			}
			dep.NoAlarms = ec.NoAlarms
		}
		if env.Approval != nil {
			dep.Approval = &pipeline.Approval{
				TopicName:      n.ApprovalTopic(env.Name),
				Comment:        env.Approval.Comment,
				Notify:         env.Approval.Notify,
				ReviewURL:      env.Approval.ReviewURL,
				TimeoutMinutes: env.Approval.TimeoutMinutes,
			}
		}
		out = append(out, dep)
	}
	return out
}

// Validate checks what config validation cannot see: the shape of the
// pipeline cfg makes (stages per pipeline, actions per stage). It runs
// without jsii, before any construct is created.
func Validate(cfg *config.Config) error {
	if _, err := pipeline.PlanStages(Deployments(cfg)); err != nil {
		return fmt.Errorf("environments: %w", err)
	}
	// The CodeDeploy groups check what config validation does not know
	// (such as a Network Load Balancer allowing only ECSAllAtOnce).
	n := Names(cfg)
	var errs []error
	for i, env := range cfg.Environments {
		if env.Account == "" {
			continue
		}
		r, err := cfg.ReleaseFor(env, env.Regions[0])
		switch {
		case err != nil:
			errs = append(errs, err)
		case r.ECSBlueGreen != nil:
			if err := ecsProps(n, env.Name, r.ECSBlueGreen).Validate(); err != nil {
				errs = append(errs, fmt.Errorf("deploy.ecsBlueGreen for environments[%d] %q: %w", i, env.Name, err))
			}
		case r.CodeDeploy != nil:
			if err := serverProps(n, env.Name, r.CodeDeploy).Validate(); err != nil {
				errs = append(errs, fmt.Errorf("deploy.codeDeploy for environments[%d] %q: %w", i, env.Name, err))
			}
		}
	}
	errs = append(errs, validateObservability(cfg))
	return errors.Join(errs...)
}

// suites are cfg suites as pipeline suites, with deterministic project and
// report group names.
func suites(n naming.Names, stage string, in []config.Suite) []pipeline.Suite {
	var out []pipeline.Suite
	for _, s := range in {
		ps := pipeline.Suite{
			Name: s.Name, Commands: s.Commands, Preset: s.Preset, Input: s.Input, RunOrder: s.RunOrder,
			ProjectName:     n.SuiteProject(stage, s.Name),
			ReportGroupName: n.SuiteProject(stage, s.Name),
		}
		if r := s.Reports; r != nil {
			ps.Reports = &pipeline.Reports{Files: r.Files, Format: r.Format}
		}
		out = append(out, ps)
	}
	return out
}

func statements(in []config.Statement) []target.Statement {
	out := make([]target.Statement, len(in))
	for i, s := range in {
		out[i] = target.Statement{Sid: s.Sid, Actions: s.Actions, Resources: s.Resources}
	}
	return out
}

// PipelineSource is src as a pipeline source.
func PipelineSource(src config.Source) pipeline.Source {
	conn := func(provider string, g *config.ConnectionSource) *pipeline.ConnectionSource {
		owner, repo := splitRepository(g.Repository)
		c := &pipeline.ConnectionSource{Provider: provider, Owner: owner, Repo: repo, Branch: g.Branch, ConnectionArn: g.ConnectionArn, FullClone: g.FullClone}
		if t := g.Triggers; t != nil {
			c.Triggers = &pipeline.Triggers{Branches: filter(t.Branches), Tags: filter(t.Tags), FilePaths: filter(t.FilePaths)}
		}
		return c
	}
	var out pipeline.Source
	switch {
	case src.GitHub != nil:
		out.Connection = conn("GitHub", src.GitHub)
	case src.GitLab != nil:
		out.Connection = conn("GitLab", src.GitLab)
	case src.Bitbucket != nil:
		out.Connection = conn("Bitbucket", src.Bitbucket)
	case src.S3 != nil:
		out.S3 = &pipeline.S3Source{Bucket: src.S3.Bucket, Key: src.S3.Key}
	case src.CodeCommit != nil:
		out.CodeCommit = &pipeline.CodeCommitSource{Repository: src.CodeCommit.Repository, Branch: src.CodeCommit.Branch}
	case src.ECR != nil:
		out.ECR = &pipeline.ECRSource{Repository: src.ECR.Repository, Tag: src.ECR.Tag}
	}
	return out
}

func filter(f *config.Filter) pipeline.Filter {
	if f == nil {
		return pipeline.Filter{}
	}
	return pipeline.Filter{Includes: f.Includes, Excludes: f.Excludes}
}

// splitRepository splits owner/repo at the first slash. The source action
// joins the two back into the full repository ID, so GitLab subgroups
// (group/sub/project) come through whole.
func splitRepository(r string) (owner, repo string) {
	for i := 0; i < len(r); i++ {
		if r[i] == '/' {
			return r[:i], r[i+1:]
		}
	}
	return r, ""
}
