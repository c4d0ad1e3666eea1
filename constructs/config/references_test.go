package config

import (
	"strconv"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/limits"
)

// TestValidateReferences checks the rules of #{namespace.name} references, each with its exact
// message.
func TestValidateReferences(t *testing.T) {
	runValidateCases(t, []validateCase{
		{
			name: "variable references",
			mutate: func(c *Config) {
				c.Pipeline.Variables = []Variable{{Name: "releaseTag"}}
				c.Build.EnvironmentVariables = map[string]EnvironmentVariable{
					"COMMIT":   {Value: "#{SourceVariables.CommitId}"},
					"TAG":      {Value: "#{variables.releaseTag}"},
					"TYPO":     {Value: "#{variables.releaseTg}"},
					"TOO_SOON": {Value: "#{BuildVariables.VERSION}"},
				}
				c.Environments[1].Approval.Comment = "Staging answered #{Deploy_staging_us-east-1.Url}, built #{BuildVariables.VERSION}"
				c.Environments[1].Approval.ReviewURL = "https://example.com/#{Deploy_production_us-east-1.Url}"
			},
			want: []string{
				`build.environmentVariables.TOO_SOON.value "#{BuildVariables.VERSION}": refers to namespace "BuildVariables", which no earlier action sets; known here: SourceVariables, variables`,
				`build.environmentVariables.TYPO.value "#{variables.releaseTg}": refers to pipeline variable "releaseTg", which pipeline.variables does not declare`,
				`environments[1].approval.reviewUrl "https://example.com/#{Deploy_production_us-east-1.Url}": refers to namespace "Deploy_production_us-east-1", which no earlier action sets; known here: BuildVariables, Deploy_staging_us-east-1, Hook_staging_us-east-1_smoke-test, SourceVariables, variables`,
			},
		},
		{
			// The outer reference's name holds the inner one's #{, and a
			// name a dot: no namespace or variable has such a name.
			name: "a reference inside another",
			mutate: func(c *Config) {
				c.Pipeline.Variables = []Variable{{Name: "releaseTag"}}
				c.Build.EnvironmentVariables = map[string]EnvironmentVariable{
					"NESTED": {Value: "#{SourceVariables.#{variables.releaseTag}}"},
					"DOTTED": {Value: "#{SourceVariables.Commit.Id}"},
				}
			},
			want: []string{
				`build.environmentVariables.DOTTED.value "#{SourceVariables.Commit.Id}": "#{SourceVariables.Commit.Id}" is not a variable reference CodePipeline can resolve: a namespace and a variable name are letters, digits, @, _ and - (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html), and a reference is never written inside another; write each reference as #{namespace.name}, one at a time`,
				`build.environmentVariables.NESTED.value "#{SourceVariables.#{variables.releaseTag}}": "#{SourceVariables.#{variables.releaseTag}" is not a variable reference CodePipeline can resolve: a namespace and a variable name are letters, digits, @, _ and - (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html), and a reference is never written inside another; write each reference as #{namespace.name}, one at a time`,
			},
		},
		{
			// CodePipeline sets #{codepipeline.PipelineExecutionId} for
			// every action of every stage: no action has to run first
			// (CodePipeline User Guide, "Variables reference": the
			// codepipeline namespace).
			name: "the codepipeline namespace",
			mutate: func(c *Config) {
				c.Build.EnvironmentVariables = map[string]EnvironmentVariable{
					"EXECUTION": {Value: "#{codepipeline.PipelineExecutionId}"},
					"TYPO":      {Value: "#{codepipeline.ExecutionId}"},
				}
				c.Environments[1].Approval.Comment = "Execution #{codepipeline.PipelineExecutionId}"
				c.Steps = []Step{{Name: "check", When: "after", CodeBuild: &CodeBuildStep{Buildspec: "ci/check.yml", TimeoutMinutes: 60,
					EnvironmentVariables: map[string]StepVariable{"EXECUTION": {Value: "#{codepipeline.PipelineExecutionId}"}}}}}
			},
			want: []string{
				`build.environmentVariables.TYPO.value "#{codepipeline.ExecutionId}": refers to "ExecutionId" of namespace codepipeline, which sets only PipelineExecutionId; use #{codepipeline.PipelineExecutionId}`,
			},
		},
		{
			// An S3, ECR or CodeCommit source sets a fixed set of
			// variables (limits.ActionVariables); a connection source's
			// grow with what starts the execution, so any name passes
			// but a documented one in another case
			// (TestConnectionSourceVariableNames).
			name: "the variables each kind of source sets",
			mutate: func(c *Config) {
				conn := c.Source.GitHub.ConnectionArn
				c.Source = Source{S3: &S3Source{Bucket: "acme-releases", Key: "app.zip", Versioned: true}}
				c.ExtraSources = []ExtraSource{
					{Name: "settings", Source: Source{CodeCommit: &CodeCommitSource{Repository: "settings", Branch: "main"}}},
					{Name: "images", Source: Source{ECR: &ECRSource{Repository: "payments", Tag: "latest"}}},
					{Name: "docs", Source: Source{GitHub: &ConnectionSource{Repository: "acme/docs", Branch: "main", ConnectionArn: conn}}},
				}
				c.Build.EnvironmentVariables = map[string]EnvironmentVariable{
					"VERSION":     {Value: "#{SourceVariables.VersionId}"},
					"COMMIT":      {Value: "#{SourceVariables.CommitId}"},
					"SETTINGS":    {Value: "#{SourceVariables_settings.CommitID}"},
					"SETTINGS_OK": {Value: "#{SourceVariables_settings.CommitterDate}"},
					"IMAGE":       {Value: "#{SourceVariables_images.ImageURI}"},
					"DOCS_PR":     {Value: "#{SourceVariables_docs.PullRequestId}"},
				}
				c.Environments[1].Approval.Comment = "Image #{SourceVariables_images.ImageUri}"
			},
			want: []string{
				`build.environmentVariables.COMMIT.value "#{SourceVariables.CommitId}": refers to variable "CommitId", which the source of namespace SourceVariables does not set: an action of its kind sets only ETag, VersionId; use one of those names, or a variable of another action that runs earlier`,
				`build.environmentVariables.SETTINGS.value "#{SourceVariables_settings.CommitID}": refers to variable "CommitID", which the source of namespace SourceVariables_settings does not set: an action of its kind sets only AuthorDate, BranchName, CommitId, CommitMessage, CommitterDate, RepositoryName; write CommitId, as CodePipeline spells it`,
				`environments[1].approval.comment "Image #{SourceVariables_images.ImageUri}": refers to variable "ImageUri", which the source of namespace SourceVariables_images does not set: an action of its kind sets only ImageDigest, ImageTag, ImageURI, RegistryId, RepositoryName; write ImageURI, as CodePipeline spells it`,
			},
		},
	})
}

