package plan

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/cron"
	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/idrules"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// validator collects the problems of an Input, each naming its field by the
// caller's path (Input.Paths).
type validator struct {
	in   *Input
	errs []error
}

// add reports rule for the field at Go path: "<name> <rule>", or
// "<name><rule>" when rule starts with a colon.
func (v *validator) add(path, rule string) {
	sep := " "
	if strings.HasPrefix(rule, ":") {
		sep = ""
	}
	v.errs = append(v.errs, fmt.Errorf("%s%s%s", v.in.name(path), sep, rule))
}

func (v *validator) addf(path, format string, a ...any) { v.add(path, fmt.Sprintf(format, a...)) }

// freeTextInJSON refuses value, at path in the JSON document of the action
// configuration key doc (ParameterOverrides, UserParameters, Input), when it
// refers to a variable whose value is free text chosen outside the release
// (values.FreeTextReference): CodePipeline puts a resolved value in as it
// is, so a quote in it would end the JSON string and add keys
// (aws/aws-cdk#31213, #8458).
func (v *validator) freeTextInJSON(path, value, doc string) {
	if ref, who := values.FreeTextReference(value, v.fixedSourceVariables()); ref != "" {
		v.addf(path, "%q: uses %s, whose value %s chooses, inside the action's %s JSON: CodePipeline puts a variable's value into it without encoding it, "+
			"so a quote in the value would end the string and add keys; pass the value through the build instead (a Build.EnvironmentVariables variable the buildspec checks and exports, read as #{BuildVariables.<name>})",
			value, ref, who, doc)
	}
}

// fixedSourceVariables are the source variables whose value is known at
// synth (values.SourceFixedVariables), as "namespace.name".
func (v *validator) fixedSourceVariables() map[string]bool {
	fixed := map[string]bool{}
	for i, x := range append([]ExtraSource{{Source: v.in.Source}}, v.in.ExtraSources...) {
		ns := SourceVariables
		if i > 0 {
			ns += "_" + x.Name
		}
		if cc, ok := x.Source.(*CodeCommitSource); ok {
			values.SourceFixedVariables(fixed, ns, cc.Branch)
		}
	}
	return fixed
}

// err joins the problems, each once (a rule broken the same way in several
// regions is one problem), in the order they were found.
func (v *validator) err() error {
	seen := map[string]bool{}
	var out []error
	for _, e := range v.errs {
		if !seen[e.Error()] {
			seen[e.Error()] = true
			out = append(out, e)
		}
	}
	return errors.Join(out...)
}

