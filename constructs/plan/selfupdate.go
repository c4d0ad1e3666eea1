package plan

import (
	"fmt"
	"path"
	"regexp"
	"slices"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// SelfUpdate adds an UpdatePipeline stage after Build: a CodeBuild action
// that synthesizes the Relay app at the version the source's go.mod
// requires, from the configuration file in the source, and deploys every
// stack of it with the AWS CDK CLI in dependency order (the target stacks,
// then the tooling stack with the pipeline), before Test, Scan, Assets and
// any deployment. When the deploy changed the pipeline, the action starts
// a new execution of the same source revision on the new definition and
// fails, so that the old execution deploys nothing (see the README's
// Self-update section for what each execution mode does).
type SelfUpdate struct {
	// ConfigPath is the configuration file's path in the source, relative
	// and inside it (no .., not absolute): letters, digits and ._/-.
	// Default: relay.yaml.
	ConfigPath string
	// App is the Go package of the Relay app, run with `go run` in the
	// source's folder, so at the version its go.mod requires. Default:
	// github.com/relaycdk/relay/apps/relay.
	App string
	// Qualifier is the CDK bootstrap qualifier of the accounts deployed to:
	// 1 to 10 lowercase letters and digits. Default: hnb659fds.
	Qualifier string
	// Environments are the accounts and regions of the stacks it deploys,
	// whose CDK bootstrap deploy and file-publishing roles it assumes
	// (the pipeline's own account and region included). At least one.
	Environments []AccountRegion
	// ProjectName is the project's physical name. Default: generated.
	ProjectName string
}

// AccountRegion is one account and region.
type AccountRegion struct {
	Account, Region string
}

// UpdatePipeline runs the self-update.
type UpdatePipeline struct {
	// SelfUpdate are the settings (defaults applied).
	SelfUpdate *SelfUpdate
	// Variables are the action's environment variables: the execution and
	// the source revisions to restart with (the primary source's as
	// RELAY_SOURCE_ACTION, RELAY_REVISION_TYPE and RELAY_SOURCE_REVISION,
	// each extra source's as RELAY_EXTRA_REVISION_<n>, one item of
	// StartPipelineExecution's --source-revisions).
	Variables map[string]string
}

func (*UpdatePipeline) kind() {}

// Type implements Kind.
func (*UpdatePipeline) Type() ActionType { return ActionType{"Build", "CodeBuild"} }

// UpdatePipelineStage is the name of the self-update stage.
const UpdatePipelineStage = "UpdatePipeline"

func (s *SelfUpdate) withDefaults() *SelfUpdate {
	c := *s
	def(&c.ConfigPath, defaults.SelfUpdateConfig)
	def(&c.App, defaults.SelfUpdateApp)
	def(&c.Qualifier, defaults.BootstrapQualifier)
	return &c
}

var (
	goPackageRE = regexp.MustCompile(`^[a-z0-9.-]+(/[A-Za-z0-9._~-]+)+$`)
)

func (s *SelfUpdate) validate(v *validator) {
	if v.in.NoBuild {
		v.add("SelfUpdate", ": needs a Build stage (NoBuild is set): the pipeline updates itself only from a commit whose build succeeded, so that a commit that does not build cannot change the pipeline; add a build or turn the self-update off")
	}
	// A path outside the source (absolute, or through ..) would pass here
	// and fail only at run time, or read a file of the build container.
	if parts := splitPath(s.ConfigPath); !values.PathCharacters(s.ConfigPath) || path.IsAbs(s.ConfigPath) || slices.Contains(parts, "..") || parts[0] == "" || parts[0] == "." {
		v.addf("SelfUpdate.ConfigPath", "%q: must be the path of the configuration file in the source, such as relay.yaml", s.ConfigPath)
	}
	if !goPackageRE.MatchString(s.App) {
		v.addf("SelfUpdate.App", "%q: must be a Go package path, such as %s", s.App, defaults.SelfUpdateApp)
	}
	if !values.BootstrapQualifier(s.Qualifier) {
		v.addf("SelfUpdate.Qualifier", "%q: must be 1 to 10 lowercase letters and digits, the qualifier given to cdk bootstrap", s.Qualifier)
	}
	if len(s.Environments) == 0 {
		v.add("SelfUpdate.Environments", "[]: add the account and region of each stack it deploys")
	}
	for i, e := range s.Environments {
		if !values.IsAccount(e.Account) || !regionRE.MatchString(e.Region) {
			v.addf(fmt.Sprintf("SelfUpdate.Environments[%d]", i), "%q/%q: must be a 12-digit account and a region name", e.Account, e.Region)
		}
	}
}

// sourceRevision is the CodePipeline source revision type and variable
// of a source whose variables are in namespace ns, which a restarted
// execution pins (StartPipelineExecution's SourceRevision); "" when the
// source kind takes no override.
func sourceRevision(s Source, ns string) (revisionType, variable string) {
	switch s.(type) {
	case *ConnectionSource, *CodeCommitSource:
		return "COMMIT_ID", "#{" + ns + ".CommitId}"
	case *S3Source:
		return "S3_OBJECT_VERSION_ID", "#{" + ns + ".VersionId}"
	case *ECRSource:
		return "IMAGE_DIGEST", "#{" + ns + ".ImageDigest}"
	}
	return "", ""
}

// updatePipelineStage plans the self-update stage.
func (p *planner) updatePipelineStage() Stage {
	s := p.in.SelfUpdate
	revType, rev := sourceRevision(p.in.Source, SourceVariables)
	vars := map[string]string{
		"RELAY_EXECUTION_ID":    "#{codepipeline.PipelineExecutionId}",
		"RELAY_SOURCE_ACTION":   primaryActionName(p.in.Source),
		"RELAY_REVISION_TYPE":   revType,
		"RELAY_SOURCE_REVISION": rev,
	}
	// The extra sources' revisions too, each one shorthand item of
	// --source-revisions: otherwise the restarted execution takes their
	// latest revisions, a combination the stopped execution never built.
	for i, x := range p.in.ExtraSources {
		if t, v := sourceRevision(x.Source, SourceVariables+"_"+x.Name); t != "" {
			vars[fmt.Sprintf("RELAY_EXTRA_REVISION_%d", i+1)] = "actionName=" + x.Name + ",revisionType=" + t + ",revisionValue=" + v
		}
	}
	return Stage{Name: UpdatePipelineStage, Actions: []Action{{
		Name: "SelfUpdate", RunOrder: 1, Kind: &UpdatePipeline{SelfUpdate: s, Variables: vars}, Deployment: -1,
		Inputs: []string{SourceArtifact}, Field: p.in.name("SelfUpdate"),
		Configuration: map[string]Field{
			"ProjectName":          {Path: p.in.name("SelfUpdate.ProjectName")},
			"EnvironmentVariables": {Path: p.in.name("Source")},
		},
	}}}
}
