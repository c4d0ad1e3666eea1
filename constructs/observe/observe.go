// Package observe watches a CodePipeline pipeline: it announces its state
// changes to people, counts and times its executions, and raises alarms.
//
// New creates, in the pipeline's account and region:
//   - EventBridge rules on the pipeline's execution, stage and action state
//     changes (failed actions; stages of chosen environments succeeded;
//     approvals waiting; executions stopped, superseded or canceled) whose
//     input transformers say the pipeline, stage, action, execution ID, the
//     failed action's summary and a console link;
//   - a KMS-encrypted SNS topic <Prefix>-alerts with email subscriptions,
//     and, for Slack or Microsoft Teams channels, a topic <Prefix>-chat that
//     receives the same events as AWS Chatbot custom notifications, with
//     AWS Chatbot channel configurations whose role and guardrail may only
//     read CloudWatch;
//   - a log group that receives every event of the pipeline, metric
//     filters that count executions, and a dashboard;
//   - alarms on failed executions, on executions running longer than a set
//     time and on notifications EventBridge could not deliver.
//
// Nothing here runs code of its own: the long-running check is a Step
// Functions state machine that waits, asks CodePipeline for the execution's
// status, and fails when it is still in progress.
package observe

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/hardening"
)

// retention maps the retention periods CloudWatch Logs accepts, in days, to
// aws-cdk-lib's names for them.
var retention = map[int]awslogs.RetentionDays{
	1: awslogs.RetentionDays_ONE_DAY, 3: awslogs.RetentionDays_THREE_DAYS, 5: awslogs.RetentionDays_FIVE_DAYS,
	7: awslogs.RetentionDays_ONE_WEEK, 14: awslogs.RetentionDays_TWO_WEEKS, 30: awslogs.RetentionDays_ONE_MONTH,
	60: awslogs.RetentionDays_TWO_MONTHS, 90: awslogs.RetentionDays_THREE_MONTHS, 120: awslogs.RetentionDays_FOUR_MONTHS,
	150: awslogs.RetentionDays_FIVE_MONTHS, 180: awslogs.RetentionDays_SIX_MONTHS, 365: awslogs.RetentionDays_ONE_YEAR,
	400: awslogs.RetentionDays_THIRTEEN_MONTHS, 545: awslogs.RetentionDays_EIGHTEEN_MONTHS, 731: awslogs.RetentionDays_TWO_YEARS,
	1096: awslogs.RetentionDays_THREE_YEARS, 1827: awslogs.RetentionDays_FIVE_YEARS, 2192: awslogs.RetentionDays_SIX_YEARS,
	2557: awslogs.RetentionDays_SEVEN_YEARS, 2922: awslogs.RetentionDays_EIGHT_YEARS, 3288: awslogs.RetentionDays_NINE_YEARS,
	3653: awslogs.RetentionDays_TEN_YEARS,
}

// Observer is the notifications, metrics, dashboard and alarms of one
// pipeline.
type Observer struct {
	constructs.Construct
	props    Props
	key      awskms.Key
	alerts   awssns.Topic
	chat     awssns.Topic
	logGroup awslogs.LogGroup
	rules    map[string]awsevents.Rule
	alarms   []awscloudwatch.Alarm
	// alarmNames are the alarms' physical names, known at synth.
	alarmNames []string
	dashboard  awscloudwatch.Dashboard
	timer      awsstepfunctions.StateMachine
	chatRole   awsiam.Role
}

// New creates the Observer of props.PipelineName. It panics with every
// problem of props listed when props are invalid; call props.Validate
// first to handle the error yourself.
func New(scope constructs.Construct, id string, props *Props) *Observer {
	if props == nil {
		props = &Props{}
	}
	if err := props.Validate(); err != nil {
		panic(err)
	}
	p := props.withDefaults()
	o := &Observer{Construct: constructs.NewConstruct(scope, &id), props: p, rules: map[string]awsevents.Rule{}}

	o.newTopics()
	o.newEventLog()
	o.newNotificationRules()
	if p.Notifications.hasChat() {
		o.newChatChannels()
	}
	o.newAlarms()
	if !p.NoDashboard {
		o.newDashboard()
	}
	o.allowPublishers()
	return o
}

// name is the physical name <Prefix>-<kind>.
func (o *Observer) name(kind string) string { return o.props.Prefix + "-" + kind }

// arn formats an ARN of the pipeline's account and region.
func (o *Observer) arn(service, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", o.props.Partition, service, o.props.Region, o.props.Account, resource)
}

// pipelineArn is the watched pipeline's ARN.
func (o *Observer) pipelineArn() string { return o.arn("codepipeline", o.props.PipelineName) }

// topicNames are the names of the topics the key encrypts.
func (o *Observer) topicNames() []string {
	out := []string{o.name("alerts")}
	if o.props.Notifications.hasChat() {
		out = append(out, o.name("chat"))
	}
	return out
}

