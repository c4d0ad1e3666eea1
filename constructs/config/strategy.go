package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/internal/deployconfigs"
)

// Release strategies: how an environment receives the workload when it is not
// (only) a CloudFormation stack. At most one strategy block is set in deploy;
// without one, the workload is the CloudFormation stack of deploy.stackName.
// Each strategy's type, defaults and checks live in its own file
// (strategy_<name>.go); this file holds what they share: the choice of one
// strategy, the ${...} placeholders filled per environment, and common rules.

// Strategy names the release strategy of d: cloudformation, ecs,
// ecs-blue-green, codedeploy, s3 or eks.
func (d *Deploy) Strategy() string {
	switch {
	case d.ECS != nil:
		return "ecs"
	case d.ECSBlueGreen != nil:
		return "ecs-blue-green"
	case d.CodeDeploy != nil:
		return "codedeploy"
	case d.S3 != nil:
		return "s3"
	case d.EKS != nil:
		return "eks"
	}
	return "cloudformation"
}

// strategyBlocks are the keys of the strategy blocks, in field order.
var strategyBlocks = []string{"ecs", "ecsBlueGreen", "codeDeploy", "s3", "eks"}

// setBlocks are the strategy keys d sets.
func (d *Deploy) setBlocks() []string {
	var out []string
	for i, set := range []bool{d.ECS != nil, d.ECSBlueGreen != nil, d.CodeDeploy != nil, d.S3 != nil, d.EKS != nil} {
		if set {
			out = append(out, strategyBlocks[i])
		}
	}
	return out
}

// IsStack reports whether the workload is a CloudFormation stack (or
// StackSet): the strategy is cloudformation.
func (d *Deploy) IsStack() bool { return d.Strategy() == "cloudformation" }

// userParametersRule checks the template of a Lambda invoke's (a hook's or a step's)
// userParameters: with a ${...} placeholder, it must be a JSON document
// whose placeholders stand inside strings (Relay fills them JSON-encoded,
// see Expand); any other text could not say where a setting's value ends.
func userParametersRule(template string) string {
	if !placeholderRE.MatchString(template) {
		return ""
	}
	if !json.Valid([]byte(placeholderRE.ReplaceAllString(template, "x"))) {
		return `uses a ${...} placeholder outside a JSON document: write userParameters as JSON with each placeholder inside a string, such as {"path": "${path}"}, so that Relay can encode the setting for it`
	}
	return ""
}

