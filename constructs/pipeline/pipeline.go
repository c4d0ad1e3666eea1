// Package pipeline provides Pipeline: a CodePipeline (type V2) that starts
// from a source (a GitHub, GitLab or Bitbucket repository through a
// CodeConnections connection, an S3 object, a CodeCommit branch or an ECR
// image), builds it with CodeBuild, runs Test and Scan stages, and releases
// the build output environment by environment into other accounts: as
// CloudFormation change sets or StackSets, or through ECS, CodeDeploy, S3 or
// EKS deploy actions, with invoke hooks around them, each action as a role
// of its target account.
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
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipeline"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipelineactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/naming"
)

// SourceVariables is the variable namespace of the source action:
// #{SourceVariables.CommitId} and #{SourceVariables.BranchName} reach every
// later action.
const SourceVariables = "SourceVariables"

// BuildVariables is the variable namespace of the build action.
const BuildVariables = "BuildVariables"

// Build configures the CodeBuild project.
type Build struct {
	// ProjectName is the project's physical name. Default: generated.
	ProjectName string
	// Buildspec is the buildspec's path in the repository. Default: buildspec.yml.
	Buildspec string
	// TimeoutMinutes bounds a build. Default: 30.
	TimeoutMinutes int
	// ComputeType is the CodeBuild compute type. Default: BUILD_GENERAL1_SMALL.
	ComputeType string
	// Image is a CodeBuild-managed image ID. Default: aws/codebuild/standard:7.0.
	Image string
	// LogGroupName is the CloudWatch log group of the builds. Default: generated.
	LogGroupName string
	// LogRetentionDays is one of CloudWatch Logs' retention values. Default: 365.
	LogRetentionDays int
	// Privileged allows Docker-in-Docker (building images). Default: false.
	Privileged bool
	// Cache is "none", "local" (Docker layers, source and custom paths on
	// the build host) or "s3" (build-cache/ in the artifact bucket).
	// Default: none.
	Cache string
	// EnvironmentVariables reach every build, by name. Default: none, besides
	// GIT_COMMIT_HASH, GIT_BRANCH and GIT_AUTHOR_DATE from the source.
	EnvironmentVariables map[string]BuildVariable
}

// BuildVariable is a build environment variable: exactly one of Value,
// Parameter (an SSM parameter name) and Secret (a Secrets Manager ARN). The
// build role may read the named parameter or secret, and nothing else.
type BuildVariable struct {
	Value, Parameter, Secret string
}

// Approval is a manual approval before a deployment.
type Approval struct {
	// TopicName is the physical name of the SNS topic that announces the
	// approval. Default: generated.
	TopicName string
	// Comment is shown to the approver. Default: "Approve deployment to <name>".
	Comment string
	// Notify are email addresses subscribed to the topic. Default: none.
	Notify []string
	// ReviewURL is a link for the approver to check first. Default: none.
	ReviewURL string
	// TimeoutMinutes is how long the approval waits, 5 to 86400.
	// Default: 10080 (7 days).
	TimeoutMinutes int
}

// Variable is a pipeline-level variable, read as #{variables.<Name>}.
type Variable struct {
	// Name is the variable's name. Required.
	Name string
	// Default is its value when an execution sets none. Default: "".
	Default string
	// Description says what it is for. Default: none.
	Description string
}

// Deployment is one environment: a stage that deploys a CloudFormation stack
// into each of its regions.
type Deployment struct {
	// Name names the deployment and, unless Wave is set, its stage
	// (Deploy-<Name>). Required.
	Name string
	// Wave groups consecutive deployments with the same Wave into one stage
	// (Deploy-<Wave>), where they deploy in parallel after the wave's
	// approvals. Default: Name (a stage of its own).
	Wave string
	// Account is the target account. Exactly one of Account and
	// OrganizationalUnits is required.
	Account string
	// OrganizationalUnits deploy the stack as a service-managed StackSet
	// named <StackName>-<Name> to every account of these OUs (and to
	// accounts that join them later), with a CloudFormationStackSet action
	// that runs as the pipeline role. DeployRoleArn and ExecutionRoleArn are
	// not used: StackSets deploys through its service-linked roles.
	OrganizationalUnits []string
	// MaxConcurrentPercentage paces a StackSet deployment. Default: 25.
	MaxConcurrentPercentage int
	// FailureTolerancePercentage is the share of accounts per region that
	// may fail a StackSet deployment. Default: 0.
	FailureTolerancePercentage int
	// Regions receive the stack, in parallel. Required.
	Regions []string
	// DeployRoleArn is the role the pipeline assumes in Account. Required.
	DeployRoleArn string
	// ExecutionRoleArn is the role CloudFormation uses in Account. Required.
	ExecutionRoleArn string
	// StackName is the stack to create or update. Required.
	StackName string
	// TemplatePath is the template's path in the build output. Default: template.json.
	TemplatePath string
	// Capabilities are CloudFormation capabilities such as CAPABILITY_IAM.
	// Default: none.
	Capabilities []string
	// Approval, when set, gates the deployment with a manual approval.
	Approval *Approval
	// Freeze, when set, disables the transition into the deployment's stage
	// with this reason: executions wait until someone enables it.
	Freeze string
	// DisableRollback keeps a failed stage as it is instead of rolling it
	// back to the last successful execution. Default: false.
	DisableRollback bool
	// ParameterOverrides set template parameters of the stack; values may
	// use #{namespace.name} variables. Default: none.
	ParameterOverrides map[string]string
	// TemplateConfiguration is the path, in the build output, of a
	// CloudFormation template configuration file (parameters, tags, stack
	// policy). Default: none.
	TemplateConfiguration string
	// ReviewChangeSet puts a manual approval between creating and
	// executing the change set in each region, so that someone reads what
	// will change first. Default: false.
	ReviewChangeSet bool
	// Window, when set, lets executions enter the stage only inside this
	// deployment window.
	Window *Window
	// NoAlarms are CloudWatch alarms (pipeline account and region) that
	// must not be in ALARM for executions to enter the stage.
	NoAlarms []string
	// Accounts deploy the stack as a self-managed StackSet named
	// <StackName>-<Name> to these accounts, in every region of Regions, with
	// StackSetAdminRoleArn and StackSetExecutionRoleName. Exactly one of
	// Account, Accounts and OrganizationalUnits is required.
	Accounts []string
	// StackSetAdminRoleArn is the administration role of a self-managed
	// StackSet (pipeline account). Required with Accounts.
	StackSetAdminRoleArn string
	// StackSetExecutionRoleName is the role StackSets assumes in each
	// account (at path /). Required with Accounts.
	StackSetExecutionRoleName string
	// StackSetOf names an earlier deployment whose StackSet this one
	// extends with instances in its Accounts or OrganizationalUnits (the
	// CloudFormationStackInstances action). Default: a StackSet of its own.
	StackSetOf string
	// Release, when set, releases the workload another way than a
	// CloudFormation stack, in each region.
	Release *Release
	// Hooks are invoke actions run in each region, as InvokeRoleArn.
	Hooks []Hook
	// Regional overrides Release and Hooks in some regions.
	Regional map[string]Regional
	// InvokeRoleArn is the role the hooks run as, in Account. Required
	// with hooks.
	InvokeRoleArn string
}

