package codedeploy

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodedeploy"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudwatch"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/internal/sourcetrust"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// ECSProps configures an ECS blue/green deployment group. Fields without a
// default are required.
type ECSProps struct {
	// ApplicationName is the physical name of the CodeDeploy application.
	ApplicationName string
	// DeploymentGroupName is the physical name of the deployment group.
	DeploymentGroupName string
	// ClusterName is the ECS cluster of the service.
	ClusterName string
	// ServiceName is the ECS service; it must use the CODE_DEPLOY deployment
	// controller.
	ServiceName string
	// ProductionListenerArn is the ALB or NLB listener that serves production
	// traffic; CodeDeploy moves it from the blue to the green target group.
	// The kind of load balancer comes from the ARN (listener/app/ or
	// listener/net/).
	ProductionListenerArn string
	// TestListenerArn is a second listener (a test port) on the same load
	// balancer. It is where the pipeline's validation hooks reach the green
	// tasks before production traffic moves, so it is required.
	TestListenerArn string
	// BlueTargetGroupArn is the target group the service's tasks are in now.
	BlueTargetGroupArn string
	// GreenTargetGroupArn is the target group the replacement tasks register
	// in; it must differ from BlueTargetGroupArn.
	GreenTargetGroupArn string
	// DeploymentConfig is a predefined ECS deployment config (see
	// ECSConfigName). Behind a Network Load Balancer, CodeDeploy supports
	// only ECSAllAtOnce. Default: CodeDeployDefault.ECSAllAtOnce.
	DeploymentConfig string
	// WaitMinutes is how long CodeDeploy waits, after the test listener
	// reaches the green tasks, for a ContinueDeployment call before it reroutes
	// production traffic; without the call the deployment stops. 0 to 2880.
	// Default: 0, reroute as soon as the hooks pass.
	WaitMinutes int
	// TerminationWaitMinutes is how long the blue tasks stay after production
	// traffic moved, the window in which a rollback is instant. 0 to 2880.
	// Default: DefaultTerminationWaitMinutes (5); Minutes(0) terminates at
	// once.
	TerminationWaitMinutes *int
	// AlarmNames are CloudWatch alarms in the target account; when one goes
	// to ALARM during a deployment, CodeDeploy stops it and rolls back. At
	// most 10, each named once, 1 to 255 characters without control
	// characters (CloudWatch's alarm names). Default: none (a failed
	// deployment still rolls back).
	AlarmNames []string
	// TaskRoleArns are the task roles the task definition names (taskRoleArn).
	// They feed DeployStatements only: registering a task definition passes its
	// roles, and the deploy-action role may pass exactly these. No wildcards.
	TaskRoleArns []string
	// ExecutionRoleArns are the execution roles the task definition names
	// (executionRoleArn); like TaskRoleArns. At least one of the two lists is
	// required.
	ExecutionRoleArns []string
}

var ecsName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

