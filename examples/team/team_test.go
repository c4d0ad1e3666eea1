package team_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/examples/team"
)

// TestMain also defines -update (relaytest.Main).
func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

// built is the team's App with cdk-nag's AwsSolutions pack applied, built
// once for every test (jsii makes each build cost seconds).
var built struct {
	once   sync.Once
	app    awscdk.App
	stacks *team.Stacks
	fail   string
}

func build(t *testing.T) *team.Stacks {
	t.Helper()
	built.once.Do(func() {
		// Without aws-cdk-lib's built-in CloudFormation validation (on by
		// default), as the relay app and relaytest.NewApp synthesize: it
		// costs seconds per App, and TestCfnLint checks the templates.
		app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false), BuiltinCloudFormationValidation: jsii.Bool(false)})
		msg, ok := relaytest.Recover(func() {
			s, err := team.New(app)
			if err != nil {
				built.fail = "team.New: " + err.Error()
				return
			}
			compliance.Check(app)
			built.app, built.stacks = app, s
		})
		if !ok {
			built.fail = "team.New panicked: " + msg
		}
	})
	if built.fail != "" {
		t.Fatal(built.fail)
	}
	return built.stacks
}

func stacks(s *team.Stacks) []awscdk.Stack {
	out := []awscdk.Stack{s.Tooling}
	for _, e := range team.Environments {
		out = append(out, s.Targets[e.Name])
	}
	return out
}

// TestSnapshots keeps every stack's template as a golden file in testdata;
// go test ./examples/team -update rewrites them.
func TestSnapshots(t *testing.T) {
	s := build(t)
	for _, stack := range stacks(s) {
		relaytest.Snapshot(t, stack, filepath.Join("testdata", *stack.StackName()+".template.json"))
	}
}

// TestWiring asserts the intent: each deploy role trusts the pipeline role,
// the pipeline assumes the roles by their ARNs, the store admits them, and
// the tooling stack deploys after the targets.
func TestWiring(t *testing.T) {
	s := build(t)
	for _, e := range team.Environments {
		tpl := relaytest.Template(t, s.Targets[e.Name])
		relaytest.Check(t, e.Name+" deploy role trusts the pipeline role", func() {
			tpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), &map[string]interface{}{
				"RoleName": team.Names.DeployRole(e.Name),
				"AssumeRolePolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": []interface{}{
					assertions.Match_ObjectLike(&map[string]interface{}{
						"Condition": map[string]interface{}{"ArnEquals": map[string]interface{}{"aws:PrincipalArn": team.Names.PipelineRoleArn()}},
					}),
				}}),
			})
		})
	}
	tooling := relaytest.Template(t, s.Tooling)
	for _, e := range team.Environments {
		relaytest.Check(t, "the pipeline deploys to "+e.Name+" as its deploy role", func() {
			tooling.HasResourceProperties(jsii.String("AWS::CodePipeline::Pipeline"), &map[string]interface{}{
				"Stages": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
					"Actions": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
						"RoleArn": team.Names.DeployRoleArn(e.Account, e.Name),
					})}),
				})}),
			})
		})
	}
	var deps []string
	for _, d := range *s.Tooling.Dependencies() {
		deps = append(deps, *d.StackName())
	}
	sort.Strings(deps)
	if fmt.Sprint(deps) != "[orders-production orders-staging]" {
		t.Errorf("orders-tooling depends on %v, want the two target stacks", deps)
	}
}

// TestAssembly runs, on the whole app, the check the relay app runs before
// it writes a template: every quota and name of every stack, and no
// physical name that two of the team's stacks take in one AWS scope (two
// deploy roles of one name in an account, one bucket name twice, ...).
func TestAssembly(t *testing.T) {
	build(t)
	relaytest.CheckAssembly(t, built.app)
}

// TestNag: cdk-nag's AwsSolutions pack finds nothing unsuppressed.
func TestNag(t *testing.T) {
	s := build(t)
	for _, stack := range stacks(s) {
		if errs := relaytest.Errors(t, stack); len(errs) > 0 {
			t.Errorf("%s: cdk-nag findings:\n%s", *stack.StackName(), relaytest.FindingsText(errs))
		}
	}
}

