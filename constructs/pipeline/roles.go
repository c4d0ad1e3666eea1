package pipeline

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/policy"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/plan"
)

// The pipeline role's statements, one per kind of grant, at a fixed size
// whatever the number of environments when patterns are given.

// deployRoles are the deploy roles the pipeline (and the Helm step)
// assumes: DeployRolePatterns, or the role of each action that runs as a
// deploy role.
func (pl *Pipeline) deployRoles() []string {
	if len(pl.props.DeployRolePatterns) > 0 {
		return values.SortedUnique(pl.props.DeployRolePatterns)
	}
	var out []string
	pl.eachAction(func(a *plan.Action) {
		switch k := a.Kind.(type) {
		case *plan.InvokeLambda, *plan.InvokeStepFunctions, *plan.SourceAction:
		case *plan.HelmStep:
			out = append(out, k.AssumeRoleArn)
		default:
			if a.RoleArn != "" {
				out = append(out, a.RoleArn)
			}
		}
	})
	return values.SortedUnique(out)
}

// sourceRoles are the roles of the source actions that run in another
// account.
func (pl *Pipeline) sourceRoles() []string {
	var out []string
	for _, a := range pl.plan.Stages[0].Actions {
		if a.RoleArn != "" {
			out = append(out, a.RoleArn)
		}
	}
	return out
}

// invokeRoles are the roles of the invoke actions: InvokeRolePatterns, or
// each invoke action's role.
func (pl *Pipeline) invokeRoles() []string {
	if len(pl.props.InvokeRolePatterns) > 0 {
		return pl.props.InvokeRolePatterns
	}
	var out []string
	pl.eachAction(func(a *plan.Action) {
		switch a.Kind.(type) {
		case *plan.InvokeLambda, *plan.InvokeStepFunctions:
			if a.RoleArn != "" {
				out = append(out, a.RoleArn)
			}
		}
	})
	return out
}

// toolingInvokes are the statements that let the pipeline role run the
// invoke steps of its own account: invoke each function (and list the
// functions, as the Lambda action does), start and watch executions of
// each state machine.
func (pl *Pipeline) toolingInvokes() []policy.Statement {
	var functions, machines, executions []string
	pl.eachAction(func(a *plan.Action) {
		if a.RoleArn != "" {
			return
		}
		switch k := a.Kind.(type) {
		case *plan.InvokeLambda:
			functions = append(functions, pl.arnIn(a, "lambda", "function:"+k.Invoke.Function))
		case *plan.InvokeStepFunctions:
			machines = append(machines, pl.arnIn(a, "states", "stateMachine:"+k.Invoke.StateMachine))
			executions = append(executions, pl.arnIn(a, "states", "execution:"+k.Invoke.StateMachine+":*"))
		}
	})
	var out []policy.Statement
	if len(functions) > 0 {
		out = append(out, policy.Statement{
			Sid:       "InvokeLambdaSteps",
			Actions:   []string{"lambda:InvokeFunction"},
			Resources: values.SortedUnique(functions),
		}, policy.Statement{
			// CodePipeline's Lambda action lists the functions
			// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Lambda.html).
			Sid:       "ListFunctions",
			Actions:   []string{"lambda:ListFunctions"},
			Resources: []string{"*"},
		})
		pl.findings["Resource::*"] = "CodePipeline's Lambda invoke action lists the functions (lambda:ListFunctions, its service role permissions), which takes no resource-level permission; it reads names and configurations, not code."
	}
	if len(machines) > 0 {
		out = append(out, policy.Statement{
			Sid:       "StartStepExecutions",
			Actions:   []string{"states:DescribeStateMachine", "states:StartExecution"},
			Resources: values.SortedUnique(machines),
		}, policy.Statement{
			Sid:       "WatchStepExecutions",
			Actions:   []string{"states:DescribeExecution"},
			Resources: values.SortedUnique(executions),
		})
		for _, e := range executions {
			pl.findings["Resource::"+e] = "Step Functions names each execution of the step's state machine when the action starts it."
		}
	}
	return out
}

// eachAction calls f with every action of the plan, in order.
func (pl *Pipeline) eachAction(f func(a *plan.Action)) {
	for i := range pl.plan.Stages {
		for j := range pl.plan.Stages[i].Actions {
			f(&pl.plan.Stages[i].Actions[j])
		}
	}
}

