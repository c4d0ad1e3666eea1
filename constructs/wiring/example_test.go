package wiring_test

import (
	"fmt"
	"strings"

	"github.com/relaycdk/relay/constructs/wiring"
)

// ExampleRead reads a hand-written cloud assembly (a tooling account with a
// pipeline, an artifact bucket and its key; a staging account with the
// deploy role) and lists who may assume what, and where each action runs.
func ExampleRead() {
	m, err := wiring.Read("testdata/two-accounts")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range m.Trusts {
		fmt.Printf("%s may assume %s if %s\n", t.From.Name, t.To.Name, t.Pins[0])
	}
	for _, g := range m.Grants {
		if g.Subject == nil {
			continue
		}
		what := "key"
		if g.Bucket != nil {
			what = "bucket"
		}
		fmt.Printf("roles matching %s may %s the %s (%s)\n", strings.Join(g.Subject.Values, ", "), g.Access, what, g.Via)
	}
	for _, st := range m.Pipelines[0].Stages {
		for _, a := range st.Actions {
			fmt.Printf("%s/%s runs in %s %s as %s\n", st.Name, a.Name, a.Account, a.Region, a.Role.Name)
		}
	}
	// Output:
	// orders-pipeline may assume orders-staging-deploy if ArnEquals aws:PrincipalArn
	// roles matching arn:aws:iam::*:role/orders-*-deploy may read the bucket (bucket policy)
	// roles matching arn:aws:iam::*:role/orders-*-deploy may read the key (key policy)
	// Source/Source runs in 111111111111 eu-west-1 as orders-pipeline
	// Deploy-staging/Prepare runs in 222222222222 eu-west-1 as orders-staging-deploy
	// Deploy-staging/Deploy runs in 222222222222 eu-west-1 as orders-staging-deploy
}

// ExampleMermaid renders the same assembly as a Mermaid flowchart; these
// are its trust and run arrows.
func ExampleMermaid() {
	m, err := wiring.Read("testdata/two-accounts")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(wiring.Mermaid(m), "\n") {
		if strings.Contains(line, `"runs as"`) || strings.Contains(line, "may assume") {
			fmt.Println(strings.TrimSpace(line))
		}
	}
	// Output:
	// action_orders_Deploy_staging_Prepare -->|"runs as"| role_orders_staging_deploy
	// pipeline_orders -->|"runs as"| role_orders_pipeline
	// role_orders_pipeline -->|"may assume · ArnEquals aws:PrincipalArn"| role_orders_staging_deploy
}
