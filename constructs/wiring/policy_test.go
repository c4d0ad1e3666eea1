package wiring

import "testing"

// h is an unresolved part, as the resolver writes it.
func h(what string) string { return string(holeStart) + "test|" + what + string(holeEnd) }

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		name, pattern, text string
		want                match
	}{
		{"literal", "arn:aws:iam::111111111111:role/a", "arn:aws:iam::111111111111:role/a", yes},
		{"literal differs", "arn:aws:iam::111111111111:role/a", "arn:aws:iam::111111111111:role/b", no},
		{"star", "arn:aws:iam::*:role/relay/x/x-*-deploy", "arn:aws:iam::222222222222:role/relay/x/x-staging-deploy", yes},
		{"star needs the suffix", "arn:aws:iam::*:role/x-*-deploy", "arn:aws:iam::222222222222:role/x-staging-invoke", no},
		{"question mark is one character", "s3:Get?bject", "s3:GetObject", yes},
		{"question mark is not two", "a?c", "abbc", no},
		{"star covers an open account", "arn:aws:iam::*:role/x-deploy", "arn:aws:iam::" + h("account in ou-1") + ":role/x-deploy", yes},
		{"star covers an open key ID", "arn:aws:kms:eu-west-1:111111111111:key/*", "arn:aws:kms:eu-west-1:111111111111:key/" + h("key ID"), yes},
		{"a literal cannot be sure of an open part", "arn:aws:iam::111111111111:role/x", "arn:" + h("AWS::Partition") + ":iam::111111111111:role/x", maybe},
		{"an open part cannot rescue a literal mismatch", "arn:aws:iam::111111111111:role/x", "arn:" + h("AWS::Partition") + ":iam::222222222222:role/x", no},
		{"a pattern with an open part is not sure of a resolved text", "arn:" + h("AWS::Partition") + ":s3:::b/*", "arn:aws:s3:::b/key", maybe},
		{"the same open part on both sides is the same value", "arn:aws:s3:::" + h("generated name of B") + "/*", "arn:aws:s3:::" + h("generated name of B") + "/" + h("object key"), yes},
		{"different open parts are not sure", "arn:aws:s3:::" + h("generated name of B") + "/*", "arn:aws:s3:::" + h("generated name of C") + "/x", maybe},
		{"a pattern with an open part can still miss", "arn:" + h("AWS::Partition") + ":s3:::b/*", "arn:aws:s3:::c/key", no},
		{"star alone", "*", "anything at all " + h("x"), yes},
		{"an open part equals itself", h("name"), h("name"), yes},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := globMatch(tc.pattern, tc.text); got != tc.want {
				t.Errorf("globMatch(%q, %q) = %v, want %v", Display(tc.pattern), Display(tc.text), got, tc.want)
			}
		})
	}
}

func TestStatementActions(t *testing.T) {
	tests := []struct {
		name   string
		st     Statement
		action string
		want   bool
	}{
		{"exact", Statement{Actions: []string{"sts:AssumeRole"}}, "sts:AssumeRole", true},
		{"case-insensitive", Statement{Actions: []string{"STS:assumerole"}}, "sts:AssumeRole", true},
		{"service wildcard", Statement{Actions: []string{"sts:*"}}, "sts:AssumeRole", true},
		{"prefix wildcard", Statement{Actions: []string{"s3:Get*"}}, "s3:GetObject", true},
		{"other action", Statement{Actions: []string{"sts:TagSession"}}, "sts:AssumeRole", false},
		{"NotAction excludes", Statement{NotActions: []string{"sts:*"}}, "sts:AssumeRole", false},
		{"NotAction admits the rest", Statement{NotActions: []string{"iam:*"}}, "sts:AssumeRole", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.st.allowsAction(tc.action); got != tc.want {
				t.Errorf("allowsAction(%q) = %v, want %v", tc.action, got, tc.want)
			}
		})
	}
}

func TestAccessWords(t *testing.T) {
	tests := []struct {
		actions []string
		reps    accessReps
		want    string
	}{
		{[]string{"s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"}, s3Access, "read"},
		{[]string{"s3:GetObject*", "s3:PutObject"}, s3Access, "read/write"},
		{[]string{"s3:PutObject"}, s3Access, "write"},
		{[]string{"s3:*"}, s3Access, "full"},
		{[]string{"*"}, s3Access, "full"},
		{[]string{"kms:Decrypt", "kms:DescribeKey"}, kmsAccess, "read"},
		{[]string{"kms:Decrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"}, kmsAccess, "read/write"},
		{[]string{"kms:DescribeKey"}, kmsAccess, "kms:DescribeKey"},
	}
	for _, tc := range tests {
		var a access
		a.add(tc.reps, Statement{Actions: tc.actions})
		if got := a.String(); got != tc.want {
			t.Errorf("%v: access %q, want %q", tc.actions, got, tc.want)
		}
	}
}