var (
	nameRE      = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	stageNameRE = regexp.MustCompile(`^[A-Za-z0-9.@_-]+$`)
	resourceRE  = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,255}$`)
)

// The values some fields take, in CodePipeline's and CodeBuild's terms.
var (
	// ExecutionModes are the pipeline execution modes.
	ExecutionModes = []string{"SUPERSEDED", "QUEUED", "PARALLEL"}
	// ComputeTypes are the CodeBuild compute types a build may use.
	ComputeTypes = []string{"BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE", "BUILD_GENERAL1_XLARGE", "BUILD_GENERAL1_2XLARGE"}
	// LogRetentionDays are the retention periods CloudWatch Logs accepts.
	LogRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
	// Capabilities are the CloudFormation capabilities a stack may
	// acknowledge.
	Capabilities = []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"}
	// Presets are the scanner presets of PresetSuite.
	Presets = []string{"trivy", "semgrep", "checkov", "gitleaks"}
	// Severities are the severities of Scan.FailOn, lowest first.
	Severities = []string{"LOW", "MEDIUM", "HIGH", "CRITICAL"}
)

// validate checks in (defaults applied) and reports every problem.
func (v *validator) validate() {
	in := v.in
	v.source("Source", in.Source)
	names := map[string]int{}
	for i, x := range in.ExtraSources {
		field := fmt.Sprintf("ExtraSources[%d]", i)
		v.source(field+".Source", x.Source)
		if !sourceNameRE.MatchString(x.Name) {
			v.addf(field+".Name", "%q: must be 1-60 letters, digits, _ and -", x.Name)
		} else if j, dup := names[x.Name]; dup {
			v.addf(field+".Name", "%q: already used by ExtraSources[%d]", x.Name, j)
		} else {
			names[x.Name] = i
		}
	}
	if max := limits.Max(limits.CodeBuildInputs); !in.NoBuild && len(in.ExtraSources)+1 > max {
		v.addf("ExtraSources", ": %d extra sources and the source make %d input artifacts of the Build action; a CodeBuild action reads at most %d", len(in.ExtraSources), len(in.ExtraSources)+1, max)
	}
	if !slices.Contains(ExecutionModes, in.ExecutionMode) {
		v.addf("ExecutionMode", "%q: must be SUPERSEDED, QUEUED or PARALLEL", in.ExecutionMode)
	}
	if in.ExecutionMode == "PARALLEL" {
		// CodePipeline adds no failure condition with a rollback result to
		// a PARALLEL pipeline (execution-modes.html), and a stage rolls back
		// unless its deployments set DisableRollback.
		var rolls []string
		for i, d := range in.Deployments {
			if !d.DisableRollback {
				rolls = append(rolls, fmt.Sprintf("Deployments[%d]", i))
			}
		}
		switch len(rolls) {
		case 0:
		case 1:
			v.addf("ExecutionMode", "%q: CodePipeline does not roll back the stages of a PARALLEL pipeline, and %s rolls back when it fails; set its DisableRollback, or use QUEUED or SUPERSEDED", in.ExecutionMode, rolls[0])
		default:
			v.addf("ExecutionMode", "%q: CodePipeline does not roll back the stages of a PARALLEL pipeline, and %s roll back when they fail; set their DisableRollback, or use QUEUED or SUPERSEDED", in.ExecutionMode, strings.Join(rolls, ", "))
		}
	}
	vars := map[string]bool{}
	for i, x := range in.Variables {
		field := fmt.Sprintf("Variables[%d]", i)
		switch {
		case !values.PipelineVariableName(x.Name):
			v.addf(field+".Name", "%q: must be 1 to 128 letters, digits, @, - and _", x.Name)
		case vars[x.Name]:
			v.addf(field+".Name", "%q: already declared", x.Name)
		}
		vars[x.Name] = true
		if max := limits.Max(limits.VariableDefault); len(x.Default) > max {
			v.addf(field+".Default", "%d characters: CodePipeline takes at most %d", len(x.Default), max)
		}
		// CodePipeline checks both with the pattern .*, whose "." matches
		// no line terminator (PipelineVariableDeclaration).
		if strings.ContainsAny(x.Default, values.LineBreaks) {
			v.addf(field+".Default", "%q: must be one line", x.Default)
		}
		if n := utf8.RuneCountInString(x.Description); n > 200 {
			v.addf(field+".Description", "%d characters: CodePipeline takes at most 200 (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineVariableDeclaration.html)", n)
		} else if strings.ContainsAny(x.Description, values.LineBreaks) {
			v.addf(field+".Description", "%q: must be one line", x.Description)
		}
	}
	v.build()
	v.suites("Tests", in.Tests, false)
	if sc := in.Scan; sc != nil {
		if len(sc.Scanners) == 0 {
			v.add("Scan.Scanners", "[]: add at least one scanner")
		}
		if !slices.Contains(Severities, sc.FailOn) {
			v.addf("Scan.FailOn", "%q: must be LOW, MEDIUM, HIGH or CRITICAL", sc.FailOn)
		}
		v.suites("Scan.Scanners", sc.Scanners, true)
	}
	if in.SelfUpdate != nil {
		in.SelfUpdate.validate(v)
	}
	if in.Assets != nil {
		in.Assets.validate(v)
	}
	if len(in.Deployments) == 0 {
		v.add("Deployments", "[]: add at least one deployment")
	}
	seen := map[string]int{}
	for i := range in.Deployments {
		d := &in.Deployments[i]
		field := fmt.Sprintf("Deployments[%d]", i)
		if !nameRE.MatchString(d.Name) {
			v.addf(field+".Name", "%q: must be letters, digits, _ and - (it names the stage and variable namespaces)", d.Name)
		} else if j, dup := seen[d.Name]; dup {
			v.addf(field+".Name", "%q: already used by %s", d.Name, in.name(fmt.Sprintf("Deployments[%d]", j)))
		} else {
			seen[d.Name] = i
		}
		if d.Wave != "" && !stageNameRE.MatchString(d.Wave) {
			v.addf(field+".Wave", "%q: must be letters, digits and .@_-", d.Wave)
		}
		v.deployment(i, d)
	}
	v.waves()
	v.projects()
}

// waves checks that the deployments of each wave (WaveName: a deployment
// without Wave is in the wave of its Name) are listed one after another:
// a wave is one stage, Deploy-<wave>, and CodePipeline refuses two stages of
// one name.
func (v *validator) waves() {
	in := v.in
	first, names := map[string]int{}, map[string]bool{}
	for i := range in.Deployments {
		d := &in.Deployments[i]
		dupName := names[d.Name]
		names[d.Name] = true
		wave := d.WaveName()
		j, seen := first[wave]
		if !seen {
			first[wave] = i
			continue
		}
		if in.Deployments[i-1].WaveName() == wave || (d.Wave == "" && dupName) { // a duplicate Name is reported as such
			continue
		}
		path, value := fmt.Sprintf("Deployments[%d].Wave", i), d.Wave
		if d.Wave == "" {
			path, value = fmt.Sprintf("Deployments[%d].Name", i), d.Name
		}
		v.addf(path, "%q: %s is in this wave (stage Deploy-%s) too, but the deployments between are not; list the deployments of a wave one after another, or give this one another wave",
			value, in.name(fmt.Sprintf("Deployments[%d]", j)), wave)
	}
}

// noBuild checks, on the input before defaults, that a pipeline without a
// Build stage sets nothing only the build uses.
func (v *validator) noBuild(raw Input) {
	if !raw.NoBuild {
		return
	}
	b := raw.Build
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"ProjectName", b.ProjectName != ""}, {"Buildspec", b.Buildspec != ""}, {"Privileged", b.Privileged},
		{"Cache", b.Cache != "" && b.Cache != "none"}, {"EnvironmentVariables", len(b.EnvironmentVariables) > 0},
	} {
		if f.set {
			v.add("Build."+f.name, ": configures the Build stage, which NoBuild leaves out; remove it, or build")
		}
	}
	if len(raw.ExtraSources) > 0 {
		v.add("ExtraSources", ": are inputs of the Build stage, which NoBuild leaves out; remove them, or build")
	}
}

func (v *validator) build() {
	b := v.in.Build
	if !slices.Contains(LogRetentionDays, b.LogRetentionDays) {
		v.addf("Build.LogRetentionDays", "%d: not a CloudWatch Logs retention value (e.g. 30, 90, 365)", b.LogRetentionDays)
	}
	if !slices.Contains(ComputeTypes, b.ComputeType) {
		v.addf("Build.ComputeType", "%q: must be BUILD_GENERAL1_SMALL, _MEDIUM, _LARGE, _XLARGE or _2XLARGE", b.ComputeType)
	}
	if !values.CodeBuildManagedImage(b.Image) {
		// The projects pull it as CodeBuild, with no pull credentials.
		v.addf("Build.Image", "%q: must be a CodeBuild-managed image, starting with %s, such as %s", b.Image, values.CodeBuildImagePrefix, defaults.Image)
	}
	if c := b.Cache; c != "none" && c != "local" && c != "s3" {
		v.addf("Build.Cache", "%q: must be none, local or s3", c)
	}
	for _, name := range slices.Sorted(maps.Keys(b.EnvironmentVariables)) {
		v.buildVariable(fmt.Sprintf("Build.EnvironmentVariables[%q]", name), b.EnvironmentVariables[name])
	}
	if t := b.TimeoutMinutes; t < 5 || t > 2160 {
		v.addf("Build.TimeoutMinutes", "%d: must be 5 to 2160", t)
	}
	if b.VPC != nil {
		v.vpc(b.VPC)
	}
}

// buildVariable checks the value of a project's environment variable at Go
// path field. The project's role may read a Parameter
// (arn:...:parameter/NAME) and a Secret (its ARN followed by *) by ARN,
// where IAM reads * and ? as wildcards: each must name one parameter
// (values.SSMParameterName) or one secret (values.SecretARN), or be a
// token.
func (v *validator) buildVariable(field string, bv BuildVariable) {
	switch x := bv.(type) {
	case nil:
		v.add(field, ": set a PlainText, Parameter or Secret")
	case *PlainText, *Parameter, *Secret:
		// Their method sets include buildVariable; the project would drop
		// them (projectVariables takes the values).
		v.addf(field, `%T: a pointer; set a PlainText, Parameter or Secret value (plan.Secret("arn:..."), not &secret)`, bv)
	case Parameter:
		if x == "" {
			v.add(field, `"": a Parameter names an SSM parameter`)
		} else if !values.SSMParameterName(string(x)) && !arns.IsToken(string(x)) {
			v.addf(field, "%q: a Parameter is an SSM parameter name of 1 to 1000 letters, digits and _.-/, such as /payments/db-url (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html); the project's role may read it by its ARN, where * and ? would be IAM wildcards", string(x))
		}
	case Secret:
		if _, _, _, ok := values.SecretARN(string(x)); !ok && !arns.IsToken(string(x)) {
			v.addf(field, "%q: a Secret is a Secrets Manager secret ARN, such as arn:aws:secretsmanager:us-east-1:111111111111:secret:payments/api-key-AbCdEf, whose name is letters, digits and /_+=.@- (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html); the project's role may read it by its ARN, where * and ? would be IAM wildcards", string(x))
		}
	}
}

// vpc checks Build.VPC: an ID, 1 to 16 subnets and 1 to 5 security groups,
// each an ID (not a name or ARN), without duplicates.
func (v *validator) vpc(x *VPC) {
	if !values.VPCID(x.VpcID) {
		v.addf("Build.VPC.VpcID", "%q: must be a VPC ID such as vpc-0a1b2c3d4e5f67890", x.VpcID)
	}
	for _, f := range []struct {
		field, what, example string
		ids                  []string
		valid                func(string) bool
		max                  int
	}{
		{"Build.VPC.Subnets", "subnet", "subnet-0a1b2c3d4e5f67890", x.Subnets, values.SubnetID, limits.Max(limits.CodeBuildSubnets)},
		{"Build.VPC.SecurityGroups", "security group", "sg-0a1b2c3d4e5f67890", x.SecurityGroups, values.SecurityGroupID, limits.Max(limits.CodeBuildSecurityGroups)},
	} {
		switch n := len(f.ids); {
		case n == 0:
			v.addf(f.field, "[]: required; name at least one %s of the VPC, such as %s (CodeBuild places each build's network interface there)", f.what, f.example)
		case n > f.max:
			v.addf(f.field, "%d IDs: CodeBuild takes at most %d", n, f.max)
		}
		seen := map[string]bool{}
		for i, id := range f.ids {
			switch {
			case !f.valid(id):
				v.addf(fmt.Sprintf("%s[%d]", f.field, i), "%q: must be a %s ID such as %s", id, f.what, f.example)
			case seen[id]:
				v.addf(fmt.Sprintf("%s[%d]", f.field, i), "%q: listed twice", id)
			}
			seen[id] = true
		}
	}
}

// suites checks the suites of one stage.
func (v *validator) suites(field string, suites []Suite, scanners bool) {
	if max := limits.Max(limits.StageActions); len(suites) > max {
		v.addf(field, "%d suites: a stage holds at most %d actions", len(suites), max)
	}
	seen := map[string]bool{}
	for i, s := range suites {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !stageNameRE.MatchString(s.Name) || len(s.Name) > limits.Max(limits.ActionName) || seen[s.Name] {
			v.addf(f+".Name", "%q: must be unique, 1-%d characters of letters, digits and .@_-", s.Name, limits.Max(limits.ActionName))
		}
		seen[s.Name] = true
		switch {
		case s.Preset != "" && !scanners:
			v.addf(f+".Preset", "%q: presets are for scanners", s.Preset)
		case s.Preset != "" && !slices.Contains(Presets, s.Preset):
			v.addf(f+".Preset", "%q: must be trivy, semgrep, checkov or gitleaks", s.Preset)
		case s.Preset == "" && len(s.Commands) == 0:
			v.add(f+".Commands", "[]: list the commands that run the suite")
		}
		if s.Input != "source" && s.Input != "build" {
			v.addf(f+".Input", "%q: must be source or build", s.Input)
		}
		if max := limits.Max(limits.RunOrder); s.RunOrder < 1 || s.RunOrder > max {
			v.addf(f+".RunOrder", "%d: must be 1 to %d", s.RunOrder, max)
		}
		if s.Reports != nil && len(s.Reports.Files) == 0 {
			v.add(f+".Reports.Files", "[]: list report file patterns")
		}
	}
}

// requiredTarget is the rule for a deployment without a Target: nil, or a
// typed nil such as (*Account)(nil).
const requiredTarget = ": required; set an *Account, *StackSetAccounts, *OrganizationalUnits or *PipelineAccount"

// deployment checks deployment i.
func (v *validator) deployment(i int, d *Deployment) {
	field := fmt.Sprintf("Deployments[%d]", i)
	account := ""
	switch t := d.Target.(type) {
	case *Account:
		if t == nil {
			v.add(field+".Target", requiredTarget)
			break
		}
		account = t.ID
		if rule := values.AccountRule(t.ID); rule != "" {
			v.addf(field+".Target.ID", "%q: %s", t.ID, rule)
		}
	case *StackSetAccounts:
		if t == nil {
			v.add(field+".Target", requiredTarget)
			break
		}
		if len(t.IDs) == 0 {
			v.add(field+".Target.IDs", "[]: name at least one account")
		}
		for k, a := range t.IDs {
			if rule := values.AccountRule(a); rule != "" {
				v.addf(fmt.Sprintf("%s.Target.IDs[%d]", field, k), "%q: %s", a, rule)
			}
		}
		if t.StackSetOf == "" && (!strings.Contains(t.AdministrationRoleArn, ":role/") && !arns.IsToken(t.AdministrationRoleArn) || t.ExecutionRoleName == "") {
			v.add(field+".Target", ": a StackSet to accounts needs AdministrationRoleArn and ExecutionRoleName (self-managed permissions)")
		}
		v.rollout(field+".Target.Rollout", t.Rollout)
		v.stackSetOf(i, d, t.StackSetOf)
	case *OrganizationalUnits:
		if t == nil {
			v.add(field+".Target", requiredTarget)
			break
		}
		if len(t.IDs) == 0 {
			v.add(field+".Target.IDs", "[]: name at least one organizational unit")
		}
		for k, ou := range t.IDs {
			if !values.OrganizationalUnitID(ou) {
				v.addf(fmt.Sprintf("%s.Target.IDs[%d]", field, k), "%q: must be an organizational unit ID such as ou-ab12-cd34ef56", ou)
			}
		}
		v.rollout(field+".Target.Rollout", t.Rollout)
		v.stackSetOf(i, d, t.StackSetOf)
	case *PipelineAccount:
		if t == nil {
			v.add(field+".Target", requiredTarget)
			break
		}
		if len(d.Regions) > 0 {
			v.add(field+".Regions", ": a *PipelineAccount deployment runs in the pipeline's region; remove them")
		}
		if !isNil(d.Release) || len(d.Components) > 0 || len(d.Hooks) > 0 {
			v.add(field+".Target", ": a *PipelineAccount deployment runs steps only; remove Release, Components and Hooks")
		}
		if len(d.Steps) == 0 {
			v.add(field+".Steps", "[]: a *PipelineAccount deployment runs steps only; add at least one")
		}
		v.steps(i, d, d.stepsPath(i, ""), d.Steps, "")
		v.order(i, d, d.stepsPath(i, ""), d.Steps)
		return
	case nil:
		v.add(field+".Target", requiredTarget)
	}
	if len(d.Regions) == 0 {
		v.add(field+".Regions", "[]: name at least one region")
	}
	for j, r := range d.Regions {
		if slices.Index(d.Regions, r) != j {
			v.addf(fmt.Sprintf("%s.Regions[%d]", field, j), "%q: listed twice; remove one", r)
		}
	}
	if a := d.Approval; a != nil && (a.TimeoutMinutes < 5 || a.TimeoutMinutes > 86400) {
		v.addf(field+".Approval.TimeoutMinutes", "%d: must be 5 to 86400", a.TimeoutMinutes)
	}
	if a := d.Approval; a != nil {
		if rule := values.ReviewURLRule(a.ReviewURL); rule != "" {
			v.addf(field+".Approval.ReviewURL", "%q: %s", a.ReviewURL, rule)
		}
	}
	for k, a := range d.NoAlarms {
		// The pipeline role may describe these alarms (CheckEntryAlarms,
		// arn:...:alarm:<name>): IAM reads * and ? in the ARN as
		// wildcards and refuses characters beyond U+00FF in the policy.
		path := fmt.Sprintf("%s.NoAlarms[%d]", field, k)
		if r, at, ok := values.PolicyText(a); !values.AlarmName(a) {
			v.addf(path, "%q: must be a CloudWatch alarm name of 1 to 255 characters without control characters (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html)", a)
		} else if strings.ContainsAny(a, "*?") {
			v.addf(path, "%q: contains * or ?, which IAM reads as wildcards in the alarm ARN the pipeline role may describe, admitting every alarm that matches; name each alarm exactly", a)
		} else if !ok {
			v.addf(path, "%q: holds %q (%U) at byte %d, which IAM refuses in the pipeline role's policy (%s); rename the alarm in characters through U+00FF", a, string(r), r, at, values.IAMPolicyCharactersSource)
		}
	}
	if rule := conditionRules(values.SortedUnique(d.NoAlarms), d.Window != nil, ""); rule != "" {
		v.add(field+".NoAlarms", ": "+rule)
	}
	if w := d.Window; w != nil {
		if rule := cron.Rule(w.Cron); rule != "" {
			v.addf(field+".Window.Cron", "%q: %s", w.Cron, rule)
		}
		if rule := cron.TimeZoneRule(w.TimeZone); w.TimeZone != "" && rule != "" {
			v.addf(field+".Window.TimeZone", "%q: %s", w.TimeZone, rule)
		}
	}
	if d.Freeze != "" && !values.FreezeReason(d.Freeze) {
		v.addf(field+".Freeze", "%q: must be 1 to 300 of letters, digits, spaces and !@().*?- (CodePipeline's transition reason), such as \"Holiday freeze until Jan 5\"", d.Freeze)
	}
	if a := d.Approval; a != nil {
		for k, addr := range a.Notify {
			switch {
			case idrules.Email(addr) != "" && !arns.IsToken(addr):
				v.addf(fmt.Sprintf("%s.Approval.Notify[%d]", field, k), "%q: must be an email address, such as ops@example.com (SNS refuses to subscribe anything else, at deploy)", addr)
			case slices.Index(a.Notify, addr) != k:
				// aws-cdk-lib names each subscription by its address and
				// refuses a second one (SubscriptionAlreadyExistsUnder).
				v.addf(fmt.Sprintf("%s.Approval.Notify[%d]", field, k), "%q: listed twice; remove one", addr)
			}
		}
	}
	_, isAccount := d.Target.(*Account)
	switch {
	case len(d.Components) > 0:
		v.components(i, d, account)
	case isNil(d.Release) && len(d.Steps) > 0 && isAccount:
		// steps only, such as Terraform through a step role
	default:
		v.release(i, d.releasePath(i, ""), d, d.Release, account)
	}
	v.hooks(i, d.hooksPath(i, ""), d, d.Hooks, account)
	v.steps(i, d, d.stepsPath(i, ""), d.Steps, account)
	v.order(i, d, d.stepsPath(i, ""), d.Steps)
	for _, r := range slices.Sorted(maps.Keys(d.Regional)) {
		if !slices.Contains(d.Regions, r) {
			v.addf(fmt.Sprintf("%s.Regional[%q]", field, r), ": not one of Regions")
		}
		if x := d.Regional[r]; x.Release != nil {
			v.release(i, d.releasePath(i, r), d, x.Release, account)
		}
		for _, name := range slices.Sorted(maps.Keys(d.Regional[r].Releases)) {
			k := slices.IndexFunc(d.Components, func(c Component) bool { return c.Name == name })
			if k < 0 {
				v.addf(fmt.Sprintf("%s.Regional[%q].Releases[%q]", field, r, name), ": names no component of Components")
				continue
			}
			// At its own path: componentPath names the component's
			// Release for an entry that is nil, which replaces nothing.
			v.release(i, fmt.Sprintf("%s.Regional[%q].Releases[%q]", field, r, name), d, d.Regional[r].Releases[name], account)
		}
		if x := d.Regional[r]; x.Hooks != nil {
			v.hooks(i, d.hooksPath(i, r), d, x.Hooks, account)
		}
		if x := d.Regional[r]; x.Steps != nil {
			v.steps(i, d, d.stepsPath(i, r), x.Steps, account)
			v.order(i, d, d.stepsPath(i, r), x.Steps)
			if len(x.Steps) != len(d.Steps) || slices.ContainsFunc(x.Steps, func(s Step) bool {
				k := slices.IndexFunc(d.Steps, func(o Step) bool { return o.Name == s.Name })
				return k < 0 || d.Steps[k].Before != s.Before || !slices.Equal(d.Steps[k].DependsOn, s.DependsOn)
			}) {
				v.addf(d.stepsPath(i, r), ": must have the steps of Steps, with the same names and places (Before, DependsOn)")
			}
		}
	}
}

// components checks the components of deployment i: an Account target, no
// Release besides them, unique names, dependencies that name components
// and make no cycle, and each release.
func (v *validator) components(i int, d *Deployment, account string) {
	field := fmt.Sprintf("Deployments[%d]", i)
	if !isNil(d.Release) {
		v.add(field+".Release", ": set Release or Components, not both")
	}
	if _, ok := d.Target.(*Account); !ok && !isNil(d.Target) {
		v.add(field+".Components", ": need an Account target; a StackSet deploys one *Stack (Release)")
		return
	}
	names := map[string]bool{}
	for k, c := range d.Components {
		f := fmt.Sprintf("%s.Components[%d]", field, k)
		if !values.EntryName(c.Name) || names[c.Name] {
			v.addf(f+".Name", "%q: must be unique, 2 to 31 of a-z, 0-9 and -", c.Name)
		}
		names[c.Name] = true
		v.release(i, f+".Release", d, c.Release, account)
	}
	for _, s := range d.Steps {
		names[s.Name] = true
	}
	for k, c := range d.Components {
		for _, dep := range c.DependsOn {
			if !names[dep] || dep == c.Name {
				v.addf(fmt.Sprintf("%s.Components[%d].DependsOn", field, k), "%q: names no other component or step of the deployment", dep)
			}
		}
	}
	// order reports cycles, among components and steps.
}

func (v *validator) rollout(field string, r Rollout) {
	if r.MaxConcurrentPercentage < 0 || r.MaxConcurrentPercentage > 100 || r.FailureTolerancePercentage < 0 || r.FailureTolerancePercentage > 100 {
		v.addf(field, ": MaxConcurrentPercentage %d and FailureTolerancePercentage %d must be 0 to 100", r.MaxConcurrentPercentage, r.FailureTolerancePercentage)
	}
}

// stackSetOf checks that deployment i extends an earlier StackSet of the
// same kind that is its own.
func (v *validator) stackSetOf(i int, d *Deployment, of string) {
	if of == "" {
		return
	}
	deps := v.in.Deployments
	j := slices.IndexFunc(deps[:i], func(o Deployment) bool { return o.Name == of })
	ok := j >= 0
	if ok {
		_, ownerOf, _, isSet := stackSet(deps[j].Target)
		ok = isSet && ownerOf == "" && fmt.Sprintf("%T", deps[j].Target) == fmt.Sprintf("%T", d.Target)
	}
	if !ok {
		v.addf(fmt.Sprintf("Deployments[%d].Target.StackSetOf", i), "%q: must name an earlier deployment with a StackSet of its own, of the same target kind", of)
	}
}

// roleIn reports whether arn is a role ARN of account with a partition,
// or either is a token (package pipeline resolves the tokens it can, and checks the
// roles of targets wired by reference).
func roleIn(arn, account string) bool {
	if arns.IsToken(arn) || arns.IsToken(account) { // a token account is reported as such
		return true
	}
	acct, _, _, err := arns.Role(arn)
	return err == nil && acct == account
}

// release checks a deployment's release (at Go path field) for the target
// account ("" for a StackSet).
func (v *validator) release(i int, field string, d *Deployment, r Release, account string) {
	if isNil(r) {
		v.add(field, ": required; set a *Stack, *ECSRelease, *ECSBlueGreenRelease, *CodeDeployRelease, *S3Release or *EKSRelease")
		return
	}
	acct, _ := d.Target.(*Account)
	if s, ok := r.(*Stack); ok && acct == nil && !isNil(d.Target) {
		_, ous := d.Target.(*OrganizationalUnits)
		s.validateStackSet(v, field, ous)
		return
	}
	if acct == nil {
		if !isNil(d.Target) {
			v.add(field, ": needs an Account target; StackSets deploy a *Stack only")
		}
		return
	}
	r.validate(v, field)
	if r.usesDeployRole() {
		v.role(i, "DeployRoleArn", acct.DeployRoleArn, account)
	}
	if s, ok := r.(*Stack); ok {
		if s.ExecutionRoleArn != "" {
			if !roleIn(s.ExecutionRoleArn, account) {
				v.addf(field+".ExecutionRoleArn", "%q: must be a role ARN in account %s", s.ExecutionRoleArn, account)
			}
		} else {
			v.role(i, "ExecutionRoleArn", acct.ExecutionRoleArn, account)
		}
	}
}

// role checks one role ARN of deployment i's Account target.
func (v *validator) role(i int, name, arn, account string) {
	field := fmt.Sprintf("Deployments[%d].Target.%s", i, name)
	if !roleIn(arn, account) {
		v.addf(field, "%q: must be a role ARN in account %s", arn, account)
	}
}

// hooks checks hooks (at Go path field).
func (v *validator) hooks(i int, field string, d *Deployment, hooks []Hook, account string) {
	names := map[string]bool{}
	for k, h := range hooks {
		f := fmt.Sprintf("%s[%d]", field, k)
		if account == "" && !isNil(d.Target) {
			v.add(f, ": needs an Account target; StackSet deployments take no hooks")
		}
		if !values.EntryName(h.Name) || names[h.Name] {
			v.addf(f+".Name", "%q: must be unique, 2 to 31 of a-z, 0-9 and -", h.Name)
		}
		names[h.Name] = true
		if isNil(h.Invoke) {
			v.add(f+".Invoke", ": required; set a *LambdaInvoke or *StepFunctionsInvoke")
		} else {
			h.Invoke.validate(v, f+".Invoke")
		}
	}
	if acct, ok := d.Target.(*Account); ok && acct != nil && len(hooks) > 0 && !roleIn(acct.InvokeRoleArn, account) {
		v.addf(fmt.Sprintf("Deployments[%d].Target.InvokeRoleArn", i), "%q: hooks need a role ARN in account %s", acct.InvokeRoleArn, account)
	}
}
