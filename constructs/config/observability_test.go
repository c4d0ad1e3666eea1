package config

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// withObservability is the example with every observability and audit key.
func withObservability(t testing.TB) *Config {
	t.Helper()
	c := exampleConfig(t)
	c.Observability = &Observability{
		Notifications: &Notifications{
			Emails:    []string{"ops@example.com"},
			Slack:     []SlackChannel{{WorkspaceID: "T0123ABCD45", ChannelID: "C0123ABCD45"}},
			Teams:     []TeamsChannel{{TeamID: "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d", TenantID: "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5e", ChannelID: "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2"}},
			Succeeded: []string{"production"},
		},
		Alarms: &AlarmSettings{MaxExecutionMinutes: 240},
	}
	c.Audit = &Audit{}
	c.ApplyDefaults()
	return c
}

func TestObservabilityDefaults(t *testing.T) {
	c := withObservability(t)
	o := c.Observability
	if diff := cmp.Diff(NotificationEvents, o.Notifications.Events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	got := []int{o.Alarms.FailedExecutions, o.Alarms.FailedPeriodMinutes, o.Alarms.MaxExecutionMinutes, o.EventRetentionDays, c.Audit.RetentionDays}
	if diff := cmp.Diff([]int{1, 60, 240, 365, 365}, got); diff != "" {
		t.Errorf("alarms, retention (-want +got):\n%s", diff)
	}
	if c.Audit.TrailName != "payments-audit" || !o.DashboardEnabled() {
		t.Errorf("trail %q, dashboard %v; want payments-audit, true", c.Audit.TrailName, o.DashboardEnabled())
	}
}

func TestValidateObservability(t *testing.T) {
	const n = "observability.notifications."
	tests := []struct {
		name   string
		mutate func(c *Config)
		want   []string
	}{
		{"valid", func(c *Config) {}, nil},
		{"an email that is not an address", func(c *Config) {
			c.Observability.Notifications.Emails = []string{"ops@example.com", "release team"}
		}, []string{n + `emails[1] "release team": must be an email address, such as ops@example.com`}},
		{"a Slack channel ID of the wrong form", func(c *Config) {
			c.Observability.Notifications.Slack[0].ChannelID = "deploys"
		}, []string{n + `slack[0].channelId "deploys": must be a Slack channel ID of uppercase letters and digits starting with C or G, such as C0123ABCD45 (channel details, at the bottom)`}},
		{"a Slack workspace given as its domain", func(c *Config) {
			c.Observability.Notifications.Slack[0].WorkspaceID = "acme.slack.com"
		}, []string{n + `slack[0].workspaceId "acme.slack.com": must be the Slack workspace ID shown in the AWS Chatbot console after the workspace is authorized, such as T0123ABCD45 (uppercase letters and digits, starting with T)`}},
		{"a Teams tenant that is not a GUID", func(c *Config) {
			c.Observability.Notifications.Teams[0].TenantID = "acme.onmicrosoft.com"
		}, []string{n + `teams[0].tenantId "acme.onmicrosoft.com": must be the tenant ID as shown in the AWS Chatbot console, a GUID such as 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`}},
		{"a notification for an environment that does not exist", func(c *Config) {
			c.Observability.Notifications.Succeeded = []string{"prod"}
		}, []string{n + `succeeded[0] "prod": is not the name of an environment; name one of environments[].name`}},
		{"an event that is not announced", func(c *Config) {
			c.Observability.Notifications.Events = []string{"failed", "succeeded"}
		}, []string{n + `events[1] "succeeded": must be one of failed, approval-waiting, stopped`}},
		{"alarm thresholds out of range", func(c *Config) {
			c.Observability.Alarms = &AlarmSettings{FailedExecutions: 0, FailedPeriodMinutes: 2000, MaxExecutionMinutes: 100000}
		}, []string{
			`observability.alarms.failedExecutions "0": must be from 1 to 100 failed executions per period`,
			`observability.alarms.failedPeriodMinutes "2000": must be from 1 to 1440 minutes: CloudWatch evaluates an alarm over at most one day`,
			`observability.alarms.maxExecutionMinutes "100000": must be from 5 to 86400 minutes (60 days), or omitted for no long-executions alarm`,
		}},
		{"a retention CloudWatch Logs does not accept", func(c *Config) { c.Observability.EventRetentionDays = 100 }, []string{
			`observability.eventRetentionDays "100": must be one of the retention periods CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
		}},
		{"chat in the China partition", func(c *Config) {
			c.Tooling.Region = "cn-north-1"
			for i := range c.Environments {
				c.Environments[i].Regions = []string{"cn-north-1"}
			}
			c.Source.GitHub.ConnectionArn = "arn:aws-cn:codeconnections:cn-north-1:111111111111:connection/0a1b2c3d"
			c.Deploy.ExecutionPolicy = ExecutionPolicy{Statements: []Statement{{Actions: []string{"lambda:GetFunction"}, Resources: []string{"arn:aws-cn:lambda:cn-north-1:222222222222:function:f"}}}}
			c.Deploy.Hooks = nil
			for i := range c.Environments {
				c.Environments[i].Parameters = nil
			}
		}, []string{n + `slack "cn-north-1": AWS Chatbot is not available in partition aws-cn; use emails`}},
		{"two channels with one name", func(c *Config) {
			c.Observability.Notifications.Teams[0].Name = "payments-C0123ABCD45"
		}, []string{n + `teams[0].name "payments-C0123ABCD45": duplicate of observability.notifications.slack[0].channelId; give each channel its own name`}},
		{"a Teams channel listed twice", func(c *Config) {
			n := c.Observability.Notifications
			n.Teams = append(n.Teams, n.Teams[0])
		}, []string{n + `teams[1].channelId "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2": also the channel of observability.notifications.teams[0].channelId, which would post every message twice; remove one`}},
		{"a Slack channel listed twice under two names", func(c *Config) {
			n := c.Observability.Notifications
			n.Slack = append(n.Slack, SlackChannel{WorkspaceID: "T0123ABCD45", ChannelID: "C0123ABCD45", Name: "second"})
		}, []string{n + `slack[1].channelId "C0123ABCD45": also the channel of observability.notifications.slack[0].channelId, which would post every message twice; remove one`}},
		{"one channel ID in two Slack workspaces", func(c *Config) {
			n := c.Observability.Notifications
			n.Slack = append(n.Slack, SlackChannel{WorkspaceID: "T0123ABCD46", ChannelID: "C0123ABCD45", Name: "second"})
		}, nil},
		{"a trail name that is not a valid name", func(c *Config) { c.Audit.TrailName = "payments audit" }, []string{
			`audit.trailName "payments audit": must be 3 to 128 letters, digits, '.', '_' and '-', starting and ending with a letter or digit, such as payments-audit`,
		}},
		{"an organization trail ARN of another service", func(c *Config) {
			c.Audit = &Audit{OrganizationTrail: "arn:aws:s3:::org-trail-logs", RetentionDays: 365}
		}, []string{`audit.organizationTrail "arn:aws:s3:::org-trail-logs": must be a trail ARN such as arn:aws:cloudtrail:us-east-1:999999999999:trail/org-trail, or a trail name`}},
		{"a trail to create and an existing one", func(c *Config) { c.Audit.OrganizationTrail = "org-trail" }, []string{
			`audit.organizationTrail "org-trail": set trailName (Relay creates the trail) or organizationTrail (an existing trail records the buckets), not both`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := withObservability(t)
			tt.mutate(c)
			if diff := cmp.Diff(tt.want, messages(c.Validate())); diff != "" {
				t.Errorf("Validate() (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseObservability reads the keys from YAML, places errors on their
// lines, and refuses an empty block.
func TestParseObservability(t *testing.T) {
	// The example without its own observability and audit, which end it.
	base := string(Example())
	base = base[:strings.Index(base, "# Who hears about the pipeline")]
	yaml := base + `observability:
  notifications:
    emails: [ops@example.com]
    slack: [{workspaceId: T0123ABCD45, channelId: "#deploys"}]
    succeeded: [prod]
  alarms: {failedExecutions: 0}
  dashboard: false
audit: {trailName: "-audit"}
`
	_, err := Parse("relay.yaml", []byte(yaml))
	lines := strings.Count(base, "\n")
	want := []string{
		`relay.yaml:` + strconv.Itoa(lines+4) + `: observability.notifications.slack[0].channelId "#deploys": must be the channel ID, not its name or link: in Slack open the channel details and copy the ID at the bottom, such as C0123ABCD45`,
		`relay.yaml:` + strconv.Itoa(lines+5) + `: observability.notifications.succeeded[0] "prod": is not the name of an environment; name one of environments[].name`,
		`relay.yaml:` + strconv.Itoa(lines+6) + `: observability.alarms.failedExecutions "0": must be from 1 to 100 failed executions per period`,
		`relay.yaml:` + strconv.Itoa(lines+8) + `: audit.trailName "-audit": must be 3 to 128 letters, digits, '.', '_' and '-', starting and ending with a letter or digit, such as payments-audit`,
	}
	if diff := cmp.Diff(want, messages(err)); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}

	c, err := Parse("relay.yaml", []byte(base+"observability: {dashboard: false}\n"))
	if err != nil || c.Observability.DashboardEnabled() || c.Observability.Notifications != nil {
		t.Errorf("observability: {dashboard: false}: %v, %+v", err, c)
	}
	if _, err := Parse("relay.yaml", []byte(base+"observability:\n")); err == nil || !strings.Contains(err.Error(), `observability "": has no value; write observability: {} for the defaults, or remove the key`) {
		t.Errorf("observability with no value: %v", err)
	}
}
