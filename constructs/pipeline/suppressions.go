package pipeline

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"

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
	if pl.approver != nil {
		arn := fmt.Sprintf("arn:%s:codepipeline:%s:%s:<%s>", pl.props.Partition, pl.nagRegion(), pl.nagAccount(), nag.LogicalID(pl.pipeline))
		nag.Suppress(pl.approver, nag.Findings("The approver role may call codepipeline:PutApprovalResult on this pipeline's approval actions only; the patterns cover each Deploy stage's Approve and Review actions, whose names follow the environments and regions.",
			"Resource::"+arn+"/*/Approve*", "Resource::"+arn+"/*/Review*"))
	}
	// The projects' roles: their artifact objects, report groups, cache
	// and secrets (projects.go).
	for _, r := range pl.roles {
		nag.Suppress(r.role, nag.ByReason(r.findings)...)
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
