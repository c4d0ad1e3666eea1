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
		{
			name:   "approvers without principals",
			mutate: func(c *Config) { c.Pipeline.Approvers = &Approvers{} },
			want:   []string{`pipeline.approvers.principals "": required; list the IAM role or user ARNs that may approve, such as arn:aws:iam::111111111111:role/release-managers`},
		},
	})
}
