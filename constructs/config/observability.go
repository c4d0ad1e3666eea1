package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/idrules"
)

// Observability is how the pipeline is watched: notifications to people,
// a dashboard and alarms, all in the tooling account and region.
type Observability struct {
	// Notifications announce pipeline events by email and in Slack or
	// Microsoft Teams (AWS Chatbot). Default: none (the alerts topic still
	// receives the alarms).
	Notifications *Notifications `yaml:"notifications,omitempty" json:"notifications,omitempty"`
	// Alarms tune the alarms on failed and long-running executions.
	// Default: an alarm on every failed execution.
	Alarms *AlarmSettings `yaml:"alarms,omitempty" json:"alarms,omitempty"`
	// Dashboard creates the CloudWatch dashboard <name>-pipeline.
	// Default: true.
	Dashboard *bool `yaml:"dashboard,omitempty" json:"dashboard,omitempty"`
	// EventRetentionDays is how long the log group /relay/<name>/events
	// keeps the pipeline's events, one of the values CloudWatch Logs
	// accepts. Default: 365.
	EventRetentionDays int `yaml:"eventRetentionDays,omitempty" json:"eventRetentionDays,omitempty"`
}

// Notifications are the channels and the events they receive.
type Notifications struct {
	// Emails are subscribed to the topic <name>-alerts; each address
	// confirms by email before it receives anything.
	Emails []string `yaml:"emails,omitempty" json:"emails,omitempty"`
	// Slack channels of workspaces authorized in the AWS Chatbot console.
	Slack []SlackChannel `yaml:"slack,omitempty" json:"slack,omitempty"`
	// Teams channels of teams authorized in the AWS Chatbot console.
	Teams []TeamsChannel `yaml:"teams,omitempty" json:"teams,omitempty"`
	// Events are announced: failed, approval-waiting and stopped (stopped,
	// superseded or canceled executions). Default: all three; [] for none.
	Events []string `yaml:"events,omitempty" json:"events,omitempty"`
	// Succeeded names environments whose deployment is announced when it
	// succeeds. Default: none.
	Succeeded []string `yaml:"succeeded,omitempty" json:"succeeded,omitempty"`
}

// SlackChannel is one Slack channel.
type SlackChannel struct {
	// WorkspaceID is the Slack workspace ID, such as T0123ABCD45. Required.
	WorkspaceID string `yaml:"workspaceId" json:"workspaceId"`
	// ChannelID is the channel ID, such as C0123ABCD45. Required.
	ChannelID string `yaml:"channelId" json:"channelId"`
	// Name is the AWS Chatbot configuration name. Default: <name>-<channelId>.
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
}

// TeamsChannel is one Microsoft Teams channel.
type TeamsChannel struct {
	// TeamID and TenantID are GUIDs from the AWS Chatbot console. Required.
	TeamID   string `yaml:"teamId" json:"teamId"`
	TenantID string `yaml:"tenantId" json:"tenantId"`
	// ChannelID is the URL-encoded channel ID from the channel's link.
	// Required.
	ChannelID string `yaml:"channelId" json:"channelId"`
	// Name is the AWS Chatbot configuration name. Default: <name>-teams-<n>.
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
}

// AlarmSettings tune the alarms.
type AlarmSettings struct {
	// FailedExecutions within FailedPeriodMinutes raise the alarm
	// <name>-failed-executions, 1 to 100. Default: 1.
	FailedExecutions int `yaml:"failedExecutions,omitempty" json:"failedExecutions,omitempty"`
	// FailedPeriodMinutes is 1 to 1440. Default: 60.
	FailedPeriodMinutes int `yaml:"failedPeriodMinutes,omitempty" json:"failedPeriodMinutes,omitempty"`
	// MaxExecutionMinutes raises <name>-long-executions for an execution
	// still in progress this long after it started, approvals included,
	// 5 to 86400. Default: no such alarm.
	MaxExecutionMinutes int `yaml:"maxExecutionMinutes,omitempty" json:"maxExecutionMinutes,omitempty"`
}

