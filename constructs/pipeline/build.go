package pipeline

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipeline"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipelineactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/hardening"
	"github.com/relaycdk/relay/constructs/internal/nag"
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
// steps share) and, unless the plan has no Build stage, the build's role
// and project; the project encrypts with the artifact key, which target
// accounts can decrypt. Its role may read the sources, write the build
// output, use the connection of a full-clone source, read its variables'
// parameters and secrets, and (with the s3 cache) read and write
// build-cache/.
func (pl *Pipeline) newBuildProject() {
	b := pl.plan.Input.Build
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
	build := pl.plan.Stages[1].Actions[0]
	r := pl.newProjectRole("Build", b.ProjectName, "", "Service role of the build project: reads the sources, writes the build output")
	r.reads, r.writes = build.Inputs, build.Outputs
	pl.project = pl.newProject("Build", r, &awscodebuild.PipelineProjectProps{
		ProjectName: values.Optional(b.ProjectName),
		Description: jsii.String("Builds the deployable template from " + plan.Describe(pl.plan.Input.Source)),
		BuildSpec:   awscodebuild.BuildSpec_FromSourceFilename(jsii.String(b.Buildspec)),
		Timeout:     awscdk.Duration_Minutes(jsii.Number(float64(b.TimeoutMinutes))),
		Environment: &awscodebuild.BuildEnvironment{
			BuildImage:  awscodebuild.LinuxBuildImage_FromCodeBuildImageId(jsii.String(b.Image)),
			ComputeType: computeTypes[b.ComputeType],
			Privileged:  jsii.Bool(b.Privileged),
		},
		EnvironmentVariables: withAssetVariables(projectVariables(b.EnvironmentVariables), pl.buildAssetVariables()),
		Cache:                buildCache(b.Cache, pl),
		Logging:              &awscodebuild.LoggingOptions{CloudWatch: &awscodebuild.CloudWatchLoggingOptions{LogGroup: pl.logGroup}},
	})
	pl.buildRole = r
	pl.logStatements(r)
	pl.artifactStatements(r)
	pl.connectionStatements(r, build.Inputs)
	pl.variableStatements(r, b.EnvironmentVariables)
	// A buildspec in the repository may file test reports: CodeBuild names
	// their groups <project>-<report>.
	groups := awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String(fmt.Sprintf("arn:%s:codebuild:%s:%s:report-group/", pl.props.Partition, pl.stackRegion(), pl.stackAccount())),
		pl.project.ProjectName(), jsii.String("-*")})
	r.add("FileBuildReports", []string{"codebuild:CreateReportGroup", "codebuild:CreateReport", "codebuild:UpdateReport", "codebuild:BatchPutTestCases", "codebuild:BatchPutCodeCoverages"},
		[]*string{groups}, nil)
	r.findings[fmt.Sprintf("Resource::arn:%s:codebuild:%s:%s:report-group/<%s>-*", pl.props.Partition, pl.nagRegion(), pl.nagAccount(), nag.LogicalID(pl.project))] =
		"CodeBuild names the report groups of a buildspec's reports <project>-<report>: the build may file reports in its own project's groups only."
	if b.Cache == "s3" {
		cache := awscdk.Fn_Join(jsii.String(""), &[]*string{pl.props.Store.Bucket().BucketArn(), jsii.String("/build-cache/*")})
		r.add("UseBuildCache", []string{"s3:GetObject", "s3:PutObject"}, []*string{cache}, nil)
		r.findings["Resource::<"+nag.LogicalID(pl.props.Store.Bucket())+".Arn>/build-cache/*"] = "The build cache is CodeBuild's objects under build-cache/ of the artifact bucket, which no other project reads."
	}
	pl.buildAssetStatements(r)
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
// and the CodeBuild test action. The suite's role may read its input
// artifact and file reports in its own report group; it writes no
// artifact.
func (pl *Pipeline) suiteAction(a *plan.Action, k *plan.SuiteAction) awscodepipeline.IAction {
	s, b := k.Suite, pl.plan.Input.Build
	id := k.Stage + "-" + s.Name
	spec := map[string]interface{}{
		"version": "0.2",
		"phases":  map[string]interface{}{"build": map[string]interface{}{"commands": s.Commands}},
	}
	var group awscodebuild.ReportGroup
	if s.Reports != nil {
		// The group goes with its suite, reports and all (DeleteReports:
		// CodeBuild deletes no group that holds reports). Retained under
		// its fixed name, it would make the suite's return fail ("already
		// exists"): CloudFormation's automatic import cannot take a report
		// group back, whose primary identifier is its ARN
		// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/import-resources-automatically.html).
		// CodeBuild keeps a report 30 days only, and exports none here
		// (https://docs.aws.amazon.com/codebuild/latest/userguide/test-view-reports.html).
		group = awscodebuild.NewReportGroup(pl.Construct, jsii.String(id+"-Reports"), &awscodebuild.ReportGroupProps{
			ReportGroupName: values.Optional(s.ReportGroupName),
			Type:            awscodebuild.ReportGroupType_TEST,
			RemovalPolicy:   awscdk.RemovalPolicy_DESTROY,
			DeleteReports:   jsii.Bool(true),
		})
		spec["reports"] = map[string]interface{}{
			*group.ReportGroupArn(): map[string]interface{}{"files": s.Reports.Files, "file-format": s.Reports.Format},
		}
	}
	r := pl.newProjectRole(id, s.ProjectName, "", k.Stage+" suite "+s.Name+": reads its input artifact, writes none")
	r.reads = a.Inputs
	project := pl.newProject(id, r, &awscodebuild.PipelineProjectProps{
		ProjectName: values.Optional(s.ProjectName),
		Description: jsii.String(k.Stage + " suite " + s.Name),
		BuildSpec:   awscodebuild.BuildSpec_FromObject(&spec),
		Timeout:     awscdk.Duration_Minutes(jsii.Number(float64(b.TimeoutMinutes))),
		Environment: &awscodebuild.BuildEnvironment{
			BuildImage:  awscodebuild.LinuxBuildImage_FromCodeBuildImageId(jsii.String(b.Image)),
			ComputeType: computeTypes[b.ComputeType],
		},
		Logging: &awscodebuild.LoggingOptions{CloudWatch: &awscodebuild.CloudWatchLoggingOptions{LogGroup: pl.logGroup, Prefix: jsii.String(id)}},
	})
	pl.logStatements(r)
	pl.artifactStatements(r)
	pl.connectionStatements(r, a.Inputs)
	if group != nil {
		r.add("FileReports", []string{"codebuild:CreateReport", "codebuild:UpdateReport", "codebuild:BatchPutTestCases", "codebuild:BatchPutCodeCoverages"},
			[]*string{group.ReportGroupArn()}, nil)
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

// gitOpsProject is the shared project of the GitOps steps; its role may
// read the steps' input (the build output, or the source without a build)
// and the GitOps tokens.
func (pl *Pipeline) gitOpsProject() awscodebuild.PipelineProject {
	if pl.gitOps != nil {
		return pl.gitOps
	}
	r := pl.newProjectRole("GitOps", pl.props.GitOpsProjectName, "", "Commits the new release to the GitOps repository")
	r.reads = pl.kindInputs(func(k plan.Kind) bool { _, ok := k.(*plan.GitOpsStep); return ok })
	pl.gitOps = pl.stepProject("GitOps", pl.props.GitOpsProjectName, r, "Commits the new release to the GitOps repository", gitOpsBuildSpec())
	var secrets []string
	pl.eachAction(func(a *plan.Action) {
		if k, ok := a.Kind.(*plan.GitOpsStep); ok {
			secrets = append(secrets, secretPattern(k.Release.TokenSecret))
		}
	})
	pl.secretStatement(r, "ReadGitOpsToken", secrets)
	if pl.usesPipelineVariables(func(a *plan.Action) bool { _, ok := a.Kind.(*plan.GitOpsStep); return ok }) {
		pl.readExecutionStatement(r)
	}
	return pl.gitOps
}

// helmProject is the project of deployment d's Helm step, one per
// deployment: its role may read its input (the build output, or the
// source without a build) and assume that
// deployment's deploy role only, whose trust names this role only.
func (pl *Pipeline) helmProject(d *plan.Deployment, k *plan.HelmStep) awscodebuild.PipelineProject {
	if p, ok := pl.helm[d.Name]; ok {
		return p
	}
	id := "Helm-" + d.Name
	description := "Deploys the Helm chart to EKS as the deploy role of " + d.Name
	r := pl.newProjectRole(id, k.Release.ProjectName, k.Release.RoleName, description)
	r.reads = pl.kindInputs(func(x plan.Kind) bool { _, ok := x.(*plan.HelmStep); return ok })
	p := pl.stepProject(id, k.Release.ProjectName, r, description, helmBuildSpec())
	r.add("AssumeDeployRole", []string{"sts:AssumeRole"}, *jsii.Strings(k.AssumeRoleArn), nil)
	if pl.usesPipelineVariables(func(a *plan.Action) bool {
		_, ok := a.Kind.(*plan.HelmStep)
		return ok && pl.deployment(a).Name == d.Name
	}) {
		pl.readExecutionStatement(r)
	}
	pl.helm[d.Name] = p
	return p
}

// stepProject is a CodeBuild project for a deploy step, with role r,
// encrypted with the artifact key and logging to the build log group; r
// may read the artifacts r.reads (set first) and use the connection of a
// full-clone source among them, which CodeBuild clones with r.
func (pl *Pipeline) stepProject(id, name string, r *projectRole, description string, spec awscodebuild.BuildSpec) awscodebuild.PipelineProject {
	return pl.stepProjectWith(id, name, r, description, spec, false)
}

// stepProjectWith is stepProject, privileged (running Docker) on request.
func (pl *Pipeline) stepProjectWith(id, name string, r *projectRole, description string, spec awscodebuild.BuildSpec, privileged bool) awscodebuild.PipelineProject {
	project := pl.newProject(id, r, &awscodebuild.PipelineProjectProps{
		ProjectName: values.Optional(name),
		Description: jsii.String(description),
		BuildSpec:   spec,
		Timeout:     awscdk.Duration_Minutes(jsii.Number(defaults.StepTimeoutMinutes)),
		Environment: &awscodebuild.BuildEnvironment{
			BuildImage:  awscodebuild.LinuxBuildImage_FromCodeBuildImageId(jsii.String(pl.plan.Input.Build.Image)),
			ComputeType: awscodebuild.ComputeType_SMALL,
			Privileged:  jsii.Bool(privileged),
		},
		Logging: &awscodebuild.LoggingOptions{CloudWatch: &awscodebuild.CloudWatchLoggingOptions{LogGroup: pl.logGroup}},
	})
	pl.logStatements(r)
	pl.artifactStatements(r)
	pl.connectionStatements(r, values.SortedUnique(r.reads))
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
			"build": map[string]interface{}{"commands": gitOpsCommands},
		},
	})
}

