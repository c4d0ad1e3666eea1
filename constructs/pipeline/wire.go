package pipeline

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/crossenv"
	"github.com/relaycdk/relay/constructs/plan"
	"github.com/relaycdk/relay/constructs/target"
	"github.com/relaycdk/relay/internal/iameval"
)

// Wiring by reference.
//
// A deployment's Account may carry the role ARN tokens of a
// target.DeploymentTarget of the same App (target.Account(), or
// *DeployRole().RoleArn() and the like): ValidateIn resolves each to the
// role's ARN and checks, before anything is rendered, that what the pipeline
// assumes is what the target trusts and what the store admits. Other tokens
// (a role or connection of the team's own) are resolved in the pipeline's
// stack to the ARN aws-cdk-lib would write there; a token that stays a
// reference (a resource of the same account and region) is written as is.

// wired is one deployment whose target is a DeploymentTarget.
type wired struct {
	i int
	t *target.DeploymentTarget
}

// resolve returns a copy of p whose ARN tokens are resolved where they can
// be, the deployments that reference a DeploymentTarget, and the problems.
// Without scope (Validate) only the roles of targets are resolved, and
// Replicas are left as they are.
func (p *Props) resolve(scope constructs.Construct) (Props, []wired, []error) {
	q := *p
	var errs []error
	var refs []wired
	var stack awscdk.Stack
	if scope != nil {
		stack = awscdk.Stack_Of(scope)
	}
	partition := p.Partition
	if partition == "" {
		partition = "aws"
	}
	lit := func(field, s string) string {
		if !arns.IsToken(s) {
			return s
		}
		if t, kind, ok := target.Lookup(s); ok {
			if arn := roleText(t, kind); !arns.IsToken(arn) {
				return arn
			}
			errs = append(errs, fmt.Errorf("%s: the target %s is in an environment-agnostic stack, so its role's ARN is not known at synth; give its stack Env{Account} or set target.Props.Account", field, *t.Node().Path()))
			return s
		}
		if stack == nil {
			return s
		}
		if v, ok := literal(stack, s, partition); ok {
			return v
		}
		return s
	}
	q.Deployments = slices.Clone(p.Deployments)
	for i := range q.Deployments {
		d := &q.Deployments[i]
		f := fmt.Sprintf("Deployments[%d].Target", i)
		switch t := d.Target.(type) {
		case *plan.Account:
			if t == nil {
				continue
			}
			var seen *target.DeploymentTarget
			for _, arn := range []string{t.DeployRoleArn, t.ExecutionRoleArn, t.InvokeRoleArn} {
				if x, _, ok := target.Lookup(arn); ok && seen == nil {
					seen = x
				}
			}
			c := *t
			if seen != nil {
				refs = append(refs, wired{i, seen})
				if c.ID == "" {
					c.ID = seen.Props().Account
				}
				errs = append(errs, checkRoles(f, t, seen)...)
			}
			c.DeployRoleArn = lit(f+".DeployRoleArn", c.DeployRoleArn)
			c.ExecutionRoleArn = lit(f+".ExecutionRoleArn", c.ExecutionRoleArn)
			c.InvokeRoleArn = lit(f+".InvokeRoleArn", c.InvokeRoleArn)
			d.Target = &c
		case *plan.StackSetAccounts:
			if t == nil {
				continue
			}
			c := *t
			c.AdministrationRoleArn = lit(f+".AdministrationRoleArn", c.AdministrationRoleArn)
			d.Target = &c
		}
	}
	if s, ok := p.Source.(*plan.ConnectionSource); ok && s != nil {
		c := *s
		c.ConnectionArn = lit("Source.ConnectionArn", c.ConnectionArn)
		q.Source = &c
	}
	q.ExtraSources = slices.Clone(p.ExtraSources)
	for i, x := range q.ExtraSources {
		if s, ok := x.Source.(*plan.ConnectionSource); ok && s != nil {
			c := *s
			c.ConnectionArn = lit(fmt.Sprintf("ExtraSources[%d].Source.ConnectionArn", i), c.ConnectionArn)
			q.ExtraSources[i].Source = &c
		}
	}
	if len(p.Replicas) > 0 && stack != nil {
		account := *stack.Account()
		if arns.IsToken(account) {
			account = ""
		}
		q.Replicas = make(map[string]Replica, len(p.Replicas))
		for _, r := range sortedRegions(p.Replicas) {
			rep := p.Replicas[r]
			// The names are written as text in the pipeline's artifact
			// stores and its role's policy, in the replica region's terms.
			for _, n := range []struct {
				field, helper string
				v             *string
			}{{"BucketName", "ArtifactBucket", &rep.BucketName}, {"KeyAlias", "ArtifactKeyAlias", &rep.KeyAlias}} {
				if *n.v = lit(fmt.Sprintf("Replicas[%q].%s", r, n.field), *n.v); arns.IsToken(*n.v) {
					errs = append(errs, fmt.Errorf("Replicas[%q].%s %q: a token that stays a reference at synth; the pipeline names its replica of %s by text (its artifact store, its role's policy), where a reference does not resolve: give the name as text (naming.Names.%s) or the replica's Store", r, n.field, *n.v, r, n.helper))
				}
			}
			rep, problems := resolveReplica(r, rep, account)
			q.Replicas[r] = rep
			errs = append(errs, problems...)
		}
	}
	q.ApproverPrincipals = slices.Clone(p.ApproverPrincipals)
	for i, a := range q.ApproverPrincipals {
		q.ApproverPrincipals[i] = lit(fmt.Sprintf("ApproverPrincipals[%d]", i), a)
	}
	return q, refs, errs
}

// roleText is the plain ARN of t's role of kind.
func roleText(t *target.DeploymentTarget, kind string) string {
	switch kind {
	case "deploy":
		return t.DeployRoleArn()
	case "execution":
		return t.ExecutionRoleArn()
	}
	return t.InvokeRoleArn()
}

