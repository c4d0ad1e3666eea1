package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// Source holds exactly one of its fields: where executions start.
type Source struct {
	// GitHub is a GitHub repository reached through an AWS CodeConnections
	// (formerly CodeStar Connections) connection.
	GitHub *ConnectionSource `yaml:"github,omitempty" json:"github,omitempty"`
	// GitLab is a GitLab repository (group/project, subgroups allowed)
	// reached through a connection.
	GitLab *ConnectionSource `yaml:"gitlab,omitempty" json:"gitlab,omitempty"`
	// Bitbucket is a Bitbucket repository reached through a connection.
	Bitbucket *ConnectionSource `yaml:"bitbucket,omitempty" json:"bitbucket,omitempty"`
	// S3 is an object in a versioned bucket of the tooling account, or of
	// another account (s3.account); changes arrive through EventBridge
	// (needs a CloudTrail trail with the bucket's data events).
	S3 *S3Source `yaml:"s3,omitempty" json:"s3,omitempty"`
	// CodeCommit is a CodeCommit repository of the tooling account, or of
	// another account (codecommit.account); pushes arrive through
	// EventBridge.
	CodeCommit *CodeCommitSource `yaml:"codecommit,omitempty" json:"codecommit,omitempty"`
	// ECR is an image tag of an ECR repository of the tooling account;
	// pushes arrive through EventBridge.
	ECR *ECRSource `yaml:"ecr,omitempty" json:"ecr,omitempty"`
}

// gitOpsValue is the default of deploy.eks.gitops.value for the source s:
// its commit ID; "" for an S3 source, which has none, and for an ECR
// source, whose ImageTag is the tag it watches, the same in every release
// (the variables each source action sets:
// https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html).
func (s Source) gitOpsValue() string {
	if s.S3 != nil || s.ECR != nil {
		return ""
	}
	return defaults.GitOpsValue
}

// setter is what limits knows of the variables that the source's action
// sets (limits.NewSetter): their fixed set for an S3, ECR or CodeCommit
// source (Variables, limits.ActionVariables); for a connection source
// (GitHub, GitLab, Bitbucket), whose variables grow with what starts the
// execution, the ones AWS documents, checked for spelling only (Spelled,
// limits.SpelledVariables).
func (s Source) setter() *limits.Setter {
	provider := "CodeStarSourceConnection"
	switch {
	case s.S3 != nil:
		provider = "S3"
	case s.ECR != nil:
		provider = "ECR"
	case s.CodeCommit != nil:
		provider = "CodeCommit"
	}
	x := limits.NewSetter("Source", provider, 0, 1)
	return &x
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
	// Account is the account that owns the bucket, when it is not the
	// tooling account: Relay then adds a stack there (<name>-source-<account>)
	// with the role the source action runs as, the rule that forwards the
	// bucket's uploads to the tooling account, and the trail that records
	// them. The bucket must be in the tooling region. Default: the tooling
	// account.
	Account string `yaml:"account,omitempty" json:"account,omitempty"`
	// KMSKeyArn is the ARN of the source account's KMS key that encrypts
	// the bucket (SSE-KMS); the source role may decrypt with it through S3
	// only. Its key policy must let the account's IAM policies grant use
	// (the default key policy does). Default: SSE-S3. Only with account.
	KMSKeyArn string `yaml:"kmsKeyArn,omitempty" json:"kmsKeyArn,omitempty"`
	// Trail names an existing CloudTrail trail of the source account that
	// records the bucket's write data events; EventBridge sees uploads only
	// through such a trail. Default: Relay creates the trail <name>-sources
	// (multi-region, its own encrypted bucket). Only with account.
	Trail string `yaml:"trail,omitempty" json:"trail,omitempty"`
}

