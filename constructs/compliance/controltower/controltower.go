// Package controltower checks synthesized templates against AWS Control
// Tower's proactive controls, the CloudFormation Guard rules that Control
// Tower's CloudFormation hook enforces at deploy time, with the cfn-guard
// binary and the rules shipped in the npm package
// @cdklabs/cdk-validator-cfnguard (pinned in package.json; `make tools`
// installs it under .tools/). It runs cfn-guard as a program: plain Go, no
// jsii.
//
// Exceptions lists, in this one place, every control that Relay's
// templates do not meet on purpose, with the resource and the reason.
// Source: https://docs.aws.amazon.com/controltower/latest/controlreference/proactive-controls.html
package controltower

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/cfnfile"
)

// Violation is one resource that fails one control.
type Violation struct {
	// Template is the template file's base name, such as
	// payments-tooling.template.json.
	Template string
	// LogicalID is the failing resource.
	LogicalID string
	// Control is the control ID, such as CT.S3.PR.2; Rule the Guard rule
	// name, such as s3_bucket_logging_enabled_check.
	Control, Rule string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s: %s (%s)", v.Template, v.LogicalID, v.Control, v.Rule)
}

// metadata is the part of a rule's metadata file that Rules reads.
type metadata struct {
	ID                     string   `json:"Id"`
	EvaluatedResourceTypes []string `json:"EvaluatedResourceTypes"`
}

// Rules returns the rule files under rulesDir (the package's
// rules/control-tower/cfn-guard folder) that evaluate a resource type the
// templates contain, sorted: a rule skips templates without its types, so
// the others change no result and only cost time. The types come from the
// rules' metadata files (rules/control-tower/metadata); a rule without
// metadata is kept.
func Rules(rulesDir string, templates []string) ([]string, error) {
	types := map[string]bool{}
	for _, f := range templates {
		var tpl struct {
			Resources map[string]struct{ Type string } `json:"Resources"`
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &tpl); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, r := range tpl.Resources {
			types[r.Type] = true
		}
	}
	files, err := filepath.Glob(filepath.Join(rulesDir, "*", "*.guard"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no Control Tower rules (*/*.guard); run make tools", rulesDir)
	}
	metaDir := filepath.Join(filepath.Dir(rulesDir), "metadata")
	var out []string
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".guard")
		raw, err := os.ReadFile(filepath.Join(metaDir, filepath.Base(filepath.Dir(f)), name+".metadata.json"))
		if err != nil {
			out = append(out, f)
			continue
		}
		var m metadata
		if err := json.Unmarshal(raw, &m); err != nil || len(m.EvaluatedResourceTypes) == 0 {
			out = append(out, f)
			continue
		}
		if slices.ContainsFunc(m.EvaluatedResourceTypes, func(t string) bool { return types[t] }) {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out, nil
}

var (
	controlRE  = regexp.MustCompile(`\[(CT\.[A-Z0-9]+\.PR\.[0-9]+)\]`)
	resourceRE = regexp.MustCompile(`"/Resources/([A-Za-z0-9]+)`)
)

// Validate runs the cfn-guard binary guard with rules over templates (file
// paths) and returns every violating resource, once per control, sorted.
// cfn-guard exits 19 when a rule fails; any other failure is an error with
// its output.
//
// It runs one cfn-guard process for all templates. cfn-guard evaluates on
// one thread, but its allocator maps and unmaps memory for every rule it
// evaluates, and two processes side by side slow each other down in the
// kernel: over the 89 golden templates and their 38 rules, on a 2-core
// machine, two processes took 26 s and 49 s of CPU, one took 18 s and
// 18 s of CPU.
func Validate(guard string, rules, templates []string) ([]Violation, error) {
	if len(rules) == 0 || len(templates) == 0 {
		return nil, nil
	}
	found, err := validate(guard, rules, templates)
	if err != nil {
		return nil, err
	}
	seen := map[Violation]bool{}
	var out []Violation
	for _, v := range found {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out, nil
}

// validate runs one cfn-guard process over templates.
func validate(guard string, rules, templates []string) ([]Violation, error) {
	args := []string{"validate", "--output-format", "json", "--show-summary", "none", "--structured"}
	for _, r := range rules {
		args = append(args, "--rules", r)
	}
	for _, t := range templates {
		args = append(args, "--data", t)
	}
	cmd := exec.Command(guard, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	said := strings.TrimSpace(stderr.String())
	if said != "" {
		said = ": " + said
	}
	switch {
	case err == nil || errors.As(err, &exit) && exit.ExitCode() == 19:
	case errors.As(err, &exit) && exit.ExitCode() < 0:
		return nil, fmt.Errorf("cfn-guard %s was stopped: %v%s", guard, err, said)
	case errors.As(err, &exit):
		return nil, fmt.Errorf("cfn-guard %s exited with status %d (cfn-guard 3 exits 0 when every rule passes and 19 when one fails)%s", guard, exit.ExitCode(), said)
	default:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cfn-guard %s cannot run: %v: pass the cfn-guard binary with -guard (make tools installs it)", guard, err)
	}
	var results []struct {
		Name         string            `json:"name"`
		NotCompliant []json.RawMessage `json:"not_compliant"`
	}
	if len(bytes.TrimSpace(stdout.Bytes())) == 0 {
		return nil, fmt.Errorf("cfn-guard %s printed nothing: is it cfn-guard 3? make tools installs it%s", guard, said)
	}
	if err := cfnfile.Decode(stdout.Bytes(), &results); err != nil {
		return nil, fmt.Errorf("cfn-guard %s printed something other than cfn-guard 3's JSON results (%v): is it cfn-guard 3? make tools installs it%s", guard, err, said)
	}
	var out []Violation
	for _, r := range results {
		for _, nc := range r.NotCompliant {
			var rule struct {
				Rule struct {
					Name string `json:"name"`
				} `json:"Rule"`
			}
			_ = json.Unmarshal(nc, &rule)
			control := rule.Rule.Name
			if m := controlRE.FindSubmatch(nc); m != nil {
				control = string(m[1])
			}
			for _, m := range resourceRE.FindAllSubmatch(nc, -1) {
				out = append(out, Violation{Template: filepath.Base(r.Name), LogicalID: string(m[1]), Control: control, Rule: rule.Rule.Name})
			}
		}
	}
	return out, nil
}
