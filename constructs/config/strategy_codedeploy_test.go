package config

import (
	"fmt"
	"strings"
	"testing"
)

// TestStackRegionOfCodeDeploy: the stack that holds a CodeDeploy group
// lives in the environment's one region, so stackRegion may name that
// region only, and the environment has one region; the same holds for a
// CodeDeploy component of deploy.stacks, whose group the environment's
// stack holds as well (delivery's targetSpec).
func TestStackRegionOfCodeDeploy(t *testing.T) {
	const (
		block     = "deploy:\n  codeDeploy: {instanceTags: {app: [web]}, instanceRoles: [web]}\n"
		component = "deploy:\n  stacks:\n    - {name: infra, stackName: shop-infra, templatePath: infra.yaml, executionPolicy: {managedPolicyArns: [\"arn:aws:iam::aws:policy/AmazonSQSFullAccess\"]}}\n" +
			"    - {name: web, dependsOn: [infra], codeDeploy: {instanceTags: {app: [web]}, instanceRoles: [web]}}\n"
		stackRegionMsg = `environments[0].stackRegion "eu-west-1": the codedeploy strategy creates its CodeDeploy group or EKS access entry in the environment's stack, which must be in its region us-east-1; remove stackRegion (moving such an environment to another region takes two steps: README, "Changes that deploy as updates")`
		regionsMsg     = `environments[0].regions "us-east-1,us-west-2": the codedeploy strategy creates its CodeDeploy group or EKS access entry in one region; split this environment into one environment per region`
	)
	for _, tt := range []struct{ name, deploy, env, want string }{
		{"block, stackRegion its region", block, "regions: [us-east-1], stackRegion: us-east-1", ""},
		{"block, stackRegion another region", block, "regions: [us-east-1], stackRegion: eu-west-1", "relay.yaml:5: " + stackRegionMsg},
		{"block, two regions", block, "regions: [us-east-1, us-west-2]", "relay.yaml:5: " + regionsMsg},
		{"component, stackRegion its region", component, "regions: [us-east-1], stackRegion: us-east-1", ""},
		{"component, stackRegion another region", component, "regions: [us-east-1], stackRegion: eu-west-1", "relay.yaml:5: " + stackRegionMsg},
		{"component, two regions", component, "regions: [us-east-1, us-west-2]", "relay.yaml:5: " + regionsMsg},
	} {
		base := releaseBase[:strings.Index(releaseBase, "regions: [us-east-1]")] + tt.env + "}\n"
		_, err := Parse("relay.yaml", []byte(base+tt.deploy))
		if got := fmt.Sprint(err); (tt.want == "" && err != nil) || (tt.want != "" && got != tt.want) {
			t.Errorf("%s: Parse() error = %v\nwant %q", tt.name, err, tt.want)
		}
	}
}

// TestValidateCodeDeploy checks the rules of the EC2/on-premises deployment, each with its
// message.
func TestValidateCodeDeploy(t *testing.T) {
	runReleaseCases(t, []releaseCase{
		{"minimum healthy hosts without a value", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}, instanceRoles: [web], minimumHealthyHosts: {type: FLEET_PERCENT}}\n",
			`deploy.codeDeploy.minimumHealthyHosts.value "": required: the number of hosts (HOST_COUNT) or the percentage of the fleet (FLEET_PERCENT) that stays healthy`},
		{"EC2 without instance roles", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}}\n",
			`deploy.codeDeploy.instanceRoles "": required: name the roles of the instances' profiles`},
		{"EC2 instance role as an ARN", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}, instanceRoles: [\"arn:aws:iam::222222222222:role/web\"]}\n",
			`deploy.codeDeploy.instanceRoles[0] "arn:aws:iam::222222222222:role/web": must be a role name (not an ARN)`},
		{"blue-green EC2 without an Auto Scaling group", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}, style: blue-green, targetGroups: [web]}\n",
			`deploy.codeDeploy.autoScalingGroups "": blue-green needs an Auto Scaling group`},
		// CodeDeploy's quotas: 10 tags in a tag group, 10 Auto Scaling
		// groups (the default) in a deployment group.
		{"eleven instance tags", "deploy:\n  codeDeploy: {instanceTags: {app: [a0, a1, a2, a3, a4, a5], tier: [t0, t1, t2, t3, t4]}, instanceRoles: [web]}\n",
			`deploy.codeDeploy.instanceTags "11": CodeDeploy selects instances by at most 10 tags in a tag group (https://docs.aws.amazon.com/codedeploy/latest/userguide/instances-tagging.html), and Relay writes instanceTags as one tag group with a tag per key and value, 11, so CloudFormation would fail to create the deployment group: tag the instances with one shared tag (such as app: [billing]), or list their Auto Scaling groups in deploy.codeDeploy.autoScalingGroups instead`},
		{"eleven on-premises tags", "deploy:\n  codeDeploy: {onPremisesTags: {app: [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10]}, instanceRoles: [web]}\n",
			`deploy.codeDeploy.onPremisesTags "11": CodeDeploy selects instances by at most 10 tags`},
		{"eleven Auto Scaling groups", "deploy:\n  codeDeploy: {autoScalingGroups: [g0, g1, g2, g3, g4, g5, g6, g7, g8, g9, g10], instanceRoles: [web]}\n",
			`deploy.codeDeploy.autoScalingGroups "11": CodeDeploy takes at most 10 Auto Scaling groups in a deployment group (the default quota, https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html), so CloudFormation would fail to create it: deploy through at most 10 groups, or select the other instances with deploy.codeDeploy.instanceTags, or, once Service Quotas raised the quota to at least 11 in every account this deploys to, declare it in quotas.codeDeployAutoScalingGroups`},
		// CloudFormation refuses a tag group or an alarm list with an item
		// twice (uniqueItems; CodeDeploy's AlarmConfiguration).
		{"an instance tag twice", "deploy:\n  codeDeploy: {instanceTags: {app: [billing, billing]}, instanceRoles: [web]}\n",
			`deploy.codeDeploy.instanceTags.app[1] "billing": is listed twice; CloudFormation refuses a deployment group whose tag group holds the same tag twice (its items must be unique); remove one`},
		{"an on-premises tag twice", "deploy:\n  codeDeploy: {onPremisesTags: {app: [a, b, a]}, instanceRoles: [web]}\n",
			`deploy.codeDeploy.onPremisesTags.app[2] "a": is listed twice; CloudFormation refuses a deployment group whose tag group holds the same tag twice (its items must be unique); remove one`},
		// CloudWatch alarm names hold no ASCII control character
		// (PutMetricAlarm's AlarmName): no alarm has such a name.
		{"an alarm name with a control character", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}, instanceRoles: [web], alarms: [\"web\\r5xx\"]}\n",
			`deploy.codeDeploy.alarms[0] "web\r5xx": must be a CloudWatch alarm name of 1 to 255 characters, without commas or control characters`},
		{"an alarm name of 256 characters", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}, instanceRoles: [web], alarms: [" + strings.Repeat("é", 256) + "]}\n",
			`must be a CloudWatch alarm name of 1 to 255 characters`},
		{"an alarm twice", "deploy:\n  codeDeploy: {instanceTags: {app: [web]}, instanceRoles: [web], alarms: [web-5xx, web-5xx]}\n",
			`deploy.codeDeploy.alarms[1] "web-5xx": is listed twice; CodeDeploy takes each alarm name once per deployment group; remove one`},
	})
	// At the quotas: ten tags of each kind, ten Auto Scaling groups.
	at := "deploy:\n  codeDeploy: {instanceTags: {app: [a0, a1, a2, a3, a4], tier: [t0, t1, t2, t3, t4]}, onPremisesTags: {app: [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9]}, autoScalingGroups: [g0, g1, g2, g3, g4, g5, g6, g7, g8, g9], instanceRoles: [web]}\n"
	if _, err := Parse("relay.yaml", []byte(withoutSettings(releaseBase)+at)); err != nil {
		t.Errorf("ten tags and ten Auto Scaling groups: %v", err)
	}
}

