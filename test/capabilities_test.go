package test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/relaytest"
)

// TestOrganizationalUnits builds environments of OUs: the pipeline deploys
// the workload to the OUs as a StackSet, running as the pipeline role, and
// StackSets acts in the member accounts through its own roles. Relay puts
// nothing into those accounts (no roles StackSet), and no policy admits
// Relay's roles from the OUs: every policy admits exactly what runs.
func TestOrganizationalUnits(t *testing.T) {
	cfg, err := config.Load(filepath.Join("testdata", "configs", "org-units.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, d := build(t, cfg)
	var names []string
	for _, s := range d.Stacks() {
		names = append(names, *s.StackName())
	}
	if got := strings.Join(names, " "); got != "fleet-staging fleet-tooling" {
		t.Errorf("stacks = %s, want only the account environment's stack and the tooling stack", got)
	}
	tpl := relaytest.Template(t, d.ToolingStack())
	if sets := *tpl.FindResources(jsii.String("AWS::CloudFormation::StackSet"), nil); len(sets) > 0 {
		var ids []string
		for id := range sets {
			ids = append(ids, id)
		}
		t.Errorf("the tooling stack holds StackSets %v; an organizationalUnits environment needs none (its StackSet is the pipeline action's)", ids)
	}
	// The artifact store admits the deploy roles of the account
	// environment's account only; no grant by the OUs' paths.
	raw, err := json.Marshal(tpl.ToJSON())
	if err != nil {
		t.Fatal(err)
	}
	for _, ou := range []string{"ou-ab12-cd34ef56", "ou-ab12-cd34ef57", "ou-ab12-cd34ef58"} {
		if strings.Contains(string(raw), "/"+ou+"/") {
			t.Errorf("the tooling stack admits principals from %s by aws:PrincipalOrgPaths; nothing of Relay's runs there", ou)
		}
	}
	for _, typ := range []string{"AWS::S3::BucketPolicy", "AWS::KMS::Key"} {
		for id, r := range *tpl.FindResources(jsii.String(typ), nil) {
			b, _ := json.Marshal(r)
			if n := strings.Count(string(b), `"Sid":"ReadArtifactsFromTargetRoles`); (strings.HasPrefix(id, "ArtifactsBucketPolicy") || strings.HasPrefix(id, "ArtifactsKey")) && n != 1 {
				t.Errorf("%s %s: %d statements ReadArtifactsFromTargetRoles*, want 1 (the deploy roles of 222222222222)", typ, id, n)
			}
		}
	}

	relaytest.Check(t, "workload StackSet action", func() {
		tpl.HasResourceProperties(jsii.String("AWS::CodePipeline::Pipeline"), map[string]interface{}{
			"Stages": assertions.Match_ArrayWith(&[]interface{}{map[string]interface{}{
				"Name":      "Deploy-members",
				"OnFailure": map[string]interface{}{"Result": "ROLLBACK"},
				"Actions": []interface{}{
					assertions.Match_ObjectLike(&map[string]interface{}{"Name": "Approve", "RunOrder": 1}),
					assertions.Match_ObjectLike(&map[string]interface{}{
						"Name":           "DeployStackSet",
						"RunOrder":       2,
						"ActionTypeId":   map[string]interface{}{"Category": "Deploy", "Owner": "AWS", "Provider": "CloudFormationStackSet", "Version": "1"},
						"RoleArn":        assertions.Match_Absent(),
						"InputArtifacts": []interface{}{map[string]interface{}{"Name": "Build"}},
						"Configuration": assertions.Match_ObjectLike(&map[string]interface{}{
							"StackSetName":                "fleet-baseline-members",
							"TemplatePath":                "Build::template.json",
							"PermissionModel":             "SERVICE_MANAGED",
							"OrganizationsAutoDeployment": "Enabled",
							"DeploymentTargets":           "ou-ab12-cd34ef56,ou-ab12-cd34ef57",
							"Regions":                     "us-east-1,eu-west-1",
							"MaxConcurrentPercentage":     20,
							"FailureTolerancePercentage":  5,
						}),
					}),
				},
			}}),
		})
	})
	relaytest.Check(t, "pipeline role may manage the workload StackSet only", func() {
		tpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]interface{}{
			"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
				assertions.Match_ObjectLike(&map[string]interface{}{
					"Sid":      "DeployWorkloadStackSets",
					"Resource": "arn:aws:cloudformation:us-east-1:111111111111:stackset/fleet-baseline-members:*",
				}),
			})}),
		})
	})
}

