package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/relaycdk/relay/constructs/internal/cron"
	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/idrules"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// Approval configures a manual approval gate.
type Approval struct {
	// Comment is shown to the approver, at most 512 characters.
	// Default: "Approve deployment to <env>".
	Comment string `yaml:"comment,omitempty" json:"comment,omitempty"`
	// Notify are email addresses subscribed to the approval topic.
	// Default: none.
	Notify []string `yaml:"notify,omitempty" json:"notify,omitempty"`
	// ReviewURL is an https link the approver should look at first, such as
	// a dashboard of the previous environment, at most 1,000 characters
	// (one action configuration value). Default: none.
	ReviewURL string `yaml:"reviewUrl,omitempty" json:"reviewUrl,omitempty"`
	// TimeoutMinutes is how long the approval waits, 5 to 86400 (60 days).
	// Default: 10080 (7 days).
	TimeoutMinutes int `yaml:"timeoutMinutes,omitempty" json:"timeoutMinutes,omitempty"`
}

// EntryConditions must hold before an execution enters a stage; when one
// does not, the stage entry fails.
type EntryConditions struct {
	// DeploymentWindow allows entry only inside a cron window.
	DeploymentWindow *DeploymentWindow `yaml:"deploymentWindow,omitempty" json:"deploymentWindow,omitempty"`
	// NoAlarms names CloudWatch alarms of the tooling account and region
	// that must not be in ALARM, each by its exact name (the pipeline role
	// may describe these alarms only: no commas, * or ?).
	NoAlarms []string `yaml:"noAlarms,omitempty" json:"noAlarms,omitempty"`
}

// DeploymentWindow is a cron window, e.g. weekdays 9:00 to 16:59.
type DeploymentWindow struct {
	// Cron is an EventBridge cron expression, such as
	// "cron(* 9-16 ? * MON-FRI *)". Required.
	Cron string `yaml:"cron" json:"cron"`
	// TimeZone is an IANA time zone, such as Europe/Berlin. Default: UTC.
	TimeZone string `yaml:"timeZone,omitempty" json:"timeZone,omitempty"`
}

// Freeze holds deployments before an environment.
type Freeze struct {
	// Reason is shown on the disabled transition in the console, 1 to 300
	// of letters, digits, spaces and !@().*?-. Required.
	Reason string `yaml:"reason" json:"reason"`
}

// Stage gates of an environment: approval, freeze and entry conditions.

// Defaults of the gates.
const (
	approvalCommentPrefix         = defaults.ApprovalCommentPrefix
	defaultApprovalTimeoutMinutes = defaults.ApprovalTimeoutMinutes
	defaultTimeZone               = defaults.TimeZone
)

// gateDefaults sets the defaults of the gates of environments[i]; unset is
// as in applyDefaults.
func (e *Environment) gateDefaults(i int, unset unsetFunc) {
	if e.Approval != nil && unset(envPath(i, "approval.comment"), e.Approval.Comment == "") {
		e.Approval.Comment = approvalCommentPrefix + e.Name
	}
	if e.Approval != nil && unset(envPath(i, "approval.timeoutMinutes"), e.Approval.TimeoutMinutes == 0) {
		e.Approval.TimeoutMinutes = defaultApprovalTimeoutMinutes
	}
	if ec := e.EntryConditions; ec != nil && ec.DeploymentWindow != nil && unset(envPath(i, "entryConditions.deploymentWindow.timeZone"), ec.DeploymentWindow.TimeZone == "") {
		ec.DeploymentWindow.TimeZone = defaultTimeZone
	}
}

// entryConditionRules checks environments[i].entryConditions.
func entryConditionRules(p *problems, i int, e Environment) {
	ec := e.EntryConditions
	if ec == nil {
		return
	}
	if ec.DeploymentWindow == nil && len(ec.NoAlarms) == 0 {
		p.add(envPath(i, "entryConditions"), "", "set deploymentWindow, noAlarms or both, or remove entryConditions")
	}
	if w := ec.DeploymentWindow; w != nil {
		p.add(envPath(i, "entryConditions.deploymentWindow.cron"), w.Cron, cron.Rule(w.Cron))
		p.add(envPath(i, "entryConditions.deploymentWindow.timeZone"), w.TimeZone, cron.TimeZoneRule(w.TimeZone))
	}
	for k, a := range ec.NoAlarms {
		if rule := alarmNameRule(a); rule != "" {
			p.add(envPath(i, fmt.Sprintf("entryConditions.noAlarms[%d]", k)), a, rule)
		} else if strings.ContainsAny(a, "*?") {
			// The pipeline role may describe these alarms (CheckEntryAlarms):
			// IAM matches * and ? in their ARNs as wildcards.
			p.add(envPath(i, fmt.Sprintf("entryConditions.noAlarms[%d]", k)), a, "contains * or ?, which IAM reads as wildcards in the alarm ARN the pipeline role may describe, admitting every alarm that matches; name each alarm exactly")
		} else {
			// The alarm's ARN is in the pipeline role's policy.
			p.add(envPath(i, fmt.Sprintf("entryConditions.noAlarms[%d]", k)), a, values.PolicyTextRule(a, "rename the alarm in those characters"))
		}
	}
	if rule := conditionRulesRule(values.SortedUnique(ec.NoAlarms), ec.DeploymentWindow != nil, ""); rule != "" {
		p.add(envPath(i, "entryConditions.noAlarms"), strconv.Itoa(len(ec.NoAlarms)), rule)
	}
}

