package compliance_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/compliance/report"
	"github.com/relaycdk/relay/constructs/relaytest"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

// plainBucket synthesizes a stack with one bucket that has neither access
// logging nor TLS enforcement, under the AwsSolutions pack, with
// suppressions on the bucket, and returns the stack's error findings.
func plainBucket(t *testing.T, suppressions ...compliance.Suppression) (awscdk.Stack, []relaytest.Finding) {
	t.Helper()
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Plain"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
	relaytest.Do(t, "add bucket", func() {
		bucket := awss3.NewBucket(stack, jsii.String("Plain"), nil)
		if len(suppressions) > 0 {
			compliance.Suppress(bucket, suppressions...)
		}
		compliance.AwsSolutions(app)
	})
	return stack, relaytest.Errors(t, stack)
}

// rules returns the rule IDs of findings, in order, once each.
func rules(fs []relaytest.Finding) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range fs {
		id, _, _ := strings.Cut(f.Message, ":")
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func hasRule(fs []relaytest.Finding, rule string) bool {
	for _, f := range fs {
		if strings.HasPrefix(f.Message, rule+":") {
			return true
		}
	}
	return false
}

func TestAwsSolutionsReportsAndSuppresses(t *testing.T) {
	_, findings := plainBucket(t)
	if !hasRule(findings, "AwsSolutions-S1") {
		t.Fatalf("a bucket without access logs raised no AwsSolutions-S1 error; errors:\n%s", relaytest.FindingsText(findings))
	}
	for _, f := range findings {
		if f.Path != "/Plain/Plain/Resource" {
			t.Errorf("finding on %s, want every finding on /Plain/Plain/Resource: %s", f.Path, f.Message)
		}
	}
	fired := rules(findings)
	t.Logf("rules fired on a plain bucket: %q", fired)

	const reason = "Test bucket: this finding is suppressed to prove suppressions work."
	stack, suppressed := plainBucket(t, compliance.Suppression{Rule: "AwsSolutions-S1", Reason: reason})
	if hasRule(suppressed, "AwsSolutions-S1") {
		t.Errorf("AwsSolutions-S1 still reported after suppressing it:\n%s", relaytest.FindingsText(suppressed))
	}
	// The suppression is narrow: every other rule still fires.
	others := slices.DeleteFunc(slices.Clone(fired), func(r string) bool { return r == "AwsSolutions-S1" })
	if diff := cmp.Diff(others, rules(suppressed), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("suppressing AwsSolutions-S1 changed the other findings (-want +got):\n%s", diff)
	}

	// The reason is written next to the resource, for the report.
	tpl := relaytest.JSON(t, stack)
	var bucket map[string]interface{}
	for _, r := range tpl["Resources"].(map[string]interface{}) {
		if m := r.(map[string]interface{}); m["Type"] == "AWS::S3::Bucket" {
			bucket = m
		}
	}
	want := map[string]interface{}{"cdk_nag": map[string]interface{}{"rules_to_suppress": []interface{}{
		map[string]interface{}{"id": "AwsSolutions-S1", "reason": reason},
	}}}
	if diff := cmp.Diff(want, bucket["Metadata"], cmpopts.IgnoreMapEntries(func(k string, _ interface{}) bool { return k == "aws:cdk:path" })); diff != "" {
		t.Errorf("bucket metadata mismatch (-want +got):\n%s", diff)
	}

	// Suppressing every rule that fired leaves no error.
	all := make([]compliance.Suppression, len(fired))
	for i, r := range fired {
		all[i] = compliance.Suppression{Rule: r, Reason: reason}
	}
	if _, rest := plainBucket(t, all...); len(rest) > 0 {
		t.Errorf("errors left after suppressing %q:\n%s", fired, relaytest.FindingsText(rest))
	}
}

func TestParsePacks(t *testing.T) {
	tests := []struct {
		in      string
		want    []compliance.Pack
		wantErr string
	}{
		{"", []compliance.Pack{compliance.PackAwsSolutions}, ""},
		{"true", []compliance.Pack{compliance.PackAwsSolutions}, ""},
		{"all", compliance.AllPacks, ""},
		{"ALL", compliance.AllPacks, ""},
		{"false", nil, ""},
		{"none", nil, ""},
		{"hipaa.security, AwsSolutions,HIPAA.Security", []compliance.Pack{compliance.PackHIPAASecurity, compliance.PackAwsSolutions}, ""},
		{"PCI.DSS.321", []compliance.Pack{compliance.PackPCIDSS321}, ""},
		{"NIST", nil, `context "nag" "NIST": unknown pack "NIST"; use all, none, or a comma-separated list of AwsSolutions, NIST.800.53.R5, PCI.DSS.321, HIPAA.Security`},
	}
	for _, tc := range tests {
		got, err := compliance.ParsePacks(tc.in)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("ParsePacks(%q) error = %v, want %s", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePacks(%q): %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("ParsePacks(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

// TestPacksMatchCompliance: the report (plain Go, no jsii) lists the packs
// this package runs, in the same order. It lives here, not in the report's
// tests, so that those link no aws-cdk-lib.
func TestPacksMatchCompliance(t *testing.T) {
	var want []string
	for _, p := range compliance.AllPacks {
		want = append(want, string(p))
	}
	if !slices.Equal(want, report.Packs) {
		t.Errorf("report.Packs = %q, want compliance.AllPacks %q", report.Packs, want)
	}
}
