package codedeploy

import (
	"errors"
	"fmt"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// ExistingGroup is a CodeDeploy application and deployment group that
// already exist in the target account, created and configured by the
// workload's own platform (its deployment config, instances or ECS service,
// load balancer, alarms and service role are theirs). Relay creates neither;
// the pipeline's deploy action deploys to the group, and DeployStatements
// are what its role in the target account needs for that and nothing more.
//
// Use it instead of ECSProps or ServerProps; the CodePipeline action is the
// same (CodeDeployToECS for an ECS group, CodeDeploy for EC2/on-premises),
// with plan.ECSBlueGreenRelease or plan.CodeDeployRelease naming the two.
type ExistingGroup struct {
	// ApplicationName and DeploymentGroupName name the application and the
	// group, 1-100 letters, digits and ._+=,@-. Required.
	ApplicationName, DeploymentGroupName string
	// ECS is true for an ECS blue/green group (the CodeDeployToECS action
	// registers a task definition), false for an EC2/on-premises group.
	ECS bool
	// TaskRoleArns are the task and task execution roles that taskdef.json
	// names: registering the task definition passes them, and the deploy
	// role may pass exactly these to ECS. Required with ECS, refused
	// without it. No wildcards.
	TaskRoleArns []string
}

// Validate reports every problem of g at once. It needs no jsii.
func (g *ExistingGroup) Validate() error {
	var errs problems
	errs.name("ApplicationName", g.ApplicationName)
	errs.name("DeploymentGroupName", g.DeploymentGroupName)
	switch {
	case g.ECS && len(g.TaskRoleArns) == 0:
		errs.add("TaskRoleArns: required for an ECS group: name the task and execution roles of taskdef.json, the only roles the deploy role may pass")
	case !g.ECS && len(g.TaskRoleArns) > 0:
		errs.add("TaskRoleArns %v: an EC2/on-premises deployment registers no task definition and passes no role; remove them", g.TaskRoleArns)
	}
	for i, r := range g.TaskRoleArns {
		if !roleArn.MatchString(r) || hasWildcard(r) {
			errs.add("TaskRoleArns[%d] %q: must be an IAM role ARN without wildcards", i, r)
		} else if values.RelayIAMARN(r) {
			errs.add("TaskRoleArns[%d] %q: %s", i, r, values.OwnRoleRule(values.RelayPathRole, "ecs-tasks.amazonaws.com", "ECS could not start the service's tasks with it", "name the roles of the service's own task definition"))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("codedeploy.ExistingGroup: %w", errors.Join(errs...))
}

// DeployStatements are the statements the deploy role in account and
// region needs to deploy to g: create and watch deployments of the group,
// register revisions of the application, read deployment configs, and for
// ECS register the task definition and pass exactly TaskRoleArns.
//
// The group's deployment config is the group's own, unknown to Relay, so
// codedeploy:GetDeploymentConfig (read-only: a config's name and its
// minimum healthy hosts or traffic shifting) is granted on every config of
// the account and region, a wildcard whose reason the statement carries.
func (g *ExistingGroup) DeployStatements(partition, region, account string) []Statement {
	appArn, groupArn, configs := codeDeployArns(partition, region, account, g.ApplicationName, g.DeploymentGroupName, "*")
	out := codeDeployStatements(appArn, groupArn, configs)
	for i := range out {
		if out[i].Sid == "ReadDeploymentConfig" {
			out[i].Reason = "The existing deployment group's deployment config is its own and unknown to Relay; codedeploy:GetDeploymentConfig only reads a config's definition."
		}
	}
	if !g.ECS {
		return out
	}
	return append(out, ecsStatements(partition, region, account, values.SortedUnique(g.TaskRoleArns))...)
}
