package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/internal/deployconfigs"
)

// ECSBlueGreenDeploy is an Amazon ECS blue/green deployment through
// CodeDeploy. Relay creates the CodeDeploy application and deployment group
// in the environment's stack; the service (with the CODE_DEPLOY deployment
// controller), its listeners and target groups must exist first. Or Relay
// deploys through an existing application and deployment group
// (ExistingGroup).
type ECSBlueGreenDeploy struct {
	// ExistingGroup names an application and ECS deployment group that
	// exist in the environment's account: Relay then creates neither, and
	// every setting of the group itself (cluster, service,
	// productionListener, testListener, targetGroups, deploymentConfig,
	// waitMinutes, terminationWaitMinutes, alarms) is the existing group's
	// and refused here. taskRoles, taskDefinition, appSpec and
	// imagePlaceholder still apply. Default: Relay creates <name> and
	// <name>-<env>.
	ExistingGroup *ExistingDeploymentGroup `yaml:"existingGroup,omitempty" json:"existingGroup,omitempty"`
	// Cluster is the ECS cluster name. Required.
	Cluster string `yaml:"cluster" json:"cluster"`
	// Service is the ECS service name. Required.
	Service string `yaml:"service" json:"service"`
	// ProductionListener is the ARN of the listener that serves production
	// traffic. Required.
	ProductionListener string `yaml:"productionListener" json:"productionListener"`
	// TestListener is the ARN of the listener that reaches the green tasks
	// before production traffic moves. Required.
	TestListener string `yaml:"testListener" json:"testListener"`
	// TargetGroups are the ARNs of the blue and the green target group, in
	// that order. Required: exactly two.
	TargetGroups []string `yaml:"targetGroups" json:"targetGroups"`
	// TaskDefinition is the path of taskdef.json in the build output, at
	// most 1,000 characters (one action configuration value). Default:
	// taskdef.json.
	TaskDefinition string `yaml:"taskDefinition,omitempty" json:"taskDefinition,omitempty"`
	// AppSpec is the path of appspec.yaml in the build output, at most
	// 1,000 characters (one action configuration value). Default:
	// appspec.yaml.
	AppSpec string `yaml:"appSpec,omitempty" json:"appSpec,omitempty"`
	// ImagePlaceholder is the placeholder in taskdef.json that CodeDeploy
	// replaces with the image URI of imageDetail.json in the build output.
	// Default: IMAGE1_NAME.
	ImagePlaceholder string `yaml:"imagePlaceholder,omitempty" json:"imagePlaceholder,omitempty"`
	// DeploymentConfig is a predefined ECS configuration, such as
	// ECSCanary10Percent5Minutes. Default: ECSAllAtOnce.
	DeploymentConfig string `yaml:"deploymentConfig,omitempty" json:"deploymentConfig,omitempty"`
	// WaitMinutes is how long the green tasks take test traffic before
	// production traffic moves, 0 to 2880. Default: 0.
	WaitMinutes int `yaml:"waitMinutes,omitempty" json:"waitMinutes,omitempty"`
	// TerminationWaitMinutes is how long the blue tasks stay after the
	// switch, 0 to 2880. Default: 5.
	TerminationWaitMinutes *int `yaml:"terminationWaitMinutes,omitempty" json:"terminationWaitMinutes,omitempty"`
	// Alarms are CloudWatch alarm names in the environment's account: when
	// one goes to ALARM during the deployment, CodeDeploy rolls back.
	Alarms []string `yaml:"alarms,omitempty" json:"alarms,omitempty"`
	// TaskRoles are the ARNs of the task and task execution roles that
	// taskdef.json names: the only roles the deploy role may pass to ECS.
	// Required.
	TaskRoles []string `yaml:"taskRoles" json:"taskRoles"`
}

// Defaults of the ECS blue/green deployment.
const (
	defaultTaskDefinition      = defaults.TaskDefinition
	defaultAppSpec             = defaults.AppSpec
	defaultImagePlaceholder    = defaults.ImagePlaceholder
	defaultECSDeploymentConfig = defaults.ECSDeploymentConfig
)

