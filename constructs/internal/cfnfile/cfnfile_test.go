package cfnfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/internal/cfnfile"
)

// TestTemplate: every shape of a broken template is refused with the file,
// the field and the JSON type found; a good one is read.
func TestTemplate(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"good", `{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}, "Outputs": {}}`, ""},
		{"no sections", `{}`, ""},
		{"truncated", `{"Resources": {"B": {"Type": "AWS::S3::Buc`, "t.json: not a JSON CloudFormation template (unexpected end of JSON input: truncated?)"},
		{"not JSON", `Resources:`, "t.json: not a JSON CloudFormation template (invalid character 'R' looking for beginning of value at byte 1)"},
		{"null", `null`, "t.json: not a JSON CloudFormation template (the document is null, must be an object)"},
		{"array", `[]`, "t.json: not a JSON CloudFormation template (the document is a JSON array, must be an object)"},
		{"Resources an array", `{"Resources": []}`, "t.json: Resources is a JSON array, must be an object"},
		{"Resources null", `{"Resources": null}`, "t.json: Resources is null, must be an object"},
		{"a resource a string", `{"Resources": {"A": {}, "B": "x"}}`, "t.json: Resources.B is a JSON string, must be an object"},
		{"Mappings a number", `{"Mappings": 1}`, "t.json: Mappings is a JSON number, must be an object"},
		{"Conditions a boolean", `{"Conditions": true}`, "t.json: Conditions is a JSON boolean, must be an object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.json")
			if err := os.WriteFile(path, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			tpl, err := cfnfile.Template(path)
			switch {
			case tc.want == "" && (err != nil || tpl == nil):
				t.Errorf("Template() = %v, %v; want the template", tpl, err)
			case tc.want != "" && (err == nil || !strings.HasSuffix(err.Error(), tc.want)):
				t.Errorf("Template() error = %v\nwant one ending %q", err, tc.want)
			}
		})
	}
}

// TestReadJSON: a missing file wraps fs.ErrNotExist; a folder and a value
// of the wrong type are named.
func TestReadJSON(t *testing.T) {
	dir := t.TempDir()
	var v struct {
		Artifacts map[string]struct{ Type string } `json:"artifacts"`
	}
	if err := cfnfile.ReadJSON(filepath.Join(dir, "none.json"), &v); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	if err := cfnfile.ReadJSON(dir, &v); err == nil || !strings.HasSuffix(err.Error(), ": a folder, not a JSON file") {
		t.Errorf("folder: %v", err)
	}
	path := filepath.Join(dir, "manifest.json")
	if err := os.WriteFile(path, []byte(`{"artifacts": 5}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := cfnfile.ReadJSON(path, &v); err == nil || err.Error() != path+": artifacts is a JSON number, must be an object" {
		t.Errorf("wrong type: %v", err)
	}
}

// TestWithin: a Decode error of a value inside a larger document names the
// value's field.
func TestWithin(t *testing.T) {
	var obj map[string]interface{}
	for _, tc := range []struct{ raw, want string }{
		{`"x"`, "artifacts.s is a JSON string, must be an object"},
		{`{`, "artifacts.s: not JSON (unexpected end of JSON input: truncated?)"},
	} {
		err := cfnfile.Decode([]byte(tc.raw), &obj)
		if err == nil {
			t.Fatalf("Decode(%s) = nil", tc.raw)
		}
		if got := cfnfile.Within("artifacts.s", err); got != tc.want {
			t.Errorf("Within(%s) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

// TestInside: a manifest may name only files and folders of its own
// assembly.
func TestInside(t *testing.T) {
	for _, tc := range []struct{ rel, want string }{
		{"s.template.json", ""},
		{"assembly-Stage/manifest.json", ""},
		{"", "missing"},
		{".", `".": must name a file inside the cloud assembly`},
		{"../x", `"../x": must name a file inside the cloud assembly`},
		{"a/../../x", `"a/../../x": must name a file inside the cloud assembly`},
		{"/etc/passwd", `"/etc/passwd": must name a file inside the cloud assembly`},
	} {
		got, err := cfnfile.Inside("out", tc.rel, "file")
		switch {
		case tc.want == "" && (err != nil || got != filepath.Join("out", tc.rel)):
			t.Errorf("Inside(%q) = %q, %v", tc.rel, got, err)
		case tc.want != "" && (err == nil || err.Error() != tc.want):
			t.Errorf("Inside(%q) error = %v, want %q", tc.rel, err, tc.want)
		}
	}
}
