package test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/canary"
	"github.com/relaycdk/relay/constructs/codedeploy"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/constructs/target"
)

// TestNilProps: every constructor whose props have required fields refuses
// nil props with a message that names the constructor (aws-cdk-go's
// convention: a panic), never a nil-pointer dereference; Validate on nil
// props returns an error (issue 14).
func TestNilProps(t *testing.T) {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Stack"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
	tests := []struct {
		name     string
		new      func()
		validate func() error
		panic    string
	}{
		{"target.New", func() { target.New(stack, "T", nil) }, func() error { return (*target.Props)(nil).Validate() },
			"target.New: props are nil; pass &target.Props{...}"},
		{"pipeline.New", func() { pipeline.New(stack, "P", nil) }, func() error { return (*pipeline.Props)(nil).Validate() },
			"pipeline.New: props are nil; pass &pipeline.Props{...}"},
		{"canary.New", func() { canary.New(stack, "C", nil) }, func() error { return (*canary.Props)(nil).Validate() },
			"canary.Props: nil; set at least Function and DeploymentConfig"},
		{"codedeploy.NewECS", func() { codedeploy.NewECS(stack, "E", nil) }, func() error { return (*codedeploy.ECSProps)(nil).Validate() },
			"codedeploy.NewECS: props are nil; pass &codedeploy.ECSProps{...}"},
		{"codedeploy.NewServer", func() { codedeploy.NewServer(stack, "S", nil) }, func() error { return (*codedeploy.ServerProps)(nil).Validate() },
			"codedeploy.NewServer: props are nil; pass &codedeploy.ServerProps{...}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg, ok := relaytest.Recover(tc.new)
			if ok || msg != tc.panic {
				t.Errorf("%s(nil): panicked %v with %q, want %q", tc.name, !ok, msg, tc.panic)
			}
			if err := tc.validate(); err == nil {
				t.Errorf("Validate on nil props = nil, want an error")
			}
		})
	}
}
