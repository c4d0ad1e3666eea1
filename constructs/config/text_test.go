package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	rlo     = "contains U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional control character, which can make text display in another order than it is read (Trojan Source); remove it"
	nul     = "contains U+0000 (NULL), a control character; remove it"
	zwsp    = "contains U+200B (ZERO WIDTH SPACE), an invisible format character, which can make text display differently from what it is; remove it"
	isolate = "contains U+2066 (LEFT-TO-RIGHT ISOLATE), a bidirectional control character, which can make text display in another order than it is read (Trojan Source); remove it"
)

// TestValidateText checks that control and bidirectional characters are
// refused in every text field, map keys included, each naming its field and
// reported alone.
func TestValidateText(t *testing.T) {
	runValidateCases(t, []validateCase{
		{
			name:   "override in an approval comment",
			mutate: func(c *Config) { c.Environments[1].Approval.Comment = "Approve\u202e deployment" },
			want:   []string{`environments[1].approval.comment "Approve\u202e deployment": ` + rlo},
		},
		{
			name:   "NUL in the name is reported alone",
			mutate: func(c *Config) { c.Name = "pay\x00ments" },
			want:   []string{`name "pay\x00ments": ` + nul},
		},
		{
			name:   "zero-width space in an environment name",
			mutate: func(c *Config) { c.Environments[0].Name = "sta\u200bging" },
			want:   []string{`environments[0].name "sta\u200bging": ` + zwsp},
		},
		{
			name: "a default made from a refused name is not reported again",
			mutate: func(c *Config) {
				c.Environments[1].Name = "prod\u200buction"
				c.Environments[1].Approval.Comment = "Approve deployment to prod\u200buction"
			},
			want: []string{`environments[1].name "prod\u200buction": ` + zwsp},
		},
		{
			name: "isolate in a parameter key and a statement reason",
			mutate: func(c *Config) {
				c.Environments[0].Parameters["Stage\u2066"] = "x"
				c.Deploy.ExecutionPolicy.Statements[0].Reason += "\u2066"
			},
			want: []string{
				`deploy.executionPolicy.statements[0].reason "The workload's functions are named payments-app-*; CloudFormation appends generated suffixes.\u2066": ` + isolate,
				`environments[0].parameters.Stage` + "\u2066" + ` "Stage\u2066": ` + isolate,
			},
		},
		{
			name: "in an extra source (inline fields) and a hook",
			mutate: func(c *Config) {
				c.ExtraSources = []ExtraSource{{Name: "config", Source: Source{S3: &S3Source{Bucket: "conf\u202eig", Key: "a.zip", Versioned: true}}}}
				c.Deploy.Hooks[0].Lambda.UserParameters = "{\"path\": \"/health\u202e\"}"
			},
			want: []string{
				`extraSources[0].s3.bucket "conf\u202eig": ` + rlo,
				`deploy.hooks[0].lambda.userParameters "{\"path\": \"/health\u202e\"}": ` + rlo,
			},
		},
		{
			name: "joiners, tabs and line breaks are text",
			mutate: func(c *Config) {
				c.Environments[1].Approval.Comment = "Ship it \U0001F468\u200d\U0001F469\u200d\U0001F467\n\tafter the \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 check"
			},
		},
	})
}

// TestParseText checks the same on files: an escaped NUL in a quoted
// string, a raw override in a value, and one that no field holds.
func TestParseText(t *testing.T) {
	tests := []struct{ name, input, want string }{
		{"escaped NUL", edit("name: payments", `name: "pay\0ments"`),
			`relay.yaml:1: name "pay\x00ments": ` + nul},
		{"override in a value", edit("    repository: acme/payments", "    repository: acme/pay\u202eyap"),
			`relay.yaml:7: source.github.repository "acme/pay\u202eyap": ` + rlo},
		{"override in an anchor", edit("    regions: [us-east-1]", "    regions: &r\u202e [us-east-1]"),
			"relay.yaml:15: the line contains U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional control character, which can make text display in another order than it is read (Trojan Source) outside any text field; remove it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("relay.yaml", []byte(tt.input))
			if err == nil {
				t.Fatalf("Parse() = nil error, want %q", tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("Parse() error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
