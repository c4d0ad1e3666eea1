// Package canary releases a Lambda function through an alias whose traffic
// CodeDeploy shifts to each new version: all at once, in a canary step or
// linearly, with optional pre- and post-traffic hooks, and a rollback when a
// deployment fails or any of its CloudWatch alarms goes into ALARM.
//
// It is for workload stacks, the ones a Relay pipeline deploys. The names of
// CodeDeploy's predefined configs (ShortConfigNames, ConfigName) need no
// jsii runtime, so that a config validator can check a name at synth time.
//
// Non-goals: custom deployment configs (create an
// awscodedeploy.LambdaDeploymentConfig and use its name through a token),
// and metrics or alarms of their own: the caller knows what healthy means.
package canary

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodedeploy"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// DefaultAliasName is the alias that Props.AliasName defaults to.
const DefaultAliasName = "live"

// MaxAlarms is how many CloudWatch alarms CodeDeploy takes per deployment
// group (limits.CodeDeployAlarms).
var MaxAlarms = limits.Max(limits.CodeDeployAlarms)

// Props configures a Canary. Fields without a default are required.
type Props struct {
	// Function is the function to release.
	Function awslambda.IFunction
	// Version is the version the alias points to. Default: Function's
	// CurrentVersion, which aws-cdk-lib replaces whenever the function's code
	// or configuration changes (and retains, so that CodeDeploy can shift
	// traffic away from it). Required when Function is not an
	// awslambda.Function, e.g. when it is imported.
	Version awslambda.IVersion
	// AliasName is the alias that callers invoke and CodeDeploy moves.
	// Default: DefaultAliasName ("live").
	AliasName string
	// ApplicationName is the physical name of the CodeDeploy application.
	// Default: a name CloudFormation generates, starting with the stack name.
	ApplicationName string
	// DeploymentGroupName is the physical name of the CodeDeploy deployment
	// group. Default: a name CloudFormation generates, starting with the stack
	// name.
	DeploymentGroupName string
	// DeploymentConfig is how CodeDeploy shifts traffic: a short name such as
	// Canary10Percent5Minutes, Linear10PercentEvery1Minute or AllAtOnce (see
	// ShortConfigNames), the full name such as
	// CodeDeployDefault.LambdaCanary10Percent5Minutes, or an unresolved token
	// that resolves to a full name at deploy time, such as
	// Prefix + *param.ValueAsString() for a CfnParameter of short names.
	DeploymentConfig string
	// Alarms stop a deployment and roll it back when any of them is in ALARM.
	// At most MaxAlarms, with those added by Canary.AddAlarm. Default: none
	// (a deployment rolls back only when it fails, e.g. by a hook).
	Alarms []awscloudwatch.IAlarm
	// PreTraffic is a function CodeDeploy runs before it shifts any traffic;
	// it must report Succeeded or Failed with
	// codedeploy:PutLifecycleEventHookExecutionStatus, which this construct
	// grants it on the deployment group. Default: none.
	PreTraffic awslambda.IFunction
	// PostTraffic is a function CodeDeploy runs after all traffic has shifted,
	// granted like PreTraffic. Default: none.
	PostTraffic awslambda.IFunction
}

var (
	// aliasName is Lambda's rule for alias names (digits only would name a
	// version).
	aliasName  = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)
	digitsOnly = regexp.MustCompile(`^[0-9]+$`)
	// codeDeployName is CodeDeploy's rule for application and deployment
	// group names.
	codeDeployName = regexp.MustCompile(`^[a-zA-Z0-9._+=,@-]{1,100}$`)
)

