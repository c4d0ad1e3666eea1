package test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/compliance/controltower"
)

// guardTools are the cfn-guard binary and the Control Tower rules that
// make tools installs (the Makefile exports their paths).
func guardTools(t *testing.T) (guard, rules string) {
	t.Helper()
	pkg := filepath.Join("..", ".tools", "node_modules", "@cdklabs", "cdk-validator-cfnguard")
	guard, rules = os.Getenv("RELAY_CFN_GUARD"), os.Getenv("RELAY_CT_RULES")
	if guard == "" {
		guard = filepath.Join(pkg, "bin", "ubuntu", "x86_64", "cfn-guard")
	}
	if rules == "" {
		rules = filepath.Join(pkg, "rules", "control-tower", "cfn-guard")
	}
	if _, err := os.Stat(guard); err != nil {
		t.Fatalf("cfn-guard is missing (%v); run make tools, which installs @cdklabs/cdk-validator-cfnguard from package.json", err)
	}
	return guard, rules
}

// controlTower runs the Control Tower rules once per test binary over
// every template of every golden configuration, and returns the rule files
// and the violations.
func controlTower(t *testing.T) (rules []string, violations []controltower.Violation) {
	t.Helper()
	if ctRules != nil {
		return ctRules, ctViolations
	}
	guard, rulesDir := guardTools(t)
	var files []string
	for _, a := range assemblies(t) {
		for _, s := range a.Stacks {
			files = append(files, filepath.Join(a.Dir, s.TemplateFile))
		}
	}
	sort.Strings(files)
	rules, err := controltower.Rules(rulesDir, files)
	if err != nil {
		t.Fatal(err)
	}
	violations, err = controltower.Validate(guard, rules, files)
	if err != nil {
		t.Fatal(err)
	}
	ctRules, ctViolations = rules, violations
	return rules, violations
}

var (
	ctRules      []string
	ctViolations []controltower.Violation
)

// TestControlTower runs AWS Control Tower's proactive controls (cfn-guard)
// over every template of every golden configuration: every violation must
// be fixed or listed in controltower.Exceptions with its reason, and every
// exception must still be needed.
func TestControlTower(t *testing.T) {
	rules, violations := controlTower(t)
	used := map[controltower.Exception]bool{}
	var fresh []string
	for _, v := range violations {
		if e, ok := controltower.Excepted(v); ok {
			used[e] = true
			continue
		}
		fresh = append(fresh, "  "+v.String())
	}
	if len(fresh) > 0 {
		t.Errorf("%d Control Tower violations; fix each, or add it to controltower.Exceptions with its reason:\n%s", len(fresh), strings.Join(fresh, "\n"))
	}
	for _, e := range controltower.Exceptions {
		if !used[e] {
			t.Errorf("controltower.Exceptions: %s on %s is no longer needed by any golden template; remove it", e.Control, e.Resource)
		}
	}
	t.Logf("%d rules; %d violations, all excepted with reasons", len(rules), len(violations))
}
