package delivery

import (
	"fmt"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/codedeploy"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/naming"
	"github.com/relaycdk/relay/constructs/target"
)

// The roles of a target account: what each kind of action that runs there
// may do, scoped to the resources the config names in each region.

// targetSpec is the stack of account environment i; its Props are nil when
// the environment needs nothing in the account (a GitOps release).
func (t *translator) targetSpec(i int, env config.Environment) TargetSpec {
	n := t.n
	ts := TargetSpec{Environment: env.Name, StackName: n.TargetStack(env.Name), Account: env.Account, Region: env.OwnStackRegion()}
	props := t.targetProps(i, env, t.releases[i])
	if props.DeployRoleName == "" && props.InvokeRoleName == "" && len(props.StepRoles) == 0 {
		return ts
	}
	ts.Props = props
	// The strategy's resources live in the environment's one region
	// (config validation refuses several regions for them, and a
	// stackRegion other than that one).
	r, _ := t.releases[i][env.Regions[0]].StrategyRelease()
	switch {
	case r.ECSBlueGreen != nil && r.ECSBlueGreen.ExistingGroup == nil:
		ts.ECS = ecsProps(n, env.Name, r.ECSBlueGreen)
	case r.CodeDeploy != nil && r.CodeDeploy.ExistingGroup == nil:
		ts.Server = serverProps(n, env.Name, r.CodeDeploy)
		ts.Server.Quotas = t.cfg.DeclaredQuotas()
	case r.EKS != nil && r.EKS.Helm != nil:
		ts.HelmAccess = &HelmAccess{Cluster: r.EKS.Cluster, Namespace: r.EKS.Helm.Namespace}
	}
	return ts
}

// targetProps are the props of the roles of env, account environment i,
// given its release in each region. (An environment of organizational units
// has no roles: StackSets deploys there through its own.)
func (t *translator) targetProps(i int, env config.Environment, releases map[string]config.Deploy) *target.Props {
	cfg, n := t.cfg, t.n
	p := &target.Props{
		Partition:          n.Partition,
		Account:            env.Account,
		Regions:            env.Regions,
		RolePath:           n.RolePath(),
		DeployRoleName:     n.DeployRole(env.Name),
		PipelineAccount:    cfg.Tooling.Account,
		PipelineRoleArns:   []string{n.PipelineRoleArn()},
		ArtifactBucketArns: artifactBucketArns(n, cfg.Tooling.Region, env.Regions),
		ArtifactKeyArns:    artifactKeyArns(n, cfg.Tooling.Region, env.Regions),
		Quotas:             cfg.DeclaredQuotas(),
	}
	if cfg.Deploy.HasStacks() {
		p.StackNames = t.stackNames(i, func(x config.Component) bool { return x.ExecutionPolicy == nil })
		p.ExecutionRoleName = n.ExecutionRole(env.Name)
		p.ExecutionManagedPolicyArns = cfg.Deploy.ExecutionPolicy.ManagedPolicyArns
		p.ExecutionStatements = append(statements(cfg.Deploy.ExecutionPolicy.Statements), t.assetStatements(env.Regions)...)
	}
	for _, x := range cfg.Deploy.Stacks {
		if ep := x.ExecutionPolicy; ep != nil && x.IsStack() {
			p.ExecutionRoles = append(p.ExecutionRoles, target.ExecutionRole{
				Name:       n.StackExecutionRole(env.Name, x.Name),
				StackNames: t.stackNames(i, func(y config.Component) bool { return y.Name == x.Name }),
				// A stack with a role of its own deploys the workload's
				// assets as the environment's role does (Lambda reads a
				// function's code with the caller's credentials).
				ManagedPolicyArns: ep.ManagedPolicyArns, Statements: append(statements(ep.Statements), t.assetStatements(env.Regions)...),
			})
		}
	}
	if p.ExecutionRoleName != "" || len(p.ExecutionRoles) > 0 {
		// One boundary for every execution role of the environment, the
		// stacks' own included (without an environment execution role,
		// target would otherwise derive it from an empty role name).
		p.PermissionsBoundaryName = n.PermissionsBoundary(env.Name)
	}
	p.StackRegions = t.stackRegions(i)
	p.StepRoles = t.stepRoles(i)
	if (len(p.StackNames) > 0 || len(p.ExecutionRoles) > 0) && t.recovers() {
		// The recovery function deletes a stack a failed first
		// deployment left in ROLLBACK_COMPLETE, as the deploy role.
		p.DeleteFailedStacks = true
		p.TrustedRoleArns = append(p.TrustedRoleArns, n.RecoveryRoleArn())
	}
	p.DeployStatements, p.InvokeStatements = releaseGrants(n, env, releases)
	if len(p.StackNames) == 0 && len(p.ExecutionRoles) == 0 && len(p.DeployStatements) == 0 {
		p.DeployRoleName = "" // a GitOps release needs no deploy role
	}
	if len(cfg.Deploy.Hooks) > 0 {
		p.InvokeRoleName = n.InvokeRole(env.Name)
		p.InvokeReadsArtifacts = invokeReadsArtifacts(cfg)
	}
	p.HookFunctions, p.HookStatements = hookRoleGrants(env, releases)
	if len(p.HookFunctions) > 0 {
		p.HookRoleName, p.JobResultsRoleArn = n.HookRole(env.Name), n.JobResultsRoleArn()
	}
	if x, _ := cfg.Deploy.StrategyRelease(); x.CodeDeploy != nil {
		// The instance roles are the team's: it attaches this policy.
		p.ArtifactReaderPolicyName = n.ArtifactReaderPolicy(env.Name)
	}
	if x, _ := cfg.Deploy.StrategyRelease(); x.EKS != nil && x.EKS.Helm != nil {
		p.TrustedRoleArns = append(p.TrustedRoleArns, n.HelmRoleArn(env.Name))
	}
	return p
}

