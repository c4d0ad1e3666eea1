package pipeline

import (
	"fmt"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/policy"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// Replica is the artifact store of another region, in the pipeline's
// account (typically an artifacts.Store in a stack of that region).
// CodePipeline copies artifacts there for the actions of that region. It is
// named, not referenced: stacks in other regions cannot share tokens.
type Replica struct {
	// BucketName is the replica bucket's name. Required.
	BucketName string
	// KeyAlias is the alias of the replica's KMS key, such as
	// alias/relay/payments/artifacts. Required.
	KeyAlias string
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
