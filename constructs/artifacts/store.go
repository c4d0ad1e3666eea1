// Package artifacts provides Store: the KMS key and S3 bucket that hold a
// pipeline's artifacts, with cross-account read grants whose size does not
// grow with the number of roles that use them.
package artifacts

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/hardening"
	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// Readers says which principals in other accounts may read artifacts.
//
// Grants never name a role ARN as principal: IAM, KMS and S3 reject a
// principal that does not exist yet and silently stop matching a role that
// is deleted and recreated. Instead the principal is the organization (any
// principal with aws:PrincipalOrgID) or the listed accounts, narrowed to
// the accounts that hold targets and by an ArnLike condition on
// aws:PrincipalArn.
type Readers struct {
	// OrganizationID, when set, admits principals of this AWS Organization
	// (aws:PrincipalOrgID), from the accounts under OrganizationalUnits
	// and the Accounts only. Default: "" (Accounts are the principals).
	OrganizationID string
	// OrganizationalUnits are the OUs (ou-...) whose accounts, at any
	// depth, may read: aws:PrincipalOrgPaths matches
	// <OrganizationID>/*/<OU>/*. With OrganizationID only. The policies
	// then keep one size however many accounts read. Default: none.
	OrganizationalUnits []string
	// Accounts are the account IDs whose roles may read (15 characters of
	// policy each). Default: none.
	Accounts []string
	// RoleArnPatterns are ArnLike patterns of the roles that may read, e.g.
	// arn:aws:iam::*:role/relay/payments/payments-*-deploy. Required when
	// OrganizationID or Accounts is set.
	RoleArnPatterns []string
}

// Writers are the roles of other accounts that may write artifacts: the
// source roles of sources in other accounts (package sourceaccount), whose
// source actions write their output to the store. As for Readers, the
// principals are the accounts, narrowed to exact role ARNs by an ArnEquals
// condition on aws:PrincipalArn.
type Writers struct {
	// Accounts are the writers' account IDs. Required with RoleArns.
	Accounts []string
	// RoleArns are the writer roles' exact ARNs (no wildcards). Required
	// with Accounts.
	RoleArns []string
}

// any reports whether any reader is configured.
func (r Readers) any() bool {
	return len(r.OrganizationalUnits) > 0 || len(r.Accounts) > 0
}

// Validate reports every problem of r at once.
func (r Readers) Validate() error {
	var errs []error
	if r.OrganizationID != "" && !r.any() {
		errs = append(errs, fmt.Errorf("Readers: OrganizationID %q alone would admit every account of the organization: name the OrganizationalUnits or Accounts that hold the reader roles", r.OrganizationID))
	}
	if len(r.OrganizationalUnits) > 0 && r.OrganizationID == "" {
		errs = append(errs, errors.New("Readers.OrganizationalUnits: need OrganizationID (aws:PrincipalOrgPaths starts with it)"))
	}
	for i, ou := range r.OrganizationalUnits {
		if !ouRE.MatchString(ou) {
			errs = append(errs, fmt.Errorf("Readers.OrganizationalUnits[%d] %q: must be an OU ID such as ou-ab12-cd34ef56", i, ou))
		}
	}
	if r.any() && len(r.RoleArnPatterns) == 0 {
		errs = append(errs, fmt.Errorf("Readers.RoleArnPatterns []: required when Readers names OUs or accounts; name the reader roles, e.g. arn:aws:iam::*:role/relay/NAME/*"))
	}
	// A pattern that is no role ARN matches no principal: the policies
	// would admit nobody, and a target of another App fails on its first run.
	for i, p := range r.RoleArnPatterns {
		if why := arns.CheckRolePattern(p, ""); why != "" {
			errs = append(errs, fmt.Errorf("Readers.RoleArnPatterns[%d] %q: %s", i, p, why))
		}
	}
	for i, a := range r.Accounts {
		if !values.IsAccount(a) {
			errs = append(errs, fmt.Errorf("Readers.Accounts[%d] %q: must be a 12-digit account ID", i, a))
		}
	}
	return errors.Join(errs...)
}

