package config

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/defaults"
	"github.com/relaycdk/relay/constructs/internal/values"
)

// EKSDeploy releases to Amazon EKS: by GitOps (a commit to the repository
// Argo CD or Flux syncs), by Helm, or both (GitOps first).
type EKSDeploy struct {
	// Cluster is the EKS cluster name. Required with helm.
	Cluster string `yaml:"cluster,omitempty" json:"cluster,omitempty"`
	// GitOps updates a value in a GitOps repository.
	GitOps *GitOps `yaml:"gitops,omitempty" json:"gitops,omitempty"`
	// Helm runs helm upgrade --install against the cluster, as the
	// environment's deploy role through an EKS access entry.
	Helm *Helm `yaml:"helm,omitempty" json:"helm,omitempty"`
}

// GitOps is the GitOps step: a CodeBuild project in the tooling account
// clones Repository, sets Key in File to Value and pushes the commit.
type GitOps struct {
	// Repository is the https clone URL of the GitOps repository. Required.
	Repository string `yaml:"repository" json:"repository"`
	// Branch is the branch to commit to. Default: main.
	Branch string `yaml:"branch,omitempty" json:"branch,omitempty"`
	// File is the path of the values file in that repository, such as
	// envs/${env}/values.yaml. Required.
	File string `yaml:"file" json:"file"`
	// Key is the yq path of the value to set. Default: .image.tag.
	Key string `yaml:"key,omitempty" json:"key,omitempty"`
	// Value is what Key is set to; it may use variables. Default: the
	// source's commit ID (#{SourceVariables.CommitId}) for a GitHub,
	// GitLab, Bitbucket or CodeCommit source; required with an S3 source,
	// which has none, and with an ECR source, whose ImageTag is the tag it
	// watches, the same in every release (write
	// #{SourceVariables.ImageDigest} to a digest key instead).
	Value string `yaml:"value,omitempty" json:"value,omitempty"`
	// TokenSecret is the ARN of a Secrets Manager secret (tooling account)
	// holding a token that may push to Repository. Required.
	TokenSecret string `yaml:"tokenSecret" json:"tokenSecret"`
}

// Helm is the direct Helm deploy step.
type Helm struct {
	// Release is the Helm release name. Required.
	Release string `yaml:"release" json:"release"`
	// Chart is the chart's path in the build output (not a URL: helm
	// would fetch that when the step runs). Required.
	Chart string `yaml:"chart" json:"chart"`
	// Namespace is the Kubernetes namespace; the access entry grants edit
	// rights there only. Default: default.
	Namespace string `yaml:"namespace,omitempty" json:"namespace,omitempty"`
	// ValuesFile is a values file in the build output, such as
	// values/${env}.yaml. Default: none.
	ValuesFile string `yaml:"valuesFile,omitempty" json:"valuesFile,omitempty"`
	// Set are --set overrides; values may use variables. Default: none.
	Set map[string]string `yaml:"set,omitempty" json:"set,omitempty"`
}

// Defaults of the EKS release.
const (
	defaultGitOpsKey     = defaults.GitOpsKey
	defaultHelmNamespace = defaults.HelmNamespace
	// gitOpsValueRequired is the rule of an empty gitops.value.
	gitOpsValueRequired = defaults.GitOpsValueRequired
)

// applyDefaults sets x's defaults; unset is as in applyDefaults, and
// gitOpsValue the default of gitops.value ("" leaves it empty).
func (x *EKSDeploy) applyDefaults(unset unsetFunc, gitOpsValue string) {
	if g := x.GitOps; g != nil {
		if unset("deploy.eks.gitops.branch", g.Branch == "") {
			g.Branch = defaultBranch
		}
		if unset("deploy.eks.gitops.key", g.Key == "") {
			g.Key = defaultGitOpsKey
		}
		if unset("deploy.eks.gitops.value", g.Value == "") {
			g.Value = gitOpsValue
		}
	}
	if h := x.Helm; h != nil && unset("deploy.eks.helm.namespace", h.Namespace == "") {
		h.Namespace = defaultHelmNamespace
	}
}