// Audit is the CloudTrail trail that records the artifact buckets' data
// events (and the S3 sources', which need them to start the pipeline).
type Audit struct {
	// TrailName is the trail Relay creates in the tooling account, with a
	// bucket and a key of its own. Default: <name>-audit.
	TrailName string `yaml:"trailName,omitempty" json:"trailName,omitempty"`
	// OrganizationTrail names an existing trail (name or ARN), such as
	// the organization's trail, that already records these buckets' data
	// events: Relay then creates no trail and records the name as the
	// stack output AuditTrail. Not with TrailName.
	OrganizationTrail string `yaml:"organizationTrail,omitempty" json:"organizationTrail,omitempty"`
	// RetentionDays is how long the created trail keeps log files.
	// Default: 365.
	RetentionDays int `yaml:"retentionDays,omitempty" json:"retentionDays,omitempty"`
}

// maxExecutionMinutesRule is the rule of observability.alarms.maxExecutionMinutes.
const maxExecutionMinutesRule = "must be from 5 to 86400 minutes (60 days), or omitted for no long-executions alarm"

// chatNameRE is an AWS Chatbot configuration name.
var chatNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// NotificationEvents are the values of observability.notifications.events.
var NotificationEvents = []string{"failed", "approval-waiting", "stopped"}

// Defaults of observability and audit.
const (
	defaultFailedExecutions    = defaults.FailedExecutions
	defaultFailedPeriodMinutes = defaults.FailedPeriodMinutes
	defaultEventRetentionDays  = defaults.EventRetentionDays
	defaultAuditRetentionDays  = defaults.AuditRetentionDays
	auditTrailSuffix           = "-audit"
)

// DashboardEnabled reports whether o creates the dashboard.
func (o *Observability) DashboardEnabled() bool { return o.Dashboard == nil || *o.Dashboard }

// applyObservabilityDefaults sets the defaults of observability and
// audit; unset is as in applyDefaults.
func (c *Config) applyObservabilityDefaults(unset func(path string, zero bool) bool) {
	if o := c.Observability; o != nil {
		if n := o.Notifications; n != nil && unset("observability.notifications.events", len(n.Events) == 0) {
			n.Events = slices.Clone(NotificationEvents)
		}
		if o.Alarms == nil {
			o.Alarms = &AlarmSettings{}
		}
		if unset("observability.alarms.failedExecutions", o.Alarms.FailedExecutions == 0) {
			o.Alarms.FailedExecutions = defaultFailedExecutions
		}
		if unset("observability.alarms.failedPeriodMinutes", o.Alarms.FailedPeriodMinutes == 0) {
			o.Alarms.FailedPeriodMinutes = defaultFailedPeriodMinutes
		}
		if unset("observability.eventRetentionDays", o.EventRetentionDays == 0) {
			o.EventRetentionDays = defaultEventRetentionDays
		}
	}
	if a := c.Audit; a != nil {
		if a.OrganizationTrail == "" && c.Name != "" && unset("audit.trailName", a.TrailName == "") {
			a.TrailName = c.Name + auditTrailSuffix
		}
		if unset("audit.retentionDays", a.RetentionDays == 0) {
			a.RetentionDays = defaultAuditRetentionDays
		}
	}
}

// validateObservability checks observability and audit.
func (c *Config) validateObservability(p *problems) {
	if o := c.Observability; o != nil {
		p.add("observability.eventRetentionDays", strconv.Itoa(o.EventRetentionDays), logRetentionRule(o.EventRetentionDays))
		if n := o.Notifications; n != nil {
			c.validateNotifications(p, n)
		}
		if a := o.Alarms; a != nil {
			const base = "observability.alarms."
			if a.FailedExecutions < 1 || a.FailedExecutions > 100 {
				p.add(base+"failedExecutions", strconv.Itoa(a.FailedExecutions), "must be from 1 to 100 failed executions per period")
			}
			if a.FailedPeriodMinutes < 1 || a.FailedPeriodMinutes > 1440 {
				p.add(base+"failedPeriodMinutes", strconv.Itoa(a.FailedPeriodMinutes), "must be from 1 to 1440 minutes: CloudWatch evaluates an alarm over at most one day")
			}
			if m := a.MaxExecutionMinutes; m != 0 && (m < 5 || m > 86400) {
				p.add(base+"maxExecutionMinutes", strconv.Itoa(m), maxExecutionMinutesRule)
			}
		}
	}
	if a := c.Audit; a != nil {
		switch {
		case a.TrailName != "" && a.OrganizationTrail != "":
			p.add("audit.organizationTrail", a.OrganizationTrail, "set trailName (Relay creates the trail) or organizationTrail (an existing trail records the buckets), not both")
		case a.OrganizationTrail != "":
			p.add("audit.organizationTrail", a.OrganizationTrail, idrules.TrailReference(a.OrganizationTrail))
		default:
			p.add("audit.trailName", a.TrailName, idrules.TrailName(a.TrailName))
		}
		if a.RetentionDays < 1 || a.RetentionDays > 36500 {
			p.add("audit.retentionDays", strconv.Itoa(a.RetentionDays), "must be from 1 to 36500 days")
		}
	}
}

