// Package cron checks the EventBridge cron expressions and time zones of
// deployment windows (CodePipeline's DeploymentWindow entry condition), for
// package config (YAML) and package plan (Go) alike. It imports no jsii.
package cron

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones of deployment windows, whatever the machine has
)

// EventBridge cron expressions, which a deployment window's cron is:
// cron(minutes hours day-of-month month day-of-week year), checked field by
// field. Source: Amazon EventBridge User Guide, "Cron expressions
// reference" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html):
//
//	minutes       0-59                 , - * /
//	hours         0-23                 , - * /
//	day-of-month  1-31                 , - * ? / L W
//	month         1-12 or JAN-DEC      , - * /
//	day-of-week   1-7 or SUN-SAT       , - * ? L #
//	year          1970-2199            , - * /
//
// One of day-of-month and day-of-week is ?, the other a value or *; with #
// the day-of-week field holds one expression.

// cronField is one field of a cron expression.
type cronField struct {
	name     string
	min, max int
	names    []string // names of min, min+1, ... (months, days)
	wild     string   // the wildcards it takes besides , - and *
}

var cronFields = []cronField{
	{"minutes", 0, 59, nil, "/"},
	{"hours", 0, 23, nil, "/"},
	{"day-of-month", 1, 31, nil, "?/LW"},
	{"month", 1, 12, []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}, "/"},
	{"day-of-week", 1, 7, []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}, "?L#"},
	{"year", 1970, 2199, nil, "/"},
}

// cronExample is a valid deployment window: weekdays, 9:00 to 16:59.
const cronExample = `"cron(* 9-16 ? * MON-FRI *)"`

var cronRE = regexp.MustCompile(`^cron\((\S+ ){5}\S+\)$`)

// Rule is "" when s is an EventBridge cron expression, and otherwise what is
// wrong with it, field by field, with an example.
func Rule(s string) string {
	if !cronRE.MatchString(s) {
		return "must be an EventBridge cron expression, such as " + cronExample
	}
	fields := strings.Fields(s[len("cron(") : len(s)-1])
	for i, f := range cronFields {
		if problem := f.rule(fields[i]); problem != "" {
			return fmt.Sprintf("%s %q: %s (EventBridge cron: minutes hours day-of-month month day-of-week year, such as %s)", f.name, fields[i], problem, cronExample)
		}
	}
	dom, dow := fields[2], fields[4]
	switch {
	case dom == "?" && dow == "?":
		return fmt.Sprintf("day-of-month and day-of-week are both ?; set one of them, such as %s", cronExample)
	case dom != "?" && dow != "?":
		return fmt.Sprintf("day-of-month %q and day-of-week %q: one of them must be ?, since EventBridge does not take both, such as %s", dom, dow, cronExample)
	}
	return ""
}

// rule checks the value v of field f.
func (f cronField) rule(v string) string {
	if v == "?" {
		if !strings.Contains(f.wild, "?") {
			return "? is allowed only in day-of-month and day-of-week"
		}
		return ""
	}
	items := strings.Split(v, ",")
	for _, item := range items {
		if problem := f.item(item, len(items)); problem != "" {
			return problem
		}
	}
	return ""
}

// item checks one comma-separated item of f's value, of n items.
func (f cronField) item(item string, n int) string {
	switch {
	case item == "":
		return "has an empty item; remove the extra comma"
	case strings.Contains(item, "?"):
		return "? stands alone in its field"
	case strings.Contains(item, "#"):
		if !strings.Contains(f.wild, "#") {
			return "# is allowed only in day-of-week"
		}
		if n > 1 {
			return "with # the field takes one expression, such as 3#2 (the second Tuesday)"
		}
		day, nth, _ := strings.Cut(item, "#")
		if _, problem := f.value(day); problem != "" {
			return problem
		}
		if k, err := strconv.Atoi(nth); err != nil || k < 1 || k > 5 {
			return fmt.Sprintf("the week of the month after # must be 1 to 5, not %q", nth)
		}
		return ""
	case strings.Contains(item, "L"):
		switch {
		case !strings.Contains(f.wild, "L"):
			return "L is allowed only in day-of-month and day-of-week"
		case item != "L":
			return "L (the last day of the month or week) stands alone in its item"
		}
		return ""
	case strings.HasSuffix(item, "W") && f.name == "day-of-month":
		_, problem := f.value(strings.TrimSuffix(item, "W"))
		return problem
	}
	base, step, stepped := strings.Cut(item, "/")
	if stepped {
		if !strings.Contains(f.wild, "/") {
			return "/ (increments) is not allowed in " + f.name
		}
		k, err := strconv.Atoi(step)
		if err != nil || k < 1 || k > f.max-f.min+1 {
			return fmt.Sprintf("the increment after / must be a whole number from 1 to %d, not %q", f.max-f.min+1, step)
		}
	}
	if base == "*" {
		if n > 1 {
			return "* stands alone in its field (or with an increment, such as */5)"
		}
		return ""
	}
	lo, hi, ranged := strings.Cut(base, "-")
	a, problem := f.value(lo)
	if problem != "" {
		return problem
	}
	if ranged {
		b, problem := f.value(hi)
		if problem != "" {
			return problem
		}
		if a > b {
			return fmt.Sprintf("the range %s goes from high to low; to wrap around, list two ranges, such as %s-%s,%s-%s",
				base, lo, f.label(f.max), f.label(f.min), hi)
		}
	}
	return ""
}

// value parses a single value of f: a number in its range or one of its
// names.
func (f cronField) value(s string) (int, string) {
	for i, name := range f.names {
		if strings.EqualFold(s, name) {
			return f.min + i, ""
		}
	}
	n, err := strconv.Atoi(s)
	switch {
	case err == nil && n >= f.min && n <= f.max:
		return n, ""
	case err == nil:
		return 0, fmt.Sprintf("%d is outside %d-%d", n, f.min, f.max)
	case len(f.names) > 0:
		return 0, fmt.Sprintf("%q is not a value: use %d-%d or %s", s, f.min, f.max, strings.Join(f.names, ", "))
	}
	return 0, fmt.Sprintf("%q is not a value: use %d-%d", s, f.min, f.max)
}

// label writes value n of f as its name, if it has names.
func (f cronField) label(n int) string {
	if len(f.names) > 0 {
		return f.names[n-f.min]
	}
	return strconv.Itoa(n)
}

// TimeZoneRule is "" when s is an IANA time zone (such as UTC or
// Europe/Berlin), as Go's time package knows them, and otherwise the rule.
func TimeZoneRule(s string) string {
	if _, err := time.LoadLocation(s); err != nil || s == "" || s == "Local" {
		return "must be an IANA time zone, such as UTC or Europe/Berlin"
	}
	return ""
}
