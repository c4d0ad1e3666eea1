package pipeline

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipeline"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipelineactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/hardening"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/plan"
)

var (
	computeTypes = map[string]awscodebuild.ComputeType{
		"BUILD_GENERAL1_SMALL":   awscodebuild.ComputeType_SMALL,
		"BUILD_GENERAL1_MEDIUM":  awscodebuild.ComputeType_MEDIUM,
		"BUILD_GENERAL1_LARGE":   awscodebuild.ComputeType_LARGE,
		"BUILD_GENERAL1_XLARGE":  awscodebuild.ComputeType_X_LARGE,
		"BUILD_GENERAL1_2XLARGE": awscodebuild.ComputeType_X2_LARGE,
	}
	retention = map[int]awslogs.RetentionDays{
		1: awslogs.RetentionDays_ONE_DAY, 3: awslogs.RetentionDays_THREE_DAYS, 5: awslogs.RetentionDays_FIVE_DAYS,
		7: awslogs.RetentionDays_ONE_WEEK, 14: awslogs.RetentionDays_TWO_WEEKS, 30: awslogs.RetentionDays_ONE_MONTH,
		60: awslogs.RetentionDays_TWO_MONTHS, 90: awslogs.RetentionDays_THREE_MONTHS, 120: awslogs.RetentionDays_FOUR_MONTHS,
		150: awslogs.RetentionDays_FIVE_MONTHS, 180: awslogs.RetentionDays_SIX_MONTHS, 365: awslogs.RetentionDays_ONE_YEAR,
		400: awslogs.RetentionDays_THIRTEEN_MONTHS, 545: awslogs.RetentionDays_EIGHTEEN_MONTHS, 731: awslogs.RetentionDays_TWO_YEARS,
		1096: awslogs.RetentionDays_THREE_YEARS, 1827: awslogs.RetentionDays_FIVE_YEARS, 2192: awslogs.RetentionDays_SIX_YEARS,
		2557: awslogs.RetentionDays_SEVEN_YEARS, 2922: awslogs.RetentionDays_EIGHT_YEARS, 3288: awslogs.RetentionDays_NINE_YEARS,
		3653: awslogs.RetentionDays_TEN_YEARS,
	}
)

// newBuildProject creates the build's log group (which the suites and
// steps share) and, unless the plan has no Build stage, the build project;
// the project encrypts with the artifact key, which target accounts can
// decrypt.
func (pl *Pipeline) newBuildProject() {
	b := pl.plan.Input.Build
	store := pl.props.Store
	pl.logKey = newLogKey(pl, b.LogGroupName)
	pl.logGroup = awslogs.NewLogGroup(pl.Construct, jsii.String("BuildLogs"), &awslogs.LogGroupProps{
		LogGroupName:  values.Optional(b.LogGroupName),
		Retention:     retention[b.LogRetentionDays],
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
		EncryptionKey: pl.logKey,
	})
	if pl.plan.Input.NoBuild {
		return
	}
	pl.project = awscodebuild.NewPipelineProject(pl.Construct, jsii.String("Build"), &awscodebuild.PipelineProjectProps{
		ProjectName:   values.Optional(b.ProjectName),
		Description:   jsii.String("Builds the deployable template from " + plan.Describe(pl.plan.Input.Source)),
		BuildSpec:     awscodebuild.BuildSpec_FromSourceFilename(jsii.String(b.Buildspec)),
		EncryptionKey: store.Key(), // the artifact key: targets must decrypt what the build writes
		Timeout:       awscdk.Duration_Minutes(jsii.Number(float64(b.TimeoutMinutes))),
		Environment: &awscodebuild.BuildEnvironment{
			BuildImage:  awscodebuild.LinuxBuildImage_FromCodeBuildImageId(jsii.String(b.Image)),
			ComputeType: computeTypes[b.ComputeType],
			Privileged:  jsii.Bool(b.Privileged),
		},
		EnvironmentVariables: projectVariables(b.EnvironmentVariables),
		Cache:                buildCache(b.Cache, pl),
		Logging:              &awscodebuild.LoggingOptions{CloudWatch: &awscodebuild.CloudWatchLoggingOptions{LogGroup: pl.logGroup}},
	})
	for _, v := range b.EnvironmentVariables {
		if s, ok := v.(plan.Secret); ok {
			pl.secrets = append(pl.secrets, string(s))
		}
	}
	pl.secrets = values.SortedUnique(pl.secrets)
}

