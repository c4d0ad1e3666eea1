package delivery_test

import (
	"testing"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
)

// TestTranslateAcceptsEverySourceKind: valid, deployable configurations
// that touch the rules on source variable names, on who may read a source
// artifact (an ECR source's imageDetail.json, a full clone's reference) and
// on the trail an S3 source needs are accepted by the config rules and the
// release plan alike. A refusal of any of them is a defect of a rule, as
// bad as accepting a broken pipeline.
func TestTranslateAcceptsEverySourceKind(t *testing.T) {
	const (
		head       = "tooling: {account: \"111111111111\", region: us-east-1}\n"
		connection = `connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"`
		policy     = "  executionPolicy: {managedPolicyArns: [\"arn:aws:iam::${account}:policy/app-deployer\"]}\n"
		gitops     = "    gitops: {repository: \"https://github.com/acme/gitops.git\", file: \"envs/${env}/values.yaml\", tokenSecret: \"arn:aws:secretsmanager:us-east-1:111111111111:secret:gitops-AbCdEf\""
		staging    = "environments:\n  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n"
	)
	tests := []struct{ name, yaml string }{
		{"S3 source: its variables in the build, hooks, steps, parameters and approvals",
			"name: ledger\n" + head +
				"source: {s3: {bucket: acme-ledger-releases, key: ledger/release.zip, versioned: true}}\n" +
				"build: {environmentVariables: {VERSION: {value: \"#{SourceVariables.VersionId}\"}, ETAG: {value: \"#{SourceVariables.ETag}\"}}}\n" +
				"deploy:\n" + policy +
				"  hooks:\n" +
				"    - {name: migrate, when: before, stepFunctions: {stateMachine: ledger-migrate, input: {version: \"#{SourceVariables.VersionId}\"}}}\n" +
				"    - {name: smoke, lambda: {function: ledger-smoke, userParameters: '{\"version\": \"#{SourceVariables.VersionId}\"}'}}\n" +
				"steps:\n" +
				"  - {name: check, codeBuild: {buildspec: ci/check.yml, environmentVariables: {V: {value: \"#{SourceVariables.VersionId}\"}}}}\n" +
				"  - {name: notes, lambda: {function: release-notes, userParameters: '{\"v\": \"#{SourceVariables.ETag}\"}'}}\n" +
				"  - {name: review, approval: {comment: \"Release object version #{SourceVariables.VersionId}?\"}}\n" +
				"environments:\n" +
				"  - {name: staging, account: \"222222222222\", regions: [us-east-1], parameters: {Version: \"#{SourceVariables.VersionId}\"}}\n" +
				"  - {name: production, account: \"333333333333\", regions: [eu-west-1], approval: {comment: \"Release #{SourceVariables.VersionId} (#{SourceVariables.ETag})\"}}\n" +
				"audit: {}\n"},
		{"S3 source recorded by an organization trail, no build",
			"name: ledger\n" + head +
				"source: {s3: {bucket: acme-ledger-releases, key: ledger/release.zip, versioned: true}}\n" +
				"build: none\ndeploy:\n  templatePath: template.json\n" + policy +
				"environments:\n  - {name: staging, account: \"222222222222\", regions: [us-east-1], parameters: {Version: \"#{SourceVariables.VersionId}\"}}\n" +
				"audit: {organizationTrail: \"arn:aws:cloudtrail:us-east-1:999999999999:trail/org-trail\"}\n"},
		{"CodeCommit source: every variable it sets",
			"name: ledger\n" + head +
				"source: {codecommit: {repository: ledger, branch: main}}\n" +
				"build: {environmentVariables: {MSG: {value: \"#{SourceVariables.CommitMessage}\"}, BR: {value: \"#{SourceVariables.BranchName}\"}, AD: {value: \"#{SourceVariables.AuthorDate}\"}, CD: {value: \"#{SourceVariables.CommitterDate}\"}, RN: {value: \"#{SourceVariables.RepositoryName}\"}}}\n" +
				"deploy:\n" + policy +
				"  hooks: [{name: smoke, lambda: {function: ledger-smoke, userParameters: '{\"commit\": \"#{SourceVariables.CommitId}\"}'}}]\n" +
				"environments:\n" +
				"  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n" +
				"  - {name: production, account: \"333333333333\", regions: [us-east-1], approval: {comment: \"Ship #{SourceVariables.CommitId} from #{SourceVariables.BranchName}: #{SourceVariables.CommitMessage}\"}}\n"},
		{"ECR source without a build: GitOps of the digest, a suite of its own commands, invokes and approvals",
			"name: shop\n" + head +
				"source: {ecr: {repository: acme/shop, tag: release}}\nbuild: none\n" +
				"deploy:\n  eks:\n" + gitops + ", key: .image.digest, value: \"#{SourceVariables.ImageDigest}\"}\n" +
				"tests: [{name: verify, commands: [\"jq . imageDetail.json\"]}]\n" +
				"steps:\n" +
				"  - {name: notes, lambda: {function: release-notes, userParameters: '{\"digest\": \"#{SourceVariables.ImageDigest}\"}'}}\n" +
				"  - {name: report, stepFunctions: {stateMachine: release-report, input: {uri: \"#{SourceVariables.ImageURI}\"}}}\n" +
				"  - {name: review, approval: {comment: \"Release #{SourceVariables.RepositoryName}@#{SourceVariables.ImageDigest}?\"}}\n" + staging},
		{"full clones of the source and of extra sources, read by CodeBuild only",
			"name: ledger\n" + head +
				"source: {github: {repository: acme/ledger, fullClone: true, " + connection + "}}\n" +
				"extraSources:\n" +
				"  - {name: charts, github: {repository: acme/charts, fullClone: true, " + connection + "}}\n" +
				"  - {name: infra, gitlab: {repository: acme/infra, fullClone: true, " + connection + "}}\n" +
				"  - {name: base, ecr: {repository: acme/base}}\n" +
				"  - {name: schemas, codecommit: {repository: schemas}}\n" +
				"build: {environmentVariables: {BASE: {value: \"#{SourceVariables_base.ImageDigest}\"}, SCHEMAS: {value: \"#{SourceVariables_schemas.CommitId}\"}, CHARTS: {value: \"#{SourceVariables_charts.CommitId}\"}}}\n" +
				"tests: [{name: unit, commands: [make test]}]\nsecurityScan: {scanners: [{name: deps, preset: trivy}]}\n" +
				"deploy:\n" + policy +
				"steps: [{name: check, codeBuild: {buildspec: ci/check.yml, inputs: [source, build]}}]\n" + staging +
				"selfUpdate: {}\n"},
		{"a full clone without a build: EKS GitOps and Helm, which run in CodeBuild",
			"name: shop\n" + head +
				"source: {github: {repository: acme/shop, fullClone: true, " + connection + "}}\nbuild: none\n" +
				"deploy:\n  eks:\n    cluster: shop-${env}\n" + gitops + "}\n" +
				"    helm: {release: shop, chart: charts/shop, namespace: shop, set: {image.tag: \"#{SourceVariables.CommitId}\"}}\n" + staging},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Parse("relay.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatalf("config.Parse: %v", err)
			}
			if _, err := delivery.Translate(cfg); err != nil {
				t.Fatalf("delivery.Translate: %v", err)
			}
		})
	}
}
