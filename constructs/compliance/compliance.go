// Package compliance runs cdk-nag's AwsSolutions rule pack over Relay's
// stacks and records, next to each resource, why a finding that does not
// apply is suppressed. A finding that is neither fixed nor suppressed is an
// error annotation, which fails `cdk synth` and Relay's tests.
//
// Suppressions name the exact finding (the appliesTo of an IAM5 finding)
// wherever cdk-nag reports one, so that a new wildcard is a new finding
// rather than something a broad suppression hides.
package compliance

import (
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/target"
)

// Suppression is one finding that does not apply, and why.
type Suppression struct {
	// Rule is the cdk-nag rule ID, e.g. AwsSolutions-IAM5.
	Rule string
	// AppliesTo narrows the suppression to these findings of the rule, e.g.
	// "Action::kms:GenerateDataKey*" or "Resource::arn:aws:s3:::bucket/*".
	// Default: every finding of Rule on the resource.
	AppliesTo []string
	// Reason says why the finding does not apply. At least 10 characters.
	Reason string
}

// Check adds the AwsSolutions pack to scope and the suppressions of every
// construct of d.
func Check(scope constructs.Construct, d *delivery.Delivery) {
	AwsSolutions(scope)
	SuppressStore(d.Store())
	for _, r := range d.Replicas() {
		SuppressStore(r.Store)
	}
	SuppressPipeline(d.Pipeline(), d.Store())
	for i, t := range d.Targets() {
		SuppressTarget(t.Roles, WildcardReasons(d.Spec().Targets[i].Props.ExecutionStatements))
		suppressRelease(t.Stack)
	}
	suppressReleaseTooling(d)
}

// suppressRelease suppresses the findings of an environment's release
// resources: the AWS managed service-role policies of CodeDeploy groups.
func suppressRelease(stack awscdk.Stack) {
	for _, id := range []string{"BlueGreen", "CodeDeploy"} {
		if c := stack.Node().TryFindChild(jsii.String(id)); c != nil {
			Suppress(c, Suppression{
				Rule:   "AwsSolutions-IAM4",
				Reason: "CodeDeploy's service role uses the AWS managed policy made for it (AWSCodeDeployRoleForECS or AWSCodeDeployRole), which AWS keeps current with the service.",
			})
		}
	}
}

// suppressReleaseTooling suppresses the findings of the release resources
// in the tooling account and of the StackSet execution roles.
func suppressReleaseTooling(d *delivery.Delivery) {
	tooling := d.ToolingStack()
	if c := tooling.Node().TryFindChild(jsii.String("JobResultsRole")); c != nil {
		Suppress(c, Suppression{
			Rule:      "AwsSolutions-IAM5",
			AppliesTo: []string{"Resource::*"},
			Reason:    "codepipeline:PutJobSuccessResult and PutJobFailureResult support no resource-level permissions; the trust admits only the environments' accounts, and a caller needs the job ID of a running invoke action.",
		})
	}
	if c := tooling.Node().TryFindChild(jsii.String("StackSetAdminRole")); c != nil {
		Suppress(c, Suppression{
			Rule:   "AwsSolutions-IAM5",
			Reason: "The administration role assumes this pipeline's StackSet execution role in each target account; one pattern covers every account, and each execution role trusts only this administration role.",
		})
	}
	for i, stack := range d.AccountStacks() {
		c := stack.Node().TryFindChild(jsii.String("StackSetExecutionRole"))
		role := d.Spec().AccountStacks[i].Role
		Suppress(c, Suppression{
			Rule:      "AwsSolutions-IAM5",
			AppliesTo: []string{"Resource::" + role.InstanceStacks},
			Reason:    "StackSets names each instance stack StackSet-<StackSet name>-<generated ID>, in every region of the StackSet.",
		})
		suppressExecution(c, WildcardReasons(role.Statements))
	}
}

// AwsSolutions adds cdk-nag's AwsSolutions pack to scope.
func AwsSolutions(scope constructs.Construct) {
	awscdk.Aspects_Of(scope).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{
		Verbose: jsii.Bool(true),
		Reports: jsii.Bool(false),
	}), nil)
}

