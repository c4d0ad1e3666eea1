package limits

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/cfnfile"
	"github.com/relaycdk/relay/constructs/internal/iampolicy"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// RelayRoleGrants is the ID of the rule of CheckRelayRoles, which is no AWS
// quota (not in Table): what a team attached to one of Relay's own roles.
const RelayRoleGrants = "relay-role-grants"

// TrustedRootsMetadata is the template Metadata key with which Relay
// records, on one of its roles, the account roots it trusts on purpose
// (pipeline.Props.ApproverRootsReason): {"principals": [the principals as
// the trust policy writes them], "reason": "..."}. CheckRelayRoles accepts
// exactly those.
const TrustedRootsMetadata = "relay_trusted_roots"

// relayRoleLimit is the Limit of CheckRelayRoles's findings.
var relayRoleLimit = Limit{
	ID:     RelayRoleGrants,
	What:   "grants and trust that a team added to a role Relay creates",
	Max:    0,
	Source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
	Fix:    "remove it: Relay grants its roles what their jobs call and names who may assume them; give the job a role of your own, or grant it through Relay's props (such as target.Props.DeployStatements)",
}

// broadPolicies are the AWS managed policies that CheckRelayRoles flags on
// a Relay role, by name, with why (the AWS Managed Policy Reference):
// those as strong as AdministratorAccess (iampolicy.AdministratorPolicies:
// AdministratorAccess allows * on *,
// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html;
// IAMFullAccess iam:*, with which a principal grants itself the rest);
// PowerUserAccess, which allows every action but iam:*, organizations:*
// and account:* on every resource
// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/PowerUserAccess.html);
// and AdministratorAccess-Amplify, whose IAM actions "allow identities with
// this policy to use AWS Identity and Access Management to create other
// identities with any permissions"
// (https://docs.aws.amazon.com/amplify/latest/userguide/security-iam-awsmanpol.html,
// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess-Amplify.html).
var broadPolicies = map[string]string{
	"AdministratorAccess":         "is as strong as AdministratorAccess",
	"IAMFullAccess":               "is as strong as AdministratorAccess",
	"PowerUserAccess":             "grants every action but IAM, Organizations and Account ones on every resource (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/PowerUserAccess.html)",
	"AdministratorAccess-Amplify": "lets the role create IAM roles with any permissions (https://docs.aws.amazon.com/amplify/latest/userguide/security-iam-awsmanpol.html)",
}

// relayRolePath matches the IAM path of Relay's roles, /relay/<name>/
// (naming.Names.RolePath; values.RelayIAMPath).
var relayRolePath = regexp.MustCompile(`^/relay/([a-z][a-z0-9-]{2,23})/$`)

// awsManagedPolicy matches an AWS managed policy ARN; 1 is its name.
var awsManagedPolicy = regexp.MustCompile(`^arn:[^:]*:iam::aws:policy/(?:.*/)?([^/]+)$`)

// relayRole is one of Relay's roles in an assembly.
type relayRole struct {
	id, name, pipeline string
	// stack is the ID of its stack, si its index.
	stack string
	si    int
	// execution: it trusts only cloudformation.amazonaws.com, a
	// CloudFormation execution role, whose grants the team chooses (and
	// Relay accepts as strong as AdministratorAccess when asked to).
	execution bool
	// guarded: an execution role without a trust condition (not a
	// StackSets administration role), which Relay gives the permissions
	// boundary guards.
	guarded bool
	// pipelineRole: it trusts only codepipeline.amazonaws.com, a
	// pipeline's role, which assumes the roles of its actions.
	pipelineRole bool
	// statements are the statements of its inline Policies and of the
	// policies attached to it.
	statements []placedStatement
}

// placedStatement is a policy statement and where it is: the logical ID
// of its resource and its property path there.
type placedStatement struct {
	stmt               map[string]interface{}
	resource, property string
}

