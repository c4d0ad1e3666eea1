package pipeline

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipeline"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipelineactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/assets"
	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/plan"
)

// The blueprint types of the Assets and UpdatePipeline stages.
type (
	Assets        = plan.Assets
	SelfUpdate    = plan.SelfUpdate
	AccountRegion = plan.AccountRegion
)

// AssetStore names the asset bucket and image repository of one region in
// the pipeline's account (create them with assets.NewStore).
type AssetStore struct {
	// BucketName is the asset bucket. Required.
	BucketName string
	// RepositoryName is the image repository, or "" without images.
	RepositoryName string
}

// publishProject is the shared project of the publish actions, created on
// first use: it may write the asset stores of the regions it publishes to,
// and nothing else besides its input artifact and logs.
func (pl *Pipeline) publishProject(a *plan.Assets) awscodebuild.PipelineProject {
	if pl.publish != nil {
		return pl.publish
	}
	description := "Publishes the workload's assets to the asset stores of each region"
	r := pl.newProjectRole("Publish", a.ProjectName, "", description)
	r.reads = pl.kindInputs(func(k plan.Kind) bool { _, ok := k.(*plan.PublishAssets); return ok })
	p := pl.stepProjectWith("Publish", a.ProjectName, r, description, awscodebuild.BuildSpec_FromObject(toPtr(assets.PublishBuildSpec())), a.Images)
	pl.publish = p
	var buckets, objects, repos []string
	for _, r := range a.Regions {
		s := pl.props.AssetStores[r]
		buckets = append(buckets, fmt.Sprintf("arn:%s:s3:::%s", pl.props.Partition, s.BucketName))
		objects = append(objects, fmt.Sprintf("arn:%s:s3:::%s/*", pl.props.Partition, s.BucketName))
		if a.Images {
			repos = append(repos, fmt.Sprintf("arn:%s:ecr:%s:%s:repository/%s", pl.props.Partition, r, pl.stackAccount(), s.RepositoryName))
		}
	}
	for _, st := range publishStatements(buckets, objects, repos) {
		r.role.AddToPolicy(st)
	}
	reason := "The publish step writes assets under keys that are their content hashes, in the asset buckets of this pipeline only."
	if a.Images {
		reason += " ecr:GetAuthorizationToken supports no resource-level permission (https://docs.aws.amazon.com/AmazonECR/latest/userguide/security_iam_service-with-iam.html); pushes are limited to this pipeline's repositories."
		r.findings["Resource::*"] = reason
	}
	for _, o := range objects {
		r.findings["Resource::"+o] = reason
	}
	return p
}

// publishStatements are the publish role's grants: read and write the
// asset buckets' objects, list them (a missing object is then a 404 rather
// than a 403), push to and describe the repositories.
func publishStatements(buckets, objects, repos []string) []awsiam.PolicyStatement {
	out := []awsiam.PolicyStatement{
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid: jsii.String("WriteAssets"), Actions: jsii.Strings("s3:GetObject", "s3:PutObject"), Resources: jsii.Strings(values.SortedUnique(objects)...),
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid: jsii.String("ListAssets"), Actions: jsii.Strings("s3:ListBucket"), Resources: jsii.Strings(values.SortedUnique(buckets)...),
		}),
	}
	if len(repos) > 0 {
		out = append(out,
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid: jsii.String("LogInToRegistry"), Actions: jsii.Strings("ecr:GetAuthorizationToken"), Resources: jsii.Strings("*"),
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid: jsii.String("PushImages"),
				Actions: jsii.Strings("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:DescribeImages",
					"ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"),
				Resources: jsii.Strings(values.SortedUnique(repos)...),
			}))
	}
	return out
}

