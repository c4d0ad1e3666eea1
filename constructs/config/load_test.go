package config

import (
	"reflect"

	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/google/go-cmp/cmp"
)

// minimal is the smallest valid configuration, plus an approval to show its
// default comment. Tests edit it line by line, so mind the line numbers.
const minimal = `name: payments
tooling:
  account: "111111111111"
  region: us-east-1
source:
  github:
    repository: acme/payments
    connectionArn: arn:aws:codeconnections:us-east-1:111111111111:connection/abc
deploy:
  executionPolicy:
    managedPolicyArns: [arn:aws:iam::aws:policy/AWSLambda_FullAccess]
environments:
  - name: staging
    account: "222222222222"
    regions: [us-east-1]
    approval: {}
`

// edit returns minimal with the first old replaced by new.
func edit(old, new string) string {
	if !strings.Contains(minimal, old) {
		panic("edit: minimal has no " + old)
	}
	return strings.Replace(minimal, old, new, 1)
}

// parseErrorTests are inputs Parse refuses, with the exact message. They
// also seed FuzzParse.
var parseErrorTests = []struct {
	name  string
	input string
	want  string
}{
	{
		name:  "unknown key",
		input: edit("    repository: acme/payments\n", "    repository: acme/payments\n    brnach: main\n"),
		want:  `relay.yaml:8: unknown field "brnach"; remove it or fix its spelling`,
	},
	{
		name:  "wrong type: scalar for a list",
		input: edit("regions: [us-east-1]", "regions: us-east-1"),
		want:  `relay.yaml:15: environments[0].regions "us-east-1": is one string, and this field takes a list: write it as [us-east-1]`,
	},
	// A value of the wrong kind inside deploy or build, blocks that also
	// take none: the field inside keeps its path (it used to read "deploy:
	// found a string; write none ...", naming the block and a fix that
	// did not apply).
	{
		name:  "wrong type inside deploy: scalar for a list",
		input: edit("    managedPolicyArns: [arn:aws:iam::aws:policy/AWSLambda_FullAccess]", "    managedPolicyArns: arn:aws:iam::aws:policy/AWSLambda_FullAccess"),
		want:  `relay.yaml:11: deploy.executionPolicy.managedPolicyArns "arn:aws:iam::aws:policy/AWSLambda_FullAccess": is one string, and this field takes a list: write it as [arn:aws:iam::aws:policy/AWSLambda_FullAccess]`,
	},
	{
		name:  "wrong type inside a deploy stack: scalar for a list",
		input: edit("  executionPolicy:\n", "  stacks:\n    - {name: site, s3: {bucket: acme-site, cacheControl: \"max-age=60\"}}\n  executionPolicy:\n"),
		want:  `relay.yaml:11: deploy.stacks[0].s3.cacheControl "max-age=60": is one string, and this field takes a list: write it as [max-age=60]`,
	},
	{
		name:  "wrong type inside build: scalar for a list",
		input: edit("deploy:\n", "build:\n  vpc: {vpcId: vpc-0a1b2c3d4e5f67890, subnets: subnet-0a1b2c3d4e5f60001, securityGroups: [sg-0a1b2c3d4e5f60003]}\ndeploy:\n"),
		want:  `relay.yaml:10: build.vpc.subnets "subnet-0a1b2c3d4e5f60001": is one string, and this field takes a list: write it as [subnet-0a1b2c3d4e5f60001]`,
	},
	{
		name:  "wrong type inside build: list for a mapping",
		input: edit("deploy:\n", "build:\n  vpc: [vpc-0a1b2c3d4e5f67890]\ndeploy:\n"),
		want:  `relay.yaml:10: build.vpc: sequence was used where mapping is expected`,
	},
	{
		name:  "deploy as a list",
		input: edit("deploy:\n  executionPolicy:\n    managedPolicyArns: [arn:aws:iam::aws:policy/AWSLambda_FullAccess]\n", "deploy: [a]\n"),
		want:  `relay.yaml:9: deploy: found a sequence; write none (no workload: environments run their steps only), a mapping of settings such as {stackName: payments-app, executionPolicy: {...}}, or omit deploy for the defaults`,
	},
	{
		name:  "wrong type: text for a number",
		input: edit("deploy:\n", "build:\n  timeoutMinutes: thirty\ndeploy:\n"),
		want:  "relay.yaml:10: build.timeoutMinutes: wrong type: expected a whole number, found a string",
	},
	{
		name:  "wrong type: list for a string",
		input: edit("name: payments", "name: [payments]"),
		want:  "relay.yaml:1: name: wrong type: expected a string, found a list",
	},
	{
		name:  "wrong type: number for a boolean",
		input: edit("    managedPolicyArns:", "    allowAdministratorAccess: 1\n    managedPolicyArns:"),
		want:  "relay.yaml:11: deploy.executionPolicy.allowAdministratorAccess: wrong type: expected true or false, found a whole number",
	},
	{
		name:  "wrong type: fraction for a whole number",
		input: edit("deploy:\n", "build:\n  timeoutMinutes: 30.5\ndeploy:\n"),
		want:  `relay.yaml:10: build.timeoutMinutes "30.5": must be a whole number written in decimal, without quotes, such as 30`,
	},
	{
		name:  "wrong type: quoted number",
		input: edit("deploy:\n", "build:\n  logRetentionDays: \"365\"\ndeploy:\n"),
		want:  `relay.yaml:10: build.logRetentionDays "365": must be a whole number written in decimal, without quotes, such as 30`,
	},
	{
		name:  "number too large",
		input: edit("deploy:\n", "build:\n  timeoutMinutes: 99999999999999999999\ndeploy:\n"),
		want:  `relay.yaml:10: build.timeoutMinutes "99999999999999999999": out of range for a whole number; write the number this field takes (its range is in the configuration reference)`,
	},
	{
		name:  "not a number for a whole number",
		input: edit("deploy:\n", "build:\n  timeoutMinutes: .nan\ndeploy:\n"),
		want:  `relay.yaml:10: build.timeoutMinutes ".nan": must be a whole number written in decimal, without quotes, such as 30`,
	},
	{
		name:  "unquoted account read as octal",
		input: edit(`  account: "111111111111"`, "  account: 012345670123"),
		want:  `relay.yaml:3: tooling.account "012345670123": YAML reads this unquoted number as 1402433619; quote the account ID: "012345670123"`,
	},
	{
		name:  "duplicate key",
		input: edit("  region: us-east-1\n", "  region: us-east-1\n  region: us-west-2\n"),
		want:  `relay.yaml:5: mapping key "region" already defined at [4:3]; keep only one of them`,
	},
	{
		name:  "missing key placed on its parent",
		input: edit("    account: \"222222222222\"\n", ""),
		want:  `relay.yaml:13: environments[0].account "": required; set the 12-digit account ID of this environment, accounts or organizationalUnits for a StackSet, or tooling: true for a stage of steps`,
	},
	{
		name:  "missing section placed on the document",
		input: edit("source:\n  github:\n    repository: acme/payments\n    connectionArn: arn:aws:codeconnections:us-east-1:111111111111:connection/abc\n", ""),
		want:  `relay.yaml:1: source.github "": required; add source.github with repository and connectionArn (or gitlab, bitbucket, s3, codecommit or ecr)`,
	},
	{
		name:  "invalid value on its line",
		input: edit(`  account: "111111111111"`, `  account: "12345"`),
		want:  `relay.yaml:3: tooling.account "12345": must be exactly 12 digits, such as "123456789012"`,
	},
	{
		name:  "list item on its line",
		input: edit("regions: [us-east-1]", "regions:\n      - us-east-1\n      - us-east-9"),
		want:  `relay.yaml:17: environments[0].regions[1] "us-east-9": unknown AWS region; use a region code such as us-east-1 or eu-west-1`,
	},
	{
		name:  "explicit empty value is not defaulted",
		input: edit("deploy:\n", "build:\n  buildspec: \"\"\n  timeoutMinutes: 0\ndeploy:\n"),
		want: `relay.yaml:10: build.buildspec "": must not be empty; set a path relative to the repository root, or omit it to use the default buildspec.yml` + "\n" +
			`relay.yaml:11: build.timeoutMinutes "0": must be from 5 to 2160 minutes (36 hours); the default is 30`,
	},
	{
		name:  "null approval is not silently dropped",
		input: edit("    approval: {}", "    approval:"),
		want:  `relay.yaml:16: environments[0].approval "": has no value; write approval: {} for a manual approval with defaults, or remove the key for none`,
	},
	{
		name:  "null block is not silently dropped",
		input: edit("    approval: {}", "    approval: {}\n    freeze:"),
		want:  `relay.yaml:17: environments[0].freeze "": has no value; write its value, or remove the key (for the default, if it has one)`,
	},
	{
		name:  "null strategy is not a CloudFormation stack",
		input: edit("deploy:\n", "deploy:\n  ecs:\n"),
		want:  `relay.yaml:10: deploy.ecs "": has no value; write its value, or remove the key (for the default, if it has one)`,
	},
	{
		name:  "null number is not defaulted",
		input: edit("deploy:\n", "build:\n  timeoutMinutes:\ndeploy:\n"),
		want:  `relay.yaml:10: build.timeoutMinutes "": has no value; write its value, or remove the key (for the default, if it has one)`,
	},
	{
		name:  "written 0 is not a request for no long-executions alarm",
		input: minimal + "observability:\n  alarms: {maxExecutionMinutes: 0}\n",
		want:  `relay.yaml:18: observability.alarms.maxExecutionMinutes "0": must be from 5 to 86400 minutes (60 days), or omitted for no long-executions alarm`,
	},
	{
		name:  "written empty step approval comment is not the default",
		input: minimal + "steps:\n  - {name: signoff, approval: {comment: \"\"}}\n",
		want:  `relay.yaml:18: steps[0].approval.comment "": must not be empty; write a comment, or omit it to use the default "Approve <step> of <environment>"`,
	},
	{
		name:  "written empty comment of an environment's step approval",
		input: minimal + "    steps:\n      - {name: signoff, approval: {comment: \"\"}}\n",
		want:  `relay.yaml:18: environments[0].steps[0].approval.comment "": must not be empty; write a comment, or omit it to use the default "Approve <step> of <environment>"`,
	},
	{
		name:  "null step approval comment is reported once",
		input: minimal + "steps:\n  - {name: signoff, approval: {comment: }}\n",
		want:  `relay.yaml:18: steps[0].approval.comment "": has no value; write its value, or remove the key (for the default, if it has one)`,
	},
	{
		name:  "fraction in any whole-number field",
		input: edit("    approval: {}", "    approval: {timeoutMinutes: 1440.5}"),
		want:  `relay.yaml:16: environments[0].approval.timeoutMinutes "1440.5": must be a whole number written in decimal, without quotes, such as 30`,
	},
	{
		name:  "quoted number in a suite",
		input: minimal + "tests: [{name: unit, commands: [make test], runOrder: \"2\"}]\n",
		want:  `relay.yaml:17: tests[0].runOrder "2": must be a whole number written in decimal, without quotes, such as 30`,
	},
	{
		name:  "written 0 percent is refused, not defaulted",
		input: strings.Replace(edit(`    account: "222222222222"`, "    organizationalUnits: [ou-ab12-cd34ef56]\n    rollout: {maxConcurrentPercentage: 0}"), "deploy:", "organization: {id: o-a1b2c3d4e5}\ndeploy:", 1),
		want:  `relay.yaml:16: environments[0].rollout.maxConcurrentPercentage "0": must be from 1 to 100 (default 25)`,
	},
	{
		name:  "unquoted account of a StackSet read as octal",
		input: edit(`    account: "222222222222"`, "    accounts: [012345670123]"),
		want:  `relay.yaml:14: environments[0].accounts[0] "012345670123": YAML reads this unquoted number as 1402433619; quote the account ID: "012345670123"`,
	},
	{
		name:  "all problems, sorted by line then path",
		input: edit("name: payments\n", "name: Payments\n") + `  - {name: staging, account: "22", regions: [us-east-1, us-east-1]}` + "\n",
		want: `relay.yaml:1: name "Payments": must be 3 to 24 lowercase letters, digits and hyphens, starting with a letter, such as payments` + "\n" +
			`relay.yaml:17: environments[1].account "22": must be exactly 12 digits, such as "123456789012"` + "\n" +
			`relay.yaml:17: environments[1].name "staging": duplicate of environments[0].name; give each environment a unique name` + "\n" +
			`relay.yaml:17: environments[1].regions[1] "us-east-1": duplicate of environments[1].regions[0]; remove it`,
	},
	{
		name:  "multiple documents",
		input: minimal + "---\nname: other\n",
		want:  `relay.yaml:17: a second YAML document starts here; a Relay configuration is one document: remove this "---" and what follows, or merge it into the first`,
	},
	{
		name:  "YAML tag",
		input: edit("managedPolicyArns: [arn:aws:iam::aws:policy/AWSLambda_FullAccess]", "managedPolicyArns: !!str arn:aws:iam::aws:policy/AWSLambda_FullAccess"),
		want:  `relay.yaml:11: YAML tag "!!str" is not supported; remove it, and quote the value if it must stay a string`,
	},
	{
		name:  "syntax error",
		input: edit("name: payments", "name: 'payments"),
		want:  "relay.yaml:1: could not find end character of single-quoted text",
	},
	{
		name:  "empty input",
		input: "",
		want:  "relay.yaml:1: empty configuration; write at least name, tooling, source, deploy.executionPolicy and environments (see config.Example)",
	},
	{
		name:  "comments only",
		input: "# nothing yet\n\n# still nothing\n",
		want:  "relay.yaml:1: empty configuration; write at least name, tooling, source, deploy.executionPolicy and environments (see config.Example)",
	},
	{
		name:  "null document",
		input: "---\n~\n",
		want:  "relay.yaml:1: empty configuration; write at least name, tooling, source, deploy.executionPolicy and environments (see config.Example)",
	},
	{
		name:  "unquoted placeholder in a flow mapping",
		input: edit("regions: [us-east-1]", "regions: [us-east-1]\n    templateConfiguration: config/${env}.json\n    parameters: {Tag: app-${env}, Env: x}"),
		want:  `relay.yaml:17: ',' or '}' must be specified: inside {...} or [...] a plain value ends at "{", so quote a value that holds a ${...} placeholder, such as "config/${env}.json"`,
	},
	{
		name:  "unquoted placeholder in a flow sequence",
		input: edit("arn:aws:iam::aws:policy/AWSLambda_FullAccess]", `"arn:aws:iam::aws:policy/AWSLambda_FullAccess", arn:aws:iam::${account}:policy/x]`),
		want:  `relay.yaml:11: ',' or ']' must be specified: inside {...} or [...] a plain value ends at "{", so quote a value that holds a ${...} placeholder, such as "config/${env}.json"`,
	},
	{
		name:  "flow syntax error without a placeholder keeps go-yaml's words",
		input: edit("    approval: {}", `    approval: {comment: "${env}" y}`),
		want:  `relay.yaml:16: ',' or '}' must be specified`,
	},
	{
		name:  "unquoted action in a list inside a flow mapping",
		input: edit("    managedPolicyArns: [arn:aws:iam::aws:policy/AWSLambda_FullAccess]", "    statements:\n      - {sid: Read, actions: [\"s3:ListBucket\", s3:GetObject], resources: [\"*\"], reason: Reads every bucket of the account.}"),
		want:  `relay.yaml:12: deploy.executionPolicy.statements[0].actions[1]: wrong type: expected a string, found a mapping: inside {...}, the YAML reader takes the unquoted s3:GetObject in [...] as a mapping; quote it: "s3:GetObject"`,
	},
	{
		name:  "not a mapping",
		input: "- name: payments\n",
		want:  "relay.yaml:1: sequence was used where mapping is expected",
	},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range parseErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("relay.yaml", []byte(tt.input))
			if err == nil {
				t.Fatalf("Parse() = %+v, nil; want error %q", c, tt.want)
			}
			if c != nil {
				t.Errorf("Parse() returned a Config with an error")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("Parse() error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseAcceptsYAMLForms(t *testing.T) {
	tests := map[string]string{
		"directive":         "%YAML 1.2\n---\n" + minimal,
		"document markers":  "---\n" + minimal + "...\n",
		"anchor and alias":  edit("    regions: [us-east-1]", "    regions: &regions [us-east-1]") + "  - {name: qa, account: \"333333333333\", regions: *regions}\n",
		"unquoted account":  edit(`  account: "111111111111"`, "  account: 111111111111"),
		"explicit defaults": edit("deploy:\n", "build: {timeoutMinutes: 30, logRetentionDays: 365}\ndeploy:\n"),
		"quoted action inside a flow mapping": edit("    managedPolicyArns: [arn:aws:iam::aws:policy/AWSLambda_FullAccess]",
			"    statements:\n      - {sid: Read, actions: [\"s3:GetObject\"], resources: [\"arn:aws:s3:::acme-payments/*\"], reason: Objects of the payments bucket.}"),
		"quoted placeholder inside a flow mapping": edit("  - name: staging\n    account: \"222222222222\"\n    regions: [us-east-1]\n    approval: {}",
			`  - {name: staging, account: "222222222222", regions: [us-east-1], templateConfiguration: "config/${env}.json", approval: {}}`),
	}
	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse("relay.yaml", []byte(input)); err != nil {
				t.Errorf("Parse(): %v", err)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	got, err := Parse("relay.yaml", []byte(minimal))
	if err != nil {
		t.Fatalf("Parse(): %v", err)
	}
	want := &Config{
		Name:    "payments",
		Tooling: Tooling{Account: "111111111111", Region: "us-east-1"},
		Source: Source{GitHub: &ConnectionSource{
			Repository:    "acme/payments",
			Branch:        "main",
			ConnectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/abc",
		}},
		Build: Build{
			Buildspec:        "buildspec.yml",
			TimeoutMinutes:   30,
			ComputeType:      "BUILD_GENERAL1_SMALL",
			Image:            "aws/codebuild/standard:7.0",
			LogRetentionDays: 365,
			Cache:            "none",
		},
		Deploy: Deploy{
			StackName:       "payments-app",
			TemplatePath:    "template.json",
			ExecutionPolicy: ExecutionPolicy{ManagedPolicyArns: []string{"arn:aws:iam::aws:policy/AWSLambda_FullAccess"}},
		},
		Pipeline: PipelineSettings{ExecutionMode: "SUPERSEDED"},
		Environments: []Environment{{
			Name:     "staging",
			Account:  "222222222222",
			Regions:  []string{"us-east-1"},
			Approval: &Approval{Comment: "Approve deployment to staging", TimeoutMinutes: 10080},
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse(minimal) mismatch (-want +got):\n%s", diff)
	}

	// ApplyDefaults alone fills the same fields, and leaves set ones alone.
	c := &Config{Name: "orders", Source: Source{GitHub: &ConnectionSource{Branch: "trunk"}}, Build: Build{TimeoutMinutes: 60},
		Environments: []Environment{{Name: "prod", Approval: &Approval{}}}}
	c.ApplyDefaults()
	wantApplied := &Config{
		Name:   "orders",
		Source: Source{GitHub: &ConnectionSource{Branch: "trunk"}},
		Build: Build{Buildspec: "buildspec.yml", TimeoutMinutes: 60, ComputeType: "BUILD_GENERAL1_SMALL",
			Image: "aws/codebuild/standard:7.0", LogRetentionDays: 365, Cache: "none"},
		Deploy:       Deploy{StackName: "orders-app", TemplatePath: "template.json"},
		Pipeline:     PipelineSettings{ExecutionMode: "SUPERSEDED"},
		Environments: []Environment{{Name: "prod", Approval: &Approval{Comment: "Approve deployment to prod", TimeoutMinutes: 10080}}},
	}
	if diff := cmp.Diff(wantApplied, c); diff != "" {
		t.Errorf("ApplyDefaults() mismatch (-want +got):\n%s", diff)
	}
}

func TestExample(t *testing.T) {
	c, err := Parse("example.yaml", Example())
	if err != nil {
		t.Fatalf("Parse(Example()): %v", err)
	}
	if got := len(c.Environments); got != 2 {
		t.Errorf("example has %d environments, want 2", got)
	}
	if a := c.Environments[1].Approval; a == nil || a.Comment != "Approve deployment to production" {
		t.Errorf("production approval = %+v, want the default comment", a)
	}
	Example()[0] = 'X' // callers get a copy
	if _, err := Parse("example.yaml", Example()); err != nil {
		t.Errorf("Example() shares its bytes with callers: %v", err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "relay.yaml")
	if err := os.WriteFile(good, []byte(minimal), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(good); err != nil {
		t.Errorf("Load(%s): %v", good, err)
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(edit(`  account: "111111111111"`, `  account: "1"`)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(bad)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.File != bad || fe.Line != 3 || fe.Path != "tooling.account" {
		t.Errorf("Load(%s) = %v; want a *FieldError at %s:3 for tooling.account", bad, err, bad)
	}

	missing := filepath.Join(dir, "missing.yaml")
	if _, err := Load(missing); !errors.Is(err, os.ErrNotExist) || err.Error() != missing+": no such file: name an existing relay.yaml, absolute or relative to the folder the command runs in" {
		t.Errorf("Load(missing) = %v, want the path, the fix, and an error wrapping os.ErrNotExist", err)
	}
	if _, err := Load(dir); err == nil || err.Error() != dir+": a folder, not a configuration file: name the relay.yaml file itself (such as "+filepath.Join(dir, "relay.yaml")+")" {
		t.Errorf("Load(folder) = %v, want the path and the fix", err)
	}
}

// FuzzParse checks that Parse never panics, that every field error it
// returns is placed on a line, that a configuration it accepts is complete,
// valid and decoded the same way every time, and that the input limits
// hold: whatever passes the pre-scan of the bytes has, once go-yaml parses
// it, no more depth and nodes than the pre-scan counted, and so no more
// than MaxDepth and MaxNodes.
func FuzzParse(f *testing.F) {
	f.Add(Example())
	f.Add([]byte(minimal))
	for _, tt := range parseErrorTests {
		f.Add([]byte(tt.input))
	}
	for _, tt := range inputLimitTests {
		f.Add([]byte(tt.input))
	}
	for _, s := range lexerSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLimitsHold(t, data)
		c, err := Parse("fuzz.yaml", data)
		if err != nil {
			if c != nil {
				t.Fatalf("Parse returned a Config with error %v", err)
			}
			for _, e := range unwrapAll(err) {
				if fe, ok := e.(*FieldError); ok && (fe.Line < 1 || fe.File != "fuzz.yaml") {
					t.Fatalf("field error not placed on a line: %#v", fe)
				}
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted a Config that Validate refuses: %v", err)
		}
		again, err := Parse("fuzz.yaml", data)
		if err != nil {
			t.Fatalf("second Parse failed: %v", err)
		}
		if diff := cmp.Diff(c, again); diff != "" {
			t.Fatalf("Parse is not deterministic (-first +second):\n%s", diff)
		}
		again.ApplyDefaults()
		if diff := cmp.Diff(c, again); diff != "" {
			t.Fatalf("Parse left defaults unapplied (-parsed +ApplyDefaults):\n%s", diff)
		}
	})
}

func TestDefaultsForOrganizationalUnits(t *testing.T) {
	cfg, err := Parse("relay.yaml", []byte(`name: payments
tooling: {account: "111111111111", region: us-east-1}
organization: {id: o-a1b2c3d4e5}
source:
  github: {repository: acme/payments, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/abc"}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}
environments:
  - {name: fleet, organizationalUnits: [ou-ab12-cd34ef56], regions: [us-east-1]}
  - {name: canary, organizationalUnits: [ou-ab12-cd34ef57], regions: [us-east-1], rollout: {failureTolerancePercentage: 10}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Organization.StackSetsCallAs; got != "DELEGATED_ADMIN" {
		t.Errorf("organization.stackSetsCallAs = %q, want DELEGATED_ADMIN", got)
	}
	for i, want := range []Rollout{{MaxConcurrentPercentage: 25}, {MaxConcurrentPercentage: 25, FailureTolerancePercentage: 10}} {
		if got := cfg.Environments[i].Rollout; got == nil || *got != want {
			t.Errorf("environments[%d].rollout = %+v, want %+v", i, got, want)
		}
	}
}

func TestExtraSourcesInline(t *testing.T) {
	cfg, err := Parse("relay.yaml", []byte(minimal+`extraSources:
  - name: config
    s3: {bucket: payments-config, key: config.zip, versioned: true}
  - name: images
    ecr: {repository: payments/api}
audit: {}
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.ExtraSources; len(got) != 2 || got[0].S3 == nil || got[0].S3.Key != "config.zip" || got[1].ECR == nil || got[1].ECR.Tag != "latest" {
		t.Errorf("extraSources = %+v", got)
	}
}

// checkLimitsHold checks that the pre-scan of data never counts less depth
// or fewer nodes than go-yaml builds, and that input it passes is within
// the limits.
func checkLimitsHold(t *testing.T, data []byte) {
	t.Helper()
	if len(data) > MaxBytes {
		if _, err := Parse("fuzz.yaml", data); err == nil || !strings.Contains(err.Error(), "passes the limit of") {
			t.Fatalf("Parse of %d bytes = %v, want the size limit", len(data), err)
		}
		return
	}
	clean, scan, err := checkInput("fuzz.yaml", data)
	if err != nil {
		return
	}
	if scan.depth > MaxDepth || scan.nodes > MaxNodes {
		t.Fatalf("pre-scan passed depth %d and %d nodes", scan.depth, scan.nodes)
	}
	file, err := parser.ParseBytes(clean, 0)
	if err != nil {
		return
	}
	depth, nodes := 0, 0
	for _, d := range file.Docs {
		depth = max(depth, astDepth(d.Body))
		nodes += astNodes(d.Body)
	}
	// The pre-scan bounds the parser's work: go-yaml reads a few malformed
	// forms one level deeper than the pre-scan counts, never more.
	if depth > scan.depth+1 || nodes > 2*scan.nodes+2 {
		t.Fatalf("pre-scan under-counts: go-yaml built depth %d and %d nodes, the pre-scan counted depth %d and %d nodes", depth, nodes, scan.depth, scan.nodes)
	}
	// The limits hold exactly on what is decoded: checkTree refuses the rest.
	if depth > MaxDepth {
		if err := checkTree("fuzz.yaml", file.Docs[0].Body); err == nil || !strings.Contains(err.Error(), "nest deeper than") {
			t.Fatalf("checkTree() = %v for depth %d", err, depth)
		}
	}
}

// astDepth is the nesting of mappings and sequences in n.
func astDepth(n ast.Node) int {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return 0
	}
	d := 0
	switch v := n.(type) {
	case *ast.MappingNode:
		for _, mv := range v.Values {
			d = max(d, astDepth(mv.Key), astDepth(mv.Value))
		}
		return d + 1
	case *ast.MappingValueNode: // a pair outside a MappingNode is a mapping
		return 1 + max(astDepth(v.Key), astDepth(v.Value))
	case *ast.SequenceNode:
		d = 1
	}
	inner := 0
	for _, c := range nodeChildren(n) {
		inner = max(inner, astDepth(c))
	}
	return d + inner
}

// astNodes counts the nodes of n, aliases as one.
func astNodes(n ast.Node) int {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return 0
	}
	total := 1
	for _, c := range nodeChildren(n) {
		total += astNodes(c)
	}
	return total
}

// lexerSeeds are YAML forms the pre-scan must count right: block and flow
// nesting, scalars of every style, comments, documents, line breaks.
var lexerSeeds = []string{
	"a:\n  b:\n    c: [x, {y: z}]\n",
	"- - - - x\n- - y\n",
	"a:\n- b: 1\n  c:\n  - d\nnext: 2\n",
	"? complex\n: value\n? [a, b]\n: c\n",
	"[a]: 1\n{b: c}: 2\n",
	"k: |\n  [[[ not flow\n   - not a list\nz: 1\n",
	"k: >-\n\n    folded [\n\n    text\nz: [1]\n",
	"- |2\n   two\n  - x\n",
	"k: \"multi\n  line [ quoted\"\nz: 1\n",
	"k: 'it''s\n  [still quoted'\nz: 1\n",
	"k: plain\n  [continued\nz: 1\n",
	"k: don't - [ stop # comment [\n",
	"a: &x [1, 2]\nb: *x\nc: {<<: *x}\n",
	"a: !!str x\nb: !tag [y]\n",
	"--- [a]\n--- {b: c}\n...\n",
	"a:\r\n  b: [c]\r\n",
	"a:\r  b:\r    [c]\r",
	"a:\n\tb: [c]\n",
	"{a: [b, {c: [d]}], e: f}\n",
	"[\n  a,\n  [b,\n    c],\n]\n",
	"a: {\n  b: 1,\n  c: [\n- x\n]}\n",
	"key: \"x\": y\n",
	"- a: b\n  - c\n",
	"-\n  - -\n    - x\n",
	"a:\n  - b\n  -\n    - c\n",
}