// CheckRelayRoles returns an error finding (Over, with Rule set) for what a
// team attached to one of Relay's own roles in the stacks of an assembly:
// a role at Relay's IAM path /relay/<name>/ whose RoleName, when set,
// starts with <name>- (a team's own role there with another name is not
// judged). It flags
//   - an AWS managed policy as strong as AdministratorAccess
//     (AdministratorAccess, IAMFullAccess), or nearly (PowerUserAccess,
//     AdministratorAccess-Amplify: broadPolicies), in the role's
//     ManagedPolicyArns;
//   - an Allow of Action * on Resource *, or an Allow with a NotAction or a
//     NotResource, in the role's inline Policies, or in an AWS::IAM::Policy
//     or AWS::IAM::ManagedPolicy of any stack of the assembly (a team's own
//     stack too) whose Roles name the role: by Ref in the role's stack, by
//     its RoleName in a stack of its account (or of no account), or by the
//     Fn::ImportValue or Fn::GetStackOutput with which aws-cdk-lib
//     references its Ref from another stack; or an AWS::IAM::ManagedPolicy
//     of the assembly in the role's ManagedPolicyArns (by Ref or by such a
//     reference: Role.AddManagedPolicy);
//   - on a role other than an execution role, an Allow of an IAM write
//     (anything but iam:Get*, List*, Generate*, Simulate* and
//     iam:PassRole), sts:AssumeRole (but on a pipeline's role, one that
//     trusts only codepipeline.amazonaws.com) or a CloudFormation stack change
//     (unboundedAllows: the rules of target.Props.DeployStatements) in any
//     of those policies but the role's own DefaultPolicy, which Relay
//     writes and whose added statements policy.NewRole's check judged at
//     synthesis: a policy attached where Relay's construct cannot see it
//     (awsiam.Role_FromRoleArn, an L1 CfnPolicy, a managed policy);
//   - a trust statement that admits an account root, a bare account ID or
//     everyone ("*") as AWS principal without an aws:PrincipalArn condition (ArnEquals,
//     ArnLike, StringEquals or StringLike) that names who (a pattern such
//     as arn:aws:iam::*:role/*, which any role matches, names no one),
//     except the roots the role's TrustedRootsMetadata records;
//   - a CloudFormation execution role (one that trusts only
//     cloudformation.amazonaws.com, without a condition) that lost the
//     permissions-boundary guards Relay gives every execution role
//     (target.Props.PermissionsBoundaryName): a Deny of the IAM writes that
//     create or change a role or user (iampolicy.BoundaryWrites) unless
//     iam:PermissionsBoundary is Relay's boundary, a policy at the role's
//     path /relay/<name>/ in the stack's account; and a Deny of
//     iam:DeleteRolePermissionsBoundary and iam:DeleteUserPermissionsBoundary.
//     An escape hatch that deletes either statement, adds a condition to
//     it, or names another boundary, is flagged. Relay sets no PermissionsBoundary on its own
//     roles (one a team adds only narrows them, and is not judged);
//   - a trust statement that admits a service principal without an
//     aws:SourceArn, aws:SourceAccount or aws:PrincipalArn condition, in
//     a role that trusts anything besides that one service (Relay writes
//     such a statement only in a service role that trusts one service:
//     cloudformation.amazonaws.com, lambda.amazonaws.com,
//     chatbot.amazonaws.com; the others carry aws:SourceArn and
//     aws:SourceAccount), and any Federated principal (Relay's roles trust
//     no identity provider).
//
// The grants of a CloudFormation execution role (one that trusts only
// cloudformation.amazonaws.com) are not judged: the team chooses them
// (target.Props.ExecutionStatements, ExecutionManagedPolicyArns), and may
// accept administrator rights there. Nor are an Allow's conditions, the
// contents of a customer managed policy outside the assembly, or an AWS
// principal that names one role or user: only the shapes above.
// Findings are sorted by stack and logical ID.
func CheckRelayRoles(stacks []Stack) []Finding {
	var out []Finding
	// Relay's roles by stack and logical ID, and by account and RoleName;
	// the resources whose Ref a stack outputs, by "export:<export name>"
	// and "output:<stack name>/<region>/<output ID>".
	roles := make([]map[string]*relayRole, len(stacks))
	byName := map[string][]*relayRole{}
	outputs := map[string]resourceRef{}
	for si, st := range stacks {
		e := parseEnv(st.Environment)
		res, _ := st.Template["Resources"].(map[string]interface{})
		roles[si] = map[string]*relayRole{}
		for _, id := range sortedKeys(res) {
			m, _ := res[id].(map[string]interface{})
			if m["Type"] != "AWS::IAM::Role" {
				continue
			}
			props, _ := m["Properties"].(map[string]interface{})
			path, _ := props["Path"].(string)
			pm := relayRolePath.FindStringSubmatch(path)
			if pm == nil {
				continue
			}
			r := &relayRole{id: id, pipeline: pm[1], stack: st.ID, si: si}
			if v, ok := props["RoleName"]; ok {
				name, certain := e.resolve(v)
				if certain && !strings.HasPrefix(name, pm[1]+"-") {
					continue
				}
				r.name = name
				if certain {
					byName[e.account+"/"+name] = append(byName[e.account+"/"+name], r)
					if e.account != "" {
						byName["/"+name] = append(byName["/"+name], r)
					}
				}
			}
			trust, _ := props["AssumeRolePolicyDocument"].(map[string]interface{})
			r.execution = onlyService(trust, "cloudformation.amazonaws.com")
			r.guarded = r.execution && !conditioned(trust)
			r.pipelineRole = onlyService(trust, "codepipeline.amazonaws.com")
			for k, p := range cfnfile.List(props["Policies"]) {
				pol, _ := p.(map[string]interface{})
				doc, _ := pol["PolicyDocument"].(map[string]interface{})
				for j, s := range cfnfile.List(doc["Statement"]) {
					stmt, _ := s.(map[string]interface{})
					r.statements = append(r.statements, placedStatement{stmt: stmt, resource: id, property: fmt.Sprintf("Policies[%d].PolicyDocument.Statement[%d]", k, j)})
				}
			}
			roles[si][id] = r
			out = append(out, r.check(st.ID, m, e)...)
		}
		outs, _ := st.Template["Outputs"].(map[string]interface{})
		for oid, o := range outs {
			om, _ := o.(map[string]interface{})
			value, _ := om["Value"].(map[string]interface{})
			ref, _ := value["Ref"].(string)
			if ref == "" || len(value) != 1 {
				continue
			}
			outputs["output:"+st.Name+"/"+e.region+"/"+oid] = resourceRef{si, ref}
			export, _ := om["Export"].(map[string]interface{})
			if name, ok := e.resolve(export["Name"]); ok {
				outputs["export:"+name] = resourceRef{si, ref}
			}
		}
	}
	// locate is the resource that v, a value in stack si, takes the Ref of:
	// a Ref in the stack, or the Fn::ImportValue or Fn::GetStackOutput with
	// which aws-cdk-lib references a Ref of another stack.
	locate := func(si int, v interface{}) (resourceRef, bool) {
		e := parseEnv(stacks[si].Environment)
		ref, _ := v.(map[string]interface{})
		if id, ok := ref["Ref"].(string); ok {
			return resourceRef{si, id}, true
		}
		if imp, ok := ref["Fn::ImportValue"]; ok {
			name, _ := e.resolve(imp)
			r, ok := outputs["export:"+name]
			return r, ok
		}
		if get, ok := ref["Fn::GetStackOutput"].(map[string]interface{}); ok {
			stack, _ := e.resolve(get["StackName"])
			output, _ := e.resolve(get["OutputName"])
			region, ok := e.resolve(get["Region"])
			if !ok {
				region = e.region
			}
			r, ok := outputs["output:"+stack+"/"+region+"/"+output]
			return r, ok
		}
		return resourceRef{}, false
	}
	// attach records that the policy at p (of type typ, document doc) is
	// attached to r, once, and flags its broad Allows unless r is an
	// execution role.
	attached := map[resourceRef][]*relayRole{}
	attach := func(p resourceRef, typ string, doc map[string]interface{}, r *relayRole) {
		if slices.Contains(attached[p], r) {
			return
		}
		attached[p] = append(attached[p], r)
		for j, s := range cfnfile.List(doc["Statement"]) {
			stmt, _ := s.(map[string]interface{})
			r.statements = append(r.statements, placedStatement{stmt: stmt, resource: p.id, property: fmt.Sprintf("PolicyDocument.Statement[%d]", j)})
		}
		if r.execution {
			return
		}
		where := ""
		if r.stack != stacks[p.stack].ID {
			where = " in stack " + r.stack
		}
		broad := broadAllows(doc)
		if !(p.stack == r.si && typ == "AWS::IAM::Policy" && r.ownPolicy(p.id)) {
			broad = append(broad, unboundedAllows(doc, broad, r.pipelineRole)...)
		}
		for _, b := range broad {
			out = append(out, Finding{Limit: relayRoleLimit, Stack: stacks[p.stack].ID, Resource: p.id, Physical: r.name, Name: b.name,
				Property: fmt.Sprintf("PolicyDocument.Statement[%d]", b.index), Rule: fmt.Sprintf("(%s) attached to %s%s, %s", typ, r.describe(), where, b.rule)})
		}
	}
	// Policies of any stack whose Roles name one of Relay's roles: by Ref
	// or reference, or by RoleName in its account.
	for si, st := range stacks {
		e := parseEnv(st.Environment)
		res, _ := st.Template["Resources"].(map[string]interface{})
		for _, id := range sortedKeys(res) {
			m, _ := res[id].(map[string]interface{})
			typ, _ := m["Type"].(string)
			if typ != "AWS::IAM::Policy" && typ != "AWS::IAM::ManagedPolicy" {
				continue
			}
			props, _ := m["Properties"].(map[string]interface{})
			doc, _ := props["PolicyDocument"].(map[string]interface{})
			for _, x := range cfnfile.List(props["Roles"]) {
				var found []*relayRole
				if ref, ok := locate(si, x); ok {
					if r := roles[ref.stack][ref.id]; r != nil {
						found = append(found, r)
					}
				} else if name, ok := e.resolve(x); ok {
					found = byName[e.account+"/"+name]
				}
				for _, r := range found {
					attach(resourceRef{si, id}, typ, doc, r)
				}
			}
		}
	}
	// Customer managed policies of the assembly in Relay's roles'
	// ManagedPolicyArns (Role.AddManagedPolicy).
	for si, st := range stacks {
		res, _ := st.Template["Resources"].(map[string]interface{})
		for _, id := range sortedKeys(roles[si]) {
			m, _ := res[id].(map[string]interface{})
			props, _ := m["Properties"].(map[string]interface{})
			for _, a := range cfnfile.List(props["ManagedPolicyArns"]) {
				ref, ok := locate(si, a)
				if !ok {
					continue
				}
				pres, _ := stacks[ref.stack].Template["Resources"].(map[string]interface{})
				pm, _ := pres[ref.id].(map[string]interface{})
				if pm["Type"] != "AWS::IAM::ManagedPolicy" {
					continue
				}
				pprops, _ := pm["Properties"].(map[string]interface{})
				doc, _ := pprops["PolicyDocument"].(map[string]interface{})
				attach(ref, "AWS::IAM::ManagedPolicy", doc, roles[si][id])
			}
		}
	}
	for si, st := range stacks {
		e := parseEnv(st.Environment)
		for _, id := range sortedKeys(roles[si]) {
			if r := roles[si][id]; r.guarded {
				for _, f := range r.boundaryGuards(e) {
					f.Stack = st.ID
					out = append(out, f)
				}
			}
		}
	}
	sortFindings(stacks, out)
	return out
}

