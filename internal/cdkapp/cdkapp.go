// Package cdkapp is how Relay creates aws-cdk-lib Apps, in the relay app,
// in its tests (through relaytest.NewApp) and for the templates it
// synthesizes on its own (a StackSet's roles): no analytics, no creation
// stack traces (in Go they show only the jsii kernel's frames), and
// aws-cdk-lib's built-in CloudFormation validation only in a strict synth,
// where every finding it reports fails the synth.
//
// Without Strict, Relay does not run the built-in validation: on Relay's
// templates it has reported nothing (every example and test configuration),
// it costs more than half of a default synth (its WebAssembly engine is
// built in every process: about 2 s and 250 MB at 2 environments), and by
// default aws-cdk-lib only prints its findings as warnings. What it checks
// is covered by Relay's configuration, plan and quota checks at synth,
// cdk-nag, and cfn-lint over every example in Relay's tests; the README
// lists each check and its replacement.
package cdkapp

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// Options say how to create an App.
type Options struct {
	// Outdir is the cloud assembly folder. Default: a temporary folder
	// (aws-cdk-lib's default when CDK_OUTDIR is not set).
	Outdir string
	// Strict runs aws-cdk-lib's built-in CloudFormation validation over
	// every template and turns each finding, warnings included, into an
	// error: App.Synth panics, and Findings lists them.
	Strict bool
}

// Props are the AppProps of an App created with o.
func Props(o Options) *awscdk.AppProps {
	context := Flags()
	props := &awscdk.AppProps{
		// Defaults: cdk.json and -c still override them.
		Context:                         &context,
		AnalyticsReporting:              jsii.Bool(false),
		StackTraces:                     jsii.Bool(false),
		BuiltinCloudFormationValidation: jsii.Bool(o.Strict),
	}
	if o.Outdir != "" {
		props.Outdir = jsii.String(o.Outdir)
	}
	if o.Strict {
		// After the CLI's context, so that cdk.json cannot weaken a strict
		// synth.
		props.PostCliContext = &map[string]interface{}{
			// aws-cdk-lib reports the validation's findings as warnings
			// unless this is set, and synthesizes anyway.
			"@aws-cdk/core:validateAgainstDefaultRules": true,
			// And warnings fail the synth as errors do.
			"@aws-cdk/core:strictCfnValidateErrors": true,
		}
	}
	return props
}

//go:embed flags.json
var flagsJSON []byte

// Flags are the aws-cdk-lib feature flags every App of Relay sets (as
// context defaults, so cdk.json and -c still override them): aws-cdk-lib's
// recommended values (recommended-feature-flags.json of the aws-cdk-lib
// version in go.mod, what `cdk init` writes into a new cdk.json). Setting
// them all is what silences the CDK CLI's "N feature flags are not
// configured" on every command, and the tests synthesize with the same
// flags as the app. A new map on every call.
func Flags() map[string]interface{} {
	var flags map[string]interface{}
	if err := json.Unmarshal(flagsJSON, &flags); err != nil {
		panic(fmt.Sprintf("cdkapp: flags.json: %v", err))
	}
	for name, p := range Pinned {
		flags[name] = p.Value
	}
	return flags
}

// A Pin is a feature flag Relay sets to another value than the
// recommended one, and why.
type Pin struct {
	Value  interface{}
	Reason string
}

// Pinned are the feature flags Relay sets to aws-cdk-lib's behaviour
// without the flag rather than to the recommended value (a flag set either
// way counts as configured for the CDK CLI).
var Pinned = map[string]Pin{
	// Literal partitions ("arn:aws:..." instead of "arn:${AWS::Partition}:..."
	// where the region is known) rewrite ARNs in every template and every
	// cdk-nag finding Relay suppresses by name, for no change in what is
	// deployed: Relay already writes the partition from its configuration
	// wherever it composes an ARN.
	"@aws-cdk/core:enablePartitionLiterals": {false, "rewrites ARNs and cdk-nag findings without changing what is deployed"},
	// cdk-nag reports its findings as error annotations, which the CDK CLI
	// lists one by one and refuses to deploy, and which Relay's tests read
	// (TestNoNagFindings). With this flag aws-cdk-lib would instead fail
	// App.Synth with a bare "Validation failed" and a report file.
	"@aws-cdk/core:annotationsInValidationReport": {false, "cdk-nag's findings stay annotations, listed by the CLI and read by the tests"},
	// Minimized policies merge statements and sort their actions: Relay's
	// statements keep their Sids and order, so that each matches its
	// cdk-nag reason and its line in the README, and Relay checks policy
	// sizes against IAM's limits itself.
	"@aws-cdk/aws-iam:minimizePolicies": {false, "Relay keeps each statement as written (Sid, order) and checks policy sizes itself"},
}

// New creates an App with o.
func New(o Options) awscdk.App { return awscdk.NewApp(Props(o)) }

// Findings are the findings of aws-cdk-lib's validation report in the cloud
// assembly folder dir (validation-report.json), one line each: the stack
// and logical ID (or the construct path), what is wrong, the plugin and
// rule, and the suggested fix. None when there is no report.
func Findings(dir string) []string {
	raw, err := os.ReadFile(filepath.Join(dir, "validation-report.json"))
	if err != nil {
		return nil
	}
	var report struct {
		PluginReports []struct {
			PluginName string `json:"pluginName"`
			Violations []struct {
				RuleName     string `json:"ruleName"`
				Description  string `json:"description"`
				SuggestedFix string `json:"suggestedFix"`
				Constructs   []struct {
					Path     string `json:"constructPath"`
					Resource struct {
						Template  string `json:"templatePath"`
						LogicalID string `json:"logicalId"`
					} `json:"cloudFormationResource"`
				} `json:"violatingConstructs"`
			} `json:"violations"`
		} `json:"pluginReports"`
	}
	if err := json.Unmarshal(raw, &report); err != nil {
		return []string{fmt.Sprintf("%s: unreadable validation report: %v", filepath.Join(dir, "validation-report.json"), err)}
	}
	var out []string
	for _, p := range report.PluginReports {
		for _, v := range p.Violations {
			fix := ""
			if v.SuggestedFix != "" {
				fix = "; fix: " + v.SuggestedFix
			}
			for _, c := range v.Constructs {
				where := c.Path
				if c.Resource.LogicalID != "" {
					where = strings.TrimSuffix(filepath.Base(c.Resource.Template), ".template.json") + "/" + c.Resource.LogicalID
				}
				out = append(out, fmt.Sprintf("%s: %s (%s %s%s)", where, v.Description, p.PluginName, v.RuleName, fix))
			}
		}
	}
	return out
}

// SmallYoungGeneration gives the jsii processes (node, which inherit the
// environment) a 2 MB semi-space unless NODE_OPTIONS sets one: a synth
// allocates many short-lived objects and keeps little, and with V8's
// default (16 MB and more) each scavenge walks more memory. Measured on
// this machine: 7% less CPU at 100 environments and 15 MB less memory at
// 2 on the bench topology; 11% less CPU synthesizing every golden
// configuration in one test binary. Call it before the first jsii call
// (the jsii runtime starts then); the relay app and relaytest.Main do.
func SmallYoungGeneration() {
	opts := os.Getenv("NODE_OPTIONS")
	if !strings.Contains(opts, "--max-semi-space-size") {
		os.Setenv("NODE_OPTIONS", strings.TrimSpace(opts+" --max-semi-space-size=2"))
	}
}