// checkRoles checks that the roles of the Account a (at field f) are those
// of target t, each in its place.
func checkRoles(f string, a *plan.Account, t *target.DeploymentTarget) []error {
	var errs []error
	path := *t.Node().Path()
	if acct := t.Props().Account; a.ID != "" && !arns.IsToken(acct) && a.ID != acct {
		errs = append(errs, fmt.Errorf("%s.ID %q: the target %s is in account %s; set ID to %s or leave it empty", f, a.ID, path, acct, acct))
	}
	for _, r := range []struct{ field, arn, kind string }{
		{"DeployRoleArn", a.DeployRoleArn, "deploy"},
		{"ExecutionRoleArn", a.ExecutionRoleArn, "execution"},
		{"InvokeRoleArn", a.InvokeRoleArn, "invoke"},
	} {
		if r.arn == "" {
			continue
		}
		want := roleText(t, r.kind)
		if x, kind, ok := target.Lookup(r.arn); ok {
			switch {
			case x != t:
				errs = append(errs, fmt.Errorf("%s.%s: a role of the target %s, while the others are of %s; take every role of a deployment from one target (target.Account())", f, r.field, *x.Node().Path(), path))
			case kind != r.kind:
				errs = append(errs, fmt.Errorf("%s.%s: the %s role of the target %s; use its %s role (%sRole().RoleArn())", f, r.field, kind, path, r.kind, strings.ToUpper(r.kind[:1])+r.kind[1:]))
			}
			continue
		}
		if !arns.IsToken(r.arn) && r.arn != want {
			if want == "" {
				errs = append(errs, fmt.Errorf("%s.%s %q: the target %s has no %s role", f, r.field, r.arn, path, r.kind))
			} else {
				errs = append(errs, fmt.Errorf("%s.%s %q: the target %s's %s role is %s", f, r.field, r.arn, path, r.kind, want))
			}
		}
	}
	return errs
}

// literal resolves the token s in stack to a plain string: what aws-cdk-lib
// writes for it there, when that is a string or an Fn::Join of strings and
// the partition (a resource of another account or region with a physical
// name). ok is false for a reference (Ref, Fn::GetAtt, Fn::ImportValue).
func literal(stack awscdk.Stack, s, partition string) (out string, ok bool) {
	defer func() {
		if recover() != nil {
			out, ok = "", false
		}
	}()
	v := stack.Resolve(jsii.String(s))
	switch x := v.(type) {
	case string:
		return x, !arns.IsToken(x)
	case map[string]interface{}:
		join, found := x["Fn::Join"].([]interface{})
		if !found || len(join) != 2 {
			return "", false
		}
		sep, _ := join[0].(string)
		parts, _ := join[1].([]interface{})
		var b []string
		for _, part := range parts {
			switch y := part.(type) {
			case string:
				b = append(b, y)
			case map[string]interface{}:
				if y["Ref"] != "AWS::Partition" {
					return "", false
				}
				b = append(b, partition)
			default:
				return "", false
			}
		}
		return strings.Join(b, sep), true
	}
	return "", false
}

// roleArn is the pipeline role's ARN as plain text, or "" when its name is
// generated, the stack's account is unknown, or RoleName or RolePath is a
// token that resolves to no text in stack (then unknown names that field:
// the pipeline role's ARN is not known at synth). A token that resolves to
// text (a Lazy string) counts as that text.
func (p *Props) roleArn(stack awscdk.Stack) (arn, unknown string) {
	name, path := p.RoleName, p.RolePath
	for _, x := range []struct {
		field string
		v     *string
	}{{"RoleName", &name}, {"RolePath", &path}} {
		if !arns.IsToken(*x.v) {
			continue
		}
		if v, ok := literal(stack, *x.v, p.Partition); ok {
			*x.v = v
		} else if unknown == "" {
			unknown = x.field
		}
	}
	account := *stack.Account()
	if name == "" || unknown != "" || arns.IsToken(account) {
		return "", unknown
	}
	return fmt.Sprintf("arn:%s:iam::%s:role%s%s", p.Partition, account, path, name), ""
}

