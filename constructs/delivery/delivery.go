// Package delivery turns a validated Relay configuration into stacks, in two
// steps: Translate reads the config once into a Spec (the props of every
// construct: pipeline, artifact stores, targets, StackSets, tooling roles)
// and validates all of it before the jsii runtime starts; New builds the
// stacks from the Spec alone. apps/relay runs config.Load, Translate, New.
//
// The stacks never reference each other's resources: every cross-account
// name is computed by package naming, trust and grants use conditions
// instead of role ARNs as principals, and explicit stack dependencies order
// the target stacks before the tooling stack, so that `cdk deploy --all`
// works in one run and redeploying any stack alone is safe.
package delivery

import (
	"errors"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseks"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/assets"
	"github.com/relaycdk/relay/constructs/audit"
	"github.com/relaycdk/relay/constructs/codedeploy"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/naming"
	"github.com/relaycdk/relay/constructs/observe"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/plan"
	"github.com/relaycdk/relay/constructs/recovery"
	"github.com/relaycdk/relay/constructs/sourceaccount"
	"github.com/relaycdk/relay/constructs/target"
)

// Spec is every construct of one configuration, as props: what Translate
// decides and validates, and New builds.
type Spec struct {
	// Names are the physical names of the configuration's resources.
	Names naming.Names
	// Tags go on every stack.
	Tags map[string]string
	// Store is the artifact store of the tooling stack.
	Store artifacts.StoreProps
	// Replicas are the artifact stores of the other regions account
	// environments deploy to, sorted by region.
	Replicas []ReplicaSpec
	// Pipeline are the pipeline's props; New sets Store.
	Pipeline *pipeline.Props
	// Plan is the pipeline's release plan, validated.
	Plan *plan.Pipeline
	// Targets are the stacks of the account environments, in config order.
	Targets []TargetSpec
	// AccountStacks hold the StackSet execution role of each account of
	// an accounts environment.
	AccountStacks []AccountStackSpec
	// StackSetAdmin is the StackSet administration role, when an
	// environment deploys to a list of accounts.
	StackSetAdmin *StackSetAdminSpec
	// JobResults is the role Lambda hooks report through, when a hook
	// invokes a function.
	JobResults *JobResultsSpec
	// Recovery deletes a stack that a failed first deployment of an
	// account environment left in ROLLBACK_COMPLETE (package recovery), or
	// nil when no account environment deploys a stack by change sets.
	Recovery *recovery.Props
	// Observe are the props of the Observer (notifications, alarms,
	// dashboard), or nil without observability.
	Observe *observe.Props
	// Audit are the props of the trail of the artifact buckets' data
	// events (New sets its access-log bucket), or nil; OrganizationTrail
	// names an existing trail instead, written as an output.
	Audit             *audit.Props
	OrganizationTrail string
	// AssetStores are the workload's asset stores, one per region it
	// deploys to, sorted by region (with assets).
	AssetStores []AssetStoreSpec
	// SourceAccounts are the stacks of the accounts that own a source, by
	// account, with the tooling account's part for each.
	SourceAccounts []SourceAccountSpec

	// cfg is the config the Spec was translated from (for Explain).
	cfg *config.Config
	// composed are the physical names the config composes, with the
	// fields that compose each (for Explain).
	composed []composed
}

// ReplicaSpec is the artifact store of one other region.
type ReplicaSpec struct {
	Region string
	Store  artifacts.StoreProps
}

// TargetSpec is the stack of one account environment.
type TargetSpec struct {
	// Environment is the environment's name.
	Environment string
	// StackName, Account and Region place the stack (the environment's
	// first region: IAM is global).
	StackName, Account, Region string
	// Props are the roles.
	Props *target.Props
	// ECS and Server are the CodeDeploy deployment group of an ECS
	// blue/green or EC2/on-premises release, or nil.
	ECS    *codedeploy.ECSProps
	Server *codedeploy.ServerProps
	// HelmAccess maps the deploy role to edit rights in a namespace of an
	// EKS cluster, for a Helm release; nil otherwise.
	HelmAccess *HelmAccess
}

// HelmAccess is the EKS access entry of a Helm release's deploy role.
type HelmAccess struct {
	Cluster, Namespace string
}

// AccountStackSpec is the stack of one account of an accounts environment:
// the StackSet execution role there.
type AccountStackSpec struct {
	// StackName, Account and Region place the stack.
	StackName, Account, Region string
	// Environment is the environment the stack is for; Owner the
	// environment whose StackSet the role executes (itself, or the one it
	// extends).
	Environment, Owner string
	// Role is the execution role.
	Role StackSetExecutionRole
}

