package wiring

import (
	"sort"
	"strings"
)

// who is one principal a statement admits: a role, or a subject.
type who struct {
	role   *Role
	subj   *Subject
	pins   []Condition
	direct bool // the Principal element names the role itself
}

func (w who) key() string {
	if w.role != nil {
		return "r" + roleKey(w.role)
	}
	return "s" + subjectKey(w.subj)
}

// positive reports whether a condition operator admits only the listed
// values (so that it narrows who a principal is).
func positive(op string) bool {
	op = strings.TrimPrefix(op, "ForAnyValue:")
	switch op {
	case "ArnEquals", "ArnLike", "StringEquals", "StringLike":
		return true
	}
	return false
}

// who splits a statement's principals into the roles and subjects it
// admits, the services it admits, and the conditions that do not narrow
// the principal (rest).
func (b *builder) who(st Statement) (ws []who, services []string, rest []Condition) {
	var arnC, orgC, acctC []Condition
	for _, c := range st.Conditions {
		switch k := strings.ToLower(c.Key); {
		case k == "aws:principalarn" && positive(c.Operator):
			arnC = append(arnC, c)
		case k == "aws:principalorgid" && positive(c.Operator):
			orgC = append(orgC, c)
		case k == "aws:principalaccount" && positive(c.Operator):
			acctC = append(acctC, c)
		default:
			rest = append(rest, c)
		}
	}
	var roots, direct []string
	star := false
	for _, p := range st.Principals {
		switch p.Kind {
		case "Service":
			services = append(services, p.Value)
		case "Federated":
			ws = append(ws, who{subj: b.subject("federated", []string{p.Value}, nil, nil)})
		case "CanonicalUser":
			ws = append(ws, who{subj: b.subject("canonical user", []string{p.Value}, nil, nil)})
		case "AWS":
			switch {
			case p.Value == "*":
				star = true
			case isRoot(p.Value):
				roots = append(roots, arnAccount(p.Value))
			default:
				direct = append(direct, p.Value)
			}
		}
	}
	pins := append(append(append([]Condition(nil), arnC...), orgC...), acctC...)
	if !star && len(roots) == 0 && len(direct) == 0 {
		return ws, services, append(rest, pins...)
	}
	orgs, accts := condValues(orgC), condValues(acctC)
	switch {
	case len(arnC) > 0:
		restrict := accts
		if !star {
			restrict = roots
		}
		var patterns []string
		for _, v := range condValues(arnC) {
			if isPattern(v) {
				patterns = append(patterns, v)
			} else {
				ws = append(ws, who{role: b.roleByARN(v), pins: pins})
			}
		}
		if len(patterns) > 0 {
			ws = append(ws, who{subj: b.subject("pattern", patterns, restrict, orgs), pins: pins})
		}
	case star && len(orgs) > 0:
		ws = append(ws, who{subj: b.subject("organization", orgs, accts, nil), pins: pins})
	case star && len(accts) > 0:
		for _, a := range accts {
			ws = append(ws, who{subj: b.subject("account", []string{a}, nil, nil), pins: pins})
		}
	case star:
		ws = append(ws, who{subj: b.subject("anyone", nil, nil, nil), pins: pins})
	default:
		for _, a := range roots {
			ws = append(ws, who{subj: b.subject("account", []string{a}, nil, nil), pins: pins})
		}
		for _, d := range direct {
			ws = append(ws, who{role: b.roleByARN(d), pins: pins, direct: true})
		}
	}
	return ws, services, rest
}

func isRoot(arn string) bool {
	return strings.HasPrefix(arn, "arn:") && strings.HasSuffix(arn, ":root") && strings.Count(arn, ":") == 5
}

// isPattern reports whether v has an IAM wildcard outside its open parts.
func isPattern(v string) bool {
	for _, t := range tokens(v) {
		if !t.hole && (t.r == '*' || t.r == '?') {
			return true
		}
	}
	return false
}

