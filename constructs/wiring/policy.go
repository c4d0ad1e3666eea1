package wiring

import (
	"sort"
	"strings"
)

// Statement is one Allow statement of an IAM policy, a trust policy, a key
// policy or a bucket policy, with its values resolved (see Read). Deny
// statements are not kept: the diagram shows what is allowed.
type Statement struct {
	// Actions and NotActions as written ("s3:Get*"); exactly one is set.
	Actions, NotActions []string
	// Resources and NotResources, resolved; empty in a trust policy.
	Resources, NotResources []string
	// Principals of a resource policy or trust policy; empty in an
	// identity policy.
	Principals []Principal
	// Conditions, sorted by key then operator.
	Conditions []Condition
}

// Principal is one entry of a statement's Principal element: Kind is
// "AWS", "Service", "Federated" or "CanonicalUser"; Value is resolved
// ("*", an account root ARN, a role ARN, "codebuild.amazonaws.com").
type Principal struct {
	Kind, Value string
}

// Condition is one key of a statement's Condition element, such as
// {Operator: "ArnEquals", Key: "aws:PrincipalArn", Values: [...]}.
type Condition struct {
	Operator, Key string
	Values        []string
}

// String is the condition in IAM's words: "ArnEquals aws:PrincipalArn".
func (c Condition) String() string { return c.Operator + " " + c.Key }

// parseStatements reads the Allow statements of a policy document.
func (s *scope) parseStatements(doc interface{}) []Statement {
	m, _ := doc.(map[string]interface{})
	raw := m["Statement"]
	list, ok := raw.([]interface{})
	if !ok && raw != nil {
		list = []interface{}{raw}
	}
	var out []Statement
	for _, r := range list {
		st, _ := r.(map[string]interface{})
		if st == nil || s.str(st["Effect"]) != "Allow" {
			continue
		}
		var x Statement
		x.Actions = s.strs(st["Action"])
		x.NotActions = s.strs(st["NotAction"])
		x.Resources = s.strs(st["Resource"])
		x.NotResources = s.strs(st["NotResource"])
		switch p := st["Principal"].(type) {
		case string:
			x.Principals = append(x.Principals, Principal{Kind: "AWS", Value: s.str(p)})
		case map[string]interface{}:
			for _, kind := range sortedKeys(p) {
				for _, v := range s.strs(p[kind]) {
					if kind == "AWS" && isAccountID(v) {
						v = "arn:" + s.partition() + ":iam::" + v + ":root"
					}
					x.Principals = append(x.Principals, Principal{Kind: kind, Value: v})
				}
			}
		}
		cond, _ := st["Condition"].(map[string]interface{})
		for _, op := range sortedKeys(cond) {
			kv, _ := cond[op].(map[string]interface{})
			for _, k := range sortedKeys(kv) {
				x.Conditions = append(x.Conditions, Condition{Operator: op, Key: k, Values: s.strs(kv[k])})
			}
		}
		sort.SliceStable(x.Conditions, func(i, j int) bool {
			if x.Conditions[i].Key != x.Conditions[j].Key {
				return x.Conditions[i].Key < x.Conditions[j].Key
			}
			return x.Conditions[i].Operator < x.Conditions[j].Operator
		})
		out = append(out, x)
	}
	return out
}

// allowsAction reports whether the statement covers action (IAM action
// names compare without regard to case).
func (st Statement) allowsAction(action string) bool {
	if len(st.NotActions) > 0 {
		for _, a := range st.NotActions {
			if globMatch(strings.ToLower(a), strings.ToLower(action)) == yes {
				return false
			}
		}
		return true
	}
	for _, a := range st.Actions {
		if globMatch(strings.ToLower(a), strings.ToLower(action)) == yes {
			return true
		}
	}
	return false
}