// Delivery is every stack of one configuration.
type Delivery struct {
	spec          *Spec
	tooling       awscdk.Stack
	store         *artifacts.Store
	pipeline      *pipeline.Pipeline
	targets       []Target
	replicas      []*Replica
	accountStacks []awscdk.Stack
	sourceStacks  []awscdk.Stack
	// observer and trail watch the pipeline (observability.go).
	observer *observe.Observer
	trail    *audit.Trail
	// assetStores and the stacks of regions with only assets (assets.go).
	assetStores []*assets.Store
	assetStacks []awscdk.Stack
	recovery    *recovery.Recovery
}

// Replica is the artifact store of a region other than the tooling region.
type Replica struct {
	// Region is the store's region.
	Region string
	// Stack is the stack <name>-tooling-<region> in the tooling account.
	Stack awscdk.Stack
	// Store is the key and bucket.
	Store *artifacts.Store
}

// Target is one environment's stack and roles.
type Target struct {
	// Environment is the environment's name.
	Environment string
	// Stack holds the roles.
	Stack awscdk.Stack
	// Roles are the environment's roles.
	Roles *target.DeploymentTarget
}

// New adds the stacks of spec (from Translate) to app. It panics, naming
// the stack, when spec was not made by Translate and a construct refuses
// its props.
func New(app constructs.Construct, spec *Spec) *Delivery {
	if spec == nil || spec.Pipeline == nil {
		panic(errors.New("delivery.New: spec is nil; make it with delivery.Translate"))
	}
	n := spec.Names
	d := &Delivery{spec: spec}
	tags := map[string]*string{}
	for k, v := range spec.Tags {
		tags[k] = jsii.String(v)
	}
	stack := func(name, account, region, description string) awscdk.Stack {
		return awscdk.NewStack(app, jsii.String(name), &awscdk.StackProps{
			StackName:   jsii.String(name),
			Description: jsii.String(description),
			Env:         &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)},
			Tags:        &tags,
		})
	}
	// Relay's stacks of each account, which the roles its stacks create
	// (and the execution roles) may not change (target.Props.RelayStacks).
	relayStacks := func(account string) []target.RelayStack {
		var out []target.RelayStack
		for _, p := range spec.Stacks() {
			if p.Account == account {
				out = append(out, target.RelayStack{Name: p.Name, Region: p.Region})
			}
		}
		return out
	}
	// The pipeline's own resources, which Relay's roles in the tooling
	// account and the roles the workload creates there may not start,
	// change or write (target.Props.RelayTooling).
	relayTooling := func(account string) []string {
		if account != n.ToolingAccount {
			return nil
		}
		return n.ToolingResources()
	}
	for _, a := range spec.AccountStacks {
		s := stack(a.StackName, a.Account, a.Region, "Relay "+n.Name+": the StackSet execution role that deploys "+a.Environment+" in this account")
		role := a.Role
		role.RelayStacks = relayStacks(a.Account)
		role.RelayTooling = relayTooling(a.Account)
		newStackSetExecutionRole(s, role)
		d.accountStacks = append(d.accountStacks, s)
	}
	for _, a := range spec.SourceAccounts {
		s := stack(a.StackName, a.Account, a.Region, "Relay "+n.Name+": the role that reads the pipeline's sources in this account, and the rules that forward their changes to "+n.ToolingAccount)
		sourceaccount.New(s, "Sources", a.Props)
		d.sourceStacks = append(d.sourceStacks, s)
	}
	for _, t := range spec.Targets {
		s := stack(t.StackName, t.Account, t.Region, "Relay "+n.Name+": roles that let the pipeline in "+n.ToolingAccount+" deploy to "+t.Environment)
		props := *t.Props
		props.RelayStacks = relayStacks(t.Account)
		props.RelayTooling = relayTooling(t.Account)
		roles := target.New(s, "Target", &props)
		addReleaseResources(s, t, roles)
		d.targets = append(d.targets, Target{Environment: t.Environment, Stack: s, Roles: roles})
	}

	d.tooling = stack(n.ToolingStack(), n.ToolingAccount, n.ToolingRegion, "Relay "+n.Name+": pipeline, artifact key and bucket")
	store := spec.Store
	d.store = artifacts.NewStore(d.tooling, "Artifacts", &store)
	for _, r := range spec.Replicas {
		s := stack(regionStackName(n.ToolingStack(), r.Region), n.ToolingAccount, r.Region, "Relay "+n.Name+": artifact key and bucket for deployments to "+r.Region)
		rs := r.Store
		d.replicas = append(d.replicas, &Replica{Region: r.Region, Stack: s, Store: artifacts.NewStore(s, "Artifacts", &rs)})
	}
	d.newAssetStores(stack)
	props := *spec.Pipeline
	props.Store = d.store
	d.pipeline = pipeline.New(d.tooling, "Pipeline", &props)
	d.newObservability()
	if spec.JobResults != nil {
		newJobResultsRole(d.tooling, *spec.JobResults)
	}
	if spec.Recovery != nil {
		rp := *spec.Recovery
		// The recovery function logs with the pipeline's log key.
		if rp.LogKey == nil && d.pipeline != nil {
			rp.LogKey = d.pipeline.LogKey()
		}
		d.recovery = recovery.New(d.tooling, "Recovery", &rp)
	}
	if spec.StackSetAdmin != nil {
		newStackSetAdminRole(d.tooling, *spec.StackSetAdmin)
	}
	for _, a := range spec.SourceAccounts {
		sourceaccount.NewReceiver(d.tooling, "Sources-"+a.Account, a.Receiver)
	}

	// The deploy roles must exist before the pipeline first runs; ordering
	// the stacks makes `cdk deploy --all` create them first.
	for _, t := range d.targets {
		d.tooling.AddStackDependency(t.Stack, jsii.String("the pipeline assumes the deploy role of "+t.Environment))
	}
	for _, s := range d.accountStacks {
		d.tooling.AddStackDependency(s, jsii.String("StackSets assume the execution role in "+*s.Account()))
	}
	for _, s := range d.sourceStacks {
		d.tooling.AddStackDependency(s, jsii.String("the pipeline assumes the source role in "+*s.Account()))
	}
	for _, r := range d.replicas {
		d.tooling.AddStackDependency(r.Stack, jsii.String("the pipeline replicates artifacts to "+r.Region))
	}
	return d
}

