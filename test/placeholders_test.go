package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExecutionStatementPlaceholders: ${account} and ${region} in the
// resources of deploy.executionPolicy.statements become, in each execution
// role Relay creates, that role's own account and each region of its
// environment: the target stack's role of an account environment, the
// StackSet execution role of each account of an account list. Left in
// literally they would be grants that never match. The default synth runs
// cdk-nag, whose suppressions must name the filled resources. An
// environment of organizational units has no execution role (StackSets
// deploys there through its own roles): no template grants the statements
// at all.
func TestExecutionStatementPlaceholders(t *testing.T) {
	for _, tc := range []struct {
		name, environments, callAs string
		want                       []string // in the templates, as JSON writes them
	}{
		{"account environment", `  - {name: staging, account: "222222222222", regions: [us-east-1, eu-west-1]}`, "",
			[]string{`"arn:aws:dynamodb:us-east-1:222222222222:table/fleet-*"`, `"arn:aws:dynamodb:eu-west-1:222222222222:table/fleet-*"`, `"arn:aws:s3:::fleet-222222222222/*"`}},
		{"environment of account lists", `  - {name: pilot, accounts: ["222222222222", "333333333333"], regions: [us-east-1, eu-west-1]}`, "",
			[]string{`"arn:aws:dynamodb:eu-west-1:222222222222:table/fleet-*"`, `"arn:aws:dynamodb:eu-west-1:333333333333:table/fleet-*"`, `"arn:aws:s3:::fleet-333333333333/*"`}},
		{"environment of organizational units", `  - {name: members, organizationalUnits: [ou-ab12-cd34ef56], regions: [us-east-1, eu-west-1]}`, ", stackSetsCallAs: SELF", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := `name: fleet
tooling: {account: "111111111111", region: us-east-1}
organization: {id: o-a1b2c3d4e5` + tc.callAs + `}
source:
  github: {repository: acme/fleet, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
deploy:
  stackName: fleet-app
  executionPolicy:
    statements:
      - sid: Tables
        actions: ["dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:DescribeTable"]
        resources: ["arn:aws:dynamodb:${region}:${account}:table/fleet-*"]
        reason: The fleet's tables are named fleet-<purpose> in each account and region.
      - sid: Bucket
        actions: ["s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketPolicy"]
        resources: ["arn:aws:s3:::fleet-${account}/*"]
        reason: The fleet's bucket is named fleet-<account> in each account.
environments:
` + tc.environments + "\n"
			a := synthDefault(t, cfg)
			var all strings.Builder
			for _, s := range a.Stacks {
				raw, err := os.ReadFile(filepath.Join(a.Dir, s.TemplateFile))
				if err != nil {
					t.Fatal(err)
				}
				all.Write(raw)
			}
			for _, literal := range []string{"${account}", "${region}"} {
				if strings.Contains(all.String(), literal) {
					t.Errorf("a template holds %s literally: a grant that never matches", literal)
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(all.String(), w) {
					t.Errorf("no template holds %s", w)
				}
			}
			if tc.want == nil && strings.Contains(all.String(), ":table/fleet-*") {
				t.Errorf("a template grants the execution statements, and the environments have no execution role")
			}
		})
	}
}
