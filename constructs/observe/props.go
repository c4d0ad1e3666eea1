package observe

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/idrules"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// Props configures an Observer. Every field is plain Go, so that a team can
// watch a pipeline it built itself.
type Props struct {
	// PipelineName is the CodePipeline pipeline to watch, 1 to 100 of
	// letters, digits and . @ - _. Required.
	PipelineName string
	// Prefix starts the physical name of every resource: the topics
	// <Prefix>-alerts and <Prefix>-chat, the rules <Prefix>-<kind>, the
	// alarms <Prefix>-<kind>, the dashboard <Prefix>-pipeline and the state
	// machine <Prefix>-execution-timer. 1 to 40 letters, digits and
	// hyphens. Default: PipelineName (when it fits those rules).
	Prefix string
	// Partition, Account and Region are the pipeline's (the tooling
	// account's): they make the console links and the ARNs in the key and
	// topic policies. Required; tokens are refused.
	Partition string
	Account   string
	Region    string
	// RolePath is the IAM path of the roles the Observer creates (the AWS
	// Chatbot channel role, the execution timer's roles). Default: "/".
	RolePath string
	// KeyAlias is the alias of the KMS key that encrypts the topics, such
	// as alias/relay/payments/alerts. Default: no alias.
	KeyAlias string
	// LogGroupName is the CloudWatch Logs group that receives every event
	// of the pipeline, for the metric filters and Logs Insights widgets.
	// Default: /aws/events/<Prefix>.
	LogGroupName string
	// EventRetentionDays is how long that log group keeps events, one of
	// the retention periods CloudWatch Logs accepts. Default: 365.
	EventRetentionDays int
	// BuildProjects are CodeBuild project names whose Duration and
	// FailedBuilds metrics the dashboard shows. Default: none.
	BuildProjects []string
	// Environments are the deployment environments in order, each with the
	// stages that deploy it, for the dashboard and the "succeeded"
	// notifications. Default: none.
	Environments []Environment
	// Notifications says who hears about which events. Default: the
	// events of DefaultEvents go to the alerts topic, which has no
	// subscribers.
	Notifications Notifications
	// Alarms tunes the alarms on failed and long-running executions.
	Alarms Alarms
	// NoDashboard skips the CloudWatch dashboard. Default: false.
	NoDashboard bool
}

// Environment is one deployment environment of the pipeline.
type Environment struct {
	// Name is the environment's name, as in config. Required.
	Name string
	// Stages are the pipeline stages that deploy it, in order (several
	// when its wave is split; shared with the other environments of its
	// wave), each 1 to 100 letters, digits and . @ - _ as CodePipeline
	// names stages. At least one.
	Stages []string
}

// Event is a kind of pipeline state change that Notifications announce.
type Event string

const (
	// EventFailed announces every failed action (a failed build,
	// deployment, test or hook; a rejected or expired approval) with its
	// stage, action and the provider's summary.
	EventFailed Event = "failed"
	// EventApprovalWaiting announces every manual approval that starts
	// waiting, change-set reviews included.
	EventApprovalWaiting Event = "approval-waiting"
	// EventStopped announces executions that were stopped, superseded by
	// a newer execution, or canceled by a pipeline update.
	EventStopped Event = "stopped"
)

// DefaultEvents are the events announced when Notifications.Events is nil.
var DefaultEvents = []Event{EventFailed, EventApprovalWaiting, EventStopped}

// Notifications are the channels and the events they receive.
type Notifications struct {
	// Emails are subscribed to the alerts topic (each confirms by email
	// before delivery starts). Default: none.
	Emails []string
	// Slack channels receive the same events through AWS Chatbot (Amazon Q
	// Developer in chat applications), and the alarms. Default: none.
	Slack []SlackChannel
	// Teams channels receive them in Microsoft Teams. Default: none.
	Teams []TeamsChannel
	// Events are the announced events. Default: DefaultEvents. An empty,
	// non-nil list announces none (alarms still notify).
	Events []Event
	// SucceededEnvironments names environments whose successful
	// deployment is announced (the success of the last stage that deploys
	// them). Each must be in Props.Environments. Default: none.
	SucceededEnvironments []string
	// ChatTopicArns are further SNS topics of the same account and region
	// whose messages the chat channels receive, such as topics that
	// already publish AWS Chatbot custom notifications. Default: none.
	ChatTopicArns []string
}

