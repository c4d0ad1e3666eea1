package pipeline_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/naming"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/constructs/target"
)

var orders = naming.Names{Name: "orders", Partition: "aws", ToolingAccount: "111111111111", ToolingRegion: "us-east-1"}

// wiredApp is a team's App wired by reference: a tooling stack with the
// store and the pipeline, and a staging stack with the target.
type wiredApp struct {
	app              awscdk.App
	tooling, staging awscdk.Stack
	store            *artifacts.Store
	target           *target.DeploymentTarget
	props            *pipeline.Props
}

func env(account, region string) *awscdk.StackProps {
	return &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)}}
}

// wantValidate checks that Validate and ValidateIn of w's pipeline props
// both return want ("" for no error), as the message of their error.
func (w wiredApp) wantValidate(t *testing.T, want string) {
	t.Helper()
	for name, err := range map[string]error{"Validate": w.props.Validate(), "ValidateIn": w.props.ValidateIn(w.tooling)} {
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("%s() = %s\nwant %s", name, got, want)
		}
	}
}

// newWiredApp builds the store and the target, each props changed by its
// mutate function, and the pipeline props (not the pipeline).
func newWiredApp(t *testing.T, store func(*artifacts.StoreProps), tgt func(*target.Props)) wiredApp {
	t.Helper()
	app := relaytest.NewApp()
	w := wiredApp{
		app:     app,
		tooling: awscdk.NewStack(app, jsii.String("orders-tooling"), env("111111111111", "us-east-1")),
		staging: awscdk.NewStack(app, jsii.String("orders-staging"), env("222222222222", "us-east-1")),
	}
	sp := &artifacts.StoreProps{
		BucketName: orders.ArtifactBucket("us-east-1"), KeyAlias: orders.ArtifactKeyAlias(),
		Readers: artifacts.Readers{Accounts: []string{"222222222222"}, RoleArnPatterns: []string{orders.DeployRolePattern()}},
	}
	if store != nil {
		store(sp)
	}
	relaytest.Do(t, "artifacts.NewStore", func() { w.store = artifacts.NewStore(w.tooling, "Artifacts", sp) })
	tp := &target.Props{
		Account: "222222222222", Regions: []string{"us-east-1"}, RolePath: orders.RolePath(),
		DeployRoleName: orders.DeployRole("staging"), ExecutionRoleName: orders.ExecutionRole("staging"),
		PipelineAccount: "111111111111", PipelineRoleArns: []string{orders.PipelineRoleArn()},
		StackNames: []string{"orders-app"}, Stores: []*artifacts.Store{w.store},
		ExecutionManagedPolicyArns: []string{"arn:aws:iam::222222222222:policy/orders-app-deployer"},
	}
	if tgt != nil {
		tgt(tp)
	}
	relaytest.Do(t, "target.New", func() { w.target = target.New(w.staging, "Delivery", tp) })
	w.props = &pipeline.Props{
		PipelineName: orders.Pipeline(), RoleName: orders.PipelineRole(), RolePath: orders.RolePath(),
		Store:  w.store,
		Source: &pipeline.ConnectionSource{Owner: "acme", Repo: "orders", ConnectionArn: connection},
		Deployments: []pipeline.Deployment{{
			Name: "staging", Target: w.target.Account(), Regions: []string{"us-east-1"},
			Release: &pipeline.Stack{Name: "orders-app"},
		}},
	}
	return w
}

// TestWiredByReference: a pipeline takes the target and the store
// directly, renders the roles' ARNs as text, and its stack depends on the
// target's.
func TestWiredByReference(t *testing.T) {
	w := newWiredApp(t, nil, nil)
	if err := w.props.ValidateIn(w.tooling); err != nil {
		t.Fatalf("ValidateIn() = %v", err)
	}
	relaytest.Do(t, "pipeline.New", func() { pipeline.New(w.tooling, "Pipeline", w.props) })
	tpl := relaytest.Template(t, w.tooling)
	deployRole := "arn:aws:iam::222222222222:role/relay/orders/orders-staging-deploy"
	if got := w.target.DeployRoleArn(); got != deployRole {
		t.Errorf("DeployRoleArn() = %q, want %q", got, deployRole)
	}
	stages := *tpl.FindResources(jsii.String("AWS::CodePipeline::Pipeline"), nil)
	raw := string(relaytest.Marshal(stages))
	for _, want := range []string{
		`"RoleArn": "` + deployRole + `"`,
		`"RoleArn": "arn:aws:iam::222222222222:role/relay/orders/orders-staging-cfn-exec"`,
	} {
		if !strings.Contains(raw, want) {
			t.Errorf("the pipeline does not contain %s", want)
		}
	}
	var deps []string
	for _, d := range *w.tooling.Dependencies() {
		deps = append(deps, *d.StackName())
	}
	if strings.Join(deps, ",") != "orders-staging" {
		t.Errorf("orders-tooling depends on %v, want [orders-staging]", deps)
	}
}

// dashboardsRole is an execution role of its own for the stack
// orders-dashboards.
var dashboardsRole = target.ExecutionRole{Name: orders.StackExecutionRole("staging", "dashboards"), StackNames: []string{"orders-dashboards"},
	ManagedPolicyArns: []string{"arn:aws:iam::222222222222:policy/orders-dashboards-deployer"}}

// TestWiredStackExecutionRole: a stack with an execution role of its own
// deploys, wired by reference, passing that role, which the target's
// StackExecutionRoleArn names.
func TestWiredStackExecutionRole(t *testing.T) {
	w := newWiredApp(t, nil, func(p *target.Props) { p.ExecutionRoles = []target.ExecutionRole{dashboardsRole} })
	own := w.target.StackExecutionRoleArn("orders-dashboards")
	if want := "arn:aws:iam::222222222222:role/relay/orders/orders-staging-dashboards-cfn-exec"; own != want {
		t.Fatalf("StackExecutionRoleArn(orders-dashboards) = %q, want %q", own, want)
	}
	if got := w.target.StackExecutionRoleArn("orders-app"); got != w.target.ExecutionRoleArn() {
		t.Errorf("StackExecutionRoleArn(orders-app) = %q, want the execution role %q", got, w.target.ExecutionRoleArn())
	}
	if got := w.target.StackExecutionRoleArn("orders-api"); got != "" {
		t.Errorf("StackExecutionRoleArn(orders-api) = %q for a stack the target does not manage, want \"\"", got)
	}
	w.props.Deployments[0].Components = []pipeline.Component{
		{Name: "app", Release: &pipeline.Stack{Name: "orders-app"}},
		{Name: "dashboards", Release: &pipeline.Stack{Name: "orders-dashboards", ExecutionRoleArn: own}},
	}
	w.props.Deployments[0].Release = nil
	if err := w.props.ValidateIn(w.tooling); err != nil {
		t.Fatalf("ValidateIn() = %v", err)
	}
}

// TestPipelineRoleNameResolved: a pipeline role name given as a token that
// resolves to text at synth (a Lazy string) is checked as that text, so the
// trust of a target wired by reference is proven and the role keeps the
// name.
func TestPipelineRoleNameResolved(t *testing.T) {
	w := newWiredApp(t, nil, nil)
	relaytest.Do(t, "a Lazy role name", func() { w.props.RoleName = *awscdk.Lazy_String(&text{orders.PipelineRole()}, nil) })
	if err := w.props.ValidateIn(w.tooling); err != nil {
		t.Fatalf("ValidateIn() = %v", err)
	}
	relaytest.Do(t, "pipeline.New", func() { pipeline.New(w.tooling, "Pipeline", w.props) })
	relaytest.Check(t, "the pipeline role's name", func() {
		relaytest.Template(t, w.tooling).HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]interface{}{"RoleName": orders.PipelineRole()})
	})
}

