package pipeline

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodecommit"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipeline"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipelineactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// Source is where a pipeline execution starts: exactly one of Connection,
// S3, CodeCommit and ECR. Every source starts the pipeline on change
// (connection pushes, or EventBridge rules for S3, CodeCommit and ECR).
type Source struct {
	// Name names an extra source's action, artifact (Source_<Name>) and
	// variable namespace (SourceVariables_<Name>). The primary source's is
	// ignored: its artifact is Source, its namespace SourceVariables.
	Name string
	// Connection is a GitHub, GitLab or Bitbucket repository reached
	// through a CodeConnections connection.
	Connection *ConnectionSource
	// S3 is an object in a versioned S3 bucket of the pipeline's account.
	S3 *S3Source
	// CodeCommit is a CodeCommit repository branch.
	CodeCommit *CodeCommitSource
	// ECR is an image tag of an ECR repository.
	ECR *ECRSource
}

// ConnectionSource is a repository behind a CodeConnections connection.
type ConnectionSource struct {
	// Provider names the action: GitHub (default), GitLab or Bitbucket.
	Provider string
	// Owner and Repo form the full repository ID owner/repo. Required.
	Owner, Repo string
	// Branch is the branch to check out. Default: main.
	Branch string
	// ConnectionArn is the connection's ARN. Required.
	ConnectionArn string
	// FullClone hands CodeBuild a full clone (with git history) instead of
	// a ZIP of the files; the build role may then use the connection.
	FullClone bool
	// Triggers filter which pushes start the pipeline (V2 triggers).
	// Default: every push to Branch.
	Triggers *Triggers
}

// Triggers filter pushes by branch, tag and changed file path (glob
// patterns, at most 8 of each).
type Triggers struct {
	Branches, Tags, FilePaths Filter
}

// Filter includes and excludes glob patterns.
type Filter struct {
	Includes, Excludes []string
}

func (t *Triggers) empty() bool {
	return t == nil || len(t.Branches.Includes)+len(t.Branches.Excludes)+len(t.Tags.Includes)+len(t.Tags.Excludes)+len(t.FilePaths.Includes)+len(t.FilePaths.Excludes) == 0
}

// S3Source is an object key in a versioned bucket. Its changes reach the
// pipeline through EventBridge, which needs a CloudTrail trail that records
// the bucket's data events.
type S3Source struct {
	Bucket, Key string
}

// CodeCommitSource is a branch of a CodeCommit repository.
type CodeCommitSource struct {
	Repository, Branch string
}

// ECRSource is an image tag of an ECR repository. Default tag: latest.
type ECRSource struct {
	Repository, Tag string
}

