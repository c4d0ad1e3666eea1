package config

import "testing"

// TestApplicability checks that a setting written where it does not apply
// is refused by name, never dropped: per environment kind (account,
// accounts, organizationalUnits), per release strategy, and per wave.
func TestApplicability(t *testing.T) {
	ou := func(c *Config, i int, ous ...string) {
		c.Environments[i].Account, c.Environments[i].OrganizationalUnits = "", ous
		c.Environments[i].Parameters = nil
	}
	runValidateCases(t, []validateCase{
		{
			name: "hooks with an organizationalUnits environment",
			mutate: func(c *Config) {
				ou(c, 1, "ou-ab12-cd34ef56")
			},
			want: []string{`deploy.hooks "smoke-test": run in account environments only, and environments[1] "production" (organizationalUnits) would deploy without them: give StackSet environments a Relay configuration of their own, or remove the hooks`},
		},
		{
			name: "hooks with accounts environments",
			mutate: func(c *Config) {
				c.Environments[0].Account, c.Environments[0].Accounts, c.Environments[0].Parameters = "", []string{"444444444444"}, nil
				c.Environments[1].Account, c.Environments[1].Accounts, c.Environments[1].Parameters = "", []string{"555555555555"}, nil
			},
			want: []string{`deploy.hooks "smoke-test": run in account environments only, and environments[0] "staging" (accounts), environments[1] "production" (accounts) would deploy without them: give StackSet environments a Relay configuration of their own, or remove the hooks`},
		},
		{
			name: "settings of a StackSet environment",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil
				ou(c, 1, "ou-ab12-cd34ef56")
				c.Environments[1].Settings = map[string]string{"listener": "x", "group": "y"}
			},
			want: []string{
				`environments[1].settings.group "group": is used by no ${...} placeholder of a field that expands in organizationalUnits environments; remove it, or use it as ${group}`,
				`environments[1].settings.listener "listener": is used by no ${...} placeholder of a field that expands in organizationalUnits environments; remove it, or use it as ${listener}`,
			},
		},
		{
			name: "a setting of a StackSet environment fills its stack name",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil
				c.Deploy.StackName = "payments-${tier}"
				ou(c, 1, "ou-ab12-cd34ef56")
				c.Environments[0].Settings = map[string]string{"tier": "staging"}
				c.Environments[1].Settings = map[string]string{"tier": "members"}
			},
		},
		{
			name: "no ${region} or ${account} for a StackSet",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil
				c.Deploy.StackName = "payments-${account}"
				c.Deploy.TemplatePath = "template-${region}.json"
				ou(c, 1, "ou-ab12-cd34ef56")
			},
			want: []string{
				`deploy.stackName "payments-${account}": uses ${account}, and environments[1] "production" (organizationalUnits) deploys to many accounts with one action; remove ${account} here`,
				`deploy.templatePath "template-${region}.json": uses ${region}, and environments[1] "production" (organizationalUnits) deploys one StackSet to all its regions with one action; remove ${region} here`,
			},
		},
		{
			name: "setting no placeholder uses",
			mutate: func(c *Config) {
				c.Deploy.Hooks[0].Lambda.Function = "payments-${stage}-smoke-test"
				c.Environments[0].Settings = map[string]string{"stage": "stg", "stgae": "stg"}
				c.Environments[1].Settings = map[string]string{"stage": "prod"}
			},
			want: []string{"environments[0].settings.stgae \"stgae\": is used by no ${...} placeholder of a field that expands in account environments; remove it, or use it as ${stgae}"},
		},
		{
			name: "change-set settings with another strategy",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy = ExecutionPolicy{}
				c.Deploy.S3 = &S3Deploy{Bucket: "payments-site-${account}"}
				c.Deploy.S3.applyDefaults()
				c.Deploy.Capabilities = []string{"CAPABILITY_IAM"}
				c.Deploy.TemplatePath = "out/template.json"
				c.Environments[1].TemplateConfiguration = "config/prod.json"
				c.Environments[1].ReviewChangeSet = true
			},
			want: []string{
				`deploy.capabilities "CAPABILITY_IAM": applies to CloudFormation workloads only, and the s3 strategy deploys no stack; remove it`,
				`deploy.templatePath "out/template.json": applies to CloudFormation workloads only, and the s3 strategy deploys no stack; remove it`,
				`environments[0].parameters "DeploymentConfig,HookRoleArn,JobResultRoleArn,PermissionsBoundaryArn": applies to CloudFormation workloads only, and the s3 strategy deploys no stack; remove it`,
				`environments[1].parameters "DeploymentConfig,HookRoleArn,JobResultRoleArn,PermissionsBoundaryArn": applies to CloudFormation workloads only, and the s3 strategy deploys no stack; remove it`,
				`environments[1].templateConfiguration "config/prod.json": applies to CloudFormation workloads only, and the s3 strategy deploys no stack; remove it`,
				`environments[1].reviewChangeSet "true": applies to CloudFormation workloads only, and the s3 strategy deploys no stack; remove it`,
			},
		},
		{
			name: "template macros with an organizationalUnits environment",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil
				c.Deploy.Capabilities = []string{"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"}
				ou(c, 1, "ou-ab12-cd34ef56")
			},
			want: []string{`deploy.capabilities[1] "CAPABILITY_AUTO_EXPAND": acknowledges template macros, and the service-managed StackSet of an organizationalUnits environment fails on any macro (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html): environments[1] "production"; deploy a template without macros and remove it, or list those accounts as an accounts environment (a self-managed StackSet, which runs macros)`},
		},
		{
			name: "template macros with accounts environments",
			mutate: func(c *Config) {
				c.Deploy.Hooks = nil
				c.Deploy.Capabilities = []string{"CAPABILITY_AUTO_EXPAND"}
				c.Environments[1].Account, c.Environments[1].Accounts, c.Environments[1].Parameters = "", []string{"555555555555"}, nil
			},
		},
		{
			name:   "stackSetsCallAs without organizational units",
			mutate: func(c *Config) { c.Organization.StackSetsCallAs = "SELF" },
			want:   []string{`organization.stackSetsCallAs "SELF": applies to organizationalUnits environments only (service-managed StackSets), and there are none; remove it`},
		},
		{
			name: "a wave agrees on its stage",
			mutate: func(c *Config) {
				c.Environments[0].Wave, c.Environments[1].Wave = "all", "all"
				c.Environments[1].Approval = nil
				c.Environments[0].Freeze = &Freeze{Reason: "Holiday freeze"}
				c.Environments[1].Freeze = &Freeze{Reason: "Audit freeze"}
				c.Environments[0].EntryConditions = &EntryConditions{DeploymentWindow: &DeploymentWindow{Cron: "cron(* 9-16 ? * MON-FRI *)", TimeZone: "UTC"}}
				c.Environments[1].EntryConditions = &EntryConditions{DeploymentWindow: &DeploymentWindow{Cron: "cron(* 9-16 ? * MON-FRI *)", TimeZone: "Europe/Berlin"}}
				c.Environments[0].DisableRollback = true
			},
			want: []string{
				`environments[1].freeze.reason "Audit freeze": environments[0] in wave "all" is frozen with another reason, and a wave is one stage with one freeze: give its environments the same reason, or freeze one of them`,
				`environments[1].entryConditions.deploymentWindow "cron(* 9-16 ? * MON-FRI *) Europe/Berlin": environments[0] in wave "all" has another deployment window, and a wave is one stage with one window: give its environments the same window, or set it on one of them`,
				`environments[0].disableRollback "true": wave "all" is one stage, which rolls back unless every environment in it disables rollback: set disableRollback on every environment of the wave, or on none`,
			},
		},
		{
			name: "a wave frozen once, or the same everywhere",
			mutate: func(c *Config) {
				c.Environments[0].Wave, c.Environments[1].Wave = "all", "all"
				c.Environments[0].Freeze = &Freeze{Reason: "Holiday freeze"}
				c.Environments[0].DisableRollback, c.Environments[1].DisableRollback = true, true
			},
		},
		{
			name: "EKS cluster with GitOps only",
			mutate: func(c *Config) {
				c.Deploy.ExecutionPolicy, c.Deploy.Capabilities = ExecutionPolicy{}, nil
				c.Deploy.Hooks = nil
				for i := range c.Environments {
					c.Environments[i].Parameters = nil
				}
				c.Deploy.EKS = &EKSDeploy{Cluster: "web", GitOps: &GitOps{Repository: "https://github.com/acme/gitops.git", File: "envs/${env}/values.yaml",
					TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-AbCdEf"}}
				c.Deploy.EKS.applyDefaults(func(string, bool) bool { return true }, c.Source.gitOpsValue())
			},
			want: []string{`deploy.eks.cluster "web": applies to helm only: GitOps commits to a repository and needs no cluster; remove it`},
		},
	})
}
