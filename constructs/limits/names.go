package limits

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// NameRule is the alphabet of one kind of AWS name; its length limit is the
// Table row of the same ID.
type NameRule struct {
	// Pattern is the whole name's pattern, length aside.
	Pattern *regexp.Regexp
	// Alphabet says what Pattern takes, in words.
	Alphabet string
	// Min is the shortest name (1 unless the service says otherwise).
	Min int
	// Reserved are prefixes that AWS keeps for itself, such as alias/aws/
	// for KMS aliases. Default: none.
	Reserved []string
}

// NameRules are the alphabets of the names Relay composes, by limit ID;
// each has a row in Table with its maximum length and source.
var NameRules = map[string]NameRule{
	StackName:            {regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`), "a letter, then letters, digits and hyphens", 1, nil},
	StackSetName:         {regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`), "a letter, then letters, digits and hyphens", 1, nil},
	IAMRoleName:          {regexp.MustCompile(`^[\w+=,.@-]+$`), "letters, digits and +=,.@_-", 1, nil},
	IAMManagedPolicyName: {regexp.MustCompile(`^[\w+=,.@-]+$`), "letters, digits and +=,.@_-", 1, nil},
	IAMPolicyName:        {regexp.MustCompile(`^[\w+=,.@-]+$`), "letters, digits and +=,.@_-", 1, nil},
	S3BucketName: {regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`), "lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit", 3,
		// S3 refuses a bucket name with these prefixes (its naming rules,
		// the Table row's source).
		[]string{"xn--", "sthree-", "amzn-s3-demo-"}},
	LogGroupName:         {regexp.MustCompile(`^[A-Za-z0-9_./#-]+$`), "letters, digits and _-/.#", 1, nil},
	PipelineName:         {regexp.MustCompile(`^[A-Za-z0-9.@_-]+$`), "letters, digits and .@_-", 1, nil},
	StageName:            {regexp.MustCompile(`^[A-Za-z0-9.@_-]+$`), "letters, digits and .@_-", 1, nil},
	ActionName:           {regexp.MustCompile(`^[A-Za-z0-9.@_-]+$`), "letters, digits and .@_-", 1, nil},
	Namespace:            {regexp.MustCompile(`^[A-Za-z0-9@_-]+$`), "letters, digits and @_-", 1, nil},
	CodeBuildProjectName: {regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`), "a letter or digit, then letters, digits, _ and -", 2, nil},
	ReportGroupName:      {regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`), "a letter or digit, then letters, digits, _ and -", 2, nil},
	SNSTopicName:         {regexp.MustCompile(`^[A-Za-z0-9_-]+$`), "letters, digits, _ and -", 1, nil},
	CodeDeployAppName:    {regexp.MustCompile(`^[\x21-\x7E]+$`), "printable ASCII characters", 1, nil},
	CodeDeployGroupName:  {regexp.MustCompile(`^[\x21-\x7E]+$`), "printable ASCII characters", 1, nil},
	KMSAliasName:         {regexp.MustCompile(`^alias/[A-Za-z0-9/_-]+$`), "alias/ then letters, digits and /_-", 7, []string{"alias/aws/"}},
	EventRuleName:        {regexp.MustCompile(`^[A-Za-z0-9._-]+$`), "letters, digits and ._-", 1, nil},
	DashboardName:        {regexp.MustCompile(`^[A-Za-z0-9_-]+$`), "letters, digits, _ and -", 1, nil},
	AlarmName:            {regexp.MustCompile(`^[\x20-\x7E]+$`), "printable ASCII characters", 1, nil},
	StateMachineName:     {regexp.MustCompile(`^[A-Za-z0-9_-]+$`), "letters, digits, _ and -", 1, nil},
	LambdaFunctionName:   {regexp.MustCompile(`^[A-Za-z0-9_-]+$`), "letters, digits, _ and -", 1, nil},
	IAMPath:              {regexp.MustCompile(`^/([\x21-\x7E]*/)?$`), "/ alone, or printable ASCII characters without spaces between a leading and a trailing / (such as /relay/orders/)", 1, nil},
}

