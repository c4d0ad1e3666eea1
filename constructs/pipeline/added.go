package pipeline

import (
	"errors"
	"fmt"

	"github.com/relaycdk/relay/constructs/internal/iampolicy"
	"github.com/relaycdk/relay/constructs/internal/policy"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// roleCheck is the check of statements that code outside Relay adds to
// the pipeline's role (Role.AddToPolicy, grants, inline policies attached
// to it: policy.NewRole). No permissions boundary bounds the role, and it
// assumes the deploy roles of every target account: an Allow may not be
// as strong as AdministratorAccess, write IAM (anything but iam:Get*,
// List*, Generate*, Simulate* and iam:PassRole), pass roles by a pattern,
// change a CloudFormation stack (made as the stack's service role,
// iampolicy.ChangesStacks), or use NotAction or NotResource.
// sts:AssumeRole stays allowed: aws-cdk-lib's Pipeline grants it on each
// action's role.
func roleCheck(a policy.Added) error {
	if a.Deny {
		return nil
	}
	field := a.Field("pipeline: Role()")
	const tail = "no permissions boundary bounds the pipeline role; give the job a role of its own (an action's Role) and grant that role"
	var errs []error
	if len(a.NotActions) > 0 || len(a.NotResources) > 0 {
		errs = append(errs, fmt.Errorf("%s: NotAction or NotResource in an Allow statement grants everything but what it names, and %s", field, tail))
	}
	if why := iampolicy.AdminEquivalent(a.Actions, a.Resources); why != "" {
		errs = append(errs, fmt.Errorf("%s: is as strong as AdministratorAccess: %s; %s", field, why, tail))
	} else {
		for _, action := range a.Actions {
			if values.IAMWrite(action) {
				errs = append(errs, fmt.Errorf("%s: %s writes IAM, and %s", field, action, tail))
			} else if iampolicy.ChangesStacks([]string{action}) != "" {
				errs = append(errs, fmt.Errorf("%s: %s changes CloudFormation stacks, which CloudFormation changes as each stack's service role (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html), and %s", field, action, tail))
			}
		}
	}
	if iampolicy.PassesRolesByPattern(a.Actions, a.Resources) {
		errs = append(errs, fmt.Errorf("%s: iam:PassRole on %q: name each role; a pattern would let the pipeline role pass roles that nobody named", field, a.Resources))
	}
	return errors.Join(errs...)
}
