package delivery_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/relaytest"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

func withEnvironments(t *testing.T, n int, wave func(i int) string) *config.Config {
	t.Helper()
	cfg, err := config.Parse("example.yaml", config.Example())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Environments = nil
	cfg.Deploy.Hooks = nil // plain change sets: two actions per environment
	for i := 0; i < n; i++ {
		cfg.Environments = append(cfg.Environments, config.Environment{
			Name: fmt.Sprintf("env%d", i), Account: fmt.Sprintf("%012d", 500000000000+i), Regions: []string{"us-east-1"}, Wave: wave(i),
		})
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestValidate(t *testing.T) {
	own := func(int) string { return "" }
	tests := []struct {
		name string
		cfg  *config.Config
		want string
	}{
		{"48 environments fit", withEnvironments(t, 48, own), ""},
		{"49 environments need waves", withEnvironments(t, 49, own),
			"environments: Deployments: 49 deploy stages plus Source and Build make 51 stages; a pipeline has at most 50: put environments that may deploy together in one wave (environments[].wave): waves of 2 or more environments fit"},
		{"1000 environments in waves of 25", withEnvironments(t, 1000, func(i int) string { return fmt.Sprintf("w%d", i/25) }), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if err := delivery.Validate(tc.cfg); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("Validate() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDeploymentsFollowNaming(t *testing.T) {
	cfg, err := config.Parse("example.yaml", config.Example())
	if err != nil {
		t.Fatal(err)
	}
	deps := delivery.Deployments(cfg)
	n := delivery.Names(cfg)
	if len(deps) != 2 {
		t.Fatalf("got %d deployments, want 2", len(deps))
	}
	prod := deps[1]
	if prod.DeployRoleArn != "arn:aws:iam::333333333333:role/relay/payments/payments-production-deploy" ||
		prod.ExecutionRoleArn != "arn:aws:iam::333333333333:role/relay/payments/payments-production-cfn-exec" ||
		prod.Approval == nil || prod.Approval.TopicName != n.ApprovalTopic("production") || deps[0].Approval != nil {
		t.Errorf("production deployment = %+v", prod)
	}
}

// Example builds every stack of the embedded example configuration: the
// target stacks first, then the tooling stack that depends on them.
func Example() {
	cfg, err := config.Parse("example.yaml", config.Example())
	if err != nil {
		fmt.Println(err)
		return
	}
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false)})
	d := delivery.New(app, cfg)
	for _, s := range d.Stacks() {
		var deps []string
		for _, dep := range *s.Dependencies() {
			deps = append(deps, *dep.StackName())
		}
		fmt.Printf("%s in %s/%s, after [%s]\n", *s.StackName(), *s.Account(), *s.Region(), strings.Join(deps, " "))
	}
	// Output:
	// payments-staging in 222222222222/us-east-1, after []
	// payments-production in 333333333333/us-east-1, after []
	// payments-tooling in 111111111111/us-east-1, after [payments-staging payments-production]
}
