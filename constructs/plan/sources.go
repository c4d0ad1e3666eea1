package plan

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// SourceVariables is the variable namespace of the primary source action:
// #{SourceVariables.CommitId} and #{SourceVariables.BranchName} reach every
// later action. An extra source's is SourceVariables_<name>.
const SourceVariables = "SourceVariables"

// BuildVariables is the variable namespace of the build action.
const BuildVariables = "BuildVariables"

// The artifacts every pipeline has: the primary source's output and the
// build output. An extra source writes SourceArtifact + "_" + its name.
const (
	SourceArtifact = "Source"
	BuildArtifact  = "Build"
)

// Source is where a pipeline execution starts: a *ConnectionSource,
// *S3Source, *CodeCommitSource or *ECRSource (a sealed interface). Every
// source starts the pipeline on change (connection pushes, or EventBridge
// rules for S3, CodeCommit and ECR).
type Source interface {
	source()
	// describe is a short name for descriptions, such as acme/payments.
	describe() string
}

// ExtraSource is a further source of the Source stage, given to the build
// as a secondary input.
type ExtraSource struct {
	// Name names the action, the artifact (Source_<Name>) and the variable
	// namespace (SourceVariables_<Name>): 1 to 60 letters, digits, _ and
	// -, unique. Required.
	Name string
	// Source is where it comes from. Required.
	Source Source
}

// ConnectionSource is a GitHub, GitLab or Bitbucket repository reached
// through a CodeConnections connection.
type ConnectionSource struct {
	// Provider names the action: GitHub, GitLab or Bitbucket. Default:
	// GitHub.
	Provider string
	// Owner and Repo form the full repository ID owner/repo. Required.
	Owner, Repo string
	// Branch is the branch to check out, a name git can hold without #{
	// (New refuses others). Default: main.
	Branch string
	// ConnectionArn is the connection's ARN (codeconnections or
	// codestar-connections). Required.
	ConnectionArn string
	// FullClone hands CodeBuild a full clone (with git history) instead of
	// a ZIP of the files; the build role may then use the connection.
	FullClone bool
	// Triggers filter which pushes start the pipeline (V2 triggers).
	// Default: every push to Branch.
	Triggers *Triggers
}

// Triggers filter pushes by branch, tag and changed file path (glob
// patterns, at most 8 in each list: limits.TriggerPatterns).
type Triggers struct {
	Branches, Tags, FilePaths Filter
	// OtherBranches is the reason, at least 10 characters, to accept that
	// pushes other than to the source's Branch (other branch includes, or
	// tags) start a pipeline with an approval-gated deployment (Approval,
	// or a Stack with Review). Without it such triggers are refused: an
	// approver could release a build of any such branch. Default: refused.
	OtherBranches string
}

// Beyond lists what in t starts executions from other pushes than to the
// release branch: each branch include other than release, and "tags".
func (t *Triggers) Beyond(release string) []string {
	if t == nil {
		return nil
	}
	var out []string
	for _, b := range t.Branches.Includes {
		if b != release {
			out = append(out, b)
		}
	}
	if len(t.Tags.Includes)+len(t.Tags.Excludes) > 0 {
		out = append(out, "tags")
	}
	return out
}

// Filter includes and excludes glob patterns.
type Filter struct {
	// Includes and Excludes are glob patterns of 1 to 255 characters, each
	// once (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GitBranchFilterCriteria.html).
	Includes, Excludes []string
}

// Empty reports whether t filters nothing.
func (t *Triggers) Empty() bool {
	return t == nil || len(t.Branches.Includes)+len(t.Branches.Excludes)+len(t.Tags.Includes)+len(t.Tags.Excludes)+len(t.FilePaths.Includes)+len(t.FilePaths.Excludes) == 0
}