// TestPipelineBehaviour builds testdata/configs/behaviour.yaml: execution
// mode, variables, freeze, rollback, approval details and the approver role.
func TestPipelineBehaviour(t *testing.T) {
	cfg, err := config.Load(filepath.Join("testdata", "configs", "behaviour.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, d := build(t, cfg)
	tpl := relaytest.Template(t, d.ToolingStack())
	relaytest.Check(t, "pipeline", func() {
		tpl.HasResourceProperties(jsii.String("AWS::CodePipeline::Pipeline"), map[string]interface{}{
			"ExecutionMode": "QUEUED",
			"Variables":     []interface{}{map[string]interface{}{"Name": "releaseTag", "DefaultValue": "latest", "Description": "Image tag to release"}},
			"DisableInboundStageTransitions": []interface{}{map[string]interface{}{
				"StageName": "Deploy-production", "Reason": "Holiday freeze until Jan 5",
			}},
			"Stages": assertions.Match_ArrayWith(&[]interface{}{
				assertions.Match_ObjectLike(&map[string]interface{}{"Name": "Deploy-canary", "OnFailure": assertions.Match_Absent()}),
				assertions.Match_ObjectLike(&map[string]interface{}{
					"Name":      "Deploy-production",
					"OnFailure": map[string]interface{}{"Result": "ROLLBACK"},
					"Actions": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
						"Name":             "Approve",
						"TimeoutInMinutes": 1440,
						"Configuration": assertions.Match_ObjectLike(&map[string]interface{}{
							"CustomData":         "Check the canary dashboard first (canary stack: #{Deploy_canary_eu-west-1.StackName})",
							"ExternalEntityLink": "https://grafana.example.com/d/orders-canary",
						}),
					})}),
				}),
			}),
		})
	})
	relaytest.Check(t, "variables: references go to the action, stack outputs get a namespace", func() {
		tpl.HasResourceProperties(jsii.String("AWS::CodePipeline::Pipeline"), map[string]interface{}{
			"Stages": assertions.Match_ArrayWith(&[]interface{}{
				assertions.Match_ObjectLike(&map[string]interface{}{"Name": "Build", "Actions": []interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
					"Configuration": assertions.Match_ObjectLike(&map[string]interface{}{
						"EnvironmentVariables": assertions.Match_StringLikeRegexp(jsii.String(`"name":"RELEASE_TAG","type":"PLAINTEXT","value":"#\{variables.releaseTag\}"`)),
					}),
				})}}),
				assertions.Match_ObjectLike(&map[string]interface{}{"Name": "Deploy-canary", "Actions": assertions.Match_ArrayWith(&[]interface{}{
					assertions.Match_ObjectLike(&map[string]interface{}{"Name": "Deploy-eu-west-1", "Namespace": "Deploy_canary_eu-west-1"}),
				})}),
			}),
		})
	})
	relaytest.Check(t, "entry conditions", func() {
		tpl.HasResourceProperties(jsii.String("AWS::CodePipeline::Pipeline"), map[string]interface{}{
			"Stages": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
				"Name": "Deploy-production",
				"BeforeEntry": map[string]interface{}{"Conditions": []interface{}{map[string]interface{}{
					"Result": "FAIL",
					"Rules": []interface{}{
						assertions.Match_ObjectLike(&map[string]interface{}{
							"Name":          "DeploymentWindow",
							"RuleTypeId":    assertions.Match_ObjectLike(&map[string]interface{}{"Provider": "DeploymentWindow"}),
							"Configuration": map[string]interface{}{"Cron": "cron(* 9-16 ? * MON-FRI *)", "TimeZone": "Europe/Berlin"},
						}),
						assertions.Match_ObjectLike(&map[string]interface{}{
							"Name":          "NoAlarm1",
							"RuleTypeId":    assertions.Match_ObjectLike(&map[string]interface{}{"Provider": "CloudWatchAlarm"}),
							"Configuration": map[string]interface{}{"AlarmName": "orders-canary-5xx"},
						}),
					},
				}}},
			})}),
		})
		tpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]interface{}{
			"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
				map[string]interface{}{"Sid": "CheckEntryAlarms", "Effect": "Allow", "Action": "cloudwatch:DescribeAlarms", "Resource": "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:orders-canary-5xx"},
			})}),
		})
	})
	relaytest.Check(t, "build settings", func() {
		tpl.HasResourceProperties(jsii.String("AWS::CodeBuild::Project"), map[string]interface{}{
			"Environment": assertions.Match_ObjectLike(&map[string]interface{}{
				"PrivilegedMode": true,
				"EnvironmentVariables": []interface{}{
					map[string]interface{}{"Name": "NODE_ENV", "Type": "PLAINTEXT", "Value": "production"},
					map[string]interface{}{"Name": "NPM_TOKEN", "Type": "SECRETS_MANAGER", "Value": "arn:aws:secretsmanager:eu-west-1:111111111111:secret:orders/npm-token-AbCdEf"},
					map[string]interface{}{"Name": "SONAR_URL", "Type": "PARAMETER_STORE", "Value": "/orders/sonar-url"},
				},
			}),
			"Cache": map[string]interface{}{"Type": "S3", "Location": map[string]interface{}{"Fn::Join": []interface{}{"/", []interface{}{map[string]interface{}{"Ref": "ArtifactsBucket88671897"}, "build-cache"}}}},
		})
		tpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]interface{}{
			"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
				map[string]interface{}{"Sid": "ReadBuildParameters", "Action": "ssm:GetParameters", "Effect": "Allow", "Resource": "arn:aws:ssm:eu-west-1:111111111111:parameter/orders/sonar-url"},
				map[string]interface{}{"Sid": "ReadBuildSecrets", "Action": "secretsmanager:GetSecretValue", "Effect": "Allow", "Resource": "arn:aws:secretsmanager:eu-west-1:111111111111:secret:orders/npm-token-AbCdEf*"},
			})}),
		})
	})
	relaytest.Check(t, "test and scan stages", func() {
		tpl.HasResourceProperties(jsii.String("AWS::CodePipeline::Pipeline"), map[string]interface{}{
			"Stages": assertions.Match_ArrayWith(&[]interface{}{
				assertions.Match_ObjectLike(&map[string]interface{}{"Name": "Build"}),
				assertions.Match_ObjectLike(&map[string]interface{}{"Name": "Test", "Actions": []interface{}{
					assertions.Match_ObjectLike(&map[string]interface{}{"Name": "unit", "RunOrder": 1, "ActionTypeId": assertions.Match_ObjectLike(&map[string]interface{}{"Category": "Test", "Provider": "CodeBuild"}), "InputArtifacts": []interface{}{map[string]interface{}{"Name": "Source"}}}),
					assertions.Match_ObjectLike(&map[string]interface{}{"Name": "contract", "RunOrder": 1}),
					assertions.Match_ObjectLike(&map[string]interface{}{"Name": "e2e", "RunOrder": 2, "InputArtifacts": []interface{}{map[string]interface{}{"Name": "Build"}}}),
				}}),
				assertions.Match_ObjectLike(&map[string]interface{}{"Name": "Scan", "Actions": assertions.Match_ArrayWith(&[]interface{}{
					assertions.Match_ObjectLike(&map[string]interface{}{"Name": "licenses", "Configuration": assertions.Match_ObjectLike(&map[string]interface{}{
						"EnvironmentVariables": assertions.Match_StringLikeRegexp(jsii.String(`"name":"RELAY_FAIL_ON","type":"PLAINTEXT","value":"HIGH"`)),
					})}),
				})}),
				assertions.Match_ObjectLike(&map[string]interface{}{"Name": "Deploy-canary"}),
			}),
		})
		tpl.HasResourceProperties(jsii.String("AWS::CodeBuild::ReportGroup"), map[string]interface{}{"Name": "orders-test-contract", "Type": "TEST"})
		tpl.HasResourceProperties(jsii.String("AWS::CodeBuild::Project"), map[string]interface{}{
			"Name":          "orders-scan-deps",
			"EncryptionKey": map[string]interface{}{"Fn::GetAtt": []interface{}{"ArtifactsKeyA4B22E2B", "Arn"}},
		})
	})
	// The preset's buildspec (a JSON string joined with the report group's
	// ARN) fails the scan on HIGH and CRITICAL findings, and files a JUnit
	// report.
	raw, _ := json.Marshal(tpl.ToJSON())
	for _, want := range []string{
		`trivy fs --scanners vuln,secret,misconfig --severity HIGH,CRITICAL --exit-code 1`,
		`semgrep scan --config auto --error --severity ERROR`,
		`\"file-format\": \"JUNITXML\"`,
		`\"reports/trivy.xml\"`,
	} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("tooling template lacks %s", want)
		}
	}
	if n := len(*tpl.FindResources(jsii.String("AWS::CodeBuild::ReportGroup"), nil)); n != 4 {
		t.Errorf("report groups = %d, want 4 (unit, contract, deps, sast)", n)
	}
	relaytest.Check(t, "approver role: trusted by the named principals (the root with its reason) with MFA only, may only approve and read this pipeline", func() {
		tpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]interface{}{
			"RoleName": "orders-approver",
			"AssumeRolePolicyDocument": map[string]interface{}{"Version": "2012-10-17", "Statement": []interface{}{
				map[string]interface{}{
					"Action": "sts:AssumeRole", "Effect": "Allow",
					"Principal": map[string]interface{}{"AWS": map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{"arn:", map[string]interface{}{"Ref": "AWS::Partition"}, ":iam::111111111111:root"}}}},
					"Condition": map[string]interface{}{
						"ArnEquals": map[string]interface{}{"aws:PrincipalArn": "arn:aws:iam::111111111111:role/release-managers"},
						"Bool":      map[string]interface{}{"aws:MultiFactorAuthPresent": "true"},
					},
				},
				map[string]interface{}{
					"Action": "sts:AssumeRole", "Effect": "Allow",
					"Principal": map[string]interface{}{"AWS": map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{"arn:", map[string]interface{}{"Ref": "AWS::Partition"}, ":iam::444444444444:root"}}}},
					"Condition": map[string]interface{}{"Bool": map[string]interface{}{"aws:MultiFactorAuthPresent": "true"}},
				},
			}},
		})
		tpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]interface{}{
			"Roles": []interface{}{map[string]interface{}{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^PipelineApproverRole"))}},
			"PolicyDocument": map[string]interface{}{"Version": "2012-10-17", "Statement": []interface{}{map[string]interface{}{
				"Sid": "ApproveOrRejectThisPipeline", "Effect": "Allow", "Action": "codepipeline:PutApprovalResult",
				"Resource": []interface{}{
					map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{
						"arn:aws:codepipeline:eu-west-1:111111111111:", map[string]interface{}{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Pipeline"))}, "/*/Approve*",
					}}},
					map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{
						"arn:aws:codepipeline:eu-west-1:111111111111:", map[string]interface{}{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Pipeline"))}, "/*/Review*",
					}}},
				},
			}, map[string]interface{}{
				"Sid": "ReadThisPipelineState", "Effect": "Allow",
				"Action": []interface{}{"codepipeline:GetPipeline", "codepipeline:GetPipelineState", "codepipeline:GetPipelineExecution",
					"codepipeline:ListPipelineExecutions", "codepipeline:ListActionExecutions"},
				"Resource": map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{
					"arn:aws:codepipeline:eu-west-1:111111111111:", map[string]interface{}{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Pipeline"))},
				}}},
			}}},
		})
	})
}

