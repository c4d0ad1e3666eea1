package test

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/relaycdk/relay/constructs/limits"
)

// TestRelayRolesAsWritten: limits.CheckRelayRoles, which relaytest's
// assembly checks run on a team's App to flag what its code attached to
// Relay's roles, finds nothing in what Relay writes itself: every golden
// configuration's assembly and the checked-in assemblies of the wiring and
// assembly packages (the examples' assemblies are checked by their own
// TestAssembly, through relaytest.CheckAssembly).
func TestRelayRolesAsWritten(t *testing.T) {
	dirs := map[string]string{
		"constructs/wiring/testdata/two-accounts": filepath.Join("..", "constructs", "wiring", "testdata", "two-accounts"),
		"constructs/assembly/testdata/assembly":   filepath.Join("..", "constructs", "assembly", "testdata", "assembly"),
	}
	for name, a := range assemblies(t) {
		dirs[name] = a.Dir
	}
	names := make([]string, 0, len(dirs))
	for n := range dirs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		found, err := limits.CheckRelayRolesDir(dirs[n])
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		for _, f := range found {
			t.Errorf("%s: %v", n, f)
		}
	}
}
