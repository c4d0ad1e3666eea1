package target

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/crossenv"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/plan"
)

// errNilProps is the error of a nil *Props.
var errNilProps = errors.New("target.Props: nil; pass &target.Props{...}")

// withStores is p with each of Stores added to ArtifactBucketArns (by the
// bucket's physical name) and ArtifactKeyArns (the key's account-and-region
// pattern), and the problems of Stores.
func (p *Props) withStores() (Props, []error) {
	q := *p
	var errs []error
	for i, s := range p.Stores {
		field := fmt.Sprintf("Stores[%d]", i)
		if s == nil {
			errs = append(errs, fmt.Errorf("%s: nil; pass the *artifacts.Store that artifacts.NewStore returned", field))
			continue
		}
		if !s.Created() {
			errs = append(errs, fmt.Errorf("%s: %s", field, artifacts.NotCreated))
			continue
		}
		bucket, key := s.BucketArnText(), s.KeyArnPattern()
		if _, region := s.Env(); region != "" {
			if why := arns.CheckRegion(region, ""); why != "" {
				errs = append(errs, fmt.Errorf("%s %s: its stack's region %q: %s", field, *s.Node().Path(), region, why))
				continue
			}
		}
		if bucket == "" {
			errs = append(errs, fmt.Errorf("%s %s: its bucket name is generated, so another account cannot name it; set artifacts.StoreProps.BucketName (naming.Names.ArtifactBucket gives Relay's)", field, *s.Node().Path()))
		}
		if key == "" {
			errs = append(errs, fmt.Errorf("%s %s: its stack has no account and region (an environment-agnostic stack), so the key's ARN cannot be named; give the stack Env{Account, Region}", field, *s.Node().Path()))
		}
		if bucket != "" && key != "" {
			q.ArtifactBucketArns = append(slices.Clone(q.ArtifactBucketArns), bucket)
			q.ArtifactKeyArns = append(slices.Clone(q.ArtifactKeyArns), key)
		}
	}
	return q, errs
}

