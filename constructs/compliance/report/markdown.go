package report

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/relaycdk/relay/constructs/compliance/controltower"
)

// Markdown renders the report: a summary table, then each control with its
// evidence and gaps, the cdk-nag packs, and the Control Tower rules; the
// title is a level-1 heading.
func (r *Report) Markdown() []byte { return r.MarkdownAt(1) }

// MarkdownAt is Markdown with the title at heading level top (1 to 5) and
// the sections one level below, to embed the report in another document.
func (r *Report) MarkdownAt(top int) []byte {
	var b bytes.Buffer
	w := func(format string, args ...interface{}) { fmt.Fprintf(&b, format, args...) }
	h1, h2 := strings.Repeat("#", top), strings.Repeat("#", top+1)
	w("%s Compliance report\n\n", h1)
	w("Stacks: %s. Controls: %d met, %d partial, %d missing.\n\n", strings.Join(r.Stacks, ", "), r.Summary[Met], r.Summary[Partial], r.Summary[Missing])
	w("| Framework | Control | Status | Evidence | Gaps |\n|---|---|---|---|---|\n")
	for _, c := range r.Controls {
		w("| %s | %s %s | %s | %d | %d |\n", c.Framework, c.ID, cell(c.Title), c.Status, len(c.Evidence), len(c.Gaps))
	}
	for _, c := range r.Controls {
		w("\n%s %s %s: %s (%s)\n\n", h2, c.Framework, c.ID, c.Title, c.Status)
		for _, e := range c.Evidence {
			where := e.Stack
			if e.Resource != "" {
				where += "/" + e.Resource
			}
			if where != "" {
				w("- `%s`: %s\n", where, e.Fact)
			} else {
				w("- %s\n", e.Fact)
			}
		}
		for _, g := range c.Gaps {
			w("- **Gap:** %s\n", g)
		}
	}
	w("\n%s cdk-nag rule packs\n\n", h2)
	w("| Pack | Ran over every stack | Passed | Compliant | Suppressed (with reasons) | Non-compliant |\n|---|---|---|---|---|---|\n")
	for _, p := range r.Packs {
		w("| %s | %s | %s | %d | %d | %d |\n", p.Pack, yes(p.Ran), yes(p.Passed), p.Compliant, p.Suppressed, p.NonCompliant)
	}
	for _, p := range r.Packs {
		if !p.Ran {
			w("\n- **Missing:** %s did not run over every stack: synthesize with `-c nag=all` (make compliance-report does).\n", p.Pack)
		}
	}
	var rules []string
	for _, p := range r.Packs {
		for rule, n := range p.Suppressions {
			rules = append(rules, fmt.Sprintf("%s (%d)", rule, n))
		}
	}
	if len(rules) > 0 {
		sort.Strings(rules)
		w("\nSuppressed rules, each with its reason in the resource's `cdk_nag` metadata: %s.\n", strings.Join(rules, ", "))
	}
	w("\n%s AWS Control Tower proactive controls\n\n", h2)
	if ct := r.ControlTower; ct == nil {
		w("- **Missing:** not run; `make compliance-report` runs them with the cfn-guard of `make tools`.\n")
	} else {
		w("%d rules over every template: %d violations, %d without an exception.\n\n", ct.Rules, len(ct.Violations), ct.Unexcepted)
		if len(ct.Excepted) > 0 {
			w("| Control | Resource | Resources | Why it does not apply |\n|---|---|---|---|\n")
			for _, e := range ct.Excepted {
				w("| %s | %s | %d | %s |\n", e.Control, e.Resource, e.Count, cell(e.Reason))
			}
		}
		for _, v := range ct.Violations {
			if _, ok := controltower.Excepted(v); !ok {
				w("- **Violation:** %s\n", v)
			}
		}
	}
	return b.Bytes()
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}
