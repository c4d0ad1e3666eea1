// Package deployconfigs names CodeDeploy's predefined deployment
// configurations, as plain Go (no jsii), so that the config validator and
// the constructs that create deployment groups accept the same names.
//
// Source: https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
// (the same names as aws-cdk-lib's EcsDeploymentConfig,
// ServerDeploymentConfig and LambdaDeploymentConfig constants).
package deployconfigs

import (
	"slices"
	"strings"
)

// Prefix starts the full name of every predefined configuration.
const Prefix = "CodeDeployDefault."

// ECS are the ECS blue/green configurations, short names, in the order of
// CodeDeploy's documentation.
func ECS() []string {
	return []string{"ECSAllAtOnce", "ECSLinear10PercentEvery1Minutes", "ECSLinear10PercentEvery3Minutes",
		"ECSCanary10Percent5Minutes", "ECSCanary10Percent15Minutes"}
}

// Server are the EC2/on-premises configurations, short names.
func Server() []string { return []string{"OneAtATime", "HalfAtATime", "AllAtOnce"} }

// Lambda are the Lambda traffic-shifting configurations, short names
// without Prefix+"Lambda": AllAtOnce, then the canaries, then the linear
// ones, fastest first within each kind.
func Lambda() []string {
	return []string{"AllAtOnce",
		"Canary10Percent5Minutes", "Canary10Percent10Minutes", "Canary10Percent15Minutes", "Canary10Percent30Minutes",
		"Linear10PercentEvery1Minute", "Linear10PercentEvery2Minutes", "Linear10PercentEvery3Minutes", "Linear10PercentEvery10Minutes"}
}

// Short is name without Prefix, and whether it is one of names (short
// names, as above). Names are case-sensitive, as in CodeDeploy.
func Short(name string, names []string) (string, bool) {
	short, _ := strings.CutPrefix(name, Prefix)
	return short, slices.Contains(names, short)
}
