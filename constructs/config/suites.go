package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/limits"
)

// Suite is one CodeBuild action of the Test or Scan stage.
type Suite struct {
	// Name is [a-z][a-z0-9-]{1,30}, unique within its stage.
	Name string `yaml:"name" json:"name"`
	// Preset, for scanners only, supplies the commands and the report of a
	// well-known tool: trivy (dependencies, secrets and IaC), semgrep
	// (SAST), checkov (IaC) or gitleaks (secrets). Default: none.
	Preset string `yaml:"preset,omitempty" json:"preset,omitempty"`
	// Commands run in the repository checkout (or the build output, see
	// Input), in order; a failing command fails the suite. Required unless
	// Preset is set.
	Commands []string `yaml:"commands,omitempty" json:"commands,omitempty"`
	// Input is source (the repository, default) or build (the build output).
	Input string `yaml:"input,omitempty" json:"input,omitempty"`
	// RunOrder orders suites in the stage, 1 to 999; the same runOrder runs
	// in parallel. Default: 1.
	RunOrder int `yaml:"runOrder,omitempty" json:"runOrder,omitempty"`
	// Reports go to a CodeBuild report group <name>-<suite>.
	Reports *Reports `yaml:"reports,omitempty" json:"reports,omitempty"`
}

// Reports names the test report files of a suite.
type Reports struct {
	// Files are glob patterns, relative to the checkout. Required.
	Files []string `yaml:"files" json:"files"`
	// Format is JUNITXML (default), CUCUMBERJSON, TESTNGXML, NUNITXML,
	// NUNIT3XML or VISUALSTUDIOTRX.
	Format string `yaml:"format,omitempty" json:"format,omitempty"`
}

// SecurityScan is a stage of scanners whose findings at or above FailOn
// fail the stage.
type SecurityScan struct {
	// FailOn is the lowest severity that fails the stage: LOW, MEDIUM,
	// HIGH or CRITICAL. Default: HIGH. Scanners receive it as RELAY_FAIL_ON.
	FailOn string `yaml:"failOn,omitempty" json:"failOn,omitempty"`
	// Scanners run in the Scan stage. At least one.
	Scanners []Suite `yaml:"scanners" json:"scanners"`
}

// Defaults of the suites.
const (
	defaultSuiteInput   = defaults.SuiteInput
	defaultRunOrder     = defaults.RunOrder
	defaultReportFormat = defaults.ReportFormat
	defaultFailOn       = defaults.FailOn
	maxRunOrder         = 999
)

// maxSuitesPerStage is how many actions a CodePipeline stage holds
// (limits.StageActions).
var maxSuitesPerStage = limits.Max(limits.StageActions)

var (
	suiteInputs = []string{"source", "build"}
	severities  = []string{"LOW", "MEDIUM", "HIGH", "CRITICAL"}
	scanPresets = []string{"trivy", "semgrep", "checkov", "gitleaks"}
	// reportFormats are CodeBuild's test report file formats.
	reportFormats = []string{"JUNITXML", "CUCUMBERJSON", "TESTNGXML", "NUNITXML", "NUNIT3XML", "VISUALSTUDIOTRX"}
)

// suitesDefaults sets the defaults of tests and securityScan; unset is as
// in applyDefaults.
func (c *Config) suitesDefaults(unset unsetFunc) {
	suiteDefaults("tests", c.Tests, unset)
	if sc := c.SecurityScan; sc != nil {
		if unset("securityScan.failOn", sc.FailOn == "") {
			sc.FailOn = defaultFailOn
		}
		suiteDefaults("securityScan.scanners", sc.Scanners, unset)
	}
}

func suiteDefaults(base string, suites []Suite, unset unsetFunc) {
	for i := range suites {
		st := &suites[i]
		path := fmt.Sprintf("%s[%d]", base, i)
		if unset(path+".input", st.Input == "") {
			st.Input = defaultSuiteInput
		}
		if unset(path+".runOrder", st.RunOrder == 0) {
			st.RunOrder = defaultRunOrder
		}
		if r := st.Reports; r != nil && unset(path+".reports.format", r.Format == "") {
			r.Format = defaultReportFormat
		}
	}
}

// validateSecurityScan checks securityScan.
func (c *Config) validateSecurityScan(p *problems) {
	sc := c.SecurityScan
	if sc == nil {
		return
	}
	p.add("securityScan.failOn", sc.FailOn, oneOfRule(sc.FailOn, severities))
	if len(sc.Scanners) == 0 {
		p.add("securityScan.scanners", "", "required; list at least one scanner, such as {name: deps, preset: trivy}")
	}
	c.validateSuites(p, "securityScan.scanners", sc.Scanners, true)
}

// validateSuites checks the suites of one stage.
func (c *Config) validateSuites(p *problems, base string, suites []Suite, scanners bool) {
	if len(suites) > maxSuitesPerStage {
		p.add(base, strconv.Itoa(len(suites)), fmt.Sprintf("has more than %d entries; a CodePipeline stage holds at most %d actions", maxSuitesPerStage, maxSuitesPerStage))
	}
	first := map[string]int{}
	for i, st := range suites {
		path := fmt.Sprintf("%s[%d]", base, i)
		p.add(path+".name", st.Name, listNameRule(first, base, i, st.Name, "unit", "suite"))
		switch {
		case st.Preset != "" && !scanners:
			p.add(path+".preset", st.Preset, "presets are for securityScan.scanners; list commands instead")
		case st.Preset != "":
			p.add(path+".preset", st.Preset, oneOfRule(st.Preset, scanPresets))
		case len(st.Commands) == 0:
			p.add(path+".commands", "", "required; list the commands that run the suite, such as [\"npm ci\", \"npm test\"]")
		}
		for k, cmd := range st.Commands {
			if strings.TrimSpace(cmd) == "" {
				p.add(fmt.Sprintf("%s.commands[%d]", path, k), cmd, "is empty; remove it")
			}
		}
		rule := oneOfRule(st.Input, suiteInputs)
		if rule == "" && st.Input == "build" && c.Build.None {
			rule = "reads the build output, and build is none; use input: source (the repository)"
		}
		p.add(path+".input", st.Input, rule)
		if st.RunOrder < 1 || st.RunOrder > maxRunOrder {
			p.add(path+".runOrder", strconv.Itoa(st.RunOrder), "must be from 1 to 999; suites with the same runOrder run in parallel")
		}
		if r := st.Reports; r != nil {
			if len(r.Files) == 0 {
				p.add(path+".reports.files", "", "required; list report file patterns, such as reports/junit/*.xml")
			}
			p.add(path+".reports.format", r.Format, oneOfRule(r.Format, reportFormats))
		}
	}
}