// gitOpsCommands are the build commands of the GitOps step (see
// gitOpsBuildSpec). GITOPS_VALUE, which CodePipeline may fill from a
// variable, is only ever expanded inside double quotes or read by yq from
// the environment (strenv): one value, never shell code or a yq
// expression.
var gitOpsCommands = []string{
	fetchVariablesCommand,
	`if [ -n "$RELAY_EXECUTION_ID" ]; then ` + fillCommand("GITOPS_VALUE", `"${TMPDIR:-/tmp}/gitops-value"`) + ` || exit 1; GITOPS_VALUE="$(cat "${TMPDIR:-/tmp}/gitops-value"; printf x)"; GITOPS_VALUE="${GITOPS_VALUE%x}"; export GITOPS_VALUE; fi`,
	`git clone --depth 1 --branch "$GITOPS_BRANCH" "https://x-access-token:${GITOPS_TOKEN}@${GITOPS_REPOSITORY#https://}" gitops`,
	`"$(go env GOPATH)/bin/yq" -i "${GITOPS_KEY} = strenv(GITOPS_VALUE)" "gitops/${GITOPS_FILE}"`,
	`git -C gitops -c user.name=relay-pipeline -c user.email=relay-pipeline@users.noreply.github.com commit -am "relay: set ${GITOPS_KEY} to ${GITOPS_VALUE} in ${GITOPS_FILE}" || echo "relay: ${GITOPS_FILE} already has ${GITOPS_KEY} = ${GITOPS_VALUE}"`,
	`git -C gitops push origin "HEAD:${GITOPS_BRANCH}"`,
}

