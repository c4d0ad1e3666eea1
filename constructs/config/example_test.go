package config_test

import (
	"errors"
	"fmt"

	"github.com/relaycdk/relay/constructs/config"
)

func ExampleParse() {
	relayYAML := []byte(`name: payments
tooling: {account: "12345", region: us-east-1}
source:
  github: {repository: acme/payments, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/abc"}
deploy:
  executionPolicy: {managedPolicyArns: ["arn:aws:iam::aws:policy/AWSLambda_FullAccess"]}
environments:
  - {name: staging, account: "222222222222", regions: [us-east-1, eu-west-9]}
`)
	_, err := config.Parse("relay.yaml", relayYAML)
	fmt.Println(err)

	// Each problem is a *config.FieldError.
	var fe *config.FieldError
	if errors.As(err, &fe) {
		fmt.Printf("first: %s at line %d\n", fe.Path, fe.Line)
	}
	// Output:
	// relay.yaml:2: tooling.account "12345": must be exactly 12 digits, such as "123456789012"
	// relay.yaml:8: environments[0].regions[1] "eu-west-9": unknown AWS region; use a region code such as us-east-1 or eu-west-1
	// first: tooling.account at line 2
}
