// Package bootstrap writes the CloudFormation execution policies with which
// the accounts of one Relay configuration are bootstrapped, instead of CDK's
// default AdministratorAccess (tooling account) or IAMFullAccess (target
// accounts), either of which lets any template the bootstrap role deploys
// mint an administrator.
//
// A policy admits what Relay's stacks in that account create and nothing
// else: IAM roles only at Relay's path (/relay/<name>/) or named
// <name>-* (the roles CodeBuild requires at path /, and names CloudFormation
// generates from the stack name <name>-<...>), managed policies only at
// /relay/<name>/, attachment only of the managed policies the stacks attach
// (iam:PolicyARN), passing those roles only to the services that run them
// (iam:PassedToService), and, per account kind, the services of its stacks:
// CodeDeploy and EKS access entries in target accounts; CodePipeline,
// CodeBuild, S3, KMS, SNS, logs, events, CloudWatch, Step Functions, Chatbot,
// CloudTrail, StackSets, the asset image repository relay/<name>/* (ECR) and
// the recovery function (Lambda) in the tooling account, in every region
// (one policy covers the tooling stack and each <name>-tooling-<region>). It never grants
// iam:CreateUser, access keys, or permissions-boundary changes; the
// workload's own permissions come later through Relay's execution role,
// whose boundary (see package target) is part of what this policy creates.
//
// The policy is a customer managed policy: create it in each account first
// (aws iam create-policy), then pass its ARN to cdk bootstrap
// --cloudformation-execution-policies. A managed policy document holds at
// most 6,144 characters, whitespace excluded (IAM quotas); Document refuses
// a larger one.
package bootstrap

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Kind is which of Relay's stacks an account holds.
type Kind string

const (
	// Tooling is the account of the pipeline, the artifact store and the
	// tooling stack.
	Tooling Kind = "tooling"
	// Target is an account that Relay deploys to: deploy, execution,
	// invoke and hook roles, the boundary, CodeDeploy groups, EKS access
	// entries.
	Target Kind = "target"
	// Source is an account that only owns a source of the pipeline (a
	// CodeCommit repository or S3 bucket of source.*.account): the stack
	// <name>-source-<account> with the source and forwarder roles, the
	// EventBridge rules that forward its changes to the tooling account,
	// and for S3 sources the trail with its bucket and key (package
	// sourceaccount).
	Source Kind = "source"
)

// Props describe one account's policy.
type Props struct {
	// Name is the configuration's name (<name>), which prefixes every name
	// Relay gives. Required.
	Name string
	// Partition is the AWS partition. Default: aws.
	Partition string
	// Account is the 12-digit account ID. Required.
	Account string
	// Kind is Tooling, Target or Source. Required.
	Kind Kind
	// Sources adds the Source kind's statements to a Target account that
	// also owns a source of the pipeline. Default: false (implied by Kind
	// Source).
	Sources bool
	// Targets adds the Target kind's statements to the Tooling account when
	// an environment deploys to the tooling account itself (its stack
	// <name>-<environment> is then in this account). Default: false.
	Targets bool
	// AttachedPolicyArns are the managed policies (outside /relay/<name>/)
	// that Relay's stacks attach to its roles in this account, such as
	// deploy.executionPolicy.managedPolicyArns. Default: none.
	AttachedPolicyArns []string
}

// PolicyName is the customer managed policy's name for configuration name.
func PolicyName(name string) string { return "relay-" + name + "-bootstrap" }

// PolicyArn is the policy's ARN in account.
func PolicyArn(partition, account, name string) string {
	return fmt.Sprintf("arn:%s:iam::%s:policy/%s", orAWS(partition), account, PolicyName(name))
}

