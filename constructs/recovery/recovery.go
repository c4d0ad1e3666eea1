// Package recovery provides Recovery: a pipeline that recovers by itself
// from a failed first deployment.
//
// When the first creation of a stack fails, CloudFormation rolls it back
// and leaves it in ROLLBACK_COMPLETE, where it can only be deleted: every
// later change set is refused ("is in ROLLBACK_COMPLETE state and can not be
// updated"), so every later run fails
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html#cfn-console-view-stack-data-resources-status-codes).
// Recovery is a Lambda function in the pipeline's account that an
// EventBridge rule invokes for each failed CloudFormation action of the
// pipeline. It reads the action from the pipeline's definition (the version
// that ran), assumes the action's deploy role, and deletes the action's
// stack only when the stack is in ROLLBACK_COMPLETE and was created with
// the execution role that the pipeline passes: a stack in any other state
// (UPDATE_ROLLBACK_FAILED, DELETE_FAILED, ...) or of anyone else is left
// alone. The failed run stays failed; the next run (or a retry of the
// stage) creates the stack afresh. Nothing runs when deployments succeed,
// so it adds no action, no time and no quota to the pipeline.
//
// The deploy roles must trust the function's role (RoleArn) and allow
// DeleteStatement, which lets them delete only their own stacks, and only
// through the execution role.
package recovery

import (
	_ "embed"
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/hardening"
	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/naming"
)

// Source is the function's Python code (recover.py), inline in the
// template: at most 4,096 characters
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-code.html).
//
//go:embed recover.py
var Source string

// Props configures a Recovery.
type Props struct {
	// PipelineName is the pipeline whose failed deployments it recovers.
	// Required.
	PipelineName string
	// RoleName and RolePath name the function's role, which the deploy
	// roles trust (RoleArn). RoleName is required; RolePath defaults to /.
	RoleName, RolePath string
	// DeployRolePatterns are the ARNs or ARN patterns of the deploy roles it
	// may assume. Required.
	DeployRolePatterns []string
	// FunctionName is the function's name: 1 to 64 letters, digits, _ and
	// - (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html).
	// Default: <PipelineName>-recovery. A name of Relay's own, not one that
	// CloudFormation generates, so that a scoped bootstrap policy
	// (function:<name>-*) is known to cover it: a generated name truncates
	// the stack name to fit the 64 characters.
	FunctionName string
	// LogGroupName is the function's log group, whose entries (one per
	// failed action: stage, action, region, stack, verdict) are kept a
	// year. Default: /relay/<PipelineName>/recovery.
	LogGroupName string
	// LogKey encrypts the log group: a KMS key of the same stack, whose
	// policy New extends to let CloudWatch Logs of the stack's region use it
	// for this log group only (an ArnLike condition on
	// kms:EncryptionContext:aws:logs:arn,
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
	// Default: nil, CloudWatch Logs' service key (the NIST, PCI and HIPAA
	// packs then need a reason, which New records).
	LogKey awskms.Key
}

// functionName is FunctionName or its default.
func (p *Props) functionName() string {
	if p.FunctionName != "" {
		return p.FunctionName
	}
	return naming.Names{Name: p.PipelineName}.RecoveryFunction()
}

