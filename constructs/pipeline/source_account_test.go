package pipeline_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/relaytest"
)

// TestSourceInAnotherAccount checks a CodeCommit source of another
// account: the action runs as the source role, starts on no rule of this
// stack (the source account forwards its events), and the pipeline role may
// assume exactly that role and no longer reads the repository itself.
func TestSourceInAnotherAccount(t *testing.T) {
	const role = "arn:aws:iam::444444444444:role/relay/payments/payments-source"
	s := synth(t, stagingAndProduction(), func(p *pipeline.Props) {
		p.Source = &pipeline.CodeCommitSource{Repository: "payments", RoleArn: role}
	})
	byName, _ := stages(s.pipelineProps(t))
	src := byName["Source"][0].(map[string]interface{})
	if src["RoleArn"] != role || obj(src["Configuration"])["PollForSourceChanges"] != false {
		t.Errorf("source action = %v; want it to run as %s without polling", src, role)
	}
	if n := len(s.resources("AWS::Events::Rule")); n != 0 {
		t.Errorf("%d EventBridge rules in the tooling stack; the source account's rule forwards the pushes", n)
	}
	_, policy := s.rolePolicy(t, logicalID(s.pl.Role()))
	raw, _ := json.Marshal(policy)
	if !strings.Contains(string(raw), `"`+role+`"`) || strings.Contains(string(raw), "codecommit:") {
		t.Errorf("pipeline role policy = %s; want sts:AssumeRole on %s and no codecommit: action", raw, role)
	}
}

// TestSourceRoleInPipelineAccount: a source role of the pipeline's own
// account is refused, naming the field.
func TestSourceRoleInPipelineAccount(t *testing.T) {
	stack := newStack()
	p := validProps(nil, stagingAndProduction())
	relaytest.Do(t, "NewStore", func() {
		p.Store = artifacts.NewStore(stack, "Artifacts", &artifacts.StoreProps{
			Readers: artifacts.Readers{Accounts: []string{"222222222222", "333333333333"}, RoleArnPatterns: []string{deployPattern}},
		})
	})
	p.Source = &pipeline.S3Source{Bucket: "acme-releases", Key: "k", RoleArn: "arn:aws:iam::111111111111:role/payments-source"}
	msg, ok := relaytest.Recover(func() { pipeline.New(stack, "Pipeline", p) })
	want := `pipeline.Props: Source.RoleArn "arn:aws:iam::111111111111:role/payments-source": is a role of the pipeline's account 111111111111; a source of this account needs no source role: remove RoleArn`
	if ok || msg != want {
		t.Errorf("pipeline.New = %q, %v\nwant %s", msg, ok, want)
	}
}

// TestCodeCommitRuleMatchesBranchesOnly: the rule that starts the
// pipeline on a push to a CodeCommit source of this account matches the
// branch, not a tag of the same name (CodeCommit's events carry
// referenceType "branch" or "tag").
func TestCodeCommitRuleMatchesBranchesOnly(t *testing.T) {
	s := synth(t, stagingAndProduction(), func(p *pipeline.Props) {
		p.Source = &pipeline.CodeCommitSource{Repository: "payments", Branch: "release"}
	})
	rules := s.resources("AWS::Events::Rule")
	var found int
	for _, r := range rules {
		detail := obj(obj(obj(r)["Properties"])["EventPattern"])["detail"]
		raw, _ := json.Marshal(detail)
		if !strings.Contains(string(raw), `"referenceName":["release"]`) {
			continue
		}
		found++
		if !strings.Contains(string(raw), `"referenceType":["branch"]`) {
			t.Errorf("CodeCommit rule detail = %s; want referenceType [branch], or a tag named release starts the pipeline", raw)
		}
	}
	if found != 1 {
		t.Errorf("%d rules match the branch release; want 1 (of %d rules)", found, len(rules))
	}
}
