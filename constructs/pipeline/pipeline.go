// Package pipeline provides Pipeline: a CodePipeline (type V2) that starts
// from a source (a GitHub, GitLab or Bitbucket repository through a
// CodeConnections connection, an S3 object, a CodeCommit branch or an ECR
// image), builds it with CodeBuild, runs Test and Scan stages, and releases
// the build output environment by environment into other accounts: as
// CloudFormation change sets or StackSets, or through ECS, CodeDeploy, S3 or
// EKS deploy actions, with invoke hooks around them, each action as a role
// of its target account.
//
// Pipeline is the CDK engine of a release plan: New plans Props with
// package plan (pure Go; the blueprint types are plan's, aliased here) and
// renders the plan with aws-cdk-lib, one small function per action kind
// (sources.go, build.go, deploys.go, approvals.go), and the pipeline role's
// policy (roles.go).
//
// Pipeline writes its role's policy itself, with a fixed number of
// statements: the aws-cdk-lib Pipeline would add one grant per
// cross-account role to the pipeline role, the artifact bucket policy and
// the key policy, and those policies would pass their size limits at a few
// dozen environments.
package pipeline

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodecommit"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipeline"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/policy"
	"github.com/relaycdk/relay/constructs/internal/sourcetrust"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/plan"
)

// The blueprint types are package plan's; their doc comments give shapes,
// defaults and limits.
type (
	Source              = plan.Source
	ExtraSource         = plan.ExtraSource
	ConnectionSource    = plan.ConnectionSource
	S3Source            = plan.S3Source
	CodeCommitSource    = plan.CodeCommitSource
	ECRSource           = plan.ECRSource
	Triggers            = plan.Triggers
	Filter              = plan.Filter
	Build               = plan.Build
	BuildVariable       = plan.BuildVariable
	PlainText           = plan.PlainText
	Parameter           = plan.Parameter
	Secret              = plan.Secret
	Variable            = plan.Variable
	Suite               = plan.Suite
	Reports             = plan.Reports
	Scan                = plan.Scan
	Deployment          = plan.Deployment
	Regional            = plan.Regional
	Component           = plan.Component
	Approval            = plan.Approval
	Window              = plan.Window
	Target              = plan.Target
	Account             = plan.Account
	StackSetAccounts    = plan.StackSetAccounts
	OrganizationalUnits = plan.OrganizationalUnits
	Rollout             = plan.Rollout
	Release             = plan.Release
	Stack               = plan.Stack
	ECSRelease          = plan.ECSRelease
	ECSBlueGreenRelease = plan.ECSBlueGreenRelease
	CodeDeployRelease   = plan.CodeDeployRelease
	S3Release           = plan.S3Release
	EKSRelease          = plan.EKSRelease
	GitOpsRelease       = plan.GitOpsRelease
	HelmRelease         = plan.HelmRelease
	Hook                = plan.Hook
	Step                = plan.Step
	StepAction          = plan.StepAction
	CodeBuildStep       = plan.CodeBuildStep
	ApprovalStep        = plan.ApprovalStep
	PipelineAccount     = plan.PipelineAccount
	Invoke              = plan.Invoke
	LambdaInvoke        = plan.LambdaInvoke
	StepFunctionsInvoke = plan.StepFunctionsInvoke
)

// SourceVariables and BuildVariables are the variable namespaces of the
// primary source action and the build action.
const (
	SourceVariables = plan.SourceVariables
	BuildVariables  = plan.BuildVariables
)

// PresetSuite expands a scanner preset (see plan.PresetSuite).
func PresetSuite(s Suite, failOn string) Suite { return plan.PresetSuite(s, failOn) }