// resourceRef is a resource of an assembly: the index of its stack and
// its logical ID.
type resourceRef struct {
	stack int
	id    string
}

// sortedKeys are the keys of m, sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// check returns the findings on r, one of Relay's roles in stack (its
// resource m, in the stack's environment e), that its own properties
// show: broad AWS managed policies and inline Allows (not on an execution
// role), and a widened trust.
func (r *relayRole) check(stack string, m map[string]interface{}, e stackEnv) []Finding {
	var out []Finding
	props, _ := m["Properties"].(map[string]interface{})
	trust, _ := props["AssumeRolePolicyDocument"].(map[string]interface{})
	add := func(property, name, rule string) {
		out = append(out, Finding{Limit: relayRoleLimit, Stack: stack, Resource: r.id, Physical: r.name, Name: name, Property: property, Rule: rule})
	}
	if !r.execution {
		for k, a := range cfnfile.List(props["ManagedPolicyArns"]) {
			arn, ok := e.resolve(a)
			if !ok {
				continue
			}
			if pm := awsManagedPolicy.FindStringSubmatch(arn); pm != nil && broadPolicies[pm[1]] != "" {
				add(fmt.Sprintf("ManagedPolicyArns[%d]", k), arn, fmt.Sprintf("on %s, %s", r.describe(), broadPolicies[pm[1]]))
			}
		}
		for k, p := range cfnfile.List(props["Policies"]) {
			pol, _ := p.(map[string]interface{})
			doc, _ := pol["PolicyDocument"].(map[string]interface{})
			broad := broadAllows(doc)
			for _, b := range append(broad, unboundedAllows(doc, broad, r.pipelineRole)...) {
				add(fmt.Sprintf("Policies[%d].PolicyDocument.Statement[%d]", k, b.index), b.name, fmt.Sprintf("on %s, %s", r.describe(), b.rule))
			}
		}
	}
	accepted := trustedRoots(m)
	serviceRole := oneService(trust)
	for j, s := range cfnfile.List(trust["Statement"]) {
		stmt, _ := s.(map[string]interface{})
		if stmt["Effect"] != "Allow" {
			continue
		}
		principal, _ := stmt["Principal"].(map[string]interface{})
		if !serviceRole && !sourcePinned(stmt) {
			for _, p := range cfnfile.List(principal["Service"]) {
				text, ok := e.resolve(p)
				if !ok {
					text = canonical(p)
				}
				add(fmt.Sprintf("AssumeRolePolicyDocument.Statement[%d].Principal.Service", j), text, fmt.Sprintf("lets the service %s assume %s, which trusts other principals too: no aws:SourceArn or aws:SourceAccount condition names the resource it acts for, so whoever may pass the role to the service, or point one of its resources at it, acts as the role (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)", text, r.describe()))
			}
		}
		for _, p := range cfnfile.List(principal["Federated"]) {
			text, ok := e.resolve(p)
			if !ok {
				text = canonical(p)
			}
			add(fmt.Sprintf("AssumeRolePolicyDocument.Statement[%d].Principal.Federated", j), text, fmt.Sprintf("lets the users of an identity provider assume %s: Relay's roles trust no identity provider", r.describe()))
		}
		if pinned(stmt) {
			continue
		}
		if principal == nil {
			if stmt["Principal"] == "*" {
				add(fmt.Sprintf("AssumeRolePolicyDocument.Statement[%d].Principal", j), "*", fmt.Sprintf("lets anyone assume %s: no aws:PrincipalArn condition names who", r.describe()))
			}
			continue
		}
		for _, p := range cfnfile.List(principal["AWS"]) {
			text, kind := accountPrincipal(p, e)
			if kind == "" || accepted[canonical(p)] {
				continue
			}
			add(fmt.Sprintf("AssumeRolePolicyDocument.Statement[%d].Principal.AWS", j), text, fmt.Sprintf("lets %s assume %s: no aws:PrincipalArn condition names who, as Relay's trust does", kind, r.describe()))
		}
	}
	return out
}