// publishAction renders one region's publish action.
func (pl *Pipeline) publishAction(a *plan.Action, k *plan.PublishAssets) awscodepipeline.IAction {
	project := pl.publishProject(k.Assets)
	store := pl.props.AssetStores[k.Region]
	vars := map[string]string{
		"RELAY_REGION":          k.Region,
		"RELAY_ASSET_BUCKET":    store.BucketName,
		"RELAY_TOOLING_ACCOUNT": pl.stackAccount(),
		"RELAY_MANIFESTS":       k.Assets.Manifests,
	}
	if k.Assets.Images {
		vars["RELAY_ASSET_REPOSITORY"] = store.RepositoryName
	}
	return awscodepipelineactions.NewCodeBuildAction(&awscodepipelineactions.CodeBuildActionProps{
		ActionName:           jsii.String(a.Name),
		RunOrder:             jsii.Number(float64(a.RunOrder)),
		Project:              project,
		Input:                pl.artifact(a.Inputs[0]),
		EnvironmentVariables: plainVariables(vars),
	})
}

// selfUpdateProject is the project of the UpdatePipeline stage. Its role
// may assume only the CDK bootstrap deploy and file-publishing roles of the
// accounts and regions of the Relay stacks, and read, start and stop this
// pipeline's executions: no iam:PassRole, no AdministratorAccess (what the
// stacks may create is bounded by the bootstrap's execution policy).
func (pl *Pipeline) selfUpdateProject(s *plan.SelfUpdate) awscodebuild.PipelineProject {
	description := "Synthesizes the Relay app from the source and deploys its stacks"
	r := pl.newProjectRole("SelfUpdate", s.ProjectName, "", description)
	r.reads = pl.kindInputs(func(k plan.Kind) bool { _, ok := k.(*plan.UpdatePipeline); return ok })
	p := pl.stepProject("SelfUpdate", s.ProjectName, r, description, selfUpdateBuildSpec(s, pl.props.PipelineName))
	pl.selfUpdate = p
	var roles []string
	for _, e := range s.Environments {
		for _, kind := range []string{"deploy", "file-publishing"} {
			roles = append(roles, fmt.Sprintf("arn:%s:iam::%s:role/cdk-%s-%s-role-%s-%s", pl.props.Partition, e.Account, s.Qualifier, kind, e.Account, e.Region))
		}
	}
	r.add("AssumeBootstrapRoles", []string{"sts:AssumeRole"}, *jsii.Strings(values.SortedUnique(roles)...), nil)
	pipelineArn := fmt.Sprintf("arn:%s:codepipeline:%s:%s:%s", pl.props.Partition, pl.stackRegion(), pl.stackAccount(), pl.props.PipelineName)
	r.add("RestartOnNewDefinition", []string{"codepipeline:GetPipeline", "codepipeline:GetPipelineExecution", "codepipeline:StartPipelineExecution", "codepipeline:StopPipelineExecution"},
		*jsii.Strings(pipelineArn), nil)
	return p
}

// selfUpdateBuildSpec deploys every stack of the Relay app with the CDK
// CLI, in dependency order (targets first: the tooling stack depends on
// them), with --import-existing-resources: a named resource that Relay
// retains when its setting is removed (an asset or audit bucket, a log
// group, the asset image repository) is taken back into its stack when the
// setting returns, where CloudFormation would otherwise fail to create it
// ("already exists"; https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/import-resources-automatically.html).
// Then it compares the pipeline's version with the one this execution
// runs on: when the deploy changed the pipeline, it starts an execution of
// the same source revision on the new definition and stops this one.
func selfUpdateBuildSpec(s *plan.SelfUpdate, pipelineName string) awscodebuild.BuildSpec {
	return awscodebuild.BuildSpec_FromObject(&map[string]interface{}{
		"version": "0.2",
		"env": map[string]interface{}{"shell": "bash", "variables": map[string]interface{}{
			"GOTOOLCHAIN":       "auto",
			"RELAY_PIPELINE":    pipelineName,
			"RELAY_APP":         s.App,
			"RELAY_CONFIG":      s.ConfigPath,
			"RELAY_QUALIFIER":   s.Qualifier,
			"RELAY_CDK_VERSION": defaults.CDKCLIVersion,
		}},
		"phases": map[string]interface{}{
			"build": map[string]interface{}{"commands": selfUpdateCommands},
		},
	})
}

