package sourceaccount_test

import (
	"encoding/json"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/constructs/sourceaccount"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

const (
	sourceKey = "arn:aws:kms:us-east-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	pipeRole  = "arn:aws:iam::111111111111:role/relay/payments/payments-pipeline"
	bus       = "arn:aws:events:us-east-1:111111111111:event-bus/default"
)

func validProps() *sourceaccount.Props {
	return &sourceaccount.Props{
		Partition: "aws", Region: "us-east-1", Account: "444444444444", ToolingAccount: "111111111111",
		RoleName: "payments-source", RolePath: "/relay/payments/", ForwarderRoleName: "payments-source-forwarder",
		PipelineRoleArn: pipeRole, ArtifactBucket: "payments-artifacts-111111111111-us-east-1",
		ArtifactKeyPattern: "arn:aws:kms:us-east-1:111111111111:key/*",
		Repositories:       []sourceaccount.Repository{{Name: "payments", Branch: "main", Rule: "payments-Source"}},
		Objects:            []sourceaccount.Object{{Bucket: "acme-payments-config", Key: "config.zip", KMSKeyArn: sourceKey, Rule: "payments-Source_config"}},
		TrailName:          "payments-sources",
	}
}

// TestValidate has one case per rule, with the exact message.
func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *sourceaccount.Props)
		want   []string
	}{
		{"valid", func(p *sourceaccount.Props) {}, nil},
		{"source account is the tooling account", func(p *sourceaccount.Props) { p.Account = "111111111111"; p.Objects[0].KMSKeyArn = "" },
			[]string{`Account "111111111111": is the tooling account: a source of the pipeline's own account needs no source role, rules or trail; use it without a source account`}},
		{"no sources", func(p *sourceaccount.Props) { p.Repositories, p.Objects, p.TrailName = nil, nil, "" },
			[]string{`Repositories "": name at least one repository or object of the source account`}},
		{"key of another account, alias", func(p *sourceaccount.Props) {
			p.Objects[0].KMSKeyArn = "arn:aws:kms:us-east-1:555555555555:key/1234abcd-12ab-34cd-56ef-1234567890ab"
			p.Objects = append(p.Objects, sourceaccount.Object{Bucket: "bkt", Key: "k", KMSKeyArn: "arn:aws:kms:us-east-1:444444444444:alias/releases", Rule: "payments-Source_b"})
		}, []string{
			`Objects[0].KMSKeyArn "arn:aws:kms:us-east-1:555555555555:key/1234abcd-12ab-34cd-56ef-1234567890ab": must be the ARN of a KMS key (not an alias) of the source account 444444444444 in us-east-1`,
			`Objects[1].KMSKeyArn "arn:aws:kms:us-east-1:444444444444:alias/releases": must be the ARN of a KMS key (not an alias) of the source account 444444444444 in us-east-1`,
		}},
		// The source role reads each repository and object by its ARN.
		{"names the source role could not name exactly", func(p *sourceaccount.Props) {
			p.Repositories[0].Name = "*"
			p.Objects = append(p.Objects,
				sourceaccount.Object{Bucket: "releases-*", Key: "app-€.zip", Rule: "payments-Source_a"},
				sourceaccount.Object{Bucket: "releases", Key: "releases/*", Rule: "payments-Source_b"})
		}, []string{
			`Repositories[0].Name "*": must be a CodeCommit repository name of 1 to 100 letters, digits, ., _ and - (https://docs.aws.amazon.com/codecommit/latest/APIReference/API_CreateRepository.html); the source role may read the repository by its ARN, where * and ? would be IAM wildcards`,
			`Objects[1].Bucket "releases-*": must be an S3 bucket name, 3 to 63 lowercase letters, digits, dots and hyphens (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html); the source role may read the object by its ARN, where * and ? would be IAM wildcards`,
			`Objects[1].Key "app-€.zip": holds "€" (U+20AC) at byte 4, which IAM refuses in the policy of the role that reads the object (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html); rename the object in characters through U+00FF`,
			`Objects[2].Key "releases/*": contains * or ?, which IAM reads as wildcards in the object's ARN in the policy of the role that reads it, admitting every matching object; name the object exactly`,
		}},
		{"rule name too long for the tooling rule", func(p *sourceaccount.Props) { p.Objects[0].Rule = strings.Repeat("r", 52) },
			[]string{`Objects[0].Rule "` + strings.Repeat("r", 52) + `": must be 1 to 51 letters, digits, ., - and _ (an EventBridge rule name of at most 64 characters: the tooling account's rule appends -<source account>)`}},
		{"shared rule name", func(p *sourceaccount.Props) { p.Objects[0].Rule = "payments-Source" },
			[]string{`Objects[0].Rule "payments-Source": names the rule of another source; give each source its own`}},
		{"S3 without a trail", func(p *sourceaccount.Props) { p.TrailName = "" },
			[]string{`TrailName "": set exactly one of TrailName (Relay creates the trail of the buckets' data events) and ExistingTrail`}},
		{"both trails", func(p *sourceaccount.Props) { p.ExistingTrail = "org-trail" },
			[]string{`TrailName "payments-sources": set exactly one of TrailName (Relay creates the trail of the buckets' data events) and ExistingTrail`}},
		{"a trail without S3", func(p *sourceaccount.Props) { p.Objects = nil },
			[]string{`TrailName "payments-sources": only S3 sources need a trail; remove it`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProps()
			tt.mutate(p)
			relaytest.ValidateError(t, p.Validate(), "sourceaccount.Props: ", tt.want)
		})
	}
}