// sortFindings sorts out by the stacks' order and then by logical ID,
// keeping the order of one resource's findings.
func sortFindings(stacks []Stack, out []Finding) {
	order := map[string]int{}
	for i, st := range stacks {
		order[st.ID] = i
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		if d := order[a.Stack] - order[b.Stack]; d != 0 {
			return d
		}
		return strings.Compare(a.Resource, b.Resource)
	})
}

// boundaryFix is the fix of a finding of boundaryGuards.
const boundaryFix = "keep the statement as Relay writes it (target.New gives it to every CloudFormation execution role, in the role's default policy): remove the escape hatch (AddPropertyOverride, AddPropertyDeletionOverride, AddOverride) that deletes or changes it"

// boundaryGuards are the findings (without Stack) for the permissions
// boundary guards that r, a CloudFormation execution role, lacks: a Deny
// of iampolicy.BoundaryWrites on * unless iam:PermissionsBoundary names
// Relay's boundary (a policy at /relay/<pipeline>/ of the stack's
// account), and an unconditional Deny of iampolicy.BoundaryRemovals on *. A Deny of
// the writes on * without any condition guards them too. A write guard
// whose iam:PermissionsBoundary names another policy is flagged where it
// is; a missing one on the role.
func (r relayRole) boundaryGuards(e stackEnv) []Finding {
	var out []Finding
	var writes, removals bool
	var replaced []Finding
	for _, s := range r.statements {
		if s.stmt["Effect"] != "Deny" || !slices.Contains(cfnfile.List(s.stmt["Resource"]), interface{}("*")) {
			continue
		}
		cond, _ := s.stmt["Condition"].(map[string]interface{})
		if covers(s.stmt["Action"], iampolicy.BoundaryRemovals) && len(cond) == 0 {
			removals = true
		}
		if !covers(s.stmt["Action"], iampolicy.BoundaryWrites) {
			continue
		}
		if len(cond) == 0 {
			writes = true
			continue
		}
		values, only := boundaryCondition(cond)
		if len(values) == 0 {
			continue
		}
		bad := ""
		for _, v := range values {
			if !r.relayBoundary(v, e) {
				if text, ok := e.resolve(v); ok {
					bad = text
				} else {
					bad = canonical(v)
				}
				break
			}
		}
		switch {
		case bad == "" && only:
			writes = true
		case bad != "":
			replaced = append(replaced, Finding{Limit: relayRoleLimit, Resource: s.resource, Physical: r.name, Name: bad,
				Property: s.property + ".Condition.StringNotEquals.iam:PermissionsBoundary", Fix: boundaryFix,
				Rule: fmt.Sprintf("on %s, is not Relay's permissions boundary (a policy at /relay/%s/%s): the role may create and change roles and users that carry this policy instead", r.describe(), r.pipeline, r.inAccount(e))})
		}
	}
	if !writes {
		if len(replaced) > 0 {
			out = append(out, replaced...)
		} else {
			out = append(out, Finding{Limit: relayRoleLimit, Resource: r.id, Physical: r.name, Name: iampolicy.BoundaryWritesSid, Property: "Deny statement", Fix: boundaryFix,
				Rule: fmt.Sprintf("is missing from %s, a CloudFormation execution role: without it the role may create and change roles and users without Relay's permissions boundary (a policy at /relay/%s/%s), and so grant them more than it holds", r.describe(), r.pipeline, r.inAccount(e))})
		}
	}
	if !removals {
		out = append(out, Finding{Limit: relayRoleLimit, Resource: r.id, Physical: r.name, Name: iampolicy.BoundaryRemovalsSid, Property: "Deny statement", Fix: boundaryFix,
			Rule: fmt.Sprintf("is missing from %s, a CloudFormation execution role: without it the role may take Relay's permissions boundary off the roles and users it created", r.describe())})
	}
	return out
}

