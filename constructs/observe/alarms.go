package observe

import (
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctionstasks"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/naming"
)

// Alarm kinds: each is one CloudWatch alarm named <Prefix>-<kind>.
const (
	AlarmFailedExecutions     = "failed-executions"
	AlarmLongExecutions       = "long-executions"
	AlarmNotificationFailures = "notification-failures"
)

// newAlarms creates the alarms; each notifies the alerts and chat topics.
func (o *Observer) newAlarms() {
	p := o.props
	period := awscdk.Duration_Minutes(jsii.Number(float64(p.Alarms.FailedPeriodMinutes)))
	o.newAlarm(AlarmFailedExecutions, o.ExecutionMetric("FailedExecutions", period), float64(p.Alarms.FailedExecutions),
		fmt.Sprintf("At least %d execution(s) of pipeline %s failed within %d minutes. Failed executions: %s",
			p.Alarms.FailedExecutions, p.PipelineName, p.Alarms.FailedPeriodMinutes, o.historyURL()))

	if m := p.Alarms.MaxExecutionMinutes; m > 0 {
		o.newTimer(m)
		o.newAlarm(AlarmLongExecutions, o.timer.MetricFailed(&awscloudwatch.MetricOptions{
			Period:    awscdk.Duration_Minutes(jsii.Number(5)),
			Statistic: jsii.String("Sum"),
		}), 1, fmt.Sprintf("An execution of pipeline %s is still in progress %d minutes after it started or resumed "+
			"(or the execution timer could not check it): the failed executions of state machine %s name it. Executions: %s",
			p.PipelineName, m, o.name(ruleTimer), o.historyURL()))
	}

	// Notifications EventBridge could not deliver (a policy, a key or a
	// quota in the way) raise an alarm, which CloudWatch delivers on its
	// own path.
	using := map[string]awscloudwatch.IMetric{}
	var ids []string
	for kind := range o.rules {
		ids = append(ids, kind)
	}
	slices.Sort(ids)
	var expr string
	for i, kind := range ids {
		id := fmt.Sprintf("r%d", i)
		using[id] = awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace:     jsii.String("AWS/Events"),
			MetricName:    jsii.String("FailedInvocations"),
			DimensionsMap: &map[string]*string{"RuleName": jsii.String(o.name(kind))},
			Statistic:     jsii.String("Sum"),
			Period:        awscdk.Duration_Minutes(jsii.Number(5)),
		})
		if i > 0 {
			expr += " + "
		}
		expr += fmt.Sprintf("FILL(%s, 0)", id)
	}
	o.newAlarm(AlarmNotificationFailures, awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression:   jsii.String(expr),
		UsingMetrics: &using,
		Label:        jsii.String("Failed deliveries"),
		Period:       awscdk.Duration_Minutes(jsii.Number(5)),
	}), 1, fmt.Sprintf("EventBridge could not deliver a notification or event of pipeline %s: see the FailedInvocations of its rules %s-*.",
		p.PipelineName, p.Prefix))
}

// historyURL links to the pipeline's execution history.
func (o *Observer) historyURL() string {
	return fmt.Sprintf("https://%s/codesuite/codepipeline/pipelines/%s/executions?region=%s",
		ConsoleHost(o.props.Partition, o.props.Region), o.props.PipelineName, o.props.Region)
}

