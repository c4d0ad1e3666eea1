package test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/target"
)

// TestNoPassRoleWildcard pins the least privilege of every action role of
// every configuration in testdata/configs and examples: iam:PassRole names
// roles one by one, never a pattern.
func TestNoPassRoleWildcard(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.template.json")
	if len(files) < 20 {
		t.Fatalf("found %d golden templates; run go test ./test/... -update first", len(files))
	}
	checked := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tpl struct {
			Resources map[string]struct {
				Type       string
				Properties struct {
					// An object in IAM policies, a string in
					// AWS::Logs::ResourcePolicy.
					PolicyDocument json.RawMessage
				}
			}
		}
		if err := json.Unmarshal(raw, &tpl); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for id, r := range tpl.Resources {
			// CloudFormation execution roles get what the config's
			// executionPolicy grants (each wildcard with a reason); action
			// roles are Relay's to keep narrow.
			if r.Type != "AWS::IAM::Policy" || strings.Contains(id, "ExecutionRole") {
				continue
			}
			var doc struct{ Statement []map[string]any }
			if err := json.Unmarshal(r.Properties.PolicyDocument, &doc); err != nil {
				t.Fatalf("%s %s: %v", f, id, err)
			}
			for _, st := range doc.Statement {
				if !mentions(st["Action"], "iam:PassRole") {
					continue
				}
				checked++
				for _, res := range list(st["Resource"]) {
					if s, ok := res.(string); !ok || strings.ContainsAny(s, "*?") {
						t.Errorf("%s %s: iam:PassRole on %v; name each role", filepath.Base(f), id, res)
					}
				}
			}
		}
	}
	if checked < 3 {
		t.Errorf("only %d PassRole statements found; the goldens should hold the ECS and StackSet ones", checked)
	}
}

