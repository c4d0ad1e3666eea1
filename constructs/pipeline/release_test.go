package pipeline_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
)

// released is deployment name in account with release r and hooks.
func released(name, account string, r *pipeline.Release, hooks ...pipeline.Hook) pipeline.Deployment {
	d := deployment(name, account)
	d.Release, d.Hooks = r, hooks
	if len(hooks) > 0 {
		d.InvokeRoleArn = roleArn(account, name, "invoke")
	}
	return d
}

func smokeTest() pipeline.Hook {
	return pipeline.Hook{Name: "smoke-test", Lambda: &pipeline.LambdaHook{Function: "payments-smoke-test", UserParameters: `{"path":"/health"}`}}
}

func migrate() pipeline.Hook {
	return pipeline.Hook{Name: "migrate", Before: true, StepFunctions: &pipeline.StepFunctionsHook{StateMachine: "payments-migrate", Input: map[string]string{"commit": "#{SourceVariables.CommitId}"}}}
}

func TestReleaseValidate(t *testing.T) {
	ecs := &pipeline.Release{ECS: &pipeline.ECSRelease{Cluster: "web", Service: "api"}}
	tests := []struct {
		name   string
		mutate func(p *pipeline.Props)
		want   []string
	}{
		{"every kind is valid", func(p *pipeline.Props) {
			p.Deployments[0] = released("staging", "222222222222", ecs, smokeTest(), migrate())
			p.Deployments[1].Release = &pipeline.Release{GitOps: &pipeline.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", File: "values.yaml", TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:t-AbCdEf"},
				Helm: &pipeline.HelmRelease{Cluster: "web", Release: "api", Chart: "charts/api"}}
		}, nil},
		{"two kinds", func(p *pipeline.Props) {
			p.Deployments[0].Release = &pipeline.Release{ECS: ecs.ECS, S3: &pipeline.S3Release{Bucket: "site", Extract: true}}
		}, []string{"Deployments[0].Release: set exactly one of ECS, ECSBlueGreen, CodeDeploy, S3, or GitOps and/or Helm"}},
		{"missing names", func(p *pipeline.Props) {
			p.Deployments[0].Release = &pipeline.Release{ECSBlueGreen: &pipeline.ECSBlueGreenRelease{Application: "payments"}}
		}, []string{`Deployments[0].Release.ECSBlueGreen "payments"/"": Application and DeploymentGroup are required`}},
		{"S3 without a key", func(p *pipeline.Props) {
			p.Deployments[0].Release = &pipeline.Release{S3: &pipeline.S3Release{Bucket: "site", KMSKeyArn: "alias/site"}}
		}, []string{
			`Deployments[0].Release.S3.ObjectKey "": required when Extract is false`,
			`Deployments[0].Release.S3.KMSKeyArn "alias/site": must be a KMS key ARN`,
		}},
		{"hook without a role, with both kinds", func(p *pipeline.Props) {
			h := smokeTest()
			h.StepFunctions = migrate().StepFunctions
			p.Deployments[0].Hooks = []pipeline.Hook{h}
		}, []string{
			"Deployments[0].Hooks[0]: set exactly one of Lambda and StepFunctions",
			`Deployments[0].InvokeRoleArn "": hooks need a role ARN in account 222222222222`,
		}},
		{"qualified function", func(p *pipeline.Props) {
			h := smokeTest()
			h.Lambda.Function = "payments-smoke-test:live"
			p.Deployments[0] = released("staging", "222222222222", nil, h)
		}, []string{`Deployments[0].Hooks[0].Lambda.Function "payments-smoke-test:live": must be a function name without a qualifier (the action invokes $LATEST)`}},
		{"duplicate hook", func(p *pipeline.Props) {
			p.Deployments[0] = released("staging", "222222222222", nil, smokeTest(), smokeTest())
		}, []string{`Deployments[0].Hooks[1].Name "smoke-test": must be unique, 2 to 31 of a-z, 0-9 and -`}},
		{"regional override of an unknown region", func(p *pipeline.Props) {
			p.Deployments[0].Regional = map[string]pipeline.Regional{"eu-west-1": {Release: ecs}}
		}, []string{`Deployments[0].Regional["eu-west-1"]: not one of Regions`}},
		{"a release needs no execution role", func(p *pipeline.Props) {
			p.Deployments[0].Release, p.Deployments[0].ExecutionRoleArn = ecs, ""
		}, nil},
		{"StackSet of accounts without its roles", func(p *pipeline.Props) {
			d := deployment("fleet", "")
			d.Accounts = []string{"444444444444"}
			p.Deployments = append(p.Deployments, d)
		}, []string{"Deployments[2]: a StackSet to Accounts needs StackSetAdminRoleArn and StackSetExecutionRoleName (self-managed permissions)"}},
		{"StackSet of accounts and OUs", func(p *pipeline.Props) {
			d := deployment("fleet", "")
			d.Accounts, d.OrganizationalUnits = []string{"444444444444"}, []string{"ou-ab12-cd34ef56"}
			d.StackSetAdminRoleArn, d.StackSetExecutionRoleName = "arn:aws:iam::111111111111:role/admin", "exec"
			p.Deployments = append(p.Deployments, d)
		}, []string{`Deployments[2].Accounts ["444444444444"]: set either Accounts or OrganizationalUnits`}},
		{"instances of an unknown StackSet", func(p *pipeline.Props) {
			d := deployment("fleet", "")
			d.Accounts, d.StackSetOf = []string{"444444444444"}, "pilot"
			p.Deployments = append(p.Deployments, d)
		}, []string{`Deployments[2].StackSetOf "pilot": must name an earlier StackSet deployment, and this one needs Accounts or OrganizationalUnits`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := validProps(&artifacts.Store{}, stagingAndProduction())
			tc.mutate(p)
			relaytest.ValidateError(t, p.Validate(), "pipeline.Props: ", tc.want)
		})
	}
}

