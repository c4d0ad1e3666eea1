// Package values holds the small conversions between plain Go props and the
// values that aws-cdk-lib takes, shared by Relay's construct packages. It
// imports no jsii.
package values

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Optional is nil for "" (so that CDK applies its default) and a pointer to
// s otherwise (what jsii.String returns). The package stays free of jsii, so
// that pure packages such as plan may use it.
func Optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// OneOrMany renders a single value as a scalar and several as a list, the
// way IAM policies are usually written.
func OneOrMany(v []string) interface{} {
	if len(v) == 1 {
		return v[0]
	}
	return v
}

// SortedUnique returns a sorted copy of v without duplicates, so that
// policies render the same whatever the order of the input.
func SortedUnique(v []string) []string {
	out := append([]string(nil), v...)
	sort.Strings(out)
	n := 0
	for i, s := range out {
		if i == 0 || s != out[n-1] {
			out[n] = s
			n++
		}
	}
	return out[:n]
}

// IsAccount reports whether s is a 12-digit AWS account ID.
func IsAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// AccountRule is "" when s is a 12-digit AWS account ID, and otherwise what
// is wrong with it: a token (an aws-cdk-lib token such as a CfnParameter's
// value, an import or Aws.ACCOUNT_ID, known only at deploy) needs the ID as
// text, since trust policies and role ARNs are written at synth; anything
// else must be 12 digits.
func AccountRule(s string) string {
	switch {
	case IsAccount(s):
		return ""
	case IsToken(s):
		return "is a token, known only at deploy (such as a CfnParameter, Fn.importValue or Aws.ACCOUNT_ID), and the roles' ARNs and trust need it at synth: give the 12-digit account ID as text"
	}
	return "must be a 12-digit account ID"
}

// IsToken reports whether s holds an unresolved aws-cdk-lib token.
func IsToken(s string) bool {
	return strings.Contains(s, "${Token[") || strings.Contains(s, "#{Token[")
}

// IAMWrite reports whether an IAM policy action (such as iam:CreateRole,
// iam:* or *) may write IAM: any action of a service pattern that matches
// iam ("*", "i*") and any iam: action but the reads (Get*, List*,
// Generate*, Simulate*) and iam:PassRole, which policies bound by naming
// the roles passed. Action names are case-insensitive in IAM, and so here.
func IAMWrite(action string) bool {
	service, name, _ := strings.Cut(action, ":")
	if strings.ContainsAny(service, "*?") {
		return wildcardMatch(strings.ToLower(service), "iam")
	}
	if !strings.EqualFold(service, "iam") || strings.EqualFold(name, "PassRole") {
		return false
	}
	for _, read := range []string{"Get", "List", "Generate", "Simulate"} {
		if len(name) > len(read) && strings.EqualFold(name[:len(read)], read) {
			return false
		}
	}
	return true
}

// wildcardMatch reports whether pattern (with IAM's * and ?) matches s.
func wildcardMatch(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if wildcardMatch(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && wildcardMatch(pattern[1:], s[1:])
	}
	return s != "" && s[0] == pattern[0] && wildcardMatch(pattern[1:], s[1:])
}

// GitBranch reports whether s is a branch name git can hold, by the rules of
// git check-ref-format (https://git-scm.com/docs/git-check-ref-format): no
// control characters, space, ~ ^ : ? * [ or \, no "..", "@{" or "//", no
// part that starts with '.' or ends with .lock, no trailing '/' or '.', and
// not "@". A branch git refuses exists in no repository, so a source action
// that checks it out fails on its first run.
func GitBranch(s string) bool {
	if s == "" || s == "@" || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || strings.ContainsRune("~^:?*[\\", r) }) ||
		strings.Contains(s, "..") || strings.Contains(s, "@{") || strings.HasSuffix(s, ".") {
		return false
	}
	for _, part := range strings.Split(s, "/") {
		if part == "" || strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock") {
			return false
		}
	}
	return true
}

