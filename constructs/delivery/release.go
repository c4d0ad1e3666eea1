package delivery

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseks"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/codedeploy"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/naming"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/target"
)

// pipelineRelease is r (as one environment receives it in one region) as a
// pipeline release, or nil for a CloudFormation workload.
func pipelineRelease(n naming.Names, env string, r config.Deploy) *pipeline.Release {
	switch {
	case r.ECS != nil:
		return &pipeline.Release{ECS: &pipeline.ECSRelease{Cluster: r.ECS.Cluster, Service: r.ECS.Service, ImageFile: r.ECS.ImageDefinitions, TimeoutMinutes: r.ECS.TimeoutMinutes}}
	case r.ECSBlueGreen != nil:
		x := r.ECSBlueGreen
		return &pipeline.Release{ECSBlueGreen: &pipeline.ECSBlueGreenRelease{
			Application: n.CodeDeployApplication(), DeploymentGroup: n.CodeDeployGroup(env),
			TaskDefinition: x.TaskDefinition, AppSpec: x.AppSpec, ImagePlaceholder: x.ImagePlaceholder,
		}}
	case r.CodeDeploy != nil:
		return &pipeline.Release{CodeDeploy: &pipeline.CodeDeployRelease{Application: n.CodeDeployApplication(), DeploymentGroup: n.CodeDeployGroup(env)}}
	case r.S3 != nil:
		x := r.S3
		return &pipeline.Release{S3: &pipeline.S3Release{Bucket: x.Bucket, Extract: x.Extract == nil || *x.Extract, ObjectKey: x.ObjectKey, CacheControl: x.CacheControl, KMSKeyArn: x.KMSKey}}
	case r.EKS != nil:
		out := &pipeline.Release{}
		if g := r.EKS.GitOps; g != nil {
			out.GitOps = &pipeline.GitOpsRelease{Repository: g.Repository, Branch: g.Branch, File: g.File, Key: g.Key, Value: g.Value, TokenSecret: g.TokenSecret}
		}
		if h := r.EKS.Helm; h != nil {
			out.Helm = &pipeline.HelmRelease{Cluster: r.EKS.Cluster, Release: h.Release, Chart: h.Chart, Namespace: h.Namespace, ValuesFile: h.ValuesFile, Set: h.Set}
		}
		return out
	}
	return nil
}

// releaseFor is cfg.ReleaseFor for a validated cfg, where it cannot fail.
func releaseFor(cfg *config.Config, env config.Environment, region string) config.Deploy {
	r, err := cfg.ReleaseFor(env, region)
	if err != nil {
		panic(fmt.Errorf("delivery: %w (config.Validate reports this)", err))
	}
	return r
}

// pipelineHooks are r's hooks as pipeline hooks.
func pipelineHooks(r config.Deploy) []pipeline.Hook {
	var out []pipeline.Hook
	for _, h := range r.Hooks {
		ph := pipeline.Hook{Name: h.Name, Before: h.When == "before"}
		if f := h.Lambda; f != nil {
			ph.Lambda = &pipeline.LambdaHook{Function: f.Function, UserParameters: f.UserParameters}
		}
		if s := h.StepFunctions; s != nil {
			ph.StepFunctions = &pipeline.StepFunctionsHook{StateMachine: s.StateMachine, Input: s.Input, InputFile: s.InputFile, ExecutionNamePrefix: s.ExecutionNamePrefix}
		}
		out = append(out, ph)
	}
	return out
}

// releases fills dep's Regional releases and hooks for env.
func releases(cfg *config.Config, env config.Environment, dep *pipeline.Deployment) {
	n := Names(cfg)
	if env.Account == "" {
		return
	}
	dep.Regional = map[string]pipeline.Regional{}
	for _, region := range env.Regions {
		r := releaseFor(cfg, env, region)
		dep.Regional[region] = pipeline.Regional{Release: pipelineRelease(n, env.Name, r), Hooks: pipelineHooks(r)}
	}
	if len(cfg.Deploy.Hooks) > 0 {
		dep.InvokeRoleArn = n.InvokeRoleArn(env.Account, env.Name)
	}
}

