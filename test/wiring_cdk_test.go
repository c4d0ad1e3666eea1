package test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipeline"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipelineactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/constructs/wiring"
)

// TestWiringOfPlainCDK reads a team's app built with aws-cdk-lib alone: an
// L2 pipeline in the tooling account whose deploy action runs as a role of
// a stack in another account. CDK wires that with its own conventions
// (generated physical names, cross-account grants on the artifact bucket
// and key, a support stack); the diagram must follow them.
func TestWiringOfPlainCDK(t *testing.T) {
	var dir string
	relaytest.Do(t, "plain CDK app", func() {
		app := relaytest.NewApp()
		target := awscdk.NewStack(app, jsii.String("team-target"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("eu-west-1")}})
		deployRole := awsiam.NewRole(target, jsii.String("Deploy"), &awsiam.RoleProps{
			RoleName:  awscdk.PhysicalName_GENERATE_IF_NEEDED(),
			AssumedBy: awsiam.NewAccountPrincipal(jsii.String("111111111111")),
		})
		tooling := awscdk.NewStack(app, jsii.String("team-tooling"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")}})
		source := awss3.NewBucket(tooling, jsii.String("Source"), &awss3.BucketProps{Versioned: jsii.Bool(true)})
		out := awscodepipeline.NewArtifact(jsii.String("Source"), nil)
		awscodepipeline.NewPipeline(tooling, jsii.String("Pipeline"), &awscodepipeline.PipelineProps{
			PipelineName:     jsii.String("team"),
			CrossAccountKeys: jsii.Bool(true),
			Stages: &[]*awscodepipeline.StageProps{
				{StageName: jsii.String("Source"), Actions: &[]awscodepipeline.IAction{awscodepipelineactions.NewS3SourceAction(&awscodepipelineactions.S3SourceActionProps{
					ActionName: jsii.String("Source"), Bucket: source, BucketKey: jsii.String("source.zip"), Output: out})}},
				{StageName: jsii.String("Deploy"), Actions: &[]awscodepipeline.IAction{awscodepipelineactions.NewCloudFormationCreateUpdateStackAction(&awscodepipelineactions.CloudFormationCreateUpdateStackActionProps{
					ActionName: jsii.String("Deploy"), StackName: jsii.String("team-app"), AdminPermissions: jsii.Bool(false),
					TemplatePath: out.AtPath(jsii.String("template.json")), Account: jsii.String("222222222222"), Role: deployRole})}},
			},
		})
		dir = *app.Synth(nil).Directory()
	})
	t.Cleanup(func() { os.RemoveAll(dir) })
	m, err := wiring.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	var deploy *wiring.Action
	for _, st := range m.Pipelines[0].Stages {
		for _, a := range st.Actions {
			if a.Name == "Deploy" {
				deploy = a
			}
		}
	}
	if deploy == nil {
		t.Fatal("no Deploy action read from the pipeline")
	}
	if deploy.Account != "222222222222" || deploy.Region != "eu-west-1" || deploy.Role.External() || deploy.Role.Stack.Name != "team-target" {
		t.Errorf("Deploy runs in %s %s as %s (%s), want 222222222222 eu-west-1 as the role of team-target", deploy.Account, deploy.Region, deploy.Role.Name, wiring.Display(deploy.Role.ARN))
	}
	if deploy.Untrusted || deploy.NotAllowed {
		t.Errorf("Deploy: untrusted %v, not allowed %v; CDK trusts the tooling account and grants the pipeline's role sts:AssumeRole on it", deploy.Untrusted, deploy.NotAllowed)
	}
	// CDK's AccountPrincipal trusts the whole tooling account, without a
	// condition naming the pipeline's role: the diagram says so.
	var byAccount bool
	for _, tr := range m.Trusts {
		if tr.To == deploy.Role && tr.Subject != nil && tr.Subject.Kind == "account" && tr.Subject.Values[0] == "111111111111" && len(tr.Pins) == 0 {
			byAccount = true
		}
	}
	if !byAccount {
		t.Error("no trust of the deploy role by any principal of account 111111111111")
	}
	// The source bucket's name is generated: the action role's grant on it
	// is read through the same open name on both sides.
	var sourceRead bool
	for _, g := range m.Grants {
		if g.Bucket != nil && strings.HasPrefix(g.Bucket.LogicalID, "Source") && g.From != nil && strings.Contains(g.From.LogicalID, "SourceCodePipelineActionRole") && g.Access == "read" {
			sourceRead = true
		}
	}
	if !sourceRead {
		t.Error("the source action's role does not read the source bucket")
	}
	mmd := wiring.Mermaid(m)
	if !strings.Contains(mmd, "Deploy<br/>CloudFormation · 222222222222 · eu-west-1") {
		t.Errorf("the diagram does not place Deploy in 222222222222:\n%s", mmd)
	}
}
