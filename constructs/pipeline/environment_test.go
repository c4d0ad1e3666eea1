package pipeline_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
)

// TestValidateInAgreesWithNew: what the pipeline's stack decides (its
// account and region against the store's, the replicas' and the sources'),
// ValidateIn reports, with the field, the value and the fix, and New panics
// with the same message before it creates anything. Each case was accepted
// by ValidateIn before; some deployed and failed (a store of another region
// or account, a replica that replaced the store), the others made New panic
// with aws-cdk-lib's message or one ValidateIn had not given.
func TestValidateInAgreesWithNew(t *testing.T) {
	tooling := env("111111111111", "us-east-1")
	tests := []struct {
		name string
		// pipelineEnv is the pipeline's stack's props, storeEnv the store's
		// stack's (nil: the pipeline's stack).
		pipelineEnv, storeEnv *awscdk.StackProps
		mutate                func(*pipeline.Props)
		want                  []string
	}{
		{name: "a store of another region", pipelineEnv: tooling, storeEnv: env("111111111111", "eu-west-1"),
			want: []string{
				"Store: the store Store/Artifacts is in region eu-west-1, but CodePipeline keeps a pipeline's artifacts in a bucket of the pipeline's region us-east-1; create the store in a stack of us-east-1 (a store of another region goes in Replicas)",
			}},
		{name: "a store of another account", pipelineEnv: tooling, storeEnv: env("444444444444", "us-east-1"),
			want: []string{
				"Store: the store Store/Artifacts is in account 444444444444, but the pipeline's stack is in account 111111111111, whose pipeline role the store does not admit to write artifacts; create the store in a stack of account 111111111111",
			}},
		{name: "a store in an environment-agnostic stack", pipelineEnv: tooling, storeEnv: &awscdk.StackProps{},
			want: []string{
				`Store: the store Store/Artifacts is in an environment-agnostic stack, so nothing shows it is in the pipeline's account 111111111111 and region us-east-1, where CodePipeline needs it; create it in the pipeline's stack, or give its stack Env{Account: "111111111111", Region: "us-east-1"}`,
			}},
		{name: "a replica in the pipeline's own region", pipelineEnv: tooling,
			mutate: func(p *pipeline.Props) {
				p.Replicas = map[string]pipeline.Replica{"us-east-1": {BucketName: "payments-other", KeyAlias: "alias/payments/other"}}
			},
			want: []string{
				`Replicas["us-east-1"]: the pipeline's own region, whose artifacts are in Store; CodePipeline would keep them in this replica's bucket instead, which the targets do not read; remove the entry`,
			}},
		{name: "a source role of the pipeline's account", pipelineEnv: tooling,
			mutate: func(p *pipeline.Props) {
				p.Source = &pipeline.CodeCommitSource{Repository: "payments", RoleArn: "arn:aws:iam::111111111111:role/payments-source"}
			},
			want: []string{
				`Source.RoleArn "arn:aws:iam::111111111111:role/payments-source": is a role of the pipeline's account 111111111111; a source of this account needs no source role: remove RoleArn`,
			}},
		{name: "an environment-agnostic pipeline stack", pipelineEnv: &awscdk.StackProps{},
			want: []string{
				`Deployments[0].Regions "us-east-1": the pipeline's stack Tooling has no region (an environment-agnostic stack), and a pipeline with actions in named regions needs its own (aws-cdk-lib refuses it otherwise); give the stack Env{Account, Region}`,
				`Deployments[1].Regions "us-east-1": the pipeline's stack Tooling has no region (an environment-agnostic stack), and a pipeline with actions in named regions needs its own (aws-cdk-lib refuses it otherwise); give the stack Env{Account, Region}`,
			}},
		{name: "a pipeline stack whose region is a typo", pipelineEnv: env("111111111111", "us-east1"),
			want: []string{
				`Deployments[0].Regions "us-east-1": must be the pipeline's region us-east1 or a region of Replicas; the pipeline's stack's region "us-east1": not an AWS region; did you mean "us-east-1"?`,
				`Deployments[1].Regions "us-east-1": must be the pipeline's region us-east1 or a region of Replicas; the pipeline's stack's region "us-east1": not an AWS region; did you mean "us-east-1"?`,
			}},
		{name: "a pipeline stack of a known region only", pipelineEnv: &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("us-east-1")}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := relaytest.NewApp()
			stack := awscdk.NewStack(app, jsii.String("Tooling"), tc.pipelineEnv)
			storeStack := stack
			if tc.storeEnv != nil {
				storeStack = awscdk.NewStack(app, jsii.String("Store"), tc.storeEnv)
			}
			var store *artifacts.Store
			relaytest.Do(t, "artifacts.NewStore", func() {
				store = artifacts.NewStore(storeStack, "Artifacts", &artifacts.StoreProps{
					BucketName: "payments-artifacts", KeyAlias: "alias/payments/artifacts",
					Readers: artifacts.Readers{Accounts: []string{"222222222222", "333333333333"}, RoleArnPatterns: []string{deployPattern}},
				})
			})
			p := validProps(store, stagingAndProduction())
			if tc.mutate != nil {
				tc.mutate(p)
			}
			err := p.ValidateIn(stack)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("ValidateIn() = %v, want nil", err)
				}
				relaytest.Do(t, "pipeline.New", func() { pipeline.New(stack, "Pipeline", p) })
				return
			}
			relaytest.ValidateError(t, err, "pipeline.Props: ", tc.want)
			relaytest.FieldPaths(t, p, err)
			msg, ok := relaytest.Recover(func() { pipeline.New(stack, "Pipeline", p) })
			if ok || err == nil || msg != err.Error() {
				t.Errorf("pipeline.New: panicked %v with %q, want ValidateIn's error", !ok, msg)
			}
			if stack.Node().TryFindChild(jsii.String("Pipeline")) != nil {
				t.Error("pipeline.New added a construct before it panicked")
			}
		})
	}
}

