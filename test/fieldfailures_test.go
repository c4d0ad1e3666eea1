package test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/wiring"
	"github.com/relaycdk/relay/internal/iameval"
)

// fieldFailureDirs hold the field failure reports of issue 10, each a
// configuration whose header says what Relay must do with it. Those that
// package config refuses live with its tests; the rest live here.
var fieldFailureDirs = []string{"testdata/field-failures", "../constructs/config/testdata/field-failures"}

// fieldFailure is what one field failure report expects.
type fieldFailure struct {
	// kind is the issue 10 kind (or security item) the report shows.
	kind string
	// refused lists what the app's standard error must say when it must
	// refuse the configuration (and write nothing); nil when it must
	// synthesize.
	refused []string
	// never lists what a refusal must not say, such as advice that is
	// false for this configuration.
	never []string
	// synthesized checks the cloud assembly of a configuration that must
	// synthesize, after the deploy-validity check (checkDeployValid).
	synthesized func(t *testing.T, cfg *config.Config, dir string, w *iameval.World, paths []iameval.Path)
}

// fieldFailures are the expected outcomes of every field failure report,
// by file name. A report without a row, or a row without a report, fails
// TestFieldFailures.
var fieldFailures = map[string]fieldFailure{
	"bucket-policy-advice.yaml": {kind: "8 quota advice", refused: []string{
		"relay: error: deploy.codeDeploy.instanceRoles (bigfleet-tooling/ArtifactsBucketPolicy",
		"S3 bucket policy (bytes) is ",
		"which exceeds the limit of 20480",
		"it grows with 260 instance roles, each admitted by its own ARN pattern (about ",
		"name fewer instance roles",
	}, never: []string{"organization.id"}},
	"build-env-over-1000.yaml": {kind: "1 action configuration values", refused: []string{
		"relay: error: build.environmentVariables: 1253 characters of EnvironmentVariables in envlimit-tooling/Pipeline",
		"which exceeds CodePipeline's limit of 1000 per action configuration value",
		"shorten their values",
	}},
	"cross-region-replica-key-form.yaml": {kind: "5 identifiers that policies compare", synthesized: replicaUploadsPass},
	"deep-nesting.yaml": {kind: "10 hostile YAML", refused: []string{
		"deep-nesting.yaml:11: lists and mappings nest deeper than 64 levels here",
	}},
	"env-name-collides-with-stack.yaml": {kind: "4 no panic", refused: []string{
		`relay: environments[0].name "tooling-us-west-2": its stack adv-tooling-us-west-2 has the name of the artifact store stack of us-west-2; rename the environment`,
	}},
	"exec-policy-iam-star.yaml": {kind: "security item 3 admin-equivalent statements", refused: []string{
		`deploy.executionPolicy.statements[0] "Everything": is as strong as AdministratorAccess`,
		"set deploy.executionPolicy.allowAdministratorAccess: true with administratorAccessReason to accept it",
	}},
	"first-deploy-rollback-complete.yaml": {kind: "6 stack states that block later runs", synthesized: recoversRollbackComplete},
	"helm-set-from-variable.yaml":         {kind: "9 values that become code (run-time encoding: TestHelmValuesAreEncodedAtRunTime); here: deploy validity", synthesized: noCheck},
	"instance-role-not-owned.yaml":        {kind: "7 roles Relay does not own", synthesized: instanceRoleReadsThroughReader},
	"multiline-buildspec.yaml": {kind: "9 values that become code", refused: []string{
		"build.buildspec \"version: 0.2\\nphases:",
		"must be a path to a buildspec file in the repository",
	}},
	"sixty-hooks-one-region.yaml": {kind: "4 no panic (empty stage)", refused: []string{
		"relay: deploy.hooks: environments[0] gets 62 actions in us-east-1 (60 hooks and 2 release actions); a CodePipeline stage holds at most 50 actions",
	}},
	"stackset-name-over-128.yaml": {kind: "2 composed names", refused: []string{
		`relay: deploy.stackName, environments[0].name: StackSet name "abbbb`,
		"-pilot-accounts\" (<stack name>-<name>) has 135 characters; a CloudFormation StackSet name has at most 128 (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html)",
		"use a shorter stack or environment name",
	}},
	"trigger-branches-and-tags.yaml": {kind: "3 trigger filters", refused: []string{
		`trigger-branches-and-tags.yaml:11: source.github.triggers "branches,tags": CodePipeline takes tags alone, branches alone, or branches with filePaths in one push filter`,
	}},
}

