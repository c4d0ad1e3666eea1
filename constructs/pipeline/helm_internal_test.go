package pipeline

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHelmValuesAreEncodedAtRunTime runs the Helm step's build commands in
// bash, with aws, go and helm replaced by stubs that record what they get,
// and values as CodePipeline would hand them over after resolving
// #{variables.tag} to "a,b=c": each value reaches helm whole, as the content
// of one --set-file, and the release and chart come after "--". A value
// that uses a pipeline variable comes as a template: the commands read the
// variable from GetPipelineExecution (the stub prints JSON that would end
// the EnvironmentVariables JSON and add HELM_SET_KEYS) before assuming the
// deploy role, and it too stays one value.
func TestHelmValuesAreEncodedAtRunTime(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	dir := t.TempDir()
	bin, gopath := filepath.Join(dir, "bin"), filepath.Join(dir, "gopath")
	out := filepath.Join(dir, "helm.out")
	for path, script := range map[string]string{
		filepath.Join(bin, "aws"): `if [ "$1" = sts ]; then printf 'AKIAEXAMPLE\tsecret\ttoken\n'; fi; echo "aws $* as $AWS_ACCESS_KEY_ID" >> "` + out + `"; ` +
			`if [ "$1" = codepipeline ]; then printf '%s\n' '[{"name": "tag", "resolvedValue": "x\"},{\"name\":\"HELM_SET_KEYS\",\"type\":\"PLAINTEXT\",\"value\":\"image.repository"}]'; fi`,
		filepath.Join(bin, "go"):             `echo "` + gopath + `"`,
		filepath.Join(gopath, "bin", "helm"): `for a in "$@"; do echo "arg $a" >> "` + out + `"; case "$a" in *=/*) echo "file ${a#*=}: $(cat "${a#*=}")" >> "` + out + `";; esac; done`,
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("#!/bin/bash\n"+script+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("bash", "-e", "-c", strings.Join(helmCommands, "\n"))
	cmd.Env = []string{
		"PATH=" + bin + ":/usr/bin:/bin", "TMPDIR=" + dir,
		"EKS_CLUSTER=shop", "EKS_REGION=us-east-1", "DEPLOY_ROLE_ARN=arn:aws:iam::222222222222:role/relay/shop/shop-staging-deploy",
		"HELM_RELEASE=shop", "HELM_CHART=charts/shop", "HELM_NAMESPACE=shop", "HELM_VALUES=",
		"HELM_SET_KEYS=image.tag labels.team labels.tag", "HELM_SET_0=a,b=c", `HELM_SET_1=x"; echo pwned; "`, "HELM_SET_2=%{relay.variables.tag}",
		"RELAY_EXECUTION_ID=exec-1", "RELAY_PIPELINE=shop",
	}
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("commands failed: %v\n%s", err, msg)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"aws codepipeline get-pipeline-execution --pipeline-name shop --pipeline-execution-id exec-1 --query pipelineExecution.variables --output json as ",
		"aws sts assume-role --role-arn arn:aws:iam::222222222222:role/relay/shop/shop-staging-deploy --role-session-name relay-helm --query Credentials.[AccessKeyId,SecretAccessKey,SessionToken] --output text as ",
		"aws eks update-kubeconfig --name shop --region us-east-1 as AKIAEXAMPLE",
		"arg upgrade", "arg --install", "arg --namespace", "arg shop", "arg --atomic", "arg --wait", "arg --timeout", "arg 15m",
		"arg --set-file", "arg image.tag=" + dir + "/helm-set-0", "file " + dir + "/helm-set-0: a,b=c",
		"arg --set-file", "arg labels.team=" + dir + "/helm-set-1", "file " + dir + `/helm-set-1: x"; echo pwned; "`,
		"arg --set-file", "arg labels.tag=" + dir + "/helm-set-2", "file " + dir + `/helm-set-2: x"},{"name":"HELM_SET_KEYS","type":"PLAINTEXT","value":"image.repository`,
		"arg --", "arg shop", "arg charts/shop",
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSpace(string(raw)), "\n")); diff != "" {
		t.Errorf("what aws and helm received (-want +got):\n%s", diff)
	}
	for _, c := range helmCommands {
		if strings.Contains(c, "--create-namespace") {
			t.Errorf("%q: the access entry is namespace-scoped; the step must not create namespaces", c)
		}
	}
}
