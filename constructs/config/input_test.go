package config

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/goccy/go-yaml/parser"
	"github.com/google/go-cmp/cmp"
)

// deepFlow nests n flow sequences as the value of pipeline.variables.
func deepFlow(n int) string {
	return edit("deploy:\n", "pipeline:\n  variables: "+strings.Repeat("[", n)+strings.Repeat("]", n)+"\ndeploy:\n")
}

// inputLimitTests are files refused before the YAML parser runs, with the
// exact message. They also seed FuzzParse.
var inputLimitTests = []struct {
	name  string
	input string
	want  string
}{
	{
		name:  "flow nesting over the limit",
		input: deepFlow(MaxDepth),
		want:  "relay.yaml:10: lists and mappings nest deeper than 64 levels here; a Relay configuration needs at most 6: remove the extra brackets, dashes or indentation",
	},
	{
		name:  "25,000 levels in 50 KB",
		input: deepFlow(25_000),
		want:  "relay.yaml:10: lists and mappings nest deeper than 64 levels here; a Relay configuration needs at most 6: remove the extra brackets, dashes or indentation",
	},
	{
		name:  "block sequences on one line",
		input: minimal + "tests:\n  - " + strings.Repeat("- ", 70) + "x\n",
		want:  "relay.yaml:18: lists and mappings nest deeper than 64 levels here; a Relay configuration needs at most 6: remove the extra brackets, dashes or indentation",
	},
	{
		name:  "indented mappings",
		input: minimal + deepBlock(70),
		want:  "relay.yaml:81: lists and mappings nest deeper than 64 levels here; a Relay configuration needs at most 6: remove the extra brackets, dashes or indentation",
	},
	{
		name:  "one level more than the pre-scan counts, found on the tree",
		input: "0: \n0<<: " + strings.Repeat("[", MaxDepth-1) + strings.Repeat("]", MaxDepth-1) + "\n",
		want:  "relay.yaml:2: lists and mappings nest deeper than 64 levels here; a Relay configuration needs at most 6: remove the extra brackets, dashes or indentation",
	},
	{
		name:  "too many nodes",
		input: minimal + "tests: [" + strings.Repeat("a,", MaxNodes) + "]\n",
		want:  "relay.yaml:17: the file has more than 200000 YAML nodes (keys, values, list items and collections) by this line; a Relay configuration needs far fewer (1,000 environments take about 75,000): split the environments across several configurations",
	},
	{
		name:  "aliases that repeat too much",
		input: minimal + aliasBomb,
		want:  "relay.yaml:24: aliases here expand the configuration to more than 200000 YAML nodes; write the repeated values out instead of nesting aliases",
	},
	{
		name:  "too many bytes",
		input: minimal + strings.Repeat("#\n", MaxBytes/2),
		want:  "relay.yaml:1048394: the file has 2097550 bytes and passes the limit of 2097152 bytes (2 MiB) on this line; a Relay configuration needs far less (1,000 environments take about 500 KB): split the environments across several configurations",
	},
	{
		name:  "UTF-16",
		input: "\xff\xfen\x00a\x00",
		want:  "relay.yaml:1: the file starts with the byte-order mark FF FE of UTF-16 (or UTF-32); save it as UTF-8",
	},
	{
		name:  "not UTF-8",
		input: edit("name: payments", "name: pay\xe9ments"),
		want:  "relay.yaml:1: the line is not valid UTF-8; save the file as UTF-8",
	},
	{
		name:  "bidirectional override in a comment",
		input: edit("deploy:\n", "# approve\u202e \u2066// skip\u2069\u2066\ndeploy:\n"),
		want:  "relay.yaml:9: the comment contains U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional control character, which can make text display in another order than it is read (Trojan Source); remove it",
	},
	{
		name:  "NUL in a comment",
		input: edit("deploy:\n", "deploy: # x\x00\n"),
		want:  "relay.yaml:9: the line contains U+0000 (NULL), a control character, which YAML allows only escaped; remove it",
	},
	{
		name:  "NUL in a value",
		input: edit("name: payments", "name: pay\x00ments"),
		want:  "relay.yaml:1: the line contains U+0000 (NULL), a control character, which YAML allows only escaped; remove it",
	},
	{
		name:  "escape sequence in a comment",
		input: edit("deploy:\n", "# \x1b[8mhidden\x1b[0m\ndeploy:\n"),
		want:  "relay.yaml:9: the line contains U+001B (ESCAPE), a control character, which YAML allows only escaped; remove it",
	},
	{
		name:  "zero-width space in a comment",
		input: edit("deploy:\n", "# ok\u200b\ndeploy:\n"),
		want:  "relay.yaml:9: the comment contains U+200B (ZERO WIDTH SPACE), an invisible format character, which can make text display differently from what it is; remove it",
	},
}