// stackRegions are the regions of each stack name of account environment
// i that it deploys in some of its regions only (a name with ${region} or a
// setting that differs by region), for target.Props.StackRegions; nil when
// it deploys every name in every region.
func (t *translator) stackRegions(i int) map[string][]string {
	regions := t.cfg.Environments[i].Regions
	in := map[string][]string{}
	for _, r := range regions {
		d, ok := t.releases[i][r]
		if !ok {
			continue
		}
		for _, x := range d.Components() {
			if x.IsStack() && !slices.Contains(in[x.StackName], r) {
				in[x.StackName] = append(in[x.StackName], r)
			}
		}
	}
	var out map[string][]string
	for name, rs := range in {
		if len(rs) < len(regions) {
			if out == nil {
				out = map[string][]string{}
			}
			out[name] = rs
		}
	}
	return out
}

// artifactBucketArns are the stores a deploy role in regions reads: the
// tooling region's and each other region's replica.
func artifactBucketArns(n naming.Names, tooling string, regions []string) []string {
	out := []string{n.ArtifactBucketArn(tooling)}
	for _, r := range regions {
		if r != tooling {
			out = append(out, n.ArtifactBucketArn(r))
		}
	}
	return out
}

// artifactKeyArns are the key patterns that go with artifactBucketArns.
func artifactKeyArns(n naming.Names, tooling string, regions []string) []string {
	out := []string{n.ArtifactKeyPattern(tooling)}
	for _, r := range regions {
		if r != tooling {
			out = append(out, n.ArtifactKeyPattern(r))
		}
	}
	return out
}

// releaseGrants are the least-privilege statements of env's deploy role
// (for a strategy other than CloudFormation) and invoke role, in each
// region, merged by Sid.
func releaseGrants(n naming.Names, env config.Environment, releases map[string]config.Deploy) (deploy, invoke []target.Statement) {
	for _, region := range env.Regions {
		r, _ := releases[region].StrategyRelease()
		hooks := releases[region].Hooks
		arn := func(service, resource string) string {
			return fmt.Sprintf("arn:%s:%s:%s:%s:%s", n.Partition, service, region, env.Account, resource)
		}
		switch {
		case r.ECS != nil:
			deploy = append(deploy, ecsGrants(arn, r.ECS)...)
		case r.ECSBlueGreen != nil && r.ECSBlueGreen.ExistingGroup != nil, r.CodeDeploy != nil && r.CodeDeploy.ExistingGroup != nil:
			g, _ := existingGroupOf(r)
			deploy = append(deploy, g.DeployStatements(n.Partition, region, env.Account)...)
		case r.ECSBlueGreen != nil:
			deploy = append(deploy, ecsProps(n, env.Name, r.ECSBlueGreen).DeployStatements(n.Partition, region, env.Account)...)
		case r.CodeDeploy != nil:
			deploy = append(deploy, serverProps(n, env.Name, r.CodeDeploy).DeployStatements(n.Partition, region, env.Account)...)
		case r.S3 != nil:
			deploy = append(deploy, s3Grants(n.Partition, r.S3)...)
		case r.EKS != nil && r.EKS.Helm != nil:
			deploy = append(deploy, target.Statement{Sid: "DescribeCluster", Actions: []string{"eks:DescribeCluster"}, Resources: []string{arn("eks", "cluster/"+r.EKS.Cluster)}})
		}
		for _, h := range hooks {
			invoke = append(invoke, hookGrants(arn, h)...)
		}
	}
	return merge(deploy), merge(invoke)
}