// SlackChannel is a Slack channel of a workspace authorized in the AWS
// Chatbot console.
type SlackChannel struct {
	// WorkspaceID is the Slack workspace (team) ID, such as T0123ABCD45.
	WorkspaceID string
	// ChannelID is the channel ID, such as C0123ABCD45 (not its name).
	ChannelID string
	// Name is the Chatbot configuration name, unique in the account.
	// Default: <Prefix>-<ChannelID>.
	Name string
}

// TeamsChannel is a Microsoft Teams channel of a team authorized in the
// AWS Chatbot console.
type TeamsChannel struct {
	// TeamID and TenantID are GUIDs shown in the AWS Chatbot console.
	TeamID   string
	TenantID string
	// ChannelID is the URL-encoded channel ID from the channel's link,
	// such as 19%3ab6ef...%40thread.tacv2.
	ChannelID string
	// Name is the Chatbot configuration name. Default: <Prefix>-teams-<n>,
	// n the channel's 1-based position.
	Name string
}

// Alarms tunes the alarms. Every alarm notifies the alerts topic and the
// chat channels.
type Alarms struct {
	// FailedExecutions is how many failed executions within
	// FailedPeriodMinutes raise the failed-executions alarm, 1 to 100.
	// Default: 1.
	FailedExecutions int
	// FailedPeriodMinutes is that alarm's period, 1 to 1440 (CloudWatch
	// evaluates at most one day). Default: 60.
	FailedPeriodMinutes int
	// MaxExecutionMinutes, when set, raises the long-executions alarm for
	// an execution still in progress this many minutes after it started or
	// resumed, 5 to 86400 (60 days, the longest approval). Time spent
	// waiting for approvals counts. Default: 0 (no such alarm).
	MaxExecutionMinutes int
}

// Limits of the props (AWS quotas where noted).
const (
	maxPrefix        = 40 // rule names are at most 64 characters: <Prefix>-failed-nosummary
	maxAlarmFailures = 100
	// maxPeriodMinutes: CloudWatch evaluates an alarm over at most one day.
	// Source: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
	maxPeriodMinutes    = 1440
	minExecutionMinutes = 5
	maxExecutionMinutes = 86400
)

