package codedeploy

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodedeploy"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/internal/sourcetrust"
	"github.com/relaycdk/relay/constructs/limits"
)

// The deployment styles of ServerProps.Style.
const (
	// InPlace stops the application on each instance, installs the new
	// revision and starts it again, a batch at a time.
	InPlace = "in-place"
	// BlueGreen copies the Auto Scaling group into a green fleet, installs
	// the new revision there, moves the target groups' traffic to it and
	// terminates the blue fleet.
	BlueGreen = "blue-green"
)

// The kinds of MinimumHealthyHosts.Type.
const (
	HostCount    = "HOST_COUNT"
	FleetPercent = "FLEET_PERCENT"
)

// MinimumHealthyHosts is how many instances must stay healthy (in service)
// during an EC2/on-premises deployment: a custom deployment config.
type MinimumHealthyHosts struct {
	// Type is HOST_COUNT (Value is a number of instances) or FLEET_PERCENT
	// (Value is a percentage of the fleet, 0-99).
	Type string
	// Value is the number or percentage of instances.
	Value int
}

// ServerProps configures an EC2/on-premises deployment group. Fields without
// a default are required.
type ServerProps struct {
	// ApplicationName is the physical name of the CodeDeploy application.
	ApplicationName string
	// DeploymentGroupName is the physical name of the deployment group.
	DeploymentGroupName string
	// InstanceTags select EC2 instances by tag: tag key to tag values. They
	// form one CodeDeploy tag group, so an instance is deployed to when it
	// has any one of these key-value pairs (not all of them). A key with no
	// values matches any value of that key; the key "" matches the values
	// under any key. At most 10 tags, a key alone or each key-value pair
	// counting once (limits.CodeDeployTags,
	// https://docs.aws.amazon.com/codedeploy/latest/userguide/instances-tagging.html).
	// Default: none.
	InstanceTags map[string][]string
	// OnPremisesTags select on-premises instances by tag, like InstanceTags.
	// In place only. Default: none.
	OnPremisesTags map[string][]string
	// AutoScalingGroupNames are Auto Scaling groups whose instances are
	// deployed to (and whose new instances get the last revision). At least
	// one of InstanceTags, OnPremisesTags and AutoScalingGroupNames is
	// required; blue-green requires AutoScalingGroupNames. The CodeDeploy
	// agent must already be on the instances (the platform stack installs it).
	// At most 10: CodeDeploy's default quota (limits.CodeDeployASGs,
	// https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html),
	// or Quotas.CodeDeployAutoScalingGroups when declared.
	AutoScalingGroupNames []string
	// DeploymentConfig is a predefined config (see ServerConfigName). Do not
	// set it with MinimumHealthyHosts. Default: CodeDeployDefault.OneAtATime.
	DeploymentConfig string
	// MinimumHealthyHosts creates a custom deployment config, named after
	// its setting: "<DeploymentGroupName>-fleet-percent-<Value>" or
	// "<DeploymentGroupName>-host-count-<Value>" (at most 100 characters).
	// Every property of a deployment config is create-only, and
	// CloudFormation cannot replace a custom-named resource under the same
	// name: a changed setting is a config of another name, which
	// CloudFormation creates, moves the group to, then deletes the old one.
	// Default: none, DeploymentConfig applies.
	MinimumHealthyHosts *MinimumHealthyHosts
	// Style is InPlace ("in-place") or BlueGreen ("blue-green").
	//
	// A blue-green deployment copies the Auto Scaling group under a new name
	// and, after TerminationWaitMinutes, terminates the original instances
	// and deletes the original group. The platform stack that created that
	// group no longer matches what runs, and CodeDeploy records the copy's
	// name in the deployment group: updating this stack afterwards puts the
	// original name back. Use it where those stacks expect that.
	// Default: in-place.
	Style string
	// TargetGroupNames are the load balancer target groups (names, not ARNs)
	// through which CodeDeploy blocks traffic to an instance while deploying
	// to it (in place) or moves traffic from blue to green (blue-green,
	// where they are required). At most 10. Default: none, no traffic control
	// in place.
	TargetGroupNames []string
	// WaitMinutes (blue-green only) is how long CodeDeploy waits, once the
	// green fleet is ready, for a ContinueDeployment call before it reroutes
	// traffic; without the call the deployment stops. 0 to 2880. Default: 0,
	// reroute at once.
	WaitMinutes int
	// TerminationWaitMinutes (blue-green only) is how long the blue fleet
	// stays after traffic moved. 0 to 2880. Default:
	// DefaultTerminationWaitMinutes (5); Minutes(0) terminates at once.
	TerminationWaitMinutes *int
	// AlarmNames are CloudWatch alarms in the target account; when one goes
	// to ALARM during a deployment, CodeDeploy stops it and rolls back. At
	// most 10, each named once, 1 to 255 characters without control
	// characters (CloudWatch's alarm names). Default: none (a failed
	// deployment still rolls back).
	AlarmNames []string
	// Quotas declares the adjustable AWS quotas that Service Quotas raised
	// in the group's account: Validate measures AutoScalingGroupNames
	// against Quotas.CodeDeployAutoScalingGroups when set. Check the
	// written templates with the same value (limits.Quotas.CheckDir).
	// Default: the zero value, every quota at AWS's default.
	Quotas limits.Quotas
}

