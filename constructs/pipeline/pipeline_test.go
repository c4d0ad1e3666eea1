package pipeline_test

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

const (
	deployPattern = "arn:aws:iam::*:role/relay/payments/payments-*-deploy"
	topicPattern  = "arn:aws:sns:us-east-1:111111111111:payments-*-approval"
	connection    = "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
)

// roleArn is the ARN of env's deploy or cfn-exec role in account.
func roleArn(account, env, kind string) string {
	return "arn:aws:iam::" + account + ":role/relay/payments/payments-" + env + "-" + kind
}

func deployment(name, account string) pipeline.Deployment {
	return pipeline.Deployment{
		Name: name,
		Target: &pipeline.Account{ID: account,
			DeployRoleArn: roleArn(account, name, "deploy"), ExecutionRoleArn: roleArn(account, name, "cfn-exec")},
		Regions: []string{"us-east-1"},
		Release: &pipeline.Stack{Name: "payments-app", Capabilities: []string{"CAPABILITY_IAM"}},
	}
}

func approval(env string) *pipeline.Approval {
	return &pipeline.Approval{TopicName: "payments-" + env + "-approval", Notify: []string{"ops@example.com"}}
}

// stagingAndProduction are two deployments; production waits for approval.
func stagingAndProduction() []pipeline.Deployment {
	prod := deployment("production", "333333333333")
	prod.Approval = approval("production")
	return []pipeline.Deployment{deployment("staging", "222222222222"), prod}
}

// environments are n deployments env0, env1, ... in accounts 400000000000+i;
// every other one waits for approval.
func environments(n int) []pipeline.Deployment {
	out := make([]pipeline.Deployment, n)
	for i := range out {
		name := fmt.Sprintf("env%d", i)
		out[i] = deployment(name, fmt.Sprintf("%012d", 400000000000+i))
		if i%2 == 1 {
			out[i].Approval = approval(name)
		}
	}
	return out
}

func validProps(store *artifacts.Store, deps []pipeline.Deployment) *pipeline.Props {
	return &pipeline.Props{
		PipelineName:          "payments",
		RoleName:              "payments-pipeline",
		RolePath:              "/relay/payments/",
		Store:                 store,
		Source:                &pipeline.ConnectionSource{Owner: "acme", Repo: "payments", ConnectionArn: connection},
		Deployments:           deps,
		DeployRolePatterns:    []string{deployPattern},
		ApprovalTopicPatterns: []string{topicPattern},
	}
}