// checkWiring checks each deployment wired by reference (p resolved, with
// defaults): the target trusts the pipeline role (whose RoleName and
// RolePath must be known at synth: as text, or tokens that resolve to
// text; else the trust cannot be proven and is refused, naming the field
// and the fix), deploys to the
// deployment's regions and stacks, each stack through the execution role
// the target deploys it with (target.DeploymentTarget.StackExecutionRoleArn;
// a role given as an unresolved token is not compared), and reads the store
// and replicas, which admit its deploy role.
func (p *Props) checkWiring(stack awscdk.Stack, refs []wired) []error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	region, account := *stack.Region(), *stack.Account()
	pipelineRole, unknown := p.roleArn(stack)
	// Every deploy role named as text, wired by reference or not, must be
	// admitted by the store it reads in the pipeline's region.
	byRef := map[int]bool{}
	for _, w := range refs {
		byRef[w.i] = true
	}
	for i, d := range p.Deployments {
		a, ok := d.Target.(*plan.Account)
		if !ok || a == nil || byRef[i] || a.DeployRoleArn == "" || arns.IsToken(a.DeployRoleArn) {
			continue
		}
		if slices.Contains(d.Regions, region) {
			if err := p.Store.Admits(a.DeployRoleArn); err != nil {
				add("Store: %v; Deployments[%d] deploys as that role (Target.DeployRoleArn)", err, i)
			}
		}
		for _, r := range d.Regions {
			if rep := p.Replicas[r]; r != region && rep.Store != nil {
				if err := rep.Store.Admits(a.DeployRoleArn); err != nil {
					add("Replicas[%q].Store: %v; Deployments[%d] deploys as that role in %s (Target.DeployRoleArn)", r, err, i, r)
				}
			}
		}
	}
	for _, w := range refs {
		d, t, tp := p.Deployments[w.i], w.t, w.t.Props()
		path := *t.Node().Path()
		f := fmt.Sprintf("Deployments[%d]", w.i)
		// Trust: the target's roles trust PipelineAccount, pinned to PipelineRoleArns.
		switch {
		case !arns.IsToken(account) && tp.PipelineAccount != account:
			add("%s.Target: the target %s trusts the pipeline account %s (its PipelineAccount), but the pipeline's stack is in account %s", f, path, tp.PipelineAccount, account)
		case p.RoleName == "":
			// reported by checkTargets
		case unknown != "" && !slices.ContainsFunc(tp.PipelineRoleArns, arns.IsToken):
			value := p.RoleName
			if unknown == "RolePath" {
				value = p.RolePath
			}
			add("%s %q: a token that stays a reference at synth, so the pipeline role's ARN is not known there and cannot be proven to be one the target %s trusts (its PipelineRoleArns %s) for %s; give %s as text (naming.Names.%s, as the target's PipelineRoleArns do), or give %s.Target in its string form (&pipeline.Account{ID, DeployRoleArn, ExecutionRoleArn} of plain ARNs, not checked: keep the names in step yourself)",
				unknown, value, path, strings.Join(tp.PipelineRoleArns, ", "), f, unknown, map[string]string{"RoleName": "PipelineRole", "RolePath": "RolePath"}[unknown], f)
		case pipelineRole != "" && !slices.ContainsFunc(tp.PipelineRoleArns, func(a string) bool { return arns.IsToken(a) || arns.Like(a, pipelineRole) }):
			add("RoleName %q, RolePath %q: the pipeline role %s is not one the target %s trusts (its PipelineRoleArns %s), so sts:AssumeRole of %s would be refused; make them agree (naming.Names.PipelineRoleArn)", p.RoleName, p.RolePath, pipelineRole, path, strings.Join(tp.PipelineRoleArns, ", "), f)
		}
		acct, _ := d.Target.(*plan.Account)
		if acct == nil {
			continue
		}
		for _, r := range d.Regions {
			if acct.DeployRoleArn == "" || t.DeployRoleArn() == "" {
				continue
			}
			// Reading the artifacts of the region: the store, or a replica.
			var bucket, keyProbe, storeName string
			switch rep, isReplica := p.Replicas[r]; {
			case r == region || arns.IsToken(region):
				bucket, storeName = p.Store.BucketArnText(), "Store"
				if k := p.Store.KeyArnPattern(); k != "" {
					keyProbe = strings.TrimSuffix(k, "*")
				}
				if err := p.Store.Admits(t.DeployRoleArn()); err != nil {
					add("Store: %v; %s deploys as that role", err, f)
				}
			case isReplica:
				bucket, storeName = fmt.Sprintf("arn:%s:s3:::%s", p.Partition, rep.BucketName), fmt.Sprintf("Replicas[%q]", r)
				if rep.Store != nil {
					if err := rep.Store.Admits(t.DeployRoleArn()); err != nil {
						add("Replicas[%q].Store: %v; %s deploys as that role in %s", r, err, f, r)
					}
				}
				if !arns.IsToken(account) {
					keyProbe = fmt.Sprintf("arn:%s:kms:%s:%s:key/", p.Partition, r, account)
				}
			default:
				continue // refused by checkRegions
			}
			reads := func(list []string, ok func(string) bool) bool { return slices.ContainsFunc(list, ok) }
			if bucket == "" {
				if !reads(tp.ArtifactBucketArns, func(b string) bool { return b == *p.Store.Bucket().BucketArn() }) {
					add("%s: its bucket name is generated, so the target %s cannot name it; set artifacts.StoreProps.BucketName and give the store in the target's Stores", storeName, path)
				}
			} else if !reads(tp.ArtifactBucketArns, func(b string) bool { return arns.IsToken(b) || arns.Like(b, bucket) }) {
				add("%s: the target %s's roles read the buckets %s, not %s, which %s deploys from; add it to the target's ArtifactBucketArns (or the store to its Stores)", storeName, path, strings.Join(tp.ArtifactBucketArns, ", "), bucket, f)
			}
			if keyProbe != "" && !reads(tp.ArtifactKeyArns, func(k string) bool {
				return arns.IsToken(k) || strings.HasPrefix(k, keyProbe) || arns.Like(k, keyProbe+"00000000-0000-0000-0000-000000000000")
			}) {
				add("%s: the target %s's roles decrypt with the keys %s, none of them the artifact key (%s*), which %s needs; add the key's ARN or that pattern to the target's ArtifactKeyArns (or the store to its Stores)", storeName, path, strings.Join(tp.ArtifactKeyArns, ", "), keyProbe, f)
			}
		}
	}
	return errs
}

