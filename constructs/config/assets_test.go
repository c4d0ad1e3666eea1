package config

import "testing"

// TestValidateAssets checks the rules of assets and selfUpdate, each with
// its exact message, and the environment kinds that cannot carry them.
func TestValidateAssets(t *testing.T) {
	runValidateCases(t, []validateCase{
		{name: "the example publishes in a stage", mutate: func(c *Config) {}},
		{name: "publish missing", mutate: func(c *Config) { c.Assets = &Assets{} },
			want: []string{`assets.publish "": must be one of build, stage`}},
		// Lambda reads code from a bucket of its own region, and a packaged
		// template names one bucket: one template per region.
		{name: "publish build in two regions from one template", mutate: func(c *Config) {
			c.Assets = &Assets{Publish: PublishByBuild}
			c.Environments[1].Regions = []string{"us-east-1", "eu-west-1"}
		}, want: []string{`deploy.templatePath "template.json": with assets.publish build, environments[0] in us-east-1 and environments[1] in eu-west-1 read the same template template.json, which names the asset bucket of one region, from which Lambda in the other cannot read (a function's code is in its own region): package once per region into the bucket RELAY_ASSET_BUCKETS names for it, and write the path with ${region}, such as packaged-${region}.yaml`}},
		// A template per environment, each environment in one region.
		{name: "publish build, a template per environment in its own region", mutate: func(c *Config) {
			c.Assets = &Assets{Publish: PublishByBuild}
			c.Environments[1].Regions = []string{"eu-west-1"}
			c.Deploy.TemplatePath = "packaged-${env}.yaml"
		}},
		{name: "publish build in two regions, a template per region", mutate: func(c *Config) {
			c.Assets = &Assets{Publish: PublishByBuild}
			c.Environments[1].Regions = []string{"us-east-1", "eu-west-1"}
			c.Deploy.TemplatePath = "packaged-${region}.yaml"
		}},
		// One region other than the tooling region needs no ${region}.
		{name: "publish build in one region outside the tooling region", mutate: func(c *Config) {
			c.Assets = &Assets{Publish: PublishByBuild}
			for i := range c.Environments {
				c.Environments[i].Regions = []string{"eu-west-1"}
			}
			c.Deploy.Hooks = nil
		}},
		{name: "publish build with stacks, one of them from one template", mutate: func(c *Config) {
			c.Assets = &Assets{Publish: PublishByBuild}
			c.Environments[1].Regions = []string{"us-east-1", "eu-west-1"}
			c.Deploy.Hooks, c.Deploy.StackName, c.Deploy.TemplatePath, c.Deploy.Capabilities = nil, "", "", nil
			for i := range c.Environments {
				c.Environments[i].Parameters = nil
			}
			c.Deploy.Stacks = []Component{{Name: "network", StackName: "payments-network-${region}", TemplatePath: "network.json"},
				{Name: "app", StackName: "payments-app", TemplatePath: "app-${region}.yaml", DependsOn: []string{"network"}}}
		}, want: []string{`deploy.stacks[0].templatePath "network.json": with assets.publish build, environments[0] in us-east-1 and environments[1] in eu-west-1 read the same template network.json, which names the asset bucket of one region, from which Lambda in the other cannot read (a function's code is in its own region): package once per region into the bucket RELAY_ASSET_BUCKETS names for it, and write the path with ${region}, such as packaged-${region}.yaml`}},
		// A StackSet environment takes no ${region}: the fix is a
		// template per environment, which then passes.
		{name: "publish build, one template for a StackSet and an account in other regions", mutate: func(c *Config) {
			c.Assets = &Assets{Publish: PublishByBuild}
			c.Deploy.TemplatePath = "packaged.yaml"
			c.Deploy.Hooks = nil
			c.Environments[1] = Environment{Name: "fleet", Accounts: []string{"444444444444", "555555555555"}, Regions: []string{"eu-west-1"}}
		}, want: []string{`deploy.templatePath "packaged.yaml": with assets.publish build, environments[0] in us-east-1 and environments[1] in eu-west-1 read the same template packaged.yaml, which names the asset bucket of one region, from which Lambda in the other cannot read (a function's code is in its own region): package once per environment into the bucket RELAY_ASSET_BUCKETS names for its region, and write the path with ${env}, such as packaged-${env}.yaml (a StackSet environment takes no ${region}, so an account environment of several regions needs an environment per region here)`}},
		{name: "publish build, a template per environment for a StackSet and an account in other regions", mutate: func(c *Config) {
			c.Assets = &Assets{Publish: PublishByBuild}
			c.Deploy.TemplatePath = "packaged-${env}.yaml"
			c.Deploy.Hooks = nil
			c.Environments[1] = Environment{Name: "fleet", Accounts: []string{"444444444444", "555555555555"}, Regions: []string{"eu-west-1"}}
		}},
		// A StackSet deploys one template to all of its regions.
		{name: "publish build to a StackSet in two regions", mutate: func(c *Config) {
			c.Assets = &Assets{Publish: PublishByBuild}
			c.Deploy.TemplatePath = "packaged-${region}.yaml"
			c.Deploy.Hooks = nil
			c.Environments[1] = Environment{Name: "fleet", Accounts: []string{"444444444444", "555555555555"}, Regions: []string{"us-east-1", "eu-west-1"}}
		}, want: []string{
			`deploy.templatePath "packaged-${region}.yaml": uses ${region}, and environments[1] "fleet" (accounts) deploys one StackSet to all its regions with one action; remove ${region} here`,
			`environments[1].regions "us-east-1,eu-west-1": with assets.publish build, a StackSet environment deploys one packaged template to every region it lists, and that template names the asset bucket of one region, from which Lambda in the others cannot read: give this environment one region (an environment per region), or use publish: stage with a CDK workload`}},
		{name: "images built by an unprivileged build", mutate: func(c *Config) { c.Assets = &Assets{Publish: PublishByBuild, Images: true} },
			want: []string{`build.privileged "false": must be true with assets.images and publish: build: the build pushes the images with Docker`}},
		{name: "stage settings with publish build", mutate: func(c *Config) {
			c.Assets = &Assets{Publish: PublishByBuild, Manifests: "cdk.out", MaxConcurrentPublishes: 2}
		}, want: []string{
			`assets.manifests "cdk.out": applies to publish: stage only; with publish: build the build uploads the assets itself: remove it`,
			`assets.maxConcurrentPublishes "2": applies to publish: stage only (one publish action per region): remove it`}},
		{name: "more publishes at once than CodeBuild runs", mutate: func(c *Config) { c.Assets.MaxConcurrentPublishes = 61 },
			want: []string{`assets.maxConcurrentPublishes "61": must be 1 to 60: CodeBuild runs at most 60 builds at once per account and region by default (https://docs.aws.amazon.com/codebuild/latest/userguide/limits.html), and the build and other pipelines share them`}},
		{name: "manifests outside the build output", mutate: func(c *Config) { c.Assets.Manifests = "../out" },
			want: []string{`assets.manifests "../out": must be a relative path of letters, digits and ._/-, such as cdk.out`}},
		{name: "images in an organizational unit", mutate: func(c *Config) {
			c.Assets.Images = true
			c.Environments[1] = Environment{Name: "members", OrganizationalUnits: []string{"ou-ab12-cd34ef56"}, Regions: []string{"us-east-1"}}
			c.Deploy.Hooks = nil
		}, want: []string{`environments[1].organizationalUnits "ou-ab12-cd34ef56": cannot carry assets.images: an image repository's policy names the accounts that pull, and the accounts of an organizational unit are not known at synth: list the accounts (environments[].accounts), or ship the images from a registry the organization can read`}},
		{name: "self-update without a build", mutate: func(c *Config) {
			c.Build = Build{None: true}
			c.Assets = nil
			c.SelfUpdate = &SelfUpdate{Config: "relay.yaml", BootstrapQualifier: "hnb659fds"}
		}, want: []string{`selfUpdate "": needs a build (build is none): the pipeline updates itself only from a commit whose build succeeded, so that a commit that does not build cannot change the pipeline; add a build or remove selfUpdate`}},
		{name: "packaged assets without a build", mutate: func(c *Config) {
			c.Build = Build{None: true}
			c.Assets = &Assets{Publish: PublishByBuild}
		}, want: []string{`assets.publish "build": needs a build (build is none): with publish build the build uploads the assets; use publish: stage, or add a build`}},
		{name: "self-update with defaults", mutate: func(c *Config) { c.SelfUpdate = &SelfUpdate{Config: "relay.yaml", BootstrapQualifier: "hnb659fds"} }},
		{name: "self-update config outside the source", mutate: func(c *Config) {
			c.SelfUpdate = &SelfUpdate{Config: "/etc/relay.yaml", BootstrapQualifier: "hnb659fds"}
		},
			want: []string{`selfUpdate.config "/etc/relay.yaml": must be a relative path of letters, digits and ._/-, such as relay.yaml`}},
		{name: "self-update qualifier", mutate: func(c *Config) { c.SelfUpdate = &SelfUpdate{Config: "relay.yaml", BootstrapQualifier: "Qualifier-1"} },
			want: []string{`selfUpdate.bootstrapQualifier "Qualifier-1": must be 1 to 10 lowercase letters and digits, the --qualifier given to cdk bootstrap (default hnb659fds)`}},
	})
}

// TestAssetsDefaults pins the defaults of assets and selfUpdate.
func TestAssetsDefaults(t *testing.T) {
	c, err := Parse("relay.yaml", []byte(`name: payments
tooling: {account: "111111111111", region: us-east-1}
source: {github: {repository: acme/payments, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}
build: {}
assets: {publish: stage}
selfUpdate: {}
deploy: {executionPolicy: {managedPolicyArns: ["arn:aws:iam::aws:policy/AWSLambda_FullAccess"]}}
environments: [{name: staging, account: "222222222222", regions: [us-east-1]}]
`))
	if err != nil {
		t.Fatal(err)
	}
	if a := c.Assets; a.Manifests != "cdk.out" || a.MaxConcurrentPublishes != 4 || a.Images {
		t.Errorf("assets defaults: %+v", *a)
	}
	if s := c.SelfUpdate; s.Config != "relay.yaml" || s.BootstrapQualifier != "hnb659fds" {
		t.Errorf("selfUpdate defaults: %+v", *s)
	}
}