// newAlarm creates the alarm <Prefix>-<kind>: metric at or above threshold
// in one period; no data is not breaching.
func (o *Observer) newAlarm(kind string, metric awscloudwatch.IMetric, threshold float64, description string) {
	a := awscloudwatch.NewAlarm(o.Construct, jsii.String("Alarm-"+kind), &awscloudwatch.AlarmProps{
		AlarmName:          jsii.String(o.name(kind)),
		AlarmDescription:   jsii.String(description),
		Metric:             metric,
		Threshold:          jsii.Number(threshold),
		EvaluationPeriods:  jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	a.AddAlarmAction(awscloudwatchactions.NewSnsAction(o.alerts))
	if o.chat != nil {
		a.AddAlarmAction(awscloudwatchactions.NewSnsAction(o.chat))
	}
	o.alarms = append(o.alarms, a)
	o.alarmNames = append(o.alarmNames, o.name(kind))
}

// newTimer creates the execution timer: on every started or resumed
// execution, a Step Functions state machine waits minutes, asks
// CodePipeline for the execution's status and fails while it is still in
// progress. Its failures are AWS/States ExecutionsFailed, which the
// long-executions alarm watches.
func (o *Observer) newTimer(minutes int) {
	p := o.props
	name := naming.Names{Name: p.Prefix}.ExecutionTimer()
	machineArn := o.arn("states", "stateMachine:"+name)

	wait := awsstepfunctions.NewWait(o.Construct, jsii.String("Wait"), &awsstepfunctions.WaitProps{
		StateName: jsii.String(fmt.Sprintf("Wait %d minutes", minutes)),
		Time:      awsstepfunctions.WaitTime_Duration(awscdk.Duration_Minutes(jsii.Number(float64(minutes)))),
	})
	get := awsstepfunctionstasks.NewCallAwsService(o.Construct, jsii.String("GetExecution"), &awsstepfunctionstasks.CallAwsServiceProps{
		StateName:    jsii.String("Get the execution's status"),
		Service:      jsii.String("codepipeline"),
		Action:       jsii.String("getPipelineExecution"),
		IamAction:    jsii.String("codepipeline:GetPipelineExecution"),
		IamResources: jsii.Strings(o.pipelineArn()),
		Parameters: &map[string]interface{}{
			"PipelineName":        p.PipelineName,
			"PipelineExecutionId": awsstepfunctions.JsonPath_StringAt(jsii.String("$.executionId")),
		},
		ResultSelector: &map[string]interface{}{"status": awsstepfunctions.JsonPath_StringAt(jsii.String("$.PipelineExecution.Status"))},
		ResultPath:     jsii.String("$.execution"),
	})
	get.AddRetry(&awsstepfunctions.RetryProps{
		Errors:      jsii.Strings("States.TaskFailed"),
		Interval:    awscdk.Duration_Seconds(jsii.Number(30)),
		MaxAttempts: jsii.Number(4),
		BackoffRate: jsii.Number(2),
	})
	tooLong := awsstepfunctions.NewFail(o.Construct, jsii.String("TooLong"), &awsstepfunctions.FailProps{
		StateName: jsii.String("Still in progress"),
		Error:     jsii.String("ExecutionRunsTooLong"),
		CausePath: awsstepfunctions.JsonPath_Format(jsii.String(fmt.Sprintf("Execution {} of pipeline %s is still in progress after %d minutes.", p.PipelineName, minutes)),
			awsstepfunctions.JsonPath_StringAt(jsii.String("$.executionId"))),
	})
	done := awsstepfunctions.NewSucceed(o.Construct, jsii.String("Done"), &awsstepfunctions.SucceedProps{StateName: jsii.String("Ended in time")})
	inProgress := awsstepfunctions.Condition_Or(
		awsstepfunctions.Condition_StringEquals(jsii.String("$.execution.status"), jsii.String("InProgress")),
		awsstepfunctions.Condition_StringEquals(jsii.String("$.execution.status"), jsii.String("Stopping")),
	)
	check := awsstepfunctions.NewChoice(o.Construct, jsii.String("Check"), &awsstepfunctions.ChoiceProps{StateName: jsii.String("Still in progress?")}).
		When(inProgress, tooLong, nil).
		Otherwise(done)

	// Step Functions assumes the role for this state machine only.
	// Source: https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html#prevent-cross-service-confused-deputy
	role := awsiam.NewRole(o.Construct, jsii.String("TimerRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("states.amazonaws.com"), &awsiam.ServicePrincipalOpts{Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceAccount": p.Account},
			"ArnLike":      map[string]interface{}{"aws:SourceArn": machineArn},
		}}),
		Path:        jsii.String(p.RolePath),
		Description: jsii.String("Relay: the execution timer of pipeline " + p.PipelineName + "; reads the pipeline's executions"),
	})
	o.timer = awsstepfunctions.NewStateMachine(o.Construct, jsii.String("Timer"), &awsstepfunctions.StateMachineProps{
		StateMachineName: jsii.String(name),
		StateMachineType: awsstepfunctions.StateMachineType_STANDARD, // waits up to 60 days
		DefinitionBody:   awsstepfunctions.DefinitionBody_FromChainable(wait.Next(get).Next(check)),
		Role:             role,
		Comment:          jsii.String(fmt.Sprintf("Relay: fails when an execution of pipeline %s runs longer than %d minutes", p.PipelineName, minutes)),
	})
	nag.InlinePolicy(role, "The execution timer's role of pipeline "+p.PipelineName+": Step Functions assumes it for this state machine only, to read the pipeline's executions.")
	nag.Suppress(o.timer,
		nag.Suppression{Rule: "AwsSolutions-SF1", Reason: "The timer's only outcome is its execution status: a failure raises the long-executions alarm and names the pipeline execution in its cause; Step Functions keeps that history for 90 days, and the pipeline's own events are logged in the events log group."},
		nag.Suppression{Rule: "AwsSolutions-SF2", Reason: "The timer makes one read-only CodePipeline call after a wait; there is no request path across services to trace."})

	// EventBridge starts the timer with a role that only this rule may
	// assume and that may only start this state machine.
	// Source: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html
	ruleName := o.name(ruleTimer)
	starter := awsiam.NewRole(o.Construct, jsii.String("TimerStarter"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), &awsiam.ServicePrincipalOpts{Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceAccount": p.Account},
			"ArnEquals":    map[string]interface{}{"aws:SourceArn": o.arn("events", "rule/"+ruleName)},
		}}),
		Path:        jsii.String(p.RolePath),
		Description: jsii.String("Relay: starts the execution timer of pipeline " + p.PipelineName),
	})
	o.timer.GrantStartExecution(starter)
	nag.InlinePolicy(starter, "The execution timer's starter role of pipeline "+p.PipelineName+": only the rule "+ruleName+" assumes it, to start the timer.")
	rule := o.newRule(ruleTimer, Patterns(p)[ruleTimer], "Relay: starts the execution timer when an execution of pipeline "+p.PipelineName+" starts or resumes")
	rule.AddTarget(&target{
		arn:   *o.timer.StateMachineArn(),
		input: awsevents.RuleTargetInput_FromObject(map[string]interface{}{"executionId": *awsevents.EventField_FromPath(jsii.String(fieldExecution))}),
		role:  starter,
	})
}