// validateArns reports the ARNs, regions and stores of p that would fail at
// deploy or run time: a region typo, a bucket given by name, an alias where
// a key is needed, an ARN with an empty or another partition. Tokens are
// accepted wherever an ARN is; the pipeline that wires this target by
// reference checks them.
func (p *Props) validateArns(add func(format string, a ...any)) {
	partition := p.Partition
	if partition == "" {
		partition = "aws"
	} else if !slices.Contains(arns.Partitions, partition) {
		add("Partition %q: must be one of %s", partition, strings.Join(arns.Partitions, ", "))
	}
	for i, r := range p.Regions {
		if why := arns.CheckRegion(r, partition); why != "" {
			add("Regions[%d] %q: %s", i, r, why)
		}
	}
	roles := func(field string, list []string) {
		for i, a := range list {
			if arns.IsToken(a) {
				continue
			}
			account, _, _, err := arns.Role(a)
			switch {
			case err != nil:
				add("%s[%d] %q: %v", field, i, a, err)
			case !strings.HasPrefix(a, "arn:"+partition+":"):
				add("%s[%d] %q: must be in partition %s (Partition)", field, i, a, partition)
			case account != p.PipelineAccount && !values.IsToken(p.PipelineAccount): // a token is reported as such
				add("%s[%d] %q: must be a role ARN in PipelineAccount %s", field, i, a, p.PipelineAccount)
			case strings.ContainsAny(a, "*?"):
				// The trust pins aws:PrincipalArn with ArnEquals, which
				// takes wildcards: a pattern trusts more than the pipeline.
				add("%s[%d] %q: a pattern: the trust (aws:PrincipalArn, ArnEquals, which takes * and ? as wildcards) would admit every matching role of account %s; name each role exactly (naming.Names.PipelineRoleArn)", field, i, a, account)
			}
		}
	}
	roles("PipelineRoleArns", p.PipelineRoleArns)
	roles("TrustedRoleArns", p.TrustedRoleArns)
	// IAM attaches to a role only AWS managed policies and customer
	// managed policies of the role's own account; CloudFormation would
	// fail to create the role ("does not exist or is not attachable").
	policies := func(field string, list []string) {
		for i, a := range list {
			if !arns.IsToken(a) && !policyArn.MatchString(FillAccount(a, "123456789012")) {
				name := "NAME"
				if !strings.HasPrefix(a, "arn:") && !strings.Contains(a, ":") {
					name = a // a bare policy name
				}
				add("%s[%d] %q: not a managed policy ARN; write arn:%s:iam::%s:policy/%s (a customer managed policy of the target account) or arn:%s:iam::aws:policy/NAME (an AWS managed one)",
					field, i, a, partition, AccountPlaceholder, strings.TrimPrefix(name, "/"), partition)
			} else if values.RelayIAMARN(a) {
				// The boundary allows everything and only caps: attached,
				// it grants (values.OwnPolicyRule).
				add("%s[%d] %q: %s", field, i, a, values.OwnPolicyRule(values.RelayPathPolicy, "grant what the stacks need with statements or a policy of your own"))
			}
		}
		distinct := map[string]bool{}
		for _, a := range list {
			distinct[a] = true
		}
		if q := p.quotas(); len(distinct) > q.Max(limits.IAMRoleManagedPolicies) {
			fix := "merge customer managed policies, or grant with statements instead"
			if raise := q.RaiseFix(limits.IAMRoleManagedPolicies, "Quotas.IAMManagedPoliciesPerRole", len(distinct)); raise != "" {
				fix = "merge customer managed policies, grant with statements instead, or, " + raise
			}
			add("%s: %d managed policies for one role; IAM attaches at most %d to a role (%s, %s), so CloudFormation would fail to create the role: %s",
				field, len(distinct), q.Max(limits.IAMRoleManagedPolicies), q.Basis(limits.IAMRoleManagedPolicies, "Quotas.IAMManagedPoliciesPerRole"), limits.ByID(limits.IAMRoleManagedPolicies).Source, fix)
		}
		if !values.IsAccount(p.Account) {
			return // the stack's account, known at deploy time only
		}
		for i, a := range list {
			if arns.IsToken(a) {
				continue
			}
			if x, err := arns.Parse(FillAccount(a, p.Account)); err == nil && x.Service == "iam" && x.Account != "aws" && x.Account != p.Account {
				add("%s[%d] %q: a customer managed policy of account %s; IAM attaches to a role of account %s only AWS managed policies and that account's own: create the policy in %s (with the same name in every target account, write its account as %s), or grant with statements",
					field, i, a, x.Account, p.Account, p.Account, AccountPlaceholder)
			}
		}
	}
	policies("ExecutionManagedPolicyArns", p.ExecutionManagedPolicyArns)
	for i, r := range p.ExecutionRoles {
		policies(fmt.Sprintf("ExecutionRoles[%d].ManagedPolicyArns", i), r.ManagedPolicyArns)
	}
	for i, b := range p.ArtifactBucketArns {
		if arns.IsToken(b) {
			continue
		}
		a, err := arns.Parse(b)
		switch {
		case err != nil && !strings.HasPrefix(b, "arn:"):
			add("ArtifactBucketArns[%d] %q: must be a bucket ARN, not a bucket name: arn:%s:s3:::%s", i, b, partition, b)
		case err != nil:
			add("ArtifactBucketArns[%d] %q: %v", i, b, err)
		case a.Service != "s3" || a.Region != "" || a.Account != "" || strings.Contains(a.Resource, "/"):
			add("ArtifactBucketArns[%d] %q: must be a bucket ARN, arn:%s:s3:::BUCKET (no region, account or object key)", i, b, partition)
		case a.Partition != partition:
			add("ArtifactBucketArns[%d] %q: must be in partition %s (Partition)", i, b, partition)
		}
	}
	for i, k := range p.ArtifactKeyArns {
		if arns.IsToken(k) {
			continue
		}
		a, err := arns.Parse(k)
		switch {
		case err != nil:
			add("ArtifactKeyArns[%d] %q: %v", i, k, err)
		case a.Service != "kms" || !strings.HasPrefix(a.Resource, "key/"):
			add("ArtifactKeyArns[%d] %q: must be a KMS key ARN or pattern, arn:%s:kms:REGION:ACCOUNT:key/ID (IAM does not match a key by its alias ARN)", i, k, partition)
		case a.Partition != partition:
			add("ArtifactKeyArns[%d] %q: must be in partition %s (Partition)", i, k, partition)
		case a.Region != "" && !strings.ContainsAny(a.Region, "*?"):
			if why := arns.CheckRegion(a.Region, partition); why != "" {
				add("ArtifactKeyArns[%d] %q: region %q: %s", i, k, a.Region, why)
			}
		}
	}
}