// inAccount is " in account <account>" for a stack of a known account,
// or "".
func (r relayRole) inAccount(e stackEnv) string {
	if e.account == "" {
		return ""
	}
	return " in account " + e.account
}

// relayBoundary reports whether v, an iam:PermissionsBoundary value, is
// the ARN of a policy at r's path /relay/<pipeline>/ (in the stack's
// account when it is known), as Relay names its boundary
// (naming.Names.PermissionsBoundaryArn, target.Props.PermissionsBoundaryName).
// A value that does not resolve counts by its text.
func (r relayRole) relayBoundary(v interface{}, e stackEnv) bool {
	text, ok := e.resolve(v)
	if !ok {
		return strings.Contains(canonical(v), ":policy/relay/"+r.pipeline+"/")
	}
	m := relayPolicy.FindStringSubmatch(text)
	return m != nil && m[2] == r.pipeline && (e.account == "" || m[1] == e.account)
}

// relayPolicy matches the ARN of a customer managed policy at Relay's IAM
// path: 1 is the account, 2 the pipeline's name.
var relayPolicy = regexp.MustCompile(`^arn:[^:]+:iam::(\d{12}):policy/relay/([a-z][a-z0-9-]{2,23})/[\w+=,.@-]+$`)

// boundaryCondition returns the values of cond's StringNotEquals (or
// ArnNotEquals) iam:PermissionsBoundary, and whether that is cond's only
// condition.
func boundaryCondition(cond map[string]interface{}) (values []interface{}, only bool) {
	keys := 0
	for op, m := range cond {
		mm, _ := m.(map[string]interface{})
		for k, v := range mm {
			keys++
			if (op == "StringNotEquals" || op == "ArnNotEquals") && strings.EqualFold(k, "iam:PermissionsBoundary") {
				values = append(values, cfnfile.List(v)...)
			}
		}
	}
	return values, keys == 1
}