// S3Source is an object key in a versioned bucket of the pipeline's
// account, or of another account (RoleArn). Its changes reach the pipeline
// through EventBridge, which needs a CloudTrail trail that records the
// bucket's data events.
type S3Source struct {
	// Bucket and Key name the object; the role that reads it (the
	// pipeline role, or RoleArn) may read arn:...:s3:::Bucket/Key only.
	// Bucket is an S3 bucket name, 3 to 63 lowercase letters, digits, dots
	// and hyphens
	// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html),
	// so never IAM's wildcards * and ?; Key is 1 to 1,024 characters, not
	// starting with /, through U+00FF (IAM refuses others in the role's
	// policy: https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html),
	// without * or ? (values.S3SourceKeyRule). Either may be a token. New
	// refuses others. Required.
	Bucket, Key string
	// RoleArn, when set, is the role of another account (the source
	// account, which owns the bucket) that the source action runs as; that
	// account forwards the bucket's events (package sourceaccount).
	// Default: the bucket is in the pipeline's account.
	RoleArn string
}

// CodeCommitSource is a branch of a CodeCommit repository of the pipeline's
// account, or of another account (RoleArn).
type CodeCommitSource struct {
	// Repository is the repository name, 1 to 100 letters, digits, _, .
	// and - (https://docs.aws.amazon.com/codecommit/latest/APIReference/API_CreateRepository.html),
	// or a token: the pipeline role may read this repository only, by its
	// ARN, so New refuses * and ?, which IAM would read as wildcards.
	// Required.
	Repository string
	// Branch is the branch, a name git can hold without #{, at most 256
	// characters (New refuses others). Default: main.
	Branch string
	// RoleArn, when set, is the role of another account (the source
	// account, which owns the repository) that the source action runs as;
	// that account forwards the repository's events (package
	// sourceaccount). Default: the repository is in the pipeline's account.
	RoleArn string
}

// ECRSource is an image tag of an ECR repository of the pipeline's account.
type ECRSource struct {
	// Repository is the repository name, at most 256 lowercase letters,
	// digits and ._-/, such as payments/api
	// (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html),
	// or a token: the pipeline role may describe this repository's images
	// only, by its ARN, so New refuses * and ?, which IAM would read as
	// wildcards. Required.
	Repository string
	// Tag is the image tag, 1 to 128 letters, digits, _, . and -, not
	// starting with . or - (https://docs.docker.com/reference/cli/docker/image/tag/);
	// New refuses others, which no image has. Default: latest.
	Tag string
}

func (*ConnectionSource) source() {}
func (*S3Source) source()         {}
func (*CodeCommitSource) source() {}
func (*ECRSource) source()        {}

func (s *ConnectionSource) describe() string { return s.Owner + "/" + s.Repo }
func (s *S3Source) describe() string         { return "s3://" + s.Bucket + "/" + s.Key }
func (s *CodeCommitSource) describe() string { return "CodeCommit " + s.Repository }
func (s *ECRSource) describe() string        { return "ECR " + s.Repository }

// Describe is a short name of s for descriptions, such as acme/payments.
func Describe(s Source) string {
	if s == nil {
		return ""
	}
	return s.describe()
}

