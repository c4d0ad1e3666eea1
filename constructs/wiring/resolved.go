package wiring

import "strings"

// ResolvedStack is one stack of a cloud assembly as it would be deployed,
// with every value of its resources resolved as far as the templates fix it
// (see the package doc): the input of checks that judge deployed values,
// such as an IAM policy evaluator, without a second resolver.
//
// An open part of a value (a key ID, a generated name) is kept as an opaque
// run of characters that equals only the same expression of the same
// stack, so two resolved values are equal exactly when the deployed values
// are bound to be; Display renders them for people.
type ResolvedStack struct {
	// Name is the stack name; for a StackSet instance, the StackSet's.
	Name string
	// Account and Region place the stack; "" when the templates leave them
	// open (an environment-agnostic stack, the accounts of an
	// organizational unit).
	Account, Region string
	// StackSet is the StackSet's name for one of its instances, else "".
	StackSet string
	// Resources by logical ID.
	Resources map[string]ResolvedResource
}

// ResolvedResource is one resource with its properties resolved: every
// intrinsic function is replaced by its value (a string, or a list for
// Fn::Split and Fn::GetAZs), and AWS::NoValue is dropped.
type ResolvedResource struct {
	// Type is the CloudFormation type, such as AWS::IAM::Role.
	Type string
	// Ref is what Ref returns (a name, an ID, or an ARN by type); Arn is
	// what Fn::GetAtt Arn returns, "" for a type that has none here.
	Ref, Arn string
	// Properties as JSON decodes them, resolved.
	Properties map[string]interface{}
}

// ReadResolved reads the cloud assembly in dir as Read does, StackSet
// instances and nested stacks included, and returns its stacks with their
// values resolved, sorted as Read sorts them.
func ReadResolved(dir string) ([]ResolvedStack, error) {
	a, err := readAssembly(dir)
	if err != nil {
		return nil, err
	}
	out := make([]ResolvedStack, 0, len(a.stacks))
	for _, st := range a.stacks {
		s := &scope{a: a, st: st}
		rs := ResolvedStack{Name: st.name, Account: st.account, Region: st.region, StackSet: st.stackSet,
			Resources: make(map[string]ResolvedResource, len(st.resources))}
		for id, r := range st.resources {
			typ, _ := r["Type"].(string)
			props, _ := s.resolveTree(r["Properties"]).(map[string]interface{})
			rr := ResolvedResource{Type: typ, Ref: s.attr(id, ""), Properties: props}
			if arn := s.attr(id, "Arn"); !strings.HasPrefix(arn, string(holeStart)) {
				rr.Arn = arn
			}
			rs.Resources[id] = rr
		}
		out = append(out, rs)
	}
	return out, nil
}

// listFunctions are the intrinsic functions that return a list.
var listFunctions = map[string]bool{"Fn::Split": true, "Fn::GetAZs": true, "Fn::Cidr": true}

// resolveTree resolves every intrinsic function in v.
func (s *scope) resolveTree(v interface{}) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		if len(x) == 1 {
			for k := range x {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					if listFunctions[k] {
						return toAny(s.strs(x))
					}
					return s.str(x)
				}
			}
		}
		out := make(map[string]interface{}, len(x))
		for k, e := range x {
			if isNoValue(e) {
				continue
			}
			out[k] = s.resolveTree(e)
		}
		return out
	case []interface{}:
		out := make([]interface{}, 0, len(x))
		for _, e := range x {
			if isNoValue(e) {
				continue
			}
			out = append(out, s.resolveTree(e))
		}
		return out
	}
	return v
}

func isNoValue(v interface{}) bool {
	m, ok := v.(map[string]interface{})
	return ok && len(m) == 1 && m["Ref"] == "AWS::NoValue"
}

func toAny(s []string) []interface{} {
	out := make([]interface{}, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
