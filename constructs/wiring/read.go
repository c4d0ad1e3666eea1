package wiring

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	cdkassembly "github.com/relaycdk/relay/constructs/assembly"
	"github.com/relaycdk/relay/constructs/internal/cfnfile"
)

// assembly is what Read found in a cloud assembly folder: every stack's
// template, StackSet instances and nested stacks included.
type assembly struct {
	stacks  []*tmplStack
	exports map[string]exportRef
	notes   []string
}

type exportRef struct {
	st    *tmplStack
	value interface{}
}

// tmplStack is one template and where it is deployed.
type tmplStack struct {
	key       string // unique in the assembly; scopes holes
	name      string // stack name, "<StackSetName>" for StackSet instances
	file      string // template file, relative to the assembly folder
	account   string // "" when the template does not fix it
	region    string // "" when the template does not fix it
	resources map[string]map[string]interface{}
	outputs   map[string]interface{}
	params    map[string]interface{}
	mappings  map[string]interface{}

	// StackSet instances: the StackSet's name, the stack that defines it,
	// the targets (accounts or organizational units) and regions.
	stackSet   string
	definedIn  string
	ous        []string
	regions    []string
	accountTag string // how an unknown account is shown: "an account in ou-x"

	// Nested stacks: the parent and the parameters it passes.
	parent       *tmplStack
	parentParams map[string]interface{}
	nested       map[string]*tmplStack // by the parent's logical ID
}

// readAssembly reads the cloud assembly in dir with package assembly
// (manifest.json, every template it names, the nested cloud assemblies of
// CDK Stages; a broken file is refused by name), then the nested stacks'
// templates and the StackSets' inline templates.
func readAssembly(dir string) (*assembly, error) {
	read, err := cdkassembly.Read(dir)
	if err != nil {
		return nil, err
	}
	a := &assembly{exports: map[string]exportRef{}}
	for _, s := range read.Stacks {
		st := newStack(s.Template)
		// The artifact's path: the nested assembly's folder, then its ID.
		st.key = keyOf(filepath.ToSlash(filepath.Join(filepath.Dir(s.TemplateFile), s.ID)))
		st.name, st.file = s.Name, filepath.ToSlash(s.TemplateFile)
		st.account, st.region = parseEnvironment("aws://" + s.Account + "/" + s.Region)
		a.stacks = append(a.stacks, st)
	}
	if len(a.stacks) == 0 {
		return nil, fmt.Errorf("%s: the cloud assembly has no CloudFormation stacks", filepath.Join(dir, "manifest.json"))
	}
	sort.Slice(a.stacks, func(i, j int) bool { return a.stacks[i].key < a.stacks[j].key })
	for _, st := range a.stacks {
		a.addNested(dir, st)
	}
	for _, st := range append([]*tmplStack(nil), a.stacks...) {
		a.addStackSets(st)
	}
	sort.Slice(a.stacks, func(i, j int) bool { return a.stacks[i].key < a.stacks[j].key })
	for _, st := range a.stacks {
		s := &scope{a: a, st: st}
		for _, id := range sortedKeys(st.outputs) {
			out, _ := st.outputs[id].(map[string]interface{})
			exp, _ := out["Export"].(map[string]interface{})
			if exp == nil {
				continue
			}
			if name := s.str(exp["Name"]); Resolved(name) {
				a.exports[name] = exportRef{st: st, value: out["Value"]}
			}
		}
	}
	return a, nil
}

// readTemplate reads a template and checks its JSON types
// (cfnfile.Template).
func readTemplate(path string) (map[string]interface{}, error) {
	return cfnfile.Template(path)
}

func newStack(tpl map[string]interface{}) *tmplStack {
	st := &tmplStack{resources: map[string]map[string]interface{}{}}
	res, _ := tpl["Resources"].(map[string]interface{})
	for id, r := range res {
		if m, ok := r.(map[string]interface{}); ok {
			st.resources[id] = m
		}
	}
	st.outputs, _ = tpl["Outputs"].(map[string]interface{})
	st.params, _ = tpl["Parameters"].(map[string]interface{})
	st.mappings, _ = tpl["Mappings"].(map[string]interface{})
	return st
}

// parseEnvironment splits the manifest's "aws://account/region"; CDK writes
// unknown-account and unknown-region for environment-agnostic stacks.
func parseEnvironment(env string) (account, region string) {
	rest, ok := strings.CutPrefix(env, "aws://")
	if !ok {
		return "", ""
	}
	account, region, _ = strings.Cut(rest, "/")
	if !isAccountID(account) {
		account = ""
	}
	if region == "unknown-region" || partitionOf(region) == "" {
		region = ""
	}
	return account, region
}

// keyOf makes a hole scope out of a path: no "|", which ends a scope.
func keyOf(s string) string { return strings.ReplaceAll(s, "|", "/") }

