package iameval

import (
	"fmt"
	"strings"

	"github.com/relaycdk/relay/constructs/wiring"
)

// site is where one action of a pipeline runs: the principal that makes
// its provider's calls (the action's role, or the pipeline role when it
// has none), the account and region it calls in, its configuration, and
// the stacks of the assembly (to look up the resources the configuration
// names, such as a deployment group's config or a topic's key).
type site struct {
	actor           Principal
	account, region string
	cfg             map[string]interface{}
	stacks          []wiring.ResolvedStack
	out             []Path
}

// arn is the ARN of resource (such as "function:f") of service in the
// site's account and region.
func (s *site) arn(service, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", partitionOf(s.region), service, s.region, s.account, resource)
}

func (s *site) opt(key string) string { return str(s.cfg[key]) }

// call adds a request of the actor; external marks a resource that the
// team may own outside the assembly (see Path.External).
func (s *site) call(what, action, resource string, ctx map[string][]string, external bool) {
	s.out = append(s.out, Path{What: what, External: external,
		Request: Request{Principal: s.actor, Action: action, Resource: resource, Context: ctx}})
}

// unnamed marks the last call's resource as ending in a stand-in of n
// bytes for a name the run makes (see Path.Unnamed).
func (s *site) unnamed(n int) { s.out[len(s.out)-1].Unnamed = n }

// DeployCalls are the calls that the role of one action of category and
// provider (such as "Deploy", "ECS") makes on its provider's side when it
// runs, for a check made before any template exists: actor is the
// action's role, account and region where it calls, cfg the action's
// configuration as CodePipeline takes it (ClusterName, ServiceName,
// ApplicationName, BucketName ...). They are the calls PipelinePaths
// models for the action (providerCalls, each citing the CodePipeline action
// reference's "Service role permissions"), with the names the run makes
// marked in Path.Unnamed; a deployment group's config, which only the
// assembly holds, is one of them. nil for a type without provider calls.
func DeployCalls(category, provider string, actor Principal, account, region string, cfg map[string]interface{}) []Path {
	calls, ok := providerCalls[category+"/"+provider]
	if !ok {
		return nil
	}
	s := &site{actor: actor, account: account, region: region, cfg: cfg}
	calls(s)
	return s.out
}

// providerCalls maps an action type (Category/Provider) to the calls its
// role makes on the provider's side at run time, beyond the artifact store
// that PipelinePaths models for every action. Each function cites the
// CodePipeline action reference's "Service role permissions" for its
// provider; where that page lists a call on "*" the call is on "*".
var providerCalls = map[string]func(s *site){
	"Source/CodeStarSourceConnection":     connectionCalls,
	"Source/CodeCommit":                   codeCommitCalls,
	"Source/S3":                           s3SourceCalls,
	"Source/ECR":                          ecrSourceCalls,
	"Build/CodeBuild":                     codeBuildCalls,
	"Test/CodeBuild":                      codeBuildCalls,
	"Deploy/CloudFormation":               func(s *site) { s.out = append(s.out, changeSetCalls(s.actor, s.region, s.cfg)...) },
	"Deploy/CloudFormationStackSet":       stackSetCalls,
	"Deploy/CloudFormationStackInstances": stackInstancesCalls,
	"Deploy/CodeDeploy":                   codeDeployCalls,
	"Deploy/CodeDeployToECS":              codeDeployToECSCalls,
	"Deploy/ECS":                          ecsCalls,
	"Deploy/S3":                           s3DeployCalls,
	"Invoke/Lambda":                       lambdaCalls,
	"Invoke/StepFunctions":                stepFunctionsCalls,
	"Approval/Manual":                     approvalCalls,
}

// ProviderCalled reports whether PipelinePaths models the provider calls
// of actions of category and provider (such as "Deploy", "ECS").
func ProviderCalled(category, provider string) bool {
	_, ok := providerCalls[category+"/"+provider]
	return ok
}

