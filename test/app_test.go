// Package test holds Relay's whole-app tests: golden templates of the
// example configuration, logical-ID stability, cfn-lint, cdk-nag, policy
// sizes and the app's handling of bad input.
package test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/relaycdk/relay/constructs/assembly"
	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/internal/cdkapp"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/ from the current code")

func TestMain(m *testing.M) {
	flag.Parse()
	code := relaytest.Main(m)
	removeAssemblies()
	if builtApp != "" {
		os.RemoveAll(filepath.Dir(builtApp))
	}
	if synthRoot != "" {
		os.RemoveAll(synthRoot)
	}
	os.Exit(code)
}

// build builds cfg the way apps/relay does: stacks, then cdk-nag.
func build(t testing.TB, cfg *config.Config) (awscdk.App, *delivery.Delivery) {
	t.Helper()
	app := relaytest.NewApp()
	spec, err := delivery.Translate(cfg)
	if err != nil {
		t.Fatalf("delivery.Translate(%s): %v", cfg.Name, err)
	}
	var d *delivery.Delivery
	relaytest.Do(t, "build "+cfg.Name, func() {
		d = delivery.New(app, spec)
		compliance.Check(app)
	})
	return app, d
}

// synthDefault synthesizes the configuration text as the relay app's
// default synth does (delivery.New, then cdk-nag's AwsSolutions pack), in
// this test binary's jsii process rather than in an app process of its own
// (a jsii start and cdk-nag's module loads, about 2.5 s of CPU, saved per
// configuration), and fails the test wherever the app would refuse: an
// invalid configuration, a construct error, an error finding of
// limits.CheckDir, or an error annotation (a cdk-nag finding without a
// suppression). It returns the cloud assembly, read back from disk.
// TestAppRejectsBadConfig and the other TestApp tests run the app itself.
func synthDefault(t *testing.T, text string) *assembly.Assembly {
	t.Helper()
	return synthText(t, text, true)
}