// Window is a deployment window: an EventBridge cron expression in a time
// zone (default UTC).
type Window struct {
	Cron, TimeZone string
}

// Props configures a Pipeline.
type Props struct {
	// Partition is the AWS partition of the pipeline's account. Default: aws.
	Partition string
	// PipelineName is the pipeline's name. Default: generated.
	PipelineName string
	// RoleName is the physical name of the pipeline's service role. Set it
	// when deploy roles in other accounts pin the role ARN. Default: generated.
	RoleName string
	// RolePath is the IAM path of the pipeline role. Default: /.
	RolePath string
	// Store holds the artifacts. Required.
	Store *artifacts.Store
	// Replicas are the artifact stores of the other regions that
	// deployments deploy to, by region. Default: none (every deployment
	// must be in the pipeline's region).
	Replicas map[string]Replica
	// Source is the repository. Required.
	Source Source
	// ExtraSources are further sources in the Source stage; the build gets
	// each as a secondary input (CODEBUILD_SRC_DIR_Source_<Name>).
	ExtraSources []Source
	// Build is the build step.
	Build Build
	// Tests run in a Test stage after Build. Default: none.
	Tests []Suite
	// Scan, when set, adds a Scan stage after Build (and Test).
	Scan *Scan
	// Deployments run in order, one stage per wave (see Deployment.Wave and
	// PlanStages).
	Deployments []Deployment
	// ExecutionMode is SUPERSEDED, QUEUED or PARALLEL. Default: SUPERSEDED.
	ExecutionMode string
	// Variables are pipeline-level variables. Default: none.
	Variables []Variable
	// ApproverPrincipals, when set, creates an approver role that these IAM
	// principal ARNs (roles, users or account roots) may assume, whose only
	// permission is codepipeline:PutApprovalResult on this pipeline's
	// approval actions. Default: no approver role.
	ApproverPrincipals []string
	// ApproverRoleName is the approver role's physical name. Default: generated.
	ApproverRoleName string
	// DeployRolePatterns replace the list of deploy role ARNs in the
	// pipeline role's sts:AssumeRole statement with ARN patterns, so that the
	// policy keeps one size however many environments there are. Default:
	// each Deployment's DeployRoleArn.
	DeployRolePatterns []string
	// ApprovalTopicPatterns do the same for the sns:Publish statement.
	// Default: the ARN of each approval topic.
	ApprovalTopicPatterns []string
	// InvokeRolePatterns do the same for the hooks' InvokeRoleArn.
	InvokeRolePatterns []string
	// GitOpsProjectName and HelmProjectName name the CodeBuild projects of
	// the GitOps and Helm steps. Default: generated.
	GitOpsProjectName, HelmProjectName string
	// HelmRoleName is the physical name of the Helm project's role, which
	// the deploy roles' trust must name. Default: generated.
	HelmRoleName string
}

var (
	stageName = regexp.MustCompile(`^[A-Za-z0-9.@_-]{1,90}$`)
	modes     = map[string]awscodepipeline.ExecutionMode{
		"SUPERSEDED": awscodepipeline.ExecutionMode_SUPERSEDED,
		"QUEUED":     awscodepipeline.ExecutionMode_QUEUED,
		"PARALLEL":   awscodepipeline.ExecutionMode_PARALLEL,
	}
	capabilities = map[string]awscdk.CfnCapabilities{
		"CAPABILITY_IAM":         awscdk.CfnCapabilities_ANONYMOUS_IAM,
		"CAPABILITY_NAMED_IAM":   awscdk.CfnCapabilities_NAMED_IAM,
		"CAPABILITY_AUTO_EXPAND": awscdk.CfnCapabilities_AUTO_EXPAND,
	}
	computeTypes = map[string]awscodebuild.ComputeType{
		"BUILD_GENERAL1_SMALL":   awscodebuild.ComputeType_SMALL,
		"BUILD_GENERAL1_MEDIUM":  awscodebuild.ComputeType_MEDIUM,
		"BUILD_GENERAL1_LARGE":   awscodebuild.ComputeType_LARGE,
		"BUILD_GENERAL1_XLARGE":  awscodebuild.ComputeType_X_LARGE,
		"BUILD_GENERAL1_2XLARGE": awscodebuild.ComputeType_X2_LARGE,
	}
	retention = map[int]awslogs.RetentionDays{
		1: awslogs.RetentionDays_ONE_DAY, 3: awslogs.RetentionDays_THREE_DAYS, 5: awslogs.RetentionDays_FIVE_DAYS,
		7: awslogs.RetentionDays_ONE_WEEK, 14: awslogs.RetentionDays_TWO_WEEKS, 30: awslogs.RetentionDays_ONE_MONTH,
		60: awslogs.RetentionDays_TWO_MONTHS, 90: awslogs.RetentionDays_THREE_MONTHS, 120: awslogs.RetentionDays_FOUR_MONTHS,
		150: awslogs.RetentionDays_FIVE_MONTHS, 180: awslogs.RetentionDays_SIX_MONTHS, 365: awslogs.RetentionDays_ONE_YEAR,
		400: awslogs.RetentionDays_THIRTEEN_MONTHS, 545: awslogs.RetentionDays_EIGHTEEN_MONTHS, 731: awslogs.RetentionDays_TWO_YEARS,
		1096: awslogs.RetentionDays_THREE_YEARS, 1827: awslogs.RetentionDays_FIVE_YEARS, 2192: awslogs.RetentionDays_SIX_YEARS,
		2557: awslogs.RetentionDays_SEVEN_YEARS, 2922: awslogs.RetentionDays_EIGHT_YEARS, 3288: awslogs.RetentionDays_NINE_YEARS,
		3653: awslogs.RetentionDays_TEN_YEARS,
	}
)

