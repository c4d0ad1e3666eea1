// Package assets provides what a workload's assets (Lambda code, files and
// container images built by the pipeline) need to deploy into accounts that
// have never been bootstrapped: Store, the asset bucket and image
// repository of one region in the tooling account, readable by exactly the
// target accounts' roles that deploy them; NewSynthesizer, the stack
// synthesizer a CDK workload app uses so that its templates name those
// stores; and PublishBuildSpec, the publish step of the pipeline's Assets
// stage.
//
// Relay owns the stores, so a target account needs no CDK bootstrap for its
// workload, and an account of an organizational unit (which is never
// bootstrapped) deploys code from them too: Lambda reads a function's code
// from an S3 bucket in the same region, in any account
// (https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCode.html),
// with the credentials of the caller (the CloudFormation execution role).
package assets

import (
	"errors"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/hardening"
	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// Readers are the principals of other accounts that read one region's
// assets. Grants never name a role as principal (IAM rejects one that does
// not exist yet): the principal is the accounts (or any principal of the
// organization), narrowed by an ArnLike condition on aws:PrincipalArn and,
// in an organization, by the OUs or accounts that hold the roles: any
// member account could create a role that matches the pattern.
type Readers struct {
	// Accounts are the target accounts that deploy in the store's region.
	// Their roles matching RoleArns read files; any of their principals
	// that their own policies allow (ECS task execution roles, the caller
	// creating a Lambda function) pulls images, and so does the Lambda
	// service for functions in these accounts and region.
	Accounts []string
	// OrganizationID, when set, admits the roles matching RoleArns from
	// the organization's accounts under OrganizationalUnits
	// (aws:PrincipalOrgPaths: StackSets into organizational units, whose
	// accounts are not known at synth) and from Accounts
	// (aws:PrincipalAccount), each in a statement of its own; never from
	// the whole organization, so it needs OrganizationalUnits or Accounts.
	// Default: none.
	OrganizationID string
	// OrganizationalUnits are the OUs (ou-...) of OrganizationID whose
	// accounts, at any depth, read files. Default: none.
	OrganizationalUnits []string
	// AccountsInOrganizationalUnits says that every account of Accounts is
	// under OrganizationalUnits: the OUs' statement then admits them, the
	// policy keeps one size for any number of accounts, and Accounts only
	// pull images. Default: false (Accounts get a statement of their own).
	AccountsInOrganizationalUnits bool
	// RoleArns are the ARNs (or ArnLike patterns) of the roles that read
	// files: each account environment's CloudFormation execution role, a
	// StackSet's execution roles. At least one when Accounts or
	// OrganizationID is set.
	RoleArns []string
}

// StoreProps configures a Store. The zero value is valid: a retained,
// versioned, TLS-only, non-public bucket and no readers.
type StoreProps struct {
	// BucketName is the asset bucket's name. Default: generated.
	BucketName string
	// RepositoryName, when set, creates an image repository of that name.
	// Default: no repository (files only).
	RepositoryName string
	// AccessLogs receives the bucket's server access logs under assets/.
	// Default: none (cdk-nag's S1 then reports the bucket).
	AccessLogs awss3.IBucket
	// Readers read the assets. Default: none.
	Readers Readers
}

// Validate reports every problem of p at once.
func (p *StoreProps) Validate() error {
	var errs []error
	r := p.Readers
	if (len(r.Accounts) > 0 || r.OrganizationID != "") && len(r.RoleArns) == 0 {
		errs = append(errs, errors.New("Readers.RoleArns []: required with Accounts or OrganizationID; name the roles that deploy the assets"))
	}
	for i, a := range r.Accounts {
		if !values.IsAccount(a) {
			errs = append(errs, fmt.Errorf("Readers.Accounts[%d] %q: must be a 12-digit account ID", i, a))
		}
	}
	for i, ou := range r.OrganizationalUnits {
		if !values.OrganizationalUnitID(ou) {
			errs = append(errs, fmt.Errorf("Readers.OrganizationalUnits[%d] %q: must be an OU ID such as ou-ab12-cd34ef56", i, ou))
		}
	}
	switch {
	case r.OrganizationID != "" && len(r.OrganizationalUnits) == 0 && len(r.Accounts) == 0:
		errs = append(errs, fmt.Errorf("Readers.OrganizationID %q: alone would admit a matching role of any account of the organization, which any member account's administrator can create; name the OUs (OrganizationalUnits) or the accounts (Accounts) that hold the readers", r.OrganizationID))
	case r.OrganizationID == "" && len(r.OrganizationalUnits) > 0:
		errs = append(errs, fmt.Errorf("Readers.OrganizationalUnits %q: need OrganizationID, the organization whose paths hold them", r.OrganizationalUnits))
	}
	if r.AccountsInOrganizationalUnits && len(r.OrganizationalUnits) == 0 {
		errs = append(errs, errors.New("Readers.AccountsInOrganizationalUnits: needs OrganizationalUnits that hold the accounts"))
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("assets.StoreProps: %w", errors.Join(errs...))
}

// Store is one region's asset bucket and, optionally, image repository.
type Store struct {
	constructs.Construct
	bucket awss3.Bucket
	repo   awsecr.Repository
}

// FileReadActions are what a reader may do with the asset bucket.
var FileReadActions = []string{"s3:GetObject", "s3:GetObjectVersion"}

// ImagePullActions are what a reader may do with the image repository
// (besides ecr:GetAuthorizationToken in its own account).
var ImagePullActions = []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}

// NewStore creates the bucket (SSE-S3: a reader needs the bucket policy
// and its own policy, no key grant in every account) and the repository
// (immutable tags: a tag is a content hash; scanned on push). It panics
// when props are invalid; call props.Validate first to handle the error.
func NewStore(scope constructs.Construct, id string, props *StoreProps) *Store {
	if props == nil {
		props = &StoreProps{}
	}
	if err := props.Validate(); err != nil {
		panic(err)
	}
	p := *props
	s := &Store{Construct: constructs.NewConstruct(scope, &id)}
	bp := &awss3.BucketProps{
		BucketName:        values.Optional(p.BucketName),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		MinimumTLSVersion: jsii.Number(1.2),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		Versioned:         jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("AbortIncompleteUploads"),
			AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(7)),
		}},
	}
	if p.AccessLogs != nil {
		bp.ServerAccessLogsBucket, bp.ServerAccessLogsPrefix = p.AccessLogs, jsii.String("assets/")
	}
	s.bucket = awss3.NewBucket(s.Construct, jsii.String("Bucket"), bp)
	if p.AccessLogs == nil {
		nag.Suppress(s.bucket, nag.Suppression{Rule: "AwsSolutions-S1", Reason: "No access-log bucket was given to this asset store (assets.StoreProps.AccessLogs)."})
	}
	hardening.EventBridgeNotifications(s.bucket)
	nag.Each(s.bucket, "SSE-S3 so that the readers in every target account (the CloudFormation execution roles, and Lambda, which reads a function's code with the caller's credentials) need no grant on a key of the tooling account; the bucket policy admits exactly those roles, TLS-only, no public access, versioned.",
		"NIST.800.53.R5-S3DefaultEncryptionKMS", "PCI.DSS.321-S3DefaultEncryptionKMS", "HIPAA.Security-S3DefaultEncryptionKMS")
	nag.Replication(s.bucket, "Workload assets are build outputs keyed by their content hash, which the Assets stage (or the build) publishes again from the source revision; every region deployed to has its own store, published by the pipeline, so a cross-region copy would duplicate what the pipeline already writes.")
	r := p.Readers
	for _, sc := range readerScopes(r) {
		s.bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String(sc.sid),
			Principals: &[]awsiam.IPrincipal{sc.principal},
			Actions:    jsii.Strings(FileReadActions...),
			Resources:  &[]*string{s.bucket.ArnForObjects(jsii.String("*"))},
			Conditions: &sc.conditions,
		}))
	}
	if p.RepositoryName != "" {
		s.repo = awsecr.NewRepository(s.Construct, jsii.String("Repository"), &awsecr.RepositoryProps{
			RepositoryName:     jsii.String(p.RepositoryName),
			ImageScanOnPush:    jsii.Bool(true),
			ImageTagMutability: awsecr.TagMutability_IMMUTABLE,
			RemovalPolicy:      awscdk.RemovalPolicy_RETAIN,
		})
		if len(r.Accounts) > 0 {
			accounts := values.SortedUnique(r.Accounts)
			var principals []awsiam.IPrincipal
			var functions []string
			region := *awscdk.Stack_Of(s.Construct).Region()
			partition := *awscdk.Stack_Of(s.Construct).Partition()
			for _, a := range accounts {
				principals = append(principals, awsiam.NewAccountPrincipal(jsii.String(a)))
				functions = append(functions, fmt.Sprintf("arn:%s:lambda:%s:%s:function:*", partition, region, a))
			}
			s.repo.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:        jsii.String("PullFromTargetAccounts"),
				Principals: &principals,
				Actions:    jsii.Strings(ImagePullActions...),
			}))
			// Lambda pulls a function's image with its service principal
			// (https://docs.aws.amazon.com/lambda/latest/dg/images-create.html#configuration-images-xaccount-permissions).
			s.repo.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:        jsii.String("LambdaPullForTargetAccounts"),
				Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)},
				Actions:    jsii.Strings("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"),
				Conditions: &map[string]interface{}{"StringLike": map[string]interface{}{"aws:sourceArn": values.OneOrMany(functions)}},
			}))
		}
	}
	return s
}