var (
	sourceName    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,60}$`)
	connectionARN = regexp.MustCompile(`^arn:[^:]+:(codeconnections|codestar-connections):[^:]+:[0-9]{12}:connection/.+$`)
)

// validate reports the problems of s, named field in messages.
func (s Source) validate(field string, extra bool) []error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	n := 0
	for _, set := range []bool{s.Connection != nil, s.S3 != nil, s.CodeCommit != nil, s.ECR != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		add("%s: set exactly one of Connection, S3, CodeCommit and ECR", field)
	}
	if extra && !sourceName.MatchString(s.Name) {
		add("%s.Name %q: must be 1-60 letters, digits, _ and -", field, s.Name)
	}
	if c := s.Connection; c != nil {
		if c.Owner == "" || c.Repo == "" {
			add("%s %q/%q: owner and repo are required", field, c.Owner, c.Repo)
		}
		if !connectionARN.MatchString(c.ConnectionArn) {
			add("%s.ConnectionArn %q: must be a CodeConnections connection ARN", field, c.ConnectionArn)
		}
		if c.Provider != "" && c.Provider != "GitHub" && c.Provider != "GitLab" && c.Provider != "Bitbucket" {
			add("%s.Provider %q: must be GitHub, GitLab or Bitbucket", field, c.Provider)
		}
		if t := c.Triggers; t != nil {
			for _, f := range []struct {
				name string
				v    []string
			}{{"Branches.Includes", t.Branches.Includes}, {"Branches.Excludes", t.Branches.Excludes}, {"Tags.Includes", t.Tags.Includes},
				{"Tags.Excludes", t.Tags.Excludes}, {"FilePaths.Includes", t.FilePaths.Includes}, {"FilePaths.Excludes", t.FilePaths.Excludes}} {
				if max := limits.Max(limits.TriggerPatterns); len(f.v) > max {
					add("%s.Triggers.%s: %d patterns; CodePipeline takes at most %d", field, f.name, len(f.v), max)
				}
			}
			if len(t.FilePaths.Includes)+len(t.FilePaths.Excludes) > 0 && len(t.Branches.Includes)+len(t.Tags.Includes) == 0 {
				add("%s.Triggers.FilePaths: file path filters need branch or tag includes", field)
			}
		}
	}
	if b := s.S3; b != nil && (b.Bucket == "" || b.Key == "") {
		add("%s.S3 %q/%q: bucket and key are required", field, b.Bucket, b.Key)
	}
	if r := s.CodeCommit; r != nil && r.Repository == "" {
		add("%s.CodeCommit.Repository \"\": required", field)
	}
	if r := s.ECR; r != nil && r.Repository == "" {
		add("%s.ECR.Repository \"\": required", field)
	}
	return errs
}

// describe is a short name of the source for descriptions.
func (s Source) describe() string {
	switch {
	case s.Connection != nil:
		return s.Connection.Owner + "/" + s.Connection.Repo
	case s.S3 != nil:
		return "s3://" + s.S3.Bucket + "/" + s.S3.Key
	case s.CodeCommit != nil:
		return "CodeCommit " + s.CodeCommit.Repository
	case s.ECR != nil:
		return "ECR " + s.ECR.Repository
	}
	return ""
}

// sourceAction is the source action of s, writing to output, and, for a
// connection source with filters, its V2 trigger.
func (pl *Pipeline) sourceAction(s Source, actionName, namespace string, output awscodepipeline.Artifact) (awscodepipeline.IAction, *awscodepipeline.TriggerProps) {
	id := "Source-" + actionName
	switch {
	case s.Connection != nil:
		c := s.Connection
		action := awscodepipelineactions.NewCodeStarConnectionsSourceAction(&awscodepipelineactions.CodeStarConnectionsSourceActionProps{
			ActionName:           jsii.String(actionName),
			Owner:                jsii.String(c.Owner),
			Repo:                 jsii.String(c.Repo),
			Branch:               jsii.String(c.Branch),
			ConnectionArn:        jsii.String(c.ConnectionArn),
			Output:               output,
			TriggerOnPush:        jsii.Bool(true),
			CodeBuildCloneOutput: jsii.Bool(c.FullClone),
			VariablesNamespace:   jsii.String(namespace),
		})
		if c.Triggers.empty() {
			return action, nil
		}
		t := c.Triggers
		list := func(v []string) *[]*string {
			if len(v) == 0 {
				return nil
			}
			return jsii.Strings(v...)
		}
		return action, &awscodepipeline.TriggerProps{
			ProviderType: awscodepipeline.ProviderType_CODE_STAR_SOURCE_CONNECTION,
			GitConfiguration: &awscodepipeline.GitConfiguration{
				SourceAction: action,
				PushFilter: &[]*awscodepipeline.GitPushFilter{{
					BranchesIncludes:  list(t.Branches.Includes),
					BranchesExcludes:  list(t.Branches.Excludes),
					TagsIncludes:      list(t.Tags.Includes),
					TagsExcludes:      list(t.Tags.Excludes),
					FilePathsIncludes: list(t.FilePaths.Includes),
					FilePathsExcludes: list(t.FilePaths.Excludes),
				}},
			},
		}
	case s.S3 != nil:
		return awscodepipelineactions.NewS3SourceAction(&awscodepipelineactions.S3SourceActionProps{
			ActionName:         jsii.String(actionName),
			Bucket:             awss3.Bucket_FromBucketName(pl.Construct, jsii.String(id+"-Bucket"), jsii.String(s.S3.Bucket)),
			BucketKey:          jsii.String(s.S3.Key),
			Output:             output,
			Trigger:            awscodepipelineactions.S3Trigger_EVENTS,
			VariablesNamespace: jsii.String(namespace),
		}), nil
	case s.CodeCommit != nil:
		return awscodepipelineactions.NewCodeCommitSourceAction(&awscodepipelineactions.CodeCommitSourceActionProps{
			ActionName:         jsii.String(actionName),
			Repository:         awscodecommit.Repository_FromRepositoryName(pl.Construct, jsii.String(id+"-Repository"), jsii.String(s.CodeCommit.Repository)),
			Branch:             jsii.String(s.CodeCommit.Branch),
			Output:             output,
			Trigger:            awscodepipelineactions.CodeCommitTrigger_EVENTS,
			VariablesNamespace: jsii.String(namespace),
		}), nil
	default:
		return awscodepipelineactions.NewEcrSourceAction(&awscodepipelineactions.EcrSourceActionProps{
			ActionName:         jsii.String(actionName),
			Repository:         awsecr.Repository_FromRepositoryName(pl.Construct, jsii.String(id+"-Repository"), jsii.String(s.ECR.Repository)),
			ImageTag:           jsii.String(s.ECR.Tag),
			Output:             output,
			VariablesNamespace: jsii.String(namespace),
		}), nil
	}
}

// sourceStatements grant the pipeline role what its sources need, one
// statement per kind.
func sourceStatements(sources []Source, partition string, stack awscdk.Stack) []awsiam.PolicyStatement {
	var conns, objects, buckets, repos, images []string
	for _, s := range sources {
		switch {
		case s.Connection != nil:
			conns = append(conns, s.Connection.ConnectionArn)
		case s.S3 != nil:
			buckets = append(buckets, fmt.Sprintf("arn:%s:s3:::%s", partition, s.S3.Bucket))
			objects = append(objects, fmt.Sprintf("arn:%s:s3:::%s/%s", partition, s.S3.Bucket, s.S3.Key))
		case s.CodeCommit != nil:
			repos = append(repos, fmt.Sprintf("arn:%s:codecommit:%s:%s:%s", partition, *stack.Region(), *stack.Account(), s.CodeCommit.Repository))
		case s.ECR != nil:
			images = append(images, fmt.Sprintf("arn:%s:ecr:%s:%s:repository/%s", partition, *stack.Region(), *stack.Account(), s.ECR.Repository))
		}
	}
	var out []awsiam.PolicyStatement
	add := func(sid string, resources []string, actions ...string) {
		if len(resources) > 0 {
			out = append(out, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid: jsii.String(sid), Actions: jsii.Strings(actions...), Resources: jsii.Strings(values.SortedUnique(resources)...),
			}))
		}
	}
	add("UseSourceConnection", conns, "codeconnections:UseConnection", "codestar-connections:UseConnection")
	add("ReadSourceObjects", objects, "s3:GetObject", "s3:GetObjectVersion")
	add("ReadSourceBuckets", buckets, "s3:GetBucketVersioning", "s3:GetBucketLocation")
	add("ReadSourceRepositories", repos, "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:UploadArchive",
		"codecommit:GetUploadArchiveStatus", "codecommit:CancelUploadArchive")
	add("ReadSourceImages", images, "ecr:DescribeImages")
	return out
}
