package pipeline

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodedeploy"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipeline"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipelineactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/naming"
)

// Release replaces a deployment's CloudFormation actions with another way
// of releasing the workload. Set exactly one field, or GitOps and Helm
// together (GitOps runs first). Every action except GitOps runs as the
// deployment's DeployRoleArn.
type Release struct {
	// ECS is a rolling update of an ECS service from imagedefinitions.json.
	ECS *ECSRelease
	// ECSBlueGreen is an ECS blue/green deployment through CodeDeploy.
	ECSBlueGreen *ECSBlueGreenRelease
	// CodeDeploy is an EC2/on-premises deployment through CodeDeploy.
	CodeDeploy *CodeDeployRelease
	// S3 copies the build output into a bucket.
	S3 *S3Release
	// GitOps commits a new value to a GitOps repository from a CodeBuild
	// project in the pipeline's account.
	GitOps *GitOpsRelease
	// Helm runs helm upgrade --install from a CodeBuild project in the
	// pipeline's account, as the deploy role (through an EKS access entry).
	Helm *HelmRelease
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
	// TaskDefinition and AppSpec are paths in the build output.
	// Default: taskdef.json and appspec.yaml.
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
	Cluster string
	// Release, Chart (a path in the build output) and Namespace.
	Release, Chart, Namespace string
	// ValuesFile is a values file in the build output. Default: none.
	ValuesFile string
	// Set are --set overrides whose values may use variables.
	Set map[string]string
}

// Hook is an invoke action in a deployment's account and region.
type Hook struct {
	// Name is unique within the deployment. Required.
	Name string
	// Before runs the hook before the deployment; default after.
	Before bool
	// Lambda invokes a function; exactly one of Lambda and StepFunctions.
	Lambda *LambdaHook
	// StepFunctions starts a state machine execution.
	StepFunctions *StepFunctionsHook
}

// LambdaHook is the Lambda invoke action: the function reports with
// PutJobSuccessResult (with output variables) or PutJobFailureResult.
type LambdaHook struct {
	// Function is a function name, without a qualifier: CodePipeline
	// invokes its $LATEST version. Required.
	Function string
	// UserParameters is passed to the function. Default: none.
	UserParameters string
}

// StepFunctionsHook is the Step Functions invoke action.
type StepFunctionsHook struct {
	// StateMachine is the state machine name. Required.
	StateMachine string
	// Input is the literal execution input. Default: {}.
	Input map[string]string
	// InputFile is instead a JSON file in the build output.
	InputFile string
	// ExecutionNamePrefix prefixes execution names. Default: the hook name.
	ExecutionNamePrefix string
}

// Regional overrides a deployment's Release and Hooks in one region, for
// values that differ between regions.
type Regional struct {
	Release *Release
	Hooks   []Hook
}

// releaseIn is d's release in region r, or nil for CloudFormation.
func (d Deployment) releaseIn(r string) *Release {
	if x, ok := d.Regional[r]; ok && x.Release != nil {
		return x.Release
	}
	return d.Release
}

// hooksIn are d's hooks in region r.
func (d Deployment) hooksIn(r string) []Hook {
	if x, ok := d.Regional[r]; ok && x.Hooks != nil {
		return x.Hooks
	}
	return d.Hooks
}

// deploysStack reports whether d deploys a CloudFormation stack (a change
// set) in every region: it has no Release anywhere.
func (d Deployment) deploysStack() bool {
	for _, r := range d.Regions {
		if d.releaseIn(r) != nil {
			return false
		}
	}
	return d.Release == nil
}

// deployRoles are the deploy roles the pipeline (and the Helm step)
// assumes: DeployRolePatterns, or each deployment's DeployRoleArn.
func deployRoles(p Props) []string {
	if len(p.DeployRolePatterns) > 0 {
		return p.DeployRolePatterns
	}
	var out []string
	for _, d := range p.Deployments {
		out = append(out, d.DeployRoleArn)
	}
	return out
}

