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
// It writes both reports or neither, creating the -o folder when missing.
// It exits 1 when the assembly cannot be read or holds no stacks (a CDK
// Stage's nested assembly is read), a flag is wrong (each refusal names
// the flag, the value and the fix), or cfn-guard fails to run;
// a control that is missing is written in the report, not an exit code.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/relaycdk/relay/constructs/assembly"
	"github.com/relaycdk/relay/constructs/compliance/controltower"
	"github.com/relaycdk/relay/constructs/compliance/report"
	"github.com/relaycdk/relay/internal/outdir"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "relay-compliance: %v\n", err)
		os.Exit(1)
	}
}

const usage = "usage: relay-compliance [-o dir] [-guard cfn-guard -rules dir] <assembly dir>"

func run(args []string) error {
	fs := flag.NewFlagSet("relay-compliance", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("o", "", "folder for compliance-report.md and .json (default: the assembly's)")
	guard := fs.String("guard", "", "cfn-guard binary, to run the Control Tower rules")
	rules := fs.String("rules", "", "folder of the Control Tower rules (rules/control-tower/cfn-guard of @cdklabs/cdk-validator-cfnguard)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fmt.Println(usage)
			fs.SetOutput(os.Stdout)
			fs.PrintDefaults()
			return nil
		}
		return fmt.Errorf("%v; %s", err, usage)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%s (flags go before the folder; got %q)", usage, fs.Args())
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if (*guard == "") != (*rules == "") {
		return fmt.Errorf("-guard and -rules go together")
	}
	if *guard != "" {
		if err := checkTools(*guard, *rules); err != nil {
			return err
		}
	}
	a, err := assembly.Read(fs.Arg(0))
	if err != nil {
		return err
	}
	if len(a.Stacks) == 0 {
		return fmt.Errorf("%s holds no CloudFormation stacks: nothing to report on; synthesize the app first (make compliance-report)", a.Dir)
	}
	var ct *report.ControlTower
	if *guard != "" {
		if ct, err = ControlTower(a, *guard, *rules); err != nil {
			return err
		}
	}
	r := report.Build(a, ct)
	dir, flagName := *out, "-o"
	if !given["o"] {
		dir, flagName = a.Dir, "the cloud assembly folder"
	}
	// Both reports or neither.
	if err := outdir.Write(dir, flagName, []outdir.File{
		{Name: "compliance-report.md", Data: r.Markdown(), Mode: 0o644},
		{Name: "compliance-report.json", Data: r.JSON(), Mode: 0o644},
	}); err != nil {
		return err
	}
	fmt.Printf("relay-compliance: %d controls met, %d partial, %d missing; %s and %s\n", r.Summary[report.Met], r.Summary[report.Partial], r.Summary[report.Missing],
		filepath.Join(dir, "compliance-report.md"), filepath.Join(dir, "compliance-report.json"))
	return nil
}

// checkTools checks the -guard binary and the -rules folder before the
// assembly is read: what is missing, a folder or not executable is named
// with its flag and the fix.
func checkTools(guard, rules string) error {
	info, err := os.Stat(guard)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("-guard %s: no such file: pass the cfn-guard binary (make compliance-report passes the one make tools installs)", guard)
	case err != nil:
		return fmt.Errorf("-guard %s: %v", guard, err)
	case info.IsDir():
		return fmt.Errorf("-guard %s: a folder, not the cfn-guard binary: pass the binary (bin/ubuntu/x86_64/cfn-guard of @cdklabs/cdk-validator-cfnguard)", guard)
	case info.Mode().Perm()&0o111 == 0:
		return fmt.Errorf("-guard %s: not executable: chmod +x it, or pass the cfn-guard binary make tools installs", guard)
	}
	info, err = os.Stat(rules)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("-rules %s: no such folder: pass rules/control-tower/cfn-guard of @cdklabs/cdk-validator-cfnguard (make tools installs it)", rules)
	case err != nil:
		return fmt.Errorf("-rules %s: %v", rules, err)
	case !info.IsDir():
		return fmt.Errorf("-rules %s: a file, not the folder of Control Tower rules (rules/control-tower/cfn-guard of @cdklabs/cdk-validator-cfnguard)", rules)
	}
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
