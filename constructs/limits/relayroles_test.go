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

// execRole is a CloudFormation execution role of pipeline orders, and
// execPolicy its default policy with Relay's permissions-boundary guards
// (iampolicy.Guards), each changed by change when not nil.
func execRole(change func(props obj)) obj {
	return relayRole("orders-staging-cfn-exec", func(p obj) {
		p["AssumeRolePolicyDocument"] = obj{"Statement": []interface{}{obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"Service": "cloudformation.amazonaws.com"}}}}
		p["ManagedPolicyArns"] = []interface{}{"arn:aws:iam::aws:policy/AdministratorAccess"}
		if change != nil {
			change(p)
		}
	})
}

func execPolicy(change func(statements []interface{}) []interface{}) obj {
	statements := []interface{}{
		obj{"Sid": "DenyWritesWithoutTheBoundary", "Effect": "Deny", "Resource": "*",
			"Action": []interface{}{"iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
				"iam:CreateUser", "iam:PutUserPermissionsBoundary", "iam:AttachUserPolicy", "iam:DetachUserPolicy", "iam:PutUserPolicy", "iam:DeleteUserPolicy"},
			"Condition": obj{"StringNotEquals": obj{"iam:PermissionsBoundary": "arn:aws:iam::222222222222:policy/relay/orders/orders-staging-boundary"}}},
		obj{"Sid": "DenyRemovingBoundaries", "Effect": "Deny", "Resource": "*", "Action": []interface{}{"iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"}},
		obj{"Sid": "DenyPassingRelayRoles", "Effect": "Deny", "Action": "iam:PassRole", "Resource": "arn:aws:iam::222222222222:role/relay/orders/*"},
	}
	if change != nil {
		statements = change(statements)
	}
	return obj{"Type": "AWS::IAM::Policy", "Properties": obj{"PolicyName": "ExecPolicy", "Roles": []interface{}{obj{"Ref": "Exec"}},
		"PolicyDocument": obj{"Version": "2012-10-17", "Statement": statements}}}
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
			"Exec":       execRole(nil),
			"ExecPolicy": execPolicy(nil),
			"Team":       relayRole("team-admin", func(p obj) { p["ManagedPolicyArns"] = []interface{}{"arn:aws:iam::aws:policy/AdministratorAccess"} }),
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkRelayRoles(t, tc.resources, tc.want)
		})
	}
}

