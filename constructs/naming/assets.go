package naming

import "fmt"

// AssetBucket is the name of the workload asset bucket in region, in the
// tooling account: <name>-assets-<tooling account>-<region>, at most 59
// characters (S3 allows 63).
func (n Names) AssetBucket(region string) string {
	return fmt.Sprintf("%s-assets-%s-%s", n.Name, n.ToolingAccount, region)
}

// AssetBucketArn is the ARN of the asset bucket in region.
func (n Names) AssetBucketArn(region string) string {
	return fmt.Sprintf("arn:%s:s3:::%s", n.partition(), n.AssetBucket(region))
}

// AssetRepository is the name of the ECR repository of workload images in
// every region of the tooling account: relay/<name>/assets.
func (n Names) AssetRepository() string { return "relay/" + n.Name + "/assets" }

// AssetRepositoryArn is the ARN of the image repository in region.
func (n Names) AssetRepositoryArn(region string) string {
	return fmt.Sprintf("arn:%s:ecr:%s:%s:repository/%s", n.partition(), region, n.ToolingAccount, n.AssetRepository())
}

// AssetsProject is the CodeBuild project of the Assets stage.
func (n Names) AssetsProject() string { return n.Name + "-assets" }

// SelfUpdateProject is the CodeBuild project of the UpdatePipeline stage.
func (n Names) SelfUpdateProject() string { return n.Name + "-self-update" }
