// Package wiring reads a synthesized cloud assembly (manifest.json and the
// *.template.json files that `cdk synth` writes) and draws what it wires
// together across accounts: the accounts, regions and stacks, the IAM roles
// and who may assume them (trust, with the condition that pins it), who may
// read or write which KMS key and S3 bucket, and each CodePipeline stage and
// action with the account and region it runs in and the role it runs as.
//
// It reads templates, not Relay's configuration, so it shows what will be
// deployed, whoever built it: Relay's app, a team's stack built with Relay's
// constructs, or plain CDK. Intrinsic functions are resolved as far as the
// templates fix their values (Ref and Fn::GetAtt of roles, buckets, keys,
// projects and topics; Fn::Join, Fn::Sub, Fn::Select, Fn::Split,
// Fn::FindInMap; Fn::ImportValue of exports in the same assembly; nested
// stack parameters and outputs; AWS::Partition, AWS::AccountId and
// AWS::Region from the stack's environment aws://account/region). What they
// leave open (a generated name, a key ID, a parameter, an
// environment-agnostic stack's account) is shown as {what it is}, never
// guessed; a pattern is drawn as matching a role only when it matches
// whatever the open parts turn out to be.
//
// Read builds a Model; Mermaid and DOT render it. Pure Go: no jsii, no
// network, no AWS account.
package wiring

// Model is the wiring of one cloud assembly. Every list is sorted, so the
// same assembly always renders the same text.
type Model struct {
	// Accounts in which the assembly creates or names something: 12-digit
	// accounts by ID, then groups of accounts (organizational units of a
	// StackSet), then accounts that the templates do not fix.
	Accounts []*Account
	// Pipelines (AWS::CodePipeline::Pipeline), by stack and logical ID.
	Pipelines []*Pipeline
	// Subjects are the principals that are not one role: role-ARN
	// patterns, organizations, accounts, identity providers, anyone.
	Subjects []*Subject
	// Trusts: who may assume which role (sts:AssumeRole and its
	// WithWebIdentity and WithSAML forms), from the roles' trust policies.
	Trusts []*Trust
	// Grants: who may use which key or bucket, from key policies, bucket
	// policies and the roles' own policies.
	Grants []*Grant
	// Matches: roles whose ARN a pattern Subject matches.
	Matches []*Match
	// Notes say what the assembly holds that the model leaves out, and why
	// (a StackSet template that is not inline, an unreadable nested stack).
	Notes []string
}

// Account is one AWS account, a group of accounts, or an account the
// templates leave open.
type Account struct {
	// ID is the 12-digit account ID; empty for a group or an open account.
	ID string
	// OUs are the organizational units whose every account this stands for
	// (the targets of a service-managed StackSet).
	OUs []string
	// Open names the environment-agnostic stack whose account is not fixed.
	Open string
	// Stacks deployed to this account (StackSet instances included).
	Stacks []*Stack
	// External roles: named by templates (a principal, a policy attachment,
	// an action's role) but not created by any stack of the assembly.
	External []*Role
}

// Label is how the account is titled: "account 111111111111", "every
// account in ou-ab12-cd34ef56", "account not fixed (stack X is
// environment-agnostic)".
func (a *Account) Label() string {
	switch {
	case a.ID != "":
		return "account " + a.ID
	case len(a.OUs) > 0:
		return "every account in " + joinList(a.OUs)
	case a.Open != "":
		return "account not fixed (stack " + a.Open + " is environment-agnostic)"
	}
	return "account not resolved"
}

// Stack is one CloudFormation stack, nested stack, or the instances of a
// StackSet in one account or group of accounts.
type Stack struct {
	Name    string
	Account *Account
	// Region is empty when the template does not fix it, or when a StackSet
	// deploys to several (then Regions lists them).
	Region  string
	Regions []string
	// StackSet is set for StackSet instances: the StackSet's name;
	// DefinedIn is the stack whose template defines it.
	StackSet, DefinedIn string
	Roles               []*Role
	Keys                []*Key
	Buckets             []*Bucket
}

// Role is an IAM role (or user) that the assembly creates or names.
type Role struct {
	// Name and ARN as resolved ({...} parts are open; see Display).
	Name, ARN string
	// Stack and LogicalID: where the role is created; Stack is nil for an
	// external role.
	Stack     *Stack
	LogicalID string
	Account   *Account
	// User is true for an IAM user named as a principal.
	User bool
	// Services that may assume the role ("codebuild.amazonaws.com"), each
	// with its statement's conditions, as "service if Operator key value".
	Services []string
	// Trust is the role's trust policy; Policies its own permissions from
	// inline policies and AWS::IAM::Policy and ::ManagedPolicy resources of
	// the assembly.
	Trust, Policies []Statement
	// ManagedPolicyArns attached but not defined in the assembly (AWS
	// managed or customer managed elsewhere): their permissions are not
	// known here.
	ManagedPolicyArns []string
}

