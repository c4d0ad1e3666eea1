package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/relaycdk/relay/constructs/config"
)

// TestAppRejectsBadConfig runs the app binary as the CDK CLI would, with a
// config that breaks several rules: it must exit non-zero, name every
// problem with its line, and write no template.
func TestAppRejectsBadConfig(t *testing.T) {
	t.Parallel() // a subprocess of its own; shares only the app binary
	dir := t.TempDir()
	bin := appBinary(t)
	cfg := filepath.Join(dir, "relay.yaml")
	if err := os.WriteFile(cfg, []byte(`name: payments
tooling: {account: "11111111111", region: us-east-1}
source:
  github: {repository: acme/payments, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/abc"}
deploy:
  executionPolicy:
    managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"]
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1]}
  - {name: staging, account: "333333333333", regions: [mars-north-1]}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	outdir := filepath.Join(dir, "cdk.out")
	stderr, err := runApp(t, bin, cfg, outdir)
	if err == nil {
		t.Fatalf("app exited 0 for an invalid config; stderr:\n%s", stderr)
	}
	for _, want := range []string{
		cfg + `:2: tooling.account "11111111111": must be exactly 12 digits`,
		cfg + `:7: deploy.executionPolicy.managedPolicyArns[0] "arn:aws:iam::aws:policy/AdministratorAccess"`,
		cfg + `:10: environments[1].name "staging": duplicate of environments[0].name`,
		cfg + `:10: environments[1].regions[0] "mars-north-1"`,
		"no templates were written",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q; got:\n%s", want, stderr)
		}
	}
	if entries, _ := os.ReadDir(outdir); len(entries) > 0 {
		t.Errorf("the app wrote %d files to %s for an invalid config", len(entries), outdir)
	}
}

// TestAppRejectsQuotaOverrun gives a role more inline policy than IAM
// allows per role: the app must name the config fields that grow it, the
// role, the size, the limit and a fix that holds for the config, and write
// nothing. The execution role grows with its statements; the deploy role
// with deploy.stacks entries that have execution roles of their own (one
// CreateChangeSet and DeleteStack statement each), where fewer regions
// would not help (there is one).
func TestAppRejectsQuotaOverrun(t *testing.T) {
	t.Parallel() // subprocesses of their own; they share only the app binary
	example := string(config.Example())
	var statements, stacks strings.Builder
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&statements, "      - {sid: Tables%d, actions: [\"dynamodb:GetItem\", \"dynamodb:PutItem\"], resources: [\"arn:aws:dynamodb:us-east-1:222222222222:table/payments-app-table-number-%d\"]}\n", i, i)
	}
	stacks.WriteString("  stacks:\n    - {name: app, stackName: payments-app, templatePath: template.json, capabilities: [CAPABILITY_IAM]}\n")
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&stacks, "    - {name: part-%02[1]d, stackName: \"payments-part-%02[1]d-${env}\", templatePath: part-%02[1]d.yaml, executionPolicy: {statements: [{actions: [\"sqs:CreateQueue\"], resources: [\"arn:aws:sqs:us-east-1:222222222222:payments-part-%02[1]d\"]}]}}\n", i)
	}
	parameters := regexp.MustCompile(`    parameters:\n(      .*\n)+`)
	for _, tc := range []struct {
		name, config string
		want, not    []string
	}{
		{"execution policy statements", strings.Replace(example, "  executionPolicy:\n    statements:\n", "  executionPolicy:\n    statements:\n"+statements.String(), 1), []string{
			"relay: error: deploy.executionPolicy.statements (payments-staging/TargetExecutionRole832DFDAF): IAM inline policies of one role, in total (characters) is ",
			"which exceeds the limit of 10240 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): it grows with 67 execution policy statements: move statements into customer managed policies (deploy.executionPolicy.managedPolicyArns); or merge statements with the same actions",
		}, nil},
		{"deploy.stacks with execution roles of their own", parameters.ReplaceAllString(strings.Replace(example,
			"  stackName: payments-app\n  templatePath: template.json\n  capabilities: [CAPABILITY_IAM]\n", stacks.String(), 1), ""), []string{
			"relay: error: deploy.stacks[].executionPolicy, deploy.stacks (payments-staging/TargetDeployRole7BD40316): IAM inline policies of one role, in total (characters) is ",
			"it grows with 12 entries of deploy.stacks with an execution role of their own (part-00, ",
			"give at least 3 fewer deploy.stacks entries an executionPolicy of their own (about ",
			"relay: error: deploy.stacks[].executionPolicy, deploy.stacks (payments-production/TargetDeployRole7BD40316)",
		}, []string{"regions"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg := filepath.Join(dir, "relay.yaml")
			if err := os.WriteFile(cfg, []byte(tc.config), 0o644); err != nil {
				t.Fatal(err)
			}
			outdir := filepath.Join(dir, "cdk.out")
			stderr, err := runApp(t, appBinary(t), cfg, outdir)
			if err == nil {
				t.Fatalf("app exited 0 although a role's policy is over the IAM limit; stderr:\n%s", stderr)
			}
			for _, want := range append(tc.want, "AWS quota(s) exceeded", "no templates were written") {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q; got:\n%s", want, stderr)
				}
			}
			for _, not := range tc.not {
				if strings.Contains(stderr, not) {
					t.Errorf("stderr holds %q, which does not drive the size here; got:\n%s", not, stderr)
				}
			}
			if entries, _ := os.ReadDir(outdir); len(entries) > 0 {
				t.Errorf("the app wrote %d files to %s although a quota is exceeded", len(entries), outdir)
			}
		})
	}
}

// TestAppConvertsCDKErrors makes aws-cdk-lib itself refuse the stacks,
// as a team's cdk.json can: a permissions boundary context that is not an
// ARN, in a strict synth (-c strict=true runs aws-cdk-lib's built-in
// validation and fails on its findings). The app must say so in one
// "relay: " line, without a Go panic, a stack trace or the path of its
// private synth folder, and write nothing.
func TestAppConvertsCDKErrors(t *testing.T) {
	t.Parallel() // a subprocess of its own; shares only the app binary
	dir := t.TempDir()
	cfg := filepath.Join(dir, "relay.yaml")
	if err := os.WriteFile(cfg, config.Example(), 0o644); err != nil {
		t.Fatal(err)
	}
	outdir := filepath.Join(dir, "cdk.out")
	ctx, _ := json.Marshal(map[string]interface{}{"config": cfg, "nag": "false", "strict": "true",
		"@aws-cdk/core:permissionsBoundary": map[string]string{"arn": "not-an-arn"}})
	cmd := exec.Command(appBinary(t))
	cmd.Env = append(os.Environ(), "CDK_OUTDIR="+outdir, "CDK_CONTEXT_JSON="+string(ctx))
	var stderr, stdout bytes.Buffer
	cmd.Stderr, cmd.Stdout = &stderr, &stdout
	if err := cmd.Run(); err == nil {
		t.Fatalf("app exited 0 although aws-cdk-lib refused the stacks; stderr:\n%s", stderr.String())
	}
	all := stdout.String() + stderr.String()
	for _, want := range []string{
		"relay: strict synth: aws-cdk-lib's built-in CloudFormation validation found 15 problem(s):",
		"payments-staging/TargetDeployRole7BD40316: PermissionsBoundary: length 10 is below minimum 20 (CloudFormation Validate F3033)",
		"relay: no templates were written",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q; got:\n%s", want, stderr.String())
		}
	}
	for _, never := range []string{"panic", "goroutine ", "    at ", "relay-synth-", ".go:"} {
		if strings.Contains(all, never) {
			t.Errorf("the output holds %q:\n%s", never, all)
		}
	}
	if entries, _ := os.ReadDir(outdir); len(entries) > 0 {
		t.Errorf("the app wrote %d files to %s", len(entries), outdir)
	}
}

// TestAppWithdrawsStaleOutput runs the app three times into one output
// folder: a strict synth with every pack, a synth with one environment
// fewer (its template must go), and a failed synth (every file Relay wrote
// must go, and what it did not write must stay and be named).
func TestAppWithdrawsStaleOutput(t *testing.T) {
	t.Parallel() // a subprocess of its own; shares only the app binary
	dir := t.TempDir()
	bin := appBinary(t)
	outdir := filepath.Join(dir, "cdk.out")
	write := func(name, content string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join(outdir, name))
		return err == nil
	}
	example := string(config.Example())
	full := write("full.yaml", example)
	production := example[strings.Index(example, "  - name: production"):]
	smaller := write("smaller.yaml", strings.Replace(example, production, "", 1))
	broken := write("broken.yaml", strings.Replace(example, `tooling: {account: "111111111111"`, `tooling: {account: "1"`, 1))

	noNag := map[string]string{"nag": "false"}
	// The first synth runs all four packs (-c nag=all): they pass, and
	// their reports are written next to the templates for the
	// compliance report. It is also strict (-c strict=true runs
	// aws-cdk-lib's built-in validation in the app): the validation passes
	// and writes its (empty) report next to the templates.
	if stderr, err := runAppContext(t, bin, full, outdir, map[string]string{"nag": "all", "strict": "true"}); err != nil {
		t.Fatalf("strict synth of the example with nag=all failed: %v\n%s", err, stderr)
	}
	for _, f := range []string{"manifest.json", ".relay-output.json", "validation-report.json", "payments-tooling.template.json", "payments-production.template.json",
		"AwsSolutions--payments-tooling-NagReport.json", "NIST.800.53.R5--payments-staging-NagReport.json", "PCI.DSS.321--payments-production-NagReport.json", "HIPAA.Security--payments-tooling-NagReport.json"} {
		if !exists(f) {
			t.Errorf("after a synth, %s is missing", f)
		}
	}
	// Files Relay did not write: a note, and a template of another app.
	if err := os.WriteFile(filepath.Join(outdir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outdir, "other.template.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}

	stderr, err := runAppContext(t, bin, smaller, outdir, noNag)
	if err != nil {
		t.Fatalf("synth without production failed: %v\n%s", err, stderr)
	}
	if exists("payments-production.template.json") || !exists("payments-staging.template.json") {
		t.Errorf("after a synth without production, its template must go and staging's stay")
	}
	if want := "relay: warning: " + outdir + " also holds other.template.json, which this synth did not write: they do not come from this configuration"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q; got:\n%s", want, stderr)
	}

	stderr, err = runAppContext(t, bin, broken, outdir, noNag)
	if err == nil {
		t.Fatalf("app exited 0 for an invalid config; stderr:\n%s", stderr)
	}
	for _, want := range []string{
		broken + `:8: tooling.account "1": must be exactly 12 digits`,
		"relay: removed the ",
		" files that the last successful synth wrote to " + outdir + " (as .relay-output.json listed them), so that none of them is deployed by mistake",
		"relay: " + outdir + " still holds other.template.json, which Relay did not write (or wrote without .relay-output.json): they do not come from this configuration; do not deploy them",
		"relay: no templates were written",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q; got:\n%s", want, stderr)
		}
	}
	left, err := os.ReadDir(outdir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range left {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "notes.txt,other.template.json" {
		t.Errorf("after a failed synth, %s holds %v; want only the files Relay did not write: notes.txt, other.template.json", outdir, names)
	}
}

var (
	builtApp string
	// buildMu guards builtApp: parallel tests build the app once.
	buildMu sync.Mutex
)

// appBinary builds apps/relay once per test binary.
func appBinary(t *testing.T) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if builtApp != "" {
		return builtApp
	}
	dir, err := os.MkdirTemp("", "relay-app-")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "relay-app")
	// -ldflags=-w, as make test links its binaries: no DWARF, about 1.2 s
	// of CPU less.
	if out, err := exec.Command("go", "build", "-ldflags=-w", "-o", bin, "../apps/relay").CombinedOutput(); err != nil {
		t.Fatalf("go build ../apps/relay: %v\n%s", err, out)
	}
	builtApp = bin
	return bin
}

// writeConfig writes text as relay.yaml in a new temporary folder and
// returns its path and an output folder beside it (not yet created).
func writeConfig(t *testing.T, text string) (path, outdir string) {
	t.Helper()
	dir := t.TempDir()
	path = filepath.Join(dir, "relay.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, filepath.Join(dir, "cdk.out")
}

// runApp runs the app binary as the CDK CLI does, with cfg as the config
// and outdir as CDK_OUTDIR, and returns its standard error.
func runApp(t *testing.T, bin, cfg, outdir string) (string, error) {
	t.Helper()
	return runAppContext(t, bin, cfg, outdir, nil)
}

// runAppContext is runApp with more context keys, such as nag=false.
func runAppContext(t *testing.T, bin, cfg, outdir string, more map[string]string) (string, error) {
	t.Helper()
	context := map[string]string{"config": cfg}
	for k, v := range more {
		context[k] = v
	}
	ctx, _ := json.Marshal(context)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "CDK_OUTDIR="+outdir, "CDK_CONTEXT_JSON="+string(ctx))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	return stderr.String(), err
}

// TestAppRejectsPlanOverflow gives one environment more hooks than a stage
// holds actions (field failure sixty-hooks-one-region.yaml, a jsii panic
// before the release plan): the app must name the config field and the
// limit, before jsii starts, and write nothing.
func TestAppRejectsPlanOverflow(t *testing.T) {
	t.Parallel() // a subprocess of its own; shares only the app binary
	dir := t.TempDir()
	var hooks strings.Builder
	hooks.WriteString("  hooks:\n")
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&hooks, "    - {name: h%02d, lambda: {function: fn%d}}\n", i, i)
	}
	cfg := filepath.Join(dir, "relay.yaml")
	example := string(config.Example())
	start, end := strings.Index(example, "  hooks:\n"), strings.Index(example, "  # What CloudFormation may do")
	if start < 0 || end < start {
		t.Fatal("the example's hooks block moved; update this test")
	}
	body := example[:start] + hooks.String() + example[end:]
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	outdir := filepath.Join(dir, "cdk.out")
	stderr, err := runApp(t, appBinary(t), cfg, outdir)
	if err == nil {
		t.Fatalf("app exited 0 for 62 actions in one stage; stderr:\n%s", stderr)
	}
	want := "relay: deploy.hooks: environments[0] gets 62 actions in us-east-1 (60 hooks and 2 release actions); a CodePipeline stage holds at most 50 actions"
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "no templates were written") || strings.Contains(stderr, "panic") {
		t.Errorf("stderr lacks %q (or has a panic); got:\n%s", want, stderr)
	}
	if entries, _ := os.ReadDir(outdir); len(entries) > 0 {
		t.Errorf("the app wrote %d files to %s", len(entries), outdir)
	}
}

// TestAppRejectsTopologyMistakes: a source role in the tooling account, a
// VPC without subnets and an existing CodeDeploy group with a setting only a
// Relay-created group takes are each named, with its line, and nothing is
// written.
func TestAppRejectsTopologyMistakes(t *testing.T) {
	t.Parallel() // a subprocess of its own; shares only the app binary
	dir := t.TempDir()
	bin := appBinary(t)
	cfg := filepath.Join(dir, "relay.yaml")
	if err := os.WriteFile(cfg, []byte(`name: payments
tooling: {account: "111111111111", region: us-east-1}
source:
  s3: {bucket: acme-releases, key: app.zip, versioned: true, account: "111111111111"}
build:
  vpc: {vpcId: vpc-0a1b2c3d4e5f67890, securityGroups: [sg-0a1b2c3d4e5f67890]}
deploy:
  codeDeploy:
    existingGroup: {application: web, deploymentGroup: web-staging}
    instanceRoles: [web-instance]
    instanceTags: {app: [web]}
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1]}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	outdir := filepath.Join(dir, "cdk.out")
	stderr, err := runApp(t, bin, cfg, outdir)
	if err == nil {
		t.Fatalf("app exited 0 for an invalid config; stderr:\n%s", stderr)
	}
	for _, want := range []string{
		cfg + `:4: source.s3.account "111111111111": is the tooling account: a source of the pipeline's own account needs no source role; remove account`,
		cfg + `:6: build.vpc.subnets "": required: list 1 to 16 subnet IDs of the VPC`,
		cfg + `:11: deploy.codeDeploy.instanceTags "app": configures a deployment group Relay creates; with existingGroup the existing group keeps its own instanceTags`,
		"no templates were written",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q; got:\n%s", want, stderr)
		}
	}
	if entries, _ := os.ReadDir(outdir); len(entries) > 0 {
		t.Errorf("the app wrote %d files to %s for an invalid config", len(entries), outdir)
	}
}

// TestAppRejectsUnknownPack: a misspelt pack in -c nag=... is refused by
// name before the jsii runtime starts, and nothing is written.
func TestAppRejectsUnknownPack(t *testing.T) {
	t.Parallel() // a subprocess of its own; shares only the app binary
	outdir := filepath.Join(t.TempDir(), "cdk.out")
	cfg := filepath.Join("..", "constructs", "config", "example.yaml")
	stderr, err := runAppContext(t, appBinary(t), cfg, outdir, map[string]string{"nag": "all,NIST"})
	if err == nil {
		t.Fatalf("app exited 0 for nag=all,NIST; stderr:\n%s", stderr)
	}
	want := `relay: context "nag" "all,NIST": unknown pack "all"; use all, none, or a comma-separated list of AwsSolutions, NIST.800.53.R5, PCI.DSS.321, HIPAA.Security`
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "no templates were written") {
		t.Errorf("stderr = %s\nwant %s", stderr, want)
	}
	if _, err := os.Stat(filepath.Join(outdir, "manifest.json")); err == nil {
		t.Error("a refused synth wrote manifest.json")
	}
}