// Validate reports every problem of p at once.
func (p *Props) Validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if p.Store == nil {
		add("Store: required; create one with artifacts.NewStore")
	}
	errs = append(errs, p.Source.validate("Source", false)...)
	names := map[string]bool{}
	for i, x := range p.ExtraSources {
		errs = append(errs, x.validate(fmt.Sprintf("ExtraSources[%d]", i), true)...)
		if names[x.Name] {
			add("ExtraSources[%d].Name %q: already used", i, x.Name)
		}
		names[x.Name] = true
	}
	if p.ExecutionMode != "" {
		if _, ok := modes[p.ExecutionMode]; !ok {
			add("ExecutionMode %q: must be SUPERSEDED, QUEUED or PARALLEL", p.ExecutionMode)
		}
	}
	for i, v := range p.Variables {
		if v.Name == "" {
			add("Variables[%d].Name \"\": required", i)
		}
	}
	for i, arn := range p.ApproverPrincipals {
		if principalAccount(arn) == "" {
			add("ApproverPrincipals[%d] %q: must be an IAM role, user or account-root ARN", i, arn)
		}
	}
	if d := p.Build.LogRetentionDays; d != 0 {
		if _, ok := retention[d]; !ok {
			add("Build.LogRetentionDays %d: not a CloudWatch Logs retention value (e.g. 30, 90, 365)", d)
		}
	}
	if c := p.Build.ComputeType; c != "" {
		if _, ok := computeTypes[c]; !ok {
			add("Build.ComputeType %q: must be BUILD_GENERAL1_SMALL, _MEDIUM, _LARGE, _XLARGE or _2XLARGE", c)
		}
	}
	if c := p.Build.Cache; c != "" && c != "none" && c != "local" && c != "s3" {
		add("Build.Cache %q: must be none, local or s3", c)
	}
	for name, v := range p.Build.EnvironmentVariables {
		n := 0
		for _, f := range []string{v.Value, v.Parameter, v.Secret} {
			if f != "" {
				n++
			}
		}
		if n != 1 {
			add("Build.EnvironmentVariables[%q]: set exactly one of Value, Parameter and Secret", name)
		}
	}
	if t := p.Build.TimeoutMinutes; t != 0 && (t < 5 || t > 2160) {
		add("Build.TimeoutMinutes %d: must be 5 to 2160", t)
	}
	if len(p.Deployments) == 0 {
		add("Deployments []: add at least one deployment")
	}
	fixed := 2 // Source and Build
	if len(p.Tests) > 0 {
		fixed++
	}
	if p.Scan != nil {
		fixed++
	}
	if plan, err := PlanStages(p.Deployments); err != nil {
		errs = append(errs, err)
	} else if len(plan)+fixed > MaxStages {
		add("Deployments: %d deploy stages plus %d others make %d stages; a pipeline has at most %d: group environments into waves", len(plan), fixed, len(plan)+fixed, MaxStages)
	}
	errs = append(errs, validateSuites("Tests", p.Tests, false)...)
	if sc := p.Scan; sc != nil {
		if len(sc.Scanners) == 0 {
			add("Scan.Scanners []: add at least one scanner")
		}
		if sc.FailOn != "" && !slices.Contains([]string{"LOW", "MEDIUM", "HIGH", "CRITICAL"}, sc.FailOn) {
			add("Scan.FailOn %q: must be LOW, MEDIUM, HIGH or CRITICAL", sc.FailOn)
		}
		errs = append(errs, validateSuites("Scan.Scanners", sc.Scanners, true)...)
	}
	seen := map[string]int{}
	for i, d := range p.Deployments {
		if !stageName.MatchString(d.Name) {
			add("Deployments[%d].Name %q: must be 1-90 characters of letters, digits and .@_-", i, d.Name)
		}
		if d.Wave != "" && !stageName.MatchString(d.Wave) {
			add("Deployments[%d].Wave %q: must be 1-90 characters of letters, digits and .@_-", i, d.Wave)
		}
		if j, dup := seen[d.Name]; dup {
			add("Deployments[%d].Name %q: already used by Deployments[%d]", i, d.Name, j)
		}
		seen[d.Name] = i
		ous := d.isStackSet()
		switch {
		case len(d.OrganizationalUnits) > 0 && len(d.Accounts) > 0:
			add("Deployments[%d].Accounts %q: set either Accounts or OrganizationalUnits", i, d.Accounts)
		case ous && d.Account != "":
			add("Deployments[%d].Account %q: set one of Account, Accounts and OrganizationalUnits", i, d.Account)
		case !ous && !values.IsAccount(d.Account):
			add("Deployments[%d].Account %q: must be a 12-digit account ID", i, d.Account)
		}
		for _, a := range d.Accounts {
			if !values.IsAccount(a) {
				add("Deployments[%d].Accounts %q: must be 12-digit account IDs", i, a)
			}
		}
		if len(d.Accounts) > 0 && d.StackSetOf == "" && (!strings.Contains(d.StackSetAdminRoleArn, ":role/") || d.StackSetExecutionRoleName == "") {
			add("Deployments[%d]: a StackSet to Accounts needs StackSetAdminRoleArn and StackSetExecutionRoleName (self-managed permissions)", i)
		}
		if d.StackSetOf != "" {
			j := slices.IndexFunc(p.Deployments[:i], func(o Deployment) bool { return o.Name == d.StackSetOf })
			if !ous || j < 0 || !p.Deployments[j].isStackSet() || p.Deployments[j].StackSetOf != "" {
				add("Deployments[%d].StackSetOf %q: must name an earlier StackSet deployment, and this one needs Accounts or OrganizationalUnits", i, d.StackSetOf)
			}
		}
		errs = append(errs, validateRelease(i, d)...)
		if d.MaxConcurrentPercentage < 0 || d.MaxConcurrentPercentage > 100 || d.FailureTolerancePercentage < 0 || d.FailureTolerancePercentage > 100 {
			add("Deployments[%d]: MaxConcurrentPercentage %d and FailureTolerancePercentage %d must be 0 to 100", i, d.MaxConcurrentPercentage, d.FailureTolerancePercentage)
		}
		if len(d.Regions) == 0 {
			add("Deployments[%d].Regions []: name at least one region", i)
		}
		for j, r := range d.Regions {
			if slices.Index(d.Regions, r) != j {
				add("Deployments[%d].Regions[%d] %q: listed twice; remove one", i, j, r)
			}
		}
		for _, r := range []struct{ field, arn string }{{"DeployRoleArn", d.DeployRoleArn}, {"ExecutionRoleArn", d.ExecutionRoleArn}} {
			if ous || (r.field == "ExecutionRoleArn" && !d.deploysStack()) {
				continue
			}
			if !strings.HasPrefix(r.arn, "arn:") || !strings.Contains(r.arn, ":iam::"+d.Account+":role/") {
				add("Deployments[%d].%s %q: must be a role ARN in account %s", i, r.field, r.arn, d.Account)
			}
		}
		if a := d.Approval; a != nil && a.TimeoutMinutes != 0 && (a.TimeoutMinutes < 5 || a.TimeoutMinutes > 86400) {
			add("Deployments[%d].Approval.TimeoutMinutes %d: must be 5 to 86400", i, a.TimeoutMinutes)
		}
		if d.StackName == "" {
			add("Deployments[%d].StackName \"\": required", i)
		}
		for _, c := range d.Capabilities {
			if _, ok := capabilities[c]; !ok {
				add("Deployments[%d].Capabilities %q: must be CAPABILITY_IAM, CAPABILITY_NAMED_IAM or CAPABILITY_AUTO_EXPAND", i, c)
			}
		}
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
	pipeline awscodepipeline.Pipeline
	role     awsiam.Role
	project  awscodebuild.PipelineProject
	logGroup awslogs.LogGroup
	topics   map[string]awssns.Topic
	imported map[string]awsiam.IRole
	// wildcards are the ARN patterns of the role policy's resources.
	wildcards []string
	approver  awsiam.Role
	secrets   []string
	// suiteProjects are the projects of the Test and Scan stages.
	suiteProjects []awscodebuild.PipelineProject
	// gitOps and helm are the EKS step projects, created on first use;
	// stepProjects lists them.
	gitOps, helm awscodebuild.PipelineProject
	stepProjects []awscodebuild.PipelineProject
}