// Props configures a Pipeline. Fields without a default are required.
type Props struct {
	// Partition is the AWS partition of the pipeline's account. Default: aws.
	Partition string
	// PipelineName is the pipeline's name: 1 to 100 letters, digits and
	// .@_- (limits.PipelineName). Default: generated.
	PipelineName string
	// RoleName is the physical name of the pipeline's service role. Set it
	// when deploy roles in other accounts pin the role ARN (their
	// PipelineRoleArns; naming.Names.PipelineRole gives both sides the same
	// name). Required when a deployment's target is wired by reference.
	// Default: generated.
	RoleName string
	// RolePath is the IAM path of the pipeline role (and the approver
	// role): / alone, or printable ASCII characters between a leading and a
	// trailing /, at most 512 (limits.IAMPath). Default: /.
	RolePath string
	// Store holds the artifacts; create one with artifacts.NewStore. It must
	// admit the deploy role of each deployment wired by reference (its
	// Readers), and those targets must read it (their Stores, or
	// ArtifactBucketArns and ArtifactKeyArns).
	Store *artifacts.Store
	// Replicas are the artifact stores of the other regions that
	// deployments deploy to, by region. Default: none (every account
	// deployment must be in the pipeline's region).
	Replicas map[string]Replica
	// Source is where executions start.
	Source Source
	// ExtraSources are further sources of the Source stage. Default: none.
	ExtraSources []ExtraSource
	// Build is the build project and action.
	Build Build
	// NoBuild leaves out the Build stage (see plan.Input.NoBuild): later
	// actions read the source artifact. Default: false.
	NoBuild bool
	// Tests run in a Test stage after Build. Default: none.
	Tests []Suite
	// Scan, when set, adds a Scan stage after Build (and Test).
	Scan *Scan
	// Deployments run in order, one stage per wave (see Deployment.Wave).
	// At least one.
	Deployments []Deployment
	// ExecutionMode is SUPERSEDED, QUEUED or PARALLEL. Default: SUPERSEDED.
	ExecutionMode string
	// Variables are pipeline-level variables. Default: none.
	Variables []Variable
	// ApproverPrincipals, when set, creates an approver role that these IAM
	// principal ARNs (roles or users, pinned by aws:PrincipalArn; account
	// roots with ApproverRootsReason) may assume, which may call
	// codepipeline:PutApprovalResult on this pipeline's approval actions and
	// read the pipeline's state and executions to find them. Each is exact:
	// arn:PARTITION:iam::ACCOUNT:role/PATH/NAME, :user/PATH/NAME or :root,
	// its path and name in letters, digits and +=,.@_-
	// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html);
	// Validate refuses * and ?, which the trust's ArnEquals would read as
	// wildcards. A token is accepted: ValidateIn resolves one of another
	// account or region to its ARN, checked as text; one that stays a
	// reference (a role of the team's own in the pipeline's account and
	// region) is pinned as CloudFormation resolves it, its account split
	// from it, and only a :root ending is judged (as an account root).
	// Default: no approver role.
	ApproverPrincipals []string
	// ApproverRootsReason accepts account roots in ApproverPrincipals,
	// which admit whoever that account's administrators allow, with a
	// reason of at least 10 characters. Default: account roots are refused.
	ApproverRootsReason string
	// ApproverMFA admits an approver only with credentials issued with
	// multi-factor authentication (Bool aws:MultiFactorAuthPresent true).
	// Default: false.
	ApproverMFA bool
	// ApproverRoleName is the approver role's physical name. Default:
	// generated.
	ApproverRoleName string
	// DeployRolePatterns replace the list of deploy role ARNs in the
	// pipeline role's sts:AssumeRole statement with ARN patterns (IAM's
	// ArnLike), so that the policy keeps one size however many environments
	// there are; every deploy role must match one. Default: the role ARN of
	// each action that runs as a deploy role.
	DeployRolePatterns []string
	// ApprovalTopicPatterns do the same for the sns:Publish statement.
	// Default: the ARN of each approval topic.
	ApprovalTopicPatterns []string
	// InvokeRolePatterns do the same for the hooks' InvokeRoleArn.
	// Default: the role ARN of each invoke action.
	InvokeRolePatterns []string
	// GitOpsProjectName names the CodeBuild project of the GitOps steps.
	// Default: generated. (Each deployment's Helm step has a project and
	// role of its own, named by HelmRelease.ProjectName and RoleName.)
	GitOpsProjectName string
	// SelfUpdate, when set, adds the UpdatePipeline stage after Build (see
	// plan.SelfUpdate); PipelineName is then required. Default: none.
	SelfUpdate *SelfUpdate
	// Assets, when set, adds the Assets stage that publishes the build's
	// asset manifests to AssetStores (see plan.Assets). Default: none.
	Assets *Assets
	// AssetStores are the asset stores of the pipeline's account, by
	// region: every region of Assets needs one, and BuildAssets one or
	// more. Default: none.
	AssetStores map[string]AssetStore
	// BuildAssets lets the build upload packaged code (aws cloudformation
	// package, sam package) and images to every store of AssetStores. Its
	// variables RELAY_ASSET_BUCKETS and, with repositories,
	// RELAY_ASSET_REPOSITORIES list them as region=bucket and
	// region=repository URI, space-separated and sorted by region;
	// RELAY_ASSET_BUCKET, RELAY_ASSET_REGION and RELAY_ASSET_REPOSITORY name
	// the store of the pipeline's region, or the only store when the
	// pipeline's region has none. A
	// packaged template names one region's bucket, and Lambda reads code in
	// its own region only, so a build for several regions packages once per
	// region (see the README's "Packaged templates"). Default: false.
	BuildAssets bool
	// FieldPaths name the props' fields in messages by another vocabulary
	// (see plan.Input.Paths; package delivery gives the YAML paths).
	// Default: the Go paths, such as Deployments[2].Hooks[0].
	FieldPaths map[string]string
}

