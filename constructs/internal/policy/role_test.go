package policy_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/internal/policy"
	"github.com/relaycdk/relay/constructs/relaytest"
)

// statementsOf lists the statements of the one AWS::IAM::Policy in tpl as
// "Sid Action Resource", and fails unless there is exactly one.
func statementsOf(t *testing.T, tpl map[string]interface{}) []string {
	t.Helper()
	var out []string
	policies := 0
	for _, r := range tpl["Resources"].(map[string]interface{}) {
		r := r.(map[string]interface{})
		if r["Type"] != "AWS::IAM::Policy" {
			continue
		}
		policies++
		for _, st := range r["Properties"].(map[string]interface{})["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
			m := st.(map[string]interface{})
			out = append(out, fmt.Sprintf("%v %v %v", m["Sid"], m["Action"], m["Resource"]))
		}
	}
	if policies != 1 {
		t.Fatalf("%d AWS::IAM::Policy resources, want the role's one DefaultPolicy", policies)
	}
	return out
}

// TestNewRoleTakesAddedStatements: statements added through the L2 role
// (AddToPolicy, a grant) land in the policy Attach wrote, before or after
// it, each seen by the check.
func TestNewRoleTakesAddedStatements(t *testing.T) {
	for _, tc := range []struct {
		name       string
		grantFirst bool
		want       []string
	}{
		{"Attach first", false, []string{
			"Mine s3:ListBucket *",
			"<nil> [s3:GetObject* s3:GetBucket* s3:List*] [map[Fn::GetAtt:[Bucket83908E77 Arn]] map[Fn::Join:[ [map[Fn::GetAtt:[Bucket83908E77 Arn]] /*]]]]",
			"<nil> sqs:SendMessage *",
		}},
		{"a grant before Attach", true, []string{
			"<nil> [s3:GetObject* s3:GetBucket* s3:List*] [map[Fn::GetAtt:[Bucket83908E77 Arn]] map[Fn::Join:[ [map[Fn::GetAtt:[Bucket83908E77 Arn]] /*]]]]",
			"<nil> sqs:SendMessage *",
			"Mine s3:ListBucket *",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen [][]string
			var tpl map[string]interface{}
			relaytest.Do(t, "build", func() {
				stack := awscdk.NewStack(relaytest.NewApp(), jsii.String("S"), nil)
				bucket := awss3.NewBucket(stack, jsii.String("Bucket"), nil)
				role := policy.NewRole(stack, "Role", &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()}, func(a policy.Added) error {
					seen = append(seen, a.Actions)
					return nil
				})
				mine := policy.Statement{Sid: "Mine", Actions: []string{"s3:ListBucket"}, Resources: []string{"*"}}
				if !tc.grantFirst {
					policy.Attach(role, mine)
				}
				bucket.GrantRead(role, nil)
				role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("sqs:SendMessage"), Resources: jsii.Strings("*")}))
				if tc.grantFirst {
					policy.Attach(role, mine)
				}
				tpl = relaytest.JSON(t, stack)
			})
			if diff := cmp.Diff(tc.want, statementsOf(t, tpl)); diff != "" {
				t.Errorf("the role's policy (-want +got):\n%s", diff)
			}
			if want := [][]string{{"s3:GetObject*", "s3:GetBucket*", "s3:List*"}, {"sqs:SendMessage"}}; !cmp.Equal(seen, want) {
				t.Errorf("check saw %v, want the added statements' actions %v (not Attach's)", seen, want)
			}
		})
	}
}

// TestNewRoleRefuses: statements the check refuses are left out and fail
// synthesis with the check's errors, each under the role's path; the
// accepted ones stay.
func TestNewRoleRefuses(t *testing.T) {
	var msg string
	var ok bool
	relaytest.Do(t, "build", func() {
		app := relaytest.NewApp()
		stack := awscdk.NewStack(app, jsii.String("S"), nil)
		role := policy.NewRole(stack, "Role", &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()}, func(a policy.Added) error {
			if slices.Contains(a.Actions, "iam:CreateUser") || slices.Contains(a.Actions, "iam:CreateRole") {
				return fmt.Errorf("target: DeployRole(): %v writes IAM", a.Actions)
			}
			return nil
		})
		role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("iam:CreateUser"), Resources: jsii.Strings("*")}))
		role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("sqs:SendMessage"), Resources: jsii.Strings("*")}))
		role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("iam:CreateRole"), Resources: jsii.Strings("*")}))
		msg, ok = relaytest.Recover(func() { app.Synth(nil) })
	})
	want := "ValidationFailedWithErrors: Validation failed with the following errors:\n" +
		"  [S/Role] target: DeployRole(): [iam:CreateUser] writes IAM\n" +
		"  [S/Role] target: DeployRole(): [iam:CreateRole] writes IAM"
	if ok || msg != want {
		t.Errorf("synthesis with refused statements: panicked %v with\n%s\nwant\n%s", !ok, msg, want)
	}
}

