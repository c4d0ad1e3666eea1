// Package sourceaccount reads a pipeline's sources from another account: a
// CodeCommit repository or a versioned S3 bucket owned by a source account,
// while the pipeline, its artifact store and its key stay in the tooling
// account.
//
// Three pieces, all with deterministic names so that each account's stack
// computes the other's ARNs without lookups:
//
//   - In the source account (New): the source role the pipeline assumes for
//     the source action (trusted by the tooling account for the pipeline
//     role only, an aws:PrincipalArn condition), allowed to read exactly the
//     repositories and objects named and to write the action's output into
//     the tooling artifact bucket with the artifact key; an EventBridge rule
//     per source that forwards its changes (a push to the branch, or an
//     upload of the object recorded by CloudTrail) to the tooling account's
//     default event bus, through a forwarder role; and, for S3, a CloudTrail
//     trail of the buckets' data events (package audit), unless an existing
//     trail is named.
//   - In the tooling account (NewReceiver): the default event bus's policy
//     statement admitting those rules only (aws:SourceArn), and per source a
//     rule that starts the pipeline, through a role that may start this
//     pipeline only.
//   - In the artifact store (artifacts.Writers): key and bucket grants that
//     let the source role write artifacts.
//
// The source account must also let the role use what it does not own
// through IAM alone: a KMS key that encrypts the source bucket must allow
// its account's IAM policies (the default key policy does), and a bucket
// policy must not deny the role.
package sourceaccount

import (
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// Repository is a branch of a CodeCommit repository in the source account.
type Repository struct {
	// Name is the repository name, 1 to 100 letters, digits, _, . and -
	// (https://docs.aws.amazon.com/codecommit/latest/APIReference/API_CreateRepository.html):
	// the source role may read this repository only, by its ARN, so
	// Validate refuses * and ?, which IAM would read as wildcards.
	// Required.
	Name string
	// Branch is the branch whose pushes start the pipeline. Required.
	Branch string
	// Rule names the EventBridge rules of this source: the source
	// account's forwarding rule, and with -<Account> appended the tooling
	// account's start rule (ReceiverProps.StartRuleName), each at most 64
	// characters (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html):
	// 1 to 51 letters, digits, ., - and _. Required.
	Rule string
}

// Object is an object key of a versioned S3 bucket in the source account.
type Object struct {
	// Bucket and Key name the object, which the source role may read only,
	// by its ARN: Bucket an S3 bucket name (3 to 63 lowercase letters,
	// digits, dots and hyphens,
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html),
	// Key 1 to 1,024 characters through U+00FF, not starting with /
	// (values.S3SourceKeyRule); Validate refuses * and ? in either, which
	// IAM would read as wildcards. Required.
	Bucket, Key string
	// KMSKeyArn is the ARN of the source account's KMS key that encrypts
	// the bucket (SSE-KMS), or "" for SSE-S3. The role may decrypt with
	// it through S3 only (kms:ViaService).
	KMSKeyArn string
	// Rule names the EventBridge rules of this source, as for Repository.
	Rule string
}

// Props configures the source account's resources.
type Props struct {
	// Partition, Region, Account: the source account and the pipeline's
	// region (a source action runs in the pipeline's region). Required.
	Partition, Region, Account string
	// ToolingAccount owns the pipeline, its role and its artifact store; it
	// must differ from Account. Required.
	ToolingAccount string
	// RoleName and RolePath name the source role (see naming.SourceRole).
	// Required.
	RoleName, RolePath string
	// ForwarderRoleName names the role the rules forward events with, at
	// RolePath. Required.
	ForwarderRoleName string
	// PipelineRoleArn is the only principal the source role trusts.
	// Required.
	PipelineRoleArn string
	// ArtifactBucket is the tooling artifact bucket's name; ArtifactKeyPattern
	// the ARN pattern of the tooling account's keys in Region (the key
	// policy admits this role by name). Required.
	ArtifactBucket, ArtifactKeyPattern string
	// Repositories and Objects are the sources. At least one of both.
	Repositories []Repository
	Objects      []Object
	// TrailName names the trail Relay creates for the Objects' data events;
	// ExistingTrail instead names a trail of the account that already
	// records them (write events of each Object), and none is created.
	// Exactly one of them when there are Objects.
	TrailName, ExistingTrail string
}

