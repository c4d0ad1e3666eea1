package delivery

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/internal/iampolicy"
	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/internal/policy"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/target"
)

// JobResultsSpec is the tooling-account role that hook functions in target
// accounts assume to report their job result: the job belongs to the
// pipeline's account, so the function cannot report with its own
// credentials.
type JobResultsSpec struct {
	// RoleName and RolePath name the role.
	RoleName, RolePath string
	// HookRoles is the ArnLike pattern of the hook roles, the only roles
	// the trust admits (naming.HookRolePattern).
	HookRoles string
	// OrganizationID, OrganizationalUnits and Accounts are the accounts
	// they may come from, as in artifacts.Readers.
	OrganizationID      string
	OrganizationalUnits []string
	Accounts            []string
}

// StackSetAdminSpec is the administration role of the self-managed
// StackSets of accounts environments.
type StackSetAdminSpec struct {
	// RoleName and RolePath name the role.
	RoleName, RolePath string
	// StackSets are the aws:SourceArn patterns of the StackSets
	// CloudFormation may administer with the role: one per StackSet, each
	// <stack name>-<environment> with any StackSet ID.
	StackSets []string
	// ExecutionRoles is the pattern of the execution roles it assumes.
	ExecutionRoles string
}

// StackSetExecutionRole is the role StackSets assumes in one account of an
// accounts environment.
type StackSetExecutionRole struct {
	// RoleName is the role's name, at path / (StackSets takes a name).
	RoleName string
	// ToolingAccount and AdminRoleArn are the only principal it trusts.
	ToolingAccount, AdminRoleArn string
	// InstanceStacks is the ARN pattern of the StackSet's instance stacks
	// in the account.
	InstanceStacks string
	// ManagedPolicyArns and Statements are what the stacks may create
	// (deploy.executionPolicy).
	ManagedPolicyArns []string
	Statements        []target.Statement
	// Partition and Account place the permissions boundary
	// BoundaryName, a managed policy at RolePath that the stacks' roles
	// must carry (as target.Props.PermissionsBoundaryName).
	Partition, Account, RolePath, BoundaryName string
	// RelayStacks are Relay's stacks in Account, this one among them, which
	// the role and the bounded roles may not change (as
	// target.Props.RelayStacks).
	RelayStacks []target.RelayStack
	// RelayTooling are the pipeline's own resources when Account is the
	// tooling account, which the role and the bounded roles may not start,
	// change or write (as target.Props.RelayTooling); none otherwise.
	RelayTooling []string
}

// newJobResultsRole creates the job-results role. CodePipeline's job APIs
// support no resource-level permissions, so the trust is the control: it
// admits only the hook roles Relay creates in target accounts (one ArnLike
// pattern on aws:PrincipalArn, <name>-<env>-hook under /relay/<name>/),
// from the organization's target OUs (aws:PrincipalOrgPaths) or the listed
// target accounts: one size whatever the number of environments with OUs,
// 15 characters per account without, against a 2,048-character trust
// policy (limits.IAMTrustPolicy, checked at synth).
func newJobResultsRole(scope awscdk.Stack, s JobResultsSpec) awsiam.Role {
	readers := artifacts.Readers{OrganizationID: s.OrganizationID, OrganizationalUnits: s.OrganizationalUnits, Accounts: s.Accounts, RoleArnPatterns: []string{s.HookRoles}}
	scopes := readers.PrincipalScopes()
	// A trust policy may name any principal with conditions (unlike an S3
	// bucket policy, where Block Public Access would refuse it): the
	// accounts go into aws:PrincipalAccount.
	trust := func(sc artifacts.Scope) awsiam.IPrincipal {
		conditions := sc.Conditions
		if len(sc.Accounts) > 0 {
			conditions = map[string]interface{}{"ArnLike": sc.Conditions["ArnLike"],
				"StringEquals": map[string]interface{}{"aws:PrincipalAccount": values.OneOrMany(sc.Accounts)}}
		}
		return awsiam.NewAnyPrincipal().WithConditions(&conditions)
	}
	role := awsiam.NewRole(scope, jsii.String("JobResultsRole"), &awsiam.RoleProps{
		RoleName:    jsii.String(s.RoleName),
		Path:        jsii.String(s.RolePath),
		Description: jsii.String("Assumed by the hook roles of target accounts to report their CodePipeline job result"),
		AssumedBy:   trust(scopes[0]),
	})
	for _, sc := range scopes[1:] {
		role.AssumeRolePolicy().AddStatements(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:    jsii.Strings("sts:AssumeRole"),
			Principals: &[]awsiam.IPrincipal{trust(sc)},
		}))
	}
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("ReportJobResults"),
		Actions:   jsii.Strings("codepipeline:PutJobFailureResult", "codepipeline:PutJobSuccessResult"),
		Resources: jsii.Strings("*"),
	}))
	nag.InlinePolicy(role, "The job-results role "+s.RoleName+": Lambda hooks in the target accounts assume it only to report their CodePipeline job result.")
	nag.Suppress(role, nag.Findings("codepipeline:PutJobSuccessResult and PutJobFailureResult support no resource-level permissions; the trust admits only Relay's hook roles (<name>-<env>-hook, the execution roles of the hook functions) from the target accounts or OUs, and a caller needs the job ID that CodePipeline hands the invoked function.",
		"Resource::*"))
	return role
}

