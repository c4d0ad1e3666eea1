package delivery

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/target"
)

// Explain makes a finding of limits.CheckDir on spec's templates say which
// config fields drive the measured value and a fix that shrinks it, true
// for this config (limits.Finding.Field and Fix): an action configuration
// value through the release plan (plan.Pipeline.Explain); the artifact
// stores' bucket and key policies through the instance roles and accounts
// they admit by name; trust and role policies through what grows them for
// that role (a deploy role's by weighing what each of its drivers adds to
// the policy its target props write, with only fixes that alone bring it
// under the limit: deployRoleDrivers); a name that two resources take in
// one AWS scope (limits.CheckUnique) through the fields that compose it
// (explainTaken). A finding it cannot trace comes back unchanged.
func (s *Spec) Explain(f limits.Finding) limits.Finding {
	if s == nil || s.cfg == nil {
		return f
	}
	if kind, caseSensitive := limits.UniqueKind(f.Limit.ID); kind != "" {
		return s.explainTaken(f, kind, caseSensitive)
	}
	n := s.Names
	if f.Limit.ID == limits.ActionConfiguration || f.Limit.ID == limits.VariableReference {
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
		d, fixes = s.trustDrivers(f.Physical, f.Value)
	case limits.IAMRoleInline:
		d, fixes = s.roleDrivers(f)
	}
	if len(d) == 0 {
		return f
	}
	sort.SliceStable(d, func(i, j int) bool { return d[i].bytes > d[j].bytes })
	// The unit of Table's row: a declared quota's What reads
	// "(characters; quota declared raised)".
	unit := "bytes"
	if strings.HasSuffix(limits.ByID(f.Limit.ID).What, "(characters)") {
		unit = "characters"
	}
	var fields, details []string
	for _, x := range d {
		fields = append(fields, x.field)
		if x.bytes > 0 {
			details = append(details, fmt.Sprintf("%s (about %d %s)", x.what, x.bytes, unit))
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

// trustDrivers are what grows the trust policy of the role named role, of
// size characters; the last fix declares a raised quota while AWS allows
// one large enough (quotas.iamRoleTrustPolicyLength).
func (s *Spec) trustDrivers(role string, size int) ([]driver, []string) {
	cfg, n := s.cfg, s.Names
	fixes := func(first string) []string {
		out := []string{first}
		if raise := cfg.DeclaredQuotas().RaiseFix(limits.IAMTrustPolicy, "quotas.iamRoleTrustPolicyLength", size); raise != "" {
			out = append(out, raise)
		}
		return out
	}
	switch {
	case role == n.JobResultsRole() && cfg.Organization == nil:
		count := 0
		for _, e := range cfg.Environments {
			if e.Account != "" {
				count++
			}
		}
		return []driver{{"environments[].account", plural(count, "account") + " of the environments, each a value of its aws:PrincipalAccount condition", count * len(`"111111111111",`)}},
			fixes("set organization.id: the trust then admits the organization instead of each account")
	case role == n.ApproverRole() && cfg.Pipeline.Approvers != nil:
		p := cfg.Pipeline.Approvers.Principals
		return []driver{{"pipeline.approvers.principals", plural(len(p), "approver principal"), approverTrustSize(n.Partition, cfg.Pipeline.Approvers)}},
			fixes("name fewer approver principals: let your approvers assume one role of yours and name that role")
	}
	return nil, nil
}

// roleDrivers are what grows the inline policies of the role of finding f
// (f.Physical names it).
func (s *Spec) roleDrivers(f limits.Finding) ([]driver, []string) {
	cfg, n, role := s.cfg, s.Names, f.Physical
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
			return s.deployRoleDrivers(i, f)
		case n.InvokeRole(e.Name):
			return []driver{{"deploy.hooks", plural(len(cfg.Deploy.Hooks), "hook"), 0}, {envField + ".regions", plural(len(e.Regions), "region") + " of " + envField, 0}},
				[]string{"run fewer hooks, or combine them into one Step Functions state machine", fmt.Sprintf("deploy %s to fewer regions", envField)}
		case n.HookRole(e.Name):
			// The hook role takes statements only (no managed policies):
			// every Lambda hook's statements, in one policy.
			var fields []string
			count := 0
			for k, h := range cfg.Deploy.Hooks {
				if h.Lambda != nil && len(h.Lambda.Statements) > 0 {
					fields = append(fields, fmt.Sprintf("deploy.hooks[%d].lambda.statements", k))
					count += len(h.Lambda.Statements)
				}
			}
			if count > 0 {
				return []driver{{strings.Join(fields, ", "), plural(count, "hook statement") + " of the hook functions' role, one policy for every hook", 0}}, statementFix
			}
		}
		for k, x := range cfg.Deploy.Stacks {
			if x.ExecutionPolicy != nil && role == n.StackExecutionRole(e.Name, x.Name) {
				base := fmt.Sprintf("deploy.stacks[%d].executionPolicy", k)
				return []driver{{base + ".statements", plural(len(x.ExecutionPolicy.Statements), "execution policy statement"), 0}},
					[]string{"move statements into customer managed policies (" + base + ".managedPolicyArns)", "merge statements with the same actions"}
			}
		}
		steps, paths := cfg.StepsOf(i)
		for k, st := range steps {
			if st.CodeBuild != nil && st.CodeBuild.Role != nil && role == n.StepRole(e.Name, st.Name) {
				return []driver{{paths[k] + ".codeBuild.role.statements", plural(len(st.CodeBuild.Role.Statements), "step role statement"), 0}}, statementFix
			}
		}
	}
	return nil, nil
}

// statementFix shrinks the policy of a role that takes statements only
// (a hook role, a step role): no managed policy can take them over.
var statementFix = []string{"merge statements with the same actions (one statement with several resources)", "name resources by a pattern of the workload's names (with a reason) instead of one by one"}

// deployRoleDrivers are what grows the deploy role of environment i, as
// its target props write it (target.Props.DeployPolicySize), each weighed
// by what the policy loses without it: the execution roles of deploy.stacks
// entries of their own (a CreateChangeSet and, with recovery, a DeleteStack
// statement each, and an ARN to pass), the stacks (each ARN in
// ManageDeployedStacks and its role's statements, once per region), the
// regions beyond the first (every stack ARN again, and a store to read) and
// the release strategy's statements. A fix is offered when making it alone
// brings the policy of finding f under the limit, with how far to go: "at
// least m fewer", m counted on the things that save least, so that any m
// of them do. When no fix alone is enough, the advice says so. Nothing is
// traced for an environment without target props.
func (s *Spec) deployRoleDrivers(i int, f limits.Finding) ([]driver, []string) {
	cfg, n := s.cfg, s.Names
	e := cfg.Environments[i]
	envField := fmt.Sprintf("environments[%d]", i)
	props := s.targetProps(e.Name)
	if props == nil {
		return nil, nil
	}
	total := props.DeployPolicySize()
	over := f.Value - f.Limit.Max
	var (
		d      []driver
		fixes  []string
		levers []string // the changes that shrink it, for when none alone is enough
	)
	// weigh adds the driver of things whose removal saves savings each
	// (removable of them at most), and fix(m, each) when removing m of them
	// is enough (m is 0 when the policy only nears the limit: some), each
	// saving each characters on average.
	weigh := func(field, what string, cost int, savings []int, removable int, lever string, fix func(m, each int) string) {
		d = append(d, driver{field, what, cost})
		levers = append(levers, lever)
		sum := 0
		for _, v := range savings {
			sum += v
		}
		if len(savings) == 0 || sum <= 0 {
			return
		}
		each := sum / len(savings)
		if over <= 0 {
			fixes = append(fixes, fix(0, each))
			return
		}
		slices.Sort(savings)
		saved := 0
		for m := 1; m <= removable; m++ {
			if saved += savings[m-1]; saved >= over {
				fixes = append(fixes, fix(m, each))
				return
			}
		}
	}
	less := func(m int) string {
		if m == 0 {
			return "fewer"
		}
		return fmt.Sprintf("at least %d fewer", m)
	}
	all := slices.Clone(props.StackNames)
	for _, r := range props.ExecutionRoles {
		all = append(all, r.StackNames...)
	}
	statements := "ManageDeployedStacks and its execution role's CreateChangeSet statement"
	if props.DeleteFailedStacks {
		statements = "ManageDeployedStacks and its execution role's CreateChangeSet and DeleteStack statements"
	}
	// sharing is p with the stacks of ExecutionRoles[j] under the
	// environment's execution role.
	sharing := func(p target.Props, j int) target.Props {
		p.StackNames = append(slices.Clone(p.StackNames), p.ExecutionRoles[j].StackNames...)
		p.ExecutionRoles = slices.Delete(slices.Clone(p.ExecutionRoles), j, j+1)
		if p.ExecutionRoleName == "" {
			p.ExecutionRoleName = n.ExecutionRole(e.Name)
		}
		return p
	}
	oneRole := *props
	if k := len(props.ExecutionRoles); k > 0 {
		var savings []int
		for j := range props.ExecutionRoles {
			q := sharing(*props, j)
			savings = append(savings, total-q.DeployPolicySize())
		}
		for range props.ExecutionRoles {
			oneRole = sharing(oneRole, 0)
		}
		var own []string
		for _, x := range cfg.Deploy.Stacks {
			if x.ExecutionPolicy != nil && x.IsStack() {
				own = append(own, x.Name)
			}
		}
		what := "a CreateChangeSet statement"
		if props.DeleteFailedStacks {
			what = "CreateChangeSet and DeleteStack statements"
		}
		weigh("deploy.stacks[].executionPolicy",
			fmt.Sprintf("%s of deploy.stacks with an execution role of their own (%s), each with %s of its own and its ARN to pass", entries(k), strings.Join(own, ", "), what),
			total-oneRole.DeployPolicySize(), savings, k, "fewer execution roles of their own",
			func(m, each int) string {
				return fmt.Sprintf("give %s deploy.stacks entries an executionPolicy of their own (about %d characters each): an entry without one deploys with the environment's execution role (deploy.executionPolicy)", less(m), each)
			})
	}
	if names := values.SortedUnique(all); len(cfg.Deploy.Stacks) > 0 && len(names) > 0 {
		// Each stack as one of the one role's: what its ARNs take.
		var savings []int
		size := oneRole.DeployPolicySize()
		for _, name := range names {
			q := oneRole
			q.StackNames = slices.DeleteFunc(slices.Clone(q.StackNames), func(s string) bool { return s == name })
			savings = append(savings, size-q.DeployPolicySize())
		}
		none := oneRole
		none.StackNames, none.StackRegions = nil, nil
		weigh("deploy.stacks",
			fmt.Sprintf("%s in %s, each stack's ARN in %s, once per region it deploys to", plural(len(names), "stack name"), plural(len(e.Regions), "region"), statements),
			size-none.DeployPolicySize(), savings, len(names)-1, "fewer stacks",
			func(m, each int) string {
				return fmt.Sprintf("deploy %s stacks (about %d characters each): merge deploy.stacks entries into fewer stacks (nested stacks deploy with their parent)", less(m), each)
			})
	}
	if r := len(props.Regions); r > 1 {
		// in is p in regions only, with their stores.
		in := func(regions []string) target.Props {
			q := *props
			q.Regions = regions
			q.ArtifactBucketArns = artifactBucketArns(n, cfg.Tooling.Region, regions)
			q.ArtifactKeyArns = artifactKeyArns(n, cfg.Tooling.Region, regions)
			return q
		}
		var savings []int
		for j := range props.Regions {
			q := in(slices.Delete(slices.Clone(props.Regions), j, j+1))
			savings = append(savings, total-q.DeployPolicySize())
		}
		first := in(props.Regions[:1])
		weigh(envField+".regions",
			fmt.Sprintf("%d regions of %s, each with every stack's ARN again and an artifact store to read", r, envField),
			total-first.DeployPolicySize(), savings, r-1, "fewer regions",
			func(m, each int) string {
				to := "fewer regions"
				if m > 0 {
					to = plural(r-m, "region")
					if r-m > 1 {
						to = "at most " + to
					}
				}
				return fmt.Sprintf("deploy %s to %s (about %d characters per region): split it into environments of fewer regions each", envField, to, each)
			})
	}
	if len(props.DeployStatements) > 0 {
		without := *props
		without.DeployStatements = nil
		d = append(d, driver{strategyField(cfg.Deploy), "the release's own statements", total - without.DeployPolicySize()})
	}
	if len(d) == 0 {
		return nil, nil
	}
	if over > 0 && len(fixes) == 0 {
		fix := fmt.Sprintf("no one of these changes alone brings it under the limit (it is %d characters over)", over)
		if len(levers) > 1 {
			fix += ": combine " + strings.Join(levers, ", ")
		}
		if len(cfg.Deploy.Stacks) > 1 {
			fix += ", or split deploy.stacks between Relay configurations (each has deploy roles of its own)"
		}
		fixes = append(fixes, fix)
	}
	return d, fixes
}

// entries is "1 entry" or "n entries".
func entries(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}

// targetProps are the props of the roles of the environment named env, or
// nil when it has none.
func (s *Spec) targetProps(env string) *target.Props {
	for _, t := range s.Targets {
		if t.Environment == env && t.Props != nil {
			return t.Props
		}
	}
	return nil
}

// strategyField is the config path of d's release strategy block (such as
// deploy.ecs or deploy.stacks[2].codeDeploy), or deploy when every
// component is a stack.
func strategyField(d config.Deploy) string {
	for k, x := range d.Components() {
		if x.IsStack() {
			continue
		}
		block := "eks"
		switch {
		case x.ECS != nil:
			block = "ecs"
		case x.ECSBlueGreen != nil:
			block = "ecsBlueGreen"
		case x.CodeDeploy != nil:
			block = "codeDeploy"
		case x.S3 != nil:
			block = "s3"
		}
		if len(d.Stacks) > 0 {
			return fmt.Sprintf("deploy.stacks[%d].%s", k, block)
		}
		return "deploy." + block
	}
	return "deploy"
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

// explainTaken names the config fields that compose a name two resources
// take in one AWS scope (a limits.CheckUnique finding of kind, a
// limits.NameRules key): Field lists the fields that set the colliding
// names apart (not those all of them share, such as name), and Fix which to
// rename, with the names' shapes, such as
// "<name>-test-<suite> (tests[0].name) and <name>-<environment>-helm
// (environments[0].name) compose the same name: rename tests[0].name or
// environments[0].name". A name no config field composes (or composed
// alike twice) keeps the finding's own fix.
func (s *Spec) explainTaken(f limits.Finding, kind string, caseSensitive bool) limits.Finding {
	same := func(a, b string) bool { return a == b || !caseSensitive && strings.EqualFold(a, b) }
	var hits []composed
	for _, c := range s.composed {
		if c.id == kind && same(c.name, f.Name) && !slices.ContainsFunc(hits, func(h composed) bool { return h.shape == c.shape && slices.Equal(h.fields, c.fields) }) {
			hits = append(hits, c)
		}
	}
	if len(hits) < 2 {
		return f
	}
	shared := map[string]int{}
	for _, h := range hits {
		for _, field := range h.fields {
			shared[field]++
		}
	}
	var fields, shapes []string
	for _, h := range hits {
		var own []string
		for _, field := range h.fields {
			if shared[field] < len(hits) {
				own = append(own, field)
				if !slices.Contains(fields, field) {
					fields = append(fields, field)
				}
			}
		}
		shapes = append(shapes, fmt.Sprintf("%s (%s)", h.shape, strings.Join(own, ", ")))
	}
	if len(fields) == 0 {
		return f
	}
	f.Field = strings.Join(fields, ", ")
	f.Fix = strings.Join(shapes, " and ") + " compose the same name: rename " + strings.Join(fields, " or ")
	return f
}

// approverTrustSize is the deployed size of the statements the approver
// role's trust holds for a's principals, as the pipeline writes them
// (pipeline.newApproverRole): one statement per account of the principals,
// naming the account's root and pinning its principals in an
// aws:PrincipalArn condition (none for an account root given), with MFA
// required when a.RequireMFA; commas between statements. Each account
// costs about 140 characters beside its principals' ARNs, so principals of
// many accounts fill the trust policy sooner than their ARNs' length says.
func approverTrustSize(partition string, a *config.Approvers) int {
	byAccount := map[string][]string{}
	roots := map[string]bool{}
	for _, arn := range values.SortedUnique(a.Principals) {
		_, account, root, _ := values.PrincipalARN(arn)
		byAccount[account] = append(byAccount[account], arn)
		roots[account] = roots[account] || root
	}
	size := 0
	for account, arns := range byAccount {
		cond := map[string]interface{}{}
		if !roots[account] {
			cond["ArnEquals"] = map[string]interface{}{"aws:PrincipalArn": values.OneOrMany(arns)}
		}
		if a.RequireMFA {
			cond["Bool"] = map[string]interface{}{"aws:MultiFactorAuthPresent": "true"}
		}
		st := map[string]interface{}{"Action": "sts:AssumeRole", "Effect": "Allow",
			"Principal": map[string]interface{}{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", partition, account)}}
		if len(cond) > 0 {
			st["Condition"] = cond
		}
		raw, _ := json.Marshal(st)
		size += len(raw) + 1
	}
	return size - 1 // no comma after the last
}