// style is Style with its default.
func (p *ServerProps) style() string {
	if p.Style == "" {
		return InPlace
	}
	return p.Style
}

// configName is the name of the deployment config the group uses, and
// whether it is a custom one.
func (p *ServerProps) configName() (string, bool) {
	if m := p.MinimumHealthyHosts; m != nil {
		return customConfigName(p.DeploymentGroupName, m), true
	}
	full, _ := ServerConfigName(p.DeploymentConfig)
	return full, false
}

// customConfigName names the custom deployment config of group with m
// after m: group-fleet-percent-75, group-host-count-2.
func customConfigName(group string, m *MinimumHealthyHosts) string {
	return fmt.Sprintf("%s-%s-%d", group, strings.ReplaceAll(strings.ToLower(m.Type), "_", "-"), m.Value)
}

// Validate reports every problem of p at once. It needs no jsii.
func (p *ServerProps) Validate() error {
	if p == nil {
		return errors.New("codedeploy.ServerProps: nil; pass &codedeploy.ServerProps{...}")
	}
	var errs problems
	errs.name("ApplicationName", p.ApplicationName)
	errs.name("DeploymentGroupName", p.DeploymentGroupName)

	if _, err := ServerConfigName(p.DeploymentConfig); err != nil {
		errs.add("DeploymentConfig %q: unknown EC2/on-premises deployment config; %s", p.DeploymentConfig, acceptedServer())
	}
	if m := p.MinimumHealthyHosts; m != nil {
		if p.DeploymentConfig != "" {
			errs.add("DeploymentConfig %q: set either DeploymentConfig or MinimumHealthyHosts, not both", p.DeploymentConfig)
		}
		switch m.Type {
		case HostCount:
			if m.Value < 0 {
				errs.add("MinimumHealthyHosts.Value %d: must be at least 0 instances", m.Value)
			}
		case FleetPercent:
			if m.Value < 0 || m.Value > 99 {
				errs.add("MinimumHealthyHosts.Value %d: must be 0-99 percent: at 100 no instance could be taken out of service", m.Value)
			}
		default:
			errs.add("MinimumHealthyHosts.Type %q: must be %s or %s", m.Type, HostCount, FleetPercent)
		}
		if name := customConfigName(p.DeploymentGroupName, m); codeDeployName.MatchString(p.DeploymentGroupName) && !codeDeployName.MatchString(name) {
			suffix := strings.TrimPrefix(name, p.DeploymentGroupName)
			errs.add("DeploymentGroupName %q: must be at most %d characters with MinimumHealthyHosts %s %d: the custom config is named %q, at most 100", p.DeploymentGroupName, 100-len(suffix), m.Type, m.Value, "<DeploymentGroupName>"+suffix)
		}
	}

	style := p.style()
	if style != InPlace && style != BlueGreen {
		errs.add("Style %q: must be %s or %s", p.Style, InPlace, BlueGreen)
	}
	if len(p.InstanceTags)+len(p.OnPremisesTags)+len(p.AutoScalingGroupNames) == 0 {
		errs.add("InstanceTags, OnPremisesTags, AutoScalingGroupNames: all empty; select the instances to deploy to (EC2 tags, on-premises tags or Auto Scaling groups)")
	}
	errs.tags("InstanceTags", p.InstanceTags)
	errs.tags("OnPremisesTags", p.OnPremisesTags)
	errs.list("AutoScalingGroupNames", p.AutoScalingGroupNames, func(s string) bool { return s != "" && len(s) <= 255 }, "must be 1-255 characters, the name of an Auto Scaling group in the target account")
	errs.list("TargetGroupNames", p.TargetGroupNames, targetGroupNm.MatchString, "must be a target group name: 1-32 letters, digits and hyphens, not starting or ending with a hyphen")
	for _, q := range p.Quotas.Problems() {
		errs.add("Quotas.%s", q)
	}
	q := p.Quotas
	if q.Validate() != nil {
		q = limits.Quotas{} // reported above
	}
	if n, max := len(p.AutoScalingGroupNames), q.Max(limits.CodeDeployASGs); n > max {
		fix := fmt.Sprintf("deploy through at most %d, or select the other instances with InstanceTags", max)
		if raise := q.RaiseFix(limits.CodeDeployASGs, "Quotas.CodeDeployAutoScalingGroups", n); raise != "" {
			fix += ", or, " + raise
		}
		errs.add("AutoScalingGroupNames: %d Auto Scaling groups; CodeDeploy takes at most %d in a deployment group (%s, %s), so CloudFormation would fail to create the group: %s",
			n, max, q.Basis(limits.CodeDeployASGs, "Quotas.CodeDeployAutoScalingGroups"), limits.ByID(limits.CodeDeployASGs).Source, fix)
	}
	if max := limits.Max(limits.CodeDeployTargets); len(p.TargetGroupNames) > max {
		errs.add("TargetGroupNames: %d target groups; CodeDeploy allows at most %d", len(p.TargetGroupNames), max)
	}
	if style == BlueGreen {
		if len(p.AutoScalingGroupNames) == 0 {
			errs.add("AutoScalingGroupNames []: required for blue-green: CodeDeploy builds the green fleet by copying the Auto Scaling group")
		}
		if len(p.TargetGroupNames) == 0 {
			errs.add("TargetGroupNames []: required for blue-green: CodeDeploy moves traffic from the blue to the green instances through these target groups")
		}
		if len(p.OnPremisesTags) > 0 {
			errs.add("OnPremisesTags: blue-green deploys to EC2 only; deploy on-premises instances in place")
		}
		errs.minutes("WaitMinutes", p.WaitMinutes)
		if p.TerminationWaitMinutes != nil {
			errs.minutes("TerminationWaitMinutes", *p.TerminationWaitMinutes)
		}
	} else {
		if p.WaitMinutes != 0 {
			errs.add("WaitMinutes %d: applies to blue-green only; remove it or set Style %q", p.WaitMinutes, BlueGreen)
		}
		if p.TerminationWaitMinutes != nil {
			errs.add("TerminationWaitMinutes %d: applies to blue-green only; remove it or set Style %q", *p.TerminationWaitMinutes, BlueGreen)
		}
	}
	errs.alarms(p.AlarmNames)
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("codedeploy.ServerProps: %w", errors.Join(errs...))
}