// ValidateIn is Validate plus the checks that need the stack the target is
// created in (scope's): Account must be the stack's account when both are
// set, since IAM creates the roles in the stack's account whatever Account
// says, and every ARN derived from Account would name roles that do not
// exist; and the stack's region, when it is known, must be a region of
// Partition (a typo such as us-east1 cannot be deployed to, and a region of
// another partition would get ARNs of the wrong one). New runs it.
func (p *Props) ValidateIn(scope constructs.Construct) error {
	if p == nil {
		return errNilProps
	}
	var errs []error
	// Validate judges what needs Account (the managed policies' accounts)
	// with the stack's account when Account is unset, as New creates it.
	// The stack's account is read once: each read is a jsii round trip.
	q, a := *p, ""
	if scope != nil {
		if a = *stackOf(scope).Account(); q.Account == "" && values.IsAccount(a) {
			q.Account = a
		}
	}
	if err := q.Validate(); err != nil {
		errs = append(errs, err)
	}
	var env []error
	if scope == nil {
		env = append(env, errors.New("scope: nil; pass the stack (or a construct in it) that holds the target's roles"))
	} else {
		stack := stackOf(scope)
		env = append(env, crossenv.Check(stack, p)...)
		if !arns.IsToken(a) && p.Account != "" && !arns.IsToken(p.Account) && a != p.Account {
			env = append(env, fmt.Errorf("Account %q: the stack %s deploys to account %s, where IAM would create the roles; set Account to %s or create the target in a stack of account %s", p.Account, *stack.StackName(), a, a, p.Account))
		}
		partition := p.Partition
		if partition == "" {
			partition = "aws"
		}
		r := *stack.Region()
		if slices.Contains(arns.Partitions, partition) {
			if why := arns.CheckRegion(r, partition); why != "" {
				env = append(env, fmt.Errorf("scope: the stack %s deploys to region %q: %s", *stack.StackName(), r, why))
			}
		}
		// The stack that holds the roles is no stack they deploy: a change
		// set of the workload's template would replace the roles with the
		// workload's resources, and the execution roles may not change
		// that stack (RelayStacks, whose default it is).
		name := *stack.StackName()
		fields := map[string]string{}
		for i, n := range p.StackNames {
			fields[n] = cmp.Or(fields[n], fmt.Sprintf("StackNames[%d]", i))
		}
		for i, er := range p.ExecutionRoles {
			for j, n := range er.StackNames {
				fields[n] = cmp.Or(fields[n], fmt.Sprintf("ExecutionRoles[%d].StackNames[%d]", i, j))
			}
		}
		if f, ok := fields[name]; ok && !arns.IsToken(name) {
			regions := p.Regions
			if only, ok := p.StackRegions[name]; ok {
				regions = only
			}
			if arns.IsToken(r) || slices.Contains(regions, r) {
				env = append(env, fmt.Errorf("%s %q: the name of the stack that holds the target's roles (%s); deploying the workload's template there would replace the roles, and the execution roles may not change Relay's stacks (RelayStacks): create the target in a stack of another name, or give the workload's stack another name", f, name, *stack.Node().Path()))
			}
		}
	}
	if len(env) > 0 {
		errs = append(errs, fmt.Errorf("target.Props: %w", errors.Join(env...)))
	}
	return errors.Join(errs...)
}

// registry maps the token of each role ARN that a DeploymentTarget hands out
// (DeployRole().RoleArn() and the others) to the target, so that a pipeline
// given that token can find the target and check the wiring. aws-cdk-lib's
// tokens are unique within a process, so one registry serves every App.
var registry sync.Map // token string -> ref

type ref struct {
	t    *DeploymentTarget
	role string // deploy, execution or invoke
}

// register records the ARN token of t's role of kind (deploy, execution or
// invoke), once: when the role is first handed out (DeployRole() and the
// others, Account()), which is the only way a caller gets the token. Each
// token costs a jsii call, which a target that is never wired by reference
// does not make.
func (t *DeploymentTarget) register(kind string, r awsiam.Role) {
	if r == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.registered == nil {
		t.registered = map[string]string{}
	}
	if _, ok := t.registered[kind]; ok {
		return
	}
	arn := *r.RoleArn()
	t.registered[kind] = arn
	registry.Store(arn, ref{t, kind})
}

// token is the registered ARN token of t's role of kind.
func (t *DeploymentTarget) token(kind string, r awsiam.Role) string {
	t.register(kind, r)
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.registered[kind]
}

