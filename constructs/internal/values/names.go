package values

import (
	"fmt"
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
	executionPrefixRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,60}$`)
	templateParamRE   = regexp.MustCompile(`^[A-Za-z0-9]{1,255}$`)
)

// ImageTag reports whether s is an image tag: 1 to 128 letters, digits, _,
// . and -, not starting with . or -
// (https://docs.docker.com/reference/cli/docker/image/tag/). An ECR source
// that watches another tag never finds an image.
func ImageTag(s string) bool { return imageTagRE.MatchString(s) }

// ExecutionNamePrefix reports whether s can prefix the names of the Step
// Functions executions that a CodePipeline Step Functions action starts: 1
// to 60 letters, digits, _ and -, so that with the pipeline execution's ID
// the name stays within StartExecution's 80 characters of that alphabet
// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html,
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html).
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
