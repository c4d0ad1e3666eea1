package plan

import (
	"strings"
	"unicode"
)

// Input is the blueprint of one pipeline. Fields without a default are
// required.
type Input struct {
	// Source is where executions start: its action writes the artifact
	// Source and the variable namespace SourceVariables.
	Source Source
	// ExtraSources are further sources of the Source stage; the build gets
	// each as a secondary input. Default: none.
	ExtraSources []ExtraSource
	// Build is the build action of the Build stage; with NoBuild, it only
	// configures the log group, image, compute type and timeout of the
	// Test, Scan and step projects.
	Build Build
	// NoBuild leaves out the Build stage: every later action reads the
	// source artifact (Source) instead of the build output, and the
	// BuildVariables namespace does not exist. Build's ProjectName,
	// Buildspec, Privileged, Cache and EnvironmentVariables must then be
	// unset, and ExtraSources empty (they are the build's inputs). Default:
	// false (a Build stage).
	NoBuild bool
	// Tests run in a Test stage after Build. Default: none.
	Tests []Suite
	// Scan, when set, adds a Scan stage after Build (and Test).
	Scan *Scan
	// SelfUpdate, when set, adds an UpdatePipeline stage right after Build
	// that deploys the Relay stacks from the source (see SelfUpdate).
	// Default: none.
	SelfUpdate *SelfUpdate
	// Assets, when set, adds an Assets stage before the first Deploy stage
	// (after Test and Scan) that publishes the build's asset manifests to
	// every region deployed to (see Assets). Default: none.
	Assets *Assets
	// Deployments run in order, one Deploy stage per wave (see
	// Deployment.Wave). At least one.
	Deployments []Deployment
	// ExecutionMode is SUPERSEDED, QUEUED or PARALLEL. Default: SUPERSEDED.
	ExecutionMode string
	// Variables are pipeline-level variables, read as #{variables.<Name>}.
	// Default: none.
	Variables []Variable
	// Paths name the inputs' fields in messages by the caller's own paths,
	// keyed by Go path: package delivery maps "Deployments" to
	// "environments" and "Deployments[0].Release.ParameterOverrides" to
	// "environments[0].parameters". A Go path that is not listed takes the
	// name of its longest listed prefix, followed by the rest of the path
	// with each field in lowerCamelCase (the YAML convention):
	// "Deployments[0].Approval.Comment" is "environments[0].approval.comment".
	// Default: none, every field is named by its Go path.
	Paths map[string]string
}

// Build is the CodeBuild build of the Build stage.
type Build struct {
	// ProjectName is the project's physical name. Default: generated.
	ProjectName string
	// Buildspec is the buildspec's path in the source. Default:
	// buildspec.yml.
	Buildspec string
	// TimeoutMinutes bounds a build, 5 to 2160. Default: 30.
	TimeoutMinutes int
	// ComputeType is a CodeBuild compute type, BUILD_GENERAL1_SMALL to
	// BUILD_GENERAL1_2XLARGE. Default: BUILD_GENERAL1_SMALL.
	ComputeType string
	// Image is a CodeBuild-managed image ID, starting with aws/codebuild/
	// (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-available.html):
	// the projects pull it as CodeBuild, with no pull credentials or ECR
	// grant, so New refuses any other image. Default:
	// aws/codebuild/standard:7.0.
	Image string
	// LogGroupName is the CloudWatch log group of the builds. Default:
	// generated.
	LogGroupName string
	// LogRetentionDays is one of CloudWatch Logs' retention values (1, 3,
	// 5, 7, 14, 30, ... 3653). Default: 365.
	LogRetentionDays int
	// Privileged allows Docker-in-Docker (building images). Default: false.
	Privileged bool
	// Cache is "none", "local" (Docker layers, source and custom paths on
	// the build host) or "s3" (build-cache/ in the artifact bucket).
	// Default: none.
	Cache string
	// EnvironmentVariables reach every build, by name. A PlainText value
	// that refers to a variable (#{namespace.name}) goes on the action,
	// where CodePipeline resolves it; every other variable goes on the
	// project. Default: none, besides the source's revision
	// (BuildAction.Variables: GIT_COMMIT_HASH, GIT_BRANCH and
	// GIT_AUTHOR_DATE from a connection or CodeCommit source,
	// SOURCE_VERSION_ID from an S3 source; an ECR source feeds no build).
	EnvironmentVariables map[string]BuildVariable
	// VPC, when set, runs every CodeBuild project of the pipeline (build,
	// tests, scanners and deploy steps) in subnets of a VPC of the
	// pipeline's account, so that builds reach private resources. Default:
	// none (CodeBuild's own network).
	VPC *VPC
}

