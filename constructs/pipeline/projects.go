package pipeline

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/internal/policy"
	"github.com/relaycdk/relay/constructs/internal/values"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/plan"
)

// The roles of the CodeBuild projects the pipeline runs: the build, the
// Test and Scan suites, and the GitOps and Helm steps. Each runs code from
// the repository (or a chart from the build output), so each gets its own
// role with only what its project does, written here: aws-cdk-lib's grants
// would let every project list, overwrite and delete every object of the
// artifact store (s3:List*, s3:DeleteObject*, s3:PutObject on bucket/*).
// The project receives an immutable view of its role, so those grants fall
// away; the statements below are the role's whole policy.
//
// CodePipeline stores an artifact under <pipeline name, first 20
// characters>/<artifact name, first 10 characters>/<random 7 characters>
// in the artifact bucket (AWS re:Post, "CodePipeline truncates folder names
// in output artifact S3 bucket"; the keys of CodeBuild's source-version, such
// as MyPipeline/SourceArti/1TspnN3). A project may read the objects of its
// input artifacts and write those of its output artifact only: no listing,
// no deletion, no other artifact.

// projectRole is the service role of one project and what it may do.
type projectRole struct {
	role    awsiam.Role
	project awscodebuild.PipelineProject
	// reads and writes are the artifacts the project reads and writes.
	reads, writes []string
	// findings are the cdk-nag findings of the role's wildcards, with
	// their reasons.
	findings map[string]string
}

// newProjectRole creates the service role of the project named name ("" for
// a generated name), trusted by CodeBuild for this account and project only
// (aws:SourceAccount, aws:SourceArn: CodeBuild documents both for its
// service roles). roleName names the role ("" for a generated name).
func (pl *Pipeline) newProjectRole(id, name, roleName, description string) *projectRole {
	project := "*"
	if name != "" {
		project = name
	}
	trust := awsiam.NewServicePrincipal(jsii.String("codebuild.amazonaws.com"), nil).WithConditions(&map[string]interface{}{
		"StringEquals": map[string]interface{}{"aws:SourceAccount": pl.stackAccount()},
		"ArnLike": map[string]interface{}{"aws:SourceArn": fmt.Sprintf("arn:%s:codebuild:%s:%s:project/%s",
			pl.props.Partition, pl.stackRegion(), pl.stackAccount(), project)},
	})
	role := awsiam.NewRole(pl.Construct, jsii.String(id+"Role"), &awsiam.RoleProps{
		// At path /: a CodeBuild project's service role with a path draws
		// CloudFormation's E3050 (it may be resolved by name).
		RoleName:    values.Optional(roleName),
		Description: jsii.String(description),
		AssumedBy:   trust,
	})
	return &projectRole{role: role, findings: map[string]string{}}
}

// newProject creates a CodeBuild project with an immutable view of r's role
// and of the artifact key: aws-cdk-lib's grants to the project change
// neither the role nor the key policy.
// Its description is shortened to CodeBuild's limit (projectDescription).
func (pl *Pipeline) newProject(id string, r *projectRole, props *awscodebuild.PipelineProjectProps) awscodebuild.PipelineProject {
	if props.Description != nil {
		props.Description = jsii.String(projectDescription(*props.Description))
	}
	props.Role = r.role.WithoutPolicyUpdates(nil)
	props.EncryptionKey = pl.keyView()
	project := awscodebuild.NewPipelineProject(pl.Construct, jsii.String(id), props)
	r.project = project
	pl.roles = append(pl.roles, r)
	return project
}

// keyView is a grant-free view of the artifact key.
func (pl *Pipeline) keyView() awskms.IKey {
	if pl.key == nil {
		pl.key = awskms.Key_FromKeyArn(pl.Construct, jsii.String("ArtifactKeyView"), pl.props.Store.Key().KeyArn())
	}
	return pl.key
}

// add adds a statement to the role.
func (r *projectRole) add(sid string, actions []string, resources []*string, conditions map[string]interface{}) {
	props := &awsiam.PolicyStatementProps{Sid: jsii.String(sid), Actions: jsii.Strings(actions...), Resources: &resources}
	if conditions != nil {
		props.Conditions = &conditions
	}
	r.role.AddToPolicy(awsiam.NewPolicyStatement(props))
}

