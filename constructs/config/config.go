package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// Config is the whole description of one delivery pipeline: where it runs,
// what it builds and where it deploys.
type Config struct {
	// Name prefixes stacks, roles, buckets and topics: [a-z][a-z0-9-]{2,23},
	// not ending in a hyphen and without "--". Required.
	Name string `yaml:"name" json:"name"`
	// Tooling is the account and region that own the pipeline and the
	// artifact store.
	Tooling Tooling `yaml:"tooling" json:"tooling"`
	// Organization, when set, makes cross-account grants match the
	// organization (aws:PrincipalOrgID) and its organizationalUnits
	// (aws:PrincipalOrgPaths) instead of listing accounts, so policies keep
	// their size as accounts are added. Optional.
	Organization *Organization `yaml:"organization,omitempty" json:"organization,omitempty"`
	// Source is the repository the pipeline starts from.
	Source Source `yaml:"source" json:"source"`
	// ExtraSources are further sources of the Source stage. Default: none.
	ExtraSources []ExtraSource `yaml:"extraSources,omitempty" json:"extraSources,omitempty"`
	// Build is the CodeBuild step that turns the source into a deployable
	// template.
	Build Build `yaml:"build" json:"build"`
	// Tests are suites that run in a Test stage after Build, each in its
	// own CodeBuild project; suites with the same runOrder run in parallel.
	// Default: no Test stage.
	Tests []Suite `yaml:"tests,omitempty" json:"tests,omitempty"`
	// SecurityScan adds a Scan stage after Build (and Test). Default: none.
	SecurityScan *SecurityScan `yaml:"securityScan,omitempty" json:"securityScan,omitempty"`
	// Deploy says which CloudFormation stack each environment receives and
	// what the CloudFormation execution role may do. Optional as a whole:
	// every field has a default except the execution permissions, which
	// default to none (see ExecutionPolicy).
	Deploy Deploy `yaml:"deploy,omitempty" json:"deploy,omitempty"`
	// Pipeline holds pipeline-wide behaviour: execution mode, variables and
	// who may approve. Optional.
	Pipeline PipelineSettings `yaml:"pipeline,omitempty" json:"pipeline,omitempty"`
	// Steps run in every environment that deploys (account environments
	// in each region, StackSet environments once): CodeBuild builds,
	// invokes of the tooling account and approvals, before, after or
	// between its stacks (see Step). Default: none.
	Steps []Step `yaml:"steps,omitempty" json:"steps,omitempty"`
	// Environments are deployed in this order. At least one, at most 1000;
	// a stack is deployed once per account and region.
	Environments []Environment `yaml:"environments" json:"environments"`
	// Observability announces the pipeline's events, and adds a dashboard
	// and alarms (see Observability). Default: none.
	Observability *Observability `yaml:"observability,omitempty" json:"observability,omitempty"`
	// Audit records the artifact buckets' data events in a CloudTrail
	// trail (see Audit). Default: none.
	Audit *Audit `yaml:"audit,omitempty" json:"audit,omitempty"`
	// Assets publishes the workload's Lambda code, files and images into
	// asset stores Relay owns (see Assets). Default: none, the workload
	// template carries no assets.
	Assets *Assets `yaml:"assets,omitempty" json:"assets,omitempty"`
	// SelfUpdate deploys the Relay stacks from the source before any
	// environment (see SelfUpdate). Default: off.
	SelfUpdate *SelfUpdate `yaml:"selfUpdate,omitempty" json:"selfUpdate,omitempty"`
	// Quotas declares AWS quotas that Service Quotas raised in every
	// account this configuration deploys to (see Quotas). Default: every
	// quota at AWS's default.
	Quotas *Quotas `yaml:"quotas,omitempty" json:"quotas,omitempty"`
}

// Tooling is the central account that owns the pipeline.
type Tooling struct {
	// Account is a 12-digit AWS account ID. Required.
	Account string `yaml:"account" json:"account"`
	// Region is an AWS region name, such as us-east-1 (see Regions). Its
	// partition is the partition of every ARN and region of the config.
	// Required.
	Region string `yaml:"region" json:"region"`
}

