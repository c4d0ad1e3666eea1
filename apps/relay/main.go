// Command relay is the Relay CDK app: it loads a configuration, translates
// it into the props of every construct (delivery.Translate, which validates
// all of them before the jsii runtime starts), builds the tooling and
// target stacks (delivery.New), checks them with cdk-nag, against AWS
// quotas (with those the configuration declares raised: quotas, through
// limits.Quotas.CheckDir) and for physical names that two resources take in
// one AWS scope, and synthesizes them.
//
// The configuration path comes from the CDK context key "config"
// (cdk synth -c config=relay.yaml); without it, the embedded example is used.
// cdk-nag's AwsSolutions pack runs by default; the context key "nag" chooses
// the packs: all (AwsSolutions, NIST 800-53 rev 5, PCI DSS 3.2.1 and HIPAA
// Security, all in the same synthesis, with cdk-nag's JSON report of each
// stack written next to the templates for the compliance report), a
// comma-separated list of pack names, or false. An unsuppressed finding, or
// any other error annotation, fails the synth and no template is written.
// aws-cdk-lib's built-in CloudFormation validation does not run: Relay's
// configuration, plan and quota checks and cdk-nag run on every synth, and
// Relay's tests lint every example with cfn-lint (the README lists what the
// built-in validation checks and what replaces each check). The context key
// "strict" ("true"; "validation" is the older name) runs it too, strictly:
// any finding it reports fails the synth.
//
// Nothing is written to the output folder (CDK_OUTDIR) unless every check
// passes: the app synthesizes into a private staging folder, checks the
// templates there, and only then copies them into place, recording what it
// wrote in .relay-output.json. When a synth fails, the files that file lists
// are removed, so that no template of an earlier synth is deployed by
// mistake, and any other deployable file left there is named; files Relay
// did not write are never touched.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/assembly"
	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/internal/cdkapp"
)

func main() {
	os.Exit(run())
}

func run() (code int) {
	outdir := os.Getenv("CDK_OUTDIR")
	fail := func(err error) int {
		fmt.Fprintf(os.Stderr, "relay: %v\n", err)
		withdraw(outdir)
		fmt.Fprintln(os.Stderr, "relay: no templates were written")
		return 1
	}
	staging, err := os.MkdirTemp("", "relay-synth-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(staging)
	// A construct or aws-cdk-lib error surfaces from jsii as a panic: it
	// fails the synth like any other error, as one message without a stack
	// trace, and the earlier output is withdrawn all the same.
	defer func() {
		if r := recover(); r != nil {
			code = fail(synthError(r, staging))
		}
	}()
	// The jsii runtime inherits the environment: it must write to staging.
	os.Unsetenv("CDK_OUTDIR")
	cdkapp.SmallYoungGeneration()
	defer jsii.Close()

	ctx, err := cliContext()
	if err != nil {
		return fail(err)
	}
	// The config is read, translated and checked before the jsii runtime
	// starts.
	packs, explicitPacks, err := nagPacks(ctx["nag"])
	if err != nil {
		return fail(err)
	}
	cfg, err := load(ctx["config"])
	if err != nil {
		return fail(err)
	}
	spec, err := delivery.Translate(cfg)
	if err != nil {
		return fail(err)
	}
	app := cdkapp.New(cdkapp.Options{Outdir: staging, Strict: isTrue(ctx["strict"]) || isTrue(ctx["validation"])})
	// The jsii kernel has loaded aws-cdk-lib and constructs.
	releaseEmbeddedPackages()
	delivery.New(app, spec)
	// cdk-nag runs unless -c nag=false: an unsuppressed finding fails synth.
	if len(packs) > 0 {
		compliance.Run(app, compliance.Options{Packs: packs, Reports: explicitPacks})
	}
	// And cdk-nag, with its packs.
	releaseEmbeddedPackages()
	if err := synth(app); err != nil {
		if found := cdkapp.Findings(staging); len(found) > 0 {
			return fail(fmt.Errorf("strict synth: aws-cdk-lib's built-in CloudFormation validation found %d problem(s):\n  %s",
				len(found), strings.Join(found, "\n  ")))
		}
		return fail(err)
	}

	// The templates are measured against the quotas the configuration
	// declares raised, as its validation and the constructs were.
	findings, err := cfg.DeclaredQuotas().CheckDir(staging)
	if err != nil {
		return fail(err)
	}
	over, taken, unresolved := 0, 0, 0
	for _, f := range findings {
		// A quota is reported through the config fields that drive the
		// value, with a fix that holds for this config; so is a name
		// that two resources take in one AWS scope.
		f = spec.Explain(f)
		level := "warning"
		if f.Over() {
			level = "error"
			if kind, _ := limits.UniqueKind(f.Limit.ID); kind != "" {
				taken++
			} else if f.Limit.ID == limits.VariableReference {
				unresolved++
			} else {
				over++
			}
		}
		fmt.Fprintf(os.Stderr, "relay: %s: %v\n", level, f)
	}
	var refused []string
	if over > 0 {
		refused = append(refused, fmt.Sprintf("%d AWS quota(s) exceeded", over))
	}
	if taken > 0 {
		refused = append(refused, fmt.Sprintf("%d physical name(s) taken twice in one AWS scope", taken))
	}
	if unresolved > 0 {
		refused = append(refused, fmt.Sprintf("%d variable reference(s) that cannot resolve when their action runs", unresolved))
	}
	if len(refused) > 0 {
		return fail(errors.New(strings.Join(refused, "; ")))
	}
	if err := annotatedErrors(staging); err != nil {
		return fail(err)
	}
	if outdir == "" {
		outdir, err = os.MkdirTemp("", "cdk.out")
		if err != nil {
			return fail(err)
		}
	}
	if err := publish(staging, outdir); err != nil {
		return fail(fmt.Errorf("copying the templates to %s: %w", outdir, err))
	}
	return 0
}

// isTrue reports whether a context value is true (the CLI passes -c
// key=true as the string "true").
func isTrue(v interface{}) bool { return v == true || v == "true" }

// synth synthesizes app; an aws-cdk-lib error (a jsii panic) is returned.
func synth(app awscdk.App) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("synth failed: %v", r)
		}
	}()
	app.Synth(nil)
	return nil
}

