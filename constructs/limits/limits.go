// Package limits checks synthesized templates against the AWS quotas that a
// large delivery setup can hit, before anything is deployed: policy sizes,
// template size, resources, outputs and parameters per stack, stages and
// actions per pipeline, and CloudFormation parameter overrides.
//
// Every quota is one row of Table, with its source. Sizes of policies are
// measured as deployed (package policysize resolves intrinsic functions to
// values of their deployed length). The package needs no jsii.
package limits

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

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
	IAMRoleInline       = "iam-role-inline-policies"
	IAMManagedPolicy    = "iam-managed-policy"
	IAMTrustPolicy      = "iam-trust-policy"
	KMSKeyPolicy        = "kms-key-policy"
	S3BucketPolicy      = "s3-bucket-policy"
	TemplateBody        = "cloudformation-template-body"
	StackResources      = "cloudformation-resources"
	StackOutputs        = "cloudformation-outputs"
	StackParameters     = "cloudformation-parameters"
	PipelineStages      = "codepipeline-stages"
	StageActions        = "codepipeline-actions-per-stage"
	ParameterOverrides  = "codepipeline-cloudformation-parameter-overrides"
	iamQuotas           = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
	cloudFormationQuota = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html"
	codePipelineQuotas  = "https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html"
)

// Table lists every quota Relay checks.
var Table = []Limit{
	{IAMRoleInline, "IAM inline policies of one role, in total (characters)", 10240, iamQuotas,
		"move statements into customer managed policies (deploy.executionPolicy.managedPolicyArns), or merge statements with the same actions", false},
	{IAMManagedPolicy, "IAM managed policy (characters)", 6144, iamQuotas,
		"split the managed policy in two, or use shorter resource patterns", false},
	{IAMTrustPolicy, "IAM role trust policy (characters)", 2048, iamQuotas,
		"trust fewer principals (with organization.id set, Relay's roles trust the organization instead of each account), or ask AWS Support to raise the role trust policy length quota (up to 4096)", false},
	{KMSKeyPolicy, "KMS key policy (bytes)", 32768, "https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html",
		"set organization.id in relay.yaml: grants then match the organization and the key policy keeps one size", false},
	{S3BucketPolicy, "S3 bucket policy (bytes)", 20480, "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html",
		"set organization.id in relay.yaml: grants then match the organization and the bucket policy keeps one size", false},
	{TemplateBody, "CloudFormation template body uploaded through S3 (bytes, as written)", 1048576, cloudFormationQuota,
		"the pipeline template grows with each account environment (about 1.4 KB for a change set, up to 2.5 KB with a hook): deploy fleets of accounts as organizationalUnits environments (one StackSet action for any number of accounts), or split the environments across Relay configurations", false},
	{StackResources, "CloudFormation resources per stack", 500, cloudFormationQuota,
		"split the environments across Relay configurations", false},
	{StackOutputs, "CloudFormation outputs per stack", 200, cloudFormationQuota,
		"remove outputs, or move them to another stack", false},
	{StackParameters, "CloudFormation parameters per stack", 200, cloudFormationQuota,
		"remove parameters, or pass values through a template configuration file", false},
	{PipelineStages, "CodePipeline stages per pipeline", 50, codePipelineQuotas,
		"group environments that may deploy together into waves (environments[].wave), or split them across Relay configurations", false},
	{StageActions, "CodePipeline actions per stage", 50, codePipelineQuotas,
		"put fewer environments or regions in the wave; Relay splits a wave into stages of at most 50 actions", true},
	{ParameterOverrides, "CloudFormation action ParameterOverrides (characters)", 1000, codePipelineQuotas,
		"move parameters into a template configuration file in the build output", false},
}

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

// Finding is one measured value at or over WarnAt of its limit.
type Finding struct {
	// Limit is the quota.
	Limit Limit
	// Stack is the stack, Resource the logical ID (or "" for the stack).
	Stack, Resource string
	// Value is the measured value.
	Value int
}

// Over reports whether the value exceeds the limit (an error, not a
// warning).
func (f Finding) Over() bool { return f.Value > f.Limit.Max }

// Error describes the finding: where, what, how much, the limit, the fix.
func (f Finding) Error() string {
	where := f.Stack
	if f.Resource != "" {
		where += "/" + f.Resource
	}
	verb := "exceeds"
	if !f.Over() {
		verb = fmt.Sprintf("is at %d%% of", f.Value*100/f.Limit.Max)
	}
	return fmt.Sprintf("%s: %s is %d, which %s the limit of %d (%s): %s", where, f.Limit.What, f.Value, verb, f.Limit.Max, f.Limit.Source, f.Limit.Fix)
}

// CheckTemplate measures one stack's template, as written to the cloud
// assembly (body, whose size counts as is), and returns every finding at or
// over WarnAt of a limit (over it, for a Packed limit), sorted by resource.
func CheckTemplate(stack string, body []byte) ([]Finding, error) {
	var tpl map[string]interface{}
	if err := json.Unmarshal(body, &tpl); err != nil {
		return nil, fmt.Errorf("%s: template is not JSON: %w", stack, err)
	}
	var out []Finding
	check := func(id, resource string, v int) {
		l := ByID(id)
		warn := float64(v) >= WarnAt*float64(l.Max) && !l.Packed
		if warn || v > l.Max {
			out = append(out, Finding{Limit: l, Stack: stack, Resource: resource, Value: v})
		}
	}
	check(TemplateBody, "", len(body))
	res, _ := tpl["Resources"].(map[string]interface{})
	check(StackResources, "", len(res))
	outputs, _ := tpl["Outputs"].(map[string]interface{})
	check(StackOutputs, "", len(outputs))
	params, _ := tpl["Parameters"].(map[string]interface{})
	check(StackParameters, "", len(params))

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
	for id, r := range res {
		m, _ := r.(map[string]interface{})
		props, _ := m["Properties"].(map[string]interface{})
		switch m["Type"] {
		case "AWS::IAM::ManagedPolicy":
			check(IAMManagedPolicy, id, policysize.Size(props["PolicyDocument"]))
		case "AWS::CodePipeline::Pipeline":
			stages, _ := props["Stages"].([]interface{})
			check(PipelineStages, id, len(stages))
			for _, s := range stages {
				sm, _ := s.(map[string]interface{})
				actions, _ := sm["Actions"].([]interface{})
				check(StageActions, fmt.Sprintf("%s/%v", id, sm["Name"]), len(actions))
				for _, a := range actions {
					am, _ := a.(map[string]interface{})
					cfg, _ := am["Configuration"].(map[string]interface{})
					if po, ok := cfg["ParameterOverrides"]; ok {
						check(ParameterOverrides, fmt.Sprintf("%s/%v/%v", id, sm["Name"], am["Name"]), len(fmt.Sprint(policysize.Resolve(po))))
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Resource != out[j].Resource {
			return out[i].Resource < out[j].Resource
		}
		return out[i].Limit.ID < out[j].Limit.ID
	})
	return out, nil
}

// CheckDir checks every stack template of the cloud assembly in dir (as
// written by app.Synth) and returns all findings, stacks in manifest order.
func CheckDir(dir string) ([]Finding, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var manifest struct {
		Artifacts map[string]struct {
			Type       string `json:"type"`
			Properties struct {
				TemplateFile string `json:"templateFile"`
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
	var out []Finding
	for _, name := range names {
		file := filepath.Join(dir, manifest.Artifacts[name].Properties.TemplateFile)
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		found, err := CheckTemplate(name, raw)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}
