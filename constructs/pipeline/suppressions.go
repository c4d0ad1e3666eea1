package pipeline

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"

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
