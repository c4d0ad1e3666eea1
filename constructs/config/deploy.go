package config

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/goccy/go-yaml"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/iampolicy"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// Deploy describes the workload stack that every environment receives.
type Deploy struct {
	// StackName is the CloudFormation stack created in each target account
	// and region: a letter, then at most 127 letters, digits and hyphens.
	// Default: <name>-app.
	StackName string `yaml:"stackName,omitempty" json:"stackName,omitempty"`
	// TemplatePath is the template's path inside the build output artifact,
	// relative and without "..", at most 993 characters: the action takes
	// it as Build::<path> (Source::<path>, 992, with build: none), one
	// action configuration value of at most 1,000. Default: template.json.
	TemplatePath string `yaml:"templatePath,omitempty" json:"templatePath,omitempty"`
	// Capabilities acknowledged on change sets, from CAPABILITY_IAM,
	// CAPABILITY_NAMED_IAM and CAPABILITY_AUTO_EXPAND, each at most once;
	// CAPABILITY_AUTO_EXPAND (template macros) is refused with an
	// organizationalUnits environment, whose service-managed StackSet fails
	// on any macro
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html).
	// Default: none.
	Capabilities []string `yaml:"capabilities,omitempty" json:"capabilities,omitempty"`
	// ExecutionPolicy is what the CloudFormation execution role in each
	// target account may do. It must grant something: Relay never assumes
	// AdministratorAccess. Required for a CloudFormation workload; not
	// allowed with another strategy.
	ExecutionPolicy ExecutionPolicy `yaml:"executionPolicy,omitempty" json:"executionPolicy,omitempty"`
	// ECS, ECSBlueGreen, CodeDeploy, S3 and EKS choose another release
	// strategy than a CloudFormation stack; set at most one. Their string
	// fields may use ${env}, ${account}, ${region} and the environment's
	// settings.
	ECS          *ECSDeploy          `yaml:"ecs,omitempty" json:"ecs,omitempty"`
	ECSBlueGreen *ECSBlueGreenDeploy `yaml:"ecsBlueGreen,omitempty" json:"ecsBlueGreen,omitempty"`
	CodeDeploy   *CodeDeployDeploy   `yaml:"codeDeploy,omitempty" json:"codeDeploy,omitempty"`
	S3           *S3Deploy           `yaml:"s3,omitempty" json:"s3,omitempty"`
	EKS          *EKSDeploy          `yaml:"eks,omitempty" json:"eks,omitempty"`
	// Hooks are Lambda and Step Functions invoke actions around the
	// deployment of each account environment, in order. Default: none.
	Hooks []Hook `yaml:"hooks,omitempty" json:"hooks,omitempty"`
	// Stacks are several stacks (or releases by another strategy) that
	// every account environment receives, in the order their dependsOn
	// gives, instead of the one workload of StackName, TemplatePath,
	// Capabilities or a strategy block above. ExecutionPolicy is then the
	// environment's execution role for the stacks without one of their
	// own. Default: none (one workload).
	Stacks []Component `yaml:"stacks,omitempty" json:"stacks,omitempty"`
	// None is true when the file says `deploy: none`: environments deploy
	// no workload and run their steps only (such as Terraform through step
	// roles). An omitted deploy keeps its defaults (the stack <name>-app).
	// Default: false.
	None bool `yaml:"-" json:"none,omitempty"`
}

// deploySettings is Deploy without its UnmarshalYAML.
type deploySettings Deploy

// UnmarshalYAML decodes `deploy: none` (None) or the mapping of deploy
// settings, strictly; another scalar is an error on its line that says what
// deploy takes.
func (d *Deploy) UnmarshalYAML(decode func(interface{}) error) error {
	var word string
	if err := decode(&word); err == nil && word == "none" {
		*d = Deploy{None: true}
		return nil
	}
	err := decode((*deploySettings)(d))
	var wrong *yaml.UnexpectedNodeTypeError
	if errors.As(err, &wrong) && !isMapping(decode) {
		return &noneOrMapping{UnexpectedNodeTypeError: wrong, field: "deploy", none: "no workload: environments run their steps only", example: "{stackName: payments-app, executionPolicy: {...}}"}
	}
	return err
}

