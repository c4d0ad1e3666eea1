package test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/compliance"
)

// TestCompliancePacks requires every finding of cdk-nag's AwsSolutions,
// NIST 800-53 rev 5, PCI DSS 3.2.1 and HIPAA Security packs, in every
// stack of every golden configuration, to be fixed or suppressed beside
// its resource with a reason (package internal/nag), and proves that each
// pack ran over each stack (its report is in the assembly). A resource a
// construct adds must come with its suppressions: compliance.Suppress, or
// nag.Suppress inside Relay's constructs.
func TestCompliancePacks(t *testing.T) {
	for name, a := range assemblies(t) {
		for _, s := range a.Stacks {
			for _, p := range compliance.AllPacks {
				if len(s.Nag[string(p)]) == 0 {
					t.Errorf("%s: %s: no %s report in %s: the pack did not run", name, s.Name, p, a.Dir)
				}
			}
			var fresh []string
			for _, e := range s.Errors {
				fresh = append(fresh, fmt.Sprintf("  %s: %s", e.Path, firstLine(e.Message)))
			}
			if len(fresh) > 0 {
				t.Errorf("%s: %d unsuppressed findings; fix each, or suppress it beside its resource with a reason specific to it:\n%s", s.Name, len(fresh), strings.Join(fresh, "\n"))
			}
		}
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
