package test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoPassRoleWildcard pins the least privilege of every action role of
// every configuration in testdata/configs and examples: iam:PassRole names
// roles one by one, never a pattern.
func TestNoPassRoleWildcard(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.template.json")
	if len(files) < 20 {
		t.Fatalf("found %d golden templates; run go test ./test/... -update first", len(files))
	}
	checked := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tpl struct {
			Resources map[string]struct {
				Type       string
				Properties struct {
					PolicyDocument struct{ Statement []map[string]any }
				}
			}
		}
		if err := json.Unmarshal(raw, &tpl); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for id, r := range tpl.Resources {
			// CloudFormation execution roles get what the config's
			// executionPolicy grants (each wildcard with a reason); action
			// roles are Relay's to keep narrow.
			if r.Type != "AWS::IAM::Policy" || strings.Contains(id, "ExecutionRole") {
				continue
			}
			for _, st := range r.Properties.PolicyDocument.Statement {
				if !mentions(st["Action"], "iam:PassRole") {
					continue
				}
				checked++
				for _, res := range list(st["Resource"]) {
					if s, ok := res.(string); !ok || strings.ContainsAny(s, "*?") {
						t.Errorf("%s %s: iam:PassRole on %v; name each role", filepath.Base(f), id, res)
					}
				}
			}
		}
	}
	if checked < 3 {
		t.Errorf("only %d PassRole statements found; the goldens should hold the ECS and StackSet ones", checked)
	}
}

func list(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

func mentions(v any, action string) bool {
	for _, a := range list(v) {
		if a == action || a == "iam:*" || a == "*" {
			return true
		}
	}
	return false
}
