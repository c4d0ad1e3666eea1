package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// exampleConfig returns a fresh, valid Config parsed from Example.
func exampleConfig(t testing.TB) *Config {
	t.Helper()
	c, err := Parse("example.yaml", Example())
	if err != nil {
		t.Fatalf("Parse(Example()): %v", err)
	}
	return c
}

// messages splits a joined error into its messages; nil gives none.
func messages(err error) []string {
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}

const (
	connection = "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
	statement0 = "deploy.executionPolicy.statements[0]"
)

// validateCase mutates the example and expects exactly want from Validate.
type validateCase struct {
	name   string
	mutate func(c *Config)
	want   []string
}

// runValidateCases runs each case on a fresh example configuration.
func runValidateCases(t *testing.T, tests []validateCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := exampleConfig(t)
			tt.mutate(c)
			err := c.Validate()
			if diff := cmp.Diff(tt.want, messages(err)); diff != "" {
				t.Errorf("Validate() messages mismatch (-want +got):\n%s", diff)
			}
			for _, e := range unwrapAll(err) {
				if _, ok := e.(*FieldError); !ok {
					t.Errorf("Validate() joined a %T, want *FieldError: %v", e, e)
				}
			}
		})
	}
}

// TestValidate checks what crosses sections: the example is valid, problems
// of several sections come together in field order, and partitions.
func TestValidate(t *testing.T) {
	runValidateCases(t, []validateCase{
		{
			name:   "example is valid",
			mutate: func(c *Config) {},
		},
		{
			name: "GovCloud tooling with commercial resources",
			mutate: func(c *Config) {
				c.Tooling.Region = "us-gov-west-1"
				c.Deploy.ExecutionPolicy.ManagedPolicyArns = []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}
			},
			want: []string{
				`source.github.connectionArn "` + connection + `": partition "aws" does not match partition "aws-us-gov" of tooling.region us-gov-west-1; use a connection in the tooling account`,
				`deploy.executionPolicy.managedPolicyArns[0] "arn:aws:iam::aws:policy/ReadOnlyAccess": partition "aws" does not match partition "aws-us-gov" of tooling.region us-gov-west-1; use a policy of the tooling partition`,
				`environments[0].regions[0] "us-east-1": partition "aws" does not match partition "aws-us-gov" of tooling.region us-gov-west-1; deploy only within the tooling partition, or give that partition its own Relay configuration`,
				`environments[1].regions[0] "us-east-1": partition "aws" does not match partition "aws-us-gov" of tooling.region us-gov-west-1; deploy only within the tooling partition, or give that partition its own Relay configuration`,
			},
		},
		{
			name: "China tooling and environments",
			mutate: func(c *Config) {
				c.Tooling.Region = "cn-north-1"
				c.Source.GitHub.ConnectionArn = "arn:aws-cn:codeconnections:cn-north-1:111111111111:connection/abc"
				c.Environments[0].Regions = []string{"cn-north-1"}
				c.Environments[1].Regions = []string{"cn-north-1"}
			},
		},
		{
			name: "several problems reported together",
			mutate: func(c *Config) {
				c.Name = "Payments"
				c.Tooling.Account = "1"
				c.Build.TimeoutMinutes = 0
				c.Deploy.ExecutionPolicy = ExecutionPolicy{}
				c.Environments[0].Regions = []string{"us-east-1", "us-east-1"}
				c.Environments[1].Name = "tooling"
			},
			want: []string{
				`name "Payments": must be 3 to 24 lowercase letters, digits and hyphens, starting with a letter, such as payments`,
				`tooling.account "1": must be exactly 12 digits, such as "123456789012"`,
				`build.timeoutMinutes "0": must be from 5 to 2160 minutes (36 hours); the default is 30`,
				`deploy.executionPolicy "": grants nothing; add managedPolicyArns or statements with what the stack needs (Relay never defaults to AdministratorAccess)`,
				`environments[0].regions[1] "us-east-1": duplicate of environments[0].regions[0]; remove it`,
				`environments[1].name "tooling": is reserved for the tooling account; choose another name, such as shared`,
			},
		},
	})
}

// unwrapAll returns the errors joined in err.
func unwrapAll(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

func TestFieldErrorFormat(t *testing.T) {
	tests := []struct {
		err  FieldError
		want string
	}{
		{FieldError{Path: "tooling.account", Value: "12345", Rule: "must be 12 digits"}, `tooling.account "12345": must be 12 digits`},
		{FieldError{Path: "tooling.account", Value: "12345", Rule: "must be 12 digits", Line: 3}, `tooling.account "12345": must be 12 digits`},
		{FieldError{Path: "tooling.account", Value: "12345", Rule: "must be 12 digits", File: "relay.yaml"}, `tooling.account "12345": must be 12 digits`},
		{FieldError{Path: "tooling.account", Value: "12345", Rule: "must be 12 digits", Line: 3, File: "relay.yaml"}, `relay.yaml:3: tooling.account "12345": must be 12 digits`},
		{FieldError{Path: "name", Value: "a\nb", Rule: "r"}, `name "a\nb": r`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestRegions(t *testing.T) {
	regions := Regions()
	// 38 with ap-southeast-6 (Asia Pacific, New Zealand).
	if len(regions) != 38 {
		t.Errorf("len(Regions()) = %d, want 38", len(regions))
	}
	if !slices.IsSorted(regions) {
		t.Errorf("Regions() is not sorted: %v", regions)
	}
	for _, tt := range []struct {
		region, partition string
		ok                bool
	}{
		{"us-east-1", "aws", true},
		{"mx-central-1", "aws", true},
		{"ap-southeast-6", "aws", true},
		{"cn-northwest-1", "aws-cn", true},
		{"us-gov-east-1", "aws-us-gov", true},
		{"us-east-9", "", false},
		{"", "", false},
	} {
		if p, ok := Partition(tt.region); p != tt.partition || ok != tt.ok {
			t.Errorf("Partition(%q) = %q, %v; want %q, %v", tt.region, p, ok, tt.partition, tt.ok)
		}
	}

	c := exampleConfig(t)
	if got := c.Partition(); got != "aws" {
		t.Errorf("Config.Partition() = %q, want aws", got)
	}
	c.Tooling.Region = "us-gov-west-1"
	if got := c.Partition(); got != "aws-us-gov" {
		t.Errorf("Config.Partition() = %q, want aws-us-gov", got)
	}
	c.Tooling.Region = "nowhere-1"
	if got := c.Partition(); got != "aws" {
		t.Errorf("Config.Partition() with an unknown region = %q, want aws", got)
	}
}
