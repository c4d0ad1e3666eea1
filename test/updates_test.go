package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/assembly"
	"github.com/relaycdk/relay/constructs/config"
)

// The update checks below model what CloudFormation does with the second
// `cdk deploy` (and every release after it): each stack of the new cloud
// assembly updates the stack of the same name, account and region; a stack
// that left the assembly stays deployed (cdk deploy deletes nothing); a
// resource with DeletionPolicy Retain that leaves its template stays in the
// account. An update fails when
//   - a custom-named resource keeps its logical ID and its name and changes
//     a create-only property: "CloudFormation cannot update a stack when a
//     custom-named resource requires replacing" ("You can't perform an
//     update that causes a custom-named resource to be replaced",
//     https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html;
//     replacement: a change of one of the type's createOnlyProperties);
//   - a logical ID keeps its name but changes its type ("Update of resource
//     type is not permitted");
//   - a custom-named resource appears under a logical ID (or in a stack)
//     other than the one that holds its name: CloudFormation creates the new
//     resource before it deletes the old one
//     (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html),
//     and the name "already exists"; a name held by a stack left behind
//     fails the same way, and so does one held by a retained resource,
//     unless the automatic import of --import-existing-resources takes it
//     back (a static name that is the type's primary identifier);
//   - an export that another stack imports changes or goes away.
// Which properties are create-only, and which name a resource, come from the
// resource provider schemas bundled with cfn-lint (createOnlyProperties,
// primaryIdentifier, readOnlyProperties).

// resourceSchema is what the update checks need of a resource type's
// provider schema: its create-only property paths (such as
// /properties/RoleName) and the paths that make its physical name.
type resourceSchema struct {
	CreateOnly []string `json:"createOnly"`
	// Name: the properties whose values name the resource: the primary
	// identifier when the user sets all of it (RoleName, BucketName,
	// LogGroupName, ApplicationName+DeploymentGroupName), otherwise the
	// create-only properties ending in Name outside the primary identifier
	// (CodeBuild's Name, SNS's TopicName, StackSetName).
	Name []string `json:"name"`
	// Global: the name is the account's, in every region (IAM, S3).
	Global bool `json:"global"`
	// Importable: the primary identifier is the name the template sets (not
	// a read-only ID), which CloudFormation's automatic import needs
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/import-resources-automatically.html).
	Importable bool `json:"importable"`
}

var (
	schemasOnce sync.Once
	schemas     map[string]resourceSchema
	schemasErr  error
)

// schemaScript prints, for each type read on stdin (one a line), the
// schema fields resourceSchema holds, from cfn-lint's bundled us-east-1
// provider schemas.
const schemaScript = `
import json, sys
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as m
out = {}
for t in sys.stdin.read().split():
    try:
        s = m.get_resource_schema("us-east-1", t).schema
    except Exception:
        continue
    co = s.get("createOnlyProperties") or []
    pid = s.get("primaryIdentifier") or []
    ro = set(s.get("readOnlyProperties") or [])
    importable = bool(pid) and not any(p in ro for p in pid)
    if importable:
        name = pid
    else:
        name = [p for p in co if p.split("/")[-1].endswith("Name") and p not in pid and p.count("/") == 2]
    out[t] = {"createOnly": co, "name": name, "importable": importable,
              "global": t.startswith("AWS::IAM::") or t == "AWS::S3::Bucket"}
print(json.dumps(out))
`

// loadSchemas reads the provider schemas of types from cfn-lint's Python
// package: through python3, else through the interpreter of the cfn-lint
// script (a pipx install).
func loadSchemas(t testing.TB, types []string) map[string]resourceSchema {
	t.Helper()
	schemasOnce.Do(func() {
		pythons := []string{"python3"}
		if lint, err := exec.LookPath("cfn-lint"); err == nil {
			if raw, err := os.ReadFile(lint); err == nil && bytes.HasPrefix(raw, []byte("#!")) {
				line, _, _ := strings.Cut(string(raw[2:]), "\n")
				if f := strings.Fields(line); len(f) > 0 {
					pythons = append(pythons, f[0])
				}
			}
		}
		for _, py := range pythons {
			cmd := exec.Command(py, "-c", schemaScript)
			cmd.Stdin = strings.NewReader(strings.Join(allResourceTypes, "\n"))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				schemasErr = fmt.Errorf("%s: %v %s", py, err, stderr.String())
				continue
			}
			schemas = map[string]resourceSchema{}
			schemasErr = json.Unmarshal(out, &schemas)
			return
		}
	})
	if schemasErr != nil {
		t.Fatalf("cfn-lint's resource schemas: %v (install cfn-lint: pip install 'cfn-lint==1.51.0')", schemasErr)
	}
	for _, typ := range types {
		if _, ok := schemas[typ]; !ok && !strings.HasPrefix(typ, "Custom::") && typ != "AWS::CDK::Metadata" {
			t.Fatalf("no provider schema for %s in cfn-lint: add it to allResourceTypes", typ)
		}
	}
	return schemas
}

// allResourceTypes are the resource types Relay writes (the golden
// templates hold each), read from cfn-lint in one run.
var allResourceTypes = []string{
	"AWS::Chatbot::MicrosoftTeamsChannelConfiguration", "AWS::Chatbot::SlackChannelConfiguration",
	"AWS::CloudFormation::StackSet", "AWS::CloudTrail::Trail", "AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard",
	"AWS::CodeBuild::Project", "AWS::CodeBuild::ReportGroup", "AWS::CodeDeploy::Application",
	"AWS::CodeDeploy::DeploymentConfig", "AWS::CodeDeploy::DeploymentGroup", "AWS::CodePipeline::Pipeline",
	"AWS::ECR::Repository", "AWS::EKS::AccessEntry", "AWS::Events::EventBusPolicy", "AWS::Events::Rule",
	"AWS::IAM::ManagedPolicy", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::KMS::Alias", "AWS::KMS::Key",
	"AWS::Lambda::Function", "AWS::Lambda::Permission", "AWS::Logs::LogGroup", "AWS::Logs::MetricFilter",
	"AWS::Logs::ResourcePolicy", "AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::SNS::Subscription",
	"AWS::SNS::Topic", "AWS::SNS::TopicPolicy", "AWS::StepFunctions::StateMachine",
}

