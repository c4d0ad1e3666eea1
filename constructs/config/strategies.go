package config

// Release strategies: how an environment receives the workload when it is not
// (only) a CloudFormation stack, and the invoke hooks that run around the
// deployment. At most one strategy block is set in deploy; without one, the
// workload is the CloudFormation stack of deploy.stackName.

// ECSDeploy is an Amazon ECS rolling update: the service's containers take
// the images named in imagedefinitions.json from the build output.
type ECSDeploy struct {
	// Cluster is the ECS cluster name. Required.
	Cluster string `yaml:"cluster" json:"cluster"`
	// Service is the ECS service name. Required.
	Service string `yaml:"service" json:"service"`
	// ImageDefinitions is the path of imagedefinitions.json in the build
	// output. Default: imagedefinitions.json.
	ImageDefinitions string `yaml:"imageDefinitions,omitempty" json:"imageDefinitions,omitempty"`
	// TimeoutMinutes bounds the rollout, 1 to 60. Default: 60.
	TimeoutMinutes int `yaml:"timeoutMinutes,omitempty" json:"timeoutMinutes,omitempty"`
	// TaskRoles are the ARNs of the task and task execution roles of the
	// service's task definition: the only roles the deploy role may pass to
	// ECS when the action registers a new revision. Required.
	TaskRoles []string `yaml:"taskRoles" json:"taskRoles"`
}

