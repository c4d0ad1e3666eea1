package graph

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func nodes(spec ...[]string) []Node {
	var out []Node
	for _, s := range spec {
		out = append(out, Node{Name: s[0], DependsOn: s[1:]})
	}
	return out
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		nodes   []Node
		unknown []Unknown
		cycle   []string
	}{
		{"independent", nodes([]string{"a"}, []string{"b"}), nil, nil},
		{"a chain", nodes([]string{"a"}, []string{"b", "a"}, []string{"c", "b"}), nil, nil},
		{"a diamond", nodes([]string{"a"}, []string{"b", "a"}, []string{"c", "a"}, []string{"d", "b", "c"}), nil, nil},
		{"an unknown dependency", nodes([]string{"a", "x"}, []string{"b", "a"}), []Unknown{{0, "x"}}, nil},
		{"itself", nodes([]string{"a", "a"}), []Unknown{{0, "a"}}, nil},
		{"a cycle of two", nodes([]string{"a", "b"}, []string{"b", "a"}), nil, []string{"a", "b", "a"}},
		{"a cycle of three behind a root", nodes([]string{"root"}, []string{"a", "root", "c"}, []string{"b", "a"}, []string{"c", "b"}),
			nil, []string{"a", "b", "c", "a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			unknown, cycle := Check(tc.nodes)
			if diff := cmp.Diff(tc.unknown, unknown); diff != "" {
				t.Errorf("unknown (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.cycle, cycle); diff != "" {
				t.Errorf("cycle (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStarts(t *testing.T) {
	// infra (3 slots: prepare, review, deploy) and cache (2) in parallel,
	// then service (1) after both, then a test (1).
	ns := nodes([]string{"infra"}, []string{"cache"}, []string{"service", "infra", "cache"}, []string{"test", "service"})
	lengths := []int{3, 2, 1, 1}
	starts, total := Starts(ns, func(i int) int { return lengths[i] })
	if want := []int{0, 0, 3, 4}; !slices.Equal(starts, want) || total != 5 {
		t.Errorf("Starts = %v, %d; want %v, 5", starts, total, want)
	}
}

func TestBefore(t *testing.T) {
	ns := nodes([]string{"a"}, []string{"b", "a"}, []string{"c", "b"}, []string{"d"})
	for _, tc := range []struct {
		a, b int
		want bool
	}{{0, 2, true}, {1, 2, true}, {2, 0, false}, {3, 2, false}, {0, 0, false}} {
		if got := Before(ns, tc.a, tc.b); got != tc.want {
			t.Errorf("Before(%s, %s) = %v, want %v", ns[tc.a].Name, ns[tc.b].Name, got, tc.want)
		}
	}
}
