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

func pipeline(stages, actions int, overrides interface{}) map[string]interface{} {
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
		{"ten managed policies on a role: the default quota, a warning", roleWithPolicies(managedArns(10), 0), nil, []string{limits.IAMRoleManagedPolicies}},
		{"eleven managed policies on a role", roleWithPolicies(managedArns(11), 0), []string{limits.IAMRoleManagedPolicies}, nil},
		{"nine ARNs and two policies whose Roles name the role", roleWithPolicies(managedArns(9), 2), []string{limits.IAMRoleManagedPolicies}, nil},
		{"one ARN listed twice is attached once", roleWithPolicies(append(managedArns(10), managedArns(1)...), 0), nil, []string{limits.IAMRoleManagedPolicies}},
		{"seven managed policies and a permissions boundary", roleWithPolicies(managedArns(7), 0), nil, nil},
		{"ten Auto Scaling groups and a tag group of eight: warnings", res("AWS::CodeDeploy::DeploymentGroup", map[string]interface{}{"AutoScalingGroups": strs(10), "Ec2TagSet": tagSet("Ec2", 8)}), nil, []string{limits.CodeDeployASGs, limits.CodeDeployTags}},
		{"eleven Auto Scaling groups", res("AWS::CodeDeploy::DeploymentGroup", map[string]interface{}{"AutoScalingGroups": strs(11)}), []string{limits.CodeDeployASGs}, nil},
		{"eleven EC2 tags in one group", res("AWS::CodeDeploy::DeploymentGroup", map[string]interface{}{"Ec2TagSet": tagSet("Ec2", 11)}), []string{limits.CodeDeployTags}, nil},
		{"eleven on-premises tags in the second group", res("AWS::CodeDeploy::DeploymentGroup", map[string]interface{}{"OnPremisesTagSet": tagSet("OnPremises", 2, 11)}), []string{limits.CodeDeployTags}, nil},
		{"four EC2 tag groups", res("AWS::CodeDeploy::DeploymentGroup", map[string]interface{}{"Ec2TagSet": tagSet("Ec2", 1, 1, 1, 1)}), []string{limits.CodeDeployTagGroups}, nil},
		{"eleven tag filters", res("AWS::CodeDeploy::DeploymentGroup", map[string]interface{}{"Ec2TagFilters": strs(11)}), []string{limits.CodeDeployTags}, nil},
		{"three tag groups of seven", res("AWS::CodeDeploy::DeploymentGroup", map[string]interface{}{"Ec2TagSet": tagSet("Ec2", 7, 7, 7), "AutoScalingGroups": strs(7)}), nil, []string{limits.CodeDeployTagGroups}},
		{"project description of 200 characters", res("AWS::CodeBuild::Project", map[string]interface{}{"Description": strings.Repeat("d", 200)}), nil, nil},
		{"project description of 255 characters, not bytes: no warning (Relay cuts to the limit)", res("AWS::CodeBuild::Project", map[string]interface{}{"Description": strings.Repeat("é", 255)}), nil, nil},
		{"project description of 256 characters", res("AWS::CodeBuild::Project", map[string]interface{}{"Description": strings.Repeat("d", 256)}), []string{limits.CodeBuildDescription}, nil},
		// A StackSet's inline template is measured as a stack's own: its
		// managed policy meets IAM's quota in every account it lands in.
		{"managed policy too large inside a StackSet's template", res("AWS::CloudFormation::StackSet", map[string]interface{}{
			"TemplateBody": string(mustJSON(res("AWS::IAM::ManagedPolicy", map[string]interface{}{"PolicyDocument": statements(6200)})))}), []string{limits.IAMManagedPolicy}, nil},
		{"a StackSet's template that fits", res("AWS::CloudFormation::StackSet", map[string]interface{}{
			"TemplateBody": string(mustJSON(res("AWS::IAM::ManagedPolicy", map[string]interface{}{"PolicyDocument": statements(1000)})))}), nil, nil},
		{"a StackSet's inline template over 51,200 bytes", res("AWS::CloudFormation::StackSet", map[string]interface{}{
			"TemplateBody": string(mustJSON(map[string]interface{}{"Description": strings.Repeat("d", 52000)}))}), []string{limits.StackSetTemplate}, nil},
		{"399 resources", map[string]interface{}{"Resources": resources(399, "AWS::SNS::Topic", nil)}, nil, nil},
		{"501 resources", map[string]interface{}{"Resources": resources(501, "AWS::SNS::Topic", nil)}, []string{limits.StackResources}, nil},
		{"201 outputs and parameters", map[string]interface{}{"Outputs": resources(201, "x", nil), "Parameters": resources(201, "x", nil)}, []string{limits.StackOutputs, limits.StackParameters}, nil},
		{"template body too large", map[string]interface{}{"Description": strings.Repeat("d", 1<<20)}, []string{limits.TemplateBody}, nil},
		{"pipeline fits", pipeline(10, 10, `{"a":"b"}`), nil, nil},
		{"pipeline too many stages", pipeline(51, 1, ""), []string{limits.PipelineStages}, nil},
		{"stage with too many actions", pipeline(1, 51, ""), []string{limits.StageActions}, nil},
		{"full stage: Relay packs stages, no warning", pipeline(1, 50, ""), nil, nil},
		{"an entry condition of 3 rules", conditionRules(3), nil, nil},
		{"an entry condition of 4 rules: a warning", conditionRules(4), nil, []string{limits.ConditionRules}},
		{"an entry condition of 6 rules", conditionRules(6), []string{limits.ConditionRules}, nil},
		{"parameter overrides too long", pipeline(1, 1, strings.Repeat("p", 1001)), []string{limits.ActionConfiguration}, nil},
		{"parameter overrides near the limit", pipeline(1, 1, strings.Repeat("p", 800)), nil, []string{limits.ActionConfiguration}},
		{"names within their limits", map[string]interface{}{"Resources": map[string]interface{}{
			"R": map[string]interface{}{"Type": "AWS::IAM::Role", "Properties": map[string]interface{}{"RoleName": strings.Repeat("r", 64)}},
			"B": map[string]interface{}{"Type": "AWS::S3::Bucket", "Properties": map[string]interface{}{"BucketName": "a.b-c"}},
			"G": map[string]interface{}{"Type": "AWS::Logs::LogGroup", "Properties": map[string]interface{}{"LogGroupName": map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{"/x/", strings.Repeat("l", 600)}}}}},
		}}, nil, nil},
		{"a role name too long", res("AWS::IAM::Role", map[string]interface{}{"RoleName": strings.Repeat("r", 65)}), []string{limits.IAMRoleName}, nil},
		{"a role path too long", res("AWS::IAM::Role", map[string]interface{}{"RoleName": "r", "Path": "/" + strings.Repeat("p", 512) + "/"}), []string{limits.IAMPath}, nil},
		{"a bucket name with capitals", res("AWS::S3::Bucket", map[string]interface{}{"BucketName": "Payments-artifacts"}), []string{limits.S3BucketName}, nil},
		{"a StackSet name too long", res("AWS::CloudFormation::StackSet", map[string]interface{}{"StackSetName": "s" + strings.Repeat("x", 128)}), []string{limits.StackSetName}, nil},
		{"a stage, an action and a namespace too long", map[string]interface{}{"Resources": map[string]interface{}{"P": map[string]interface{}{"Type": "AWS::CodePipeline::Pipeline", "Properties": map[string]interface{}{
			"Name": "p", "Stages": []interface{}{map[string]interface{}{"Name": strings.Repeat("s", 101), "Actions": []interface{}{
				map[string]interface{}{"Name": strings.Repeat("a", 101), "Namespace": strings.Repeat("n", 101)}}}}}}}},
			[]string{limits.ActionName, limits.Namespace, limits.StageName}, nil},
		{"a value built by Fn::Join, measured as deployed", pipeline(1, 1, map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{strings.Repeat("p", 990), map[string]interface{}{"Ref": "AWS::AccountId"}}}}), []string{limits.ActionConfiguration}, nil},
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

