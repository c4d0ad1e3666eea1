package values

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// The names and ARNs below land in IAM policies (a grant's resource ARN) or
// trusts (an aws:PrincipalArn condition), where IAM reads * and ? as
// wildcards: none of these predicates admits either, so that a name grants
// what it names only. Config validation and the Go API share them.
var (
	secretARNRE      = regexp.MustCompile(`^arn:([a-z-]+):secretsmanager:([a-z0-9-]+):([0-9]{12}):secret:[\w/+=.@-]+(:[^:]*){0,3}$`)
	ssmParameterRE   = regexp.MustCompile(`^/?[a-zA-Z0-9_.\-/]{1,1000}$`)
	bucketNameRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	codeCommitRepoRE = regexp.MustCompile(`^[\w.-]{1,100}$`)
	ecrRepositoryRE  = regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$`)
	principalARNRE   = regexp.MustCompile(`^arn:([a-z-]+):iam::([0-9]{12}):(root|(role|user)/([\w+=,.@-]+/)*[\w+=,.@-]+)$`)
)

// SecretARN parses s as a Secrets Manager secret ARN,
// arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME, whole or partial
// (without the random suffix), optionally followed by CodeBuild's
// :json-key:version-stage:version-id. NAME holds the characters Secrets
// Manager takes in a secret's name, letters, digits and /_+=.@-
// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html,
// Name), so never * or ?. ok is false for anything else.
func SecretARN(s string) (partition, region, account string, ok bool) {
	m := secretARNRE.FindStringSubmatch(s)
	if m == nil {
		return "", "", "", false
	}
	return m[1], m[2], m[3], true
}

// SSMParameterName reports whether s is a Systems Manager parameter name:
// 1 to 1,000 letters, digits and _.-/, with or without a leading /
// (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html,
// Name), so never * or ?.
func SSMParameterName(s string) bool { return ssmParameterRE.MatchString(s) }

// BucketName reports whether s is an S3 bucket name: 3 to 63 lowercase
// letters, digits, dots and hyphens, starting and ending with a letter or
// digit, without ".."
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
func BucketName(s string) bool { return bucketNameRE.MatchString(s) && !strings.Contains(s, "..") }

// CodeCommitRepository reports whether s is a CodeCommit repository name: 1
// to 100 letters, digits, _, . and -
// (https://docs.aws.amazon.com/codecommit/latest/APIReference/API_CreateRepository.html,
// repositoryName).
func CodeCommitRepository(s string) bool { return codeCommitRepoRE.MatchString(s) }

// ECRRepository reports whether s is an ECR repository name: at most 256
// characters of lowercase letters and digits, in parts separated by /, each
// part's words joined by ., _ or -
// (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html,
// repositoryName).
func ECRRepository(s string) bool { return len(s) <= 256 && ecrRepositoryRE.MatchString(s) }

// PrincipalARN parses s as the ARN of an IAM role, user or account root,
// arn:PARTITION:iam::ACCOUNT:root, :role/PATH/NAME or :user/PATH/NAME, whose
// path and name hold the characters IAM takes in them, letters, digits and
// +=,.@_- (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html,
// RoleName and Path), so never * or ?. root reports an account root; ok is
// false for anything else.
func PrincipalARN(s string) (partition, account string, root, ok bool) {
	m := principalARNRE.FindStringSubmatch(s)
	if m == nil {
		return "", "", false, false
	}
	return m[1], m[2], m[3] == "root", true
}

// S3SourceKeyRule is "" when key can name the object of an S3 source, whose
// reader (the pipeline role, or a source account's role) may read
// arn:PARTITION:s3:::BUCKET/KEY only, and otherwise what is wrong and the
// fix: a key is 1 to 1,024 characters, not starting with /
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html),
// in the characters IAM takes in a policy (PolicyText) but no tab or line
// break (an ARN is one line of text), and without * or ?, which IAM would
// read as wildcards in the object's ARN.
func S3SourceKeyRule(key string) string {
	if key == "" || strings.HasPrefix(key, "/") || len(key) > 1024 {
		return "must be an object key of 1 to 1024 characters, not starting with /, such as releases/app.zip"
	}
	if r, at, ok := PolicyText(key); !ok {
		return fmt.Sprintf("holds %q (%U) at byte %d, which IAM refuses in the policy of the role that reads the object (%s); rename the object in characters through U+00FF", string(r), r, at, IAMPolicyCharactersSource)
	}
	if i := strings.IndexFunc(key, unicode.IsControl); i >= 0 {
		// PolicyText lets tab and line breaks through; an ARN is one line
		// of text, as deploy statement resources and the S3 deploy key are
		// refused for.
		return fmt.Sprintf("holds the control character %U at byte %d: the key is written into the object's ARN in the policy of the role that reads it, and an ARN is one line of text without control characters; rename the object without it", []rune(key[i:])[0], i)
	}
	if strings.ContainsAny(key, "*?") {
		return "contains * or ?, which IAM reads as wildcards in the object's ARN in the policy of the role that reads it, admitting every matching object; name the object exactly"
	}
	return ""
}

var (
	imageTagRE        = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	executionPrefixRE = regexp.MustCompile(fmt.Sprintf(`^[A-Za-z0-9_-]{1,%d}$`, MaxExecutionNamePrefix))
	templateParamRE   = regexp.MustCompile(`^[A-Za-z0-9]{1,255}$`)
)

// ImageTag reports whether s is an image tag: 1 to 128 letters, digits, _,
// . and -, not starting with . or -
// (https://docs.docker.com/reference/cli/docker/image/tag/). An ECR source
// that watches another tag never finds an image.
func ImageTag(s string) bool { return imageTagRE.MatchString(s) }

// MaxExecutionNamePrefix is the longest prefix of the Step Functions
// executions that a CodePipeline Step Functions action starts, in
// characters: the action names an execution <prefix>-<action execution ID>
// (a 36-character UUID, such as
// myPrefix-1624a1d1-3699-43f0-8e1e-6bafd7fde791;
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html),
// and StartExecution takes names of at most 80 characters
// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html):
// 80 - 1 - 36 = 43. A longer prefix makes every run of the action fail.
const MaxExecutionNamePrefix = 43

// ExecutionNamePrefix reports whether s can prefix the names of the Step
// Functions executions that a CodePipeline Step Functions action starts: 1
// to MaxExecutionNamePrefix (43) letters, digits, _ and -, so that with the
// action execution's ID the name stays within StartExecution's 80
// characters of that alphabet.
func ExecutionNamePrefix(s string) bool { return executionPrefixRE.MatchString(s) }

// TemplateParameterName reports whether s can name a CloudFormation
// template parameter: 1 to 255 letters and digits
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
// No template declares another, and CloudFormation refuses a change set
// that sets a parameter its template does not declare.
func TemplateParameterName(s string) bool { return templateParamRE.MatchString(s) }

var cacheControlRE = regexp.MustCompile(`^[a-z-]+(=[0-9a-zA-Z"-]+)?$`)

// CacheControlDirective reports whether s is one Cache-Control directive,
// a lowercase name with an optional =value, such as public or max-age=300
// (https://www.rfc-editor.org/rfc/rfc9111#section-5.2). The S3 deploy action
// sends its directives, joined by ", ", as the objects' Cache-Control header;
// anything else (a comma, a line break) would be several directives or no
// valid header.
func CacheControlDirective(s string) bool { return cacheControlRE.MatchString(s) }

var helmValuePathRE = regexp.MustCompile(`^[A-Za-z0-9_-]+(\[[0-9]+\])*(\.[A-Za-z0-9_-]+(\[[0-9]+\])*)*$`)

// HelmValuePath reports whether s is a Helm value path that helm --set and
// --set-file read as one key: names of letters, digits, _ and -, joined by
// dots, each optionally followed by list indexes such as [0], at most 200
// characters (image.tag, ingress.hosts[0].host;
// https://helm.sh/docs/intro/using_helm/#the-format-and-limitations-of---set).
// helm refuses an index that is not a number (x[y]) when the step runs, and
// reads an empty name (a..b) as a key of its own; a comma or = would start
// another key.
func HelmValuePath(s string) bool { return len(s) <= 200 && helmValuePathRE.MatchString(s) }

// The patterns below are shared by config validation (the YAML front door)
// and the release plan (the Go front door), so that the two never drift.
var (
	organizationalUnitRE = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
	vpcIDRE              = regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`)
	subnetIDRE           = regexp.MustCompile(`^subnet-[0-9a-f]{8,17}$`)
	securityGroupIDRE    = regexp.MustCompile(`^sg-[0-9a-f]{8,17}$`)
	freezeReasonRE       = regexp.MustCompile(`^[a-zA-Z0-9!@ ().*?-]{1,300}$`)
	pipelineVariableRE   = regexp.MustCompile(`^[A-Za-z0-9@_-]{1,128}$`)
	envVariableRE        = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	bootstrapQualifierRE = regexp.MustCompile(`^[a-z0-9]{1,10}$`)
	pathCharactersRE     = regexp.MustCompile(`^[A-Za-z0-9._/-]{1,255}$`)
	entryNameRE          = regexp.MustCompile(`^[a-z][a-z0-9-]{1,30}$`)
	stackOutputRefRE     = regexp.MustCompile(`^(?:([a-z][a-z0-9-]{1,30})\.)?([A-Za-z0-9]{1,255})$`)
	eksClusterRE         = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)
	helmReleaseRE        = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$`)
	k8sNamespaceRE       = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	yqPathRE             = regexp.MustCompile(`^(\.[A-Za-z0-9_-]+)+$`)
)

// OrganizationalUnitID reports whether s is an AWS Organizations
// organizational unit ID, ou- followed by 4 to 32 lowercase letters or
// digits (the root's ID), - and 8 to 32 more, such as ou-ab12-cd34ef56
// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html,
// Id).
func OrganizationalUnitID(s string) bool { return organizationalUnitRE.MatchString(s) }

// VPCID reports whether s is the ID of a VPC, vpc- and 8 or up to 17
// lowercase hex digits, such as vpc-0a1b2c3d4e5f67890
// (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_VpcConfig.html,
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html).
func VPCID(s string) bool { return vpcIDRE.MatchString(s) }

// SubnetID reports whether s is the ID of a subnet, subnet- and 8 or up to
// 17 lowercase hex digits, such as subnet-0a1b2c3d4e5f67890
// (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_VpcConfig.html,
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html).
func SubnetID(s string) bool { return subnetIDRE.MatchString(s) }

