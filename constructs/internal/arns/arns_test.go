package arns_test

import (
	"testing"

	"github.com/relaycdk/relay/constructs/internal/arns"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, err string
	}{
		{"arn:aws:iam::111111111111:role/relay/x/x-pipeline", ""},
		{"arn:aws:s3:::orders-artifacts", ""},
		{"arn::iam::111111111111:role/x", "the partition is empty (arn::...); use arn:aws:..., arn:aws-cn:... or arn:aws-us-gov:..."},
		{"arn:awz:iam::111111111111:role/x", `unknown partition "awz"; use one of aws, aws-cn, aws-us-gov`},
		{"orders-artifacts", "not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)"},
		{"arn:aws:s3:::", "the resource is empty"},
		{"arn:aws::::x", "the service is empty"},
	}
	for _, tt := range tests {
		_, err := arns.Parse(tt.in)
		if got := errText(err); got != tt.err {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.err)
		}
	}
}

func TestRole(t *testing.T) {
	tests := []struct {
		in, account, path, name, err string
	}{
		{"arn:aws:iam::222222222222:role/relay/orders/orders-staging-deploy", "222222222222", "/relay/orders/", "orders-staging-deploy", ""},
		{"arn:aws-cn:iam::222222222222:role/deploy", "222222222222", "/", "deploy", ""},
		{"arn:aws:iam::222222222222:user/deploy", "", "", "", "not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)"},
		{"arn:aws:s3:::bucket", "", "", "", "not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)"},
	}
	for _, tt := range tests {
		a, p, n, err := arns.Role(tt.in)
		if a != tt.account || p != tt.path || n != tt.name || errText(err) != tt.err {
			t.Errorf("Role(%q) = %q, %q, %q, %q; want %q, %q, %q, %q", tt.in, a, p, n, errText(err), tt.account, tt.path, tt.name, tt.err)
		}
	}
}

func TestLike(t *testing.T) {
	tests := []struct {
		pattern, arn string
		want         bool
	}{
		{"arn:aws:iam::*:role/relay/orders/orders-*-deploy", "arn:aws:iam::222222222222:role/relay/orders/orders-staging-deploy", true},
		{"arn:aws:iam::*:role/orders-*-deploy", "arn:aws:iam::222222222222:role/orders-deploy", false},
		{"arn:aws:iam::*:role/relay/orders/*", "arn:aws:iam::222222222222:role/relay/orders/x", true},
		{"arn:aws:iam::1111111111?1:role/x", "arn:aws:iam::111111111121:role/x", true},
		// * does not cross a colon: the account part must match on its own.
		{"arn:aws:iam::*", "arn:aws:iam::222222222222:role/x", false},
		{"arn:aws:kms:eu-west-1:111111111111:key/*", "arn:aws:kms:eu-west-1:111111111111:key/1234", true},
		{"arn:aws:kms:eu-west-1:111111111111:key/*", "arn:aws:kms:eu-west-2:111111111111:key/1234", false},
	}
	for _, tt := range tests {
		if got := arns.Like(tt.pattern, tt.arn); got != tt.want {
			t.Errorf("Like(%q, %q) = %v, want %v", tt.pattern, tt.arn, got, tt.want)
		}
	}
}

func TestCheckRegion(t *testing.T) {
	tests := []struct {
		region, partition, want string
	}{
		{"eu-west-1", "aws", ""},
		{"eu-west-1", "", ""},
		{"eu-west-l", "aws", `not an AWS region; did you mean "eu-west-1"?`},
		{"us-east1", "aws", `not an AWS region; did you mean "us-east-1"?`},
		{"EU-WEST-1", "aws", `not an AWS region; did you mean "eu-west-1"?`},
		{"mars-north-1", "aws", "not an AWS region, such as us-east-1 or eu-west-1"},
		{"cn-north-1", "aws", "a region of partition aws-cn, not aws; set Partition to aws-cn or pick a region of aws"},
		{"${Token[AWS.Region.5]}", "aws", ""},
	}
	for _, tt := range tests {
		if got := arns.CheckRegion(tt.region, tt.partition); got != tt.want {
			t.Errorf("CheckRegion(%q, %q) = %q, want %q", tt.region, tt.partition, got, tt.want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestCheckRolePattern(t *testing.T) {
	tests := []struct {
		pattern, partition, want string
	}{
		{"arn:aws:iam::*:role/relay/orders/orders-*-deploy", "aws", ""},
		{"arn:aws:iam::222222222222:role/orders-deploy", "", ""},
		{"arn:aws-cn:iam::*:role/*", "aws-cn", ""},
		{"arn:*:iam::*:role/orders-*", "aws", ""},
		{"${Token[TOKEN.80]}", "aws", ""},
		{"orders-*-deploy", "aws", "a role name, not an ARN pattern; write arn:aws:iam::ACCOUNT:role/PATH/orders-*-deploy (ACCOUNT may be *)"},
		{"", "aws", "empty; write arn:aws:iam::ACCOUNT:role/PATH/NAME (* and ? match within a part)"},
		{"arn::iam::*:role/orders-*", "aws", "the partition is empty (arn::...); use arn:aws:..., arn:aws-cn:... or arn:aws-us-gov:..."},
		{"arn:aws:iam::*:user/orders", "aws", "not an IAM role ARN pattern (arn:aws:iam::ACCOUNT:role/PATH/NAME)"},
		{"arn:aws:s3:::orders-*", "aws", "not an IAM role ARN pattern (arn:aws:iam::ACCOUNT:role/PATH/NAME)"},
		{"arn:aws:iam::*:role/orders-*", "aws-cn", "in partition aws, not aws-cn (Partition)"},
	}
	for _, tt := range tests {
		if got := arns.CheckRolePattern(tt.pattern, tt.partition); got != tt.want {
			t.Errorf("CheckRolePattern(%q, %q) = %q, want %q", tt.pattern, tt.partition, got, tt.want)
		}
	}
}