// New creates the pipeline. It panics with every problem of props listed
// when props are invalid; call props.Validate first to handle the error
// yourself.
func New(scope constructs.Construct, id string, props *Props) *Pipeline {
	if err := props.Validate(); err != nil {
		panic(err)
	}
	p := withDefaults(*props)
	if region := awscdk.Stack_Of(scope).Region(); !*awscdk.Token_IsUnresolved(region) {
		for i, d := range p.Deployments {
			if d.isStackSet() {
				continue // a StackSet deploys to its regions from the pipeline's region
			}
			for _, r := range d.Regions {
				if _, ok := p.Replicas[r]; r != *region && !ok {
					panic(fmt.Errorf("pipeline.Props: Deployments[%d].Regions %q: must be the pipeline's region %s or a region of Replicas", i, r, *region))
				}
			}
		}
	}
	pl := &Pipeline{Construct: constructs.NewConstruct(scope, &id), topics: map[string]awssns.Topic{}, imported: map[string]awsiam.IRole{}}
	store := p.Store

	pl.role = awsiam.NewRole(pl.Construct, jsii.String("Role"), &awsiam.RoleProps{
		RoleName:    values.Optional(p.RoleName),
		Path:        jsii.String(p.RolePath),
		Description: jsii.String("Service role of the delivery pipeline; assumes the deploy roles of its target accounts"),
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("codepipeline.amazonaws.com"), nil),
	})

	pl.logGroup = awslogs.NewLogGroup(pl.Construct, jsii.String("BuildLogs"), &awslogs.LogGroupProps{
		LogGroupName:  values.Optional(p.Build.LogGroupName),
		Retention:     retention[p.Build.LogRetentionDays],
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	pl.project = awscodebuild.NewPipelineProject(pl.Construct, jsii.String("Build"), &awscodebuild.PipelineProjectProps{
		ProjectName:   values.Optional(p.Build.ProjectName),
		Description:   jsii.String("Builds the deployable template from " + p.Source.describe()),
		BuildSpec:     awscodebuild.BuildSpec_FromSourceFilename(jsii.String(p.Build.Buildspec)),
		EncryptionKey: store.Key(), // the artifact key: targets must decrypt what the build writes
		Timeout:       awscdk.Duration_Minutes(jsii.Number(float64(p.Build.TimeoutMinutes))),
		Environment: &awscodebuild.BuildEnvironment{
			BuildImage:  awscodebuild.LinuxBuildImage_FromCodeBuildImageId(jsii.String(p.Build.Image)),
			ComputeType: computeTypes[p.Build.ComputeType],
			Privileged:  jsii.Bool(p.Build.Privileged),
		},
		EnvironmentVariables: buildVariables(p.Build.EnvironmentVariables),
		Cache:                buildCache(p.Build.Cache, store),
		Logging:              &awscodebuild.LoggingOptions{CloudWatch: &awscodebuild.CloudWatchLoggingOptions{LogGroup: pl.logGroup}},
	})

	for _, v := range p.Build.EnvironmentVariables {
		if v.Secret != "" {
			pl.secrets = append(pl.secrets, v.Secret)
		}
	}
	pl.secrets = values.SortedUnique(pl.secrets)

	source := awscodepipeline.NewArtifact(jsii.String("Source"), nil)
	built := awscodepipeline.NewArtifact(jsii.String("Build"), nil)
	// The L2 Pipeline receives an immutable view of the role: the grants it
	// would add per action fall away, and statements below grant the same at
	// a fixed size.
	actionRole := pl.role.WithoutPolicyUpdates(nil)
	primary, trigger := pl.sourceAction(p.Source, primaryActionName(p.Source), SourceVariables, source)
	sourceActions := []awscodepipeline.IAction{primary}
	var triggers []*awscodepipeline.TriggerProps
	if trigger != nil {
		triggers = append(triggers, trigger)
	}
	var extraInputs []awscodepipeline.Artifact
	for _, x := range p.ExtraSources {
		out := awscodepipeline.NewArtifact(jsii.String("Source_"+x.Name), nil)
		action, trigger := pl.sourceAction(x, x.Name, SourceVariables+"_"+x.Name, out)
		sourceActions = append(sourceActions, action)
		extraInputs = append(extraInputs, out)
		if trigger != nil {
			triggers = append(triggers, trigger)
		}
	}
	stages := []*awscodepipeline.StageProps{
		{StageName: jsii.String("Source"), Actions: &sourceActions},
		{StageName: jsii.String("Build"), Actions: &[]awscodepipeline.IAction{
			awscodepipelineactions.NewCodeBuildAction(&awscodepipelineactions.CodeBuildActionProps{
				ActionName:         jsii.String("Build"),
				Project:            pl.project,
				Input:              source,
				ExtraInputs:        &extraInputs,
				Outputs:            &[]awscodepipeline.Artifact{built},
				VariablesNamespace: jsii.String(BuildVariables),
				EnvironmentVariables: actionVariables(p.Build.EnvironmentVariables, map[string]*awscodebuild.BuildEnvironmentVariable{
					"GIT_COMMIT_HASH": {Value: jsii.String("#{" + SourceVariables + ".CommitId}")},
					"GIT_BRANCH":      {Value: jsii.String("#{" + SourceVariables + ".BranchName}")},
					"GIT_AUTHOR_DATE": {Value: jsii.String("#{" + SourceVariables + ".AuthorDate}")},
				}),
			}),
		}},
	}
	if len(p.Tests) > 0 {
		stages = append(stages, pl.suiteStage("Test", p.Tests, nil, p, source, built))
	}
	if sc := p.Scan; sc != nil {
		var scanners []Suite
		for _, s := range sc.Scanners {
			if s.Preset != "" {
				s = PresetSuite(s, sc.FailOn)
			}
			scanners = append(scanners, s)
		}
		stages = append(stages, pl.suiteStage("Scan", scanners, map[string]string{
			"RELAY_FAIL_ON":    sc.FailOn,
			"RELAY_SEVERITIES": strings.Join(severitiesFrom(sc.FailOn), ","),
		}, p, source, built))
	}
	var topicArns []*string
	plan, _ := PlanStages(p.Deployments) // validated above
	for _, st := range plan {
		var actions []awscodepipeline.IAction
		for _, a := range st.Actions {
			d := p.Deployments[a.Deployment]
			switch a.Kind {
			case Approve:
				topic := awssns.NewTopic(pl.Construct, jsii.String("Approval-"+d.Name), &awssns.TopicProps{
					TopicName:   values.Optional(d.Approval.TopicName),
					DisplayName: jsii.String("Approve deployment to " + d.Name),
					MasterKey:   store.Key(),
					EnforceSSL:  jsii.Bool(true),
				})
				for _, email := range d.Approval.Notify {
					topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(email), nil))
				}
				pl.topics[d.Name] = topic
				topicArns = append(topicArns, topic.TopicArn())
				actions = append(actions, awscodepipelineactions.NewManualApprovalAction(&awscodepipelineactions.ManualApprovalActionProps{
					ActionName:            jsii.String(a.Name),
					RunOrder:              jsii.Number(float64(a.RunOrder)),
					NotificationTopic:     topic,
					AdditionalInformation: jsii.String(d.Approval.Comment),
					ExternalEntityLink:    values.Optional(d.Approval.ReviewURL),
					Timeout:               awscdk.Duration_Minutes(jsii.Number(float64(d.Approval.TimeoutMinutes))),
				}))
			case Prepare:
				actions = append(actions, awscodepipelineactions.NewCloudFormationCreateReplaceChangeSetAction(&awscodepipelineactions.CloudFormationCreateReplaceChangeSetActionProps{
					ActionName:            jsii.String(a.Name),
					RunOrder:              jsii.Number(float64(a.RunOrder)),
					StackName:             jsii.String(d.StackName),
					ChangeSetName:         jsii.String(changeSetName),
					TemplatePath:          built.AtPath(jsii.String(d.TemplatePath)),
					AdminPermissions:      jsii.Bool(false),
					Account:               jsii.String(d.Account),
					Region:                jsii.String(a.Region),
					Role:                  pl.importRole("DeployRole-"+d.Name, d.DeployRoleArn),
					DeploymentRole:        pl.importRole("ExecutionRole-"+d.Name, d.ExecutionRoleArn),
					CfnCapabilities:       cfnCapabilities(d),
					ParameterOverrides:    parameterOverrides(d.ParameterOverrides),
					TemplateConfiguration: templateConfiguration(built, d.TemplateConfiguration),
				}))
			case Review:
				actions = append(actions, awscodepipelineactions.NewManualApprovalAction(&awscodepipelineactions.ManualApprovalActionProps{
					ActionName: jsii.String(a.Name),
					RunOrder:   jsii.Number(float64(a.RunOrder)),
					AdditionalInformation: jsii.String(fmt.Sprintf("Review change set %s of stack %s in account %s, region %s (CloudFormation console), then approve to execute it.",
						changeSetName, d.StackName, d.Account, a.Region)),
				}))
			case StackSet:
				var model awscodepipelineactions.StackSetDeploymentModel
				if len(d.Accounts) > 0 {
					model = awscodepipelineactions.StackSetDeploymentModel_SelfManaged(&awscodepipelineactions.SelfManagedDeploymentProps{
						AdministrationRole: pl.importRole("StackSetAdminRole", d.StackSetAdminRoleArn),
						ExecutionRoleName:  jsii.String(d.StackSetExecutionRoleName),
					})
				} else {
					model = awscodepipelineactions.StackSetDeploymentModel_Organizations(&awscodepipelineactions.OrganizationsDeploymentProps{
						AutoDeployment: awscodepipelineactions.StackSetOrganizationsAutoDeployment_ENABLED,
					})
				}
				actions = append(actions, awscodepipelineactions.NewCloudFormationDeployStackSetAction(&awscodepipelineactions.CloudFormationDeployStackSetActionProps{
					ActionName:                      jsii.String(a.Name),
					RunOrder:                        jsii.Number(float64(a.RunOrder)),
					StackSetName:                    jsii.String(StackSetName(d)),
					Template:                        awscodepipelineactions.StackSetTemplate_FromArtifactPath(built.AtPath(jsii.String(d.TemplatePath))),
					DeploymentModel:                 model,
					StackInstances:                  stackInstances(d),
					MaxAccountConcurrencyPercentage: jsii.Number(float64(d.MaxConcurrentPercentage)),
					FailureTolerancePercentage:      jsii.Number(float64(d.FailureTolerancePercentage)),
					CfnCapabilities:                 cfnCapabilities(d),
				}))
			case Deploy, GitOpsUpdate, HelmDeploy:
				actions = append(actions, pl.releaseAction(p, a, d, built))
			case Invoke:
				actions = append(actions, pl.hookAction(p, a, d, built))
			case StackInstances:
				owner := p.Deployments[slices.IndexFunc(p.Deployments, func(o Deployment) bool { return o.Name == d.StackSetOf })]
				actions = append(actions, awscodepipelineactions.NewCloudFormationDeployStackInstancesAction(&awscodepipelineactions.CloudFormationDeployStackInstancesActionProps{
					ActionName:                      jsii.String(a.Name),
					RunOrder:                        jsii.Number(float64(a.RunOrder)),
					StackSetName:                    jsii.String(StackSetName(owner)),
					StackInstances:                  stackInstances(d),
					MaxAccountConcurrencyPercentage: jsii.Number(float64(d.MaxConcurrentPercentage)),
					FailureTolerancePercentage:      jsii.Number(float64(d.FailureTolerancePercentage)),
				}))
			case Execute:
				actions = append(actions, awscodepipelineactions.NewCloudFormationExecuteChangeSetAction(&awscodepipelineactions.CloudFormationExecuteChangeSetActionProps{
					ActionName:         jsii.String(a.Name),
					RunOrder:           jsii.Number(float64(a.RunOrder)),
					VariablesNamespace: jsii.String(naming.DeployNamespace(d.Name, a.Region)),
					StackName:          jsii.String(d.StackName),
					ChangeSetName:      jsii.String(changeSetName),
					Account:            jsii.String(d.Account),
					Region:             jsii.String(a.Region),
					Role:               pl.importRole("DeployRole-"+d.Name, d.DeployRoleArn),
				}))
			}
		}
		sp := &awscodepipeline.StageProps{StageName: jsii.String(st.Name), Actions: &actions}
		if st.FreezeReason != "" {
			sp.TransitionToEnabled = jsii.Bool(false)
			sp.TransitionDisabledReason = jsii.String(st.FreezeReason)
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
		stages = append(stages, sp)
	}
	var variables []awscodepipeline.Variable
	for _, v := range p.Variables {
		variables = append(variables, awscodepipeline.NewVariable(&awscodepipeline.VariableProps{
			VariableName: jsii.String(v.Name),
			DefaultValue: jsii.String(v.Default),
			Description:  values.Optional(v.Description),
		}))
	}

	// With replicas, the L2 takes every store, the primary included, as
	// crossRegionReplicationBuckets instead of artifactBucket.
	artifactBucket, replicaBuckets := store.PipelineBucket(), (*map[string]awss3.IBucket)(nil)
	if len(p.Replicas) > 0 {
		artifactBucket, replicaBuckets = nil, pl.replicaViews(p, *awscdk.Stack_Of(pl.Construct).Region())
	}
	var triggerProps *[]*awscodepipeline.TriggerProps
	if len(triggers) > 0 {
		triggerProps = &triggers
	}
	pl.pipeline = awscodepipeline.NewPipeline(pl.Construct, jsii.String("Pipeline"), &awscodepipeline.PipelineProps{
		PipelineName:                  values.Optional(p.PipelineName),
		PipelineType:                  awscodepipeline.PipelineType_V2,
		ExecutionMode:                 modes[p.ExecutionMode],
		ArtifactBucket:                artifactBucket,
		CrossRegionReplicationBuckets: replicaBuckets,
		Role:                          actionRole,
		UsePipelineRoleForActions:     jsii.Bool(true),
		RestartExecutionOnUpdate:      jsii.Bool(false),
		Stages:                        &stages,
		Variables:                     &variables,
		Triggers:                      triggerProps,
	})
	if len(p.ApproverPrincipals) > 0 {
		pl.approver = newApproverRole(pl.Construct, p, pl.pipeline)
	}

	for _, st := range pl.roleStatements(p, topicArns) {
		pl.role.AddToPolicy(st)
	}
	// The pipeline must not be created before its role's policy exists (the
	// role itself is already referenced by RoleArn).
	pl.pipeline.Node().AddDependency(pl.role.Node().FindChild(jsii.String("DefaultPolicy")))
	return pl
}

