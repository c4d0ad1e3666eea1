package wiring_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/wiring"
)

// stack is one stack of a hand-written cloud assembly.
type stack struct {
	name, env, template string
}

// writeAssembly writes manifest.json and the templates of stacks into a
// new folder, as `cdk synth` would.
func writeAssembly(t *testing.T, stacks ...stack) string {
	t.Helper()
	dir := t.TempDir()
	arts := map[string]interface{}{}
	for _, s := range stacks {
		file := s.name + ".template.json"
		var check interface{}
		if err := json.Unmarshal([]byte(s.template), &check); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, file), []byte(s.template), 0o644); err != nil {
			t.Fatal(err)
		}
		arts[s.name] = map[string]interface{}{"type": "aws:cloudformation:stack", "environment": s.env,
			"properties": map[string]interface{}{"templateFile": file}}
	}
	raw, _ := json.Marshal(map[string]interface{}{"version": "55.0.0", "artifacts": arts})
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// describe lists the model's facts one per line, for tests to look for.
func describe(m *wiring.Model) []string {
	var out []string
	who := func(r *wiring.Role, s *wiring.Subject) string {
		if r != nil {
			return whoRole(r)
		}
		return s.Kind + "(" + wiring.Display(strings.Join(s.Values, " ")) + ")"
	}
	for _, a := range m.Accounts {
		for _, s := range a.Stacks {
			region := s.Region
			if region == "" {
				region = "?"
			}
			out = append(out, fmt.Sprintf("stack %s in %s %s", s.Name, a.Label(), region))
			for _, r := range s.Roles {
				out = append(out, fmt.Sprintf("role %s arn %s", whoRole(r), wiring.Display(r.ARN)))
				for _, svc := range r.Services {
					out = append(out, fmt.Sprintf("service %s may assume %s", svc, whoRole(r)))
				}
			}
			for _, b := range s.Buckets {
				key := ""
				if b.Key != nil {
					key = " key " + b.Key.LogicalID
				}
				out = append(out, fmt.Sprintf("bucket %s%s", wiring.Display(b.Name), key))
			}
		}
		for _, r := range a.External {
			out = append(out, fmt.Sprintf("external %s in %s", whoRole(r), a.Label()))
		}
	}
	for _, t := range m.Trusts {
		line := fmt.Sprintf("trust %s -> %s%s", who(t.From, t.Subject), whoRole(t.To), conds(t.Pins))
		if t.MissingPermission {
			line += " MISSING PERMISSION"
		}
		out = append(out, line)
	}
	for _, g := range m.Grants {
		var target string
		if g.Bucket != nil {
			target = "bucket " + wiring.Display(g.Bucket.Name)
		} else {
			target = "key " + g.Key.LogicalID
		}
		out = append(out, fmt.Sprintf("grant %s -> %s: %s via %s%s", who(g.From, g.Subject), target, g.Access, g.Via, conds(g.Pins)))
	}
	for _, x := range m.Matches {
		out = append(out, fmt.Sprintf("match %s ~ %s", whoRole(x.Role), who(nil, x.Subject)))
	}
	for _, p := range m.Pipelines {
		for _, st := range p.Stages {
			for _, a := range st.Actions {
				line := fmt.Sprintf("action %s/%s %s in %s %s as %s", st.Name, a.Name, a.Provider, a.Account, a.Region, whoRole(a.Role))
				if a.Untrusted {
					line += " UNTRUSTED"
				}
				if a.NotAllowed {
					line += " NOT ALLOWED"
				}
				out = append(out, line)
			}
		}
	}
	for _, n := range m.Notes {
		out = append(out, "note "+n)
	}
	return out
}

func whoRole(r *wiring.Role) string {
	if r == nil {
		return "<nil>"
	}
	if wiring.Resolved(r.Name) {
		return r.Name
	}
	return r.LogicalID
}

func conds(cs []wiring.Condition) string {
	if len(cs) == 0 {
		return ""
	}
	var s []string
	for _, c := range cs {
		s = append(s, c.String())
	}
	return " [" + strings.Join(s, ", ") + "]"
}

const rootOf111 = `{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::111111111111:root"]]}`

// role is a template resource: a role with a trust policy statement and
// optional inline statements.
func role(id, name, trust string, statements ...string) string {
	policies := ""
	if len(statements) > 0 {
		policies = `, "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [` + strings.Join(statements, ",") + `]}}]`
	}
	return fmt.Sprintf(`"%s": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": %q, "AssumeRolePolicyDocument": {"Statement": [%s]}%s}}`, id, name, trust, policies)
}

