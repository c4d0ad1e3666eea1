package idrules

import (
	"strings"
	"testing"
)

func TestRules(t *testing.T) {
	tests := []struct {
		rule  string
		value string
		ok    bool
		want  string // part of the message when !ok
	}{
		{"email", "ops@example.com", true, ""},
		{"email", "Ops <ops@example.com>", false, "email address"},
		{"email", "ops", false, "email address"},
		{"email", "ops@localhost", false, "email address"},
		{"email", "ops@example.com,dev@example.com", false, "email address"},
		{"workspace", "T0123ABCD45", true, ""},
		{"workspace", "t0123abcd45", false, "starting with T"},
		{"workspace", "acme.slack.com", false, "workspace ID"},
		{"channel", "C0123ABCD45", true, ""},
		{"channel", "G01234567", true, ""},
		{"channel", "#deploys", false, "not its name"},
		{"channel", "https://acme.slack.com/archives/C0123ABCD45", false, "not its name or link"},
		{"channel", "deploys", false, "starting with C or G"},
		{"channel", "D0123ABCD45", false, "starting with C or G"},
		{"guid", "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d", true, ""},
		{"guid", "acme", false, "GUID"},
		{"teams", "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2", true, ""},
		{"teams", "19:b6ef35dc342d56ba5654e6fc6d25a071@thread.tacv2", false, `"19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2"`},
		{"teams", "General", false, "URL-encoded"},
		{"trail", "payments-audit", true, ""},
		{"trail", "a.b_c-d", true, ""},
		{"trail", "ab", false, "3 to 128"},
		{"trail", "-audit", false, "starting and ending"},
		{"trail", "my--trail", false, "adjacent"},
		{"trail", "my-_trail", false, "adjacent"},
		{"trail", "10.0.0.1", false, "IP address"},
		{"trail", "audit trail", false, "3 to 128"},
		{"trail", strings.Repeat("a", 129), false, "3 to 128"},
		{"trailref", "org-trail", true, ""},
		{"trailref", "arn:aws:cloudtrail:us-east-1:999999999999:trail/org-trail", true, ""},
		{"trailref", "arn:aws:cloudtrail:us-east-1:999999999999:trail/org--trail", false, "names a trail whose name"},
		{"trailref", "arn:aws:s3:::bucket", false, "trail ARN"},
	}
	for _, tt := range tests {
		var got string
		switch tt.rule {
		case "email":
			got = Email(tt.value)
		case "workspace":
			got = SlackWorkspaceID(tt.value)
		case "channel":
			got = SlackChannelID(tt.value)
		case "guid":
			got = TeamsGUID(tt.value, "team ID")
		case "teams":
			got = TeamsChannelID(tt.value)
		case "trail":
			got = TrailName(tt.value)
		case "trailref":
			got = TrailReference(tt.value)
		}
		if (got == "") != tt.ok || !strings.Contains(got, tt.want) {
			t.Errorf("%s(%q) = %q; want ok=%v containing %q", tt.rule, tt.value, got, tt.ok, tt.want)
		}
	}
}
