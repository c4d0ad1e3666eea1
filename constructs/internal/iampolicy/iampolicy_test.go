package iampolicy

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/relaycdk/relay/internal/iameval"
)

// TestAdminEquivalent pins which statements count as AdministratorAccess
// (issue 10 security item 3, case exec-policy-iam-star.yaml).
func TestAdminEquivalent(t *testing.T) {
	for _, tc := range []struct {
		name               string
		actions, resources []string
		admin              bool
	}{
		{"iam:* on *", []string{"iam:*"}, []string{"*"}, true},
		{"sts:AssumeRole on *", []string{"sts:AssumeRole"}, []string{"*"}, true},
		{"the field case", []string{"iam:*", "sts:AssumeRole"}, []string{"*"}, true},
		{"a wildcard that includes PutRolePolicy", []string{"iam:Put*"}, []string{"arn:aws:iam::*:role/*"}, true},
		{"PassRole on every role of an account", []string{"iam:PassRole"}, []string{"arn:aws:iam::222222222222:role/*"}, true},
		{"every IAM resource", []string{"iam:CreatePolicyVersion"}, []string{"arn:aws:iam::*:*"}, true},
		{"case-insensitive actions", []string{"IAM:attachrolepolicy"}, []string{"*"}, true},
		// Patterns that cover every role, user or policy without being
		// written as <type>/*: IAM matches * across / and : alike.
		{"a type prefix with a wildcard", []string{"sts:AssumeRole"}, []string{"arn:aws:iam::222222222222:role*"}, true},
		{"every type of every account", []string{"iam:CreateAccessKey"}, []string{"arn:aws:iam::*:*/*"}, true},
		{"a wildcard type", []string{"iam:UpdateAssumeRolePolicy"}, []string{"arn:aws:iam::*:r*/*"}, true},
		{"every service and partition", []string{"iam:PassRole"}, []string{"arn:*:*::*:*"}, true},
		// Every pathed role: Relay's own among them (/relay/<name>/), the
		// execution role that would hold this statement too.
		{"a path wildcard", []string{"iam:PutRolePolicy"}, []string{"arn:aws-cn:iam::222222222222:role/*/*"}, true},
		{"Relay's own roles", []string{"iam:PutRolePolicy"}, []string{"arn:aws:iam::*:role/relay/*"}, true},
		{"the roles of one path the workload owns", []string{"iam:PassRole"}, []string{"arn:aws:iam::*:role/payments/*"}, false},
		{"any name of one character or more", []string{"iam:AttachUserPolicy"}, []string{"arn:aws:iam::222222222222:user/?*"}, true},
		{"roles of the workload only", []string{"iam:*"}, []string{"arn:aws:iam::*:role/payments-app-*"}, false},
		{"read-only IAM on *", []string{"iam:Get*", "iam:List*"}, []string{"*"}, false},
		{"another service on *", []string{"lambda:*"}, []string{"*"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := AdminEquivalent(tc.actions, tc.resources); (got != "") != tc.admin {
				t.Errorf("AdminEquivalent(%q, %q) = %q, want admin-equivalent %v", tc.actions, tc.resources, got, tc.admin)
			}
		})
	}
}