func (c *Config) validateNotifications(p *problems, n *Notifications) {
	const base = "observability.notifications."
	for i, e := range n.Emails {
		rule := idrules.Email(e)
		if rule == "" && slices.Index(n.Emails, e) != i {
			rule = "listed twice; remove one"
		}
		p.add(fmt.Sprintf(base+"emails[%d]", i), e, rule)
	}
	if len(n.Slack)+len(n.Teams) > 0 && c.Partition() != "aws" {
		p.add(base+"slack", c.Tooling.Region, "AWS Chatbot is not available in partition "+c.Partition()+"; use emails")
	}
	names := map[string]string{}
	name := func(path, v string) {
		switch prev, dup := names[v]; {
		case !chatNameRE.MatchString(v):
			p.add(path, v, "must be 1 to 128 letters, digits, - and _ (an AWS Chatbot configuration name)")
		case dup:
			p.add(path, v, "duplicate of "+prev+"; give each channel its own name")
		default:
			names[v] = path
		}
	}
	// A channel configured twice gets every message twice (each AWS
	// Chatbot configuration subscribes to the topics), as an address
	// listed twice would.
	channels := map[string]string{}
	channel := func(path, v, key string) {
		if prev, dup := channels[key]; dup {
			p.add(path, v, "also the channel of "+prev+", which would post every message twice; remove one")
		} else {
			channels[key] = path
		}
	}
	for i, s := range n.Slack {
		b := fmt.Sprintf(base+"slack[%d].", i)
		p.add(b+"workspaceId", s.WorkspaceID, idrules.SlackWorkspaceID(s.WorkspaceID))
		p.add(b+"channelId", s.ChannelID, idrules.SlackChannelID(s.ChannelID))
		if s.Name != "" {
			name(b+"name", s.Name)
		} else if idrules.SlackChannelID(s.ChannelID) == "" {
			name(b+"channelId", c.Name+"-"+s.ChannelID)
		}
		channel(b+"channelId", s.ChannelID, "slack "+s.WorkspaceID+" "+s.ChannelID)
	}
	for i, t := range n.Teams {
		b := fmt.Sprintf(base+"teams[%d].", i)
		p.add(b+"teamId", t.TeamID, idrules.TeamsGUID(t.TeamID, "team ID"))
		p.add(b+"tenantId", t.TenantID, idrules.TeamsGUID(t.TenantID, "tenant ID"))
		p.add(b+"channelId", t.ChannelID, idrules.TeamsChannelID(t.ChannelID))
		if t.Name != "" {
			name(b+"name", t.Name)
		}
		channel(b+"channelId", t.ChannelID, "teams "+t.TenantID+" "+t.TeamID+" "+t.ChannelID)
	}
	for i, e := range n.Events {
		rule := oneOfRule(e, NotificationEvents)
		if rule == "" && slices.Index(n.Events, e) != i {
			rule = "listed twice; remove one"
		}
		p.add(fmt.Sprintf(base+"events[%d]", i), e, rule)
	}
	for i, s := range n.Succeeded {
		rule := ""
		if !slices.ContainsFunc(c.Environments, func(e Environment) bool { return e.Name == s }) {
			rule = "is not the name of an environment; name one of environments[].name"
		} else if slices.Index(n.Succeeded, s) != i {
			rule = "listed twice; remove one"
		}
		p.add(fmt.Sprintf(base+"succeeded[%d]", i), s, rule)
	}
}
