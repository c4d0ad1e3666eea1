package config

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
)

// Build configures the CodeBuild project of the Build stage.
type Build struct {
	// Buildspec is the path of the buildspec file, relative to the
	// repository root and without "..": segments of letters, digits, ., _,
	// -, + and @, separated by /. A buildspec written inline (several lines,
	// or YAML on one line) is refused: CodeBuild would run it as the
	// build's commands. Default: buildspec.yml.
	Buildspec string `yaml:"buildspec,omitempty" json:"buildspec,omitempty"`
	// TimeoutMinutes bounds one build, 5 to 2160. Default: 30.
	TimeoutMinutes int `yaml:"timeoutMinutes,omitempty" json:"timeoutMinutes,omitempty"`
	// ComputeType is a CodeBuild compute type. Default: BUILD_GENERAL1_SMALL.
	ComputeType string `yaml:"computeType,omitempty" json:"computeType,omitempty"`
	// Image is a CodeBuild-managed Linux image, starting with
	// aws/codebuild/. Default: aws/codebuild/standard:7.0.
	Image string `yaml:"image,omitempty" json:"image,omitempty"`
	// LogRetentionDays is the retention of the build log group, one of the
	// values CloudWatch Logs accepts. Default: 365.
	LogRetentionDays int `yaml:"logRetentionDays,omitempty" json:"logRetentionDays,omitempty"`
	// Privileged runs the build with Docker-in-Docker rights, needed to
	// build container images. Default: false.
	Privileged bool `yaml:"privileged,omitempty" json:"privileged,omitempty"`
	// Cache is none, local (Docker layers and source kept on the build
	// host) or s3 (under build-cache/ in the artifact bucket, encrypted with
	// its key). Default: none.
	Cache string `yaml:"cache,omitempty" json:"cache,omitempty"`
	// EnvironmentVariables reach every build, by name. Names are letters,
	// digits and _, not starting with a digit or CODEBUILD_.
	EnvironmentVariables map[string]EnvironmentVariable `yaml:"environmentVariables,omitempty" json:"environmentVariables,omitempty"`
	// None is true when the file says `build: none`: the pipeline has no
	// Build stage, and every later action (deploy actions, steps, Test
	// suites with input build) reads the source artifact. An omitted build
	// keeps the defaults above. Default: false.
	None bool `yaml:"-" json:"none,omitempty"`
	// VPC runs every CodeBuild project of the pipeline (build, tests,
	// securityScan and the EKS steps) in a VPC of the tooling account, to
	// reach private resources. Default: none (CodeBuild's own network).
	VPC *VPC `yaml:"vpc,omitempty" json:"vpc,omitempty"`
}

// VPC is a VPC of the tooling account (in its region) where CodeBuild
// places each build's network interface. The subnets need a NAT gateway or
// VPC endpoints for every service the builds call (S3, CloudWatch Logs, KMS,
// ...): the interface gets no public IP.
type VPC struct {
	// VpcID is the VPC's ID, such as vpc-0a1b2c3d4e5f67890. Required.
	VpcID string `yaml:"vpcId" json:"vpcId"`
	// Subnets are 1 to 16 subnet IDs of the VPC, private ones, ideally in
	// two or more Availability Zones. Required.
	Subnets []string `yaml:"subnets" json:"subnets"`
	// SecurityGroups are 1 to 5 security group IDs of the VPC that allow
	// the builds' outbound traffic; Relay creates none. Required.
	SecurityGroups []string `yaml:"securityGroups" json:"securityGroups"`
}

// buildSettings is Build without its UnmarshalYAML.
type buildSettings Build

// UnmarshalYAML decodes `build: none` (None) or the mapping of build
// settings, strictly; another scalar is an error on its line that says
// what build takes.
func (b *Build) UnmarshalYAML(decode func(interface{}) error) error {
	var word string
	if err := decode(&word); err == nil && word == "none" {
		*b = Build{None: true}
		return nil
	}
	err := decode((*buildSettings)(b))
	var wrong *yaml.UnexpectedNodeTypeError
	if errors.As(err, &wrong) && !isMapping(decode) {
		return &noneOrMapping{UnexpectedNodeTypeError: wrong, field: "build", none: "no Build stage: later actions read the source artifact", example: "{buildspec: ci/buildspec.yml}"}
	}
	return err
}

// isMapping reports whether decode reads a mapping. A block that takes none
// or a mapping rewords go-yaml's error only when the block itself is not a
// mapping: a value of the wrong kind inside it (build.vpc.subnets: a string
// where a list goes) keeps its own field path, which overflowField gives it.
func isMapping(decode func(interface{}) error) bool {
	var m map[string]interface{}
	return decode(&m) == nil
}

