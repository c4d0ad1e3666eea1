package limits

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/cfnfile"
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

// administratorPolicies are the AWS managed policies as strong as
// AdministratorAccess (the list of iampolicy.AdministratorPolicies, which
// this package cannot import): AdministratorAccess allows * on *
// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html),
// IAMFullAccess iam:*, with which a principal grants itself the rest.
var administratorPolicies = []string{"AdministratorAccess", "IAMFullAccess"}

// relayRolePath matches the IAM path of Relay's roles, /relay/<name>/
// (naming.Names.RolePath; values.RelayIAMPath).
var relayRolePath = regexp.MustCompile(`^/relay/([a-z][a-z0-9-]{2,23})/$`)

// awsManagedPolicy matches an AWS managed policy ARN; 1 is its name.
var awsManagedPolicy = regexp.MustCompile(`^arn:[^:]*:iam::aws:policy/(?:.*/)?([^/]+)$`)

// relayRole is one of Relay's roles in a template.
type relayRole struct {
	id, name, pipeline string
	// execution: it trusts only cloudformation.amazonaws.com, a
	// CloudFormation execution role, whose grants the team chooses (and
	// Relay accepts as strong as AdministratorAccess when asked to).
	execution bool
}

// CheckRelayRoles returns an error finding (Over, with Rule set) for what a
// team attached to one of Relay's own roles in the stacks of an assembly:
// a role at Relay's IAM path /relay/<name>/ whose RoleName, when set,
// starts with <name>- (a team's own role there with another name is not
// judged). It flags
//   - an AWS managed policy as strong as AdministratorAccess
//     (AdministratorAccess, IAMFullAccess) in the role's ManagedPolicyArns;
//   - an Allow of Action * on Resource * in the role's inline Policies, or
//     in an AWS::IAM::Policy or AWS::IAM::ManagedPolicy of the same
//     template whose Roles name the role (by Ref or by its RoleName);
//   - a trust statement that admits an account root, a bare account ID or
//     everyone ("*") as AWS principal without an aws:PrincipalArn condition (ArnEquals,
//     ArnLike, StringEquals or StringLike), except the roots the role's
//     TrustedRootsMetadata records.
//
// The grants of a CloudFormation execution role (one that trusts only
// cloudformation.amazonaws.com) are not judged: the team chooses them
// (target.Props.ExecutionStatements, ExecutionManagedPolicyArns), and may
// accept administrator rights there. Nor are a statement's conditions, a
// NotAction, or a service principal a team adds: only the three shapes
// above. Findings are sorted by stack and logical ID.
func CheckRelayRoles(stacks []Stack) []Finding {
	var out []Finding
	for _, st := range stacks {
		e := parseEnv(st.Environment)
		res, _ := st.Template["Resources"].(map[string]interface{})
		ids := make([]string, 0, len(res))
		for id := range res {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		roles := map[string]relayRole{}
		byName := map[string]string{}
		for _, id := range ids {
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
			r := relayRole{id: id, pipeline: pm[1]}
			if v, ok := props["RoleName"]; ok {
				name, certain := e.resolve(v)
				if certain && !strings.HasPrefix(name, pm[1]+"-") {
					continue
				}
				r.name = name
				if certain {
					byName[name] = id
				}
			}
			trust, _ := props["AssumeRolePolicyDocument"].(map[string]interface{})
			r.execution = onlyService(trust, "cloudformation.amazonaws.com")
			roles[id] = r
			add := func(property, name, rule string) {
				out = append(out, Finding{Limit: relayRoleLimit, Stack: st.ID, Resource: id, Physical: r.name, Name: name, Property: property, Rule: rule})
			}
			if !r.execution {
				for k, a := range cfnfile.List(props["ManagedPolicyArns"]) {
					arn, ok := e.resolve(a)
					if !ok {
						continue
					}
					if pm := awsManagedPolicy.FindStringSubmatch(arn); pm != nil && slices.Contains(administratorPolicies, pm[1]) {
						add(fmt.Sprintf("ManagedPolicyArns[%d]", k), arn, fmt.Sprintf("on %s, is as strong as AdministratorAccess", r.describe()))
					}
				}
				for k, p := range cfnfile.List(props["Policies"]) {
					pol, _ := p.(map[string]interface{})
					doc, _ := pol["PolicyDocument"].(map[string]interface{})
					for _, j := range allowAll(doc) {
						add(fmt.Sprintf("Policies[%d].PolicyDocument.Statement[%d]", k, j), "Allow * on *", fmt.Sprintf("on %s, grants every action on every resource", r.describe()))
					}
				}
			}
			accepted := trustedRoots(m)
			for j, s := range cfnfile.List(trust["Statement"]) {
				stmt, _ := s.(map[string]interface{})
				if stmt["Effect"] != "Allow" || pinned(stmt) {
					continue
				}
				principal, _ := stmt["Principal"].(map[string]interface{})
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
		}
		if len(roles) == 0 {
			continue
		}
		// Policies of the template attached to Relay's roles.
		for _, id := range ids {
			m, _ := res[id].(map[string]interface{})
			typ, _ := m["Type"].(string)
			if typ != "AWS::IAM::Policy" && typ != "AWS::IAM::ManagedPolicy" {
				continue
			}
			props, _ := m["Properties"].(map[string]interface{})
			var to []relayRole
			for _, x := range cfnfile.List(props["Roles"]) {
				rid := ""
				if ref, ok := x.(map[string]interface{}); ok {
					rid, _ = ref["Ref"].(string)
				} else if name, ok := e.resolve(x); ok {
					rid = byName[name]
				}
				if r, ok := roles[rid]; ok && !r.execution {
					to = append(to, r)
				}
			}
			if len(to) == 0 {
				continue
			}
			doc, _ := props["PolicyDocument"].(map[string]interface{})
			for _, j := range allowAll(doc) {
				for _, r := range to {
					out = append(out, Finding{Limit: relayRoleLimit, Stack: st.ID, Resource: id, Physical: r.name, Name: "Allow * on *",
						Property: fmt.Sprintf("PolicyDocument.Statement[%d]", j), Rule: fmt.Sprintf("(%s) attached to %s, grants every action on every resource", typ, r.describe())})
				}
			}
		}
	}
	return out
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

// allowAll are the indexes of doc's statements that Allow Action * (or
// *:*) on Resource *.
func allowAll(doc map[string]interface{}) []int {
	var out []int
	for j, s := range cfnfile.List(doc["Statement"]) {
		stmt, _ := s.(map[string]interface{})
		if stmt["Effect"] != "Allow" {
			continue
		}
		if slices.ContainsFunc(cfnfile.List(stmt["Action"]), func(a interface{}) bool { return a == "*" || a == "*:*" }) &&
			slices.Contains(cfnfile.List(stmt["Resource"]), interface{}("*")) {
			out = append(out, j)
		}
	}
	return out
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

// pinned reports whether a trust statement names its principals in an
// aws:PrincipalArn condition.
func pinned(stmt map[string]interface{}) bool {
	cond, _ := stmt["Condition"].(map[string]interface{})
	for _, op := range []string{"ArnEquals", "ArnLike", "StringEquals", "StringLike"} {
		if keys, ok := cond[op].(map[string]interface{}); ok {
			for k := range keys {
				if strings.EqualFold(k, "aws:PrincipalArn") {
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
