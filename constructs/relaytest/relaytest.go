// Package relaytest helps test CDK stacks in Go: it turns jsii panics into
// readable test failures, normalizes synthesized templates so that golden
// files stay stable, compares goldens with a diff, and reads cdk-nag
// findings. Teams use it for snapshot tests of their own Relay stacks.
package relaytest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/internal/cdkapp"
)

// Main runs the tests of a package that uses jsii and shuts the jsii runtime
// down afterwards, so that no jsii-runtime.* folder is left in the
// temporary directory. It also defines the -update flag (unless the
// package defines its own), which Update reports and Golden and Snapshot
// obey. It gives the jsii processes a small young generation, as the relay
// app does (NODE_OPTIONS --max-semi-space-size=2 unless NODE_OPTIONS sets
// one; about 11% less CPU synthesizing many configurations). Use it as:
// func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }
func Main(m *testing.M) int {
	cdkapp.SmallYoungGeneration()
	defer jsii.Close()
	UpdateFlag()
	return m.Run()
}

// NewApp is an App as Relay's own tests and the relay app create it: no
// analytics, no creation stack traces (in Go they show only the jsii
// kernel), and no aws-cdk-lib built-in CloudFormation validation, which
// costs about 2 s per test binary and reports nothing on Relay's templates
// (Relay lints its examples with cfn-lint and runs the validation, strictly,
// in one test over all of them; StrictApp). Use it for snapshot tests, so
// that templates match what the relay app synthesizes.
func NewApp() awscdk.App { return cdkapp.New(cdkapp.Options{}) }

// StrictApp is NewApp with aws-cdk-lib's built-in CloudFormation
// validation, every finding an error: App.Synth panics, and
// ValidationFindings(outdir) lists what it found. outdir is the cloud
// assembly folder (such as t.TempDir()).
func StrictApp(outdir string) awscdk.App {
	return cdkapp.New(cdkapp.Options{Outdir: outdir, Strict: true})
}

// ValidationFindings are the findings of aws-cdk-lib's validation report in
// the cloud assembly folder dir, one line each (stack/logical ID, what is
// wrong, the rule and the fix); none without a report.
func ValidationFindings(dir string) []string { return cdkapp.Findings(dir) }

// UpdateFlag defines the boolean flag -update on the command line's flag
// set, unless it is defined already (by the package's own
// flag.Bool("update", ...)): call it before flags are parsed, from TestMain
// (Main does) or a package-level var (var _ = relaytest.UpdateFlag()).
func UpdateFlag() bool {
	if flag.Lookup(updateFlag) == nil {
		flag.Bool(updateFlag, false, "rewrite the golden files from the current code (relaytest)")
	}
	return true
}

const updateFlag = "update"

// Update reports whether the tests run with -update (see UpdateFlag).
func Update() bool {
	f := flag.Lookup(updateFlag)
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	b, _ := g.Get().(bool)
	return b
}

// Command is the go test command that reruns the calling test with
// -update, for the package of the current directory (where go test runs a
// package's tests) as a path from its module's root: go test ./examples/team
// -run '^TestTeam$' -update. Without a go.mod above the directory it names
// the current directory (go test . ...).
func Command(t testing.TB) string {
	pkg := "."
	if dir, err := os.Getwd(); err == nil {
		for root := dir; ; root = filepath.Dir(root) {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				if rel, err := filepath.Rel(root, dir); err == nil && rel != "." {
					pkg = "./" + filepath.ToSlash(rel)
				}
				break
			}
			if filepath.Dir(root) == root {
				break
			}
		}
	}
	run := ""
	if name := testName(t); name != "" {
		parts := strings.Split(name, "/")
		for i, p := range parts {
			parts[i] = "^" + regexp.QuoteMeta(p) + "$"
		}
		// Single-quoted for a POSIX shell: a quote in a test's name ends
		// the quoting, is escaped, and starts it again.
		run = " -run '" + strings.ReplaceAll(strings.Join(parts, "/"), "'", `'\''`) + "'"
	}
	return "go test " + pkg + run + " -update"
}

// testName is t.Name(), or "" for a testing.TB that has none.
func testName(t testing.TB) (name string) {
	defer func() {
		if recover() != nil {
			name = ""
		}
	}()
	return t.Name()
}

// Do runs f and turns a panic (how jsii reports a construct error or a
// failed assertion) into a test failure that names what failed.
func Do(t testing.TB, what string, f func()) {
	t.Helper()
	if msg, ok := Recover(f); !ok {
		t.Fatalf("%s: %s", what, msg)
	}
}

// Check is Do for assertions: a failure is reported and the test goes on.
func Check(t testing.TB, what string, f func()) {
	t.Helper()
	if msg, ok := Recover(f); !ok {
		t.Errorf("%s: %s", what, msg)
	}
}