// newStackSetAdminRole creates the administration role: CloudFormation
// assumes it (for this pipeline's StackSets only) and it assumes the
// execution roles.
func newStackSetAdminRole(scope awscdk.Stack, s StackSetAdminSpec) awsiam.Role {
	role := awsiam.NewRole(scope, jsii.String("StackSetAdminRole"), &awsiam.RoleProps{
		RoleName:    jsii.String(s.RoleName),
		Path:        jsii.String(s.RolePath),
		Description: jsii.String("Administers the self-managed StackSets of the delivery pipeline"),
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("cloudformation.amazonaws.com"), nil).WithConditions(&map[string]interface{}{
			"StringLike":   map[string]interface{}{"aws:SourceArn": values.OneOrMany(s.StackSets)},
			"StringEquals": map[string]interface{}{"aws:SourceAccount": *scope.Account()},
		}),
	})
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("AssumeStackSetExecutionRoles"),
		Actions:   jsii.Strings("sts:AssumeRole"),
		Resources: jsii.Strings(s.ExecutionRoles),
	}))
	nag.InlinePolicy(role, "The StackSet administration role "+s.RoleName+": CloudFormation assumes it for this pipeline's StackSets only, to assume their execution roles.")
	nag.Suppress(role, nag.Wildcards("The administration role assumes this pipeline's StackSet execution role in each target account through one pattern; each execution role trusts only this administration role.",
		s.ExecutionRoles))
	return role
}

// newStackSetExecutionRole creates the execution role of a StackSet in one
// account: trusted by the administration role only, allowed what
// deploy.executionPolicy grants.
func newStackSetExecutionRole(scope awscdk.Stack, s StackSetExecutionRole) awsiam.Role {
	var managed []awsiam.IManagedPolicy
	for i, arn := range s.ManagedPolicyArns {
		managed = append(managed, awsiam.ManagedPolicy_FromManagedPolicyArn(scope, jsii.String(fmt.Sprintf("ExecutionManagedPolicy%d", i)), jsii.String(arn)))
	}
	role := awsiam.NewRole(scope, jsii.String("StackSetExecutionRole"), &awsiam.RoleProps{
		RoleName:    jsii.String(s.RoleName),
		Description: jsii.String("Assumed by the StackSet administration role of the delivery pipeline in " + s.ToolingAccount),
		AssumedBy: awsiam.NewAccountPrincipal(jsii.String(s.ToolingAccount)).WithConditions(&map[string]interface{}{
			"ArnEquals": map[string]interface{}{"aws:PrincipalArn": s.AdminRoleArn},
		}),
		ManagedPolicies: &managed,
	})
	// StackSets operates the instance stacks with this role.
	statements := []policy.Statement{{
		Sid: "OperateInstanceStacks",
		Actions: []string{"cloudformation:CreateStack", "cloudformation:DeleteStack", "cloudformation:DescribeStackEvents",
			"cloudformation:DescribeStacks", "cloudformation:UpdateStack", "cloudformation:GetTemplate", "cloudformation:TagResource"},
		Resources: []string{s.InstanceStacks},
	}}
	for _, st := range s.Statements {
		statements = append(statements, policy.Statement{Sid: st.Sid, Actions: st.Actions, Resources: st.Resources, Conditions: policy.Conditions(st.Conditions)})
	}
	// The permissions boundary of the roles the StackSet's stacks create,
	// and its guards on this role (see target.Props.PermissionsBoundaryName).
	stacks := target.RelayStackArns(s.Partition, s.Account, s.RelayStacks)
	managedBoundary, boundaryArn := target.NewBoundary(scope, s.Partition, s.Account, s.RolePath, s.BoundaryName,
		"Permissions boundary of the roles that the delivery pipeline's StackSet creates; attach it to every role of the workload",
		stacks, s.RelayTooling, s.ManagedPolicyArns...)
	statements = append(statements, policy.From(iampolicy.Guards(s.Partition, s.Account, boundaryArn, s.RolePath, stacks, s.RelayTooling, false, s.ManagedPolicyArns...))...)
	policy.Attach(role, statements...)
	target.SuppressBoundary(managedBoundary)
	nag.InlinePolicy(role, "The StackSet execution role "+s.RoleName+": only the administration role of the pipeline in "+s.ToolingAccount+" assumes it, to operate the StackSet's instance stacks with the statements of deploy.executionPolicy.")
	nag.Suppress(role, nag.Wildcards("StackSets names each instance stack StackSet-<StackSet name>-<generated ID>, in every region of the StackSet.", s.InstanceStacks))
	nag.Suppress(role, nag.ByReason(target.WildcardReasons(s.Statements))...)
	nag.ExecutionRoleAWSManaged(role, s.ManagedPolicyArns)
	return role
}
