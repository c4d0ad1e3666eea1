package pipeline

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hostileValues are run-time values as CodePipeline would hand them to a
// CodeBuild action after resolving a free-text variable (#{variables.x}, a
// commit message, a branch or author name): shell syntax of every kind,
// each of which would create the file MARKER if a shell ran it.
var hostileValues = []string{
	`"; touch MARKER; #`,
	`$(touch MARKER)`,
	"`touch MARKER`",
	"line one\ntouch MARKER",
	`'; touch MARKER; '`,
	`${IFS}$(touch${IFS}MARKER)`,
	`-x --help a,b=c {x} * ?`,
	`x"},{"name":"HELM_SET_KEYS","type":"PLAINTEXT","value":"image.repository`,
	"ends with a line break\n\n",
}

// carried are the variables of Relay's own buildspecs whose values come
// from CodePipeline at run time, and may be free text: the GitOps value
// and the Helm set values ("may use variables"), and the self-update's
// execution and revision.
var carried = []string{"GITOPS_VALUE", "HELM_SET_0", "HELM_SET_1", "RELAY_EXECUTION_ID", "RELAY_SOURCE_REVISION", "RELAY_EXTRA_REVISION_1", "RELAY_EXTRA_REVISION_2"}

// runtimeCase is one buildspec Relay writes, run in bash with its tools
// replaced by stubs that record each argument they receive on a line of
// its own (a newline inside an argument is written as \n).
type runtimeCase struct {
	name     string
	commands []string
	env      func(dir, value string) []string
	stubs    map[string]string // name (under bin, or gopath/bin) -> script body
	files    map[string]string // files the commands expect in the working directory
	want     func(dir, value string) []string
}

// variablesJSON is what aws codepipeline get-pipeline-execution --query
// pipelineExecution.variables --output json prints for an execution whose
// variable tag resolved to v, and other to a placeholder's text.
func variablesJSON(v string) string {
	b, err := json.MarshalIndent([]map[string]string{{"name": "tag", "resolvedValue": v}, {"name": "other", "resolvedValue": "%{relay.variables.tag}"}}, "", "    ")
	if err != nil {
		panic(err)
	}
	return string(b) + "\n"
}

// record is a stub body that logs its name and each argument.
const record = `n=$(basename "$0"); for a in "$@"; do printf '%s arg %s\n' "$n" "${a//$'\n'/\\n}" >> "$LOG"; done`

