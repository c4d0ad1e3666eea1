package test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/compliance/controltower"
	"github.com/relaycdk/relay/constructs/compliance/report"
)

// TestCompliancePacks requires every finding of cdk-nag's AwsSolutions,
// NIST 800-53 rev 5, PCI DSS 3.2.1 and HIPAA Security packs, in every
// stack of every golden configuration, to be fixed or suppressed beside
// its resource with a reason (package internal/nag), and proves that each
// pack ran over each stack (its report is in the assembly). A resource a
// construct adds must come with its suppressions: compliance.Suppress, or
// nag.Suppress inside Relay's constructs.
func TestCompliancePacks(t *testing.T) {
	for name, a := range assemblies(t) {
		for _, s := range a.Stacks {
			for _, p := range compliance.AllPacks {
				if len(s.Nag[string(p)]) == 0 {
					t.Errorf("%s: %s: no %s report in %s: the pack did not run", name, s.Name, p, a.Dir)
				}
			}
			var fresh []string
			for _, e := range s.Errors {
				fresh = append(fresh, fmt.Sprintf("  %s: %s", e.Path, firstLine(e.Message)))
			}
			if len(fresh) > 0 {
				t.Errorf("%s: %d unsuppressed findings; fix each, or suppress it beside its resource with a reason specific to it:\n%s", s.Name, len(fresh), strings.Join(fresh, "\n"))
			}
		}
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestReasonsHoldWithoutObservability: a suppression or Control Tower
// exception reason that points to the events log group (observability's)
// may stand only in a stack that has that log group; the trail and the
// recovery function exist without observability (catalog's config).
func TestReasonsHoldWithoutObservability(t *testing.T) {
	checked := 0
	for stack, tpl := range templates(t) {
		res, _ := tpl["Resources"].(map[string]interface{})
		events := false
		for _, r := range res {
			r, _ := r.(map[string]interface{})
			props, _ := r["Properties"].(map[string]interface{})
			if name, _ := props["LogGroupName"].(string); r["Type"] == "AWS::Logs::LogGroup" && strings.HasSuffix(name, "/events") {
				events = true
			}
		}
		if events {
			continue
		}
		for id, r := range res {
			checked++
			var reasons []string
			meta, _ := r.(map[string]interface{})["Metadata"].(map[string]interface{})
			nag, _ := meta["cdk_nag"].(map[string]interface{})
			for _, rule := range list(nag["rules_to_suppress"]) {
				rule, _ := rule.(map[string]interface{})
				reasons = append(reasons, fmt.Sprint(rule["reason"]))
			}
			for _, e := range controltower.Exceptions {
				if strings.HasPrefix(id, e.Resource) {
					reasons = append(reasons, e.Reason)
				}
			}
			for _, reason := range reasons {
				if strings.Contains(reason, "events log group") {
					t.Errorf("%s %s: reason %q points to the events log group, which this stack does not have", stack, id, reason)
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no stack without observability checked")
	}
}

const (
	reportBegin = "<!-- compliance report of the embedded example: generated, do not edit; go test ./test -run TestComplianceReportREADME -update -->\n"
	reportEnd   = "<!-- end of the compliance report -->"
)

// TestComplianceReportREADME keeps the README's compliance report of the
// embedded example current: the same report `make compliance-report`
// writes (all four packs' reports from the assembly, and the Control Tower
// rules run over its templates).
func TestComplianceReportREADME(t *testing.T) {
	a := assemblies(t)[example(t).Name]
	_, all := controlTower(t)
	_, rulesDir := guardTools(t)
	var files []string
	names := map[string]bool{}
	for _, s := range a.Stacks {
		files = append(files, filepath.Join(a.Dir, s.TemplateFile))
		names[filepath.Base(s.TemplateFile)] = true
	}
	// The rules that apply to the example's templates, and what they found
	// there (one cfn-guard run serves every golden configuration).
	rules, err := controltower.Rules(rulesDir, files)
	if err != nil {
		t.Fatal(err)
	}
	var violations []controltower.Violation
	for _, v := range all {
		if names[v.Template] {
			violations = append(violations, v)
		}
	}
	r := report.Build(a, &report.ControlTower{Rules: len(rules), Violations: violations})
	for _, p := range r.Packs {
		if !p.Passed {
			t.Errorf("the embedded example's report says %s did not pass: %+v", p.Pack, p)
		}
	}
	if r.ControlTower.Unexcepted != 0 {
		t.Errorf("the embedded example's report has %d Control Tower violations without an exception", r.ControlTower.Unexcepted)
	}
	want := string(r.MarkdownAt(3))

	path := filepath.Join("..", "README.md")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)" + regexp.QuoteMeta(reportBegin) + "(.*?)" + regexp.QuoteMeta(reportEnd))
	loc := block.FindSubmatchIndex(raw)
	if loc == nil {
		t.Fatalf("README.md has no compliance report block; it starts with the line\n%s", reportBegin)
	}
	if got := string(raw[loc[2]:loc[3]]); got != want {
		if *update {
			updated := append(append(append([]byte{}, raw[:loc[2]]...), want...), raw[loc[3]:]...)
			if err := os.WriteFile(path, updated, 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md's compliance report is stale (-README +now):\n%s\nRegenerate it with: go test ./test -run TestComplianceReportREADME -update", cmp.Diff(got, want))
	}
}

// TestBuildLogsEncrypted: in every golden configuration the build log
// group is encrypted with a rotated key whose policy admits, besides the
// account's key administrators, CloudWatch Logs for that log group only
// (an encryption-context condition), and denies grants not for AWS
// resources.
func TestBuildLogsEncrypted(t *testing.T) {
	type m = map[string]interface{}
	checked := 0
	for name, a := range assemblies(t) {
		for _, s := range a.Stacks {
			res := s.Resources()
			group, ok := res["PipelineBuildLogs0FB13851"]
			if !ok {
				continue
			}
			checked++
			props := group["Properties"].(m)
			keyRef, _ := props["KmsKeyId"].(m)
			getAtt, _ := keyRef["Fn::GetAtt"].([]interface{})
			if len(getAtt) != 2 {
				t.Errorf("%s: the build log group has no KMS key of the stack: %v", s.Name, props["KmsKeyId"])
				continue
			}
			key := res[getAtt[0].(string)]["Properties"].(m)
			if key["EnableKeyRotation"] != true {
				t.Errorf("%s: the build logs key is not rotated", s.Name)
			}
			// The key encrypts the build log group and, with the recovery
			// function, its log group: CloudWatch Logs is admitted for
			// exactly the log groups of the stack that use the key.
			want := map[string]bool{}
			for _, r := range res {
				if r["Type"] != "AWS::Logs::LogGroup" {
					continue
				}
				p := r["Properties"].(m)
				if ref, _ := p["KmsKeyId"].(m); ref != nil && fmt.Sprint(ref["Fn::GetAtt"]) == fmt.Sprint(getAtt) {
					want[fmt.Sprintf("map[ArnLike:map[kms:EncryptionContext:aws:logs:arn:arn:aws:logs:%s:%s:log-group:%s]]", s.Region, s.Account, p["LogGroupName"])] = true
				}
			}
			var allows []string
			denies := false
			for _, st := range key["KeyPolicy"].(m)["Statement"].([]interface{}) {
				st := st.(m)
				if st["Effect"] == "Deny" {
					denies = st["Action"] == "kms:CreateGrant"
					continue
				}
				principal := fmt.Sprint(st["Principal"])
				if strings.Contains(principal, ":root") {
					continue // the account's key administrators (aws-cdk-lib's default statement)
				}
				allows = append(allows, principal)
				cond := fmt.Sprint(st["Condition"])
				if !strings.Contains(principal, "logs."+s.Region+".amazonaws.com") || !want[cond] {
					t.Errorf("%s (%s): build logs key admits %s under %s; want CloudWatch Logs for one of the log groups the key encrypts: %v", name, s.Name, principal, cond, want)
				}
				delete(want, cond)
			}
			if len(want) > 0 || !denies {
				t.Errorf("%s: build logs key admits %v; log groups it encrypts but does not admit: %v; denies grants: %v", s.Name, allows, want, denies)
			}
		}
	}
	if checked < len(assemblies(t)) {
		t.Errorf("checked %d build log groups, want one per golden configuration (%d)", checked, len(assemblies(t)))
	}
}

// TestComplianceReportCommand runs apps/relay-compliance, the command
// `make compliance-report` runs, over the embedded example's assembly
// (synthesized with all four packs, as -c nag=all does): it writes the
// same report as report.Build, in Markdown and JSON, with every status
// counted; and it refuses a folder that is not an assembly and -guard
// without -rules, writing nothing.
func TestComplianceReportCommand(t *testing.T) {
	a := assemblies(t)[example(t).Name]
	dir := t.TempDir()
	bin := filepath.Join(dir, "relay-compliance")
	if out, err := exec.Command("go", "build", "-o", bin, "../apps/relay-compliance").CombinedOutput(); err != nil {
		t.Fatalf("go build ../apps/relay-compliance: %v\n%s", err, out)
	}
	out := filepath.Join(dir, "report")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	stdout, err := exec.Command(bin, "-o", out, a.Dir).CombinedOutput()
	if err != nil {
		t.Fatalf("relay-compliance %s: %v\n%s", a.Dir, err, stdout)
	}
	want := report.Build(a, nil)
	if line := fmt.Sprintf("relay-compliance: %d controls met, %d partial, %d missing;", want.Summary[report.Met], want.Summary[report.Partial], want.Summary[report.Missing]); !strings.HasPrefix(string(stdout), line) {
		t.Errorf("relay-compliance printed %q; want it to start with %q", stdout, line)
	}
	md, err := os.ReadFile(filepath.Join(out, "compliance-report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want.Markdown()), string(md)); diff != "" {
		t.Errorf("compliance-report.md differs from report.Build (-want +got):\n%s", diff)
	}
	raw, err := os.ReadFile(filepath.Join(out, "compliance-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got report.Report
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("compliance-report.json: %v", err)
	}
	if diff := cmp.Diff(want, &got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("compliance-report.json differs from report.Build (-want +got):\n%s", diff)
	}
	for _, s := range []report.Status{report.Met, report.Partial, report.Missing} {
		if _, ok := got.Summary[s]; !ok {
			t.Errorf("compliance-report.json's summary has no %q count: %v", s, got.Summary)
		}
	}
	if len(got.Controls) != 11 {
		t.Errorf("compliance-report.json lists %d controls; want all 11, missing ones included", len(got.Controls))
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-o", out, dir}, "relay-compliance: " + dir + " is not a cloud assembly (no manifest.json)"},
		{[]string{"-guard", bin, a.Dir}, "relay-compliance: -guard and -rules go together"},
		{nil, "relay-compliance: usage: relay-compliance"},
	} {
		stdout, err := exec.Command(bin, c.args...).CombinedOutput()
		if err == nil || !strings.HasPrefix(string(stdout), c.want) {
			t.Errorf("relay-compliance %v: %v, %q; want exit 1 and %q", c.args, err, stdout, c.want)
		}
	}
}
