package sourceaccount_test

import (
	"fmt"

	"github.com/relaycdk/relay/constructs/sourceaccount"
)

// An S3 source in the release account 444444444444: the role the source
// action runs as, what it may do, and the bus statement the tooling account
// adds for the forwarding rule.
func ExampleProps() {
	p := &sourceaccount.Props{
		Partition: "aws", Region: "us-east-1", Account: "444444444444", ToolingAccount: "111111111111",
		RoleName: "payments-source", RolePath: "/relay/payments/", ForwarderRoleName: "payments-source-forwarder",
		PipelineRoleArn:    "arn:aws:iam::111111111111:role/relay/payments/payments-pipeline",
		ArtifactBucket:     "payments-artifacts-111111111111-us-east-1",
		ArtifactKeyPattern: "arn:aws:kms:us-east-1:111111111111:key/*",
		Objects:            []sourceaccount.Object{{Bucket: "acme-releases", Key: "payments.zip", Rule: "payments-Source"}},
		TrailName:          "payments-sources",
	}
	if err := p.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.RoleArn())
	for _, st := range p.Statements() {
		fmt.Println(st.Sid, st.Actions, st.Resources)
	}
	r := &sourceaccount.ReceiverProps{Source: p, StatementID: "payments-source-444444444444"}
	fmt.Println(r.BusStatement()["Condition"])
	// Output:
	// arn:aws:iam::444444444444:role/relay/payments/payments-source
	// ReadSourceObjects [s3:GetObject s3:GetObjectVersion] [arn:aws:s3:::acme-releases/payments.zip]
	// ReadSourceBuckets [s3:GetBucketLocation s3:GetBucketVersioning] [arn:aws:s3:::acme-releases]
	// WriteSourceArtifacts [s3:PutObject] [arn:aws:s3:::payments-artifacts-111111111111-us-east-1/*]
	// EncryptSourceArtifacts [kms:Decrypt kms:GenerateDataKey] [arn:aws:kms:us-east-1:111111111111:key/*]
	// map[ArnEquals:map[aws:SourceArn:arn:aws:events:us-east-1:444444444444:rule/payments-Source]]
}