// fetchVariablesCommand writes the pipeline variables of the running
// execution, as GetPipelineExecution returns them (a JSON list of name and
// resolvedValue;
// https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipelineExecution.html,
// https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ResolvedPipelineVariable.html),
// to $TMPDIR/relay-variables.json, when the action carries
// RELAY_EXECUTION_ID (#{codepipeline.PipelineExecutionId}): it does when
// a value uses a pipeline variable (values.VariableTemplate). The
// pipeline is RELAY_PIPELINE, or with a generated name the one CodeBuild
// names in CODEBUILD_INITIATOR ("codepipeline/<name>";
// https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html).
// It runs with the project role's credentials, before any other.
const fetchVariablesCommand = `if [ -n "$RELAY_EXECUTION_ID" ]; then aws codepipeline get-pipeline-execution --pipeline-name "${RELAY_PIPELINE:-${CODEBUILD_INITIATOR#codepipeline/}}" --pipeline-execution-id "$RELAY_EXECUTION_ID" --query 'pipelineExecution.variables' --output json > "${TMPDIR:-/tmp}/relay-variables.json" || exit 1; fi`

// fillScript is the python3 program (in CodeBuild's standard images) that
// fills the placeholders of a value: argv[1] is the variables' JSON file,
// argv[2] the name of the environment variable holding the template. It
// writes the template with each %{relay.variables.NAME} replaced by that
// variable's resolvedValue, in one pass (a value holding a placeholder
// stays as it is) to standard output, and fails naming a variable the
// execution lacks. Neither value nor template is ever shell code: they are
// read from a file and the environment, and written as bytes. It holds no
// single quote, so it fits in one.
const fillScript = `import json,os,re,sys; p=r"` + values.VariablePlaceholderPattern + `"; ` +
	`v={x["name"]: x.get("resolvedValue", "") for x in (json.load(open(sys.argv[1])) or [])}; t=os.environ.get(sys.argv[2], ""); ` +
	`miss=[n for n in re.findall(p, t) if n not in v]; miss and sys.exit("relay: the pipeline execution has no variable " + miss[0]); ` +
	`sys.stdout.buffer.write(re.sub(p, lambda m: v[m.group(1)], t).encode("utf-8", "surrogateescape"))`

