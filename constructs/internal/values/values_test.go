package values_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/relaycdk/relay/constructs/internal/values"
)

func TestOptional(t *testing.T) {
	if got := values.Optional(""); got != nil {
		t.Errorf("Optional(\"\") = %q, want nil", *got)
	}
	for _, s := range []string{"x", " ", "payments"} {
		got := values.Optional(s)
		if got == nil || *got != s {
			t.Errorf("Optional(%q) = %v, want a pointer to %q", s, got, s)
		}
	}
}

func TestOneOrMany(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want interface{}
	}{
		{"one is a scalar", []string{"s3:GetObject"}, "s3:GetObject"},
		{"two are a list", []string{"s3:GetObject", "s3:PutObject"}, []string{"s3:GetObject", "s3:PutObject"}},
		{"order is kept", []string{"b", "a", "b"}, []string{"b", "a", "b"}},
		{"empty stays a list", []string{}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, values.OneOrMany(tt.in)); diff != "" {
				t.Errorf("OneOrMany(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestSortedUnique(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"nil", nil, nil},
		{"empty", []string{}, nil},
		{"one", []string{"a"}, []string{"a"}},
		{"sorted", []string{"a", "b", "c"}, []string{"a", "b", "c"}},
		{"reversed", []string{"c", "b", "a"}, []string{"a", "b", "c"}},
		{"adjacent duplicates", []string{"a", "a", "b", "b"}, []string{"a", "b"}},
		{"scattered duplicates", []string{"b", "a", "c", "a", "b"}, []string{"a", "b", "c"}},
		{"all the same", []string{"x", "x", "x"}, []string{"x"}},
		{"byte order: upper case first", []string{"b", "B", "a", "A"}, []string{"A", "B", "a", "b"}},
		{"empty string kept once", []string{"a", "", ""}, []string{"", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]string(nil), tt.in...)
			got := values.SortedUnique(in)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("SortedUnique(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if diff := cmp.Diff(tt.in, in, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("SortedUnique modified its input (-before +after):\n%s", diff)
			}
			if len(got) > 0 {
				got[0] = "changed"
				if diff := cmp.Diff(tt.in, in, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("SortedUnique's result shares memory with its input (-before +after):\n%s", diff)
				}
			}
		})
	}
}

