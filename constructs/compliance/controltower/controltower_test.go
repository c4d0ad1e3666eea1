package controltower_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/compliance/controltower"
)

// tools are cfn-guard and the Control Tower rules that make tools installs
// (the Makefile exports their paths).
func tools(t *testing.T) (guard, rules string) {
	t.Helper()
	pkg := filepath.Join("..", "..", "..", ".tools", "node_modules", "@cdklabs", "cdk-validator-cfnguard")
	guard, rules = os.Getenv("RELAY_CFN_GUARD"), os.Getenv("RELAY_CT_RULES")
	if guard == "" {
		guard = filepath.Join(pkg, "bin", "ubuntu", "x86_64", "cfn-guard")
	}
	if rules == "" {
		rules = filepath.Join(pkg, "rules", "control-tower", "cfn-guard")
	}
	if _, err := os.Stat(guard); err != nil {
		t.Fatalf("cfn-guard is missing (%v); run make tools", err)
	}
	return guard, rules
}

func template(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestValidate runs the real rules over two small templates, one per
// cfn-guard process on a machine with two CPUs: only the S3 rules apply
// (the templates hold buckets and nothing with rules of its own), the bare
// bucket fails versioning and logging, the versioned one does not fail
// versioning, and each violation names its template and resource.
func TestValidate(t *testing.T) {
	guard, rulesDir := tools(t)
	dir := t.TempDir()
	bare := template(t, dir, "bare.template.json", `{"Resources": {"BareBucketAB12CD34": {"Type": "AWS::S3::Bucket"}}}`)
	versioned := template(t, dir, "versioned.template.json", `{"Resources": {"Versioned": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Status": "Enabled"}}}}}`)
	rules, err := controltower.Rules(rulesDir, []string{bare, versioned})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if filepath.Base(filepath.Dir(r)) != "s3" {
			t.Errorf("Rules kept %s for templates with S3 buckets only", r)
		}
	}
	if len(rules) == 0 {
		t.Fatal("Rules kept no S3 rule")
	}
	violations, err := controltower.Validate(guard, rules, []string{bare, versioned})
	if err != nil {
		t.Fatal(err)
	}
	has := func(template, id, control string) bool {
		return slices.ContainsFunc(violations, func(v controltower.Violation) bool {
			return v.Template == template && v.LogicalID == id && v.Control == control && v.Rule != ""
		})
	}
	for _, c := range []struct {
		template, id, control string
		want                  bool
	}{
		{"bare.template.json", "BareBucketAB12CD34", "CT.S3.PR.11", true},
		{"bare.template.json", "BareBucketAB12CD34", "CT.S3.PR.2", true},
		{"versioned.template.json", "Versioned", "CT.S3.PR.2", true},
		{"versioned.template.json", "Versioned", "CT.S3.PR.11", false},
	} {
		if got := has(c.template, c.id, c.control); got != c.want {
			t.Errorf("%s %s violates %s: %v, want %v; all violations: %v", c.template, c.id, c.control, got, c.want, violations)
		}
	}

	if _, err := controltower.Validate(guard, rules, []string{filepath.Join(dir, "missing.template.json")}); err == nil {
		t.Error("Validate of a missing template: no error")
	}
	if _, err := controltower.Rules(dir, []string{bare}); err == nil || !strings.Contains(err.Error(), "no Control Tower rules") {
		t.Errorf("Rules of a folder without rules: %v; want an error naming it", err)
	}
}

// TestExcepted: an exception covers its control on its resource in every
// stack (the logical ID's hash differs), and nothing else.
func TestExcepted(t *testing.T) {
	for _, c := range []struct {
		logicalID, control string
		want               bool
	}{
		{"ArtifactsAccessLogs4D97777C", "CT.S3.PR.10", true},
		{"ArtifactsAccessLogs0123ABCD", "CT.S3.PR.10", true},
		{"ArtifactsBucket88671897", "CT.S3.PR.10", false},
		{"ArtifactsAccessLogs4D97777C", "CT.S3.PR.1", false},
		{"MyArtifactsAccessLogs4D97777C", "CT.S3.PR.10", false},
	} {
		_, got := controltower.Excepted(controltower.Violation{LogicalID: c.logicalID, Control: c.control})
		if got != c.want {
			t.Errorf("Excepted(%s, %s) = %v, want %v", c.logicalID, c.control, got, c.want)
		}
	}
	for _, e := range controltower.Exceptions {
		if len(e.Reason) < 40 || !strings.HasPrefix(e.Control, "CT.") {
			t.Errorf("exception %s on %s: control or reason malformed: %q", e.Control, e.Resource, e.Reason)
		}
	}
}

// TestValidateGuardFaults runs Validate with a cfn-guard that fails in the
// ways a wrong or broken binary does: each is one error that names the
// binary once, what it did and the fix, without a Go type.
func TestValidateGuardFaults(t *testing.T) {
	dir := t.TempDir()
	script := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return path
	}
	templates := []string{"a.template.json", "b.template.json", "c.template.json"}
	tests := []struct{ name, guard, want string }{
		{"missing", filepath.Join(dir, "nope"), "cfn-guard " + filepath.Join(dir, "nope") + " cannot run: no such file or directory: pass the cfn-guard binary with -guard (make tools installs it)"},
		{"odd exit", script("exit3", "echo broken >&2; exit 3"), "exited with status 3 (cfn-guard 3 exits 0 when every rule passes and 19 when one fails): broken"},
		{"killed", script("killed", "kill -9 $$"), "was stopped: signal: killed"},
		{"not JSON", script("garbage", "echo garbage; exit 19"), "printed something other than cfn-guard 3's JSON results (not JSON (invalid character 'g' looking for beginning of value at byte 1)): is it cfn-guard 3? make tools installs it"},
		{"wrong JSON", script("object", "echo '{}'"), "printed something other than cfn-guard 3's JSON results (the document is a JSON object, must be an array): is it cfn-guard 3?"},
		{"nothing", script("silent", "exit 0"), "printed nothing: is it cfn-guard 3? make tools installs it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := controltower.Validate(tc.guard, []string{"r.guard"}, templates)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if n := strings.Count(err.Error(), tc.guard); n != 1 {
				t.Errorf("the error names %s %d times, want once:\n%v", tc.guard, n, err)
			}
		})
	}
}
