package config

import "testing"

// TestValidateEKS checks the rules of the EKS release, each with its
// message.
func TestValidateEKS(t *testing.T) {
	runReleaseCases(t, []releaseCase{
		{"neither GitOps nor Helm", "deploy:\n  eks: {cluster: web}\n",
			`deploy.eks "": set gitops, helm or both`},
		{"Helm without a cluster", "deploy:\n  eks: {helm: {release: web, chart: charts/web}}\n",
			`deploy.eks.cluster "": required with helm: the EKS cluster name, 1 to 100 letters, digits, _ and -`},
		{"GitOps URL with credentials", "deploy:\n  eks:\n    gitops: {repository: \"https://me:token@github.com/acme/gitops.git\", file: envs/values.yaml, tokenSecret: \"arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-AbCdEf\"}\n",
			`deploy.eks.gitops.repository "https://me:token@github.com/acme/gitops.git": must be an https clone URL without credentials`},
		{"Helm value with a comma", "deploy:\n  eks: {cluster: web, helm: {release: web, chart: charts/web, set: {image.tag: \"a,b=c\"}}}\n",
			`deploy.eks.helm.set.image.tag "a,b=c": keys are dotted Helm value paths; values are one line without single quotes or commas`},
	})
}
