package plan_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/internal/fieldpath"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/plan"
)

func stagingAndProduction() plan.Input {
	prod := dep("production", "", true, "us-east-1")
	prod.Target = account("333333333333", "production")
	return input(dep("staging", "", false, "us-east-1"), prod)
}

func smokeTest() plan.Hook {
	return plan.Hook{Name: "smoke-test", Invoke: &plan.LambdaInvoke{Function: "payments-smoke-test", UserParameters: `{"path":"/health"}`}}
}

func migrate() plan.Hook {
	return plan.Hook{Name: "migrate", Before: true, Invoke: &plan.StepFunctionsInvoke{StateMachine: "payments-migrate", Input: map[string]string{"commit": "#{SourceVariables.CommitId}"}}}
}

// TestValidate has one case per rule, with the exact message; every problem
// is reported at once.
func TestValidate(t *testing.T) {
	role := roleArn("222222222222", "production", "deploy")
	ecs := &plan.ECSRelease{Cluster: "web", Service: "api"}
	tests := []struct {
		name   string
		mutate func(in *plan.Input)
		want   []string
	}{
		{"valid", func(in *plan.Input) {}, nil},
		{"tokens are accepted wherever an ARN is", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).ConnectionArn = "${Token[TOKEN.80]}"
			in.Build.EnvironmentVariables = map[string]plan.BuildVariable{"TOKEN": plan.Secret("${Token[TOKEN.81]}")}
			in.Deployments[0].Target.(*plan.Account).DeployRoleArn = "${Token[TOKEN.82]}"
		}, nil},
		{"VPC without subnets", func(in *plan.Input) {
			in.Build.VPC = &plan.VPC{VpcID: "vpc-0a1b2c3d4e5f67890", SecurityGroups: []string{"sg-0a1b2c3d4e5f67890"}}
		}, []string{"Build.VPC.Subnets []: required; name at least one subnet of the VPC, such as subnet-0a1b2c3d4e5f67890 (CodeBuild places each build's network interface there)"}},
		{"VPC with names for IDs", func(in *plan.Input) {
			in.Build.VPC = &plan.VPC{VpcID: "main", Subnets: []string{"private-a", "subnet-0a1b2c3d", "subnet-0a1b2c3d"}}
		}, []string{
			`Build.VPC.VpcID "main": must be a VPC ID such as vpc-0a1b2c3d4e5f67890`,
			`Build.VPC.Subnets[0] "private-a": must be a subnet ID such as subnet-0a1b2c3d4e5f67890`,
			`Build.VPC.Subnets[2] "subnet-0a1b2c3d": listed twice`,
			"Build.VPC.SecurityGroups []: required; name at least one security group of the VPC, such as sg-0a1b2c3d4e5f67890 (CodeBuild places each build's network interface there)",
		}},
		{"VPC with too many security groups", func(in *plan.Input) {
			in.Build.VPC = &plan.VPC{VpcID: "vpc-0a1b2c3d", Subnets: []string{"subnet-0a1b2c3d"},
				SecurityGroups: []string{"sg-00000001", "sg-00000002", "sg-00000003", "sg-00000004", "sg-00000005", "sg-00000006"}}
		}, []string{"Build.VPC.SecurityGroups 6 IDs: CodeBuild takes at most 5"}},
		{"no source", func(in *plan.Input) { in.Source = nil }, []string{
			"Source: required; set a *ConnectionSource, *S3Source, *CodeCommitSource or *ECRSource",
		}},
		{"a typed nil source", func(in *plan.Input) { in.Source = (*plan.ConnectionSource)(nil) }, []string{
			"Source: required; set a *ConnectionSource, *S3Source, *CodeCommitSource or *ECRSource",
		}},
		// A typed nil of any source kind is required, as *ConnectionSource
		// was; an S3Source without Bucket or Key names the field, with its
		// colon (it read "ExtraSources[0].Source an S3Source needs Bucket
		// and Key").
		{"typed nil sources", func(in *plan.Input) {
			in.Source = (*plan.S3Source)(nil)
			in.ExtraSources = []plan.ExtraSource{
				{Name: "a", Source: (*plan.S3Source)(nil)}, {Name: "b", Source: (*plan.CodeCommitSource)(nil)}, {Name: "c", Source: (*plan.ECRSource)(nil)},
			}
		}, []string{
			"Source: required; set a *ConnectionSource, *S3Source, *CodeCommitSource or *ECRSource",
			"ExtraSources[0].Source: required; set a *ConnectionSource, *S3Source, *CodeCommitSource or *ECRSource",
			"ExtraSources[1].Source: required; set a *ConnectionSource, *S3Source, *CodeCommitSource or *ECRSource",
			"ExtraSources[2].Source: required; set a *ConnectionSource, *S3Source, *CodeCommitSource or *ECRSource",
		}},
		{"an S3 source without bucket and key", func(in *plan.Input) { in.Source = &plan.S3Source{} }, []string{
			`Source.Bucket "": required`,
			`Source.Key "": required`,
		}},
		// Every nil target names the four kinds (a typed nil left out
		// *PipelineAccount).
		{"typed nil targets", func(in *plan.Input) {
			in.Deployments[0].Target = (*plan.PipelineAccount)(nil)
			in.Deployments[1].Target = (*plan.OrganizationalUnits)(nil)
		}, []string{
			"Deployments[0].Target: required; set an *Account, *StackSetAccounts, *OrganizationalUnits or *PipelineAccount",
			"Deployments[1].Target: required; set an *Account, *StackSetAccounts, *OrganizationalUnits or *PipelineAccount",
		}},
		// A nil regional release replaces nothing: it was reported as the
		// component's Release, which is set.
		{"a nil regional release of a component", func(in *plan.Input) {
			d := &in.Deployments[0]
			d.Components, d.Release = []plan.Component{{Name: "app", Release: d.Release}}, nil
			d.Regional = map[string]plan.Regional{"us-east-1": {Releases: map[string]plan.Release{"app": (*plan.Stack)(nil)}}}
		}, []string{
			`Deployments[0].Regional["us-east-1"].Releases["app"]: required; set a *Stack, *ECSRelease, *ECSBlueGreenRelease, *CodeDeployRelease, *S3Release or *EKSRelease`,
		}},
		{"missing repo", func(in *plan.Input) { in.Source.(*plan.ConnectionSource).Repo = "" }, []string{
			`Source "acme"/"": Owner and Repo are required`,
		}},
		{"connection ARN", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).ConnectionArn = "arn:aws:codecommit:us-east-1:111111111111:payments"
		}, []string{`Source.ConnectionArn "arn:aws:codecommit:us-east-1:111111111111:payments": must be a CodeConnections connection ARN`}},
		// A branch git refuses, or a CodeCommit branch over 256 characters,
		// exists in no repository: the source action would fail.
		{"branch git refuses", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).Branch = "release:1"
		}, []string{`Source.Branch "release:1": is not a git branch name (https://git-scm.com/docs/git-check-ref-format), so the source action would fail; write it as git shows it`}},
		// Git takes #{ in a name; CodePipeline reads it as a reference.
		{"branch holding a variable reference", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).Branch = "release-#{variables.tag}"
		}, []string{`Source.Branch "release-#{variables.tag}": holds #{, which CodePipeline reads as the start of a variable reference in the action's configuration (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html), not as part of a branch name; name the branch without it`}},
		{"GitOps branch holding a variable reference", func(in *plan.Input) {
			in.Deployments[1].Release = &plan.EKSRelease{GitOps: &plan.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", Branch: "env-#{variables.target}", File: "values.yaml", Value: "v1",
				TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-token-AbCdEf"}}
		}, []string{`Deployments[1].Release.GitOps.Branch "env-#{variables.target}": holds #{, which CodePipeline reads as the start of a variable reference in the action's configuration (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html), not as part of a branch name; name the branch without it`}},
		{"CodeCommit branch over 256 characters", func(in *plan.Input) {
			in.Source = &plan.CodeCommitSource{Repository: "payments", Branch: strings.Repeat("b", 257)}
		}, []string{`Source.Branch "257 characters": a CodeCommit branch name has at most 256 (https://docs.aws.amazon.com/codecommit/latest/APIReference/API_BranchInfo.html)`}},
		// No connection has an ARN over CodeConnections' 256 characters:
		// the source action would fail at run time.
		{"connection ARN longer than a connection's", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).ConnectionArn = "arn:aws:codeconnections:us-east-1:111111111111:connection/" + strings.Repeat("a", 199)
		}, []string{`Source.ConnectionArn "257 characters": a connection ARN has at most 256 (https://docs.aws.amazon.com/codeconnections/latest/APIReference/API_Connection.html); copy the ARN from the connection's settings`}},
		// A region typo in the ARN names no connection: CodePipeline refuses
		// the pipeline at deploy time.
		{"connection ARN with a region typo", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).ConnectionArn = "arn:aws:codeconnections:us-east1:111111111111:connection/0a1b2c3d"
		}, []string{`Source.ConnectionArn "arn:aws:codeconnections:us-east1:111111111111:connection/0a1b2c3d": region "us-east1": not an AWS region; did you mean "us-east-1"?`}},
		{"connection ARN of another partition than its region's", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).ConnectionArn = "arn:aws:codeconnections:cn-north-1:111111111111:connection/0a1b2c3d"
		}, []string{`Source.ConnectionArn "arn:aws:codeconnections:cn-north-1:111111111111:connection/0a1b2c3d": region "cn-north-1" is in partition aws-cn, not the ARN's aws`}},
		{"provider", func(in *plan.Input) { in.Source.(*plan.ConnectionSource).Provider = "Gitea" }, []string{
			`Source.Provider "Gitea": must be GitHub, GitLab or Bitbucket`,
		}},
		{"file paths without branches", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).Triggers = &plan.Triggers{FilePaths: plan.Filter{Includes: []string{"src/**"}}}
		}, []string{"Source.Triggers.FilePaths: file path filters need branch or tag includes; add Branches.Includes or Tags.Includes"}},
		{"too many test suites", func(in *plan.Input) {
			for i := range 51 {
				in.Tests = append(in.Tests, plan.Suite{Name: fmt.Sprintf("unit-%d", i), Commands: []string{"make test"}})
			}
		}, []string{"Tests 51 suites: a stage holds at most 50 actions"}},
		{"too many trigger patterns", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).Triggers = &plan.Triggers{Branches: plan.Filter{Includes: []string{"main"}, Excludes: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}}}
		}, []string{"Source.Triggers.Branches.Excludes 9 patterns: CodePipeline takes at most 8"}},
		{"trigger pattern twice", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).Triggers = &plan.Triggers{Branches: plan.Filter{Includes: []string{"main"}, Excludes: []string{"wip/*", "wip/*"}}}
		}, []string{`Source.Triggers.Branches.Excludes[1] "wip/*": listed twice; CloudFormation refuses a pattern list with an item twice`}},
		{"trigger patterns CodePipeline or git refuse", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).Triggers = &plan.Triggers{
				Branches:  plan.Filter{Includes: []string{"main"}, Excludes: []string{"wip\t*"}},
				FilePaths: plan.Filter{Includes: []string{"src/**\n"}, Excludes: []string{"docs/my file"}},
			}
		}, []string{
			`Source.Triggers.Branches.Excludes[0] "wip\t*": holds U+0009 at byte 3: git refuses control characters, space, ~ ^ and : in branch and tag names (https://git-scm.com/docs/git-check-ref-format), so the pattern matches no push and never starts the pipeline; remove it`,
			`Source.Triggers.FilePaths.Includes[0] "src/**\n": holds a line break (U+000A at byte 6): CodePipeline takes a trigger pattern on one line (its API's pattern .*, https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GitBranchFilterCriteria.html) and refuses the pipeline otherwise; remove it`,
		}},
		{"a branch pattern beyond the release branch, with an approval", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).Triggers = &plan.Triggers{Branches: plan.Filter{Includes: []string{"main", "feature/*"}}}
		}, []string{`Source.Triggers ["feature/*"]: start executions from other pushes than to the release branch main, and Deployments[1] waits for an approval: an approver could release a build of any of those branches; trigger on main only, or accept it with a reason in OtherBranches`}},
		{"an approval step gates as an approval does", func(in *plan.Input) {
			in.Deployments[1].Approval = nil
			in.Deployments[1].Steps = []plan.Step{{Name: "go-live", Action: &plan.ApprovalStep{}}}
			in.Source.(*plan.ConnectionSource).Triggers = &plan.Triggers{Tags: plan.Filter{Includes: []string{"v*"}}}
		}, []string{`Source.Triggers ["tags"]: start executions from other pushes than to the release branch main, and Deployments[1] (Deployments[1].Steps[0]) waits for an approval: an approver could release a build of any of those branches; trigger on main only, or accept it with a reason in OtherBranches`}},
		{"tags accepted with a reason", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).Triggers = &plan.Triggers{Tags: plan.Filter{Includes: []string{"v*"}}, OtherBranches: "Tags are signed and pushed by release managers only."}
		}, nil},
		{"a reason with nothing to accept", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).Triggers = &plan.Triggers{Branches: plan.Filter{Includes: []string{"main"}}, OtherBranches: "just in case"}
		}, []string{`Source.Triggers.OtherBranches "just in case": applies only when other branches or tags than main start a pipeline with an approval-gated deployment; remove it`}},
		{"EKS values that reach the steps' commands", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.EKSRelease{
				GitOps: &plan.GitOpsRelease{Repository: "https://github.com@evil.example/gitops.git", File: "../etc/passwd", Key: `.a = "x" | .b`, TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:t-AbCdEf"},
				Helm:   &plan.HelmRelease{Cluster: "web", Release: "web", Chart: "--post-renderer=./x", Namespace: "Web", Set: map[string]string{"a,b": "c", "image.tag": "a,b=c"}},
			}
		}, []string{
			`Deployments[0].Release.GitOps.Key ".a = \"x\" | .b": must be a yq path of keys, such as .image.tag`,
			`Deployments[0].Release.GitOps.File "../etc/passwd": must be a relative path without .., not starting with - or /`,
			`Deployments[0].Release.GitOps.Repository "https://github.com@evil.example/gitops.git": must be an https clone URL without credentials, such as https://github.com/acme/gitops.git`,
			`Deployments[0].Release.Helm.Chart "--post-renderer=./x": must be a relative path without .., not starting with - or /`,
			`Deployments[0].Release.Helm.Namespace "Web": must be a Kubernetes namespace: 1 to 63 lowercase letters, digits and -`,
			`Deployments[0].Release.Helm.Set key "a,b": must be a Helm value path of at most 200 characters: names of letters, digits, _ and - joined by dots, each with optional list indexes, such as image.tag or hosts[0].name`,
		}},
		// The CDK bootstrap's asset bucket holds what the next cdk deploy
		// runs in the account; a site bucket named like one is not.
		{"S3 release into the CDK bootstrap's asset bucket", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.S3Release{Bucket: "cdk-hnb659fds-assets-222222222222-us-east-1", Extract: true}
		}, []string{`Deployments[0].Release.Bucket "cdk-hnb659fds-assets-222222222222-us-east-1": is the CDK bootstrap's asset bucket (cdk-<qualifier>-assets-<account>-<region>), which holds the code and templates of every stack the CDK deploys to the account, Relay's own among them: a deploy role that may write there could replace what the next cdk deploy runs; release into a bucket of the workload's own`}},
		{"S3 release into a bucket of its own", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.S3Release{Bucket: "cdk-docs-assets", Extract: true}
		}, nil},
		// Two steps that name one project but configure it otherwise
		// (in a configuration, a top-level step step-bb and environment
		// step's step bb compose <name>-step-step-bb).
		{"two steps of one project, configured otherwise", func(in *plan.Input) {
			in.Deployments[0].Steps = []plan.Step{{Name: "step-bb", Action: &plan.CodeBuildStep{ProjectName: "p-step-step-bb", Buildspec: "ci/top.yml"}}}
			in.Deployments[1].Steps = []plan.Step{{Name: "bb", Action: &plan.CodeBuildStep{ProjectName: "p-step-step-bb", Buildspec: "ci/env.yml"}}}
		}, []string{`Deployments[1].Steps[0].Action.ProjectName "p-step-step-bb": is also the project of Deployments[0].Steps[0].Action, which configures it otherwise (Buildspec, ComputeType, TimeoutMinutes, Privileged, RoleName, AssumeRolePattern and ProjectVariables must agree): give one of the two steps a project of its own (another ProjectName; in a configuration, rename one of the steps or the environment, whose names compose it)`}},
		// The access entry grants AmazonEKSEditPolicy in the Helm
		// namespace: in kube-system that administers the cluster.
		{"Helm release into a system namespace", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.EKSRelease{Helm: &plan.HelmRelease{Cluster: "web", Release: "web", Chart: "chart", Namespace: "kube-system"}}
		}, []string{`Deployments[0].Release.Helm.Namespace "kube-system": ` + values.KubernetesSystemNamespaceRule}},
		{"Helm release into a namespace that starts with kube", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.EKSRelease{Helm: &plan.HelmRelease{Cluster: "web", Release: "web", Chart: "chart", Namespace: "kubeflow"}}
		}, nil},
		// The steps fill %{relay.variables.NAME} with a pipeline variable
		// at run time (values.VariableTemplate): a value written with that
		// text would be filled too.
		{"EKS values holding the variable placeholder", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.EKSRelease{
				GitOps: &plan.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", File: "values.yaml", Value: "%{relay.variables.tag}", TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:t-AbCdEf"},
				Helm:   &plan.HelmRelease{Cluster: "web", Release: "web", Chart: "chart", Set: map[string]string{"image.tag": "v-%{relay.variables.tag}", "labels.team": "#{variables.tag}"}},
			}
		}, []string{
			`Deployments[0].Release.GitOps.Value "%{relay.variables.tag}": must not hold %{relay.variables., the placeholder with which the step fills a pipeline variable at run time; write a pipeline variable as #{variables.NAME}`,
			`Deployments[0].Release.Helm.Set key "image.tag" value "v-%{relay.variables.tag}": must not hold %{relay.variables., the placeholder with which the step fills a pipeline variable at run time; write a pipeline variable as #{variables.NAME}`,
		}},
		// The values travel in the step action's EnvironmentVariables
		// JSON, which CodePipeline fills unencoded: no commit message or
		// author there. Pipeline variables are read from the execution.
		{"EKS values holding free-text source variables", func(in *plan.Input) {
			in.Variables = []plan.Variable{{Name: "tag"}}
			in.Deployments[0].Release = &plan.EKSRelease{
				GitOps: &plan.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", File: "values.yaml", Value: "#{SourceVariables.AuthorEmail}", TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:t-AbCdEf"},
				Helm: &plan.HelmRelease{Cluster: "web", Release: "web", Chart: "chart", Set: map[string]string{
					"image.tag": "#{variables.tag}-#{SourceVariables.CommitId}", "note": "#{SourceVariables.CommitMessage}"}},
			}
		}, []string{
			`Deployments[0].Release.GitOps.Value "#{SourceVariables.AuthorEmail}": uses #{SourceVariables.AuthorEmail}, whose value whoever pushes the commit chooses: the step's action carries the value in its EnvironmentVariables JSON, into which CodePipeline puts a variable's value without encoding it, so a value written as JSON would add environment variables to the step; use a fixed-shape variable such as #{SourceVariables.CommitId}, a pipeline variable (the step reads those from the execution), or a build variable the buildspec checks and exports (#{BuildVariables.<name>})`,
			`Deployments[0].Release.Helm.Set key "note" value "#{SourceVariables.CommitMessage}": uses #{SourceVariables.CommitMessage}, whose value whoever pushes the commit chooses: the step's action carries the value in its EnvironmentVariables JSON, into which CodePipeline puts a variable's value without encoding it, so a value written as JSON would add environment variables to the step; use a fixed-shape variable such as #{SourceVariables.CommitId}, a pipeline variable (the step reads those from the execution), or a build variable the buildspec checks and exports (#{BuildVariables.<name>})`,
		}},
		// helm upgrade takes a chart reference or a values file as a URL
		// too: it would deploy what it fetches then, not the build output.
		{"Helm chart and values by URL", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.EKSRelease{
				Helm: &plan.HelmRelease{Cluster: "web", Release: "web", Chart: "oci://registry.example/charts/web", ValuesFile: "https://values.example/web.yaml"},
			}
		}, []string{
			`Deployments[0].Release.Helm.Chart "oci://registry.example/charts/web": is a URL, which helm would fetch when the step runs instead of reading the build output; give the path of the chart in the build output (package or vendor the chart in the build)`,
			`Deployments[0].Release.Helm.ValuesFile "https://values.example/web.yaml": is a URL, which helm would fetch when the step runs instead of reading the build output; give the path of the values file in the build output`,
		}},
		{"an S3 source key with a line break, in the object's ARN", func(in *plan.Input) {
			in.ExtraSources = []plan.ExtraSource{{Name: "a", Source: &plan.S3Source{Bucket: "acme-src", Key: "app.zip\n"}}}
		}, []string{
			`ExtraSources[0].Source.Key "app.zip\n": holds the control character U+000A at byte 7: the key is written into the object's ARN in the policy of the role that reads it, and an ARN is one line of text without control characters; rename the object without it`,
		}},
		{"extra sources", func(in *plan.Input) {
			in.ExtraSources = []plan.ExtraSource{{Name: "a", Source: &plan.S3Source{Bucket: "bkt"}}, {Name: "a", Source: &plan.ECRSource{Repository: "r"}}, {Name: "a b"}}
		}, []string{
			`ExtraSources[0].Source.Key "": required`,
			`ExtraSources[1].Name "a": already used by ExtraSources[0]`,
			"ExtraSources[2].Source: required; set a *ConnectionSource, *S3Source, *CodeCommitSource or *ECRSource",
			`ExtraSources[2].Name "a b": must be 1-60 letters, digits, _ and -`,
		}},
		{"more extra sources than the Build action reads", func(in *plan.Input) {
			for i := range 5 {
				in.ExtraSources = append(in.ExtraSources, plan.ExtraSource{Name: fmt.Sprintf("s%d", i), Source: &plan.S3Source{Bucket: "bkt", Key: fmt.Sprintf("k%d", i)}})
			}
		}, []string{
			"ExtraSources: 5 extra sources and the source make 6 input artifacts of the Build action; a CodeBuild action reads at most 5",
		}},
		{"execution mode", func(in *plan.Input) { in.ExecutionMode = "queued" }, []string{
			`ExecutionMode "queued": must be SUPERSEDED, QUEUED or PARALLEL`,
		}},
		// CodePipeline refuses a rollback failure condition in a PARALLEL
		// pipeline (settings AWS refuses together).
		{"PARALLEL with rollback", func(in *plan.Input) { in.ExecutionMode = "PARALLEL"; in.Deployments[0].DisableRollback = true }, []string{
			`ExecutionMode "PARALLEL": CodePipeline does not roll back the stages of a PARALLEL pipeline, and Deployments[1] rolls back when it fails; set its DisableRollback, or use QUEUED or SUPERSEDED`,
		}},
		{"PARALLEL without rollback", func(in *plan.Input) {
			in.ExecutionMode = "PARALLEL"
			for i := range in.Deployments {
				in.Deployments[i].DisableRollback = true
			}
		}, nil},
		{"variables", func(in *plan.Input) {
			in.Variables = []plan.Variable{{Name: ""}, {Name: "tag"}, {Name: "tag"}}
		}, []string{
			`Variables[0].Name "": must be 1 to 128 letters, digits, @, - and _`,
			`Variables[2].Name "tag": already declared`,
		}},
		{"variables on more than one line", func(in *plan.Input) {
			in.Variables = []plan.Variable{{Name: "tag", Default: "a\nb", Description: "one\r\ntwo"}, {Name: "ok", Default: "a\tb"}}
		}, []string{
			`Variables[0].Default "a\nb": must be one line`,
			`Variables[0].Description "one\r\ntwo": must be one line`,
		}},
		{"build settings", func(in *plan.Input) {
			in.Build = plan.Build{LogRetentionDays: 31, ComputeType: "BUILD_GENERAL1_HUGE", Cache: "disk", TimeoutMinutes: 2161,
				EnvironmentVariables: map[string]plan.BuildVariable{"A": nil, "B": plan.Parameter(""), "C": plan.Secret("npm-token"), "D": plan.PlainText("")}}
		}, []string{
			"Build.LogRetentionDays 31: not a CloudWatch Logs retention value (e.g. 30, 90, 365)",
			`Build.ComputeType "BUILD_GENERAL1_HUGE": must be BUILD_GENERAL1_SMALL, _MEDIUM, _LARGE, _XLARGE or _2XLARGE`,
			`Build.Cache "disk": must be none, local or s3`,
			`Build.EnvironmentVariables["A"]: set a PlainText, Parameter or Secret`,
			`Build.EnvironmentVariables["B"] "": a Parameter names an SSM parameter`,
			`Build.EnvironmentVariables["C"] "npm-token": a Secret is a Secrets Manager secret ARN, such as arn:aws:secretsmanager:us-east-1:111111111111:secret:payments/api-key-AbCdEf, whose name is letters, digits and /_+=.@- (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html); the project's role may read it by its ARN, where * and ? would be IAM wildcards`,
			"Build.TimeoutMinutes 2161: must be 5 to 2160",
		}},
		// *Secret, *Parameter and *PlainText satisfy BuildVariable too (the
		// methods are on the values), and the project dropped such a
		// variable without a word.
		{"build variables given as pointers", func(in *plan.Input) {
			secret, text := plan.Secret("arn:aws:secretsmanager:us-east-1:111111111111:secret:payments/api-key-AbCdEf"), plan.PlainText("1")
			in.Build.EnvironmentVariables = map[string]plan.BuildVariable{"S": &secret, "T": &text, "P": (*plan.Parameter)(nil)}
		}, []string{
			`Build.EnvironmentVariables["P"] *plan.Parameter: a pointer; set a PlainText, Parameter or Secret value (plan.Secret("arn:..."), not &secret)`,
			`Build.EnvironmentVariables["S"] *plan.Secret: a pointer; set a PlainText, Parameter or Secret value (plan.Secret("arn:..."), not &secret)`,
			`Build.EnvironmentVariables["T"] *plan.PlainText: a pointer; set a PlainText, Parameter or Secret value (plan.Secret("arn:..."), not &secret)`,
		}},
		{"suites", func(in *plan.Input) {
			in.Tests = []plan.Suite{{Name: "unit"}, {Name: "unit", Preset: "trivy", Input: "repo", Reports: &plan.Reports{}}}
			in.Scan = &plan.Scan{FailOn: "SEVERE"}
		}, []string{
			"Tests[0].Commands []: list the commands that run the suite",
			`Tests[1].Name "unit": must be unique, 1-100 characters of letters, digits and .@_-`,
			`Tests[1].Preset "trivy": presets are for scanners`,
			`Tests[1].Input "repo": must be source or build`,
			"Tests[1].Reports.Files []: list report file patterns",
			"Scan.Scanners []: add at least one scanner",
			`Scan.FailOn "SEVERE": must be LOW, MEDIUM, HIGH or CRITICAL`,
		}},
		{"no deployments", func(in *plan.Input) { in.Deployments = nil }, []string{"Deployments []: add at least one deployment"}},
		{"duplicate name", func(in *plan.Input) { in.Deployments = append(in.Deployments, dep("staging", "", false, "us-east-1")) }, []string{
			`Deployments[2].Name "staging": already used by Deployments[0]`,
		}},
		{"a wave split by another deployment", func(in *plan.Input) {
			in.Deployments = []plan.Deployment{dep("a", "w", false, "us-east-1"), dep("b", "", false, "us-east-1"), dep("c", "w", false, "us-east-1")}
		}, []string{
			`Deployments[2].Wave "w": Deployments[0] is in this wave (stage Deploy-w) too, but the deployments between are not; list the deployments of a wave one after another, or give this one another wave`,
		}},
		{"a wave named like an earlier deployment, not next to it", func(in *plan.Input) {
			in.Deployments = []plan.Deployment{dep("b", "", false, "us-east-1"), dep("c", "", false, "us-east-1"), dep("a", "b", false, "us-east-1")}
		}, []string{
			`Deployments[2].Wave "b": Deployments[0] is in this wave (stage Deploy-b) too, but the deployments between are not; list the deployments of a wave one after another, or give this one another wave`,
		}},
		{"a wave named like the next deployment, which joins it", func(in *plan.Input) {
			in.Deployments = []plan.Deployment{dep("a", "b", false, "us-east-1"), dep("b", "", false, "us-east-1")}
		}, nil},
		{"a wave named like a deployment in it", func(in *plan.Input) {
			in.Deployments = []plan.Deployment{dep("a", "b", false, "us-east-1"), dep("b", "b", false, "us-east-1")}
		}, nil},
		{"name used in namespaces", func(in *plan.Input) { in.Deployments[1].Name = "prod.eu" }, []string{
			`Deployments[1].Name "prod.eu": must be letters, digits, _ and - (it names the stage and variable namespaces)`,
		}},
		{"account", func(in *plan.Input) { in.Deployments[1].Target.(*plan.Account).ID = "33333333333" }, []string{
			`Deployments[1].Target.ID "33333333333": must be a 12-digit account ID`,
			`Deployments[1].Target.DeployRoleArn "` + roleArn("333333333333", "production", "deploy") + `": must be a role ARN in account 33333333333`,
			`Deployments[1].Target.ExecutionRoleArn "` + roleArn("333333333333", "production", "cfn-exec") + `": must be a role ARN in account 33333333333`,
		}},
		{"account as a token", func(in *plan.Input) { in.Deployments[1].Target.(*plan.Account).ID = "${Token[TOKEN.90]}" }, []string{
			`Deployments[1].Target.ID "${Token[TOKEN.90]}": is a token, known only at deploy (such as a CfnParameter, Fn.importValue or Aws.ACCOUNT_ID), and the roles' ARNs and trust need it at synth: give the 12-digit account ID as text`,
		}},
		{"deploy role in another account", func(in *plan.Input) { in.Deployments[1].Target.(*plan.Account).DeployRoleArn = role }, []string{
			`Deployments[1].Target.DeployRoleArn "` + role + `": must be a role ARN in account 333333333333`,
		}},
		{"no target, no regions, no release", func(in *plan.Input) {
			in.Deployments[0].Target, in.Deployments[0].Regions, in.Deployments[0].Release = nil, nil, nil
		}, []string{
			"Deployments[0].Target: required; set an *Account, *StackSetAccounts, *OrganizationalUnits or *PipelineAccount",
			"Deployments[0].Regions []: name at least one region",
			"Deployments[0].Release: required; set a *Stack, *ECSRelease, *ECSBlueGreenRelease, *CodeDeployRelease, *S3Release or *EKSRelease",
		}},
		{"stack", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.Stack{Name: "1app", Capabilities: []string{"CAPABILITY_RESOURCE_POLICY"}}
			in.Deployments[0].Regions = []string{"us-east-1", "us-east-1"}
		}, []string{
			`Deployments[0].Regions[1] "us-east-1": listed twice; remove one`,
			`Deployments[0].Release.Name "1app": must be a stack name, a letter then letters, digits and hyphens, at most 128 characters`,
			`Deployments[0].Release.Capabilities "CAPABILITY_RESOURCE_POLICY": must be CAPABILITY_IAM, CAPABILITY_NAMED_IAM or CAPABILITY_AUTO_EXPAND`,
		}},
		{"approval timeout", func(in *plan.Input) { in.Deployments[1].Approval.TimeoutMinutes = 4 }, []string{
			"Deployments[1].Approval.TimeoutMinutes 4: must be 5 to 86400",
		}},
		// values.ReviewURLRule, config's rule.
		{"approval link", func(in *plan.Input) { in.Deployments[1].Approval.ReviewURL = "grafana.example.com/d/prod" }, []string{
			`Deployments[1].Approval.ReviewURL "grafana.example.com/d/prod": must be an https URL, such as https://grafana.example.com/d/staging`,
		}},
		// The projects pull the image as CodeBuild, with no credentials:
		// config's rule (values.CodeBuildManagedImage).
		{"a build image CodeBuild does not manage", func(in *plan.Input) { in.Build.Image = "public.ecr.aws/docker/library/golang:1.26" }, []string{
			`Build.Image "public.ecr.aws/docker/library/golang:1.26": must be a CodeBuild-managed image, starting with aws/codebuild/, such as aws/codebuild/standard:7.0`,
		}},
		{"a build image prefix alone", func(in *plan.Input) { in.Build.Image = "aws/codebuild/" }, []string{
			`Build.Image "aws/codebuild/": must be a CodeBuild-managed image, starting with aws/codebuild/, such as aws/codebuild/standard:7.0`,
		}},
		{"approval emails", func(in *plan.Input) {
			in.Deployments[1].Approval.Notify = []string{"ops@example.com", "not-an-email", "release team@example.com", "${Token[TOKEN.91]}", "ops@example", "<ops@example.com>"}
		}, []string{
			`Deployments[1].Approval.Notify[1] "not-an-email": must be an email address, such as ops@example.com (SNS refuses to subscribe anything else, at deploy)`,
			`Deployments[1].Approval.Notify[2] "release team@example.com": must be an email address, such as ops@example.com (SNS refuses to subscribe anything else, at deploy)`,
			`Deployments[1].Approval.Notify[4] "ops@example": must be an email address, such as ops@example.com (SNS refuses to subscribe anything else, at deploy)`,
			`Deployments[1].Approval.Notify[5] "<ops@example.com>": must be an email address, such as ops@example.com (SNS refuses to subscribe anything else, at deploy)`,
		}},
		{"an approval email listed twice", func(in *plan.Input) {
			in.Deployments[1].Approval.Notify = []string{"ops@example.com", "dev@example.com", "ops@example.com"}
		}, []string{
			`Deployments[1].Approval.Notify[2] "ops@example.com": listed twice; remove one`,
		}},
		{"freeze reasons CodePipeline refuses", func(in *plan.Input) {
			in.Deployments[0].Freeze = "Holiday freeze until Jan 5"
			in.Deployments[1].Freeze = "Freeze: see https://wiki/x"
		}, []string{
			`Deployments[1].Freeze "Freeze: see https://wiki/x": must be 1 to 300 of letters, digits, spaces and !@().*?- (CodePipeline's transition reason), such as "Holiday freeze until Jan 5"`,
		}},
		{"deployment windows EventBridge refuses", func(in *plan.Input) {
			in.Deployments[0].Window = &plan.Window{Cron: "* 9-17 * * MON-FRI", TimeZone: "Berlin"}
			in.Deployments[1].Window = &plan.Window{Cron: "cron(0 9 * * MON-FRI *)"}
		}, []string{
			`Deployments[0].Window.Cron "* 9-17 * * MON-FRI": must be an EventBridge cron expression, such as "cron(* 9-16 ? * MON-FRI *)"`,
			`Deployments[0].Window.TimeZone "Berlin": must be an IANA time zone, such as UTC or Europe/Berlin`,
			`Deployments[1].Window.Cron "cron(0 9 * * MON-FRI *)": day-of-month "*" and day-of-week "MON-FRI": one of them must be ?, since EventBridge does not take both, such as "cron(* 9-16 ? * MON-FRI *)"`,
		}},
		// The pipeline role may describe each entry alarm by its ARN.
		{"entry alarms the pipeline role could not name exactly", func(in *plan.Input) {
			in.Deployments[0].NoAlarms = []string{"orders-5xx", "", "orders-*", "orders-5x?", "orders-€", "orders\r5xx", strings.Repeat("é", 255)}
		}, []string{
			`Deployments[0].NoAlarms[1] "": must be a CloudWatch alarm name of 1 to 255 characters without control characters (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html)`,
			`Deployments[0].NoAlarms[2] "orders-*": contains * or ?, which IAM reads as wildcards in the alarm ARN the pipeline role may describe, admitting every alarm that matches; name each alarm exactly`,
			`Deployments[0].NoAlarms[3] "orders-5x?": contains * or ?, which IAM reads as wildcards in the alarm ARN the pipeline role may describe, admitting every alarm that matches; name each alarm exactly`,
			`Deployments[0].NoAlarms[4] "orders-€": holds "€" (U+20AC) at byte 7, which IAM refuses in the pipeline role's policy (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html); rename the alarm in characters through U+00FF`,
			`Deployments[0].NoAlarms[5] "orders\r5xx": must be a CloudWatch alarm name of 1 to 255 characters without control characters (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html)`,
			// Seven alarms are seven rules of one condition, which takes 5.
			`Deployments[0].NoAlarms: 7 alarms make 7 rules of the stage's entry condition (one rule per alarm), and CodePipeline takes at most 5 rules in a condition (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-codepipeline-pipeline-condition.html): gate on at most 5 alarms, combining them into a CloudWatch composite alarm`,
		}},
		// The pipeline role may read each source by its ARN
		// (ReadSourceObjects, ReadSourceBuckets, ReadSourceRepositories,
		// ReadSourceImages), where IAM reads * and ? as wildcards; a key
		// character beyond U+00FF fails the role at deploy.
		{"sources the pipeline role could not name exactly", func(in *plan.Input) {
			in.Source = &plan.S3Source{Bucket: "releases-*", Key: "payments/app-€.zip"}
			in.ExtraSources = []plan.ExtraSource{
				{Name: "config", Source: &plan.CodeCommitSource{Repository: "*"}},
				{Name: "image", Source: &plan.ECRSource{Repository: "payments/*"}},
				{Name: "data", Source: &plan.S3Source{Bucket: "${Token[TOKEN.90]}", Key: "/data.zip"}},
				{Name: "repo", Source: &plan.CodeCommitSource{Repository: "${Token[TOKEN.91]}"}},
			}
		}, []string{
			`Source.Bucket "releases-*": must be an S3 bucket name, 3 to 63 lowercase letters, digits, dots and hyphens (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html); the pipeline role may read the object by its ARN, where * and ? would be IAM wildcards`,
			`Source.Key "payments/app-€.zip": holds "€" (U+20AC) at byte 13, which IAM refuses in the policy of the role that reads the object (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html); rename the object in characters through U+00FF`,
			`ExtraSources[0].Source.Repository "*": must be a CodeCommit repository name of 1 to 100 letters, digits, ., _ and - (https://docs.aws.amazon.com/codecommit/latest/APIReference/API_CreateRepository.html); the pipeline role may read the repository by its ARN, where * and ? would be IAM wildcards`,
			`ExtraSources[1].Source.Repository "payments/*": must be an ECR repository name of at most 256 lowercase letters, digits and ._-/, such as payments/api (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html); the pipeline role may describe the repository's images by its ARN, where * and ? would be IAM wildcards`,
			`ExtraSources[2].Source.Key "/data.zip": must be an object key of 1 to 1024 characters, not starting with /, such as releases/app.zip`,
		}},
		{"an S3 source key with wildcards", func(in *plan.Input) {
			in.Source = &plan.S3Source{Bucket: "releases", Key: "payments/*.zip"}
			in.ExtraSources = []plan.ExtraSource{{Name: "settings", Source: &plan.S3Source{Bucket: "settings", Key: "settings-?.zip"}}}
		}, []string{
			`Source.Key "payments/*.zip": contains * or ?, which IAM reads as wildcards in the object's ARN in the policy of the role that reads it, admitting every matching object; name the object exactly`,
			`ExtraSources[0].Source.Key "settings-?.zip": contains * or ?, which IAM reads as wildcards in the object's ARN in the policy of the role that reads it, admitting every matching object; name the object exactly`,
		}},
		// Values no AWS resource can hold: the action would fail, or never
		// start, when the pipeline runs.
		{"values the actions could not run with", func(in *plan.Input) {
			in.ExtraSources = []plan.ExtraSource{{Name: "image", Source: &plan.ECRSource{Repository: "payments/api", Tag: "-latest"}}}
			in.Deployments[0].Release.(*plan.Stack).ParameterOverrides = map[string]string{"Image-Tag": "v1", "ImageTag": "v1"}
			in.Deployments[0].Hooks = []plan.Hook{{Name: "migrate", Invoke: &plan.StepFunctionsInvoke{StateMachine: "payments-migrate", ExecutionNamePrefix: "migrate.v2"}},
				{Name: "longname", Invoke: &plan.StepFunctionsInvoke{StateMachine: strings.Repeat("m", 81)}}, {Name: "maxname", Invoke: &plan.StepFunctionsInvoke{StateMachine: strings.Repeat("m", 80)}},
				{Name: "maxprefix", Invoke: &plan.StepFunctionsInvoke{StateMachine: "payments-migrate", ExecutionNamePrefix: strings.Repeat("p", 43)}},
				{Name: "longprefix", Invoke: &plan.StepFunctionsInvoke{StateMachine: "payments-migrate", ExecutionNamePrefix: strings.Repeat("p", 44)}}}
			in.Deployments[1].Release = &plan.EKSRelease{GitOps: &plan.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", Branch: "release..1", File: "values.yaml", Value: "v1",
				TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-token-AbCdEf"}}
		}, []string{
			`ExtraSources[0].Source.Tag "-latest": must be an image tag of 1 to 128 letters, digits, _, . and -, not starting with . or -, such as latest (https://docs.docker.com/reference/cli/docker/image/tag/); no image has another`,
			`Deployments[0].Release.ParameterOverrides["Image-Tag"]: must be a template parameter name, 1 to 255 letters and digits (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html)`,
			`Deployments[0].Hooks[0].Invoke.ExecutionNamePrefix "migrate.v2": must be 1 to 43 letters, digits, _ and - (the action names each execution <prefix>-<its 36-character execution ID>, and Step Functions takes at most 80 characters: https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html)`,
			`Deployments[0].Hooks[1].Invoke.StateMachine "` + strings.Repeat("m", 81) + `": must be a state machine name of 1 to 80 letters, digits, _, . and -`,
			`Deployments[0].Hooks[4].Invoke.ExecutionNamePrefix "` + strings.Repeat("p", 44) + `": must be 1 to 43 letters, digits, _ and - (the action names each execution <prefix>-<its 36-character execution ID>, and Step Functions takes at most 80 characters: https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html)`,
			`Deployments[1].Release.GitOps.Branch "release..1": is not a git branch name (https://git-scm.com/docs/git-check-ref-format), so the GitOps step's clone would fail; write it as git shows it`,
		}},
		// The project's role may assume what AssumeRolePattern matches,
		// instead of AssumeRoleArn.
		{"step role patterns the project could not assume its role by", func(in *plan.Input) {
			step := func(name, arn, pattern string) plan.Step {
				return plan.Step{Name: name, Action: &plan.CodeBuildStep{Buildspec: "ci/" + name + ".yml", AssumeRoleArn: arn, AssumeRolePattern: pattern}}
			}
			role := roleArn("222222222222", "staging", "migrate-step")
			in.Deployments[0].Steps = []plan.Step{
				step("migrate", role, "arn:aws:iam::*:role/relay/payments/payments-*-migrate-step"),
				step("seed", "", "arn:aws:iam::*:role/relay/payments/payments-*-seed-step"),
				step("smoke", role, "payments-*-smoke-step"),
				step("load", role, "arn:aws:iam::*:role/relay/payments/payments-*-load-step"),
			}
		}, []string{
			`Deployments[0].Steps[1].Action.AssumeRolePattern "arn:aws:iam::*:role/relay/payments/payments-*-seed-step": applies with AssumeRoleArn, the role the pattern stands for; set it, or remove the pattern`,
			`Deployments[0].Steps[2].Action.AssumeRolePattern "payments-*-smoke-step": a role name, not an ARN pattern; write arn:aws:iam::ACCOUNT:role/PATH/payments-*-smoke-step (ACCOUNT may be *)`,
			`Deployments[0].Steps[3].Action.AssumeRolePattern "arn:aws:iam::*:role/relay/payments/payments-*-load-step": does not match AssumeRoleArn "arn:aws:iam::222222222222:role/relay/payments/payments-staging-migrate-step", so the project's role could not assume the step's role; write a pattern that matches it`,
		}},
		// The action reads both from its input artifact: a path outside it
		// names no file.
		{"stack files outside the build output", func(in *plan.Input) {
			in.Deployments[0].Release.(*plan.Stack).TemplatePath = "/tmp/template.json"
			in.Deployments[1].Release.(*plan.Stack).TemplateConfiguration = "../config/production.json"
		}, []string{
			`Deployments[0].Release.TemplatePath "/tmp/template.json": must be a path relative to the build output, on one line and without .., such as template.json`,
			`Deployments[1].Release.TemplateConfiguration "../config/production.json": must be a path relative to the build output, on one line and without .., such as config/production.json`,
		}},
		// The ECS, CodeDeployToECS and Step Functions actions read theirs
		// from the input artifact too; config refused these paths, the Go
		// API passed them.
		{"other files outside the build output", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.ECSRelease{Cluster: "shop", Service: "web", ImageFile: "/work/imagedefinitions.json"}
			in.Deployments[1].Release = &plan.ECSBlueGreenRelease{Application: "shop", DeploymentGroup: "web", TaskDefinition: "../taskdef.json", AppSpec: "deploy/appspec.yaml\nx"}
			in.Deployments[1].Hooks = []plan.Hook{{Name: "migrate", Invoke: &plan.StepFunctionsInvoke{StateMachine: "payments-migrate", InputFile: "../../input.json"}}}
		}, []string{
			`Deployments[0].Release.ImageFile "/work/imagedefinitions.json": must be a path relative to the build output, on one line and without .., such as imagedefinitions.json`,
			`Deployments[1].Release.TaskDefinition "../taskdef.json": must be a path relative to the build output, on one line and without .., such as taskdef.json`,
			`Deployments[1].Release.AppSpec "deploy/appspec.yaml\nx": must be a path relative to the build output, on one line and without .., such as appspec.yaml`,
			`Deployments[1].Hooks[0].Invoke.InputFile "../../input.json": must be a path relative to the build output, on one line and without .., such as migrations/input.json`,
		}},
		// CodePipeline refuses the pipeline, or the action finds no bucket.
		{"values the pipeline could not be created with", func(in *plan.Input) {
			in.Source.(*plan.ConnectionSource).Triggers = &plan.Triggers{Branches: plan.Filter{Includes: []string{"main"}, Excludes: []string{"main-old", " ", strings.Repeat("r", 256)}}}
			in.Variables = []plan.Variable{{Name: "release", Description: strings.Repeat("d", 201)}, {Name: "tag", Description: strings.Repeat("é", 200)}}
			in.Deployments[0].Release = &plan.S3Release{Bucket: "Acme_Site", Extract: true}
		}, []string{
			`Source.Triggers.Branches.Excludes[1] " ": must be a glob pattern of 1 to 255 characters, such as release/* (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GitBranchFilterCriteria.html)`,
			`Source.Triggers.Branches.Excludes[2] "` + strings.Repeat("r", 256) + `": must be a glob pattern of 1 to 255 characters, such as release/* (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GitBranchFilterCriteria.html)`,
			`Variables[0].Description 201 characters: CodePipeline takes at most 200 (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineVariableDeclaration.html)`,
			`Deployments[0].Release.Bucket "Acme_Site": must be an S3 bucket name, 3 to 63 lowercase letters, digits, dots and hyphens (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)`,
		}},
		// A project's role may read its parameters and secrets by ARN
		// (ReadBuildParameters, ReadBuildSecrets, ReadGitOpsToken).
		{"parameters and secrets the project roles could not name exactly", func(in *plan.Input) {
			in.Build.EnvironmentVariables = map[string]plan.BuildVariable{
				"DB":    plan.Parameter("/payments/*"),
				"KEY":   plan.Secret("arn:aws:secretsmanager:us-east-1:111111111111:secret:*"),
				"TOKEN": plan.Secret("arn:aws:secretsmanager:us-east-1:111111111111:secret:payments/api-key-AbCdEf"),
				"URL":   plan.Parameter("/payments/db-url"),
			}
			in.Deployments[0].Steps = []plan.Step{{Name: "migrate", Action: &plan.CodeBuildStep{Buildspec: "ci/migrate.yml",
				ProjectVariables: map[string]plan.BuildVariable{"DB": plan.Parameter("prod-?"), "PW": plan.Secret("arn:aws:secretsmanager:*:111111111111:secret:db")}}}}
			in.Deployments[1].Release = &plan.EKSRelease{GitOps: &plan.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", File: "values.yaml", Value: "v1", TokenSecret: "*"}}
		}, []string{
			`Build.EnvironmentVariables["DB"] "/payments/*": a Parameter is an SSM parameter name of 1 to 1000 letters, digits and _.-/, such as /payments/db-url (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html); the project's role may read it by its ARN, where * and ? would be IAM wildcards`,
			`Build.EnvironmentVariables["KEY"] "arn:aws:secretsmanager:us-east-1:111111111111:secret:*": a Secret is a Secrets Manager secret ARN, such as arn:aws:secretsmanager:us-east-1:111111111111:secret:payments/api-key-AbCdEf, whose name is letters, digits and /_+=.@- (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html); the project's role may read it by its ARN, where * and ? would be IAM wildcards`,
			`Deployments[0].Steps[0].Action.ProjectVariables["DB"] "prod-?": a Parameter is an SSM parameter name of 1 to 1000 letters, digits and _.-/, such as /payments/db-url (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html); the project's role may read it by its ARN, where * and ? would be IAM wildcards`,
			`Deployments[0].Steps[0].Action.ProjectVariables["PW"] "arn:aws:secretsmanager:*:111111111111:secret:db": a Secret is a Secrets Manager secret ARN, such as arn:aws:secretsmanager:us-east-1:111111111111:secret:payments/api-key-AbCdEf, whose name is letters, digits and /_+=.@- (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html); the project's role may read it by its ARN, where * and ? would be IAM wildcards`,
			`Deployments[1].Release.GitOps.TokenSecret "*": must be a Secrets Manager secret ARN, such as arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-token-AbCdEf, whose name is letters, digits and /_+=.@- (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html); the GitOps project's role may read it by its ARN, where * and ? would be IAM wildcards`,
		}},
		{"a deployment window without a time zone is in UTC", func(in *plan.Input) {
			in.Deployments[0].Window = &plan.Window{Cron: "cron(* 9-16 ? * MON-FRI *)"}
		}, nil},
		{"every release kind is valid", func(in *plan.Input) {
			in.Deployments[0].Release = ecs
			in.Deployments[0].Hooks = []plan.Hook{smokeTest(), migrate()}
			in.Deployments[1].Release = &plan.EKSRelease{GitOps: &plan.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", File: "values.yaml", TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:t-AbCdEf"},
				Helm: &plan.HelmRelease{Cluster: "web", Release: "api", Chart: "charts/api"}}
		}, nil},
		{"a release needs no execution role", func(in *plan.Input) {
			in.Deployments[0].Release = ecs
			in.Deployments[0].Target.(*plan.Account).ExecutionRoleArn = ""
		}, nil},
		{"GitOps alone needs no deploy role", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.EKSRelease{GitOps: &plan.GitOpsRelease{Repository: "https://github.com/acme/gitops.git", File: "values.yaml", TokenSecret: "arn:aws:secretsmanager:us-east-1:111111111111:secret:t-AbCdEf"}}
			in.Deployments[0].Target.(*plan.Account).DeployRoleArn = ""
		}, nil},
		{"a multi-Region key", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.S3Release{Bucket: "site", Extract: true, KMSKeyArn: "arn:aws:kms:us-east-1:222222222222:key/mrk-1234abcd12ab34cd56ef1234567890ab"}
		}, nil},
		{"release fields", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.S3Release{Bucket: "site", KMSKeyArn: "alias/site"}
			in.Deployments[1].Release = &plan.ECSBlueGreenRelease{Application: "payments"}
		}, []string{
			`Deployments[0].Release.ObjectKey "": required when Extract is false`,
			`Deployments[0].Release.KMSKeyArn "alias/site": must be a KMS key ARN`,
			`Deployments[1].Release "payments"/"": Application and DeploymentGroup are required`,
		}},
		// values.S3DeployKeyRule, config's rule: the deploy role's
		// s3:PutObject resource ends in the key.
		{"an S3 key on two lines, and one with a wildcard", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.S3Release{Bucket: "site", Extract: true, ObjectKey: "site\nx"}
			in.Deployments[1].Release = &plan.S3Release{Bucket: "site", Extract: true, ObjectKey: "site/*"}
		}, []string{
			`Deployments[0].Release.ObjectKey "site\nx": must be an S3 key of at most 1024 bytes (UTF-8) on one line, without IAM's wildcards * and ?, not starting with /`,
			`Deployments[1].Release.ObjectKey "site/*": must be an S3 key of at most 1024 bytes (UTF-8) on one line, without IAM's wildcards * and ?, not starting with /`,
		}},
		{"an S3 key starting with /, and one beyond Latin-1", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.S3Release{Bucket: "site", ObjectKey: "/site.zip"}
			in.Deployments[1].Release = &plan.S3Release{Bucket: "site", ObjectKey: "site-€.zip"}
		}, []string{
			`Deployments[0].Release.ObjectKey "/site.zip": must be an S3 key of at most 1024 bytes (UTF-8) on one line, without IAM's wildcards * and ?, not starting with /`,
			`Deployments[1].Release.ObjectKey "site-€.zip": holds "€" (U+20AC) at byte 5, which IAM refuses in a policy document: it takes printable characters through U+00FF (Basic Latin and Latin-1 Supplement) only (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html); use an object key of ASCII and Latin-1 characters`,
		}},
		{"an S3 key of 1,024 characters, and one of 1,025", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.S3Release{Bucket: "site", Extract: true, ObjectKey: strings.Repeat("k", 1024)}
			in.Deployments[1].Release = &plan.S3Release{Bucket: "site", Extract: true, ObjectKey: strings.Repeat("k", 1025)}
		}, []string{
			// 1,024 is a key S3 takes; that it is more than the action's
			// configuration value may hold is the written template's check
			// (limits.CheckTemplate), as for every action value.
			`Deployments[1].Release.ObjectKey "` + strings.Repeat("k", 1025) + `": must be an S3 key of at most 1024 bytes (UTF-8) on one line, without IAM's wildcards * and ?, not starting with /`,
		}},
		// The action sends the directives joined by ", " as one header.
		{"Cache-Control directives", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.S3Release{Bucket: "site", Extract: true, CacheControl: []string{"public", "max-age=300", "no-cache, no-store", "max-age=1\nx-evil: 1"}}
		}, []string{
			`Deployments[0].Release.CacheControl[2] "no-cache, no-store": must be one Cache-Control directive, such as public or max-age=300`,
			`Deployments[0].Release.CacheControl[3] "max-age=1\nx-evil: 1": must be one Cache-Control directive, such as public or max-age=300`,
		}},
		{"EKS without steps", func(in *plan.Input) { in.Deployments[0].Release = &plan.EKSRelease{} }, []string{
			"Deployments[0].Release: set GitOps, Helm or both",
		}},
		{"hooks", func(in *plan.Input) {
			h := smokeTest()
			h.Invoke = nil
			q := smokeTest()
			q.Invoke = &plan.LambdaInvoke{Function: "payments-smoke-test:live"}
			in.Deployments[0].Hooks = []plan.Hook{h, q}
			in.Deployments[0].Target.(*plan.Account).InvokeRoleArn = ""
		}, []string{
			"Deployments[0].Hooks[0].Invoke: required; set a *LambdaInvoke or *StepFunctionsInvoke",
			`Deployments[0].Hooks[1].Name "smoke-test": must be unique, 2 to 31 of a-z, 0-9 and -`,
			`Deployments[0].Hooks[1].Invoke.Function "payments-smoke-test:live": must be a function name of 1 to 64 letters, digits, - and _, without a qualifier (the action invokes $LATEST)`,
			`Deployments[0].Target.InvokeRoleArn "": hooks need a role ARN in account 222222222222`,
		}},
		// CodePipeline puts a resolved value into these JSON documents as
		// it is: a value chosen outside the release (a pipeline variable, a
		// commit message or branch) could end a JSON string and add keys.
		{"free-text variables in JSON documents", func(in *plan.Input) {
			in.Deployments[0].Release = &plan.Stack{Name: "payments-app", ParameterOverrides: map[string]string{
				"Commit": "#{SourceVariables.CommitId}", "ImageTag": "#{variables.tag}"}}
			h, q := smokeTest(), migrate()
			h.Invoke.(*plan.LambdaInvoke).UserParameters = `{"path": "/health", "message": "#{SourceVariables.CommitMessage}"}`
			q.Invoke.(*plan.StepFunctionsInvoke).Input["branch"] = "#{SourceVariables.BranchName}"
			in.Deployments[0].Hooks = []plan.Hook{h, q}
			in.Deployments[1].Hooks = []plan.Hook{{Name: "notes", Invoke: &plan.LambdaInvoke{Function: "payments-notes", UserParameters: "tag=#{variables.tag}"}}}
		}, []string{
			`Deployments[0].Release.ParameterOverrides["ImageTag"] "#{variables.tag}": ` + freeTextInJSON("#{variables.tag}", "whoever starts the execution", "ParameterOverrides"),
			`Deployments[0].Hooks[0].Invoke.UserParameters "{\"path\": \"/health\", \"message\": \"#{SourceVariables.CommitMessage}\"}": ` + freeTextInJSON("#{SourceVariables.CommitMessage}", "whoever pushes the commit", "UserParameters"),
			`Deployments[0].Hooks[1].Invoke.Input["branch"] "#{SourceVariables.BranchName}": ` + freeTextInJSON("#{SourceVariables.BranchName}", "whoever pushes the commit", "Input"),
		}},
		// A CodeCommit source watches one branch, known at synth: its
		// BranchName may go into JSON; its commit message may not.
		{"a CodeCommit source's branch in JSON documents", func(in *plan.Input) {
			in.Source = &plan.CodeCommitSource{Repository: "payments", Branch: "release"}
			h, q := smokeTest(), migrate()
			h.Invoke.(*plan.LambdaInvoke).UserParameters = `{"branch": "#{SourceVariables.BranchName}"}`
			q.Invoke.(*plan.StepFunctionsInvoke).Input["message"] = "#{SourceVariables.CommitMessage}"
			in.Deployments[0].Hooks = []plan.Hook{h, q}
		}, []string{
			`Deployments[0].Hooks[1].Invoke.Input["message"] "#{SourceVariables.CommitMessage}": ` + freeTextInJSON("#{SourceVariables.CommitMessage}", "whoever pushes the commit", "Input"),
		}},
		{"step functions input twice", func(in *plan.Input) {
			h := migrate()
			h.Invoke.(*plan.StepFunctionsInvoke).InputFile = "input.json"
			in.Deployments[0].Hooks = []plan.Hook{h}
		}, []string{"Deployments[0].Hooks[0].Invoke: set Input or InputFile, not both"}},
		{"regional override of an unknown region", func(in *plan.Input) {
			in.Deployments[0].Regional = map[string]plan.Regional{"eu-west-1": {Release: ecs}}
		}, []string{`Deployments[0].Regional["eu-west-1"]: not one of Regions`}},
		{"StackSet of accounts without its roles", func(in *plan.Input) {
			in.Deployments = append(in.Deployments, plan.Deployment{Name: "fleet", Regions: []string{"us-east-1"}, Release: stack(),
				Target: &plan.StackSetAccounts{IDs: []string{"444444444444"}}})
		}, []string{"Deployments[2].Target: a StackSet to accounts needs AdministrationRoleArn and ExecutionRoleName (self-managed permissions)"}},
		{"StackSet with a release and hooks", func(in *plan.Input) {
			in.Deployments = append(in.Deployments, plan.Deployment{Name: "fleet", Regions: []string{"us-east-1"}, Release: ecs, Hooks: []plan.Hook{smokeTest()},
				Target: &plan.OrganizationalUnits{IDs: []string{"ou-1"}}})
		}, []string{
			`Deployments[2].Target.IDs[0] "ou-1": must be an organizational unit ID such as ou-ab12-cd34ef56`,
			"Deployments[2].Release: needs an Account target; StackSets deploy a *Stack only",
			"Deployments[2].Hooks[0]: needs an Account target; StackSet deployments take no hooks",
		}},
		{"StackSet takes its template as is", func(in *plan.Input) {
			s := stack()
			s.ParameterOverrides = map[string]string{"A": "b"}
			in.Deployments = append(in.Deployments, plan.Deployment{Name: "fleet", Regions: []string{"us-east-1"}, Release: s,
				Target: &plan.OrganizationalUnits{IDs: []string{"ou-ab12-cd34ef56"}, Rollout: plan.Rollout{MaxConcurrentPercentage: 101}}})
		}, []string{
			"Deployments[2].Target.Rollout: MaxConcurrentPercentage 101 and FailureTolerancePercentage 0 must be 0 to 100",
			"Deployments[2].Release: ParameterOverrides, TemplateConfiguration, Review and ExecutionRoleArn apply to change sets in an Account; a StackSet takes its template as is",
		}},
		{"template macros in a service-managed StackSet", func(in *plan.Input) {
			s := stack()
			s.Capabilities = []string{"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"}
			in.Deployments = append(in.Deployments, plan.Deployment{Name: "fleet", Regions: []string{"us-east-1"}, Release: s,
				Target: &plan.OrganizationalUnits{IDs: []string{"ou-ab12-cd34ef56"}}})
		}, []string{
			`Deployments[2].Release.Capabilities "CAPABILITY_AUTO_EXPAND": acknowledges template macros, and a service-managed StackSet (OrganizationalUnits) fails on any macro (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html): deploy a template without macros and remove it, or target StackSetAccounts (a self-managed StackSet, which runs macros)`,
		}},
		{"template macros in a self-managed StackSet", func(in *plan.Input) {
			s := stack()
			s.Capabilities = []string{"CAPABILITY_AUTO_EXPAND"}
			in.Deployments = append(in.Deployments, plan.Deployment{Name: "fleet", Regions: []string{"us-east-1"}, Release: s,
				Target: &plan.StackSetAccounts{IDs: []string{"444444444444"}, AdministrationRoleArn: "arn:aws:iam::111111111111:role/admin", ExecutionRoleName: "exec"}})
		}, nil},
		{"instances of an unknown StackSet", func(in *plan.Input) {
			in.Deployments = append(in.Deployments, plan.Deployment{Name: "fleet", Regions: []string{"us-east-1"}, Release: stack(),
				Target: &plan.StackSetAccounts{IDs: []string{"444444444444"}, StackSetOf: "pilot"}})
		}, []string{`Deployments[2].Target.StackSetOf "pilot": must name an earlier deployment with a StackSet of its own, of the same target kind`}},
		{"no Build stage, with settings only a build takes", func(in *plan.Input) {
			in.NoBuild = true
			in.Build = plan.Build{Buildspec: "ci.yml", Cache: "s3", LogGroupName: "/relay/payments/build", EnvironmentVariables: map[string]plan.BuildVariable{"A": plan.PlainText("b")}}
			in.ExtraSources = []plan.ExtraSource{{Name: "settings", Source: &plan.S3Source{Bucket: "bkt", Key: "k"}}}
		}, []string{
			"Build.Buildspec: configures the Build stage, which NoBuild leaves out; remove it, or build",
			"Build.Cache: configures the Build stage, which NoBuild leaves out; remove it, or build",
			"Build.EnvironmentVariables: configures the Build stage, which NoBuild leaves out; remove it, or build",
			"ExtraSources: are inputs of the Build stage, which NoBuild leaves out; remove them, or build",
		}},
		{"every problem at once, named by the caller's paths", func(in *plan.Input) {
			in.Paths = map[string]string{"Deployments": "environments", "ExecutionMode": "pipeline.executionMode"}
			in.ExecutionMode, in.Deployments[0].Release.(*plan.Stack).Name = "LATEST", ""
		}, []string{
			`pipeline.executionMode "LATEST": must be SUPERSEDED, QUEUED or PARALLEL`,
			`environments[0].release.name "": must be a stack name, a letter then letters, digits and hyphens, at most 128 characters`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := stagingAndProduction()
			tc.mutate(&in)
			_, err := plan.New(in)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if want := strings.Join(tc.want, "\n"); got != want {
				t.Errorf("New() error:\n%s\nwant:\n%s", got, want)
			}
			if len(in.Paths) == 0 { // Go paths, not the caller's
				fieldpath.Check(t, &in, err)
			}
		})
	}
}

