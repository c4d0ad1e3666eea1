package test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/relaytest"
)

type obj = map[string]interface{}

// roleID is the logical ID of the role named name in tpl, or of the role of
// the CodeBuild project named project.
func roleID(t *testing.T, tpl obj, name, project string) string {
	t.Helper()
	for id, r := range tpl["Resources"].(obj) {
		r := r.(obj)
		props, _ := r["Properties"].(obj)
		switch {
		case name != "" && r["Type"] == "AWS::IAM::Role" && props["RoleName"] == name:
			return id
		case project != "" && r["Type"] == "AWS::CodeBuild::Project" && props["Name"] == project:
			return props["ServiceRole"].(obj)["Fn::GetAtt"].([]interface{})[0].(string)
		}
	}
	t.Fatalf("no role %q / project %q", name, project)
	return ""
}

// statementsBySid are the statements of the policies attached to role id,
// by Sid (statements without a Sid under "").
func statementsBySid(tpl obj, id string) map[string]obj {
	out := map[string]obj{}
	for _, r := range tpl["Resources"].(obj) {
		r := r.(obj)
		if r["Type"] != "AWS::IAM::Policy" {
			continue
		}
		props := r["Properties"].(obj)
		if !slices.ContainsFunc(props["Roles"].([]interface{}), func(x interface{}) bool { return cmp.Equal(x, obj{"Ref": id}) }) {
			continue
		}
		for _, s := range props["PolicyDocument"].(obj)["Statement"].([]interface{}) {
			st := s.(obj)
			sid, _ := st["Sid"].(string)
			out[sid] = st
		}
	}
	return out
}

func strs(v interface{}) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []interface{}:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// stackTemplates builds the example file and returns its stacks' templates
// by stack name.
func stackTemplates(t *testing.T, file string) map[string]obj {
	t.Helper()
	_, d := build(t, loadConfig(t, filepath.Join("..", "examples", file)))
	out := map[string]obj{}
	for _, s := range d.Stacks() {
		out[*s.StackName()] = relaytest.JSON(t, s)
	}
	return out
}