// conditionRulesRule says why alarms (distinct) and, with window, a
// deployment window are more rules than the entry condition of one stage
// holds, or "" when they fit: each alarm is a CloudWatchAlarm rule of its
// own (a rule names one alarm) and the window a DeploymentWindow rule, and
// CloudFormation refuses a condition of more than limits.ConditionRules (5)
// rules. wave, when set, names the wave whose environments share the stage.
func conditionRulesRule(alarms []string, window bool, wave string) string {
	n, max := len(alarms), limits.Max(limits.ConditionRules)
	if window {
		n++
	}
	if n <= max {
		return ""
	}
	with, room := "", max
	if window {
		with, room = " and the deployment window", max-1
	}
	whose := "the stage's"
	if wave != "" {
		whose = fmt.Sprintf("wave %q is one stage, and its environments'", wave)
	}
	return fmt.Sprintf("%s entry condition would have %d rules (%d alarms, one rule each%s), and CodePipeline takes at most %d rules in a condition (%s): gate on at most %d alarms, combining them into a CloudWatch composite alarm",
		whose, n, len(alarms), with, max, limits.ByID(limits.ConditionRules).Source, room)
}

// approvalRules checks environments[i].approval.
func approvalRules(p *problems, i int, e Environment) {
	a := e.Approval
	if a == nil {
		return
	}
	p.add(envPath(i, "approval.comment"), a.Comment, commentRule(a.Comment))
	// The link is one action configuration value (ExternalEntityLink).
	v, rule := actionValue(a.ReviewURL, values.ReviewURLRule(a.ReviewURL), "use a shorter link")
	p.add(envPath(i, "approval.reviewUrl"), v, rule)
	if a.TimeoutMinutes < 5 || a.TimeoutMinutes > 86400 {
		p.add(envPath(i, "approval.timeoutMinutes"), strconv.Itoa(a.TimeoutMinutes), "must be from 5 to 86400 minutes (60 days); the default is 10080 (7 days)")
	}
	for k, addr := range a.Notify {
		rule := idrules.Email(addr)
		if rule == "" && slices.Index(a.Notify, addr) != k {
			// aws-cdk-lib names each subscription by its address and
			// refuses a second one (SubscriptionAlreadyExistsUnder).
			rule = "listed twice; remove one"
		}
		p.add(envPath(i, fmt.Sprintf("approval.notify[%d]", k)), addr, rule)
	}
}

func freezeRule(s string) string {
	if !values.FreezeReason(s) {
		return "must be 1 to 300 of letters, digits, spaces and !@().*?-, such as \"Holiday freeze until Jan 5\""
	}
	return ""
}

// commentRule is the rule of an environment approval's comment s, whose
// default is "Approve deployment to <environment>".
func commentRule(s string) string {
	return commentRuleWithDefault(s, approvalCommentPrefix+"<environment>")
}

// stepCommentRule is commentRule for a step approval's comment, which may
// be left out ("" here): the release plan then writes "Approve <step> of
// <environment>" per environment.
func stepCommentRule(s string) string {
	if s == "" {
		return ""
	}
	return commentRuleWithDefault(s, stepCommentDefault)
}

// stepCommentDefault is how a step approval's default comment reads in a
// message (plan.ApprovalStep writes it).
const stepCommentDefault = "Approve <step> of <environment>"

// commentRuleWithDefault is the rule of an approval comment s whose default
// is def.
func commentRuleWithDefault(s, def string) string {
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return `must not be empty; write a comment, or omit it to use the default "` + def + `"`
	case n > 512:
		return fmt.Sprintf("has %d characters; shorten it to at most 512", n)
	}
	return ""
}
