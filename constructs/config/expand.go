package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
)

// Per-environment and per-region values. A ${key} in a field of Expands is
// replaced, for each environment and region, by the environment's settings
// or the built-in ${env} (the environment's name), ${account} (its account)
// and ${region}; the result is then validated like a value written
// literally (format and length after expansion). This file is the one place
// that decides which fields expand: every other field refuses a
// placeholder, with a message that says so (placeholderRules), except the
// shell commands of Keeps, where ${name} is the shell's own.

// Expands lists the fields whose ${...} placeholders are expanded per
// environment and region, as YAML paths: [] stands for any index, * for any
// key, ** for everything below. Kinds says which environment kinds the
// field applies to (a field that does not apply is refused there by
// applicability rules, not expanded).
var Expands = []Expansion{
	{Path: "deploy.stackName", What: "the stack name", Kinds: allKinds},
	{Path: "deploy.templatePath", What: "the template path", Kinds: allKinds},
	{Path: "environments[].templateConfiguration", What: "the template configuration", Kinds: accountKind},
	{Path: "deploy.ecs.**", What: "the release strategy", Kinds: accountKind},
	{Path: "deploy.ecsBlueGreen.**", What: "the release strategy", Kinds: accountKind},
	{Path: "deploy.codeDeploy.**", What: "the release strategy", Kinds: accountKind},
	{Path: "deploy.s3.**", What: "the release strategy", Kinds: accountKind},
	{Path: "deploy.eks.**", What: "the release strategy", Kinds: accountKind},
	{Path: "deploy.stacks[].stackName", What: "the stack name", Kinds: accountKind},
	{Path: "deploy.stacks[].templatePath", What: "the template path", Kinds: accountKind},
	{Path: "deploy.stacks[].templateConfiguration", What: "the template configuration", Kinds: accountKind},
	{Path: "deploy.stacks[].parameters.*", What: "the parameters of deploy.stacks[] (not environments[].parameters, which are per environment already)", Kinds: accountKind},
	{Path: "deploy.stacks[].ecs.**", What: "the release strategy", Kinds: accountKind},
	{Path: "deploy.stacks[].ecsBlueGreen.**", What: "the release strategy", Kinds: accountKind},
	{Path: "deploy.stacks[].codeDeploy.**", What: "the release strategy", Kinds: accountKind},
	{Path: "deploy.stacks[].s3.**", What: "the release strategy", Kinds: accountKind},
	{Path: "deploy.stacks[].eks.**", What: "the release strategy", Kinds: accountKind},
	{Path: "deploy.hooks[].lambda.**", What: "the hooks", Kinds: accountKind},
	{Path: "deploy.hooks[].stepFunctions.**", What: "the hooks", Kinds: accountKind},
	{Path: "steps[].codeBuild.environmentVariables.*.value", What: "the step variables' values", Kinds: stepKinds},
	{Path: "steps[].codeBuild.role.statements[].resources[]", What: "the step roles", Kinds: accountKind},
	{Path: "steps[].lambda.**", What: "the step invokes", Kinds: stepKinds},
	{Path: "steps[].stepFunctions.**", What: "the step invokes", Kinds: stepKinds},
	{Path: "steps[].approval.comment", What: "the step approvals", Kinds: stepKinds},
	{Path: "steps[].approval.reviewUrl", What: "the step approvals", Kinds: stepKinds},
	{Path: "environments[].steps[].codeBuild.environmentVariables.*.value", What: "the step variables' values", Kinds: stepKinds},
	{Path: "environments[].steps[].codeBuild.role.statements[].resources[]", What: "the step roles", Kinds: accountKind},
	{Path: "environments[].steps[].lambda.**", What: "the step invokes", Kinds: stepKinds},
	{Path: "environments[].steps[].stepFunctions.**", What: "the step invokes", Kinds: stepKinds},
	{Path: "environments[].steps[].approval.comment", What: "the step approvals", Kinds: stepKinds},
	{Path: "environments[].steps[].approval.reviewUrl", What: "the step approvals", Kinds: stepKinds},
}

// Keeps lists the fields that keep ${name} as written: shell commands,
// where the shell expands it when the command runs.
var Keeps = []string{"tests[].commands[]", "securityScan.scanners[].commands[]"}

// AccountPlaceholder is the one placeholder of an execution policy's
// managed policy ARN (AccountFilled): the account of the execution role it
// is attached to, filled when the role is built (target.AccountPlaceholder).
const AccountPlaceholder = "${account}"

// AccountFilled lists the fields that take AccountPlaceholder, as the
// account of a customer managed policy ARN, and no other placeholder (the
// policy ARN rule says so).
var AccountFilled = []string{"deploy.executionPolicy.managedPolicyArns[]", "deploy.stacks[].executionPolicy.managedPolicyArns[]"}

