package target_test

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/naming"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/constructs/target"
	"github.com/relaycdk/relay/internal/policysize"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

const pipelineRole = "arn:aws:iam::111111111111:role/relay/payments/payments-pipeline"

// passRelayRole is the rule of a statement that passes a role Relay
// creates, written out so that a change of it shows here.
const passRelayRole = "is a role Relay creates for its pipeline: a role that may pass it could create a Lambda function (or other compute) that runs as it, " +
	"and Relay's Lambda roles (the recovery function's, which assumes every environment's deploy role, and the hook role, which reports job results) trust Lambda without a source condition; " +
	"pass the workload's own roles only"

func validProps() *target.Props {
	return &target.Props{
		Account:            "222222222222",
		Regions:            []string{"us-east-1", "eu-west-1"},
		RolePath:           "/relay/payments/",
		DeployRoleName:     "payments-staging-deploy",
		ExecutionRoleName:  "payments-staging-cfn-exec",
		PipelineAccount:    "111111111111",
		PipelineRoleArns:   []string{pipelineRole},
		StackNames:         []string{"payments-app"},
		ArtifactBucketArns: []string{"arn:aws:s3:::payments-artifacts-111111111111-us-east-1"},
		ArtifactKeyArns:    []string{"arn:aws:kms:us-east-1:111111111111:key/*"},
		ExecutionStatements: []target.Statement{
			{Sid: "Functions", Actions: []string{"lambda:*"}, Resources: []string{"*"}, Reason: "The application creates and updates its functions."},
		},
	}
}

func TestDeploymentTarget(t *testing.T) {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
	})
	relaytest.Do(t, "target.New", func() { target.New(stack, "Target", validProps()) })
	tpl := relaytest.Template(t, stack)
	has := func(what, typ string, props interface{}) {
		t.Helper()
		relaytest.Check(t, what, func() { tpl.HasResourceProperties(jsii.String(typ), props) })
	}
	stmt := func(m map[string]interface{}) interface{} { return assertions.Match_ObjectLike(&m) }
	policyWith := func(sts ...interface{}) interface{} {
		return map[string]interface{}{"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": assertions.Match_ArrayWith(&sts)})}
	}

	has("deploy role trusts the tooling account, pinned to the pipeline role ARN", "AWS::IAM::Role", map[string]interface{}{
		"RoleName": "payments-staging-deploy",
		"Path":     "/relay/payments/",
		"AssumeRolePolicyDocument": map[string]interface{}{"Version": "2012-10-17", "Statement": []interface{}{map[string]interface{}{
			"Action":    "sts:AssumeRole",
			"Effect":    "Allow",
			"Principal": map[string]interface{}{"AWS": map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{"arn:", map[string]interface{}{"Ref": "AWS::Partition"}, ":iam::111111111111:root"}}}},
			"Condition": map[string]interface{}{"ArnEquals": map[string]interface{}{"aws:PrincipalArn": pipelineRole}},
		}}},
	})
	has("execution role is assumed by CloudFormation only", "AWS::IAM::Role", map[string]interface{}{
		"RoleName": "payments-staging-cfn-exec",
		"AssumeRolePolicyDocument": map[string]interface{}{"Version": "2012-10-17", "Statement": []interface{}{map[string]interface{}{
			"Action": "sts:AssumeRole", "Effect": "Allow",
			"Principal": map[string]interface{}{"Service": "cloudformation.amazonaws.com"},
		}}},
	})
	has("deploy role manages only the named stacks, in each region", "AWS::IAM::Policy", policyWith(stmt(map[string]interface{}{
		"Sid": "ManageDeployedStacks",
		"Resource": []interface{}{
			"arn:aws:cloudformation:eu-west-1:222222222222:stack/payments-app/*",
			"arn:aws:cloudformation:us-east-1:222222222222:stack/payments-app/*",
		},
	})))
	has("deploy role passes only the execution role, only to CloudFormation", "AWS::IAM::Policy", policyWith(stmt(map[string]interface{}{
		"Sid":       "PassExecutionRoleToCloudFormation",
		"Action":    "iam:PassRole",
		"Resource":  "arn:aws:iam::222222222222:role/relay/payments/payments-staging-cfn-exec",
		"Condition": map[string]interface{}{"StringEquals": map[string]interface{}{"iam:PassedToService": "cloudformation.amazonaws.com"}},
	})))
	has("deploy role reads artifacts and decrypts them", "AWS::IAM::Policy", policyWith(
		stmt(map[string]interface{}{"Sid": "ReadArtifactObjects", "Resource": "arn:aws:s3:::payments-artifacts-111111111111-us-east-1/*"}),
		stmt(map[string]interface{}{"Sid": "DecryptArtifacts", "Action": []interface{}{"kms:Decrypt", "kms:DescribeKey"}, "Resource": "arn:aws:kms:us-east-1:111111111111:key/*"}),
	))
	has("execution role gets the configured statements", "AWS::IAM::Policy", policyWith(stmt(map[string]interface{}{
		"Sid": "Functions", "Action": "lambda:*", "Resource": "*",
	})))
	has("execution role may not change the stack that holds the target (RelayStacks' default)", "AWS::IAM::Policy", policyWith(stmt(map[string]interface{}{
		"Sid": "DenyChangingRelayStacks", "Effect": "Deny", "Resource": "arn:aws:cloudformation:us-east-1:222222222222:stack/Staging/*",
	})))
	has("nor may the roles under the boundary", "AWS::IAM::ManagedPolicy", map[string]interface{}{
		"ManagedPolicyName": "payments-staging-cfn-exec-boundary",
		"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{stmt(map[string]interface{}{
			"Sid": "DenyChangingRelayStacks", "Effect": "Deny", "Resource": "arn:aws:cloudformation:us-east-1:222222222222:stack/Staging/*",
		})})}),
	})
	relaytest.Check(t, "no managed policy is attached by default", func() {
		tpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]interface{}{
			"RoleName": "payments-staging-cfn-exec", "ManagedPolicyArns": assertions.Match_Absent(),
		})
	})
}

func TestPropsValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *target.Props)
		want   []string
	}{
		{"valid", func(p *target.Props) {}, nil},
		// Relay's own stacks: the execution roles may not change them, so a
		// workload stack of the same name in one of their regions could
		// never deploy; another region, or a name of its own, is fine.
		{"Relay stacks", func(p *target.Props) {
			p.RelayStacks = []target.RelayStack{{Name: "payments-staging", Region: "us-east-1"}, {Name: "payments-app", Region: "eu-west-1"},
				{Name: "payments-app"}, {Name: "payments-app", Region: "ap-south-1"}, {Name: "1relay"},
				// A prefix covers the stacks whose names start so.
				{Name: "payments-tooling*"}, {Name: "payments-a*"}, {Name: "*"}}
		}, []string{
			`RelayStacks[1].Name "payments-app": also covers a stack the execution roles deploy, which they could then not change; give the workload's stack another name`,
			`RelayStacks[2].Name "payments-app": also covers a stack the execution roles deploy, which they could then not change; give the workload's stack another name`,
			`RelayStacks[4].Name "1relay": is not a valid CloudFormation stack name: a letter, then letters, digits and hyphens only (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html) (a prefix may end in *)`,
			`RelayStacks[6].Name "payments-a*": also covers a stack the execution roles deploy, which they could then not change; give the workload's stack another name`,
			`RelayStacks[7].Name "*": has 0 characters; a CloudFormation stack name has at least 1 (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html) (a prefix may end in *)`,
		}},
		{"accounts", func(p *target.Props) { p.Account = "2222"; p.PipelineAccount = "x" }, []string{
			`Account "2222": must be a 12-digit account ID`,
			`PipelineAccount "x": must be a 12-digit account ID`,
			`PipelineRoleArns[0] "` + pipelineRole + `": must be a role ARN in PipelineAccount x`,
		}},
		// What IAM refuses at deploy (MalformedPolicyDocument, or a
		// policy ARN CloudFormation cannot attach), or aws-cdk-lib refuses
		// with a message that names no field.
		{"statements IAM refuses", func(p *target.Props) {
			p.ExecutionStatements = []target.Statement{
				{Actions: []string{"s3GetObject", "s3:Get Object", "IAM:PassRole"}, Resources: []string{"payments-bucket", "arn:${AWS::Partition}:s3:::payments-data/reports"}},
				{Actions: []string{"sqs:SendMessage"}, Resources: []string{"arn:aws:sqs:us-east-1:222222222222:q"},
					Conditions: map[string]map[string][]string{"StringEqual": {"aws:ResourceTag/app": {"payments"}}, "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": {"app"}}}},
			}
			p.DeployStatements = []target.Statement{{Actions: []string{"ecs:UpdateService"}, Resources: []string{"arn:aws:ecs:us-east-1:222222222222:service/web/api"},
				Conditions: map[string]map[string][]string{"Null": {"aws:ResourceTag/app": {"false"}}}}}
		}, []string{
			`ExecutionStatements[0].Actions[0] "s3GetObject": not an IAM action; write service:Action, such as s3:GetObject (* and ? as wildcards)`,
			`ExecutionStatements[0].Actions[1] "s3:Get Object": not an IAM action; write service:Action, such as s3:GetObject (* and ? as wildcards)`,
			`ExecutionStatements[0].Actions[2] "IAM:PassRole": write the service prefix in lowercase, iam:PassRole (IAM reads it either way; the checks of IAM writes and admin-equivalent grants compare it in lowercase)`,
			`ExecutionStatements[0].Resources[0] "payments-bucket": not an ARN; IAM takes "*" or an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE), such as arn:aws:s3:::payments-bucket`,
			`ExecutionStatements[0].Resources[1] "arn:${AWS::Partition}:s3:::payments-data/reports": holds ${AWS::Partition}, CloudFormation's Fn::Sub syntax, which nothing resolves in a policy statement (IAM would read it as a policy variable no request has: a grant that matches nothing); write the partition as text, the account and region as ${account} and ${region} (filled for each role), or pass a token (awscdk.Aws_PARTITION(), awscdk.Fn_Sub(...))`,
			`ExecutionStatements[1].Conditions["StringEqual"]: not an IAM condition operator, such as StringEquals, StringLike, ArnLike, Bool or Null (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)`,
		}},
		// A condition operator without keys, or a key without values, was
		// written as is ("StringEquals": {}, "aws:RequestedRegion": []): a
		// condition that restricts nothing the team meant it to.
		{"empty conditions", func(p *target.Props) {
			p.ExecutionStatements[0].Conditions = map[string]map[string][]string{"StringEquals": nil, "StringLike": {"aws:RequestedRegion": nil, "aws:ResourceTag/app": {"payments"}}}
		}, []string{
			`ExecutionStatements[0].Conditions["StringEquals"]: no condition key, so the policy would hold an empty block ("StringEquals": {}); name a key and its values, or remove the operator`,
			`ExecutionStatements[0].Conditions["StringLike"]["aws:RequestedRegion"]: no value, so the policy would hold an empty list ("aws:RequestedRegion": []); give the values the key must match, or remove the key`,
		}},
		// IAM refuses a policy with a character above U+00FF or a
		// control character other than tab and line breaks.
		{"policy text IAM refuses", func(p *target.Props) {
			p.ExecutionStatements = []target.Statement{{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::payments-€/*"}, Reason: "The reports of every payment run.",
				Conditions: map[string]map[string][]string{"StringEquals": {"aws:ResourceTag/app": {"payments", "zahlungs\x00"}}}}}
		}, []string{
			`ExecutionStatements[0].Resources[0] "arn:aws:s3:::payments-€/*": holds "€" (U+20AC) at byte 22, which IAM refuses in a policy document (printable characters through U+00FF only, https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html); write it in those characters, or match it with a wildcard such as ?`,
			`ExecutionStatements[0].Conditions["StringEquals"]["aws:ResourceTag/app"][1] "zahlungs\x00": holds "\x00" (U+0000) at byte 8, which IAM refuses in a policy document (printable characters through U+00FF only, https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html); write it in those characters, or match it with a wildcard such as ?`,
		}},
		{"managed policies by name", func(p *target.Props) {
			p.ExecutionManagedPolicyArns = []string{"payments-deployer", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::${account}:policy/payments-deployer"}
		}, []string{
			`ExecutionManagedPolicyArns[0] "payments-deployer": not a managed policy ARN; write arn:aws:iam::${account}:policy/payments-deployer (a customer managed policy of the target account) or arn:aws:iam::aws:policy/NAME (an AWS managed one)`,
		}},
		// Relay's permissions boundary allows every action and only
		// caps: attached to the execution role, it would grant nearly
		// everything. A team policy under /relay/ is its own.
		{"managed policies Relay creates", func(p *target.Props) {
			p.ExecutionManagedPolicyArns = []string{"arn:aws:iam::${account}:policy/relay/payments/payments-staging-boundary", "arn:aws:iam::${account}:policy/relay/payments-deployer"}
		}, []string{
			`ExecutionManagedPolicyArns[0] "arn:aws:iam::${account}:policy/relay/payments/payments-staging-boundary": is a policy under Relay's IAM path /relay/<name>/ (an environment's permissions boundary or artifact reader policy), a managed policy Relay creates: the permissions boundary allows every action and only denies (it caps a role, it grants nothing by itself), so attached to a role it grants nearly everything, past the refusal of AdministratorAccess, and the artifact reader policy is for the CodeDeploy instance roles; grant what the stacks need with statements or a policy of your own`,
		}},
		{"no permissions", func(p *target.Props) { p.ExecutionStatements = nil }, []string{
			"ExecutionStatements []: grant the execution role what the stacks create (statements or managed policies); there is no AdministratorAccess default",
		}},
		{"role names", func(p *target.Props) { p.ExecutionRoleName = p.DeployRoleName; p.RolePath = "relay" }, []string{
			`RolePath "relay": is not a valid IAM path: / alone, or printable ASCII characters without spaces between a leading and a trailing / (such as /relay/orders/) only (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html)`,
			`ExecutionRoleName "payments-staging-deploy": must differ from DeployRoleName`,
		}},
		// Names aws-cdk-lib refuses with a message that names no field
		// (the path), or that AWS refuses at deploy time (the stacks, the
		// boundary policy).
		{"names AWS refuses", func(p *target.Props) {
			p.RolePath = "/" + strings.Repeat("p", 520) + "/"
			p.StackNames = []string{"payments-app", "paymënts", ""}
			p.ExecutionRoles = []target.ExecutionRole{{Name: "payments-staging-db-cfn-exec", StackNames: []string{"1db"}, ManagedPolicyArns: []string{"arn:aws:iam::222222222222:policy/db"}}}
			p.PermissionsBoundaryName = "payments boundary"
		}, []string{
			`RolePath "/` + strings.Repeat("p", 520) + `/": has 522 characters; an IAM path has at most 512 (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html)`,
			`StackNames[1] "paymënts": is not a valid CloudFormation stack name: a letter, then letters, digits and hyphens only (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html)`,
			`StackNames[2] "": has 0 characters; a CloudFormation stack name has at least 1 (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html)`,
			`ExecutionRoles[0].StackNames[0] "1db": is not a valid CloudFormation stack name: a letter, then letters, digits and hyphens only (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html)`,
			`PermissionsBoundaryName "payments boundary": is not a valid IAM managed policy name: letters, digits and +=,.@_- only (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)`,
		}},
		{"missing lists", func(p *target.Props) {
			p.Regions, p.StackNames, p.ArtifactBucketArns, p.ArtifactKeyArns, p.PipelineRoleArns = nil, nil, nil, nil, nil
		}, []string{
			"Regions []: name at least one region the deploy role deploys to",
			"PipelineRoleArns []: name the pipeline role that assumes the deploy role",
			"StackNames []: name the stacks the pipeline deploys, or give DeployStatements for another kind of deploy action",
			"ArtifactBucketArns []: name the artifact bucket the deploy role reads, or give its store in Stores",
			"ArtifactKeyArns []: name the artifact key the deploy role decrypts with, or give its store in Stores",
		}},
		{"step roles", func(p *target.Props) {
			p.StepRoles = []target.StepRole{
				{Name: "payments-staging-deploy", TrustedRoleArn: "arn:aws:iam::333333333333:role/payments-step-tf"},
				{Name: "payments-staging-tf-step", TrustedRoleArn: "arn:aws:iam::111111111111:role/payments-step-tf", Statements: []target.Statement{
					{Sid: "Escalate", Actions: []string{"iam:CreateRole", "iam:GetRole"}, Resources: []string{"arn:aws:iam::222222222222:role/x"}},
					{Sid: "Pass", Actions: []string{"iam:PassRole"}, Resources: []string{"arn:aws:iam::222222222222:role/app-*"}, Reason: "Terraform passes the app's roles."},
					{Sid: "Assume", Actions: []string{"sts:AssumeRole"}, Resources: []string{"arn:aws:iam::222222222222:role*"}, Reason: "Terraform assumes the roles it tests."},
					{Sid: "Stacks", Actions: []string{"cloudformation:DescribeStacks", "cloudformation:UpdateStack"}, Resources: []string{"arn:aws:cloudformation:us-east-1:222222222222:stack/payments-staging/*"}, Reason: "Stack IDs end in a generated suffix."},
				}},
			}
		}, []string{
			`StepRoles[0].Name "payments-staging-deploy": must be 1-64 characters of letters, digits and +=,.@_-, unlike the other roles' names`,
			`StepRoles[0].TrustedRoleArn "arn:aws:iam::333333333333:role/payments-step-tf": must be a role ARN in PipelineAccount 111111111111`,
			"StepRoles[0].Statements []: grant the step what it does in the account; a step role has no other permission",
			"StepRoles[1].Statements[0]: iam:CreateRole writes IAM, and no permissions boundary would bound the roles it creates; let the step create IAM resources through CloudFormation (a stack with its execution role), or grant IAM reads only",
			"StepRoles[1].Statements[2]: is as strong as AdministratorAccess: sts:AssumeRole on arn:aws:iam::222222222222:role* lets the role give itself administrator rights; grant the step what its job touches, by ARN",
			"StepRoles[1].Statements[3]: cloudformation:UpdateStack lets the role change CloudFormation stacks, which CloudFormation changes as each stack's service role without asking the caller for iam:PassRole: on the stacks the CDK deployed in the account, Relay's own among them, that is the bootstrap's cfn-exec-role (AdministratorAccess), through which the role could create any IAM resource; deploy stacks through the pipeline, each with its own execution role, or grant CloudFormation reads only",
			`StepRoles[1].Statements[1]: iam:PassRole on ["arn:aws:iam::222222222222:role/app-*"]: name each role; a pattern would let the role pass roles that nobody named`,
		}},
		// IAM attaches only AWS managed policies and customer managed
		// policies of the role's own account.
		{"managed policies of another account", func(p *target.Props) {
			p.ExecutionManagedPolicyArns = []string{"arn:aws:iam::111111111111:policy/payments-deployer", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::222222222222:policy/payments-deployer"}
			p.ExecutionRoles = []target.ExecutionRole{{Name: "payments-staging-db-cfn-exec", StackNames: []string{"payments-db"}, ManagedPolicyArns: []string{"arn:aws:iam::333333333333:policy/db"}}}
		}, []string{
			`ExecutionManagedPolicyArns[0] "arn:aws:iam::111111111111:policy/payments-deployer": a customer managed policy of account 111111111111; IAM attaches to a role of account 222222222222 only AWS managed policies and that account's own: create the policy in 222222222222 (with the same name in every target account, write its account as ${account}), or grant with statements`,
			`ExecutionRoles[0].ManagedPolicyArns[0] "arn:aws:iam::333333333333:policy/db": a customer managed policy of account 333333333333; IAM attaches to a role of account 222222222222 only AWS managed policies and that account's own: create the policy in 222222222222 (with the same name in every target account, write its account as ${account}), or grant with statements`,
		}},
		// IAM's default quota of managed policies per role (10): the
		// eleventh fails the role's creation. One ARN listed twice is
		// attached once.
		{"managed policies over the quota", func(p *target.Props) {
			var eleven, ten []string
			for i := range 11 {
				eleven = append(eleven, fmt.Sprintf("arn:aws:iam::${account}:policy/p%d", i))
			}
			ten = append(append(ten, eleven[:10]...), eleven[0])
			p.ExecutionManagedPolicyArns = eleven
			p.ExecutionRoles = []target.ExecutionRole{{Name: "payments-staging-db-cfn-exec", StackNames: []string{"payments-db"}, ManagedPolicyArns: ten}}
		}, []string{
			"ExecutionManagedPolicyArns: 11 managed policies for one role; IAM attaches at most 10 to a role (the default quota, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), so CloudFormation would fail to create the role: merge customer managed policies, grant with statements instead, or, once Service Quotas raised the quota to at least 11 (AWS allows up to 25) in every account this deploys to, declare it in Quotas.IAMManagedPoliciesPerRole",
		}},
		// The quota is adjustable (up to 25): declared raised in Quotas,
		// each execution role takes up to the declared value.
		{"managed policies within a declared quota", func(p *target.Props) {
			p.ExecutionManagedPolicyArns = policyArns(15)
			p.ExecutionRoles = []target.ExecutionRole{{Name: "payments-staging-db-cfn-exec", StackNames: []string{"payments-db"}, ManagedPolicyArns: policyArns(20)}}
			p.Quotas = limits.Quotas{IAMManagedPoliciesPerRole: 20}
		}, nil},
		{"managed policies over a declared quota", func(p *target.Props) {
			p.ExecutionRoles = []target.ExecutionRole{{Name: "payments-staging-db-cfn-exec", StackNames: []string{"payments-db"}, ManagedPolicyArns: policyArns(26)}}
			p.Quotas = limits.Quotas{IAMManagedPoliciesPerRole: 25}
		}, []string{
			"ExecutionRoles[0].ManagedPolicyArns: 26 managed policies for one role; IAM attaches at most 25 to a role (the quota declared in Quotas.IAMManagedPoliciesPerRole, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), so CloudFormation would fail to create the role: merge customer managed policies, or grant with statements instead",
		}},
		{"a declared quota above AWS's maximum", func(p *target.Props) {
			p.Quotas = limits.Quotas{IAMManagedPoliciesPerRole: 30, IAMRoleTrustPolicyLength: 1000}
		}, []string{
			"Quotas.IAMManagedPoliciesPerRole 30: must be 10 (AWS's default) to 25 (the most Service Quotas grants, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); declare the value Service Quotas shows in every account this deploys to, or leave it 0 for the default",
			"Quotas.IAMRoleTrustPolicyLength 1000: must be 2048 (AWS's default) to 4096 (the most Service Quotas grants, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); declare the value Service Quotas shows in every account this deploys to, or leave it 0 for the default",
		}},
		// A hook role that may change a role's policy and trust could make
		// that role trust it and hold any permission: as for a step role,
		// no boundary bounds what it writes.
		{"hook roles", func(p *target.Props) {
			p.HookRoleName = "payments-staging-hook"
			p.JobResultsRoleArn = "arn:aws:iam::111111111111:role/relay/payments/payments-job-results"
			p.HookFunctions = []string{"payments-smoke"}
			p.HookStatements = []target.Statement{
				{Sid: "Read", Actions: []string{"iam:GetRole", "lambda:GetAlias"}, Resources: []string{"arn:aws:iam::222222222222:role/app-api", "arn:aws:lambda:us-east-1:222222222222:function:app-api:live"}},
				{Sid: "Rewire", Actions: []string{"iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"}, Resources: []string{"arn:aws:iam::222222222222:role/app-api"}},
				{Sid: "Pass", Actions: []string{"iam:PassRole"}, Resources: []string{"arn:aws:iam::222222222222:role/app-*"}, Reason: "The hook passes the app's roles."},
				{Sid: "Stacks", Actions: []string{"cloudformation:*"}, Resources: []string{"arn:aws:cloudformation:us-east-1:222222222222:stack/app/*"}, Reason: "Stack IDs end in a generated suffix."},
			}
		}, []string{
			"HookStatements[1]: iam:PutRolePolicy writes IAM, and no permissions boundary would bound what the hook functions change; grant IAM reads only, and let a stack (its execution role) create or change IAM resources",
			"HookStatements[1]: iam:UpdateAssumeRolePolicy writes IAM, and no permissions boundary would bound what the hook functions change; grant IAM reads only, and let a stack (its execution role) create or change IAM resources",
			`HookStatements[2]: iam:PassRole on ["arn:aws:iam::222222222222:role/app-*"]: name each role; a pattern would let the hook functions pass roles the workload does not run`,
			"HookStatements[3]: cloudformation:* lets the role change CloudFormation stacks, which CloudFormation changes as each stack's service role without asking the caller for iam:PassRole: on the stacks the CDK deployed in the account, Relay's own among them, that is the bootstrap's cfn-exec-role (AdministratorAccess), through which the role could create any IAM resource; deploy stacks through the pipeline, each with its own execution role, or grant CloudFormation reads only",
		}},
		// The deploy and invoke roles have no permissions boundary either:
		// what a team adds to them through the props is held to the hook
		// role's rules (no administrator, no IAM write, no role chaining,
		// no stack changes that CloudFormation would make as its
		// service role).
		{"deploy and invoke statements unbounded", func(p *target.Props) {
			p.InvokeRoleName = "payments-staging-invoke"
			p.DeployStatements = []target.Statement{
				{Sid: "Ecs", Actions: []string{"ecs:UpdateService"}, Resources: []string{"arn:aws:ecs:us-east-1:222222222222:service/web/api"}},
				{Sid: "All", Actions: []string{"*"}, Resources: []string{"*"}, Reason: "The team wants it all."},
				{Sid: "Roles", Actions: []string{"iam:CreateRole", "iam:GetRole"}, Resources: []string{"arn:aws:iam::222222222222:role/app-*"}, Reason: "The app's roles, by prefix."},
				{Sid: "Chain", Actions: []string{"sts:AssumeRole"}, Resources: []string{"arn:aws:iam::222222222222:role/admin"}},
				{Sid: "Stacks", Actions: []string{"cloudformation:UpdateStack"}, Resources: []string{"arn:aws:cloudformation:us-east-1:222222222222:stack/app/*"}, Reason: "Stack IDs end in a generated suffix."},
			}
			p.InvokeStatements = []target.Statement{
				{Sid: "Invoke", Actions: []string{"lambda:InvokeFunction"}, Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:smoke"}},
				{Sid: "Iam", Actions: []string{"iam:*"}, Resources: []string{"arn:aws:iam::222222222222:role/smoke-*"}, Reason: "The smoke test's roles, by prefix."},
			}
		}, []string{
			"DeployStatements[1]: is as strong as AdministratorAccess: * on * includes iam:AttachRolePolicy, with which the role can give itself administrator rights; grant the deploy role what its actions call, by ARN",
			"DeployStatements[2]: iam:CreateRole writes IAM, and no permissions boundary bounds the deploy role; grant IAM reads only (and iam:PassRole on named roles), and let a stack (its execution role) create or change IAM resources",
			"DeployStatements[3]: sts:AssumeRole lets the deploy role assume another role and act with that role's permissions (role chaining), beyond its own statements; grant the deploy role what its actions call, by ARN",
			"DeployStatements[4]: cloudformation:UpdateStack lets the role change CloudFormation stacks, which CloudFormation changes as each stack's service role without asking the caller for iam:PassRole: on the stacks the CDK deployed in the account, Relay's own among them, that is the bootstrap's cfn-exec-role (AdministratorAccess), through which the role could create any IAM resource; deploy stacks through the pipeline, each with its own execution role, or grant CloudFormation reads only",
			"InvokeStatements[1]: iam:* writes IAM, and no permissions boundary bounds the invoke role; grant IAM reads only (and iam:PassRole on named roles), and let a stack (its execution role) create or change IAM resources",
		}},
		// A composed name with a missing part: the boundary of stack roles
		// alone was named "-boundary" (ExecutionRoleName + "-boundary").
		{"stack execution roles without a boundary name", func(p *target.Props) {
			p.StackNames, p.ExecutionRoleName, p.PermissionsBoundaryName = nil, "", ""
			p.DeployStatements = []target.Statement{{Sid: "Describe", Actions: []string{"cloudformation:DescribeStacks"}, Resources: []string{"arn:aws:cloudformation:us-east-1:222222222222:stack/payments-net/*"}, Reason: "Stack IDs end in a generated suffix."}}
			p.ExecutionRoles = []target.ExecutionRole{{Name: "payments-staging-net-cfn-exec", StackNames: []string{"payments-net"}, ManagedPolicyArns: []string{"arn:aws:iam::222222222222:policy/net"}}}
		}, []string{
			"PermissionsBoundaryName \"\": required with ExecutionRoles and no ExecutionRoleName to derive it from; name the boundary of the execution roles, such as payments-staging-boundary",
		}},
		// Silent mismatches of issue 14: each would deploy and fail only when
		// the pipeline first runs.
		{"bucket given by name", func(p *target.Props) { p.ArtifactBucketArns = []string{"payments-artifacts"} }, []string{
			`ArtifactBucketArns[0] "payments-artifacts": must be a bucket ARN, not a bucket name: arn:aws:s3:::payments-artifacts`,
		}},
		{"bucket ARN with an object key", func(p *target.Props) { p.ArtifactBucketArns = []string{"arn:aws:s3:::payments-artifacts/*"} }, []string{
			`ArtifactBucketArns[0] "arn:aws:s3:::payments-artifacts/*": must be a bucket ARN, arn:aws:s3:::BUCKET (no region, account or object key)`,
		}},
		{"key given by alias", func(p *target.Props) {
			p.ArtifactKeyArns = []string{"arn:aws:kms:us-east-1:111111111111:alias/relay/payments/artifacts"}
		}, []string{
			`ArtifactKeyArns[0] "arn:aws:kms:us-east-1:111111111111:alias/relay/payments/artifacts": must be a KMS key ARN or pattern, arn:aws:kms:REGION:ACCOUNT:key/ID (IAM does not match a key by its alias ARN)`,
		}},
		{"empty partition", func(p *target.Props) {
			p.PipelineRoleArns = []string{"arn::iam::111111111111:role/relay/payments/payments-pipeline"}
		}, []string{
			`PipelineRoleArns[0] "arn::iam::111111111111:role/relay/payments/payments-pipeline": the partition is empty (arn::...); use arn:aws:..., arn:aws-cn:... or arn:aws-us-gov:...`,
		}},
		// The trust pins aws:PrincipalArn with ArnEquals, which takes * and
		// ? as wildcards: a pattern would trust every matching role of the
		// pipeline's account, not the pipeline.
		{"trust patterns", func(p *target.Props) {
			p.PipelineRoleArns = []string{"arn:aws:iam::111111111111:role/*"}
			p.TrustedRoleArns = []string{"arn:aws:iam::111111111111:role/relay/payments/helm-?"}
			p.StepRoles = []target.StepRole{{Name: "payments-staging-tf-step", TrustedRoleArn: "arn:aws:iam::111111111111:role/payments-step-*",
				Statements: []target.Statement{{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::payments-state/key"}}}}}
		}, []string{
			`StepRoles[0].TrustedRoleArn "arn:aws:iam::111111111111:role/payments-step-*": a pattern: the trust (aws:PrincipalArn, ArnEquals, which takes * and ? as wildcards) would admit every matching role of account 111111111111; name the step project's role exactly`,
			`PipelineRoleArns[0] "arn:aws:iam::111111111111:role/*": a pattern: the trust (aws:PrincipalArn, ArnEquals, which takes * and ? as wildcards) would admit every matching role of account 111111111111; name each role exactly (naming.Names.PipelineRoleArn)`,
			`TrustedRoleArns[0] "arn:aws:iam::111111111111:role/relay/payments/helm-?": a pattern: the trust (aws:PrincipalArn, ArnEquals, which takes * and ? as wildcards) would admit every matching role of account 111111111111; name each role exactly (naming.Names.PipelineRoleArn)`,
		}},
		{"another partition", func(p *target.Props) { p.TrustedRoleArns = []string{"arn:aws-cn:iam::111111111111:role/helm"} }, []string{
			`TrustedRoleArns[0] "arn:aws-cn:iam::111111111111:role/helm": must be in partition aws (Partition)`,
		}},
		{"region typos", func(p *target.Props) { p.Regions = []string{"us-east1", "eu-west-l", "cn-north-1"} }, []string{
			`Regions[0] "us-east1": not an AWS region; did you mean "us-east-1"?`,
			`Regions[1] "eu-west-l": not an AWS region; did you mean "eu-west-1"?`,
			`Regions[2] "cn-north-1": a region of partition aws-cn, not aws; set Partition to aws-cn or pick a region of aws`,
		}},
		{"statement IDs IAM would refuse as repeated", func(p *target.Props) {
			p.DeployStatements = []target.Statement{
				{Sid: "ManageDeployedStacks", Actions: []string{"ecs:UpdateService"}, Resources: []string{"arn:aws:ecs:us-east-1:222222222222:service/payments/api"}},
				{Sid: "Ecs", Actions: []string{"ecs:DescribeServices"}, Resources: []string{"arn:aws:ecs:us-east-1:222222222222:service/payments/api"}},
				{Sid: "Ecs", Actions: []string{"ecs:DescribeTaskDefinition"}, Resources: []string{"arn:aws:ecs:us-east-1:222222222222:service/payments/api"}},
			}
			p.ExecutionStatements = append(p.ExecutionStatements, target.Statement{Sid: "DenyChangingRelayRoles", Actions: []string{"sqs:CreateQueue"}, Resources: []string{"arn:aws:sqs:us-east-1:222222222222:payments-q"}})
		}, []string{
			`DeployStatements[0].Sid "ManageDeployedStacks": Relay writes a statement with this Sid into the same policy, and IAM refuses repeated Sids; choose another Sid`,
			`DeployStatements[2].Sid "Ecs": also the Sid of DeployStatements[1], and IAM refuses repeated Sids in a policy; choose another Sid`,
			`ExecutionStatements[1].Sid "DenyChangingRelayRoles": Relay writes a statement with this Sid into the same policy, and IAM refuses repeated Sids; choose another Sid`,
		}},
		// Every hook function's statements join the hook role's one
		// policy beside ReportJobResults and WriteHookLogs: a repeated Sid
		// synthesized and CloudFormation would fail to create the policy.
		{"hook statement IDs IAM would refuse as repeated", func(p *target.Props) {
			p.HookRoleName = "payments-staging-hook"
			p.JobResultsRoleArn = "arn:aws:iam::111111111111:role/relay/payments/payments-job-results"
			p.HookFunctions = []string{"payments-smoke", "payments-check"}
			p.HookStatements = []target.Statement{
				{Sid: "WriteHookLogs", Actions: []string{"lambda:GetAlias"}, Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:app-api:live"}},
				{Sid: "Read", Actions: []string{"dynamodb:GetItem"}, Resources: []string{"arn:aws:dynamodb:us-east-1:222222222222:table/t"}},
				{Sid: "Read", Actions: []string{"dynamodb:Query"}, Resources: []string{"arn:aws:dynamodb:us-east-1:222222222222:table/u"}},
			}
		}, []string{
			`HookStatements[0].Sid "WriteHookLogs": Relay writes a statement with this Sid into the same policy, and IAM refuses repeated Sids; choose another Sid`,
			`HookStatements[2].Sid "Read": also the Sid of HookStatements[1], and IAM refuses repeated Sids in a policy; choose another Sid`,
		}},
		{"stack regions", func(p *target.Props) {
			p.StackRegions = map[string][]string{"payments-app": {"us-east-1", "ap-south-1"}, "other": {"us-east-1"}, "payments-app-eu": nil}
			p.StackNames = append(p.StackNames, "payments-app-eu")
		}, []string{
			`StackRegions["other"]: not a stack of StackNames or ExecutionRoles[].StackNames`,
			`StackRegions["payments-app"][1] "ap-south-1": not one of Regions [us-east-1 eu-west-1]`,
			`StackRegions["payments-app-eu"] []: name the regions of the stack, or leave it out for every region of Regions`,
		}},
		{"a stack of two execution roles", func(p *target.Props) {
			own := func(name string, stacks ...string) target.ExecutionRole {
				return target.ExecutionRole{Name: name, StackNames: stacks, ManagedPolicyArns: []string{"arn:aws:iam::222222222222:policy/dashboards"}}
			}
			p.ExecutionRoles = []target.ExecutionRole{own("payments-dash-cfn-exec", "payments-dashboards", "payments-app"), own("payments-edge-cfn-exec", "payments-edge", "payments-dashboards", "payments-edge")}
		}, []string{
			`ExecutionRoles[0].StackNames[1] "payments-app": also in StackNames; a stack is deployed with one execution role: list it under one role only`,
			`ExecutionRoles[1].StackNames[1] "payments-dashboards": also in ExecutionRoles[0].StackNames; a stack is deployed with one execution role: list it under one role only`,
		}},
		// A pattern of roles may match roles nobody reviewed, trusted by
		// CloudFormation or EC2: AWS's advice is an iam:PassedToService
		// condition (IAM User Guide, "Grant a user permissions to pass a
		// role to an AWS service"); a named role's trust bounds it.
		{"execution statements passing a pattern of roles to any service", func(p *target.Props) {
			p.ExecutionStatements = append(p.ExecutionStatements,
				target.Statement{Sid: "PassAny", Actions: []string{"iam:PassRole"}, Resources: []string{"arn:aws:iam::222222222222:role/app-*"}, Reason: "The app's roles end in generated suffixes."},
				target.Statement{Sid: "PassToLambda", Actions: []string{"iam:PassRole"}, Resources: []string{"arn:aws:iam::222222222222:role/app-*"}, Reason: "The app's roles end in generated suffixes.",
					Conditions: map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {"lambda.amazonaws.com"}}}},
				target.Statement{Sid: "PassTask", Actions: []string{"iam:PassRole"}, Resources: []string{"arn:aws:iam::222222222222:role/app-task"}},
				target.Statement{Sid: "PassAnyValue", Actions: []string{"iam:PassRole"}, Resources: []string{"arn:aws:iam::222222222222:role/app-*"}, Reason: "The app's roles end in generated suffixes.",
					Conditions: map[string]map[string][]string{"ForAnyValue:StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}})
			p.ExecutionRoles = []target.ExecutionRole{{Name: "payments-staging-db-cfn-exec", StackNames: []string{"payments-db"}, Statements: []target.Statement{
				{Sid: "Roles", Actions: []string{"iam:*"}, Resources: []string{"arn:aws:iam::222222222222:role/db-*"}, Reason: "The database's roles end in generated suffixes."}}}}
		}, []string{
			`ExecutionStatements[1]: iam:PassRole on ["arn:aws:iam::222222222222:role/app-*"] passes every matching role to any service that trusts it; grant it with Conditions {"StringEquals": {"iam:PassedToService": ["lambda.amazonaws.com"]}} naming the services (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html), or name each role`,
			`ExecutionStatements[4]: iam:PassRole on ["arn:aws:iam::222222222222:role/app-*"] passes every matching role to any service that trusts it (its ForAnyValue:StringEquals condition on iam:PassedToService does not count: the key is single-valued, and AWS advises no set operator with a single-valued key (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html); write StringEquals); grant it with Conditions {"StringEquals": {"iam:PassedToService": ["lambda.amazonaws.com"]}} naming the services (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html), or name each role`,
			`ExecutionRoles[0].Statements[0]: iam:* on ["arn:aws:iam::222222222222:role/db-*"] passes every matching role to any service that trusts it; grant it with Conditions {"StringEquals": {"iam:PassedToService": ["lambda.amazonaws.com"]}} naming the services (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html), or name each role`,
		}},
		// A step or hook role that may assume another role acts with that
		// role's permissions (role chaining), whichever role it names.
		{"step and hook roles assuming named roles", func(p *target.Props) {
			p.StepRoles = []target.StepRole{{Name: "payments-staging-tf-step", TrustedRoleArn: "arn:aws:iam::111111111111:role/payments-step-tf", Statements: []target.Statement{
				{Sid: "Assume", Actions: []string{"s3:GetObject", "sts:AssumeRole"}, Resources: []string{"arn:aws:iam::222222222222:role/app-admin"}}}}}
			p.HookRoleName = "payments-staging-hook"
			p.JobResultsRoleArn = "arn:aws:iam::111111111111:role/relay/payments/payments-job-results"
			p.HookFunctions = []string{"payments-smoke"}
			p.HookStatements = []target.Statement{{Sid: "Probe", Actions: []string{"sts:*"}, Resources: []string{"arn:aws:iam::333333333333:role/reader"}, Reason: "Every STS call of the check."}}
		}, []string{
			"StepRoles[0].Statements[0]: sts:AssumeRole lets the step role assume another role and act with that role's permissions (role chaining), beyond its own statements; grant the step what its job touches, by ARN",
			"HookStatements[0]: sts:* lets the hook role assume another role and act with that role's permissions (role chaining), beyond its own statements; grant the hook functions what they read, by ARN",
		}},
		// A role that may pass one of Relay's roles and create a function
		// runs code as it: the recovery and hook roles trust Lambda
		// without a source condition. The workload's own roles stay
		// passable.
		{"step, hook, deploy and invoke roles passing Relay's roles", func(p *target.Props) {
			p.StepRoles = []target.StepRole{{Name: "payments-staging-tf-step", TrustedRoleArn: "arn:aws:iam::111111111111:role/payments-step-tf", Statements: []target.Statement{
				{Sid: "Pass", Actions: []string{"lambda:CreateFunction", "iam:PassRole"}, Resources: []string{"arn:aws:iam::222222222222:role/app-api", "arn:aws:iam::222222222222:role/relay/payments/payments-staging-hook"}}}}}
			p.HookRoleName = "payments-staging-hook"
			p.JobResultsRoleArn = "arn:aws:iam::111111111111:role/relay/payments/payments-job-results"
			p.HookFunctions = []string{"payments-smoke"}
			p.HookStatements = []target.Statement{{Sid: "Pass", Actions: []string{"iam:passRole"}, Resources: []string{"arn:aws:iam::222222222222:role/relay/payments/payments-staging-cfn-exec"}}}
			p.DeployStatements = []target.Statement{{Sid: "PassTaskRoles", Actions: []string{"iam:passrole"}, Resources: []string{"arn:aws:iam::222222222222:role/app-task", "arn:aws:iam::111111111111:role/relay/payments/payments-recovery"}}}
			p.InvokeRoleName = "payments-staging-invoke"
			p.InvokeStatements = []target.Statement{{Sid: "Run", Actions: []string{"lambda:InvokeFunction", "iam:PassRole"}, Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:payments-smoke", "arn:aws:iam::222222222222:role/relay/payments/payments-staging-deploy"}}}
		}, []string{
			`StepRoles[0].Statements[0].Resources[1] "arn:aws:iam::222222222222:role/relay/payments/payments-staging-hook": ` + passRelayRole,
			`DeployStatements[0].Resources[1] "arn:aws:iam::111111111111:role/relay/payments/payments-recovery": ` + passRelayRole,
			`InvokeStatements[0].Resources[1] "arn:aws:iam::222222222222:role/relay/payments/payments-staging-deploy": ` + passRelayRole,
			`HookStatements[0].Resources[0] "arn:aws:iam::222222222222:role/relay/payments/payments-staging-cfn-exec": ` + passRelayRole,
		}},
		// In the tooling account: RelayTooling must name resources there,
		// and the roles that get its Deny may not reuse its Sid.
		{"Relay tooling", func(p *target.Props) {
			p.RelayTooling = []string{"arn:aws:codebuild:*:222222222222:project/payments-*", "arn:aws:s3:::payments-artifacts-222222222222-*",
				"arn:aws:codepipeline:*:333333333333:payments", "payments-recovery"}
			p.StepRoles = []target.StepRole{{Name: "payments-staging-tf-step", TrustedRoleArn: "arn:aws:iam::111111111111:role/payments-step-tf", Statements: []target.Statement{
				{Sid: "DenyUsingRelayTooling", Actions: []string{"ssm:GetParameter"}, Resources: []string{"arn:aws:ssm:us-east-1:222222222222:parameter/x"}}}}}
			p.HookRoleName = "payments-staging-hook"
			p.JobResultsRoleArn = "arn:aws:iam::111111111111:role/relay/payments/payments-job-results"
			p.HookFunctions = []string{"payments-smoke"}
			p.HookStatements = []target.Statement{{Sid: "DenyUsingRelayTooling", Actions: []string{"ssm:GetParameter"}, Resources: []string{"arn:aws:ssm:us-east-1:222222222222:parameter/x"}}}
		}, []string{
			`RelayTooling[2] "arn:aws:codepipeline:*:333333333333:payments": must be an ARN (pattern) of a resource in Account 222222222222 (an S3 ARN names no account), the pipeline's tooling account, such as those naming.Names.ToolingResources lists`,
			`RelayTooling[3] "payments-recovery": must be an ARN (pattern) of a resource in Account 222222222222 (an S3 ARN names no account), the pipeline's tooling account, such as those naming.Names.ToolingResources lists`,
			`StepRoles[0].Statements[0].Sid "DenyUsingRelayTooling": Relay writes a statement with this Sid into the same policy, and IAM refuses repeated Sids; choose another Sid`,
			`HookStatements[0].Sid "DenyUsingRelayTooling": Relay writes a statement with this Sid into the same policy, and IAM refuses repeated Sids; choose another Sid`,
		}},
		{"tokens are accepted where ARNs are", func(p *target.Props) {
			p.ArtifactBucketArns = []string{"${Token[TOKEN.80]}"}
			p.PipelineRoleArns = []string{"${Token[TOKEN.81]}"}
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := validProps()
			tc.mutate(p)
			err := p.Validate()
			relaytest.ValidateError(t, err, "target.Props: ", tc.want)
			relaytest.FieldPaths(t, p, err)
		})
	}
}

// TestDeleteFailedStacks: with DeleteFailedStacks, the deploy role may
// delete each stack only through the execution role it is deployed with
// (one statement per role) and only in its regions (StackRegions), as it
// manages it.
func TestDeleteFailedStacks(t *testing.T) {
	const (
		stacks = "arn:aws:cloudformation:%s:222222222222:stack/%s/*"
		roles  = "arn:aws:iam::222222222222:role/relay/payments/"
	)
	type stmt struct{ sid, role string }
	dashboards := target.ExecutionRole{Name: "payments-staging-dashboards-cfn-exec", StackNames: []string{"payments-dashboards"},
		Statements: []target.Statement{{Sid: "Dashboards", Actions: []string{"cloudwatch:PutDashboard"}, Resources: []string{"arn:aws:cloudwatch::222222222222:dashboard/payments-*"}, Reason: "The stack names its dashboards payments-<view>."}}}
	tests := []struct {
		name   string
		mutate func(p *target.Props)
		// manage are the stacks of ManageDeployedStacks; deletes those of
		// each DeleteStack statement.
		manage  []string
		deletes map[stmt][]string
	}{
		{"one execution role", func(p *target.Props) {}, []string{
			fmt.Sprintf(stacks, "eu-west-1", "payments-app"), fmt.Sprintf(stacks, "us-east-1", "payments-app"),
		}, map[stmt][]string{
			{"DeleteStacksLeftInRollbackComplete", roles + "payments-staging-cfn-exec"}: {fmt.Sprintf(stacks, "eu-west-1", "payments-app"), fmt.Sprintf(stacks, "us-east-1", "payments-app")},
		}},
		{"a stack with its own execution role", func(p *target.Props) { p.ExecutionRoles = []target.ExecutionRole{dashboards} }, []string{
			fmt.Sprintf(stacks, "eu-west-1", "payments-app"), fmt.Sprintf(stacks, "eu-west-1", "payments-dashboards"),
			fmt.Sprintf(stacks, "us-east-1", "payments-app"), fmt.Sprintf(stacks, "us-east-1", "payments-dashboards"),
		}, map[stmt][]string{
			{"DeleteStacksLeftInRollbackComplete", roles + "payments-staging-cfn-exec"}:             {fmt.Sprintf(stacks, "eu-west-1", "payments-app"), fmt.Sprintf(stacks, "us-east-1", "payments-app")},
			{"DeleteStacksLeftInRollbackComplete1", roles + "payments-staging-dashboards-cfn-exec"}: {fmt.Sprintf(stacks, "eu-west-1", "payments-dashboards"), fmt.Sprintf(stacks, "us-east-1", "payments-dashboards")},
		}},
		{"only stacks with their own execution role, named per region", func(p *target.Props) {
			p.StackNames, p.ExecutionStatements = nil, nil
			d := dashboards
			d.StackNames = []string{"payments-dashboards-us-east-1", "payments-dashboards-eu-west-1"}
			p.ExecutionRoles = []target.ExecutionRole{d}
			p.StackRegions = map[string][]string{"payments-dashboards-us-east-1": {"us-east-1"}, "payments-dashboards-eu-west-1": {"eu-west-1"}}
		}, []string{
			fmt.Sprintf(stacks, "eu-west-1", "payments-dashboards-eu-west-1"), fmt.Sprintf(stacks, "us-east-1", "payments-dashboards-us-east-1"),
		}, map[stmt][]string{
			{"DeleteStacksLeftInRollbackComplete1", roles + "payments-staging-dashboards-cfn-exec"}: {
				fmt.Sprintf(stacks, "eu-west-1", "payments-dashboards-eu-west-1"), fmt.Sprintf(stacks, "us-east-1", "payments-dashboards-us-east-1"),
			},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := relaytest.NewApp()
			stack := awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
			})
			p := validProps()
			p.DeleteFailedStacks = true
			tc.mutate(p)
			relaytest.Do(t, "target.New", func() { target.New(stack, "Target", p) })
			var manage []string
			deletes := map[stmt][]string{}
			for _, st := range deployRoleStatements(t, stack) {
				switch {
				case st.sid == "ManageDeployedStacks":
					manage = st.resources
				case slices.Equal(st.actions, []string{"cloudformation:DeleteStack"}):
					deletes[stmt{st.sid, st.roleArn(t)}] = st.resources
				}
			}
			if diff := cmp.Diff(tc.manage, manage); diff != "" {
				t.Errorf("ManageDeployedStacks (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.deletes, deletes, cmp.AllowUnexported(stmt{})); diff != "" {
				t.Errorf("DeleteStack statements (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCreateChangeSets: the deploy role creates a change set of each stack
// only passing the execution role the stack is deployed with (one
// statement per role, on that role's stacks in their regions), and
// describes, executes and deletes change sets of all its stacks; it passes
// every execution role to CloudFormation only.
func TestCreateChangeSets(t *testing.T) {
	const (
		stacks = "arn:aws:cloudformation:%s:222222222222:stack/%s/*"
		roles  = "arn:aws:iam::222222222222:role/relay/payments/"
	)
	arn := func(region, name string) string { return fmt.Sprintf(stacks, region, name) }
	type stmt struct{ sid, role string }
	ownRole := func(name string, stacks ...string) target.ExecutionRole {
		return target.ExecutionRole{Name: name, StackNames: stacks,
			Statements: []target.Statement{{Sid: "Dashboards", Actions: []string{"cloudwatch:PutDashboard"}, Resources: []string{"arn:aws:cloudwatch::222222222222:dashboard/payments-*"}, Reason: "The stack names its dashboards payments-<view>."}}}
	}
	tests := []struct {
		name   string
		mutate func(p *target.Props)
		// manage are the stacks of ManageDeployedStacks, creates those of
		// each CreateChangeSet statement, passes the roles of
		// PassExecutionRoleToCloudFormation.
		manage  []string
		creates map[stmt][]string
		passes  []string
	}{
		{"one execution role: no change set without it", func(p *target.Props) {},
			[]string{arn("eu-west-1", "payments-app"), arn("us-east-1", "payments-app")},
			map[stmt][]string{
				{"CreateChangeSetsWithExecutionRole", roles + "payments-staging-cfn-exec"}: {arn("eu-west-1", "payments-app"), arn("us-east-1", "payments-app")},
			},
			[]string{roles + "payments-staging-cfn-exec"}},
		{"a stack with its own execution role", func(p *target.Props) {
			p.ExecutionRoles = []target.ExecutionRole{ownRole("payments-staging-dashboards-cfn-exec", "payments-dashboards")}
		},
			[]string{arn("eu-west-1", "payments-app"), arn("eu-west-1", "payments-dashboards"), arn("us-east-1", "payments-app"), arn("us-east-1", "payments-dashboards")},
			map[stmt][]string{
				{"CreateChangeSetsWithExecutionRole", roles + "payments-staging-cfn-exec"}:             {arn("eu-west-1", "payments-app"), arn("us-east-1", "payments-app")},
				{"CreateChangeSetsWithExecutionRole1", roles + "payments-staging-dashboards-cfn-exec"}: {arn("eu-west-1", "payments-dashboards"), arn("us-east-1", "payments-dashboards")},
			},
			[]string{roles + "payments-staging-cfn-exec", roles + "payments-staging-dashboards-cfn-exec"}},
		{"two stacks with roles of their own, one in one region", func(p *target.Props) {
			p.ExecutionRoles = []target.ExecutionRole{
				ownRole("payments-staging-dashboards-cfn-exec", "payments-dashboards"),
				ownRole("payments-staging-edge-cfn-exec", "payments-edge-us-east-1", "payments-cdn"),
			}
			p.StackRegions = map[string][]string{"payments-edge-us-east-1": {"us-east-1"}}
		},
			[]string{arn("eu-west-1", "payments-app"), arn("eu-west-1", "payments-cdn"), arn("eu-west-1", "payments-dashboards"),
				arn("us-east-1", "payments-app"), arn("us-east-1", "payments-cdn"), arn("us-east-1", "payments-dashboards"), arn("us-east-1", "payments-edge-us-east-1")},
			map[stmt][]string{
				{"CreateChangeSetsWithExecutionRole", roles + "payments-staging-cfn-exec"}:             {arn("eu-west-1", "payments-app"), arn("us-east-1", "payments-app")},
				{"CreateChangeSetsWithExecutionRole1", roles + "payments-staging-dashboards-cfn-exec"}: {arn("eu-west-1", "payments-dashboards"), arn("us-east-1", "payments-dashboards")},
				{"CreateChangeSetsWithExecutionRole2", roles + "payments-staging-edge-cfn-exec"}:       {arn("eu-west-1", "payments-cdn"), arn("us-east-1", "payments-cdn"), arn("us-east-1", "payments-edge-us-east-1")},
			},
			[]string{roles + "payments-staging-cfn-exec", roles + "payments-staging-dashboards-cfn-exec", roles + "payments-staging-edge-cfn-exec"}},
		{"only stacks with their own execution role, named per region", func(p *target.Props) {
			p.StackNames, p.ExecutionStatements = nil, nil
			p.ExecutionRoles = []target.ExecutionRole{ownRole("payments-staging-dashboards-cfn-exec", "payments-dashboards-us-east-1", "payments-dashboards-eu-west-1")}
			p.StackRegions = map[string][]string{"payments-dashboards-us-east-1": {"us-east-1"}, "payments-dashboards-eu-west-1": {"eu-west-1"}}
		},
			[]string{arn("eu-west-1", "payments-dashboards-eu-west-1"), arn("us-east-1", "payments-dashboards-us-east-1")},
			map[stmt][]string{
				{"CreateChangeSetsWithExecutionRole1", roles + "payments-staging-dashboards-cfn-exec"}: {arn("eu-west-1", "payments-dashboards-eu-west-1"), arn("us-east-1", "payments-dashboards-us-east-1")},
			},
			[]string{roles + "payments-staging-dashboards-cfn-exec"}},
	}
	manageActions := []string{"cloudformation:DeleteChangeSet", "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet",
		"cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := relaytest.NewApp()
			stack := awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
			})
			p := validProps()
			tc.mutate(p)
			relaytest.Do(t, "target.New", func() { target.New(stack, "Target", p) })
			var manage, passes []string
			creates := map[stmt][]string{}
			sids := map[string]bool{}
			for _, st := range deployRoleStatements(t, stack) {
				if sids[st.sid] {
					t.Errorf("Sid %q repeats; IAM refuses the policy", st.sid)
				}
				sids[st.sid] = true
				switch {
				case st.sid == "ManageDeployedStacks":
					manage = st.resources
					if diff := cmp.Diff(manageActions, st.actions); diff != "" || st.condition != nil {
						t.Errorf("ManageDeployedStacks: actions (-want +got):\n%s, condition %v", diff, st.condition)
					}
				case strings.HasPrefix(st.sid, "CreateChangeSetsWithExecutionRole"):
					if !slices.Equal(st.actions, []string{"cloudformation:CreateChangeSet"}) {
						t.Errorf("%s: actions %v, want cloudformation:CreateChangeSet only", st.sid, st.actions)
					}
					creates[stmt{st.sid, st.roleArn(t)}] = st.resources
				case st.sid == "PassExecutionRoleToCloudFormation":
					passes = st.resources
				default:
					for _, a := range st.actions {
						if strings.HasPrefix(a, "cloudformation:") || a == "iam:PassRole" {
							t.Errorf("%s: %s outside the stack statements", st.sid, a)
						}
					}
				}
			}
			if diff := cmp.Diff(tc.manage, manage); diff != "" {
				t.Errorf("ManageDeployedStacks (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.creates, creates, cmp.AllowUnexported(stmt{})); diff != "" {
				t.Errorf("CreateChangeSet statements (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.passes, passes); diff != "" {
				t.Errorf("PassExecutionRoleToCloudFormation (-want +got):\n%s", diff)
			}
		})
	}
}

// policyStatement is one statement of a synthesized policy document.
type policyStatement struct {
	sid                string
	actions, resources []string
	condition          map[string]interface{}
}

// roleArn is the one execution role of st's condition ArnEquals
// cloudformation:RoleArn, or "" (and an error) when st has not exactly one.
func (st policyStatement) roleArn(t *testing.T) string {
	t.Helper()
	eq, _ := st.condition["ArnEquals"].(map[string]interface{})
	role, ok := eq["cloudformation:RoleArn"].(string)
	if !ok || len(st.condition) != 1 || len(eq) != 1 {
		t.Errorf("%s: condition %v; want ArnEquals cloudformation:RoleArn of one execution role", st.sid, st.condition)
	}
	return role
}

// deployRoleStatements are the statements of the deploy role's inline
// policy in stack, in order.
func deployRoleStatements(t *testing.T, stack awscdk.Stack) []policyStatement {
	t.Helper()
	strs := func(v interface{}) []string {
		var out []string
		for _, x := range list(v) {
			out = append(out, x.(string))
		}
		return out
	}
	var out []policyStatement
	for _, r := range relaytest.JSON(t, stack)["Resources"].(map[string]interface{}) {
		res := r.(map[string]interface{})
		props, _ := res["Properties"].(map[string]interface{})
		if res["Type"] != "AWS::IAM::Policy" || !strings.Contains(fmt.Sprint(props["Roles"]), "DeployRole") {
			continue
		}
		for _, raw := range props["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
			st := raw.(map[string]interface{})
			sid, _ := st["Sid"].(string)
			cond, _ := st["Condition"].(map[string]interface{})
			out = append(out, policyStatement{sid: sid, actions: strs(st["Action"]), resources: strs(st["Resource"]), condition: cond})
		}
	}
	return out
}

func list(v interface{}) []interface{} {
	if l, ok := v.([]interface{}); ok {
		return l
	}
	return []interface{}{v}
}

// TestDeployPolicySize: DeployPolicySize, from the props alone, is the
// size of the deploy role's inline policies as measured on the template New
// writes (package delivery weighs changes to a config with it).
func TestDeployPolicySize(t *testing.T) {
	dashboards := target.ExecutionRole{Name: "payments-staging-dashboards-cfn-exec", StackNames: []string{"payments-dashboards-us-east-1", "payments-cdn"},
		Statements: []target.Statement{{Sid: "Dashboards", Actions: []string{"cloudwatch:PutDashboard"}, Resources: []string{"arn:aws:cloudwatch::222222222222:dashboard/payments-*"}, Reason: "The stack names its dashboards payments-<view>."}}}
	for _, tc := range []struct {
		name   string
		mutate func(p *target.Props)
	}{
		{"one execution role", func(p *target.Props) {}},
		{"roles of their own, regional stacks, deletes", func(p *target.Props) {
			p.ExecutionRoles = []target.ExecutionRole{dashboards}
			p.StackRegions = map[string][]string{"payments-dashboards-us-east-1": {"us-east-1"}}
			p.DeleteFailedStacks = true
			p.TrustedRoleArns = []string{"arn:aws:iam::111111111111:role/relay/payments/payments-recovery"}
		}},
		{"deploy statements only", func(p *target.Props) {
			p.StackNames, p.ExecutionRoleName, p.ExecutionStatements = nil, "", nil
			p.DeployStatements = []target.Statement{{Sid: "UpdateService", Actions: []string{"ecs:UpdateService", "ecs:DescribeServices"},
				Resources: []string{"arn:aws:ecs:us-east-1:222222222222:service/payments/api"}}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := relaytest.NewApp()
			stack := awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
			})
			p := validProps()
			tc.mutate(p)
			var dt *target.DeploymentTarget
			relaytest.Do(t, "target.New", func() { dt = target.New(stack, "Target", p) })
			var id string
			relaytest.Do(t, "the deploy role's logical ID", func() { id = *stack.GetLogicalId(dt.DeployRole().Node().DefaultChild().(awscdk.CfnElement)) })
			measured := policysize.Measure(relaytest.JSON(t, stack)).RoleInline[id]
			if got := p.DeployPolicySize(); got != measured || got == 0 {
				t.Errorf("DeployPolicySize() = %d, the template's deploy role %s has %d", got, id, measured)
			}
		})
	}
}

// TestNewNamesTheField: target.New refuses a role path aws-cdk-lib would
// refuse, with Validate's message (the field, the value, the limit), not
// aws-cdk-lib's, and creates nothing.
func TestNewNamesTheField(t *testing.T) {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
	})
	for _, path := range []string{"/" + strings.Repeat("p", 520) + "/", "/relay/paymënts/"} {
		p := validProps()
		p.RolePath = path
		err := p.Validate()
		if err == nil {
			t.Fatalf("Validate() = nil for RolePath %q", path)
		}
		msg, ok := relaytest.Recover(func() { target.New(stack, "Delivery", p) })
		if ok || msg != err.Error() {
			t.Errorf("target.New with RolePath %q panicked %v with %q, want %q", path, !ok, msg, err.Error())
		}
	}
	if stack.Node().TryFindChild(jsii.String("Delivery")) != nil {
		t.Error("target.New added a construct before it panicked")
	}
}

// TestStoresNameTheStore: a problem of a store given in Stores names
// Stores[i], which the caller wrote, not the ArtifactKeyArns entry it
// expands to (which the caller never wrote).
func TestStoresNameTheStore(t *testing.T) {
	app := relaytest.NewApp()
	tooling := awscdk.NewStack(app, jsii.String("Tooling"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east1")},
	})
	var store *artifacts.Store
	relaytest.Do(t, "artifacts.NewStore", func() {
		store = artifacts.NewStore(tooling, "Artifacts", &artifacts.StoreProps{BucketName: "payments-artifacts"})
	})
	p := validProps()
	p.ArtifactBucketArns, p.ArtifactKeyArns, p.Stores = nil, nil, []*artifacts.Store{store}
	err := p.Validate()
	relaytest.ValidateError(t, err, "target.Props: ", []string{
		`Stores[0] Tooling/Artifacts: its stack's region "us-east1": not an AWS region; did you mean "us-east-1"?`,
	})
	relaytest.FieldPaths(t, p, err)
}

// ExampleNew shows a team adding Relay's deployment target to a stack of its
// own, in the account the pipeline deploys to.
func ExampleNew() {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("TeamBaseline"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("eu-west-1")},
	})
	// The names the pipeline's App uses too (its RoleName, RolePath, store).
	n := naming.Names{Name: "orders", ToolingAccount: "111111111111", ToolingRegion: "eu-west-1"}
	t := target.New(stack, "Delivery", &target.Props{
		Account:            "222222222222",
		Regions:            []string{"eu-west-1"},
		RolePath:           n.RolePath(),
		DeployRoleName:     n.DeployRole("staging"),
		ExecutionRoleName:  n.ExecutionRole("staging"),
		PipelineAccount:    n.ToolingAccount,
		PipelineRoleArns:   []string{n.PipelineRoleArn()},
		StackNames:         []string{"orders-service"},
		ArtifactBucketArns: []string{n.ArtifactBucketArn("eu-west-1")},
		ArtifactKeyArns:    []string{n.ArtifactKeyPattern("eu-west-1")},
		ExecutionManagedPolicyArns: []string{
			"arn:aws:iam::222222222222:policy/orders-service-deployer",
		},
	})
	_ = t.DeployRole() // wire it to anything else in the team's stack
	tpl := assertions.Template_FromStack(stack, nil)
	var names []string
	for _, r := range *tpl.FindResources(jsii.String("AWS::IAM::Role"), nil) {
		names = append(names, (*r)["Properties"].(map[string]interface{})["RoleName"].(string))
	}
	sort.Strings(names)
	fmt.Println(strings.Join(names, "\n"))
	// Output:
	// orders-staging-cfn-exec
	// orders-staging-deploy
}

// ExampleDeploymentTarget_ExecutionRole shows a team granting Relay's
// execution role access to a resource of its own stack: the statement
// lands in the role's one inline policy, under its Deny statements (the
// guards of the permissions boundary its stacks must give the roles they
// create).
func ExampleDeploymentTarget_ExecutionRole() {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("TeamBaseline"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("eu-west-1")},
	})
	n := naming.Names{Name: "orders", ToolingAccount: "111111111111", ToolingRegion: "eu-west-1"}
	t := target.New(stack, "Delivery", &target.Props{
		Account:            "222222222222",
		Regions:            []string{"eu-west-1"},
		RolePath:           n.RolePath(),
		DeployRoleName:     n.DeployRole("staging"),
		ExecutionRoleName:  n.ExecutionRole("staging"),
		PipelineAccount:    n.ToolingAccount,
		PipelineRoleArns:   []string{n.PipelineRoleArn()},
		StackNames:         []string{"orders-service"},
		ArtifactBucketArns: []string{n.ArtifactBucketArn("eu-west-1")},
		ArtifactKeyArns:    []string{n.ArtifactKeyPattern("eu-west-1")},
		ExecutionStatements: []target.Statement{
			{Sid: "Queues", Actions: []string{"sqs:*"}, Resources: []string{"arn:aws:sqs:eu-west-1:222222222222:orders-*"}, Reason: "The service stack creates its own queues."},
		},
	})
	// The service's stacks read their settings from the team's parameter.
	settings := awsssm.NewStringParameter(stack, jsii.String("Settings"), &awsssm.StringParameterProps{StringValue: jsii.String("{}")})
	settings.GrantRead(t.ExecutionRole())

	tpl := *assertions.Template_FromStack(stack, nil).ToJSON()
	for _, r := range tpl["Resources"].(map[string]interface{}) {
		props, _ := r.(map[string]interface{})["Properties"].(map[string]interface{})
		if r.(map[string]interface{})["Type"] != "AWS::IAM::Policy" || !strings.HasPrefix(fmt.Sprint(props["Roles"]), "[map[Ref:DeliveryExecutionRole") {
			continue
		}
		for _, st := range props["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
			if sid, _ := st.(map[string]interface{})["Sid"].(string); sid == "" || sid == "Queues" {
				fmt.Println(st.(map[string]interface{})["Action"])
			}
		}
	}
	// Output:
	// sqs:*
	// [ssm:DescribeParameters ssm:GetParameters ssm:GetParameter ssm:GetParameterHistory]
}

func TestWildcardReasons(t *testing.T) {
	const (
		lambdaReason = "The application creates and updates its Lambda functions."
		logsReason   = "Log groups are named by the application at deploy time."
		tableReason  = "The table's indexes are named by the application."
	)
	tests := []struct {
		name       string
		statements []target.Statement
		want       map[string]string
	}{
		{name: "no statements", statements: nil, want: map[string]string{}},
		{
			name: "no wildcards, no findings",
			statements: []target.Statement{{
				Actions:   []string{"lambda:CreateFunction", "lambda:UpdateFunctionCode"},
				Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:payments"},
			}},
			want: map[string]string{},
		},
		{
			name: "? is not a wildcard finding",
			statements: []target.Statement{{
				Actions:   []string{"s3:GetObjec?"},
				Resources: []string{"arn:aws:s3:::payments-data-?"},
				Reason:    "A single-character pattern is not reported by cdk-nag.",
			}},
			want: map[string]string{},
		},
		{
			name: "wildcard actions",
			statements: []target.Statement{{
				Actions:   []string{"lambda:*", "lambda:Get*", "iam:PassRole"},
				Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:payments"},
				Reason:    lambdaReason,
			}},
			want: map[string]string{
				"Action::lambda:*":    lambdaReason,
				"Action::lambda:Get*": lambdaReason,
			},
		},
		{
			name: "wildcard resources",
			statements: []target.Statement{{
				Actions:   []string{"logs:CreateLogGroup"},
				Resources: []string{"arn:aws:logs:us-east-1:222222222222:log-group:/payments/*", "*", "arn:aws:logs:us-east-1:222222222222:log-group:fixed"},
				Reason:    logsReason,
			}},
			want: map[string]string{
				"Resource::arn:aws:logs:us-east-1:222222222222:log-group:/payments/*": logsReason,
				"Resource::*": logsReason,
			},
		},
		{
			name: "each statement brings its own reason",
			statements: []target.Statement{
				{Actions: []string{"lambda:*"}, Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:payments"}, Reason: lambdaReason},
				{Actions: []string{"logs:CreateLogGroup"}, Resources: []string{"arn:aws:logs:us-east-1:222222222222:log-group:*"}, Reason: logsReason},
				{Actions: []string{"dynamodb:Query"}, Resources: []string{"arn:aws:dynamodb:us-east-1:222222222222:table/payments"}},
			},
			want: map[string]string{
				"Action::lambda:*": lambdaReason,
				"Resource::arn:aws:logs:us-east-1:222222222222:log-group:*": logsReason,
			},
		},
		{
			name: "same finding from two statements joins both reasons",
			statements: []target.Statement{
				{Actions: []string{"dynamodb:Query"}, Resources: []string{"arn:aws:dynamodb:us-east-1:222222222222:table/payments/*"}, Reason: tableReason},
				{Actions: []string{"lambda:*"}, Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:payments"}, Reason: lambdaReason},
				{Actions: []string{"dynamodb:Scan"}, Resources: []string{"arn:aws:dynamodb:us-east-1:222222222222:table/payments/*"}, Reason: logsReason},
			},
			want: map[string]string{
				"Resource::arn:aws:dynamodb:us-east-1:222222222222:table/payments/*": tableReason + " " + logsReason,
				"Action::lambda:*": lambdaReason,
			},
		},
		{
			name: "same finding with the same reason is not repeated",
			statements: []target.Statement{
				{Actions: []string{"lambda:*"}, Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:a"}, Reason: lambdaReason},
				{Actions: []string{"lambda:*", "lambda:*"}, Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:b"}, Reason: lambdaReason},
			},
			want: map[string]string{"Action::lambda:*": lambdaReason},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := target.WildcardReasons(tt.statements)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("WildcardReasons() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStepRoles creates a step role: trusted by the tooling account pinned
// to the step's project role (not the pipeline role), with exactly its
// statements, at the target's role path.
func TestStepRoles(t *testing.T) {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
	})
	project := "arn:aws:iam::111111111111:role/payments-step-plan"
	p := validProps()
	p.StepRoles = []target.StepRole{{Name: "payments-staging-plan-step", TrustedRoleArn: project, Statements: []target.Statement{
		{Sid: "ReadState", Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::payments-tfstate-222222222222/*"}, Reason: "The state bucket holds one object per workspace."},
	}}}
	var tgt *target.DeploymentTarget
	relaytest.Do(t, "target.New", func() { tgt = target.New(stack, "Target", p) })
	if len(tgt.StepRoles()) != 1 {
		t.Fatalf("StepRoles() = %d roles, want 1", len(tgt.StepRoles()))
	}
	tpl := relaytest.Template(t, stack)
	relaytest.Check(t, "the step role trusts its project role only", func() {
		tpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]interface{}{
			"RoleName": "payments-staging-plan-step",
			"Path":     "/relay/payments/",
			"AssumeRolePolicyDocument": map[string]interface{}{"Version": "2012-10-17", "Statement": []interface{}{map[string]interface{}{
				"Action":    "sts:AssumeRole",
				"Effect":    "Allow",
				"Principal": map[string]interface{}{"AWS": map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{"arn:", map[string]interface{}{"Ref": "AWS::Partition"}, ":iam::111111111111:root"}}}},
				"Condition": map[string]interface{}{"ArnEquals": map[string]interface{}{"aws:PrincipalArn": project}},
			}}},
		})
	})
	var id string
	for logical, r := range *tpl.FindResources(jsii.String("AWS::IAM::Role"), nil) {
		if (*r)["Properties"].(map[string]interface{})["RoleName"] == "payments-staging-plan-step" {
			id = logical
		}
	}
	var policies []string
	for _, r := range *tpl.FindResources(jsii.String("AWS::IAM::Policy"), nil) {
		props := (*r)["Properties"].(map[string]interface{})
		if fmt.Sprint(props["Roles"]) != fmt.Sprint([]interface{}{map[string]interface{}{"Ref": id}}) {
			continue
		}
		for _, st := range props["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
			m := st.(map[string]interface{})
			policies = append(policies, fmt.Sprintf("%v %v %v", m["Sid"], m["Action"], m["Resource"]))
		}
	}
	if want := []string{"ReadState s3:GetObject arn:aws:s3:::payments-tfstate-222222222222/*"}; !cmp.Equal(policies, want) {
		t.Errorf("the step role's statements = %v, want exactly the step's %v", policies, want)
	}
}

// TestNewRefuses checks what New refuses with a message that names the
// constructor or the field, never a nil-pointer dereference.
func TestNewRefuses(t *testing.T) {
	stackAt := func(account, region string) awscdk.Stack {
		app := relaytest.NewApp()
		return awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)},
		})
	}
	stackIn := func(account string) awscdk.Stack { return stackAt(account, "us-east-1") }
	tests := []struct {
		name  string
		stack awscdk.Stack
		props *target.Props
		want  string
	}{
		{"nil props", stackIn("222222222222"), nil, "target.New: props are nil; pass &target.Props{...}"},
		{"Account is not the stack's account", stackIn("333333333333"), validProps(),
			`target.Props: Account "222222222222": the stack Staging deploys to account 333333333333, where IAM would create the roles; set Account to 333333333333 or create the target in a stack of account 222222222222`},
		{"a managed policy of another account, Account unset", stackIn("222222222222"), func() *target.Props {
			p := validProps()
			p.Account = ""
			p.ExecutionManagedPolicyArns = []string{"arn:aws:iam::333333333333:policy/payments-deployer"}
			return p
		}(), `target.Props: ExecutionManagedPolicyArns[0] "arn:aws:iam::333333333333:policy/payments-deployer": a customer managed policy of account 333333333333; IAM attaches to a role of account 222222222222 only AWS managed policies and that account's own: create the policy in 222222222222 (with the same name in every target account, write its account as ${account}), or grant with statements`},
		// The roles' stack was the execution role's default RelayStacks: the
		// workload's stack of that name was both denied to its execution
		// role and deployed over the roles.
		{"a workload stack named like the roles' stack", stackIn("222222222222"), func() *target.Props {
			p := validProps()
			p.StackNames = []string{"payments-app", "Staging"}
			return p
		}(), `target.Props: StackNames[1] "Staging": the name of the stack that holds the target's roles (Staging); deploying the workload's template there would replace the roles, and the execution roles may not change Relay's stacks (RelayStacks): create the target in a stack of another name, or give the workload's stack another name`},
		// A Store value that artifacts.NewStore did not return reached jsii
		// ("parameter construct is required, but nil was provided").
		{"a zero store in Stores", stackIn("222222222222"), func() *target.Props {
			p := validProps()
			p.Stores = []*artifacts.Store{{}}
			return p
		}(), `target.Props: Stores[0]: not created by artifacts.NewStore (a zero artifacts.Store has no stack, key or bucket); pass the *artifacts.Store that artifacts.NewStore returned`},
		{"the stack's region is a typo", stackAt("222222222222", "us-east1"), validProps(),
			`target.Props: scope: the stack Staging deploys to region "us-east1": not an AWS region; did you mean "us-east-1"?`},
		{"the stack's region is of another partition", stackAt("222222222222", "cn-north-1"), validProps(),
			`target.Props: scope: the stack Staging deploys to region "cn-north-1": a region of partition aws-cn, not aws; set Partition to aws-cn or pick a region of aws`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg, ok := relaytest.Recover(func() { target.New(tc.stack, "Target", tc.props) })
			if ok || msg != tc.want {
				t.Errorf("target.New panicked %v with %q\nwant %q", !ok, msg, tc.want)
			}
			if tc.props != nil {
				if err := tc.props.ValidateIn(tc.stack); err == nil || err.Error() != tc.want {
					t.Errorf("ValidateIn() = %v\nwant %s", err, tc.want)
				}
			}
		})
	}
	var nilProps *target.Props
	if err := nilProps.Validate(); err == nil || err.Error() != "target.Props: nil; pass &target.Props{...}" {
		t.Errorf("(*Props)(nil).Validate() = %v", err)
	}
}

// TestAccountPlaceholder: a managed policy ARN written with ${account} is
// attached as the policy of the execution role's own account: the target's
// Account, or, in an environment-agnostic template (a StackSet's, deployed
// to accounts unknown at synth), the deploying account.
func TestAccountPlaceholder(t *testing.T) {
	tests := []struct {
		name    string
		account string // the stack's and Props.Account; "" for env-agnostic
		want    interface{}
	}{
		{"account known", "222222222222", "arn:aws:iam::222222222222:policy/payments-deployer"},
		{"account of the deploying stack", "", map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{
			"arn:aws:iam::", map[string]interface{}{"Ref": "AWS::AccountId"}, ":policy/payments-deployer"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack := stagingStack(tt.account)
			p := validProps()
			p.Account = tt.account
			p.ExecutionManagedPolicyArns = []string{"arn:aws:iam::${account}:policy/payments-deployer", "arn:aws:iam::aws:policy/ReadOnlyAccess"}
			p.ExecutionRoles = []target.ExecutionRole{{Name: "payments-staging-db-cfn-exec", StackNames: []string{"payments-db"}, ManagedPolicyArns: []string{"arn:aws:iam::${account}:policy/payments-deployer"}}}
			if err := p.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			relaytest.Do(t, "target.New", func() { target.New(stack, "Target", p) })
			tpl := relaytest.Template(t, stack)
			for _, role := range []string{"payments-staging-cfn-exec", "payments-staging-db-cfn-exec"} {
				relaytest.Check(t, role+" attaches its account's policy", func() {
					tpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]interface{}{
						"RoleName": role, "ManagedPolicyArns": assertions.Match_ArrayWith(&[]interface{}{tt.want}),
					})
				})
			}
		})
	}
}

// TestTokenAccounts: an account that is a token (a CfnParameter, an
// import, Aws.ACCOUNT_ID) is known only at deploy, while the trust and the
// roles' ARNs need it at synth: one message per field says so and how to
// fix it, without the follow-on errors its token text would cause.
func TestTokenAccounts(t *testing.T) {
	const token = "is a token, known only at deploy (such as a CfnParameter, Fn.importValue or Aws.ACCOUNT_ID), and the roles' ARNs and trust need it at synth: give the 12-digit account ID as text"
	tests := []struct {
		name string
		set  func(p *target.Props, tok string)
		want string
	}{
		{"Account", func(p *target.Props, tok string) { p.Account = tok }, "Account %q: " + token + " (or leave Account unset: the stack's account)"},
		{"PipelineAccount", func(p *target.Props, tok string) { p.PipelineAccount = tok }, "PipelineAccount %q: " + token},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := relaytest.NewApp()
			stack := awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
			})
			tok := *awscdk.NewCfnParameter(stack, jsii.String("Account"), &awscdk.CfnParameterProps{Type: jsii.String("String")}).ValueAsString()
			p := validProps()
			tc.set(p, tok)
			want := "target.Props: " + fmt.Sprintf(tc.want, tok)
			if err := p.ValidateIn(stack); err == nil || err.Error() != want {
				t.Errorf("ValidateIn() = %v\nwant %s", err, want)
			}
		})
	}
}

// TestStatementPlaceholders: ${account} and ${region} in the resources of
// the execution roles' statements are each role's own account (the
// deploying account, AWS::AccountId, in a template of unknown accounts) and
// every region of Regions, as in ExecutionManagedPolicyArns; left in
// literally they would be a grant that never matches.
func TestStatementPlaceholders(t *testing.T) {
	tests := []struct {
		name    string
		account string // the stack's and Props.Account; "" for env-agnostic
		want    []interface{}
	}{
		{"account known", "222222222222", []interface{}{
			"arn:aws:dynamodb:us-east-1:222222222222:table/payments", "arn:aws:dynamodb:eu-west-1:222222222222:table/payments",
			"arn:aws:s3:::payments-222222222222/*",
		}},
		{"account of the deploying stack", "", []interface{}{
			map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{"arn:aws:dynamodb:us-east-1:", map[string]interface{}{"Ref": "AWS::AccountId"}, ":table/payments"}}},
			map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{"arn:aws:dynamodb:eu-west-1:", map[string]interface{}{"Ref": "AWS::AccountId"}, ":table/payments"}}},
			map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{"arn:aws:s3:::payments-", map[string]interface{}{"Ref": "AWS::AccountId"}, "/*"}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack := stagingStack(tt.account)
			p := validProps()
			p.Account = tt.account
			tables := target.Statement{Sid: "Tables", Actions: []string{"dynamodb:CreateTable", "s3:PutObject"},
				Resources: []string{"arn:aws:dynamodb:${region}:${account}:table/payments", "arn:aws:s3:::payments-${account}/*"}, Reason: "Objects of the payments bucket."}
			p.ExecutionStatements = append(p.ExecutionStatements, tables)
			p.ExecutionRoles = []target.ExecutionRole{{Name: "payments-staging-db-cfn-exec", StackNames: []string{"payments-db"}, Statements: []target.Statement{tables}}}
			if err := p.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			relaytest.Do(t, "target.New", func() { target.New(stack, "Target", p) })
			tpl := relaytest.Template(t, stack)
			relaytest.Check(t, "each execution role's statement names its account and regions", func() {
				tpl.ResourcePropertiesCountIs(jsii.String("AWS::IAM::Policy"), map[string]interface{}{
					"PolicyDocument": map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
						map[string]interface{}{"Sid": "Tables", "Effect": "Allow", "Action": []interface{}{"dynamodb:CreateTable", "s3:PutObject"}, "Resource": tt.want},
					})},
				}, jsii.Number(2))
			})
		})
	}
}

// TestStatementPlaceholdersRefused: a ${...} placeholder that a statement
// does not fill is refused rather than written into the policy literally
// (IAM policy variables such as ${aws:username} are IAM's own).
func TestStatementPlaceholdersRefused(t *testing.T) {
	p := validProps()
	p.ExecutionStatements = append(p.ExecutionStatements,
		target.Statement{Sid: "Env", Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::payments-${env}/*"}, Reason: "Objects of the payments bucket."},
		target.Statement{Sid: "Mine", Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::payments/${aws:username}/*"}, Reason: "Objects of the caller's own prefix."})
	p.HookRoleName, p.JobResultsRoleArn, p.HookFunctions = "payments-staging-hook", "arn:aws:iam::111111111111:role/relay/payments/payments-job-results", []string{"payments-smoke"}
	p.HookStatements = []target.Statement{{Sid: "Read", Actions: []string{"dynamodb:GetItem"}, Resources: []string{"arn:aws:dynamodb:${region}:222222222222:table/payments"}}}
	relaytest.ValidateError(t, p.Validate(), "target.Props: ", []string{
		`ExecutionStatements[1].Resources[0] "arn:aws:s3:::payments-${env}/*": ${env} is not filled here: the execution roles' statements fill ${account} (the role's account) and ${region} (each of Regions) only; write the value`,
		`HookStatements[0].Resources[0] "arn:aws:dynamodb:${region}:222222222222:table/payments": ${region} is not filled here: only the execution roles' statements fill ${account} and ${region}; write the value`,
	})
}

// TestInvokeRoleArtifacts: the invoke role reads the artifact store only
// with InvokeReadsArtifacts (an invoke action with an input artifact, such
// as a Step Functions hook with an input file); Lambda hooks take no
// artifact, and a role that may read every release of every environment
// without needing to is wider than what runs.
func TestInvokeRoleArtifacts(t *testing.T) {
	for _, reads := range []bool{false, true} {
		t.Run(fmt.Sprint(reads), func(t *testing.T) {
			app := relaytest.NewApp()
			stack := awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")}})
			p := validProps()
			p.InvokeRoleName = "payments-staging-invoke"
			p.InvokeStatements = []target.Statement{{Sid: "InvokeHooks", Actions: []string{"lambda:InvokeFunction"}, Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:payments-smoke"}}}
			p.InvokeReadsArtifacts = reads
			relaytest.Do(t, "target.New", func() { target.New(stack, "Target", p) })
			tpl := relaytest.Template(t, stack)
			count := 0.0
			if reads {
				count = 1
			}
			for _, sid := range []string{"ReadArtifactObjects", "DecryptArtifacts"} {
				relaytest.Check(t, sid, func() {
					tpl.ResourcePropertiesCountIs(jsii.String("AWS::IAM::Policy"), map[string]interface{}{
						"Roles": []interface{}{map[string]interface{}{"Ref": assertions.Match_StringLikeRegexp(jsii.String("TargetInvokeRole.*"))}},
						"PolicyDocument": map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
							assertions.Match_ObjectLike(&map[string]interface{}{"Sid": sid}),
						})},
					}, jsii.Number(count))
				})
			}
		})
	}
}

// stagingStack is the stack Staging of a new App, in account and us-east-1,
// or environment-agnostic when account is "".
func stagingStack(account string) awscdk.Stack {
	props := &awscdk.StackProps{}
	if account != "" {
		props.Env = &awscdk.Environment{Account: jsii.String(account), Region: jsii.String("us-east-1")}
	}
	return awscdk.NewStack(relaytest.NewApp(), jsii.String("Staging"), props)
}

// policyArns are n customer managed policy ARNs of the target account.
func policyArns(n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("arn:aws:iam::${account}:policy/p%d", i))
	}
	return out
}

// TestCrossEnvironmentTokens: a token of a resource of another account or
// region whose name is generated passed ValidateIn and New, and aws-cdk-lib
// refused it at synth (CannotUseCrossEnvironment), naming the resource and
// no field. A resource with a physical name, or of the target's own
// stack, resolves and is not judged.
func TestCrossEnvironmentTokens(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *target.Props, tooling, staging awscdk.Stack)
		want   []string
	}{
		{"a pipeline role with a generated name", func(p *target.Props, tooling, _ awscdk.Stack) {
			r := awsiam.NewRole(tooling, jsii.String("Pipeline"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("codepipeline.amazonaws.com"), nil)})
			p.PipelineRoleArns = []string{*r.RoleArn()}
		}, []string{
			`PipelineRoleArns[0] "${Token[X]}": a reference to Tooling/Pipeline, a resource of another account or region than the stack Staging whose physical name is generated, which aws-cdk-lib cannot write there (CannotUseCrossEnvironment at synth); give the resource a physical name (such as RoleName or BucketName: naming.Names has Relay's), or write the ARN as text`,
		}},
		{"a bucket with a generated name, in a statement and as the artifact bucket", func(p *target.Props, tooling, _ awscdk.Stack) {
			b := awss3.NewBucket(tooling, jsii.String("Reports"), nil)
			p.ArtifactBucketArns = []string{*b.BucketArn()}
			p.ExecutionStatements[0].Resources = []string{"*", *b.ArnForObjects(jsii.String("*"))}
		}, []string{
			`ArtifactBucketArns[0] "${Token[X]}": a reference to Tooling/Reports, a resource of another account or region than the stack Staging whose physical name is generated, which aws-cdk-lib cannot write there (CannotUseCrossEnvironment at synth); give the resource a physical name (such as RoleName or BucketName: naming.Names has Relay's), or write the ARN as text`,
			`ExecutionStatements[0].Resources[1] "${Token[X]}/*": a reference to Tooling/Reports, a resource of another account or region than the stack Staging whose physical name is generated, which aws-cdk-lib cannot write there (CannotUseCrossEnvironment at synth); give the resource a physical name (such as RoleName or BucketName: naming.Names has Relay's), or write the ARN as text`,
		}},
		{"a named role of another account resolves", func(p *target.Props, tooling, _ awscdk.Stack) {
			r := awsiam.NewRole(tooling, jsii.String("Pipeline"), &awsiam.RoleProps{RoleName: jsii.String("payments-pipeline"), Path: jsii.String("/relay/payments/"),
				AssumedBy: awsiam.NewServicePrincipal(jsii.String("codepipeline.amazonaws.com"), nil)})
			p.PipelineRoleArns = []string{*r.RoleArn()}
		}, nil},
		{"a bucket of the target's own stack resolves", func(p *target.Props, _, staging awscdk.Stack) {
			b := awss3.NewBucket(staging, jsii.String("Reports"), nil)
			p.ExecutionStatements[0].Resources = []string{"*", *b.BucketArn()}
		}, nil},
	}
	tokenRE := regexp.MustCompile(`\$\{Token\[[^\]]*\]\}`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := relaytest.NewApp()
			tooling := awscdk.NewStack(app, jsii.String("Tooling"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")}})
			staging := awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")}})
			p := validProps()
			relaytest.Do(t, "mutate", func() { tc.mutate(p, tooling, staging) })
			err := p.ValidateIn(staging)
			if err != nil {
				err = errors.New(tokenRE.ReplaceAllString(err.Error(), "${Token[X]}"))
			}
			relaytest.ValidateError(t, err, "target.Props: ", tc.want)
			relaytest.FieldPaths(t, p, err)
		})
	}
}

// teamStack is a stack of the team's own beside stack, in its account.
func teamStack(stack awscdk.Stack) awscdk.Stack {
	return awscdk.NewStack(stack.Node().Root().(constructs.Construct), jsii.String("Team"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
	})
}

// TestAddedStatements: statements that a team adds through the L2 roles
// (Role.AddToPolicy, grants) land in the role's one policy, held to the
// rules of the props field that gives the role more.
func TestAddedStatements(t *testing.T) {
	statement := func(actions ...string) awsiam.PolicyStatement {
		return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings(actions...), Resources: jsii.Strings("*")})
	}
	for _, tc := range []struct {
		name string
		add  func(tgt *target.DeploymentTarget, stack awscdk.Stack)
		want string // the panic's message; "" for none
	}{
		{"a grant to the deploy role", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			awss3.NewBucket(stack, jsii.String("Team"), nil).GrantRead(tgt.DeployRole(), nil)
		}, ""},
		{"a grant to the execution role", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			awss3.NewBucket(stack, jsii.String("Team"), nil).GrantRead(tgt.ExecutionRole(), nil)
		}, ""},
		{"a Deny on the deploy role", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			tgt.DeployRole().AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Effect: awsiam.Effect_DENY, Actions: jsii.Strings("iam:*"), Resources: jsii.Strings("*")}))
		}, ""},
		{"an IAM write on the deploy role", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			tgt.DeployRole().AddToPolicy(statement("iam:CreateRole"))
		}, `[Staging/Target/DeployRole] target: DeployRole(): the statement {"Action":"iam:CreateRole","Effect":"Allow","Resource":"*"}, added by Role.AddToPolicy or a grant: iam:CreateRole writes IAM, and no permissions boundary bounds the deploy role; grant IAM reads only (and iam:PassRole on named roles), and let a stack (its execution role) create or change IAM resources`},
		{"role chaining on the deploy role", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			tgt.DeployRole().AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("sts:AssumeRole"), Resources: jsii.Strings("arn:aws:iam::222222222222:role/ops")}))
		}, `[Staging/Target/DeployRole] target: DeployRole(): the statement {"Action":"sts:AssumeRole","Effect":"Allow","Resource":"arn:aws:iam::222222222222:role/ops"}, added by Role.AddToPolicy or a grant: sts:AssumeRole lets the deploy role assume another role and act with that role's permissions (role chaining), beyond its own statements; grant the deploy role what its actions call, by ARN`},
		{"NotAction on the deploy role", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			tgt.DeployRole().AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{NotActions: jsii.Strings("iam:*"), Resources: jsii.Strings("*")}))
		}, `[Staging/Target/DeployRole] target: DeployRole(): the statement {"Effect":"Allow","NotAction":"iam:*","Resource":"*"}, added by Role.AddToPolicy or a grant: NotAction or NotResource in an Allow statement grants everything but what it names, and no permissions boundary bounds the deploy role; name the actions and resources`},
		{"a refused Grant.addToPrincipal on the deploy role", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{Grantee: tgt.DeployRole(), Actions: jsii.Strings("iam:CreateRole"), ResourceArns: jsii.Strings("*")})
		}, `[Staging/Target/DeployRole] target: DeployRole(): the statement {"Action":"iam:CreateRole","Effect":"Allow","Resource":"*"}, added by Role.AddToPolicy or a grant: iam:CreateRole writes IAM, and no permissions boundary bounds the deploy role; grant IAM reads only (and iam:PassRole on named roles), and let a stack (its execution role) create or change IAM resources`},
		{"a refused grant with a resource (Grant.addToPrincipalOrResource), not moved to the queue's policy", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			queue := awssqs.NewQueue(stack, jsii.String("Team"), nil)
			awsiam.Grant_AddToPrincipalOrResource(&awsiam.GrantWithResourceOptions{Grantee: tgt.DeployRole(), Actions: jsii.Strings("sqs:SendMessage", "sts:AssumeRole"),
				ResourceArns: jsii.Strings("arn:aws:sqs:us-east-1:222222222222:team"), Resource: queue})
		}, `[Staging/Target/DeployRole] target: DeployRole(): the statement {"Action":["sqs:SendMessage","sts:AssumeRole"],"Effect":"Allow","Resource":"arn:aws:sqs:us-east-1:222222222222:team"}, added by Role.AddToPolicy or a grant: sts:AssumeRole lets the deploy role assume another role and act with that role's permissions (role chaining), beyond its own statements; grant the deploy role what its actions call, by ARN`},
		{"a refused queue grant names the queue, not a token", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			awssqs.NewQueue(stack, jsii.String("Team"), nil).Grant(tgt.DeployRole(), jsii.String("sqs:SendMessage"), jsii.String("iam:PutRolePolicy"))
		}, `[Staging/Target/DeployRole] target: DeployRole(): the statement {"Action":["sqs:SendMessage","iam:PutRolePolicy"],"Effect":"Allow","Resource":{"Fn::GetAtt":["Team8E98563C","Arn"]}}, added by Role.AddToPolicy or a grant: iam:PutRolePolicy writes IAM, and no permissions boundary bounds the deploy role; grant IAM reads only (and iam:PassRole on named roles), and let a stack (its execution role) create or change IAM resources`},
		{"a refused KMS key grant from another account", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			other := awscdk.NewStack(stack.Node().Root().(constructs.Construct), jsii.String("Team"), &awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String("444444444444"), Region: jsii.String("us-east-1")},
			})
			awskms.NewKey(other, jsii.String("Key"), nil).Grant(tgt.StepRoles()[0], jsii.String("kms:Decrypt"), jsii.String("sts:AssumeRole"))
		}, `[Staging/Target/StepRole-payments-staging-plan-step] target: StepRoles(): the statement {"Action":["kms:Decrypt","sts:AssumeRole"],"Effect":"Allow","Resource":"*"}, added by Role.AddToPolicy or a grant: is as strong as AdministratorAccess: sts:AssumeRole on * lets the role give itself administrator rights; grant the step what its job touches, by ARN`},
		{"a team's policy attached to the deploy role, accepted", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			tgt.DeployRole().AttachInlinePolicy(awsiam.NewPolicy(teamStack(stack), jsii.String("Policy"), &awsiam.PolicyProps{Statements: &[]awsiam.PolicyStatement{statement("sqs:SendMessage")}}))
		}, ""},
		{"a stack change on a step role", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			tgt.StepRoles()[0].AddToPolicy(statement("cloudformation:UpdateStack"))
		}, `[Staging/Target/StepRole-payments-staging-plan-step] target: StepRoles(): the statement {"Action":"cloudformation:UpdateStack","Effect":"Allow","Resource":"*"}, added by Role.AddToPolicy or a grant: cloudformation:UpdateStack lets the role change CloudFormation stacks, which CloudFormation changes as each stack's service role without asking the caller for iam:PassRole: on the stacks the CDK deployed in the account, Relay's own among them, that is the bootstrap's cfn-exec-role (AdministratorAccess), through which the role could create any IAM resource; deploy stacks through the pipeline, each with its own execution role, or grant CloudFormation reads only`},
		{"administrator on the invoke role", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			tgt.InvokeRole().AddToPolicy(statement("*"))
		}, `[Staging/Target/InvokeRole] target: InvokeRole(): the statement {"Action":"*","Effect":"Allow","Resource":"*"}, added by Role.AddToPolicy or a grant: is as strong as AdministratorAccess: * on * includes iam:AttachRolePolicy, with which the role can give itself administrator rights; grant the invoke role what its actions call, by ARN`},
		{"a grant to the hook role", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			awss3.NewBucket(stack, jsii.String("Team"), nil).GrantRead(tgt.HookRole(), nil)
		}, ""},
		{"role chaining on the hook role", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			tgt.HookRole().AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("sts:AssumeRole"), Resources: jsii.Strings("arn:aws:iam::222222222222:role/ops")}))
		}, `[Staging/Target/HookRole] target: HookRole(): the statement {"Action":"sts:AssumeRole","Effect":"Allow","Resource":"arn:aws:iam::222222222222:role/ops"}, added by Role.AddToPolicy or a grant: sts:AssumeRole lets the hook role assume another role and act with that role's permissions (role chaining), beyond its own statements; grant the hook functions what they read, by ARN`},
		{"iam:PassRole to any service on the execution role", func(tgt *target.DeploymentTarget, stack awscdk.Stack) {
			tgt.ExecutionRole().AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("iam:PassRole"), Resources: jsii.Strings("arn:aws:iam::222222222222:role/app-*")}))
		}, `[Staging/Target/ExecutionRole] target: ExecutionRole(): the statement {"Action":"iam:PassRole","Effect":"Allow","Resource":"arn:aws:iam::222222222222:role/app-*"}, added by Role.AddToPolicy or a grant: iam:PassRole on ["arn:aws:iam::222222222222:role/app-*"] passes every matching role to any service that trusts it; add the condition {"StringEquals": {"iam:PassedToService": ["lambda.amazonaws.com"]}} naming the services (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html), or name each role`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := relaytest.NewApp()
			stack := awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
			})
			p := validProps()
			p.InvokeRoleName = "payments-staging-invoke"
			p.InvokeStatements = []target.Statement{{Actions: []string{"lambda:InvokeFunction"}, Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:smoke"}}}
			p.HookRoleName, p.JobResultsRoleArn, p.HookFunctions = "payments-staging-hook", "arn:aws:iam::111111111111:role/relay/payments/payments-job-results", []string{"payments-smoke"}
			p.StepRoles = []target.StepRole{{Name: "payments-staging-plan-step", TrustedRoleArn: "arn:aws:iam::111111111111:role/payments-step-plan", Statements: []target.Statement{
				{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::payments-tfstate-222222222222/*"}, Reason: "One state object per workspace."},
			}}}
			var tgt *target.DeploymentTarget
			relaytest.Do(t, "target.New and the statement", func() {
				tgt = target.New(stack, "Target", p)
				tc.add(tgt, stack)
			})
			msg, ok := relaytest.Recover(func() { app.Synth(nil) })
			if ok {
				msg = ""
			}
			if tc.want != "" {
				tc.want = "ValidationFailedWithErrors: Validation failed with the following errors:\n  " + tc.want
			}
			if msg != tc.want {
				t.Errorf("synthesis panicked with\n%q\nwant\n%q", msg, tc.want)
			}
			if tc.want != "" {
				return
			}
			// Accepted: one policy per role still, the added statement in it.
			tpl := relaytest.Template(t, stack)
			relaytest.Check(t, "one policy per role", func() { tpl.ResourceCountIs(jsii.String("AWS::IAM::Policy"), jsii.Number(5)) })
		})
	}
}

// TestTokenActionsOnUnboundedRoles: an action given as a token is known
// only at deploy, so the rules of a role that no permissions boundary
// bounds cannot hold it; the execution roles, which their Deny statements
// bound, take it.
func TestTokenActionsOnUnboundedRoles(t *testing.T) {
	const rule = `: a token, whose action is known only at deploy, so the rules of a role that no permissions boundary bounds (no administrator, IAM write, role chaining or stack change) cannot hold it; write the action, such as s3:GetObject`
	for _, tc := range []struct {
		name   string
		mutate func(p *target.Props, action string)
		want   []string // with %s for the token
	}{
		{"DeployStatements", func(p *target.Props, a string) {
			p.DeployStatements = []target.Statement{{Actions: []string{"s3:GetObject", a}, Resources: []string{"arn:aws:s3:::team/x"}}}
		}, []string{`DeployStatements[0].Actions[1] "%s"` + rule}},
		{"StepRoles", func(p *target.Props, a string) {
			p.StepRoles = []target.StepRole{{Name: "payments-staging-plan-step", TrustedRoleArn: "arn:aws:iam::111111111111:role/payments-step-plan",
				Statements: []target.Statement{{Actions: []string{a}, Resources: []string{"arn:aws:s3:::team/x"}}}}}
		}, []string{`StepRoles[0].Statements[0].Actions[0] "%s"` + rule}},
		{"ExecutionStatements take it", func(p *target.Props, a string) {
			p.ExecutionStatements = append(p.ExecutionStatements, target.Statement{Actions: []string{a}, Resources: []string{"arn:aws:s3:::team/x"}})
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			var token string
			relaytest.Do(t, "Validate", func() {
				stack := awscdk.NewStack(relaytest.NewApp(), jsii.String("Staging"), nil)
				token = *awscdk.NewCfnParameter(stack, jsii.String("Action"), nil).ValueAsString()
				p := validProps()
				tc.mutate(p, token)
				err = p.Validate()
			})
			var want []string
			for _, w := range tc.want {
				want = append(want, fmt.Sprintf(w, token))
			}
			relaytest.ValidateError(t, err, "target.Props: ", want)
		})
	}
}
