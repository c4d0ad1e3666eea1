package target

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
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
	// One Suppress per resource and rule group: each is a jsii call when a
	// pack runs.
	if t.deployRole != nil {
		nag.InlinePolicy(t.deployRole, "The deploy role of "+t.where(p)+": the pipeline's role assumes it to run CloudFormation change sets and StackSets of its named stacks.")
		own := append(slices.Clone(artifacts), nag.Wildcards(reasonStacks, stackFindings(p)...))
		nag.Suppress(t.deployRole, append(own, nag.ByReason(WildcardReasons(p.DeployStatements))...)...)
	}
	if t.invokeRole != nil {
		nag.InlinePolicy(t.invokeRole, "The invoke role of "+t.where(p)+": the pipeline's role assumes it to run the invoke actions (hooks, Lambda, Step Functions) the configuration names.")
		var own []nag.Suppression
		if p.InvokeReadsArtifacts {
			own = slices.Clone(artifacts)
		}
		nag.Suppress(t.invokeRole, append(own, nag.ByReason(WildcardReasons(p.InvokeStatements))...)...)
	}
	if t.hookRole != nil {
		nag.InlinePolicy(t.hookRole, "The hook role "+p.HookRoleName+" of "+t.where(p)+": Lambda assumes it for the hook functions only, to log and to report their job result through the pipeline's job-results role.")
		nag.Suppress(t.hookRole, nag.Wildcards("Lambda writes each hook function's logs to streams it names in the function's own log group.", hookLogGroups(p)...))
		nag.Suppress(t.hookRole, nag.ByReason(WildcardReasons(p.HookStatements))...)
	}
	if t.readers != nil {
		// A customer managed policy that the team attaches to its own
		// roles: the IAMNoInlinePolicy rules do not judge it.
		nag.Suppress(t.readers, artifacts...)
	}
	if t.executionRole != nil {
		nag.InlinePolicy(t.executionRole, "The CloudFormation execution role of "+t.where(p)+": CloudFormation assumes it to create the workload's resources, with the statements of deploy.executionPolicy.")
		nag.Suppress(t.executionRole, nag.ByReason(WildcardReasons(nagStatements(p, p.ExecutionStatements)))...)
		nag.ExecutionRoleAWSManaged(t.executionRole, p.ExecutionManagedPolicyArns)
	}
	for i, r := range t.executionRoles {
		er := p.ExecutionRoles[i]
		nag.InlinePolicy(r, fmt.Sprintf("The CloudFormation execution role %s of %s: CloudFormation assumes it for stacks %s only, with the statements configured for them.", er.Name, t.where(p), strings.Join(er.StackNames, ", ")))
		nag.Suppress(r, nag.ByReason(WildcardReasons(nagStatements(p, er.Statements)))...)
		nag.ExecutionRoleAWSManaged(r, er.ManagedPolicyArns)
	}
	for i, r := range t.stepRoles {
		sr := p.StepRoles[i]
		nag.InlinePolicy(r, fmt.Sprintf("The step role %s of %s: only the step project's role %s assumes it (an aws:PrincipalArn condition), with the statements configured for the step.", sr.Name, t.where(p), sr.TrustedRoleArn))
		nag.Suppress(r, nag.ByReason(WildcardReasons(sr.Statements))...)
	}
	if t.boundary != nil {
		SuppressBoundary(t.boundary)
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

// nagStatements are an execution role's statements as its policy holds
// them (FillStatements), with the deploying account as cdk-nag reports it
// (<AWS::AccountId>) when Account is not known.
func nagStatements(p Props, statements []Statement) []Statement {
	account := p.Account
	if !values.IsAccount(account) {
		account = "<AWS::AccountId>"
	}
	return FillStatements(statements, account, p.Regions)
}

// stackFindings are the stack ARN patterns as cdk-nag reports them: an
// account that is the stack's own (a StackSet template) is <AWS::AccountId>.
func stackFindings(p Props) []string {
	if len(p.stackNames()) == 0 {
		return nil
	}
	account := p.Account
	// A literal account needs no round trip to tell it from a token.
	if !values.IsAccount(account) && *awscdk.Token_IsUnresolved(jsii.String(account)) {
		account = "<AWS::AccountId>"
	}
	return p.stackArns(account, p.stackNames())
}

// BoundarySuppression is the cdk-nag suppression of a permissions
// boundary's Allow of everything (iampolicy.Boundary).
func BoundarySuppression() nag.Suppression {
	return nag.Findings(BoundaryReason, "Action::*", "Resource::*")
}

// BoundaryReason is why a permissions boundary's Allow of everything is no
// grant: the reason of its cdk-nag suppressions and of its Control Tower
// exceptions (CT.IAM.PR.2, CT.IAM.PR.3).
const BoundaryReason = "A permissions boundary grants nothing: it caps what the role's own policies grant. This one allows what they grant except creating or freeing roles beyond the boundary, changing the boundary, changing or passing Relay's roles, changing Relay's stacks, rewriting the customer managed policies attached to the execution roles, and acting as a principal without the boundary: another role's trust, a user's credentials, a group, a policy version, the CDK bootstrap roles to assume, a service role for CloudFormation (its Deny statements)."

// SuppressBoundary records the findings of the permissions boundary policy
// (iampolicy.Boundary): AwsSolutions' wildcards and the NIST, PCI and
// HIPAA packs' admin and full access rules, all with BoundaryReason.
func SuppressBoundary(policy constructs.IConstruct) {
	nag.Suppress(policy, BoundarySuppression())
	nag.Each(policy, BoundaryReason,
		"NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess", "NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess",
		"PCI.DSS.321-IAMPolicyNoStatementsWithAdminAccess", "PCI.DSS.321-IAMPolicyNoStatementsWithFullAccess",
		"HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess", "HIPAA.Security-IAMPolicyNoStatementsWithFullAccess")
}

// where names the target in reasons: the pipeline's account and the
// target's stack path.
func (t *DeploymentTarget) where(p Props) string {
	if t.path == "" {
		t.path = *t.Node().Path()
	}
	return "target " + t.path + " (pipeline account " + p.PipelineAccount + ")"
}
