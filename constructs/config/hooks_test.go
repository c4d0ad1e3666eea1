package config

import "testing"

// TestValidateHooks checks the rules of the invoke hooks, each with its
// message.
func TestValidateHooks(t *testing.T) {
	runReleaseCases(t, []releaseCase{
		{"hook with both kinds", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: f}, stepFunctions: {stateMachine: m}}]\n",
			`deploy.hooks[0] "smoke": set exactly one of lambda and stepFunctions`},
		{"qualified hook function", "deploy:\n  s3: {bucket: site}\n  hooks: [{name: smoke, lambda: {function: \"f:live\"}}]\n",
			`deploy.hooks[0].lambda.function "f:live": must be a function name without a qualifier (CodePipeline invokes $LATEST)`},
	})
}
