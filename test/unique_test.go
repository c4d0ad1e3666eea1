package test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/naming"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/constructs/target"
)

// TestNamesUniqueAcrossTheApp builds team apps from Relay's constructs
// whose stacks each synthesize and lint, but whose physical names collide
// in AWS: the second stack would fail at deploy. The whole-app check
// (limits.CheckDir, through relaytest.AssemblyFindings) names both places;
// the same names in other accounts, or other regions where AWS allows it,
// pass.
func TestNamesUniqueAcrossTheApp(t *testing.T) {
	n := naming.Names{Name: "orders", ToolingAccount: "111111111111", ToolingRegion: "us-east-1"}
	env := func(account, region string) *awscdk.StackProps {
		return &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)}}
	}
	// targets adds one target stack per account, each with DeployRoleName
	// deploy and its own execution role.
	targets := func(deploy string, accounts ...string) func(app awscdk.App) {
		return func(app awscdk.App) {
			for i, account := range accounts {
				name := fmt.Sprintf("env%d", i+1)
				stack := awscdk.NewStack(app, jsii.String(n.TargetStack(name)), env(account, "us-east-1"))
				target.New(stack, "Delivery", &target.Props{
					Regions: []string{"us-east-1"}, RolePath: n.RolePath(),
					DeployRoleName: deploy, ExecutionRoleName: n.ExecutionRole(name),
					PipelineAccount: n.ToolingAccount, PipelineRoleArns: []string{n.PipelineRoleArn()},
					StackNames:         []string{"orders-service"},
					ArtifactBucketArns: []string{"arn:aws:s3:::" + n.ArtifactBucket(n.ToolingRegion)},
					ArtifactKeyArns:    []string{"arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"},
					ExecutionStatements: []target.Statement{{Sid: "Topics", Actions: []string{"sns:CreateTopic", "sns:DeleteTopic"},
						Resources: []string{"arn:aws:sns:us-east-1:" + account + ":orders-*"}, Reason: "The service's template creates its topics."}},
				})
			}
		}
	}
	// stores adds one store stack per region of the tooling account, each
	// with bucket name bucket and key alias alias.
	stores := func(bucket, alias string, regions ...string) func(app awscdk.App) {
		return func(app awscdk.App) {
			for _, region := range regions {
				stack := awscdk.NewStack(app, jsii.String(n.ToolingStack()+"-"+region), env(n.ToolingAccount, region))
				artifacts.NewStore(stack, "Artifacts", &artifacts.StoreProps{
					BucketName: bucket, AccessLogBucketName: n.AccessLogBucket(region), KeyAlias: alias,
				})
			}
		}
	}
	tests := []struct {
		name  string
		build func(app awscdk.App)
		want  [][2]string // "<rule> <stack> after <other stack>" and a part of the message
	}{
		{"two targets of one account, one DeployRoleName", targets("orders-deploy", "222222222222", "222222222222"),
			[][2]string{{limits.UniqueRoleName + ` orders-env2 after orders-env1`, `RoleName "orders-deploy" is also the RoleName of orders-env1/DeliveryDeployRole`}}},
		{"two targets of two accounts, one DeployRoleName", targets("orders-deploy", "222222222222", "333333333333"), nil},
		{"two stores of one bucket name", stores("orders-artifacts", "", "us-east-1", "eu-west-1"),
			[][2]string{{limits.UniqueBucketName + ` orders-tooling-us-east-1 after orders-tooling-eu-west-1`, `BucketName "orders-artifacts" is also the BucketName of orders-tooling-eu-west-1/ArtifactsBucket`}}},
		{"two stores, one key alias in two regions", stores("", n.ArtifactKeyAlias(), "us-east-1", "eu-west-1"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := relaytest.NewApp()
			relaytest.Do(t, "build the app", func() { tc.build(app) })
			var got []string
			for _, f := range relaytest.AssemblyFindings(t, app) {
				if !f.Over() {
					continue
				}
				other, _, _ := strings.Cut(f.Other, "/")
				got = append(got, fmt.Sprintf("%s %s after %s: %v", f.Limit.ID, f.Stack, other, f))
				if f.Field != "" {
					t.Errorf("%v: a team's app has no config field", f)
				}
			}
			sort.Strings(got)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w[0]+": ") || !strings.Contains(got[i], w[1]) || !strings.HasSuffix(got[i], ": give one of them another name") {
					t.Errorf("got\n%s\nwant it to contain\n%s", got[i], w)
				}
			}
		})
	}
}

// TestAppRefusesNamesTakenTwice: a configuration whose composed names pass
// every rule alone, but where the test suite helm's project
// <name>-test-<suite> and the Helm project of the environment test,
// <name>-<environment>-helm, are both shop-test-helm in the tooling account
// and region. CodeBuild would refuse the second at deploy; the app refuses
// it at synth, names both resources and the fields that compose the name,
// and writes nothing.
func TestAppRefusesNamesTakenTwice(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("testdata", "configs", "eks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(raw), "{name: staging, account", "{name: test, account", 1) +
		"tests:\n  - {name: helm, commands: [make test]}\n"
	path, outdir := writeConfig(t, cfg)
	stderr, err := runApp(t, appBinary(t), path, outdir)
	if err == nil {
		t.Fatalf("app exited 0 although two CodeBuild projects are named shop-test-helm; stderr:\n%s", stderr)
	}
	for _, want := range []string{
		`relay: error: tests[0].name, environments[0].name (shop-tooling/PipelineTesthelm`,
		`Name "shop-test-helm" is also the Name of shop-tooling/PipelineHelmtest`,
		`(account 111111111111, region us-east-1): CodeBuild project names are unique in an account and region (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html): <name>-test-<suite> (tests[0].name) and <name>-<environment>-helm (environments[0].name) compose the same name: rename tests[0].name or environments[0].name`,
		"relay: 1 physical name(s) taken twice in one AWS scope",
		"no templates were written",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q; got:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "quota(s) exceeded") {
		t.Errorf("stderr counts the collision as a quota:\n%s", stderr)
	}
	if entries, _ := os.ReadDir(outdir); len(entries) > 0 {
		t.Errorf("the app wrote %d files to %s although a name is taken twice", len(entries), outdir)
	}
}
