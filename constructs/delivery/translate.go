package delivery

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/naming"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/plan"
	"github.com/relaycdk/relay/constructs/recovery"
	"github.com/relaycdk/relay/constructs/target"
)

// Names derives the physical names of cfg's resources.
func Names(cfg *config.Config) naming.Names {
	return naming.Names{
		Name:           cfg.Name,
		Partition:      cfg.Partition(),
		ToolingAccount: cfg.Tooling.Account,
		ToolingRegion:  cfg.Tooling.Region,
	}
}

// ReplicaRegions are the regions other than the tooling region that
// account environments deploy to, sorted. (OU and accounts environments
// deploy through StackSets from the tooling region and need none.)
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

// Translate reads cfg, which must have passed config validation
// (config.Load, config.Parse or Config.Validate), once into a Spec, and
// validates all of it before any construct exists: the release plan
// (stages and actions per stage, stage and action names, namespaces), each
// target's roles, the CodeDeploy groups, the uniqueness of stack names, and
// every physical name after composition, per environment and region, against
// its AWS limit (checkNames). Every problem comes at
// once, each naming the config field. config.ReleaseFor runs here, once per
// account environment and region.
func Translate(cfg *config.Config) (*Spec, error) {
	if cfg == nil {
		return nil, errors.New("delivery.Translate: config is nil; load one with config.Load")
	}
	t := &translator{cfg: cfg, n: Names(cfg), paths: map[string]string{}}
	if err := t.expand(); err != nil {
		return nil, err
	}
	n := t.n
	spec := &Spec{Names: n, Tags: map[string]string{"relay:pipeline": cfg.Name}, cfg: cfg}
	readers := t.readers()
	spec.Store = artifacts.StoreProps{
		BucketName:          n.ArtifactBucket(cfg.Tooling.Region),
		AccessLogBucketName: n.AccessLogBucket(cfg.Tooling.Region),
		KeyAlias:            n.ArtifactKeyAlias(),
		Readers:             readers,
	}
	// Every other region that an account environment deploys to gets an
	// artifact store of its own, in the tooling account, with the same
	// settings and grants; CodePipeline replicates artifacts there.
	replicas := map[string]pipeline.Replica{}
	for _, r := range ReplicaRegions(cfg) {
		spec.Replicas = append(spec.Replicas, ReplicaSpec{Region: r, Store: artifacts.StoreProps{
			BucketName:          n.ArtifactBucket(r),
			AccessLogBucketName: n.AccessLogBucket(r),
			KeyAlias:            n.ArtifactKeyAlias(),
			Readers:             readers,
		}})
		replicas[r] = pipeline.Replica{BucketName: n.ArtifactBucket(r), KeyAlias: n.ArtifactKeyAlias()}
	}
	var errs []error
	spec.SourceAccounts, errs = t.sourceAccounts()
	spec.Store.Writers = sourceWriters(spec.SourceAccounts)
	spec.Pipeline = t.pipelineProps(replicas)
	spec.AssetStores = t.assetStores()
	t.assetPipelineProps(spec.Pipeline, spec.AssetStores)

	owners := map[[2]string]bool{} // StackSet owner and account with an execution role
	for i, env := range cfg.Environments {
		for _, account := range env.Accounts {
			key := [2]string{stackSetOwner(env), account}
			if owners[key] {
				continue
			}
			owners[key] = true
			spec.AccountStacks = append(spec.AccountStacks, t.accountStack(env, account))
		}
		// An organizationalUnits environment gets no roles in its
		// accounts: the pipeline role runs its StackSet actions, and
		// StackSets acts in the member accounts through its own roles.
		if env.Account != "" {
			ts := t.targetSpec(i, env)
			if ts.Props == nil {
				continue // a GitOps release needs nothing in the account
			}
			// A name that breaks its rule is reported by checkNames, with
			// the fields that compose it.
			if err := ts.Props.Validate(); err != nil && targetNamesFit(ts.Props) {
				errs = append(errs, fmt.Errorf("environments[%d] %q: %w", i, env.Name, err))
			}
			if ts.ECS != nil {
				if err := ts.ECS.Validate(); err != nil {
					errs = append(errs, fmt.Errorf("deploy.ecsBlueGreen for environments[%d] %q: %w", i, env.Name, err))
				}
			}
			if ts.Server != nil {
				if err := ts.Server.Validate(); err != nil {
					errs = append(errs, fmt.Errorf("deploy.codeDeploy for environments[%d] %q: %w", i, env.Name, err))
				}
			}
			for _, region := range env.Regions {
				if g, block := existingGroupOf(t.releases[i][region]); g != nil {
					if err := g.Validate(); err != nil {
						errs = append(errs, fmt.Errorf("%s.existingGroup for environments[%d] %q in %s: %w", block, i, env.Name, region, err))
					}
				}
			}
			spec.Targets = append(spec.Targets, ts)
		}
	}
	// Self-update deploys every stack of the app: it may assume the CDK
	// bootstrap roles of exactly their environments (the same list
	// relay-bootstrap bootstraps).
	if su := spec.Pipeline.SelfUpdate; su != nil {
		su.Environments = spec.stackEnvironments()
	}

	planned, err := plan.New(spec.Pipeline.Input())
	if err != nil {
		errs = append(errs, err)
	} else if _, err := spec.Pipeline.Plan(); err != nil {
		errs = append(errs, err)
	}
	spec.Plan = planned

	if slices.ContainsFunc(cfg.Environments, func(e config.Environment) bool { return len(e.Accounts) > 0 }) {
		var stackSets []string
		for i, e := range cfg.Environments {
			if len(e.Accounts) > 0 && e.StackSetOf == "" {
				stackSets = append(stackSets, fmt.Sprintf("arn:%s:cloudformation:*:%s:stackset/%s-%s:*", n.Partition, cfg.Tooling.Account, t.releases[i][""].StackName, e.Name))
			}
		}
		spec.StackSetAdmin = &StackSetAdminSpec{
			RoleName: n.StackSetAdminRole(), RolePath: n.RolePath(),
			StackSets: stackSets, ExecutionRoles: n.StackSetExecutionRolePattern(),
		}
	}
	if slices.ContainsFunc(cfg.Deploy.Hooks, func(h config.Hook) bool { return h.Lambda != nil }) {
		jr := &JobResultsSpec{RoleName: n.JobResultsRole(), RolePath: n.RolePath(), HookRoles: n.HookRolePattern()}
		jr.OrganizationID, jr.OrganizationalUnits, jr.Accounts = t.scope()
		spec.JobResults = jr
	}
	if t.recovers() {
		spec.Recovery = &recovery.Props{PipelineName: n.Pipeline(), RoleName: n.RecoveryRole(), RolePath: n.RolePath(),
			DeployRolePatterns: []string{n.DeployRolePattern()}, LogGroupName: n.RecoveryLogGroup()}
	}
	if planned != nil {
		spec.Observe = observeProps(cfg, planned)
	}
	spec.Audit = AuditProps(cfg)
	if a := cfg.Audit; a != nil {
		spec.OrganizationTrail = a.OrganizationTrail
	}
	if err := validateObservability(spec); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, t.uniqueStacks(spec)...)
	errs = append(errs, t.checkNames(spec)...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return spec, nil
}

