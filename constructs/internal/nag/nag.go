// Package nag records cdk-nag suppressions on the resources a construct
// creates, when it creates them: each names the rule, the exact finding
// (appliesTo) wherever cdk-nag reports one, and why it does not apply. A new
// wildcard is then a new finding, not something a broad suppression hides,
// and renaming a construct cannot detach its suppressions.
package nag

import (
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// Suppression is one finding that does not apply, and why.
type Suppression struct {
	// Rule is the cdk-nag rule ID, e.g. AwsSolutions-IAM5.
	Rule string
	// AppliesTo narrows the suppression to these findings of the rule, e.g.
	// "Action::kms:GenerateDataKey*" or "Resource::arn:aws:s3:::bucket/*".
	// Default: every finding of Rule on the resource.
	AppliesTo []string
	// Reason says why the finding does not apply. At least 10 characters
	// (cdk-nag panics on shorter ones).
	Reason string
}

// IAM5 is the wildcard-permission rule.
const IAM5 = "AwsSolutions-IAM5"

// Suppress records suppressions on resource and its children. A
// suppression of IAM5 without findings is dropped: there is nothing to
// suppress, and an empty appliesTo would suppress every finding.
func Suppress(resource constructs.IConstruct, suppressions ...Suppression) {
	var out []*cdknag.NagPackSuppression
	for _, s := range suppressions {
		if s.Rule == IAM5 && s.AppliesTo != nil && len(s.AppliesTo) == 0 {
			continue
		}
		ns := &cdknag.NagPackSuppression{Id: jsii.String(s.Rule), Reason: jsii.String(s.Reason)}
		if len(s.AppliesTo) > 0 {
			applies := make([]interface{}, len(s.AppliesTo))
			for i, a := range s.AppliesTo {
				applies[i] = a
			}
			ns.AppliesTo = &applies
		}
		out = append(out, ns)
	}
	if len(out) > 0 {
		cdknag.NagSuppressions_AddResourceSuppressions(resource, &out, jsii.Bool(true))
	}
}

// Wildcards is the IAM5 suppression of resources that contain a *, each
// "Resource::<resource>", with reason; none when no resource has one.
func Wildcards(reason string, resources ...string) Suppression {
	applies := []string{}
	for _, r := range resources {
		if strings.Contains(r, "*") {
			applies = append(applies, "Resource::"+r)
		}
	}
	return Suppression{Rule: IAM5, AppliesTo: unique(applies), Reason: reason}
}

// Findings is the IAM5 suppression of the given findings, with reason.
func Findings(reason string, findings ...string) Suppression {
	return Suppression{Rule: IAM5, AppliesTo: unique(append([]string{}, findings...)), Reason: reason}
}

// ByReason is one IAM5 suppression per reason, of the findings each
// reason explains (finding -> reason), in a stable order.
func ByReason(reasons map[string]string) []Suppression {
	byReason := map[string][]string{}
	for _, f := range slices.Sorted(maps.Keys(reasons)) {
		byReason[reasons[f]] = append(byReason[reasons[f]], f)
	}
	var out []Suppression
	for _, f := range slices.Sorted(maps.Keys(reasons)) {
		r := reasons[f]
		if fs, ok := byReason[r]; ok {
			out = append(out, Suppression{Rule: IAM5, AppliesTo: fs, Reason: r})
			delete(byReason, r)
		}
	}
	return out
}

// LogicalID is the CloudFormation logical ID of c's default resource, as
// cdk-nag writes it in findings (<LogicalID.Arn>).
func LogicalID(c constructs.IConstruct) string {
	stack := awscdk.Stack_Of(c)
	el := c.Node().DefaultChild().(awscdk.CfnElement)
	return stack.Resolve(stack.GetLogicalId(el)).(string)
}

func unique(v []string) []string {
	slices.Sort(v)
	return slices.Compact(v)
}

// inlinePolicyRules are the rules of the NIST 800-53 rev 5, PCI DSS 3.2.1
// and HIPAA Security packs that flag every inline policy.
var inlinePolicyRules = []string{"NIST.800.53.R5-IAMNoInlinePolicy", "PCI.DSS.321-IAMNoInlinePolicy", "HIPAA.Security-IAMNoInlinePolicy"}

// inlinePolicyWhy completes the reason of InlinePolicy.
const inlinePolicyWhy = " Its permissions are an inline policy that belongs to this identity alone and is deleted with it, never attached elsewhere: the strict one-to-one case AWS recommends inline policies for (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-choosing-managed-or-inline.html); Relay checks its size at synth against IAM's quota."

// InlinePolicy records on role (an IAM role, or an AWS::IAM::Policy
// construct) and its children why its policy is inline, for the packs that
// flag every inline policy: purpose says whose role it is and what it
// does, such as "The pipeline role of payments: CodePipeline assumes it to
// run the pipeline." (at least 10 characters).
func InlinePolicy(role constructs.IConstruct, purpose string) {
	Each(role, purpose+inlinePolicyWhy, inlinePolicyRules...)
}

// replicationRules are the rules that flag a bucket without cross-region
// replication.
var replicationRules = []string{"NIST.800.53.R5-S3BucketReplicationEnabled", "PCI.DSS.321-S3BucketReplicationEnabled", "HIPAA.Security-S3BucketReplicationEnabled"}

// Replication records on bucket why it has no replication rule, for the
// packs that require one: why says what the bucket holds and why a copy
// elsewhere is not needed (at least 10 characters).
func Replication(bucket constructs.IConstruct, why string) { Each(bucket, why, replicationRules...) }

// Each records on resource one suppression per rule ID of rules, all with
// reason: the same finding as each pack names it, such as
// NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled and its PCI and HIPAA twins.
func Each(resource constructs.IConstruct, reason string, rules ...string) {
	var out []Suppression
	for _, r := range rules {
		out = append(out, Suppression{Rule: r, Reason: reason})
	}
	Suppress(resource, out...)
}
