// Package target provides DeploymentTarget: the two roles a target account
// needs so that a pipeline in another account can deploy CloudFormation
// stacks there.
//
// The deploy role is the role the pipeline assumes; it may manage only the
// named stacks, read the artifact store, and pass the execution role to
// CloudFormation. The execution role is what CloudFormation uses to create
// the stack's resources; its permissions come from the caller and are never
// AdministratorAccess by default.
package target

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// Statement is one Allow statement of the execution role.
type Statement struct {
	// Sid is an optional statement ID.
	Sid string
	// Actions are IAM actions, e.g. lambda:UpdateFunctionCode. Required.
	Actions []string
	// Resources are ARNs or "*". Required.
	Resources []string
}

// Props configures a DeploymentTarget. Fields without a default are
// required.
type Props struct {
	// Partition is the AWS partition. Default: aws.
	Partition string
	// Account is the target account, where both roles live. Default: the
	// account the stack is deployed to (for an environment-agnostic stack,
	// such as the template of a StackSet).
	Account string
	// Regions are the regions where the deploy role may manage stacks.
	Regions []string
	// RolePath is the IAM path of both roles. Default: /.
	RolePath string
	// DeployRoleName is the physical name of the deploy role.
	DeployRoleName string
	// ExecutionRoleName is the physical name of the execution role.
	ExecutionRoleName string
	// PipelineAccount is the account of the pipeline that assumes the
	// deploy role.
	PipelineAccount string
	// PipelineRoleArns are the ARNs of the pipeline roles allowed to assume
	// the deploy role. The trust policy names PipelineAccount as principal and
	// pins these ARNs in an aws:PrincipalArn condition, so it does not depend
	// on the roles existing first, and keeps matching after a role is
	// recreated.
	PipelineRoleArns []string
	// StackNames are the CloudFormation stacks the deploy role may manage.
	StackNames []string
	// ArtifactBucketArns are the artifact buckets the deploy role may read.
	ArtifactBucketArns []string
	// ArtifactKeyArns are the KMS keys (or ARN patterns such as
	// arn:aws:kms:us-east-1:111111111111:key/*) the deploy role may decrypt
	// with. The key policies of those keys must name this role as well.
	ArtifactKeyArns []string
	// ExecutionManagedPolicyArns are managed policies for the execution role.
	ExecutionManagedPolicyArns []string
	// ExecutionStatements are inline statements for the execution role. With
	// ExecutionManagedPolicyArns, at least one is required.
	ExecutionStatements []Statement
}

