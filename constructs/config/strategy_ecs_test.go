package config

import "testing"

// TestValidateECS checks the rules of the ECS rolling update, each with its
// message.
func TestValidateECS(t *testing.T) {
	runReleaseCases(t, []releaseCase{
		{"PassRole pattern", "deploy:\n  ecs: {cluster: web, service: api, taskRoles: [\"arn:aws:iam::222222222222:role/*\"]}\n",
			`deploy.ecs.taskRoles[0] "arn:aws:iam::222222222222:role/*": must be a role ARN without wildcards`},
	})
}