// validateEKS checks the EKS release x as environment e receives it in
// region.
func validateEKS(q *problems, x *EKSDeploy, e Environment, region string) {
	const b = "deploy.eks."
	if x.GitOps == nil && x.Helm == nil {
		q.add("deploy.eks", "", "set gitops, helm or both")
	}
	if x.Cluster != "" && x.Helm == nil && x.GitOps != nil {
		q.add(b+"cluster", x.Cluster, "applies to helm only: GitOps commits to a repository and needs no cluster; remove it")
	} else if x.Helm != nil {
		if !values.EKSClusterName(x.Cluster) {
			q.add(b+"cluster", x.Cluster, "required with helm: the EKS cluster name, 1 to 100 letters, digits, _ and -")
		}
	}
	if g := x.GitOps; g != nil {
		if u, err := url.Parse(g.Repository); err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || !strings.HasSuffix(u.Path, ".git") {
			q.add(b+"gitops.repository", g.Repository, "must be an https clone URL without credentials, such as https://github.com/acme/gitops.git (the token comes from tokenSecret)")
		}
		q.add(b+"gitops.branch", g.Branch, branchRule(g.Branch))
		q.add(b+"gitops.file", g.File, pathRule(g.File, "envs/${env}/values.yaml", "the GitOps repository"))
		if !values.YQPath(g.Key) {
			q.add(b+"gitops.key", g.Key, "must be a yq path of keys, such as .image.tag")
		}
		if g.Value == "" {
			q.add(b+"gitops.value", g.Value, gitOpsValueRequired)
		} else if strings.ContainsAny(g.Value, "'\n") {
			q.add(b+"gitops.value", g.Value, "must be a one-line value without single quotes, such as #{SourceVariables.CommitId}")
		} else if strings.Contains(g.Value, values.VariablePlaceholderPrefix) {
			q.add(b+"gitops.value", g.Value, values.VariablePlaceholderRule)
		}
		if _, _, _, ok := values.SecretARN(g.TokenSecret); !ok {
			q.add(b+"gitops.tokenSecret", g.TokenSecret, "required: the ARN of a Secrets Manager secret in the tooling account holding a token that may push to the repository")
		}
	}
	if h := x.Helm; h != nil {
		if !values.HelmReleaseName(h.Release) {
			q.add(b+"helm.release", h.Release, "must be a Helm release name: 1 to 53 lowercase letters, digits and -")
		}
		q.add(b+"helm.chart", h.Chart, pathRule(h.Chart, "charts/web", "the build output"))
		if !values.KubernetesNamespace(h.Namespace) {
			q.add(b+"helm.namespace", h.Namespace, "must be a Kubernetes namespace: 1 to 63 lowercase letters, digits and -")
		} else if values.KubernetesSystemNamespace(h.Namespace) {
			q.add(b+"helm.namespace", h.Namespace, values.KubernetesSystemNamespaceRule)
		}
		if h.ValuesFile != "" {
			q.add(b+"helm.valuesFile", h.ValuesFile, pathRule(h.ValuesFile, "values/${env}.yaml", "the build output"))
		}
		for _, k := range slices.Sorted(maps.Keys(h.Set)) {
			// Values may hold anything: the Helm step passes each to helm as
			// one literal value, at run time (pipeline.helmBuildSpec).
			if !values.HelmValuePath(k) {
				q.add(b+"helm.set."+k, h.Set[k], "the key must be a Helm value path of at most 200 characters: names of letters, digits, _ and - joined by dots, each with optional list indexes, such as image.tag or hosts[0].name")
			}
			if strings.Contains(h.Set[k], values.VariablePlaceholderPrefix) {
				q.add(b+"helm.set."+k, h.Set[k], values.VariablePlaceholderRule)
			}
		}
	}
}
