package pipeline

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/plan"
	"github.com/relaycdk/relay/constructs/target"
	"github.com/relaycdk/relay/internal/iameval"
)

// checkDeployGrants checks, for each deployment wired by reference, that
// the deploy role of its target may make the calls that each release
// action other than CloudFormation makes as that role, in the action's
// region and the target's account: those internal/iameval models from the
// CodePipeline action reference's "Service role permissions" (iameval.DeployCalls:
// ECS, CodeDeployToECS, CodeDeploy and S3 deploy actions; README "What a
// run may call"), and for a Helm step, which assumes the deploy role,
// eks:DescribeCluster on the cluster (aws eks update-kubeconfig,
// https://docs.aws.amazon.com/eks/latest/userguide/create-kubeconfig.html).
// The target grants those calls only through its DeployStatements (its
// own statements are for CloudFormation and the artifact store), and an
// action they do not grant fails with AccessDenied when it runs. A
// statement's conditions are not read (one that names the call counts as
// granting), an action or resource given as a token counts as granting,
// a call on a resource given as a token is not judged, and a name the run
// makes (a task definition revision, a task, an uploaded file, the
// deployment group's config) is granted by any resource that can match
// it (iameval.Policy.Granted). A GitOps step runs in the pipeline's
// account and makes no call as the target's roles. pipelineRegion is the
// region of an action without one ("" when not known).
func (p *Props) checkDeployGrants(pipelineRegion string, planned *plan.Pipeline, refs []wired) []error {
	var errs []error
	seen := map[string]bool{}
	for _, w := range wiredActions(planned, refs) {
		a, t := w.action, w.target
		if t.DeployRoleArn() == "" {
			continue
		}
		tp := t.Props()
		role, region := a.RoleArn, cmp.Or(a.Region, pipelineRegion)
		var category, provider, value, fix string
		cfg := map[string]interface{}{}
		switch k := a.Kind.(type) {
		case *plan.DeployECS:
			category, provider, value = "Deploy", "ECS", k.Release.Cluster+"/"+k.Release.Service
			cfg["ClusterName"], cfg["ServiceName"] = k.Release.Cluster, k.Release.Service
		case *plan.DeployECSBlueGreen:
			category, provider, value = "Deploy", "CodeDeployToECS", k.Release.Application+"/"+k.Release.DeploymentGroup
			cfg["ApplicationName"], cfg["DeploymentGroupName"] = k.Release.Application, k.Release.DeploymentGroup
			fix = " (codedeploy.ECSProps.DeployStatements, or ExistingGroup.DeployStatements, gives them)"
		case *plan.DeployCodeDeploy:
			category, provider, value = "Deploy", "CodeDeploy", k.Release.Application+"/"+k.Release.DeploymentGroup
			cfg["ApplicationName"], cfg["DeploymentGroupName"] = k.Release.Application, k.Release.DeploymentGroup
			fix = " (codedeploy.ServerProps.DeployStatements, or ExistingGroup.DeployStatements, gives them)"
		case *plan.DeployS3:
			category, provider, value = "Deploy", "S3", k.Release.Bucket
			cfg["BucketName"], cfg["ObjectKey"], cfg["Extract"] = k.Release.Bucket, k.Release.ObjectKey, fmt.Sprint(k.Release.Extract)
			if k.Release.KMSKeyArn != "" {
				cfg["KMSEncryptionKeyARN"] = k.Release.KMSKeyArn
			}
		case *plan.HelmStep:
			role, region, value = k.AssumeRoleArn, k.Region, k.Release.Cluster
		default:
			continue
		}
		if role == "" || role != t.DeployRoleArn() || region == "" || arns.IsToken(region) || arns.IsToken(tp.Account) {
			continue
		}
		actor := iameval.Principal{ARN: role}
		var calls []iameval.Path
		if provider != "" {
			calls = iameval.DeployCalls(category, provider, actor, tp.Account, region, cfg)
		} else {
			calls = []iameval.Path{{Request: iameval.Request{Principal: actor, Action: "eks:DescribeCluster",
				Resource: fmt.Sprintf("arn:%s:eks:%s:%s:cluster/%s", tp.Partition, region, tp.Account, value)}}}
		}
		granted := statementsPolicy("DeployStatements", tp.DeployStatements)
		// The calls not granted, their actions joined by resource.
		var missing, resources []string
		actions := map[string][]string{}
		for _, c := range calls {
			if arns.IsToken(c.Request.Resource) || granted.Granted(c) {
				continue
			}
			res := c.Request.Resource
			if c.Unnamed > 0 {
				res = res[:len(res)-c.Unnamed] + "*"
			}
			if _, ok := actions[res]; !ok {
				resources = append(resources, res)
			}
			actions[res] = append(actions[res], c.Request.Action)
		}
		for _, res := range resources {
			missing = append(missing, strings.Join(actions[res], ", ")+" on "+res)
		}
		if len(missing) == 0 || seen[a.Field+strings.Join(missing, "")] {
			continue
		}
		seen[a.Field+strings.Join(missing, "")] = true
		errs = append(errs, fmt.Errorf("%s %q: the action %s runs as the deploy role of the target %s, whose DeployStatements do not grant %s, so it would fail with AccessDenied when it runs; add statements with them to that target's DeployStatements%s",
			a.Field, value, a.Name, *t.Node().Path(), strings.Join(missing, "; "), fix))
	}
	return errs
}