// releaseGrants are the least-privilege statements of env's deploy role
// (for a strategy other than CloudFormation) and invoke role, scoped to the
// resources that config names in each region.
func releaseGrants(cfg *config.Config, env config.Environment) (deploy, invoke []target.Statement) {
	n := Names(cfg)
	p := n.Partition
	for _, region := range env.Regions {
		r := releaseFor(cfg, env, region)
		arn := func(service, resource string) string {
			return fmt.Sprintf("arn:%s:%s:%s:%s:%s", p, service, region, env.Account, resource)
		}
		switch {
		case r.ECS != nil:
			deploy = append(deploy,
				target.Statement{Sid: "UpdateService", Actions: []string{"ecs:DescribeServices", "ecs:UpdateService"},
					Resources: []string{arn("ecs", "service/"+r.ECS.Cluster+"/"+r.ECS.Service)}},
				target.Statement{Sid: "RegisterTaskDefinitions", Actions: []string{"ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"},
					Resources: []string{"*"}},
				passTaskRoles(r.ECS.TaskRoles))
		case r.ECSBlueGreen != nil:
			deploy = append(deploy, ecsProps(n, env.Name, r.ECSBlueGreen).DeployStatements(p, region, env.Account)...)
		case r.CodeDeploy != nil:
			deploy = append(deploy, serverProps(n, env.Name, r.CodeDeploy).DeployStatements(p, region, env.Account)...)
		case r.S3 != nil:
			prefix := strings.TrimSuffix(r.S3.ObjectKey, "/")
			objects := fmt.Sprintf("arn:%s:s3:::%s/*", p, r.S3.Bucket)
			if prefix != "" && (r.S3.Extract == nil || *r.S3.Extract) {
				objects = fmt.Sprintf("arn:%s:s3:::%s/%s/*", p, r.S3.Bucket, prefix)
			} else if prefix != "" {
				objects = fmt.Sprintf("arn:%s:s3:::%s/%s", p, r.S3.Bucket, prefix)
			}
			deploy = append(deploy, target.Statement{Sid: "WriteSiteObjects", Actions: []string{"s3:PutObject"}, Resources: []string{objects}})
			if r.S3.KMSKey != "" {
				deploy = append(deploy, target.Statement{Sid: "EncryptSiteObjects", Actions: []string{"kms:Encrypt", "kms:GenerateDataKey"}, Resources: []string{r.S3.KMSKey}})
			}
		case r.EKS != nil && r.EKS.Helm != nil:
			deploy = append(deploy, target.Statement{Sid: "DescribeCluster", Actions: []string{"eks:DescribeCluster"}, Resources: []string{arn("eks", "cluster/"+r.EKS.Cluster)}})
		}
		for _, h := range r.Hooks {
			if f := h.Lambda; f != nil {
				invoke = append(invoke, target.Statement{Sid: "InvokeHookFunctions", Actions: []string{"lambda:InvokeFunction"}, Resources: []string{arn("lambda", "function:"+f.Function)}})
			}
			if s := h.StepFunctions; s != nil {
				invoke = append(invoke,
					target.Statement{Sid: "StartHookExecutions", Actions: []string{"states:DescribeStateMachine", "states:StartExecution"}, Resources: []string{arn("states", "stateMachine:"+s.StateMachine)}},
					target.Statement{Sid: "WatchHookExecutions", Actions: []string{"states:DescribeExecution"}, Resources: []string{arn("states", "execution:"+s.StateMachine+":*")}})
			}
		}
	}
	return merge(deploy), merge(invoke)
}

// merge joins statements with the same Sid (one per region) into one.
func merge(in []target.Statement) []target.Statement {
	var out []target.Statement
	index := map[string]int{}
	for _, s := range in {
		if i, ok := index[s.Sid]; ok {
			out[i].Resources = slices.Compact(slices.Sorted(slices.Values(append(out[i].Resources, s.Resources...))))
			continue
		}
		index[s.Sid] = len(out)
		s.Resources = slices.Clone(s.Resources)
		out = append(out, s)
	}
	return out
}

func passTaskRoles(roles []string) target.Statement {
	return target.Statement{Sid: "PassTaskRoles", Actions: []string{"iam:PassRole"}, Resources: roles,
		Conditions: map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}}
}

