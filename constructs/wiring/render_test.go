package wiring_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/wiring"
)

var update = flag.Bool("update", false, "rewrite the golden diagrams in testdata/ from the current code")

// TestGoldenDiagrams pins the Mermaid and DOT text of the hand-written
// two-account assembly against drift.
func TestGoldenDiagrams(t *testing.T) {
	m, err := wiring.Read(filepath.Join("testdata", "two-accounts"))
	if err != nil {
		t.Fatal(err)
	}
	for file, got := range map[string]string{"two-accounts.mmd": wiring.Mermaid(m), "two-accounts.dot": wiring.DOT(m)} {
		path := filepath.Join("testdata", file)
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v; create it with: go test ./constructs/wiring -run TestGoldenDiagrams -update", err)
		}
		if diff := cmp.Diff(string(want), got); diff != "" {
			t.Errorf("%s differs (-golden +now):\n%s\nIf the change is intended: go test ./constructs/wiring -run TestGoldenDiagrams -update", path, diff)
		}
	}
}

// TestRenderDeterministic reads and renders the same assembly twice: the
// text must not change (maps are never iterated unsorted into output).
func TestRenderDeterministic(t *testing.T) {
	dir := filepath.Join("testdata", "two-accounts")
	var first [2]string
	for i := 0; i < 5; i++ {
		m, err := wiring.Read(dir)
		if err != nil {
			t.Fatal(err)
		}
		got := [2]string{wiring.Mermaid(m), wiring.DOT(m)}
		if i == 0 {
			first = got
		} else if got != first {
			t.Fatalf("run %d rendered different text:\n%s", i, cmp.Diff(first, got))
		}
	}
}

// TestMermaidStructure checks the Mermaid text of every test assembly the
// way Mermaid's parser would fail on it: balanced subgraphs, unique IDs,
// edges between declared nodes or subgraphs, labels without raw quotes,
// link styles within range. Names that carry Mermaid's own syntax are
// escaped.
func TestMermaidStructure(t *testing.T) {
	tricky := writeAssembly(t, stack{`odd"name`, "aws://111111111111/eu-west-1", template(
		role("A", `a"b|c#d<e>`, `{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::111111111111:role/x"}}`),
		role("B", "b`end", `{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}}`))})
	for name, dir := range map[string]string{"two-accounts": filepath.Join("testdata", "two-accounts"), "tricky names": tricky} {
		t.Run(name, func(t *testing.T) {
			m, err := wiring.Read(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkMermaid(wiring.Mermaid(m)); err != nil {
				t.Errorf("%v\n%s", err, wiring.Mermaid(m))
			}
			if err := checkDOT(t, wiring.DOT(m)); err != nil {
				t.Errorf("%v\n%s", err, wiring.DOT(m))
			}
		})
	}
}

var (
	mmdSubgraph = regexp.MustCompile(`^subgraph ([A-Za-z0-9_]+)\["([^"]*)"\]$`)
	mmdNode     = regexp.MustCompile(`^([A-Za-z0-9_]+)\["([^"]*)"\]$`)
	mmdEdge     = regexp.MustCompile(`^([A-Za-z0-9_]+) (-->|-\.->|==>|-\.-)(\|"([^"]*)"\|)? ([A-Za-z0-9_]+)$`)
	mmdClass    = regexp.MustCompile(`^class ([A-Za-z0-9_,]+) ([a-z]+)$`)
	mmdClassDef = regexp.MustCompile(`^classDef ([a-z]+) [a-z-]+:[^;]+$`)
	mmdLink     = regexp.MustCompile(`^linkStyle ([0-9,]+) [a-z-]+:[^ ]+$`)
)

// checkMermaid is a structural check of a flowchart as Mermaid writes it.
func checkMermaid(text string) error {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 6 || strings.Join(lines[:5], "\n") != "---\nconfig:\n  flowchart:\n    wrappingWidth: 400\n---" || lines[5] != "flowchart TB" {
		return fmt.Errorf("does not start with the config front matter and flowchart TB")
	}
	declared := map[string]bool{}
	classes := map[string]bool{}
	var used [][2]string
	depth, edges := 0, 0
	var linkStyles []string
	for i, raw := range lines[6:] {
		l := strings.TrimSpace(raw)
		n := i + 7
		declare := func(id string) error {
			if declared[id] {
				return fmt.Errorf("line %d: %s declared twice", n, id)
			}
			declared[id] = true
			return nil
		}
		switch {
		case strings.HasPrefix(l, "%%"):
		case l == "end":
			depth--
			if depth < 0 {
				return fmt.Errorf("line %d: end without subgraph", n)
			}
		case mmdSubgraph.MatchString(l):
			depth++
			if err := declare(mmdSubgraph.FindStringSubmatch(l)[1]); err != nil {
				return err
			}
		case mmdNode.MatchString(l):
			if err := declare(mmdNode.FindStringSubmatch(l)[1]); err != nil {
				return err
			}
		case mmdEdge.MatchString(l):
			m := mmdEdge.FindStringSubmatch(l)
			used = append(used, [2]string{m[1], m[5]})
			edges++
		case mmdClassDef.MatchString(l):
			classes[mmdClassDef.FindStringSubmatch(l)[1]] = true
		case mmdClass.MatchString(l):
			m := mmdClass.FindStringSubmatch(l)
			if !classes[m[2]] {
				return fmt.Errorf("line %d: class %s is not defined", n, m[2])
			}
			for _, id := range strings.Split(m[1], ",") {
				used = append(used, [2]string{id, id})
			}
		case mmdLink.MatchString(l):
			linkStyles = append(linkStyles, strings.Split(mmdLink.FindStringSubmatch(l)[1], ",")...)
		default:
			return fmt.Errorf("line %d: not a subgraph, node, edge or style: %q", n, l)
		}
	}
	if depth != 0 {
		return fmt.Errorf("%d subgraphs not closed", depth)
	}
	for _, u := range used {
		for _, id := range u {
			if !declared[id] {
				return fmt.Errorf("%s is used but not declared", id)
			}
		}
	}
	for _, s := range linkStyles {
		if i, _ := strconv.Atoi(s); i >= edges {
			return fmt.Errorf("linkStyle %d: there are %d edges", i, edges)
		}
	}
	return nil
}

// checkDOT runs Graphviz on the text when it is installed, and checks
// balanced braces either way.
func checkDOT(t *testing.T, text string) error {
	if strings.Count(text, "{") != strings.Count(text, "}") {
		return fmt.Errorf("unbalanced braces")
	}
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Log("Graphviz (dot) is not installed: DOT checked for balanced braces only (apt-get install graphviz for the full check)")
		return nil
	}
	cmd := exec.Command(dot, "-Tsvg", "-o", os.DevNull)
	cmd.Stdin = strings.NewReader(text)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		return fmt.Errorf("dot: %v %s", err, stderr.String())
	}
	return nil
}

