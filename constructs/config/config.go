// Package config reads and validates a Relay configuration file (relay.yaml).
//
// Load decodes YAML strictly (unknown keys, wrong types and duplicate keys are
// errors that carry their line number), applies documented defaults, and
// validates every rule at once, each problem a *FieldError naming the field,
// its value and the fix. A Config returned without error is complete: the
// constructs that consume it never guess.
package config

// Config is the whole description of one delivery pipeline: where it runs,
// what it builds and where it deploys.
type Config struct {
	// Name prefixes stacks, roles, buckets and topics: [a-z][a-z0-9-]{2,23},
	// not ending in a hyphen and without "--". Required.
	Name string `yaml:"name" json:"name"`
	// Tooling is the account and region that own the pipeline and the
	// artifact store.
	Tooling Tooling `yaml:"tooling" json:"tooling"`
	// Organization, when set, makes cross-account grants match any account of
	// the organization (aws:PrincipalOrgID) instead of listing accounts, so
	// policies keep their size as accounts are added. Optional.
	Organization *Organization `yaml:"organization,omitempty" json:"organization,omitempty"`
	// Source is the repository the pipeline starts from.
	Source Source `yaml:"source" json:"source"`
	// ExtraSources are further sources of the Source stage. Default: none.
	ExtraSources []ExtraSource `yaml:"extraSources,omitempty" json:"extraSources,omitempty"`
	// Build is the CodeBuild step that turns the source into a deployable
	// template.
	Build Build `yaml:"build" json:"build"`
	// Tests are suites that run in a Test stage after Build, each in its
	// own CodeBuild project; suites with the same runOrder run in parallel.
	// Default: no Test stage.
	Tests []Suite `yaml:"tests,omitempty" json:"tests,omitempty"`
	// SecurityScan adds a Scan stage after Build (and Test). Default: none.
	SecurityScan *SecurityScan `yaml:"securityScan,omitempty" json:"securityScan,omitempty"`
	// Deploy says which CloudFormation stack each environment receives and
	// what the CloudFormation execution role may do. Optional as a whole:
	// every field has a default except the execution permissions, which
	// default to none (see ExecutionPolicy).
	Deploy Deploy `yaml:"deploy,omitempty" json:"deploy,omitempty"`
	// Pipeline holds pipeline-wide behaviour: execution mode, variables and
	// who may approve. Optional.
	Pipeline PipelineSettings `yaml:"pipeline,omitempty" json:"pipeline,omitempty"`
	// Environments are deployed in this order. At least one, at most 1000;
	// no two may deploy to the same account and region.
	Environments []Environment `yaml:"environments" json:"environments"`
	// Observability announces the pipeline's events, and adds a dashboard
	// and alarms (see Observability). Default: none.
	Observability *Observability `yaml:"observability,omitempty" json:"observability,omitempty"`
	// Audit records the artifact buckets' data events in a CloudTrail
	// trail (see Audit). Default: none.
	Audit *Audit `yaml:"audit,omitempty" json:"audit,omitempty"`
}

// Tooling is the central account that owns the pipeline.
type Tooling struct {
	// Account is a 12-digit AWS account ID. Required.
	Account string `yaml:"account" json:"account"`
	// Region is an AWS region name, such as us-east-1 (see Regions). Its
	// partition is the partition of every ARN and region of the config.
	// Required.
	Region string `yaml:"region" json:"region"`
}

// Organization identifies the AWS Organization of the tooling and target
// accounts.
type Organization struct {
	// ID is the organization ID, o- followed by 10 to 32 lowercase letters or
	// digits. Required when organization is present.
	ID string `yaml:"id" json:"id"`
	// StackSetsCallAs says how the tooling account administers the
	// StackSets of OU environments: SELF when it is the organization's
	// management account, DELEGATED_ADMIN when it is a delegated StackSets
	// administrator. Default: DELEGATED_ADMIN.
	StackSetsCallAs string `yaml:"stackSetsCallAs,omitempty" json:"stackSetsCallAs,omitempty"`
}