// coversResource says whether the statement's resources cover arn: yes,
// no, or maybe when a resolved value has a part that is not known at synth.
func (st Statement) coversResource(arn string) match {
	if len(st.NotResources) > 0 {
		r := yes
		for _, p := range st.NotResources {
			switch globMatch(p, arn) {
			case yes:
				return no
			case maybe:
				r = maybe
			}
		}
		return r
	}
	r := no
	for _, p := range st.Resources {
		switch globMatch(p, arn) {
		case yes:
			return yes
		case maybe:
			r = maybe
		}
	}
	return r
}

// match is a three-valued answer: a value with an unresolved part may or
// may not match, and the diagram never guesses which.
type match int

const (
	no match = iota
	maybe
	yes
)

// globMatch matches an IAM wildcard pattern ("*" any run of characters,
// "?" one character) against text. Either side may hold unresolved parts
// (holes): yes means every value of the holes matches (a hole in text is
// covered by a "*" of the pattern), no that no value does, maybe otherwise.
func globMatch(pattern, text string) match {
	p, t := tokens(pattern), tokens(text)
	if strictMatch(p, t) {
		return yes
	}
	if (hasHole(p) || hasHole(t)) && intersects(p, t) {
		return maybe
	}
	return no
}

// token is one character of a resolved value, or a whole hole (hole set,
// id what it stands for in which stack).
type token struct {
	r    rune
	hole bool
	id   string
}

func tokens(s string) []token {
	var out []token
	inHole := false
	for _, r := range s {
		switch {
		case r == holeStart:
			inHole = true
			out = append(out, token{hole: true})
		case r == holeEnd:
			inHole = false
		case inHole:
			out[len(out)-1].id += string(r)
		default:
			out = append(out, token{r: r})
		}
	}
	return out
}

func hasHole(ts []token) bool {
	for _, t := range ts {
		if t.hole {
			return true
		}
	}
	return false
}

// strictMatch: p matches t for every value of the holes: a hole of t is
// covered by a "*" of p or by the same hole in p (the same expression of
// the same stack has the same value).
func strictMatch(p, t []token) bool {
	memo := map[[2]int]bool{}
	seen := map[[2]int]bool{}
	var f func(i, j int) bool
	f = func(i, j int) bool {
		k := [2]int{i, j}
		if seen[k] {
			return memo[k]
		}
		seen[k] = true
		var r bool
		switch {
		case i == len(p):
			r = j == len(t)
		case p[i].hole:
			r = j < len(t) && t[j].hole && t[j].id == p[i].id && f(i+1, j+1)
		case p[i].r == '*':
			r = f(i+1, j) || (j < len(t) && f(i, j+1))
		case j == len(t) || t[j].hole:
			r = false
		case p[i].r == '?' || p[i].r == t[j].r:
			r = f(i+1, j+1)
		}
		memo[k] = r
		return r
	}
	return f(0, 0)
}

// intersects: some value of the holes on either side makes p match t.
// A hole stands for any run of characters, like "*".
func intersects(p, t []token) bool {
	memo := map[[2]int]bool{}
	seen := map[[2]int]bool{}
	var f func(i, j int) bool
	f = func(i, j int) bool {
		k := [2]int{i, j}
		if seen[k] {
			return memo[k]
		}
		seen[k] = true
		var r bool
		pStar := i < len(p) && (p[i].hole || p[i].r == '*')
		tStar := j < len(t) && t[j].hole
		switch {
		case i == len(p) && j == len(t):
			r = true
		case pStar && f(i+1, j):
			r = true
		case pStar && j < len(t) && f(i, j+1):
			r = true
		case tStar && f(i, j+1):
			r = true
		case tStar && i < len(p) && f(i+1, j):
			r = true
		case i < len(p) && j < len(t) && !pStar && !tStar:
			r = (p[i].r == '?' || p[i].r == t[j].r) && f(i+1, j+1)
		}
		memo[k] = r
		return r
	}
	return f(0, 0)
}

func sortedKeys(m map[string]interface{}) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
