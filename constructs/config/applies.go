package config

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// Settings that apply only to some environments or strategies. A setting
// written where it does not apply would be dropped without a word, so it is
// refused by name. The environment kinds are one account (account), a
// self-managed StackSet (accounts) and a service-managed StackSet
// (organizationalUnits); a wave is one pipeline stage.
//
// What applies where:
//
//	setting                                     account  accounts  OUs
//	settings (${...} placeholders, expand.go)   yes      yes⁴      yes⁴
//	parameters, templateConfiguration,
//	  reviewChangeSet (change sets)             yes¹     -         -
//	rollout, stackSetOf                         -        yes       yes
//	deploy.hooks                                yes      -         -
//	deploy.stacks                               yes      -         -
//	deploy.<strategy> (ecs, s3, ...)            yes      -         -
//	deploy.stackName, templatePath,
//	  capabilities, executionPolicy             yes¹     yes       yes³
//	approval, freeze, entryConditions,
//	  disableRollback, wave, regions            yes²     yes²      yes²
//
// ¹ with the CloudFormation strategy only. ² freeze, the deployment window
// and disableRollback belong to the wave's stage: the environments of a
// wave must agree on them. ³ the execution role is created in every account
// of the OUs, but a service-managed StackSet deploys through its own
// service-linked roles, so the policy does not bound it (README,
// "Environments of organizational units"). ⁴ for the fields that expand
// there: the stack name and the template path (expand.go, Expands).

// applicabilityRules refuses the settings written where they do not apply.
func (c *Config) applicabilityRules(p *problems) {
	c.settingsApply(p)
	c.hooksApply(p)
	c.stacksApply(p)
	c.macrosApply(p)
	c.stackSettingsApply(p)
	c.wavesAgree(p)
	c.waveConditionRules(p)
	if o := c.Organization; o != nil && o.StackSetsCallAs == "SELF" &&
		!slices.ContainsFunc(c.Environments, func(e Environment) bool { return len(e.OrganizationalUnits) > 0 }) {
		p.add("organization.stackSetsCallAs", o.StackSetsCallAs, "applies to organizationalUnits environments only (service-managed StackSets), and there are none; remove it")
	}
}

// kindOf names the kind of e's target.
func kindOf(e Environment) string {
	switch {
	case e.Tooling:
		return "tooling"
	case len(e.Accounts) > 0:
		return "accounts"
	case len(e.OrganizationalUnits) > 0:
		return "organizationalUnits"
	}
	return "account"
}

// settingsApply checks environments[].settings: each key must fill a
// ${...} placeholder of a field that expands in this kind of environment
// (Expands): stack names and template paths everywhere, the release
// strategy, hooks and template configuration in account environments.
func (c *Config) settingsApply(p *problems) {
	used := map[string]map[string]bool{}
	for i, e := range c.Environments {
		if len(e.Settings) == 0 {
			continue
		}
		kind := kindOf(e)
		if used[kind] == nil {
			used[kind] = c.usedPlaceholders(kind)
		}
		for _, k := range slices.Sorted(maps.Keys(e.Settings)) {
			if settingKeyRE.MatchString(k) && !slices.Contains(builtinSettings, k) && !used[kind][k] {
				p.add(envPath(i, "settings."+k), k, fmt.Sprintf("is used by no ${...} placeholder of a field that expands in %s environments; remove it, or use it as ${%s}", kind, k))
			}
		}
	}
}

// hooksApply checks that deploy.hooks have only account environments to
// run in: a hook is a Lambda or Step Functions action in one account and
// region, and a StackSet environment deploys without it.
func (c *Config) hooksApply(p *problems) {
	if len(c.Deploy.Hooks) == 0 {
		return
	}
	var stackSets []string
	for i, e := range c.Environments {
		if k := kindOf(e); k != "account" && k != "tooling" {
			stackSets = append(stackSets, fmt.Sprintf("environments[%d] %q (%s)", i, e.Name, kindOf(e)))
		}
	}
	if len(stackSets) == 0 {
		return
	}
	names := make([]string, len(c.Deploy.Hooks))
	for i, h := range c.Deploy.Hooks {
		names[i] = h.Name
	}
	p.add("deploy.hooks", strings.Join(names, ","),
		fmt.Sprintf("run in account environments only, and %s would deploy without them: give StackSet environments a Relay configuration of their own, or remove the hooks", strings.Join(stackSets, ", ")))
}

// macrosApply refuses CAPABILITY_AUTO_EXPAND, which acknowledges template
// macros (AWS::Serverless, AWS::Include or one's own), when an environment
// is organizationalUnits: its service-managed StackSet runs no macros, and
// "Even if you specify this capability for a StackSet with service-managed
// permissions, if you reference a macro in your template the StackSet
// operation will fail"
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html).
// A self-managed StackSet (accounts) runs them.
func (c *Config) macrosApply(p *problems) {
	i := slices.Index(c.Deploy.Capabilities, "CAPABILITY_AUTO_EXPAND")
	if i < 0 {
		return
	}
	var ous []string
	for k, e := range c.Environments {
		if kindOf(e) == "organizationalUnits" {
			ous = append(ous, fmt.Sprintf("environments[%d] %q", k, e.Name))
		}
	}
	if len(ous) == 0 {
		return
	}
	p.add(fmt.Sprintf("deploy.capabilities[%d]", i), c.Deploy.Capabilities[i],
		fmt.Sprintf("acknowledges template macros, and the service-managed StackSet of an organizationalUnits environment fails on any macro (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html): %s; deploy a template without macros and remove it, or list those accounts as an accounts environment (a self-managed StackSet, which runs macros)",
			strings.Join(ous, ", ")))
}

