package pipeline_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/relaycdk/relay/constructs/codedeploy"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/constructs/target"
)

// TestWiredDeployGrants: a release other than CloudFormation runs as its
// target's deploy role, whose DeployStatements must grant what the action
// calls with it (the CodePipeline action reference's "Service role
// permissions", as internal/iameval models them; eks:DescribeCluster for
// a Helm step); one they do not grant would fail with AccessDenied when it
// runs, and passed Validate, ValidateIn and New before. Relay's own grants
// (codedeploy's DeployStatements, delivery's ECS, S3 and EKS statements,
// written out here) pass; conditions are not read, tokens grant, and
// wildcards match as IAM's do.
func TestWiredDeployGrants(t *testing.T) {
	const account, region = "222222222222", "us-east-1"
	at := func(service, resource string) string {
		return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, account, resource)
	}
	taskRoles := []string{"arn:aws:iam::222222222222:role/orders-api-task"}
	ecs := &pipeline.ECSRelease{Cluster: "orders", Service: "api"}
	ecsGrants := []target.Statement{ // delivery's ecsGrants
		{Sid: "UpdateService", Actions: []string{"ecs:DescribeServices", "ecs:UpdateService"}, Resources: []string{at("ecs", "service/orders/api")}},
		{Sid: "RegisterTaskDefinitions", Actions: []string{"ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"}, Resources: []string{"*"}, Reason: "no resource-level permission"},
		{Sid: "TagTaskDefinitionsOnCreate", Actions: []string{"ecs:TagResource"}, Resources: []string{at("ecs", "task-definition/*")},
			Conditions: map[string]map[string][]string{"StringEquals": {"ecs:CreateAction": {"RegisterTaskDefinition"}}}, Reason: "revisions are numbered by ECS"},
		{Sid: "WatchServiceTasks", Actions: []string{"ecs:DescribeTasks", "ecs:ListTasks"},
			Resources: []string{at("ecs", "container-instance/orders/*"), at("ecs", "task/orders/*")}, Reason: "tasks are named by ECS"},
		{Sid: "PassTaskRoles", Actions: []string{"iam:PassRole"}, Resources: taskRoles,
			Conditions: map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}},
	}
	blueGreen := &pipeline.ECSBlueGreenRelease{Application: "orders", DeploymentGroup: "api"}
	blueGreenGrants := (&codedeploy.ExistingGroup{ApplicationName: "orders", DeploymentGroupName: "api", ECS: true, TaskRoleArns: taskRoles}).DeployStatements("aws", region, account)
	server := &pipeline.CodeDeployRelease{Application: "orders", DeploymentGroup: "web"}
	serverGrants := (&codedeploy.ServerProps{ApplicationName: "orders", DeploymentGroupName: "web", InstanceTags: map[string][]string{"app": {"orders"}},
		DeploymentConfig: "CodeDeployDefault.HalfAtATime"}).DeployStatements("aws", region, account)
	site := &pipeline.S3Release{Bucket: "orders-site", Extract: true, ObjectKey: "app/", KMSKeyArn: "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
	siteGrants := []target.Statement{ // delivery's s3Grants
		{Sid: "WriteSiteObjects", Actions: []string{"s3:PutObject"}, Resources: []string{"arn:aws:s3:::orders-site/app/*"}, Reason: "files come from the build"},
		{Sid: "EncryptSiteObjects", Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resources: []string{site.KMSKeyArn},
			Conditions: map[string]map[string][]string{"StringLike": {"kms:ViaService": {"s3.*.amazonaws.com"}}}},
	}
	helm := &pipeline.EKSRelease{Helm: &pipeline.HelmRelease{Cluster: "orders", Release: "api", Chart: "chart",
		ProjectName: orders.HelmProject("staging"), RoleName: orders.HelmProject("staging")}}
	helmGrants := []target.Statement{{Sid: "DescribeCluster", Actions: []string{"eks:DescribeCluster"}, Resources: []string{at("eks", "cluster/orders")}}}
	unrelated := []target.Statement{{Actions: []string{"ecs:DescribeServices"}, Resources: []string{at("ecs", "service/orders/api")}}}
	refused := func(field, value, action, missing, fix string) string {
		return fmt.Sprintf("pipeline.Props: %s %q: the action %s runs as the deploy role of the target orders-staging/Delivery, whose DeployStatements do not grant %s, so it would fail with AccessDenied when it runs; add statements with them to that target's DeployStatements%s",
			field, value, action, missing, fix)
	}
	tests := []struct {
		name       string
		release    pipeline.Release
		statements []target.Statement
		want       string
	}{
		{"ECS: Relay's grants", ecs, ecsGrants, ""},
		{"ECS: by pattern, any case", ecs, []target.Statement{{Actions: []string{"ecs:*Service*", "ecs:*tasks", "ecs:*TaskDefinition", "ecs:tagresource"}, Resources: []string{"*"}, Reason: "every ECS call of the account"}}, ""},
		{"ECS: the service only", ecs, unrelated[:1:1], refused("Deployments[0].Release", "orders/api", "Deploy-us-east-1",
			"ecs:DescribeTaskDefinition, ecs:RegisterTaskDefinition on *; ecs:TagResource on arn:aws:ecs:us-east-1:222222222222:task-definition/*; ecs:UpdateService on arn:aws:ecs:us-east-1:222222222222:service/orders/api; ecs:ListTasks on arn:aws:ecs:us-east-1:222222222222:container-instance/orders/*; ecs:DescribeTasks on arn:aws:ecs:us-east-1:222222222222:task/orders/*", "")},
		{"ECS: another service", ecs, append([]target.Statement{{Actions: []string{"ecs:DescribeServices", "ecs:UpdateService"}, Resources: []string{at("ecs", "service/orders/web")}}}, ecsGrants[1:]...),
			refused("Deployments[0].Release", "orders/api", "Deploy-us-east-1", "ecs:DescribeServices, ecs:UpdateService on arn:aws:ecs:us-east-1:222222222222:service/orders/api", "")},
		{"ECS: a family's revisions, tasks of any cluster", ecs, []target.Statement{ecsGrants[0], ecsGrants[1],
			{Actions: []string{"ecs:TagResource"}, Resources: []string{at("ecs", "task-definition/orders-api:*")}, Reason: "the service's family only"},
			{Actions: []string{"ecs:List*", "ecs:Describe*"}, Resources: []string{"arn:aws:ecs:*:222222222222:*"}, Reason: "reads the account's ECS"}}, ""},
		{"ECS: a token resource grants", ecs, []target.Statement{{Actions: []string{"ecs:*"}, Resources: []string{*awscdk.Fn_ImportValue(ptr("orders-ecs-resources"))}, Reason: "imported from the cluster's stack"}}, ""},
		{"ECS blue/green: codedeploy's grants", blueGreen, blueGreenGrants, ""},
		{"ECS blue/green: without registering the task definition", blueGreen, blueGreenGrants[:3],
			refused("Deployments[0].Release", "orders/api", "Deploy-us-east-1", "ecs:RegisterTaskDefinition on *; ecs:TagResource on arn:aws:ecs:us-east-1:222222222222:task-definition/*",
				" (codedeploy.ECSProps.DeployStatements, or ExistingGroup.DeployStatements, gives them)")},
		{"CodeDeploy: codedeploy's grants, the group's own config", server, serverGrants, ""},
		{"CodeDeploy: the grants of another region", server, (&codedeploy.ServerProps{ApplicationName: "orders", DeploymentGroupName: "web", InstanceTags: map[string][]string{"app": {"orders"}}}).DeployStatements("aws", "eu-west-1", account),
			refused("Deployments[0].Release", "orders/web", "Deploy-us-east-1",
				"codedeploy:GetApplication, codedeploy:RegisterApplicationRevision, codedeploy:GetApplicationRevision on arn:aws:codedeploy:us-east-1:222222222222:application:orders; codedeploy:CreateDeployment, codedeploy:GetDeployment on arn:aws:codedeploy:us-east-1:222222222222:deploymentgroup:orders/web; codedeploy:GetDeploymentConfig on arn:aws:codedeploy:us-east-1:222222222222:deploymentconfig:*",
				" (codedeploy.ServerProps.DeployStatements, or ExistingGroup.DeployStatements, gives them)")},
		{"S3: Relay's grants", site, siteGrants, ""},
		{"S3: another prefix, no key", site, []target.Statement{{Actions: []string{"s3:PutObject"}, Resources: []string{"arn:aws:s3:::orders-site/web/*"}, Reason: "files come from the build"}},
			refused("Deployments[0].Release", "orders-site", "Deploy-us-east-1",
				"s3:PutObject on arn:aws:s3:::orders-site/app/*; kms:GenerateDataKey, kms:Decrypt on arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab", "")},
		{"Helm: Relay's grant", helm, helmGrants, ""},
		{"Helm: another cluster", helm, []target.Statement{{Actions: []string{"eks:DescribeCluster"}, Resources: []string{at("eks", "cluster/payments")}}},
			refused("Deployments[0].Release.Helm", "orders", "Helm-us-east-1", "eks:DescribeCluster on arn:aws:eks:us-east-1:222222222222:cluster/orders", "")},
		{"GitOps calls nothing as the deploy role", &pipeline.EKSRelease{GitOps: &pipeline.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", File: "orders/values.yaml", Value: "v1",
			TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-token-AbCdEf"}}, unrelated, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWiredApp(t, nil, func(p *target.Props) {
				p.StackNames, p.ExecutionManagedPolicyArns = nil, nil
				p.DeployStatements = tt.statements
				p.TrustedRoleArns = []string{orders.HelmRoleArn("staging")}
			})
			w.props.Deployments[0].Release = tt.release
			w.wantValidate(t, tt.want)
			if tt.want == "" {
				relaytest.Do(t, "pipeline.New", func() { pipeline.New(w.tooling, "Pipeline", w.props) })
			}
		})
	}
}

