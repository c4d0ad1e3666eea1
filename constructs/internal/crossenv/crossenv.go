// Package crossenv finds the tokens in props that aws-cdk-lib cannot write
// in the stack that takes them: references to resources of another account
// or region whose physical names are generated. aws-cdk-lib refuses them
// only at synth, after the constructors returned, naming the resource and no
// field (CannotUseCrossEnvironment); Relay's ValidateIn methods report them
// first, by field.
package crossenv

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/arns"
	"github.com/relaycdk/relay/constructs/internal/fieldpath"
)

// resourceRE finds the resource in aws-cdk-lib's CannotUseCrossEnvironment
// message ("Cannot use resource 'orders-tooling/Role' in a
// cross-environment fashion, the resource's physical name must be explicit
// set or use PhysicalName.GENERATE_IF_NEEDED").
var resourceRE = regexp.MustCompile(`Cannot use resource '([^']+)' in a cross-environment fashion`)

// Check resolves in stack every token among the strings of props
// (fieldpath.Strings: exported fields, through pointers, interfaces, slices
// and maps, not into constructs) and returns an error for each that
// aws-cdk-lib refuses there as a reference to a resource of another account
// or region without a physical name, naming the field (its Go path), the
// resource and the fix. Other tokens, and tokens that resolve, are not
// judged here. Each token is one jsii round trip.
func Check(stack awscdk.Stack, props any) []error {
	var errs []error
	for _, v := range fieldpath.Strings(props, arns.IsToken) {
		if resource := unwritable(stack, v.Text); resource != "" {
			errs = append(errs, fmt.Errorf("%s %q: a reference to %s, a resource of another account or region than the stack %s whose physical name is generated, which aws-cdk-lib cannot write there (CannotUseCrossEnvironment at synth); give the resource a physical name (such as RoleName or BucketName: naming.Names has Relay's), or write the ARN as text",
				v.Path, v.Text, resource, *stack.StackName()))
		}
	}
	return errs
}

// unwritable is the path of the resource that the token s refers to when
// aws-cdk-lib refuses to resolve it in stack as a cross-environment
// reference, else "".
func unwritable(stack awscdk.Stack, s string) (resource string) {
	defer func() {
		if r := recover(); r != nil {
			if m := resourceRE.FindStringSubmatch(fmt.Sprint(r)); m != nil {
				resource = m[1]
			}
		}
	}()
	stack.Resolve(jsii.String(s))
	return ""
}