// steps are the kinds of the main deploy actions of r, in order.
func (r *Release) steps() []ActionKind {
	switch {
	case r == nil:
		return []ActionKind{Prepare, Execute}
	case r.GitOps != nil && r.Helm != nil:
		return []ActionKind{GitOpsUpdate, HelmDeploy}
	case r.GitOps != nil:
		return []ActionKind{GitOpsUpdate}
	case r.Helm != nil:
		return []ActionKind{HelmDeploy}
	}
	return []ActionKind{Deploy}
}

var (
	hookNameRE  = regexp.MustCompile(`^[a-z][a-z0-9-]{1,30}$`)
	resourceRE  = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,255}$`)
	functionRE  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	clusterRE   = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)
	helmNameRE  = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$`)
	kmsKeyARNRE = regexp.MustCompile(`^arn:[^:]+:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$`)
)

// validateRelease reports the problems of deployment i's release and hooks.
func validateRelease(i int, d Deployment) []error {
	var errs []error
	add := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("Deployments[%d].%s", i, fmt.Sprintf(format, a...)))
	}
	check := func(where string, r *Release, hooks []Hook) {
		if r != nil {
			if d.Account == "" {
				add("%sRelease: needs Account; StackSet deployments deploy stacks only", where)
			}
			n := 0
			for _, set := range []bool{r.ECS != nil, r.ECSBlueGreen != nil, r.CodeDeploy != nil, r.S3 != nil, r.GitOps != nil || r.Helm != nil} {
				if set {
					n++
				}
			}
			if n != 1 {
				add("%sRelease: set exactly one of ECS, ECSBlueGreen, CodeDeploy, S3, or GitOps and/or Helm", where)
			}
			if x := r.ECS; x != nil {
				if !resourceRE.MatchString(x.Cluster) || !resourceRE.MatchString(x.Service) {
					add("%sRelease.ECS %q/%q: Cluster and Service are required ECS names", where, x.Cluster, x.Service)
				}
				if x.TimeoutMinutes < 0 || x.TimeoutMinutes > 60 {
					add("%sRelease.ECS.TimeoutMinutes %d: must be 1 to 60", where, x.TimeoutMinutes)
				}
			}
			if x := r.ECSBlueGreen; x != nil && (!resourceRE.MatchString(x.Application) || !resourceRE.MatchString(x.DeploymentGroup)) {
				add("%sRelease.ECSBlueGreen %q/%q: Application and DeploymentGroup are required", where, x.Application, x.DeploymentGroup)
			}
			if x := r.CodeDeploy; x != nil && (!resourceRE.MatchString(x.Application) || !resourceRE.MatchString(x.DeploymentGroup)) {
				add("%sRelease.CodeDeploy %q/%q: Application and DeploymentGroup are required", where, x.Application, x.DeploymentGroup)
			}
			if x := r.S3; x != nil {
				if x.Bucket == "" {
					add("%sRelease.S3.Bucket \"\": required", where)
				}
				if !x.Extract && x.ObjectKey == "" {
					add("%sRelease.S3.ObjectKey \"\": required when Extract is false", where)
				}
				if x.KMSKeyArn != "" && !kmsKeyARNRE.MatchString(x.KMSKeyArn) {
					add("%sRelease.S3.KMSKeyArn %q: must be a KMS key ARN", where, x.KMSKeyArn)
				}
			}
			if x := r.GitOps; x != nil && (x.Repository == "" || x.File == "" || x.TokenSecret == "") {
				add("%sRelease.GitOps: Repository, File and TokenSecret are required", where)
			}
			if x := r.Helm; x != nil {
				if !clusterRE.MatchString(x.Cluster) {
					add("%sRelease.Helm.Cluster %q: must be an EKS cluster name", where, x.Cluster)
				}
				if !helmNameRE.MatchString(x.Release) || x.Chart == "" {
					add("%sRelease.Helm %q: Release (a Helm release name) and Chart are required", where, x.Release)
				}
			}
		}
		names := map[string]bool{}
		for k, h := range hooks {
			if d.Account == "" {
				add("%sHooks[%d]: needs Account; StackSet deployments take no hooks", where, k)
			}
			if !hookNameRE.MatchString(h.Name) || names[h.Name] {
				add("%sHooks[%d].Name %q: must be unique, 2 to 31 of a-z, 0-9 and -", where, k, h.Name)
			}
			names[h.Name] = true
			switch {
			case (h.Lambda == nil) == (h.StepFunctions == nil):
				add("%sHooks[%d]: set exactly one of Lambda and StepFunctions", where, k)
			case h.Lambda != nil && !functionRE.MatchString(h.Lambda.Function):
				add("%sHooks[%d].Lambda.Function %q: must be a function name without a qualifier (the action invokes $LATEST)", where, k, h.Lambda.Function)
			case h.StepFunctions != nil && !resourceRE.MatchString(h.StepFunctions.StateMachine):
				add("%sHooks[%d].StepFunctions.StateMachine %q: must be a state machine name", where, k, h.StepFunctions.StateMachine)
			case h.StepFunctions != nil && len(h.StepFunctions.Input) > 0 && h.StepFunctions.InputFile != "":
				add("%sHooks[%d].StepFunctions: set Input or InputFile, not both", where, k)
			}
		}
		if len(hooks) > 0 && d.Account != "" && !strings.Contains(d.InvokeRoleArn, ":iam::"+d.Account+":role/") {
			add("InvokeRoleArn %q: hooks need a role ARN in account %s", d.InvokeRoleArn, d.Account)
		}
	}
	check("", d.Release, d.Hooks)
	for _, r := range slices.Sorted(maps.Keys(d.Regional)) {
		if !slices.Contains(d.Regions, r) {
			add("Regional[%q]: not one of Regions", r)
		}
		check(fmt.Sprintf("Regional[%q].", r), d.Regional[r].Release, d.Regional[r].Hooks)
	}
	return errs
}