// TestCheckRelayRolesBoundary: a CloudFormation execution role keeps the
// permissions-boundary guards Relay writes on it; an escape hatch that
// deletes them or names another boundary is flagged, one that denies
// more is not.
func TestCheckRelayRolesBoundary(t *testing.T) {
	const (
		role = "orders-staging-cfn-exec, a role Relay creates for pipeline orders (path /relay/orders/)"
		fix  = "keep the statement as Relay writes it (target.New gives it to every CloudFormation execution role, in the role's default policy): remove the escape hatch (AddPropertyOverride, AddPropertyDeletionOverride, AddOverride) that deletes or changes it"
	)
	missingWrites := `orders-staging/Exec: Deny statement "DenyWritesWithoutTheBoundary" is missing from ` + role + `, a CloudFormation execution role: without it the role may create and change roles and users without Relay's permissions boundary (a policy at /relay/orders/ in account 222222222222), and so grant them more than it holds: ` + fix
	missingRemovals := `orders-staging/Exec: Deny statement "DenyRemovingBoundaries" is missing from ` + role + `, a CloudFormation execution role: without it the role may take Relay's permissions boundary off the roles and users it created: ` + fix
	setBoundary := func(v interface{}) func([]interface{}) []interface{} {
		return func(s []interface{}) []interface{} {
			s[0].(obj)["Condition"] = obj{"StringNotEquals": obj{"iam:PermissionsBoundary": v}}
			return s
		}
	}
	tests := []struct {
		name      string
		resources obj
		want      []string
	}{
		{"as Relay writes it, with the boundary's partition and account as intrinsics", obj{"Exec": execRole(nil), "ExecPolicy": execPolicy(setBoundary(
			obj{"Fn::Join": []interface{}{"", []interface{}{"arn:", obj{"Ref": "AWS::Partition"}, ":iam::", obj{"Ref": "AWS::AccountId"}, ":policy/relay/orders/orders-staging-boundary"}}}))}, nil},
		{"a Deny of every IAM write, without a condition", obj{"Exec": execRole(nil), "ExecPolicy": execPolicy(func(s []interface{}) []interface{} {
			return append(s[1:], obj{"Effect": "Deny", "Action": "iam:*", "Resource": "*"})
		})}, nil},
		{"both guards deleted", obj{"Exec": execRole(nil), "ExecPolicy": execPolicy(func(s []interface{}) []interface{} { return s[2:] })},
			[]string{missingWrites, missingRemovals}},
		{"the default policy deleted; a StackSets administration role is not judged", obj{"Exec": execRole(nil),
			"StackSetAdmin": relayRole("orders-stackset-admin", func(p obj) {
				p["AssumeRolePolicyDocument"] = obj{"Statement": []interface{}{obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"Service": "cloudformation.amazonaws.com"},
					"Condition": obj{"StringEquals": obj{"aws:SourceAccount": "222222222222"}}}}}
			})},
			[]string{missingWrites, missingRemovals}},
		{"the guards' condition widened", obj{"Exec": execRole(nil), "ExecPolicy": execPolicy(func(s []interface{}) []interface{} {
			s[0].(obj)["Condition"].(obj)["StringEquals"] = obj{"aws:RequestedRegion": "us-east-1"}
			s[1].(obj)["Condition"] = obj{"StringEquals": obj{"aws:RequestedRegion": "us-east-1"}}
			return s
		})}, []string{missingWrites, missingRemovals}},
		{"another boundary", obj{"Exec": execRole(nil), "ExecPolicy": execPolicy(setBoundary("arn:aws:iam::222222222222:policy/team-boundary"))}, []string{
			`orders-staging/ExecPolicy: PolicyDocument.Statement[0].Condition.StringNotEquals.iam:PermissionsBoundary "arn:aws:iam::222222222222:policy/team-boundary" on ` + role + `, is not Relay's permissions boundary (a policy at /relay/orders/ in account 222222222222): the role may create and change roles and users that carry this policy instead: ` + fix,
		}},
		{"Relay's boundary of another account, inline", obj{"Exec": execRole(func(p obj) {
			pol := execPolicy(setBoundary([]interface{}{"arn:aws:iam::222222222222:policy/relay/orders/orders-staging-boundary", "arn:aws:iam::999999999999:policy/relay/orders/orders-staging-boundary"}))
			p["Policies"] = []interface{}{obj{"PolicyName": "guards", "PolicyDocument": pol["Properties"].(obj)["PolicyDocument"]}}
		})}, []string{
			`orders-staging/Exec: Policies[0].PolicyDocument.Statement[0].Condition.StringNotEquals.iam:PermissionsBoundary "arn:aws:iam::999999999999:policy/relay/orders/orders-staging-boundary" on ` + role + `, is not Relay's permissions boundary (a policy at /relay/orders/ in account 222222222222): the role may create and change roles and users that carry this policy instead: ` + fix,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkRelayRoles(t, tc.resources, tc.want)
		})
	}
}

