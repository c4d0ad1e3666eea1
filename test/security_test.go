package test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// resourceNamed is the resource of stack whose property key is name.
func resourceNamed(t *testing.T, stack, key, name string) map[string]interface{} {
	t.Helper()
	for _, r := range templates(t)[stack]["Resources"].(map[string]interface{}) {
		if p, _ := r.(map[string]interface{})["Properties"].(map[string]interface{}); p != nil && p[key] == name {
			return r.(map[string]interface{})
		}
	}
	t.Fatalf("%s has no resource with %s %s", stack, key, name)
	return nil
}

// statementsOf are the statements of every policy of stack attached to the
// role with logical ID role, by Sid ("" keys the last statement without one).
func statementsOf(t *testing.T, stack, role string) map[string]map[string]interface{} {
	t.Helper()
	out := map[string]map[string]interface{}{}
	for _, r := range templates(t)[stack]["Resources"].(map[string]interface{}) {
		p, _ := r.(map[string]interface{})["Properties"].(map[string]interface{})
		if p == nil || p["PolicyDocument"] == nil || !strings.Contains(fmt.Sprint(p["Roles"]), role) {
			continue
		}
		for _, st := range list(p["PolicyDocument"].(map[string]interface{})["Statement"]) {
			st := st.(map[string]interface{})
			out[fmt.Sprint(st["Sid"])] = st
		}
	}
	return out
}

func logicalIDNamed(t *testing.T, stack, key, name string) string {
	t.Helper()
	for id, r := range templates(t)[stack]["Resources"].(map[string]interface{}) {
		if p, _ := r.(map[string]interface{})["Properties"].(map[string]interface{}); p != nil && p[key] == name {
			return id
		}
	}
	t.Fatalf("%s has no resource with %s %s", stack, key, name)
	return ""
}

func asJSON(v interface{}) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}

// TestJobResultsTrust pins issue 10's security item 1: the job-results
// role trusts only Relay's hook roles, by an ARN condition, from the target
// OUs (or listed accounts), in one statement whatever the number of
// environments; the hook role is the hook functions' execution role and
// may assume it.
func TestJobResultsTrust(t *testing.T) {
	for _, tc := range []struct {
		stack, role string
		want        string
	}{
		{"payments-tooling", "payments-job-results", `{"Statement":[{"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/relay/payments/payments-*-hook"},` +
			`"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-a1b2c3d4e5/*/ou-a1b2-w0rkl0ad/*"},"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}},"Effect":"Allow","Principal":{"AWS":"*"}}],"Version":"2012-10-17"}`},
		{"inventory-tooling", "inventory-job-results", `{"Statement":[{"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/relay/inventory/inventory-*-hook"},` +
			`"StringEquals":{"aws:PrincipalAccount":["222222222222","333333333333"]}},"Effect":"Allow","Principal":{"AWS":"*"}}],"Version":"2012-10-17"}`},
	} {
		t.Run(tc.stack, func(t *testing.T) {
			got := asJSON(resourceNamed(t, tc.stack, "RoleName", tc.role)["Properties"].(map[string]interface{})["AssumeRolePolicyDocument"])
			if got != tc.want {
				t.Errorf("trust of %s:\n got %s\nwant %s", tc.role, got, tc.want)
			}
		})
	}
	hook := resourceNamed(t, "payments-staging", "RoleName", "payments-staging-hook")["Properties"].(map[string]interface{})
	if got := asJSON(hook["AssumeRolePolicyDocument"]); !strings.Contains(got, `"Principal":{"Service":"lambda.amazonaws.com"}`) || hook["Path"] != "/relay/payments/" {
		t.Errorf("hook role: path %v, trust %s; want /relay/payments/, trusted by Lambda", hook["Path"], got)
	}
	sts := statementsOf(t, "payments-staging", logicalIDNamed(t, "payments-staging", "RoleName", "payments-staging-hook"))
	want := map[string]string{
		"ReportJobResults": `"sts:AssumeRole"` + ` on "arn:aws:iam::111111111111:role/relay/payments/payments-job-results"`,
		"CallLiveAlias":    `"lambda:InvokeFunction"` + ` on "arn:aws:lambda:us-east-1:222222222222:function:payments-app-api:live"`,
		"WriteHookLogs": `["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"] on ["arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/payments-app-smoke-test",` +
			`"arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/payments-app-smoke-test:*"]`,
	}
	got := map[string]string{}
	for sid, st := range sts {
		got[sid] = asJSON(st["Action"]) + " on " + asJSON(st["Resource"])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hook role statements (-want +got):\n%s", diff)
	}
}