// Organization identifies the AWS Organization of the tooling and target
// accounts.
type Organization struct {
	// ID is the organization ID, o- followed by 10 to 32 lowercase letters or
	// digits. Required when organization is present.
	ID string `yaml:"id" json:"id"`
	// StackSetsCallAs says how the tooling account administers the
	// StackSets of OU environments: SELF when it is the organization's
	// management account, DELEGATED_ADMIN when it is a delegated StackSets
	// administrator. Default: DELEGATED_ADMIN.
	StackSetsCallAs string `yaml:"stackSetsCallAs,omitempty" json:"stackSetsCallAs,omitempty"`
	// OrganizationalUnits are the OUs (ou-...) that hold the accounts of
	// the account environments, at any depth. With them, the artifact
	// store and the job-results role admit Relay's roles from the accounts
	// under these OUs (and under the OUs of organizationalUnits
	// environments) only, by aws:PrincipalOrgPaths, and their policies keep
	// one size. Without them, they list the accounts (15 characters each).
	// An account environment outside them cannot read artifacts. Default:
	// none.
	OrganizationalUnits []string `yaml:"organizationalUnits,omitempty" json:"organizationalUnits,omitempty"`
}

// Defaults of the identity section.
const defaultStackSetsCallAs = defaults.StackSetsCallAs

// stackSetsCallAs are the values of organization.stackSetsCallAs.
var stackSetsCallAs = []string{"SELF", "DELEGATED_ADMIN"}

var (
	nameRE  = regexp.MustCompile(`^[a-z][a-z0-9-]{2,23}$`)
	orgIDRE = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
)

// identityDefaults sets the defaults of name, tooling and organization;
// unset is as in applyDefaults.
func (c *Config) identityDefaults(unset unsetFunc) {
	if o := c.Organization; o != nil && unset("organization.stackSetsCallAs", o.StackSetsCallAs == "") {
		o.StackSetsCallAs = defaultStackSetsCallAs
	}
}

// validateIdentity checks name, tooling and organization.
func (c *Config) validateIdentity(p *problems) {
	p.add("name", c.Name, nameRule(c.Name))
	p.add("tooling.account", c.Tooling.Account, accountRule(c.Tooling.Account, "the 12-digit tooling account ID"))
	p.add("tooling.region", c.Tooling.Region, regionRule(c.Tooling.Region, "the region of the pipeline, such as us-east-1"))
	if o := c.Organization; o != nil {
		p.add("organization.id", o.ID, orgIDRule(o.ID))
		p.add("organization.stackSetsCallAs", o.StackSetsCallAs, stackSetsCallAsRule(o.StackSetsCallAs))
		for i, ou := range o.OrganizationalUnits {
			if !values.OrganizationalUnitID(ou) {
				p.add(fmt.Sprintf("organization.organizationalUnits[%d]", i), ou, "must be an organizational unit ID, ou- followed by the root's 4 to 32 characters, - and 8 to 32 more, such as ou-ab12-cd34ef56")
			}
		}
	}
}

func stackSetsCallAsRule(s string) string {
	if !slices.Contains(stackSetsCallAs, s) {
		return "must be SELF (tooling is the management account) or DELEGATED_ADMIN (a delegated StackSets administrator)"
	}
	return ""
}

func nameRule(s string) string {
	switch {
	case s == "":
		return "required; set a name of 3 to 24 lowercase letters, digits and hyphens, such as payments"
	case !nameRE.MatchString(s):
		return "must be 3 to 24 lowercase letters, digits and hyphens, starting with a letter, such as payments"
	case strings.HasSuffix(s, "-"):
		return "must not end with '-'; remove the trailing hyphen"
	case strings.Contains(s, "--"):
		return `must not contain "--"; use single hyphens`
	}
	return ""
}

func orgIDRule(s string) string {
	switch {
	case s == "":
		return "required when organization is set; set the ID shown in AWS Organizations, such as o-a1b2c3d4e5, or remove organization"
	case !orgIDRE.MatchString(s):
		return "must be o- followed by 10 to 32 lowercase letters or digits, as shown in AWS Organizations, such as o-a1b2c3d4e5"
	}
	return ""
}
