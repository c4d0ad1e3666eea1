package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/relaytest"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

// bootstrapLine is one command of bootstrap.sh: the environment and
// whether it trusts the tooling account.
var bootstrapLine = regexp.MustCompile(`(?m)^cdk bootstrap (aws://\d{12}/[a-z0-9-]+)( --trust (\d{12}))? --cloudformation-execution-policies `)

// bootstrapped are the environments bootstrap.sh bootstraps, sorted, and
// for each whether it trusts the tooling account.
func bootstrapped(t *testing.T, sh string) ([]string, map[string]string) {
	t.Helper()
	var envs []string
	trust := map[string]string{}
	for _, m := range bootstrapLine.FindAllStringSubmatch(sh, -1) {
		if slices.Contains(envs, m[1]) {
			t.Errorf("bootstrap.sh bootstraps %s twice", m[1])
		}
		envs, trust[m[1]] = append(envs, m[1]), m[3]
	}
	slices.Sort(envs)
	return envs, trust
}

// manifestEnvironments synthesizes cfg as the relay app does and returns
// the environment (aws://account/region) of every stack in the cloud
// assembly's manifest.json, sorted and each once.
func manifestEnvironments(t *testing.T, cfg *config.Config) []string {
	t.Helper()
	spec, err := delivery.Translate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var dir string
	relaytest.Do(t, "synth "+cfg.Name, func() {
		app := relaytest.NewApp()
		delivery.New(app, spec)
		dir = *app.Synth(nil).Directory()
	})
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Artifacts map[string]struct {
			Type        string `json:"type"`
			Environment string `json:"environment"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range manifest.Artifacts {
		if a.Type == "aws:cloudformation:stack" {
			out = append(out, a.Environment)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func parse(t *testing.T, name, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse(name, []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

const header = `tooling: {account: "111111111111", region: us-east-1}
source:
  github: {repository: acme/app, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
`

// TestBootstrapsEveryStackEnvironment: bootstrap.sh bootstraps exactly the
// (account, region) of each stack in the synthesized cloud assembly, and
// trusts the tooling account in every account but the tooling account's
// own, where the bootstrap roles already trust their account. Before, the
// tooling account was bootstrapped in the tooling region only, and cdk
// deploy --all failed on <name>-tooling-<region> (the replica artifact
// stores of a cross-region pipeline, and asset stores) with "SSM parameter
// /cdk-bootstrap/hnb659fds/version not found".
func TestBootstrapsEveryStackEnvironment(t *testing.T) {
	example, err := config.Parse("example.yaml (embedded)", config.Example())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  *config.Config
		want []string // nil: only compared with the manifest
	}{
		{"cross-region", parse(t, "cross.yaml", "name: cross\n"+header+`deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1, us-west-2]}
  - {name: production, account: "333333333333", regions: [eu-west-1, eu-central-1], approval: {}}
`), []string{
			"aws://111111111111/eu-central-1", "aws://111111111111/eu-west-1", "aws://111111111111/us-east-1", "aws://111111111111/us-west-2",
			"aws://222222222222/us-east-1", "aws://333333333333/eu-west-1",
		}},
		// A StackSet environment has no replica: its asset store gets a
		// stack <name>-tooling-<region> of its own.
		{"assets of a StackSet environment", parse(t, "fleet.yaml", "name: fleet\n"+header+`assets: {publish: stage, images: true}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}
environments:
  - {name: fleet, accounts: ["222222222222", "333333333333"], regions: [eu-west-1, ap-southeast-2]}
`), []string{
			"aws://111111111111/ap-southeast-2", "aws://111111111111/eu-west-1", "aws://111111111111/us-east-1",
			"aws://222222222222/eu-west-1", "aws://333333333333/eu-west-1",
		}},
		{"assets in a replica's region", parse(t, "assets.yaml", "name: shelf\n"+header+`assets: {publish: stage, images: true}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}
environments:
  - {name: staging, account: "222222222222", regions: [eu-west-1]}
`), []string{"aws://111111111111/eu-west-1", "aws://111111111111/us-east-1", "aws://222222222222/eu-west-1"}},
		{"source accounts", parse(t, "sources.yaml", sourceAccountsYAML), []string{
			"aws://111111111111/eu-west-1", "aws://111111111111/us-east-1",
			"aws://222222222222/eu-west-1", "aws://222222222222/us-east-1", "aws://444444444444/us-east-1",
		}},
		{"an environment in the tooling account", parse(t, "same.yaml", "name: same\n"+header+`deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}
environments:
  - {name: dev, account: "111111111111", regions: [eu-west-1]}
  - {name: production, account: "333333333333", regions: [us-east-1]}
`), []string{"aws://111111111111/eu-west-1", "aws://111111111111/us-east-1", "aws://333333333333/us-east-1"}},
		{"embedded example", example, []string{"aws://111111111111/us-east-1", "aws://222222222222/us-east-1", "aws://333333333333/us-east-1"}},
	}
	examples, _ := filepath.Glob("../../examples/*.yaml")
	if len(examples) == 0 {
		t.Fatal("no examples/*.yaml")
	}
	for _, path := range examples {
		cfg, err := config.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		tests = append(tests, struct {
			name string
			cfg  *config.Config
			want []string
		}{"examples/" + filepath.Base(path), cfg, nil})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, sh := bootstrapScript(t, tt.cfg)
			got, trust := bootstrapped(t, sh)
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("bootstrapped environments (-want +got):\n%s", diff)
				}
			}
			if diff := cmp.Diff(manifestEnvironments(t, tt.cfg), got); diff != "" {
				t.Errorf("bootstrapped environments differ from the stacks' in manifest.json (-manifest +bootstrap.sh):\n%s", diff)
			}
			for env, trusted := range trust {
				own := strings.HasPrefix(env, "aws://"+tt.cfg.Tooling.Account+"/")
				if own && trusted != "" || !own && trusted != tt.cfg.Tooling.Account {
					t.Errorf("%s: --trust %q; want %q", env, trusted, map[bool]string{true: "", false: tt.cfg.Tooling.Account}[own])
				}
			}
		})
	}
}
