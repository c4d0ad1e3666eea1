package config

import (
	"fmt"
	"strings"
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
		// CodePipeline takes each of these verbatim as one action
		// configuration value, at most 1,000 characters: a longer one used
		// to pass validation and be refused only after aws-cdk-lib ran.
		{
			name:   "repository longer than an action configuration value",
			mutate: func(c *Config) { c.Source.GitHub.Repository = "acme/" + strings.Repeat("p", 996) },
			want:   []string{`source.github.repository "1001 characters": CodePipeline takes at most 1000 characters per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html); write the repository as owner/name`},
		},
		{
			name:   "branch longer than an action configuration value",
			mutate: func(c *Config) { c.Source.GitHub.Branch = strings.Repeat("b", 1001) },
			want:   []string{`source.github.branch "1001 characters": CodePipeline takes at most 1000 characters per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html); use a shorter branch name`},
		},
		{
			name:   "branch of 1000 characters",
			mutate: func(c *Config) { c.Source.GitHub.Branch = strings.Repeat("b", 1000) },
		},
		{
			// CodeConnections' ConnectionArn has at most 256 characters:
			// CodePipeline takes a longer value (up to its 1,000), and the
			// source action fails at run time.
			name: "connection ARN longer than a connection's",
			mutate: func(c *Config) {
				c.Source.GitHub.ConnectionArn += strings.Repeat("0", 257-len(c.Source.GitHub.ConnectionArn))
			},
			want: []string{`source.github.connectionArn "257 characters": a connection ARN has at most 256 characters (https://docs.aws.amazon.com/codeconnections/latest/APIReference/API_Connection.html), so no connection has this one and the source action would fail; copy the ARN from the connection's settings`},
		},
		{
			// A line break passed config validation and was refused by the
			// release plan, without a line.
			name:   "connection ARN with a space and a line break",
			mutate: func(c *Config) { c.Source.GitHub.ConnectionArn += " x\nx" },
			want:   []string{`source.github.connectionArn "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d x\nx": malformed connection ARN; copy it from the connection's settings: arn:<partition>:codeconnections:<region>:<account>:connection/<id>`},
		},
		{
			name: "connection ARN of 256 characters",
			mutate: func(c *Config) {
				c.Source.GitHub.ConnectionArn += strings.Repeat("0", 256-len(c.Source.GitHub.ConnectionArn))
			},
		},
		{
			name: "connection ARN longer than an action configuration value",
			mutate: func(c *Config) {
				c.Source.GitHub.ConnectionArn += strings.Repeat("0", 1001-len(c.Source.GitHub.ConnectionArn))
			},
			want: []string{`source.github.connectionArn "1001 characters": a connection ARN has at most 256 characters (https://docs.aws.amazon.com/codeconnections/latest/APIReference/API_Connection.html), so no connection has this one and the source action would fail; copy the ARN from the connection's settings`},
		},
		{
			// No CodeCommit branch has a name over 256 characters, and no
			// git repository a branch with a character git refuses: the
			// source action would fail at run time.
			name: "CodeCommit branch over 256 characters, and branches git refuses",
			mutate: func(c *Config) {
				c.Source.GitHub.Branch = "release:1"
				c.ExtraSources = []ExtraSource{
					{Name: "repo", Source: Source{CodeCommit: &CodeCommitSource{Repository: "r", Branch: strings.Repeat("b", 257)}}},
					{Name: "star", Source: Source{CodeCommit: &CodeCommitSource{Repository: "r", Branch: "feature/*"}}},
					{Name: "lock", Source: Source{CodeCommit: &CodeCommitSource{Repository: "r", Branch: "a.lock/b"}}},
					{Name: "fine", Source: Source{CodeCommit: &CodeCommitSource{Repository: "r", Branch: "feature/café-'x'_1.2" + strings.Repeat("b", 256-len("feature/café-'x'_1.2"))}}},
				}
			},
			want: []string{
				`source.github.branch "release:1": ` + gitBranchRule,
				`extraSources[0].codecommit.branch "257 characters": a CodeCommit branch name has at most 256 characters (https://docs.aws.amazon.com/codecommit/latest/APIReference/API_BranchInfo.html); use a shorter branch name`,
				`extraSources[1].codecommit.branch "feature/*": ` + gitBranchRule,
				`extraSources[2].codecommit.branch "a.lock/b": ` + gitBranchRule,
			},
		},
		{
			// Git takes #{ in a branch name; CodePipeline reads it in the
			// action's configuration as a variable reference.
			name: "branches holding a variable reference",
			mutate: func(c *Config) {
				c.Source.GitHub.Branch = "release-#{variables.releaseTag}"
				c.ExtraSources = []ExtraSource{{Name: "repo", Source: Source{CodeCommit: &CodeCommitSource{Repository: "r", Branch: "a#{b"}}},
					{Name: "fine", Source: Source{CodeCommit: &CodeCommitSource{Repository: "r", Branch: "issue#12-{x}"}}}}
			},
			want: []string{
				`source.github.branch "release-#{variables.releaseTag}": ` + branchReferenceRule,
				`extraSources[0].codecommit.branch "a#{b": ` + branchReferenceRule,
			},
		},
		{
			// The key is in the object's ARN in the pipeline role's policy:
			// IAM refuses a policy with characters beyond U+00FF.
			name: "S3 source key beyond IAM's policy characters",
			mutate: func(c *Config) {
				c.ExtraSources = []ExtraSource{
					{Name: "euro", Source: Source{S3: &S3Source{Bucket: "bucket", Key: "releases/€.zip", Versioned: true}}},
					{Name: "latin", Source: Source{S3: &S3Source{Bucket: "bucket", Key: "releases/café 1.zip", Versioned: true}}},
				}
			},
			want: []string{
				`extraSources[0].s3.key "releases/€.zip": holds "€" (U+20AC) at byte 9, which IAM refuses in a policy document: it takes printable characters through U+00FF (Basic Latin and Latin-1 Supplement) only (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html); rename the object in those characters`,
			},
		},
		{
			// The key is in the object's ARN in the pipeline role's (or
			// the source account role's) policy, where IAM reads * and ?
			// as wildcards.
			name: "S3 source key with IAM's wildcards",
			mutate: func(c *Config) {
				c.ExtraSources = []ExtraSource{
					{Name: "all", Source: Source{S3: &S3Source{Bucket: "bucket", Key: "releases/*", Versioned: true}}},
					{Name: "one", Source: Source{S3: &S3Source{Bucket: "bucket", Key: "releases/app-?.zip", Versioned: true}}},
				}
			},
			want: []string{
				`extraSources[0].s3.key "releases/*": contains * or ?, which IAM reads as wildcards in the object's ARN in the policy of the role that reads it, admitting every matching object; name the object exactly`,
				`extraSources[1].s3.key "releases/app-?.zip": contains * or ?, which IAM reads as wildcards in the object's ARN in the policy of the role that reads it, admitting every matching object; name the object exactly`,
			},
		},
		{
			name: "CodeCommit branch and S3 key longer than an action configuration value",
			mutate: func(c *Config) {
				c.ExtraSources = []ExtraSource{
					{Name: "repo", Source: Source{CodeCommit: &CodeCommitSource{Repository: "r", Branch: strings.Repeat("b", 1001)}}},
					// S3 takes 1,024 bytes; CodePipeline's S3ObjectKey 1,000.
					{Name: "archive", Source: Source{S3: &S3Source{Bucket: "bucket", Key: strings.Repeat("k", 1024), Versioned: true}}},
				}
			},
			want: []string{
				`extraSources[0].codecommit.branch "1001 characters": a CodeCommit branch name has at most 256 characters (https://docs.aws.amazon.com/codecommit/latest/APIReference/API_BranchInfo.html); use a shorter branch name`,
				`extraSources[1].s3.key "1024 characters": CodePipeline takes at most 1000 characters per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html); use a shorter object key`,
			},
		},
		{
			name: "sources",
			mutate: func(c *Config) {
				c.Environments[1].Approval = nil
				g := c.Source.GitHub
				c.Source.GitLab = &ConnectionSource{Repository: "group/sub/project", Branch: "main", ConnectionArn: g.ConnectionArn}
				g.Triggers = &Triggers{FilePaths: &Filter{Includes: []string{"src/**"}}, Tags: &Filter{Excludes: []string{"", "a", "b", "c", "d", "e", "f", "g", "h"}}}
				c.ExtraSources = []ExtraSource{
					{Name: "config", Source: Source{GitLab: &ConnectionSource{Repository: "group/sub/config", Branch: "main", ConnectionArn: g.ConnectionArn}}},
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
				`extraSources "5": the Build action reads the source and every extra source, 6 artifacts; a CodeBuild action reads at most 5: keep at most 4 extra sources, or combine them into one repository or archive`,
			},
		},
		// An S3 source starts the pipeline only through EventBridge
		// events that CloudTrail records (aws-cdk-lib S3Trigger.EVENTS: "only
		// if there is a CloudTrail Trail in the account that captures the
		// S3 event"); without audit the tooling account had none, and no
		// upload ever started the pipeline.
		{
			name: "S3 sources in the tooling account without a trail",
			mutate: func(c *Config) {
				c.Audit = nil
				c.Source = Source{S3: &S3Source{Bucket: "acme-releases", Key: "app.zip", Versioned: true}}
				c.ExtraSources = []ExtraSource{{Name: "settings", Source: Source{S3: &S3Source{Bucket: "acme-settings", Key: "s.zip", Versioned: true}}}}
			},
			want: []string{
				`source.s3.bucket "acme-releases": an upload starts the pipeline only through a CloudTrail trail of the tooling account that records the bucket's write data events, and there is none: add audit: {} (Relay's trail records it), or audit.organizationTrail naming a trail that does`,
				`extraSources[0].s3.bucket "acme-settings": an upload starts the pipeline only through a CloudTrail trail of the tooling account that records the bucket's write data events, and there is none: add audit: {} (Relay's trail records it), or audit.organizationTrail naming a trail that does`,
			},
		},
		{
			name: "S3 sources in the tooling account with Relay's trail",
			mutate: func(c *Config) {
				c.Audit = &Audit{TrailName: "payments-audit", RetentionDays: 365}
				c.Source = Source{S3: &S3Source{Bucket: "acme-releases", Key: "app.zip", Versioned: true}}
			},
		},
		// A count that overflows a per-action quota (the kind of
		// sixty-hooks-one-region.yaml): aws-cdk-lib refused it without a
		// field ("Build/CodeBuild cannot have more than 5 input artifacts").
		{
			name: "four extra sources",
			mutate: func(c *Config) {
				for i := range 4 {
					c.ExtraSources = append(c.ExtraSources, ExtraSource{Name: fmt.Sprintf("src%d", i), Source: Source{S3: &S3Source{Bucket: "acme-src", Key: fmt.Sprintf("s%d.zip", i), Versioned: true}}})
				}
			},
		},
		{
			name: "five extra sources",
			mutate: func(c *Config) {
				for i := range 5 {
					c.ExtraSources = append(c.ExtraSources, ExtraSource{Name: fmt.Sprintf("src%d", i), Source: Source{S3: &S3Source{Bucket: "acme-src", Key: fmt.Sprintf("s%d.zip", i), Versioned: true}}})
				}
			},
			want: []string{`extraSources "5": the Build action reads the source and every extra source, 6 artifacts; a CodeBuild action reads at most 5: keep at most 4 extra sources, or combine them into one repository or archive`},
		},
		{
			name: "source triggers",
			mutate: func(c *Config) {
				c.Environments[1].Approval = nil
				c.Source.GitHub.Triggers = &Triggers{FilePaths: &Filter{Includes: []string{"src/**"}}, Tags: &Filter{Excludes: []string{"", "a", "b", "c", "d", "e", "f", "g", "h"}}}
			},
			want: []string{
				`source.github.triggers.tags.excludes "9": has more than 8 patterns; CodePipeline takes at most 8`,
				`source.github.triggers.tags.excludes[0] "": must be a glob pattern of 1 to 255 characters, such as release/*`,
				`source.github.triggers "tags,filePaths": CodePipeline takes tags alone, branches alone, or branches with filePaths in one push filter; to release from tags, keep only tags, else remove tags`,
			},
		},
		{
			// The pipeline's resource schema declares each pattern list
			// uniqueItems; strict synth and CloudFormation refuse a repeat.
			name: "source trigger patterns twice",
			mutate: func(c *Config) {
				c.Environments[1].Approval = nil
				c.Source.GitHub.Triggers = &Triggers{Branches: &Filter{Includes: []string{"main", "main"}}, FilePaths: &Filter{Includes: []string{"src/**"}, Excludes: []string{"docs/**", "a/**", "docs/**"}}}
			},
			want: []string{
				`source.github.triggers.branches.includes[1] "main": is listed twice; CloudFormation refuses a pipeline whose trigger lists a pattern twice (the list's items must be unique); remove one`,
				`source.github.triggers.filePaths.excludes[2] "docs/**": is listed twice; CloudFormation refuses a pipeline whose trigger lists a pattern twice (the list's items must be unique); remove one`,
			},
		},
		{
			// The key lands in the reading role's policy, in the object's
			// ARN: one line of text.
			name: "S3 source keys with a tab or a line break",
			mutate: func(c *Config) {
				c.ExtraSources = []ExtraSource{{Name: "aa", Source: Source{S3: &S3Source{Bucket: "acme-src", Key: "app.zip\n", Versioned: true}}}, {Name: "bb", Source: Source{S3: &S3Source{Bucket: "acme-src", Key: "x\ty.zip", Versioned: true}}}}
			},
			want: []string{
				`extraSources[0].s3.key "app.zip\n": holds the control character U+000A at byte 7: the key is written into the object's ARN in the policy of the role that reads it, and an ARN is one line of text without control characters; rename the object without it`,
				`extraSources[1].s3.key "x\ty.zip": holds the control character U+0009 at byte 1: the key is written into the object's ARN in the policy of the role that reads it, and an ARN is one line of text without control characters; rename the object without it`,
			},
		},
		{
			// CodePipeline's API takes a pattern matching .* (no line
			// break); git takes no control character, space, ~ ^ or : in
			// a ref name, so such a branch or tag pattern never matches.
			name: "source trigger patterns with line breaks or characters git refuses",
			mutate: func(c *Config) {
				c.Environments[1].Approval = nil
				c.Source.GitHub.Triggers = &Triggers{Branches: &Filter{Includes: []string{"main", "release/*\n"}, Excludes: []string{"wip\t*", "a b"}}, FilePaths: &Filter{Includes: []string{"src/\tx/**", "src/my file"}, Excludes: []string{"\rdocs/**"}}}
			},
			want: []string{
				`source.github.triggers.branches.includes[1] "release/*\n": holds a line break (U+000A at byte 9): CodePipeline takes a trigger pattern on one line (its API's pattern .*, https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GitBranchFilterCriteria.html) and refuses the pipeline otherwise; remove it`,
				`source.github.triggers.branches.excludes[0] "wip\t*": holds U+0009 at byte 3: git refuses control characters, space, ~ ^ and : in branch and tag names (https://git-scm.com/docs/git-check-ref-format), so the pattern matches no push and never starts the pipeline; remove it`,
				`source.github.triggers.branches.excludes[1] "a b": holds U+0020 at byte 1: git refuses control characters, space, ~ ^ and : in branch and tag names (https://git-scm.com/docs/git-check-ref-format), so the pattern matches no push and never starts the pipeline; remove it`,
				`source.github.triggers.filePaths.excludes[0] "\rdocs/**": holds a line break (U+000D at byte 0): CodePipeline takes a trigger pattern on one line (its API's pattern .*, https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GitBranchFilterCriteria.html) and refuses the pipeline otherwise; remove it`,
			},
		},
	})
}

