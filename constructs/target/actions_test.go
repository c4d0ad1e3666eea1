package target_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/constructs/target"
)

const helmRole = "arn:aws:iam::111111111111:role/payments-helm"

// actionProps are the props of a target without a CloudFormation stack: a
// deploy role for another deploy action, an invoke role and instance roles
// that read artifacts through a managed policy they attach.
func actionProps() *target.Props {
	p := validProps()
	p.StackNames, p.ExecutionRoleName, p.ExecutionStatements = nil, "", nil
	p.DeployStatements = []target.Statement{
		{Sid: "UpdateService", Actions: []string{"ecs:UpdateService"}, Resources: []string{"arn:aws:ecs:us-east-1:222222222222:service/web/api"}},
		{Sid: "PassTaskRoles", Actions: []string{"iam:PassRole"}, Resources: []string{"arn:aws:iam::222222222222:role/api-task"},
			Conditions: map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}},
	}
	p.TrustedRoleArns = []string{helmRole}
	p.InvokeRoleName = "payments-staging-invoke"
	p.InvokeStatements = []target.Statement{{Sid: "InvokeHookFunctions", Actions: []string{"lambda:InvokeFunction"}, Resources: []string{"arn:aws:lambda:us-east-1:222222222222:function:smoke"}}}
	p.ArtifactReaderPolicyName = "payments-staging-artifact-reader"
	return p
}

func TestActionRoles(t *testing.T) {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
	})
	var tg *target.DeploymentTarget
	relaytest.Do(t, "target.New", func() { tg = target.New(stack, "Target", actionProps()) })
	if tg.ExecutionRole() != nil {
		t.Error("ExecutionRole() is set without StackNames")
	}
	tpl := relaytest.Template(t, stack)
	has := func(what, typ string, props map[string]interface{}) {
		t.Helper()
		relaytest.Check(t, what, func() { tpl.HasResourceProperties(jsii.String(typ), assertions.Match_ObjectLike(&props)) })
	}
	trust := func(arns interface{}) map[string]interface{} {
		return map[string]interface{}{"Statement": []interface{}{map[string]interface{}{
			"Action":    "sts:AssumeRole",
			"Effect":    "Allow",
			"Principal": map[string]interface{}{"AWS": map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{"arn:", map[string]interface{}{"Ref": "AWS::Partition"}, ":iam::111111111111:root"}}}},
			"Condition": map[string]interface{}{"ArnEquals": map[string]interface{}{"aws:PrincipalArn": arns}},
		}}, "Version": "2012-10-17"}
	}
	relaytest.Check(t, "two roles: deploy and invoke", func() { tpl.ResourceCountIs(jsii.String("AWS::IAM::Role"), jsii.Number(2)) })
	has("deploy role trusts the pipeline and the Helm role", "AWS::IAM::Role", map[string]interface{}{
		"RoleName": "payments-staging-deploy", "AssumeRolePolicyDocument": trust([]interface{}{helmRole, pipelineRole}),
	})
	has("invoke role trusts the pipeline only", "AWS::IAM::Role", map[string]interface{}{
		"RoleName": "payments-staging-invoke", "AssumeRolePolicyDocument": trust(pipelineRole),
	})
	has("deploy role passes the task role to ECS only", "AWS::IAM::Policy", map[string]interface{}{
		"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{map[string]interface{}{
			"Sid": "PassTaskRoles", "Action": "iam:PassRole", "Effect": "Allow", "Resource": "arn:aws:iam::222222222222:role/api-task",
			"Condition": map[string]interface{}{"StringEquals": map[string]interface{}{"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
		}})}),
	})
	has("a managed policy reads the artifacts, for the team to attach", "AWS::IAM::ManagedPolicy", map[string]interface{}{
		"ManagedPolicyName": "payments-staging-artifact-reader",
		"Path":              "/relay/payments/",
		"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
			assertions.Match_ObjectLike(&map[string]interface{}{"Sid": "ReadArtifactObjects"}),
			assertions.Match_ObjectLike(&map[string]interface{}{"Sid": "DecryptArtifacts"}),
		})}),
	})
	// Nothing is attached to a role the stack does not create: the
	// instance roles are the team's.
	raw := *tpl.ToJSON()
	for id, r := range raw["Resources"].(map[string]interface{}) {
		res := r.(map[string]interface{})
		props, _ := res["Properties"].(map[string]interface{})
		for _, key := range []string{"Roles", "Users", "Groups"} {
			if res["Type"] == "AWS::IAM::ManagedPolicy" && props[key] != nil {
				t.Errorf("%s attaches the reader policy to %s %v", id, key, props[key])
			}
		}
	}
	relaytest.Check(t, "the policy ARN is an output", func() {
		tpl.HasOutput(jsii.String("*"), map[string]interface{}{"Value": map[string]interface{}{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^TargetArtifactReaders"))}})
	})
	if tg.ArtifactReadersPolicy() == nil {
		t.Error("ArtifactReadersPolicy() is nil")
	}
}

func TestActionPropsValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *target.Props)
		want   []string
	}{
		{"valid", func(*target.Props) {}, nil},
		{"invoke role only", func(p *target.Props) { p.DeployStatements, p.DeployRoleName = nil, "" }, nil},
		{"nothing to do", func(p *target.Props) { p.DeployStatements, p.InvokeRoleName = nil, "" }, []string{
			"StackNames []: name the stacks the pipeline deploys, or give DeployStatements for another kind of deploy action",
		}},
		{"PassRole on a pattern", func(p *target.Props) {
			p.DeployStatements[1].Resources = []string{"arn:aws:iam::222222222222:role/api-*"}
		}, []string{
			`DeployStatements[1].Reason "": say why the statement needs Resource::arn:aws:iam::222222222222:role/api-* (at least 10 characters): the cdk-nag suppression of each wildcard carries it`,
			`DeployStatements[1]: iam:PassRole on ["arn:aws:iam::222222222222:role/api-*"]: name each role; a pattern would let the role pass roles that nobody named`,
		}},
		{"invoke role without statements", func(p *target.Props) { p.InvokeStatements = nil }, []string{
			"InvokeStatements []: say which functions and state machines the invoke role may run",
		}},
		{"trusted role of another account", func(p *target.Props) { p.TrustedRoleArns = []string{"arn:aws:iam::999999999999:role/helm"} }, []string{
			`TrustedRoleArns[0] "arn:aws:iam::999999999999:role/helm": must be a role ARN in PipelineAccount 111111111111`,
		}},
		{"reader policy name with a slash", func(p *target.Props) { p.ArtifactReaderPolicyName = "relay/reader" }, []string{
			`ArtifactReaderPolicyName "relay/reader": must be 1-128 characters of letters, digits and +=,.@_-`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := actionProps()
			tc.mutate(p)
			relaytest.ValidateError(t, p.Validate(), "target.Props: ", tc.want)
		})
	}
}

