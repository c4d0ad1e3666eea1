package test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/config"
)

// kindsHead is the start of every sibling configuration of TestFieldFailureKinds.
const kindsHead = `name: kinds
tooling: {account: "111111111111", region: us-east-1}
organization: {id: o-a1b2c3d4e5}
source:
  github: {repository: acme/kinds, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
`

// kindsPolicy is an execution policy for the siblings that need one.
const kindsPolicy = `  executionPolicy: {managedPolicyArns: ["arn:aws:iam::${account}:policy/kinds-deployer"]}
`

// kindsStaging is one account environment.
const kindsStaging = `environments:
  - {name: staging, account: "222222222222", regions: [us-east-1]}
`

// TestFieldFailureKinds replays siblings of the field failure reports:
// inputs that reach the same kind of fault through other fields or
// features. Each must be refused by the app binary, as make synth runs it,
// with the field, the value and the fix, with no panic or stack trace and
// nothing written; or synthesize a template that passes the
// deploy-validity check. The rows that already passed when the siblings
// were first tried guard the kind; the others were defects, fixed in the
// package each row names.
func TestFieldFailureKinds(t *testing.T) {
	for _, tc := range []struct {
		name, kind, yaml string
		// refused is what the app's standard error must say; nil when the
		// configuration must synthesize.
		refused []string
	}{
		// 1 action configuration values over CodePipeline's 1,000 characters.
		{"step lambda userParameters", "build-env-over-1000", kindsHead + "deploy:\n" + kindsPolicy +
			"steps:\n  - {name: notes, lambda: {function: release-notes, userParameters: '{\"a\": \"" + strings.Repeat("x", 1000) + "\"}'}}\n" + kindsStaging,
			[]string{"steps[0].lambda.userParameters: 1009 characters of UserParameters", "which exceeds CodePipeline's limit of 1000 per action configuration value"}},
		// A source branch and a deploy key that CodePipeline takes verbatim as
		// action configuration values: refused by package config with their
		// line, before jsii (a 1,001-character branch used to be refused
		// after synthesis, a 1,024-character key too).
		{"source branch over 1000", "build-env-over-1000", strings.Replace(kindsHead, "acme/kinds,", "acme/kinds, branch: "+strings.Repeat("b", 1001)+",", 1) + "deploy:\n" + kindsPolicy + kindsStaging,
			[]string{`source.github.branch "1001 characters": CodePipeline takes at most 1000 characters per action configuration value`}},
		{"S3 deploy key over 1000", "build-env-over-1000", kindsHead + "deploy:\n  s3: {bucket: acme-site, objectKey: \"" + strings.Repeat("k", 1024) + "\"}\n" + kindsStaging,
			[]string{`deploy.s3.objectKey "1024 characters": CodePipeline takes at most 1000 characters per action configuration value`}},
		// A stack's template path, which the action takes as Build::<path>:
		// refused by package config with its line (it used to be refused
		// after synthesis, once per action).
		{"stack templatePath over 1000", "build-env-over-1000", kindsHead + "deploy:\n" + kindsPolicy + "  stacks:\n    - {name: app, stackName: \"kinds-${env}-app\", templatePath: " + strings.Repeat("t", 994) + "}\n" + kindsStaging,
			[]string{`deploy.stacks[0].templatePath "994 characters": is 1001 characters as the action's Build::<path>; CodePipeline takes at most 1000 characters per action configuration value`}},
		// 2 a line break in a one-line destination (fixed: package config).
		{"variable default on two lines", "multiline-buildspec", kindsHead + "deploy:\n" + kindsPolicy +
			"pipeline:\n  variables:\n    - {name: tag, default: \"v1\\nv2\"}\n" + kindsStaging,
			[]string{`pipeline.variables[0].default "v1\nv2": must be one line`}},
		{"S3 deploy key on two lines", "multiline-buildspec", kindsHead + "deploy:\n  s3: {bucket: acme-site, objectKey: \"site\\nx\"}\n" + kindsStaging,
			[]string{`deploy.s3.objectKey "site\nx": must be an S3 key of at most 1024 bytes (UTF-8) on one line`}},
		{"step buildspec inline", "multiline-buildspec", kindsHead + "deploy:\n" + kindsPolicy +
			"steps:\n  - {name: smoke, codeBuild: {buildspec: \"version: 0.2\\nphases: {}\"}}\n" + kindsStaging,
			[]string{`steps[0].codeBuild.buildspec "version: 0.2\nphases: {}": must be a path to a buildspec file in the repository`}},
		// A trigger pattern on two lines: CodePipeline's API refuses the
		// pipeline (the pattern .* takes no line break); it used to reach
		// the template.
		{"trigger file path on two lines", "multiline-buildspec", strings.Replace(kindsHead, "acme/kinds,", "acme/kinds, triggers: {branches: {includes: [main]}, filePaths: {includes: [\"src/**\\ndocs/**\"]}},", 1) + "deploy:\n" + kindsPolicy + kindsStaging,
			[]string{`source.github.triggers.filePaths.includes[0] "src/**\ndocs/**": holds a line break (U+000A at byte 6)`}},
		// 3 counts over a per-stage or per-action quota (fixed: config, plan).
		{"five extra sources", "sixty-hooks-one-region", kindsHead + "extraSources:\n" +
			"  - {name: s1, s3: {bucket: acme-src, key: s1.zip, versioned: true}}\n  - {name: s2, s3: {bucket: acme-src, key: s2.zip, versioned: true}}\n" +
			"  - {name: s3, s3: {bucket: acme-src, key: s3.zip, versioned: true}}\n  - {name: s4, s3: {bucket: acme-src, key: s4.zip, versioned: true}}\n" +
			"  - {name: s5, s3: {bucket: acme-src, key: s5.zip, versioned: true}}\ndeploy:\n" + kindsPolicy + kindsStaging,
			[]string{`extraSources "5": the Build action reads the source and every extra source, 6 artifacts; a CodeBuild action reads at most 5`}},
		{"55 steps", "sixty-hooks-one-region", kindsHead + "deploy:\n" + kindsPolicy + "steps:\n" + repeatLines(55, "  - {name: s%02[1]d, codeBuild: {buildspec: ci/s.yml}}\n") + kindsStaging,
			[]string{"relay: steps: environments[0] gets 57 actions in us-east-1 (55 steps, 0 hooks and 2 release actions); a CodePipeline stage holds at most 50 actions: run at most 48 steps per region"}},
		{"eleven managed policies on the execution role", "sixty-hooks-one-region", kindsHead + "deploy:\n  executionPolicy:\n    managedPolicyArns:\n" +
			repeatLines(11, "      - \"arn:aws:iam::${account}:policy/kinds-%[1]d\"\n") + kindsStaging,
			[]string{`deploy.executionPolicy.managedPolicyArns "11": IAM attaches at most 10 managed policies to a role (the default quota`}},
		{"eleven instance tags", "sixty-hooks-one-region", kindsHead + "deploy:\n  codeDeploy:\n    instanceTags: {app: [" +
			strings.TrimSuffix(repeatLines(11, "a%[1]d, "), ", ") + "]}\n    instanceRoles: [kinds-instance]\n" + kindsStaging,
			[]string{`deploy.codeDeploy.instanceTags "11": CodeDeploy selects instances by at most 10 tags in a tag group`}},
		{"eleven Auto Scaling groups", "sixty-hooks-one-region", kindsHead + "deploy:\n  codeDeploy:\n    autoScalingGroups: [" +
			strings.TrimSuffix(repeatLines(11, "g%[1]d, "), ", ") + "]\n    instanceRoles: [kinds-instance]\n" + kindsStaging,
			[]string{`deploy.codeDeploy.autoScalingGroups "11": CodeDeploy takes at most 10 Auto Scaling groups in a deployment group (the default quota`}},
		// A source S3 key of 500 characters: the build project's
		// description, which names it, is cut to CodeBuild's 255 (fixed:
		// pipeline).
		{"long source key in the build project's description", "build-env-over-1000", strings.Replace(kindsHead,
			"  github: {repository: acme/kinds, connectionArn: \"arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d\"}\n",
			"  s3: {bucket: acme-kinds-releases, key: releases/"+strings.Repeat("k", 487)+".zip, versioned: true}\naudit: {}\n", 1) +
			"deploy:\n" + kindsPolicy + kindsStaging, nil},
		// 4 composed names over their limit.
		{"step role name", "stackset-name-over-128", "name: abcdefghijabcdefghijabcd\n" + strings.TrimPrefix(kindsHead, "name: kinds\n") + "deploy:\n" + kindsPolicy +
			"steps:\n  - name: smoketestabcdefghijabcdefghijab\n    codeBuild:\n      buildspec: ci/s.yml\n      role: {statements: [{sid: R, actions: [\"dynamodb:GetItem\"], resources: [\"arn:aws:dynamodb:us-east-1:222222222222:table/t\"]}]}\n" +
			"environments:\n  - {name: stagingabcdefghijabc, account: \"222222222222\", regions: [us-east-1]}\n",
			[]string{"its role in environments[0] would be abcdefghijabcdefghijabcd-stagingabcdefghijabc-smoketestabcdefghijabcdefghijab-step, 82 characters; IAM takes at most 64"}},
		// An approval step gates a release as an environment's approval
		// does: a trigger on main* let a push to any such branch reach it,
		// unrefused (found by the variants sweep; fixed: config, plan).
		{"other branches reach an approval step", "trigger-branches-and-tags", strings.Replace(kindsHead, "acme/kinds,", "acme/kinds, branch: main, triggers: {branches: {includes: [\"main*\"]}},", 1) +
			"deploy:\n" + kindsPolicy + "steps:\n  - {name: go-live, approval: {comment: \"Release?\"}}\n" + kindsStaging,
			[]string{`source.github.triggers "main*": starts the pipeline from pushes other than to the release branch main, and environments[0] "staging" waits for an approval (steps[0].approval)`}},
		// A stage's entry condition takes 5 rules, one per alarm and one
		// for the window: 12 alarms and a window synthesized, and
		// CloudFormation refused the pipeline (found by the variants sweep;
		// fixed: limits, config, plan).
		{"twelve entry-condition alarms", "sixty-hooks-one-region", kindsHead + "deploy:\n" + kindsPolicy +
			"environments:\n  - {name: staging, account: \"222222222222\", regions: [us-east-1], entryConditions: {deploymentWindow: {cron: \"cron(* 9-16 ? * MON-FRI *)\"}, noAlarms: [" +
			strings.TrimSuffix(repeatLines(12, "kinds-alarm-%02[1]d, "), ", ") + "]}}\n",
			[]string{`environments[0].entryConditions.noAlarms "12": the stage's entry condition would have 13 rules (12 alarms, one rule each and the deployment window), and CodePipeline takes at most 5 rules in a condition`}},
		// A Step Functions execution is named <prefix>-<36-character action
		// execution ID>, within Step Functions' 80 characters: a prefix of
		// 44 to 60 characters was accepted and failed every run (found by
		// the variants sweep; fixed: values, config, plan).
		{"Step Functions execution name prefix", "stackset-name-over-128", kindsHead + "deploy:\n" + kindsPolicy +
			"  hooks:\n    - {name: check, stepFunctions: {stateMachine: kinds-check, executionNamePrefix: " + strings.Repeat("p", 44) + "}}\n" + kindsStaging,
			[]string{`deploy.hooks[0].stepFunctions.executionNamePrefix "` + strings.Repeat("p", 44) + `": must be 1 to 43 letters, digits, _ and -`}},
		// 5 dangerous grants in user-written policies (fixed: iampolicy, config, target).
		{"PassRole on arn:*", "exec-policy-iam-star", kindsHead +
			"deploy:\n  executionPolicy:\n    statements:\n      - {sid: Pass, actions: [\"iam:PassRole\"], resources: [\"arn:*\"], reason: \"CloudFormation passes roles it creates.\"}\n" + kindsStaging,
			[]string{`deploy.executionPolicy.statements[0] "Pass": is as strong as AdministratorAccess: iam:PassRole on arn:*`}},
		{"AssumeRole on * in a step role", "exec-policy-iam-star", kindsHead + "deploy: none\nbuild: none\n" +
			"steps:\n  - name: tf\n    codeBuild:\n      buildspec: ci/s.yml\n      role: {statements: [{sid: Any, actions: [\"sts:AssumeRole\"], resources: [\"*\"], reason: \"Terraform assumes roles it creates.\"}]}\n" + kindsStaging,
			[]string{`steps[0].codeBuild.role.statements[0] "Any": is as strong as AdministratorAccess: sts:AssumeRole on *`}},
		// A new default version of the execution role's own managed policy
		// could grant it anything: accepted, unbounded (found by the
		// variants sweep). The role's policy now denies every change of its
		// attached customer managed policies (iampolicy.Guards), so the
		// statement synthesizes, deploy-valid, and cannot rewrite them.
		{"execution role versions its own policy", "exec-policy-iam-star", kindsHead +
			"deploy:\n  executionPolicy:\n    managedPolicyArns: [\"arn:aws:iam::${account}:policy/kinds-deployer\"]\n    statements:\n" +
			"      - {sid: Pol, actions: [\"iam:CreatePolicyVersion\", \"iam:SetDefaultPolicyVersion\"], resources: [\"arn:aws:iam::*:policy/kinds-*\"], reason: \"edit the app's managed policies.\"}\n" + kindsStaging,
			nil},
		// Characters IAM refuses in a policy document (beyond U+00FF) and a
		// line break in an ARN: synthesized, then failed the role's
		// creation (fixed: config).
		{"euro sign in a statement resource", "exec-policy-iam-star", kindsHead +
			"deploy:\n  executionPolicy:\n    statements:\n      - {sid: Put, actions: [\"s3:PutObject\"], resources: [\"arn:aws:s3:::kinds-data/\u20ac\"]}\n" + kindsStaging,
			[]string{`deploy.executionPolicy.statements[0].resources[0] "arn:aws:s3:::kinds-data/€": holds "€" (U+20AC) at byte 24, which IAM refuses in a policy document`}},
		// A branch git cannot hold: CodePipeline took it, and the source
		// action failed on its first run (fixed: config, plan).
		{"source branch git refuses", "build-env-over-1000", strings.Replace(kindsHead, "acme/kinds,", "acme/kinds, branch: \"release:1\",", 1) + "deploy:\n" + kindsPolicy + kindsStaging,
			[]string{`source.github.branch "release:1": is not a git branch name`}},
		// A list item twice where the resource schema declares uniqueItems,
		// and a deploy key IAM refuses: strict synth or CloudFormation refused
		// them (found by the round-3 mutation sweep; fixed: config).
		{"trigger branch twice", "trigger-branches-and-tags", strings.Replace(kindsHead, "acme/kinds,", "acme/kinds, triggers: {branches: {includes: [main, main]}},", 1) + "deploy:\n" + kindsPolicy + kindsStaging,
			[]string{`source.github.triggers.branches.includes[1] "main": is listed twice`}},
		{"instance tag twice", "sixty-hooks-one-region", kindsHead + "deploy:\n  codeDeploy:\n    instanceTags: {app: [a, a]}\n    instanceRoles: [kinds-instance]\n" + kindsStaging,
			[]string{`deploy.codeDeploy.instanceTags.app[1] "a": is listed twice`}},
		{"S3 deploy key beyond Latin-1", "exec-policy-iam-star", kindsHead + "deploy:\n  s3: {bucket: acme-site, objectKey: \"site\u20ac\"}\n" + kindsStaging,
			[]string{`deploy.s3.objectKey "site€": holds "€" (U+20AC) at byte 4, which IAM refuses in a policy document`}},
		// 6 hostile YAML.
		{"alias bomb", "deep-nesting", "x-a: &a [" + strings.Repeat("lol,", 99) + "lol]\nx-b: &b [" + strings.Repeat("*a,", 99) + "*a]\nx-c: &c [" + strings.Repeat("*b,", 99) + "*b]\n" + kindsHead,
			[]string{"aliases here expand the configuration to more than 200000 YAML nodes"}},
		{"a CloudFormation tag", "deep-nesting", kindsHead + "deploy:\n" + kindsPolicy + "environments:\n  - {name: !Ref Env, account: \"222222222222\", regions: [us-east-1]}\n",
			[]string{`YAML tag "!Ref" is not supported`}},
		// 7 settings AWS refuses together (fixed: config, plan).
		{"PARALLEL with rollback", "trigger-branches-and-tags", kindsHead + "deploy:\n" + kindsPolicy + "pipeline: {executionMode: PARALLEL}\n" + kindsStaging,
			[]string{`pipeline.executionMode "PARALLEL": CodePipeline does not roll back the stages of a PARALLEL pipeline, and environments[0] "staging" rolls back when it fails (the default); set disableRollback: true on it`}},
		// 8 a user name equal to a generated name (fixed: delivery).
		{"workload stack named like the target stack", "env-name-collides-with-stack", kindsHead + "deploy:\n  stackName: kinds-staging\n" + kindsPolicy + kindsStaging,
			[]string{`deploy.stackName "kinds-staging": environments[0] "staging" deploys this stack to account 222222222222 in us-east-1, where Relay's stack of environments[0] "staging" has this name`}},
		// A test suite's project <name>-test-<suite> and an environment
		// named test's step project <name>-test-step-<step>: refused by the
		// assembly's uniqueness check, which named the constructs and no
		// config field (fixed: delivery).
		{"test suite and environment step share a project name", "env-name-collides-with-stack", kindsHead + "tests:\n  - {name: step-xx, commands: [make test]}\ndeploy:\n" + kindsPolicy +
			"environments:\n  - name: test\n    account: \"222222222222\"\n    regions: [us-east-1]\n    steps:\n      - {name: xx, codeBuild: {buildspec: ci/x.yml}}\n",
			[]string{`tests[0].name, environments[0].name, environments[0].steps[0].name (kinds-tooling/PipelineTeststepxxDCF4DE20): Name "kinds-test-step-xx" is also the Name of kinds-tooling/PipelineStepkindsteststepxx87B4763A (account 111111111111, region us-east-1): CodeBuild project names are unique in an account and region (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html): <name>-test-<suite> (tests[0].name) and <name>-<environment>-step-<step> (environments[0].name, environments[0].steps[0].name) compose the same name: rename tests[0].name or environments[0].name or environments[0].steps[0].name`}},
		// A top-level step step-bb and environment step's step bb both
		// compose kinds-step-step-bb: refused, and the message gave the
		// project name as the step's name, with no fix (fixed: plan).
		{"top-level and environment step share a project name", "env-name-collides-with-stack", kindsHead + "deploy:\n" + kindsPolicy +
			"steps:\n  - {name: step-bb, codeBuild: {buildspec: ci/top.yml}}\n" +
			"environments:\n  - {name: dev, account: \"333333333333\", regions: [us-east-1]}\n  - name: step\n    account: \"222222222222\"\n    regions: [us-east-1]\n    steps:\n      - {name: bb, codeBuild: {buildspec: ci/env.yml}}\n",
			[]string{`environments[1].steps[0].name "kinds-step-step-bb": is also the project of steps[0].codeBuild, which configures it otherwise (Buildspec, ComputeType, TimeoutMinutes, Privileged, RoleName, AssumeRolePattern and ProjectVariables must agree): give one of the two steps a project of its own (another ProjectName; in a configuration, rename one of the steps or the environment, whose names compose it)`}},
		{"workload stack named like the tooling stack", "env-name-collides-with-stack", kindsHead + "deploy:\n  stackName: kinds-tooling\n" + kindsPolicy +
			"environments:\n  - {name: staging, account: \"111111111111\", regions: [us-east-1]}\n",
			[]string{`deploy.stackName "kinds-tooling": environments[0] "staging" deploys this stack to account 111111111111 in us-east-1, where Relay's tooling stack has this name`}},
		// 9 advice that fits the configuration (fixed: plan, delivery).
		{"30 stacks in one region", "bucket-policy-advice", kindsHead + "deploy:\n" + kindsPolicy + "  stacks:\n" + repeatLines(30, "    - {name: st%02[1]d, templatePath: t.yaml, stackName: \"kinds-st-${env}-%[1]d\"}\n") + kindsStaging,
			[]string{"deploy.stacks: environments[0] gets 60 actions in us-east-1 (0 steps, 0 hooks and 60 release actions of 30 components)", "release fewer, larger stacks"}},
		// A hook role's statements over IAM's 10,240 characters: the advice
		// named no field and told to move statements into
		// deploy.executionPolicy.managedPolicyArns, which the hook role does
		// not take (found by the variants sweep; fixed: delivery). The whole
		// policy counts: the hook role's statements are written in one
		// document (policy.Attach), which aws-cdk-lib does not split into
		// overflow managed policies as it did the role's own default policy
		// (10,448 characters were left inline then).
		{"60 hook statements", "bucket-policy-advice", kindsHead + "deploy:\n" + kindsPolicy + "  hooks:\n    - name: check\n      lambda:\n        function: kinds-check\n        statements:\n" +
			repeatLines(60, "          - {sid: R%02[1]d, actions: [\"dynamodb:GetItem\", \"dynamodb:Query\", \"dynamodb:Scan\"], resources: [\"arn:aws:dynamodb:us-east-1:222222222222:table/kinds-table-with-a-long-name-%02[1]d\"]}\n") + kindsStaging,
			[]string{"deploy.hooks[0].lambda.statements (kinds-staging/TargetHookRole7F152144): IAM inline policies of one role, in total (characters) is 11558", "it grows with 60 hook statements of the hook functions' role, one policy for every hook: merge statements with the same actions"}},
		// A StackSet's accounts over DeploymentTargets' 1,000 characters
		// (found by the round-4 sweep): refused after jsii, without a line.
		{"78 StackSet accounts", "build-env-over-1000", kindsHead + "deploy:\n" + kindsPolicy +
			"environments:\n  - {name: pilot, accounts: [" + repeatLines(78, "\"%012[1]d\", ")[:78*16-2] + "], regions: [us-east-1]}\n",
			[]string{`environments[0].accounts "78 accounts": joined by commas they make the StackSet action's DeploymentTargets 1013 characters`}},
		// A multi-Region key ARN (key/mrk-...) for the S3 release was
		// refused as "not an alias" (found by the variants sweep; fixed:
		// config, plan): it synthesizes, deploy-valid.
		{"S3 release with a multi-Region key", "cross-region-replica-key-form", kindsHead +
			"deploy:\n  s3: {bucket: acme-site, kmsKey: \"arn:aws:kms:us-east-1:222222222222:key/mrk-1234abcd12ab34cd56ef1234567890ab\"}\n" + kindsStaging, nil},
		// 10 values that become code, through per-environment settings in
		// a deploy.stacks entry: a setting that fills a Helm set value with
		// a free-text source variable is refused on the value's line, as the
		// same reference written literally is (the variant of
		// helm-set-from-variable.yaml in Release topologies).
		{"setting fills a Helm value of a stack entry with a commit message", "helm-set-from-variable", kindsHead + "deploy:\n" + kindsPolicy +
			"  stacks:\n    - {name: infra, stackName: \"kinds-${env}-infra\", templatePath: infra.yaml}\n" +
			"    - name: app\n      dependsOn: [infra]\n      eks:\n        cluster: shop\n        helm: {release: shop, chart: charts/shop, namespace: shop, set: {note: \"${note}\"}}\n" +
			"environments:\n  - {name: staging, account: \"222222222222\", regions: [us-east-1], settings: {note: \"#{SourceVariables.CommitMessage}\"}}\n",
			[]string{`:14: deploy.stacks[1].eks.helm.set.note "#{SourceVariables.CommitMessage}": uses #{SourceVariables.CommitMessage}, whose value whoever pushes the commit chooses`}},
		// 11 roles Relay does not own, in a shared account with several
		// stacks: a setting names as the instance role the execution role
		// Relay creates for another environment's own stack entry
		// (instance-role-not-owned.yaml's kind).
		{"instance role is another environment's stack execution role", "instance-role-not-owned", kindsHead + "deploy:\n" +
			"  stacks:\n    - {name: infra, stackName: \"kinds-${env}-infra\", templatePath: infra.yaml, executionPolicy: {managedPolicyArns: [\"arn:aws:iam::${account}:policy/kinds-infra\"]}}\n" +
			"    - name: fleet\n      dependsOn: [infra]\n      codeDeploy:\n        instanceTags: {app: [fleet]}\n        instanceRoles: [\"${instanceRole}\"]\n" +
			"environments:\n  - {name: dev, account: \"222222222222\", regions: [us-east-1], settings: {instanceRole: kinds-dev-web}}\n" +
			"  - {name: qa, account: \"222222222222\", regions: [us-east-1], settings: {instanceRole: kinds-dev-infra-cfn-exec}}\n",
			[]string{`:13: deploy.stacks[1].codeDeploy.instanceRoles[0] "kinds-dev-infra-cfn-exec": is the CloudFormation execution role of stack infra of environment dev, a role Relay creates for its pipeline`}},
		// 12 stack states that block later runs, with several stacks per
		// environment, one with its own execution role and a name per
		// region, in two environments sharing an account: the recovery
		// function may delete exactly each of these stacks left in
		// ROLLBACK_COMPLETE, as that stack's own role
		// (first-deploy-rollback-complete.yaml's kind; kindsChecks).
		{"rollback recovery of several stacks in a shared account", "first-deploy-rollback-complete", kindsHead + "deploy:\n" + kindsPolicy +
			"  stacks:\n    - {name: data, stackName: \"kinds-${env}-data-${region}\", templatePath: data.yaml, executionPolicy: {managedPolicyArns: [\"arn:aws:iam::${account}:policy/kinds-data\"]}}\n" +
			"    - {name: api, stackName: \"kinds-${env}-api\", templatePath: api.yaml, dependsOn: [data]}\n" +
			"environments:\n  - {name: dev, account: \"222222222222\", regions: [us-east-1, eu-west-1]}\n  - {name: qa, account: \"222222222222\", regions: [us-east-1, eu-west-1]}\n", nil},
		// 13 grants that admit the roles that run, with several stacks: a
		// stack with an execution role of its own beside Lambda code
		// assets. Its role could not read the asset stores (fixed:
		// delivery); checkDeployValid's asset read paths hold it.
		{"a stack's own execution role reads the assets", "instance-role-not-owned", kindsHead + "assets: {publish: stage}\ndeploy:\n" + kindsPolicy +
			"  stacks:\n    - {name: api, stackName: \"kinds-${env}-api\", templatePath: api.json}\n" +
			"    - {name: worker, stackName: \"kinds-${env}-worker\", templatePath: worker.json, executionPolicy: {managedPolicyArns: [\"arn:aws:iam::${account}:policy/kinds-worker\"]}}\n" +
			"environments:\n  - {name: staging, account: \"222222222222\", regions: [us-east-1, eu-west-1]}\n", nil},
		// 14 a policy IAM refuses, composed from several user lists: two
		// Lambda hooks' statements with one Sid join the hook role's one
		// policy beside several stacks (synthesized; fixed: config, target).
		{"two hooks' statements with one Sid", "exec-policy-iam-star", kindsHead + "deploy:\n" + kindsPolicy +
			"  stacks:\n    - {name: api, stackName: \"kinds-${env}-api\", templatePath: api.json}\n" +
			"  hooks:\n    - {name: smoke, lambda: {function: kinds-smoke, statements: [{sid: Read, actions: [\"dynamodb:GetItem\"], resources: [\"arn:aws:dynamodb:us-east-1:222222222222:table/t\"]}]}}\n" +
			"    - {name: check, lambda: {function: kinds-check, statements: [{sid: Read, actions: [\"dynamodb:Query\"], resources: [\"arn:aws:dynamodb:us-east-1:222222222222:table/u\"]}]}}\n" + kindsStaging,
			[]string{`:12: deploy.hooks[1].lambda.statements[0].sid "Read": also the sid of deploy.hooks[0].lambda.statements[0], another statement: every Lambda hook's statements join one policy, the hook role's, and IAM refuses repeated Sids; choose another sid`}},
		// A refusal that named no field (fixed: delivery): account lists in an organization synthesize.
		{"account lists in an organization", "build-env-over-1000", kindsHead + "deploy:\n" + kindsPolicy +
			"environments:\n  - {name: pilot, accounts: [\"222222222222\", \"333333333333\"], regions: [us-east-1]}\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("kind of %s.yaml", tc.kind)
			cfg := filepath.Join(t.TempDir(), "relay.yaml")
			if err := os.WriteFile(cfg, []byte(tc.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.refused != nil {
				t.Parallel() // a subprocess of its own; shares only the app binary
				appRefuses(t, cfg, tc.refused, nil)
				return
			}
			c, err := config.Load(cfg)
			if err != nil {
				t.Fatalf("config.Load: %v", err)
			}
			// Synthesized in this test binary, one row at a time (jsii takes
			// one caller at a time), as the app does: synthText runs the
			// app's checks on the written templates. A jsii start less per row.
			dir := synthText(t, tc.yaml, false).Dir
			checkDeployValid(t, c, dir)
			if check := kindsChecks[tc.name]; check != nil {
				check(t, c, dir)
			}
		})
	}
}

// kindsChecks are the checks a synthesized row of TestFieldFailureKinds
// adds to deploy validity, by the row's name.
var kindsChecks = map[string]func(t *testing.T, c *config.Config, dir string){
	// Two environments, two regions, two stacks each: 8 stacks, each with
	// its Prepare and Deploy actions, which the recovery function maps to
	// the stack, its region and its own execution role (checkRecovery also
	// runs the function's code on the pipeline's actions).
	"rollback recovery of several stacks in a shared account": func(t *testing.T, c *config.Config, dir string) {
		if n := checkRecovery(t, c, dir); n.envs != 2 || n.stacks != 8 || n.actions != 16 {
			t.Errorf("recovery checked for %d environments, %d stacks, %d actions; want 2, 8 and 16", n.envs, n.stacks, n.actions)
		}
	},
}

// repeatLines is format, whose verbs all take argument 1 (%[1]d, %02[1]d),
// for 0..n-1.
func repeatLines(n int, format string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}
