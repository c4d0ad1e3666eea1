// Package limits is Relay's one table of AWS quotas (Table, each row with the
// AWS page that states it), and checks synthesized templates against them
// before anything is deployed: policy sizes, managed policies attached per
// role, Auto Scaling groups and instance tags per CodeDeploy deployment
// group, CodeBuild project descriptions, template size, resources, outputs
// and parameters per stack, stages and actions per pipeline, every action
// configuration value, and that every variable reference in one resolves
// when its action runs (VariableReference). A StackSet's inline template is
// checked as a stack's own.
//
// Config validation and the release plan (package plan) read their numbers
// from Table too (Max), so a quota is written down once. Sizes are measured
// as deployed (package policysize resolves intrinsic functions to values of
// their deployed length). The package needs no jsii.
package limits

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"unicode/utf8"

	"github.com/relaycdk/relay/internal/policysize"
)

// Limit is one AWS quota.
type Limit struct {
	// ID names the limit in messages, e.g. s3-bucket-policy.
	ID string
	// What is measured, e.g. "S3 bucket policy (bytes)".
	What string
	// Max is the largest allowed value.
	Max int
	// Source is the AWS documentation page that states the quota.
	Source string
	// Fix says what to change when the limit is exceeded.
	Fix string
	// Packed is true for a limit Relay fills on purpose (it splits waves
	// into stages of at most 50 actions): no warning near it, only an error
	// over it.
	Packed bool
}

// WarnAt is the share of a limit from which Check warns.
const WarnAt = 0.8

// The quotas, by ID.
const (
	IAMRoleInline           = "iam-role-inline-policies"
	IAMManagedPolicy        = "iam-managed-policy"
	IAMTrustPolicy          = "iam-trust-policy"
	IAMRoleManagedPolicies  = "iam-role-managed-policies"
	IAMRoleName             = "iam-role-name"
	KMSKeyPolicy            = "kms-key-policy"
	S3BucketPolicy          = "s3-bucket-policy"
	TemplateBody            = "cloudformation-template-body"
	StackSetTemplate        = "cloudformation-stackset-template-body"
	StackResources          = "cloudformation-resources"
	StackOutputs            = "cloudformation-outputs"
	StackParameters         = "cloudformation-parameters"
	StackName               = "cloudformation-stack-name"
	StackSetName            = "cloudformation-stackset-name"
	PipelineStages          = "codepipeline-stages"
	StageActions            = "codepipeline-actions-per-stage"
	ActionConfiguration     = "codepipeline-action-configuration-value"
	StageName               = "codepipeline-stage-name"
	ActionName              = "codepipeline-action-name"
	Namespace               = "codepipeline-variable-namespace"
	RunOrder                = "codepipeline-run-order"
	VariableDefault         = "codepipeline-variable-default-value"
	TriggerPatterns         = "codepipeline-trigger-filter-patterns"
	ConditionRules          = "codepipeline-condition-rules"
	CodeDeployAlarms        = "codedeploy-alarms"
	CodeDeployTargets       = "codedeploy-target-groups"
	CodeDeployWait          = "codedeploy-wait-minutes"
	CodeDeployASGs          = "codedeploy-auto-scaling-groups"
	CodeDeployTagGroups     = "codedeploy-tag-groups"
	CodeDeployTags          = "codedeploy-tags-per-tag-group"
	CodeBuildDescription    = "codebuild-project-description"
	LambdaFunctionName      = "lambda-function-name"
	CodeBuildInputs         = "codepipeline-codebuild-input-artifacts"
	CodeBuildSubnets        = "codebuild-vpc-subnets"
	CodeBuildSecurityGroups = "codebuild-vpc-security-groups"
	CodeBuildConcurrent     = "codebuild-concurrent-builds"
	ConnectionARN           = "codeconnections-connection-arn"
	iamQuotas               = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
	cloudFormationQuota     = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html"
	codePipelineQuotas      = "https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html"
	codePipelineAPI         = "https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html"
	codeDeployQuotas        = "https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html"
	codeDeployTagging       = "https://docs.aws.amazon.com/codedeploy/latest/userguide/instances-tagging.html"
	IAMManagedPolicyName    = "iam-managed-policy-name"
	IAMPolicyName           = "iam-policy-name"
	S3BucketName            = "s3-bucket-name"
	LogGroupName            = "cloudwatch-logs-log-group-name"
	PipelineName            = "codepipeline-pipeline-name"
	CodeBuildProjectName    = "codebuild-project-name"
	ReportGroupName         = "codebuild-report-group-name"
	SNSTopicName            = "sns-topic-name"
	CodeDeployAppName       = "codedeploy-application-name"
	CodeDeployGroupName     = "codedeploy-deployment-group-name"
	KMSAliasName            = "kms-alias-name"
	EventRuleName           = "eventbridge-rule-name"
	DashboardName           = "cloudwatch-dashboard-name"
	AlarmName               = "cloudwatch-alarm-name"
	StateMachineName        = "stepfunctions-state-machine-name"
	IAMPath                 = "iam-path"
)

