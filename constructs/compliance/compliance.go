// Package compliance adds cdk-nag's rule packs to an app: AwsSolutions. A
// finding that is neither fixed nor suppressed is an error annotation, which
// fails `cdk synth` and Relay's tests.
//
// Relay's constructs record the suppressions of the resources they create,
// when they create them, each with the exact finding (appliesTo) wherever
// cdk-nag reports one and a written reason (package internal/nag): a new
// wildcard is a new finding rather than something a broad suppression hides,
// and a renamed construct keeps its suppressions. Suppress does the same for
// a team's own resources.
package compliance

import (
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

// Check adds the rule packs Relay runs to scope: AwsSolutions.
func Check(scope constructs.Construct) { AwsSolutions(scope) }

// AwsSolutions writes the suppressions Relay's constructs (and Suppress)
// recorded so far, then adds cdk-nag's AwsSolutions pack to scope. Call it
// after building the stacks. To run other packs, or cdk-nag's packs
// yourself, call ApplySuppressions first.
func AwsSolutions(scope constructs.Construct) {
	ApplySuppressions()
	awscdk.Aspects_Of(scope).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{
		Verbose: jsii.Bool(true),
		Reports: jsii.Bool(false),
	}), nil)
}

// Suppress records suppressions on resource and its children; the next
// AwsSolutions (or ApplySuppressions) writes them as cdk-nag metadata. It
// panics on a reason under 10 characters (cdk-nag's minimum).
func Suppress(resource constructs.IConstruct, suppressions ...Suppression) {
	nag.Suppress(resource, suppressions...)
}

// ApplySuppressions writes every suppression recorded so far by Relay's
// constructs and Suppress, as cdk-nag metadata on each resource and its
// children (cdk-nag's NagSuppressions.addResourceSuppressions). Relay's
// constructs record their suppressions when they create their resources
// but write them only here, so that an app that runs no pack never loads
// cdk-nag; AwsSolutions calls it. Call it yourself before adding cdk-nag
// packs other than through this package.
func ApplySuppressions() { nag.Apply() }
