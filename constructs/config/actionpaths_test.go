package config

import (
	"strconv"
	"strings"
	"testing"
)

// TestActionPathsAtTheLimit checks each path that lands in an action's
// configuration as one value: at CodePipeline's 1,000 characters it passes,
// one more is refused by config with its line and the fix (these paths used
// to be refused only on the written template, without a line). CloudFormation
// actions take the path as <artifact>::<path>, seven characters more; the ECS
// and Step Functions actions take it as it is.
func TestActionPathsAtTheLimit(t *testing.T) {
	path := func(n int) string { return strings.Repeat("p/", (n-5)/2) + strings.Repeat("q", (n-5)%2) + "x.yml" }
	const limit = "CodePipeline takes at most 1000 characters per action configuration value (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html); shorten the path"
	ecs := "deploy:\n  ecs: {cluster: web, service: api, taskRoles: [\"arn:aws:iam::222222222222:role/api-task\"], imageDefinitions: %s}\n"
	blueGreen := releaseBlueGreen + "    testListener: ${tl}\n    taskDefinition: %s\n"
	appSpec := releaseBlueGreen + "    testListener: ${tl}\n    appSpec: %s\n"
	hook := "deploy:\n  templatePath: app.yaml\n  executionPolicy: {managedPolicyArns: [\"arn:aws:iam::aws:policy/ReadOnlyAccess\"]}\n  hooks:\n    - {name: migrate, stepFunctions: {stateMachine: migrate, inputFile: %s}}\n"
	step := "deploy:\n  templatePath: app.yaml\n  executionPolicy: {managedPolicyArns: [\"arn:aws:iam::aws:policy/ReadOnlyAccess\"]}\nsteps:\n  - {name: migrate, when: after, stepFunctions: {stateMachine: migrate, inputFile: %s}}\n"
	templatePath := "deploy:\n  templatePath: %s\n  executionPolicy: {managedPolicyArns: [\"arn:aws:iam::aws:policy/ReadOnlyAccess\"]}\n"
	// Only blue/green uses the base's setting (its test listener).
	plain := strings.Replace(releaseBase, `, settings: {tl: "arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65"}`, "", 1)
	for _, tt := range []struct {
		name, deploy string
		max          int    // the longest path that passes
		line, field  string // where the one-longer path is refused
		composed     string // what the action's value is, when it is not the path
	}{
		{"ECS imageDefinitions (FileName)", ecs, 1000, "7", "deploy.ecs.imageDefinitions", ""},
		{"blue/green taskDefinition (TaskDefinitionTemplatePath)", blueGreen, 1000, "14", "deploy.ecsBlueGreen.taskDefinition", ""},
		{"blue/green appSpec (AppSpecTemplatePath)", appSpec, 1000, "14", "deploy.ecsBlueGreen.appSpec", ""},
		{"a hook's stepFunctions.inputFile (Input)", hook, 1000, "10", "deploy.hooks[0].stepFunctions.inputFile", ""},
		{"a step's stepFunctions.inputFile (Input)", step, 1000, "10", "steps[0].stepFunctions.inputFile", ""},
		{"deploy.templatePath (Build::<path>)", templatePath, 993, "7", "deploy.templatePath", "is 1001 characters as the action's Build::<path>; "},
		{"an environment's templateConfiguration (Build::<path>)", "", 993, "5", "environments[0].templateConfiguration", "is 1001 characters as the action's Build::<path>; "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base := plain
			if strings.Contains(tt.deploy, "ecsBlueGreen") {
				base = releaseBase
			}
			if tt.deploy == "" { // the path is the environment's
				base = strings.Replace(plain, "regions: [us-east-1]}", "regions: [us-east-1], templateConfiguration: %s}", 1)
				tt.deploy = strings.Replace(templatePath, "%s", "app.yaml", 1)
			}
			at := strings.Replace(base+tt.deploy, "%s", path(tt.max), 1)
			if _, err := Parse("relay.yaml", []byte(at)); err != nil {
				t.Errorf("Parse() error = %v, want none for a path of %d characters", err, tt.max)
			}
			over := strings.Replace(base+tt.deploy, "%s", path(tt.max+1), 1)
			want := `relay.yaml:` + tt.line + `: ` + tt.field + ` "` + strconv.Itoa(tt.max+1) + ` characters": ` + tt.composed + limit
			if _, err := Parse("relay.yaml", []byte(over)); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Parse() error = %v\nwant it to contain %q", err, want)
			}
		})
	}
}
