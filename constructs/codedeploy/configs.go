package codedeploy

import (
	"fmt"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/internal/deployconfigs"
)

// The predefined deployment configs, short names (package deployconfigs).
var (
	ecsConfigs    = deployconfigs.ECS()
	serverConfigs = deployconfigs.Server()
)

// DefaultECSConfig is the deployment config of an ECS deployment group
// unless ECSProps.DeploymentConfig says otherwise: all traffic at once, after
// the test listener stage.
const DefaultECSConfig = configPrefix + defaults.ECSDeploymentConfig

// DefaultServerConfig is the deployment config of an EC2/on-premises
// deployment group unless ServerProps says otherwise: one instance at a time.
const DefaultServerConfig = configPrefix + defaults.ServerDeploymentConfig

// ECSConfigName returns the full name of a predefined ECS deployment config,
// given with or without the CodeDeployDefault. prefix ("ECSCanary10Percent5Minutes"
// or "CodeDeployDefault.ECSCanary10Percent5Minutes"). "" is DefaultECSConfig.
// Names are case-sensitive, as in CodeDeploy. The error lists the accepted
// names.
func ECSConfigName(s string) (string, error) {
	full, ok := predefined(s, ecsConfigs, DefaultECSConfig)
	if !ok {
		return "", fmt.Errorf("unknown ECS deployment config %q; %s", s, acceptedECS())
	}
	return full, nil
}

// ServerConfigName returns the full name of a predefined EC2/on-premises
// deployment config, given with or without the CodeDeployDefault. prefix
// ("HalfAtATime" or "CodeDeployDefault.HalfAtATime"). "" is
// DefaultServerConfig. Names are case-sensitive, as in CodeDeploy. The error
// lists the accepted names; for any other rollout, set
// ServerProps.MinimumHealthyHosts.
func ServerConfigName(s string) (string, error) {
	full, ok := predefined(s, serverConfigs, DefaultServerConfig)
	if !ok {
		return "", fmt.Errorf("unknown EC2/on-premises deployment config %q; %s", s, acceptedServer())
	}
	return full, nil
}

func predefined(s string, names []string, def string) (string, bool) {
	if s == "" {
		return def, true
	}
	if short, ok := deployconfigs.Short(s, names); ok {
		return configPrefix + short, true
	}
	return "", false
}

func acceptedECS() string {
	return "use one of " + strings.Join(ecsConfigs, ", ") + " (the " + configPrefix + " prefix is optional)"
}

func acceptedServer() string {
	return "use one of " + strings.Join(serverConfigs, ", ") + " (the " + configPrefix +
		" prefix is optional), or set MinimumHealthyHosts for a custom config"
}
