package config

import (
	"strings"
	"testing"
)

// TestValidateGates checks the rules of the gates of environments: approval, freeze and entry conditions, each with its exact
// message.
func TestValidateGates(t *testing.T) {
	runValidateCases(t, []validateCase{
		{
			name: "freeze and approval details",
			mutate: func(c *Config) {
				c.Environments[0].Freeze = &Freeze{Reason: "Holiday freeze until Jan 5"}
				c.Environments[1].Freeze = &Freeze{Reason: "no <html>"}
				c.Environments[1].Approval.ReviewURL = "http://dash.example.com"
				c.Environments[1].Approval.TimeoutMinutes = 4
			},
			want: []string{
				`environments[1].freeze.reason "no <html>": must be 1 to 300 of letters, digits, spaces and !@().*?-, such as "Holiday freeze until Jan 5"`,
				`environments[1].approval.reviewUrl "http://dash.example.com": must be an https URL, such as https://grafana.example.com/d/staging`,
				`environments[1].approval.timeoutMinutes "4": must be from 5 to 86400 minutes (60 days); the default is 10080 (7 days)`,
			},
		},
		// The link is one action configuration value: CodePipeline's
		// 1,000 characters, refused with the line instead of on the
		// written template (found by the false-refusal audit).
		{
			name: "a review link over an action value's 1,000 characters",
			mutate: func(c *Config) {
				c.Environments[1].Approval.ReviewURL = "https://grafana.example.com/d/" + strings.Repeat("a", 971)
				c.Steps = []Step{{Name: "gate", When: "after", Approval: &StepApproval{ReviewURL: "https://grafana.example.com/d/" + strings.Repeat("b", 970), TimeoutMinutes: 60}}}
			},
			want: []string{
				`environments[1].approval.reviewUrl "1001 characters": CodePipeline takes at most 1000 characters per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html); use a shorter link`,
			},
		},
		{
			name: "deployment window checked field by field",
			mutate: func(c *Config) {
				c.Environments[1].EntryConditions = &EntryConditions{DeploymentWindow: &DeploymentWindow{Cron: "cron(0 9-17 * * MON-FRI *)", TimeZone: "UTC"}}
			},
			want: []string{`environments[1].entryConditions.deploymentWindow.cron "cron(0 9-17 * * MON-FRI *)": day-of-month "*" and day-of-week "MON-FRI": one of them must be ?, since EventBridge does not take both, such as "cron(* 9-16 ? * MON-FRI *)"`},
		},
		{
			name: "entry conditions",
			mutate: func(c *Config) {
				c.Environments[0].EntryConditions = &EntryConditions{}
				c.Environments[1].EntryConditions = &EntryConditions{
					DeploymentWindow: &DeploymentWindow{Cron: "0 9 * * *", TimeZone: "Mars/Olympus"},
					NoAlarms:         []string{"payments-5xx", "a,b"},
				}
			},
			want: []string{
				`environments[0].entryConditions "": set deploymentWindow, noAlarms or both, or remove entryConditions`,
				`environments[1].entryConditions.deploymentWindow.cron "0 9 * * *": must be an EventBridge cron expression, such as "cron(* 9-16 ? * MON-FRI *)"`,
				`environments[1].entryConditions.deploymentWindow.timeZone "Mars/Olympus": must be an IANA time zone, such as UTC or Europe/Berlin`,
				`environments[1].entryConditions.noAlarms[1] "a,b": must be a CloudWatch alarm name of 1 to 255 characters, without commas or control characters`,
			},
		},
		{
			// The pipeline role may describe the named alarms only: IAM
			// reads * and ? in the alarm ARN as wildcards, which would
			// admit every matching alarm of the account.
			name: "alarm names that IAM reads as patterns",
			mutate: func(c *Config) {
				c.Environments[1].EntryConditions = &EntryConditions{NoAlarms: []string{"payments-*", "payments-5x?", "payments-5xx", "payments-€", "café alarm"}}
			},
			// The alarm's ARN is in the pipeline role's policy, where IAM
			// refuses characters beyond U+00FF.
			want: []string{
				`environments[1].entryConditions.noAlarms[0] "payments-*": ` + alarmPatternRule,
				`environments[1].entryConditions.noAlarms[1] "payments-5x?": ` + alarmPatternRule,
				`environments[1].entryConditions.noAlarms[3] "payments-€": holds "€" (U+20AC) at byte 9, which IAM refuses in a policy document: it takes printable characters through U+00FF (Basic Latin and Latin-1 Supplement) only (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html); rename the alarm in those characters`,
			},
		},
		{
			// A rule names one alarm, and CloudFormation refuses a condition
			// of more than 5 rules (the variants sweep found 12 alarms and a
			// window synthesized into one condition of 13).
			name: "more entry-condition rules than a condition takes",
			mutate: func(c *Config) {
				c.Environments[0].EntryConditions = &EntryConditions{NoAlarms: []string{"a1", "a2", "a3", "a4", "a5", "a5"}}
				c.Environments[1].EntryConditions = &EntryConditions{DeploymentWindow: &DeploymentWindow{Cron: "cron(* 9-16 ? * MON-FRI *)", TimeZone: "UTC"},
					NoAlarms: []string{"b1", "b2", "b3", "b4", "b5"}}
			},
			want: []string{
				`environments[1].entryConditions.noAlarms "5": the stage's entry condition would have 6 rules (5 alarms, one rule each and the deployment window), and CodePipeline takes at most 5 rules in a condition (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-codepipeline-pipeline-condition.html): gate on at most 4 alarms, combining them into a CloudWatch composite alarm`,
			},
		},
		{
			// A wave is one stage: the entry condition gathers the alarms
			// of all its environments.
			name: "a wave's environments together over a condition's rules",
			mutate: func(c *Config) {
				c.Environments[0].Wave, c.Environments[1].Wave = "prod", "prod"
				c.Environments[0].EntryConditions = &EntryConditions{NoAlarms: []string{"a1", "a2", "shared"}}
				c.Environments[1].EntryConditions = &EntryConditions{NoAlarms: []string{"b1", "b2", "b3", "shared"}}
			},
			want: []string{
				`environments[1].entryConditions.noAlarms "4": wave "prod" is one stage, and its environments' entry condition would have 6 rules (6 alarms, one rule each), and CodePipeline takes at most 5 rules in a condition (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-codepipeline-pipeline-condition.html): gate on at most 5 alarms, combining them into a CloudWatch composite alarm`,
			},
		},
		{
			name: "approval notify not an email",
			mutate: func(c *Config) {
				// The last three passed a looser rule than the one
				// observability.notifications.emails follows (idrules.Email),
				// and SNS refused them at deploy.
				c.Environments[1].Approval.Notify = []string{"ops@example.com", "ops", "a@b@c", "o ps@example.com", "@example.com", "ops@example", "<ops@example.com>", "ops@example.com,"}
			},
			want: []string{
				`environments[1].approval.notify[1] "ops": must be an email address, such as ops@example.com`,
				`environments[1].approval.notify[2] "a@b@c": must be an email address, such as ops@example.com`,
				`environments[1].approval.notify[3] "o ps@example.com": must be an email address, such as ops@example.com`,
				`environments[1].approval.notify[4] "@example.com": must be an email address, such as ops@example.com`,
				`environments[1].approval.notify[5] "ops@example": must be an email address, such as ops@example.com`,
				`environments[1].approval.notify[6] "<ops@example.com>": must be an email address, such as ops@example.com`,
				`environments[1].approval.notify[7] "ops@example.com,": must be an email address, such as ops@example.com`,
			},
		},
		{
			// aws-cdk-lib refused it after jsii, naming no field
			// (SubscriptionAlreadyExistsUnder); found by the round-5 sweep.
			name: "approval notify listed twice",
			mutate: func(c *Config) {
				c.Environments[1].Approval.Notify = []string{"ops@example.com", "dev@example.com", "ops@example.com"}
			},
			want: []string{`environments[1].approval.notify[2] "ops@example.com": listed twice; remove one`},
		},
		{
			name:   "approval comment too long",
			mutate: func(c *Config) { c.Environments[1].Approval.Comment = strings.Repeat("é", 513) },
			want:   []string{`environments[1].approval.comment "` + strings.Repeat("é", 157) + `...": has 513 characters; shorten it to at most 512`},
		},
		{
			name:   "approval comment of 512 characters",
			mutate: func(c *Config) { c.Environments[1].Approval.Comment = strings.Repeat("é", 512) },
		},
		{
			name:   "approval comment empty",
			mutate: func(c *Config) { c.Environments[1].Approval.Comment = "" },
			want:   []string{`environments[1].approval.comment "": must not be empty; write a comment, or omit it to use the default "Approve deployment to <environment>"`},
		},
	})
}

// alarmPatternRule refuses an alarm name with a wildcard character.
const alarmPatternRule = "contains * or ?, which IAM reads as wildcards in the alarm ARN the pipeline role may describe, admitting every alarm that matches; name each alarm exactly"
