package config

import "testing"

// TestValidateCodeDeploy checks the rules of the EC2/on-premises deployment, each with its
// message.
func TestValidateCodeDeploy(t *testing.T) {
	runReleaseCases(t, []releaseCase{
		{"minimum healthy hosts without a value", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}, instanceRoles: [web], minimumHealthyHosts: {type: FLEET_PERCENT}}\n",
			`deploy.codeDeploy.minimumHealthyHosts.value "": required: the number of hosts (HOST_COUNT) or the percentage of the fleet (FLEET_PERCENT) that stays healthy`},
		{"EC2 without instance roles", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}}\n",
			`deploy.codeDeploy.instanceRoles "": required: name the roles of the instances' profiles`},
		{"EC2 instance role as an ARN", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}, instanceRoles: [\"arn:aws:iam::222222222222:role/web\"]}\n",
			`deploy.codeDeploy.instanceRoles[0] "arn:aws:iam::222222222222:role/web": must be a role name (not an ARN)`},
		{"blue-green EC2 without an Auto Scaling group", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}, style: blue-green, targetGroups: [web]}\n",
			`deploy.codeDeploy.autoScalingGroups "": blue-green needs an Auto Scaling group`},
	})
}
