package delivery

import (
	"fmt"
	"slices"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/plan"
	"github.com/relaycdk/relay/constructs/sourceaccount"
)

// SourceAccountSpec is the stack of one source account (sources in another
// account) and the tooling account's part for it.
type SourceAccountSpec struct {
	// StackName, Account and Region place the stack (the tooling region:
	// source actions run in the pipeline's region).
	StackName, Account, Region string
	// Props are the source role, rules and trail.
	Props *sourceaccount.Props
	// Receiver is the tooling account's bus policy statement and rules.
	Receiver *sourceaccount.ReceiverProps
}

// sourceAccounts are the stacks of the accounts that own a source (primary
// or extra), sorted by account, and the problems of their props.
func (t *translator) sourceAccounts() ([]SourceAccountSpec, []error) {
	cfg, n := t.cfg, t.n
	byAccount := map[string]*sourceaccount.Props{}
	trails := map[string][]string{}
	get := func(account string) *sourceaccount.Props {
		if p, ok := byAccount[account]; ok {
			return p
		}
		p := &sourceaccount.Props{
			Partition: n.Partition, Region: cfg.Tooling.Region, Account: account, ToolingAccount: cfg.Tooling.Account,
			RoleName: n.SourceRole(), RolePath: n.RolePath(), ForwarderRoleName: n.SourceForwarderRole(),
			PipelineRoleArn: n.PipelineRoleArn(), ArtifactBucket: n.ArtifactBucket(cfg.Tooling.Region),
			ArtifactKeyPattern: n.ArtifactKeyPattern(cfg.Tooling.Region),
		}
		byAccount[account] = p
		return p
	}
	all := append([]config.ExtraSource{{Source: cfg.Source}}, cfg.ExtraSources...)
	for i, x := range all {
		artifact := plan.SourceArtifact
		if i > 0 {
			artifact += "_" + x.Name
		}
		switch {
		case x.CodeCommit != nil && x.CodeCommit.Account != "":
			p := get(x.CodeCommit.Account)
			p.Repositories = append(p.Repositories, sourceaccount.Repository{Name: x.CodeCommit.Repository, Branch: x.CodeCommit.Branch, Rule: n.SourceRule(artifact)})
		case x.S3 != nil && x.S3.Account != "":
			p := get(x.S3.Account)
			p.Objects = append(p.Objects, sourceaccount.Object{Bucket: x.S3.Bucket, Key: x.S3.Key, KMSKeyArn: x.S3.KMSKeyArn, Rule: n.SourceRule(artifact)})
			trails[x.S3.Account] = append(trails[x.S3.Account], x.S3.Trail)
		}
	}
	var out []SourceAccountSpec
	var errs []error
	accounts := make([]string, 0, len(byAccount))
	for a := range byAccount {
		accounts = append(accounts, a)
	}
	slices.Sort(accounts)
	for _, a := range accounts {
		p := byAccount[a]
		if ts := slices.Compact(slices.Sorted(slices.Values(trails[a]))); len(ts) > 1 {
			errs = append(errs, fmt.Errorf("source.s3.trail and extraSources[].s3.trail of account %s: %q: the S3 sources of one account share one trail; name the same trail (or none) in each", a, ts))
		} else if len(ts) == 1 && ts[0] != "" {
			p.ExistingTrail = ts[0]
		} else if len(p.Objects) > 0 {
			p.TrailName = n.SourceTrail()
		}
		if err := p.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("sources of account %s: %w", a, err))
			continue
		}
		out = append(out, SourceAccountSpec{
			StackName: n.SourceStack(a), Account: a, Region: cfg.Tooling.Region, Props: p,
			Receiver: &sourceaccount.ReceiverProps{
				Source:        p,
				PipelineArn:   fmt.Sprintf("arn:%s:codepipeline:%s:%s:%s", n.Partition, cfg.Tooling.Region, cfg.Tooling.Account, n.Pipeline()),
				StatementID:   n.SourceBusStatement(a),
				StartRoleName: n.SourceStartRole(a),
			},
		})
	}
	return out, errs
}

// sourceWriters are the source roles that write source artifacts to the
// tooling artifact store.
func sourceWriters(specs []SourceAccountSpec) artifacts.Writers {
	var w artifacts.Writers
	for _, s := range specs {
		w.Accounts = append(w.Accounts, s.Account)
		w.RoleArns = append(w.RoleArns, s.Props.RoleArn())
	}
	return w
}