// covers reports whether the Action patterns of a statement cover each of
// actions.
func covers(patterns interface{}, actions []string) bool {
	list := cfnfile.List(patterns)
	for _, a := range actions {
		if !slices.ContainsFunc(list, func(p interface{}) bool {
			s, _ := p.(string)
			return iampolicy.Matches(s, a)
		}) {
			return false
		}
	}
	return true
}

// conditioned reports whether a statement of trust has a Condition.
func conditioned(trust map[string]interface{}) bool {
	for _, s := range cfnfile.List(trust["Statement"]) {
		stmt, _ := s.(map[string]interface{})
		if c, _ := stmt["Condition"].(map[string]interface{}); len(c) > 0 {
			return true
		}
	}
	return false
}

// describe names r in messages: its RoleName, or its logical ID, and that
// Relay creates it.
func (r relayRole) describe() string {
	name := r.name
	if name == "" {
		name = r.id + " (generated name)"
	}
	return fmt.Sprintf("%s, a role Relay creates for pipeline %s (path /relay/%s/)", name, r.pipeline, r.pipeline)
}

// broadAllow is an Allow statement of a policy document that grants
// (nearly) everything: its index, name and why.
type broadAllow struct {
	index      int
	name, rule string
}

// broadAllows are doc's Allow statements of Action * (or *:*) on
// Resource *, and those with a NotAction or a NotResource: IAM allows what
// a NotAction does not list, on what a NotResource does not list
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html).
// Relay writes neither element in an Allow.
func broadAllows(doc map[string]interface{}) []broadAllow {
	var out []broadAllow
	for j, s := range cfnfile.List(doc["Statement"]) {
		stmt, _ := s.(map[string]interface{})
		if stmt["Effect"] != "Allow" {
			continue
		}
		switch {
		case slices.ContainsFunc(cfnfile.List(stmt["Action"]), func(a interface{}) bool { return a == "*" || a == "*:*" }) &&
			slices.Contains(cfnfile.List(stmt["Resource"]), interface{}("*")):
			out = append(out, broadAllow{j, "Allow * on *", "grants every action on every resource"})
		case stmt["NotAction"] != nil:
			out = append(out, broadAllow{j, "Allow with NotAction", "grants every action but the ones it lists, including those of services AWS adds later"})
		case stmt["NotResource"] != nil:
			out = append(out, broadAllow{j, "Allow with NotResource", "grants its actions on every resource but the ones it lists, in every account"})
		}
	}
	return out
}

