package delivery

import (
	"fmt"
	"sort"
	"strings"

	"github.com/relaycdk/relay/constructs/limits"
)

// Explain makes a finding of limits.CheckDir on spec's templates say which
// config fields drive the measured value and a fix that shrinks it, true
// for this config (limits.Finding.Field and Fix): an action configuration
// value through the release plan (plan.Pipeline.Explain); the artifact
// stores' bucket and key policies through the instance roles and accounts
// they admit by name; trust and role policies through what grows them for
// that role. A finding it cannot trace comes back unchanged.
func (s *Spec) Explain(f limits.Finding) limits.Finding {
	if s == nil || s.cfg == nil {
		return f
	}
	n := s.Names
	if f.Limit.ID == limits.ActionConfiguration {
		if f.Stack == n.ToolingStack() && s.Plan != nil {
			return s.Plan.Explain(f)
		}
		return f
	}
	var d []driver
	var fixes []string
	switch f.Limit.ID {
	case limits.S3BucketPolicy, limits.KMSKeyPolicy:
		if !strings.HasPrefix(f.Resource, "Artifacts") || !s.isStoreStack(f.Stack) {
			return f
		}
		d, fixes = s.storeDrivers()
	case limits.IAMTrustPolicy:
		d, fixes = s.trustDrivers(f.Physical)
	case limits.IAMRoleInline:
		d, fixes = s.roleDrivers(f.Physical)
	}
	if len(d) == 0 {
		return f
	}
	sort.SliceStable(d, func(i, j int) bool { return d[i].bytes > d[j].bytes })
	var fields, details []string
	for _, x := range d {
		fields = append(fields, x.field)
		if x.bytes > 0 {
			details = append(details, fmt.Sprintf("%s (about %d bytes)", x.what, x.bytes))
		} else {
			details = append(details, x.what)
		}
	}
	f.Field = strings.Join(fields, ", ")
	f.Fix = "it grows with " + strings.Join(details, " and ") + ": " + strings.Join(fixes, "; or ")
	return f
}

// driver is a config field that makes a policy grow.
type driver struct {
	field, what string
	bytes       int
}

// isStoreStack reports whether stack holds an artifact store: the tooling
// stack or a replica's.
func (s *Spec) isStoreStack(stack string) bool {
	if stack == s.Names.ToolingStack() {
		return true
	}
	for _, r := range s.Replicas {
		if stack == s.Names.ToolingStack()+"-"+r.Region {
			return true
		}
	}
	return false
}

// storeDrivers are what grows the artifact stores' bucket and key
// policies: the instance roles they admit by name, and without an
// organization the accounts they admit one by one.
func (s *Spec) storeDrivers() ([]driver, []string) {
	cfg := s.cfg
	var d []driver
	var fixes []string
	if x := cfg.Deploy.CodeDeploy; x != nil && len(x.InstanceRoles) > 0 {
		bytes := 0
		for _, r := range x.InstanceRoles {
			// "arn:<partition>:iam::*:role/<name>", in the ArnLike list.
			bytes += len(fmt.Sprintf(`"arn:%s:iam::*:role/%s",`, s.Names.Partition, r))
		}
		d = append(d, driver{"deploy.codeDeploy.instanceRoles", plural(len(x.InstanceRoles), "instance role") + ", each admitted by its own ARN pattern", bytes})
		fixes = append(fixes, "name fewer instance roles (the CodeDeploy agents of every fleet of an environment can share one instance role), or shorter ones")
	}
	if cfg.Organization == nil {
		accounts := map[string]bool{}
		for _, e := range cfg.Environments {
			if e.Account != "" {
				accounts[e.Account] = true
			}
		}
		if len(accounts) > 0 {
			// {"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::<account>:root"]]} as deployed.
			bytes := len(accounts) * len(`"arn:aws:iam::111111111111:root",`)
			d = append(d, driver{"environments[].account", plural(len(accounts), "account") + " of the environments, each admitted as a principal", bytes})
			fixes = append(fixes, "set organization.id: the policies then admit the organization instead of each account, and keep one size")
		}
	}
	return d, fixes
}

