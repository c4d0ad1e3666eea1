package assets_test

import (
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
	bin, state := t.TempDir(), t.TempDir()
	// aws: head-object and describe-images succeed for what was stored;
	// s3 cp and docker push store it.
	fake := `#!/bin/sh
state=` + state + `
log() { echo "$*" >> "$state/calls"; }
case "$1 $2" in
  "s3api head-object") test -f "$state/s3-$4-$6" ;;
  "s3 cp") log "upload $4"; key=$(echo "$4" | sed 's#s3://##; s#/#-#'); touch "$state/s3-$key" ;;
  "ecr describe-images") test -f "$state/ecr-$4-$(echo $6 | sed 's/imageTag=//')-$8" ;;
  "ecr get-login-password") echo token ;;
  *) echo "unexpected aws $*" >&2; exit 2 ;;
esac
`
	docker := `#!/bin/sh
state=` + state + `
case "$1" in
  login) cat > /dev/null ;;
  build) echo "build $3" >> "$state/calls" ;;
  push) echo "push $2" >> "$state/calls"; repo=$(echo "$2" | sed 's#^[^/]*/##; s#:.*##' | tr / -); tag=${2##*:}; region=$(echo "$2" | cut -d. -f4); touch "$state/ecr-$(echo "$2" | sed 's#^[^/]*/##; s#:.*##')-$tag-$region" 2>/dev/null || { mkdir -p "$state/ecr-relay/shop"; touch "$state/ecr-$(echo "$2" | sed 's#^[^/]*/##; s#:.*##')-$tag-$region"; } ;;
  *) exit 2 ;;
esac
`
	os.WriteFile(filepath.Join(bin, "aws"), []byte(fake), 0o755)
	os.WriteFile(filepath.Join(bin, "docker"), []byte(docker), 0o755)
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
