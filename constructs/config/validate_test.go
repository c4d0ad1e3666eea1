package config

import (
	"fmt"
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

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *Config)
		want   []string
	}{
		{
			name:   "example is valid",
			mutate: func(c *Config) {},
		},

		// name
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

		// tooling
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

		// organization
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

		// source
		{
			name:   "github missing",
			mutate: func(c *Config) { c.Source.GitHub = nil },
			want:   []string{`source.github "": required; add source.github with repository and connectionArn (or gitlab, bitbucket, s3, codecommit or ecr)`},
		},
		{
			name:   "repository missing",
			mutate: func(c *Config) { c.Source.GitHub.Repository = "" },
			want:   []string{`source.github.repository "": required; set the GitHub repository as owner/name, such as acme/payments`},
		},
		{
			name:   "repository as URL",
			mutate: func(c *Config) { c.Source.GitHub.Repository = "https://github.com/acme/payments" },
			want:   []string{`source.github.repository "https://github.com/acme/payments": must be owner/name of letters, digits, '_', '.' and '-', such as acme/payments (not a URL)`},
		},
		{
			name:   "branch empty",
			mutate: func(c *Config) { c.Source.GitHub.Branch = "" },
			want:   []string{`source.github.branch "": must not be empty; set a branch, or omit it to use the default main`},
		},
		{
			name:   "branch with a space",
			mutate: func(c *Config) { c.Source.GitHub.Branch = "release 1" },
			want:   []string{`source.github.branch "release 1": must not contain whitespace; write the branch name as git shows it`},
		},
		{
			name:   "branch starting with a hyphen",
			mutate: func(c *Config) { c.Source.GitHub.Branch = "-main" },
			want:   []string{`source.github.branch "-main": must not start with '-'; write the branch name as git shows it`},
		},
		{
			name:   "branch as a ref",
			mutate: func(c *Config) { c.Source.GitHub.Branch = "refs/heads/main" },
			want:   []string{`source.github.branch "refs/heads/main": must be a branch name without the refs/ prefix, such as main`},
		},
		{
			name:   "connection missing",
			mutate: func(c *Config) { c.Source.GitHub.ConnectionArn = "" },
			want:   []string{`source.github.connectionArn "": required; set the ARN of an AVAILABLE CodeConnections connection in the tooling account`},
		},
		{
			name: "connection malformed",
			mutate: func(c *Config) {
				c.Source.GitHub.ConnectionArn = "arn:aws:codeconnections:us-east-1:111111111111:host/abc"
			},
			want: []string{`source.github.connectionArn "arn:aws:codeconnections:us-east-1:111111111111:host/abc": malformed connection ARN; copy it from the connection's settings: arn:<partition>:codeconnections:<region>:<account>:connection/<id>`},
		},
		{
			name: "connection without id",
			mutate: func(c *Config) {
				c.Source.GitHub.ConnectionArn = "arn:aws:codeconnections:us-east-1:111111111111:connection/"
			},
			want: []string{`source.github.connectionArn "arn:aws:codeconnections:us-east-1:111111111111:connection/": malformed connection ARN; copy it from the connection's settings: arn:<partition>:codeconnections:<region>:<account>:connection/<id>`},
		},
		{
			name: "connection of another service",
			mutate: func(c *Config) {
				c.Source.GitHub.ConnectionArn = "arn:aws:codecommit:us-east-1:111111111111:connection/abc"
			},
			want: []string{`source.github.connectionArn "arn:aws:codecommit:us-east-1:111111111111:connection/abc": service "codecommit" is not a connection service; use the ARN of a codeconnections (or codestar-connections) connection`},
		},
		{
			name: "connection in another partition",
			mutate: func(c *Config) {
				c.Source.GitHub.ConnectionArn = "arn:aws-cn:codeconnections:cn-north-1:111111111111:connection/abc"
			},
			want: []string{`source.github.connectionArn "arn:aws-cn:codeconnections:cn-north-1:111111111111:connection/abc": partition "aws-cn" does not match partition "aws" of tooling.region us-east-1; use a connection in the tooling account`},
		},
		{
			name: "connection region outside its partition",
			mutate: func(c *Config) {
				c.Source.GitHub.ConnectionArn = "arn:aws:codeconnections:cn-north-1:111111111111:connection/abc"
			},
			want: []string{`source.github.connectionArn "arn:aws:codeconnections:cn-north-1:111111111111:connection/abc": region "cn-north-1" is not a region of partition "aws"; copy the ARN from the connection's settings`},
		},
		{
			name: "connection with a bad account",
			mutate: func(c *Config) {
				c.Source.GitHub.ConnectionArn = "arn:aws:codeconnections:us-east-1:1111:connection/abc"
			},
			want: []string{`source.github.connectionArn "arn:aws:codeconnections:us-east-1:1111:connection/abc": account "1111" is not 12 digits; copy the ARN from the connection's settings`},
		},
		{
			name: "codestar-connections is accepted",
			mutate: func(c *Config) {
				c.Source.GitHub.ConnectionArn = "arn:aws:codestar-connections:eu-west-1:111111111111:connection/abc"
			},
		},

		// build
		{
			name:   "build timeout too short",
			mutate: func(c *Config) { c.Build.TimeoutMinutes = 4 },
			want:   []string{`build.timeoutMinutes "4": must be from 5 to 2160 minutes (36 hours); the default is 30`},
		},
		{
			name:   "build timeout too long",
			mutate: func(c *Config) { c.Build.TimeoutMinutes = 2161 },
			want:   []string{`build.timeoutMinutes "2161": must be from 5 to 2160 minutes (36 hours); the default is 30`},
		},
		{
			name:   "build timeout bounds are valid",
			mutate: func(c *Config) { c.Build.TimeoutMinutes = 2160 },
		},
		{
			name:   "build compute type unknown",
			mutate: func(c *Config) { c.Build.ComputeType = "BUILD_GENERAL1_HUGE" },
			want:   []string{`build.computeType "BUILD_GENERAL1_HUGE": must be one of BUILD_GENERAL1_SMALL, BUILD_GENERAL1_MEDIUM, BUILD_GENERAL1_LARGE, BUILD_GENERAL1_XLARGE, BUILD_GENERAL1_2XLARGE`},
		},
		{
			name:   "build image not managed by CodeBuild",
			mutate: func(c *Config) { c.Build.Image = "ubuntu:24.04" },
			want:   []string{`build.image "ubuntu:24.04": must be a CodeBuild-managed image, starting with aws/codebuild/, such as aws/codebuild/standard:7.0`},
		},
		{
			name:   "build log retention not accepted by CloudWatch",
			mutate: func(c *Config) { c.Build.LogRetentionDays = 2 },
			want:   []string{`build.logRetentionDays "2": must be one of the retention periods CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`},
		},
		{
			name:   "buildspec empty",
			mutate: func(c *Config) { c.Build.Buildspec = "" },
			want:   []string{`build.buildspec "": must not be empty; set a path relative to the repository root, or omit it to use the default buildspec.yml`},
		},
		{
			name:   "buildspec absolute",
			mutate: func(c *Config) { c.Build.Buildspec = "/buildspec.yml" },
			want:   []string{`build.buildspec "/buildspec.yml": must be relative to the repository root, such as buildspec.yml`},
		},
		{
			name:   "buildspec outside the repository",
			mutate: func(c *Config) { c.Build.Buildspec = "../buildspec.yml" },
			want:   []string{`build.buildspec "../buildspec.yml": must not contain ".."; use a path inside the repository root, such as buildspec.yml`},
		},

		// deploy
		{
			name:   "stack name starting with a digit",
			mutate: func(c *Config) { c.Deploy.StackName = "1app" },
			want:   []string{`deploy.stackName "1app": must start with a letter and have at most 128 letters, digits and hyphens, such as payments-app`},
		},
		{
			name:   "stack name too long",
			mutate: func(c *Config) { c.Deploy.StackName = "a" + strings.Repeat("b", 128) },
			want:   []string{`deploy.stackName "a` + strings.Repeat("b", 128) + `": must start with a letter and have at most 128 letters, digits and hyphens, such as payments-app`},
		},
		{
			name:   "stack name empty",
			mutate: func(c *Config) { c.Deploy.StackName = "" },
			want:   []string{`deploy.stackName "": must not be empty; set a stack name, or omit it to use the default payments-app`},
		},
		{
			name:   "template path absolute",
			mutate: func(c *Config) { c.Deploy.TemplatePath = "/template.json" },
			want:   []string{`deploy.templatePath "/template.json": must be relative to the build output, such as template.json`},
		},
		{
			name:   "template path outside the artifact",
			mutate: func(c *Config) { c.Deploy.TemplatePath = "out/../../template.json" },
			want:   []string{`deploy.templatePath "out/../../template.json": must not contain ".."; use a path inside the build output, such as template.json`},
		},
		{
			name:   "template path empty",
			mutate: func(c *Config) { c.Deploy.TemplatePath = "" },
			want:   []string{`deploy.templatePath "": must not be empty; set a path relative to the build output, or omit it to use the default template.json`},
		},
		{
			name: "capability unknown and duplicated",
			mutate: func(c *Config) {
				c.Deploy.Capabilities = []string{"CAPABILITY_IAM", "CAPABILITY_ALL", "CAPABILITY_IAM"}
			},
			want: []string{
				`deploy.capabilities[1] "CAPABILITY_ALL": must be one of CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND`,
				`deploy.capabilities[2] "CAPABILITY_IAM": duplicate of deploy.capabilities[0]; remove it`,
			},
		},
		{
			name:   "execution policy grants nothing",
			mutate: func(c *Config) { c.Deploy.ExecutionPolicy = ExecutionPolicy{} },
			want:   []string{`deploy.executionPolicy "": grants nothing; add managedPolicyArns or statements with what the stack needs (Relay never defaults to AdministratorAccess)`},
		},
		{
			name: "execution policy with managed policies only",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy = ExecutionPolicy{ManagedPolicyArns: []string{
					"arn:aws:iam::aws:policy/AWSLambda_FullAccess",
					"arn:aws:iam::111111111111:policy/relay/boundaries/PaymentsDeploy",
				}}
			},
		},
		{
			name: "managed policy malformed",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.ManagedPolicyArns = []string{"AWSLambda_FullAccess", "arn:aws:iam::aws:role/Admin"}
			},
			want: []string{
				`deploy.executionPolicy.managedPolicyArns[0] "AWSLambda_FullAccess": must be an IAM managed policy ARN, arn:<partition>:iam::<account ID or aws>:policy/<path/name>, such as arn:aws:iam::aws:policy/AWSLambda_FullAccess`,
				`deploy.executionPolicy.managedPolicyArns[1] "arn:aws:iam::aws:role/Admin": must be an IAM managed policy ARN, arn:<partition>:iam::<account ID or aws>:policy/<path/name>, such as arn:aws:iam::aws:policy/AWSLambda_FullAccess`,
			},
		},
		{
			name: "managed policy in another partition",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.ManagedPolicyArns = []string{"arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"}
			},
			want: []string{`deploy.executionPolicy.managedPolicyArns[0] "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess": partition "aws-us-gov" does not match partition "aws" of tooling.region us-east-1; use a policy of the tooling partition`},
		},
		{
			name: "AdministratorAccess refused",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.ManagedPolicyArns = []string{"arn:aws:iam::aws:policy/AdministratorAccess"}
			},
			want: []string{`deploy.executionPolicy.managedPolicyArns[0] "arn:aws:iam::aws:policy/AdministratorAccess": grants AdministratorAccess; grant only what the stack needs, or set deploy.executionPolicy.allowAdministratorAccess: true to accept it`},
		},
		{
			name: "AdministratorAccess allowed explicitly",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy = ExecutionPolicy{
					ManagedPolicyArns:        []string{"arn:aws:iam::aws:policy/AdministratorAccess"},
					AllowAdministratorAccess: true,
				}
			},
		},
		{
			name: "customer policy named AdministratorAccess is not the AWS one",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.ManagedPolicyArns = []string{"arn:aws:iam::111111111111:policy/AdministratorAccess"}
			},
		},
		{
			name:   "statement without actions",
			mutate: func(c *Config) { c.Deploy.ExecutionPolicy.Statements[0].Actions = nil },
			want:   []string{statement0 + `.actions "": required; list at least one action, such as s3:GetObject`},
		},
		{
			name: "statement with a bare wildcard and a malformed action",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements[0].Actions = []string{"*", "lambda", "Lambda:Invoke", "s3:Get*"}
			},
			want: []string{
				statement0 + `.actions[0] "*": "*" alone allows every action of every service; name services, such as lambda:* or s3:GetObject`,
				statement0 + `.actions[1] "lambda": must be service:Action, such as lambda:CreateFunction or lambda:*`,
				statement0 + `.actions[2] "Lambda:Invoke": must be service:Action, such as lambda:CreateFunction or lambda:*`,
			},
		},
		{
			name:   "statement without resources",
			mutate: func(c *Config) { c.Deploy.ExecutionPolicy.Statements[0].Resources = []string{} },
			want:   []string{statement0 + `.resources "": required; list at least one resource ARN, or "*"`},
		},
		{
			name:   "statement resource not an ARN",
			mutate: func(c *Config) { c.Deploy.ExecutionPolicy.Statements[0].Resources = []string{"my-bucket"} },
			want:   []string{statement0 + `.resources[0] "my-bucket": must be "*" or an ARN starting with arn:, such as arn:aws:s3:::my-bucket/*`},
		},
		{
			name:   "statement sid with punctuation",
			mutate: func(c *Config) { c.Deploy.ExecutionPolicy.Statements[0].Sid = "service-resources" },
			want:   []string{statement0 + `.sid "service-resources": must contain only letters and digits, such as ServiceResources`},
		},

		// environments
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
			want:   []string{`environments[1].account "": required; set the 12-digit account ID of this environment, or accounts or organizationalUnits for a StackSet`},
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
			name: "two environments deploying to the same account and region",
			mutate: func(c *Config) {
				c.Environments[1].Account = c.Environments[0].Account
			},
			want: []string{`environments[1].regions[0] "us-east-1": environments[0] "staging" already deploys to account 222222222222 in this region; give "production" another account or region`},
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
				`environments[1].account "333333333333": set one of account (one account), accounts (a StackSet to these accounts) and organizationalUnits (a StackSet to these OUs)`,
			},
		},
		{
			name: "organizational units need an organization; rollout needs OUs",
			mutate: func(c *Config) {
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
			name: "pipeline settings",
			mutate: func(c *Config) {
				c.Pipeline.ExecutionMode = "SERIAL"
				c.Pipeline.Variables = []Variable{{Name: "releaseTag", Default: "v1"}, {Name: "release tag"}, {Name: "releaseTag"}, {Name: "notes", Description: strings.Repeat("d", 201)}}
				c.Pipeline.Approvers = &Approvers{Principals: []string{"arn:aws:iam::111111111111:role/release-managers", "arn:aws-cn:iam::111111111111:role/x", "release-managers"}}
			},
			want: []string{
				`pipeline.executionMode "SERIAL": must be one of SUPERSEDED, QUEUED, PARALLEL`,
				`pipeline.variables[1].name "release tag": must be 1 to 128 of letters, digits, @, - and _, such as releaseTag`,
				`pipeline.variables[2].name "releaseTag": duplicate of pipeline.variables[0].name; give each variable a unique name`,
				`pipeline.variables[3].description "` + strings.Repeat("d", 157) + `...": is longer than 200 characters; shorten it`,
				`pipeline.approvers.principals[1] "arn:aws-cn:iam::111111111111:role/x": partition "aws-cn" does not match partition "aws" of the tooling region`,
				`pipeline.approvers.principals[2] "release-managers": must be an IAM role, user or account-root ARN, such as arn:aws:iam::111111111111:role/release-managers`,
			},
		},
		{
			name:   "approvers without principals",
			mutate: func(c *Config) { c.Pipeline.Approvers = &Approvers{} },
			want:   []string{`pipeline.approvers.principals "": required; list the IAM role or user ARNs that may approve, such as arn:aws:iam::111111111111:role/release-managers`},
		},
		{
			name: "freeze and approval details",
			mutate: func(c *Config) {
				c.Environments[0].Freeze = &Freeze{Reason: "Holiday freeze until Jan 5"}
				c.Environments[1].Freeze = &Freeze{Reason: "no <html>"}
				c.Environments[1].Approval.ReviewURL = "http://dash.example.com"
				c.Environments[1].Approval.TimeoutMinutes = 4
			},
			want: []string{
				`environments[1].freeze.reason "no <html>": must be 1 to 300 of letters, digits, spaces and !@().*?-, such as "Holiday freeze until Jan 5"`,
				`environments[1].approval.reviewUrl "http://dash.example.com": must be an https URL of at most 2048 characters, such as https://grafana.example.com/d/staging`,
				`environments[1].approval.timeoutMinutes "4": must be from 5 to 86400 minutes (60 days); the default is 10080 (7 days)`,
			},
		},
		{
			name: "build settings",
			mutate: func(c *Config) {
				c.Build.Cache = "disk"
				c.Build.EnvironmentVariables = map[string]EnvironmentVariable{
					"NODE_ENV":      {Value: "production"},
					"DB_URL":        {Parameter: "/payments/db-url"},
					"API_KEY":       {Secret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:payments/api-key-AbCdEf"},
					"CODEBUILD_X":   {Value: "x"},
					"1BAD":          {Value: "x"},
					"BOTH":          {Value: "x", Parameter: "/x"},
					"NONE":          {},
					"BAD_PARAMETER": {Parameter: "no spaces allowed"},
					"OTHER_ACCOUNT": {Secret: "arn:aws:secretsmanager:us-east-1:999999999999:secret:x"},
					"NOT_AN_ARN":    {Secret: "payments/api-key"},
				}
			},
			want: []string{
				`build.cache "disk": must be one of none, local, s3`,
				`build.environmentVariables.1BAD "1BAD": names are letters, digits and _, not starting with a digit or CODEBUILD_ (reserved by CodeBuild)`,
				`build.environmentVariables.BAD_PARAMETER.parameter "no spaces allowed": must be an SSM parameter name such as /payments/db-url`,
				`build.environmentVariables.BOTH "": set exactly one of value, parameter (SSM Parameter Store name) and secret (Secrets Manager ARN)`,
				`build.environmentVariables.CODEBUILD_X "CODEBUILD_X": names are letters, digits and _, not starting with a digit or CODEBUILD_ (reserved by CodeBuild)`,
				`build.environmentVariables.NONE "": set exactly one of value, parameter (SSM Parameter Store name) and secret (Secrets Manager ARN)`,
				`build.environmentVariables.NOT_AN_ARN.secret "payments/api-key": must be a Secrets Manager secret ARN, such as arn:aws:secretsmanager:us-east-1:111111111111:secret:payments/api-key-AbCdEf`,
				`build.environmentVariables.OTHER_ACCOUNT.secret "arn:aws:secretsmanager:us-east-1:999999999999:secret:x": must be a secret of the tooling account 111111111111 in us-east-1 (partition aws)`,
			},
		},
		{
			name: "tests and security scan",
			mutate: func(c *Config) {
				c.Tests = []Suite{
					{Name: "unit", Commands: []string{"make test"}, Input: "source", RunOrder: 1, Reports: &Reports{Files: []string{"reports/*.xml"}, Format: "JUNITXML"}},
					{Name: "unit", Commands: []string{" "}, Input: "disk", RunOrder: 0},
					{Name: "Lint", Preset: "trivy", Input: "source", RunOrder: 1000, Reports: &Reports{Format: "HTML"}},
				}
				c.SecurityScan = &SecurityScan{FailOn: "SEVERE", Scanners: []Suite{
					{Name: "deps", Preset: "trivy", Input: "source", RunOrder: 1},
					{Name: "sast", Preset: "sonar", Input: "source", RunOrder: 1},
					{Name: "custom", Input: "source", RunOrder: 1},
				}}
			},
			want: []string{
				`tests[1].name "unit": duplicate of tests[0].name; give each suite a unique name`,
				`tests[1].commands[0] " ": is empty; remove it`,
				`tests[1].input "disk": must be one of source, build`,
				`tests[1].runOrder "0": must be from 1 to 999; suites with the same runOrder run in parallel`,
				`tests[2].name "Lint": must be 2 to 31 lowercase letters, digits and hyphens, starting with a letter, such as unit`,
				`tests[2].preset "trivy": presets are for securityScan.scanners; list commands instead`,
				`tests[2].runOrder "1000": must be from 1 to 999; suites with the same runOrder run in parallel`,
				`tests[2].reports.files "": required; list report file patterns, such as reports/junit/*.xml`,
				`tests[2].reports.format "HTML": must be one of JUNITXML, CUCUMBERJSON, TESTNGXML, NUNITXML, NUNIT3XML, VISUALSTUDIOTRX`,
				`securityScan.failOn "SEVERE": must be one of LOW, MEDIUM, HIGH, CRITICAL`,
				`securityScan.scanners[1].preset "sonar": must be one of trivy, semgrep, checkov, gitleaks`,
				`securityScan.scanners[2].commands "": required; list the commands that run the suite, such as ["npm ci", "npm test"]`,
			},
		},
		{
			name: "sources",
			mutate: func(c *Config) {
				g := c.Source.GitHub
				c.Source.GitLab = &GitHubSource{Repository: "group/sub/project", Branch: "main", ConnectionArn: g.ConnectionArn}
				g.Triggers = &Triggers{FilePaths: &Filter{Includes: []string{"src/**"}}, Tags: &Filter{Excludes: []string{"", "a", "b", "c", "d", "e", "f", "g", "h"}}}
				c.ExtraSources = []ExtraSource{
					{Name: "config", Source: Source{GitLab: &GitHubSource{Repository: "group/sub/config", Branch: "main", ConnectionArn: g.ConnectionArn}}},
					{Name: "config", Source: Source{S3: &S3Source{Bucket: "Bad_Bucket", Key: "/x"}}},
					{Name: "images", Source: Source{ECR: &ECRSource{Repository: "Payments", Tag: "-x"}, CodeCommit: &CodeCommitSource{Repository: "r", Branch: "main"}}},
					{Name: "repo", Source: Source{CodeCommit: &CodeCommitSource{Repository: "bad name", Branch: "main"}}},
					{Name: "none"},
				}
			},
			want: []string{
				`source "github,gitlab": set exactly one kind of source; move the others to extraSources`,
				`extraSources[1].name "config": duplicate of extraSources[0].name; give each source a unique name`,
				`extraSources[1].s3.bucket "Bad_Bucket": must be an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens`,
				`extraSources[1].s3.key "/x": must be an object key of 1 to 1024 characters, not starting with /, such as releases/app.zip`,
				`extraSources[1].s3.versioned "false": CodePipeline needs a versioned source bucket: turn versioning on for the bucket, then set versioned: true`,
				`extraSources[2] "codecommit,ecr": set exactly one kind of source; move the others to extraSources`,
				`extraSources[3].codecommit.repository "bad name": must be a CodeCommit repository name of 1 to 100 letters, digits, ., _ and -`,
				`extraSources[4] "": set one of github, gitlab, bitbucket, s3, codecommit and ecr`,
			},
		},
		{
			name: "source triggers",
			mutate: func(c *Config) {
				c.Source.GitHub.Triggers = &Triggers{FilePaths: &Filter{Includes: []string{"src/**"}}, Tags: &Filter{Excludes: []string{"", "a", "b", "c", "d", "e", "f", "g", "h"}}}
			},
			want: []string{
				`source.github.triggers.tags.excludes "9": has more than 8 patterns; CodePipeline takes at most 8`,
				`source.github.triggers.tags.excludes[0] "": must be a glob pattern of 1 to 255 characters, such as release/*`,
				`source.github.triggers.filePaths "": file path filters need branches.includes or tags.includes beside them`,
			},
		},
		{
			name: "variable references",
			mutate: func(c *Config) {
				c.Pipeline.Variables = []Variable{{Name: "releaseTag"}}
				c.Build.EnvironmentVariables = map[string]EnvironmentVariable{
					"COMMIT":   {Value: "#{SourceVariables.CommitId}"},
					"TAG":      {Value: "#{variables.releaseTag}"},
					"TYPO":     {Value: "#{variables.releaseTg}"},
					"TOO_SOON": {Value: "#{BuildVariables.VERSION}"},
				}
				c.Environments[1].Approval.Comment = "Staging answered #{Deploy_staging_us-east-1.Url}, built #{BuildVariables.VERSION}"
				c.Environments[1].Approval.ReviewURL = "https://example.com/#{Deploy_production_us-east-1.Url}"
			},
			want: []string{
				`build.environmentVariables.TOO_SOON.value "#{BuildVariables.VERSION}": refers to namespace "BuildVariables", which no earlier action sets; known here: SourceVariables, variables`,
				`build.environmentVariables.TYPO.value "#{variables.releaseTg}": refers to pipeline variable "releaseTg", which pipeline.variables does not declare`,
				`environments[1].approval.reviewUrl "https://example.com/#{Deploy_production_us-east-1.Url}": refers to namespace "Deploy_production_us-east-1", which no earlier action sets; known here: BuildVariables, Deploy_staging_us-east-1, Hook_staging_us-east-1_smoke-test, SourceVariables, variables`,
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
		{
			name: "entry conditions",
			mutate: func(c *Config) {
				c.Environments[0].EntryConditions = &EntryConditions{}
				c.Environments[1].EntryConditions = &EntryConditions{
					DeploymentWindow: &DeploymentWindow{Cron: "0 9 * * *", TimeZone: "Mars/Olympus"},
					NoAlarms:         []string{"payments-5xx", "a,b"},
				}
			},
			want: []string{
				`environments[0].entryConditions "": set deploymentWindow, noAlarms or both, or remove entryConditions`,
				`environments[1].entryConditions.deploymentWindow.cron "0 9 * * *": must be an EventBridge cron expression, such as "cron(* 9-16 ? * MON-FRI *)"`,
				`environments[1].entryConditions.deploymentWindow.timeZone "Mars/Olympus": must be an IANA time zone, such as UTC or Europe/Berlin`,
				`environments[1].entryConditions.noAlarms[1] "a,b": must be a CloudWatch alarm name of 1 to 255 characters, without commas`,
			},
		},
		{
			name:   "environment region other than the tooling region is allowed",
			mutate: func(c *Config) { c.Environments[1].Regions = []string{"us-east-1", "eu-west-1"} },
		},

		{
			name: "wildcard statement without a reason",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements[0].Reason = "because"
				c.Deploy.ExecutionPolicy.Statements = append(c.Deploy.ExecutionPolicy.Statements, Statement{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::bucket/key"}})
			},
			want: []string{`deploy.executionPolicy.statements[0].reason "because": required (at least 10 characters) because the statement has a wildcard; say why the stack needs it, e.g. "CloudFormation generates the function names"`},
		},
		{
			name: "approval notify not an email",
			mutate: func(c *Config) {
				c.Environments[1].Approval.Notify = []string{"ops@example.com", "ops", "a@b@c", "o ps@example.com", "@example.com"}
			},
			want: []string{
				`environments[1].approval.notify[1] "ops": must be an email address, such as ops@example.com`,
				`environments[1].approval.notify[2] "a@b@c": must be an email address, such as ops@example.com`,
				`environments[1].approval.notify[3] "o ps@example.com": must be an email address, such as ops@example.com`,
				`environments[1].approval.notify[4] "@example.com": must be an email address, such as ops@example.com`,
			},
		},
		{
			name:   "approval comment too long",
			mutate: func(c *Config) { c.Environments[1].Approval.Comment = strings.Repeat("é", 513) },
			want:   []string{`environments[1].approval.comment "` + strings.Repeat("é", 157) + `...": has 513 characters; shorten it to at most 512`},
		},
		{
			name:   "approval comment of 512 characters",
			mutate: func(c *Config) { c.Environments[1].Approval.Comment = strings.Repeat("é", 512) },
		},
		{
			name:   "approval comment empty",
			mutate: func(c *Config) { c.Environments[1].Approval.Comment = "" },
			want:   []string{`environments[1].approval.comment "": must not be empty; write a comment, or omit it to use the default "Approve deployment to <environment>"`},
		},

		// partitions
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

		// all problems at once, in field order
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
	}
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
	if len(regions) != 37 {
		t.Errorf("len(Regions()) = %d, want 37", len(regions))
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