// Lookup returns the DeploymentTarget whose role has the ARN token arn (as
// DeployRole().RoleArn(), ExecutionRole().RoleArn() or InvokeRole().RoleArn()
// return it), the role's kind (deploy, execution or invoke) and whether it
// found one. Package pipeline uses it to wire targets by reference.
func Lookup(arn string) (*DeploymentTarget, string, bool) {
	v, ok := registry.Load(arn)
	if !ok {
		return nil, "", false
	}
	r := v.(ref)
	return r.t, r.role, true
}

// Props are the props t was created with, defaults applied (Partition,
// RolePath, Account, and Stores expanded into ArtifactBucketArns and
// ArtifactKeyArns).
func (t *DeploymentTarget) Props() Props { return t.props }

// roleArnText is the plain ARN of t's role name.
func (t *DeploymentTarget) roleArnText(name string) string {
	p := t.props
	return fmt.Sprintf("arn:%s:iam::%s:role%s%s", p.Partition, p.Account, p.RolePath, name)
}

// DeployRoleArn is the deploy role's ARN as plain text,
// arn:<partition>:iam::<account>:role<path><name>, which other accounts can
// name without a reference; "" without a deploy role. Account is a token
// when the stack is environment-agnostic and Props.Account is unset.
func (t *DeploymentTarget) DeployRoleArn() string {
	if t.deployRole == nil {
		return ""
	}
	return t.roleArnText(t.props.DeployRoleName)
}

// ExecutionRoleArn is the execution role's ARN as plain text, or "".
func (t *DeploymentTarget) ExecutionRoleArn() string {
	if t.executionRole == nil {
		return ""
	}
	return t.roleArnText(t.props.ExecutionRoleName)
}

// InvokeRoleArn is the invoke role's ARN as plain text, or "".
func (t *DeploymentTarget) InvokeRoleArn() string {
	if t.invokeRole == nil {
		return ""
	}
	return t.roleArnText(t.props.InvokeRoleName)
}

// Account is t as a pipeline deployment target, wired by reference: its
// account ID and the ARN tokens of its deploy, execution and invoke roles
// (those it has). Give it to pipeline.Deployment.Target in the same App:
// pipeline.New resolves the tokens to the roles' ARNs and checks that the
// target trusts the pipeline role, deploys to the deployment's regions and
// stacks (each passing the execution role of StackExecutionRoleArn: give a
// stack of ExecutionRoles[i] that role's ARN in pipeline.Stack.ExecutionRoleArn),
// and reads the pipeline's store. For a target in another App, name the
// roles instead (package naming), as plain ARNs.
func (t *DeploymentTarget) Account() *plan.Account {
	a := &plan.Account{ID: t.props.Account}
	if t.deployRole != nil {
		a.DeployRoleArn = t.token("deploy", t.deployRole)
	}
	if t.executionRole != nil {
		a.ExecutionRoleArn = t.token("execution", t.executionRole)
	}
	if t.invokeRole != nil {
		a.InvokeRoleArn = t.token("invoke", t.invokeRole)
	}
	return a
}

// StackNames are the stacks t's deploy role may manage: StackNames and
// those of ExecutionRoles.
func (t *DeploymentTarget) StackNames() []string { return t.props.stackNames() }

// StackExecutionRoleArn is the plain ARN of the execution role that the
// deploy role must pass to create a change set of the stack name (the
// condition cloudformation:RoleArn of its CreateChangeSet statement):
// ExecutionRoleName's for a name of StackNames, ExecutionRoles[i].Name's for
// one of ExecutionRoles[i].StackNames; "" for a stack t does not manage.
func (t *DeploymentTarget) StackExecutionRoleArn(stackName string) string {
	p := t.props
	if slices.Contains(p.StackNames, stackName) {
		return t.roleArnText(p.ExecutionRoleName)
	}
	for _, r := range p.ExecutionRoles {
		if slices.Contains(r.StackNames, stackName) {
			return t.roleArnText(r.Name)
		}
	}
	return ""
}

// stackOf is the stack of scope: scope itself when it is a Stack (no jsii
// call), else awscdk.Stack_Of.
func stackOf(scope constructs.Construct) awscdk.Stack {
	if s, ok := scope.(awscdk.Stack); ok {
		return s
	}
	return awscdk.Stack_Of(scope)
}

// policyArn is a managed policy ARN: an AWS managed policy (account aws) or
// a customer managed one of an account.
var policyArn = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}|aws):policy/[A-Za-z0-9+=,.@_/-]+$`)

// quotas are p.Quotas when valid (Validate reports them otherwise), or
// every quota at AWS's default.
func (p *Props) quotas() limits.Quotas {
	if p.Quotas.Validate() != nil {
		return limits.Quotas{}
	}
	return p.Quotas
}