// Source holds exactly one of its fields: where executions start.
type Source struct {
	// GitHub is a GitHub repository reached through an AWS CodeConnections
	// (formerly CodeStar Connections) connection.
	GitHub *GitHubSource `yaml:"github,omitempty" json:"github,omitempty"`
	// GitLab is a GitLab repository (group/project, subgroups allowed)
	// reached through a connection.
	GitLab *GitHubSource `yaml:"gitlab,omitempty" json:"gitlab,omitempty"`
	// Bitbucket is a Bitbucket repository reached through a connection.
	Bitbucket *GitHubSource `yaml:"bitbucket,omitempty" json:"bitbucket,omitempty"`
	// S3 is an object in a versioned bucket of the tooling account; changes
	// arrive through EventBridge (needs a CloudTrail trail with the
	// bucket's data events).
	S3 *S3Source `yaml:"s3,omitempty" json:"s3,omitempty"`
	// CodeCommit is a CodeCommit repository of the tooling account; pushes
	// arrive through EventBridge.
	CodeCommit *CodeCommitSource `yaml:"codecommit,omitempty" json:"codecommit,omitempty"`
	// ECR is an image tag of an ECR repository of the tooling account;
	// pushes arrive through EventBridge.
	ECR *ECRSource `yaml:"ecr,omitempty" json:"ecr,omitempty"`
}

// ExtraSource is a further source, given to the build as a secondary
// input named Source_<name>.
type ExtraSource struct {
	// Name is [a-z][a-z0-9-]{1,30}, unique.
	Name   string `yaml:"name" json:"name"`
	Source `yaml:",inline" json:",inline"`
}

// S3Source is an object of a versioned S3 bucket.
type S3Source struct {
	// Bucket is the bucket's name; it must be versioned. Required.
	Bucket string `yaml:"bucket" json:"bucket"`
	// Key is the object's key, e.g. releases/app.zip. Required.
	Key string `yaml:"key" json:"key"`
	// Versioned confirms that the bucket has versioning on, which
	// CodePipeline requires of an S3 source: Relay cannot look at a bucket
	// it does not create, so it asks. Required: true.
	Versioned bool `yaml:"versioned" json:"versioned"`
}

// CodeCommitSource is a CodeCommit branch.
type CodeCommitSource struct {
	// Repository is the repository name. Required.
	Repository string `yaml:"repository" json:"repository"`
	// Branch is the branch to check out. Default: main.
	Branch string `yaml:"branch,omitempty" json:"branch,omitempty"`
}

// ECRSource is an ECR image tag.
type ECRSource struct {
	// Repository is the repository name. Required.
	Repository string `yaml:"repository" json:"repository"`
	// Tag is the image tag. Default: latest.
	Tag string `yaml:"tag,omitempty" json:"tag,omitempty"`
}

// GitHubSource is a GitHub repository and branch.
type GitHubSource struct {
	// Repository is owner/name, e.g. acme/payments. Required.
	Repository string `yaml:"repository" json:"repository"`
	// Branch is the branch whose pushes start the pipeline: no whitespace,
	// not starting with '-' or "refs/". Default: main.
	Branch string `yaml:"branch,omitempty" json:"branch,omitempty"`
	// ConnectionArn is the ARN of an AVAILABLE connection in the tooling
	// account, service codeconnections or codestar-connections, in the
	// tooling region's partition. Required.
	ConnectionArn string `yaml:"connectionArn" json:"connectionArn"`
	// FullClone hands the build a full git clone (with history) instead of
	// a ZIP of the files. Default: false.
	FullClone bool `yaml:"fullClone,omitempty" json:"fullClone,omitempty"`
	// Triggers filter the pushes that start the pipeline by branch, tag and
	// file path (glob patterns, at most 8 each). Default: every push to
	// Branch.
	Triggers *Triggers `yaml:"triggers,omitempty" json:"triggers,omitempty"`
}

// Triggers filter the pushes that start the pipeline.
type Triggers struct {
	Branches  *Filter `yaml:"branches,omitempty" json:"branches,omitempty"`
	Tags      *Filter `yaml:"tags,omitempty" json:"tags,omitempty"`
	FilePaths *Filter `yaml:"filePaths,omitempty" json:"filePaths,omitempty"`
}

// Filter includes and excludes glob patterns.
type Filter struct {
	Includes []string `yaml:"includes,omitempty" json:"includes,omitempty"`
	Excludes []string `yaml:"excludes,omitempty" json:"excludes,omitempty"`
}

