package observe_test

import (
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/observe"
	"github.com/relaycdk/relay/constructs/relaytest"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

type m = map[string]interface{}
type l = []interface{}

func sorted(v []string) []string { sort.Strings(v); return v }

// synth builds an Observer of p in a stack with cdk-nag's AwsSolutions
// pack and returns the template's resources.
func synth(t *testing.T, p *observe.Props) (awscdk.Stack, *observe.Observer, map[string]m) {
	t.Helper()
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Tooling"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String(p.Account), Region: jsii.String(p.Region)},
	})
	var o *observe.Observer
	relaytest.Do(t, "observe.New", func() {
		o = observe.New(stack, "Observe", p)
		compliance.AwsSolutions(stack)
	})
	res := map[string]m{}
	for id, r := range relaytest.JSON(t, stack)["Resources"].(m) {
		res[id] = r.(m)
	}
	return stack, o, res
}

// ofType are the resources of typ, by logical ID.
func ofType(res map[string]m, typ string) map[string]m {
	out := map[string]m{}
	for id, r := range res {
		if r["Type"] == typ {
			out[id] = r
		}
	}
	return out
}

// one is the only resource of typ whose logical ID contains part.
func one(t *testing.T, res map[string]m, typ, part string) m {
	t.Helper()
	var found []m
	for id, r := range ofType(res, typ) {
		if strings.Contains(id, part) {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %s resources with %q in their ID, want 1", len(found), typ, part)
	}
	return found[0]["Properties"].(m)
}

func statements(doc interface{}) []m {
	var out []m
	for _, s := range doc.(m)["Statement"].([]interface{}) {
		out = append(out, s.(m))
	}
	return out
}

func TestRules(t *testing.T) {
	p := props()
	_, o, res := synth(t, p)
	rules := ofType(res, "AWS::Events::Rule")
	byName := map[string]m{}
	for _, r := range rules {
		props := r["Properties"].(m)
		byName[props["Name"].(string)] = props
	}
	for kind, pat := range observe.Patterns(*p) {
		r, ok := byName["payments-"+kind]
		if !ok {
			t.Errorf("no rule payments-%s", kind)
			continue
		}
		if diff := cmp.Diff(pat.JSON("payments"), r["EventPattern"]); diff != "" {
			t.Errorf("payments-%s pattern (-want +got):\n%s", kind, diff)
		}
		if o.Rule(kind) == nil {
			t.Errorf("Rule(%q) = nil", kind)
		}
	}
	if len(rules) != len(observe.Patterns(*p)) {
		t.Errorf("%d rules, want %d", len(rules), len(observe.Patterns(*p)))
	}

	// A failure reaches the alerts topic as text and the chat topic as an
	// AWS Chatbot custom notification, each through an input transformer.
	failed := byName["payments-failed"]["Targets"].([]interface{})
	if len(failed) != 2 {
		t.Fatalf("payments-failed has %d targets, want 2", len(failed))
	}
	// The email has the provider's summary; the chat notification, a JSON
	// document that EventBridge fills without escaping, does not.
	chatPaths := m{
		"detail-action":       "$.detail.action",
		"detail-execution-id": "$.detail.execution-id",
		"detail-stage":        "$.detail.stage",
	}
	emailPaths := m{"detail-execution-result-external-execution-summary": "$.detail.execution-result.external-execution-summary"}
	for k, v := range chatPaths {
		emailPaths[k] = v
	}
	for i, tg := range failed {
		tr := tg.(m)["InputTransformer"].(m)
		if diff := cmp.Diff([]m{emailPaths, chatPaths}[i], tr["InputPathsMap"]); diff != "" {
			t.Errorf("target %d input paths (-want +got):\n%s", i, diff)
		}
		if _, ok := tg.(m)["RoleArn"]; ok {
			t.Errorf("target %d has a role; SNS targets use the topic policy", i)
		}
	}
	text := failed[0].(m)["InputTransformer"].(m)["InputTemplate"].(string)
	if !strings.HasPrefix(text, `"Pipeline payments failed in stage <detail-stage>, action <detail-action> (execution <detail-execution-id>).\nReason: <detail-execution-result-external-execution-summary>`) {
		t.Errorf("email template = %s", text)
	}
	var chat m
	if err := json.Unmarshal([]byte(regexp.MustCompile(`:<([a-z-]+)>`).ReplaceAllString(failed[1].(m)["InputTransformer"].(m)["InputTemplate"].(string), `:"<$1>"`)), &chat); err != nil {
		t.Fatalf("chat template is not JSON: %v", err)
	}
	if chat["version"] != "1.0" || chat["source"] != "custom" || chat["content"].(m)["textType"] != "client-markdown" {
		t.Errorf("chat template is not an AWS Chatbot custom notification: %v", chat)
	}

	// Every event goes to the log group, which EventBridge may write to.
	logRule := byName["payments-events"]["Targets"].([]interface{})[0].(m)
	if logRule["Arn"] != "arn:aws:logs:us-east-1:111111111111:log-group:/relay/payments/events" {
		t.Errorf("events rule target = %v", logRule["Arn"])
	}
	policy := one(t, res, "AWS::Logs::ResourcePolicy", "Observe")
	var doc m
	_ = json.Unmarshal([]byte(policy["PolicyDocument"].(string)), &doc)
	want := []m{{
		"Sid": "EventBridgeWritesPipelineEvents", "Effect": "Allow",
		"Principal": m{"Service": l{"events.amazonaws.com", "delivery.logs.amazonaws.com"}},
		"Action":    l{"logs:CreateLogStream", "logs:PutLogEvents"},
		"Resource":  "arn:aws:logs:us-east-1:111111111111:log-group:/relay/payments/events:*",
	}}
	if diff := cmp.Diff(want, statements(doc)); diff != "" {
		t.Errorf("log group resource policy (-want +got):\n%s", diff)
	}
}

// TestRetainedDataKeepsItsKey: a key that encrypts a log group the stack
// retains is retained too; deleting it would leave the retained events
// unreadable once its deletion window ends.
func TestRetainedDataKeepsItsKey(t *testing.T) {
	_, _, res := synth(t, props())
	checked := 0
	for id, g := range ofType(res, "AWS::Logs::LogGroup") {
		if g["DeletionPolicy"] != "Retain" {
			continue
		}
		ref, _ := g["Properties"].(m)["KmsKeyId"].(m)
		att, _ := ref["Fn::GetAtt"].([]interface{})
		if len(att) == 0 {
			continue
		}
		checked++
		key := res[att[0].(string)]
		if key["DeletionPolicy"] != "Retain" || key["UpdateReplacePolicy"] != "Retain" {
			t.Errorf("log group %s is retained, but its key %s has DeletionPolicy %v and UpdateReplacePolicy %v; want Retain", id, att[0], key["DeletionPolicy"], key["UpdateReplacePolicy"])
		}
	}
	if checked == 0 {
		t.Error("no retained, KMS-encrypted log group checked")
	}
}

// TestTopicAndKeyPolicies pins the publishers: EventBridge and this
// Observer's alarms, nothing more.
func TestTopicAndKeyPolicies(t *testing.T) {
	_, _, res := synth(t, props())
	topics := ofType(res, "AWS::SNS::Topic")
	names := map[string]string{}
	for id, tp := range topics {
		pr := tp["Properties"].(m)
		names[pr["TopicName"].(string)] = id
		if pr["KmsMasterKeyId"] == nil {
			t.Errorf("topic %s is not KMS-encrypted", pr["TopicName"])
		}
	}
	if diff := cmp.Diff([]string{"payments-alerts", "payments-chat"}, sorted(keys(names))); diff != "" {
		t.Errorf("topics (-want +got):\n%s", diff)
	}
	alarmIDs := sorted(keys(ofType(res, "AWS::CloudWatch::Alarm")))
	var alarmArns l
	for _, id := range alarmIDs {
		alarmArns = append(alarmArns, m{"Fn::GetAtt": l{id, "Arn"}})
	}
	for name, id := range names {
		var doc interface{}
		for _, pol := range ofType(res, "AWS::SNS::TopicPolicy") {
			if cmp.Equal(pol["Properties"].(m)["Topics"], l{m{"Ref": id}}) {
				doc = pol["Properties"].(m)["PolicyDocument"]
			}
		}
		if doc == nil {
			t.Fatalf("no policy for topic %s", name)
		}
		topic := m{"Ref": id}
		want := []m{
			{"Sid": "AllowPublishThroughSSLOnly", "Effect": "Deny", "Principal": "*", "Action": "sns:Publish", "Resource": topic,
				"Condition": m{"Bool": m{"aws:SecureTransport": "false"}}},
			// EventBridge's guide: no Condition blocks in a topic policy
			// for EventBridge (eb-use-resource-based.html#eb-sns-permissions).
			{"Sid": "EventBridgeRulesPublish", "Effect": "Allow", "Principal": m{"Service": "events.amazonaws.com"}, "Action": "sns:Publish", "Resource": topic},
			{"Sid": "AlarmsPublish", "Effect": "Allow", "Principal": m{"Service": "cloudwatch.amazonaws.com"}, "Action": "sns:Publish", "Resource": topic,
				"Condition": m{"ArnEquals": m{"aws:SourceArn": alarmArns}, "StringEquals": m{"aws:SourceAccount": "111111111111"}}},
		}
		if diff := cmp.Diff(want, statements(doc)); diff != "" {
			t.Errorf("%s policy (-want +got):\n%s", name, diff)
		}
	}

	key := one(t, res, "AWS::KMS::Key", "Observe")
	if key["EnableKeyRotation"] != true {
		t.Error("the topic key is not rotated")
	}
	topicArns := l{"arn:aws:sns:us-east-1:111111111111:payments-alerts", "arn:aws:sns:us-east-1:111111111111:payments-chat"}
	alarms := l{
		"arn:aws:cloudwatch:us-east-1:111111111111:alarm:payments-failed-executions",
		"arn:aws:cloudwatch:us-east-1:111111111111:alarm:payments-long-executions",
		"arn:aws:cloudwatch:us-east-1:111111111111:alarm:payments-notification-failures",
	}
	use := l{"kms:Decrypt", "kms:GenerateDataKey*"}
	want := []m{
		{"Effect": "Allow", "Action": "kms:*", "Resource": "*",
			"Principal": m{"AWS": m{"Fn::Join": l{"", l{"arn:", m{"Ref": "AWS::Partition"}, ":iam::111111111111:root"}}}}},
		{"Sid": "DenyGrantsExceptForAWSResources", "Effect": "Deny", "Principal": m{"AWS": "*"}, "Action": "kms:CreateGrant", "Resource": "*",
			"Condition": m{"BoolIfExists": m{"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}}},
		// CloudWatch Logs encrypts the events log group, and no other.
		{"Sid": "CloudWatchLogsEncryptsPipelineEvents", "Effect": "Allow", "Principal": m{"Service": "logs.us-east-1.amazonaws.com"},
			"Action": l{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"}, "Resource": "*",
			"Condition": m{"ArnLike": m{"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111111111111:log-group:/relay/payments/events"}}},
		{"Sid": "EventBridgeEncryptsForTheTopics", "Effect": "Allow", "Principal": m{"Service": "events.amazonaws.com"}, "Action": use, "Resource": "*",
			"Condition": m{"StringEquals": m{"kms:EncryptionContext:aws:sns:topicArn": topicArns}}},
		{"Sid": "AlarmsEncryptForTheTopics", "Effect": "Allow", "Principal": m{"Service": "cloudwatch.amazonaws.com"}, "Action": use, "Resource": "*",
			"Condition": m{
				"StringEquals": m{"aws:SourceAccount": "111111111111", "kms:EncryptionContext:aws:sns:topicArn": topicArns},
				"ArnLike":      m{"aws:SourceArn": alarms},
			}},
	}
	if diff := cmp.Diff(want, statements(key["KeyPolicy"])); diff != "" {
		t.Errorf("key policy (-want +got):\n%s", diff)
	}

	subs := ofType(res, "AWS::SNS::Subscription")
	if len(subs) != 1 {
		t.Fatalf("%d subscriptions, want 1", len(subs))
	}
	for _, s := range subs {
		pr := s["Properties"].(m)
		if pr["Protocol"] != "email" || pr["Endpoint"] != "ops@example.com" || !cmp.Equal(pr["TopicArn"], m{"Ref": names["payments-alerts"]}) {
			t.Errorf("subscription = %v", pr)
		}
	}
}

func keys[V any](mp map[string]V) []string {
	var out []string
	for k := range mp {
		out = append(out, k)
	}
	return out
}

// TestChatbot pins the channels and the role's guardrails: the role and
// the guardrail may only read CloudWatch.
func TestChatbot(t *testing.T) {
	_, _, res := synth(t, props())
	slack := one(t, res, "AWS::Chatbot::SlackChannelConfiguration", "Slack0")
	teams := one(t, res, "AWS::Chatbot::MicrosoftTeamsChannelConfiguration", "Teams0")
	guardrailID := sorted(keys(ofType(res, "AWS::IAM::ManagedPolicy")))[0]
	roleID := ""
	for id := range ofType(res, "AWS::IAM::Role") {
		if strings.Contains(id, "ChatRole") {
			roleID = id
		}
	}
	chat := ""
	for id, tp := range ofType(res, "AWS::SNS::Topic") {
		if tp["Properties"].(m)["TopicName"] == "payments-chat" {
			chat = id
		}
	}
	common := m{
		"IamRoleArn":        m{"Fn::GetAtt": l{roleID, "Arn"}},
		"GuardrailPolicies": l{m{"Ref": guardrailID}},
		"SnsTopicArns":      l{m{"Ref": chat}},
		"LoggingLevel":      "ERROR",
		"UserRoleRequired":  false,
	}
	wantSlack := m{"ConfigurationName": "payments-C0123ABCD45", "SlackWorkspaceId": "T0123ABCD45", "SlackChannelId": "C0123ABCD45"}
	wantTeams := m{"ConfigurationName": "payments-teams-1", "TeamId": teamID, "TeamsTenantId": tenantID, "TeamsChannelId": channelID}
	for k, v := range common {
		wantSlack[k], wantTeams[k] = v, v
	}
	if diff := cmp.Diff(wantSlack, slack); diff != "" {
		t.Errorf("Slack channel (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantTeams, teams); diff != "" {
		t.Errorf("Teams channel (-want +got):\n%s", diff)
	}

	role := res[roleID]["Properties"].(m)
	wantTrust := []m{{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": m{"Service": "chatbot.amazonaws.com"}}}
	if diff := cmp.Diff(wantTrust, statements(role["AssumeRolePolicyDocument"])); diff != "" {
		t.Errorf("chat role trust (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(l{m{"Ref": guardrailID}}, role["ManagedPolicyArns"]); diff != "" || role["Policies"] != nil {
		t.Errorf("chat role policies: managed %v (-want +got %s), inline %v", role["ManagedPolicyArns"], diff, role["Policies"])
	}
	guardrail := res[guardrailID]["Properties"].(m)
	readOnly := regexp.MustCompile(`^cloudwatch:(Describe|Get|List)\*$`)
	for _, s := range statements(guardrail["PolicyDocument"]) {
		for _, a := range s["Action"].([]interface{}) {
			if !readOnly.MatchString(a.(string)) || s["Effect"] != "Allow" {
				t.Errorf("guardrail statement %v allows %v, which is not a CloudWatch read", s, a)
			}
		}
	}
}

// TestDashboard pins where every number comes from: AWS-documented
// CodeBuild metrics, Relay's metric filters, and Logs Insights.
func TestDashboard(t *testing.T) {
	_, _, res := synth(t, props())
	dash := one(t, res, "AWS::CloudWatch::Dashboard", "Observe")
	if dash["DashboardName"] != "payments-pipeline" {
		t.Errorf("dashboard name = %v", dash["DashboardName"])
	}
	var body struct {
		Widgets []struct {
			Type       string `json:"type"`
			Properties struct {
				Title   string          `json:"title"`
				Metrics [][]interface{} `json:"metrics"`
				Query   string          `json:"query"`
			} `json:"properties"`
		} `json:"widgets"`
	}
	if err := json.Unmarshal([]byte(joined(dash["DashboardBody"])), &body); err != nil {
		t.Fatalf("dashboard body: %v", err)
	}
	var metrics, queries []string
	for _, w := range body.Widgets {
		for _, mt := range w.Properties.Metrics {
			metrics = append(metrics, strings.Join([]string{mt[0].(string), mt[1].(string), mt[2].(string), mt[3].(string)}, " "))
		}
		if w.Type == "log" {
			queries = append(queries, w.Properties.Title)
			if !strings.HasPrefix(w.Properties.Query, "SOURCE '/relay/payments/events' | ") {
				t.Errorf("%s queries %s", w.Properties.Title, w.Properties.Query)
			}
		}
	}
	wantMetrics := []string{
		"Relay/CodePipeline StartedExecutions PipelineName payments",
		"Relay/CodePipeline SucceededExecutions PipelineName payments",
		"Relay/CodePipeline FailedExecutions PipelineName payments",
		"Relay/CodePipeline StoppedExecutions PipelineName payments",
		"AWS/CodeBuild Duration ProjectName payments-build",
		"AWS/CodeBuild Duration ProjectName payments-test-unit",
		"AWS/CodeBuild FailedBuilds ProjectName payments-build",
		"AWS/CodeBuild FailedBuilds ProjectName payments-test-unit",
	}
	if diff := cmp.Diff(wantMetrics, metrics); diff != "" {
		t.Errorf("dashboard metrics (-want +got):\n%s", diff)
	}
	wantQueries := []string{
		"Deployment duration per environment stage, minutes (Logs Insights; approvals excluded)",
		"Execution duration, minutes (Logs Insights)",
		"Approvals waiting, oldest first (requested = since when)",
		"Approval wait of decided approvals, minutes",
		"Latest failed actions",
	}
	if diff := cmp.Diff(wantQueries, queries); diff != "" {
		t.Errorf("dashboard queries (-want +got):\n%s", diff)
	}

	// The counts come from metric filters on the events log group.
	var filters []string
	for _, f := range ofType(res, "AWS::Logs::MetricFilter") {
		tr := f["Properties"].(m)["MetricTransformations"].([]interface{})[0].(m)
		filters = append(filters, tr["MetricNamespace"].(string)+" "+tr["MetricName"].(string))
	}
	if diff := cmp.Diff([]string{"Relay/CodePipeline FailedExecutions", "Relay/CodePipeline StartedExecutions", "Relay/CodePipeline StoppedExecutions", "Relay/CodePipeline SucceededExecutions"}, sorted(filters)); diff != "" {
		t.Errorf("metric filters (-want +got):\n%s", diff)
	}
}

// TestDashboardHeaderEscapesNames: the header's table of environments is
// Markdown; an environment name (any string in Go) with | or a line break
// stays in its cell.
func TestDashboardHeaderEscapesNames(t *testing.T) {
	tests := []struct{ name, row string }{
		{"staging", "| staging | Deploy-staging |"},
		{"qa | eu", `| qa \| eu | Deploy-staging |`},
		{"qa\neu", "| qa eu | Deploy-staging |"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := props()
			p.Environments[0].Name = tt.name
			p.Notifications.SucceededEnvironments = nil
			_, _, res := synth(t, p)
			body := joined(one(t, res, "AWS::CloudWatch::Dashboard", "Observe")["DashboardBody"])
			var dash struct {
				Widgets []struct {
					Properties struct {
						Markdown string `json:"markdown"`
					} `json:"properties"`
				} `json:"widgets"`
			}
			if err := json.Unmarshal([]byte(body), &dash); err != nil {
				t.Fatalf("dashboard body: %v", err)
			}
			md := dash.Widgets[0].Properties.Markdown
			if !strings.Contains(md, "\n"+tt.row+"\n") {
				t.Errorf("header lacks the row %q:\n%s", tt.row, md)
			}
		})
	}
}

// joined resolves a Fn::Join of strings and region Refs.
func joined(v interface{}) string {
	if s, ok := v.(string); ok {
		return s
	}
	var b strings.Builder
	for _, part := range v.(m)["Fn::Join"].([]interface{})[1].([]interface{}) {
		if s, ok := part.(string); ok {
			b.WriteString(s)
		} else {
			b.WriteString("us-east-1")
		}
	}
	return b.String()
}

func TestAlarms(t *testing.T) {
	_, o, res := synth(t, props())
	if diff := cmp.Diff([]string{"payments-failed-executions", "payments-long-executions", "payments-notification-failures"}, o.AlarmNames()); diff != "" {
		t.Errorf("alarms (-want +got):\n%s", diff)
	}
	byName := map[string]m{}
	for _, a := range ofType(res, "AWS::CloudWatch::Alarm") {
		pr := a["Properties"].(m)
		byName[pr["AlarmName"].(string)] = pr
		if len(pr["AlarmActions"].([]interface{})) != 2 {
			t.Errorf("%s notifies %v, want the alerts and chat topics", pr["AlarmName"], pr["AlarmActions"])
		}
	}
	failed := byName["payments-failed-executions"]
	want := m{"Namespace": "Relay/CodePipeline", "MetricName": "FailedExecutions", "Statistic": "Sum", "Period": float64(3600),
		"Threshold": float64(1), "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "notBreaching"}
	for k, v := range want {
		if !cmp.Equal(failed[k], v) {
			t.Errorf("failed-executions %s = %v, want %v", k, failed[k], v)
		}
	}
	long := byName["payments-long-executions"]
	if long["Namespace"] != "AWS/States" || long["MetricName"] != "ExecutionsFailed" {
		t.Errorf("long-executions watches %v %v, want AWS/States ExecutionsFailed", long["Namespace"], long["MetricName"])
	}

	// The timer may read this pipeline's executions only; only this
	// state machine may assume its role, and only the timer rule the
	// role that starts it.
	sm := one(t, res, "AWS::StepFunctions::StateMachine", "Timer")
	if sm["StateMachineName"] != "payments-execution-timer" || !strings.Contains(joined(sm["DefinitionString"]), `"Seconds":14400`) {
		t.Errorf("timer = %v", sm)
	}
	trusts := map[string]m{}
	for id, r := range ofType(res, "AWS::IAM::Role") {
		trusts[id] = statements(r["Properties"].(m)["AssumeRolePolicyDocument"])[0]
	}
	wantTrust := map[string]m{
		"states.amazonaws.com": {"StringEquals": m{"aws:SourceAccount": "111111111111"}, "ArnLike": m{"aws:SourceArn": "arn:aws:states:us-east-1:111111111111:stateMachine:payments-execution-timer"}},
		"events.amazonaws.com": {"StringEquals": m{"aws:SourceAccount": "111111111111"}, "ArnEquals": m{"aws:SourceArn": "arn:aws:events:us-east-1:111111111111:rule/payments-execution-timer"}},
	}
	for _, tr := range trusts {
		svc := tr["Principal"].(m)["Service"].(string)
		if w, ok := wantTrust[svc]; ok && !cmp.Equal(w, tr["Condition"]) {
			t.Errorf("%s trust conditions = %v, want %v", svc, tr["Condition"], w)
		}
	}
	var grants []string
	for _, pol := range ofType(res, "AWS::IAM::Policy") {
		for _, s := range statements(pol["Properties"].(m)["PolicyDocument"]) {
			grants = append(grants, s["Action"].(string))
		}
	}
	if diff := cmp.Diff([]string{"codepipeline:GetPipelineExecution", "states:StartExecution"}, sorted(grants)); diff != "" {
		t.Errorf("timer grants (-want +got):\n%s", diff)
	}
}

func TestNagAwsSolutions(t *testing.T) {
	stack, _, _ := synth(t, props())
	if errs := relaytest.Errors(t, stack); len(errs) > 0 {
		t.Errorf("%d unsuppressed cdk-nag findings:\n%s", len(errs), relaytest.FindingsText(errs))
	}
}

func TestWithoutChat(t *testing.T) {
	p := props()
	p.Notifications.Slack, p.Notifications.Teams = nil, nil
	p.Alarms.MaxExecutionMinutes = 0
	p.NoDashboard = true
	_, o, res := synth(t, p)
	for _, typ := range []string{"AWS::Chatbot::SlackChannelConfiguration", "AWS::Chatbot::MicrosoftTeamsChannelConfiguration",
		"AWS::StepFunctions::StateMachine", "AWS::CloudWatch::Dashboard", "AWS::IAM::Role"} {
		if n := len(ofType(res, typ)); n != 0 {
			t.Errorf("%d %s without chat, timer or dashboard", n, typ)
		}
	}
	if o.ChatTopic() != nil || len(ofType(res, "AWS::SNS::Topic")) != 1 {
		t.Error("a chat topic without chat channels")
	}
	for _, r := range ofType(res, "AWS::Events::Rule") {
		if n := len(r["Properties"].(m)["Targets"].([]interface{})); n != 1 {
			t.Errorf("rule %v has %d targets, want 1", r["Properties"].(m)["Name"], n)
		}
	}
}

func TestNewRefusesInvalidProps(t *testing.T) {
	msg, ok := relaytest.Recover(func() {
		app := relaytest.NewApp()
		observe.New(awscdk.NewStack(app, jsii.String("S"), nil), "Observe", &observe.Props{PipelineName: "payments"})
	})
	if ok || !strings.Contains(msg, `Account "": must be the 12-digit account ID`) {
		t.Errorf("New with invalid props: %q, %v", msg, ok)
	}
}