// conditionRules is a pipeline whose second stage's entry condition has n
// CloudWatchAlarm rules.
func conditionRules(n int) map[string]interface{} {
	var rules []interface{}
	for i := range n {
		rules = append(rules, map[string]interface{}{"Name": fmt.Sprintf("NoAlarm%d", i+1),
			"RuleTypeId":    map[string]interface{}{"Category": "Rule", "Owner": "AWS", "Provider": "CloudWatchAlarm", "Version": "1"},
			"Configuration": map[string]interface{}{"AlarmName": fmt.Sprintf("a%d", i)}})
	}
	action := map[string]interface{}{"Name": "A", "ActionTypeId": map[string]interface{}{"Category": "Approval", "Owner": "AWS", "Provider": "Manual", "Version": "1"}}
	return res("AWS::CodePipeline::Pipeline", map[string]interface{}{"Name": "p", "Stages": []interface{}{
		map[string]interface{}{"Name": "S1", "Actions": []interface{}{action}},
		map[string]interface{}{"Name": "S2", "Actions": []interface{}{action},
			"BeforeEntry": map[string]interface{}{"Conditions": []interface{}{map[string]interface{}{"Result": "FAIL", "Rules": rules}}}},
	}})
}

// strs are n distinct strings.
func strs(n int) []interface{} {
	var out []interface{}
	for i := range n {
		out = append(out, fmt.Sprintf("s%d", i))
	}
	return out
}

