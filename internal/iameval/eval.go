package iameval

import (
	"fmt"
	"strings"
)

// Principal is who makes a request: an IAM role (a session of it) or user,
// by ARN, or an AWS service.
type Principal struct {
	// ARN is the role's or user's ARN, path included, such as
	// arn:aws:iam::111111111111:role/relay/payments/payments-pipeline.
	ARN string
	// Service is a service principal such as codepipeline.amazonaws.com;
	// set it instead of ARN.
	Service string
	// OrgID is the AWS Organizations ID of the principal's account, or "".
	OrgID string
}

// Account is the principal's account ("" for a service).
func (p Principal) Account() string { return AccountOf(p.ARN) }

func (p Principal) String() string {
	if p.Service != "" {
		return p.Service
	}
	return p.ARN
}

// Request is one API call to judge.
type Request struct {
	Principal Principal
	// Action is the IAM action, such as s3:PutObject.
	Action string
	// Resource is the ARN of the resource the action acts on.
	Resource string
	// Context holds the request's condition keys and their values, such as
	// "s3:x-amz-server-side-encryption": {"aws:kms"}. The keys that follow
	// from Principal (aws:PrincipalArn, aws:PrincipalAccount,
	// aws:PrincipalOrgID, aws:PrincipalServiceName) are added unless set.
	Context map[string][]string
}

// context is the request's context with the principal's keys added.
func (r Request) context() map[string][]string {
	ctx := make(map[string][]string, len(r.Context)+4)
	add := func(k, v string) {
		if _, set := lookup(r.Context, k); !set && v != "" {
			ctx[k] = []string{v}
		}
	}
	if r.Principal.Service != "" {
		add("aws:PrincipalServiceName", r.Principal.Service)
	} else {
		add("aws:PrincipalArn", r.Principal.ARN)
		add("aws:PrincipalAccount", r.Principal.Account())
		add("aws:PrincipalOrgID", r.Principal.OrgID)
	}
	for k, v := range r.Context {
		ctx[k] = v
	}
	return ctx
}

// Match is how one policy answers a request.
type Match struct {
	// Deny is set by a Deny statement that applies.
	Deny bool
	// Allow is set by an Allow statement that applies; AccountOnly when
	// every such statement of a resource policy names the principal's
	// account (its root) rather than the principal: the account's identity
	// policies must then allow as well.
	Allow, AccountOnly bool
	// Statement names the deciding statement (the Deny, else the Allow):
	// its Sid, or its index.
	Statement string
}

// Match evaluates the policy alone. In a policy with Principal elements (a
// resource or trust policy) a statement applies only when it names the
// principal; in an identity policy every statement applies to its
// principal.
func (p Policy) Match(r Request) Match {
	ctx := r.context()
	var m Match
	direct := false
	for i, st := range p.Statements {
		how := st.principal(r.Principal)
		if how == none || !st.action(r.Action) || !st.resource(r.Resource) || !st.conditions(ctx) {
			continue
		}
		name := st.Sid
		if name == "" {
			name = fmt.Sprintf("statement %d", i)
		}
		if st.Deny {
			return Match{Deny: true, Statement: name}
		}
		if !m.Allow {
			m.Statement = name
		}
		m.Allow = true
		if how != byAccount {
			direct = true
			m.Statement = name
		}
	}
	m.AccountOnly = m.Allow && !direct
	return m
}

// How a statement names a principal.
type principalMatch int

const (
	none      principalMatch = iota
	byAccount                // the principal's account (root or ID)
	byName                   // the principal itself, a service, or "*"
	noElement                // no Principal element: an identity policy
)

func (st Statement) principal(pr Principal) principalMatch {
	if st.Principals == nil && st.NotPrincipals == nil {
		return noElement
	}
	if st.NotPrincipals != nil {
		for _, e := range st.NotPrincipals {
			if entryMatches(e, pr) != none {
				return none
			}
		}
		return byName
	}
	best := none
	for _, e := range st.Principals {
		if m := entryMatches(e, pr); m > best {
			best = m
		}
	}
	return best
}

func entryMatches(e PrincipalEntry, pr Principal) principalMatch {
	switch e.Kind {
	case "Service":
		if pr.Service != "" && (e.Value == pr.Service || e.Value == "*") {
			return byName
		}
		return none
	case "AWS":
		if pr.Service != "" {
			return none
		}
		switch {
		case e.Value == "*":
			return byName
		case isRoot(e.Value):
			if AccountOf(e.Value) == pr.Account() {
				return byAccount
			}
		case e.Value == pr.ARN:
			return byName
		}
	}
	return none
}

func (st Statement) action(a string) bool {
	if st.NotActions != nil {
		for _, p := range st.NotActions {
			if actionMatches(p, a) {
				return false
			}
		}
		return true
	}
	for _, p := range st.Actions {
		if actionMatches(p, a) {
			return true
		}
	}
	return false
}

func (st Statement) resource(arn string) bool {
	switch {
	case st.NotResources != nil:
		for _, p := range st.NotResources {
			if Glob(p, arn) {
				return false
			}
		}
		return true
	case st.Resources == nil:
		return true // a trust policy names no resource: the role is it
	}
	for _, p := range st.Resources {
		if Glob(p, arn) {
			return true
		}
	}
	return false
}

func (st Statement) conditions(ctx map[string][]string) bool {
	for _, c := range st.Conditions {
		if !c.holds(ctx) {
			return false
		}
	}
	return true
}