func condValues(cs []Condition) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Values...)
	}
	sort.Strings(out)
	return dedupe(out)
}

func dedupe(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func (b *builder) subject(kind string, values, accounts, orgs []string) *Subject {
	values = dedupe(sorted(values))
	s := &Subject{Kind: kind, Values: values, Accounts: dedupe(sorted(accounts)), OrgIDs: dedupe(sorted(orgs))}
	k := subjectKey(s)
	if got, ok := b.subjects[k]; ok {
		return got
	}
	if kind == "account" {
		s.Account = b.accountID(values[0])
	}
	b.subjects[k] = s
	b.m.Subjects = append(b.m.Subjects, s)
	return s
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func subjectKey(s *Subject) string {
	return s.Kind + "|" + strings.Join(s.Values, ",") + "|" + strings.Join(s.Accounts, ",") + "|" + strings.Join(s.OrgIDs, ",")
}

func roleKey(r *Role) string {
	if r.Stack != nil {
		return r.Account.Label() + "|" + r.Stack.Name + "|" + r.LogicalID + "|" + r.ARN
	}
	return r.Account.Label() + "|~|" + r.ARN
}

// assumes reports whether a trust statement lets its principals assume the
// role.
func assumes(st Statement) bool {
	for _, a := range []string{"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"} {
		if st.allowsAction(a) {
			return true
		}
	}
	return false
}

func (b *builder) trusts() {
	for _, r := range b.roles {
		if r.External() {
			continue
		}
		for _, st := range r.Trust {
			if !assumes(st) {
				continue
			}
			ws, services, rest := b.who(st)
			for _, svc := range services {
				r.Services = append(r.Services, svc+condText(rest, " if "))
			}
			for _, w := range ws {
				t := &Trust{From: w.role, Subject: w.subj, To: r, Pins: w.pins, Conditions: rest}
				if w.role != nil && !w.role.External() && !(w.direct && w.role.Account == r.Account) {
					t.MissingPermission = allows(w.role, "sts:AssumeRole", r.ARN) == no
				}
				b.m.Trusts = append(b.m.Trusts, t)
			}
		}
	}
}

// allows says whether a role's own policies allow action on arn. Managed
// policies defined outside the assembly make a "no" a "maybe".
func allows(r *Role, action, arn string) match {
	m := no
	if len(r.ManagedPolicyArns) > 0 {
		m = maybe
	}
	for _, st := range r.Policies {
		if !st.allowsAction(action) {
			continue
		}
		switch st.coversResource(arn) {
		case yes:
			return yes
		case maybe:
			m = maybe
		}
	}
	return m
}

// includes says whether a trusted or granted principal can be role.
func includes(w who, r *Role) match {
	if w.role != nil {
		if w.role == r {
			return yes
		}
		return no
	}
	s := w.subj
	switch s.Kind {
	case "pattern":
		return s.matches(r)
	case "organization":
		return maybe
	case "account":
		if r.Account.ID == "" {
			return maybe
		}
		if r.Account.ID == s.Values[0] {
			return yes
		}
		return no
	case "anyone":
		return yes
	}
	return no
}

// matches says whether a pattern subject matches a role's ARN and account.
func (s *Subject) matches(r *Role) match {
	m := no
	for _, v := range s.Values {
		switch globMatch(v, r.ARN) {
		case yes:
			m = yes
		case maybe:
			if m == no {
				m = maybe
			}
		}
	}
	if m != no && len(s.Accounts) > 0 {
		switch {
		case r.Account.ID == "":
			m = maybe
		case !contains(s.Accounts, r.Account.ID):
			m = no
		}
	}
	return m
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Access classification: the representative actions of each kind of use.
type accessReps struct {
	service            string
	read, write, admin []string
}

var (
	kmsAccess = accessReps{"kms", []string{"kms:Decrypt"}, []string{"kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptTo"}, []string{"kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"}}
	s3Access  = accessReps{"s3", []string{"s3:GetObject", "s3:ListBucket"}, []string{"s3:PutObject", "s3:DeleteObject"}, []string{"s3:PutBucketPolicy", "s3:DeleteBucket"}}
)

type access struct {
	read, write, admin bool
	other              []string
}

func (a *access) add(reps accessReps, st Statement) {
	any := func(actions []string) bool {
		for _, x := range actions {
			if st.allowsAction(x) {
				return true
			}
		}
		return false
	}
	a.read = a.read || any(reps.read)
	a.write = a.write || any(reps.write)
	a.admin = a.admin || any(reps.admin)
	for _, x := range st.Actions {
		if strings.HasPrefix(strings.ToLower(x), reps.service+":") {
			a.other = append(a.other, x)
		}
	}
}

func (a access) none() bool { return !a.read && !a.write && !a.admin && len(a.other) == 0 }

func (a access) String() string {
	switch {
	case a.admin:
		return "full"
	case a.read && a.write:
		return "read/write"
	case a.read:
		return "read"
	case a.write:
		return "write"
	}
	return strings.Join(dedupe(sorted(a.other)), ", ")
}

// objectsOf is an ARN standing for every object of a bucket.
func objectsOf(bucketARN string) string {
	return bucketARN + "/" + string(holeStart) + "objects|object key" + string(holeEnd)
}

type grantAcc struct {
	g   *Grant
	acc access
}

func (b *builder) storeGrants() {
	acc := map[string]*grantAcc{}
	var order []string
	add := func(w who, k *Key, bk *Bucket, reps accessReps, st Statement, via string, rest []Condition) {
		var target string
		if bk != nil {
			target = "b" + bk.ARN + bk.Stack.Name
		} else {
			target = "k" + k.keyString()
		}
		id := w.key() + "|" + target + "|" + via + "|" + condText(w.pins, "") + "|" + condText(rest, "")
		g, ok := acc[id]
		if !ok {
			g = &grantAcc{g: &Grant{From: w.role, Subject: w.subj, Key: k, Bucket: bk, Via: via, Pins: w.pins, Conditions: rest}}
			acc[id] = g
			order = append(order, id)
		}
		g.acc.add(reps, st)
	}
	// Resource policies.
	for _, k := range b.keys {
		for _, st := range k.Policy {
			var a access
			a.add(kmsAccess, st)
			if a.none() {
				continue
			}
			ws, services, rest := b.who(st)
			for _, svc := range services {
				k.Services = append(k.Services, svc+": "+a.String())
			}
			for _, w := range ws {
				if w.subj != nil && w.subj.Kind == "account" && w.subj.Values[0] == k.Stack.Account.ID && a.admin && len(rest) == 0 {
					k.IAMEnabled = true
					continue
				}
				add(w, k, nil, kmsAccess, st, "key policy", rest)
			}
		}
	}
	for _, bk := range b.buckets {
		for _, st := range bk.Policy {
			if st.coversResource(bk.ARN) == no && st.coversResource(objectsOf(bk.ARN)) == no {
				continue
			}
			var a access
			a.add(s3Access, st)
			if a.none() {
				continue
			}
			ws, services, rest := b.who(st)
			for _, svc := range services {
				bk.Services = append(bk.Services, svc+": "+a.String())
			}
			for _, w := range ws {
				add(w, nil, bk, s3Access, st, "bucket policy", rest)
			}
		}
	}
	// Who the resource policies admit, for the roles' own grants below.
	admitted := func(r *Role, k *Key, bk *Bucket) match {
		m := no
		for _, id := range order {
			g := acc[id].g
			if g.Key != k || g.Bucket != bk {
				continue
			}
			switch includes(who{role: g.From, subj: g.Subject}, r) {
			case yes:
				return yes
			case maybe:
				m = maybe
			}
		}
		return m
	}
	// Whether a resource policy admits anyone outside the resource's
	// account (service principals aside).
	sharedOutside := func(k *Key, bk *Bucket, home *Account) bool {
		for _, id := range order {
			g := acc[id].g
			if g.Key != k || g.Bucket != bk {
				continue
			}
			if g.From != nil && g.From.Account != home {
				return true
			}
			if s := g.Subject; s != nil && (s.Kind != "account" || len(s.Values) == 0 || s.Values[0] != home.ID) {
				return true
			}
		}
		return false
	}
	// The roles' own policies.
	for _, r := range b.roles {
		for _, k := range b.keys {
			var stmts []Statement
			for _, st := range r.Policies {
				if st.coversResource(k.ARN) == yes {
					stmts = append(stmts, st)
				}
			}
			b.ownGrant(add, r, k, nil, stmts, kmsAccess, admitted, sharedOutside)
		}
		for _, bk := range b.buckets {
			var stmts []Statement
			for _, st := range r.Policies {
				if st.coversResource(bk.ARN) == yes || st.coversResource(objectsOf(bk.ARN)) == yes {
					stmts = append(stmts, st)
				}
			}
			b.ownGrant(add, r, nil, bk, stmts, s3Access, admitted, sharedOutside)
		}
	}
	for _, id := range order {
		g := acc[id]
		if g.acc.none() {
			continue
		}
		g.g.Access = g.acc.String()
		b.m.Grants = append(b.m.Grants, g.g)
	}
}

// ownGrant records what a role's own statements allow on a key or bucket.
// Across accounts, and for a key whose policy does not defer to IAM, the
// resource policy must admit the role too: when it definitely does not,
// the grant is marked Unadmitted.
//
// A role of another account whose statements merely cover a resource that
// admits no one outside its own account (such as a notification or audit
// key next to the artifact store, covered by a key/* pattern) has no
// access and was never meant to: that is breadth of the role's pattern,
// not a missing admission, and is not drawn.
func (b *builder) ownGrant(add func(who, *Key, *Bucket, accessReps, Statement, string, []Condition), r *Role, k *Key, bk *Bucket, stmts []Statement, reps accessReps, admitted func(*Role, *Key, *Bucket) match, sharedOutside func(*Key, *Bucket, *Account) bool) {
	var home *Account
	if k != nil {
		home = k.Stack.Account
	} else {
		home = bk.Stack.Account
	}
	if r.Account != home && !sharedOutside(k, bk, home) {
		return
	}
	for _, st := range stmts {
		var a access
		a.add(reps, st)
		if a.none() {
			continue
		}
		needsPolicy := r.Account != home || (k != nil && !k.IAMEnabled)
		via := "role policy"
		if needsPolicy && admitted(r, k, bk) == no {
			if k != nil {
				via += ", not admitted by the key policy"
			} else {
				via += ", not admitted by the bucket policy"
			}
		}
		add(who{role: r}, k, bk, reps, st, via, st.Conditions)
	}
}

func (k *Key) keyString() string { return k.ARN + k.Stack.Name + k.LogicalID }

func (b *builder) matches() {
	for _, s := range b.m.Subjects {
		if s.Kind != "pattern" {
			continue
		}
		for _, r := range b.roles {
			if s.matches(r) == yes {
				b.m.Matches = append(b.m.Matches, &Match{Role: r, Subject: s})
			}
		}
	}
}

// checkActions marks actions whose role does not trust the pipeline's role,
// or that the pipeline's role may not assume.
func (b *builder) checkActions() {
	for _, p := range b.m.Pipelines {
		if p.Role == nil {
			continue
		}
		for _, st := range p.Stages {
			for _, a := range st.Actions {
				if !a.OwnRole || a.Role == nil || a.Role == p.Role {
					continue
				}
				if !a.Role.External() {
					m := no
					for _, t := range b.m.Trusts {
						if t.To != a.Role {
							continue
						}
						if i := includes(who{role: t.From, subj: t.Subject}, p.Role); i > m {
							m = i
						}
					}
					a.Untrusted = m == no
				}
				if !p.Role.External() {
					a.NotAllowed = allows(p.Role, "sts:AssumeRole", a.Role.ARN) == no
				}
			}
		}
	}
}

func condText(cs []Condition, prefix string) string {
	if len(cs) == 0 {
		return ""
	}
	var parts []string
	for _, c := range cs {
		parts = append(parts, c.Operator+" "+c.Key+" "+Display(strings.Join(c.Values, ", ")))
	}
	return prefix + strings.Join(parts, "; ")
}

func (b *builder) sortAll() {
	m := b.m
	m.Accounts = m.Accounts[:0]
	keys := make([]string, 0, len(b.accounts))
	for k := range b.accounts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a := b.accounts[k]
		sort.SliceStable(a.Stacks, func(i, j int) bool {
			if a.Stacks[i].Name != a.Stacks[j].Name {
				return a.Stacks[i].Name < a.Stacks[j].Name
			}
			return a.Stacks[i].Region < a.Stacks[j].Region
		})
		sort.SliceStable(a.External, func(i, j int) bool { return a.External[i].ARN < a.External[j].ARN })
		for _, s := range a.Stacks {
			sort.SliceStable(s.Roles, func(i, j int) bool { return s.Roles[i].LogicalID < s.Roles[j].LogicalID })
			for _, r := range s.Roles {
				sort.Strings(r.Services)
				r.Services = dedupe(r.Services)
			}
			for _, k := range s.Keys {
				sort.Strings(k.Aliases)
				sort.Strings(k.Services)
				k.Services = dedupe(k.Services)
			}
			for _, bk := range s.Buckets {
				sort.Strings(bk.Services)
				bk.Services = dedupe(bk.Services)
			}
		}
		m.Accounts = append(m.Accounts, a)
	}
	// Subjects that no arrow starts from (the key policy statement that
	// defers to IAM, say) are not drawn.
	used := map[*Subject]bool{}
	for _, t := range m.Trusts {
		used[t.Subject] = true
	}
	for _, gr := range m.Grants {
		used[gr.Subject] = true
	}
	var subjects []*Subject
	for _, s := range m.Subjects {
		if used[s] {
			subjects = append(subjects, s)
		}
	}
	m.Subjects = subjects
	sort.SliceStable(m.Subjects, func(i, j int) bool { return subjectKey(m.Subjects[i]) < subjectKey(m.Subjects[j]) })
	whoKey := func(r *Role, s *Subject) string { return who{role: r, subj: s}.key() }
	sort.SliceStable(m.Trusts, func(i, j int) bool {
		a, c := m.Trusts[i], m.Trusts[j]
		return roleKey(a.To)+whoKey(a.From, a.Subject) < roleKey(c.To)+whoKey(c.From, c.Subject)
	})
	target := func(g *Grant) string {
		if g.Key != nil {
			return "k" + g.Key.keyString()
		}
		return "b" + g.Bucket.ARN + g.Bucket.Stack.Name
	}
	sort.SliceStable(m.Grants, func(i, j int) bool {
		a, c := m.Grants[i], m.Grants[j]
		return target(a)+whoKey(a.From, a.Subject)+a.Via < target(c)+whoKey(c.From, c.Subject)+c.Via
	})
	sort.SliceStable(m.Matches, func(i, j int) bool {
		a, c := m.Matches[i], m.Matches[j]
		return subjectKey(a.Subject)+roleKey(a.Role) < subjectKey(c.Subject)+roleKey(c.Role)
	})
	sort.SliceStable(m.Pipelines, func(i, j int) bool {
		a, c := m.Pipelines[i], m.Pipelines[j]
		return a.Stack.Name+"|"+a.LogicalID < c.Stack.Name+"|"+c.LogicalID
	})
	sort.Strings(m.Notes)
}
