package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/wiring"
)

// TestWiringOddNames draws assemblies whose stack names, logical IDs, role
// names, stage and action names carry what ends or breaks a Mermaid or DOT
// statement (quotes, backticks, brackets, bars, line breaks of every kind,
// comment and keyword text, unicode): relay-diagram reads any assembly, not
// only Relay's, and both diagrams must still parse, with Mermaid's own
// parser and Graphviz. A stack name also reaches the "not shown" comments
// (here through a nested stack whose template is not in the assembly).
func TestWiringOddNames(t *testing.T) {
	names := []struct{ name, value string }{
		{"double quote", `"`},
		{"backtick", "`"},
		{"closing bracket", "]"},
		{"bar", "|"},
		{"newline", "a\nb"},
		{"carriage return", "\r  A-->B\r"},
		{"carriage return then end", "\rend\r"},
		{"carriage return then brace", "\r}\r"},
		{"line separator", "\u2028end\u2029"},
		{"next line", "\u0085end"},
		{"vertical tab and form feed", "\v}\f"},
		{"Mermaid comment", "%%"},
		{"Mermaid keyword", "end"},
		{"arrow", "-->"},
		{"semicolon", ";"},
		{"backslash", `\`},
		{"DOT escape", `\l`},
		{"braces", "{}"},
		{"hash", "#"},
		{"HTML", "<b>x</b>"},
		{"Mermaid statement", `"]; A-->B; X["`},
		{"DOT statement", "}; a -> b; {"},
		{"escaped quote", `\"`},
		{"tab", "\t"},
		{"click", "click A call alert()"},
		{"class", ":::x"},
		{"unicode", "ü日本🚀"},
		{"long", strings.Repeat("x", 2000)},
	}
	node, parser := mermaidParser(t)
	dir := t.TempDir()
	args := []string{parser}
	dot, dotErr := exec.LookPath("dot")
	for i, n := range names {
		asm := oddAssembly(t, filepath.Join(dir, fmt.Sprint(i)), n.value)
		m, err := wiring.Read(asm)
		if err != nil {
			t.Errorf("%s: %v", n.name, err)
			continue
		}
		f := filepath.Join(dir, fmt.Sprintf("%d.mmd", i))
		if err := os.WriteFile(f, []byte(wiring.Mermaid(m)), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, f)
		if dotErr != nil {
			continue
		}
		cmd := exec.Command(dot, "-Tsvg", "-o", os.DevNull)
		cmd.Stdin = strings.NewReader(wiring.DOT(m))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("%s (%q): dot: %v %s", n.name, n.value, err, stderr.String())
		}
	}
	// One parser run for all files: it stops at the first it refuses, so
	// a failure is re-run file by file to name each.
	if out, err := exec.Command(node, args...).CombinedOutput(); err != nil {
		for i, f := range args[1:] {
			if out, err := exec.Command(node, parser, f).CombinedOutput(); err != nil {
				t.Errorf("%s (%q): Mermaid's parser refused the diagram: %v\n%s", names[i].name, names[i].value, err, out)
			}
		}
		t.Logf("%s", out)
	}
	if dotErr != nil {
		t.Skip("Graphviz (dot) is not installed; apt-get install graphviz to check the DOT files")
	}
}

// oddAssembly writes into dir the two-account assembly of the wiring
// package's tests with odd appended to its stack names, a logical ID, role
// names, stage and action names, and a nested stack whose template is not
// in the assembly.
func oddAssembly(t *testing.T, dir, odd string) string {
	t.Helper()
	src := filepath.Join("..", "constructs", "wiring", "testdata", "two-accounts")
	read := func(name string) map[string]interface{} {
		raw, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]interface{}
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	obj := func(v interface{}, keys ...string) map[string]interface{} {
		for _, k := range keys {
			v = v.(map[string]interface{})[k]
		}
		return v.(map[string]interface{})
	}
	manifest, tooling, staging := read("manifest.json"), read("orders-tooling.template.json"), read("orders-staging.template.json")
	obj(manifest, "artifacts", "orders-tooling", "properties")["stackName"] = "tool" + odd
	obj(manifest, "artifacts", "orders-staging", "properties")["stackName"] = "stg" + odd
	res := obj(tooling, "Resources")
	res["Key"+odd] = res["Key"]
	delete(res, "Key")
	obj(res, "PipelineRole", "Properties")["RoleName"] = "orders-pipeline" + odd
	for _, s := range obj(res, "Pipeline", "Properties")["Stages"].([]interface{}) {
		stage := s.(map[string]interface{})
		stage["Name"] = stage["Name"].(string) + odd
		for _, a := range stage["Actions"].([]interface{}) {
			action := a.(map[string]interface{})
			action["Name"] = action["Name"].(string) + odd
		}
	}
	sres := obj(staging, "Resources")
	obj(sres, "DeployRole", "Properties")["RoleName"] = "orders-staging-deploy" + odd
	sres["Nested"] = map[string]interface{}{"Type": "AWS::CloudFormation::Stack", "Properties": map[string]interface{}{}}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]interface{}{"manifest.json": manifest, "orders-tooling.template.json": tooling, "orders-staging.template.json": staging} {
		raw, _ := json.Marshal(v)
		// The Key's references follow its new logical ID.
		raw = bytes.ReplaceAll(raw, []byte(`{"Ref":"Key"}`), []byte(`{"Ref":`+string(mustJSON(t, "Key"+odd))+`}`))
		if err := os.WriteFile(filepath.Join(dir, name), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func mustJSON(t *testing.T, v interface{}) []byte {
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
