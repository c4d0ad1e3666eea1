package cron

import "testing"

// TestCronRule checks EventBridge cron expressions field by field, each
// problem with its exact message.
func TestCronRule(t *testing.T) {
	const suffix = ` (EventBridge cron: minutes hours day-of-month month day-of-week year, such as "cron(* 9-16 ? * MON-FRI *)")`
	tests := []struct{ cron, want string }{
		// valid
		{"cron(* 9-16 ? * MON-FRI *)", ""},
		{"cron(0 10 * * ? *)", ""},
		{"cron(0/15 8-17 ? JAN-MAR,OCT-DEC 2-6 2026-2030)", ""},
		{"cron(*/5 * L * ? *)", ""},
		{"cron(0 9 15W * ? *)", ""},
		{"cron(0 9 ? * 3#2 *)", ""},
		{"cron(0 9 ? * L *)", ""},
		{"cron(0 9 ? * mon-fri *)", ""},
		{"cron(10-30/5 0,12 1-15 1 ? 1970)", ""},
		// shape
		{"0 9 * * *", `must be an EventBridge cron expression, such as "cron(* 9-16 ? * MON-FRI *)"`},
		{"cron(0 9 * * ?)", `must be an EventBridge cron expression, such as "cron(* 9-16 ? * MON-FRI *)"`},
		// ranges of each field
		{"cron(60 9 ? * MON *)", `minutes "60": 60 is outside 0-59` + suffix},
		{"cron(0 24 ? * MON *)", `hours "24": 24 is outside 0-23` + suffix},
		{"cron(0 9 0 * ? *)", `day-of-month "0": 0 is outside 1-31` + suffix},
		{"cron(0 9 ? 13 MON *)", `month "13": 13 is outside 1-12` + suffix},
		{"cron(0 9 ? * 8 *)", `day-of-week "8": 8 is outside 1-7` + suffix},
		{"cron(0 9 ? * MON 2200)", `year "2200": 2200 is outside 1970-2199` + suffix},
		// names
		{"cron(0 9 ? JANUARY MON *)", `month "JANUARY": "JANUARY" is not a value: use 1-12 or JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG, SEP, OCT, NOV, DEC` + suffix},
		{"cron(0 9 ? * MON-FRY *)", `day-of-week "MON-FRY": "FRY" is not a value: use 1-7 or SUN, MON, TUE, WED, THU, FRI, SAT` + suffix},
		{"cron(0 nine ? * MON *)", `hours "nine": "nine" is not a value: use 0-23` + suffix},
		// ranges, lists and increments
		{"cron(0 16-9 ? * MON *)", `hours "16-9": the range 16-9 goes from high to low; to wrap around, list two ranges, such as 16-23,0-9` + suffix},
		{"cron(0 9 ? * FRI-MON *)", `day-of-week "FRI-MON": the range FRI-MON goes from high to low; to wrap around, list two ranges, such as FRI-SAT,SUN-MON` + suffix},
		{"cron(0 9,,17 ? * MON *)", `hours "9,,17": has an empty item; remove the extra comma` + suffix},
		{"cron(*/0 9 ? * MON *)", `minutes "*/0": the increment after / must be a whole number from 1 to 60, not "0"` + suffix},
		{"cron(0 9 ? * 1/2 *)", `day-of-week "1/2": / (increments) is not allowed in day-of-week` + suffix},
		{"cron(*,5 9 ? * MON *)", `minutes "*,5": * stands alone in its field (or with an increment, such as */5)` + suffix},
		// ?, L, W and #
		{"cron(0 9 * * MON-FRI *)", `day-of-month "*" and day-of-week "MON-FRI": one of them must be ?, since EventBridge does not take both, such as "cron(* 9-16 ? * MON-FRI *)"`},
		{"cron(0 9 ? * ? *)", `day-of-month and day-of-week are both ?; set one of them, such as "cron(* 9-16 ? * MON-FRI *)"`},
		{"cron(? 9 * * ? *)", `minutes "?": ? is allowed only in day-of-month and day-of-week` + suffix},
		{"cron(0 9 1,? * ? *)", `day-of-month "1,?": ? stands alone in its field` + suffix},
		{"cron(0 L ? * MON *)", `hours "L": L is allowed only in day-of-month and day-of-week` + suffix},
		{"cron(0 9 L-2 * ? *)", `day-of-month "L-2": L (the last day of the month or week) stands alone in its item` + suffix},
		{"cron(0 9 32W * ? *)", `day-of-month "32W": 32 is outside 1-31` + suffix},
		{"cron(0 9 ? * 3#6 *)", `day-of-week "3#6": the week of the month after # must be 1 to 5, not "6"` + suffix},
		{"cron(0 9 ? * 3#1,6#3 *)", `day-of-week "3#1,6#3": with # the field takes one expression, such as 3#2 (the second Tuesday)` + suffix},
		{"cron(0 9 1#2 * ? *)", `day-of-month "1#2": # is allowed only in day-of-week` + suffix},
	}
	for _, tt := range tests {
		if got := Rule(tt.cron); got != tt.want {
			t.Errorf("Rule(%q) =\n  %q\nwant\n  %q", tt.cron, got, tt.want)
		}
	}
}