var (
	accountRE = regexp.MustCompile(`^[0-9]{12}$`)
	ruleRE    = regexp.MustCompile(`^[.\-_A-Za-z0-9]{1,51}$`)
	kmsKeyRE  = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/([0-9a-f-]{36}|mrk-[0-9a-f]{32})$`)
	trailRE   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$`)
)

// Validate reports every problem of p at once. It needs no jsii.
func (p *Props) Validate() error {
	var errs []error
	add := func(field, value, rule string) { errs = append(errs, fmt.Errorf("%s %q: %s", field, value, rule)) }
	if !accountRE.MatchString(p.Account) {
		add("Account", p.Account, "must be the 12-digit ID of the source account")
	}
	if !accountRE.MatchString(p.ToolingAccount) {
		add("ToolingAccount", p.ToolingAccount, "must be the 12-digit ID of the pipeline's account")
	} else if p.Account == p.ToolingAccount {
		add("Account", p.Account, "is the tooling account: a source of the pipeline's own account needs no source role, rules or trail; use it without a source account")
	}
	for _, f := range [][2]string{{"Partition", p.Partition}, {"Region", p.Region}, {"RoleName", p.RoleName}, {"RolePath", p.RolePath},
		{"ForwarderRoleName", p.ForwarderRoleName}, {"PipelineRoleArn", p.PipelineRoleArn}, {"ArtifactBucket", p.ArtifactBucket}, {"ArtifactKeyPattern", p.ArtifactKeyPattern}} {
		if f[1] == "" {
			add(f[0], "", "required")
		}
	}
	if len(p.Repositories)+len(p.Objects) == 0 {
		add("Repositories", "", "name at least one repository or object of the source account")
	}
	rules := map[string]bool{}
	rule := func(field, r string) {
		switch {
		case !ruleRE.MatchString(r):
			add(field, r, "must be 1 to 51 letters, digits, ., - and _ (an EventBridge rule name of at most 64 characters: the tooling account's rule appends -<source account>)")
		case rules[r]:
			add(field, r, "names the rule of another source; give each source its own")
		}
		rules[r] = true
	}
	for i, r := range p.Repositories {
		f := fmt.Sprintf("Repositories[%d]", i)
		if r.Name == "" || r.Branch == "" {
			add(f, r.Name+"@"+r.Branch, "Name and Branch are required")
		} else if !values.CodeCommitRepository(r.Name) {
			// The role may read the repository by its ARN
			// (ReadSourceRepositories), where IAM reads * and ? as
			// wildcards.
			add(f+".Name", r.Name, "must be a CodeCommit repository name of 1 to 100 letters, digits, ., _ and - (https://docs.aws.amazon.com/codecommit/latest/APIReference/API_CreateRepository.html); the source role may read the repository by its ARN, where * and ? would be IAM wildcards")
		}
		rule(f+".Rule", r.Rule)
	}
	for i, o := range p.Objects {
		f := fmt.Sprintf("Objects[%d]", i)
		if o.Bucket == "" || o.Key == "" {
			add(f, o.Bucket+"/"+o.Key, "Bucket and Key are required")
		} else {
			// The role may read the object by its ARN (ReadSourceObjects,
			// ReadSourceBuckets), where IAM reads * and ? as wildcards.
			if !values.BucketName(o.Bucket) {
				add(f+".Bucket", o.Bucket, "must be an S3 bucket name, 3 to 63 lowercase letters, digits, dots and hyphens (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html); the source role may read the object by its ARN, where * and ? would be IAM wildcards")
			}
			if rule := values.S3SourceKeyRule(o.Key); rule != "" {
				add(f+".Key", o.Key, rule)
			}
		}
		if o.KMSKeyArn != "" {
			if a := splitArn(o.KMSKeyArn); !kmsKeyRE.MatchString(o.KMSKeyArn) || a[3] != p.Region || a[4] != p.Account {
				add(f+".KMSKeyArn", o.KMSKeyArn, fmt.Sprintf("must be the ARN of a KMS key (not an alias) of the source account %s in %s", p.Account, p.Region))
			}
		}
		rule(f+".Rule", o.Rule)
	}
	switch {
	case len(p.Objects) > 0 && (p.TrailName == "") == (p.ExistingTrail == ""):
		add("TrailName", p.TrailName, "set exactly one of TrailName (Relay creates the trail of the buckets' data events) and ExistingTrail")
	case p.TrailName != "" && !trailRE.MatchString(p.TrailName):
		add("TrailName", p.TrailName, "must be 3 to 128 letters, digits, ., _ and -, starting with a letter or digit")
	case p.ExistingTrail != "" && !trailRE.MatchString(p.ExistingTrail):
		add("ExistingTrail", p.ExistingTrail, "must be a trail name of 3 to 128 letters, digits, ., _ and -")
	case len(p.Objects) == 0 && p.TrailName+p.ExistingTrail != "":
		add("TrailName", p.TrailName+p.ExistingTrail, "only S3 sources need a trail; remove it")
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("sourceaccount.Props: %w", errors.Join(errs...))
}

// splitArn is arn's six fields (missing ones empty).
func splitArn(arn string) [6]string {
	var out [6]string
	for i, j := 0, 0; i < 6; i++ {
		if i == 5 {
			out[i] = arn[j:]
			break
		}
		k := j
		for k < len(arn) && arn[k] != ':' {
			k++
		}
		out[i] = arn[j:k]
		if k == len(arn) {
			break
		}
		j = k + 1
	}
	return out
}

// Statement is one statement of a role's policy, in plain Go.
type Statement struct {
	Sid        string
	Actions    []string
	Resources  []string
	Conditions map[string]map[string][]string
	// Reason explains a wildcard resource, for cdk-nag.
	Reason string
}

// RoleArn is the source role's ARN.
func (p *Props) RoleArn() string {
	return fmt.Sprintf("arn:%s:iam::%s:role%s%s", p.Partition, p.Account, p.RolePath, p.RoleName)
}

// ForwarderRoleArn is the forwarder role's ARN.
func (p *Props) ForwarderRoleArn() string {
	return fmt.Sprintf("arn:%s:iam::%s:role%s%s", p.Partition, p.Account, p.RolePath, p.ForwarderRoleName)
}

// RepositoryArn is the ARN of repository name in the source account.
func (p *Props) RepositoryArn(name string) string {
	return fmt.Sprintf("arn:%s:codecommit:%s:%s:%s", p.Partition, p.Region, p.Account, name)
}

// RuleArn is the ARN of the forwarding rule named name (on the default
// bus) in the source account.
func (p *Props) RuleArn(name string) string {
	return fmt.Sprintf("arn:%s:events:%s:%s:rule/%s", p.Partition, p.Region, p.Account, name)
}

// ToolingBusArn is the tooling account's default event bus.
func (p *Props) ToolingBusArn() string {
	return fmt.Sprintf("arn:%s:events:%s:%s:event-bus/default", p.Partition, p.Region, p.ToolingAccount)
}

// RuleNames are the names of every source's rules, in order (repositories,
// then objects).
func (p *Props) RuleNames() []string {
	var out []string
	for _, r := range p.Repositories {
		out = append(out, r.Rule)
	}
	for _, o := range p.Objects {
		out = append(out, o.Rule)
	}
	return out
}

// Statements are the source role's statements: read the repositories
// (what the CodeCommit source action calls) and the objects (and decrypt
// them through S3 with their key), and write the action's output to the
// tooling artifact bucket with the artifact key. Nothing else: no
// iam:PassRole, no listing.
func (p *Props) Statements() []Statement {
	var out []Statement
	var repos, objects, buckets, keys []string
	for _, r := range p.Repositories {
		repos = append(repos, p.RepositoryArn(r.Name))
	}
	for _, o := range p.Objects {
		objects = append(objects, fmt.Sprintf("arn:%s:s3:::%s/%s", p.Partition, o.Bucket, o.Key))
		buckets = append(buckets, fmt.Sprintf("arn:%s:s3:::%s", p.Partition, o.Bucket))
		if o.KMSKeyArn != "" {
			keys = append(keys, o.KMSKeyArn)
		}
	}
	if len(repos) > 0 {
		out = append(out, Statement{Sid: "ReadSourceRepositories", Actions: []string{
			"codecommit:CancelUploadArchive", "codecommit:GetBranch", "codecommit:GetCommit",
			"codecommit:GetUploadArchiveStatus", "codecommit:UploadArchive",
		}, Resources: values.SortedUnique(repos)})
	}
	if len(objects) > 0 {
		out = append(out,
			Statement{Sid: "ReadSourceObjects", Actions: []string{"s3:GetObject", "s3:GetObjectVersion"}, Resources: values.SortedUnique(objects)},
			Statement{Sid: "ReadSourceBuckets", Actions: []string{"s3:GetBucketLocation", "s3:GetBucketVersioning"}, Resources: values.SortedUnique(buckets)})
	}
	if len(keys) > 0 {
		out = append(out, Statement{Sid: "DecryptSourceObjects", Actions: []string{"kms:Decrypt"}, Resources: values.SortedUnique(keys),
			Conditions: map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"s3." + p.Region + ".amazonaws.com"}}}})
	}
	out = append(out,
		Statement{Sid: "WriteSourceArtifacts", Actions: []string{"s3:PutObject"},
			Resources: []string{fmt.Sprintf("arn:%s:s3:::%s/*", p.Partition, p.ArtifactBucket)},
			Reason:    "The source action writes its output under a key CodePipeline generates in this pipeline's artifact bucket; the role may only write there."},
		Statement{Sid: "EncryptSourceArtifacts", Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"},
			Resources:  []string{p.ArtifactKeyPattern},
			Conditions: map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"s3." + p.Region + ".amazonaws.com"}}},
			Reason:     "A key ID is random; the artifact key's policy is what admits this role, and only through S3 (kms:ViaService). kms:Decrypt is needed for multipart uploads."},
	)
	return out
}

