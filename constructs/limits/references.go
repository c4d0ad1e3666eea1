package limits

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// VariableReference is the rule (a Table row with Max 0: a rule, not a
// count) that every variable reference #{namespace.name} in a pipeline's
// action configuration can resolve when the action runs: the namespace is
// the Namespace of an action that runs before it (in an earlier stage, or
// in the same stage at a lower RunOrder), variables with a name the
// pipeline declares (Variables), or codepipeline with PipelineExecutionId,
// the one variable CodePipeline sets at the start of every execution
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html);
// and when the action that sets the namespace is of a kind whose variables
// are a fixed set (ActionVariables), the name is one of them.
// An action whose reference cannot resolve fails when it runs ("one or more
// variables could not be resolved"), every execution.
const VariableReference = "codepipeline-variable-reference"

// referencesFix is the fix of a reference that cannot resolve.
const referencesFix = "refer to a namespace that an action before this one sets, or set the namespace on an action that runs earlier (an earlier stage, or a lower run order in this stage)"

// unknownText stands for a part of a configuration value known only at
// deploy (a Ref, Fn::GetAtt, an import): a reference that spans it is not
// checked.
const unknownText = "\x00"

// Resolution is whether a variable reference #{namespace.name} resolves
// when its action runs (Resolves), and why not otherwise.
type Resolution int

// The resolutions of Resolve.
const (
	// Resolves: the reference has a value when its action runs.
	Resolves Resolution = iota
	// UndeclaredVariable: namespace variables, with a name the pipeline
	// does not declare.
	UndeclaredVariable
	// UnknownExecutionVariable: namespace codepipeline, whose only
	// variable is PipelineExecutionId.
	UnknownExecutionVariable
	// UnsetNamespace: no action of the pipeline sets the namespace.
	UnsetNamespace
	// LaterNamespace: the action that sets the namespace does not run
	// before the reference's action (a later stage, or the same stage at
	// the same or a higher run order).
	LaterNamespace
	// UnsetVariable: the action that sets the namespace sets a fixed set
	// of variables (Setter.Variables), and the name is not one of them.
	UnsetVariable
	// MisspelledVariable: the action that sets the namespace sets a
	// variable whose name differs from the reference's only in case
	// (Setter.Spelled): CodePipeline's names are case-sensitive, so the
	// reference never resolves.
	MisspelledVariable
	// MalformedReference: the namespace or the name holds a character
	// that no namespace or variable name has (ReferencePart), such as
	// the #{ of a reference written inside another.
	MalformedReference
)

// referencePartRE is CodePipeline's pattern for a variable namespace and
// a variable's name.
var referencePartRE = regexp.MustCompile(`^[A-Za-z0-9@_-]+$`)

// ReferencePart reports whether s can be the namespace or the name of a
// variable reference: letters, digits, @, _ and -, the pattern of an
// action's namespace, a pipeline variable's name and an action's output
// variable keys
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html,
// namespace; API_PipelineVariableDeclaration.html, name;
// API_PutJobSuccessResult.html, outputVariables).
func ReferencePart(s string) bool { return referencePartRE.MatchString(s) }

// MalformedRule is the rule and fix for a MalformedReference.
const MalformedRule = "is not a variable reference CodePipeline can resolve: a namespace and a variable name are letters, digits, @, _ and - (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html), and a reference is never written inside another"

// MalformedFix is the fix for a MalformedReference.
const MalformedFix = "write each reference as #{namespace.name}, one at a time"

// A Setter is the action of a pipeline that sets a variable namespace
// (its Namespace).
type Setter struct {
	// Stage is the index of its stage in the pipeline; RunOrder its run
	// order in that stage.
	Stage, RunOrder int
	// Variables are the variables it sets when they are a fixed set
	// (ActionVariables), sorted; nil when they are not known at synth.
	Variables []string
	// Spelled are variables it is documented to set when its set is open
	// (SpelledVariables: a connection source's), sorted: a name that
	// differs from one of them only in case never resolves; any other
	// name is not judged. nil for none.
	Spelled []string
}

