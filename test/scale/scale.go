// Package scale builds Relay configurations with many environments and
// measures what they synthesize: stacks, resources and policy sizes against
// their AWS limits. The policy tests and the sizes command share it.
package scale

import (
	"fmt"
	"sort"

	"github.com/relaycdk/relay/constructs/compliance"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/internal/cdkapp"
	"github.com/relaycdk/relay/internal/policysize"
)

// Config is the embedded example with n environments (env0000, env0001,
// ...) in n accounts: up to
// 40, a stage each with every third one and the last behind an approval;
// above 40, waves of 24 behind one approval each; org false drops the
// organization, so that grants list accounts.
func Config(n int, org bool) (*config.Config, error) {
	cfg, err := config.Parse("example.yaml", config.Example())
	if err != nil {
		return nil, err
	}
	if !org {
		cfg.Organization = nil
	}
	cfg.Environments = nil
	for i := 0; i < n; i++ {
		env := config.Environment{
			// Names of one length: per-environment roles name their
			// environment, and a longer name is not a larger fleet.
			Name:    fmt.Sprintf("env%04d", i),
			Account: fmt.Sprintf("%012d", 400000000000+i),
			Regions: []string{cfg.Tooling.Region},
		}
		switch {
		case n > 40:
			// One stage per environment stops at 48 environments: deploy in
			// waves of 24, each behind one approval (49 actions, one stage).
			env.Wave = fmt.Sprintf("wave%d", i/24)
			if i%24 == 0 {
				env.Approval = &config.Approval{Comment: "Approve " + env.Wave}
			}
		case i%3 == 2 || i == n-1:
			env.Approval = &config.Approval{Comment: "Approve deployment to " + env.Name}
		}
		cfg.Environments = append(cfg.Environments, env)
	}
	cfg.ApplyDefaults()
	return cfg, cfg.Validate()
}

// Figures are what one configuration synthesizes.
type Figures struct {
	// Environments is the number of target environments.
	Environments int
	// Stacks and Resources count the synthesized stacks and resources.
	Stacks, Resources int
	// KeyPolicy, BucketPolicy are the largest key and bucket policy sizes.
	KeyPolicy, BucketPolicy int
	// PipelineRole is the inline policy size of the pipeline role.
	PipelineRole int
	// LargestRole is the largest inline policy total of any role, and
	// LargestRoleName its stack and logical ID.
	LargestRole     int
	LargestRoleName string
	// LargestTrust is the largest trust policy.
	LargestTrust int
}

// Measure builds cfg as apps/relay does (stacks and cdk-nag) and measures
// every template. jsii errors surface as panics.
func Measure(cfg *config.Config) Figures {
	app := cdkapp.New(cdkapp.Options{})
	spec, err := delivery.Translate(cfg)
	if err != nil {
		panic(err)
	}
	d := delivery.New(app, spec)
	compliance.Check(app)
	asm := app.Synth(nil)
	f := Figures{Environments: len(cfg.Environments)}
	stacks := *asm.Stacks()
	sort.Slice(stacks, func(i, j int) bool { return *stacks[i].StackName() < *stacks[j].StackName() })
	for _, s := range stacks {
		tpl, _ := s.Template().(map[string]interface{})
		f.Stacks++
		res, _ := tpl["Resources"].(map[string]interface{})
		f.Resources += len(res)
		p := policysize.Measure(tpl)
		if _, v := policysize.Max(p.KeyPolicies); v > f.KeyPolicy {
			f.KeyPolicy = v
		}
		if _, v := policysize.Max(p.BucketPolicies); v > f.BucketPolicy {
			f.BucketPolicy = v
		}
		if id, v := policysize.Max(p.RoleInline); v > f.LargestRole {
			f.LargestRole, f.LargestRoleName = v, *s.StackName()+"/"+id
		}
		if _, v := policysize.Max(p.TrustPolicies); v > f.LargestTrust {
			f.LargestTrust = v
		}
		if *s.StackName() == d.Names().ToolingStack() {
			for id, v := range p.RoleInline {
				if len(id) >= len("PipelineRole") && id[:len("PipelineRole")] == "PipelineRole" {
					f.PipelineRole = v
				}
			}
		}
	}
	return f
}