// Validate reports every problem of p at once, each naming the field, the
// value and the fix. It needs no jsii runtime.
func (p *Props) Validate() error {
	if p == nil {
		return errors.New("canary.Props: nil; set at least Function and DeploymentConfig")
	}
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if p.Function == nil {
		add("Function: required; set the function to release")
	} else if _, ok := p.Function.(awslambda.Function); !ok && p.Version == nil {
		add("Version: required when Function is not an awslambda.Function (e.g. imported); set a version whose logical ID changes with each release")
	}
	if a := p.AliasName; a != "" && !isToken(a) && (!aliasName.MatchString(a) || digitsOnly.MatchString(a)) {
		add("AliasName %q: must be 1-128 letters, digits, - and _, and not only digits (that names a version); omit it for %q", a, DefaultAliasName)
	}
	for _, f := range []struct{ name, v string }{{"ApplicationName", p.ApplicationName}, {"DeploymentGroupName", p.DeploymentGroupName}} {
		if f.v != "" && !isToken(f.v) && !codeDeployName.MatchString(f.v) {
			add("%s %q: must be 1-100 letters, digits and ._+=,@-; omit it for a generated name", f.name, f.v)
		}
	}
	if _, err := ConfigName(p.DeploymentConfig); err != nil {
		add("DeploymentConfig %q: %w", p.DeploymentConfig, err)
	}
	if len(p.Alarms) > MaxAlarms {
		add("Alarms: %d alarms; CodeDeploy takes at most %d per deployment group, combine some into an awscloudwatch.CompositeAlarm", len(p.Alarms), MaxAlarms)
	}
	for i, a := range p.Alarms {
		if a == nil {
			add("Alarms[%d]: nil; remove it or set an alarm", i)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("canary.Props: %w", errors.Join(errs...))
}

// Canary is a Lambda alias released by a CodeDeploy deployment group: each
// new version the alias points to is a CodeDeploy deployment.
type Canary struct {
	constructs.Construct
	version awslambda.IVersion
	alias   awslambda.Alias
	group   awscodedeploy.LambdaDeploymentGroup
	alarms  int
}

// New creates the alias, the CodeDeploy application and the deployment
// group. It panics with every problem of props listed when props are
// invalid; call props.Validate first to handle the error yourself.
func New(scope constructs.Construct, id string, props *Props) *Canary {
	if err := props.Validate(); err != nil {
		panic(err)
	}
	p := *props
	if p.AliasName == "" {
		p.AliasName = DefaultAliasName
	}
	if p.Version == nil {
		p.Version = p.Function.(awslambda.Function).CurrentVersion()
	}
	config, _ := ConfigName(p.DeploymentConfig) // checked by Validate

	c := &Canary{Construct: constructs.NewConstruct(scope, &id), version: p.Version}
	c.alias = awslambda.NewAlias(c.Construct, jsii.String("Alias"), &awslambda.AliasProps{
		AliasName: jsii.String(p.AliasName),
		Version:   p.Version,
	})
	application := awscodedeploy.NewLambdaApplication(c.Construct, jsii.String("Application"), &awscodedeploy.LambdaApplicationProps{
		ApplicationName: values.Optional(p.ApplicationName),
	})
	c.group = awscodedeploy.NewLambdaDeploymentGroup(c.Construct, jsii.String("DeploymentGroup"), &awscodedeploy.LambdaDeploymentGroupProps{
		Application:         application,
		DeploymentGroupName: values.Optional(p.DeploymentGroupName),
		Alias:               c.alias,
		DeploymentConfig:    awscodedeploy.LambdaDeploymentConfig_FromLambdaDeploymentConfigName(c.Construct, jsii.String("DeploymentConfig"), jsii.String(config)),
		PreHook:             p.PreTraffic,
		PostHook:            p.PostTraffic,
		// DeploymentInAlarm is left unset: aws-cdk-lib then rolls back on
		// alarms whenever the group has any at synth, including those that
		// AddAlarm adds later.
		AutoRollback: &awscodedeploy.AutoRollbackConfig{
			FailedDeployment:  jsii.Bool(true),
			StoppedDeployment: jsii.Bool(false),
		},
	})
	for _, a := range p.Alarms {
		c.AddAlarm(a)
	}
	return c
}

// AddAlarm adds an alarm that stops and rolls back a deployment when it is
// in ALARM. It panics past MaxAlarms, with those of Props.Alarms.
func (c *Canary) AddAlarm(alarm awscloudwatch.IAlarm) {
	if alarm == nil {
		panic(errors.New("canary.AddAlarm: nil alarm"))
	}
	if c.alarms == MaxAlarms {
		panic(fmt.Errorf("canary.AddAlarm: CodeDeploy takes at most %d alarms per deployment group; combine some into an awscloudwatch.CompositeAlarm", MaxAlarms))
	}
	c.alarms++
	c.group.AddAlarm(alarm)
}

// Alias is the alias that callers invoke; CodeDeploy shifts its traffic.
func (c *Canary) Alias() awslambda.Alias { return c.alias }

// Version is the version the alias points to once a deployment completes:
// the one a pre-traffic hook tests.
func (c *Canary) Version() awslambda.IVersion { return c.version }

// DeploymentGroup is the CodeDeploy deployment group that releases the
// alias.
func (c *Canary) DeploymentGroup() awscodedeploy.LambdaDeploymentGroup { return c.group }
