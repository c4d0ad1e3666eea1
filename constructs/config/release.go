package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/relaycdk/relay/constructs/deployconfigs"
)

// placeholderRE matches ${key} in strategy and hook fields. IAM policy
// variables such as ${aws:username} contain a colon and never match.
var placeholderRE = regexp.MustCompile(`\$\{([A-Za-z][A-Za-z0-9_]*)\}`)

// settingKeyRE is the shape of an environment settings key.
var settingKeyRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// builtinSettings are the placeholders every account environment defines.
var builtinSettings = []string{"account", "env", "region"}

// release is the part of Deploy whose strings may use placeholders.
type release struct {
	ECS          *ECSDeploy          `json:"ecs,omitempty"`
	ECSBlueGreen *ECSBlueGreenDeploy `json:"ecsBlueGreen,omitempty"`
	CodeDeploy   *CodeDeployDeploy   `json:"codeDeploy,omitempty"`
	S3           *S3Deploy           `json:"s3,omitempty"`
	EKS          *EKSDeploy          `json:"eks,omitempty"`
	Hooks        []Hook              `json:"hooks,omitempty"`
}

// ReleaseFor is c.Deploy as environment e receives it in region: every
// ${key} of the strategy block and the hooks replaced by e's settings or
// the built-in env, account and region. It returns an error naming the
// first key that e does not define.
func (c *Config) ReleaseFor(e Environment, region string) (Deploy, error) {
	d := c.Deploy
	vars := settingsOf(e, region)
	raw, err := json.Marshal(release{d.ECS, d.ECSBlueGreen, d.CodeDeploy, d.S3, d.EKS, d.Hooks})
	if err != nil {
		return d, err
	}
	var missing []string
	expanded := placeholderRE.ReplaceAllStringFunc(string(raw), func(m string) string {
		key := m[2 : len(m)-1]
		v, ok := vars[key]
		if !ok {
			missing = append(missing, key)
			return m
		}
		quoted, _ := json.Marshal(v)
		return string(quoted[1 : len(quoted)-1])
	})
	if len(missing) > 0 {
		return d, fmt.Errorf("environment %q defines no setting %q; add it under its settings", e.Name, missing[0])
	}
	var r release
	if err := json.Unmarshal([]byte(expanded), &r); err != nil {
		return d, err
	}
	d.ECS, d.ECSBlueGreen, d.CodeDeploy, d.S3, d.EKS, d.Hooks = r.ECS, r.ECSBlueGreen, r.CodeDeploy, r.S3, r.EKS, r.Hooks
	return d, nil
}

// settingsOf are the placeholder values of e in region.
func settingsOf(e Environment, region string) map[string]string {
	vars := maps.Clone(e.Settings)
	if vars == nil {
		vars = map[string]string{}
	}
	vars["env"], vars["account"], vars["region"] = e.Name, e.Account, region
	return vars
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
	// Problems repeat per environment and region; validate drops repeats.
	accountEnvs := 0
	for i, e := range c.Environments {
		if e.Account == "" {
			continue
		}
		accountEnvs++
		for _, k := range slices.Sorted(maps.Keys(e.Settings)) {
			if !settingKeyRE.MatchString(k) || slices.Contains(builtinSettings, k) {
				p.add(envPath(i, "settings."+k), k, "must be 1 to 64 letters, digits and _, starting with a letter, and not env, account or region (built in)")
			}
		}
		for _, region := range e.Regions {
			r, err := c.ReleaseFor(e, region)
			if err != nil {
				p.add("deploy", "", fmt.Sprintf("uses a ${...} placeholder that environments[%d] cannot fill: %v", i, err))
				continue
			}
			validateStrategy(p, &r, e, region)
			validateHooks(p, r.Hooks)
		}
		if !d.IsStack() && len(e.Regions) > 1 && (d.ECSBlueGreen != nil || d.CodeDeploy != nil || (d.EKS != nil && d.EKS.Helm != nil)) {
			p.add(envPath(i, "regions"), strings.Join(e.Regions, ","),
				fmt.Sprintf("the %s strategy creates its CodeDeploy group or EKS access entry in one region; split this environment into one environment per region", d.Strategy()))
		}
	}
	if accountEnvs == 0 {
		validateHooks(p, d.Hooks)
	}
	for i, e := range c.Environments {
		if !d.IsStack() && e.Account == "" {
			p.add(envPath(i, "account"), "", fmt.Sprintf("the %s strategy deploys to one account per environment; accounts and organizationalUnits environments receive CloudFormation StackSets only", d.Strategy()))
		}
	}
}

