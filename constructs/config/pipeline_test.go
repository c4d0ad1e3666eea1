package config

import (
	"strings"
	"testing"
)

// TestValidatePipeline checks the rules of pipeline settings, each with its exact
// message.
func TestValidatePipeline(t *testing.T) {
	runValidateCases(t, []validateCase{
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
		// Settings AWS refuses together (the kind of
		// trigger-branches-and-tags.yaml): CodePipeline adds no rollback
		// failure condition to a PARALLEL pipeline, and every stage rolls back
		// by default.
		{
			name:   "PARALLEL with stages that roll back",
			mutate: func(c *Config) { c.Pipeline.ExecutionMode = "PARALLEL" },
			want: []string{`pipeline.executionMode "PARALLEL": CodePipeline does not roll back the stages of a PARALLEL pipeline, and environments[0] "staging", environments[1] "production" roll back when they fail (the default); ` +
				`set disableRollback: true on them, or use QUEUED or SUPERSEDED (https://docs.aws.amazon.com/codepipeline/latest/userguide/execution-modes.html)`},
		},
		{
			name: "PARALLEL with one stage that rolls back",
			mutate: func(c *Config) {
				c.Pipeline.ExecutionMode = "PARALLEL"
				c.Environments[0].DisableRollback = true
			},
			want: []string{`pipeline.executionMode "PARALLEL": CodePipeline does not roll back the stages of a PARALLEL pipeline, and environments[1] "production" rolls back when it fails (the default); ` +
				`set disableRollback: true on it, or use QUEUED or SUPERSEDED (https://docs.aws.amazon.com/codepipeline/latest/userguide/execution-modes.html)`},
		},
		{
			name: "PARALLEL without rollback",
			mutate: func(c *Config) {
				c.Pipeline.ExecutionMode = "PARALLEL"
				c.Environments[0].DisableRollback = true
				c.Environments[1].DisableRollback = true
			},
		},
		{
			name:   "QUEUED with rollback",
			mutate: func(c *Config) { c.Pipeline.ExecutionMode = "QUEUED" },
		},
		// A config string with a line break that lands in a one-line
		// destination (the kind of multiline-buildspec.yaml): CodePipeline's
		// variable declaration takes the pattern .* for both.
		{
			name: "variables with line breaks",
			mutate: func(c *Config) {
				c.Pipeline.Variables = []Variable{{Name: "tag", Default: "v1\nv2", Description: "the\rtag"}, {Name: "notes", Default: "a\tb", Description: "tabs\tare one line"}}
			},
			want: []string{
				`pipeline.variables[0].default "v1\nv2": must be one line (CodePipeline takes a variable's default and description without line breaks)`,
				`pipeline.variables[0].description "the\rtag": must be one line (CodePipeline takes a variable's default and description without line breaks)`,
			},
		},
		{
			name:   "approvers without principals",
			mutate: func(c *Config) { c.Pipeline.Approvers = &Approvers{} },
			want:   []string{`pipeline.approvers.principals "": required; list the IAM role or user ARNs that may approve, such as arn:aws:iam::111111111111:role/release-managers`},
		},
		{
			name: "an account root needs a reason",
			mutate: func(c *Config) {
				c.Pipeline.Approvers = &Approvers{Principals: []string{"arn:aws:iam::444444444444:root"}}
			},
			want: []string{`pipeline.approvers.principals[0] "arn:aws:iam::444444444444:root": is an account root: it admits every principal that account's administrators allow; ` +
				`name the roles or users that approve, such as arn:aws:iam::111111111111:role/release-managers, or accept it with pipeline.approvers.accountRoots.reason`},
		},
		{
			name: "an account root with a reason, and MFA",
			mutate: func(c *Config) {
				c.Pipeline.Approvers = &Approvers{Principals: []string{"arn:aws:iam::444444444444:root"}, RequireMFA: true,
					AccountRoots: &AccountRoots{Reason: "only the change board may assume roles there"}}
			},
		},
		{
			name: "a short reason",
			mutate: func(c *Config) {
				c.Pipeline.Approvers = &Approvers{Principals: []string{"arn:aws:iam::444444444444:root"}, AccountRoots: &AccountRoots{Reason: "ok"}}
			},
			want: []string{`pipeline.approvers.accountRoots.reason "ok": say who in those accounts may approve and how, in at least 10 characters`},
		},
		{
			name: "a reason with no root to accept",
			mutate: func(c *Config) {
				c.Pipeline.Approvers = &Approvers{Principals: []string{"arn:aws:iam::111111111111:role/release-managers"}, AccountRoots: &AccountRoots{Reason: "nothing to accept here"}}
			},
			want: []string{`pipeline.approvers.accountRoots "nothing to accept here": applies only when principals name an account root; remove it`},
		},
	})
}