// buildAction renders the build action.
func (pl *Pipeline) buildAction(a *plan.Action, k *plan.BuildAction) awscodepipeline.IAction {
	var extra []awscodepipeline.Artifact
	for _, name := range a.Inputs[1:] {
		extra = append(extra, pl.artifact(name))
	}
	return awscodepipelineactions.NewCodeBuildAction(&awscodepipelineactions.CodeBuildActionProps{
		ActionName:           jsii.String(a.Name),
		Project:              pl.project,
		Input:                pl.artifact(a.Inputs[0]),
		ExtraInputs:          &extra,
		Outputs:              &[]awscodepipeline.Artifact{pl.artifact(a.Outputs[0])},
		VariablesNamespace:   jsii.String(a.Namespace),
		EnvironmentVariables: plainVariables(k.Variables),
	})
}

// plainVariables are plain-text environment variables of an action.
func plainVariables(vars map[string]string) *map[string]*awscodebuild.BuildEnvironmentVariable {
	out := map[string]*awscodebuild.BuildEnvironmentVariable{}
	for _, name := range slices.Sorted(maps.Keys(vars)) {
		out[name] = &awscodebuild.BuildEnvironmentVariable{Value: jsii.String(vars[name])}
	}
	return &out
}

// projectVariables are the project's variables (those without references)
// as aws-cdk-lib values; aws-cdk-lib grants the project read access to
// each parameter and secret.
func projectVariables(vars map[string]plan.BuildVariable) *map[string]*awscodebuild.BuildEnvironmentVariable {
	out := map[string]*awscodebuild.BuildEnvironmentVariable{}
	for name, v := range vars {
		switch x := v.(type) {
		case plan.Parameter:
			out[name] = &awscodebuild.BuildEnvironmentVariable{Type: awscodebuild.BuildEnvironmentVariableType_PARAMETER_STORE, Value: jsii.String(string(x))}
		case plan.Secret:
			out[name] = &awscodebuild.BuildEnvironmentVariable{Type: awscodebuild.BuildEnvironmentVariableType_SECRETS_MANAGER, Value: jsii.String(string(x))}
		case plan.PlainText:
			if !plan.HasReference(string(x)) {
				out[name] = &awscodebuild.BuildEnvironmentVariable{Value: jsii.String(string(x))}
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

// buildCache is the project cache for mode.
func buildCache(mode string, pl *Pipeline) awscodebuild.Cache {
	switch mode {
	case "local":
		return awscodebuild.Cache_Local(awscodebuild.LocalCacheMode_DOCKER_LAYER, awscodebuild.LocalCacheMode_SOURCE, awscodebuild.LocalCacheMode_CUSTOM)
	case "s3":
		return awscodebuild.Cache_Bucket(pl.props.Store.Bucket(), &awscodebuild.BucketCacheOptions{Prefix: jsii.String("build-cache")})
	}
	return nil
}

// suiteAction renders a Test or Scan suite: its project and report group,
// and the CodeBuild test action.
func (pl *Pipeline) suiteAction(a *plan.Action, k *plan.SuiteAction) awscodepipeline.IAction {
	s, b := k.Suite, pl.plan.Input.Build
	id := k.Stage + "-" + s.Name
	spec := map[string]interface{}{
		"version": "0.2",
		"phases":  map[string]interface{}{"build": map[string]interface{}{"commands": s.Commands}},
	}
	var group awscodebuild.ReportGroup
	if s.Reports != nil {
		group = awscodebuild.NewReportGroup(pl.Construct, jsii.String(id+"-Reports"), &awscodebuild.ReportGroupProps{
			ReportGroupName: values.Optional(s.ReportGroupName),
			Type:            awscodebuild.ReportGroupType_TEST,
			RemovalPolicy:   awscdk.RemovalPolicy_RETAIN,
		})
		spec["reports"] = map[string]interface{}{
			*group.ReportGroupArn(): map[string]interface{}{"files": s.Reports.Files, "file-format": s.Reports.Format},
		}
	}
	project := awscodebuild.NewPipelineProject(pl.Construct, jsii.String(id), &awscodebuild.PipelineProjectProps{
		ProjectName:   values.Optional(s.ProjectName),
		Description:   jsii.String(k.Stage + " suite " + s.Name),
		BuildSpec:     awscodebuild.BuildSpec_FromObject(&spec),
		EncryptionKey: pl.props.Store.Key(),
		Timeout:       awscdk.Duration_Minutes(jsii.Number(float64(b.TimeoutMinutes))),
		Environment: &awscodebuild.BuildEnvironment{
			BuildImage:  awscodebuild.LinuxBuildImage_FromCodeBuildImageId(jsii.String(b.Image)),
			ComputeType: computeTypes[b.ComputeType],
		},
		Logging: &awscodebuild.LoggingOptions{CloudWatch: &awscodebuild.CloudWatchLoggingOptions{LogGroup: pl.logGroup, Prefix: jsii.String(id)}},
	})
	if group != nil {
		group.GrantWrite(project)
	}
	pl.suiteProjects = append(pl.suiteProjects, project)
	return awscodepipelineactions.NewCodeBuildAction(&awscodepipelineactions.CodeBuildActionProps{
		ActionName:           jsii.String(a.Name),
		RunOrder:             jsii.Number(float64(a.RunOrder)),
		Project:              project,
		Input:                pl.artifact(a.Inputs[0]),
		Type:                 awscodepipelineactions.CodeBuildActionType_TEST,
		EnvironmentVariables: plainVariables(k.Variables),
	})
}

// gitOpsProject is the shared project of the GitOps steps.
func (pl *Pipeline) gitOpsProject() awscodebuild.PipelineProject {
	if pl.gitOps != nil {
		return pl.gitOps
	}
	pl.gitOps = pl.stepProject("GitOps", pl.props.GitOpsProjectName, "", "Commits the new release to the GitOps repository", gitOpsBuildSpec())
	var secrets []string
	for _, st := range pl.plan.Stages {
		for _, a := range st.Actions {
			if k, ok := a.Kind.(*plan.GitOpsStep); ok {
				secrets = append(secrets, k.Release.TokenSecret)
			}
		}
	}
	pl.gitOps.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("ReadGitOpsToken"),
		Actions:   jsii.Strings("secretsmanager:GetSecretValue"),
		Resources: jsii.Strings(values.SortedUnique(secrets)...),
	}))
	return pl.gitOps
}

// helmProject is the shared project of the Helm steps; its role may assume
// the deploy roles, whose trust names it.
func (pl *Pipeline) helmProject() awscodebuild.PipelineProject {
	if pl.helm != nil {
		return pl.helm
	}
	pl.helm = pl.stepProject("Helm", pl.props.HelmProjectName, pl.props.HelmRoleName, "Deploys the Helm chart to EKS as the environment's deploy role", helmBuildSpec())
	pl.helm.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("AssumeDeployRoles"),
		Actions:   jsii.Strings("sts:AssumeRole"),
		Resources: jsii.Strings(pl.deployRoles()...),
	}))
	return pl.helm
}

