package iameval

import (
	"fmt"
	"strconv"
	"strings"
)

// operator is a parsed condition operator: base, IfExists, set operator.
type operator struct {
	base     string
	ifExists bool
	set      string // "", "ForAnyValue" or "ForAllValues"
}

// negated reports whether the operator holds when a value matches none of
// the policy's values.
func (o operator) negated() bool {
	return strings.Contains(o.base, "Not") && o.base != "Null"
}

var baseOperators = map[string]bool{
	"StringEquals": true, "StringNotEquals": true, "StringEqualsIgnoreCase": true, "StringNotEqualsIgnoreCase": true,
	"StringLike": true, "StringNotLike": true,
	"ArnEquals": true, "ArnNotEquals": true, "ArnLike": true, "ArnNotLike": true,
	"Bool": true, "Null": true,
	"NumericEquals": true, "NumericNotEquals": true, "NumericLessThan": true, "NumericLessThanEquals": true,
	"NumericGreaterThan": true, "NumericGreaterThanEquals": true,
}

// operatorOf parses a condition operator such as
// ForAnyValue:StringEqualsIfExists.
func operatorOf(op string) (operator, error) {
	var o operator
	rest := op
	if set, after, ok := strings.Cut(op, ":"); ok {
		if set != "ForAnyValue" && set != "ForAllValues" {
			return o, fmt.Errorf("condition operator %q: the set operator must be ForAnyValue or ForAllValues", op)
		}
		o.set, rest = set, after
	}
	if base, ok := strings.CutSuffix(rest, "IfExists"); ok {
		o.ifExists, rest = true, base
	}
	if !baseOperators[rest] {
		return o, fmt.Errorf("condition operator %q is not supported (String*, Arn*, Bool, Null, Numeric*)", op)
	}
	if rest == "Null" && (o.ifExists || o.set != "") {
		return o, fmt.Errorf("condition operator %q: Null takes neither IfExists nor a set operator", op)
	}
	o.base = rest
	return o, nil
}

// matches reports whether the request value v matches the policy value p
// in the operator's positive sense (StringNotEquals compares as
// StringEquals; the caller negates).
func (o operator) matches(p, v string) bool {
	switch o.base {
	case "StringEquals", "StringNotEquals":
		return p == v
	case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase":
		return strings.EqualFold(p, v)
	case "StringLike", "StringNotLike":
		return Glob(p, v)
	case "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike":
		// ArnEquals and ArnLike both compare each part with wildcards.
		return ArnLike(p, v)
	case "Bool":
		return strings.EqualFold(p, v)
	}
	pf, err1 := strconv.ParseFloat(p, 64)
	vf, err2 := strconv.ParseFloat(v, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	switch o.base {
	case "NumericEquals", "NumericNotEquals":
		return vf == pf
	case "NumericLessThan":
		return vf < pf
	case "NumericLessThanEquals":
		return vf <= pf
	case "NumericGreaterThan":
		return vf > pf
	case "NumericGreaterThanEquals":
		return vf >= pf
	}
	return false
}

// holds evaluates one condition against the request context (keys
// compared without regard to case):
//   - a key absent from the request: false, but true for a negated
//     operator (StringNotEquals...), for ...IfExists and for ForAllValues;
//     Null tests presence itself;
//   - a present key: a positive operator holds when a value matches one of
//     the policy's values, a negated one when it matches none of them;
//     ForAnyValue needs one request value to hold, ForAllValues every one.
//     Without a set operator a key with several values holds as with
//     ForAnyValue for a positive operator, ForAllValues for a negated one.
func (c Condition) holds(ctx map[string][]string) bool {
	o, err := operatorOf(c.Operator)
	if err != nil {
		return false // Parse refuses such a policy
	}
	vals, present := lookup(ctx, c.Key)
	if o.base == "Null" {
		for _, p := range c.Values {
			if strings.EqualFold(p, "true") != present {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case o.ifExists, o.set == "ForAllValues":
			return true
		case o.set == "ForAnyValue":
			return false
		}
		return o.negated()
	}
	sat := func(v string) bool {
		for _, p := range c.Values {
			if o.matches(p, v) {
				return !o.negated()
			}
		}
		return o.negated()
	}
	all := o.set == "ForAllValues" || (o.set == "" && o.negated())
	for _, v := range vals {
		if ok := sat(v); ok != all {
			return ok
		}
	}
	return all
}

// lookup finds a context key without regard to case; present is false for
// a key that is absent or has no value.
func lookup(ctx map[string][]string, key string) (vals []string, present bool) {
	if v, ok := ctx[key]; ok {
		return v, len(v) > 0
	}
	for k, v := range ctx {
		if strings.EqualFold(k, key) {
			return v, len(v) > 0
		}
	}
	return nil, false
}