// addNested reads the templates of a stack's nested stacks (CDK writes them
// into the assembly and names the file in the resource's aws:asset:path).
func (a *assembly) addNested(dir string, st *tmplStack) {
	for _, id := range st.resourcesOfType("AWS::CloudFormation::Stack") {
		res := st.resources[id]
		meta, _ := res["Metadata"].(map[string]interface{})
		file, _ := meta["aws:asset:path"].(string)
		if file == "" || !strings.HasSuffix(file, ".json") {
			a.notes = append(a.notes, fmt.Sprintf("%s/%s: nested stack whose template is not in the cloud assembly; not shown", st.name, id))
			continue
		}
		path := filepath.Join(dir, filepath.Dir(st.file), file)
		tpl, err := readTemplate(path)
		if err != nil {
			a.notes = append(a.notes, fmt.Sprintf("%s/%s: nested stack template %s: %v; not shown", st.name, id, file, err))
			continue
		}
		props, _ := res["Properties"].(map[string]interface{})
		n := newStack(tpl)
		n.key, n.name, n.file = st.key+"/"+id, st.name+"/"+id, filepath.ToSlash(filepath.Join(filepath.Dir(st.file), file))
		n.account, n.region = st.account, st.region
		n.parent = st
		n.parentParams, _ = props["Parameters"].(map[string]interface{})
		if st.nested == nil {
			st.nested = map[string]*tmplStack{}
		}
		st.nested[id] = n
		a.stacks = append(a.stacks, n)
		a.addNested(dir, n)
	}
}

// addStackSets adds the instances of each StackSet whose template is inline
// (TemplateBody): one per target account, or one for all accounts of the
// organizational units, where the StackSet's roles and stores are created.
func (a *assembly) addStackSets(st *tmplStack) {
	s := &scope{a: a, st: st}
	for _, id := range st.resourcesOfType("AWS::CloudFormation::StackSet") {
		props, _ := st.resources[id]["Properties"].(map[string]interface{})
		name := s.str(props["StackSetName"])
		var tpl map[string]interface{}
		switch body := props["TemplateBody"].(type) {
		case string:
			if err := json.NewDecoder(bytes.NewReader([]byte(body))).Decode(&tpl); err != nil || cfnfile.CheckTemplate(tpl) != nil {
				a.notes = append(a.notes, fmt.Sprintf("%s/%s: StackSet %s has a template that is not JSON; its resources are not shown", st.name, id, Display(name)))
				continue
			}
		case map[string]interface{}:
			if err := cfnfile.CheckTemplate(body); err != nil {
				a.notes = append(a.notes, fmt.Sprintf("%s/%s: StackSet %s has a template whose %v; its resources are not shown", st.name, id, Display(name), err))
				continue
			}
			tpl = body
		default:
			a.notes = append(a.notes, fmt.Sprintf("%s/%s: StackSet %s has no inline template (TemplateURL); its resources are not shown", st.name, id, Display(name)))
			continue
		}
		groups, _ := props["StackInstancesGroup"].([]interface{})
		if len(groups) == 0 {
			a.notes = append(a.notes, fmt.Sprintf("%s/%s: StackSet %s has no stack instances in its template (a pipeline action may add them); its resources are not shown", st.name, id, Display(name)))
			continue
		}
		for gi, g := range groups {
			gm, _ := g.(map[string]interface{})
			targets, _ := gm["DeploymentTargets"].(map[string]interface{})
			regions := s.strs(gm["Regions"])
			sort.Strings(regions)
			inst := func(account string, ous []string) {
				n := newStack(tpl)
				who := account
				if who == "" {
					who = strings.Join(ous, ",")
				}
				n.key = keyOf(fmt.Sprintf("%s/%s/%d/%s", st.key, id, gi, who))
				n.name, n.stackSet, n.definedIn = name, name, st.name
				n.account, n.ous, n.regions = account, ous, regions
				if account == "" {
					n.accountTag = "an account in " + strings.Join(ous, ", ")
				}
				if len(regions) == 1 {
					n.region = regions[0]
				}
				a.stacks = append(a.stacks, n)
			}
			accounts := s.strs(targets["Accounts"])
			ous := s.strs(targets["OrganizationalUnitIds"])
			sort.Strings(accounts)
			sort.Strings(ous)
			filter := s.str(targets["AccountFilterType"])
			if len(ous) > 0 && (filter == "" || filter == "NONE") {
				inst("", ous)
				continue
			}
			if len(ous) > 0 {
				a.notes = append(a.notes, fmt.Sprintf("%s/%s: StackSet %s targets %s with account filter %s; shown as one instance per listed account", st.name, id, Display(name), strings.Join(ous, ", "), filter))
			}
			for _, acct := range accounts {
				if isAccountID(acct) {
					inst(acct, nil)
				} else {
					a.notes = append(a.notes, fmt.Sprintf("%s/%s: StackSet %s targets account %q, which is not resolved; that instance is not shown", st.name, id, Display(name), Display(acct)))
				}
			}
		}
	}
}

func (a *assembly) export(name string) (*tmplStack, interface{}, bool) {
	e, ok := a.exports[name]
	return e.st, e.value, ok
}
