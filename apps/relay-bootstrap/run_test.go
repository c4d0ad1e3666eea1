package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/config"
)

// TestRunErrors: each misuse of relay-bootstrap is refused with the flag
// or argument, the value and the fix, and no file is written: a config is
// refused exactly as the Relay app refuses it (config.Load: file and
// line), and an output folder where one file cannot go gets none.
func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("name: x\ntooling: {account: \"12\", region: us-east-1}\n"), 0o644)
	_, appErr := config.Load(bad)
	if appErr == nil {
		t.Fatal("config.Load accepted bad.yaml")
	}
	aFile := filepath.Join(dir, "file")
	os.WriteFile(aFile, nil, 0o644)
	// The example's second account's policy file is taken by a folder:
	// the tooling account's policy must not be written alone.
	taken := filepath.Join(dir, "taken")
	os.MkdirAll(filepath.Join(taken, "222222222222.json"), 0o755)
	out := filepath.Join(dir, "out")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"config refused", []string{"-config", bad, "-out", out}, appErr.Error()},
		{"config missing", []string{"-config", filepath.Join(dir, "nope.yaml"), "-out", out}, filepath.Join(dir, "nope.yaml") + ": no such file: name an existing relay.yaml"},
		{"config a folder", []string{"-config", dir, "-out", out}, dir},
		{"config empty", []string{"-config", "", "-out", out}, `-config is empty: pass -config path/to/relay.yaml, or omit it for the embedded example`},
		{"config as an argument", []string{"relay.yaml"}, `unexpected argument "relay.yaml": the configuration goes with -config (relay-bootstrap -config relay.yaml -out bootstrap)`},
		{"flag after an argument", []string{"-out", out, "relay.yaml", "-config", bad}, `unexpected argument "relay.yaml"`},
		{"unknown flag", []string{"-o", out}, "flag provided but not defined: -o; usage: relay-bootstrap [-config relay.yaml] [-out folder]"},
		{"out empty", []string{"-out", ""}, "-out is empty: name the folder for"},
		{"out a file", []string{"-out", aFile}, "-out " + aFile + " is a file, not a folder: pass another -out, or remove the file"},
		{"out taken", []string{"-out", taken}, "cannot write " + filepath.Join(taken, "222222222222.json") + ": it is a folder, not a file: remove it, or pass another -out"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := run(tc.args)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("wrote %s", out)
			}
			if _, err := os.Stat(filepath.Join(taken, "111111111111.json")); err == nil {
				t.Errorf("wrote 111111111111.json next to a policy that could not be written")
			}
		})
	}
}
