package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/bootstrap"
	"github.com/relaycdk/relay/constructs/config"
)

// bootstrapScript runs Write for cfg into a new folder and returns the
// folder and the script it wrote.
func bootstrapScript(t *testing.T, cfg *config.Config) (dir, sh string) {
	t.Helper()
	dir = t.TempDir()
	script, err := Write(cfg, dir)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	return dir, string(raw)
}

// TestWrite runs the command's work on the embedded example: one policy per
// account (tooling and both targets) and the exact commands that create it
// and bootstrap with it, never with AdministratorAccess or IAMFullAccess.
func TestWrite(t *testing.T) {
	cfg, err := config.Parse("example.yaml", config.Example())
	if err != nil {
		t.Fatal(err)
	}
	dir, sh := bootstrapScript(t, cfg)
	for _, want := range []string{
		"aws iam create-policy --policy-name relay-payments-bootstrap --policy-document file://111111111111.json\n" +
			"cdk bootstrap aws://111111111111/us-east-1 --cloudformation-execution-policies arn:aws:iam::111111111111:policy/relay-payments-bootstrap\n",
		"cdk bootstrap aws://222222222222/us-east-1 --trust 111111111111 --cloudformation-execution-policies arn:aws:iam::222222222222:policy/relay-payments-bootstrap\n",
		"cdk bootstrap aws://333333333333/us-east-1 --trust 111111111111 --cloudformation-execution-policies arn:aws:iam::333333333333:policy/relay-payments-bootstrap\n",
	} {
		if !strings.Contains(sh, want) {
			t.Errorf("bootstrap.sh lacks\n%s\ngot\n%s", want, sh)
		}
	}
	if strings.Contains(sh, "AdministratorAccess") || strings.Contains(sh, "IAMFullAccess") {
		t.Errorf("bootstrap.sh names an administrator policy:\n%s", sh)
	}
	for _, acct := range []string{"111111111111", "222222222222", "333333333333"} {
		raw, err := os.ReadFile(filepath.Join(dir, acct+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var doc bootstrap.Policy
		if err := json.Unmarshal(raw, &doc); err != nil || len(doc.Statement) == 0 {
			t.Errorf("%s.json: %v, %d statements", acct, err, len(doc.Statement))
		}
	}
}

// TestAttachedPolicies: each account's bootstrap policy admits the managed
// policies Relay's stacks attach there: deploy.executionPolicy's and those
// of deploy.stacks entries with a policy of their own, with ${account}
// filled with that account.
func TestAttachedPolicies(t *testing.T) {
	cfg, err := config.Parse("attach.yaml", []byte(`name: attach
tooling: {account: "111111111111", region: us-east-1}
source:
  github: {repository: acme/attach, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
deploy:
  stacks:
    - {name: data, stackName: attach-data, templatePath: data.yaml, executionPolicy: {managedPolicyArns: ["arn:aws:iam::${account}:policy/data-deployer"]}}
    - {name: app, stackName: attach-app, templatePath: app.yaml}
  executionPolicy:
    managedPolicyArns: ["arn:aws:iam::${account}:policy/app-deployer", "arn:aws:iam::aws:policy/AWSLambda_FullAccess"]
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1]}
  - {name: production, account: "333333333333", regions: [us-east-1]}
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		account string
		want    []string
	}{
		{"222222222222", []string{"arn:aws:iam::222222222222:policy/app-deployer", "arn:aws:iam::aws:policy/AWSLambda_FullAccess", "arn:aws:iam::222222222222:policy/data-deployer"}},
		{"333333333333", []string{"arn:aws:iam::333333333333:policy/app-deployer", "arn:aws:iam::aws:policy/AWSLambda_FullAccess", "arn:aws:iam::333333333333:policy/data-deployer"}},
	}
	for _, tt := range tests {
		got := attachedPolicies(cfg, tt.account)
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("attachedPolicies(%s) = %v, want %v", tt.account, got, tt.want)
		}
	}
}

// sourceAccountsYAML is a configuration whose sources belong to other
// accounts: the primary CodeCommit source to 444444444444, an extra S3
// source to 222222222222, which is also the staging account.
const sourceAccountsYAML = `name: quarry
tooling: {account: "111111111111", region: us-east-1}
source:
  codecommit: {repository: quarry, account: "444444444444"}
extraSources:
  - {name: assets, s3: {bucket: acme-quarry-assets, key: assets.zip, versioned: true, account: "222222222222"}}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}
environments:
  - {name: staging, account: "222222222222", regions: [eu-west-1]}
`

// TestWriteSourceAccounts: an account that owns a source of the pipeline
// holds the stack <name>-source-<account>, which cdk deploy --all (and the
// self-update) deploys through its CDK bootstrap: it gets a policy and a
// bootstrap command that trusts the tooling account, as a target does; an
// account that is both gets one policy with both kinds' statements.
func TestWriteSourceAccounts(t *testing.T) {
	cfg, err := config.Parse("sources.yaml", []byte(sourceAccountsYAML))
	if err != nil {
		t.Fatal(err)
	}
	dir, sh := bootstrapScript(t, cfg)
	for _, want := range []string{
		"# source account 444444444444\n",
		"cdk bootstrap aws://444444444444/us-east-1 --trust 111111111111 --cloudformation-execution-policies arn:aws:iam::444444444444:policy/relay-quarry-bootstrap\n",
		"cdk bootstrap aws://222222222222/eu-west-1 --trust 111111111111 --cloudformation-execution-policies arn:aws:iam::222222222222:policy/relay-quarry-bootstrap\n",
		// 222222222222's source stack is in the tooling region.
		"cdk bootstrap aws://222222222222/us-east-1 --trust 111111111111 --cloudformation-execution-policies arn:aws:iam::222222222222:policy/relay-quarry-bootstrap\n",
	} {
		if !strings.Contains(sh, want) {
			t.Errorf("bootstrap.sh lacks\n%s\ngot\n%s", want, sh)
		}
	}
	for acct, sid := range map[string]string{"444444444444": "SourceRules", "222222222222": "SourceRules"} {
		raw, err := os.ReadFile(filepath.Join(dir, acct+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(raw), `"Sid": "`+sid+`"`) {
			t.Errorf("%s.json has no %s statement:\n%s", acct, sid, raw)
		}
	}
}