// readerScope is one statement's principal and conditions of the
// file readers.
type readerScope struct {
	sid        string
	principal  awsiam.IPrincipal
	conditions map[string]interface{}
}

// readerScopes are the statements that admit r's file readers, each
// pinning the reader roles (ArnLike aws:PrincipalArn): without an
// organization, the accounts as principals; in one, any principal of the
// accounts under the OUs (aws:PrincipalOrgPaths, ReadAssets) and of the
// accounts not known to be under them (aws:PrincipalAccount,
// ReadAssetsFromAccounts beside the OUs' statement).
func readerScopes(r Readers) []readerScope {
	arn := map[string]interface{}{"aws:PrincipalArn": values.OneOrMany(values.SortedUnique(r.RoleArns))}
	accounts := values.SortedUnique(r.Accounts)
	if r.OrganizationID == "" {
		if len(accounts) == 0 {
			return nil
		}
		var ps []awsiam.IPrincipal
		for _, a := range accounts {
			ps = append(ps, awsiam.NewAccountPrincipal(jsii.String(a)))
		}
		principal := ps[0]
		if len(ps) > 1 {
			principal = awsiam.NewCompositePrincipal(ps...)
		}
		return []readerScope{{"ReadAssets", principal, map[string]interface{}{"ArnLike": arn}}}
	}
	var out []readerScope
	if len(r.OrganizationalUnits) > 0 {
		var paths []string
		for _, ou := range values.SortedUnique(r.OrganizationalUnits) {
			paths = append(paths, r.OrganizationID+"/*/"+ou+"/*")
		}
		out = append(out, readerScope{"ReadAssets", awsiam.NewAnyPrincipal(), map[string]interface{}{
			"ArnLike":                arn,
			"StringEquals":           map[string]interface{}{"aws:PrincipalOrgID": r.OrganizationID},
			"ForAnyValue:StringLike": map[string]interface{}{"aws:PrincipalOrgPaths": values.OneOrMany(paths)},
		}})
	}
	if len(accounts) > 0 && !(len(out) > 0 && r.AccountsInOrganizationalUnits) {
		sid := "ReadAssets"
		if len(out) > 0 {
			sid = "ReadAssetsFromAccounts"
		}
		out = append(out, readerScope{sid, awsiam.NewAnyPrincipal(), map[string]interface{}{
			"ArnLike":      arn,
			"StringEquals": map[string]interface{}{"aws:PrincipalOrgID": r.OrganizationID, "aws:PrincipalAccount": values.OneOrMany(accounts)},
		}})
	}
	return out
}

// Bucket is the asset bucket.
func (s *Store) Bucket() awss3.Bucket { return s.bucket }

// Repository is the image repository, or nil.
func (s *Store) Repository() awsecr.Repository { return s.repo }