// connectionCalls: a CodeStarSourceConnection action uses its connection
// (codestar-connections:UseConnection, or codeconnections:UseConnection for
// a connection ARN of the codeconnections service), and the request names
// the repository and branch in the condition keys FullRepositoryId and
// BranchName
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html,
// "Service role permissions"; the keys:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodeconnections.html).
func connectionCalls(s *site) {
	conn := s.opt("ConnectionArn")
	parts, _ := ArnParts(conn)
	service := parts[2]
	if service == "" {
		service = "codestar-connections"
	}
	ctx := map[string][]string{service + ":FullRepositoryId": {s.opt("FullRepositoryId")}}
	if b := s.opt("BranchName"); b != "" {
		ctx[service+":BranchName"] = []string{b}
	}
	s.call("uses the connection for "+s.opt("FullRepositoryId"), service+":UseConnection", conn, ctx, true)
}

// codeCommitCalls: a CodeCommit source action reads the branch and commit
// and has CodeCommit archive the commit, on the repository in its role's
// account and the action's region: codecommit:GetBranch, GetCommit,
// UploadArchive, GetUploadArchiveStatus and CancelUploadArchive
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeCommit.html,
// "Service role permissions", and the default service role policy of
// https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html).
func codeCommitCalls(s *site) {
	repo := s.arn("codecommit", s.opt("RepositoryName"))
	for _, a := range []string{"GetBranch", "GetCommit", "UploadArchive", "GetUploadArchiveStatus", "CancelUploadArchive"} {
		s.call("reads repository "+s.opt("RepositoryName")+" ("+a+")", "codecommit:"+a, repo, nil, true)
	}
}

// s3SourceCalls: an S3 source action checks the bucket's versioning and
// reads the object's version, over TLS: s3:GetBucketVersioning on the
// bucket, s3:GetObject and s3:GetObjectVersion on the object
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html,
// "Service role permissions"). The bucket is the team's: its policy is
// not known here (see Path.External).
func s3SourceCalls(s *site) {
	bucket := "arn:" + partitionOf(s.region) + ":s3:::" + s.opt("S3Bucket")
	tls := map[string][]string{"aws:SecureTransport": {"true"}}
	s.call("checks the versioning of source bucket "+s.opt("S3Bucket"), "s3:GetBucketVersioning", bucket, tls, true)
	for _, a := range []string{"s3:GetObject", "s3:GetObjectVersion"} {
		s.call("reads source object "+s.opt("S3ObjectKey"), a, bucket+"/"+s.opt("S3ObjectKey"), tls, true)
	}
}

// ecrSourceCalls: an ECR source action describes the images of its
// repository, in its role's account and the action's region
// (ecr:DescribeImages;
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECR.html,
// "Service role permissions").
func ecrSourceCalls(s *site) {
	s.call("describes the images of repository "+s.opt("RepositoryName"), "ecr:DescribeImages",
		s.arn("ecr", "repository/"+s.opt("RepositoryName")), nil, true)
}

// cloneCalls are the calls a CodeBuild project's role makes to clone the
// source of a clone-reference artifact (OutputArtifactFormat
// CODEBUILD_CLONE_REF): UseConnection on the connection of a
// CodeStarSourceConnection source, with the repository and branch keys of
// connectionCalls
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html,
// "Full clone"), or codecommit:GitPull on the repository of a CodeCommit
// source
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeCommit.html,
// "Full clone"), in the source's region.
func cloneCalls(s *site, provider string) {
	switch provider {
	case "CodeStarSourceConnection":
		connectionCalls(s)
	case "CodeCommit":
		s.call("pulls repository "+s.opt("RepositoryName"), "codecommit:GitPull", s.arn("codecommit", s.opt("RepositoryName")), nil, true)
	}
}

