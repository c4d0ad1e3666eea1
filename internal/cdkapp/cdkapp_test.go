package cdkapp_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/internal/cdkapp"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

// broken adds two resources the built-in validation refuses: a bucket
// name against the schema's pattern (F3031) and a role without its
// required AssumeRolePolicyDocument (F3003).
func broken(app awscdk.App) {
	stack := awscdk.NewStack(app, jsii.String("Broken"), nil)
	awss3.NewCfnBucket(stack, jsii.String("Bucket"), &awss3.CfnBucketProps{BucketName: jsii.String("Not_A_Bucket_Name")})
	awscdk.NewCfnResource(stack, jsii.String("Role"), &awscdk.CfnResourceProps{
		Type: jsii.String("AWS::IAM::Role"), Properties: &map[string]interface{}{"RoleName": "r"},
	})
}

func TestStrictFailsOnEveryFinding(t *testing.T) {
	dir := t.TempDir()
	msg, ok := relaytest.Recover(func() {
		app := cdkapp.New(cdkapp.Options{Outdir: dir, Strict: true})
		broken(app)
		app.Synth(nil)
	})
	if ok {
		t.Fatal("a strict synth of invalid templates succeeded")
	}
	if !strings.Contains(msg, "Validation failed") {
		t.Errorf("panic %q; want aws-cdk-lib's validation failure", msg)
	}
	found := strings.Join(cdkapp.Findings(dir), "\n")
	for _, want := range []string{
		"Broken/Bucket: BucketName: 'Not_A_Bucket_Name' does not match pattern",
		"(CloudFormation Validate F3031)",
		"Broken/Role: Properties: 'AssumeRolePolicyDocument' is a required property (CloudFormation Validate F3003; fix: Add the required property 'AssumeRolePolicyDocument')",
	} {
		if !strings.Contains(found, want) {
			t.Errorf("Findings lack %q; got:\n%s", want, found)
		}
	}
}

func TestDefaultSkipsTheBuiltinValidation(t *testing.T) {
	dir := t.TempDir()
	relaytest.Do(t, "synth", func() {
		app := cdkapp.New(cdkapp.Options{Outdir: dir})
		broken(app)
		app.Synth(nil)
	})
	if found := cdkapp.Findings(dir); len(found) > 0 {
		t.Errorf("the built-in validation ran without Strict: %v", found)
	}
}

func TestFindingsWithoutReport(t *testing.T) {
	if found := cdkapp.Findings(t.TempDir()); found != nil {
		t.Errorf("Findings of a folder without a report = %v", found)
	}
}
