package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/relaytest"
)

// ignoredLintRules are cfn-lint rules whose findings are expected, and why.
var ignoredLintRules = map[string]string{
	"W3005": "aws-cdk-lib adds DependsOn for resources it also references with GetAtt/Ref (e.g. the pipeline on its role); the duplicate edge is harmless and comes from the L2 constructs",
}

// TestCfnLint runs cfn-lint over every template of every golden
// configuration (lintCheck): no errors, and no warnings other than those
// listed in ignoredLintRules.
func TestCfnLint(t *testing.T) {
	t.Parallel() // waits for lintCheck, which runs beside the serial tests
	assemblies(t)
	v, err := lintCheck.result()
	if err != nil {
		t.Fatal(err)
	}
	r := v.(lintResult)
	if r.exit != nil || r.out != "" {
		t.Errorf("cfn-lint found problems (exit %v):\n%s", r.exit, r.out)
	}
}

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
