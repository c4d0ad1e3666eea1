package pipeline

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/nag"
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
	// The projects' roles: their artifact objects, report groups, cache
	// and secrets (projects.go).
	for _, r := range pl.roles {
		nag.Suppress(r.role, nag.ByReason(r.findings)...)
		nag.InlinePolicy(r.role, "The service role of CodeBuild project "+nag.LogicalID(r.project)+" of pipeline "+pl.pipelineName()+": CodeBuild assumes it for this project's builds only (aws:SourceArn), with only what this project does.")
		nag.Each(r.project, "The project's source is the pipeline's artifact (source type CODEPIPELINE): it has no repository URL that could hold credentials; CodePipeline fetches the source through its own source action (a CodeConnections connection, CodeCommit, S3 or ECR).",
			"PCI.DSS.321-CodeBuildProjectSourceRepoUrl", "HIPAA.Security-CodeBuildProjectSourceRepoUrl")
	}
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