// Build configures the CodeBuild project of the Build stage.
type Build struct {
	// Buildspec is the path of the buildspec file, relative to the
	// repository root and without "..". Default: buildspec.yml.
	Buildspec string `yaml:"buildspec,omitempty" json:"buildspec,omitempty"`
	// TimeoutMinutes bounds one build, 5 to 2160. Default: 30.
	TimeoutMinutes int `yaml:"timeoutMinutes,omitempty" json:"timeoutMinutes,omitempty"`
	// ComputeType is a CodeBuild compute type. Default: BUILD_GENERAL1_SMALL.
	ComputeType string `yaml:"computeType,omitempty" json:"computeType,omitempty"`
	// Image is a CodeBuild-managed Linux image, starting with
	// aws/codebuild/. Default: aws/codebuild/standard:7.0.
	Image string `yaml:"image,omitempty" json:"image,omitempty"`
	// LogRetentionDays is the retention of the build log group, one of the
	// values CloudWatch Logs accepts. Default: 365.
	LogRetentionDays int `yaml:"logRetentionDays,omitempty" json:"logRetentionDays,omitempty"`
	// Privileged runs the build with Docker-in-Docker rights, needed to
	// build container images. Default: false.
	Privileged bool `yaml:"privileged,omitempty" json:"privileged,omitempty"`
	// Cache is none, local (Docker layers and source kept on the build
	// host) or s3 (under build-cache/ in the artifact bucket, encrypted with
	// its key). Default: none.
	Cache string `yaml:"cache,omitempty" json:"cache,omitempty"`
	// EnvironmentVariables reach every build, by name. Names are letters,
	// digits and _, not starting with a digit or CODEBUILD_.
	EnvironmentVariables map[string]EnvironmentVariable `yaml:"environmentVariables,omitempty" json:"environmentVariables,omitempty"`
}

// EnvironmentVariable is one build environment variable: exactly one of
// Value, Parameter and Secret.
type EnvironmentVariable struct {
	// Value is a plain-text value.
	Value string `yaml:"value,omitempty" json:"value,omitempty"`
	// Parameter is the name of an SSM Parameter Store parameter in the
	// tooling account; the build role may read that parameter only.
	Parameter string `yaml:"parameter,omitempty" json:"parameter,omitempty"`
	// Secret is the ARN of a Secrets Manager secret in the tooling account,
	// optionally followed by :json-key:version-stage:version-id; the build
	// role may read that secret only.
	Secret string `yaml:"secret,omitempty" json:"secret,omitempty"`
}

// Deploy describes the workload stack that every environment receives.
type Deploy struct {
	// StackName is the CloudFormation stack created in each target account
	// and region: a letter, then at most 127 letters, digits and hyphens.
	// Default: <name>-app.
	StackName string `yaml:"stackName,omitempty" json:"stackName,omitempty"`
	// TemplatePath is the template's path inside the build output artifact,
	// relative and without "..". Default: template.json.
	TemplatePath string `yaml:"templatePath,omitempty" json:"templatePath,omitempty"`
	// Capabilities acknowledged on change sets, from CAPABILITY_IAM,
	// CAPABILITY_NAMED_IAM and CAPABILITY_AUTO_EXPAND, each at most once.
	// Default: none.
	Capabilities []string `yaml:"capabilities,omitempty" json:"capabilities,omitempty"`
	// ExecutionPolicy is what the CloudFormation execution role in each
	// target account may do. It must grant something: Relay never assumes
	// AdministratorAccess. Required for a CloudFormation workload; not
	// allowed with another strategy.
	ExecutionPolicy ExecutionPolicy `yaml:"executionPolicy,omitempty" json:"executionPolicy,omitempty"`
	// ECS, ECSBlueGreen, CodeDeploy, S3 and EKS choose another release
	// strategy than a CloudFormation stack; set at most one. Their string
	// fields may use ${env}, ${account}, ${region} and the environment's
	// settings.
	ECS          *ECSDeploy          `yaml:"ecs,omitempty" json:"ecs,omitempty"`
	ECSBlueGreen *ECSBlueGreenDeploy `yaml:"ecsBlueGreen,omitempty" json:"ecsBlueGreen,omitempty"`
	CodeDeploy   *CodeDeployDeploy   `yaml:"codeDeploy,omitempty" json:"codeDeploy,omitempty"`
	S3           *S3Deploy           `yaml:"s3,omitempty" json:"s3,omitempty"`
	EKS          *EKSDeploy          `yaml:"eks,omitempty" json:"eks,omitempty"`
	// Hooks are Lambda and Step Functions invoke actions around the
	// deployment of each account environment, in order. Default: none.
	Hooks []Hook `yaml:"hooks,omitempty" json:"hooks,omitempty"`
}

