package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/internal/deployconfigs"
)

// CodeDeployDeploy is an EC2/on-premises deployment through CodeDeploy:
// the build output is the revision (with appspec.yml at its root). Relay
// creates the application and deployment group in the environment's stack,
// or deploys through an existing one (ExistingGroup).
type CodeDeployDeploy struct {
	// ExistingGroup names an application and deployment group that exist
	// in the environment's account: Relay then creates neither, and every
	// setting of the group itself (instanceTags, onPremisesTags,
	// autoScalingGroups, style, deploymentConfig, minimumHealthyHosts,
	// targetGroups, terminationWaitMinutes, alarms) is the existing group's
	// and refused here. Default: Relay creates <name> and <name>-<env>.
	ExistingGroup *ExistingDeploymentGroup `yaml:"existingGroup,omitempty" json:"existingGroup,omitempty"`
	// InstanceTags select EC2 instances: tag key to values, any value
	// matches. At most 10 key and value pairs: they form one CodeDeploy
	// tag group (limits.CodeDeployTags, https://docs.aws.amazon.com/codedeploy/latest/userguide/instances-tagging.html).
	InstanceTags map[string][]string `yaml:"instanceTags,omitempty" json:"instanceTags,omitempty"`
	// OnPremisesTags select registered on-premises instances the same way,
	// at most 10 key and value pairs.
	OnPremisesTags map[string][]string `yaml:"onPremisesTags,omitempty" json:"onPremisesTags,omitempty"`
	// AutoScalingGroups are Auto Scaling group names. At least one of
	// instanceTags, onPremisesTags and autoScalingGroups is required;
	// blue-green needs autoScalingGroups. At most 10: CodeDeploy's default
	// quota (limits.CodeDeployASGs), which a synth cannot see raised; more
	// with quotas.codeDeployAutoScalingGroups declared.
	AutoScalingGroups []string `yaml:"autoScalingGroups,omitempty" json:"autoScalingGroups,omitempty"`
	// Style is in-place or blue-green. Default: in-place.
	Style string `yaml:"style,omitempty" json:"style,omitempty"`
	// DeploymentConfig is OneAtATime, HalfAtATime or AllAtOnce. Default:
	// OneAtATime. Ignored when MinimumHealthyHosts is set.
	DeploymentConfig string `yaml:"deploymentConfig,omitempty" json:"deploymentConfig,omitempty"`
	// MinimumHealthyHosts defines a custom rolling configuration instead.
	MinimumHealthyHosts *MinimumHealthyHosts `yaml:"minimumHealthyHosts,omitempty" json:"minimumHealthyHosts,omitempty"`
	// TargetGroups are load balancer target group names through which
	// traffic is blocked and allowed during the deployment; required for
	// blue-green.
	TargetGroups []string `yaml:"targetGroups,omitempty" json:"targetGroups,omitempty"`
	// TerminationWaitMinutes is how long blue instances stay after a
	// blue-green switch, 0 to 2880. Default: 5.
	TerminationWaitMinutes *int `yaml:"terminationWaitMinutes,omitempty" json:"terminationWaitMinutes,omitempty"`
	// Alarms are CloudWatch alarm names that roll the deployment back.
	Alarms []string `yaml:"alarms,omitempty" json:"alarms,omitempty"`
	// InstanceRoles are the names (at path /) of the roles of the
	// instances' profiles: the CodeDeploy agent downloads the revision from
	// the artifact store with them, so Relay lets them read it. Required.
	InstanceRoles []string `yaml:"instanceRoles" json:"instanceRoles"`
}

// ExistingDeploymentGroup names a CodeDeploy application and deployment
// group of the environment's account that Relay deploys through without
// creating or changing them. Both take ${...} placeholders (such as
// web-${env}).
type ExistingDeploymentGroup struct {
	// Application is the application's name. Required.
	Application string `yaml:"application" json:"application"`
	// DeploymentGroup is the deployment group's name. Required.
	DeploymentGroup string `yaml:"deploymentGroup" json:"deploymentGroup"`
}

// existingGroupRules checks x, written at path (deploy.<strategy>.existingGroup).
func existingGroupRules(q *problems, path string, x *ExistingDeploymentGroup) {
	for _, f := range [][3]string{{"application", x.Application, "application"}, {"deploymentGroup", x.DeploymentGroup, "deployment group"}} {
		if !codeDeployNameRE.MatchString(f[1]) {
			q.add(path+"."+f[0], f[1], "required: the name of the existing CodeDeploy "+f[2]+", 1 to 100 letters, digits and ._+=,@-")
		}
	}
}