// TestFieldPath: the path check of TestValidate refuses what issue 14 found
// (Source.Connection.ConnectionArn for Source.ConnectionArn).
func TestFieldPath(t *testing.T) {
	in := stagingAndProduction()
	in.Deployments[0].Regional = map[string]plan.Regional{"us-east-1": {}}
	tests := []struct{ line, want string }{
		{`Source.ConnectionArn "x": must be a CodeConnections connection ARN`, ""},
		{`Source.Connection.ConnectionArn "x": must be a CodeConnections connection ARN`, ".Connection: plan.ConnectionSource has no field Connection"},
		{`Deployments[1].Target.ExecutionRoleArn "": must be a role ARN in account 333333333333`, ""},
		{`Deployments[2].Name "": required`, "[2]: []plan.Deployment has no such element"},
		{`Deployments[0].Regional["us-east-1"].Release: required`, ""},
		{`Deployments[0].Regional["eu-west-1"]: not one of Regions`, `["eu-west-1"]: no such key`},
		{`environments[0].name "": required`, "no Go path at the start of the message"},
	}
	for _, tt := range tests {
		if got := fieldpath.Problem(reflect.ValueOf(&in), tt.line); got != tt.want {
			t.Errorf("fieldpath.Problem(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

// freeTextInJSON is the rule refusing reference ref, chosen by who, in the
// JSON document of configuration key doc.
func freeTextInJSON(ref, who, doc string) string {
	return "uses " + ref + ", whose value " + who + " chooses, inside the action's " + doc + " JSON: CodePipeline puts a variable's value into it without encoding it, " +
		"so a quote in the value would end the string and add keys; pass the value through the build instead (a Build.EnvironmentVariables variable the buildspec checks and exports, read as #{BuildVariables.<name>})"
}