// TestPassRoleWithoutService pins which statements pass roles by pattern
// without an iam:PassedToService condition that names the services (IAM
// User Guide, "Grant a user permissions to pass a role to an AWS
// service"): a role named exactly is bounded by its own trust policy; a
// pattern may match roles nobody reviewed, and only the condition keeps
// them from a service such as CloudFormation or EC2.
func TestPassRoleWithoutService(t *testing.T) {
	lambdaOnly := map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {"lambda.amazonaws.com"}}}
	for _, tc := range []struct {
		name               string
		actions, resources []string
		conditions         map[string]map[string][]string
		want               string
	}{
		{"a named role", []string{"iam:PassRole"}, []string{"arn:aws:iam::222222222222:role/app-fn"}, nil, ""},
		{"a pattern", []string{"iam:PassRole"}, []string{"arn:aws:iam::*:role/app-*"}, nil, "iam:PassRole"},
		{"a ? pattern", []string{"iam:passrole"}, []string{"arn:aws:iam::222222222222:role/app-?"}, nil, "iam:passrole"},
		{"a pattern, to Lambda only", []string{"iam:PassRole"}, []string{"arn:aws:iam::*:role/app-*"}, lambdaOnly, ""},
		{"StringLike naming services", []string{"iam:PassRole"}, []string{"arn:aws:iam::*:role/app-*"},
			map[string]map[string][]string{"StringLike": {"IAM:PassedToService": {"lambda.amazonaws.com", "ecs-tasks.amazonaws.com"}}}, ""},
		{"an action wildcard that includes PassRole", []string{"iam:GetRole", "iam:*"}, []string{"arn:aws:iam::*:role/app-*"}, nil, "iam:*"},
		{"iam:Pass*", []string{"iam:Pass*"}, []string{"arn:aws:iam::*:role/app-*"}, nil, "iam:Pass*"},
		{"a pattern of functions, not roles", []string{"lambda:*", "iam:*"}, []string{"arn:aws:lambda:*:*:function:app-*", "arn:aws:iam::*:user/app-*"}, nil, ""},
		{"every resource", []string{"iam:PassRole"}, []string{"*"}, nil, "iam:PassRole"},
		{"a wildcard service", []string{"iam:PassRole"}, []string{"arn:aws:*::*:r*"}, nil, "iam:PassRole"},
		{"other IAM actions on a pattern", []string{"iam:CreateRole", "iam:GetRole"}, []string{"arn:aws:iam::*:role/app-*"}, nil, ""},
		{"a service pattern", []string{"iam:PassRole"}, []string{"arn:aws:iam::*:role/app-*"},
			map[string]map[string][]string{"StringLike": {"iam:PassedToService": {"*.amazonaws.com"}}}, "iam:PassRole"},
		{"a negated condition", []string{"iam:PassRole"}, []string{"arn:aws:iam::*:role/app-*"},
			map[string]map[string][]string{"StringNotEquals": {"iam:PassedToService": {"cloudformation.amazonaws.com"}}}, "iam:PassRole"},
		{"IfExists", []string{"iam:PassRole"}, []string{"arn:aws:iam::*:role/app-*"},
			map[string]map[string][]string{"StringEqualsIfExists": {"iam:PassedToService": {"lambda.amazonaws.com"}}}, "iam:PassRole"},
		{"another key", []string{"iam:PassRole"}, []string{"arn:aws:iam::*:role/app-*"},
			map[string]map[string][]string{"ArnLike": {"iam:AssociatedResourceArn": {"arn:aws:lambda:*:*:function:app-*"}}}, "iam:PassRole"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PassRoleWithoutService(tc.actions, tc.resources, tc.conditions); got != tc.want {
				t.Errorf("PassRoleWithoutService(%q, %q, %v) = %q, want %q", tc.actions, tc.resources, tc.conditions, got, tc.want)
			}
		})
	}
}

// TestAssumesRoles pins the actions with which a role may assume another
// role (role chaining) and act with that role's permissions instead of its
// own: sts:AssumeRole and its federated forms, however written.
func TestAssumesRoles(t *testing.T) {
	for _, tc := range []struct {
		actions []string
		want    string
	}{
		{[]string{"sts:AssumeRole"}, "sts:AssumeRole"},
		{[]string{"s3:GetObject", "STS:assumerole"}, "STS:assumerole"},
		{[]string{"sts:AssumeRole*"}, "sts:AssumeRole*"},
		{[]string{"sts:*"}, "sts:*"},
		{[]string{"sts:Assume?ole"}, "sts:Assume?ole"},
		{[]string{"s*:*"}, "s*:*"},
		{[]string{"sts:AssumeRoleWithWebIdentity"}, "sts:AssumeRoleWithWebIdentity"},
		{[]string{"sts:GetCallerIdentity", "sts:TagSession", "sts:DecodeAuthorizationMessage"}, ""},
		{[]string{"ssm:*"}, ""},
	} {
		if got := AssumesRoles(tc.actions); got != tc.want {
			t.Errorf("AssumesRoles(%q) = %q, want %q", tc.actions, got, tc.want)
		}
	}
}

