package delivery

import (
	"slices"

	"github.com/relaycdk/relay/constructs/pipeline"
)

// StackKind is what one of Relay's stacks holds.
type StackKind string

const (
	// ToolingStackKind is <name>-tooling: the pipeline, the artifact store
	// of the tooling region and the tooling roles.
	ToolingStackKind StackKind = "tooling"
	// RegionStackKind is <name>-tooling-<region>, in the tooling account:
	// the artifact store of another region a cross-region pipeline deploys
	// to (Spec.Replicas), and with assets that region's asset bucket and
	// image repository (Spec.AssetStores); either or both.
	RegionStackKind StackKind = "region"
	// TargetStackKind is <name>-<environment>: an account environment's
	// roles, in its first region (IAM is global).
	TargetStackKind StackKind = "target"
	// AccountStackKind is <name>-<environment>-<account>: the StackSet
	// execution role in one account of an accounts environment.
	AccountStackKind StackKind = "account"
	// SourceStackKind is <name>-source-<account>: the source role, rules
	// and trail of an account that owns a source, in the tooling region.
	SourceStackKind StackKind = "source"
)

// StackPlacement is where one stack of the assembly goes: its name, the
// account and region of its environment (aws://Account/Region in the
// cloud assembly's manifest), and its kind.
type StackPlacement struct {
	Name, Account, Region string
	Kind                  StackKind
}

// Stacks are the placements of every stack New builds from s, in the order
// of Delivery.Stacks (targets, sources, accounts, other regions, then the
// tooling stack). Every (Account, Region) among them must be CDK
// bootstrapped before the first `cdk deploy --all`, since each stack
// deploys through the bootstrap roles of its environment (the bootstrap
// version check reads /cdk-bootstrap/<qualifier>/version there); package
// bootstrap and apps/relay-bootstrap read this list. Organizational-unit
// environments have no stack (a service-managed StackSet of the tooling
// stack reaches them).
func (s *Spec) Stacks() []StackPlacement {
	n := s.Names
	var out []StackPlacement
	for _, t := range s.Targets {
		out = append(out, StackPlacement{Name: t.StackName, Account: t.Account, Region: t.Region, Kind: TargetStackKind})
	}
	for _, a := range s.SourceAccounts {
		out = append(out, StackPlacement{Name: a.StackName, Account: a.Account, Region: a.Region, Kind: SourceStackKind})
	}
	for _, a := range s.AccountStacks {
		out = append(out, StackPlacement{Name: a.StackName, Account: a.Account, Region: a.Region, Kind: AccountStackKind})
	}
	for _, r := range s.Replicas {
		out = append(out, StackPlacement{Name: regionStackName(n.ToolingStack(), r.Region), Account: n.ToolingAccount, Region: r.Region, Kind: RegionStackKind})
	}
	for _, r := range s.assetOnlyRegions() {
		out = append(out, StackPlacement{Name: regionStackName(n.ToolingStack(), r), Account: n.ToolingAccount, Region: r, Kind: RegionStackKind})
	}
	return append(out, StackPlacement{Name: n.ToolingStack(), Account: n.ToolingAccount, Region: n.ToolingRegion, Kind: ToolingStackKind})
}

// regionStackName is the stack of the tooling account in another region:
// <name>-tooling-<region>.
func regionStackName(tooling, region string) string { return tooling + "-" + region }

// assetOnlyRegions are the regions, sorted, whose asset store needs a stack
// of its own: neither the tooling region nor a replica's region.
func (s *Spec) assetOnlyRegions() []string {
	var out []string
	for _, a := range s.AssetStores {
		if a.Region == s.Names.ToolingRegion || slices.ContainsFunc(s.Replicas, func(r ReplicaSpec) bool { return r.Region == a.Region }) {
			continue
		}
		out = append(out, a.Region)
	}
	return out
}

// stackEnvironments are the distinct (account, region) pairs of Stacks, in
// its order: the environments whose CDK bootstrap roles the self-update
// project assumes to deploy every stack.
func (s *Spec) stackEnvironments() []pipeline.AccountRegion {
	var out []pipeline.AccountRegion
	for _, p := range s.Stacks() {
		ar := pipeline.AccountRegion{Account: p.Account, Region: p.Region}
		if !slices.Contains(out, ar) {
			out = append(out, ar)
		}
	}
	return out
}