// TestCfnLint runs cfn-lint over the team's templates (W3005: aws-cdk-lib's
// redundant DependsOn, as in Relay's own lint test).
func TestCfnLint(t *testing.T) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Fatal("cfn-lint is not installed; install it with: pip install 'cfn-lint==1.51.0'")
	}
	s := build(t)
	dir := t.TempDir()
	args := []string{"--format", "parseable", "--ignore-checks", "W3005", "--"}
	for _, stack := range stacks(s) {
		f := filepath.Join(dir, *stack.StackName()+".template.json")
		if err := os.WriteFile(f, relaytest.Marshal(relaytest.JSON(t, stack)), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, f)
	}
	var out bytes.Buffer
	cmd := exec.Command(lint, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("cfn-lint did not run: %v", err)
	}
	if err != nil || out.Len() > 0 {
		t.Errorf("cfn-lint found problems (exit %v):\n%s", err, out.String())
	}
}

// ExampleNew builds the team's stacks and prints what the pipeline
// assumes, read back from the synthesized template.
func ExampleNew() {
	// Without aws-cdk-lib's built-in validation, as build creates the App.
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false), BuiltinCloudFormationValidation: jsii.Bool(false)})
	s, err := team.New(app)
	if err != nil {
		fmt.Println(err)
		return
	}
	tpl := assertions.Template_FromStack(s.Tooling, nil)
	for _, r := range *tpl.FindResources(jsii.String("AWS::CodePipeline::Pipeline"), nil) {
		for _, st := range (*r)["Properties"].(map[string]interface{})["Stages"].([]interface{}) {
			for _, a := range st.(map[string]interface{})["Actions"].([]interface{}) {
				if role, ok := a.(map[string]interface{})["RoleArn"].(string); ok {
					fmt.Println(a.(map[string]interface{})["Name"], role)
				}
			}
		}
	}
	// Output:
	// Prepare-us-east-1 arn:aws:iam::222222222222:role/relay/orders/orders-staging-deploy
	// Deploy-us-east-1 arn:aws:iam::222222222222:role/relay/orders/orders-staging-deploy
	// Prepare-us-east-1 arn:aws:iam::333333333333:role/relay/orders/orders-production-deploy
	// Deploy-us-east-1 arn:aws:iam::333333333333:role/relay/orders/orders-production-deploy
}

// ExampleNew_checkDir is what a team's main runs after app.Synth, so that
// cdk synth refuses what CloudFormation would refuse only at deploy: here
// the team's own stack names a role like the deploy role Relay's target
// creates in the same account, and limits.CheckDir reports both places.
func ExampleNew_checkDir() {
	// Without aws-cdk-lib's built-in validation, as build creates the App.
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false), BuiltinCloudFormationValidation: jsii.Bool(false)})
	if _, err := team.New(app); err != nil {
		fmt.Println(err)
		return
	}
	workload := awscdk.NewStack(app, jsii.String("orders-workload"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-east-1")},
	})
	awsiam.NewRole(workload, jsii.String("Deployer"), &awsiam.RoleProps{
		RoleName:  jsii.String(team.Names.DeployRole("staging")), // taken by the target in orders-staging
		AssumedBy: awsiam.NewAccountRootPrincipal(),
	})

	// In main: synthesize, check the whole cloud assembly, exit non-zero on
	// any error finding (os.Exit(1) there; printed here).
	asm := app.Synth(nil)
	findings, err := limits.CheckDir(*asm.Directory())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range findings {
		if f.Over() {
			fmt.Println("error:", f)
		}
	}
	// Output:
	// error: orders-workload/Deployer92EF8763: RoleName "orders-staging-deploy" is also the RoleName of orders-staging/DeliveryDeployRole1DADA256 (account 222222222222): IAM role names are unique in an account, whatever their path, and not distinguished by case (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html): give one of them another name
}
