// Package config reads and validates a Relay configuration file (relay.yaml).
//
// Load decodes YAML strictly (unknown keys, wrong types and duplicate keys are
// errors that carry their line number), applies documented defaults, and
// validates every rule at once, each problem a *FieldError naming the field,
// its value and the fix. A Config returned without error is complete: the
// constructs that consume it never guess.
package config