func newStack() awscdk.Stack {
	app := relaytest.NewApp()
	return awscdk.NewStack(app, jsii.String("Tooling"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
}

// synthesized is a tooling stack with an artifact store and a pipeline.
type synthesized struct {
	store *artifacts.Store
	pl    *pipeline.Pipeline
	tpl   assertions.Template
	json  map[string]interface{}
}

// synth builds a pipeline over deps, with validProps changed by mutate.
func synth(t *testing.T, deps []pipeline.Deployment, mutate func(*pipeline.Props)) synthesized {
	t.Helper()
	stack := newStack()
	var accounts []string
	for _, d := range deps {
		if a, ok := d.Target.(*pipeline.Account); ok {
			accounts = append(accounts, a.ID)
		}
	}
	var s synthesized
	relaytest.Do(t, "NewStore", func() {
		s.store = artifacts.NewStore(stack, "Artifacts", &artifacts.StoreProps{
			Readers: artifacts.Readers{Accounts: accounts, RoleArnPatterns: []string{deployPattern}},
		})
	})
	p := validProps(s.store, deps)
	if mutate != nil {
		mutate(p)
	}
	relaytest.Do(t, "pipeline.New", func() { s.pl = pipeline.New(stack, "Pipeline", p) })
	s.tpl = relaytest.Template(t, stack)
	s.json = *s.tpl.ToJSON()
	return s
}

func (s synthesized) has(t *testing.T, what, typ string, props interface{}) {
	t.Helper()
	relaytest.Check(t, what, func() { s.tpl.HasResourceProperties(jsii.String(typ), props) })
}

// resources are the template's resources of type typ, by logical ID.
func (s synthesized) resources(typ string) map[string]map[string]interface{} {
	out := map[string]map[string]interface{}{}
	for id, r := range s.json["Resources"].(map[string]interface{}) {
		if res := r.(map[string]interface{}); res["Type"] == typ {
			out[id] = res
		}
	}
	return out
}

// one is the only resource of type typ for which match holds.
func (s synthesized) one(t *testing.T, typ string, match func(props map[string]interface{}) bool) (string, map[string]interface{}) {
	t.Helper()
	var ids []string
	var found map[string]interface{}
	for id, r := range s.resources(typ) {
		props, _ := r["Properties"].(map[string]interface{})
		if match(props) {
			ids, found = append(ids, id), r
		}
	}
	if len(ids) != 1 {
		t.Fatalf("want one matching %s, found %v", typ, ids)
	}
	return ids[0], found
}

// logicalID is the logical ID of c's CloudFormation resource.
func logicalID(c constructs.IConstruct) string {
	return *awscdk.Stack_Of(c).GetLogicalId(c.Node().DefaultChild().(awscdk.CfnElement))
}

func ref(id string) interface{} { return map[string]interface{}{"Ref": id} }
func arnOf(id string) interface{} {
	return map[string]interface{}{"Fn::GetAtt": []interface{}{id, "Arn"}}
}
func str(v interface{}) string { s, _ := v.(string); return s }
func obj(v interface{}) map[string]interface{} {
	m, _ := v.(map[string]interface{})
	return m
}

func like(m map[string]interface{}) interface{} { return assertions.Match_ObjectLike(&m) }

// rolePolicy is the policy document attached to the role with logical ID role.
func (s synthesized) rolePolicy(t *testing.T, role string) (string, map[string]interface{}) {
	t.Helper()
	return s.one(t, "AWS::IAM::Policy", func(p map[string]interface{}) bool {
		return cmp.Equal(p["Roles"], []interface{}{ref(role)})
	})
}

// pipelineProps are the properties of the template's only pipeline.
func (s synthesized) pipelineProps(t *testing.T) map[string]interface{} {
	t.Helper()
	_, r := s.one(t, "AWS::CodePipeline::Pipeline", func(map[string]interface{}) bool { return true })
	return obj(r["Properties"])
}

// stages are the pipeline's stages by name, and their names in order.
func stages(props map[string]interface{}) (map[string][]interface{}, []string) {
	byName := map[string][]interface{}{}
	var names []string
	for _, st := range props["Stages"].([]interface{}) {
		name := str(obj(st)["Name"])
		names = append(names, name)
		byName[name], _ = obj(st)["Actions"].([]interface{})
	}
	return byName, names
}

// action is what a deploy stage's action does, read from the template.
type action struct {
	Name, Provider, Mode string
	RunOrder             float64
	Region               string
	RoleArn              interface{} // the role the action runs as
	CfnRoleArn           string      // the role CloudFormation runs as
	Stack, ChangeSet     string
	Template             string
	Capabilities         string
	NotificationArn      interface{}
}

func readAction(v interface{}) action {
	a, cfg := obj(v), obj(obj(v)["Configuration"])
	return action{
		Name:            str(a["Name"]),
		Provider:        str(obj(a["ActionTypeId"])["Provider"]),
		Mode:            str(cfg["ActionMode"]),
		RunOrder:        a["RunOrder"].(float64),
		Region:          str(a["Region"]),
		RoleArn:         a["RoleArn"],
		CfnRoleArn:      str(cfg["RoleArn"]),
		Stack:           str(cfg["StackName"]),
		ChangeSet:       str(cfg["ChangeSetName"]),
		Template:        str(cfg["TemplatePath"]),
		Capabilities:    str(cfg["Capabilities"]),
		NotificationArn: cfg["NotificationArn"],
	}
}

func TestPipeline(t *testing.T) {
	s := synth(t, stagingAndProduction(), nil)
	keyID, bucketID := logicalID(s.store.Key()), logicalID(s.store.Bucket())
	roleID, buildRoleID := logicalID(s.pl.Role()), logicalID(s.pl.Project().Role())
	topicID := logicalID(s.pl.ApprovalTopic("production"))
	props := s.pipelineProps(t)

	if got, want := [2]interface{}{props["PipelineType"], props["ExecutionMode"]}, [2]interface{}{"V2", "SUPERSEDED"}; got != want {
		t.Errorf("PipelineType, ExecutionMode = %v, want %v", got, want)
	}
	byName, names := stages(props)
	if diff := cmp.Diff([]string{"Source", "Build", "Deploy-staging", "Deploy-production"}, names); diff != "" {
		t.Errorf("stage names (-want +got):\n%s", diff)
	}

	s.has(t, "source action reads the branch through the connection and exports its variables", "AWS::CodePipeline::Pipeline", map[string]interface{}{
		"Stages": assertions.Match_ArrayWith(&[]interface{}{like(map[string]interface{}{
			"Name": "Source",
			"Actions": []interface{}{like(map[string]interface{}{
				"ActionTypeId": like(map[string]interface{}{"Category": "Source", "Provider": "CodeStarSourceConnection"}),
				"Namespace":    "SourceVariables",
				"Configuration": like(map[string]interface{}{
					"ConnectionArn": connection, "FullRepositoryId": "acme/payments", "BranchName": "main", "DetectChanges": true,
				}),
			})},
		})}),
	})

	t.Run("build action passes the commit", func(t *testing.T) {
		build := byName["Build"]
		if len(build) != 1 {
			t.Fatalf("Build stage has %d actions, want 1", len(build))
		}
		var vars []map[string]string
		raw := str(obj(obj(build[0])["Configuration"])["EnvironmentVariables"])
		if err := json.Unmarshal([]byte(raw), &vars); err != nil {
			t.Fatalf("EnvironmentVariables %q: %v", raw, err)
		}
		want := map[string]string{"name": "GIT_COMMIT_HASH", "type": "PLAINTEXT", "value": "#{SourceVariables.CommitId}"}
		if !containsVar(vars, want) {
			t.Errorf("EnvironmentVariables = %s, want an entry %v", raw, want)
		}
	})

	t.Run("deploy stages", func(t *testing.T) {
		prepare := func(env, account string, run float64) action {
			return action{
				Name: "Prepare-us-east-1", Provider: "CloudFormation", Mode: "CHANGE_SET_REPLACE", RunOrder: run, Region: "us-east-1",
				RoleArn: roleArn(account, env, "deploy"), CfnRoleArn: roleArn(account, env, "cfn-exec"),
				Stack: "payments-app", ChangeSet: "relay-pipeline", Template: "Build::template.json", Capabilities: "CAPABILITY_IAM",
			}
		}
		execute := func(env, account string, run float64) action {
			return action{
				Name: "Deploy-us-east-1", Provider: "CloudFormation", Mode: "CHANGE_SET_EXECUTE", RunOrder: run, Region: "us-east-1",
				RoleArn: roleArn(account, env, "deploy"), Stack: "payments-app", ChangeSet: "relay-pipeline",
			}
		}
		want := map[string][]action{
			"Deploy-staging": {prepare("staging", "222222222222", 1), execute("staging", "222222222222", 2)},
			"Deploy-production": {
				{Name: "Approve", Provider: "Manual", RunOrder: 1, NotificationArn: ref(topicID)},
				prepare("production", "333333333333", 2),
				execute("production", "333333333333", 3),
			},
		}
		for stage, want := range want {
			var got []action
			for _, a := range byName[stage] {
				got = append(got, readAction(a))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s actions (-want +got):\n%s", stage, diff)
			}
		}
	})

	s.has(t, "build encrypts with the artifact key", "AWS::CodeBuild::Project", map[string]interface{}{"EncryptionKey": arnOf(keyID)})
	s.has(t, "approval topic is named and encrypted with the artifact key", "AWS::SNS::Topic", map[string]interface{}{
		"TopicName": "payments-production-approval", "KmsMasterKeyId": arnOf(keyID),
	})
	s.has(t, "approvers are subscribed by email", "AWS::SNS::Subscription", map[string]interface{}{
		"Protocol": "email", "Endpoint": "ops@example.com", "TopicArn": ref(topicID),
	})
	s.has(t, "pipeline role is named, under the path, trusted by CodePipeline", "AWS::IAM::Role", map[string]interface{}{
		"RoleName": "payments-pipeline",
		"Path":     "/relay/payments/",
		"AssumeRolePolicyDocument": like(map[string]interface{}{"Statement": []interface{}{like(map[string]interface{}{
			"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]interface{}{"Service": "codepipeline.amazonaws.com"},
		})}}),
	})

	statements := []struct {
		sid      string
		action   interface{}
		resource interface{}
	}{
		{"AssumeDeployRoles", "sts:AssumeRole", deployPattern},
		{"AnnounceApprovals", "sns:Publish", topicPattern},
		{"RunBuild", assertions.Match_AnyValue(), arnOf(logicalID(s.pl.Project()))},
		{"UseSourceConnection", assertions.Match_AnyValue(), connection},
		{"ReadWriteArtifacts", assertions.Match_AnyValue(), []interface{}{arnOf(bucketID), assertions.Match_AnyValue()}},
		{"UseArtifactKey", assertions.Match_AnyValue(), arnOf(keyID)},
	}
	for _, st := range statements {
		s.has(t, "pipeline role policy: "+st.sid, "AWS::IAM::Policy", map[string]interface{}{
			"Roles": []interface{}{ref(roleID)},
			"PolicyDocument": like(map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{like(map[string]interface{}{
				"Sid": st.sid, "Effect": "Allow", "Action": st.action, "Resource": st.resource,
			})})}),
		})
	}

	t.Run("flat policies", func(t *testing.T) {
		checkFlat(t, s, stagingAndProduction())
		var roles []string
		for id := range s.resources("AWS::IAM::Role") {
			roles = append(roles, id)
		}
		sort.Strings(roles)
		want := []string{buildRoleID, roleID}
		sort.Strings(want)
		if diff := cmp.Diff(want, roles); diff != "" {
			t.Errorf("IAM roles (-want +got): only the pipeline and build roles may exist, no per-action roles:\n%s", diff)
		}
	})

	t.Run("role policy keeps its size with 20 deployments", func(t *testing.T) {
		many := environments(20)
		big := synth(t, many, nil)
		checkFlat(t, big, many)
		_, small := s.rolePolicy(t, roleID)
		_, large := big.rolePolicy(t, logicalID(big.pl.Role()))
		a, _ := json.Marshal(small)
		b, _ := json.Marshal(large)
		if len(a) != len(b) {
			t.Errorf("pipeline role policy is %d bytes with 2 deployments, %d with 20 (-2 +20):\n%s", len(a), len(b), cmp.Diff(small, large))
		}
	})
}

func containsVar(vars []map[string]string, want map[string]string) bool {
	for _, v := range vars {
		if cmp.Equal(v, want) {
			return true
		}
	}
	return false
}

