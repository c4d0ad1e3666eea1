package config

import (
	"strings"
	"testing"
)

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

// TestExistingServerGroup checks an EC2/on-premises deployment through an
// existing application and deployment group: it takes several regions, and
// refuses each setting of a Relay-created group by name.
func TestExistingServerGroup(t *testing.T) {
	const existing = "deploy:\n  codeDeploy:\n    existingGroup: {application: web, deploymentGroup: \"web-${env}-${region}\"}\n    instanceRoles: [web]\n"
	cfg, err := Parse("relay.yaml", []byte(strings.Replace(withoutSettings(releaseBase), "regions: [us-east-1]", "regions: [us-east-1, us-west-2]", 1)+existing))
	if err != nil {
		t.Fatalf("existing group in two regions: %v", err)
	}
	if x := cfg.Deploy.CodeDeploy; x.Style != "" || x.DeploymentConfig != "" {
		t.Errorf("an existing group took a Relay group's defaults: style %q, deploymentConfig %q", x.Style, x.DeploymentConfig)
	}
	runReleaseCases(t, []releaseCase{
		{"with instance tags", existing + "    instanceTags: {app: [web]}\n",
			`deploy.codeDeploy.instanceTags "app": configures a deployment group Relay creates; with existingGroup the existing group keeps its own instanceTags: remove it here (change it on the group)`},
		{"with a rolling configuration", existing + "    minimumHealthyHosts: {type: FLEET_PERCENT, value: 75}\n",
			`deploy.codeDeploy.minimumHealthyHosts "FLEET_PERCENT 75": configures a deployment group Relay creates`},
		{"with a style", existing + "    style: blue-green\n", `deploy.codeDeploy.style "blue-green": configures a deployment group Relay creates`},
		{"without instance roles", "deploy:\n  codeDeploy:\n    existingGroup: {application: web, deploymentGroup: web}\n",
			`deploy.codeDeploy.instanceRoles "": required`},
		{"with an ARN for a name", "deploy:\n  codeDeploy:\n    existingGroup: {application: \"arn:aws:codedeploy:us-east-1:222222222222:application:web\", deploymentGroup: web}\n    instanceRoles: [web]\n",
			`deploy.codeDeploy.existingGroup.application "arn:aws:codedeploy:us-east-1:222222222222:application:web": required: the name of the existing CodeDeploy application`},
	})
}
