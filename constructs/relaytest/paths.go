package relaytest

import (
	"reflect"
	"testing"

	"github.com/relaycdk/relay/constructs/internal/fieldpath"
)

// FieldPaths checks that every problem of err (one per line, as Validate
// methods report them, after a "pkg.Props: " prefix) starts with a Go path
// that names a field of props as it is: Deployments[2].Target.ID,
// Replicas["eu-west-1"], Source.ConnectionArn (pointers, interfaces,
// slices and maps are followed through their values). A message whose path
// names no field, or that starts with no path, is reported with the reason.
func FieldPaths(t testing.TB, props any, err error) {
	t.Helper()
	fieldpath.Check(t, props, err)
}

// FieldPath checks that the Go path line starts with names a field of v,
// and returns the problem, or "" when it does.
func FieldPath(v reflect.Value, line string) string { return fieldpath.Problem(v, line) }