// ArtifactPrefix is the folder of an artifact's objects in the artifact
// bucket: the pipeline name's first 20 characters, then the artifact name's
// first 10 ("*" for a generated pipeline name).
func ArtifactPrefix(pipelineName, artifact string) string {
	p := "*"
	if pipelineName != "" {
		p = truncate(pipelineName, 20)
	}
	return p + "/" + truncate(artifact, 10)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// objects is the ARN pattern of the objects of artifact in the bucket.
func (pl *Pipeline) objects(artifact string) *string {
	return awscdk.Fn_Join(jsii.String(""), &[]*string{pl.props.Store.Bucket().BucketArn(),
		jsii.String("/" + ArtifactPrefix(pl.props.PipelineName, artifact) + "/*")})
}

// objectFinding is cdk-nag's finding of objects(artifact).
func (pl *Pipeline) objectFinding(artifact string) string {
	return "Resource::<" + nag.LogicalID(pl.props.Store.Bucket()) + ".Arn>/" + ArtifactPrefix(pl.props.PipelineName, artifact) + "/*"
}

const reasonArtifactObjects = "CodePipeline names each execution's artifact objects <pipeline>/<artifact>/<random>: the role reads (or writes) the objects of its own input (or output) artifacts only, and may neither list nor delete objects."

// artifactStatements grant r its artifacts: read the input artifacts'
// objects (s3:GetObject, s3:GetObjectVersion) and decrypt them, write the
// output artifact's objects (s3:PutObject) and encrypt them; read the
// bucket's location and ACL, which CodeBuild checks. Nothing lists or
// deletes.
func (pl *Pipeline) artifactStatements(r *projectRole) {
	bucket := pl.props.Store.Bucket().BucketArn()
	key := pl.props.Store.Key().KeyArn()
	var reads, writes []*string
	for _, a := range values.SortedUnique(r.reads) {
		reads = append(reads, pl.objects(a))
		r.findings[pl.objectFinding(a)] = reasonArtifactObjects
	}
	for _, a := range values.SortedUnique(r.writes) {
		writes = append(writes, pl.objects(a))
		r.findings[pl.objectFinding(a)] = reasonArtifactObjects
	}
	r.add("LocateArtifactBucket", []string{"s3:GetBucketAcl", "s3:GetBucketLocation"}, []*string{bucket}, nil)
	if len(reads) > 0 {
		r.add("ReadInputArtifacts", []string{"s3:GetObject", "s3:GetObjectVersion"}, reads, nil)
	}
	kms := []string{"kms:Decrypt"}
	if len(writes) > 0 {
		r.add("WriteOutputArtifact", []string{"s3:PutObject"}, writes, nil)
		kms = []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}
	}
	r.add("UseArtifactKey", kms, []*string{key}, nil)
}

// logStatements let r's project write its build logs to the pipeline's
// log group.
func (pl *Pipeline) logStatements(r *projectRole) {
	r.add("WriteBuildLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"}, []*string{pl.logGroup.LogGroupArn()}, nil)
}

// connectionStatements let r use the connection of each full-clone
// connection source among its inputs, for that repository only
// (FullRepositoryId), with the action prefix of the connection ARN's
// service: codeconnections for arn:aws:codeconnections:, codestar-connections
// for arn:aws:codestar-connections: (AWS documents that the prefix must
// match the ARN).
func (pl *Pipeline) connectionStatements(r *projectRole, inputs []string) {
	for _, st := range connectionGrants(pl.connectionSources(inputs)) {
		r.role.AddToPolicy(st.PolicyStatement())
	}
}