// recovers reports whether an account environment deploys a stack by
// change sets, whose failed first deployment leaves ROLLBACK_COMPLETE
// (StackSets manage their instance stacks themselves).
func (t *translator) recovers() bool {
	return slices.ContainsFunc(t.cfg.Deploy.Components(), config.Component.IsStack) &&
		slices.ContainsFunc(t.cfg.Environments, func(e config.Environment) bool { return e.Account != "" })
}

// translator holds what Translate works from.
type translator struct {
	cfg *config.Config
	n   naming.Names
	// releases[i][region] is environment i's deploy block as it receives it
	// in region, and envs[i][region] the environment itself (config.Expand);
	// region is "" for a StackSet environment.
	releases []map[string]config.Deploy
	envs     []map[string]config.Environment
	// stepLists[i][region] are environment i's steps (top-level, then its
	// own) as it receives them there; stepPaths[i] their config paths.
	stepLists []map[string][]config.Step
	stepPaths [][]string
	// paths name the pipeline props' fields by their config paths.
	paths map[string]string
}

// expand runs config.Expand once per environment and region (once for a
// StackSet environment, which deploys to every region with one action).
func (t *translator) expand() error {
	var errs []error
	n := len(t.cfg.Environments)
	t.releases, t.envs = make([]map[string]config.Deploy, n), make([]map[string]config.Environment, n)
	t.stepLists, t.stepPaths = make([]map[string][]config.Step, n), make([][]string, n)
	for i, env := range t.cfg.Environments {
		t.releases[i], t.envs[i], t.stepLists[i] = map[string]config.Deploy{}, map[string]config.Environment{}, map[string][]config.Step{}
		_, t.stepPaths[i] = t.cfg.StepsOf(i)
		regions := env.Regions
		if env.Account == "" {
			regions = []string{""}
		}
		for _, r := range regions {
			x, err := t.cfg.Expand(i, r)
			if err != nil {
				errs = append(errs, fmt.Errorf("environments[%d]: %w (config validation reports this; validate the config first)", i, err))
				continue
			}
			t.releases[i][r], t.envs[i][r] = x.Deploy, x.Environment
			var steps []config.Step
			if !env.Tooling {
				steps = append(steps, x.Steps...)
			}
			t.stepLists[i][r] = append(steps, x.Environment.Steps...)
		}
	}
	return errors.Join(errs...)
}

// stackNames are the names of the stacks environment i receives (those of
// the components that keep says), in its regions' order, each once.
func (t *translator) stackNames(i int, keep func(config.Component) bool) []string {
	var out []string
	regions := append(slices.Clone(t.cfg.Environments[i].Regions), "")
	for _, r := range regions {
		d, ok := t.releases[i][r]
		if !ok {
			continue
		}
		for _, x := range d.Components() {
			if x.IsStack() && keep(x) && !slices.Contains(out, x.StackName) {
				out = append(out, x.StackName)
			}
		}
	}
	return out
}