// tags checks the tag filters of one tag group: each key and value pair (a
// key alone, a value alone) is one tag, and CodeDeploy takes at most
// limits.CodeDeployTags in a group.
func (p *problems) tags(field string, tags map[string][]string) {
	if n, most := limits.TagGroupSize(tags), limits.Max(limits.CodeDeployTags); n > most {
		p.add("%s: %d tags (one per key and value); CodeDeploy selects instances by at most %d tags in a tag group (%s), so CloudFormation would fail to create the deployment group: tag the instances with one shared tag, or list their Auto Scaling groups in AutoScalingGroupNames instead",
			field, n, most, limits.ByID(limits.CodeDeployTags).Source)
	}
	for _, k := range sortedKeys(tags) {
		if k == "" && len(tags[k]) == 0 {
			p.add("%s[\"\"]: a tag filter needs a key, values or both", field)
		}
		for i, v := range tags[k] {
			if v == "" {
				p.add("%s[%q][%d] \"\": an empty value matches no tag; leave the values out to match any value of the key", field, k, i)
			}
		}
	}
}

func (p *problems) list(field string, v []string, ok func(string) bool, rule string) {
	seen := map[string]bool{}
	for i, s := range v {
		switch {
		case !ok(s):
			p.add("%s[%d] %q: %s", field, i, s, rule)
		case seen[s]:
			p.add("%s[%d] %q: listed twice", field, i, s)
		}
		seen[s] = true
	}
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// DeployStatements are the statements that the role of the pipeline's
// CodeDeploy action needs in the target account (partition, region and
// account of the deployment group), for a caller that writes that role with
// least privilege: codedeploy:CreateDeployment and GetDeployment on the
// deployment group, GetApplication, GetApplicationRevision and
// RegisterApplicationRevision on the application, GetDeploymentConfig on the
// config. There is no iam:PassRole: the deployment group's own service role
// does the work. The instances download the revision from the artifact
// bucket with their instance profile, which therefore needs read access to
// the bucket and its key. p must be valid (see Validate).
func (p *ServerProps) DeployStatements(partition, region, account string) []Statement {
	config, _ := p.configName()
	return codeDeployStatements(codeDeployArns(partition, region, account, p.ApplicationName, p.DeploymentGroupName, config))
}

// Server is a CodeDeploy application and EC2/on-premises deployment group.
type Server struct {
	constructs.Construct
	application     awscodedeploy.ServerApplication
	deploymentGroup awscodedeploy.IServerDeploymentGroup
	role            awsiam.IRole
	configName      string
}

// NewServer creates the application, the deployment group, its service role
// (with the AWS managed policy AWSCodeDeployRole) and, with
// MinimumHealthyHosts, a custom deployment config. Instances, Auto Scaling
// groups and target groups are referenced by tag and name. Rollback on a
// failed deployment is always on, and on alarm when AlarmNames are set. It
// panics with every problem of props listed when props are invalid; call
// props.Validate first to handle the error yourself.
func NewServer(scope constructs.Construct, id string, props *ServerProps) *Server {
	if props == nil {
		panic(errors.New("codedeploy.NewServer: props are nil; pass &codedeploy.ServerProps{...}"))
	}
	if err := props.Validate(); err != nil {
		panic(err)
	}
	p := *props
	s := &Server{Construct: constructs.NewConstruct(scope, &id)}
	s.application = awscodedeploy.NewServerApplication(s.Construct, jsii.String("Application"), &awscodedeploy.ServerApplicationProps{
		ApplicationName: jsii.String(p.ApplicationName),
	})

	name, custom := p.configName()
	var config awscodedeploy.IServerDeploymentConfig
	if custom {
		hosts := awscodedeploy.MinimumHealthyHosts_Count(jsii.Number(p.MinimumHealthyHosts.Value))
		if p.MinimumHealthyHosts.Type == FleetPercent {
			hosts = awscodedeploy.MinimumHealthyHosts_Percentage(jsii.Number(p.MinimumHealthyHosts.Value))
		}
		config = awscodedeploy.NewServerDeploymentConfig(s.Construct, jsii.String("DeploymentConfig"), &awscodedeploy.ServerDeploymentConfigProps{
			DeploymentConfigName: jsii.String(name),
			MinimumHealthyHosts:  hosts,
		})
	} else {
		config = awscodedeploy.ServerDeploymentConfig_FromServerDeploymentConfigName(s.Construct, jsii.String("PredefinedConfig"), jsii.String(name))
	}
	s.configName = name

	if p.style() == BlueGreen {
		s.newBlueGreen(p, config)
	} else {
		s.newInPlace(p, config)
	}
	nag.Suppress(s.Construct, nag.Suppression{
		Rule:      "AwsSolutions-IAM4",
		AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRole"},
		Reason:    "CodeDeploy's service role uses the AWS managed policy made for EC2/on-premises deployments, which AWS keeps current with the service.",
	})
	return s
}

func (s *Server) newInPlace(p ServerProps, config awscodedeploy.IServerDeploymentConfig) {
	var groups []awsautoscaling.IAutoScalingGroup
	for i, n := range p.AutoScalingGroupNames {
		groups = append(groups, awsautoscaling.AutoScalingGroup_FromAutoScalingGroupName(s.Construct, jsii.String(fmt.Sprintf("AutoScalingGroup%d", i)), jsii.String(n)))
	}
	var lbs *[]awscodedeploy.LoadBalancer
	if len(p.TargetGroupNames) > 0 {
		list := make([]awscodedeploy.LoadBalancer, 0, len(p.TargetGroupNames))
		for _, n := range p.TargetGroupNames {
			list = append(list, loadBalancerByTargetGroup(n))
		}
		lbs = &list // the L2 renders DeploymentOption WITH_TRAFFIC_CONTROL
	}
	group := awscodedeploy.NewServerDeploymentGroup(s.Construct, jsii.String("DeploymentGroup"), &awscodedeploy.ServerDeploymentGroupProps{
		Application:           s.application,
		DeploymentGroupName:   jsii.String(p.DeploymentGroupName),
		DeploymentConfig:      config,
		AutoScalingGroups:     &groups,
		InstallAgent:          jsii.Bool(false), // the groups are not ours to change; their platform stack installs the agent
		LoadBalancers:         lbs,
		Ec2InstanceTags:       tagSet(p.InstanceTags),
		OnPremiseInstanceTags: tagSet(p.OnPremisesTags),
		Alarms:                importAlarms(s.Construct, p.AlarmNames),
		AutoRollback: &awscodedeploy.AutoRollbackConfig{
			FailedDeployment:  jsii.Bool(true),
			DeploymentInAlarm: jsii.Bool(len(p.AlarmNames) > 0),
		},
	})
	s.deploymentGroup = group
	s.role = group.Role()
	account, source := groupSource(s.Construct, p.ApplicationName, p.DeploymentGroupName)
	sourcetrust.Pin(s.role, account, source)
}

// newBlueGreen writes the deployment group as an L1 resource: aws-cdk-lib's
// ServerDeploymentGroup renders no DeploymentStyle other than in place (it
// has no blueGreenDeploymentConfig), so the style, the green fleet and the
// blue fleet's termination can only be set on CfnDeploymentGroup.
//
// The role and the resource sit at the construct paths the L2 gives them
// (DeploymentGroup/Role, DeploymentGroup/Resource), so both styles have the
// same logical IDs: switching Style updates the named deployment group in
// place instead of replacing it (a replacement would fail on its name).
func (s *Server) newBlueGreen(p ServerProps, config awscodedeploy.IServerDeploymentConfig) {
	holder := constructs.NewConstruct(s.Construct, jsii.String("DeploymentGroup"))
	account, source := groupSource(s.Construct, p.ApplicationName, p.DeploymentGroupName)
	s.role = awsiam.NewRole(holder, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy: sourcetrust.Principal("codedeploy.amazonaws.com", account, source),
		ManagedPolicies: &[]awsiam.IManagedPolicy{
			awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String("service-role/AWSCodeDeployRole")),
		},
	})
	termination := DefaultTerminationWaitMinutes
	if p.TerminationWaitMinutes != nil {
		termination = *p.TerminationWaitMinutes
	}
	ready := &awscodedeploy.CfnDeploymentGroup_DeploymentReadyOptionProperty{ActionOnTimeout: jsii.String("CONTINUE_DEPLOYMENT")}
	if p.WaitMinutes > 0 {
		ready = &awscodedeploy.CfnDeploymentGroup_DeploymentReadyOptionProperty{
			ActionOnTimeout:   jsii.String("STOP_DEPLOYMENT"),
			WaitTimeInMinutes: jsii.Number(p.WaitMinutes),
		}
	}
	var targetGroups []interface{}
	for _, n := range p.TargetGroupNames {
		targetGroups = append(targetGroups, &awscodedeploy.CfnDeploymentGroup_TargetGroupInfoProperty{Name: jsii.String(n)})
	}
	events := []*string{jsii.String("DEPLOYMENT_FAILURE")}
	var alarmConfig interface{}
	if len(p.AlarmNames) > 0 {
		events = append(events, jsii.String("DEPLOYMENT_STOP_ON_ALARM"))
		var alarms []interface{}
		for _, n := range p.AlarmNames {
			alarms = append(alarms, &awscodedeploy.CfnDeploymentGroup_AlarmProperty{Name: jsii.String(n)})
		}
		alarmConfig = &awscodedeploy.CfnDeploymentGroup_AlarmConfigurationProperty{Enabled: jsii.Bool(true), Alarms: &alarms}
	}
	var ec2Tags interface{}
	if len(p.InstanceTags) > 0 {
		var filters []interface{}
		for _, f := range tagFilters(p.InstanceTags) {
			filters = append(filters, &awscodedeploy.CfnDeploymentGroup_EC2TagFilterProperty{Key: f.key, Value: f.value, Type: jsii.String(f.typ)})
		}
		ec2Tags = &awscodedeploy.CfnDeploymentGroup_EC2TagSetProperty{
			Ec2TagSetList: &[]interface{}{&awscodedeploy.CfnDeploymentGroup_EC2TagSetListObjectProperty{Ec2TagGroup: &filters}},
		}
	}
	group := awscodedeploy.NewCfnDeploymentGroup(holder, jsii.String("Resource"), &awscodedeploy.CfnDeploymentGroupProps{
		ApplicationName:      s.application.ApplicationName(),
		DeploymentGroupName:  jsii.String(p.DeploymentGroupName),
		ServiceRoleArn:       s.role.RoleArn(),
		DeploymentConfigName: config.DeploymentConfigName(), // a Ref for a custom config: the group depends on it
		DeploymentStyle: &awscodedeploy.CfnDeploymentGroup_DeploymentStyleProperty{
			DeploymentType:   jsii.String("BLUE_GREEN"),
			DeploymentOption: jsii.String("WITH_TRAFFIC_CONTROL"),
		},
		BlueGreenDeploymentConfiguration: &awscodedeploy.CfnDeploymentGroup_BlueGreenDeploymentConfigurationProperty{
			DeploymentReadyOption: ready,
			GreenFleetProvisioningOption: &awscodedeploy.CfnDeploymentGroup_GreenFleetProvisioningOptionProperty{
				Action: jsii.String("COPY_AUTO_SCALING_GROUP"),
			},
			TerminateBlueInstancesOnDeploymentSuccess: &awscodedeploy.CfnDeploymentGroup_BlueInstanceTerminationOptionProperty{
				Action:                       jsii.String("TERMINATE"),
				TerminationWaitTimeInMinutes: jsii.Number(termination),
			},
		},
		AutoScalingGroups: jsii.Strings(p.AutoScalingGroupNames...),
		LoadBalancerInfo: &awscodedeploy.CfnDeploymentGroup_LoadBalancerInfoProperty{
			TargetGroupInfoList: &targetGroups,
		},
		Ec2TagSet:          ec2Tags,
		AlarmConfiguration: alarmConfig,
		AutoRollbackConfiguration: &awscodedeploy.CfnDeploymentGroup_AutoRollbackConfigurationProperty{
			Enabled: jsii.Bool(true),
			Events:  &events,
		},
	})
	// The pipeline's action takes an IServerDeploymentGroup; this reference
	// names the group through its Ref, so using it depends on the group.
	s.deploymentGroup = awscodedeploy.ServerDeploymentGroup_FromServerDeploymentGroupAttributes(s.Construct, jsii.String("DeploymentGroupRef"), &awscodedeploy.ServerDeploymentGroupAttributes{
		Application:         s.application,
		DeploymentGroupName: group.Ref(),
		DeploymentConfig:    config,
	})
}