// Suppress records suppressions on resource (a construct whose children are
// covered too).
func Suppress(resource constructs.IConstruct, suppressions ...Suppression) {
	var out []*cdknag.NagPackSuppression
	for _, s := range suppressions {
		ns := &cdknag.NagPackSuppression{Id: jsii.String(s.Rule), Reason: jsii.String(s.Reason)}
		if len(s.AppliesTo) > 0 {
			applies := make([]interface{}, len(s.AppliesTo))
			for i, a := range s.AppliesTo {
				applies[i] = a
			}
			ns.AppliesTo = &applies
		}
		out = append(out, ns)
	}
	cdknag.NagSuppressions_AddResourceSuppressions(resource, &out, jsii.Bool(true))
}

// SuppressStore suppresses the findings of an artifact store that do not
// apply.
func SuppressStore(s *artifacts.Store) {
	Suppress(s.AccessLogBucket(), Suppression{
		Rule:   "AwsSolutions-S1",
		Reason: "This bucket is the destination of the artifact bucket's server access logs; logging it to itself would loop.",
	})
}

// SuppressPipeline suppresses the findings of a pipeline that do not apply.
func SuppressPipeline(p *pipeline.Pipeline, store *artifacts.Store) {
	patterns := p.WildcardResources()
	objects := "Resource::<" + logicalID(store.Bucket()) + ".Arn>/*"
	Suppress(p.Role(), Suppression{
		Rule:      "AwsSolutions-IAM5",
		AppliesTo: []string{objects, "Action::kms:GenerateDataKey*", "Action::kms:ReEncrypt*"},
		Reason:    "CodePipeline reads and writes artifacts under generated keys of its own artifact bucket, encrypted with its own key.",
	})
	if len(patterns) > 0 {
		applies := make([]string, len(patterns))
		for i, pt := range patterns {
			applies[i] = "Resource::" + pt
		}
		Suppress(p.Role(), Suppression{
			Rule:      "AwsSolutions-IAM5",
			AppliesTo: applies,
			Reason:    "One ARN pattern per kind names this pipeline's deploy roles (whose trust policies pin this pipeline role), approval topics, workload StackSets (operation IDs are generated) and replica artifact stores (object keys and key IDs are generated; keys only through their alias), so that the policy keeps one size for any number of environments.",
		})
	}
	if r := p.ApproverRole(); r != nil {
		Suppress(r, Suppression{
			Rule:   "AwsSolutions-IAM5",
			Reason: "The approver role may call codepipeline:PutApprovalResult on this pipeline's approval actions only; the pattern covers every Deploy stage's Approve action, whose names follow the environments.",
		})
	}
	for _, secret := range p.BuildSecrets() {
		Suppress(p.Project(), Suppression{
			Rule:      "AwsSolutions-IAM5",
			AppliesTo: []string{"Resource::" + secret + "*"},
			Reason:    "aws-cdk-lib grants a Secrets Manager environment variable as the secret's ARN followed by *, which matches that secret's versions only.",
		})
	}
	projects := append([]awscodebuild.PipelineProject{p.Project()}, p.SuiteProjects()...)
	for _, project := range append(projects, p.StepProjects()...) {
		suppressProject(project, objects)
	}
	for _, project := range p.StepProjects() {
		Suppress(project.Role(), Suppression{
			Rule: "AwsSolutions-IAM5",
			Reason: "aws-cdk-lib's CodeBuild grants on the pipeline's own artifact bucket, key, log streams and report groups (generated names); a Secrets Manager variable is granted as the secret's ARN followed by * (its versions); " +
				"the Helm role assumes this pipeline's deploy roles through one pattern, and each deploy role's trust pins the Helm role.",
		})
	}
}