// readers are the principals the artifact stores admit: the deploy roles,
// the invoke roles with hooks, the CodeDeploy instance roles, from the
// accounts that hold targets (scope).
func (t *translator) readers() artifacts.Readers {
	cfg, n := t.cfg, t.n
	readers := artifacts.Readers{RoleArnPatterns: []string{n.DeployRolePattern()}}
	if invokeReadsArtifacts(cfg) {
		readers.RoleArnPatterns = append(readers.RoleArnPatterns, n.InvokeRolePattern())
	}
	if r, _ := cfg.Deploy.StrategyRelease(); r.CodeDeploy != nil {
		x := r.CodeDeploy
		// The CodeDeploy agent downloads revisions with the instance role:
		// one pattern per role name, whatever the number of accounts.
		for _, r := range values.SortedUnique(x.InstanceRoles) {
			readers.RoleArnPatterns = append(readers.RoleArnPatterns, fmt.Sprintf("arn:%s:iam::*:role/%s", n.Partition, r))
		}
	}
	readers.OrganizationID, readers.OrganizationalUnits, readers.Accounts = t.scope()
	return readers
}

// scope says which accounts hold Relay's roles, for the grants that admit
// them by pattern (artifact store, job-results role): with an organization,
// its ID and the OUs of organization.organizationalUnits, or, without them,
// the accounts of the account environments; without one, the accounts of
// the account environments. The OUs of organizationalUnits environments are
// no part of it: their accounts hold none of Relay's roles (StackSets
// deploys there through its own).
func (t *translator) scope() (org string, ous, accounts []string) {
	cfg := t.cfg
	if o := cfg.Organization; o != nil && len(o.OrganizationalUnits) > 0 {
		return o.ID, values.SortedUnique(o.OrganizationalUnits), nil
	}
	for _, e := range cfg.Environments {
		if e.Account != "" {
			accounts = append(accounts, e.Account)
		}
	}
	if len(accounts) == 0 {
		// No account holds a role that reads (StackSet environments only:
		// their StackSets run as the pipeline's account): the organization
		// alone would admit all of it, so admit none.
		return "", nil, nil
	}
	if o := cfg.Organization; o != nil {
		org = o.ID
	}
	return org, nil, values.SortedUnique(accounts)
}

// path records that the props field at Go path goPath is the config field
// at cfgPath.
func (t *translator) path(goPath, cfgPath string) { t.paths[goPath] = cfgPath }

// pipelineProps are the pipeline's props (without Store).
func (t *translator) pipelineProps(replicas map[string]pipeline.Replica) *pipeline.Props {
	cfg, n := t.cfg, t.n
	p := &pipeline.Props{
		Partition:    n.Partition,
		PipelineName: n.Pipeline(),
		RoleName:     n.PipelineRole(),
		RolePath:     n.RolePath(),
		Replicas:     replicas,
		Source:       t.source("Source", "source", cfg.Source),
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
		NoBuild:               cfg.Build.None,
		ExecutionMode:         cfg.Pipeline.ExecutionMode,
		DeployRolePatterns:    []string{n.DeployRolePattern()},
		ApprovalTopicPatterns: []string{n.ApprovalTopicPattern()},
		GitOpsProjectName:     n.GitOpsProject(),
		FieldPaths:            t.paths,
	}
	if cfg.Build.None {
		p.Build = pipeline.Build{LogGroupName: n.BuildLogGroup()}
	}
	t.path("Build", "build")
	if v := cfg.Build.VPC; v != nil {
		p.Build.VPC = &pipeline.VPC{VpcID: v.VpcID, Subnets: v.Subnets, SecurityGroups: v.SecurityGroups}
		t.path("Build.VPC", "build.vpc")
		t.path("Build.VPC.VpcID", "build.vpc.vpcId")
		t.path("Build.VPC.Subnets", "build.vpc.subnets")
		t.path("Build.VPC.SecurityGroups", "build.vpc.securityGroups")
	}
	t.path("Build.ProjectName", "name")
	t.path("ExecutionMode", "pipeline.executionMode")
	t.path("Variables", "pipeline.variables")
	t.path("Deployments", "environments")
	t.path("Tests", "tests")
	t.path("Scan", "securityScan")
	if len(cfg.Deploy.Hooks) > 0 {
		p.InvokeRolePatterns = []string{n.InvokeRolePattern()}
	}
	for i, x := range cfg.ExtraSources {
		goPath, cfgPath := fmt.Sprintf("ExtraSources[%d]", i), fmt.Sprintf("extraSources[%d]", i)
		t.path(goPath, cfgPath)
		p.ExtraSources = append(p.ExtraSources, pipeline.ExtraSource{Name: x.Name, Source: t.source(goPath+".Source", cfgPath, x.Source)})
	}
	p.Tests = t.suites("Tests", "tests", "test", cfg.Tests)
	if sc := cfg.SecurityScan; sc != nil {
		p.Scan = &pipeline.Scan{FailOn: sc.FailOn, Scanners: t.suites("Scan.Scanners", "securityScan.scanners", "scan", sc.Scanners)}
	}
	if len(cfg.Build.EnvironmentVariables) > 0 {
		p.Build.EnvironmentVariables = map[string]pipeline.BuildVariable{}
		for name, v := range cfg.Build.EnvironmentVariables {
			var bv pipeline.BuildVariable
			switch {
			case v.Parameter != "":
				bv = pipeline.Parameter(v.Parameter)
			case v.Secret != "":
				bv = pipeline.Secret(v.Secret)
			default:
				bv = pipeline.PlainText(v.Value)
			}
			p.Build.EnvironmentVariables[name] = bv
			t.path(fmt.Sprintf("Build.EnvironmentVariables[%q]", name), "build.environmentVariables."+name)
		}
	}
	for _, v := range cfg.Pipeline.Variables {
		p.Variables = append(p.Variables, pipeline.Variable{Name: v.Name, Default: v.Default, Description: v.Description})
	}
	if a := cfg.Pipeline.Approvers; a != nil {
		p.ApproverPrincipals = a.Principals
		p.ApproverRoleName = n.ApproverRole()
		p.ApproverMFA = a.RequireMFA
		if r := a.AccountRoots; r != nil {
			p.ApproverRootsReason = r.Reason
		}
	}
	for i, env := range cfg.Environments {
		p.Deployments = append(p.Deployments, t.deployment(i, env))
	}
	return p
}

