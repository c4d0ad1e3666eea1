package delivery

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/assets"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/internal/iampolicy"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/target"
)

// AssetStoreSpec is the asset store of one region, in the tooling account:
// in the tooling stack, the region's replica stack, or a stack
// <name>-tooling-<region> of its own.
type AssetStoreSpec struct {
	Region string
	Props  assets.StoreProps
}

// stackSetExecRoles are the roles service-managed StackSets deploy through
// in the accounts of organizational units.
const stackSetExecRoles = "arn:%s:iam::*:role/stacksets-exec-*"

// assetRegions are the regions whose asset stores the workload reads:
// every region of every environment (the build or the Assets stage
// publishes into each, since Lambda reads code in its own region).
func (t *translator) assetRegions() []string {
	if t.cfg.Assets == nil {
		return nil
	}
	var out []string
	for _, e := range t.cfg.Environments {
		out = append(out, e.Regions...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// assetStores are the asset stores, each admitting exactly the roles that
// deploy in its region: the CloudFormation execution role of each account
// environment and of each of its deploy.stacks with a role of its own, the StackSet execution role of each account of an accounts
// environment, and (with organizational units) StackSets' own roles in the
// accounts of those OUs.
func (t *translator) assetStores() []AssetStoreSpec {
	cfg, n := t.cfg, t.n
	var out []AssetStoreSpec
	for _, r := range t.assetRegions() {
		var readers assets.Readers
		accountEnvsOnly := true // every account of Readers.Accounts is an account environment's
		for _, e := range cfg.Environments {
			if !slices.Contains(e.Regions, r) {
				continue
			}
			switch {
			case e.Account != "":
				readers.Accounts = append(readers.Accounts, e.Account)
				readers.RoleArns = append(readers.RoleArns, n.ExecutionRoleArn(e.Account, e.Name))
				for _, x := range cfg.Deploy.Stacks {
					if x.ExecutionPolicy != nil && x.IsStack() {
						readers.RoleArns = append(readers.RoleArns, n.StackExecutionRoleArn(e.Account, e.Name, x.Name))
					}
				}
			case len(e.Accounts) > 0:
				accountEnvsOnly = false
				for _, a := range e.Accounts {
					readers.Accounts = append(readers.Accounts, a)
					readers.RoleArns = append(readers.RoleArns, fmt.Sprintf("arn:%s:iam::%s:role/%s", n.Partition, a, n.StackSetExecutionRole(stackSetOwner(e))))
				}
			case len(e.OrganizationalUnits) > 0:
				readers.OrganizationalUnits = append(readers.OrganizationalUnits, e.OrganizationalUnits...)
				readers.RoleArns = append(readers.RoleArns, fmt.Sprintf(stackSetExecRoles, n.Partition))
			}
		}
		if o := cfg.Organization; o != nil {
			// With an organization the bucket policy keeps one size: the
			// roles by pattern, from the accounts under the OUs
			// (organization.organizationalUnits hold the account
			// environments' accounts) or from the listed accounts; never
			// from the whole organization, where any member account could
			// create a matching role. Each execution role's own policy
			// names only the buckets of its regions, so a role still reads
			// exactly the assets it deploys.
			readers.OrganizationID = o.ID
			if len(o.OrganizationalUnits) > 0 && len(readers.Accounts) > 0 {
				readers.OrganizationalUnits = append(readers.OrganizationalUnits, o.OrganizationalUnits...)
				readers.AccountsInOrganizationalUnits = accountEnvsOnly
			}
			var patterns []string
			for _, a := range readers.RoleArns {
				switch {
				case strings.Contains(a, ":role"+n.RolePath()):
					patterns = append(patterns, fmt.Sprintf("arn:%s:iam::*:role%s%s-*-cfn-exec", n.Partition, n.RolePath(), n.Name))
				case strings.HasSuffix(a, "-stackset-exec"):
					// The environment's own role name in any account, not
					// n.StackSetExecutionRolePattern: a StackSet execution
					// role has no path, so <name>-*-stackset-exec would
					// also match the roles of a pipeline whose name starts
					// with <name>- (pay and pay-x). One pattern per
					// accounts environment keeps the size independent of
					// the number of accounts.
					patterns = append(patterns, fmt.Sprintf("arn:%s:iam::*:role/%s", n.Partition, path.Base(a)))
				default:
					patterns = append(patterns, a)
				}
			}
			readers.RoleArns = patterns
		}
		props := assets.StoreProps{BucketName: n.AssetBucket(r), Readers: readers}
		if cfg.Assets.Images {
			props.RepositoryName = n.AssetRepository()
		}
		out = append(out, AssetStoreSpec{Region: r, Props: props})
	}
	return out
}

// assetPipelineProps add the Assets stage, the stores and the self-update
// to the pipeline's props.
func (t *translator) assetPipelineProps(p *pipeline.Props, stores []AssetStoreSpec) {
	cfg, n := t.cfg, t.n
	if a := cfg.Assets; a != nil {
		p.AssetStores = map[string]pipeline.AssetStore{}
		for _, s := range stores {
			p.AssetStores[s.Region] = pipeline.AssetStore{BucketName: s.Props.BucketName, RepositoryName: s.Props.RepositoryName}
		}
		if a.Publish == config.PublishByBuild {
			p.BuildAssets = true
		} else {
			p.Assets = &pipeline.Assets{Manifests: a.Manifests, MaxConcurrent: a.MaxConcurrentPublishes, Images: a.Images, ProjectName: n.AssetsProject()}
			t.path("Assets", "assets")
			t.path("Assets.MaxConcurrent", "assets.maxConcurrentPublishes")
			t.path("Assets.Regions", "environments[].regions")
			t.path("Assets.ProjectName", "name")
		}
	}
	if s := cfg.SelfUpdate; s != nil {
		su := &pipeline.SelfUpdate{ConfigPath: s.Config, Qualifier: s.BootstrapQualifier, ProjectName: n.SelfUpdateProject()}
		// Environments are set by Translate from Spec.Stacks, once every
		// stack is known.
		p.SelfUpdate = su
		t.path("SelfUpdate", "selfUpdate")
		t.path("SelfUpdate.ConfigPath", "selfUpdate.config")
		t.path("SelfUpdate.Qualifier", "selfUpdate.bootstrapQualifier")
		t.path("SelfUpdate.App", "selfUpdate")
		t.path("SelfUpdate.ProjectName", "name")
		t.path("SelfUpdate.Environments", "environments")
	}
}

// assetStatements let an execution role deploy the assets of its regions:
// read the asset objects (a function's code is read with the caller's
// credentials) and pull the images.
func (t *translator) assetStatements(regions []string) []target.Statement {
	cfg, n := t.cfg, t.n
	if cfg.Assets == nil {
		return nil
	}
	var objects, repos []string
	for _, r := range regions {
		if slices.Contains(t.assetRegions(), r) {
			objects = append(objects, n.AssetBucketArn(r)+"/*")
			repos = append(repos, n.AssetRepositoryArn(r))
		}
	}
	if len(objects) == 0 {
		return nil
	}
	out := []target.Statement{{Sid: iampolicy.ReadAssetsSid, Actions: assets.FileReadActions, Resources: objects,
		Reason: "Asset object keys are the content hashes of the workload's Lambda code and files, which the build decides; the bucket holds this pipeline's assets only."}}
	if cfg.Assets.Images {
		out = append(out, target.Statement{Sid: iampolicy.PullImagesSid, Actions: assets.ImagePullActions, Resources: repos})
	}
	return out
}

// newAssetStores creates the asset stores in the tooling stack or the
// stack of their region.
func (d *Delivery) newAssetStores(stack func(name, account, region, description string) awscdk.Stack) {
	n := d.spec.Names
	for _, s := range d.spec.AssetStores {
		props := s.Props
		var scope awscdk.Stack
		if s.Region == n.ToolingRegion {
			scope = d.tooling
			props.AccessLogs = d.store.AccessLogBucket()
		} else {
			for _, r := range d.replicas {
				if r.Region == s.Region {
					scope = r.Stack
					props.AccessLogs = r.Store.AccessLogBucket()
				}
			}
		}
		if scope == nil {
			scope = stack(regionStackName(n.ToolingStack(), s.Region), n.ToolingAccount, s.Region, "Relay "+n.Name+": workload assets for deployments to "+s.Region)
			d.assetStacks = append(d.assetStacks, scope)
			d.tooling.AddStackDependency(scope, jsii.String("the pipeline publishes assets to "+s.Region))
		}
		d.assetStores = append(d.assetStores, assets.NewStore(scope, "Assets", &props))
	}
}

// AssetStores are the asset stores, sorted by region.
func (d *Delivery) AssetStores() []*assets.Store { return d.assetStores }