// codeBuildCalls: a CodeBuild action starts a build of its project and
// polls it (codebuild:StartBuild, codebuild:BatchGetBuilds), or with
// BatchEnabled a batch build (StartBuildBatch, BatchGetBuildBatches), on
// the project in its role's account
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html,
// "Service role permissions").
func codeBuildCalls(s *site) {
	project := s.arn("codebuild", "project/"+s.opt("ProjectName"))
	calls := []string{"StartBuild", "BatchGetBuilds"}
	if strings.EqualFold(s.opt("BatchEnabled"), "true") {
		calls = []string{"StartBuildBatch", "BatchGetBuildBatches"}
	}
	for _, a := range calls {
		s.call("runs project "+s.opt("ProjectName")+" ("+a+")", "codebuild:"+a, project, nil, false)
	}
}

// stackSetID stands for the ID that CloudFormation gives a stack set, the
// last part of its ARN (stackset/name:id).
const stackSetID = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"

func (s *site) stackSet() string {
	return s.arn("cloudformation", "stackset/"+s.opt("StackSetName")+":"+stackSetID)
}

// stackSetCalls: a CloudFormationStackSet action describes its stack set,
// creates it on the first run and updates it on later ones, creates the
// stack instances of DeploymentTargets, lists them and follows the
// operation (cloudformation:DescribeStackSet, CreateStackSet,
// UpdateStackSet, CreateStackInstances, ListStackInstances,
// DescribeStackSetOperation), on the stack set in its role's account and
// region; with the SELF_MANAGED model and AdministrationRoleArn it passes
// that role to CloudFormation (iam:PassRole with iam:PassedToService
// cloudformation.amazonaws.com)
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StackSets.html,
// "Service role permissions: CloudFormationStackSet action" and
// "Permissions models for stack set operations").
func stackSetCalls(s *site) {
	set := s.stackSet()
	name := s.opt("StackSetName")
	for _, a := range []string{"DescribeStackSet", "CreateStackSet", "UpdateStackSet", "CreateStackInstances", "ListStackInstances", "DescribeStackSetOperation"} {
		s.call("deploys stack set "+name+" ("+a+")", "cloudformation:"+a, set, nil, false)
	}
	if admin := s.opt("AdministrationRoleArn"); admin != "" && s.opt("PermissionModel") != "SERVICE_MANAGED" {
		s.call("passes the administration role "+admin+" to CloudFormation", "iam:PassRole", admin,
			map[string][]string{"iam:PassedToService": {"cloudformation.amazonaws.com"}}, false)
	}
}

// stackInstancesCalls: a CloudFormationStackInstances action creates (or
// updates) the stack instances of DeploymentTargets and follows the
// operation (cloudformation:CreateStackInstances,
// DescribeStackSetOperation) on its stack set
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StackSets.html,
// "Service role permissions: CloudFormationStackInstances action").
func stackInstancesCalls(s *site) {
	set := s.stackSet()
	for _, a := range []string{"CreateStackInstances", "DescribeStackSetOperation"} {
		s.call("deploys the instances of stack set "+s.opt("StackSetName")+" ("+a+")", "cloudformation:"+a, set, nil, false)
	}
}

// codeDeployCalls: a CodeDeploy action reads the application, registers
// the revision and reads it back, creates a deployment of the deployment
// group and polls it, and reads the group's deployment config
// (codedeploy:GetApplication, RegisterApplicationRevision,
// GetApplicationRevision on the application; CreateDeployment and
// GetDeployment on the deployment group; GetDeploymentConfig on the
// config), in its role's account and region
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeDeploy.html,
// "Service role permissions: AWS CodeDeploy action"; resource types:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html).
// The config is the group's DeploymentConfigName when the assembly creates
// the group, else CodeDeploy's default, CodeDeployDefault.OneAtATime.
func codeDeployCalls(s *site) { s.codeDeploy("CodeDeployDefault.OneAtATime") }