// TestPermissionsBoundary pins issue 10's security item 3: each target
// account gets the boundary <name>-<env>-boundary at /relay/<name>/, the
// execution role may create or change roles only with it and may pass the
// hook role to Lambda only, and the boundary keeps bounded roles from
// escaping it.
func TestPermissionsBoundary(t *testing.T) {
	const arn = "arn:aws:iam::222222222222:policy/relay/payments/payments-staging-boundary"
	boundary := resourceNamed(t, "payments-staging", "ManagedPolicyName", "payments-staging-boundary")
	if p := boundary["Properties"].(map[string]interface{}); p["Path"] != "/relay/payments/" || boundary["Type"] != "AWS::IAM::ManagedPolicy" {
		t.Errorf("boundary: %s; want a managed policy at /relay/payments/", asJSON(boundary))
	}
	var sids []string
	for _, st := range list(boundary["Properties"].(map[string]interface{})["PolicyDocument"].(map[string]interface{})["Statement"]) {
		sids = append(sids, fmt.Sprint(st.(map[string]interface{})["Sid"], " ", st.(map[string]interface{})["Effect"]))
	}
	if want := []string{"CapWithoutGranting Allow", "DenyWritesWithoutTheBoundary Deny", "DenyRemovingBoundaries Deny", "DenyChangingTheBoundary Deny",
		"DenyChangingRelayRoles Deny", "DenyPassingRelayRoles Deny", "DenyChangingRelayStacks Deny", "DenyBorrowingOtherPrincipals Deny", "DenyAssumingBootstrapRoles Deny",
		"DenyPassingRolesToCloudFormation Deny"}; !slices.Equal(sids, want) {
		t.Errorf("boundary statements %v, want %v", sids, want)
	}
	exec := statementsOf(t, "payments-staging", logicalIDNamed(t, "payments-staging", "RoleName", "payments-staging-cfn-exec"))
	for sid, want := range map[string]string{
		"DenyWritesWithoutTheBoundary": `{"StringNotEquals":{"iam:PermissionsBoundary":"` + arn + `"}}`,
		"DenyPassingRelayRoles":        `{"StringNotEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}`,
		"PassHookRoleToLambda":         `{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}`,
	} {
		if got := asJSON(exec[sid]["Condition"]); got != want {
			t.Errorf("execution role %s condition %s, want %s", sid, got, want)
		}
	}
	if got := asJSON(exec["DenyChangingTheBoundary"]["Resource"]); got != `"`+arn+`"` {
		t.Errorf("execution role DenyChangingTheBoundary on %s, want the boundary", got)
	}
}

// TestAttachedPoliciesKeptByGuards: the customer managed policy attached to
// an execution role (two-accounts: reviews-deployer) may not be versioned by
// that role, nor by a role the workload creates under the boundary: a new
// default version would give the execution role what it says.
func TestAttachedPoliciesKeptByGuards(t *testing.T) {
	const attached = `"arn:aws:iam::222222222222:policy/reviews-deployer"`
	boundary := resourceNamed(t, "reviews-staging", "ManagedPolicyName", "reviews-staging-boundary")
	found := false
	for _, st := range list(boundary["Properties"].(map[string]interface{})["PolicyDocument"].(map[string]interface{})["Statement"]) {
		st := st.(map[string]interface{})
		if st["Sid"] == "DenyChangingAttachedPolicies" {
			found = st["Effect"] == "Deny" && asJSON(st["Resource"]) == attached && slices.Contains(strs(st["Action"]), "iam:CreatePolicyVersion")
		}
	}
	if !found {
		t.Errorf("boundary: %s; want DenyChangingAttachedPolicies on %s", asJSON(boundary), attached)
	}
	exec := statementsOf(t, "reviews-staging", logicalIDNamed(t, "reviews-staging", "RoleName", "reviews-staging-cfn-exec"))
	if st := exec["DenyChangingAttachedPolicies"]; st == nil || st["Effect"] != "Deny" || asJSON(st["Resource"]) != attached {
		t.Errorf("execution role DenyChangingAttachedPolicies = %s, want a Deny on %s", asJSON(st), attached)
	}
}

// TestServiceTrustsNameTheirSource pins issue 10's security item 9: in
// every golden template, a role that a service principal assumes admits it
// only for one account (aws:SourceAccount) and its resource (aws:SourceArn)
// unless the service documents no such keys (exempt, each with its reason,
// as constructs/internal/sourcetrust lists them; a trust of an exempt
// service that has conditions, such as StackSets', needs both keys too);
// and every exemption is still in use.
func TestServiceTrustsNameTheirSource(t *testing.T) {
	exempt := map[string]string{
		"lambda.amazonaws.com":         "Lambda documents no source condition keys for a function's execution role; only principals of the role's account can pass it, and Relay's execution role may pass the hook role to Lambda only.",
		"cloudformation.amazonaws.com": "CloudFormation documents no source condition keys for a stack's service role; only principals of the role's account can pass it, and only the pipeline's deploy role may.",
		"chatbot.amazonaws.com":        "AWS Chatbot documents no source condition keys for its channel role; only principals of the role's account can pass it.",
	}
	used := map[string]bool{}
	for stack, tpl := range templates(t) {
		for id, r := range tpl["Resources"].(map[string]interface{}) {
			r := r.(map[string]interface{})
			if r["Type"] != "AWS::IAM::Role" {
				continue
			}
			for _, st := range list(r["Properties"].(map[string]interface{})["AssumeRolePolicyDocument"].(map[string]interface{})["Statement"]) {
				st := st.(map[string]interface{})
				principal, _ := st["Principal"].(map[string]interface{})
				if principal["Service"] == nil {
					continue // trusts that name AWS principals: TestJobResultsTrust and the wiring tests
				}
				for _, svc := range list(principal["Service"]) {
					svc := fmt.Sprint(svc)
					cond, _ := st["Condition"].(map[string]interface{})
					account := asJSON(cond["StringEquals"])
					source := asJSON(cond["ArnLike"]) + asJSON(cond["ArnEquals"]) + asJSON(cond["StringLike"])
					switch {
					case exempt[svc] != "" && cond == nil:
						used[svc] = true
					case !strings.Contains(account, `"aws:SourceAccount"`) || !strings.Contains(source, `"aws:SourceArn"`):
						t.Errorf("%s %s: trusts %s with conditions %s; want aws:SourceAccount and aws:SourceArn (or an exemption with its reason)", stack, id, svc, asJSON(cond))
					}
				}
			}
		}
	}
	for svc := range exempt {
		if !used[svc] {
			t.Errorf("exempt[%q]: no golden role trusts it; remove the exemption", svc)
		}
	}
}