// VPC places CodeBuild projects in a VPC. CodeBuild gives each build an
// elastic network interface in one of Subnets with SecurityGroups; the
// subnets need a route to the internet (a NAT gateway) or VPC endpoints for
// every service the builds call, since that interface has no public IP.
// Source: AWS CodeBuild User Guide, "Use AWS CodeBuild with Amazon Virtual
// Private Cloud".
type VPC struct {
	// VpcID is the VPC's ID, vpc-<hex>. Required.
	VpcID string
	// Subnets are subnet IDs (subnet-<hex>) of the VPC, 1 to 16 (the
	// CodeBuild API's VpcConfig.subnets limit), preferably private ones in
	// several Availability Zones. Required.
	Subnets []string
	// SecurityGroups are security group IDs (sg-<hex>) of the VPC, 1 to 5
	// (VpcConfig.securityGroupIds). Relay creates none: the groups must
	// allow the builds' outbound traffic. Required.
	SecurityGroups []string
}

// BuildVariable is the value of a build environment variable: exactly one
// of PlainText, Parameter and Secret (a sealed interface).
type BuildVariable interface{ buildVariable() }

// PlainText is a build variable's value as written; it may refer to
// variables such as #{variables.releaseTag}.
type PlainText string

// Parameter is the name of an SSM Parameter Store parameter in the
// pipeline's account; the build role may read that parameter only, by its
// ARN. It is 1 to 1,000 letters, digits and _.-/, with or without a leading
// / (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html),
// or a token: New refuses * and ?, which IAM would read as wildcards.
type Parameter string

// Secret is the ARN of a Secrets Manager secret in the pipeline's account,
// whole or partial, optionally with CodeBuild's :json-key:stage:version;
// the build role may read that secret (and its versions) only, by the ARN
// followed by *. The secret's name is letters, digits and /_+=.@-
// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html),
// or the whole value a token: New refuses * and ?, which IAM would read as
// wildcards.
type Secret string

func (PlainText) buildVariable() {}
func (Parameter) buildVariable() {}
func (Secret) buildVariable()    {}

// Variable is a pipeline-level variable, read as #{variables.<Name>}.
type Variable struct {
	// Name is 1 to 128 letters, digits, @, - and _, unique. Required.
	Name string
	// Default is its value when an execution sets none, at most 1,000
	// characters (limits.VariableDefault). Default: "".
	Default string
	// Description says what it is for: one line of at most 200 characters
	// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineVariableDeclaration.html).
	// Default: none.
	Description string
}

// Suite is one CodeBuild action of the Test or Scan stage, with a project
// of its own.
type Suite struct {
	// Name names the action and the project: 1 to 100 letters, digits and
	// .@_- (an action name, limits.ActionName), unique in its stage.
	// Required.
	Name string
	// Commands run in order; a failing command fails the suite. Required
	// unless Preset is set (scanners only).
	Commands []string
	// Preset supplies a scanner's commands and report: trivy, semgrep,
	// checkov or gitleaks (see PresetSuite).
	Preset string
	// Input is "source" or "build" (the build output). Default: source.
	Input string
	// RunOrder orders suites, 1 to 999; the same RunOrder runs in parallel.
	// Default: 1.
	RunOrder int
	// Reports, when set, go to the report group ReportGroupName.
	Reports *Reports
	// ProjectName is the project's physical name. Default: generated.
	ProjectName string
	// ReportGroupName is the report group's physical name. Default:
	// generated.
	ReportGroupName string
}

