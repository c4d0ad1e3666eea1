package limits

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// The rules that a physical name is unique in its AWS scope, by ID: each is
// a Table row whose Max is 1 (one resource of a name per scope), checked on
// the whole cloud assembly by CheckDir (CheckUnique).
const (
	UniqueStackName        = "cloudformation-stack-name-unique"
	UniqueStackSetName     = "cloudformation-stackset-name-unique"
	UniqueRoleName         = "iam-role-name-unique"
	UniqueManagedPolicy    = "iam-managed-policy-name-unique"
	UniqueBucketName       = "s3-bucket-name-unique"
	UniqueKMSAlias         = "kms-alias-name-unique"
	UniquePipelineName     = "codepipeline-pipeline-name-unique"
	UniqueProjectName      = "codebuild-project-name-unique"
	UniqueReportGroupName  = "codebuild-report-group-name-unique"
	UniqueTopicName        = "sns-topic-name-unique"
	UniqueLogGroupName     = "cloudwatch-logs-log-group-name-unique"
	UniqueCodeDeployApp    = "codedeploy-application-name-unique"
	UniqueEventRuleName    = "eventbridge-rule-name-unique"
	UniqueAlarmName        = "cloudwatch-alarm-name-unique"
	UniqueDashboardName    = "cloudwatch-dashboard-name-unique"
	UniqueStateMachineName = "stepfunctions-state-machine-name-unique"
	UniqueFunctionName     = "lambda-function-name-unique"
)

// uniqueFix is the fix of every uniqueness rule.
const uniqueFix = "give one of them another name"

// uniqueTable are the Table rows of the uniqueness rules (the last rows of
// Table): at most 1 resource of one name in the scope each names.
var uniqueTable = []Limit{
	{UniqueStackName, "CloudFormation stacks of one name in one account and region", 1, "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html", uniqueFix, false},
	{UniqueStackSetName, "CloudFormation StackSets of one name in one account and region", 1, "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html", uniqueFix, false},
	{UniqueRoleName, "IAM roles of one name in one account (names not distinguished by case)", 1, "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html", uniqueFix, false},
	{UniqueManagedPolicy, "IAM managed policies of one name in one account (names not distinguished by case)", 1, "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html", uniqueFix, false},
	{UniqueBucketName, "S3 general purpose buckets of one name in one partition (all accounts and regions)", 1, "https://docs.aws.amazon.com/AmazonS3/latest/userguide/gpbucketnamespaces.html", uniqueFix, false},
	{UniqueKMSAlias, "KMS aliases of one name in one account and region", 1, "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html", uniqueFix, false},
	{UniquePipelineName, "CodePipeline pipelines of one name in one account and region", 1, "https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineContext.html", uniqueFix, false},
	{UniqueProjectName, "CodeBuild projects of one name in one account and region", 1, "https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html", uniqueFix, false},
	{UniqueReportGroupName, "CodeBuild report groups of one name in one account and region", 1, "https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateReportGroup.html", uniqueFix, false},
	{UniqueTopicName, "SNS topics of one name in one account and region", 1, "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html", uniqueFix, false},
	{UniqueLogGroupName, "CloudWatch Logs log groups of one name in one account and region", 1, "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html", uniqueFix, false},
	{UniqueCodeDeployApp, "CodeDeploy applications of one name in one account and region", 1, "https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateApplication.html", uniqueFix, false},
	{UniqueEventRuleName, "EventBridge rules of one name on one event bus", 1, "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html", uniqueFix, false},
	{UniqueAlarmName, "CloudWatch alarms of one name in one account and region", 1, "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html", uniqueFix, false},
	{UniqueDashboardName, "CloudWatch dashboards of one name in one account (dashboards are global, not regional)", 1, "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-dashboard.html", uniqueFix, false},
	{UniqueStateMachineName, "Step Functions state machines of one name in one account and region", 1, "https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html", uniqueFix, false},
	{UniqueFunctionName, "Lambda functions of one name in one account and region", 1, "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html", uniqueFix, false},
}

