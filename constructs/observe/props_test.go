package observe_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/observe"
	"github.com/relaycdk/relay/constructs/relaytest"
)

const (
	teamID    = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
	tenantID  = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5e"
	channelID = "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2"
)

// props is a valid configuration with every feature.
func props() *observe.Props {
	return &observe.Props{
		PipelineName:  "payments",
		Partition:     "aws",
		Account:       "111111111111",
		Region:        "us-east-1",
		RolePath:      "/relay/payments/",
		KeyAlias:      "alias/relay/payments/alerts",
		LogGroupName:  "/relay/payments/events",
		BuildProjects: []string{"payments-build", "payments-test-unit"},
		Environments: []observe.Environment{
			{Name: "staging", Stages: []string{"Deploy-staging"}},
			{Name: "prod-us", Stages: []string{"Deploy-production"}},
			{Name: "prod-eu", Stages: []string{"Deploy-production"}},
		},
		Notifications: observe.Notifications{
			Emails:                []string{"ops@example.com"},
			Slack:                 []observe.SlackChannel{{WorkspaceID: "T0123ABCD45", ChannelID: "C0123ABCD45"}},
			Teams:                 []observe.TeamsChannel{{TeamID: teamID, TenantID: tenantID, ChannelID: channelID}},
			SucceededEnvironments: []string{"prod-us"},
		},
		Alarms: observe.Alarms{MaxExecutionMinutes: 240},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *observe.Props)
		want   []string
	}{
		{"valid", func(p *observe.Props) {}, nil},
		{"the zero value names what is required", func(p *observe.Props) { *p = observe.Props{} }, []string{
			`PipelineName "": required; 1 to 100 letters, digits and . @ - _`,
			`Partition "": must be aws, aws-cn or aws-us-gov`,
			`Account "": must be the 12-digit account ID of the pipeline (no token: the key policy and console links need it at synth)`,
			`Region "": must be the pipeline's region, such as us-east-1 (no token)`,
		}},
		{"a prefix too long for rule names", func(p *observe.Props) { p.Prefix = strings.Repeat("a", 41) }, []string{
			`Prefix "` + strings.Repeat("a", 41) + `": must be 1 to 40 letters, digits and hyphens, not starting or ending with a hyphen (it starts rule names, which EventBridge limits to 64 characters); set Prefix when PipelineName does not fit`,
		}},
		{"an email that is not an address", func(p *observe.Props) { p.Notifications.Emails = []string{"ops at example.com"} }, []string{
			`Notifications.Emails[0] "ops at example.com": must be an email address, such as ops@example.com`,
		}},
		{"a Slack channel name instead of its ID", func(p *observe.Props) { p.Notifications.Slack[0].ChannelID = "#deploys" }, []string{
			`Notifications.Slack[0].ChannelID "#deploys": must be the channel ID, not its name or link: in Slack open the channel details and copy the ID at the bottom, such as C0123ABCD45`,
			`Notifications.Slack[0].Name "payments-#deploys": must be 1 to 128 letters, digits, - and _ (an AWS Chatbot configuration name)`,
		}},
		{"a Teams channel ID not URL-encoded", func(p *observe.Props) {
			p.Notifications.Teams[0].ChannelID = "19:b6ef35dc342d56ba5654e6fc6d25a071@thread.tacv2"
		}, []string{
			`Notifications.Teams[0].ChannelID "19:b6ef35dc342d56ba5654e6fc6d25a071@thread.tacv2": must be URL-encoded as in the channel link: write "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2"`,
		}},
		{"a Teams channel listed twice", func(p *observe.Props) {
			p.Notifications.Teams = append(p.Notifications.Teams, p.Notifications.Teams[0])
		}, []string{
			`Notifications.Teams[1].ChannelID "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2": also the channel of Notifications.Teams[0].ChannelID, which would post every message twice; remove one`,
		}},
		{"a Slack channel listed twice under two names", func(p *observe.Props) {
			p.Notifications.Slack = append(p.Notifications.Slack, observe.SlackChannel{WorkspaceID: "T0123ABCD45", ChannelID: "C0123ABCD45", Name: "second"})
		}, []string{
			`Notifications.Slack[1].ChannelID "C0123ABCD45": also the channel of Notifications.Slack[0].ChannelID, which would post every message twice; remove one`,
		}},
		{"chat outside the aws partition", func(p *observe.Props) { p.Partition, p.Region = "aws-cn", "cn-north-1" }, []string{
			`Notifications.Slack "aws-cn": AWS Chatbot is not available in partition aws-cn; use Emails`,
		}},
		{"a notification for an environment that does not exist", func(p *observe.Props) {
			p.Notifications.SucceededEnvironments = []string{"production"}
		}, []string{
			`Notifications.SucceededEnvironments[0] "production": is not one of Environments; name an environment the pipeline deploys`,
		}},
		{"an unknown event", func(p *observe.Props) { p.Notifications.Events = []observe.Event{"succeeded"} }, []string{
			`Notifications.Events[0] "succeeded": must be one of failed, approval-waiting and stopped`,
		}},
		{"alarm thresholds out of range", func(p *observe.Props) {
			p.Alarms = observe.Alarms{FailedExecutions: 101, FailedPeriodMinutes: 1441, MaxExecutionMinutes: 4}
		}, []string{
			`Alarms.FailedExecutions "101": must be from 1 to 100 failed executions per period (0 means the default 1)`,
			`Alarms.FailedPeriodMinutes "1441": must be from 1 to 1440 minutes: CloudWatch evaluates an alarm over at most one day (0 means the default 60)`,
			`Alarms.MaxExecutionMinutes "4": must be from 5 to 86400 minutes (60 days), or 0 for no long-executions alarm`,
		}},
		{"two channels with one configuration name", func(p *observe.Props) { p.Notifications.Teams[0].Name = "payments-C0123ABCD45" }, []string{
			`Notifications.Teams[0].Name "payments-C0123ABCD45": duplicate of Notifications.Slack[0].Name; give each channel its own configuration name`,
		}},
		{"a chat topic of another account", func(p *observe.Props) {
			p.Notifications.ChatTopicArns = []string{"arn:aws:sns:us-east-1:222222222222:payments-production-approval"}
		}, []string{
			`Notifications.ChatTopicArns[0] "arn:aws:sns:us-east-1:222222222222:payments-production-approval": must be the ARN of an SNS topic in the pipeline's account and region`,
		}},
		{"a stage name that CodePipeline refuses", func(p *observe.Props) {
			p.Environments[0].Stages = []string{`Deploy "staging" | now`}
		}, []string{
			`Environments[0].Stages[0] "Deploy \"staging\" | now": must be a CodePipeline stage name: 1 to 100 letters, digits and . @ - _`,
		}},
		{"an environment without stages and a bad retention", func(p *observe.Props) {
			p.Environments = append(p.Environments, observe.Environment{Name: "qa"})
			p.EventRetentionDays = 100
		}, []string{
			`EventRetentionDays "100": must be one of the retention periods CloudWatch Logs accepts, such as 30, 90, 365 or 3653`,
			`Environments[3].Stages "": required; list the stages that deploy qa`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := props()
			tt.mutate(p)
			relaytest.ValidateError(t, p.Validate(), "observe.Props: ", tt.want)
		})
	}
}

