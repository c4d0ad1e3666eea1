package pipeline

import (
	"fmt"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/internal/policy"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// Replica is the artifact store of another region, in the pipeline's
// account (typically an artifacts.Store in a stack of that region).
// CodePipeline copies artifacts there for the actions of that region. The
// pipeline names it (stacks in other regions cannot share tokens): give
// the Store, or its BucketName and KeyAlias for a store of another app.
type Replica struct {
	// Store is the replica store, wired by reference: BucketName and
	// KeyAlias default to its own, its stack must be in the map key's
	// region and the pipeline's account, it must admit the deploy role of
	// each deployment of that region wired by reference (its Readers), and
	// the pipeline's stack depends on its stack. Its StoreProps must set
	// BucketName and KeyAlias (a generated name cannot be named from another
	// region). Default: nil (BucketName and KeyAlias required).
	Store *artifacts.Store
	// BucketName is the replica bucket's name. Required without Store.
	BucketName string
	// KeyAlias is the alias of the replica's KMS key, such as
	// alias/relay/payments/artifacts. Required without Store.
	KeyAlias string
}

// resolveReplica fills rep's names from its Store and says what does not
// agree: the store's names, region and account against the replica's
// region r and the pipeline's account (the stack's, "" when unknown).
func resolveReplica(r string, rep Replica, account string) (Replica, []error) {
	if rep.Store == nil {
		return rep, nil
	}
	var errs []error
	f := fmt.Sprintf("Replicas[%q].Store", r)
	sp := rep.Store.Props()
	path := *rep.Store.Node().Path()
	for _, n := range []struct{ field, own, given string }{
		{"BucketName", sp.BucketName, rep.BucketName},
		{"KeyAlias", sp.KeyAlias, rep.KeyAlias},
	} {
		switch {
		case n.own == "":
			errs = append(errs, fmt.Errorf("%s: the store %s has no %s of its own, so the pipeline in another region cannot name it; set artifacts.StoreProps.%s (naming.Names gives Relay's)", f, path, n.field, n.field))
		case n.given != "" && n.given != n.own:
			errs = append(errs, fmt.Errorf("Replicas[%q].%s %q: the store %s has %s %q; leave it empty to take the store's", r, n.field, n.given, path, n.field, n.own))
		}
	}
	// The store's names (after a mismatch too: the checks that follow are
	// then about the store).
	if sp.BucketName != "" {
		rep.BucketName = sp.BucketName
	}
	if sp.KeyAlias != "" {
		rep.KeyAlias = sp.KeyAlias
	}
	switch acct, region := rep.Store.Env(); {
	case region == "":
		errs = append(errs, fmt.Errorf("%s: the store %s is in an environment-agnostic stack; give its stack Env{Account, Region: %q}", f, path, r))
	case region != r:
		errs = append(errs, fmt.Errorf("%s: the store %s is in region %s, not %s; put it under Replicas[%q] or create it in a stack of %s", f, path, region, r, region, r))
	case account != "" && acct != "" && acct != account:
		errs = append(errs, fmt.Errorf("%s: the store %s is in account %s, but CodePipeline replicates artifacts only to buckets of the pipeline's account %s; create it in a stack of account %s", f, path, acct, account, account))
	}
	return rep, errs
}

// replicaViews are grant-free views of the replicas, by region, with the
// primary store under the pipeline's region, for the L2 Pipeline's
// crossRegionReplicationBuckets.
func (pl *Pipeline) replicaViews() *map[string]awss3.IBucket {
	p := pl.props
	views := map[string]awss3.IBucket{pl.stackRegion(): p.Store.PipelineBucket()}
	for _, r := range sortedRegions(p.Replicas) {
		rep := p.Replicas[r]
		account := pl.stackAccount()
		keyArn := fmt.Sprintf("arn:%s:kms:%s:%s:%s", p.Partition, r, account, rep.KeyAlias)
		views[r] = awss3.Bucket_FromBucketAttributes(pl.Construct, jsii.String("Replica-"+r), &awss3.BucketAttributes{
			BucketName:    jsii.String(rep.BucketName),
			Region:        jsii.String(r),
			Account:       jsii.String(account),
			EncryptionKey: awskms.Key_FromKeyArn(pl.Construct, jsii.String("ReplicaKey-"+r), jsii.String(keyArn)),
		})
	}
	return &views
}

// reasonReplicas is why the replica grants have wildcards.
const reasonReplicas = "The pipeline replicates artifacts under keys it generates into the replica buckets of its other regions, encrypted with their keys, whose IDs are generated in the replica stacks: it may use them only through their alias (kms:ResourceAliases)."

// replicaStatements let the pipeline role replicate artifacts into each
// replica bucket and encrypt them with its key, which it names through the
// key's alias (the key ID is generated in another stack).
func (pl *Pipeline) replicaStatements() []policy.Statement {
	p, account := pl.props, pl.stackAccount()
	if len(p.Replicas) == 0 {
		return nil
	}
	var buckets, keys []string
	var aliases []string
	for _, r := range sortedRegions(p.Replicas) {
		rep := p.Replicas[r]
		buckets = append(buckets, fmt.Sprintf("arn:%s:s3:::%s", p.Partition, rep.BucketName), fmt.Sprintf("arn:%s:s3:::%s/*", p.Partition, rep.BucketName))
		keys = append(keys, fmt.Sprintf("arn:%s:kms:%s:%s:key/*", p.Partition, r, account))
		aliases = append(aliases, rep.KeyAlias)
		pl.findings["Resource::"+buckets[len(buckets)-1]] = reasonReplicas
		pl.findings["Resource::"+keys[len(keys)-1]] = reasonReplicas
	}
	return []policy.Statement{{
		Sid:       "ReplicateArtifacts",
		Actions:   []string{"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:GetBucketLocation", "s3:GetBucketVersioning", "s3:ListBucket"},
		Resources: buckets,
	}, {
		Sid:       "UseReplicaKeys",
		Actions:   []string{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"},
		Resources: keys,
		Conditions: map[string]interface{}{
			"ForAnyValue:StringEquals": map[string]interface{}{"kms:ResourceAliases": values.SortedUnique(aliases)},
		},
	}}
}

func sortedRegions(m map[string]Replica) []string {
	out := make([]string, 0, len(m))
	for r := range m {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}