// TestWiringMismatches: each silent mismatch of issue 14 between a
// pipeline, its store and a target wired by reference is a named error.
func TestWiringMismatches(t *testing.T) {
	tests := []struct {
		name     string
		store    func(*artifacts.StoreProps)
		target   func(*target.Props)
		pipeline func(*pipeline.Props, wiredApp)
		want     []string
		// wantFor, when set, gives want from the props (for a token's text).
		wantFor func(*pipeline.Props) []string
	}{
		{name: "deploy role name vs the store's reader pattern",
			target: func(p *target.Props) { p.DeployRoleName = "orders-deploy" },
			want: []string{
				"Store: the store orders-tooling/Artifacts admits roles like arn:aws:iam::*:role/relay/orders/orders-*-deploy, and arn:aws:iam::222222222222:role/relay/orders/orders-deploy matches none; rename the role or add a pattern to Readers.RoleArnPatterns; Deployments[0] deploys as that role",
			}},
		{name: "target account vs the store's reader accounts",
			store: func(p *artifacts.StoreProps) { p.Readers.Accounts = []string{"333333333333"} },
			want: []string{
				"Store: the store orders-tooling/Artifacts admits accounts 333333333333, not 222222222222 of arn:aws:iam::222222222222:role/relay/orders/orders-staging-deploy; add it to Readers.Accounts, or its organizational unit to Readers.OrganizationalUnits; Deployments[0] deploys as that role",
			}},
		{name: "pipeline role name vs the target's trust",
			pipeline: func(p *pipeline.Props, _ wiredApp) { p.RoleName = "orders-pipeline-role" },
			want: []string{
				`RoleName "orders-pipeline-role", RolePath "/relay/orders/": the pipeline role arn:aws:iam::111111111111:role/relay/orders/orders-pipeline-role is not one the target orders-staging/Delivery trusts (its PipelineRoleArns arn:aws:iam::111111111111:role/relay/orders/orders-pipeline), so sts:AssumeRole of Deployments[0] would be refused; make them agree (naming.Names.PipelineRoleArn)`,
			}},
		// A name that stays a reference at synth (an import) is not known
		// there: the trust can be neither proven nor refuted.
		{name: "pipeline role name as a token that stays a reference",
			pipeline: func(p *pipeline.Props, _ wiredApp) {
				p.RoleName = *awscdk.Fn_ImportValue(jsii.String("orders-pipeline-role-name"))
			},
			wantFor: func(p *pipeline.Props) []string {
				return []string{
					`RoleName "` + p.RoleName + `": a token that stays a reference at synth, so the pipeline role's ARN is not known there and cannot be proven to be one the target orders-staging/Delivery trusts (its PipelineRoleArns arn:aws:iam::111111111111:role/relay/orders/orders-pipeline) for Deployments[0]; give RoleName as text (naming.Names.PipelineRole, as the target's PipelineRoleArns do), or give Deployments[0].Target in its string form (&pipeline.Account{ID, DeployRoleArn, ExecutionRoleArn} of plain ARNs, not checked: keep the names in step yourself)`,
				}
			}},
		{name: "pipeline role path as a token that stays a reference",
			pipeline: func(p *pipeline.Props, _ wiredApp) {
				p.RolePath = *awscdk.Fn_ImportValue(jsii.String("orders-role-path"))
			},
			wantFor: func(p *pipeline.Props) []string {
				return []string{
					`RolePath "` + p.RolePath + `": a token that stays a reference at synth, so the pipeline role's ARN is not known there and cannot be proven to be one the target orders-staging/Delivery trusts (its PipelineRoleArns arn:aws:iam::111111111111:role/relay/orders/orders-pipeline) for Deployments[0]; give RolePath as text (naming.Names.RolePath, as the target's PipelineRoleArns do), or give Deployments[0].Target in its string form (&pipeline.Account{ID, DeployRoleArn, ExecutionRoleArn} of plain ARNs, not checked: keep the names in step yourself)`,
				}
			}},
		// A Lazy name resolves to text at synth and is checked as that text.
		{name: "pipeline role name as a token that resolves to another name",
			pipeline: func(p *pipeline.Props, _ wiredApp) {
				p.RoleName = *awscdk.Lazy_String(&text{"orders-pipeline-role"}, nil)
			},
			wantFor: func(p *pipeline.Props) []string {
				return []string{
					`RoleName "` + p.RoleName + `", RolePath "/relay/orders/": the pipeline role arn:aws:iam::111111111111:role/relay/orders/orders-pipeline-role is not one the target orders-staging/Delivery trusts (its PipelineRoleArns arn:aws:iam::111111111111:role/relay/orders/orders-pipeline), so sts:AssumeRole of Deployments[0] would be refused; make them agree (naming.Names.PipelineRoleArn)`,
				}
			}},
		{name: "generated pipeline role name",
			pipeline: func(p *pipeline.Props, _ wiredApp) { p.RoleName = "" },
			want: []string{
				"RoleName: required when a deployment's target is wired by reference (Deployments[0].Target, orders-staging/Delivery): the target's trust names the pipeline role by ARN (PipelineRoleArns arn:aws:iam::111111111111:role/relay/orders/orders-pipeline); use naming.Names.PipelineRole for both",
			}},
		{name: "target trusts another pipeline account",
			target: func(p *target.Props) {
				p.PipelineAccount = "999999999999"
				p.PipelineRoleArns = []string{"arn:aws:iam::999999999999:role/relay/orders/orders-pipeline"}
			},
			want: []string{
				"Deployments[0].Target: the target orders-staging/Delivery trusts the pipeline account 999999999999 (its PipelineAccount), but the pipeline's stack is in account 111111111111",
			}},
		{name: "Account ID vs the target's account",
			pipeline: func(p *pipeline.Props, _ wiredApp) { p.Deployments[0].Target.(*pipeline.Account).ID = "333333333333" },
			want: []string{
				`Deployments[0].Target.ID "333333333333": the target orders-staging/Delivery is in account 222222222222; set ID to 222222222222 or leave it empty`,
				`Deployments[0].Target.DeployRoleArn "arn:aws:iam::222222222222:role/relay/orders/orders-staging-deploy": must be a role ARN in account 333333333333`,
				`Deployments[0].Target.ExecutionRoleArn "arn:aws:iam::222222222222:role/relay/orders/orders-staging-cfn-exec": must be a role ARN in account 333333333333`,
			}},
		{name: "a region the target does not deploy to",
			target: func(p *target.Props) { p.Regions = []string{"eu-west-1"} },
			want: []string{
				`Deployments[0].Regions "us-east-1": the target orders-staging/Delivery's deploy role may manage stacks in eu-west-1 only; add us-east-1 to its Regions`,
			}},
		{name: "a stack the target does not manage",
			pipeline: func(p *pipeline.Props, _ wiredApp) { p.Deployments[0].Release = &pipeline.Stack{Name: "orders-api"} },
			want: []string{
				`Deployments[0].Release.Name "orders-api": the target orders-staging/Delivery's deploy role may manage the stacks orders-app only; add orders-api to its StackNames`,
			}},
		{name: "a stack the target manages in another region only",
			target: func(p *target.Props) {
				p.Regions = []string{"us-east-1", "eu-west-1"}
				p.StackRegions = map[string][]string{"orders-app": {"eu-west-1"}}
			},
			want: []string{
				`Deployments[0].Release.Name "orders-app": the target orders-staging/Delivery's deploy role may manage orders-app in eu-west-1 only (its StackRegions), not in us-east-1; add us-east-1 to StackRegions["orders-app"]`,
			}},
		{name: "a stack of an execution role of its own, deployed as the target's",
			target: func(p *target.Props) { p.ExecutionRoles = []target.ExecutionRole{dashboardsRole} },
			pipeline: func(p *pipeline.Props, _ wiredApp) {
				p.Deployments[0].Release = &pipeline.Stack{Name: "orders-dashboards"}
			},
			want: []string{
				`Deployments[0].Target.ExecutionRoleArn "arn:aws:iam::222222222222:role/relay/orders/orders-staging-cfn-exec": the target orders-staging/Delivery's deploy role creates change sets of orders-dashboards only passing the execution role it deploys orders-dashboards with, arn:aws:iam::222222222222:role/relay/orders/orders-staging-dashboards-cfn-exec; set Deployments[0].Release.ExecutionRoleArn to that role`,
			}},
		{name: "a stack deployed with another stack's execution role",
			target: func(p *target.Props) { p.ExecutionRoles = []target.ExecutionRole{dashboardsRole} },
			pipeline: func(p *pipeline.Props, _ wiredApp) {
				p.Deployments[0].Release = &pipeline.Stack{Name: "orders-app", ExecutionRoleArn: "arn:aws:iam::222222222222:role/relay/orders/orders-staging-dashboards-cfn-exec"}
			},
			want: []string{
				`Deployments[0].Release.ExecutionRoleArn "arn:aws:iam::222222222222:role/relay/orders/orders-staging-dashboards-cfn-exec": the target orders-staging/Delivery's deploy role creates change sets of orders-app only passing the execution role it deploys orders-app with, arn:aws:iam::222222222222:role/relay/orders/orders-staging-cfn-exec; set Deployments[0].Release.ExecutionRoleArn to that role`,
			}},
		{name: "a bucket the target does not read",
			target: func(p *target.Props) {
				p.Stores = nil
				p.ArtifactBucketArns = []string{"arn:aws:s3:::orders-artifacts"}
				p.ArtifactKeyArns = []string{"arn:aws:kms:us-east-1:111111111111:key/*"}
			},
			want: []string{
				"Store: the target orders-staging/Delivery's roles read the buckets arn:aws:s3:::orders-artifacts, not arn:aws:s3:::orders-artifacts-111111111111-us-east-1, which Deployments[0] deploys from; add it to the target's ArtifactBucketArns (or the store to its Stores)",
			}},
		{name: "a key of another region",
			target: func(p *target.Props) {
				p.Stores = nil
				p.ArtifactBucketArns = []string{"arn:aws:s3:::orders-artifacts-111111111111-us-east-1"}
				p.ArtifactKeyArns = []string{"arn:aws:kms:eu-west-1:111111111111:key/*"}
			},
			want: []string{
				"Store: the target orders-staging/Delivery's roles decrypt with the keys arn:aws:kms:eu-west-1:111111111111:key/*, none of them the artifact key (arn:aws:kms:us-east-1:111111111111:key/*), which Deployments[0] needs; add the key's ARN or that pattern to the target's ArtifactKeyArns (or the store to its Stores)",
			}},
		{name: "roles of two targets in one deployment",
			pipeline: func(p *pipeline.Props, w wiredApp) {
				other := target.New(w.staging, "Other", &target.Props{
					Account: "222222222222", Regions: []string{"us-east-1"}, RolePath: orders.RolePath(),
					DeployRoleName: "orders-other-deploy", ExecutionRoleName: "orders-other-cfn-exec",
					PipelineAccount: "111111111111", PipelineRoleArns: []string{orders.PipelineRoleArn()},
					StackNames: []string{"orders-app"}, Stores: []*artifacts.Store{w.store},
					ExecutionManagedPolicyArns: []string{"arn:aws:iam::222222222222:policy/orders-app-deployer"},
				})
				p.Deployments[0].Target.(*pipeline.Account).ExecutionRoleArn = *other.ExecutionRole().RoleArn()
			},
			want: []string{
				"Deployments[0].Target.ExecutionRoleArn: a role of the target orders-staging/Other, while the others are of orders-staging/Delivery; take every role of a deployment from one target (target.Account())",
			}},
		{name: "the execution role as deploy role",
			pipeline: func(p *pipeline.Props, w wiredApp) {
				p.Deployments[0].Target.(*pipeline.Account).DeployRoleArn = *w.target.ExecutionRole().RoleArn()
			},
			want: []string{
				"Deployments[0].Target.DeployRoleArn: the execution role of the target orders-staging/Delivery; use its deploy role (DeployRole().RoleArn())",
			}},
		{name: "a deploy role named as text that the store does not admit",
			pipeline: func(p *pipeline.Props, _ wiredApp) {
				p.Deployments = append(p.Deployments, pipeline.Deployment{
					Name: "production", Regions: []string{"us-east-1"}, Release: &pipeline.Stack{Name: "orders-app"},
					Target: &pipeline.Account{ID: "333333333333",
						DeployRoleArn:    orders.DeployRoleArn("333333333333", "production"),
						ExecutionRoleArn: orders.ExecutionRoleArn("333333333333", "production")},
				})
			},
			want: []string{
				"Store: the store orders-tooling/Artifacts admits accounts 222222222222, not 333333333333 of arn:aws:iam::333333333333:role/relay/orders/orders-production-deploy; add it to Readers.Accounts, or its organizational unit to Readers.OrganizationalUnits; Deployments[1] deploys as that role (Target.DeployRoleArn)",
			}},
		// aws-cdk-lib refuses a reference across Apps, at New or at synth,
		// with an error that names no field.
		{name: "a store of another App",
			pipeline: func(p *pipeline.Props, w wiredApp) {
				other := awscdk.NewStack(relaytest.NewApp(), jsii.String("orders-tooling"), env("111111111111", "us-east-1"))
				sp := w.store.Props()
				p.Store = artifacts.NewStore(other, "Artifacts", &sp)
			},
			want: []string{
				"Store: the store orders-tooling/Artifacts is in another App than the pipeline's stack orders-tooling, and aws-cdk-lib cannot reference across Apps; create the store in the pipeline's App",
			}},
		{name: "a replica store of another App",
			pipeline: func(p *pipeline.Props, w wiredApp) {
				other := awscdk.NewStack(relaytest.NewApp(), jsii.String("orders-tooling-eu-west-1"), env("111111111111", "eu-west-1"))
				sp := w.store.Props()
				sp.BucketName = orders.ArtifactBucket("eu-west-1")
				p.Replicas = map[string]pipeline.Replica{"eu-west-1": {Store: artifacts.NewStore(other, "Artifacts", &sp)}}
			},
			want: []string{
				`Replicas["eu-west-1"].Store: the store orders-tooling-eu-west-1/Artifacts is in another App than the pipeline's stack orders-tooling, and aws-cdk-lib cannot reference across Apps; create the store in the pipeline's App, or give its BucketName and KeyAlias instead`,
			}},
		{name: "a target of another App",
			pipeline: func(p *pipeline.Props, w wiredApp) {
				other := awscdk.NewStack(relaytest.NewApp(), jsii.String("orders-staging"), env("222222222222", "us-east-1"))
				tp := w.target.Props()
				p.Deployments[0].Target = target.New(other, "Delivery", &tp).Account()
			},
			want: []string{
				"Deployments[0].Target: the target orders-staging/Delivery is in another App than the pipeline's stack orders-tooling, and aws-cdk-lib cannot reference across Apps; give the target in its string form (&pipeline.Account{ID, DeployRoleArn, ExecutionRoleArn} of plain ARNs, from naming.Names), or create it in the pipeline's App",
			}},
		// A Step Functions hook with an input file reads the artifact as
		// the invoke role, which may read the store only with
		// InvokeReadsArtifacts: without it the action fails when it runs.
		{name: "an invoke action reading an artifact as an invoke role that may not",
			target: func(p *target.Props) {
				p.InvokeRoleName = orders.InvokeRole("staging")
				p.InvokeStatements = []target.Statement{{Actions: []string{"states:StartExecution"}, Resources: []string{"arn:aws:states:us-east-1:222222222222:stateMachine:orders-migrate"}}}
			},
			pipeline: func(p *pipeline.Props, _ wiredApp) {
				p.InvokeRolePatterns = []string{orders.InvokeRolePattern()}
				p.Deployments[0].Hooks = []pipeline.Hook{{Name: "migrate", Invoke: &pipeline.StepFunctionsInvoke{StateMachine: "orders-migrate", InputFile: "migrate.json"}}}
			},
			want: []string{
				"Deployments[0].Hooks[0].Invoke.InputFile: the action Hook-migrate-us-east-1 reads its input file from the artifact Build as the invoke role of the target orders-staging/Delivery, which may not read the artifact store; set InvokeReadsArtifacts in that target's props (target.Props.InvokeReadsArtifacts), and admit its invoke role to the store's readers (artifacts.Readers.RoleArnPatterns)",
			}},
		{name: "an invoke action reading an artifact as an invoke role the store does not admit",
			target: func(p *target.Props) {
				p.InvokeRoleName = orders.InvokeRole("staging")
				p.InvokeReadsArtifacts = true
				p.InvokeStatements = []target.Statement{{Actions: []string{"states:StartExecution"}, Resources: []string{"arn:aws:states:us-east-1:222222222222:stateMachine:orders-migrate"}}}
			},
			pipeline: func(p *pipeline.Props, _ wiredApp) {
				p.InvokeRolePatterns = []string{orders.InvokeRolePattern()}
				p.Deployments[0].Hooks = []pipeline.Hook{{Name: "migrate", Invoke: &pipeline.StepFunctionsInvoke{StateMachine: "orders-migrate", InputFile: "migrate.json"}}}
			},
			want: []string{
				"Store: the store orders-tooling/Artifacts admits roles like arn:aws:iam::*:role/relay/orders/orders-*-deploy, and arn:aws:iam::222222222222:role/relay/orders/orders-staging-invoke matches none; rename the role or add a pattern to Readers.RoleArnPatterns; Deployments[0].Hooks[0].Invoke.InputFile is read as that role",
			}},
		// aws-cdk-lib refused the pipeline stack's dependency on the
		// target's stack in pipeline.New (DependencyCycle, no field), after
		// ValidateIn had returned nil.
		{name: "the target's stack depends on the pipeline's",
			pipeline: func(_ *pipeline.Props, w wiredApp) {
				w.staging.AddStackDependency(w.tooling, jsii.String("the team's reason"))
			},
			want: []string{
				"Deployments[0].Target: the stack orders-staging of orders-staging/Delivery depends on the pipeline's stack orders-tooling (orders-staging -> orders-tooling), and the pipeline's stack must depend on it so that the target's roles are created before the pipeline runs, a cycle aws-cdk-lib refuses; remove that dependency, or move what needs the pipeline into a stack that orders-staging does not depend on",
			}},
		{name: "the target's stack depends on the pipeline's through a team stack",
			pipeline: func(_ *pipeline.Props, w wiredApp) {
				network := awscdk.NewStack(w.app, jsii.String("orders-network"), env("222222222222", "us-east-1"))
				network.AddStackDependency(w.tooling, jsii.String("the network reads the pipeline's name"))
				w.staging.AddStackDependency(network, jsii.String("the roles after the network"))
			},
			want: []string{
				"Deployments[0].Target: the stack orders-staging of orders-staging/Delivery depends on the pipeline's stack orders-tooling (orders-staging -> orders-network -> orders-tooling), and the pipeline's stack must depend on it so that the target's roles are created before the pipeline runs, a cycle aws-cdk-lib refuses; remove that dependency, or move what needs the pipeline into a stack that orders-staging does not depend on",
			}},
		{name: "a replica store's stack depends on the pipeline's",
			pipeline: func(p *pipeline.Props, w wiredApp) {
				eu := awscdk.NewStack(w.app, jsii.String("orders-tooling-eu-west-1"), env("111111111111", "eu-west-1"))
				replica := artifacts.NewStore(eu, "Artifacts", &artifacts.StoreProps{BucketName: orders.ArtifactBucket("eu-west-1"), KeyAlias: orders.ArtifactKeyAlias()})
				eu.AddStackDependency(w.tooling, jsii.String("the team's reason"))
				p.Replicas = map[string]pipeline.Replica{"eu-west-1": {Store: replica}}
			},
			want: []string{
				`Replicas["eu-west-1"].Store: the stack orders-tooling-eu-west-1 of orders-tooling-eu-west-1/Artifacts depends on the pipeline's stack orders-tooling (orders-tooling-eu-west-1 -> orders-tooling), and the pipeline's stack must depend on it so that the replica bucket is created before the pipeline runs, a cycle aws-cdk-lib refuses; remove that dependency, or move what needs the pipeline into a stack that orders-tooling-eu-west-1 does not depend on`,
			}},
		// Two target.New with one environment's names in one account: each
		// stack synthesized, the pipeline took both, and the second stack
		// failed at deploy (role names are unique in an account).
		{name: "two targets with the same role names in one account",
			target: func(p *target.Props) {
				p.RelayStacks = []target.RelayStack{{Name: "orders-staging", Region: "us-east-1"}, {Name: "orders-staging-again", Region: "us-east-1"}}
			},
			pipeline: func(p *pipeline.Props, w wiredApp) {
				again := awscdk.NewStack(w.app, jsii.String("orders-staging-again"), env("222222222222", "us-east-1"))
				tp := w.target.Props()
				tp.ArtifactBucketArns, tp.ArtifactKeyArns = nil, nil // Stores adds them again
				t2 := target.New(again, "Delivery", &tp)
				p.Deployments = append(p.Deployments, pipeline.Deployment{Name: "staging-again", Target: t2.Account(), Regions: []string{"us-east-1"}, Release: &pipeline.Stack{Name: "orders-app"}})
			},
			want: []string{
				"Deployments[1].Target: the target orders-staging-again/Delivery's deploy role orders-staging-deploy has the name of the deploy role of the target orders-staging/Delivery (Deployments[0]) in account 222222222222, and IAM role names are unique in an account, whatever their path (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html), so the second stack would fail to deploy; give the targets the names of different environments (naming.Names), or give both deployments one target",
				"Deployments[1].Target: the target orders-staging-again/Delivery's execution role orders-staging-cfn-exec has the name of the execution role of the target orders-staging/Delivery (Deployments[0]) in account 222222222222, and IAM role names are unique in an account, whatever their path (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html), so the second stack would fail to deploy; give the targets the names of different environments (naming.Names), or give both deployments one target",
			}},
		// A token of a role of another account whose name is generated
		// passed ValidateIn and New; aws-cdk-lib refused it at synth
		// (CannotUseCrossEnvironment), naming the role and no field.
		{name: "a role of the target's account with a generated name",
			pipeline: func(p *pipeline.Props, w wiredApp) {
				r := awsiam.NewRole(w.staging, jsii.String("TeamDeploy"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountPrincipal(jsii.String("111111111111"))})
				p.DeployRolePatterns = []string{orders.DeployRolePattern()}
				p.Deployments[0].Target = &pipeline.Account{ID: "222222222222", DeployRoleArn: *r.RoleArn(), ExecutionRoleArn: w.target.ExecutionRoleArn()}
			},
			wantFor: func(p *pipeline.Props) []string {
				arn := p.Deployments[0].Target.(*pipeline.Account).DeployRoleArn
				return []string{
					fmt.Sprintf(`Deployments[0].Target.DeployRoleArn %q: a reference to orders-staging/TeamDeploy, a resource of another account or region than the stack orders-tooling whose physical name is generated, which aws-cdk-lib cannot write there (CannotUseCrossEnvironment at synth); give the resource a physical name (such as RoleName or BucketName: naming.Names has Relay's), or write the ARN as text`, arn),
				}
			}},
		// A Store value that artifacts.NewStore did not return was read as a
		// construct: a Go nil dereference in ValidateIn and New.
		{name: "a zero Store",
			pipeline: func(p *pipeline.Props, _ wiredApp) { p.Store = &artifacts.Store{} },
			want: []string{
				"Store: not created by artifacts.NewStore (a zero artifacts.Store has no stack, key or bucket); pass the *artifacts.Store that artifacts.NewStore returned",
			}},
		{name: "a zero replica Store",
			pipeline: func(p *pipeline.Props, _ wiredApp) {
				p.Replicas = map[string]pipeline.Replica{"eu-west-1": {Store: &artifacts.Store{}}}
			},
			want: []string{
				`Replicas["eu-west-1"].Store: not created by artifacts.NewStore (a zero artifacts.Store has no stack, key or bucket); pass the *artifacts.Store that artifacts.NewStore returned`,
			}},
		{name: "a plain ARN that is not the target's role",
			pipeline: func(p *pipeline.Props, _ wiredApp) {
				p.Deployments[0].Target.(*pipeline.Account).ExecutionRoleArn = "arn:aws:iam::222222222222:role/orders-cfn-exec"
			},
			want: []string{
				`Deployments[0].Target.ExecutionRoleArn "arn:aws:iam::222222222222:role/orders-cfn-exec": the target orders-staging/Delivery's execution role is arn:aws:iam::222222222222:role/relay/orders/orders-staging-cfn-exec`,
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWiredApp(t, tc.store, tc.target)
			if tc.pipeline != nil {
				relaytest.Do(t, "change the pipeline props", func() { tc.pipeline(w.props, w) })
			}
			err := w.props.ValidateIn(w.tooling)
			want := tc.want
			if tc.wantFor != nil {
				want = tc.wantFor(w.props)
			}
			relaytest.ValidateError(t, err, "pipeline.Props: ", want)
			relaytest.FieldPaths(t, w.props, err)
			msg, ok := relaytest.Recover(func() { pipeline.New(w.tooling, "Pipeline", w.props) })
			if ok || !strings.HasPrefix(msg, "pipeline.Props: ") {
				t.Errorf("pipeline.New: panicked %v with %q, want the same error", !ok, msg)
			}
		})
	}
}

