package pipeline

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/plan"
)

// ownBucket is one of the pipeline's own buckets: its names (the physical
// name as text, when known, and the token of the bucket's BucketName) and
// what it is, for values.OwnBucketRule.
type ownBucket struct {
	names []string
	what  string
}

// ownBuckets are the buckets of p's stores: the artifact and access-log
// buckets of Store and of each replica's Store, each replica's BucketName,
// and each asset store's BucketName. A store that artifacts.NewStore did not
// return (checkCreated refuses it) adds only what its props name.
func (p *Props) ownBuckets() []ownBucket {
	var out []ownBucket
	add := func(what string, names ...string) {
		var b ownBucket
		for _, n := range names {
			if n != "" && !slices.Contains(b.names, n) {
				b.names = append(b.names, n)
			}
		}
		if len(b.names) > 0 {
			b.what = what
			out = append(out, b)
		}
	}
	store := func(s *artifacts.Store, field, of string) {
		if s == nil {
			return
		}
		props := s.Props()
		bucket, logs := props.BucketName, props.AccessLogBucketName
		var bucketToken, logToken string
		if s.Created() {
			bucketToken = *s.Bucket().BucketName()
			if l := s.AccessLogBucket(); l != nil {
				logToken = *l.BucketName()
			}
		}
		add(fmt.Sprintf("the pipeline's artifact bucket%s (%s)", of, field), bucket, bucketToken)
		add(fmt.Sprintf("the pipeline's artifact access-log bucket%s (%s)", of, field), logs, logToken)
	}
	store(p.Store, "Store", "")
	for _, r := range sortedRegions(p.Replicas) {
		rep := p.Replicas[r]
		store(rep.Store, fmt.Sprintf("Replicas[%q].Store", r), " of "+r)
		add(fmt.Sprintf("the pipeline's artifact bucket of %s (Replicas[%q].BucketName)", r, r), rep.BucketName)
	}
	for _, r := range slices.Sorted(maps.Keys(p.AssetStores)) {
		add(fmt.Sprintf("the pipeline's asset bucket of %s (AssetStores[%q])", r, r), p.AssetStores[r].BucketName)
	}
	return out
}

// checkOwnBuckets refuses an S3 source or S3 release whose Bucket is one of
// the pipeline's own buckets (ownBuckets), by the same name or the same
// token; with stack, a token that resolves there to text is compared as
// that text. The YAML configuration refuses the same by name
// (config's source.s3.bucket and deploy.s3.bucket): an S3 release there
// runs as a deploy role of a target account, which the bucket's policy
// and key do not admit, and the pipeline's own projects write there, so a
// source object there could be replaced by a build.
func (p *Props) checkOwnBuckets(stack awscdk.Stack) []error {
	own := p.ownBuckets()
	if len(own) == 0 {
		return nil
	}
	partition := p.Partition
	if partition == "" {
		partition = "aws"
	}
	text := func(s string) string {
		if stack != nil && arns.IsToken(s) {
			if v, ok := literal(stack, s, partition); ok {
				return v
			}
		}
		return s
	}
	for i := range own {
		for _, n := range own[i].names {
			if t := text(n); t != n && !slices.Contains(own[i].names, t) {
				own[i].names = append(own[i].names, t)
			}
		}
	}
	find := func(bucket string) string {
		if bucket == "" {
			return ""
		}
		t := text(bucket)
		for _, b := range own {
			if slices.Contains(b.names, bucket) || slices.Contains(b.names, t) {
				return b.what
			}
		}
		return ""
	}
	var errs []error
	source := func(field string, s plan.Source) {
		if x, ok := s.(*plan.S3Source); ok && x != nil {
			if what := find(x.Bucket); what != "" {
				errs = append(errs, fmt.Errorf("%s.Bucket %q: %s", field, x.Bucket, values.OwnBucketRule(what,
					"a build or publishing project could replace the object that the next execution starts from, outside the source's own control",
					"keep the source object in a versioned bucket of its own")))
			}
		}
	}
	release := func(field string, r plan.Release) {
		if x, ok := r.(*plan.S3Release); ok && x != nil {
			if what := find(x.Bucket); what != "" {
				errs = append(errs, fmt.Errorf("%s.Bucket %q: %s", field, x.Bucket, values.OwnBucketRule(what,
					"the deploy role would be denied when the action runs, and a release that could write there would overwrite the artifacts that later stages deploy",
					"release into a bucket of the workload's own")))
			}
		}
	}
	source("Source", p.Source)
	for i, x := range p.ExtraSources {
		source(fmt.Sprintf("ExtraSources[%d].Source", i), x.Source)
	}
	for i, d := range p.Deployments {
		f := fmt.Sprintf("Deployments[%d]", i)
		release(f+".Release", d.Release)
		for k, c := range d.Components {
			release(fmt.Sprintf("%s.Components[%d].Release", f, k), c.Release)
		}
		for _, r := range slices.Sorted(maps.Keys(d.Regional)) {
			release(fmt.Sprintf("%s.Regional[%q].Release", f, r), d.Regional[r].Release)
			for _, name := range slices.Sorted(maps.Keys(d.Regional[r].Releases)) {
				release(fmt.Sprintf("%s.Regional[%q].Releases[%q]", f, r, name), d.Regional[r].Releases[name])
			}
		}
	}
	return errs
}