// source is src as a pipeline source, recording the config paths of its
// fields (goPath and cfgPath are the source's own).
func (t *translator) source(goPath, cfgPath string, src config.Source) pipeline.Source {
	conn := func(provider, key string, g *config.ConnectionSource) pipeline.Source {
		owner, repo := splitRepository(g.Repository)
		c := &pipeline.ConnectionSource{Provider: provider, Owner: owner, Repo: repo, Branch: g.Branch, ConnectionArn: g.ConnectionArn, FullClone: g.FullClone}
		if tr := g.Triggers; tr != nil {
			c.Triggers = &pipeline.Triggers{Branches: filter(tr.Branches), Tags: filter(tr.Tags), FilePaths: filter(tr.FilePaths)}
			if ob := tr.OtherBranches; ob != nil {
				c.Triggers.OtherBranches = ob.Reason
			}
		}
		base := cfgPath + "." + key
		t.path(goPath, base)
		t.path(goPath+".Owner", base+".repository")
		t.path(goPath+".Repo", base+".repository")
		t.path(goPath+".Provider", cfgPath)
		t.path(goPath+".Triggers", base+".triggers")
		t.path(goPath+".Triggers.OtherBranches", base+".triggers.otherBranches.reason")
		return c
	}
	switch {
	case src.GitHub != nil:
		return conn("GitHub", "github", src.GitHub)
	case src.GitLab != nil:
		return conn("GitLab", "gitlab", src.GitLab)
	case src.Bitbucket != nil:
		return conn("Bitbucket", "bitbucket", src.Bitbucket)
	case src.S3 != nil:
		t.path(goPath, cfgPath+".s3")
		t.path(goPath+".RoleArn", cfgPath+".s3.account")
		return &pipeline.S3Source{Bucket: src.S3.Bucket, Key: src.S3.Key, RoleArn: t.sourceRole(src.S3.Account)}
	case src.CodeCommit != nil:
		t.path(goPath, cfgPath+".codecommit")
		t.path(goPath+".RoleArn", cfgPath+".codecommit.account")
		return &pipeline.CodeCommitSource{Repository: src.CodeCommit.Repository, Branch: src.CodeCommit.Branch, RoleArn: t.sourceRole(src.CodeCommit.Account)}
	case src.ECR != nil:
		t.path(goPath, cfgPath+".ecr")
		return &pipeline.ECRSource{Repository: src.ECR.Repository, Tag: src.ECR.Tag}
	}
	return nil
}

// sourceRole is the source role of account, or "" for a source of the
// tooling account.
func (t *translator) sourceRole(account string) string {
	if account == "" {
		return ""
	}
	return t.n.SourceRoleArn(account)
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
	owner, repo, _ = strings.Cut(r, "/")
	return owner, repo
}

// suites are config suites as pipeline suites, with deterministic project
// and report group names.
func (t *translator) suites(goPath, cfgPath, stage string, in []config.Suite) []pipeline.Suite {
	var out []pipeline.Suite
	for i, s := range in {
		ps := pipeline.Suite{
			Name: s.Name, Commands: s.Commands, Preset: s.Preset, Input: s.Input, RunOrder: s.RunOrder,
			ProjectName:     t.n.SuiteProject(stage, s.Name),
			ReportGroupName: t.n.SuiteProject(stage, s.Name),
		}
		if r := s.Reports; r != nil {
			ps.Reports = &pipeline.Reports{Files: r.Files, Format: r.Format}
		}
		t.path(fmt.Sprintf("%s[%d].ProjectName", goPath, i), fmt.Sprintf("%s[%d].name", cfgPath, i))
		out = append(out, ps)
	}
	return out
}