var ouRE = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)

// PrincipalScopes are the conditions and principal of each statement that
// admits r: one for the OUs (aws:PrincipalOrgPaths), one for the accounts
// (aws:PrincipalAccount within the organization, or the accounts as
// principals without one), each with the ArnLike condition on the role
// patterns. Every statement of a grant to readers repeats once per scope.
func (r Readers) PrincipalScopes() []Scope {
	arn := map[string]interface{}{"aws:PrincipalArn": values.OneOrMany(values.SortedUnique(r.RoleArnPatterns))}
	var out []Scope
	if len(r.OrganizationalUnits) > 0 {
		var paths []string
		for _, ou := range values.SortedUnique(r.OrganizationalUnits) {
			paths = append(paths, r.OrganizationID+"/*/"+ou+"/*")
		}
		out = append(out, Scope{Conditions: map[string]interface{}{
			"ArnLike":                arn,
			"StringEquals":           map[string]interface{}{"aws:PrincipalOrgID": r.OrganizationID},
			"ForAnyValue:StringLike": map[string]interface{}{"aws:PrincipalOrgPaths": values.OneOrMany(paths)},
		}})
	}
	if len(r.Accounts) > 0 {
		accounts := values.SortedUnique(r.Accounts)
		if r.OrganizationID != "" {
			out = append(out, Scope{Conditions: map[string]interface{}{
				"ArnLike":      arn,
				"StringEquals": map[string]interface{}{"aws:PrincipalOrgID": r.OrganizationID, "aws:PrincipalAccount": values.OneOrMany(accounts)},
			}})
		} else {
			out = append(out, Scope{Accounts: accounts, Conditions: map[string]interface{}{"ArnLike": arn}})
		}
	}
	return out
}

// Scope is one way readers are admitted: the principal (the Accounts'
// roots, or any principal when Accounts is empty) and the conditions.
type Scope struct {
	Accounts   []string
	Conditions map[string]interface{}
}

// Principal is the scope's principal.
func (s Scope) Principal() awsiam.IPrincipal {
	if len(s.Accounts) == 0 {
		return awsiam.NewAnyPrincipal()
	}
	ps := make([]awsiam.IPrincipal, len(s.Accounts))
	for i, a := range s.Accounts {
		ps[i] = awsiam.NewAccountPrincipal(jsii.String(a))
	}
	if len(ps) == 1 {
		return ps[0]
	}
	return awsiam.NewCompositePrincipal(ps...)
}

// StoreProps configures a Store. The zero value is valid and secure: a
// rotated, retained key; a versioned, retained, TLS-only, non-public bucket
// with access logs; no cross-account readers.
type StoreProps struct {
	// BucketName is the artifact bucket's physical name, 3 to 63
	// lowercase letters, digits, dots and hyphens (S3's bucket naming
	// rules). Default: generated by CloudFormation. Set it when other
	// accounts must compute the ARN.
	BucketName string
	// AccessLogBucketName is the name of the bucket that receives server
	// access logs, by the same rules. Default: generated by CloudFormation.
	AccessLogBucketName string
	// KeyAlias is the artifact key's alias, e.g. alias/relay/payments/artifacts:
	// alias/ then letters, digits and /_-, at most 256 characters, not
	// alias/aws/ (KMS CreateAlias). Default: no alias.
	KeyAlias string
	// NoncurrentVersionDays is how long overwritten artifact versions are
	// kept. Default: 30.
	NoncurrentVersionDays int
	// AccessLogDays is how long access logs are kept. Default: 365.
	AccessLogDays int
	// Readers are the cross-account principals that may read artifacts.
	// Default: none.
	Readers Readers
	// Writers are the cross-account roles that may write artifacts
	// (s3:PutObject, and kms:GenerateDataKey and kms:Decrypt on the key).
	// Default: none.
	Writers Writers
}

// Store is a KMS key and an artifact bucket encrypted with it.
type Store struct {
	constructs.Construct
	key       awskms.Key
	bucket    awss3.Bucket
	logBucket awss3.Bucket
	view      awss3.IBucket
	props     StoreProps // after defaults
	// account and region are the stack's, read once by Env.
	envOnce         sync.Once
	account, region string
}