// Table lists every quota Relay checks: config validation, the release plan
// (package plan) and CheckTemplate read their numbers from here, through
// ByID or Max. Its last rows are the uniqueness rules of CheckUnique (one
// resource of a name per AWS scope: Max 1).
var Table = append([]Limit{
	{IAMRoleInline, "IAM inline policies of one role, in total (characters)", 10240, iamQuotas,
		"move statements into customer managed policies (deploy.executionPolicy.managedPolicyArns), or merge statements with the same actions", false},
	{IAMManagedPolicy, "IAM managed policy (characters)", 6144, iamQuotas,
		"split the managed policy in two, or use shorter resource patterns", false},
	// IAM's default quota; Service Quotas raises it to at most 4,096 per
	// account (Adjustables), which a synth cannot see: Relay holds every
	// role to the default unless Quotas declares it raised.
	{IAMTrustPolicy, "IAM role trust policy (characters)", 2048, iamQuotas,
		"trust fewer principals" + raiseAdvice + " the role trust policy length quota (up to 4096) in every account this deploys to, declare it (quotas.iamRoleTrustPolicyLength in relay.yaml, limits.Quotas.IAMRoleTrustPolicyLength in Go)", false},
	// IAM's default quota; Service Quotas raises it to at most 25 per
	// account (Adjustables), which a synth cannot see: Relay holds every
	// role to the default unless Quotas declares it raised.
	{IAMRoleManagedPolicies, "IAM managed policies attached to one role (default quota)", 10, iamQuotas,
		"merge customer managed policies, or grant with statements (the role's own policy) instead" + raiseAdvice + " the quota of managed policies per role (up to 25) in every account this deploys to, declare it (quotas.iamManagedPoliciesPerRole in relay.yaml, limits.Quotas.IAMManagedPoliciesPerRole in Go)", false},
	{IAMRoleName, "IAM role name (characters)", 64, iamQuotas,
		"use a shorter name", false},
	{KMSKeyPolicy, "KMS key policy (bytes)", 32768, "https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html",
		"admit fewer principals by name or by account", false},
	{S3BucketPolicy, "S3 bucket policy (bytes)", 20480, "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html",
		"admit fewer principals by name or by account", false},
	{TemplateBody, "CloudFormation template body uploaded through S3 (bytes, as written)", 1048576, cloudFormationQuota,
		"the pipeline template grows with each account environment (about 1.4 KB for a change set, up to 2.5 KB with a hook): deploy fleets of accounts as organizationalUnits environments (one StackSet action for any number of accounts), or split the environments across Relay configurations", false},
	{StackSetTemplate, "CloudFormation StackSet template body passed inline (bytes)", 51200, cloudFormationQuota,
		"move execution statements into managed policies (deploy.executionPolicy.managedPolicyArns)", false},
	{StackResources, "CloudFormation resources per stack", 500, cloudFormationQuota,
		"split the environments across Relay configurations", false},
	{StackOutputs, "CloudFormation outputs per stack", 200, cloudFormationQuota,
		"remove outputs, or move them to another stack", false},
	{StackParameters, "CloudFormation parameters per stack", 200, cloudFormationQuota,
		"remove parameters, or pass values through a template configuration file", false},
	{StackName, "CloudFormation stack name (characters)", 128, cloudFormationQuota,
		"use a shorter stack name", false},
	{StackSetName, "CloudFormation StackSet name (characters)", 128, cloudFormationQuota,
		"use a shorter stack name or environment name (a StackSet is named <stack name>-<environment>)", false},
	{PipelineStages, "CodePipeline stages per pipeline", 50, codePipelineQuotas,
		"group environments that may deploy together into waves (environments[].wave), or split them across Relay configurations", false},
	{StageActions, "CodePipeline actions per stage", 50, codePipelineQuotas,
		"put fewer environments or regions in the wave; Relay splits a wave into stages of at most 50 actions", true},
	{ActionConfiguration, "CodePipeline action configuration value (characters)", 1000, codePipelineQuotas,
		"shorten the value: move stack parameters into a template configuration file, build variables into the build project, long inputs into files of the build output", false},
	{StageName, "CodePipeline stage name (characters)", 100, codePipelineAPI,
		"use a shorter environment or wave name", false},
	{ActionName, "CodePipeline action name (characters)", 100, codePipelineAPI,
		"use a shorter environment, region, hook or suite name", false},
	{Namespace, "CodePipeline variable namespace (characters)", 100, codePipelineAPI,
		"use a shorter environment, region or hook name", false},
	{VariableReference, "CodePipeline variable references that cannot resolve when their action runs (a rule: none allowed)", 0, "https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html",
		referencesFix, false},
	{RunOrder, "CodePipeline action run order", 999, codePipelineAPI,
		"use a smaller runOrder", false},
	{VariableDefault, "CodePipeline pipeline variable default value (characters)", 1000, "https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineVariableDeclaration.html",
		"shorten the default value", false},
	{TriggerPatterns, "CodePipeline trigger filter patterns per includes or excludes list", 8, "https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GitBranchFilterCriteria.html",
		"combine patterns with globs (release/* instead of release/1, release/2, ...)", false},
	// A stage's entry condition holds Relay's deployment window and one
	// CloudWatchAlarm rule per noAlarms alarm (a rule names one alarm);
	// CloudFormation refuses a condition of more rules.
	{ConditionRules, "CodePipeline rules per stage condition", 5, "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-codepipeline-pipeline-condition.html",
		"gate on fewer alarms: combine them into a CloudWatch composite alarm (the deployment window is a rule too)", false},
	// CodeDeploy's quota page lists 50 associated alarms (adjustable), but
	// its API (AlarmConfiguration: "A maximum of 10 alarms can be added";
	// AlarmsLimitExceededException: "(10)") and CloudFormation's
	// AlarmConfiguration say 10: Relay holds to the API's 10.
	{CodeDeployAlarms, "CodeDeploy alarms per deployment group", 10, "https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_AlarmConfiguration.html",
		"combine alarms into a CloudWatch composite alarm", false},
	{CodeDeployTargets, "CodeDeploy load balancer target groups per deployment group", 10, codeDeployQuotas,
		"deploy the service in fewer target groups, or in several deployment groups", false},
	{CodeDeployWait, "CodeDeploy blue/green wait before rerouting traffic or terminating the blue fleet (minutes)", 2880, codeDeployQuotas,
		"wait at most 48 hours", false},
	// CodeDeploy's default quota, adjustable (its quota page states no
	// maximum), which a synth cannot see: Relay holds every deployment
	// group to the default unless Quotas declares it raised.
	{CodeDeployASGs, "CodeDeploy Auto Scaling groups per deployment group (default quota)", 10, codeDeployQuotas,
		"deploy the other Auto Scaling groups through another deployment group (another Relay configuration)" + raiseAdvice + " the quota of Auto Scaling groups in a deployment group in every account this deploys to, declare it (quotas.codeDeployAutoScalingGroups in relay.yaml, limits.Quotas.CodeDeployAutoScalingGroups in Go)", false},
	{CodeDeployTagGroups, "CodeDeploy tag groups per deployment group (EC2 or on-premises tag set)", 3, codeDeployTagging,
		"select the instances with at most 3 tag groups", false},
	{CodeDeployTags, "CodeDeploy tags per tag group (each tag key and value pair, or key or value alone, counts once)", 10, codeDeployTagging,
		"select the instances with at most 10 key and value pairs: tag them with one shared tag (such as app=billing), or list their Auto Scaling groups instead", false},
	// No connection has a longer ARN: CodePipeline takes the value (up to
	// its 1,000 characters) and the source action fails at run time.
	{ConnectionARN, "CodeConnections connection ARN (characters)", 256, "https://docs.aws.amazon.com/codeconnections/latest/APIReference/API_Connection.html",
		"copy the ARN from the connection's settings", false},
	{LambdaFunctionName, "Lambda function name (characters)", 64, "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
		"use a shorter function name", false},
	{CodeBuildInputs, "Input artifacts of a CodePipeline CodeBuild action", 5, "https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-action-artifacts.html",
		"read fewer artifacts in one step: combine files in an earlier step's output", false},
	// Packed: Relay cuts the descriptions it writes to the limit, so a long
	// one is not a warning.
	{CodeBuildDescription, "CodeBuild project description (characters)", 255, "https://docs.aws.amazon.com/codebuild/latest/APIReference/API_Project.html",
		"shorten the description (Relay shortens the descriptions it writes to fit)", true},
	{CodeBuildSubnets, "CodeBuild project VPC subnets", 16, "https://docs.aws.amazon.com/codebuild/latest/APIReference/API_VpcConfig.html",
		"list at most 16 subnets (one or two per Availability Zone is enough)", false},
	{CodeBuildSecurityGroups, "CodeBuild project VPC security groups", 5, "https://docs.aws.amazon.com/codebuild/latest/APIReference/API_VpcConfig.html",
		"merge the rules into at most 5 security groups", false},
	// CodeBuild queues builds past the account's concurrency quota for the
	// platform and compute type (default 60 in many accounts, lower in new
	// ones; the quota page lists it per compute type). Relay caps the
	// publish actions that one Assets stage runs at once well below it
	// (assets.maxConcurrentPublishes), since the build and other pipelines
	// of the account share it.
	{CodeBuildConcurrent, "CodeBuild builds running at once in one account and region (default quota)", 60, "https://docs.aws.amazon.com/codebuild/latest/userguide/limits.html",
		"publish fewer assets at once (assets.maxConcurrentPublishes), or raise the quota in Service Quotas", false},
	{IAMManagedPolicyName, "IAM managed policy name (characters)", 128, iamQuotas,
		"use a shorter name or environment name", false},
	{IAMPolicyName, "IAM inline policy name (characters)", 128, iamQuotas,
		"use a shorter name", false},
	{S3BucketName, "S3 bucket name (characters)", 63, "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
		"use a shorter name", false},
	{LogGroupName, "CloudWatch Logs log group name (characters)", 512, "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
		"use a shorter name", false},
	{PipelineName, "CodePipeline pipeline name (characters)", 100, "https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineDeclaration.html",
		"use a shorter name", false},
	{CodeBuildProjectName, "CodeBuild project name (characters)", 255, "https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html",
		"use a shorter name or suite name", false},
	{ReportGroupName, "CodeBuild report group name (characters)", 128, "https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateReportGroup.html",
		"use a shorter name or suite name", false},
	{SNSTopicName, "SNS topic name (characters)", 256, "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
		"use a shorter name or environment name", false},
	{CodeDeployAppName, "CodeDeploy application name (characters)", 100, "https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateApplication.html",
		"use a shorter name", false},
	{CodeDeployGroupName, "CodeDeploy deployment group name (characters)", 100, "https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeploymentGroup.html",
		"use a shorter name or environment name", false},
	{KMSAliasName, "KMS alias name (characters)", 256, "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
		"use a shorter name", false},
	{EventRuleName, "EventBridge rule name (characters)", 64, "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
		"use a shorter name", false},
	{DashboardName, "CloudWatch dashboard name (characters)", 255, "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html",
		"use a shorter name", false},
	{AlarmName, "CloudWatch alarm name (characters)", 255, "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
		"use a shorter name", false},
	{StateMachineName, "Step Functions state machine name (characters)", 80, "https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html",
		"use a shorter name", false},
	{IAMPath, "IAM path (characters)", 512, "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
		"use a shorter path", false},
}, uniqueTable...)