// deployment is environment i as a pipeline deployment.
func (t *translator) deployment(i int, env config.Environment) pipeline.Deployment {
	cfg, n := t.cfg, t.n
	goPath, cfgPath := fmt.Sprintf("Deployments[%d]", i), fmt.Sprintf("environments[%d]", i)
	d := pipeline.Deployment{
		Name:            env.Name,
		Wave:            env.Wave,
		Regions:         env.Regions,
		DisableRollback: env.DisableRollback,
	}
	if env.Freeze != nil {
		d.Freeze = env.Freeze.Reason
		t.path(goPath+".Freeze", cfgPath+".freeze.reason")
	}
	if ec := env.EntryConditions; ec != nil {
		if w := ec.DeploymentWindow; w != nil {
			d.Window = &pipeline.Window{Cron: w.Cron, TimeZone: w.TimeZone}
		}
		d.NoAlarms = ec.NoAlarms
		t.path(goPath+".Window", cfgPath+".entryConditions.deploymentWindow")
		t.path(goPath+".NoAlarms", cfgPath+".entryConditions.noAlarms")
	}
	if a := env.Approval; a != nil {
		d.Approval = &pipeline.Approval{
			TopicName: n.ApprovalTopic(env.Name), Comment: a.Comment, Notify: a.Notify,
			ReviewURL: a.ReviewURL, TimeoutMinutes: a.TimeoutMinutes,
		}
		t.path(goPath+".Approval.TopicName", cfgPath+".name")
	}
	t.stackPaths(goPath+".Release", cfgPath)
	t.path(goPath+".Target.StackSetOf", cfgPath+".stackSetOf")
	t.path(goPath+".Target.Rollout", cfgPath+".rollout")
	switch {
	case env.Tooling:
		d.Target = &pipeline.PipelineAccount{}
		d.Steps = t.steps(i, "", goPath+".Steps")
		t.path(goPath+".Target", cfgPath+".tooling")
		t.path(goPath+".Regions", cfgPath+".tooling")
		return d
	case len(env.Accounts) > 0:
		d.Target = &pipeline.StackSetAccounts{IDs: env.Accounts, StackSetOf: env.StackSetOf, Rollout: rollout(env.Rollout),
			AdministrationRoleArn: n.StackSetAdminRoleArn(), ExecutionRoleName: n.StackSetExecutionRole(stackSetOwner(env))}
		d.Release = t.stack(i, "")
		t.path(goPath+".Target", cfgPath+".accounts")
		t.path(goPath+".Target.IDs", cfgPath+".accounts")
		t.path(goPath+".Target.AdministrationRoleArn", "name")
		t.path(goPath+".Target.ExecutionRoleName", cfgPath+".name")
		d.Steps = t.steps(i, "", goPath+".Steps")
		return d
	case len(env.OrganizationalUnits) > 0:
		d.Target = &pipeline.OrganizationalUnits{IDs: env.OrganizationalUnits, StackSetOf: env.StackSetOf, Rollout: rollout(env.Rollout)}
		d.Release = t.stack(i, "")
		t.path(goPath+".Target", cfgPath+".organizationalUnits")
		t.path(goPath+".Target.IDs", cfgPath+".organizationalUnits")
		d.Steps = t.steps(i, "", goPath+".Steps")
		return d
	}
	acct := &pipeline.Account{ID: env.Account, DeployRoleArn: n.DeployRoleArn(env.Account, env.Name)}
	t.path(goPath+".Target", cfgPath)
	t.path(goPath+".Target.ID", cfgPath+".account")
	for _, role := range []string{"DeployRoleArn", "ExecutionRoleArn", "InvokeRoleArn"} {
		t.path(goPath+".Target."+role, cfgPath+".name")
	}
	d.Target = acct
	if cfg.Deploy.HasStacks() {
		acct.ExecutionRoleArn = n.ExecutionRoleArn(env.Account, env.Name)
	}
	if len(cfg.Deploy.Hooks) > 0 {
		acct.InvokeRoleArn = n.InvokeRoleArn(env.Account, env.Name)
	}
	// The first region's release, components and steps are the
	// deployment's own (Release, Components, Steps); Regional replaces
	// them in the other regions only: pipeline.Props refuses a value that
	// every region replaces, which would never be rendered. Hooks stay
	// under Regional in each region (Hooks is left empty).
	d.Regional = map[string]pipeline.Regional{}
	for k, region := range env.Regions {
		r := t.releases[i][region]
		regional := pipeline.Regional{Hooks: t.hooks(fmt.Sprintf("%s.Regional[%q].Hooks", goPath, region), r.Hooks)}
		if k == 0 {
			d.Steps = t.steps(i, region, goPath+".Steps")
		} else {
			regional.Steps = t.steps(i, region, fmt.Sprintf("%s.Regional[%q].Steps", goPath, region))
		}
		switch {
		case cfg.Deploy.None:
		case len(cfg.Deploy.Stacks) > 0:
			if k > 0 {
				regional.Releases = map[string]pipeline.Release{}
			} else {
				t.path(goPath+".Components", "deploy.stacks")
			}
			for c, x := range cfg.Deploy.Stacks {
				if k > 0 {
					regional.Releases[x.Name] = t.component(fmt.Sprintf("%s.Regional[%q].Releases[%q]", goPath, region, x.Name), i, region, c)
					continue
				}
				d.Components = append(d.Components, pipeline.Component{Name: x.Name, DependsOn: x.DependsOn,
					Release: t.component(fmt.Sprintf("%s.Components[%d].Release", goPath, c), i, region, c)})
				t.path(fmt.Sprintf("%s.Components[%d]", goPath, c), fmt.Sprintf("deploy.stacks[%d]", c))
			}
		case cfg.Deploy.IsStack() && k > 0:
			regional.Release = t.stack(i, region)
			t.stackPaths(fmt.Sprintf("%s.Regional[%q].Release", goPath, region), cfgPath)
		case cfg.Deploy.IsStack():
			d.Release = t.stack(i, region)
			t.stackPaths(goPath+".Release", cfgPath)
		case k > 0:
			regional.Release = t.release(fmt.Sprintf("%s.Regional[%q].Release", goPath, region), "deploy", cfgPath, env, r)
		default:
			d.Release = t.release(goPath+".Release", "deploy", cfgPath, env, r)
		}
		if regional.Release != nil || len(regional.Releases) > 0 || regional.Hooks != nil || regional.Steps != nil {
			d.Regional[region] = regional // pipeline.Props refuses an entry that replaces nothing
		}
	}
	return d
}

