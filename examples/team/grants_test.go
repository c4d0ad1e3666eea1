package team_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/examples/team"
)

// TestGrants: a team's own stack in the staging account grants Relay's
// staging deploy role access to its resources through each path
// aws-cdk-lib offers. Each case says where the new statements land (stack
// and logical ID, by diff with the team's App as team.New writes it), the
// synthesis error of a refused one, and what relaytest.CheckAssembly then
// flags. No path may end in a Go panic, an aws-cdk-lib contract error, or a
// refused grant moved to a resource policy.
func TestGrants(t *testing.T) {
	const (
		deployPolicy = "orders-staging/DeliveryDeployRoleDefaultPolicyC74B7B69"
		deployArn    = "arn:aws:iam::222222222222:role/relay/orders/orders-staging-deploy"
		iamWrite     = "iam:CreateRole writes IAM, and no permissions boundary bounds the deploy role; grant IAM reads only (and iam:PassRole on named roles), and let a stack (its execution role) create or change IAM resources"
	)
	stmt := func(actions ...string) awsiam.PolicyStatement {
		return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings(actions...), Resources: jsii.Strings("*")})
	}
	type ctx struct {
		app         awscdk.App
		stacks      *team.Stacks
		role        awsiam.Role
		teamStack   awscdk.Stack
		otherAcount awscdk.Stack
	}
	for _, tc := range []struct {
		name     string
		add      func(c ctx)
		lands    []string // where new statements are
		err      string   // the synthesis error, under the role's path
		findings []string // CheckAssembly's errors
	}{
		{"Role.AddToPolicy", func(c ctx) { c.role.AddToPolicy(stmt("sqs:SendMessage")) }, []string{deployPolicy}, "", nil},
		{"Grant.addToPrincipal", func(c ctx) {
			awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{Grantee: c.role, Actions: jsii.Strings("sqs:SendMessage"), ResourceArns: jsii.Strings("*")})
		}, []string{deployPolicy}, "", nil},
		{"grantPrincipal", func(c ctx) { c.role.GrantPrincipal().AddToPrincipalPolicy(stmt("sqs:SendMessage")) }, []string{deployPolicy}, "", nil},
		{"a bucket of the team's stack (cross-stack)", func(c ctx) {
			awss3.NewBucket(c.teamStack, jsii.String("Bucket"), nil).GrantRead(c.role, nil)
		}, []string{deployPolicy}, "", nil},
		{"Grant.addToPrincipalOrResource: the principal only", func(c ctx) {
			q := awssqs.NewQueue(c.teamStack, jsii.String("Queue"), nil)
			awsiam.Grant_AddToPrincipalOrResource(&awsiam.GrantWithResourceOptions{Grantee: c.role, Actions: jsii.Strings("sqs:SendMessage"), ResourceArns: jsii.Strings(*q.QueueArn()), Resource: q})
		}, []string{deployPolicy}, "", nil},
		{"a KMS key of the team's stack", func(c ctx) {
			awskms.NewKey(c.teamStack, jsii.String("Key"), nil).GrantDecrypt(c.role)
		}, []string{deployPolicy, "orders-team/Key961B73FD"}, "", nil}, // the key policy's own root statement
		{"a KMS key of another account: the role's policy and the key policy", func(c ctx) {
			awskms.NewKey(c.otherAcount, jsii.String("Key"), nil).GrantDecrypt(c.role)
		}, []string{"orders-other/Key961B73FD", "orders-other/Key961B73FD", deployPolicy}, "", nil},
		{"Policy.attachToRole from the team's stack", func(c ctx) {
			awsiam.NewPolicy(c.teamStack, jsii.String("Policy"), &awsiam.PolicyProps{Statements: &[]awsiam.PolicyStatement{stmt("sqs:SendMessage")}}).AttachToRole(c.role)
		}, []string{"orders-team/Policy23B91518"}, "", nil},
		{"Role.WithoutPolicyUpdates: nothing", func(c ctx) {
			awss3.NewBucket(c.teamStack, jsii.String("Bucket"), nil).GrantRead(c.role.WithoutPolicyUpdates(nil), nil)
		}, nil, "", nil},
		{"Role.WithoutPolicyUpdates with AddGrantsToResources: the bucket policy, as asked", func(c ctx) {
			awss3.NewBucket(c.teamStack, jsii.String("Bucket"), nil).GrantRead(c.role.WithoutPolicyUpdates(&awsiam.WithoutPolicyUpdatesOptions{AddGrantsToResources: jsii.Bool(true)}), nil)
		}, []string{"orders-team/BucketPolicyE9A3008A"}, "", nil},
		{"the role imported by ARN: a policy of the team's stack", func(c ctx) {
			awsiam.Role_FromRoleArn(c.teamStack, jsii.String("Deploy"), jsii.String(deployArn), nil).AddToPrincipalPolicy(stmt("sqs:SendMessage"))
		}, []string{"orders-team/DeployPolicy10F0DCC2"}, "", nil},
		{"refused: an IAM write through a grant", func(c ctx) {
			awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{Grantee: c.role, Actions: jsii.Strings("iam:CreateRole"), ResourceArns: jsii.Strings("*")})
		}, nil, `target: DeployRole(): the statement {"Action":"iam:CreateRole","Effect":"Allow","Resource":"*"}, added by Role.AddToPolicy or a grant: ` + iamWrite, nil},
		{"flagged: an IAM write in a policy attached from the team's stack", func(c ctx) {
			awsiam.NewPolicy(c.teamStack, jsii.String("Policy"), &awsiam.PolicyProps{Roles: &[]awsiam.IRole{c.role}, Statements: &[]awsiam.PolicyStatement{stmt("iam:CreateRole")}})
		}, []string{"orders-team/Policy23B91518"}, "", []string{
			`orders-team/Policy23B91518: PolicyDocument.Statement[0] "iam:CreateRole" (AWS::IAM::Policy) attached to orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/) in stack orders-staging, writes IAM, and no permissions boundary bounds the role: it may create or change a role or policy with more than it holds: remove it: Relay grants its roles what their jobs call and names who may assume them; give the job a role of your own, or grant it through Relay's props (such as target.Props.DeployStatements)`,
		}},
		{"flagged: an IAM write through the role imported by ARN", func(c ctx) {
			awsiam.Role_FromRoleArn(c.teamStack, jsii.String("Deploy"), jsii.String(deployArn), nil).AddToPrincipalPolicy(stmt("iam:CreateRole"))
		}, []string{"orders-team/DeployPolicy10F0DCC2"}, "", []string{
			`orders-team/DeployPolicy10F0DCC2: PolicyDocument.Statement[0] "iam:CreateRole" (AWS::IAM::Policy) attached to orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/) in stack orders-staging, writes IAM, and no permissions boundary bounds the role: it may create or change a role or policy with more than it holds: remove it: Relay grants its roles what their jobs call and names who may assume them; give the job a role of your own, or grant it through Relay's props (such as target.Props.DeployStatements)`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c ctx
			var base map[string]int
			relaytest.Do(t, "the team's App and its grant", func() {
				base = statementsOf(t, grantsApp(t, nil))
				c.app = grantsApp(t, &c.stacks)
				c.role = c.stacks.Deliveries["staging"].DeployRole()
				c.teamStack = awscdk.NewStack(c.app, jsii.String("orders-team"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")}})
				c.otherAcount = awscdk.NewStack(c.app, jsii.String("orders-other"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("444444444444"), Region: jsii.String("us-east-1")}})
				tc.add(c)
			})
			msg, ok := relaytest.Recover(func() { c.app.Synth(nil) })
			want := ""
			if tc.err != "" {
				want = "ValidationFailedWithErrors: Validation failed with the following errors:\n  [orders-staging/Delivery/DeployRole] " + tc.err
			}
			if ok {
				msg = ""
			}
			if msg != want {
				t.Fatalf("synthesis: %q\nwant %q", msg, want)
			}
			if !ok {
				return
			}
			var lands []string
			for k, n := range statementsOf(t, c.app) {
				for i := base[k]; i < n; i++ {
					var where string
					fmt.Sscan(k, &where)
					lands = append(lands, where)
				}
			}
			sort.Strings(lands)
			if diff := cmp.Diff(tc.lands, lands); diff != "" {
				t.Errorf("new statements (-want +got):\n%s", diff)
			}
			var findings []string
			for _, f := range relaytest.AssemblyFindings(t, c.app) {
				if f.Over() {
					findings = append(findings, f.Error())
				}
			}
			if diff := cmp.Diff(tc.findings, findings); diff != "" {
				t.Errorf("CheckAssembly's errors (-want +got):\n%s", diff)
			}
		})
	}
}