// CodeCommitSource is a CodeCommit branch.
type CodeCommitSource struct {
	// Repository is the repository name. Required.
	Repository string `yaml:"repository" json:"repository"`
	// Branch is the branch to check out. Default: main.
	Branch string `yaml:"branch,omitempty" json:"branch,omitempty"`
	// Account is the account that owns the repository, when it is not the
	// tooling account: Relay then adds a stack there (<name>-source-<account>)
	// with the role the source action runs as and the rule that forwards
	// the branch's pushes to the tooling account. The repository must be in
	// the tooling region. Default: the tooling account.
	Account string `yaml:"account,omitempty" json:"account,omitempty"`
}

// ECRSource is an ECR image tag.
type ECRSource struct {
	// Repository is the repository name. Required.
	Repository string `yaml:"repository" json:"repository"`
	// Tag is the image tag. Default: latest.
	Tag string `yaml:"tag,omitempty" json:"tag,omitempty"`
}

// ConnectionSource is a repository and branch of GitHub, GitLab or
// Bitbucket, reached through an AWS CodeConnections connection (the YAML
// keys github, gitlab and bitbucket say which).
type ConnectionSource struct {
	// Repository is owner/name, e.g. acme/payments (GitLab: group/project,
	// subgroups allowed). Required.
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
	// OtherBranches accepts, with a reason, that pushes other than to the
	// release branch (other branch patterns, or tags) start a pipeline that
	// reaches an approval-gated environment (approval or reviewChangeSet).
	// Without it such triggers are refused: an approver could release a
	// build of any such branch. Default: refused.
	OtherBranches *OtherBranches `yaml:"otherBranches,omitempty" json:"otherBranches,omitempty"`
}

// OtherBranches is the reason to let other branches or tags start a
// pipeline with approval-gated environments.
type OtherBranches struct {
	// Reason says why the branches are safe to release, at least 10
	// characters, such as "release/* is protected: only the release
	// managers may push to it". Required.
	Reason string `yaml:"reason" json:"reason"`
}

// Filter includes and excludes glob patterns.
type Filter struct {
	Includes []string `yaml:"includes,omitempty" json:"includes,omitempty"`
	Excludes []string `yaml:"excludes,omitempty" json:"excludes,omitempty"`
}

// Defaults of the source section.
const (
	defaultBranch = defaults.Branch
	defaultECRTag = defaults.ImageTag
)

// maxFilterPatterns is how many patterns each side (includes, excludes) of a
// push filter takes. Source: CodePipeline API reference, GitBranchFilterCriteria,
// GitFilePathFilterCriteria and GitTagFilterCriteria (Includes, Excludes:
// "Maximum number of 8 items"), in limits.Table.
var maxFilterPatterns = limits.Max(limits.TriggerPatterns)

