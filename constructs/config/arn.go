package config

import "strings"

// arn is an Amazon Resource Name split into its six fields:
// arn:<partition>:<service>:<region>:<account>:<resource>.
type arn struct {
	partition, service, region, account, resource string
}

// parseARN splits s into its fields. It reports false when s does not start
// with "arn:" or has fewer than six colon-separated fields; the resource may
// itself contain colons.
func parseARN(s string) (arn, bool) {
	f := strings.SplitN(s, ":", 6)
	if len(f) != 6 || f[0] != "arn" {
		return arn{}, false
	}
	return arn{partition: f[1], service: f[2], region: f[3], account: f[4], resource: f[5]}, true
}
