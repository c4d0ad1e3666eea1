package nag_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/relaytest"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

// metadata is the cdk_nag metadata of every resource of the stack, by
// logical ID.
func metadata(t *testing.T, stack awscdk.Stack) map[string]interface{} {
	t.Helper()
	out := map[string]interface{}{}
	for id, r := range relaytest.JSON(t, stack)["Resources"].(map[string]interface{}) {
		if md, ok := r.(map[string]interface{})["Metadata"].(map[string]interface{}); ok && md["cdk_nag"] != nil {
			out[id] = md["cdk_nag"]
		}
	}
	return out
}

// TestSuppressWritesOnApply: Suppress records, Apply writes cdk-nag's
// metadata on the resource and its children (the role and its policy), in
// recording order; the IAM5 suppression without findings is dropped; a
// resource recorded after a Mark and dropped gets nothing.
func TestSuppressWritesOnApply(t *testing.T) {
	var before, after map[string]interface{}
	relaytest.Do(t, "suppress", func() {
		app := relaytest.NewApp()
		stack := awscdk.NewStack(app, jsii.String("S"), nil)
		role := awsiam.NewRole(stack, jsii.String("Role"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
		role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("s3:GetObject"), Resources: jsii.Strings("arn:aws:s3:::b/*")}))
		other := awsiam.NewRole(stack, jsii.String("Other"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
		nag.Suppress(role,
			nag.Wildcards("Objects are written under keys the pipeline generates.", "arn:aws:s3:::b/*"),
			nag.Wildcards("Nothing to suppress: no wildcard here.", "arn:aws:s3:::b"),
			nag.Suppression{Rule: "AwsSolutions-IAM4", Reason: "The managed policy is the service's own."})
		mark := nag.Mark()
		nag.Suppress(other, nag.Suppression{Rule: "AwsSolutions-IAM4", Reason: "Recorded for a template built on its own."})
		nag.Drop(mark)
		before = metadata(t, stack)
		nag.Apply()
		// The app is synthesized already (its assembly is cached): read the
		// metadata from the resources.
		after = map[string]interface{}{}
		for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
			if r, ok := c.(awscdk.CfnResource); ok {
				if md := r.GetMetadata(jsii.String("cdk_nag")); md != nil {
					after[*stack.GetLogicalId(r)] = md
				}
			}
		}
	})
	if len(before) != 0 {
		t.Errorf("metadata before Apply: %v; want none (Suppress only records)", before)
	}
	want := map[string]interface{}{"rules_to_suppress": []interface{}{
		map[string]interface{}{"reason": "Objects are written under keys the pipeline generates.", "id": "AwsSolutions-IAM5", "applies_to": []interface{}{"Resource::arn:aws:s3:::b/*"}},
		map[string]interface{}{"reason": "The managed policy is the service's own.", "id": "AwsSolutions-IAM4"},
	}}
	if len(after) != 2 {
		t.Fatalf("Apply wrote metadata on %d resources (%v); want the role and its default policy", len(after), after)
	}
	for id, md := range after {
		if !strings.HasPrefix(id, "Role") {
			t.Errorf("%s got suppressions; only the role and its policy were suppressed", id)
		}
		if diff := cmp.Diff(want, md); diff != "" {
			t.Errorf("%s metadata (-want +got):\n%s", id, diff)
		}
	}
}

func TestSuppressRefusesWhatCdkNagRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    nag.Suppression
		want string
	}{
		{"short reason", nag.Suppression{Rule: "AwsSolutions-S1", Reason: "short"}, `reason "short": cdk-nag needs a reason of at least 10 characters`},
		{"finding in the rule", nag.Suppression{Rule: "AwsSolutions-IAM5[Resource::*]", Reason: "A reason long enough."}, "name the finding in AppliesTo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg, ok := relaytest.Recover(func() { nag.Suppress(nil, tc.s) })
			if ok || !strings.Contains(msg, tc.want) {
				t.Errorf("Suppress panicked %v with %q; want a panic with %q", !ok, msg, tc.want)
			}
		})
	}
}

// TestDeferRunsOnApply: a deferred function runs only when Apply runs, and
// what it records is written in its place, between the suppressions
// recorded before and after it.
func TestDeferRunsOnApply(t *testing.T) {
	var ran int
	var got interface{}
	relaytest.Do(t, "defer", func() {
		app := relaytest.NewApp()
		stack := awscdk.NewStack(app, jsii.String("S"), nil)
		role := awsiam.NewRole(stack, jsii.String("Role"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
		nag.Suppress(role, nag.Suppression{Rule: "R-First", Reason: "Recorded before the deferred one."})
		nag.Defer(func() {
			ran++
			nag.Suppress(role, nag.Suppression{Rule: "R-Deferred", Reason: "Recorded by the deferred function."})
		})
		nag.Suppress(role, nag.Suppression{Rule: "R-Last", Reason: "Recorded after the deferred one."})
		if ran != 0 {
			t.Errorf("the deferred function ran %d times before Apply", ran)
		}
		nag.Apply()
		nag.Apply() // nothing left: the function does not run again
		got = role.Node().DefaultChild().(awscdk.CfnResource).GetMetadata(jsii.String("cdk_nag"))
	})
	if ran != 1 {
		t.Errorf("the deferred function ran %d times; want once, at the first Apply", ran)
	}
	var ids []string
	for _, r := range got.(map[string]interface{})["rules_to_suppress"].([]interface{}) {
		ids = append(ids, r.(map[string]interface{})["id"].(string))
	}
	if diff := cmp.Diff([]string{"R-First", "R-Deferred", "R-Last"}, ids); diff != "" {
		t.Errorf("rules in order (-want +got):\n%s", diff)
	}
}

// TestFlatten: a Resource:: finding is written as cdk-nag 2.38's
// flattenCfnReference writes a string (${ to <, } to >); others unchanged.
func TestFlatten(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Resource::arn:aws:s3:::data/${aws:username}/*", "Resource::arn:aws:s3:::data/<aws:username>/*"},
		{"Resource::arn:aws:s3:::b-${aws:PrincipalTag/team}-*/*", "Resource::arn:aws:s3:::b-<aws:PrincipalTag/team>-*/*"},
		{"Resource::<Bucket83908E77.Arn>/*", "Resource::<Bucket83908E77.Arn>/*"},
		{"Resource::arn:aws:s3:::b/*", "Resource::arn:aws:s3:::b/*"},
		{"Action::s3:Get*", "Action::s3:Get*"},
	} {
		if got := nag.Flatten(tc.in); got != tc.want {
			t.Errorf("Flatten(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
