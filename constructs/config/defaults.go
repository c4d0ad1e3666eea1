package config

import "fmt"

// Defaults of the fields that may be left out, as documented on the types.
const (
	defaultBranch                  = "main"
	defaultBuildspec               = "buildspec.yml"
	defaultTimeoutMinutes          = 30
	defaultComputeType             = "BUILD_GENERAL1_SMALL"
	defaultImage                   = "aws/codebuild/standard:7.0"
	defaultLogRetentionDays        = 365
	defaultStackSetsCallAs         = "DELEGATED_ADMIN"
	defaultMaxConcurrentPercentage = 25
	defaultExecutionMode           = "SUPERSEDED"
	defaultApprovalTimeoutMinutes  = 10080
	defaultTemplatePath            = "template.json"
	stackNameSuffix                = "-app" // default stack name: <name>-app
	approvalCommentPrefix          = "Approve deployment to "
)

// ApplyDefaults sets every field left at its zero value to its documented
// default: source.github.branch, every build field, deploy.stackName
// (<name>-app, left empty while name is empty), deploy.templatePath and the
// comment of every approval. Parse calls it; callers that build a Config in
// code call it before Validate.
func (c *Config) ApplyDefaults() {
	c.applyDefaults(func(string) bool { return false })
}

// applyDefaults is ApplyDefaults, except that it leaves alone the fields for
// which written(path) is true: a key written with an empty or zero value in
// the file is a mistake for Validate to report, not a request for the
// default.
func (c *Config) applyDefaults(written func(path string) bool) {
	unset := func(path string, zero bool) bool { return zero && !written(path) }

	sourceDefaults := func(base string, src *Source) {
		for _, g := range []struct {
			name string
			src  *GitHubSource
		}{{"github", src.GitHub}, {"gitlab", src.GitLab}, {"bitbucket", src.Bitbucket}} {
			if g.src != nil && unset(base+"."+g.name+".branch", g.src.Branch == "") {
				g.src.Branch = defaultBranch
			}
		}
		if r := src.CodeCommit; r != nil && unset(base+".codecommit.branch", r.Branch == "") {
			r.Branch = defaultBranch
		}
		if r := src.ECR; r != nil && unset(base+".ecr.tag", r.Tag == "") {
			r.Tag = "latest"
		}
	}
	sourceDefaults("source", &c.Source)
	for i := range c.ExtraSources {
		sourceDefaults(fmt.Sprintf("extraSources[%d]", i), &c.ExtraSources[i].Source)
	}

	b := &c.Build
	if unset("build.buildspec", b.Buildspec == "") {
		b.Buildspec = defaultBuildspec
	}
	if unset("build.timeoutMinutes", b.TimeoutMinutes == 0) {
		b.TimeoutMinutes = defaultTimeoutMinutes
	}
	if unset("build.computeType", b.ComputeType == "") {
		b.ComputeType = defaultComputeType
	}
	if unset("build.image", b.Image == "") {
		b.Image = defaultImage
	}
	if unset("build.logRetentionDays", b.LogRetentionDays == 0) {
		b.LogRetentionDays = defaultLogRetentionDays
	}
	if unset("build.cache", b.Cache == "") {
		b.Cache = "none"
	}

	d := &c.Deploy
	if c.Name != "" && unset("deploy.stackName", d.StackName == "") {
		d.StackName = c.Name + stackNameSuffix
	}
	if unset("deploy.templatePath", d.TemplatePath == "") {
		d.TemplatePath = defaultTemplatePath
	}
	c.applyStrategyDefaults(unset)
	c.applyObservabilityDefaults(unset)

	if unset("pipeline.executionMode", c.Pipeline.ExecutionMode == "") {
		c.Pipeline.ExecutionMode = defaultExecutionMode
	}
	defaultSuites := func(base string, suites []Suite) {
		for i := range suites {
			st := &suites[i]
			path := fmt.Sprintf("%s[%d]", base, i)
			if unset(path+".input", st.Input == "") {
				st.Input = "source"
			}
			if unset(path+".runOrder", st.RunOrder == 0) {
				st.RunOrder = 1
			}
			if r := st.Reports; r != nil && unset(path+".reports.format", r.Format == "") {
				r.Format = "JUNITXML"
			}
		}
	}
	defaultSuites("tests", c.Tests)
	if sc := c.SecurityScan; sc != nil {
		if unset("securityScan.failOn", sc.FailOn == "") {
			sc.FailOn = "HIGH"
		}
		defaultSuites("securityScan.scanners", sc.Scanners)
	}
	if o := c.Organization; o != nil && unset("organization.stackSetsCallAs", o.StackSetsCallAs == "") {
		o.StackSetsCallAs = defaultStackSetsCallAs
	}

	for i := range c.Environments {
		e := &c.Environments[i]
		if e.Approval != nil && unset(envPath(i, "approval.comment"), e.Approval.Comment == "") {
			e.Approval.Comment = approvalCommentPrefix + e.Name
		}
		if e.Approval != nil && unset(envPath(i, "approval.timeoutMinutes"), e.Approval.TimeoutMinutes == 0) {
			e.Approval.TimeoutMinutes = defaultApprovalTimeoutMinutes
		}
		if ec := e.EntryConditions; ec != nil && ec.DeploymentWindow != nil && unset(envPath(i, "entryConditions.deploymentWindow.timeZone"), ec.DeploymentWindow.TimeZone == "") {
			ec.DeploymentWindow.TimeZone = "UTC"
		}
		if len(e.OrganizationalUnits) > 0 && e.Rollout == nil {
			e.Rollout = &Rollout{}
		}
		if r := e.Rollout; r != nil && unset(envPath(i, "rollout.maxConcurrentPercentage"), r.MaxConcurrentPercentage == 0) {
			r.MaxConcurrentPercentage = defaultMaxConcurrentPercentage
		}
	}
}