// checkFlat fails if the artifact bucket policy, the artifact key or the
// pipeline role's policy names a role of deps: those policies must keep one
// size however many environments there are.
func checkFlat(t *testing.T, s synthesized, deps []pipeline.Deployment) {
	t.Helper()
	bucketPolicy, _ := s.one(t, "AWS::S3::BucketPolicy", func(p map[string]interface{}) bool {
		return cmp.Equal(p["Bucket"], ref(logicalID(s.store.Bucket())))
	})
	rolePolicy, _ := s.rolePolicy(t, logicalID(s.pl.Role()))
	resources := s.json["Resources"].(map[string]interface{})
	for _, id := range []string{bucketPolicy, logicalID(s.store.Key()), rolePolicy} {
		raw, _ := json.Marshal(resources[id])
		for _, d := range deps {
			acct := d.Target.(*pipeline.Account)
			for _, arn := range []string{acct.DeployRoleArn, acct.ExecutionRoleArn} {
				// Match the role part alone: an ARN may be split by Fn::Join.
				if name := arn[strings.Index(arn, ":role/"):]; strings.Contains(string(raw), name) {
					t.Errorf("%s names %s: %s", id, name, raw)
				}
			}
		}
	}
}

func TestExecutionMode(t *testing.T) {
	for _, tc := range []struct{ mode, want string }{
		{"", "SUPERSEDED"},
		{"QUEUED", "QUEUED"},
		{"PARALLEL", "PARALLEL"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			s := synth(t, stagingAndProduction(), func(p *pipeline.Props) {
				p.ExecutionMode = tc.mode
				if tc.mode == "PARALLEL" {
					// CodePipeline adds no rollback to a PARALLEL pipeline
					// (plan.New refuses stages that roll back).
					for i := range p.Deployments {
						p.Deployments[i].DisableRollback = true
					}
				}
			})
			s.has(t, fmt.Sprintf("ExecutionMode %q", tc.mode), "AWS::CodePipeline::Pipeline", map[string]interface{}{
				"PipelineType": "V2", "ExecutionMode": tc.want,
			})
		})
	}
}

