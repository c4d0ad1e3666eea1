package iameval

import (
	"fmt"
	"sort"
	"strings"

	"github.com/relaycdk/relay/constructs/wiring"
)

// Path is one access that running a pipeline makes, as a request to
// authorize, with what it is for.
type Path struct {
	// What says which pipeline, stage and action make it, and why, such as
	// "payments/Build/Build: CodeBuild writes the output artifact BuildArtifact".
	What    string
	Request Request
	// External marks a request on a resource the team may own outside the
	// assembly (a source or site bucket, a key, a repository, a
	// connection): when the World holds no policy of it, AuthorizePath
	// takes AWS's default for it (no bucket policy; a key policy that
	// defers to its account's IAM policies), and places a bucket in the
	// principal's account.
	External bool
	// Unnamed is the number of bytes at the end of Request.Resource that
	// stand for a name the run makes and no configuration gives (a task
	// definition's revision, a task's or an execution's ID, an uploaded
	// file, the config of a deployment group outside the assembly): 0 when
	// the resource is exact. Granted reads such a resource as any name
	// after the rest; AuthorizePath judges the stand-in as written.
	Unnamed int
}

// PipelinePaths lists the accesses that every run of every
// AWS::CodePipeline::Pipeline of stacks makes to its artifact stores and
// roles, as AWS documents them:
//   - the pipeline role assumes each action's role (sts:AssumeRole);
//   - an action reads its input artifacts from the artifact store of its
//     region, and writes its output artifacts there, as its role (the
//     pipeline role when it has none); a CodeBuild action reads and writes
//     as its project's service role and names the key its project's
//     EncryptionKey names (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_Project.html);
//     anything else names the key as the store's EncryptionKey.Id
//     (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codepipeline-pipeline-encryptionkey.html);
//   - for an action in another region, the pipeline role copies its input
//     artifacts from the pipeline's store into that region's store
//     (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html);
//   - every write is s3:PutObject with SSE-KMS and kms:GenerateDataKey on
//     the key, every read s3:GetObject and kms:Decrypt, over TLS;
//   - every action makes the calls of its provider (providerCalls: one
//     function per action type, each citing the CodePipeline action
//     reference's "Service role permissions"), as its role (the pipeline
//     role when it has none), in its role's account and its region; a
//     CloudFormation action in a change-set mode makes those of
//     changeSetCalls, on its stack.
func PipelinePaths(stacks []wiring.ResolvedStack) []Path {
	var out []Path
	for _, st := range stacks {
		for _, id := range sortedIDs(st.Resources) {
			if r := st.Resources[id]; r.Type == "AWS::CodePipeline::Pipeline" {
				out = append(out, pipelinePaths(stacks, st, r)...)
			}
		}
	}
	return out
}

type store struct{ bucket, keyID string }

type project struct{ role, keyID string }