var roleNameRE = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// Validate reports every problem of p at once.
func (p *Props) Validate() error {
	var errs []error
	if p.PipelineName == "" {
		errs = append(errs, errors.New("PipelineName: required"))
	}
	if why := limits.CheckName(limits.LambdaFunctionName, p.functionName()); p.PipelineName != "" && why != "" {
		errs = append(errs, fmt.Errorf("FunctionName %q: %s", p.functionName(), why))
	}
	if !roleNameRE.MatchString(p.RoleName) {
		errs = append(errs, fmt.Errorf("RoleName %q: must be 1-64 characters of letters, digits and +=,.@_-", p.RoleName))
	}
	if p.RolePath != "" {
		if why := limits.CheckName(limits.IAMPath, p.RolePath); why != "" {
			errs = append(errs, fmt.Errorf("RolePath %q: %s", p.RolePath, why))
		}
	}
	if len(p.DeployRolePatterns) == 0 {
		errs = append(errs, errors.New("DeployRolePatterns []: name the deploy roles the function assumes"))
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("recovery.Props: %w", errors.Join(errs...))
}

// Recovery is the function, its role, log group and rule.
type Recovery struct {
	constructs.Construct
	role     awsiam.Role
	function awslambda.Function
	rule     awsevents.Rule
}

// New creates the function, its role and log group, and the rule that
// invokes it. It panics with every problem of props listed when props are
// invalid; call props.Validate first to handle the error yourself.
func New(scope constructs.Construct, id string, props *Props) *Recovery {
	if props == nil {
		panic(errors.New("recovery.New: props are nil"))
	}
	if err := props.Validate(); err != nil {
		panic(err)
	}
	p := *props
	if p.RolePath == "" {
		p.RolePath = "/"
	}
	if p.LogGroupName == "" {
		p.LogGroupName = "/relay/" + p.PipelineName + "/recovery"
	}
	r := &Recovery{Construct: constructs.NewConstruct(scope, &id)}
	stack := awscdk.Stack_Of(r.Construct)
	if p.LogKey != nil {
		region := *stack.Region()
		partition, ok := arns.RegionPartition(region)
		if !ok {
			partition = *stack.Partition()
		}
		hardening.AdmitLogs(p.LogKey, "CloudWatchLogsEncryptsRecoveryLogs",
			fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s", partition, region, *stack.Account(), p.LogGroupName))
	}
	logs := awslogs.NewLogGroup(r.Construct, jsii.String("Logs"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String(p.LogGroupName),
		Retention:     awslogs.RetentionDays_ONE_YEAR,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
		EncryptionKey: p.LogKey,
	})
	pipelineArn := stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("codepipeline"), Resource: jsii.String(p.PipelineName)})
	r.role = awsiam.NewRole(r.Construct, jsii.String("Role"), &awsiam.RoleProps{
		RoleName:    jsii.String(p.RoleName),
		Path:        jsii.String(p.RolePath),
		Description: jsii.String("Deletes a stack that a failed first deployment of pipeline " + p.PipelineName + " left in ROLLBACK_COMPLETE, through the deploy role"),
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})
	logStreams := awscdk.Fn_Join(jsii.String(""), &[]*string{logs.LogGroupArn(), jsii.String(":*")})
	for _, st := range []awsiam.PolicyStatement{
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("ReadThePipeline"),
			Actions:   jsii.Strings("codepipeline:GetPipeline"),
			Resources: &[]*string{pipelineArn},
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("AssumeDeployRoles"),
			Actions:   jsii.Strings("sts:AssumeRole"),
			Resources: jsii.Strings(values.SortedUnique(p.DeployRolePatterns)...),
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("WriteItsLog"),
			Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
			Resources: &[]*string{logStreams},
		}),
	} {
		r.role.AddToPolicy(st)
	}
	r.function = awslambda.NewFunction(r.Construct, jsii.String("Function"), &awslambda.FunctionProps{
		FunctionName: jsii.String(p.functionName()),
		Description:  jsii.String("Relay: deletes a stack that a failed first deployment of " + p.PipelineName + " left in ROLLBACK_COMPLETE"),
		Runtime:      awslambda.Runtime_PYTHON_3_14(),
		Handler:      jsii.String("index.handler"),
		Code:         awslambda.Code_FromInline(jsii.String(Source)),
		Role:         r.role,
		Timeout:      awscdk.Duration_Minutes(jsii.Number(1)),
		MemorySize:   jsii.Number(128),
		LogGroup:     logs,
		Environment:  &map[string]*string{"PIPELINE": jsii.String(p.PipelineName)},
	})
	// The role's policy must exist before EventBridge first invokes it.
	r.function.Node().AddDependency(r.role)
	r.rule = awsevents.NewRule(r.Construct, jsii.String("Rule"), &awsevents.RuleProps{
		Description: jsii.String("Relay: failed CloudFormation actions of pipeline " + p.PipelineName + ", to delete stacks left in ROLLBACK_COMPLETE"),
		EventPattern: &awsevents.EventPattern{
			Source:     jsii.Strings("aws.codepipeline"),
			DetailType: jsii.Strings("CodePipeline Action Execution State Change"),
			Detail: &map[string]interface{}{
				"pipeline": []interface{}{p.PipelineName},
				"state":    []interface{}{"FAILED"},
				"type":     map[string]interface{}{"provider": []interface{}{"CloudFormation"}},
			},
		},
		Targets: &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(r.function, &awseventstargets.LambdaFunctionProps{
			RetryAttempts: jsii.Number(2),
		})},
	})
	nag.Suppress(r.function, nag.Suppression{Rule: "AwsSolutions-L1", Reason: "python3.14 is the newest Python runtime that AWS Lambda documents (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html) and CloudFormation's AWS::Lambda::Function schema accepts (cfn-lint 1.51.0); aws-cdk-lib already lists python3.15, which deploys nowhere yet."})
	nag.Suppress(r.role, nag.Wildcards("The function assumes the deploy role of whichever environment failed, through one pattern; each deploy role trusts this role by its ARN and may delete only its own stacks in ROLLBACK_COMPLETE.",
		p.DeployRolePatterns...))
	// The compliance packs (HIPAA, NIST 800-53 R5, PCI DSS) ask of every
	// function and log group what this one-purpose function does not need.
	for _, pack := range []string{"HIPAA.Security", "NIST.800.53.R5"} {
		nag.Suppress(r.function,
			nag.Suppression{Rule: pack + "-LambdaConcurrency", Reason: "Only the rule for failed CloudFormation actions of one pipeline invokes it, once per failed action; reserved concurrency would take capacity from the account's pool for nothing."},
			nag.Suppression{Rule: pack + "-LambdaDLQ", Reason: "EventBridge retries a failed invocation twice and every verdict is logged; a deletion that never ran leaves the stack as it was, and the next failed action of that stack invokes the function again."})
	}
	for _, pack := range []string{"HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321"} {
		nag.Suppress(r.function, nag.Suppression{Rule: pack + "-LambdaInsideVPC", Reason: "It calls only the CodePipeline, STS and CloudFormation APIs and reaches no resource in a VPC."})
		if p.LogKey == nil {
			nag.Suppress(logs, nag.Suppression{Rule: pack + "-CloudWatchLogGroupEncrypted", Reason: "The group holds only stack names, stack states and the function's verdicts, no artifact or secret; CloudWatch Logs encrypts it at rest with its service key."})
		}
		nag.Suppress(r.role, nag.Suppression{Rule: pack + "-IAMNoInlinePolicy", Reason: "The policy is this one role's: it names this pipeline and its deploy role pattern, so a managed policy that other roles could attach would serve no one else."})
	}
	nag.Suppress(r.role, nag.Findings("CloudWatch Logs names each log stream of the function's own log group when the function starts.",
		"Resource::<"+nag.LogicalID(logs)+".Arn>:*"))
	return r
}

