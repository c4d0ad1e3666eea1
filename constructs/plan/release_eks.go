package plan

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// EKSRelease releases to an EKS cluster: GitOps, Helm, or both (GitOps
// first). Both run as CodeBuild projects of the pipeline's account.
type EKSRelease struct {
	// GitOps commits a new value to a GitOps repository.
	GitOps *GitOpsRelease
	// Helm runs helm upgrade --install as the account's deploy role
	// (through an EKS access entry).
	Helm *HelmRelease
}

// GitOpsRelease sets Key in File of Repository to Value and pushes.
type GitOpsRelease struct {
	// Repository is an https clone URL. Required.
	Repository string
	// Branch is the branch to push to, a name git can hold
	// (https://git-scm.com/docs/git-check-ref-format) without #{, which
	// CodePipeline would read as a variable reference (New refuses others).
	// Default: main.
	Branch string
	// File is the values file in the repository. Required.
	File string
	// Key is a yq path. Default: .image.tag.
	Key string
	// Value may use variables. A pipeline variable (#{variables.NAME})
	// does not pass through the action's EnvironmentVariables: the step
	// reads it from GetPipelineExecution at run time and fills it in
	// (values.VariableTemplate), so Value must not hold that placeholder's
	// text, %{relay.variables. (New refuses it). Default: the primary source's commit ID
	// (#{SourceVariables.CommitId}) for a connection or CodeCommit source;
	// required with an S3 source, which has none, and with an ECR source,
	// whose ImageTag is the tag it watches, the same in every release
	// (#{SourceVariables.ImageDigest} with a digest Key changes with each
	// image).
	Value string
	// TokenSecret is the ARN of a Secrets Manager secret with a push token,
	// whose name is letters, digits and /_+=.@-
	// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html),
	// or a token: the GitOps project's role may read it only, by the ARN
	// followed by *, so New refuses * and ?, which IAM would read as
	// wildcards. Required.
	TokenSecret string
}

// HelmRelease is the direct Helm deploy step.
type HelmRelease struct {
	// Cluster is the EKS cluster, in the deployment's account and region.
	// Required.
	Cluster string
	// Release (a Helm release name) and Chart (a path in the build output,
	// not a URL) are required.
	Release, Chart string
	// Namespace is the Kubernetes namespace. Default: default.
	Namespace string
	// ValuesFile is a values file in the build output (not a URL).
	// Default: none.
	ValuesFile string
	// Set are values by Helm value path (such as image.tag), each passed
	// to helm as one literal string (--set-file): a comma or equals sign in
	// a value, or in what a variable such as #{variables.tag} resolves to,
	// stays in that value. Keys are 1 to 200 letters, digits and _.[]-.
	// A pipeline variable in a value is read by the step from
	// GetPipelineExecution at run time, not through the action's
	// EnvironmentVariables (values.VariableTemplate), so a value must not
	// hold that placeholder's text, %{relay.variables. (New refuses it).
	// Default: none.
	Set map[string]string
	// ProjectName and RoleName name the CodeBuild project of this
	// deployment's Helm step and its service role, which the deploy role
	// must trust (each deployment has its own, which may assume that
	// deployment's deploy role only). Default: generated. One project
	// serves all the deployment's regions and components: pipeline.Props
	// refuses a Helm release of the deployment that sets them otherwise.
	ProjectName, RoleName string
}

// GitOpsStep commits the release to the GitOps repository from the GitOps
// CodeBuild project (pipeline account).
type GitOpsStep struct{ Release *GitOpsRelease }

// HelmStep runs helm upgrade from the Helm CodeBuild project (pipeline
// account), as AssumeRoleArn for the cluster in Region of the target
// account.
type HelmStep struct {
	Release *HelmRelease
	// AssumeRoleArn is the deploy role the step assumes for the cluster.
	AssumeRoleArn string
	// Region is the cluster's region.
	Region string
}

// Type implements Kind.
func (*GitOpsStep) Type() ActionType { return ActionType{"Build", "CodeBuild"} }

