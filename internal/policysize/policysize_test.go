package policysize

import "testing"

func TestSize(t *testing.T) {
	tests := []struct {
		name string
		doc  interface{}
		want int
	}{
		{"plain", map[string]interface{}{"Version": "2012-10-17"}, len(`{"Version":"2012-10-17"}`)},
		{"join with partition", map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{"arn:", map[string]interface{}{"Ref": "AWS::Partition"}, ":iam::1:root"}}}, len(`"arn:aws:iam::1:root"`)},
		{"getatt", map[string]interface{}{"Fn::GetAtt": []interface{}{"Key", "Arn"}}, len(placeholder) + 2},
		{"nested list", []interface{}{map[string]interface{}{"Ref": "AWS::AccountId"}, "x"}, len(`["111111111111","x"]`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Size(tc.doc); got != tc.want {
				t.Errorf("Size() = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestMeasure(t *testing.T) {
	doc := map[string]interface{}{"Statement": []interface{}{}}
	tpl := map[string]interface{}{"Resources": map[string]interface{}{
		"Key":    map[string]interface{}{"Type": "AWS::KMS::Key", "Properties": map[string]interface{}{"KeyPolicy": doc}},
		"Policy": map[string]interface{}{"Type": "AWS::S3::BucketPolicy", "Properties": map[string]interface{}{"PolicyDocument": doc}},
		"Role": map[string]interface{}{"Type": "AWS::IAM::Role", "Properties": map[string]interface{}{
			"AssumeRolePolicyDocument": doc,
			"Policies":                 []interface{}{map[string]interface{}{"PolicyDocument": doc}},
		}},
		"Extra": map[string]interface{}{"Type": "AWS::IAM::Policy", "Properties": map[string]interface{}{
			"PolicyDocument": doc, "Roles": []interface{}{map[string]interface{}{"Ref": "Role"}},
		}},
	}}
	p := Measure(tpl)
	n := Size(doc)
	if p.KeyPolicies["Key"] != n || p.BucketPolicies["Policy"] != n || p.TrustPolicies["Role"] != n || p.RoleInline["Role"] != 2*n {
		t.Errorf("Measure() = %+v, want key, bucket, trust %d and role inline %d", p, n, 2*n)
	}
	if id, v := Max(map[string]int{"a": 1, "b": 3, "c": 3}); id != "b" || v != 3 {
		t.Errorf("Max() = %s %d, want b 3", id, v)
	}
}