func (s *site) codeDeploy(defaultConfig string) {
	app, group := s.opt("ApplicationName"), s.opt("DeploymentGroupName")
	config, known := defaultConfig, false
	for _, st := range s.stacks {
		for _, r := range st.Resources {
			p := r.Properties
			if r.Type == "AWS::CodeDeploy::DeploymentGroup" && str(p["ApplicationName"]) == app && str(p["DeploymentGroupName"]) == group {
				known = true
				if c := str(p["DeploymentConfigName"]); c != "" {
					config = c
				}
			}
		}
	}
	for _, a := range []string{"GetApplication", "RegisterApplicationRevision", "GetApplicationRevision"} {
		s.call("registers the revision in application "+app+" ("+a+")", "codedeploy:"+a, s.arn("codedeploy", "application:"+app), nil, false)
	}
	for _, a := range []string{"CreateDeployment", "GetDeployment"} {
		s.call("deploys to deployment group "+app+"/"+group+" ("+a+")", "codedeploy:"+a, s.arn("codedeploy", "deploymentgroup:"+app+"/"+group), nil, false)
	}
	s.call("reads deployment config "+config, "codedeploy:GetDeploymentConfig", s.arn("codedeploy", "deploymentconfig:"+config), nil, false)
	if !known {
		s.unnamed(len(config))
	}
}

// taskDefinitionFamily stands for the family of the task definition that
// an ECS action registers: the service's, which the configuration does not
// name.
const taskDefinitionFamily = "relay-task-family"

// registerTaskDefinition: RegisterTaskDefinition takes no resource-level
// permission ("*"); tagging the new revision on creation is
// ecs:TagResource on it with ecs:CreateAction RegisterTaskDefinition
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html).
func (s *site) registerTaskDefinition() {
	s.call("registers a task definition revision", "ecs:RegisterTaskDefinition", "*", nil, false)
	s.call("tags the task definition revision it registers", "ecs:TagResource",
		s.arn("ecs", "task-definition/"+taskDefinitionFamily+":2"),
		map[string][]string{"ecs:CreateAction": {"RegisterTaskDefinition"}}, false)
	s.unnamed(len(taskDefinitionFamily + ":2"))
}

// codeDeployToECSCalls: a CodeDeployToECS action makes the CodeDeploy
// action's calls (its config defaulting to CodeDeployDefault.ECSAllAtOnce)
// and registers the task definition of TaskDefinitionTemplatePath, tagged
// on creation (ecs:RegisterTaskDefinition, ecs:TagResource)
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html,
// "Service role permissions"). The task definition's roles, which it
// passes (iam:PassRole to ecs-tasks.amazonaws.com), are in the artifact,
// not the configuration: they are not modelled.
func codeDeployToECSCalls(s *site) {
	s.codeDeploy("CodeDeployDefault.ECSAllAtOnce")
	s.registerTaskDefinition()
}

// ecsCalls: an ECS (standard) deploy action describes the service and its
// task definition, registers a revision with the images of the image
// definitions file (tagged on creation), updates the service, and follows
// the deployment's tasks (ecs:DescribeServices and UpdateService on the
// service; DescribeTaskDefinition and RegisterTaskDefinition on "*";
// TagResource; ListTasks and DescribeTasks in the cluster, carrying
// ecs:cluster), in its role's account and region
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html,
// "Service role permissions: Amazon ECS standard action", and the minimum
// ECS permissions of
// https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html,
// which list DescribeTasks and ListTasks; TagResource joined that list
// with ECS tagging authorization, without which the action fails, as
// aws/aws-cdk#25768 and #29400 report; ecs:cluster:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
// The task definition's roles, which it passes to ecs-tasks.amazonaws.com,
// are the service's, not the configuration's: they are not modelled.
func ecsCalls(s *site) {
	cluster, service := s.opt("ClusterName"), s.opt("ServiceName")
	svc := s.arn("ecs", "service/"+cluster+"/"+service)
	inCluster := map[string][]string{"ecs:cluster": {s.arn("ecs", "cluster/"+cluster)}}
	s.call("describes service "+cluster+"/"+service, "ecs:DescribeServices", svc, nil, false)
	s.call("describes the service's task definition", "ecs:DescribeTaskDefinition", "*", nil, false)
	s.registerTaskDefinition()
	s.call("updates service "+cluster+"/"+service, "ecs:UpdateService", svc, nil, false)
	s.call("lists the deployment's tasks in cluster "+cluster, "ecs:ListTasks", s.arn("ecs", "container-instance/"+cluster+"/"+stackID), inCluster, false)
	s.unnamed(len(stackID))
	s.call("describes the deployment's tasks in cluster "+cluster, "ecs:DescribeTasks", s.arn("ecs", "task/"+cluster+"/"+stackID), inCluster, false)
	s.unnamed(len(stackID))
}

