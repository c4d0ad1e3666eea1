package report

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/relaycdk/relay/constructs/assembly"
)

// m and l are the shapes of parsed template JSON.
type (
	m = map[string]interface{}
	l = []interface{}
)

// resource is one template resource with its stack.
type resource struct {
	stack *assembly.Stack
	id    string
	typ   string
	props m
}

// facts are what the controls need from an assembly's templates.
type facts struct {
	resources []resource
	byID      map[string]map[string]resource // stack -> logical ID -> resource
}

func gather(a *assembly.Assembly) *facts {
	f := &facts{byID: map[string]map[string]resource{}}
	for _, s := range a.Stacks {
		f.byID[s.Name] = map[string]resource{}
		res := s.Resources()
		ids := make([]string, 0, len(res))
		for id := range res {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			r := res[id]
			typ, _ := r["Type"].(string)
			props, _ := r["Properties"].(m)
			if props == nil {
				props = m{}
			}
			rr := resource{stack: s, id: id, typ: typ, props: props}
			f.resources = append(f.resources, rr)
			f.byID[s.Name][id] = rr
		}
	}
	return f
}

// ofType are the resources of type typ, in stack then logical-ID order.
func (f *facts) ofType(typ string) []resource {
	var out []resource
	for _, r := range f.resources {
		if r.typ == typ {
			out = append(out, r)
		}
	}
	return out
}

// refID is the logical ID a Ref or Fn::GetAtt value points to, or "".
func refID(v interface{}) string {
	switch x := v.(type) {
	case m:
		if r, ok := x["Ref"].(string); ok {
			return r
		}
		if g, ok := x["Fn::GetAtt"].(l); ok && len(g) > 0 {
			s, _ := g[0].(string)
			return s
		}
		if j, ok := x["Fn::Join"].(l); ok && len(j) == 2 {
			for _, p := range asList(j[1]) {
				if id := refID(p); id != "" {
					return id
				}
			}
		}
	}
	return ""
}

// text renders a template value as a string: literals as they are, Ref
// and Fn::GetAtt as ${ID} and ${ID.Attr}, Fn::Join joined.
func text(v interface{}) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool, float64:
		return fmt.Sprint(x)
	case l:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = text(p)
		}
		return strings.Join(parts, ", ")
	case m:
		if r, ok := x["Ref"].(string); ok {
			return "${" + r + "}"
		}
		if g, ok := x["Fn::GetAtt"].(l); ok && len(g) == 2 {
			return "${" + text(g[0]) + "." + text(g[1]) + "}"
		}
		if j, ok := x["Fn::Join"].(l); ok && len(j) == 2 {
			sep, _ := j[0].(string)
			var parts []string
			for _, p := range asList(j[1]) {
				parts = append(parts, text(p))
			}
			return strings.Join(parts, sep)
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, k+": "+text(x[k]))
		}
		return "{" + strings.Join(parts, "; ") + "}"
	}
	return fmt.Sprint(v)
}

func asList(v interface{}) l {
	switch x := v.(type) {
	case l:
		return x
	case nil:
		return nil
	}
	return l{v}
}

func strs(v interface{}) []string {
	var out []string
	for _, x := range asList(v) {
		out = append(out, text(x))
	}
	return out
}

// statement is one policy statement.
type statement struct {
	Sid, Effect        string
	Actions, Resources []string
	// NotActions are the actions of a NotAction element: the statement
	// applies to every action except these.
	NotActions []string
	Principals []string
	Conditions string
	rawConds   interface{}
}

func statements(doc interface{}) []statement {
	d, _ := doc.(m)
	var out []statement
	for _, s := range asList(d["Statement"]) {
		sm, _ := s.(m)
		st := statement{Effect: text(sm["Effect"]), Sid: text(sm["Sid"]), Actions: strs(sm["Action"]), NotActions: strs(sm["NotAction"]), Resources: strs(sm["Resource"])}
		switch p := sm["Principal"].(type) {
		case string:
			st.Principals = []string{p}
		case m:
			for _, k := range sortedKeys(p) {
				for _, v := range strs(p[k]) {
					st.Principals = append(st.Principals, k+" "+v)
				}
			}
		}
		if c, ok := sm["Condition"]; ok {
			st.Conditions = text(c)
			st.rawConds = c
		}
		out = append(out, st)
	}
	return out
}

func sortedKeys(x m) []string {
	keys := make([]string, 0, len(x))
	for k := range x {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// policiesOf are the statements of every policy of the templates attached
// to the role r: its inline Policies, the AWS::IAM::Policy and
// AWS::IAM::ManagedPolicy resources that name it in Roles, and the
// managed policies of its stack that its ManagedPolicyArns reference.
func (f *facts) policiesOf(r resource) []statement {
	var out []statement
	for _, p := range asList(r.props["Policies"]) {
		pm, _ := p.(m)
		out = append(out, statements(pm["PolicyDocument"])...)
	}
	attached := map[string]bool{}
	for _, a := range asList(r.props["ManagedPolicyArns"]) {
		if id := refID(a); id != "" {
			attached[id] = true
		}
	}
	for _, p := range f.resources {
		if p.stack != r.stack || (p.typ != "AWS::IAM::Policy" && p.typ != "AWS::IAM::ManagedPolicy") {
			continue
		}
		names := attached[p.id] && p.typ == "AWS::IAM::ManagedPolicy"
		for _, role := range asList(p.props["Roles"]) {
			names = names || refID(role) == r.id
		}
		if names {
			out = append(out, statements(p.props["PolicyDocument"])...)
		}
	}
	return out
}

// outsidePolicies are the managed policies attached to the role r that the
// templates do not hold: neither a reference to a policy of the templates
// nor an AWS managed policy (arn:<partition>:iam::aws:policy/...), whose
// content AWS publishes.
func outsidePolicies(r resource) []string {
	var out []string
	for _, a := range asList(r.props["ManagedPolicyArns"]) {
		if arn := text(a); refID(a) == "" && !strings.Contains(arn, ":iam::aws:policy/") {
			out = append(out, arn)
		}
	}
	return out
}

var fullAccessRE = regexp.MustCompile(`^([a-z0-9-]+:)?\*$`)

// fullAccess are the Allow actions of statements that grant a whole
// service (service:*) or everything (*), and Allow statements with
// NotAction, which grant every action of every service but those named
// (IAM User Guide, "NotAction",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html).
func fullAccess(sts []statement) []string {
	var out []string
	for _, s := range sts {
		if s.Effect != "Allow" {
			continue
		}
		if len(s.NotActions) > 0 {
			if a := "every action but " + strings.Join(s.NotActions, ", ") + " (NotAction)"; !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
		for _, a := range s.Actions {
			if fullAccessRE.MatchString(a) && !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}