// newRule creates the rule <Prefix>-<kind> with the pattern of kind.
func (o *Observer) newRule(kind string, pat Pattern, description string) awsevents.Rule {
	detail := map[string]interface{}{"pipeline": []interface{}{o.props.PipelineName}}
	for k, v := range pat.Detail {
		detail[k] = v
	}
	r := awsevents.NewRule(o.Construct, jsii.String("Rule-"+kind), &awsevents.RuleProps{
		RuleName:    jsii.String(o.name(kind)),
		Description: jsii.String(description),
		EventPattern: &awsevents.EventPattern{
			Source:     jsii.Strings(eventSource),
			DetailType: jsii.Strings(pat.DetailTypes...),
			Detail:     &detail,
		},
	})
	o.rules[kind] = r
	return r
}

// newEventLog creates the log group of every event of the pipeline, the
// rule that fills it and the metric filters that count executions.
func (o *Observer) newEventLog() {
	p := o.props
	o.logGroup = awslogs.NewLogGroup(o.Construct, jsii.String("Events"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String(p.LogGroupName),
		Retention:     retention[p.EventRetentionDays],
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
		EncryptionKey: o.key,
	})
	// The topics' key encrypts the events too; CloudWatch Logs may use it
	// for this log group only.
	hardening.AdmitLogs(o.key, "CloudWatchLogsEncryptsPipelineEvents", o.arn("logs", "log-group:"+p.LogGroupName))
	// EventBridge writes to CloudWatch Logs under the log group's resource
	// policy (it takes no role for this target), which aws-cdk-lib's
	// CloudWatchLogGroup target would set through a Lambda-backed custom
	// resource; an AWS::Logs::ResourcePolicy does the same without code.
	// Source: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-cloudwatchlogs-permissions
	o.logGroup.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("EventBridgeWritesPipelineEvents"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil), awsiam.NewServicePrincipal(jsii.String("delivery.logs.amazonaws.com"), nil)},
		Actions:    jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
		Resources:  jsii.Strings(o.arn("logs", "log-group:"+p.LogGroupName+":*")),
	}))
	rule := o.newRule(ruleEvents, Patterns(p)[ruleEvents], "Relay: every state change of pipeline "+p.PipelineName+", for its metrics and dashboard")
	rule.AddTarget(&target{arn: o.arn("logs", "log-group:"+p.LogGroupName)})

	for _, m := range ExecutionMetrics {
		awslogs.NewMetricFilter(o.Construct, jsii.String("Metric-"+m.Name), &awslogs.MetricFilterProps{
			LogGroup:        o.logGroup,
			FilterName:      jsii.String(o.name(m.Name)),
			FilterPattern:   awslogs.FilterPattern_Literal(jsii.String(m.FilterPattern(p.PipelineName))),
			MetricNamespace: jsii.String(RelayNamespace),
			MetricName:      jsii.String(m.Name),
			MetricValue:     jsii.String("1"),
			Dimensions:      &map[string]*string{"PipelineName": jsii.String("$.detail.pipeline")},
			Unit:            awscloudwatch.Unit_COUNT,
		})
	}
}

// ExecutionMetric is the Relay-produced count name of ExecutionMetrics for
// this pipeline, summed over period.
func (o *Observer) ExecutionMetric(name string, period awscdk.Duration) awscloudwatch.Metric {
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace:     jsii.String(RelayNamespace),
		MetricName:    jsii.String(name),
		DimensionsMap: &map[string]*string{"PipelineName": jsii.String(o.props.PipelineName)},
		Statistic:     jsii.String("Sum"),
		Period:        period,
	})
}

// AlertsTopic is the KMS-encrypted topic <Prefix>-alerts that receives the
// notifications as text and every alarm; the emails are subscribed to it.
func (o *Observer) AlertsTopic() awssns.Topic { return o.alerts }

// ChatTopic is the topic <Prefix>-chat that feeds the chat channels (AWS
// Chatbot custom notifications and the alarms), or nil without channels.
func (o *Observer) ChatTopic() awssns.Topic { return o.chat }

// Key is the KMS key that encrypts the topics.
func (o *Observer) Key() awskms.Key { return o.key }

// LogGroup receives every event of the pipeline.
func (o *Observer) LogGroup() awslogs.LogGroup { return o.logGroup }

// Rule is the EventBridge rule of kind (events, failed, failed-nosummary,
// succeeded, approval-waiting, stopped, execution-timer), or nil.
func (o *Observer) Rule(kind string) awsevents.Rule { return o.rules[kind] }

// Alarms are the alarms, in creation order.
func (o *Observer) Alarms() []awscloudwatch.Alarm { return o.alarms }

// AlarmNames are the alarms' names, in creation order:
// <Prefix>-failed-executions, <Prefix>-long-executions (with
// Alarms.MaxExecutionMinutes) and <Prefix>-notification-failures.
func (o *Observer) AlarmNames() []string { return append([]string(nil), o.alarmNames...) }

// Dashboard is the dashboard <Prefix>-pipeline, or nil with NoDashboard.
func (o *Observer) Dashboard() awscloudwatch.Dashboard { return o.dashboard }

// ChatRole is the role of the AWS Chatbot channels, or nil without them.
func (o *Observer) ChatRole() awsiam.Role { return o.chatRole }

// ExecutionTimer is the state machine that fails for executions running
// longer than Alarms.MaxExecutionMinutes, or nil when that is not set.
func (o *Observer) ExecutionTimer() awsstepfunctions.StateMachine { return o.timer }