// TestPlanStagesReleases checks the order of a region's actions: before
// hooks, the release steps, after hooks, one run order each.
func TestPlanStagesReleases(t *testing.T) {
	helm := &pipeline.Release{GitOps: &pipeline.GitOpsRelease{}, Helm: &pipeline.HelmRelease{}}
	d := released("staging", "222222222222", helm, smokeTest(), migrate())
	stages, err := pipeline.PlanStages([]pipeline.Deployment{d})
	if err != nil {
		t.Fatal(err)
	}
	type action struct {
		Name  string
		Kind  pipeline.ActionKind
		Order int
	}
	var got []action
	for _, a := range stages[0].Actions {
		got = append(got, action{a.Name, a.Kind, a.RunOrder})
	}
	want := []action{
		{"Hook-migrate-us-east-1", pipeline.Invoke, 1},
		{"GitOps-us-east-1", pipeline.GitOpsUpdate, 2},
		{"Helm-us-east-1", pipeline.HelmDeploy, 3},
		{"Hook-smoke-test-us-east-1", pipeline.Invoke, 4},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
}

// TestReleaseActions checks each release and hook action: its provider,
// its configuration and the target-account role it runs as.
func TestReleaseActions(t *testing.T) {
	deps := []pipeline.Deployment{
		released("ecs", "222222222222", &pipeline.Release{ECS: &pipeline.ECSRelease{Cluster: "web", Service: "api", TimeoutMinutes: 20}}, migrate(), smokeTest()),
		released("bluegreen", "333333333333", &pipeline.Release{ECSBlueGreen: &pipeline.ECSBlueGreenRelease{Application: "payments", DeploymentGroup: "payments-bluegreen"}}),
		released("servers", "444444444444", &pipeline.Release{CodeDeploy: &pipeline.CodeDeployRelease{Application: "payments", DeploymentGroup: "payments-servers"}}),
		released("site", "555555555555", &pipeline.Release{S3: &pipeline.S3Release{Bucket: "acme-site", Extract: true, ObjectKey: "www", CacheControl: []string{"max-age=300"},
			KMSKeyArn: "arn:aws:kms:us-east-1:555555555555:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}),
	}
	s := synth(t, deps, func(p *pipeline.Props) {
		p.InvokeRolePatterns = []string{"arn:aws:iam::*:role/relay/payments/payments-*-invoke"}
	})
	byName, _ := stages(s.pipelineProps(t))
	type action struct {
		Provider string
		RoleArn  string
		Config   map[string]interface{}
	}
	get := func(stage, name string) action {
		for _, a := range byName[stage] {
			if str(obj(a)["Name"]) == name {
				cfg, _ := obj(a)["Configuration"].(map[string]interface{})
				return action{str(obj(obj(a)["ActionTypeId"])["Provider"]), str(obj(a)["RoleArn"]), cfg}
			}
		}
		t.Fatalf("no action %s in stage %s", name, stage)
		return action{}
	}
	tests := []struct {
		stage, name string
		want        action
	}{
		{"Deploy-ecs", "Hook-migrate-us-east-1", action{"StepFunctions", roleArn("222222222222", "ecs", "invoke"), map[string]interface{}{
			"StateMachineArn": "arn:aws:states:us-east-1:222222222222:stateMachine:payments-migrate", "ExecutionNamePrefix": "migrate",
			"InputType": "Literal", "Input": `{"commit":"#{SourceVariables.CommitId}"}`,
		}}},
		{"Deploy-ecs", "Deploy-us-east-1", action{"ECS", roleArn("222222222222", "ecs", "deploy"), map[string]interface{}{
			"ClusterName": "web", "ServiceName": "api", "FileName": "imagedefinitions.json", "DeploymentTimeout": float64(20),
		}}},
		{"Deploy-ecs", "Hook-smoke-test-us-east-1", action{"Lambda", roleArn("222222222222", "ecs", "invoke"), map[string]interface{}{
			"FunctionName": "payments-smoke-test", "UserParameters": `{"path":"/health"}`,
		}}},
		{"Deploy-bluegreen", "Deploy-us-east-1", action{"CodeDeployToECS", roleArn("333333333333", "bluegreen", "deploy"), map[string]interface{}{
			"ApplicationName": "payments", "DeploymentGroupName": "payments-bluegreen",
			"TaskDefinitionTemplateArtifact": "Build", "TaskDefinitionTemplatePath": "taskdef.json",
			"AppSpecTemplateArtifact": "Build", "AppSpecTemplatePath": "appspec.yaml",
			"Image1ArtifactName": "Build", "Image1ContainerName": "IMAGE1_NAME",
		}}},
		{"Deploy-servers", "Deploy-us-east-1", action{"CodeDeploy", roleArn("444444444444", "servers", "deploy"), map[string]interface{}{
			"ApplicationName": "payments", "DeploymentGroupName": "payments-servers",
		}}},
		{"Deploy-site", "Deploy-us-east-1", action{"S3", roleArn("555555555555", "site", "deploy"), map[string]interface{}{
			"BucketName": "acme-site", "Extract": "true", "ObjectKey": "www", "CacheControl": "max-age=300",
			"KMSEncryptionKeyARN": "arn:aws:kms:us-east-1:555555555555:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.stage+"/"+tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, get(tc.stage, tc.name)); diff != "" {
				t.Errorf("action (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("the pipeline role assumes the invoke roles by pattern", func(t *testing.T) {
		_, policy := s.rolePolicy(t, logicalID(s.pl.Role()))
		if got := relaytest.Marshal(policy); !strings.Contains(string(got), "payments-*-invoke") {
			t.Errorf("pipeline role policy has no invoke role pattern:\n%s", got)
		}
	})
}