// checkTargets checks each deployment wired by reference against its
// target, as far as neither needs the pipeline's stack: RoleName is set
// (the target's trust names the pipeline role by ARN), and each stack the
// deployment releases is one the target's deploy role may manage, in that
// region, passing the execution role the target deploys it with. Validate
// and ValidateIn both run it.
func (p *Props) checkTargets(refs []wired) []error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	errs = append(errs, sameRoleNames(refs)...)
	for _, w := range refs {
		d, t, tp := p.Deployments[w.i], w.t, w.t.Props()
		path := *t.Node().Path()
		f := fmt.Sprintf("Deployments[%d]", w.i)
		if p.RoleName == "" {
			add("RoleName: required when a deployment's target is wired by reference (%s.Target, %s): the target's trust names the pipeline role by ARN (PipelineRoleArns %s); use naming.Names.PipelineRole for both", f, path, strings.Join(tp.PipelineRoleArns, ", "))
		}
		acct, _ := d.Target.(*plan.Account)
		if acct == nil {
			continue
		}
		stacks, regionRefused, stackRefused := t.StackNames(), map[string]bool{}, map[string]bool{}
		for _, r := range d.Regions {
			for k, c := range d.ComponentsIn(r) {
				s, ok := c.Release.(*plan.Stack)
				if !ok || s == nil {
					continue
				}
				field := f + ".Release"
				if len(d.Components) > 0 {
					field = fmt.Sprintf("%s.Components[%d].Release", f, k)
				}
				switch {
				case slices.Contains(tp.Regions, r) || regionRefused[r]:
				case slices.ContainsFunc(tp.Regions, arns.IsToken):
					// Adding r would not help: the token is what hides it.
					regionRefused[r] = true
					add("%s.Regions %q: the target %s's Regions (%s) hold a token (such as awscdk.Aws_REGION()), which stays unknown at synth, so its deploy role cannot be shown to manage stacks in %s; give the target's Regions as text, such as %s (a stack's Region() is text when its Env names the region)", f, r, path, strings.Join(tp.Regions, ", "), r, r)
				default:
					regionRefused[r] = true
					add("%s.Regions %q: the target %s's deploy role may manage stacks in %s only; add %s to its Regions", f, r, path, strings.Join(tp.Regions, ", "), r)
				}
				if !slices.Contains(stacks, s.Name) && !stackRefused[field+s.Name] {
					stackRefused[field+s.Name] = true
					add("%s.Name %q: the target %s's deploy role may manage the stacks %s only; add %s to its StackNames", field, s.Name, path, strings.Join(stacks, ", "), s.Name)
				}
				if only, ok := tp.StackRegions[s.Name]; ok && !slices.Contains(only, r) && !stackRefused[field+s.Name+"@"+r] {
					stackRefused[field+s.Name+"@"+r] = true
					add("%s.Name %q: the target %s's deploy role may manage %s in %s only (its StackRegions), not in %s; add %s to StackRegions[%q]", field, s.Name, path, s.Name, strings.Join(only, ", "), r, r, s.Name)
				}
				// The change set passes the stack's role, else the target's
				// ExecutionRoleArn (checkRoles reports one that is not the
				// target's execution role); the deploy role creates it only
				// passing the role the target deploys that stack with.
				passed, passedField := acct.ExecutionRoleArn, f+".Target.ExecutionRoleArn"
				if s.ExecutionRoleArn != "" {
					passed, passedField = s.ExecutionRoleArn, field+".ExecutionRoleArn"
				} else if passed != t.ExecutionRoleArn() {
					passed = ""
				}
				if want := t.StackExecutionRoleArn(s.Name); want != "" && passed != "" && !arns.IsToken(want) && !arns.IsToken(passed) &&
					passed != want && !stackRefused[field+s.Name+" as "+passed] {
					stackRefused[field+s.Name+" as "+passed] = true
					add("%s %q: the target %s's deploy role creates change sets of %s only passing the execution role it deploys %s with, %s; set %s.ExecutionRoleArn to that role", passedField, passed, path, s.Name, s.Name, want, field)
				}
			}
		}
	}
	return errs
}

// checkInvokeGrants checks, for each deployment wired by reference, that
// the invoke role of its target may call what each of its Lambda and Step
// Functions invoke actions calls as that role: lambda:InvokeFunction on the
// function, states:StartExecution on the state machine, in the action's
// region and the target's account. The target's InvokeStatements are the
// team's own, and an action whose function or state machine they do not
// name fails with AccessDenied when it runs. A statement's conditions are
// not read (they only narrow it: one that names the resource counts as
// granting), and an action or resource given as a token counts as granting
// (statementsPolicy, as checkDeployGrants reads DeployStatements).
// pipelineRegion is the region of an action without one ("" when not known).
func (p *Props) checkInvokeGrants(pipelineRegion string, planned *plan.Pipeline, refs []wired) []error {
	var errs []error
	seen := map[string]bool{}
	for _, w := range wiredActions(planned, refs) {
		a, t := w.action, w.target
		if a.RoleArn == "" || a.RoleArn != t.InvokeRoleArn() {
			continue
		}
		tp := t.Props()
		region := cmp.Or(a.Region, pipelineRegion)
		if region == "" || arns.IsToken(region) || arns.IsToken(tp.Account) {
			continue
		}
		var action, arn, field, name string
		switch k := a.Kind.(type) {
		case *plan.InvokeLambda:
			action, name, field = "lambda:InvokeFunction", k.Invoke.Function, ".Invoke.Function"
			arn = fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", tp.Partition, region, tp.Account, name)
		case *plan.InvokeStepFunctions:
			action, name, field = "states:StartExecution", k.Invoke.StateMachine, ".Invoke.StateMachine"
			arn = fmt.Sprintf("arn:%s:states:%s:%s:stateMachine:%s", tp.Partition, region, tp.Account, name)
		default:
			continue
		}
		if seen[a.Field+arn] {
			continue
		}
		seen[a.Field+arn] = true
		call := iameval.Path{Request: iameval.Request{Principal: iameval.Principal{ARN: a.RoleArn}, Action: action, Resource: arn}}
		if !statementsPolicy("InvokeStatements", tp.InvokeStatements).Granted(call) {
			errs = append(errs, fmt.Errorf("%s%s %q: the action %s calls %s on %s as the invoke role of the target %s, whose InvokeStatements do not grant it, so it would fail with AccessDenied when it runs; add a statement with %s on %s to that target's InvokeStatements",
				a.Field, field, name, a.Name, action, arn, *t.Node().Path(), action, arn))
		}
	}
	return errs
}

// checkInvokeReads checks, for each deployment wired by reference, that an
// invoke action with an input artifact (a Step Functions hook with an
// InputFile: CodePipeline reads the artifact as the action's role) runs as
// an invoke role that may read the pipeline's artifacts: the target's
// InvokeReadsArtifacts, without which its invoke role has no grant on the
// store, and the action fails when it runs.
func (p *Props) checkInvokeReads(planned *plan.Pipeline, refs []wired) []error {
	var errs []error
	seen := map[string]bool{}
	for _, w := range wiredActions(planned, refs) {
		a, t := w.action, w.target
		if _, invoke := a.Kind.(*plan.InvokeStepFunctions); !invoke || len(a.Inputs) == 0 || seen[a.Field] {
			continue
		}
		seen[a.Field] = true
		if !t.Props().InvokeReadsArtifacts {
			errs = append(errs, fmt.Errorf("%s.Invoke.InputFile: the action %s reads its input file from the artifact %s as the invoke role of the target %s, which may not read the artifact store; set InvokeReadsArtifacts in that target's props (target.Props.InvokeReadsArtifacts), and admit its invoke role to the store's readers (artifacts.Readers.RoleArnPatterns)",
				a.Field, a.Name, a.Inputs[0], *t.Node().Path()))
			continue
		}
		store, name := p.Store, "Store"
		if rep, isReplica := p.Replicas[a.Region]; isReplica && a.Region != "" {
			store, name = rep.Store, fmt.Sprintf("Replicas[%q].Store", a.Region)
		}
		if arn := t.InvokeRoleArn(); store != nil && arn != "" && !arns.IsToken(arn) {
			if err := store.Admits(arn); err != nil {
				errs = append(errs, fmt.Errorf("%s: %v; %s.Invoke.InputFile is read as that role", name, err, a.Field))
			}
		}
	}
	return errs
}