// TestPropsValidate checks what pipeline.Props adds to the release plan's
// rules (package plan has a case per rule): the store, the approvers, the
// replicas, and that every problem comes at once under one prefix.
func TestPropsValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *pipeline.Props)
		want   []string
	}{
		{"valid", func(p *pipeline.Props) {}, nil},
		// Asset stores that nothing writes were accepted and left out of
		// every grant and variable: the assets never arrived.
		{"asset stores without Assets or BuildAssets", func(p *pipeline.Props) {
			p.AssetStores = map[string]pipeline.AssetStore{"us-east-1": {BucketName: "payments-assets-111111111111-us-east-1"}}
		}, []string{
			`AssetStores["us-east-1"]: set without Assets or BuildAssets, so nothing publishes or uploads to it and no role may write it; set Assets (an Assets stage publishes to the stores) or BuildAssets (the build uploads), or remove AssetStores`,
		}},
		{"an asset store of a region Assets does not publish to", func(p *pipeline.Props) {
			p.Assets = &pipeline.Assets{Manifests: "cdk.out"}
			p.AssetStores = map[string]pipeline.AssetStore{"us-east-1": {BucketName: "payments-assets-111111111111-us-east-1"}, "eu-west-1": {BucketName: "payments-assets-111111111111-eu-west-1"}}
		}, []string{
			`AssetStores["eu-west-1"]: not among Assets.Regions (us-east-1) and BuildAssets is off, so nothing publishes to it; add eu-west-1 to Assets.Regions, or remove the store`,
		}},
		{"an asset store without a bucket, with BuildAssets", func(p *pipeline.Props) {
			p.BuildAssets = true
			p.AssetStores = map[string]pipeline.AssetStore{"us-east-1": {RepositoryName: "relay/payments/assets"}}
		}, []string{
			`AssetStores["us-east-1"].BucketName: required with BuildAssets (the build uploads to every store); give the store's bucket (naming.Names.AssetBucket) or remove the store`,
		}},
		{"asset stores the build uploads to, without Assets", func(p *pipeline.Props) {
			p.BuildAssets = true
			p.AssetStores = map[string]pipeline.AssetStore{"us-east-1": {BucketName: "payments-assets-111111111111-us-east-1"}, "eu-west-1": {BucketName: "payments-assets-111111111111-eu-west-1"}}
		}, nil},
		// A Regional entry without a setting was accepted and rendered
		// nothing.
		{"a Regional entry that replaces nothing", func(p *pipeline.Props) {
			p.Deployments[1].Regions = []string{"us-east-1", "eu-west-1"}
			p.Deployments[1].Regional = map[string]pipeline.Regional{"eu-west-1": {}, "us-east-1": {Hooks: []pipeline.Hook{}}}
		}, []string{
			`Deployments[1].Regional["eu-west-1"]: replaces nothing (no Release, Releases, Hooks or Steps), so the deployment runs its own settings there; remove it, or set what eu-west-1 runs instead`,
		}},
		// A packaged template names one region's asset bucket; Lambda
		// reads code in its own region: a template per region.
		{"packaged templates, one for two regions", func(p *pipeline.Props) {
			p.BuildAssets = true
			p.AssetStores = map[string]pipeline.AssetStore{"us-east-1": {BucketName: "payments-assets-111111111111-us-east-1"}, "eu-west-1": {BucketName: "payments-assets-111111111111-eu-west-1"}}
			p.Deployments[1].Regions = []string{"us-east-1", "eu-west-1"}
		}, []string{
			`Deployments[1] in eu-west-1: TemplatePath "template.json" is deployed in Deployments[0] in us-east-1 too: with BuildAssets, a packaged template names the asset bucket of one region, from which Lambda in another cannot read; package once per region and give each region its own TemplatePath (Deployment.Regional)`,
		}},
		{"packaged templates, one per region", func(p *pipeline.Props) {
			p.BuildAssets = true
			p.AssetStores = map[string]pipeline.AssetStore{"us-east-1": {BucketName: "payments-assets-111111111111-us-east-1"}, "eu-west-1": {BucketName: "payments-assets-111111111111-eu-west-1"}}
			p.Deployments[1].Regions = []string{"us-east-1", "eu-west-1"}
			p.Deployments[1].Regional = map[string]pipeline.Regional{"eu-west-1": {Release: &pipeline.Stack{Name: "payments-app", TemplatePath: "packaged-eu-west-1.yaml", Capabilities: []string{"CAPABILITY_IAM"}}}}
		}, nil},
		{"packaged templates for a StackSet in two regions", func(p *pipeline.Props) {
			p.BuildAssets = true
			p.AssetStores = map[string]pipeline.AssetStore{"us-east-1": {BucketName: "payments-assets-111111111111-us-east-1"}, "eu-west-1": {BucketName: "payments-assets-111111111111-eu-west-1"}}
			p.Deployments[1].Target = &pipeline.StackSetAccounts{IDs: []string{"444444444444"}, AdministrationRoleArn: "arn:aws:iam::111111111111:role/payments-stackset-admin", ExecutionRoleName: "payments-stackset-exec"}
			p.Deployments[1].Regions = []string{"us-east-1", "eu-west-1"}
		}, []string{
			`Deployments[1].Regions "us-east-1,eu-west-1": with BuildAssets, a StackSet deploys one packaged template to every region, and it names the asset bucket of one region, from which Lambda in the others cannot read; give the deployment one region (a deployment per region)`,
		}},
		// A StackSet of one region reads its template in that region:
		// shared with a deployment in another region, one of them would
		// name the other region's bucket.
		{"packaged templates, one for a StackSet and an account in other regions", func(p *pipeline.Props) {
			p.BuildAssets = true
			p.AssetStores = map[string]pipeline.AssetStore{"us-east-1": {BucketName: "payments-assets-111111111111-us-east-1"}, "eu-west-1": {BucketName: "payments-assets-111111111111-eu-west-1"}}
			p.Deployments[1].Target = &pipeline.StackSetAccounts{IDs: []string{"444444444444"}, AdministrationRoleArn: "arn:aws:iam::111111111111:role/payments-stackset-admin", ExecutionRoleName: "payments-stackset-exec"}
			p.Deployments[1].Regions = []string{"eu-west-1"}
		}, []string{
			`Deployments[1] in eu-west-1: TemplatePath "template.json" is deployed in Deployments[0] in us-east-1 too: with BuildAssets, a packaged template names the asset bucket of one region, from which Lambda in another cannot read; package once per region and give each region its own TemplatePath (Deployment.Regional)`,
		}},
		{"packaged templates, a StackSet's of its own", func(p *pipeline.Props) {
			p.BuildAssets = true
			p.AssetStores = map[string]pipeline.AssetStore{"us-east-1": {BucketName: "payments-assets-111111111111-us-east-1"}, "eu-west-1": {BucketName: "payments-assets-111111111111-eu-west-1"}}
			p.Deployments[1].Target = &pipeline.StackSetAccounts{IDs: []string{"444444444444"}, AdministrationRoleArn: "arn:aws:iam::111111111111:role/payments-stackset-admin", ExecutionRoleName: "payments-stackset-exec"}
			p.Deployments[1].Regions = []string{"eu-west-1"}
			p.Deployments[1].Release = &pipeline.Stack{Name: "payments-app", TemplatePath: "packaged-eu-west-1.yaml", Capabilities: []string{"CAPABILITY_IAM"}}
		}, nil},
		{"nil store", func(p *pipeline.Props) { p.Store = nil }, []string{
			"Store: required; create one with artifacts.NewStore",
		}},
		{"approvers and replicas", func(p *pipeline.Props) {
			p.ApproverPrincipals = []string{"arn:aws:iam::111111111111:group/ops"}
			p.Replicas = map[string]pipeline.Replica{"eu-west-1": {BucketName: "payments-eu"}}
			p.RolePath = "relay"
		}, []string{
			`ApproverPrincipals[0] "arn:aws:iam::111111111111:group/ops": must be an IAM role, user or account-root ARN, whose path and name are letters, digits and +=,.@_- (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html)`,
			`Replicas["eu-west-1"]: Store, or BucketName and KeyAlias, are required`,
			`RolePath "relay": is not a valid IAM path: / alone, or printable ASCII characters without spaces between a leading and a trailing / (such as /relay/orders/) only (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html)`,
		}},
		// Physical names that aws-cdk-lib refused only inside New, with a
		// message that names no field ("Pipeline name must match regular
		// expression..."), or that AWS refuses at deploy time (a project or
		// topic name), or that break the pipeline silently (a replica's key
		// alias without alias/ names no key).
		{"physical names", func(p *pipeline.Props) {
			p.PipelineName = "payments-ü"
			p.RoleName = strings.Repeat("r", 65)
			p.RolePath = "/" + strings.Repeat("p", 520) + "/"
			p.ApproverPrincipals = []string{"arn:aws:iam::111111111111:role/approvers"}
			p.ApproverRoleName = "payments approver"
			p.GitOpsProjectName = "-gitops"
			p.Build.ProjectName = "payments build"
			p.Build.LogGroupName = "relay payments"
			p.Tests = []pipeline.Suite{{Name: "unit", Commands: []string{"make test"}, ProjectName: "payments-unit",
				Reports: &pipeline.Reports{Files: []string{"report.xml"}}, ReportGroupName: "-unit"}}
			p.Deployments[1].Approval.TopicName = "payments.production"
			p.Replicas = map[string]pipeline.Replica{"eu-west-1": {BucketName: "Payments_EU", KeyAlias: "relay/payments/artifacts"}}
			p.Deployments[1].Regions = []string{"us-east-1", "eu-west-1"}
		}, []string{
			`PipelineName "payments-ü": is not a valid CodePipeline pipeline name: letters, digits and .@_- only (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineDeclaration.html)`,
			`RoleName "` + strings.Repeat("r", 65) + `": has 65 characters; an IAM role name has at most 64 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)`,
			`RolePath "/` + strings.Repeat("p", 520) + `/": has 522 characters; an IAM path has at most 512 (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html)`,
			`ApproverRoleName "payments approver": is not a valid IAM role name: letters, digits and +=,.@_- only (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)`,
			`GitOpsProjectName "-gitops": is not a valid CodeBuild project name: a letter or digit, then letters, digits, _ and - only (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html)`,
			`Build.ProjectName "payments build": is not a valid CodeBuild project name: a letter or digit, then letters, digits, _ and - only (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html)`,
			`Build.LogGroupName "relay payments": is not a valid CloudWatch Logs log group name: letters, digits and _-/.# only (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html)`,
			`Tests[0].ReportGroupName "-unit": is not a valid CodeBuild report group name: a letter or digit, then letters, digits, _ and - only (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateReportGroup.html)`,
			`Deployments[1].Approval.TopicName "payments.production": is not a valid SNS topic name: letters, digits, _ and - only (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html)`,
			`Replicas["eu-west-1"].BucketName "Payments_EU": is not a valid S3 bucket name: lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit only (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)`,
			`Replicas["eu-west-1"].KeyAlias "relay/payments/artifacts": is not a valid KMS alias name: alias/ then letters, digits and /_- only (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html)`,
		}},
		// The same names reached through a deployment's Components and
		// Regional: they create projects and roles as Release and Steps do.
		{"physical names of components and regional releases and steps", func(p *pipeline.Props) {
			helm := func(project, role string) *pipeline.EKSRelease {
				return &pipeline.EKSRelease{Helm: &pipeline.HelmRelease{Cluster: "payments", Release: "payments", Chart: "chart",
					ProjectName: project, RoleName: role}}
			}
			step := func(project, role string) []pipeline.Step {
				return []pipeline.Step{{Name: "smoke", Action: &pipeline.CodeBuildStep{Buildspec: "ci/smoke.yml", ProjectName: project, RoleName: role}}}
			}
			staging, production := &p.Deployments[0], &p.Deployments[1]
			staging.Regions = []string{"us-east-1", "eu-west-1"}
			staging.Components = []pipeline.Component{
				{Name: "app", Release: staging.Release},
				{Name: "web", Release: helm("payments staging helm", strings.Repeat("h", 65))},
			}
			staging.Release = nil
			staging.Regional = map[string]pipeline.Regional{"eu-west-1": {Releases: map[string]pipeline.Release{"web": helm("-web-eu", "payments/web")}}}
			production.Release = helm("payments-production-helm", "payments-production-helm")
			production.Steps = step("payments-smoke", "payments-smoke")
			production.Regions = []string{"us-east-1", "eu-west-1"}
			production.Regional = map[string]pipeline.Regional{"eu-west-1": {
				Release: helm(strings.Repeat("p", 256), "payments helm eu"),
				Steps:   step("payments smoke eu", "payments:smoke"),
			}}
		}, []string{
			// Different from the first Helm release, the regional ones are
			// also refused as ignored (see the next case).
			`Deployments[0].Regional["eu-west-1"].Releases["web"].Helm.ProjectName "-web-eu": ignored: a deployment has one Helm project for all its regions and components, configured by Deployments[0].Components[1].Release.Helm (ProjectName "payments staging helm"); set the same ProjectName on each Helm release of Deployments[0]`,
			`Deployments[0].Regional["eu-west-1"].Releases["web"].Helm.RoleName "payments/web": ignored: a deployment has one Helm project for all its regions and components, configured by Deployments[0].Components[1].Release.Helm (RoleName "` + strings.Repeat("h", 65) + `"); set the same RoleName on each Helm release of Deployments[0]`,
			`Deployments[1].Regional["eu-west-1"].Release.Helm.ProjectName "` + strings.Repeat("p", 256) + `": ignored: a deployment has one Helm project for all its regions and components, configured by Deployments[1].Release.Helm (ProjectName "payments-production-helm"); set the same ProjectName on each Helm release of Deployments[1]`,
			`Deployments[1].Regional["eu-west-1"].Release.Helm.RoleName "payments helm eu": ignored: a deployment has one Helm project for all its regions and components, configured by Deployments[1].Release.Helm (RoleName "payments-production-helm"); set the same RoleName on each Helm release of Deployments[1]`,
			`Deployments[0].Components[1].Release.Helm.ProjectName "payments staging helm": is not a valid CodeBuild project name: a letter or digit, then letters, digits, _ and - only (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html)`,
			`Deployments[0].Components[1].Release.Helm.RoleName "` + strings.Repeat("h", 65) + `": has 65 characters; an IAM role name has at most 64 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)`,
			`Deployments[0].Regional["eu-west-1"].Releases["web"].Helm.ProjectName "-web-eu": is not a valid CodeBuild project name: a letter or digit, then letters, digits, _ and - only (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html)`,
			`Deployments[0].Regional["eu-west-1"].Releases["web"].Helm.RoleName "payments/web": is not a valid IAM role name: letters, digits and +=,.@_- only (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)`,
			`Deployments[1].Regional["eu-west-1"].Release.Helm.ProjectName "` + strings.Repeat("p", 256) + `": has 256 characters; a CodeBuild project name has at most 255 (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html)`,
			`Deployments[1].Regional["eu-west-1"].Release.Helm.RoleName "payments helm eu": is not a valid IAM role name: letters, digits and +=,.@_- only (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)`,
			`Deployments[1].Regional["eu-west-1"].Steps[0].Action.ProjectName "payments smoke eu": is not a valid CodeBuild project name: a letter or digit, then letters, digits, _ and - only (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html)`,
			`Deployments[1].Regional["eu-west-1"].Steps[0].Action.RoleName "payments:smoke": is not a valid IAM role name: letters, digits and +=,.@_- only (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)`,
		}},
		// A deployment has one Helm project (helmProject), configured by its
		// first Helm release: another ProjectName or RoleName under Regional
		// or Components would be dropped. Action settings (Cluster, Set)
		// stay free per region (see "honoured regional settings").
		{"Helm project settings one deployment's project would ignore", func(p *pipeline.Props) {
			staging, production := &p.Deployments[0], &p.Deployments[1]
			staging.Components = []pipeline.Component{
				{Name: "api", Release: helmRelease("payments", "payments-staging-helm", "payments-staging-helm")},
				{Name: "web", Release: helmRelease("payments", "", "payments-staging-helm")},
			}
			staging.Release = nil
			production.Release = helmRelease("payments", "payments-production-helm", "payments-production-helm")
			production.Regions = []string{"us-east-1", "eu-west-1"}
			production.Regional = map[string]pipeline.Regional{"eu-west-1": {
				Release: helmRelease("payments-eu", "payments-production-helm-eu", "payments-production-helm"),
			}}
		}, []string{
			`Deployments[0].Components[1].Release.Helm.ProjectName "" (generated or unset): ignored: a deployment has one Helm project for all its regions and components, configured by Deployments[0].Components[0].Release.Helm (ProjectName "payments-staging-helm"); set the same ProjectName on each Helm release of Deployments[0]`,
			`Deployments[1].Regional["eu-west-1"].Release.Helm.ProjectName "payments-production-helm-eu": ignored: a deployment has one Helm project for all its regions and components, configured by Deployments[1].Release.Helm (ProjectName "payments-production-helm"); set the same ProjectName on each Helm release of Deployments[1]`,
		}},
		// A regional step runs in the project of its step in the other
		// regions (runProject keys it by ProjectName, or <deployment>-<step>
		// without one): a Buildspec, TimeoutMinutes or Privileged of its own
		// would be dropped.
		{"regional step settings a shared project would ignore", func(p *pipeline.Props) {
			staging, production := &p.Deployments[0], &p.Deployments[1]
			smoke := func(project, buildspec string, timeout int, privileged bool) []pipeline.Step {
				return []pipeline.Step{{Name: "smoke", Action: &pipeline.CodeBuildStep{ProjectName: project, Buildspec: buildspec,
					TimeoutMinutes: timeout, Privileged: privileged}}}
			}
			staging.Regions = []string{"us-east-1", "eu-west-1"}
			staging.Steps = smoke("payments-smoke", "ci/smoke.yml", 0, false)
			staging.Regional = map[string]pipeline.Regional{"eu-west-1": {Steps: smoke("payments-smoke", "ci/smoke.yml", 0, true)}}
			production.Regions = []string{"us-east-1", "eu-west-1"}
			production.Steps = smoke("", "ci/smoke.yml", 0, false)
			production.Regional = map[string]pipeline.Regional{"eu-west-1": {Steps: smoke("", "ci/smoke-eu.yml", 30, false)}}
		}, []string{
			`Deployments[0].Regional["eu-west-1"].Steps[0].Action.Privileged true: ignored: steps with the same ProjectName share one project, configured by Deployments[0].Steps[0].Action (Privileged false); set the same Privileged, or give this step another ProjectName`,
			`Deployments[1].Regional["eu-west-1"].Steps[0].Action.Buildspec "ci/smoke-eu.yml": ignored: a step without ProjectName has one project for all regions of its deployment, configured by Deployments[1].Steps[0].Action (Buildspec "ci/smoke.yml"); set the same Buildspec, or give this regional step a ProjectName of its own`,
			`Deployments[1].Regional["eu-west-1"].Steps[0].Action.TimeoutMinutes 30: ignored: a step without ProjectName has one project for all regions of its deployment, configured by Deployments[1].Steps[0].Action (TimeoutMinutes 60); set the same TimeoutMinutes, or give this regional step a ProjectName of its own`,
		}},
		// runProject keys a step without ProjectName <deployment>-<step>: a
		// ProjectName equal to that key would share its project.
		{"a ProjectName that is a generated project's key", func(p *pipeline.Props) {
			p.Deployments[0].Steps = []pipeline.Step{{Name: "smoke", Action: &pipeline.CodeBuildStep{ProjectName: "production-smoke", Buildspec: "ci/smoke.yml"}}}
			p.Deployments[1].Steps = []pipeline.Step{{Name: "smoke", Action: &pipeline.CodeBuildStep{Buildspec: "ci/smoke.yml"}}}
		}, []string{
			`Deployments[0].Steps[0].Action.ProjectName "production-smoke": is the key of the project of step "smoke" of deployment "production" (Deployments[1].Steps[0].Action, without ProjectName): both steps would run in one project, configured by the first; choose another ProjectName`,
		}},
		// What each action receives stays free per region: Helm's namespace
		// and values, a step's environment variables; a regional step with
		// a ProjectName of its own gets its own project; a default
		// (TimeoutMinutes 0) equals the value it stands for.
		{"honoured regional settings", func(p *pipeline.Props) {
			staging, production := &p.Deployments[0], &p.Deployments[1]
			staging.Release = helmRelease("payments", "payments-staging-helm", "payments-staging-helm")
			staging.Regions = []string{"us-east-1", "eu-west-1"}
			eu := helmRelease("payments-eu", "payments-staging-helm", "payments-staging-helm")
			eu.Helm.Namespace, eu.Helm.Set = "payments-eu", map[string]string{"region": "eu-west-1"}
			staging.Regional = map[string]pipeline.Regional{"eu-west-1": {Release: eu}}
			production.Regions = []string{"us-east-1", "eu-west-1", "ap-southeast-2"}
			production.Steps = []pipeline.Step{{Name: "smoke", Action: &pipeline.CodeBuildStep{Buildspec: "ci/smoke.yml"}}}
			production.Regional = map[string]pipeline.Regional{
				"eu-west-1": {Steps: []pipeline.Step{{Name: "smoke", Action: &pipeline.CodeBuildStep{Buildspec: "ci/smoke.yml", TimeoutMinutes: 60,
					EnvironmentVariables: map[string]string{"REGION": "eu-west-1"}}}}},
				"ap-southeast-2": {Steps: []pipeline.Step{{Name: "smoke", Action: &pipeline.CodeBuildStep{ProjectName: "payments-smoke-apse2",
					Buildspec: "ci/smoke-apse2.yml", Privileged: true}}}},
			}
		}, nil},
		// A region takes its release, components, hooks and steps from
		// Regional where set: one that every region replaces is never
		// rendered.
		{"settings every region replaces under Regional", func(p *pipeline.Props) {
			staging, production := &p.Deployments[0], &p.Deployments[1]
			smoke := func(buildspec string) []pipeline.Step {
				return []pipeline.Step{{Name: "smoke", Action: &pipeline.CodeBuildStep{ProjectName: "payments-smoke-" + buildspec, Buildspec: buildspec}}}
			}
			notify := func(fn string) []pipeline.Hook {
				return []pipeline.Hook{{Name: "notify", Invoke: &pipeline.LambdaInvoke{Function: fn}}}
			}
			staging.Regions = []string{"us-east-1", "eu-west-1"}
			staging.Target.(*pipeline.Account).InvokeRoleArn = roleArn("222222222222", "staging", "invoke")
			staging.Steps, staging.Hooks = smoke("smoke"), notify("notify")
			staging.Regional = map[string]pipeline.Regional{
				"us-east-1": {Release: &pipeline.Stack{Name: "payments-app-use1"}, Steps: smoke("smoke-use1"), Hooks: notify("notify-use1")},
				"eu-west-1": {Release: &pipeline.Stack{Name: "payments-app-euw1"}, Steps: smoke("smoke-euw1"), Hooks: []pipeline.Hook{}},
			}
			production.Regions = []string{"us-east-1", "eu-west-1"}
			production.Components = []pipeline.Component{{Name: "app", Release: production.Release}, {Name: "web", Release: &pipeline.Stack{Name: "payments-web"}}}
			production.Release = nil
			production.Regional = map[string]pipeline.Regional{
				"us-east-1": {Releases: map[string]pipeline.Release{"web": &pipeline.Stack{Name: "payments-web-use1"}}},
				"eu-west-1": {Release: &pipeline.Stack{Name: "payments-app-euw1"}, Releases: map[string]pipeline.Release{"web": &pipeline.Stack{Name: "payments-web-euw1"}}},
			}
		}, []string{
			`Deployments[0].Release *Stack: ignored: every region of Deployments[0].Regions (us-east-1, eu-west-1) replaces it under Regional; make it the release of one region, such as us-east-1, and remove Regional["us-east-1"].Release`,
			`Deployments[0].Hooks ["notify"]: ignored: every region of Deployments[0].Regions (us-east-1, eu-west-1) replaces it under Regional; make it the hooks of one region, such as us-east-1, and remove Regional["us-east-1"].Hooks`,
			`Deployments[0].Steps ["smoke"]: ignored: every region of Deployments[0].Regions (us-east-1, eu-west-1) replaces it under Regional; make it the steps of one region, such as us-east-1, and remove Regional["us-east-1"].Steps`,
			`Deployments[1].Regional["eu-west-1"].Release *Stack: ignored: a deployment with Components releases each component, which Regional["eu-west-1"].Releases["<component>"] replaces; move it there`,
			`Deployments[1].Components[1].Release *Stack: ignored: every region of Deployments[1].Regions (us-east-1, eu-west-1) replaces it under Regional; make it the release of one region, such as us-east-1, and remove Regional["us-east-1"].Releases["web"]`,
		}},
		// A StackSet or *PipelineAccount deployment runs once (one
		// StackSet action, its Steps once): what Regional sets there is
		// never rendered.
		{"Regional on deployments that run once", func(p *pipeline.Props) {
			production := &p.Deployments[1]
			smoke := []pipeline.Step{{Name: "smoke", Action: &pipeline.CodeBuildStep{Buildspec: "ci/smoke.yml"}}}
			production.Target = &pipeline.StackSetAccounts{IDs: []string{"333333333333", "444444444444"},
				AdministrationRoleArn: "arn:aws:iam::111111111111:role/relay/payments/stackset-admin", ExecutionRoleName: "payments-stackset-exec"}
			production.Regions = []string{"us-east-1", "eu-west-1"}
			production.Steps = smoke
			production.Regional = map[string]pipeline.Regional{"eu-west-1": {Release: &pipeline.Stack{Name: "payments-app-eu"}, Steps: smoke}}
			p.Deployments = append(p.Deployments, pipeline.Deployment{Name: "tooling", Target: &pipeline.PipelineAccount{}, Steps: smoke,
				Regional: map[string]pipeline.Regional{"eu-west-1": {Steps: smoke}}})
		}, []string{
			`Deployments[1].Regional["eu-west-1"].Release *Stack: ignored: a StackSet deployment deploys Deployments[1].Release, one template with one set of parameters, to all of its Regions at once; remove it`,
			`Deployments[1].Regional["eu-west-1"].Steps ["smoke"]: ignored: a StackSet deployment runs Deployments[1].Steps once, from the pipeline's region, not per region; remove it, and put what runs in Deployments[1].Steps`,
			`Deployments[2].Regional["eu-west-1"]: ignored: a *PipelineAccount deployment runs its Steps once, in the pipeline's region, and has no Regions to replace them in; remove it, and put the steps in Deployments[2].Steps`,
		}},
		// A default that some region does not replace is rendered there,
		// also when every region has a Regional entry for something else.
		{"defaults some region keeps", func(p *pipeline.Props) {
			staging, production := &p.Deployments[0], &p.Deployments[1]
			smoke := func(env string) []pipeline.Step {
				return []pipeline.Step{{Name: "smoke", Action: &pipeline.CodeBuildStep{Buildspec: "ci/smoke.yml", EnvironmentVariables: map[string]string{"ENV": env}}}}
			}
			staging.Regions = []string{"us-east-1", "eu-west-1"}
			staging.Steps = smoke("default")
			staging.Regional = map[string]pipeline.Regional{
				"us-east-1": {Release: &pipeline.Stack{Name: "payments-app-use1"}},
				"eu-west-1": {Steps: smoke("eu")},
			}
			production.Regions = []string{"us-east-1", "eu-west-1"}
			production.Components = []pipeline.Component{{Name: "app", Release: production.Release}, {Name: "web", Release: &pipeline.Stack{Name: "payments-web"}}}
			production.Release = nil
			production.Regional = map[string]pipeline.Regional{
				"us-east-1": {Releases: map[string]pipeline.Release{"web": &pipeline.Stack{Name: "payments-web-use1"}}},
				"eu-west-1": {Releases: map[string]pipeline.Release{"app": &pipeline.Stack{Name: "payments-app-euw1"}}},
			}
		}, nil},
		{"names as tokens", func(p *pipeline.Props) {
			p.PipelineName, p.Build.ProjectName = "${Token[TOKEN.80]}", "${Token[TOKEN.81]}"
		}, nil},
		// A role pattern that is no role ARN lets the pipeline role assume
		// nothing, also when every role it assumes is a token.
		{"role patterns that match no role", func(p *pipeline.Props) {
			p.Deployments = p.Deployments[:1]
			p.Deployments[0].Target.(*pipeline.Account).DeployRoleArn = "${Token[TOKEN.80]}"
			p.DeployRolePatterns = []string{"payments-*-deploy"}
			p.InvokeRolePatterns = []string{"arn:aws:iam::*:user/invoke"}
		}, []string{
			`DeployRolePatterns[0] "payments-*-deploy": a role name, not an ARN pattern; write arn:aws:iam::ACCOUNT:role/PATH/payments-*-deploy (ACCOUNT may be *)`,
			`InvokeRolePatterns[0] "arn:aws:iam::*:user/invoke": not an IAM role ARN pattern (arn:aws:iam::ACCOUNT:role/PATH/NAME)`,
		}},
		{"an account root without a reason", func(p *pipeline.Props) { p.ApproverPrincipals = []string{"arn:aws:iam::444444444444:root"} }, []string{
			`ApproverPrincipals[0] "arn:aws:iam::444444444444:root": an account root admits whoever that account's administrators allow; name roles or users, or accept it with ApproverRootsReason (at least 10 characters)`,
		}},
		// The approver role's trust pins the principals in ArnEquals on
		// aws:PrincipalArn: * or ? would admit every matching role or
		// user, and a character IAM refuses would fail the role at deploy.
		{"approvers the trust could not name exactly", func(p *pipeline.Props) {
			p.ApproverPrincipals = []string{"arn:aws:iam::444444444444:role/*", "arn:aws:iam::444444444444:user/release-?", "arn:aws:iam::444444444444:role/approvers-€", "arn:aws:iam::444444444444:role/approvers"}
		}, []string{
			`ApproverPrincipals[0] "arn:aws:iam::444444444444:role/*": contains * or ?, which the approver role's trust (ArnEquals on aws:PrincipalArn) reads as wildcards, admitting every matching role or user of the account; name each approver exactly`,
			`ApproverPrincipals[1] "arn:aws:iam::444444444444:user/release-?": contains * or ?, which the approver role's trust (ArnEquals on aws:PrincipalArn) reads as wildcards, admitting every matching role or user of the account; name each approver exactly`,
			`ApproverPrincipals[2] "arn:aws:iam::444444444444:role/approvers-€": must be an IAM role, user or account-root ARN, whose path and name are letters, digits and +=,.@_- (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html)`,
		}},
		{"an account root with a reason", func(p *pipeline.Props) {
			p.ApproverPrincipals, p.ApproverRootsReason = []string{"arn:aws:iam::444444444444:root"}, "only the change board assumes roles there"
		}, nil},
		{"a reason without a root", func(p *pipeline.Props) {
			p.ApproverPrincipals, p.ApproverRootsReason = []string{"arn:aws:iam::444444444444:role/approvers"}, "only the change board assumes roles there"
		}, []string{`ApproverRootsReason "only the change board assumes roles there": applies only when ApproverPrincipals name an account root; remove it`}},
		{"shortest build, longest name", func(p *pipeline.Props) { p.Build.TimeoutMinutes = 5; p.Deployments[0].Name = strings.Repeat("s", 80) }, nil},
		{"48 deployments fill 50 stages", func(p *pipeline.Props) { p.Deployments = environments(48) }, nil},
		{"49 deployments", func(p *pipeline.Props) { p.Deployments = environments(49) }, []string{
			"Deployments: 49 deploy stages plus Source and Build make 51 stages; a pipeline has at most 50: put environments that may deploy together in one wave (Deployments[].Wave): waves of 2 or more environments fit",
		}},
		// Silent mismatches of issue 14 that need no stack.
		{"deploy role the pipeline role may not assume", func(p *pipeline.Props) {
			p.DeployRolePatterns = []string{"arn:aws:iam::*:role/orders-*-deploy"}
			p.Deployments[0].Target.(*pipeline.Account).DeployRoleArn = "arn:aws:iam::222222222222:role/orders-deploy"
			p.Deployments = p.Deployments[:1]
		}, []string{
			`DeployRolePatterns arn:aws:iam::*:role/orders-*-deploy: none matches Deployments[0].Target.DeployRoleArn "arn:aws:iam::222222222222:role/orders-deploy", so the pipeline role may not assume it; add a pattern that does, or rename the role`,
		}},
		{"region typos", func(p *pipeline.Props) {
			p.Deployments[0].Regions = []string{"us-east1"}
			p.Deployments[1].Regions = []string{"cn-north-1"}
			p.Replicas = map[string]pipeline.Replica{"eu-west-l": {BucketName: "payments-eu", KeyAlias: "alias/payments"}}
		}, []string{
			`Deployments[0].Regions[0] "us-east1": not an AWS region; did you mean "us-east-1"?`,
			`Deployments[1].Regions[0] "cn-north-1": a region of partition aws-cn, not aws; set Partition to aws-cn or pick a region of aws`,
			`Replicas["eu-west-l"]: not an AWS region; did you mean "eu-west-1"?`,
		}},
		// A region given as a token (awscdk.Aws_REGION()) was refused only by
		// the names made of it, as too long.
		{"a region given as a token", func(p *pipeline.Props) {
			p.Deployments[0].Regions = []string{"${Token[AWS.Region.4]}"}
		}, []string{
			`Deployments[0].Regions[0] "${Token[AWS.Region.4]}": a token (such as awscdk.Aws_REGION() or a stack's Region()), which stays unknown at synth, where the pipeline names each region's actions, variables and artifact store; give the region as text, such as us-east-1`,
			`Deployments[0].Release: action name "Prepare-${Token[AWS.Region.4]}" in stage Deploy-staging holds a token, which stays unknown at synth; give the regions and names it is made of as text`,
			`Deployments[0].Release: action name "Deploy-${Token[AWS.Region.4]}" in stage Deploy-staging holds a token, which stays unknown at synth; give the regions and names it is made of as text`,
			`Deployments[0].Release: variable namespace "Deploy_staging_${Token[AWS.Region.4]}" holds a token, which stays unknown at synth; give the regions and names it is made of as text`,
		}},
		{"empty partition in a role ARN", func(p *pipeline.Props) {
			p.Deployments[0].Target.(*pipeline.Account).ExecutionRoleArn = "arn::iam::222222222222:role/relay/payments/payments-staging-cfn-exec"
		}, []string{
			`Deployments[0].Target.ExecutionRoleArn "arn::iam::222222222222:role/relay/payments/payments-staging-cfn-exec": must be a role ARN in account 222222222222`,
		}},
		{"tokens are accepted wherever an ARN is", func(p *pipeline.Props) {
			p.Deployments[0].Target.(*pipeline.Account).DeployRoleArn = "${Token[TOKEN.80]}"
			p.Source.(*pipeline.ConnectionSource).ConnectionArn = "${Token[TOKEN.81]}"
			p.DeployRolePatterns = []string{"${Token[TOKEN.82]}"}
		}, nil},
		{"every problem at once", func(p *pipeline.Props) {
			p.Store, p.ExecutionMode = nil, "LATEST"
			p.Deployments[0].Release.(*pipeline.Stack).Name = ""
			p.Deployments[1].Release.(*pipeline.Stack).Capabilities = []string{"IAM"}
		}, []string{
			"Store: required; create one with artifacts.NewStore",
			`ExecutionMode "LATEST": must be SUPERSEDED, QUEUED or PARALLEL`,
			`Deployments[0].Release.Name "": must be a stack name, a letter then letters, digits and hyphens, at most 128 characters`,
			`Deployments[1].Release.Capabilities "IAM": must be CAPABILITY_IAM, CAPABILITY_NAMED_IAM or CAPABILITY_AUTO_EXPAND`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Validate only checks that Store is set: a zero Store needs no stack.
			p := validProps(&artifacts.Store{}, stagingAndProduction())
			tc.mutate(p)
			err := p.Validate()
			relaytest.ValidateError(t, err, "pipeline.Props: ", tc.want)
			relaytest.FieldPaths(t, p, err)
		})
	}
}

