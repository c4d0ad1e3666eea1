package wiring

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Mermaid renders the model as a Mermaid flowchart (the text of a .mmd
// file, or of a ```mermaid block that GitHub renders). Accounts and stacks
// are subgraphs, pipelines subgraphs of stages; arrows: "may assume"
// (trust), "runs as" (a pipeline or action and its role), dotted grants on
// keys and buckets, dotted "matches" from a role to the pattern that admits
// it, thick arrows from stage to stage. Warnings (a trust the trusted role
// cannot use, an action whose role does not trust the pipeline) are red.
func Mermaid(m *Model) string {
	g := m.graph()
	var b strings.Builder
	// Labels wrap at 400 px instead of Mermaid's 200: ARNs and action
	// names stay on one line.
	b.WriteString("---\nconfig:\n  flowchart:\n    wrappingWidth: 400\n---\n")
	b.WriteString("flowchart TB\n")
	for _, n := range m.Notes {
		fmt.Fprintf(&b, "  %%%% not shown: %s\n", commentText(n))
	}
	classes := map[string][]string{}
	var writeGroup func(gr *group, indent string)
	writeNode := func(n *node, indent string) {
		fmt.Fprintf(&b, "%s%s[\"%s\"]\n", indent, n.id, mermaidLines(n.lines))
		classes[n.class] = append(classes[n.class], n.id)
	}
	writeGroup = func(gr *group, indent string) {
		fmt.Fprintf(&b, "%ssubgraph %s[\"%s\"]\n", indent, gr.id, mermaidText(gr.label))
		for _, c := range gr.groups {
			writeGroup(c, indent+"  ")
		}
		for _, n := range gr.nodes {
			writeNode(n, indent+"  ")
		}
		b.WriteString(indent + "end\n")
		classes[gr.class] = append(classes[gr.class], gr.id)
	}
	for _, gr := range g.groups {
		writeGroup(gr, "  ")
	}
	for _, n := range g.nodes {
		writeNode(n, "  ")
	}
	var warn []string
	for i, e := range g.edges {
		arrow := map[string]string{"solid": "-->", "dotted": "-.->", "thick": "==>", "link": "-.-"}[e.style]
		if e.label == "" {
			fmt.Fprintf(&b, "  %s %s %s\n", e.from, arrow, e.to)
		} else {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", e.from, arrow, mermaidText(e.label), e.to)
		}
		if e.warn {
			warn = append(warn, fmt.Sprint(i))
		}
	}
	for _, c := range []string{"account", "stack", "pipeline", "stage", "role", "external", "store", "subject", "action", "warning"} {
		fmt.Fprintf(&b, "  classDef %s %s\n", c, mermaidStyle[c])
	}
	names := make([]string, 0, len(classes))
	for c := range classes {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		fmt.Fprintf(&b, "  class %s %s\n", strings.Join(classes[c], ","), c)
	}
	if len(warn) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:#c62828,stroke-width:2px,color:#c62828\n", strings.Join(warn, ","))
	}
	return b.String()
}

var mermaidStyle = map[string]string{
	"account":  "fill:#f7f9fc,stroke:#5b6b82,color:#1f2a37",
	"stack":    "fill:#ffffff,stroke:#9aa7b8,stroke-dasharray:4 3,color:#1f2a37",
	"pipeline": "fill:#f3f8f2,stroke:#4f7a48,color:#1f2a37",
	"stage":    "fill:#ffffff,stroke:#8fb48a,color:#1f2a37",
	"role":     "fill:#e8f0fe,stroke:#3b6fd1,color:#0d2a5c",
	"external": "fill:#f1f1f1,stroke:#777,stroke-dasharray:3 3,color:#333",
	"store":    "fill:#fff4e0,stroke:#c98a1a,color:#4a3000",
	"subject":  "fill:#f5ecff,stroke:#7a4cc2,color:#2e1760",
	"action":   "fill:#ffffff,stroke:#4f7a48,color:#1f2a37",
	"warning":  "fill:#fdecea,stroke:#c62828,color:#5f1111",
}

// mermaidLines is a node's lines as one quoted label, joined by <br/>.
// commentText makes s one line of a Mermaid (%%) or DOT (//) comment:
// every character that a parser may take as the end of a line (carriage
// return as well as newline: Mermaid's lexer ends a line at either, and a
// stack name with "\r}" ended the comment and broke the diagram) becomes
// a space.
func commentText(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
			return ' '
		}
		return r
	}, s)
}

func mermaidLines(lines []string) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = mermaidText(l)
	}
	return strings.Join(out, "<br/>")
}

// mermaidText escapes text for a quoted Mermaid label: quotes, angle
// brackets (labels are HTML), "#" (entity codes), "|" (edge labels) and
// backquotes (Markdown strings) become entity codes.
func mermaidText(p string) string {
	var b strings.Builder
	for _, r := range p {
		if code, ok := mermaidEntity[r]; ok {
			b.WriteString(code)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var mermaidEntity = map[rune]string{'#': "#35;", '"': "#quot;", '<': "#lt;", '>': "#gt;", '&': "#amp;", '|': "#124;", '`': "#96;"}

// Mermaid's default limits, which GitHub keeps and a diagram cannot raise
// (maxEdges and maxTextSize are secure settings,
// https://mermaid.js.org/config/schema-docs/config.html).
const (
	MermaidMaxEdges    = 500
	MermaidMaxTextSize = 50000
)

// MermaidLimits reports why Mermaid, with its default settings, would refuse
// to render text (a Mermaid returns): more than MermaidMaxEdges arrows or
// more than MermaidMaxTextSize characters. nil when it fits. The DOT text
// of the same model has no such limit.
func MermaidLimits(text string) error {
	edges := 0
	for _, l := range strings.Split(text, "\n") {
		if mermaidEdge.MatchString(l) {
			edges++
		}
	}
	var problems []string
	if edges > MermaidMaxEdges {
		problems = append(problems, fmt.Sprintf("%d arrows, and Mermaid draws at most %d", edges, MermaidMaxEdges))
	}
	if n := len([]rune(text)); n > MermaidMaxTextSize {
		problems = append(problems, fmt.Sprintf("%d characters, and Mermaid reads at most %d", n, MermaidMaxTextSize))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("the Mermaid diagram has %s by default (GitHub too): render the DOT file instead (dot -Tsvg wiring.dot -o wiring.svg)", strings.Join(problems, " and "))
}

var mermaidEdge = regexp.MustCompile(`^  [A-Za-z0-9_]+ (-->|-\.->|==>|-\.-)`)