// validateRelease checks the strategy blocks and hooks. Fields that use
// placeholders are checked once per account environment and region, with
// the values that environment receives (validate reports identical
// problems once).
func (c *Config) validateRelease(p *problems) {
	d := &c.Deploy
	if blocks := d.setBlocks(); len(blocks) > 1 {
		p.add("deploy."+blocks[1], "", fmt.Sprintf("deploy sets %s; choose one release strategy", strings.Join(blocks, " and ")))
		return
	}
	if !d.IsStack() {
		if ep := d.ExecutionPolicy; len(ep.ManagedPolicyArns) > 0 || len(ep.Statements) > 0 {
			p.add("deploy.executionPolicy", "", fmt.Sprintf("applies to CloudFormation workloads only; the %s strategy deploys no stack, remove it", d.Strategy()))
		}
	}
	// Every environment in every region, with the values it receives
	// there; problems repeat per environment and region, and validate drops
	// repeats.
	accountEnvs := 0
	stacks := map[[3]string]deployedStack{} // account, region and stack name -> first deployment
	for i, e := range c.Environments {
		for _, k := range slices.Sorted(maps.Keys(e.Settings)) {
			if !settingKeyRE.MatchString(k) || slices.Contains(builtinSettings, k) {
				p.add(envPath(i, "settings."+k), k, "must be 1 to 64 letters, digits and _, starting with a letter, and not env, account or region (built in)")
			}
		}
		regions := e.Regions
		if kindOf(e) != "account" {
			regions = []string{""} // one action for every region, or the tooling region
		} else {
			accountEnvs++
		}
		for _, region := range regions {
			if kindOf(e) == "account" && (e.Account == "" || region == "") {
				// The environment's own rules report the missing account
				// or region; ${account} and ${region} cannot be filled.
				continue
			}
			x, errs := c.expand(i, region)
			for _, fe := range errs {
				p.add(fe.Path, fe.Value, fe.Rule)
			}
			if len(errs) > 0 {
				continue
			}
			if kindOf(e) != "tooling" {
				c.componentRules(p, i, region, x, stacks)
			}
			c.expandedStepRules(p, i, x)
			if kindOf(e) == "account" {
				validateHooks(p, x.Deploy.Hooks)
				if e.Account == c.Tooling.Account && region == c.Tooling.Region {
					c.ownHookRules(p, x.Deploy.Hooks)
				}
			}
		}
		// The strategy's release: deploy's own block, or the component of
		// deploy.stacks released by a strategy (to account environments
		// only), whose CodeDeploy group or EKS access entry lives in the
		// environment's stack just the same.
		if rel, ok := d.StrategyRelease(); !ok || !rel.createsRegionalResources() || (len(d.Stacks) > 0 && kindOf(e) != "account") {
			continue
		} else if len(e.Regions) > 1 {
			p.add(envPath(i, "regions"), strings.Join(e.Regions, ","),
				fmt.Sprintf("the %s strategy creates its CodeDeploy group or EKS access entry in one region; split this environment into one environment per region", rel.Strategy()))
		} else if len(e.Regions) == 1 && e.StackRegion != "" && e.StackRegion != e.Regions[0] {
			p.add(envPath(i, "stackRegion"), e.StackRegion,
				fmt.Sprintf("the %s strategy creates its CodeDeploy group or EKS access entry in the environment's stack, which must be in its region %s; remove stackRegion (moving such an environment to another region takes two steps: README, \"Changes that deploy as updates\")", rel.Strategy(), e.Regions[0]))
		}
	}
	if accountEnvs == 0 {
		validateHooks(p, d.Hooks)
	}
	for i, h := range d.Hooks {
		if h.Lambda != nil {
			p.add(fmt.Sprintf("deploy.hooks[%d].lambda.userParameters", i), h.Lambda.UserParameters, userParametersRule(h.Lambda.UserParameters))
		}
	}
	for i, e := range c.Environments {
		if k := kindOf(e); !d.IsStack() && k != "account" && k != "tooling" {
			p.add(envPath(i, "account"), "", fmt.Sprintf("the %s strategy deploys to one account per environment; accounts and organizationalUnits environments receive CloudFormation StackSets only", d.Strategy()))
		}
	}
}

// createsRegionalResources reports whether d's strategy creates a resource
// in the environment's stack that lives in one region: a CodeDeploy group
// (not an existing one) or an EKS access entry.
func (d *Deploy) createsRegionalResources() bool {
	switch {
	case d.ECSBlueGreen != nil:
		return d.ECSBlueGreen.ExistingGroup == nil
	case d.CodeDeploy != nil:
		return d.CodeDeploy.ExistingGroup == nil
	}
	return d.EKS != nil && d.EKS.Helm != nil
}

// arnPlaceRule checks that an ARN of the given region and account shape is in
// the environment's account (and region, when the ARN has one).
func arnPlaceRule(what, region, account string, e Environment, envRegion string) string {
	if account != e.Account {
		return fmt.Sprintf("is a %s of account %s, but environment %q deploys to %s; use the one in %s", what, account, e.Name, e.Account, e.Account)
	}
	if region != "" && region != envRegion {
		return fmt.Sprintf("is a %s of region %s, but environment %q deploys to %s; use ${region} or a per-environment setting", what, region, e.Name, envRegion)
	}
	return ""
}

// alarmNameRule checks a CloudWatch alarm name (values.AlarmName: 1 to 255
// characters, no control character) and, as Relay has always required, no
// comma.
func alarmNameRule(a string) string {
	if !values.AlarmName(a) || strings.Contains(a, ",") {
		return "must be a CloudWatch alarm name of 1 to 255 characters, without commas or control characters"
	}
	return ""
}

