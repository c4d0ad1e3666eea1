package values

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// VariableRef matches a CodePipeline variable reference #{namespace.name},
// capturing the namespace and the name.
var VariableRef = regexp.MustCompile(`#\{([^.}]*)\.([^}]*)\}`)

// LineBreaks are the characters that end a line for a Java-style pattern
// ".": line feed, carriage return, next line, and the line and paragraph
// separators. CodePipeline checks a variable's default and description with
// .* (PipelineVariableDeclaration), and IAM refuses a resource ARN holding
// one.
const LineBreaks = "\n\r\u0085\u2028\u2029"

// fixedShapeSourceVariables are the source variables whose values have a
// fixed shape without quotes, backslashes or line breaks (commit IDs and
// dates, ARNs, repository names, S3 version IDs and ETags, ECR digests,
// tags and URIs). Every other source variable (CommitMessage,
// AuthorDisplayName, AuthorEmail, BranchName: a git branch may contain a
// quote) is text its author chooses.
// Source: https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html
var fixedShapeSourceVariables = []string{"AuthorDate", "CommitId", "CommitterDate", "ConnectionArn", "ETag",
	"FullRepositoryName", "ImageDigest", "ImageTag", "ImageURI", "ProviderType", "RegistryId", "RepositoryName", "VersionId"}

// FreeTextReference returns the first CodePipeline variable reference in s
// (#{namespace.name}) whose value is free text written outside the
// release, and who chooses it: a pipeline variable (namespace variables,
// "whoever starts the execution") or a source variable outside the fixed
// shapes above (namespace SourceVariables or SourceVariables_<name>,
// "whoever pushes the commit"). Other variables (fixed shapes, and what the
// build, stacks and steps export, which the release's own code writes)
// return "", "", and so does a reference whose "namespace.name" is in
// fixed: a value known at synth, such as a CodeCommit source's BranchName,
// the one branch its action watches (SourceFixedVariables).
//
// CodePipeline resolves a reference by putting the value in as it is, so
// such a value inside a JSON document of an action's configuration
// (ParameterOverrides, a Lambda's JSON UserParameters, a state machine's
// Input) can end the JSON string and add keys (aws/aws-cdk#31213, #8458).
func FreeTextReference(s string, fixed map[string]bool) (ref, who string) {
	for _, m := range VariableRef.FindAllStringSubmatch(s, -1) {
		ns, name := m[1], m[2]
		switch {
		case fixed[ns+"."+name]:
			continue
		case ns == "variables":
			return m[0], "whoever starts the execution"
		case (ns == "SourceVariables" || strings.HasPrefix(ns, "SourceVariables_")) && !slices.Contains(fixedShapeSourceVariables, name):
			return m[0], "whoever pushes the commit"
		}
	}
	return "", ""
}

// SourceFixedVariables adds to fixed (a map of "namespace.name") the
// variables of the source action of namespace ns whose value is known at
// synth and safe inside a JSON string: the BranchName of a CodeCommit
// source (codeCommitBranch, "" for another kind of source), which is the
// branch its action watches, when that name holds no quote, backslash or
// control character. A connection source's BranchName is not: with
// triggers, it is whichever branch was pushed
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeCommit.html,
// "Output variables").
func SourceFixedVariables(fixed map[string]bool, ns, codeCommitBranch string) {
	if codeCommitBranch != "" && !strings.ContainsFunc(codeCommitBranch, func(r rune) bool { return r == '"' || r == '\\' || r < 0x20 || r == 0x7f }) {
		fixed[ns+".BranchName"] = true
	}
}

// JSONDocument reports whether s, a value that may hold variable
// references, is meant as a JSON document: text that opens like a JSON
// object or array (a lone value has no structure to add keys to).
func JSONDocument(s string) bool {
	t := strings.TrimSpace(s)
	return strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")
}

// cloudFormationPseudo matches CloudFormation's ${AWS::Name} syntax of
// Fn::Sub, such as ${AWS::Partition} or ${AWS::AccountId}.
var cloudFormationPseudo = regexp.MustCompile(`\$\{AWS::[A-Za-z]+\}`)

// PseudoParameter returns the first ${AWS::Name} in s, CloudFormation's
// Fn::Sub syntax, or "". In an IAM policy written as text no Fn::Sub
// resolves it: IAM reads ${...} as a policy variable, which no request has
// under that name, so a resource holding one matches nothing
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
func PseudoParameter(s string) string { return cloudFormationPseudo.FindString(s) }

// VariablePlaceholderPrefix starts the placeholder that stands for a
// pipeline variable in a value Relay's Helm and GitOps steps fill at run
// time (VariableTemplate). CodePipeline reads only #{...} as a reference,
// so it passes the placeholder on untouched; a value written with this
// text is refused (config and plan), or the step would fill it too.
const VariablePlaceholderPrefix = "%{relay.variables."

// VariablePlaceholderRule is why config and plan refuse a GitOps or Helm
// value holding VariablePlaceholderPrefix, and the fix.
const VariablePlaceholderRule = "must not hold " + VariablePlaceholderPrefix + ", the placeholder with which the step fills a pipeline variable at run time; write a pipeline variable as #{variables.NAME}"

// VariablePlaceholderPattern matches a placeholder, capturing the
// variable's name. The steps' python3 script uses the same pattern
// (Python's re reads it alike).
const VariablePlaceholderPattern = `%\{relay\.variables\.([^}]*)\}`

// VariableTemplate returns s with each pipeline variable reference
// #{variables.NAME} replaced by the placeholder %{relay.variables.NAME},
// and whether it replaced any. Other references (source, build and step
// variables, #{codepipeline.PipelineExecutionId}) stay for CodePipeline to
// resolve. The step reads the execution's pipeline variables with
// GetPipelineExecution, which returns each as JSON (name, resolvedValue),
// and fills the placeholders, so a variable's value never passes through
// the EnvironmentVariables JSON of the action, where CodePipeline's
// escaping is wrong (aws/aws-cdk#8458;
// https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ResolvedPipelineVariable.html).
func VariableTemplate(s string) (template string, replaced bool) {
	template = VariableRef.ReplaceAllStringFunc(s, func(ref string) string {
		m := VariableRef.FindStringSubmatch(ref)
		if m[1] != "variables" {
			return ref
		}
		replaced = true
		return VariablePlaceholderPrefix + m[2] + "}"
	})
	return template, replaced
}

// StepValueReferenceRule is "" for value, a Helm set value or the GitOps
// value of Relay's own steps, unless it refers to a free-text source
// variable (a commit message, an author's name, a connection source's
// branch: FreeTextReference, with fixed as there); then it is the rule and
// the fix. The step's action carries the value in its EnvironmentVariables
// JSON, into which CodePipeline puts a resolved value without encoding it
// (aws/aws-cdk#8458), so a commit message written as JSON would add
// environment variables to the step. Pipeline variables pass: they never
// go through that JSON (the step reads them from the execution,
// VariableTemplate). Config and the release plan share it.
func StepValueReferenceRule(value string, fixed map[string]bool) string {
	template, _ := VariableTemplate(value)
	ref, who := FreeTextReference(template, fixed)
	if ref == "" {
		return ""
	}
	return fmt.Sprintf("uses %s, whose value %s chooses: the step's action carries the value in its EnvironmentVariables JSON, into which CodePipeline puts a variable's value without encoding it, so a value written as JSON would add environment variables to the step; "+
		"use a fixed-shape variable such as #{SourceVariables.CommitId}, a pipeline variable (the step reads those from the execution), or a build variable the buildspec checks and exports (#{BuildVariables.<name>})", ref, who)
}
