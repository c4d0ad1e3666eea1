// Command relay is the Relay CDK app: it loads a configuration, builds the
// tooling and target stacks, checks them with cdk-nag and synthesizes them.
//
// The configuration path comes from the CDK context key "config"
// (cdk synth -c config=relay.yaml); without it, the embedded example is used.
// cdk-nag's AwsSolutions pack runs unless the context key "nag" is false.
// An invalid configuration exits non-zero before any template is written.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
)

func main() {
	os.Exit(run())
}

func run() int {
	defer jsii.Close()
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false)})
	cfg, err := load(app.Node().TryGetContext(jsii.String("config")))
	if err == nil {
		err = delivery.Validate(cfg)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "relay: %v\nrelay: no templates were written\n", err)
		return 1
	}
	d := delivery.New(app, cfg)
	// cdk-nag runs unless -c nag=false: an unsuppressed finding fails synth.
	if v := app.Node().TryGetContext(jsii.String("nag")); v != false && v != "false" {
		compliance.Check(app, d)
	}
	app.Synth(nil)
	return 0
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
