package delivery_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/limits"
)

// TestExplainTaken: a name that two resources take in one AWS scope
// (limits.CheckUnique) is reported through the config fields that set the
// colliding names apart; a name no field composes twice keeps its fix.
func TestExplainTaken(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", "configs", "eks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(raw), "{name: staging, account", "{name: test, account", 1) +
		"tests:\n  - {name: helm, commands: [make test]}\n"
	cfg, err := config.Parse("eks.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := delivery.Translate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	taken := func(id, name string) limits.Finding {
		return limits.Finding{Limit: limits.ByID(id), Stack: "shop-tooling", Resource: "X", Value: 2, Name: name, Property: "Name",
			Rule: "is also the Name of shop-tooling/Y (account 111111111111, region us-east-1): …", Other: "shop-tooling/Y"}
	}
	tests := []struct {
		name       string
		f          limits.Finding
		field, fix string
	}{
		{"a test suite's project and an environment's Helm project", taken(limits.UniqueProjectName, "shop-test-helm"),
			"tests[0].name, environments[0].name", "<name>-test-<suite> (tests[0].name) and <name>-<environment>-helm (environments[0].name) compose the same name: rename tests[0].name or environments[0].name"},
		{"a Helm role and a project of one name are of two kinds", taken(limits.UniqueRoleName, "shop-test-helm"), "", ""},
		{"a name composed once", taken(limits.UniquePipelineName, "shop"), "", ""},
		{"a quota is not a taken name", limits.Finding{Limit: limits.ByID(limits.StackResources), Stack: "shop-test", Value: 600}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := spec.Explain(tc.f)
			if got.Field != tc.field || got.Fix != tc.fix {
				t.Errorf("Explain: Field %q, Fix %q\nwant Field %q, Fix %q", got.Field, got.Fix, tc.field, tc.fix)
			}
		})
	}
}