// s3DeployCalls: an S3 deploy action writes the input artifact's files
// under ObjectKey (Extract true) or the artifact as the object ObjectKey,
// over TLS (s3:PutObject); with CannedACL each upload sets the ACL
// (s3:PutObjectAcl); with KMSEncryptionKeyARN each upload is SSE-KMS with
// that key, which needs kms:GenerateDataKey on it through S3, and a
// multipart upload (a large file) kms:Decrypt too, since S3 decrypts the
// data key to add each part
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html,
// "Service role permissions"; SSE-KMS:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html;
// multipart: https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions).
// The bucket and key are the team's (see Path.External).
func s3DeployCalls(s *site) {
	bucket, key := s.opt("BucketName"), strings.TrimSuffix(s.opt("ObjectKey"), "/")
	object, unnamed := key, 0
	if strings.EqualFold(s.opt("Extract"), "true") {
		// The build output's files: index.html stands for each.
		object, unnamed = strings.TrimPrefix(key+"/index.html", "/"), len("index.html")
	}
	res := "arn:" + partitionOf(s.region) + ":s3:::" + bucket + "/" + object
	ctx := map[string][]string{"aws:SecureTransport": {"true"}}
	kmsKey := s.opt("KMSEncryptionKeyARN")
	if kmsKey != "" {
		ctx["s3:x-amz-server-side-encryption"] = []string{"aws:kms"}
		ctx["s3:x-amz-server-side-encryption-aws-kms-key-id"] = []string{kmsKey}
	}
	s.call("uploads "+object+" to bucket "+bucket, "s3:PutObject", res, ctx, true)
	s.unnamed(unnamed)
	if acl := s.opt("CannedACL"); acl != "" {
		s.call("sets the canned ACL "+acl+" of "+object, "s3:PutObjectAcl", res,
			map[string][]string{"aws:SecureTransport": {"true"}, "s3:x-amz-acl": {acl}}, true)
		s.unnamed(unnamed)
	}
	if kmsKey != "" {
		viaS3 := map[string][]string{"kms:ViaService": {"s3." + s.region + ".amazonaws.com"}}
		s.call("encrypts the uploads with "+kmsKey, "kms:GenerateDataKey", kmsKey, viaS3, true)
		s.call("adds the parts of a multipart upload encrypted with "+kmsKey, "kms:Decrypt", kmsKey, viaS3, true)
	}
}

// lambdaCalls: a Lambda invoke action lists the functions (on "*") and
// invokes FunctionName, a name in its role's account and region or an ARN
// (lambda:ListFunctions, lambda:InvokeFunction)
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Lambda.html,
// "Service role permissions: Lambda action", and the default service role
// policy of
// https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html).
func lambdaCalls(s *site) {
	fn := s.opt("FunctionName")
	arn := fn
	if !strings.HasPrefix(fn, "arn:") {
		arn = s.arn("lambda", "function:"+fn)
	}
	s.call("lists the functions", "lambda:ListFunctions", "*", nil, false)
	s.call("invokes function "+fn, "lambda:InvokeFunction", arn, nil, false)
}

// stepFunctionsCalls: a Step Functions invoke action describes the state
// machine, starts an execution named ExecutionNamePrefix-<action
// execution ID> and polls it (states:DescribeStateMachine and
// StartExecution on StateMachineArn, DescribeExecution on the execution)
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html,
// "Service role permissions").
func stepFunctionsCalls(s *site) {
	machine := s.opt("StateMachineArn")
	parts, _ := ArnParts(machine)
	name := strings.TrimPrefix(parts[5], "stateMachine:")
	execution := fmt.Sprintf("arn:%s:states:%s:%s:execution:%s:%s", parts[1], parts[3], parts[4], name,
		strings.TrimPrefix(s.opt("ExecutionNamePrefix")+"-"+stackID, "-"))
	s.call("describes state machine "+name, "states:DescribeStateMachine", machine, nil, false)
	s.call("starts an execution of "+name, "states:StartExecution", machine, nil, false)
	s.call("follows the execution of "+name, "states:DescribeExecution", execution, nil, false)
	s.unnamed(len(stackID))
}

