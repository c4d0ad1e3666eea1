package delivery

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/target"
)

// newRolesStackSet adds to the tooling stack a service-managed StackSet
// that puts env's deploy and execution roles into every account of env's
// organizational units, and into each account that joins them later
// (automatic deployment); an account that leaves loses them.
func newRolesStackSet(tooling awscdk.Stack, cfg *config.Config, env config.Environment) awscdk.CfnStackSet {
	body, err := TargetTemplate(TargetProps(cfg, env))
	if err != nil {
		panic(fmt.Errorf("environments %s: %w", env.Name, err))
	}
	n := Names(cfg)
	return awscdk.NewCfnStackSet(tooling, jsii.String("Targets-"+env.Name), &awscdk.CfnStackSetProps{
		StackSetName:    jsii.String(n.TargetStack(env.Name) + "-targets"),
		Description:     jsii.String("Relay " + cfg.Name + ": roles that let the pipeline in " + cfg.Tooling.Account + " deploy to " + env.Name),
		PermissionModel: jsii.String("SERVICE_MANAGED"),
		CallAs:          jsii.String(cfg.Organization.StackSetsCallAs),
		AutoDeployment: &awscdk.CfnStackSet_AutoDeploymentProperty{
			Enabled:                      jsii.Bool(true),
			RetainStacksOnAccountRemoval: jsii.Bool(false),
		},
		Capabilities:     jsii.Strings("CAPABILITY_NAMED_IAM"),
		ManagedExecution: map[string]interface{}{"Active": true},
		OperationPreferences: &awscdk.CfnStackSet_OperationPreferencesProperty{
			MaxConcurrentPercentage:    jsii.Number(float64(env.Rollout.MaxConcurrentPercentage)),
			FailureTolerancePercentage: jsii.Number(float64(env.Rollout.FailureTolerancePercentage)),
			RegionConcurrencyType:      jsii.String("PARALLEL"),
		},
		StackInstancesGroup: &[]*awscdk.CfnStackSet_StackInstancesProperty{{
			DeploymentTargets: &awscdk.CfnStackSet_DeploymentTargetsProperty{OrganizationalUnitIds: jsii.Strings(env.OrganizationalUnits...)},
			// IAM is global: the roles need one region.
			Regions: jsii.Strings(env.Regions[0]),
		}},
		TemplateBody: jsii.String(body),
	})
}

// TargetTemplate synthesizes, on its own, the template of a deployment
// target that deploys to any account (no bootstrap resources needed), as
// minified JSON.
func TargetTemplate(props *target.Props) (string, error) {
	dir, err := os.MkdirTemp("", "relay-target-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false), Outdir: jsii.String(dir)})
	stack := awscdk.NewStack(app, jsii.String("Target"), &awscdk.StackProps{Synthesizer: awscdk.NewBootstraplessSynthesizer(nil)})
	target.New(stack, "Target", props)
	tpl := app.Synth(nil).GetStackByName(jsii.String("Target")).Template()
	raw, err := json.Marshal(tpl)
	if err != nil {
		return "", err
	}
	if max := limits.Max(limits.StackSetTemplate); len(raw) > max {
		return "", fmt.Errorf("the roles template is %d bytes; a StackSet takes at most %d inline: move execution statements into managed policies", len(raw), max)
	}
	return string(raw), nil
}