// deployedStack is a stack as CloudFormation holds it.
type deployedStack struct {
	Name, Account, Region string
	Template              map[string]interface{}
}

func (s deployedStack) key() string { return s.Name + " in " + s.Account + "/" + s.Region }

// deployedWorld is what a series of deploys leaves in the accounts: the
// stacks by key (a stack that leaves the assembly stays: cdk deploy deletes
// none), and the retained resources whose templates dropped them, by
// physical name, with the stack and logical ID that held them.
type deployedWorld struct {
	stacks   map[string]deployedStack
	retained map[string]string
	schemas  map[string]resourceSchema
	// stackSets are the StackSets the pipelines' CloudFormationStackSet
	// actions create when they first run, by name, account and region,
	// with their permission model. The pipeline deletes none.
	stackSets map[string]string
}

func newWorld(sc map[string]resourceSchema) *deployedWorld {
	return &deployedWorld{stacks: map[string]deployedStack{}, retained: map[string]string{}, schemas: sc, stackSets: map[string]string{}}
}

// pipelineStackSets calls f with each StackSet a CloudFormationStackSet
// action of a pipeline in s creates or updates: its key (name, account,
// region), its permission model (SELF_MANAGED unless the action says
// otherwise) and the action's stage and name.
func pipelineStackSets(s deployedStack, f func(key, model, action string)) {
	for _, r := range templateResources(s.Template) {
		if typeOf(r) != "AWS::CodePipeline::Pipeline" {
			continue
		}
		props, _ := r["Properties"].(map[string]interface{})
		stages, _ := props["Stages"].([]interface{})
		for _, st := range stages {
			stage, _ := st.(map[string]interface{})
			actions, _ := stage["Actions"].([]interface{})
			for _, a := range actions {
				action, _ := a.(map[string]interface{})
				id, _ := action["ActionTypeId"].(map[string]interface{})
				if id["Provider"] != "CloudFormationStackSet" {
					continue
				}
				conf, _ := action["Configuration"].(map[string]interface{})
				region, _ := action["Region"].(string)
				if region == "" {
					region = s.Region
				}
				model, _ := conf["PermissionModel"].(string)
				if model == "" {
					model = "SELF_MANAGED"
				}
				f(fmt.Sprintf("%v in %s/%s", conf["StackSetName"], s.Account, region), model, fmt.Sprintf("%v/%v", stage["Name"], action["Name"]))
			}
		}
	}
}

// resolve returns v as canonical JSON after replacing what a name may hold
// with its value: the pseudo parameters AWS::Region, AWS::AccountId,
// AWS::Partition and AWS::URLSuffix by the stack's, a Ref to a named
// resource of the stack by its name, and a Fn::Join of strings by the
// string.
func (w *deployedWorld) resolve(v interface{}, s deployedStack) string {
	res := templateResources(s.Template)
	var walk func(v interface{}) interface{}
	walk = func(v interface{}) interface{} {
		switch x := v.(type) {
		case map[string]interface{}:
			if ref, ok := x["Ref"].(string); ok && len(x) == 1 {
				switch ref {
				case "AWS::Region":
					return s.Region
				case "AWS::AccountId":
					return s.Account
				case "AWS::Partition":
					return "aws"
				case "AWS::URLSuffix":
					return "amazonaws.com"
				}
				if r, ok := res[ref]; ok {
					if n := w.nameValues(r, s); n != "" {
						return n
					}
				}
			}
			out := map[string]interface{}{}
			for k, c := range x {
				out[k] = walk(c)
			}
			if j, ok := out["Fn::Join"].([]interface{}); ok && len(out) == 1 && len(j) == 2 {
				sep, _ := j[0].(string)
				parts, _ := j[1].([]interface{})
				var b []string
				for _, p := range parts {
					if ps, ok := p.(string); ok {
						b = append(b, ps)
					}
				}
				if len(b) == len(parts) {
					return strings.Join(b, sep)
				}
			}
			return out
		case []interface{}:
			out := make([]interface{}, len(x))
			for i, c := range x {
				out[i] = walk(c)
			}
			return out
		}
		return v
	}
	raw, _ := json.Marshal(walk(v))
	return string(raw)
}

