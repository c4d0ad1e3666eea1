package pipeline_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/pipeline"
)

// TestStepActions renders each step kind: a CodeBuild step in a project of
// its own that runs the buildspec file, reads the stack's output as a
// variable and may assume its step role only; an approval step; Lambda
// and Step Functions steps in the pipeline's account, which the pipeline
// role may run (those functions and state machines only) without a role
// of another account.
func TestStepActions(t *testing.T) {
	const stepRole = "arn:aws:iam::222222222222:role/relay/payments/payments-staging-smoke-step"
	staging := deployment("staging", "222222222222")
	staging.Steps = []pipeline.Step{
		{Name: "smoke", Action: &pipeline.CodeBuildStep{ProjectName: "payments-step-smoke", RoleName: "payments-step-smoke",
			Buildspec: "ci/smoke.yml", Inputs: []string{"source"}, AssumeRoleArn: stepRole,
			EnvironmentVariables: map[string]string{"COMMIT": "#{SourceVariables.CommitId}"},
			StackOutputs:         map[string]string{"API_URL": "ApiUrl"}}},
		{Name: "signoff", Action: &pipeline.ApprovalStep{Comment: "Smoke test passed?", TimeoutMinutes: 60}},
		{Name: "notes", Action: &pipeline.LambdaInvoke{Function: "release-notes"}},
	}
	report := pipeline.Deployment{Name: "report", Target: &pipeline.PipelineAccount{},
		Steps: []pipeline.Step{{Name: "report", Action: &pipeline.StepFunctionsInvoke{StateMachine: "release-report"}}}}
	s := synth(t, []pipeline.Deployment{staging, report}, nil)
	byName, _ := stages(s.pipelineProps(t))

	type got struct {
		Provider string
		RunOrder float64
		RoleArn  interface{}
		Config   map[string]interface{}
	}
	actions := map[string]got{}
	for _, st := range []string{"Deploy-staging", "Deploy-report"} {
		for _, a := range byName[st] {
			m := obj(a)
			actions[str(m["Name"])] = got{str(obj(m["ActionTypeId"])["Provider"]), m["RunOrder"].(float64), m["RoleArn"], obj(m["Configuration"])}
		}
	}
	projectID, _ := s.one(t, "AWS::CodeBuild::Project", func(p map[string]interface{}) bool { return p["Name"] == "payments-step-smoke" })
	smoke := actions["Step-smoke-us-east-1"]
	if smoke.Provider != "CodeBuild" || smoke.RunOrder != 3 || smoke.RoleArn != nil || !cmp.Equal(smoke.Config["ProjectName"], ref(projectID)) {
		t.Errorf("Step-smoke-us-east-1 = %+v; want CodeBuild after the deploy (3), as the pipeline role, on %s", smoke, projectID)
	}
	var vars []map[string]string
	if err := json.Unmarshal([]byte(str(smoke.Config["EnvironmentVariables"])), &vars); err != nil {
		t.Fatalf("EnvironmentVariables: %v", err)
	}
	for name, want := range map[string]string{
		"API_URL": "#{Deploy_staging_us-east-1.ApiUrl}", "COMMIT": "#{SourceVariables.CommitId}", "RELAY_ROLE_ARN": stepRole,
		"RELAY_ENVIRONMENT": "staging", "RELAY_ACCOUNT": "222222222222", "RELAY_REGION": "us-east-1",
	} {
		if !containsVar(vars, map[string]string{"name": name, "type": "PLAINTEXT", "value": want}) {
			t.Errorf("the step's variables %v lack %s=%s", vars, name, want)
		}
	}
	if a := actions["Approve-signoff-us-east-1"]; a.Provider != "Manual" || a.RunOrder != 4 || a.Config["CustomData"] != "Smoke test passed?" {
		t.Errorf("Approve-signoff-us-east-1 = %+v", a)
	}
	for name, want := range map[string]got{
		"Invoke-notes-us-east-1": {"Lambda", 5, nil, map[string]interface{}{"FunctionName": "release-notes"}},
		"Invoke-report": {"StepFunctions", 1, nil, map[string]interface{}{"StateMachineArn": "arn:aws:states:us-east-1:111111111111:stateMachine:release-report",
			"ExecutionNamePrefix": "report", "InputType": "Literal", "Input": "{}"}},
	} {
		if diff := cmp.Diff(want, actions[name]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}

	s.has(t, "the step's project runs its buildspec file, encrypted with the artifact key", "AWS::CodeBuild::Project", map[string]interface{}{
		"Name":          "payments-step-smoke",
		"Source":        like(map[string]interface{}{"Type": "CODEPIPELINE", "BuildSpec": "ci/smoke.yml"}),
		"EncryptionKey": like(map[string]interface{}{"Fn::GetAtt": []interface{}{logicalID(s.store.Key()), "Arn"}}),
	})
	roleID, _ := s.one(t, "AWS::IAM::Role", func(p map[string]interface{}) bool { return p["RoleName"] == "payments-step-smoke" })
	_, policy := s.rolePolicy(t, roleID)
	var assumes []string
	for _, st := range obj(obj(policy["Properties"])["PolicyDocument"])["Statement"].([]interface{}) {
		if a := obj(st)["Action"]; a == "sts:AssumeRole" {
			assumes = append(assumes, fmt.Sprint(obj(st)["Resource"]))
		}
	}
	if !cmp.Equal(assumes, []string{stepRole}) {
		t.Errorf("the project role may assume %v, want its step role only", assumes)
	}

	_, pipelinePolicy := s.rolePolicy(t, logicalID(s.pl.Role()))
	sts := map[string]interface{}{}
	for _, st := range obj(obj(pipelinePolicy["Properties"])["PolicyDocument"])["Statement"].([]interface{}) {
		sts[str(obj(st)["Sid"])] = obj(st)["Resource"]
	}
	for sid, want := range map[string]interface{}{
		"InvokeLambdaSteps":   "arn:aws:lambda:us-east-1:111111111111:function:release-notes",
		"StartStepExecutions": "arn:aws:states:us-east-1:111111111111:stateMachine:release-report",
		"WatchStepExecutions": "arn:aws:states:us-east-1:111111111111:execution:release-report:*",
	} {
		if !cmp.Equal(sts[sid], want) {
			t.Errorf("pipeline role statement %s on %v, want %v", sid, sts[sid], want)
		}
	}
	if r, ok := sts["RunBuild"].([]interface{}); !ok || !cmp.Equal(r[len(r)-1], arnOf(projectID)) {
		t.Errorf("the pipeline role may start %v; want the step's project too", sts["RunBuild"])
	}
}
