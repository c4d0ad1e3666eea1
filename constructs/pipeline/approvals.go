package pipeline

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipeline"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipelineactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/plan"
)

// approvalAction renders a manual approval before a deployment, with the
// SNS topic that announces it (encrypted with the artifact key, TLS only).
func (pl *Pipeline) approvalAction(a *plan.Action, k *plan.ApprovalAction) awscodepipeline.IAction {
	d, ap := pl.deployment(a), k.Approval
	topic := awssns.NewTopic(pl.Construct, jsii.String("Approval-"+d.Name), &awssns.TopicProps{
		TopicName:   values.Optional(ap.TopicName),
		DisplayName: jsii.String("Approve deployment to " + d.Name),
		MasterKey:   pl.props.Store.Key(),
		EnforceSSL:  jsii.Bool(true),
	})
	for _, email := range ap.Notify {
		topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(email), nil))
	}
	pl.topics[d.Name] = topic
	pl.topicArns = append(pl.topicArns, topic.TopicArn())
	return awscodepipelineactions.NewManualApprovalAction(&awscodepipelineactions.ManualApprovalActionProps{
		ActionName:            jsii.String(a.Name),
		RunOrder:              jsii.Number(float64(a.RunOrder)),
		NotificationTopic:     topic,
		AdditionalInformation: jsii.String(ap.Comment),
		ExternalEntityLink:    values.Optional(ap.ReviewURL),
		Timeout:               awscdk.Duration_Minutes(jsii.Number(float64(ap.TimeoutMinutes))),
	})
}

// principalAccount is the account of an IAM principal ARN
// (values.PrincipalARN: a role, user or account root, whose path and name
// hold no * or ?), or "".
func principalAccount(arn string) string {
	_, account, _, _ := values.PrincipalARN(arn)
	return account
}

// newApproverRole creates the role whose only power is to approve or reject
// the manual approvals of pl, and to read pl's state to find them. Its trust
// names each principal's account and, except for account roots (accepted
// with ApproverRootsReason), pins the principal ARNs in an aws:PrincipalArn
// condition: the principals need not exist first, and a recreated role keeps
// matching. A principal given as a token that stays a reference has a
// statement of its own, whose account is split from the ARN at deploy time.
// With ApproverMFA each statement requires MFA.
func newApproverRole(scope constructs.Construct, p Props, pl awscodepipeline.Pipeline) awsiam.Role {
	stack := awscdk.Stack_Of(scope)
	byAccount := map[string][]string{}
	roots := map[string]bool{}
	for _, arn := range values.SortedUnique(p.ApproverPrincipals) {
		acct := principalAccount(arn)
		_, _, root, _ := values.PrincipalARN(arn)
		if arns.IsToken(arn) {
			// A reference (a role of the team's own in this account and
			// region, a parameter): its account is read from the ARN at
			// deploy time, and the ARN pinned as it resolves there.
			acct = *stack.SplitArn(jsii.String(arn), awscdk.ArnFormat_SLASH_RESOURCE_NAME).Account
			root = strings.HasSuffix(arn, ":root")
		}
		if root {
			roots[acct] = true
		}
		byAccount[acct] = append(byAccount[acct], arn)
	}
	accounts := make([]string, 0, len(byAccount))
	for a := range byAccount {
		accounts = append(accounts, a)
	}
	sort.Strings(accounts)
	trust := func(acct string) awsiam.IPrincipal {
		principal := awsiam.NewAccountPrincipal(jsii.String(acct))
		conditions := map[string]interface{}{}
		if !roots[acct] {
			conditions["ArnEquals"] = map[string]interface{}{"aws:PrincipalArn": values.OneOrMany(byAccount[acct])}
		}
		if p.ApproverMFA {
			// Absent from credentials issued without MFA: Bool then fails.
			conditions["Bool"] = map[string]interface{}{"aws:MultiFactorAuthPresent": "true"}
		}
		if len(conditions) == 0 {
			return principal
		}
		return principal.WithConditions(&conditions)
	}
	role := awsiam.NewRole(scope, jsii.String("ApproverRole"), &awsiam.RoleProps{
		RoleName:    values.Optional(p.ApproverRoleName),
		Path:        jsii.String(p.RolePath),
		Description: jsii.String("May approve or reject the manual approvals of the delivery pipeline, and nothing else"),
		AssumedBy:   trust(accounts[0]),
	})
	// The roots accepted with ApproverRootsReason, as the trust writes
	// them, for limits.CheckRelayRoles (which refuses other roots).
	var accepted []*string
	for _, acct := range accounts {
		if roots[acct] {
			accepted = append(accepted, awsiam.NewAccountPrincipal(jsii.String(acct)).Arn())
		}
	}
	if len(accepted) > 0 {
		role.Node().DefaultChild().(awscdk.CfnResource).AddMetadata(jsii.String(limits.TrustedRootsMetadata),
			map[string]interface{}{"principals": accepted, "reason": p.ApproverRootsReason})
	}
	for _, acct := range accounts[1:] {
		role.AssumeRolePolicy().AddStatements(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:    jsii.Strings("sts:AssumeRole"),
			Principals: &[]awsiam.IPrincipal{trust(acct)},
		}))
	}
	// Approve* are the approvals before environments, Review* those of
	// change sets between creation and execution.
	pipelineArn := fmt.Sprintf("arn:%s:codepipeline:%s:%s:%s", p.Partition, *stack.Region(), *stack.Account(), *pl.PipelineName())
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("ApproveOrRejectThisPipeline"),
		Actions:   jsii.Strings("codepipeline:PutApprovalResult"),
		Resources: jsii.Strings(pipelineArn+"/*/Approve*", pipelineArn+"/*/Review*"),
	}))
	// PutApprovalResult takes the approval's token, which only the
	// pipeline's state holds; the console reads the executions too.
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("ReadThisPipelineState"),
		Actions: jsii.Strings("codepipeline:GetPipeline", "codepipeline:GetPipelineState", "codepipeline:GetPipelineExecution",
			"codepipeline:ListPipelineExecutions", "codepipeline:ListActionExecutions"),
		Resources: jsii.Strings(pipelineArn),
	}))
	return role
}
