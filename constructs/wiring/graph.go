package wiring

import (
	"fmt"
	"sort"
	"strings"
)

// graph is the drawing both renderers share: nested groups (accounts,
// stacks, pipelines, stages) of nodes, and edges between nodes or groups.
type graph struct {
	groups []*group // top level
	nodes  []*node  // top level
	edges  []*edge
}

type group struct {
	id, label string
	class     string // "account", "stack", "pipeline", "stage"
	groups    []*group
	nodes     []*node
}

type node struct {
	id    string
	lines []string
	class string // "role", "external", "store", "subject", "action", "warning"
}

type edge struct {
	from, to string
	label    string
	style    string // "solid", "dotted", "thick", "link" (dotted, no arrow head)
	warn     bool
	// Kind orders the edges: trust, run, grant, match, stage order.
	kind int
}

const (
	kindNext = iota
	kindRun
	kindTrust
	kindGrant
	kindMatch
)

// ids hands out short, unique, deterministic identifiers.
type ids struct {
	used map[string]bool
	of   map[interface{}]string
}

func (i *ids) get(key interface{}, prefix, hint string) string {
	if id, ok := i.of[key]; ok {
		return id
	}
	var b strings.Builder
	b.WriteString(prefix)
	for _, r := range hint {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	base := strings.TrimSuffix(b.String(), "_")
	id := base
	for n := 2; i.used[id]; n++ {
		id = fmt.Sprintf("%s_%d", base, n)
	}
	i.used[id] = true
	i.of[key] = id
	return id
}

// graph lays the model out: each account a group with its stacks inside
// and the roles and stores of each stack; the subjects that belong to no
// account at the top; each pipeline a group of stages of actions.
func (m *Model) graph() *graph {
	g := &graph{}
	id := &ids{used: map[string]bool{}, of: map[interface{}]string{}}
	// A key that encrypts exactly one bucket of the assembly is drawn with
	// it, as one store.
	keyBuckets := map[*Key][]*Bucket{}
	for _, a := range m.Accounts {
		for _, s := range a.Stacks {
			for _, b := range s.Buckets {
				if b.Key != nil {
					keyBuckets[b.Key] = append(keyBuckets[b.Key], b)
				}
			}
		}
	}
	storeOf := map[interface{}]string{}
	for _, a := range m.Accounts {
		ag := &group{id: id.get(a, "acct_", strings.TrimPrefix(a.Label(), "account ")), label: a.Label(), class: "account"}
		for _, s := range a.Stacks {
			sg := &group{id: id.get(s, "stack_", s.Name), label: stackLabel(s), class: "stack"}
			for _, r := range s.Roles {
				hint := r.Name
				if !Resolved(hint) {
					hint = s.Name + "_" + r.LogicalID
				}
				sg.nodes = append(sg.nodes, &node{id: id.get(r, "role_", hint), lines: roleLines(r), class: "role"})
			}
			for _, b := range s.Buckets {
				hint := b.Name
				if !Resolved(hint) {
					hint = s.Name + "_" + b.LogicalID
				}
				n := &node{id: id.get(b, "bucket_", hint), class: "store", lines: []string{"bucket " + nameOr(b.Name, b.LogicalID)}}
				if b.Key != nil && len(keyBuckets[b.Key]) == 1 {
					n.lines = append(n.lines, "KMS key "+keyName(b.Key))
					storeOf[b.Key] = n.id
					n.lines = append(n.lines, b.Key.Services...)
				} else if b.Key != nil {
					n.lines = append(n.lines, "KMS key "+keyName(b.Key))
				}
				n.lines = append(n.lines, b.Services...)
				storeOf[b] = n.id
				sg.nodes = append(sg.nodes, n)
			}
			for _, k := range s.Keys {
				if _, drawn := storeOf[k]; drawn {
					continue
				}
				n := &node{id: id.get(k, "key_", s.Name+"_"+k.LogicalID), class: "store", lines: append([]string{"KMS key " + keyName(k)}, k.Services...)}
				storeOf[k] = n.id
				sg.nodes = append(sg.nodes, n)
			}
			ag.groups = append(ag.groups, sg)
		}
		for _, r := range a.External {
			kind := "role "
			if r.User {
				kind = "user "
			}
			ag.nodes = append(ag.nodes, &node{id: id.get(r, "ext_", a.ID+"_"+r.Name), class: "external",
				lines: []string{kind + Display(r.Name), "not created in this assembly"}})
		}
		for _, s := range m.Subjects {
			if s.Account == a {
				ag.nodes = append(ag.nodes, &node{id: id.get(s, "any_", a.ID), class: "subject", lines: subjectLines(s)})
			}
		}
		g.groups = append(g.groups, ag)
	}
	for _, s := range m.Subjects {
		if s.Account == nil {
			g.nodes = append(g.nodes, &node{id: id.get(s, "who_", s.Kind), class: "subject", lines: subjectLines(s)})
		}
	}
	for _, p := range m.Pipelines {
		g.pipeline(p, id, storeOf)
	}
	for _, t := range m.Trusts {
		label := "may assume" + pinText(t.Pins) + condText(t.Conditions, " if ")
		if t.MissingPermission {
			label += " · but its own policy lacks sts:AssumeRole on it"
		}
		g.edges = append(g.edges, &edge{from: id.of[fromKey(t.From, t.Subject)], to: id.of[t.To], label: label, style: "solid", warn: t.MissingPermission, kind: kindTrust})
	}
	g.grants(m, id, storeOf)
	for _, x := range m.Matches {
		g.edges = append(g.edges, &edge{from: id.of[x.Role], to: id.of[x.Subject], label: "matches", style: "link", kind: kindMatch})
	}
	g.collapse()
	sort.SliceStable(g.edges, func(i, j int) bool {
		a, b := g.edges[i], g.edges[j]
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		if a.from != b.from {
			return a.from < b.from
		}
		if a.to != b.to {
			return a.to < b.to
		}
		return a.label < b.label
	})
	return g
}

// collapse draws the roles of a stack that are alike (the same services,
// the same arrows in and out: one CodeBuild role per test suite, say) as
// one node that names them all.
func (g *graph) collapse() {
	replaced := map[string]string{}
	var walk func(gr *group)
	walk = func(gr *group) {
		for _, c := range gr.groups {
			walk(c)
		}
		if gr.class != "stack" {
			return
		}
		sigs := map[string][]*node{}
		var order []string
		for _, n := range gr.nodes {
			if n.class != "role" {
				continue
			}
			var sig []string
			for _, e := range g.edges {
				switch n.id {
				case e.from:
					sig = append(sig, "out|"+e.to+"|"+e.label+"|"+e.style)
				case e.to:
					sig = append(sig, "in|"+e.from+"|"+e.label+"|"+e.style)
				}
			}
			sort.Strings(sig)
			k := strings.Join(n.lines[1:], "\n") + "\n" + strings.Join(sig, "\n")
			if _, ok := sigs[k]; !ok {
				order = append(order, k)
			}
			sigs[k] = append(sigs[k], n)
		}
		drop := map[*node]bool{}
		for _, k := range order {
			alike := sigs[k]
			if len(alike) < 2 {
				continue
			}
			keep := alike[0]
			lines := []string{fmt.Sprintf("%d roles alike:", len(alike))}
			for _, n := range alike {
				lines = append(lines, strings.TrimPrefix(n.lines[0], "role "))
				if n != keep {
					drop[n] = true
					replaced[n.id] = keep.id
				}
			}
			keep.lines = append(lines, keep.lines[1:]...)
		}
		var nodes []*node
		for _, n := range gr.nodes {
			if !drop[n] {
				nodes = append(nodes, n)
			}
		}
		gr.nodes = nodes
	}
	for _, gr := range g.groups {
		walk(gr)
	}
	seen := map[edge]bool{}
	var edges []*edge
	for _, e := range g.edges {
		if r, ok := replaced[e.from]; ok {
			e.from = r
		}
		if r, ok := replaced[e.to]; ok {
			e.to = r
		}
		if !seen[*e] {
			seen[*e] = true
			edges = append(edges, e)
		}
	}
	g.edges = edges
}

func fromKey(r *Role, s *Subject) interface{} {
	if r != nil {
		return r
	}
	return s
}

func (g *graph) pipeline(p *Pipeline, id *ids, storeOf map[interface{}]string) {
	where := p.Stack.Account.Label() + " · " + orOpen(p.Stack.Region, "region")
	pg := &group{id: id.get(p, "pipeline_", Display(p.Name)), class: "pipeline",
		label: "pipeline " + nameOr(p.Name, p.LogicalID) + " · " + where}
	var prev *group
	for i, st := range p.Stages {
		sg := &group{id: id.get(st, "stage_", Display(p.Name)+"_"+st.Name), label: stageLabel(i+1, st), class: "stage"}
		// Actions that run alike (same provider, account, region and role)
		// are one node: a change set's Prepare and Deploy, say.
		type key struct {
			provider, account, region, targets string
			role                               *Role
			own, untrusted, notAllowed         bool
		}
		var order []key
		groups := map[key][]*Action{}
		for _, a := range st.Actions {
			k := key{a.Provider, a.Account, a.Region, a.Targets, a.Role, a.OwnRole, a.Untrusted, a.NotAllowed}
			if _, ok := groups[k]; !ok {
				order = append(order, k)
			}
			groups[k] = append(groups[k], a)
		}
		for _, k := range order {
			acts := groups[k]
			sort.SliceStable(acts, func(i, j int) bool { return acts[i].RunOrder < acts[j].RunOrder })
			// Actions of one run order run together (", "); later run
			// orders after them (" → ").
			var names strings.Builder
			for i, a := range acts {
				switch {
				case i == 0:
				case a.RunOrder == acts[i-1].RunOrder:
					names.WriteString(", ")
				default:
					names.WriteString(" → ")
				}
				names.WriteString(a.Name)
			}
			a := acts[0]
			n := &node{id: id.get(a, "action_", Display(p.Name)+"_"+st.Name+"_"+a.Name), class: "action",
				lines: []string{names.String(), a.Provider + " · " + orOpen(a.Account, "account") + " · " + orOpen(a.Region, "region")}}
			if a.Targets != "" {
				n.lines = append(n.lines, "to "+a.Targets)
			}
			if a.Untrusted {
				n.lines = append(n.lines, "⚠ its role does not trust the pipeline's role")
				n.class = "warning"
			}
			if a.NotAllowed {
				n.lines = append(n.lines, "⚠ the pipeline's role may not assume its role")
				n.class = "warning"
			}
			sg.nodes = append(sg.nodes, n)
			if a.OwnRole && a.Role != nil {
				g.edges = append(g.edges, &edge{from: n.id, to: id.of[a.Role], label: "runs as", style: "solid", warn: a.Untrusted || a.NotAllowed, kind: kindRun})
			}
			seen := map[*Role]bool{}
			for _, a := range acts {
				if a.ExecutionRole != nil && !seen[a.ExecutionRole] {
					seen[a.ExecutionRole] = true
					g.edges = append(g.edges, &edge{from: n.id, to: id.of[a.ExecutionRole], label: "passes to CloudFormation", style: "dotted", kind: kindRun})
				}
				if a.ProjectRole != nil && !seen[a.ProjectRole] {
					seen[a.ProjectRole] = true
					g.edges = append(g.edges, &edge{from: n.id, to: id.of[a.ProjectRole], label: "build runs as", style: "dotted", kind: kindRun})
				}
			}
		}
		pg.groups = append(pg.groups, sg)
		if prev != nil {
			g.edges = append(g.edges, &edge{from: prev.id, to: sg.id, style: "thick", kind: kindNext})
		}
		prev = sg
	}
	g.groups = append(g.groups, pg)
	if p.Role != nil {
		g.edges = append(g.edges, &edge{from: pg.id, to: id.of[p.Role], label: "runs as", style: "solid", kind: kindRun})
	}
	for _, as := range p.ArtifactStores {
		var to string
		switch {
		case as.Bucket != nil:
			to = storeOf[as.Bucket]
		case as.Key != nil:
			to = storeOf[as.Key]
		}
		if to != "" {
			g.edges = append(g.edges, &edge{from: pg.id, to: to, label: "artifacts " + as.Region, style: "dotted", kind: kindRun})
		}
	}
}

// grants draws one edge per principal, store and kind of policy: a key and
// its one bucket are one store, so their grants to the same principal merge.
func (g *graph) grants(m *Model, id *ids, storeOf map[interface{}]string) {
	type key struct {
		from, to, via string
	}
	type acc struct {
		bucket, key string
		vias, conds []string
		warn        bool
	}
	var order []key
	all := map[key]*acc{}
	for _, gr := range m.Grants {
		var to, what string
		if gr.Bucket != nil {
			to, what = storeOf[gr.Bucket], "bucket"
		} else {
			to, what = storeOf[gr.Key], "key"
		}
		via := "resource"
		if strings.HasPrefix(gr.Via, "role policy") {
			via = gr.Via
		}
		k := key{id.of[fromKey(gr.From, gr.Subject)], to, via}
		a, ok := all[k]
		if !ok {
			a = &acc{}
			all[k] = a
			order = append(order, k)
		}
		if what == "bucket" {
			a.bucket = join(a.bucket, gr.Access)
		} else {
			a.key = join(a.key, gr.Access)
		}
		a.vias = append(a.vias, gr.Via)
		if c := pinText(gr.Pins) + condText(gr.Conditions, " · if "); c != "" {
			a.conds = append(a.conds, c)
		}
		a.warn = a.warn || strings.Contains(gr.Via, "not admitted")
	}
	for _, k := range order {
		a := all[k]
		var access string
		switch {
		case a.bucket == "":
			access = a.key
		case a.key == "" || a.key == a.bucket:
			access = a.bucket
		default:
			access = "bucket " + a.bucket + ", key " + a.key
		}
		sort.Strings(a.vias)
		via := strings.Join(dedupe(a.vias), " and ")
		via = strings.Replace(via, "bucket policy and key policy", "bucket and key policies", 1)
		sort.Strings(a.conds)
		g.edges = append(g.edges, &edge{from: k.from, to: k.to, label: access + " · " + via + strings.Join(dedupe(a.conds), ""), style: "dotted", warn: a.warn, kind: kindGrant})
	}
}

func join(a, b string) string {
	if a == "" || a == b {
		return b
	}
	return a + ", " + b
}

func stackLabel(s *Stack) string {
	if s.StackSet != "" {
		regions := s.Region
		if len(s.Regions) > 0 {
			regions = strings.Join(s.Regions, ", ")
		}
		return "StackSet " + Display(s.StackSet) + " · " + orOpen(regions, "region") + " (defined in " + s.DefinedIn + ")"
	}
	return "stack " + s.Name + " · " + orOpen(s.Region, "region")
}

func stageLabel(n int, st *Stage) string {
	parts := []string{fmt.Sprintf("%d. %s", n, st.Name)}
	if len(st.BeforeEntry) > 0 {
		parts = append(parts, "entry: "+strings.Join(st.BeforeEntry, ", "))
	}
	if st.Disabled {
		t := "transition disabled"
		if st.DisabledReason != "" {
			t += ": " + st.DisabledReason
		}
		parts = append(parts, t)
	}
	if st.OnFailure != "" {
		parts = append(parts, "on failure: "+st.OnFailure)
	}
	return strings.Join(parts, " · ")
}

func roleLines(r *Role) []string {
	kind := "role "
	if r.User {
		kind = "user "
	}
	lines := []string{kind + nameOr(r.Name, r.LogicalID)}
	for _, s := range r.Services {
		lines = append(lines, "assumed by "+s)
	}
	for _, mp := range r.ManagedPolicyArns {
		lines = append(lines, "+ managed policy "+Display(arnName(mp)))
	}
	return lines
}

func subjectLines(s *Subject) []string {
	var lines []string
	switch s.Kind {
	case "pattern":
		lines = append(lines, "roles matching")
		for _, v := range s.Values {
			lines = append(lines, Display(v))
		}
		if len(s.Accounts) > 0 {
			lines = append(lines, "in account "+joinList(s.Accounts))
		}
		if len(s.OrgIDs) > 0 {
			lines = append(lines, "in organization "+joinList(s.OrgIDs))
		}
	case "organization":
		lines = append(lines, "any principal in organization "+joinList(displayAll(s.Values)))
		if len(s.Accounts) > 0 {
			lines = append(lines, "of account "+joinList(s.Accounts))
		}
	case "account":
		lines = append(lines, "any principal of "+Display(s.Values[0]), "that its IAM policies allow")
	case "anyone":
		lines = append(lines, "anyone (Principal *)")
	default:
		lines = append(lines, s.Kind+" "+Display(strings.Join(s.Values, ", ")))
	}
	return lines
}

func displayAll(v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = Display(s)
	}
	return out
}

func pinText(pins []Condition) string {
	if len(pins) == 0 {
		return ""
	}
	var parts []string
	for _, c := range pins {
		parts = append(parts, c.String())
	}
	return " · " + strings.Join(parts, ", ")
}

// nameOr is a resolved name, or the logical ID with "(generated name)".
func nameOr(name, logicalID string) string {
	if Resolved(name) && name != "" {
		return name
	}
	if logicalID == "" {
		return Display(name)
	}
	return logicalID + " (generated name)"
}

func keyName(k *Key) string {
	if len(k.Aliases) > 0 {
		return Display(k.Aliases[0])
	}
	return k.LogicalID
}

func orOpen(v, what string) string {
	if v == "" {
		return what + " not fixed"
	}
	return Display(v)
}