// Defaults of the release strategies and hooks.
const (
	defaultImageDefinitions       = "imagedefinitions.json"
	defaultECSTimeoutMinutes      = 60
	defaultTaskDefinition         = "taskdef.json"
	defaultAppSpec                = "appspec.yaml"
	defaultImagePlaceholder       = "IMAGE1_NAME"
	defaultECSDeploymentConfig    = "ECSAllAtOnce"
	defaultServerDeploymentConfig = "OneAtATime"
	defaultTerminationWaitMinutes = 5
	defaultGitOpsKey              = ".image.tag"
	defaultGitOpsValue            = "#{SourceVariables.CommitId}"
	defaultHelmNamespace          = "default"
)

// applyStrategyDefaults sets the defaults of deploy's strategy blocks and
// hooks; unset is as in applyDefaults.
func (c *Config) applyStrategyDefaults(unset func(path string, zero bool) bool) {
	d := &c.Deploy
	if x := d.ECS; x != nil {
		if unset("deploy.ecs.imageDefinitions", x.ImageDefinitions == "") {
			x.ImageDefinitions = defaultImageDefinitions
		}
		if unset("deploy.ecs.timeoutMinutes", x.TimeoutMinutes == 0) {
			x.TimeoutMinutes = defaultECSTimeoutMinutes
		}
	}
	if x := d.ECSBlueGreen; x != nil {
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
		if unset(b+"deploymentConfig", x.DeploymentConfig == "") {
			x.DeploymentConfig = defaultECSDeploymentConfig
		}
		if x.TerminationWaitMinutes == nil {
			x.TerminationWaitMinutes = intPtr(defaultTerminationWaitMinutes)
		}
	}
	if x := d.CodeDeploy; x != nil {
		if unset("deploy.codeDeploy.style", x.Style == "") {
			x.Style = "in-place"
		}
		if unset("deploy.codeDeploy.deploymentConfig", x.DeploymentConfig == "") && x.MinimumHealthyHosts == nil {
			x.DeploymentConfig = defaultServerDeploymentConfig
		}
		if x.TerminationWaitMinutes == nil && x.Style == "blue-green" {
			x.TerminationWaitMinutes = intPtr(defaultTerminationWaitMinutes)
		}
	}
	if x := d.S3; x != nil && x.Extract == nil {
		t := true
		x.Extract = &t
	}
	if x := d.EKS; x != nil {
		if g := x.GitOps; g != nil {
			if unset("deploy.eks.gitops.branch", g.Branch == "") {
				g.Branch = defaultBranch
			}
			if unset("deploy.eks.gitops.key", g.Key == "") {
				g.Key = defaultGitOpsKey
			}
			if unset("deploy.eks.gitops.value", g.Value == "") {
				g.Value = defaultGitOpsValue
			}
		}
		if h := x.Helm; h != nil && unset("deploy.eks.helm.namespace", h.Namespace == "") {
			h.Namespace = defaultHelmNamespace
		}
	}
	for i := range d.Hooks {
		h := &d.Hooks[i]
		path := fmt.Sprintf("deploy.hooks[%d]", i)
		if unset(path+".when", h.When == "") {
			h.When = "after"
		}
		if s := h.StepFunctions; s != nil && unset(path+".stepFunctions.executionNamePrefix", s.ExecutionNamePrefix == "") {
			s.ExecutionNamePrefix = h.Name
		}
	}
}

func intPtr(n int) *int { return &n }
