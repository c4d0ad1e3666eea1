package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones of deployment windows, whatever the machine has
	"unicode"
	"unicode/utf8"

	"github.com/relaycdk/relay/constructs/naming"
)

// FieldError is one problem with one field of a Config. Validate and Parse
// return every FieldError at once, joined with errors.Join; use errors.As or
// the Unwrap() []error method of the joined error to inspect them.
type FieldError struct {
	// Path names the field as written in YAML, such as
	// environments[1].account.
	Path string
	// Value is the field's value as decoded; "" when the field is missing.
	Value string
	// Rule says what is wrong and how to fix it.
	Rule string
	// Line is the 1-based line of the field in File, or of its nearest
	// written ancestor when the field is missing; 0 when unknown (Validate
	// alone does not know lines).
	Line int
	// File is the name given to Parse; "" when unknown.
	File string
}

// maxValueLen bounds how much of a value an error message repeats.
const maxValueLen = 160

// Error formats e as `<path> "<value>": <rule>`, prefixed by `<file>:<line>: `
// when both are known.
func (e *FieldError) Error() string {
	v := e.Value
	if utf8.RuneCountInString(v) > maxValueLen {
		v = string([]rune(v)[:maxValueLen-3]) + "..."
	}
	msg := fmt.Sprintf("%s %q: %s", e.Path, v, e.Rule)
	if e.Line > 0 && e.File != "" {
		msg = fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return msg
}

// Validate checks every rule and returns all problems at once: nil, or the
// errors.Join of one *FieldError per field in error, in field order. It
// expects defaults applied (see ApplyDefaults); a defaulted field left empty
// is an error.
func (c *Config) Validate() error {
	return joinErrors(c.validate())
}

func joinErrors(errs []*FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	all := make([]error, len(errs))
	for i, e := range errs {
		all[i] = e
	}
	return errors.Join(all...)
}

// Partition returns the partition of the tooling region, or "aws" when the
// region is unknown (Validate reports it).
func (c *Config) Partition() string {
	if p, ok := Partition(c.Tooling.Region); ok {
		return p
	}
	return "aws"
}

// problems collects FieldErrors in the order the fields are checked.
type problems []*FieldError

// add records that value at path breaks rule; an empty rule means the value
// is valid and records nothing.
func (p *problems) add(path, value, rule string) {
	if rule != "" {
		*p = append(*p, &FieldError{Path: path, Value: value, Rule: rule})
	}
}

func envPath(i int, field string) string {
	return fmt.Sprintf("environments[%d].%s", i, field)
}

// validate returns one FieldError per field in error: each field reports the
// first rule it breaks, so one mistake is one message.
func (c *Config) validate() []*FieldError {
	var p problems
	p.add("name", c.Name, nameRule(c.Name))
	p.add("tooling.account", c.Tooling.Account, accountRule(c.Tooling.Account, "the 12-digit tooling account ID"))
	p.add("tooling.region", c.Tooling.Region, regionRule(c.Tooling.Region, "the region of the pipeline, such as us-east-1"))
	if o := c.Organization; o != nil {
		p.add("organization.id", o.ID, orgIDRule(o.ID))
		if o.StackSetsCallAs != "SELF" && o.StackSetsCallAs != "DELEGATED_ADMIN" {
			p.add("organization.stackSetsCallAs", o.StackSetsCallAs, "must be SELF (tooling is the management account) or DELEGATED_ADMIN (a delegated StackSets administrator)")
		}
	}
	c.validateSource(&p)
	c.validateBuild(&p)
	c.validateDeploy(&p)
	c.validateSuites(&p, "tests", c.Tests, false)
	if sc := c.SecurityScan; sc != nil {
		p.add("securityScan.failOn", sc.FailOn, oneOfRule(sc.FailOn, severities))
		if len(sc.Scanners) == 0 {
			p.add("securityScan.scanners", "", "required; list at least one scanner, such as {name: deps, preset: trivy}")
		}
		c.validateSuites(&p, "securityScan.scanners", sc.Scanners, true)
	}
	c.validatePipeline(&p)
	c.validateEnvironments(&p)
	c.validateReferences(&p)
	c.validateObservability(&p)
	return dedupe(p)
}

// dedupe drops repeats of the same problem (a field checked once per
// environment that is wrong the same way in each).
func dedupe(p problems) []*FieldError {
	seen := map[FieldError]bool{}
	var out []*FieldError
	for _, e := range p {
		if !seen[*e] {
			seen[*e] = true
			out = append(out, e)
		}
	}
	return out
}

func (c *Config) validateSource(p *problems) {
	c.validateOneSource(p, "source", c.Source)
	first := map[string]int{}
	for i, x := range c.ExtraSources {
		base := fmt.Sprintf("extraSources[%d]", i)
		p.add(base+".name", x.Name, listNameRule(first, "extraSources", i, x.Name, "config", "source"))
		c.validateOneSource(p, base, x.Source)
	}
}

// validateOneSource checks that src sets exactly one kind, and that kind.
func (c *Config) validateOneSource(p *problems, base string, src Source) {
	var kinds []string
	for _, k := range []struct {
		name string
		set  bool
	}{{"github", src.GitHub != nil}, {"gitlab", src.GitLab != nil}, {"bitbucket", src.Bitbucket != nil},
		{"s3", src.S3 != nil}, {"codecommit", src.CodeCommit != nil}, {"ecr", src.ECR != nil}} {
		if k.set {
			kinds = append(kinds, k.name)
		}
	}
	switch len(kinds) {
	case 0:
		if base == "source" {
			p.add("source.github", "", "required; add source.github with repository and connectionArn (or gitlab, bitbucket, s3, codecommit or ecr)")
		} else {
			p.add(base, "", "set one of github, gitlab, bitbucket, s3, codecommit and ecr")
		}
		return
	case 1:
	default:
		p.add(base, strings.Join(kinds, ","), "set exactly one kind of source; move the others to extraSources")
		return
	}
	for _, g := range []struct {
		name string
		src  *GitHubSource
	}{{"github", src.GitHub}, {"gitlab", src.GitLab}, {"bitbucket", src.Bitbucket}} {
		if g.src == nil {
			continue
		}
		path := base + "." + g.name
		rule := repositoryRule(g.src.Repository)
		if g.name == "gitlab" && rule != "" && gitlabRepoRE.MatchString(g.src.Repository) {
			rule = ""
		}
		p.add(path+".repository", g.src.Repository, rule)
		p.add(path+".branch", g.src.Branch, branchRule(g.src.Branch))
		p.add(path+".connectionArn", g.src.ConnectionArn, connectionRule(g.src.ConnectionArn, c.Tooling.Region))
		if t := g.src.Triggers; t != nil {
			for _, f := range []struct {
				name string
				f    *Filter
			}{{"branches", t.Branches}, {"tags", t.Tags}, {"filePaths", t.FilePaths}} {
				if f.f == nil {
					continue
				}
				for _, side := range []struct {
					name string
					v    []string
				}{{"includes", f.f.Includes}, {"excludes", f.f.Excludes}} {
					if len(side.v) > 8 {
						p.add(fmt.Sprintf("%s.triggers.%s.%s", path, f.name, side.name), strconv.Itoa(len(side.v)), "has more than 8 patterns; CodePipeline takes at most 8")
					}
					for k, pat := range side.v {
						if strings.TrimSpace(pat) == "" || len(pat) > 255 {
							p.add(fmt.Sprintf("%s.triggers.%s.%s[%d]", path, f.name, side.name, k), pat, "must be a glob pattern of 1 to 255 characters, such as release/*")
						}
					}
				}
			}
			if t.FilePaths != nil && len(t.FilePaths.Includes)+len(t.FilePaths.Excludes) > 0 &&
				(t.Branches == nil || len(t.Branches.Includes) == 0) && (t.Tags == nil || len(t.Tags.Includes) == 0) {
				p.add(path+".triggers.filePaths", "", "file path filters need branches.includes or tags.includes beside them")
			}
		}
	}
	if b := src.S3; b != nil {
		p.add(base+".s3.bucket", b.Bucket, bucketRule(b.Bucket))
		if b.Key == "" || strings.HasPrefix(b.Key, "/") || len(b.Key) > 1024 {
			p.add(base+".s3.key", b.Key, "must be an object key of 1 to 1024 characters, not starting with /, such as releases/app.zip")
		}
		if !b.Versioned {
			p.add(base+".s3.versioned", "false", "CodePipeline needs a versioned source bucket: turn versioning on for the bucket, then set versioned: true")
		}
	}
	if r := src.CodeCommit; r != nil {
		if !codeCommitRE.MatchString(r.Repository) {
			p.add(base+".codecommit.repository", r.Repository, "must be a CodeCommit repository name of 1 to 100 letters, digits, ., _ and -")
		}
		p.add(base+".codecommit.branch", r.Branch, branchRule(r.Branch))
	}
	if r := src.ECR; r != nil {
		if !ecrRepoRE.MatchString(r.Repository) || len(r.Repository) > 256 {
			p.add(base+".ecr.repository", r.Repository, "must be an ECR repository name such as payments/api")
		}
		if !ecrTagRE.MatchString(r.Tag) {
			p.add(base+".ecr.tag", r.Tag, "must be an image tag of 1 to 128 letters, digits, _, . and -, such as latest")
		}
	}
}

// bucketRule checks an S3 bucket name.
func bucketRule(s string) string {
	if !bucketRE.MatchString(s) || strings.Contains(s, "..") {
		return "must be an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens"
	}
	return ""
}

func (c *Config) validateBuild(p *problems) {
	b := c.Build
	p.add("build.buildspec", b.Buildspec, pathRule(b.Buildspec, defaultBuildspec, "the repository root"))
	p.add("build.timeoutMinutes", strconv.Itoa(b.TimeoutMinutes), timeoutRule(b.TimeoutMinutes))
	p.add("build.computeType", b.ComputeType, oneOfRule(b.ComputeType, computeTypes))
	p.add("build.image", b.Image, imageRule(b.Image))
	p.add("build.logRetentionDays", strconv.Itoa(b.LogRetentionDays), logRetentionRule(b.LogRetentionDays))
	p.add("build.cache", b.Cache, oneOfRule(b.Cache, []string{"none", "local", "s3"}))
	names := make([]string, 0, len(b.EnvironmentVariables))
	for name := range b.EnvironmentVariables {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		v := b.EnvironmentVariables[name]
		path := "build.environmentVariables." + name
		if !envVarRE.MatchString(name) || strings.HasPrefix(name, "CODEBUILD_") {
			p.add(path, name, "names are letters, digits and _, not starting with a digit or CODEBUILD_ (reserved by CodeBuild)")
			continue
		}
		set := 0
		for _, f := range []string{v.Value, v.Parameter, v.Secret} {
			if f != "" {
				set++
			}
		}
		switch {
		case set != 1:
			p.add(path, "", "set exactly one of value, parameter (SSM Parameter Store name) and secret (Secrets Manager ARN)")
		case v.Parameter != "" && !ssmNameRE.MatchString(v.Parameter):
			p.add(path+".parameter", v.Parameter, "must be an SSM parameter name such as /payments/db-url")
		case v.Secret != "":
			p.add(path+".secret", v.Secret, secretRule(v.Secret, c.Tooling))
		}
	}
}

// secretRule accepts a Secrets Manager secret ARN of the tooling account
// and region, optionally followed by :json-key:version-stage:version-id.
func secretRule(s string, t Tooling) string {
	m := secretRE.FindStringSubmatch(s)
	if m == nil {
		return "must be a Secrets Manager secret ARN, such as arn:aws:secretsmanager:us-east-1:111111111111:secret:payments/api-key-AbCdEf"
	}
	if m[1] != partitions[t.Region] || m[2] != t.Region || m[3] != t.Account {
		return fmt.Sprintf("must be a secret of the tooling account %s in %s (partition %s)", t.Account, t.Region, partitions[t.Region])
	}
	return ""
}

func (c *Config) validateDeploy(p *problems) {
	d := c.Deploy
	// A stack name derived from an invalid name is reported once, at name.
	derived := d.StackName == "" || d.StackName == c.Name+stackNameSuffix
	if !derived || nameRule(c.Name) == "" {
		p.add("deploy.stackName", d.StackName, stackNameRule(d.StackName, c.Name))
	}
	p.add("deploy.templatePath", d.TemplatePath, pathRule(d.TemplatePath, defaultTemplatePath, "the build output"))
	first := map[string]int{}
	for i, capability := range d.Capabilities {
		rule := oneOfRule(capability, capabilities)
		if j, dup := first[capability]; rule == "" && dup {
			rule = fmt.Sprintf("duplicate of deploy.capabilities[%d]; remove it", j)
		} else if !dup {
			first[capability] = i
		}
		p.add(fmt.Sprintf("deploy.capabilities[%d]", i), capability, rule)
	}

	c.validateRelease(p)
	const base = "deploy.executionPolicy"
	ep := d.ExecutionPolicy
	if len(ep.ManagedPolicyArns) == 0 && len(ep.Statements) == 0 && d.IsStack() {
		p.add(base, "", "grants nothing; add managedPolicyArns or statements with what the stack needs (Relay never defaults to AdministratorAccess)")
	}
	for i, a := range ep.ManagedPolicyArns {
		p.add(fmt.Sprintf("%s.managedPolicyArns[%d]", base, i), a, managedPolicyRule(a, ep.AllowAdministratorAccess, c.Tooling.Region))
	}
	for k, s := range ep.Statements {
		sp := fmt.Sprintf("%s.statements[%d]", base, k)
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
	}
}

// maxEnvironments bounds a pipeline's environments.
const maxEnvironments = 1000

func (c *Config) validateEnvironments(p *problems) {
	switch n := len(c.Environments); {
	case n == 0:
		p.add("environments", "", "required; add at least one environment with name, account and regions")
	case n > maxEnvironments:
		p.add("environments", strconv.Itoa(n), fmt.Sprintf("has more than %d entries; split the environments across several Relay configurations", maxEnvironments))
	}
	type target struct{ account, region string }
	names := map[string]int{}   // name -> first environment with it
	targets := map[target]int{} // account and region -> first environment deploying there
	waves := map[string]int{}   // wave -> first environment in it
	for i, e := range c.Environments {
		rule := envNameRule(e.Name)
		if j, dup := names[e.Name]; rule == "" && dup {
			rule = fmt.Sprintf("duplicate of environments[%d].name; give each environment a unique name", j)
		} else if !dup {
			names[e.Name] = i
		}
		p.add(envPath(i, "name"), e.Name, rule)
		switch {
		case countSet(e.Account != "", len(e.Accounts) > 0, len(e.OrganizationalUnits) > 0) > 1:
			p.add(envPath(i, "account"), e.Account, "set one of account (one account), accounts (a StackSet to these accounts) and organizationalUnits (a StackSet to these OUs)")
		case len(e.Accounts) > 0:
			for k, a := range e.Accounts {
				rule := accountRule(a, "a 12-digit account ID")
				if rule == "" && slices.Index(e.Accounts, a) != k {
					rule = "listed twice; remove one"
				}
				p.add(envPath(i, fmt.Sprintf("accounts[%d]", k)), a, rule)
			}
		case len(e.OrganizationalUnits) > 0:
			if c.Organization == nil {
				p.add(envPath(i, "organizationalUnits"), strings.Join(e.OrganizationalUnits, ","), "needs organization.id: OU targets are deployed through service-managed StackSets")
			}
			for k, ou := range e.OrganizationalUnits {
				rule := ""
				if !ouRE.MatchString(ou) {
					rule = "must be an organizational unit ID such as ou-ab12-cd34ef56"
				} else if slices.Index(e.OrganizationalUnits, ou) != k {
					rule = "listed twice; remove one"
				}
				p.add(envPath(i, fmt.Sprintf("organizationalUnits[%d]", k)), ou, rule)
			}
		case e.StackSetOf != "":
			p.add(envPath(i, "stackSetOf"), e.StackSetOf, "needs accounts or organizationalUnits: the StackSet instances to add")
		default:
			p.add(envPath(i, "account"), e.Account, accountRule(e.Account, "the 12-digit account ID of this environment, or accounts or organizationalUnits for a StackSet"))
		}
		if e.StackSetOf != "" && (len(e.Accounts) > 0 || len(e.OrganizationalUnits) > 0) {
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
		if r := e.Rollout; r != nil {
			if len(e.OrganizationalUnits) == 0 && len(e.Accounts) == 0 {
				p.add(envPath(i, "rollout"), "", "applies only to accounts and organizationalUnits environments (StackSets); remove it")
			}
			if r.MaxConcurrentPercentage < 0 || r.MaxConcurrentPercentage > 100 {
				p.add(envPath(i, "rollout.maxConcurrentPercentage"), strconv.Itoa(r.MaxConcurrentPercentage), "must be from 1 to 100 (default 25)")
			}
			if r.FailureTolerancePercentage < 0 || r.FailureTolerancePercentage > 100 {
				p.add(envPath(i, "rollout.failureTolerancePercentage"), strconv.Itoa(r.FailureTolerancePercentage), "must be from 0 to 100")
			}
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
			t := target{e.Account, r}
			if k, taken := targets[t]; rule == "" && taken && k != i && accountRE.MatchString(e.Account) {
				rule = fmt.Sprintf("environments[%d] %q already deploys to account %s in this region; give %q another account or region",
					k, c.Environments[k].Name, e.Account, e.Name)
			} else if !taken {
				targets[t] = i
			}
			p.add(fmt.Sprintf("environments[%d].regions[%d]", i, j), r, rule)
		}

		if e.Wave != "" {
			rule := envNameRule(e.Wave)
			if first, seen := waves[e.Wave]; rule == "" && seen && c.Environments[i-1].Wave != e.Wave {
				rule = fmt.Sprintf("environments[%d] is in this wave too, but the environments between are not; list the environments of a wave one after another", first)
			} else if !seen {
				waves[e.Wave] = i
			}
			p.add(envPath(i, "wave"), e.Wave, rule)
		}
		if len(e.Parameters) > 0 || e.TemplateConfiguration != "" || e.ReviewChangeSet {
			if e.Account == "" {
				p.add(envPath(i, "parameters"), "", "parameters, templateConfiguration and reviewChangeSet apply to account environments; a StackSet takes its template as is")
			}
		}
		for _, k := range slices.Sorted(maps.Keys(e.Parameters)) {
			if !paramRE.MatchString(k) {
				p.add(envPath(i, "parameters."+k), k, "must be a template parameter name: 1 to 255 letters and digits")
			}
		}
		if raw, _ := json.Marshal(e.Parameters); len(e.Parameters) > 0 && len(raw) > 1000 {
			p.add(envPath(i, "parameters"), strconv.Itoa(len(raw))+" characters", "CodePipeline takes at most 1000 characters of parameter overrides; move parameters into templateConfiguration")
		}
		if e.TemplateConfiguration != "" {
			p.add(envPath(i, "templateConfiguration"), e.TemplateConfiguration, pathRule(e.TemplateConfiguration, "config/production.json", "the build output"))
		}
		if ec := e.EntryConditions; ec != nil {
			if ec.DeploymentWindow == nil && len(ec.NoAlarms) == 0 {
				p.add(envPath(i, "entryConditions"), "", "set deploymentWindow, noAlarms or both, or remove entryConditions")
			}
			if w := ec.DeploymentWindow; w != nil {
				if !cronRE.MatchString(w.Cron) {
					p.add(envPath(i, "entryConditions.deploymentWindow.cron"), w.Cron, "must be an EventBridge cron expression, such as \"cron(* 9-16 ? * MON-FRI *)\"")
				}
				if _, err := time.LoadLocation(w.TimeZone); err != nil || w.TimeZone == "" || w.TimeZone == "Local" {
					p.add(envPath(i, "entryConditions.deploymentWindow.timeZone"), w.TimeZone, "must be an IANA time zone, such as UTC or Europe/Berlin")
				}
			}
			for k, a := range ec.NoAlarms {
				if a == "" || len(a) > 255 || strings.ContainsAny(a, "\n\t,") {
					p.add(envPath(i, fmt.Sprintf("entryConditions.noAlarms[%d]", k)), a, "must be a CloudWatch alarm name of 1 to 255 characters, without commas")
				}
			}
		}
		if f := e.Freeze; f != nil {
			p.add(envPath(i, "freeze.reason"), f.Reason, freezeRule(f.Reason))
		}
		if a := e.Approval; a != nil {
			p.add(envPath(i, "approval.comment"), a.Comment, commentRule(a.Comment))
			p.add(envPath(i, "approval.reviewUrl"), a.ReviewURL, reviewURLRule(a.ReviewURL))
			if a.TimeoutMinutes < 5 || a.TimeoutMinutes > 86400 {
				p.add(envPath(i, "approval.timeoutMinutes"), strconv.Itoa(a.TimeoutMinutes), "must be from 5 to 86400 minutes (60 days); the default is 10080 (7 days)")
			}
			for k, addr := range a.Notify {
				p.add(envPath(i, fmt.Sprintf("approval.notify[%d]", k)), addr, emailRule(addr))
			}
		}
	}
}

// validateSuites checks the suites of one stage.
func (c *Config) validateSuites(p *problems, base string, suites []Suite, scanners bool) {
	if len(suites) > 50 {
		p.add(base, strconv.Itoa(len(suites)), "has more than 50 entries; a CodePipeline stage holds at most 50 actions")
	}
	first := map[string]int{}
	for i, st := range suites {
		path := fmt.Sprintf("%s[%d]", base, i)
		p.add(path+".name", st.Name, listNameRule(first, base, i, st.Name, "unit", "suite"))
		switch {
		case st.Preset != "" && !scanners:
			p.add(path+".preset", st.Preset, "presets are for securityScan.scanners; list commands instead")
		case st.Preset != "":
			p.add(path+".preset", st.Preset, oneOfRule(st.Preset, scanPresets))
		case len(st.Commands) == 0:
			p.add(path+".commands", "", "required; list the commands that run the suite, such as [\"npm ci\", \"npm test\"]")
		}
		for k, cmd := range st.Commands {
			if strings.TrimSpace(cmd) == "" {
				p.add(fmt.Sprintf("%s.commands[%d]", path, k), cmd, "is empty; remove it")
			}
		}
		p.add(path+".input", st.Input, oneOfRule(st.Input, []string{"source", "build"}))
		if st.RunOrder < 1 || st.RunOrder > 999 {
			p.add(path+".runOrder", strconv.Itoa(st.RunOrder), "must be from 1 to 999; suites with the same runOrder run in parallel")
		}
		if r := st.Reports; r != nil {
			if len(r.Files) == 0 {
				p.add(path+".reports.files", "", "required; list report file patterns, such as reports/junit/*.xml")
			}
			p.add(path+".reports.format", r.Format, oneOfRule(r.Format, reportFormats))
		}
	}
}

func (c *Config) validatePipeline(p *problems) {
	pl := c.Pipeline
	p.add("pipeline.executionMode", pl.ExecutionMode, oneOfRule(pl.ExecutionMode, []string{"SUPERSEDED", "QUEUED", "PARALLEL"}))
	first := map[string]int{}
	for i, v := range pl.Variables {
		path := fmt.Sprintf("pipeline.variables[%d]", i)
		rule := ""
		if !variableRE.MatchString(v.Name) {
			rule = "must be 1 to 128 of letters, digits, @, - and _, such as releaseTag"
		} else if j, dup := first[v.Name]; dup {
			rule = fmt.Sprintf("duplicate of pipeline.variables[%d].name; give each variable a unique name", j)
		} else {
			first[v.Name] = i
		}
		p.add(path+".name", v.Name, rule)
		if utf8.RuneCountInString(v.Default) > 1000 {
			p.add(path+".default", v.Default, "is longer than 1000 characters; shorten it")
		}
		if utf8.RuneCountInString(v.Description) > 200 {
			p.add(path+".description", v.Description, "is longer than 200 characters; shorten it")
		}
	}
	if a := pl.Approvers; a != nil {
		if len(a.Principals) == 0 {
			p.add("pipeline.approvers.principals", "", "required; list the IAM role or user ARNs that may approve, such as arn:aws:iam::111111111111:role/release-managers")
		}
		for i, arn := range a.Principals {
			p.add(fmt.Sprintf("pipeline.approvers.principals[%d]", i), arn, principalRule(arn, partitions[c.Tooling.Region]))
		}
	}
}

// variableRef matches a CodePipeline variable reference #{namespace.name}.
var variableRef = regexp.MustCompile(`#\{([^.}]*)\.([^}]*)\}`)

// validateReferences checks every #{namespace.name} in fields CodePipeline
// resolves: the namespace must be set by an action that runs earlier, and
// a pipeline variable must be declared.
func (c *Config) validateReferences(p *problems) {
	declared := map[string]bool{}
	for _, v := range c.Pipeline.Variables {
		declared[v.Name] = true
	}
	known := map[string]bool{"SourceVariables": true}
	for _, x := range c.ExtraSources {
		known["SourceVariables_"+x.Name] = true
	}
	check := func(path, value string, known map[string]bool) {
		for _, m := range variableRef.FindAllStringSubmatch(value, -1) {
			ns, name := m[1], m[2]
			switch {
			case ns == "variables" && !declared[name]:
				p.add(path, value, fmt.Sprintf("refers to pipeline variable %q, which pipeline.variables does not declare", name))
			case ns != "variables" && !known[ns]:
				names := make([]string, 0, len(known))
				for k := range known {
					names = append(names, k)
				}
				slices.Sort(names)
				p.add(path, value, fmt.Sprintf("refers to namespace %q, which no earlier action sets; known here: %s, variables", ns, strings.Join(names, ", ")))
			}
		}
	}
	names := make([]string, 0, len(c.Build.EnvironmentVariables))
	for n := range c.Build.EnvironmentVariables {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		check("build.environmentVariables."+n+".value", c.Build.EnvironmentVariables[n].Value, known)
	}
	known["BuildVariables"] = true
	// An environment sees the namespaces of the stages before its own: the
	// deploy actions of earlier environments outside its wave.
	for i, e := range c.Environments {
		visible := maps.Clone(known)
		for _, prev := range c.Environments[:i] {
			if (e.Wave != "" && prev.Wave == e.Wave) || prev.Account == "" {
				continue
			}
			for _, r := range prev.Regions {
				if c.Deploy.IsStack() {
					visible[naming.DeployNamespace(prev.Name, r)] = true
				}
				for _, h := range c.Deploy.Hooks {
					visible[naming.HookNamespace(prev.Name, r, h.Name)] = true
				}
			}
		}
		if e.Account != "" {
			for k, h := range c.Deploy.Hooks {
				b := fmt.Sprintf("deploy.hooks[%d]", k)
				if h.Lambda != nil {
					check(b+".lambda.userParameters", h.Lambda.UserParameters, visible)
				}
				if h.StepFunctions != nil {
					for _, key := range slices.Sorted(maps.Keys(h.StepFunctions.Input)) {
						check(b+".stepFunctions.input."+key, h.StepFunctions.Input[key], visible)
					}
				}
			}
			if x := c.Deploy.EKS; x != nil && x.GitOps != nil {
				check("deploy.eks.gitops.value", x.GitOps.Value, visible)
			}
			if x := c.Deploy.EKS; x != nil && x.Helm != nil {
				for _, key := range slices.Sorted(maps.Keys(x.Helm.Set)) {
					check("deploy.eks.helm.set."+key, x.Helm.Set[key], visible)
				}
			}
		}
		if a := e.Approval; a != nil {
			check(envPath(i, "approval.comment"), a.Comment, visible)
			check(envPath(i, "approval.reviewUrl"), a.ReviewURL, visible)
		}
		for _, k := range slices.Sorted(maps.Keys(e.Parameters)) {
			check(envPath(i, "parameters."+k), e.Parameters[k], visible)
		}
	}
}

// The rules below are pure: each takes a value (and the context it needs)
// and returns "" when the value is valid, or what is wrong and how to fix it.

var (
	nameRE       = regexp.MustCompile(`^[a-z][a-z0-9-]{2,23}$`)
	envNameRE    = regexp.MustCompile(`^[a-z][a-z0-9-]{1,19}$`)
	accountRE    = regexp.MustCompile(`^[0-9]{12}$`)
	orgIDRE      = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	ouRE         = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
	variableRE   = regexp.MustCompile(`^[A-Za-z0-9@_-]{1,128}$`)
	suiteRE      = regexp.MustCompile(`^[a-z][a-z0-9-]{1,30}$`)
	cronRE       = regexp.MustCompile(`^cron\((\S+ ){5}\S+\)$`)
	paramRE      = regexp.MustCompile(`^[A-Za-z0-9]{1,255}$`)
	gitlabRepoRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$`)
	bucketRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	codeCommitRE = regexp.MustCompile(`^[\w.-]{1,100}$`)
	ecrRepoRE    = regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$`)
	ecrTagRE     = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	envVarRE     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	ssmNameRE    = regexp.MustCompile(`^/?[a-zA-Z0-9_.\-/]{1,1000}$`)
	secretRE     = regexp.MustCompile(`^arn:([^:]+):secretsmanager:([^:]+):([0-9]{12}):secret:[\w/+=.@-]+(:[^:]*){0,3}$`)
	freezeRE     = regexp.MustCompile(`^[a-zA-Z0-9!@ ().*?-]{1,300}$`)
	principalRE  = regexp.MustCompile(`^arn:([^:]+):iam::([0-9]{12}):(root|(role|user)/([\w+=,.@-]+/)*[\w+=,.@-]+)$`)
	repoRE       = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
	stackNameRE  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,127}$`)
	actionRE     = regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9*?]+$`)
	sidRE        = regexp.MustCompile(`^[A-Za-z0-9]*$`)
	// policyARNRE captures the partition and the account (aws for AWS
	// managed policies) of an IAM managed policy ARN with an optional path.
	policyARNRE = regexp.MustCompile(`^arn:([^:]*):iam::(aws|[0-9]{12}):policy/([\w+=,.@-]+/)*[\w+=,.@-]+$`)
)