// ECSBlueGreenDeploy is an Amazon ECS blue/green deployment through
// CodeDeploy. Relay creates the CodeDeploy application and deployment group
// in the environment's stack; the service (with the CODE_DEPLOY deployment
// controller), its listeners and target groups must exist first.
type ECSBlueGreenDeploy struct {
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
	// TaskDefinition is the path of taskdef.json in the build output.
	// Default: taskdef.json.
	TaskDefinition string `yaml:"taskDefinition,omitempty" json:"taskDefinition,omitempty"`
	// AppSpec is the path of appspec.yaml in the build output.
	// Default: appspec.yaml.
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

// CodeDeployDeploy is an EC2/on-premises deployment through CodeDeploy:
// the build output is the revision (with appspec.yml at its root). Relay
// creates the application and deployment group in the environment's stack.
type CodeDeployDeploy struct {
	// InstanceTags select EC2 instances: tag key to values, any value
	// matches.
	InstanceTags map[string][]string `yaml:"instanceTags,omitempty" json:"instanceTags,omitempty"`
	// OnPremisesTags select registered on-premises instances the same way.
	OnPremisesTags map[string][]string `yaml:"onPremisesTags,omitempty" json:"onPremisesTags,omitempty"`
	// AutoScalingGroups are Auto Scaling group names. At least one of
	// instanceTags, onPremisesTags and autoScalingGroups is required;
	// blue-green needs autoScalingGroups.
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

// MinimumHealthyHosts is a custom CodeDeploy rolling configuration.
type MinimumHealthyHosts struct {
	// Type is HOST_COUNT or FLEET_PERCENT. Required.
	Type string `yaml:"type" json:"type"`
	// Value is the count (at least 0) or percentage (0 to 99). Required.
	Value int `yaml:"value" json:"value"`
}

// S3Deploy copies the build output into a bucket of the environment's
// account, such as a static website.
type S3Deploy struct {
	// Bucket is the bucket name; use ${account} or ${env} to make it
	// unique per environment. Required.
	Bucket string `yaml:"bucket" json:"bucket"`
	// Extract unzips the build output into the bucket (under ObjectKey as a
	// prefix, if set). Default: true.
	Extract *bool `yaml:"extract,omitempty" json:"extract,omitempty"`
	// ObjectKey is the key of the zip when Extract is false (required
	// then), or the key prefix when it is true. Default: none.
	ObjectKey string `yaml:"objectKey,omitempty" json:"objectKey,omitempty"`
	// CacheControl are Cache-Control directives for every object, such as
	// [public, max-age=300]. Default: none.
	CacheControl []string `yaml:"cacheControl,omitempty" json:"cacheControl,omitempty"`
	// KMSKey is the ARN of a KMS key in the environment's account that
	// encrypts the objects. Default: the bucket's default encryption.
	KMSKey string `yaml:"kmsKey,omitempty" json:"kmsKey,omitempty"`
}

// EKSDeploy releases to Amazon EKS: by GitOps (a commit to the repository
// Argo CD or Flux syncs), by Helm, or both (GitOps first).
type EKSDeploy struct {
	// Cluster is the EKS cluster name. Required with helm.
	Cluster string `yaml:"cluster,omitempty" json:"cluster,omitempty"`
	// GitOps updates a value in a GitOps repository.
	GitOps *GitOps `yaml:"gitops,omitempty" json:"gitops,omitempty"`
	// Helm runs helm upgrade --install against the cluster, as the
	// environment's deploy role through an EKS access entry.
	Helm *Helm `yaml:"helm,omitempty" json:"helm,omitempty"`
}

// GitOps is the GitOps step: a CodeBuild project in the tooling account
// clones Repository, sets Key in File to Value and pushes the commit.
type GitOps struct {
	// Repository is the https clone URL of the GitOps repository. Required.
	Repository string `yaml:"repository" json:"repository"`
	// Branch is the branch to commit to. Default: main.
	Branch string `yaml:"branch,omitempty" json:"branch,omitempty"`
	// File is the path of the values file in that repository, such as
	// envs/${env}/values.yaml. Required.
	File string `yaml:"file" json:"file"`
	// Key is the yq path of the value to set. Default: .image.tag.
	Key string `yaml:"key,omitempty" json:"key,omitempty"`
	// Value is what Key is set to; it may use variables.
	// Default: #{SourceVariables.CommitId}.
	Value string `yaml:"value,omitempty" json:"value,omitempty"`
	// TokenSecret is the ARN of a Secrets Manager secret (tooling account)
	// holding a token that may push to Repository. Required.
	TokenSecret string `yaml:"tokenSecret" json:"tokenSecret"`
}

// Helm is the direct Helm deploy step.
type Helm struct {
	// Release is the Helm release name. Required.
	Release string `yaml:"release" json:"release"`
	// Chart is the chart's path in the build output. Required.
	Chart string `yaml:"chart" json:"chart"`
	// Namespace is the Kubernetes namespace; the access entry grants edit
	// rights there only. Default: default.
	Namespace string `yaml:"namespace,omitempty" json:"namespace,omitempty"`
	// ValuesFile is a values file in the build output, such as
	// values/${env}.yaml. Default: none.
	ValuesFile string `yaml:"valuesFile,omitempty" json:"valuesFile,omitempty"`
	// Set are --set overrides; values may use variables. Default: none.
	Set map[string]string `yaml:"set,omitempty" json:"set,omitempty"`
}

// Hook is an invoke action that runs in each region of every account
// environment, before or after the deployment.
type Hook struct {
	// Name is [a-z][a-z0-9-]{1,30}, unique.
	Name string `yaml:"name" json:"name"`
	// When is before or after. Default: after.
	When string `yaml:"when,omitempty" json:"when,omitempty"`
	// Lambda invokes a function. Exactly one of Lambda and StepFunctions.
	Lambda *LambdaHook `yaml:"lambda,omitempty" json:"lambda,omitempty"`
	// StepFunctions starts a state machine execution.
	StepFunctions *StepFunctionsHook `yaml:"stepFunctions,omitempty" json:"stepFunctions,omitempty"`
}

// LambdaHook invokes a function of the environment's account; the function
// reports back with PutJobSuccessResult or PutJobFailureResult, calling
// CodePipeline as the role <name>-job-results of the tooling account.
type LambdaHook struct {
	// Function is the function name, without a qualifier: CodePipeline
	// invokes its $LATEST version. Required.
	Function string `yaml:"function" json:"function"`
	// UserParameters is the string the function receives; it may use
	// variables. At most 1000 characters. Default: none.
	UserParameters string `yaml:"userParameters,omitempty" json:"userParameters,omitempty"`
}

// StepFunctionsHook starts a Step Functions execution in the environment's
// account and waits for it; a failed execution fails the stage.
type StepFunctionsHook struct {
	// StateMachine is the state machine name. Required.
	StateMachine string `yaml:"stateMachine" json:"stateMachine"`
	// Input is the execution input, as a map of strings that may use
	// variables. Default: {}.
	Input map[string]string `yaml:"input,omitempty" json:"input,omitempty"`
	// InputFile is instead the path of a JSON file in the build output.
	InputFile string `yaml:"inputFile,omitempty" json:"inputFile,omitempty"`
	// ExecutionNamePrefix prefixes execution names. Default: the hook name.
	ExecutionNamePrefix string `yaml:"executionNamePrefix,omitempty" json:"executionNamePrefix,omitempty"`
}

// Strategy names the release strategy of d: cloudformation, ecs,
// ecs-blue-green, codedeploy, s3 or eks.
func (d *Deploy) Strategy() string {
	switch {
	case d.ECS != nil:
		return "ecs"
	case d.ECSBlueGreen != nil:
		return "ecs-blue-green"
	case d.CodeDeploy != nil:
		return "codedeploy"
	case d.S3 != nil:
		return "s3"
	case d.EKS != nil:
		return "eks"
	}
	return "cloudformation"
}

// strategyBlocks are the keys of the strategy blocks, in field order.
var strategyBlocks = []string{"ecs", "ecsBlueGreen", "codeDeploy", "s3", "eks"}

// setBlocks are the strategy keys d sets.
func (d *Deploy) setBlocks() []string {
	var out []string
	for i, set := range []bool{d.ECS != nil, d.ECSBlueGreen != nil, d.CodeDeploy != nil, d.S3 != nil, d.EKS != nil} {
		if set {
			out = append(out, strategyBlocks[i])
		}
	}
	return out
}

// IsStack reports whether the workload is a CloudFormation stack (or
// StackSet): the strategy is cloudformation.
func (d *Deploy) IsStack() bool { return d.Strategy() == "cloudformation" }