// groupSetting is a setting of a deployment group Relay creates, as
// written: its name, its value, and whether the file sets it.
type groupSetting struct {
	name, value string
	set         bool
}

// relayGroupOnly refuses, at base (deploy.<strategy>.), each setting that
// only a deployment group Relay creates takes, when the strategy deploys
// through an existing group.
func relayGroupOnly(q *problems, base string, settings []groupSetting) {
	for _, f := range settings {
		if f.set {
			q.add(base+f.name, f.value, "configures a deployment group Relay creates; with existingGroup the existing group keeps its own "+f.name+": remove it here (change it on the group)")
		}
	}
}

// MinimumHealthyHosts is a custom CodeDeploy rolling configuration.
type MinimumHealthyHosts struct {
	// Type is HOST_COUNT or FLEET_PERCENT. Required.
	Type string `yaml:"type" json:"type"`
	// Value is the count (at least 0) or percentage (0 to 99). Required.
	Value int `yaml:"value" json:"value"`
}

// Defaults of the EC2/on-premises deployment.
const (
	defaultServerDeploymentConfig = defaults.ServerDeploymentConfig
	defaultCodeDeployStyle        = defaults.ServerStyle
)

var (
	tgNameRE   = regexp.MustCompile(`^[A-Za-z0-9-]{1,32}$`)
	roleNameRE = regexp.MustCompile(fmt.Sprintf(`^[\w+=,.@-]{1,%d}$`, limits.Max(limits.IAMRoleName)))
	asgNameRE  = regexp.MustCompile(`^[^:\n]{1,255}$`)
	tagKeyRE   = regexp.MustCompile(`^[\w .:/=+@-]{1,128}$`)
	// codeDeployNameRE is an application or deployment group name.
	codeDeployNameRE = regexp.MustCompile(`^[A-Za-z0-9._+=,@-]{1,100}$`)
)

// applyDefaults sets x's defaults; unset is as in applyDefaults. An
// existing group takes none: its settings are its own.
func (x *CodeDeployDeploy) applyDefaults(unset unsetFunc) {
	if x.ExistingGroup != nil {
		return
	}
	if unset("deploy.codeDeploy.style", x.Style == "") {
		x.Style = defaultCodeDeployStyle
	}
	if unset("deploy.codeDeploy.deploymentConfig", x.DeploymentConfig == "") && x.MinimumHealthyHosts == nil {
		x.DeploymentConfig = defaultServerDeploymentConfig
	}
	if x.TerminationWaitMinutes == nil && x.Style == "blue-green" {
		x.TerminationWaitMinutes = intPtr(defaultTerminationWaitMinutes)
	}
}