// Statement is one statement of the policy.
type Statement struct {
	Sid       string                    `json:"Sid"`
	Effect    string                    `json:"Effect"`
	Action    []string                  `json:"Action"`
	Resource  []string                  `json:"Resource"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// Policy is an IAM policy document.
type Policy struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// MaxChars is IAM's limit on a managed policy document, whitespace excluded.
const MaxChars = 6144

// AWS managed policies that Relay's own constructs attach: the CodeDeploy
// service roles (package codedeploy).
var relayManaged = []string{
	"arn:%s:iam::aws:policy/service-role/AWSCodeDeployRole",
	"arn:%s:iam::aws:policy/AWSCodeDeployRoleForECS",
}

// Services that run Relay's roles, per account kind (iam:PassedToService):
// in a source account, EventBridge runs the forwarder role.
var passedTo = map[Kind][]string{
	Source:  {"events.amazonaws.com"},
	Target:  {"codedeploy.amazonaws.com"},
	Tooling: {"chatbot.amazonaws.com", "cloudformation.amazonaws.com", "codebuild.amazonaws.com", "codepipeline.amazonaws.com", "events.amazonaws.com", "states.amazonaws.com"},
}

// Document is p's policy, or an error naming the field when p is invalid
// or the policy exceeds MaxChars.
func Document(p Props) (Policy, error) {
	if p.Name == "" {
		return Policy{}, fmt.Errorf("bootstrap.Props.Name: required")
	}
	if len(p.Account) != 12 || strings.Trim(p.Account, "0123456789") != "" {
		return Policy{}, fmt.Errorf("bootstrap.Props.Account %q: must be a 12-digit account ID", p.Account)
	}
	if p.Kind != Tooling && p.Kind != Target && p.Kind != Source {
		return Policy{}, fmt.Errorf("bootstrap.Props.Kind %q: must be tooling, target or source", p.Kind)
	}
	if p.Sources && p.Kind != Target {
		return Policy{}, fmt.Errorf("bootstrap.Props.Sources: applies to a Target account that also owns a source; the %s kind has no source stack of its own (the tooling account's sources are the pipeline's), or is one (Source)", p.Kind)
	}
	if p.Targets && p.Kind != Tooling {
		return Policy{}, fmt.Errorf("bootstrap.Props.Targets: applies to the Tooling account when an environment deploys to it; the %s kind is one (Target) or holds no target stack (Source)", p.Kind)
	}
	sources := p.Kind == Source || p.Sources
	targets := p.Kind == Target || p.Targets
	services := passedTo[p.Kind]
	if p.Sources {
		services = unique(append(slices.Clone(services), passedTo[Source]...))
	}
	if p.Targets {
		services = unique(append(slices.Clone(services), passedTo[Target]...))
	}
	part := orAWS(p.Partition)
	iam := func(r string) string { return fmt.Sprintf("arn:%s:iam::%s:%s", part, p.Account, r) }
	roles := []string{iam("role/relay/" + p.Name + "/*"), iam("role/" + p.Name + "-*")}
	policies := iam("policy/relay/" + p.Name + "/*")
	attachable := []string{policies}
	for _, f := range relayManaged {
		attachable = append(attachable, fmt.Sprintf(f, part))
	}
	attachable = append(attachable, p.AttachedPolicyArns...)
	attachable = unique(attachable)

	sts := []Statement{
		{Sid: "ManageRelayRoles", Effect: "Allow", Resource: roles, Action: []string{
			"iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription",
			"iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags",
			"iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:GetRolePolicy", "iam:ListRolePolicies",
			"iam:ListAttachedRolePolicies", "iam:DetachRolePolicy",
		}},
		{Sid: "AttachOnlyTheStacksPolicies", Effect: "Allow", Resource: roles, Action: []string{"iam:AttachRolePolicy"},
			Condition: map[string]map[string]any{"ArnLike": {"iam:PolicyARN": attachable}}},
		{Sid: "PassRelayRolesToTheirServices", Effect: "Allow", Resource: roles, Action: []string{"iam:PassRole"},
			Condition: map[string]map[string]any{"StringEquals": {"iam:PassedToService": services}}},
		{Sid: "ManageRelayPolicies", Effect: "Allow", Resource: []string{policies}, Action: []string{
			"iam:CreatePolicy", "iam:DeletePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion",
			"iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:TagPolicy", "iam:UntagPolicy",
		}},
	}
	arn := func(service, resource string) string {
		return fmt.Sprintf("arn:%s:%s:*:%s:%s", part, service, p.Account, resource)
	}
	if targets {
		sts = append(sts,
			Statement{Sid: "CodeDeployGroups", Effect: "Allow", Action: []string{"codedeploy:*"},
				Resource: []string{arn("codedeploy", "application:*"), arn("codedeploy", "deploymentgroup:*"), arn("codedeploy", "deploymentconfig:*")}},
			Statement{Sid: "EKSAccessEntries", Effect: "Allow", Action: []string{
				"eks:CreateAccessEntry", "eks:DeleteAccessEntry", "eks:DescribeAccessEntry", "eks:UpdateAccessEntry",
				"eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy", "eks:ListAssociatedAccessPolicies",
				"eks:TagResource", "eks:UntagResource", "eks:DescribeCluster",
			}, Resource: []string{arn("eks", "cluster/*"), arn("eks", "access-entry/*")}},
		)
	}
	if p.Kind == Tooling {
		sts = append(sts,
			Statement{Sid: "DeliveryServices", Effect: "Allow", Action: []string{
				"codepipeline:*", "codebuild:*", "sns:*", "logs:*", "events:*", "cloudwatch:*", "states:*",
				"cloudtrail:*", "chatbot:*", "cloudformation:*StackSet*", "cloudformation:*StackInstances",
			}, Resource: []string{"*"}},
			// The workload's image repository relay/<name>/assets, in the
			// tooling stack and each <name>-tooling-<region> (assets.images).
			Statement{Sid: "AssetRepositories", Effect: "Allow", Action: []string{"ecr:*"},
				Resource: []string{arn("ecr", "repository/relay/"+p.Name+"/*")}},
			// The recovery function (package recovery), named
			// <name>-recovery (recovery.Props.FunctionName's default, a
			// name of Relay's own rather than one CloudFormation would
			// generate and truncate); only its own role, <name>-recovery,
			// is passed to Lambda.
			Statement{Sid: "RecoveryFunction", Effect: "Allow", Action: []string{"lambda:*"},
				Resource: []string{fmt.Sprintf("arn:%s:lambda:*:%s:function:%s-*", part, p.Account, p.Name)}},
			Statement{Sid: "PassTheRecoveryRoleToLambda", Effect: "Allow", Action: []string{"iam:PassRole"},
				Resource:  []string{iam("role/relay/" + p.Name + "/" + p.Name + "-recovery")},
				Condition: map[string]map[string]any{"StringEquals": {"iam:PassedToService": []string{"lambda.amazonaws.com"}}}},
		)
	}
	if sources {
		sts = append(sts,
			Statement{Sid: "SourceRules", Effect: "Allow", Action: []string{
				"events:PutRule", "events:DeleteRule", "events:DescribeRule", "events:EnableRule", "events:DisableRule",
				"events:PutTargets", "events:RemoveTargets", "events:ListTargetsByRule",
				"events:TagResource", "events:UntagResource", "events:ListTagsForResource",
			}, Resource: []string{arn("events", "rule/"+p.Name+"-*")}},
			// The trail of S3 sources (<name>-sources, sourceaccount): its
			// bucket is named after the stack, <name>-source-<account>-...
			Statement{Sid: "SourceTrail", Effect: "Allow", Action: []string{
				"cloudtrail:CreateTrail", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:GetTrail",
				"cloudtrail:GetTrailStatus", "cloudtrail:StartLogging", "cloudtrail:StopLogging",
				"cloudtrail:PutEventSelectors", "cloudtrail:GetEventSelectors",
				"cloudtrail:AddTags", "cloudtrail:RemoveTags", "cloudtrail:ListTags",
			}, Resource: []string{arn("cloudtrail", "trail/"+p.Name+"-*")}},
			Statement{Sid: "DescribeTrails", Effect: "Allow", Action: []string{"cloudtrail:DescribeTrails"}, Resource: []string{"*"}},
		)
		if p.Kind != Tooling {
			sts = append(sts, keyAndBucketStatements(part, p.Name, arn)...)
		}
	}
	if p.Kind == Tooling {
		sts = append(sts, keyAndBucketStatements(part, p.Name, arn)...)
	}
	doc := Policy{Version: "2012-10-17", Statement: sts}
	if n := Chars(doc); n > MaxChars {
		return Policy{}, fmt.Errorf("bootstrap.Props.AttachedPolicyArns: the policy is %d characters, IAM allows %d for a managed policy; attach fewer managed policies (combine them)", n, MaxChars)
	}
	return doc, nil
}

// Chars is the length of doc's JSON without whitespace, as IAM counts it.
func Chars(doc Policy) int {
	raw, _ := json.Marshal(doc)
	return len(raw)
}

func orAWS(partition string) string {
	if partition == "" {
		return "aws"
	}
	return partition
}

func unique(v []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range v {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// keyAndBucketStatements let a stack create buckets named <name>-* (the
// artifact and trail buckets) and KMS keys with aliases alias/relay/<name>/*.
func keyAndBucketStatements(part, name string, arn func(service, resource string) string) []Statement {
	return []Statement{
		{Sid: "ArtifactBuckets", Effect: "Allow", Action: []string{"s3:*"},
			Resource: []string{fmt.Sprintf("arn:%s:s3:::%s-*", part, name)}},
		// CreateKey takes no resource; the new key's policy is the
		// stack's (PutKeyPolicy on this account's keys).
		{Sid: "CreateArtifactKeys", Effect: "Allow", Action: []string{"kms:CreateKey"}, Resource: []string{"*"}},
		{Sid: "ArtifactKeys", Effect: "Allow", Action: []string{
			"kms:DescribeKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:PutKeyPolicy",
			"kms:GetKeyRotationStatus", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
			"kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias", "kms:ListResourceTags",
		}, Resource: []string{arn("kms", "key/*"), arn("kms", "alias/relay/"+name+"/*")}},
	}
}
