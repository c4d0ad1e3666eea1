package values

import (
	"slices"
	"testing"
)

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

// TestPassesRelayRoles: iam:PassRole, in any case or through a wildcard, of
// a role Relay creates is found by index; a role of the team's, a policy of
// Relay's or a statement that passes nothing is not.
func TestPassesRelayRoles(t *testing.T) {
	const (
		hook     = "arn:aws:iam::222222222222:role/relay/web/web-staging-hook"
		recovery = "arn:aws:iam::111111111111:role/relay/web/web-recovery"
		own      = "arn:aws:iam::222222222222:role/web-api"
	)
	for _, tt := range []struct {
		name               string
		actions, resources []string
		want               []int
	}{
		{"Relay's roles", []string{"iam:PassRole"}, []string{own, hook, recovery}, []int{1, 2}},
		{"in another case", []string{"IAM:passrole"}, []string{hook}, []int{0}},
		{"through iam:Pass*", []string{"lambda:CreateFunction", "iam:Pass*"}, []string{hook}, []int{0}},
		{"through iam:*", []string{"iam:*"}, []string{recovery}, []int{0}},
		{"through *", []string{"*"}, []string{recovery}, []int{0}},
		{"a placeholder account", []string{"iam:PassRole"}, []string{"arn:aws:iam::${account}:role/relay/web/web-${env}-hook"}, []int{0}},
		{"the team's roles", []string{"iam:PassRole"}, []string{own, "arn:aws:iam::222222222222:role/relay/web/api-task"}, nil},
		{"Relay's policy", []string{"iam:PassRole"}, []string{"arn:aws:iam::222222222222:policy/relay/web/web-staging-boundary"}, nil},
		{"no PassRole", []string{"iam:GetRole", "lambda:CreateFunction"}, []string{hook}, nil},
	} {
		if got := PassesRelayRoles(tt.actions, tt.resources); !slices.Equal(got, tt.want) {
			t.Errorf("%s: PassesRelayRoles(%v, %v) = %v, want %v", tt.name, tt.actions, tt.resources, got, tt.want)
		}
	}
}
