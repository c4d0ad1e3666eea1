package iameval

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestChangeSetCalls: a CloudFormation action's calls, per ActionMode, on
// its stack in its role's account and its region; only CreateChangeSet
// carries the execution role, which the action also passes to
// CloudFormation.
func TestChangeSetCalls(t *testing.T) {
	const (
		deploy = "arn:aws:iam::222222222222:role/relay/p/p-staging-deploy"
		exec   = "arn:aws:iam::222222222222:role/relay/p/p-staging-cfn-exec"
		stack  = "arn:aws:cloudformation:eu-west-1:222222222222:stack/p-app/" + stackID
	)
	type call struct {
		action, resource string
		context          map[string][]string
	}
	tests := []struct {
		name string
		cfg  map[string]interface{}
		want []call
	}{
		{"CHANGE_SET_REPLACE passes the execution role",
			map[string]interface{}{"ActionMode": "CHANGE_SET_REPLACE", "StackName": "p-app", "ChangeSetName": "relay", "RoleArn": exec},
			[]call{
				{"cloudformation:DescribeStacks", stack, nil},
				{"cloudformation:DeleteChangeSet", stack, nil},
				{"iam:PassRole", exec, map[string][]string{"iam:PassedToService": {"cloudformation.amazonaws.com"}}},
				{"cloudformation:CreateChangeSet", stack, map[string][]string{"cloudformation:RoleArn": {exec}}},
				{"cloudformation:DescribeChangeSet", stack, nil},
			}},
		{"CHANGE_SET_REPLACE without RoleArn passes no role",
			map[string]interface{}{"ActionMode": "CHANGE_SET_REPLACE", "StackName": "p-app", "ChangeSetName": "relay"},
			[]call{
				{"cloudformation:DescribeStacks", stack, nil},
				{"cloudformation:DeleteChangeSet", stack, nil},
				{"cloudformation:CreateChangeSet", stack, nil},
				{"cloudformation:DescribeChangeSet", stack, nil},
			}},
		{"CHANGE_SET_EXECUTE names no role",
			map[string]interface{}{"ActionMode": "CHANGE_SET_EXECUTE", "StackName": "p-app", "ChangeSetName": "relay"},
			[]call{
				{"cloudformation:DescribeChangeSet", stack, nil},
				{"cloudformation:ExecuteChangeSet", stack, nil},
				{"cloudformation:DescribeStacks", stack, nil},
				{"cloudformation:DescribeStackEvents", stack, nil},
			}},
		{"another mode makes no call here",
			map[string]interface{}{"ActionMode": "CREATE_UPDATE", "StackName": "p-app", "RoleArn": exec}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []call
			for _, p := range changeSetCalls(Principal{ARN: deploy}, "eu-west-1", tc.cfg) {
				if p.Request.Principal.ARN != deploy || p.What == "" {
					t.Errorf("%s: principal %q, what %q", p.Request.Action, p.Request.Principal.ARN, p.What)
				}
				got = append(got, call{p.Request.Action, p.Request.Resource, p.Request.Context})
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(call{})); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}