// grantsApp is the team's App as team.New writes it; stacks, when not nil,
// receives its stacks.
func grantsApp(t *testing.T, stacks **team.Stacks) awscdk.App {
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false), BuiltinCloudFormationValidation: jsii.Bool(false)})
	s, err := team.New(app)
	if err != nil {
		t.Fatal(err)
	}
	if stacks != nil {
		*stacks = s
	}
	return app
}

// statementsOf counts the policy statements of app's stacks, by
// "<stack>/<logical ID> <statement JSON>": identity policies, trust,
// resource and key policies.
func statementsOf(t *testing.T, app awscdk.App) map[string]int {
	out := map[string]int{}
	for _, c := range *app.Node().Children() {
		stack, ok := c.(awscdk.Stack)
		if !ok {
			continue
		}
		res, _ := relaytest.JSON(t, stack)["Resources"].(map[string]interface{})
		for id, r := range res {
			props, _ := r.(map[string]interface{})["Properties"].(map[string]interface{})
			for _, key := range []string{"PolicyDocument", "AssumeRolePolicyDocument", "KeyPolicy"} {
				doc, _ := props[key].(map[string]interface{})
				sts, _ := doc["Statement"].([]interface{})
				for _, s := range sts {
					b, _ := json.Marshal(s)
					out[fmt.Sprintf("%s/%s %s", *stack.StackName(), id, b)]++
				}
			}
		}
	}
	return out
}