// TestTokensOfOwnRoles: a token of a role that is not a Relay target is
// resolved to the ARN aws-cdk-lib writes in the pipeline's stack.
func TestTokensOfOwnRoles(t *testing.T) {
	w := newWiredApp(t, func(p *artifacts.StoreProps) {
		p.Readers.Accounts = append(p.Readers.Accounts, "333333333333")
		p.Readers.RoleArnPatterns = append(p.Readers.RoleArnPatterns, "arn:aws:iam::333333333333:role/team-deploy")
	}, nil)
	prod := awscdk.NewStack(w.app, jsii.String("orders-production"), env("333333333333", "us-east-1"))
	var deploy, exec awsiam.Role
	relaytest.Do(t, "the team's own roles", func() {
		deploy = awsiam.NewRole(prod, jsii.String("Deploy"), &awsiam.RoleProps{RoleName: jsii.String("team-deploy"), AssumedBy: awsiam.NewAccountPrincipal(jsii.String("111111111111"))})
		exec = awsiam.NewRole(prod, jsii.String("Exec"), &awsiam.RoleProps{RoleName: jsii.String("team-cfn-exec"), AssumedBy: awsiam.NewServicePrincipal(jsii.String("cloudformation.amazonaws.com"), nil)})
	})
	w.props.Deployments = append(w.props.Deployments, pipeline.Deployment{
		Name:    "production",
		Target:  &pipeline.Account{ID: "333333333333", DeployRoleArn: *deploy.RoleArn(), ExecutionRoleArn: *exec.RoleArn()},
		Regions: []string{"us-east-1"}, Release: &pipeline.Stack{Name: "orders-app"},
	})
	relaytest.Do(t, "pipeline.New", func() { pipeline.New(w.tooling, "Pipeline", w.props) })
	raw := string(relaytest.Marshal(*relaytest.Template(t, w.tooling).FindResources(jsii.String("AWS::CodePipeline::Pipeline"), nil)))
	for _, want := range []string{"arn:aws:iam::333333333333:role/team-deploy", "arn:aws:iam::333333333333:role/team-cfn-exec"} {
		if !strings.Contains(raw, `"`+want+`"`) {
			t.Errorf("the pipeline does not name %s", want)
		}
	}
}