var roleName = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// Validate reports every problem of p at once.
func (p *Props) Validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if p.Account != "" && !values.IsAccount(p.Account) {
		add("Account %q: must be a 12-digit account ID", p.Account)
	}
	if !values.IsAccount(p.PipelineAccount) {
		add("PipelineAccount %q: must be a 12-digit account ID", p.PipelineAccount)
	}
	if len(p.Regions) == 0 {
		add("Regions []: name at least one region the deploy role deploys to")
	}
	if p.RolePath != "" && (!strings.HasPrefix(p.RolePath, "/") || !strings.HasSuffix(p.RolePath, "/")) {
		add("RolePath %q: must start and end with /", p.RolePath)
	}
	for _, f := range []struct{ name, v string }{{"DeployRoleName", p.DeployRoleName}, {"ExecutionRoleName", p.ExecutionRoleName}} {
		if !roleName.MatchString(f.v) {
			add("%s %q: must be 1-64 characters of letters, digits and +=,.@_-", f.name, f.v)
		}
	}
	if p.DeployRoleName != "" && p.DeployRoleName == p.ExecutionRoleName {
		add("ExecutionRoleName %q: must differ from DeployRoleName", p.ExecutionRoleName)
	}
	if len(p.PipelineRoleArns) == 0 {
		add("PipelineRoleArns []: name the pipeline role that assumes the deploy role")
	}
	for i, a := range p.PipelineRoleArns {
		if !strings.HasPrefix(a, "arn:") || !strings.Contains(a, ":iam::"+p.PipelineAccount+":role/") {
			add("PipelineRoleArns[%d] %q: must be a role ARN in PipelineAccount %s", i, a, p.PipelineAccount)
		}
	}
	if len(p.StackNames) == 0 {
		add("StackNames []: name the stacks the pipeline deploys")
	}
	if len(p.ArtifactBucketArns) == 0 {
		add("ArtifactBucketArns []: name the artifact bucket the deploy role reads")
	}
	if len(p.ArtifactKeyArns) == 0 {
		add("ArtifactKeyArns []: name the artifact key the deploy role decrypts with")
	}
	if len(p.ExecutionManagedPolicyArns) == 0 && len(p.ExecutionStatements) == 0 {
		add("ExecutionStatements []: grant the execution role what the stacks create (statements or managed policies); there is no AdministratorAccess default")
	}
	for i, s := range p.ExecutionStatements {
		if len(s.Actions) == 0 || len(s.Resources) == 0 {
			add("ExecutionStatements[%d]: needs actions and resources", i)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("target.Props: %w", errors.Join(errs...))
}

// DeploymentTarget holds the deploy role and the CloudFormation execution
// role of one target account.
type DeploymentTarget struct {
	constructs.Construct
	deployRole    awsiam.Role
	executionRole awsiam.Role
}

// New creates both roles. It panics with every problem of props listed when
// props are invalid; call props.Validate first to handle the error yourself.
func New(scope constructs.Construct, id string, props *Props) *DeploymentTarget {
	if err := props.Validate(); err != nil {
		panic(err)
	}
	p := *props
	if p.Partition == "" {
		p.Partition = "aws"
	}
	if p.RolePath == "" {
		p.RolePath = "/"
	}
	if p.Account == "" {
		p.Account = *awscdk.Aws_ACCOUNT_ID()
	}
	t := &DeploymentTarget{Construct: constructs.NewConstruct(scope, &id)}

	var managed []awsiam.IManagedPolicy
	for i, arn := range p.ExecutionManagedPolicyArns {
		managed = append(managed, awsiam.ManagedPolicy_FromManagedPolicyArn(t.Construct, jsii.String(fmt.Sprintf("ExecutionManagedPolicy%d", i)), jsii.String(arn)))
	}
	t.executionRole = awsiam.NewRole(t.Construct, jsii.String("ExecutionRole"), &awsiam.RoleProps{
		RoleName:        jsii.String(p.ExecutionRoleName),
		Path:            jsii.String(p.RolePath),
		Description:     jsii.String("CloudFormation execution role for stacks the delivery pipeline deploys"),
		AssumedBy:       awsiam.NewServicePrincipal(jsii.String("cloudformation.amazonaws.com"), nil),
		ManagedPolicies: &managed,
	})
	for _, s := range p.ExecutionStatements {
		t.executionRole.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       values.Optional(s.Sid),
			Effect:    awsiam.Effect_ALLOW,
			Actions:   jsii.Strings(s.Actions...),
			Resources: jsii.Strings(s.Resources...),
		}))
	}

	trust := awsiam.NewAccountPrincipal(jsii.String(p.PipelineAccount)).WithConditions(&map[string]interface{}{
		"ArnEquals": map[string]interface{}{"aws:PrincipalArn": values.OneOrMany(values.SortedUnique(p.PipelineRoleArns))},
	})
	t.deployRole = awsiam.NewRole(t.Construct, jsii.String("DeployRole"), &awsiam.RoleProps{
		RoleName:    jsii.String(p.DeployRoleName),
		Path:        jsii.String(p.RolePath),
		Description: jsii.String("Assumed by the delivery pipeline in account " + p.PipelineAccount + " to deploy CloudFormation stacks"),
		AssumedBy:   trust,
	})
	executionRoleArn := fmt.Sprintf("arn:%s:iam::%s:role%s%s", p.Partition, p.Account, p.RolePath, p.ExecutionRoleName)
	for _, st := range deployStatements(p, executionRoleArn) {
		t.deployRole.AddToPolicy(st)
	}
	return t
}

// DeployRole is the role the pipeline assumes to run deploy actions.
func (t *DeploymentTarget) DeployRole() awsiam.Role { return t.deployRole }

// ExecutionRole is the role CloudFormation uses to create stack resources.
func (t *DeploymentTarget) ExecutionRole() awsiam.Role { return t.executionRole }

func deployStatements(p Props, executionRoleArn string) []awsiam.PolicyStatement {
	var stacks []string
	for _, r := range values.SortedUnique(p.Regions) {
		for _, s := range values.SortedUnique(p.StackNames) {
			stacks = append(stacks, fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/*", p.Partition, r, p.Account, s))
		}
	}
	var objects []string
	for _, b := range values.SortedUnique(p.ArtifactBucketArns) {
		objects = append(objects, b+"/*")
	}
	return []awsiam.PolicyStatement{
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid: jsii.String("ManageDeployedStacks"),
			Actions: jsii.Strings("cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet",
				"cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet",
				"cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents"),
			Resources: jsii.Strings(stacks...),
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("PassExecutionRoleToCloudFormation"),
			Actions:   jsii.Strings("iam:PassRole"),
			Resources: jsii.Strings(executionRoleArn),
			Conditions: &map[string]interface{}{
				"StringEquals": map[string]interface{}{"iam:PassedToService": "cloudformation.amazonaws.com"},
			},
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("ReadArtifactObjects"),
			Actions:   jsii.Strings("s3:GetObject", "s3:GetObjectVersion"),
			Resources: jsii.Strings(objects...),
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("LocateArtifactBuckets"),
			Actions:   jsii.Strings("s3:GetBucketLocation", "s3:ListBucket"),
			Resources: jsii.Strings(values.SortedUnique(p.ArtifactBucketArns)...),
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("DecryptArtifacts"),
			Actions:   jsii.Strings("kms:Decrypt", "kms:DescribeKey"),
			Resources: jsii.Strings(values.SortedUnique(p.ArtifactKeyArns)...),
		}),
	}
}