// hookRoleGrants are the Lambda hook functions of env, in every region, and
// what their statements grant (deploy.hooks[].lambda.statements as env
// receives them in each region, identical statements once, statements
// that differ only in resources joined).
func hookRoleGrants(env config.Environment, releases map[string]config.Deploy) (functions []string, out []target.Statement) {
	index := map[string]int{}
	for _, region := range env.Regions {
		for _, h := range releases[region].Hooks {
			if h.Lambda == nil {
				continue
			}
			functions = append(functions, h.Lambda.Function)
			for _, st := range statements(h.Lambda.Statements) {
				key := fmt.Sprint(st.Sid, st.Actions, st.Conditions, st.Reason)
				if i, ok := index[key]; ok {
					out[i].Resources = slices.Compact(slices.Sorted(slices.Values(append(out[i].Resources, st.Resources...))))
					continue
				}
				index[key] = len(out)
				out = append(out, st)
			}
		}
	}
	return slices.Compact(slices.Sorted(slices.Values(functions))), out
}

// ecsGrants are the ECS deploy action's (the calls of CodePipeline's
// "Service role permissions: Amazon ECS standard action",
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html):
// update the service, register its task definitions (no resource-level
// permission) and tag them while registering them, follow the
// deployment's tasks in the service's cluster (ecs:ListTasks authorizes
// on the cluster's container instances, ecs:DescribeTasks on its tasks),
// pass exactly its roles.
func ecsGrants(arn func(service, resource string) string, x *config.ECSDeploy) []target.Statement {
	return []target.Statement{
		{Sid: "UpdateService", Actions: []string{"ecs:DescribeServices", "ecs:UpdateService"},
			Resources: []string{arn("ecs", "service/"+x.Cluster+"/"+x.Service)}},
		{Sid: "RegisterTaskDefinitions", Actions: []string{"ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"},
			Resources: []string{"*"}, Reason: "ECS supports no resource-level permission for ecs:RegisterTaskDefinition and ecs:DescribeTaskDefinition: a new revision's ARN does not exist before the call."},
		{Sid: "TagTaskDefinitionsOnCreate", Actions: []string{"ecs:TagResource"}, Resources: []string{arn("ecs", "task-definition/*")},
			Conditions: map[string]map[string][]string{"StringEquals": {"ecs:CreateAction": {"RegisterTaskDefinition"}}},
			Reason:     "A new task definition revision's ARN ends in a number ECS assigns; the condition allows tagging only while registering one."},
		{Sid: "WatchServiceTasks", Actions: []string{"ecs:DescribeTasks", "ecs:ListTasks"},
			Resources: []string{arn("ecs", "container-instance/"+x.Cluster+"/*"), arn("ecs", "task/"+x.Cluster+"/*")},
			Reason:    "ECS names each task and container instance of the service's cluster when it starts it; the action lists and describes the tasks of its deployment."},
		{Sid: "PassTaskRoles", Actions: []string{"iam:PassRole"}, Resources: x.TaskRoles,
			Conditions: map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}},
	}
}

// s3Grants are the S3 deploy action's: put objects under the key prefix,
// encrypt with the named key.
func s3Grants(partition string, x *config.S3Deploy) []target.Statement {
	prefix := strings.TrimSuffix(x.ObjectKey, "/")
	objects := fmt.Sprintf("arn:%s:s3:::%s/*", partition, x.Bucket)
	if prefix != "" && (x.Extract == nil || *x.Extract) {
		objects = fmt.Sprintf("arn:%s:s3:::%s/%s/*", partition, x.Bucket, prefix)
	} else if prefix != "" {
		objects = fmt.Sprintf("arn:%s:s3:::%s/%s", partition, x.Bucket, prefix)
	}
	out := []target.Statement{{Sid: "WriteSiteObjects", Actions: []string{"s3:PutObject"}, Resources: []string{objects},
		Reason: "The build output's files become objects under the key prefix of the bucket; their names come from the build."}}
	if x.KMSKey != "" {
		// SSE-KMS uploads need kms:GenerateDataKey, and multipart uploads
		// (large files) kms:Decrypt, both through S3; S3 never calls
		// kms:Encrypt for them
		// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions).
		out = append(out, target.Statement{Sid: "EncryptSiteObjects", Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resources: []string{x.KMSKey},
			Conditions: map[string]map[string][]string{"StringLike": {"kms:ViaService": {"s3.*.amazonaws.com"}}}})
	}
	return out
}