// Validate reports every problem of p at once: the names (each within its
// AWS limit and alphabet, limits.CheckName; KeyAlias starts with alias/),
// the days, the Readers and the Writers. Nil props are the zero
// StoreProps, as NewStore takes them: valid.
func (p *StoreProps) Validate() error {
	if p == nil {
		return nil
	}
	var errs []error
	for _, n := range []struct{ field, name, id string }{
		{"BucketName", p.BucketName, limits.S3BucketName},
		{"AccessLogBucketName", p.AccessLogBucketName, limits.S3BucketName},
		{"KeyAlias", p.KeyAlias, limits.KMSAliasName},
	} {
		if n.name == "" || arns.IsToken(n.name) {
			continue
		}
		if why := limits.CheckName(n.id, n.name); why != "" {
			errs = append(errs, fmt.Errorf("%s %q: %s", n.field, n.name, why))
		}
	}
	if p.NoncurrentVersionDays < 0 {
		errs = append(errs, fmt.Errorf("NoncurrentVersionDays %d: must be 0 (default 30) or more", p.NoncurrentVersionDays))
	}
	if p.AccessLogDays < 0 {
		errs = append(errs, fmt.Errorf("AccessLogDays %d: must be 0 (default 365) or more", p.AccessLogDays))
	}
	if err := p.Readers.Validate(); err != nil {
		errs = append(errs, err)
	}
	if (len(p.Writers.Accounts) == 0) != (len(p.Writers.RoleArns) == 0) {
		errs = append(errs, fmt.Errorf("Writers: Accounts %v and RoleArns %v: set both or neither", p.Writers.Accounts, p.Writers.RoleArns))
	}
	for i, a := range p.Writers.RoleArns {
		if strings.ContainsAny(a, "*?") || !strings.HasPrefix(a, "arn:") || !strings.Contains(a, ":role/") {
			errs = append(errs, fmt.Errorf("Writers.RoleArns[%d] %q: must be an exact IAM role ARN", i, a))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("artifacts.StoreProps: %w", errors.Join(errs...))
}

// NewStore creates the key, the artifact bucket and its access-log bucket.
// It panics with every problem of props listed when props are invalid; call
// props.Validate first to handle the error yourself. A nil scope panics
// naming the constructor; nil props are the zero StoreProps.
func NewStore(scope constructs.Construct, id string, props *StoreProps) *Store {
	if scope == nil {
		panic(errors.New("artifacts.NewStore: scope: nil; pass the stack (or a construct in it) that holds the store"))
	}
	if props == nil {
		props = &StoreProps{}
	}
	if err := props.Validate(); err != nil {
		panic(err)
	}
	p := *props
	if p.NoncurrentVersionDays == 0 {
		p.NoncurrentVersionDays = 30
	}
	if p.AccessLogDays == 0 {
		p.AccessLogDays = 365
	}

	s := &Store{Construct: constructs.NewConstruct(scope, &id), props: p}
	// Access logs are delivered under a bucket policy, not an ACL: the log
	// bucket keeps ACLs disabled (BucketOwnerEnforced).
	s.Node().SetContext(jsii.String("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"), true)

	keyProps := &awskms.KeyProps{
		Description:       jsii.String("Encrypts CodePipeline artifacts; readable by the pipeline's target roles"),
		EnableKeyRotation: jsii.Bool(true),
		PendingWindow:     awscdk.Duration_Days(jsii.Number(30)),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	}
	if p.KeyAlias != "" {
		keyProps.Alias = jsii.String(p.KeyAlias)
	}
	s.key = awskms.NewKey(s.Construct, jsii.String("Key"), keyProps)
	hardening.DenyGrants(s.key)

	s.logBucket = hardening.AccessLogBucket(s.Construct, "AccessLogs", p.AccessLogBucketName, p.AccessLogDays)

	s.bucket = awss3.NewBucket(s.Construct, jsii.String("Bucket"), &awss3.BucketProps{
		BucketName:             values.Optional(p.BucketName),
		Encryption:             awss3.BucketEncryption_KMS,
		EncryptionKey:          s.key,
		BucketKeyEnabled:       jsii.Bool(true),
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:             jsii.Bool(true),
		MinimumTLSVersion:      jsii.Number(1.2),
		ObjectOwnership:        awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		Versioned:              jsii.Bool(true),
		RemovalPolicy:          awscdk.RemovalPolicy_RETAIN,
		ServerAccessLogsBucket: s.logBucket,
		ServerAccessLogsPrefix: jsii.String("artifacts/"),
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("ExpireOldArtifactVersions"),
			NoncurrentVersionExpiration:         awscdk.Duration_Days(jsii.Number(float64(p.NoncurrentVersionDays))),
			AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(7)),
			ExpiredObjectDeleteMarker:           jsii.Bool(true),
		}},
	})

	s.suppressions()
	keyIDs := []*string{s.key.KeyArn()}
	if p.KeyAlias != "" {
		keyIDs = append(keyIDs, AliasArn(p.KeyAlias))
	}
	for _, st := range uploadGuards(s.bucket.BucketArn(), keyIDs) {
		s.bucket.AddToResourcePolicy(st)
	}
	// The key and bucket statements share their principals: without an
	// organization that is one AccountPrincipal per account, built once.
	scopes, principals := readerScopes(p.Readers)
	for _, st := range readerKeyStatements(scopes, principals) {
		s.key.AddToResourcePolicy(st, jsii.Bool(false))
	}
	for _, st := range readerBucketStatements(scopes, principals, s.bucket.BucketArn()) {
		s.bucket.AddToResourcePolicy(st)
	}
	if len(p.Writers.RoleArns) > 0 {
		s.key.AddToResourcePolicy(WriterKeyStatement(p.Writers), jsii.Bool(false))
		s.bucket.AddToResourcePolicy(WriterBucketStatement(p.Writers, s.bucket.BucketArn()))
	}

	// The pipeline gets a view of the bucket and key whose grants add nothing
	// to their resource policies. The L2 Pipeline grants every cross-account
	// action role on the bucket and key; through this view those grants fall
	// away, and the Readers statements above cover them at a fixed size.
	s.view = awss3.Bucket_FromBucketAttributes(s.Construct, jsii.String("PipelineView"), &awss3.BucketAttributes{
		BucketArn:     s.bucket.BucketArn(),
		BucketName:    s.bucket.BucketName(),
		EncryptionKey: awskms.Key_FromKeyArn(s.Construct, jsii.String("PipelineKeyView"), s.key.KeyArn()),
	})
	return s
}