// TestWiredInvokeReadsArtifacts: a Step Functions hook with an input file,
// wired by reference to a target whose invoke role may read the artifacts
// (InvokeReadsArtifacts) and a store that admits it, passes the checks.
func TestWiredInvokeReadsArtifacts(t *testing.T) {
	w := newWiredApp(t, func(p *artifacts.StoreProps) {
		p.Readers.RoleArnPatterns = append(p.Readers.RoleArnPatterns, orders.InvokeRolePattern())
	}, func(p *target.Props) {
		p.InvokeRoleName = orders.InvokeRole("staging")
		p.InvokeReadsArtifacts = true
		p.InvokeStatements = []target.Statement{{Actions: []string{"states:StartExecution"}, Resources: []string{"arn:aws:states:us-east-1:222222222222:stateMachine:orders-migrate"}}}
	})
	w.props.InvokeRolePatterns = []string{orders.InvokeRolePattern()}
	w.props.Deployments[0].Hooks = []pipeline.Hook{{Name: "migrate", Invoke: &pipeline.StepFunctionsInvoke{StateMachine: "orders-migrate", InputFile: "config/migrate.json"}}}
	if err := w.props.ValidateIn(w.tooling); err != nil {
		t.Fatalf("ValidateIn() = %v", err)
	}
	// The action reads the file its Input names in the input artifact
	// (the Step Functions action reference's example: "Input":
	// "assets/input.json"); aws-cdk-lib's StateMachineInput.filePath wrote
	// Build::config/migrate.json, which names no file.
	relaytest.Do(t, "pipeline.New", func() { pipeline.New(w.tooling, "Pipeline", w.props) })
	relaytest.Check(t, "the hook's input file, by its path in the artifact", func() {
		relaytest.Template(t, w.tooling).HasResourceProperties(jsii.String("AWS::CodePipeline::Pipeline"), map[string]interface{}{
			"Stages": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
				"Actions": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
					"Name":           "Hook-migrate-us-east-1",
					"InputArtifacts": []interface{}{map[string]interface{}{"Name": "Build"}},
					"Configuration":  map[string]interface{}{"StateMachineArn": "arn:aws:states:us-east-1:222222222222:stateMachine:orders-migrate", "InputType": "FilePath", "Input": "config/migrate.json", "ExecutionNamePrefix": "migrate"},
				})}),
			})}),
		})
	})
}