// ValidateError checks the error of a Validate method that reports every
// problem at once: nil when want is nil, otherwise prefix followed by want,
// one problem per line.
func ValidateError(t testing.TB, err error, prefix string, want []string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("Validate() = %v, want nil", err)
		}
		return
	}
	w := prefix + strings.Join(want, "\n")
	if err == nil || err.Error() != w {
		t.Errorf("Validate() = %v\nwant %s", err, w)
	}
}

// Recover runs f and reports whether it returned normally, and otherwise
// the panic's message.
func Recover(f func()) (msg string, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			msg, ok = fmt.Sprint(r), false
		}
	}()
	f()
	return "", true
}

// Template synthesizes stack and returns its template for assertions.
func Template(t testing.TB, stack awscdk.Stack) assertions.Template {
	t.Helper()
	var tpl assertions.Template
	Do(t, "synthesize "+*stack.StackName(), func() {
		tpl = assertions.Template_FromStack(stack, &assertions.TemplateParsingOptions{SkipCyclicalDependenciesCheck: jsii.Bool(false)})
	})
	return tpl
}

// JSON is stack's synthesized template as a Go value.
func JSON(t testing.TB, stack awscdk.Stack) map[string]interface{} {
	t.Helper()
	var out map[string]interface{}
	Do(t, "synthesize "+*stack.StackName(), func() {
		out = toMap(Template(t, stack).ToJSON())
	})
	return out
}

func toMap(v *map[string]interface{}) map[string]interface{} {
	if v == nil {
		return nil
	}
	return *v
}

var assetHash = regexp.MustCompile(`[0-9a-f]{64}`)

// Normalize removes from a template what changes between runs or CDK
// versions without changing what is deployed: the BootstrapVersion
// parameter and rule, CDK metadata resources, and asset hashes.
func Normalize(tpl map[string]interface{}) map[string]interface{} {
	// Work on a deep copy: the caller's template stays as it was.
	raw, _ := json.Marshal(tpl)
	raw = assetHash.ReplaceAll(raw, []byte("<asset-hash>"))
	var out map[string]interface{}
	_ = json.Unmarshal(raw, &out)
	if params, ok := out["Parameters"].(map[string]interface{}); ok {
		delete(params, "BootstrapVersion")
		if len(params) == 0 {
			delete(out, "Parameters")
		}
	}
	if rules, ok := out["Rules"].(map[string]interface{}); ok {
		delete(rules, "CheckBootstrapVersion")
		if len(rules) == 0 {
			delete(out, "Rules")
		}
	}
	if res, ok := out["Resources"].(map[string]interface{}); ok {
		for id, r := range res {
			if m, ok := r.(map[string]interface{}); ok && m["Type"] == "AWS::CDK::Metadata" {
				delete(res, id)
			}
		}
	}
	if c, ok := out["Conditions"].(map[string]interface{}); ok {
		delete(c, "CDKMetadataAvailable")
		if len(c) == 0 {
			delete(out, "Conditions")
		}
	}
	return out
}

// Marshal renders v as indented JSON with sorted keys and a final newline,
// the format of golden files.
func Marshal(v interface{}) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return buf.Bytes()
}

// Golden compares got with the file at path. With update (or -update, see
// Update), it writes got to path instead. A mismatch prints a diff and the
// command that regenerates the file (Command: the calling test, in its own
// package).
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update || Update() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v (create it with: %s)", path, err, Command(t))
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the synthesized template (-golden +got):\n%s\nIf the change is intended, regenerate with: %s",
			path, cmp.Diff(string(want), string(got)), Command(t))
	}
}

// Snapshot compares stack's synthesized template, normalized (Normalize)
// and rendered as golden files are (Marshal), with the golden file at path,
// which -update rewrites: a team's snapshot test in one line.
func Snapshot(t testing.TB, stack awscdk.Stack, path string) {
	t.Helper()
	Golden(t, path, Marshal(Normalize(JSON(t, stack))), false)
}

// Finding is one cdk-nag error or warning annotation.
type Finding struct {
	// Path is the construct path of the resource.
	Path string
	// Message is the annotation text, starting with the rule ID.
	Message string
}

// Errors are the error annotations of stack (unsuppressed cdk-nag findings
// among them), sorted by path.
func Errors(t testing.TB, stack awscdk.Stack) []Finding {
	t.Helper()
	var out []Finding
	Do(t, "read annotations of "+*stack.StackName(), func() {
		msgs := assertions.Annotations_FromStack(stack).FindError(jsii.String("*"), assertions.Match_AnyValue())
		for _, m := range *msgs {
			out = append(out, Finding{Path: *m.Id, Message: fmt.Sprint(m.Entry.Data)})
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Path+out[i].Message < out[j].Path+out[j].Message })
	return out
}

// FindingsText renders findings one per line, for a failure message.
func FindingsText(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s: %s\n", f.Path, firstLine(f.Message))
	}
	return b.String()
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