var (
	sourceNameRE  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,60}$`)
	connectionARN = regexp.MustCompile(`^arn:[^:]+:(codeconnections|codestar-connections):[^:]+:[0-9]{12}:connection/[!-~]+$`)
)

// source reports the problems of s at Go path field.
func (v *validator) source(field string, s Source) {
	if isNil(s) { // nil, or a typed nil such as (*S3Source)(nil)
		v.add(field, ": required; set a *ConnectionSource, *S3Source, *CodeCommitSource or *ECRSource")
		return
	}
	switch x := s.(type) {
	case *ConnectionSource:
		if x.Owner == "" || x.Repo == "" {
			v.addf(field, "%q/%q: Owner and Repo are required", x.Owner, x.Repo)
		}
		switch a, _ := arns.Parse(x.ConnectionArn); {
		case arns.IsToken(x.ConnectionArn):
		case !connectionARN.MatchString(x.ConnectionArn):
			v.addf(field+".ConnectionArn", "%q: must be a CodeConnections connection ARN", x.ConnectionArn)
		case len(x.ConnectionArn) > limits.Max(limits.ConnectionARN):
			// No connection has it: the source action would fail at run time.
			l := limits.ByID(limits.ConnectionARN)
			v.addf(field+".ConnectionArn", "\"%d characters\": a connection ARN has at most %d (%s); %s", len(x.ConnectionArn), l.Max, l.Source, l.Fix)
		case arns.CheckRegion(a.Region, "") != "":
			// A region typo names no connection: CodePipeline refuses the
			// pipeline at deploy time.
			v.addf(field+".ConnectionArn", "%q: region %q: %s", x.ConnectionArn, a.Region, arns.CheckRegion(a.Region, ""))
		default:
			if p, _ := arns.RegionPartition(a.Region); p != a.Partition {
				v.addf(field+".ConnectionArn", "%q: region %q is in partition %s, not the ARN's %s", x.ConnectionArn, a.Region, p, a.Partition)
			}
		}
		v.branch(field+".Branch", x.Branch, 0)
		if x.Provider != "GitHub" && x.Provider != "GitLab" && x.Provider != "Bitbucket" {
			v.addf(field+".Provider", "%q: must be GitHub, GitLab or Bitbucket", x.Provider)
		}
		if t := x.Triggers; t != nil {
			max := limits.Max(limits.TriggerPatterns)
			for _, f := range []struct {
				name string
				v    []string
			}{{"Branches.Includes", t.Branches.Includes}, {"Branches.Excludes", t.Branches.Excludes}, {"Tags.Includes", t.Tags.Includes},
				{"Tags.Excludes", t.Tags.Excludes}, {"FilePaths.Includes", t.FilePaths.Includes}, {"FilePaths.Excludes", t.FilePaths.Excludes}} {
				if len(f.v) > max {
					v.addf(field+".Triggers."+f.name, "%d patterns: CodePipeline takes at most %d", len(f.v), max)
				}
				for j, pat := range f.v {
					switch {
					case strings.TrimSpace(pat) == "" || len(pat) > 255:
						// CodePipeline refuses the pipeline (GitBranchFilterCriteria,
						// GitTagFilterCriteria, GitFilePathFilterCriteria).
						v.addf(fmt.Sprintf("%s.Triggers.%s[%d]", field, f.name, j), "%q: must be a glob pattern of 1 to 255 characters, such as release/* (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GitBranchFilterCriteria.html)", pat)
					case values.TriggerPattern(pat, !strings.HasPrefix(f.name, "FilePaths")) != "":
						v.addf(fmt.Sprintf("%s.Triggers.%s[%d]", field, f.name, j), "%q: %s", pat, values.TriggerPattern(pat, !strings.HasPrefix(f.name, "FilePaths")))
					case slices.Contains(f.v[:j], pat):
						v.addf(fmt.Sprintf("%s.Triggers.%s[%d]", field, f.name, j), "%q: listed twice; CloudFormation refuses a pattern list with an item twice", pat)
					}
				}
			}
			if len(t.FilePaths.Includes)+len(t.FilePaths.Excludes) > 0 && len(t.Branches.Includes)+len(t.Tags.Includes) == 0 {
				v.add(field+".Triggers.FilePaths", ": file path filters need branch or tag includes; add Branches.Includes or Tags.Includes")
			}
			v.otherBranches(field+".Triggers", t, x.Branch)
		}
	case *S3Source:
		if x.Bucket == "" {
			v.add(field+".Bucket", `"": required`)
		}
		if x.Key == "" {
			v.add(field+".Key", `"": required`)
		}
		v.s3Source(field, x)
		v.sourceRole(field+".RoleArn", x.RoleArn)
	case *CodeCommitSource:
		switch {
		case x.Repository == "":
			v.add(field+".Repository", `"": required`)
		case !values.CodeCommitRepository(x.Repository) && !arns.IsToken(x.Repository):
			// The pipeline role may read the repository by its ARN
			// (ReadSourceRepositories), where IAM reads * and ? as
			// wildcards.
			v.addf(field+".Repository", "%q: must be a CodeCommit repository name of 1 to 100 letters, digits, ., _ and - (https://docs.aws.amazon.com/codecommit/latest/APIReference/API_CreateRepository.html); the pipeline role may read the repository by its ARN, where * and ? would be IAM wildcards", x.Repository)
		}
		v.sourceRole(field+".RoleArn", x.RoleArn)
		v.branch(field+".Branch", x.Branch, maxCodeCommitBranch)
	case *ECRSource:
		switch {
		case x.Repository == "":
			v.add(field+".Repository", `"": required`)
		case !values.ECRRepository(x.Repository) && !arns.IsToken(x.Repository):
			v.addf(field+".Repository", "%q: must be an ECR repository name of at most 256 lowercase letters, digits and ._-/, such as payments/api (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html); the pipeline role may describe the repository's images by its ARN, where * and ? would be IAM wildcards", x.Repository)
		}
		if x.Tag != "" && !values.ImageTag(x.Tag) && !arns.IsToken(x.Tag) {
			// No image has another tag: the source would never start
			// the pipeline.
			v.addf(field+".Tag", "%q: must be an image tag of 1 to 128 letters, digits, _, . and -, not starting with . or -, such as latest (https://docs.docker.com/reference/cli/docker/image/tag/); no image has another", x.Tag)
		}
	}
}

// s3Source checks the bucket and key of an S3 source at Go path field
// ("" for one is reported as required): the pipeline role (or the source
// account's role) may read the object by its ARN, arn:...:s3:::BUCKET/KEY
// (ReadSourceObjects), so * or ? in either would be an IAM wildcard, and a
// key character beyond U+00FF one IAM refuses, failing the role at deploy
// (values.S3SourceKeyRule).
func (v *validator) s3Source(field string, x *S3Source) {
	if x.Bucket != "" && !values.BucketName(x.Bucket) && !arns.IsToken(x.Bucket) {
		v.addf(field+".Bucket", "%q: must be an S3 bucket name, 3 to 63 lowercase letters, digits, dots and hyphens (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html); the pipeline role may read the object by its ARN, where * and ? would be IAM wildcards", x.Bucket)
	}
	if x.Key == "" || arns.IsToken(x.Key) {
		return
	}
	if rule := values.S3SourceKeyRule(x.Key); rule != "" {
		v.addf(field+".Key", "%q: %s", x.Key, rule)
	}
}

// maxCodeCommitBranch is the longest CodeCommit branch name (CodeCommit
// API, BranchInfo: 1 to 256 characters).
const maxCodeCommitBranch = 256

// branch refuses a source's branch that no repository can have: one git
// refuses (values.GitBranch), or, with max > 0, one longer than max
// characters; and one holding #{, which CodePipeline would read as a
// variable reference. "" is the default, main.
func (v *validator) branch(field, b string, max int) {
	switch {
	case b == "":
	case HasReference(b):
		v.addf(field, "%q: %s", b, values.BranchReferenceRule)
	case !values.GitBranch(b):
		v.addf(field, "%q: is not a git branch name (https://git-scm.com/docs/git-check-ref-format), so the source action would fail; write it as git shows it", b)
	case max > 0 && len([]rune(b)) > max:
		v.addf(field, "\"%d characters\": a CodeCommit branch name has at most %d (https://docs.aws.amazon.com/codecommit/latest/APIReference/API_BranchInfo.html)", len([]rune(b)), max)
	}
}

// otherBranches refuses triggers that start executions from other pushes
// than to the release branch when a deployment is approval-gated, unless
// OtherBranches gives a reason; a reason with nothing to accept is refused
// too.
func (v *validator) otherBranches(field string, t *Triggers, release string) {
	approves := func(steps []Step) int {
		return slices.IndexFunc(steps, func(s Step) bool { _, ok := s.Action.(*ApprovalStep); return ok })
	}
	via := ""
	gated := slices.IndexFunc(v.in.Deployments, func(d Deployment) bool {
		s, _ := d.Release.(*Stack)
		if d.Approval != nil || (s != nil && s.Review) {
			return true
		}
		// An approval step gates the deployment as well.
		if k := approves(d.Steps); k >= 0 {
			via = fmt.Sprintf(".Steps[%d]", k)
			return true
		}
		for _, r := range slices.Sorted(maps.Keys(d.Regional)) {
			if k := approves(d.Regional[r].Steps); k >= 0 {
				via = fmt.Sprintf(".Regional[%q].Steps[%d]", r, k)
				return true
			}
		}
		return false
	})
	beyond := t.Beyond(release)
	switch {
	case t.OtherBranches != "" && (len(beyond) == 0 || gated < 0):
		v.addf(field+".OtherBranches", "%q: applies only when other branches or tags than %s start a pipeline with an approval-gated deployment; remove it", t.OtherBranches, release)
	case t.OtherBranches != "" && len(strings.TrimSpace(t.OtherBranches)) < 10:
		v.addf(field+".OtherBranches", "%q: say why builds of those branches are safe to release, in at least 10 characters", t.OtherBranches)
	case t.OtherBranches == "" && len(beyond) > 0 && gated >= 0:
		v.addf(field, "%q: start executions from other pushes than to the release branch %s, and %s waits for an approval: an approver could release a build of any of those branches; trigger on %s only, or accept it with a reason in OtherBranches",
			beyond, release, v.in.name(fmt.Sprintf("Deployments[%d]", gated))+stepNote(v.in, gated, via), release)
	}
}

// stepNote is " (<path of the approval step>)" when via, the Go path of an
// approval step below Deployments[i] (such as .Steps[0]), gates it; "" when
// the deployment's own approval or change-set review does.
func stepNote(in *Input, i int, via string) string {
	if via == "" {
		return ""
	}
	return " (" + in.name(fmt.Sprintf("Deployments[%d]%s", i, via)) + ")"
}

var sourceRoleARN = regexp.MustCompile(`^arn:[^:]+:iam::([0-9]{12}):role/[\w+=,.@/-]+$`)

// sourceRole checks the RoleArn of a source in another account: an exact
// role ARN.
func (v *validator) sourceRole(field, arn string) {
	if arn != "" && !sourceRoleARN.MatchString(arn) {
		v.addf(field, "%q: must be the exact ARN of the source account's role, such as arn:aws:iam::444444444444:role/relay/payments/payments-source", arn)
	}
}

// SourceRole is the role of another account that s runs as, or "".
func SourceRole(s Source) string {
	switch x := s.(type) {
	case *S3Source:
		return x.RoleArn
	case *CodeCommitSource:
		return x.RoleArn
	}
	return ""
}

// sourceDefaults is s with its defaults applied (a copy).
func sourceDefaults(s Source) Source {
	if isNil(s) {
		return s
	}
	switch x := s.(type) {
	case *ConnectionSource:
		c := *x
		def(&c.Branch, defaults.Branch)
		def(&c.Provider, defaults.ConnectionProvider)
		return &c
	case *CodeCommitSource:
		c := *x
		def(&c.Branch, defaults.Branch)
		return &c
	case *ECRSource:
		c := *x
		def(&c.Tag, defaults.ImageTag)
		return &c
	case *S3Source:
		c := *x
		return &c
	}
	return s
}

// SourceAction gets a source's change into the pipeline: its Source is the
// kind of the action (connection, S3, CodeCommit or ECR).
type SourceAction struct {
	// Source is the source (defaults applied).
	Source Source
	// Extra is the ExtraSources index, or -1 for the primary source.
	Extra int
}

// Type is the action type of the source's kind.
func (k *SourceAction) Type() ActionType {
	switch k.Source.(type) {
	case *ConnectionSource:
		return ActionType{"Source", "CodeStarSourceConnection"}
	case *S3Source:
		return ActionType{"Source", "S3"}
	case *CodeCommitSource:
		return ActionType{"Source", "CodeCommit"}
	}
	return ActionType{"Source", "ECR"}
}

// sourceStage plans the Source stage: the primary source's action, named
// after its kind (GitHub, S3, ...), then one action per extra source.
func (p *planner) sourceStage() Stage {
	st := Stage{Name: "Source"}
	all := append([]ExtraSource{{Source: p.in.Source}}, p.in.ExtraSources...)
	for i, x := range all {
		field, name, artifact, ns := "Source", primaryActionName(x.Source), SourceArtifact, SourceVariables
		if i > 0 {
			field = fmt.Sprintf("ExtraSources[%d].Source", i-1)
			name, artifact, ns = x.Name, SourceArtifact+"_"+x.Name, SourceVariables+"_"+x.Name
		}
		a := Action{
			Name: name, RunOrder: 1, Kind: &SourceAction{Source: x.Source, Extra: i - 1}, Deployment: -1,
			Outputs: []string{artifact}, Namespace: ns, Field: p.in.name(field), RoleArn: SourceRole(x.Source),
		}
		if m := sourceRoleARN.FindStringSubmatch(a.RoleArn); m != nil {
			a.Account = m[1]
		}
		f := p.fields(field)
		switch x.Source.(type) {
		case *ConnectionSource:
			repo := f(".Repo")
			if o, r := p.in.name(field+".Owner"), p.in.name(field+".Repo"); o != r {
				repo = Field{Path: o + ", " + r}
			}
			a.Configuration = map[string]Field{
				"ConnectionArn": f(".ConnectionArn"), "FullRepositoryId": repo, "BranchName": f(".Branch"),
				"DetectChanges": f(".Triggers"), "OutputArtifactFormat": f(".FullClone"),
			}
		case *S3Source:
			a.Configuration = map[string]Field{"S3Bucket": f(".Bucket"), "S3ObjectKey": f(".Key"), "PollForSourceChanges": f("")}
		case *CodeCommitSource:
			a.Configuration = map[string]Field{"RepositoryName": f(".Repository"), "BranchName": f(".Branch"), "PollForSourceChanges": f(""), "OutputArtifactFormat": f("")}
		case *ECRSource:
			a.Configuration = map[string]Field{"RepositoryName": f(".Repository"), "ImageTag": f(".Tag")}
		}
		st.Actions = append(st.Actions, a)
	}
	return st
}

// primaryActionName names the primary source action after its kind.
func primaryActionName(s Source) string {
	switch x := s.(type) {
	case *ConnectionSource:
		return x.Provider
	case *S3Source:
		return "S3"
	case *CodeCommitSource:
		return "CodeCommit"
	}
	return "ECR"
}

// sourceEnvironment are the build environment variables that carry the
// primary source src's revision to the build and to each test or scan
// suite (all true) or to suites only (all false): the variables each kind
// of source sets (limits.ActionVariables; a connection source's, from
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html):
//   - a connection or CodeCommit source: GIT_COMMIT_HASH (CommitId) and,
//     for the build, GIT_BRANCH (BranchName) and GIT_AUTHOR_DATE
//     (AuthorDate);
//   - an S3 source: SOURCE_VERSION_ID (VersionId, the object's version);
//   - an ECR source: SOURCE_IMAGE_DIGEST (ImageDigest), for its suites (a
//     build cannot read an ECR source's artifact: checkInputs).
//
// A reference to a variable that the source does not set would fail the
// action on every execution.
func sourceEnvironment(src Source, all bool) map[string]string {
	ref := func(name string) string { return "#{" + SourceVariables + "." + name + "}" }
	vars := map[string]string{}
	switch src.(type) {
	case *S3Source:
		vars["SOURCE_VERSION_ID"] = ref("VersionId")
	case *ECRSource:
		vars["SOURCE_IMAGE_DIGEST"] = ref("ImageDigest")
	default:
		vars["GIT_COMMIT_HASH"] = ref("CommitId")
		if all {
			vars["GIT_BRANCH"] = ref("BranchName")
			vars["GIT_AUTHOR_DATE"] = ref("AuthorDate")
		}
	}
	return vars
}

// gitOpsValue is the default value that an EKS release's GitOps step
// writes for the primary source src: its commit ID (a connection or
// CodeCommit source, defaults.GitOpsValue); "" for an S3 source, which has
// none, and for an ECR source, whose ImageTag is the tag it watches (the
// same in every release: writing it would change nothing, and Argo CD or
// Flux would never roll out the new image; ECR action reference). The
// release then requires a value.
func gitOpsValue(src Source) string {
	switch src.(type) {
	case *S3Source, *ECRSource:
		return ""
	}
	return defaults.GitOpsValue
}
