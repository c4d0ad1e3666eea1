package controltower

import "regexp"

// Exception is one control that a resource of Relay's templates does not
// meet on purpose.
type Exception struct {
	// Control is the control ID, such as CT.S3.PR.9.
	Control string
	// Resource is the resource's logical ID without the 8-character hash
	// aws-cdk-lib appends (ArtifactsAccessLogs for
	// ArtifactsAccessLogs4D97777C): the same construct path in every stack.
	Resource string
	// Reason says why the control does not apply, with the AWS source
	// where it relies on AWS behaviour.
	Reason string
}

// Reasons shared by several exceptions.
const (
	reasonNoObjectLockArtifacts  = "Artifacts are intermediate outputs that expire with their noncurrent versions (lifecycle rules); Object Lock would keep every artifact for its retention period whatever the lifecycle says, and the artifact bucket's integrity comes from SSE-KMS with the pipeline's key, versioning and a bucket policy that admits only this pipeline's roles."
	reasonNoObjectLockAccessLogs = "S3 does not deliver server access logs to a bucket that has Object Lock enabled (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html)."
	reasonAccessLogsSSES3        = "S3 delivers server access logs only to a target bucket encrypted with SSE-S3 (AES256), not SSE-KMS (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html); the bucket holds only access logs, TLS-only, not public, versioned, expired by lifecycle."
	// reasonBoundary is target.BoundaryReason (the permissions boundary of
	// each target account, and of a StackSet's accounts).
	reasonBoundary            = "A permissions boundary grants nothing: it caps what the role's own policies grant. This one allows what they grant except creating or freeing roles beyond the boundary, changing the boundary, changing or passing Relay's roles, changing Relay's stacks, rewriting the customer managed policies attached to the execution roles, and acting as a principal without the boundary: another role's trust, a user's credentials, a group, a policy version, the CDK bootstrap roles to assume, a service role for CloudFormation (its Deny statements)."
	reasonAccessLogsNotLogged = "This is the access-log bucket itself: AWS advises against server access logging on a target bucket (each delivery would log another, https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html)."
)

// Exceptions are the Control Tower proactive controls that Relay's
// templates do not meet, each with its reason: the one list of them
// (test/controltower_test.go fails on any other violation, and on an
// exception that no template needs any more).
var Exceptions = []Exception{
	{"CT.S3.PR.9", "ArtifactsBucket", reasonNoObjectLockArtifacts},
	{"CT.S3.PR.9", "ArtifactsAccessLogs", reasonNoObjectLockAccessLogs},
	{"CT.S3.PR.9", "AuditBucket", "The trail's log files are protected by CloudTrail's log file validation (signed digest files, CT.CLOUDTRAIL.PR.2), SSE-KMS with the trail's own key, versioning and a bucket policy that admits only this trail's writes; a write-once retention of audit logs is the job of an organization's log archive (name its trail in audit.organizationTrail)."},
	{"CT.S3.PR.10", "ArtifactsAccessLogs", reasonAccessLogsSSES3},
	{"CT.S3.PR.2", "ArtifactsAccessLogs", reasonAccessLogsNotLogged},
	{"CT.S3.PR.9", "SourcesTrailBucket", "The source account's trail records only the S3 sources' data events, so that an upload starts the pipeline: its log files are validated by digest files, SSE-KMS with the trail's own key, versioned, and the bucket policy admits only this trail's writes; write-once retention of audit logs is the organization log archive's job."},
	{"CT.S3.PR.9", "SourcesTrailAccessLogs", reasonNoObjectLockAccessLogs},
	{"CT.S3.PR.10", "SourcesTrailAccessLogs", reasonAccessLogsSSES3},
	{"CT.S3.PR.2", "SourcesTrailAccessLogs", reasonAccessLogsNotLogged},
	{"CT.CLOUDTRAIL.PR.3", "SourcesTrail", "The source account's trail exists so that S3 data events reach EventBridge and start the pipeline; its log files are validated by digest files and kept in a KMS-encrypted, versioned bucket; CloudWatch Logs delivery would add a log group no one reads."},
	{"CT.LAMBDA.PR.3", "RecoveryFunction", "The recovery function calls only the CodePipeline, STS and CloudFormation APIs (deleting a stack of this pipeline left in ROLLBACK_COMPLETE) and reaches no resource in a VPC; a VPC would add NAT or interface endpoints for nothing."},
	{"CT.CODEBUILD.PR.4", "PipelineBuild", "Privileged mode is on only where the configuration sets build.privileged: true, to run the Docker daemon that builds container images; the default is off."},
	{"CT.CLOUDTRAIL.PR.3", "AuditTrail", "The trail records only the artifact and S3 source buckets' data events, for audit: its log files are validated by digest files and kept in a KMS-encrypted, versioned bucket for the retention period, where an audit reads them; a CloudWatch Logs copy would add a log group with no metric filter or alarm on it."},
	{"CT.STEPFUNCTIONS.PR.1", "ObserveTimer", "The execution timer's only outcome is its execution status: a failure raises the long-executions alarm and names the pipeline execution in its cause; Step Functions keeps that history for 90 days, and the pipeline's own events are logged in the events log group."},
	{"CT.S3.PR.9", "AssetsBucket", "Workload assets are keyed by their content hash and published again from the source revision; Object Lock would keep every superseded asset for its retention period. Integrity comes from versioning, content-hash keys that the publish step checks before it skips an asset, TLS-only access and a bucket policy that admits reads by the target accounts' execution roles only."},
	{"CT.S3.PR.10", "AssetsBucket", "SSE-S3 on purpose: the readers in every target account (the CloudFormation execution roles, and Lambda, which reads a function's code with the caller's credentials, https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCode.html) then need no grant on a key of the tooling account; the bucket policy admits exactly those roles."},
	{"CT.ECR.PR.1", "AssetsRepository", "Every image's tag is the content hash of an asset that a deployed stack may still reference, and ECR lifecycle rules cannot tell which are in use (an untagged image can be a platform image of a multi-architecture index); expiring by count or age would break a rollback or a running function's next cold start."},
	{"CT.CODEBUILD.PR.4", "PipelinePublish", "The Assets stage's publish project runs the Docker daemon to build and push the workload's container images (only with assets.images: true); it runs only the publish step from Relay's buildspec, not the workload's own commands."},
	{"CT.IAM.PR.2", "TargetPermissionsBoundary", reasonBoundary},
	{"CT.IAM.PR.3", "TargetPermissionsBoundary", reasonBoundary},
	{"CT.IAM.PR.2", "PermissionsBoundary", reasonBoundary},
	{"CT.IAM.PR.3", "PermissionsBoundary", reasonBoundary},
	{"CT.STEPFUNCTIONS.PR.2", "ObserveTimer", "The execution timer makes one read-only CodePipeline call after a wait; there is no request path across services to trace."},
}

var hashSuffix = regexp.MustCompile(`[0-9A-F]{8}$`)

// ResourceName is logicalID without the hash aws-cdk-lib appends.
func ResourceName(logicalID string) string { return hashSuffix.ReplaceAllString(logicalID, "") }

// Excepted returns the exception that covers v, if any.
func Excepted(v Violation) (Exception, bool) {
	name := ResourceName(v.LogicalID)
	for _, e := range Exceptions {
		if e.Control == v.Control && e.Resource == name {
			return e, true
		}
	}
	return Exception{}, false
}