// Reports names a suite's test report files.
type Reports struct {
	// Files are glob patterns. Required.
	Files []string
	// Format is a CodeBuild test report format. Default: JUNITXML.
	Format string
}

// Scan is the security-scan stage.
type Scan struct {
	// FailOn is the lowest severity that fails the stage: LOW, MEDIUM, HIGH
	// or CRITICAL. Default: HIGH.
	FailOn string
	// Scanners run in the stage. At least one.
	Scanners []Suite
}

// Approval is a manual approval before a deployment.
type Approval struct {
	// TopicName is the physical name of the SNS topic that announces the
	// approval. Default: generated.
	TopicName string
	// Comment is shown to the approver. Default: "Approve deployment to
	// <deployment name>".
	Comment string
	// Notify are email addresses, such as ops@example.com, subscribed to the
	// topic (each must confirm the subscription); anything else is refused,
	// as SNS would refuse it at deploy. Default: none.
	Notify []string
	// ReviewURL is a link for the approver to check first: an https URL
	// (values.ReviewURLRule, config's rule too) of at most 1,000
	// characters, the action configuration value's limit, which the
	// written template's check applies (limits.CheckTemplate). Default:
	// none.
	ReviewURL string
	// TimeoutMinutes is how long the approval waits, 5 to 86400. Default:
	// 10080 (7 days).
	TimeoutMinutes int
}

// Window is a deployment window: an EventBridge cron expression, such as
// "cron(* 9-16 ? * MON-FRI *)" (checked field by field, package
// internal/cron), in an IANA time zone such as Europe/Berlin. Default time
// zone: UTC.
type Window struct {
	Cron, TimeZone string
}

// Deployable is the artifact that deploy actions, Test suites with input
// build and steps read by default: the build output, or the source
// artifact without a Build stage.
func (in *Input) Deployable() string {
	if in.NoBuild {
		return SourceArtifact
	}
	return BuildArtifact
}

// name is the caller's name of the Go path p (see Input.Paths).
func (in *Input) name(p string) string {
	if len(in.Paths) == 0 {
		return p
	}
	if n, ok := in.Paths[p]; ok {
		return n
	}
	for i := len(p) - 1; i > 0; i-- {
		if p[i] != '.' && p[i] != '[' {
			continue
		}
		if n, ok := in.Paths[p[:i]]; ok {
			return n + lowerCamel(p[i:])
		}
	}
	return p
}

// lowerCamel lowers the first letter of each field of a path suffix such
// as ".Approval.ReviewURL" (".approval.reviewUrl"); index parts stay.
func lowerCamel(suffix string) string {
	parts := strings.Split(suffix, ".")
	for i, f := range parts {
		if f == "" || strings.HasPrefix(f, "[") {
			continue
		}
		name, rest, _ := strings.Cut(f, "[")
		if rest != "" {
			rest = "[" + rest
		}
		// A trailing initialism is lowered whole (ReviewURL -> reviewUrl,
		// KMSKeyArn -> kmsKeyArn); the first letter is lowered otherwise.
		r := []rune(name)
		n := 0
		for n < len(r) && unicode.IsUpper(r[n]) {
			n++
		}
		switch {
		case n == len(r):
			name = strings.ToLower(name)
		case n > 1:
			name = strings.ToLower(string(r[:n-1])) + string(r[n-1:])
		default:
			name = strings.ToLower(string(r[:1])) + string(r[1:])
		}
		if strings.HasSuffix(name, "URL") {
			name = strings.TrimSuffix(name, "URL") + "Url"
		}
		parts[i] = name + rest
	}
	return strings.Join(parts, ".")
}