// noneOrMapping is the error of a block that takes none or a mapping,
// written as another value.
type noneOrMapping struct {
	*yaml.UnexpectedNodeTypeError
	field, none, example string
}

func (e *noneOrMapping) GetMessage() string {
	return fmt.Sprintf("%s: found a %s; write none (%s), a mapping of settings such as %s, or omit %s for the defaults",
		e.field, e.Actual.YAMLName(), e.none, e.example, e.field)
}

func (e *noneOrMapping) Error() string { return e.GetMessage() }

// EnvironmentVariable is one build environment variable: exactly one of
// Value, Parameter and Secret.
type EnvironmentVariable struct {
	// Value is a plain-text value.
	Value string `yaml:"value,omitempty" json:"value,omitempty"`
	// Parameter is the name of an SSM Parameter Store parameter in the
	// tooling account; the build role may read that parameter only.
	Parameter string `yaml:"parameter,omitempty" json:"parameter,omitempty"`
	// Secret is the ARN of a Secrets Manager secret in the tooling account,
	// optionally followed by :json-key:version-stage:version-id; the build
	// role may read that secret only.
	Secret string `yaml:"secret,omitempty" json:"secret,omitempty"`
}

// Defaults of the build section.
const (
	defaultBuildspec        = defaults.Buildspec
	defaultTimeoutMinutes   = defaults.BuildTimeoutMinutes
	defaultComputeType      = defaults.ComputeType
	defaultImage            = defaults.Image
	defaultLogRetentionDays = defaults.LogRetentionDays
	defaultCache            = defaults.Cache
)

var (
	computeTypes = []string{"BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE", "BUILD_GENERAL1_XLARGE", "BUILD_GENERAL1_2XLARGE"}
	caches       = []string{"none", "local", "s3"}
	// logRetentionDays are the retention periods CloudWatch Logs accepts.
	logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)

// buildDefaults sets the defaults of build; unset is as in applyDefaults.
func (b *Build) buildDefaults(unset unsetFunc) {
	if b.None {
		return
	}
	if unset("build.buildspec", b.Buildspec == "") {
		b.Buildspec = defaultBuildspec
	}
	if unset("build.timeoutMinutes", b.TimeoutMinutes == 0) {
		b.TimeoutMinutes = defaultTimeoutMinutes
	}
	if unset("build.computeType", b.ComputeType == "") {
		b.ComputeType = defaultComputeType
	}
	if unset("build.image", b.Image == "") {
		b.Image = defaultImage
	}
	if unset("build.logRetentionDays", b.LogRetentionDays == 0) {
		b.LogRetentionDays = defaultLogRetentionDays
	}
	if unset("build.cache", b.Cache == "") {
		b.Cache = defaultCache
	}
}

// validateBuild checks build.
func (c *Config) validateBuild(p *problems) {
	b := c.Build
	if b.None {
		if len(c.ExtraSources) > 0 {
			p.add("extraSources", c.ExtraSources[0].Name, "are inputs of the build, and build is none; remove them, or build")
		}
		return
	}
	p.add("build.buildspec", b.Buildspec, buildspecRule(b.Buildspec))
	p.add("build.timeoutMinutes", strconv.Itoa(b.TimeoutMinutes), timeoutRule(b.TimeoutMinutes))
	p.add("build.computeType", b.ComputeType, oneOfRule(b.ComputeType, computeTypes))
	p.add("build.image", b.Image, imageRule(b.Image))
	p.add("build.logRetentionDays", strconv.Itoa(b.LogRetentionDays), logRetentionRule(b.LogRetentionDays))
	p.add("build.cache", b.Cache, oneOfRule(b.Cache, caches))
	for _, name := range slices.Sorted(maps.Keys(b.EnvironmentVariables)) {
		buildVariableRules(p, "build.environmentVariables."+name, name, b.EnvironmentVariables[name], c.Tooling)
	}
	if b.VPC != nil {
		vpcRules(p, "build.vpc", b.VPC)
	}
}

