// Package iameval evaluates IAM policies in pure Go: identity policies,
// trust policies, S3 bucket policies and KMS key policies, for the subset of
// the policy language that Relay and aws-cdk-lib write. Tests use it to
// prove that what a synthesized template allows is what runs (an upload
// with the key identifier a service sends, a read from another account)
// and nothing else, by evaluation rather than by comparing strings.
//
// The evaluation follows AWS's documented logic
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
// an explicit Deny in any policy that applies wins; within one account a
// request is allowed by an identity policy or by a resource policy that
// names the principal itself; across accounts both the caller's identity
// policy and the resource's policy must allow; a resource policy that names
// an account (its root) delegates to that account's identity policies; a KMS
// key policy must always allow, directly or by naming the account
// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html);
// a permissions boundary caps every permission of its principal (for a role,
// a resource policy naming the role included). Service control
// policies, session policies and grants are outside the subset.
//
// Supported elements: Effect, Principal and NotPrincipal (AWS, Service,
// Federated, CanonicalUser, "*"), Action and NotAction (wildcards, compared
// without regard to case), Resource and NotResource (wildcards), and
// Condition with the operators String*, Arn* (each of the six ARN parts
// compared apart), Bool, Null and Numeric*, each with IfExists and the
// ForAnyValue: and ForAllValues: set operators
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
// A policy with anything else (a policy variable, an unknown operator) is
// refused by Parse: the evaluator never guesses.
//
// Values are compared as strings. Values resolved from templates may hold
// open parts (package wiring): an open part equals only itself, and a
// wildcard matches it like any other characters.
package iameval

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Policy is a parsed policy document.
type Policy struct {
	// Name says where the policy comes from in messages, such as
	// "bucket policy of payments-artifacts-111111111111-us-east-1".
	Name       string
	Statements []Statement
}

// Statement is one statement of a policy.
type Statement struct {
	// Sid is the statement ID, or "".
	Sid string
	// Deny is true for "Effect": "Deny".
	Deny bool
	// Principals is the Principal element; nil when the statement has none
	// (an identity policy). NotPrincipals is the NotPrincipal element.
	Principals, NotPrincipals []PrincipalEntry
	// Actions and NotActions; exactly one is set.
	Actions, NotActions []string
	// Resources and NotResources; neither is set in a trust policy.
	Resources, NotResources []string
	// Conditions, all of which must hold.
	Conditions []Condition
}

// PrincipalEntry is one value of a Principal element: Kind is "AWS",
// "Service", "Federated" or "CanonicalUser", and Value an ARN, an account
// ID, a service principal or "*".
type PrincipalEntry struct {
	Kind, Value string
}

// Condition is one key of a Condition element under one operator, such as
// {Operator: "StringNotEqualsIfExists", Key: "s3:x-amz-server-side-encryption-aws-kms-key-id", Values: [...]}.
type Condition struct {
	Operator, Key string
	Values        []string
}

// ParseJSON parses a policy document from JSON.
func ParseJSON(name string, raw []byte) (Policy, error) {
	var doc interface{}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return Policy{}, fmt.Errorf("%s: %w", name, err)
	}
	return Parse(name, doc)
}

