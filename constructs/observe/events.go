package observe

import (
	"fmt"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// CodePipeline's EventBridge detail types and the states Relay reacts to.
// Source: https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
// and https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-codepipeline.html
const (
	eventSource        = "aws.codepipeline"
	pipelineDetailType = "CodePipeline Pipeline Execution State Change"
	stageDetailType    = "CodePipeline Stage Execution State Change"
	actionDetailType   = "CodePipeline Action Execution State Change"
)

// Event fields, as JSON paths into a CodePipeline event. A failed action's
// event carries the provider's summary under
// detail.execution-result.external-execution-summary.
const (
	fieldExecution = "$.detail.execution-id"
	fieldStage     = "$.detail.stage"
	fieldAction    = "$.detail.action"
	fieldState     = "$.detail.state"
	fieldSummary   = "$.detail.execution-result.external-execution-summary"
)

// Rule kinds: each is one EventBridge rule named <Prefix>-<kind>.
const (
	ruleEvents          = "events"
	ruleFailed          = "failed"
	ruleFailedNoSummary = "failed-nosummary"
	ruleSucceeded       = "succeeded"
	ruleApprovalWaiting = "approval-waiting"
	ruleStopped         = "stopped"
	ruleTimer           = "execution-timer"
)

var stoppedStates = []string{"STOPPED", "SUPERSEDED", "CANCELED"}

// Pattern is an EventBridge event pattern as plain data.
type Pattern struct {
	DetailTypes []string
	Detail      map[string]interface{}
}

// JSON is p as EventBridge reads it, for tests and documentation.
func (p Pattern) JSON(pipeline string) map[string]interface{} {
	detail := map[string]interface{}{"pipeline": []interface{}{pipeline}}
	for k, v := range p.Detail {
		detail[k] = v
	}
	return map[string]interface{}{
		"source":      []interface{}{eventSource},
		"detail-type": strs(p.DetailTypes),
		"detail":      detail,
	}
}

func strs(v []string) []interface{} {
	out := make([]interface{}, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}

// Patterns are the event patterns of the rules that p creates, by rule
// kind; every pattern also matches source aws.codepipeline and the
// pipeline's name.
func Patterns(p Props) map[string]Pattern {
	p = p.withDefaults()
	n := p.Notifications
	out := map[string]Pattern{
		// Every state change of the pipeline goes to the log group.
		ruleEvents: {DetailTypes: []string{pipelineDetailType, stageDetailType, actionDetailType}},
	}
	if n.announces(EventFailed) {
		// Two rules, so that a failure without a provider summary is
		// announced without an empty reason.
		failed := func(summary bool) Pattern {
			return Pattern{DetailTypes: []string{actionDetailType}, Detail: map[string]interface{}{
				"state": []interface{}{"FAILED"},
				"execution-result": map[string]interface{}{
					"external-execution-summary": []interface{}{map[string]interface{}{"exists": summary}},
				},
			}}
		}
		out[ruleFailed], out[ruleFailedNoSummary] = failed(true), failed(false)
	}
	if stages := succeededStages(p); len(stages) > 0 {
		out[ruleSucceeded] = Pattern{DetailTypes: []string{stageDetailType}, Detail: map[string]interface{}{
			"state": []interface{}{"SUCCEEDED"},
			"stage": strs(stages),
		}}
	}
	if n.announces(EventApprovalWaiting) {
		out[ruleApprovalWaiting] = Pattern{DetailTypes: []string{actionDetailType}, Detail: map[string]interface{}{
			"state": []interface{}{"STARTED"},
			"type":  map[string]interface{}{"category": []interface{}{"Approval"}},
		}}
	}
	if n.announces(EventStopped) {
		out[ruleStopped] = Pattern{DetailTypes: []string{pipelineDetailType}, Detail: map[string]interface{}{
			"state": strs(stoppedStates),
		}}
	}
	if p.Alarms.MaxExecutionMinutes > 0 {
		out[ruleTimer] = Pattern{DetailTypes: []string{pipelineDetailType}, Detail: map[string]interface{}{
			"state": []interface{}{"STARTED", "RESUMED"},
		}}
	}
	return out
}

// succeededStages are the last stages of the environments whose success is
// announced: an environment has deployed when its last stage succeeds.
func succeededStages(p Props) []string {
	var out []string
	for _, name := range p.Notifications.SucceededEnvironments {
		for _, e := range p.Environments {
			if e.Name == name && len(e.Stages) > 0 {
				out = append(out, e.Stages[len(e.Stages)-1])
			}
		}
	}
	return values.SortedUnique(out)
}

// ConsoleHost is the AWS console's host for region in partition.
func ConsoleHost(partition, region string) string {
	switch partition {
	case "aws-cn":
		return "console.amazonaws.cn"
	case "aws-us-gov":
		return "console.amazonaws-us-gov.com"
	}
	return region + ".console.aws.amazon.com"
}

// ExecutionURL links to an execution of pipeline in the CodePipeline
// console; execution may be an EventBridge placeholder.
func ExecutionURL(partition, region, pipeline, execution string) string {
	return fmt.Sprintf("https://%s/codesuite/codepipeline/pipelines/%s/executions/%s/timeline?region=%s",
		ConsoleHost(partition, region), pipeline, execution, region)
}

// Message is the notification of one rule: Text for email, Title and
// Description for a chat channel.
type Message struct {
	Text, Title, Description string
}

// Messages are the notifications of the rules that announce events, by
// rule kind. field renders an event field (a JSON path) as the input
// transformer's placeholder; the texts use only fields that the rule's
// pattern guarantees.
//
// Title and Description, which land in a JSON document (the AWS Chatbot
// custom notification), use only ChatFields: EventBridge does not escape
// the values it puts into an input template, and the provider's summary is
// free text that often holds quotes (a failed command, a CloudFormation
// error), which would break the document and make Chatbot drop it. The
// email Text carries the summary; the chat message links to the
// execution, whose console page shows it.
// Source: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html#eb-transform-input-issues
func Messages(p Props, field func(path string) string) map[string]Message {
	p = p.withDefaults()
	name := p.PipelineName
	id := field(fieldExecution)
	link := ExecutionURL(p.Partition, p.Region, name, id)
	where := fmt.Sprintf("stage %s, action %s", field(fieldStage), field(fieldAction))
	out := map[string]Message{
		ruleFailed: {
			Text: fmt.Sprintf("Pipeline %s failed in %s (execution %s).\nReason: %s\nOpen the execution: %s",
				name, where, id, field(fieldSummary), link),
			Title:       fmt.Sprintf(":x: %s failed in %s", name, field(fieldStage)),
			Description: fmt.Sprintf("Action *%s* failed in execution `%s`; the reason is on the execution's page.\n%s", field(fieldAction), id, link),
		},
		ruleFailedNoSummary: {
			Text:        fmt.Sprintf("Pipeline %s failed in %s (execution %s).\nOpen the execution: %s", name, where, id, link),
			Title:       fmt.Sprintf(":x: %s failed in %s", name, field(fieldStage)),
			Description: fmt.Sprintf("Action *%s* failed in execution `%s`.\n%s", field(fieldAction), id, link),
		},
		ruleSucceeded: {
			Text:        fmt.Sprintf("Pipeline %s deployed: stage %s succeeded (execution %s).\nOpen the execution: %s", name, field(fieldStage), id, link),
			Title:       fmt.Sprintf(":white_check_mark: %s deployed %s", name, field(fieldStage)),
			Description: fmt.Sprintf("Stage *%s* succeeded in execution `%s`.\n%s", field(fieldStage), id, link),
		},
		ruleApprovalWaiting: {
			Text:        fmt.Sprintf("Pipeline %s waits for approval %s in stage %s (execution %s).\nReview, then approve or reject: %s", name, field(fieldAction), field(fieldStage), id, link),
			Title:       fmt.Sprintf(":hourglass: %s waits for approval in %s", name, field(fieldStage)),
			Description: fmt.Sprintf("Approval *%s* is waiting in execution `%s`.\nReview, then approve or reject: %s", field(fieldAction), id, link),
		},
		ruleStopped: {
			Text:        fmt.Sprintf("Pipeline %s execution %s ended as %s.\nOpen the execution: %s", name, id, field(fieldState), link),
			Title:       fmt.Sprintf(":octagonal_sign: %s execution ended as %s", name, field(fieldState)),
			Description: fmt.Sprintf("Execution `%s` ended as *%s*: stopped, superseded by a newer execution, or canceled by a pipeline update.\n%s", id, field(fieldState), link),
		},
	}
	return out
}

// ChatFields are the event fields a chat message may use: CodePipeline
// restricts their values to letters, digits and . @ - _ (names) or
// hexadecimal and hyphens (execution IDs), so they cannot break the JSON
// document they are put into unescaped.
// Source: https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StageDeclaration.html
var ChatFields = []string{fieldExecution, fieldStage, fieldAction, fieldState}

// chatNotification is an AWS Chatbot custom notification: Chatbot drops
// SNS messages in other shapes.
// Source: https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
func chatNotification(m Message, thread string) map[string]interface{} {
	return map[string]interface{}{
		"version": "1.0",
		"source":  "custom",
		"content": map[string]interface{}{
			"textType":    "client-markdown",
			"title":       m.Title,
			"description": m.Description,
		},
		"metadata": map[string]interface{}{"threadId": thread},
	}
}