// checkNames checks what p names by text, wired by reference or not: each
// region is an AWS region of Partition, and DeployRolePatterns and
// InvokeRolePatterns match every role the pipeline assumes.
func (p *Props) checkNames() []error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	partition := p.Partition
	if partition == "" {
		partition = "aws"
	} else if !slices.Contains(arns.Partitions, partition) {
		add("Partition %q: must be one of %s", partition, strings.Join(arns.Partitions, ", "))
	}
	for i, d := range p.Deployments {
		for j, r := range d.Regions {
			if arns.IsToken(r) {
				// The plan names each region's actions, variable namespace
				// and artifact store by the region's text.
				add("Deployments[%d].Regions[%d] %q: a token (such as awscdk.Aws_REGION() or a stack's Region()), which stays unknown at synth, where the pipeline names each region's actions, variables and artifact store; give the region as text, such as us-east-1", i, j, r)
			} else if why := arns.CheckRegion(r, partition); why != "" {
				add("Deployments[%d].Regions[%d] %q: %s", i, j, r, why)
			}
		}
		a, ok := d.Target.(*plan.Account)
		if !ok || a == nil {
			continue
		}
		for _, r := range []struct {
			field, arn string
			patterns   []string
			name       string
		}{
			{"DeployRoleArn", a.DeployRoleArn, p.DeployRolePatterns, "DeployRolePatterns"},
			{"InvokeRoleArn", a.InvokeRoleArn, p.InvokeRolePatterns, "InvokeRolePatterns"},
		} {
			if r.arn == "" || arns.IsToken(r.arn) || len(r.patterns) == 0 || !validPatterns(r.patterns, partition) {
				continue
			}
			// A pattern given as a token is known only at deploy time.
			if !slices.ContainsFunc(r.patterns, func(pat string) bool { return arns.IsToken(pat) || arns.Like(pat, r.arn) }) {
				add("%s %s: none matches Deployments[%d].Target.%s %q, so the pipeline role may not assume it; add a pattern that does, or rename the role", r.name, strings.Join(r.patterns, ", "), i, r.field, r.arn)
			}
		}
	}
	for _, r := range sortedRegions(p.Replicas) {
		if why := arns.CheckRegion(r, partition); why != "" {
			add("Replicas[%q]: %s", r, why)
		}
	}
	// A pattern that is no role ARN lets the pipeline role assume nothing,
	// even when every role it would match is a token.
	for _, f := range []struct {
		name     string
		patterns []string
	}{{"DeployRolePatterns", p.DeployRolePatterns}, {"InvokeRolePatterns", p.InvokeRolePatterns}} {
		for j, pat := range f.patterns {
			if why := arns.CheckRolePattern(pat, partition); why != "" {
				add("%s[%d] %q: %s", f.name, j, pat, why)
			}
		}
	}
	return errs
}

// validPatterns reports whether every pattern is a role ARN pattern of
// partition (checkNames reports those that are not).
func validPatterns(patterns []string, partition string) bool {
	return !slices.ContainsFunc(patterns, func(p string) bool { return arns.CheckRolePattern(p, partition) != "" })
}

// checkRegions reports an account deployment whose region is neither the
// pipeline's nor one of Replicas (CodePipeline needs an artifact store
// there), a replica of the pipeline's own region (it would replace Store as
// that region's artifact store), and, in an environment-agnostic stack,
// each deployment with actions in a named region (aws-cdk-lib renders such
// a pipeline only in a stack of a known region).
func (p *Props) checkRegions(stack awscdk.Stack, planned *plan.Pipeline) []error {
	if planned == nil {
		return nil
	}
	region := *stack.Region()
	var errs []error
	if arns.IsToken(region) {
		for _, st := range planned.Stages {
			for _, a := range st.Actions {
				if a.Region == "" {
					continue
				}
				field := a.Field
				if a.Deployment >= 0 {
					field = fmt.Sprintf("Deployments[%d].Regions", a.Deployment)
				}
				errs = append(errs, fmt.Errorf("%s %q: the pipeline's stack %s has no region (an environment-agnostic stack), and a pipeline with actions in named regions needs its own (aws-cdk-lib refuses it otherwise); give the stack Env{Account, Region}", field, a.Region, *stack.StackName()))
			}
		}
		return slices.CompactFunc(errs, func(a, b error) bool { return a.Error() == b.Error() })
	}
	if _, ok := p.Replicas[region]; ok {
		errs = append(errs, fmt.Errorf("Replicas[%q]: the pipeline's own region, whose artifacts are in Store; CodePipeline would keep them in this replica's bucket instead, which the targets do not read; remove the entry", region))
	}
	// A typo in the stack's own region shows here first: say so.
	hint := ""
	if why := arns.CheckRegion(region, ""); why != "" {
		hint = fmt.Sprintf("; the pipeline's stack's region %q: %s", region, why)
	}
	for _, st := range planned.Stages {
		for _, a := range st.Actions {
			if _, ok := p.Replicas[a.Region]; a.Region != "" && a.Region != region && !ok {
				errs = append(errs, fmt.Errorf("Deployments[%d].Regions %q: must be the pipeline's region %s or a region of Replicas%s", a.Deployment, a.Region, region, hint))
			}
		}
	}
	return slices.CompactFunc(errs, func(a, b error) bool { return a.Error() == b.Error() })
}

