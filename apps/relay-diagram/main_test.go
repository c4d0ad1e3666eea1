package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := copyAssembly(t)
	if err := run([]string{dir}); err != nil {
		t.Fatal(err)
	}
	for file, start := range map[string]string{"wiring.mmd": "---\nconfig:", "wiring.dot": "digraph wiring {"} {
		raw, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatalf("%s was not written: %v", file, err)
		}
		if !strings.HasPrefix(string(raw), start) {
			t.Errorf("%s starts %q, want %q", file, string(raw[:min(len(raw), 20)]), start)
		}
	}
}

func TestRunErrors(t *testing.T) {
	empty := t.TempDir()
	// An assembly where wiring.dot is taken by a folder: wiring.mmd must
	// not be written alone.
	taken := copyAssembly(t)
	if err := os.Mkdir(filepath.Join(taken, "wiring.dot"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no assembly", []string{empty}, empty + " is not a cloud assembly (no manifest.json): synthesize first, such as with make synth OUT=" + empty},
		{"two folders", []string{"a", "b"}, "usage: relay-diagram [dir]: one cloud assembly folder, got 2 arguments"},
		{"unknown flag", []string{"-o"}, "unknown flag -o: usage: relay-diagram [dir] (a folder whose name starts with - goes as ./-o)"},
		{"flag and folder", []string{"-out", empty}, "usage: relay-diagram [dir]: one cloud assembly folder, got 2 arguments"},
		{"empty folder name", []string{""}, "the cloud assembly folder is empty (\"\"): pass the folder cdk synth wrote, or nothing for cdk.out"},
		{"output name taken", []string{taken}, "the cloud assembly folder " + taken + ": cannot write " + filepath.Join(taken, "wiring.dot") + ": it is a folder, not a file: remove it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := run(tc.args)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
			for _, dir := range []string{empty, taken} {
				for _, f := range []string{"wiring.mmd", "wiring.dot/x"} {
					if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
						t.Errorf("wrote %s into %s", f, dir)
					}
				}
			}
			if entries, _ := os.ReadDir(empty); len(entries) > 0 {
				t.Errorf("wrote %d files into %s", len(entries), empty)
			}
		})
	}
}

// copyAssembly copies the wiring package's two-account assembly into a new
// folder.
func copyAssembly(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "constructs", "wiring", "testdata", "two-accounts"))); err != nil {
		t.Fatal(err)
	}
	return dir
}