// component is component c of deploy.stacks as environment i receives it
// in region, recording the config paths of its fields under goPath.
func (t *translator) component(goPath string, i int, region string, c int) pipeline.Release {
	env := t.cfg.Environments[i]
	x := t.releases[i][region].Stacks[c]
	base := fmt.Sprintf("deploy.stacks[%d]", c)
	if !x.IsStack() {
		return t.release(goPath, base, fmt.Sprintf("environments[%d]", i), env, x.Release())
	}
	s := &pipeline.Stack{Name: x.StackName, TemplatePath: x.TemplatePath, Capabilities: x.Capabilities,
		ParameterOverrides: x.Parameters, TemplateConfiguration: x.TemplateConfiguration, Review: env.ReviewChangeSet}
	if x.ExecutionPolicy != nil {
		s.ExecutionRoleArn = t.n.StackExecutionRoleArn(env.Account, env.Name, x.Name)
	}
	t.path(goPath, base)
	for field, key := range map[string]string{"Name": "stackName", "TemplatePath": "templatePath", "Capabilities": "capabilities",
		"ParameterOverrides": "parameters", "TemplateConfiguration": "templateConfiguration", "ExecutionRoleArn": "executionPolicy"} {
		t.path(goPath+"."+field, base+"."+key)
	}
	t.path(goPath+".Review", fmt.Sprintf("environments[%d].reviewChangeSet", i))
	return s
}

// stack is environment i's workload stack in region ("" for a StackSet),
// with the values it receives there.
func (t *translator) stack(i int, region string) *pipeline.Stack {
	d, e := t.releases[i][region], t.envs[i][region]
	s := &pipeline.Stack{Name: d.StackName, TemplatePath: d.TemplatePath, Capabilities: d.Capabilities}
	if e.Account != "" {
		s.ParameterOverrides, s.TemplateConfiguration, s.Review = e.Parameters, e.TemplateConfiguration, e.ReviewChangeSet
	}
	return s
}

// stackPaths records the config paths of a Stack release's fields.
func (t *translator) stackPaths(goPath, env string) {
	t.path(goPath, "deploy")
	t.path(goPath+".Name", "deploy.stackName")
	t.path(goPath+".TemplatePath", "deploy.templatePath")
	t.path(goPath+".Capabilities", "deploy.capabilities")
	t.path(goPath+".ParameterOverrides", env+".parameters")
	t.path(goPath+".TemplateConfiguration", env+".templateConfiguration")
	t.path(goPath+".Review", env+".reviewChangeSet")
}

func rollout(r *config.Rollout) pipeline.Rollout {
	if r == nil {
		return pipeline.Rollout{}
	}
	return pipeline.Rollout{MaxConcurrentPercentage: r.MaxConcurrentPercentage, FailureTolerancePercentage: r.FailureTolerancePercentage}
}

