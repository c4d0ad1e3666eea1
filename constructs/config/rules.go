package config

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// Rules shared by several sections. Each rule is pure: it takes a value
// (and the context it needs) and returns "" when the value is valid, or what
// is wrong and how to fix it.

// listNameRule checks the name of list[i]: a short name, unique in the
// list. first maps each valid name to its first index and is updated.
func listNameRule(first map[string]int, list string, i int, name, example, kind string) string {
	if !values.EntryName(name) {
		return "must be 2 to 31 lowercase letters, digits and hyphens, starting with a letter, such as " + example
	}
	if j, dup := first[name]; dup {
		return fmt.Sprintf("duplicate of %s[%d].name; give each %s a unique name", list, j, kind)
	}
	first[name] = i
	return ""
}

// countSet counts the true values.
func countSet(set ...bool) int {
	n := 0
	for _, b := range set {
		if b {
			n++
		}
	}
	return n
}

// accountRule checks an account ID; what describes it in the "required"
// message.
func accountRule(s, what string) string {
	switch {
	case s == "":
		return "required; set " + what
	case !values.IsAccount(s):
		return `must be exactly 12 digits, such as "123456789012"`
	}
	return ""
}

// regionRule checks a region name; what describes it in the "required"
// message.
func regionRule(s, what string) string {
	if s == "" {
		return "required; set " + what
	}
	if _, ok := Partition(s); !ok {
		return "unknown AWS region; use a region code such as us-east-1 or eu-west-1"
	}
	return ""
}

// partitionRule checks that partition p is the partition of toolingRegion,
// and ends its message with fix. An unknown tooling region is reported at
// tooling.region alone.
func partitionRule(p, toolingRegion, fix string) string {
	tp, ok := Partition(toolingRegion)
	if !ok || p == tp {
		return ""
	}
	return fmt.Sprintf("partition %q does not match partition %q of tooling.region %s; %s", p, tp, toolingRegion, fix)
}

// pathRule checks a file path relative to root; def is its default.
func pathRule(s, def, root string) string {
	switch {
	case s == "":
		return fmt.Sprintf("must not be empty; set a path relative to %s, or omit it to use the default %s", root, def)
	case strings.HasPrefix(s, "/") || strings.HasPrefix(s, `\`):
		return fmt.Sprintf("must be relative to %s, such as %s", root, def)
	case strings.Contains(s, ".."):
		return fmt.Sprintf(`must not contain ".."; use a path inside %s, such as %s`, root, def)
	case strings.ContainsAny(s, "\n\r"):
		return fmt.Sprintf("must be a path on one line, relative to %s, such as %s", root, def)
	}
	return ""
}

// pathValue is pathRule for a path that an action takes as it is, as one
// action configuration value (the ECS action's FileName, the CodeDeployToECS
// action's TaskDefinitionTemplatePath and AppSpecTemplatePath, the Step
// Functions action's Input file): the path's own rule first, then
// CodePipeline's 1,000 characters per value, so that config refuses a long
// path with its line rather than the written template without one.
func pathValue(s, def, root string) (value, problem string) {
	return actionValue(s, pathRule(s, def, root), "shorten the path")
}

func oneOfRule(s string, allowed []string) string {
	if !slices.Contains(allowed, s) {
		return "must be one of " + strings.Join(allowed, ", ")
	}
	return ""
}

func branchRule(s string) string {
	switch {
	case s == "":
		return "must not be empty; set a branch, or omit it to use the default " + defaultBranch
	case strings.ContainsFunc(s, unicode.IsSpace):
		return "must not contain whitespace; write the branch name as git shows it"
	case strings.HasPrefix(s, "-"):
		return "must not start with '-'; write the branch name as git shows it"
	case strings.HasPrefix(s, "refs/"):
		return "must be a branch name without the refs/ prefix, such as main"
	case strings.Contains(s, "#{"):
		// Git takes it, but CodePipeline reads #{ in an action's
		// configuration as a variable reference, never as a name.
		return values.BranchReferenceRule
	case !values.GitBranch(s):
		return "is not a git branch name: git refuses ~ ^ : ? * [ \\ and control characters, \"..\", \"@{\", \"//\", a part that starts with '.' or ends with .lock, and a trailing '/' or '.' (https://git-scm.com/docs/git-check-ref-format), so no repository has it and the source action would fail; write the branch name as git shows it"
	}
	return ""
}

// bucketRule checks an S3 bucket name.
func bucketRule(s string) string {
	if !values.BucketName(s) {
		return "must be an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens"
	}
	return ""
}

// actionValue checks s, a config value that CodePipeline takes verbatim as
// one action configuration value (a source's branch, repository or
// connection ARN, an S3 object key): at most limits.ActionConfiguration
// (1,000) characters (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html).
// It returns the value to report (its length, "1001 characters", when too
// long, else s) and rule, or when rule is "" and s is too long, the length
// rule with fix; a longer value used to synthesize and be refused only after
// aws-cdk-lib ran, without the config's line.
func actionValue(s, rule, fix string) (value, problem string) {
	if rule != "" {
		return s, rule
	}
	if n, max := utf8.RuneCountInString(s), limits.Max(limits.ActionConfiguration); n > max {
		return fmt.Sprintf("%d characters", n), fmt.Sprintf("CodePipeline takes at most %d characters per action configuration value (%s); %s", max, limits.ByID(limits.ActionConfiguration).Source, fix)
	}
	return s, ""
}
