package pipeline

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipeline"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipelineactions"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/plan"
)

// The render functions of the steps' action kinds: a CodeBuild step in a
// project of its own (shared by the steps that name the same project) and
// a manual approval without a topic. Tooling-account invokes render with
// lambdaAction and stepFunctionsAction (deploys.go).

// runProject is a CodeBuild step's project and what its steps need of it.
type runProject struct {
	project awscodebuild.PipelineProject
	// role is the project's role (projects.go): it reads its steps' input
	// artifacts and writes their outputs only.
	role *projectRole
	step *plan.CodeBuildStep
	// assume are the roles (or patterns) its role may assume.
	assume []string
}

// runStepAction renders a CodeBuild step: its project (created on first
// use) and the CodeBuild action with the step's environment variables.
func (pl *Pipeline) runStepAction(a *plan.Action, k *plan.RunStep) awscodepipeline.IAction {
	rp := pl.runProject(a, k)
	var extra []awscodepipeline.Artifact
	for _, name := range a.Inputs[1:] {
		extra = append(extra, pl.artifact(name))
	}
	var outputs []awscodepipeline.Artifact
	for _, name := range a.Outputs {
		outputs = append(outputs, pl.artifact(name))
	}
	return awscodepipelineactions.NewCodeBuildAction(&awscodepipelineactions.CodeBuildActionProps{
		ActionName:           jsii.String(a.Name),
		RunOrder:             jsii.Number(float64(a.RunOrder)),
		Project:              rp.project,
		Input:                pl.artifact(a.Inputs[0]),
		ExtraInputs:          &extra,
		Outputs:              &outputs,
		VariablesNamespace:   jsii.String(a.Namespace),
		EnvironmentVariables: plainVariables(k.Variables),
	})
}

// runProject is the project of a CodeBuild step, created on first use:
// ProjectName's, or one per step of each deployment. It encrypts with the
// artifact key and logs to the build log group under step-<name>.
func (pl *Pipeline) runProject(a *plan.Action, k *plan.RunStep) *runProject {
	x := k.Step
	key := stepProjectKey(pl.deployment(a).Name, k.Name, x)
	if rp, ok := pl.runProjects[key]; ok {
		rp.note(x, a)
		return rp
	}
	b := pl.plan.Input.Build
	// At path /: a CodeBuild project's service role with a path draws
	// CloudFormation's E3050 (it may be resolved by name).
	r := pl.newProjectRole("Step-"+key, x.ProjectName, x.RoleName, "Runs the pipeline's step "+k.Name+": reads its inputs, writes its outputs")
	compute := x.ComputeType
	if compute == "" {
		compute = b.ComputeType
	}
	project := pl.newProject("Step-"+key, r, &awscodebuild.PipelineProjectProps{
		ProjectName: values.Optional(x.ProjectName),
		Description: jsii.String("Step " + k.Name + ": runs " + x.Buildspec),
		BuildSpec:   awscodebuild.BuildSpec_FromSourceFilename(jsii.String(x.Buildspec)),
		Timeout:     awscdk.Duration_Minutes(jsii.Number(float64(x.TimeoutMinutes))),
		Environment: &awscodebuild.BuildEnvironment{
			BuildImage:  awscodebuild.LinuxBuildImage_FromCodeBuildImageId(jsii.String(b.Image)),
			ComputeType: computeTypes[compute],
			Privileged:  jsii.Bool(x.Privileged),
		},
		EnvironmentVariables: projectVariables(x.ProjectVariables),
		Logging:              &awscodebuild.LoggingOptions{CloudWatch: &awscodebuild.CloudWatchLoggingOptions{LogGroup: pl.logGroup, Prefix: jsii.String("step-" + key)}},
	})
	rp := &runProject{project: project, role: r, step: x}
	rp.note(x, a)
	pl.runProjects[key] = rp
	pl.runOrder = append(pl.runOrder, key)
	return rp
}

// note records what step x (action a) needs of its project.
func (rp *runProject) note(x *plan.CodeBuildStep, a *plan.Action) {
	switch {
	case x.AssumeRolePattern != "":
		rp.assume = append(rp.assume, x.AssumeRolePattern)
	case x.AssumeRoleArn != "":
		rp.assume = append(rp.assume, x.AssumeRoleArn)
	}
	rp.role.reads = append(rp.role.reads, a.Inputs...)
	rp.role.writes = append(rp.role.writes, a.Outputs...)
}

// finishRunProjects writes each step project's role once every step is
// rendered: its logs, the objects of its steps' input and output artifacts
// (no listing, no deleting), the connection of a full-clone input, its
// variables' parameters and secrets, and the step roles it assumes.
func (pl *Pipeline) finishRunProjects() {
	for _, key := range pl.runOrder {
		rp := pl.runProjects[key]
		r := rp.role
		pl.logStatements(r)
		pl.artifactStatements(r)
		pl.connectionStatements(r, values.SortedUnique(r.reads))
		pl.variableStatements(r, rp.step.ProjectVariables)
		if len(rp.assume) > 0 {
			assume := values.SortedUnique(rp.assume)
			r.add("AssumeStepRoles", []string{"sts:AssumeRole"}, *jsii.Strings(assume...), nil)
			for _, a := range assume {
				if strings.Contains(a, "*") {
					r.findings["Resource::"+a] = "The step's project assumes this step's role in each target account through one pattern; each step role's trust pins this project's role."
				}
			}
		}
	}
}

// stepApprovalAction renders an approval step: a manual approval without a
// topic (the pipeline's notifications announce waiting approvals).
func (pl *Pipeline) stepApprovalAction(a *plan.Action, k *plan.StepApproval) awscodepipeline.IAction {
	x := k.Approval
	return awscodepipelineactions.NewManualApprovalAction(&awscodepipelineactions.ManualApprovalActionProps{
		ActionName:            jsii.String(a.Name),
		RunOrder:              jsii.Number(float64(a.RunOrder)),
		AdditionalInformation: jsii.String(x.Comment),
		ExternalEntityLink:    values.Optional(x.ReviewURL),
		Timeout:               awscdk.Duration_Minutes(jsii.Number(float64(x.TimeoutMinutes))),
	})
}

// RunProjects are the projects of the CodeBuild steps, in the order
// created.
func (pl *Pipeline) RunProjects() []awscodebuild.PipelineProject {
	var out []awscodebuild.PipelineProject
	for _, key := range pl.runOrder {
		out = append(out, pl.runProjects[key].project)
	}
	return out
}