// ExecutionPolicy lists the permissions of the CloudFormation execution role.
type ExecutionPolicy struct {
	// ManagedPolicyArns are IAM managed policies to attach, AWS managed
	// (account aws) or customer managed, in the tooling region's partition.
	// The AWS managed AdministratorAccess policy is refused unless
	// AllowAdministratorAccess.
	ManagedPolicyArns []string `yaml:"managedPolicyArns,omitempty" json:"managedPolicyArns,omitempty"`
	// Statements are inline Allow statements.
	Statements []Statement `yaml:"statements,omitempty" json:"statements,omitempty"`
	// AllowAdministratorAccess must be true to attach AdministratorAccess.
	// Default: false.
	AllowAdministratorAccess bool `yaml:"allowAdministratorAccess,omitempty" json:"allowAdministratorAccess,omitempty"`
}

// Statement is one inline IAM Allow statement.
type Statement struct {
	// Sid is an optional statement ID, letters and digits only.
	Sid string `yaml:"sid,omitempty" json:"sid,omitempty"`
	// Actions are service:Action names, such as lambda:CreateFunction;
	// wildcards (* and ?) are allowed in the action, "*" alone is not. At
	// least one.
	Actions []string `yaml:"actions" json:"actions"`
	// Resources are ARNs (arn:...) or "*". At least one.
	Resources []string `yaml:"resources" json:"resources"`
	// Reason says why the statement needs a wildcard. Required (at least
	// 10 characters) when an action or resource contains "*": it becomes the
	// written reason of the cdk-nag suppression for that wildcard.
	Reason string `yaml:"reason,omitempty" json:"reason,omitempty"`
}