var (
	listenerARNRE     = regexp.MustCompile(`^arn:[^:]+:elasticloadbalancing:([a-z0-9-]+):([0-9]{12}):listener/(app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]+/[0-9a-f]+$`)
	targetGroupRE     = regexp.MustCompile(`^arn:[^:]+:elasticloadbalancing:([a-z0-9-]+):([0-9]{12}):targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]+$`)
	placeholderNameRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,63}$`)
)

// applyDefaults sets x's defaults; unset is as in applyDefaults.
func (x *ECSBlueGreenDeploy) applyDefaults(unset unsetFunc) {
	const b = "deploy.ecsBlueGreen."
	if unset(b+"taskDefinition", x.TaskDefinition == "") {
		x.TaskDefinition = defaultTaskDefinition
	}
	if unset(b+"appSpec", x.AppSpec == "") {
		x.AppSpec = defaultAppSpec
	}
	if unset(b+"imagePlaceholder", x.ImagePlaceholder == "") {
		x.ImagePlaceholder = defaultImagePlaceholder
	}
	if x.ExistingGroup != nil {
		return // the existing group's settings are its own
	}
	if unset(b+"deploymentConfig", x.DeploymentConfig == "") {
		x.DeploymentConfig = defaultECSDeploymentConfig
	}
	if x.TerminationWaitMinutes == nil {
		x.TerminationWaitMinutes = intPtr(defaultTerminationWaitMinutes)
	}
}

// validateECSBlueGreen checks the ECS blue/green deployment x as environment e receives it in
// region.
func validateECSBlueGreen(c *Config, q *problems, x *ECSBlueGreenDeploy, e Environment, region string) {
	const b = "deploy.ecsBlueGreen."
	if x.ExistingGroup != nil {
		validateExistingECSBlueGreen(c, q, x, e, region)
		return
	}
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
	actionRules(q, x)
	q.add(b+"deploymentConfig", x.DeploymentConfig, configNameRule(x.DeploymentConfig, deployconfigs.ECS()))
	q.add(b+"waitMinutes", strconv.Itoa(x.WaitMinutes), minutesRule(x.WaitMinutes, limits.Max(limits.CodeDeployWait)))
	if x.TerminationWaitMinutes != nil {
		q.add(b+"terminationWaitMinutes", strconv.Itoa(*x.TerminationWaitMinutes), minutesRule(*x.TerminationWaitMinutes, limits.Max(limits.CodeDeployWait)))
	}
	alarmsRule(q, b+"alarms", x.Alarms)
	taskRolesRule(c, q, b+"taskRoles", x.TaskRoles, e, region)
}

// actionRules checks the settings of the CodeDeployToECS action: the paths
// of taskdef.json and appspec.yaml in the build output and the image
// placeholder.
func actionRules(q *problems, x *ECSBlueGreenDeploy) {
	const b = "deploy.ecsBlueGreen."
	v, rule := pathValue(x.TaskDefinition, defaultTaskDefinition, "the build output")
	q.add(b+"taskDefinition", v, rule)
	v, rule = pathValue(x.AppSpec, defaultAppSpec, "the build output")
	q.add(b+"appSpec", v, rule)
	if !placeholderNameRE.MatchString(x.ImagePlaceholder) {
		q.add(b+"imagePlaceholder", x.ImagePlaceholder, "must be upper-case letters, digits and _, as written in taskdef.json, such as IMAGE1_NAME")
	}
}

// validateExistingECSBlueGreen checks an ECS blue/green deployment through
// an existing group: its names, the action's settings and the task roles,
// and that no setting of a Relay-created group is written.
func validateExistingECSBlueGreen(c *Config, q *problems, x *ECSBlueGreenDeploy, e Environment, region string) {
	const b = "deploy.ecsBlueGreen."
	existingGroupRules(q, b+"existingGroup", x.ExistingGroup)
	actionRules(q, x)
	taskRolesRule(c, q, b+"taskRoles", x.TaskRoles, e, region)
	twm := ""
	if x.TerminationWaitMinutes != nil {
		twm = strconv.Itoa(*x.TerminationWaitMinutes)
	}
	relayGroupOnly(q, b, []groupSetting{
		{"cluster", x.Cluster, x.Cluster != ""},
		{"service", x.Service, x.Service != ""},
		{"productionListener", x.ProductionListener, x.ProductionListener != ""},
		{"testListener", x.TestListener, x.TestListener != ""},
		{"targetGroups", strings.Join(x.TargetGroups, ","), len(x.TargetGroups) > 0},
		{"deploymentConfig", x.DeploymentConfig, x.DeploymentConfig != ""},
		{"waitMinutes", strconv.Itoa(x.WaitMinutes), x.WaitMinutes != 0},
		{"terminationWaitMinutes", twm, x.TerminationWaitMinutes != nil},
		{"alarms", strings.Join(x.Alarms, ","), len(x.Alarms) > 0},
	})
}