// TestStatements pins the source role's grants: read exactly the branch's
// repository and the object (decrypting through S3 only), write artifacts
// only into the tooling artifact bucket with a tooling key through S3.
func TestStatements(t *testing.T) {
	viaS3 := map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"s3.us-east-1.amazonaws.com"}}}
	want := []sourceaccount.Statement{
		{Sid: "ReadSourceRepositories", Actions: []string{"codecommit:CancelUploadArchive", "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:GetUploadArchiveStatus", "codecommit:UploadArchive"},
			Resources: []string{"arn:aws:codecommit:us-east-1:444444444444:payments"}},
		{Sid: "ReadSourceObjects", Actions: []string{"s3:GetObject", "s3:GetObjectVersion"}, Resources: []string{"arn:aws:s3:::acme-payments-config/config.zip"}},
		{Sid: "ReadSourceBuckets", Actions: []string{"s3:GetBucketLocation", "s3:GetBucketVersioning"}, Resources: []string{"arn:aws:s3:::acme-payments-config"}},
		{Sid: "DecryptSourceObjects", Actions: []string{"kms:Decrypt"}, Resources: []string{sourceKey}, Conditions: viaS3},
		{Sid: "WriteSourceArtifacts", Actions: []string{"s3:PutObject"}, Resources: []string{"arn:aws:s3:::payments-artifacts-111111111111-us-east-1/*"}},
		{Sid: "EncryptSourceArtifacts", Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resources: []string{"arn:aws:kms:us-east-1:111111111111:key/*"}, Conditions: viaS3},
	}
	got := validProps().Statements()
	for i := range got {
		got[i].Reason = ""
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Statements() (-want +got):\n%s", diff)
	}
	for _, st := range append(got, validProps().ForwarderStatements()...) {
		for _, a := range st.Actions {
			if strings.HasPrefix(a, "iam:") || strings.Contains(a, "*") {
				t.Errorf("%s grants %s", st.Sid, a)
			}
		}
	}
	if diff := cmp.Diff([]sourceaccount.Statement{{Sid: "ForwardSourceEvents", Actions: []string{"events:PutEvents"}, Resources: []string{bus}}}, validProps().ForwarderStatements()); diff != "" {
		t.Errorf("ForwarderStatements() (-want +got):\n%s", diff)
	}
}

