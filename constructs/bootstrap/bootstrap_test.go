package bootstrap_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/bootstrap"
)

// glob is IAM's wildcard match (* any run, ? one character), case-sensitive.
func glob(pattern, s string) bool {
	re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(pattern)) + "$"
	return regexp.MustCompile(re).MatchString(s)
}

// allowed evaluates doc (Allow statements only, as the package writes) for
// one request: action on resource with the request context ctx. A
// condition operator Relay writes (ArnLike, StringEquals) holds when the
// context value matches any of the condition's values; a key missing from
// the context fails it, as in IAM.
func allowed(doc bootstrap.Policy, action, resource string, ctx map[string]string) bool {
	for _, st := range doc.Statement {
		if st.Effect != "Allow" || !anyGlob(st.Action, action) || !anyGlob(st.Resource, resource) {
			continue
		}
		ok := true
		for op, keys := range st.Condition {
			for key, want := range keys {
				got, present := ctx[key]
				var values []string
				switch w := want.(type) {
				case []string:
					values = w
				case string:
					values = []string{w}
				}
				match := false
				for _, v := range values {
					if present && ((op == "ArnLike" && glob(v, got)) || (op == "StringEquals" && v == got)) {
						match = true
					}
				}
				ok = ok && match
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func anyGlob(patterns []string, s string) bool {
	for _, p := range patterns {
		if glob(p, s) {
			return true
		}
	}
	return false
}

// TestDocument pins issue 10's security item 10 by evaluating the policies:
// what the bootstrap role of each account kind may and may not do.
func TestDocument(t *testing.T) {
	target, err := bootstrap.Document(bootstrap.Props{Name: "payments", Account: "222222222222", Kind: bootstrap.Target,
		AttachedPolicyArns: []string{"arn:aws:iam::222222222222:policy/payments-app-deployer"}})
	if err != nil {
		t.Fatal(err)
	}
	tooling, err := bootstrap.Document(bootstrap.Props{Name: "payments", Account: "111111111111", Kind: bootstrap.Tooling})
	if err != nil {
		t.Fatal(err)
	}
	// An account that owns a source of the pipeline holds the stack
	// payments-source-<account>: alone (Kind Source), or besides a target's
	// stack (Sources).
	source, err := bootstrap.Document(bootstrap.Props{Name: "payments", Account: "444444444444", Kind: bootstrap.Source})
	if err != nil {
		t.Fatal(err)
	}
	both, err := bootstrap.Document(bootstrap.Props{Name: "payments", Account: "222222222222", Kind: bootstrap.Target, Sources: true})
	if err != nil {
		t.Fatal(err)
	}
	// An environment that deploys to the tooling account puts its stack
	// payments-<environment> there too (Targets).
	toolingTarget, err := bootstrap.Document(bootstrap.Props{Name: "payments", Account: "111111111111", Kind: bootstrap.Tooling, Targets: true})
	if err != nil {
		t.Fatal(err)
	}
	const (
		recovery   = "arn:aws:iam::111111111111:role/relay/payments/payments-recovery"
		forwarder  = "arn:aws:iam::444444444444:role/relay/payments/payments-source-forwarder"
		sourceRule = "arn:aws:events:us-east-1:444444444444:rule/payments-Source"
		sourceTrl  = "arn:aws:cloudtrail:us-east-1:444444444444:trail/payments-sources"
		trailBkt   = "arn:aws:s3:::payments-source-444444444444-sourcestrailbucket-1a2b3c"
		relayRole  = "arn:aws:iam::222222222222:role/relay/payments/payments-staging-deploy"
		cbRole     = "arn:aws:iam::111111111111:role/payments-build-role"
		otherRole  = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"
		otherName  = "arn:aws:iam::222222222222:role/relay/orders/orders-staging-deploy"
		boundary   = "arn:aws:iam::222222222222:policy/relay/payments/payments-staging-boundary"
		deployer   = "arn:aws:iam::222222222222:policy/payments-app-deployer"
		admin      = "arn:aws:iam::aws:policy/AdministratorAccess"
		iamFull    = "arn:aws:iam::aws:policy/IAMFullAccess"
		codeDeploy = "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole"
	)
	for _, tc := range []struct {
		name             string
		doc              bootstrap.Policy
		action, resource string
		ctx              map[string]string
		want             bool
	}{
		{"creates Relay's roles", target, "iam:CreateRole", relayRole, nil, true},
		{"writes their inline policies", target, "iam:PutRolePolicy", relayRole, nil, true},
		{"creates the boundary policy", target, "iam:CreatePolicy", boundary, nil, true},
		{"attaches the boundary-path policies", target, "iam:AttachRolePolicy", relayRole, map[string]string{"iam:PolicyARN": boundary}, true},
		{"attaches the configured execution policy", target, "iam:AttachRolePolicy", relayRole, map[string]string{"iam:PolicyARN": deployer}, true},
		{"attaches CodeDeploy's service policy", target, "iam:AttachRolePolicy", relayRole, map[string]string{"iam:PolicyARN": codeDeploy}, true},
		{"passes Relay's roles to CodeDeploy", target, "iam:PassRole", relayRole, map[string]string{"iam:PassedToService": "codedeploy.amazonaws.com"}, true},
		{"creates CodeDeploy groups", target, "codedeploy:CreateDeploymentGroup", "arn:aws:codedeploy:us-east-1:222222222222:deploymentgroup:payments/payments-staging", nil, true},
		{"never attaches AdministratorAccess", target, "iam:AttachRolePolicy", relayRole, map[string]string{"iam:PolicyARN": admin}, false},
		{"never attaches IAMFullAccess", target, "iam:AttachRolePolicy", relayRole, map[string]string{"iam:PolicyARN": iamFull}, false},
		{"never touches other roles", target, "iam:PutRolePolicy", otherRole, nil, false},
		{"never touches another configuration's roles", target, "iam:CreateRole", otherName, nil, false},
		{"target: passes no role to Lambda", target, "iam:PassRole", relayRole, map[string]string{"iam:PassedToService": "lambda.amazonaws.com"}, false},
		{"never passes roles to EC2", target, "iam:PassRole", relayRole, map[string]string{"iam:PassedToService": "ec2.amazonaws.com"}, false},
		{"never creates users", target, "iam:CreateUser", "arn:aws:iam::222222222222:user/payments-x", nil, false},
		{"never creates access keys", target, "iam:CreateAccessKey", "arn:aws:iam::222222222222:user/payments-x", nil, false},
		{"never removes a boundary", target, "iam:DeleteRolePermissionsBoundary", relayRole, nil, false},
		{"never creates policies elsewhere", target, "iam:CreatePolicy", "arn:aws:iam::222222222222:policy/admin", nil, false},
		{"target: no pipelines", target, "codepipeline:CreatePipeline", "arn:aws:codepipeline:us-east-1:222222222222:payments", nil, false},
		{"tooling: CodeBuild's roles at /", tooling, "iam:CreateRole", cbRole, nil, true},
		{"tooling: pipelines", tooling, "codepipeline:CreatePipeline", "arn:aws:codepipeline:us-east-1:111111111111:payments", nil, true},
		{"tooling: creates keys", tooling, "kms:CreateKey", "*", nil, true},
		{"tooling: the artifact bucket", tooling, "s3:CreateBucket", "arn:aws:s3:::payments-artifacts-111111111111-us-east-1", nil, true},
		{"tooling: no other bucket", tooling, "s3:PutBucketPolicy", "arn:aws:s3:::audit-logs", nil, false},
		{"tooling: no EC2", tooling, "ec2:RunInstances", "arn:aws:ec2:us-east-1:111111111111:instance/*", nil, false},
		{"tooling: passes build roles to CodeBuild", tooling, "iam:PassRole", cbRole, map[string]string{"iam:PassedToService": "codebuild.amazonaws.com"}, true},
		{"tooling: not to Lambda", tooling, "iam:PassRole", cbRole, map[string]string{"iam:PassedToService": "lambda.amazonaws.com"}, false},
		{"tooling: the asset repository in any region", tooling, "ecr:CreateRepository", "arn:aws:ecr:eu-west-1:111111111111:repository/relay/payments/assets", nil, true},
		{"tooling: its repository policy", tooling, "ecr:SetRepositoryPolicy", "arn:aws:ecr:us-east-1:111111111111:repository/relay/payments/assets", nil, true},
		{"tooling: no other repository", tooling, "ecr:SetRepositoryPolicy", "arn:aws:ecr:us-east-1:111111111111:repository/platform/base", nil, false},
		{"tooling: the recovery function", tooling, "lambda:CreateFunction", "arn:aws:lambda:us-east-1:111111111111:function:payments-tooling-RecoveryFunction95799750-AbC123", nil, true},
		{"tooling: EventBridge may invoke it", tooling, "lambda:AddPermission", "arn:aws:lambda:us-east-1:111111111111:function:payments-tooling-RecoveryFunction95799750-AbC123", nil, true},
		{"tooling: no other function", tooling, "lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:111111111111:function:billing-export", nil, false},
		{"tooling: passes the recovery role to Lambda", tooling, "iam:PassRole", recovery, map[string]string{"iam:PassedToService": "lambda.amazonaws.com"}, true},
		{"tooling: not the recovery role to EC2", tooling, "iam:PassRole", recovery, map[string]string{"iam:PassedToService": "ec2.amazonaws.com"}, false},
		{"tooling alone: no CodeDeploy", tooling, "codedeploy:CreateDeploymentGroup", "arn:aws:codedeploy:us-east-1:111111111111:deploymentgroup:payments/payments-dev", nil, false},
		{"tooling with a target: CodeDeploy", toolingTarget, "codedeploy:CreateDeploymentGroup", "arn:aws:codedeploy:us-east-1:111111111111:deploymentgroup:payments/payments-dev", nil, true},
		{"tooling with a target: passes to CodeDeploy", toolingTarget, "iam:PassRole", "arn:aws:iam::111111111111:role/relay/payments/payments-dev-codedeploy", map[string]string{"iam:PassedToService": "codedeploy.amazonaws.com"}, true},
		{"tooling with a target: still the pipeline", toolingTarget, "codepipeline:CreatePipeline", "arn:aws:codepipeline:us-east-1:111111111111:payments", nil, true},
		{"source: the source and forwarder roles", source, "iam:CreateRole", forwarder, nil, true},
		{"source: passes the forwarder to EventBridge", source, "iam:PassRole", forwarder, map[string]string{"iam:PassedToService": "events.amazonaws.com"}, true},
		{"source: not to CodeBuild", source, "iam:PassRole", forwarder, map[string]string{"iam:PassedToService": "codebuild.amazonaws.com"}, false},
		{"source: the forwarding rules", source, "events:PutRule", sourceRule, nil, true},
		{"source: their targets", source, "events:PutTargets", sourceRule, nil, true},
		{"source: no other rule", source, "events:PutRule", "arn:aws:events:us-east-1:444444444444:rule/audit-everything", nil, false},
		{"source: the trail", source, "cloudtrail:CreateTrail", sourceTrl, nil, true},
		{"source: its event selectors", source, "cloudtrail:PutEventSelectors", sourceTrl, nil, true},
		{"source: no other trail", source, "cloudtrail:StopLogging", "arn:aws:cloudtrail:us-east-1:444444444444:trail/org-data-events", nil, false},
		{"source: the trail's bucket", source, "s3:PutBucketPolicy", trailBkt, nil, true},
		{"source: the trail's key", source, "kms:CreateKey", "*", nil, true},
		{"source: no pipelines", source, "codepipeline:CreatePipeline", "arn:aws:codepipeline:us-east-1:444444444444:payments", nil, false},
		{"source: no CodeDeploy", source, "codedeploy:CreateDeploymentGroup", "arn:aws:codedeploy:us-east-1:444444444444:deploymentgroup:payments/x", nil, false},
		{"target and source: CodeDeploy", both, "codedeploy:CreateDeploymentGroup", "arn:aws:codedeploy:us-east-1:222222222222:deploymentgroup:payments/payments-staging", nil, true},
		{"target and source: the forwarding rules", both, "events:PutRule", "arn:aws:events:us-east-1:222222222222:rule/payments-Source", nil, true},
		{"target and source: passes to both services", both, "iam:PassRole", "arn:aws:iam::222222222222:role/relay/payments/payments-source-forwarder", map[string]string{"iam:PassedToService": "events.amazonaws.com"}, true},
		{"target alone: no rules", target, "events:PutRule", "arn:aws:events:us-east-1:222222222222:rule/payments-Source", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := allowed(tc.doc, tc.action, tc.resource, tc.ctx); got != tc.want {
				t.Errorf("%s on %s with %v: allowed = %v, want %v", tc.action, tc.resource, tc.ctx, got, tc.want)
			}
		})
	}
}

func TestDocumentErrors(t *testing.T) {
	many := make([]string, 200)
	for i := range many {
		many[i] = "arn:aws:iam::222222222222:policy/payments-app-deployer-" + strings.Repeat("x", 20) + string(rune('a'+i%26)) + strings.Repeat("y", i%7)
	}
	for _, tc := range []struct {
		name  string
		props bootstrap.Props
		want  string
	}{
		{"no name", bootstrap.Props{Account: "222222222222", Kind: bootstrap.Target}, "bootstrap.Props.Name: required"},
		{"bad account", bootstrap.Props{Name: "p", Account: "2222", Kind: bootstrap.Target}, `bootstrap.Props.Account "2222": must be a 12-digit account ID`},
		{"bad kind", bootstrap.Props{Name: "p", Account: "222222222222", Kind: "admin"}, `bootstrap.Props.Kind "admin": must be tooling, target or source`},
		{"sources of the tooling account", bootstrap.Props{Name: "p", Account: "111111111111", Kind: bootstrap.Tooling, Sources: true}, "bootstrap.Props.Sources: applies to a Target account"},
		{"targets of a target account", bootstrap.Props{Name: "p", Account: "222222222222", Kind: bootstrap.Target, Targets: true}, "bootstrap.Props.Targets: applies to the Tooling account"},
		{"too large", bootstrap.Props{Name: "p", Account: "222222222222", Kind: bootstrap.Target, AttachedPolicyArns: many}, "bootstrap.Props.AttachedPolicyArns: the policy is "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bootstrap.Document(tc.props)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("Document() error = %v, want %s", err, tc.want)
			}
		})
	}
}

func ExampleDocument() {
	doc, _ := bootstrap.Document(bootstrap.Props{Name: "payments", Account: "222222222222", Kind: bootstrap.Target})
	for _, st := range doc.Statement {
		fmt.Println(st.Sid)
	}
	// The ARN to pass to cdk bootstrap --cloudformation-execution-policies:
	fmt.Println(bootstrap.PolicyArn("aws", "222222222222", "payments"))
	// Output:
	// ManageRelayRoles
	// AttachOnlyTheStacksPolicies
	// PassRelayRolesToTheirServices
	// ManageRelayPolicies
	// CodeDeployGroups
	// EKSAccessEntries
	// arn:aws:iam::222222222222:policy/relay-payments-bootstrap
}
