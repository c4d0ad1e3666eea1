package pipeline

import (
	"fmt"
	"maps"
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
	"github.com/relaycdk/relay/constructs/plan"
)

// One render function per deploy action kind of the plan; deployAction
// picks it. A new deploy action kind adds its case and function here.

// deployAction renders a deploy-stage action with its kind's function.
func (pl *Pipeline) deployAction(a *plan.Action) awscodepipeline.IAction {
	switch k := a.Kind.(type) {
	case *plan.PrepareChangeSet:
		return pl.prepareAction(a, k)
	case *plan.ReviewChangeSet:
		return pl.reviewAction(a, k)
	case *plan.ExecuteChangeSet:
		return pl.executeAction(a, k)
	case *plan.DeployStackSet:
		return pl.stackSetAction(a, k)
	case *plan.AddStackInstances:
		return pl.stackInstancesAction(a, k)
	case *plan.DeployECS:
		return pl.ecsAction(a, k)
	case *plan.DeployECSBlueGreen:
		return pl.ecsBlueGreenAction(a, k)
	case *plan.DeployCodeDeploy:
		return pl.codeDeployAction(a, k)
	case *plan.DeployS3:
		return pl.s3Action(a, k)
	case *plan.GitOpsStep:
		return pl.gitOpsAction(a, k)
	case *plan.HelmStep:
		return pl.helmAction(a, k)
	case *plan.InvokeLambda:
		return pl.lambdaAction(a, k)
	case *plan.InvokeStepFunctions:
		return pl.stepFunctionsAction(a, k)
	case *plan.RunStep:
		return pl.runStepAction(a, k)
	case *plan.StepApproval:
		return pl.stepApprovalAction(a, k)
	}
	panic(fmt.Sprintf("pipeline: no render function for %T", a.Kind))
}

var capabilities = map[string]awscdk.CfnCapabilities{
	"CAPABILITY_IAM":         awscdk.CfnCapabilities_ANONYMOUS_IAM,
	"CAPABILITY_NAMED_IAM":   awscdk.CfnCapabilities_NAMED_IAM,
	"CAPABILITY_AUTO_EXPAND": awscdk.CfnCapabilities_AUTO_EXPAND,
}

// constructID joins names (of a deployment, a region, a hook) into a
// construct ID with ".", which none of them holds: joined with "-", the
// deployment "prod" with hook "us-east-1-a" and the deployment
// "prod-us-east-1" with hook "a" would collide in us-east-1.
func constructID(parts ...string) string { return strings.Join(parts, ".") }

// deployRole is the deploy role an action runs as, imported once per
// deployment.
func (pl *Pipeline) deployRole(a *plan.Action) awsiam.IRole {
	return pl.importRole("DeployRole-"+pl.deployment(a).Name, a.RoleArn)
}

// actionID identifies the constructs an action imports: unique per
// deployment and action (action names are unique per stage and carry the
// region, and the environment in a wave), joined by constructID: no
// deployment name holds ".", so two pairs cannot make one ID.
func (pl *Pipeline) actionID(a *plan.Action) string {
	return constructID(pl.deployment(a).Name, a.Name)
}