// TestWiredTargetsKeepRelayStacks: a target wired by reference must keep
// (target.Props.RelayStacks) every stack of the pipeline's App in its
// account that holds Relay's constructs. Its default keeps only its own
// stack, so a target in the tooling account, or two targets in one
// account, left the pipeline's stack or the other target's stack to the
// execution roles and the bounded roles, which CloudFormation would change
// as the bootstrap's cfn-exec-role. A target in the pipeline's account
// must also keep the pipeline's own resources there from them
// (target.Props.RelayTooling).
func TestWiredTargetsKeepRelayStacks(t *testing.T) {
	tests := []struct {
		name string
		// accounts of the targets dev and staging ("" for no staging).
		dev, staging string
		relayStacks  []target.RelayStack // of dev; nil for the default
		relayTooling []string            // of dev
		want         string
	}{
		{name: "targets in accounts of their own", dev: "222222222222", staging: "333333333333"},
		{name: "a target in the pipeline's account", dev: "111111111111",
			want: `pipeline.Props: Deployments[0].Target: the target orders-dev/Delivery's RelayStacks (orders-dev in us-east-1) leave out the stack orders-tooling of its account 111111111111, which holds the pipeline: the target's execution roles, and the roles its stacks create under its permissions boundary, could update or delete that stack through CloudFormation, which runs the change as the stack's service role (the CDK bootstrap's cfn-exec-role); add target.RelayStack{Name: "orders-tooling", Region: "us-east-1"} to the target's Props.RelayStacks
Deployments[0].Target: the target orders-dev/Delivery is in the pipeline's account 111111111111 and its RelayTooling is empty: its execution roles, the roles its stacks create under its permissions boundary and its step, hook and invoke roles could start the pipeline's CodeBuild projects with a buildspec override, change the recovery function or write the artifact bucket, and so act as the pipeline's roles; set the target's Props.RelayTooling to the ARN patterns of the pipeline's resources in that account (naming.Names.ToolingResources() when its names come from naming.Names)`},
		{name: "that target keeping the tooling stacks", dev: "111111111111",
			relayStacks: []target.RelayStack{{Name: "orders-dev", Region: "us-east-1"}, {Name: "orders-tooling*"}},
			want:        `pipeline.Props: Deployments[0].Target: the target orders-dev/Delivery is in the pipeline's account 111111111111 and its RelayTooling is empty: its execution roles, the roles its stacks create under its permissions boundary and its step, hook and invoke roles could start the pipeline's CodeBuild projects with a buildspec override, change the recovery function or write the artifact bucket, and so act as the pipeline's roles; set the target's Props.RelayTooling to the ARN patterns of the pipeline's resources in that account (naming.Names.ToolingResources() when its names come from naming.Names)`},
		{name: "that target keeping the tooling stacks and resources", dev: "111111111111",
			relayStacks: []target.RelayStack{{Name: "orders-dev", Region: "us-east-1"}, {Name: "orders-tooling*"}}, relayTooling: orders.ToolingResources()},
		{name: "a region the pipeline is not in", dev: "111111111111",
			relayStacks: []target.RelayStack{{Name: "orders-dev"}, {Name: "orders-tooling", Region: "eu-west-1"}}, relayTooling: orders.ToolingResources(),
			want: `pipeline.Props: Deployments[0].Target: the target orders-dev/Delivery's RelayStacks (orders-dev in every region, orders-tooling in eu-west-1) leave out the stack orders-tooling of its account 111111111111, which holds the pipeline: the target's execution roles, and the roles its stacks create under its permissions boundary, could update or delete that stack through CloudFormation, which runs the change as the stack's service role (the CDK bootstrap's cfn-exec-role); add target.RelayStack{Name: "orders-tooling", Region: "us-east-1"} to the target's Props.RelayStacks`},
		{name: "two targets in one account", dev: "222222222222", staging: "222222222222",
			want: `pipeline.Props: Deployments[0].Target: the target orders-dev/Delivery's RelayStacks (orders-dev in us-east-1) leave out the stack orders-staging of its account 222222222222, which holds the target orders-staging/Delivery: the target's execution roles, and the roles its stacks create under its permissions boundary, could update or delete that stack through CloudFormation, which runs the change as the stack's service role (the CDK bootstrap's cfn-exec-role); add target.RelayStack{Name: "orders-staging", Region: "us-east-1"} to the target's Props.RelayStacks
Deployments[1].Target: the target orders-staging/Delivery's RelayStacks (orders-staging in us-east-1) leave out the stack orders-dev of its account 222222222222, which holds the target orders-dev/Delivery: the target's execution roles, and the roles its stacks create under its permissions boundary, could update or delete that stack through CloudFormation, which runs the change as the stack's service role (the CDK bootstrap's cfn-exec-role); add target.RelayStack{Name: "orders-dev", Region: "us-east-1"} to the target's Props.RelayStacks`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := relaytest.NewApp()
			tooling := awscdk.NewStack(app, jsii.String("orders-tooling"), env("111111111111", "us-east-1"))
			var store *artifacts.Store
			relaytest.Do(t, "artifacts.NewStore", func() {
				store = artifacts.NewStore(tooling, "Artifacts", &artifacts.StoreProps{
					BucketName: orders.ArtifactBucket("us-east-1"), KeyAlias: orders.ArtifactKeyAlias(),
					Readers: artifacts.Readers{Accounts: []string{"222222222222", "333333333333"}, RoleArnPatterns: []string{orders.DeployRolePattern()}},
				})
			})
			props := &pipeline.Props{
				PipelineName: orders.Pipeline(), RoleName: orders.PipelineRole(), RolePath: orders.RolePath(), Store: store,
				Source: &pipeline.ConnectionSource{Owner: "acme", Repo: "orders", ConnectionArn: connection},
			}
			for _, e := range []struct {
				name, account string
				relayStacks   []target.RelayStack
				relayTooling  []string
			}{{"dev", tt.dev, tt.relayStacks, tt.relayTooling}, {"staging", tt.staging, nil, nil}} {
				if e.account == "" {
					continue
				}
				stack := awscdk.NewStack(app, jsii.String(orders.TargetStack(e.name)), env(e.account, "us-east-1"))
				var tgt *target.DeploymentTarget
				relaytest.Do(t, "target.New", func() {
					tgt = target.New(stack, "Delivery", &target.Props{
						Regions: []string{"us-east-1"}, RolePath: orders.RolePath(),
						DeployRoleName: orders.DeployRole(e.name), ExecutionRoleName: orders.ExecutionRole(e.name),
						PipelineAccount: "111111111111", PipelineRoleArns: []string{orders.PipelineRoleArn()},
						StackNames: []string{"orders-app-" + e.name}, Stores: []*artifacts.Store{store},
						ExecutionManagedPolicyArns: []string{"arn:aws:iam::" + e.account + ":policy/orders-app-deployer"},
						RelayStacks:                e.relayStacks, RelayTooling: e.relayTooling,
					})
				})
				props.Deployments = append(props.Deployments, pipeline.Deployment{Name: e.name, Target: tgt.Account(),
					Regions: []string{"us-east-1"}, Release: &pipeline.Stack{Name: "orders-app-" + e.name}})
			}
			got := ""
			if err := props.ValidateIn(tooling); err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("ValidateIn() =\n%s\nwant\n%s", got, tt.want)
			}
			if got == "" {
				relaytest.Do(t, "pipeline.New", func() { pipeline.New(tooling, "Pipeline", props) })
			}
		})
	}
}