// Role is the function's role, which the deploy roles trust.
func (r *Recovery) Role() awsiam.Role { return r.role }

// Function is the function.
func (r *Recovery) Function() awslambda.Function { return r.function }

// Rule is the EventBridge rule that invokes the function.
func (r *Recovery) Rule() awsevents.Rule { return r.rule }

// DeleteStatement is what a deploy role needs so that Recovery can delete
// its stacks left in ROLLBACK_COMPLETE: cloudformation:DeleteStack on
// stackArns (arn:<partition>:cloudformation:<region>:<account>:stack/<name>/*),
// only when the request passes one of executionRoleArns, the roles the stacks were
// created with (condition key cloudformation:RoleArn,
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html).
// The deploy role already describes those stacks and passes that role.
// With several execution roles, any of them admits every stack of
// stackArns: when stacks are created with different roles, make one
// statement per role with that role's stacks, each with a Sid of its own
// (PolicyStatement.SetSid; IAM refuses a policy whose Sids repeat), as
// target.Props.DeleteFailedStacks does, so that no stack is deleted with
// another stack's permissions.
func DeleteStatement(stackArns []string, executionRoleArns ...string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("DeleteStacksLeftInRollbackComplete"),
		Actions:   jsii.Strings("cloudformation:DeleteStack"),
		Resources: jsii.Strings(stackArns...),
		Conditions: &map[string]interface{}{
			"ArnEquals": map[string]interface{}{"cloudformation:RoleArn": oneOrMany(executionRoleArns)},
		},
	})
}

// oneOrMany is v alone when it has one element (as the templates had it
// before several execution roles), else the list.
func oneOrMany(v []string) interface{} {
	if len(v) == 1 {
		return v[0]
	}
	return v
}
