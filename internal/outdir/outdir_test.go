package outdir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	files := []File{{"a.md", []byte("a"), 0o644}, {"b.sh", []byte("b"), 0o755}}
	t.Run("writes all, creating the folder", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "x", "y")
		if err := Write(dir, "-o", files); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			info, err := os.Stat(filepath.Join(dir, f.Name))
			if err != nil || info.Mode().Perm() != f.Mode {
				t.Errorf("%s: %v, mode %v, want %v", f.Name, err, info.Mode().Perm(), f.Mode)
			}
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 2 {
			t.Errorf("%d entries in %s, want 2 (no temporary files left)", len(entries), dir)
		}
	})
	base := t.TempDir()
	file := filepath.Join(base, "file")
	os.WriteFile(file, nil, 0o644)
	taken := filepath.Join(base, "taken")
	os.MkdirAll(filepath.Join(taken, "b.sh"), 0o755)
	tests := []struct{ name, dir, flag, want string }{
		{"empty", "", "-out", "-out is empty: name the folder for a.md and b.sh"},
		{"a file", file, "-o", "-o " + file + " is a file, not a folder: pass another -o, or remove the file"},
		{"under a file", filepath.Join(file, "sub"), "-out", "-out " + filepath.Join(file, "sub") + ": cannot create the folder: not a directory: pass another -out"},
		{"a name taken by a folder", taken, "the cloud assembly folder", "the cloud assembly folder " + taken + ": cannot write " + filepath.Join(taken, "b.sh") + ": it is a folder, not a file: remove it, or name another folder"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Write(tc.dir, tc.flag, files)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
			if _, err := os.Stat(filepath.Join(taken, "a.md")); err == nil {
				t.Errorf("a.md was written next to a file that could not be")
			}
		})
	}
}
