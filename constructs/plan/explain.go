package plan

import "github.com/relaycdk/relay/constructs/limits"

// Action is the action named action in stage, or nil.
func (pl *Pipeline) Action(stage, action string) *Action {
	for i := range pl.Stages {
		if pl.Stages[i].Name != stage {
			continue
		}
		for j := range pl.Stages[i].Actions {
			if a := &pl.Stages[i].Actions[j]; a.Name == action {
				return a
			}
		}
	}
	return nil
}

// FieldOf is the input field that drives configuration key of the action
// named action in stage, and whether the plan knows it.
func (pl *Pipeline) FieldOf(stage, action, key string) (Field, bool) {
	a := pl.Action(stage, action)
	if a == nil {
		return Field{}, false
	}
	f, ok := a.Configuration[key]
	return f, ok && f.Path != ""
}

// Explain names, in a finding of limits.CheckTemplate about an action
// configuration value of this plan's pipeline, the field that drives the
// value and its fix (limits.Finding.Field and Fix): a value over its length
// (limits.ActionConfiguration), or one with a variable reference that cannot
// resolve (limits.VariableReference, which keeps its own fix). Other
// findings come back unchanged.
func (pl *Pipeline) Explain(f limits.Finding) limits.Finding {
	if (f.Limit.ID != limits.ActionConfiguration && f.Limit.ID != limits.VariableReference) || f.Key == "" {
		return f
	}
	if field, ok := pl.FieldOf(f.Stage, f.Action, f.Key); ok {
		f.Field = field.Path
		// A field's fix shortens its value; a reference that cannot
		// resolve keeps the rule's own.
		if f.Limit.ID == limits.ActionConfiguration {
			f.Fix = field.Fix
		}
	}
	return f
}
