package plan

import (
	"fmt"
	"path"
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

// Tool is a scanner release that a preset downloads when the scan runs:
// pinned to one version and checked against its SHA-256 digest before it
// is unpacked or run, so that a changed, moved or tampered file fails the
// scan instead of running.
type Tool struct {
	// Name is the tool, such as trivy.
	Name string
	// Version is the pinned release.
	Version string
	// URL is the release file for linux x86_64 (the CodeBuild standard
	// images).
	URL string
	// SHA256 is the file's SHA-256 digest, 64 lowercase hex digits.
	SHA256 string
	// Source says where the digest is published.
	Source string
}

// File is the name of the downloaded file (the last element of URL).
func (t Tool) File() string { return path.Base(t.URL) }

// fetch are the commands that download t to /tmp and verify it: curl
// writes a file (nothing is piped into a shell) and sha256sum -c fails the
// build on any other content. The digests were taken from the projects'
// published checksums (see Tools); nothing was downloaded where Relay is
// built and tested.
func (t Tool) fetch() []string {
	file := "/tmp/" + t.File()
	return []string{
		fmt.Sprintf("curl -sSfL --retry 3 -o %s %s", file, t.URL),
		fmt.Sprintf(`echo "%s  %s" | sha256sum -c -`, t.SHA256, file),
	}
}

// Tools are the scanner releases the presets download, by preset. To move
// to a new release, change the version, the URL and the digest together,
// taking the digest from the project's checksum file (trivy, gitleaks), the
// package index (semgrep's wheel on PyPI) or, where the project publishes
// none (checkov), from a digest computed over the release file.
var Tools = map[string]Tool{
	"trivy": {
		Name: "trivy", Version: "0.62.1",
		URL:    "https://github.com/aquasecurity/trivy/releases/download/v0.62.1/trivy_0.62.1_Linux-64bit.tar.gz",
		SHA256: "7da92b2ca503d08eb15e717585fa4ffb95ef2c5dc4c554204882d7d26d386a6a",
		Source: "trivy_0.62.1_checksums.txt of the GitHub release v0.62.1",
	},
	"gitleaks": {
		Name: "gitleaks", Version: "8.21.2",
		URL:    "https://github.com/gitleaks/gitleaks/releases/download/v8.21.2/gitleaks_8.21.2_linux_x64.tar.gz",
		SHA256: "5bc41815076e6ed6ef8fbecc9d9b75bcae31f39029ceb55da08086315316e3ba",
		Source: "gitleaks_8.21.2_checksums.txt of the GitHub release v8.21.2",
	},
	"semgrep": {
		Name: "semgrep", Version: "1.136.0",
		URL:    "https://files.pythonhosted.org/packages/eb/ff/c3a34e5ed444a8a7f99b0b45e4446a785d2028a595a8710359e0e4eda8f9/semgrep-1.136.0-cp39.cp310.cp311.py39.py310.py311-none-musllinux_1_0_x86_64.manylinux2014_x86_64.whl",
		SHA256: "94dbd9a9f145ebd192441d5d826a1fba485f87496f353c5ba24ad2e16bc250ed",
		Source: "the sha256 digest PyPI publishes for this wheel of semgrep 1.136.0",
	},
	"checkov": {
		Name: "checkov", Version: "3.3.9",
		URL:    "https://github.com/bridgecrewio/checkov/releases/download/3.3.9/checkov_linux_X86_64.zip",
		SHA256: "af7ccf93184fa09b5633dfd68fba78058717e6f80b31a44a3f2ef2eebd716f34",
		Source: "checkov publishes no checksum file; the digest of checkov_linux_X86_64.zip of release 3.3.9 as public CI pipelines verify it",
	},
}

// PresetSuite returns the scanner suite of a preset: its commands and its
// JUnit report, failing on findings at or above failOn where the tool rates
// severity (trivy, semgrep); checkov and gitleaks fail on any finding. Each
// preset downloads its tool at the version and digest of Tools and runs it
// from /tmp; semgrep's dependencies come from PyPI as its pinned wheel
// declares them.
func PresetSuite(s Suite, failOn string) Suite {
	sev := severitiesFrom(failOn)
	report := func(file string) *Reports { return &Reports{Files: []string{"reports/" + file}, Format: "JUNITXML"} }
	tool, ok := Tools[s.Preset]
	if !ok {
		return s
	}
	cmds := append([]string{"mkdir -p reports"}, tool.fetch()...)
	file := "/tmp/" + tool.File()
	switch s.Preset {
	case "trivy":
		// The release archive holds the binary and contrib/junit.tpl.
		s.Commands = append(cmds,
			"mkdir -p /tmp/trivy && tar -xzf "+file+" -C /tmp/trivy",
			fmt.Sprintf("/tmp/trivy/trivy fs --scanners vuln,secret,misconfig --severity %s --exit-code 1 --format template --template @/tmp/trivy/contrib/junit.tpl --output reports/trivy.xml .", strings.Join(sev, ",")),
		)
		s.Reports = report("trivy.xml")
	case "semgrep":
		var flags []string
		for _, l := range semgrepLevels(failOn) {
			flags = append(flags, "--severity "+l)
		}
		s.Commands = append(cmds,
			"pip3 install --quiet "+file,
			"semgrep scan --config auto --error "+strings.Join(flags, " ")+" --junit-xml-output=reports/semgrep.xml",
		)
		s.Reports = report("semgrep.xml")
	case "checkov":
		s.Commands = append(cmds,
			"mkdir -p /tmp/checkov && unzip -q -o "+file+" -d /tmp/checkov",
			"/tmp/checkov/dist/checkov --directory . --output cli --output junitxml --output-file-path console,reports",
		)
		s.Reports = report("results_junitxml.xml")
	case "gitleaks":
		s.Commands = append(cmds,
			"tar -xzf "+file+" -C /tmp gitleaks",
			"/tmp/gitleaks detect --source . --no-git --report-format junit --report-path reports/gitleaks.xml",
		)
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