// stacksApply checks that deploy.stacks have only account environments to
// deploy to: a StackSet environment deploys one template with one action.
func (c *Config) stacksApply(p *problems) {
	if len(c.Deploy.Stacks) == 0 {
		return
	}
	var stackSets []string
	for i, e := range c.Environments {
		if k := kindOf(e); k != "account" && k != "tooling" {
			stackSets = append(stackSets, fmt.Sprintf("environments[%d] %q (%s)", i, e.Name, kindOf(e)))
		}
	}
	if len(stackSets) > 0 {
		names := make([]string, len(c.Deploy.Stacks))
		for k, x := range c.Deploy.Stacks {
			names[k] = x.Name
		}
		p.add("deploy.stacks", strings.Join(names, ","),
			fmt.Sprintf("deploy to account environments only, and %s deploy one StackSet with one template: give StackSet environments a Relay configuration of their own, or deploy one stack", strings.Join(stackSets, ", ")))
	}
}

// stackSettingsApply checks the settings of a CloudFormation workload when
// the release strategy is another: the workload is then no stack.
func (c *Config) stackSettingsApply(p *problems) {
	d := c.Deploy
	if d.IsStack() || len(d.setBlocks()) > 1 {
		return
	}
	rule := fmt.Sprintf("applies to CloudFormation workloads only, and the %s strategy deploys no stack; remove it", d.Strategy())
	if len(d.Capabilities) > 0 {
		p.add("deploy.capabilities", strings.Join(d.Capabilities, ","), rule)
	}
	if d.TemplatePath != "" && d.TemplatePath != defaultTemplatePath {
		p.add("deploy.templatePath", d.TemplatePath, rule)
	}
	if d.StackName != "" && d.StackName != c.Name+stackNameSuffix {
		p.add("deploy.stackName", d.StackName, rule)
	}
	for i, e := range c.Environments {
		if kindOf(e) != "account" {
			continue // refused as a StackSet setting
		}
		if len(e.Parameters) > 0 {
			p.add(envPath(i, "parameters"), strings.Join(slices.Sorted(maps.Keys(e.Parameters)), ","), rule)
		}
		if e.TemplateConfiguration != "" {
			p.add(envPath(i, "templateConfiguration"), e.TemplateConfiguration, rule)
		}
		if e.ReviewChangeSet {
			p.add(envPath(i, "reviewChangeSet"), "true", rule)
		}
	}
}

// wavesAgree checks that the environments of a wave agree on what belongs
// to the wave's stage: the freeze, the deployment window and rollback. The
// stage takes the first freeze and window, and rolls back unless every
// environment disables it, so a different value would be dropped.
func (c *Config) wavesAgree(p *problems) {
	for i, e := range c.Environments {
		if e.Wave == "" {
			continue
		}
		for j, o := range c.Environments[:i] {
			if o.Wave != e.Wave {
				continue
			}
			if e.Freeze != nil && o.Freeze != nil && e.Freeze.Reason != o.Freeze.Reason {
				p.add(envPath(i, "freeze.reason"), e.Freeze.Reason,
					fmt.Sprintf("environments[%d] in wave %q is frozen with another reason, and a wave is one stage with one freeze: give its environments the same reason, or freeze one of them", j, e.Wave))
			}
			if w, v := windowOf(e), windowOf(o); w != nil && v != nil && *w != *v {
				p.add(envPath(i, "entryConditions.deploymentWindow"), w.Cron+" "+w.TimeZone,
					fmt.Sprintf("environments[%d] in wave %q has another deployment window, and a wave is one stage with one window: give its environments the same window, or set it on one of them", j, e.Wave))
			}
			if e.DisableRollback != o.DisableRollback {
				k := i // the one that disables rollback, to no effect
				if o.DisableRollback {
					k = j
				}
				p.add(envPath(k, "disableRollback"), "true",
					fmt.Sprintf("wave %q is one stage, which rolls back unless every environment in it disables rollback: set disableRollback on every environment of the wave, or on none", e.Wave))
			}
		}
	}
}

// waveConditionRules checks that the entry condition of each wave's stage,
// which gathers the noAlarms of all its environments (each distinct alarm
// once) and the wave's deployment window, holds at most
// limits.ConditionRules rules; an environment over it alone is reported by
// entryConditionRules. A wave is reported on its last environment with
// noAlarms.
func (c *Config) waveConditionRules(p *problems) {
	envs := c.Environments
	for start := 0; start < len(envs); {
		wave := waveOf(envs[start])
		end := start + 1
		for end < len(envs) && waveOf(envs[end]) == wave {
			end++
		}
		var alarms []string
		window, last, alone := false, -1, false
		for i := start; i < end; i++ {
			ec := envs[i].EntryConditions
			if ec == nil {
				continue
			}
			alarms = append(alarms, ec.NoAlarms...)
			window = window || ec.DeploymentWindow != nil
			if len(ec.NoAlarms) > 0 {
				last = i
			}
			alone = alone || conditionRulesRule(values.SortedUnique(ec.NoAlarms), ec.DeploymentWindow != nil, "") != ""
		}
		if rule := conditionRulesRule(values.SortedUnique(alarms), window, wave); end-start > 1 && last >= 0 && !alone && rule != "" {
			p.add(envPath(last, "entryConditions.noAlarms"), strconv.Itoa(len(envs[last].EntryConditions.NoAlarms)), rule)
		}
		start = end
	}
}

// waveOf is the wave of e: its wave, or its name (a stage of its own).
func waveOf(e Environment) string {
	if e.Wave != "" {
		return e.Wave
	}
	return e.Name
}

// windowOf is e's deployment window, nil if none.
func windowOf(e Environment) *DeploymentWindow {
	if e.EntryConditions == nil {
		return nil
	}
	return e.EntryConditions.DeploymentWindow
}