// property is the value at a schema path such as /properties/A/B.
func property(props map[string]interface{}, path string) (interface{}, bool) {
	var cur interface{} = props
	for _, seg := range strings.Split(strings.TrimPrefix(path, "/properties/"), "/") {
		m, ok := cur.(map[string]interface{})
		if !ok {
			return nil, false
		}
		if cur, ok = m[seg]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// nameValues are the values of r's name properties, resolved, or "" when
// CloudFormation generates its name.
func (w *deployedWorld) nameValues(r map[string]interface{}, s deployedStack) string {
	schema := w.schemas[typeOf(r)]
	if len(schema.Name) == 0 {
		return ""
	}
	props, _ := r["Properties"].(map[string]interface{})
	var parts []string
	for _, p := range schema.Name {
		v, ok := property(props, p)
		if !ok {
			return ""
		}
		r := w.resolve(v, s)
		var str string
		if json.Unmarshal([]byte(r), &str) == nil {
			r = str
		}
		parts = append(parts, r)
	}
	return strings.Join(parts, "|")
}

// physicalName is r's name as its account holds it (type, name and scope),
// or "" when it has none (CloudFormation generates it).
func (w *deployedWorld) physicalName(r map[string]interface{}, s deployedStack) string {
	n := w.nameValues(r, s)
	if n == "" {
		return ""
	}
	scope := s.Account + "/" + s.Region
	if w.schemas[typeOf(r)].Global {
		scope = s.Account
	}
	return typeOf(r) + " " + n + " in " + scope
}

// importable reports whether CloudFormation's automatic import
// (--import-existing-resources) takes a retained resource back when r
// claims its name: a static name (no intrinsic function) that is the
// type's primary identifier, and DeletionPolicy Retain.
func (w *deployedWorld) importable(r map[string]interface{}) bool {
	schema := w.schemas[typeOf(r)]
	if !schema.Importable || r["DeletionPolicy"] != "Retain" {
		return false
	}
	props, _ := r["Properties"].(map[string]interface{})
	for _, p := range schema.Name {
		if v, _ := property(props, p); v == nil || fmt.Sprintf("%T", v) != "string" {
			return false
		}
	}
	return true
}

// deploy applies the stacks of an assembly to w, as `cdk deploy --all
// --import-existing-resources` does, and returns why CloudFormation would
// fail, one line each, sorted.
func (w *deployedWorld) deploy(stacks []deployedStack) []string {
	var problems []string
	fail := func(format string, args ...interface{}) { problems = append(problems, fmt.Sprintf(format, args...)) }
	// owners: every physical name in the accounts, with the stack and
	// logical ID that hold it.
	owners := map[string]string{}
	imports := map[string]string{}
	for _, s := range w.stacks {
		for id, r := range templateResources(s.Template) {
			if n := w.physicalName(r, s); n != "" {
				owners[n] = s.key() + " " + id
			}
		}
		walkImports(s.Template, func(export string) { imports[export] = s.key() })
	}
	retained := maps.Clone(w.retained)
	for _, s := range stacks {
		old := w.stacks[s.key()]
		oldRes, newRes := templateResources(old.Template), templateResources(s.Template)
		for id, r := range newRes {
			name := w.physicalName(r, s)
			if o, ok := oldRes[id]; ok {
				if typeOf(o) != typeOf(r) {
					fail("%s: %s changes type from %s to %s: CloudFormation does not change a resource's type", s.key(), id, typeOf(o), typeOf(r))
					continue
				}
				if name != "" && name == w.physicalName(o, old) {
					if p := w.changedCreateOnly(o, r, old, s); p != "" {
						fail("%s: %s (%s) changes create-only %s and keeps its name: CloudFormation cannot replace a custom-named resource", s.key(), id, name, p)
					}
					continue
				}
			}
			if name == "" {
				continue
			}
			if owner, ok := owners[name]; ok && owner != s.key()+" "+id {
				fail("%s: %s creates %s, which %s holds: it already exists", s.key(), id, name, owner)
			} else if origin, ok := retained[name]; ok && !w.importable(r) {
				fail("%s: %s creates %s, which %s retained when it left its template: it already exists", s.key(), id, name, origin)
			}
		}
		for id, o := range oldRes {
			if _, kept := newRes[id]; !kept && o["DeletionPolicy"] == "Retain" {
				if n := w.physicalName(o, old); n != "" {
					retained[n] = old.key() + " " + id
				}
			}
		}
		// An export that another stack imports must stay as it is.
		newOut := exportsOf(s.Template)
		for export, v := range exportsOf(old.Template) {
			if user, used := imports[export]; used && user != s.key() {
				if nv, ok := newOut[export]; !ok {
					fail("%s: export %s goes away while %s imports it", s.key(), export, user)
				} else if nv != v {
					fail("%s: export %s changes while %s imports it", s.key(), export, user)
				}
			}
		}
	}
	// A StackSet keeps the permission model it was created with: "You
	// cannot modify PermissionModel if there are stack instances associated
	// with your stack set"
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateStackSet.html),
	// so the pipeline's next run fails.
	for _, s := range stacks {
		pipelineStackSets(s, func(key, model, action string) {
			if was, ok := w.stackSets[key]; ok && was != model {
				fail("%s: the pipeline's action %s updates StackSet %s, created %s, as %s: UpdateStackSet cannot change the permission model of a StackSet with instances, and the release fails", s.key(), action, key, was, model)
			}
		})
	}
	for _, s := range stacks {
		pipelineStackSets(s, func(key, model, _ string) {
			if _, ok := w.stackSets[key]; !ok {
				w.stackSets[key] = model
			}
		})
		w.stacks[s.key()] = s
		for _, r := range templateResources(s.Template) {
			delete(retained, w.physicalName(r, s))
		}
	}
	w.retained = retained
	sort.Strings(problems)
	return problems
}

// changedCreateOnly names the first create-only property of r's type whose
// value differs between o (in stack os) and r (in stack s), or "".
func (w *deployedWorld) changedCreateOnly(o, r map[string]interface{}, os, s deployedStack) string {
	op, _ := o["Properties"].(map[string]interface{})
	np, _ := r["Properties"].(map[string]interface{})
	for _, p := range w.schemas[typeOf(r)].CreateOnly {
		ov, ook := property(op, p)
		nv, nok := property(np, p)
		if ook != nok || (ook && w.resolve(ov, os) != w.resolve(nv, s)) {
			return strings.TrimPrefix(p, "/properties/")
		}
	}
	return ""
}

func templateResources(tpl map[string]interface{}) map[string]map[string]interface{} {
	out := map[string]map[string]interface{}{}
	res, _ := tpl["Resources"].(map[string]interface{})
	for id, r := range res {
		if m, ok := r.(map[string]interface{}); ok {
			out[id] = m
		}
	}
	return out
}

func typeOf(r map[string]interface{}) string { s, _ := r["Type"].(string); return s }

// exportsOf returns the template's export names and their values as JSON.
func exportsOf(tpl map[string]interface{}) map[string]string {
	out := map[string]string{}
	outputs, _ := tpl["Outputs"].(map[string]interface{})
	for _, o := range outputs {
		m, _ := o.(map[string]interface{})
		e, _ := m["Export"].(map[string]interface{})
		if name, ok := e["Name"].(string); ok {
			raw, _ := json.Marshal(m["Value"])
			out[name] = string(raw)
		}
	}
	return out
}

// walkImports calls f with each Fn::ImportValue name in v.
func walkImports(v interface{}, f func(string)) {
	switch x := v.(type) {
	case map[string]interface{}:
		for k, c := range x {
			if s, ok := c.(string); ok && k == "Fn::ImportValue" {
				f(s)
			}
			walkImports(c, f)
		}
	case []interface{}:
		for _, c := range x {
			walkImports(c, f)
		}
	}
}

func deployedStacks(a *assembly.Assembly) []deployedStack {
	var out []deployedStack
	for _, s := range a.Stacks {
		out = append(out, deployedStack{Name: s.Name, Account: s.Account, Region: s.Region, Template: s.Template})
	}
	return out
}

// edit is one replacement in a configuration's text: old must occur once.
type edit struct{ old, new string }

func applyEdits(t *testing.T, text string, edits []edit) string {
	t.Helper()
	for _, e := range edits {
		if n := strings.Count(text, e.old); n != 1 {
			t.Fatalf("edit %q occurs %d times in the configuration, want once", e.old, n)
		}
		text = strings.Replace(text, e.old, e.new, 1)
	}
	return text
}

func readConfigText(t *testing.T, base string) string {
	t.Helper()
	if base == "example" {
		return string(config.Example())
	}
	raw, err := os.ReadFile(filepath.Join("..", base))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// TestUpdatesDeploy deploys, in the model above, a golden configuration
// and then each step of a user's edits of it (each step edits the golden
// text; a step with no edits returns to it): the edits a project makes over
// its life. An edit that deploys in one step lists no problems; one that
// needs two steps (README, "Changes that deploy as updates") lists what
// CloudFormation would refuse, exactly. The golden assemblies are the
// first deploy; each step is one synthesis without cdk-nag.
func TestUpdatesDeploy(t *testing.T) {
	const (
		twoAccounts = "examples/two-accounts.yaml"
		full        = "examples/full.yaml"
		stackSets   = "test/testdata/configs/stackset-accounts.yaml"
		orgUnits    = "test/testdata/configs/org-units.yaml"
		harbor      = "test/testdata/configs/stacks-regions.yaml"
	)
	unit := "  - {name: unit, commands: [npm ci, npm test], reports: {files: [reports/junit/*.xml]}}\n"
	prodEU := "  - {name: prod-eu, wave: production, account: \"555555555555\", regions: [eu-west-1, eu-central-1]}\n"
	audit := edit{"build: {buildspec: buildspec.yml}", "build: {buildspec: buildspec.yml}\naudit: {}"}
	observe := edit{"build: {buildspec: buildspec.yml}", "build: {buildspec: buildspec.yml}\nobservability: {notifications: {emails: [release@example.com]}}"}
	// ecsToServer switches ecs-blue-green.yaml to EC2 through CodeDeploy:
	// the strategy, and the environments' settings it no longer uses.
	ecs := readConfigText(t, "examples/ecs-blue-green.yaml")
	between := func(from, to string) string {
		i := strings.Index(ecs, from)
		j := strings.Index(ecs[i+1:], to)
		if i < 0 || j < 0 {
			t.Fatalf("examples/ecs-blue-green.yaml has no %q followed by %q", from, to)
		}
		return ecs[i : i+1+j]
	}
	ecsToServer := []edit{
		{between("  ecsBlueGreen:\n", "  hooks:\n"), "  codeDeploy: {instanceTags: {app: [checkout]}, instanceRoles: [checkout-instance]}\n"},
		{between("    settings:\n      prodListener: arn:aws:elasticloadbalancing:us-east-1:222222222222", "  - name: production"), ""},
		{ecs[strings.Index(ecs, "    settings:\n      prodListener: arn:aws:elasticloadbalancing:us-east-1:333333333333"):], ""},
	}
	tests := []struct {
		name, base string
		steps      [][]edit
		want       []string
	}{
		// Environments: added, inserted, removed, reordered, renamed, moved.
		{name: "environment added last", base: twoAccounts, steps: [][]edit{{{"release to production?\"}\n", "release to production?\"}\n  - {name: dr, account: \"444444444444\", regions: [us-west-2]}\n"}}}},
		{name: "environment inserted first", base: twoAccounts, steps: [][]edit{{{"  - {name: staging,", "  - {name: dev, account: \"444444444444\", regions: [us-east-1]}\n  - {name: staging,"}}}},
		{name: "environment removed, then added back", base: full, steps: [][]edit{{{prodEU, ""}, {"succeeded: [prod-us, prod-eu]", "succeeded: [prod-us]"}}, {}}},
		{name: "environments reordered", base: full, steps: [][]edit{{{prodEU, ""}, {"  - name: prod-us\n", prodEU + "  - name: prod-us\n"}}}},
		{name: "environment renamed", base: twoAccounts, steps: [][]edit{{{"{name: staging,", "{name: stage,"}, {"Deploy_staging_", "Deploy_stage_"}}}},
		{name: "environment moved to another account", base: twoAccounts, steps: [][]edit{{{"{name: staging, account: \"222222222222\"", "{name: staging, account: \"444444444444\""}}}},
		{name: "approval added", base: twoAccounts, steps: [][]edit{{{"regions: [us-east-1]}\n", "regions: [us-east-1], approval: {}}\n"}}}},
		{name: "regions reordered in organizational units", base: orgUnits, steps: [][]edit{{{"cd34ef57]\n    regions: [us-east-1, eu-west-1]", "cd34ef57]\n    regions: [eu-west-1, us-east-1]"}}}},
		{name: "organizational-unit environments reordered", base: orgUnits, steps: [][]edit{{{"  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n", ""}, {"  # More OUs later", "  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n  # More OUs later"}}}},
		{name: "StackSet accounts reordered, one added", base: stackSets, steps: [][]edit{{{"accounts: [\"222222222222\", \"333333333333\"]", "accounts: [\"333333333333\", \"666666666666\", \"222222222222\"]"}}}},
		// Regions: added, removed and added back.
		{name: "region added", base: twoAccounts, steps: [][]edit{{{"regions: [us-east-1, us-west-2]", "regions: [us-east-1, us-west-2, eu-west-1]"}}}},
		{name: "region removed, then added back", base: twoAccounts, steps: [][]edit{{{"regions: [us-east-1, us-west-2]", "regions: [us-east-1]"}}, {}}},
		// Suites, steps, hooks, stacks and sources: inserted, reordered,
		// removed and added back.
		{name: "test suites reordered", base: full, steps: [][]edit{{{unit, ""}, {"  - {name: e2e,", unit + "  - {name: e2e,"}}}},
		{name: "test suite removed, then added back", base: full, steps: [][]edit{{{unit, ""}}, {}}},
		{name: "scanners reordered", base: full, steps: [][]edit{{{"    - {name: deps, preset: trivy}\n", ""}, {"    - {name: secrets, preset: gitleaks}\n", "    - {name: secrets, preset: gitleaks}\n    - {name: deps, preset: trivy}\n"}}}},
		{name: "extra sources reordered", base: full, steps: [][]edit{{
			{"  - {name: settings, s3: {bucket: acme-storefront-settings, key: settings.zip, versioned: true}}\n", ""},
			{"  - {name: schemas, codecommit: {repository: storefront-schemas, branch: main}}\n", "  - {name: schemas, codecommit: {repository: storefront-schemas, branch: main}}\n  - {name: settings, s3: {bucket: acme-storefront-settings, key: settings.zip, versioned: true}}\n"}}}},
		{name: "step inserted first", base: twoAccounts, steps: [][]edit{{{"steps:\n", "steps:\n  - name: lint\n    codeBuild: {buildspec: ci/lint.yml, inputs: [source]}\n"}}}},
		{name: "steps reordered", base: "examples/terraform.yaml", steps: [][]edit{{
			{"  - name: review\n    approval: {comment: \"Review the Terraform plan of ${env} in the log of its plan step; approve to apply exactly that plan.\"}\n", ""},
			{"  - name: plan\n", "  - name: lint\n    codeBuild: {buildspec: ci/lint.yml, inputs: [source]}\n  - name: plan\n"}}}},
		{name: "hook inserted first", base: "example", steps: [][]edit{{{"  hooks:\n", "  hooks:\n    - name: warm\n      lambda: {function: payments-app-warm}\n"}}}},
		{name: "stack inserted first in deploy.stacks", base: harbor, steps: [][]edit{{{"  stacks:\n", "  stacks:\n    - name: dns\n      stackName: harbor-${env}-dns\n      templatePath: templates/dns.yaml\n"}}}},
		{name: "source moved to another account", base: "examples/cross-account-sources.yaml", steps: [][]edit{{
			{"    account: \"444444444444\"\n", "    account: \"666666666666\"\n"},
			{"kmsKeyArn: arn:aws:kms:us-east-1:444444444444:", "kmsKeyArn: arn:aws:kms:us-east-1:666666666666:"}}}},
		// Features: turned on, off and on again.
		{name: "observability on, off, on", base: twoAccounts, steps: [][]edit{{observe}, {}, {observe}}},
		{name: "audit on, off, on", base: twoAccounts, steps: [][]edit{{audit}, {}, {audit}}},
		{name: "asset images off, then on", base: "examples/cdk-assets.yaml", steps: [][]edit{{{"images: true, ", ""}}, {}}},
		{name: "assets off, then on", base: "example", steps: [][]edit{{{"assets: {publish: stage}", ""}}, {}}},
		{name: "assets published by the build", base: "example", steps: [][]edit{{{"assets: {publish: stage}", "assets: {publish: build}"}}}},
		{name: "self-update off, then on", base: "examples/self-update.yaml", steps: [][]edit{{{"selfUpdate: {config: relay.yaml}\n", ""}}, {}}},
		{name: "build none", base: twoAccounts, steps: [][]edit{{{"build: {buildspec: buildspec.yml}", "build: none"}}, {}}},
		{name: "custom deployment config changed", base: "test/testdata/configs/codedeploy-ec2.yaml", steps: [][]edit{{{"value: 75}", "value: 50}"}}}},
		// The environment's stack stays where stackRegion keeps it while
		// its regions are reordered or replaced.
		{name: "regions reordered, stackRegion kept", base: twoAccounts, steps: [][]edit{{{"regions: [us-east-1, us-west-2]", "regions: [us-west-2, us-east-1]\n    stackRegion: us-east-1"}}}},
		{name: "environment moved to other regions, stackRegion kept", base: twoAccounts, steps: [][]edit{{
			{"regions: [us-east-1, us-west-2]", "regions: [eu-west-1, eu-central-1]\n    stackRegion: us-east-1"},
			{"Staging answered at #{Deploy_staging_us-east-1.ApiUrl}; ", ""}}}},
		{name: "StackSet regions reordered, stackRegion kept", base: stackSets, steps: [][]edit{{{"333333333333\"], regions: [us-east-1, eu-west-1]", "333333333333\"], regions: [eu-west-1, us-east-1], stackRegion: us-east-1"}}}},
		// Two steps (README): without stackRegion, the environment's stack
		// lives in its first region, so reordering the regions or moving
		// the environment creates its stack in another region while the old
		// one holds the role names; the tooling stack likewise.
		{name: "regions reordered", base: twoAccounts, steps: [][]edit{{{"regions: [us-east-1, us-west-2]", "regions: [us-west-2, us-east-1]"}}}, want: []string{
			"reviews-production in 333333333333/us-west-2: TargetDeployRole7BD40316 creates AWS::IAM::Role reviews-production-deploy in 333333333333, which reviews-production in 333333333333/us-east-1 TargetDeployRole7BD40316 holds: it already exists",
			"reviews-production in 333333333333/us-west-2: TargetExecutionRole832DFDAF creates AWS::IAM::Role reviews-production-cfn-exec in 333333333333, which reviews-production in 333333333333/us-east-1 TargetExecutionRole832DFDAF holds: it already exists",
			"reviews-production in 333333333333/us-west-2: TargetPermissionsBoundary430FF4E4 creates AWS::IAM::ManagedPolicy reviews-production-boundary in 333333333333, which reviews-production in 333333333333/us-east-1 TargetPermissionsBoundary430FF4E4 holds: it already exists",
		}},
		{name: "StackSet regions reordered", base: stackSets, steps: [][]edit{{{"333333333333\"], regions: [us-east-1, eu-west-1]", "333333333333\"], regions: [eu-west-1, us-east-1]"}}}, want: []string{
			"agent-pilot-222222222222 in 222222222222/eu-west-1: PermissionsBoundary2D0B48CC creates AWS::IAM::ManagedPolicy agent-pilot-boundary in 222222222222, which agent-pilot-222222222222 in 222222222222/us-east-1 PermissionsBoundary2D0B48CC holds: it already exists",
			"agent-pilot-222222222222 in 222222222222/eu-west-1: StackSetExecutionRole02DBF677 creates AWS::IAM::Role agent-pilot-stackset-exec in 222222222222, which agent-pilot-222222222222 in 222222222222/us-east-1 StackSetExecutionRole02DBF677 holds: it already exists",
			"agent-pilot-333333333333 in 333333333333/eu-west-1: PermissionsBoundary2D0B48CC creates AWS::IAM::ManagedPolicy agent-pilot-boundary in 333333333333, which agent-pilot-333333333333 in 333333333333/us-east-1 PermissionsBoundary2D0B48CC holds: it already exists",
			"agent-pilot-333333333333 in 333333333333/eu-west-1: StackSetExecutionRole02DBF677 creates AWS::IAM::Role agent-pilot-stackset-exec in 333333333333, which agent-pilot-333333333333 in 333333333333/us-east-1 StackSetExecutionRole02DBF677 holds: it already exists",
		}},
		// A CodeDeploy application keeps its name <name>-<env> across
		// compute platforms, under another construct.
		{name: "ECS blue/green to EC2", base: "examples/ecs-blue-green.yaml", steps: [][]edit{ecsToServer}, want: []string{
			"checkout-production in 333333333333/us-east-1: CodeDeployApplication86BF9145 creates AWS::CodeDeploy::Application checkout-production in 333333333333/us-east-1, which checkout-production in 333333333333/us-east-1 BlueGreenApplicationD40179E5 holds: it already exists",
			"checkout-production in 333333333333/us-east-1: CodeDeployDeploymentGroup64086631 creates AWS::CodeDeploy::DeploymentGroup checkout-production|checkout-production in 333333333333/us-east-1, which checkout-production in 333333333333/us-east-1 BlueGreenDeploymentGroup3AB5C79E holds: it already exists",
			"checkout-staging in 222222222222/us-east-1: CodeDeployApplication86BF9145 creates AWS::CodeDeploy::Application checkout-staging in 222222222222/us-east-1, which checkout-staging in 222222222222/us-east-1 BlueGreenApplicationD40179E5 holds: it already exists",
			"checkout-staging in 222222222222/us-east-1: CodeDeployDeploymentGroup64086631 creates AWS::CodeDeploy::DeploymentGroup checkout-staging|checkout-staging in 222222222222/us-east-1, which checkout-staging in 222222222222/us-east-1 BlueGreenDeploymentGroup3AB5C79E holds: it already exists",
		}},
		// The workload's StackSet <stackName>-<env> keeps its name and
		// cannot change its permission model.
		{name: "accounts become organizational units", base: stackSets, steps: [][]edit{{
			{"accounts: [\"222222222222\", \"333333333333\"]", "organizationalUnits: [ou-ab12-cd34ef56]"},
			{"accounts: [\"444444444444\", \"555555555555\"]", "organizationalUnits: [ou-ab12-cd34ef57]"},
			{"source:", "organization: {id: o-a1b2c3d4e5}\nsource:"}}}, want: []string{
			"agent-tooling in 111111111111/us-east-1: the pipeline's action Deploy-pilot/DeployStackSet updates StackSet agent-app-pilot in 111111111111/us-east-1, created SELF_MANAGED, as SERVICE_MANAGED: UpdateStackSet cannot change the permission model of a StackSet with instances, and the release fails",
		}},
		// Chat channels: the Chatbot configurations' logical IDs follow
		// their positions (Slack<i>, Teams<i>), an unnamed Teams channel's
		// name too (<name>-teams-<i+1>), and workspace and team are
		// create-only under a name that stays.
		{name: "Slack channel moved to another workspace", base: full, steps: [][]edit{{{"workspaceId: T0123ABCD45", "workspaceId: T9999ABCD45"}}}, want: []string{
			"storefront-tooling in 111111111111/us-east-1: ObserveSlack08F53AFBD (AWS::Chatbot::SlackChannelConfiguration storefront-releases in 111111111111/us-east-1) changes create-only SlackWorkspaceId and keeps its name: CloudFormation cannot replace a custom-named resource",
		}},
		{name: "Slack channel inserted first", base: full, steps: [][]edit{{{"    slack: [{workspaceId", "    slack: [{workspaceId: T0123ABCD45, channelId: C0999ABCD45, name: storefront-oncall}, {workspaceId"}}}, want: []string{
			"storefront-tooling in 111111111111/us-east-1: ObserveSlack130EEA798 creates AWS::Chatbot::SlackChannelConfiguration storefront-releases in 111111111111/us-east-1, which storefront-tooling in 111111111111/us-east-1 ObserveSlack08F53AFBD holds: it already exists",
		}},
		{name: "Teams channel inserted first", base: full, steps: [][]edit{{{"    teams:\n", "    teams:\n      - {teamId: 1a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d, tenantId: 9f8e7d6c-5b4a-3f2e-1d0c-9b8a7f6e5d4c, channelId: 19%3aaaaa35dc342d56ba5654e6fc6d25a071%40thread.tacv2}\n"}}}, want: []string{
			"storefront-tooling in 111111111111/us-east-1: ObserveTeams075E9D632 (AWS::Chatbot::MicrosoftTeamsChannelConfiguration storefront-teams-1 in 111111111111/us-east-1) changes create-only TeamId and keeps its name: CloudFormation cannot replace a custom-named resource",
		}},
		{name: "tooling region moved", base: twoAccounts, steps: [][]edit{{{"tooling: {account: \"111111111111\", region: us-east-1}", "tooling: {account: \"111111111111\", region: us-west-2}"}}}, want: []string{
			"reviews-tooling in 111111111111/us-west-2: ArtifactsAccessLogs4D97777C creates AWS::S3::Bucket reviews-logs-111111111111-us-west-2 in 111111111111, which reviews-tooling-us-west-2 in 111111111111/us-west-2 ArtifactsAccessLogs4D97777C holds: it already exists",
			"reviews-tooling in 111111111111/us-west-2: ArtifactsAccessLogsPolicy78EDC0E2 creates AWS::S3::BucketPolicy reviews-logs-111111111111-us-west-2 in 111111111111/us-west-2, which reviews-tooling-us-west-2 in 111111111111/us-west-2 ArtifactsAccessLogsPolicy78EDC0E2 holds: it already exists",
			"reviews-tooling in 111111111111/us-west-2: ArtifactsBucket88671897 creates AWS::S3::Bucket reviews-artifacts-111111111111-us-west-2 in 111111111111, which reviews-tooling-us-west-2 in 111111111111/us-west-2 ArtifactsBucket88671897 holds: it already exists",
			"reviews-tooling in 111111111111/us-west-2: ArtifactsBucketPolicyBC103148 creates AWS::S3::BucketPolicy reviews-artifacts-111111111111-us-west-2 in 111111111111/us-west-2, which reviews-tooling-us-west-2 in 111111111111/us-west-2 ArtifactsBucketPolicyBC103148 holds: it already exists",
			"reviews-tooling in 111111111111/us-west-2: ArtifactsKeyAliasD4A153CB creates AWS::KMS::Alias alias/relay/reviews/artifacts in 111111111111/us-west-2, which reviews-tooling-us-west-2 in 111111111111/us-west-2 ArtifactsKeyAliasD4A153CB holds: it already exists",
			"reviews-tooling in 111111111111/us-west-2: PipelineRoleD68726F7 creates AWS::IAM::Role reviews-pipeline in 111111111111, which reviews-tooling in 111111111111/us-east-1 PipelineRoleD68726F7 holds: it already exists",
			"reviews-tooling in 111111111111/us-west-2: RecoveryRole25BFA222 creates AWS::IAM::Role reviews-recovery in 111111111111, which reviews-tooling in 111111111111/us-east-1 RecoveryRole25BFA222 holds: it already exists",
			"reviews-tooling-us-east-1 in 111111111111/us-east-1: ArtifactsAccessLogs4D97777C creates AWS::S3::Bucket reviews-logs-111111111111-us-east-1 in 111111111111, which reviews-tooling in 111111111111/us-east-1 ArtifactsAccessLogs4D97777C holds: it already exists",
			"reviews-tooling-us-east-1 in 111111111111/us-east-1: ArtifactsAccessLogsPolicy78EDC0E2 creates AWS::S3::BucketPolicy reviews-logs-111111111111-us-east-1 in 111111111111/us-east-1, which reviews-tooling in 111111111111/us-east-1 ArtifactsAccessLogsPolicy78EDC0E2 holds: it already exists",
			"reviews-tooling-us-east-1 in 111111111111/us-east-1: ArtifactsBucket88671897 creates AWS::S3::Bucket reviews-artifacts-111111111111-us-east-1 in 111111111111, which reviews-tooling in 111111111111/us-east-1 ArtifactsBucket88671897 holds: it already exists",
			"reviews-tooling-us-east-1 in 111111111111/us-east-1: ArtifactsBucketPolicyBC103148 creates AWS::S3::BucketPolicy reviews-artifacts-111111111111-us-east-1 in 111111111111/us-east-1, which reviews-tooling in 111111111111/us-east-1 ArtifactsBucketPolicyBC103148 holds: it already exists",
			"reviews-tooling-us-east-1 in 111111111111/us-east-1: ArtifactsKeyAliasD4A153CB creates AWS::KMS::Alias alias/relay/reviews/artifacts in 111111111111/us-east-1, which reviews-tooling in 111111111111/us-east-1 ArtifactsKeyAliasD4A153CB holds: it already exists",
		}},
	}
	sc := loadSchemas(t, allResourceTypes)
	golden := assemblies(t)
	// The model deploys as the self-update and the README's command do,
	// with --import-existing-resources.
	selfUpdate := golden["platform"].Stack("platform-tooling")
	if raw, _ := json.Marshal(selfUpdate.Template); !strings.Contains(string(raw), "--require-approval never --import-existing-resources") {
		t.Fatal("the self-update's cdk deploy has no --import-existing-resources: a retained resource's name fails its return")
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := readConfigText(t, tc.base)
			cfg, err := config.Parse(tc.base, []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			w := newWorld(sc)
			if p := w.deploy(deployedStacks(golden[cfg.Name])); len(p) > 0 {
				t.Fatalf("first deploy of %s: %v", tc.base, p)
			}
			var got []string
			for i, step := range tc.steps {
				// A step without edits returns to the golden text, whose
				// assembly is at hand (its cdk-nag metadata is no property).
				a := golden[cfg.Name]
				if len(step) > 0 {
					a = synthText(t, applyEdits(t, text, step), false)
				}
				for _, p := range w.deploy(deployedStacks(a)) {
					got = append(got, fmt.Sprintf("step %d: %s", i+1, p))
				}
			}
			var want []string
			for _, p := range tc.want {
				want = append(want, "step 1: "+p)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s, edited: CloudFormation's refusals (-want +got):\n%s", tc.base, diff)
			}
		})
	}
}

// TestUpdateModel has one case per refusal of the update model and one
// that passes for each, on hand-written templates: a stack in
// 222222222222/us-east-1 whose template goes from before to after.
func TestUpdateModel(t *testing.T) {
	role := func(name, path string) map[string]interface{} {
		return map[string]interface{}{"Type": "AWS::IAM::Role", "Properties": map[string]interface{}{"RoleName": name, "Path": path}}
	}
	retained := func(typ string, props map[string]interface{}) map[string]interface{} {
		return map[string]interface{}{"Type": typ, "DeletionPolicy": "Retain", "Properties": props}
	}
	bucket := retained("AWS::S3::Bucket", map[string]interface{}{"BucketName": "app-data"})
	group := retained("AWS::CodeBuild::ReportGroup", map[string]interface{}{"Name": "app-unit", "Type": "TEST"})
	topic := map[string]interface{}{"Type": "AWS::SNS::Topic", "Properties": map[string]interface{}{}}
	res := func(kv ...interface{}) map[string]interface{} {
		r := map[string]interface{}{}
		for i := 0; i < len(kv); i += 2 {
			r[kv[i].(string)] = kv[i+1]
		}
		return map[string]interface{}{"Resources": r}
	}
	export := func(value string) map[string]interface{} {
		tpl := res("Topic", topic)
		tpl["Outputs"] = map[string]interface{}{"Out": map[string]interface{}{"Value": value, "Export": map[string]interface{}{"Name": "app-out"}}}
		return tpl
	}
	pipeline := func(model string) map[string]interface{} {
		conf := map[string]interface{}{"StackSetName": "app-stack"}
		if model != "" {
			conf["PermissionModel"] = model
		}
		action := map[string]interface{}{"Name": "StackSet", "ActionTypeId": map[string]interface{}{"Provider": "CloudFormationStackSet"}, "Configuration": conf}
		return map[string]interface{}{"Type": "AWS::CodePipeline::Pipeline", "Properties": map[string]interface{}{
			"Stages": []interface{}{map[string]interface{}{"Name": "Deploy", "Actions": []interface{}{action}}}}}
	}
	const at = "app in 222222222222/us-east-1: "
	tests := []struct {
		name  string
		steps []map[string]interface{}
		want  []string
	}{
		{"named role keeps its create-only properties", []map[string]interface{}{res("Role", role("app-deploy", "/app/")), res("Role", role("app-deploy", "/app/"))}, nil},
		{"named role changes its path", []map[string]interface{}{res("Role", role("app-deploy", "/app/")), res("Role", role("app-deploy", "/other/"))},
			[]string{at + "Role (AWS::IAM::Role app-deploy in 222222222222) changes create-only Path and keeps its name: CloudFormation cannot replace a custom-named resource"}},
		{"named role changes its path and name", []map[string]interface{}{res("Role", role("app-deploy", "/app/")), res("Role", role("app-deployer", "/other/"))}, nil},
		{"named role under another logical ID", []map[string]interface{}{res("Role", role("app-deploy", "/app/")), res("DeployRole", role("app-deploy", "/app/"))},
			[]string{at + "DeployRole creates AWS::IAM::Role app-deploy in 222222222222, which app in 222222222222/us-east-1 Role holds: it already exists"}},
		{"unnamed topic under another logical ID", []map[string]interface{}{res("Topic", topic), res("Alerts", topic)}, nil},
		{"logical ID changes type", []map[string]interface{}{res("Topic", topic), res("Topic", role("app-deploy", "/app/"))},
			[]string{at + "Topic changes type from AWS::SNS::Topic to AWS::IAM::Role: CloudFormation does not change a resource's type"}},
		{"retained bucket removed and added back: imported", []map[string]interface{}{res("Data", bucket), res(), res("Data", bucket)}, nil},
		{"retained report group removed and added back", []map[string]interface{}{res("Unit", group), res(), res("Unit", group)},
			[]string{at + "Unit creates AWS::CodeBuild::ReportGroup app-unit in 222222222222/us-east-1, which app in 222222222222/us-east-1 Unit retained when it left its template: it already exists"}},
		{"export in use changes", []map[string]interface{}{export("a"), export("b")},
			[]string{at + "export app-out changes while user in 222222222222/us-east-1 imports it"}},
		{"export in use stays", []map[string]interface{}{export("a"), export("a")}, nil},
		{"StackSet keeps its permission model", []map[string]interface{}{res("Pipeline", pipeline("")), res("Pipeline", pipeline("SELF_MANAGED"))}, nil},
		{"StackSet changes its permission model", []map[string]interface{}{res("Pipeline", pipeline("SELF_MANAGED")), res("Pipeline", pipeline("SERVICE_MANAGED"))},
			[]string{at + "the pipeline's action Deploy/StackSet updates StackSet app-stack in 222222222222/us-east-1, created SELF_MANAGED, as SERVICE_MANAGED: UpdateStackSet cannot change the permission model of a StackSet with instances, and the release fails"}},
	}
	sc := loadSchemas(t, allResourceTypes)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(sc)
			user := deployedStack{Name: "user", Account: "222222222222", Region: "us-east-1",
				Template: map[string]interface{}{"Outputs": map[string]interface{}{"In": map[string]interface{}{"Value": map[string]interface{}{"Fn::ImportValue": "app-out"}}}}}
			var got []string
			for i, tpl := range tc.steps {
				stacks := []deployedStack{{Name: "app", Account: "222222222222", Region: "us-east-1", Template: tpl}}
				if i == 0 {
					stacks = append(stacks, user)
				}
				got = append(got, w.deploy(stacks)...)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("refusals (-want +got):\n%s", diff)
			}
		})
	}
}