// reasonListFunctions is why an invoke role may list functions on "*".
const reasonListFunctions = "CodePipeline's Lambda invoke action lists the functions (lambda:ListFunctions, its service role permissions), which takes no resource-level permission; it reads names and configurations, not code."

// hookGrants are an invoke action's: invoke the function (and list the
// functions, which CodePipeline's Lambda action does,
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Lambda.html),
// or start and watch executions of the state machine.
func hookGrants(arn func(service, resource string) string, h config.Hook) []target.Statement {
	if f := h.Lambda; f != nil {
		return []target.Statement{{Sid: "InvokeHookFunctions", Actions: []string{"lambda:InvokeFunction"}, Resources: []string{arn("lambda", "function:"+f.Function)}},
			{Sid: "ListFunctions", Actions: []string{"lambda:ListFunctions"}, Resources: []string{"*"}, Reason: reasonListFunctions}}
	}
	s := h.StepFunctions
	return []target.Statement{
		{Sid: "StartHookExecutions", Actions: []string{"states:DescribeStateMachine", "states:StartExecution"}, Resources: []string{arn("states", "stateMachine:"+s.StateMachine)}},
		{Sid: "WatchHookExecutions", Actions: []string{"states:DescribeExecution"}, Resources: []string{arn("states", "execution:"+s.StateMachine+":*")},
			Reason: "Step Functions names each execution of the hook's state machine when the action starts it."},
	}
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

// ecsProps are the blue/green deployment group of env.
func ecsProps(n naming.Names, env string, x *config.ECSBlueGreenDeploy) *codedeploy.ECSProps {
	return &codedeploy.ECSProps{
		ApplicationName: n.CodeDeployApplication(env), DeploymentGroupName: n.CodeDeployGroup(env),
		ClusterName: x.Cluster, ServiceName: x.Service,
		ProductionListenerArn: x.ProductionListener, TestListenerArn: x.TestListener,
		BlueTargetGroupArn: x.TargetGroups[0], GreenTargetGroupArn: x.TargetGroups[1],
		DeploymentConfig: x.DeploymentConfig, WaitMinutes: x.WaitMinutes, TerminationWaitMinutes: x.TerminationWaitMinutes,
		AlarmNames: x.Alarms, TaskRoleArns: x.TaskRoles,
	}
}

// existingGroup is an existing deployment group as codedeploy sees it: an
// ECS group when taskRoles are given (ECS blue/green), else EC2/on-premises.
func existingGroup(x *config.ExistingDeploymentGroup, taskRoles []string) *codedeploy.ExistingGroup {
	return &codedeploy.ExistingGroup{ApplicationName: x.Application, DeploymentGroupName: x.DeploymentGroup, ECS: taskRoles != nil, TaskRoleArns: taskRoles}
}

// existingGroupOf is r's existing deployment group and the config block
// that names it, or nil.
func existingGroupOf(r config.Deploy) (*codedeploy.ExistingGroup, string) {
	switch {
	case r.ECSBlueGreen != nil && r.ECSBlueGreen.ExistingGroup != nil:
		return existingGroup(r.ECSBlueGreen.ExistingGroup, r.ECSBlueGreen.TaskRoles), "deploy.ecsBlueGreen"
	case r.CodeDeploy != nil && r.CodeDeploy.ExistingGroup != nil:
		return existingGroup(r.CodeDeploy.ExistingGroup, nil), "deploy.codeDeploy"
	}
	return nil, ""
}

// serverProps are the EC2/on-premises deployment group of env.
func serverProps(n naming.Names, env string, x *config.CodeDeployDeploy) *codedeploy.ServerProps {
	p := &codedeploy.ServerProps{
		ApplicationName: n.CodeDeployApplication(env), DeploymentGroupName: n.CodeDeployGroup(env),
		InstanceTags: x.InstanceTags, OnPremisesTags: x.OnPremisesTags, AutoScalingGroupNames: x.AutoScalingGroups,
		DeploymentConfig: x.DeploymentConfig, Style: x.Style, TargetGroupNames: x.TargetGroups,
		TerminationWaitMinutes: x.TerminationWaitMinutes, AlarmNames: x.Alarms,
	}
	if m := x.MinimumHealthyHosts; m != nil {
		p.MinimumHealthyHosts = &codedeploy.MinimumHealthyHosts{Type: m.Type, Value: m.Value}
	}
	return p
}
