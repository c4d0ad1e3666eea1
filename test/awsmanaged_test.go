package test

import "testing"

// TestAWSManagedExecutionPolicies: an AWS managed policy that the
// configuration names in deploy.executionPolicy.managedPolicyArns (which
// the README allows, and which the refusal of another account's policy
// offers as a fix) passes the default cdk-nag pack on every execution role
// Relay creates with it: an account environment's (target) and each
// account's of an environment of account lists (the StackSet execution
// role, which failed AwsSolutions-IAM4 until the suppression moved to
// package nag for both).
func TestAWSManagedExecutionPolicies(t *testing.T) {
	for _, tc := range []struct{ name, environments string }{
		{"account environment", `  - {name: staging, account: "222222222222", regions: [us-east-1]}`},
		{"environment of account lists", `  - {name: pilot, accounts: ["222222222222", "333333333333"], regions: [us-east-1]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := `name: managed
tooling: {account: "111111111111", region: us-east-1}
organization: {id: o-a1b2c3d4e5}
source:
  github: {repository: acme/managed, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
deploy:
  stackName: managed-app
  executionPolicy:
    managedPolicyArns: ["arn:aws:iam::aws:policy/AWSLambda_FullAccess"]
environments:
` + tc.environments + "\n"
			// The default synth: cdk-nag's AwsSolutions pack runs.
			synthDefault(t, cfg)
		})
	}
}
