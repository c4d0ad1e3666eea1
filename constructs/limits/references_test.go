package limits_test

import (
	stdcmp "cmp"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/limits"
)

// act is an action of a pipeline template: name, namespace ("" for none),
// run order (0 for none) and configuration.
func act(name, namespace string, runOrder int, cfg map[string]interface{}) map[string]interface{} {
	a := map[string]interface{}{"Name": name, "Configuration": cfg}
	if namespace != "" {
		a["Namespace"] = namespace
	}
	if runOrder > 0 {
		a["RunOrder"] = runOrder
	}
	return a
}

// referencesTemplate is a pipeline template: Source (namespace
// SourceVariables, an action of provider source), Build (namespace BuildVariables, reading build), and a
// Deploy stage of Prepare (run order 1, namespace Deploy_staging, reading
// prepare) and Approve (run order 2, reading approve); pipeline variable
// release is declared.
func referencesTemplate(source string, build, prepare, approve interface{}) []byte {
	src := act("Source", "SourceVariables", 0, map[string]interface{}{"BranchName": "main"})
	src["ActionTypeId"] = map[string]interface{}{"Category": "Source", "Owner": "AWS", "Provider": source, "Version": "1"}
	tpl := map[string]interface{}{"Resources": map[string]interface{}{
		"Pipeline": map[string]interface{}{"Type": "AWS::CodePipeline::Pipeline", "Properties": map[string]interface{}{
			"Variables": []interface{}{map[string]interface{}{"Name": "release", "DefaultValue": "x"}},
			"Stages": []interface{}{
				map[string]interface{}{"Name": "Source", "Actions": []interface{}{src}},
				map[string]interface{}{"Name": "Build", "Actions": []interface{}{act("Build", "BuildVariables", 0, map[string]interface{}{"EnvironmentVariables": build})}},
				map[string]interface{}{"Name": "Deploy-staging", "Actions": []interface{}{
					act("Prepare", "Deploy_staging", 1, map[string]interface{}{"ParameterOverrides": prepare}),
					act("Approve", "", 2, map[string]interface{}{"CustomData": approve}),
				}},
			},
		}},
	}}
	body, _ := json.Marshal(tpl)
	return body
}