// suppressProject suppresses the wildcards aws-cdk-lib grants a CodeBuild
// project in a pipeline.
func suppressProject(project awscodebuild.PipelineProject, objects string) {
	stack := awscdk.Stack_Of(project)
	Suppress(project, Suppression{
		Rule: "AwsSolutions-IAM5",
		AppliesTo: []string{
			objects,
			"Action::kms:GenerateDataKey*", "Action::kms:ReEncrypt*",
			"Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*", "Action::s3:DeleteObject*", "Action::s3:Abort*",
			"Resource::arn:<AWS::Partition>:logs:" + *stack.Region() + ":" + *stack.Account() + ":log-group:/aws/codebuild/<" + logicalID(project) + ">:*",
			"Resource::arn:<AWS::Partition>:codebuild:" + *stack.Region() + ":" + *stack.Account() + ":report-group/<" + logicalID(project) + ">-*",
		},
		Reason: "aws-cdk-lib's CodeBuild grants: read/write on the pipeline's own artifact bucket and key (object keys are generated per execution), and the project's own log streams and report groups, whose names CodeBuild generates.",
	})
}

// WildcardReasons maps each wildcard of the execution statements to the
// cdk-nag finding it raises ("Action::lambda:*", "Resource::arn:...*") and
// the statement's written reason (config validation requires one).
func WildcardReasons(statements []target.Statement) map[string]string {
	out := map[string]string{}
	add := func(finding, reason string) {
		if prev, ok := out[finding]; ok && prev != reason {
			reason = prev + " " + reason
		}
		out[finding] = reason
	}
	for _, s := range statements {
		for _, a := range s.Actions {
			if strings.Contains(a, "*") {
				add("Action::"+a, s.Reason)
			}
		}
		for _, r := range s.Resources {
			if strings.Contains(r, "*") {
				add("Resource::"+r, s.Reason)
			}
		}
	}
	return out
}

// logicalID is the CloudFormation logical ID of c's default resource.
func logicalID(c constructs.IConstruct) string {
	stack := awscdk.Stack_Of(c)
	el := c.Node().DefaultChild().(awscdk.CfnElement)
	return stack.Resolve(stack.GetLogicalId(el)).(string)
}

// SuppressTarget suppresses the findings of a deployment target that do not
// apply. executionReasons, keyed by a finding (e.g. "Action::lambda:*"),
// justify the wildcards of the execution role's own statements, which come
// from the caller.
func SuppressTarget(t *target.DeploymentTarget, executionReasons map[string]string) {
	if r := t.InvokeRole(); r != nil {
		Suppress(r, Suppression{
			Rule:   "AwsSolutions-IAM5",
			Reason: "The invoke role reads artifacts under generated keys of the pipeline's bucket with the tooling account's artifact key (generated ID), and watches the executions of its named state machines, whose names are generated per start.",
		})
	}
	if p := t.ArtifactReadersPolicy(); p != nil {
		Suppress(p, Suppression{
			Rule:   "AwsSolutions-IAM5",
			Reason: "The instance roles read revisions under generated keys of the pipeline's artifact bucket and decrypt with the tooling account's artifact key, whose ID is generated; the bucket and key policies admit only these role names.",
		})
	}
	if t.DeployRole() == nil {
		return
	}
	Suppress(t.DeployRole(), Suppression{
		Rule:   "AwsSolutions-IAM5",
		Reason: "The deploy role manages change sets of its named stacks (stack IDs end in a generated suffix), reads artifacts under generated keys of the pipeline's bucket, and decrypts with the tooling account's artifact key, whose ID is generated; the key policy admits only this pipeline's deploy roles.",
	})
	if t.ExecutionRole() != nil {
		suppressExecution(t.ExecutionRole(), executionReasons)
	}
}

// suppressExecution justifies each wildcard of an execution role's
// statements, which come from the config, with the statement's reason.
func suppressExecution(role constructs.IConstruct, reasons map[string]string) {
	for _, f := range slices.Sorted(maps.Keys(reasons)) { // stable metadata order in the templates
		Suppress(role, Suppression{Rule: "AwsSolutions-IAM5", AppliesTo: []string{f}, Reason: reasons[f]})
	}
}
