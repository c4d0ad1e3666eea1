// Package assembly reads a synthesized CDK cloud assembly (the folder
// `cdk synth` writes, such as cdk.out): its stacks, their templates, their
// error and warning annotations (cdk-nag's unsuppressed findings among
// them) and cdk-nag's JSON reports. It is plain Go, without the jsii
// runtime, so that tools and tests read an assembly in milliseconds.
//
// The layout it reads is the cloud assembly schema of aws-cdk-lib v2:
// manifest.json lists the artifacts; a stack artifact
// (aws:cloudformation:stack) names its template file, and its metadata
// (inline, or in the file additionalMetadataFile names) maps construct paths
// to entries of type aws:cdk:error, aws:cdk:warning and others.
// Source: https://github.com/aws/aws-cdk-cli/tree/main/packages/@aws-cdk/cloud-assembly-schema
package assembly

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/cfnfile"
)

// Assembly is a cloud assembly's stacks, sorted by name.
type Assembly struct {
	// Dir is the assembly's folder.
	Dir    string
	Stacks []*Stack
}

// Stack is one stack artifact.
type Stack struct {
	// Name is the CloudFormation stack name; ID the artifact ID (the same
	// unless the stack sets stackName).
	Name, ID string
	// Account and Region are the stack's environment (unknown-account and
	// unknown-region for an environment-agnostic stack).
	Account, Region string
	// TemplateFile is the template's path, relative to the assembly.
	TemplateFile string
	// Template is the parsed template.
	Template map[string]interface{}
	// Errors and Warnings are the error and warning annotations, sorted by
	// path then message.
	Errors, Warnings []Annotation
	// Nag holds cdk-nag's JSON report of the stack by pack name
	// (AwsSolutions, HIPAA.Security, ...): only the packs that ran with
	// reports.
	Nag map[string][]NagLine
}

// Annotation is one annotation of a construct.
type Annotation struct {
	// Path is the construct path, such as /payments-tooling/Pipeline/Role.
	Path string
	// Message is the annotation text; cdk-nag's start with the rule ID.
	Message string
}

// NagLine is one line of a cdk-nag report: one rule on one resource.
type NagLine struct {
	RuleID     string `json:"ruleId"`
	ResourceID string `json:"resourceId"`
	// Compliance is Compliant, Non-Compliant, Suppressed, N/A or UNKNOWN.
	Compliance      string `json:"compliance"`
	ExceptionReason string `json:"exceptionReason"`
	RuleLevel       string `json:"ruleLevel"`
	RuleInfo        string `json:"ruleInfo"`
}

// artifact is one artifact of manifest.json.
type artifact struct {
	Type        string `json:"type"`
	Environment string `json:"environment"`
	Properties  struct {
		TemplateFile  string `json:"templateFile"`
		StackName     string `json:"stackName"`
		DirectoryName string `json:"directoryName"`
	} `json:"properties"`
	Metadata               map[string][]metadataEntry `json:"metadata"`
	AdditionalMetadataFile string                     `json:"additionalMetadataFile"`
}

type metadataEntry struct {
	Type string      `json:"type"`
	Data interface{} `json:"data"`
}

// Read reads the assembly in dir, and the nested assemblies of its CDK
// Stages (artifacts of type cdk:cloud-assembly), whose stacks' TemplateFile
// starts with the nested folder. It fails, naming the file, the field and
// the fix, when dir is not a folder or has no manifest.json, when a file
// the manifest names is missing, outside the assembly or not JSON, or when
// a template or the manifest has a value of the wrong JSON type (such as
// Resources as an array).
func Read(dir string) (*Assembly, error) {
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return nil, fmt.Errorf("%s is a file, not a cloud assembly folder: name the folder cdk synth wrote (default cdk.out)", dir)
	}
	a := &Assembly{Dir: dir}
	if err := a.read("", map[string]bool{}); err != nil {
		return nil, err
	}
	sort.Slice(a.Stacks, func(i, j int) bool { return a.Stacks[i].Name < a.Stacks[j].Name })
	return a, nil
}