// fillCommand runs fillScript on the template in the environment variable
// named by nameArg (a shell word) and writes the value to outFile (a shell
// word).
func fillCommand(nameArg, outFile string) string {
	return `python3 -c '` + fillScript + `' "${TMPDIR:-/tmp}/relay-variables.json" ` + nameArg + ` > ` + outFile
}

// helmBuildSpec assumes the environment's deploy role (the EKS access
// entry maps it to edit rights in the release's namespace), writes the
// cluster's kubeconfig with those credentials, and upgrades the release
// atomically: a failed upgrade rolls back and fails the action. The
// namespace must exist: the access entry is namespace-scoped and may not
// create it (no --create-namespace).
//
// Values reach helm encoded for it at run time: each --set value (which
// CodePipeline may have filled from a variable such as #{variables.tag})
// is written to a file and passed with --set-file key=file, so a comma,
// equals sign or brace in a value is part of that one value and never a
// further key. The keys (HELM_SET_KEYS, space-separated) are Helm value
// paths checked at synth; the release and chart follow "--", so neither can
// be read as a flag.
func helmBuildSpec() awscodebuild.BuildSpec {
	return awscodebuild.BuildSpec_FromObject(&map[string]interface{}{
		"version": "0.2",
		"env":     map[string]interface{}{"shell": "bash"},
		"phases": map[string]interface{}{
			"install": map[string]interface{}{"commands": []string{
				"go install " + helmModule,
			}},
			"build": map[string]interface{}{"commands": helmCommands},
		},
	})
}

// helmCommands are the build commands of the Helm step (see helmBuildSpec).
var helmCommands = []string{
	fetchVariablesCommand,
	`creds=$(aws sts assume-role --role-arn "$DEPLOY_ROLE_ARN" --role-session-name relay-helm --query "Credentials.[AccessKeyId,SecretAccessKey,SessionToken]" --output text)`,
	`read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN <<< "$creds" && export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN`,
	`aws eks update-kubeconfig --name "$EKS_CLUSTER" --region "$EKS_REGION"`,
	`args=(upgrade --install --namespace "$HELM_NAMESPACE" --atomic --wait --timeout 15m)`,
	`if [ -n "$HELM_VALUES" ]; then args+=(--values "$HELM_VALUES"); fi`,
	`read -ra keys <<< "$HELM_SET_KEYS"; for i in "${!keys[@]}"; do v="HELM_SET_$i" f="${TMPDIR:-/tmp}/helm-set-$i"; if [ -n "$RELAY_EXECUTION_ID" ]; then ` + fillCommand(`"$v"`, `"$f"`) + ` || exit 1; else printf '%s' "${!v}" > "$f"; fi; args+=(--set-file "${keys[$i]}=$f"); done`,
	`"$(go env GOPATH)/bin/helm" "${args[@]}" -- "$HELM_RELEASE" "$HELM_CHART"`,
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