// checkSourceRoles reports a source whose RoleArn is a role of the
// pipeline's own account: a source there is read by the pipeline role, and
// a source role would only widen who may write artifacts.
func (p *Props) checkSourceRoles(stack awscdk.Stack, planned *plan.Pipeline) []error {
	account := *stack.Account()
	if arns.IsToken(account) || planned == nil || len(planned.Stages) == 0 {
		return nil
	}
	var errs []error
	for _, a := range planned.Stages[0].Actions {
		if a.RoleArn != "" && a.Account == account {
			errs = append(errs, fmt.Errorf("%s.RoleArn %q: is a role of the pipeline's account %s; a source of this account needs no source role: remove RoleArn", a.Field, a.RoleArn, account))
		}
	}
	return errs
}

// checkCreated reports a Store or a Replicas[r].Store that artifacts.NewStore
// did not return (artifacts.Store.Created: a zero &artifacts.Store{}), which
// every later check would read as a construct: like a nil scope, it is
// reported alone.
func (p *Props) checkCreated() error {
	var errs []error
	if p.Store != nil && !p.Store.Created() {
		errs = append(errs, errors.New("Store: "+artifacts.NotCreated))
	}
	for _, r := range sortedRegions(p.Replicas) {
		if s := p.Replicas[r].Store; s != nil && !s.Created() {
			errs = append(errs, fmt.Errorf("Replicas[%q].Store: %s", r, artifacts.NotCreated))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("pipeline.Props: %w", errors.Join(errs...))
}

// sameRoleNames reports two targets wired by reference (two
// target.New, such as two stacks of one account given the same
// environment's names) whose deploy, execution or invoke roles have the
// same name in one account: IAM role names are unique in an account,
// whatever their path, and compared without regard to case
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html),
// so the second stack would fail to deploy. One target given to several
// deployments is not a conflict.
func sameRoleNames(refs []wired) []error {
	type first struct {
		w    wired
		kind string
	}
	seen := map[string]first{}
	var errs []error
	for _, w := range refs {
		for _, kind := range []string{"deploy", "execution", "invoke"} {
			arn := roleText(w.t, kind)
			account, _, name, err := arns.Role(arn)
			if arn == "" || err != nil || arns.IsToken(arn) {
				continue
			}
			key := account + "/" + strings.ToLower(name)
			f, ok := seen[key]
			switch {
			case !ok:
				seen[key] = first{w, kind}
			case f.w.t != w.t:
				errs = append(errs, fmt.Errorf("Deployments[%d].Target: the target %s's %s role %s has the name of the %s role of the target %s (Deployments[%d]) in account %s, and IAM role names are unique in an account, whatever their path (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html), so the second stack would fail to deploy; give the targets the names of different environments (naming.Names), or give both deployments one target",
					w.i, *w.t.Node().Path(), kind, name, f.kind, *f.w.t.Node().Path(), f.w.i, account))
			}
		}
	}
	return errs
}

// checkCycles reports a target wired by reference, or a replica store,
// whose stack already depends on the pipeline's stack, directly or through
// other stacks (Stack.AddDependency, AddStackDependency): New makes the
// pipeline's stack depend on it (dependOn), so that the roles and the
// replica bucket exist before the pipeline first runs, and aws-cdk-lib
// refuses the cycle in a message that names no field (DependencyCycle).
// The dependencies that cross-stack references add are made at synth, after
// New, and are not seen here. Stacks of another App are checkApps'.
func (p *Props) checkCycles(stack awscdk.Stack, refs []wired) []error {
	own := *stack.Node().Path()
	root := stack.Node().Root()
	seen := map[string]bool{}
	check := func(field, what string, c constructs.Construct) error {
		if c.Node().Root() != root {
			return nil
		}
		other := awscdk.Stack_Of(c)
		path := *other.Node().Path()
		if path == own || seen[path] {
			return nil
		}
		seen[path] = true
		chain := dependencyChain(other, own)
		if chain == nil {
			return nil
		}
		return fmt.Errorf("%s: the stack %s of %s depends on the pipeline's stack %s (%s), and the pipeline's stack must depend on it so that %s before the pipeline runs, a cycle aws-cdk-lib refuses; remove that dependency, or move what needs the pipeline into a stack that %s does not depend on",
			field, path, *c.Node().Path(), own, strings.Join(chain, " -> "), what, path)
	}
	var errs []error
	for _, w := range refs {
		if err := check(fmt.Sprintf("Deployments[%d].Target", w.i), "the target's roles are created", w.t.Construct); err != nil {
			errs = append(errs, err)
		}
	}
	for _, r := range sortedRegions(p.Replicas) {
		if s := p.Replicas[r].Store; s != nil {
			if err := check(fmt.Sprintf("Replicas[%q].Store", r), "the replica bucket is created", s.Construct); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errs
}

// dependencyChain is the chain of stack paths from from to the stack whose
// path is to, following the stacks' dependencies (Stack.Dependencies), or
// nil when from does not depend on it.
func dependencyChain(from awscdk.Stack, to string) []string {
	type step struct {
		stack awscdk.Stack
		chain []string
	}
	visited := map[string]bool{}
	queue := []step{{from, []string{*from.Node().Path()}}}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, d := range *s.stack.Dependencies() {
			path := *d.Node().Path()
			chain := append(slices.Clone(s.chain), path)
			if path == to {
				return chain
			}
			if !visited[path] {
				visited[path] = true
				queue = append(queue, step{d, chain})
			}
		}
	}
	return nil
}

// checkApps reports a store, a replica store or a target wired by
// reference that is in another App than the pipeline's stack: aws-cdk-lib
// refuses a reference or a stack dependency across Apps (at New or at
// synth), in a message that names no field.
func (p *Props) checkApps(stack awscdk.Stack, refs []wired) []error {
	root := stack.Node().Root()
	other := func(c constructs.IConstruct) bool { return c.Node().Root() != root }
	const why = "is in another App than the pipeline's stack %s, and aws-cdk-lib cannot reference across Apps; "
	var errs []error
	if p.Store != nil && other(p.Store) {
		errs = append(errs, fmt.Errorf("Store: the store %s "+why+"create the store in the pipeline's App", *p.Store.Node().Path(), *stack.StackName()))
	}
	for _, r := range sortedRegions(p.Replicas) {
		if s := p.Replicas[r].Store; s != nil && other(s) {
			errs = append(errs, fmt.Errorf("Replicas[%q].Store: the store %s "+why+"create the store in the pipeline's App, or give its BucketName and KeyAlias instead", r, *s.Node().Path(), *stack.StackName()))
		}
	}
	for _, w := range refs {
		if other(w.t) {
			errs = append(errs, fmt.Errorf("Deployments[%d].Target: the target %s "+why+"give the target in its string form (&pipeline.Account{ID, DeployRoleArn, ExecutionRoleArn} of plain ARNs, from naming.Names), or create it in the pipeline's App", w.i, *w.t.Node().Path(), *stack.StackName()))
		}
	}
	return errs
}

// checkRelayStacks reports a target wired by reference whose RelayStacks
// (target.Props.RelayStacks; by default only the stack that holds the
// target) leave out a stack of the pipeline's App in the target's account
// that holds Relay's constructs: the pipeline's stack, the store's, a
// replica store's, another wired target's. The target's execution roles
// and the roles its stacks create under its permissions boundary could
// update or delete such a stack whenever their statements grant
// CloudFormation actions on it, and CloudFormation would run the change as
// the stack's service role, the CDK bootstrap's cfn-exec-role
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html).
// A stack whose account is not known at synth, and a target without an
// execution role (no boundary, no guards), are not judged.
func (p *Props) checkRelayStacks(stack awscdk.Stack, refs []wired) []error {
	type held struct {
		stack awscdk.Stack
		what  string
	}
	var stacks []held
	add := func(s awscdk.Stack, what string) {
		for _, h := range stacks {
			if *h.stack.Node().Path() == *s.Node().Path() {
				return
			}
		}
		stacks = append(stacks, held{s, what})
	}
	add(stack, "the pipeline")
	if p.Store != nil {
		add(awscdk.Stack_Of(p.Store.Construct), "the artifact store")
	}
	for _, r := range sortedRegions(p.Replicas) {
		if s := p.Replicas[r].Store; s != nil {
			add(awscdk.Stack_Of(s.Construct), fmt.Sprintf("the replica store of %s", r))
		}
	}
	for _, w := range refs {
		add(awscdk.Stack_Of(w.t.Construct), "the target "+*w.t.Node().Path())
	}
	var errs []error
	seen := map[string]bool{}
	for _, w := range refs {
		tp := w.t.Props()
		if tp.BoundaryName() == "" || arns.IsToken(tp.Account) {
			continue
		}
		for _, h := range stacks {
			account, region, name := *h.stack.Account(), *h.stack.Region(), *h.stack.StackName()
			if arns.IsToken(account) || account != tp.Account || arns.IsToken(name) {
				continue
			}
			key := *w.t.Node().Path() + "\x00" + *h.stack.Node().Path()
			if seen[key] {
				continue
			}
			seen[key] = true
			known := !arns.IsToken(region)
			if slices.ContainsFunc(tp.RelayStacks, func(r target.RelayStack) bool {
				prefix, pattern := strings.CutSuffix(r.Name, "*")
				return (r.Name == name || pattern && strings.HasPrefix(name, prefix)) && (r.Region == "" || known && r.Region == region)
			}) {
				continue
			}
			var covered []string
			for _, r := range tp.RelayStacks {
				covered = append(covered, fmt.Sprintf("%s in %s", r.Name, cmp.Or(r.Region, "every region")))
			}
			want := fmt.Sprintf("target.RelayStack{Name: %q, Region: %q}", name, region)
			if !known {
				want = fmt.Sprintf("target.RelayStack{Name: %q}", name)
			}
			errs = append(errs, fmt.Errorf("Deployments[%d].Target: the target %s's RelayStacks (%s) leave out the stack %s of its account %s, which holds %s: the target's execution roles, and the roles its stacks create under its permissions boundary, could update or delete that stack through CloudFormation, which runs the change as the stack's service role (the CDK bootstrap's cfn-exec-role); add %s to the target's Props.RelayStacks",
				w.i, *w.t.Node().Path(), cmp.Or(strings.Join(covered, ", "), "none"), name, account, h.what, want))
		}
	}
	return errs
}

// checkRelayTooling reports a target wired by reference in the pipeline's
// own account whose RelayTooling (target.Props.RelayTooling) is empty while
// it has roles that statements of the team's or a workload reach (execution
// roles and their permissions boundary, step, hook or invoke roles): nothing
// would keep those roles from the pipeline's own resources there, and
// starting one of its CodeBuild projects with a buildspec override, or
// writing its artifact bucket, acts as the pipeline's roles do
// (iampolicy.ToolingGuard). An account not known at synth is not judged.
func (p *Props) checkRelayTooling(stack awscdk.Stack, refs []wired) []error {
	account := *stack.Account()
	if arns.IsToken(account) {
		return nil
	}
	var errs []error
	for _, w := range refs {
		tp := w.t.Props()
		if tp.Account != account || len(tp.RelayTooling) > 0 {
			continue
		}
		if tp.BoundaryName() == "" && len(tp.StepRoles) == 0 && tp.HookRoleName == "" && tp.InvokeRoleName == "" {
			continue
		}
		errs = append(errs, fmt.Errorf("Deployments[%d].Target: the target %s is in the pipeline's account %s and its RelayTooling is empty: its execution roles, the roles its stacks create under its permissions boundary and its step, hook and invoke roles could start the pipeline's CodeBuild projects with a buildspec override, change the recovery function or write the artifact bucket, and so act as the pipeline's roles; set the target's Props.RelayTooling to the ARN patterns of the pipeline's resources in that account (naming.Names.ToolingResources() when its names come from naming.Names)",
			w.i, *w.t.Node().Path(), account))
	}
	return errs
}

// checkStore reports a Store that is not in the pipeline's account and
// region, as far as the stacks' environments show: CodePipeline keeps a
// pipeline's artifacts in a bucket of its own region, and the store admits
// only its own account's roles (and its Readers), so a pipeline role of
// another account could not write there.
func (p *Props) checkStore(stack awscdk.Stack) []error {
	account, region := *stack.Account(), *stack.Region()
	sAccount, sRegion := p.Store.Env()
	path := *p.Store.Node().Path()
	switch {
	case arns.IsToken(account) || arns.IsToken(region):
		return nil // the pipeline's environment is unknown: nothing to compare
	case sAccount == "" || sRegion == "":
		return []error{fmt.Errorf("Store: the store %s is in an environment-agnostic stack, so nothing shows it is in the pipeline's account %s and region %s, where CodePipeline needs it; create it in the pipeline's stack, or give its stack Env{Account: %q, Region: %q}", path, account, region, account, region)}
	case sRegion != region:
		return []error{fmt.Errorf("Store: the store %s is in region %s, but CodePipeline keeps a pipeline's artifacts in a bucket of the pipeline's region %s; create the store in a stack of %s (a store of another region goes in Replicas)", path, sRegion, region, region)}
	case sAccount != account:
		return []error{fmt.Errorf("Store: the store %s is in account %s, but the pipeline's stack is in account %s, whose pipeline role the store does not admit to write artifacts; create the store in a stack of account %s", path, sAccount, account, account)}
	}
	return nil
}

// ValidateIn is Validate plus the checks that need scope, the construct
// (in the stack) the pipeline is created in: tokens in ARN fields are
// resolved there, Store (and each Replicas[r].Store and target wired by
// reference) must be in the stack's App, Store in its account and region, each
// deployment's regions must have an artifact store (the stack's region, or
// one of Replicas, which must not name the stack's region), a source of the
// stack's account needs no RoleArn, an environment-agnostic stack may hold
// no actions in named regions, and each deployment wired by reference to a
// target.DeploymentTarget must agree with it (trust, account, regions,
// stacks, store). It reports every problem at once; New panics with the
// same message, before it creates anything.
func (p *Props) ValidateIn(scope constructs.Construct) error {
	_, _, _, err := p.prepare(scope)
	return err
}

// prepare resolves p in scope, applies the defaults, validates and plans it.
func (p *Props) prepare(scope constructs.Construct) (Props, []wired, *plan.Pipeline, error) {
	if p == nil {
		return Props{}, nil, nil, errors.New("pipeline.Props: nil; pass &pipeline.Props{...}")
	}
	if scope == nil {
		return Props{}, nil, nil, errors.New("pipeline.Props: scope: nil; pass the stack (or a construct in it) of the pipeline")
	}
	if err := p.checkCreated(); err != nil {
		return Props{}, nil, nil, err
	}
	stack := awscdk.Stack_Of(scope)
	q, refs, errs := p.resolve(scope)
	if q.Partition == "" {
		q.Partition = "aws"
	}
	if q.RolePath == "" {
		q.RolePath = "/"
	}
	var planned *plan.Pipeline
	if q.Store == nil {
		errs = append(errs, errors.New("Store: required; create one with artifacts.NewStore"))
	}
	planned, problems := q.plan()
	errs = append(errs, problems...)
	errs = append(errs, q.checkPhysicalNames()...)
	errs = append(errs, q.checkOwnBuckets(stack)...)
	errs = append(errs, q.checkRegions(stack, planned)...)
	errs = append(errs, q.checkSourceRoles(stack, planned)...)
	errs = append(errs, q.checkApps(stack, refs)...)
	errs = append(errs, crossenv.Check(stack, p)...)
	errs = append(errs, q.checkCycles(stack, refs)...)
	if q.Store != nil {
		errs = append(errs, q.checkStore(stack)...)
	}
	if q.Store != nil && len(problems) == 0 {
		errs = append(errs, q.checkTargets(refs)...)
		errs = append(errs, q.checkWiring(stack, refs)...)
		errs = append(errs, q.checkInvokeReads(planned, refs)...)
		errs = append(errs, q.checkInvokeGrants(*stack.Region(), planned, refs)...)
		errs = append(errs, q.checkDeployGrants(*stack.Region(), planned, refs)...)
		errs = append(errs, q.checkHelmTrust(planned, refs)...)
		errs = append(errs, q.checkRelayStacks(stack, refs)...)
		errs = append(errs, q.checkRelayTooling(stack, refs)...)
	}
	if len(errs) > 0 {
		return q, refs, nil, fmt.Errorf("pipeline.Props: %w", errors.Join(errs...))
	}
	return q, refs, planned, nil
}

// dependOn makes the pipeline's stack depend on the stacks of the targets
// wired by reference, so that their roles exist before the pipeline first
// runs.
func (pl *Pipeline) dependOn(refs []wired) {
	own := awscdk.Stack_Of(pl.Construct)
	for _, w := range refs {
		if other := awscdk.Stack_Of(w.t.Construct); *other.Node().Path() != *own.Node().Path() {
			own.AddStackDependency(other, jsii.String("the pipeline assumes the roles of "+*w.t.Node().Path()))
		}
	}
	// CodePipeline refuses a pipeline whose replica bucket does not exist.
	for _, r := range sortedRegions(pl.props.Replicas) {
		if s := pl.props.Replicas[r].Store; s != nil {
			if other := awscdk.Stack_Of(s.Construct); *other.Node().Path() != *own.Node().Path() {
				own.AddStackDependency(other, jsii.String("the pipeline replicates artifacts to "+*s.Node().Path()))
			}
		}
	}
}

// wiredAction is an action of the planned pipeline whose deployment is
// wired by reference, with that deployment's target.
type wiredAction struct {
	action plan.Action
	target *target.DeploymentTarget
}

// wiredActions are the actions of planned (nil: none) whose deployment is
// wired by reference (refs), in stage and action order, each with its
// target: what the checks of a target's grants and trust walk.
func wiredActions(planned *plan.Pipeline, refs []wired) []wiredAction {
	if planned == nil {
		return nil
	}
	byDeployment := map[int]*target.DeploymentTarget{}
	for _, w := range refs {
		byDeployment[w.i] = w.t
	}
	var out []wiredAction
	for _, st := range planned.Stages {
		for _, a := range st.Actions {
			if t, ok := byDeployment[a.Deployment]; ok {
				out = append(out, wiredAction{a, t})
			}
		}
	}
	return out
}
