package assembly_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/relaycdk/relay/constructs/assembly"
)

func TestRead(t *testing.T) {
	a, err := assembly.Read("testdata/assembly")
	if err != nil {
		t.Fatal(err)
	}
	type stack struct {
		Name, ID, Account, Region, TemplateFile string
		Resources                               int
		Errors, Warnings                        []assembly.Annotation
		Packs                                   []string
	}
	var got []stack
	for _, s := range a.Stacks {
		var packs []string
		for p := range s.Nag {
			packs = append(packs, p)
		}
		got = append(got, stack{s.Name, s.ID, s.Account, s.Region, s.TemplateFile, len(s.Resources()), s.Errors, s.Warnings, packs})
	}
	want := []stack{
		{
			Name: "app-staging", ID: "Target", Account: "unknown-account", Region: "unknown-region", TemplateFile: "Target.template.json", Resources: 1,
			Warnings: []assembly.Annotation{{Path: "/Target/Role/Resource", Message: "a warning"}},
		},
		{
			Name: "app-tooling", ID: "app-tooling", Account: "111111111111", Region: "us-east-1", TemplateFile: "app-tooling.template.json", Resources: 2,
			Errors: []assembly.Annotation{
				{Path: "/app-tooling/Bucket/Resource", Message: "AwsSolutions-S1: no access logs"},
				{Path: "/app-tooling/Key/Resource", Message: "HIPAA.Security-KMSBackingKeyRotationEnabled: The KMS key does not have key rotation enabled.\nmore"},
			},
			Packs: []string{"HIPAA.Security"},
		},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
	lines := a.Stack("app-tooling").Nag["HIPAA.Security"]
	if len(lines) != 1 || lines[0].Compliance != "Suppressed" || lines[0].ExceptionReason != "Access logs of the log bucket itself." {
		t.Errorf("nag report lines = %+v", lines)
	}
	if a.Stack("nope") != nil {
		t.Error(`Stack("nope") != nil`)
	}
}

func TestReadErrors(t *testing.T) {
	stack := `{"artifacts": {"s": {"type": "aws:cloudformation:stack", "environment": "aws://111111111111/eu-west-1", "properties": {"templateFile": "s.template.json"}}}}`
	tests := []struct {
		name string
		dir  string
		want string
	}{
		{"no manifest", t.TempDir(), "is not a cloud assembly (no manifest.json)"},
		{"a file, not a folder", aFile(t), "is a file, not a cloud assembly folder: name the folder cdk synth wrote (default cdk.out)"},
		{"manifest not JSON", write(t, map[string]string{"manifest.json": "not json"}), "manifest.json: not JSON (invalid character 'o' in literal null (expecting 'u') at byte 2); synthesize again, such as with make synth OUT="},
		{"artifacts not an object", write(t, map[string]string{"manifest.json": `{"artifacts": []}`}), "manifest.json: artifacts is a JSON array, must be an object; synthesize again"},
		{"artifact not an object", write(t, map[string]string{"manifest.json": `{"artifacts": {"s": 1}}`}), "manifest.json: artifacts.s is a JSON number, must be an object; synthesize again"},
		{"template missing", write(t, map[string]string{"manifest.json": stack}), "stack s: its template s.template.json is missing; synthesize again"},
		{"template truncated", write(t, map[string]string{"manifest.json": stack, "s.template.json": `{"Resources": {"A": {"Ty`}), "s.template.json: not a JSON CloudFormation template (unexpected end of JSON input: truncated?); synthesize again"},
		{"template null", write(t, map[string]string{"manifest.json": stack, "s.template.json": `null`}), "s.template.json: not a JSON CloudFormation template (the document is null, must be an object); synthesize again"},
		{"Resources an array", write(t, map[string]string{"manifest.json": stack, "s.template.json": `{"Resources": []}`}), "s.template.json: Resources is a JSON array, must be an object; synthesize again"},
		{"a resource a string", write(t, map[string]string{"manifest.json": stack, "s.template.json": `{"Resources": {"A": "x"}}`}), "s.template.json: Resources.A is a JSON string, must be an object; synthesize again"},
		{"template outside", write(t, map[string]string{"manifest.json": `{"artifacts": {"s": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../s.json"}}}}`}), `manifest.json: artifacts.s.properties.templateFile "../s.json": must name a file inside the cloud assembly; synthesize again`},
		{"no templateFile", write(t, map[string]string{"manifest.json": `{"artifacts": {"s": {"type": "aws:cloudformation:stack"}}}`}), `manifest.json: artifacts.s.properties.templateFile: missing; synthesize again`},
		{"nested assembly loop", write(t, map[string]string{"manifest.json": `{"artifacts": {"n": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "."}}}}`}), `manifest.json: artifacts.n.properties.directoryName ".": must name a folder inside the cloud assembly; synthesize again`},
		{"nag report not JSON", write(t, map[string]string{"manifest.json": stack, "s.template.json": `{"Resources": {}}`, "AwsSolutions--s-NagReport.json": "{"}), "AwsSolutions--s-NagReport.json: not JSON (unexpected end of JSON input: truncated?); synthesize again"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := assembly.Read(tc.dir); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read(%s) = %v, want an error containing %q", tc.dir, err, tc.want)
			}
		})
	}
}

// TestReadNested reads the stacks of a CDK Stage, which CDK writes into a
// nested cloud assembly, with its cdk-nag report.
func TestReadNested(t *testing.T) {
	dir := write(t, map[string]string{
		"manifest.json":                                          `{"artifacts": {"assembly-Prod": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod"}}}}`,
		"assembly-Prod/manifest.json":                            `{"artifacts": {"ProdApp": {"type": "aws:cloudformation:stack", "environment": "aws://111111111111/eu-west-1", "properties": {"templateFile": "ProdApp.template.json", "stackName": "Prod-App"}}}}`,
		"assembly-Prod/ProdApp.template.json":                    `{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}`,
		"assembly-Prod/AwsSolutions-Prod-ProdApp-NagReport.json": `{"lines": [{"ruleId": "AwsSolutions-S1", "resourceId": "Prod/App/B", "compliance": "Compliant"}]}`,
	})
	a, err := assembly.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := a.Stack("Prod-App")
	if s == nil || s.TemplateFile != filepath.Join("assembly-Prod", "ProdApp.template.json") || len(s.Resources()) != 1 || len(s.Nag["AwsSolutions"]) != 1 {
		t.Fatalf("stacks %+v, want Prod-App from assembly-Prod with its bucket and its AwsSolutions report", a.Stacks)
	}
}

// write writes files (by path relative to a new folder) and returns the
// folder.
func write(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// aFile is a file where a cloud assembly folder is expected.
func aFile(t *testing.T) string {
	return filepath.Join(write(t, map[string]string{"cdk.out": "{}"}), "cdk.out")
}
