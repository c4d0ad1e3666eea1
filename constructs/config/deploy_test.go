package config

import (
	"fmt"
	"strings"
	"testing"
)

// TestValidateDeploy checks the rules of deploy: the stack and the execution policy, each with its exact
// message.
func TestValidateDeploy(t *testing.T) {
	runValidateCases(t, []validateCase{
		{
			name:   "stack name starting with a digit",
			mutate: func(c *Config) { c.Deploy.StackName = "1app" },
			want:   []string{`deploy.stackName "1app": must start with a letter and have at most 128 letters, digits and hyphens, such as payments-app`},
		},
		{
			name:   "stack name too long",
			mutate: func(c *Config) { c.Deploy.StackName = "a" + strings.Repeat("b", 128) },
			want:   []string{`deploy.stackName "a` + strings.Repeat("b", 128) + `": must start with a letter and have at most 128 letters, digits and hyphens, such as payments-app`},
		},
		{
			name:   "stack name empty",
			mutate: func(c *Config) { c.Deploy.StackName = "" },
			want:   []string{`deploy.stackName "": must not be empty; set a stack name, or omit it to use the default payments-app`},
		},
		{
			name:   "template path absolute",
			mutate: func(c *Config) { c.Deploy.TemplatePath = "/template.json" },
			want:   []string{`deploy.templatePath "/template.json": must be relative to the build output, such as template.json`},
		},
		{
			name:   "template path outside the artifact",
			mutate: func(c *Config) { c.Deploy.TemplatePath = "out/../../template.json" },
			want:   []string{`deploy.templatePath "out/../../template.json": must not contain ".."; use a path inside the build output, such as template.json`},
		},
		{
			name:   "template path empty",
			mutate: func(c *Config) { c.Deploy.TemplatePath = "" },
			want:   []string{`deploy.templatePath "": must not be empty; set a path relative to the build output, or omit it to use the default template.json`},
		},
		{
			name: "capability unknown and duplicated",
			mutate: func(c *Config) {
				c.Deploy.Capabilities = []string{"CAPABILITY_IAM", "CAPABILITY_ALL", "CAPABILITY_IAM"}
			},
			want: []string{
				`deploy.capabilities[1] "CAPABILITY_ALL": must be one of CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND`,
				`deploy.capabilities[2] "CAPABILITY_IAM": duplicate of deploy.capabilities[0]; remove it`,
			},
		},
		{
			name:   "execution policy grants nothing",
			mutate: func(c *Config) { c.Deploy.ExecutionPolicy = ExecutionPolicy{} },
			want:   []string{`deploy.executionPolicy "": grants nothing; add managedPolicyArns or statements with what the stack needs (Relay never defaults to AdministratorAccess)`},
		},
		{
			name: "execution policy with managed policies only",
			mutate: func(c *Config) {
				c.Environments = c.Environments[:1]
				c.Deploy.ExecutionPolicy = ExecutionPolicy{ManagedPolicyArns: []string{
					"arn:aws:iam::aws:policy/AWSLambda_FullAccess",
					"arn:aws:iam::222222222222:policy/relay/boundaries/PaymentsDeploy",
				}}
			},
		},
		{
			// IAM attaches only AWS managed policies and those of the
			// role's own account: a policy of the tooling account, or of
			// one target account, cannot be attached in another.
			name: "customer managed policy of another account",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy = ExecutionPolicy{ManagedPolicyArns: []string{
					"arn:aws:iam::111111111111:policy/relay/boundaries/PaymentsDeploy",
					"arn:aws:iam::222222222222:policy/payments-deployer",
				}}
			},
			want: []string{
				`deploy.executionPolicy.managedPolicyArns[0] "arn:aws:iam::111111111111:policy/relay/boundaries/PaymentsDeploy": ` + crossAccountPolicy("arn:aws:iam::111111111111:policy/relay/boundaries/PaymentsDeploy", "111111111111", `environments[0] "staging"`, "account 222222222222"),
				`deploy.executionPolicy.managedPolicyArns[1] "arn:aws:iam::222222222222:policy/payments-deployer": ` + crossAccountPolicy("arn:aws:iam::222222222222:policy/payments-deployer", "222222222222", `environments[1] "production"`, "account 333333333333"),
			},
		},
		{
			name: "customer managed policy for StackSet accounts",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil
				c.Environments[0].Parameters = nil
				c.Environments[1].Parameters = nil
				c.Environments[1].Account, c.Environments[1].Accounts = "", []string{"333333333333", "444444444444"}
				c.Deploy.ExecutionPolicy = ExecutionPolicy{ManagedPolicyArns: []string{"arn:aws:iam::333333333333:policy/payments-deployer"}}
				c.Environments = c.Environments[1:]
			},
			want: []string{
				`deploy.executionPolicy.managedPolicyArns[0] "arn:aws:iam::333333333333:policy/payments-deployer": ` + crossAccountPolicy("arn:aws:iam::333333333333:policy/payments-deployer", "333333333333", `environments[0] "production"`, "account 444444444444"),
			},
		},
		{
			name: "customer managed policy with organizational units",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil
				c.Environments[1].Parameters = nil
				c.Environments[1].Account, c.Environments[1].OrganizationalUnits = "", []string{"ou-a1b2-w0rkl0ad"}
				c.Deploy.ExecutionPolicy = ExecutionPolicy{ManagedPolicyArns: []string{"arn:aws:iam::333333333333:policy/payments-deployer"}}
				c.Environments = c.Environments[1:]
			},
			// No execution role of Relay's lives in those accounts: the
			// policy is attached nowhere there, so nothing refuses it.
		},
		{
			// StackSets deploys there through its own roles: no execution
			// role of Relay's, so no policy for one is needed.
			name: "no execution policy, organizational units only",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil
				c.Environments[1].Parameters = nil
				c.Environments[1].Account, c.Environments[1].OrganizationalUnits = "", []string{"ou-a1b2-w0rkl0ad"}
				c.Deploy.ExecutionPolicy = ExecutionPolicy{}
				c.Environments = c.Environments[1:]
			},
		},
		{
			name: "no execution policy, organizational units and an account",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil
				c.Environments[1].Parameters = nil
				c.Environments[1].Account, c.Environments[1].OrganizationalUnits = "", []string{"ou-a1b2-w0rkl0ad"}
				c.Deploy.ExecutionPolicy = ExecutionPolicy{}
			},
			want: []string{`deploy.executionPolicy "": grants nothing; add managedPolicyArns or statements with what the stack needs (Relay never defaults to AdministratorAccess)`},
		},
		{
			// One policy name that every account keeps: ${account} is
			// filled with each execution role's account.
			name: "customer managed policy of each account",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy = ExecutionPolicy{ManagedPolicyArns: []string{"arn:aws:iam::${account}:policy/relay/payments-deployer"}}
			},
		},
		{
			name: "customer managed policy of each StackSet account",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil
				c.Environments[1].Parameters = nil
				c.Environments[1].Account, c.Environments[1].Accounts = "", []string{"333333333333", "444444444444"}
				c.Deploy.ExecutionPolicy = ExecutionPolicy{ManagedPolicyArns: []string{"arn:aws:iam::${account}:policy/payments-deployer"}}
				c.Environments = c.Environments[1:]
			},
		},
		{
			name: "customer managed policy of each organizational unit account",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil
				c.Environments[1].Parameters = nil
				c.Environments[1].Account, c.Environments[1].OrganizationalUnits = "", []string{"ou-a1b2-w0rkl0ad"}
				c.Deploy.ExecutionPolicy = ExecutionPolicy{ManagedPolicyArns: []string{"arn:aws:iam::${account}:policy/payments-deployer"}}
				c.Environments = c.Environments[1:]
			},
		},
		{
			// ${account} is the policy's account and nothing else; no
			// other placeholder fills a managed policy ARN.
			name: "managed policy placeholders elsewhere",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy = ExecutionPolicy{ManagedPolicyArns: []string{
					"arn:aws:iam::${account}:policy/${env}-deployer",
					"arn:aws:iam::${region}:policy/deployer",
				}}
			},
			want: []string{
				`deploy.executionPolicy.managedPolicyArns[0] "arn:aws:iam::${account}:policy/${env}-deployer": must be an IAM managed policy ARN, arn:<partition>:iam::<account ID, ${account} or aws>:policy/<path/name>, such as arn:aws:iam::aws:policy/AWSLambda_FullAccess`,
				`deploy.executionPolicy.managedPolicyArns[1] "arn:aws:iam::${region}:policy/deployer": must be an IAM managed policy ARN, arn:<partition>:iam::<account ID, ${account} or aws>:policy/<path/name>, such as arn:aws:iam::aws:policy/AWSLambda_FullAccess`,
			},
		},
		{
			// IAM's default quota of managed policies per role: the
			// eleventh fails the role's creation.
			name: "eleven managed policies",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy = ExecutionPolicy{ManagedPolicyArns: policyArns(11)}
			},
			want: []string{`deploy.executionPolicy.managedPolicyArns "11": IAM attaches at most 10 managed policies to a role (the default quota, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), and each execution role gets all 11, so CloudFormation would fail to create it: merge customer managed policies, grant with deploy.executionPolicy.statements instead, or, once Service Quotas raised the quota to at least 11 (AWS allows up to 25) in every account this deploys to, declare it in quotas.iamManagedPoliciesPerRole`},
		},
		{
			name: "ten managed policies, one listed twice",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy = ExecutionPolicy{ManagedPolicyArns: append(policyArns(10), policyArns(1)...)}
			},
		},
		{
			name: "managed policy malformed",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.ManagedPolicyArns = []string{"AWSLambda_FullAccess", "arn:aws:iam::aws:role/Admin"}
			},
			want: []string{
				`deploy.executionPolicy.managedPolicyArns[0] "AWSLambda_FullAccess": must be an IAM managed policy ARN, arn:<partition>:iam::<account ID, ${account} or aws>:policy/<path/name>, such as arn:aws:iam::aws:policy/AWSLambda_FullAccess`,
				`deploy.executionPolicy.managedPolicyArns[1] "arn:aws:iam::aws:role/Admin": must be an IAM managed policy ARN, arn:<partition>:iam::<account ID, ${account} or aws>:policy/<path/name>, such as arn:aws:iam::aws:policy/AWSLambda_FullAccess`,
			},
		},
		{
			name: "managed policy in another partition",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.ManagedPolicyArns = []string{"arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"}
			},
			want: []string{`deploy.executionPolicy.managedPolicyArns[0] "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess": partition "aws-us-gov" does not match partition "aws" of tooling.region us-east-1; use a policy of the tooling partition`},
		},
		{
			name: "AdministratorAccess refused",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.ManagedPolicyArns = []string{"arn:aws:iam::aws:policy/AdministratorAccess"}
			},
			want: []string{`deploy.executionPolicy.managedPolicyArns[0] "arn:aws:iam::aws:policy/AdministratorAccess": grants AdministratorAccess, which is administrator rights; grant only what the stack needs, or set deploy.executionPolicy.allowAdministratorAccess: true with administratorAccessReason to accept it`},
		},
		{
			name: "IAMFullAccess is administrator rights too",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.ManagedPolicyArns = []string{"arn:aws:iam::aws:policy/IAMFullAccess"}
			},
			want: []string{`deploy.executionPolicy.managedPolicyArns[0] "arn:aws:iam::aws:policy/IAMFullAccess": grants IAMFullAccess, which is administrator rights; grant only what the stack needs, or set deploy.executionPolicy.allowAdministratorAccess: true with administratorAccessReason to accept it`},
		},
		{
			name: "AdministratorAccess allowed explicitly, with a reason",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy = ExecutionPolicy{
					ManagedPolicyArns:         []string{"arn:aws:iam::aws:policy/AdministratorAccess"},
					AllowAdministratorAccess:  true,
					AdministratorAccessReason: "The platform team's landing-zone stack manages the account's IAM.",
				}
			},
		},
		{
			name: "AdministratorAccess allowed without a reason",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy = ExecutionPolicy{ManagedPolicyArns: []string{"arn:aws:iam::aws:policy/AdministratorAccess"}, AllowAdministratorAccess: true}
			},
			want: []string{`deploy.executionPolicy.administratorAccessReason "": required with allowAdministratorAccess: say why the stacks need administrator rights, in at least 10 characters`},
		},
		{
			name: "iam:* and sts:AssumeRole on * are administrator rights (field case exec-policy-iam-star)",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements = []Statement{{Sid: "Everything", Actions: []string{"iam:*", "sts:AssumeRole"}, Resources: []string{"*"}, Reason: "CloudFormation creates roles with generated names."}}
			},
			want: []string{`deploy.executionPolicy.statements[0] "Everything": is as strong as AdministratorAccess: iam:* on * includes iam:AttachRolePolicy, with which the role can give itself administrator rights; scope it to the workload's own resources (such as arn:aws:iam::*:role/payments-app-*), or set deploy.executionPolicy.allowAdministratorAccess: true with administratorAccessReason to accept it`},
		},
		// Versioning the stacks' own policies by a pattern that also
		// matches the attached payments-deployer is accepted: the execution
		// role's policy denies it every change of its attached customer
		// managed policies (iampolicy.Guards, DenyChangingAttachedPolicies),
		// and an explicit deny wins, so the statement cannot rewrite them.
		{
			name: "a pattern that versions the stacks' policies and matches the attached one",
			mutate: func(c *Config) {
				c.Deploy.StackName = "payments"
				c.Deploy.ExecutionPolicy = ExecutionPolicy{
					ManagedPolicyArns: []string{"arn:aws:iam::${account}:policy/payments-deployer"},
					Statements: []Statement{
						{Sid: "Versions", Actions: []string{"iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"}, Resources: []string{"arn:aws:iam::*:policy/payments-*"}, Reason: "The stacks update the policies they create."},
						{Sid: "OwnVersions", Actions: []string{"iam:SetDefaultPolicyVersion"}, Resources: []string{"arn:aws:iam::${account}:policy/payments-deployer"}, Reason: "The stacks update the policies they create."},
					},
				}
			},
		},
		// A pattern may match roles nobody reviewed, trusted by any
		// service: AWS's advice is to name the services with
		// iam:PassedToService (IAM User Guide, "Grant a user permissions to
		// pass a role to an AWS service"). A named role is bounded by its
		// own trust policy.
		{
			name: "PassRole on a pattern without iam:PassedToService",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements = []Statement{
					{Sid: "Pass", Actions: []string{"iam:GetRole", "iam:PassRole"}, Resources: []string{"arn:aws:iam::*:role/payments-app-*"}, Reason: "The function roles end in generated suffixes."},
					{Sid: "Roles", Actions: []string{"iam:*"}, Resources: []string{"arn:aws:iam::*:role/payments-app-*"}, Reason: "The function roles end in generated suffixes."},
				}
			},
			want: []string{
				statement0 + `.actions[1] "iam:PassRole": passes every role that arn:aws:iam::*:role/payments-app-* matches to any service that trusts it; grant iam:PassRole in a statement of its own with conditions: {StringEquals: {"iam:PassedToService": [lambda.amazonaws.com]}} naming the services the stacks pass roles to (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html), or name each role`,
				`deploy.executionPolicy.statements[1].actions[0] "iam:*": includes iam:PassRole, and passes every role that arn:aws:iam::*:role/payments-app-* matches to any service that trusts it; grant iam:PassRole in a statement of its own with conditions: {StringEquals: {"iam:PassedToService": [lambda.amazonaws.com]}} naming the services the stacks pass roles to (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html), or name each role`,
			},
		},
		{
			name: "PassRole on a pattern to named services, or of a named role",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements = append(c.Deploy.ExecutionPolicy.Statements,
					Statement{Sid: "PassToLambda", Actions: []string{"iam:PassRole"}, Resources: []string{"arn:aws:iam::*:role/payments-app-*"}, Reason: "The function roles end in generated suffixes.",
						Conditions: map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {"lambda.amazonaws.com"}}}},
					Statement{Sid: "PassTaskRole", Actions: []string{"iam:PassRole"}, Resources: []string{"arn:aws:iam::222222222222:role/payments-task"}})
			},
		},
		{
			name: "PassRole on a pattern to a pattern of services",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements = []Statement{{Sid: "Pass", Actions: []string{"iam:PassRole"}, Resources: []string{"arn:aws:iam::*:role/payments-app-*"}, Reason: "The function roles end in generated suffixes.",
					Conditions: map[string]map[string][]string{"StringLike": {"iam:PassedToService": {"*.amazonaws.com"}}}}}
			},
			want: []string{statement0 + `.actions[0] "iam:PassRole": passes every role that arn:aws:iam::*:role/payments-app-* matches to any service that trusts it (its StringLike condition on iam:PassedToService does not count: the service "*.amazonaws.com" is a pattern; name each service principal); grant iam:PassRole in a statement of its own with conditions: {StringEquals: {"iam:PassedToService": [lambda.amazonaws.com]}} naming the services the stacks pass roles to (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html), or name each role`},
		},
		// iam:PassedToService is single-valued: AWS advises no set
		// operator with it, and IfExists admits a request without it. The
		// refusal says which condition did not count.
		{
			name: "PassRole on a pattern with a set operator or IfExists on iam:PassedToService",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements = []Statement{
					{Sid: "Pass", Actions: []string{"iam:PassRole"}, Resources: []string{"arn:aws:iam::*:role/payments-app-*"}, Reason: "The task roles end in generated suffixes.",
						Conditions: map[string]map[string][]string{"ForAnyValue:StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}},
					{Sid: "PassIfExists", Actions: []string{"iam:PassRole"}, Resources: []string{"arn:aws:iam::*:role/payments-app-*"}, Reason: "The task roles end in generated suffixes.",
						Conditions: map[string]map[string][]string{"StringEqualsIfExists": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}},
				}
			},
			want: []string{
				statement0 + `.actions[0] "iam:PassRole": passes every role that arn:aws:iam::*:role/payments-app-* matches to any service that trusts it (its ForAnyValue:StringEquals condition on iam:PassedToService does not count: the key is single-valued, and AWS advises no set operator with a single-valued key (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html); write StringEquals); grant iam:PassRole in a statement of its own with conditions: {StringEquals: {"iam:PassedToService": [lambda.amazonaws.com]}} naming the services the stacks pass roles to (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html), or name each role`,
				`deploy.executionPolicy.statements[1].actions[0] "iam:PassRole": passes every role that arn:aws:iam::*:role/payments-app-* matches to any service that trusts it (its StringEqualsIfExists condition on iam:PassedToService does not count: only StringEquals, StringEqualsIgnoreCase or StringLike limit the services (IfExists or a negated operator admits requests it does not match)); grant iam:PassRole in a statement of its own with conditions: {StringEquals: {"iam:PassedToService": [lambda.amazonaws.com]}} naming the services the stacks pass roles to (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html), or name each role`,
			},
		},
		{
			name: "statement conditions",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements[0].Conditions = map[string]map[string][]string{
					"StringEquals":                   {"aws:RequestedRegion": {"us-east-1"}},
					"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": {"team*"}},
					"StringEqualz":                   {"aws:x": {"y"}},
					"ArnLike":                        {"not a key": {"x"}, "aws:SourceArn": {}},
				}
			},
			want: []string{
				statement0 + `.conditions.ArnLike.aws:SourceArn "": lists no value; add at least one`,
				statement0 + `.conditions.ArnLike "not a key": is not a condition key; use service:key, such as aws:RequestedRegion or s3:prefix`,
				statement0 + `.conditions "StringEqualz": is not an IAM condition operator; use one such as StringEquals, ArnLike, Bool or ForAnyValue:StringLike`,
			},
		},
		{
			// Relay writes policies as text: no Fn::Sub resolves
			// CloudFormation's ${AWS::...}, IAM would read a policy
			// variable no request has, and the grant would match nothing.
			// IAM's own policy variables stay allowed.
			name: "CloudFormation pseudo parameters in a resource",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements[0].Resources = []string{"arn:${AWS::Partition}:s3:::payments-data/*", "arn:aws:s3:::payments-data/${aws:username}/*"}
				c.Deploy.ExecutionPolicy.Statements[0].Reason = "The stacks write objects under one prefix per user."
			},
			want: []string{
				statement0 + `.resources[0] "arn:${AWS::Partition}:s3:::payments-data/*": holds ${AWS::Partition}, CloudFormation's Fn::Sub syntax, which nothing resolves in a policy statement: IAM would read it as a policy variable that no request has, and the grant would match nothing; write the partition as text (arn:aws:...), and the account and region as ${account} and ${region}, which Relay fills for each role`,
			},
		},
		{
			name: "customer policy named AdministratorAccess is not the AWS one",
			mutate: func(c *Config) {
				c.Environments = c.Environments[:1]
				c.Deploy.ExecutionPolicy.ManagedPolicyArns = []string{"arn:aws:iam::222222222222:policy/AdministratorAccess"}
			},
		},
		{
			name:   "statement without actions",
			mutate: func(c *Config) { c.Deploy.ExecutionPolicy.Statements[0].Actions = nil },
			want:   []string{statement0 + `.actions "": required; list at least one action, such as s3:GetObject`},
		},
		{
			name: "statement with a bare wildcard and a malformed action",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements[0].Actions = []string{"*", "lambda", "Lambda:Invoke", "s3:Get*"}
			},
			want: []string{
				statement0 + `.actions[0] "*": "*" alone allows every action of every service; name services, such as lambda:* or s3:GetObject`,
				statement0 + `.actions[1] "lambda": must be service:Action, such as lambda:CreateFunction or lambda:*`,
				statement0 + `.actions[2] "Lambda:Invoke": write the service prefix in lowercase, lambda:Invoke (IAM reads it either way; Relay's checks of IAM writes and admin-equivalent grants compare it in lowercase)`,
			},
		},
		{
			name:   "statement without resources",
			mutate: func(c *Config) { c.Deploy.ExecutionPolicy.Statements[0].Resources = []string{} },
			want:   []string{statement0 + `.resources "": required; list at least one resource ARN, or "*"`},
		},
		{
			name:   "statement resource not an ARN",
			mutate: func(c *Config) { c.Deploy.ExecutionPolicy.Statements[0].Resources = []string{"my-bucket"} },
			want:   []string{statement0 + `.resources[0] "my-bucket": must be "*" or an ARN starting with arn:, such as arn:aws:s3:::my-bucket/*`},
		},
		{
			// IAM refuses a policy document with characters beyond
			// U+00FF (PutRolePolicy's PolicyDocument pattern), so the role
			// would fail to create; an ARN is one line (CloudFormation's
			// IAM resource pattern, cfn-lint E3510). Latin-1 and
			// spaces stay allowed (S3 keys may hold them).
			name: "statement resource and condition value outside IAM's characters",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements[0].Resources = []string{"arn:aws:s3:::payments-data/café menu", "arn:aws:s3:::payments-data/€", "arn:aws:s3:::payments-data/a\nb"}
				c.Deploy.ExecutionPolicy.Statements[0].Conditions = map[string]map[string][]string{"StringEquals": {"aws:PrincipalTag/team": {"café", "☃"}}}
			},
			want: []string{
				statement0 + `.resources[1] "arn:aws:s3:::payments-data/€": holds "€" (U+20AC) at byte 27, which IAM refuses in a policy document: it takes printable characters through U+00FF (Basic Latin and Latin-1 Supplement) only (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html); write it in those characters, or match it with a wildcard such as ?`,
				statement0 + ".resources[2] \"arn:aws:s3:::payments-data/a\\nb\": holds the control character U+000A at byte 28, such as a line break: an ARN is one line of text (CloudFormation's IAM resource schema and cfn-lint refuse it); remove it",
				statement0 + `.conditions.StringEquals.aws:PrincipalTag/team[1] "☃": holds "☃" (U+2603) at byte 0, which IAM refuses in a policy document: it takes printable characters through U+00FF (Basic Latin and Latin-1 Supplement) only (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html); write it in those characters, or match it with a wildcard such as ?`,
			},
		},
		{
			name:   "statement sid with punctuation",
			mutate: func(c *Config) { c.Deploy.ExecutionPolicy.Statements[0].Sid = "service-resources" },
			want:   []string{statement0 + `.sid "service-resources": must contain only letters and digits, such as ServiceResources`},
		},
		{
			name:   "statement sid of Relay's own statements",
			mutate: func(c *Config) { c.Deploy.ExecutionPolicy.Statements[0].Sid = "DenyChangingRelayRoles" },
			want:   []string{statement0 + `.sid "DenyChangingRelayRoles": Relay writes a statement with this Sid into the execution role's policy, and IAM refuses repeated Sids; choose another sid`},
		},
		{
			// With assets, Relay adds ReadWorkloadAssets (and, with
			// images, PullWorkloadImages) to every execution role's policy:
			// the same Sid synthesized and was refused by target.Props,
			// naming its Go fields and no line.
			name: "statement sid of the asset statements, with assets",
			mutate: func(c *Config) {
				c.Assets = &Assets{Publish: PublishByStage, Manifests: "cdk.out", MaxConcurrentPublishes: 1, Images: true}
				c.Deploy.ExecutionPolicy.Statements[0].Sid = "ReadWorkloadAssets"
				c.Deploy.ExecutionPolicy.Statements[1].Sid = "PullWorkloadImages"
			},
			want: []string{
				statement0 + `.sid "ReadWorkloadAssets": Relay writes a statement with this Sid into the execution role's policy, and IAM refuses repeated Sids; choose another sid`,
				`deploy.executionPolicy.statements[1].sid "PullWorkloadImages": Relay writes a statement with this Sid into the execution role's policy, and IAM refuses repeated Sids; choose another sid`,
			},
		},
		{
			name: "statement sid of the asset statements, without assets",
			mutate: func(c *Config) {
				c.Assets = nil
				c.Deploy.ExecutionPolicy.Statements[0].Sid = "ReadWorkloadAssets"
			},
		},
		{
			name: "statement sid repeated",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements[0].Sid = "Same"
				c.Deploy.ExecutionPolicy.Statements[1].Sid = "Same"
			},
			want: []string{`deploy.executionPolicy.statements[1].sid "Same": also the sid of deploy.executionPolicy.statements[0], and IAM refuses repeated Sids in a policy; choose another sid`},
		},
		{
			name: "wildcard statement without a reason",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy.Statements[0].Reason = "because"
				c.Deploy.ExecutionPolicy.Statements = append(c.Deploy.ExecutionPolicy.Statements, Statement{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::bucket/key"}})
			},
			want: []string{`deploy.executionPolicy.statements[0].reason "because": required (at least 10 characters) because the statement has a wildcard; say why the stack needs it, e.g. "CloudFormation generates the function names"`},
		},
	})
}

// crossAccountPolicy is the rule refusing a customer managed policy of
// account for the execution role of env, in where.
func crossAccountPolicy(arn, account, env, where string) string {
	return "is a customer managed policy of account " + account + ", and " + env + " deploys with an execution role in " + where +
		": IAM attaches to a role only AWS managed policies (arn:<partition>:iam::aws:policy/...) and customer managed policies of the role's own account; " +
		"create the policy in every account under one name and write its account as ${account} (" + strings.Replace(arn, ":"+account+":", ":${account}:", 1) + "), " +
		"or grant what the stacks need with statements instead, or use an AWS managed policy"
}

// policyArns are n managed policy ARNs of each target account.
func policyArns(n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("arn:aws:iam::${account}:policy/payments-deployer-%d", i))
	}
	return out
}
