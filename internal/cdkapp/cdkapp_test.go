package cdkapp_test

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

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

// TestFlagsAreTheRecommendedOnes: flags.json is aws-cdk-lib's
// recommended-feature-flags.json of the version in go.mod, so that an
// upgrade of aws-cdk-lib fails here until the new flags are set (copy the
// file from the package, then run the golden tests).
func TestFlagsAreTheRecommendedOnes(t *testing.T) {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-cdk-go/awscdk/v2").Output()
	if err != nil {
		t.Fatalf("go list -m github.com/aws/aws-cdk-go/awscdk/v2: %v", err)
	}
	tgz, err := filepath.Glob(filepath.Join(strings.TrimSpace(string(dir)), "jsii", "aws-cdk-lib-*.tgz"))
	if err != nil || len(tgz) != 1 {
		t.Fatalf("aws-cdk-lib's package in %s: %v %v", dir, tgz, err)
	}
	want := recommended(t, tgz[0])
	got := map[string]interface{}{}
	raw, err := os.ReadFile("flags.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("flags.json is not %s's recommended-feature-flags.json (-want +got):\n%s", filepath.Base(tgz[0]), diff)
	}
	flags := cdkapp.Flags()
	for name, pin := range cdkapp.Pinned {
		if _, ok := want[name]; !ok {
			t.Errorf("pinned flag %s is not a recommended flag any more: drop the pin", name)
		}
		if flags[name] != pin.Value || pin.Reason == "" {
			t.Errorf("Flags()[%s] = %v; want the pinned %v, with a reason", name, flags[name], pin.Value)
		}
	}
}

// recommended reads package/recommended-feature-flags.json from the
// aws-cdk-lib package tgz.
func recommended(t *testing.T, tgz string) map[string]interface{} {
	f, err := os.Open(tgz)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s: no package/recommended-feature-flags.json: %v", tgz, err)
		}
		if h.Name == "package/recommended-feature-flags.json" {
			out := map[string]interface{}{}
			if err := json.NewDecoder(tr).Decode(&out); err != nil {
				t.Fatal(err)
			}
			return out
		}
	}
}

// TestNoUnconfiguredFlags reads the feature flag report aws-cdk-lib writes
// into the cloud assembly, which the CDK CLI reads to print "N feature
// flags are not configured", and applies the CLI's rule (a flag needs
// attention when it is unset and its unset behaviour is not the
// recommended one): none may need attention.
func TestNoUnconfiguredFlags(t *testing.T) {
	dir := t.TempDir()
	relaytest.Do(t, "synth", func() {
		app := cdkapp.New(cdkapp.Options{Outdir: dir})
		awscdk.NewStack(app, jsii.String("Empty"), nil)
		app.Synth(nil)
	})
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Artifacts map[string]struct {
			Type       string `json:"type"`
			Properties struct {
				Flags map[string]struct {
					RecommendedValue        interface{} `json:"recommendedValue"`
					UserValue               interface{} `json:"userValue"`
					UnconfiguredBehavesLike *struct {
						V2 interface{} `json:"v2"`
					} `json:"unconfiguredBehavesLike"`
				} `json:"flags"`
			} `json:"properties"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	reports, unset := 0, []string{}
	for _, a := range manifest.Artifacts {
		if a.Type != "cdk:feature-flag-report" {
			continue
		}
		reports++
		for name, f := range a.Properties.Flags {
			var unsetValue interface{} = false
			if f.UnconfiguredBehavesLike != nil && f.UnconfiguredBehavesLike.V2 != nil {
				unsetValue = f.UnconfiguredBehavesLike.V2
			}
			if f.UserValue == nil && !cmp.Equal(unsetValue, f.RecommendedValue) {
				unset = append(unset, name)
			}
		}
	}
	if reports == 0 {
		t.Fatal("no feature flag report in the cloud assembly")
	}
	if len(unset) > 0 {
		t.Errorf("%d feature flags are not configured (the CDK CLI would say so): %v", len(unset), unset)
	}
}

// TestSmallYoungGeneration: the semi-space is added to what NODE_OPTIONS
// holds, and a user's own setting is kept.
func TestSmallYoungGeneration(t *testing.T) {
	for _, tc := range []struct{ before, want string }{
		{"", "--max-semi-space-size=2"},
		{"--trace-warnings", "--trace-warnings --max-semi-space-size=2"},
		{"--max-semi-space-size=8", "--max-semi-space-size=8"},
	} {
		t.Setenv("NODE_OPTIONS", tc.before)
		cdkapp.SmallYoungGeneration()
		if got := os.Getenv("NODE_OPTIONS"); got != tc.want {
			t.Errorf("NODE_OPTIONS %q: got %q, want %q", tc.before, got, tc.want)
		}
	}
}