// TestPushFilters checks that only the push filters CodePipeline accepts
// pass: tags alone, branches alone, branches with file paths.
func TestPushFilters(t *testing.T) {
	f := func(p ...string) *Filter { return &Filter{Includes: p} }
	const path = `source.github.triggers `
	runValidateCases(t, ungated([]validateCase{
		{name: "branches", mutate: func(c *Config) { c.Source.GitHub.Triggers = &Triggers{Branches: f("main")} }},
		{name: "tags", mutate: func(c *Config) { c.Source.GitHub.Triggers = &Triggers{Tags: f("v*")} }},
		{name: "branches and file paths", mutate: func(c *Config) {
			c.Source.GitHub.Triggers = &Triggers{Branches: f("main"), FilePaths: &Filter{Excludes: []string{"docs/**"}}}
		}},
		{name: "branches excluded only", mutate: func(c *Config) {
			c.Source.GitHub.Triggers = &Triggers{Branches: &Filter{Excludes: []string{"wip/*"}}}
		}},
		{
			name:   "branches and tags",
			mutate: func(c *Config) { c.Source.GitHub.Triggers = &Triggers{Branches: f("main"), Tags: f("v*")} },
			want:   []string{path + `"branches,tags": CodePipeline takes tags alone, branches alone, or branches with filePaths in one push filter; to release from tags, keep only tags, else remove tags`},
		},
		{
			name:   "tags and file paths",
			mutate: func(c *Config) { c.Source.GitHub.Triggers = &Triggers{Tags: f("v*"), FilePaths: f("src/**")} },
			want:   []string{path + `"tags,filePaths": CodePipeline takes tags alone, branches alone, or branches with filePaths in one push filter; to release from tags, keep only tags, else remove tags`},
		},
		{
			name: "all three",
			mutate: func(c *Config) {
				c.Source.GitHub.Triggers = &Triggers{Branches: f("main"), Tags: f("v*"), FilePaths: f("src/**")}
			},
			want: []string{path + `"branches,tags,filePaths": CodePipeline takes tags alone, branches alone, or branches with filePaths in one push filter; to release from tags, keep only tags, else remove tags`},
		},
		{
			name:   "file paths alone",
			mutate: func(c *Config) { c.Source.GitHub.Triggers = &Triggers{FilePaths: f("src/**")} },
			want:   []string{path + `"filePaths": filePaths filter the pushes to branches: add branches beside them, such as branches: {includes: [main]}`},
		},
		{
			name:   "empty filter",
			mutate: func(c *Config) { c.Source.GitHub.Triggers = &Triggers{Branches: f("main"), FilePaths: &Filter{}} },
			want:   []string{path + `"branches": filePaths lists no patterns; add includes or excludes, or remove it`},
		},
		{
			name:   "no filter",
			mutate: func(c *Config) { c.Source.GitHub.Triggers = &Triggers{} },
			want:   []string{path + `"": sets no filter; set branches, tags, or branches with filePaths, or remove triggers to start on every push to the branch`},
		},
		{
			name: "extra sources too",
			mutate: func(c *Config) {
				c.ExtraSources = []ExtraSource{{Name: "charts", Source: Source{GitLab: &ConnectionSource{Repository: "acme/charts", Branch: "main",
					ConnectionArn: c.Source.GitHub.ConnectionArn, Triggers: &Triggers{Branches: f("main"), Tags: f("v*")}}}}}
			},
			want: []string{`extraSources[0].gitlab.triggers "branches,tags": CodePipeline takes tags alone, branches alone, or branches with filePaths in one push filter; to release from tags, keep only tags, else remove tags`},
		},
	}))
}

