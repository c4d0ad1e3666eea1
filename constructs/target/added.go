package target

import (
	"errors"
	"fmt"

	"github.com/relaycdk/relay/constructs/internal/iampolicy"
	"github.com/relaycdk/relay/constructs/internal/policy"
)

// The roles that DeployRole, InvokeRole, StepRoles, ExecutionRole and
// ExecutionRoles hand out take statements added through the L2 role
// (Role.AddToPolicy, grants such as bucket.GrantRead(role)) into their one
// inline policy (policy.NewRole). Each added Allow statement, and each of
// an inline policy of the team's own attached to the role
// (Policy.AttachToRole, awsiam.NewPolicy with Roles), is held to the rules
// of the props field that gives the role more: DeployStatements,
// InvokeStatements, StepRoles[].Statements, HookStatements,
// ExecutionStatements.

// unboundedCheck is the check of statements added to the role that
// accessor returns, a role no permissions boundary bounds, under rule (as
// checkUnbounded holds its props field): nothing as strong as
// AdministratorAccess, no role chaining, IAM write or stack change, no
// iam:PassRole on a pattern, and no NotAction or NotResource.
func unboundedCheck(accessor string, rule unboundedRule) policy.Check {
	return func(a policy.Added) error {
		if a.Deny {
			return nil
		}
		var errs []error
		add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
		field := a.Field(accessor)
		if len(a.NotActions) > 0 || len(a.NotResources) > 0 {
			add("%s: NotAction or NotResource in an Allow statement grants everything but what it names, and no permissions boundary bounds the %s; name the actions and resources", field, rule.role)
		}
		checkUnbounded(field, rule, Statement{Actions: a.Actions, Resources: a.Resources, Conditions: a.Conditions}, add)
		if iampolicy.PassesRolesByPattern(a.Actions, a.Resources) {
			add("%s: iam:PassRole on %q: name each role; a pattern would let the %s pass roles that nobody named", field, a.Resources, rule.role)
		}
		return addedErr(errs)
	}
}

// executionCheck is the check of statements added to an execution role,
// which its Deny statements bound (iampolicy.Guards): iam:PassRole
// must name the services a role is passed to, as in ExecutionStatements.
func executionCheck(a policy.Added) error {
	if a.Deny {
		return nil
	}
	if pass := iampolicy.PassRoleWithoutService(a.Actions, a.Resources, a.Conditions); pass != "" && iampolicy.AdminEquivalent(a.Actions, a.Resources) == "" {
		return addedErr([]error{fmt.Errorf(`%s: %s on %q passes every matching role to any service that trusts it; add the condition {"StringEquals": {"iam:PassedToService": ["lambda.amazonaws.com"]}} naming the services (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html), or name each role`,
			a.Field("ExecutionRole()"), pass, a.Resources)})
	}
	return nil
}

// addedErr is nil without errors, else every error, one per line.
func addedErr(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("target: %w", errors.Join(errs...))
}
