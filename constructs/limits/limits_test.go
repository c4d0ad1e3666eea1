package limits_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/limits"
)

// statements is a policy document of about n bytes.
func statements(n int) map[string]interface{} {
	var sts []interface{}
	for size := 0; size < n; size += 100 {
		sts = append(sts, map[string]interface{}{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + strings.Repeat("b", 50)})
	}
	return map[string]interface{}{"Version": "2012-10-17", "Statement": sts}
}

func resources(n int, typ string, props map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for i := 0; i < n; i++ {
		out[fmt.Sprintf("R%d", i)] = map[string]interface{}{"Type": typ, "Properties": props}
	}
	return out
}

func pipeline(stages, actions int, overrides string) map[string]interface{} {
	var ss []interface{}
	for s := 0; s < stages; s++ {
		var as []interface{}
		for a := 0; a < actions; a++ {
			as = append(as, map[string]interface{}{"Name": fmt.Sprintf("A%d", a), "Configuration": map[string]interface{}{"ParameterOverrides": overrides}})
		}
		ss = append(ss, map[string]interface{}{"Name": fmt.Sprintf("S%d", s), "Actions": as})
	}
	return map[string]interface{}{"Resources": map[string]interface{}{"Pipeline": map[string]interface{}{"Type": "AWS::CodePipeline::Pipeline", "Properties": map[string]interface{}{"Stages": ss}}}}
}

func res(typ string, props map[string]interface{}) map[string]interface{} {
	return map[string]interface{}{"Resources": map[string]interface{}{"X": map[string]interface{}{"Type": typ, "Properties": props}}}
}

// TestCheckTemplate has a compliant and a non-compliant case per limit.
func TestCheckTemplate(t *testing.T) {
	tests := []struct {
		name string
		tpl  map[string]interface{}
		want []string // limit IDs over their limit
		warn []string // limit IDs at WarnAt or more, not over
	}{
		{"empty", map[string]interface{}{}, nil, nil},
		{"key policy fits", res("AWS::KMS::Key", map[string]interface{}{"KeyPolicy": statements(1000)}), nil, nil},
		{"key policy too large", res("AWS::KMS::Key", map[string]interface{}{"KeyPolicy": statements(33000)}), []string{limits.KMSKeyPolicy}, nil},
		{"bucket policy near the limit", res("AWS::S3::BucketPolicy", map[string]interface{}{"PolicyDocument": statements(17000)}), nil, []string{limits.S3BucketPolicy}},
		{"bucket policy too large", res("AWS::S3::BucketPolicy", map[string]interface{}{"PolicyDocument": statements(21000)}), []string{limits.S3BucketPolicy}, nil},
		{"role inline fits", res("AWS::IAM::Role", map[string]interface{}{"AssumeRolePolicyDocument": statements(100), "Policies": []interface{}{map[string]interface{}{"PolicyDocument": statements(5000)}}}), nil, nil},
		{"role inline and trust too large", res("AWS::IAM::Role", map[string]interface{}{"AssumeRolePolicyDocument": statements(2100), "Policies": []interface{}{map[string]interface{}{"PolicyDocument": statements(11000)}}}), []string{limits.IAMRoleInline, limits.IAMTrustPolicy}, nil},
		{"managed policy too large", res("AWS::IAM::ManagedPolicy", map[string]interface{}{"PolicyDocument": statements(6200)}), []string{limits.IAMManagedPolicy}, nil},
		{"399 resources", map[string]interface{}{"Resources": resources(399, "AWS::SNS::Topic", nil)}, nil, nil},
		{"501 resources", map[string]interface{}{"Resources": resources(501, "AWS::SNS::Topic", nil)}, []string{limits.StackResources}, nil},
		{"201 outputs and parameters", map[string]interface{}{"Outputs": resources(201, "x", nil), "Parameters": resources(201, "x", nil)}, []string{limits.StackOutputs, limits.StackParameters}, nil},
		{"template body too large", map[string]interface{}{"Description": strings.Repeat("d", 1<<20)}, []string{limits.TemplateBody}, nil},
		{"pipeline fits", pipeline(10, 10, `{"a":"b"}`), nil, nil},
		{"pipeline too many stages", pipeline(51, 1, ""), []string{limits.PipelineStages}, nil},
		{"stage with too many actions", pipeline(1, 51, ""), []string{limits.StageActions}, nil},
		{"full stage: Relay packs stages, no warning", pipeline(1, 50, ""), nil, nil},
		{"parameter overrides too long", pipeline(1, 1, strings.Repeat("p", 1001)), []string{limits.ParameterOverrides}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var over, warn []string
			body, _ := json.Marshal(tc.tpl)
			found, err := limits.CheckTemplate("stack", body)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range found {
				if f.Over() {
					over = appendOnce(over, f.Limit.ID)
				} else {
					warn = appendOnce(warn, f.Limit.ID)
				}
			}
			if fmt.Sprint(over) != fmt.Sprint(sorted(tc.want)) || fmt.Sprint(warn) != fmt.Sprint(sorted(tc.warn)) {
				t.Errorf("over %v, warn %v; want over %v, warn %v", over, warn, tc.want, tc.warn)
			}
		})
	}
}

func appendOnce(v []string, s string) []string {
	for _, x := range v {
		if x == s {
			return v
		}
	}
	v = append(v, s)
	return sorted(v)
}

func sorted(v []string) []string {
	out := append([]string(nil), v...)
	sort.Strings(out)
	return out
}

func TestCheckTemplateNotJSON(t *testing.T) {
	if _, err := limits.CheckTemplate("stack", []byte("{")); err == nil {
		t.Error("CheckTemplate accepted a body that is not JSON")
	}
}