func TestPatterns(t *testing.T) {
	type m = map[string]interface{}
	type l = []interface{}
	got := map[string]interface{}{}
	for kind, p := range observe.Patterns(*props()) {
		got[kind] = p.JSON("payments")
	}
	base := func(types l, detail m) m {
		detail["pipeline"] = l{"payments"}
		return m{"source": l{"aws.codepipeline"}, "detail-type": types, "detail": detail}
	}
	const (
		pipelineEvent = "CodePipeline Pipeline Execution State Change"
		stageEvent    = "CodePipeline Stage Execution State Change"
		actionEvent   = "CodePipeline Action Execution State Change"
	)
	failed := func(summary bool) m {
		return base(l{actionEvent}, m{"state": l{"FAILED"},
			"execution-result": m{"external-execution-summary": l{m{"exists": summary}}}})
	}
	want := map[string]interface{}{
		"events":           base(l{pipelineEvent, stageEvent, actionEvent}, m{}),
		"failed":           failed(true),
		"failed-nosummary": failed(false),
		// prod-us shares its stage with prod-eu: the stage's success is
		// the deployment of both.
		"succeeded":        base(l{stageEvent}, m{"state": l{"SUCCEEDED"}, "stage": l{"Deploy-production"}}),
		"approval-waiting": base(l{actionEvent}, m{"state": l{"STARTED"}, "type": m{"category": l{"Approval"}}}),
		"stopped":          base(l{pipelineEvent}, m{"state": l{"STOPPED", "SUPERSEDED", "CANCELED"}}),
		"execution-timer":  base(l{pipelineEvent}, m{"state": l{"STARTED", "RESUMED"}}),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Patterns (-want +got):\n%s", diff)
	}

	// Events choose the rules; the log and timer rules stay.
	p := props()
	p.Notifications.Events = []observe.Event{observe.EventFailed}
	p.Notifications.SucceededEnvironments = nil
	p.Alarms.MaxExecutionMinutes = 0
	var kinds []string
	for k := range observe.Patterns(*p) {
		kinds = append(kinds, k)
	}
	if diff := cmp.Diff([]string{"events", "failed", "failed-nosummary"}, sorted(kinds)); diff != "" {
		t.Errorf("rules with Events [failed] (-want +got):\n%s", diff)
	}
}

