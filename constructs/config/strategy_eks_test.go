package config

import (
	"strings"
	"testing"
)

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
		{"Helm key that is not a value path", "deploy:\n  eks: {cluster: web, helm: {release: web, chart: charts/web, set: {\"image.tag,admin\": \"x\"}}}\n",
			`deploy.eks.helm.set.image.tag,admin "x": the key must be a Helm value path of 1 to 200 letters, digits and _.[]-, such as image.tag`},
	})
}

// TestHelmValuesAreData pins that a --set value is data, not syntax: a
// comma, equals sign or quote in it is accepted, since the Helm step hands
// each value to helm as one literal value at run time.
func TestHelmValuesAreData(t *testing.T) {
	for _, v := range []string{"a,b=c", `it's "quoted"`, "{x,y}", "#{variables.tag}"} {
		base := strings.Replace(releaseBase, `, settings: {tl: "arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65"}`, "", 1)
		yaml := base + "pipeline: {variables: [{name: tag}]}\ndeploy:\n  eks: {cluster: web, helm: {release: web, chart: charts/web, set: {image.tag: '" + strings.ReplaceAll(v, "'", "''") + "'}}}\n"
		cfg, err := Parse("relay.yaml", []byte(yaml))
		if err != nil {
			t.Errorf("set image.tag %q: %v", v, err)
			continue
		}
		if got := cfg.Deploy.EKS.Helm.Set["image.tag"]; got != v {
			t.Errorf("set image.tag = %q, want %q", got, v)
		}
	}
}
