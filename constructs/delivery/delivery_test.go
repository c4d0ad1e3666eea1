package delivery_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

func example(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse("example.yaml", config.Example())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func withEnvironments(t *testing.T, n int, wave func(i int) string) *config.Config {
	t.Helper()
	cfg := example(t)
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

// TestTranslateRefuses checks that what does not fit a pipeline is refused
// by Translate, before jsii, naming config fields.
func TestTranslateRefuses(t *testing.T) {
	own := func(int) string { return "" }
	withTests := func(cfg *config.Config) *config.Config {
		cfg.Tests = []config.Suite{{Name: "unit", Commands: []string{"make test"}, Input: "source", RunOrder: 1}}
		return cfg
	}
	tests := []struct {
		name string
		cfg  *config.Config
		want string
	}{
		{"48 environments fit", withEnvironments(t, 48, own), ""},
		{"49 environments need waves", withEnvironments(t, 49, own),
			"environments: 49 deploy stages plus Source and Build make 51 stages; a pipeline has at most 50: put environments that may deploy together in one wave (environments[].wave): waves of 2 or more environments fit"},
		// The bug the release plan fixes: a Test stage was left out of one
		// of the two stage counts, and jsii panicked.
		{"a Test stage and 48 environments", withTests(withEnvironments(t, 48, own)),
			"environments: 48 deploy stages plus Source, Build and Test make 51 stages; a pipeline has at most 50: put environments that may deploy together in one wave (environments[].wave): waves of 2 or more environments fit"},
		{"1000 environments in waves of 25", withEnvironments(t, 1000, func(i int) string { return fmt.Sprintf("w%d", i/25) }), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if _, err := delivery.Translate(tc.cfg); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("Translate() = %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestTranslateFollowsNaming(t *testing.T) {
	spec, err := delivery.Translate(example(t))
	if err != nil {
		t.Fatal(err)
	}
	deps := spec.Pipeline.Deployments
	if len(deps) != 2 {
		t.Fatalf("got %d deployments, want 2", len(deps))
	}
	prod := deps[1].Target.(*pipeline.Account)
	want := &pipeline.Account{
		ID:               "333333333333",
		DeployRoleArn:    "arn:aws:iam::333333333333:role/relay/payments/payments-production-deploy",
		ExecutionRoleArn: "arn:aws:iam::333333333333:role/relay/payments/payments-production-cfn-exec",
		InvokeRoleArn:    "arn:aws:iam::333333333333:role/relay/payments/payments-production-invoke",
	}
	if diff := cmp.Diff(want, prod); diff != "" {
		t.Errorf("production target (-want +got):\n%s", diff)
	}
	if a := deps[1].Approval; a == nil || a.TopicName != spec.Names.ApprovalTopic("production") || deps[0].Approval != nil {
		t.Errorf("approvals = %+v, %+v", deps[0].Approval, a)
	}
	var stacks []string
	for _, ts := range spec.Targets {
		stacks = append(stacks, ts.StackName+"@"+ts.Account+"/"+ts.Region)
	}
	if got := strings.Join(stacks, " "); got != "payments-staging@222222222222/us-east-1 payments-production@333333333333/us-east-1" {
		t.Errorf("target stacks = %s", got)
	}
}

// TestTranslateStackNames refuses an environment whose stack would take the
// name of another stack (env-name-collides-with-stack.yaml): a jsii panic
// before, a named error now.
func TestTranslateStackNames(t *testing.T) {
	cfg := example(t)
	cfg.Environments[1].Name = "tooling-eu-west-1"
	cfg.Environments[0].Regions = []string{"us-east-1", "eu-west-1"}
	_, err := delivery.Translate(cfg)
	want := `environments[1].name "tooling-eu-west-1": its stack payments-tooling-eu-west-1 has the name of the artifact store stack of eu-west-1; rename the environment`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Translate() = %v\nwant %s", err, want)
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
	spec, err := delivery.Translate(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	app := relaytest.NewApp()
	d := delivery.New(app, spec)
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
