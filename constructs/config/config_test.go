package config

import (
	"strings"
	"testing"
)

// TestValidateIdentity checks the rules of name, tooling and organization, each with its exact
// message.
func TestValidateIdentity(t *testing.T) {
	runValidateCases(t, []validateCase{
		{
			name:   "name missing",
			mutate: func(c *Config) { c.Name = "" },
			want:   []string{`name "": required; set a name of 3 to 24 lowercase letters, digits and hyphens, such as payments`},
		},
		{
			name:   "name with uppercase",
			mutate: func(c *Config) { c.Name = "Payments" },
			want:   []string{`name "Payments": must be 3 to 24 lowercase letters, digits and hyphens, starting with a letter, such as payments`},
		},
		{
			name:   "name too long",
			mutate: func(c *Config) { c.Name = strings.Repeat("a", 25) },
			want:   []string{`name "aaaaaaaaaaaaaaaaaaaaaaaaa": must be 3 to 24 lowercase letters, digits and hyphens, starting with a letter, such as payments`},
		},
		{
			name:   "name ending with a hyphen",
			mutate: func(c *Config) { c.Name = "payments-" },
			want:   []string{`name "payments-": must not end with '-'; remove the trailing hyphen`},
		},
		{
			name:   "name with a double hyphen",
			mutate: func(c *Config) { c.Name = "pay--ments" },
			want:   []string{`name "pay--ments": must not contain "--"; use single hyphens`},
		},
		{
			name: "stack name derived from an invalid name is reported once",
			mutate: func(c *Config) {
				c.Name = "1pay"
				c.Deploy.StackName = "1pay-app"
			},
			want: []string{`name "1pay": must be 3 to 24 lowercase letters, digits and hyphens, starting with a letter, such as payments`},
		},
		{
			name:   "tooling account missing",
			mutate: func(c *Config) { c.Tooling.Account = "" },
			want:   []string{`tooling.account "": required; set the 12-digit tooling account ID`},
		},
		{
			name:   "tooling account too short",
			mutate: func(c *Config) { c.Tooling.Account = "12345" },
			want:   []string{`tooling.account "12345": must be exactly 12 digits, such as "123456789012"`},
		},
		{
			name:   "tooling region missing",
			mutate: func(c *Config) { c.Tooling.Region = "" },
			want:   []string{`tooling.region "": required; set the region of the pipeline, such as us-east-1`},
		},
		{
			name:   "tooling region unknown",
			mutate: func(c *Config) { c.Tooling.Region = "us-east-9" },
			want:   []string{`tooling.region "us-east-9": unknown AWS region; use a region code such as us-east-1 or eu-west-1`},
		},
		{
			name:   "organization without id",
			mutate: func(c *Config) { c.Organization.ID = "" },
			want:   []string{`organization.id "": required when organization is set; set the ID shown in AWS Organizations, such as o-a1b2c3d4e5, or remove organization`},
		},
		{
			name:   "organization id malformed",
			mutate: func(c *Config) { c.Organization.ID = "o-ABC" },
			want:   []string{`organization.id "o-ABC": must be o- followed by 10 to 32 lowercase letters or digits, as shown in AWS Organizations, such as o-a1b2c3d4e5`},
		},
		{
			name:   "organization is optional",
			mutate: func(c *Config) { c.Organization = nil },
		},
		{
			name:   "organizational units malformed",
			mutate: func(c *Config) { c.Organization.OrganizationalUnits = []string{"ou-a1b2-w0rkl0ad", "workloads"} },
			want:   []string{`organization.organizationalUnits[1] "workloads": must be an organizational unit ID, ou- followed by the root's 4 to 32 characters, - and 8 to 32 more, such as ou-ab12-cd34ef56`},
		},
	})
}