// ByID is the limit with id; it panics for an unknown id (a programming
// error).
func ByID(id string) Limit {
	for _, l := range Table {
		if l.ID == id {
			return l
		}
	}
	panic("limits: unknown limit " + id)
}

// Max is the largest allowed value of the limit with id, such as
// Max(PipelineStages) = 50.
func Max(id string) int { return ByID(id).Max }

// Finding is one measured value at or over WarnAt of its limit.
type Finding struct {
	// Limit is the quota.
	Limit Limit
	// Stack is the stack, Resource the logical ID (or "" for the stack).
	Stack, Resource string
	// Value is the measured value.
	Value int
	// Stage, Action and Key locate an action configuration value in the
	// pipeline Resource (ActionConfiguration only).
	Stage, Action, Key string
	// Field names the input that drives the value, such as
	// environments[0].parameters, when the release plan knows it (see
	// plan.Pipeline.Explain); "" otherwise.
	Field string
	// Fix, when set, replaces Limit.Fix: what to change in Field.
	Fix string
	// Physical is the resource's physical name when the template sets it
	// (such as a role's RoleName), so that a caller can say which of its
	// resources it is; "" otherwise.
	Physical string
	// Name, Property and Rule describe a name that breaks its rule: the
	// name, the property (or stage and action) that holds it, and the rule
	// it breaks (CheckName, CheckUnique).
	Name, Property, Rule string
	// Other and Scope, for a name that must be unique in its AWS scope
	// (CheckUnique): the stack/logical ID (or the stack) that takes the
	// name first, and the scope in words, such as
	// "account 222222222222" or "account 111111111111, region us-east-1".
	Other, Scope string
}