func template(resources ...string) string {
	return `{"Resources": {` + strings.Join(resources, ",") + `}}`
}

const pipelineTrust = `{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "codepipeline.amazonaws.com"}}`

func pipeline(actionRole string) string {
	return `"Pipeline": {"Type": "AWS::CodePipeline::Pipeline", "Properties": {"Name": "orders", "RoleArn": {"Fn::GetAtt": ["PipelineRole", "Arn"]},
	  "Stages": [{"Name": "Deploy", "Actions": [{"Name": "Deploy", "ActionTypeId": {"Category": "Deploy", "Owner": "AWS", "Provider": "CloudFormation", "Version": "1"},
	    "Region": "eu-central-1", "RoleArn": "` + actionRole + `", "Configuration": {"ActionMode": "CREATE_UPDATE", "StackName": "orders"}}]}]}}`
}

func TestRead(t *testing.T) {
	tests := []struct {
		name   string
		stacks []stack
		want   []string // lines describe must hold
		absent []string // lines it must not hold
	}{{
		name: "cross-account trust pinned to the pipeline role",
		stacks: []stack{
			{"tooling", "aws://111111111111/eu-west-1", template(
				role("PipelineRole", "orders-pipeline", pipelineTrust, `{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/orders-*-deploy"}`),
				pipeline("arn:aws:iam::222222222222:role/orders-staging-deploy"))},
			{"staging", "aws://222222222222/eu-west-1", template(
				role("Deploy", "orders-staging-deploy", `{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": `+rootOf111+`},
				  "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/orders-pipeline"}}}`))},
		},
		want: []string{
			"stack tooling in account 111111111111 eu-west-1",
			"stack staging in account 222222222222 eu-west-1",
			"service codepipeline.amazonaws.com may assume orders-pipeline",
			"trust orders-pipeline -> orders-staging-deploy [ArnEquals aws:PrincipalArn]",
			"action Deploy/Deploy CloudFormation in 222222222222 eu-central-1 as orders-staging-deploy",
		},
		absent: []string{"MISSING PERMISSION", "UNTRUSTED", "NOT ALLOWED"},
	}, {
		name: "trust the trusted role cannot use: its own policy lacks sts:AssumeRole",
		stacks: []stack{
			{"tooling", "aws://111111111111/eu-west-1", template(role("PipelineRole", "orders-pipeline", pipelineTrust), pipeline("arn:aws:iam::222222222222:role/orders-staging-deploy"))},
			{"staging", "aws://222222222222/eu-west-1", template(
				role("Deploy", "orders-staging-deploy", `{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": `+rootOf111+`},
				  "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/orders-pipeline"}}}`))},
		},
		want: []string{
			"trust orders-pipeline -> orders-staging-deploy [ArnEquals aws:PrincipalArn] MISSING PERMISSION",
			"action Deploy/Deploy CloudFormation in 222222222222 eu-central-1 as orders-staging-deploy NOT ALLOWED",
		},
	}, {
		name: "action role that trusts another principal than the pipeline role",
		stacks: []stack{
			{"tooling", "aws://111111111111/eu-west-1", template(
				role("PipelineRole", "orders-pipeline", pipelineTrust, `{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}`),
				pipeline("arn:aws:iam::222222222222:role/orders-staging-deploy"))},
			{"staging", "aws://222222222222/eu-west-1", template(
				role("Deploy", "orders-staging-deploy", `{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": `+rootOf111+`},
				  "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/payments-pipeline"}}}`))},
		},
		want: []string{
			"trust payments-pipeline -> orders-staging-deploy [ArnEquals aws:PrincipalArn]",
			"external payments-pipeline in account 111111111111",
			"action Deploy/Deploy CloudFormation in 222222222222 eu-central-1 as orders-staging-deploy UNTRUSTED",
		},
	}, {
		name: "organization, account and anyone trusts",
		stacks: []stack{{"tooling", "aws://111111111111/eu-west-1", template(
			role("Org", "by-org", `{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}`),
			role("Acct", "by-account", `{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}, "Condition": {"StringEquals": {"aws:PrincipalAccount": ["222222222222", "333333333333"]}}}`),
			role("Root", "by-root", `{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "444444444444"}}`),
			role("Any", "by-anyone", `{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}}`),
			role("Oidc", "by-github", `{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Principal": {"Federated": "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"},
			  "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/orders:*"}}}`),
			role("Svc", "by-service", `{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "cloudformation.amazonaws.com"}, "Condition": {"StringLike": {"aws:SourceArn": "arn:aws:cloudformation:*:111111111111:stackset/x-*"}}}`),
		)}},
		want: []string{
			"trust organization(o-a1b2c3d4e5) -> by-org [StringEquals aws:PrincipalOrgID]",
			"trust account(222222222222) -> by-account [StringEquals aws:PrincipalAccount]",
			"trust account(333333333333) -> by-account [StringEquals aws:PrincipalAccount]",
			"trust account(444444444444) -> by-root",
			"trust anyone() -> by-anyone",
			"trust federated(arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com) -> by-github",
			"service cloudformation.amazonaws.com if StringLike aws:SourceArn arn:aws:cloudformation:*:111111111111:stackset/x-* may assume by-service",
		},
	}, {
		name: "store admits deploy roles by pattern and organization; the roles match",
		stacks: []stack{
			{"tooling", "aws://111111111111/eu-west-1", template(
				`"Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": [
				  {"Effect": "Allow", "Action": "kms:*", "Resource": "*", "Principal": {"AWS": `+rootOf111+`}},
				  {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*", "Principal": {"AWS": "*"},
				   "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/orders-*-deploy"}, "StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}}}`,
				`"Private": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": [
				  {"Effect": "Allow", "Action": "kms:*", "Resource": "*", "Principal": {"AWS": `+rootOf111+`}},
				  {"Effect": "Allow", "Action": "kms:GenerateDataKey*", "Resource": "*", "Principal": {"Service": "events.amazonaws.com"}}]}}}`,
				`"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "orders-artifacts",
				  "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": ["Key", "Arn"]}}}]}}}`,
				`"Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Bucket"}, "PolicyDocument": {"Statement": [
				  {"Effect": "Allow", "Action": ["s3:GetObject"], "Principal": {"AWS": ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"]},
				   "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/*"]]},
				   "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/orders-*-deploy"}}}]}}}`)},
			{"staging", "aws://222222222222/eu-west-1", template(
				role("Deploy", "orders-staging-deploy", pipelineTrust, `{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::orders-artifacts/*"}`,
					`{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:eu-west-1:111111111111:key/*"}`),
				role("Other", "orders-staging-other", pipelineTrust))},
			{"prod", "aws://444444444444/eu-west-1", template(role("Deploy", "orders-prod-deploy", pipelineTrust, `{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::orders-artifacts/*"}`))},
		},
		want: []string{
			"bucket orders-artifacts key Key",
			"grant pattern(arn:aws:iam::*:role/orders-*-deploy) -> key Key: read via key policy [ArnLike aws:PrincipalArn, StringEquals aws:PrincipalOrgID]",
			"grant pattern(arn:aws:iam::*:role/orders-*-deploy) -> bucket orders-artifacts: read via bucket policy [ArnLike aws:PrincipalArn]",
			"grant orders-staging-deploy -> bucket orders-artifacts: read via role policy",
			"grant orders-staging-deploy -> key Key: read via role policy",
			"match orders-staging-deploy ~ pattern(arn:aws:iam::*:role/orders-*-deploy)",
			"match orders-prod-deploy ~ pattern(arn:aws:iam::*:role/orders-*-deploy)",
			// Account 444444444444 is not among the bucket policy's accounts.
			"grant orders-prod-deploy -> bucket orders-artifacts: read via role policy, not admitted by the bucket policy",
		},
		// The staging role's key/* also covers Private, which admits no one
		// outside its account: breadth, not a missing admission.
		absent: []string{"match orders-staging-other", "grant account(111111111111)", "grant orders-staging-deploy -> key Private"},
	}, {
		name: "cross-stack reference through an export, and a policy attached to a role by name",
		stacks: []stack{
			{"roles", "aws://111111111111/eu-west-1", `{"Resources": {` + role("R", "orders-pipeline", pipelineTrust) + `},
			  "Outputs": {"Arn": {"Value": {"Fn::GetAtt": ["R", "Arn"]}, "Export": {"Name": "roles:PipelineRoleArn"}}}}`},
			{"pipeline", "aws://111111111111/eu-west-1", template(
				`"Pipeline": {"Type": "AWS::CodePipeline::Pipeline", "Properties": {"RoleArn": {"Fn::ImportValue": "roles:PipelineRoleArn"},
				  "Stages": [{"Name": "Source", "Actions": [{"Name": "S", "ActionTypeId": {"Category": "Source", "Owner": "AWS", "Provider": "S3", "Version": "1"}}]}]}}`,
				`"Extra": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "x", "Roles": ["instance-role"], "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}}`)},
		},
		want: []string{
			"action Source/S S3 in 111111111111 eu-west-1 as orders-pipeline",
			"external instance-role in account 111111111111",
		},
	}, {
		name: "environment-agnostic stack: account and partition stay open",
		stacks: []stack{{"agnostic", "aws://unknown-account/unknown-region", template(
			`"R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "x", "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
			  "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}}]}}}`)}},
		want: []string{
			"stack agnostic in account not fixed (stack agnostic is environment-agnostic) ?",
			"role x arn arn:{AWS::Partition}:iam::{AWS::AccountId}:role/x",
		},
	}, {
		name: "service-managed StackSet: its roles in every account of the OUs",
		stacks: []stack{{"tooling", "aws://111111111111/us-east-1", template(
			`"Set": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"StackSetName": "orders-members", "PermissionModel": "SERVICE_MANAGED",
			  "StackInstancesGroup": [{"DeploymentTargets": {"OrganizationalUnitIds": ["ou-ab12-cd34ef56"]}, "Regions": ["us-east-1"]}],
			  "TemplateBody": "{\"Resources\": {\"R\": {\"Type\": \"AWS::IAM::Role\", \"Properties\": {\"RoleName\": \"orders-members-deploy\", \"AssumeRolePolicyDocument\": {\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:root\"}}]}}}}}"}}`,
			`"Listed": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"StackSetName": "orders-listed", "PermissionModel": "SELF_MANAGED",
			  "StackInstancesGroup": [{"DeploymentTargets": {"Accounts": ["555555555555"]}, "Regions": ["eu-west-1", "us-east-1"]}],
			  "TemplateBody": {"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "orders-listed-exec", "AssumeRolePolicyDocument": {"Statement": []}}}}}}}`,
			`"ByURL": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"StackSetName": "orders-url", "PermissionModel": "SELF_MANAGED", "TemplateURL": "https://example.com/t.json"}}`)}},
		want: []string{
			"stack orders-members in every account in ou-ab12-cd34ef56 us-east-1",
			"role orders-members-deploy arn arn:aws:iam::{an account in ou-ab12-cd34ef56}:role/orders-members-deploy",
			"trust account(111111111111) -> orders-members-deploy",
			"stack orders-listed in account 555555555555 ?",
			"role orders-listed-exec arn arn:aws:iam::555555555555:role/orders-listed-exec",
			"note tooling/ByURL: StackSet orders-url has no inline template (TemplateURL); its resources are not shown",
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := wiring.Read(writeAssembly(t, tc.stacks...))
			if err != nil {
				t.Fatal(err)
			}
			got := describe(m)
			text := strings.Join(got, "\n")
			for _, w := range tc.want {
				if !contains(got, w) {
					t.Errorf("missing %q; the model says:\n%s", w, text)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(text, a) {
					t.Errorf("has %q; the model says:\n%s", a, text)
				}
			}
		})
	}
}

func contains(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, dir, want string
	}{
		{"no assembly", dir, dir + " is not a cloud assembly (no manifest.json): synthesize first, such as with make synth OUT=" + dir},
		{"no stacks", writeManifest(t, `{"artifacts": {"Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}}}}`), "the cloud assembly has no CloudFormation stacks"},
		{"broken template", writeBroken(t), "not a JSON CloudFormation template"},
		{"a file, not a folder", aFile(t), "is a file, not a cloud assembly folder: name the folder cdk synth wrote (default cdk.out)"},
		{"manifest not JSON", writeManifest(t, `not json`), "manifest.json: not JSON (invalid character 'o' in literal null (expecting 'u') at byte 2); synthesize again, such as with make synth OUT="},
		{"artifacts not an object", writeManifest(t, `{"artifacts": []}`), "manifest.json: artifacts is a JSON array, must be an object; synthesize again"},
		{"artifact not an object", writeManifest(t, `{"artifacts": {"s": "x"}}`), "manifest.json: artifacts.s is a JSON string, must be an object; synthesize again"},
		{"template missing", writeStack(t, ""), "stack s: its template s.template.json is missing; synthesize again, such as with make synth OUT="},
		{"template truncated", writeStack(t, `{"Resources": {"A": {"Type": "AWS::S3::Buck`), "s.template.json: not a JSON CloudFormation template (unexpected end of JSON input: truncated?); synthesize again"},
		{"template null", writeStack(t, `null`), "s.template.json: not a JSON CloudFormation template (the document is null, must be an object); synthesize again"},
		{"template an array", writeStack(t, `[1]`), "s.template.json: not a JSON CloudFormation template (the document is a JSON array, must be an object); synthesize again"},
		{"Resources an array", writeStack(t, `{"Resources": [1, 2]}`), "s.template.json: Resources is a JSON array, must be an object; synthesize again"},
		{"a resource a number", writeStack(t, `{"Resources": {"A": 5}}`), "s.template.json: Resources.A is a JSON number, must be an object; synthesize again"},
		{"Outputs a string", writeStack(t, `{"Resources": {}, "Outputs": "x"}`), "s.template.json: Outputs is a JSON string, must be an object; synthesize again"},
		{"no templateFile", writeManifest(t, `{"artifacts": {"s": {"type": "aws:cloudformation:stack", "properties": {}}}}`), "manifest.json: artifacts.s.properties.templateFile: missing; synthesize again"},
		{"nested assembly loop", writeManifest(t, `{"artifacts": {"n": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "."}}}}`), `manifest.json: artifacts.n.properties.directoryName ".": must name a folder inside the cloud assembly; synthesize again`},
		{"nested assembly outside", writeManifest(t, `{"artifacts": {"n": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "../x"}}}}`), `manifest.json: artifacts.n.properties.directoryName "../x": must name a folder inside the cloud assembly; synthesize again`},
		{"nested assembly link loop", linkLoop(t), "a nested cloud assembly that contains itself; synthesize again"},
		{"template outside", writeManifest(t, `{"artifacts": {"s": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../../etc/passwd"}}}}`), `manifest.json: artifacts.s.properties.templateFile "../../etc/passwd": must name a file inside the cloud assembly; synthesize again`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := wiring.Read(tc.dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// linkLoop is an assembly whose nested assembly is a link to itself.
func linkLoop(t *testing.T) string {
	dir := writeManifest(t, `{"artifacts": {"n": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "self"}}}}`)
	if err := os.Symlink(".", filepath.Join(dir, "self")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// aFile is a file where a cloud assembly folder is expected.
func aFile(t *testing.T) string {
	f := filepath.Join(t.TempDir(), "cdk.out")
	if err := os.WriteFile(f, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// writeStack writes an assembly of one stack s whose template is template
// (no template file when template is empty).
func writeStack(t *testing.T, template string) string {
	dir := writeManifest(t, `{"artifacts": {"s": {"type": "aws:cloudformation:stack", "environment": "aws://111111111111/eu-west-1", "properties": {"templateFile": "s.template.json"}}}}`)
	if template != "" {
		if err := os.WriteFile(filepath.Join(dir, "s.template.json"), []byte(template), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func writeManifest(t *testing.T, manifest string) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeBroken(t *testing.T) string {
	dir := writeManifest(t, `{"artifacts": {"s": {"type": "aws:cloudformation:stack", "environment": "aws://111111111111/eu-west-1", "properties": {"templateFile": "s.template.json"}}}}`)
	if err := os.WriteFile(filepath.Join(dir, "s.template.json"), []byte("Resources: {}"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestNestedAssembly reads the stacks of a CDK Stage, which CDK writes
// into a nested cloud assembly.
func TestNestedAssembly(t *testing.T) {
	dir := writeAssembly(t, stack{"top", "aws://111111111111/eu-west-1", template(role("R", "top-role", pipelineTrust))})
	inner := writeAssembly(t, stack{"inner", "aws://222222222222/eu-west-1", template(role("R", "inner-role", pipelineTrust))})
	if err := os.Rename(inner, filepath.Join(dir, "assembly-Prod")); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	var m map[string]map[string]interface{}
	_ = json.Unmarshal(raw, &m)
	m["artifacts"]["assembly-Prod"] = map[string]interface{}{"type": "cdk:cloud-assembly", "properties": map[string]string{"directoryName": "assembly-Prod"}}
	raw, _ = json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	model, err := wiring.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := describe(model)
	sort.Strings(got)
	for _, w := range []string{"stack inner in account 222222222222 eu-west-1", "stack top in account 111111111111 eu-west-1"} {
		if !contains(got, w) {
			t.Errorf("missing %q in %q", w, got)
		}
	}
}