// ExecutionFilled lists the fields that take AccountPlaceholder and
// RegionPlaceholder, and no other placeholder: the resources of the
// execution roles' statements, filled for each execution role with its own
// account and each region of its environment when the role is built
// (target.FillStatements), in environments of every kind (the deploying
// account, AWS::AccountId, in those of organizational units).
var ExecutionFilled = []string{"deploy.executionPolicy.statements[].resources[]", "deploy.stacks[].executionPolicy.statements[].resources[]"}

// RegionPlaceholder is the placeholder of each region of an execution
// role's environment in ExecutionFilled (target.RegionPlaceholder).
const RegionPlaceholder = "${region}"

// Expansion is one row of Expands.
type Expansion struct {
	// Path is the field's YAML path pattern.
	Path string
	// What names the field in messages.
	What string
	// Kinds are the environment kinds (account, accounts,
	// organizationalUnits) where the field expands.
	Kinds []string
}

var (
	allKinds    = []string{"account", "accounts", "organizationalUnits"}
	accountKind = []string{"account"}
	stepKinds   = []string{"account", "accounts", "organizationalUnits", "tooling"}
)

// placeholderRE matches ${key}. IAM policy variables such as
// ${aws:username} contain a colon and never match.
var placeholderRE = regexp.MustCompile(`\$\{([A-Za-z][A-Za-z0-9_]*)\}`)

// settingKeyRE is the shape of an environment settings key.
var settingKeyRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// builtinSettings are the placeholders Relay defines.
var builtinSettings = []string{"account", "env", "region"}

// Expanded is what one environment receives in one region: deploy, the
// top-level steps and the environment, with every placeholder of the
// fields of Expands replaced.
type Expanded struct {
	Deploy      Deploy
	Steps       []Step
	Environment Environment
}

// Expand returns deploy and environments[i] as that environment receives
// them in region, every ${key} of the fields of Expands that apply to its
// kind replaced. region is "" for a StackSet environment (accounts or
// organizationalUnits), which deploys one template to every region and
// account with one action: ${region} and ${account} are then undefined;
// and for a tooling environment, whose ${account} and ${region} are the
// tooling account's.
// The error names each field with a placeholder the environment cannot
// fill.
func (c *Config) Expand(i int, region string) (Expanded, error) {
	x, errs := c.expand(i, region)
	return x, joinErrors(errs)
}

func (c *Config) expand(i int, region string) (Expanded, []*FieldError) {
	e := c.Environments[i]
	var out Expanded
	if err := deepCopy(&out.Deploy, c.Deploy); err != nil {
		return out, []*FieldError{{Path: "deploy", Rule: err.Error()}}
	}
	if err := deepCopy(&out.Environment, e); err != nil {
		return out, []*FieldError{{Path: envPath(i, "name"), Rule: err.Error()}}
	}
	if err := deepCopy(&out.Steps, c.Steps); err != nil {
		return out, []*FieldError{{Path: "steps", Rule: err.Error()}}
	}
	kind := kindOf(e)
	vars := settingsOf(e, region)
	if kind == "tooling" {
		vars["account"], vars["region"] = c.Tooling.Account, c.Tooling.Region
	}
	var errs []*FieldError
	fill := func(path string, v reflect.Value) {
		pattern := indexFree(path)
		if !slices.ContainsFunc(Expands, func(x Expansion) bool { return x.matches(pattern) && slices.Contains(x.Kinds, kind) }) {
			return
		}
		s := v.String()
		var missing []string
		expanded := placeholderRE.ReplaceAllStringFunc(s, func(m string) string {
			key := m[2 : len(m)-1]
			val, ok := vars[key]
			if !ok {
				missing = append(missing, key)
				return m
			}
			if strings.HasSuffix(pattern, ".userParameters") {
				// A JSON document the function parses: the value goes in
				// as string content (userParametersRule keeps every
				// placeholder inside a string), so a quote cannot close
				// the string and add keys.
				quoted, _ := json.Marshal(val)
				return string(quoted[1 : len(quoted)-1])
			}
			return val
		})
		for _, key := range missing {
			errs = append(errs, &FieldError{Path: path, Value: s, Rule: undefinedRule(c, i, key, region)})
		}
		v.SetString(expanded)
	}
	walkStrings("deploy", reflect.ValueOf(&out.Deploy).Elem(), fill)
	walkStrings("steps", reflect.ValueOf(&out.Steps).Elem(), fill)
	walkStrings(fmt.Sprintf("environments[%d]", i), reflect.ValueOf(&out.Environment).Elem(), fill)
	return out, errs
}

// ReleaseFor is c.Deploy as environment e receives it in region (see
// Expand), for an environment of c.
func (c *Config) ReleaseFor(e Environment, region string) (Deploy, error) {
	i := slices.IndexFunc(c.Environments, func(o Environment) bool { return o.Name == e.Name })
	if i < 0 {
		return c.Deploy, fmt.Errorf("environment %q is not one of the configuration's", e.Name)
	}
	x, err := c.Expand(i, region)
	return x.Deploy, err
}