// ungated removes the example's approval before each case's mutation, so
// that cases about the shape of push filters meet no branch gate.
func ungated(cases []validateCase) []validateCase {
	for i := range cases {
		mutate := cases[i].mutate
		cases[i].mutate = func(c *Config) {
			for k := range c.Environments {
				c.Environments[k].Approval = nil
			}
			mutate(c)
		}
	}
	return cases
}

// TestOtherBranches pins issue 10's security item 2 (the branch path):
// pushes other than to the release branch may not start a pipeline that
// reaches an approval-gated environment, unless a reason accepts it.
func TestOtherBranches(t *testing.T) {
	f := func(p ...string) *Filter { return &Filter{Includes: p} }
	why := &OtherBranches{Reason: "release/* is protected: only release managers push to it"}
	const path = `source.github.triggers`
	runValidateCases(t, []validateCase{
		{name: "the release branch alone", mutate: func(c *Config) { c.Source.GitHub.Triggers = &Triggers{Branches: f("main"), FilePaths: f("src/**")} }},
		{name: "excluding branches narrows", mutate: func(c *Config) {
			c.Source.GitHub.Triggers = &Triggers{Branches: &Filter{Includes: []string{"main"}, Excludes: []string{"wip/*"}}}
		}},
		{name: "a pattern beyond the release branch", mutate: func(c *Config) { c.Source.GitHub.Triggers = &Triggers{Branches: f("main", "release/*")} },
			want: []string{path + ` "release/*": starts the pipeline from pushes other than to the release branch main, and environments[1] "production" waits for an approval: an approver could release a build of any of those branches; trigger on main only, give other branches a pipeline of their own without approval-gated environments, or accept it with triggers.otherBranches.reason`}},
		{name: "tags", mutate: func(c *Config) { c.Source.GitHub.Triggers = &Triggers{Tags: f("v*")} },
			want: []string{path + ` "tags": starts the pipeline from pushes other than to the release branch main, and environments[1] "production" waits for an approval: an approver could release a build of any of those branches; trigger on main only, give other branches a pipeline of their own without approval-gated environments, or accept it with triggers.otherBranches.reason`}},
		{name: "a change-set review gates too", mutate: func(c *Config) {
			c.Environments[1].Approval, c.Environments[1].ReviewChangeSet = nil, true
			c.Source.GitHub.Triggers = &Triggers{Branches: f("*")}
		}, want: []string{path + ` "*": starts the pipeline from pushes other than to the release branch main, and environments[1] "production" waits for an approval: an approver could release a build of any of those branches; trigger on main only, give other branches a pipeline of their own without approval-gated environments, or accept it with triggers.otherBranches.reason`}},
		{name: "an extra source's triggers too", mutate: func(c *Config) {
			c.ExtraSources = []ExtraSource{{Name: "charts", Source: Source{GitLab: &ConnectionSource{Repository: "acme/charts", Branch: "main",
				ConnectionArn: c.Source.GitHub.ConnectionArn, Triggers: &Triggers{Branches: f("feature/*")}}}}}
		}, want: []string{`extraSources[0].gitlab.triggers "feature/*": starts the pipeline from pushes other than to the release branch main, and environments[1] "production" waits for an approval: an approver could release a build of any of those branches; trigger on main only, give other branches a pipeline of their own without approval-gated environments, or accept it with triggers.otherBranches.reason`}},
		{name: "accepted with a reason", mutate: func(c *Config) {
			c.Source.GitHub.Triggers = &Triggers{Branches: f("main", "release/*"), OtherBranches: why}
		}},
		{name: "a reason too short", mutate: func(c *Config) {
			c.Source.GitHub.Triggers = &Triggers{Branches: f("release/*"), OtherBranches: &OtherBranches{Reason: "ok"}}
		}, want: []string{path + `.otherBranches.reason "ok": say why builds of those branches are safe to release, in at least 10 characters, such as "release/* is protected: only release managers push to it"`}},
		{name: "a reason where nothing goes beyond", mutate: func(c *Config) {
			c.Source.GitHub.Triggers = &Triggers{Branches: f("main"), OtherBranches: why}
		}, want: []string{path + `.otherBranches "release/* is protected: only release managers push to it": applies only when the triggers start the pipeline from other branches or tags than main; remove it`}},
		{name: "a reason without a gated environment", mutate: func(c *Config) {
			c.Environments[1].Approval = nil
			c.Source.GitHub.Triggers = &Triggers{Branches: f("*"), OtherBranches: why}
		}, want: []string{path + `.otherBranches "release/* is protected: only release managers push to it": applies only to pipelines with an approval-gated environment (approval, reviewChangeSet or an approval step); remove it`}},
		// An approval step gates as an environment's approval does: a push
		// to any matching branch reached it and an approver could release
		// that build (found by the variants sweep).
		{name: "an approval step of every environment gates too", mutate: func(c *Config) {
			c.Environments[1].Approval = nil
			c.Steps = []Step{{Name: "go-live", When: "after", Approval: &StepApproval{Comment: "Release?", TimeoutMinutes: 60}}}
			c.Source.GitHub.Triggers = &Triggers{Branches: f("main*")}
		}, want: []string{path + ` "main*": starts the pipeline from pushes other than to the release branch main, and environments[0] "staging" waits for an approval (steps[0].approval): an approver could release a build of any of those branches; trigger on main only, give other branches a pipeline of their own without approval-gated environments, or accept it with triggers.otherBranches.reason`}},
		{name: "an environment's approval step gates too", mutate: func(c *Config) {
			c.Environments[1].Approval = nil
			c.Environments[1].Steps = []Step{{Name: "go-live", When: "after", Approval: &StepApproval{Comment: "Release?", TimeoutMinutes: 60}}}
			c.Source.GitHub.Triggers = &Triggers{Tags: f("v*")}
		}, want: []string{path + ` "tags": starts the pipeline from pushes other than to the release branch main, and environments[1] "production" waits for an approval (environments[1].steps[0].approval): an approver could release a build of any of those branches; trigger on main only, give other branches a pipeline of their own without approval-gated environments, or accept it with triggers.otherBranches.reason`}},
		{name: "an approval step accepted with a reason", mutate: func(c *Config) {
			c.Environments[1].Approval = nil
			c.Environments[1].Steps = []Step{{Name: "go-live", When: "after", Approval: &StepApproval{Comment: "Release?", TimeoutMinutes: 60}}}
			c.Source.GitHub.Triggers = &Triggers{Tags: f("v*"), OtherBranches: why}
		}},
	})
}

// TestFieldFailureTriggerBranchesAndTags replays the field report: a push
// filter with branches and tags, which CodePipeline refuses.
func TestFieldFailureTriggerBranchesAndTags(t *testing.T) {
	_, err := Load("testdata/field-failures/trigger-branches-and-tags.yaml")
	want := `testdata/field-failures/trigger-branches-and-tags.yaml:11: source.github.triggers "branches,tags": CodePipeline takes tags alone, branches alone, or branches with filePaths in one push filter; to release from tags, keep only tags, else remove tags`
	if err == nil || err.Error() != want {
		t.Errorf("Load() = %v\nwant %s", err, want)
	}
}

// branchReferenceRule is the rule for a branch name holding #{.
const branchReferenceRule = `holds #{, which CodePipeline reads as the start of a variable reference in the action's configuration (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html), not as part of a branch name; name the branch without it`

// gitBranchRule is the rule for a branch name git refuses.
const gitBranchRule = `is not a git branch name: git refuses ~ ^ : ? * [ \ and control characters, "..", "@{", "//", a part that starts with '.' or ends with .lock, and a trailing '/' or '.' (https://git-scm.com/docs/git-check-ref-format), so no repository has it and the source action would fail; write the branch name as git shows it`