func TestIsAccount(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"111111111111", true},
		{"012345678901", true},
		{"000000000000", true},
		{"", false},
		{"11111111111", false},   // 11 digits
		{"1111111111111", false}, // 13 digits
		{"11111111111a", false},
		{"-11111111111", false},
		{" 11111111111", false},
		{"111111111111\n", false},
		{"1111111111é", false}, // 12 bytes, one of them not a digit
		{"１１１１１１１１１１１１", false},
	}
	for _, tt := range tests {
		if got := values.IsAccount(tt.in); got != tt.want {
			t.Errorf("IsAccount(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestAccountRule(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"111111111111", ""},
		{"11111111111", "must be a 12-digit account ID"},
		{"", "must be a 12-digit account ID"},
		{"${Token[TOKEN.12]}", "is a token, known only at deploy (such as a CfnParameter, Fn.importValue or Aws.ACCOUNT_ID), and the roles' ARNs and trust need it at synth: give the 12-digit account ID as text"},
		{"${Token[AWS.AccountId.8]}", "is a token, known only at deploy (such as a CfnParameter, Fn.importValue or Aws.ACCOUNT_ID), and the roles' ARNs and trust need it at synth: give the 12-digit account ID as text"},
	}
	for _, tt := range tests {
		if got := values.AccountRule(tt.in); got != tt.want {
			t.Errorf("AccountRule(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIAMWrite(t *testing.T) {
	for action, want := range map[string]bool{
		"iam:CreateRole": true, "iam:*": true, "iam:Pass*": true, "iam:PassRol?": true, "iam:AttachRolePolicy": true,
		"IAM:createrole": true, "*": true, "*:*": true, "i*:Tag*": true, "?am:PutRolePolicy": true,
		"iam:PassRole": false, "iam:passrole": false, "iam:GetRole": false, "iam:Get*": false, "iam:list*": false,
		"iam:GenerateCredentialReport": false, "iam:SimulatePrincipalPolicy": false,
		"s3:*": false, "s*:*": false, "ec2:Describe*": false, "sts:AssumeRole": false,
	} {
		if got := values.IAMWrite(action); got != want {
			t.Errorf("IAMWrite(%q) = %v, want %v", action, got, want)
		}
	}
}

// TestFreeTextReference pins which variables carry text chosen outside the
// release (refused inside JSON documents of action configurations).
func TestFreeTextReference(t *testing.T) {
	for _, tt := range []struct{ in, ref, who string }{
		{"#{variables.tag}", "#{variables.tag}", "whoever starts the execution"},
		{"v-#{SourceVariables.CommitId}-#{SourceVariables.CommitMessage}", "#{SourceVariables.CommitMessage}", "whoever pushes the commit"},
		{"#{SourceVariables_schemas.BranchName}", "#{SourceVariables_schemas.BranchName}", "whoever pushes the commit"},
		{"#{SourceVariables.AuthorDisplayName}", "#{SourceVariables.AuthorDisplayName}", "whoever pushes the commit"},
		{"#{SourceVariables.CommitId} #{SourceVariables.VersionId} #{SourceVariables.ImageDigest}", "", ""},
		{"#{BuildVariables.TAG} #{Deploy_staging_us-east-1.Url} #{codepipeline.PipelineExecutionId}", "", ""},
		{"no reference", "", ""},
		// A CodeCommit source's BranchName is the branch it watches:
		// known at synth (SourceFixedVariables below), not free text.
		{"#{SourceVariables_settings.BranchName} #{SourceVariables.BranchName}", "#{SourceVariables.BranchName}", "whoever pushes the commit"},
		{"#{SourceVariables_settings.BranchName} #{SourceVariables_settings.CommitMessage}", "#{SourceVariables_settings.CommitMessage}", "whoever pushes the commit"},
	} {
		fixed := map[string]bool{}
		values.SourceFixedVariables(fixed, "SourceVariables_settings", "release/2026")
		values.SourceFixedVariables(fixed, "SourceVariables_quoted", `a"b`)
		values.SourceFixedVariables(fixed, "SourceVariables", "")
		if ref, who := values.FreeTextReference(tt.in, fixed); ref != tt.ref || who != tt.who {
			t.Errorf("FreeTextReference(%q) = %q, %q; want %q, %q", tt.in, ref, who, tt.ref, tt.who)
		}
	}
	if ref, _ := values.FreeTextReference("#{SourceVariables_quoted.BranchName}", map[string]bool{}); ref == "" {
		t.Error("a branch name with a quote must stay free text")
	}
	fixed := map[string]bool{}
	values.SourceFixedVariables(fixed, "SourceVariables_quoted", `a"b`)
	values.SourceFixedVariables(fixed, "SourceVariables_slash", `a\b`)
	if len(fixed) != 0 {
		t.Errorf("SourceFixedVariables took a branch name that a JSON string cannot hold as it is: %v", fixed)
	}
	for in, want := range map[string]bool{`{"a": "#{variables.x}"}`: true, ` [#{variables.x}]`: true, `{"a": #{variables.n}}`: true, "tag=#{variables.x}": false, "#{variables.x}": false} {
		if got := values.JSONDocument(in); got != want {
			t.Errorf("JSONDocument(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestPseudoParameter(t *testing.T) {
	for in, want := range map[string]string{
		"arn:${AWS::Partition}:s3:::b/*":          "${AWS::Partition}",
		"arn:aws:iam::${AWS::AccountId}:role/x":   "${AWS::AccountId}",
		"arn:aws:s3:::b/${aws:username}/*":        "",
		"arn:aws:iam::${account}:role/x":          "",
		"arn:aws:logs:${region}:1:log-group:x:*":  "",
		"arn:aws:s3:::b/${AWS::}":                 "",
		"arn:aws:sqs:us-east-1:111111111111:q${}": "",
	} {
		if got := values.PseudoParameter(in); got != want {
			t.Errorf("PseudoParameter(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGitBranch(t *testing.T) {
	for _, tt := range []struct {
		branch string
		want   bool
	}{
		{"main", true}, {"feature/café-'x'_1.2", true}, {"release-1.0", true}, {"a@b", true},
		{"", false}, {"@", false}, {"release:1", false}, {"feature/*", false}, {"a b", false}, {"a\nb", false},
		{"a~1", false}, {"a^", false}, {"a?", false}, {"a[1]", false}, {`a\b`, false}, {"a..b", false},
		{"a@{1}", false}, {"a//b", false}, {"a/", false}, {"a.", false}, {".a", false}, {"a/.b", false},
		{"a.lock", false}, {"a.lock/b", false}, {"a\x7f", false},
	} {
		if got := values.GitBranch(tt.branch); got != tt.want {
			t.Errorf("GitBranch(%q) = %v, want %v", tt.branch, got, tt.want)
		}
	}
}

func TestTriggerPattern(t *testing.T) {
	const lineBreak = `: CodePipeline takes a trigger pattern on one line (its API's pattern .*, https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GitBranchFilterCriteria.html) and refuses the pipeline otherwise; remove it`
	const gitRefuses = `: git refuses control characters, space, ~ ^ and : in branch and tag names (https://git-scm.com/docs/git-check-ref-format), so the pattern matches no push and never starts the pipeline; remove it`
	for _, tt := range []struct {
		pattern string
		ref     bool
		want    string
	}{
		{"release/*", true, ""},
		{"release/**", true, ""},
		{"v[0-9]*", true, ""},
		{"café/中", true, ""},
		{"src/my file.txt", false, ""},
		{"src/\tx", false, ""},
		{"main\n", true, "holds a line break (U+000A at byte 4)" + lineBreak},
		{"src/**\r", false, "holds a line break (U+000D at byte 6)" + lineBreak},
		{"\nsrc/**", false, "holds a line break (U+000A at byte 0)" + lineBreak},
		{"main\t", true, "holds U+0009 at byte 4" + gitRefuses},
		{" main", true, "holds U+0020 at byte 0" + gitRefuses},
		{"é~1", true, "holds U+007E at byte 2" + gitRefuses},
		{"a^", true, "holds U+005E at byte 1" + gitRefuses},
		{"v1:2", true, "holds U+003A at byte 2" + gitRefuses},
		{"a\x7f", true, "holds U+007F at byte 1" + gitRefuses},
	} {
		if got := values.TriggerPattern(tt.pattern, tt.ref); got != tt.want {
			t.Errorf("TriggerPattern(%q, %v) =\n  %s\nwant\n  %s", tt.pattern, tt.ref, got, tt.want)
		}
	}
}

func TestVariableTemplate(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		replaced bool
	}{
		{"#{variables.tag}", "%{relay.variables.tag}", true},
		{"v-#{variables.tag}-#{SourceVariables.CommitId}-#{variables.env}", "v-%{relay.variables.tag}-#{SourceVariables.CommitId}-%{relay.variables.env}", true},
		{"#{SourceVariables.CommitId}", "#{SourceVariables.CommitId}", false},
		{"#{Build.IMAGE}", "#{Build.IMAGE}", false},
		{"plain", "plain", false},
	} {
		got, replaced := values.VariableTemplate(tc.in)
		if got != tc.want || replaced != tc.replaced {
			t.Errorf("VariableTemplate(%q) = %q, %v; want %q, %v", tc.in, got, replaced, tc.want, tc.replaced)
		}
	}
}