var (
	repoRE       = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
	gitlabRepoRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$`)
)

// connectionKinds are the source keys of connection sources, in field order.
var connectionKinds = []string{"github", "gitlab", "bitbucket"}

// connections are src's connection sources by key, in connectionKinds order.
func (src *Source) connections() []*ConnectionSource {
	return []*ConnectionSource{src.GitHub, src.GitLab, src.Bitbucket}
}

// sourceDefaults sets the defaults of src, written at base; unset is as in
// applyDefaults.
func sourceDefaults(base string, src *Source, unset unsetFunc) {
	for k, g := range src.connections() {
		if g != nil && unset(base+"."+connectionKinds[k]+".branch", g.Branch == "") {
			g.Branch = defaultBranch
		}
	}
	if r := src.CodeCommit; r != nil && unset(base+".codecommit.branch", r.Branch == "") {
		r.Branch = defaultBranch
	}
	if r := src.ECR; r != nil && unset(base+".ecr.tag", r.Tag == "") {
		r.Tag = defaultECRTag
	}
}

// sourcesDefaults sets the defaults of source and extraSources.
func (c *Config) sourcesDefaults(unset unsetFunc) {
	sourceDefaults("source", &c.Source, unset)
	for i := range c.ExtraSources {
		sourceDefaults(fmt.Sprintf("extraSources[%d]", i), &c.ExtraSources[i].Source, unset)
	}
}

// validateSource checks source and extraSources.
func (c *Config) validateSource(p *problems) {
	c.validateOneSource(p, "source", c.Source)
	first := map[string]int{}
	for i, x := range c.ExtraSources {
		base := fmt.Sprintf("extraSources[%d]", i)
		p.add(base+".name", x.Name, listNameRule(first, "extraSources", i, x.Name, "config", "source"))
		c.validateOneSource(p, base, x.Source)
		p.add(base+".name", x.Name, c.startRuleRule(x))
	}
	if max := limits.Max(limits.CodeBuildInputs); len(c.ExtraSources)+1 > max && !c.Build.None {
		p.add("extraSources", strconv.Itoa(len(c.ExtraSources)), fmt.Sprintf("the Build action reads the source and every extra source, %d artifacts; a CodeBuild action reads at most %d: keep at most %d extra sources, or combine them into one repository or archive",
			len(c.ExtraSources)+1, max, max-1))
	}
	c.otherBranchesRules(p)
}

// startRuleRule checks the name of the tooling account's EventBridge rule
// that starts the pipeline on an extra source of another account:
// <name>-Source_<extra source>-<account> (sourceaccount.ReceiverProps.StartRuleName),
// at most 64 characters
// (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html).
// The primary source's rule, <name>-Source-<account>, always fits.
func (c *Config) startRuleRule(x ExtraSource) string {
	account := ""
	switch {
	case x.S3 != nil:
		account = x.S3.Account
	case x.CodeCommit != nil:
		account = x.CodeCommit.Account
	}
	if account == "" || !values.EntryName(x.Name) {
		return ""
	}
	l := limits.ByID(limits.EventRuleName)
	rule := c.Name + "-Source_" + x.Name + "-" + account
	if len(rule) <= l.Max {
		return ""
	}
	return fmt.Sprintf("names the tooling account's rule that starts the pipeline on this source of account %s, %s (%d characters), and an EventBridge rule name has at most %d (%s): shorten extraSources[].name or name (together at most %d characters)",
		account, rule, len(rule), l.Max, l.Source, l.Max-len("-Source_-")-len(account))
}

// otherBranchesRules closes the branch path to approval-gated
// environments: a connection source whose triggers start the pipeline from
// pushes other than to its release branch (other branch patterns, or tags)
// is refused when an environment waits for an approval, a change-set
// review or an approval step (steps or environments[].steps), unless
// triggers.otherBranches gives a reason. Every execution shares one
// artifact store and one approval: a build of a feature branch would wait
// at the production approval like a release, and an approver could not
// tell them apart.
func (c *Config) otherBranchesRules(p *problems) {
	gated, via := -1, ""
	for i, e := range c.Environments {
		steps, paths := c.StepsOf(i)
		k := slices.IndexFunc(steps, func(s Step) bool { return s.Approval != nil })
		if e.Approval != nil || e.ReviewChangeSet || k >= 0 {
			gated = i
			if e.Approval == nil && !e.ReviewChangeSet {
				via = " (" + paths[k] + ".approval)"
			}
			break
		}
	}
	check := func(base string, src Source) {
		for k, g := range src.connections() {
			if g == nil || g.Triggers == nil {
				continue
			}
			path := base + "." + connectionKinds[k] + ".triggers"
			beyond := g.Triggers.beyond(g.Branch)
			ob := g.Triggers.OtherBranches
			switch {
			case ob != nil && len(beyond) == 0:
				p.add(path+".otherBranches", ob.Reason, fmt.Sprintf("applies only when the triggers start the pipeline from other branches or tags than %s; remove it", g.Branch))
			case ob != nil && gated < 0:
				p.add(path+".otherBranches", ob.Reason, "applies only to pipelines with an approval-gated environment (approval, reviewChangeSet or an approval step); remove it")
			case ob != nil && len(strings.TrimSpace(ob.Reason)) < 10:
				p.add(path+".otherBranches.reason", ob.Reason, "say why builds of those branches are safe to release, in at least 10 characters, such as \"release/* is protected: only release managers push to it\"")
			case ob == nil && len(beyond) > 0 && gated >= 0:
				e := c.Environments[gated]
				p.add(path, strings.Join(beyond, ","), fmt.Sprintf("starts the pipeline from pushes other than to the release branch %s, and environments[%d] %q waits for an approval%s: an approver could release a build of any of those branches; trigger on %s only, give other branches a pipeline of their own without approval-gated environments, or accept it with triggers.otherBranches.reason",
					g.Branch, gated, e.Name, via, g.Branch))
			}
		}
	}
	check("source", c.Source)
	for i, x := range c.ExtraSources {
		check(fmt.Sprintf("extraSources[%d]", i), x.Source)
	}
}

// beyond lists what in t starts the pipeline from other pushes than to the
// release branch: each branch pattern other than release itself, and tags
// (as plan.Triggers.Beyond does for the Go API).
func (t *Triggers) beyond(release string) []string {
	var out []string
	if t.Branches != nil {
		for _, b := range t.Branches.Includes {
			if b != release {
				out = append(out, b)
			}
		}
	}
	if t.Tags != nil && len(t.Tags.Includes)+len(t.Tags.Excludes) > 0 {
		out = append(out, "tags")
	}
	return out
}

// validateOneSource checks that src, written at base, sets exactly one kind,
// and that kind.
func (c *Config) validateOneSource(p *problems, base string, src Source) {
	if !sourceKindRule(p, base, src) {
		return
	}
	for k, g := range src.connections() {
		if g != nil {
			connectionSourceRules(p, base+"."+connectionKinds[k], connectionKinds[k], g, c.Tooling.Region)
		}
	}
	if b := src.S3; b != nil {
		s3SourceRules(p, base+".s3", b)
		if what := c.names().OwnBucket(b.Bucket); what != "" {
			p.add(base+".s3.bucket", b.Bucket, values.OwnBucketRule(what, "a build or publishing project could replace the object that the next execution starts from, outside the source's own control", "keep the source object in a versioned bucket of its own"))
		}
		if b.Account != "" {
			p.add(base+".s3.account", b.Account, sourceAccountRule(b.Account, c.Tooling.Account))
		}
		switch {
		case b.Account == "" && b.KMSKeyArn != "":
			p.add(base+".s3.kmsKeyArn", b.KMSKeyArn, "only a bucket of another account (account) takes kmsKeyArn; the pipeline role's access to a tooling-account key is the key policy's")
		case b.KMSKeyArn != "":
			p.add(base+".s3.kmsKeyArn", b.KMSKeyArn, sourceKeyRule(b.KMSKeyArn, b.Account, c.Tooling.Region))
		}
		if b.Account == "" && c.Audit == nil {
			// aws-cdk-lib's S3Trigger.EVENTS rule matches the PutObject,
			// CopyObject and CompleteMultipartUpload calls that CloudTrail
			// records: without a trail that records the bucket's write data
			// events, no upload starts the pipeline (S3SourceAction:
			// "only if there is a CloudTrail Trail in the account that
			// captures the S3 event").
			p.add(base+".s3.bucket", b.Bucket, "an upload starts the pipeline only through a CloudTrail trail of the tooling account that records the bucket's write data events, and there is none: add audit: {} (Relay's trail records it), or audit.organizationTrail naming a trail that does")
		}
		switch {
		case b.Account == "" && b.Trail != "":
			p.add(base+".s3.trail", b.Trail, "only a bucket of another account (account) takes trail; in the tooling account, record the bucket's data events with audit")
		case b.Trail != "" && !trailNameRE.MatchString(b.Trail):
			p.add(base+".s3.trail", b.Trail, "must be the name of a trail of the source account: 3 to 128 letters, digits, ., _ and -")
		}
	}
	if r := src.CodeCommit; r != nil {
		if !values.CodeCommitRepository(r.Repository) {
			p.add(base+".codecommit.repository", r.Repository, "must be a CodeCommit repository name of 1 to 100 letters, digits, ., _ and -")
		}
		rule := branchRule(r.Branch)
		if n := utf8.RuneCountInString(r.Branch); rule == "" && n > maxCodeCommitBranch {
			// No CodeCommit branch has a longer name: the source action
			// would fail at run time.
			p.add(base+".codecommit.branch", fmt.Sprintf("%d characters", n), fmt.Sprintf("a CodeCommit branch name has at most %d characters (%s); use a shorter branch name", maxCodeCommitBranch, codeCommitBranchSource))
		} else {
			v, rule := actionValue(r.Branch, rule, "use a shorter branch name")
			p.add(base+".codecommit.branch", v, rule)
		}
		if r.Account != "" {
			p.add(base+".codecommit.account", r.Account, sourceAccountRule(r.Account, c.Tooling.Account))
		}
	}
	if r := src.ECR; r != nil {
		if !values.ECRRepository(r.Repository) {
			p.add(base+".ecr.repository", r.Repository, "must be an ECR repository name such as payments/api")
		} else if a := c.Assets; a != nil && a.Images && r.Repository == c.names().AssetRepository() {
			p.add(base+".ecr.repository", r.Repository, values.OwnRepositoryRule("the pipeline's asset repository "+r.Repository, "watch a repository the releases are pushed to from outside the pipeline"))
		}
		if !values.ImageTag(r.Tag) {
			p.add(base+".ecr.tag", r.Tag, "must be an image tag of 1 to 128 letters, digits, _, . and -, such as latest")
		}
	}
}

// maxCodeCommitBranch is the longest name of a CodeCommit branch, as
// CodeCommit's API states it (BranchInfo's branchName: 1 to 256 characters,
// codeCommitBranchSource).
const (
	maxCodeCommitBranch    = 256
	codeCommitBranchSource = "https://docs.aws.amazon.com/codecommit/latest/APIReference/API_BranchInfo.html"
)

// sourceKindRule reports whether src sets exactly one kind of source, and
// records the problem when it does not.
func sourceKindRule(p *problems, base string, src Source) bool {
	var kinds []string
	for _, k := range []struct {
		name string
		set  bool
	}{{"github", src.GitHub != nil}, {"gitlab", src.GitLab != nil}, {"bitbucket", src.Bitbucket != nil},
		{"s3", src.S3 != nil}, {"codecommit", src.CodeCommit != nil}, {"ecr", src.ECR != nil}} {
		if k.set {
			kinds = append(kinds, k.name)
		}
	}
	switch len(kinds) {
	case 0:
		if base == "source" {
			p.add("source.github", "", "required; add source.github with repository and connectionArn (or gitlab, bitbucket, s3, codecommit or ecr)")
		} else {
			p.add(base, "", "set one of github, gitlab, bitbucket, s3, codecommit and ecr")
		}
		return false
	case 1:
		return true
	}
	p.add(base, strings.Join(kinds, ","), "set exactly one kind of source; move the others to extraSources")
	return false
}

// connectionSourceRules checks a GitHub, GitLab or Bitbucket source written
// at path.
func connectionSourceRules(p *problems, path, kind string, g *ConnectionSource, toolingRegion string) {
	rule := repositoryRule(g.Repository)
	if kind == "gitlab" && rule != "" && gitlabRepoRE.MatchString(g.Repository) {
		rule = ""
	}
	v, rule := actionValue(g.Repository, rule, "write the repository as owner/name")
	p.add(path+".repository", v, rule)
	v, rule = actionValue(g.Branch, branchRule(g.Branch), "use a shorter branch name")
	p.add(path+".branch", v, rule)
	if l, n := limits.ByID(limits.ConnectionARN), utf8.RuneCountInString(g.ConnectionArn); n > l.Max {
		// CodePipeline would take it (up to 1,000 characters), and the
		// source action would fail at run time: no connection has it.
		p.add(path+".connectionArn", fmt.Sprintf("%d characters", n), fmt.Sprintf("a connection ARN has at most %d characters (%s), so no connection has this one and the source action would fail; %s", l.Max, l.Source, l.Fix))
	} else {
		v, rule = actionValue(g.ConnectionArn, connectionRule(g.ConnectionArn, toolingRegion), "copy the ARN from the connection's settings")
		p.add(path+".connectionArn", v, rule)
	}
	if t := g.Triggers; t != nil {
		triggersRules(p, path+".triggers", t)
	}
}

// triggersRules checks the push filters of a connection source.
func triggersRules(p *problems, path string, t *Triggers) {
	for _, f := range []struct {
		name string
		f    *Filter
	}{{"branches", t.Branches}, {"tags", t.Tags}, {"filePaths", t.FilePaths}} {
		if f.f == nil {
			continue
		}
		for _, side := range []struct {
			name string
			v    []string
		}{{"includes", f.f.Includes}, {"excludes", f.f.Excludes}} {
			if len(side.v) > maxFilterPatterns {
				p.add(fmt.Sprintf("%s.%s.%s", path, f.name, side.name), strconv.Itoa(len(side.v)), fmt.Sprintf("has more than %d patterns; CodePipeline takes at most %d", maxFilterPatterns, maxFilterPatterns))
			}
			seen := map[string]bool{}
			for k, pat := range side.v {
				item := fmt.Sprintf("%s.%s.%s[%d]", path, f.name, side.name, k)
				switch {
				case strings.TrimSpace(pat) == "" || len(pat) > 255:
					p.add(item, pat, "must be a glob pattern of 1 to 255 characters, such as release/*")
				case values.TriggerPattern(pat, f.name != "filePaths") != "":
					// A line break used to reach the template, and CodePipeline
					// refused the pipeline; a branch or tag pattern with a
					// character git refuses in a ref name never matched a push.
					p.add(item, pat, values.TriggerPattern(pat, f.name != "filePaths"))
				case seen[pat]:
					// The pipeline's resource schema declares each pattern list
					// uniqueItems: CloudFormation refuses the pipeline ("array
					// items are not unique") (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-codepipeline-pipeline-gitbranchfiltercriteria.html).
					p.add(item, pat, "is listed twice; CloudFormation refuses a pipeline whose trigger lists a pattern twice (the list's items must be unique); remove one")
				}
				seen[pat] = true
			}
		}
	}
	p.add(path, strings.Join(t.filters(), ","), pushFilterRule(t))
}

// filters are the names of t's filters that list patterns.
func (t *Triggers) filters() []string {
	var out []string
	for _, f := range []struct {
		name string
		f    *Filter
	}{{"branches", t.Branches}, {"tags", t.Tags}, {"filePaths", t.FilePaths}} {
		if f.f != nil && len(f.f.Includes)+len(f.f.Excludes) > 0 {
			out = append(out, f.name)
		}
	}
	return out
}

// pushFilterRule checks that t is a push filter CodePipeline accepts: tags
// alone, branches alone, or branches with file paths. Source: AWS
// CodePipeline User Guide, "Add trigger with code push or pull request
// event types" (a push filter on tags takes no branches or file paths; file
// paths filter the pushes to branches).
func pushFilterRule(t *Triggers) string {
	for _, f := range []struct {
		name string
		f    *Filter
	}{{"branches", t.Branches}, {"tags", t.Tags}, {"filePaths", t.FilePaths}} {
		if f.f != nil && len(f.f.Includes)+len(f.f.Excludes) == 0 {
			return fmt.Sprintf("%s lists no patterns; add includes or excludes, or remove it", f.name)
		}
	}
	switch set := strings.Join(t.filters(), ","); set {
	case "":
		return "sets no filter; set branches, tags, or branches with filePaths, or remove triggers to start on every push to the branch"
	case "branches", "tags", "branches,filePaths":
		return ""
	case "filePaths":
		return "filePaths filter the pushes to branches: add branches beside them, such as branches: {includes: [main]}"
	default: // tags with branches, file paths or both
		return "CodePipeline takes tags alone, branches alone, or branches with filePaths in one push filter; to release from tags, keep only tags, else remove tags"
	}
}

var trailNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$`)

