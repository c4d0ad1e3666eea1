package policy

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Check judges a statement that code outside Relay adds to one of Relay's
// roles (Role.AddToPolicy, Role.AddToPrincipalPolicy or a grant such as
// bucket.GrantRead(role)). A non-nil error refuses the statement: its
// message names the role, the statement and the fix.
type Check func(added Added) error

// Added is a statement added to one of Relay's roles, read back from
// aws-cdk-lib (PolicyStatement.toStatementJson).
type Added struct {
	// JSON is the statement in IAM's JSON grammar, compact, for messages;
	// tokens (a bucket's ARN) show as aws-cdk-lib's ${Token[...]} strings.
	JSON string
	// Deny is true for a Deny statement.
	Deny bool
	// Actions and NotActions are the statement's Action and NotAction
	// values; Resources and NotResources its Resource and NotResource.
	Actions, NotActions, Resources, NotResources []string
	// Conditions are the Condition block: operator to key to values.
	Conditions map[string]map[string][]string
}

// Field names the statement in a check's messages, after accessor (the
// method that handed out the role, such as "DeployRole()"): where it came
// from and its JSON.
func (a Added) Field(accessor string) string {
	return fmt.Sprintf("%s: the statement %s, added by Role.AddToPolicy or a grant", accessor, a.JSON)
}

// ownedRole is an awsiam.Role whose statements all land in its one inline
// policy, "DefaultPolicy": Attach's statements and those that code outside
// Relay adds. jsii calls AddToPrincipalPolicy here (an override) whenever
// aws-cdk-lib would add to the role's own default policy.
type ownedRole struct {
	awsiam.Role
	policy awsiam.Policy
	check  Check
	// refused are the errors of the statements check refused, which
	// synthesis reports (a validation added with the first).
	refused []error
	// validating: the validation that reports refused is added.
	validating bool
}

// AddToPrincipalPolicy adds statement to the role's "DefaultPolicy"
// (creating it for a role that has none yet) once check accepts it. A
// refused statement is left out and its error fails synthesis, as a
// validation error of the role: a panic here would leave the jsii kernel
// waiting for the callback (jsii-runtime-go does not complete a callback
// that fails), and answering "not added" would make a grant fall back to
// the resource's policy.
func (r *ownedRole) AddToPrincipalPolicy(statement awsiam.PolicyStatement) *awsiam.AddToPrincipalPolicyResult {
	if r.check != nil {
		added, err := readAdded(statement)
		if err == nil {
			err = r.check(added)
		}
		if err != nil && r.resolveTokens(&added) {
			err = r.check(added)
		}
		if err != nil {
			r.validate()
			r.refused = append(r.refused, err)
			// aws-cdk-lib's Grant requires a dependable with
			// StatementAdded (ContractViolationPrincipalStatementAdded
			// otherwise); the role stands in for the policy that never
			// got the statement.
			return &awsiam.AddToPrincipalPolicyResult{StatementAdded: jsii.Bool(true), PolicyDependable: r}
		}
	}
	if r.policy == nil {
		r.policy = awsiam.NewPolicy(r, jsii.String("DefaultPolicy"), &awsiam.PolicyProps{Roles: &[]awsiam.IRole{r}})
	}
	r.policy.AddStatements(statement)
	return &awsiam.AddToPrincipalPolicyResult{StatementAdded: jsii.Bool(true), PolicyDependable: r.policy}
}

// resolveTokens replaces, in a refused statement's JSON, aws-cdk-lib's
// ${Token[...]} strings with what they resolve to in the role's stack (a
// bucket's ARN as {"Fn::GetAtt":["Bucket83908E77","Arn"]}), so that the
// message names the resource (one jsii call). It reports whether it did;
// the check then runs again for the message (its judgement reads the
// values as they were).
func (r *ownedRole) resolveTokens(a *Added) bool {
	if !strings.Contains(a.JSON, "${Token[") {
		return false
	}
	var v interface{}
	if err := json.Unmarshal([]byte(a.JSON), &v); err != nil {
		return false
	}
	raw, err := json.Marshal(unwrapMaps(awscdk.Stack_Of(r).Resolve(v)))
	if err != nil {
		return false
	}
	a.JSON = string(raw)
	return true
}

// validate adds, once, the validation that reports the role's refused
// statements.
func (r *ownedRole) validate() {
	if !r.validating {
		r.validating = true
		r.Node().AddValidation(&refusals{r})
	}
}