// entryRules are the V2 rules of a stage's entry conditions.
func entryRules(st Stage) []awscodepipeline.Rule {
	var rules []awscodepipeline.Rule
	if w := st.Window; w != nil {
		tz := w.TimeZone
		if tz == "" {
			tz = "UTC"
		}
		rules = append(rules, awscodepipeline.NewRule(&awscodepipeline.RuleProps{
			Name:          jsii.String("DeploymentWindow"),
			Provider:      jsii.String("DeploymentWindow"),
			Version:       jsii.String("1"),
			Configuration: &map[string]interface{}{"Cron": w.Cron, "TimeZone": tz},
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

func (pl *Pipeline) stackAccount() *string { return awscdk.Stack_Of(pl.Construct).Account() }

// primaryActionName names the primary source action after its kind.
func primaryActionName(s Source) string {
	switch {
	case s.Connection != nil:
		return s.Connection.Provider
	case s.S3 != nil:
		return "S3"
	case s.CodeCommit != nil:
		return "CodeCommit"
	}
	return "ECR"
}

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

// changeSetName is the change set each deploy stage creates and executes.
const changeSetName = "relay-pipeline"

// Pipeline is the aws-cdk-lib pipeline.
func (pl *Pipeline) Pipeline() awscodepipeline.Pipeline { return pl.pipeline }

// Role is the pipeline's service role.
func (pl *Pipeline) Role() awsiam.Role { return pl.role }

// Project is the build project.
func (pl *Pipeline) Project() awscodebuild.PipelineProject { return pl.project }

// LogGroup receives the build logs.
func (pl *Pipeline) LogGroup() awslogs.LogGroup { return pl.logGroup }

// WildcardResources are the resource patterns with a wildcard in the
// pipeline role's policy (deploy roles, approval topics, StackSets), sorted.
// Each names only this pipeline's resources.
func (pl *Pipeline) WildcardResources() []string { return values.SortedUnique(pl.wildcards) }

// BuildSecrets are the Secrets Manager ARNs of the build's environment
// variables, sorted.
func (pl *Pipeline) BuildSecrets() []string { return pl.secrets }

// ApproverRole is the role that may approve this pipeline's manual
// approvals, or nil when Props.ApproverPrincipals is empty.
func (pl *Pipeline) ApproverRole() awsiam.Role { return pl.approver }

// ApprovalTopic is the SNS topic of env's manual approval, or nil.
func (pl *Pipeline) ApprovalTopic(env string) awssns.Topic { return pl.topics[env] }

func (pl *Pipeline) roleStatements(p Props, topicArns []*string) []awsiam.PolicyStatement {
	store := p.Store
	bucketArn := store.Bucket().BucketArn()
	objects := awscdk.Fn_Join(jsii.String(""), &[]*string{bucketArn, jsii.String("/*")})
	assume := deployRoles(p)
	if len(p.InvokeRolePatterns) > 0 {
		assume = append(assume, p.InvokeRolePatterns...)
	} else {
		for _, d := range p.Deployments {
			if d.InvokeRoleArn != "" {
				assume = append(assume, d.InvokeRoleArn)
			}
		}
	}
	sts := []awsiam.PolicyStatement{
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("ReadWriteArtifacts"),
			Actions:   jsii.Strings("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:GetBucketLocation", "s3:GetBucketVersioning", "s3:ListBucket"),
			Resources: &[]*string{bucketArn, objects},
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("UseArtifactKey"),
			Actions:   jsii.Strings("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"),
			Resources: &[]*string{store.Key().KeyArn()},
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("RunBuild"),
			Actions:   jsii.Strings("codebuild:BatchGetBuilds", "codebuild:StartBuild", "codebuild:StopBuild"),
			Resources: pl.projectArns(),
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("AssumeDeployRoles"),
			Actions:   jsii.Strings("sts:AssumeRole"),
			Resources: jsii.Strings(values.SortedUnique(assume)...),
		}),
	}
	sts = append(sts, sourceStatements(append([]Source{p.Source}, p.ExtraSources...), p.Partition, awscdk.Stack_Of(pl.Construct))...)
	replicaSts, replicaWildcards := replicaStatements(p, *pl.stackAccount())
	sts = append(sts, replicaSts...)
	pl.wildcards = append(pl.wildcards, replicaWildcards...)
	var alarms []string
	for _, d := range p.Deployments {
		for _, a := range d.NoAlarms {
			stack := awscdk.Stack_Of(pl.Construct)
			alarms = append(alarms, fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:%s", p.Partition, *stack.Region(), *stack.Account(), a))
		}
	}
	if len(alarms) > 0 {
		sts = append(sts, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("CheckEntryAlarms"),
			Actions:   jsii.Strings("cloudwatch:DescribeAlarms"),
			Resources: jsii.Strings(values.SortedUnique(alarms)...),
		}))
	}
	var stackSets []string
	for _, d := range p.Deployments {
		if d.isStackSet() && d.StackSetOf == "" {
			stack := awscdk.Stack_Of(pl.Construct)
			stackSets = append(stackSets, fmt.Sprintf("arn:%s:cloudformation:%s:%s:stackset/%s:*", p.Partition, *stack.Region(), *stack.Account(), StackSetName(d)))
		}
	}
	sts = append(sts, releaseStatements(p)...)
	for _, group := range [][]string{assume, stackSets, p.ApprovalTopicPatterns} {
		for _, r := range group {
			if strings.Contains(r, "*") {
				pl.wildcards = append(pl.wildcards, r)
			}
		}
	}
	if len(stackSets) > 0 {
		sts = append(sts, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid: jsii.String("DeployWorkloadStackSets"),
			Actions: jsii.Strings("cloudformation:CreateStackSet", "cloudformation:UpdateStackSet", "cloudformation:DescribeStackSet",
				"cloudformation:DescribeStackSetOperation", "cloudformation:ListStackInstances", "cloudformation:CreateStackInstances"),
			Resources: jsii.Strings(values.SortedUnique(stackSets)...),
		}))
	}
	if len(topicArns) > 0 {
		res := topicArns
		if len(p.ApprovalTopicPatterns) > 0 {
			res = *jsii.Strings(values.SortedUnique(p.ApprovalTopicPatterns)...)
		}
		sts = append(sts, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("AnnounceApprovals"),
			Actions:   jsii.Strings("sns:Publish"),
			Resources: &res,
		}))
	}
	return sts
}