// unboundedAllows are doc's Allow statements, other than those of broad,
// with an action that Relay refuses on a role no permissions boundary
// bounds (target.Props.DeployStatements' rules): an IAM write (anything
// but iam:Get*, List*, Generate*, Simulate* and iam:PassRole), an
// sts:AssumeRole (role chaining: the role acts with another role's
// permissions), or a CloudFormation stack change (made as the stack's
// service role, the bootstrap's cfn-exec-role with AdministratorAccess,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html).
// One finding per statement, for its first such action. assume allows
// sts:AssumeRole (a pipeline's role assumes its actions' roles).
func unboundedAllows(doc map[string]interface{}, broad []broadAllow, assume bool) []broadAllow {
	var out []broadAllow
	for j, s := range cfnfile.List(doc["Statement"]) {
		stmt, _ := s.(map[string]interface{})
		if stmt["Effect"] != "Allow" || slices.ContainsFunc(broad, func(b broadAllow) bool { return b.index == j }) {
			continue
		}
		var actions []string
		for _, a := range cfnfile.List(stmt["Action"]) {
			if text, ok := a.(string); ok {
				actions = append(actions, text)
			}
		}
		for _, a := range actions {
			if values.IAMWrite(a) {
				out = append(out, broadAllow{j, a, "writes IAM, and no permissions boundary bounds the role: it may create or change a role or policy with more than it holds"})
				break
			}
			if !assume && iampolicy.AssumesRoles([]string{a}) != "" {
				out = append(out, broadAllow{j, a, "lets the role assume another role and act with that role's permissions (role chaining)"})
				break
			}
			if iampolicy.ChangesStacks([]string{a}) != "" {
				out = append(out, broadAllow{j, a, "lets the role change CloudFormation stacks, which CloudFormation changes as each stack's service role (the bootstrap's cfn-exec-role, AdministratorAccess, on the stacks the CDK deployed)"})
				break
			}
		}
	}
	return out
}

// ownPolicy reports whether id, the logical ID of an AWS::IAM::Policy in
// r's stack, is r's own "DefaultPolicy" (aws-cdk-lib's logical ID: the
// role's path without its hash, DefaultPolicy, a hash of 8 hex digits),
// which holds what Relay grants and what the team added through the L2
// role under Relay's own check (policy.NewRole).
func (r relayRole) ownPolicy(id string) bool {
	prefix := r.id
	if n := len(r.id); n > 8 && strings.Trim(r.id[n-8:], "0123456789ABCDEF") == "" {
		prefix = r.id[:n-8]
	}
	prefix += "DefaultPolicy"
	return len(id) == len(prefix)+8 && strings.HasPrefix(id, prefix) && strings.Trim(id[len(prefix):], "0123456789ABCDEF") == ""
}

// onlyService reports whether every principal of trust's statements is
// the service principal service.
func onlyService(trust map[string]interface{}, service string) bool {
	statements := cfnfile.List(trust["Statement"])
	if len(statements) == 0 {
		return false
	}
	for _, s := range statements {
		stmt, _ := s.(map[string]interface{})
		principal, _ := stmt["Principal"].(map[string]interface{})
		if len(principal) != 1 {
			return false
		}
		for _, p := range cfnfile.List(principal["Service"]) {
			if p != service {
				return false
			}
		}
		if principal["Service"] == nil {
			return false
		}
	}
	return true
}