// TestCheckRelayRolesTrust: a service principal added to a role that
// trusts other principals, without an aws:SourceArn or aws:SourceAccount
// condition, and any identity provider are flagged; the service roles and
// source-pinned service trusts Relay writes are not.
func TestCheckRelayRolesTrust(t *testing.T) {
	const (
		deploy = "orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/)"
		hook   = "orders-staging-hook, a role Relay creates for pipeline orders (path /relay/orders/)"
		fix    = "remove it: Relay grants its roles what their jobs call and names who may assume them; give the job a role of your own, or grant it through Relay's props (such as target.Props.DeployStatements)"
		deputy = ": no aws:SourceArn or aws:SourceAccount condition names the resource it acts for, so whoever may pass the role to the service, or point one of its resources at it, acts as the role (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html): " + fix
	)
	trust := func(name string, statements ...interface{}) obj {
		return relayRole(name, func(p obj) {
			doc := p["AssumeRolePolicyDocument"].(obj)
			doc["Statement"] = append(doc["Statement"].([]interface{}), statements...)
		})
	}
	serviceRole := func(name string, services ...interface{}) obj {
		return relayRole(name, func(p obj) {
			p["AssumeRolePolicyDocument"] = obj{"Statement": []interface{}{obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"Service": services}}}}
		})
	}
	tests := []struct {
		name      string
		resources obj
		want      []string
	}{
		{"Relay's shapes: one service, services with source conditions, everyone pinned by aws:PrincipalArn", obj{
			"Deploy": trust("orders-staging-deploy",
				obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"Service": "events.amazonaws.com"},
					"Condition": obj{"StringEquals": obj{"aws:SourceAccount": "222222222222"}, "ArnEquals": obj{"aws:SourceArn": "arn:aws:events:us-east-1:222222222222:rule/orders"}}},
				obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"AWS": "*"},
					"Condition": obj{"ArnLike": obj{"aws:PrincipalArn": "arn:aws:iam::111111111111:role/relay/orders/*"}}}),
			"Hook":  serviceRole("orders-staging-hook", "lambda.amazonaws.com"),
			"Hook2": serviceRole("orders-staging-hook2", "lambda.amazonaws.com", "lambda.amazonaws.com"),
		}, nil},
		{"everyone, behind aws:PrincipalArn patterns that any role or user matches", obj{
			"Deploy": trust("orders-staging-deploy",
				obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"AWS": "*"},
					"Condition": obj{"ArnLike": obj{"aws:PrincipalArn": []interface{}{"arn:aws:iam::111111111111:role/relay/orders/*", "arn:aws:iam::*:role/*"}}}},
				obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"AWS": "*"},
					"Condition": obj{"StringLike": obj{"aws:PrincipalArn": "*"}}},
				obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"AWS": "arn:aws:iam::333333333333:root"},
					"Condition": obj{"ArnEquals": obj{"aws:PrincipalArn": "arn:aws:iam::333333333333:*"}}}),
		}, []string{
			`orders-staging/Deploy: AssumeRolePolicyDocument.Statement[1].Principal.AWS "*" lets everyone assume ` + deploy + `: no aws:PrincipalArn condition names who, as Relay's trust does: ` + fix,
			`orders-staging/Deploy: AssumeRolePolicyDocument.Statement[2].Principal.AWS "*" lets everyone assume ` + deploy + `: no aws:PrincipalArn condition names who, as Relay's trust does: ` + fix,
			`orders-staging/Deploy: AssumeRolePolicyDocument.Statement[3].Principal.AWS "arn:aws:iam::333333333333:root" lets the account root arn:aws:iam::333333333333:root (every principal its administrators allow) assume ` + deploy + `: no aws:PrincipalArn condition names who, as Relay's trust does: ` + fix,
		}},
		{"lambda.amazonaws.com added to a deploy role", obj{
			"Deploy": trust("orders-staging-deploy", obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"Service": "lambda.amazonaws.com"}}),
		}, []string{
			`orders-staging/Deploy: AssumeRolePolicyDocument.Statement[1].Principal.Service "lambda.amazonaws.com" lets the service lambda.amazonaws.com assume ` + deploy + `, which trusts other principals too` + deputy,
		}},
		{"a second service in a service role", obj{
			"Hook": serviceRole("orders-staging-hook", "lambda.amazonaws.com", "states.amazonaws.com"),
		}, []string{
			`orders-staging/Hook: AssumeRolePolicyDocument.Statement[0].Principal.Service "lambda.amazonaws.com" lets the service lambda.amazonaws.com assume ` + hook + `, which trusts other principals too` + deputy,
			`orders-staging/Hook: AssumeRolePolicyDocument.Statement[0].Principal.Service "states.amazonaws.com" lets the service states.amazonaws.com assume ` + hook + `, which trusts other principals too` + deputy,
		}},
		{"an identity provider, even with conditions", obj{
			"Deploy": trust("orders-staging-deploy", obj{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
				"Principal": obj{"Federated": "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com"},
				"Condition": obj{"StringLike": obj{"token.actions.githubusercontent.com:sub": "repo:example/orders:*"}}}),
		}, []string{
			`orders-staging/Deploy: AssumeRolePolicyDocument.Statement[1].Principal.Federated "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com" lets the users of an identity provider assume ` + deploy + `: Relay's roles trust no identity provider: ` + fix,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkRelayRoles(t, tc.resources, tc.want)
		})
	}
}