// TestPatterns pins the event patterns: pushes to the branch of the
// repository, and completed writes of the object key.
func TestPatterns(t *testing.T) {
	raw, _ := json.Marshal(validProps().Patterns())
	want := `{"payments-Source":{"detail":{"event":["referenceCreated","referenceUpdated"],"referenceName":["main"],"referenceType":["branch"]},"detail-type":["CodeCommit Repository State Change"],"resources":["arn:aws:codecommit:us-east-1:444444444444:payments"],"source":["aws.codecommit"]},` +
		`"payments-Source_config":{"detail":{"eventName":["CompleteMultipartUpload","CopyObject","PutObject"],"eventSource":["s3.amazonaws.com"],"requestParameters":{"bucketName":["acme-payments-config"],"key":["config.zip"]}},"detail-type":["AWS API Call via CloudTrail"],"source":["aws.s3"]}}`
	if string(raw) != want {
		t.Errorf("Patterns() =\n%s\nwant\n%s", raw, want)
	}
}

// synth builds both parts in their own stacks.
func synth(t *testing.T, p *sourceaccount.Props) (source, tooling map[string]interface{}) {
	t.Helper()
	app := relaytest.NewApp()
	var s1, s2 awscdk.Stack
	relaytest.Do(t, "New", func() {
		s1 = awscdk.NewStack(app, jsii.String("Source"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(p.Account), Region: jsii.String(p.Region)}})
		sourceaccount.New(s1, "Sources", p)
		s2 = awscdk.NewStack(app, jsii.String("Tooling"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(p.ToolingAccount), Region: jsii.String(p.Region)}})
		sourceaccount.NewReceiver(s2, "Sources", &sourceaccount.ReceiverProps{Source: p, PipelineArn: "arn:aws:codepipeline:us-east-1:111111111111:payments",
			StatementID: "payments-source-444444444444", StartRoleName: "payments-start-444444444444"})
	})
	return relaytest.JSON(t, s1), relaytest.JSON(t, s2)
}

// byType are the properties of tpl's resources of type typ.
func byType(tpl map[string]interface{}, typ string) []map[string]interface{} {
	var out []map[string]interface{}
	for _, r := range tpl["Resources"].(map[string]interface{}) {
		if r := r.(map[string]interface{}); r["Type"] == typ {
			out = append(out, r["Properties"].(map[string]interface{}))
		}
	}
	return out
}

func js(v interface{}) string { raw, _ := json.Marshal(v); return string(raw) }