// trustDrivers are what grows the trust policy of the role named role.
func (s *Spec) trustDrivers(role string) ([]driver, []string) {
	cfg, n := s.cfg, s.Names
	raise := "ask AWS Support to raise the role trust policy length quota (up to 4,096 characters)"
	switch {
	case role == n.JobResultsRole() && cfg.Organization == nil:
		count := 0
		for _, e := range cfg.Environments {
			if e.Account != "" {
				count++
			}
		}
		return []driver{{"environments[].account", plural(count, "account") + " of the environments, each a value of its aws:PrincipalAccount condition", count * len(`"111111111111",`)}},
			[]string{"set organization.id: the trust then admits the organization instead of each account", raise}
	case role == n.ApproverRole() && cfg.Pipeline.Approvers != nil:
		p := cfg.Pipeline.Approvers.Principals
		bytes := 0
		for _, a := range p {
			bytes += len(a) + 3
		}
		return []driver{{"pipeline.approvers.principals", plural(len(p), "approver principal"), bytes}},
			[]string{"name fewer approver principals: let your approvers assume one role of yours and name that role", raise}
	}
	return nil, nil
}

// roleDrivers are what grows the inline policies of the role named role.
func (s *Spec) roleDrivers(role string) ([]driver, []string) {
	cfg, n := s.cfg, s.Names
	execution := []driver{{"deploy.executionPolicy.statements", plural(len(cfg.Deploy.ExecutionPolicy.Statements), "execution policy statement"), 0}}
	executionFix := []string{"move statements into customer managed policies (deploy.executionPolicy.managedPolicyArns)", "merge statements with the same actions"}
	if role == n.PipelineRole() {
		return s.pipelineRoleDrivers()
	}
	for i, e := range cfg.Environments {
		envField := fmt.Sprintf("environments[%d]", i)
		switch role {
		case n.ExecutionRole(e.Name), n.StackSetExecutionRole(e.Name):
			return execution, executionFix
		case n.DeployRole(e.Name):
			return []driver{{envField + ".regions", plural(len(e.Regions), "region") + " of " + envField + ", each with the stacks and resources the release acts on", 0}},
				[]string{fmt.Sprintf("deploy %s to fewer regions: split it into environments of fewer regions each", envField)}
		case n.InvokeRole(e.Name):
			return []driver{{"deploy.hooks", plural(len(cfg.Deploy.Hooks), "hook"), 0}, {envField + ".regions", plural(len(e.Regions), "region") + " of " + envField, 0}},
				[]string{"run fewer hooks, or combine them into one Step Functions state machine", fmt.Sprintf("deploy %s to fewer regions", envField)}
		}
	}
	return nil, nil
}

// pipelineRoleDrivers are what grows the pipeline role's policy: one
// project ARN per suite, the sources, one alarm ARN per entry-condition
// alarm, one StackSet ARN per StackSet environment.
func (s *Spec) pipelineRoleDrivers() ([]driver, []string) {
	cfg := s.cfg
	var d []driver
	var fixes []string
	suites := len(cfg.Tests)
	if sc := cfg.SecurityScan; sc != nil {
		suites += len(sc.Scanners)
	}
	if suites > 0 {
		d = append(d, driver{"tests, securityScan.scanners", plural(suites, "test suite or scanner") + ", each a CodeBuild project ARN", 0})
		fixes = append(fixes, "run related suites in one suite (one project)")
	}
	if len(cfg.ExtraSources) > 0 {
		d = append(d, driver{"extraSources", plural(len(cfg.ExtraSources), "extra source"), 0})
		fixes = append(fixes, "use fewer extra sources")
	}
	alarms, stackSets := 0, 0
	for _, e := range cfg.Environments {
		if ec := e.EntryConditions; ec != nil {
			alarms += len(ec.NoAlarms)
		}
		if e.Account == "" && e.StackSetOf == "" {
			stackSets++
		}
	}
	if alarms > 0 {
		d = append(d, driver{"environments[].entryConditions.noAlarms", plural(alarms, "entry-condition alarm") + ", each an alarm ARN", 0})
		fixes = append(fixes, "gate on fewer alarms: combine them into a CloudWatch composite alarm")
	}
	if stackSets > 0 {
		d = append(d, driver{"environments", plural(stackSets, "StackSet environment") + ", each a StackSet ARN", 0})
		fixes = append(fixes, "extend one StackSet with more accounts or organizational units (environments[].stackSetOf)")
	}
	return d, fixes
}

// plural is "1 <thing>" or "n <thing>s" ("test suite or scanner" becomes
// "test suites or scanners").
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	words := strings.Fields(thing)
	for i, w := range words {
		if w != "or" && w != "and" && (i == len(words)-1 || words[i+1] == "or" || words[i+1] == "and") {
			words[i] = w + "s"
		}
	}
	return fmt.Sprintf("%d %s", n, strings.Join(words, " "))
}