func TestNewPanicsOnNilProps(t *testing.T) {
	msg, ok := relaytest.Recover(func() { pipeline.New(newStack(), "Pipeline", nil) })
	if ok || msg != "pipeline.New: props are nil; pass &pipeline.Props{...}" {
		t.Errorf("pipeline.New(nil) = %q, %v; want a panic that names the props", msg, ok)
	}
	var nilProps *pipeline.Props
	for name, err := range map[string]error{"Validate": nilProps.Validate(), "ValidateIn": nilProps.ValidateIn(newStack())} {
		if err == nil || err.Error() != "pipeline.Props: nil; pass &pipeline.Props{...}" {
			t.Errorf("(*Props)(nil).%s() = %v", name, err)
		}
	}
}

func TestNewPanicsOnInvalidProps(t *testing.T) {
	stack := newStack()
	p := validProps(nil, stagingAndProduction())
	p.Deployments[0].Release.(*pipeline.Stack).Name = ""
	msg, ok := relaytest.Recover(func() { pipeline.New(stack, "Pipeline", p) })
	if ok {
		t.Fatal("pipeline.New returned; want a panic listing the invalid props")
	}
	if want := p.Validate().Error(); !strings.HasPrefix(msg, "pipeline.Props:") || msg != want {
		t.Errorf("pipeline.New panicked with %q, want %q", msg, want)
	}
	if stack.Node().TryFindChild(jsii.String("Pipeline")) != nil {
		t.Error("pipeline.New added a construct before it panicked")
	}
}