// Environment is one deployment target, deployed in config order.
type Environment struct {
	// Name is [a-z][a-z0-9-]{1,19}, not ending in a hyphen, unique, not
	// "tooling". Required.
	Name string `yaml:"name" json:"name"`
	// Account is the 12-digit target account ID; it may be the tooling
	// account. Exactly one of Account, Accounts and OrganizationalUnits is
	// required.
	Account string `yaml:"account,omitempty" json:"account,omitempty"`
	// Accounts deploy the workload stack as a self-managed StackSet
	// <stackName>-<name> to these accounts: each account receives the
	// StackSet execution role in a stack <name>-<env>-<account>.
	Accounts []string `yaml:"accounts,omitempty" json:"accounts,omitempty"`
	// StackSetOf names an earlier accounts or organizationalUnits
	// environment: this one adds instances of that StackSet (the
	// CloudFormationStackInstances action) instead of a StackSet of its own.
	StackSetOf string `yaml:"stackSetOf,omitempty" json:"stackSetOf,omitempty"`
	// Settings are per-environment values that ${key} in the deploy
	// strategy and hooks refers to, such as listener ARNs. Keys are letters,
	// digits and _. ${env}, ${account} and ${region} are built in.
	Settings map[string]string `yaml:"settings,omitempty" json:"settings,omitempty"`
	// OrganizationalUnits target every account of these OUs
	// (ou-xxxx-xxxxxxxx) instead of one account: a service-managed StackSet
	// with automatic deployment puts the target roles into each account,
	// including accounts that join later, and the pipeline deploys the
	// workload as a StackSet. Needs organization.
	OrganizationalUnits []string `yaml:"organizationalUnits,omitempty" json:"organizationalUnits,omitempty"`
	// Rollout paces a StackSet deployment to OrganizationalUnits.
	Rollout *Rollout `yaml:"rollout,omitempty" json:"rollout,omitempty"`
	// Regions are the regions the workload is deployed to, at least one,
	// each once and in the tooling region's partition; the environment's
	// roles live in the first.
	Regions []string `yaml:"regions" json:"regions"`
	// Wave groups environments that deploy together: consecutive
	// environments with the same wave share one pipeline stage and deploy in
	// parallel once every approval of the wave is given. Same rules as Name.
	// Default: the environment's name (a stage of its own).
	Wave string `yaml:"wave,omitempty" json:"wave,omitempty"`
	// Freeze, when present, disables the transition into this
	// environment's stage: executions wait there until someone enables it.
	Freeze *Freeze `yaml:"freeze,omitempty" json:"freeze,omitempty"`
	// Parameters override template parameters of the stack in this
	// environment; values may use #{namespace.name} variables. Together at
	// most 1000 characters of JSON. Default: none.
	Parameters map[string]string `yaml:"parameters,omitempty" json:"parameters,omitempty"`
	// TemplateConfiguration is the path, in the build output, of a
	// CloudFormation template configuration file for this environment.
	// Default: none.
	TemplateConfiguration string `yaml:"templateConfiguration,omitempty" json:"templateConfiguration,omitempty"`
	// ReviewChangeSet puts a manual approval between creating and executing
	// the change set in each region. Default: false.
	ReviewChangeSet bool `yaml:"reviewChangeSet,omitempty" json:"reviewChangeSet,omitempty"`
	// EntryConditions hold executions before this environment's stage
	// until they are met (V2 stage entry conditions). Default: none.
	EntryConditions *EntryConditions `yaml:"entryConditions,omitempty" json:"entryConditions,omitempty"`
	// DisableRollback turns off the automatic rollback of this
	// environment's stage when it fails. Default: false (a failed stage
	// rolls back to the last successful execution).
	DisableRollback bool `yaml:"disableRollback,omitempty" json:"disableRollback,omitempty"`
	// Approval, when present (even empty: approval: {}), puts a manual
	// approval before this environment's deployment.
	Approval *Approval `yaml:"approval,omitempty" json:"approval,omitempty"`
}

// Rollout paces a StackSet deployment across the accounts of OUs.
type Rollout struct {
	// MaxConcurrentPercentage is the share of accounts deployed at once,
	// 1 to 100. Default: 25.
	MaxConcurrentPercentage int `yaml:"maxConcurrentPercentage,omitempty" json:"maxConcurrentPercentage,omitempty"`
	// FailureTolerancePercentage is the share of accounts per region that
	// may fail before the deployment stops, 0 to 100. Default: 0.
	FailureTolerancePercentage int `yaml:"failureTolerancePercentage,omitempty" json:"failureTolerancePercentage,omitempty"`
}

// Approval configures a manual approval gate.
type Approval struct {
	// Comment is shown to the approver, at most 512 characters.
	// Default: "Approve deployment to <env>".
	Comment string `yaml:"comment,omitempty" json:"comment,omitempty"`
	// Notify are email addresses subscribed to the approval topic.
	// Default: none.
	Notify []string `yaml:"notify,omitempty" json:"notify,omitempty"`
	// ReviewURL is an https link the approver should look at first, such as
	// a dashboard of the previous environment. Default: none.
	ReviewURL string `yaml:"reviewUrl,omitempty" json:"reviewUrl,omitempty"`
	// TimeoutMinutes is how long the approval waits, 5 to 86400 (60 days).
	// Default: 10080 (7 days).
	TimeoutMinutes int `yaml:"timeoutMinutes,omitempty" json:"timeoutMinutes,omitempty"`
}

// Suite is one CodeBuild action of the Test or Scan stage.
type Suite struct {
	// Name is [a-z][a-z0-9-]{1,30}, unique within its stage.
	Name string `yaml:"name" json:"name"`
	// Preset, for scanners only, supplies the commands and the report of a
	// well-known tool: trivy (dependencies, secrets and IaC), semgrep
	// (SAST), checkov (IaC) or gitleaks (secrets). Default: none.
	Preset string `yaml:"preset,omitempty" json:"preset,omitempty"`
	// Commands run in the repository checkout (or the build output, see
	// Input), in order; a failing command fails the suite. Required unless
	// Preset is set.
	Commands []string `yaml:"commands,omitempty" json:"commands,omitempty"`
	// Input is source (the repository, default) or build (the build output).
	Input string `yaml:"input,omitempty" json:"input,omitempty"`
	// RunOrder orders suites in the stage, 1 to 999; the same runOrder runs
	// in parallel. Default: 1.
	RunOrder int `yaml:"runOrder,omitempty" json:"runOrder,omitempty"`
	// Reports go to a CodeBuild report group <name>-<suite>.
	Reports *Reports `yaml:"reports,omitempty" json:"reports,omitempty"`
}