// TestCheckRelayRolesBroad: PowerUserAccess and AdministratorAccess-Amplify
// on a Relay role, and an Allow with a NotAction or a NotResource, inline
// or attached, are flagged; narrower AWS managed policies and a Deny with
// a NotAction are not.
func TestCheckRelayRolesBroad(t *testing.T) {
	const (
		role = "orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/)"
		fix  = "remove it: Relay grants its roles what their jobs call and names who may assume them; give the job a role of your own, or grant it through Relay's props (such as target.Props.DeployStatements)"
	)
	tests := []struct {
		name      string
		resources obj
		want      []string
	}{
		{"broad AWS managed policies", obj{
			"Deploy": relayRole("orders-staging-deploy", func(p obj) {
				p["ManagedPolicyArns"] = []interface{}{
					"arn:aws:iam::aws:policy/ReadOnlyAccess",
					obj{"Fn::Join": []interface{}{"", []interface{}{"arn:", obj{"Ref": "AWS::Partition"}, ":iam::aws:policy/PowerUserAccess"}}},
					"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
					"arn:aws:iam::aws:policy/AdministratorAccess-Amplify",
					"arn:aws:iam::222222222222:policy/PowerUserAccess",
				}
			}),
		}, []string{
			`orders-staging/Deploy: ManagedPolicyArns[1] "arn:aws:iam::aws:policy/PowerUserAccess" on ` + role + `, grants every action but IAM, Organizations and Account ones on every resource (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/PowerUserAccess.html): ` + fix,
			`orders-staging/Deploy: ManagedPolicyArns[3] "arn:aws:iam::aws:policy/AdministratorAccess-Amplify" on ` + role + `, lets the role create IAM roles with any permissions (https://docs.aws.amazon.com/amplify/latest/userguide/security-iam-awsmanpol.html): ` + fix,
		}},
		{"NotAction and NotResource in an Allow, inline and attached", obj{
			"Deploy": relayRole("orders-staging-deploy", func(p obj) {
				p["Policies"] = []interface{}{obj{"PolicyName": "team", "PolicyDocument": obj{"Statement": []interface{}{
					obj{"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"},
					obj{"Effect": "Allow", "NotAction": []interface{}{"iam:*", "organizations:*"}, "Resource": "*"},
				}}}}
			}),
			"TeamPolicy": obj{"Type": "AWS::IAM::ManagedPolicy", "Properties": obj{"Roles": []interface{}{"orders-staging-deploy"},
				"PolicyDocument": obj{"Statement": []interface{}{obj{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::orders-audit/*"}}}}},
		}, []string{
			`orders-staging/Deploy: Policies[0].PolicyDocument.Statement[1] "Allow with NotAction" on ` + role + `, grants every action but the ones it lists, including those of services AWS adds later: ` + fix,
			`orders-staging/TeamPolicy: PolicyDocument.Statement[0] "Allow with NotResource" (AWS::IAM::ManagedPolicy) attached to ` + role + `, grants its actions on every resource but the ones it lists, in every account: ` + fix,
		}},
		{"a customer managed policy in ManagedPolicyArns, once though its Roles name the role too", obj{
			"Deploy": relayRole("orders-staging-deploy", func(p obj) {
				p["ManagedPolicyArns"] = []interface{}{obj{"Ref": "Readers"}, obj{"Ref": "TeamManaged"}, obj{"Ref": "TeamOnly"}}
			}),
			"Readers": obj{"Type": "AWS::IAM::ManagedPolicy", "Properties": obj{
				"PolicyDocument": obj{"Statement": []interface{}{obj{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}}}},
			"TeamManaged": obj{"Type": "AWS::IAM::ManagedPolicy", "Properties": obj{"Roles": []interface{}{obj{"Ref": "Deploy"}},
				"PolicyDocument": obj{"Statement": []interface{}{obj{"Effect": "Allow", "Action": "*", "Resource": "*"}}}}},
			"TeamOnly": obj{"Type": "AWS::IAM::ManagedPolicy", "Properties": obj{
				"PolicyDocument": obj{"Statement": []interface{}{obj{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}}}},
		}, []string{
			`orders-staging/TeamManaged: PolicyDocument.Statement[0] "Allow * on *" (AWS::IAM::ManagedPolicy) attached to ` + role + `, grants every action on every resource: ` + fix,
			`orders-staging/TeamOnly: PolicyDocument.Statement[0] "Allow with NotAction" (AWS::IAM::ManagedPolicy) attached to ` + role + `, grants every action but the ones it lists, including those of services AWS adds later: ` + fix,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkRelayRoles(t, tc.resources, tc.want)
		})
	}
}

// TestCheckRelayRolesTeamStacks: a policy in a team's own stack attached
// to one of Relay's roles, by its RoleName in the role's account, by an
// Fn::ImportValue of its Ref's export or an Fn::GetStackOutput of its
// Ref's output, is judged as one in Relay's stack; a role of
// that name in another account is not Relay's.
func TestCheckRelayRolesTeamStacks(t *testing.T) {
	const (
		fix      = "remove it: Relay grants its roles what their jobs call and names who may assume them; give the job a role of your own, or grant it through Relay's props (such as target.Props.DeployStatements)"
		exported = "orders-staging:ExportsOutputRefGenerated1A2B3C4D"
	)
	policy := func(typ string, roles []interface{}, statement obj) obj {
		return obj{"Type": typ, "Properties": obj{"PolicyName": "team", "Roles": roles, "PolicyDocument": obj{"Statement": []interface{}{statement}}}}
	}
	// The deploy role holds a managed policy of team-app by its export.
	deploy := relayRole("orders-staging-deploy", func(p obj) {
		p["ManagedPolicyArns"] = []interface{}{obj{"Fn::ImportValue": "team-app:ExportsOutputRefTeamAttached"}}
	})
	stacks := []limits.Stack{
		{ID: "orders-staging", Name: "orders-staging", Environment: "aws://222222222222/us-east-1", Template: obj{
			"Resources": obj{
				"Deploy":    deploy,
				"Generated": relayRole("", func(p obj) { delete(p, "RoleName") }),
			},
			"Outputs": obj{
				"ExportsOutputRefGenerated1A2B3C4D": obj{"Value": obj{"Ref": "Generated"}, "Export": obj{"Name": exported}},
				"PublishOutputRefDeploy1A2B3C4D":    obj{"Value": obj{"Ref": "Deploy"}},
			},
		}},
		{ID: "team-app", Name: "team-app", Environment: "aws://222222222222/us-east-1", Template: obj{
			"Outputs": obj{"ExportsOutputRefTeamAttached": obj{"Value": obj{"Ref": "TeamAttached"}, "Export": obj{"Name": "team-app:ExportsOutputRefTeamAttached"}}},
			"Resources": obj{
				"TeamAttached": policy("AWS::IAM::ManagedPolicy", nil, obj{"Effect": "Allow", "NotResource": "arn:aws:s3:::orders-audit/*", "Action": "s3:*"}),
				"TeamPolicy":   policy("AWS::IAM::Policy", []interface{}{"orders-staging-deploy"}, obj{"Effect": "Allow", "Action": "*", "Resource": "*"}),
				"TeamManaged": policy("AWS::IAM::ManagedPolicy", []interface{}{obj{"Fn::ImportValue": exported}},
					obj{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
				"TeamOutput": policy("AWS::IAM::Policy", []interface{}{obj{"Fn::GetStackOutput": obj{"StackName": "orders-staging", "Region": "us-east-1", "OutputName": "PublishOutputRefDeploy1A2B3C4D"}}},
					obj{"Effect": "Allow", "Action": "*:*", "Resource": "*"}),
				"TeamRead": policy("AWS::IAM::Policy", []interface{}{"orders-staging-deploy", obj{"Fn::ImportValue": exported}},
					obj{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
			}}},
		{ID: "team-other", Name: "team-other", Environment: "aws://333333333333/us-east-1", Template: obj{"Resources": obj{
			"TeamPolicy": policy("AWS::IAM::Policy", []interface{}{"orders-staging-deploy"}, obj{"Effect": "Allow", "Action": "*", "Resource": "*"}),
		}}},
	}
	want := []string{
		`team-app/TeamAttached: PolicyDocument.Statement[0] "Allow with NotResource" (AWS::IAM::ManagedPolicy) attached to orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/) in stack orders-staging, grants its actions on every resource but the ones it lists, in every account: ` + fix,
		`team-app/TeamManaged: PolicyDocument.Statement[0] "Allow with NotAction" (AWS::IAM::ManagedPolicy) attached to Generated (generated name), a role Relay creates for pipeline orders (path /relay/orders/) in stack orders-staging, grants every action but the ones it lists, including those of services AWS adds later: ` + fix,
		`team-app/TeamOutput: PolicyDocument.Statement[0] "Allow * on *" (AWS::IAM::Policy) attached to orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/) in stack orders-staging, grants every action on every resource: ` + fix,
		`team-app/TeamPolicy: PolicyDocument.Statement[0] "Allow * on *" (AWS::IAM::Policy) attached to orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/) in stack orders-staging, grants every action on every resource: ` + fix,
	}
	var got []string
	for _, f := range limits.CheckRelayRoles(stacks) {
		got = append(got, f.Error())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckRelayRoles() (-want +got):\n%s", diff)
	}
}

// checkRelayRoles runs CheckRelayRoles on a stack orders-staging of
// account 222222222222 with resources, and compares the errors with want.
func checkRelayRoles(t *testing.T, resources obj, want []string) {
	t.Helper()
	found := limits.CheckRelayRoles([]limits.Stack{{ID: "orders-staging", Name: "orders-staging", Environment: "aws://222222222222/us-east-1",
		Template: obj{"Resources": resources}}})
	var got []string
	for _, f := range found {
		if !f.Over() {
			t.Errorf("%v: a warning, want an error", f)
		}
		got = append(got, f.Error())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckRelayRoles() (-want +got):\n%s", diff)
	}
}

// TestCheckRelayRolesUnbounded: an IAM write, role chaining or stack change
// that a team's own policy gives a Relay role other than an execution role
// is flagged wherever the policy is (a team's stack by RoleName, a managed
// policy in ManagedPolicyArns, an L1 policy beside the role, the role's
// Policies); the role's own DefaultPolicy (what Relay and policy.NewRole's
// check wrote), reads, iam:PassRole, an execution role and a pipeline's
// role assuming another are not judged.
func TestCheckRelayRolesUnbounded(t *testing.T) {
	const fix = "remove it: Relay grants its roles what their jobs call and names who may assume them; give the job a role of your own, or grant it through Relay's props (such as target.Props.DeployStatements)"
	policy := func(typ string, roles []interface{}, statements ...interface{}) obj {
		return obj{"Type": typ, "Properties": obj{"PolicyName": "team", "Roles": roles, "PolicyDocument": obj{"Statement": statements}}}
	}
	allow := func(resource string, actions ...interface{}) obj {
		return obj{"Effect": "Allow", "Action": actions, "Resource": resource}
	}
	deploy := "orders-staging-deploy, a role Relay creates for pipeline orders (path /relay/orders/)"
	stacks := []limits.Stack{
		{ID: "orders-staging", Name: "orders-staging", Environment: "aws://222222222222/us-east-1", Template: obj{"Resources": obj{
			"DeployRole1DADA256": relayRole("orders-staging-deploy", func(p obj) {
				p["ManagedPolicyArns"] = []interface{}{obj{"Ref": "TeamManaged"}}
				p["Policies"] = []interface{}{obj{"PolicyName": "team", "PolicyDocument": obj{"Statement": []interface{}{allow("*", "s3:GetObject", "sts:AssumeRole")}}}}
			}),
			"DeployRoleDefaultPolicyC74B7B69": policy("AWS::IAM::Policy", []interface{}{obj{"Ref": "DeployRole1DADA256"}},
				allow("arn:aws:iam::222222222222:role/relay/orders/orders-staging-cfn-exec", "iam:PassRole"), allow("*", "iam:CreateRole")),
			"TeamManaged": policy("AWS::IAM::ManagedPolicy", nil, allow("arn:aws:iam::222222222222:role/ops", "sts:AssumeRole")),
			"TeamL1": policy("AWS::IAM::Policy", []interface{}{obj{"Ref": "DeployRole1DADA256"}},
				allow("*", "cloudformation:DescribeStacks", "cloudformation:UpdateStack"), allow("*", "*")),
			"Pipeline": relayRole("orders-pipeline", func(p obj) {
				p["AssumeRolePolicyDocument"] = obj{"Statement": []interface{}{obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": obj{"Service": "codepipeline.amazonaws.com"},
					"Condition": obj{"StringEquals": obj{"aws:SourceAccount": "111111111111"}}}}}
			}),
			"TeamPipeline": policy("AWS::IAM::Policy", []interface{}{obj{"Ref": "Pipeline"}}, allow("arn:aws:iam::222222222222:role/team-action", "sts:AssumeRole"), allow("*", "iam:AttachRolePolicy")),
			"Exec":         execRole(nil),
			"ExecPolicy":   execPolicy(nil),
			"TeamExec":     policy("AWS::IAM::Policy", []interface{}{obj{"Ref": "Exec"}}, allow("*", "iam:CreateRole")),
		}}},
		{ID: "team-app", Name: "team-app", Environment: "aws://222222222222/us-east-1", Template: obj{"Resources": obj{
			"RPolicy7750B97A": policy("AWS::IAM::Policy", []interface{}{"orders-staging-deploy"},
				allow("*", "iam:GetRole", "iam:ListRoles", "iam:PassRole", "s3:GetObject"), allow("*", "IAM:PutRolePolicy", "sts:AssumeRole")),
		}}},
	}
	want := []string{
		`orders-staging/DeployRole1DADA256: Policies[0].PolicyDocument.Statement[0] "sts:AssumeRole" on ` + deploy + `, lets the role assume another role and act with that role's permissions (role chaining): ` + fix,
		`orders-staging/TeamL1: PolicyDocument.Statement[1] "Allow * on *" (AWS::IAM::Policy) attached to ` + deploy + `, grants every action on every resource: ` + fix,
		`orders-staging/TeamL1: PolicyDocument.Statement[0] "cloudformation:UpdateStack" (AWS::IAM::Policy) attached to ` + deploy + `, lets the role change CloudFormation stacks, which CloudFormation changes as each stack's service role (the bootstrap's cfn-exec-role, AdministratorAccess, on the stacks the CDK deployed): ` + fix,
		`orders-staging/TeamManaged: PolicyDocument.Statement[0] "sts:AssumeRole" (AWS::IAM::ManagedPolicy) attached to ` + deploy + `, lets the role assume another role and act with that role's permissions (role chaining): ` + fix,
		`orders-staging/TeamPipeline: PolicyDocument.Statement[1] "iam:AttachRolePolicy" (AWS::IAM::Policy) attached to orders-pipeline, a role Relay creates for pipeline orders (path /relay/orders/), writes IAM, and no permissions boundary bounds the role: it may create or change a role or policy with more than it holds: ` + fix,
		`team-app/RPolicy7750B97A: PolicyDocument.Statement[1] "IAM:PutRolePolicy" (AWS::IAM::Policy) attached to ` + deploy + ` in stack orders-staging, writes IAM, and no permissions boundary bounds the role: it may create or change a role or policy with more than it holds: ` + fix,
	}
	var got []string
	for _, f := range limits.CheckRelayRoles(stacks) {
		got = append(got, f.Error())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckRelayRoles() (-want +got):\n%s", diff)
	}
}