// SecurityGroupID reports whether s is the ID of a security group, sg- and
// 8 or up to 17 lowercase hex digits, such as sg-0a1b2c3d4e5f67890
// (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_VpcConfig.html,
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html).
func SecurityGroupID(s string) bool { return securityGroupIDRE.MatchString(s) }

// FreezeReason reports whether s is what CodePipeline takes as the reason
// of a disabled transition: 1 to 300 letters, digits, spaces and !@().*?-
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_DisableStageTransition.html,
// reason).
func FreezeReason(s string) bool { return freezeReasonRE.MatchString(s) }

// PipelineVariableName reports whether s can name a pipeline-level
// variable: 1 to 128 letters, digits, @, - and _
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineVariableDeclaration.html,
// name).
func PipelineVariableName(s string) bool { return pipelineVariableRE.MatchString(s) }

// EnvironmentVariableName reports whether s can name an environment
// variable of a CodeBuild project that the buildspec's shell reads: letters,
// digits and _, not starting with a digit (a shell name,
// https://pubs.opengroup.org/onlinepubs/9799919799/basedefs/V1_chap03.html#tag_03_216).
// It does not check the prefixes CodeBuild reserves (CODEBUILD_,
// https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html);
// each caller refuses those it must.
func EnvironmentVariableName(s string) bool { return envVariableRE.MatchString(s) }