// TestGuardsKeepAttachedPolicies: the customer managed policies attached to
// the execution roles may not be versioned, deleted or retagged by the
// guarded roles (a new default version would change what an execution role
// may do); AWS managed policies, which only AWS versions, are left out, and
// without a customer managed one there is no such statement. The boundary
// carries the same statement.
func TestGuardsKeepAttachedPolicies(t *testing.T) {
	const boundary = "arn:aws:iam::222222222222:policy/relay/payments/payments-staging-boundary"
	tests := []struct {
		name     string
		attached []string
		want     []string // the statement's resources; nil for none
	}{
		{"none", nil, nil},
		{"AWS managed only", []string{"arn:aws:iam::aws:policy/AWSLambda_FullAccess"}, nil},
		{"customer managed, twice, with an AWS managed one", []string{"arn:aws:iam::222222222222:policy/payments-deployer", "arn:aws:iam::aws:policy/ReadOnlyAccess",
			"arn:aws:iam::222222222222:policy/payments-base", "arn:aws:iam::222222222222:policy/payments-deployer"},
			[]string{"arn:aws:iam::222222222222:policy/payments-base", "arn:aws:iam::222222222222:policy/payments-deployer"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for doc, statements := range map[string][]Statement{
				"guards":   Guards("aws", "222222222222", boundary, "/relay/payments/", nil, nil, false, tc.attached...),
				"boundary": Boundary("aws", "222222222222", boundary, "/relay/payments/", nil, nil, tc.attached...),
			} {
				var got *Statement
				for i := range statements {
					if statements[i].Sid == AttachedPoliciesSid {
						got = &statements[i]
					}
				}
				switch {
				case tc.want == nil && got != nil:
					t.Errorf("%s: %s = %+v, want none", doc, AttachedPoliciesSid, *got)
				case tc.want != nil && got == nil:
					t.Errorf("%s: no %s, want one on %v", doc, AttachedPoliciesSid, tc.want)
				case got != nil:
					if !got.Deny || !slices.Equal(got.Resources, tc.want) || !slices.Contains(got.Actions, "iam:CreatePolicyVersion") || !slices.Contains(got.Actions, "iam:SetDefaultPolicyVersion") {
						t.Errorf("%s: %s = %+v, want a Deny of new versions on %v", doc, AttachedPoliciesSid, *got, tc.want)
					}
				}
			}
		})
	}
	if !slices.Contains(ExecutionRoleSids(false), AttachedPoliciesSid) {
		t.Errorf("ExecutionRoleSids(false) = %v, want %s among them (a caller's statement may not reuse it)", ExecutionRoleSids(false), AttachedPoliciesSid)
	}
}

