package canary_test

import (
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/canary"
)

// These tests need no jsii runtime.

func TestConfigName(t *testing.T) {
	const use = "use one of AllAtOnce, Canary10Percent5Minutes, Canary10Percent10Minutes, Canary10Percent15Minutes, Canary10Percent30Minutes, Linear10PercentEvery1Minute, Linear10PercentEvery2Minutes, Linear10PercentEvery3Minutes, Linear10PercentEvery10Minutes"
	tests := []struct {
		in, want, wantErr string
	}{
		{"AllAtOnce", "CodeDeployDefault.LambdaAllAtOnce", ""},
		{"Canary10Percent5Minutes", "CodeDeployDefault.LambdaCanary10Percent5Minutes", ""},
		{"Linear10PercentEvery1Minute", "CodeDeployDefault.LambdaLinear10PercentEvery1Minute", ""},
		{"CodeDeployDefault.LambdaCanary10Percent30Minutes", "CodeDeployDefault.LambdaCanary10Percent30Minutes", ""},
		{"CodeDeployDefault.LambdaLinear10PercentEvery10Minutes", "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes", ""},
		// A CfnParameter's value, and a parameter behind the prefix (CDK
		// renders the concatenation as Fn::Join).
		{"${Token[TOKEN.123]}", "${Token[TOKEN.123]}", ""},
		{"CodeDeployDefault.Lambda${Token[TOKEN.7]}", "CodeDeployDefault.Lambda${Token[TOKEN.7]}", ""},
		{"", "", "must be set; " + use},
		{"Canary10Percent7Minutes", "", "unknown Lambda deployment config; " + use},
		{"CodeDeployDefault.LambdaCanary10Percent7Minutes", "", "unknown Lambda deployment config; " + use},
		{"CodeDeployDefault.ECSCanary10Percent5Minutes", "", "unknown Lambda deployment config; " + use},
		{"CodeDeployDefault.AllAtOnce", "", "unknown Lambda deployment config; " + use},
		{"LambdaAllAtOnce", "", "unknown Lambda deployment config; " + use},
		{" AllAtOnce", "", "unknown Lambda deployment config; " + use},
		{"${Token[", "", "unknown Lambda deployment config; " + use},
		{"canary10percent5minutes", "", "names are case-sensitive; use Canary10Percent5Minutes"},
		{"codedeploydefault.lambdaAllAtOnce", "", "names are case-sensitive; use CodeDeployDefault.LambdaAllAtOnce"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := canary.ConfigName(tc.in)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if got != tc.want || gotErr != tc.wantErr {
				t.Errorf("ConfigName(%q) = %q, %q\nwant %q, %q", tc.in, got, gotErr, tc.want, tc.wantErr)
			}
		})
	}
}

func TestShortConfigNames(t *testing.T) {
	names := canary.ShortConfigNames()
	if len(names) != 9 {
		t.Fatalf("ShortConfigNames() has %d names, want CodeDeploy's 9 predefined Lambda configs: %q", len(names), names)
	}
	seen := map[string]bool{}
	for _, n := range names {
		full, err := canary.ConfigName(n)
		if err != nil || full != canary.Prefix+n {
			t.Errorf("ConfigName(%q) = %q, %v; want %q", n, full, err, canary.Prefix+n)
		}
		if seen[n] {
			t.Errorf("ShortConfigNames() lists %q twice", n)
		}
		seen[n] = true
	}
	names[0] = "changed"
	if got := canary.ShortConfigNames()[0]; got != "AllAtOnce" {
		t.Errorf("ShortConfigNames() shares its slice: changing a copy made the first name %q", got)
	}
	// A CloudFormation parameter's AllowedValues take these as they are.
	for _, n := range names[1:] {
		if strings.ContainsAny(n, " ,") {
			t.Errorf("%q: not a plain name", n)
		}
	}
}