// Over reports whether the value exceeds the limit (an error, not a
// warning).
func (f Finding) Over() bool { return f.Value > f.Limit.Max || f.Rule != "" }

// Error describes the finding: where, what, how much, the limit, the fix.
// With a Field, the message starts with it:
//
//	environments[0].parameters: 1234 characters of ParameterOverrides in payments-tooling/Pipeline9850B417 (stage Deploy-staging, action Prepare-us-east-1), which exceeds CodePipeline's limit of 1000 per action configuration value (https://...): move parameters into a template configuration file (environments[0].templateConfiguration)
func (f Finding) Error() string {
	where := f.Stack
	if f.Resource != "" {
		where += "/" + f.Resource
	}
	if f.Rule != "" {
		if f.Field != "" {
			where = f.Field + " (" + where + ")"
		}
		fix := f.Limit.Fix
		if f.Fix != "" {
			fix = f.Fix
		}
		return fmt.Sprintf("%s: %s %q %s: %s", where, f.Property, f.Name, f.Rule, fix)
	}
	verb := "exceeds"
	if !f.Over() {
		verb = fmt.Sprintf("is at %d%% of", f.Value*100/f.Limit.Max)
	}
	fix := f.Limit.Fix
	if f.Fix != "" {
		fix = f.Fix
	}
	if f.Key != "" {
		msg := fmt.Sprintf("%d characters of %s in %s (stage %s, action %s), which %s CodePipeline's limit of %d per action configuration value (%s): %s",
			f.Value, f.Key, where, f.Stage, f.Action, verb, f.Limit.Max, f.Limit.Source, fix)
		if f.Field != "" {
			return f.Field + ": " + msg
		}
		return msg
	}
	if f.Field != "" {
		where = f.Field + " (" + where + ")"
	}
	return fmt.Sprintf("%s: %s is %d, which %s the limit of %d (%s): %s", where, f.Limit.What, f.Value, verb, f.Limit.Max, f.Limit.Source, fix)
}