// Validate reports every problem of p at once. It needs no jsii.
func (p *ECSProps) Validate() error {
	if p == nil {
		return errors.New("codedeploy.ECSProps: nil; pass &codedeploy.ECSProps{...}")
	}
	var errs problems
	errs.name("ApplicationName", p.ApplicationName)
	errs.name("DeploymentGroupName", p.DeploymentGroupName)
	for _, f := range []struct{ name, v string }{{"ClusterName", p.ClusterName}, {"ServiceName", p.ServiceName}} {
		if !ecsName.MatchString(f.v) {
			errs.add("%s %q: must be 1-255 characters of letters, digits, _ and -", f.name, f.v)
		}
	}

	const listenerShape = "must be a listener ARN, arn:<partition>:elasticloadbalancing:<region>:<account>:listener/app|net/<load balancer>/<id>/<id>"
	prod, prodOK := parseListener(p.ProductionListenerArn)
	if !prodOK {
		errs.add("ProductionListenerArn %q: %s", p.ProductionListenerArn, listenerShape)
	}
	test, testOK := parseListener(p.TestListenerArn)
	switch {
	case p.TestListenerArn == "":
		errs.add("TestListenerArn \"\": required: the test listener is where the pipeline's validation hooks reach the green tasks before production traffic moves; add a listener on a test port of the same load balancer")
	case !testOK:
		errs.add("TestListenerArn %q: %s", p.TestListenerArn, listenerShape)
	case p.TestListenerArn == p.ProductionListenerArn:
		errs.add("TestListenerArn %q: must differ from ProductionListenerArn: test traffic needs its own port", p.TestListenerArn)
	case prodOK && test.loadBalancer != prod.loadBalancer:
		errs.add("TestListenerArn %q: must be on the load balancer of ProductionListenerArn (%s): CodeDeploy reroutes the listeners of the service's one load balancer", p.TestListenerArn, prod.loadBalancer)
	}

	const targetGroupShape = "must be a target group ARN, arn:<partition>:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>"
	for _, f := range []struct{ name, v string }{{"BlueTargetGroupArn", p.BlueTargetGroupArn}, {"GreenTargetGroupArn", p.GreenTargetGroupArn}} {
		tg, ok := parseTargetGroup(f.v)
		switch {
		case !ok:
			errs.add("%s %q: %s", f.name, f.v, targetGroupShape)
		case prodOK && (tg.account != prod.account || tg.region != prod.region):
			errs.add("%s %q: must be in the account and region of ProductionListenerArn (%s, %s)", f.name, f.v, prod.account, prod.region)
		}
	}
	if p.GreenTargetGroupArn != "" && p.GreenTargetGroupArn == p.BlueTargetGroupArn {
		errs.add("GreenTargetGroupArn %q: must differ from BlueTargetGroupArn: the green tasks register in their own target group while the blue tasks keep serving", p.GreenTargetGroupArn)
	}

	if config, err := ECSConfigName(p.DeploymentConfig); err != nil {
		errs.add("DeploymentConfig %q: unknown ECS deployment config; %s", p.DeploymentConfig, acceptedECS())
	} else if prodOK && prod.kind == "net" && config != DefaultECSConfig {
		errs.add("DeploymentConfig %q: behind a Network Load Balancer CodeDeploy shifts ECS traffic all at once only; use ECSAllAtOnce", p.DeploymentConfig)
	}
	errs.minutes("WaitMinutes", p.WaitMinutes)
	if p.TerminationWaitMinutes != nil {
		errs.minutes("TerminationWaitMinutes", *p.TerminationWaitMinutes)
	}
	errs.alarms(p.AlarmNames)

	if len(p.TaskRoleArns)+len(p.ExecutionRoleArns) == 0 {
		errs.add("TaskRoleArns, ExecutionRoleArns []: name the roles the task definition names (taskRoleArn, executionRoleArn); the deploy action may pass exactly these to ECS")
	}
	for _, f := range []struct {
		name string
		arns []string
	}{{"TaskRoleArns", p.TaskRoleArns}, {"ExecutionRoleArns", p.ExecutionRoleArns}} {
		for i, a := range f.arns {
			m := roleArn.FindStringSubmatch(a)
			switch {
			case hasWildcard(a):
				errs.add("%s[%d] %q: must name one role, without * or ?: a wildcard would let the pipeline pass any matching role to ECS tasks", f.name, i, a)
			case m == nil:
				errs.add("%s[%d] %q: must be a role ARN, arn:<partition>:iam::<account>:role/<name>", f.name, i, a)
			case values.RelayIAMARN(a):
				errs.add("%s[%d] %q: %s", f.name, i, a, values.OwnRoleRule(values.RelayPathRole, "ecs-tasks.amazonaws.com", "ECS could not start the service's tasks with it", "name the roles of the service's own task definition"))
			case prodOK && m[1] != prod.account:
				errs.add("%s[%d] %q: must be in account %s, the account of ProductionListenerArn: a task definition names roles of its own account", f.name, i, a, prod.account)
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("codedeploy.ECSProps: %w", errors.Join(errs...))
}

// DeployStatements are the statements that the role of the pipeline's
// CodeDeployToECS action needs in the target account (partition, region and
// account of the deployment group), for a caller that writes that role with
// least privilege:
//
//   - CreateDeployments: codedeploy:CreateDeployment and GetDeployment on
//     the deployment group;
//   - RegisterRevisions: codedeploy:GetApplication, GetApplicationRevision
//     and RegisterApplicationRevision on the application;
//   - ReadDeploymentConfig: codedeploy:GetDeploymentConfig on the config;
//   - RegisterTaskDefinitions: ecs:RegisterTaskDefinition on "*", which is
//     unavoidable: ECS supports no resource-level permission for it (the task
//     definition ARN does not exist before the call);
//   - TagTaskDefinitionsOnCreate: ecs:TagResource on the account's task
//     definitions, only while registering one (ecs:CreateAction);
//   - PassTaskRoles: iam:PassRole on TaskRoleArns and ExecutionRoleArns
//     exactly, only to ecs-tasks.amazonaws.com.
//
// Reading the input artifacts (bucket and key) is not included: the target
// package's deploy role grants that. p must be valid (see Validate).
func (p *ECSProps) DeployStatements(partition, region, account string) []Statement {
	config, _ := ECSConfigName(p.DeploymentConfig)
	appArn, groupArn, configArn := codeDeployArns(partition, region, account, p.ApplicationName, p.DeploymentGroupName, config)
	roles := values.SortedUnique(append(append([]string(nil), p.TaskRoleArns...), p.ExecutionRoleArns...))
	return append(codeDeployStatements(appArn, groupArn, configArn), ecsStatements(partition, region, account, roles)...)
}

// ecsStatements are what the CodeDeployToECS action does on ECS and IAM:
// register the task definition (tagging it while it does) and pass exactly
// roles to ECS tasks.
func ecsStatements(partition, region, account string, roles []string) []Statement {
	return []Statement{
		{
			Sid:       "RegisterTaskDefinitions",
			Actions:   []string{"ecs:RegisterTaskDefinition"},
			Resources: []string{"*"},
			Reason:    "ECS supports no resource-level permission for ecs:RegisterTaskDefinition: the task definition's ARN does not exist before the call.",
		},
		{
			Sid:        "TagTaskDefinitionsOnCreate",
			Reason:     "A new task definition revision's ARN ends in a number ECS assigns; the condition allows tagging only while registering one.",
			Actions:    []string{"ecs:TagResource"},
			Resources:  []string{fmt.Sprintf("arn:%s:ecs:%s:%s:task-definition/*", partition, region, account)},
			Conditions: map[string]map[string][]string{"StringEquals": {"ecs:CreateAction": {"RegisterTaskDefinition"}}},
		},
		{
			Sid:        "PassTaskRoles",
			Actions:    []string{"iam:PassRole"},
			Resources:  roles,
			Conditions: map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}},
		},
	}
}

// ECS is a CodeDeploy application and ECS blue/green deployment group for an
// existing service.
type ECS struct {
	constructs.Construct
	application     awscodedeploy.EcsApplication
	deploymentGroup awscodedeploy.EcsDeploymentGroup
}

// NewECS creates the application and the deployment group; the service,
// listeners and target groups are referenced by name and ARN, without a
// lookup. Rollback on a failed deployment is always on, and on alarm when
// AlarmNames are set. It panics with every problem of props listed when props
// are invalid; call props.Validate first to handle the error yourself.
func NewECS(scope constructs.Construct, id string, props *ECSProps) *ECS {
	if props == nil {
		panic(errors.New("codedeploy.NewECS: props are nil; pass &codedeploy.ECSProps{...}"))
	}
	if err := props.Validate(); err != nil {
		panic(err)
	}
	p := *props
	prod, _ := parseListener(p.ProductionListenerArn)
	e := &ECS{Construct: constructs.NewConstruct(scope, &id)}
	stack := awscdk.Stack_Of(e.Construct)

	// fromClusterArn and fromFargateServiceAttributes need no VPC. The
	// Fargate import is aws-cdk-lib's generic service import: it records the
	// cluster and service names only, so it fits any launch type.
	cluster := awsecs.Cluster_FromClusterArn(e.Construct, jsii.String("Cluster"), stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("ecs"), Resource: jsii.String("cluster"), ResourceName: jsii.String(p.ClusterName),
	}))
	service := awsecs.FargateService_FromFargateServiceAttributes(e.Construct, jsii.String("Service"), &awsecs.FargateServiceAttributes{
		Cluster: cluster, ServiceName: jsii.String(p.ServiceName),
	})

	e.application = awscodedeploy.NewEcsApplication(e.Construct, jsii.String("Application"), &awscodedeploy.EcsApplicationProps{
		ApplicationName: jsii.String(p.ApplicationName),
	})
	termination := DefaultTerminationWaitMinutes
	if p.TerminationWaitMinutes != nil {
		termination = *p.TerminationWaitMinutes
	}
	blueGreen := &awscodedeploy.EcsBlueGreenDeploymentConfig{
		Listener:            importListener(e.Construct, "ProductionListener", p.ProductionListenerArn, prod.kind),
		TestListener:        importListener(e.Construct, "TestListener", p.TestListenerArn, prod.kind),
		BlueTargetGroup:     importTargetGroup(e.Construct, "BlueTargetGroup", p.BlueTargetGroupArn, prod.kind),
		GreenTargetGroup:    importTargetGroup(e.Construct, "GreenTargetGroup", p.GreenTargetGroupArn, prod.kind),
		TerminationWaitTime: awscdk.Duration_Minutes(jsii.Number(termination)),
	}
	if p.WaitMinutes > 0 {
		// Any approval wait time, even 0 minutes, makes CDK render
		// STOP_DEPLOYMENT; only a real wait should.
		blueGreen.DeploymentApprovalWaitTime = awscdk.Duration_Minutes(jsii.Number(p.WaitMinutes))
	}
	config, _ := ECSConfigName(p.DeploymentConfig)
	e.deploymentGroup = awscodedeploy.NewEcsDeploymentGroup(e.Construct, jsii.String("DeploymentGroup"), &awscodedeploy.EcsDeploymentGroupProps{
		Application:               e.application,
		DeploymentGroupName:       jsii.String(p.DeploymentGroupName),
		DeploymentConfig:          awscodedeploy.EcsDeploymentConfig_FromEcsDeploymentConfigName(e.Construct, jsii.String("Config"), jsii.String(config)),
		Service:                   service,
		BlueGreenDeploymentConfig: blueGreen,
		Alarms:                    importAlarms(e.Construct, p.AlarmNames),
		AutoRollback: &awscodedeploy.AutoRollbackConfig{
			FailedDeployment:  jsii.Bool(true),
			DeploymentInAlarm: jsii.Bool(len(p.AlarmNames) > 0),
		},
	})
	account, source := groupSource(e.Construct, p.ApplicationName, p.DeploymentGroupName)
	sourcetrust.Pin(e.deploymentGroup.Role(), account, source)
	// Recorded once the group's service role exists.
	nag.Suppress(e.Construct, nag.Suppression{
		Rule:      "AwsSolutions-IAM4",
		AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECS"},
		Reason:    "CodeDeploy's service role uses the AWS managed policy made for ECS blue/green deployments, which AWS keeps current with the service.",
	})
	return e
}

// Application is the CodeDeploy application.
func (e *ECS) Application() awscodedeploy.EcsApplication { return e.application }

// DeploymentGroup is the deployment group, for the pipeline's
// CodeDeployToECS action.
func (e *ECS) DeploymentGroup() awscodedeploy.EcsDeploymentGroup { return e.deploymentGroup }

func importAlarms(scope constructs.Construct, names []string) *[]interfacesawscloudwatch.IAlarmRef {
	var out []interfacesawscloudwatch.IAlarmRef
	for i, n := range names {
		out = append(out, awscloudwatch.Alarm_FromAlarmName(scope, jsii.String(fmt.Sprintf("Alarm%d", i)), jsii.String(n)))
	}
	return &out
}

// groupSource is the ARN of the deployment group app/group in scope's
// stack: the aws:SourceArn with which CodeDeploy assumes the group's
// service role (https://docs.aws.amazon.com/codedeploy/latest/userguide/security_confused_deputy.html).
func groupSource(scope constructs.Construct, app, group string) (account, arn string) {
	stack := awscdk.Stack_Of(scope)
	_, groupArn, _ := codeDeployArns(*stack.Partition(), *stack.Region(), *stack.Account(), app, group, "")
	return *stack.Account(), groupArn
}