// TestRunTimeValuesInJSON checks that a variable whose value someone other
// than the release's authors chooses (a pipeline variable, whoever starts
// an execution; a commit message, branch or author name, whoever pushes) is
// refused inside the JSON documents of an action's configuration
// (ParameterOverrides, a Lambda's JSON UserParameters, a state machine's
// Input): CodePipeline puts a resolved value in as it is, so a quote in it
// ends the JSON string and adds keys (aws/aws-cdk#31213, #8458). Variables
// of a fixed shape, and the build's own exported variables, stay allowed;
// so do free-text variables where they are one value (a CodeBuild
// environment variable, plain-text UserParameters, an approval comment).
func TestRunTimeValuesInJSON(t *testing.T) {
	const fix = "pass it through the build instead: a build environment variable such as RELEASE_TAG: {value: \"%s\"}, which the buildspec checks and exports (env: exported-variables), then #{BuildVariables.RELEASE_TAG} here"
	refused := func(path, value, ref, who, doc string) string {
		return path + " " + strconv.Quote(value) + ": uses " + ref + ", whose value " + who + " chooses, inside " + doc +
			": CodePipeline puts a variable's value into the document without encoding it, so a quote in the value would end the string and add keys; " +
			strings.ReplaceAll(fix, "%s", ref)
	}
	const (
		pipelineVar = "whoever starts the execution"
		pushed      = "whoever pushes the commit"
		overrides   = "the CloudFormation parameter overrides (ParameterOverrides)"
		userParams  = "the function's JSON UserParameters"
		smInput     = "the state machine's input (Input)"
	)
	runValidateCases(t, []validateCase{
		{
			name: "fixed-shape and build variables are allowed everywhere",
			mutate: func(c *Config) {
				c.Pipeline.Variables = []Variable{{Name: "releaseTag"}}
				c.Build.EnvironmentVariables = map[string]EnvironmentVariable{"TAG": {Value: "#{variables.releaseTag}"}, "MSG": {Value: "#{SourceVariables.CommitMessage}"}}
				c.Environments[0].Parameters["Commit"] = "#{SourceVariables.CommitId}"
				c.Environments[0].Parameters["Tag"] = "#{BuildVariables.RELEASE_TAG}"
				c.Deploy.Hooks[0].Lambda.UserParameters = `{"commit": "#{SourceVariables.CommitId}", "when": "#{SourceVariables.AuthorDate}"}`
				c.Steps = []Step{{Name: "notify", When: "after", Lambda: &LambdaHook{Function: "payments-notify", UserParameters: "tag=#{variables.releaseTag}"}}}
				c.Environments[1].Approval.Comment = "Release #{variables.releaseTag}: #{SourceVariables.CommitMessage}"
			},
		},
		{
			name: "free-text variables in JSON documents",
			mutate: func(c *Config) {
				c.Pipeline.Variables = []Variable{{Name: "releaseTag"}}
				c.Environments[0].Parameters["ImageTag"] = "#{variables.releaseTag}"
				c.Environments[1].Parameters["Message"] = "#{SourceVariables.CommitMessage}"
				c.Environments[1].Parameters["Branch"] = "release from #{SourceVariables.BranchName}"
				c.Deploy.Hooks[0].Lambda.UserParameters = `{"path": "/health", "tag": "#{variables.releaseTag}"}`
				c.Environments[1].Steps = []Step{{Name: "notify", When: "after", Lambda: &LambdaHook{Function: "payments-notify", UserParameters: `{"count": #{variables.releaseTag}}`}}}
				c.Steps = []Step{{Name: "migrate", When: "after", StepFunctions: &StepFunctionsHook{StateMachine: "payments-migrate", ExecutionNamePrefix: "migrate", Input: map[string]string{"by": "#{SourceVariables.AuthorDisplayName}"}}}}
			},
			want: []string{
				refused("deploy.hooks[0].lambda.userParameters", `{"path": "/health", "tag": "#{variables.releaseTag}"}`, "#{variables.releaseTag}", pipelineVar, userParams),
				refused("environments[0].parameters.ImageTag", "#{variables.releaseTag}", "#{variables.releaseTag}", pipelineVar, overrides),
				refused("steps[0].stepFunctions.input.by", "#{SourceVariables.AuthorDisplayName}", "#{SourceVariables.AuthorDisplayName}", pushed, smInput),
				refused("environments[1].parameters.Branch", "release from #{SourceVariables.BranchName}", "#{SourceVariables.BranchName}", pushed, overrides),
				refused("environments[1].parameters.Message", "#{SourceVariables.CommitMessage}", "#{SourceVariables.CommitMessage}", pushed, overrides),
				refused("environments[1].steps[0].lambda.userParameters", `{"count": #{variables.releaseTag}}`, "#{variables.releaseTag}", pipelineVar, userParams),
			},
		},
		{
			// A CodeCommit source watches one branch: its BranchName is
			// known at synth, so it may go into JSON; a connection
			// source's (whichever branch a trigger admitted) may not.
			name: "a CodeCommit source's branch in JSON documents",
			mutate: func(c *Config) {
				c.ExtraSources = []ExtraSource{{Name: "settings", Source: Source{CodeCommit: &CodeCommitSource{Repository: "settings", Branch: "release"}}}}
				c.Environments[1].Parameters["Branch"] = "#{SourceVariables.BranchName}"
				c.Environments[1].Parameters["SettingsBranch"] = "#{SourceVariables_settings.BranchName}"
				c.Steps = []Step{{Name: "migrate", When: "after", StepFunctions: &StepFunctionsHook{StateMachine: "payments-migrate", ExecutionNamePrefix: "migrate",
					Input: map[string]string{"branch": "#{SourceVariables_settings.BranchName}", "message": "#{SourceVariables_settings.CommitMessage}"}}}}
			},
			want: []string{
				refused("steps[0].stepFunctions.input.message", "#{SourceVariables_settings.CommitMessage}", "#{SourceVariables_settings.CommitMessage}", pushed, smInput),
				refused("environments[1].parameters.Branch", "#{SourceVariables.BranchName}", "#{SourceVariables.BranchName}", pushed, overrides),
			},
		},
		{
			// A setting is a config value (encoded where it lands), but a
			// reference it carries is resolved at run time like any other.
			name: "a free-text variable through a setting",
			mutate: func(c *Config) {
				c.Pipeline.Variables = []Variable{{Name: "releaseTag"}}
				c.Environments[0].Settings = map[string]string{"tag": "#{variables.releaseTag}"}
				c.Deploy.Hooks[0].Lambda.UserParameters = `{"path": "/health", "tag": "${tag}"}`
				c.Environments[1].Settings = map[string]string{"tag": "v1"}
			},
			want: []string{
				refused("deploy.hooks[0].lambda.userParameters", `{"path": "/health", "tag": "#{variables.releaseTag}"}`, "#{variables.releaseTag}", pipelineVar, userParams),
			},
		},
		{
			// The namespace check sees what a setting puts in a hook, too.
			name: "an unknown namespace through a setting",
			mutate: func(c *Config) {
				c.Environments[0].Settings = map[string]string{"tag": "#{Nope.tag}"}
				c.Deploy.Hooks[0].Lambda.UserParameters = `{"path": "/health", "tag": "${tag}"}`
				c.Environments[1].Settings = map[string]string{"tag": "v1"}
			},
			want: []string{
				`deploy.hooks[0].lambda.userParameters "{\"path\": \"/health\", \"tag\": \"#{Nope.tag}\"}": refers to namespace "Nope", which no earlier action sets; known here: BuildVariables, SourceVariables, variables`,
			},
		},
	})
}