// ecsProps are the blue/green deployment group of env.
func ecsProps(n naming.Names, env string, x *config.ECSBlueGreenDeploy) *codedeploy.ECSProps {
	return &codedeploy.ECSProps{
		ApplicationName: n.CodeDeployApplication(), DeploymentGroupName: n.CodeDeployGroup(env),
		ClusterName: x.Cluster, ServiceName: x.Service,
		ProductionListenerArn: x.ProductionListener, TestListenerArn: x.TestListener,
		BlueTargetGroupArn: x.TargetGroups[0], GreenTargetGroupArn: x.TargetGroups[1],
		DeploymentConfig: x.DeploymentConfig, WaitMinutes: x.WaitMinutes, TerminationWaitMinutes: x.TerminationWaitMinutes,
		AlarmNames: x.Alarms, TaskRoleArns: x.TaskRoles,
	}
}

// serverProps are the EC2/on-premises deployment group of env.
func serverProps(n naming.Names, env string, x *config.CodeDeployDeploy) *codedeploy.ServerProps {
	p := &codedeploy.ServerProps{
		ApplicationName: n.CodeDeployApplication(), DeploymentGroupName: n.CodeDeployGroup(env),
		InstanceTags: x.InstanceTags, OnPremisesTags: x.OnPremisesTags, AutoScalingGroupNames: x.AutoScalingGroups,
		DeploymentConfig: x.DeploymentConfig, Style: x.Style, TargetGroupNames: x.TargetGroups,
		TerminationWaitMinutes: x.TerminationWaitMinutes, AlarmNames: x.Alarms,
	}
	if m := x.MinimumHealthyHosts; m != nil {
		p.MinimumHealthyHosts = &codedeploy.MinimumHealthyHosts{Type: m.Type, Value: m.Value}
	}
	return p
}

// addReleaseResources creates what env's strategy needs in its stack: the
// CodeDeploy application and deployment group, or the EKS access entry
// that maps the deploy role to edit rights in the Helm namespace.
func addReleaseResources(stack awscdk.Stack, cfg *config.Config, env config.Environment, roles *target.DeploymentTarget) {
	n := Names(cfg)
	r := releaseFor(cfg, env, env.Regions[0])
	switch {
	case r.ECSBlueGreen != nil:
		codedeploy.NewECS(stack, "BlueGreen", ecsProps(n, env.Name, r.ECSBlueGreen))
	case r.CodeDeploy != nil:
		codedeploy.NewServer(stack, "CodeDeploy", serverProps(n, env.Name, r.CodeDeploy))
	case r.EKS != nil && r.EKS.Helm != nil:
		cluster := awseks.Cluster_FromClusterAttributes(stack, jsii.String("Cluster"), &awseks.ClusterAttributes{ClusterName: jsii.String(r.EKS.Cluster)})
		awseks.NewAccessEntry(stack, jsii.String("HelmAccess"), &awseks.AccessEntryProps{
			Cluster:   cluster,
			Principal: roles.DeployRole().RoleArn(),
			AccessPolicies: &[]awseks.IAccessPolicy{awseks.AccessPolicy_FromAccessPolicyName(jsii.String("AmazonEKSEditPolicy"), &awseks.AccessPolicyNameOptions{
				AccessScopeType: awseks.AccessScopeType_NAMESPACE,
				Namespaces:      jsii.Strings(r.EKS.Helm.Namespace),
			})},
		})
	}
}

// usesHelm reports whether cfg deploys with Helm.
func usesHelm(cfg *config.Config) bool { return cfg.Deploy.EKS != nil && cfg.Deploy.EKS.Helm != nil }

// usesLambdaHooks reports whether any hook invokes a function.
func usesLambdaHooks(cfg *config.Config) bool {
	return slices.ContainsFunc(cfg.Deploy.Hooks, func(h config.Hook) bool { return h.Lambda != nil })
}