// uniqueKinds are the name kinds (NameRules keys) of the uniqueness rules.
var uniqueKinds = map[string]string{
	UniqueStackName: StackName, UniqueStackSetName: StackSetName, UniqueRoleName: IAMRoleName,
	UniqueManagedPolicy: IAMManagedPolicyName, UniqueBucketName: S3BucketName, UniqueKMSAlias: KMSAliasName,
	UniquePipelineName: PipelineName, UniqueProjectName: CodeBuildProjectName, UniqueReportGroupName: ReportGroupName,
	UniqueTopicName: SNSTopicName, UniqueLogGroupName: LogGroupName, UniqueCodeDeployApp: CodeDeployAppName,
	UniqueEventRuleName: EventRuleName, UniqueAlarmName: AlarmName, UniqueDashboardName: DashboardName,
	UniqueStateMachineName: StateMachineName, UniqueFunctionName: LambdaFunctionName,
}

// UniqueKind is the kind of name (a NameRules key, such as IAMRoleName)
// that the uniqueness rule id (a CheckUnique finding's Limit.ID) is about,
// and whether AWS tells such names apart by case; "" for another limit.
func UniqueKind(id string) (kind string, caseSensitive bool) {
	kind = uniqueKinds[id]
	return kind, id != UniqueRoleName && id != UniqueManagedPolicy
}

// nameScope is where AWS keeps a kind of name unique.
type nameScope int

const (
	// inAccountRegion: one account, one region (most regional services).
	inAccountRegion nameScope = iota
	// inAccount: one account, every region (IAM; CloudWatch dashboards).
	inAccount
	// inPartition: every account and region of a partition (S3 buckets).
	inPartition
)

// uniqueRule is one resource type's name and the scope it is unique in.
type uniqueRule struct {
	// id is the Table row.
	id string
	// property holds the name.
	property string
	scope    nameScope
	// foldCase: AWS does not tell names apart by case (IAM).
	foldCase bool
	// says is the rule in words, for the message.
	says string
	// sub, when set, narrows the scope by a property of the resource (an
	// EventBridge rule's event bus): its value and words, or ok false
	// when the value is not certain at synth (then the name is not
	// compared).
	sub func(props map[string]interface{}, e stackEnv) (key, words string, ok bool)
}

