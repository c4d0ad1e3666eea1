package relaytest

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/relaycdk/relay/constructs/limits"
)

// AssemblyFindings synthesizes app (App.Synth, into the app's output
// folder: a new temporary folder unless the App was created with an
// Outdir or CDK_OUTDIR is set) and returns what limits.CheckDir finds in
// the cloud assembly, warnings and errors (Finding.Over): every AWS quota
// of limits.Table per stack, every name's length and alphabet, and every
// physical name that two stacks or resources of the app take in one AWS
// scope (limits.CheckUnique: two stacks of one name in one account and
// region, two roles of one name in one account, two buckets of one name,
// ...), and every variable reference of a pipeline action that cannot
// resolve when the action runs (limits.VariableReference); and what the
// team's own code attached to one of Relay's roles, from Relay's stacks or
// its own (limits.CheckRelayRoles: AdministratorAccess, IAMFullAccess,
// PowerUserAccess or AdministratorAccess-Amplify; an Allow of * on *, or
// with NotAction or NotResource; an IAM write, role chaining or stack
// change in a policy of the team's own on a role other than an execution
// role; a trust of an account root or * without
// an aws:PrincipalArn condition, of a service without aws:SourceArn or
// aws:SourceAccount beside other principals, or of an identity provider;
// an execution role's permissions-boundary Deny statements removed or
// pointed at another boundary), which the relay app's own check
// (limits.CheckDir) leaves out, having attached nothing. A construct error during synthesis fails the test (Do); so does an
// unreadable assembly.
//
// Every adjustable quota is held to AWS's default; AssemblyFindingsQuotas
// holds them to quotas raised in Service Quotas.
func AssemblyFindings(t testing.TB, app awscdk.App) []limits.Finding {
	t.Helper()
	return AssemblyFindingsQuotas(t, app, limits.Quotas{})
}

// AssemblyFindingsQuotas is AssemblyFindings in accounts with the adjustable
// quotas q (limits.Quotas.CheckDir): pass the Quotas given to the
// constructs' props (target.Props.Quotas, codedeploy.ServerProps.Quotas).
// Invalid quotas fail the test.
func AssemblyFindingsQuotas(t testing.TB, app awscdk.App, q limits.Quotas) []limits.Finding {
	t.Helper()
	var dir string
	Do(t, "synthesize the app", func() { dir = *app.Synth(nil).Directory() })
	findings, err := q.CheckDir(dir)
	if err != nil {
		t.Fatalf("check the cloud assembly in %s: %v", dir, err)
	}
	roles, err := limits.CheckRelayRolesDir(dir)
	if err != nil {
		t.Fatalf("check the cloud assembly in %s: %v", dir, err)
	}
	return append(findings, roles...)
}

// CheckAssembly is the check the relay app runs before it writes any
// template, for a team's own App: it synthesizes app (AssemblyFindings)
// and fails the test with every error finding, one per line (quotas,
// names, names that collide across the app's stacks, and variable
// references that cannot resolve: what would fail only at deploy or when
// the pipeline runs; and grants and trust that the team attached to
// Relay's own roles). Warnings (at 80% of a
// quota) are logged. Call it once on the whole app, after every stack is
// added:
//
//	app := awscdk.NewApp(nil)
//	team.New(app)
//	relaytest.CheckAssembly(t, app)
//
// CheckAssemblyQuotas checks against quotas raised in Service Quotas.
func CheckAssembly(t testing.TB, app awscdk.App) {
	t.Helper()
	CheckAssemblyQuotas(t, app, limits.Quotas{})
}

// CheckAssemblyQuotas is CheckAssembly in accounts with the adjustable
// quotas q (see AssemblyFindingsQuotas).
func CheckAssemblyQuotas(t testing.TB, app awscdk.App, q limits.Quotas) {
	t.Helper()
	for _, f := range AssemblyFindingsQuotas(t, app, q) {
		if f.Over() {
			t.Errorf("%v", f)
		} else {
			t.Logf("warning: %v", f)
		}
	}
}