// release is r's strategy (as env receives it in one region) as a pipeline
// release, recording the config paths of its fields under goPath; base is
// the config path of the block's parent (deploy, or deploy.stacks[k]).
func (t *translator) release(goPath, base, envPath string, env config.Environment, r config.Deploy) pipeline.Release {
	switch {
	case r.ECS != nil:
		t.path(goPath, base+".ecs")
		t.path(goPath+".ImageFile", base+".ecs.imageDefinitions")
		return &pipeline.ECSRelease{Cluster: r.ECS.Cluster, Service: r.ECS.Service, ImageFile: r.ECS.ImageDefinitions, TimeoutMinutes: r.ECS.TimeoutMinutes}
	case r.ECSBlueGreen != nil:
		x := r.ECSBlueGreen
		t.path(goPath, base+".ecsBlueGreen")
		app, group := t.groupNames(goPath, base+".ecsBlueGreen", envPath, env, x.ExistingGroup)
		return &pipeline.ECSBlueGreenRelease{
			Application: app, DeploymentGroup: group,
			TaskDefinition: x.TaskDefinition, AppSpec: x.AppSpec, ImagePlaceholder: x.ImagePlaceholder,
		}
	case r.CodeDeploy != nil:
		t.path(goPath, base+".codeDeploy")
		app, group := t.groupNames(goPath, base+".codeDeploy", envPath, env, r.CodeDeploy.ExistingGroup)
		return &pipeline.CodeDeployRelease{Application: app, DeploymentGroup: group}
	case r.S3 != nil:
		x := r.S3
		t.path(goPath, base+".s3")
		t.path(goPath+".KMSKeyArn", base+".s3.kmsKey")
		return &pipeline.S3Release{Bucket: x.Bucket, Extract: x.Extract == nil || *x.Extract, ObjectKey: x.ObjectKey, CacheControl: x.CacheControl, KMSKeyArn: x.KMSKey}
	case r.EKS != nil:
		out := &pipeline.EKSRelease{}
		t.path(goPath, base+".eks")
		t.path(goPath+".GitOps", base+".eks.gitops")
		t.path(goPath+".Helm.Cluster", base+".eks.cluster")
		if g := r.EKS.GitOps; g != nil {
			out.GitOps = &pipeline.GitOpsRelease{Repository: g.Repository, Branch: g.Branch, File: g.File, Key: g.Key, Value: g.Value, TokenSecret: g.TokenSecret}
		}
		if h := r.EKS.Helm; h != nil {
			out.Helm = &pipeline.HelmRelease{Cluster: r.EKS.Cluster, Release: h.Release, Chart: h.Chart, Namespace: h.Namespace, ValuesFile: h.ValuesFile, Set: h.Set,
				ProjectName: t.n.HelmProject(env.Name), RoleName: t.n.HelmProject(env.Name)}
		}
		return out
	}
	return nil
}

// groupNames are the CodeDeploy application and deployment group that env
// deploys through: the existing group's, or the ones Relay creates
// (both <name>-<env>); it records the config paths of the release's
// Application and DeploymentGroup under goPath.
func (t *translator) groupNames(goPath, block, envPath string, env config.Environment, existing *config.ExistingDeploymentGroup) (app, group string) {
	if existing != nil {
		t.path(goPath+".Application", block+".existingGroup.application")
		t.path(goPath+".DeploymentGroup", block+".existingGroup.deploymentGroup")
		return existing.Application, existing.DeploymentGroup
	}
	t.path(goPath+".Application", "name")
	t.path(goPath+".DeploymentGroup", envPath+".name")
	return t.n.CodeDeployApplication(env.Name), t.n.CodeDeployGroup(env.Name)
}

// hooks are a region's hooks as pipeline hooks, recording their config
// paths under goPath.
func (t *translator) hooks(goPath string, in []config.Hook) []pipeline.Hook {
	var out []pipeline.Hook
	t.path(goPath, "deploy.hooks")
	for k, h := range in {
		ph := pipeline.Hook{Name: h.Name, Before: h.When == "before"}
		hp, cp := fmt.Sprintf("%s[%d]", goPath, k), fmt.Sprintf("deploy.hooks[%d]", k)
		t.path(hp, cp)
		if f := h.Lambda; f != nil {
			ph.Invoke = &pipeline.LambdaInvoke{Function: f.Function, UserParameters: f.UserParameters}
			t.path(hp+".Invoke", cp+".lambda")
		}
		if s := h.StepFunctions; s != nil {
			ph.Invoke = &pipeline.StepFunctionsInvoke{StateMachine: s.StateMachine, Input: s.Input, InputFile: s.InputFile, ExecutionNamePrefix: s.ExecutionNamePrefix}
			t.path(hp+".Invoke", cp+".stepFunctions")
		}
		out = append(out, ph)
	}
	return out
}

// invokeReadsArtifacts reports whether an invoke role runs an action with
// an input artifact: a Step Functions hook with an input file, which
// CodePipeline reads from the build output as the action's role. Lambda
// hooks, and Step Functions hooks with inline input, read no artifact.
func invokeReadsArtifacts(cfg *config.Config) bool {
	return slices.ContainsFunc(cfg.Deploy.Hooks, func(h config.Hook) bool {
		return h.StepFunctions != nil && h.StepFunctions.InputFile != ""
	})
}

// accountStack is the stack of one account of an accounts environment.
func (t *translator) accountStack(env config.Environment, account string) AccountStackSpec {
	cfg, n := t.cfg, t.n
	owner := stackSetOwner(env)
	ep := cfg.Deploy.ExecutionPolicy
	return AccountStackSpec{
		StackName: n.AccountStack(env.Name, account), Account: account, Region: env.OwnStackRegion(), Environment: env.Name, Owner: owner,
		Role: StackSetExecutionRole{
			RoleName:          n.StackSetExecutionRole(owner),
			ToolingAccount:    cfg.Tooling.Account,
			AdminRoleArn:      n.StackSetAdminRoleArn(),
			InstanceStacks:    fmt.Sprintf("arn:%s:cloudformation:*:%s:stack/StackSet-%s-%s-*", n.Partition, account, t.ownerStackName(env), owner),
			ManagedPolicyArns: fillAccount(ep.ManagedPolicyArns, account),
			Statements:        append(target.FillStatements(statements(ep.Statements), account, env.Regions), t.assetStatements(env.Regions)...),
			Partition:         n.Partition, Account: account, RolePath: n.RolePath(), BoundaryName: n.PermissionsBoundary(owner),
		},
	}
}