// cdkAssetBucketRE matches the file-asset bucket of the CDK bootstrap,
// cdk-<qualifier>-assets-<account>-<region> (the CDK CLI's
// bootstrap-template.yaml, FileAssetsBucketName).
var cdkAssetBucketRE = regexp.MustCompile(`^cdk-[a-z0-9]{1,10}-assets-[0-9]{12}-[a-z0-9-]+$`)

// CDKAssetBucketRule is "" unless bucket is the CDK bootstrap's file-asset
// bucket of an account (cdkAssetBucketRE); then it is why a release may
// not write there, and the fix. The bucket holds the code and templates
// of every stack the CDK deploys to the account, Relay's own stacks among
// them, under their content hashes: a deploy role that may put objects
// there could replace a function's code or a template that the next cdk
// deploy runs with the bootstrap's roles.
func CDKAssetBucketRule(bucket string) string {
	if !cdkAssetBucketRE.MatchString(bucket) {
		return ""
	}
	return "is the CDK bootstrap's asset bucket (cdk-<qualifier>-assets-<account>-<region>), which holds the code and templates of every stack the CDK deploys to the account, Relay's own among them: a deploy role that may write there could replace what the next cdk deploy runs; release into a bucket of the workload's own"
}

// BootstrapQualifier reports whether s can be the --qualifier given to cdk
// bootstrap: 1 to 10 lowercase letters and digits (the default is
// hnb659fds), since the qualifier lands in the names of the bootstrap
// stack's bucket and roles
// (https://docs.aws.amazon.com/cdk/latest/guide/bootstrapping.html).
func BootstrapQualifier(s string) bool { return bootstrapQualifierRE.MatchString(s) }