func alarmsRule(q *problems, path string, alarms []string) {
	seen := map[string]bool{}
	for k, a := range alarms {
		switch {
		case alarmNameRule(a) != "":
			q.add(fmt.Sprintf("%s[%d]", path, k), a, alarmNameRule(a))
		case seen[a]:
			// CodeDeploy takes each alarm name once per list (API
			// AlarmConfiguration: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_AlarmConfiguration.html);
			// the construct refused it only after aws-cdk-lib ran, without the config's line.
			q.add(fmt.Sprintf("%s[%d]", path, k), a, "is listed twice; CodeDeploy takes each alarm name once per deployment group; remove one")
		}
		seen[a] = true
	}
	if max := limits.Max(limits.CodeDeployAlarms); len(alarms) > max {
		q.add(path, strconv.Itoa(len(alarms)), fmt.Sprintf("CodeDeploy watches at most %d alarms per deployment group; combine them in a composite alarm", max))
	}
}

func configNameRule(s string, allowed []string) string {
	if _, ok := deployconfigs.Short(s, allowed); ok {
		return ""
	}
	return "unknown deployment configuration; use one of " + strings.Join(allowed, ", ")
}

func minutesRule(n int, max int) string {
	if n < 0 || n > max {
		return fmt.Sprintf("must be from 0 to %d minutes", max)
	}
	return ""
}

// taskRolesRule checks the roles a deploy role may pass to ECS.
func taskRolesRule(c *Config, q *problems, path string, roles []string, e Environment, region string) {
	if len(roles) == 0 {
		q.add(path, "", "required: list the task role and task execution role ARNs of the task definition; the deploy role may pass only these to ECS")
	}
	for k, role := range roles {
		rule := ""
		if m := roleARNRE.FindStringSubmatch(role); m == nil || strings.ContainsAny(role, "*?") {
			rule = "must be a role ARN without wildcards, such as arn:aws:iam::222222222222:role/web-task"
		} else {
			rule = arnPlaceRule("role", "", m[1], e, region)
		}
		if rule == "" {
			rule = c.taskRoleRule(role)
		}
		q.add(fmt.Sprintf("%s[%d]", path, k), role, rule)
	}
}

func intPtr(n int) *int { return &n }

// defaultTerminationWaitMinutes is how long blue tasks or instances stay
// after a blue/green switch unless the config says.
const defaultTerminationWaitMinutes = defaults.TerminationWaitMinutes

var roleARNRE = regexp.MustCompile(`^arn:[^:]+:iam::([0-9]{12}):role/([\w+=,.@-]+/)*[\w+=,.@-]+$`)

// strategyDefaults sets the defaults of d's strategy block; unset is as in
// applyDefaults; gitOpsValue is the default of eks.gitops.value for the
// configuration's source (Source.gitOpsValue).
func (d *Deploy) strategyDefaults(unset unsetFunc, gitOpsValue string) {
	if x := d.ECS; x != nil {
		x.applyDefaults(unset)
	}
	if x := d.ECSBlueGreen; x != nil {
		x.applyDefaults(unset)
	}
	if x := d.CodeDeploy; x != nil {
		x.applyDefaults(unset)
	}
	if x := d.S3; x != nil {
		x.applyDefaults()
	}
	if x := d.EKS; x != nil {
		x.applyDefaults(unset, gitOpsValue)
	}
}

// validateStrategy checks r's strategy block as environment e receives it
// in region.
// Quotas are the configuration's declared quotas (Config.DeclaredQuotas).
func validateStrategy(c *Config, q *problems, r *Deploy, e Environment, region string, quotas limits.Quotas) {
	if x := r.ECS; x != nil {
		validateECS(c, q, x, e, region)
	}
	if x := r.ECSBlueGreen; x != nil {
		validateECSBlueGreen(c, q, x, e, region)
	}
	if x := r.CodeDeploy; x != nil {
		validateCodeDeploy(c, q, x, e, region, quotas)
	}
	if x := r.S3; x != nil {
		validateS3Deploy(c, q, x, e, region)
	}
	if x := r.EKS; x != nil {
		validateEKS(q, x, e, region)
	}
}