// Key is the KMS key that encrypts every artifact.
func (s *Store) Key() awskms.Key { return s.key }

// Bucket is the artifact bucket.
func (s *Store) Bucket() awss3.Bucket { return s.bucket }

// AccessLogBucket receives the artifact bucket's server access logs.
func (s *Store) AccessLogBucket() awss3.Bucket { return s.logBucket }

// PipelineBucket is the bucket to pass to a codepipeline.Pipeline as its
// artifact bucket: grants made through it change no resource policy, so
// cross-account actions do not grow the bucket or key policy. Grant the
// pipeline's own role through Bucket and Key.
func (s *Store) PipelineBucket() awss3.IBucket { return s.view }

// ReaderKeyStatements are the key policy statements that let readers
// decrypt artifacts, one per scope (Readers.PrincipalScopes).
func ReaderKeyStatements(r Readers) []awsiam.PolicyStatement {
	return readerKeyStatements(readerScopes(r))
}

// ReaderBucketStatements are the bucket policy statements that let readers
// get artifacts from the bucket whose ARN is bucketArn, one per scope.
func ReaderBucketStatements(r Readers, bucketArn *string) []awsiam.PolicyStatement {
	scopes, principals := readerScopes(r)
	return readerBucketStatements(scopes, principals, bucketArn)
}