// approvalCalls: a manual approval action with NotificationArn publishes
// to the topic (sns:Publish, over TLS)
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-service-role-permissions.html);
// a topic of the assembly with KmsMasterKeyId needs the publisher to
// generate a data key and decrypt with that key through SNS
// (kms:GenerateDataKey and kms:Decrypt with kms:ViaService
// sns.<region>.amazonaws.com;
// https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
func approvalCalls(s *site) {
	topic := s.opt("NotificationArn")
	if topic == "" {
		return
	}
	s.call("publishes the approval request to "+topic, "sns:Publish", topic, map[string][]string{"aws:SecureTransport": {"true"}}, false)
	for _, st := range s.stacks {
		for _, r := range st.Resources {
			if r.Type != "AWS::SNS::Topic" || r.Ref != topic {
				continue
			}
			key := str(r.Properties["KmsMasterKeyId"])
			if key == "" {
				continue
			}
			if !strings.HasPrefix(key, "arn:") {
				key = fmt.Sprintf("arn:%s:kms:%s:%s:%s", partitionOf(st.Region), st.Region, st.Account, key)
			}
			via := map[string][]string{"kms:ViaService": {"sns." + st.Region + ".amazonaws.com"}}
			s.call("encrypts the approval request with the topic's key", "kms:GenerateDataKey", key, via, false)
			s.call("decrypts the topic's data key", "kms:Decrypt", key, via, false)
		}
	}
}

// RulePaths are the accesses of the EventBridge rules of stacks that start
// a pipeline: EventBridge assumes each rule target's role (sts:AssumeRole
// by events.amazonaws.com, with aws:SourceArn the rule and aws:SourceAccount
// its account), and the role starts the pipeline
// (codepipeline:StartPipelineExecution on the target's ARN)
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html
// and https://docs.aws.amazon.com/codepipeline/latest/userguide/create-cwe-ecr-source-cfn.html).
// A rule without a Name gets the name CloudFormation generates, stood for
// here by <stack>-<logical ID>-<suffix>.
func RulePaths(stacks []wiring.ResolvedStack) []Path {
	var out []Path
	for _, st := range stacks {
		for _, id := range sortedIDs(st.Resources) {
			r := st.Resources[id]
			if r.Type != "AWS::Events::Rule" {
				continue
			}
			name := str(r.Properties["Name"])
			if name == "" {
				name = st.Name + "-" + id + "-A1B2C3D4E5F6"
			}
			if bus := str(r.Properties["EventBusName"]); bus != "" && bus != "default" {
				name = bus + "/" + name
			}
			rule := fmt.Sprintf("arn:%s:events:%s:%s:rule/%s", partitionOf(st.Region), st.Region, st.Account, name)
			for _, raw := range list(r.Properties["Targets"]) {
				tg, _ := raw.(map[string]interface{})
				role, target := str(tg["RoleArn"]), str(tg["Arn"])
				if role == "" || !strings.Contains(target, ":codepipeline:") {
					continue
				}
				what := fmt.Sprintf("%s/%s: rule %s", st.Name, id, name)
				out = append(out,
					Path{What: what + ": EventBridge assumes the target's role", Request: Request{
						Principal: Principal{Service: "events.amazonaws.com"}, Action: "sts:AssumeRole", Resource: role,
						Context: map[string][]string{"aws:SourceArn": {rule}, "aws:SourceAccount": {st.Account}}}},
					Path{What: what + ": the role starts pipeline " + target, Request: Request{
						Principal: Principal{ARN: role}, Action: "codepipeline:StartPipelineExecution", Resource: target}})
			}
		}
	}
	return out
}
