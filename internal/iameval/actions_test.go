package iameval

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relaycdk/relay/constructs/wiring"
)

// TestProviderCalls: each action type's calls, as its role, on the
// resources its configuration names, in its role's account and region,
// with the condition keys AWS sends.
func TestProviderCalls(t *testing.T) {
	const role = "arn:aws:iam::222222222222:role/relay/p/p-staging-deploy"
	at := func(service, resource string) string {
		return "arn:aws:" + service + ":eu-west-1:222222222222:" + resource
	}
	type call struct {
		Action, Resource string
		Context          map[string][]string
		External         bool
	}
	tls := map[string][]string{"aws:SecureTransport": {"true"}}
	group := wiring.ResolvedStack{Name: "p-staging", Account: "222222222222", Region: "eu-west-1", Resources: map[string]wiring.ResolvedResource{
		"Group": {Type: "AWS::CodeDeploy::DeploymentGroup", Properties: map[string]interface{}{
			"ApplicationName": "p-app", "DeploymentGroupName": "p-group", "DeploymentConfigName": "p-config"}},
		"Topic": {Type: "AWS::SNS::Topic", Ref: "arn:aws:sns:eu-west-1:222222222222:p-approval", Properties: map[string]interface{}{
			"KmsMasterKeyId": "arn:aws:kms:eu-west-1:222222222222:key/k"}},
	}}
	codeDeploy := func(config string) []call {
		return []call{
			{"codedeploy:GetApplication", at("codedeploy", "application:p-app"), nil, false},
			{"codedeploy:RegisterApplicationRevision", at("codedeploy", "application:p-app"), nil, false},
			{"codedeploy:GetApplicationRevision", at("codedeploy", "application:p-app"), nil, false},
			{"codedeploy:CreateDeployment", at("codedeploy", "deploymentgroup:p-app/p-group"), nil, false},
			{"codedeploy:GetDeployment", at("codedeploy", "deploymentgroup:p-app/p-group"), nil, false},
			{"codedeploy:GetDeploymentConfig", at("codedeploy", "deploymentconfig:"+config), nil, false},
		}
	}
	register := []call{
		{"ecs:RegisterTaskDefinition", "*", nil, false},
		{"ecs:TagResource", at("ecs", "task-definition/"+taskDefinitionFamily+":2"), map[string][]string{"ecs:CreateAction": {"RegisterTaskDefinition"}}, false},
	}
	set := at("cloudformation", "stackset/p-set:"+stackSetID)
	tests := []struct {
		name, typ string
		cfg       map[string]interface{}
		stacks    []wiring.ResolvedStack
		want      []call
	}{
		{"connection of codeconnections", "Source/CodeStarSourceConnection",
			map[string]interface{}{"ConnectionArn": "arn:aws:codeconnections:us-east-1:111111111111:connection/c", "FullRepositoryId": "acme/p", "BranchName": "main"}, nil,
			[]call{{"codeconnections:UseConnection", "arn:aws:codeconnections:us-east-1:111111111111:connection/c",
				map[string][]string{"codeconnections:FullRepositoryId": {"acme/p"}, "codeconnections:BranchName": {"main"}}, true}}},
		{"connection of codestar-connections", "Source/CodeStarSourceConnection",
			map[string]interface{}{"ConnectionArn": "arn:aws:codestar-connections:us-east-1:111111111111:connection/c", "FullRepositoryId": "acme/p"}, nil,
			[]call{{"codestar-connections:UseConnection", "arn:aws:codestar-connections:us-east-1:111111111111:connection/c",
				map[string][]string{"codestar-connections:FullRepositoryId": {"acme/p"}}, true}}},
		{"CodeCommit in the role's account", "Source/CodeCommit", map[string]interface{}{"RepositoryName": "p-repo", "BranchName": "main"}, nil, []call{
			{"codecommit:GetBranch", at("codecommit", "p-repo"), nil, true},
			{"codecommit:GetCommit", at("codecommit", "p-repo"), nil, true},
			{"codecommit:UploadArchive", at("codecommit", "p-repo"), nil, true},
			{"codecommit:GetUploadArchiveStatus", at("codecommit", "p-repo"), nil, true},
			{"codecommit:CancelUploadArchive", at("codecommit", "p-repo"), nil, true},
		}},
		{"S3 source reads the object's version", "Source/S3", map[string]interface{}{"S3Bucket": "p-src", "S3ObjectKey": "a/b.zip"}, nil, []call{
			{"s3:GetBucketVersioning", "arn:aws:s3:::p-src", tls, true},
			{"s3:GetObject", "arn:aws:s3:::p-src/a/b.zip", tls, true},
			{"s3:GetObjectVersion", "arn:aws:s3:::p-src/a/b.zip", tls, true},
		}},
		{"ECR source", "Source/ECR", map[string]interface{}{"RepositoryName": "acme/base"}, nil, []call{
			{"ecr:DescribeImages", at("ecr", "repository/acme/base"), nil, true}}},
		{"CodeBuild build", "Build/CodeBuild", map[string]interface{}{"ProjectName": "p-build"}, nil, []call{
			{"codebuild:StartBuild", at("codebuild", "project/p-build"), nil, false},
			{"codebuild:BatchGetBuilds", at("codebuild", "project/p-build"), nil, false}}},
		{"CodeBuild batch test", "Test/CodeBuild", map[string]interface{}{"ProjectName": "p-test", "BatchEnabled": "true"}, nil, []call{
			{"codebuild:StartBuildBatch", at("codebuild", "project/p-test"), nil, false},
			{"codebuild:BatchGetBuildBatches", at("codebuild", "project/p-test"), nil, false}}},
		{"StackSet, self-managed, passes its administration role", "Deploy/CloudFormationStackSet",
			map[string]interface{}{"StackSetName": "p-set", "PermissionModel": "SELF_MANAGED", "AdministrationRoleArn": "arn:aws:iam::222222222222:role/p-admin"}, nil, []call{
				{"cloudformation:DescribeStackSet", set, nil, false},
				{"cloudformation:CreateStackSet", set, nil, false},
				{"cloudformation:UpdateStackSet", set, nil, false},
				{"cloudformation:CreateStackInstances", set, nil, false},
				{"cloudformation:ListStackInstances", set, nil, false},
				{"cloudformation:DescribeStackSetOperation", set, nil, false},
				{"iam:PassRole", "arn:aws:iam::222222222222:role/p-admin", map[string][]string{"iam:PassedToService": {"cloudformation.amazonaws.com"}}, false},
			}},
		{"StackSet, service-managed, passes no role", "Deploy/CloudFormationStackSet",
			map[string]interface{}{"StackSetName": "p-set", "PermissionModel": "SERVICE_MANAGED"}, nil, []call{
				{"cloudformation:DescribeStackSet", set, nil, false},
				{"cloudformation:CreateStackSet", set, nil, false},
				{"cloudformation:UpdateStackSet", set, nil, false},
				{"cloudformation:CreateStackInstances", set, nil, false},
				{"cloudformation:ListStackInstances", set, nil, false},
				{"cloudformation:DescribeStackSetOperation", set, nil, false},
			}},
		{"StackInstances", "Deploy/CloudFormationStackInstances", map[string]interface{}{"StackSetName": "p-set"}, nil, []call{
			{"cloudformation:CreateStackInstances", set, nil, false},
			{"cloudformation:DescribeStackSetOperation", set, nil, false}}},
		{"CodeDeploy reads the group's config", "Deploy/CodeDeploy", map[string]interface{}{"ApplicationName": "p-app", "DeploymentGroupName": "p-group"},
			[]wiring.ResolvedStack{group}, codeDeploy("p-config")},
		{"CodeDeploy of a group outside the assembly: the default config", "Deploy/CodeDeploy",
			map[string]interface{}{"ApplicationName": "p-app", "DeploymentGroupName": "p-group"}, nil, codeDeploy("CodeDeployDefault.OneAtATime")},
		{"CodeDeployToECS registers and tags the task definition", "Deploy/CodeDeployToECS",
			map[string]interface{}{"ApplicationName": "p-app", "DeploymentGroupName": "p-group"}, nil,
			append(codeDeploy("CodeDeployDefault.ECSAllAtOnce"), register...)},
		{"ECS standard deploy", "Deploy/ECS", map[string]interface{}{"ClusterName": "web", "ServiceName": "p-svc"}, nil, append(append([]call{
			{"ecs:DescribeServices", at("ecs", "service/web/p-svc"), nil, false},
			{"ecs:DescribeTaskDefinition", "*", nil, false}}, register...),
			call{"ecs:UpdateService", at("ecs", "service/web/p-svc"), nil, false},
			call{"ecs:ListTasks", at("ecs", "container-instance/web/"+stackID), map[string][]string{"ecs:cluster": {at("ecs", "cluster/web")}}, false},
			call{"ecs:DescribeTasks", at("ecs", "task/web/"+stackID), map[string][]string{"ecs:cluster": {at("ecs", "cluster/web")}}, false})},
		{"S3 deploy extracts under the key, encrypted, with an ACL", "Deploy/S3",
			map[string]interface{}{"BucketName": "p-site", "ObjectKey": "site/", "Extract": "true", "CannedACL": "bucket-owner-full-control", "KMSEncryptionKeyARN": "arn:aws:kms:eu-west-1:222222222222:key/k"}, nil, []call{
				{"s3:PutObject", "arn:aws:s3:::p-site/site/index.html", map[string][]string{"aws:SecureTransport": {"true"},
					"s3:x-amz-server-side-encryption": {"aws:kms"}, "s3:x-amz-server-side-encryption-aws-kms-key-id": {"arn:aws:kms:eu-west-1:222222222222:key/k"}}, true},
				{"s3:PutObjectAcl", "arn:aws:s3:::p-site/site/index.html", map[string][]string{"aws:SecureTransport": {"true"}, "s3:x-amz-acl": {"bucket-owner-full-control"}}, true},
				{"kms:GenerateDataKey", "arn:aws:kms:eu-west-1:222222222222:key/k", map[string][]string{"kms:ViaService": {"s3.eu-west-1.amazonaws.com"}}, true},
				{"kms:Decrypt", "arn:aws:kms:eu-west-1:222222222222:key/k", map[string][]string{"kms:ViaService": {"s3.eu-west-1.amazonaws.com"}}, true},
			}},
		{"S3 deploy of one object, unencrypted", "Deploy/S3", map[string]interface{}{"BucketName": "p-site", "ObjectKey": "release.zip", "Extract": "false"}, nil, []call{
			{"s3:PutObject", "arn:aws:s3:::p-site/release.zip", tls, true}}},
		{"Lambda by name", "Invoke/Lambda", map[string]interface{}{"FunctionName": "p-smoke"}, nil, []call{
			{"lambda:ListFunctions", "*", nil, false},
			{"lambda:InvokeFunction", at("lambda", "function:p-smoke"), nil, false}}},
		{"Lambda by ARN", "Invoke/Lambda", map[string]interface{}{"FunctionName": "arn:aws:lambda:us-east-1:333333333333:function:f"}, nil, []call{
			{"lambda:ListFunctions", "*", nil, false},
			{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:333333333333:function:f", nil, false}}},
		{"Step Functions with a prefix", "Invoke/StepFunctions",
			map[string]interface{}{"StateMachineArn": "arn:aws:states:eu-west-1:222222222222:stateMachine:p-migrate", "ExecutionNamePrefix": "migrate"}, nil, []call{
				{"states:DescribeStateMachine", "arn:aws:states:eu-west-1:222222222222:stateMachine:p-migrate", nil, false},
				{"states:StartExecution", "arn:aws:states:eu-west-1:222222222222:stateMachine:p-migrate", nil, false},
				{"states:DescribeExecution", "arn:aws:states:eu-west-1:222222222222:execution:p-migrate:migrate-" + stackID, nil, false},
			}},
		{"approval to an encrypted topic", "Approval/Manual", map[string]interface{}{"NotificationArn": "arn:aws:sns:eu-west-1:222222222222:p-approval"},
			[]wiring.ResolvedStack{group}, []call{
				{"sns:Publish", "arn:aws:sns:eu-west-1:222222222222:p-approval", tls, false},
				{"kms:GenerateDataKey", "arn:aws:kms:eu-west-1:222222222222:key/k", map[string][]string{"kms:ViaService": {"sns.eu-west-1.amazonaws.com"}}, false},
				{"kms:Decrypt", "arn:aws:kms:eu-west-1:222222222222:key/k", map[string][]string{"kms:ViaService": {"sns.eu-west-1.amazonaws.com"}}, false},
			}},
		{"approval without a topic calls nothing", "Approval/Manual", map[string]interface{}{"CustomData": "x"}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			calls, ok := providerCalls[tc.typ]
			if !ok {
				t.Fatalf("no provider calls for %s", tc.typ)
			}
			s := &site{actor: Principal{ARN: role}, account: "222222222222", region: "eu-west-1", cfg: tc.cfg, stacks: tc.stacks}
			calls(s)
			var got []call
			for _, p := range s.out {
				if p.Request.Principal.ARN != role || p.What == "" {
					t.Errorf("%s: principal %q, what %q", p.Request.Action, p.Request.Principal.ARN, p.What)
				}
				got = append(got, call{p.Request.Action, p.Request.Resource, p.Request.Context, p.External})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCloneCalls: a project that clones a clone-reference artifact uses
// the connection, or pulls the CodeCommit repository.
func TestCloneCalls(t *testing.T) {
	project := Principal{ARN: "arn:aws:iam::111111111111:role/p-build"}
	for _, tc := range []struct {
		provider       string
		cfg            map[string]interface{}
		action, target string
	}{
		{"CodeStarSourceConnection", map[string]interface{}{"ConnectionArn": "arn:aws:codeconnections:us-east-1:111111111111:connection/c", "FullRepositoryId": "acme/p"},
			"codeconnections:UseConnection", "arn:aws:codeconnections:us-east-1:111111111111:connection/c"},
		{"CodeCommit", map[string]interface{}{"RepositoryName": "p-repo"}, "codecommit:GitPull", "arn:aws:codecommit:us-east-1:111111111111:p-repo"},
	} {
		s := &site{actor: project, account: "111111111111", region: "us-east-1", cfg: tc.cfg}
		cloneCalls(s, tc.provider)
		if len(s.out) != 1 || s.out[0].Request.Action != tc.action || s.out[0].Request.Resource != tc.target {
			t.Errorf("%s: calls %+v; want %s on %s", tc.provider, s.out, tc.action, tc.target)
		}
	}
}

// TestRulePaths: a rule that targets a pipeline through a role gives two
// paths (EventBridge assumes the role from the rule; the role starts the
// pipeline); a target without a role, or not a pipeline, gives none.
func TestRulePaths(t *testing.T) {
	pipeline := "arn:aws:codepipeline:us-east-1:111111111111:p"
	role := "arn:aws:iam::111111111111:role/p-start"
	st := wiring.ResolvedStack{Name: "p-tooling", Account: "111111111111", Region: "us-east-1", Resources: map[string]wiring.ResolvedResource{
		"Named": {Type: "AWS::Events::Rule", Properties: map[string]interface{}{"Name": "p-source", "Targets": []interface{}{
			map[string]interface{}{"Arn": pipeline, "RoleArn": role},
			map[string]interface{}{"Arn": "arn:aws:events:us-east-1:111111111111:event-bus/default", "RoleArn": role}}}},
		"Unnamed": {Type: "AWS::Events::Rule", Properties: map[string]interface{}{"Targets": []interface{}{
			map[string]interface{}{"Arn": pipeline}}}},
	}}
	paths := RulePaths([]wiring.ResolvedStack{st})
	if len(paths) != 2 {
		t.Fatalf("%d paths; want 2: %+v", len(paths), paths)
	}
	assume, start := paths[0].Request, paths[1].Request
	want := map[string][]string{"aws:SourceArn": {"arn:aws:events:us-east-1:111111111111:rule/p-source"}, "aws:SourceAccount": {"111111111111"}}
	if assume.Principal.Service != "events.amazonaws.com" || assume.Action != "sts:AssumeRole" || assume.Resource != role || !cmp.Equal(assume.Context, want) {
		t.Errorf("assume: %+v", assume)
	}
	if start.Principal.ARN != role || start.Action != "codepipeline:StartPipelineExecution" || start.Resource != pipeline {
		t.Errorf("start: %+v", start)
	}
}

// TestAuthorizePathExternal: a bucket or key outside the World is judged
// by AWS's defaults only for an External path: no bucket policy (identity
// in the principal's account decides), the default key policy (its own
// account's identity policies decide, another account's cannot).
func TestAuthorizePathExternal(t *testing.T) {
	role := "arn:aws:iam::222222222222:role/p-deploy"
	grant, err := Parse("grant", map[string]interface{}{"Statement": []interface{}{map[string]interface{}{
		"Effect": "Allow", "Action": []interface{}{"s3:PutObject", "kms:GenerateDataKey"}, "Resource": "*"}}})
	if err != nil {
		t.Fatal(err)
	}
	w := &World{Roles: map[string]*Role{role: {ARN: role, Account: "222222222222", Policies: []Policy{grant}}},
		Buckets: map[string]*Bucket{}, Keys: map[string]*Key{}, Aliases: map[string]string{}}
	who := Principal{ARN: role}
	tests := []struct {
		name string
		p    Path
		want bool
	}{
		{"team bucket, external", Path{External: true, Request: Request{Principal: who, Action: "s3:PutObject", Resource: "arn:aws:s3:::site/a"}}, true},
		{"team bucket, not external", Path{Request: Request{Principal: who, Action: "s3:PutObject", Resource: "arn:aws:s3:::site/a"}}, false},
		{"team key of the role's account", Path{External: true, Request: Request{Principal: who, Action: "kms:GenerateDataKey", Resource: "arn:aws:kms:eu-west-1:222222222222:key/k"}}, true},
		{"team key of another account", Path{External: true, Request: Request{Principal: who, Action: "kms:GenerateDataKey", Resource: "arn:aws:kms:eu-west-1:333333333333:key/k"}}, false},
		{"call on * in the role's account", Path{Request: Request{Principal: who, Action: "s3:PutObject", Resource: "*"}}, true},
	}
	for _, tc := range tests {
		if d := w.AuthorizePath(tc.p); d.Allowed != tc.want {
			t.Errorf("%s: %v; want allowed=%v", tc.name, d, tc.want)
		}
	}
}

// TestGranted: a statement grants a call when it names its action and its
// resource; a resource the run names (Path.Unnamed) is granted by any
// statement resource that matches some name after the known part.
// Conditions are not read.
func TestGranted(t *testing.T) {
	const role = "arn:aws:iam::222222222222:role/p-deploy"
	at := func(resource string) string { return "arn:aws:ecs:eu-west-1:222222222222:" + resource }
	ecs := DeployCalls("Deploy", "ECS", Principal{ARN: role}, "222222222222", "eu-west-1", map[string]interface{}{"ClusterName": "web", "ServiceName": "p-svc"})
	byAction := map[string]Path{}
	for _, p := range ecs {
		byAction[p.Request.Action] = p
	}
	if got := byAction["ecs:TagResource"].Unnamed; got != len(taskDefinitionFamily+":2") {
		t.Errorf("ecs:TagResource Unnamed = %d, want the family and revision", got)
	}
	if got := byAction["ecs:UpdateService"].Unnamed; got != 0 {
		t.Errorf("ecs:UpdateService Unnamed = %d, want 0", got)
	}
	tests := []struct {
		name      string
		call      string
		actions   []string
		resources []string
		want      bool
	}{
		{"the service", "ecs:UpdateService", []string{"ecs:UpdateService"}, []string{at("service/web/p-svc")}, true},
		{"actions by pattern, any case", "ecs:UpdateService", []string{"ECS:update*"}, []string{at("service/web/*")}, true},
		{"another service", "ecs:UpdateService", []string{"ecs:UpdateService"}, []string{at("service/web/p-other")}, false},
		{"another action", "ecs:UpdateService", []string{"ecs:DescribeServices"}, []string{at("service/web/p-svc")}, false},
		{"no resource-level permission needs *", "ecs:RegisterTaskDefinition", []string{"ecs:RegisterTaskDefinition"}, []string{at("task-definition/*")}, false},
		{"*", "ecs:RegisterTaskDefinition", []string{"ecs:*"}, []string{"*"}, true},
		{"a family's revisions", "ecs:TagResource", []string{"ecs:TagResource"}, []string{at("task-definition/p-svc:*")}, true},
		{"every task definition", "ecs:TagResource", []string{"ecs:TagResource"}, []string{at("task-definition/*")}, true},
		{"a task definition of another region", "ecs:TagResource", []string{"ecs:TagResource"}, []string{"arn:aws:ecs:us-east-1:222222222222:task-definition/*"}, false},
		{"the cluster's tasks", "ecs:DescribeTasks", []string{"ecs:DescribeTasks"}, []string{at("task/web/*")}, true},
		{"another cluster's tasks", "ecs:DescribeTasks", []string{"ecs:DescribeTasks"}, []string{at("task/api/*")}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Policy{Statements: []Statement{{Actions: tc.actions, Resources: tc.resources,
				Conditions: []Condition{{Operator: "StringEquals", Key: "aws:ResourceTag/team", Values: []string{"p"}}}}}}
			if got := p.Granted(byAction[tc.call]); got != tc.want {
				t.Errorf("Granted(%s on %s) = %v, want %v", tc.call, byAction[tc.call].Request.Resource, got, tc.want)
			}
		})
	}
}
