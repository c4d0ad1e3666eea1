// Package sourcetrust pins the trust of a service role to the account and
// the resource that use it (the global condition keys aws:SourceAccount and
// aws:SourceArn), against the cross-service confused deputy: without them,
// the service assumes the role for any resource of any customer that names
// the role's ARN.
//
// Only services that document these keys for the roles they assume get
// them; a key the service does not send fails the condition and the service
// cannot assume the role. Relay's service roles and their sources:
//
//   - codepipeline.amazonaws.com: the pipeline (arn:<partition>:codepipeline:<region>:<account>:<pipeline>;
//     not confirmed in a real account here, see the README's threat model)
//   - codebuild.amazonaws.com: the project (https://docs.aws.amazon.com/codebuild/latest/userguide/cross-service-confused-deputy-prevention.html)
//   - codedeploy.amazonaws.com: the deployment group (https://docs.aws.amazon.com/codedeploy/latest/userguide/security_confused_deputy.html)
//   - events.amazonaws.com: the rule (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html)
//   - states.amazonaws.com: the state machine (https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html)
//   - cloudformation.amazonaws.com for StackSets: the stack set (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html)
//
// Exempt, because the service documents no such key for the roles it
// assumes: lambda.amazonaws.com (a function's execution role),
// cloudformation.amazonaws.com for a stack's service role, and
// chatbot.amazonaws.com. Each of them can take the role only when a
// principal of the role's own account passes it (iam:PassRole does not
// cross accounts), and Relay lets only its own roles pass them.
// test/security_test.go holds every golden template to this list.
package sourcetrust

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
)

// Conditions are the trust conditions that admit the service only for
// sourceArn (which may end in a * for resources whose names are generated)
// in account.
func Conditions(account, sourceArn string) *map[string]interface{} {
	return &map[string]interface{}{
		"StringEquals": map[string]interface{}{"aws:SourceAccount": account},
		"ArnLike":      map[string]interface{}{"aws:SourceArn": sourceArn},
	}
}

// Principal is service's principal with Conditions.
func Principal(service, account, sourceArn string) awsiam.IPrincipal {
	return awsiam.NewServicePrincipal(jsii.String(service), &awsiam.ServicePrincipalOpts{Conditions: Conditions(account, sourceArn)})
}

// Pin adds Conditions to the trust of a role that aws-cdk-lib created for
// one service principal (its trust has that one statement), such as a
// deployment group's service role or a pipeline's events role. role must
// be a Role of this app, not an imported one.
func Pin(role awsiam.IRole, account, sourceArn string) {
	cfn, ok := role.Node().DefaultChild().(awscdk.CfnResource)
	if !ok {
		panic("sourcetrust.Pin: " + *role.Node().Path() + " is not a role this app creates")
	}
	cfn.AddPropertyOverride(jsii.String("AssumeRolePolicyDocument.Statement.0.Condition"), Conditions(account, sourceArn))
}