// roleName is the name of a role ARN (after its path).
func roleName(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

// arnIn is an ARN of service and resource in the action's account and
// region (the pipeline's when the action has none).
func (pl *Pipeline) arnIn(a *plan.Action, service, resource string) string {
	account, region := a.Account, a.Region
	if account == "" {
		account, region = pl.stackAccount(), pl.stackRegion()
	}
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", pl.props.Partition, service, region, account, resource)
}

// invokeRole is the role an invoke action runs as: a target account's
// invoke role (a hook), or nil for the pipeline role (a step in the
// pipeline's account).
func (pl *Pipeline) invokeRole(a *plan.Action) awsiam.IRole {
	if a.RoleArn == "" {
		return nil
	}
	return pl.importRole("InvokeRole-"+pl.deployment(a).Name, a.RoleArn)
}

func (pl *Pipeline) prepareAction(a *plan.Action, k *plan.PrepareChangeSet) awscodepipeline.IAction {
	d := pl.deployment(a)
	var config awscodepipeline.ArtifactPath
	if k.Stack.TemplateConfiguration != "" {
		config = pl.path(a.Inputs[0], k.Stack.TemplateConfiguration)
	}
	return awscodepipelineactions.NewCloudFormationCreateReplaceChangeSetAction(&awscodepipelineactions.CloudFormationCreateReplaceChangeSetActionProps{
		ActionName:            jsii.String(a.Name),
		RunOrder:              jsii.Number(float64(a.RunOrder)),
		StackName:             jsii.String(k.Stack.Name),
		ChangeSetName:         jsii.String(plan.ChangeSetName),
		TemplatePath:          pl.path(a.Inputs[0], k.Stack.TemplatePath),
		AdminPermissions:      jsii.Bool(false),
		Account:               jsii.String(a.Account),
		Region:                jsii.String(a.Region),
		Role:                  pl.deployRole(a),
		DeploymentRole:        pl.importRole("ExecutionRole-"+d.Name+"-"+roleName(k.ExecutionRoleArn), k.ExecutionRoleArn),
		CfnCapabilities:       cfnCapabilities(k.Stack.Capabilities),
		ParameterOverrides:    parameterOverrides(k.Stack.ParameterOverrides),
		TemplateConfiguration: config,
	})
}

// reviewAction renders the approval between creating and executing a
// change set.
func (pl *Pipeline) reviewAction(a *plan.Action, k *plan.ReviewChangeSet) awscodepipeline.IAction {
	return awscodepipelineactions.NewManualApprovalAction(&awscodepipelineactions.ManualApprovalActionProps{
		ActionName: jsii.String(a.Name),
		RunOrder:   jsii.Number(float64(a.RunOrder)),
		AdditionalInformation: jsii.String(fmt.Sprintf("Review change set %s of stack %s in account %s, region %s (CloudFormation console), then approve to execute it.",
			plan.ChangeSetName, k.Stack.Name, k.Account, k.Region)),
	})
}

func (pl *Pipeline) executeAction(a *plan.Action, k *plan.ExecuteChangeSet) awscodepipeline.IAction {
	return awscodepipelineactions.NewCloudFormationExecuteChangeSetAction(&awscodepipelineactions.CloudFormationExecuteChangeSetActionProps{
		ActionName:         jsii.String(a.Name),
		RunOrder:           jsii.Number(float64(a.RunOrder)),
		VariablesNamespace: jsii.String(a.Namespace),
		StackName:          jsii.String(k.Stack.Name),
		ChangeSetName:      jsii.String(plan.ChangeSetName),
		Account:            jsii.String(a.Account),
		Region:             jsii.String(a.Region),
		Role:               pl.deployRole(a),
	})
}

func (pl *Pipeline) stackSetAction(a *plan.Action, k *plan.DeployStackSet) awscodepipeline.IAction {
	d := pl.deployment(a)
	ids, rollout := stackSetTargets(k.Target)
	var model awscodepipelineactions.StackSetDeploymentModel
	if t, ok := k.Target.(*plan.StackSetAccounts); ok {
		model = awscodepipelineactions.StackSetDeploymentModel_SelfManaged(&awscodepipelineactions.SelfManagedDeploymentProps{
			AdministrationRole: pl.importRole("StackSetAdminRole", t.AdministrationRoleArn),
			ExecutionRoleName:  jsii.String(t.ExecutionRoleName),
		})
	} else {
		model = awscodepipelineactions.StackSetDeploymentModel_Organizations(&awscodepipelineactions.OrganizationsDeploymentProps{
			AutoDeployment: awscodepipelineactions.StackSetOrganizationsAutoDeployment_ENABLED,
		})
	}
	return awscodepipelineactions.NewCloudFormationDeployStackSetAction(&awscodepipelineactions.CloudFormationDeployStackSetActionProps{
		ActionName:                      jsii.String(a.Name),
		RunOrder:                        jsii.Number(float64(a.RunOrder)),
		StackSetName:                    jsii.String(k.StackSetName),
		Template:                        awscodepipelineactions.StackSetTemplate_FromArtifactPath(pl.path(a.Inputs[0], k.Stack.TemplatePath)),
		DeploymentModel:                 model,
		StackInstances:                  stackInstances(k.Target, ids, d.Regions),
		MaxAccountConcurrencyPercentage: jsii.Number(float64(rollout.MaxConcurrentPercentage)),
		FailureTolerancePercentage:      jsii.Number(float64(rollout.FailureTolerancePercentage)),
		CfnCapabilities:                 cfnCapabilities(k.Stack.Capabilities),
	})
}

func (pl *Pipeline) stackInstancesAction(a *plan.Action, k *plan.AddStackInstances) awscodepipeline.IAction {
	d := pl.deployment(a)
	ids, rollout := stackSetTargets(k.Target)
	return awscodepipelineactions.NewCloudFormationDeployStackInstancesAction(&awscodepipelineactions.CloudFormationDeployStackInstancesActionProps{
		ActionName:                      jsii.String(a.Name),
		RunOrder:                        jsii.Number(float64(a.RunOrder)),
		StackSetName:                    jsii.String(k.StackSetName),
		StackInstances:                  stackInstances(k.Target, ids, d.Regions),
		MaxAccountConcurrencyPercentage: jsii.Number(float64(rollout.MaxConcurrentPercentage)),
		FailureTolerancePercentage:      jsii.Number(float64(rollout.FailureTolerancePercentage)),
	})
}

func (pl *Pipeline) ecsAction(a *plan.Action, k *plan.DeployECS) awscodepipeline.IAction {
	x, id := k.Release, pl.actionID(a)
	return awscodepipelineactions.NewEcsDeployAction(&awscodepipelineactions.EcsDeployActionProps{
		ActionName:        jsii.String(a.Name),
		RunOrder:          jsii.Number(float64(a.RunOrder)),
		Role:              pl.deployRole(a),
		Service:           awsecs.BaseService_FromServiceArnWithCluster(pl.Construct, jsii.String("Service-"+id), jsii.String(pl.arnIn(a, "ecs", "service/"+x.Cluster+"/"+x.Service))),
		ImageFile:         pl.path(a.Inputs[0], x.ImageFile),
		DeploymentTimeout: awscdk.Duration_Minutes(jsii.Number(float64(x.TimeoutMinutes))),
	})
}

func (pl *Pipeline) ecsBlueGreenAction(a *plan.Action, k *plan.DeployECSBlueGreen) awscodepipeline.IAction {
	x, id := k.Release, pl.actionID(a)
	built := pl.artifact(a.Inputs[0])
	group := awscodedeploy.EcsDeploymentGroup_FromEcsDeploymentGroupAttributes(pl.Construct, jsii.String("DeploymentGroup-"+id), &awscodedeploy.EcsDeploymentGroupAttributes{
		Application:         awscodedeploy.EcsApplication_FromEcsApplicationArn(pl.Construct, jsii.String("Application-"+id), jsii.String(pl.arnIn(a, "codedeploy", "application:"+x.Application))),
		DeploymentGroupName: jsii.String(x.DeploymentGroup),
	})
	return awscodepipelineactions.NewCodeDeployEcsDeployAction(&awscodepipelineactions.CodeDeployEcsDeployActionProps{
		ActionName:                 jsii.String(a.Name),
		RunOrder:                   jsii.Number(float64(a.RunOrder)),
		Role:                       pl.deployRole(a),
		DeploymentGroup:            group,
		TaskDefinitionTemplateFile: pl.path(a.Inputs[0], x.TaskDefinition),
		AppSpecTemplateFile:        pl.path(a.Inputs[0], x.AppSpec),
		ContainerImageInputs: &[]*awscodepipelineactions.CodeDeployEcsContainerImageInput{{
			Input:                     built,
			TaskDefinitionPlaceholder: jsii.String(x.ImagePlaceholder),
		}},
	})
}

func (pl *Pipeline) codeDeployAction(a *plan.Action, k *plan.DeployCodeDeploy) awscodepipeline.IAction {
	x, id := k.Release, pl.actionID(a)
	group := awscodedeploy.ServerDeploymentGroup_FromServerDeploymentGroupAttributes(pl.Construct, jsii.String("DeploymentGroup-"+id), &awscodedeploy.ServerDeploymentGroupAttributes{
		Application:         awscodedeploy.ServerApplication_FromServerApplicationArn(pl.Construct, jsii.String("Application-"+id), jsii.String(pl.arnIn(a, "codedeploy", "application:"+x.Application))),
		DeploymentGroupName: jsii.String(x.DeploymentGroup),
	})
	return awscodepipelineactions.NewCodeDeployServerDeployAction(&awscodepipelineactions.CodeDeployServerDeployActionProps{
		ActionName:      jsii.String(a.Name),
		RunOrder:        jsii.Number(float64(a.RunOrder)),
		Role:            pl.deployRole(a),
		DeploymentGroup: group,
		Input:           pl.artifact(a.Inputs[0]),
	})
}

func (pl *Pipeline) s3Action(a *plan.Action, k *plan.DeployS3) awscodepipeline.IAction {
	x, id := k.Release, pl.actionID(a)
	bucket := awss3.Bucket_FromBucketAttributes(pl.Construct, jsii.String("Bucket-"+id), &awss3.BucketAttributes{
		BucketName: jsii.String(x.Bucket),
		Account:    jsii.String(a.Account),
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
		RunOrder:      jsii.Number(float64(a.RunOrder)),
		Role:          pl.deployRole(a),
		Bucket:        bucket,
		Input:         pl.artifact(a.Inputs[0]),
		Extract:       jsii.Bool(x.Extract),
		ObjectKey:     values.Optional(x.ObjectKey),
		EncryptionKey: key,
	}
	if len(cache) > 0 {
		props.CacheControl = &cache
	}
	return awscodepipelineactions.NewS3DeployAction(props)
}

func (pl *Pipeline) gitOpsAction(a *plan.Action, k *plan.GitOpsStep) awscodepipeline.IAction {
	g := k.Release
	vars := map[string]*awscodebuild.BuildEnvironmentVariable{
		"GITOPS_REPOSITORY": {Value: jsii.String(g.Repository)},
		"GITOPS_BRANCH":     {Value: jsii.String(g.Branch)},
		"GITOPS_FILE":       {Value: jsii.String(g.File)},
		"GITOPS_KEY":        {Value: jsii.String(g.Key)},
		"GITOPS_VALUE":      {Value: jsii.String(g.Value)},
		"GITOPS_TOKEN":      {Type: awscodebuild.BuildEnvironmentVariableType_SECRETS_MANAGER, Value: jsii.String(g.TokenSecret)},
	}
	if t, ok := values.VariableTemplate(g.Value); ok {
		vars["GITOPS_VALUE"] = &awscodebuild.BuildEnvironmentVariable{Value: jsii.String(t)}
		pl.fetchVariables(vars)
	}
	return awscodepipelineactions.NewCodeBuildAction(&awscodepipelineactions.CodeBuildActionProps{
		ActionName:           jsii.String(a.Name),
		RunOrder:             jsii.Number(float64(a.RunOrder)),
		Project:              pl.gitOpsProject(),
		Input:                pl.artifact(a.Inputs[0]),
		EnvironmentVariables: &vars,
	})
}

// fetchVariables adds to the variables of a Helm or GitOps action whose
// values use pipeline variables what its commands need to read them
// (fetchVariablesCommand): the execution's ID, which CodePipeline fills,
// and the pipeline's name when it is known at synth.
func (pl *Pipeline) fetchVariables(vars map[string]*awscodebuild.BuildEnvironmentVariable) {
	vars["RELAY_EXECUTION_ID"] = &awscodebuild.BuildEnvironmentVariable{Value: jsii.String("#{codepipeline.PipelineExecutionId}")}
	if n := pl.props.PipelineName; n != "" {
		vars["RELAY_PIPELINE"] = &awscodebuild.BuildEnvironmentVariable{Value: jsii.String(n)}
	}
}

// usesPipelineVariables reports whether a value (GitOps Value, Helm Set)
// of a step that match selects (the steps of one project) uses a pipeline
// variable, which the step's commands then read from the execution.
func (pl *Pipeline) usesPipelineVariables(match func(a *plan.Action) bool) bool {
	uses := false
	pl.eachAction(func(a *plan.Action) {
		if !match(a) {
			return
		}
		var vs []string
		switch k := a.Kind.(type) {
		case *plan.GitOpsStep:
			vs = []string{k.Release.Value}
		case *plan.HelmStep:
			vs = slices.Collect(maps.Values(k.Release.Set))
		}
		for _, v := range vs {
			if _, ok := values.VariableTemplate(v); ok {
				uses = true
			}
		}
	})
	return uses
}

// readExecutionStatement lets r read this pipeline's executions (their
// pipeline variables), by the pipeline's ARN; any pipeline of the account
// and region when the name is generated, since the pipeline's ARN would
// make the pipeline depend on itself (it waits for its projects' policies).
func (pl *Pipeline) readExecutionStatement(r *projectRole) {
	arn := fmt.Sprintf("arn:%s:codepipeline:%s:%s:%s", pl.props.Partition, pl.stackRegion(), pl.stackAccount(), nameOrAny(pl.props.PipelineName))
	r.add("ReadPipelineVariables", []string{"codepipeline:GetPipelineExecution"}, *jsii.Strings(arn), nil)
	if pl.props.PipelineName == "" {
		r.findings[fmt.Sprintf("Resource::arn:%s:codepipeline:%s:%s:*", pl.props.Partition, pl.nagRegion(), pl.nagAccount())] =
			"The step reads the pipeline variables of its own execution; the pipeline's name is generated, and its ARN would make the pipeline depend on itself, so any pipeline of this account and region (read only)."
	}
}

func (pl *Pipeline) helmAction(a *plan.Action, k *plan.HelmStep) awscodepipeline.IAction {
	h := k.Release
	vars := map[string]*awscodebuild.BuildEnvironmentVariable{
		"EKS_CLUSTER":     {Value: jsii.String(h.Cluster)},
		"EKS_REGION":      {Value: jsii.String(k.Region)},
		"DEPLOY_ROLE_ARN": {Value: jsii.String(k.AssumeRoleArn)},
		"HELM_RELEASE":    {Value: jsii.String(h.Release)},
		"HELM_CHART":      {Value: jsii.String(h.Chart)},
		"HELM_NAMESPACE":  {Value: jsii.String(h.Namespace)},
		"HELM_VALUES":     {Value: jsii.String(h.ValuesFile)},
	}
	// One variable per value: CodePipeline resolves references in each, and
	// the buildspec hands each to helm as one value (helmBuildSpec).
	// A value that uses pipeline variables goes as a template, which the
	// commands fill from the execution (fetchVariablesCommand).
	keys, fetch := slices.Sorted(maps.Keys(h.Set)), false
	for i, key := range keys {
		t, ok := values.VariableTemplate(h.Set[key])
		fetch = fetch || ok
		vars[fmt.Sprintf("HELM_SET_%d", i)] = &awscodebuild.BuildEnvironmentVariable{Value: jsii.String(t)}
	}
	if fetch {
		pl.fetchVariables(vars)
	}
	vars["HELM_SET_KEYS"] = &awscodebuild.BuildEnvironmentVariable{Value: jsii.String(strings.Join(keys, " "))}
	return awscodepipelineactions.NewCodeBuildAction(&awscodepipelineactions.CodeBuildActionProps{
		ActionName:           jsii.String(a.Name),
		RunOrder:             jsii.Number(float64(a.RunOrder)),
		Project:              pl.helmProject(pl.deployment(a), k),
		Input:                pl.artifact(a.Inputs[0]),
		EnvironmentVariables: &vars,
	})
}

func (pl *Pipeline) lambdaAction(a *plan.Action, k *plan.InvokeLambda) awscodepipeline.IAction {
	fn := awslambda.Function_FromFunctionAttributes(pl.Construct, jsii.String("Function-"+pl.actionID(a)), &awslambda.FunctionAttributes{
		FunctionArn:     jsii.String(pl.arnIn(a, "lambda", "function:"+k.Invoke.Function)),
		SameEnvironment: jsii.Bool(false),
		SkipPermissions: jsii.Bool(true), // the invoke role's policy allows the call
	})
	return awscodepipelineactions.NewLambdaInvokeAction(&awscodepipelineactions.LambdaInvokeActionProps{
		ActionName:           jsii.String(a.Name),
		RunOrder:             jsii.Number(float64(a.RunOrder)),
		Role:                 pl.invokeRole(a),
		Lambda:               fn,
		UserParametersString: values.Optional(k.Invoke.UserParameters),
		VariablesNamespace:   jsii.String(a.Namespace),
	})
}

func (pl *Pipeline) stepFunctionsAction(a *plan.Action, k *plan.InvokeStepFunctions) awscodepipeline.IAction {
	s := k.Invoke
	literal := map[string]interface{}{}
	for key, v := range s.Input {
		literal[key] = v
	}
	input := awscodepipelineactions.StateMachineInput_Literal(&literal)
	if s.InputFile != "" {
		input = awscodepipelineactions.StateMachineInput_FilePath(newFilePath(pl.artifact(a.Inputs[0]), s.InputFile))
	}
	id := pl.actionID(a)
	return awscodepipelineactions.NewStepFunctionInvokeAction(&awscodepipelineactions.StepFunctionsInvokeActionProps{
		ActionName:          jsii.String(a.Name),
		RunOrder:            jsii.Number(float64(a.RunOrder)),
		Role:                pl.invokeRole(a),
		StateMachine:        awsstepfunctions.StateMachine_FromStateMachineArn(pl.Construct, jsii.String("StateMachine-"+id), jsii.String(pl.arnIn(a, "states", "stateMachine:"+s.StateMachine))),
		StateMachineInput:   input,
		ExecutionNamePrefix: jsii.String(s.ExecutionNamePrefix),
		VariablesNamespace:  jsii.String(a.Namespace),
	})
}

// parameterOverrides are a stack's overrides as aws-cdk-lib values.
func parameterOverrides(m map[string]string) *map[string]interface{} {
	if len(m) == 0 {
		return nil
	}
	out := map[string]interface{}{}
	for k, v := range m {
		out[k] = v
	}
	return &out
}

// cfnCapabilities are capabilities as aws-cdk-lib values.
func cfnCapabilities(in []string) *[]awscdk.CfnCapabilities {
	var caps []awscdk.CfnCapabilities
	for _, c := range in {
		caps = append(caps, capabilities[c])
	}
	return &caps
}

// stackSetTargets are the account or OU IDs of a StackSet target and its
// rollout.
func stackSetTargets(t plan.Target) ([]string, plan.Rollout) {
	switch x := t.(type) {
	case *plan.StackSetAccounts:
		return x.IDs, x.Rollout
	case *plan.OrganizationalUnits:
		return x.IDs, x.Rollout
	}
	return nil, plan.Rollout{}
}

// stackInstances are the accounts or OUs of a StackSet target, in regions.
func stackInstances(t plan.Target, ids, regions []string) awscodepipelineactions.StackInstances {
	if _, ok := t.(*plan.StackSetAccounts); ok {
		return awscodepipelineactions.StackInstances_InAccounts(jsii.Strings(ids...), jsii.Strings(regions...))
	}
	return awscodepipelineactions.StackInstances_InOrganizationalUnits(jsii.Strings(ids...), jsii.Strings(regions...))
}

// filePath is an ArtifactPath whose Location is the file's path in the
// artifact alone, for the Step Functions action's Input with InputType
// FilePath: the action unzips its input artifact and reads the file the
// Input names (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html,
// whose example is "Input": "assets/input.json"), while aws-cdk-lib's
// StateMachineInput.filePath writes the location, <artifact>::<path>, which
// names no file, so the action would fail on every run. (aws-cdk-lib fixed
// the same fault in its Service Catalog action, aws/aws-cdk#9767.)
type filePath struct {
	awscodepipeline.ArtifactPath
	file string
}

// Location overrides ArtifactPath's <artifact>::<path>.
func (p *filePath) Location() *string { return jsii.String(p.file) }

// newFilePath is file in artifact, located by its path alone (filePath).
func newFilePath(artifact awscodepipeline.Artifact, file string) awscodepipeline.ArtifactPath {
	p := &filePath{file: file}
	awscodepipeline.NewArtifactPath_Override(p, artifact, jsii.String(file))
	return p
}
