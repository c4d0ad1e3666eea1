// Package plan turns the blueprint of a delivery pipeline into the whole
// pipeline as data, in pure Go: no CDK, no jsii (a test asserts it), so it
// runs in microseconds and gets fast table tests.
//
// The blueprint (Input) says where executions start (Source, ExtraSources),
// how the source is built (Build), tested (Tests) and scanned (Scan), and
// where the build is released (Deployments: a Target, one account or a
// StackSet across accounts or organizational units, a Release strategy, and
// invoke Hooks around it). Every "exactly one of" choice is a sealed
// interface (Source, Target, Release, Invoke, BuildVariable), so a value
// cannot set two kinds at once.
//
// New validates the blueprint, applies the defaults (package
// internal/defaults, shared with the YAML config) and plans it: every stage
// (Source, Build, Test, Scan, one Deploy stage per wave, split at the
// actions-per-stage quota) with its entry conditions, freeze and rollback,
// and every action as one of a sealed set of kinds (Kind), each with its
// name, run order, account, region, role, input and output artifacts,
// variable namespace, the input field it came from and, per CodePipeline
// configuration key, the field that drives it. Every count AWS limits
// (stages per pipeline, actions per stage, composed names, namespaces unique
// per pipeline, action names unique per stage) is decided here, once, with
// the numbers of package limits. Values whose length only the rendered
// template shows (action configuration values) are measured by
// limits.CheckTemplate and reported through the field the plan recorded
// (Pipeline.Explain).
//
// Package pipeline renders a plan with aws-cdk-lib, one small function per
// action kind; package delivery builds the Input from a relay.yaml and names
// its fields by their YAML paths (Input.Paths).
//
// Adding a release or invoke kind is one file here (release_*.go,
// invoke_*.go: its fields, defaults, validation, the actions it plans and
// their kinds), its render function in package pipeline (deploys.go), and the
// statements of its role in the account it runs in (package delivery,
// roles.go, for a target account; package pipeline, roles.go, for the
// tooling account).
package plan