func list(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

func mentions(v any, action string) bool {
	for _, a := range list(v) {
		if a == action || a == "iam:*" || a == "*" {
			return true
		}
	}
	return false
}

// loadConfig loads a configuration of testdata/configs or ../examples.
func loadConfig(t *testing.T, path string) *config.Config {
	t.Helper()
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestReleaseGrants pins what each strategy's deploy role and the invoke
// role may do in the first environment (pure Go, before any construct): the
// actions of its deploy action only, on the resources the config names.
func TestReleaseGrants(t *testing.T) {
	passTo := func(service string) map[string]map[string][]string {
		return map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {service}}}
	}
	tests := []struct {
		file           string
		deploy, invoke []target.Statement
		stack          bool
		trusted        []string
		readers        string
	}{
		{file: "testdata/configs/ecs-rolling.yaml",
			deploy: []target.Statement{
				{Sid: "UpdateService", Actions: []string{"ecs:DescribeServices", "ecs:UpdateService"}, Resources: []string{
					"arn:aws:ecs:us-east-1:222222222222:service/web/inventory-staging", "arn:aws:ecs:us-west-2:222222222222:service/web/inventory-staging"}},
				{Sid: "RegisterTaskDefinitions", Actions: []string{"ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"}, Resources: []string{"*"}},
				{Sid: "TagTaskDefinitionsOnCreate", Actions: []string{"ecs:TagResource"}, Resources: []string{
					"arn:aws:ecs:us-east-1:222222222222:task-definition/*", "arn:aws:ecs:us-west-2:222222222222:task-definition/*"},
					Conditions: map[string]map[string][]string{"StringEquals": {"ecs:CreateAction": {"RegisterTaskDefinition"}}}},
				{Sid: "WatchServiceTasks", Actions: []string{"ecs:DescribeTasks", "ecs:ListTasks"}, Resources: []string{
					"arn:aws:ecs:us-east-1:222222222222:container-instance/web/*", "arn:aws:ecs:us-east-1:222222222222:task/web/*",
					"arn:aws:ecs:us-west-2:222222222222:container-instance/web/*", "arn:aws:ecs:us-west-2:222222222222:task/web/*"}},
				{Sid: "PassTaskRoles", Actions: []string{"iam:PassRole"}, Resources: []string{
					"arn:aws:iam::222222222222:role/inventory-task", "arn:aws:iam::222222222222:role/inventory-task-execution"}, Conditions: passTo("ecs-tasks.amazonaws.com")},
			},
			invoke: []target.Statement{{Sid: "InvokeHookFunctions", Actions: []string{"lambda:InvokeFunction"}, Resources: []string{
				"arn:aws:lambda:us-east-1:222222222222:function:inventory-smoke-test", "arn:aws:lambda:us-west-2:222222222222:function:inventory-smoke-test"}},
				{Sid: "ListFunctions", Actions: []string{"lambda:ListFunctions"}, Resources: []string{"*"}}},
		},
		{file: "../examples/ecs-blue-green.yaml",
			deploy: []target.Statement{
				{Sid: "CreateDeployments", Actions: []string{"codedeploy:CreateDeployment", "codedeploy:GetDeployment"}, Resources: []string{"arn:aws:codedeploy:us-east-1:222222222222:deploymentgroup:checkout-staging/checkout-staging"}},
				{Sid: "RegisterRevisions", Actions: []string{"codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"}, Resources: []string{"arn:aws:codedeploy:us-east-1:222222222222:application:checkout-staging"}},
				{Sid: "ReadDeploymentConfig", Actions: []string{"codedeploy:GetDeploymentConfig"}, Resources: []string{"arn:aws:codedeploy:us-east-1:222222222222:deploymentconfig:CodeDeployDefault.ECSCanary10Percent5Minutes"}},
				{Sid: "RegisterTaskDefinitions", Actions: []string{"ecs:RegisterTaskDefinition"}, Resources: []string{"*"}},
				{Sid: "TagTaskDefinitionsOnCreate", Actions: []string{"ecs:TagResource"}, Resources: []string{"arn:aws:ecs:us-east-1:222222222222:task-definition/*"},
					Conditions: map[string]map[string][]string{"StringEquals": {"ecs:CreateAction": {"RegisterTaskDefinition"}}}},
				{Sid: "PassTaskRoles", Actions: []string{"iam:PassRole"}, Resources: []string{
					"arn:aws:iam::222222222222:role/checkout-task", "arn:aws:iam::222222222222:role/checkout-task-execution"}, Conditions: passTo("ecs-tasks.amazonaws.com")},
			},
			invoke: []target.Statement{
				{Sid: "StartHookExecutions", Actions: []string{"states:DescribeStateMachine", "states:StartExecution"}, Resources: []string{"arn:aws:states:us-east-1:222222222222:stateMachine:checkout-migrate"}},
				{Sid: "WatchHookExecutions", Actions: []string{"states:DescribeExecution"}, Resources: []string{"arn:aws:states:us-east-1:222222222222:execution:checkout-migrate:*"}},
			},
		},
		{file: "testdata/configs/codedeploy-ec2.yaml",
			deploy: []target.Statement{
				{Sid: "CreateDeployments", Actions: []string{"codedeploy:CreateDeployment", "codedeploy:GetDeployment"}, Resources: []string{"arn:aws:codedeploy:us-east-1:222222222222:deploymentgroup:billing-staging/billing-staging"}},
				{Sid: "RegisterRevisions", Actions: []string{"codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"}, Resources: []string{"arn:aws:codedeploy:us-east-1:222222222222:application:billing-staging"}},
				{Sid: "ReadDeploymentConfig", Actions: []string{"codedeploy:GetDeploymentConfig"}, Resources: []string{"arn:aws:codedeploy:us-east-1:222222222222:deploymentconfig:billing-staging-fleet-percent-75"}},
			},
			readers: "billing-staging-artifact-reader",
		},
		{file: "../examples/existing-codedeploy.yaml",
			deploy: []target.Statement{
				{Sid: "CreateDeployments", Actions: []string{"codedeploy:CreateDeployment", "codedeploy:GetDeployment"}, Resources: []string{"arn:aws:codedeploy:us-east-1:222222222222:deploymentgroup:intake-web/intake-web-staging-us-east-1"}},
				{Sid: "RegisterRevisions", Actions: []string{"codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"}, Resources: []string{"arn:aws:codedeploy:us-east-1:222222222222:application:intake-web"}},
				{Sid: "ReadDeploymentConfig", Actions: []string{"codedeploy:GetDeploymentConfig"}, Resources: []string{"arn:aws:codedeploy:us-east-1:222222222222:deploymentconfig:*"}},
			},
			readers: "intake-staging-artifact-reader",
		},
		{file: "testdata/configs/existing-ecs.yaml",
			deploy: []target.Statement{
				{Sid: "CreateDeployments", Actions: []string{"codedeploy:CreateDeployment", "codedeploy:GetDeployment"}, Resources: []string{"arn:aws:codedeploy:eu-west-1:222222222222:deploymentgroup:kiosk/kiosk-staging"}},
				{Sid: "RegisterRevisions", Actions: []string{"codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"}, Resources: []string{"arn:aws:codedeploy:eu-west-1:222222222222:application:kiosk"}},
				{Sid: "ReadDeploymentConfig", Actions: []string{"codedeploy:GetDeploymentConfig"}, Resources: []string{"arn:aws:codedeploy:eu-west-1:222222222222:deploymentconfig:*"}},
				{Sid: "RegisterTaskDefinitions", Actions: []string{"ecs:RegisterTaskDefinition"}, Resources: []string{"*"}},
				{Sid: "TagTaskDefinitionsOnCreate", Actions: []string{"ecs:TagResource"}, Resources: []string{"arn:aws:ecs:eu-west-1:222222222222:task-definition/*"},
					Conditions: map[string]map[string][]string{"StringEquals": {"ecs:CreateAction": {"RegisterTaskDefinition"}}}},
				{Sid: "PassTaskRoles", Actions: []string{"iam:PassRole"}, Resources: []string{
					"arn:aws:iam::222222222222:role/kiosk-task", "arn:aws:iam::222222222222:role/kiosk-task-execution"}, Conditions: passTo("ecs-tasks.amazonaws.com")},
			},
		},
		{file: "testdata/configs/s3-site.yaml",
			deploy: []target.Statement{
				{Sid: "WriteSiteObjects", Actions: []string{"s3:PutObject"}, Resources: []string{"arn:aws:s3:::acme-website-staging-222222222222/site/*"}},
				{Sid: "EncryptSiteObjects", Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resources: []string{"arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
					Conditions: map[string]map[string][]string{"StringLike": {"kms:ViaService": {"s3.*.amazonaws.com"}}}},
			},
		},
		{file: "testdata/configs/eks.yaml",
			deploy:  []target.Statement{{Sid: "DescribeCluster", Actions: []string{"eks:DescribeCluster"}, Resources: []string{"arn:aws:eks:us-east-1:222222222222:cluster/shop-staging"}}},
			trusted: []string{"arn:aws:iam::111111111111:role/shop-staging-helm"},
		},
		{file: "constructs-example", stack: true, trusted: []string{"arn:aws:iam::111111111111:role/relay/payments/payments-recovery"},
			invoke: []target.Statement{{Sid: "InvokeHookFunctions", Actions: []string{"lambda:InvokeFunction"}, Resources: []string{
				"arn:aws:lambda:us-east-1:222222222222:function:payments-app-smoke-test"}},
				{Sid: "ListFunctions", Actions: []string{"lambda:ListFunctions"}, Resources: []string{"*"}}}},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			cfg := example(t)
			if tc.file != "constructs-example" {
				cfg = loadConfig(t, tc.file)
			}
			spec, err := delivery.Translate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			p := spec.Targets[0].Props
			type grants struct {
				Deploy, Invoke []target.Statement
				Stack          bool
				Trusted        []string
				Readers        string
			}
			got := grants{p.DeployStatements, p.InvokeStatements, len(p.StackNames) > 0 && p.ExecutionRoleName != "", p.TrustedRoleArns, p.ArtifactReaderPolicyName}
			want := grants{tc.deploy, tc.invoke, tc.stack, tc.trusted, tc.readers}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(target.Statement{}, "Reason")); diff != "" {
				t.Errorf("TargetProps (-want +got):\n%s", diff)
			}
			if tc.invoke != nil && p.InvokeRoleName == "" {
				t.Error("InvokeRoleName is empty although the config has hooks")
			}
		})
	}
}

