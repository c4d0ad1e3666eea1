package pipeline_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
)

// released is deployment name in account with release r and hooks.
func released(name, account string, r pipeline.Release, hooks ...pipeline.Hook) pipeline.Deployment {
	d := deployment(name, account)
	d.Release, d.Hooks = r, hooks
	if len(hooks) > 0 {
		d.Target.(*pipeline.Account).InvokeRoleArn = roleArn(account, name, "invoke")
	}
	return d
}

func smokeTest() pipeline.Hook {
	return pipeline.Hook{Name: "smoke-test", Invoke: &pipeline.LambdaInvoke{Function: "payments-smoke-test", UserParameters: `{"path":"/health"}`}}
}

func migrate() pipeline.Hook {
	return pipeline.Hook{Name: "migrate", Before: true, Invoke: &pipeline.StepFunctionsInvoke{StateMachine: "payments-migrate", Input: map[string]string{"commit": "#{SourceVariables.CommitId}"}}}
}

// TestReleaseActions checks each release and hook action: its provider,
// its configuration and the target-account role it runs as.
func TestReleaseActions(t *testing.T) {
	deps := []pipeline.Deployment{
		released("ecs", "222222222222", &pipeline.ECSRelease{Cluster: "web", Service: "api", TimeoutMinutes: 20}, migrate(), smokeTest()),
		released("bluegreen", "333333333333", &pipeline.ECSBlueGreenRelease{Application: "payments", DeploymentGroup: "payments-bluegreen"}),
		released("servers", "444444444444", &pipeline.CodeDeployRelease{Application: "payments", DeploymentGroup: "payments-servers"}),
		released("site", "555555555555", &pipeline.S3Release{Bucket: "acme-site", Extract: true, ObjectKey: "www", CacheControl: []string{"max-age=300"},
			KMSKeyArn: "arn:aws:kms:us-east-1:555555555555:key/1234abcd-12ab-34cd-56ef-1234567890ab"}),
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
