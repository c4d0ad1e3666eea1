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
	} {
		if got := tt.f(tt.s); got != tt.ok {
			t.Errorf("%s(%q) = %v, want %v", tt.rule, tt.s, got, tt.ok)
		}
	}
}
