package main

import (
	"errors"
	"testing"
)

type nilDeref struct{}

func (nilDeref) Error() string {
	return "runtime error: invalid memory address or nil pointer dereference"
}
func (nilDeref) RuntimeError()  {}
func (nilDeref) String() string { return nilDeref{}.Error() }

func TestSynthError(t *testing.T) {
	tests := []struct {
		name string
		r    interface{}
		want string
	}{
		{"construct ID collision", errors.New("There is already a Construct with name 'A' in App"),
			"aws-cdk-lib refused the stacks: There is already a Construct with name 'A' in App"},
		{"a JavaScript stack trace is dropped", errors.New("Error: Stack name must match the regular expression\n    at new Stack (/tmp/jsii-kernel/lib/stack.js:1:2)\n    at Kernel._create (/tmp/kernel.js:3:4)"),
			"aws-cdk-lib refused the stacks: Stack name must match the regular expression"},
		{"the staging folder is not named", "ValidationFailed: Validation failed. A copy of this report can be found in: /tmp/relay-synth-123/validation-report.json",
			"aws-cdk-lib refused the stacks: ValidationFailed: Validation failed. (the report is printed above)"},
		{"a Go stack trace is dropped", "boom\ngoroutine 1 [running]:\nmain.run()\n\t/src/apps/relay/main.go:12 +0x1d",
			"aws-cdk-lib refused the stacks: boom"},
		{"a Go runtime error is a bug", nilDeref{},
			"internal error: runtime error: invalid memory address or nil pointer dereference; this is a bug in Relay: please report it with the configuration"},
		{"nothing said", "", "aws-cdk-lib refused the stacks: aws-cdk-lib stopped without a message"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := synthError(tc.r, "/tmp/relay-synth-123").Error(); got != tc.want {
				t.Errorf("synthError =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