// TestCrossRegion builds examples/full.yaml, whose prod-eu environment
// deploys to two regions other than the tooling region: each gets a replica
// store in the tooling account with the same settings and grants, the
// pipeline replicates there, and the deploy role may read it.
func TestCrossRegion(t *testing.T) {
	cfg, err := config.Load(filepath.Join("..", "examples", "full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, d := build(t, cfg)
	reps := d.Replicas()
	if len(reps) != 2 || reps[0].Region != "eu-central-1" || reps[1].Region != "eu-west-1" {
		t.Fatalf("replicas = %v, want eu-central-1 and eu-west-1", reps)
	}
	primary := relaytest.JSON(t, d.ToolingStack())
	for _, r := range reps {
		tpl := relaytest.Template(t, r.Stack)
		if *r.Stack.Account() != "111111111111" || *r.Stack.Region() != r.Region {
			t.Errorf("replica stack %s in %s/%s, want the tooling account", *r.Stack.StackName(), *r.Stack.Account(), *r.Stack.Region())
		}
		relaytest.Check(t, r.Region+" replica store", func() {
			tpl.HasResourceProperties(jsii.String("AWS::KMS::Key"), map[string]interface{}{"EnableKeyRotation": true})
			tpl.HasResourceProperties(jsii.String("AWS::KMS::Alias"), map[string]interface{}{"AliasName": "alias/relay/storefront/artifacts"})
			tpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]interface{}{
				"BucketName":              "storefront-artifacts-111111111111-" + r.Region,
				"VersioningConfiguration": map[string]interface{}{"Status": "Enabled"},
			})
		})
		// Same grants as the primary store: the key and bucket policies are
		// the primary's, byte for byte, but for the bucket's own ARN.
		got := relaytest.JSON(t, r.Stack)
		for _, id := range []string{"ArtifactsKeyA4B22E2B", "ArtifactsBucketPolicyBC103148"} {
			if a, b := policyOf(got, id), policyOf(primary, id); a != b || a == "" {
				t.Errorf("%s %s differs from the primary store's:\n%s\n%s", r.Region, id, a, b)
			}
		}
	}
	var deps []string
	for _, s := range *d.ToolingStack().Dependencies() {
		deps = append(deps, *s.StackName())
	}
	if got := strings.Join(deps, " "); !strings.Contains(got, "storefront-tooling-eu-west-1") || !strings.Contains(got, "storefront-tooling-eu-central-1") {
		t.Errorf("tooling stack depends on %s; it must come after the replica stacks", got)
	}
	tpl := relaytest.Template(t, d.ToolingStack())
	relaytest.Check(t, "pipeline replicates to the replica stores", func() {
		tpl.HasResourceProperties(jsii.String("AWS::CodePipeline::Pipeline"), map[string]interface{}{
			"ArtifactStores": assertions.Match_ArrayWith(&[]interface{}{map[string]interface{}{
				"Region": "eu-west-1",
				"ArtifactStore": map[string]interface{}{
					"Type": "S3", "Location": "storefront-artifacts-111111111111-eu-west-1",
					"EncryptionKey": map[string]interface{}{"Type": "KMS", "Id": "arn:aws:kms:eu-west-1:111111111111:alias/relay/storefront/artifacts"},
				},
			}}),
		})
	})
}