// NewSetter is the Setter of an action of category and provider (an
// ActionTypeId's) at stage index stage and run order order, with the
// variables ActionVariables and SpelledVariables know for its kind.
func NewSetter(category, provider string, stage, order int) Setter {
	names, _ := ActionVariables(category, provider)
	return Setter{Stage: stage, RunOrder: order, Variables: names, Spelled: SpelledVariables(category, provider)}
}

// actionVariables are the variables that CodePipeline sets for an action
// of a kind whose variables are a fixed set, by category and provider: the
// output variables of each action's reference page
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html,
// action-reference-ECR.html, action-reference-CodeCommit.html), the names
// aws-cdk-lib's source actions expose as their variables.
var actionVariables = map[[2]string][]string{
	{"Source", "S3"}:         {"ETag", "VersionId"},
	{"Source", "ECR"}:        {"ImageDigest", "ImageTag", "ImageURI", "RegistryId", "RepositoryName"},
	{"Source", "CodeCommit"}: {"AuthorDate", "BranchName", "CommitId", "CommitMessage", "CommitterDate", "RepositoryName"},
}

// spelledVariables are the variables that CodePipeline documents for an
// action of a kind whose variables are not a fixed set, by category and
// provider. A connection source (CodeStarSourceConnection: GitHub, GitHub
// Enterprise Server, GitLab, Bitbucket) sets AuthorDate, BranchName,
// CommitId, CommitMessage, ConnectionArn and FullRepositoryName
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html,
// "Output variables"; https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html,
// "Variables available for pipeline actions"; aws-cdk-lib's
// CodeStarSourceVariables has the same six). The list is not the whole
// set: an execution that a pull request trigger starts
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-filter.html)
// also has SourceBranchName, DestinationBranchName, PullRequestId and
// PullRequestTitle (aws/aws-cdk#31000, #37185), names AWS's pages do not
// list, so they are not judged here either.
var spelledVariables = map[[2]string][]string{
	{"Source", "CodeStarSourceConnection"}: {"AuthorDate", "BranchName", "CommitId", "CommitMessage", "ConnectionArn", "FullRepositoryName"},
}

// ActionVariables returns the variables (sorted, a new slice) that an
// action of category and provider (an ActionTypeId's) sets, and true, when
// they are a fixed set: an S3, ECR or CodeCommit source. Otherwise nil and
// false: a connection source's variables grow with what starts the
// execution (a pull request adds its own; SpelledVariables has the ones
// AWS documents, checked for spelling only), a build exports what its
// buildspec lists, a CloudFormation action its stack's outputs, a Lambda
// function what it returns.
func ActionVariables(category, provider string) ([]string, bool) {
	names, ok := actionVariables[[2]string{category, provider}]
	return slices.Clone(names), ok
}

// SpelledVariables returns the variables (sorted, a new slice) that AWS
// documents for an action of category and provider whose variables are
// not a fixed set: a connection source's (CodeStarSourceConnection)
// AuthorDate, BranchName, CommitId, CommitMessage, ConnectionArn and
// FullRepositoryName. A reference to a name that differs from one of them
// only in case (CommitID, branchname) never resolves; other names may
// (a pull request trigger adds its own). nil for any other kind.
func SpelledVariables(category, provider string) []string {
	return slices.Clone(spelledVariables[[2]string{category, provider}])
}

// Resolve is CodePipeline's rule for a reference #{ns.name} in the
// configuration of an action of stage index stage at run order order
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html):
// declared says whether the pipeline declares the variable name (for
// namespace variables); setter is the action of the pipeline that sets
// namespace ns, or nil when none does. The release plan applies it to the
// Go API's fields, and CheckTemplate to the written templates.
func Resolve(ns, name string, declared bool, setter *Setter, stage, order int) Resolution {
	switch {
	case !ReferencePart(ns) || !ReferencePart(name):
		return MalformedReference
	case ns == "variables":
		if !declared {
			return UndeclaredVariable
		}
	case ns == "codepipeline":
		if name != "PipelineExecutionId" {
			return UnknownExecutionVariable
		}
	case setter == nil:
		return UnsetNamespace
	case setter.Stage > stage || (setter.Stage == stage && setter.RunOrder >= order):
		return LaterNamespace
	default:
		return VariableName(name, setter)
	}
	return Resolves
}

