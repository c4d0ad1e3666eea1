package assets

import (
	_ "embed"
)

//go:embed publish.py
var publishScript string

// PublishScript is the Python 3 program of the publish step: it reads
// every CDK asset manifest (*.assets.json) under $RELAY_MANIFESTS and
// publishes the assets whose destination is $RELAY_REGION into
// $RELAY_ASSET_BUCKET and $RELAY_ASSET_REPOSITORY of $RELAY_TOOLING_ACCOUNT,
// each once: an object key or image tag is the asset's content hash, so an
// asset that several stacks or accounts deploy is published once per
// region, and one already there (aws s3api head-object, aws ecr
// describe-images) is skipped. It refuses a manifest whose destination is
// another store, assets built by a command, a source outside the build
// output ($RELAY_OUTPUT), a file asset's object key that is empty or ends
// in / (aws s3 cp would append the file's own name and upload to a key it
// never checked), and an object already published under a file asset's
// key with other content (an earlier execution's build output chose that
// key; the object is never replaced). Image registries are
// <account>.dkr.ecr.<region>.amazonaws.com, .amazonaws.com.cn in the China
// regions.
func PublishScript() string { return publishScript }

// PublishBuildSpec is the buildspec of the publish step (see
// PublishScript), as a buildspec object for awscodebuild.BuildSpec_FromObject.
func PublishBuildSpec() map[string]interface{} {
	return map[string]interface{}{
		"version": "0.2",
		"env":     map[string]interface{}{"shell": "bash"},
		"phases": map[string]interface{}{
			"build": map[string]interface{}{"commands": []string{
				"cat > \"/tmp/relay-publish.py\" <<'RELAY_PUBLISH'\n" + publishScript + "RELAY_PUBLISH",
				`RELAY_OUTPUT="$CODEBUILD_SRC_DIR" RELAY_MANIFESTS="$CODEBUILD_SRC_DIR/$RELAY_MANIFESTS" python3 "/tmp/relay-publish.py"`,
			}},
		},
	}
}