// TestCheckMermaidCatches proves the structural check fails where
// Mermaid's parser would.
func TestCheckMermaidCatches(t *testing.T) {
	head := "---\nconfig:\n  flowchart:\n    wrappingWidth: 400\n---\nflowchart TB\n"
	tests := map[string]string{
		"undeclared endpoint":       "  a[\"A\"]\n  a --> b\n",
		"unclosed subgraph":         "  subgraph s[\"S\"]\n  a[\"A\"]\n",
		"raw quote in label":        "  a[\"say \"hi\"\"]\n",
		"duplicate ID":              "  a[\"A\"]\n  a[\"B\"]\n",
		"link style past the edges": "  a[\"A\"]\n  a --> a\n  linkStyle 1 stroke:#c62828\n",
	}
	for name, body := range tests {
		if err := checkMermaid(head + body); err == nil {
			t.Errorf("%s: checkMermaid passed:\n%s", name, body)
		}
	}
	if err := checkMermaid(head + "  subgraph s[\"S\"]\n    a[\"A\"]\n  end\n  s --> a\n"); err != nil {
		t.Errorf("a valid flowchart failed: %v", err)
	}
}

func TestMermaidLimits(t *testing.T) {
	head := "---\nconfig:\n  flowchart:\n    wrappingWidth: 400\n---\nflowchart TB\n  a[\"A\"]\n"
	edges := func(n int) string { return strings.Repeat("  a -->|\"x\"| a\n", n) }
	tests := []struct {
		name, text, want string
	}{
		{"fits", head + edges(wiring.MermaidMaxEdges), ""},
		{"too many arrows", head + edges(wiring.MermaidMaxEdges+1), "501 arrows, and Mermaid draws at most 500"},
		{"too long", head + "  %% " + strings.Repeat("x", wiring.MermaidMaxTextSize) + "\n", "characters, and Mermaid reads at most 50000"},
	}
	for _, tc := range tests {
		err := wiring.MermaidLimits(tc.text)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