// oneService reports whether every principal of trust's Allow statements is
// one and the same service principal: a service role (a CloudFormation
// execution role, a Lambda function's role), which the service assumes
// only when a principal that may pass it the role (iam:PassRole) does.
func oneService(trust map[string]interface{}) bool {
	var service interface{}
	for _, s := range cfnfile.List(trust["Statement"]) {
		stmt, _ := s.(map[string]interface{})
		if stmt["Effect"] != "Allow" {
			continue
		}
		principal, _ := stmt["Principal"].(map[string]interface{})
		if len(principal) != 1 || principal["Service"] == nil {
			return false
		}
		for _, p := range cfnfile.List(principal["Service"]) {
			if service != nil && canonical(p) != canonical(service) {
				return false
			}
			service = p
		}
	}
	return service != nil
}

// sourcePinned reports whether a trust statement names, in an
// aws:SourceArn or aws:SourceAccount condition (under any operator), the
// resource or account a service principal may act for, or its principal in
// aws:PrincipalArn.
func sourcePinned(stmt map[string]interface{}) bool {
	cond, _ := stmt["Condition"].(map[string]interface{})
	for _, keys := range cond {
		m, _ := keys.(map[string]interface{})
		for k := range m {
			if strings.EqualFold(k, "aws:SourceArn") || strings.EqualFold(k, "aws:SourceAccount") || strings.EqualFold(k, "aws:PrincipalArn") {
				return true
			}
		}
	}
	return false
}

// pinned reports whether a trust statement names its principals in an
// aws:PrincipalArn condition: under ArnEquals, ArnLike or StringLike, which
// read * and ? as wildcards, no value may match a role or user of any name
// (iampolicy.CoversAnyName: "*", arn:aws:iam::*:role/*), which names no one.
func pinned(stmt map[string]interface{}) bool {
	cond, _ := stmt["Condition"].(map[string]interface{})
	for _, op := range []string{"ArnEquals", "ArnLike", "StringEquals", "StringLike"} {
		if keys, ok := cond[op].(map[string]interface{}); ok {
			for k, v := range keys {
				if !strings.EqualFold(k, "aws:PrincipalArn") {
					continue
				}
				if op == "StringEquals" || !slices.ContainsFunc(cfnfile.List(v), func(p interface{}) bool {
					s, ok := p.(string)
					return ok && iampolicy.CoversAnyName(s)
				}) {
					return true
				}
			}
		}
	}
	return false
}

// accountPrincipal says whether the AWS principal p admits a whole
// account or everyone: its text and kind ("the account root ...",
// "everyone"), or kind "" for a role or user. A principal that does not
// resolve counts by its last literal part (an Fn::Join ending in :root).
func accountPrincipal(p interface{}, e stackEnv) (text, kind string) {
	s, ok := e.resolve(p)
	if !ok {
		s = lastText(p)
		if !strings.HasSuffix(s, ":root") {
			return "", ""
		}
		return canonical(p), "an account root (every principal its administrators allow)"
	}
	switch {
	case s == "*":
		return s, "everyone"
	case strings.HasSuffix(s, ":root") || len(s) == 12 && strings.Trim(s, "0123456789") == "":
		return s, "the account root " + s + " (every principal its administrators allow)"
	}
	return "", ""
}

// lastText is the last string part of an Fn::Join, or "".
func lastText(v interface{}) string {
	m, _ := v.(map[string]interface{})
	j, _ := m["Fn::Join"].([]interface{})
	if len(j) != 2 {
		return ""
	}
	parts, _ := j[1].([]interface{})
	if len(parts) == 0 {
		return ""
	}
	s, _ := parts[len(parts)-1].(string)
	return s
}

// canonical is v as compact JSON, to compare a principal with the ones
// TrustedRootsMetadata records.
func canonical(v interface{}) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// trustedRoots are the principals a role's TrustedRootsMetadata records,
// as canonical JSON.
func trustedRoots(resource map[string]interface{}) map[string]bool {
	meta, _ := resource["Metadata"].(map[string]interface{})
	rec, _ := meta[TrustedRootsMetadata].(map[string]interface{})
	out := map[string]bool{}
	for _, p := range cfnfile.List(rec["principals"]) {
		out[canonical(p)] = true
	}
	return out
}
