// Package arns parses and matches ARNs and region names in pure Go (no
// jsii), so that the construct packages and the planner can name a wrong
// ARN, a typo in a region or an empty partition at synth, before
// aws-cdk-lib or AWS sees them.
//
// The ARN format and the ArnLike operator are IAM's: "Amazon Resource
// Names (ARNs)" (arn:partition:service:region:account-id:resource) and
// "IAM JSON policy elements: Condition operators" (ArnLike matches each of
// the six colon-separated parts, with * and ? as wildcards within a part).
package arns

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ARN is a parsed ARN.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// String is a's ARN form.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// Parse splits s into its parts. It fails for anything that is not six
// colon-separated parts starting with arn, with a partition, a service and a
// resource; the error says what is wrong, in words for a user.
func Parse(s string) (ARN, error) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ARN{}, fmt.Errorf("not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)")
	}
	a := ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}
	switch {
	case a.Partition == "":
		return a, fmt.Errorf("the partition is empty (arn::...); use arn:aws:..., arn:aws-cn:... or arn:aws-us-gov:...")
	case !slices.Contains(Partitions, a.Partition) && !IsToken(a.Partition):
		return a, fmt.Errorf("unknown partition %q; use one of %s", a.Partition, strings.Join(Partitions, ", "))
	case a.Service == "":
		return a, fmt.Errorf("the service is empty")
	case a.Resource == "":
		return a, fmt.Errorf("the resource is empty")
	}
	return a, nil
}

// Partitions are the AWS partitions whose regions Relay knows.
var Partitions = []string{"aws", "aws-cn", "aws-us-gov"}

// IsToken reports whether s holds an unresolved aws-cdk-lib token (a string
// token such as ${Token[TOKEN.80]} or a list token), whose value is known
// only at synth. aws-cdk-lib encodes string tokens this way
// (Token.isUnresolved); checking the text keeps this package free of jsii.
func IsToken(s string) bool {
	return strings.Contains(s, "${Token[") || strings.Contains(s, "#{Token[")
}

// Role parses s as an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/PATH/NAME)
// and returns its account, its path (/ or /a/b/) and its name.
func Role(s string) (account, path, name string, err error) {
	a, err := Parse(s)
	if err != nil {
		return "", "", "", err
	}
	if a.Service != "iam" || a.Region != "" || !strings.HasPrefix(a.Resource, "role/") {
		return "", "", "", fmt.Errorf("not an IAM role ARN (arn:%s:iam::ACCOUNT:role/NAME)", a.Partition)
	}
	rest := strings.TrimPrefix(a.Resource, "role")
	i := strings.LastIndex(rest, "/")
	return a.Account, rest[:i+1], rest[i+1:], nil
}

// CheckRolePattern returns "" when s is an IAM role ARN, or an ArnLike
// pattern of role ARNs (arn:PARTITION:iam::ACCOUNT:role/PATH/NAME, * and ?
// within a part), of partition (any known one when partition is ""), or a
// token; otherwise the problem, with the fix. A pattern that is no role ARN
// matches no principal: a policy that admits roles by it admits none.
func CheckRolePattern(s, partition string) string {
	show := partition
	if show == "" {
		show = "aws"
	}
	switch {
	case IsToken(s):
		return ""
	case s == "":
		return fmt.Sprintf("empty; write arn:%s:iam::ACCOUNT:role/PATH/NAME (* and ? match within a part)", show)
	case !strings.HasPrefix(s, "arn:"):
		return fmt.Sprintf("a role name, not an ARN pattern; write arn:%s:iam::ACCOUNT:role/PATH/%s (ACCOUNT may be *)", show, s)
	}
	parts := strings.SplitN(s, ":", 6)
	wild := len(parts) > 1 && strings.ContainsAny(parts[1], "*?")
	probe := s
	if wild {
		probe = "arn:aws:" + strings.Join(parts[2:], ":")
	}
	a, err := Parse(probe)
	switch {
	case err != nil:
		return err.Error()
	case !Glob(a.Service, "iam") || a.Region != "" || !(strings.HasPrefix(a.Resource, "role/") || strings.HasPrefix(a.Resource, "*")):
		return fmt.Sprintf("not an IAM role ARN pattern (arn:%s:iam::ACCOUNT:role/PATH/NAME)", show)
	case !wild && partition != "" && a.Partition != partition:
		return fmt.Sprintf("in partition %s, not %s (Partition)", a.Partition, partition)
	}
	return ""
}

