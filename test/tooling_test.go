package test

import (
	"testing"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/wiring"
	"github.com/relaycdk/relay/internal/iameval"
)

// toolingEnvironment is a configuration with an environment in the tooling
// account: its execution role, the roles its workload creates there under
// the permissions boundary and its step role share the account with the
// pipeline, its projects (the self-update project among them), the
// recovery function, the execution timer and the artifact and asset stores.
const toolingEnvironment = `name: platform
tooling: {account: "111111111111", region: us-east-1}
source:
  github: {repository: acme/platform-delivery, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
build: {buildspec: buildspec.yml}
selfUpdate: {config: relay.yaml}
assets: {publish: stage, images: true}
deploy:
  stackName: platform-app
  executionPolicy:
    statements:
      - sid: Functions
        actions: ["lambda:*"]
        resources: ["arn:aws:lambda:${region}:${account}:function:*"]
        reason: CloudFormation names the workload's functions.
      - sid: PassFunctionRoles
        actions: ["iam:PassRole"]
        resources: ["arn:aws:iam::${account}:role/*platform*"]
        reason: The function roles of the workload carry its name.
        conditions:
          StringEquals: {"iam:PassedToService": [lambda.amazonaws.com]}
  hooks:
    - {name: check, lambda: {function: platform-check}}
environments:
  - name: dev
    account: "111111111111"
    regions: [us-east-1]
    steps:
      - name: smoke
        codeBuild:
          buildspec: ci/smoke.yml
          role:
            statements:
              - {sid: StartSelfUpdate, actions: ["codebuild:StartBuild"], resources: ["arn:aws:codebuild:us-east-1:111111111111:project/platform-self-update"]}
              - {sid: Approve, actions: ["codepipeline:PutApprovalResult", "codepipeline:GetPipelineExecution"], resources: ["arn:aws:codepipeline:us-east-1:111111111111:platform", "arn:aws:codepipeline:us-east-1:111111111111:platform/Approve_production/Approve"]}
              - {sid: Recovery, actions: ["lambda:UpdateFunctionCode"], resources: ["arn:aws:lambda:us-east-1:111111111111:function:platform-recovery"]}
  - {name: production, account: "222222222222", regions: [us-east-1], approval: {}}
`

