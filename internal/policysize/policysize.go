// Package policysize measures IAM, KMS and S3 policy documents the way AWS
// counts them: as the minified JSON of the document once CloudFormation has
// resolved it. It needs no jsii, so it runs on synthesized templates.
//
// Intrinsic functions are resolved to values of the length they take when
// deployed: Fn::Join joins, AWS::Partition is "aws", an account is 12
// digits, and a Ref or Fn::GetAtt of a resource becomes a placeholder as
// long as a typical physical ID or ARN of its type.
package policysize

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Size is the deployed size of a policy document from a template.
func Size(doc interface{}) int {
	raw, _ := json.Marshal(Resolve(doc))
	return len(raw)
}

// placeholder is a stand-in for a resolved ID or ARN of typical length.
const placeholder = "arn:aws:service:us-east-1:111111111111:resource/0123456789abcdef0123456789abcdef"

// Resolve replaces CloudFormation intrinsic functions in v with strings of
// their deployed length.
func Resolve(v interface{}) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		if len(x) == 1 {
			for k, arg := range x {
				switch k {
				case "Ref":
					return ref(fmt.Sprint(arg))
				case "Fn::GetAtt":
					return placeholder
				case "Fn::Join":
					parts, _ := arg.([]interface{})
					if len(parts) == 2 {
						sep := fmt.Sprint(parts[0])
						items, _ := parts[1].([]interface{})
						var ss []string
						for _, it := range items {
							ss = append(ss, fmt.Sprint(Resolve(it)))
						}
						return strings.Join(ss, sep)
					}
				case "Fn::Sub", "Fn::Select", "Fn::ImportValue", "Fn::FindInMap", "Fn::If", "Fn::Split":
					return placeholder
				}
			}
		}
		out := make(map[string]interface{}, len(x))
		for k, e := range x {
			out[k] = Resolve(e)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(x))
		for i, e := range x {
			out[i] = Resolve(e)
		}
		return out
	}
	return v
}

func ref(name string) string {
	switch name {
	case "AWS::Partition":
		return "aws"
	case "AWS::AccountId":
		return "111111111111"
	case "AWS::Region":
		return "us-east-1"
	case "AWS::URLSuffix":
		return "amazonaws.com"
	}
	return placeholder
}

// Policies are the sizes of the policies of one template, by kind.
type Policies struct {
	// KeyPolicies maps a KMS key's logical ID to its key policy size.
	KeyPolicies map[string]int
	// BucketPolicies maps a bucket policy's logical ID to its size.
	BucketPolicies map[string]int
	// RoleInline maps a role's logical ID to the total size of its inline
	// policies (Policies property and attached AWS::IAM::Policy resources).
	RoleInline map[string]int
	// TrustPolicies maps a role's logical ID to its trust policy size.
	TrustPolicies map[string]int
}

// Measure reads the policies of a synthesized template.
func Measure(template map[string]interface{}) Policies {
	p := Policies{KeyPolicies: map[string]int{}, BucketPolicies: map[string]int{}, RoleInline: map[string]int{}, TrustPolicies: map[string]int{}}
	res, _ := template["Resources"].(map[string]interface{})
	for id, r := range res {
		m, _ := r.(map[string]interface{})
		props, _ := m["Properties"].(map[string]interface{})
		switch m["Type"] {
		case "AWS::KMS::Key":
			p.KeyPolicies[id] = Size(props["KeyPolicy"])
		case "AWS::S3::BucketPolicy":
			p.BucketPolicies[id] = Size(props["PolicyDocument"])
		case "AWS::IAM::Role":
			p.TrustPolicies[id] = Size(props["AssumeRolePolicyDocument"])
			if inline, ok := props["Policies"].([]interface{}); ok {
				for _, pol := range inline {
					p.RoleInline[id] += Size(pol.(map[string]interface{})["PolicyDocument"])
				}
			}
		case "AWS::IAM::Policy":
			roles, _ := props["Roles"].([]interface{})
			for _, role := range roles {
				if rm, ok := role.(map[string]interface{}); ok {
					if name, ok := rm["Ref"].(string); ok {
						p.RoleInline[name] += Size(props["PolicyDocument"])
					}
				}
			}
		}
	}
	return p
}

// Max is the largest value of m and its key.
func Max(m map[string]int) (string, int) {
	best, id := -1, ""
	for k, v := range m {
		if v > best || (v == best && k < id) {
			best, id = v, k
		}
	}
	if best < 0 {
		best = 0
	}
	return id, best
}