// VariableName is whether setter, an action that runs before the
// reference, sets variable name: Resolves; UnsetVariable when its
// variables are a fixed set without name; MisspelledVariable when name
// differs from one of its Spelled variables only in case. The config's
// rules apply it where they know a namespace's setter.
func VariableName(name string, setter *Setter) Resolution {
	switch {
	case setter.Variables != nil && !slices.Contains(setter.Variables, name):
		return UnsetVariable
	case respelled(name, setter.Spelled) != "":
		return MisspelledVariable
	}
	return Resolves
}

// respelled is the name of names that equals name but for case, or "" when
// name is one of names or matches none.
func respelled(name string, names []string) string {
	if slices.Contains(names, name) {
		return ""
	}
	for _, v := range names {
		if strings.EqualFold(v, name) {
			return v
		}
	}
	return ""
}

// UnsetVariableRule is the rule of a reference to name that setter,
// described as where, does not set (UnsetVariable: an action that sets
// only its Variables; MisspelledVariable: one that sets a variable of that
// name in another case), with its fix.
func UnsetVariableRule(name, where string, setter *Setter) (rule, fix string) {
	if v := respelled(name, setter.Spelled); v != "" && setter.Variables == nil {
		return fmt.Sprintf("refers to variable %q, which %s never sets: variable names are case-sensitive, and an action of its kind sets %s", name, where, v),
			fmt.Sprintf("write %s, as CodePipeline spells it", v)
	}
	rule = fmt.Sprintf("refers to variable %q, which %s does not set: an action of its kind sets only %s", name, where, strings.Join(setter.Variables, ", "))
	fix = "use one of those names, or a variable of another action that runs earlier"
	for _, v := range setter.Variables {
		if strings.EqualFold(v, name) {
			fix = fmt.Sprintf("write %s, as CodePipeline spells it", v)
			break
		}
	}
	return rule, fix
}

// producer is an action that sets a variable namespace.
type producer struct {
	Setter
	where string
}

// checkReferences reports every variable reference in the action
// configurations of the pipeline resource id (props, its Properties) that
// cannot resolve when its action runs (VariableReference).
func checkReferences(stack, id string, props map[string]interface{}, add func(Finding)) {
	declared := map[string]bool{}
	vars, _ := props["Variables"].([]interface{})
	for _, v := range vars {
		vm, _ := v.(map[string]interface{})
		if name, ok := vm["Name"].(string); ok {
			declared[name] = true
		}
	}
	stages, _ := props["Stages"].([]interface{})
	set := map[string]producer{}
	for i, s := range stages {
		sm, _ := s.(map[string]interface{})
		actions, _ := sm["Actions"].([]interface{})
		for _, a := range actions {
			am, _ := a.(map[string]interface{})
			if ns, ok := am["Namespace"].(string); ok && ns != "" {
				typ, _ := am["ActionTypeId"].(map[string]interface{})
				category, _ := typ["Category"].(string)
				provider, _ := typ["Provider"].(string)
				set[ns] = producer{NewSetter(category, provider, i, runOrder(am)), fmt.Sprintf("stage %v, action %v", sm["Name"], am["Name"])}
			}
		}
	}
	for i, s := range stages {
		sm, _ := s.(map[string]interface{})
		actions, _ := sm["Actions"].([]interface{})
		for _, a := range actions {
			am, _ := a.(map[string]interface{})
			order := runOrder(am)
			cfg, _ := am["Configuration"].(map[string]interface{})
			for _, key := range slices.Sorted(maps.Keys(cfg)) {
				text := knownText(cfg[key])
				seen := map[string]bool{}
				for _, m := range values.VariableRef.FindAllStringSubmatch(text, -1) {
					ref, ns, name := m[0], m[1], m[2]
					if strings.Contains(ref, unknownText) || seen[ref] {
						continue
					}
					seen[ref] = true
					rule, fix := "", ""
					p, ok := set[ns]
					var setter *Setter
					if ok {
						setter = &p.Setter
					}
					switch Resolve(ns, name, declared[name], setter, i, order) {
					case UndeclaredVariable:
						rule = fmt.Sprintf("refers to pipeline variable %q, which the pipeline does not declare (declared: %s)", name, list(slices.Collect(maps.Keys(declared))))
						fix = "declare the variable in the pipeline's variables, or use one it declares"
					case UnknownExecutionVariable:
						rule = fmt.Sprintf("refers to %q of namespace codepipeline, which sets only PipelineExecutionId", name)
						fix = "use #{codepipeline.PipelineExecutionId}, or a variable of an action that runs earlier"
					case UnsetNamespace:
						rule = fmt.Sprintf("refers to namespace %q, which no action of the pipeline sets (set before this action: %s)", ns, list(before(set, i, order)))
					case LaterNamespace:
						rule = fmt.Sprintf("refers to namespace %q, which %s sets, and that action runs %s (set before this action: %s)", ns, p.where, when(p, i, order), list(before(set, i, order)))
					case UnsetVariable, MisspelledVariable:
						rule, fix = UnsetVariableRule(name, p.where, setter)
					case MalformedReference:
						rule, fix = MalformedRule, MalformedFix
					}
					if rule != "" {
						add(Finding{Limit: ByID(VariableReference), Stack: stack, Resource: id, Value: 1,
							Stage: fmt.Sprint(sm["Name"]), Action: fmt.Sprint(am["Name"]), Key: key,
							Name: ref, Property: fmt.Sprintf("Configuration.%s (stage %v, action %v)", key, sm["Name"], am["Name"]), Rule: rule, Fix: fix})
					}
				}
			}
		}
	}
}

