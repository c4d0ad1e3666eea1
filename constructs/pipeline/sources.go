package pipeline

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscodecommit"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipeline"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodepipelineactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/policy"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/plan"
)

// sourceAction renders a source action, and the V2 trigger of a connection
// source with filters.
func (pl *Pipeline) sourceAction(a *plan.Action, k *plan.SourceAction) awscodepipeline.IAction {
	id := "Source-" + a.Name
	output := pl.artifact(a.Outputs[0])
	switch s := k.Source.(type) {
	case *plan.ConnectionSource:
		action := awscodepipelineactions.NewCodeStarConnectionsSourceAction(&awscodepipelineactions.CodeStarConnectionsSourceActionProps{
			ActionName:           jsii.String(a.Name),
			Owner:                jsii.String(s.Owner),
			Repo:                 jsii.String(s.Repo),
			Branch:               jsii.String(s.Branch),
			ConnectionArn:        jsii.String(s.ConnectionArn),
			Output:               output,
			TriggerOnPush:        jsii.Bool(true),
			CodeBuildCloneOutput: jsii.Bool(s.FullClone),
			VariablesNamespace:   jsii.String(a.Namespace),
		})
		if !s.Triggers.Empty() {
			pl.triggers = append(pl.triggers, pushTrigger(action, s.Triggers))
		}
		return action
	case *plan.S3Source:
		// A bucket of another account: the action runs as its source role,
		// and that account forwards the bucket's events (package
		// sourceaccount) instead of a rule of this stack.
		props := &awscodepipelineactions.S3SourceActionProps{
			ActionName:         jsii.String(a.Name),
			Bucket:             awss3.Bucket_FromBucketName(pl.Construct, jsii.String(id+"-Bucket"), jsii.String(s.Bucket)),
			BucketKey:          jsii.String(s.Key),
			Output:             output,
			Trigger:            awscodepipelineactions.S3Trigger_EVENTS,
			VariablesNamespace: jsii.String(a.Namespace),
		}
		if a.RoleArn != "" {
			props.Role, props.Trigger = pl.importRole("SourceRole-"+a.Account, a.RoleArn), awscodepipelineactions.S3Trigger_NONE
		}
		return awscodepipelineactions.NewS3SourceAction(props)
	case *plan.CodeCommitSource:
		props := &awscodepipelineactions.CodeCommitSourceActionProps{
			ActionName:         jsii.String(a.Name),
			Branch:             jsii.String(s.Branch),
			Output:             output,
			Trigger:            awscodepipelineactions.CodeCommitTrigger_EVENTS,
			VariablesNamespace: jsii.String(a.Namespace),
		}
		if a.RoleArn == "" {
			props.Repository = awscodecommit.Repository_FromRepositoryName(pl.Construct, jsii.String(id+"-Repository"), jsii.String(s.Repository))
			pl.codeCommitRepos = append(pl.codeCommitRepos, props.Repository)
		} else {
			arn := fmt.Sprintf("arn:%s:codecommit:%s:%s:%s", pl.props.Partition, pl.stackRegion(), a.Account, s.Repository)
			props.Repository = awscodecommit.Repository_FromRepositoryArn(pl.Construct, jsii.String(id+"-Repository"), jsii.String(arn))
			props.Role, props.Trigger = pl.importRole("SourceRole-"+a.Account, a.RoleArn), awscodepipelineactions.CodeCommitTrigger_NONE
		}
		return awscodepipelineactions.NewCodeCommitSourceAction(props)
	case *plan.ECRSource:
		return awscodepipelineactions.NewEcrSourceAction(&awscodepipelineactions.EcrSourceActionProps{
			ActionName:         jsii.String(a.Name),
			Repository:         awsecr.Repository_FromRepositoryName(pl.Construct, jsii.String(id+"-Repository"), jsii.String(s.Repository)),
			ImageTag:           jsii.String(s.Tag),
			Output:             output,
			VariablesNamespace: jsii.String(a.Namespace),
		})
	}
	panic(fmt.Sprintf("pipeline: no render function for source %T", k.Source))
}

