package config

import (
	"testing"
)

// TestValidateSource checks the rules of source and extraSources, each with its exact
// message.
func TestValidateSource(t *testing.T) {
	runValidateCases(t, []validateCase{
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
	})
}
