// Package defaults is the one home of every default value Relay applies to
// a field left out: config (relay.yaml), the release plan (package plan,
// whose inputs are the Go API of package pipeline) and the constructs read
// them from here, so a default cannot differ between YAML and Go. The doc
// comment of each field names its default; this package holds the value.
package defaults

// Sources.
const (
	// Branch is the branch of a connection or CodeCommit source, and of a
	// GitOps repository.
	Branch = "main"
	// ConnectionProvider is the provider of a connection source.
	ConnectionProvider = "GitHub"
	// ImageTag is the tag of an ECR source.
	ImageTag = "latest"
)

// Build, Test and Scan.
const (
	// Buildspec is the build's buildspec path in the source.
	Buildspec = "buildspec.yml"
	// BuildTimeoutMinutes bounds one build (and each suite).
	BuildTimeoutMinutes = 30
	// ComputeType is the CodeBuild compute type.
	ComputeType = "BUILD_GENERAL1_SMALL"
	// Image is the CodeBuild-managed image.
	Image = "aws/codebuild/standard:7.0"
	// LogRetentionDays is how long the build logs are kept.
	LogRetentionDays = 365
	// Cache is the build cache mode.
	Cache = "none"
	// SuiteInput is the artifact a Test or Scan suite reads.
	SuiteInput = "source"
	// RunOrder is the run order of a suite.
	RunOrder = 1
	// ReportFormat is a suite's test report format.
	ReportFormat = "JUNITXML"
	// FailOn is the lowest severity that fails the Scan stage.
	FailOn = "HIGH"
	// StepTimeoutMinutes bounds a GitOps or Helm step.
	StepTimeoutMinutes = 30
	// RunStepTimeoutMinutes bounds a CodeBuild step of an environment.
	RunStepTimeoutMinutes = 60
	// StepWhen says when a step runs around the releases.
	StepWhen = "after"
)

// Pipeline behaviour.
const (
	// ExecutionMode is the pipeline's execution mode.
	ExecutionMode = "SUPERSEDED"
	// ApprovalTimeoutMinutes is how long a manual approval waits (7 days).
	ApprovalTimeoutMinutes = 10080
	// ApprovalCommentPrefix, followed by the environment's name, is the
	// comment of an approval.
	ApprovalCommentPrefix = "Approve deployment to "
	// TimeZone is the time zone of a deployment window.
	TimeZone = "UTC"
)

// CloudFormation.
const (
	// TemplatePath is the workload template's path in the build output.
	TemplatePath = "template.json"
	// StackNameSuffix, after the pipeline's name, is the workload stack's
	// name: <name>-app.
	StackNameSuffix = "-app"
	// StackSetsCallAs says how the tooling account administers the
	// StackSets of organizational units.
	StackSetsCallAs = "DELEGATED_ADMIN"
	// MaxConcurrentPercentage paces a StackSet deployment.
	MaxConcurrentPercentage = 25
)

// Release strategies and hooks.
const (
	// ImageDefinitions is the ECS action's imagedefinitions.json path.
	ImageDefinitions = "imagedefinitions.json"
	// ECSTimeoutMinutes bounds an ECS rolling update (CodePipeline's
	// maximum for the action).
	ECSTimeoutMinutes = 60
	// TaskDefinition and AppSpec are the CodeDeployToECS action's files.
	TaskDefinition = "taskdef.json"
	AppSpec        = "appspec.yaml"
	// ImagePlaceholder is replaced in taskdef.json by the image.
	ImagePlaceholder = "IMAGE1_NAME"
	// ECSDeploymentConfig and ServerDeploymentConfig are the predefined
	// CodeDeploy configurations, without the CodeDeployDefault. prefix.
	ECSDeploymentConfig    = "ECSAllAtOnce"
	ServerDeploymentConfig = "OneAtATime"
	// TerminationWaitMinutes is how long a blue fleet stays after a
	// blue/green switch: long enough for an alarm to roll back.
	TerminationWaitMinutes = 5
	// GitOpsKey and GitOpsValue are the yq path set in the GitOps file and
	// its value.
	GitOpsKey   = ".image.tag"
	GitOpsValue = "#{SourceVariables.CommitId}"
	// GitOpsValueRequired is the rule of a GitOps release without a value
	// when the source has no default for it (config and plan say the same).
	GitOpsValueRequired = "required with an S3 or ECR source: an S3 source has no commit ID, and an ECR source's ImageTag is the tag it watches, the same in every release, so writing it would change nothing and Argo CD or Flux would not roll out the new image; give the value to write, such as #{BuildVariables.IMAGE_TAG} that your buildspec exports, or with an ECR source #{SourceVariables.ImageDigest} and a key your chart reads a digest from (such as .image.digest)"
	// HelmNamespace is the Kubernetes namespace of a Helm release.
	HelmNamespace = "default"
	// ServerStyle is the style of an EC2/on-premises CodeDeploy group.
	ServerStyle = "in-place"
	// HookWhen says when a hook runs around the deployment.
	HookWhen = "after"
)

// Workload assets and self-update.
const (
	// AssetManifests is the folder of the build output whose CDK asset
	// manifests (*.assets.json) the Assets stage publishes.
	AssetManifests = "cdk.out"
	// MaxConcurrentPublishes is how many publish actions of the Assets
	// stage run at once.
	MaxConcurrentPublishes = 4
	// SelfUpdateConfig is the configuration file the self-update stage
	// synthesizes, in the source.
	SelfUpdateConfig = "relay.yaml"
	// SelfUpdateApp is the Go package of the Relay app the self-update
	// stage runs, at the version the source's go.mod requires.
	SelfUpdateApp = "github.com/relaycdk/relay/apps/relay"
	// BootstrapQualifier is the CDK bootstrap qualifier of the accounts the
	// self-update stage deploys to.
	BootstrapQualifier = "hnb659fds"
	// CDKCLIVersion is the AWS CDK CLI the self-update stage deploys with
	// (the version package.json pins for `make synth`).
	CDKCLIVersion = "2.1148.1"
)

// Observability and audit.
const (
	// FailedExecutions is how many failed executions within
	// FailedPeriodMinutes raise the failed-executions alarm.
	FailedExecutions = 1
	// FailedPeriodMinutes is the failed-executions alarm's period.
	FailedPeriodMinutes = 60
	// EventRetentionDays is how long the pipeline's events log group keeps
	// its events.
	EventRetentionDays = 365
	// AuditRetentionDays is how long the audit trail's bucket keeps its
	// logs.
	AuditRetentionDays = 365
)