// TestCheckReferences checks that every variable reference in an action
// configuration resolves when its action runs, and that references hidden
// behind values known only at deploy are left alone.
func TestCheckReferences(t *testing.T) {
	const (
		ok       = "ok"
		nsFix    = ": refer to a namespace that an action before this one sets, or set the namespace on an action that runs earlier (an earlier stage, or a lower run order in this stage)"
		varFix   = ": declare the variable in the pipeline's variables, or use one it declares"
		runIDFix = ": use #{codepipeline.PipelineExecutionId}, or a variable of an action that runs earlier"
	)
	tests := []struct {
		name string
		// source is the source action's provider; "" for
		// CodeStarSourceConnection.
		source                  string
		build, prepare, approve interface{}
		want                    []string
	}{
		{"every kind that resolves", "",
			`[{"name":"COMMIT","type":"PLAINTEXT","value":"#{SourceVariables.CommitId}"},{"name":"RUN","type":"PLAINTEXT","value":"#{codepipeline.PipelineExecutionId}"},{"name":"R","type":"PLAINTEXT","value":"#{variables.release}"}]`,
			`{"Image":"#{BuildVariables.IMAGE}"}`, "see #{Deploy_staging.Url} and #{SourceVariables.CommitId}", nil},
		{"a namespace no action sets", "",
			`[{"name":"V","type":"PLAINTEXT","value":"#{SourceVariable.CommitId}"}]`, ok, ok,
			[]string{`Pipeline: Configuration.EnvironmentVariables (stage Build, action Build) "#{SourceVariable.CommitId}" refers to namespace "SourceVariable", which no action of the pipeline sets (set before this action: SourceVariables, codepipeline)` + nsFix}},
		{"a namespace of a later stage", "",
			`[{"name":"V","type":"PLAINTEXT","value":"#{Deploy_staging.Url}"}]`, ok, ok,
			[]string{`Pipeline: Configuration.EnvironmentVariables (stage Build, action Build) "#{Deploy_staging.Url}" refers to namespace "Deploy_staging", which stage Deploy-staging, action Prepare sets, and that action runs in a later stage (set before this action: SourceVariables, codepipeline)` + nsFix}},
		{"a namespace of the same action", "",
			ok, `{"Url":"#{Deploy_staging.Url}"}`, ok,
			[]string{`Pipeline: Configuration.ParameterOverrides (stage Deploy-staging, action Prepare) "#{Deploy_staging.Url}" refers to namespace "Deploy_staging", which stage Deploy-staging, action Prepare sets, and that action runs at the same time (same stage and run order) (set before this action: BuildVariables, SourceVariables, codepipeline)` + nsFix}},
		{"an undeclared pipeline variable, twice in one value, and a codepipeline variable that does not exist", "",
			ok, ok, "#{variables.Release} #{variables.Release} #{codepipeline.PipelineName}",
			[]string{
				`Pipeline: Configuration.CustomData (stage Deploy-staging, action Approve) "#{codepipeline.PipelineName}" refers to "PipelineName" of namespace codepipeline, which sets only PipelineExecutionId` + runIDFix,
				`Pipeline: Configuration.CustomData (stage Deploy-staging, action Approve) "#{variables.Release}" refers to pipeline variable "Release", which the pipeline does not declare (declared: release)` + varFix,
			}},
		{"references in intrinsic functions", "",
			map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{`[{"name":"A","value":"`, map[string]interface{}{"Ref": "AWS::Region"}, `-#{Nope.x}"}]`}}},
			map[string]interface{}{"Fn::Sub": `{"A":"${AWS::Region}","B":"#{Later.x}","C":"${!Literal}"}`}, ok,
			[]string{
				`Pipeline: Configuration.EnvironmentVariables (stage Build, action Build) "#{Nope.x}" refers to namespace "Nope", which no action of the pipeline sets (set before this action: SourceVariables, codepipeline)` + nsFix,
				`Pipeline: Configuration.ParameterOverrides (stage Deploy-staging, action Prepare) "#{Later.x}" refers to namespace "Later", which no action of the pipeline sets (set before this action: BuildVariables, SourceVariables, codepipeline)` + nsFix,
			}},
		// The outer reference's name holds the inner one's #{: no
		// variable has that name, whatever the connection source sets.
		{"a reference written inside another, and a name with a dot", "",
			`[{"name":"V","type":"PLAINTEXT","value":"#{SourceVariables.#{variables.release}}"}]`, ok, "#{SourceVariables.Commit.Id}",
			[]string{
				`Pipeline: Configuration.EnvironmentVariables (stage Build, action Build) "#{SourceVariables.#{variables.release}" ` + limits.MalformedRule + ": " + limits.MalformedFix,
				`Pipeline: Configuration.CustomData (stage Deploy-staging, action Approve) "#{SourceVariables.Commit.Id}" ` + limits.MalformedRule + ": " + limits.MalformedFix,
			}},
		{"a connection source's variables are not a fixed set (a pull request adds its own)", "",
			`[{"name":"PR","type":"PLAINTEXT","value":"#{SourceVariables.PullRequestId}"}]`, ok, ok, nil},
		{"an S3 source sets ETag and VersionId only", "S3",
			`[{"name":"V","type":"PLAINTEXT","value":"#{SourceVariables.VersionId}"},{"name":"C","type":"PLAINTEXT","value":"#{SourceVariables.CommitId}"}]`, ok, "#{SourceVariables.ETag}",
			[]string{`Pipeline: Configuration.EnvironmentVariables (stage Build, action Build) "#{SourceVariables.CommitId}" refers to variable "CommitId", which stage Source, action Source does not set: an action of its kind sets only ETag, VersionId: use one of those names, or a variable of another action that runs earlier`}},
		{"a CodeCommit variable in another case", "CodeCommit",
			ok, ok, "#{SourceVariables.CommitID} #{SourceVariables.CommitterDate}",
			[]string{`Pipeline: Configuration.CustomData (stage Deploy-staging, action Approve) "#{SourceVariables.CommitID}" refers to variable "CommitID", which stage Source, action Source does not set: an action of its kind sets only AuthorDate, BranchName, CommitId, CommitMessage, CommitterDate, RepositoryName: write CommitId, as CodePipeline spells it`}},
		{"an ECR source's variables", "ECR",
			`[{"name":"D","type":"PLAINTEXT","value":"#{SourceVariables.ImageDigest}"},{"name":"U","type":"PLAINTEXT","value":"#{SourceVariables.ImageURI}"}]`, ok, "#{SourceVariables.BranchName}",
			[]string{`Pipeline: Configuration.CustomData (stage Deploy-staging, action Approve) "#{SourceVariables.BranchName}" refers to variable "BranchName", which stage Source, action Source does not set: an action of its kind sets only ImageDigest, ImageTag, ImageURI, RegistryId, RepositoryName: use one of those names, or a variable of another action that runs earlier`}},
		{"a reference that spans a value known only at deploy is not judged", "",
			map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{"#{", map[string]interface{}{"Ref": "Namespace"}, ".x}"}}}, ok, ok, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			found, err := limits.CheckTemplate("payments-tooling", referencesTemplate(stdcmp.Or(tc.source, "CodeStarSourceConnection"), tc.build, tc.prepare, tc.approve))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range found {
				if f.Limit.ID != limits.VariableReference {
					continue
				}
				if !f.Over() {
					t.Errorf("%v: want an error, not a warning", f)
				}
				got = append(got, f.Error()[len("payments-tooling/"):])
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestConnectionSourceVariables: a connection source's variables
// (CodeStarSourceConnection: GitHub, GitLab, Bitbucket) are not a fixed set
// (a pull request trigger adds its own), so only a name that differs from
// one AWS documents in case alone is refused: it never resolves. Every
// documented name resolves, in the next stage as in a later one, and so does
// any other name.
func TestConnectionSourceVariables(t *testing.T) {
	misspelled := func(key, action, name, want string) string {
		stage := "Build"
		if action != "Build" {
			stage = "Deploy-staging"
		}
		return `Pipeline: Configuration.` + key + ` (stage ` + stage + `, action ` + action + `) "#{SourceVariables.` + name + `}" refers to variable "` + name +
			`", which stage Source, action Source never sets: variable names are case-sensitive, and an action of its kind sets ` + want + `: write ` + want + `, as CodePipeline spells it`
	}
	type ref struct{ name, want string } // want: the spelling to suggest, "" when the name is not refused
	var refs []ref
	for _, name := range limits.SpelledVariables("Source", "CodeStarSourceConnection") {
		refs = append(refs, ref{name, ""})
	}
	refs = append(refs,
		ref{"CommitID", "CommitId"}, ref{"commitId", "CommitId"}, ref{"branchname", "BranchName"}, ref{"BRANCHNAME", "BranchName"},
		ref{"authorDate", "AuthorDate"}, ref{"Commitmessage", "CommitMessage"}, ref{"ConnectionARN", "ConnectionArn"}, ref{"FullRepositoryname", "FullRepositoryName"},
		// Not documented, or not a documented name in another case: not judged.
		ref{"PullRequestId", ""}, ref{"SourceBranchName", ""}, ref{"DestinationBranchName", ""}, ref{"Branch", ""}, ref{"CommitterDate", ""})
	for _, r := range refs {
		t.Run(r.name, func(t *testing.T) {
			v := "#{SourceVariables." + r.name + "}"
			body := referencesTemplate("CodeStarSourceConnection", `[{"name":"V","type":"PLAINTEXT","value":"`+v+`"}]`, `{"P":"`+v+`"}`, "see "+v)
			found, err := limits.CheckTemplate("payments-tooling", body)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range found {
				if f.Limit.ID == limits.VariableReference {
					got = append(got, f.Error()[len("payments-tooling/"):])
				}
			}
			var want []string
			if r.want != "" {
				want = []string{
					misspelled("EnvironmentVariables", "Build", r.name, r.want),
					misspelled("CustomData", "Approve", r.name, r.want),
					misspelled("ParameterOverrides", "Prepare", r.name, r.want),
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVariableName pins limits.VariableName for each kind of setter: a
// fixed set refuses any other name, an open set with documented names only
// those names in another case, an unknown set nothing.
func TestVariableName(t *testing.T) {
	conn := limits.NewSetter("Source", "CodeStarSourceConnection", 0, 1)
	codeCommit := limits.NewSetter("Source", "CodeCommit", 0, 1)
	build := limits.NewSetter("Build", "CodeBuild", 1, 1)
	tests := []struct {
		setter limits.Setter
		name   string
		want   limits.Resolution
	}{
		{conn, "CommitId", limits.Resolves},
		{conn, "CommitID", limits.MisspelledVariable},
		{conn, "PullRequestTitle", limits.Resolves},
		{conn, "VersionId", limits.Resolves},
		{codeCommit, "CommitterDate", limits.Resolves},
		{codeCommit, "CommitID", limits.UnsetVariable},
		{codeCommit, "PullRequestId", limits.UnsetVariable},
		{build, "commitid", limits.Resolves},
		{build, "ANY_EXPORTED", limits.Resolves},
	}
	for _, tc := range tests {
		if got := limits.VariableName(tc.name, &tc.setter); got != tc.want {
			t.Errorf("VariableName(%q, %+v) = %v, want %v", tc.name, tc.setter, got, tc.want)
		}
	}
	if conn.Variables != nil || codeCommit.Spelled != nil || build.Variables != nil || build.Spelled != nil {
		t.Errorf("NewSetter mixes fixed and spelled sets: %+v %+v %+v", conn, codeCommit, build)
	}
}