// vpcRules checks build.vpc, written at path: an ID, 1 to 16 subnet IDs
// and 1 to 5 security group IDs (the CodeBuild API's VpcConfig limits, in
// package limits), none twice.
func vpcRules(p *problems, path string, v *VPC) {
	if !values.VPCID(v.VpcID) {
		p.add(path+".vpcId", v.VpcID, "required: the ID of a VPC of the tooling account, such as vpc-0a1b2c3d4e5f67890")
	}
	for _, f := range []struct {
		key, what, example string
		ids                []string
		valid              func(string) bool
		max                int
	}{
		{"subnets", "subnet", "subnet-0a1b2c3d4e5f67890", v.Subnets, values.SubnetID, limits.Max(limits.CodeBuildSubnets)},
		{"securityGroups", "security group", "sg-0a1b2c3d4e5f67890", v.SecurityGroups, values.SecurityGroupID, limits.Max(limits.CodeBuildSecurityGroups)},
	} {
		switch n := len(f.ids); {
		case n == 0:
			p.add(path+"."+f.key, "", fmt.Sprintf("required: list 1 to %d %s IDs of the VPC, such as [%s]; CodeBuild places each build's network interface there", f.max, f.what, f.example))
		case n > f.max:
			p.add(path+"."+f.key, strconv.Itoa(n), fmt.Sprintf("CodeBuild takes at most %d %s IDs", f.max, f.what))
		}
		seen := map[string]bool{}
		for i, id := range f.ids {
			item := fmt.Sprintf("%s.%s[%d]", path, f.key, i)
			switch {
			case !f.valid(id):
				p.add(item, id, fmt.Sprintf("must be a %s ID such as %s (not a name or an ARN)", f.what, f.example))
			case seen[id]:
				p.add(item, id, "is listed twice; remove one")
			}
			seen[id] = true
		}
	}
}

// buildVariableRules checks the build environment variable name, written at
// path.
func buildVariableRules(p *problems, path, name string, v EnvironmentVariable, t Tooling) {
	if !values.EnvironmentVariableName(name) || strings.HasPrefix(name, "CODEBUILD_") {
		p.add(path, name, "names are letters, digits and _, not starting with a digit or CODEBUILD_ (reserved by CodeBuild)")
		return
	}
	switch {
	case countSet(v.Value != "", v.Parameter != "", v.Secret != "") != 1:
		p.add(path, "", "set exactly one of value, parameter (SSM Parameter Store name) and secret (Secrets Manager ARN)")
	case v.Parameter != "" && !values.SSMParameterName(v.Parameter):
		p.add(path+".parameter", v.Parameter, "must be an SSM parameter name such as /payments/db-url")
	case v.Secret != "":
		p.add(path+".secret", v.Secret, secretRule(v.Secret, t))
	}
}

// buildspecRE is the shape of a buildspec path: path segments of letters,
// digits, ., _, -, + and @.
var buildspecRE = regexp.MustCompile(`^[A-Za-z0-9_.+@-]+(/[A-Za-z0-9_.+@-]+)*$`)

// buildspecRule checks build.buildspec, which must be a path in the
// repository: CodeBuild reads a BuildSpec value that is not a path (several
// lines, or YAML on one line) as an inline buildspec, so a config value would
// become the build's commands, and Relay has no field for an inline
// buildspec.
func buildspecRule(s string) string {
	const notAPath = "must be a path to a buildspec file in the repository, such as buildspec.yml or ci/buildspec.yml (letters, digits, ., _, -, + and @, separated by /); Relay has no inline buildspec: commit the buildspec to the repository and give its path"
	if strings.ContainsAny(s, "\n\r") {
		return notAPath
	}
	if rule := pathRule(s, defaultBuildspec, "the repository root"); rule != "" {
		return rule
	}
	if !buildspecRE.MatchString(s) || len(s) > 1024 {
		return notAPath
	}
	return ""
}

// secretRule accepts a Secrets Manager secret ARN of the tooling account
// and region, optionally followed by :json-key:version-stage:version-id.
func secretRule(s string, t Tooling) string {
	partition, region, account, ok := values.SecretARN(s)
	if !ok {
		return "must be a Secrets Manager secret ARN, such as arn:aws:secretsmanager:us-east-1:111111111111:secret:payments/api-key-AbCdEf"
	}
	if partition != partitions[t.Region] || region != t.Region || account != t.Account {
		return fmt.Sprintf("must be a secret of the tooling account %s in %s (partition %s)", t.Account, t.Region, partitions[t.Region])
	}
	return ""
}

func timeoutRule(n int) string {
	if n < 5 || n > 2160 {
		return fmt.Sprintf("must be from 5 to 2160 minutes (36 hours); the default is %d", defaultTimeoutMinutes)
	}
	return ""
}

func imageRule(s string) string {
	switch {
	case s == "":
		return "must not be empty; set a CodeBuild-managed image, or omit it to use the default " + defaultImage
	case !values.CodeBuildManagedImage(s):
		return "must be a CodeBuild-managed image, starting with " + values.CodeBuildImagePrefix + ", such as " + defaultImage
	}
	return ""
}

func logRetentionRule(n int) string {
	if !slices.Contains(logRetentionDays, n) {
		days := make([]string, len(logRetentionDays))
		for i, d := range logRetentionDays {
			days[i] = strconv.Itoa(d)
		}
		return "must be one of the retention periods CloudWatch Logs accepts: " + strings.Join(days, ", ")
	}
	return ""
}