// sourceAccountRule checks the account of a source in another account.
func sourceAccountRule(account, tooling string) string {
	switch {
	case !values.IsAccount(account):
		return "must be the 12-digit ID of the account that owns the source"
	case account == tooling:
		return "is the tooling account: a source of the pipeline's own account needs no source role; remove account"
	}
	return ""
}

// sourceKeyRule checks the KMS key of a source bucket in account.
// kmsKeyIDRE matches a KMS key ID: a UUID, or mrk- and 32 hexadecimal
// digits for a multi-Region key
// (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-id).
var kmsKeyIDRE = regexp.MustCompile(`^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`)

func sourceKeyRule(s, account, region string) string {
	a, ok := parseARN(s)
	id, isKey := strings.CutPrefix(a.resource, "key/")
	switch {
	case !ok || a.service != "kms" || !isKey || !kmsKeyIDRE.MatchString(id):
		return "must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), not an alias"
	case a.account != account || a.region != region:
		return fmt.Sprintf("must be a key of the source account %s in the tooling region %s", account, region)
	}
	return ""
}

// s3SourceRules checks an S3 source written at path.
func s3SourceRules(p *problems, path string, b *S3Source) {
	p.add(path+".bucket", b.Bucket, bucketRule(b.Bucket))
	if b.Key == "" || strings.HasPrefix(b.Key, "/") || len(b.Key) > 1024 {
		p.add(path+".key", b.Key, "must be an object key of 1 to 1024 characters, not starting with /, such as releases/app.zip")
	} else if rule := values.PolicyTextRule(b.Key, "rename the object in those characters"); rule != "" {
		// The key is written into the pipeline's (and a source account
		// role's) policy, in the object's ARN.
		p.add(path+".key", b.Key, rule)
	} else if rule := values.S3SourceKeyRule(b.Key); rule != "" {
		// There IAM reads * and ? as wildcards.
		p.add(path+".key", b.Key, rule)
	} else {
		// S3's 1,024 bytes are more than CodePipeline's S3ObjectKey takes.
		v, rule := actionValue(b.Key, "", "use a shorter object key")
		p.add(path+".key", v, rule)
	}
	if !b.Versioned {
		p.add(path+".versioned", "false", "CodePipeline needs a versioned source bucket: turn versioning on for the bucket, then set versioned: true")
	}
}