// TestToolingResourcesOutOfReach: in the tooling account, a role that a
// configuration gives statements (the execution role, a step role) and a
// role the workload creates under the permissions boundary with a policy
// that grants everything (the execution role writes it) may not start the
// self-update or build project (StartBuild takes a buildspec override: the
// caller runs commands as the project's role, which reaches every account),
// change the recovery function's code (its role assumes every deploy role),
// approve or change the pipeline, write a new version of an artifact or an
// asset that a waiting deployment reads, or pass the recovery role (which
// trusts Lambda without a source condition) to a function of its template
// (DenyUsingRelayTooling). What a workload does there still passes: its own
// functions, roles and projects, passing the hook role to its hook
// functions, reading the assets it deploys, a step reading the execution's
// variables.
func TestToolingResourcesOutOfReach(t *testing.T) {
	a := synthText(t, toolingEnvironment, false)
	w, err := iameval.FromAssembly(a.Dir)
	if err != nil {
		t.Fatal(err)
	}
	boundary, ok := w.Managed["arn:aws:iam::111111111111:policy/relay/platform/platform-dev-boundary"]
	if !ok {
		t.Fatal("no boundary platform-dev-boundary in the assembly")
	}
	everything, err := iameval.ParseJSON("the workload role's policy", []byte(`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	const workload = "arn:aws:iam::111111111111:role/platform-app-HandlerRole-1A2B3C"
	w.Roles[workload] = &iameval.Role{ARN: workload, Account: "111111111111", Policies: []iameval.Policy{everything}, Boundary: &boundary}
	const (
		step      = "arn:aws:iam::111111111111:role/relay/platform/platform-dev-smoke-step"
		execution = "arn:aws:iam::111111111111:role/relay/platform/platform-dev-cfn-exec"
		inBound   = "denied: explicit deny in the permissions boundary managed policy of platform-dev/TargetPermissionsBoundary430FF4E4 (DenyUsingRelayTooling)"
		inStep    = "denied: explicit deny in policy of platform-dev/TargetStepRoleplatformdevsmokestepDefaultPolicyC19B5D16 (DenyUsingRelayTooling)"
		inExec    = "denied: explicit deny in policy of platform-dev/TargetExecutionRoleDefaultPolicyF30DB58A (DenyUsingRelayTooling)"
	)
	key := w.KeyOf("arn:aws:kms:us-east-1:111111111111:alias/relay/platform/artifacts")
	kms := map[string][]string{"s3:x-amz-server-side-encryption": {"aws:kms"}, "s3:x-amz-server-side-encryption-aws-kms-key-id": {key}, "aws:SecureTransport": {"true"}}
	tls := map[string][]string{"aws:SecureTransport": {"true"}}
	lambda := map[string][]string{"iam:PassedToService": {"lambda.amazonaws.com"}}
	tests := []struct {
		name, principal, action, resource string
		ctx                               map[string][]string
		want                              string
	}{
		{"workload role starts the self-update project", workload, "codebuild:StartBuild", "arn:aws:codebuild:us-east-1:111111111111:project/platform-self-update", nil, inBound},
		{"workload role changes the build project", workload, "codebuild:UpdateProject", "arn:aws:codebuild:us-east-1:111111111111:project/platform-build", nil, inBound},
		{"workload role changes the recovery function's code", workload, "lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:111111111111:function:platform-recovery", nil, inBound},
		{"workload role starts the execution timer", workload, "states:StartExecution", "arn:aws:states:us-east-1:111111111111:stateMachine:platform-execution-timer", nil, inBound},
		{"workload role approves production", workload, "codepipeline:PutApprovalResult", "arn:aws:codepipeline:us-east-1:111111111111:platform/Approve_production/Approve", nil, inBound},
		{"workload role starts the pipeline", workload, "codepipeline:StartPipelineExecution", "arn:aws:codepipeline:us-east-1:111111111111:platform", nil, inBound},
		{"workload role overwrites a build output", workload, "s3:PutObject", "arn:aws:s3:::platform-artifacts-111111111111-us-east-1/platform/BuildArtif/Ab12Cd3", kms, inBound},
		{"workload role overwrites an asset", workload, "s3:PutObject", "arn:aws:s3:::platform-assets-111111111111-us-east-1/4f1c2e.zip", tls, inBound},
		{"workload role pushes an image", workload, "ecr:PutImage", "arn:aws:ecr:us-east-1:111111111111:repository/relay/platform/assets", nil, inBound},
		{"step role starts the self-update project", step, "codebuild:StartBuild", "arn:aws:codebuild:us-east-1:111111111111:project/platform-self-update", nil, inStep},
		{"step role approves production", step, "codepipeline:PutApprovalResult", "arn:aws:codepipeline:us-east-1:111111111111:platform/Approve_production/Approve", nil, inStep},
		{"step role changes the recovery function's code", step, "lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:111111111111:function:platform-recovery", nil, inStep},
		{"execution role changes the recovery function's code", execution, "lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:111111111111:function:platform-recovery", nil, inExec},
		// The recovery role trusts Lambda without a source condition, and
		// the execution role may pass Relay's roles to Lambda (it passes
		// the hook role): a function of the workload's template would run
		// as the recovery role, which assumes production's deploy role.
		{"execution role passes the recovery role to Lambda", execution, "iam:PassRole", "arn:aws:iam::111111111111:role/relay/platform/platform-recovery", lambda, inExec},
		{"workload role passes the recovery role to Lambda", workload, "iam:PassRole", "arn:aws:iam::111111111111:role/relay/platform/platform-recovery", lambda,
			"denied: explicit deny in the permissions boundary managed policy of platform-dev/TargetPermissionsBoundary430FF4E4 (DenyPassingRelayRoles)"},
		// What a workload and a step do in the account stays allowed.
		{"workload role changes its own function", workload, "lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:111111111111:function:platform-app-Handler-4D5E6F", nil,
			"allowed: the workload role's policy (statement 0)"},
		{"workload role starts its own project", workload, "codebuild:StartBuild", "arn:aws:codebuild:us-east-1:111111111111:project/ReportsProjectA1B2C3-x9Y8z7", nil,
			"allowed: the workload role's policy (statement 0)"},
		{"workload role reads an asset", workload, "s3:GetObject", "arn:aws:s3:::platform-assets-111111111111-us-east-1/4f1c2e.zip", tls,
			"allowed: the workload role's policy (statement 0)"},
		{"execution role changes the workload's function", execution, "lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:111111111111:function:platform-app-Handler-4D5E6F", nil,
			"allowed: policy of platform-dev/TargetExecutionRoleDefaultPolicyF30DB58A (Functions)"},
		{"execution role passes the hook role to Lambda", execution, "iam:PassRole", "arn:aws:iam::111111111111:role/relay/platform/platform-dev-hook", lambda,
			"allowed: policy of platform-dev/TargetExecutionRoleDefaultPolicyF30DB58A (PassHookRoleToLambda)"},
		{"execution role passes a function role of the workload to Lambda", execution, "iam:PassRole", "arn:aws:iam::111111111111:role/platform-app-HandlerRole-1A2B3C", lambda,
			"allowed: policy of platform-dev/TargetExecutionRoleDefaultPolicyF30DB58A (PassFunctionRoles)"},
		{"step role reads the execution's variables", step, "codepipeline:GetPipelineExecution", "arn:aws:codepipeline:us-east-1:111111111111:platform", nil,
			"allowed: policy of platform-dev/TargetStepRoleplatformdevsmokestepDefaultPolicyC19B5D16 (Approve)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := w.Authorize(iameval.Request{Principal: iameval.Principal{ARN: tc.principal}, Action: tc.action, Resource: tc.resource, Context: tc.ctx})
			if got := d.String(); got != tc.want {
				t.Errorf("%s on %s as %s:\n got %s\nwant %s", tc.action, tc.resource, tc.principal, got, tc.want)
			}
		})
	}
}

// TestStepProjectsAssumeTheirEnvironmentsRoles: a top-level step with a
// role (examples/terraform.yaml: plan and apply in dev, then in prod after
// prod's approval) runs in a project of each environment, whose role may
// assume that environment's step role only. With one project for all, the
// apply of dev, which runs before prod's approval and review, could assume
// prod's apply role, which trusted the same project role, and change prod's
// network.
func TestStepProjectsAssumeTheirEnvironmentsRoles(t *testing.T) {
	var cfg *config.Config
	for _, c := range goldenConfigs(t) {
		if c.Name == "networking" {
			cfg = c
		}
	}
	if cfg == nil {
		t.Fatal("no golden configuration networking (examples/terraform.yaml)")
	}
	stacks, err := wiring.ReadResolved(goldenDir(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	w := worldOf(t, cfg, stacks)
	const (
		devApply  = "arn:aws:iam::222222222222:role/relay/networking/networking-dev-apply-step"
		prodApply = "arn:aws:iam::333333333333:role/relay/networking/networking-prod-apply-step"
		prodPlan  = "arn:aws:iam::333333333333:role/relay/networking/networking-prod-plan-step"
	)
	tests := []struct{ project, role, want string }{
		// The project all environments shared, whose role both trusts named.
		{"networking-step-apply", prodApply,
			"denied: arn:aws:iam::111111111111:role/networking-step-apply is in another account than arn:aws:iam::333333333333:role/relay/networking/networking-prod-apply-step and no resource policy allows it sts:AssumeRole"},
		{"networking-dev-step-apply", devApply,
			"allowed: trust policy of networking-dev/TargetStepRolenetworkingdevapplystep80A70B90 (statement 0) and policy of networking-tooling/PipelineStepnetworkingdevstepapplyRoleDefaultPolicy2A3C64F3 (AssumeStepRoles)"},
		{"networking-dev-step-apply", prodApply,
			"denied: arn:aws:iam::111111111111:role/networking-dev-step-apply is in another account than arn:aws:iam::333333333333:role/relay/networking/networking-prod-apply-step and no resource policy allows it sts:AssumeRole"},
		{"networking-dev-step-plan", prodPlan,
			"denied: arn:aws:iam::111111111111:role/networking-dev-step-plan is in another account than arn:aws:iam::333333333333:role/relay/networking/networking-prod-plan-step and no resource policy allows it sts:AssumeRole"},
		{"networking-prod-step-apply", prodApply,
			"allowed: trust policy of networking-prod/TargetStepRolenetworkingprodapplystep4A11F777 (statement 0) and policy of networking-tooling/PipelineStepnetworkingprodstepapplyRoleDefaultPolicy9B072D9C (AssumeStepRoles)"},
		{"networking-prod-step-apply", devApply,
			"denied: arn:aws:iam::111111111111:role/networking-prod-step-apply is in another account than arn:aws:iam::222222222222:role/relay/networking/networking-dev-apply-step and no resource policy allows it sts:AssumeRole"},
	}
	for _, tc := range tests {
		t.Run(tc.project+" "+tc.role, func(t *testing.T) {
			d := w.Authorize(iameval.Request{Principal: iameval.Principal{ARN: "arn:aws:iam::111111111111:role/" + tc.project}, Action: "sts:AssumeRole", Resource: tc.role})
			if got := d.String(); got != tc.want {
				t.Errorf("%s assumes %s:\n got %s\nwant %s", tc.project, tc.role, got, tc.want)
			}
		})
	}
}