// Parse reads a policy document as encoding/json decodes it (maps, lists,
// strings, numbers, booleans). It fails, naming the statement, on anything
// the evaluator does not support, so that no policy is judged by a part it
// does not understand.
func Parse(name string, doc interface{}) (Policy, error) {
	p := Policy{Name: name}
	m, ok := doc.(map[string]interface{})
	if !ok {
		return p, fmt.Errorf("%s: a policy document is a JSON object, not %T", name, doc)
	}
	for k := range m {
		if k != "Version" && k != "Statement" && k != "Id" {
			return p, fmt.Errorf("%s: unknown policy element %q", name, k)
		}
	}
	list, ok := m["Statement"].([]interface{})
	if !ok {
		if one, isMap := m["Statement"].(map[string]interface{}); isMap {
			list = []interface{}{one}
		} else {
			return p, fmt.Errorf("%s: Statement is missing", name)
		}
	}
	for i, raw := range list {
		st, err := parseStatement(raw)
		if err != nil {
			return p, fmt.Errorf("%s: statement %d: %w", name, i, err)
		}
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

func parseStatement(raw interface{}) (Statement, error) {
	var st Statement
	m, ok := raw.(map[string]interface{})
	if !ok {
		return st, fmt.Errorf("a statement is a JSON object, not %T", raw)
	}
	for k := range m {
		switch k {
		case "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition":
		default:
			return st, fmt.Errorf("unknown element %q", k)
		}
	}
	st.Sid, _ = m["Sid"].(string)
	switch m["Effect"] {
	case "Allow":
	case "Deny":
		st.Deny = true
	default:
		return st, fmt.Errorf("Effect %v: must be Allow or Deny", m["Effect"])
	}
	var err error
	if st.Principals, err = principals(m["Principal"]); err != nil {
		return st, err
	}
	if st.NotPrincipals, err = principals(m["NotPrincipal"]); err != nil {
		return st, err
	}
	if st.Actions, err = stringList("Action", m["Action"]); err != nil {
		return st, err
	}
	if st.NotActions, err = stringList("NotAction", m["NotAction"]); err != nil {
		return st, err
	}
	if (len(st.Actions) == 0) == (len(st.NotActions) == 0) {
		return st, fmt.Errorf("needs exactly one of Action and NotAction")
	}
	if st.Resources, err = stringList("Resource", m["Resource"]); err != nil {
		return st, err
	}
	if st.NotResources, err = stringList("NotResource", m["NotResource"]); err != nil {
		return st, err
	}
	for _, v := range append(append([]string{}, st.Resources...), st.NotResources...) {
		if strings.Contains(v, "${") {
			return st, fmt.Errorf("resource %q: policy variables are not supported", v)
		}
	}
	if m["Condition"] != nil {
		cond, ok := m["Condition"].(map[string]interface{})
		if !ok {
			return st, fmt.Errorf("Condition is a JSON object, not %T", m["Condition"])
		}
		for _, op := range sortedKeys(cond) {
			if _, err := operatorOf(op); err != nil {
				return st, err
			}
			keys, ok := cond[op].(map[string]interface{})
			if !ok {
				return st, fmt.Errorf("condition %s is a JSON object of keys, not %T", op, cond[op])
			}
			for _, k := range sortedKeys(keys) {
				vals, err := stringList("condition "+op+" "+k, keys[k])
				if err != nil {
					return st, err
				}
				for _, v := range vals {
					if strings.Contains(v, "${") {
						return st, fmt.Errorf("condition %s %s %q: policy variables are not supported", op, k, v)
					}
				}
				st.Conditions = append(st.Conditions, Condition{Operator: op, Key: k, Values: vals})
			}
		}
	}
	return st, nil
}

// principals reads a Principal or NotPrincipal element.
func principals(v interface{}) ([]PrincipalEntry, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		if x != "*" {
			return nil, fmt.Errorf("Principal %q: a string principal must be \"*\"", x)
		}
		return []PrincipalEntry{{Kind: "AWS", Value: "*"}}, nil
	case map[string]interface{}:
		var out []PrincipalEntry
		for _, kind := range sortedKeys(x) {
			switch kind {
			case "AWS", "Service", "Federated", "CanonicalUser":
			default:
				return nil, fmt.Errorf("Principal kind %q: must be AWS, Service, Federated or CanonicalUser", kind)
			}
			vals, err := stringList("Principal "+kind, x[kind])
			if err != nil {
				return nil, err
			}
			for _, v := range vals {
				out = append(out, PrincipalEntry{Kind: kind, Value: v})
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("Principal names no principal")
		}
		return out, nil
	}
	return nil, fmt.Errorf("Principal is a string or an object, not %T", v)
}

// stringList reads a string or a list of strings (numbers and booleans as
// IAM reads them).
func stringList(what string, v interface{}) ([]string, error) {
	one := func(e interface{}) (string, error) {
		switch x := e.(type) {
		case string:
			return x, nil
		case bool:
			return fmt.Sprint(x), nil
		case float64:
			return fmt.Sprint(x), nil
		case json.Number:
			return x.String(), nil
		}
		return "", fmt.Errorf("%s: %v is not a string", what, e)
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []interface{}:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, err := one(e)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	case []string:
		return x, nil
	}
	s, err := one(v)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

func sortedKeys(m map[string]interface{}) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
