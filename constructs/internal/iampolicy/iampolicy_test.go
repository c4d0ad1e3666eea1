package iampolicy

import (
	"slices"
	"testing"
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
				"guards":   Guards("aws", "222222222222", boundary, "/relay/payments/", false, tc.attached...),
				"boundary": Boundary("aws", "222222222222", boundary, "/relay/payments/", tc.attached...),
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
