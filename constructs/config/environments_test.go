package config

import (
	"fmt"
	"strings"
	"testing"
)

// TestValidateEnvironments checks the rules of environments: names, targets, regions, waves and change-set settings, each with its exact
// message.
func TestValidateEnvironments(t *testing.T) {
	runValidateCases(t, []validateCase{
		{
			name:   "no environments",
			mutate: func(c *Config) { c.Environments = nil },
			want:   []string{`environments "": required; add at least one environment with name, account and regions`},
		},
		{
			name: "too many environments",
			mutate: func(c *Config) {
				c.Environments = nil
				for i := range 1001 {
					c.Environments = append(c.Environments, Environment{
						Name: fmt.Sprintf("e%d", i), Account: fmt.Sprintf("%012d", i+1), Regions: []string{"us-east-1"},
					})
				}
			},
			want: []string{`environments "1001": has more than 1000 entries; split the environments across several Relay configurations`},
		},
		{
			name:   "environment name missing",
			mutate: func(c *Config) { c.Environments[0].Name = "" },
			want:   []string{`environments[0].name "": required; set a name such as staging`},
		},
		{
			name:   "environment name malformed",
			mutate: func(c *Config) { c.Environments[0].Name = "Staging" },
			want:   []string{`environments[0].name "Staging": must be 2 to 20 lowercase letters, digits and hyphens, starting with a letter, such as staging`},
		},
		{
			name:   "environment name ending with a hyphen",
			mutate: func(c *Config) { c.Environments[0].Name = "staging-" },
			want:   []string{`environments[0].name "staging-": must not end with '-'; remove the trailing hyphen`},
		},
		{
			name:   "environment named tooling",
			mutate: func(c *Config) { c.Environments[0].Name = "tooling" },
			want:   []string{`environments[0].name "tooling": is reserved for the tooling account; choose another name, such as shared`},
		},
		{
			name: "environment name duplicated",
			mutate: func(c *Config) {
				c.Environments[1].Name = "staging"
				c.Environments[1].Approval = nil
			},
			want: []string{`environments[1].name "staging": duplicate of environments[0].name; give each environment a unique name`},
		},
		{
			name:   "environment account malformed",
			mutate: func(c *Config) { c.Environments[1].Account = "3333-3333-3333" },
			want:   []string{`environments[1].account "3333-3333-3333": must be exactly 12 digits, such as "123456789012"`},
		},
		{
			name:   "environment account missing",
			mutate: func(c *Config) { c.Environments[1].Account, c.Environments[1].Parameters = "", nil },
			want:   []string{`environments[1].account "": required; set the 12-digit account ID of this environment, accounts or organizationalUnits for a StackSet, or tooling: true for a stage of steps`},
		},
		{
			name:   "environment in the tooling account is allowed",
			mutate: func(c *Config) { c.Environments[0].Account = c.Tooling.Account },
		},
		{
			name:   "environment without regions",
			mutate: func(c *Config) { c.Environments[0].Regions = nil },
			want:   []string{`environments[0].regions "": required; list at least one region, such as [us-east-1]`},
		},
		{
			name:   "environment region unknown or empty",
			mutate: func(c *Config) { c.Environments[0].Regions = []string{"us-east-1", "eu-west-9", ""} },
			want: []string{
				`environments[0].regions[1] "eu-west-9": unknown AWS region; use a region code such as us-east-1 or eu-west-1`,
				`environments[0].regions[2] "": required; set an AWS region, such as us-east-1`,
			},
		},
		{
			name:   "environment region duplicated",
			mutate: func(c *Config) { c.Environments[0].Regions = []string{"us-east-1", "us-east-1"} },
			want:   []string{`environments[0].regions[1] "us-east-1": duplicate of environments[0].regions[0]; remove it`},
		},
		{
			name:   "environment region in another partition",
			mutate: func(c *Config) { c.Environments[1].Regions = []string{"cn-north-1"} },
			want:   []string{`environments[1].regions[0] "cn-north-1": partition "aws-cn" does not match partition "aws" of tooling.region us-east-1; deploy only within the tooling partition, or give that partition its own Relay configuration`},
		},
		{
			// The stack of an environment's roles may stay where it is
			// when its regions are reordered or replaced.
			name: "stack region outside the environment's regions",
			mutate: func(c *Config) {
				c.Environments[1].Regions, c.Environments[1].StackRegion = []string{"eu-west-1", "us-east-1"}, "us-east-1"
			},
		},
		{
			name:   "stack region unknown",
			mutate: func(c *Config) { c.Environments[1].StackRegion = "us-east-9" },
			want:   []string{`environments[1].stackRegion "us-east-9": unknown AWS region; use a region code such as us-east-1 or eu-west-1`},
		},
		{
			name:   "stack region in another partition",
			mutate: func(c *Config) { c.Environments[1].StackRegion = "cn-north-1" },
			want:   []string{`environments[1].stackRegion "cn-north-1": partition "aws-cn" does not match partition "aws" of tooling.region us-east-1; keep the environment's stack within the tooling partition`},
		},
		{
			name: "stack region of organizational units",
			mutate: func(c *Config) {
				c.Organization = &Organization{ID: "o-a1b2c3d4e5", StackSetsCallAs: "DELEGATED_ADMIN"}
				c.Deploy.Hooks = nil
				c.Environments[1] = Environment{Name: "members", OrganizationalUnits: []string{"ou-ab12-cd34ef56"}, Regions: []string{"us-east-1"}, StackRegion: "us-east-1"}
			},
			want: []string{`environments[1].stackRegion "us-east-1": applies to account and accounts environments, whose roles have a stack of their own; remove it`},
		},
		{
			name: "two environments deploying one stack to the same account and region",
			mutate: func(c *Config) {
				c.Environments[1].Account = c.Environments[0].Account
			},
			want: []string{`environments[1].account "222222222222": environments[0] "staging" in us-east-1 and environments[1] "production" in us-east-1 both deploy the stack payments-app to account 222222222222; a stack is deployed once per account and region: give each environment its own stack name, such as payments-app-${env} in deploy.stackName`},
		},
		{
			name: "two environments in one account and region with their own stacks",
			mutate: func(c *Config) {
				c.Environments[1].Account = c.Environments[0].Account
				c.Deploy.StackName = "payments-${env}"
			},
		},
		{
			name:   "environment region other than the tooling region is allowed",
			mutate: func(c *Config) { c.Environments[1].Regions = []string{"us-east-1", "eu-west-1"} },
		},
		{
			name: "waves",
			mutate: func(c *Config) {
				e := c.Environments[0]
				c.Environments = append(c.Environments, e, e, e)
				for i, w := range []string{"eu", "eu", "us", "eu", "Bad"} {
					c.Environments[i].Wave = w
					c.Environments[i].Account = fmt.Sprintf("%012d", 500000000000+i)
					c.Environments[i].Name = fmt.Sprintf("env%d", i)
				}
			},
			want: []string{
				`environments[3].wave "eu": environments[0] is in this wave too, but the environments between are not; list the environments of a wave one after another`,
				`environments[4].wave "Bad": must be 2 to 20 lowercase letters, digits and hyphens, starting with a letter, such as staging`,
			},
		},
		{
			name: "organizational units",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil // hooks run in account environments only
				c.Environments[0].Account, c.Environments[0].OrganizationalUnits = "", []string{"ou-ab12-cd34ef56", "ou-ab12-cd34ef56", "ou-1"}
				c.Environments[0].Parameters, c.Environments[1].Parameters = nil, nil // StackSets take none
				c.Environments[0].Rollout = &Rollout{MaxConcurrentPercentage: 101, FailureTolerancePercentage: -1}
				c.Environments[1].OrganizationalUnits = []string{"ou-ab12-cd34ef56"}
				c.Environments[1].Rollout = &Rollout{MaxConcurrentPercentage: 25}
				c.Organization.StackSetsCallAs = "ADMIN"
			},
			want: []string{
				`organization.stackSetsCallAs "ADMIN": must be SELF (tooling is the management account) or DELEGATED_ADMIN (a delegated StackSets administrator)`,
				`environments[0].organizationalUnits[1] "ou-ab12-cd34ef56": listed twice; remove one`,
				`environments[0].organizationalUnits[2] "ou-1": must be an organizational unit ID such as ou-ab12-cd34ef56`,
				`environments[0].rollout.maxConcurrentPercentage "101": must be from 1 to 100 (default 25)`,
				`environments[0].rollout.failureTolerancePercentage "-1": must be from 0 to 100`,
				`environments[1].account "333333333333": set one of account (one account), accounts (a StackSet to these accounts), organizationalUnits (a StackSet to these OUs) and tooling (steps in the tooling account)`,
			},
		},
		{
			// 77 account IDs joined by commas are 1,000 characters, the
			// most CodePipeline takes in the StackSet action's
			// DeploymentTargets.
			name: "as many accounts as DeploymentTargets takes",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil // hooks run in account environments only
				c.Environments[0].Account, c.Environments[0].Accounts = "", stackSetAccounts(77)
				c.Environments[0].Parameters = nil
			},
		},
		{
			name: "more accounts than DeploymentTargets takes",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil
				c.Environments[0].Account, c.Environments[0].Accounts = "", stackSetAccounts(78)
				c.Environments[0].Parameters = nil
			},
			want: []string{`environments[0].accounts "78 accounts": joined by commas they make the StackSet action's DeploymentTargets 1013 characters, and CodePipeline takes at most 1000 per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html); split them across environments that extend this StackSet (stackSetOf), or target their organizational units (organizationalUnits)`},
		},
		{
			name: "rollout of 0 percent at once is refused, not accepted",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil // hooks run in account environments only
				c.Environments[0].Account, c.Environments[0].OrganizationalUnits = "", []string{"ou-ab12-cd34ef56"}
				c.Environments[0].Parameters = nil
				c.Environments[0].Rollout = &Rollout{MaxConcurrentPercentage: 0, FailureTolerancePercentage: 0}
			},
			want: []string{`environments[0].rollout.maxConcurrentPercentage "0": must be from 1 to 100 (default 25)`},
		},
		{
			name: "organizational units need an organization; rollout needs OUs",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil // hooks run in account environments only
				c.Organization = nil
				c.Environments[0].Account, c.Environments[0].OrganizationalUnits = "", []string{"ou-ab12-cd34ef56"}
				c.Environments[0].Parameters = nil // StackSets take none
				c.Environments[1].Rollout = &Rollout{MaxConcurrentPercentage: 10}
			},
			want: []string{
				`environments[0].organizationalUnits "ou-ab12-cd34ef56": needs organization.id: OU targets are deployed through service-managed StackSets`,
				`environments[1].rollout "": applies only to accounts and organizationalUnits environments (StackSets); remove it`,
			},
		},
		{
			name: "change set parameters, template configuration and review",
			mutate: func(c *Config) {
				c.Environments[0].Parameters = map[string]string{"Version": "#{BuildVariables.VERSION}", "Stage": "staging", "bad-name": "x", "Url": "#{Deploy_production_us-east-1.Url}"}
				c.Environments[0].TemplateConfiguration = "../config.json"
				c.Environments[1].ReviewChangeSet = true
				c.Environments[1].Parameters = map[string]string{"Big": strings.Repeat("x", 1000)}
			},
			want: []string{
				`environments[0].parameters.bad-name "bad-name": must be a template parameter name: 1 to 255 letters and digits`,
				`environments[0].templateConfiguration "../config.json": must not contain ".."; use a path inside the build output, such as config/production.json`,
				`environments[1].parameters "1010 characters": CodePipeline takes at most 1000 characters of parameter overrides; move parameters into templateConfiguration`,
				`environments[0].parameters.Url "#{Deploy_production_us-east-1.Url}": refers to namespace "Deploy_production_us-east-1", which no earlier action sets; known here: BuildVariables, SourceVariables, variables`,
			},
		},
	})
}

