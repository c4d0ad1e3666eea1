// Package compliance adds cdk-nag's rule packs to an app: AwsSolutions by
// default, and NIST 800-53 rev 5, PCI DSS 3.2.1 and HIPAA Security on
// request. A finding that is neither fixed nor suppressed is an error
// annotation, which fails `cdk synth`, the Relay app and Relay's tests.
//
// Relay's constructs record the suppressions of the resources they create,
// when they create them, each with the exact finding (appliesTo) wherever
// cdk-nag reports one and a written reason (package internal/nag): a new
// wildcard is a new finding rather than something a broad suppression hides,
// and a renamed construct keeps its suppressions. Suppress does the same for
// a team's own resources.
//
// With Options.Reports, every pack writes cdk-nag's JSON report of every
// stack into the cloud assembly (<Pack>-<Stack>-NagReport.json): each rule
// and resource with Compliant, Non-Compliant, Suppressed (and the reason) or
// N/A. Package compliance/report reads them as evidence.
package compliance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/relaycdk/relay/constructs/internal/nag"
)

// Suppression is one finding that does not apply, and why: Rule (such as
// AwsSolutions-IAM5), AppliesTo (the exact findings, such as
// "Resource::arn:aws:s3:::bucket/*"; default every finding of Rule) and
// Reason (at least 10 characters).
type Suppression = nag.Suppression

// Pack is one of cdk-nag's rule packs, named as cdk-nag prefixes its rule
// IDs (HIPAA.Security-IAMNoInlinePolicy).
type Pack string

// The packs Relay runs.
const (
	// PackAwsSolutions is cdk-nag's AWS Solutions pack: the default.
	PackAwsSolutions Pack = "AwsSolutions"
	// PackNIST80053R5 is NIST SP 800-53 revision 5 (the AWS Config conformance
	// pack's rules).
	PackNIST80053R5 Pack = "NIST.800.53.R5"
	// PackPCIDSS321 is PCI DSS 3.2.1. PCI DSS 4.0 replaced 3.2.1 (retired
	// March 2024); Relay's compliance report maps to 4.0 requirements.
	PackPCIDSS321 Pack = "PCI.DSS.321"
	// PackHIPAASecurity is the HIPAA Security Rule (45 CFR Part 164).
	PackHIPAASecurity Pack = "HIPAA.Security"
)

// AllPacks are the packs `-c nag=all` runs, in report order.
var AllPacks = []Pack{PackAwsSolutions, PackNIST80053R5, PackPCIDSS321, PackHIPAASecurity}

// ParsePacks reads the value of the Relay app's context key "nag": "all"
// (AllPacks), "none" or "false" (no pack), "true" or "" (AwsSolutions), or a
// comma-separated list of pack names (AwsSolutions,HIPAA.Security), case
// insensitive. An unknown name is an error that lists the known ones.
func ParsePacks(s string) ([]Pack, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "", "true":
		return []Pack{PackAwsSolutions}, nil
	case "all":
		return slices.Clone(AllPacks), nil
	case "none", "false":
		return nil, nil
	}
	var out []Pack
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		i := slices.IndexFunc(AllPacks, func(p Pack) bool { return strings.EqualFold(string(p), name) })
		if i < 0 {
			return nil, fmt.Errorf("context \"nag\" %q: unknown pack %q; use all, none, or a comma-separated list of %s", s, name, packNames())
		}
		if !slices.Contains(out, AllPacks[i]) {
			out = append(out, AllPacks[i])
		}
	}
	return out, nil
}

func packNames() string {
	names := make([]string, len(AllPacks))
	for i, p := range AllPacks {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

// Options choose the packs and their reports.
type Options struct {
	// Packs are the packs to run. Default: AwsSolutions.
	Packs []Pack
	// Reports writes each pack's JSON report of each stack into the cloud
	// assembly. Default: false (no files besides the templates).
	Reports bool
}

// Check adds packs to scope (default AwsSolutions), as aspects that all run
// during the same synthesis, after writing the recorded suppressions (see
// Run).
func Check(scope constructs.Construct, packs ...Pack) { Run(scope, Options{Packs: packs}) }

// Run writes the suppressions Relay's constructs (and Suppress) recorded
// so far (ApplySuppressions), then adds the packs of opts to scope. Call it
// after building the stacks. To run cdk-nag's packs yourself, call
// ApplySuppressions first.
func Run(scope constructs.Construct, opts Options) {
	ApplySuppressions()
	packs := opts.Packs
	if len(packs) == 0 {
		packs = []Pack{PackAwsSolutions}
	}
	props := &cdknag.NagPackProps{Verbose: jsii.Bool(true), Reports: jsii.Bool(opts.Reports)}
	if opts.Reports {
		props.ReportFormats = &[]cdknag.NagReportFormat{cdknag.NagReportFormat_JSON}
	}
	aspects := awscdk.Aspects_Of(scope)
	for _, p := range packs {
		switch p {
		case PackAwsSolutions:
			aspects.Add(cdknag.NewAwsSolutionsChecks(props), nil)
		case PackNIST80053R5:
			aspects.Add(cdknag.NewNIST80053R5Checks(props), nil)
		case PackPCIDSS321:
			aspects.Add(cdknag.NewPCIDSS321Checks(props), nil)
		case PackHIPAASecurity:
			aspects.Add(cdknag.NewHIPAASecurityChecks(props), nil)
		default:
			panic(fmt.Sprintf("compliance: unknown pack %q; use one of %s", p, packNames()))
		}
	}
}

// AwsSolutions adds cdk-nag's AwsSolutions pack to scope (Check with
// PackAwsSolutions). Call it after building the stacks.
func AwsSolutions(scope constructs.Construct) { Check(scope, PackAwsSolutions) }

// Suppress records suppressions on resource and its children; the next
// Run (or ApplySuppressions) writes them as cdk-nag metadata. It
// panics on a reason under 10 characters (cdk-nag's minimum).
func Suppress(resource constructs.IConstruct, suppressions ...Suppression) {
	nag.Suppress(resource, suppressions...)
}

// ApplySuppressions writes every suppression recorded so far by Relay's
// constructs and Suppress, as cdk-nag metadata on each resource and its
// children (cdk-nag's NagSuppressions.addResourceSuppressions). Relay's
// constructs record their suppressions when they create their resources
// but write them only here, so that an app that runs no pack never loads
// cdk-nag; Run (and Check, AwsSolutions) calls it. Call it yourself before adding cdk-nag
// packs other than through this package.
func ApplySuppressions() { nag.Apply() }