// TestFieldFailures replays every field failure report as make synth
// CONFIG=<report> does and checks the outcome its header expects: a
// refusal runs the app binary and must name the fields, with no Go panic,
// no stack trace and no template written; a configuration that must
// synthesize passes the deploy-validity check and the report's own check.
func TestFieldFailures(t *testing.T) {
	t.Parallel() // subprocesses of its own; shares only the app binary
	files := map[string]string{}
	for _, dir := range fieldFailureDirs {
		found, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, f := range found {
			files[filepath.Base(f)] = f
		}
	}
	var names []string
	for name := range files {
		if _, ok := fieldFailures[name]; !ok {
			t.Errorf("field failure %s has no expected outcome in fieldFailures", files[name])
		}
		names = append(names, name)
	}
	for name := range fieldFailures {
		if _, ok := files[name]; !ok {
			t.Errorf("fieldFailures expects %s, which is in none of %v", name, fieldFailureDirs)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		ff, ok := fieldFailures[name]
		if !ok {
			continue
		}
		file := files[name]
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			t.Logf("issue 10: %s", ff.kind)
			if ff.refused != nil {
				appRefuses(t, file, ff.refused, ff.never)
				return
			}
			cfg, err := config.Load(file)
			if err != nil {
				t.Fatalf("config.Load: %v", err)
			}
			dir := assemblyOf(t, "field-failure/"+name, cfg)
			w, paths := checkDeployValid(t, cfg, dir)
			ff.synthesized(t, cfg, dir, w, paths)
		})
	}
}

// appRefuses runs the app binary on cfg and checks that it exits non-zero
// saying each of want and none of never, with no Go panic or stack trace,
// and writes nothing.
func appRefuses(t *testing.T, cfg string, want, never []string) {
	t.Helper()
	outdir := filepath.Join(t.TempDir(), "cdk.out")
	stderr, err := runAppContext(t, appBinary(t), cfg, outdir, map[string]string{"nag": "false"})
	if err == nil {
		t.Fatalf("app exited 0; stderr:\n%s", stderr)
	}
	for _, w := range append(want, "relay: no templates were written") {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q; got:\n%s", w, stderr)
		}
	}
	for _, n := range append(never, "panic", "goroutine ", "    at ", ".go:") {
		if strings.Contains(stderr, n) {
			t.Errorf("stderr holds %q:\n%s", n, stderr)
		}
	}
	if entries, _ := os.ReadDir(outdir); len(entries) > 0 {
		t.Errorf("the app wrote %d files to %s", len(entries), outdir)
	}
}

// noCheck is for reports whose own expectation another branch pins; the
// deploy-validity check still runs.
func noCheck(*testing.T, *config.Config, string, *iameval.World, []iameval.Path) {}