// TestNewNamesTheField: a name aws-cdk-lib would refuse inside New with a
// message of its own (no field) is refused by ValidateIn, and New panics
// with that message.
func TestNewNamesTheField(t *testing.T) {
	for _, mutate := range []func(*pipeline.Props){
		func(p *pipeline.Props) { p.PipelineName = strings.Repeat("n", 101) },
		func(p *pipeline.Props) { p.RoleName = "payments pipeline" },
		func(p *pipeline.Props) { p.RolePath = "/" + strings.Repeat("p", 520) + "/" },
		func(p *pipeline.Props) {
			p.ApproverPrincipals, p.ApproverRoleName = []string{"arn:aws:iam::111111111111:role/approvers"}, strings.Repeat("a", 65)
		},
		// Names under Components and Regional create projects and roles
		// as Release and Steps do.
		func(p *pipeline.Props) {
			d := &p.Deployments[0]
			d.Components = []pipeline.Component{{Name: "app", Release: d.Release}, {Name: "web", Release: &pipeline.EKSRelease{
				Helm: &pipeline.HelmRelease{Cluster: "payments", Release: "payments", Chart: "chart", ProjectName: strings.Repeat("w", 256)}}}}
			d.Release = nil
		},
		func(p *pipeline.Props) {
			d := &p.Deployments[1]
			d.Steps = []pipeline.Step{{Name: "smoke", Action: &pipeline.CodeBuildStep{Buildspec: "ci/smoke.yml"}}}
			d.Regions = []string{"us-east-1", "eu-west-1"}
			p.Replicas = map[string]pipeline.Replica{"eu-west-1": {BucketName: "payments-eu", KeyAlias: "alias/payments"}}
			d.Regional = map[string]pipeline.Regional{"eu-west-1": {Steps: []pipeline.Step{{Name: "smoke",
				Action: &pipeline.CodeBuildStep{Buildspec: "ci/smoke.yml", ProjectName: "payments-smoke-eu", RoleName: "payments smoke eu"}}}}}
		},
	} {
		stack := newStack()
		var store *artifacts.Store
		relaytest.Do(t, "artifacts.NewStore", func() {
			store = artifacts.NewStore(stack, "Artifacts", &artifacts.StoreProps{
				Readers: artifacts.Readers{Accounts: []string{"222222222222", "333333333333"}, RoleArnPatterns: []string{deployPattern}},
			})
		})
		p := validProps(store, stagingAndProduction())
		mutate(p)
		err := p.ValidateIn(stack)
		if err == nil {
			t.Errorf("ValidateIn() = nil for %+v", p)
			continue
		}
		relaytest.FieldPaths(t, p, err)
		if msg, ok := relaytest.Recover(func() { pipeline.New(stack, "Pipeline", p) }); ok || msg != err.Error() {
			t.Errorf("pipeline.New: panicked %v with %q, want %q", !ok, msg, err.Error())
		}
	}
}