// runOrder is an action's RunOrder (CodePipeline's default 1).
func runOrder(action map[string]interface{}) int {
	switch v := action["RunOrder"].(type) {
	case float64:
		return int(v)
	case string:
		var n int
		if _, err := fmt.Sscan(v, &n); err == nil {
			return n
		}
	}
	return 1
}

// when says when producer p runs against an action of stage i at run
// order order.
func when(p producer, i, order int) string {
	switch {
	case p.Stage > i:
		return "in a later stage"
	case p.RunOrder == order:
		return "at the same time (same stage and run order)"
	}
	return "later in the same stage"
}

// before are the namespaces set before an action of stage i at run order
// order runs.
func before(set map[string]producer, i, order int) []string {
	var out []string
	for ns, p := range set {
		if p.Stage < i || (p.Stage == i && p.RunOrder < order) {
			out = append(out, ns)
		}
	}
	return append(out, "codepipeline")
}

// list is names, sorted and joined, or "none".
func list(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// subVariable matches a ${...} substitution of Fn::Sub.
var subVariable = regexp.MustCompile(`\$\{[^}]*\}`)

// knownText is the text of a configuration value v as deployed, with
// every part known only at deploy (Ref, Fn::GetAtt, Fn::ImportValue, a
// Fn::Sub substitution that is not ${!literal}) as unknownText: strings as
// they are, Fn::Join of its parts, Fn::Sub of its template; a list or map
// (a value aws-cdk-lib writes as JSON) as the text of its parts.
func knownText(v interface{}) string {
	switch x := v.(type) {
	case string:
		return x
	case float64, bool:
		return fmt.Sprint(x)
	case []interface{}:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = knownText(p)
		}
		return strings.Join(parts, unknownText)
	case map[string]interface{}:
		if len(x) == 1 {
			if j, ok := x["Fn::Join"].([]interface{}); ok && len(j) == 2 {
				sep, _ := j[0].(string)
				items, _ := j[1].([]interface{})
				parts := make([]string, len(items))
				for i, p := range items {
					parts[i] = knownText(p)
				}
				return strings.Join(parts, sep)
			}
			if s, ok := x["Fn::Sub"]; ok {
				tpl, _ := s.(string)
				if l, ok := s.([]interface{}); ok && len(l) > 0 {
					tpl, _ = l[0].(string)
				}
				return subVariable.ReplaceAllStringFunc(tpl, func(m string) string {
					if strings.HasPrefix(m, "${!") {
						return "${" + m[3:]
					}
					return unknownText
				})
			}
			for k := range x {
				if strings.HasPrefix(k, "Fn::") || k == "Ref" {
					return unknownText
				}
			}
		}
		parts := make([]string, 0, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, knownText(x[k]))
		}
		return strings.Join(parts, unknownText)
	}
	return unknownText
}