func TestMessages(t *testing.T) {
	field := func(path string) string { return "<" + path + ">" }
	msgs := observe.Messages(*props(), field)
	link := "https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/payments/executions/<$.detail.execution-id>/timeline?region=us-east-1"
	// The failure says pipeline, stage, action, execution ID and the
	// console link, in the email and in chat; the email also the summary.
	f := msgs["failed"]
	for _, part := range []string{"payments", "<$.detail.stage>", "<$.detail.action>", "<$.detail.execution-id>", link} {
		if !strings.Contains(f.Text, part) {
			t.Errorf("failed text %q lacks %q", f.Text, part)
		}
		if !strings.Contains(f.Title+f.Description, part) {
			t.Errorf("failed chat message %q / %q lacks %q", f.Title, f.Description, part)
		}
	}
	if summary := "<$.detail.execution-result.external-execution-summary>"; !strings.Contains(f.Text, summary) {
		t.Errorf("failed text %q lacks %q", f.Text, summary)
	}
	// A chat message is a JSON document into which EventBridge puts the
	// values unescaped: it uses only fields whose values cannot break it
	// (not the provider's free-text summary, which often holds quotes).
	placeholder := regexp.MustCompile(`<(\$[^>]*)>`)
	for kind, msg := range msgs {
		for _, p := range placeholder.FindAllStringSubmatch(msg.Title+msg.Description, -1) {
			if !slices.Contains(observe.ChatFields, p[1]) {
				t.Errorf("%s: chat message uses %s, which may hold quotes; use only %v", kind, p[1], observe.ChatFields)
			}
		}
	}
	// A rule uses only fields its pattern guarantees.
	if strings.Contains(msgs["failed-nosummary"].Text+msgs["failed-nosummary"].Description, "summary") {
		t.Errorf("failed-nosummary uses the summary: %+v", msgs["failed-nosummary"])
	}
	stopped := msgs["stopped"]
	if strings.Contains(stopped.Text+stopped.Title+stopped.Description, "$.detail.stage") {
		t.Errorf("stopped (a pipeline-level event) uses the stage: %+v", stopped)
	}
	for kind, m := range msgs {
		if !strings.Contains(m.Text, link) || !strings.Contains(m.Description, link) {
			t.Errorf("%s: no console link in %+v", kind, m)
		}
	}
}

func TestConsoleHost(t *testing.T) {
	for _, tt := range []struct{ partition, region, want string }{
		{"aws", "eu-west-1", "eu-west-1.console.aws.amazon.com"},
		{"aws-cn", "cn-north-1", "console.amazonaws.cn"},
		{"aws-us-gov", "us-gov-west-1", "console.amazonaws-us-gov.com"},
	} {
		if got := observe.ConsoleHost(tt.partition, tt.region); got != tt.want {
			t.Errorf("ConsoleHost(%s, %s) = %s, want %s", tt.partition, tt.region, got, tt.want)
		}
	}
}

func TestQueries(t *testing.T) {
	tests := []struct {
		name, query string
		want        []string
	}{
		{"deployment duration pairs action events by stage and execution, without approvals", observe.DeploymentDurationQuery("payments", []string{"Deploy-production", "Deploy-staging"}), []string{
			"filter `detail-type` = \"CodePipeline Action Execution State Change\" and detail.pipeline = \"payments\" and detail.stage in [\"Deploy-production\", \"Deploy-staging\"] and detail.type.category != \"Approval\"",
			"(max(@timestamp) - min(@timestamp)) / 60000 as minutes",
			"by detail.stage as stage, `detail.execution-id` as execution",
		}},
		{"execution duration pairs pipeline events by execution", observe.ExecutionDurationQuery("payments"), []string{
			"filter `detail-type` = \"CodePipeline Pipeline Execution State Change\" and detail.pipeline = \"payments\"",
			"by `detail.execution-id` as execution",
		}},
		{"approvals waiting are those whose latest state is STARTED", observe.ApprovalsWaitingQuery("payments"), []string{
			"detail.type.category = \"Approval\"", "latest(detail.state) as state", "| filter state = \"STARTED\"", "sort requested asc",
		}},
		{"failures show the provider's summary", observe.FailuresQuery("payments"), []string{
			"detail.state = \"FAILED\"", "`detail.execution-result.external-execution-summary` as summary",
		}},
	}
	for _, tt := range tests {
		for _, w := range tt.want {
			if !strings.Contains(tt.query, w) {
				t.Errorf("%s: query\n%s\nlacks %q", tt.name, tt.query, w)
			}
		}
	}
	// Metric filters count pipeline-level events only.
	want := `{ ($.detail.pipeline = "payments") && (($.detail.state = "STOPPED") || ($.detail.state = "SUPERSEDED") || ($.detail.state = "CANCELED")) && ($.detail.stage NOT EXISTS) }`
	if got := observe.ExecutionMetrics[3].FilterPattern("payments"); got != want {
		t.Errorf("StoppedExecutions pattern = %s, want %s", got, want)
	}
}