func pipelinePaths(stacks []wiring.ResolvedStack, st wiring.ResolvedStack, r wiring.ResolvedResource) []Path {
	props := r.Properties
	name := str(props["Name"])
	role := Principal{ARN: str(props["RoleArn"])}
	stores := map[string]store{}
	if s, ok := props["ArtifactStore"].(map[string]interface{}); ok {
		stores[st.Region] = storeOf(s)
	}
	for _, raw := range list(props["ArtifactStores"]) {
		m, _ := raw.(map[string]interface{})
		s, _ := m["ArtifactStore"].(map[string]interface{})
		stores[str(m["Region"])] = storeOf(s)
	}
	projects := map[string]project{}
	for _, res := range st.Resources {
		if res.Type == "AWS::CodeBuild::Project" {
			projects[res.Ref] = project{role: str(res.Properties["ServiceRole"]), keyID: str(res.Properties["EncryptionKey"])}
		}
	}
	var out []Path
	add := func(what string, req Request) {
		out = append(out, Path{What: fmt.Sprintf("%s: %s", wiring.Display(name), what), Request: req})
	}
	// CodePipeline keys an artifact's objects by the pipeline name's first
	// 20 characters and the artifact name's first 10 (such as
	// payments/SourceArti/Ab3xYz9), the key the project roles are granted.
	cut := func(s string, n int) string {
		if len(s) > n {
			return s[:n]
		}
		return s
	}
	object := func(s store, artifact string) string {
		return fmt.Sprintf("arn:%s:s3:::%s/%s/%s/object", partitionOf(st.Region), s.bucket, cut(name, 20), cut(artifact, 10))
	}
	read := func(what string, who Principal, region string, s store, artifact string) {
		tls := map[string][]string{"aws:SecureTransport": {"true"}}
		add(what, Request{Principal: who, Action: "s3:GetObject", Resource: object(s, artifact), Context: tls})
		add(what+" (decrypt)", Request{Principal: who, Action: "kms:Decrypt", Resource: s.keyID,
			Context: map[string][]string{"kms:ViaService": {"s3." + region + ".amazonaws.com"}}})
	}
	write := func(what string, who Principal, region string, s store, keyID, artifact string) {
		ctx := map[string][]string{"aws:SecureTransport": {"true"}, "s3:x-amz-server-side-encryption": {"aws:kms"}}
		if keyID != "" {
			ctx["s3:x-amz-server-side-encryption-aws-kms-key-id"] = []string{keyID}
		}
		add(what, Request{Principal: who, Action: "s3:PutObject", Resource: object(s, artifact), Context: ctx})
		add(what+" (encrypt)", Request{Principal: who, Action: "kms:GenerateDataKey", Resource: keyID,
			Context: map[string][]string{"kms:ViaService": {"s3." + region + ".amazonaws.com"}}})
	}
	home := stores[st.Region]
	cloneRefs := cloneRefSources(props)
	for _, rawStage := range list(props["Stages"]) {
		stage, _ := rawStage.(map[string]interface{})
		for _, rawAction := range list(stage["Actions"]) {
			a, _ := rawAction.(map[string]interface{})
			where := fmt.Sprintf("%s/%s", str(stage["Name"]), str(a["Name"]))
			region := str(a["Region"])
			if region == "" {
				region = st.Region
			}
			s, ok := stores[region]
			if !ok {
				add(where+": no artifact store in "+region, Request{Principal: role, Action: "s3:GetObject", Resource: "arn:aws:s3:::no-store-in-" + region + "/x"})
				continue
			}
			actor, keyID := role, s.keyID
			if arn := str(a["RoleArn"]); arn != "" {
				actor = Principal{ARN: arn}
				add(where+": the pipeline role assumes the action's role", Request{Principal: role, Action: "sts:AssumeRole", Resource: arn})
			}
			typ, _ := a["ActionTypeId"].(map[string]interface{})
			cfg, _ := a["Configuration"].(map[string]interface{})
			if calls, ok := providerCalls[str(typ["Category"])+"/"+str(typ["Provider"])]; ok {
				s := &site{actor: actor, account: actor.Account(), region: region, cfg: cfg, stacks: stacks}
				calls(s)
				for _, c := range s.out {
					c.What = where + ": " + c.What
					out = append(out, Path{What: fmt.Sprintf("%s: %s", wiring.Display(name), c.What), Request: c.Request, External: c.External})
				}
			}
			if str(typ["Provider"]) == "CodeBuild" {
				p, found := projects[str(cfg["ProjectName"])]
				if !found {
					continue // a project of another stack: its policies are not known here
				}
				actor, keyID = Principal{ARN: p.role}, p.keyID
				for _, in := range artifacts(a["InputArtifacts"]) {
					if src, ok := cloneRefs[in]; ok {
						srcRegion := src.region
						if srcRegion == "" {
							srcRegion = st.Region
						}
						cs := &site{actor: actor, account: actor.Account(), region: srcRegion, cfg: src.cfg}
						cloneCalls(cs, src.provider)
						for _, c := range cs.out {
							out = append(out, Path{What: fmt.Sprintf("%s: %s: the project clones input %s: %s", wiring.Display(name), where, in, c.What), Request: c.Request, External: c.External})
						}
					}
				}
			}
			for _, in := range artifacts(a["InputArtifacts"]) {
				if region != st.Region {
					read(fmt.Sprintf("%s: the pipeline role reads input %s to copy it to %s", where, in, region), role, st.Region, home, in)
					write(fmt.Sprintf("%s: the pipeline role copies input %s into the store of %s", where, in, region), role, region, s, s.keyID, in)
				}
				read(fmt.Sprintf("%s: reads input %s", where, in), actor, region, s, in)
			}
			for _, o := range artifacts(a["OutputArtifacts"]) {
				write(fmt.Sprintf("%s: writes output %s", where, o), actor, region, s, keyID, o)
			}
		}
	}
	return out
}

// cloneSource is a source action whose output artifact is a reference
// that CodeBuild clones (OutputArtifactFormat CODEBUILD_CLONE_REF).
type cloneSource struct {
	provider, region string
	cfg              map[string]interface{}
}

