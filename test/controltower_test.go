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

// ctBaselineFile lists the Control Tower violations still being fixed
// (issue 13): it only shrinks, and goes away when it is empty.
var ctBaselineFile = filepath.Join("testdata", "controltower-baseline.txt")

// TestControlTower runs AWS Control Tower's proactive controls (cfn-guard)
// over every template of every golden configuration: every violation must
// be fixed or listed in controltower.Exceptions with its reason.
func TestControlTower(t *testing.T) {
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
	violations, err := controltower.Validate(guard, rules, files)
	if err != nil {
		t.Fatal(err)
	}
	baseline := map[string]bool{}
	if raw, err := os.ReadFile(ctBaselineFile); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if line != "" && !strings.HasPrefix(line, "#") {
				baseline[line] = true
			}
		}
	}
	seen := map[string]bool{}
	var fresh []string
	for _, v := range violations {
		key := v.Template + "\t" + v.LogicalID + "\t" + v.Control
		if baseline[key] {
			seen[key] = true
			continue
		}
		fresh = append(fresh, "  "+v.String())
	}
	if len(fresh) > 0 {
		t.Errorf("%d Control Tower violations; fix each, or add it to controltower.Exceptions with its reason:\n%s", len(fresh), strings.Join(fresh, "\n"))
	}
	var gone []string
	for k := range baseline {
		if !seen[k] {
			gone = append(gone, k)
		}
	}
	sort.Strings(gone)
	if len(gone) > 0 {
		t.Errorf("%s lists violations that are gone; delete these lines:\n%s", ctBaselineFile, strings.Join(gone, "\n"))
	}
	t.Logf("%d rules over %d templates; %d violations", len(rules), len(files), len(violations))
}