var (
	pipelineNameRE = regexp.MustCompile(`^[A-Za-z0-9.@_-]{1,100}$`)
	// stageRE is a stage name as CodePipeline accepts it.
	// Source: https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StageDeclaration.html
	stageRE    = regexp.MustCompile(`^[A-Za-z0-9.@_-]{1,100}$`)
	prefixRE   = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)
	regionRE   = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
	projectRE  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$`)
	chatNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
	topicArnRE = regexp.MustCompile(`^arn:[a-z-]+:sns:([a-z0-9-]+):([0-9]{12}):[A-Za-z0-9_-]{1,256}$`)
	pathRE     = regexp.MustCompile(`^/([\x21-\x7e]+/)*$`)
)

// withDefaults returns p with its defaults applied.
func (p Props) withDefaults() Props {
	if p.Prefix == "" {
		p.Prefix = p.PipelineName
	}
	if p.RolePath == "" {
		p.RolePath = "/"
	}
	if p.LogGroupName == "" {
		p.LogGroupName = "/aws/events/" + p.Prefix
	}
	if p.EventRetentionDays == 0 {
		p.EventRetentionDays = defaults.EventRetentionDays
	}
	if p.Notifications.Events == nil {
		p.Notifications.Events = DefaultEvents
	}
	if p.Alarms.FailedExecutions == 0 {
		p.Alarms.FailedExecutions = defaults.FailedExecutions
	}
	if p.Alarms.FailedPeriodMinutes == 0 {
		p.Alarms.FailedPeriodMinutes = defaults.FailedPeriodMinutes
	}
	return p
}

// Validate reports every problem of p at once, each naming the field, the
// value and the rule.
func (p *Props) Validate() error {
	d := p.withDefaults()
	var errs []error
	add := func(field, value, rule string) {
		if rule != "" {
			errs = append(errs, fmt.Errorf("%s %q: %s", field, value, rule))
		}
	}
	if !pipelineNameRE.MatchString(p.PipelineName) {
		add("PipelineName", p.PipelineName, "required; 1 to 100 letters, digits and . @ - _")
	}
	if p.PipelineName != "" && (!prefixRE.MatchString(d.Prefix) || len(d.Prefix) > maxPrefix) {
		add("Prefix", d.Prefix, fmt.Sprintf("must be 1 to %d letters, digits and hyphens, not starting or ending with a hyphen (it starts rule names, which EventBridge limits to 64 characters); set Prefix when PipelineName does not fit", maxPrefix))
	}
	if !slices.Contains([]string{"aws", "aws-cn", "aws-us-gov"}, p.Partition) {
		add("Partition", p.Partition, "must be aws, aws-cn or aws-us-gov")
	}
	if !values.IsAccount(p.Account) {
		add("Account", p.Account, "must be the 12-digit account ID of the pipeline (no token: the key policy and console links need it at synth)")
	}
	if !regionRE.MatchString(p.Region) {
		add("Region", p.Region, "must be the pipeline's region, such as us-east-1 (no token)")
	}
	if !pathRE.MatchString(d.RolePath) || len(d.RolePath) > 512 {
		add("RolePath", p.RolePath, "must be an IAM path that starts and ends with /, such as /relay/payments/")
	}
	if p.KeyAlias != "" && (!strings.HasPrefix(p.KeyAlias, "alias/") || strings.HasPrefix(p.KeyAlias, "alias/aws/")) {
		add("KeyAlias", p.KeyAlias, "must start with alias/ and not alias/aws/, such as alias/relay/payments/alerts")
	}
	if len(d.LogGroupName) > 512 || !strings.HasPrefix(d.LogGroupName, "/") {
		add("LogGroupName", d.LogGroupName, "must be a log group name starting with /, at most 512 characters")
	}
	if _, ok := retention[d.EventRetentionDays]; !ok {
		add("EventRetentionDays", strconv.Itoa(p.EventRetentionDays), "must be one of the retention periods CloudWatch Logs accepts, such as 30, 90, 365 or 3653")
	}
	for i, name := range p.BuildProjects {
		if !projectRE.MatchString(name) {
			add(fmt.Sprintf("BuildProjects[%d]", i), name, "must be a CodeBuild project name: 2 to 255 letters, digits, - and _")
		}
	}
	envs := map[string]bool{}
	for i, e := range p.Environments {
		if e.Name == "" {
			add(fmt.Sprintf("Environments[%d].Name", i), "", "required")
		} else if envs[e.Name] {
			add(fmt.Sprintf("Environments[%d].Name", i), e.Name, "listed twice; name each environment once")
		}
		envs[e.Name] = true
		if len(e.Stages) == 0 {
			add(fmt.Sprintf("Environments[%d].Stages", i), "", "required; list the stages that deploy "+e.Name)
		}
		for k, s := range e.Stages {
			// The stage lands unescaped in event patterns, Logs Insights
			// queries and the dashboard's Markdown table.
			if !stageRE.MatchString(s) {
				add(fmt.Sprintf("Environments[%d].Stages[%d]", i, k), s, "must be a CodePipeline stage name: 1 to 100 letters, digits and . @ - _")
			}
		}
	}
	errs = append(errs, p.Notifications.validate(d.Prefix, p.Partition, p.Region, p.Account, envs)...)
	a := d.Alarms
	if a.FailedExecutions < 1 || a.FailedExecutions > maxAlarmFailures {
		add("Alarms.FailedExecutions", strconv.Itoa(p.Alarms.FailedExecutions), fmt.Sprintf("must be from 1 to %d failed executions per period (0 means the default 1)", maxAlarmFailures))
	}
	if a.FailedPeriodMinutes < 1 || a.FailedPeriodMinutes > maxPeriodMinutes {
		add("Alarms.FailedPeriodMinutes", strconv.Itoa(p.Alarms.FailedPeriodMinutes), fmt.Sprintf("must be from 1 to %d minutes: CloudWatch evaluates an alarm over at most one day (0 means the default 60)", maxPeriodMinutes))
	}
	if m := a.MaxExecutionMinutes; m != 0 && (m < minExecutionMinutes || m > maxExecutionMinutes) {
		add("Alarms.MaxExecutionMinutes", strconv.Itoa(m), fmt.Sprintf("must be from %d to %d minutes (60 days), or 0 for no long-executions alarm", minExecutionMinutes, maxExecutionMinutes))
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("observe.Props: %w", errors.Join(errs...))
}

func (n Notifications) validate(prefix, partition, region, account string, envs map[string]bool) []error {
	var errs []error
	add := func(field, value, rule string) {
		if rule != "" {
			errs = append(errs, fmt.Errorf("%s %q: %s", field, value, rule))
		}
	}
	for i, e := range n.Emails {
		add(fmt.Sprintf("Notifications.Emails[%d]", i), e, idrules.Email(e))
		if slices.Index(n.Emails, e) != i {
			add(fmt.Sprintf("Notifications.Emails[%d]", i), e, "listed twice; remove one")
		}
	}
	if (len(n.Slack) > 0 || len(n.Teams) > 0) && partition != "aws" && partition != "" {
		add("Notifications.Slack", partition, "AWS Chatbot is not available in partition "+partition+"; use Emails")
	}
	names := map[string]string{}
	name := func(field, v string) {
		if !chatNameRE.MatchString(v) {
			add(field, v, "must be 1 to 128 letters, digits, - and _ (an AWS Chatbot configuration name)")
		} else if prev, dup := names[v]; dup {
			add(field, v, "duplicate of "+prev+"; give each channel its own configuration name")
		} else {
			names[v] = field
		}
	}
	// A channel configured twice gets every message twice (each
	// configuration subscribes to the topics).
	channels := map[string]string{}
	channel := func(field, v, key string) {
		if prev, dup := channels[key]; dup {
			add(field, v, "also the channel of "+prev+", which would post every message twice; remove one")
		} else {
			channels[key] = field
		}
	}
	for i, s := range n.Slack {
		base := fmt.Sprintf("Notifications.Slack[%d]", i)
		add(base+".WorkspaceID", s.WorkspaceID, idrules.SlackWorkspaceID(s.WorkspaceID))
		add(base+".ChannelID", s.ChannelID, idrules.SlackChannelID(s.ChannelID))
		name(base+".Name", s.configName(prefix))
		channel(base+".ChannelID", s.ChannelID, "slack "+s.WorkspaceID+" "+s.ChannelID)
	}
	for i, t := range n.Teams {
		base := fmt.Sprintf("Notifications.Teams[%d]", i)
		add(base+".TeamID", t.TeamID, idrules.TeamsGUID(t.TeamID, "team ID"))
		add(base+".TenantID", t.TenantID, idrules.TeamsGUID(t.TenantID, "tenant ID"))
		add(base+".ChannelID", t.ChannelID, idrules.TeamsChannelID(t.ChannelID))
		name(base+".Name", t.configName(prefix, i))
		channel(base+".ChannelID", t.ChannelID, "teams "+t.TenantID+" "+t.TeamID+" "+t.ChannelID)
	}
	for i, e := range n.Events {
		if !slices.Contains(DefaultEvents, e) {
			add(fmt.Sprintf("Notifications.Events[%d]", i), string(e), "must be one of failed, approval-waiting and stopped")
		}
	}
	for i, e := range n.SucceededEnvironments {
		if !envs[e] {
			add(fmt.Sprintf("Notifications.SucceededEnvironments[%d]", i), e, "is not one of Environments; name an environment the pipeline deploys")
		}
	}
	for i, a := range n.ChatTopicArns {
		m := topicArnRE.FindStringSubmatch(a)
		if m == nil || m[1] != region || m[2] != account {
			add(fmt.Sprintf("Notifications.ChatTopicArns[%d]", i), a, "must be the ARN of an SNS topic in the pipeline's account and region")
		}
	}
	if len(n.ChatTopicArns) > 0 && len(n.Slack)+len(n.Teams) == 0 {
		add("Notifications.ChatTopicArns", strings.Join(n.ChatTopicArns, ","), "needs a Slack or Teams channel to deliver to")
	}
	return errs
}

// configName is the Chatbot configuration name of s.
func (s SlackChannel) configName(prefix string) string {
	if s.Name != "" {
		return s.Name
	}
	return prefix + "-" + s.ChannelID
}

// configName is the Chatbot configuration name of the i-th Teams channel.
func (t TeamsChannel) configName(prefix string, i int) string {
	if t.Name != "" {
		return t.Name
	}
	return fmt.Sprintf("%s-teams-%d", prefix, i+1)
}

// announces reports whether e is announced.
func (n Notifications) announces(e Event) bool { return slices.Contains(n.Events, e) }

// hasChat reports whether any chat channel is configured.
func (n Notifications) hasChat() bool { return len(n.Slack)+len(n.Teams) > 0 }