// fillAccount is arns with target.AccountPlaceholder filled with account:
// the execution role of one account of an accounts environment.
func fillAccount(arns []string, account string) []string {
	out := make([]string, len(arns))
	for i, a := range arns {
		out[i] = target.FillAccount(a, account)
	}
	return out
}

// ownerStackName is the stack name of the environment whose StackSet env
// deploys or extends.
func (t *translator) ownerStackName(env config.Environment) string {
	owner := stackSetOwner(env)
	j := slices.IndexFunc(t.cfg.Environments, func(e config.Environment) bool { return e.Name == owner })
	if j < 0 {
		return t.cfg.Deploy.StackName
	}
	return t.releases[j][""].StackName
}

// stackSetOwner is the environment whose StackSet env deploys or extends.
func stackSetOwner(env config.Environment) string {
	if env.StackSetOf != "" {
		return env.StackSetOf
	}
	return env.Name
}

// statements are the execution policy's statements, each with its reason.
func statements(in []config.Statement) []target.Statement {
	out := make([]target.Statement, len(in))
	for i, s := range in {
		out[i] = target.Statement{Sid: s.Sid, Actions: s.Actions, Resources: s.Resources, Reason: s.Reason, Conditions: s.Conditions}
	}
	return out
}

// uniqueStacks reports stacks whose names collide: CloudFormation needs
// each stack name once per account and region, and the CDK app each once.
func (t *translator) uniqueStacks(spec *Spec) []error {
	n := t.n
	owner := map[string]string{}
	var errs []error
	add := func(name, what string) {
		if prev, dup := owner[name]; dup {
			errs = append(errs, fmt.Errorf("%s: its stack %s has the name of %s; rename the environment", what, name, prev))
			return
		}
		owner[name] = what
	}
	add(n.ToolingStack(), "the tooling stack")
	for _, r := range spec.Replicas {
		add(n.ToolingStack()+"-"+r.Region, "the artifact store stack of "+r.Region)
	}
	for _, s := range spec.SourceAccounts {
		add(s.StackName, "the source account stack of "+s.Account)
	}
	index := map[string]int{}
	for i, e := range t.cfg.Environments {
		index[e.Name] = i
	}
	for _, ts := range spec.Targets {
		add(ts.StackName, fmt.Sprintf("environments[%d].name %q", index[ts.Environment], ts.Environment))
	}
	for _, a := range spec.AccountStacks {
		add(a.StackName, fmt.Sprintf("the StackSet execution role stack of %s in %s", a.Owner, a.Account))
	}
	return append(errs, t.workloadStacks(spec)...)
}

// workloadStacks reports a workload stack that an account environment
// deploys by change sets to the account and region of a stack Relay
// deploys with the same name: CloudFormation names a stack once per
// account and region, so the change set would replace Relay's stack (its
// roles, or the pipeline) with the workload's template.
func (t *translator) workloadStacks(spec *Spec) []error {
	type place struct{ account, region, name string }
	n, cfg := t.n, t.cfg
	index := map[string]int{}
	for i, e := range cfg.Environments {
		index[e.Name] = i
	}
	relay := map[place]string{{cfg.Tooling.Account, cfg.Tooling.Region, n.ToolingStack()}: "tooling stack"}
	for _, r := range spec.Replicas {
		relay[place{cfg.Tooling.Account, r.Region, n.ToolingStack() + "-" + r.Region}] = "artifact store stack of " + r.Region
	}
	for _, a := range spec.AssetStores {
		if _, ok := relay[place{cfg.Tooling.Account, a.Region, n.ToolingStack() + "-" + a.Region}]; !ok && a.Region != cfg.Tooling.Region {
			relay[place{cfg.Tooling.Account, a.Region, n.ToolingStack() + "-" + a.Region}] = "asset store stack of " + a.Region
		}
	}
	for _, ts := range spec.Targets {
		relay[place{ts.Account, ts.Region, ts.StackName}] = fmt.Sprintf("stack of environments[%d] %q", index[ts.Environment], ts.Environment)
	}
	for _, a := range spec.AccountStacks {
		relay[place{a.Account, a.Region, a.StackName}] = fmt.Sprintf("StackSet execution role stack of %s", a.Owner)
	}
	for _, s := range spec.SourceAccounts {
		relay[place{s.Account, s.Region, s.StackName}] = "source account stack"
	}
	var errs []error
	for i, e := range cfg.Environments {
		if e.Account == "" {
			continue
		}
		for _, region := range e.Regions {
			for k, c := range t.releases[i][region].Components() {
				if !c.IsStack() {
					continue
				}
				what, clash := relay[place{e.Account, region, c.StackName}]
				if !clash {
					continue
				}
				field := "deploy.stackName"
				if len(cfg.Deploy.Stacks) > 0 {
					field = fmt.Sprintf("deploy.stacks[%d].stackName", k)
				}
				errs = append(errs, fmt.Errorf("%s %q: environments[%d] %q deploys this stack to account %s in %s, where Relay's %s has this name: the change set would replace it with the workload's template; choose another stack name",
					field, c.StackName, i, e.Name, e.Account, region, what))
			}
		}
	}
	return errs
}