// Reports names the test report files of a suite.
type Reports struct {
	// Files are glob patterns, relative to the checkout. Required.
	Files []string `yaml:"files" json:"files"`
	// Format is JUNITXML (default), CUCUMBERJSON, TESTNGXML, NUNITXML,
	// NUNIT3XML or VISUALSTUDIOTRX.
	Format string `yaml:"format,omitempty" json:"format,omitempty"`
}

// SecurityScan is a stage of scanners whose findings at or above FailOn
// fail the stage.
type SecurityScan struct {
	// FailOn is the lowest severity that fails the stage: LOW, MEDIUM,
	// HIGH or CRITICAL. Default: HIGH. Scanners receive it as RELAY_FAIL_ON.
	FailOn string `yaml:"failOn,omitempty" json:"failOn,omitempty"`
	// Scanners run in the Scan stage. At least one.
	Scanners []Suite `yaml:"scanners" json:"scanners"`
}

// PipelineSettings are pipeline-wide settings.
type PipelineSettings struct {
	// ExecutionMode is SUPERSEDED (a newer execution replaces an older one
	// waiting at a transition), QUEUED (one at a time, in order) or
	// PARALLEL. Default: SUPERSEDED.
	ExecutionMode string `yaml:"executionMode,omitempty" json:"executionMode,omitempty"`
	// Variables are pipeline-level variables with defaults, overridable
	// when an execution is started and readable as #{variables.<name>}.
	Variables []Variable `yaml:"variables,omitempty" json:"variables,omitempty"`
	// Approvers, when set, creates a role whose only power is to approve or
	// reject this pipeline's manual approvals.
	Approvers *Approvers `yaml:"approvers,omitempty" json:"approvers,omitempty"`
}

// Variable is a pipeline-level variable.
type Variable struct {
	// Name is 1 to 128 of letters, digits, @, - and _. Required, unique.
	Name string `yaml:"name" json:"name"`
	// Default is the value when an execution does not set one, at most
	// 1000 characters. Default: "".
	Default string `yaml:"default,omitempty" json:"default,omitempty"`
	// Description says what the variable is for, at most 200 characters.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
}

// Approvers are the principals that may assume the approver role.
type Approvers struct {
	// Principals are IAM role or user ARNs (or account roots), in the
	// tooling partition. At least one. The role's trust names their accounts
	// and pins these ARNs in a condition, so they need not exist first.
	Principals []string `yaml:"principals" json:"principals"`
}

// EntryConditions must hold before an execution enters a stage; when one
// does not, the stage entry fails.
type EntryConditions struct {
	// DeploymentWindow allows entry only inside a cron window.
	DeploymentWindow *DeploymentWindow `yaml:"deploymentWindow,omitempty" json:"deploymentWindow,omitempty"`
	// NoAlarms names CloudWatch alarms of the tooling account and region
	// that must not be in ALARM.
	NoAlarms []string `yaml:"noAlarms,omitempty" json:"noAlarms,omitempty"`
}

// DeploymentWindow is a cron window, e.g. weekdays 9:00 to 16:59.
type DeploymentWindow struct {
	// Cron is an EventBridge cron expression, such as
	// "cron(* 9-16 ? * MON-FRI *)". Required.
	Cron string `yaml:"cron" json:"cron"`
	// TimeZone is an IANA time zone, such as Europe/Berlin. Default: UTC.
	TimeZone string `yaml:"timeZone,omitempty" json:"timeZone,omitempty"`
}

// Freeze holds deployments before an environment.
type Freeze struct {
	// Reason is shown on the disabled transition in the console, 1 to 300
	// of letters, digits, spaces and !@().*?-. Required.
	Reason string `yaml:"reason" json:"reason"`
}