// selfUpdateCommands are the build commands of the self-update (see
// selfUpdateBuildSpec). The values CodePipeline fills at run time
// (RELAY_EXECUTION_ID, RELAY_SOURCE_REVISION, RELAY_EXTRA_REVISION_<n>) are
// only ever expanded inside double quotes: one argument each, never shell
// code. A restart pins every source's revision, the primary's and each
// extra source's, as items of one --source-revisions list (the AWS CLI
// keeps only the last of a repeated option).
var selfUpdateCommands = []string{
	`test -f go.mod || { echo "relay: no go.mod in the source: the self-update runs the Relay app at the version the delivery repository's go.mod requires"; exit 1; }`,
	`test -f "$RELAY_CONFIG" || { echo "relay: no $RELAY_CONFIG in the source"; exit 1; }`,
	`before=$(aws codepipeline get-pipeline-execution --pipeline-name "$RELAY_PIPELINE" --pipeline-execution-id "$RELAY_EXECUTION_ID" --query pipelineExecution.pipelineVersion --output text)`,
	`npx --yes "aws-cdk@$RELAY_CDK_VERSION" deploy --all --app "go run $RELAY_APP" --context "config=$RELAY_CONFIG" --context "@aws-cdk/core:bootstrapQualifier=$RELAY_QUALIFIER" --require-approval never --import-existing-resources --concurrency 1 --progress events`,
	`after=$(aws codepipeline get-pipeline --name "$RELAY_PIPELINE" --query pipeline.version --output text)`,
	strings.Join([]string{
		`if [ "$after" != "$before" ]; then`,
		`  args=(--name "$RELAY_PIPELINE") revisions=()`,
		`  if [ -n "$RELAY_REVISION_TYPE" ]; then revisions+=("actionName=$RELAY_SOURCE_ACTION,revisionType=$RELAY_REVISION_TYPE,revisionValue=$RELAY_SOURCE_REVISION"); fi`,
		`  for v in $(compgen -v RELAY_EXTRA_REVISION_ | sort -t _ -k 4 -n); do revisions+=("${!v}"); done`,
		`  if [ ${#revisions[@]} -gt 0 ]; then args+=(--source-revisions "${revisions[@]}"); fi`,
		`  next=$(aws codepipeline start-pipeline-execution "${args[@]}" --query pipelineExecutionId --output text)`,
		`  echo "relay: the pipeline changed (version $before to $after): execution $next runs this revision on the new definition; this execution stops before any deployment"`,
		`  aws codepipeline stop-pipeline-execution --pipeline-name "$RELAY_PIPELINE" --pipeline-execution-id "$RELAY_EXECUTION_ID" --abandon --reason "Superseded by $next on pipeline version $after" || exit 1`,
		`fi`,
	}, "\n"),
}

// selfUpdateAction renders the self-update action.
func (pl *Pipeline) selfUpdateAction(a *plan.Action, k *plan.UpdatePipeline) awscodepipeline.IAction {
	project := pl.selfUpdateProject(k.SelfUpdate)
	vars := map[string]string{}
	for name, v := range k.Variables {
		if v != "" {
			vars[name] = v
		}
	}
	return awscodepipelineactions.NewCodeBuildAction(&awscodepipelineactions.CodeBuildActionProps{
		ActionName:           jsii.String(a.Name),
		Project:              project,
		Input:                pl.artifact(a.Inputs[0]),
		EnvironmentVariables: plainVariables(vars),
	})
}

// buildAssetStatements let the build itself upload packaged code (aws
// cloudformation package, sam package) and images to every asset store of
// AssetStores (one per region deployed to), which the project's
// RELAY_ASSET_BUCKETS and RELAY_ASSET_REPOSITORIES name.
func (pl *Pipeline) buildAssetStatements(r *projectRole) {
	if !pl.props.BuildAssets {
		return
	}
	var buckets, objects, repos []string
	for _, region := range slices.Sorted(maps.Keys(pl.props.AssetStores)) {
		s := pl.props.AssetStores[region]
		bucket := fmt.Sprintf("arn:%s:s3:::%s", pl.props.Partition, s.BucketName)
		buckets, objects = append(buckets, bucket), append(objects, bucket+"/*")
		if s.RepositoryName != "" {
			repos = append(repos, fmt.Sprintf("arn:%s:ecr:%s:%s:repository/%s", pl.props.Partition, region, pl.stackAccount(), s.RepositoryName))
		}
	}
	if len(buckets) == 0 {
		return
	}
	for _, st := range publishStatements(buckets, objects, repos) {
		r.role.AddToPolicy(st)
	}
	reason := "The build packages code into the asset buckets of this pipeline under keys that are content hashes (aws cloudformation package); ecr:GetAuthorizationToken supports no resource-level permission."
	for _, o := range objects {
		r.findings["Resource::"+o] = reason
	}
	if len(repos) > 0 {
		r.findings["Resource::*"] = reason
	}
}