// policyOf is the key or bucket policy of the resource id, as JSON.
func policyOf(tpl map[string]interface{}, id string) string {
	r, ok := tpl["Resources"].(map[string]interface{})[id].(map[string]interface{})
	if !ok {
		return ""
	}
	props := r["Properties"].(map[string]interface{})
	doc := props["KeyPolicy"]
	if doc == nil {
		doc = props["PolicyDocument"]
	}
	raw, _ := json.Marshal(doc)
	return string(raw)
}

// TestChangeSetReview builds examples/full.yaml, whose prod-us environment
// reviews its change set between creation and execution, with parameter
// overrides and a template configuration.
func TestChangeSetReview(t *testing.T) {
	cfg, err := config.Load(filepath.Join("..", "examples", "full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, d := build(t, cfg)
	tpl := relaytest.Template(t, d.ToolingStack())
	relaytest.Check(t, "prepare, review, execute", func() {
		tpl.HasResourceProperties(jsii.String("AWS::CodePipeline::Pipeline"), map[string]interface{}{
			"Stages": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
				"Name": "Deploy-production",
				"Actions": assertions.Match_ArrayWith(&[]interface{}{
					assertions.Match_ObjectLike(&map[string]interface{}{
						"Name": "Prepare-prod-us-us-east-1", "RunOrder": 2,
						"Configuration": assertions.Match_ObjectLike(&map[string]interface{}{
							"ActionMode":            "CHANGE_SET_REPLACE",
							"ParameterOverrides":    `{"Commit":"#{SourceVariables.CommitId}","ImageTag":"#{BuildVariables.RELEASE_TAG}"}`,
							"TemplateConfiguration": "Build::config/production.json",
						}),
					}),
					assertions.Match_ObjectLike(&map[string]interface{}{
						"Name": "Review-prod-us-us-east-1", "RunOrder": 3,
						"ActionTypeId": assertions.Match_ObjectLike(&map[string]interface{}{"Category": "Approval"}),
					}),
					assertions.Match_ObjectLike(&map[string]interface{}{
						"Name": "Deploy-prod-us-us-east-1", "RunOrder": 4,
						"Configuration": assertions.Match_ObjectLike(&map[string]interface{}{"ActionMode": "CHANGE_SET_EXECUTE"}),
					}),
				}),
			})}),
		})
	})
}
