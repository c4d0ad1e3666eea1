package config

import (
	"testing"
)

// TestValidateSuites checks the rules of tests and securityScan, each with its exact
// message.
func TestValidateSuites(t *testing.T) {
	runValidateCases(t, []validateCase{
		{
			name: "tests and security scan",
			mutate: func(c *Config) {
				c.Tests = []Suite{
					{Name: "unit", Commands: []string{"make test"}, Input: "source", RunOrder: 1, Reports: &Reports{Files: []string{"reports/*.xml"}, Format: "JUNITXML"}},
					{Name: "unit", Commands: []string{" "}, Input: "disk", RunOrder: 0},
					{Name: "Lint", Preset: "trivy", Input: "source", RunOrder: 1000, Reports: &Reports{Format: "HTML"}},
				}
				c.SecurityScan = &SecurityScan{FailOn: "SEVERE", Scanners: []Suite{
					{Name: "deps", Preset: "trivy", Input: "source", RunOrder: 1},
					{Name: "sast", Preset: "sonar", Input: "source", RunOrder: 1},
					{Name: "custom", Input: "source", RunOrder: 1},
				}}
			},
			want: []string{
				`tests[1].name "unit": duplicate of tests[0].name; give each suite a unique name`,
				`tests[1].commands[0] " ": is empty; remove it`,
				`tests[1].input "disk": must be one of source, build`,
				`tests[1].runOrder "0": must be from 1 to 999; suites with the same runOrder run in parallel`,
				`tests[2].name "Lint": must be 2 to 31 lowercase letters, digits and hyphens, starting with a letter, such as unit`,
				`tests[2].preset "trivy": presets are for securityScan.scanners; list commands instead`,
				`tests[2].runOrder "1000": must be from 1 to 999; suites with the same runOrder run in parallel`,
				`tests[2].reports.files "": required; list report file patterns, such as reports/junit/*.xml`,
				`tests[2].reports.format "HTML": must be one of JUNITXML, CUCUMBERJSON, TESTNGXML, NUNITXML, NUNIT3XML, VISUALSTUDIOTRX`,
				`securityScan.failOn "SEVERE": must be one of LOW, MEDIUM, HIGH, CRITICAL`,
				`securityScan.scanners[1].preset "sonar": must be one of trivy, semgrep, checkov, gitleaks`,
				`securityScan.scanners[2].commands "": required; list the commands that run the suite, such as ["npm ci", "npm test"]`,
			},
		},
	})
}
