package recovery_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/recovery"
	"github.com/relaycdk/relay/constructs/relaytest"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

const deployRoles = "arn:aws:iam::*:role/relay/payments/payments-*-deploy"

func props() *recovery.Props {
	return &recovery.Props{PipelineName: "payments", RoleName: "payments-recovery", RolePath: "/relay/payments/", DeployRolePatterns: []string{deployRoles}}
}

// TestRecovery checks the function, its least-privilege role, its log
// group and the rule that invokes it for failed CloudFormation actions of
// the one pipeline; and that cdk-nag's AwsSolutions pack finds nothing
// left unexplained.
func TestRecovery(t *testing.T) {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Tooling"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
	relaytest.Do(t, "recovery.New", func() {
		recovery.New(stack, "Recovery", props())
		compliance.AwsSolutions(app)
	})
	tpl := relaytest.Template(t, stack)
	has := func(what, typ string, p map[string]interface{}) {
		t.Helper()
		relaytest.Check(t, what, func() { tpl.HasResourceProperties(jsii.String(typ), assertions.Match_ObjectLike(&p)) })
	}
	has("the rule matches failed CloudFormation actions of the pipeline", "AWS::Events::Rule", map[string]interface{}{
		"EventPattern": map[string]interface{}{
			"source": []interface{}{"aws.codepipeline"}, "detail-type": []interface{}{"CodePipeline Action Execution State Change"},
			"detail": map[string]interface{}{"pipeline": []interface{}{"payments"}, "state": []interface{}{"FAILED"}, "type": map[string]interface{}{"provider": []interface{}{"CloudFormation"}}},
		},
	})
	has("the function knows its pipeline", "AWS::Lambda::Function", map[string]interface{}{
		"Environment": map[string]interface{}{"Variables": map[string]interface{}{"PIPELINE": "payments"}},
		"Code":        map[string]interface{}{"ZipFile": recovery.Source},
	})
	has("the role reads the pipeline and assumes deploy roles only", "AWS::IAM::Policy", map[string]interface{}{
		"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
			assertions.Match_ObjectLike(&map[string]interface{}{"Action": "codepipeline:GetPipeline"}),
			assertions.Match_ObjectLike(&map[string]interface{}{"Action": "sts:AssumeRole", "Resource": deployRoles}),
		})}),
	})
	has("the role has a fixed name under the pipeline's path", "AWS::IAM::Role", map[string]interface{}{"RoleName": "payments-recovery", "Path": "/relay/payments/"})
	if errs := relaytest.Errors(t, stack); len(errs) > 0 {
		t.Errorf("%d unsuppressed cdk-nag findings:\n%s", len(errs), relaytest.FindingsText(errs))
	}
	if n := len(recovery.Source); n > 4096 {
		t.Errorf("recover.py has %d characters; CloudFormation takes at most 4096 inline", n)
	}
}

// TestRecoveryLogKey: with LogKey, the log group is encrypted with it and
// the key's policy admits CloudWatch Logs for that log group only.
func TestRecoveryLogKey(t *testing.T) {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Tooling"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
	relaytest.Do(t, "recovery.New with LogKey", func() {
		p := props()
		p.LogKey = awskms.NewKey(stack, jsii.String("LogKey"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
		recovery.New(stack, "Recovery", p)
	})
	var keyID string
	resources := relaytest.JSON(t, stack)["Resources"].(map[string]interface{})
	for id, r := range resources {
		if r.(map[string]interface{})["Type"] == "AWS::KMS::Key" {
			keyID = id
		}
	}
	tpl := relaytest.Template(t, stack)
	relaytest.Check(t, "the log group is encrypted with the key", func() {
		tpl.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), &map[string]interface{}{
			"LogGroupName": "/relay/payments/recovery",
			"KmsKeyId":     map[string]interface{}{"Fn::GetAtt": []interface{}{keyID, "Arn"}},
		})
	})
	relaytest.Check(t, "the key admits CloudWatch Logs for that log group only", func() {
		tpl.HasResourceProperties(jsii.String("AWS::KMS::Key"), &map[string]interface{}{
			"KeyPolicy": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
				assertions.Match_ObjectLike(&map[string]interface{}{
					"Sid": "CloudWatchLogsEncryptsRecoveryLogs",
					"Condition": map[string]interface{}{"ArnLike": map[string]interface{}{
						"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111111111111:log-group:/relay/payments/recovery",
					}},
				}),
			})}),
		})
	})
}

func TestPropsValidate(t *testing.T) {
	p := &recovery.Props{RoleName: "a/b", RolePath: "relay"}
	relaytest.ValidateError(t, p.Validate(), "recovery.Props: ", []string{
		"PipelineName: required",
		`RoleName "a/b": must be 1-64 characters of letters, digits and +=,.@_-`,
		`RolePath "relay": is not a valid IAM path: / alone, or printable ASCII characters without spaces between a leading and a trailing / (such as /relay/orders/) only (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html)`,
		"DeployRolePatterns []: name the deploy roles the function assumes",
	})
	if err := props().Validate(); err != nil {
		t.Error(err)
	}
	// The default name, <PipelineName>-recovery, must fit Lambda's 64
	// characters too; a name given must be one Lambda takes.
	for _, tc := range []struct{ pipeline, function, want string }{
		{strings.Repeat("p", 56), "", `FunctionName "` + strings.Repeat("p", 56) + `-recovery": has 65 characters; a Lambda function name has at most 64`},
		{"payments", "payments recovery", `FunctionName "payments recovery": is not a valid Lambda function name: letters, digits, _ and - only`},
	} {
		p := props()
		p.PipelineName, p.FunctionName = tc.pipeline, tc.function
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("PipelineName %q, FunctionName %q: Validate() = %v, want %q", tc.pipeline, tc.function, err, tc.want)
		}
	}
}

// TestSourceAgainstMoto runs recover_test.py: the function's logic against
// a moto server on 127.0.0.1 (CloudFormation, CodePipeline, STS), for every
// stack state a deployment can leave: only ROLLBACK_COMPLETE, and only a
// stack created with the pipeline's execution role, is deleted.
func TestSourceAgainstMoto(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is needed to test the recovery function; install Python 3 with boto3 and moto[server] (pip install 'moto[server]==5.2.1')")
	}
	if out, err := exec.Command(py, "-c", "import boto3, moto.server").CombinedOutput(); err != nil {
		t.Fatalf("python3 lacks boto3 or moto: %s; install them: pip install 'moto[server]==5.2.1'", strings.TrimSpace(string(out)))
	}
	cmd := exec.Command(py, "-m", "unittest", "-v", "recover_test")
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("recover_test.py: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Ran 3 tests") {
		t.Errorf("recover_test.py ran other tests than expected:\n%s", out)
	}
}
