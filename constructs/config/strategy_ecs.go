package config

import (
	"regexp"
	"strconv"

	"github.com/relaycdk/relay/constructs/internal/defaults"
)

// ECSDeploy is an Amazon ECS rolling update: the service's containers take
// the images named in imagedefinitions.json from the build output.
type ECSDeploy struct {
	// Cluster is the ECS cluster name. Required.
	Cluster string `yaml:"cluster" json:"cluster"`
	// Service is the ECS service name. Required.
	Service string `yaml:"service" json:"service"`
	// ImageDefinitions is the path of imagedefinitions.json in the build
	// output, at most 1,000 characters (the action's FileName, one action
	// configuration value). Default: imagedefinitions.json.
	ImageDefinitions string `yaml:"imageDefinitions,omitempty" json:"imageDefinitions,omitempty"`
	// TimeoutMinutes bounds the rollout, 1 to 60. Default: 60.
	TimeoutMinutes int `yaml:"timeoutMinutes,omitempty" json:"timeoutMinutes,omitempty"`
	// TaskRoles are the ARNs of the task and task execution roles of the
	// service's task definition: the only roles the deploy role may pass to
	// ECS when the action registers a new revision. Required.
	TaskRoles []string `yaml:"taskRoles" json:"taskRoles"`
}

// Defaults of the ECS rolling update.
const (
	defaultImageDefinitions  = defaults.ImageDefinitions
	defaultECSTimeoutMinutes = defaults.ECSTimeoutMinutes
)

// ecsNameRE is the shape of an ECS cluster or service name.
var ecsNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

// applyDefaults sets x's defaults; unset is as in applyDefaults.
func (x *ECSDeploy) applyDefaults(unset unsetFunc) {
	if unset("deploy.ecs.imageDefinitions", x.ImageDefinitions == "") {
		x.ImageDefinitions = defaultImageDefinitions
	}
	if unset("deploy.ecs.timeoutMinutes", x.TimeoutMinutes == 0) {
		x.TimeoutMinutes = defaultECSTimeoutMinutes
	}
}

// validateECS checks the ECS rolling update x as environment e receives it in
// region.
func validateECS(c *Config, q *problems, x *ECSDeploy, e Environment, region string) {
	const b = "deploy.ecs."
	for _, f := range [][2]string{{"cluster", x.Cluster}, {"service", x.Service}} {
		if !ecsNameRE.MatchString(f[1]) {
			q.add(b+f[0], f[1], "required: the ECS "+f[0]+" name, 1 to 255 letters, digits, _ and -")
		}
	}
	v, rule := pathValue(x.ImageDefinitions, defaultImageDefinitions, "the build output")
	q.add(b+"imageDefinitions", v, rule)
	if x.TimeoutMinutes < 1 || x.TimeoutMinutes > 60 {
		q.add(b+"timeoutMinutes", strconv.Itoa(x.TimeoutMinutes), "must be from 1 to 60 minutes (the ECS action's limit); the default is 60")
	}
	taskRolesRule(c, q, b+"taskRoles", x.TaskRoles, e, region)
}