// uniqueRules are the resource types whose names CheckUnique compares, by
// CloudFormation type. When the AWS pages leave a scope in doubt, the
// narrower one is used: a valid app refused is worse than a collision
// that CloudFormation reports at deploy. CodePipeline documents pipeline
// names as unique in an account, and CodeDeploy application names in an
// account: both are compared per account and region (regional resources,
// each region's ARN), as the narrower scope.
var uniqueRules = map[string]uniqueRule{
	"AWS::IAM::Role":                   {UniqueRoleName, "RoleName", inAccount, true, "IAM role names are unique in an account, whatever their path, and not distinguished by case", nil},
	"AWS::IAM::ManagedPolicy":          {UniqueManagedPolicy, "ManagedPolicyName", inAccount, true, "IAM managed policy names are unique in an account, whatever their path, and not distinguished by case", nil},
	"AWS::S3::Bucket":                  {UniqueBucketName, "BucketName", inPartition, false, "S3 general purpose bucket names are unique across all accounts and regions of a partition", nil},
	"AWS::KMS::Alias":                  {UniqueKMSAlias, "AliasName", inAccountRegion, false, "KMS alias names are unique in an account and region", nil},
	"AWS::CodePipeline::Pipeline":      {UniquePipelineName, "Name", inAccountRegion, false, "CodePipeline pipeline names are unique in an account", nil},
	"AWS::CodeBuild::Project":          {UniqueProjectName, "Name", inAccountRegion, false, "CodeBuild project names are unique in an account and region", nil},
	"AWS::CodeBuild::ReportGroup":      {UniqueReportGroupName, "Name", inAccountRegion, false, "CodeBuild report group names are unique in an account and region", nil},
	"AWS::SNS::Topic":                  {UniqueTopicName, "TopicName", inAccountRegion, false, "SNS topic names are unique in an account and region", nil},
	"AWS::Logs::LogGroup":              {UniqueLogGroupName, "LogGroupName", inAccountRegion, false, "log group names are unique in an account and region", nil},
	"AWS::CodeDeploy::Application":     {UniqueCodeDeployApp, "ApplicationName", inAccountRegion, false, "CodeDeploy application names are unique in an account", nil},
	"AWS::CloudFormation::StackSet":    {UniqueStackSetName, "StackSetName", inAccountRegion, false, "StackSet names are unique in the account and region that administer them", callAs},
	"AWS::Events::Rule":                {UniqueEventRuleName, "Name", inAccountRegion, false, "EventBridge rule names are unique on their event bus", eventBus},
	"AWS::CloudWatch::Alarm":           {UniqueAlarmName, "AlarmName", inAccountRegion, false, "CloudWatch alarm names are unique in an account and region", nil},
	"AWS::CloudWatch::Dashboard":       {UniqueDashboardName, "DashboardName", inAccount, false, "CloudWatch dashboards are global in an account, not regional: their names are unique in the account", nil},
	"AWS::StepFunctions::StateMachine": {UniqueStateMachineName, "StateMachineName", inAccountRegion, false, "Step Functions state machine names are unique in an account and region", nil},
	"AWS::Lambda::Function":            {UniqueFunctionName, "FunctionName", inAccountRegion, false, "Lambda function names are unique in an account and region", nil},
}

// eventBus narrows an EventBridge rule's scope to its event bus (default:
// the account's default bus), given by name or ARN.
func eventBus(props map[string]interface{}, e stackEnv) (string, string, bool) {
	v, ok := props["EventBusName"]
	if !ok {
		return "default", "", true
	}
	bus, ok := e.resolve(v)
	if !ok {
		return "", "", false
	}
	// An ARN names the bus by its last segment, in the account and
	// region of the ARN, which may be another than the stack's: compared
	// only when they are the stack's.
	if strings.HasPrefix(bus, "arn:") {
		parts := strings.SplitN(bus, ":", 6)
		if len(parts) != 6 || parts[3] != e.region || parts[4] != e.account || !strings.HasPrefix(parts[5], "event-bus/") {
			return "", "", false
		}
		bus = strings.TrimPrefix(parts[5], "event-bus/")
	}
	if bus == "default" {
		return bus, "", true
	}
	return bus, "event bus " + bus, true
}

// callAs narrows a StackSet's scope by who administers it: a delegated
// administrator's StackSets are kept in the organization's management
// account, not in the caller's.
func callAs(props map[string]interface{}, e stackEnv) (string, string, bool) {
	v, ok := props["CallAs"]
	if !ok {
		return "SELF", "", true
	}
	s, ok := v.(string)
	if !ok {
		return "", "", false
	}
	if s == "SELF" {
		return s, "", true
	}
	return s, "called as " + s, true
}

// stackEnv is a stack's account and region from the cloud assembly's
// manifest; "" for what is unknown (an environment-agnostic stack).
type stackEnv struct{ account, region string }

// parseEnv reads aws://ACCOUNT/REGION; unknown-account and unknown-region
// (aws-cdk-lib's markers for an environment-agnostic stack) become "".
func parseEnv(s string) stackEnv {
	rest, ok := strings.CutPrefix(s, "aws://")
	if !ok {
		return stackEnv{}
	}
	account, region, _ := strings.Cut(rest, "/")
	if !values.IsAccount(account) {
		account = ""
	}
	if strings.HasPrefix(region, "unknown-") || region == "" || strings.Contains(region, "$") {
		region = ""
	}
	return stackEnv{account, region}
}

