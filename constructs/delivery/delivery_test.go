package delivery_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/constructs/target"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

func example(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse("example.yaml", config.Example())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// translateYAML parses the configuration y and translates it; either
// failing fails the test.
func translateYAML(t *testing.T, y string) *delivery.Spec {
	t.Helper()
	cfg, err := config.Parse("relay.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := delivery.Translate(cfg)
	if err != nil {
		t.Fatalf("Translate() = %v", err)
	}
	return spec
}

func withEnvironments(t *testing.T, n int, wave func(i int) string) *config.Config {
	t.Helper()
	cfg := example(t)
	cfg.Environments = nil
	cfg.Deploy.Hooks = nil // plain change sets: two actions per environment
	cfg.Assets = nil       // no Assets stage: the stages are the environments'
	for i := 0; i < n; i++ {
		cfg.Environments = append(cfg.Environments, config.Environment{
			Name: fmt.Sprintf("env%d", i), Account: fmt.Sprintf("%012d", 500000000000+i), Regions: []string{"us-east-1"}, Wave: wave(i),
		})
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestTranslateRefuses checks that what does not fit a pipeline is refused
// by Translate, before jsii, naming config fields.
func TestTranslateRefuses(t *testing.T) {
	own := func(int) string { return "" }
	withTests := func(cfg *config.Config) *config.Config {
		cfg.Tests = []config.Suite{{Name: "unit", Commands: []string{"make test"}, Input: "source", RunOrder: 1}}
		return cfg
	}
	withAssets := func(cfg *config.Config) *config.Config {
		cfg.Assets = &config.Assets{Publish: config.PublishByStage, Manifests: "cdk.out", MaxConcurrentPublishes: 4}
		return cfg
	}
	tests := []struct {
		name string
		cfg  *config.Config
		want string
	}{
		{"48 environments fit", withEnvironments(t, 48, own), ""},
		{"49 environments need waves", withEnvironments(t, 49, own),
			"environments: 49 deploy stages plus Source and Build make 51 stages; a pipeline has at most 50: put environments that may deploy together in one wave (environments[].wave): waves of 2 or more environments fit"},
		// The bug the release plan fixes: a Test stage was left out of one
		// of the two stage counts, and jsii panicked.
		{"a Test stage and 48 environments", withTests(withEnvironments(t, 48, own)),
			"environments: 48 deploy stages plus Source, Build and Test make 51 stages; a pipeline has at most 50: put environments that may deploy together in one wave (environments[].wave): waves of 2 or more environments fit"},
		// The Assets stage counts like every stage.
		{"an Assets stage and 48 environments", withAssets(withEnvironments(t, 48, own)),
			"environments: 48 deploy stages plus Source, Build and Assets make 51 stages; a pipeline has at most 50: put environments that may deploy together in one wave (environments[].wave): waves of 2 or more environments fit"},
		{"1000 environments in waves of 25", withEnvironments(t, 1000, func(i int) string { return fmt.Sprintf("w%d", i/25) }), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if _, err := delivery.Translate(tc.cfg); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("Translate() = %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestTranslateFollowsNaming(t *testing.T) {
	spec, err := delivery.Translate(example(t))
	if err != nil {
		t.Fatal(err)
	}
	deps := spec.Pipeline.Deployments
	if len(deps) != 2 {
		t.Fatalf("got %d deployments, want 2", len(deps))
	}
	prod := deps[1].Target.(*pipeline.Account)
	want := &pipeline.Account{
		ID:               "333333333333",
		DeployRoleArn:    "arn:aws:iam::333333333333:role/relay/payments/payments-production-deploy",
		ExecutionRoleArn: "arn:aws:iam::333333333333:role/relay/payments/payments-production-cfn-exec",
		InvokeRoleArn:    "arn:aws:iam::333333333333:role/relay/payments/payments-production-invoke",
	}
	if diff := cmp.Diff(want, prod); diff != "" {
		t.Errorf("production target (-want +got):\n%s", diff)
	}
	if a := deps[1].Approval; a == nil || a.TopicName != spec.Names.ApprovalTopic("production") || deps[0].Approval != nil {
		t.Errorf("approvals = %+v, %+v", deps[0].Approval, a)
	}
	var stacks []string
	for _, ts := range spec.Targets {
		stacks = append(stacks, ts.StackName+"@"+ts.Account+"/"+ts.Region)
	}
	if got := strings.Join(stacks, " "); got != "payments-staging@222222222222/us-east-1 payments-production@333333333333/us-east-1" {
		t.Errorf("target stacks = %s", got)
	}
}

// TestTranslateStackNames refuses an environment whose stack would take the
// name of another stack Relay writes (env-name-collides-with-stack.yaml):
// aws-cdk-lib's construct ID collision before, a named error now.
func TestTranslateStackNames(t *testing.T) {
	tests := []struct {
		name   string
		change func(*config.Config)
		want   string
	}{{
		name: "replica store stack",
		change: func(cfg *config.Config) {
			cfg.Environments[1].Name = "tooling-eu-west-1"
			cfg.Environments[0].Regions = []string{"us-east-1", "eu-west-1"}
		},
		want: `environments[1].name "tooling-eu-west-1": its stack payments-tooling-eu-west-1 has the name of the artifact store stack of eu-west-1; rename the environment`,
	}, {
		// The stack of a source in another account is <name>-source-<account>.
		name: "source account stack",
		change: func(cfg *config.Config) {
			cfg.Source = config.Source{CodeCommit: &config.CodeCommitSource{Repository: "payments", Branch: "main", Account: "444444444444"}}
			cfg.Environments[1].Name = "source-444444444444"
		},
		want: `environments[1].name "source-444444444444": its stack payments-source-444444444444 has the name of the source account stack of 444444444444; rename the environment`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := example(t)
			tt.change(cfg)
			_, err := delivery.Translate(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Translate() = %v\nwant %s", err, tt.want)
			}
		})
	}
}

// TestTranslateReservedBucketPrefix refuses a name that starts every
// bucket name with a prefix S3 reserves (sthree-, amzn-s3-demo-): the
// bucket's creation failed at deploy.
func TestTranslateReservedBucketPrefix(t *testing.T) {
	cfg := example(t)
	cfg.Name = "sthree-pay"
	_, err := delivery.Translate(cfg)
	want := `name, tooling.account, tooling.region: S3 bucket name "sthree-pay-artifacts-111111111111-us-east-1" (<name>-artifacts-<tooling account>-<region>) starts with sthree-, which AWS reserves for its own S3 bucket names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): choose another name`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Translate() = %v\nwant %s", err, want)
	}
}

// Example builds every stack of the embedded example configuration: the
// target stacks first, then the tooling stack that depends on them.
func Example() {
	cfg, err := config.Parse("example.yaml", config.Example())
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, err := delivery.Translate(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	app := relaytest.NewApp()
	d := delivery.New(app, spec)
	for _, s := range d.Stacks() {
		var deps []string
		for _, dep := range *s.Dependencies() {
			deps = append(deps, *dep.StackName())
		}
		fmt.Printf("%s in %s/%s, after [%s]\n", *s.StackName(), *s.Account(), *s.Region(), strings.Join(deps, " "))
	}
	// Output:
	// payments-staging in 222222222222/us-east-1, after []
	// payments-production in 333333333333/us-east-1, after []
	// payments-tooling in 111111111111/us-east-1, after [payments-staging payments-production]
}

// TestTranslateChecksComposedNames checks every name after composition,
// whatever built the Config (config.Load caps the name and the environment
// names; a Go caller may not): each problem names the fields that compose
// the name, its shape, its length, the limit and its source.
func TestTranslateChecksComposedNames(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(cfg *config.Config)
		want   []string
	}{
		{"the example fits", func(*config.Config) {}, nil},
		{"a long name", func(cfg *config.Config) { cfg.Name = strings.Repeat("p", 31) }, []string{
			`name, tooling.account, tooling.region: S3 bucket name "ppppppppppppppppppppppppppppppp-artifacts-111111111111-us-east-1" (<name>-artifacts-<tooling account>-<region>) has 64 characters; an S3 bucket name has at most 63 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): shorten name or tooling.account or tooling.region`,
		}},
		{"a long environment name", func(cfg *config.Config) { cfg.Environments[1].Name = strings.Repeat("e", 50) }, []string{
			`name, environments[1].name: IAM role name "payments-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-deploy" (<name>-<environment>-deploy) has 66 characters; an IAM role name has at most 64 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): shorten name or environments[1].name`,
			`name, environments[1].name: IAM role name "payments-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-cfn-exec" (<name>-<environment>-cfn-exec) has 68 characters; an IAM role name has at most 64 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): shorten name or environments[1].name`,
			`name, environments[1].name: IAM role name "payments-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-invoke" (<name>-<environment>-invoke) has 66 characters; an IAM role name has at most 64 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): shorten name or environments[1].name`,
		}},
		{"an environment name that is not a stack name", func(cfg *config.Config) { cfg.Environments[0].Name = "stag_ing" }, []string{
			`name, environments[0].name: CloudFormation stack name "payments-stag_ing" (<name>-<environment>) is not a valid CloudFormation stack name: a letter, then letters, digits and hyphens only (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html): change name or environments[0].name`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := example(t)
			tc.mutate(cfg)
			_, err := delivery.Translate(cfg)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Translate() = %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Translate() accepted the names")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Translate() =\n%v\nwant a line\n%s", err, w)
				}
			}
		})
	}
}

// TestExplainQuota checks that a size finding names the config fields that
// drive the size and a fix that holds for the config at hand: no advice to
// set organization.id when it is set (field failure
// bucket-policy-advice.yaml).
func TestExplainQuota(t *testing.T) {
	bucket := limits.Finding{Limit: limits.ByID(limits.S3BucketPolicy), Stack: "payments-tooling", Resource: "ArtifactsBucketPolicyBC103148", Value: 21266}
	tests := []struct {
		name     string
		mutate   func(cfg *config.Config)
		f        limits.Finding
		field    string
		fix, not []string
	}{
		{"instance roles with an organization", func(cfg *config.Config) {
			cfg.Organization = &config.Organization{ID: "o-a1b2c3d4e5"}
			instanceRoles(cfg, 260)
		}, bucket, "deploy.codeDeploy.instanceRoles",
			[]string{"it grows with 260 instance roles, each admitted by its own ARN pattern (about ", "name fewer instance roles"},
			[]string{"organization.id", "environments[].account"}},
		{"instance roles and accounts without an organization", func(cfg *config.Config) {
			cfg.Organization = nil
			instanceRoles(cfg, 200)
		}, bucket, "deploy.codeDeploy.instanceRoles, environments[].account",
			[]string{"1 account of the environments, each admitted as a principal (about 33 bytes)", "; or set organization.id"}, nil},
		{"the key policy of a replica store", func(cfg *config.Config) {
			cfg.Organization = nil
			cfg.Environments[1].Regions = []string{"eu-west-1"}
		}, limits.Finding{Limit: limits.ByID(limits.KMSKeyPolicy), Stack: "payments-tooling-eu-west-1", Resource: "ArtifactsKeyA4B22E2B", Value: 40000},
			"environments[].account", []string{"set organization.id"}, nil},
		{"another bucket policy is not the store's", func(cfg *config.Config) { cfg.Organization = nil },
			limits.Finding{Limit: limits.ByID(limits.S3BucketPolicy), Stack: "payments-tooling", Resource: "AuditBucketPolicy", Value: 21000}, "", nil, nil},
		{"the execution role", func(*config.Config) {},
			limits.Finding{Limit: limits.ByID(limits.IAMRoleInline), Stack: "payments-staging", Resource: "TargetExecutionRole832DFDAF", Physical: "payments-staging-cfn-exec", Value: 11000},
			"deploy.executionPolicy.statements", []string{"move statements into customer managed policies (deploy.executionPolicy.managedPolicyArns)"}, nil},
		// Roles that take statements only: the advice names their
		// statements, never deploy.executionPolicy (found by the variants
		// sweep: a hook role and a step role were told to move statements
		// into deploy.executionPolicy.managedPolicyArns).
		{"the hook functions' role", func(*config.Config) {},
			limits.Finding{Limit: limits.ByID(limits.IAMRoleInline), Stack: "payments-staging", Resource: "TargetHookRole7F152144", Physical: "payments-staging-hook", Value: 11000},
			"deploy.hooks[0].lambda.statements", []string{"it grows with 1 hook statement of the hook functions' role, one policy for every hook: merge statements with the same actions (one statement with several resources); or name resources by a pattern of the workload's names (with a reason) instead of one by one"},
			[]string{"deploy.executionPolicy"}},
		{"a step's role", func(cfg *config.Config) {
			cfg.Steps = []config.Step{{Name: "tf", When: "after", CodeBuild: &config.CodeBuildStep{Buildspec: "ci/tf.yml", Inputs: []string{"build"}, TimeoutMinutes: 60,
				Role: &config.StepRole{Statements: []config.Statement{{Sid: "Read", Actions: []string{"ssm:GetParameter"}, Resources: []string{"arn:aws:ssm:us-east-1:222222222222:parameter/p"}}}}}}}
		}, limits.Finding{Limit: limits.ByID(limits.IAMRoleInline), Stack: "payments-staging", Resource: "TargetStepRole", Physical: "payments-staging-tf-step", Value: 11000},
			"steps[0].codeBuild.role.statements", []string{"it grows with 1 step role statement: merge statements with the same actions"}, []string{"deploy.executionPolicy"}},
		{"a stack's execution role of its own", func(cfg *config.Config) { ownRoleStacks(cfg, 2) },
			limits.Finding{Limit: limits.ByID(limits.IAMRoleInline), Stack: "payments-staging", Resource: "TargetExecutionRolepart01", Physical: "payments-staging-part-01-cfn-exec", Value: 11000},
			"deploy.stacks[2].executionPolicy.statements", []string{"it grows with 1 execution policy statement: move statements into customer managed policies (deploy.stacks[2].executionPolicy.managedPolicyArns); or merge statements with the same actions"},
			[]string{"deploy.executionPolicy.managedPolicyArns"}},
		{"the job-results trust without an organization", func(cfg *config.Config) { cfg.Organization = nil },
			limits.Finding{Limit: limits.ByID(limits.IAMTrustPolicy), Stack: "payments-tooling", Resource: "JobResultsRole", Physical: "payments-job-results", Value: 2100},
			"environments[].account", []string{"set organization.id: the trust then admits the organization",
				"; or once Service Quotas raised the quota to at least 2100 (AWS allows up to 4096) in every account this deploys to, declare it in quotas.iamRoleTrustPolicyLength"}, nil},
		// Past AWS's largest trust policy, declaring a raised quota is no
		// fix.
		{"a job-results trust longer than any quota", func(cfg *config.Config) { cfg.Organization = nil },
			limits.Finding{Limit: limits.ByID(limits.IAMTrustPolicy), Stack: "payments-tooling", Resource: "JobResultsRole", Physical: "payments-job-results", Value: 4100},
			"environments[].account", []string{"set organization.id: the trust then admits the organization instead of each account"}, []string{"quotas.iamRoleTrustPolicyLength", "Service Quotas"}},
		{"the job-results trust with an organization: nothing to trace", func(cfg *config.Config) { cfg.Organization = &config.Organization{ID: "o-a1b2c3d4e5"} },
			limits.Finding{Limit: limits.ByID(limits.IAMTrustPolicy), Stack: "payments-tooling", Resource: "JobResultsRole", Physical: "payments-job-results", Value: 2100},
			"", nil, nil},
		{"the pipeline role", func(cfg *config.Config) {
			cfg.Tests = []config.Suite{{Name: "unit", Commands: []string{"make test"}, Input: "source", RunOrder: 1}}
		}, limits.Finding{Limit: limits.ByID(limits.IAMRoleInline), Stack: "payments-tooling", Resource: "PipelineRoleD68726F7", Physical: "payments-pipeline", Value: 11000},
			"tests, securityScan.scanners", []string{"1 test suite or scanner, each a CodeBuild project ARN"}, nil},
		// The deploy role creates each stack's change sets through the
		// stack's own execution role, one statement per role (Value 0: the
		// size New writes for the config).
		{"the deploy role, grown by deploy.stacks with roles of their own", func(cfg *config.Config) { ownRoleStacks(cfg, 12) },
			deployRole("staging"), "deploy.stacks[].executionPolicy, deploy.stacks",
			[]string{"it grows with 12 entries of deploy.stacks with an execution role of their own (part-00, part-01, part-02, part-03, part-04, part-05, part-06, part-07, part-08, part-09, part-10, part-11), each with CreateChangeSet and DeleteStack statements of its own and its ARN to pass (about ",
				"13 stack names in 1 region, each stack's ARN in ManageDeployedStacks and its execution role's CreateChangeSet and DeleteStack statements, once per region it deploys to",
				"give at least 3 fewer deploy.stacks entries an executionPolicy of their own"},
			[]string{"regions", "deploy.executionPolicy.statements"}},
		{"the deploy role, grown by deploy.stacks in two regions", func(cfg *config.Config) {
			ownRoleStacks(cfg, 8)
			cfg.Environments[0].Regions = []string{"us-east-1", "eu-west-1"}
		}, deployRole("staging"), "deploy.stacks, deploy.stacks[].executionPolicy, environments[0].regions",
			[]string{"2 regions of environments[0], each with every stack's ARN again and an artifact store to read", "deploy environments[0] to 1 region (about "},
			nil},
		{"the deploy role, far over", func(cfg *config.Config) {
			ownRoleStacks(cfg, 23)
			cfg.Environments[0].Regions = []string{"us-east-1", "eu-west-1", "us-west-2"}
		},
			deployRole("staging"), "deploy.stacks, deploy.stacks[].executionPolicy, environments[0].regions",
			[]string{"no one of these changes alone brings it under the limit (it is ", "combine fewer execution roles of their own, fewer stacks, fewer regions", "or split deploy.stacks between Relay configurations"},
			[]string{"give at least"}},
		{"the deploy role near the limit", func(cfg *config.Config) { ownRoleStacks(cfg, 4) },
			limits.Finding{Limit: limits.ByID(limits.IAMRoleInline), Stack: "payments-staging", Resource: "TargetDeployRole7BD40316", Physical: "payments-staging-deploy", Value: 9000},
			"deploy.stacks[].executionPolicy, deploy.stacks", []string{"give fewer deploy.stacks entries an executionPolicy of their own", "deploy fewer stacks"}, []string{"at least"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := example(t)
			tc.mutate(cfg)
			spec, err := delivery.Translate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if tc.f.Value == 0 {
				// The deploy role's policy as New writes it for this config
				// (TestDeployPolicySize: the template's size).
				for _, ts := range spec.Targets {
					if ts.StackName == tc.f.Stack && ts.Props != nil {
						tc.f.Value = ts.Props.DeployPolicySize()
					}
				}
			}
			got := spec.Explain(tc.f)
			if got.Field != tc.field {
				t.Errorf("Field = %q, want %q", got.Field, tc.field)
			}
			if tc.field == "" && got.Fix != "" {
				t.Errorf("Fix = %q for a finding Explain cannot trace", got.Fix)
			}
			for _, w := range tc.fix {
				if !strings.Contains(got.Error(), w) {
					t.Errorf("%s\nlacks %q", got.Error(), w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got.Error(), w) {
					t.Errorf("%s\nadvises %q, which does not hold for this config", got.Error(), w)
				}
			}
		})
	}
}

// TestDeployRoleAdviceHolds makes each change the deploy role's advice
// gives ("give at least 3 fewer deploy.stacks entries an executionPolicy",
// "deploy at least 5 fewer stacks", "deploy environments[0] to 1 region")
// to the config, and checks that the policy then fits.
func TestDeployRoleAdviceHolds(t *testing.T) {
	var (
		ownRolesRE = regexp.MustCompile(`give at least (\d+) fewer deploy\.stacks entries an executionPolicy`)
		stacksRE   = regexp.MustCompile(`deploy at least (\d+) fewer stacks`)
		regionsRE  = regexp.MustCompile(`deploy environments\[0\] to (?:at most )?(\d+) regions?`)
	)
	size := func(t *testing.T, cfg *config.Config) int {
		t.Helper()
		spec, err := delivery.Translate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, ts := range spec.Targets {
			if ts.Environment == "staging" {
				return ts.Props.DeployPolicySize()
			}
		}
		t.Fatal("no staging target")
		return 0
	}
	for _, tc := range []struct {
		name   string
		mutate func(cfg *config.Config)
		// advice are the fixes it must give.
		advice []*regexp.Regexp
	}{
		{"entries with execution roles of their own", func(cfg *config.Config) { ownRoleStacks(cfg, 12) }, []*regexp.Regexp{ownRolesRE, stacksRE}},
		{"stacks in two regions", func(cfg *config.Config) {
			ownRoleStacks(cfg, 20)
			for k := range cfg.Deploy.Stacks {
				cfg.Deploy.Stacks[k].ExecutionPolicy = nil
			}
			cfg.Environments[0].Regions = []string{"us-east-1", "eu-west-1"}
		}, []*regexp.Regexp{stacksRE, regionsRE}},
		{"entries with roles of their own in two regions", func(cfg *config.Config) {
			ownRoleStacks(cfg, 8)
			cfg.Environments[0].Regions = []string{"us-east-1", "eu-west-1"}
		}, []*regexp.Regexp{ownRolesRE, stacksRE, regionsRE}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := example(t)
			tc.mutate(cfg)
			f := deployRole("staging")
			f.Value = size(t, cfg)
			if !f.Over() {
				t.Fatalf("the deploy role has %d characters, not over the limit", f.Value)
			}
			spec, err := delivery.Translate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			advice := spec.Explain(f).Error()
			for _, re := range tc.advice {
				m := re.FindStringSubmatch(advice)
				if m == nil {
					t.Errorf("%s\nlacks %s", advice, re)
					continue
				}
				n, _ := strconv.Atoi(m[1])
				fixed := example(t)
				tc.mutate(fixed)
				switch re {
				case ownRolesRE:
					for k := len(fixed.Deploy.Stacks) - 1; k >= 0 && n > 0; k-- {
						if fixed.Deploy.Stacks[k].ExecutionPolicy != nil {
							fixed.Deploy.Stacks[k].ExecutionPolicy, n = nil, n-1
						}
					}
				case stacksRE:
					fixed.Deploy.Stacks = fixed.Deploy.Stacks[:len(fixed.Deploy.Stacks)-n]
				case regionsRE:
					fixed.Environments[0].Regions = fixed.Environments[0].Regions[:n]
				}
				if got := size(t, fixed); got > f.Limit.Max {
					t.Errorf("%q: the deploy role still has %d characters", m[0], got)
				}
			}
		})
	}
}

// deployRole is a finding of env's deploy role over IAM's limit, its
// Value to be measured (0).
func deployRole(env string) limits.Finding {
	return limits.Finding{Limit: limits.ByID(limits.IAMRoleInline), Stack: "payments-" + env, Resource: "TargetDeployRole7BD40316", Physical: "payments-" + env + "-deploy"}
}

// ownRoleStacks makes cfg deploy, as deploy.stacks, the example's stack and
// n stacks with execution roles of their own (part-00, part-01, ...).
func ownRoleStacks(cfg *config.Config, n int) {
	stacks := []config.Component{{Name: "app", StackName: "payments-app", TemplatePath: "template.json", Capabilities: []string{"CAPABILITY_IAM"}}}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("part-%02d", i)
		stacks = append(stacks, config.Component{Name: name, StackName: "payments-" + name + "-${env}", TemplatePath: name + ".yaml",
			ExecutionPolicy: &config.ExecutionPolicy{Statements: []config.Statement{{Actions: []string{"sqs:CreateQueue"}, Resources: []string{"arn:aws:sqs:us-east-1:222222222222:payments-" + name}}}}})
	}
	cfg.Deploy.StackName, cfg.Deploy.TemplatePath, cfg.Deploy.Capabilities, cfg.Deploy.Stacks = "", "", nil, stacks
	for i := range cfg.Environments {
		cfg.Environments[i].Parameters = nil
	}
}

// instanceRoles makes cfg release to EC2 instances with n instance roles.
func instanceRoles(cfg *config.Config, n int) {
	var roles []string
	for i := 0; i < n; i++ {
		roles = append(roles, fmt.Sprintf("fleet-instance-role-with-a-long-descriptive-name-%03d", i))
	}
	cfg.Deploy = config.Deploy{CodeDeploy: &config.CodeDeployDeploy{InstanceTags: map[string][]string{"app": {"fleet"}}, InstanceRoles: roles}}
	cfg.Environments = cfg.Environments[:1]
	cfg.Environments[0].Parameters = nil
	cfg.Environments[0].TemplateConfiguration = ""
}

// TestConstructIDsCannotCollide builds two environments whose names and
// hooks joined with "-" would give one construct ID ("prod" with hook
// "us-east-1-ab", "prod-us-east-1" with hook "ab", both in us-east-1): a
// jsii panic before construct IDs joined names with ".".
func TestConstructIDsCannotCollide(t *testing.T) {
	cfg := example(t)
	cfg.Deploy.Hooks = []config.Hook{
		{Name: "ab", When: "after", Lambda: &config.LambdaHook{Function: "fa"}},
		{Name: "us-east-1-ab", When: "after", Lambda: &config.LambdaHook{Function: "fb"}},
	}
	cfg.Environments[0].Name, cfg.Environments[1].Name = "prod", "prod-us-east-1"
	cfg.Environments[1].Regions = []string{"us-east-1"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	spec, err := delivery.Translate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	app := relaytest.NewApp()
	relaytest.Do(t, "delivery.New", func() { delivery.New(app, spec) })
}

// TestTranslateWorkloadStackNames refuses a workload stack whose name,
// account and region are those of a stack Relay deploys (the kind of
// env-name-collides-with-stack.yaml: a name the user writes equal to one
// Relay generates): the pipeline's change set would replace Relay's own
// stack (its roles, or the pipeline itself) with the workload's template.
func TestTranslateWorkloadStackNames(t *testing.T) {
	const head = `name: kinds
tooling: {account: "111111111111", region: us-east-1}
source:
  github: {repository: acme/kinds, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
`
	const policy = `  executionPolicy: {managedPolicyArns: ["arn:aws:iam::${account}:policy/kinds-deployer"]}
`
	for _, tc := range []struct{ name, yaml, want string }{
		{"the environment's own stack", head + "deploy:\n  stackName: kinds-staging\n" + policy +
			"environments:\n  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n",
			`deploy.stackName "kinds-staging": environments[0] "staging" deploys this stack to account 222222222222 in us-east-1, where Relay's stack of environments[0] "staging" has this name: the change set would replace it with the workload's template; choose another stack name`},
		{"an environment named like the default stack name", head + "deploy:\n" + policy +
			"environments:\n  - {name: app, account: \"222222222222\", regions: [us-east-1]}\n",
			`deploy.stackName "kinds-app": environments[0] "app" deploys this stack to account 222222222222 in us-east-1, where Relay's stack of environments[0] "app" has this name`},
		{"the tooling stack", head + "deploy:\n  stackName: kinds-tooling\n" + policy +
			"environments:\n  - {name: staging, account: \"111111111111\", regions: [us-east-1]}\n",
			`deploy.stackName "kinds-tooling": environments[0] "staging" deploys this stack to account 111111111111 in us-east-1, where Relay's tooling stack has this name`},
		{"a regional tooling stack", head + "deploy:\n  stackName: kinds-tooling-us-west-2\n" + policy +
			"environments:\n  - {name: staging, account: \"111111111111\", regions: [us-west-2]}\n",
			`deploy.stackName "kinds-tooling-us-west-2": environments[0] "staging" deploys this stack to account 111111111111 in us-west-2, where Relay's artifact store stack of us-west-2 has this name`},
		{"another environment's stack in a shared account", head + "deploy:\n  stackName: kinds-app-${env}\n" + policy +
			"environments:\n  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n  - {name: app-staging, account: \"222222222222\", regions: [us-east-1]}\n",
			`deploy.stackName "kinds-app-staging": environments[0] "staging" deploys this stack to account 222222222222 in us-east-1, where Relay's stack of environments[1] "app-staging" has this name`},
		{"an entry of deploy.stacks", head + "deploy:\n" + policy + "  stacks:\n    - {name: infra, stackName: \"kinds-${env}\", templatePath: infra.yaml}\n" +
			"environments:\n  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n",
			`deploy.stacks[0].stackName "kinds-staging": environments[0] "staging" deploys this stack to account 222222222222 in us-east-1, where Relay's stack of environments[0] "staging" has this name`},
		// The same names elsewhere are other stacks.
		{"the tooling stack's name in another region", head + "deploy:\n  stackName: kinds-tooling\n" + policy +
			"environments:\n  - {name: staging, account: \"111111111111\", regions: [us-west-2]}\n", ""},
		{"another environment's stack name in another account", head + "deploy:\n  stackName: kinds-staging\n" + policy +
			"environments:\n  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n  - {name: prod, account: \"333333333333\", regions: [us-east-1]}\n",
			`deploy.stackName "kinds-staging": environments[0] "staging" deploys this stack`},
		{"each other's stack names in other accounts", head + "deploy:\n  stackName: ${stack}\n" + policy +
			"environments:\n  - {name: staging, account: \"222222222222\", regions: [us-east-1], settings: {stack: kinds-prod}}\n  - {name: prod, account: \"333333333333\", regions: [us-east-1], settings: {stack: kinds-staging}}\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Parse("relay.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if _, err := delivery.Translate(cfg); err != nil {
				got = err.Error()
			}
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("Translate() = %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestTranslateOrganizationWithAccountLists translates an organization
// whose environments are lists of accounts (StackSets) only: no target
// account holds a role that reads the artifact store, so the store admits
// none, instead of refusing an organization ID without OUs or accounts
// (Translate once passed that to artifacts.Readers, and the app printed
// "aws-cdk-lib refused the stacks: artifacts.StoreProps: Readers: ...").
func TestTranslateOrganizationWithAccountLists(t *testing.T) {
	const head = `name: kinds
tooling: {account: "111111111111", region: us-east-1}
organization: {id: o-a1b2c3d4e5}
source:
  github: {repository: acme/kinds, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::${account}:policy/kinds-deployer"]}
`
	for _, tc := range []struct {
		name, envs string
		accounts   []string
	}{
		{"one account list", "  - {name: pilot, accounts: [\"222222222222\", \"333333333333\"], regions: [us-east-1]}\n", nil},
		{"a list and its extension", "  - {name: pilot, accounts: [\"222222222222\"], regions: [us-east-1]}\n  - {name: fleet, accounts: [\"333333333333\"], stackSetOf: pilot, regions: [us-east-1]}\n", nil},
		{"a list and an account environment", "  - {name: pilot, accounts: [\"222222222222\"], regions: [us-east-1]}\n  - {name: prod, account: \"444444444444\", regions: [us-east-1]}\n", []string{"444444444444"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := translateYAML(t, head+"environments:\n"+tc.envs)
			if err := spec.Store.Readers.Validate(); err != nil {
				t.Errorf("Store.Readers.Validate() = %v", err)
			}
			if got := spec.Store.Readers.Accounts; !slices.Equal(got, tc.accounts) {
				t.Errorf("Store.Readers.Accounts = %v, want %v", got, tc.accounts)
			}
		})
	}
}

// TestTranslateBoundaryOfStackRoles names the permissions boundary of an
// environment whose stacks all have execution roles of their own (a
// composed name, the kind of stackset-name-over-128.yaml): it was
// "-boundary", the same in every environment of an account.
func TestTranslateBoundaryOfStackRoles(t *testing.T) {
	const y = `name: kinds
tooling: {account: "111111111111", region: us-east-1}
source:
  github: {repository: acme/kinds, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
deploy:
  stacks:
    - {name: infra, stackName: "kinds-${env}-infra", templatePath: a.yaml, executionPolicy: {managedPolicyArns: ["arn:aws:iam::${account}:policy/kinds-infra"]}}
    - {name: app, stackName: "kinds-${env}-app", templatePath: b.yaml, executionPolicy: {managedPolicyArns: ["arn:aws:iam::${account}:policy/kinds-app"]}}
environments:
  - {name: dev, account: "222222222222", regions: [us-east-1]}
  - {name: qa, account: "222222222222", regions: [us-east-1]}
`
	spec := translateYAML(t, y)
	for i, want := range []string{"kinds-dev-boundary", "kinds-qa-boundary"} {
		if got := spec.Targets[i].Props.BoundaryName(); got != want {
			t.Errorf("Targets[%d].Props.BoundaryName() = %q, want %q", i, got, want)
		}
	}
}

// TestTranslateStepRoleInRegions: a step role statement whose resources
// name ${region} (as the README's smoke-test step does) is one statement of
// the role with each region's resource, not one statement per region under
// the same Sid, which IAM and target.Props refuse.
func TestTranslateStepRoleInRegions(t *testing.T) {
	const head = `name: ledger
tooling: {account: "111111111111", region: us-east-1}
source:
  github: {repository: acme/ledger, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::${account}:policy/ledger-deployer"]}
steps:
  - name: smoke
    codeBuild:
      buildspec: ci/smoke.yml
      role:
        statements:
          - {sid: Read, actions: ["dynamodb:GetItem"], resources: ["arn:aws:dynamodb:${region}:${account}:table/ledger-${env}"]}
          - {sid: Logs, actions: ["logs:GetLogEvents"], resources: ["arn:aws:logs:us-east-1:${account}:log-group:/ledger/${env}:*"], reason: "Streams of the ledger's log group."}
environments:
`
	tests := []struct {
		name    string
		regions string
		want    []target.Statement
	}{
		{"one region", "[us-east-1]", []target.Statement{
			{Sid: "Read", Actions: []string{"dynamodb:GetItem"}, Resources: []string{"arn:aws:dynamodb:us-east-1:222222222222:table/ledger-staging"}},
			{Sid: "Logs", Actions: []string{"logs:GetLogEvents"}, Resources: []string{"arn:aws:logs:us-east-1:222222222222:log-group:/ledger/staging:*"}, Reason: "Streams of the ledger's log group."},
		}},
		{"two regions", "[us-east-1, eu-west-1]", []target.Statement{
			{Sid: "Read", Actions: []string{"dynamodb:GetItem"}, Resources: []string{"arn:aws:dynamodb:us-east-1:222222222222:table/ledger-staging", "arn:aws:dynamodb:eu-west-1:222222222222:table/ledger-staging"}},
			{Sid: "Logs", Actions: []string{"logs:GetLogEvents"}, Resources: []string{"arn:aws:logs:us-east-1:222222222222:log-group:/ledger/staging:*"}, Reason: "Streams of the ledger's log group."},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			y := head + `  - {name: staging, account: "222222222222", regions: ` + tc.regions + "}\n"
			spec := translateYAML(t, y)
			roles := spec.Targets[0].Props.StepRoles
			if len(roles) != 1 {
				t.Fatalf("StepRoles = %+v, want one", roles)
			}
			if diff := cmp.Diff(tc.want, roles[0].Statements); diff != "" {
				t.Errorf("statements (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTranslateInvokeRoleReadsArtifacts: the invoke roles read the
// artifact store (its bucket and key policies admit them, and their own
// policies read it) only when an invoke action takes an input artifact: a
// Step Functions hook with an input file. Lambda hooks take none.
func TestTranslateInvokeRoleReadsArtifacts(t *testing.T) {
	const head = `name: ledger
tooling: {account: "111111111111", region: us-east-1}
source:
  github: {repository: acme/ledger, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::${account}:policy/ledger-deployer"]}
  hooks:
`
	tests := []struct {
		name  string
		hooks string
		reads bool
	}{
		{"Lambda hooks", "    - {name: smoke, lambda: {function: ledger-smoke}}\n", false},
		{"a Step Functions hook with input", "    - {name: report, stepFunctions: {stateMachine: ledger-report, input: {stage: after}}}\n", false},
		{"a Step Functions hook with an input file", "    - {name: smoke, lambda: {function: ledger-smoke}}\n    - {name: migrate, stepFunctions: {stateMachine: ledger-migrate, inputFile: migrations/input.json}}\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			y := head + tc.hooks + "environments:\n  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n"
			cfg, err := config.Parse("relay.yaml", []byte(y))
			if err != nil {
				t.Fatal(err)
			}
			spec, err := delivery.Translate(cfg)
			if err != nil {
				t.Fatalf("Translate() = %v", err)
			}
			invoke := spec.Names.InvokeRolePattern()
			if got := slices.Contains(spec.Store.Readers.RoleArnPatterns, invoke); got != tc.reads {
				t.Errorf("store readers %q include %s: %v, want %v", spec.Store.Readers.RoleArnPatterns, invoke, got, tc.reads)
			}
			if got := spec.Targets[0].Props.InvokeReadsArtifacts; got != tc.reads {
				t.Errorf("InvokeReadsArtifacts = %v, want %v", got, tc.reads)
			}
		})
	}
}

// TestTranslateOrganizationalUnitsHoldNoRoles: an organizationalUnits
// environment deploys through its StackSet actions, which run as the
// pipeline role, and StackSets acts in the member accounts through its own
// roles; so Relay puts no roles there, and no grant admits Relay's roles
// from those OUs (the artifact store once admitted <name>-*-deploy from
// them by aws:PrincipalOrgPaths, for roles that never read an artifact).
// organization.organizationalUnits, which hold the account environments'
// accounts, still scope the grants.
func TestTranslateOrganizationalUnitsHoldNoRoles(t *testing.T) {
	const head = `name: fleet
tooling: {account: "111111111111", region: us-east-1}
source:
  github: {repository: acme/fleet, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::${account}:policy/fleet-deployer"]}
environments:
  - {name: members, organizationalUnits: [ou-ab12-cd34ef56, ou-ab12-cd34ef57], regions: [us-east-1, eu-west-1]}
`
	const staging = "  - {name: staging, account: \"222222222222\", regions: [us-east-1]}\n"
	tests := []struct {
		name, org, envs string
		targets         []string
		readers         artifacts.Readers
	}{
		{"organizational units only", "organization: {id: o-a1b2c3d4e5}\n", "", nil,
			artifacts.Readers{RoleArnPatterns: []string{"arn:aws:iam::*:role/relay/fleet/fleet-*-deploy"}}},
		{"and an account environment", "organization: {id: o-a1b2c3d4e5}\n", staging, []string{"staging"},
			artifacts.Readers{RoleArnPatterns: []string{"arn:aws:iam::*:role/relay/fleet/fleet-*-deploy"},
				OrganizationID: "o-a1b2c3d4e5", Accounts: []string{"222222222222"}}},
		{"and an account environment under organization.organizationalUnits", "organization: {id: o-a1b2c3d4e5, organizationalUnits: [ou-ab12-w0rkl0ad]}\n", staging, []string{"staging"},
			artifacts.Readers{RoleArnPatterns: []string{"arn:aws:iam::*:role/relay/fleet/fleet-*-deploy"},
				OrganizationID: "o-a1b2c3d4e5", OrganizationalUnits: []string{"ou-ab12-w0rkl0ad"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			y := strings.Replace(head, "source:", tc.org+"source:", 1) + tc.envs
			spec := translateYAML(t, y)
			var targets []string
			for _, ts := range spec.Targets {
				targets = append(targets, ts.Environment)
			}
			if !slices.Equal(targets, tc.targets) {
				t.Errorf("Targets = %v, want %v: an organizationalUnits environment has no roles", targets, tc.targets)
			}
			if diff := cmp.Diff(tc.readers, spec.Store.Readers); diff != "" {
				t.Errorf("Store.Readers (-want +got):\n%s", diff)
			}
			if err := spec.Store.Readers.Validate(); err != nil {
				t.Errorf("Store.Readers.Validate() = %v", err)
			}
		})
	}
}