// TestNewRoleTemplate: a role of NewRole's with Attach renders as
// awsiam.NewRole with Attach (the override changes no template).
func TestNewRoleTemplate(t *testing.T) {
	build := func(owned bool) map[string]interface{} {
		var tpl map[string]interface{}
		relaytest.Do(t, "build", func() {
			stack := awscdk.NewStack(relaytest.NewApp(), jsii.String("S"), nil)
			props := &awsiam.RoleProps{RoleName: jsii.String("r"), AssumedBy: awsiam.NewServicePrincipal(jsii.String("cloudformation.amazonaws.com"), nil)}
			var role awsiam.Role
			if owned {
				role = policy.NewRole(stack, "Role", props, nil)
			} else {
				role = awsiam.NewRole(stack, jsii.String("Role"), props)
			}
			policy.Attach(role, policy.Statement{Sid: "A", Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::b/*"}},
				policy.Statement{Deny: true, Actions: []string{"iam:*"}, Resources: []string{"*"}})
			tpl = relaytest.JSON(t, stack)
		})
		return tpl
	}
	if diff := cmp.Diff(build(false), build(true)); diff != "" {
		t.Errorf("NewRole renders differently from awsiam.NewRole (-awsiam +NewRole):\n%s", diff)
	}
}

// TestAddedReadsIAMJSON: what a check receives, for statement shapes
// aws-cdk-lib writes (one value or several, NotAction, conditions with
// values that are not strings).
func TestAddedReadsIAMJSON(t *testing.T) {
	for _, tc := range []struct {
		name  string
		props *awsiam.PolicyStatementProps
		want  policy.Added
	}{
		{"one action, one resource", &awsiam.PolicyStatementProps{Actions: jsii.Strings("s3:GetObject"), Resources: jsii.Strings("arn:aws:s3:::b/*")},
			policy.Added{JSON: `{"Action":"s3:GetObject","Effect":"Allow","Resource":"arn:aws:s3:::b/*"}`, Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::b/*"}}},
		{"NotAction and NotResource, a deny", &awsiam.PolicyStatementProps{Effect: awsiam.Effect_DENY, NotActions: jsii.Strings("iam:Get*", "iam:List*"), NotResources: jsii.Strings("arn:aws:iam::1:role/x")},
			policy.Added{JSON: `{"Effect":"Deny","NotAction":["iam:Get*","iam:List*"],"NotResource":"arn:aws:iam::1:role/x"}`, Deny: true,
				NotActions: []string{"iam:Get*", "iam:List*"}, NotResources: []string{"arn:aws:iam::1:role/x"}}},
		{"conditions, a bool among them", &awsiam.PolicyStatementProps{Actions: jsii.Strings("iam:PassRole"), Resources: jsii.Strings("*"),
			Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"iam:PassedToService": []string{"lambda.amazonaws.com", "ecs-tasks.amazonaws.com"}}, "Bool": map[string]interface{}{"aws:SecureTransport": true}}},
			policy.Added{JSON: `{"Action":"iam:PassRole","Condition":{"Bool":{"aws:SecureTransport":true},"StringEquals":{"iam:PassedToService":["lambda.amazonaws.com","ecs-tasks.amazonaws.com"]}},"Effect":"Allow","Resource":"*"}`,
				Actions: []string{"iam:PassRole"}, Resources: []string{"*"},
				Conditions: map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"true"}}, "StringEquals": {"iam:PassedToService": {"lambda.amazonaws.com", "ecs-tasks.amazonaws.com"}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got policy.Added
			relaytest.Do(t, "build", func() {
				stack := awscdk.NewStack(relaytest.NewApp(), jsii.String("S"), nil)
				role := policy.NewRole(stack, "Role", &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()}, func(a policy.Added) error {
					got = a
					return nil
				})
				role.AddToPolicy(awsiam.NewPolicyStatement(tc.props))
			})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Added (-want +got):\n%s", diff)
			}
		})
	}
}
