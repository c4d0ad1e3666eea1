package test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestAppRejectsBadConfig runs the app binary as the CDK CLI would, with a
// config that breaks several rules: it must exit non-zero, name every
// problem with its line, and write no template.
func TestAppRejectsBadConfig(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "relay-app")
	build := exec.Command("go", "build", "-o", bin, "../apps/relay")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ../apps/relay: %v\n%s", err, out)
	}
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
	ctx, _ := json.Marshal(map[string]string{"config": cfg})
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "CDK_OUTDIR="+outdir, "CDK_CONTEXT_JSON="+string(ctx))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err == nil {
		t.Fatalf("app exited 0 for an invalid config; stderr:\n%s", stderr.String())
	}
	for _, want := range []string{
		cfg + `:2: tooling.account "11111111111": must be exactly 12 digits`,
		cfg + `:7: deploy.executionPolicy.managedPolicyArns[0] "arn:aws:iam::aws:policy/AdministratorAccess"`,
		cfg + `:10: environments[1].name "staging": duplicate of environments[0].name`,
		cfg + `:10: environments[1].regions[0] "mars-north-1"`,
		"no templates were written",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q; got:\n%s", want, stderr.String())
		}
	}
	if entries, _ := os.ReadDir(outdir); len(entries) > 0 {
		t.Errorf("the app wrote %d files to %s for an invalid config", len(entries), outdir)
	}
}
