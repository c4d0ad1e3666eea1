package limits_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/limits"
)

type obj = map[string]interface{}

// relayRole is a template resource of a role at Relay's path for pipeline
// orders, trusting the pipeline role of the tooling account (pinned).
func relayRole(name string, change func(props obj)) obj {
	props := obj{
		"RoleName": name, "Path": "/relay/orders/",
		"AssumeRolePolicyDocument": obj{"Version": "2012-10-17", "Statement": []interface{}{obj{
			"Effect": "Allow", "Action": "sts:AssumeRole",
			"Principal": obj{"AWS": obj{"Fn::Join": []interface{}{"", []interface{}{"arn:", obj{"Ref": "AWS::Partition"}, ":iam::111111111111:root"}}}},
			"Condition": obj{"ArnEquals": obj{"aws:PrincipalArn": "arn:aws:iam::111111111111:role/relay/orders/orders-pipeline"}},
		}}},
	}
	if change != nil {
		change(props)
	}
	return obj{"Type": "AWS::IAM::Role", "Properties": props}
}

var allowAll = obj{"Version": "2012-10-17", "Statement": []interface{}{obj{"Effect": "Allow", "Action": "*", "Resource": "*"}}}

// TestCheckRelayRoles has a non-compliant case for each shape the rule
// flags (an administrator policy, an Allow of * on *, a widened trust) and
// compliant ones for what it leaves alone.
func TestCheckRelayRoles(t *testing.T) {
	const fix = "remove it: Relay grants its roles what their jobs call and names who may assume them; give the job a role of your own, or grant it through Relay's props (such as target.Props.DeployStatements)"
	tests := []struct {
		name      string
		resources obj
		want      []string
	}{
		{"Relay's roles as Relay writes them", obj{
			"Deploy": relayRole("orders-staging-deploy", nil),
			"Policy": obj{"Type": "AWS::IAM::Policy", "Properties": obj{"PolicyName": "p", "Roles": []interface{}{obj{"Ref": "Deploy"}},
				"PolicyDocument": obj{"Statement": []interface{}{obj{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}}}},
		}, nil},
		{"AdministratorAccess and IAMFullAccess on a deploy role", obj{
			"Deploy": relayRole("orders-staging-deploy", func(p obj) {
				p["ManagedPolicyArns"] = []interface{}{
					obj{"Fn::Join": []interface{}{"", []interface{}{"arn:", obj{"Ref": "AWS::Partition"}, ":iam::aws:policy/AdministratorAccess"}}},
					"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/IAMFullAccess",
				}
			}),
		}, []string{
			`orders-staging/Deploy: ManagedPolicyArns[0] "arn:aws:iam::aws:policy/AdministratorAccess" on orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/), is as strong as AdministratorAccess: ` + fix,
			`orders-staging/Deploy: ManagedPolicyArns[2] "arn:aws:iam::aws:policy/IAMFullAccess" on orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/), is as strong as AdministratorAccess: ` + fix,
		}},
		{"an Allow of * on * inline, attached and by name", obj{
			"Pipeline": relayRole("orders-pipeline", func(p obj) {
				p["Policies"] = []interface{}{obj{"PolicyName": "team", "PolicyDocument": allowAll}}
			}),
			"Generated": relayRole("", func(p obj) { delete(p, "RoleName") }),
			"TeamPolicy": obj{"Type": "AWS::IAM::Policy", "Properties": obj{"PolicyName": "team", "PolicyDocument": allowAll,
				"Roles": []interface{}{obj{"Ref": "Generated"}, "orders-pipeline"}}},
		}, []string{
			`orders-staging/Pipeline: Policies[0].PolicyDocument.Statement[0] "Allow * on *" on orders-pipeline, a role Relay creates for pipeline orders (path /relay/orders/), grants every action on every resource: ` + fix,
			`orders-staging/TeamPolicy: PolicyDocument.Statement[0] "Allow * on *" (AWS::IAM::Policy) attached to Generated (generated name), a role Relay creates for pipeline orders (path /relay/orders/), grants every action on every resource: ` + fix,
			`orders-staging/TeamPolicy: PolicyDocument.Statement[0] "Allow * on *" (AWS::IAM::Policy) attached to orders-pipeline, a role Relay creates for pipeline orders (path /relay/orders/), grants every action on every resource: ` + fix,
		}},
		{"a trust widened to an account root and to everyone", obj{
			"Deploy": relayRole("orders-staging-deploy", func(p obj) {
				doc := p["AssumeRolePolicyDocument"].(obj)
				doc["Statement"] = append(doc["Statement"].([]interface{}),
					obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"AWS": []interface{}{"arn:aws:iam::999999999999:root", "999999999998", "arn:aws:iam::999999999999:role/ops"}}},
					obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"AWS": "*"}},
				)
			}),
		}, []string{
			`orders-staging/Deploy: AssumeRolePolicyDocument.Statement[1].Principal.AWS "arn:aws:iam::999999999999:root" lets the account root arn:aws:iam::999999999999:root (every principal its administrators allow) assume orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/): no aws:PrincipalArn condition names who, as Relay's trust does: ` + fix,
			`orders-staging/Deploy: AssumeRolePolicyDocument.Statement[1].Principal.AWS "999999999998" lets the account root 999999999998 (every principal its administrators allow) assume orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/): no aws:PrincipalArn condition names who, as Relay's trust does: ` + fix,
			`orders-staging/Deploy: AssumeRolePolicyDocument.Statement[2].Principal.AWS "*" lets everyone assume orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/): no aws:PrincipalArn condition names who, as Relay's trust does: ` + fix,
		}},
		// The approver role trusts the roots accepted with
		// ApproverRootsReason, which it records; the CloudFormation
		// execution role's grants are the team's choice; a team's role
		// at Relay's path under another name is the team's.
		{"what the rule leaves alone", obj{
			"Approver": func() obj {
				r := relayRole("orders-approver", func(p obj) {
					p["AssumeRolePolicyDocument"].(obj)["Statement"] = []interface{}{obj{"Effect": "Allow", "Action": "sts:AssumeRole",
						"Principal": obj{"AWS": "arn:aws:iam::444444444444:root"}}}
				})
				r["Metadata"] = obj{limits.TrustedRootsMetadata: obj{"principals": []interface{}{"arn:aws:iam::444444444444:root"}, "reason": "only the change board assumes roles there"}}
				return r
			}(),
			"Exec": relayRole("orders-staging-cfn-exec", func(p obj) {
				p["AssumeRolePolicyDocument"] = obj{"Statement": []interface{}{obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"Service": "cloudformation.amazonaws.com"}}}}
				p["ManagedPolicyArns"] = []interface{}{"arn:aws:iam::aws:policy/AdministratorAccess"}
			}),
			"Team": relayRole("team-admin", func(p obj) { p["ManagedPolicyArns"] = []interface{}{"arn:aws:iam::aws:policy/AdministratorAccess"} }),
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			found := limits.CheckRelayRoles([]limits.Stack{{ID: "orders-staging", Name: "orders-staging", Environment: "aws://222222222222/us-east-1",
				Template: obj{"Resources": tc.resources}}})
			var got []string
			for _, f := range found {
				if !f.Over() {
					t.Errorf("%v: a warning, want an error", f)
				}
				got = append(got, f.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("CheckRelayRoles() (-want +got):\n%s", diff)
			}
		})
	}
}
