package config

import (
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"
)

// FieldError is one problem with one field of a Config. Validate and Parse
// return every FieldError at once, joined with errors.Join; use errors.As or
// the Unwrap() []error method of the joined error to inspect them.
type FieldError struct {
	// Path names the field as written in YAML, such as
	// environments[1].account.
	Path string
	// Value is the field's value as decoded; "" when the field is missing.
	Value string
	// Rule says what is wrong and how to fix it.
	Rule string
	// Line is the 1-based line of the field in File, or of its nearest
	// written ancestor when the field is missing; 0 when unknown (Validate
	// alone does not know lines).
	Line int
	// File is the name given to Parse; "" when unknown.
	File string
}

// maxValueLen bounds how much of a value an error message repeats.
const maxValueLen = 160

// Error formats e as `<path> "<value>": <rule>`, prefixed by `<file>:<line>: `
// when both are known.
func (e *FieldError) Error() string {
	v := e.Value
	if utf8.RuneCountInString(v) > maxValueLen {
		v = string([]rune(v)[:maxValueLen-3]) + "..."
	}
	msg := fmt.Sprintf("%s %q: %s", e.Path, v, e.Rule)
	if e.Line > 0 && e.File != "" {
		msg = fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return msg
}

// Validate checks every rule and returns all problems at once: nil, or the
// errors.Join of one *FieldError per field in error, in field order. It
// expects defaults applied (see ApplyDefaults); a defaulted field left empty
// is an error.
func (c *Config) Validate() error {
	return joinErrors(c.validate())
}

func joinErrors(errs []*FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	all := make([]error, len(errs))
	for i, e := range errs {
		all[i] = e
	}
	return errors.Join(all...)
}

// Partition returns the partition of the tooling region, or "aws" when the
// region is unknown (Validate reports it).
func (c *Config) Partition() string {
	if p, ok := Partition(c.Tooling.Region); ok {
		return p
	}
	return "aws"
}

// problems collects FieldErrors in the order the fields are checked.
type problems []*FieldError

// add records that value at path breaks rule; an empty rule means the value
// is valid and records nothing.
func (p *problems) add(path, value, rule string) {
	if rule != "" {
		*p = append(*p, &FieldError{Path: path, Value: value, Rule: rule})
	}
}

func envPath(i int, field string) string {
	return fmt.Sprintf("environments[%d].%s", i, field)
}

// dedupe drops repeats of the same problem (a field checked once per
// environment that is wrong the same way in each).
func dedupe(p problems) []*FieldError {
	seen := map[FieldError]bool{}
	var out []*FieldError
	for _, e := range p {
		if !seen[*e] {
			seen[*e] = true
			out = append(out, e)
		}
	}
	return out
}

// validate returns one FieldError per field in error: each field reports the
// first rule it breaks, so one mistake is one message. Text comes first
// (textRules), then the sections in the order of the file: identity (name,
// tooling, organization), source, build, deploy (with its release strategy
// and hooks), suites, pipeline settings, environments, the variable
// references that cross sections, then observability.
func (c *Config) validate() []*FieldError {
	// A field with a control or bidirectional character, or a ${...}
	// placeholder where none expands, reports that alone.
	var text problems
	c.textRules(&text)
	c.placeholderRules(&text)
	p := slices.Clone(text)
	c.validateIdentity(&p)
	c.validateSource(&p)
	c.validateBuild(&p)
	c.validateDeploy(&p)
	c.validateSuites(&p, "tests", c.Tests, false)
	c.validateSecurityScan(&p)
	c.validatePipeline(&p)
	c.validateEnvironments(&p)
	c.validateSteps(&p)
	c.applicabilityRules(&p)
	c.validateReferences(&p)
	c.validateObservability(&p)
	c.validateAssets(&p)
	c.validateQuotas(&p)
	if len(text) > 0 {
		p = slices.DeleteFunc(p[len(text):], func(e *FieldError) bool {
			return slices.ContainsFunc(text, func(t *FieldError) bool { return t.Path == e.Path })
		})
		p = append(text, p...)
	}
	return dedupe(p)
}