// Resource is the resource side of a request: its policy, if any, and who
// owns it.
type Resource struct {
	// Account owns the resource.
	Account string
	// Policy is the resource's own policy (bucket, key or trust policy), or
	// nil for a resource without one.
	Policy *Policy
	// KMSKey marks a KMS key, whose key policy must always allow.
	KMSKey bool
}

// Identity is what the principal's own account says: its identity-based
// policies and its permissions boundary.
type Identity struct {
	Policies []Policy
	// Boundary is the permissions boundary, or nil.
	Boundary *Policy
}

// Decision is the outcome of Authorize, with why.
type Decision struct {
	Allowed bool
	// Reason says which policy and statement decided, or what was missing.
	Reason string
}

func (d Decision) String() string {
	if d.Allowed {
		return "allowed: " + d.Reason
	}
	return "denied: " + d.Reason
}

// Authorize decides r for a principal with identity id on resource res
// (see the package doc for the logic). A service principal has no identity
// policies: only the resource policy speaks for it.
func Authorize(r Request, id Identity, res Resource) Decision {
	var resMatch Match
	if res.Policy != nil {
		resMatch = res.Policy.Match(r)
		if resMatch.Deny {
			return Decision{Reason: fmt.Sprintf("explicit deny in %s (%s)", res.Policy.Name, resMatch.Statement)}
		}
	}
	identityAllows, identityBy := false, ""
	if r.Principal.Service == "" {
		for _, p := range id.Policies {
			m := p.Match(r)
			if m.Deny {
				return Decision{Reason: fmt.Sprintf("explicit deny in %s (%s)", p.Name, m.Statement)}
			}
			if m.Allow && !identityAllows {
				identityAllows, identityBy = true, fmt.Sprintf("%s (%s)", p.Name, m.Statement)
			}
		}
		// A boundary caps every permission of the principal, whichever
		// policy grants it (for a role, a resource policy naming the role
		// is capped too).
		if b := id.Boundary; b != nil {
			switch m := b.Match(r); {
			case m.Deny:
				return Decision{Reason: fmt.Sprintf("explicit deny in the permissions boundary %s (%s)", b.Name, m.Statement)}
			case !m.Allow:
				return Decision{Reason: fmt.Sprintf("the permissions boundary %s does not allow %s on %s", b.Name, r.Action, r.Resource)}
			}
		}
	}
	resBy := ""
	if res.Policy != nil && resMatch.Allow {
		resBy = fmt.Sprintf("%s (%s)", res.Policy.Name, resMatch.Statement)
	}
	sameAccount := r.Principal.Service == "" && r.Principal.Account() == res.Account
	switch {
	case r.Principal.Service != "":
		if resMatch.Allow {
			return Decision{Allowed: true, Reason: resBy}
		}
		return Decision{Reason: fmt.Sprintf("no resource policy statement allows %s %s", r.Principal, r.Action)}
	case res.KMSKey:
		if res.Policy == nil || !resMatch.Allow {
			return Decision{Reason: fmt.Sprintf("the key policy does not allow %s %s", r.Principal, r.Action)}
		}
		if !resMatch.AccountOnly && sameAccount {
			return Decision{Allowed: true, Reason: resBy}
		}
		if !identityAllows {
			return Decision{Reason: fmt.Sprintf("%s allows, but no identity policy of %s allows %s on %s", resBy, r.Principal, r.Action, r.Resource)}
		}
		return Decision{Allowed: true, Reason: resBy + " and " + identityBy}
	case sameAccount:
		if identityAllows {
			return Decision{Allowed: true, Reason: identityBy}
		}
		if resMatch.Allow && !resMatch.AccountOnly {
			return Decision{Allowed: true, Reason: resBy}
		}
		return Decision{Reason: fmt.Sprintf("no identity policy of %s allows %s on %s, and no resource policy names it", r.Principal, r.Action, r.Resource)}
	}
	// Across accounts both sides must allow.
	switch {
	case res.Policy == nil || !resMatch.Allow:
		return Decision{Reason: fmt.Sprintf("%s is in another account than %s and no resource policy allows it %s", r.Principal, r.Resource, r.Action)}
	case !identityAllows:
		return Decision{Reason: fmt.Sprintf("%s allows, but no identity policy of %s allows %s on %s", resBy, r.Principal, r.Action, r.Resource)}
	}
	return Decision{Allowed: true, Reason: resBy + " and " + identityBy}
}

// Names lists policy names, for messages.
func Names(ps []Policy) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return strings.Join(out, ", ")
}

// Granted reports whether an Allow statement of p, read as an identity
// policy of the path's principal, names the path's call: its action, and
// its resource, or, with Path.Unnamed, some resource that starts with the
// rest of it (a statement on task-definition/orders-api:* grants tagging
// the revision a run registers). Conditions are not read, since they only
// narrow a statement that names the call, and Deny statements are not
// weighed: Granted answers what a check before any deploy can, whether the
// policy grants the call at all; Authorize judges a request in full.
func (p Policy) Granted(path Path) bool {
	r := path.Request
	prefix := r.Resource[:len(r.Resource)-min(max(path.Unnamed, 0), len(r.Resource))]
	for _, st := range p.Statements {
		if st.Deny || !st.action(r.Action) {
			continue
		}
		if path.Unnamed <= 0 || st.Resources == nil {
			if st.resource(r.Resource) {
				return true
			}
			continue
		}
		for _, pattern := range st.Resources {
			if globSome(pattern, prefix) {
				return true
			}
		}
	}
	return false
}