// TestReplicaNamesAsTokens: a replica's names go into the pipeline's
// artifact stores and its role's policy in another region's terms; a token
// that resolves to text in the pipeline's stack (a Lazy string) is written
// as that text, and one that stays a reference (an import) is a named error
// instead of aws-cdk-lib's "KMS key ARN must be in the format ...".
func TestReplicaNamesAsTokens(t *testing.T) {
	lazy := func(s string) string { return *awscdk.Lazy_String(&text{s}, nil) }
	for _, tc := range []struct {
		name         string
		bucket, key  func() string
		want         func(bucket, key string) []string
		wantTemplate []string
	}{
		{name: "lazy strings resolve to text",
			bucket: func() string { return lazy("payments-eu") }, key: func() string { return lazy("alias/payments/eu") },
			wantTemplate: []string{`"Location": "payments-eu"`, `"Id": "arn:aws:kms:eu-west-1:111111111111:alias/payments/eu"`}},
		{name: "imports stay references",
			bucket: func() string { return *awscdk.Fn_ImportValue(jsii.String("bucket")) }, key: func() string { return *awscdk.Fn_ImportValue(jsii.String("key")) },
			want: func(bucket, key string) []string {
				return []string{
					`Replicas["eu-west-1"].BucketName "` + bucket + `": a token that stays a reference at synth; the pipeline names its replica of eu-west-1 by text (its artifact store, its role's policy), where a reference does not resolve: give the name as text (naming.Names.ArtifactBucket) or the replica's Store`,
					`Replicas["eu-west-1"].KeyAlias "` + key + `": a token that stays a reference at synth; the pipeline names its replica of eu-west-1 by text (its artifact store, its role's policy), where a reference does not resolve: give the name as text (naming.Names.ArtifactKeyAlias) or the replica's Store`,
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := newStack()
			var store *artifacts.Store
			var bucket, key string
			relaytest.Do(t, "the store and the names", func() {
				store = artifacts.NewStore(stack, "Artifacts", &artifacts.StoreProps{
					Readers: artifacts.Readers{Accounts: []string{"222222222222", "333333333333"}, RoleArnPatterns: []string{deployPattern}},
				})
				bucket, key = tc.bucket(), tc.key()
			})
			p := validProps(store, stagingAndProduction())
			p.Replicas = map[string]pipeline.Replica{"eu-west-1": {BucketName: bucket, KeyAlias: key}}
			p.Deployments[1].Regions = []string{"us-east-1", "eu-west-1"}
			err := p.ValidateIn(stack)
			if tc.want != nil {
				relaytest.ValidateError(t, err, "pipeline.Props: ", tc.want(bucket, key))
				relaytest.FieldPaths(t, p, err)
				if msg, ok := relaytest.Recover(func() { pipeline.New(stack, "Pipeline", p) }); ok || err == nil || msg != err.Error() {
					t.Errorf("pipeline.New: panicked %v with %q, want ValidateIn's error", !ok, msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("ValidateIn() = %v", err)
			}
			relaytest.Do(t, "pipeline.New", func() { pipeline.New(stack, "Pipeline", p) })
			raw := string(relaytest.Marshal(*relaytest.Template(t, stack).FindResources(jsii.String("AWS::CodePipeline::Pipeline"), nil)))
			for _, want := range tc.wantTemplate {
				if !strings.Contains(raw, want) {
					t.Errorf("the pipeline does not contain %s", want)
				}
			}
		})
	}
}

// text is an aws-cdk-lib string producer of a constant.
type text struct{ s string }

func (p *text) Produce() *string { return jsii.String(p.s) }