// deepBlock nests n mappings by indentation under the key tests.
func deepBlock(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	return "tests:\n" + strings.Replace(b.String(), "k:", " k:", -1)
}

// aliasBomb repeats 10 values 10^6 times through nested aliases.
const aliasBomb = `pipeline:
  variables:
    - &a [x, x, x, x, x, x, x, x, x, x]
    - &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    - &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    - &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    - &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
    - [*e, *e, *e]
`

func TestInputLimits(t *testing.T) {
	for _, tt := range inputLimitTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("relay.yaml", []byte(tt.input))
			if err == nil {
				t.Fatalf("Parse() = nil error, want %q", tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("Parse() error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFieldFailureDeepNesting replays the field report: a 400 KB file
// nesting 200,000 flow sequences, refused on the line where it passes the
// depth limit.
func TestFieldFailureDeepNesting(t *testing.T) {
	data, err := os.ReadFile("testdata/field-failures/deep-nesting.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("deep-nesting.yaml", data)
	want := "deep-nesting.yaml:11: lists and mappings nest deeper than 64 levels here; a Relay configuration needs at most 6: remove the extra brackets, dashes or indentation"
	if err == nil || err.Error() != want {
		t.Errorf("Parse() = %v, want %q", err, want)
	}
}

// TestLoadRefusesLargeFile checks that Load reads no more than MaxBytes
// and names the file's size.
func TestLoadRefusesLargeFile(t *testing.T) {
	path := t.TempDir() + "/big.yaml"
	if err := os.WriteFile(path, []byte(minimal+strings.Repeat("#\n", MaxBytes)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	want := path + ":1048394: the file has 4194702 bytes and passes the limit of 2097152 bytes (2 MiB) on this line"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Load() = %v, want it to start with %q", err, want)
	}
}

// TestInputAccepted checks YAML forms that real configurations use, and a
// byte-order mark, which is stripped.
func TestInputAccepted(t *testing.T) {
	tests := map[string]string{
		"byte-order mark":       "\ufeff" + minimal,
		"CRLF line breaks":      strings.ReplaceAll(minimal, "\n", "\r\n"),
		"block scalar":          edit("deploy:\n", "tests:\n  - name: unit\n    commands:\n      - |\n        if [ -f x ]; then\n          echo '[['\n        fi\ndeploy:\n"),
		"multi-line flow":       edit("regions: [us-east-1]", "regions: [\n      us-east-1\n    ]"),
		"joiners in a comment":  edit("    approval: {}", "    approval: {comment: \"\U0001F468\u200D\U0001F469 ok\"}"),
		"comment with brackets": edit("deploy:\n", "# [[[[ {{{{\ndeploy:\n"),
	}
	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse("relay.yaml", []byte(input)); err != nil {
				t.Errorf("Parse(): %v", err)
			}
		})
	}
}

// TestThousandEnvironmentsLoad checks that the limits are generous for real
// configurations: 1,000 environments with approvals, parameters, waves and
// entry conditions load, well below every limit.
func TestThousandEnvironmentsLoad(t *testing.T) {
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(minimal, "  - name: staging\n    account: \"222222222222\"\n    regions: [us-east-1]\n    approval: {}\n"))
	for i := range 1000 {
		fmt.Fprintf(&b, `  - name: env%d
    account: "%012d"
    regions: [us-east-1, eu-west-1]
    wave: wave%d
    approval: {comment: "Check the dashboards of wave %d first", notify: [ops@example.com], timeoutMinutes: 1440}
    parameters: {Stage: env%d, Version: "#{BuildVariables.VERSION}", Commit: "#{SourceVariables.CommitId}"}
    entryConditions:
      deploymentWindow: {cron: "cron(* 9-16 ? * MON-FRI *)", timeZone: Europe/Berlin}
      noAlarms: [payments-5xx, payments-latency]
`, i, 100000000000+i, i/25, i/25, i)
	}
	data := []byte(b.String())
	_, scan, err := checkInput("relay.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse("relay.yaml", data); err != nil {
		t.Fatalf("Parse(1,000 environments): %v", err)
	}
	file, _ := parser.ParseBytes(data, 0)
	t.Logf("1,000 environments: %d bytes, %d nodes counted (%d built), %d levels", len(data), scan.nodes, astNodes(file.Docs[0].Body), scan.depth)
	if len(data) > MaxBytes/4 || scan.nodes > MaxNodes/2 || scan.depth > 6 {
		t.Errorf("1,000 environments take %d bytes, %d nodes and %d levels; the limits (%d, %d, %d) should leave room", len(data), scan.nodes, scan.depth, MaxBytes, MaxNodes, MaxDepth)
	}
}
