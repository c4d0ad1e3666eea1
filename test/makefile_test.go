package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMakeTargetsQuotePaths runs make synth, diagram, compliance-report and
// bootstrap-policy with CONFIG= and OUT= paths that hold spaces and a
// quote, relative and absolute, and with OUT= naming a file. cdk is a stand-in
// (TOOLS= points at a folder whose cdk records its arguments and writes a
// small assembly), so no synth runs; relay-diagram, relay-compliance (with
// the real cfn-guard) and relay-bootstrap run for real. make's abspath split
// such paths at spaces: CONFIG="my dir/relay.yaml" became two arguments.
func TestMakeTargetsQuotePaths(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	root, _ := filepath.Abs("..")
	realTools := filepath.Join(root, ".tools")
	if _, err := os.Stat(filepath.Join(realTools, "node_modules", "@cdklabs")); err != nil {
		t.Skip("run make tools first: cfn-guard is in .tools")
	}
	base := t.TempDir()
	tools := filepath.Join(base, "tools")
	bin := filepath.Join(tools, "node_modules", ".bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(realTools, "node_modules", "@cdklabs"), filepath.Join(tools, "node_modules", "@cdklabs")); err != nil {
		t.Fatal(err)
	}
	asm, _ := filepath.Abs(filepath.Join("..", "constructs", "wiring", "testdata", "two-accounts"))
	cdk := `#!/bin/sh
# Stand-in for the CDK CLI: records its arguments, one per line, and writes
# a small cloud assembly into the -o folder.
printf '%s\n' "$@" > "$FAKE_CDK_ARGS"
while [ $# -gt 0 ]; do
  if [ "$1" = -o ]; then mkdir -p "$2" && cp "` + asm + `"/* "$2"/; fi
  shift
done
`
	if err := os.WriteFile(filepath.Join(bin, "cdk"), []byte(cdk), 0o755); err != nil {
		t.Fatal(err)
	}
	// .installed newer than package.json: make does not install tools.
	installed := filepath.Join(tools, ".installed")
	os.WriteFile(installed, nil, 0o644)
	spaced := filepath.Join(base, "my dir's")
	os.MkdirAll(spaced, 0o755)
	config := filepath.Join(spaced, "relay config.yaml")
	example, err := os.ReadFile(filepath.Join("..", "constructs", "config", "example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(config, example, 0o644)
	relConfig, _ := filepath.Rel(root, config)
	aFile := filepath.Join(base, "a file")
	os.WriteFile(aFile, nil, 0o644)
	argsFile := filepath.Join(base, "cdk-args")

	tests := []struct {
		name, target, config, out string
		// wantArgs are arguments cdk must get, each whole; wantFiles the
		// files the target writes into out; wantErr a text of the failure.
		wantArgs  []string
		wantFiles []string
		wantErr   string
	}{
		{"synth, relative CONFIG with spaces", "synth", relConfig, filepath.Join(spaced, "out"),
			[]string{"config=" + config, filepath.Join(spaced, "out")}, []string{"manifest.json"}, ""},
		{"diagram, absolute paths with spaces", "diagram", config, filepath.Join(spaced, "diagram out"),
			[]string{"config=" + config, filepath.Join(spaced, "diagram out")}, []string{"wiring.mmd", "wiring.dot"}, ""},
		{"compliance-report", "compliance-report", config, filepath.Join(spaced, "compliance out"),
			[]string{"config=" + config, "nag=all"}, []string{"compliance-report.md", "compliance-report.json"}, ""},
		{"bootstrap-policy", "bootstrap-policy", relConfig, filepath.Join(spaced, "bootstrap out"),
			nil, []string{"bootstrap.sh", "111111111111.json"}, ""},
		{"synth, OUT a file", "synth", "", aFile, nil, nil, "make: OUT='" + aFile + "' is a file, not a folder: pass OUT=folder (created when missing), or remove the file"},
		{"compliance-report, OUT a file", "compliance-report", "", aFile, nil, nil, "is a file, not a folder"},
		{"bootstrap-policy, OUT a file", "bootstrap-policy", "", aFile, nil, nil, "relay-bootstrap: -out " + aFile + " is a file, not a folder"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(argsFile)
			cmd := exec.Command("make", "--no-print-directory", tc.target, "TOOLS="+tools, "CONFIG="+tc.config, "OUT="+tc.out)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "FAKE_CDK_ARGS="+argsFile)
			out, err := cmd.CombinedOutput()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(string(out), tc.wantErr) {
					t.Errorf("make %s: %v, want a failure saying %q:\n%s", tc.target, err, tc.wantErr, out)
				}
				if _, err := os.Stat(argsFile); err == nil && tc.target != "bootstrap-policy" {
					t.Errorf("cdk ran")
				}
				return
			}
			if err != nil {
				t.Fatalf("make %s: %v\n%s", tc.target, err, out)
			}
			// The log shows the command with its values (the shell's
			// xtrace), not the names of make's variables.
			traced := false
			for _, line := range strings.Split(string(out), "\n") {
				traced = traced || strings.HasPrefix(line, "+ ") && strings.Contains(line, filepath.Base(tc.out))
			}
			if !traced || strings.Contains(string(out), "$OUT") || strings.Contains(string(out), "$CONFIG") {
				t.Errorf("make %s: the log does not show the command with OUT's value %q:\n%s", tc.target, tc.out, out)
			}
			if tc.wantArgs != nil {
				raw, err := os.ReadFile(argsFile)
				if err != nil {
					t.Fatal(err)
				}
				args := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
				for _, w := range tc.wantArgs {
					if !slices.Contains(args, w) {
						t.Errorf("cdk got arguments %q, want one %q", args, w)
					}
				}
			}
			for _, f := range tc.wantFiles {
				if _, err := os.Stat(filepath.Join(tc.out, f)); err != nil {
					t.Errorf("%s not written: %v\n%s", f, err, out)
				}
			}
		})
	}
}