// undefinedRule says why environments[i] cannot fill key in region.
func undefinedRule(c *Config, i int, key, region string) string {
	e := c.Environments[i]
	switch {
	case key == "region" && region == "":
		return fmt.Sprintf("uses ${region}, and environments[%d] %q (%s) deploys one StackSet to all its regions with one action; remove ${region} here", i, e.Name, kindOf(e))
	case key == "account" && kindOf(e) != "account":
		return fmt.Sprintf("uses ${account}, and environments[%d] %q (%s) deploys to many accounts with one action; remove ${account} here", i, e.Name, kindOf(e))
	}
	return fmt.Sprintf("uses ${%s}, which environments[%d] %q does not define; add %s to its settings", key, i, e.Name, key)
}

// settingsOf are the placeholder values of e in region ("" for a StackSet
// environment: no ${region}, and no ${account} unless e has one account).
func settingsOf(e Environment, region string) map[string]string {
	vars := maps.Clone(e.Settings)
	if vars == nil {
		vars = map[string]string{}
	}
	vars["env"] = e.Name
	if e.Account != "" {
		vars["account"] = e.Account
	}
	if region != "" {
		vars["region"] = region
	}
	return vars
}

// placeholderRules refuses a ${...} placeholder in every field that does
// not expand (Expands) or keep (Keeps) it.
func (c *Config) placeholderRules(p *problems) {
	walkStrings("", reflect.ValueOf(c).Elem(), func(path string, v reflect.Value) {
		s := v.String()
		if !placeholderRE.MatchString(s) {
			return
		}
		pattern := indexFree(path)
		if slices.ContainsFunc(Expands, func(x Expansion) bool { return x.matches(pattern) }) || slices.Contains(Keeps, pattern) {
			return
		}
		if slices.Contains(AccountFilled, pattern) {
			return // the managed policy ARN rule takes ${account} as its account, and nothing else
		}
		if slices.Contains(ExecutionFilled, pattern) {
			for _, m := range placeholderRE.FindAllString(s, -1) {
				if m != AccountPlaceholder && m != RegionPlaceholder {
					p.add(path, s, "uses "+m+": an execution role's statements take ${account} (the role's own account) and ${region} (each region of its environment) only; write the rest literally (a wildcard such as * can stand for what differs between environments)")
					return
				}
			}
			return
		}
		p.add(path, s, "is not expanded: ${...} placeholders take per-environment values only in "+expandingFields()+"; write this value literally")
	})
}

// expandingFields names the fields of Expands for messages, by what they
// are.
func expandingFields() string {
	var names []string
	for _, x := range Expands {
		if !slices.Contains(names, x.What) {
			names = append(names, x.What)
		}
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// usedPlaceholders are the keys that the fields of Expands applying to
// kind use as ${key}.
func (c *Config) usedPlaceholders(kind string) map[string]bool {
	used := map[string]bool{}
	walkStrings("", reflect.ValueOf(c).Elem(), func(path string, v reflect.Value) {
		pattern := indexFree(path)
		if !slices.ContainsFunc(Expands, func(x Expansion) bool { return x.matches(pattern) && slices.Contains(x.Kinds, kind) }) {
			return
		}
		for _, m := range placeholderRE.FindAllStringSubmatch(v.String(), -1) {
			used[m[1]] = true
		}
	})
	return used
}

// matches reports whether the index-free path matches x.Path.
func (x Expansion) matches(path string) bool {
	if rest, ok := strings.CutSuffix(x.Path, ".**"); ok {
		return strings.HasPrefix(path, rest+".")
	}
	want, got := strings.Split(x.Path, "."), strings.Split(path, ".")
	if len(want) != len(got) {
		return false
	}
	for k := range want {
		if want[k] != "*" && want[k] != got[k] {
			return false
		}
	}
	return true
}

var indexRE = regexp.MustCompile(`\[[0-9]+\]`)

// indexFree is path with every index written as [].
func indexFree(path string) string { return indexRE.ReplaceAllString(path, "[]") }

// walkStrings calls f with the YAML path and the settable value of every
// string in v (map values included, map keys not), v being the field at
// path.
func walkStrings(path string, v reflect.Value, f func(path string, v reflect.Value)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(path, v.Elem(), f)
		}
	case reflect.String:
		if v.CanSet() {
			f(path, v)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			name, opts, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			switch {
			case !t.Field(i).IsExported() || name == "-":
			case opts == "inline":
				walkStrings(path, v.Field(i), f)
			default:
				walkStrings(joinPath(path, name), v.Field(i), f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(fmt.Sprintf("%s[%d]", path, i), v.Index(i), f)
		}
	case reflect.Map:
		for _, k := range slices.Sorted(maps.Keys(mapKeys(v))) {
			key := reflect.ValueOf(k).Convert(v.Type().Key())
			elem := reflect.New(v.Type().Elem()).Elem()
			elem.Set(v.MapIndex(key))
			walkStrings(joinPath(path, k), elem, f)
			v.SetMapIndex(key, elem)
		}
	}
}

// deepCopy sets *dst to a copy of src that shares nothing with it.
func deepCopy[T any](dst *T, src T) error {
	raw, err := json.Marshal(src)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, dst)
}