// partition is the partition of the stack's region, when Relay knows the
// region.
func (e stackEnv) partition() (string, bool) {
	if e.region == "" {
		return "", false
	}
	return arns.RegionPartition(e.region)
}

// scope is the key of the scope a name of rule r lives in, and the scope
// in words; ok is false when the stack's environment does not say
// (unknown account or region): such a name is compared with none.
func (e stackEnv) scope(s nameScope) (key, words string, ok bool) {
	switch s {
	case inAccount:
		if e.account == "" {
			return "", "", false
		}
		return e.account, "account " + e.account, true
	case inPartition:
		p, ok := e.partition()
		if !ok {
			return "", "", false
		}
		return p, "partition " + p, true
	default:
		if e.account == "" || e.region == "" {
			return "", "", false
		}
		return e.account + "/" + e.region, "account " + e.account + ", region " + e.region, true
	}
}

// resolve is the value of a name as deployed in the stack's environment,
// when it is certain at synth: a literal; Fn::Join of literals and the
// pseudo parameters AWS::AccountId, AWS::Region and AWS::Partition; Fn::Sub
// of a string whose only variables are those pseudo parameters. Anything
// else (a Ref to a resource or parameter, Fn::GetAtt, an unknown
// environment) is not certain: ok is false.
func (e stackEnv) resolve(v interface{}) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case map[string]interface{}:
		if len(x) != 1 {
			return "", false
		}
		if r, ok := x["Ref"].(string); ok {
			return e.pseudo(r)
		}
		if j, ok := x["Fn::Join"].([]interface{}); ok && len(j) == 2 {
			sep, ok := j[0].(string)
			parts, ok2 := j[1].([]interface{})
			if !ok || !ok2 {
				return "", false
			}
			out := make([]string, len(parts))
			for i, p := range parts {
				s, ok := e.resolve(p)
				if !ok {
					return "", false
				}
				out[i] = s
			}
			return strings.Join(out, sep), true
		}
		if sub, ok := x["Fn::Sub"]; ok {
			str, ok := sub.(string)
			if arr, isArr := sub.([]interface{}); isArr && len(arr) == 2 {
				vars, _ := arr[1].(map[string]interface{})
				str, ok = arr[0].(string)
				ok = ok && len(vars) == 0
			}
			if !ok {
				return "", false
			}
			return e.sub(str)
		}
	}
	return "", false
}

// pseudo is the value of a pseudo parameter in the stack's environment.
func (e stackEnv) pseudo(name string) (string, bool) {
	switch name {
	case "AWS::AccountId":
		return e.account, e.account != ""
	case "AWS::Region":
		return e.region, e.region != ""
	case "AWS::Partition":
		return e.partition()
	}
	return "", false
}

var subVar = regexp.MustCompile(`\$\{([^}]*)\}`)

// sub expands the ${...} variables of an Fn::Sub string (${!x} is a
// literal ${x}); any variable other than a pseudo parameter makes the
// value uncertain.
func (e stackEnv) sub(s string) (string, bool) {
	ok := true
	out := subVar.ReplaceAllStringFunc(s, func(m string) string {
		name := m[2 : len(m)-1]
		if strings.HasPrefix(name, "!") {
			return "${" + name[1:] + "}"
		}
		v, found := e.pseudo(name)
		if !found {
			ok = false
		}
		return v
	})
	return out, ok
}

// Stack is one stack of a cloud assembly as CheckUnique reads it.
type Stack struct {
	// ID is the artifact ID (the name findings use for the stack).
	ID string
	// Name is the CloudFormation stack name.
	Name string
	// Environment is aws://ACCOUNT/REGION, with unknown-account or
	// unknown-region for an environment-agnostic stack.
	Environment string
	// Template is the parsed template.
	Template map[string]interface{}
}

// claim is one stack or resource that takes a name.
type claim struct {
	stack, resource, property, name, scope string
}