// TestBoundaryHoldsAgainstOtherPrincipals: a role the workload creates under
// the boundary, with a policy that grants everything (the execution role
// writes its policy, and IAM cannot constrain what a policy says), cannot
// borrow a principal that has no boundary: give itself another role's trust
// or a user's credentials, change a group or a policy version that such a
// principal gets its rights from, assume a role of its account (such as the
// CDK bootstrap's deploy role, which trusts the account) or hand
// CloudFormation a service role (such as the bootstrap's cfn-exec-role). What
// the workload needs of it still passes: another account's role that trusts
// it, passing its own roles to Lambda, creating a role with the boundary.
func TestBoundaryHoldsAgainstOtherPrincipals(t *testing.T) {
	const (
		account  = "222222222222"
		boundary = "arn:aws:iam::222222222222:policy/relay/invoices/invoices-staging-boundary"
	)
	raw, err := json.Marshal(map[string]interface{}{"Version": "2012-10-17", "Statement": statementsJSON(Boundary("aws", account, boundary, "/relay/invoices/",
		[]string{StackArn("aws", "us-east-1", account, "invoices-staging"), StackArn("aws", "us-east-1", account, "invoices-production")}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	bound, err := iameval.ParseJSON("boundary", raw)
	if err != nil {
		t.Fatal(err)
	}
	everything, err := iameval.ParseJSON("inline", []byte(`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	trustsAccount, err := iameval.ParseJSON("trust", []byte(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	trustsAccountOf333 := trustsAccount // 333333333333's role, trusting 222222222222
	trustsRole, err := iameval.ParseJSON("trust", []byte(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/invoices-api-FnRole-1A2B3C"},"Action":"sts:AssumeRole"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	role := iameval.Principal{ARN: "arn:aws:iam::222222222222:role/invoices-api-FnRole-1A2B3C"}
	tests := []struct {
		name, action, resource string
		ctx                    map[string][]string
		resource3rd            *iameval.Policy // another account's trust policy
		want                   string
	}{
		{"trust of an administrator role", "iam:UpdateAssumeRolePolicy", "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyBorrowingOtherPrincipals)"},
		{"access key of a user", "iam:CreateAccessKey", "arn:aws:iam::222222222222:user/ops-admin", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyBorrowingOtherPrincipals)"},
		{"console password of a user", "iam:UpdateLoginProfile", "arn:aws:iam::222222222222:user/ops-admin", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyBorrowingOtherPrincipals)"},
		{"new console password", "iam:CreateLoginProfile", "arn:aws:iam::222222222222:user/ops-admin", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyBorrowingOtherPrincipals)"},
		{"service credential of a user", "iam:CreateServiceSpecificCredential", "arn:aws:iam::222222222222:user/ops-admin", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyBorrowingOtherPrincipals)"},
		{"SSH key of a user", "iam:UploadSSHPublicKey", "arn:aws:iam::222222222222:user/ops-admin", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyBorrowingOtherPrincipals)"},
		{"a group's policy", "iam:PutGroupPolicy", "arn:aws:iam::222222222222:group/developers", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyBorrowingOtherPrincipals)"},
		{"a group's managed policy", "iam:AttachGroupPolicy", "arn:aws:iam::222222222222:group/developers", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyBorrowingOtherPrincipals)"},
		{"a user into a group", "iam:AddUserToGroup", "arn:aws:iam::222222222222:group/admins", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyBorrowingOtherPrincipals)"},
		{"a version of another role's policy", "iam:CreatePolicyVersion", "arn:aws:iam::222222222222:policy/ops-automation", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyBorrowingOtherPrincipals)"},
		{"an older version of it", "iam:SetDefaultPolicyVersion", "arn:aws:iam::222222222222:policy/ops-automation", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyBorrowingOtherPrincipals)"},
		{"the CDK bootstrap's deploy role, which trusts the account", "sts:AssumeRole", "arn:aws:iam::222222222222:role/cdk-hnb659fds-deploy-role-222222222222-us-east-1", nil, &trustsAccount,
			"denied: explicit deny in the permissions boundary boundary (DenyAssumingBootstrapRoles)"},
		// aws-cdk-lib's aws-eks cluster handler (a role of the stack,
		// bounded) assumes the cluster's creation role, which trusts it.
		{"a role of its own stack that trusts it", "sts:AssumeRole", "arn:aws:iam::222222222222:role/invoices-api-ClusterCreationRole-5J6K7L", nil, &trustsRole,
			"allowed: inline (statement 0)"},
		// CloudFormation names a role without RoleName <stack>-<logical ID>-<suffix>:
		// in a workload stack named cdk-eks, the cluster's creation role starts
		// with cdk- and is no bootstrap role.
		{"a role of its own stack whose name starts with cdk-", "sts:AssumeRole", "arn:aws:iam::222222222222:role/cdk-eks-ClusterCreationRole-5J6K7L", nil, &trustsRole,
			"allowed: inline (statement 0)"},
		{"the CDK bootstrap's file-publishing role of another qualifier", "sts:AssumeRole", "arn:aws:iam::222222222222:role/cdk-team1-file-publishing-role-222222222222-eu-west-1", nil, &trustsAccount,
			"denied: explicit deny in the permissions boundary boundary (DenyAssumingBootstrapRoles)"},
		{"a service role to CloudFormation", "iam:PassRole", "arn:aws:iam::222222222222:role/cdk-hnb659fds-cfn-exec-role-222222222222-us-east-1",
			map[string][]string{"iam:PassedToService": {"cloudformation.amazonaws.com"}}, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyPassingRolesToCloudFormation)"},
		{"Relay's stack, which CloudFormation updates as the bootstrap's role", "cloudformation:UpdateStack",
			"arn:aws:cloudformation:us-east-1:222222222222:stack/invoices-staging/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyChangingRelayStacks)"},
		{"a change set of another environment's Relay stack", "cloudformation:CreateChangeSet",
			"arn:aws:cloudformation:us-east-1:222222222222:stack/invoices-production/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyChangingRelayStacks)"},
		{"a workload stack", "cloudformation:UpdateStack",
			"arn:aws:cloudformation:us-east-1:222222222222:stack/invoices-api/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d", nil, nil, "allowed: inline (statement 0)"},
		{"another account's role that trusts it", "sts:AssumeRole", "arn:aws:iam::333333333333:role/reports-reader", nil, &trustsAccountOf333,
			"allowed: trust (statement 0) and inline (statement 0)"},
		{"its own function role to Lambda", "iam:PassRole", "arn:aws:iam::222222222222:role/invoices-api-WorkerRole-4D5E6F",
			map[string][]string{"iam:PassedToService": {"lambda.amazonaws.com"}}, nil, "allowed: inline (statement 0)"},
		// Karpenter (v0.32 on) creates the instance profiles of its nodes
		// and puts the node role into them: its controller is a role of the
		// workload's stack, bounded. IAM asks for iam:PassRole on the role
		// too, which the boundary leaves to the role's policy.
		{"Karpenter's node role into its instance profile", "iam:AddRoleToInstanceProfile", "arn:aws:iam::222222222222:instance-profile/invoices_1234567890",
			nil, nil, "allowed: inline (statement 0)"},
		{"a role with the boundary", "iam:CreateRole", "arn:aws:iam::222222222222:role/invoices-api-QueueRole-7G8H9I",
			map[string][]string{"iam:PermissionsBoundary": {boundary}}, nil, "allowed: inline (statement 0)"},
		{"a role without it", "iam:CreateRole", "arn:aws:iam::222222222222:role/invoices-api-QueueRole-7G8H9I", nil, nil,
			"denied: explicit deny in the permissions boundary boundary (DenyWritesWithoutTheBoundary)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := iameval.Resource{Account: iameval.AccountOf(tc.resource), Policy: tc.resource3rd}
			got := iameval.Authorize(iameval.Request{Principal: role, Action: tc.action, Resource: tc.resource, Context: tc.ctx},
				iameval.Identity{Policies: []iameval.Policy{everything}, Boundary: &bound}, res).String()
			if got != tc.want {
				t.Errorf("%s on %s:\n got %s\nwant %s", tc.action, tc.resource, got, tc.want)
			}
		})
	}
}

// statementsJSON is statements as a policy document's Statement element.
func statementsJSON(statements []Statement) []interface{} {
	var out []interface{}
	for _, st := range statements {
		m := map[string]interface{}{"Sid": st.Sid, "Effect": "Allow", "Action": st.Actions, "Resource": st.Resources}
		if st.Deny {
			m["Effect"] = "Deny"
		}
		if len(st.Conditions) > 0 {
			m["Condition"] = st.Conditions
		}
		out = append(out, m)
	}
	return out
}

// TestGuardsKeepRelayStacks: an execution role whose statements grant
// CloudFormation on every stack (nested stacks, say) may still not change
// Relay's own stacks of its account, which CloudFormation would change as
// the CDK bootstrap's role; without Relay stacks there is no such statement.
func TestGuardsKeepRelayStacks(t *testing.T) {
	const boundary = "arn:aws:iam::222222222222:policy/relay/payments/payments-staging-boundary"
	team, err := iameval.ParseJSON("team", []byte(`{"Statement":[{"Effect":"Allow","Action":"cloudformation:*","Resource":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	execRole := iameval.Principal{ARN: "arn:aws:iam::222222222222:role/relay/payments/payments-staging-cfn-exec"}
	tests := []struct {
		name     string
		stacks   []string
		resource string
		want     string
	}{
		{"the environment's Relay stack", []string{StackArn("aws", "us-east-1", "222222222222", "payments-staging")},
			"arn:aws:cloudformation:us-east-1:222222222222:stack/payments-staging/1", "denied: explicit deny in guards (DenyChangingRelayStacks)"},
		{"the same name in another region", []string{StackArn("aws", "us-east-1", "222222222222", "payments-staging")},
			"arn:aws:cloudformation:eu-west-1:222222222222:stack/payments-staging/1", "allowed: team (statement 0)"},
		{"a workload stack", []string{StackArn("aws", "us-east-1", "222222222222", "payments-staging")},
			"arn:aws:cloudformation:us-east-1:222222222222:stack/payments-app/1", "allowed: team (statement 0)"},
		{"no Relay stacks named", nil,
			"arn:aws:cloudformation:us-east-1:222222222222:stack/payments-staging/1", "allowed: team (statement 0)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := json.Marshal(map[string]interface{}{"Statement": statementsJSON(Guards("aws", "222222222222", boundary, "/relay/payments/", tc.stacks, nil, true))})
			if err != nil {
				t.Fatal(err)
			}
			guards, err := iameval.ParseJSON("guards", raw)
			if err != nil {
				t.Fatal(err)
			}
			got := iameval.Authorize(iameval.Request{Principal: execRole, Action: "cloudformation:UpdateStack", Resource: tc.resource},
				iameval.Identity{Policies: []iameval.Policy{guards, team}}, iameval.Resource{Account: "222222222222"}).String()
			if got != tc.want {
				t.Errorf("UpdateStack on %s:\n got %s\nwant %s", tc.resource, got, tc.want)
			}
		})
	}
	if !slices.Contains(ExecutionRoleSids(false), RelayStacksSid) {
		t.Errorf("ExecutionRoleSids(false) = %v, want %s among them (a caller's statement may not reuse it)", ExecutionRoleSids(false), RelayStacksSid)
	}
}

// TestChangesStacks: every way of writing an action that makes
// CloudFormation change an existing stack as its service role; creating a
// stack names its role (iam:PassRole) or runs as the caller, and reads
// change nothing.
func TestChangesStacks(t *testing.T) {
	for _, tc := range []struct {
		actions []string
		want    string
	}{
		{[]string{"cloudformation:DescribeStacks", "cloudformation:UpdateStack"}, "cloudformation:UpdateStack"},
		{[]string{"CloudFormation:execute*"}, "CloudFormation:execute*"},
		{[]string{"cloudformation:*"}, "cloudformation:*"},
		{[]string{"*"}, "*"},
		{[]string{"cloudformation:ContinueUpdateRollback"}, "cloudformation:ContinueUpdateRollback"},
		{[]string{"cloudformation:CreateStack", "cloudformation:Describe*", "cloudformation:GetTemplate"}, ""},
		{[]string{"s3:GetObject"}, ""},
	} {
		if got := ChangesStacks(tc.actions); got != tc.want {
			t.Errorf("ChangesStacks(%q) = %q, want %q", tc.actions, got, tc.want)
		}
	}
}

// TestToolingGuard: with the pipeline's resources of the tooling account,
// the guards (and so the boundary) deny writes to them; without, nothing is
// added; a caller's statement may not reuse the Sid.
func TestToolingGuard(t *testing.T) {
	const boundary = "arn:aws:iam::111111111111:policy/relay/shop/shop-dev-boundary"
	tooling := []string{"arn:aws:codebuild:*:111111111111:project/shop-*", "arn:aws:s3:::shop-artifacts-111111111111-*"}
	for _, tt := range []struct {
		name    string
		tooling []string
		want    *Statement
	}{
		{"an account that is not the tooling account", nil, nil},
		{"the tooling account", tooling, &Statement{Sid: ToolingSid, Deny: true, Actions: ToolingWrites, Resources: tooling}},
	} {
		for doc, sts := range map[string][]Statement{
			"guards":   Guards("aws", "111111111111", boundary, "/relay/shop/", nil, tt.tooling, false),
			"boundary": Boundary("aws", "111111111111", boundary, "/relay/shop/", nil, tt.tooling),
		} {
			i := slices.IndexFunc(sts, func(s Statement) bool { return s.Sid == ToolingSid })
			switch {
			case tt.want == nil && i >= 0:
				t.Errorf("%s: %s: %s = %+v, want none", tt.name, doc, ToolingSid, sts[i])
			case tt.want != nil && i < 0:
				t.Errorf("%s: %s: no %s, want %+v", tt.name, doc, ToolingSid, *tt.want)
			case tt.want != nil && !reflect.DeepEqual(sts[i], *tt.want):
				t.Errorf("%s: %s: %s = %+v, want %+v", tt.name, doc, ToolingSid, sts[i], *tt.want)
			}
		}
	}
	if !slices.Contains(ExecutionRoleSids(false), ToolingSid) {
		t.Errorf("ExecutionRoleSids(false) = %v, want %s among them (a caller's statement may not reuse it)", ExecutionRoleSids(false), ToolingSid)
	}
}