// tagSet is a deployment group's <kind>TagSet property (Ec2 or
// OnPremises) with a tag group of each size in sizes.
func tagSet(kind string, sizes ...int) map[string]interface{} {
	var list []interface{}
	for _, n := range sizes {
		var tags []interface{}
		for i := range n {
			tags = append(tags, map[string]interface{}{"Key": "app", "Value": fmt.Sprint(i), "Type": "KEY_AND_VALUE"})
		}
		list = append(list, map[string]interface{}{kind + "TagGroup": tags})
	}
	return map[string]interface{}{kind + "TagSetList": list}
}

// managedArns are n customer managed policy ARNs.
func managedArns(n int) []interface{} {
	var out []interface{}
	for i := range n {
		out = append(out, fmt.Sprintf("arn:aws:iam::111111111111:policy/p%d", i))
	}
	return out
}

// roleWithPolicies is a template with the role R, its ManagedPolicyArns arns and a
// permissions boundary, and attached AWS::IAM::ManagedPolicy resources
// whose Roles refer to R, plus one that names another role.
func roleWithPolicies(arns []interface{}, attached int) map[string]interface{} {
	r := map[string]interface{}{
		"R": map[string]interface{}{"Type": "AWS::IAM::Role", "Properties": map[string]interface{}{
			"ManagedPolicyArns": arns, "PermissionsBoundary": "arn:aws:iam::111111111111:policy/boundary"}},
		"Other": map[string]interface{}{"Type": "AWS::IAM::ManagedPolicy", "Properties": map[string]interface{}{
			"PolicyDocument": statements(100), "Roles": []interface{}{map[string]interface{}{"Ref": "OtherRole"}, "a-role-by-name"}}},
	}
	for i := range attached {
		r[fmt.Sprintf("M%d", i)] = map[string]interface{}{"Type": "AWS::IAM::ManagedPolicy", "Properties": map[string]interface{}{
			"PolicyDocument": statements(100), "Roles": []interface{}{map[string]interface{}{"Ref": "R"}}}}
	}
	return map[string]interface{}{"Resources": r}
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

// TestFindingPhysical: a finding names the resource by its own name (a
// role's RoleName), not another name it carries (its Path), so that
// delivery.Spec.Explain finds the config fields that grow the role.
func TestFindingPhysical(t *testing.T) {
	body, _ := json.Marshal(res("AWS::IAM::Role", map[string]interface{}{"RoleName": "payments-staging-cfn-exec", "Path": "/relay/payments/",
		"Policies": []interface{}{map[string]interface{}{"PolicyDocument": statements(11000)}}}))
	found, err := limits.CheckTemplate("stack", body)
	if err != nil || len(found) != 1 || found[0].Physical != "payments-staging-cfn-exec" {
		t.Errorf("CheckTemplate() = %+v, %v; want one finding of the role payments-staging-cfn-exec", found, err)
	}
}

func TestCheckTemplateNotJSON(t *testing.T) {
	if _, err := limits.CheckTemplate("stack", []byte("{")); err == nil {
		t.Error("CheckTemplate accepted a body that is not JSON")
	}
}

// TestCheckName has a compliant and a non-compliant case per name rule.
func TestCheckName(t *testing.T) {
	tests := []struct {
		id, name, want string // want: a part of the rule broken, "" to pass
	}{
		{limits.StackName, "payments-tooling", ""},
		{limits.StackName, "1payments", "a letter, then letters, digits and hyphens"},
		{limits.StackName, "p" + strings.Repeat("x", 127), ""},
		{limits.StackName, "p" + strings.Repeat("x", 128), "has 129 characters; a CloudFormation stack name has at most 128"},
		{limits.StackSetName, "app-pilot_accounts", "a letter, then letters, digits and hyphens"},
		{limits.IAMRoleName, "payments-staging-deploy", ""},
		{limits.IAMRoleName, "relay/payments", "letters, digits and +=,.@_-"},
		{limits.S3BucketName, "payments-artifacts-111111111111-us-east-1", ""},
		{limits.S3BucketName, "ab", "has at least 3"},
		{limits.S3BucketName, "payments-", "starting and ending with a letter or digit"},
		{limits.S3BucketName, strings.Repeat("b", 64), "has 64 characters"},
		{limits.S3BucketName, "sthree-pay-artifacts-111111111111-us-east-1", "starts with sthree-, which AWS reserves for its own S3 bucket names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)"},
		{limits.S3BucketName, "amzn-s3-demo-pay-artifacts-111111111111-us-east-1", "starts with amzn-s3-demo-, which AWS reserves"},
		{limits.S3BucketName, "xn--pay-artifacts", "starts with xn--, which AWS reserves"},
		{limits.S3BucketName, "pay-sthree-artifacts", ""},
		{limits.LogGroupName, "/relay/payments/build", ""},
		{limits.PipelineName, "payments", ""},
		{limits.PipelineName, "pay ments", "letters, digits and .@_-"},
		{limits.CodeBuildProjectName, "payments-test-unit", ""},
		{limits.CodeBuildProjectName, "-payments", "a letter or digit"},
		{limits.ReportGroupName, strings.Repeat("r", 129), "has at most 128"},
		{limits.SNSTopicName, "payments-staging-approval", ""},
		{limits.SNSTopicName, "payments.staging", "letters, digits, _ and -"},
		{limits.CodeDeployAppName, strings.Repeat("a", 101), "has at most 100"},
		{limits.CodeDeployGroupName, "payments-staging", ""},
		{limits.KMSAliasName, "alias/relay/payments/artifacts", ""},
		{limits.KMSAliasName, "relay/payments", "alias/ then"},
		{limits.KMSAliasName, "alias/aws/payments", "starts with alias/aws/, which AWS reserves"},
		{limits.IAMPath, "/", ""},
		{limits.IAMPath, "/relay/payments/", ""},
		{limits.IAMPath, "/" + strings.Repeat("p", 510) + "/", ""},
		{limits.IAMPath, "/" + strings.Repeat("p", 511) + "/", "has 513 characters; an IAM path has at most 512"},
		{limits.IAMPath, "relay/", "printable ASCII characters without spaces between a leading and a trailing /"},
		{limits.IAMPath, "/relay/örders/", "printable ASCII characters"},
		{limits.IAMPath, "/relay payments/", "printable ASCII characters"},
		{limits.EventRuleName, strings.Repeat("e", 65), "has at most 64"},
		{limits.IAMManagedPolicyName, "payments-staging-artifact-reader", ""},
		{limits.Namespace, "Deploy_staging_us-east-1", ""},
		{limits.Namespace, "Deploy.staging", "letters, digits and @_-"},
	}
	for _, tc := range tests {
		got := limits.CheckName(tc.id, tc.name)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("CheckName(%s, %q) = %q, want %q", tc.id, tc.name, got, tc.want)
		}
	}
	for id := range limits.NameRules {
		limits.ByID(id) // every rule has its Table row
	}
}