// synthText is synthDefault, with cdk-nag's AwsSolutions pack only when
// nag is set (its findings are annotations: the templates are the same).
func synthText(t *testing.T, text string, nag bool) *assembly.Assembly {
	t.Helper()
	cfg, err := config.Parse("relay.yaml", []byte(text))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	spec, err := delivery.Translate(cfg)
	if err != nil {
		t.Fatalf("delivery.Translate: %v", err)
	}
	out := t.TempDir()
	relaytest.Do(t, "synthesize "+cfg.Name, func() {
		app := cdkapp.New(cdkapp.Options{Outdir: out})
		delivery.New(app, spec)
		if nag {
			compliance.Check(app)
		}
		app.Synth(nil)
	})
	overQuota(t, out, cfg, "the app would refuse: ")
	a, err := assembly.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range a.Stacks {
		for _, e := range s.Errors {
			t.Errorf("the app would refuse: error annotation at %s: %s", e.Path, e.Message)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	return a
}

// overQuota fails t with each error finding of limits.CheckDir in the
// cloud assembly dir of cfg (a quota exceeded, against the quotas cfg
// declares raised, as the app checks; a name taken twice; a variable
// reference that cannot resolve), after prefix; warnings pass.
func overQuota(t *testing.T, dir string, cfg *config.Config, prefix string) {
	t.Helper()
	findings, err := cfg.DeclaredQuotas().CheckDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if f.Over() {
			t.Errorf("%s%v", prefix, f)
		}
	}
}

func example(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Parse("example.yaml", config.Example())
	if err != nil {
		t.Fatalf("embedded example: %v", err)
	}
	return cfg
}

// goldenConfigs are the configurations whose templates are pinned as
// goldens, linted and nag-checked: the embedded example, those in
// testdata/configs and those in ../examples.
func goldenConfigs(t *testing.T) []*config.Config {
	t.Helper()
	cfgs := []*config.Config{example(t)}
	files, _ := filepath.Glob(filepath.Join("testdata", "configs", "*.yaml"))
	examples, _ := filepath.Glob(filepath.Join("..", "examples", "*.yaml"))
	files = append(files, examples...)
	names := map[string]string{cfgs[0].Name: "the embedded example"}
	for _, f := range files {
		cfg, err := config.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		// Goldens are named after the stacks, which are named after the
		// configuration: a shared name would let one overwrite the other.
		if prev, dup := names[cfg.Name]; dup {
			t.Fatalf("%s: name %q is taken by %s; give each golden configuration its own name", f, cfg.Name, prev)
		}
		names[cfg.Name] = f
		cfgs = append(cfgs, cfg)
	}
	return cfgs
}

// synthRoot holds the cloud assemblies of the golden configurations, one
// folder each, written once per test binary.
var (
	synthRoot      string
	goldenAssembly = map[string]*assembly.Assembly{}
	allTemplates   = map[string]map[string]interface{}{}
	// assembliesMu guards the three above: parallel tests read them.
	assembliesMu sync.Mutex
)

// assemblies synthesizes every golden configuration once, as apps/relay
// does with -c nag=all -c strict=true: all of cdk-nag's packs run as
// aspects of the one synthesis, with their JSON reports, aws-cdk-lib's
// built-in CloudFormation validation runs over its templates (its report,
// validation-report.json, is what TestStrictSynth reads), and the assembly
// is read back from disk (package assembly). Tests share them by
// configuration name. The validation runs in this synthesis rather than in
// one of its own so that no golden configuration is built twice: a finding
// fails the synthesis here, with the findings listed.
func assemblies(t *testing.T) map[string]*assembly.Assembly {
	t.Helper()
	assembliesMu.Lock()
	defer assembliesMu.Unlock()
	if len(goldenAssembly) > 0 {
		return goldenAssembly
	}
	if synthRoot == "" {
		dir, err := os.MkdirTemp("", "relay-golden-")
		if err != nil {
			t.Fatal(err)
		}
		synthRoot = dir
	}
	for _, cfg := range goldenConfigs(t) {
		spec, err := delivery.Translate(cfg)
		if err != nil {
			t.Fatalf("delivery.Translate(%s): %v", cfg.Name, err)
		}
		out := filepath.Join(synthRoot, cfg.Name)
		relaytest.Do(t, "synthesize "+cfg.Name, func() {
			app := cdkapp.New(cdkapp.Options{Outdir: out, Strict: true})
			delivery.New(app, spec)
			compliance.Run(app, compliance.Options{Packs: compliance.AllPacks, Reports: true})
			if msg, ok := relaytest.Recover(func() { app.Synth(nil) }); !ok {
				t.Fatalf("strict synth of %s failed (%s); the built-in validation found:\n%s", cfg.Name, msg, strings.Join(relaytest.ValidationFindings(out), "\n"))
			}
		})
		a, err := assembly.Read(out)
		if err != nil {
			t.Fatal(err)
		}
		goldenAssembly[cfg.Name] = a
		for _, s := range a.Stacks {
			allTemplates[s.Name] = s.Template
		}
	}
	return goldenAssembly
}

// templates holds the templates of every golden configuration by stack
// name, from assemblies.
func templates(t *testing.T) map[string]map[string]interface{} {
	t.Helper()
	assemblies(t)
	return allTemplates
}

func TestExampleStacks(t *testing.T) {
	var got []string
	for name := range templates(t) {
		if strings.HasPrefix(name, "payments-") {
			got = append(got, name)
		}
	}
	sort.Strings(got)
	want := []string{"payments-production", "payments-staging", "payments-tooling"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("stacks = %v, want the tooling stack and one per environment: %v", got, want)
	}
}

// TestGolden pins every template of the example against drift.
func TestGolden(t *testing.T) {
	for name, tpl := range templates(t) {
		t.Run(name, func(t *testing.T) {
			relaytest.Golden(t, filepath.Join("testdata", name+".template.json"), relaytest.Marshal(relaytest.Normalize(tpl)), *update)
		})
	}
}

// TestLogicalIDs pins the logical IDs of stateful and cross-referenced
// resources: a refactor that changes one would make CloudFormation replace
// the key, the bucket, the pipeline or a role that other accounts trust.
func TestLogicalIDs(t *testing.T) {
	tests := []struct {
		stack, id, typ string
	}{
		{"payments-tooling", "ArtifactsKeyA4B22E2B", "AWS::KMS::Key"},
		{"payments-tooling", "ArtifactsBucket88671897", "AWS::S3::Bucket"},
		{"payments-tooling", "ArtifactsAccessLogs4D97777C", "AWS::S3::Bucket"},
		{"payments-tooling", "Pipeline9850B417", "AWS::CodePipeline::Pipeline"},
		{"payments-tooling", "PipelineRoleD68726F7", "AWS::IAM::Role"},
		{"payments-tooling", "PipelineBuild9D009F66", "AWS::CodeBuild::Project"},
		{"payments-tooling", "PipelineBuildLogs0FB13851", "AWS::Logs::LogGroup"},
		{"payments-tooling", "AuditBucket7486E833", "AWS::S3::Bucket"},
		{"payments-tooling", "AuditKey2ED08D30", "AWS::KMS::Key"},
		{"payments-tooling", "AuditTrail3BF4E139", "AWS::CloudTrail::Trail"},
		{"payments-tooling", "ObserveEvents5A94DEE9", "AWS::Logs::LogGroup"},
		{"payments-tooling", "ObserveAlertsF0D4E0B8", "AWS::SNS::Topic"},
		{"payments-staging", "TargetDeployRole7BD40316", "AWS::IAM::Role"},
		{"payments-staging", "TargetExecutionRole832DFDAF", "AWS::IAM::Role"},
		{"payments-production", "TargetDeployRole7BD40316", "AWS::IAM::Role"},
		{"payments-production", "TargetExecutionRole832DFDAF", "AWS::IAM::Role"},
	}
	all := templates(t)
	for _, tc := range tests {
		res, _ := all[tc.stack]["Resources"].(map[string]interface{})
		r, ok := res[tc.id].(map[string]interface{})
		if !ok {
			var same []string
			for id, v := range res {
				if v.(map[string]interface{})["Type"] == tc.typ {
					same = append(same, id)
				}
			}
			sort.Strings(same)
			t.Errorf("%s: logical ID %s (%s) is gone; %s resources now: %v. Changing it replaces the resource on deploy: restore the construct path or override the logical ID.", tc.stack, tc.id, tc.typ, tc.typ, same)
			continue
		}
		if r["Type"] != tc.typ {
			t.Errorf("%s: %s is a %v, want %s", tc.stack, tc.id, r["Type"], tc.typ)
		}
	}
}

// TestSuppressionsAreExact requires every IAM suppression in the golden
// templates to name its findings (appliesTo): a blanket IAM5 would hide the
// next wildcard. Each construct records the suppressions of its own
// resources (package internal/nag).
func TestSuppressionsAreExact(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.template.json"))
	checked := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tpl struct {
			Resources map[string]struct {
				Metadata struct {
					CdkNag struct {
						Rules []struct {
							ID        string   `json:"id"`
							AppliesTo []string `json:"applies_to"`
							Reason    string   `json:"reason"`
						} `json:"rules_to_suppress"`
					} `json:"cdk_nag"`
				}
			}
		}
		if err := json.Unmarshal(raw, &tpl); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for id, r := range tpl.Resources {
			for _, s := range r.Metadata.CdkNag.Rules {
				checked++
				if strings.HasPrefix(s.ID, "AwsSolutions-IAM") && len(s.AppliesTo) == 0 {
					t.Errorf("%s %s: %s suppressed without appliesTo (%q); name the exact findings", filepath.Base(f), id, s.ID, s.Reason)
				}
				if len(s.Reason) < 10 {
					t.Errorf("%s %s: %s has no reason", filepath.Base(f), id, s.ID)
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d suppressions found in the goldens", checked)
	}
}
