package values

import (
	"strings"
	"testing"
)

// TestNames checks the names that land in policies and trusts: each takes
// what AWS names may hold and never IAM's wildcards * and ?.
func TestNames(t *testing.T) {
	secret := func(s string) bool { _, _, _, ok := SecretARN(s); return ok }
	principal := func(s string) bool { _, _, _, ok := PrincipalARN(s); return ok }
	stackOutput := func(s string) bool { _, _, ok := StackOutputRef(s); return ok }
	for _, tt := range []struct {
		rule string
		f    func(string) bool
		s    string
		ok   bool
	}{
		{"SecretARN", secret, "arn:aws:secretsmanager:us-east-1:111111111111:secret:payments/api-key-AbCdEf", true},
		{"SecretARN", secret, "arn:aws:secretsmanager:us-east-1:111111111111:secret:payments/api-key:token::", true},
		{"SecretARN", secret, "arn:aws:secretsmanager:us-east-1:111111111111:secret:*", false},
		{"SecretARN", secret, "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod-?", false},
		{"SecretARN", secret, "arn:aws:secretsmanager:*:111111111111:secret:payments", false},
		{"SecretARN", secret, "*", false},
		{"SSMParameterName", SSMParameterName, "/payments/db-url", true},
		{"SSMParameterName", SSMParameterName, "payments.db_url", true},
		{"SSMParameterName", SSMParameterName, "/payments/*", false},
		{"SSMParameterName", SSMParameterName, "", false},
		{"BucketName", BucketName, "payments-releases", true},
		{"BucketName", BucketName, "payments-*", false},
		{"BucketName", BucketName, "a..b", false},
		{"BucketName", BucketName, "Payments", false},
		{"CacheControlDirective", CacheControlDirective, "max-age=300", true},
		{"CacheControlDirective", CacheControlDirective, "public", true},
		{"CacheControlDirective", CacheControlDirective, "no-cache, no-store", false},
		{"CacheControlDirective", CacheControlDirective, "max-age=1\nx", false},
		{"HelmValuePath", HelmValuePath, "image.tag", true},
		{"HelmValuePath", HelmValuePath, "ingress.hosts[0].paths[12].path", true},
		{"HelmValuePath", HelmValuePath, "x[y]", false},
		{"HelmValuePath", HelmValuePath, "a..b", false},
		{"HelmValuePath", HelmValuePath, "a]b", false},
		{"HelmValuePath", HelmValuePath, "[0]", false},
		{"HelmValuePath", HelmValuePath, "a,b", false},
		{"HelmValuePath", HelmValuePath, strings.Repeat("k", 201), false},
		{"CodeCommitRepository", CodeCommitRepository, "payments_api.v2", true},
		{"CodeCommitRepository", CodeCommitRepository, "payments-*", false},
		{"CodeCommitRepository", CodeCommitRepository, strings.Repeat("r", 101), false},
		{"ECRRepository", ECRRepository, "payments/api", true},
		{"ECRRepository", ECRRepository, "payments/*", false},
		{"ECRRepository", ECRRepository, strings.Repeat("r", 257), false},
		{"PrincipalARN", principal, "arn:aws:iam::111111111111:role/release/managers", true},
		{"PrincipalARN", principal, "arn:aws:iam::111111111111:root", true},
		{"PrincipalARN", principal, "arn:aws:iam::111111111111:role/*", false},
		{"PrincipalARN", principal, "arn:aws:iam::111111111111:user/ops-?", false},
		{"PrincipalARN", principal, "arn:aws:iam::111111111111:role/ops-€", false},
		{"ImageTag", ImageTag, "v1.2_rc-3", true},
		{"ImageTag", ImageTag, strings.Repeat("t", 128), true},
		{"ImageTag", ImageTag, strings.Repeat("t", 129), false},
		{"ImageTag", ImageTag, ".hidden", false},
		{"ImageTag", ImageTag, "v1:2", false},
		{"ExecutionNamePrefix", ExecutionNamePrefix, "migrate_v2-db", true},
		{"ExecutionNamePrefix", ExecutionNamePrefix, strings.Repeat("m", 43), true},
		{"ExecutionNamePrefix", ExecutionNamePrefix, strings.Repeat("m", 44), false},
		{"ExecutionNamePrefix", ExecutionNamePrefix, "migrate.v2", false},
		{"TemplateParameterName", TemplateParameterName, "ImageTag2", true},
		{"TemplateParameterName", TemplateParameterName, "Image-Tag", false},
		{"TemplateParameterName", TemplateParameterName, strings.Repeat("p", 256), false},
		{"IsAccount", IsAccount, "111111111111", true},
		{"IsAccount", IsAccount, "11111111111", false},
		{"OrganizationalUnitID", OrganizationalUnitID, "ou-ab12-cd34ef56", true},
		{"OrganizationalUnitID", OrganizationalUnitID, "ou-ab12-cd34", false},
		{"VPCID", VPCID, "vpc-0a1b2c3d4e5f67890", true},
		{"VPCID", VPCID, "vpc-0A1B2C3D", false},
		{"SubnetID", SubnetID, "subnet-0a1b2c3d", true},
		{"SubnetID", SubnetID, "subnet-0a1b2c3d4e5f678901", false},
		{"SecurityGroupID", SecurityGroupID, "sg-0a1b2c3d4e5f67890", true},
		{"SecurityGroupID", SecurityGroupID, "default", false},
		{"FreezeReason", FreezeReason, "Holiday freeze (until Jan 5)!", true},
		{"FreezeReason", FreezeReason, "Freeze, see #ops", false},
		{"PipelineVariableName", PipelineVariableName, "release@Tag_2-x", true},
		{"PipelineVariableName", PipelineVariableName, "release.tag", false},
		{"EnvironmentVariableName", EnvironmentVariableName, "_DB_URL2", true},
		{"EnvironmentVariableName", EnvironmentVariableName, "2DB_URL", false},
		{"BootstrapQualifier", BootstrapQualifier, "hnb659fds", true},
		{"BootstrapQualifier", BootstrapQualifier, "Hnb659fds", false},
		{"PathCharacters", PathCharacters, "k8s/prod/app.yaml", true},
		{"PathCharacters", PathCharacters, "k8s/prod app.yaml", false},
		{"EntryName", EntryName, "smoke-test2", true},
		{"EntryName", EntryName, "2smoke", false},
		{"StackOutputRef", stackOutput, "api.ApiUrl", true},
		{"StackOutputRef", stackOutput, "ApiUrl", true},
		{"StackOutputRef", stackOutput, "api.Api-Url", false},
		{"EKSClusterName", EKSClusterName, "payments_prod-1", true},
		{"EKSClusterName", EKSClusterName, "-payments", false},
		{"HelmReleaseName", HelmReleaseName, strings.Repeat("r", 53), true},
		{"HelmReleaseName", HelmReleaseName, strings.Repeat("r", 54), false},
		{"KubernetesNamespace", KubernetesNamespace, strings.Repeat("n", 63), true},
		{"KubernetesNamespace", KubernetesNamespace, "payments-", false},
		{"YQPath", YQPath, ".image.tag", true},
		{"YQPath", YQPath, ".image | .tag", false},
	} {
		if got := tt.f(tt.s); got != tt.ok {
			t.Errorf("%s(%q) = %v, want %v", tt.rule, tt.s, got, tt.ok)
		}
	}
}