// Application is the CodeDeploy application.
func (s *Server) Application() awscodedeploy.ServerApplication { return s.application }

// DeploymentGroup is the deployment group, for the pipeline's CodeDeploy
// action. For blue-green it is a reference to the L1 resource.
func (s *Server) DeploymentGroup() awscodedeploy.IServerDeploymentGroup { return s.deploymentGroup }

// Role is the deployment group's service role. For blue-green from an Auto
// Scaling group with a launch template, CodeDeploy's documentation asks for
// ec2:RunInstances, ec2:CreateTags and iam:PassRole (on the instance role)
// in addition to AWSCodeDeployRole: add them here.
func (s *Server) Role() awsiam.IRole { return s.role }

// DeploymentConfigName is the name of the deployment config the group uses.
func (s *Server) DeploymentConfigName() string { return s.configName }

// tagSet is one tag group of tags, for the L2; nil for none.
func tagSet(tags map[string][]string) awscodedeploy.InstanceTagSet {
	if len(tags) == 0 {
		return nil
	}
	group := map[string]*[]*string{}
	for k, v := range tags {
		group[k] = jsii.Strings(v...)
	}
	return awscodedeploy.NewInstanceTagSet(&group)
}

type tagFilter struct {
	key, value *string
	typ        string
}

// tagFilters renders tags as the L2 does (KEY_ONLY, VALUE_ONLY,
// KEY_AND_VALUE), in a stable order.
func tagFilters(tags map[string][]string) []tagFilter {
	var out []tagFilter
	for _, k := range sortedKeys(tags) {
		switch {
		case len(tags[k]) == 0:
			out = append(out, tagFilter{key: jsii.String(k), typ: "KEY_ONLY"})
		case k == "":
			for _, v := range tags[k] {
				out = append(out, tagFilter{value: jsii.String(v), typ: "VALUE_ONLY"})
			}
		default:
			for _, v := range tags[k] {
				out = append(out, tagFilter{key: jsii.String(k), value: jsii.String(v), typ: "KEY_AND_VALUE"})
			}
		}
	}
	return out
}