// helmRelease is a Helm release to cluster with the Helm project's
// ProjectName and RoleName.
func helmRelease(cluster, project, role string) *pipeline.EKSRelease {
	return &pipeline.EKSRelease{Helm: &pipeline.HelmRelease{Cluster: cluster, Release: "payments", Chart: "chart", ProjectName: project, RoleName: role}}
}

// TestRoleTakesGrants: a grant to the pipeline's role (for an action a
// team adds) lands in the role's one inline policy, after Relay's own
// statements.
func TestRoleTakesGrants(t *testing.T) {
	stack := newStack()
	var pl *pipeline.Pipeline
	relaytest.Do(t, "pipeline.New and a grant", func() {
		store := artifacts.NewStore(stack, "Artifacts", &artifacts.StoreProps{
			Readers: artifacts.Readers{Accounts: []string{"222222222222"}, RoleArnPatterns: []string{deployPattern}},
		})
		pl = pipeline.New(stack, "Pipeline", validProps(store, []pipeline.Deployment{deployment("staging", "222222222222")}))
		awssns.NewTopic(stack, jsii.String("TeamTopic"), nil).GrantPublish(pl.Role())
	})
	tpl := relaytest.JSON(t, stack)
	roleID := logicalID(pl.Role())
	var policies, last []string
	for id, r := range tpl["Resources"].(map[string]interface{}) {
		r := r.(map[string]interface{})
		props, _ := r["Properties"].(map[string]interface{})
		if r["Type"] != "AWS::IAM::Policy" || fmt.Sprint(props["Roles"]) != fmt.Sprint([]interface{}{map[string]interface{}{"Ref": roleID}}) {
			continue
		}
		policies = append(policies, id)
		sts := props["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{})
		last = []string{fmt.Sprint(sts[len(sts)-1].(map[string]interface{})["Action"]), fmt.Sprint(sts[len(sts)-1].(map[string]interface{})["Resource"])}
	}
	if len(policies) != 1 {
		t.Fatalf("the pipeline role has policies %v, want its one DefaultPolicy", policies)
	}
	if last[0] != "sns:Publish" || !strings.HasPrefix(last[1], "map[Ref:TeamTopic") {
		t.Errorf("the policy's last statement = %v, want the grant: sns:Publish on the team's topic", last)
	}
}

// TestRoleAddedStatements: what a team adds to the pipeline's role through
// the L2 role is held to the rules of a role no boundary bounds; a refused
// statement fails synthesis with its message, an accepted one synthesizes.
func TestRoleAddedStatements(t *testing.T) {
	statement := func(actions ...string) awsiam.PolicyStatement {
		return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings(actions...), Resources: jsii.Strings("*")})
	}
	const tail = "no permissions boundary bounds the pipeline role; give the job a role of its own (an action's Role) and grant that role"
	for _, tc := range []struct {
		name string
		add  func(role awsiam.Role, stack awscdk.Stack)
		want string // the validation error; "" for none
	}{
		{"an action's role to assume", func(role awsiam.Role, stack awscdk.Stack) {
			role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("sts:AssumeRole"), Resources: jsii.Strings("arn:aws:iam::111111111111:role/team-action")}))
		}, ""},
		{"an IAM write", func(role awsiam.Role, stack awscdk.Stack) {
			role.AddToPolicy(statement("iam:CreateRole"))
		}, `pipeline: Role(): the statement {"Action":"iam:CreateRole","Effect":"Allow","Resource":"*"}, added by Role.AddToPolicy or a grant: iam:CreateRole writes IAM, and ` + tail},
		{"administrator through a grant", func(role awsiam.Role, stack awscdk.Stack) {
			awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{Grantee: role, Actions: jsii.Strings("*"), ResourceArns: jsii.Strings("*")})
		}, `pipeline: Role(): the statement {"Action":"*","Effect":"Allow","Resource":"*"}, added by Role.AddToPolicy or a grant: is as strong as AdministratorAccess: * on * includes iam:AttachRolePolicy, with which the role can give itself administrator rights; ` + tail},
		{"NotAction", func(role awsiam.Role, stack awscdk.Stack) {
			role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{NotActions: jsii.Strings("iam:*"), Resources: jsii.Strings("arn:aws:s3:::team/*")}))
		}, `pipeline: Role(): the statement {"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:s3:::team/*"}, added by Role.AddToPolicy or a grant: NotAction or NotResource in an Allow statement grants everything but what it names, and ` + tail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := newStack()
			relaytest.Do(t, "pipeline.New and the statement", func() {
				store := artifacts.NewStore(stack, "Artifacts", &artifacts.StoreProps{
					Readers: artifacts.Readers{Accounts: []string{"222222222222"}, RoleArnPatterns: []string{deployPattern}},
				})
				pl := pipeline.New(stack, "Pipeline", validProps(store, []pipeline.Deployment{deployment("staging", "222222222222")}))
				tc.add(pl.Role(), stack)
			})
			msg, ok := relaytest.Recover(func() { stack.Node().Root().(awscdk.App).Synth(nil) })
			want := ""
			if tc.want != "" {
				want = "ValidationFailedWithErrors: Validation failed with the following errors:\n  [Tooling/Pipeline/Role] " + tc.want
			}
			if ok {
				msg = ""
			}
			if msg != want {
				t.Errorf("synthesis: %q\nwant %q", msg, want)
			}
		})
	}
}
