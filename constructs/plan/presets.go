package plan

import (
	"fmt"
	"strings"
)

// severitiesFrom lists the severities at or above failOn, highest last.
func severitiesFrom(failOn string) []string {
	all := []string{"LOW", "MEDIUM", "HIGH", "CRITICAL"}
	for i, s := range all {
		if s == failOn {
			return all[i:]
		}
	}
	return all[2:]
}

// PresetSuite returns the scanner suite of a preset: its commands and its
// JUnit report, failing on findings at or above failOn where the tool rates
// severity (trivy, semgrep); checkov and gitleaks fail on any finding.
func PresetSuite(s Suite, failOn string) Suite {
	sev := severitiesFrom(failOn)
	report := func(file string) *Reports { return &Reports{Files: []string{"reports/" + file}, Format: "JUNITXML"} }
	switch s.Preset {
	case "trivy":
		s.Commands = []string{
			"mkdir -p reports",
			"curl -sSfL https://raw.githubusercontent.com/aquasecurity/trivy/main/contrib/install.sh | sh -s -- -b /usr/local/bin",
			"curl -sSfLo /tmp/junit.tpl https://raw.githubusercontent.com/aquasecurity/trivy/main/contrib/junit.tpl",
			fmt.Sprintf("trivy fs --scanners vuln,secret,misconfig --severity %s --exit-code 1 --format template --template @/tmp/junit.tpl --output reports/trivy.xml .", strings.Join(sev, ",")),
		}
		s.Reports = report("trivy.xml")
	case "semgrep":
		var flags []string
		for _, l := range semgrepLevels(failOn) {
			flags = append(flags, "--severity "+l)
		}
		s.Commands = []string{
			"mkdir -p reports",
			"pip3 install --quiet semgrep",
			"semgrep scan --config auto --error " + strings.Join(flags, " ") + " --junit-xml-output=reports/semgrep.xml",
		}
		s.Reports = report("semgrep.xml")
	case "checkov":
		s.Commands = []string{
			"mkdir -p reports",
			"pip3 install --quiet checkov",
			"checkov --directory . --output cli --output junitxml --output-file-path console,reports",
		}
		s.Reports = report("results_junitxml.xml")
	case "gitleaks":
		s.Commands = []string{
			"mkdir -p reports",
			"curl -sSfL https://github.com/gitleaks/gitleaks/releases/download/v8.21.2/gitleaks_8.21.2_linux_x64.tar.gz | tar -xz -C /usr/local/bin gitleaks",
			"gitleaks detect --source . --no-git --report-format junit --report-path reports/gitleaks.xml",
		}
		s.Reports = report("gitleaks.xml")
	}
	return s
}

// semgrepLevels maps a severity threshold to semgrep's rule severities.
func semgrepLevels(failOn string) []string {
	switch failOn {
	case "LOW":
		return []string{"INFO", "WARNING", "ERROR"}
	case "MEDIUM":
		return []string{"WARNING", "ERROR"}
	}
	return []string{"ERROR"}
}
