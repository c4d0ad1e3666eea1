package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// assemblyCopy copies the wiring package's two-account assembly into a new
// folder.
func assemblyCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "constructs", "wiring", "testdata", "two-accounts"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRun(t *testing.T) {
	asm := assemblyCopy(t)
	out := filepath.Join(t.TempDir(), "reports", "compliance")
	if err := run([]string{"-o", out, asm}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"compliance-report.md", "compliance-report.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s was not written into the new -o folder: %v", f, err)
		}
	}
}

// TestRunErrors: each misuse is refused with the flag or argument, the
// value and the fix, and no report is written.
func TestRunErrors(t *testing.T) {
	asm := assemblyCopy(t)
	taken := assemblyCopy(t)
	if err := os.Mkdir(filepath.Join(taken, "compliance-report.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	noStacks := t.TempDir()
	os.WriteFile(filepath.Join(noStacks, "manifest.json"), []byte(`{"artifacts": {"Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}}}}`), 0o644)
	tools := t.TempDir()
	notExec := filepath.Join(tools, "cfn-guard")
	os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644)
	aFile := filepath.Join(tools, "file")
	os.WriteFile(aFile, nil, 0o644)
	rules := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no stacks", []string{noStacks}, noStacks + " holds no CloudFormation stacks: nothing to report on; synthesize the app first (make compliance-report)"},
		{"report name taken", []string{taken}, "cannot write " + filepath.Join(taken, "compliance-report.json") + ": it is a folder, not a file: remove it"},
		{"-o a file", []string{"-o", aFile, asm}, "-o " + aFile + " is a file, not a folder: pass another -o"},
		{"-o empty", []string{"-o", "", asm}, "-o is empty: name the folder for compliance-report.md and compliance-report.json"},
		{"-guard missing", []string{"-guard", filepath.Join(tools, "nope"), "-rules", rules, asm}, "-guard " + filepath.Join(tools, "nope") + ": no such file: pass the cfn-guard binary (make compliance-report passes the one make tools installs)"},
		{"-guard a folder", []string{"-guard", tools, "-rules", rules, asm}, "-guard " + tools + ": a folder, not the cfn-guard binary"},
		{"-guard not executable", []string{"-guard", notExec, "-rules", rules, asm}, "-guard " + notExec + ": not executable: chmod +x it"},
		{"-rules missing", []string{"-guard", "/bin/true", "-rules", filepath.Join(rules, "nope"), asm}, "-rules " + filepath.Join(rules, "nope") + ": no such folder: pass rules/control-tower/cfn-guard of @cdklabs/cdk-validator-cfnguard (make tools installs it)"},
		{"-rules a file", []string{"-guard", "/bin/true", "-rules", aFile, asm}, "-rules " + aFile + ": a file, not the folder of Control Tower rules"},
		{"-guard alone", []string{"-guard", "/bin/true", asm}, "-guard and -rules go together"},
		{"two folders", []string{asm, asm}, "usage: relay-compliance"},
		{"flag after the folder", []string{asm, "-o", "x"}, "usage: relay-compliance"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := run(tc.args)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
			for _, dir := range []string{asm, taken, noStacks} {
				if _, err := os.Stat(filepath.Join(dir, "compliance-report.md")); err == nil {
					t.Errorf("wrote compliance-report.md into %s", dir)
				}
			}
		})
	}
}