// addReleaseResources creates what a target's release needs in its stack:
// the CodeDeploy application and deployment group, or the EKS access entry
// that maps the deploy role to edit rights in the Helm namespace.
func addReleaseResources(stack awscdk.Stack, t TargetSpec, roles *target.DeploymentTarget) {
	switch {
	case t.ECS != nil:
		codedeploy.NewECS(stack, "BlueGreen", t.ECS)
	case t.Server != nil:
		codedeploy.NewServer(stack, "CodeDeploy", t.Server)
	case t.HelmAccess != nil:
		cluster := awseks.Cluster_FromClusterAttributes(stack, jsii.String("Cluster"), &awseks.ClusterAttributes{ClusterName: jsii.String(t.HelmAccess.Cluster)})
		awseks.NewAccessEntry(stack, jsii.String("HelmAccess"), &awseks.AccessEntryProps{
			Cluster:   cluster,
			Principal: roles.DeployRole().RoleArn(),
			AccessPolicies: &[]awseks.IAccessPolicy{awseks.AccessPolicy_FromAccessPolicyName(jsii.String("AmazonEKSEditPolicy"), &awseks.AccessPolicyNameOptions{
				AccessScopeType: awseks.AccessScopeType_NAMESPACE,
				Namespaces:      jsii.Strings(t.HelmAccess.Namespace),
			})},
		})
	}
}

// Spec is the spec d was built from.
func (d *Delivery) Spec() *Spec { return d.spec }

// Names are the physical names of this delivery's resources.
func (d *Delivery) Names() naming.Names { return d.spec.Names }

// ToolingStack holds the pipeline and the artifact store.
func (d *Delivery) ToolingStack() awscdk.Stack { return d.tooling }

// Store is the artifact store.
func (d *Delivery) Store() *artifacts.Store { return d.store }

// Pipeline is the pipeline.
func (d *Delivery) Pipeline() *pipeline.Pipeline { return d.pipeline }

// Targets are the environments' stacks, in deployment order.
func (d *Delivery) Targets() []Target { return d.targets }

// Recovery deletes stacks that failed first deployments left in
// ROLLBACK_COMPLETE, or nil (see Spec.Recovery).
func (d *Delivery) Recovery() *recovery.Recovery { return d.recovery }

// Replicas are the artifact stores of the other regions, sorted by region.
func (d *Delivery) Replicas() []*Replica { return d.replicas }

// SourceStacks hold the source roles, rules and trails of the accounts
// that own a source, sorted by account.
func (d *Delivery) SourceStacks() []awscdk.Stack { return d.sourceStacks }

// AccountStacks hold the StackSet execution roles of accounts
// environments, one stack per environment and account.
func (d *Delivery) AccountStacks() []awscdk.Stack { return d.accountStacks }

// Stacks are every stack, targets first, then the tooling stack.
func (d *Delivery) Stacks() []awscdk.Stack {
	var out []awscdk.Stack
	for _, t := range d.targets {
		out = append(out, t.Stack)
	}
	out = append(out, d.sourceStacks...)
	out = append(out, d.accountStacks...)
	for _, r := range d.replicas {
		out = append(out, r.Stack)
	}
	out = append(out, d.assetStacks...)
	return append(out, d.tooling)
}
