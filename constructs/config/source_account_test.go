package config

import "testing"

// TestSourceAccount checks the rules of sources in another account, each
// with its exact message.
func TestSourceAccount(t *testing.T) {
	s3 := func(c *Config) *S3Source {
		c.Source.GitHub = nil
		c.Source.S3 = &S3Source{Bucket: "acme-releases", Key: "app.zip", Versioned: true, Account: "444444444444"}
		return c.Source.S3
	}
	runValidateCases(t, []validateCase{
		{name: "S3 in another account with its key", mutate: func(c *Config) {
			s3(c).KMSKeyArn = "arn:aws:kms:" + c.Tooling.Region + ":444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab"
		}},
		{name: "CodeCommit in another account", mutate: func(c *Config) {
			c.ExtraSources = []ExtraSource{{Name: "settings", Source: Source{CodeCommit: &CodeCommitSource{Repository: "settings", Branch: "main", Account: "555555555555"}}}}
		}},
		{
			// <name>-Source_<extra>-<account> at 64 characters, the most an
			// EventBridge rule name has.
			name: "start rule name at its limit",
			mutate: func(c *Config) {
				c.Name = "payments-edge"
				c.ExtraSources = []ExtraSource{{Name: "settings-of-the-platform-store", Source: Source{CodeCommit: &CodeCommitSource{Repository: "settings", Branch: "main", Account: "555555555555"}}}}
			},
		},
		{
			name: "start rule name too long",
			mutate: func(c *Config) {
				c.Name = "payments-edge"
				c.ExtraSources = []ExtraSource{{Name: "settings-of-the-platform-stores", Source: Source{CodeCommit: &CodeCommitSource{Repository: "settings", Branch: "main", Account: "555555555555"}}}}
			},
			want: []string{`extraSources[0].name "settings-of-the-platform-stores": names the tooling account's rule that starts the pipeline on this source of account 555555555555, payments-edge-Source_settings-of-the-platform-stores-555555555555 (65 characters), and an EventBridge rule name has at most 64 (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html): shorten extraSources[].name or name (together at most 43 characters)`},
		},
		{
			name:   "S3 source role in the tooling account",
			mutate: func(c *Config) { s3(c).Account = c.Tooling.Account },
			want:   []string{`source.s3.account "111111111111": is the tooling account: a source of the pipeline's own account needs no source role; remove account`},
		},
		{
			name: "CodeCommit source role in the tooling account",
			mutate: func(c *Config) {
				c.ExtraSources = []ExtraSource{{Name: "settings", Source: Source{CodeCommit: &CodeCommitSource{Repository: "settings", Branch: "main", Account: c.Tooling.Account}}}}
			},
			want: []string{`extraSources[0].codecommit.account "111111111111": is the tooling account: a source of the pipeline's own account needs no source role; remove account`},
		},
		{
			name:   "account not 12 digits",
			mutate: func(c *Config) { s3(c).Account = "4444" },
			want:   []string{`source.s3.account "4444": must be the 12-digit ID of the account that owns the source`},
		},
		{
			name: "key of the tooling account",
			mutate: func(c *Config) {
				s3(c).KMSKeyArn = "arn:aws:kms:" + c.Tooling.Region + ":111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
			},
			want: []string{`source.s3.kmsKeyArn "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab": must be a key of the source account 444444444444 in the tooling region us-east-1`},
		},
		{
			// A key ID with anything after the UUID passed config
			// validation and was refused by sourceaccount.Props after it,
			// without a line; a multi-Region key (mrk-) is a key.
			name: "key ID that is no KMS key ID, and a multi-Region key",
			mutate: func(c *Config) {
				s3(c).KMSKeyArn = "arn:aws:kms:us-east-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab x"
				c.ExtraSources = []ExtraSource{{Name: "mrk", Source: Source{S3: &S3Source{Bucket: "acme-mrk", Key: "a.zip", Versioned: true, Account: "444444444444",
					KMSKeyArn: "arn:aws:kms:us-east-1:444444444444:key/mrk-1234abcd12ab34cd56ef1234567890ab"}}}}
			},
			want: []string{`source.s3.kmsKeyArn "arn:aws:kms:us-east-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab x": must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), not an alias`},
		},
		{
			name:   "key alias",
			mutate: func(c *Config) { s3(c).KMSKeyArn = "arn:aws:kms:us-east-1:444444444444:alias/releases" },
			want:   []string{`source.s3.kmsKeyArn "arn:aws:kms:us-east-1:444444444444:alias/releases": must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), not an alias`},
		},
		{
			name: "key and trail without account",
			mutate: func(c *Config) {
				b := s3(c)
				b.Account, b.KMSKeyArn, b.Trail = "", "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", "org"
			},
			want: []string{
				`source.s3.kmsKeyArn "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab": only a bucket of another account (account) takes kmsKeyArn; the pipeline role's access to a tooling-account key is the key policy's`,
				`source.s3.trail "org": only a bucket of another account (account) takes trail; in the tooling account, record the bucket's data events with audit`,
			},
		},
	})
}
