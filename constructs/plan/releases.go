package plan

// Release is how a deployment releases the build output in each region: a
// *Stack (CloudFormation), *ECSRelease, *ECSBlueGreenRelease,
// *CodeDeployRelease, *S3Release or *EKSRelease (a sealed interface).
//
// Each kind lives in a file of its own (release_*.go) with everything the
// plan knows of it: its fields and defaults, its validation, the actions it
// plans in one region of an account, and the action kinds it produces.
// Adding a release kind adds such a file here, a render function in package
// pipeline (deploys.go) and the statements of its role in the target account
// (package delivery, roles.go).
type Release interface {
	release()
	// withDefaults is a copy of the release with its defaults applied.
	withDefaults() Release
	// validate reports the problems of the release, at Go path field, in an
	// Account target.
	validate(v *validator, field string)
	// usesDeployRole reports whether its actions run as (or assume) the
	// account's deploy role.
	usesDeployRole() bool
	// actions are its actions in one region of an Account target, named by
	// their verb, in run order.
	actions(c *releaseContext) []Action
}