// releaseAction is the action of kind Deploy, GitOpsUpdate or HelmDeploy
// for deployment d in region a.Region.
func (pl *Pipeline) releaseAction(p Props, a Action, d Deployment, built awscodepipeline.Artifact) awscodepipeline.IAction {
	r := d.releaseIn(a.Region)
	id := d.Name + "-" + a.Region
	role := pl.importRole("DeployRole-"+d.Name, d.DeployRoleArn)
	arn := func(service, resource string) string {
		return fmt.Sprintf("arn:%s:%s:%s:%s:%s", p.Partition, service, a.Region, d.Account, resource)
	}
	order := jsii.Number(float64(a.RunOrder))
	switch {
	case a.Kind == GitOpsUpdate:
		g := r.GitOps
		return awscodepipelineactions.NewCodeBuildAction(&awscodepipelineactions.CodeBuildActionProps{
			ActionName: jsii.String(a.Name),
			RunOrder:   order,
			Project:    pl.gitOpsProject(p),
			Input:      built,
			EnvironmentVariables: &map[string]*awscodebuild.BuildEnvironmentVariable{
				"GITOPS_REPOSITORY": {Value: jsii.String(g.Repository)},
				"GITOPS_BRANCH":     {Value: jsii.String(cmp.Or(g.Branch, "main"))},
				"GITOPS_FILE":       {Value: jsii.String(g.File)},
				"GITOPS_KEY":        {Value: jsii.String(cmp.Or(g.Key, ".image.tag"))},
				"GITOPS_VALUE":      {Value: jsii.String(cmp.Or(g.Value, "#{"+SourceVariables+".CommitId}"))},
				"GITOPS_TOKEN":      {Type: awscodebuild.BuildEnvironmentVariableType_SECRETS_MANAGER, Value: jsii.String(g.TokenSecret)},
			},
		})
	case a.Kind == HelmDeploy:
		h := r.Helm
		var set []string
		for _, k := range slices.Sorted(maps.Keys(h.Set)) {
			set = append(set, k+"="+h.Set[k])
		}
		return awscodepipelineactions.NewCodeBuildAction(&awscodepipelineactions.CodeBuildActionProps{
			ActionName: jsii.String(a.Name),
			RunOrder:   order,
			Project:    pl.helmProject(p),
			Input:      built,
			EnvironmentVariables: &map[string]*awscodebuild.BuildEnvironmentVariable{
				"EKS_CLUSTER":     {Value: jsii.String(h.Cluster)},
				"EKS_REGION":      {Value: jsii.String(a.Region)},
				"DEPLOY_ROLE_ARN": {Value: jsii.String(d.DeployRoleArn)},
				"HELM_RELEASE":    {Value: jsii.String(h.Release)},
				"HELM_CHART":      {Value: jsii.String(h.Chart)},
				"HELM_NAMESPACE":  {Value: jsii.String(cmp.Or(h.Namespace, "default"))},
				"HELM_VALUES":     {Value: jsii.String(h.ValuesFile)},
				"HELM_SET":        {Value: jsii.String(strings.Join(set, ","))},
			},
		})
	case r.ECS != nil:
		x := r.ECS
		return awscodepipelineactions.NewEcsDeployAction(&awscodepipelineactions.EcsDeployActionProps{
			ActionName:        jsii.String(a.Name),
			RunOrder:          order,
			Role:              role,
			Service:           awsecs.BaseService_FromServiceArnWithCluster(pl.Construct, jsii.String("Service-"+id), jsii.String(arn("ecs", "service/"+x.Cluster+"/"+x.Service))),
			ImageFile:         built.AtPath(jsii.String(cmp.Or(x.ImageFile, "imagedefinitions.json"))),
			DeploymentTimeout: awscdk.Duration_Minutes(jsii.Number(float64(cmp.Or(x.TimeoutMinutes, 60)))),
		})
	case r.ECSBlueGreen != nil:
		x := r.ECSBlueGreen
		group := awscodedeploy.EcsDeploymentGroup_FromEcsDeploymentGroupAttributes(pl.Construct, jsii.String("DeploymentGroup-"+id), &awscodedeploy.EcsDeploymentGroupAttributes{
			Application:         awscodedeploy.EcsApplication_FromEcsApplicationArn(pl.Construct, jsii.String("Application-"+id), jsii.String(arn("codedeploy", "application:"+x.Application))),
			DeploymentGroupName: jsii.String(x.DeploymentGroup),
		})
		return awscodepipelineactions.NewCodeDeployEcsDeployAction(&awscodepipelineactions.CodeDeployEcsDeployActionProps{
			ActionName:                 jsii.String(a.Name),
			RunOrder:                   order,
			Role:                       role,
			DeploymentGroup:            group,
			TaskDefinitionTemplateFile: built.AtPath(jsii.String(cmp.Or(x.TaskDefinition, "taskdef.json"))),
			AppSpecTemplateFile:        built.AtPath(jsii.String(cmp.Or(x.AppSpec, "appspec.yaml"))),
			ContainerImageInputs: &[]*awscodepipelineactions.CodeDeployEcsContainerImageInput{{
				Input:                     built,
				TaskDefinitionPlaceholder: jsii.String(cmp.Or(x.ImagePlaceholder, "IMAGE1_NAME")),
			}},
		})
	case r.CodeDeploy != nil:
		x := r.CodeDeploy
		group := awscodedeploy.ServerDeploymentGroup_FromServerDeploymentGroupAttributes(pl.Construct, jsii.String("DeploymentGroup-"+id), &awscodedeploy.ServerDeploymentGroupAttributes{
			Application:         awscodedeploy.ServerApplication_FromServerApplicationArn(pl.Construct, jsii.String("Application-"+id), jsii.String(arn("codedeploy", "application:"+x.Application))),
			DeploymentGroupName: jsii.String(x.DeploymentGroup),
		})
		return awscodepipelineactions.NewCodeDeployServerDeployAction(&awscodepipelineactions.CodeDeployServerDeployActionProps{
			ActionName:      jsii.String(a.Name),
			RunOrder:        order,
			Role:            role,
			DeploymentGroup: group,
			Input:           built,
		})
	default:
		x := r.S3
		bucket := awss3.Bucket_FromBucketAttributes(pl.Construct, jsii.String("Bucket-"+id), &awss3.BucketAttributes{
			BucketName: jsii.String(x.Bucket),
			Account:    jsii.String(d.Account),
			Region:     jsii.String(a.Region),
		})
		var cache []awscodepipelineactions.CacheControl
		for _, c := range x.CacheControl {
			cache = append(cache, awscodepipelineactions.CacheControl_FromString(jsii.String(c)))
		}
		var key awskms.IKey
		if x.KMSKeyArn != "" {
			key = awskms.Key_FromKeyArn(pl.Construct, jsii.String("BucketKey-"+id), jsii.String(x.KMSKeyArn))
		}
		props := &awscodepipelineactions.S3DeployActionProps{
			ActionName:    jsii.String(a.Name),
			RunOrder:      order,
			Role:          role,
			Bucket:        bucket,
			Input:         built,
			Extract:       jsii.Bool(x.Extract),
			ObjectKey:     values.Optional(x.ObjectKey),
			EncryptionKey: key,
		}
		if len(cache) > 0 {
			props.CacheControl = &cache
		}
		return awscodepipelineactions.NewS3DeployAction(props)
	}
}