// pushTrigger is the V2 trigger of a connection source action with push
// filters.
func pushTrigger(action awscodepipeline.IAction, t *plan.Triggers) *awscodepipeline.TriggerProps {
	list := func(v []string) *[]*string {
		if len(v) == 0 {
			return nil
		}
		return jsii.Strings(v...)
	}
	return &awscodepipeline.TriggerProps{
		ProviderType: awscodepipeline.ProviderType_CODE_STAR_SOURCE_CONNECTION,
		GitConfiguration: &awscodepipeline.GitConfiguration{
			SourceAction: action,
			PushFilter: &[]*awscodepipeline.GitPushFilter{{
				BranchesIncludes:  list(t.Branches.Includes),
				BranchesExcludes:  list(t.Branches.Excludes),
				TagsIncludes:      list(t.Tags.Includes),
				TagsExcludes:      list(t.Tags.Excludes),
				FilePathsIncludes: list(t.FilePaths.Includes),
				FilePathsExcludes: list(t.FilePaths.Excludes),
			}},
		},
	}
}

// sourceStatements grant the pipeline role what its sources need, one
// statement per kind.
func (pl *Pipeline) sourceStatements() []policy.Statement {
	partition, region, account := pl.props.Partition, pl.stackRegion(), pl.stackAccount()
	var objects, buckets, repos, images []string
	var conns []*plan.ConnectionSource
	for _, a := range pl.plan.Stages[0].Actions {
		if a.RoleArn != "" {
			continue // read by the source account's role
		}
		switch s := a.Kind.(*plan.SourceAction).Source.(type) {
		case *plan.ConnectionSource:
			conns = append(conns, s)
		case *plan.S3Source:
			buckets = append(buckets, fmt.Sprintf("arn:%s:s3:::%s", partition, s.Bucket))
			objects = append(objects, fmt.Sprintf("arn:%s:s3:::%s/%s", partition, s.Bucket, s.Key))
		case *plan.CodeCommitSource:
			repos = append(repos, fmt.Sprintf("arn:%s:codecommit:%s:%s:%s", partition, region, account, s.Repository))
		case *plan.ECRSource:
			images = append(images, fmt.Sprintf("arn:%s:ecr:%s:%s:repository/%s", partition, region, account, s.Repository))
		}
	}
	// The source actions use each connection for its repositories only.
	out := connectionGrants(conns)
	add := func(sid string, resources []string, actions ...string) {
		if len(resources) > 0 {
			out = append(out, policy.Statement{Sid: sid, Actions: actions, Resources: values.SortedUnique(resources)})
		}
	}
	add("ReadSourceObjects", objects, "s3:GetObject", "s3:GetObjectVersion")
	add("ReadSourceBuckets", buckets, "s3:GetBucketVersioning", "s3:GetBucketLocation")
	add("ReadSourceRepositories", repos, "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:UploadArchive",
		"codecommit:GetUploadArchiveStatus", "codecommit:CancelUploadArchive")
	add("ReadSourceImages", images, "ecr:DescribeImages")
	return out
}

// branchesOnly narrows the EventBridge rules that aws-cdk-lib's CodeCommit
// source actions create (trigger EVENTS, one per repository and branch,
// created when the pipeline binds the action) to branch references. Their
// pattern matches the branch's name in referenceCreated and
// referenceUpdated events of any reference, so pushing a tag named like
// the branch would start the pipeline too (a run of the branch's last
// commit that nobody pushed). The rules that package sourceaccount writes
// for other accounts' repositories already match referenceType branch
// (CodeCommit's event: referenceType is "branch" or "tag"; CodeCommit User
// Guide, "Monitoring CodeCommit events in Amazon EventBridge").
func (pl *Pipeline) branchesOnly() {
	for _, repo := range pl.codeCommitRepos {
		for _, c := range *repo.Node().Children() {
			if rule, ok := c.(awsevents.Rule); ok {
				rule.AddEventPattern(&awsevents.EventPattern{Detail: &map[string]interface{}{"referenceType": []string{"branch"}}})
			}
		}
	}
}
