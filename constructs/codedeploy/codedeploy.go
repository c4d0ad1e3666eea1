// Package codedeploy creates the CodeDeploy applications and deployment groups
// that a delivery pipeline in another account deploys through. They live in
// the target account's stack and are built from plain names and ARNs: the ECS
// service, the load balancer, the Auto Scaling groups and the instances
// already exist there, created by the workload's own platform stack.
//
// Scope:
//   - NewECS: an ECS blue/green deployment group (production and test
//     listener, blue and green target group, traffic shifting, alarms).
//   - NewServer: an EC2/on-premises deployment group, in place or blue/green.
//   - DeployStatements on both props: the IAM statements that the pipeline's
//     deploy-action role in the target account needs, as plain data.
//   - ECSConfigName, ServerConfigName and the Validate methods: pure Go, so a
//     config validator can check names before anything is synthesized.
//
// Non-goals: creating or changing the ECS service, the load balancer, the
// target groups, the Auto Scaling groups or the instances' roles; looking
// anything up at synthesis time (no fromLookup, no context, no VPC); custom
// ECS traffic-shifting configs; Lambda deployment groups; the pipeline
// itself (see constructs/pipeline) and the role its actions assume (see
// constructs/target).
package codedeploy

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/target"
	"github.com/relaycdk/relay/internal/deployconfigs"
)

// Statement is one Allow statement of the deploy role, as plain data; it
// is target.Statement, so that DeployStatements feed target.Props directly.
type Statement = target.Statement

// Minutes returns a pointer to n, for the optional minute fields of the
// props (TerminationWaitMinutes).
func Minutes(n int) *int { return &n }

// MaxWaitMinutes is the longest CodeDeploy waits, before rerouting traffic or
// before terminating the blue fleet: 2 days.
var MaxWaitMinutes = limits.Max(limits.CodeDeployWait)

// DefaultTerminationWaitMinutes is how long the blue fleet stays after
// traffic moved to green, unless TerminationWaitMinutes says otherwise: long
// enough for an alarm on the new version to fire and roll back.
const DefaultTerminationWaitMinutes = defaults.TerminationWaitMinutes

// configPrefix is the prefix of CodeDeploy's predefined deployment configs.
const configPrefix = deployconfigs.Prefix

var (
	codeDeployName = regexp.MustCompile(`^[A-Za-z0-9._+=,@-]{1,100}$`)
	partitionRe    = `aws(?:-[a-z]+)*`
	regionRe       = `[a-z]+(?:-[a-z]+)+-\d+`
	listenerArn    = regexp.MustCompile(`^arn:(` + partitionRe + `):elasticloadbalancing:(` + regionRe + `):(\d{12}):listener/(app|net)/([A-Za-z0-9-]{1,32})/([0-9a-f]+)/[0-9a-f]+$`)
	targetGroupArn = regexp.MustCompile(`^arn:(` + partitionRe + `):elasticloadbalancing:(` + regionRe + `):(\d{12}):targetgroup/([A-Za-z0-9-]{1,32})/[0-9a-f]+$`)
	roleArn        = regexp.MustCompile(`^arn:` + partitionRe + `:iam::(\d{12}):role/[\w+=,.@/-]{1,512}$`)
	targetGroupNm  = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$`)
)

const codeDeployNameRule = "must be 1-100 characters of letters, digits and ._+=,@-"

// problems collects validation messages, each naming the field, the value and
// the rule.
type problems []error

func (p *problems) add(format string, a ...any) { *p = append(*p, fmt.Errorf(format, a...)) }

func (p *problems) name(field, v string) {
	if !codeDeployName.MatchString(v) {
		p.add("%s %q: %s", field, v, codeDeployNameRule)
	}
}

func (p *problems) minutes(field string, v int) {
	if v < 0 || v > MaxWaitMinutes {
		p.add("%s %d: must be 0-%d (48 hours)", field, v, MaxWaitMinutes)
	}
}

func (p *problems) alarms(names []string) {
	if max := limits.Max(limits.CodeDeployAlarms); len(names) > max {
		p.add("AlarmNames: %d alarms; CodeDeploy allows at most %d per deployment group", len(names), max)
	}
	seen := map[string]bool{}
	for i, a := range names {
		switch {
		case !values.AlarmName(a):
			p.add("AlarmNames[%d] %q: must be 1-255 characters without control characters, the name of a CloudWatch alarm in the target account", i, a)
		case seen[a]:
			p.add("AlarmNames[%d] %q: listed twice", i, a)
		}
		seen[a] = true
	}
}

// listener is a parsed load balancer listener ARN.
type listener struct {
	partition, region, account string
	kind                       string // "app" or "net"
	loadBalancer               string // "<kind>/<name>/<id>"
}

func parseListener(arn string) (listener, bool) {
	m := listenerArn.FindStringSubmatch(arn)
	if m == nil {
		return listener{}, false
	}
	return listener{partition: m[1], region: m[2], account: m[3], kind: m[4], loadBalancer: m[4] + "/" + m[5] + "/" + m[6]}, true
}

// targetGroup is a parsed target group ARN.
type targetGroup struct {
	region, account, name string
}

func parseTargetGroup(arn string) (targetGroup, bool) {
	m := targetGroupArn.FindStringSubmatch(arn)
	if m == nil {
		return targetGroup{}, false
	}
	return targetGroup{region: m[2], account: m[3], name: m[4]}, true
}

// hasWildcard reports whether an IAM resource pattern matches more than one
// name.
func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

// codeDeployArns are the ARNs the deploy action works on.
func codeDeployArns(partition, region, account, app, group, config string) (appArn, groupArn, configArn string) {
	base := fmt.Sprintf("arn:%s:codedeploy:%s:%s:", partition, region, account)
	return base + "application:" + app, base + "deploymentgroup:" + app + "/" + group, base + "deploymentconfig:" + config
}

// codeDeployStatements are what both CodePipeline actions (CodeDeploy and
// CodeDeployToECS) call on CodeDeploy, each scoped to the one resource type
// that the action authorizes against.
func codeDeployStatements(appArn, groupArn, configArn string) []Statement {
	return []Statement{
		{
			Sid:       "CreateDeployments",
			Actions:   []string{"codedeploy:CreateDeployment", "codedeploy:GetDeployment"},
			Resources: []string{groupArn},
		},
		{
			Sid:       "RegisterRevisions",
			Actions:   []string{"codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"},
			Resources: []string{appArn},
		},
		{
			Sid:       "ReadDeploymentConfig",
			Actions:   []string{"codedeploy:GetDeploymentConfig"},
			Resources: []string{configArn},
		},
	}
}