// hookAction is the invoke action of hook a.Hook of deployment d.
func (pl *Pipeline) hookAction(p Props, a Action, d Deployment, built awscodepipeline.Artifact) awscodepipeline.IAction {
	h := d.hooksIn(a.Region)[a.Hook]
	id := d.Name + "-" + a.Region + "-" + h.Name
	role := pl.importRole("InvokeRole-"+d.Name, d.InvokeRoleArn)
	arn := func(service, resource string) string {
		return fmt.Sprintf("arn:%s:%s:%s:%s:%s", p.Partition, service, a.Region, d.Account, resource)
	}
	namespace := jsii.String(naming.HookNamespace(d.Name, a.Region, h.Name))
	if f := h.Lambda; f != nil {
		fn := awslambda.Function_FromFunctionAttributes(pl.Construct, jsii.String("Function-"+id), &awslambda.FunctionAttributes{
			FunctionArn:     jsii.String(arn("lambda", "function:"+f.Function)),
			SameEnvironment: jsii.Bool(false),
			SkipPermissions: jsii.Bool(true), // the invoke role's policy allows the call
		})
		return awscodepipelineactions.NewLambdaInvokeAction(&awscodepipelineactions.LambdaInvokeActionProps{
			ActionName:           jsii.String(a.Name),
			RunOrder:             jsii.Number(float64(a.RunOrder)),
			Role:                 role,
			Lambda:               fn,
			UserParametersString: values.Optional(f.UserParameters),
			VariablesNamespace:   namespace,
		})
	}
	s := h.StepFunctions
	literal := map[string]interface{}{}
	for k, v := range s.Input {
		literal[k] = v
	}
	input := awscodepipelineactions.StateMachineInput_Literal(&literal)
	if s.InputFile != "" {
		input = awscodepipelineactions.StateMachineInput_FilePath(built.AtPath(jsii.String(s.InputFile)))
	}
	return awscodepipelineactions.NewStepFunctionInvokeAction(&awscodepipelineactions.StepFunctionsInvokeActionProps{
		ActionName:          jsii.String(a.Name),
		RunOrder:            jsii.Number(float64(a.RunOrder)),
		Role:                role,
		StateMachine:        awsstepfunctions.StateMachine_FromStateMachineArn(pl.Construct, jsii.String("StateMachine-"+id), jsii.String(arn("states", "stateMachine:"+s.StateMachine))),
		StateMachineInput:   input,
		ExecutionNamePrefix: jsii.String(cmp.Or(s.ExecutionNamePrefix, h.Name)),
		VariablesNamespace:  namespace,
	})
}

// releaseStatements are what the pipeline role needs for the releases:
// passing the StackSet administration role to CloudFormation.
func releaseStatements(p Props) []awsiam.PolicyStatement {
	var admins []string
	for _, d := range p.Deployments {
		if d.StackSetAdminRoleArn != "" {
			admins = append(admins, d.StackSetAdminRoleArn)
		}
	}
	if len(admins) == 0 {
		return nil
	}
	return []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("PassStackSetAdministrationRole"),
		Actions:   jsii.Strings("iam:PassRole"),
		Resources: jsii.Strings(values.SortedUnique(admins)...),
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"iam:PassedToService": "cloudformation.amazonaws.com"},
		},
	})}
}