// TestTable checks that every quota has one row, a source page and a fix.
func TestTable(t *testing.T) {
	seen := map[string]bool{}
	for _, l := range limits.Table {
		if seen[l.ID] {
			t.Errorf("%s: listed twice", l.ID)
		}
		seen[l.ID] = true
		// VariableReference is a rule, not a count: Max 0.
		if (l.Max <= 0) != (l.ID == limits.VariableReference) || !strings.HasPrefix(l.Source, "https://docs.aws.amazon.com/") || l.Fix == "" || l.What == "" {
			t.Errorf("%s: want a positive Max, an AWS documentation Source, What and Fix: %+v", l.ID, l)
		}
		if limits.Max(l.ID) != l.Max {
			t.Errorf("Max(%s) = %d, want %d", l.ID, limits.Max(l.ID), l.Max)
		}
	}
}

// TestFindingError pins the two message forms: a quota of a resource, and
// an action configuration value reported through the field that drives it.
func TestFindingError(t *testing.T) {
	tests := []struct {
		name string
		f    limits.Finding
		want string
	}{
		{"resource", limits.Finding{Limit: limits.ByID(limits.S3BucketPolicy), Stack: "payments-tooling", Resource: "Bucket", Value: 21000},
			"payments-tooling/Bucket: S3 bucket policy (bytes) is 21000, which exceeds the limit of 20480 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html): admit fewer principals by name or by account"},
		{"configuration value without a field", limits.Finding{Limit: limits.ByID(limits.ActionConfiguration), Stack: "payments-tooling", Resource: "Pipeline", Value: 1234,
			Stage: "Deploy-staging", Action: "Prepare-us-east-1", Key: "ParameterOverrides"},
			"1234 characters of ParameterOverrides in payments-tooling/Pipeline (stage Deploy-staging, action Prepare-us-east-1), which exceeds CodePipeline's limit of 1000 per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html): shorten the value: move stack parameters into a template configuration file, build variables into the build project, long inputs into files of the build output"},
		{"configuration value through its field", limits.Finding{Limit: limits.ByID(limits.ActionConfiguration), Stack: "payments-tooling", Resource: "Pipeline", Value: 900,
			Stage: "Deploy-staging", Action: "Prepare-us-east-1", Key: "ParameterOverrides", Field: "environments[0].parameters", Fix: "move parameters into templateConfiguration"},
			"environments[0].parameters: 900 characters of ParameterOverrides in payments-tooling/Pipeline (stage Deploy-staging, action Prepare-us-east-1), which is at 90% of CodePipeline's limit of 1000 per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html): move parameters into templateConfiguration"},
		{"a name", limits.Finding{Limit: limits.ByID(limits.IAMRoleName), Stack: "p-staging", Resource: "Role", Value: 65, Name: strings.Repeat("r", 65), Property: "RoleName",
			Rule: limits.CheckName(limits.IAMRoleName, strings.Repeat("r", 65))},
			"p-staging/Role: RoleName \"" + strings.Repeat("r", 65) + "\" has 65 characters; an IAM role name has at most 64 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): use a shorter name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f.Error(); got != tc.want {
				t.Errorf("Error() =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// mustJSON is v as JSON.
func mustJSON(v interface{}) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
