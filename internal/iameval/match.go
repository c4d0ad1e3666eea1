package iameval

import "strings"

// Glob reports whether text matches pattern, where "*" stands for any run
// of characters (none included) and "?" for exactly one, as in IAM's
// Action, Resource and StringLike matching. The match is case-sensitive.
func Glob(pattern, text string) bool {
	p, t := []rune(pattern), []rune(text)
	// The classic two-pointer match with backtracking to the last star:
	// linear in practice, and no recursion on hostile input.
	pi, ti, star, mark := 0, 0, -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// actionMatches compares an IAM action pattern with an action, without
// regard to case (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
func actionMatches(pattern, action string) bool {
	return Glob(strings.ToLower(pattern), strings.ToLower(action))
}

// ArnParts splits an ARN into its six colon-separated parts
// (arn:partition:service:region:account:resource), the resource keeping
// its own colons. An open part of a resolved value (package wiring) is
// never split, whatever it holds. ok is false for a value with fewer than
// six parts.
func ArnParts(arn string) (parts [6]string, ok bool) {
	start, n, depth := 0, 0, 0
	for i, r := range arn {
		switch {
		case r == '\uE000':
			depth++
		case r == '\uE001' && depth > 0:
			depth--
		case r == ':' && depth == 0 && n < 5:
			parts[n] = arn[start:i]
			n++
			start = i + 1
		}
	}
	if n < 5 {
		return parts, false
	}
	parts[5] = arn[start:]
	return parts, true
}

// ArnLike matches an ARN against an ArnLike pattern: each of the six parts
// apart, with "*" and "?" in each; a pattern that is not an ARN matches as
// a whole ("*" matches every ARN).
func ArnLike(pattern, arn string) bool {
	if pattern == "*" {
		return true
	}
	pp, okP := ArnParts(pattern)
	ap, okA := ArnParts(arn)
	if !okP || !okA {
		return Glob(pattern, arn)
	}
	for i := range pp {
		if !Glob(pp[i], ap[i]) {
			return false
		}
	}
	return true
}

// AccountOf is the account of an IAM principal ARN
// (arn:aws:iam::111111111111:role/x gives 111111111111), or the ARN itself
// when it is a 12-digit account ID; "" otherwise.
func AccountOf(arn string) string {
	if isAccountID(arn) {
		return arn
	}
	parts, ok := ArnParts(arn)
	if !ok {
		return ""
	}
	if parts[4] == "" && parts[2] == "s3" {
		return ""
	}
	return parts[4]
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isRoot reports whether v names an account as a principal: a 12-digit ID
// or arn:<partition>:iam::<account>:root.
func isRoot(v string) bool {
	if isAccountID(v) {
		return true
	}
	parts, ok := ArnParts(v)
	return ok && parts[2] == "iam" && parts[5] == "root"
}

// globSome reports whether pattern matches some text that starts with
// prefix: whether a start of the pattern matches prefix exactly (a "*"
// that ends that start matches on into the rest).
func globSome(pattern, prefix string) bool {
	p := []rune(pattern)
	for i := 0; i <= len(p); i++ {
		if Glob(string(p[:i]), prefix) {
			return true
		}
	}
	return false
}
