package plan

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// Stack is a CloudFormation stack from a template in the build output. In
// an Account it is deployed by change sets: Prepare (create the change
// set), an optional Review (a manual approval), Deploy (execute it), each
// as the account's deploy role with CloudFormation acting as its execution
// role. For StackSetAccounts and OrganizationalUnits it is the template of
// the StackSet <Name>-<deployment name>, which takes it as is (no
// parameters, template configuration or review).
type Stack struct {
	// Name is the stack's name: a letter, then letters, digits and
	// hyphens, at most 128 characters (limits.StackName). Required.
	Name string
	// TemplatePath is the template's path in the build output: relative,
	// on one line, without "..". Default: template.json.
	TemplatePath string
	// Capabilities are CAPABILITY_IAM, CAPABILITY_NAMED_IAM and
	// CAPABILITY_AUTO_EXPAND; New refuses CAPABILITY_AUTO_EXPAND (template
	// macros) for OrganizationalUnits, whose service-managed StackSet fails
	// on any macro
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html).
	// Default: none.
	Capabilities []string
	// ParameterOverrides set template parameters, by name (1 to 255
	// letters and digits, as a template declares them:
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html);
	// values may use #{namespace.name} variables. Together at most 1,000 characters of
	// JSON (limits.ActionConfiguration). Default: none.
	ParameterOverrides map[string]string
	// TemplateConfiguration is the path, in the build output, of a
	// template configuration file (parameters, tags, stack policy):
	// relative, on one line, without "..". Default: none.
	TemplateConfiguration string
	// Review puts a manual approval between creating and executing the
	// change set, so that someone reads what will change first. Default:
	// false.
	Review bool
	// ExecutionRoleArn is the role CloudFormation acts as for this stack, a
	// role of the target account. Default: the target's ExecutionRoleArn.
	ExecutionRoleArn string
}

// ChangeSetName is the change set each stack deployment creates and
// executes.
const ChangeSetName = "relay-pipeline"

// PrepareChangeSet creates (or replaces) the change set ChangeSetName of a
// stack in the account, as the account's deploy role.
type PrepareChangeSet struct {
	// Stack is the stack (defaults applied).
	Stack *Stack
	// ExecutionRoleArn is the role CloudFormation acts as.
	ExecutionRoleArn string
}

// ReviewChangeSet is a manual approval between creating and executing a
// change set of Stack in Account and Region.
type ReviewChangeSet struct {
	Stack           *Stack
	Account, Region string
}

// ExecuteChangeSet executes the change set ChangeSetName; its namespace
// exports the stack's outputs.
type ExecuteChangeSet struct {
	Stack *Stack
}

// Type implements Kind.
func (*PrepareChangeSet) Type() ActionType { return ActionType{"Deploy", "CloudFormation"} }

// Type implements Kind.
func (*ReviewChangeSet) Type() ActionType { return ActionType{"Approval", "Manual"} }

// Type implements Kind.
func (*ExecuteChangeSet) Type() ActionType { return ActionType{"Deploy", "CloudFormation"} }

func (*PrepareChangeSet) kind() {}
func (*ReviewChangeSet) kind()  {}
func (*ExecuteChangeSet) kind() {}
func (*Stack) release()         {}

var stackNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)

func (s *Stack) withDefaults() Release {
	c := *s
	def(&c.TemplatePath, defaults.TemplatePath)
	return &c
}

func (s *Stack) usesDeployRole() bool { return true }

// validate checks the stack's own fields (for change sets and StackSets).
func (s *Stack) validate(v *validator, field string) {
	if !stackNameRE.MatchString(s.Name) || len(s.Name) > limits.Max(limits.StackName) {
		v.addf(field+".Name", "%q: must be a stack name, a letter then letters, digits and hyphens, at most %d characters", s.Name, limits.Max(limits.StackName))
	}
	outputPath(v, field+".TemplatePath", s.TemplatePath, "template.json")
	outputPath(v, field+".TemplateConfiguration", s.TemplateConfiguration, "config/production.json")
	for _, c := range s.Capabilities {
		if !slices.Contains(Capabilities, c) {
			v.addf(field+".Capabilities", "%q: must be CAPABILITY_IAM, CAPABILITY_NAMED_IAM or CAPABILITY_AUTO_EXPAND", c)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.ParameterOverrides)) {
		if !values.TemplateParameterName(k) {
			// No template declares it: CloudFormation refuses the change
			// set when the action runs.
			v.addf(fmt.Sprintf("%s.ParameterOverrides[%q]", field, k), ": must be a template parameter name, 1 to 255 letters and digits (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html)")
		}
		v.freeTextInJSON(fmt.Sprintf("%s.ParameterOverrides[%q]", field, k), s.ParameterOverrides[k], "ParameterOverrides")
	}
}

