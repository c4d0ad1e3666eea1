package target

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// The reasons of the wildcards Relay's own statements need.
const (
	reasonStacks  = "The deploy role manages change sets of its named stacks only; a stack ARN ends in an ID that CloudFormation generates."
	reasonObjects = "Artifacts are objects under keys that CodePipeline generates per execution, in the pipeline's artifact buckets; the bucket policies admit only this pipeline's roles."
	reasonKeys    = "The artifact keys of the tooling account have IDs that KMS generates; their key policies admit only this pipeline's roles."
)

// wildcards are the cdk-nag IAM5 findings of s: each action and resource
// with a *.
func wildcards(s Statement) []string {
	var out []string
	for _, a := range s.Actions {
		if strings.Contains(a, "*") {
			out = append(out, "Action::"+a)
		}
	}
	for _, r := range s.Resources {
		if strings.Contains(r, "*") {
			out = append(out, "Resource::"+r)
		}
	}
	return out
}

// WildcardReasons maps each wildcard finding of statements (such as
// "Action::lambda:*" or "Resource::arn:aws:logs:*:*:log-group:/app/*") to
// the Reason of its statement; a finding of several statements gets their
// reasons joined.
func WildcardReasons(statements []Statement) map[string]string {
	out := map[string]string{}
	for _, s := range statements {
		for _, f := range wildcards(s) {
			if prev, ok := out[f]; ok && prev != s.Reason {
				out[f] = prev + " " + s.Reason
				continue
			}
			out[f] = s.Reason
		}
	}
	return out
}

// suppressions records, on each role and policy t created, the cdk-nag
// findings its statements raise with their exact appliesTo: the artifact
// objects and keys, the stacks, and each caller statement's wildcards with
// the statement's Reason.
func (t *DeploymentTarget) suppressions(p Props) {
	artifacts := []nag.Suppression{nag.Wildcards(reasonObjects, objectArns(p)...), nag.Wildcards(reasonKeys, p.ArtifactKeyArns...)}
	if t.deployRole != nil {
		nag.Suppress(t.deployRole, append(artifacts, nag.Wildcards(reasonStacks, stackFindings(p)...))...)
		nag.Suppress(t.deployRole, nag.ByReason(WildcardReasons(p.DeployStatements))...)
	}
	if t.invokeRole != nil {
		nag.Suppress(t.invokeRole, artifacts...)
		nag.Suppress(t.invokeRole, nag.ByReason(WildcardReasons(p.InvokeStatements))...)
	}
	if t.hookRole != nil {
		nag.Suppress(t.hookRole, nag.Wildcards("Lambda writes each hook function's logs to streams it names in the function's own log group.", hookLogGroups(p)...))
		nag.Suppress(t.hookRole, nag.ByReason(WildcardReasons(p.HookStatements))...)
	}
	if t.readers != nil {
		nag.Suppress(t.readers, artifacts...)
	}
	if t.executionRole != nil {
		nag.Suppress(t.executionRole, nag.ByReason(WildcardReasons(p.ExecutionStatements))...)
	}
	for i, r := range t.executionRoles {
		nag.Suppress(r, nag.ByReason(WildcardReasons(p.ExecutionRoles[i].Statements))...)
	}
	for i, r := range t.stepRoles {
		nag.Suppress(r, nag.ByReason(WildcardReasons(p.StepRoles[i].Statements))...)
	}
	if t.boundary != nil {
		nag.Suppress(t.boundary, BoundarySuppression())
	}
}

// objectArns are the artifact objects a role reads.
func objectArns(p Props) []string {
	var out []string
	for _, b := range values.SortedUnique(p.ArtifactBucketArns) {
		out = append(out, b+"/*")
	}
	return out
}

// stackFindings are the stack ARN patterns as cdk-nag reports them: an
// account that is the stack's own (a StackSet template) is <AWS::AccountId>.
func stackFindings(p Props) []string {
	if len(p.stackNames()) == 0 {
		return nil
	}
	account := p.Account
	if *awscdk.Token_IsUnresolved(jsii.String(account)) {
		account = "<AWS::AccountId>"
	}
	var out []string
	for _, r := range values.SortedUnique(p.Regions) {
		for _, s := range values.SortedUnique(p.stackNames()) {
			out = append(out, fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/*", p.Partition, r, account, s))
		}
	}
	return out
}

// BoundarySuppression is the cdk-nag suppression of a permissions
// boundary's Allow of everything (iampolicy.Boundary).
func BoundarySuppression() nag.Suppression {
	return nag.Findings("A permissions boundary grants nothing: it caps what the role's own policies grant. This one allows what they grant except creating or freeing roles beyond the boundary, changing the boundary, and changing or passing Relay's roles (its Deny statements).",
		"Action::*", "Resource::*")
}