// Type implements Kind.
func (*HelmStep) Type() ActionType { return ActionType{"Build", "CodeBuild"} }

func (*GitOpsStep) kind()    {}
func (*HelmStep) kind()      {}
func (*EKSRelease) release() {}

// usesDeployRole: the Helm step assumes the deploy role; GitOps alone needs
// nothing in the account.
func (x *EKSRelease) usesDeployRole() bool { return x.Helm != nil }

func (x *EKSRelease) withDefaults() Release {
	c := EKSRelease{}
	if g := x.GitOps; g != nil {
		gg := *g
		def(&gg.Branch, defaults.Branch)
		def(&gg.Key, defaults.GitOpsKey)
		c.GitOps = &gg
	}
	if h := x.Helm; h != nil {
		hh := *h
		def(&hh.Namespace, defaults.HelmNamespace)
		c.Helm = &hh
	}
	return &c
}

func (x *EKSRelease) validate(v *validator, field string) {
	if x.GitOps == nil && x.Helm == nil {
		v.add(field, ": set GitOps, Helm or both")
	}
	if g := x.GitOps; g != nil {
		if g.Repository == "" || g.File == "" || g.TokenSecret == "" {
			v.add(field+".GitOps", ": Repository, File and TokenSecret are required")
		} else if _, _, _, ok := values.SecretARN(g.TokenSecret); !ok && !arns.IsToken(g.TokenSecret) {
			// The GitOps project's role may read the token by its ARN
			// followed by * (ReadGitOpsToken).
			v.addf(field+".GitOps.TokenSecret", "%q: must be a Secrets Manager secret ARN, such as arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-token-AbCdEf, whose name is letters, digits and /_+=.@- (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html); the GitOps project's role may read it by its ARN, where * and ? would be IAM wildcards", g.TokenSecret)
		}
		if g.Value == "" {
			v.add(field+".GitOps.Value", ": "+defaults.GitOpsValueRequired)
		} else if strings.Contains(g.Value, values.VariablePlaceholderPrefix) {
			v.addf(field+".GitOps.Value", "%q: %s", g.Value, values.VariablePlaceholderRule)
		} else if rule := values.StepValueReferenceRule(g.Value, v.fixedSourceVariables()); rule != "" {
			v.addf(field+".GitOps.Value", "%q: %s", g.Value, rule)
		}
		// The key is part of a yq expression in the step's buildspec.
		if !values.YQPath(g.Key) {
			v.addf(field+".GitOps.Key", "%q: must be a yq path of keys, such as .image.tag", g.Key)
		}
		relativePath(v, field+".GitOps.File", g.File)
		if HasReference(g.Branch) {
			// CodePipeline would fill it in the action's
			// EnvironmentVariables: a run-time value, not a branch.
			v.addf(field+".GitOps.Branch", "%q: %s", g.Branch, values.BranchReferenceRule)
		} else if g.Branch != "" && !values.GitBranch(g.Branch) {
			// No repository has it: the step's clone and push would fail.
			v.addf(field+".GitOps.Branch", "%q: is not a git branch name (https://git-scm.com/docs/git-check-ref-format), so the GitOps step's clone would fail; write it as git shows it", g.Branch)
		}
		// The step puts the token in the clone URL's user info: a URL
		// with its own (https://github.com@evil.example/x.git) would send
		// the token to another host.
		if u, err := url.Parse(g.Repository); g.Repository != "" && (err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || strings.ContainsAny(g.Repository, "@ \t\n")) {
			v.addf(field+".GitOps.Repository", "%q: must be an https clone URL without credentials, such as https://github.com/acme/gitops.git", g.Repository)
		}
	}
	if h := x.Helm; h != nil {
		if !values.EKSClusterName(h.Cluster) {
			v.addf(field+".Helm.Cluster", "%q: must be an EKS cluster name", h.Cluster)
		}
		if !values.HelmReleaseName(h.Release) || h.Chart == "" {
			v.addf(field+".Helm", "%q: Release (a Helm release name) and Chart are required", h.Release)
		}
		relativePath(v, field+".Helm.Chart", h.Chart)
		if h.ValuesFile != "" {
			relativePath(v, field+".Helm.ValuesFile", h.ValuesFile)
		}
		// helm takes a chart reference (oci://, https://) and a values
		// file as a URL as well, and would deploy what it fetches.
		if isURL(h.Chart) {
			v.addf(field+".Helm.Chart", "%q: is a URL, which helm would fetch when the step runs instead of reading the build output; give the path of the chart in the build output (package or vendor the chart in the build)", h.Chart)
		}
		if isURL(h.ValuesFile) {
			v.addf(field+".Helm.ValuesFile", "%q: is a URL, which helm would fetch when the step runs instead of reading the build output; give the path of the values file in the build output", h.ValuesFile)
		}
		if !values.KubernetesNamespace(h.Namespace) {
			v.addf(field+".Helm.Namespace", "%q: must be a Kubernetes namespace: 1 to 63 lowercase letters, digits and -", h.Namespace)
		} else if values.KubernetesSystemNamespace(h.Namespace) {
			v.addf(field+".Helm.Namespace", "%q: %s", h.Namespace, values.KubernetesSystemNamespaceRule)
		}
		for _, k := range slices.Sorted(maps.Keys(h.Set)) {
			// Keys reach helm's command line (the values go through files).
			if !values.HelmValuePath(k) {
				v.addf(field+".Helm.Set", "key %q: must be a Helm value path of at most 200 characters: names of letters, digits, _ and - joined by dots, each with optional list indexes, such as image.tag or hosts[0].name", k)
			}
			if strings.Contains(h.Set[k], values.VariablePlaceholderPrefix) {
				v.addf(field+".Helm.Set", "key %q value %q: %s", k, h.Set[k], values.VariablePlaceholderRule)
			} else if rule := values.StepValueReferenceRule(h.Set[k], v.fixedSourceVariables()); rule != "" {
				v.addf(field+".Helm.Set", "key %q value %q: %s", k, h.Set[k], rule)
			}
		}
	}
}