// ExecutionPolicy lists the permissions of the CloudFormation execution role.
type ExecutionPolicy struct {
	// ManagedPolicyArns are IAM managed policies to attach, AWS managed
	// (account aws) or customer managed, in the tooling region's partition.
	// IAM attaches to a role only AWS managed policies and customer managed
	// policies of the role's own account: a customer managed policy of
	// another account than an environment's is refused; one that every
	// account keeps under the same name is written with ${account} as its
	// account (arn:aws:iam::${account}:policy/app-deployer), filled with
	// each execution role's account. (organizationalUnits environments have
	// no execution role: StackSets deploys there through its own roles.)
	// The AWS managed AdministratorAccess and
	// IAMFullAccess policies are refused unless AllowAdministratorAccess.
	// At most 10 distinct ARNs: IAM's default quota of managed policies
	// per role (limits.IAMRoleManagedPolicies), which Service Quotas may
	// raise in an account but a synth cannot see; up to 25 with
	// quotas.iamManagedPoliciesPerRole declared.
	ManagedPolicyArns []string `yaml:"managedPolicyArns,omitempty" json:"managedPolicyArns,omitempty"`
	// Statements are inline Allow statements. A statement as strong as
	// AdministratorAccess (an IAM escalation action, such as iam:* or
	// sts:AssumeRole, on every role or "*") is refused unless
	// AllowAdministratorAccess.
	Statements []Statement `yaml:"statements,omitempty" json:"statements,omitempty"`
	// AllowAdministratorAccess must be true to accept administrator rights,
	// with AdministratorAccessReason. Default: false.
	AllowAdministratorAccess bool `yaml:"allowAdministratorAccess,omitempty" json:"allowAdministratorAccess,omitempty"`
	// AdministratorAccessReason says why the stacks need administrator
	// rights, at least 10 characters. Required with AllowAdministratorAccess.
	AdministratorAccessReason string `yaml:"administratorAccessReason,omitempty" json:"administratorAccessReason,omitempty"`
}

// Statement is one inline IAM Allow statement.
type Statement struct {
	// Sid is an optional statement ID, letters and digits only.
	Sid string `yaml:"sid,omitempty" json:"sid,omitempty"`
	// Actions are service:Action names, such as lambda:CreateFunction;
	// wildcards (* and ?) are allowed in the action, "*" alone is not. At
	// least one.
	Actions []string `yaml:"actions" json:"actions"`
	// Resources are ARNs (arn:...) or "*". At least one.
	Resources []string `yaml:"resources" json:"resources"`
	// Reason says why the statement needs a wildcard. Required (at least
	// 10 characters) when an action or resource contains "*": it becomes the
	// written reason of the cdk-nag suppression for that wildcard.
	Reason string `yaml:"reason,omitempty" json:"reason,omitempty"`
	// Conditions map an IAM condition operator (StringEquals, ArnLike,
	// ForAnyValue:StringLike, BoolIfExists, ...) to condition keys and
	// their values, such as {StringEquals: {aws:RequestedRegion:
	// [eu-west-1]}}. Default: none.
	Conditions map[string]map[string][]string `yaml:"conditions,omitempty" json:"conditions,omitempty"`
}

// Defaults of the deploy section.
const (
	defaultTemplatePath = defaults.TemplatePath
	stackNameSuffix     = defaults.StackNameSuffix // default stack name: <name>-app
)

// capabilities are the CloudFormation capabilities a change set may
// acknowledge.
var capabilities = []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"}

