package limits_test

import (
	"fmt"

	"github.com/relaycdk/relay/constructs/limits"
)

// ExampleCheckTemplate measures one template as written to the cloud
// assembly: here a pipeline whose Build action refers to the namespace of a
// deploy action that runs only in a later stage, a reference CodePipeline
// could never resolve when the build runs.
func ExampleCheckTemplate() {
	template := []byte(`{"Resources": {"Pipeline": {"Type": "AWS::CodePipeline::Pipeline", "Properties": {
	  "Stages": [
	    {"Name": "Source", "Actions": [{"Name": "Source", "Namespace": "SourceVariables", "Configuration": {"BranchName": "main"}}]},
	    {"Name": "Build", "Actions": [{"Name": "Build", "Configuration": {
	      "EnvironmentVariables": "[{\"name\":\"COMMIT\",\"value\":\"#{SourceVariables.CommitId}\"},{\"name\":\"URL\",\"value\":\"#{Deploy_staging.Url}\"}]"}}]},
	    {"Name": "Deploy-staging", "Actions": [{"Name": "Deploy", "Namespace": "Deploy_staging", "Configuration": {"StackName": "orders-app"}}]}
	  ]}}}}`)
	findings, err := limits.CheckTemplate("orders-tooling", template)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range findings {
		if f.Over() {
			fmt.Println(f.Limit.ID, f.Name)
		}
	}
	// Output:
	// codepipeline-variable-reference #{Deploy_staging.Url}
}