// validateCodeDeploy checks the EC2/on-premises CodeDeploy deployment x,
// in accounts with the declared quotas, as environment e receives it in
// region.
func validateCodeDeploy(c *Config, q *problems, x *CodeDeployDeploy, e Environment, region string, quotas limits.Quotas) {
	const b = "deploy.codeDeploy."
	if x.ExistingGroup != nil {
		validateExistingCodeDeploy(c, q, x, e)
		return
	}
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
			// Each value is one tag of the group, and the deployment group's
			// resource schema declares the tag group uniqueItems: CloudFormation
			// refuses it ("array items are not unique";
			// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-codedeploy-deploymentgroup-ec2tagset.html).
			for j, v := range f.tags[k] {
				if slices.Contains(f.tags[k][:j], v) {
					q.add(fmt.Sprintf("%s%s.%s[%d]", b, f.name, k, j), v, "is listed twice; CloudFormation refuses a deployment group whose tag group holds the same tag twice (its items must be unique); remove one")
				}
			}
		}
	}
	instanceRolesRules(c, q, b, x.InstanceRoles, e)
	for k, g := range x.AutoScalingGroups {
		if !asgNameRE.MatchString(g) {
			q.add(fmt.Sprintf("%sautoScalingGroups[%d]", b, k), g, "must be an Auto Scaling group name of 1 to 255 characters, without colons")
		}
	}
	// CodeDeploy's quotas of a deployment group's instance selection: Relay
	// writes each tag map as one tag group, a tag per key and value.
	for _, f := range []struct {
		name string
		tags map[string][]string
	}{{"instanceTags", x.InstanceTags}, {"onPremisesTags", x.OnPremisesTags}} {
		if n, most := limits.TagGroupSize(f.tags), limits.Max(limits.CodeDeployTags); n > most {
			q.add(b+f.name, strconv.Itoa(n), fmt.Sprintf("CodeDeploy selects instances by at most %d tags in a tag group (%s), and Relay writes %s as one tag group with a tag per key and value, %d, so CloudFormation would fail to create the deployment group: tag the instances with one shared tag (such as app: [billing]), or list their Auto Scaling groups in %sautoScalingGroups instead",
				most, limits.ByID(limits.CodeDeployTags).Source, f.name, n, b))
		}
	}
	if n, most := len(x.AutoScalingGroups), quotas.Max(limits.CodeDeployASGs); n > most {
		fix := fmt.Sprintf("deploy through at most %d groups, or select the other instances with %sinstanceTags", most, b)
		if raise := quotas.RaiseFix(limits.CodeDeployASGs, quotaPath(limits.CodeDeployASGs), n); raise != "" {
			fix += ", or, " + raise
		}
		q.add(b+"autoScalingGroups", strconv.Itoa(n), fmt.Sprintf("CodeDeploy takes at most %d Auto Scaling groups in a deployment group (%s, %s), so CloudFormation would fail to create it: %s",
			most, quotas.Basis(limits.CodeDeployASGs, quotaPath(limits.CodeDeployASGs)), limits.ByID(limits.CodeDeployASGs).Source, fix))
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
		rule := minutesRule(*x.TerminationWaitMinutes, limits.Max(limits.CodeDeployWait))
		if x.Style != "blue-green" {
			rule = "applies to blue-green only: in place, no instances are replaced; remove it"
		}
		q.add(b+"terminationWaitMinutes", strconv.Itoa(*x.TerminationWaitMinutes), rule)
	}
	alarmsRule(q, b+"alarms", x.Alarms)
}

// validateExistingCodeDeploy checks an EC2/on-premises deployment through
// an existing group: its names and the instance roles, and that no setting
// of a Relay-created group is written.
func validateExistingCodeDeploy(c *Config, q *problems, x *CodeDeployDeploy, e Environment) {
	const b = "deploy.codeDeploy."
	existingGroupRules(q, b+"existingGroup", x.ExistingGroup)
	instanceRolesRules(c, q, b, x.InstanceRoles, e)
	mhh := ""
	if m := x.MinimumHealthyHosts; m != nil {
		mhh = fmt.Sprintf("%s %d", m.Type, m.Value)
	}
	twm := ""
	if x.TerminationWaitMinutes != nil {
		twm = strconv.Itoa(*x.TerminationWaitMinutes)
	}
	relayGroupOnly(q, b, []groupSetting{
		{"instanceTags", strings.Join(slices.Sorted(maps.Keys(x.InstanceTags)), ","), len(x.InstanceTags) > 0},
		{"onPremisesTags", strings.Join(slices.Sorted(maps.Keys(x.OnPremisesTags)), ","), len(x.OnPremisesTags) > 0},
		{"autoScalingGroups", strings.Join(x.AutoScalingGroups, ","), len(x.AutoScalingGroups) > 0},
		{"style", x.Style, x.Style != ""},
		{"deploymentConfig", x.DeploymentConfig, x.DeploymentConfig != ""},
		{"minimumHealthyHosts", mhh, x.MinimumHealthyHosts != nil},
		{"targetGroups", strings.Join(x.TargetGroups, ","), len(x.TargetGroups) > 0},
		{"terminationWaitMinutes", twm, x.TerminationWaitMinutes != nil},
		{"alarms", strings.Join(x.Alarms, ","), len(x.Alarms) > 0},
	})
}

// instanceRolesRules checks deploy.codeDeploy.instanceRoles, written under b.
func instanceRolesRules(c *Config, q *problems, b string, roles []string, e Environment) {
	if len(roles) == 0 {
		q.add(b+"instanceRoles", "", "required: name the roles of the instances' profiles; the CodeDeploy agent downloads the revision from the artifact store with them")
	}
	for k, r := range roles {
		if !roleNameRE.MatchString(r) {
			q.add(fmt.Sprintf("%sinstanceRoles[%d]", b, k), r, "must be a role name (not an ARN) of 1 to 64 letters, digits and +=,.@_-")
		} else {
			q.add(fmt.Sprintf("%sinstanceRoles[%d]", b, k), r, c.instanceRoleRule(r, e))
		}
	}
}
