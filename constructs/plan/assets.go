package plan

import (
	"fmt"
	"path"
	"regexp"
	"slices"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// Assets adds an Assets stage that publishes the workload's assets (Lambda
// code, files, container images) from the build output to the asset stores
// of every region the deployments deploy to, before the first deployment:
// one publish action per region, each publishing every asset once, skipping
// those already published (an object or image tag of the same content
// hash), at most MaxConcurrent actions at once.
//
// The build writes CDK asset manifests (*.assets.json, the output of `cdk
// synth`) under Manifests; their destinations name the stores (package
// assets gives workload apps a synthesizer that does). Templates packaged
// by the build itself (`aws cloudformation package`, `sam package`) need no
// Assets stage: the build uploads to the store of its region.
type Assets struct {
	// Manifests is the folder of the build output with the asset manifests
	// (searched recursively). Default: cdk.out.
	Manifests string
	// Regions are the regions published to. Default: every region of
	// Deployments, sorted.
	Regions []string
	// MaxConcurrent is how many publish actions run at once, 1 to
	// limits.CodeBuildConcurrent (CodeBuild's default concurrency quota;
	// the build and other pipelines share it). Default: 4.
	MaxConcurrent int
	// Images publishes container images too: the publish project runs
	// Docker (privileged). Default: false (files only).
	Images bool
	// ProjectName is the publish project's physical name. Default:
	// generated.
	ProjectName string
}

// PublishAssets publishes the assets of the build output whose
// destination is Region, once each, skipping those already there.
type PublishAssets struct {
	// Assets are the stage's settings (defaults applied).
	Assets *Assets
	// Region is the destination region.
	Region string
}

func (*PublishAssets) kind() {}

// Type implements Kind.
func (*PublishAssets) Type() ActionType { return ActionType{"Build", "CodeBuild"} }

// AssetsStage is the name of the stage that publishes assets.
const AssetsStage = "Assets"

func (a *Assets) withDefaults(deps []Deployment) *Assets {
	c := *a
	def(&c.Manifests, defaults.AssetManifests)
	defInt(&c.MaxConcurrent, defaults.MaxConcurrentPublishes)
	if len(c.Regions) == 0 {
		for _, d := range deps {
			c.Regions = append(c.Regions, d.Regions...)
		}
		slices.Sort(c.Regions)
		c.Regions = slices.Compact(c.Regions)
	}
	return &c
}

// validate checks the Assets settings.
func (a *Assets) validate(v *validator) {
	if max := limits.Max(limits.CodeBuildConcurrent); a.MaxConcurrent < 1 || a.MaxConcurrent > max {
		v.addf("Assets.MaxConcurrent", "%d: must be 1 to %d (CodeBuild's default concurrency quota, %s; the build and other pipelines share it)",
			a.MaxConcurrent, max, limits.ByID(limits.CodeBuildConcurrent).Source)
	}
	if !values.PathCharacters(a.Manifests) || path.IsAbs(a.Manifests) || slices.Contains(splitPath(a.Manifests), "..") {
		v.addf("Assets.Manifests", "%q: must be a relative folder of the build output, such as cdk.out", a.Manifests)
	}
	if max := limits.Max(limits.StageActions); len(a.Regions) > max {
		v.addf("Assets.Regions", "%d regions: the Assets stage has a publish action per region and a stage holds at most %d actions", len(a.Regions), max)
	}
	for i, r := range a.Regions {
		if !regionRE.MatchString(r) {
			v.addf(fmt.Sprintf("Assets.Regions[%d]", i), "%q: must be a region name, such as eu-west-1", r)
		}
	}
}

var regionRE = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)

func splitPath(p string) []string {
	var out []string
	for p != "" {
		dir, file := path.Split(p)
		out = append(out, file)
		p = path.Clean(dir)
		if p == "." || p == "/" {
			break
		}
	}
	return out
}

// assetsStage plans the Assets stage: a publish action per region, at most
// MaxConcurrent per run order.
func (p *planner) assetsStage() Stage {
	a := p.in.Assets
	st := Stage{Name: AssetsStage}
	for k, r := range a.Regions {
		st.Actions = append(st.Actions, Action{
			Name: "Publish-" + r, RunOrder: 1 + k/a.MaxConcurrent, Kind: &PublishAssets{Assets: a, Region: r}, Deployment: -1,
			Inputs: []string{p.in.Deployable()}, Field: p.in.name("Assets"),
			Configuration: map[string]Field{
				"ProjectName":          {Path: p.in.name("Assets.ProjectName")},
				"EnvironmentVariables": {Path: p.in.name("Assets.Regions")},
			},
		})
	}
	return st
}
