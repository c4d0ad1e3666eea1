package pipeline_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
)

// TestOwnBuckets: an S3 source or S3 release that names one of the
// pipeline's own buckets (its store's artifact or access-log bucket, a
// replica's, an asset store's) was accepted through the Go API while the
// YAML configuration refused it (deploy.s3.bucket, source.s3.bucket). It is
// refused by field with values.OwnBucketRule, by name or by the token of the
// store's bucket.
func TestOwnBuckets(t *testing.T) {
	const (
		artifactBucket = "payments-artifacts-111111111111-us-east-1"
		logBucket      = "payments-logs-111111111111-us-east-1"
		sourceRule     = "a bucket Relay creates in the tooling account for the pipeline's own use (its policy and key admit only Relay's roles, and the pipeline's projects write there): a build or publishing project could replace the object that the next execution starts from, outside the source's own control; keep the source object in a versioned bucket of its own"
		releaseRule    = "a bucket Relay creates in the tooling account for the pipeline's own use (its policy and key admit only Relay's roles, and the pipeline's projects write there): the deploy role would be denied when the action runs, and a release that could write there would overwrite the artifacts that later stages deploy; release into a bucket of the workload's own"
	)
	tests := []struct {
		name string
		// generated leaves the store's bucket names to CloudFormation.
		generated bool
		// mutate changes the props; bucket is the store's bucket name as
		// the team would pass it (the token of Bucket().BucketName()).
		mutate func(p *pipeline.Props, bucket string)
		want   []string // {bucket} is the token of the store's bucket name
	}{
		{"an S3 release into the artifact bucket, by name", false, func(p *pipeline.Props, _ string) {
			p.Deployments[0].Release = &pipeline.S3Release{Bucket: artifactBucket, Extract: true}
		}, []string{
			`Deployments[0].Release.Bucket "payments-artifacts-111111111111-us-east-1": is the pipeline's artifact bucket (Store), ` + releaseRule,
		}},
		{"an S3 source in the artifact bucket, by the token of a generated name", true, func(p *pipeline.Props, bucket string) {
			p.Source = &pipeline.S3Source{Bucket: bucket, Key: "source.zip"}
		}, []string{
			`Source.Bucket "{bucket}": is the pipeline's artifact bucket (Store), ` + sourceRule,
		}},
		{"the access-log bucket, a replica's and an asset store's", false, func(p *pipeline.Props, _ string) {
			p.Replicas = map[string]pipeline.Replica{"eu-west-1": {BucketName: "payments-artifacts-111111111111-eu-west-1", KeyAlias: "alias/relay/payments/artifacts"}}
			p.BuildAssets = true
			p.AssetStores = map[string]pipeline.AssetStore{"us-east-1": {BucketName: "payments-assets-111111111111-us-east-1"}}
			p.ExtraSources = []pipeline.ExtraSource{{Name: "settings", Source: &pipeline.S3Source{Bucket: "payments-assets-111111111111-us-east-1", Key: "settings.zip"}}}
			p.Deployments[1].Regions = []string{"us-east-1", "eu-west-1"}
			p.Deployments[1].Components = []pipeline.Component{{Name: "web", Release: &pipeline.S3Release{Bucket: logBucket, Extract: true}}}
			p.Deployments[1].Release = nil
			p.Deployments[1].Regional = map[string]pipeline.Regional{"eu-west-1": {Releases: map[string]pipeline.Release{
				"web": &pipeline.S3Release{Bucket: "payments-artifacts-111111111111-eu-west-1", Extract: true},
			}}}
		}, []string{
			`ExtraSources[0].Source.Bucket "payments-assets-111111111111-us-east-1": is the pipeline's asset bucket of us-east-1 (AssetStores["us-east-1"]), ` + sourceRule,
			`Deployments[1].Components[0].Release.Bucket "payments-logs-111111111111-us-east-1": is the pipeline's artifact access-log bucket (Store), ` + releaseRule,
			`Deployments[1].Regional["eu-west-1"].Releases["web"].Bucket "payments-artifacts-111111111111-eu-west-1": is the pipeline's artifact bucket of eu-west-1 (Replicas["eu-west-1"].BucketName), ` + releaseRule,
		}},
		// With the stack, a token that resolves to text is that text.
		{"an S3 release into the artifact bucket, by a Lazy name", false, func(p *pipeline.Props, _ string) {
			p.Deployments[0].Release = &pipeline.S3Release{Bucket: *awscdk.Lazy_String(&text{artifactBucket}, nil), Extract: true}
		}, []string{
			`Deployments[0].Release.Bucket "{release}": is the pipeline's artifact bucket (Store), ` + releaseRule,
		}},
		{"buckets of the workload's own", false, func(p *pipeline.Props, _ string) {
			p.Source = &pipeline.S3Source{Bucket: "payments-source", Key: "source.zip"}
			p.Deployments[0].Release = &pipeline.S3Release{Bucket: "payments-site", Extract: true}
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stack := newStack()
			var store *artifacts.Store
			relaytest.Do(t, "NewStore", func() {
				sp := &artifacts.StoreProps{
					BucketName: artifactBucket, AccessLogBucketName: logBucket,
					Readers: artifacts.Readers{Accounts: []string{"222222222222", "333333333333"}, RoleArnPatterns: []string{deployPattern}},
				}
				if tc.generated {
					sp.BucketName, sp.AccessLogBucketName = "", ""
				}
				store = artifacts.NewStore(stack, "Artifacts", sp)
			})
			p := validProps(store, stagingAndProduction())
			bucket := *store.Bucket().BucketName()
			tc.mutate(p, bucket)
			var want []string
			for _, w := range tc.want {
				w = strings.ReplaceAll(w, "{bucket}", bucket)
				if r, ok := p.Deployments[0].Release.(*pipeline.S3Release); ok {
					w = strings.ReplaceAll(w, "{release}", r.Bucket)
				}
				want = append(want, w)
			}
			relaytest.ValidateError(t, p.ValidateIn(stack), "pipeline.Props: ", want)
			if strings.Contains(tc.name, "Lazy") {
				return // Validate has no stack to resolve the token in
			}
			relaytest.ValidateError(t, p.Validate(), "pipeline.Props: ", want)
		})
	}
}
