package plan_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/relaycdk/relay/constructs/plan"
)

// planned is what a test reads of an action: everything but the kind's
// pointers into the input.
type planned struct {
	Stage, Name     string
	RunOrder        int
	Kind            string
	Type            plan.ActionType
	Account, Region string
	RoleArn         string
	Inputs, Outputs []string
	Namespace       string
	Field           string
	Keys            []string
}

func project(p *plan.Pipeline, stage string) []planned {
	var out []planned
	for _, s := range p.Stages {
		if s.Name != stage {
			continue
		}
		for _, a := range s.Actions {
			var keys []string
			for k, f := range a.Configuration {
				if f.Path == "" {
					keys = append(keys, k+"=?")
					continue
				}
				keys = append(keys, k)
			}
			slices.Sort(keys)
			out = append(out, planned{s.Name, a.Name, a.RunOrder, fmt.Sprintf("%T", a.Kind), a.Kind.Type(), a.Account, a.Region, a.RoleArn,
				a.Inputs, a.Outputs, a.Namespace, a.Field, keys})
		}
	}
	return out
}

// TestActionKinds plans one pipeline per action kind and checks each
// action: kind, CodePipeline type, where it runs and as whom, its
// artifacts and namespace, the field it came from and its configuration
// keys (each mapped to a field). No jsii.
func TestActionKinds(t *testing.T) {
	const acct = "333333333333"
	a := account(acct, "prod")
	deployRole, invokeRole := a.DeployRoleArn, a.InvokeRoleArn
	release := func(r plan.Release, hooks ...plan.Hook) plan.Input {
		d := plan.Deployment{Name: "prod", Target: account(acct, "prod"), Regions: []string{"eu-west-1"}, Release: r, Hooks: hooks}
		return input(d)
	}
	stage := "Deploy-prod"
	cf := []string{"ActionMode", "ChangeSetName", "StackName"}
	prepareKeys := append(slices.Clone(cf), "Capabilities", "ParameterOverrides", "RoleArn", "TemplateConfiguration", "TemplatePath")
	slices.Sort(prepareKeys)
	tests := []struct {
		name  string
		in    plan.Input
		stage string
		want  []planned
	}{
		{"connection source and extra sources", func() plan.Input {
			in := input(dep("staging", "", false, "us-east-1"))
			in.ExtraSources = []plan.ExtraSource{
				{Name: "settings", Source: &plan.S3Source{Bucket: "bkt", Key: "k.zip"}},
				{Name: "schemas", Source: &plan.CodeCommitSource{Repository: "schemas"}},
				{Name: "base", Source: &plan.ECRSource{Repository: "acme/base"}},
			}
			return in
		}(), "Source", []planned{
			{"Source", "GitHub", 1, "*plan.SourceAction", plan.ActionType{"Source", "CodeStarSourceConnection"}, "", "", "", nil, []string{"Source"}, "SourceVariables", "Source",
				[]string{"BranchName", "ConnectionArn", "DetectChanges", "FullRepositoryId", "OutputArtifactFormat"}},
			{"Source", "settings", 1, "*plan.SourceAction", plan.ActionType{"Source", "S3"}, "", "", "", nil, []string{"Source_settings"}, "SourceVariables_settings", "ExtraSources[0].Source",
				[]string{"PollForSourceChanges", "S3Bucket", "S3ObjectKey"}},
			{"Source", "schemas", 1, "*plan.SourceAction", plan.ActionType{"Source", "CodeCommit"}, "", "", "", nil, []string{"Source_schemas"}, "SourceVariables_schemas", "ExtraSources[1].Source",
				[]string{"BranchName", "OutputArtifactFormat", "PollForSourceChanges", "RepositoryName"}},
			{"Source", "base", 1, "*plan.SourceAction", plan.ActionType{"Source", "ECR"}, "", "", "", nil, []string{"Source_base"}, "SourceVariables_base", "ExtraSources[2].Source",
				[]string{"ImageTag", "RepositoryName"}},
		}},
		{"build", func() plan.Input {
			in := input(dep("staging", "", false, "us-east-1"))
			in.ExtraSources = []plan.ExtraSource{{Name: "settings", Source: &plan.S3Source{Bucket: "bkt", Key: "k.zip"}}}
			return in
		}(), "Build", []planned{
			{"Build", "Build", 1, "*plan.BuildAction", plan.ActionType{"Build", "CodeBuild"}, "", "", "", []string{"Source", "Source_settings"}, []string{"Build"}, "BuildVariables", "Build",
				[]string{"EnvironmentVariables", "PrimarySource", "ProjectName"}},
		}},
		{"test and scan suites", func() plan.Input {
			in := input(dep("staging", "", false, "us-east-1"))
			in.Tests = []plan.Suite{{Name: "unit", Commands: []string{"make test"}}, {Name: "e2e", Input: "build", RunOrder: 2, Commands: []string{"./e2e.sh"}}}
			return in
		}(), "Test", []planned{
			{"Test", "unit", 1, "*plan.SuiteAction", plan.ActionType{"Test", "CodeBuild"}, "", "", "", []string{"Source"}, nil, "", "Tests[0]", []string{"EnvironmentVariables", "PrimarySource", "ProjectName"}},
			{"Test", "e2e", 2, "*plan.SuiteAction", plan.ActionType{"Test", "CodeBuild"}, "", "", "", []string{"Build"}, nil, "", "Tests[1]", []string{"EnvironmentVariables", "PrimarySource", "ProjectName"}},
		}},
		{"scan suite", func() plan.Input {
			in := input(dep("staging", "", false, "us-east-1"))
			in.Scan = &plan.Scan{Scanners: []plan.Suite{{Name: "deps", Preset: "trivy"}}}
			return in
		}(), "Scan", []planned{
			{"Scan", "deps", 1, "*plan.SuiteAction", plan.ActionType{"Test", "CodeBuild"}, "", "", "", []string{"Source"}, nil, "", "Scan.Scanners[0]", []string{"EnvironmentVariables", "PrimarySource", "ProjectName"}},
		}},
		{"approval, change sets with a review", func() plan.Input {
			s := stack()
			s.Review = true
			in := release(s)
			in.Deployments[0].Approval = &plan.Approval{}
			return in
		}(), stage, []planned{
			{stage, "Approve", 1, "*plan.ApprovalAction", plan.ActionType{"Approval", "Manual"}, "", "", "", nil, nil, "", "Deployments[0].Approval", []string{"CustomData", "ExternalEntityLink", "NotificationArn"}},
			{stage, "Prepare-eu-west-1", 2, "*plan.PrepareChangeSet", plan.ActionType{"Deploy", "CloudFormation"}, acct, "eu-west-1", deployRole, []string{"Build"}, nil, "", "Deployments[0].Release", prepareKeys},
			{stage, "Review-eu-west-1", 3, "*plan.ReviewChangeSet", plan.ActionType{"Approval", "Manual"}, "", "", "", nil, nil, "", "Deployments[0].Release.Review", []string{"CustomData"}},
			{stage, "Deploy-eu-west-1", 4, "*plan.ExecuteChangeSet", plan.ActionType{"Deploy", "CloudFormation"}, acct, "eu-west-1", deployRole, nil, nil, "Deploy_prod_eu-west-1", "Deployments[0].Release", cf},
		}},
		{"StackSet to accounts, then more instances", func() plan.Input {
			owner := plan.Deployment{Name: "pilot", Regions: []string{"us-east-1"}, Release: stack(), Target: &plan.StackSetAccounts{
				IDs: []string{"444444444444"}, AdministrationRoleArn: "arn:aws:iam::111111111111:role/admin", ExecutionRoleName: "exec"}}
			fleet := plan.Deployment{Name: "fleet", Wave: "pilot", Regions: []string{"us-east-1"}, Release: stack(), Target: &plan.StackSetAccounts{
				IDs: []string{"555555555555"}, StackSetOf: "pilot"}}
			return input(owner, fleet)
		}(), "Deploy-pilot", []planned{
			{"Deploy-pilot", "DeployStackSet-pilot", 1, "*plan.DeployStackSet", plan.ActionType{"Deploy", "CloudFormationStackSet"}, "", "", "", []string{"Build"}, nil, "", "Deployments[0]",
				[]string{"AdministrationRoleArn", "Capabilities", "DeploymentTargets", "ExecutionRoleName", "FailureTolerancePercentage", "MaxConcurrentPercentage", "OrganizationsAutoDeployment", "PermissionModel", "Regions", "StackSetName", "TemplatePath"}},
			{"Deploy-pilot", "AddStackInstances-fleet", 1, "*plan.AddStackInstances", plan.ActionType{"Deploy", "CloudFormationStackInstances"}, "", "", "", nil, nil, "", "Deployments[1]",
				[]string{"DeploymentTargets", "FailureTolerancePercentage", "MaxConcurrentPercentage", "Regions", "StackSetName"}},
		}},
		{"StackSet to organizational units", input(plan.Deployment{Name: "members", Regions: []string{"us-east-1", "eu-west-1"}, Release: stack(),
			Target: &plan.OrganizationalUnits{IDs: []string{"ou-ab12-cd34ef56"}}}), "Deploy-members", []planned{
			{"Deploy-members", "DeployStackSet", 1, "*plan.DeployStackSet", plan.ActionType{"Deploy", "CloudFormationStackSet"}, "", "", "", []string{"Build"}, nil, "", "Deployments[0]",
				[]string{"AdministrationRoleArn", "Capabilities", "DeploymentTargets", "ExecutionRoleName", "FailureTolerancePercentage", "MaxConcurrentPercentage", "OrganizationsAutoDeployment", "PermissionModel", "Regions", "StackSetName", "TemplatePath"}},
		}},
		{"ECS", release(&plan.ECSRelease{Cluster: "web", Service: "api"}), stage, []planned{
			{stage, "Deploy-eu-west-1", 1, "*plan.DeployECS", plan.ActionType{"Deploy", "ECS"}, acct, "eu-west-1", deployRole, []string{"Build"}, nil, "", "Deployments[0].Release",
				[]string{"ClusterName", "DeploymentTimeout", "FileName", "ServiceName"}},
		}},
		{"ECS blue/green", release(&plan.ECSBlueGreenRelease{Application: "shop", DeploymentGroup: "shop-prod"}), stage, []planned{
			{stage, "Deploy-eu-west-1", 1, "*plan.DeployECSBlueGreen", plan.ActionType{"Deploy", "CodeDeployToECS"}, acct, "eu-west-1", deployRole, []string{"Build"}, nil, "", "Deployments[0].Release",
				[]string{"AppSpecTemplateArtifact", "AppSpecTemplatePath", "ApplicationName", "DeploymentGroupName", "Image1ArtifactName", "Image1ContainerName", "TaskDefinitionTemplateArtifact", "TaskDefinitionTemplatePath"}},
		}},
		{"CodeDeploy EC2/on-premises", release(&plan.CodeDeployRelease{Application: "billing", DeploymentGroup: "billing-prod"}), stage, []planned{
			{stage, "Deploy-eu-west-1", 1, "*plan.DeployCodeDeploy", plan.ActionType{"Deploy", "CodeDeploy"}, acct, "eu-west-1", deployRole, []string{"Build"}, nil, "", "Deployments[0].Release",
				[]string{"ApplicationName", "DeploymentGroupName"}},
		}},
		{"S3", release(&plan.S3Release{Bucket: "site", Extract: true}), stage, []planned{
			{stage, "Deploy-eu-west-1", 1, "*plan.DeployS3", plan.ActionType{"Deploy", "S3"}, acct, "eu-west-1", deployRole, []string{"Build"}, nil, "", "Deployments[0].Release",
				[]string{"BucketName", "CacheControl", "Extract", "KMSEncryptionKeyARN", "ObjectKey"}},
		}},
		{"EKS: GitOps then Helm", release(&plan.EKSRelease{
			GitOps: &plan.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", File: "values.yaml", TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:t-AbCdEf"},
			Helm:   &plan.HelmRelease{Cluster: "web", Release: "api", Chart: "charts/api"}}), stage, []planned{
			{stage, "GitOps-eu-west-1", 1, "*plan.GitOpsStep", plan.ActionType{"Build", "CodeBuild"}, "", "", "", []string{"Build"}, nil, "", "Deployments[0].Release.GitOps", []string{"EnvironmentVariables", "ProjectName"}},
			{stage, "Helm-eu-west-1", 2, "*plan.HelmStep", plan.ActionType{"Build", "CodeBuild"}, "", "", "", []string{"Build"}, nil, "", "Deployments[0].Release.Helm", []string{"EnvironmentVariables", "ProjectName"}},
		}},
		{"Lambda and Step Functions hooks", release(stack(),
			plan.Hook{Name: "migrate", Before: true, Invoke: &plan.StepFunctionsInvoke{StateMachine: "migrate", InputFile: "input.json"}},
			plan.Hook{Name: "smoke-test", Invoke: &plan.LambdaInvoke{Function: "smoke"}}), stage, []planned{
			{stage, "Hook-migrate-eu-west-1", 1, "*plan.InvokeStepFunctions", plan.ActionType{"Invoke", "StepFunctions"}, acct, "eu-west-1", invokeRole, []string{"Build"}, nil, "Hook_prod_eu-west-1_migrate", "Deployments[0].Hooks[0]",
				[]string{"ExecutionNamePrefix", "Input", "InputType", "StateMachineArn"}},
			{stage, "Prepare-eu-west-1", 2, "*plan.PrepareChangeSet", plan.ActionType{"Deploy", "CloudFormation"}, acct, "eu-west-1", deployRole, []string{"Build"}, nil, "", "Deployments[0].Release", prepareKeys},
			{stage, "Deploy-eu-west-1", 3, "*plan.ExecuteChangeSet", plan.ActionType{"Deploy", "CloudFormation"}, acct, "eu-west-1", deployRole, nil, nil, "Deploy_prod_eu-west-1", "Deployments[0].Release", cf},
			{stage, "Hook-smoke-test-eu-west-1", 4, "*plan.InvokeLambda", plan.ActionType{"Invoke", "Lambda"}, acct, "eu-west-1", invokeRole, nil, nil, "Hook_prod_eu-west-1_smoke-test", "Deployments[0].Hooks[1]",
				[]string{"FunctionName", "UserParameters"}},
		}},
	}
	seen, ran := map[string]bool{}, 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ran++
			p := mustPlan(t, tc.in)
			got := project(p, tc.stage)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("actions of %s (-want +got):\n%s", tc.stage, diff)
			}
			for _, a := range got {
				seen[a.Kind] = true
			}
		})
	}
	if ran < len(tests) {
		return // a -run filter skipped cases
	}
	// Every kind of the sealed set has a case above.
	for _, k := range []string{"*plan.SourceAction", "*plan.BuildAction", "*plan.SuiteAction", "*plan.ApprovalAction", "*plan.PrepareChangeSet",
		"*plan.ReviewChangeSet", "*plan.ExecuteChangeSet", "*plan.DeployStackSet", "*plan.AddStackInstances", "*plan.DeployECS",
		"*plan.DeployECSBlueGreen", "*plan.DeployCodeDeploy", "*plan.DeployS3", "*plan.GitOpsStep", "*plan.HelmStep",
		"*plan.InvokeLambda", "*plan.InvokeStepFunctions"} {
		if !seen[k] {
			t.Errorf("no test case plans a %s", k)
		}
	}
}