// TestStackSetEnvironments checks accounts and stackSetOf.
func TestStackSetEnvironments(t *testing.T) {
	head := `name: agent
tooling: {account: "111111111111", region: us-east-1}
source: {github: {repository: acme/agent, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
deploy: {executionPolicy: {managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}}
environments:
`
	tests := []struct{ name, envs, want string }{
		{"neither accounts nor OUs", "  - {name: fleet, stackSetOf: pilot, regions: [us-east-1]}\n",
			`environments[0].stackSetOf "pilot": needs accounts or organizationalUnits`},
		{"unknown owner", "  - {name: fleet, accounts: [\"222222222222\"], stackSetOf: pilot, regions: [us-east-1]}\n",
			`environments[0].stackSetOf "pilot": must name an earlier environment with accounts or organizationalUnits`},
		{"account and accounts", "  - {name: fleet, account: \"222222222222\", accounts: [\"333333333333\"], regions: [us-east-1]}\n",
			`set one of account (one account), accounts (a StackSet to these accounts), organizationalUnits (a StackSet to these OUs) and tooling`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("relay.yaml", []byte(head+tt.envs))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse() error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// stackSetAccounts returns n distinct account IDs, none of them the
// tooling account's or the other test environments'.
func stackSetAccounts(n int) []string {
	ids := make([]string, n)
	for k := range ids {
		ids[k] = fmt.Sprintf("%012d", 600000000000+k)
	}
	return ids
}