func runtimeCases() []runtimeCase {
	oneLine := func(v string) string { return strings.ReplaceAll(v, "\n", `\n`) }
	return []runtimeCase{
		{
			name:     "GitOps",
			commands: gitOpsCommands,
			env: func(dir, v string) []string {
				return []string{"GITOPS_REPOSITORY=https://git.example.com/acme/deploy.git", "GITOPS_BRANCH=main", "GITOPS_FILE=envs/staging/values.yaml",
					"GITOPS_KEY=.image.tag", "GITOPS_TOKEN=token", "GITOPS_VALUE=" + v}
			},
			stubs: map[string]string{
				"git":       record + `; if [ "$1" = clone ]; then mkdir -p gitops/envs/staging; fi`,
				"go":        `echo "$GOPATH_STUB"`,
				"gopath/yq": record + `; printf 'yq env GITOPS_VALUE %s\n' "${GITOPS_VALUE//$'\n'/\\n}" >> "$LOG"`,
			},
			want: func(dir, v string) []string {
				return []string{
					"git arg clone", "git arg --depth", "git arg 1", "git arg --branch", "git arg main",
					"git arg https://x-access-token:token@git.example.com/acme/deploy.git", "git arg gitops",
					"yq arg -i", "yq arg .image.tag = strenv(GITOPS_VALUE)", "yq arg gitops/envs/staging/values.yaml", "yq env GITOPS_VALUE " + oneLine(v),
					"git arg -C", "git arg gitops", "git arg -c", "git arg user.name=relay-pipeline", "git arg -c", "git arg user.email=relay-pipeline@users.noreply.github.com",
					"git arg commit", "git arg -am", "git arg relay: set .image.tag to " + oneLine(v) + " in envs/staging/values.yaml",
					"git arg -C", "git arg gitops", "git arg push", "git arg origin", "git arg HEAD:main",
				}
			},
		},
		{
			name:     "Helm",
			commands: helmCommands,
			env: func(dir, v string) []string {
				return []string{"EKS_CLUSTER=shop", "EKS_REGION=us-east-1", "DEPLOY_ROLE_ARN=arn:aws:iam::222222222222:role/relay/shop/shop-staging-deploy",
					"HELM_RELEASE=shop", "HELM_CHART=charts/shop", "HELM_NAMESPACE=shop", "HELM_VALUES=", "HELM_SET_KEYS=image.tag labels.team",
					"HELM_SET_0=" + v, "HELM_SET_1=" + v}
			},
			stubs: map[string]string{
				"aws":         `if [ "$1" = sts ]; then printf 'AKIAEXAMPLE\tsecret\ttoken\n'; fi`,
				"go":          `echo "$GOPATH_STUB"`,
				"gopath/helm": `for a in "$@"; do case "$a" in *=/*) printf 'helm file %s\n' "$(cat "${a#*=}" | sed -z 's/\n/\\n/g')" >> "$LOG";; esac; done`,
			},
			want: func(dir, v string) []string {
				return []string{"helm file " + oneLine(v), "helm file " + oneLine(v)}
			},
		},
		{
			// #{variables.tag} in the GitOps value: CodePipeline fills only
			// the other reference (here a commit ID), and the commands read
			// tag's value from GetPipelineExecution (the stub prints it as
			// the AWS CLI would).
			name:     "GitOps with a pipeline variable",
			commands: gitOpsCommands,
			env: func(dir, v string) []string {
				return []string{"GITOPS_REPOSITORY=https://git.example.com/acme/deploy.git", "GITOPS_BRANCH=main", "GITOPS_FILE=envs/staging/values.yaml",
					"GITOPS_KEY=.image.tag", "GITOPS_TOKEN=token", "GITOPS_VALUE=%{relay.variables.tag}-0123abc", "RELAY_EXECUTION_ID=exec-1", "RELAY_PIPELINE=shop",
					"FAKE_VARIABLES=" + variablesJSON(v)}
			},
			stubs: map[string]string{
				"aws":       record + `; printf '%s' "$FAKE_VARIABLES"`,
				"git":       record + `; if [ "$1" = clone ]; then mkdir -p gitops/envs/staging; fi`,
				"go":        `echo "$GOPATH_STUB"`,
				"gopath/yq": record + `; printf 'yq env GITOPS_VALUE %s\n' "${GITOPS_VALUE//$'\n'/\\n}" >> "$LOG"`,
			},
			want: func(dir, v string) []string {
				return []string{
					"aws arg codepipeline", "aws arg get-pipeline-execution", "aws arg --pipeline-name", "aws arg shop", "aws arg --pipeline-execution-id", "aws arg exec-1",
					"aws arg --query", "aws arg pipelineExecution.variables", "aws arg --output", "aws arg json",
					"git arg clone", "git arg --depth", "git arg 1", "git arg --branch", "git arg main",
					"git arg https://x-access-token:token@git.example.com/acme/deploy.git", "git arg gitops",
					"yq arg -i", "yq arg .image.tag = strenv(GITOPS_VALUE)", "yq arg gitops/envs/staging/values.yaml", "yq env GITOPS_VALUE " + oneLine(v) + "-0123abc",
					"git arg -C", "git arg gitops", "git arg -c", "git arg user.name=relay-pipeline", "git arg -c", "git arg user.email=relay-pipeline@users.noreply.github.com",
					"git arg commit", "git arg -am", "git arg relay: set .image.tag to " + oneLine(v) + "-0123abc in envs/staging/values.yaml",
					"git arg -C", "git arg gitops", "git arg push", "git arg origin", "git arg HEAD:main",
				}
			},
		},
		{
			// Helm set values that use pipeline variables: each value is
			// filled from GetPipelineExecution's JSON, in one pass (the
			// placeholder in other's value stays text), with the pipeline
			// name from CODEBUILD_INITIATOR when the name was generated.
			name:     "Helm with pipeline variables",
			commands: helmCommands,
			env: func(dir, v string) []string {
				return []string{"EKS_CLUSTER=shop", "EKS_REGION=us-east-1", "DEPLOY_ROLE_ARN=arn:aws:iam::222222222222:role/relay/shop/shop-staging-deploy",
					"HELM_RELEASE=shop", "HELM_CHART=charts/shop", "HELM_NAMESPACE=shop", "HELM_VALUES=", "HELM_SET_KEYS=image.tag labels.team labels.other",
					"HELM_SET_0=%{relay.variables.tag}", "HELM_SET_1=v-%{relay.variables.tag}-%{relay.variables.tag}", "HELM_SET_2=%{relay.variables.other}",
					"RELAY_EXECUTION_ID=exec-1", "CODEBUILD_INITIATOR=codepipeline/shop", "FAKE_VARIABLES=" + variablesJSON(v)}
			},
			stubs: map[string]string{
				"aws":         record + `; case "$1" in sts) printf 'AKIAEXAMPLE\tsecret\ttoken\n';; codepipeline) printf '%s' "$FAKE_VARIABLES";; esac`,
				"go":          `echo "$GOPATH_STUB"`,
				"gopath/helm": `for a in "$@"; do case "$a" in *=/*) printf 'helm file %s\n' "$(cat "${a#*=}"; printf x)" | sed -z 's/\n/\\n/g; s/x\\n$/\n/' >> "$LOG";; esac; done`,
			},
			want: func(dir, v string) []string {
				return []string{
					"aws arg codepipeline", "aws arg get-pipeline-execution", "aws arg --pipeline-name", "aws arg shop", "aws arg --pipeline-execution-id", "aws arg exec-1",
					"aws arg --query", "aws arg pipelineExecution.variables", "aws arg --output", "aws arg json",
					"aws arg sts", "aws arg assume-role", "aws arg --role-arn", "aws arg arn:aws:iam::222222222222:role/relay/shop/shop-staging-deploy",
					"aws arg --role-session-name", "aws arg relay-helm", "aws arg --query", "aws arg Credentials.[AccessKeyId,SecretAccessKey,SessionToken]", "aws arg --output", "aws arg text",
					"aws arg eks", "aws arg update-kubeconfig", "aws arg --name", "aws arg shop", "aws arg --region", "aws arg us-east-1",
					"helm file " + oneLine(v), "helm file v-" + oneLine(v) + "-" + oneLine(v), "helm file %{relay.variables.tag}",
				}
			},
		},
		{
			name:     "self-update",
			commands: selfUpdateCommands,
			env: func(dir, v string) []string {
				return []string{"RELAY_PIPELINE=shop", "RELAY_APP=./apps/relay", "RELAY_CONFIG=relay.yaml", "RELAY_QUALIFIER=hnb659fds", "RELAY_CDK_VERSION=2.1148.1",
					"RELAY_SOURCE_ACTION=Source", "RELAY_REVISION_TYPE=COMMIT_ID", "RELAY_EXECUTION_ID=" + v, "RELAY_SOURCE_REVISION=" + v,
					"RELAY_EXTRA_REVISION_2=actionName=base,revisionType=IMAGE_DIGEST,revisionValue=" + v,
					"RELAY_EXTRA_REVISION_1=actionName=settings,revisionType=S3_OBJECT_VERSION_ID,revisionValue=" + v}
			},
			stubs: map[string]string{
				"aws": record + `; case "$2" in get-pipeline-execution) echo 1;; get-pipeline) echo 2;; start-pipeline-execution) echo next-id;; esac`,
				"npx": record,
			},
			files: map[string]string{"go.mod": "module delivery\n", "relay.yaml": "name: shop\n"},
			want: func(dir, v string) []string {
				return []string{
					"aws arg codepipeline", "aws arg get-pipeline-execution", "aws arg --pipeline-name", "aws arg shop", "aws arg --pipeline-execution-id", "aws arg " + oneLine(v),
					"aws arg --query", "aws arg pipelineExecution.pipelineVersion", "aws arg --output", "aws arg text",
					"npx arg --yes", "npx arg aws-cdk@2.1148.1", "npx arg deploy", "npx arg --all", "npx arg --app", "npx arg go run ./apps/relay",
					"npx arg --context", "npx arg config=relay.yaml", "npx arg --context", "npx arg @aws-cdk/core:bootstrapQualifier=hnb659fds",
					"npx arg --require-approval", "npx arg never", "npx arg --import-existing-resources", "npx arg --concurrency", "npx arg 1", "npx arg --progress", "npx arg events",
					"aws arg codepipeline", "aws arg get-pipeline", "aws arg --name", "aws arg shop", "aws arg --query", "aws arg pipeline.version", "aws arg --output", "aws arg text",
					"aws arg codepipeline", "aws arg start-pipeline-execution", "aws arg --name", "aws arg shop",
					"aws arg --source-revisions", "aws arg actionName=Source,revisionType=COMMIT_ID,revisionValue=" + oneLine(v),
					"aws arg actionName=settings,revisionType=S3_OBJECT_VERSION_ID,revisionValue=" + oneLine(v),
					"aws arg actionName=base,revisionType=IMAGE_DIGEST,revisionValue=" + oneLine(v),
					"aws arg --query", "aws arg pipelineExecutionId", "aws arg --output", "aws arg text",
					"aws arg codepipeline", "aws arg stop-pipeline-execution", "aws arg --pipeline-name", "aws arg shop", "aws arg --pipeline-execution-id", "aws arg " + oneLine(v),
					"aws arg --abandon", "aws arg --reason", "aws arg Superseded by next-id on pipeline version 2",
				}
			},
		},
	}
}

