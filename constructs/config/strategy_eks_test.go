package config

import (
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/internal/values"
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
			`deploy.eks.helm.set.image.tag,admin "x": the key must be a Helm value path of at most 200 characters: names of letters, digits, _ and - joined by dots, each with optional list indexes, such as image.tag or hosts[0].name`},
	})
}

// TestHelmSystemNamespaces: the access entry grants AmazonEKSEditPolicy in
// the Helm namespace, and edit rights in a namespace Kubernetes reserves
// (kube-*) administer the cluster, so those are refused with the fix;
// namespaces that only start with "kube" are the workload's.
func TestHelmSystemNamespaces(t *testing.T) {
	for _, tc := range []struct{ namespace, want string }{
		{"kube-system", `relay.yaml:7: deploy.eks.helm.namespace "kube-system": ` + values.KubernetesSystemNamespaceRule},
		{"kube-public", `relay.yaml:7: deploy.eks.helm.namespace "kube-public": ` + values.KubernetesSystemNamespaceRule},
		{"kube-node-lease", `relay.yaml:7: deploy.eks.helm.namespace "kube-node-lease": ` + values.KubernetesSystemNamespaceRule},
		{"kubeflow", ""},
		{"web", ""},
	} {
		t.Run(tc.namespace, func(t *testing.T) {
			base := strings.Replace(releaseBase, `, settings: {tl: "arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65"}`, "", 1)
			_, err := Parse("relay.yaml", []byte(base+"deploy:\n  eks: {cluster: web, helm: {release: web, chart: charts/web, namespace: "+tc.namespace+"}}\n"))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("namespace %s: Parse() error =\n%s\nwant\n%s", tc.namespace, got, tc.want)
			}
		})
	}
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

// TestGitOpsValueDefault: gitops.value defaults to the commit ID of a
// git source. An S3 source has none, so the value is required there, not
// defaulted to a reference that would fail the GitOps step on every
// execution; so it is with an ECR source, whose ImageTag is the tag it
// watches, the same in every release: writing it would change nothing in
// the GitOps repository, and the new image would never roll out.
func TestGitOpsValueDefault(t *testing.T) {
	const gitops = "deploy:\n  eks:\n    gitops: {repository: \"https://github.com/acme/gitops.git\", file: envs/values.yaml, tokenSecret: \"arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-AbCdEf\"}\n"
	base := strings.Replace(releaseBase, `, settings: {tl: "arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65"}`, "", 1)
	github := `source: {github: {repository: acme/shop, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}}`
	for _, tc := range []struct {
		name, source, want, refused string
	}{
		{"GitHub", github, "#{SourceVariables.CommitId}", ""},
		{"CodeCommit", "source: {codecommit: {repository: shop, branch: main}}", "#{SourceVariables.CommitId}", ""},
		{"ECR", "source: {ecr: {repository: shop, tag: release}}", "", `deploy.eks.gitops.value "": ` + gitOpsValueRequired},
		{"ECR, digest", "source: {ecr: {repository: shop, tag: release}}", "#{SourceVariables.ImageDigest}", ""},
		{"S3", "source: {s3: {bucket: acme-releases, key: app.zip, versioned: true}}", "", `deploy.eks.gitops.value "": ` + gitOpsValueRequired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			yaml := strings.Replace(base, github, tc.source, 1) + gitops
			if strings.HasSuffix(tc.name, "digest") {
				yaml = strings.Replace(yaml, "tokenSecret:", "key: .image.digest, value: \"#{SourceVariables.ImageDigest}\", tokenSecret:", 1)
			}
			cfg, err := Parse("relay.yaml", []byte(yaml))
			if tc.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refused) {
					t.Fatalf("Parse: %v; want an error containing\n%s", err, tc.refused)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Deploy.EKS.GitOps.Value; got != tc.want {
				t.Errorf("gitops.value = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPlaceholderTextIsRefused: the GitOps and Helm steps fill
// %{relay.variables.NAME} with a pipeline variable at run time
// (values.VariableTemplate), so a value written with that text is refused,
// each with its line, rather than filled too.
func TestPlaceholderTextIsRefused(t *testing.T) {
	base := strings.Replace(releaseBase, `, settings: {tl: "arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65"}`, "", 1)
	yaml := base + "pipeline: {variables: [{name: tag}]}\ndeploy:\n  eks:\n    cluster: web\n" +
		"    gitops: {repository: \"https://github.com/acme/gitops.git\", file: envs/values.yaml, value: \"%{relay.variables.tag}\", tokenSecret: \"arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-AbCdEf\"}\n" +
		"    helm: {release: web, chart: charts/web, set: {image.tag: \"v-%{relay.variables.tag}\", labels.team: \"#{variables.tag}\"}}\n"
	_, err := Parse("relay.yaml", []byte(yaml))
	want := `relay.yaml:10: deploy.eks.gitops.value "%{relay.variables.tag}": must not hold %{relay.variables., the placeholder with which the step fills a pipeline variable at run time; write a pipeline variable as #{variables.NAME}
relay.yaml:11: deploy.eks.helm.set.image.tag "v-%{relay.variables.tag}": must not hold %{relay.variables., the placeholder with which the step fills a pipeline variable at run time; write a pipeline variable as #{variables.NAME}`
	if err == nil || err.Error() != want {
		t.Errorf("Parse() error = %v\nwant %s", err, want)
	}
}

// TestFreeTextInStepValues: a Helm set value or the GitOps value travels in
// the step action's EnvironmentVariables JSON, where CodePipeline puts a
// variable's value unencoded; a commit message or an author's name there
// is refused with its line. Pipeline variables (read from the execution),
// fixed shapes and build variables pass.
func TestFreeTextInStepValues(t *testing.T) {
	base := strings.Replace(releaseBase, `, settings: {tl: "arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65"}`, "", 1)
	yaml := base + "pipeline: {variables: [{name: tag}]}\ndeploy:\n  eks:\n    cluster: web\n" +
		"    gitops: {repository: \"https://github.com/acme/gitops.git\", file: envs/values.yaml, value: \"#{SourceVariables.AuthorDisplayName}\", tokenSecret: \"arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-AbCdEf\"}\n" +
		"    helm: {release: web, chart: charts/web, set: {image.tag: \"#{variables.tag}-#{SourceVariables.CommitId}\", build: \"#{BuildVariables.VERSION}\", note: \"#{variables.tag}: #{SourceVariables.CommitMessage}\"}}\n"
	_, err := Parse("relay.yaml", []byte(yaml))
	const fix = ": the step's action carries the value in its EnvironmentVariables JSON, into which CodePipeline puts a variable's value without encoding it, so a value written as JSON would add environment variables to the step; " +
		"use a fixed-shape variable such as #{SourceVariables.CommitId}, a pipeline variable (the step reads those from the execution), or a build variable the buildspec checks and exports (#{BuildVariables.<name>})"
	want := `relay.yaml:10: deploy.eks.gitops.value "#{SourceVariables.AuthorDisplayName}": uses #{SourceVariables.AuthorDisplayName}, whose value whoever pushes the commit chooses` + fix + "\n" +
		`relay.yaml:11: deploy.eks.helm.set.note "#{variables.tag}: #{SourceVariables.CommitMessage}": uses #{SourceVariables.CommitMessage}, whose value whoever pushes the commit chooses` + fix
	if err == nil || err.Error() != want {
		t.Errorf("Parse() error = %v\nwant %s", err, want)
	}
}
