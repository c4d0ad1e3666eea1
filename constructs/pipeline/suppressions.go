package pipeline

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/plan"
)

// suppressions records, on each role the pipeline created, the cdk-nag
// findings of its wildcards, each exact (appliesTo) and with its reason.
func (pl *Pipeline) suppressions() {
	objects := "Resource::<" + nag.LogicalID(pl.props.Store.Bucket()) + ".Arn>/*"
	kms := []string{"Action::kms:GenerateDataKey*", "Action::kms:ReEncrypt*"}
	nag.Suppress(pl.role, nag.Findings("CodePipeline reads and writes artifacts under keys it generates per execution in its own artifact bucket, encrypted with its own key.",
		append([]string{objects}, kms...)...))
	nag.Suppress(pl.role, nag.ByReason(pl.findings)...)
	nag.InlinePolicy(pl.role, "The pipeline role of "+pl.pipelineName()+": CodePipeline assumes it to run this pipeline's actions and to assume the target accounts' deploy roles.")
	// aws-cdk-lib's Pipeline creates an EventBridge role for sources that
	// start on events (CodeCommit, S3 with EventBridge, ECR).
	if events := pl.pipeline.Node().TryFindChild(jsii.String("EventsRole")); events != nil {
		nag.InlinePolicy(events, "The EventBridge role of pipeline "+pl.pipelineName()+": its rules assume it only to start this pipeline when a source changes.")
	}
	if pl.approver != nil {
		arn := fmt.Sprintf("arn:%s:codepipeline:%s:%s:<%s>", pl.props.Partition, pl.nagRegion(), pl.nagAccount(), nag.LogicalID(pl.pipeline))
		nag.InlinePolicy(pl.approver, "The approver role of pipeline "+pl.pipelineName()+": the principals allowed to approve assume it to approve or reject this pipeline's approval actions, nothing else.")
		nag.Suppress(pl.approver, nag.Findings("The approver role may call codepipeline:PutApprovalResult on this pipeline's approval actions only; the patterns cover each Deploy stage's Approve and Review actions, whose names follow the environments and regions.",
			"Resource::"+arn+"/*/Approve*", "Resource::"+arn+"/*/Review*"))
	}
	if pl.project != nil {
		pl.suppressProject(pl.project, true)
	}
	for _, secret := range pl.secrets {
		nag.Suppress(pl.project.Role(), nag.Findings("aws-cdk-lib grants a Secrets Manager environment variable as the secret's ARN followed by *, which matches that secret's versions only.",
			"Resource::"+secret+"*"))
	}
	for _, p := range pl.suiteProjects {
		pl.suppressProject(p, false)
	}
	for _, p := range pl.stepProjects {
		pl.suppressProject(p, false)
	}
	for _, key := range pl.runOrder {
		rp := pl.runProjects[key]
		pl.suppressProject(rp.project, rp.writes)
		for _, secret := range rp.secrets {
			nag.Suppress(rp.project.Role(), nag.Findings("aws-cdk-lib grants a Secrets Manager environment variable as the secret's ARN followed by *, which matches that secret's versions only.",
				"Resource::"+secret+"*"))
		}
		nag.Suppress(rp.project.Role(), nag.Wildcards("The step's project assumes this step's role in each target account through one pattern; each step role's trust pins this project's role.", rp.assume...))
	}
	if pl.gitOps != nil {
		var tokens []string
		pl.eachAction(func(a *plan.Action) {
			if k, ok := a.Kind.(*plan.GitOpsStep); ok {
				tokens = append(tokens, "Resource::"+k.Release.TokenSecret+"*")
			}
		})
		nag.Suppress(pl.gitOps.Role(), nag.Findings("The GitOps token is a Secrets Manager variable of the action, which aws-cdk-lib grants as the secret's ARN followed by * (its versions).", tokens...))
	}
	if pl.helm != nil {
		nag.Suppress(pl.helm.Role(), nag.Wildcards("The Helm role assumes this pipeline's deploy roles through one pattern; each deploy role's trust pins the Helm role.", pl.deployRoles()...))
	}
}

// suppressProject records the findings of aws-cdk-lib's grants to a
// CodeBuild project in a pipeline: the artifact bucket and key (write too,
// for a project with an output), and the project's own log streams and
// report groups.
func (pl *Pipeline) suppressProject(p awscodebuild.PipelineProject, writes bool) {
	id := nag.LogicalID(p)
	findings := []string{
		"Resource::<" + nag.LogicalID(pl.props.Store.Bucket()) + ".Arn>/*",
		"Action::kms:GenerateDataKey*", "Action::kms:ReEncrypt*",
		"Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*",
		fmt.Sprintf("Resource::arn:<AWS::Partition>:logs:%s:%s:log-group:/aws/codebuild/<%s>:*", pl.nagRegion(), pl.nagAccount(), id),
		fmt.Sprintf("Resource::arn:<AWS::Partition>:codebuild:%s:%s:report-group/<%s>-*", pl.nagRegion(), pl.nagAccount(), id),
	}
	if writes {
		findings = append(findings, "Action::s3:DeleteObject*", "Action::s3:Abort*")
	}
	nag.Each(p, "The project's source is the pipeline's artifact (source type CODEPIPELINE): it has no repository URL that could hold credentials; CodePipeline fetches the source through its own source action (a CodeConnections connection, CodeCommit, S3 or ECR).",
		"PCI.DSS.321-CodeBuildProjectSourceRepoUrl", "HIPAA.Security-CodeBuildProjectSourceRepoUrl")
	nag.InlinePolicy(p.Role(), "The service role of CodeBuild project "+nag.LogicalID(p)+" of pipeline "+pl.pipelineName()+": CodeBuild assumes it for this project's builds only.")
	nag.Suppress(p.Role(), nag.Findings("aws-cdk-lib's CodeBuild grants: the pipeline's own artifact bucket and key (object keys are generated per execution), and the project's own log streams and report groups, whose names CodeBuild generates.", findings...))
}

// nagRegion and nagAccount are the stack's region and account as cdk-nag
// writes them in findings.
func (pl *Pipeline) nagRegion() string {
	if r := awscdk.Stack_Of(pl.Construct).Region(); !*awscdk.Token_IsUnresolved(r) {
		return *r
	}
	return "<AWS::Region>"
}

func (pl *Pipeline) nagAccount() string {
	if a := awscdk.Stack_Of(pl.Construct).Account(); !*awscdk.Token_IsUnresolved(a) {
		return *a
	}
	return "<AWS::AccountId>"
}

// pipelineName is the pipeline's name as the reasons say it.
func (pl *Pipeline) pipelineName() string {
	if n := pl.props.PipelineName; n != "" {
		return n
	}
	return *pl.Node().Path()
}