var (
	stackNameRE = regexp.MustCompile(fmt.Sprintf(`^[A-Za-z][A-Za-z0-9-]{0,%d}$`, limits.Max(limits.StackName)-1))
	actionRE    = regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9*?]+$`)
	sidRE       = regexp.MustCompile(`^[A-Za-z0-9]*$`)
	// policyARNRE captures the partition and the account (aws for AWS
	// managed policies) of an IAM managed policy ARN with an optional path.
	policyARNRE = regexp.MustCompile(`^arn:([^:]*):iam::(aws|[0-9]{12}|\$\{account\}):policy/([\w+=,.@-]+/)*[\w+=,.@-]+$`)
)

// deployDefaults sets the defaults of deploy, its strategy block and its
// hooks; unset is as in applyDefaults.
func (c *Config) deployDefaults(unset unsetFunc) {
	d := &c.Deploy
	if d.None {
		return
	}
	if len(d.Stacks) == 0 {
		if c.Name != "" && unset("deploy.stackName", d.StackName == "") {
			d.StackName = c.Name + stackNameSuffix
		}
		if unset("deploy.templatePath", d.TemplatePath == "") {
			d.TemplatePath = defaultTemplatePath
		}
	}
	d.strategyDefaults(unset, c.Source.gitOpsValue())
	c.stacksDefaults(unset)
	hooksDefaults(d.Hooks, unset)
}

// validateDeploy checks deploy: the stack, its release strategy and hooks,
// and the execution policy.
func (c *Config) validateDeploy(p *problems) {
	d := c.Deploy
	if d.None {
		for i, e := range c.Environments {
			if k := kindOf(e); k == "accounts" || k == "organizationalUnits" {
				p.add(envPath(i, "name"), e.Name, fmt.Sprintf("is a %s environment, which deploys a StackSet of the workload, and deploy is none; give it account, or set deploy", k))
			}
		}
		c.validateRelease(p) // the steps' values per environment
		return
	}
	// A stack name derived from an invalid name is reported once, at name.
	// Values with ${...} are checked per environment and region, once
	// expanded (expandedStackRules).
	derived := d.StackName == "" || d.StackName == c.Name+stackNameSuffix
	if len(d.Stacks) == 0 {
		if (!derived || nameRule(c.Name) == "") && !placeholderRE.MatchString(d.StackName) {
			p.add("deploy.stackName", d.StackName, stackNameRule(d.StackName, c.Name))
		}
		if !placeholderRE.MatchString(d.TemplatePath) {
			v, rule := c.artifactPath(d.TemplatePath, pathRule(d.TemplatePath, defaultTemplatePath, "the build output"))
			p.add("deploy.templatePath", v, rule)
		}
	}
	c.validateStacks(p)
	capabilityRules(p, d.Capabilities)
	c.validateRelease(p)
	c.executionPolicyRules(p)
}

// capabilityRules checks deploy.capabilities: known, each once.
func capabilityRules(p *problems, list []string) { capabilityRulesAt(p, "deploy.capabilities", list) }

// capabilityRulesAt checks the capabilities written at path.
func capabilityRulesAt(p *problems, path string, list []string) {
	first := map[string]int{}
	for i, capability := range list {
		rule := oneOfRule(capability, capabilities)
		if j, dup := first[capability]; rule == "" && dup {
			rule = fmt.Sprintf("duplicate of %s[%d]; remove it", path, j)
		} else if !dup {
			first[capability] = i
		}
		p.add(fmt.Sprintf("%s[%d]", path, i), capability, rule)
	}
}

// executionPolicyRules checks deploy.executionPolicy, the environment's
// execution role: required when a stack uses it, refused when none does.
// organizationalUnits environments have no execution role (StackSets
// deploys there through its own roles), so a configuration whose every
// environment is one does not need the policy.
func (c *Config) executionPolicyRules(p *problems) {
	const base = "deploy.executionPolicy"
	ep := c.Deploy.ExecutionPolicy
	empty := len(ep.ManagedPolicyArns) == 0 && len(ep.Statements) == 0
	if len(c.Deploy.Stacks) > 0 && !empty && !c.Deploy.HasStacks() {
		p.add(base, "", "is used by no stack: every entry of deploy.stacks is released by a strategy or has an executionPolicy of its own; remove it")
		return
	}
	withRole := slices.ContainsFunc(c.Environments, func(e Environment) bool { return len(e.OrganizationalUnits) == 0 })
	c.policyRules(p, base, ep, c.Deploy.IsStack() && c.Deploy.HasStacks() && withRole, c.Deploy.StackName)
}

// policyRules checks an execution policy written at base; required says
// that it must grant something.
func (c *Config) policyRules(p *problems, base string, ep ExecutionPolicy, required bool, stack string) {
	if stack == "" || strings.Contains(stack, "${") {
		stack = c.Name // an example without placeholders
	}
	if len(ep.ManagedPolicyArns) == 0 && len(ep.Statements) == 0 && required {
		p.add(base, "", "grants nothing; add managedPolicyArns or statements with what the stack needs (Relay never defaults to AdministratorAccess)")
	}
	for i, a := range ep.ManagedPolicyArns {
		rule := managedPolicyRule(a, ep.AllowAdministratorAccess, c.Tooling.Region, base)
		if rule == "" {
			rule = c.policyAccountRule(a)
		}
		if rule == "" && values.RelayIAMARN(a) {
			rule = values.OwnPolicyRule(values.RelayPathPolicy, "grant what the stacks need with "+base+".statements or a policy of your own")
		}
		p.add(fmt.Sprintf("%s.managedPolicyArns[%d]", base, i), a, rule)
	}
	quotas := c.DeclaredQuotas()
	if n, max := distinctCount(ep.ManagedPolicyArns), quotas.Max(limits.IAMRoleManagedPolicies); n > max {
		fix := fmt.Sprintf("merge customer managed policies, or grant with %s.statements instead", base)
		if raise := quotas.RaiseFix(limits.IAMRoleManagedPolicies, quotaPath(limits.IAMRoleManagedPolicies), n); raise != "" {
			fix = fmt.Sprintf("merge customer managed policies, grant with %s.statements instead, or, %s", base, raise)
		}
		p.add(base+".managedPolicyArns", strconv.Itoa(n), fmt.Sprintf("IAM attaches at most %d managed policies to a role (%s, %s), and each execution role gets all %d, so CloudFormation would fail to create it: %s",
			max, quotas.Basis(limits.IAMRoleManagedPolicies, quotaPath(limits.IAMRoleManagedPolicies)), limits.ByID(limits.IAMRoleManagedPolicies).Source, n, fix))
	}
	// IAM refuses a policy whose Sids repeat: the statements' own, and
	// those Relay writes beside them into the execution role's policy (with
	// a hook role's, which environments with hook functions get).
	reserved := iampolicy.ExecutionRoleSids(true)
	if c.Assets != nil {
		// Every execution role then reads the asset stores.
		reserved = append(reserved, iampolicy.ReadAssetsSid, iampolicy.PullImagesSid)
	}
	sids := map[string]int{}
	for k, s := range ep.Statements {
		sp := fmt.Sprintf("%s.statements[%d]", base, k)
		statementRules(p, sp, s)
		if prev, dup := sids[s.Sid]; s.Sid != "" && dup {
			p.add(sp+".sid", s.Sid, fmt.Sprintf("also the sid of %s.statements[%d], and IAM refuses repeated Sids in a policy; choose another sid", base, prev))
		} else if s.Sid != "" && slices.Contains(reserved, s.Sid) {
			p.add(sp+".sid", s.Sid, "Relay writes a statement with this Sid into the execution role's policy, and IAM refuses repeated Sids; choose another sid")
		} else if s.Sid != "" {
			sids[s.Sid] = k
		}
		if why := iampolicy.AdminEquivalent(s.Actions, s.Resources); why != "" {
			if !ep.AllowAdministratorAccess {
				p.add(sp, s.Sid, "is as strong as AdministratorAccess: "+why+"; scope it to the workload's own resources (such as arn:aws:iam::*:role/"+stack+"-*), or set "+base+".allowAdministratorAccess: true with administratorAccessReason to accept it")
			}
		} else {
			passRoleRule(p, sp, s)
		}
	}
	switch {
	case ep.AllowAdministratorAccess && len(strings.TrimSpace(ep.AdministratorAccessReason)) < 10:
		p.add(base+".administratorAccessReason", ep.AdministratorAccessReason, "required with allowAdministratorAccess: say why the stacks need administrator rights, in at least 10 characters")
	case !ep.AllowAdministratorAccess && ep.AdministratorAccessReason != "":
		p.add(base+".administratorAccessReason", ep.AdministratorAccessReason, "applies only with allowAdministratorAccess: true; remove it")
	}
}

// passRoleRule refuses iam:PassRole on a pattern of roles, in statement s
// at sp, unless an iam:PassedToService condition names the services it may
// pass them to (iampolicy.PassRoleWithoutService): a pattern may match
// roles nobody reviewed, trusted by CloudFormation or EC2 as well as by
// the workload's services.
// Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
func passRoleRule(p *problems, sp string, s Statement) {
	a := iampolicy.PassRoleWithoutService(s.Actions, s.Resources, s.Conditions)
	if a == "" || a == "*" { // "*" alone is refused as such (actionRule)
		return
	}
	j := slices.Index(s.Actions, a)
	pattern := s.Resources[slices.IndexFunc(s.Resources, iampolicy.RolePattern)]
	why := "passes every role that " + pattern + " matches to any service that trusts it"
	if !strings.EqualFold(a, "iam:PassRole") {
		why = "includes iam:PassRole, and " + why
	}
	if ignored := iampolicy.PassedToServiceIgnored(s.Conditions); ignored != "" {
		why += " (" + ignored + ")"
	}
	p.add(fmt.Sprintf("%s.actions[%d]", sp, j), a, why+"; grant iam:PassRole in a statement of its own with conditions: {StringEquals: {\"iam:PassedToService\": [lambda.amazonaws.com]}} naming the services the stacks pass roles to (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html), or name each role")
}

// statementRules checks one execution policy statement written at sp.
func statementRules(p *problems, sp string, s Statement) {
	p.add(sp+".sid", s.Sid, sidRule(s.Sid))
	if len(s.Actions) == 0 {
		p.add(sp+".actions", "", "required; list at least one action, such as s3:GetObject")
	}
	for j, a := range s.Actions {
		p.add(fmt.Sprintf("%s.actions[%d]", sp, j), a, actionRule(a))
	}
	if len(s.Resources) == 0 {
		p.add(sp+".resources", "", `required; list at least one resource ARN, or "*"`)
	}
	for j, r := range s.Resources {
		p.add(fmt.Sprintf("%s.resources[%d]", sp, j), r, resourceRule(r))
	}
	p.add(sp+".reason", s.Reason, reasonRule(s))
	conditionRules(p, sp+".conditions", s.Conditions)
}

// conditionOperatorRE matches an IAM condition operator: a base operator,
// optionally with ForAllValues: or ForAnyValue: before it and IfExists
// after it (IAM User Guide, "IAM JSON policy elements: Condition
// operators").
var conditionOperatorRE = regexp.MustCompile(`^(ForAllValues:|ForAnyValue:)?(StringEquals|StringNotEquals|StringEqualsIgnoreCase|StringNotEqualsIgnoreCase|StringLike|StringNotLike|NumericEquals|NumericNotEquals|NumericLessThan|NumericLessThanEquals|NumericGreaterThan|NumericGreaterThanEquals|DateEquals|DateNotEquals|DateLessThan|DateLessThanEquals|DateGreaterThan|DateGreaterThanEquals|Bool|BinaryEquals|IpAddress|NotIpAddress|ArnEquals|ArnLike|ArnNotEquals|ArnNotLike)(IfExists)?$|^Null$`)

// conditionKeyRE matches a condition key, such as aws:RequestedRegion or
// s3:prefix (keys may hold a tag key or path after a slash).
var conditionKeyRE = regexp.MustCompile(`^[A-Za-z0-9-]+:[A-Za-z0-9_./:@+=-]+$`)

// conditionRules checks a statement's conditions written at path.
func conditionRules(p *problems, path string, conds map[string]map[string][]string) {
	for _, op := range slices.Sorted(maps.Keys(conds)) {
		if !conditionOperatorRE.MatchString(op) {
			p.add(path, op, "is not an IAM condition operator; use one such as StringEquals, ArnLike, Bool or ForAnyValue:StringLike")
			continue
		}
		if len(conds[op]) == 0 {
			p.add(path+"."+op, "", "lists no condition key; add one, such as aws:RequestedRegion: [eu-west-1]")
		}
		for _, k := range slices.Sorted(maps.Keys(conds[op])) {
			switch {
			case !conditionKeyRE.MatchString(k):
				p.add(path+"."+op, k, "is not a condition key; use service:key, such as aws:RequestedRegion or s3:prefix")
			case len(conds[op][k]) == 0:
				p.add(path+"."+op+"."+k, "", "lists no value; add at least one")
			}
			for j, v := range conds[op][k] {
				p.add(fmt.Sprintf("%s.%s.%s[%d]", path, op, k, j), v, values.PolicyTextRule(v, wildcardFix))
			}
		}
	}
}

// stackNameRule checks a CloudFormation stack name; name is the config's
// name, from which the default derives.
func stackNameRule(s, name string) string {
	switch {
	case s == "":
		return fmt.Sprintf("must not be empty; set a stack name, or omit it to use the default %s%s", name, stackNameSuffix)
	case !stackNameRE.MatchString(s):
		return fmt.Sprintf("must start with a letter and have at most %d letters, digits and hyphens, such as payments-app", limits.Max(limits.StackName))
	}
	return ""
}

// managedPolicyRule checks an IAM managed policy ARN s of the execution
// policy written at base (such as deploy.executionPolicy); allowAdmin is
// that policy's allowAdministratorAccess.
func managedPolicyRule(s string, allowAdmin bool, toolingRegion, base string) string {
	m := policyARNRE.FindStringSubmatch(s)
	if m == nil {
		return "must be an IAM managed policy ARN, arn:<partition>:iam::<account ID, ${account} or aws>:policy/<path/name>, such as arn:aws:iam::aws:policy/AWSLambda_FullAccess"
	}
	if rule := partitionRule(m[1], toolingRegion, "use a policy of the tooling partition"); rule != "" {
		return rule
	}
	for _, admin := range iampolicy.AdministratorPolicies {
		if m[2] == "aws" && strings.HasSuffix(s, ":policy/"+admin) && !allowAdmin {
			return "grants " + admin + ", which is administrator rights; grant only what the stack needs, or set " + base + ".allowAdministratorAccess: true with administratorAccessReason to accept it"
		}
	}
	return ""
}

// policyAccountRule refuses a customer managed policy (arn) that is not of
// the account of every execution role it would be attached to: IAM attaches
// to a role only AWS managed policies and customer managed policies of the
// role's own account, so CloudFormation would fail to create the role
// ("does not exist or is not attachable"). The execution roles are in each
// account environment's account and in each account of an accounts
// environment; an organizationalUnits environment has none (StackSets
// deploys there through its own roles), so it takes any policy.
// Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html
func (c *Config) policyAccountRule(arn string) string {
	m := policyARNRE.FindStringSubmatch(arn)
	if m == nil || m[2] == "aws" || m[2] == AccountPlaceholder {
		return ""
	}
	for i, e := range c.Environments {
		var where string
		switch kindOf(e) {
		case "account":
			if e.Account != "" && e.Account != m[2] {
				where = "account " + e.Account
			}
		case "accounts":
			for _, a := range e.Accounts {
				if a != m[2] {
					where = "account " + a
					break
				}
			}
		}
		if where != "" {
			return fmt.Sprintf("is a customer managed policy of account %s, and environments[%d] %q deploys with an execution role in %s: "+
				"IAM attaches to a role only AWS managed policies (arn:<partition>:iam::aws:policy/...) and customer managed policies of the role's own account; "+
				"create the policy in every account under one name and write its account as ${account} (%s), or grant what the stacks need with statements instead, or use an AWS managed policy", m[2], i, e.Name, where, strings.Replace(arn, ":"+m[2]+":", ":"+AccountPlaceholder+":", 1))
		}
	}
	return ""
}

func actionRule(s string) string {
	switch {
	case s == "*":
		return `"*" alone allows every action of every service; name services, such as lambda:* or s3:GetObject`
	case !actionRE.MatchString(s):
		if svc, name, ok := strings.Cut(s, ":"); ok && actionRE.MatchString(strings.ToLower(svc)+":"+name) {
			return fmt.Sprintf("write the service prefix in lowercase, %s:%s (IAM reads it either way; Relay's checks of IAM writes and admin-equivalent grants compare it in lowercase)", strings.ToLower(svc), name)
		}
		return "must be service:Action, such as lambda:CreateFunction or lambda:*"
	}
	return ""
}

func resourceRule(s string) string {
	if s != "*" && !strings.HasPrefix(s, "arn:") {
		return `must be "*" or an ARN starting with arn:, such as arn:aws:s3:::my-bucket/*`
	}
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		return fmt.Sprintf("holds the control character %U at byte %d, such as a line break: an ARN is one line of text (CloudFormation's IAM resource schema and cfn-lint refuse it); remove it", []rune(s[i:])[0], i)
	}
	if rule := values.PolicyTextRule(s, wildcardFix); rule != "" {
		return rule
	}
	if p := values.PseudoParameter(s); p != "" {
		return pseudoParameterRule(p)
	}
	return ""
}

// wildcardFix is values.PolicyTextRule's fix for a pattern (a statement's resource
// or condition value).
const wildcardFix = "write it in those characters, or match it with a wildcard such as ?"

// pseudoParameterRule is the rule for a resource that holds
// CloudFormation's ${AWS::Name} (values.PseudoParameter).
func pseudoParameterRule(p string) string {
	return fmt.Sprintf("holds %s, CloudFormation's Fn::Sub syntax, which nothing resolves in a policy statement: IAM would read it as a policy variable that no request has, and the grant would match nothing; write the partition as text (arn:aws:...), and the account and region as ${account} and ${region}, which Relay fills for each role", p)
}

// distinctCount is the number of distinct values of list.
func distinctCount(list []string) int {
	seen := map[string]bool{}
	for _, v := range list {
		seen[v] = true
	}
	return len(seen)
}

// reasonRule requires a written reason for a statement with a wildcard.
func reasonRule(s Statement) string {
	wild := false
	for _, v := range append(append([]string(nil), s.Actions...), s.Resources...) {
		wild = wild || strings.Contains(v, "*")
	}
	switch {
	case wild && len(strings.TrimSpace(s.Reason)) < 10:
		return "required (at least 10 characters) because the statement has a wildcard; say why the stack needs it, e.g. \"CloudFormation generates the function names\""
	case len(s.Reason) > 500:
		return "is longer than 500 characters; shorten it"
	}
	return ""
}

func sidRule(s string) string {
	if !sidRE.MatchString(s) {
		return "must contain only letters and digits, such as ServiceResources"
	}
	return ""
}