// readerScopes are r's scopes and each scope's principal, as IAM JSON.
func readerScopes(r Readers) ([]Scope, []interface{}) {
	scopes := r.PrincipalScopes()
	principals := make([]interface{}, len(scopes))
	for i, sc := range scopes {
		principals[i] = sc.principalJSON()
	}
	return scopes, principals
}

// principalJSON is the scope's Principal element, rendered as Principal
// renders it: {"AWS": "*"}, or the accounts' roots
// arn:<partition>:iam::<account>:root (one as a string, several as a
// list), with the stack's partition.
func (s Scope) principalJSON() interface{} {
	if len(s.Accounts) == 0 {
		return map[string]interface{}{"AWS": "*"}
	}
	roots := make([]string, len(s.Accounts))
	for i, a := range s.Accounts {
		roots[i] = "arn:" + partitionToken() + ":iam::" + a + ":root"
	}
	return map[string]interface{}{"AWS": values.OneOrMany(roots)}
}

var (
	partitionOnce sync.Once
	partition     string
)

// partitionToken is the token of AWS::Partition (one jsii call per
// process).
func partitionToken() string {
	partitionOnce.Do(func() { partition = *awscdk.Aws_PARTITION() })
	return partition
}

func readerKeyStatements(scopes []Scope, principals []interface{}) []awsiam.PolicyStatement {
	return readerStatements(scopes, principals, "ReadArtifactsFromTargetRoles", []string{"kms:Decrypt", "kms:DescribeKey"}, []string{"*"})
}

func readerBucketStatements(scopes []Scope, principals []interface{}, bucketArn *string) []awsiam.PolicyStatement {
	return readerStatements(scopes, principals, "ReadArtifactsFromTargetRoles", []string{"s3:GetObject", "s3:GetObjectVersion", "s3:GetBucketLocation", "s3:ListBucket"},
		[]string{*bucketArn, *bucketArn + "/*"})
}

// readerStatements are one statement per scope, each made from its IAM JSON
// in one jsii call (a principal per account would be one more call each).
func readerStatements(scopes []Scope, principals []interface{}, sid string, actions []string, resources []string) []awsiam.PolicyStatement {
	var out []awsiam.PolicyStatement
	for i, sc := range scopes {
		id := sid
		if i > 0 {
			id = fmt.Sprintf("%s%d", sid, i+1)
		}
		out = append(out, awsiam.PolicyStatement_FromJson(map[string]interface{}{
			"Sid":       id,
			"Effect":    "Allow",
			"Principal": principals[i],
			"Action":    values.OneOrMany(actions),
			"Resource":  values.OneOrMany(resources),
			"Condition": sc.Conditions,
		}))
	}
	return out
}

// WriterKeyStatement is the key policy statement that lets writers encrypt
// artifacts (kms:Decrypt too: S3 needs it for multipart uploads).
func WriterKeyStatement(w Writers) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("WriteArtifactsFromSourceRoles"),
		Principals: &[]awsiam.IPrincipal{accountsPrincipal(w.Accounts)},
		Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{"ArnEquals": map[string]interface{}{"aws:PrincipalArn": values.OneOrMany(values.SortedUnique(w.RoleArns))}},
	})
}

// WriterBucketStatement is the bucket policy statement that lets writers put
// artifacts into the bucket whose ARN is bucketArn (the upload guards still
// require the artifact key).
func WriterBucketStatement(w Writers, bucketArn *string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("WriteArtifactsFromSourceRoles"),
		Principals: &[]awsiam.IPrincipal{accountsPrincipal(w.Accounts)},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  &[]*string{awscdk.Fn_Join(jsii.String(""), &[]*string{bucketArn, jsii.String("/*")})},
		Conditions: &map[string]interface{}{"ArnEquals": map[string]interface{}{"aws:PrincipalArn": values.OneOrMany(values.SortedUnique(w.RoleArns))}},
	})
}

// accountsPrincipal is the accounts as one principal.
func accountsPrincipal(accounts []string) awsiam.IPrincipal {
	accounts = values.SortedUnique(accounts)
	ps := make([]awsiam.IPrincipal, len(accounts))
	for i, a := range accounts {
		ps[i] = awsiam.NewAccountPrincipal(jsii.String(a))
	}
	if len(ps) == 1 {
		return ps[0]
	}
	return awsiam.NewCompositePrincipal(ps...)
}

