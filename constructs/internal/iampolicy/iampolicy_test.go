package iampolicy

import "testing"

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