// Input is the release blueprint of p, for package plan.
func (p *Props) Input() plan.Input {
	return plan.Input{
		Source: p.Source, ExtraSources: p.ExtraSources, Build: p.Build, NoBuild: p.NoBuild, Tests: p.Tests, Scan: p.Scan,
		SelfUpdate: p.SelfUpdate, Assets: p.Assets,
		Deployments: p.Deployments, ExecutionMode: p.ExecutionMode, Variables: p.Variables, Paths: p.FieldPaths,
	}
}

// Plan validates every field of p but Store and the physical names (which
// Validate checks too) and plans the pipeline, in pure Go (no jsii): every
// stage and action, with the counts AWS limits decided (see package plan).
// The error lists every problem at once.
func (p *Props) Plan() (*plan.Pipeline, error) {
	planned, errs := p.plan()
	if len(errs) > 0 {
		return nil, fmt.Errorf("pipeline.Props: %w", errors.Join(errs...))
	}
	return planned, nil
}

// plan is Plan with the problems as a list.
func (p *Props) plan() (*plan.Pipeline, []error) {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	roots := false
	for i, arn := range p.ApproverPrincipals {
		token := arns.IsToken(arn)
		switch {
		case token && !strings.HasSuffix(arn, ":root"):
			// A token that stays a reference (a role or user of the
			// team's own in this account and region; ValidateIn has
			// resolved the others to text): its ARN is known at deploy
			// time only, so neither its alphabet nor wildcards are judged;
			// the trust pins it as CloudFormation resolves it. A token
			// ending in :root is an account root, judged below.
		case !token && principalAccount(arn) == "" && strings.ContainsAny(arn, "*?"):
			// The approver role's trust pins the ARNs in ArnEquals
			// aws:PrincipalArn, which reads * and ? as wildcards
			// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN).
			add("ApproverPrincipals[%d] %q: contains * or ?, which the approver role's trust (ArnEquals on aws:PrincipalArn) reads as wildcards, admitting every matching role or user of the account; name each approver exactly", i, arn)
		case !token && principalAccount(arn) == "":
			add("ApproverPrincipals[%d] %q: must be an IAM role, user or account-root ARN, whose path and name are letters, digits and +=,.@_- (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html)", i, arn)
		case strings.HasSuffix(arn, ":root"):
			roots = true
			if len(strings.TrimSpace(p.ApproverRootsReason)) < 10 {
				add("ApproverPrincipals[%d] %q: an account root admits whoever that account's administrators allow; name roles or users, or accept it with ApproverRootsReason (at least 10 characters)", i, arn)
			}
		}
	}
	if p.ApproverRootsReason != "" && !roots {
		add("ApproverRootsReason %q: applies only when ApproverPrincipals name an account root; remove it", p.ApproverRootsReason)
	}
	for _, r := range sortedRegions(p.Replicas) {
		if rep := p.Replicas[r]; rep.Store == nil && (rep.BucketName == "" || rep.KeyAlias == "") {
			add("Replicas[%q]: Store, or BucketName and KeyAlias, are required", r)
		}
	}
	errs = append(errs, p.checkNames()...)
	planned, err := plan.New(p.Input())
	if err != nil {
		errs = append(errs, err)
	} else {
		errs = append(errs, checkAssetStores(p, planned)...)
		errs = append(errs, checkSharedProjects(planned.Input)...)
		errs = append(errs, checkRegional(planned.Input)...)
	}
	return planned, errs
}