// ForwarderStatements are the forwarder role's statements: put events on
// the tooling account's default bus, nothing else.
func (p *Props) ForwarderStatements() []Statement {
	return []Statement{{Sid: "ForwardSourceEvents", Actions: []string{"events:PutEvents"}, Resources: []string{p.ToolingBusArn()}}}
}

// Patterns are the event patterns of each source's rule, by rule name: a
// push to the branch (CodeCommit creates or moves the branch reference), or
// a completed write of the object key recorded by CloudTrail (PutObject,
// CompleteMultipartUpload, CopyObject). Source: CodePipeline User Guide,
// "CodeCommit source actions and EventBridge" and "Amazon S3 source actions
// and EventBridge with AWS CloudTrail".
func (p *Props) Patterns() map[string]map[string]interface{} {
	out := map[string]map[string]interface{}{}
	for _, r := range p.Repositories {
		out[r.Rule] = map[string]interface{}{
			"source":      []string{"aws.codecommit"},
			"detail-type": []string{"CodeCommit Repository State Change"},
			"resources":   []string{p.RepositoryArn(r.Name)},
			"detail": map[string]interface{}{
				"event":         []string{"referenceCreated", "referenceUpdated"},
				"referenceType": []string{"branch"},
				"referenceName": []string{r.Branch},
			},
		}
	}
	for _, o := range p.Objects {
		out[o.Rule] = map[string]interface{}{
			"source":      []string{"aws.s3"},
			"detail-type": []string{"AWS API Call via CloudTrail"},
			"detail": map[string]interface{}{
				"eventSource": []string{"s3.amazonaws.com"},
				"eventName":   []string{"CompleteMultipartUpload", "CopyObject", "PutObject"},
				"requestParameters": map[string]interface{}{
					"bucketName": []string{o.Bucket},
					"key":        []string{o.Key},
				},
			},
		}
	}
	return out
}

// TrailBuckets are the buckets whose data events the trail records.
func (p *Props) TrailBuckets() []string {
	var out []string
	for _, o := range p.Objects {
		out = append(out, o.Bucket)
	}
	return values.SortedUnique(out)
}

// sortedRules are the rule names sorted.
func sortedRules(p *Props) []string { return slices.Sorted(slices.Values(p.RuleNames())) }