// cloneRefSources are the clone-reference source actions of a pipeline's
// properties by output artifact name.
func cloneRefSources(props map[string]interface{}) map[string]cloneSource {
	out := map[string]cloneSource{}
	for _, rawStage := range list(props["Stages"]) {
		stage, _ := rawStage.(map[string]interface{})
		for _, rawAction := range list(stage["Actions"]) {
			a, _ := rawAction.(map[string]interface{})
			cfg, _ := a["Configuration"].(map[string]interface{})
			if str(cfg["OutputArtifactFormat"]) != "CODEBUILD_CLONE_REF" {
				continue
			}
			typ, _ := a["ActionTypeId"].(map[string]interface{})
			for _, o := range artifacts(a["OutputArtifacts"]) {
				out[o] = cloneSource{provider: str(typ["Provider"]), region: str(a["Region"]), cfg: cfg}
			}
		}
	}
	return out
}

// stackID stands for the ID that CloudFormation gives a stack, the last
// part of its ARN.
const stackID = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"

// changeSetCalls are the calls that a CloudFormation action with
// configuration cfg makes as actor in region, on its stack in actor's
// account, per ActionMode
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html,
// "Service role permissions"):
//   - CHANGE_SET_REPLACE describes the stack, deletes the change set of
//     ChangeSetName if there is one, and creates it passing RoleArn: the
//     request carries cloudformation:RoleArn (the condition key of
//     CreateChangeSet,
//     https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html)
//     and passes the role to CloudFormation (iam:PassRole with
//     iam:PassedToService cloudformation.amazonaws.com); then it describes
//     the change set;
//   - CHANGE_SET_EXECUTE describes the change set and executes it (with
//     the role it was created with: ExecuteChangeSet takes no role), then
//     describes the stack and its events.
//
// Other modes (Relay writes none) make no call here.
func changeSetCalls(actor Principal, region string, cfg map[string]interface{}) []Path {
	stackName, execRole := str(cfg["StackName"]), str(cfg["RoleArn"])
	account := ""
	if parts := strings.SplitN(actor.ARN, ":", 6); len(parts) == 6 {
		account = parts[4]
	}
	stack := fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/%s", partitionOf(region), region, account, stackName, stackID)
	var out []Path
	call := func(what, action string, ctx map[string][]string) {
		out = append(out, Path{What: fmt.Sprintf("%s (stack %s in %s)", what, stackName, region), Request: Request{Principal: actor, Action: action, Resource: stack, Context: ctx}})
	}
	switch str(cfg["ActionMode"]) {
	case "CHANGE_SET_REPLACE":
		call("describes the stack", "cloudformation:DescribeStacks", nil)
		call("deletes the change set it replaces", "cloudformation:DeleteChangeSet", nil)
		var ctx map[string][]string
		if execRole != "" {
			ctx = map[string][]string{"cloudformation:RoleArn": {execRole}}
			out = append(out, Path{What: "passes the execution role " + execRole + " to CloudFormation",
				Request: Request{Principal: actor, Action: "iam:PassRole", Resource: execRole,
					Context: map[string][]string{"iam:PassedToService": {"cloudformation.amazonaws.com"}}}})
		}
		call("creates the change set passing its execution role", "cloudformation:CreateChangeSet", ctx)
		call("describes the change set", "cloudformation:DescribeChangeSet", nil)
	case "CHANGE_SET_EXECUTE":
		call("describes the change set", "cloudformation:DescribeChangeSet", nil)
		call("executes the change set", "cloudformation:ExecuteChangeSet", nil)
		call("describes the stack", "cloudformation:DescribeStacks", nil)
		call("reads the stack's events for the error message of a failed stack", "cloudformation:DescribeStackEvents", nil)
	}
	return out
}

func storeOf(s map[string]interface{}) store {
	key, _ := s["EncryptionKey"].(map[string]interface{})
	return store{bucket: str(s["Location"]), keyID: str(key["Id"])}
}

// artifacts are the names of an InputArtifacts or OutputArtifacts list,
// sorted.
func artifacts(v interface{}) []string {
	var out []string
	for _, raw := range list(v) {
		m, _ := raw.(map[string]interface{})
		if n := str(m["Name"]); n != "" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func str(v interface{}) string {
	s, _ := v.(string)
	return s
}

func list(v interface{}) []interface{} {
	l, _ := v.([]interface{})
	return l
}
