// Command relay-compliance writes the compliance report of a synthesized
// cloud assembly (package compliance/report): compliance-report.md and
// compliance-report.json, into the assembly's folder unless -o says
// otherwise. With -guard and -rules it also runs AWS Control Tower's
// proactive controls (package controltower) over the templates.
//
//	relay-compliance [-o dir] [-guard path/to/cfn-guard -rules path/to/rules] <assembly dir>
//
// `make compliance-report` synthesizes with all four cdk-nag packs
// (-c nag=all, which writes their reports into the assembly) and runs it.
// It exits 1 when the assembly cannot be read, or cfn-guard fails to run;
// a control that is missing is written in the report, not an exit code.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/relaycdk/relay/constructs/assembly"
	"github.com/relaycdk/relay/constructs/compliance/controltower"
	"github.com/relaycdk/relay/constructs/compliance/report"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "relay-compliance: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("relay-compliance", flag.ContinueOnError)
	out := fs.String("o", "", "folder for compliance-report.md and .json (default: the assembly's)")
	guard := fs.String("guard", "", "cfn-guard binary, to run the Control Tower rules")
	rules := fs.String("rules", "", "folder of the Control Tower rules (rules/control-tower/cfn-guard of @cdklabs/cdk-validator-cfnguard)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: relay-compliance [-o dir] [-guard cfn-guard -rules dir] <assembly dir>")
	}
	if (*guard == "") != (*rules == "") {
		return fmt.Errorf("-guard and -rules go together")
	}
	a, err := assembly.Read(fs.Arg(0))
	if err != nil {
		return err
	}
	var ct *report.ControlTower
	if *guard != "" {
		if ct, err = ControlTower(a, *guard, *rules); err != nil {
			return err
		}
	}
	r := report.Build(a, ct)
	dir := *out
	if dir == "" {
		dir = a.Dir
	}
	for name, body := range map[string][]byte{"compliance-report.md": r.Markdown(), "compliance-report.json": r.JSON()} {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("relay-compliance: %d controls met, %d partial, %d missing; %s and %s\n", r.Summary[report.Met], r.Summary[report.Partial], r.Summary[report.Missing],
		filepath.Join(dir, "compliance-report.md"), filepath.Join(dir, "compliance-report.json"))
	return nil
}

// ControlTower runs the Control Tower rules of rulesDir that apply to a's
// templates with the cfn-guard binary guard.
func ControlTower(a *assembly.Assembly, guard, rulesDir string) (*report.ControlTower, error) {
	var files []string
	for _, s := range a.Stacks {
		files = append(files, filepath.Join(a.Dir, s.TemplateFile))
	}
	rules, err := controltower.Rules(rulesDir, files)
	if err != nil {
		return nil, err
	}
	v, err := controltower.Validate(guard, rules, files)
	if err != nil {
		return nil, err
	}
	return &report.ControlTower{Rules: len(rules), Violations: v}, nil
}