// connectionSources are the full-clone connection sources among the
// artifacts inputs.
func (pl *Pipeline) connectionSources(inputs []string) []*plan.ConnectionSource {
	var out []*plan.ConnectionSource
	for _, a := range pl.plan.Stages[0].Actions {
		s, ok := a.Kind.(*plan.SourceAction).Source.(*plan.ConnectionSource)
		if ok && s.FullClone && len(a.Outputs) > 0 && contains(inputs, a.Outputs[0]) {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// connectionGrants are the UseConnection statements of sources: one per
// connection, with the prefix of its ARN's service and the repositories
// that use it (ForAllValues:StringEquals, the form AWS documents: a request
// without the key, such as listing the connection's repositories, passes).
func connectionGrants(sources []*plan.ConnectionSource) []policy.Statement {
	repos := map[string][]string{}
	var order []string
	for _, s := range sources {
		if _, ok := repos[s.ConnectionArn]; !ok {
			order = append(order, s.ConnectionArn)
		}
		repos[s.ConnectionArn] = append(repos[s.ConnectionArn], s.Owner+"/"+s.Repo)
	}
	var out []policy.Statement
	for i, arn := range values.SortedUnique(order) {
		prefix := ConnectionPrefix(arn)
		sid := "UseSourceConnection"
		if i > 0 {
			sid = fmt.Sprintf("UseSourceConnection%d", i+1)
		}
		out = append(out, policy.Statement{
			Sid:       sid,
			Actions:   []string{prefix + ":UseConnection"},
			Resources: []string{arn},
			Conditions: map[string]interface{}{
				"ForAllValues:StringEquals": map[string]interface{}{prefix + ":FullRepositoryId": values.OneOrMany(values.SortedUnique(repos[arn]))},
			},
		})
	}
	return out
}

// ConnectionPrefix is the IAM action prefix of a connection ARN's service:
// codestar-connections for arn:<partition>:codestar-connections:...,
// codeconnections otherwise.
func ConnectionPrefix(connectionArn string) string {
	if parts := strings.SplitN(connectionArn, ":", 4); len(parts) == 4 && parts[2] == "codestar-connections" {
		return "codestar-connections"
	}
	return "codeconnections"
}

// variableStatements let r read the SSM parameters and Secrets Manager
// secrets of its project's environment variables (aws-cdk-lib's grants for
// them fall away with the immutable role).
func (pl *Pipeline) variableStatements(r *projectRole, vars map[string]plan.BuildVariable) {
	var params, secrets []string
	for _, v := range vars {
		switch x := v.(type) {
		case plan.Parameter:
			name := string(x)
			if !strings.HasPrefix(name, "/") {
				name = "/" + name
			}
			params = append(params, fmt.Sprintf("arn:%s:ssm:%s:%s:parameter%s", pl.props.Partition, pl.stackRegion(), pl.stackAccount(), name))
		case plan.Secret:
			secrets = append(secrets, secretPattern(string(x)))
		}
	}
	if len(params) > 0 {
		r.add("ReadBuildParameters", []string{"ssm:GetParameters"}, *jsii.Strings(values.SortedUnique(params)...), nil)
	}
	pl.secretStatement(r, "ReadBuildSecrets", secrets)
}

// secretStatement lets r read secrets (patterns of secretPattern).
func (pl *Pipeline) secretStatement(r *projectRole, sid string, secrets []string) {
	if len(secrets) == 0 {
		return
	}
	r.add(sid, []string{"secretsmanager:GetSecretValue"}, *jsii.Strings(values.SortedUnique(secrets)...), nil)
	for _, s := range secrets {
		r.findings["Resource::"+s] = reasonSecrets
	}
}

const reasonSecrets = "A Secrets Manager variable names its secret by ARN, partial or complete; the pattern is that ARN followed by *, which matches that secret (and the random suffix of a partial ARN) only."

// secretPattern is the IAM resource of a Secrets Manager variable's value:
// the secret's ARN (without a JSON key, version stage or version ID)
// followed by *, as aws-cdk-lib grants it.
func secretPattern(v string) string {
	parts := strings.Split(v, ":")
	if len(parts) > 7 {
		parts = parts[:7]
	}
	return strings.Join(parts, ":") + "*"
}

// projectDescription is d cut to CodeBuild's limit of a project description
// (limits.CodeBuildDescription: 255 characters, API_Project), ending in
// "..." when cut. Descriptions name what the project reads (an S3 key of up
// to 1,024 characters, a buildspec path), so a long one would otherwise
// fail the project's creation.
func projectDescription(d string) string {
	most := limits.Max(limits.CodeBuildDescription)
	if utf8.RuneCountInString(d) <= most {
		return d
	}
	return string([]rune(d)[:most-3]) + "..."
}