// buildAssetVariables are the build project's variables that name the
// asset stores: RELAY_ASSET_BUCKETS (and, with images,
// RELAY_ASSET_REPOSITORIES) list every store as region=bucket (region=
// repository URI), space-separated and sorted by region, for a build that
// packages once per region; RELAY_ASSET_BUCKET, RELAY_ASSET_REGION and
// RELAY_ASSET_REPOSITORY name the store of the pipeline's region, or the
// only store when the pipeline's region has none.
func (pl *Pipeline) buildAssetVariables() map[string]string {
	if !pl.props.BuildAssets || len(pl.props.AssetStores) == 0 {
		return nil
	}
	uri := func(region, name string) string {
		return fmt.Sprintf("%s.dkr.ecr.%s.%s/%s", pl.stackAccount(), region, *awscdk.Aws_URL_SUFFIX(), name)
	}
	vars := map[string]string{}
	var buckets, repos []string
	for _, region := range slices.Sorted(maps.Keys(pl.props.AssetStores)) {
		s := pl.props.AssetStores[region]
		buckets = append(buckets, region+"="+s.BucketName)
		if s.RepositoryName != "" {
			repos = append(repos, region+"="+uri(region, s.RepositoryName))
		}
	}
	vars["RELAY_ASSET_BUCKETS"] = strings.Join(buckets, " ")
	if len(repos) > 0 {
		vars["RELAY_ASSET_REPOSITORIES"] = strings.Join(repos, " ")
	}
	region := pl.stackRegion()
	if _, ok := pl.props.AssetStores[region]; !ok && len(pl.props.AssetStores) == 1 {
		region = slices.Collect(maps.Keys(pl.props.AssetStores))[0]
	}
	if s, ok := pl.props.AssetStores[region]; ok {
		vars["RELAY_ASSET_BUCKET"], vars["RELAY_ASSET_REGION"] = s.BucketName, region
		if s.RepositoryName != "" {
			vars["RELAY_ASSET_REPOSITORY"] = uri(region, s.RepositoryName)
		}
	}
	return vars
}

// checkAssetStores reports the regions of the Assets stage without a store
// in Props.AssetStores.
func checkAssetStores(p *Props, planned *plan.Pipeline) []error {
	var errs []error
	if a := planned.Input.Assets; a != nil {
		for _, r := range a.Regions {
			s, ok := p.AssetStores[r]
			switch {
			case !ok || s.BucketName == "":
				errs = append(errs, fmt.Errorf("AssetStores[%q]: required for the Assets stage; create one with assets.NewStore", r))
			case a.Images && s.RepositoryName == "":
				errs = append(errs, fmt.Errorf("AssetStores[%q].RepositoryName: required with Assets.Images", r))
			}
		}
	}
	if planned.Input.SelfUpdate != nil && p.PipelineName == "" {
		errs = append(errs, fmt.Errorf("PipelineName: required with SelfUpdate (the self-update restarts the pipeline by name)"))
	}
	if p.BuildAssets && len(p.AssetStores) == 0 {
		errs = append(errs, fmt.Errorf("AssetStores: required with BuildAssets (the build uploads to the store of each region deployed to)"))
	}
	// A store that neither the Assets stage publishes to nor the build
	// uploads to is left out of every grant and variable: its assets
	// would never arrive.
	published := map[string]bool{}
	if a := planned.Input.Assets; a != nil {
		for _, r := range a.Regions {
			published[r] = true
		}
	}
	for _, r := range slices.Sorted(maps.Keys(p.AssetStores)) {
		s := p.AssetStores[r]
		switch {
		case p.BuildAssets && s.BucketName == "":
			errs = append(errs, fmt.Errorf("AssetStores[%q].BucketName: required with BuildAssets (the build uploads to every store); give the store's bucket (naming.Names.AssetBucket) or remove the store", r))
		case p.BuildAssets || published[r]:
		case planned.Input.Assets == nil:
			errs = append(errs, fmt.Errorf("AssetStores[%q]: set without Assets or BuildAssets, so nothing publishes or uploads to it and no role may write it; set Assets (an Assets stage publishes to the stores) or BuildAssets (the build uploads), or remove AssetStores", r))
		default:
			errs = append(errs, fmt.Errorf("AssetStores[%q]: not among Assets.Regions (%s) and BuildAssets is off, so nothing publishes to it; add %s to Assets.Regions, or remove the store", r, strings.Join(planned.Input.Assets.Regions, ", "), r))
		}
	}
	if p.BuildAssets {
		errs = append(errs, packagedTemplatesPerRegion(planned.Input)...)
	}
	return errs
}