var (
	computeTypes = []string{"BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE", "BUILD_GENERAL1_XLARGE", "BUILD_GENERAL1_2XLARGE"}
	capabilities = []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"}
	severities   = []string{"LOW", "MEDIUM", "HIGH", "CRITICAL"}
	scanPresets  = []string{"trivy", "semgrep", "checkov", "gitleaks"}
	// reportFormats are CodeBuild's test report file formats.
	reportFormats = []string{"JUNITXML", "CUCUMBERJSON", "TESTNGXML", "NUNITXML", "NUNIT3XML", "VISUALSTUDIOTRX"}
	// logRetentionDays are the retention periods CloudWatch Logs accepts.
	logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)

// listNameRule checks the name of list[i]: a short name, unique in the
// list. first maps each valid name to its first index and is updated.
func listNameRule(first map[string]int, list string, i int, name, example, kind string) string {
	if !suiteRE.MatchString(name) {
		return "must be 2 to 31 lowercase letters, digits and hyphens, starting with a letter, such as " + example
	}
	if j, dup := first[name]; dup {
		return fmt.Sprintf("duplicate of %s[%d].name; give each %s a unique name", list, j, kind)
	}
	first[name] = i
	return ""
}

// countSet counts the true values.
func countSet(set ...bool) int {
	n := 0
	for _, b := range set {
		if b {
			n++
		}
	}
	return n
}