// CheckTemplate measures one stack's template, as written to the cloud
// assembly (body, whose size counts as is), and returns every finding at or
// over WarnAt of a limit (over it, for a Packed limit), every name that
// breaks its rule (NameRules; an error, never a warning), and every
// variable reference of a pipeline's actions that cannot resolve
// (VariableReference; an error), sorted by resource.
//
// It holds every adjustable quota to AWS's default; Quotas.CheckTemplate
// holds them to declared raised ones.
func CheckTemplate(stack string, body []byte) ([]Finding, error) {
	return Quotas{}.CheckTemplate(stack, body)
}

// CheckTemplate is limits.CheckTemplate in accounts with quotas q: a
// finding about an adjustable quota that q declares raised is measured
// against the declared value (Quotas.Limit).
func (q Quotas) CheckTemplate(stack string, body []byte) ([]Finding, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	tpl, err := parseTemplate(stack, body)
	if err != nil {
		return nil, err
	}
	return q.checkTemplate(stack, body, tpl), nil
}

// parseTemplate parses the template body of stack.
func parseTemplate(stack string, body []byte) (map[string]interface{}, error) {
	var tpl map[string]interface{}
	if err := json.Unmarshal(body, &tpl); err != nil {
		return nil, fmt.Errorf("%s: template is not JSON: %w", stack, err)
	}
	return tpl, nil
}