// read reads the manifest of the (nested) assembly in the folder sub of
// a.Dir; seen holds the folders already read.
func (a *Assembly) read(sub string, seen map[string]bool) error {
	dir := filepath.Join(a.Dir, sub)
	path := filepath.Join(dir, "manifest.json")
	again := fmt.Sprintf("synthesize again, such as with make synth OUT=%s", a.Dir)
	real, _ := filepath.EvalSymlinks(dir)
	if seen[real] {
		return fmt.Errorf("%s: a nested cloud assembly that contains itself; %s", path, again)
	}
	seen[real] = true
	var m struct {
		Artifacts map[string]json.RawMessage `json:"artifacts"`
	}
	if err := cfnfile.ReadJSON(path, &m); err != nil {
		if errors.Is(err, fs.ErrNotExist) && sub == "" {
			return fmt.Errorf("%s is not a cloud assembly (no manifest.json): synthesize first, such as with make synth OUT=%s", a.Dir, a.Dir)
		}
		return fmt.Errorf("%v; %s", err, again)
	}
	reports, err := nagReports(dir)
	if err != nil {
		return fmt.Errorf("%v; %s", err, again)
	}
	ids := make([]string, 0, len(m.Artifacts))
	for id := range m.Artifacts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		var art artifact
		if err := cfnfile.Decode(m.Artifacts[id], &art); err != nil {
			return fmt.Errorf("%s: %s; %s", path, cfnfile.Within("artifacts."+id, err), again)
		}
		field := func(name, what, value string) (string, error) {
			file, err := cfnfile.Inside(dir, value, what)
			if err == nil {
				return file, nil
			}
			sep := " "
			if value == "" {
				sep = ": "
			}
			return "", fmt.Errorf("%s: artifacts.%s.%s%s%v; %s", path, id, name, sep, err, again)
		}
		switch art.Type {
		case "cdk:cloud-assembly":
			if art.Properties.DirectoryName == "" {
				continue
			}
			if _, err := field("properties.directoryName", "folder", art.Properties.DirectoryName); err != nil {
				return err
			}
			if err := a.read(filepath.Join(sub, art.Properties.DirectoryName), seen); err != nil {
				return err
			}
			continue
		case "aws:cloudformation:stack":
		default:
			continue
		}
		file, err := field("properties.templateFile", "file", art.Properties.TemplateFile)
		if err != nil {
			return err
		}
		s := &Stack{ID: id, Name: art.Properties.StackName, TemplateFile: filepath.Join(sub, art.Properties.TemplateFile), Nag: map[string][]NagLine{}}
		if s.Name == "" {
			s.Name = id
		}
		if env, ok := strings.CutPrefix(art.Environment, "aws://"); ok {
			s.Account, s.Region, _ = strings.Cut(env, "/")
		}
		s.Template, err = cfnfile.Template(file)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("stack %s: its template %s is missing; %s", id, filepath.ToSlash(s.TemplateFile), again)
		}
		if err != nil {
			return fmt.Errorf("stack %s: %v; %s", id, err, again)
		}
		meta := art.Metadata
		if art.AdditionalMetadataFile != "" {
			mf, err := field("additionalMetadataFile", "file", art.AdditionalMetadataFile)
			if err != nil {
				return err
			}
			if err := cfnfile.ReadJSON(mf, &meta); err != nil {
				return fmt.Errorf("stack %s: %v; %s", id, err, again)
			}
		}
		for path, entries := range meta {
			for _, e := range entries {
				switch e.Type {
				case "aws:cdk:error":
					s.Errors = append(s.Errors, Annotation{path, fmt.Sprint(e.Data)})
				case "aws:cdk:warning":
					s.Warnings = append(s.Warnings, Annotation{path, fmt.Sprint(e.Data)})
				}
			}
		}
		sortAnnotations(s.Errors)
		sortAnnotations(s.Warnings)
		for pack, byStack := range reports {
			for stack, lines := range byStack {
				// A Stage's stack: <Stage path>-<Stack ID>.
				if stack == id || sub != "" && strings.HasSuffix(stack, "-"+id) {
					s.Nag[pack] = lines
				}
			}
		}
		a.Stacks = append(a.Stacks, s)
	}
	return nil
}

// Stack is the stack named name, or nil.
func (a *Assembly) Stack(name string) *Stack {
	for _, s := range a.Stacks {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Resources are the template's resources by logical ID.
func (s *Stack) Resources() map[string]map[string]interface{} {
	out := map[string]map[string]interface{}{}
	res, _ := s.Template["Resources"].(map[string]interface{})
	for id, r := range res {
		if m, ok := r.(map[string]interface{}); ok {
			out[id] = m
		}
	}
	return out
}

// nagReportSuffix ends the name of cdk-nag's JSON reports:
// <Pack>-<Stage path, with - for />-<Stack ID>-NagReport.json.
const nagReportSuffix = "-NagReport.json"

// nagReports reads cdk-nag's JSON reports in dir, by pack and stack ID.
func nagReports(dir string) (map[string]map[string][]NagLine, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*"+nagReportSuffix))
	if err != nil {
		return nil, err
	}
	out := map[string]map[string][]NagLine{}
	for _, f := range files {
		// The pack name has no hyphen; the stack ID follows the last
		// separator cdk-nag writes for the (empty) stage path.
		base := strings.TrimSuffix(filepath.Base(f), nagReportSuffix)
		pack, rest, ok := strings.Cut(base, "-")
		if !ok {
			continue
		}
		stack := strings.TrimPrefix(rest, "-")
		var r struct {
			Lines []NagLine `json:"lines"`
		}
		if err := cfnfile.ReadJSON(f, &r); err != nil {
			return nil, err
		}
		if out[pack] == nil {
			out[pack] = map[string][]NagLine{}
		}
		out[pack][stack] = r.Lines
	}
	return out, nil
}

func sortAnnotations(a []Annotation) {
	sort.Slice(a, func(i, j int) bool {
		if a[i].Path != a[j].Path {
			return a[i].Path < a[j].Path
		}
		return a[i].Message < a[j].Message
	})
}