func nameRule(s string) string {
	switch {
	case s == "":
		return "required; set a name of 3 to 24 lowercase letters, digits and hyphens, such as payments"
	case !nameRE.MatchString(s):
		return "must be 3 to 24 lowercase letters, digits and hyphens, starting with a letter, such as payments"
	case strings.HasSuffix(s, "-"):
		return "must not end with '-'; remove the trailing hyphen"
	case strings.Contains(s, "--"):
		return `must not contain "--"; use single hyphens`
	}
	return ""
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

// accountRule checks an account ID; what describes it in the "required"
// message.
func accountRule(s, what string) string {
	switch {
	case s == "":
		return "required; set " + what
	case !accountRE.MatchString(s):
		return `must be exactly 12 digits, such as "123456789012"`
	}
	return ""
}

// regionRule checks a region name; what describes it in the "required"
// message.
func regionRule(s, what string) string {
	if s == "" {
		return "required; set " + what
	}
	if _, ok := Partition(s); !ok {
		return "unknown AWS region; use a region code such as us-east-1 or eu-west-1"
	}
	return ""
}

// partitionRule checks that partition p is the partition of toolingRegion,
// and ends its message with fix. An unknown tooling region is reported at
// tooling.region alone.
func partitionRule(p, toolingRegion, fix string) string {
	tp, ok := Partition(toolingRegion)
	if !ok || p == tp {
		return ""
	}
	return fmt.Sprintf("partition %q does not match partition %q of tooling.region %s; %s", p, tp, toolingRegion, fix)
}

func orgIDRule(s string) string {
	switch {
	case s == "":
		return "required when organization is set; set the ID shown in AWS Organizations, such as o-a1b2c3d4e5, or remove organization"
	case !orgIDRE.MatchString(s):
		return "must be o- followed by 10 to 32 lowercase letters or digits, as shown in AWS Organizations, such as o-a1b2c3d4e5"
	}
	return ""
}

func repositoryRule(s string) string {
	switch {
	case s == "":
		return "required; set the GitHub repository as owner/name, such as acme/payments"
	case !repoRE.MatchString(s):
		return "must be owner/name of letters, digits, '_', '.' and '-', such as acme/payments (not a URL)"
	}
	return ""
}

func branchRule(s string) string {
	switch {
	case s == "":
		return "must not be empty; set a branch, or omit it to use the default " + defaultBranch
	case strings.ContainsFunc(s, unicode.IsSpace):
		return "must not contain whitespace; write the branch name as git shows it"
	case strings.HasPrefix(s, "-"):
		return "must not start with '-'; write the branch name as git shows it"
	case strings.HasPrefix(s, "refs/"):
		return "must be a branch name without the refs/ prefix, such as main"
	}
	return ""
}

// connectionRule checks the ARN of a CodeConnections connection.
func connectionRule(s, toolingRegion string) string {
	if s == "" {
		return "required; set the ARN of an AVAILABLE CodeConnections connection in the tooling account"
	}
	a, ok := parseARN(s)
	id, isConnection := strings.CutPrefix(a.resource, "connection/")
	if !ok || !isConnection || id == "" {
		return "malformed connection ARN; copy it from the connection's settings: arn:<partition>:codeconnections:<region>:<account>:connection/<id>"
	}
	if a.service != "codeconnections" && a.service != "codestar-connections" {
		return fmt.Sprintf("service %q is not a connection service; use the ARN of a codeconnections (or codestar-connections) connection", a.service)
	}
	if rule := partitionRule(a.partition, toolingRegion, "use a connection in the tooling account"); rule != "" {
		return rule
	}
	if p, ok := Partition(a.region); !ok || p != a.partition {
		return fmt.Sprintf("region %q is not a region of partition %q; copy the ARN from the connection's settings", a.region, a.partition)
	}
	if !accountRE.MatchString(a.account) {
		return fmt.Sprintf("account %q is not 12 digits; copy the ARN from the connection's settings", a.account)
	}
	return ""
}

// pathRule checks a file path relative to root; def is its default.
func pathRule(s, def, root string) string {
	switch {
	case s == "":
		return fmt.Sprintf("must not be empty; set a path relative to %s, or omit it to use the default %s", root, def)
	case strings.HasPrefix(s, "/") || strings.HasPrefix(s, `\`):
		return fmt.Sprintf("must be relative to %s, such as %s", root, def)
	case strings.Contains(s, ".."):
		return fmt.Sprintf(`must not contain ".."; use a path inside %s, such as %s`, root, def)
	}
	return ""
}

func timeoutRule(n int) string {
	if n < 5 || n > 2160 {
		return fmt.Sprintf("must be from 5 to 2160 minutes (36 hours); the default is %d", defaultTimeoutMinutes)
	}
	return ""
}

func oneOfRule(s string, allowed []string) string {
	if !slices.Contains(allowed, s) {
		return "must be one of " + strings.Join(allowed, ", ")
	}
	return ""
}

func imageRule(s string) string {
	const prefix = "aws/codebuild/"
	switch {
	case s == "":
		return "must not be empty; set a CodeBuild-managed image, or omit it to use the default " + defaultImage
	case !strings.HasPrefix(s, prefix) || len(s) == len(prefix):
		return "must be a CodeBuild-managed image, starting with " + prefix + ", such as " + defaultImage
	}
	return ""
}

func logRetentionRule(n int) string {
	if !slices.Contains(logRetentionDays, n) {
		days := make([]string, len(logRetentionDays))
		for i, d := range logRetentionDays {
			days[i] = strconv.Itoa(d)
		}
		return "must be one of the retention periods CloudWatch Logs accepts: " + strings.Join(days, ", ")
	}
	return ""
}

// stackNameRule checks a CloudFormation stack name; name is the config's
// name, from which the default derives.
func stackNameRule(s, name string) string {
	switch {
	case s == "":
		return fmt.Sprintf("must not be empty; set a stack name, or omit it to use the default %s%s", name, stackNameSuffix)
	case !stackNameRE.MatchString(s):
		return "must start with a letter and have at most 128 letters, digits and hyphens, such as payments-app"
	}
	return ""
}

// managedPolicyRule checks an IAM managed policy ARN; allowAdmin is
// deploy.executionPolicy.allowAdministratorAccess.
func managedPolicyRule(s string, allowAdmin bool, toolingRegion string) string {
	m := policyARNRE.FindStringSubmatch(s)
	if m == nil {
		return "must be an IAM managed policy ARN, arn:<partition>:iam::<account ID or aws>:policy/<path/name>, such as arn:aws:iam::aws:policy/AWSLambda_FullAccess"
	}
	if rule := partitionRule(m[1], toolingRegion, "use a policy of the tooling partition"); rule != "" {
		return rule
	}
	if m[2] == "aws" && strings.HasSuffix(s, ":policy/AdministratorAccess") && !allowAdmin {
		return "grants AdministratorAccess; grant only what the stack needs, or set deploy.executionPolicy.allowAdministratorAccess: true to accept it"
	}
	return ""
}

func actionRule(s string) string {
	switch {
	case s == "*":
		return `"*" alone allows every action of every service; name services, such as lambda:* or s3:GetObject`
	case !actionRE.MatchString(s):
		return "must be service:Action, such as lambda:CreateFunction or lambda:*"
	}
	return ""
}

func resourceRule(s string) string {
	if s != "*" && !strings.HasPrefix(s, "arn:") {
		return `must be "*" or an ARN starting with arn:, such as arn:aws:s3:::my-bucket/*`
	}
	return ""
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

func freezeRule(s string) string {
	if !freezeRE.MatchString(s) {
		return "must be 1 to 300 of letters, digits, spaces and !@().*?-, such as \"Holiday freeze until Jan 5\""
	}
	return ""
}

func reviewURLRule(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || len(s) > 2048 {
		return "must be an https URL of at most 2048 characters, such as https://grafana.example.com/d/staging"
	}
	return ""
}

func principalRule(s, partition string) string {
	m := principalRE.FindStringSubmatch(s)
	if m == nil {
		return "must be an IAM role, user or account-root ARN, such as arn:aws:iam::111111111111:role/release-managers"
	}
	if partition != "" && m[1] != partition {
		return fmt.Sprintf("partition %q does not match partition %q of the tooling region", m[1], partition)
	}
	return ""
}

func sidRule(s string) string {
	if !sidRE.MatchString(s) {
		return "must contain only letters and digits, such as ServiceResources"
	}
	return ""
}

func commentRule(s string) string {
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return `must not be empty; write a comment, or omit it to use the default "` + approvalCommentPrefix + `<environment>"`
	case n > 512:
		return fmt.Sprintf("has %d characters; shorten it to at most 512", n)
	}
	return ""
}

func emailRule(s string) string {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") || strings.ContainsFunc(s, unicode.IsSpace) {
		return "must be an email address, such as ops@example.com"
	}
	return ""
}