// actions are the GitOps step, then the Helm step; both run in the
// pipeline's account as CodeBuild actions.
func (x *EKSRelease) actions(c *releaseContext) []Action {
	f, build := c.f, []string{c.p.in.Deployable()}
	var out []Action
	if x.GitOps != nil {
		out = append(out, Action{Name: "GitOps", Kind: &GitOpsStep{Release: x.GitOps}, Deployment: c.i, Inputs: build, Field: c.field(".GitOps"),
			Configuration: map[string]Field{"ProjectName": f(".GitOps"),
				"EnvironmentVariables": c.p.fix(c.path+".GitOps", "use a shorter repository URL, file path or value")}})
	}
	if x.Helm != nil {
		out = append(out, Action{Name: "Helm", Kind: &HelmStep{Release: x.Helm, AssumeRoleArn: c.acct.DeployRoleArn, Region: c.region}, Deployment: c.i,
			Inputs: build, Field: c.field(".Helm"),
			Configuration: map[string]Field{"ProjectName": f(".Helm"),
				"EnvironmentVariables": c.p.fix(c.path+".Helm.Set", "move --set values into a values file of the build output (%s)", c.field(".Helm.ValuesFile"))}})
	}
	return out
}

// isURL reports whether p starts with a scheme (oci:, https:, file: ...),
// which helm reads as a location to fetch rather than a local path.
func isURL(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return strings.Contains(first, ":")
}

// relativePath refuses a path that the steps' commands could read as
// something else: absolute, with "..", starting with "-" (a flag), or with
// a control character.
func relativePath(v *validator, field, p string) {
	bad := p == "" || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "-") || slices.Contains(strings.Split(p, "/"), "..") ||
		strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f })
	if bad {
		v.addf(field, "%q: must be a relative path without .., not starting with - or /", p)
	}
}
