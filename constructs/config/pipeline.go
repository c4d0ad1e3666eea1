package config

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// PipelineSettings are pipeline-wide settings.
type PipelineSettings struct {
	// ExecutionMode is SUPERSEDED (a newer execution replaces an older one
	// waiting at a transition), QUEUED (one at a time, in order) or
	// PARALLEL. Default: SUPERSEDED.
	ExecutionMode string `yaml:"executionMode,omitempty" json:"executionMode,omitempty"`
	// Variables are pipeline-level variables with defaults, overridable
	// when an execution is started and readable as #{variables.<name>}.
	Variables []Variable `yaml:"variables,omitempty" json:"variables,omitempty"`
	// Approvers, when set, creates a role whose only power is to approve or
	// reject this pipeline's manual approvals.
	Approvers *Approvers `yaml:"approvers,omitempty" json:"approvers,omitempty"`
}

// Variable is a pipeline-level variable.
type Variable struct {
	// Name is 1 to 128 of letters, digits, @, - and _. Required, unique.
	Name string `yaml:"name" json:"name"`
	// Default is the value when an execution does not set one, at most
	// 1000 characters. Default: "".
	Default string `yaml:"default,omitempty" json:"default,omitempty"`
	// Description says what the variable is for, at most 200 characters.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
}

// Approvers are the principals that may assume the approver role.
type Approvers struct {
	// Principals are IAM role or user ARNs, in the tooling partition. At
	// least one. The role's trust names their accounts and pins these ARNs
	// in a condition, so they need not exist first. An account root
	// (arn:aws:iam::<account>:root) admits whoever that account's
	// administrators allow, and needs accountRoots.
	Principals []string `yaml:"principals" json:"principals"`
	// AccountRoots accepts account roots among the principals, with a
	// reason. Default: refused.
	AccountRoots *AccountRoots `yaml:"accountRoots,omitempty" json:"accountRoots,omitempty"`
	// RequireMFA admits a principal only when its credentials were issued
	// with multi-factor authentication (aws:MultiFactorAuthPresent): an IAM
	// user that signed in with MFA, or a role session that a user assumed
	// with MFA. Identity Center sessions carry no such key and are refused.
	// Default: false.
	RequireMFA bool `yaml:"requireMfa,omitempty" json:"requireMfa,omitempty"`
}

// AccountRoots is the reason to trust whole accounts to approve.
type AccountRoots struct {
	// Reason says who in those accounts may approve and how that is
	// controlled, at least 10 characters. Required.
	Reason string `yaml:"reason" json:"reason"`
}

// Defaults of the pipeline settings.
const defaultExecutionMode = defaults.ExecutionMode

var (
	executionModes = []string{"SUPERSEDED", "QUEUED", "PARALLEL"}
)

// pipelineDefaults sets the defaults of pipeline; unset is as in
// applyDefaults.
func (pl *PipelineSettings) pipelineDefaults(unset unsetFunc) {
	if unset("pipeline.executionMode", pl.ExecutionMode == "") {
		pl.ExecutionMode = defaultExecutionMode
	}
}

// validatePipeline checks pipeline: execution mode, variables, approvers.
func (c *Config) validatePipeline(p *problems) {
	pl := c.Pipeline
	p.add("pipeline.executionMode", pl.ExecutionMode, oneOfRule(pl.ExecutionMode, executionModes))
	c.parallelRollbackRule(p)
	first := map[string]int{}
	for i, v := range pl.Variables {
		path := fmt.Sprintf("pipeline.variables[%d]", i)
		rule := ""
		if !values.PipelineVariableName(v.Name) {
			rule = "must be 1 to 128 of letters, digits, @, - and _, such as releaseTag"
		} else if j, dup := first[v.Name]; dup {
			rule = fmt.Sprintf("duplicate of pipeline.variables[%d].name; give each variable a unique name", j)
		} else {
			first[v.Name] = i
		}
		p.add(path+".name", v.Name, rule)
		if max := limits.Max(limits.VariableDefault); utf8.RuneCountInString(v.Default) > max {
			p.add(path+".default", v.Default, fmt.Sprintf("is longer than %d characters; shorten it", max))
		} else if strings.ContainsAny(v.Default, values.LineBreaks) {
			p.add(path+".default", v.Default, oneLineVariable)
		}
		if utf8.RuneCountInString(v.Description) > 200 {
			p.add(path+".description", v.Description, "is longer than 200 characters; shorten it")
		} else if strings.ContainsAny(v.Description, values.LineBreaks) {
			p.add(path+".description", v.Description, oneLineVariable)
		}
	}
	if a := pl.Approvers; a != nil {
		if len(a.Principals) == 0 {
			p.add("pipeline.approvers.principals", "", "required; list the IAM role or user ARNs that may approve, such as arn:aws:iam::111111111111:role/release-managers")
		}
		roots := 0
		for i, arn := range a.Principals {
			rule := principalRule(arn, partitions[c.Tooling.Region])
			if rule == "" && strings.HasSuffix(arn, ":root") {
				roots++
				if a.AccountRoots == nil {
					rule = "is an account root: it admits every principal that account's administrators allow; name the roles or users that approve, such as arn:aws:iam::111111111111:role/release-managers, or accept it with pipeline.approvers.accountRoots.reason"
				}
			}
			p.add(fmt.Sprintf("pipeline.approvers.principals[%d]", i), arn, rule)
		}
		switch r := a.AccountRoots; {
		case r != nil && roots == 0:
			p.add("pipeline.approvers.accountRoots", r.Reason, "applies only when principals name an account root; remove it")
		case r != nil && len(strings.TrimSpace(r.Reason)) < 10:
			p.add("pipeline.approvers.accountRoots.reason", r.Reason, "say who in those accounts may approve and how, in at least 10 characters")
		}
	}
}

func principalRule(s, partition string) string {
	p, _, _, ok := values.PrincipalARN(s)
	if !ok {
		return "must be an IAM role, user or account-root ARN, such as arn:aws:iam::111111111111:role/release-managers"
	}
	if partition != "" && p != partition {
		return fmt.Sprintf("partition %q does not match partition %q of the tooling region", p, partition)
	}
	return ""
}

// oneLineVariable is the rule of a variable's default and description.
const oneLineVariable = "must be one line (CodePipeline takes a variable's default and description without line breaks)"

// parallelRollbackRule refuses a PARALLEL pipeline whose stages roll back
// on failure: CodePipeline adds no failure condition with a rollback result
// to a pipeline in PARALLEL mode, and a stage rolls back unless its
// environments set disableRollback
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/execution-modes.html).
func (c *Config) parallelRollbackRule(p *problems) {
	if c.Pipeline.ExecutionMode != "PARALLEL" {
		return
	}
	var rolls []string
	for i, e := range c.Environments {
		if !e.DisableRollback {
			rolls = append(rolls, fmt.Sprintf("environments[%d] %q", i, e.Name))
		}
	}
	if len(rolls) == 0 {
		return
	}
	verb, them := "roll back when they fail", "them"
	if len(rolls) == 1 {
		verb, them = "rolls back when it fails", "it"
	}
	p.add("pipeline.executionMode", c.Pipeline.ExecutionMode, fmt.Sprintf("CodePipeline does not roll back the stages of a PARALLEL pipeline, and %s %s (the default); set disableRollback: true on %s, or use QUEUED or SUPERSEDED (https://docs.aws.amazon.com/codepipeline/latest/userguide/execution-modes.html)",
		strings.Join(rolls, ", "), verb, them))
}