// cliContext is the CDK context the CLI passes in CDK_CONTEXT_JSON (empty
// when the app runs alone).
func cliContext() (map[string]interface{}, error) {
	ctx := map[string]interface{}{}
	if raw := os.Getenv("CDK_CONTEXT_JSON"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &ctx); err != nil {
			return nil, fmt.Errorf("CDK_CONTEXT_JSON: %w", err)
		}
	}
	return ctx, nil
}

// nagPacks reads the context value v of "nag" (see compliance.ParsePacks;
// a JSON bool is true or false), and whether it was given.
func nagPacks(v interface{}) (packs []compliance.Pack, given bool, err error) {
	switch x := v.(type) {
	case nil:
		packs, err = compliance.ParsePacks("")
		return packs, false, err
	case bool:
		packs, err = compliance.ParsePacks(fmt.Sprint(x))
	case string:
		packs, err = compliance.ParsePacks(x)
	default:
		err = fmt.Errorf("context \"nag\" %v: must be all, none, false or a comma-separated list of pack names", v)
	}
	return packs, true, err
}

// maxListedErrors bounds the error annotations a failed synth prints.
const maxListedErrors = 50

// annotatedErrors fails when the assembly in dir has error annotations
// (an unsuppressed cdk-nag finding, or a construct's addError), listing
// them: the CDK CLI would refuse them only after the templates were
// written.
func annotatedErrors(dir string) error {
	a, err := assembly.Read(dir)
	if err != nil {
		return err
	}
	var lines []string
	n := 0
	for _, s := range a.Stacks {
		for _, e := range s.Errors {
			n++
			if len(lines) < maxListedErrors {
				msg, _, _ := strings.Cut(e.Message, "\n")
				lines = append(lines, fmt.Sprintf("  %s: %s", e.Path, msg))
			}
		}
	}
	if n == 0 {
		return nil
	}
	if n > len(lines) {
		lines = append(lines, fmt.Sprintf("  ... and %d more", n-len(lines)))
	}
	return fmt.Errorf("%d error annotation(s); fix each, or suppress a cdk-nag finding beside its resource with its reason (compliance.Suppress):\n%s", n, strings.Join(lines, "\n"))
}

// load reads the config named by the context value v, or the embedded
// example when v is empty.
func load(v interface{}) (*config.Config, error) {
	switch path := v.(type) {
	case nil:
		return config.Parse("example.yaml (embedded)", config.Example())
	case string:
		if path == "" {
			return nil, fmt.Errorf(`context "config" is empty: pass -c config=path/to/relay.yaml, or omit it for the embedded example`)
		}
		return config.Load(path)
	default:
		return nil, fmt.Errorf("context \"config\" %v: must be a file path", v)
	}
}