// replicaUploadsPass: the pipeline role's copy of each artifact into the
// eu-west-1 replica store names the replica key by alias ARN, as
// CodePipeline does, and passes the replica's upload guard (checked with
// every other path by checkDeployValid); the guard still denies an upload
// with any other key, so the paths pass because the identifiers agree, not
// because nothing is compared.
func replicaUploadsPass(t *testing.T, cfg *config.Config, dir string, w *iameval.World, paths []iameval.Path) {
	const keyID = "s3:x-amz-server-side-encryption-aws-kms-key-id"
	copies := 0
	for _, p := range paths {
		r := p.Request
		if r.Action != "s3:PutObject" || !strings.Contains(r.Resource, "-eu-west-1/") || !strings.Contains(p.What, "copies input") {
			continue
		}
		copies++
		if got := strings.Join(r.Context[keyID], ","); !strings.Contains(got, ":alias/relay/xregion/artifacts") {
			t.Errorf("%s: the copy names key %q; CodePipeline names the replica key by its alias ARN", p.What, got)
		}
		other := r
		other.Context = map[string][]string{}
		for k, v := range r.Context {
			other.Context[k] = v
		}
		other.Context[keyID] = []string{"arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000000"}
		if d := w.Authorize(other); d.Allowed {
			t.Errorf("%s with another key: allowed; the replica's upload guard must deny it", p.What)
		}
	}
	if copies == 0 {
		t.Fatal("no copy into the eu-west-1 replica store among the access paths")
	}
}

// instanceRoleReadsThroughReader: no stack attaches anything to the
// instance role fleet-web-instance (templateProblems in checkDeployValid),
// the instance role reads the revision with the reader managed policy
// attached (checkDeployValid), and without it the same reads are denied: the
// team's attachment is what grants them.
func instanceRoleReadsThroughReader(t *testing.T, cfg *config.Config, dir string, w *iameval.World, paths []iameval.Path) {
	arn := "arn:aws:iam::222222222222:role/fleet-web-instance"
	role, ok := w.Roles[arn]
	if !ok {
		t.Fatalf("%s is not among the roles evaluated", arn)
	}
	reads := 0
	role.Policies = nil
	for _, p := range paths {
		if p.Request.Principal.ARN != arn {
			continue
		}
		reads++
		if d := w.Authorize(p.Request); d.Allowed {
			t.Errorf("%s without the reader policy: allowed; only the policy the team attaches may grant it", p.What)
		}
	}
	if reads != 2 {
		t.Errorf("%d reads by the instance role; want 2 (the revision and its key)", reads)
	}
}

// recoversRollbackComplete: the tooling stack holds the recovery function
// for pipeline firstfail and the rule that invokes it for the pipeline's
// failed CloudFormation actions; its permissions are those of
// checkRecovery (its logic runs against moto in package recovery).
func recoversRollbackComplete(t *testing.T, cfg *config.Config, dir string, w *iameval.World, paths []iameval.Path) {
	if n := checkRecovery(t, cfg, dir); n.envs != 1 || n.stacks != 1 || n.actions != 2 {
		t.Errorf("recovery checked for %d environments, %d stacks, %d actions; want 1, 1 and 2 (Prepare and Deploy)", n.envs, n.stacks, n.actions)
	}
	stacks, err := wiring.ReadResolved(dir)
	if err != nil {
		t.Fatal(err)
	}
	var function, rule bool
	for _, st := range stacks {
		if st.Name != "firstfail-tooling" {
			continue
		}
		for _, r := range st.Resources {
			switch r.Type {
			case "AWS::Lambda::Function":
				env, _ := r.Properties["Environment"].(map[string]interface{})
				vars, _ := env["Variables"].(map[string]interface{})
				function = function || vars["PIPELINE"] == "firstfail"
			case "AWS::Events::Rule":
				pattern, _ := r.Properties["EventPattern"].(map[string]interface{})
				detail, _ := pattern["detail"].(map[string]interface{})
				typ, _ := detail["type"].(map[string]interface{})
				rule = rule || (strings.Join(names(detail["pipeline"]), ",") == "firstfail" &&
					strings.Join(names(detail["state"]), ",") == "FAILED" && strings.Join(names(typ["provider"]), ",") == "CloudFormation")
			}
		}
	}
	if !function || !rule {
		t.Errorf("firstfail-tooling: recovery function %v, rule for failed CloudFormation actions %v; want both", function, rule)
	}
}
