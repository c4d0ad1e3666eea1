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
)

// Environment is one deployment target, deployed in config order.
type Environment struct {
	// Name is [a-z][a-z0-9-]{1,19}, not ending in a hyphen, unique, not
	// "tooling". Required.
	Name string `yaml:"name" json:"name"`
	// Account is the 12-digit target account ID; it may be the tooling
	// account. Exactly one of Account, Accounts, OrganizationalUnits and
	// Tooling is required.
	Account string `yaml:"account,omitempty" json:"account,omitempty"`
	// Tooling makes the environment a stage of steps only, in the tooling
	// account and region (such as a Lambda invoke between two
	// environments): no account, regions or stack. Default: false.
	Tooling bool `yaml:"tooling,omitempty" json:"tooling,omitempty"`
	// Steps run in this environment only, after the top-level steps of the
	// same place (see Step). Required in a tooling environment. Default:
	// none.
	Steps []Step `yaml:"steps,omitempty" json:"steps,omitempty"`
	// Accounts deploy the workload stack as a self-managed StackSet
	// <stackName>-<name> to these accounts: each account receives the
	// StackSet execution role in a stack <name>-<env>-<account>.
	Accounts []string `yaml:"accounts,omitempty" json:"accounts,omitempty"`
	// StackSetOf names an earlier accounts or organizationalUnits
	// environment: this one adds instances of that StackSet (the
	// CloudFormationStackInstances action) instead of a StackSet of its own.
	StackSetOf string `yaml:"stackSetOf,omitempty" json:"stackSetOf,omitempty"`
	// Settings are per-environment values that ${key} in the deploy
	// strategy and hooks refers to, such as listener ARNs. Keys are letters,
	// digits and _. ${env}, ${account} and ${region} are built in.
	Settings map[string]string `yaml:"settings,omitempty" json:"settings,omitempty"`
	// OrganizationalUnits target every account of these OUs
	// (ou-xxxx-xxxxxxxx) instead of one account: a service-managed StackSet
	// with automatic deployment puts the target roles into each account,
	// including accounts that join later, and the pipeline deploys the
	// workload as a StackSet. Needs organization.
	OrganizationalUnits []string `yaml:"organizationalUnits,omitempty" json:"organizationalUnits,omitempty"`
	// Rollout paces a StackSet deployment to OrganizationalUnits.
	Rollout *Rollout `yaml:"rollout,omitempty" json:"rollout,omitempty"`
	// Regions are the regions the workload is deployed to, at least one,
	// each once and in the tooling region's partition; the environment's
	// roles live in StackRegion, by default the first.
	Regions []string `yaml:"regions" json:"regions"`
	// StackRegion is the region of the environment's own stack:
	// <name>-<env> of an account environment (its deploy, execution, hook
	// and invoke roles, the permissions boundary, a CodeDeploy group or EKS
	// access entry), <name>-<env>-<account> of each account of an accounts
	// environment (its StackSet execution role). Any region of the tooling
	// partition in which the account is bootstrapped; with a strategy that
	// creates a CodeDeploy group or an EKS access entry, the environment's
	// one region. Set it to the current first region before reordering
	// regions or moving the environment to others: the stack would
	// otherwise be created in the new first region, while the old one still
	// holds the role names, and CloudFormation would fail ("already
	// exists"; README, "Changes that deploy as updates"). Default: the
	// first of Regions.
	StackRegion string `yaml:"stackRegion,omitempty" json:"stackRegion,omitempty"`
	// Wave groups environments that deploy together: consecutive
	// environments with the same wave share one pipeline stage and deploy in
	// parallel once every approval of the wave is given. Same rules as Name.
	// Default: the environment's name (a stage of its own).
	Wave string `yaml:"wave,omitempty" json:"wave,omitempty"`
	// Freeze, when present, disables the transition into this
	// environment's stage: executions wait there until someone enables it.
	Freeze *Freeze `yaml:"freeze,omitempty" json:"freeze,omitempty"`
	// Parameters override template parameters of the stack in this
	// environment; values may use #{namespace.name} variables. Together at
	// most 1000 characters of JSON. Default: none.
	Parameters map[string]string `yaml:"parameters,omitempty" json:"parameters,omitempty"`
	// TemplateConfiguration is the path, in the build output, of a
	// CloudFormation template configuration file for this environment, at
	// most 993 characters (the action takes it as Build::<path>, one action
	// configuration value of at most 1,000). Default: none.
	TemplateConfiguration string `yaml:"templateConfiguration,omitempty" json:"templateConfiguration,omitempty"`
	// ReviewChangeSet puts a manual approval between creating and executing
	// the change set in each region. Default: false.
	ReviewChangeSet bool `yaml:"reviewChangeSet,omitempty" json:"reviewChangeSet,omitempty"`
	// EntryConditions hold executions before this environment's stage
	// until they are met (V2 stage entry conditions). Default: none.
	EntryConditions *EntryConditions `yaml:"entryConditions,omitempty" json:"entryConditions,omitempty"`
	// DisableRollback turns off the automatic rollback of this
	// environment's stage when it fails. Default: false (a failed stage
	// rolls back to the last successful execution).
	DisableRollback bool `yaml:"disableRollback,omitempty" json:"disableRollback,omitempty"`
	// Approval, when present (even empty: approval: {}), puts a manual
	// approval before this environment's deployment.
	Approval *Approval `yaml:"approval,omitempty" json:"approval,omitempty"`
}