// External reports whether the role is not created by the assembly.
func (r *Role) External() bool { return r.Stack == nil }

// Key is a KMS key (AWS::KMS::Key) with its aliases.
type Key struct {
	ARN       string
	LogicalID string
	Stack     *Stack
	Aliases   []string
	Policy    []Statement
	// IAMEnabled: the key policy gives its own account full access, so
	// that IAM policies of that account decide (AWS's default key policy).
	IAMEnabled bool
	// Services the key policy admits, with their access
	// ("logs.amazonaws.com: read/write").
	Services []string

	aliasARNs []string
}

// Bucket is an S3 bucket with its policy and default encryption key.
type Bucket struct {
	Name, ARN string
	LogicalID string
	Stack     *Stack
	// Key is the SSE-KMS key of the bucket's default encryption, when the
	// assembly creates it.
	Key    *Key
	Policy []Statement
	// Services the bucket policy admits, with their access
	// ("logging.s3.amazonaws.com: write").
	Services []string
}

// Subject is a principal that is not one role: who a statement admits when
// it names a pattern, an organization or a whole account.
type Subject struct {
	// Kind is "pattern" (role ARNs matching Values), "organization"
	// (any principal in the organizations Values), "account" (any principal
	// of account Values[0] that its own IAM policies allow), "federated"
	// (web identity or SAML provider Values[0]), "canonical user" or
	// "anyone" (Principal "*" without a condition that narrows it).
	Kind   string
	Values []string
	// Narrowing conditions of a pattern: the principal's account must be
	// one of Accounts, its organization one of OrgIDs.
	Accounts, OrgIDs []string
	// Account is the account of an "account" subject.
	Account *Account
}

// Trust is one arrow "may assume": From (a role) or Subject may assume To.
type Trust struct {
	From    *Role
	Subject *Subject
	To      *Role
	// Pins are the conditions that narrow the statement's principal to
	// From or Subject (aws:PrincipalArn, aws:PrincipalOrgID,
	// aws:PrincipalAccount); Conditions are its other conditions.
	Pins, Conditions []Condition
	// MissingPermission: From's own policies do not allow sts:AssumeRole
	// on To, which a role needs when the trust names its account rather
	// than the role, or when To is in another account. Set only when From
	// is created by the assembly and has no managed policy defined elsewhere.
	MissingPermission bool
}

// Grant is one arrow "may use": From or Subject may use Key or Bucket.
type Grant struct {
	From    *Role
	Subject *Subject
	Key     *Key
	Bucket  *Bucket
	// Access is "read", "write", "read/write", "full", or the actions when
	// none of these fits ("kms:DescribeKey").
	Access string
	// Via is "key policy", "bucket policy" or "role policy".
	Via              string
	Pins, Conditions []Condition
}

// Match says that Subject's pattern matches Role's ARN (and account, when
// the subject names accounts).
type Match struct {
	Role    *Role
	Subject *Subject
}

// Pipeline is a CodePipeline pipeline and the role it runs as.
type Pipeline struct {
	Name      string
	LogicalID string
	Stack     *Stack
	Role      *Role
	// ArtifactStores, one per region, sorted by region.
	ArtifactStores []ArtifactStore
	Stages         []*Stage
}

// ArtifactStore is the bucket and key a pipeline keeps artifacts in, in
// one region; Bucket and Key are nil when the assembly does not create
// them (BucketName and KeyID then say what the template names).
type ArtifactStore struct {
	Region            string
	Bucket            *Bucket
	Key               *Key
	BucketName, KeyID string
}

// Stage is one pipeline stage, its actions in template order.
type Stage struct {
	Name    string
	Actions []*Action
	// BeforeEntry lists the rule providers of the stage's entry
	// conditions ("DeploymentWindow"); OnFailure the failure result
	// ("ROLLBACK"); Disabled and DisabledReason the inbound transition.
	BeforeEntry    []string
	OnFailure      string
	Disabled       bool
	DisabledReason string
}

// Action is one pipeline action, where it runs and as whom.
type Action struct {
	Name                      string
	Category, Owner, Provider string
	RunOrder                  int
	// Account and Region it runs in: the account of its role, the region
	// it names or the pipeline's.
	Account, Region string
	// Role it runs as: its RoleArn, or the pipeline's role when it names
	// none (then OwnRole is false).
	Role    *Role
	OwnRole bool
	// Untrusted: Role is created by the assembly and none of its trust
	// statements can admit the pipeline's role.
	Untrusted bool
	// NotAllowed: the pipeline's role is created by the assembly and its
	// own policies do not allow sts:AssumeRole on Role.
	NotAllowed bool
	// ExecutionRole is the role a CloudFormation action passes to
	// CloudFormation (configuration RoleArn); ProjectRole the service role
	// of a CodeBuild action's project.
	ExecutionRole, ProjectRole *Role
	// Targets of a StackSet action: its deployment targets and regions.
	Targets string
}