// TestRunTimeValuesStayData runs each buildspec Relay writes whose
// commands read a value CodePipeline fills at run time (the GitOps and Helm
// steps, the self-update) in bash, with a hostile value of each kind, and
// its tools replaced by stubs with no network: the commands parse (bash
// -n), the value reaches the tool as one argument (or one file's content,
// or an environment variable) exactly as given, and no part of it runs.
// Statically, no such command uses eval or expands a carried variable
// outside double quotes.
func TestRunTimeValuesStayData(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	for _, tc := range runtimeCases() {
		for _, c := range tc.commands {
			if strings.Contains(c, "eval ") {
				t.Errorf("%s: %q uses eval", tc.name, c)
			}
			for _, v := range unquotedExpansions(c) {
				for _, name := range carried {
					if v == name {
						t.Errorf("%s: %q expands $%s outside double quotes: the shell would split and glob the value", tc.name, c, name)
					}
				}
			}
		}
		script := strings.Join(tc.commands, "\n")
		if out, err := exec.Command("bash", "-n", "-c", script).CombinedOutput(); err != nil {
			t.Errorf("%s: bash -n: %v\n%s", tc.name, err, out)
		}
		for i, hostile := range hostileValues {
			t.Run(tc.name+"/"+strings.Fields(strings.ReplaceAll(hostile, "\n", " "))[0], func(t *testing.T) {
				dir := t.TempDir()
				marker := filepath.Join(dir, "pwned")
				value := strings.ReplaceAll(hostile, "MARKER", marker)
				bin, gopath, work := filepath.Join(dir, "bin"), filepath.Join(dir, "gopath"), filepath.Join(dir, "work")
				log := filepath.Join(dir, "log")
				for _, d := range []string{bin, filepath.Join(gopath, "bin"), work} {
					if err := os.MkdirAll(d, 0o755); err != nil {
						t.Fatal(err)
					}
				}
				for name, body := range tc.stubs {
					path := filepath.Join(bin, name)
					if rest, ok := strings.CutPrefix(name, "gopath/"); ok {
						path = filepath.Join(gopath, "bin", rest)
					}
					if err := os.WriteFile(path, []byte("#!/bin/bash\n"+body+"\n"), 0o755); err != nil {
						t.Fatal(err)
					}
				}
				for name, content := range tc.files {
					if err := os.WriteFile(filepath.Join(work, name), []byte(content), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				cmd := exec.Command("bash", "-e", "-c", script)
				cmd.Dir = work
				cmd.Env = append([]string{"PATH=" + bin + ":/usr/bin:/bin", "TMPDIR=" + dir, "LOG=" + log, "GOPATH_STUB=" + gopath, "HOME=" + dir}, tc.env(dir, value)...)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("value %d %q: commands failed: %v\n%s", i, value, err, out)
				}
				if _, err := os.Stat(marker); err == nil {
					t.Fatalf("value %q ran as shell code: %s exists", value, marker)
				}
				raw, err := os.ReadFile(log)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want(dir, value), strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")); diff != "" {
					t.Errorf("what the tools received for %q (-want +got):\n%s", value, diff)
				}
			})
		}
	}
}