// TestAssetGrants pins every grant of the asset stores, the execution
// roles that read them, and the roles that write them: each target account
// reads exactly the stores of the regions it deploys to, the publish role
// writes exactly the stores of the pipeline, and no new role may pass a
// role.
func TestAssetGrants(t *testing.T) {
	tpls := stackTemplates(t, "cdk-assets.yaml")
	regions := []string{"eu-west-1", "us-east-1"}
	objects := func(rs ...string) []string {
		var out []string
		for _, r := range rs {
			out = append(out, "arn:aws:s3:::webshop-assets-111111111111-"+r+"/*")
		}
		return out
	}
	repos := func(rs ...string) []string {
		var out []string
		for _, r := range rs {
			out = append(out, "arn:aws:ecr:"+r+":111111111111:repository/relay/webshop/assets")
		}
		return out
	}
	for _, env := range []string{"staging", "production"} {
		tpl := tpls["webshop-"+env]
		st := statementsBySid(tpl, roleID(t, tpl, "webshop-"+env+"-cfn-exec", ""))
		// In the environment's order of regions.
		if diff := cmp.Diff(objects("us-east-1", "eu-west-1"), strs(st["ReadWorkloadAssets"]["Resource"])); diff != "" {
			t.Errorf("%s execution role reads (-want +got):\n%s", env, diff)
		}
		if diff := cmp.Diff([]string{"s3:GetObject", "s3:GetObjectVersion"}, strs(st["ReadWorkloadAssets"]["Action"])); diff != "" {
			t.Errorf("%s execution role's read actions (-want +got):\n%s", env, diff)
		}
		if diff := cmp.Diff(repos("us-east-1", "eu-west-1"), strs(st["PullWorkloadImages"]["Resource"])); diff != "" {
			t.Errorf("%s execution role pulls (-want +got):\n%s", env, diff)
		}
	}
	// Each region's store admits exactly the execution roles of the
	// environments deploying there.
	for stack, region := range map[string]string{"webshop-tooling": "us-east-1", "webshop-tooling-eu-west-1": "eu-west-1"} {
		tpl := tpls[stack]
		var read obj
		for _, r := range tpl["Resources"].(obj) {
			r := r.(obj)
			if r["Type"] != "AWS::S3::BucketPolicy" {
				continue
			}
			for _, s := range r["Properties"].(obj)["PolicyDocument"].(obj)["Statement"].([]interface{}) {
				if s.(obj)["Sid"] == "ReadAssets" {
					read = s.(obj)
				}
			}
		}
		if read == nil {
			t.Fatalf("%s: no ReadAssets statement in %s", stack, region)
		}
		want := []string{"arn:aws:iam::222222222222:role/relay/webshop/webshop-staging-cfn-exec", "arn:aws:iam::333333333333:role/relay/webshop/webshop-production-cfn-exec"}
		if diff := cmp.Diff(want, strs(read["Condition"].(obj)["ArnLike"].(obj)["aws:PrincipalArn"])); diff != "" {
			t.Errorf("%s: readers (-want +got):\n%s", stack, diff)
		}
	}
	// The publish role writes the pipeline's stores and nothing else.
	tooling := tpls["webshop-tooling"]
	pub := statementsBySid(tooling, roleID(t, tooling, "", "webshop-assets"))
	if diff := cmp.Diff(objects(regions...), strs(pub["WriteAssets"]["Resource"])); diff != "" {
		t.Errorf("publish role writes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(repos(regions...), strs(pub["PushImages"]["Resource"])); diff != "" {
		t.Errorf("publish role pushes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ecr:GetAuthorizationToken"}, strs(pub["LogInToRegistry"]["Action"])); diff != "" {
		t.Errorf("the publish role's only * (-want +got):\n%s", diff)
	}
	for sid, s := range pub {
		for _, a := range strs(s["Action"]) {
			if a == "iam:PassRole" || a == "*" || a == "sts:AssumeRole" {
				t.Errorf("publish role statement %q allows %s", sid, a)
			}
		}
	}
}

// TestPackagedAssetGrants: with publish build, the build role may write the
// asset bucket of each region deployed to (and push no image without
// assets.images), its project names each bucket by region, and each
// execution role may read the buckets of its own regions only.
func TestPackagedAssetGrants(t *testing.T) {
	tpls := stackTemplates(t, "sam-packaged.yaml")
	tpl := tpls["invoices-tooling"]
	st := statementsBySid(tpl, roleID(t, tpl, "", "invoices-build"))
	bucket := func(region string) string { return "arn:aws:s3:::invoices-assets-111111111111-" + region }
	if diff := cmp.Diff([]string{bucket("eu-central-1") + "/*", bucket("eu-west-1") + "/*"}, strs(st["WriteAssets"]["Resource"])); diff != "" {
		t.Errorf("build role writes (-want +got):\n%s", diff)
	}
	if _, ok := st["PushImages"]; ok {
		t.Error("the build may push images without assets.images")
	}
	vars := projectVariables(tpl, "invoices-build")
	want := map[string]interface{}{
		"RELAY_ASSET_BUCKETS": "eu-central-1=invoices-assets-111111111111-eu-central-1 eu-west-1=invoices-assets-111111111111-eu-west-1",
		"RELAY_ASSET_BUCKET":  "invoices-assets-111111111111-eu-west-1", "RELAY_ASSET_REGION": "eu-west-1",
	}
	for k, v := range want {
		if vars[k] != v {
			t.Errorf("build variable %s = %q, want %q", k, vars[k], v)
		}
	}
	for env, regions := range map[string][]string{"staging": {"eu-west-1"}, "production": {"eu-west-1", "eu-central-1"}} {
		tpl := tpls["invoices-"+env]
		var objects []string
		for _, r := range regions {
			objects = append(objects, bucket(r)+"/*")
		}
		st := statementsBySid(tpl, roleID(t, tpl, "invoices-"+env+"-cfn-exec", ""))
		if diff := cmp.Diff(objects, strs(st["ReadWorkloadAssets"]["Resource"])); diff != "" {
			t.Errorf("%s execution role reads (-want +got):\n%s", env, diff)
		}
	}
}

// TestPackagedImageGrants: with publish build and images, the build may
// push to the repository of each region deployed to, which the project
// lists in RELAY_ASSET_REPOSITORIES by region.
func TestPackagedImageGrants(t *testing.T) {
	cfg := loadConfig(t, filepath.Join("..", "examples", "sam-packaged.yaml"))
	cfg.Assets.Images, cfg.Build.Privileged = true, true
	_, d := build(t, cfg)
	var tpl obj
	for _, s := range d.Stacks() {
		if *s.StackName() == "invoices-tooling" {
			tpl = relaytest.JSON(t, s)
		}
	}
	st := statementsBySid(tpl, roleID(t, tpl, "", "invoices-build"))
	repo := func(region string) string {
		return "arn:aws:ecr:" + region + ":111111111111:repository/relay/invoices/assets"
	}
	if diff := cmp.Diff([]string{repo("eu-central-1"), repo("eu-west-1")}, strs(st["PushImages"]["Resource"])); diff != "" {
		t.Errorf("build role pushes to (-want +got):\n%s", diff)
	}
	// The registry's domain is AWS::URLSuffix, resolved at deploy.
	joined := ""
	repos, _ := projectVariables(tpl, "invoices-build")["RELAY_ASSET_REPOSITORIES"].(obj)
	parts, _ := repos["Fn::Join"].([]interface{})
	if len(parts) != 2 {
		t.Fatalf("RELAY_ASSET_REPOSITORIES = %v, want an Fn::Join of the URIs", repos)
	}
	for _, part := range parts[1].([]interface{}) {
		if s, ok := part.(string); ok {
			joined += s
		} else if cmp.Equal(part, obj{"Ref": "AWS::URLSuffix"}) {
			joined += "amazonaws.com"
		} else {
			t.Errorf("RELAY_ASSET_REPOSITORIES holds %v", part)
		}
	}
	uri := func(region string) string {
		return "111111111111.dkr.ecr." + region + ".amazonaws.com/relay/invoices/assets"
	}
	if want := "eu-central-1=" + uri("eu-central-1") + " eu-west-1=" + uri("eu-west-1"); joined != want {
		t.Errorf("RELAY_ASSET_REPOSITORIES = %q, want %q", joined, want)
	}
}

// projectVariables are the environment variables of the CodeBuild project
// named name in tpl, by name.
func projectVariables(tpl obj, name string) map[string]interface{} {
	out := map[string]interface{}{}
	for _, r := range tpl["Resources"].(obj) {
		props, _ := r.(obj)["Properties"].(obj)
		if r.(obj)["Type"] == "AWS::CodeBuild::Project" && props["Name"] == name {
			for _, v := range props["Environment"].(obj)["EnvironmentVariables"].([]interface{}) {
				out[v.(obj)["Name"].(string)] = v.(obj)["Value"]
			}
		}
	}
	return out
}

// TestSelfUpdateGrants pins the self-update role: the CDK bootstrap deploy
// and file-publishing roles of exactly the accounts and regions of Relay's
// stacks, and this pipeline's executions; nothing else of its own.
func TestSelfUpdateGrants(t *testing.T) {
	tpl := stackTemplates(t, "self-update.yaml")["platform-tooling"]
	st := statementsBySid(tpl, roleID(t, tpl, "", "platform-self-update"))
	var want []string
	for _, ar := range [][2]string{{"111111111111", "us-east-1"}, {"222222222222", "us-east-1"}, {"333333333333", "us-east-1"}} {
		for _, kind := range []string{"deploy", "file-publishing"} {
			want = append(want, "arn:aws:iam::"+ar[0]+":role/cdk-hnb659fds-"+kind+"-role-"+ar[0]+"-"+ar[1])
		}
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, strs(st["AssumeBootstrapRoles"]["Resource"])); diff != "" {
		t.Errorf("bootstrap roles (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"arn:aws:codepipeline:us-east-1:111111111111:platform"}, strs(st["RestartOnNewDefinition"]["Resource"])); diff != "" {
		t.Errorf("pipeline (-want +got):\n%s", diff)
	}
	for sid, s := range st {
		for _, a := range strs(s["Action"]) {
			if a == "iam:PassRole" || a == "*" {
				t.Errorf("self-update role statement %q allows %s", sid, a)
			}
		}
	}
	for _, r := range tpl["Resources"].(obj) {
		if p, ok := r.(obj)["Properties"].(obj)["ManagedPolicyArns"]; ok {
			if slices.ContainsFunc(strs(p), func(s string) bool { return filepath.Base(s) == "AdministratorAccess" }) {
				t.Errorf("a role with AdministratorAccess: %v", r)
			}
		}
	}
}

// TestPathToFirstEnvironment counts the CodeBuild actions from commit to the
// first environment: one (the build) without self-update and without an
// Assets stage, one more with self-update, one per region with an Assets
// stage (in as many run orders as maxConcurrentPublishes needs).
func TestPathToFirstEnvironment(t *testing.T) {
	tests := []struct {
		file   string
		builds int
		stages []string
	}{
		{"sam-packaged.yaml", 1, []string{"Source", "Build"}},
		{"self-update.yaml", 2, []string{"Source", "Build", "UpdatePipeline"}},
		{"cdk-assets.yaml", 3, []string{"Source", "Build", "Assets"}},
		{"ecs-blue-green.yaml", 1, []string{"Source", "Build"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			spec, err := delivery.Translate(loadConfig(t, filepath.Join("..", "examples", tt.file)))
			if err != nil {
				t.Fatal(err)
			}
			builds := 0
			var stages []string
			for _, st := range spec.Plan.Stages {
				if strings.HasPrefix(st.Name, "Deploy-") {
					break
				}
				stages = append(stages, st.Name)
				for _, a := range st.Actions {
					if a.Kind.Type().Provider == "CodeBuild" {
						builds++
					}
				}
			}
			if builds != tt.builds || !slices.Equal(stages, tt.stages) {
				t.Errorf("%d CodeBuild actions in %v before the first environment, want %d in %v", builds, stages, tt.builds, tt.stages)
			}
		})
	}
}

// TestAssetReadersInOrganization: with an organization, the asset bucket
// admits Relay's execution-role patterns from the accounts under the OUs or
// from the listed accounts, never from the whole organization, where any
// member account's administrator could create a role of that name and read
// the workload's code (it used to admit the organization by
// aws:PrincipalOrgID alone). The Sids map to the conditions' keys.
func TestAssetReadersInOrganization(t *testing.T) {
	const head = `name: webshop
tooling: {account: "111111111111", region: us-east-1}
source:
  github: {repository: acme/webshop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
assets: {publish: stage}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::${account}:policy/webshop-deployer"]}
`
	ouScope := obj{"aws:PrincipalOrgID": "o-a1b2c3d4e5"}
	for _, tc := range []struct {
		name, yaml string
		// want are the ReadAssets statements' condition values besides ArnLike, by Sid.
		want map[string]obj
		// arns are their ArnLike aws:PrincipalArn values, by Sid, when set.
		arns obj
	}{
		{"organization without OUs", head + "organization: {id: o-a1b2c3d4e5}\nenvironments:\n" +
			"  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n  - {name: production, account: \"333333333333\", regions: [us-east-1]}\n",
			map[string]obj{"ReadAssets": {"StringEquals": obj{"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:PrincipalAccount": []interface{}{"222222222222", "333333333333"}}}}, nil},
		{"organization with OUs", head + "organization: {id: o-a1b2c3d4e5, organizationalUnits: [ou-ab12-cd34ef56]}\nenvironments:\n" +
			"  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n  - {name: production, account: \"333333333333\", regions: [us-east-1]}\n",
			map[string]obj{"ReadAssets": {"StringEquals": ouScope, "ForAnyValue:StringLike": obj{"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*/ou-ab12-cd34ef56/*"}}}, nil},
		{"an OU environment beside an account environment", head + "organization: {id: o-a1b2c3d4e5}\nenvironments:\n" +
			"  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n  - {name: members, organizationalUnits: [ou-ab12-cd34ef57], regions: [us-east-1]}\n",
			map[string]obj{
				"ReadAssets":             {"StringEquals": ouScope, "ForAnyValue:StringLike": obj{"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*/ou-ab12-cd34ef57/*"}},
				"ReadAssetsFromAccounts": {"StringEquals": obj{"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:PrincipalAccount": "222222222222"}}}, nil},
		{"an account list beside OUs", head + "organization: {id: o-a1b2c3d4e5, organizationalUnits: [ou-ab12-cd34ef56]}\nenvironments:\n" +
			"  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n  - {name: pilot, accounts: [\"444444444444\"], regions: [us-east-1]}\n" +
			"  - {name: canary, accounts: [\"555555555555\", \"666666666666\"], regions: [us-east-1]}\n",
			map[string]obj{
				"ReadAssets":             {"StringEquals": ouScope, "ForAnyValue:StringLike": obj{"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*/ou-ab12-cd34ef56/*"}},
				"ReadAssetsFromAccounts": {"StringEquals": obj{"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:PrincipalAccount": []interface{}{"222222222222", "444444444444", "555555555555", "666666666666"}}}},
			// A StackSet execution role has no path: webshop-*-stackset-exec
			// would admit webshop-eu's roles (webshop-eu-pilot-stackset-exec)
			// too, so each accounts environment's role is named.
			obj{"ReadAssets": []interface{}{"arn:aws:iam::*:role/relay/webshop/webshop-*-cfn-exec", "arn:aws:iam::*:role/webshop-canary-stackset-exec", "arn:aws:iam::*:role/webshop-pilot-stackset-exec"},
				"ReadAssetsFromAccounts": []interface{}{"arn:aws:iam::*:role/relay/webshop/webshop-*-cfn-exec", "arn:aws:iam::*:role/webshop-canary-stackset-exec", "arn:aws:iam::*:role/webshop-pilot-stackset-exec"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Parse("relay.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			_, d := build(t, cfg)
			got, arns := map[string]obj{}, obj{}
			for _, s := range d.Stacks() {
				if *s.StackName() != "webshop-tooling" {
					continue
				}
				for _, r := range relaytest.JSON(t, s)["Resources"].(obj) {
					if r := r.(obj); r["Type"] == "AWS::S3::BucketPolicy" {
						for _, st := range r["Properties"].(obj)["PolicyDocument"].(obj)["Statement"].([]interface{}) {
							st := st.(obj)
							if sid, _ := st["Sid"].(string); strings.HasPrefix(sid, "ReadAssets") {
								arns[sid] = st["Condition"].(obj)["ArnLike"].(obj)["aws:PrincipalArn"]
								c := obj{}
								for k, v := range st["Condition"].(obj) {
									if k != "ArnLike" {
										c[k] = v
									}
								}
								got[sid] = c
							}
						}
					}
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("asset readers' conditions (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.arns, arns); tc.arns != nil && diff != "" {
				t.Errorf("asset readers' roles (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStackExecutionRolesReadAssets: a deploy.stacks entry with an
// execution policy of its own deploys as its own role, which must read the
// asset stores as the environment's execution role does (Lambda reads a
// function's code with the caller's credentials): its policy names the
// stores of the environment's regions, and each store's policy admits it.
// Its role used to get neither, so a stack with Lambda code assets failed
// to deploy.
func TestStackExecutionRolesReadAssets(t *testing.T) {
	const yaml = `name: webshop
tooling: {account: "111111111111", region: us-east-1}
%ssource:
  github: {repository: acme/webshop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
assets: {publish: stage, images: true}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::${account}:policy/webshop-deployer"]}
  stacks:
    - {name: api, stackName: "webshop-${env}-api", templatePath: api.json}
    - {name: worker, stackName: "webshop-${env}-worker", templatePath: worker.json, executionPolicy: {managedPolicyArns: ["arn:aws:iam::${account}:policy/webshop-worker"]}}
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1, eu-west-1]}
`
	for _, tc := range []struct {
		name, organization string
		// readers are the ReadAssets statement's aws:PrincipalArn values
		// in the tooling region's store.
		readers []string
	}{
		{"listed roles", "", []string{
			"arn:aws:iam::222222222222:role/relay/webshop/webshop-staging-cfn-exec",
			"arn:aws:iam::222222222222:role/relay/webshop/webshop-staging-worker-cfn-exec"}},
		{"organization", "organization: {id: o-a1b2c3d4e5}\n", []string{"arn:aws:iam::*:role/relay/webshop/webshop-*-cfn-exec"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Parse("relay.yaml", []byte(strings.Replace(yaml, "%s", tc.organization, 1)))
			if err != nil {
				t.Fatal(err)
			}
			_, d := build(t, cfg)
			tpls := map[string]obj{}
			for _, s := range d.Stacks() {
				tpls[*s.StackName()] = relaytest.JSON(t, s)
			}
			staging := tpls["webshop-staging"]
			for _, role := range []string{"webshop-staging-cfn-exec", "webshop-staging-worker-cfn-exec"} {
				st := statementsBySid(staging, roleID(t, staging, role, ""))
				if diff := cmp.Diff([]string{"arn:aws:s3:::webshop-assets-111111111111-us-east-1/*", "arn:aws:s3:::webshop-assets-111111111111-eu-west-1/*"},
					strs(st["ReadWorkloadAssets"]["Resource"])); diff != "" {
					t.Errorf("%s reads (-want +got):\n%s", role, diff)
				}
				if diff := cmp.Diff([]string{"arn:aws:ecr:us-east-1:111111111111:repository/relay/webshop/assets", "arn:aws:ecr:eu-west-1:111111111111:repository/relay/webshop/assets"},
					strs(st["PullWorkloadImages"]["Resource"])); diff != "" {
					t.Errorf("%s pulls (-want +got):\n%s", role, diff)
				}
			}
			var readers []string
			for _, r := range tpls["webshop-tooling"]["Resources"].(obj) {
				if r := r.(obj); r["Type"] == "AWS::S3::BucketPolicy" {
					for _, st := range r["Properties"].(obj)["PolicyDocument"].(obj)["Statement"].([]interface{}) {
						if st := st.(obj); st["Sid"] == "ReadAssets" {
							readers = strs(st["Condition"].(obj)["ArnLike"].(obj)["aws:PrincipalArn"])
						}
					}
				}
			}
			if diff := cmp.Diff(tc.readers, readers); diff != "" {
				t.Errorf("asset store readers (-want +got):\n%s", diff)
			}
		})
	}
}