// roleStatements are the pipeline role's statements: the artifact store,
// the projects, the roles it assumes, its sources, the replicas, the
// entry-condition alarms, the StackSets and the approval topics.
func (pl *Pipeline) roleStatements() []policy.Statement {
	p, store := pl.props, pl.props.Store
	bucketArn := store.Bucket().BucketArn()
	objects := awscdk.Fn_Join(jsii.String(""), &[]*string{bucketArn, jsii.String("/*")})
	// Source roles of other accounts are named one by one.
	assume := append(append(pl.deployRoles(), pl.invokeRoles()...), pl.sourceRoles()...)
	sts := []policy.Statement{{
		Sid:       "ReadWriteArtifacts",
		Actions:   []string{"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:GetBucketLocation", "s3:GetBucketVersioning", "s3:ListBucket"},
		Resources: []string{*bucketArn, *objects},
	}, {
		Sid:       "UseArtifactKey",
		Actions:   []string{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"},
		Resources: []string{*store.Key().KeyArn()},
	}}
	if projects := pl.projectArns(); len(projects) > 0 {
		sts = append(sts, policy.Statement{
			Sid:       "RunBuild",
			Actions:   []string{"codebuild:BatchGetBuilds", "codebuild:StartBuild", "codebuild:StopBuild"},
			Resources: projects,
		})
	}
	if len(assume) > 0 {
		sts = append(sts, policy.Statement{
			Sid:       "AssumeDeployRoles",
			Actions:   []string{"sts:AssumeRole"},
			Resources: values.SortedUnique(assume),
		})
	}
	sts = append(sts, pl.sourceStatements()...)
	sts = append(sts, pl.toolingInvokes()...)
	sts = append(sts, pl.replicaStatements()...)
	var alarms, stackSets, admins []string
	for _, st := range pl.plan.Stages {
		for _, a := range st.Alarms {
			alarms = append(alarms, fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:%s", p.Partition, pl.stackRegion(), pl.stackAccount(), a))
		}
	}
	pl.eachAction(func(a *plan.Action) {
		if k, ok := a.Kind.(*plan.DeployStackSet); ok {
			stackSets = append(stackSets, fmt.Sprintf("arn:%s:cloudformation:%s:%s:stackset/%s:*", p.Partition, pl.stackRegion(), pl.stackAccount(), k.StackSetName))
		}
	})
	for _, d := range pl.plan.Input.Deployments {
		if t, ok := d.Target.(*plan.StackSetAccounts); ok && t.AdministrationRoleArn != "" {
			admins = append(admins, t.AdministrationRoleArn)
		}
	}
	if len(alarms) > 0 {
		sts = append(sts, policy.Statement{
			Sid:       "CheckEntryAlarms",
			Actions:   []string{"cloudwatch:DescribeAlarms"},
			Resources: values.SortedUnique(alarms),
		})
	}
	if len(admins) > 0 {
		sts = append(sts, policy.Statement{
			Sid:       "PassStackSetAdministrationRole",
			Actions:   []string{"iam:PassRole"},
			Resources: values.SortedUnique(admins),
			Conditions: map[string]interface{}{
				"StringEquals": map[string]interface{}{"iam:PassedToService": "cloudformation.amazonaws.com"},
			},
		})
	}
	for _, group := range []struct {
		resources []string
		reason    string
	}{
		{assume, "One ARN pattern names this pipeline's deploy (and invoke) roles in every target account, whose trust pins this pipeline role, so that the policy keeps one size for any number of environments."},
		{stackSets, "CodePipeline's StackSet action works on operations of this pipeline's StackSets, whose IDs CloudFormation generates."},
		{p.ApprovalTopicPatterns, "One ARN pattern names this pipeline's approval topics, so that the policy keeps one size for any number of environments."},
	} {
		for _, r := range group.resources {
			if strings.Contains(r, "*") {
				pl.findings["Resource::"+r] = group.reason
			}
		}
	}
	if len(stackSets) > 0 {
		sts = append(sts, policy.Statement{
			Sid: "DeployWorkloadStackSets",
			Actions: []string{"cloudformation:CreateStackSet", "cloudformation:UpdateStackSet", "cloudformation:DescribeStackSet",
				"cloudformation:DescribeStackSetOperation", "cloudformation:ListStackInstances", "cloudformation:CreateStackInstances"},
			Resources: values.SortedUnique(stackSets),
		})
	}
	if len(pl.topicArns) > 0 {
		var res []string
		for _, t := range pl.topicArns {
			res = append(res, *t)
		}
		if len(p.ApprovalTopicPatterns) > 0 {
			res = values.SortedUnique(p.ApprovalTopicPatterns)
		}
		sts = append(sts, policy.Statement{
			Sid:       "AnnounceApprovals",
			Actions:   []string{"sns:Publish"},
			Resources: res,
		})
	}
	return sts
}