func (c claim) where() string {
	if c.resource == "" {
		return c.stack
	}
	return c.stack + "/" + c.resource
}

// CheckUnique returns an error finding (Over, with Rule set) for every
// physical name that another stack or resource of the same assembly
// already takes in the same AWS scope, where CloudFormation would accept
// the template and the second stack fail at deploy ("already exists"), or
// a second stack of one name replace the first:
//   - stack names, per account and region;
//   - the names of the resource types of uniqueRules (IAM roles and managed
//     policies per account, not told apart by case; S3 buckets per
//     partition; CloudWatch dashboards per account; EventBridge rules per
//     event bus; the others per account and region), each with its Table
//     row's AWS source.
//
// A name is compared only when its scope is known (a stack of unknown
// account or region is compared with none, except for S3, whose scope is
// the region's partition) and its value is certain (see resolve).
// Resources with a Condition (which may not be created) and inline
// policies (AWS::IAM::Policy, named per role) are not compared. Each
// finding is on the later claim, in stacks' order and logical IDs, and
// names the first (Finding.Other).
func CheckUnique(stacks []Stack) []Finding {
	type group struct {
		id, says string // the Table row, and the AWS rule in words
		claims   []claim
	}
	groups := map[string]*group{}
	var order []string
	add := func(id, says, scopeKey, key string, c claim) {
		k := id + "\x00" + scopeKey + "\x00" + key
		g, ok := groups[k]
		if !ok {
			g = &group{id: id, says: says}
			groups[k] = g
			order = append(order, k)
		}
		g.claims = append(g.claims, c)
	}
	for _, st := range stacks {
		e := parseEnv(st.Environment)
		if key, words, ok := e.scope(inAccountRegion); ok && st.Name != "" {
			add(UniqueStackName, "CloudFormation stack names are unique in an account and region", key, st.Name, claim{stack: st.ID, property: "stack name", name: st.Name, scope: words})
		}
		res, _ := st.Template["Resources"].(map[string]interface{})
		ids := make([]string, 0, len(res))
		for id := range res {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			m, _ := res[id].(map[string]interface{})
			if _, conditional := m["Condition"]; conditional {
				continue
			}
			typ, _ := m["Type"].(string)
			r, ok := uniqueRules[typ]
			if !ok {
				continue
			}
			props, _ := m["Properties"].(map[string]interface{})
			v, ok := props[r.property]
			if !ok {
				continue
			}
			name, ok := e.resolve(v)
			if !ok || name == "" {
				continue
			}
			scopeKey, words, ok := e.scope(r.scope)
			if !ok {
				continue
			}
			if r.sub != nil {
				k, w, ok := r.sub(props, e)
				if !ok {
					continue
				}
				scopeKey += "\x00" + k
				if w != "" {
					words += ", " + w
				}
			}
			key := name
			if r.foldCase {
				key = strings.ToLower(name)
			}
			add(r.id, r.says, scopeKey, key, claim{stack: st.ID, resource: id, property: r.property, name: name, scope: words})
		}
	}
	var out []Finding
	for _, k := range order {
		g := groups[k]
		if len(g.claims) < 2 {
			continue
		}
		l := ByID(g.id)
		first := g.claims[0]
		for _, c := range g.claims[1:] {
			out = append(out, Finding{
				Limit: l, Stack: c.stack, Resource: c.resource, Value: len(g.claims),
				Physical: c.name, Name: c.name, Property: c.property, Other: first.where(), Scope: c.scope,
				Rule: fmt.Sprintf("is also the %s of %s (%s): %s (%s)", first.property, quoteIfDiffers(first.where(), first.name, c.name), c.scope, g.says, l.Source),
			})
		}
	}
	return out
}

// quoteIfDiffers names the other claim, with its spelling when it differs
// from this one's (IAM names that differ only by case).
func quoteIfDiffers(where, name, this string) string {
	if name == this {
		return where
	}
	return fmt.Sprintf("%s, %q", where, name)
}