// Rollout paces a StackSet deployment across the accounts of OUs.
type Rollout struct {
	// MaxConcurrentPercentage is the share of accounts deployed at once,
	// 1 to 100. Default: 25.
	MaxConcurrentPercentage int `yaml:"maxConcurrentPercentage,omitempty" json:"maxConcurrentPercentage,omitempty"`
	// FailureTolerancePercentage is the share of accounts per region that
	// may fail before the deployment stops, 0 to 100. Default: 0.
	FailureTolerancePercentage int `yaml:"failureTolerancePercentage,omitempty" json:"failureTolerancePercentage,omitempty"`
}

// maxEnvironments bounds a pipeline's environments.
const maxEnvironments = 1000

// Defaults of the environments section.
const defaultMaxConcurrentPercentage = defaults.MaxConcurrentPercentage

var (
	envNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{1,19}$`)
)

// environmentDefaults sets the defaults of every environment; unset is as in
// applyDefaults.
func (c *Config) environmentDefaults(unset unsetFunc) {
	for i := range c.Environments {
		e := &c.Environments[i]
		e.gateDefaults(i, unset)
		if len(e.OrganizationalUnits) > 0 && e.Rollout == nil {
			e.Rollout = &Rollout{}
		}
		if r := e.Rollout; r != nil && unset(envPath(i, "rollout.maxConcurrentPercentage"), r.MaxConcurrentPercentage == 0) {
			r.MaxConcurrentPercentage = defaultMaxConcurrentPercentage
		}
	}
}

// envIndex remembers what earlier environments claimed, for the rules
// that compare environments.
type envIndex struct {
	names map[string]int // name -> first environment with it
	waves map[string]int // wave -> first environment in it
}

// validateEnvironments checks every environment, in order.
func (c *Config) validateEnvironments(p *problems) {
	switch n := len(c.Environments); {
	case n == 0:
		p.add("environments", "", "required; add at least one environment with name, account and regions")
	case n > maxEnvironments:
		p.add("environments", strconv.Itoa(n), fmt.Sprintf("has more than %d entries; split the environments across several Relay configurations", maxEnvironments))
	}
	idx := envIndex{names: map[string]int{}, waves: map[string]int{}}
	for i, e := range c.Environments {
		envNameRules(p, i, e, idx.names)
		c.targetRules(p, i, e)
		c.stackSetOfRule(p, i, e)
		rolloutRules(p, i, e)
		c.regionRules(p, i, e)
		c.waveRule(p, i, e, idx.waves)
		c.changeSetRules(p, i, e)
		entryConditionRules(p, i, e)
		if f := e.Freeze; f != nil {
			p.add(envPath(i, "freeze.reason"), f.Reason, freezeRule(f.Reason))
		}
		approvalRules(p, i, e)
	}
}

// envNameRules checks environments[i].name: well formed and unique.
func envNameRules(p *problems, i int, e Environment, names map[string]int) {
	rule := envNameRule(e.Name)
	if j, dup := names[e.Name]; rule == "" && dup {
		rule = fmt.Sprintf("duplicate of environments[%d].name; give each environment a unique name", j)
	} else if !dup {
		names[e.Name] = i
	}
	p.add(envPath(i, "name"), e.Name, rule)
}

// targetRules checks that environments[i] targets exactly one kind: one
// account, a list of accounts, or organizational units.
func (c *Config) targetRules(p *problems, i int, e Environment) {
	switch {
	case countSet(e.Account != "", len(e.Accounts) > 0, len(e.OrganizationalUnits) > 0, e.Tooling) > 1:
		p.add(envPath(i, "account"), e.Account, "set one of account (one account), accounts (a StackSet to these accounts), organizationalUnits (a StackSet to these OUs) and tooling (steps in the tooling account)")
	case e.Tooling:
		if len(e.Regions) > 0 {
			p.add(envPath(i, "regions"), strings.Join(e.Regions, ","), "a tooling environment runs its steps in the tooling region; remove regions")
		}
		if e.StackSetOf != "" {
			p.add(envPath(i, "stackSetOf"), e.StackSetOf, "needs accounts or organizationalUnits: the StackSet instances to add")
		}
	case len(e.Accounts) > 0:
		for k, a := range e.Accounts {
			rule := accountRule(a, "a 12-digit account ID")
			if rule == "" && slices.Index(e.Accounts, a) != k {
				rule = "listed twice; remove one"
			}
			p.add(envPath(i, fmt.Sprintf("accounts[%d]", k)), a, rule)
		}
		deploymentTargetsRule(p, envPath(i, "accounts"), e.Accounts, "accounts", "or target their organizational units (organizationalUnits)")
	case len(e.OrganizationalUnits) > 0:
		if c.Organization == nil {
			p.add(envPath(i, "organizationalUnits"), strings.Join(e.OrganizationalUnits, ","), "needs organization.id: OU targets are deployed through service-managed StackSets")
		}
		for k, ou := range e.OrganizationalUnits {
			rule := ""
			if !values.OrganizationalUnitID(ou) {
				rule = "must be an organizational unit ID such as ou-ab12-cd34ef56"
			} else if slices.Index(e.OrganizationalUnits, ou) != k {
				rule = "listed twice; remove one"
			}
			p.add(envPath(i, fmt.Sprintf("organizationalUnits[%d]", k)), ou, rule)
		}
		deploymentTargetsRule(p, envPath(i, "organizationalUnits"), e.OrganizationalUnits, "organizational units", "or target a parent organizational unit")
	case e.StackSetOf != "":
		p.add(envPath(i, "stackSetOf"), e.StackSetOf, "needs accounts or organizationalUnits: the StackSet instances to add")
	default:
		p.add(envPath(i, "account"), e.Account, accountRule(e.Account, "the 12-digit account ID of this environment, accounts or organizationalUnits for a StackSet, or tooling: true for a stage of steps"))
	}
}

// stackSetOfRule checks that environments[i].stackSetOf names an earlier
// StackSet environment of the same kind that owns its StackSet.
func (c *Config) stackSetOfRule(p *problems, i int, e Environment) {
	if e.StackSetOf == "" || (len(e.Accounts) == 0 && len(e.OrganizationalUnits) == 0) {
		return
	}
	j := slices.IndexFunc(c.Environments[:i], func(o Environment) bool { return o.Name == e.StackSetOf })
	switch {
	case j < 0:
		p.add(envPath(i, "stackSetOf"), e.StackSetOf, "must name an earlier environment with accounts or organizationalUnits, whose StackSet this one extends")
	case c.Environments[j].StackSetOf != "":
		p.add(envPath(i, "stackSetOf"), e.StackSetOf, fmt.Sprintf("environments[%d] extends %q itself; name the environment that owns the StackSet", j, c.Environments[j].StackSetOf))
	case (len(c.Environments[j].Accounts) > 0) != (len(e.Accounts) > 0) || c.Environments[j].Account != "":
		p.add(envPath(i, "stackSetOf"), e.StackSetOf, fmt.Sprintf("environments[%d] is not a StackSet of the same kind; accounts extend accounts, organizationalUnits extend organizationalUnits", j))
	}
}

// rolloutRules checks environments[i].rollout.
func rolloutRules(p *problems, i int, e Environment) {
	r := e.Rollout
	if r == nil {
		return
	}
	if len(e.OrganizationalUnits) == 0 && len(e.Accounts) == 0 {
		p.add(envPath(i, "rollout"), "", "applies only to accounts and organizationalUnits environments (StackSets); remove it")
	}
	if r.MaxConcurrentPercentage < 1 || r.MaxConcurrentPercentage > 100 {
		p.add(envPath(i, "rollout.maxConcurrentPercentage"), strconv.Itoa(r.MaxConcurrentPercentage), "must be from 1 to 100 (default 25)")
	}
	if r.FailureTolerancePercentage < 0 || r.FailureTolerancePercentage > 100 {
		p.add(envPath(i, "rollout.failureTolerancePercentage"), strconv.Itoa(r.FailureTolerancePercentage), "must be from 0 to 100")
	}
}

// OwnStackRegion is the region of e's own stack: StackRegion, or the first
// of Regions ("" when there are none).
func (e Environment) OwnStackRegion() string {
	if e.StackRegion != "" || len(e.Regions) == 0 {
		return e.StackRegion
	}
	return e.Regions[0]
}

// regionRules checks environments[i].regions: known, in the tooling
// partition, each once; and stackRegion. Two environments may share an
// account and region; expandedStackRules refuses a stack deployed twice.
func (c *Config) regionRules(p *problems, i int, e Environment) {
	if e.StackRegion != "" {
		rule := ""
		if k := kindOf(e); k != "account" && k != "accounts" {
			rule = "applies to account and accounts environments, whose roles have a stack of their own; remove it"
		} else if rule = regionRule(e.StackRegion, "an AWS region, such as us-east-1"); rule == "" {
			rule = partitionRule(partitions[e.StackRegion], c.Tooling.Region, "keep the environment's stack within the tooling partition")
		}
		p.add(envPath(i, "stackRegion"), e.StackRegion, rule)
	}
	if e.Tooling {
		return // targetRules refuses regions
	}
	if len(e.Regions) == 0 {
		p.add(envPath(i, "regions"), "", "required; list at least one region, such as [us-east-1]")
	}
	regions := map[string]int{} // region -> first index in e.Regions
	for j, r := range e.Regions {
		rule := regionRule(r, "an AWS region, such as us-east-1")
		if rule == "" {
			rule = partitionRule(partitions[r], c.Tooling.Region,
				"deploy only within the tooling partition, or give that partition its own Relay configuration")
		}
		if k, dup := regions[r]; rule == "" && dup {
			rule = fmt.Sprintf("duplicate of environments[%d].regions[%d]; remove it", i, k)
		} else if !dup {
			regions[r] = j
		}
		p.add(fmt.Sprintf("environments[%d].regions[%d]", i, j), r, rule)
	}
}

// waveRule checks environments[i].wave: well formed, and the environments
// of a wave listed one after another.
func (c *Config) waveRule(p *problems, i int, e Environment, waves map[string]int) {
	if e.Wave == "" {
		return
	}
	rule := envNameRule(e.Wave)
	if first, seen := waves[e.Wave]; rule == "" && seen && c.Environments[i-1].Wave != e.Wave {
		rule = fmt.Sprintf("environments[%d] is in this wave too, but the environments between are not; list the environments of a wave one after another", first)
	} else if !seen {
		waves[e.Wave] = i
	}
	p.add(envPath(i, "wave"), e.Wave, rule)
}

// changeSetRules checks the change-set settings of environments[i]:
// parameters, templateConfiguration and reviewChangeSet.
func (c *Config) changeSetRules(p *problems, i int, e Environment) {
	if len(e.Parameters) > 0 || e.TemplateConfiguration != "" || e.ReviewChangeSet {
		if e.Account == "" {
			p.add(envPath(i, "parameters"), "", "parameters, templateConfiguration and reviewChangeSet apply to account environments; a StackSet takes its template as is")
		}
	}
	for _, k := range slices.Sorted(maps.Keys(e.Parameters)) {
		if !values.TemplateParameterName(k) {
			p.add(envPath(i, "parameters."+k), k, "must be a template parameter name: 1 to 255 letters and digits")
		}
	}
	if raw, _ := json.Marshal(e.Parameters); len(e.Parameters) > 0 && len(raw) > limits.Max(limits.ActionConfiguration) {
		p.add(envPath(i, "parameters"), strconv.Itoa(len(raw))+" characters", fmt.Sprintf("CodePipeline takes at most %d characters of parameter overrides; move parameters into templateConfiguration", limits.Max(limits.ActionConfiguration)))
	}
	// With a placeholder, the expanded path is checked per region
	// (validateComponents).
	if tc := e.TemplateConfiguration; tc != "" && !placeholderRE.MatchString(tc) {
		v, rule := c.artifactPath(tc, pathRule(tc, "config/production.json", "the build output"))
		p.add(envPath(i, "templateConfiguration"), v, rule)
	} else if tc != "" {
		p.add(envPath(i, "templateConfiguration"), tc, pathRule(tc, "config/production.json", "the build output"))
	}
}

func envNameRule(s string) string {
	switch {
	case s == "":
		return "required; set a name such as staging"
	case !envNameRE.MatchString(s):
		return "must be 2 to 20 lowercase letters, digits and hyphens, starting with a letter, such as staging"
	case strings.HasSuffix(s, "-"):
		return "must not end with '-'; remove the trailing hyphen"
	case s == "tooling":
		return `is reserved for the tooling account; choose another name, such as shared`
	}
	return ""
}

// deploymentTargetsRule refuses StackSet targets (account IDs or OU IDs)
// that, joined by commas into the StackSet action's DeploymentTargets, pass
// CodePipeline's 1,000 characters per action configuration value
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html):
// 77 accounts at most. They used to be refused only after aws-cdk-lib ran,
// without the config's line.
func deploymentTargetsRule(p *problems, path string, ids []string, what, fix string) {
	joined := strings.Join(ids, ",")
	if max := limits.Max(limits.ActionConfiguration); len(joined) > max {
		p.add(path, fmt.Sprintf("%d %s", len(ids), what), fmt.Sprintf("joined by commas they make the StackSet action's DeploymentTargets %d characters, and CodePipeline takes at most %d per action configuration value (%s); split them across environments that extend this StackSet (stackSetOf), %s", len(joined), max, limits.ByID(limits.ActionConfiguration).Source, fix))
	}
}