// TestRegional uses a region's own release and hooks there.
func TestRegional(t *testing.T) {
	d := plan.Deployment{Name: "prod", Target: account("333333333333", "prod"), Regions: []string{"us-east-1", "eu-west-1"},
		Release: &plan.ECSRelease{Cluster: "web", Service: "api"},
		Regional: map[string]plan.Regional{"eu-west-1": {
			Release: &plan.ECSRelease{Cluster: "web-eu", Service: "api"},
			Hooks:   []plan.Hook{{Name: "smoke", Invoke: &plan.LambdaInvoke{Function: "smoke-eu"}}},
		}}}
	p := mustPlan(t, input(d))
	var got []string
	for _, a := range p.Stages[2].Actions {
		detail := ""
		switch k := a.Kind.(type) {
		case *plan.DeployECS:
			detail = k.Release.Cluster
		case *plan.InvokeLambda:
			detail = k.Invoke.Function
		}
		got = append(got, fmt.Sprintf("%s@%d %s %s", a.Name, a.RunOrder, detail, a.Field))
	}
	want := []string{
		"Deploy-us-east-1@1 web Deployments[0].Release",
		`Deploy-eu-west-1@1 web-eu Deployments[0].Regional["eu-west-1"].Release`,
		`Hook-smoke-eu-west-1@2 smoke-eu Deployments[0].Regional["eu-west-1"].Hooks[0]`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
	if !strings.Contains(fmt.Sprint(p.Stages[2].Actions[0].Configuration["ClusterName"]), "Deployments[0].Release.Cluster") {
		t.Errorf("ClusterName field = %v", p.Stages[2].Actions[0].Configuration["ClusterName"])
	}
}