func ptr(s string) *string { return &s }

// TestWiredHelmTrust: a Helm step's project role assumes the deploy role
// of its target, whose trust names PipelineRoleArns and TrustedRoleArns
// only; a Helm role it does not name (or cannot: a generated RoleName)
// would be refused sts:AssumeRole when the step runs, and passed Validate,
// ValidateIn and New before.
func TestWiredHelmTrust(t *testing.T) {
	helm := func(role string) pipeline.Release {
		return &pipeline.EKSRelease{Helm: &pipeline.HelmRelease{Cluster: "orders", Release: "api", Chart: "chart", ProjectName: orders.HelmProject("staging"), RoleName: role}}
	}
	tests := []struct {
		name    string
		release pipeline.Release
		trusted []string
		want    string
	}{
		{"the Helm role", helm(orders.HelmProject("staging")), []string{orders.HelmRoleArn("staging")}, ""},
		{"a token", helm(orders.HelmProject("staging")), []string{*awscdk.Fn_ImportValue(ptr("orders-helm-role"))}, ""},
		{"another role", helm(orders.HelmProject("staging")), []string{orders.HelmRoleArn("prod")},
			`pipeline.Props: Deployments[0].Release.Helm.RoleName "orders-staging-helm": the Helm project's role arn:aws:iam::111111111111:role/orders-staging-helm assumes the deploy role of the target orders-staging/Delivery, whose trust does not name it (TrustedRoleArns arn:aws:iam::111111111111:role/orders-prod-helm), so sts:AssumeRole would be refused when the step runs; add arn:aws:iam::111111111111:role/orders-staging-helm to that target's TrustedRoleArns`},
		{"no trusted role", helm(orders.HelmProject("staging")), nil,
			`pipeline.Props: Deployments[0].Release.Helm.RoleName "orders-staging-helm": the Helm project's role arn:aws:iam::111111111111:role/orders-staging-helm assumes the deploy role of the target orders-staging/Delivery, whose trust does not name it (TrustedRoleArns none), so sts:AssumeRole would be refused when the step runs; add arn:aws:iam::111111111111:role/orders-staging-helm to that target's TrustedRoleArns`},
		{"a generated role name", helm(""), []string{orders.HelmRoleArn("staging")},
			`pipeline.Props: Deployments[0].Release.Helm.RoleName: generated, so the target orders-staging/Delivery cannot name the Helm project's role, which assumes its deploy role, and its trust (PipelineRoleArns, TrustedRoleArns) would refuse it when the step runs; set RoleName (naming.Names.HelmProject) and add the role's ARN (naming.Names.HelmRoleArn) to that target's TrustedRoleArns`},
		{"GitOps assumes no role of the target", &pipeline.EKSRelease{GitOps: &pipeline.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", File: "orders/values.yaml", Value: "v1",
			TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-token-AbCdEf"}}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWiredApp(t, nil, func(p *target.Props) {
				p.StackNames, p.ExecutionManagedPolicyArns = nil, nil
				p.DeployStatements = []target.Statement{{Actions: []string{"eks:DescribeCluster"}, Resources: []string{"arn:aws:eks:us-east-1:222222222222:cluster/orders"}}}
				p.TrustedRoleArns = tt.trusted
			})
			w.props.Deployments[0].Release = tt.release
			w.wantValidate(t, tt.want)
			if tt.want == "" {
				relaytest.Do(t, "pipeline.New", func() { pipeline.New(w.tooling, "Pipeline", w.props) })
			}
		})
	}
}
