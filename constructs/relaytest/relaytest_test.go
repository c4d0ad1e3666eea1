package relaytest_test

import (
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/constructs/target"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

// fakeTB records what a helper reports. Fatal and Fatalf stop the calling
// goroutine like the real ones, so run the helper with fake.run.
type fakeTB struct {
	testing.TB // nil: a call to any other method panics
	errors     []string
	fatals     []string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Name() string { return "TestGolden/tooling stack" }

func (f *fakeTB) Errorf(format string, args ...interface{}) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Fatalf(format string, args ...interface{}) {
	f.fatals = append(f.fatals, fmt.Sprintf(format, args...))
	runtime.Goexit()
}

func (f *fakeTB) Fatal(args ...interface{}) {
	f.fatals = append(f.fatals, fmt.Sprint(args...))
	runtime.Goexit()
}

// run calls fn with the fake on its own goroutine and waits for it to
// return or to stop at a Fatal.
func (f *fakeTB) run(fn func(tb testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
}

func TestRecover(t *testing.T) {
	tests := []struct {
		name    string
		f       func()
		wantMsg string
		wantOK  bool
	}{
		{"returns", func() {}, "", true},
		{"panics with a string", func() { panic("boom") }, "boom", false},
		{"panics with an error", func() { panic(errors.New("Resolution error: bad")) }, "Resolution error: bad", false},
		{"panics with a number", func() { panic(42) }, "42", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, ok := relaytest.Recover(tt.f)
			if msg != tt.wantMsg || ok != tt.wantOK {
				t.Errorf("Recover() = %q, %v; want %q, %v", msg, ok, tt.wantMsg, tt.wantOK)
			}
		})
	}

	ran := false
	if _, ok := relaytest.Recover(func() { ran = true }); !ok || !ran {
		t.Errorf("Recover did not run f (ran %v, ok %v)", ran, ok)
	}
	if msg, ok := relaytest.Recover(func() { panic(nil) }); ok || !strings.Contains(msg, "nil") {
		t.Errorf("Recover(panic(nil)) = %q, %v; want a message about a nil panic, false", msg, ok)
	}
}

func TestValidateError(t *testing.T) {
	tests := []struct {
		name               string
		err                error
		want               []string
		wantErrs, wantFail int
	}{
		{"valid and expected so", nil, nil, 0, 0},
		{"invalid, expected valid", errors.New("p.Props: A: bad"), nil, 0, 1},
		{"same lines", errors.New("p.Props: A: bad\nB: bad"), []string{"A: bad", "B: bad"}, 0, 0},
		{"other lines", errors.New("p.Props: A: bad"), []string{"A: bad", "B: bad"}, 1, 0},
		{"valid, expected problems", nil, []string{"A: bad"}, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTB{}
			f.run(func(tb testing.TB) { relaytest.ValidateError(tb, tt.err, "p.Props: ", tt.want) })
			if len(f.errors) != tt.wantErrs || len(f.fatals) != tt.wantFail {
				t.Errorf("errors %q, fatals %q; want %d and %d", f.errors, f.fatals, tt.wantErrs, tt.wantFail)
			}
		})
	}
}

func TestDoAndCheck(t *testing.T) {
	var after bool
	do := &fakeTB{}
	do.run(func(tb testing.TB) {
		relaytest.Do(tb, "synthesize", func() { panic("ValidationError: bad") })
		after = true
	})
	if diff := cmp.Diff([]string{"synthesize: ValidationError: bad"}, do.fatals); diff != "" || len(do.errors) > 0 || after {
		t.Errorf("Do: fatals (-want +got):\n%s errors %q, went on after the failure: %v", diff, do.errors, after)
	}

	check := &fakeTB{}
	check.run(func(tb testing.TB) {
		relaytest.Check(tb, "has bucket", func() { panic("no match") })
		relaytest.Check(tb, "has key", func() {})
		after = true
	})
	if diff := cmp.Diff([]string{"has bucket: no match"}, check.errors); diff != "" || len(check.fatals) > 0 || !after {
		t.Errorf("Check: errors (-want +got):\n%s fatals %q, went on: %v", diff, check.fatals, after)
	}
}

const hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestNormalize(t *testing.T) {
	type m = map[string]interface{}
	tests := []struct {
		name string
		in   m
		want m
	}{
		{
			name: "CDK additions removed",
			in: m{
				"Parameters": m{"BootstrapVersion": m{"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/hnb659fds/version"}},
				"Rules":      m{"CheckBootstrapVersion": m{"Assertions": []interface{}{}}},
				"Conditions": m{"CDKMetadataAvailable": m{"Fn::Or": []interface{}{}}},
				"Resources": m{
					"CDKMetadata": m{"Type": "AWS::CDK::Metadata", "Properties": m{"Analytics": "v2:deflate64:H4sI"}},
					"Bucket":      m{"Type": "AWS::S3::Bucket"},
				},
			},
			want: m{"Resources": m{"Bucket": m{"Type": "AWS::S3::Bucket"}}},
		},
		{
			name: "other parameters, rules and conditions kept",
			in: m{
				"Parameters": m{"BootstrapVersion": m{"Type": "String"}, "Stage": m{"Type": "String", "Default": "prod"}},
				"Rules":      m{"CheckBootstrapVersion": m{}, "OnlyProd": m{"Assertions": []interface{}{}}},
				"Conditions": m{"CDKMetadataAvailable": m{}, "IsProd": m{"Fn::Equals": []interface{}{"a", "b"}}},
			},
			want: m{
				"Parameters": m{"Stage": m{"Type": "String", "Default": "prod"}},
				"Rules":      m{"OnlyProd": m{"Assertions": []interface{}{}}},
				"Conditions": m{"IsProd": m{"Fn::Equals": []interface{}{"a", "b"}}},
			},
		},
		{
			name: "metadata resources removed by type, whatever their ID",
			in: m{"Resources": m{
				"Meta":        m{"Type": "AWS::CDK::Metadata"},
				"CDKMetadata": m{"Type": "AWS::SNS::Topic"},
			}},
			want: m{"Resources": m{"CDKMetadata": m{"Type": "AWS::SNS::Topic"}}},
		},
		{
			name: "asset hashes replaced in values and keys",
			in: m{"Resources": m{"Fn": m{
				"Type": "AWS::Lambda::Function",
				"Properties": m{
					"Code":     m{"S3Key": hash + ".zip", "S3Bucket": "cdk-hnb659fds-assets-111111111111-us-east-1"},
					"Metadata": m{"aws:asset:path": "asset." + hash},
				},
			}}, "Outputs": m{"Asset" + hash: m{"Value": hash}}},
			want: m{"Resources": m{"Fn": m{
				"Type": "AWS::Lambda::Function",
				"Properties": m{
					"Code":     m{"S3Key": "<asset-hash>.zip", "S3Bucket": "cdk-hnb659fds-assets-111111111111-us-east-1"},
					"Metadata": m{"aws:asset:path": "asset.<asset-hash>"},
				},
			}}, "Outputs": m{"Asset<asset-hash>": m{"Value": "<asset-hash>"}}},
		},
		{
			name: "shorter or upper-case hex left alone",
			in: m{"Outputs": m{
				"Short": m{"Value": hash[1:]},
				"Upper": m{"Value": strings.ToUpper(hash)},
			}},
			want: m{"Outputs": m{
				"Short": m{"Value": hash[1:]},
				"Upper": m{"Value": strings.ToUpper(hash)},
			}},
		},
		{
			name: "other content untouched",
			in: m{
				"AWSTemplateFormatVersion": "2010-09-09",
				"Description":              "Relay <payments> & co",
				"Resources": m{"Queue": m{
					"Type":           "AWS::SQS::Queue",
					"DeletionPolicy": "Retain",
					"Properties": m{
						"DelaySeconds": float64(5), "FifoQueue": true, "Tags": []interface{}{m{"Key": "a", "Value": nil}},
						"QueueName": m{"Fn::Join": []interface{}{"-", []interface{}{m{"Ref": "AWS::StackName"}, "q"}}},
					},
				}},
				"Outputs": m{"Url": m{"Value": m{"Ref": "Queue"}, "Export": m{"Name": "payments-queue"}}},
			},
			want: m{
				"AWSTemplateFormatVersion": "2010-09-09",
				"Description":              "Relay <payments> & co",
				"Resources": m{"Queue": m{
					"Type":           "AWS::SQS::Queue",
					"DeletionPolicy": "Retain",
					"Properties": m{
						"DelaySeconds": float64(5), "FifoQueue": true, "Tags": []interface{}{m{"Key": "a", "Value": nil}},
						"QueueName": m{"Fn::Join": []interface{}{"-", []interface{}{m{"Ref": "AWS::StackName"}, "q"}}},
					},
				}},
				"Outputs": m{"Url": m{"Value": m{"Ref": "Queue"}, "Export": m{"Name": "payments-queue"}}},
			},
		},
		{
			name: "empty template",
			in:   m{},
			want: m{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := slices.Sorted(maps.Keys(tt.in))
			got := relaytest.Normalize(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Normalize() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(keys, slices.Sorted(maps.Keys(tt.in))); diff != "" {
				t.Errorf("Normalize() changed the top-level keys of its input (-before +after):\n%s", diff)
			}
		})
	}
}

func TestMarshal(t *testing.T) {
	tests := []struct {
		name string
		in   interface{}
		want string
	}{
		{"nil", nil, "null\n"},
		{"empty object", map[string]interface{}{}, "{}\n"},
		{"keys sorted, two-space indent", map[string]interface{}{
			"b": 1,
			"a": map[string]interface{}{"d": "x", "c": []interface{}{1, true}},
		}, "{\n  \"a\": {\n    \"c\": [\n      1,\n      true\n    ],\n    \"d\": \"x\"\n  },\n  \"b\": 1\n}\n"},
		{"no HTML escaping", map[string]string{"Value": "<asset-hash> & <b>"}, "{\n  \"Value\": \"<asset-hash> & <b>\"\n}\n"},
		{"string", "a\"b", "\"a\\\"b\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, string(relaytest.Marshal(tt.in))); diff != "" {
				t.Errorf("Marshal() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "testdata", "golden", "Tooling.json")
	content := []byte("{\n  \"a\": 1\n}\n")

	write := &fakeTB{}
	write.run(func(tb testing.TB) { relaytest.Golden(tb, path, content, true) })
	if len(write.errors)+len(write.fatals) > 0 {
		t.Fatalf("Golden(update) reported errors %q, fatals %q", write.errors, write.fatals)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != string(content) {
		t.Fatalf("after Golden(update), %s = %q, %v; want %q", path, got, err, content)
	}

	same := &fakeTB{}
	same.run(func(tb testing.TB) { relaytest.Golden(tb, path, content, false) })
	if len(same.errors)+len(same.fatals) > 0 {
		t.Errorf("Golden(equal) reported errors %q, fatals %q", same.errors, same.fatals)
	}
	// The real testing.T passes too.
	relaytest.Golden(t, path, content, false)

	changed := []byte("{\n  \"a\": 2\n}\n")
	differ := &fakeTB{}
	differ.run(func(tb testing.TB) { relaytest.Golden(tb, path, changed, false) })
	if len(differ.errors) != 1 || len(differ.fatals) != 0 {
		t.Fatalf("Golden(different) reported errors %q, fatals %q; want one error", differ.errors, differ.fatals)
	}
	// The hint is the caller's own command: its package, its test.
	command := "go test ./constructs/relaytest -run '^TestGolden$/^tooling stack$' -update"
	for _, want := range []string{path, cmp.Diff(string(content), string(changed)), command} {
		if !strings.Contains(differ.errors[0], want) {
			t.Errorf("Golden(different) message lacks %q:\n%s", want, differ.errors[0])
		}
	}
	if got, _ := os.ReadFile(path); string(got) != string(content) {
		t.Errorf("Golden(different, update=false) rewrote the golden file: %q", got)
	}

	missing := &fakeTB{}
	missingPath := filepath.Join(t.TempDir(), "missing.json")
	missing.run(func(tb testing.TB) { relaytest.Golden(tb, missingPath, content, false) })
	if len(missing.fatals) != 1 || !strings.Contains(missing.fatals[0], missingPath) ||
		!strings.Contains(missing.fatals[0], command) {
		t.Errorf("Golden(missing) fatals %q; want one naming %s and the -update command", missing.fatals, missingPath)
	}
}

func TestFindingsText(t *testing.T) {
	fs := []relaytest.Finding{
		{Path: "/Tooling/Bucket/Resource", Message: "AwsSolutions-S1: The S3 Bucket has server access logs disabled.\nDetails"},
		{Path: "/Tooling/Role/Resource", Message: "AwsSolutions-IAM5: wildcard"},
	}
	want := "  /Tooling/Bucket/Resource: AwsSolutions-S1: The S3 Bucket has server access logs disabled.\n" +
		"  /Tooling/Role/Resource: AwsSolutions-IAM5: wildcard\n"
	if diff := cmp.Diff(want, relaytest.FindingsText(fs)); diff != "" {
		t.Errorf("FindingsText() mismatch (-want +got):\n%s", diff)
	}
	if got := relaytest.FindingsText(nil); got != "" {
		t.Errorf("FindingsText(nil) = %q, want \"\"", got)
	}
}

func TestCommand(t *testing.T) {
	if got, want := relaytest.Command(t), "go test ./constructs/relaytest -run '^TestCommand$' -update"; got != want {
		t.Errorf("Command() = %q, want %q", got, want)
	}
	t.Run("a (sub) test.*", func(t *testing.T) {
		if got, want := relaytest.Command(t), `go test ./constructs/relaytest -run '^TestCommand$/^a_\(sub\)_test\.\*$' -update`; got != want {
			t.Errorf("Command() = %q, want %q", got, want)
		}
	})
	// A quote in a test's name must not end the shell's quoting: the
	// command is pasted into a shell as printed.
	t.Run("the team's stack", func(t *testing.T) {
		got, want := relaytest.Command(t), `go test ./constructs/relaytest -run '^TestCommand$/^the_team'\''s_stack$' -update`
		if got != want {
			t.Errorf("Command() = %q, want %q", got, want)
		}
		out, err := exec.Command("sh", "-c", "printf '%s\\n' "+strings.TrimSuffix(strings.TrimPrefix(got, "go test ./constructs/relaytest "), " -update")).Output()
		if err != nil || string(out) != "-run\n^TestCommand$/^the_team's_stack$\n" {
			t.Errorf("sh reads the arguments of %s as %q (%v)", got, out, err)
		}
	})
}

// TestUpdateFlag: Main defines -update (this package's TestMain is
// relaytest.Main), and a second definition is a no-op.
func TestUpdateFlag(t *testing.T) {
	if flag.Lookup("update") == nil {
		t.Fatal("relaytest.Main did not define -update")
	}
	relaytest.UpdateFlag()
	if relaytest.Update() {
		t.Error("Update() = true without -update")
	}
	flag.Set("update", "true")
	defer flag.Set("update", "false")
	if !relaytest.Update() {
		t.Error("Update() = false after -update=true")
	}
}

func (f *fakeTB) Logf(format string, args ...interface{}) {}

// TestCheckAssembly: an app with two stacks of one name in one account and
// region fails with the named error, once; a valid app passes.
func TestCheckAssembly(t *testing.T) {
	env := &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")}
	tests := []struct {
		name  string
		names []string
		want  []string
	}{
		{"two stack names", []string{"orders", "billing"}, nil},
		{"one stack name twice", []string{"orders", "orders"},
			[]string{`B: stack name "orders" is also the stack name of A (account 111111111111, region us-east-1): CloudFormation stack names are unique in an account and region (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html): give one of them another name`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := relaytest.NewApp()
			for i, n := range tc.names {
				s := awscdk.NewStack(app, jsii.String(string(rune('A'+i))), &awscdk.StackProps{Env: env, StackName: jsii.String(n)})
				awssns.NewTopic(s, jsii.String("Topic"), nil)
			}
			fake := &fakeTB{}
			fake.run(func(tb testing.TB) { relaytest.CheckAssembly(tb, app) })
			if len(fake.fatals) > 0 || !slices.Equal(fake.errors, tc.want) {
				t.Errorf("errors %q, fatals %q; want %q", fake.errors, fake.fatals, tc.want)
			}
		})
	}
}

// TestCheckAssemblyRelayRoles: what a team's code attaches to one of
// Relay's roles (here the deploy role of a target) fails the assembly
// check, each shape by its own message; the target as Relay writes it
// passes.
func TestCheckAssemblyRelayRoles(t *testing.T) {
	const (
		role        = "orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/)"
		fix         = "remove it: Relay grants its roles what their jobs call and names who may assume them; give the job a role of your own, or grant it through Relay's props (such as target.Props.DeployStatements)"
		boundaryFix = "keep the statement as Relay writes it (target.New gives it to every CloudFormation execution role, in the role's default policy): remove the escape hatch (AddPropertyOverride, AddPropertyDeletionOverride, AddOverride) that deletes or changes it"
	)
	tests := []struct {
		name   string
		attach func(app awscdk.App, tgt *target.DeploymentTarget)
		want   []string
	}{
		{"as Relay writes it", func(awscdk.App, *target.DeploymentTarget) {}, nil},
		{"AdministratorAccess", func(app awscdk.App, tgt *target.DeploymentTarget) {
			tgt.DeployRole().AddManagedPolicy(awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String("AdministratorAccess")))
		}, []string{
			`orders-staging/DeliveryDeployRole1DADA256: ManagedPolicyArns[0] "arn:aws:iam::aws:policy/AdministratorAccess" on ` + role + `, is as strong as AdministratorAccess: ` + fix,
		}},
		{"an Allow of * on * in an L1 policy", func(app awscdk.App, tgt *target.DeploymentTarget) {
			// awsiam.NewPolicy with Roles would fail synthesis (policy.NewRole's check).
			awsiam.NewCfnPolicy(awscdk.Stack_Of(tgt.DeployRole()), jsii.String("TeamPolicy"), &awsiam.CfnPolicyProps{PolicyName: jsii.String("team"),
				Roles:          jsii.Strings(*tgt.DeployRole().RoleName()),
				PolicyDocument: map[string]interface{}{"Version": "2012-10-17", "Statement": []interface{}{map[string]interface{}{"Effect": "Allow", "Action": "*", "Resource": "*"}}}})
		}, []string{
			`orders-staging/TeamPolicy: PolicyDocument.Statement[0] "Allow * on *" (AWS::IAM::Policy) attached to ` + role + `, grants every action on every resource: ` + fix,
		}},
		{"an IAM write through the deploy role imported by ARN", func(app awscdk.App, tgt *target.DeploymentTarget) {
			team := awscdk.NewStack(app, jsii.String("team-app"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")}})
			imported := awsiam.Role_FromRoleArn(team, jsii.String("Deploy"), jsii.String("arn:aws:iam::222222222222:role/relay/orders/orders-staging-deploy"), nil)
			imported.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("iam:CreateRole"), Resources: jsii.Strings("*")}))
		}, []string{
			`team-app/DeployPolicyteamappDeploy68386AD86AB4531A: PolicyDocument.Statement[0] "iam:CreateRole" (AWS::IAM::Policy) attached to ` + role + ` in stack orders-staging, writes IAM, and no permissions boundary bounds the role: it may create or change a role or policy with more than it holds: ` + fix,
		}},
		{"a trust of another account's root", func(app awscdk.App, tgt *target.DeploymentTarget) {
			tgt.DeployRole().AssumeRolePolicy().AddStatements(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("sts:AssumeRole"), Principals: &[]awsiam.IPrincipal{awsiam.NewAccountPrincipal(jsii.String("999999999999"))},
			}))
		}, []string{
			`orders-staging/DeliveryDeployRole1DADA256: AssumeRolePolicyDocument.Statement[1].Principal.AWS "arn:aws:iam::999999999999:root" lets the account root arn:aws:iam::999999999999:root (every principal its administrators allow) assume ` + role + `: no aws:PrincipalArn condition names who, as Relay's trust does: ` + fix,
		}},
		{"a trust widened to lambda.amazonaws.com", func(app awscdk.App, tgt *target.DeploymentTarget) {
			tgt.DeployRole().AssumeRolePolicy().AddStatements(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("sts:AssumeRole"), Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)},
			}))
		}, []string{
			`orders-staging/DeliveryDeployRole1DADA256: AssumeRolePolicyDocument.Statement[1].Principal.Service "lambda.amazonaws.com" lets the service lambda.amazonaws.com assume ` + role + `, which trusts other principals too: no aws:SourceArn or aws:SourceAccount condition names the resource it acts for, so whoever may pass the role to the service, or point one of its resources at it, acts as the role (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html): ` + fix,
		}},
		{"a team stack's policies on the deploy role, by name and by reference", func(app awscdk.App, tgt *target.DeploymentTarget) {
			team := awscdk.NewStack(app, jsii.String("team-app"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")}})
			imported := awsiam.Role_FromRoleName(team, jsii.String("Deploy"), jsii.String("orders-staging-deploy"), nil)
			imported.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("*"), Resources: jsii.Strings("*")}))
			awsiam.NewManagedPolicy(team, jsii.String("TeamManaged"), &awsiam.ManagedPolicyProps{Roles: &[]awsiam.IRole{tgt.DeployRole()},
				Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{NotActions: jsii.Strings("iam:*"), Resources: jsii.Strings("*")})}})
		}, []string{
			`team-app/DeployPolicyteamappDeploy68386AD86AB4531A: PolicyDocument.Statement[0] "Allow * on *" (AWS::IAM::Policy) attached to ` + role + ` in stack orders-staging, grants every action on every resource: ` + fix,
			`team-app/TeamManagedAE06D044: PolicyDocument.Statement[0] "Allow with NotAction" (AWS::IAM::ManagedPolicy) attached to ` + role + ` in stack orders-staging, grants every action but the ones it lists, including those of services AWS adds later: ` + fix,
		}},
		{"a customer managed policy of NotAction added to the deploy role", func(_ awscdk.App, tgt *target.DeploymentTarget) {
			tgt.DeployRole().AddManagedPolicy(awsiam.NewManagedPolicy(awscdk.Stack_Of(tgt.DeployRole()), jsii.String("TeamManaged"), &awsiam.ManagedPolicyProps{
				Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{NotActions: jsii.Strings("iam:*"), Resources: jsii.Strings("*")})}}))
		}, []string{
			`orders-staging/TeamManagedAE06D044: PolicyDocument.Statement[0] "Allow with NotAction" (AWS::IAM::ManagedPolicy) attached to ` + role + `, grants every action but the ones it lists, including those of services AWS adds later: ` + fix,
		}},
		{"an escape hatch that names another permissions boundary", func(app awscdk.App, tgt *target.DeploymentTarget) {
			policy := tgt.ExecutionRole().Node().FindChild(jsii.String("DefaultPolicy")).Node().DefaultChild().(awscdk.CfnResource)
			policy.AddPropertyOverride(jsii.String("PolicyDocument.Statement.1.Condition.StringNotEquals.iam:PermissionsBoundary"), jsii.String("arn:aws:iam::222222222222:policy/team-boundary"))
		}, []string{
			`orders-staging/DeliveryExecutionRoleDefaultPolicy6AA88ACB: PolicyDocument.Statement[1].Condition.StringNotEquals.iam:PermissionsBoundary "arn:aws:iam::222222222222:policy/team-boundary" on orders-staging-cfn-exec, a role Relay creates for pipeline orders (path /relay/orders/), is not Relay's permissions boundary (a policy at /relay/orders/ in account 222222222222): the role may create and change roles and users that carry this policy instead: ` + boundaryFix,
		}},
		{"an escape hatch that deletes the permissions-boundary guards", func(app awscdk.App, tgt *target.DeploymentTarget) {
			policy := tgt.ExecutionRole().Node().FindChild(jsii.String("DefaultPolicy")).Node().DefaultChild().(awscdk.CfnResource)
			policy.AddPropertyDeletionOverride(jsii.String("PolicyDocument.Statement.2"))
		}, []string{
			`orders-staging/DeliveryExecutionRole84AD62A4: Deny statement "DenyRemovingBoundaries" is missing from orders-staging-cfn-exec, a role Relay creates for pipeline orders (path /relay/orders/), a CloudFormation execution role: without it the role may take Relay's permissions boundary off the roles and users it created: ` + boundaryFix,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := relaytest.NewApp()
			stack := awscdk.NewStack(app, jsii.String("orders-staging"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")}})
			var tgt *target.DeploymentTarget
			relaytest.Do(t, "target.New", func() {
				tgt = target.New(stack, "Delivery", &target.Props{
					Regions: []string{"us-east-1"}, RolePath: "/relay/orders/",
					DeployRoleName: "orders-staging-deploy", ExecutionRoleName: "orders-staging-cfn-exec",
					PipelineAccount: "111111111111", PipelineRoleArns: []string{"arn:aws:iam::111111111111:role/relay/orders/orders-pipeline"},
					StackNames:         []string{"orders-service"},
					ArtifactBucketArns: []string{"arn:aws:s3:::orders-artifacts-111111111111-us-east-1"},
					ArtifactKeyArns:    []string{"arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"},
					ExecutionStatements: []target.Statement{{Sid: "Topics", Actions: []string{"sns:CreateTopic", "sns:DeleteTopic"},
						Resources: []string{"arn:aws:sns:us-east-1:222222222222:orders-*"}, Reason: "The service's template creates its topics."}},
				})
				tc.attach(app, tgt)
			})
			fake := &fakeTB{}
			fake.run(func(tb testing.TB) { relaytest.CheckAssembly(tb, app) })
			if len(fake.fatals) > 0 {
				t.Fatalf("fatals %q", fake.fatals)
			}
			if diff := cmp.Diff(tc.want, fake.errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}