// stepProject is a CodeBuild project for a deploy step, encrypted with the
// artifact key and logging to the build log group.
func (pl *Pipeline) stepProject(id, name, roleName, description string, spec awscodebuild.BuildSpec) awscodebuild.PipelineProject {
	var role awsiam.IRole
	if roleName != "" {
		role = awsiam.NewRole(pl.Construct, jsii.String(id+"Role"), &awsiam.RoleProps{
			// At path /: a CodeBuild project's service role with a path draws
			// CloudFormation's E3050 (it may be resolved by name).
			RoleName:    jsii.String(roleName),
			Description: jsii.String(description),
			AssumedBy:   awsiam.NewServicePrincipal(jsii.String("codebuild.amazonaws.com"), nil),
		})
	}
	project := awscodebuild.NewPipelineProject(pl.Construct, jsii.String(id), &awscodebuild.PipelineProjectProps{
		ProjectName:   values.Optional(name),
		Description:   jsii.String(description),
		BuildSpec:     spec,
		Role:          role,
		EncryptionKey: pl.props.Store.Key(),
		Timeout:       awscdk.Duration_Minutes(jsii.Number(defaults.StepTimeoutMinutes)),
		Environment: &awscodebuild.BuildEnvironment{
			BuildImage:  awscodebuild.LinuxBuildImage_FromCodeBuildImageId(jsii.String(pl.plan.Input.Build.Image)),
			ComputeType: awscodebuild.ComputeType_SMALL,
		},
		Logging: &awscodebuild.LoggingOptions{CloudWatch: &awscodebuild.CloudWatchLoggingOptions{LogGroup: pl.logGroup}},
	})
	pl.stepProjects = append(pl.stepProjects, project)
	return project
}