// newJobResultsRole is the tooling-account role that hook functions in
// target accounts assume to report their job result: the job belongs to the
// pipeline's account, so the function cannot report with its own
// credentials. CodePipeline's job APIs have no resource-level permissions;
// the trust limits callers to the environments' accounts (or organization).
func newJobResultsRole(scope awscdk.Stack, cfg *config.Config) awsiam.Role {
	n := Names(cfg)
	// One condition instead of one principal per account: 15 characters
	// per account rather than about 90, against a 2,048-character trust
	// policy; with an organization it keeps one size.
	condition := map[string]interface{}{}
	if cfg.Organization != nil {
		condition["aws:PrincipalOrgID"] = cfg.Organization.ID
	} else {
		var ids []string
		for _, e := range cfg.Environments {
			if e.Account != "" {
				ids = append(ids, e.Account)
			}
		}
		condition["aws:PrincipalAccount"] = values.OneOrMany(values.SortedUnique(ids))
	}
	principal := awsiam.NewAnyPrincipal().WithConditions(&map[string]interface{}{"StringEquals": condition})
	role := awsiam.NewRole(scope, jsii.String("JobResultsRole"), &awsiam.RoleProps{
		RoleName:    jsii.String(n.JobResultsRole()),
		Path:        jsii.String(n.RolePath()),
		Description: jsii.String("Assumed by hook functions in target accounts to report their CodePipeline job result"),
		AssumedBy:   principal,
	})
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("ReportJobResults"),
		Actions:   jsii.Strings("codepipeline:PutJobFailureResult", "codepipeline:PutJobSuccessResult"),
		Resources: jsii.Strings("*"),
	}))
	return role
}

// newStackSetAdminRole is the administration role of the self-managed
// StackSets of accounts environments: CloudFormation assumes it (for this
// pipeline's StackSets only) and it assumes the execution roles.
func newStackSetAdminRole(scope awscdk.Stack, cfg *config.Config) awsiam.Role {
	n := Names(cfg)
	role := awsiam.NewRole(scope, jsii.String("StackSetAdminRole"), &awsiam.RoleProps{
		RoleName:    jsii.String(n.StackSetAdminRole()),
		Path:        jsii.String(n.RolePath()),
		Description: jsii.String("Administers the self-managed StackSets of the delivery pipeline"),
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("cloudformation.amazonaws.com"), nil).WithConditions(&map[string]interface{}{
			"StringLike": map[string]interface{}{"aws:SourceArn": fmt.Sprintf("arn:%s:cloudformation:*:%s:stackset/%s-*", n.Partition, cfg.Tooling.Account, cfg.Deploy.StackName)},
		}),
	})
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("AssumeStackSetExecutionRoles"),
		Actions:   jsii.Strings("sts:AssumeRole"),
		Resources: jsii.Strings(n.StackSetExecutionRolePattern()),
	}))
	return role
}

// newStackSetExecutionRole is the execution role of env's StackSet in one
// account: trusted by the administration role only, allowed what
// deploy.executionPolicy grants.
func newStackSetExecutionRole(scope awscdk.Stack, cfg *config.Config, owner string) awsiam.Role {
	n := Names(cfg)
	ep := cfg.Deploy.ExecutionPolicy
	var managed []awsiam.IManagedPolicy
	for i, arn := range ep.ManagedPolicyArns {
		managed = append(managed, awsiam.ManagedPolicy_FromManagedPolicyArn(scope, jsii.String(fmt.Sprintf("ExecutionManagedPolicy%d", i)), jsii.String(arn)))
	}
	role := awsiam.NewRole(scope, jsii.String("StackSetExecutionRole"), &awsiam.RoleProps{
		RoleName:    jsii.String(n.StackSetExecutionRole(owner)),
		Description: jsii.String("Assumed by the StackSet administration role of the delivery pipeline in " + cfg.Tooling.Account),
		AssumedBy: awsiam.NewAccountPrincipal(jsii.String(cfg.Tooling.Account)).WithConditions(&map[string]interface{}{
			"ArnEquals": map[string]interface{}{"aws:PrincipalArn": n.StackSetAdminRoleArn()},
		}),
		ManagedPolicies: &managed,
	})
	// StackSets operates the instance stacks with this role.
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("OperateInstanceStacks"),
		Actions: jsii.Strings("cloudformation:CreateStack", "cloudformation:DeleteStack", "cloudformation:DescribeStackEvents",
			"cloudformation:DescribeStacks", "cloudformation:UpdateStack", "cloudformation:GetTemplate", "cloudformation:TagResource"),
		Resources: jsii.Strings(fmt.Sprintf("arn:%s:cloudformation:*:%s:stack/StackSet-%s-*", n.Partition, *scope.Account(), cfg.Deploy.StackName)),
	}))
	for _, s := range statements(ep.Statements) {
		role.AddToPolicy(s.PolicyStatement())
	}
	return role
}

// stackSetOwner is the environment whose StackSet env deploys or extends.
func stackSetOwner(env config.Environment) string {
	if env.StackSetOf != "" {
		return env.StackSetOf
	}
	return env.Name
}
