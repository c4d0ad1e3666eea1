package plan

import "github.com/relaycdk/relay/constructs/internal/defaults"

// ECSRelease is the ECS (rolling update) deploy action.
type ECSRelease struct {
	// Cluster and Service name the service. Required.
	Cluster, Service string
	// ImageFile is imagedefinitions.json's path in the build output.
	// Default: imagedefinitions.json.
	ImageFile string
	// TimeoutMinutes bounds the rollout, 1 to 60. Default: 60.
	TimeoutMinutes int
}

// DeployECS is the ECS rolling update.
type DeployECS struct{ Release *ECSRelease }

// Type implements Kind.
func (*DeployECS) Type() ActionType { return ActionType{"Deploy", "ECS"} }

func (*DeployECS) kind()                 {}
func (*ECSRelease) release()             {}
func (*ECSRelease) usesDeployRole() bool { return true }

func (x *ECSRelease) withDefaults() Release {
	c := *x
	def(&c.ImageFile, defaults.ImageDefinitions)
	defInt(&c.TimeoutMinutes, defaults.ECSTimeoutMinutes)
	return &c
}

func (x *ECSRelease) validate(v *validator, field string) {
	if !resourceRE.MatchString(x.Cluster) || !resourceRE.MatchString(x.Service) {
		v.addf(field, "%q/%q: Cluster and Service are required ECS names", x.Cluster, x.Service)
	}
	if x.TimeoutMinutes < 1 || x.TimeoutMinutes > 60 {
		v.addf(field+".TimeoutMinutes", "%d: must be 1 to 60", x.TimeoutMinutes)
	}
	outputPath(v, field+".ImageFile", x.ImageFile, "imagedefinitions.json")
}

func (x *ECSRelease) actions(c *releaseContext) []Action {
	f := c.f
	return []Action{c.deploy(&DeployECS{Release: x}, map[string]Field{
		"ClusterName": f(".Cluster"), "ServiceName": f(".Service"), "FileName": pathField(f(".ImageFile")), "DeploymentTimeout": f(".TimeoutMinutes"),
	})}
}
