package test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/compliance/controltower"
)

// guardPaths are the cfn-guard binary and the Control Tower rules that
// make tools installs (the Makefile exports their paths).
func guardPaths() (guard, rules string, err error) {
	pkg := filepath.Join("..", ".tools", "node_modules", "@cdklabs", "cdk-validator-cfnguard")
	guard, rules = os.Getenv("RELAY_CFN_GUARD"), os.Getenv("RELAY_CT_RULES")
	if guard == "" {
		guard = filepath.Join(pkg, "bin", "ubuntu", "x86_64", "cfn-guard")
	}
	if rules == "" {
		rules = filepath.Join(pkg, "rules", "control-tower", "cfn-guard")
	}
	if _, err := os.Stat(guard); err != nil {
		return "", "", fmt.Errorf("cfn-guard is missing (%v); run make tools, which installs @cdklabs/cdk-validator-cfnguard from package.json", err)
	}
	return guard, rules, nil
}

// guardTools is guardPaths for a test: it fails the test on an error.
func guardTools(t *testing.T) (guard, rules string) {
	t.Helper()
	guard, rules, err := guardPaths()
	if err != nil {
		t.Fatal(err)
	}
	return guard, rules
}

// controlTower returns the Control Tower rules that apply to the golden
// templates and their violations, from guardCheck: one cfn-guard run per
// test binary over every template of every golden configuration.
func controlTower(t *testing.T) (rules []string, violations []controltower.Violation) {
	t.Helper()
	assemblies(t)
	v, err := guardCheck.result()
	if err != nil {
		t.Fatal(err)
	}
	r := v.(guardResult)
	return r.rules, r.violations
}

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

// TestControlTowerTrimKeepsFindings checks, with the pinned rules, what
// controltower.Validate relies on when it trims the templates: the rules
// read no key they do not name, so their findings over the trimmed
// templates (controlTower) are their findings over the whole ones. It runs
// cfn-guard over whole templates on a sample: the embedded example's
// templates, and the smallest golden templates that bring a rule the
// sample does not apply yet, so that every rule applies somewhere.
func TestControlTowerTrimKeepsFindings(t *testing.T) {
	_, trimmed := controlTower(t)
	guard, rulesDir := guardTools(t)
	var sample []string
	applied := map[string]bool{}
	add := func(files ...string) {
		t.Helper()
		rules, err := controltower.Rules(rulesDir, files)
		if err != nil {
			t.Fatal(err)
		}
		fresh := len(sample) == 0
		for _, r := range rules {
			fresh = fresh || !applied[r]
		}
		if !fresh {
			return
		}
		for _, r := range rules {
			applied[r] = true
		}
		sample = append(sample, files...)
	}
	a := assemblies(t)[example(t).Name]
	var files []string
	for _, s := range a.Stacks {
		files = append(files, filepath.Join(a.Dir, s.TemplateFile))
	}
	add(files...)
	others := goldenFiles()
	sizes := map[string]int64{}
	for _, f := range others {
		info, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		sizes[f] = info.Size()
	}
	sort.SliceStable(others, func(i, j int) bool { return sizes[others[i]] < sizes[others[j]] })
	for _, f := range others {
		add(f)
	}
	rules, err := controltower.Rules(rulesDir, sample)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := controltower.ValidateAsIs(guard, rules, sample)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range sample {
		names[filepath.Base(f)] = true
	}
	var want []controltower.Violation
	for _, v := range trimmed {
		if names[v.Template] {
			want = append(want, v)
		}
	}
	if diff := cmp.Diff(want, whole); diff != "" {
		t.Errorf("the Control Tower rules find other violations in whole templates than in trimmed ones (-trimmed +whole):\n%s", diff)
	}
	all, err := controltower.Rules(rulesDir, goldenFiles())
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != len(all) {
		t.Errorf("the sample applies %d of the %d rules", len(rules), len(all))
	}
	t.Logf("%d templates, %d rules, %d violations", len(sample), len(rules), len(whole))
}
