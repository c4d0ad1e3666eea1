package values

import "testing"

// TestRelayIAMARN: a role or policy under /relay/<name>/ named <name>-...
// is Relay's, in any account form; the team's own under /relay/ is not.
func TestRelayIAMARN(t *testing.T) {
	for _, tt := range []struct {
		arn  string
		want bool
	}{
		{"arn:aws:iam::222222222222:role/relay/web/web-staging-deploy", true},
		{"arn:aws-cn:iam::222222222222:role/relay/web/web-staging-cfn-exec", true},
		{"arn:aws:iam::${account}:policy/relay/web/web-staging-boundary", true},
		{"arn:aws:iam::222222222222:role/web-staging-deploy", false},
		{"arn:aws:iam::222222222222:role/relay/web/api-task", false},
		{"arn:aws:iam::222222222222:policy/relay/boundaries/PaymentsDeploy", false},
		{"arn:aws:iam::222222222222:policy/relay/payments-deployer", false},
		{"arn:aws:iam::222222222222:role/relay/web/nested/web-task", false},
		{"arn:aws:s3:::relay/web/web-x", false},
	} {
		if got := RelayIAMARN(tt.arn); got != tt.want {
			t.Errorf("RelayIAMARN(%q) = %v, want %v", tt.arn, got, tt.want)
		}
	}
}