// TestConnectionSourceVariableNames: for each kind of connection source
// (github, gitlab, bitbucket), primary or extra, every variable AWS
// documents resolves, in the build as in a later stage, and so does a name
// a pull request trigger adds; a documented name in another case never
// resolves and is refused with the spelling to use
// (limits.SpelledVariables).
func TestConnectionSourceVariableNames(t *testing.T) {
	refused := func(path, value, name, ns, want string) string {
		return path + " " + strconv.Quote(value) + `: refers to variable "` + name + `", which the source of namespace ` + ns +
			" never sets: variable names are case-sensitive, and an action of its kind sets " + want + "; write " + want + ", as CodePipeline spells it"
	}
	var cases []validateCase
	for _, provider := range []string{"github", "gitlab", "bitbucket"} {
		source := func(c *Config, repo string) Source {
			s := &ConnectionSource{Repository: repo, Branch: "main", ConnectionArn: c.Source.GitHub.ConnectionArn}
			switch provider {
			case "gitlab":
				return Source{GitLab: s}
			case "bitbucket":
				return Source{Bitbucket: s}
			}
			return Source{GitHub: s}
		}
		cases = append(cases, validateCase{
			name: provider + ": every documented name resolves",
			mutate: func(c *Config) {
				c.Source, c.ExtraSources = source(c, "acme/payments"), []ExtraSource{{Name: "docs", Source: source(c, "acme/docs")}}
				c.Build.EnvironmentVariables = map[string]EnvironmentVariable{}
				var comment []string
				for _, name := range limits.SpelledVariables("Source", "CodeStarSourceConnection") {
					c.Build.EnvironmentVariables["V_"+name] = EnvironmentVariable{Value: "#{SourceVariables." + name + "}"}
					comment = append(comment, "#{SourceVariables_docs."+name+"}")
				}
				// Names a pull request trigger adds (aws/aws-cdk#31000):
				// not documented, not judged.
				c.Build.EnvironmentVariables["PR"] = EnvironmentVariable{Value: "#{SourceVariables.PullRequestId} #{SourceVariables_docs.SourceBranchName}"}
				c.Environments[1].Approval.Comment = strings.Join(comment, " ")
			},
		}, validateCase{
			name: provider + ": a documented name in another case",
			mutate: func(c *Config) {
				c.Source, c.ExtraSources = source(c, "acme/payments"), []ExtraSource{{Name: "docs", Source: source(c, "acme/docs")}}
				c.Build.EnvironmentVariables = map[string]EnvironmentVariable{
					"COMMIT": {Value: "#{SourceVariables.CommitID}"},
					"BRANCH": {Value: "#{SourceVariables_docs.branchname}"},
				}
				c.Environments[1].Approval.Comment = "Commit #{SourceVariables.commitId} of #{SourceVariables_docs.FullRepositoryname}"
			},
			want: []string{
				refused("build.environmentVariables.BRANCH.value", "#{SourceVariables_docs.branchname}", "branchname", "SourceVariables_docs", "BranchName"),
				refused("build.environmentVariables.COMMIT.value", "#{SourceVariables.CommitID}", "CommitID", "SourceVariables", "CommitId"),
				refused("environments[1].approval.comment", "Commit #{SourceVariables.commitId} of #{SourceVariables_docs.FullRepositoryname}", "commitId", "SourceVariables", "CommitId"),
				refused("environments[1].approval.comment", "Commit #{SourceVariables.commitId} of #{SourceVariables_docs.FullRepositoryname}", "FullRepositoryname", "SourceVariables_docs", "FullRepositoryName"),
			},
		})
	}
	runValidateCases(t, cases)
}