// CheckName says what is wrong with name as a name of the kind id (a key of
// NameRules): "" when it fits, else the rule it breaks with the length, the
// limit and the AWS page that states it, such as
// `has 135 characters; a CloudFormation StackSet name has at most 128 (https://...)`.
// It panics for an id without a rule (a programming error).
func CheckName(id, name string) string {
	rule, ok := NameRules[id]
	if !ok {
		panic("limits: no name rule for " + id)
	}
	l := ByID(id)
	what := strings.TrimSuffix(l.What, " (characters)")
	n := utf8.RuneCountInString(name)
	switch {
	case n > l.Max:
		return fmt.Sprintf("has %d characters; %s %s has at most %d (%s)", n, article(what), what, l.Max, l.Source)
	case n < rule.Min:
		return fmt.Sprintf("has %d characters; %s %s has at least %d (%s)", n, article(what), what, rule.Min, l.Source)
	case !rule.Pattern.MatchString(name):
		return fmt.Sprintf("is not a valid %s: %s only (%s)", what, rule.Alphabet, l.Source)
	}
	for _, r := range rule.Reserved {
		if strings.HasPrefix(name, r) {
			return fmt.Sprintf("starts with %s, which AWS reserves for its own %ss (%s)", r, what, l.Source)
		}
	}
	return ""
}

// article is "an" before a word said with a vowel sound (IAM, S3, SNS,
// EventBridge), "a" otherwise.
func article(word string) string {
	if strings.ContainsAny(word[:1], "AEIOUaeiou") || strings.HasPrefix(word, "S3") || strings.HasPrefix(word, "SNS") {
		return "an"
	}
	return "a"
}

// namedProperties are the properties of resource types that hold a name
// Relay sets, with the name's limit ID; the first is the resource's own
// name (Finding.Physical), any other a name it carries (a role's path).
var namedProperties = map[string][][2]string{
	"AWS::IAM::Role":                   {{"RoleName", IAMRoleName}, {"Path", IAMPath}},
	"AWS::IAM::ManagedPolicy":          {{"ManagedPolicyName", IAMManagedPolicyName}, {"Path", IAMPath}},
	"AWS::IAM::Policy":                 {{"PolicyName", IAMPolicyName}},
	"AWS::S3::Bucket":                  {{"BucketName", S3BucketName}},
	"AWS::Logs::LogGroup":              {{"LogGroupName", LogGroupName}},
	"AWS::CodePipeline::Pipeline":      {{"Name", PipelineName}},
	"AWS::CodeBuild::Project":          {{"Name", CodeBuildProjectName}},
	"AWS::CodeBuild::ReportGroup":      {{"Name", ReportGroupName}},
	"AWS::SNS::Topic":                  {{"TopicName", SNSTopicName}},
	"AWS::CodeDeploy::Application":     {{"ApplicationName", CodeDeployAppName}},
	"AWS::CodeDeploy::DeploymentGroup": {{"DeploymentGroupName", CodeDeployGroupName}},
	"AWS::KMS::Alias":                  {{"AliasName", KMSAliasName}},
	"AWS::CloudFormation::StackSet":    {{"StackSetName", StackSetName}},
	"AWS::Events::Rule":                {{"Name", EventRuleName}},
	"AWS::CloudWatch::Dashboard":       {{"DashboardName", DashboardName}},
	"AWS::CloudWatch::Alarm":           {{"AlarmName", AlarmName}},
	"AWS::StepFunctions::StateMachine": {{"StateMachineName", StateMachineName}},
}

// checkNames adds a finding for every name of the template's resources
// that breaks its rule: the names of the resource types in namedProperties,
// the pipelines' stage and action names and variable namespaces. Names that
// intrinsic functions build are not judged here (Relay writes names as
// literals; package delivery checks what it composes before synthesis).
func checkNames(stack string, res map[string]interface{}, add func(Finding)) {
	ids := make([]string, 0, len(res))
	for id := range res {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	check := func(id, resource, what string, v interface{}) {
		name, ok := v.(string)
		if !ok {
			return
		}
		if problem := CheckName(id, name); problem != "" {
			add(Finding{Limit: ByID(id), Stack: stack, Resource: resource, Value: utf8.RuneCountInString(name), Name: name, Property: what, Rule: problem})
		}
	}
	for _, id := range ids {
		m, _ := res[id].(map[string]interface{})
		typ, _ := m["Type"].(string)
		props, _ := m["Properties"].(map[string]interface{})
		for _, np := range namedProperties[typ] {
			if v, ok := props[np[0]]; ok {
				check(np[1], id, np[0], v)
			}
		}
		if typ != "AWS::CodePipeline::Pipeline" {
			continue
		}
		stages, _ := props["Stages"].([]interface{})
		for _, s := range stages {
			sm, _ := s.(map[string]interface{})
			check(StageName, id, "stage name", sm["Name"])
			actions, _ := sm["Actions"].([]interface{})
			for _, a := range actions {
				am, _ := a.(map[string]interface{})
				check(ActionName, id, fmt.Sprintf("stage %v: action name", sm["Name"]), am["Name"])
				if ns, ok := am["Namespace"]; ok {
					check(Namespace, id, fmt.Sprintf("stage %v, action %v: variable namespace", sm["Name"], am["Name"]), ns)
				}
			}
		}
	}
}
