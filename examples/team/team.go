// Package team is a team's own CDK code that imports Relay's constructs and
// wires them by reference, as README's "Teams" section shows: an artifact
// store and a pipeline in the tooling account, and a deployment target in
// each of two target accounts, whose roles the pipeline takes directly.
//
// Nothing here is aligned by hand except the names the accounts share, which
// come from one naming.Names: the pipeline checks at synth that each target
// trusts its role, deploys to its regions and stacks and reads its store,
// and that the store admits each deploy role (a named error otherwise). The
// snapshot test in team_test.go keeps the templates as goldens
// (go test ./examples/team -update rewrites them).
package team

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/naming"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/target"
)

// Names are the names the team's accounts share: the pipeline orders in
// account 111111111111, us-east-1.
var Names = naming.Names{Name: "orders", ToolingAccount: "111111111111", ToolingRegion: "us-east-1"}

// Environment is one target account of the team.
type Environment struct {
	// Name is the environment's name, such as staging.
	Name string
	// Account is its 12-digit account ID.
	Account string
	// Approval gates its deployment with a manual approval.
	Approval bool
}

// Environments are the team's target accounts, in release order.
var Environments = []Environment{
	{Name: "staging", Account: "222222222222"},
	{Name: "production", Account: "333333333333", Approval: true},
}

// Stacks are the team's stacks.
type Stacks struct {
	// Tooling holds the store and the pipeline.
	Tooling awscdk.Stack
	// Targets hold the roles, by environment name.
	Targets map[string]awscdk.Stack
	// Deliveries are the deployment targets in Targets, by environment
	// name: their roles take the team's grants (DeployRole, ExecutionRole).
	Deliveries map[string]*target.DeploymentTarget
	// Pipeline is the pipeline.
	Pipeline *pipeline.Pipeline
}

// service is the stack the pipeline releases into each account.
const service = "orders-service"

// New adds the team's stacks to app. It returns the first error of the
// wiring (pipeline.Props.ValidateIn) instead of panicking, so that the
// team's own main can print it and exit.
func New(app awscdk.App) (*Stacks, error) {
	n := Names
	if err := n.Validate(); err != nil {
		return nil, err
	}
	s := &Stacks{Targets: map[string]awscdk.Stack{}, Deliveries: map[string]*target.DeploymentTarget{}}
	s.Tooling = awscdk.NewStack(app, jsii.String(n.ToolingStack()), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String(n.ToolingAccount), Region: jsii.String(n.ToolingRegion)},
	})
	var accounts []string
	for _, e := range Environments {
		accounts = append(accounts, e.Account)
	}
	store := artifacts.NewStore(s.Tooling, "Artifacts", &artifacts.StoreProps{
		BucketName:          n.ArtifactBucket(n.ToolingRegion),
		AccessLogBucketName: n.AccessLogBucket(n.ToolingRegion),
		KeyAlias:            n.ArtifactKeyAlias(),
		Readers:             artifacts.Readers{Accounts: accounts, RoleArnPatterns: []string{n.DeployRolePattern()}},
	})

	var deployments []pipeline.Deployment
	for _, e := range Environments {
		stack := awscdk.NewStack(app, jsii.String(n.TargetStack(e.Name)), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String(e.Account), Region: jsii.String(n.ToolingRegion)},
		})
		s.Targets[e.Name] = stack
		tgt := target.New(stack, "Delivery", &target.Props{
			Regions:           []string{n.ToolingRegion},
			RolePath:          n.RolePath(),
			DeployRoleName:    n.DeployRole(e.Name),
			ExecutionRoleName: n.ExecutionRole(e.Name),
			PipelineAccount:   n.ToolingAccount,
			PipelineRoleArns:  []string{n.PipelineRoleArn()},
			StackNames:        []string{service},
			Stores:            []*artifacts.Store{store}, // bucket and key by reference
			ExecutionStatements: []target.Statement{{
				Sid:       "ServiceFunctions",
				Actions:   []string{"lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:GetFunction", "lambda:DeleteFunction"},
				Resources: []string{"arn:aws:lambda:" + n.ToolingRegion + ":" + e.Account + ":function:" + service + "-*"},
				Reason:    "The service's template names its functions " + service + "-<name>.",
			}},
		})
		// The service's template resolves its settings from this parameter
		// ({{resolve:ssm:/orders-service/settings}}), which CloudFormation
		// reads as the execution role: the grant lands in the role's policy,
		// under its Deny statements (the role carries no permissions boundary).
		settings := awsssm.NewStringParameter(stack, jsii.String("Settings"), &awsssm.StringParameterProps{
			ParameterName: jsii.String("/" + service + "/settings"),
			StringValue:   jsii.String(`{"logLevel":"info"}`),
		})
		settings.GrantRead(tgt.ExecutionRole())
		s.Deliveries[e.Name] = tgt
		d := pipeline.Deployment{
			Name:    e.Name,
			Target:  tgt.Account(), // the roles by reference
			Regions: []string{n.ToolingRegion},
			Release: &pipeline.Stack{Name: service, TemplatePath: "service.template.json"},
		}
		if e.Approval {
			d.Approval = &pipeline.Approval{TopicName: n.ApprovalTopic(e.Name), Comment: "Staging is green; release to production?"}
		}
		deployments = append(deployments, d)
	}

	props := &pipeline.Props{
		PipelineName: n.Pipeline(),
		RoleName:     n.PipelineRole(),
		RolePath:     n.RolePath(),
		Store:        store,
		Source: &pipeline.ConnectionSource{Owner: "acme", Repo: "orders",
			ConnectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"},
		Deployments:        deployments,
		DeployRolePatterns: []string{n.DeployRolePattern()},
	}
	if err := props.ValidateIn(s.Tooling); err != nil {
		return nil, err
	}
	s.Pipeline = pipeline.New(s.Tooling, "Pipeline", props)
	return s, nil
}
