package assets

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/cloudassemblyschema"
	"github.com/aws/jsii-runtime-go"
)

// SynthesizerProps says where a workload app's assets go: the stores Relay
// owns in the tooling account (see Store).
type SynthesizerProps struct {
	// ToolingAccount is the account of the stores. Required.
	ToolingAccount string
	// BucketName is the asset bucket's name, with ${AWS::Region} for the
	// region, such as payments-assets-111111111111-${AWS::Region}
	// (naming.Names.AssetBucket("${AWS::Region}")). Required.
	BucketName string
	// RepositoryName is the image repository's name, such as
	// relay/payments/assets. Default: the workload has no image assets.
	RepositoryName string
}

var synthAccountRE = regexp.MustCompile(`^[0-9]{12}$`)

// Validate reports every problem of p.
func (p *SynthesizerProps) Validate() error {
	if !synthAccountRE.MatchString(p.ToolingAccount) {
		return fmt.Errorf("assets.SynthesizerProps: ToolingAccount %q: must be a 12-digit account ID", p.ToolingAccount)
	}
	if p.BucketName == "" {
		return fmt.Errorf("assets.SynthesizerProps: BucketName: required, such as NAME-assets-%s-${AWS::Region}", p.ToolingAccount)
	}
	return nil
}

// synthesizer is a CliCredentialsStackSynthesizer whose images live in the
// tooling account's registry: aws-cdk-lib writes every image URI with the
// deploying stack's account, which would point a target account at a
// repository it does not have.
type synthesizer struct {
	awscdk.CliCredentialsStackSynthesizer
	account string
}

// CloudFormationLocationFromDockerImageAsset overrides the image URI's
// registry with the tooling account's.
func (s *synthesizer) CloudFormationLocationFromDockerImageAsset(dest *cloudassemblyschema.DockerImageDestination) *awscdk.DockerImageAssetLocation {
	uri := awscdk.Fn_Sub(jsii.String(s.account+".dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/"+*dest.RepositoryName+":"+*dest.ImageTag), nil)
	return &awscdk.DockerImageAssetLocation{RepositoryName: dest.RepositoryName, ImageUri: uri, ImageTag: dest.ImageTag}
}

// NewSynthesizer is the stack synthesizer of a workload stack whose file
// and image assets the pipeline's Assets stage publishes into Relay's
// stores in the tooling account: the template names the asset bucket of its
// region and the tooling account's image repository, and the stack needs no
// CDK bootstrap in its own account (no bootstrap roles, no bootstrap
// version rule), so an account Relay deploys to may never have been
// bootstrapped. It panics when props are invalid (see Validate).
func NewSynthesizer(props *SynthesizerProps) awscdk.IStackSynthesizer {
	if err := props.Validate(); err != nil {
		panic(err)
	}
	s := &synthesizer{account: props.ToolingAccount}
	repo := props.RepositoryName
	if repo == "" {
		repo = "no-image-assets"
	}
	awscdk.NewCliCredentialsStackSynthesizer_Override(s, &awscdk.CliCredentialsStackSynthesizerProps{
		FileAssetsBucketName:      jsii.String(props.BucketName),
		ImageAssetsRepositoryName: jsii.String(repo),
	})
	return s
}