// uploadGuards deny writes that would not be encrypted with the artifact
// key. S3 compares the condition key
// s3:x-amz-server-side-encryption-aws-kms-key-id with the key identifier as
// the request names it
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms),
// and the services that upload name the key as they were told: CodeBuild by
// its project's EncryptionKey (a key ARN here), CodePipeline by its artifact
// store's EncryptionKey.Id, which for a replica store in another region is
// the key's alias ARN (the key ID is generated in another stack)
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-encryptionkey.html).
// So the guard admits each identifier of this one key, keyIDs: its ARN and
// its alias ARN. The alias can be pointed elsewhere only by the store's own
// account, which also owns this policy.
func uploadGuards(bucketArn *string, keyIDs []*string) []awsiam.PolicyStatement {
	objects := awscdk.Fn_Join(jsii.String(""), &[]*string{bucketArn, jsii.String("/*")})
	var ids interface{} = keyIDs
	if len(keyIDs) == 1 {
		ids = keyIDs[0]
	}
	return []awsiam.PolicyStatement{
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("DenyUploadsWithoutKms"),
			Effect:     awsiam.Effect_DENY,
			Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
			Actions:    jsii.Strings("s3:PutObject"),
			Resources:  &[]*string{objects},
			Conditions: &map[string]interface{}{
				"StringNotEquals": map[string]interface{}{"s3:x-amz-server-side-encryption": "aws:kms"},
			},
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("DenyUploadsWithAnotherKey"),
			Effect:     awsiam.Effect_DENY,
			Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
			Actions:    jsii.Strings("s3:PutObject"),
			Resources:  &[]*string{objects},
			Conditions: &map[string]interface{}{
				"StringNotEqualsIfExists": map[string]interface{}{"s3:x-amz-server-side-encryption-aws-kms-key-id": ids},
			},
		}),
	}
}

// AliasArn is the ARN of the KMS alias named alias (alias/...) in the
// account and region of the stack it is used in, as a token:
// arn:<partition>:kms:<region>:<account>:<alias>.
func AliasArn(alias string) *string {
	return awscdk.Fn_Join(jsii.String(""), &[]*string{
		jsii.String("arn:"), awscdk.Aws_PARTITION(), jsii.String(":kms:"), awscdk.Aws_REGION(), jsii.String(":"), awscdk.Aws_ACCOUNT_ID(), jsii.String(":" + alias),
	})
}

// accessLogEncryption is why the access-log bucket is SSE-S3.
const accessLogEncryption = "S3 delivers server access logs only to a target bucket whose default encryption is SSE-S3 (AES256); SSE-KMS is not supported for log delivery (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html). The bucket holds only the artifact bucket's access logs: TLS-only, not public, versioned, expired by lifecycle."

// suppressions records the findings the store's buckets raise on purpose.
func (s *Store) suppressions() {
	hardening.EventBridgeNotifications(s.bucket)
	hardening.EventBridgeNotifications(s.logBucket)
	nag.Suppress(s.logBucket,
		nag.Suppression{Rule: "NIST.800.53.R5-S3DefaultEncryptionKMS", Reason: accessLogEncryption},
		nag.Suppression{Rule: "PCI.DSS.321-S3DefaultEncryptionKMS", Reason: accessLogEncryption},
		nag.Suppression{Rule: "HIPAA.Security-S3DefaultEncryptionKMS", Reason: accessLogEncryption},
	)
	nag.Replication(s.logBucket, "The artifact bucket's server access logs: S3 stores them redundantly across Availability Zones, versioned, and expires them by lifecycle; a copy in another account or region is the organization's log-archive decision, not one pipeline's.")
	nag.Replication(s.bucket, "Pipeline artifacts are intermediate outputs that an execution rebuilds from its source revision, and expire with their noncurrent versions; where an action runs in another region, CodePipeline copies them to that region's artifact store itself (the per-region replica stores).")
}
