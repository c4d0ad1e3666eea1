package wiring

import (
	"fmt"
	"strings"
)

// DOT renders the model as a Graphviz digraph (dot -Tsvg wiring.dot), with
// the same groups, nodes and arrows as Mermaid: accounts, stacks,
// pipelines and stages are clusters.
func DOT(m *Model) string {
	g := m.graph()
	var b strings.Builder
	b.WriteString("digraph wiring {\n")
	b.WriteString("  rankdir=LR; compound=true; newrank=true; nodesep=0.25; ranksep=0.6;\n")
	b.WriteString("  graph [fontname=\"Helvetica\", fontsize=11, style=\"rounded\"];\n")
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	for _, n := range m.Notes {
		fmt.Fprintf(&b, "  // not shown: %s\n", commentText(n))
	}
	// A group is an edge's end through its first node (lhead/ltail).
	anchor := map[string]string{}
	var first func(gr *group) string
	first = func(gr *group) string {
		if len(gr.nodes) > 0 {
			return gr.nodes[0].id
		}
		for _, c := range gr.groups {
			if f := first(c); f != "" {
				return f
			}
		}
		return ""
	}
	var writeGroup func(gr *group, indent string)
	writeNode := func(n *node, indent string) {
		st := dotStyle[n.class]
		fmt.Fprintf(&b, "%s%s [label=%s, fillcolor=%q, color=%q%s];\n", indent, n.id, dotText(n.lines), st.fill, st.stroke, st.extra)
	}
	writeGroup = func(gr *group, indent string) {
		anchor[gr.id] = first(gr)
		st := dotStyle[gr.class]
		fmt.Fprintf(&b, "%ssubgraph cluster_%s {\n", indent, gr.id)
		fmt.Fprintf(&b, "%s  label=%s; style=%q; fillcolor=%q; color=%q;\n", indent, dotText([]string{gr.label}), "rounded,filled"+st.extra, st.fill, st.stroke)
		for _, c := range gr.groups {
			writeGroup(c, indent+"  ")
		}
		for _, n := range gr.nodes {
			writeNode(n, indent+"  ")
		}
		b.WriteString(indent + "}\n")
	}
	for _, gr := range g.groups {
		writeGroup(gr, "  ")
	}
	for _, n := range g.nodes {
		writeNode(n, "  ")
	}
	for _, e := range g.edges {
		from, to := e.from, e.to
		var attrs []string
		if a, ok := anchor[from]; ok {
			from = a
			attrs = append(attrs, "ltail=cluster_"+e.from)
		}
		if a, ok := anchor[to]; ok {
			to = a
			attrs = append(attrs, "lhead=cluster_"+e.to)
		}
		if e.label != "" {
			attrs = append(attrs, "label="+dotText([]string{e.label}))
		}
		switch e.style {
		case "dotted":
			attrs = append(attrs, "style=dashed")
		case "thick":
			attrs = append(attrs, "penwidth=2.5")
		case "link":
			attrs = append(attrs, "style=dotted", "arrowhead=none")
		}
		if e.warn {
			attrs = append(attrs, `color="#c62828"`, `fontcolor="#c62828"`, "penwidth=2")
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", from, to, strings.Join(attrs, ", "))
	}
	b.WriteString("}\n")
	return b.String()
}

type dotColors struct{ fill, stroke, extra string }

var dotStyle = map[string]dotColors{
	"account":  {"#f7f9fc", "#5b6b82", ""},
	"stack":    {"#ffffff", "#9aa7b8", ",dashed"},
	"pipeline": {"#f3f8f2", "#4f7a48", ""},
	"stage":    {"#ffffff", "#8fb48a", ""},
	"role":     {"#e8f0fe", "#3b6fd1", ""},
	"external": {"#f1f1f1", "#777777", `, style="rounded,filled,dashed"`},
	"store":    {"#fff4e0", "#c98a1a", ""},
	"subject":  {"#f5ecff", "#7a4cc2", ""},
	"action":   {"#ffffff", "#4f7a48", ""},
	"warning":  {"#fdecea", "#c62828", ""},
}

// dotText is a quoted DOT string of lines, each centred.
func dotText(lines []string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, l := range lines {
		if i > 0 {
			b.WriteString(`\n`)
		}
		for _, r := range l {
			switch r {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteRune(r)
			case '\n':
				b.WriteString(`\n`)
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
