// Package config reads and validates a Relay configuration file (relay.yaml).
//
// Load decodes YAML strictly (unknown keys, wrong types and duplicate keys are
// errors that carry their line number), applies documented defaults, and
// validates every rule at once, each problem a *FieldError naming the field,
// its value and the fix. A Config returned without error is complete: the
// constructs that consume it never guess.
//
// # Limits of the file
//
// Before the YAML parser builds anything, Parse reads the bytes once, in
// constant memory, and refuses on its line a file larger than MaxBytes (2
// MiB), nesting lists and mappings deeper than MaxDepth (64 levels), or with
// more than MaxNodes YAML nodes (200,000), since go-yaml's parser costs time
// and memory that grow with the square of the depth. The syntax tree is
// checked again, with aliases expanded, before decoding. A UTF-8 byte-order
// mark is stripped; other encodings, characters YAML allows only escaped,
// and control or bidirectional characters (Trojan Source) in comments are
// refused by line, and in any text field by the field's name.
//
// # Layout
//
// Each section of the file has one source file holding its types, its
// defaults and its rules, and one test file: config.go (name, tooling,
// organization), source.go, build.go, deploy.go (stack and execution
// policy), strategy.go and strategy_<kind>.go (release strategies), hooks.go,
// suites.go, pipeline.go, environments.go, gates.go (approval, freeze, entry
// conditions; cron.go checks cron expressions), references.go (variables
// across sections), observability.go (notifications, dashboard, alarms,
// audit), quotas.go (AWS quotas declared raised in Service Quotas) and
// applies.go (settings that apply only to some environment kinds,
// strategies or waves). input.go and text.go judge the
// file and its text as a whole; load.go decodes; validate.go orders the
// sections and defines FieldError.
package config