// TestValidateChecksWiredTargets: what a deployment wired by reference
// gets wrong without needing the pipeline's stack (RoleName, the target's
// regions and stacks, its roles in their places) is Validate's error as
// it is ValidateIn's and New's; Validate used to return nil for each.
func TestValidateChecksWiredTargets(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(w wiredApp)
		want   string
	}{
		{"no RoleName", func(w wiredApp) { w.props.RoleName = "" },
			`pipeline.Props: RoleName: required when a deployment's target is wired by reference (Deployments[0].Target, orders-staging/Delivery): the target's trust names the pipeline role by ARN (PipelineRoleArns arn:aws:iam::111111111111:role/relay/orders/orders-pipeline); use naming.Names.PipelineRole for both`},
		{"a stack the target does not deploy", func(w wiredApp) { w.props.Deployments[0].Release = &pipeline.Stack{Name: "orders-api"} },
			`pipeline.Props: Deployments[0].Release.Name "orders-api": the target orders-staging/Delivery's deploy role may manage the stacks orders-app only; add orders-api to its StackNames`},
		{"a region the target does not deploy to", func(w wiredApp) {
			w.props.Deployments[0].Regions = []string{"eu-west-1"}
			w.props.Replicas = map[string]pipeline.Replica{"eu-west-1": {BucketName: orders.ArtifactBucket("eu-west-1"), KeyAlias: orders.ArtifactKeyAlias()}}
		}, `pipeline.Props: Deployments[0].Regions "eu-west-1": the target orders-staging/Delivery's deploy role may manage stacks in us-east-1 only; add eu-west-1 to its Regions`},
		{"the execution role as deploy role", func(w wiredApp) {
			a := w.target.Account()
			a.DeployRoleArn = a.ExecutionRoleArn
			w.props.Deployments[0].Target = a
		}, `pipeline.Props: Deployments[0].Target.DeployRoleArn: the execution role of the target orders-staging/Delivery; use its deploy role (DeployRole().RoleArn())`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWiredApp(t, nil, nil)
			tt.mutate(w)
			if err := w.props.Validate(); err == nil || err.Error() != tt.want {
				t.Errorf("Validate() = %v\nwant %s", err, tt.want)
			}
			// ValidateIn adds what needs the stack (the replica's grants).
			if err := w.props.ValidateIn(w.tooling); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("ValidateIn() = %v\nwant it to start with %s", err, tt.want)
			}
		})
	}
}

