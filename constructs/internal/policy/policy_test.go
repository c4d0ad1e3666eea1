package policy_test

import (
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/internal/policy"
	"github.com/relaycdk/relay/constructs/relaytest"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

func TestStatementJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   policy.Statement
		want map[string]interface{}
	}{
		{"one action and resource are scalars", policy.Statement{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::b/*"}},
			map[string]interface{}{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}},
		{"several are lists, sid and deny", policy.Statement{Sid: "S", Deny: true, Actions: []string{"a:B", "a:C"}, Resources: []string{"x", "y"}},
			map[string]interface{}{"Sid": "S", "Effect": "Deny", "Action": []string{"a:B", "a:C"}, "Resource": []string{"x", "y"}}},
		{"conditions as given", policy.Statement{Actions: []string{"iam:PassRole"}, Resources: []string{"r"},
			Conditions: map[string]interface{}{"StringEquals": map[string]interface{}{"k": []string{"one"}}}},
			map[string]interface{}{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "r",
				"Condition": map[string]interface{}{"StringEquals": map[string]interface{}{"k": []string{"one"}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.in.JSON()); diff != "" {
				t.Errorf("JSON() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConditions(t *testing.T) {
	got := policy.Conditions(map[string]map[string][]string{"StringEquals": {"one": {"a"}, "two": {"a", "b"}}})
	want := map[string]interface{}{"StringEquals": map[string]interface{}{"one": "a", "two": []string{"a", "b"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Conditions (-want +got):\n%s", diff)
	}
	if policy.Conditions(nil) != nil {
		t.Error("Conditions(nil) is not nil")
	}
}

// TestAttachMatchesAddToPolicy builds the same role twice, once with
// Role.AddToPolicy per statement and once with Attach: the templates must
// be the same (logical IDs, policy name, statements and their rendering,
// tokens included).
func TestAttachMatchesAddToPolicy(t *testing.T) {
	app := relaytest.NewApp()
	build := func(id string, attach bool) awscdk.Stack {
		stack := awscdk.NewStack(app, jsii.String(id), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
		})
		bucket := awss3.NewBucket(stack, jsii.String("Bucket"), nil)
		role := awsiam.NewRole(stack, jsii.String("Role"), &awsiam.RoleProps{
			RoleName:  jsii.String("r-" + id),
			AssumedBy: awsiam.NewServicePrincipal(jsii.String("cloudformation.amazonaws.com"), nil),
		})
		statements := []policy.Statement{
			{Sid: "Read", Actions: []string{"s3:GetObject"}, Resources: []string{*bucket.ArnForObjects(jsii.String("*"))}},
			{Actions: []string{"s3:ListBucket", "s3:GetBucketLocation"}, Resources: []string{*bucket.BucketArn(), "arn:aws:s3:::other"}},
			{Sid: "Pass", Actions: []string{"iam:PassRole"}, Resources: []string{"arn:aws:iam::111111111111:role/x"},
				Conditions: map[string]interface{}{"StringEquals": map[string]interface{}{"iam:PassedToService": "cloudformation.amazonaws.com"}}},
			{Sid: "Keys", Actions: []string{"kms:Decrypt"}, Resources: []string{"*"},
				Conditions: map[string]interface{}{"ForAnyValue:StringEquals": map[string]interface{}{"kms:ResourceAliases": []string{"alias/one"}}}},
			{Sid: "NoDelete", Deny: true, Actions: []string{"s3:DeleteObject"}, Resources: []string{"*"}},
		}
		if attach {
			policy.Attach(role, statements...)
			return stack
		}
		for _, s := range statements {
			props := &awsiam.PolicyStatementProps{Actions: jsii.Strings(s.Actions...), Resources: jsii.Strings(s.Resources...), Effect: awsiam.Effect_ALLOW}
			if s.Sid != "" {
				props.Sid = jsii.String(s.Sid)
			}
			if s.Deny {
				props.Effect = awsiam.Effect_DENY
			}
			if s.Conditions != nil {
				props.Conditions = &s.Conditions
			}
			role.AddToPolicy(awsiam.NewPolicyStatement(props))
		}
		return stack
	}
	var byStatement, attached map[string]interface{}
	relaytest.Do(t, "build", func() {
		a, b := build("A", false), build("B", true)
		byStatement, attached = relaytest.JSON(t, a), relaytest.JSON(t, b)
	})
	// The role names differ by design; everything else must not.
	for _, tpl := range []map[string]interface{}{byStatement, attached} {
		for _, r := range tpl["Resources"].(map[string]interface{}) {
			if props, ok := r.(map[string]interface{})["Properties"].(map[string]interface{}); ok {
				delete(props, "RoleName")
			}
		}
	}
	if diff := cmp.Diff(byStatement["Resources"], attached["Resources"]); diff != "" {
		t.Errorf("Attach renders differently from AddToPolicy (-AddToPolicy +Attach):\n%s", diff)
	}
}

func TestAttachWithoutStatements(t *testing.T) {
	relaytest.Do(t, "attach", func() {
		app := relaytest.NewApp()
		stack := awscdk.NewStack(app, jsii.String("S"), nil)
		role := awsiam.NewRole(stack, jsii.String("Role"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
		if p := policy.Attach(role); p != nil {
			t.Error("Attach without statements created a policy")
		}
		// The role's own AddToPolicy still works then.
		role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("s3:GetObject"), Resources: jsii.Strings("*")}))
	})
}
