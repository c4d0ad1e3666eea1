// Package nag records cdk-nag suppressions on the resources a construct
// creates, when it creates them: each names the rule, the exact finding
// (appliesTo) wherever cdk-nag reports one, and why it does not apply. A new
// wildcard is then a new finding, not something a broad suppression hides,
// and renaming a construct cannot detach its suppressions.
//
// Recording is plain Go: Apply writes what was recorded (cdk-nag's
// NagSuppressions.addResourceSuppressions, with applyToChildren) when a
// pack is about to run, which compliance.Run does. Writing them at
// creation loaded cdk-nag into the jsii kernel in every app, packs or not:
// cdk-nag's index requires every rule and, through them, the aws-cdk-lib
// modules of every service they check, about 400 modules and 0.45 s of a
// synth that runs no pack.
//
// The record is one per process, like the jsii kernel it feeds: Apply
// writes every suppression recorded since the last Apply, in any app, onto
// its own resource. Build and synthesize apps that run packs one at a
// time; an app built while another runs its packs may get its suppressions
// written early (harmless), and one built between Mark and Drop loses
// them (its synth then fails on the findings).
package nag

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/iampolicy"
	"github.com/relaycdk/relay/constructs/internal/values"
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

// Suppress records suppressions for resource and its children; Apply
// writes them. A suppression of IAM5 without findings is dropped: there is
// nothing to suppress, and an empty appliesTo would suppress every finding.
// It panics on a suppression cdk-nag would refuse (a reason under 10
// characters, a finding in Rule instead of AppliesTo), here rather than
// when the pack runs.
func Suppress(resource constructs.IConstruct, suppressions ...Suppression) {
	var out []Suppression
	for _, s := range suppressions {
		if s.Rule == IAM5 && s.AppliesTo != nil && len(s.AppliesTo) == 0 {
			continue
		}
		if len(s.Reason) < 10 {
			panic(fmt.Sprintf("cdk-nag suppression of %s: reason %q: cdk-nag needs a reason of at least 10 characters", s.Rule, s.Reason))
		}
		if strings.ContainsAny(s.Rule, "[]") {
			panic(fmt.Sprintf("cdk-nag suppression %q: name the finding in AppliesTo, not in Rule", s.Rule))
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	pending = append(pending, recorded{resource: resource, suppressions: out})
}

// recorded is one Suppress call, or one Defer call (later).
type recorded struct {
	resource     constructs.IConstruct
	suppressions []Suppression
	later        func()
}

var (
	mu sync.Mutex
	// pending are the Suppress and Defer calls since the last Apply, in
	// order.
	pending []recorded
	// applying is held by Apply from start to end.
	applying sync.Mutex
)

// Defer records f, which calls Suppress, to run when Apply runs, in its
// place among the suppressions recorded: for reasons that cost jsii calls
// to write (a construct's path), which a synth that runs no pack then does
// not make.
func Defer(f func()) {
	mu.Lock()
	defer mu.Unlock()
	pending = append(pending, recorded{later: f})
}

// Mark is the position of the next suppression recorded, for Drop.
func Mark() int {
	mu.Lock()
	defer mu.Unlock()
	return len(pending)
}

// Drop forgets the suppressions recorded since mark, unwritten: for
// constructs synthesized on their own, such as a StackSet's template,
// whose body no pack reads (at most those recorded since the last Apply).
func Drop(mark int) {
	mu.Lock()
	defer mu.Unlock()
	if mark < len(pending) {
		pending = pending[:mark]
	}
}

// Apply writes every suppression recorded since the last Apply, in the
// order they were recorded, as cdk-nag metadata on each resource and its
// children (those that exist now: call it after the constructs are built
// and before the packs run, as compliance.Run does). One jsii call
// per Suppress call.
func Apply() {
	// Held while writing: an Apply in another goroutine that finds nothing
	// left to write returns only once what this one took is written, so
	// that no app synthesizes before the suppressions it recorded are on
	// its constructs.
	applying.Lock()
	defer applying.Unlock()
	mu.Lock()
	todo := pending
	pending = nil
	mu.Unlock()
	write(todo)
}

// write writes records in order, running each deferred function in its
// place and writing what it records there. Consecutive records of one
// resource are written in one jsii call.
func write(records []recorded) {
	for i := 0; i < len(records); i++ {
		r := records[i]
		for r.later == nil && i+1 < len(records) && records[i+1].later == nil && same(r.resource, records[i+1].resource) {
			i++
			r.suppressions = append(slices.Clip(r.suppressions), records[i].suppressions...)
		}
		if r.later != nil {
			mu.Lock()
			mark := len(pending)
			mu.Unlock()
			r.later()
			mu.Lock()
			added := slices.Clone(pending[mark:])
			pending = pending[:mark]
			mu.Unlock()
			write(added)
			continue
		}
		out := make([]*cdknag.NagPackSuppression, len(r.suppressions))
		for i, s := range r.suppressions {
			ns := &cdknag.NagPackSuppression{Id: jsii.String(s.Rule), Reason: jsii.String(s.Reason)}
			if len(s.AppliesTo) > 0 {
				applies := make([]interface{}, len(s.AppliesTo))
				for i, a := range s.AppliesTo {
					applies[i] = flattenIn(r.resource, a)
				}
				ns.AppliesTo = &applies
			}
			out[i] = ns
		}
		cdknag.NagSuppressions_AddResourceSuppressions(r.resource, &out, jsii.Bool(true))
	}
}

// Flatten is finding as cdk-nag writes it: in a "Resource::" finding,
// cdk-nag turns every "${" into "<" and every "}" into ">" (its
// flattenCfnReference, which writes Fn::Sub's syntax in angle brackets), so
// a resource with an IAM policy variable, such as
// arn:aws:s3:::data/${aws:username}/*, is found as
// "Resource::arn:aws:s3:::data/<aws:username>/*". Suppress writes every
// finding this way, so that a suppression names a resource as written in
// the policy. Other findings (Action::, Policy::) are returned unchanged.
func Flatten(finding string) string {
	if !strings.HasPrefix(finding, "Resource::") {
		return finding
	}
	return strings.ReplaceAll(strings.ReplaceAll(finding, "${", "<"), "}", ">")
}

// flattenIn is finding as cdk-nag writes it for a resource of scope's
// stack: a resource with tokens (aws-cdk-lib's ${Token[...]}, such as
// Aws.PARTITION or a role's ARN) is resolved in the stack and written as
// cdk-nag flattens the resolved value (Fn::Join, Fn::Sub, Fn::GetAtt as
// <LogicalID.Attribute>, Ref as <Name>); any other finding as Flatten
// writes it.
func flattenIn(scope constructs.IConstruct, finding string) string {
	resource, ok := strings.CutPrefix(finding, "Resource::")
	if !ok || !values.IsToken(resource) || scope == nil {
		return Flatten(finding)
	}
	return "Resource::" + flattenCfn(awscdk.Stack_Of(scope).Resolve(resource))
}

// flattenCfn is cdk-nag's flattenCfnReference (utils/flatten-cfn-reference
// of cdk-nag 2.38) of a resolved CloudFormation value.
func flattenCfn(node interface{}) string {
	switch v := node.(type) {
	case nil:
		return ""
	case string:
		return strings.ReplaceAll(strings.ReplaceAll(v, "${", "<"), "}", ">")
	case *string:
		return flattenCfn(*v)
	case map[string]interface{}:
		if join, ok := v["Fn::Join"].([]interface{}); ok && len(join) == 2 {
			delimiter, _ := join[0].(string)
			items, _ := join[1].([]interface{})
			parts := make([]string, len(items))
			for i, item := range items {
				parts[i] = flattenCfn(item)
			}
			return strings.Join(parts, delimiter)
		}
		if sub, ok := v["Fn::Sub"]; ok {
			return flattenCfn(sub)
		}
		if att, ok := v["Fn::GetAtt"].([]interface{}); ok && len(att) == 2 {
			return "<" + flattenCfn(att[0]) + "." + flattenCfn(att[1]) + ">"
		}
		if imp, ok := v["Fn::ImportValue"]; ok {
			return flattenCfn(imp)
		}
		if ref, ok := v["Ref"]; ok {
			return "<" + flattenCfn(ref) + ">"
		}
	}
	// cdk-nag's fallback: the value as JSON.
	var b strings.Builder
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	_ = e.Encode(node)
	return strings.TrimSuffix(b.String(), "\n")
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

// IAM4 is the rule that flags a role with an AWS managed policy.
const IAM4 = "AwsSolutions-IAM4"

// ExecutionRoleAWSManaged records on a CloudFormation execution role the
// IAM4 finding of each AWS managed policy of policyArns
// (arn:<partition>:iam::aws:policy/<path/name>): the configuration names
// them for the role on purpose (executionPolicy.managedPolicyArns allows
// them, and is the advice when another account's policy is refused). The
// policies as strong as AdministratorAccess (iampolicy.AdministratorPolicies)
// keep their finding; other ARNs are not AWS managed. Nothing is recorded
// when no ARN is one.
func ExecutionRoleAWSManaged(role constructs.IConstruct, policyArns []string) {
	var findings []string
	for _, arn := range policyArns {
		a, err := arns.Parse(arn)
		if err != nil || a.Service != "iam" || a.Account != "aws" || !strings.HasPrefix(a.Resource, "policy/") {
			continue
		}
		if slices.Contains(iampolicy.AdministratorPolicies, a.Resource[strings.LastIndex(a.Resource, "/")+1:]) {
			continue
		}
		findings = append(findings, "Policy::"+arn)
	}
	if len(findings) > 0 {
		Suppress(role, Suppression{Rule: IAM4, AppliesTo: unique(findings), Reason: executionRoleAWSManagedWhy})
	}
}

const executionRoleAWSManagedWhy = "The configuration names this AWS managed policy for the CloudFormation execution role (executionPolicy.managedPolicyArns); the policies as strong as AdministratorAccess are refused or keep this finding."

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

// same reports whether a and b are the same Go value of a construct (the
// same jsii proxy pointer); two proxies of one construct are not the same,
// which only costs a call more.
func same(a, b constructs.IConstruct) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	return va.Kind() == reflect.Pointer && vb.Kind() == reflect.Pointer && va.Type() == vb.Type() && va.Pointer() == vb.Pointer()
}