// TestWiredInvokeGrants: a hook wired by reference runs as its target's
// invoke role, whose InvokeStatements must grant what the action calls
// (lambda:InvokeFunction on the function, states:StartExecution on the
// state machine) in the action's region; a hook they do not name would fail
// with AccessDenied when it runs, and passed every check before.
func TestWiredInvokeGrants(t *testing.T) {
	lambdaHook := []pipeline.Hook{{Name: "smoke", Invoke: &pipeline.LambdaInvoke{Function: "orders-smoke"}}}
	sfnHook := []pipeline.Hook{{Name: "migrate", Invoke: &pipeline.StepFunctionsInvoke{StateMachine: "orders-migrate"}}}
	tests := []struct {
		name       string
		hooks      []pipeline.Hook
		statements []target.Statement
		want       string
	}{
		{"the function", lambdaHook, []target.Statement{{Actions: []string{"lambda:InvokeFunction"}, Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:orders-smoke"}}}, ""},
		{"functions by pattern", lambdaHook, []target.Statement{{Actions: []string{"lambda:Invoke*"}, Resources: []string{"arn:aws:lambda:*:222222222222:function:orders-*"}, Reason: "the hooks' functions are named orders-*"}}, ""},
		{"with a condition", lambdaHook, []target.Statement{{Actions: []string{"lambda:InvokeFunction"}, Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:orders-smoke"},
			Conditions: map[string]map[string][]string{"StringEquals": {"aws:ResourceTag/team": {"orders"}}}}}, ""},
		{"another function", lambdaHook, []target.Statement{{Actions: []string{"lambda:InvokeFunction"}, Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:orders-other"}}},
			`pipeline.Props: Deployments[0].Hooks[0].Invoke.Function "orders-smoke": the action Hook-smoke-us-east-1 calls lambda:InvokeFunction on arn:aws:lambda:us-east-1:222222222222:function:orders-smoke as the invoke role of the target orders-staging/Delivery, whose InvokeStatements do not grant it, so it would fail with AccessDenied when it runs; add a statement with lambda:InvokeFunction on arn:aws:lambda:us-east-1:222222222222:function:orders-smoke to that target's InvokeStatements`},
		{"the function in another region", lambdaHook, []target.Statement{{Actions: []string{"lambda:InvokeFunction"}, Resources: []string{"arn:aws:lambda:eu-west-1:222222222222:function:orders-smoke"}}},
			`pipeline.Props: Deployments[0].Hooks[0].Invoke.Function "orders-smoke": the action Hook-smoke-us-east-1 calls lambda:InvokeFunction on arn:aws:lambda:us-east-1:222222222222:function:orders-smoke as the invoke role of the target orders-staging/Delivery, whose InvokeStatements do not grant it, so it would fail with AccessDenied when it runs; add a statement with lambda:InvokeFunction on arn:aws:lambda:us-east-1:222222222222:function:orders-smoke to that target's InvokeStatements`},
		{"the state machine", sfnHook, []target.Statement{{Actions: []string{"states:StartExecution", "states:DescribeExecution"}, Resources: []string{"arn:aws:states:us-east-1:222222222222:stateMachine:orders-migrate", "arn:aws:states:us-east-1:222222222222:execution:orders-migrate:*"}, Reason: "executions are named by the action"}}, ""},
		{"only describing the state machine", sfnHook, []target.Statement{{Actions: []string{"states:DescribeStateMachine"}, Resources: []string{"arn:aws:states:us-east-1:222222222222:stateMachine:orders-migrate"}}},
			`pipeline.Props: Deployments[0].Hooks[0].Invoke.StateMachine "orders-migrate": the action Hook-migrate-us-east-1 calls states:StartExecution on arn:aws:states:us-east-1:222222222222:stateMachine:orders-migrate as the invoke role of the target orders-staging/Delivery, whose InvokeStatements do not grant it, so it would fail with AccessDenied when it runs; add a statement with states:StartExecution on arn:aws:states:us-east-1:222222222222:stateMachine:orders-migrate to that target's InvokeStatements`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWiredApp(t, nil, func(p *target.Props) {
				p.InvokeRoleName = orders.InvokeRole("staging")
				p.InvokeStatements = tt.statements
			})
			w.props.InvokeRolePatterns = []string{orders.InvokeRolePattern()}
			w.props.Deployments[0].Hooks = tt.hooks
			w.wantValidate(t, tt.want)
		})
	}
}

// TestWiredTargetRegionsToken: a target whose Regions hold a token (its
// stack's region, awscdk.Aws_REGION()) cannot be shown to manage a
// deployment's stacks in a region; the refusal says so and what to give,
// instead of advising to add the region the target seemed to lack. A
// release that is not a stack does not read Regions and still passes.
func TestWiredTargetRegionsToken(t *testing.T) {
	token := *awscdk.Aws_REGION()
	tests := []struct {
		name    string
		release pipeline.Release
		want    string
	}{
		{"a stack", &pipeline.Stack{Name: "orders-app"},
			fmt.Sprintf(`pipeline.Props: Deployments[0].Regions "us-east-1": the target orders-staging/Delivery's Regions (%s) hold a token (such as awscdk.Aws_REGION()), which stays unknown at synth, so its deploy role cannot be shown to manage stacks in us-east-1; give the target's Regions as text, such as us-east-1 (a stack's Region() is text when its Env names the region)`, token)},
		{"an ECS service", &pipeline.ECSRelease{Cluster: "orders", Service: "api"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWiredApp(t, nil, func(p *target.Props) {
				p.Regions = []string{token}
				p.DeployStatements = []target.Statement{{Actions: []string{"ecs:*"}, Resources: []string{"*"}, Reason: "every ECS call of the account"}}
			})
			w.props.Deployments[0].Release = tt.release
			w.wantValidate(t, tt.want)
		})
	}
}

// TestApproverTokens: an approver given as a token (a role of the team's
// own, as README "Teams" promises for every ARN) was refused as no IAM role
// ARN. A token that stays a reference is pinned in the approver role's
// trust as CloudFormation resolves it, with its account split from it; one
// of another account with a physical name is resolved to text and judged as
// text; an account root given as a token still needs ApproverRootsReason.
func TestApproverTokens(t *testing.T) {
	type trust struct{ principal, arns string }
	tests := []struct {
		name string
		// approvers makes the principals in the App of w.
		approvers func(w wiredApp) []string
		want      []string // every error of ValidateIn
		trust     []trust  // the approver role's trust statements (JSON)
	}{
		{"a role of the tooling stack with a RoleName", func(w wiredApp) []string {
			r := awsiam.NewRole(w.tooling, jsii.String("Approvers"), &awsiam.RoleProps{RoleName: jsii.String("orders-approvers"), AssumedBy: awsiam.NewAccountRootPrincipal()})
			return []string{*r.RoleArn()}
		}, nil, []trust{{
			`{"AWS":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::",{"Fn::Select":[4,{"Fn::Split":[":",{"Fn::GetAtt":["ApproversF215AADE","Arn"]}]}]},":root"]]}}`,
			`{"Fn::GetAtt":["ApproversF215AADE","Arn"]}`,
		}}},
		{"a role of the tooling stack with a generated name, beside a literal", func(w wiredApp) []string {
			r := awsiam.NewRole(w.tooling, jsii.String("Approvers"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
			return []string{*r.RoleArn(), "arn:aws:iam::111111111111:role/release-managers"}
		}, nil, []trust{{
			`{"AWS":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::",{"Fn::Select":[4,{"Fn::Split":[":",{"Fn::GetAtt":["ApproversF215AADE","Arn"]}]}]},":root"]]}}`,
			`{"Fn::GetAtt":["ApproversF215AADE","Arn"]}`,
		}, {
			`{"AWS":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::111111111111:root"]]}}`,
			`"arn:aws:iam::111111111111:role/release-managers"`,
		}}},
		{"a role of another account with a RoleName", func(w wiredApp) []string {
			r := awsiam.NewRole(w.staging, jsii.String("Approvers"), &awsiam.RoleProps{RoleName: jsii.String("orders-approvers"), AssumedBy: awsiam.NewAccountRootPrincipal()})
			return []string{*r.RoleArn()}
		}, nil, []trust{{
			`{"AWS":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::222222222222:root"]]}}`,
			`"arn:aws:iam::222222222222:role/orders-approvers"`,
		}}},
		{"a user of another account whose name AWS refuses", func(w wiredApp) []string {
			u := awsiam.NewUser(w.staging, jsii.String("Approver"), &awsiam.UserProps{UserName: jsii.String("release managers")})
			return []string{*u.UserArn()}
		}, []string{
			`ApproverPrincipals[0] "arn:aws:iam::222222222222:user/release managers": must be an IAM role, user or account-root ARN, whose path and name are letters, digits and +=,.@_- (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html)`,
		}, nil},
		{"the tooling account's root as a token, without a reason", func(w wiredApp) []string {
			return []string{*awsiam.NewAccountRootPrincipal().Arn()}
		}, []string{
			`ApproverPrincipals[0] "arn:aws:iam::111111111111:root": an account root admits whoever that account's administrators allow; name roles or users, or accept it with ApproverRootsReason (at least 10 characters)`,
		}, nil},
		{"an account root that stays a reference, without a reason", func(w wiredApp) []string {
			account := awscdk.NewCfnParameter(w.tooling, jsii.String("ApproverAccount"), nil)
			return []string{"arn:aws:iam::" + *account.ValueAsString() + ":root"}
		}, []string{
			`ApproverPrincipals[0] "{0}": an account root admits whoever that account's administrators allow; name roles or users, or accept it with ApproverRootsReason (at least 10 characters)`,
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWiredApp(t, nil, nil)
			relaytest.Do(t, "the team's approvers", func() { w.props.ApproverPrincipals = tc.approvers(w) })
			var want []string
			for _, m := range tc.want { // {0} is the first principal, whose token's number varies
				want = append(want, strings.ReplaceAll(m, "{0}", w.props.ApproverPrincipals[0]))
			}
			relaytest.ValidateError(t, w.props.ValidateIn(w.tooling), "pipeline.Props: ", want)
			if tc.want != nil {
				return
			}
			relaytest.ValidateError(t, w.props.Validate(), "pipeline.Props: ", nil)
			relaytest.Do(t, "pipeline.New", func() { pipeline.New(w.tooling, "Pipeline", w.props) })
			roles := *relaytest.Template(t, w.tooling).FindResources(jsii.String("AWS::IAM::Role"), &map[string]interface{}{
				"Properties": map[string]interface{}{"Description": "May approve or reject the manual approvals of the delivery pipeline, and nothing else"},
			})
			if len(roles) != 1 {
				t.Fatalf("%d approver roles, want 1", len(roles))
			}
			var got []trust
			for _, r := range roles {
				doc := (*r)["Properties"].(map[string]interface{})["AssumeRolePolicyDocument"].(map[string]interface{})
				for _, s := range doc["Statement"].([]interface{}) {
					st := s.(map[string]interface{})
					principal, _ := json.Marshal(st["Principal"])
					pinned, _ := json.Marshal(st["Condition"].(map[string]interface{})["ArnEquals"].(map[string]interface{})["aws:PrincipalArn"])
					got = append(got, trust{string(principal), string(pinned)})
				}
			}
			if diff := cmp.Diff(tc.trust, got, cmp.AllowUnexported(trust{})); diff != "" {
				t.Errorf("approver trust (-want +got):\n%s", diff)
			}
		})
	}
}
