package pipeline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipeline"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipelineactions"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// Suite is one CodeBuild action of the Test or Scan stage, with a project
// of its own.
type Suite struct {
	// Name names the action and the project. Required.
	Name string
	// Commands run in order; a failing command fails the suite. Required
	// unless Preset is set (scanners only).
	Commands []string
	// Preset supplies a scanner's commands and report: trivy, semgrep,
	// checkov or gitleaks.
	Preset string
	// Input is "source" (default) or "build".
	Input string
	// RunOrder orders suites; the same RunOrder runs in parallel. Default: 1.
	RunOrder int
	// Reports, when set, go to the report group ReportGroupName.
	Reports *Reports
	// ProjectName is the project's physical name. Default: generated.
	ProjectName string
	// ReportGroupName is the report group's physical name. Default: generated.
	ReportGroupName string
}

// Reports names a suite's test report files.
type Reports struct {
	// Files are glob patterns. Required.
	Files []string
	// Format is a CodeBuild test report format. Default: JUNITXML.
	Format string
}

// Scan is the security-scan stage.
type Scan struct {
	// FailOn is the lowest severity that fails the stage: LOW, MEDIUM, HIGH
	// or CRITICAL. Default: HIGH.
	FailOn string
	// Scanners run in the stage. At least one.
	Scanners []Suite
}

// validateSuites checks the suites of one stage.
func validateSuites(field string, suites []Suite, scanners bool) []error {
	var errs []error
	seen := map[string]bool{}
	if len(suites) > MaxActionsPerStage {
		errs = append(errs, fmt.Errorf("%s: %d suites; a stage holds at most %d actions", field, len(suites), MaxActionsPerStage))
	}
	for i, s := range suites {
		if !stageName.MatchString(s.Name) || seen[s.Name] {
			errs = append(errs, fmt.Errorf("%s[%d].Name %q: must be unique, 1-90 characters of letters, digits and .@_-", field, i, s.Name))
		}
		seen[s.Name] = true
		switch {
		case s.Preset != "" && !scanners:
			errs = append(errs, fmt.Errorf("%s[%d].Preset %q: presets are for scanners", field, i, s.Preset))
		case s.Preset != "" && !slices.Contains([]string{"trivy", "semgrep", "checkov", "gitleaks"}, s.Preset):
			errs = append(errs, fmt.Errorf("%s[%d].Preset %q: must be trivy, semgrep, checkov or gitleaks", field, i, s.Preset))
		case s.Preset == "" && len(s.Commands) == 0:
			errs = append(errs, fmt.Errorf("%s[%d].Commands []: list the commands that run the suite", field, i))
		}
		if s.Input != "" && s.Input != "source" && s.Input != "build" {
			errs = append(errs, fmt.Errorf("%s[%d].Input %q: must be source or build", field, i, s.Input))
		}
		if s.RunOrder < 0 || s.RunOrder > 999 {
			errs = append(errs, fmt.Errorf("%s[%d].RunOrder %d: must be 1 to 999", field, i, s.RunOrder))
		}
		if s.Reports != nil && len(s.Reports.Files) == 0 {
			errs = append(errs, fmt.Errorf("%s[%d].Reports.Files []: list report file patterns", field, i))
		}
	}
	return errs
}

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

// suiteStage builds the Test or Scan stage: one project, report group and
// CodeBuild action per suite.
func (pl *Pipeline) suiteStage(stage string, suites []Suite, env map[string]string, p Props, source, built awscodepipeline.Artifact) *awscodepipeline.StageProps {
	var actions []awscodepipeline.IAction
	for _, s := range suites {
		id := stage + "-" + s.Name
		spec := map[string]interface{}{
			"version": "0.2",
			"phases":  map[string]interface{}{"build": map[string]interface{}{"commands": s.Commands}},
		}
		var group awscodebuild.ReportGroup
		if s.Reports != nil {
			group = awscodebuild.NewReportGroup(pl.Construct, jsii.String(id+"-Reports"), &awscodebuild.ReportGroupProps{
				ReportGroupName: values.Optional(s.ReportGroupName),
				Type:            awscodebuild.ReportGroupType_TEST,
				RemovalPolicy:   awscdk.RemovalPolicy_RETAIN,
			})
			spec["reports"] = map[string]interface{}{
				*group.ReportGroupArn(): map[string]interface{}{"files": s.Reports.Files, "file-format": s.Reports.Format},
			}
		}
		project := awscodebuild.NewPipelineProject(pl.Construct, jsii.String(id), &awscodebuild.PipelineProjectProps{
			ProjectName:   values.Optional(s.ProjectName),
			Description:   jsii.String(stage + " suite " + s.Name),
			BuildSpec:     awscodebuild.BuildSpec_FromObject(&spec),
			EncryptionKey: p.Store.Key(),
			Timeout:       awscdk.Duration_Minutes(jsii.Number(float64(p.Build.TimeoutMinutes))),
			Environment: &awscodebuild.BuildEnvironment{
				BuildImage:  awscodebuild.LinuxBuildImage_FromCodeBuildImageId(jsii.String(p.Build.Image)),
				ComputeType: computeTypes[p.Build.ComputeType],
			},
			Logging: &awscodebuild.LoggingOptions{CloudWatch: &awscodebuild.CloudWatchLoggingOptions{LogGroup: pl.logGroup, Prefix: jsii.String(id)}},
		})
		if group != nil {
			group.GrantWrite(project)
		}
		pl.suiteProjects = append(pl.suiteProjects, project)
		input := source
		if s.Input == "build" {
			input = built
		}
		vars := map[string]*awscodebuild.BuildEnvironmentVariable{
			"GIT_COMMIT_HASH": {Value: jsii.String("#{" + SourceVariables + ".CommitId}")},
		}
		for k, v := range env {
			vars[k] = &awscodebuild.BuildEnvironmentVariable{Value: jsii.String(v)}
		}
		actions = append(actions, awscodepipelineactions.NewCodeBuildAction(&awscodepipelineactions.CodeBuildActionProps{
			ActionName:           jsii.String(s.Name),
			RunOrder:             jsii.Number(float64(s.RunOrder)),
			Project:              project,
			Input:                input,
			Type:                 awscodepipelineactions.CodeBuildActionType_TEST,
			EnvironmentVariables: &vars,
		}))
	}
	return &awscodepipeline.StageProps{StageName: jsii.String(stage), Actions: &actions}
}
