package pipeline

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/values"
)

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

// gitOpsProject is the shared project of the GitOps steps.
func (pl *Pipeline) gitOpsProject(p Props) awscodebuild.PipelineProject {
	if pl.gitOps != nil {
		return pl.gitOps
	}
	pl.gitOps = pl.stepProject(p, "GitOps", p.GitOpsProjectName, "", "Commits the new release to the GitOps repository", gitOpsBuildSpec())
	var secrets []string
	for _, d := range p.Deployments {
		for _, r := range d.Regions {
			if rel := d.releaseIn(r); rel != nil && rel.GitOps != nil {
				secrets = append(secrets, rel.GitOps.TokenSecret)
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
func (pl *Pipeline) helmProject(p Props) awscodebuild.PipelineProject {
	if pl.helm != nil {
		return pl.helm
	}
	pl.helm = pl.stepProject(p, "Helm", p.HelmProjectName, p.HelmRoleName, "Deploys the Helm chart to EKS as the environment's deploy role", helmBuildSpec())
	pl.helm.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("AssumeDeployRoles"),
		Actions:   jsii.Strings("sts:AssumeRole"),
		Resources: jsii.Strings(values.SortedUnique(deployRoles(p))...),
	}))
	return pl.helm
}

// stepProject is a CodeBuild project for a deploy step, encrypted with the
// artifact key and logging to the build log group.
func (pl *Pipeline) stepProject(p Props, id, name, roleName, description string, spec awscodebuild.BuildSpec) awscodebuild.PipelineProject {
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
		EncryptionKey: p.Store.Key(),
		Timeout:       awscdk.Duration_Minutes(jsii.Number(30)),
		Environment: &awscodebuild.BuildEnvironment{
			BuildImage:  awscodebuild.LinuxBuildImage_FromCodeBuildImageId(jsii.String(p.Build.Image)),
			ComputeType: awscodebuild.ComputeType_SMALL,
		},
		Logging: &awscodebuild.LoggingOptions{CloudWatch: &awscodebuild.CloudWatchLoggingOptions{LogGroup: pl.logGroup}},
	})
	pl.stepProjects = append(pl.stepProjects, project)
	return project
}
