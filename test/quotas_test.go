package test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/config"
)

// TestAppDeclaredQuotas runs the app on the example with an execution
// policy of 15 managed policies, over IAM's default quota of 10 per role:
// refused, with the field that declares a raised quota, and nothing
// written; with quotas.iamManagedPoliciesPerRole 20 declared (Service
// Quotas raised it), synthesized: config validation, the target props and
// the app's check of the written templates (limits.Quotas.CheckDir) all
// read the declared quota, and each execution role attaches all 15.
func TestAppDeclaredQuotas(t *testing.T) {
	t.Parallel() // subprocesses of their own; they share only the app binary
	var arns []string
	for i := range 15 {
		arns = append(arns, fmt.Sprintf(`"arn:aws:iam::${account}:policy/payments-deployer-%d"`, i))
	}
	example := strings.Replace(string(config.Example()), "  executionPolicy:\n    statements:\n",
		"  executionPolicy:\n    managedPolicyArns: ["+strings.Join(arns, ", ")+"]\n    statements:\n", 1)
	if example == string(config.Example()) {
		t.Fatal("the example has no deploy.executionPolicy.statements to add managed policies beside")
	}
	for _, tc := range []struct {
		name, quotas string
		want         string // on stderr; "" for a synth that succeeds
	}{
		{"default quota", "", `deploy.executionPolicy.managedPolicyArns "15": IAM attaches at most 10 managed policies to a role (the default quota, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), and each execution role gets all 15, so CloudFormation would fail to create it: merge customer managed policies, grant with deploy.executionPolicy.statements instead, or, once Service Quotas raised the quota to at least 15 (AWS allows up to 25) in every account this deploys to, declare it in quotas.iamManagedPoliciesPerRole`},
		{"declared raised", "quotas: {iamManagedPoliciesPerRole: 20}\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, outdir := writeConfig(t, example+tc.quotas)
			stderr, err := runAppContext(t, appBinary(t), cfg, outdir, map[string]string{"nag": "false"})
			if tc.want != "" {
				if err == nil || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "no templates were written") {
					t.Errorf("app: %v; stderr lacks %q or that no templates were written:\n%s", err, tc.want, stderr)
				}
				return
			}
			if err != nil {
				t.Fatalf("app: %v\n%s", err, stderr)
			}
			for _, env := range []string{"staging", "production"} {
				if n := executionRolePolicies(t, filepath.Join(outdir, "payments-"+env+".template.json")); n != 15 {
					t.Errorf("payments-%s: the execution role attaches %d managed policies, want 15", env, n)
				}
			}
		})
	}
}

// executionRolePolicies is the number of ManagedPolicyArns of the role
// payments-<env>-cfn-exec in the template file.
func executionRolePolicies(t *testing.T, file string) int {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				RoleName          interface{}
				ManagedPolicyArns []interface{}
			}
		}
	}
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatal(err)
	}
	for _, r := range tpl.Resources {
		if name, _ := r.Properties.RoleName.(string); r.Type == "AWS::IAM::Role" && strings.HasSuffix(name, "-cfn-exec") {
			return len(r.Properties.ManagedPolicyArns)
		}
	}
	t.Fatalf("%s: no execution role", file)
	return 0
}