// refusals reports a role's refused statements when the App synthesizes.
type refusals struct{ r *ownedRole }

// Validate lists the refused statements' errors.
func (v *refusals) Validate() *[]*string {
	out := []*string{}
	for _, err := range v.r.refused {
		out = append(out, jsii.String(err.Error()))
	}
	return &out
}

// readAdded reads statement back from aws-cdk-lib (one jsii call).
func readAdded(statement awsiam.PolicyStatement) (Added, error) {
	return parseAdded(unwrapMaps(statement.ToStatementJson()))
}

// parseAdded reads a statement in IAM's JSON grammar, as
// PolicyStatement.toStatementJson gives it.
func parseAdded(statement interface{}) (Added, error) {
	raw, err := json.Marshal(statement)
	if err != nil {
		return Added{}, fmt.Errorf("reading an added policy statement: %w", err)
	}
	var in struct {
		Effect                                   string
		Action, NotAction, Resource, NotResource oneOrMany
		Condition                                map[string]map[string]oneOrMany
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return Added{}, fmt.Errorf("reading an added policy statement %s: %w", raw, err)
	}
	out := Added{JSON: string(raw), Deny: in.Effect == "Deny", Actions: in.Action, NotActions: in.NotAction,
		Resources: in.Resource, NotResources: in.NotResource}
	for op, keys := range in.Condition {
		if out.Conditions == nil {
			out.Conditions = map[string]map[string][]string{}
		}
		out.Conditions[op] = map[string][]string{}
		for k, v := range keys {
			out.Conditions[op][k] = v
		}
	}
	return out, nil
}

// unwrapMaps removes the {"$jsii.map": ...} wrappers in which the jsii
// runtime hands over the maps nested in a value typed any (a statement's
// Condition block).
func unwrapMaps(v interface{}) interface{} {
	switch v := v.(type) {
	case map[string]interface{}:
		if inner, ok := v["$jsii.map"]; ok && len(v) == 1 {
			return unwrapMaps(inner)
		}
		out := make(map[string]interface{}, len(v))
		for k, e := range v {
			out[k] = unwrapMaps(e)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(v))
		for i, e := range v {
			out[i] = unwrapMaps(e)
		}
		return out
	}
	return v
}

// oneOrMany reads an IAM JSON value that is one value or a list of them;
// a value that is not a string (a condition's true, 10) reads as written.
type oneOrMany []string

func (o *oneOrMany) UnmarshalJSON(b []byte) error {
	var v interface{}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	list, ok := v.([]interface{})
	if !ok {
		list = []interface{}{v}
	}
	for _, e := range list {
		if str, ok := e.(string); ok {
			*o = append(*o, str)
		} else {
			raw, _ := json.Marshal(e)
			*o = append(*o, string(raw))
		}
	}
	return nil
}

// NewRole is awsiam.NewRole for a role of Relay's whose identity policy
// Relay writes whole with Attach, in its "DefaultPolicy", and that it hands
// to callers (a target's DeployRole, a pipeline's Role). Unlike a plain
// role given to Attach, statements added later through the L2 role
// (Role.AddToPolicy, AddToPrincipalPolicy, grants such as
// bucket.GrantRead(role)) land in that same policy instead of failing in
// aws-cdk-lib ("There is already a Construct with name 'DefaultPolicy'"),
// once check accepts each (nil accepts all); a refused statement is left
// out and fails the App's synthesis with check's error (aws-cdk-lib's
// "Validation failed with the following errors", the role's path before
// each), before any template is written. Policies of others attached to
// the role (Policy.AttachToRole, Role.AttachInlinePolicy, awsiam.NewPolicy
// with Roles, Role.AddManagedPolicy) and statements added to the role
// imported by ARN (awsiam.Role_FromRoleArn) do not pass through here and
// are not judged at synthesis; limits.CheckRelayRoles judges them in the
// written templates (relaytest.CheckAssembly). Overriding
// Role.attachInlinePolicy as well would cost two jsii round trips for
// every role's own policy, and drop aws-cdk-lib's refusal of two policies
// with one name, which an override cannot call. The role's template is
// the same as awsiam.NewRole's, for one jsii call as awsiam.NewRole;
// reading an added statement back for check costs one more.
func NewRole(scope constructs.Construct, id string, props *awsiam.RoleProps, check Check) awsiam.Role {
	r := &ownedRole{check: check}
	awsiam.NewRole_Override(r, scope, jsii.String(id), props)
	return r
}
