package config

import (
	"regexp"
	"testing"
)

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

// TestExistingECSGroup checks a blue/green deployment through an existing
// application and deployment group: what it needs, and each setting of a
// Relay-created group refused by name.
func TestExistingECSGroup(t *testing.T) {
	const existing = "deploy:\n  ecsBlueGreen:\n    existingGroup: {application: web, deploymentGroup: \"web-${env}\"}\n    taskRoles: [\"arn:aws:iam::222222222222:role/api-task\"]\n"
	cfg, err := Parse("relay.yaml", []byte(withoutSettings(releaseBase)+existing))
	if err != nil {
		t.Fatalf("existing group: %v", err)
	}
	x := cfg.Deploy.ECSBlueGreen
	if x.DeploymentConfig != "" || x.TerminationWaitMinutes != nil {
		t.Errorf("an existing group took a Relay group's defaults: deploymentConfig %q, terminationWaitMinutes %v", x.DeploymentConfig, x.TerminationWaitMinutes)
	}
	if x.TaskDefinition != "taskdef.json" || x.ImagePlaceholder != "IMAGE1_NAME" {
		t.Errorf("the action's defaults are missing: taskDefinition %q, imagePlaceholder %q", x.TaskDefinition, x.ImagePlaceholder)
	}
	if r, err := cfg.ReleaseFor(cfg.Environments[0], "us-east-1"); err != nil || r.ECSBlueGreen.ExistingGroup.DeploymentGroup != "web-staging" {
		t.Errorf("ReleaseFor = %+v, %v; want the group web-staging", r.ECSBlueGreen.ExistingGroup, err)
	}
	runReleaseCases(t, []releaseCase{
		{"with the settings of a Relay-created group", existing + "    cluster: web\n    alarms: [web-5xx]\n    deploymentConfig: ECSAllAtOnce\n",
			`deploy.ecsBlueGreen.cluster "web": configures a deployment group Relay creates; with existingGroup the existing group keeps its own cluster: remove it here (change it on the group)`},
		{"alarms too", existing + "    alarms: [web-5xx]\n", `deploy.ecsBlueGreen.alarms "web-5xx": configures a deployment group Relay creates`},
		{"deployment config too", existing + "    deploymentConfig: ECSAllAtOnce\n", `deploy.ecsBlueGreen.deploymentConfig "ECSAllAtOnce": configures a deployment group Relay creates`},
		{"without task roles", "deploy:\n  ecsBlueGreen:\n    existingGroup: {application: web, deploymentGroup: web}\n",
			`deploy.ecsBlueGreen.taskRoles`},
		{"without a group name", "deploy:\n  ecsBlueGreen:\n    existingGroup: {application: web}\n    taskRoles: [\"arn:aws:iam::222222222222:role/api-task\"]\n",
			`deploy.ecsBlueGreen.existingGroup.deploymentGroup "": required: the name of the existing CodeDeploy deployment group`},
	})
}

// withoutSettings is base without its environments' settings.
func withoutSettings(base string) string {
	return regexp.MustCompile(`, settings: \{[^}]*\}`).ReplaceAllString(base, "")
}
