package plan

import "github.com/relaycdk/relay/constructs/internal/defaults"

// ECSBlueGreenRelease is the CodeDeployToECS deploy action.
type ECSBlueGreenRelease struct {
	// Application and DeploymentGroup name the CodeDeploy ECS deployment
	// group in the deployment's account. Required.
	Application, DeploymentGroup string
	// TaskDefinition and AppSpec are paths in the build output. Default:
	// taskdef.json and appspec.yaml.
	TaskDefinition, AppSpec string
	// ImagePlaceholder is replaced in taskdef.json by the image of
	// imageDetail.json in the build output. Default: IMAGE1_NAME.
	ImagePlaceholder string
}

// CodeDeployRelease is the CodeDeploy (EC2/on-premises) deploy action; the
// build output is the revision.
type CodeDeployRelease struct {
	// Application and DeploymentGroup name the server deployment group.
	// Required.
	Application, DeploymentGroup string
}

// DeployECSBlueGreen is the CodeDeployToECS action.
type DeployECSBlueGreen struct{ Release *ECSBlueGreenRelease }

// DeployCodeDeploy is the CodeDeploy EC2/on-premises action.
type DeployCodeDeploy struct{ Release *CodeDeployRelease }

// Type implements Kind.
func (*DeployECSBlueGreen) Type() ActionType { return ActionType{"Deploy", "CodeDeployToECS"} }

// Type implements Kind.
func (*DeployCodeDeploy) Type() ActionType { return ActionType{"Deploy", "CodeDeploy"} }

func (*DeployECSBlueGreen) kind()                 {}
func (*DeployCodeDeploy) kind()                   {}
func (*ECSBlueGreenRelease) release()             {}
func (*CodeDeployRelease) release()               {}
func (*ECSBlueGreenRelease) usesDeployRole() bool { return true }
func (*CodeDeployRelease) usesDeployRole() bool   { return true }

func (x *ECSBlueGreenRelease) withDefaults() Release {
	c := *x
	def(&c.TaskDefinition, defaults.TaskDefinition)
	def(&c.AppSpec, defaults.AppSpec)
	def(&c.ImagePlaceholder, defaults.ImagePlaceholder)
	return &c
}

func (x *CodeDeployRelease) withDefaults() Release {
	c := *x
	return &c
}

func (x *ECSBlueGreenRelease) validate(v *validator, field string) {
	if !resourceRE.MatchString(x.Application) || !resourceRE.MatchString(x.DeploymentGroup) {
		v.addf(field, "%q/%q: Application and DeploymentGroup are required", x.Application, x.DeploymentGroup)
	}
	outputPath(v, field+".TaskDefinition", x.TaskDefinition, "taskdef.json")
	outputPath(v, field+".AppSpec", x.AppSpec, "appspec.yaml")
}

func (x *CodeDeployRelease) validate(v *validator, field string) {
	if !resourceRE.MatchString(x.Application) || !resourceRE.MatchString(x.DeploymentGroup) {
		v.addf(field, "%q/%q: Application and DeploymentGroup are required", x.Application, x.DeploymentGroup)
	}
}

func (x *ECSBlueGreenRelease) actions(c *releaseContext) []Action {
	f := c.f
	return []Action{c.deploy(&DeployECSBlueGreen{Release: x}, map[string]Field{
		"ApplicationName": f(".Application"), "DeploymentGroupName": f(".DeploymentGroup"),
		"TaskDefinitionTemplateArtifact": f(".TaskDefinition"), "TaskDefinitionTemplatePath": pathField(f(".TaskDefinition")),
		"AppSpecTemplateArtifact": f(".AppSpec"), "AppSpecTemplatePath": pathField(f(".AppSpec")),
		"Image1ArtifactName": f(".ImagePlaceholder"), "Image1ContainerName": f(".ImagePlaceholder"),
	})}
}

func (x *CodeDeployRelease) actions(c *releaseContext) []Action {
	f := c.f
	return []Action{c.deploy(&DeployCodeDeploy{Release: x}, map[string]Field{
		"ApplicationName": f(".Application"), "DeploymentGroupName": f(".DeploymentGroup"),
	})}
}