// BranchReferenceRule is the rule for a branch name holding #{: git takes
// it, but CodePipeline reads #{ in an action's configuration as the start
// of a variable reference, so the action would watch or push a run-time
// value, not the named branch. Config and the release plan share it.
const BranchReferenceRule = "holds #{, which CodePipeline reads as the start of a variable reference in the action's configuration (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html), not as part of a branch name; name the branch without it"

// AlarmName reports whether s can be a CloudWatch alarm's name: 1 to 255
// characters (not bytes), none of them an ASCII control character
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html,
// AlarmName). No alarm has another name, so CodeDeploy's alarm
// configuration or a stage's CloudWatchAlarm rule that names one could
// never read it.
func AlarmName(s string) bool {
	return s != "" && utf8.RuneCountInString(s) <= 255 && !strings.ContainsFunc(s, unicode.IsControl)
}

// IAMPolicyCharactersSource is the IAM API page that states the characters
// a policy document may hold (PutRolePolicy's PolicyDocument pattern).
const IAMPolicyCharactersSource = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html"

// PolicyTextRule is "" when IAM takes every character of s in a policy
// document (PolicyText), and otherwise the first character it refuses, its
// byte offset and IAM's rule, followed by fix.
func PolicyTextRule(s, fix string) string {
	if r, at, ok := PolicyText(s); !ok {
		return fmt.Sprintf("holds %q (%U) at byte %d, which IAM refuses in a policy document: it takes printable characters through U+00FF (Basic Latin and Latin-1 Supplement) only (%s); %s", string(r), r, at, IAMPolicyCharactersSource, fix)
	}
	return ""
}

// PolicyText returns the first character of s that IAM refuses in a policy
// document, and its byte offset: IAM takes printable characters through
// U+00FF (Basic Latin and Latin-1 Supplement), tab, line feed and carriage
// return only (IAMPolicyCharactersSource), and refuses the whole policy,
// so the role, otherwise. ok is true when s has none.
func PolicyText(s string) (r rune, at int, ok bool) {
	for i, c := range s {
		if c > 0xFF || unicode.IsControl(c) && c != '\t' && c != '\n' && c != '\r' {
			return c, i, false
		}
	}
	return 0, 0, true
}

// TriggerPatternSource is the CodePipeline API page that states what a push
// trigger's glob pattern may hold: 1 to 255 characters matching the pattern
// .*, which takes no line break (GitFilePathFilterCriteria and
// GitTagFilterCriteria state the same).
const TriggerPatternSource = "https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GitBranchFilterCriteria.html"

// TriggerPattern returns what makes s, one glob pattern of a push trigger's
// branch, tag (ref true) or file path (ref false) list, unusable, as a
// phrase ("holds a line break ..."), or "" when s is usable. CodePipeline
// refuses the pipeline when a pattern holds a line break (\n or \r: its
// API's pattern .* matches none; TriggerPatternSource). Git refuses
// control characters, space, ~ ^ and : in every branch and tag name
// (https://git-scm.com/docs/git-check-ref-format), so a branch or tag
// pattern that holds one matches no push and its trigger never starts the
// pipeline. The pattern's length is its caller's rule.
func TriggerPattern(s string, ref bool) string {
	if i := strings.IndexAny(s, "\n\r"); i >= 0 {
		return fmt.Sprintf("holds a line break (%U at byte %d): CodePipeline takes a trigger pattern on one line (its API's pattern .*, %s) and refuses the pipeline otherwise; remove it", rune(s[i]), i, TriggerPatternSource)
	}
	if !ref {
		return ""
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || strings.ContainsRune("~^:", r) }); i >= 0 {
		return fmt.Sprintf("holds %U at byte %d: git refuses control characters, space, ~ ^ and : in branch and tag names (https://git-scm.com/docs/git-check-ref-format), so the pattern matches no push and never starts the pipeline; remove it", []rune(s[i:])[0], i)
	}
	return ""
}