// TestS3SourceKeyRule: a source key is what S3 and IAM take, named exactly.
func TestS3SourceKeyRule(t *testing.T) {
	for _, tt := range []struct{ key, want string }{
		{"releases/app.zip", ""},
		{"releases/café.zip", ""},
		{strings.Repeat("k", 1024), ""},
		{"", "must be an object key of 1 to 1024 characters, not starting with /, such as releases/app.zip"},
		{"/app.zip", "must be an object key of 1 to 1024 characters, not starting with /, such as releases/app.zip"},
		{strings.Repeat("k", 1025), "must be an object key of 1 to 1024 characters, not starting with /, such as releases/app.zip"},
		{"app-€.zip", `holds "€" (U+20AC) at byte 4, which IAM refuses in the policy of the role that reads the object (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html); rename the object in characters through U+00FF`},
		{"releases/*", "contains * or ?, which IAM reads as wildcards in the object's ARN in the policy of the role that reads it, admitting every matching object; name the object exactly"},
		{"app-?.zip", "contains * or ?, which IAM reads as wildcards in the object's ARN in the policy of the role that reads it, admitting every matching object; name the object exactly"},
		{"app.zip\n", "holds the control character U+000A at byte 7: the key is written into the object's ARN in the policy of the role that reads it, and an ARN is one line of text without control characters; rename the object without it"},
		{"a\tb.zip", "holds the control character U+0009 at byte 1: the key is written into the object's ARN in the policy of the role that reads it, and an ARN is one line of text without control characters; rename the object without it"},
		{"é\r", "holds the control character U+000D at byte 2: the key is written into the object's ARN in the policy of the role that reads it, and an ARN is one line of text without control characters; rename the object without it"},
	} {
		if got := S3SourceKeyRule(tt.key); got != tt.want {
			t.Errorf("S3SourceKeyRule(%.20q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

// TestStackOutputRef: the component is "" when the output stands alone.
func TestStackOutputRef(t *testing.T) {
	for _, tt := range []struct {
		s, component, output string
		ok                   bool
	}{
		{"api.ApiUrl", "api", "ApiUrl", true},
		{"ApiUrl", "", "ApiUrl", true},
		{"Api.ApiUrl", "", "", false},
		{"api.", "", "", false},
	} {
		c, o, ok := StackOutputRef(tt.s)
		if c != tt.component || o != tt.output || ok != tt.ok {
			t.Errorf("StackOutputRef(%q) = %q, %q, %v, want %q, %q, %v", tt.s, c, o, ok, tt.component, tt.output, tt.ok)
		}
	}
}

// TestS3DeployKeyRule: the key the deploy role may write, as S3 and IAM
// take it; config and plan.S3Release share the messages.
func TestS3DeployKeyRule(t *testing.T) {
	const shape = "must be an S3 key of at most 1024 bytes (UTF-8) on one line, without IAM's wildcards * and ?, not starting with /"
	for _, tt := range []struct{ key, want string }{
		{"", ""},
		{"site/app.zip", ""},
		{"café/app.zip", ""},
		{strings.Repeat("k", 1024), ""},
		{strings.Repeat("k", 1025), shape},
		// S3 counts UTF-8 bytes: 513 characters, 1,026 bytes.
		{strings.Repeat("é", 513), shape},
		{"/site", shape},
		{"site/*", shape},
		{"site?", shape},
		{"site\nx", shape},
		{"site\u2028x", shape},
		{"site-€", `holds "€" (U+20AC) at byte 5, which IAM refuses in a policy document: it takes printable characters through U+00FF (Basic Latin and Latin-1 Supplement) only (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html); use an object key of ASCII and Latin-1 characters`},
	} {
		if got := S3DeployKeyRule(tt.key); got != tt.want {
			t.Errorf("S3DeployKeyRule(%.20q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

// TestReviewURLRule: an https link with a host (its length is the action
// value's limit, which the callers check).
func TestReviewURLRule(t *testing.T) {
	const rule = "must be an https URL, such as https://grafana.example.com/d/staging"
	for _, tt := range []struct{ url, want string }{
		{"", ""},
		{"https://grafana.example.com/d/staging?from=now-1h", ""},
		{"http://grafana.example.com", rule},
		{"https://", rule},
		{"https:///path", rule},
		{"javascript:alert(1)", rule},
		{"grafana.example.com", rule},
		{"https://exa mple.com", rule},
	} {
		if got := ReviewURLRule(tt.url); got != tt.want {
			t.Errorf("ReviewURLRule(%.30q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

// TestCodeBuildManagedImage: the prefix and a name.
func TestCodeBuildManagedImage(t *testing.T) {
	for _, tt := range []struct {
		image string
		ok    bool
	}{
		{"aws/codebuild/standard:7.0", true},
		{"aws/codebuild/amazonlinux-x86_64-standard:5.0", true},
		{"aws/codebuild/", false},
		{"", false},
		{"ubuntu:22.04", false},
		{"123456789012.dkr.ecr.us-east-1.amazonaws.com/aws/codebuild/standard:7.0", false},
	} {
		if got := CodeBuildManagedImage(tt.image); got != tt.ok {
			t.Errorf("CodeBuildManagedImage(%q) = %v, want %v", tt.image, got, tt.ok)
		}
	}
}
