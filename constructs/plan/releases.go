package plan

// Release is how a deployment releases the build output in each region: a
// *Stack (CloudFormation), *ECSRelease, *ECSBlueGreenRelease,
// *CodeDeployRelease, *S3Release or *EKSRelease (a sealed interface).
type Release interface{ release() }

// Stack is a CloudFormation stack from a template in the build output. In
// an Account it is deployed by change sets: Prepare (create the change
// set), an optional Review (a manual approval), Deploy (execute it), each
// as the account's deploy role with CloudFormation acting as its execution
// role. For StackSetAccounts and OrganizationalUnits it is the template of
// the StackSet <Name>-<deployment name>, which takes it as is (no
// parameters, template configuration or review).
type Stack struct {
	// Name is the stack's name: a letter, then letters, digits and
	// hyphens, at most 128 characters (limits.StackName). Required.
	Name string
	// TemplatePath is the template's path in the build output. Default:
	// template.json.
	TemplatePath string
	// Capabilities are CAPABILITY_IAM, CAPABILITY_NAMED_IAM and
	// CAPABILITY_AUTO_EXPAND. Default: none.
	Capabilities []string
	// ParameterOverrides set template parameters; values may use
	// #{namespace.name} variables. Together at most 1,000 characters of
	// JSON (limits.ActionConfiguration). Default: none.
	ParameterOverrides map[string]string
	// TemplateConfiguration is the path, in the build output, of a
	// template configuration file (parameters, tags, stack policy).
	// Default: none.
	TemplateConfiguration string
	// Review puts a manual approval between creating and executing the
	// change set, so that someone reads what will change first. Default:
	// false.
	Review bool
}

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

// S3Release is the S3 deploy action.
type S3Release struct {
	// Bucket is the bucket name, in the deployment's account. Required.
	Bucket string
	// Extract unzips the build output into the bucket.
	Extract bool
	// ObjectKey is the zip's key without Extract (required then), or the
	// key prefix with it.
	ObjectKey string
	// CacheControl are Cache-Control directives. Default: none.
	CacheControl []string
	// KMSKeyArn encrypts the objects. Default: the bucket's encryption.
	KMSKeyArn string
}

// EKSRelease releases to an EKS cluster: GitOps, Helm, or both (GitOps
// first). Both run as CodeBuild projects of the pipeline's account.
type EKSRelease struct {
	// GitOps commits a new value to a GitOps repository.
	GitOps *GitOpsRelease
	// Helm runs helm upgrade --install as the account's deploy role
	// (through an EKS access entry).
	Helm *HelmRelease
}

// GitOpsRelease sets Key in File of Repository to Value and pushes.
type GitOpsRelease struct {
	// Repository is an https clone URL. Required.
	Repository string
	// Branch is the branch to push to. Default: main.
	Branch string
	// File is the values file in the repository. Required.
	File string
	// Key is a yq path. Default: .image.tag.
	Key string
	// Value may use variables. Default: #{SourceVariables.CommitId}.
	Value string
	// TokenSecret is the ARN of a Secrets Manager secret with a push token.
	// Required.
	TokenSecret string
}

// HelmRelease is the direct Helm deploy step.
type HelmRelease struct {
	// Cluster is the EKS cluster, in the deployment's account and region.
	// Required.
	Cluster string
	// Release (a Helm release name) and Chart (a path in the build output)
	// are required.
	Release, Chart string
	// Namespace is the Kubernetes namespace. Default: default.
	Namespace string
	// ValuesFile is a values file in the build output. Default: none.
	ValuesFile string
	// Set are --set overrides whose values may use variables.
	Set map[string]string
}

func (*Stack) release()               {}
func (*ECSRelease) release()          {}
func (*ECSBlueGreenRelease) release() {}
func (*CodeDeployRelease) release()   {}
func (*S3Release) release()           {}
func (*EKSRelease) release()          {}