var (
	ecsNameRE         = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)
	listenerARNRE     = regexp.MustCompile(`^arn:[^:]+:elasticloadbalancing:([a-z0-9-]+):([0-9]{12}):listener/(app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]+/[0-9a-f]+$`)
	targetGroupRE     = regexp.MustCompile(`^arn:[^:]+:elasticloadbalancing:([a-z0-9-]+):([0-9]{12}):targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]+$`)
	tgNameRE          = regexp.MustCompile(`^[A-Za-z0-9-]{1,32}$`)
	roleNameRE        = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	roleARNRE         = regexp.MustCompile(`^arn:[^:]+:iam::([0-9]{12}):role/([\w+=,.@-]+/)*[\w+=,.@-]+$`)
	kmsARNRE          = regexp.MustCompile(`^arn:[^:]+:kms:([a-z0-9-]+):([0-9]{12}):key/[0-9a-f-]{36}$`)
	functionRE        = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	stateMachineRE    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)
	eksClusterRE      = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)
	helmReleaseRE     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$`)
	k8sNamespaceRE    = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	helmSetKeyRE      = regexp.MustCompile(`^[A-Za-z0-9_.\[\]-]{1,200}$`)
	yqPathRE          = regexp.MustCompile(`^(\.[A-Za-z0-9_-]+)+$`)
	cacheControlRE    = regexp.MustCompile(`^[a-z-]+(=[0-9a-zA-Z"-]+)?$`)
	asgNameRE         = regexp.MustCompile(`^[^:\n]{1,255}$`)
	tagKeyRE          = regexp.MustCompile(`^[\w .:/=+@-]{1,128}$`)
	placeholderNameRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,63}$`)
	executionPrefixRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,60}$`)
	hookWhenAllowed   = []string{"before", "after"}
)

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

