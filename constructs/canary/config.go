package canary

import (
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/relaycdk/relay/internal/deployconfigs"
)

// Prefix starts the full name of every predefined Lambda deployment config:
// Prefix + "Canary10Percent5Minutes" is
// "CodeDeployDefault.LambdaCanary10Percent5Minutes". Prepend it to a
// CfnParameter that takes a short name: Prefix + *param.ValueAsString().
const Prefix = "CodeDeployDefault.Lambda"

// shortNames are the predefined Lambda deployment configs, without Prefix.
var shortNames = deployconfigs.Lambda()

// ShortConfigNames are the short names of CodeDeploy's predefined Lambda
// deployment configs, fastest first within each kind: AllAtOnce, then the
// canaries, then the linear ones. Use them as a CfnParameter's
// AllowedValues. The slice is a copy.
func ShortConfigNames() []string { return slices.Clone(shortNames) }

// token matches a CDK string token, such as a CfnParameter's ValueAsString
// (CDK's Token.isUnresolved, without starting the jsii runtime).
var token = regexp.MustCompile(`\$\{Token\[[a-zA-Z0-9:._-]+\]\}`)

// isToken reports whether s holds an unresolved CDK token.
func isToken(s string) bool { return token.MatchString(s) }

// ConfigName returns the full CodeDeploy name of a predefined Lambda
// deployment config given by its short name (Canary10Percent5Minutes) or
// its full name (CodeDeployDefault.LambdaCanary10Percent5Minutes). A string
// that holds an unresolved CDK token is returned as is: it must resolve to a
// full name at deploy time.
//
// It needs no jsii runtime, so a config validator can call it. The error
// states the rule and the fix but not the value, so that callers prefix the
// field and the value: fmt.Errorf("%s %q: %w", field, s, err).
func ConfigName(s string) (string, error) {
	if isToken(s) {
		return s, nil
	}
	if s == "" {
		return "", errors.New("must be set; use one of " + strings.Join(shortNames, ", "))
	}
	short := strings.TrimPrefix(s, Prefix)
	if slices.Contains(shortNames, short) {
		return Prefix + short, nil
	}
	for _, n := range shortNames {
		switch {
		case strings.EqualFold(s, n):
			return "", errors.New("names are case-sensitive; use " + n)
		case strings.EqualFold(s, Prefix+n):
			return "", errors.New("names are case-sensitive; use " + Prefix + n)
		}
	}
	return "", errors.New("unknown Lambda deployment config; use one of " + strings.Join(shortNames, ", "))
}
