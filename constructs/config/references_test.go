package config

import (
	"testing"
)

// TestValidateReferences checks the rules of #{namespace.name} references, each with its exact
// message.
func TestValidateReferences(t *testing.T) {
	runValidateCases(t, []validateCase{
		{
			name: "variable references",
			mutate: func(c *Config) {
				c.Pipeline.Variables = []Variable{{Name: "releaseTag"}}
				c.Build.EnvironmentVariables = map[string]EnvironmentVariable{
					"COMMIT":   {Value: "#{SourceVariables.CommitId}"},
					"TAG":      {Value: "#{variables.releaseTag}"},
					"TYPO":     {Value: "#{variables.releaseTg}"},
					"TOO_SOON": {Value: "#{BuildVariables.VERSION}"},
				}
				c.Environments[1].Approval.Comment = "Staging answered #{Deploy_staging_us-east-1.Url}, built #{BuildVariables.VERSION}"
				c.Environments[1].Approval.ReviewURL = "https://example.com/#{Deploy_production_us-east-1.Url}"
			},
			want: []string{
				`build.environmentVariables.TOO_SOON.value "#{BuildVariables.VERSION}": refers to namespace "BuildVariables", which no earlier action sets; known here: SourceVariables, variables`,
				`build.environmentVariables.TYPO.value "#{variables.releaseTg}": refers to pipeline variable "releaseTg", which pipeline.variables does not declare`,
				`environments[1].approval.reviewUrl "https://example.com/#{Deploy_production_us-east-1.Url}": refers to namespace "Deploy_production_us-east-1", which no earlier action sets; known here: BuildVariables, Deploy_staging_us-east-1, Hook_staging_us-east-1_smoke-test, SourceVariables, variables`,
			},
		},
	})
}