func alarmsRule(q *problems, path string, alarms []string) {
	for k, a := range alarms {
		if a == "" || len(a) > 255 || strings.ContainsAny(a, "\n\t,") {
			q.add(fmt.Sprintf("%s[%d]", path, k), a, "must be a CloudWatch alarm name of 1 to 255 characters, without commas")
		}
	}
	if len(alarms) > 10 {
		q.add(path, strconv.Itoa(len(alarms)), "CodeDeploy watches at most 10 alarms per deployment group; combine them in a composite alarm")
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

// validateStrategy checks r's strategy block as environment e receives it
// in region.
func validateStrategy(q *problems, r *Deploy, e Environment, region string) {
	if x := r.ECS; x != nil {
		const b = "deploy.ecs."
		for _, f := range [][2]string{{"cluster", x.Cluster}, {"service", x.Service}} {
			if !ecsNameRE.MatchString(f[1]) {
				q.add(b+f[0], f[1], "required: the ECS "+f[0]+" name, 1 to 255 letters, digits, _ and -")
			}
		}
		q.add(b+"imageDefinitions", x.ImageDefinitions, pathRule(x.ImageDefinitions, defaultImageDefinitions, "the build output"))
		if x.TimeoutMinutes < 1 || x.TimeoutMinutes > 60 {
			q.add(b+"timeoutMinutes", strconv.Itoa(x.TimeoutMinutes), "must be from 1 to 60 minutes (the ECS action's limit); the default is 60")
		}
		taskRolesRule(q, b+"taskRoles", x.TaskRoles, e, region)
	}
	if x := r.ECSBlueGreen; x != nil {
		const b = "deploy.ecsBlueGreen."
		for _, f := range [][2]string{{"cluster", x.Cluster}, {"service", x.Service}} {
			if !ecsNameRE.MatchString(f[1]) {
				q.add(b+f[0], f[1], "required: the ECS "+f[0]+" name, 1 to 255 letters, digits, _ and -")
			}
		}
		listener := func(field, v string) {
			switch m := listenerARNRE.FindStringSubmatch(v); {
			case v == "" && field == "testListener":
				q.add(b+field, v, "required: blue/green needs a test listener, where the green tasks take test traffic before production traffic moves; add a listener on another port and give its ARN")
			case v == "":
				q.add(b+field, v, "required: the ARN of the listener that serves production traffic")
			case m == nil:
				q.add(b+field, v, "must be a load balancer listener ARN, such as arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2")
			default:
				q.add(b+field, v, arnPlaceRule("listener", m[1], m[2], e, region))
			}
		}
		listener("productionListener", x.ProductionListener)
		listener("testListener", x.TestListener)
		if x.ProductionListener != "" && x.ProductionListener == x.TestListener {
			q.add(b+"testListener", x.TestListener, "is the production listener; the test listener must be another listener")
		}
		if len(x.TargetGroups) != 2 {
			q.add(b+"targetGroups", strings.Join(x.TargetGroups, ","), "must list exactly two target group ARNs: blue, then green")
		} else if x.TargetGroups[0] == x.TargetGroups[1] {
			q.add(b+"targetGroups[1]", x.TargetGroups[1], "is the blue target group too; blue and green need a target group each")
		}
		for k, tg := range x.TargetGroups {
			rule := ""
			if m := targetGroupRE.FindStringSubmatch(tg); m == nil {
				rule = "must be a target group ARN, such as arn:aws:elasticloadbalancing:us-east-1:222222222222:targetgroup/web-blue/73e2d6bc24d8a067"
			} else {
				rule = arnPlaceRule("target group", m[1], m[2], e, region)
			}
			q.add(fmt.Sprintf("%stargetGroups[%d]", b, k), tg, rule)
		}
		q.add(b+"taskDefinition", x.TaskDefinition, pathRule(x.TaskDefinition, defaultTaskDefinition, "the build output"))
		q.add(b+"appSpec", x.AppSpec, pathRule(x.AppSpec, defaultAppSpec, "the build output"))
		if !placeholderNameRE.MatchString(x.ImagePlaceholder) {
			q.add(b+"imagePlaceholder", x.ImagePlaceholder, "must be upper-case letters, digits and _, as written in taskdef.json, such as IMAGE1_NAME")
		}
		q.add(b+"deploymentConfig", x.DeploymentConfig, configNameRule(x.DeploymentConfig, deployconfigs.ECS()))
		q.add(b+"waitMinutes", strconv.Itoa(x.WaitMinutes), minutesRule(x.WaitMinutes, 2880))
		if x.TerminationWaitMinutes != nil {
			q.add(b+"terminationWaitMinutes", strconv.Itoa(*x.TerminationWaitMinutes), minutesRule(*x.TerminationWaitMinutes, 2880))
		}
		alarmsRule(q, b+"alarms", x.Alarms)
		taskRolesRule(q, b+"taskRoles", x.TaskRoles, e, region)
	}
	if x := r.CodeDeploy; x != nil {
		const b = "deploy.codeDeploy."
		if len(x.InstanceTags) == 0 && len(x.OnPremisesTags) == 0 && len(x.AutoScalingGroups) == 0 {
			q.add("deploy.codeDeploy", "", "selects no instances; set instanceTags, onPremisesTags or autoScalingGroups")
		}
		for _, f := range []struct {
			name string
			tags map[string][]string
		}{{"instanceTags", x.InstanceTags}, {"onPremisesTags", x.OnPremisesTags}} {
			for _, k := range slices.Sorted(maps.Keys(f.tags)) {
				if !tagKeyRE.MatchString(k) || len(f.tags[k]) == 0 {
					q.add(b+f.name+"."+k, k, "must be a tag key of 1 to 128 characters with at least one value")
				}
			}
		}
		if len(x.InstanceRoles) == 0 {
			q.add(b+"instanceRoles", "", "required: name the roles of the instances' profiles; the CodeDeploy agent downloads the revision from the artifact store with them")
		}
		for k, r := range x.InstanceRoles {
			if !roleNameRE.MatchString(r) {
				q.add(fmt.Sprintf("%sinstanceRoles[%d]", b, k), r, "must be a role name (not an ARN) of 1 to 64 letters, digits and +=,.@_-")
			}
		}
		for k, g := range x.AutoScalingGroups {
			if !asgNameRE.MatchString(g) {
				q.add(fmt.Sprintf("%sautoScalingGroups[%d]", b, k), g, "must be an Auto Scaling group name of 1 to 255 characters, without colons")
			}
		}
		switch x.Style {
		case "in-place":
		case "blue-green":
			if len(x.AutoScalingGroups) == 0 {
				q.add(b+"autoScalingGroups", "", "blue-green needs an Auto Scaling group: CodeDeploy copies it to provision the green instances")
			}
			if len(x.TargetGroups) == 0 {
				q.add(b+"targetGroups", "", "blue-green needs the target groups through which traffic moves to the green instances")
			}
		default:
			q.add(b+"style", x.Style, "must be in-place or blue-green")
		}
		if m := x.MinimumHealthyHosts; m != nil {
			switch {
			case m.Type != "HOST_COUNT" && m.Type != "FLEET_PERCENT":
				q.add(b+"minimumHealthyHosts.type", m.Type, "must be HOST_COUNT or FLEET_PERCENT")
			case m.Value < 0 || (m.Type == "FLEET_PERCENT" && m.Value > 99):
				q.add(b+"minimumHealthyHosts.value", strconv.Itoa(m.Value), "must be at least 0 hosts, or 0 to 99 percent")
			}
			if x.DeploymentConfig != "" {
				q.add(b+"deploymentConfig", x.DeploymentConfig, "set either deploymentConfig or minimumHealthyHosts, not both")
			}
		} else {
			q.add(b+"deploymentConfig", x.DeploymentConfig, configNameRule(x.DeploymentConfig, deployconfigs.Server()))
		}
		for k, tg := range x.TargetGroups {
			if !tgNameRE.MatchString(tg) {
				q.add(fmt.Sprintf("%stargetGroups[%d]", b, k), tg, "must be a target group name (not an ARN): 1 to 32 letters, digits and hyphens")
			}
		}
		if x.TerminationWaitMinutes != nil {
			rule := minutesRule(*x.TerminationWaitMinutes, 2880)
			if x.Style != "blue-green" {
				rule = "applies to blue-green only: in place, no instances are replaced; remove it"
			}
			q.add(b+"terminationWaitMinutes", strconv.Itoa(*x.TerminationWaitMinutes), rule)
		}
		alarmsRule(q, b+"alarms", x.Alarms)
	}
	if x := r.S3; x != nil {
		const b = "deploy.s3."
		q.add(b+"bucket", x.Bucket, bucketRule(x.Bucket))
		if x.Extract != nil && !*x.Extract && x.ObjectKey == "" {
			q.add(b+"objectKey", "", "required when extract is false: the key of the zip in the bucket")
		}
		if x.ObjectKey != "" && (strings.HasPrefix(x.ObjectKey, "/") || len(x.ObjectKey) > 1024) {
			q.add(b+"objectKey", x.ObjectKey, "must be an S3 key of at most 1024 characters, not starting with /")
		}
		for k, cc := range x.CacheControl {
			if !cacheControlRE.MatchString(cc) {
				q.add(fmt.Sprintf("%scacheControl[%d]", b, k), cc, "must be one Cache-Control directive, such as public or max-age=300")
			}
		}
		if x.KMSKey != "" {
			rule := ""
			if m := kmsARNRE.FindStringSubmatch(x.KMSKey); m == nil {
				rule = "must be a KMS key ARN (not an alias), such as arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
			} else {
				rule = arnPlaceRule("KMS key", m[1], m[2], e, region)
			}
			q.add(b+"kmsKey", x.KMSKey, rule)
		}
	}
	if x := r.EKS; x != nil {
		const b = "deploy.eks."
		if x.GitOps == nil && x.Helm == nil {
			q.add("deploy.eks", "", "set gitops, helm or both")
		}
		if x.Cluster != "" || x.Helm != nil {
			if !eksClusterRE.MatchString(x.Cluster) {
				q.add(b+"cluster", x.Cluster, "required with helm: the EKS cluster name, 1 to 100 letters, digits, _ and -")
			}
		}
		if g := x.GitOps; g != nil {
			if u, err := url.Parse(g.Repository); err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || !strings.HasSuffix(u.Path, ".git") {
				q.add(b+"gitops.repository", g.Repository, "must be an https clone URL without credentials, such as https://github.com/acme/gitops.git (the token comes from tokenSecret)")
			}
			q.add(b+"gitops.branch", g.Branch, branchRule(g.Branch))
			q.add(b+"gitops.file", g.File, pathRule(g.File, "envs/${env}/values.yaml", "the GitOps repository"))
			if !yqPathRE.MatchString(g.Key) {
				q.add(b+"gitops.key", g.Key, "must be a yq path of keys, such as .image.tag")
			}
			if g.Value == "" || strings.ContainsAny(g.Value, "'\n") {
				q.add(b+"gitops.value", g.Value, "must be a one-line value without single quotes, such as #{SourceVariables.CommitId}")
			}
			if m := secretRE.FindStringSubmatch(g.TokenSecret); m == nil {
				q.add(b+"gitops.tokenSecret", g.TokenSecret, "required: the ARN of a Secrets Manager secret in the tooling account holding a token that may push to the repository")
			}
		}
		if h := x.Helm; h != nil {
			if !helmReleaseRE.MatchString(h.Release) {
				q.add(b+"helm.release", h.Release, "must be a Helm release name: 1 to 53 lowercase letters, digits and -")
			}
			q.add(b+"helm.chart", h.Chart, pathRule(h.Chart, "charts/web", "the build output"))
			if !k8sNamespaceRE.MatchString(h.Namespace) {
				q.add(b+"helm.namespace", h.Namespace, "must be a Kubernetes namespace: 1 to 63 lowercase letters, digits and -")
			}
			if h.ValuesFile != "" {
				q.add(b+"helm.valuesFile", h.ValuesFile, pathRule(h.ValuesFile, "values/${env}.yaml", "the build output"))
			}
			for _, k := range slices.Sorted(maps.Keys(h.Set)) {
				if !helmSetKeyRE.MatchString(k) || strings.ContainsAny(h.Set[k], "'\n,") {
					q.add(b+"helm.set."+k, h.Set[k], "keys are dotted Helm value paths; values are one line without single quotes or commas")
				}
			}
		}
	}
}

// validateHooks checks the invoke hooks.
func validateHooks(q *problems, hooks []Hook) {
	first := map[string]int{}
	for i, h := range hooks {
		b := fmt.Sprintf("deploy.hooks[%d]", i)
		q.add(b+".name", h.Name, listNameRule(first, "deploy.hooks", i, h.Name, "smoke-test", "hook"))
		q.add(b+".when", h.When, oneOfRule(h.When, hookWhenAllowed))
		switch {
		case (h.Lambda == nil) == (h.StepFunctions == nil):
			q.add(b, h.Name, "set exactly one of lambda and stepFunctions")
		case h.Lambda != nil:
			if !functionRE.MatchString(h.Lambda.Function) {
				q.add(b+".lambda.function", h.Lambda.Function, "must be a function name without a qualifier (CodePipeline invokes $LATEST), such as payments-app-smoke-test")
			}
			if len(h.Lambda.UserParameters) > 1000 {
				q.add(b+".lambda.userParameters", strconv.Itoa(len(h.Lambda.UserParameters))+" characters", "CodePipeline passes at most 1000 characters; pass a file path instead")
			}
		default:
			s := h.StepFunctions
			if !stateMachineRE.MatchString(s.StateMachine) {
				q.add(b+".stepFunctions.stateMachine", s.StateMachine, "must be a state machine name of 1 to 80 letters, digits, _ and -")
			}
			if len(s.Input) > 0 && s.InputFile != "" {
				q.add(b+".stepFunctions.inputFile", s.InputFile, "set either input or inputFile, not both")
			}
			if s.InputFile != "" {
				q.add(b+".stepFunctions.inputFile", s.InputFile, pathRule(s.InputFile, "migrations/input.json", "the build output"))
			}
			if !executionPrefixRE.MatchString(s.ExecutionNamePrefix) {
				q.add(b+".stepFunctions.executionNamePrefix", s.ExecutionNamePrefix, "must be 1 to 60 letters, digits, _ and -")
			}
		}
	}
}

// taskRolesRule checks the roles a deploy role may pass to ECS.
func taskRolesRule(q *problems, path string, roles []string, e Environment, region string) {
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
		q.add(fmt.Sprintf("%s[%d]", path, k), role, rule)
	}
}
