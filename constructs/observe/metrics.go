package observe

import (
	"fmt"
	"strings"
)

// Where the dashboard's numbers come from. CodePipeline publishes no
// execution counts or durations to CloudWatch (names such as
// PipelineExecutionSuccessCount are not CloudWatch metrics); Relay counts
// executions from the pipeline's EventBridge events with metric filters,
// and computes durations with Logs Insights queries that pair each
// execution's first and last event by execution ID.
const (
	// CodeBuildMetricsDoc documents AWS/CodeBuild Duration (seconds) and
	// FailedBuilds (count) per ProjectName.
	CodeBuildMetricsDoc = "https://docs.aws.amazon.com/codebuild/latest/userguide/cloudwatch_metrics-codebuild.html"
	// StatesMetricsDoc documents AWS/States ExecutionsFailed per
	// StateMachineArn (the execution timer fails when an execution runs
	// too long).
	StatesMetricsDoc = "https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html"
	// EventsMetricsDoc documents AWS/Events FailedInvocations per RuleName
	// (a notification EventBridge could not deliver).
	EventsMetricsDoc = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html"
	// RelayNamespace holds the execution counts Relay's metric filters
	// publish, with the dimension PipelineName.
	RelayNamespace = "Relay/CodePipeline"
)

// ExecutionMetric is a count of pipeline executions that Relay produces: a
// metric filter on the events log group adds 1 for each pipeline-level
// event in one of States.
type ExecutionMetric struct {
	Name   string
	States []string
}

// ExecutionMetrics are the execution counts, in dashboard order.
var ExecutionMetrics = []ExecutionMetric{
	{"StartedExecutions", []string{"STARTED"}},
	{"SucceededExecutions", []string{"SUCCEEDED"}},
	{"FailedExecutions", []string{"FAILED"}},
	{"StoppedExecutions", stoppedStates},
}

// FilterPattern is m's metric filter pattern for pipeline: pipeline-level
// events carry no detail.stage (stage and action events do).
// Syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
func (m ExecutionMetric) FilterPattern(pipeline string) string {
	states := make([]string, len(m.States))
	for i, s := range m.States {
		states[i] = fmt.Sprintf("($.detail.state = %q)", s)
	}
	return fmt.Sprintf("{ ($.detail.pipeline = %q) && (%s) && ($.detail.stage NOT EXISTS) }", pipeline, strings.Join(states, " || "))
}

// Logs Insights queries of the dashboard. Each pairs the first and the last
// event of one execution (or of one execution's stage or approval) by
// execution ID; a row whose result is still STARTED is in progress.
// Syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html

// quote renders v as a Logs Insights string literal.
func quote(v string) string { return fmt.Sprintf("%q", v) }

// inList renders vs as a Logs Insights list.
func inList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = quote(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// ExecutionDurationQuery lists recent executions of pipeline with their
// duration in minutes, from STARTED to the last state change.
func ExecutionDurationQuery(pipeline string) string {
	return strings.Join([]string{
		fmt.Sprintf("filter `detail-type` = %s and detail.pipeline = %s", quote(pipelineDetailType), quote(pipeline)),
		"stats min(@timestamp) as started, (max(@timestamp) - min(@timestamp)) / 60000 as minutes, latest(detail.state) as result by `detail.execution-id` as execution",
		"sort started desc",
		"limit 50",
	}, "\n| ")
}

// DeploymentDurationQuery lists, per deploy stage and execution, the
// minutes from the first deploy action's start to the last action's end,
// approvals excluded: the deployment duration of the environments of that
// stage.
func DeploymentDurationQuery(pipeline string, stages []string) string {
	return strings.Join([]string{
		fmt.Sprintf("filter `detail-type` = %s and detail.pipeline = %s and detail.stage in %s and detail.type.category != %s",
			quote(actionDetailType), quote(pipeline), inList(stages), quote("Approval")),
		"stats min(@timestamp) as started, (max(@timestamp) - min(@timestamp)) / 60000 as minutes, latest(detail.state) as result by detail.stage as stage, `detail.execution-id` as execution",
		"sort started desc",
		"limit 100",
	}, "\n| ")
}

// ApprovalsWaitingQuery lists the approvals of pipeline whose latest state
// is STARTED: waiting, oldest first, with the time they were requested.
func ApprovalsWaitingQuery(pipeline string) string {
	return strings.Join([]string{
		fmt.Sprintf("filter `detail-type` = %s and detail.pipeline = %s and detail.type.category = %s",
			quote(actionDetailType), quote(pipeline), quote("Approval")),
		"stats min(@timestamp) as requested, latest(detail.state) as state by detail.stage as stage, detail.action as approval, `detail.execution-id` as execution",
		`filter state = "STARTED"`,
		"sort requested asc",
	}, "\n| ")
}

// ApprovalWaitQuery lists decided approvals of pipeline with how long each
// waited, in minutes.
func ApprovalWaitQuery(pipeline string) string {
	return strings.Join([]string{
		fmt.Sprintf("filter `detail-type` = %s and detail.pipeline = %s and detail.type.category = %s",
			quote(actionDetailType), quote(pipeline), quote("Approval")),
		"stats min(@timestamp) as requested, (max(@timestamp) - min(@timestamp)) / 60000 as waitedMinutes, latest(detail.state) as result by detail.stage as stage, detail.action as approval, `detail.execution-id` as execution",
		`filter result != "STARTED"`,
		"sort requested desc",
		"limit 50",
	}, "\n| ")
}

// FailuresQuery lists the latest failed actions of pipeline with the
// provider's summary.
func FailuresQuery(pipeline string) string {
	return strings.Join([]string{
		fmt.Sprintf("filter `detail-type` = %s and detail.pipeline = %s and detail.state = %s",
			quote(actionDetailType), quote(pipeline), quote("FAILED")),
		"fields @timestamp, detail.stage as stage, detail.action as action, `detail.execution-result.external-execution-summary` as summary, `detail.execution-id` as execution",
		"sort @timestamp desc",
		"limit 20",
	}, "\n| ")
}