// unquotedExpansions are the names of the variables that command expands
// outside double and single quotes ($NAME, ${NAME...}, ${!NAME}), where
// the shell would split and glob their values.
func unquotedExpansions(command string) []string {
	var out []string
	single, double := false, false
	for i := 0; i < len(command); i++ {
		switch c := command[i]; {
		case c == '\\' && !single:
			i++
		case c == '\'' && !double:
			single = !single
		case c == '"' && !single:
			double = !double
		case c == '$' && !single && !double && i+1 < len(command):
			rest := strings.TrimLeft(command[i+1:], "{!")
			end := strings.IndexFunc(rest, func(r rune) bool {
				return !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
			})
			if end < 0 {
				end = len(rest)
			}
			if end > 0 {
				out = append(out, rest[:end])
			}
		}
	}
	return out
}

// TestUnquotedExpansions: the static check finds what it must.
func TestUnquotedExpansions(t *testing.T) {
	for _, tc := range []struct {
		command string
		want    []string
	}{
		{`echo "$GITOPS_VALUE"`, nil},
		{`echo $GITOPS_VALUE`, []string{"GITOPS_VALUE"}},
		{`echo '$GITOPS_VALUE' ${HELM_SET_0:-x}`, []string{"HELM_SET_0"}},
		{`printf '%s' "${!v}" > "x"; y=${!v}`, []string{"v"}},
	} {
		if diff := cmp.Diff(tc.want, unquotedExpansions(tc.command)); diff != "" {
			t.Errorf("unquotedExpansions(%q) (-want +got):\n%s", tc.command, diff)
		}
	}
}