func repositoryRule(s string) string {
	switch {
	case s == "":
		return "required; set the GitHub repository as owner/name, such as acme/payments"
	case !repoRE.MatchString(s):
		return "must be owner/name of letters, digits, '_', '.' and '-', such as acme/payments (not a URL)"
	}
	return ""
}

// connectionRule checks the ARN of a CodeConnections connection.
func connectionRule(s, toolingRegion string) string {
	if s == "" {
		return "required; set the ARN of an AVAILABLE CodeConnections connection in the tooling account"
	}
	a, ok := parseARN(s)
	id, isConnection := strings.CutPrefix(a.resource, "connection/")
	// An ARN is printable ASCII without spaces; a connection's ID is a
	// UUID (a line break here used to pass, and fail the release plan).
	printable := strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r > '~' }) < 0
	if !ok || !isConnection || id == "" || !printable {
		return "malformed connection ARN; copy it from the connection's settings: arn:<partition>:codeconnections:<region>:<account>:connection/<id>"
	}
	if a.service != "codeconnections" && a.service != "codestar-connections" {
		return fmt.Sprintf("service %q is not a connection service; use the ARN of a codeconnections (or codestar-connections) connection", a.service)
	}
	if rule := partitionRule(a.partition, toolingRegion, "use a connection in the tooling account"); rule != "" {
		return rule
	}
	if p, ok := Partition(a.region); !ok || p != a.partition {
		return fmt.Sprintf("region %q is not a region of partition %q; copy the ARN from the connection's settings", a.region, a.partition)
	}
	if !values.IsAccount(a.account) {
		return fmt.Sprintf("account %q is not 12 digits; copy the ARN from the connection's settings", a.account)
	}
	return ""
}
