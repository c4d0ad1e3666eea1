package delivery_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
)

// withSources is the example with an S3 source in 444444444444 and
// CodeCommit extra sources in 444444444444 and 555555555555.
func withSources(t *testing.T, trails ...string) *config.Config {
	t.Helper()
	cfg := example(t)
	cfg.Source = config.Source{S3: &config.S3Source{Bucket: "acme-releases", Key: "app.zip", Versioned: true, Account: "444444444444"}}
	cfg.ExtraSources = []config.ExtraSource{
		{Name: "settings", Source: config.Source{CodeCommit: &config.CodeCommitSource{Repository: "settings", Branch: "main", Account: "555555555555"}}},
		{Name: "schemas", Source: config.Source{CodeCommit: &config.CodeCommitSource{Repository: "schemas", Branch: "main", Account: "444444444444"}}},
	}
	for i, tr := range trails {
		if i == 0 {
			cfg.Source.S3.Trail = tr
		} else {
			cfg.ExtraSources = append(cfg.ExtraSources, config.ExtraSource{Name: "more", Source: config.Source{S3: &config.S3Source{Bucket: "acme-more", Key: "m.zip", Versioned: true, Account: "444444444444", Trail: tr}}})
		}
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestTranslateSourceAccounts checks that each source account gets one
// stack with its sources, that the source actions run as its role, and
// that the artifact store admits exactly those roles as writers.
func TestTranslateSourceAccounts(t *testing.T) {
	spec, err := delivery.Translate(withSources(t))
	if err != nil {
		t.Fatal(err)
	}
	var stacks []string
	for _, s := range spec.SourceAccounts {
		stacks = append(stacks, s.StackName+" "+s.Props.RoleArn()+" "+strings.Join(s.Props.RuleNames(), ",")+" trail="+s.Props.TrailName)
	}
	want := []string{
		"payments-source-444444444444 arn:aws:iam::444444444444:role/relay/payments/payments-source payments-Source_schemas,payments-Source trail=payments-sources",
		"payments-source-555555555555 arn:aws:iam::555555555555:role/relay/payments/payments-source payments-Source_settings trail=",
	}
	if diff := cmp.Diff(want, stacks); diff != "" {
		t.Errorf("source stacks (-want +got):\n%s", diff)
	}
	wantWriters := artifacts.Writers{Accounts: []string{"444444444444", "555555555555"}, RoleArns: []string{
		"arn:aws:iam::444444444444:role/relay/payments/payments-source", "arn:aws:iam::555555555555:role/relay/payments/payments-source"}}
	if diff := cmp.Diff(wantWriters, spec.Store.Writers); diff != "" {
		t.Errorf("Store.Writers (-want +got):\n%s", diff)
	}
	for _, a := range spec.Plan.Stages[0].Actions {
		if want := "arn:aws:iam::" + a.Account + ":role/relay/payments/payments-source"; a.Account == "" || a.RoleArn != want {
			t.Errorf("source action %s runs as %q in %q, want %s", a.Name, a.RoleArn, a.Account, want)
		}
	}
}

// TestTranslateSourceTrails: the S3 sources of one account share one
// trail; naming two is refused.
func TestTranslateSourceTrails(t *testing.T) {
	spec, err := delivery.Translate(withSources(t, "org-data-events", "org-data-events"))
	if err != nil {
		t.Fatal(err)
	}
	if p := spec.SourceAccounts[0].Props; p.ExistingTrail != "org-data-events" || p.TrailName != "" {
		t.Errorf("trail = %q, existing %q; want the existing trail only", p.TrailName, p.ExistingTrail)
	}
	_, err = delivery.Translate(withSources(t, "org-data-events", "other-trail"))
	want := `source.s3.trail and extraSources[].s3.trail of account 444444444444: ["org-data-events" "other-trail"]: the S3 sources of one account share one trail; name the same trail (or none) in each`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Translate() = %v\nwant %s", err, want)
	}
}

// TestTranslateSelfUpdateSourceAccounts: the self-update deploys every
// Relay stack with cdk deploy --all, the source accounts' stacks
// (<name>-source-<account>, in the tooling region) among them, so its role
// may assume their CDK bootstrap roles too: without them the deploy of those
// stacks, and so every self-update, fails.
func TestTranslateSelfUpdateSourceAccounts(t *testing.T) {
	cfg := withSources(t)
	cfg.SelfUpdate = &config.SelfUpdate{Config: "relay.yaml", BootstrapQualifier: "hnb659fds"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	spec, err := delivery.Translate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range spec.Pipeline.SelfUpdate.Environments {
		got = append(got, e.Account+"/"+e.Region)
	}
	for _, want := range []string{"444444444444/us-east-1", "555555555555/us-east-1"} {
		if !slices.Contains(got, want) {
			t.Errorf("SelfUpdate.Environments = %v: no %s, whose source stack cdk deploy --all deploys", got, want)
		}
	}
}

// TestSelfUpdateEnvironments: the self-update project may assume the CDK
// bootstrap roles of the environments of exactly the stacks cdk deploy --all
// deploys (Spec.Stacks, the list relay-bootstrap bootstraps): the tooling
// account's other regions (replica and asset stores), every account of an
// accounts environment, and no account that holds no Relay stack (a GitOps
// release needs nothing in its account).
func TestSelfUpdateEnvironments(t *testing.T) {
	const head = `name: shop
tooling: {account: "111111111111", region: us-east-1}
organization: {id: o-a1b2c3d4e5}
source:
  github: {repository: acme/shop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
selfUpdate: {config: relay.yaml}
`
	const policy = "  executionPolicy: {managedPolicyArns: [\"arn:aws:iam::aws:policy/ReadOnlyAccess\"]}\n"
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"cross-region", head + "deploy:\n" + policy + `environments:
  - {name: staging, account: "222222222222", regions: [us-east-1, us-west-2]}
  - {name: production, account: "333333333333", regions: [eu-west-1, eu-central-1], approval: {}}
`, []string{"111111111111/eu-central-1", "111111111111/eu-west-1", "111111111111/us-east-1", "111111111111/us-west-2", "222222222222/us-east-1", "333333333333/eu-west-1"}},
		{"accounts and assets", head + "build: {buildspec: buildspec.yml}\nassets: {publish: stage, images: true}\ndeploy:\n" + policy + `environments:
  - {name: fleet, accounts: ["222222222222", "333333333333"], regions: [eu-west-1, ap-southeast-2]}
`, []string{"111111111111/ap-southeast-2", "111111111111/eu-west-1", "111111111111/us-east-1", "222222222222/eu-west-1", "333333333333/eu-west-1"}},
		{"GitOps release", head + `build: {buildspec: buildspec.yml}
deploy:
  eks:
    gitops: {repository: "https://github.com/acme/gitops.git", file: envs/values.yaml, tokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-AbCdEf"}
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1]}
`, []string{"111111111111/us-east-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := translateYAML(t, tt.yaml)
			var got []string
			for _, e := range spec.Pipeline.SelfUpdate.Environments {
				got = append(got, e.Account+"/"+e.Region)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("SelfUpdate.Environments = %v\nwant %v", got, tt.want)
			}
		})
	}
}
