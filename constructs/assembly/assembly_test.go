package assembly_test

import (
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
	tests := []struct{ dir, want string }{
		{t.TempDir(), "is not a cloud assembly (no manifest.json)"},
	}
	for _, tc := range tests {
		if _, err := assembly.Read(tc.dir); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Read(%s) = %v, want an error containing %q", tc.dir, err, tc.want)
		}
	}
}