// TestReleaseResources checks what the strategies add to the stacks: the
// CodeDeploy group with its test listener, the EKS access entry of the
// deploy role, the job-results role's trust and the StackSet roles.
func TestReleaseResources(t *testing.T) {
	all := templates(t)
	find := func(t *testing.T, stack, typ string) map[string]interface{} {
		t.Helper()
		for _, r := range all[stack]["Resources"].(map[string]interface{}) {
			if r := r.(map[string]interface{}); r["Type"] == typ {
				return r["Properties"].(map[string]interface{})
			}
		}
		t.Fatalf("%s has no %s", stack, typ)
		return nil
	}
	contains := func(t *testing.T, what string, v interface{}, parts ...string) {
		t.Helper()
		raw, _ := json.Marshal(v)
		for _, p := range parts {
			if !strings.Contains(string(raw), p) {
				t.Errorf("%s: %s lacks %s", what, raw, p)
			}
		}
	}
	t.Run("ECS deployment group routes test traffic and rolls back on alarms", func(t *testing.T) {
		g := find(t, "checkout-production", "AWS::CodeDeploy::DeploymentGroup")
		contains(t, "deployment group", g,
			`"DeploymentGroupName":"checkout-production"`, `"DeploymentConfigName":"CodeDeployDefault.ECSCanary10Percent5Minutes"`,
			`listener/app/checkout/6d0ecf831eec9f09/b5a1c2d3e4f50617`, `"checkout-5xx"`, `"DEPLOYMENT_STOP_ON_ALARM"`,
			`"WaitTimeInMinutes":10`, `"TerminationWaitTimeInMinutes":30`)
	})
	t.Run("EC2 instance roles may read the artifact store", func(t *testing.T) {
		// A managed policy the team attaches: the stack attaches nothing
		// to the instance roles, which it does not create.
		p := find(t, "billing-staging", "AWS::IAM::ManagedPolicy")
		contains(t, "reader policy", p, `"ManagedPolicyName":"billing-staging-artifact-reader"`, `"Path":"/relay/billing/"`, `"s3:GetObject"`, `"kms:Decrypt"`)
		if p["Roles"] != nil {
			t.Errorf("the reader policy is attached to %v", p["Roles"])
		}
		for id, res := range all["billing-staging"]["Resources"].(map[string]interface{}) {
			raw, _ := json.Marshal(res)
			if strings.Contains(string(raw), `"billing-instance"`) {
				t.Errorf("billing-staging/%s names the instance role: %s", id, raw)
			}
		}
		// The artifact bucket's and key's grants to readers (the statements
		// with an aws:PrincipalArn condition) name the instance role too.
		grants := 0
		for _, res := range all["billing-tooling"]["Resources"].(map[string]interface{}) {
			raw, _ := json.Marshal(res)
			if r := res.(map[string]interface{}); (r["Type"] == "AWS::S3::BucketPolicy" || r["Type"] == "AWS::KMS::Key") && strings.Contains(string(raw), "aws:PrincipalArn") {
				grants++
				contains(t, fmt.Sprint(r["Type"]), r, `arn:aws:iam::*:role/billing-instance`)
			}
		}
		if grants != 2 {
			t.Errorf("billing-tooling: %d reader grants, want the bucket policy's and the key policy's", grants)
		}
	})
	t.Run("an existing CodeDeploy group is referenced, never created", func(t *testing.T) {
		for _, stack := range []string{"intake-staging", "intake-production", "kiosk-staging"} {
			for id, res := range all[stack]["Resources"].(map[string]interface{}) {
				if typ := fmt.Sprint(res.(map[string]interface{})["Type"]); strings.HasPrefix(typ, "AWS::CodeDeploy::") {
					t.Errorf("%s creates %s %s; the group exists already", stack, typ, id)
				}
			}
		}
		raw, _ := json.Marshal(all["intake-tooling"])
		for _, want := range []string{`"ApplicationName":"intake-web"`, `"DeploymentGroupName":"intake-web-production-us-west-2"`, `"DeploymentGroupName":"intake-web-staging-us-east-1"`} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("intake-tooling: no deploy action with %s", want)
			}
		}
	})
	t.Run("source roles of other accounts may write artifacts, and only they", func(t *testing.T) {
		roles := `"aws:PrincipalArn":["arn:aws:iam::444444444444:role/relay/fenwick/fenwick-source","arn:aws:iam::555555555555:role/relay/fenwick/fenwick-source"]`
		found := map[string]bool{}
		for _, res := range all["fenwick-tooling"]["Resources"].(map[string]interface{}) {
			r := res.(map[string]interface{})
			var doc interface{}
			switch r["Type"] {
			case "AWS::S3::BucketPolicy":
				doc = r["Properties"].(map[string]interface{})["PolicyDocument"]
			case "AWS::KMS::Key":
				doc = r["Properties"].(map[string]interface{})["KeyPolicy"]
			default:
				continue
			}
			for _, st := range doc.(map[string]interface{})["Statement"].([]interface{}) {
				raw, _ := json.Marshal(st)
				if st.(map[string]interface{})["Sid"] != "WriteArtifactsFromSourceRoles" {
					if strings.Contains(string(raw), "444444444444") || strings.Contains(string(raw), "555555555555") {
						t.Errorf("%s statement %s names a source account", r["Type"], raw)
					}
					continue
				}
				found[fmt.Sprint(r["Type"])] = true
				contains(t, fmt.Sprint(r["Type"]), st, `"ArnEquals":{`+roles+`}`)
				if r["Type"] == "AWS::S3::BucketPolicy" {
					contains(t, "bucket grant", st, `"Action":"s3:PutObject"`)
				} else {
					contains(t, "key grant", st, `"Action":["kms:Decrypt","kms:GenerateDataKey"]`)
				}
			}
		}
		if !found["AWS::S3::BucketPolicy"] || !found["AWS::KMS::Key"] {
			t.Errorf("fenwick-tooling: writer grants in %v, want the artifact bucket policy and key policy", found)
		}
		pipelineRole := find(t, "fenwick-tooling", "AWS::CodePipeline::Pipeline")
		contains(t, "source actions", pipelineRole, `"RoleArn":"arn:aws:iam::444444444444:role/relay/fenwick/fenwick-source"`, `"RoleArn":"arn:aws:iam::555555555555:role/relay/fenwick/fenwick-source"`, `"PollForSourceChanges":false`)
	})
	t.Run("EKS access entry maps the deploy role to its namespace", func(t *testing.T) {
		e := find(t, "shop-staging", "AWS::EKS::AccessEntry")
		contains(t, "access entry", e, `"ClusterName":"shop-staging"`, `AmazonEKSEditPolicy`, `"Namespaces":["shop"]`, `"Type":"namespace"`)
	})
	t.Run("each environment's Helm step has its own role, which only that environment's deploy role trusts", func(t *testing.T) {
		// Issue 10 security item 6: one Helm role trusted by every
		// environment let a staging release assume the production deploy role.
		resources := all["shop-tooling"]["Resources"].(map[string]interface{})
		roles := map[string]string{} // logical ID -> role name
		for id, res := range resources {
			if p, _ := res.(map[string]interface{})["Properties"].(map[string]interface{}); p != nil && strings.HasSuffix(fmt.Sprint(p["RoleName"]), "-helm") {
				roles[id] = fmt.Sprint(p["RoleName"])
			}
		}
		assumes := map[string][]string{} // role name -> roles it may assume
		for _, res := range resources {
			p, _ := res.(map[string]interface{})["Properties"].(map[string]interface{})
			doc, _ := p["PolicyDocument"].(map[string]interface{})
			if doc == nil || p["Roles"] == nil {
				continue
			}
			for _, r := range list(p["Roles"]) {
				ref, _ := r.(map[string]interface{})
				name, ok := roles[fmt.Sprint(ref["Ref"])]
				if !ok {
					continue
				}
				for _, st := range list(doc["Statement"]) {
					if st := st.(map[string]interface{}); st["Action"] == "sts:AssumeRole" {
						for _, a := range list(st["Resource"]) {
							assumes[name] = append(assumes[name], fmt.Sprint(a))
						}
					}
				}
			}
		}
		want := map[string][]string{
			"shop-staging-helm":    {"arn:aws:iam::222222222222:role/relay/shop/shop-staging-deploy"},
			"shop-production-helm": {"arn:aws:iam::333333333333:role/relay/shop/shop-production-deploy"},
		}
		if diff := cmp.Diff(want, assumes); diff != "" {
			t.Errorf("roles each Helm role may assume (-want +got):\n%s", diff)
		}
		for env, other := range map[string]string{"staging": "production", "production": "staging"} {
			trust := ""
			for _, res := range all["shop-"+env]["Resources"].(map[string]interface{}) {
				if p, _ := res.(map[string]interface{})["Properties"].(map[string]interface{}); p != nil && p["RoleName"] == "shop-"+env+"-deploy" {
					raw, _ := json.Marshal(p["AssumeRolePolicyDocument"])
					trust = string(raw)
				}
			}
			if !strings.Contains(trust, "role/shop-"+env+"-helm") || strings.Contains(trust, "-"+other+"-helm") {
				t.Errorf("deploy role of %s trusts %s; want its own Helm role only", env, trust)
			}
		}
	})
	t.Run("hook functions report through the job-results role", func(t *testing.T) {
		var trust interface{}
		for _, res := range all["inventory-tooling"]["Resources"].(map[string]interface{}) {
			if p, _ := res.(map[string]interface{})["Properties"].(map[string]interface{}); p != nil && p["RoleName"] == "inventory-job-results" {
				trust = p["AssumeRolePolicyDocument"]
			}
		}
		contains(t, "job-results trust", trust, `"aws:PrincipalAccount":["222222222222","333333333333"]`)
	})
	t.Run("StackSet administration role is passed by exact ARN", func(t *testing.T) {
		found := false
		for _, res := range all["agent-tooling"]["Resources"].(map[string]interface{}) {
			raw, _ := json.Marshal(res)
			if strings.Contains(string(raw), "PassStackSetAdministrationRole") {
				found = true
				contains(t, "pipeline role", res, `"Resource":"arn:aws:iam::111111111111:role/relay/agent/agent-stackset-admin"`, `"iam:PassedToService":"cloudformation.amazonaws.com"`)
			}
		}
		if !found {
			t.Error("agent-tooling: no PassStackSetAdministrationRole statement")
		}
		exec := find(t, "agent-fleet-444444444444", "AWS::IAM::Role")
		contains(t, "execution role", exec, `"RoleName":"agent-pilot-stackset-exec"`, `"aws:PrincipalArn":"arn:aws:iam::111111111111:role/relay/agent/agent-stackset-admin"`)
	})
}
