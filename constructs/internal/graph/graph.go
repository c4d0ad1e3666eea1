// Package graph orders the parts of one deployment (stacks, releases and
// steps) by the dependencies they declare, in pure Go: config validation
// and the release plan share it, so that both name the same unknown
// dependency and the same cycle.
package graph

import "slices"

// Node is one part of a deployment: its name, unique among the nodes, and
// the names of the nodes that must finish before it starts.
type Node struct {
	Name      string
	DependsOn []string
}

// Unknown is a dependency that names no node: Node indexes the nodes, Dep
// is the name written.
type Unknown struct {
	Node int
	Dep  string
}

// Check reports the dependencies that name no node (or the node itself),
// in order, and one cycle among the rest, as the names along it with the
// first repeated at the end (a -> b -> a), or nil.
func Check(nodes []Node) (unknown []Unknown, cycle []string) {
	index := indexOf(nodes)
	for i, n := range nodes {
		for _, d := range n.DependsOn {
			if j, ok := index[d]; !ok || j == i {
				unknown = append(unknown, Unknown{Node: i, Dep: d})
			}
		}
	}
	// Depth-first search over the known edges; a node met again while on
	// the stack closes a cycle.
	const (
		unseen = iota
		onStack
		done
	)
	state := make([]int, len(nodes))
	var stack []int
	var visit func(i int) []string
	visit = func(i int) []string {
		state[i] = onStack
		stack = append(stack, i)
		for _, d := range nodes[i].DependsOn {
			j, ok := index[d]
			if !ok || j == i {
				continue
			}
			switch state[j] {
			case onStack:
				at := slices.Index(stack, j)
				var names []string
				for _, k := range stack[at:] {
					names = append(names, nodes[k].Name)
				}
				return append(names, nodes[j].Name)
			case unseen:
				if c := visit(j); c != nil {
					return c
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[i] = done
		return nil
	}
	for i := range nodes {
		if state[i] == unseen {
			if c := visit(i); c != nil {
				// Dependencies point backwards in time: reverse so that the
				// cycle reads in run order.
				slices.Reverse(c)
				return unknown, c
			}
		}
	}
	return unknown, nil
}

// Starts schedules nodes that passed Check: node i occupies length(i)
// consecutive slots and starts at the first slot after every node it
// depends on has ended (0 without dependencies), so that independent nodes
// run in parallel. It returns each node's first slot and the slots used in
// all.
func Starts(nodes []Node, length func(i int) int) (starts []int, total int) {
	index := indexOf(nodes)
	starts = make([]int, len(nodes))
	known := make([]bool, len(nodes))
	var start func(i int) int
	start = func(i int) int {
		if known[i] {
			return starts[i]
		}
		s := 0
		for _, d := range nodes[i].DependsOn {
			if j, ok := index[d]; ok && j != i {
				s = max(s, start(j)+length(j))
			}
		}
		starts[i], known[i] = s, true
		return s
	}
	for i := range nodes {
		total = max(total, start(i)+length(i))
	}
	return starts, total
}

// Before reports whether node a must finish before node b starts: b
// depends on a, directly or through other nodes.
func Before(nodes []Node, a, b int) bool {
	index := indexOf(nodes)
	seen := make([]bool, len(nodes))
	var reach func(i int) bool
	reach = func(i int) bool {
		for _, d := range nodes[i].DependsOn {
			j, ok := index[d]
			if !ok || seen[j] {
				continue
			}
			seen[j] = true
			if j == a || reach(j) {
				return true
			}
		}
		return false
	}
	return reach(b)
}

func indexOf(nodes []Node) map[string]int {
	index := make(map[string]int, len(nodes))
	for i, n := range nodes {
		if _, dup := index[n.Name]; !dup {
			index[n.Name] = i
		}
	}
	return index
}

// Step is a step of a deployment as the graph sees it: its name, and
// Before or the names it depends on (exclusive).
type Step struct {
	Name      string
	Before    bool
	DependsOn []string
}

// Deployment is the graph of a deployment's parts (releases, in order,
// with their own dependencies) and steps, parts first: every part waits
// for the steps that run Before; those run one after another, in order; a
// step with DependsOn waits for those; every other step runs after all
// parts and placed steps, one after another, in order. A part named ""
// (the one release of a deployment) is waited for like the others.
func Deployment(parts []Node, steps []Step) []Node {
	var before, rest []string
	for _, s := range steps {
		if s.Before && len(s.DependsOn) == 0 {
			before = append(before, s.Name)
		}
	}
	for _, p := range parts {
		rest = append(rest, p.Name)
	}
	for _, s := range steps {
		if len(s.DependsOn) > 0 {
			rest = append(rest, s.Name)
		}
	}
	var out []Node
	for _, p := range parts {
		out = append(out, Node{Name: p.Name, DependsOn: append(slices.Clone(p.DependsOn), before...)})
	}
	var lastBefore, lastAfter string
	for _, s := range steps {
		n := Node{Name: s.Name, DependsOn: slices.Clone(s.DependsOn)}
		switch {
		case len(s.DependsOn) > 0:
		case s.Before:
			if lastBefore != "" {
				n.DependsOn = []string{lastBefore}
			}
			lastBefore = s.Name
		default:
			n.DependsOn = slices.Clone(rest)
			if lastAfter != "" {
				n.DependsOn = append(n.DependsOn, lastAfter)
			}
			lastAfter = s.Name
		}
		out = append(out, n)
	}
	return out
}
