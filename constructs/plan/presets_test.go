package plan_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/plan"
)

// TestPresetsVerifyWhatTheyRun pins the supply-chain rule of the scanner
// presets: every tool is downloaded at a pinned version into a file, its
// SHA-256 digest is checked before anything unpacks or runs it, and nothing
// is piped into a shell or installed from an index by name alone.
func TestPresetsVerifyWhatTheyRun(t *testing.T) {
	hex64 := regexp.MustCompile(`^[0-9a-f]{64}$`)
	intoShell := regexp.MustCompile(`\|\s*(sudo\s+)?(sh|bash|zsh|python3?)\b`)
	for _, preset := range plan.Presets {
		t.Run(preset, func(t *testing.T) {
			tool, ok := plan.Tools[preset]
			if !ok {
				t.Fatalf("preset %s has no pinned tool in plan.Tools", preset)
			}
			if !hex64.MatchString(tool.SHA256) {
				t.Errorf("SHA256 %q: want 64 lowercase hex digits", tool.SHA256)
			}
			if !strings.HasPrefix(tool.URL, "https://") || !strings.Contains(tool.URL, tool.Version) {
				t.Errorf("URL %q: want an https URL that names version %s", tool.URL, tool.Version)
			}
			if tool.Source == "" {
				t.Error("Source: say where the digest is published")
			}
			s := plan.PresetSuite(plan.Suite{Name: "x", Preset: preset}, "HIGH")
			file := "/tmp/" + tool.File()
			download := slices.IndexFunc(s.Commands, func(c string) bool { return strings.HasPrefix(c, "curl ") })
			check := slices.Index(s.Commands, `echo "`+tool.SHA256+"  "+file+`" | sha256sum -c -`)
			if download < 0 || check != download+1 {
				t.Fatalf("commands %q: want the download, then its sha256sum -c check", s.Commands)
			}
			if want := "-o " + file + " " + tool.URL; !strings.HasSuffix(s.Commands[download], want) {
				t.Errorf("download %q: want it to write %s", s.Commands[download], want)
			}
			for i, c := range s.Commands {
				if intoShell.MatchString(c) || strings.Contains(c, "raw.githubusercontent.com") {
					t.Errorf("command %q pipes a download into a shell or fetches an unpinned file", c)
				}
				if i < check && (strings.Contains(c, file+" ") && !strings.HasPrefix(c, "curl ")) {
					t.Errorf("command %q uses %s before its digest is checked", c, file)
				}
				if strings.HasPrefix(c, "pip") && !strings.Contains(c, file) {
					t.Errorf("command %q installs from the index by name; install the verified file", c)
				}
			}
			if s.Reports == nil || len(s.Reports.Files) != 1 {
				t.Errorf("Reports = %+v, want one JUnit report", s.Reports)
			}
		})
	}
}
