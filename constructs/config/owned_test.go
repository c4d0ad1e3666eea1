package config

import (
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// TestOwnResources: a field that takes an existing resource is refused,
// with the field, the value and the fix, when it names one that the
// configuration's own pipeline creates (its roles, buckets and managed
// policies), and accepted for a resource of the workload's own, even one
// named like Relay's in another account.
func TestOwnResources(t *testing.T) {
	const (
		ecs = "deploy:\n  ecs: {cluster: web, service: api, taskRoles: [%q]}\n"
		bg  = "deploy:\n  ecsBlueGreen:\n    existingGroup: {application: web, deploymentGroup: \"web-${env}\"}\n    taskRoles: [%q]\n"
		cd  = "deploy:\n  codeDeploy: {instanceTags: {app: [web]}, instanceRoles: [%s]}\n"
		s3  = "deploy:\n  s3: {bucket: %s}\n"
		pol = "deploy:\n  executionPolicy: {managedPolicyArns: [%q]}\n"
		stk = "deploy: {executionPolicy: {managedPolicyArns: [\"arn:aws:iam::aws:policy/AWSLambda_FullAccess\"]}}\n"
		fn  = stk + "steps:\n  - {name: notes, lambda: {function: %s}}\n"
		sm  = stk + "steps:\n  - {name: notes, stepFunctions: {stateMachine: %s}}\nobservability: {alarms: {maxExecutionMinutes: 60}}\n"
		src = "source: {s3: {bucket: %s, key: app.zip, versioned: true}}\naudit: {}\ndeploy: {executionPolicy: {managedPolicyArns: [\"arn:aws:iam::aws:policy/AWSLambda_FullAccess\"]}}\n"
	)
	ecsFail := func(what string) string {
		return values.OwnRoleRule(what, "ecs-tasks.amazonaws.com", "ECS could not start the service's tasks with it", "name the task role and task execution role of the service's own task definition")
	}
	s3Fail := func(what string) string {
		return values.OwnBucketRule(what, "the deploy role would be denied when the action runs, and a release that could write there would overwrite the artifacts that later stages deploy", "release into a bucket of the workload's own")
	}
	tests := []struct {
		name, yaml, want string
	}{
		{"ECS task role under Relay's IAM path", f(ecs, "arn:aws:iam::222222222222:role/relay/shop/shop-staging-deploy"),
			`deploy.ecs.taskRoles[0] "arn:aws:iam::222222222222:role/relay/shop/shop-staging-deploy": ` + ecsFail("a role under Relay's IAM path /relay/<name>/")},
		{"ECS task role named as Relay's hook role, at path /", f(ecs, "arn:aws:iam::222222222222:role/shop-staging-hook"),
			`deploy.ecs.taskRoles[0] "arn:aws:iam::222222222222:role/shop-staging-hook": ` + ecsFail("the hook role of environment staging")},
		// Environment staging's field names environment qa's role, in the
		// account they share.
		{"ECS task role of another environment of the account", f(ecs, "arn:aws:iam::${account}:role/shop-qa-deploy") + "  - {name: qa, account: \"222222222222\", regions: [us-west-2]}\n",
			`deploy.ecs.taskRoles[0] "arn:aws:iam::222222222222:role/shop-qa-deploy": ` + ecsFail("the deploy role of environment qa")},
		{"ECS task role of the workload", f(ecs, "arn:aws:iam::222222222222:role/shop-task"), ""},
		{"ECS blue/green task role of an existing group under Relay's IAM path", f(bg, "arn:aws:iam::222222222222:role/relay/shop/shop-staging-cfn-exec"),
			`deploy.ecsBlueGreen.taskRoles[0] "arn:aws:iam::222222222222:role/relay/shop/shop-staging-cfn-exec": ` + ecsFail("a role under Relay's IAM path /relay/<name>/")},
		{"CodeDeploy instance role named as Relay's deploy role", f(cd, "shop-staging-deploy"),
			`deploy.codeDeploy.instanceRoles[0] "shop-staging-deploy": ` + values.OwnRoleRule("the deploy role of environment staging", "ec2.amazonaws.com", "no instance profile can give it to the instances, and the artifact store admits it at path / only, where it does not exist", "name the role of the instances' own instance profile")},
		{"CodeDeploy instance role of the workload", f(cd, "shop-instance"), ""},
		{"S3 release into the artifact bucket", f(s3, "shop-artifacts-111111111111-us-east-1"),
			`deploy.s3.bucket "shop-artifacts-111111111111-us-east-1": ` + s3Fail("the pipeline's artifact bucket of us-east-1 (shop-artifacts-111111111111-us-east-1)")},
		{"S3 release into another region's asset bucket", f(s3, "shop-assets-111111111111-eu-west-1"),
			`deploy.s3.bucket "shop-assets-111111111111-eu-west-1": ` + s3Fail("the pipeline's asset bucket of eu-west-1 (shop-assets-111111111111-eu-west-1)")},
		{"S3 release into the artifact access-log bucket", f(s3, "shop-logs-111111111111-us-east-1"),
			`deploy.s3.bucket "shop-logs-111111111111-us-east-1": ` + s3Fail("the pipeline's artifact access-log bucket of us-east-1 (shop-logs-111111111111-us-east-1)")},
		{"S3 release into a bucket named like Relay's in the environment's account", f(s3, "shop-assets-222222222222-us-east-1"), ""},
		{"S3 source in the artifact bucket", f(src, "shop-artifacts-111111111111-us-east-1"),
			`source.s3.bucket "shop-artifacts-111111111111-us-east-1": ` + values.OwnBucketRule("the pipeline's artifact bucket of us-east-1 (shop-artifacts-111111111111-us-east-1)", "a build or publishing project could replace the object that the next execution starts from, outside the source's own control", "keep the source object in a versioned bucket of its own")},
		{"S3 source in a bucket of its own", f(src, "shop-releases"), ""},
		{"execution policy attaching the permissions boundary", f(pol, "arn:aws:iam::${account}:policy/relay/shop/shop-staging-boundary"),
			`deploy.executionPolicy.managedPolicyArns[0] "arn:aws:iam::${account}:policy/relay/shop/shop-staging-boundary": ` + values.OwnPolicyRule(values.RelayPathPolicy, "grant what the stacks need with deploy.executionPolicy.statements or a policy of your own")},
		{"step invoking the recovery function", f(fn, "shop-recovery"),
			`steps[0].lambda.function "shop-recovery": ` + values.OwnInvokeRule("the recovery function shop-recovery", "name a function of the workload's own")},
		{"step invoking a function of the workload", f(fn, "shop-release-notes"), ""},
		{"step invoking a function named like the recovery function where there is none", "deploy:\n  s3: {bucket: site}\nsteps:\n  - {name: notes, lambda: {function: shop-recovery}}\n", ""},
		{"step starting the execution timer", f(sm, "shop-execution-timer"),
			`steps[0].stepFunctions.stateMachine "shop-execution-timer": ` + values.OwnInvokeRule("the execution timer shop-execution-timer", "name a state machine of the workload's own")},
		{"ECR source watching the asset repository", "source: {ecr: {repository: relay/shop/assets}}\nassets: {publish: stage, images: true}\nbuild: {privileged: true}\n" + stk,
			`source.ecr.repository "relay/shop/assets": ` + values.OwnRepositoryRule("the pipeline's asset repository relay/shop/assets", "watch a repository the releases are pushed to from outside the pipeline")},
		{"ECR source watching a repository of its own", "source: {ecr: {repository: shop/releases}}\nassets: {publish: stage, images: true}\nbuild: {privileged: true}\n" + stk, ""},
		// A hook runs in its environment's account: only there, in the
		// tooling account and region, is the recovery function its own.
		{"hook invoking the recovery function in the tooling account", stk[:len(stk)-2] + ", hooks: [{name: smoke, lambda: {function: shop-recovery}}]}\n" +
			"environments:\n  - {name: ops, account: \"111111111111\", regions: [us-east-1]}\n",
			`deploy.hooks[0].lambda.function "shop-recovery": ` + values.OwnInvokeRule("the recovery function shop-recovery", "name a function of the workload's own")},
		{"hook invoking a function of that name in another account", stk[:len(stk)-2] + ", hooks: [{name: smoke, lambda: {function: shop-recovery}}]}\n", ""},
		{"execution policy attaching a policy of the workload", f(pol, "arn:aws:iam::${account}:policy/shop-deployer"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			yaml := ownBase + tt.yaml + ownEnvironments
			if !strings.HasPrefix(tt.yaml, "source:") {
				yaml = ownBase + ownSource + tt.yaml + ownEnvironments
			}
			// A case may add an environment after the first, or give
			// its own environments.
			if i := strings.Index(tt.yaml, "  - {name: qa"); i >= 0 {
				yaml = strings.Replace(yaml, tt.yaml[i:], "", 1) + tt.yaml[i:]
			}
			if strings.Contains(tt.yaml, "environments:") {
				yaml = strings.TrimSuffix(yaml, ownEnvironments)
			}
			_, err := Parse("relay.yaml", []byte(yaml))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Parse() = %v, want no error", err)
				}
				return
			}
			for _, m := range messages(err) {
				if _, msg, ok := strings.Cut(m, ": "); ok && msg == tt.want {
					return
				}
			}
			t.Errorf("Parse() error = %v\nwant a line %q", err, tt.want)
		})
	}
}

// ownBase is a configuration without a source and a deploy section, for
// TestOwnResources to add them; ownSource is a source to add.
const (
	ownBase = `name: shop
tooling: {account: "111111111111", region: us-east-1}
`
	ownEnvironments = "environments:\n  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n"
	ownSource       = "source: {github: {repository: acme/shop, connectionArn: \"" + connection + "\"}}\n"
)

// f puts value into format at its %q (quoted) or %s.
func f(format, value string) string {
	return strings.NewReplacer("%q", `"`+value+`"`, "%s", value).Replace(format)
}