// projectArns are the ARNs of every CodeBuild project the pipeline runs.
func (pl *Pipeline) projectArns() []string {
	var arns []string
	if pl.project != nil {
		arns = append(arns, *pl.project.ProjectArn())
	}
	for _, sp := range append(append(slices.Clone(pl.suiteProjects), pl.stepProjects...), pl.RunProjects()...) {
		arns = append(arns, *sp.ProjectArn())
	}
	return arns
}

// Tool versions the EKS steps install with go install, which checks each
// module against the Go checksum database.
const (
	yqModule   = "github.com/mikefarah/yq/v4@v4.44.3"
	helmModule = "helm.sh/helm/v3/cmd/helm@v3.16.2"
)

// gitOpsBuildSpec clones the GitOps repository with the token, sets one
// value with yq, and pushes a commit when the value changed. The token is a
// Secrets Manager variable, which CodeBuild masks in the logs.
func gitOpsBuildSpec() awscodebuild.BuildSpec {
	return awscodebuild.BuildSpec_FromObject(&map[string]interface{}{
		"version": "0.2",
		"env":     map[string]interface{}{"shell": "bash"},
		"phases": map[string]interface{}{
			"install": map[string]interface{}{"commands": []string{
				"go install " + yqModule,
			}},
			"build": map[string]interface{}{"commands": []string{
				`git clone --depth 1 --branch "$GITOPS_BRANCH" "https://x-access-token:${GITOPS_TOKEN}@${GITOPS_REPOSITORY#https://}" gitops`,
				`"$(go env GOPATH)/bin/yq" -i "${GITOPS_KEY} = strenv(GITOPS_VALUE)" "gitops/${GITOPS_FILE}"`,
				`git -C gitops -c user.name=relay-pipeline -c user.email=relay-pipeline@users.noreply.github.com commit -am "relay: set ${GITOPS_KEY} to ${GITOPS_VALUE} in ${GITOPS_FILE}" || echo "relay: ${GITOPS_FILE} already has ${GITOPS_KEY} = ${GITOPS_VALUE}"`,
				`git -C gitops push origin "HEAD:${GITOPS_BRANCH}"`,
			}},
		},
	})
}

// helmBuildSpec assumes the environment's deploy role for the cluster
// (through the kubeconfig's role ARN) and upgrades the release atomically:
// a failed upgrade rolls back and fails the action.
func helmBuildSpec() awscodebuild.BuildSpec {
	return awscodebuild.BuildSpec_FromObject(&map[string]interface{}{
		"version": "0.2",
		"env":     map[string]interface{}{"shell": "bash"},
		"phases": map[string]interface{}{
			"install": map[string]interface{}{"commands": []string{
				"go install " + helmModule,
			}},
			"build": map[string]interface{}{"commands": []string{
				`aws eks update-kubeconfig --name "$EKS_CLUSTER" --region "$EKS_REGION" --role-arn "$DEPLOY_ROLE_ARN"`,
				`args=(upgrade --install "$HELM_RELEASE" "$HELM_CHART" --namespace "$HELM_NAMESPACE" --create-namespace --atomic --wait --timeout 15m)`,
				`if [ -n "$HELM_VALUES" ]; then args+=(--values "$HELM_VALUES"); fi`,
				`if [ -n "$HELM_SET" ]; then args+=(--set "$HELM_SET"); fi`,
				`"$(go env GOPATH)/bin/helm" "${args[@]}"`,
			}},
		},
	})
}

// newLogKey creates the KMS key of the build log group (the build, test,
// scan and step projects all log there): rotated yearly, retained with the
// log group, and usable by CloudWatch Logs for that log group only (an
// encryption-context condition on its ARN; any log group of the stack's
// account and region when its name is generated, since a generated name is
// only known after the key exists). Nobody else is admitted beyond the
// account's key administrators (the key policy's default statement).
func newLogKey(pl *Pipeline, logGroupName string) awskms.Key {
	stack := awscdk.Stack_Of(pl.Construct)
	name := logGroupName
	if name == "" {
		name = "*"
	}
	arn := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s", pl.props.Partition, *stack.Region(), *stack.Account(), name)
	key := awskms.NewKey(pl.Construct, jsii.String("BuildLogsKey"), &awskms.KeyProps{
		Description:       jsii.String("Relay: encrypts the build logs of pipeline " + pl.pipelineName()),
		EnableKeyRotation: jsii.Bool(true),
		PendingWindow:     awscdk.Duration_Days(jsii.Number(30)),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
	hardening.AdmitLogs(key, "CloudWatchLogsEncryptsBuildLogs", arn)
	hardening.DenyGrants(key)
	return key
}
