// Package policy gives a role its identity policy in two jsii round trips
// instead of two per statement.
//
// Relay's roles are created with a handful of statements each, and each
// statement built as an awsiam.PolicyStatement and added with
// Role.AddToPolicy costs two calls into the jsii kernel (about 0.2 to 1 ms
// each): at 100 environments that was 1,200 of the app's 3,100 calls.
// Here statements are plain Go data, rendered in IAM's JSON grammar and
// handed to awsiam.PolicyDocument_FromJson in one call; Attach then creates
// the role's "DefaultPolicy" (the awsiam.Policy that Role.AddToPolicy
// would create, at the same path, so the template is the same) with that
// document in one more. NewRole makes a role that takes statements added
// later through aws-cdk-lib (Role.AddToPolicy, grants) into that same
// policy, judged by a Check, instead of failing on a second
// "DefaultPolicy".
package policy

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/iampolicy"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// Statement is one statement of an identity policy, as plain data.
type Statement struct {
	// Sid is the statement ID. Default: none.
	Sid string
	// Deny makes the statement deny instead of allow. Default: allow.
	Deny bool
	// Actions are IAM actions, e.g. s3:GetObject. Required.
	Actions []string
	// Resources are ARNs, patterns or "*"; aws-cdk-lib tokens (such as a
	// bucket's BucketArn) are fine. Required.
	Resources []string
	// Conditions is the Condition block as written in IAM JSON: condition
	// operators to condition keys to a value or a list of values, e.g.
	// {"StringEquals": map[string]interface{}{"iam:PassedToService":
	// "cloudformation.amazonaws.com"}}; rendered as given. Default: none.
	Conditions map[string]interface{}
}

// JSON is s in IAM's policy grammar: Sid, Effect, Action and Resource (a
// string for one value, a list for several) and Condition, as aws-cdk-lib's
// PolicyStatement.fromJson reads it.
func (s Statement) JSON() map[string]interface{} {
	out := map[string]interface{}{
		"Effect":   "Allow",
		"Action":   values.OneOrMany(s.Actions),
		"Resource": values.OneOrMany(s.Resources),
	}
	if s.Deny {
		out["Effect"] = "Deny"
	}
	if s.Sid != "" {
		out["Sid"] = s.Sid
	}
	if len(s.Conditions) > 0 {
		out["Condition"] = s.Conditions
	}
	return out
}

// Conditions renders typed conditions (operator to condition key to
// values) as a Condition block: one value as a scalar, several as a list,
// the way aws-cdk-lib renders them from Go; nil without conditions.
func Conditions(in map[string]map[string][]string) map[string]interface{} {
	if len(in) == 0 {
		return nil
	}
	out := map[string]interface{}{}
	for op, keys := range in {
		m := map[string]interface{}{}
		for k, v := range keys {
			m[k] = values.OneOrMany(v)
		}
		out[op] = m
	}
	return out
}

// Document is a policy document (version 2012-10-17) with statements, in
// their order: one jsii call.
func Document(statements ...Statement) awsiam.PolicyDocument {
	return awsiam.PolicyDocument_FromJson(DocumentJSON(statements...))
}

// DocumentJSON is the policy document of statements, in their order, in
// IAM's JSON grammar (Version 2012-10-17): what Document hands to
// aws-cdk-lib, as plain data that policysize can measure without jsii.
func DocumentJSON(statements ...Statement) map[string]interface{} {
	list := make([]interface{}, len(statements))
	for i, s := range statements {
		list[i] = s.JSON()
	}
	return map[string]interface{}{"Version": "2012-10-17", "Statement": list}
}

// Attach gives role an inline policy with statements: the awsiam.Policy
// "DefaultPolicy" under role, which is what Role.AddToPolicy creates on its
// first call, so the template, the logical ID and the policy name are the
// same as with AddToPolicy. Two jsii calls; none without statements (the
// result is then nil).
//
// For a role made by NewRole, the policy becomes the one that later
// Role.AddToPolicy calls and grants add to; on a role of NewRole's that
// already has it (a statement was added first), Attach adds statements to
// it (one call per statement) and returns it. On any other role, Attach is
// for roles that get all their statements at once: afterwards
// Role.AddToPolicy, and a grant to the role, would try to create a second
// "DefaultPolicy" and panic; add to the returned policy instead
// (Policy.AddStatements).
func Attach(role awsiam.Role, statements ...Statement) awsiam.Policy {
	owned, _ := role.(*ownedRole)
	if owned != nil && owned.policy != nil {
		for _, s := range statements {
			owned.policy.AddStatements(s.PolicyStatement())
		}
		return owned.policy
	}
	if len(statements) == 0 {
		return nil
	}
	p := awsiam.NewPolicy(role, jsii.String("DefaultPolicy"), &awsiam.PolicyProps{Document: Document(statements...), Roles: &[]awsiam.IRole{role}})
	if owned != nil {
		owned.policy = p
	}
	return p
}

// From converts iampolicy's plain statements (the boundary and its guards)
// to Statements, in their order.
func From(in []iampolicy.Statement) []Statement {
	out := make([]Statement, len(in))
	for i, s := range in {
		out[i] = Statement{Sid: s.Sid, Deny: s.Deny, Actions: s.Actions, Resources: s.Resources, Conditions: Conditions(s.Conditions)}
	}
	return out
}

// PolicyStatement is s as an awsiam.PolicyStatement (one jsii call), for a
// role that also receives grants and statements from aws-cdk-lib.
func (s Statement) PolicyStatement() awsiam.PolicyStatement {
	return awsiam.PolicyStatement_FromJson(s.JSON())
}