// hasReference reports whether v refers to a pipeline variable, which only
// the CodeBuild action (not the project) resolves.
func hasReference(v BuildVariable) bool { return strings.Contains(v.Value, "#{") }

// actionVariables adds to base the plain-text variables whose values refer
// to pipeline variables (#{namespace.name}): CodePipeline resolves those
// on the action.
func actionVariables(vars map[string]BuildVariable, base map[string]*awscodebuild.BuildEnvironmentVariable) *map[string]*awscodebuild.BuildEnvironmentVariable {
	for name, v := range vars {
		if hasReference(v) {
			base[name] = &awscodebuild.BuildEnvironmentVariable{Value: jsii.String(v.Value)}
		}
	}
	return &base
}

// buildVariables are the project's variables (those without references) as
// aws-cdk-lib values; aws-cdk-lib grants the project read access to each
// parameter and secret.
func buildVariables(vars map[string]BuildVariable) *map[string]*awscodebuild.BuildEnvironmentVariable {
	out := map[string]*awscodebuild.BuildEnvironmentVariable{}
	for name, v := range vars {
		if hasReference(v) {
			continue
		}
		switch {
		case v.Parameter != "":
			out[name] = &awscodebuild.BuildEnvironmentVariable{Type: awscodebuild.BuildEnvironmentVariableType_PARAMETER_STORE, Value: jsii.String(v.Parameter)}
		case v.Secret != "":
			out[name] = &awscodebuild.BuildEnvironmentVariable{Type: awscodebuild.BuildEnvironmentVariableType_SECRETS_MANAGER, Value: jsii.String(v.Secret)}
		default:
			out[name] = &awscodebuild.BuildEnvironmentVariable{Value: jsii.String(v.Value)}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

// buildCache is the project cache for mode.
func buildCache(mode string, store *artifacts.Store) awscodebuild.Cache {
	switch mode {
	case "local":
		return awscodebuild.Cache_Local(awscodebuild.LocalCacheMode_DOCKER_LAYER, awscodebuild.LocalCacheMode_SOURCE, awscodebuild.LocalCacheMode_CUSTOM)
	case "s3":
		return awscodebuild.Cache_Bucket(store.Bucket(), &awscodebuild.BucketCacheOptions{Prefix: jsii.String("build-cache")})
	}
	return nil
}

// projectArns are the ARNs of every CodeBuild project the pipeline runs.
func (pl *Pipeline) projectArns() *[]*string {
	arns := []*string{pl.project.ProjectArn()}
	for _, sp := range append(slices.Clone(pl.suiteProjects), pl.stepProjects...) {
		arns = append(arns, sp.ProjectArn())
	}
	return &arns
}

// StepProjects are the projects of the GitOps and Helm steps, if any.
func (pl *Pipeline) StepProjects() []awscodebuild.PipelineProject { return pl.stepProjects }

// SuiteProjects are the projects of the Test and Scan stages, in order.
func (pl *Pipeline) SuiteProjects() []awscodebuild.PipelineProject { return pl.suiteProjects }

// parameterOverrides are a deployment's overrides as aws-cdk-lib values.
func parameterOverrides(m map[string]string) *map[string]interface{} {
	if len(m) == 0 {
		return nil
	}
	out := map[string]interface{}{}
	for k, v := range m {
		out[k] = v
	}
	return &out
}

// templateConfiguration is the artifact path of a template configuration,
// or nil.
func templateConfiguration(built awscodepipeline.Artifact, path string) awscodepipeline.ArtifactPath {
	if path == "" {
		return nil
	}
	return built.AtPath(jsii.String(path))
}

// cfnCapabilities are d's capabilities as aws-cdk-lib values.
func cfnCapabilities(d Deployment) *[]awscdk.CfnCapabilities {
	var caps []awscdk.CfnCapabilities
	for _, c := range d.Capabilities {
		caps = append(caps, capabilities[c])
	}
	return &caps
}

// stackInstances are the accounts or OUs of d, in each of its regions.
func stackInstances(d Deployment) awscodepipelineactions.StackInstances {
	if len(d.Accounts) > 0 {
		return awscodepipelineactions.StackInstances_InAccounts(jsii.Strings(d.Accounts...), jsii.Strings(d.Regions...))
	}
	return awscodepipelineactions.StackInstances_InOrganizationalUnits(jsii.Strings(d.OrganizationalUnits...), jsii.Strings(d.Regions...))
}

// StackSetName is the StackSet that deploys d's stack to its OUs.
func StackSetName(d Deployment) string { return d.StackName + "-" + d.Name }

func withDefaults(p Props) Props {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&p.RolePath, "/")
	def(&p.Partition, "aws")
	withSourceDefaults := func(s Source) Source {
		if c := s.Connection; c != nil {
			cc := *c
			def(&cc.Branch, "main")
			def(&cc.Provider, "GitHub")
			s.Connection = &cc
		}
		if e := s.ECR; e != nil {
			ee := *e
			def(&ee.Tag, "latest")
			s.ECR = &ee
		}
		if r := s.CodeCommit; r != nil {
			rr := *r
			def(&rr.Branch, "main")
			s.CodeCommit = &rr
		}
		return s
	}
	p.Source = withSourceDefaults(p.Source)
	extra := make([]Source, len(p.ExtraSources))
	for i, x := range p.ExtraSources {
		extra[i] = withSourceDefaults(x)
	}
	p.ExtraSources = extra
	def(&p.Build.Buildspec, "buildspec.yml")
	def(&p.Build.ComputeType, "BUILD_GENERAL1_SMALL")
	def(&p.Build.Image, "aws/codebuild/standard:7.0")
	def(&p.ExecutionMode, "SUPERSEDED")
	defInt(&p.Build.TimeoutMinutes, 30)
	defInt(&p.Build.LogRetentionDays, 365)
	suites := func(in []Suite) []Suite {
		out := make([]Suite, len(in))
		for i, s := range in {
			def(&s.Input, "source")
			defInt(&s.RunOrder, 1)
			if s.Reports != nil {
				r := *s.Reports
				def(&r.Format, "JUNITXML")
				s.Reports = &r
			}
			out[i] = s
		}
		return out
	}
	p.Tests = suites(p.Tests)
	if p.Scan != nil {
		sc := *p.Scan
		def(&sc.FailOn, "HIGH")
		sc.Scanners = suites(sc.Scanners)
		p.Scan = &sc
	}
	deps := make([]Deployment, len(p.Deployments))
	for i, d := range p.Deployments {
		def(&d.TemplatePath, "template.json")
		if d.isStackSet() {
			defInt(&d.MaxConcurrentPercentage, 25)
		}
		if d.Approval != nil {
			a := *d.Approval
			def(&a.Comment, "Approve deployment to "+d.Name)
			defInt(&a.TimeoutMinutes, 10080)
			d.Approval = &a
		}
		deps[i] = d
	}
	p.Deployments = deps
	return p
}
