package pipeline_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/constructs/target"
)

// replicaApp is newWiredApp with a replica store in eu-west-1 (its stack
// changed by stack, its props by store), the target deploying to both
// regions and reading both stores (the replica's by its names), and the deployment in both regions with
// the replica given by reference.
func replicaApp(t *testing.T, stack func() *awscdk.StackProps, store func(*artifacts.StoreProps)) (wiredApp, awscdk.Stack, *artifacts.Store) {
	t.Helper()
	var replicaStack awscdk.Stack
	var replica *artifacts.Store
	w := newWiredApp(t, nil, func(p *target.Props) {
		p.Regions = []string{"us-east-1", "eu-west-1"}
		// The replica store is created after the target: named as text.
		p.ArtifactBucketArns = []string{"arn:aws:s3:::" + orders.ArtifactBucket("eu-west-1")}
		p.ArtifactKeyArns = []string{"arn:aws:kms:eu-west-1:111111111111:key/*"}
	})
	relaytest.Do(t, "the replica store", func() {
		props := env("111111111111", "eu-west-1")
		if stack != nil {
			props = stack()
		}
		replicaStack = awscdk.NewStack(w.app, jsii.String("orders-tooling-eu-west-1"), props)
		sp := &artifacts.StoreProps{
			BucketName: orders.ArtifactBucket("eu-west-1"), KeyAlias: orders.ArtifactKeyAlias(),
			Readers: artifacts.Readers{Accounts: []string{"222222222222"}, RoleArnPatterns: []string{orders.DeployRolePattern()}},
		}
		if store != nil {
			store(sp)
		}
		replica = artifacts.NewStore(replicaStack, "Artifacts", sp)
	})
	w.props.Replicas = map[string]pipeline.Replica{"eu-west-1": {Store: replica}}
	w.props.Deployments[0].Regions = []string{"us-east-1", "eu-west-1"}
	return w, replicaStack, replica
}

// TestReplicaByReference: a replica given as a Store is named from it, and
// the pipeline's stack depends on the replica's.
func TestReplicaByReference(t *testing.T) {
	w, _, _ := replicaApp(t, nil, nil)
	relaytest.Do(t, "pipeline.New", func() { pipeline.New(w.tooling, "Pipeline", w.props) })
	raw := string(relaytest.Marshal(*relaytest.Template(t, w.tooling).FindResources(jsii.String("AWS::CodePipeline::Pipeline"), nil)))
	for _, want := range []string{
		`"Location": "orders-artifacts-111111111111-eu-west-1"`,
		`"Region": "eu-west-1"`,
		`arn:aws:kms:eu-west-1:111111111111:` + orders.ArtifactKeyAlias(),
	} {
		if !strings.Contains(raw, want) {
			t.Errorf("the pipeline's artifact stores lack %s", want)
		}
	}
	var deps []string
	for _, d := range *w.tooling.Dependencies() {
		deps = append(deps, *d.StackName())
	}
	if got := strings.Join(deps, ","); !strings.Contains(got, "orders-tooling-eu-west-1") || !strings.Contains(got, "orders-staging") {
		t.Errorf("orders-tooling depends on %v, want the target's and the replica's stacks", deps)
	}
}

// TestReplicaMismatches: a replica store that CodePipeline could not use,
// or that the deploy role could not read, is a named error.
func TestReplicaMismatches(t *testing.T) {
	tests := []struct {
		name     string
		stack    func() *awscdk.StackProps
		store    func(*artifacts.StoreProps)
		pipeline func(*pipeline.Props)
		want     []string
	}{
		{name: "a store of another region",
			stack: func() *awscdk.StackProps { return env("111111111111", "eu-central-1") },
			want: []string{
				`Replicas["eu-west-1"].Store: the store orders-tooling-eu-west-1/Artifacts is in region eu-central-1, not eu-west-1; put it under Replicas["eu-central-1"] or create it in a stack of eu-west-1`,
			}},
		{name: "a store of another account",
			stack: func() *awscdk.StackProps { return env("333333333333", "eu-west-1") },
			want: []string{
				`Replicas["eu-west-1"].Store: the store orders-tooling-eu-west-1/Artifacts is in account 333333333333, but CodePipeline replicates artifacts only to buckets of the pipeline's account 111111111111; create it in a stack of account 111111111111`,
			}},
		{name: "a store without a key alias",
			store: func(p *artifacts.StoreProps) { p.KeyAlias = "" },
			want: []string{
				`Replicas["eu-west-1"].Store: the store orders-tooling-eu-west-1/Artifacts has no KeyAlias of its own, so the pipeline in another region cannot name it; set artifacts.StoreProps.KeyAlias (naming.Names gives Relay's)`,
			}},
		{name: "a bucket name that is not the store's",
			pipeline: func(p *pipeline.Props) {
				r := p.Replicas["eu-west-1"]
				r.BucketName = "orders-other"
				p.Replicas["eu-west-1"] = r
			},
			want: []string{
				`Replicas["eu-west-1"].BucketName "orders-other": the store orders-tooling-eu-west-1/Artifacts has BucketName "orders-artifacts-111111111111-eu-west-1"; leave it empty to take the store's`,
			}},
		{name: "a store that does not admit the deploy role",
			store: func(p *artifacts.StoreProps) { p.Readers.Accounts = []string{"333333333333"} },
			want: []string{
				`Replicas["eu-west-1"].Store: the store orders-tooling-eu-west-1/Artifacts admits accounts 333333333333, not 222222222222 of arn:aws:iam::222222222222:role/relay/orders/orders-staging-deploy; add it to Readers.Accounts, or its organizational unit to Readers.OrganizationalUnits; Deployments[0] deploys as that role in eu-west-1`,
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, _, _ := replicaApp(t, tc.stack, tc.store)
			if tc.pipeline != nil {
				tc.pipeline(w.props)
			}
			err := w.props.ValidateIn(w.tooling)
			relaytest.ValidateError(t, err, "pipeline.Props: ", tc.want)
			relaytest.FieldPaths(t, w.props, err)
			msg, ok := relaytest.Recover(func() { pipeline.New(w.tooling, "Pipeline", w.props) })
			if ok || !strings.HasPrefix(msg, "pipeline.Props: ") {
				t.Errorf("pipeline.New: panicked %v with %q, want the same error", !ok, msg)
			}
		})
	}
}