// TestSuppressionsBesideRoles runs cdk-nag's AwsSolutions pack over targets
// of every kind: each records the exact findings of its own roles, so a
// team's stack needs no suppressions of its own for them.
func TestSuppressionsBesideRoles(t *testing.T) {
	for name, props := range map[string]*target.Props{"change sets": validProps(), "actions and hooks": actionProps()} {
		t.Run(name, func(t *testing.T) {
			app := relaytest.NewApp()
			stack := awscdk.NewStack(app, jsii.String("Target"), &awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
			})
			relaytest.Do(t, "target.New", func() {
				target.New(stack, "Target", props)
				compliance.AwsSolutions(app)
			})
			if errs := relaytest.Errors(t, stack); len(errs) > 0 {
				t.Errorf("%d unsuppressed findings:\n%s", len(errs), relaytest.FindingsText(errs))
			}
		})
	}
}

// TestAWSManagedExecutionPolicies: an AWS managed policy that the props name
// for an execution role (deploy.executionPolicy.managedPolicyArns, which
// the configuration allows and the refusal of another account's policy
// advises) is the team's explicit choice, so cdk-nag's AwsSolutions-IAM4
// does not refuse it; AdministratorAccess and IAMFullAccess keep the
// finding, and so does a policy that the props do not name.
func TestAWSManagedExecutionPolicies(t *testing.T) {
	const lambda = "arn:aws:iam::aws:policy/AWSLambda_FullAccess"
	tests := []struct {
		name   string
		mutate func(p *target.Props)
		want   []string // the IAM4 findings left, by their Policy:: ARN
	}{
		{"AWS managed beside a customer managed policy", func(p *target.Props) {
			p.ExecutionManagedPolicyArns = []string{lambda, "arn:aws:iam::${account}:policy/payments-deployer"}
		}, nil},
		{"AWS managed in a path", func(p *target.Props) {
			p.ExecutionManagedPolicyArns = []string{"arn:aws:iam::aws:policy/service-role/AWSLambdaRole"}
		}, nil},
		{"AWS managed on a stack's own execution role", func(p *target.Props) {
			p.ExecutionRoles = []target.ExecutionRole{{Name: "payments-staging-infra-cfn-exec", StackNames: []string{"payments-infra"}, ManagedPolicyArns: []string{lambda}}}
		}, nil},
		{"AdministratorAccess keeps its finding", func(p *target.Props) {
			p.ExecutionManagedPolicyArns = []string{"arn:aws:iam::aws:policy/AdministratorAccess"}
		}, []string{"AwsSolutions-IAM4[Policy::arn:aws:iam::aws:policy/AdministratorAccess]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := validProps()
			tc.mutate(p)
			app := relaytest.NewApp()
			stack := awscdk.NewStack(app, jsii.String("Target"), &awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
			})
			relaytest.Do(t, "target.New", func() {
				target.New(stack, "Target", p)
				compliance.AwsSolutions(app)
			})
			var got []string
			for _, e := range relaytest.Errors(t, stack) {
				if strings.HasPrefix(e.Message, "AwsSolutions-IAM4") {
					got = append(got, e.Message[:strings.Index(e.Message, "]")+1])
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("IAM4 findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPolicyVariablesPassCdkNag: a wildcard resource with an IAM policy
// variable (${aws:username}, ${aws:PrincipalTag/team}), which the statements
// may write, or with tokens, carries its statement's reason to cdk-nag too:
// cdk-nag writes the variable as <aws:username> and a token resolved and
// flattened (<AWS::Partition>) in its finding (its flattenCfnReference), and
// a suppression that named the resource as written suppressed nothing, so a
// valid configuration was refused with an AwsSolutions-IAM5 error.
func TestPolicyVariablesPassCdkNag(t *testing.T) {
	home := target.Statement{Sid: "Home", Actions: []string{"s3:GetObject"},
		Resources: []string{"arn:aws:s3:::ledger-data/${aws:username}/*", "arn:aws:s3:::ledger-${aws:PrincipalTag/team}-*/*"},
		Reason:    "Each user reads the objects under their own prefix."}
	for _, tc := range []struct {
		name  string
		props func() *target.Props
	}{
		{"execution statements", func() *target.Props {
			p := validProps()
			p.ExecutionStatements = append(p.ExecutionStatements, home)
			return p
		}},
		{"execution roles", func() *target.Props {
			p := validProps()
			p.ExecutionRoles = []target.ExecutionRole{{Name: "payments-staging-data-cfn-exec", StackNames: []string{"payments-data"}, Statements: []target.Statement{home}}}
			return p
		}},
		{"deploy statements", func() *target.Props {
			p := actionProps()
			p.DeployStatements = append(p.DeployStatements, home)
			return p
		}},
		{"invoke statements", func() *target.Props {
			p := actionProps()
			p.InvokeStatements = append(p.InvokeStatements, home)
			return p
		}},
		// A Go team writes ARNs with tokens (README, Teams): cdk-nag finds
		// them resolved and flattened (<AWS::Partition>), and the
		// suppression names them so.
		{"a resource with tokens", func() *target.Props {
			p := validProps()
			p.ExecutionStatements = append(p.ExecutionStatements, target.Statement{Sid: "Tokens", Actions: []string{"s3:GetObject"},
				Resources: []string{"arn:" + *awscdk.Aws_PARTITION() + ":s3:::ledger-" + *awscdk.Aws_ACCOUNT_ID() + "-*/*"},
				Reason:    "Bucket names end in a suffix CloudFormation generates."})
			return p
		}},
		{"a resource with tokens and a policy variable", func() *target.Props {
			p := actionProps()
			p.DeployStatements = append(p.DeployStatements, target.Statement{Sid: "Tokens", Actions: []string{"s3:GetObject"},
				Resources: []string{"arn:" + *awscdk.Aws_PARTITION() + ":s3:::ledger-" + *awscdk.Aws_ACCOUNT_ID() + "/${aws:username}/*"},
				Reason:    "Each user reads the objects under their own prefix."})
			return p
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := relaytest.NewApp()
			stack := awscdk.NewStack(app, jsii.String("Target"), &awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
			})
			relaytest.Do(t, "target.New", func() {
				target.New(stack, "Target", tc.props())
				compliance.AwsSolutions(app)
			})
			if errs := relaytest.Errors(t, stack); len(errs) > 0 {
				t.Errorf("%d unsuppressed findings:\n%s", len(errs), relaytest.FindingsText(errs))
			}
		})
	}
}

// TestReaderPolicySuppressions: the artifact reader policy is a customer
// managed policy that the team attaches to its instance roles, so cdk-nag's
// IAMNoInlinePolicy rules do not apply to it (they judge AWS::IAM::Policy
// and the inline policies of roles, users and groups). It used to carry
// their suppression anyway, with the reason of an inline policy ("belongs
// to this identity alone ... never attached elsewhere") that is false for
// it.
func TestReaderPolicySuppressions(t *testing.T) {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Staging"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
	})
	relaytest.Do(t, "target.New", func() {
		target.New(stack, "Target", actionProps())
		compliance.ApplySuppressions()
	})
	raw := *relaytest.Template(t, stack).ToJSON()
	found := false
	for id, r := range raw["Resources"].(map[string]interface{}) {
		res := r.(map[string]interface{})
		if res["Type"] != "AWS::IAM::ManagedPolicy" {
			continue
		}
		found = true
		meta, _ := res["Metadata"].(map[string]interface{})
		nagMeta, _ := meta["cdk_nag"].(map[string]interface{})
		rules, _ := nagMeta["rules_to_suppress"].([]interface{})
		for _, rule := range rules {
			if ruleID, _ := rule.(map[string]interface{})["id"].(string); strings.HasSuffix(ruleID, "-IAMNoInlinePolicy") {
				t.Errorf("%s suppresses %s, a rule that does not judge a managed policy", id, ruleID)
			}
		}
	}
	if !found {
		t.Fatal("no AWS::IAM::ManagedPolicy in the template")
	}
}