// PathCharacters reports whether s is 1 to 255 letters, digits and ._/-,
// the characters Relay admits in a path inside the source or build output
// (such as k8s/prod or relay.yaml), so that the path needs no quoting in a
// buildspec command. Callers check separately that the path is relative and
// stays inside its directory (no ..).
func PathCharacters(s string) bool { return pathCharactersRE.MatchString(s) }

// EntryName reports whether s is the short name of an entry of a list
// (a source, suite, step, check or hook): 2 to 31 lowercase letters, digits
// and hyphens, starting with a letter. Relay builds action names and
// variable namespaces from it; CodePipeline takes up to 100 characters of
// letters, digits and ._- in an action's name
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html).
func EntryName(s string) bool { return entryNameRE.MatchString(s) }

// StackOutputRef parses s as a reference to a stack output,
// COMPONENT.OUTPUT or OUTPUT alone: COMPONENT is an entry name (see
// EntryName) and OUTPUT a CloudFormation output's logical ID, 1 to 255
// letters and digits
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
// component is "" when s names the output alone; ok is false for anything
// else.
func StackOutputRef(s string) (component, output string, ok bool) {
	m := stackOutputRefRE.FindStringSubmatch(s)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// EKSClusterName reports whether s is an EKS cluster's name: 1 to 100
// letters, digits, _ and -, starting with a letter or digit
// (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html,
// name).
func EKSClusterName(s string) bool { return eksClusterRE.MatchString(s) }

// HelmReleaseName reports whether s is a Helm release name: 1 to 53
// lowercase letters, digits and -, starting and ending with a letter or
// digit (a DNS label, shortened so that Helm can suffix it;
// https://helm.sh/docs/chart_template_guide/getting_started/).
func HelmReleaseName(s string) bool { return helmReleaseRE.MatchString(s) }

// KubernetesNamespace reports whether s is a Kubernetes namespace's name,
// an RFC 1123 DNS label: 1 to 63 lowercase letters, digits and -, starting
// and ending with a letter or digit
// (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names).
func KubernetesNamespace(s string) bool { return k8sNamespaceRE.MatchString(s) }

// KubernetesSystemNamespace reports whether s is a namespace Kubernetes
// reserves for its own components: a name starting with kube- (kube-system,
// kube-public, kube-node-lease; "Avoid creating namespaces with the prefix
// kube-, since it is reserved for Kubernetes system namespaces",
// https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/).
// A Helm release's access entry grants AmazonEKSEditPolicy in its
// namespace, and edit rights in kube-system amount to administering the
// cluster (KubernetesSystemNamespaceRule).
func KubernetesSystemNamespace(s string) bool { return strings.HasPrefix(s, "kube-") }

// KubernetesSystemNamespaceRule is why config and plan refuse a Helm
// namespace for which KubernetesSystemNamespace holds, and the fix. Edit
// rights in a namespace allow "accessing Secrets and running Pods as any
// ServiceAccount in the namespace"
// (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles),
// and kube-system's service accounts (the controllers') act on the whole
// cluster; its aws-auth ConfigMap, which edit rights may rewrite, maps IAM
// roles to Kubernetes groups such as system:masters
// (https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html).
// Namespace-scoped edit rights cannot install cluster add-ons anyway
// (ClusterRoles, CRDs), so no release that the step could deploy is lost.
const KubernetesSystemNamespaceRule = "is a namespace Kubernetes reserves for its own components (kube-*): the deploy role's access entry grants AmazonEKSEditPolicy in the Helm namespace, and edit rights there let it read the system service accounts' secrets, run pods as the cluster's controllers and rewrite the aws-auth ConfigMap, which is administration of the whole cluster; release into a namespace of the workload's own, such as web"

// YQPath reports whether s is a yq path of keys, such as .image.tag: one or
// more keys of letters, digits, _ and -, each after a dot
// (https://mikefarah.gitbook.io/yq/operators/traverse-read). The path is
// written into a yq expression in a buildspec, so nothing else (quotes,
// spaces, pipes) is admitted.
func YQPath(s string) bool { return yqPathRE.MatchString(s) }

// S3DeployKeyRule is "" when key is an object key an S3 deploy action may
// write (or the key prefix it extracts under), and otherwise what is wrong
// and the fix. The empty key is "" too (whether a key is required is the
// caller's rule). A key is at most 1,024 bytes in UTF-8 (é takes 2) and
// does not start with / (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html,
// where a leading / makes an empty first path segment); it is one line
// without * or ?, and in the characters IAM takes in a policy (PolicyText),
// since the deploy role's s3:PutObject resource ends in it
// (arn:PARTITION:s3:::BUCKET/KEY, or BUCKET/KEY/* when extracting).
func S3DeployKeyRule(key string) string {
	if key == "" {
		return ""
	}
	if strings.HasPrefix(key, "/") || len(key) > 1024 || strings.ContainsAny(key, "*?"+LineBreaks) {
		return "must be an S3 key of at most 1024 bytes (UTF-8) on one line, without IAM's wildcards * and ?, not starting with /"
	}
	return PolicyTextRule(key, "use an object key of ASCII and Latin-1 characters")
}

// ReviewURLRule is "" when s is empty or a link an approval may show its
// approver (the action's ExternalEntityLink), and otherwise what is wrong
// and the fix: an https URL with a host, so that the console links the
// approver to a page served over TLS. Its length is the action
// configuration value's limit (limits.ActionConfiguration), which the
// callers check.
func ReviewURLRule(s string) string {
	if s == "" {
		return ""
	}
	if u, err := url.Parse(s); err != nil || u.Scheme != "https" || u.Host == "" {
		return "must be an https URL, such as https://grafana.example.com/d/staging"
	}
	return ""
}

// CodeBuildImagePrefix starts the ID of every CodeBuild-managed image
// (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-available.html).
const CodeBuildImagePrefix = "aws/codebuild/"

// CodeBuildManagedImage reports whether s names a CodeBuild-managed image:
// CodeBuildImagePrefix and a name, such as aws/codebuild/standard:7.0.
// Relay's projects pull their image as CodeBuild (no pull credentials, no
// ECR grant), which works for these images only.
func CodeBuildManagedImage(s string) bool {
	return strings.HasPrefix(s, CodeBuildImagePrefix) && len(s) > len(CodeBuildImagePrefix)
}
