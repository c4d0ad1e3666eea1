package config

import (
	"fmt"
	"path"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// Assets says how the workload's assets (Lambda code, files and container
// images the build produces) reach the accounts that deploy them: into
// stores Relay owns in the tooling account, an asset bucket per region
// (<name>-assets-<tooling account>-<region>) and, with images, an ECR
// repository relay/<name>/assets per region, each readable by exactly the
// roles that deploy from it. Target accounts need no CDK bootstrap for the
// workload.
type Assets struct {
	// Publish is who uploads the assets. "build": the build itself, with
	// `aws cloudformation package --s3-bucket "$RELAY_ASSET_BUCKET"` or `sam
	// package`, into the store of each region deployed to (the project's
	// RELAY_ASSET_BUCKETS lists them as region=bucket; with more than one
	// region, the build packages once per region and no template path is
	// read in two regions, such as packaged-${region}.yaml); the path from
	// commit to the first
	// environment stays one CodeBuild action. "stage": an Assets
	// stage after Build (and Test and Scan) publishes the CDK asset
	// manifests (`cdk synth` output) to the store of every region deployed
	// to. Required.
	Publish string `yaml:"publish" json:"publish"`
	// Images creates the image repositories too. With publish build, the
	// build pushes to $RELAY_ASSET_REPOSITORY and needs build.privileged.
	// Default: false.
	Images bool `yaml:"images,omitempty" json:"images,omitempty"`
	// Manifests is the folder of the build output with the asset
	// manifests (publish stage only). Default: cdk.out.
	Manifests string `yaml:"manifests,omitempty" json:"manifests,omitempty"`
	// MaxConcurrentPublishes is how many publish actions (one per region)
	// run at once (publish stage only), 1 to 60 (CodeBuild's default quota
	// of concurrent builds). Default: 4.
	MaxConcurrentPublishes int `yaml:"maxConcurrentPublishes,omitempty" json:"maxConcurrentPublishes,omitempty"`
}

// SelfUpdate, when present, adds an UpdatePipeline stage right after Build
// that deploys every Relay stack from the source: the target stacks, then
// the tooling stack with the pipeline; when the pipeline changed, the
// execution restarts on the new definition. The source must be the
// delivery repository: a go.mod that requires the Relay module (the version
// deployed) and the configuration file. Write `selfUpdate: {}` for the
// defaults.
type SelfUpdate struct {
	// Config is the configuration file's path in the source. Default:
	// relay.yaml.
	Config string `yaml:"config,omitempty" json:"config,omitempty"`
	// BootstrapQualifier is the qualifier the tooling and target accounts
	// were bootstrapped with (cdk bootstrap --qualifier). Default:
	// hnb659fds.
	BootstrapQualifier string `yaml:"bootstrapQualifier,omitempty" json:"bootstrapQualifier,omitempty"`
}

// The values of assets.publish.
const (
	PublishByBuild = "build"
	PublishByStage = "stage"
)

func (c *Config) assetsDefaults(unset unsetFunc) {
	if a := c.Assets; a != nil && a.Publish == PublishByStage {
		if unset("assets.manifests", a.Manifests == "") {
			a.Manifests = defaults.AssetManifests
		}
		if unset("assets.maxConcurrentPublishes", a.MaxConcurrentPublishes == 0) {
			a.MaxConcurrentPublishes = defaults.MaxConcurrentPublishes
		}
	}
	if s := c.SelfUpdate; s != nil {
		if unset("selfUpdate.config", s.Config == "") {
			s.Config = defaults.SelfUpdateConfig
		}
		if unset("selfUpdate.bootstrapQualifier", s.BootstrapQualifier == "") {
			s.BootstrapQualifier = defaults.BootstrapQualifier
		}
	}
}

// relativePathRule accepts a relative path inside the source or build
// output.
func relativePathRule(s, example string) string {
	if !values.PathCharacters(s) || path.IsAbs(s) || strings.Contains("/"+s+"/", "/../") {
		return "must be a relative path of letters, digits and ._/-, such as " + example
	}
	return ""
}

// packagedRegionRules checks, with assets.publish build, that each packaged
// template is deployed in one region: Lambda reads a function's code from
// a bucket (and image from a repository) in the function's own region
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-code.html,
// S3Bucket: "must be in the same AWS Region as your function"), and the
// build's aws cloudformation package or sam package writes one bucket
// into a template. So two environments (or regions of one) in different
// regions must not read the same template path once placeholders are
// filled (${region} does it: the build packages once per region, from
// RELAY_ASSET_BUCKETS), and an environment of StackSets, which deploys one
// template to all its regions, has one region.
func (c *Config) packagedRegionRules(p *problems) {
	type use struct {
		region string
		env    int
	}
	first := map[string]use{} // expanded template path -> where first deployed
	reported := map[string]bool{}
	for i, e := range c.Environments {
		kind := kindOf(e)
		if kind == "tooling" {
			continue
		}
		if kind != "account" && len(e.Regions) > 1 {
			p.add(envPath(i, "regions"), strings.Join(e.Regions, ","), "with assets.publish build, a StackSet environment deploys one packaged template to every region it lists, and that template names the asset bucket of one region, from which Lambda in the others cannot read: give this environment one region (an environment per region), or use publish: stage with a CDK workload")
			continue
		}
		for _, region := range e.Regions {
			expandIn := region
			if kind != "account" {
				expandIn = "" // one StackSet action for its region
			}
			x, errs := c.expand(i, expandIn)
			if len(errs) > 0 {
				continue // the placeholder rules report them
			}
			for k, comp := range x.Deploy.Components() {
				if !comp.IsStack() {
					continue
				}
				path := c.Deploy.componentPath(k, "templatePath")
				prev, seen := first[comp.TemplatePath]
				switch {
				case !seen:
					first[comp.TemplatePath] = use{region, i}
				case prev.region != region && !reported[path]:
					reported[path] = true
					// A StackSet environment takes no ${region}
					// (undefinedRule): a template per environment.
					fix := "package once per region into the bucket RELAY_ASSET_BUCKETS names for it, and write the path with ${region}, such as packaged-${region}.yaml"
					if kind != "account" || kindOf(c.Environments[prev.env]) != "account" {
						fix = "package once per environment into the bucket RELAY_ASSET_BUCKETS names for its region, and write the path with ${env}, such as packaged-${env}.yaml (a StackSet environment takes no ${region}, so an account environment of several regions needs an environment per region here)"
					}
					p.add(path, c.Deploy.Components()[k].TemplatePath, fmt.Sprintf("with assets.publish build, environments[%d] in %s and environments[%d] in %s read the same template %s, which names the asset bucket of one region, from which Lambda in the other cannot read (a function's code is in its own region): %s", prev.env, prev.region, i, region, comp.TemplatePath, fix))
				}
			}
		}
	}
}

// validateAssets checks assets and selfUpdate, and the environments that
// cannot carry them.
func (c *Config) validateAssets(p *problems) {
	if a := c.Assets; a != nil {
		p.add("assets.publish", a.Publish, oneOfRule(a.Publish, []string{PublishByBuild, PublishByStage}))
		switch a.Publish {
		case PublishByStage:
			p.add("assets.manifests", a.Manifests, relativePathRule(a.Manifests, "cdk.out"))
			if max := limits.Max(limits.CodeBuildConcurrent); a.MaxConcurrentPublishes < 1 || a.MaxConcurrentPublishes > max {
				p.add("assets.maxConcurrentPublishes", fmt.Sprint(a.MaxConcurrentPublishes),
					fmt.Sprintf("must be 1 to %d: CodeBuild runs at most %d builds at once per account and region by default (%s), and the build and other pipelines share them", max, max, limits.ByID(limits.CodeBuildConcurrent).Source))
			}
		case PublishByBuild:
			if a.Manifests != "" {
				p.add("assets.manifests", a.Manifests, "applies to publish: stage only; with publish: build the build uploads the assets itself: remove it")
			}
			if a.MaxConcurrentPublishes != 0 {
				p.add("assets.maxConcurrentPublishes", fmt.Sprint(a.MaxConcurrentPublishes), "applies to publish: stage only (one publish action per region): remove it")
			}
			if c.Build.None {
				p.add("assets.publish", a.Publish, "needs a build (build is none): with publish build the build uploads the assets; use publish: stage, or add a build")
			}
			if a.Images && !c.Build.Privileged && !c.Build.None {
				p.add("build.privileged", "false", "must be true with assets.images and publish: build: the build pushes the images with Docker")
			}
			c.packagedRegionRules(p)
		}
		if a.Images {
			for i, e := range c.Environments {
				if len(e.OrganizationalUnits) > 0 {
					p.add(envPath(i, "organizationalUnits"), strings.Join(e.OrganizationalUnits, ","), "cannot carry assets.images: an image repository's policy names the accounts that pull, and the accounts of an organizational unit are not known at synth: list the accounts (environments[].accounts), or ship the images from a registry the organization can read")
				}
			}
		}
	}
	if s := c.SelfUpdate; s != nil {
		if c.Build.None {
			p.add("selfUpdate", "", "needs a build (build is none): the pipeline updates itself only from a commit whose build succeeded, so that a commit that does not build cannot change the pipeline; add a build or remove selfUpdate")
		}
		p.add("selfUpdate.config", s.Config, relativePathRule(s.Config, "relay.yaml"))
		if !values.BootstrapQualifier(s.BootstrapQualifier) {
			p.add("selfUpdate.bootstrapQualifier", s.BootstrapQualifier, "must be 1 to 10 lowercase letters and digits, the --qualifier given to cdk bootstrap (default hnb659fds)")
		}
	}
}