// Validate reports every problem of p at once (Store, then what Plan
// reports, then every physical name AWS would refuse: PipelineName,
// RoleName, RolePath, the projects', topics', replicas' and other names,
// each against its limit and alphabet in limits.NameRules, an S3 source or
// S3 release in one of the pipeline's own buckets (checkOwnBuckets), then, for a
// deployment wired by reference to a target.DeploymentTarget, its roles,
// RoleName, regions, stacks, invoke grants and deploy grants against the
// target's). ValidateIn checks more: what needs the pipeline's stack.
func (p *Props) Validate() error {
	if p == nil {
		return errors.New("pipeline.Props: nil; pass &pipeline.Props{...}")
	}
	// The roles of targets wired by reference are checked against their
	// targets here too, as far as that needs no stack.
	q, refs, errs := p.resolve(nil)
	if p.Store == nil {
		errs = append(errs, errors.New("Store: required; create one with artifacts.NewStore"))
	}
	planned, problems := q.plan()
	errs = append(errs, problems...)
	errs = append(errs, q.checkPhysicalNames()...)
	errs = append(errs, q.checkOwnBuckets(nil)...)
	if len(problems) == 0 {
		errs = append(errs, q.checkTargets(refs)...)
		errs = append(errs, q.checkInvokeGrants("", planned, refs)...)
		errs = append(errs, q.checkDeployGrants("", planned, refs)...)
		errs = append(errs, q.checkHelmTrust(planned, refs)...)
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("pipeline.Props: %w", errors.Join(errs...))
}

// Pipeline is a CodePipeline with its role, build project and approval
// topics.
type Pipeline struct {
	constructs.Construct
	// account and region are those of the stack, from stackAccount and
	// stackRegion.
	account, region string
	props           Props
	plan            *plan.Pipeline
	pipeline        awscodepipeline.Pipeline
	role            awsiam.Role
	// codeCommitRepos are the repositories of this account's CodeCommit
	// sources, whose EventBridge rules aws-cdk-lib creates (branchesOnly).
	codeCommitRepos []awscodecommit.IRepository
	project         awscodebuild.PipelineProject
	logGroup        awslogs.LogGroup
	logKey          awskms.Key
	topics          map[string]awssns.Topic
	imported        map[string]awsiam.IRole
	// artifacts are the pipeline's artifacts by name, paths the file
	// paths in them by artifact and path.
	artifacts map[string]awscodepipeline.Artifact
	paths     map[string]awscodepipeline.ArtifactPath
	// findings are the cdk-nag findings of the role policy's wildcard
	// resources, with their reasons.
	findings map[string]string
	approver awsiam.Role
	secrets  []string
	// suiteProjects are the projects of the Test and Scan stages.
	suiteProjects []awscodebuild.PipelineProject
	// gitOps is the GitOps step project and helm the Helm step project of
	// each deployment, created on first use; stepProjects lists them.
	gitOps       awscodebuild.PipelineProject
	helm         map[string]awscodebuild.PipelineProject
	stepProjects []awscodebuild.PipelineProject
	// runProjects are the projects of the CodeBuild steps by key, created
	// on first use, in runOrder.
	runProjects map[string]*runProject
	runOrder    []string
	// publish and selfUpdate are the projects of the Assets and
	// UpdatePipeline stages, or nil (also in stepProjects).
	publish, selfUpdate awscodebuild.PipelineProject
	// roles are the roles of the CodeBuild projects (projects.go);
	// buildRole is the build project's.
	roles     []*projectRole
	buildRole *projectRole
	// key is a grant-free view of the artifact key.
	key awskms.IKey
	// triggers are the V2 triggers of the connection sources.
	triggers []*awscodepipeline.TriggerProps
	// topicArns are the approval topics' ARNs, in the order created.
	topicArns []*string
}

// New plans props and renders the plan: the pipeline role, the build
// project, a project per suite and step, a topic per approval and the
// pipeline. Like aws-cdk-go's constructors, it panics when props are
// invalid (nil props too), with every problem of props.ValidateIn(scope)
// listed; call props.ValidateIn (or Validate) first to handle the error
// yourself. The pipeline's stack depends on the stacks of the targets wired
// by reference, so that cdk deploy --all creates their roles first.
func New(scope constructs.Construct, id string, props *Props) *Pipeline {
	if props == nil {
		panic(errors.New("pipeline.New: props are nil; pass &pipeline.Props{...}"))
	}
	p, refs, planned, err := props.prepare(scope)
	if err != nil {
		panic(err)
	}
	pl := &Pipeline{Construct: constructs.NewConstruct(scope, &id), props: p, plan: planned,
		topics: map[string]awssns.Topic{}, imported: map[string]awsiam.IRole{}, artifacts: map[string]awscodepipeline.Artifact{},
		paths:    map[string]awscodepipeline.ArtifactPath{},
		findings: map[string]string{}, runProjects: map[string]*runProject{}, helm: map[string]awscodebuild.PipelineProject{}}
	pl.dependOn(refs)
	pl.role = policy.NewRole(pl.Construct, "Role", &awsiam.RoleProps{
		RoleName:    values.Optional(p.RoleName),
		Path:        jsii.String(p.RolePath),
		Description: jsii.String("Service role of the delivery pipeline; assumes the deploy roles of its target accounts"),
		// CodePipeline assumes it for this pipeline only (its name, or any
		// pipeline of this account and region when the name is generated:
		// the pipeline's ARN would make the role depend on the pipeline).
		AssumedBy: sourcetrust.Principal("codepipeline.amazonaws.com", pl.stackAccount(),
			fmt.Sprintf("arn:%s:codepipeline:%s:%s:%s", p.Partition, pl.stackRegion(), pl.stackAccount(), nameOrAny(p.PipelineName))),
	}, roleCheck)
	pl.newBuildProject()

	var stages []*awscodepipeline.StageProps
	for _, st := range planned.Stages {
		stages = append(stages, pl.stage(st))
	}
	pl.finishRunProjects()
	// With replicas, the L2 takes every store, the primary included, as
	// crossRegionReplicationBuckets instead of artifactBucket.
	artifactBucket, replicaBuckets := p.Store.PipelineBucket(), (*map[string]awss3.IBucket)(nil)
	if len(p.Replicas) > 0 {
		artifactBucket, replicaBuckets = nil, pl.replicaViews()
	}
	var triggers *[]*awscodepipeline.TriggerProps
	if len(pl.triggers) > 0 {
		triggers = &pl.triggers
	}
	var variables []awscodepipeline.Variable
	for _, v := range planned.Input.Variables {
		variables = append(variables, awscodepipeline.NewVariable(&awscodepipeline.VariableProps{
			VariableName: jsii.String(v.Name),
			DefaultValue: jsii.String(v.Default),
			Description:  values.Optional(v.Description),
		}))
	}
	pl.pipeline = awscodepipeline.NewPipeline(pl.Construct, jsii.String("Pipeline"), &awscodepipeline.PipelineProps{
		PipelineName:                  values.Optional(p.PipelineName),
		PipelineType:                  awscodepipeline.PipelineType_V2,
		ExecutionMode:                 modes[planned.Input.ExecutionMode],
		ArtifactBucket:                artifactBucket,
		CrossRegionReplicationBuckets: replicaBuckets,
		// The L2 Pipeline receives an immutable view of the role: the
		// grants it would add per action fall away, and roleStatements
		// grant the same at a fixed size.
		Role:                      pl.role.WithoutPolicyUpdates(nil),
		UsePipelineRoleForActions: jsii.Bool(true),
		RestartExecutionOnUpdate:  jsii.Bool(false),
		Stages:                    &stages,
		Variables:                 &variables,
		Triggers:                  triggers,
	})
	// The L2 creates the role with which EventBridge rules start the
	// pipeline (CodeCommit, ECR and S3 sources); their names are
	// generated, so any rule of this account and region.
	if events, ok := pl.pipeline.Node().TryFindChild(jsii.String("EventsRole")).(awsiam.IRole); ok {
		sourcetrust.Pin(events, pl.stackAccount(), fmt.Sprintf("arn:%s:events:%s:%s:rule/*", p.Partition, pl.stackRegion(), pl.stackAccount()))
	}
	pl.branchesOnly()
	if len(p.ApproverPrincipals) > 0 {
		pl.approver = newApproverRole(pl.Construct, p, pl.pipeline)
	}
	pl.placeInVPC()
	// The pipeline must not be created before its role's policy exists (the
	// role itself is already referenced by RoleArn).
	pl.pipeline.Node().AddDependency(policy.Attach(pl.role, pl.roleStatements()...))
	// Nor before the policies of its projects' roles, which name the
	// projects: the first execution starts when the pipeline is created.
	for _, r := range pl.roles {
		pl.pipeline.Node().AddDependency(r.role.Node().FindChild(jsii.String("DefaultPolicy")))
	}
	pl.suppressions()
	return pl
}

var modes = map[string]awscodepipeline.ExecutionMode{
	"SUPERSEDED": awscodepipeline.ExecutionMode_SUPERSEDED,
	"QUEUED":     awscodepipeline.ExecutionMode_QUEUED,
	"PARALLEL":   awscodepipeline.ExecutionMode_PARALLEL,
}

// stage renders one stage of the plan.
func (pl *Pipeline) stage(st plan.Stage) *awscodepipeline.StageProps {
	var actions []awscodepipeline.IAction
	for i := range st.Actions {
		actions = append(actions, pl.action(&st.Actions[i]))
	}
	sp := &awscodepipeline.StageProps{StageName: jsii.String(st.Name), Actions: &actions}
	if st.Freeze != "" {
		sp.TransitionToEnabled = jsii.Bool(false)
		sp.TransitionDisabledReason = jsii.String(st.Freeze)
	}
	if st.Rollback {
		sp.OnFailure = &awscodepipeline.FailureConditions{Result: awscodepipeline.Result_ROLLBACK}
	}
	if rules := entryRules(st); len(rules) > 0 {
		sp.BeforeEntry = &awscodepipeline.Conditions{Conditions: &[]*awscodepipeline.Condition{{
			Result: awscodepipeline.Result_FAIL,
			Rules:  &rules,
		}}}
	}
	return sp
}

// action renders one action with the render function of its kind: the
// source, build, suite and approval kinds here, the deploy kinds in
// deploys.go (deployAction).
func (pl *Pipeline) action(a *plan.Action) awscodepipeline.IAction {
	switch k := a.Kind.(type) {
	case *plan.SourceAction:
		return pl.sourceAction(a, k)
	case *plan.BuildAction:
		return pl.buildAction(a, k)
	case *plan.SuiteAction:
		return pl.suiteAction(a, k)
	case *plan.ApprovalAction:
		return pl.approvalAction(a, k)
	case *plan.PublishAssets:
		return pl.publishAction(a, k)
	case *plan.UpdatePipeline:
		return pl.selfUpdateAction(a, k)
	}
	return pl.deployAction(a)
}

// artifact is the pipeline artifact named name, created on first use.
func (pl *Pipeline) artifact(name string) awscodepipeline.Artifact {
	if a, ok := pl.artifacts[name]; ok {
		return a
	}
	a := awscodepipeline.NewArtifact(jsii.String(name), nil)
	pl.artifacts[name] = a
	return a
}

// path is the file path in the pipeline artifact named artifact, created
// on first use: every deployment of the same template shares one.
func (pl *Pipeline) path(artifact, path string) awscodepipeline.ArtifactPath {
	key := artifact + "/" + path
	if p, ok := pl.paths[key]; ok {
		return p
	}
	p := pl.artifact(artifact).AtPath(jsii.String(path))
	pl.paths[key] = p
	return p
}

// entryRules are the V2 rules of a stage's entry conditions.
func entryRules(st plan.Stage) []awscodepipeline.Rule {
	var rules []awscodepipeline.Rule
	if w := st.Window; w != nil {
		rules = append(rules, awscodepipeline.NewRule(&awscodepipeline.RuleProps{
			Name:          jsii.String("DeploymentWindow"),
			Provider:      jsii.String("DeploymentWindow"),
			Version:       jsii.String("1"),
			Configuration: &map[string]interface{}{"Cron": w.Cron, "TimeZone": w.TimeZone},
		}))
	}
	for i, a := range st.Alarms {
		rules = append(rules, awscodepipeline.NewRule(&awscodepipeline.RuleProps{
			Name:          jsii.String(fmt.Sprintf("NoAlarm%d", i+1)),
			Provider:      jsii.String("CloudWatchAlarm"),
			Version:       jsii.String("1"),
			Configuration: &map[string]interface{}{"AlarmName": a},
		}))
	}
	return rules
}

// stackAccount and stackRegion are the pipeline stack's account and region.
// nameOrAny is name, or * for a generated name.
func nameOrAny(name string) string {
	if name == "" {
		return "*"
	}
	return name
}

// stackAccount and stackRegion are the account and region of the
// pipeline's stack (tokens when it is environment-agnostic), each read
// once: every action's ARNs name them, and each read is two jsii calls.
func (pl *Pipeline) stackAccount() string {
	if pl.account == "" {
		pl.account = *awscdk.Stack_Of(pl.Construct).Account()
	}
	return pl.account
}

func (pl *Pipeline) stackRegion() string {
	if pl.region == "" {
		pl.region = *awscdk.Stack_Of(pl.Construct).Region()
	}
	return pl.region
}

// Plan is the release plan the pipeline was rendered from.
func (pl *Pipeline) Plan() *plan.Pipeline { return pl.plan }

// Pipeline is the aws-cdk-lib pipeline.
func (pl *Pipeline) Pipeline() awscodepipeline.Pipeline { return pl.pipeline }

// Role is the pipeline's service role.
//
// Its statements are in one inline policy (the awsiam.Policy
// "DefaultPolicy" under the role). Role.AddToPolicy and grants (for an
// action a team adds to Pipeline(), whose L2 sees only an immutable view of
// the role) add their statement to that policy. No permissions boundary
// bounds the role, so each added Allow may not be as strong as
// AdministratorAccess, write IAM (iam:PassRole of named roles
// aside), change a CloudFormation stack, or use NotAction or NotResource;
// sts:AssumeRole, which aws-cdk-lib grants on each action's role, is
// allowed. A refused statement is left out and fails synthesis
// (aws-cdk-lib's "Validation failed with the following errors", the role's
// path before the message). A policy of your own attached to the role
// (awsiam.NewPolicy with Roles, a managed policy, one attached by name) is
// not judged at synthesis; relaytest.CheckAssembly flags what it can of it
// in the written template.
func (pl *Pipeline) Role() awsiam.Role { return pl.role }

// Project is the build project, or nil without a Build stage
// (Props.NoBuild).
func (pl *Pipeline) Project() awscodebuild.PipelineProject { return pl.project }

// LogGroup receives the build logs.
func (pl *Pipeline) LogGroup() awslogs.LogGroup { return pl.logGroup }

// LogKey is the KMS key that encrypts the build log group; CloudWatch Logs
// may use it for that log group only.
func (pl *Pipeline) LogKey() awskms.Key { return pl.logKey }

// BuildSecrets are the Secrets Manager ARNs of the build's environment
// variables, sorted.
func (pl *Pipeline) BuildSecrets() []string { return pl.secrets }

// ApproverRole is the role that may approve this pipeline's manual
// approvals, or nil when Props.ApproverPrincipals is empty.
func (pl *Pipeline) ApproverRole() awsiam.Role { return pl.approver }

// ApprovalTopic is the SNS topic of env's manual approval, or nil.
func (pl *Pipeline) ApprovalTopic(env string) awssns.Topic { return pl.topics[env] }

// StepProjects are the projects of the GitOps and Helm steps, if any.
func (pl *Pipeline) StepProjects() []awscodebuild.PipelineProject { return pl.stepProjects }

// PublishProject is the project of the Assets stage, or nil.
func (pl *Pipeline) PublishProject() awscodebuild.PipelineProject { return pl.publish }

// SelfUpdateProject is the project of the UpdatePipeline stage, or nil.
func (pl *Pipeline) SelfUpdateProject() awscodebuild.PipelineProject { return pl.selfUpdate }

// SuiteProjects are the projects of the Test and Scan stages, in order.
func (pl *Pipeline) SuiteProjects() []awscodebuild.PipelineProject { return pl.suiteProjects }

// importRole is a grant-free reference to a role in another account: the L2
// actions' grants to it change nothing. Each role is imported once.
func (pl *Pipeline) importRole(id, arn string) awsiam.IRole {
	if r, ok := pl.imported[id]; ok {
		return r
	}
	r := awsiam.Role_FromRoleArn(pl.Construct, jsii.String(id), jsii.String(arn), &awsiam.FromRoleArnOptions{Mutable: jsii.Bool(false)})
	pl.imported[id] = r
	return r
}

// deployment is the deployment of a Deploy stage action.
func (pl *Pipeline) deployment(a *plan.Action) *plan.Deployment {
	return &pl.plan.Input.Deployments[a.Deployment]
}
