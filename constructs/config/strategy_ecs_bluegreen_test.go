package config

import "testing"

// TestValidateECSBlueGreen checks the rules of the ECS blue/green deployment, each with its
// message.
func TestValidateECSBlueGreen(t *testing.T) {
	runReleaseCases(t, []releaseCase{
		{"blue/green without a test listener", releaseBlueGreen, `deploy.ecsBlueGreen.testListener "": required: blue/green needs a test listener`},
		{"unknown ECS deployment config", releaseBlueGreen + "    testListener: ${tl}\n    deploymentConfig: ECSCanary50Percent\n",
			`deploy.ecsBlueGreen.deploymentConfig "ECSCanary50Percent": unknown deployment configuration; use one of ECSAllAtOnce,`},
		{"listener of another account", releaseBlueGreen + "    testListener: arn:aws:elasticloadbalancing:us-east-1:999999999999:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65\n",
			`is a listener of account 999999999999, but environment "staging" deploys to 222222222222`},
	})
}
