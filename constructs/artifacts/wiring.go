package artifacts

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/relaycdk/relay/constructs/internal/arns"
)

// NotCreated says why a Store value that NewStore did not return cannot be
// wired, and the fix; pipeline.Props and target.Props report it after the
// field (Store, Replicas["<region>"].Store, Stores[i]).
const NotCreated = "not created by artifacts.NewStore (a zero artifacts.Store has no stack, key or bucket); pass the *artifacts.Store that artifacts.NewStore returned"

// Created reports whether s is a store that NewStore returned: false for
// nil and for a Store made otherwise (&artifacts.Store{}), whose methods
// have no stack, key or bucket to answer from.
func (s *Store) Created() bool {
	return s != nil && s.Construct != nil && s.key != nil && s.bucket != nil
}

// Props are the props s was created with, defaults applied.
func (s *Store) Props() StoreProps { return s.props }

// Env is the account and region of the stack that holds s, each "" when the
// stack is environment-agnostic (a token).
func (s *Store) Env() (account, region string) {
	// Read once (three jsii calls): a pipeline checks every deployment
	// against its store.
	s.envOnce.Do(func() {
		stack := awscdk.Stack_Of(s.Construct)
		if a := *stack.Account(); !arns.IsToken(a) {
			s.account = a
		}
		if r := *stack.Region(); !arns.IsToken(r) {
			s.region = r
		}
	})
	return s.account, s.region
}

// Partition is the partition of s's region (aws when the region is unknown).
func (s *Store) Partition() string {
	_, region := s.Env()
	if p, ok := arns.RegionPartition(region); ok {
		return p
	}
	return "aws"
}

// BucketArnText is the artifact bucket's ARN as plain text,
// arn:<partition>:s3:::<BucketName>, which another account can name without
// a reference; "" when the bucket's name is generated (StoreProps.BucketName
// unset).
func (s *Store) BucketArnText() string {
	if s.props.BucketName == "" {
		return ""
	}
	return fmt.Sprintf("arn:%s:s3:::%s", s.Partition(), s.props.BucketName)
}

// KeyArnPattern matches the artifact key's ARN (whose key ID is generated):
// arn:<partition>:kms:<region>:<account>:key/*, every key of the store's
// account and region; the key policy is what admits only the readers. ""
// when the store's stack has no concrete account or region.
func (s *Store) KeyArnPattern() string {
	account, region := s.Env()
	if account == "" || region == "" {
		return ""
	}
	return fmt.Sprintf("arn:%s:kms:%s:%s:key/*", s.Partition(), region, account)
}

// Admits returns nil when the store's key and bucket policies let the role
// roleArn (a plain role ARN) read artifacts, and otherwise an error that
// says which part of Readers leaves it out and how to fix it. A role of the
// store's own account is admitted by its identity policy (the key policy
// delegates to IAM); a role of another account needs Readers: its account
// among Accounts, or Readers.OrganizationalUnits set (an account's OU path
// is only known to AWS Organizations at request time, so a role of any
// account may be admitted through aws:PrincipalOrgPaths), and an ArnLike
// match among RoleArnPatterns, as the policies' conditions test them
// (Readers.PrincipalScopes).
func (s *Store) Admits(roleArn string) error {
	account, _, _, err := arns.Role(roleArn)
	if err != nil {
		return fmt.Errorf("%q: %v", roleArn, err)
	}
	own, _ := s.Env()
	if account == own {
		return nil
	}
	r := s.props.Readers
	if !r.any() {
		path := *s.Node().Path()
		return fmt.Errorf("the store %s admits no reader from another account; add %s to its Readers (OrganizationalUnits with OrganizationID, or Accounts; and RoleArnPatterns)", path, roleArn)
	}
	if len(r.OrganizationalUnits) == 0 && !slices.Contains(r.Accounts, account) {
		path := *s.Node().Path()
		return fmt.Errorf("the store %s admits accounts %s, not %s of %s; add it to Readers.Accounts, or its organizational unit to Readers.OrganizationalUnits", path, strings.Join(r.Accounts, ", "), account, roleArn)
	}
	// A pattern given as a token is known only at deploy time: accepted,
	// as tokens are wherever an ARN is.
	if !slices.ContainsFunc(r.RoleArnPatterns, func(p string) bool { return arns.IsToken(p) || arns.Like(p, roleArn) }) {
		path := *s.Node().Path()
		return fmt.Errorf("the store %s admits roles like %s, and %s matches none; rename the role or add a pattern to Readers.RoleArnPatterns", path, strings.Join(r.RoleArnPatterns, ", "), roleArn)
	}
	return nil
}
