// Package idrules holds the pure checks of identifiers that Relay's config
// and its observability and audit constructs both judge: email addresses,
// AWS Chatbot (Amazon Q Developer in chat applications) workspace, team and
// channel IDs, and CloudTrail trail names. Each rule returns "" for a valid
// value, or what is wrong and how to fix it.
package idrules

import (
	"fmt"
	"net"
	"net/mail"
	"regexp"
	"strings"
)

var (
	// slackWorkspaceRE: Slack team IDs start with T (E for an Enterprise
	// Grid organization). CloudFormation accepts ^[0-9A-Z]{1,255}$
	// (AWS::Chatbot::SlackChannelConfiguration SlackWorkspaceId).
	slackWorkspaceRE = regexp.MustCompile(`^[TE][0-9A-Z]{8,254}$`)
	// slackChannelRE: public channel IDs start with C, private ones with C
	// or G; CloudFormation accepts ^[A-Za-z0-9]+$ of at most 256.
	slackChannelRE = regexp.MustCompile(`^[CG][0-9A-Z]{8,255}$`)
	// guidRE is a Microsoft Teams team or tenant ID (CloudFormation
	// pattern of TeamId and TeamsTenantId).
	guidRE = regexp.MustCompile(`^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$`)
	// teamsChannelRE is CloudFormation's TeamsChannelId pattern: the
	// channel ID URL-encoded, as in 19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2.
	teamsChannelRE = regexp.MustCompile(`^[a-zA-Z0-9\-_=+/.,]*%3[aA][a-zA-Z0-9\-_=+/.,]*%40[a-zA-Z0-9\-_=+/.,]*$`)
	// trailNameRE: CloudTrail trail names.
	trailNameRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._-]{1,126})[A-Za-z0-9]$`)
	trailARNRE  = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):cloudtrail:[a-z0-9-]+:[0-9]{12}:trail/(.+)$`)
)

// Email checks an email address for an SNS email subscription: one
// address, without a display name.
func Email(s string) string {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "must be an email address, such as ops@example.com"
	}
	return ""
}

// SlackWorkspaceID checks the ID of a Slack workspace that was authorized
// in the AWS Chatbot console.
func SlackWorkspaceID(s string) string {
	if !slackWorkspaceRE.MatchString(s) {
		return "must be the Slack workspace ID shown in the AWS Chatbot console after the workspace is authorized, such as T0123ABCD45 (uppercase letters and digits, starting with T)"
	}
	return ""
}

// SlackChannelID checks a Slack channel ID (not its name or URL).
func SlackChannelID(s string) string {
	switch {
	case strings.HasPrefix(s, "#"), strings.HasPrefix(s, "https://"):
		return "must be the channel ID, not its name or link: in Slack open the channel details and copy the ID at the bottom, such as C0123ABCD45"
	case !slackChannelRE.MatchString(s):
		return "must be a Slack channel ID of uppercase letters and digits starting with C or G, such as C0123ABCD45 (channel details, at the bottom)"
	}
	return ""
}

// TeamsGUID checks a Microsoft Teams team or tenant ID; what names it.
func TeamsGUID(s, what string) string {
	if !guidRE.MatchString(s) {
		return fmt.Sprintf("must be the %s as shown in the AWS Chatbot console, a GUID such as 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d", what)
	}
	return ""
}

// TeamsChannelID checks a Microsoft Teams channel ID, which CloudFormation
// takes URL-encoded.
func TeamsChannelID(s string) string {
	if teamsChannelRE.MatchString(s) && len(s) <= 256 {
		return ""
	}
	if strings.Contains(s, ":") && strings.Contains(s, "@") {
		enc := strings.NewReplacer(":", "%3a", "@", "%40").Replace(s)
		return fmt.Sprintf("must be URL-encoded as in the channel link: write %q", enc)
	}
	return "must be the URL-encoded Teams channel ID from the channel link (Get link to channel), such as 19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2"
}

// TrailName checks a CloudTrail trail name: 3 to 128 ASCII letters,
// digits, '.', '_' and '-', starting and ending with a letter or digit,
// without adjacent '.', '_' or '-', and not an IP address.
// Source: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
func TrailName(s string) string {
	const rule = "must be 3 to 128 letters, digits, '.', '_' and '-', starting and ending with a letter or digit, such as payments-audit"
	switch {
	case !trailNameRE.MatchString(s):
		return rule
	case strings.ContainsAny(s, ".-_") && adjacentPunct(s):
		return "must not have adjacent '.', '_' or '-', such as my--trail; use single separators"
	case net.ParseIP(s) != nil:
		return "must not be an IP address; use a name such as payments-audit"
	}
	return ""
}

// TrailReference checks the name or ARN of an existing trail, such as an
// organization trail: arn:<partition>:cloudtrail:<region>:<account>:trail/<name>.
func TrailReference(s string) string {
	if m := trailARNRE.FindStringSubmatch(s); m != nil {
		if r := TrailName(m[2]); r != "" {
			return "names a trail whose name " + r
		}
		return ""
	}
	if strings.HasPrefix(s, "arn:") {
		return "must be a trail ARN such as arn:aws:cloudtrail:us-east-1:999999999999:trail/org-trail, or a trail name"
	}
	return TrailName(s)
}

func adjacentPunct(s string) bool {
	for i := 1; i < len(s); i++ {
		if strings.ContainsRune(".-_", rune(s[i])) && strings.ContainsRune(".-_", rune(s[i-1])) {
			return true
		}
	}
	return false
}