// statementsPolicy is a target's statements (DeployStatements,
// InvokeStatements), named name, as an identity policy for
// iameval.Policy.Granted: an action or resource given as a token counts as
// granting ("*"), and conditions are left out (Granted does not read them).
func statementsPolicy(name string, statements []target.Statement) iameval.Policy {
	anyIfToken := func(in []string) []string {
		out := make([]string, len(in))
		for i, s := range in {
			out[i] = s
			if arns.IsToken(s) {
				out[i] = "*"
			}
		}
		return out
	}
	p := iameval.Policy{Name: name}
	for _, st := range statements {
		p.Statements = append(p.Statements, iameval.Statement{Sid: st.Sid, Actions: anyIfToken(st.Actions), Resources: anyIfToken(st.Resources)})
	}
	return p
}

// checkHelmTrust checks, for each deployment wired by reference, that the
// deploy role of its target trusts the role of the deployment's Helm
// project, which assumes it (sts:AssumeRole) before it runs helm: the
// target's trust admits PipelineRoleArns and TrustedRoleArns only, by
// aws:PrincipalArn, so a Helm role it does not name is refused at the
// first run. The Helm role is at path / in the target's PipelineAccount
// (naming.Names.HelmRoleArn); a generated RoleName cannot be named by the
// target. A token among TrustedRoleArns counts as trusting.
func (p *Props) checkHelmTrust(planned *plan.Pipeline, refs []wired) []error {
	var errs []error
	seen := map[string]bool{}
	for _, w := range wiredActions(planned, refs) {
		a, t := w.action, w.target
		k, helm := a.Kind.(*plan.HelmStep)
		if !helm || k.AssumeRoleArn == "" || k.AssumeRoleArn != t.DeployRoleArn() || seen[a.Field] {
			continue
		}
		seen[a.Field] = true
		tp := t.Props()
		if arns.IsToken(tp.PipelineAccount) || slices.ContainsFunc(tp.TrustedRoleArns, arns.IsToken) {
			continue
		}
		path := *t.Node().Path()
		if k.Release.RoleName == "" {
			errs = append(errs, fmt.Errorf("%s.RoleName: generated, so the target %s cannot name the Helm project's role, which assumes its deploy role, and its trust (PipelineRoleArns, TrustedRoleArns) would refuse it when the step runs; set RoleName (naming.Names.HelmProject) and add the role's ARN (naming.Names.HelmRoleArn) to that target's TrustedRoleArns",
				a.Field, path))
			continue
		}
		role := fmt.Sprintf("arn:%s:iam::%s:role/%s", tp.Partition, tp.PipelineAccount, k.Release.RoleName)
		if arns.IsToken(k.Release.RoleName) || slices.Contains(tp.TrustedRoleArns, role) {
			continue
		}
		errs = append(errs, fmt.Errorf("%s.RoleName %q: the Helm project's role %s assumes the deploy role of the target %s, whose trust does not name it (TrustedRoleArns %s), so sts:AssumeRole would be refused when the step runs; add %s to that target's TrustedRoleArns",
			a.Field, k.Release.RoleName, role, path, cmp.Or(strings.Join(tp.TrustedRoleArns, ", "), "none"), role))
	}
	return errs
}
