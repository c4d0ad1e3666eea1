package test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/wiring"
	"github.com/relaycdk/relay/internal/iameval"
)

// TestRunPermissionsCaught proves that the deploy-validity check fails on
// a template that lacks one statement a run needs: each case removes the
// statement of that Sid from every policy of a golden configuration's
// resolved stacks, and the evaluated paths must deny the named call (and
// only fail where the statement was needed: the unchanged stacks pass, as
// TestDeployValidity shows).
func TestRunPermissionsCaught(t *testing.T) {
	tests := []struct {
		config, sid, denied string
	}{
		{"inventory", "WatchServiceTasks", "ecs:DescribeTasks"},
		{"inventory", "TagTaskDefinitionsOnCreate", "ecs:TagResource"},
		{"inventory", "ListFunctions", "lambda:ListFunctions"},
		{"inventory", "UpdateService", "ecs:UpdateService"},
		{"billing", "ReadDeploymentConfig", "codedeploy:GetDeploymentConfig"},
		{"checkout", "StartHookExecutions", "states:StartExecution"},
		{"checkout", "RegisterRevisions", "codedeploy:RegisterApplicationRevision"},
		{"catalog", "UseSourceConnection", "codeconnections:UseConnection"},
		{"catalog", "ReadSourceImages", "ecr:DescribeImages"},
		{"catalog", "ReadSourceBuckets", "s3:GetBucketVersioning"},
		{"catalog", "ReadSourceRepositories", "codecommit:GetBranch"},
		{"catalog", "RunBuild", "codebuild:StartBuild"},
		{"agent", "DeployWorkloadStackSets", "cloudformation:CreateStackInstances"},
		{"agent", "PassStackSetAdministrationRole", "iam:PassRole"},
		{"website", "WriteSiteObjects", "s3:PutObject"},
		{"website", "EncryptSiteObjects", "kms:GenerateDataKey"},
		{"orders", "AnnounceApprovals", "sns:Publish"},
		{"payments", "ReportJobResults", "codepipeline:PutJobSuccessResult"},
		{"fenwick", "StartPipeline", "codepipeline:StartPipelineExecution"},
	}
	configs := map[string]*config.Config{}
	for _, c := range goldenConfigs(t) {
		configs[c.Name] = c
	}
	for _, tc := range tests {
		t.Run(tc.config+"/"+tc.sid, func(t *testing.T) {
			cfg, ok := configs[tc.config]
			if !ok {
				t.Fatalf("no golden configuration %s", tc.config)
			}
			stacks, err := wiring.ReadResolved(goldenDir(t, cfg))
			if err != nil {
				t.Fatal(err)
			}
			if removed := removeStatements(stacks, tc.sid); removed == 0 {
				t.Fatalf("no statement %s in the stacks of %s", tc.sid, tc.config)
			}
			w := worldOf(t, cfg, stacks)
			paths := append(iameval.PipelinePaths(stacks), iameval.RulePaths(stacks)...)
			paths = append(paths, jobResultPaths(cfg, w)...)
			var denied []string
			for _, p := range paths {
				if d := w.AuthorizePath(p); !d.Allowed {
					denied = append(denied, p.Request.Action)
				}
			}
			if !strings.Contains(fmt.Sprint(denied), tc.denied) {
				t.Errorf("without %s, denied calls are %v; want %s among them", tc.sid, denied, tc.denied)
			}
		})
	}
}

// removeStatements removes the statements with Sid sid from every identity
// policy of stacks (policies, managed policies, inline role policies) and
// returns how many it removed.
func removeStatements(stacks []wiring.ResolvedStack, sid string) int {
	n := 0
	strip := func(doc interface{}) {
		d, _ := doc.(map[string]interface{})
		sts, _ := d["Statement"].([]interface{})
		var keep []interface{}
		for _, s := range sts {
			if m, _ := s.(map[string]interface{}); m["Sid"] == sid {
				n++
				continue
			}
			keep = append(keep, s)
		}
		if d != nil {
			d["Statement"] = keep
		}
	}
	for _, st := range stacks {
		for _, r := range st.Resources {
			switch r.Type {
			case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
				strip(r.Properties["PolicyDocument"])
			case "AWS::IAM::Role":
				inline, _ := r.Properties["Policies"].([]interface{})
				for _, p := range inline {
					m, _ := p.(map[string]interface{})
					strip(m["PolicyDocument"])
				}
			}
		}
	}
	return n
}
