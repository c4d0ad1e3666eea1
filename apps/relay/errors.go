package main

import (
	"fmt"
	"regexp"
	"runtime"
	"strings"
)

// stackFrame matches a line of a JavaScript or Go stack trace.
var stackFrame = regexp.MustCompile(`^\s+(at |\S+\.go:\d+)|^goroutine \d+ |^\S+\(.*\)$`)

// synthError turns what a synth panicked with into one message for the
// user: an aws-cdk-lib or construct error (which jsii raises as a panic)
// keeps its text without any stack trace, a mention of the private
// staging folder (removed when the app exits) is dropped, and a Go runtime
// error is named as a bug in Relay.
func synthError(r interface{}, staging string) error {
	if re, ok := r.(runtime.Error); ok {
		return fmt.Errorf("internal error: %v; this is a bug in Relay: please report it with the configuration", re)
	}
	var lines []string
	for _, line := range strings.Split(fmt.Sprint(r), "\n") {
		if stackFrame.MatchString(line) {
			continue
		}
		if staging != "" && strings.Contains(line, staging) {
			// "A copy of this report can be found in: <staging>/validation-report.json"
			if i := strings.Index(line, "A copy of this report"); i >= 0 {
				line = strings.TrimSpace(line[:i]) + " (the report is printed above)"
			} else {
				line = strings.ReplaceAll(line, staging, "<synth folder>")
			}
		}
		if strings.TrimSpace(line) != "" {
			lines = append(lines, strings.TrimRight(line, " "))
		}
	}
	msg := strings.Join(lines, "; ")
	msg = strings.TrimPrefix(msg, "Error: ")
	if msg == "" {
		msg = "aws-cdk-lib stopped without a message"
	}
	return fmt.Errorf("aws-cdk-lib refused the stacks: %s", msg)
}