// TestExistingServerGroup checks an EC2/on-premises deployment through an
// existing application and deployment group: it takes several regions, and
// refuses each setting of a Relay-created group by name.
func TestExistingServerGroup(t *testing.T) {
	const existing = "deploy:\n  codeDeploy:\n    existingGroup: {application: web, deploymentGroup: \"web-${env}-${region}\"}\n    instanceRoles: [web]\n"
	cfg, err := Parse("relay.yaml", []byte(strings.Replace(withoutSettings(releaseBase), "regions: [us-east-1]", "regions: [us-east-1, us-west-2]", 1)+existing))
	if err != nil {
		t.Fatalf("existing group in two regions: %v", err)
	}
	if x := cfg.Deploy.CodeDeploy; x.Style != "" || x.DeploymentConfig != "" {
		t.Errorf("an existing group took a Relay group's defaults: style %q, deploymentConfig %q", x.Style, x.DeploymentConfig)
	}
	runReleaseCases(t, []releaseCase{
		{"with instance tags", existing + "    instanceTags: {app: [web]}\n",
			`deploy.codeDeploy.instanceTags "app": configures a deployment group Relay creates; with existingGroup the existing group keeps its own instanceTags: remove it here (change it on the group)`},
		{"with a rolling configuration", existing + "    minimumHealthyHosts: {type: FLEET_PERCENT, value: 75}\n",
			`deploy.codeDeploy.minimumHealthyHosts "FLEET_PERCENT 75": configures a deployment group Relay creates`},
		{"with a style", existing + "    style: blue-green\n", `deploy.codeDeploy.style "blue-green": configures a deployment group Relay creates`},
		{"without instance roles", "deploy:\n  codeDeploy:\n    existingGroup: {application: web, deploymentGroup: web}\n",
			`deploy.codeDeploy.instanceRoles "": required`},
		{"with an ARN for a name", "deploy:\n  codeDeploy:\n    existingGroup: {application: \"arn:aws:codedeploy:us-east-1:222222222222:application:web\", deploymentGroup: web}\n    instanceRoles: [web]\n",
			`deploy.codeDeploy.existingGroup.application "arn:aws:codedeploy:us-east-1:222222222222:application:web": required: the name of the existing CodeDeploy application`},
	})
}

// TestAlarmNameRule checks the CloudWatch alarm name rule shared by
// CodeDeploy alarms and entry conditions: characters, not bytes, count.
func TestAlarmNameRule(t *testing.T) {
	for _, tt := range []struct {
		name, alarm string
		ok          bool
	}{
		{"plain", "web-5xx", true},
		{"255 characters of two bytes each", strings.Repeat("é", 255), true},
		{"256 characters", strings.Repeat("é", 256), false},
		{"empty", "", false},
		{"a comma", "a,b", false},
		{"a tab", "a\tb", false},
		{"DEL", "a\x7f", false},
		{"a C1 control character", "a\u0085", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := alarmNameRule(tt.alarm) == ""; got != tt.ok {
				t.Errorf("alarmNameRule(%q) = %q, want ok %v", tt.alarm, alarmNameRule(tt.alarm), tt.ok)
			}
		})
	}
}