// validateStackSet checks the stack as a StackSet's template; serviceManaged
// is true for a StackSet of OrganizationalUnits.
func (s *Stack) validateStackSet(v *validator, field string, serviceManaged bool) {
	s.validate(v, field)
	if len(s.ParameterOverrides) > 0 || s.TemplateConfiguration != "" || s.Review || s.ExecutionRoleArn != "" {
		v.add(field, ": ParameterOverrides, TemplateConfiguration, Review and ExecutionRoleArn apply to change sets in an Account; a StackSet takes its template as is")
	}
	// CAPABILITY_AUTO_EXPAND acknowledges template macros, on which a
	// service-managed StackSet fails: "Even if you specify this capability
	// for a StackSet with service-managed permissions, if you reference a
	// macro in your template the StackSet operation will fail"
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html).
	if serviceManaged && slices.Contains(s.Capabilities, "CAPABILITY_AUTO_EXPAND") {
		v.add(field+".Capabilities", `"CAPABILITY_AUTO_EXPAND": acknowledges template macros, and a service-managed StackSet (OrganizationalUnits) fails on any macro (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html): deploy a template without macros and remove it, or target StackSetAccounts (a self-managed StackSet, which runs macros)`)
	}
}

// actions are Prepare, Review (with Review) and Deploy.
func (s *Stack) actions(c *releaseContext) []Action {
	f := c.f
	stack := map[string]Field{"ActionMode": f(""), "StackName": f(".Name"), "ChangeSetName": f("")}
	prepare := maps.Clone(stack)
	maps.Copy(prepare, map[string]Field{
		"TemplatePath":          pathField(f(".TemplatePath")),
		"RoleArn":               Field{Path: c.p.in.name(sprintf("Deployments[%d].Target.ExecutionRoleArn", c.i))},
		"Capabilities":          f(".Capabilities"),
		"ParameterOverrides":    c.p.fix(c.path+".ParameterOverrides", "move parameters into a template configuration file (%s)", c.field(".TemplateConfiguration")),
		"TemplateConfiguration": pathField(f(".TemplateConfiguration")),
	})
	role := c.acct.ExecutionRoleArn
	if s.ExecutionRoleArn != "" {
		role = s.ExecutionRoleArn
		prepare["RoleArn"] = f(".ExecutionRoleArn")
	}
	out := []Action{c.deployed(Action{Name: "Prepare", Kind: &PrepareChangeSet{Stack: s, ExecutionRoleArn: role},
		Inputs: []string{c.p.in.Deployable()}, Field: c.field(""), Configuration: prepare})}
	if s.Review {
		out = append(out, Action{Name: "Review", Kind: &ReviewChangeSet{Stack: s, Account: c.acct.ID, Region: c.region}, Deployment: c.i,
			Field: c.field(".Review"), Configuration: map[string]Field{"CustomData": f(".Review")}})
	}
	return append(out, c.deployed(Action{Name: "Deploy", Kind: &ExecuteChangeSet{Stack: s}, Field: c.field(""),
		Namespace: c.namespace(), Configuration: stack}))
}

// outputPath refuses a path in the build output (p, at field; "" is unset)
// that names no file there: CodePipeline reads it from the input artifact
// (<artifact>::<path>, or the path alone) when the action runs, so an
// absolute path, one with "..", or one on several lines fails the action.
// example is a path of the right shape for the message.
func outputPath(v *validator, field, p, example string) {
	if p != "" && (strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`) || strings.Contains(p, "..") || strings.ContainsAny(p, "\n\r")) {
		v.addf(field, "%q: must be a path relative to the build output, on one line and without .., such as %s", p, example)
	}
}