// TestWiring checks the resources of both accounts: trusts name their
// principals by condition, the rules forward to the tooling bus and start
// the pipeline with their roles, the bus admits exactly the source rules,
// and the trail records the bucket's data events.
func TestWiring(t *testing.T) {
	src, tooling := synth(t, validProps())
	trusts := map[string]string{}
	for _, r := range byType(src, "AWS::IAM::Role") {
		trusts[r["RoleName"].(string)] = js(r["AssumeRolePolicyDocument"])
	}
	for role, want := range map[string]string{
		"payments-source":           `"Condition":{"ArnEquals":{"aws:PrincipalArn":"` + pipeRole + `"}}`,
		"payments-source-forwarder": `"Condition":{"ArnEquals":{"aws:SourceArn":["arn:aws:events:us-east-1:444444444444:rule/payments-Source","arn:aws:events:us-east-1:444444444444:rule/payments-Source_config"]},"StringEquals":{"aws:SourceAccount":"444444444444"}}`,
	} {
		if !strings.Contains(trusts[role], want) {
			t.Errorf("%s trust = %s, want %s", role, trusts[role], want)
		}
	}
	rules := byType(src, "AWS::Events::Rule")
	if len(rules) != 2 {
		t.Fatalf("%d forwarding rules, want 2", len(rules))
	}
	for _, r := range rules {
		target := r["Targets"].([]interface{})[0].(map[string]interface{})
		if target["Arn"] != bus || !strings.Contains(js(target["RoleArn"]), "SourcesForwarderRole") {
			t.Errorf("rule %s targets %s", r["Name"], js(target))
		}
		if want := js(validProps().Patterns()[r["Name"].(string)]); js(r["EventPattern"]) != want {
			t.Errorf("rule %s pattern %s, want %s", r["Name"], js(r["EventPattern"]), want)
		}
	}
	if trail := byType(src, "AWS::CloudTrail::Trail"); len(trail) != 1 || !strings.Contains(js(trail[0]["EventSelectors"]), `"Values":["arn:aws:s3:::acme-payments-config/"]`) {
		t.Errorf("trail = %s, want one recording acme-payments-config's data events", js(trail))
	}

	policies := byType(tooling, "AWS::Events::EventBusPolicy")
	wantBus := `{"EventBusName":"default","Statement":{"Action":"events:PutEvents","Condition":{"ArnEquals":{"aws:SourceArn":["arn:aws:events:us-east-1:444444444444:rule/payments-Source","arn:aws:events:us-east-1:444444444444:rule/payments-Source_config"]}},` +
		`"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444444444444:root"},"Resource":"` + bus + `","Sid":"payments-source-444444444444"},"StatementId":"payments-source-444444444444"}`
	if len(policies) != 1 || js(policies[0]) != wantBus {
		t.Errorf("bus policy = %s\nwant [%s]", js(policies), wantBus)
	}
	starts := byType(tooling, "AWS::Events::Rule")
	if len(starts) != 2 {
		t.Fatalf("%d start rules, want 2", len(starts))
	}
	// The start rules' names hold the source account, as their logical
	// IDs do: a source moved to another account replaces its rule under a
	// new name.
	var startNames []string
	for _, r := range starts {
		startNames = append(startNames, r["Name"].(string))
	}
	sort.Strings(startNames)
	if want := []string{"payments-Source-444444444444", "payments-Source_config-444444444444"}; !slices.Equal(startNames, want) {
		t.Errorf("start rules %v, want %v", startNames, want)
	}
	for _, r := range starts {
		target := r["Targets"].([]interface{})[0].(map[string]interface{})
		if target["Arn"] != "arn:aws:codepipeline:us-east-1:111111111111:payments" || !strings.Contains(js(target["RoleArn"]), "SourcesStartRole") {
			t.Errorf("start rule %s targets %s", r["Name"], js(target))
		}
		if p := js(r["EventPattern"]); !strings.Contains(p, `"account":["444444444444"]`) {
			t.Errorf("start rule %s admits events of any account: %s", r["Name"], p)
		}
	}
	roles := byType(tooling, "AWS::IAM::Role")
	if len(roles) != 1 || !strings.Contains(js(roles[0]["AssumeRolePolicyDocument"]), `"aws:SourceArn":["arn:aws:events:us-east-1:111111111111:rule/payments-Source-444444444444","arn:aws:events:us-east-1:111111111111:rule/payments-Source_config-444444444444"]`) {
		t.Errorf("start role = %s", js(roles))
	}
	grants := byType(tooling, "AWS::IAM::Policy")
	want := `{"Statement":[{"Action":"codepipeline:StartPipelineExecution","Effect":"Allow","Resource":"arn:aws:codepipeline:us-east-1:111111111111:payments","Sid":"StartPipeline"}],"Version":"2012-10-17"}`
	if len(grants) != 1 || js(grants[0]["PolicyDocument"]) != want {
		t.Errorf("start role policy = %s, want %s", js(grants), want)
	}
}

// TestExistingTrail checks that an existing trail is used, not created.
func TestExistingTrail(t *testing.T) {
	p := validProps()
	p.TrailName, p.ExistingTrail = "", "org-data-events"
	src, _ := synth(t, p)
	if n := len(byType(src, "AWS::CloudTrail::Trail")); n != 0 {
		t.Errorf("%d trails created; the existing one records the data events", n)
	}
}

// TestNewPanicsOnToolingAccount: a source role in the tooling account is
// refused with its field.
func TestNewPanicsOnToolingAccount(t *testing.T) {
	p := validProps()
	p.Account = p.ToolingAccount
	msg, ok := relaytest.Recover(func() {
		sourceaccount.New(awscdk.NewStack(relaytest.NewApp(), jsii.String("S"), nil), "Sources", p)
	})
	if ok || !strings.Contains(msg, `Account "111111111111": is the tooling account`) {
		t.Errorf("New() = %q, %v; want the tooling-account error", msg, ok)
	}
}