// checkTemplate is CheckTemplate of the parsed template tpl of body.
func (q Quotas) checkTemplate(stack string, body []byte, tpl map[string]interface{}) []Finding {
	var out []Finding
	measure := func(f Finding) {
		l := f.Limit
		warn := float64(f.Value) >= WarnAt*float64(l.Max) && !l.Packed
		if warn || f.Value > l.Max {
			out = append(out, f)
		}
	}
	check := func(id, resource string, v int) {
		f := Finding{Limit: q.Limit(id), Stack: stack, Resource: resource, Value: v}
		if a, ok := AdjustableByID(id); ok && a.Most > 0 && v > a.Most {
			// Over AWS's maximum: no raise of the quota fits v, so the
			// fix does not offer one.
			f.Fix = fmt.Sprintf("%s; no raised quota fits %d: Service Quotas raises it to at most %d", a.fixes(), v, a.Most)
		}
		measure(f)
	}
	check(TemplateBody, "", len(body))
	res, _ := tpl["Resources"].(map[string]interface{})
	check(StackResources, "", len(res))
	outputs, _ := tpl["Outputs"].(map[string]interface{})
	check(StackOutputs, "", len(outputs))
	params, _ := tpl["Parameters"].(map[string]interface{})
	check(StackParameters, "", len(params))

	checkNames(stack, res, func(f Finding) { out = append(out, f) })
	p := policysize.Measure(tpl)
	for id, v := range p.KeyPolicies {
		check(KMSKeyPolicy, id, v)
	}
	for id, v := range p.BucketPolicies {
		check(S3BucketPolicy, id, v)
	}
	for id, v := range p.RoleInline {
		check(IAMRoleInline, id, v)
	}
	for id, v := range p.TrustPolicies {
		check(IAMTrustPolicy, id, v)
	}
	for id, n := range attachedPolicies(res) {
		check(IAMRoleManagedPolicies, id, n)
	}
	for id, r := range res {
		m, _ := r.(map[string]interface{})
		props, _ := m["Properties"].(map[string]interface{})
		switch m["Type"] {
		case "AWS::IAM::ManagedPolicy":
			check(IAMManagedPolicy, id, policysize.Size(props["PolicyDocument"]))
		case "AWS::CloudFormation::StackSet":
			// The template a StackSet deploys in each account is measured
			// like a stack's own (policy sizes, resources, names): its
			// managed policies and roles meet the same IAM quotas there.
			if body, ok := props["TemplateBody"].(string); ok {
				check(StackSetTemplate, id, len(body))
				var nested map[string]interface{}
				if json.Unmarshal([]byte(body), &nested) == nil {
					for _, f := range q.checkTemplate(stack+"/"+id, []byte(body), nested) {
						if f.Limit.ID != TemplateBody {
							out = append(out, f)
						}
					}
				}
			}
		case "AWS::CodeBuild::Project":
			if d, ok := props["Description"].(string); ok {
				check(CodeBuildDescription, id, utf8.RuneCountInString(d))
			}
		case "AWS::CodeDeploy::DeploymentGroup":
			asgs, _ := props["AutoScalingGroups"].([]interface{})
			check(CodeDeployASGs, id, len(asgs))
			for _, groups := range tagGroups(props) {
				check(CodeDeployTagGroups, id, len(groups))
				for _, n := range groups {
					check(CodeDeployTags, id, n)
				}
			}
		case "AWS::CodePipeline::Pipeline":
			stages, _ := props["Stages"].([]interface{})
			check(PipelineStages, id, len(stages))
			checkReferences(stack, id, props, func(f Finding) { out = append(out, f) })
			for _, s := range stages {
				sm, _ := s.(map[string]interface{})
				actions, _ := sm["Actions"].([]interface{})
				check(StageActions, fmt.Sprintf("%s/%v", id, sm["Name"]), len(actions))
				for _, when := range []string{"BeforeEntry", "OnSuccess", "OnFailure"} {
					c, _ := sm[when].(map[string]interface{})
					conds, _ := c["Conditions"].([]interface{})
					for _, x := range conds {
						cm, _ := x.(map[string]interface{})
						rules, _ := cm["Rules"].([]interface{})
						check(ConditionRules, fmt.Sprintf("%s/%v/%s", id, sm["Name"], when), len(rules))
					}
				}
				for _, a := range actions {
					am, _ := a.(map[string]interface{})
					cfg, _ := am["Configuration"].(map[string]interface{})
					for key, v := range cfg {
						measure(Finding{Limit: ByID(ActionConfiguration), Stack: stack, Resource: id, Value: ConfigurationLength(v),
							Stage: fmt.Sprint(sm["Name"]), Action: fmt.Sprint(am["Name"]), Key: key})
					}
				}
			}
		}
	}
	for i := range out {
		m, _ := res[out[i].Resource].(map[string]interface{})
		typ, _ := m["Type"].(string)
		props, _ := m["Properties"].(map[string]interface{})
		// The first named property is the resource's name (a role's
		// RoleName, not its Path).
		if nps := namedProperties[typ]; len(nps) > 0 {
			if name, ok := props[nps[0][0]].(string); ok {
				out[i].Physical = name
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Resource != b.Resource {
			return a.Resource < b.Resource
		}
		if a.Limit.ID != b.Limit.ID {
			return a.Limit.ID < b.Limit.ID
		}
		if k, l := a.Stage+"/"+a.Action+"/"+a.Key, b.Stage+"/"+b.Action+"/"+b.Key; k != l {
			return k < l
		}
		return a.Name < b.Name
	})
	return out
}

// attachedPolicies counts, for each AWS::IAM::Role of res by logical ID, the
// managed policies attached to it: the distinct entries of its
// ManagedPolicyArns (an ARN, or a reference as written), and each
// AWS::IAM::ManagedPolicy of res whose Roles refer to the role ({"Ref":
// id}) and is not already among them. A permissions boundary is not an
// attachment.
func attachedPolicies(res map[string]interface{}) map[string]int {
	attached := map[string]map[string]bool{}
	attach := func(role string, policy interface{}) {
		if attached[role] == nil {
			attached[role] = map[string]bool{}
		}
		key, _ := json.Marshal(policy)
		attached[role][string(key)] = true
	}
	for id, r := range res {
		m, _ := r.(map[string]interface{})
		props, _ := m["Properties"].(map[string]interface{})
		switch m["Type"] {
		case "AWS::IAM::Role":
			arns, _ := props["ManagedPolicyArns"].([]interface{})
			for _, a := range arns {
				attach(id, a)
			}
		case "AWS::IAM::ManagedPolicy":
			roles, _ := props["Roles"].([]interface{})
			for _, role := range roles {
				rm, _ := role.(map[string]interface{})
				if ref, ok := rm["Ref"].(string); ok {
					attach(ref, map[string]interface{}{"Ref": id})
				}
			}
		}
	}
	out := map[string]int{}
	for role, policies := range attached {
		if m, _ := res[role].(map[string]interface{}); m["Type"] == "AWS::IAM::Role" {
			out[role] = len(policies)
		}
	}
	return out
}

// TagGroupSize is the number of tags CodeDeploy counts in the tag group
// that a tag map becomes (key -> values, as Relay writes instanceTags and
// onPremisesTags): one per key and value pair, one for a key without
// values. It is measured against CodeDeployTags.
func TagGroupSize(tags map[string][]string) int {
	n := 0
	for _, v := range tags {
		n += max(1, len(v))
	}
	return n
}

// tagGroups are the tag sets of a deployment group's properties props,
// each as the number of tags in each of its tag groups: Ec2TagSet and
// OnPremisesTagSet (a group per list entry), and the older Ec2TagFilters
// and OnPremisesInstanceTagFilters (one group each).
func tagGroups(props map[string]interface{}) [][]int {
	var out [][]int
	for _, set := range []struct{ prop, list, group string }{
		{"Ec2TagSet", "Ec2TagSetList", "Ec2TagGroup"},
		{"OnPremisesTagSet", "OnPremisesTagSetList", "OnPremisesTagGroup"},
	} {
		m, _ := props[set.prop].(map[string]interface{})
		list, _ := m[set.list].([]interface{})
		var groups []int
		for _, g := range list {
			gm, _ := g.(map[string]interface{})
			tags, _ := gm[set.group].([]interface{})
			groups = append(groups, len(tags))
		}
		if len(groups) > 0 {
			out = append(out, groups)
		}
	}
	for _, prop := range []string{"Ec2TagFilters", "OnPremisesInstanceTagFilters"} {
		if tags, _ := props[prop].([]interface{}); len(tags) > 0 {
			out = append(out, []int{len(tags)})
		}
	}
	return out
}

// ConfigurationLength is the length of an action configuration value as
// deployed: intrinsic functions resolved to values of their deployed length
// (see policysize.Resolve), numbers and booleans as CodePipeline reads them.
func ConfigurationLength(v interface{}) int {
	switch x := policysize.Resolve(v).(type) {
	case string:
		return len(x)
	case bool, float64, int:
		return len(fmt.Sprint(x))
	default:
		raw, _ := json.Marshal(x)
		return len(raw)
	}
}

// CheckDir checks every stack template of the cloud assembly in dir (as
// written by app.Synth), and each stack's name, and returns all findings,
// stacks in manifest order, then the names that two stacks or resources of
// the assembly take in one AWS scope (CheckUnique; stack environments from
// the manifest's aws://ACCOUNT/REGION). A nested assembly (a Stage's) is
// not read.
//
// It holds every adjustable quota to AWS's default; Quotas.CheckDir holds
// them to declared raised ones.
func CheckDir(dir string) ([]Finding, error) {
	return Quotas{}.CheckDir(dir)
}

// CheckDir is limits.CheckDir in accounts with quotas q (see
// Quotas.CheckTemplate); an invalid q (Quotas.Validate) is an error.
func (q Quotas) CheckDir(dir string) ([]Finding, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	stacks, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, st := range stacks {
		found := q.checkTemplate(st.ID, st.body, st.Template)
		if st.stackName != "" {
			if rule := CheckName(StackName, st.stackName); rule != "" {
				out = append(out, Finding{Limit: ByID(StackName), Stack: st.ID, Value: len(st.stackName), Name: st.stackName, Property: "stack name", Rule: rule})
			}
		}
		out = append(out, found...)
	}
	return append(out, CheckUnique(stackList(stacks))...), nil
}

// CheckRelayRolesDir is CheckRelayRoles on every stack template of the
// cloud assembly in dir (as CheckDir reads it).
func CheckRelayRolesDir(dir string) ([]Finding, error) {
	stacks, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	return CheckRelayRoles(stackList(stacks)), nil
}

// dirStack is one stack of a cloud assembly with its template as written
// and the stack name the manifest sets ("" when it is the artifact ID).
type dirStack struct {
	Stack
	body      []byte
	stackName string
}

// stackList are the Stacks of stacks.
func stackList(stacks []dirStack) []Stack {
	out := make([]Stack, len(stacks))
	for i, st := range stacks {
		out[i] = st.Stack
	}
	return out
}

// readDir reads the stacks of the cloud assembly in dir, in manifest order
// (sorted artifact IDs).
func readDir(dir string) ([]dirStack, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var manifest struct {
		Artifacts map[string]struct {
			Type        string `json:"type"`
			Environment string `json:"environment"`
			Properties  struct {
				TemplateFile string `json:"templateFile"`
				StackName    string `json:"stackName"`
			} `json:"properties"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return nil, fmt.Errorf("%s/manifest.json: %w", dir, err)
	}
	names := make([]string, 0, len(manifest.Artifacts))
	for name, a := range manifest.Artifacts {
		if a.Type == "aws:cloudformation:stack" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var out []dirStack
	for _, name := range names {
		a := manifest.Artifacts[name]
		file := filepath.Join(dir, a.Properties.TemplateFile)
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		tpl, err := parseTemplate(name, raw)
		if err != nil {
			return nil, err
		}
		// aws-cdk-lib writes stackName only when it differs from the
		// artifact ID.
		st := dirStack{Stack: Stack{ID: name, Name: a.Properties.StackName, Environment: a.Environment, Template: tpl}, body: raw, stackName: a.Properties.StackName}
		if st.Name == "" {
			st.Name = name
		}
		out = append(out, st)
	}
	return out, nil
}