// Like reports whether arn matches pattern as IAM's ArnLike (and ArnEquals)
// condition operators match: part by part, * matching any run of characters
// and ? any one character within a part.
func Like(pattern, arn string) bool {
	pp, ap := strings.SplitN(pattern, ":", 6), strings.SplitN(arn, ":", 6)
	if len(pp) != 6 || len(ap) != 6 {
		return false
	}
	for i := range pp {
		if !Glob(pp[i], ap[i]) {
			return false
		}
	}
	return true
}

// Glob reports whether s matches the pattern p of IAM's wildcards: *
// matches any run of characters (/ and : included, none too) and ? exactly
// one; nothing else is special, and case counts. Linear in practice: it
// backtracks only to the last *, never recursively.
func Glob(p, s string) bool {
	px, sx, star, next := 0, 0, -1, 0
	for sx < len(s) {
		switch {
		case px < len(p) && (p[px] == '?' || p[px] == s[sx]):
			px++
			sx++
		case px < len(p) && p[px] == '*':
			star, next = px, sx
			px++
		case star >= 0:
			next++
			px, sx = star+1, next
		default:
			return false
		}
	}
	for px < len(p) && p[px] == '*' {
		px++
	}
	return px == len(p)
}

// regions maps every AWS region Relay knows to its partition. A region
// missing here is refused: add it when AWS opens it ("AWS Regions" in the
// AWS General Reference).
var regions = map[string]string{
	"us-east-1":      "aws",
	"us-east-2":      "aws",
	"us-west-1":      "aws",
	"us-west-2":      "aws",
	"af-south-1":     "aws",
	"ap-east-1":      "aws",
	"ap-east-2":      "aws",
	"ap-south-1":     "aws",
	"ap-south-2":     "aws",
	"ap-northeast-1": "aws",
	"ap-northeast-2": "aws",
	"ap-northeast-3": "aws",
	"ap-southeast-1": "aws",
	"ap-southeast-2": "aws",
	"ap-southeast-3": "aws",
	"ap-southeast-4": "aws",
	"ap-southeast-5": "aws",
	"ap-southeast-6": "aws",
	"ap-southeast-7": "aws",
	"ca-central-1":   "aws",
	"ca-west-1":      "aws",
	"eu-central-1":   "aws",
	"eu-central-2":   "aws",
	"eu-west-1":      "aws",
	"eu-west-2":      "aws",
	"eu-west-3":      "aws",
	"eu-south-1":     "aws",
	"eu-south-2":     "aws",
	"eu-north-1":     "aws",
	"il-central-1":   "aws",
	"me-south-1":     "aws",
	"me-central-1":   "aws",
	"mx-central-1":   "aws",
	"sa-east-1":      "aws",

	"cn-north-1":     "aws-cn",
	"cn-northwest-1": "aws-cn",

	"us-gov-west-1": "aws-us-gov",
	"us-gov-east-1": "aws-us-gov",
}

// RegionPartition returns the partition of region and whether Relay knows
// the region.
func RegionPartition(region string) (string, bool) {
	p, ok := regions[region]
	return p, ok
}

// Regions are the names of every region Relay knows, sorted.
func Regions() []string { return slices.Sorted(maps.Keys(regions)) }

// CheckRegion returns "" when region is a region of partition (any
// partition when partition is ""), or the problem with the fix: the
// nearest known region for a typo, or the partition the region is in.
func CheckRegion(region, partition string) string {
	if IsToken(region) {
		return ""
	}
	p, ok := regions[region]
	switch {
	case !ok:
		if near := Nearest(region); near != "" {
			return fmt.Sprintf("not an AWS region; did you mean %q?", near)
		}
		return "not an AWS region, such as us-east-1 or eu-west-1"
	case partition != "" && p != partition:
		return fmt.Sprintf("a region of partition %s, not %s; set Partition to %s or pick a region of %s", p, partition, p, partition)
	}
	return ""
}

// Nearest is the known region closest to s by edit distance, when it is at
// most 2 edits away (a typo), or "".
func Nearest(s string) string {
	best, bestD := "", 3
	for _, r := range Regions() {
		if d := distance(strings.ToLower(s), r); d < bestD {
			best, bestD = r, d
		}
	}
	return best
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// RegionPartitions is a copy of the table of known regions and their
// partitions.
func RegionPartitions() map[string]string { return maps.Clone(regions) }
