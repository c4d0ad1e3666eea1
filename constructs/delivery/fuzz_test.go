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

// FuzzTranslate extends config's FuzzParse to the release plan: whatever
// bytes come in, config.Parse and delivery.Translate never panic; a config
// that Parse accepts is either translated or refused with an error (never
// both, never neither); and a plan Translate returns holds CodePipeline's
// counts: 2 to 50 stages, 1 to 50 actions each, unique action names per
// stage. The seeds are the embedded example, ../../examples,
// ../../test/testdata/configs and the field failures of package config; they
// run in every go test. Fuzz with
// go test -run='^$' -fuzz=FuzzTranslate ./constructs/delivery; times and
// memory are in make bench.
func FuzzTranslate(f *testing.F) {
	f.Add(config.Example())
	var files []string
	for _, pattern := range []string{"../../examples/*.yaml", "../../test/testdata/configs/*.yaml", "../config/testdata/field-failures/*.yaml"} {
		found, _ := filepath.Glob(pattern)
		files = append(files, found...)
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	// Shapes Translate refuses after config accepts them.
	f.Add([]byte(strings.Replace(string(config.Example()), "name: payments", "name: paymentspaymentspaymen", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := config.Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		spec, err := delivery.Translate(cfg)
		switch {
		case err != nil && spec != nil:
			t.Fatalf("Translate returned a Spec with error %v", err)
		case err == nil && spec == nil:
			t.Fatal("Translate returned neither a Spec nor an error")
		case err != nil:
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("Translate refused with an empty message")
			}
			return
		}
		stages := spec.Plan.Stages
		if len(stages) < 2 || len(stages) > limits.Max(limits.PipelineStages) {
			t.Fatalf("planned %d stages", len(stages))
		}
		for _, st := range stages {
			if len(st.Actions) == 0 || len(st.Actions) > limits.Max(limits.StageActions) {
				t.Fatalf("stage %s has %d actions", st.Name, len(st.Actions))
			}
			names := map[string]bool{}
			for _, a := range st.Actions {
				if names[a.Name] {
					t.Fatalf("stage %s: action %s twice", st.Name, a.Name)
				}
				names[a.Name] = true
			}
		}
	})
}