// packagedTemplatesPerRegion reports, for a build that packages its
// templates (BuildAssets), a stack template deployed in more than one
// region: a packaged template names the asset bucket of one region, and
// Lambda reads a function's code from a bucket in its own region
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-code.html),
// so each region needs a template of its own (Deployment.Regional), and a
// StackSet, which deploys one template to all its regions, one region; a
// StackSet's template counts in that region like an account's.
func packagedTemplatesPerRegion(in plan.Input) []error {
	var errs []error
	first := map[string]string{} // template path -> "Deployments[i] in region"
	for i, d := range in.Deployments {
		switch d.Target.(type) {
		case *plan.StackSetAccounts, *plan.OrganizationalUnits:
			if len(d.Regions) > 1 {
				errs = append(errs, fmt.Errorf("Deployments[%d].Regions %q: with BuildAssets, a StackSet deploys one packaged template to every region, and it names the asset bucket of one region, from which Lambda in the others cannot read; give the deployment one region (a deployment per region)", i, strings.Join(d.Regions, ",")))
				continue
			}
			// A StackSet of one region reads its template there, like
			// an account's deployment in that region.
		}
		for _, r := range d.Regions {
			for _, c := range d.ComponentsIn(r) {
				st, ok := c.Release.(*plan.Stack)
				if !ok {
					continue
				}
				where := fmt.Sprintf("Deployments[%d] in %s", i, r)
				if prev, seen := first[st.TemplatePath]; !seen {
					first[st.TemplatePath] = where
				} else if !strings.HasSuffix(prev, " in "+r) {
					errs = append(errs, fmt.Errorf("%s: TemplatePath %q is deployed in %s too: with BuildAssets, a packaged template names the asset bucket of one region, from which Lambda in another cannot read; package once per region and give each region its own TemplatePath (Deployment.Regional)", where, st.TemplatePath, prev))
				}
			}
		}
	}
	return errs
}

func toPtr(m map[string]interface{}) *map[string]interface{} { return &m }

// withAssetVariables adds the asset store's variables to the project's.
func withAssetVariables(vars *map[string]*awscodebuild.BuildEnvironmentVariable, add map[string]string) *map[string]*awscodebuild.BuildEnvironmentVariable {
	if len(add) == 0 {
		return vars
	}
	out := map[string]*awscodebuild.BuildEnvironmentVariable{}
	if vars != nil {
		out = *vars
	}
	for k, v := range add {
		out[k] = &awscodebuild.BuildEnvironmentVariable{Value: jsii.String(v)}
	}
	return &out
}

// kindInputs are the input artifacts of the actions whose kind is, for a
// project shared by several actions.
func (pl *Pipeline) kindInputs(is func(plan.Kind) bool) []string {
	var out []string
	pl.eachAction(func(a *plan.Action) {
		if is(a.Kind) {
			out = append(out, a.Inputs...)
		}
	})
	return out
}
