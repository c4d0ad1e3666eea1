package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestExpand expands the per-environment values of the fields of Expands:
// each environment and region receives its own stack name, template path
// and template configuration.
func TestExpand(t *testing.T) {
	c := exampleConfig(t)
	c.Deploy.Hooks = nil
	c.Deploy.StackName = "payments-${env}-${tier}"
	c.Deploy.TemplatePath = "packaged-${env}.yaml"
	c.Environments[1].Regions = []string{"us-east-1", "eu-west-1"}
	c.Environments[1].TemplateConfiguration = "config/${env}-${region}.json"
	c.Environments[0].Settings = map[string]string{"tier": "blue"}
	c.Environments[1].Settings = map[string]string{"tier": "green"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	type got struct{ Stack, Template, Configuration string }
	var out []got
	for i, e := range c.Environments {
		for _, r := range e.Regions {
			x, err := c.Expand(i, r)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, got{x.Deploy.StackName, x.Deploy.TemplatePath, x.Environment.TemplateConfiguration})
		}
	}
	want := []got{
		{"payments-staging-blue", "packaged-staging.yaml", ""},
		{"payments-production-green", "packaged-production.yaml", "config/production-us-east-1.json"},
		{"payments-production-green", "packaged-production.yaml", "config/production-eu-west-1.json"},
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("expanded (-want +got):\n%s", diff)
	}
	if c.Deploy.StackName != "payments-${env}-${tier}" || c.Environments[1].TemplateConfiguration != "config/${env}-${region}.json" {
		t.Errorf("Expand changed the config: %q, %q", c.Deploy.StackName, c.Environments[1].TemplateConfiguration)
	}
}

// TestExpandRules checks values once expanded, and refuses placeholders in
// the fields that do not expand, each with its exact message.
func TestExpandRules(t *testing.T) {
	long := strings.Repeat("a", 120)
	runValidateCases(t, []validateCase{
		{
			name: "an expanded stack name over 128 characters",
			mutate: func(c *Config) {
				c.Deploy.StackName = "payments-${env}-${suffix}"
				c.Environments[0].Settings = map[string]string{"suffix": "a"}
				c.Environments[1].Settings = map[string]string{"suffix": long}
			},
			want: []string{`deploy.stackName "payments-${env}-${suffix}": expands to "payments-production-` + long + `" for environments[1] "production" in us-east-1, 140 characters; CloudFormation takes at most 128: use shorter settings or a shorter pattern`},
		},
		{
			name: "an expanded stack name that is no stack name",
			mutate: func(c *Config) {
				c.Deploy.StackName = "${tier}-payments"
				c.Environments[0].Settings = map[string]string{"tier": "1st"}
				c.Environments[1].Settings = map[string]string{"tier": "second"}
			},
			want: []string{`deploy.stackName "${tier}-payments": expands to "1st-payments" for environments[0] "staging" in us-east-1, which must start with a letter and have at most 128 letters, digits and hyphens, such as payments-app`},
		},
		{
			name:   "an undefined setting",
			mutate: func(c *Config) { c.Deploy.TemplatePath = "templates/${tier}.json" },
			want: []string{
				`deploy.templatePath "templates/${tier}.json": uses ${tier}, which environments[0] "staging" does not define; add tier to its settings`,
				`deploy.templatePath "templates/${tier}.json": uses ${tier}, which environments[1] "production" does not define; add tier to its settings`,
			},
		},
		{
			name: "a field that does not expand",
			mutate: func(c *Config) {
				c.Build.Buildspec = "ci/${env}.yml"
				c.Environments[1].Approval.Comment = "Deploy ${env}?"
			},
			want: []string{
				`build.buildspec "ci/${env}.yml": is not expanded: ${...} placeholders take per-environment values only in the stack name, the template path, the template configuration, the release strategy, the parameters of deploy.stacks[] (not environments[].parameters, which are per environment already), the hooks, the step variables' values, the step roles, the step invokes and the step approvals; write this value literally`,
				`environments[1].approval.comment "Deploy ${env}?": is not expanded: ${...} placeholders take per-environment values only in the stack name, the template path, the template configuration, the release strategy, the parameters of deploy.stacks[] (not environments[].parameters, which are per environment already), the hooks, the step variables' values, the step roles, the step invokes and the step approvals; write this value literally`,
			},
		},
		{
			name:   "environment parameters, which the list of expanding fields does not name",
			mutate: func(c *Config) { c.Environments[0].Parameters = map[string]string{"Tag": "app-${env}"} },
			want: []string{
				`environments[0].parameters.Tag "app-${env}": is not expanded: ${...} placeholders take per-environment values only in the stack name, the template path, the template configuration, the release strategy, the parameters of deploy.stacks[] (not environments[].parameters, which are per environment already), the hooks, the step variables' values, the step roles, the step invokes and the step approvals; write this value literally`,
			},
		},
		// The execution roles' statements take the role's own account and
		// each of its environment's regions (target.FillStatements), as
		// managedPolicyArns takes ${account}: in every kind of environment,
		// the account of an organizational unit's being known only in it.
		{
			name: "the account and regions of execution statements",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements = append(c.Deploy.ExecutionPolicy.Statements,
					Statement{Sid: "Tables", Actions: []string{"dynamodb:CreateTable"}, Resources: []string{"arn:aws:dynamodb:${region}:${account}:table/payments"}})
				c.Environments = append(c.Environments,
					Environment{Name: "fleet", Accounts: []string{"333333333333", "444444444444"}, Regions: []string{"us-east-1", "eu-west-1"}},
					Environment{Name: "members", OrganizationalUnits: []string{"ou-ab12-cd34ef56"}, Regions: []string{"us-east-1"}})
				c.Organization = &Organization{ID: "o-a1b2c3d4e5", StackSetsCallAs: "SELF"}
				c.Deploy.Hooks = nil // hooks run in account environments only
			},
		},
		{
			name: "other placeholders in execution statements",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements = append(c.Deploy.ExecutionPolicy.Statements,
					Statement{Sid: "Tables", Actions: []string{"dynamodb:CreateTable"}, Resources: []string{"arn:aws:dynamodb:us-east-1:${account}:table/payments-${env}"}})
			},
			want: []string{`deploy.executionPolicy.statements[7].resources[0] "arn:aws:dynamodb:us-east-1:${account}:table/payments-${env}": uses ${env}: an execution role's statements take ${account} (the role's own account) and ${region} (each region of its environment) only; write the rest literally (a wildcard such as * can stand for what differs between environments)`},
		},
		{
			name: "shell variables in commands and IAM policy variables stay",
			mutate: func(c *Config) {
				c.Tests = []Suite{{Name: "unit", Commands: []string{"echo ${CODEBUILD_RESOLVED_SOURCE_VERSION}"}, Input: "source", RunOrder: 1}}
				c.Deploy.ExecutionPolicy.Statements = []Statement{{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::home/${aws:username}/x"}}}
			},
		},
	})
}
