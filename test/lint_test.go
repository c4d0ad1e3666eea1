package test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/relaytest"
)

// ignoredLintRules are cfn-lint rules whose findings are expected, and why.
var ignoredLintRules = map[string]string{
	"W3005": "aws-cdk-lib adds DependsOn for resources it also references with GetAtt/Ref (e.g. the pipeline on its role); the duplicate edge is harmless and comes from the L2 constructs",
}

// TestCfnLint runs cfn-lint over every template of the example: no errors,
// and no warnings other than those listed in ignoredLintRules.
func TestCfnLint(t *testing.T) {
	t.Parallel() // cfn-lint is a process of its own; the assemblies are shared under a lock
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Fatal("cfn-lint is not installed; install it with: pip install 'cfn-lint==1.51.0' (or pipx install cfn-lint)")
	}
	dir := t.TempDir()
	var files []string
	for name, tpl := range templates(t) {
		f := filepath.Join(dir, name+".template.json")
		if err := os.WriteFile(f, relaytest.Marshal(tpl), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	ignore := make([]string, 0, len(ignoredLintRules))
	for rule := range ignoredLintRules {
		ignore = append(ignore, rule)
	}
	args := append([]string{"--format", "parseable", "--ignore-checks", strings.Join(ignore, ","), "--"}, files...)
	cmd := exec.Command(lint, args...)
	var out bytes.Buffer
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

// TestStrictSynth: aws-cdk-lib's built-in CloudFormation validation, as
// `-c strict=true` runs it (every finding an error), ran over every golden
// configuration (in the synthesis of assemblies, which fails on a finding)
// and found nothing. The relay app skips that validation by default; this
// test and TestCfnLint show that on these configurations the default drops
// nothing the validation would catch.
func TestStrictSynth(t *testing.T) {
	all := assemblies(t)
	if len(all) != len(goldenConfigs(t)) {
		t.Fatalf("%d golden assemblies for %d golden configurations", len(all), len(goldenConfigs(t)))
	}
	for name, a := range all {
		if _, err := os.Stat(filepath.Join(a.Dir, "validation-report.json")); err != nil {
			t.Errorf("%s: no validation report in %s: the built-in validation did not run (%v)", name, a.Dir, err)
		}
		if found := relaytest.ValidationFindings(a.Dir); len(found) > 0 {
			t.Errorf("%s: the built-in validation found:\n%s", name, strings.Join(found, "\n"))
		}
	}
}
