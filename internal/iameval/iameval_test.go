package iameval

import (
	"strings"
	"testing"
)

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, text string
		want          bool
	}{
		{"*", "", true},
		{"*", "anything:at/all", true},
		{"s3:Get*", "s3:GetObject", true},
		{"s3:Get*", "s3:PutObject", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"*-deploy", "payments-staging-deploy", true},
		{"*-deploy", "payments-staging-deploy2", false},
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXcYYb", false},
		{"*a", "*a", true},
		{"exact", "Exact", false},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y", true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b", false},
		{"a*", "a\uE000s|key ID of K\uE001", true},
	}
	for _, tc := range tests {
		if got := Glob(tc.pattern, tc.text); got != tc.want {
			t.Errorf("Glob(%q, %q) = %v, want %v", tc.pattern, tc.text, got, tc.want)
		}
	}
}

func TestArnLike(t *testing.T) {
	tests := []struct {
		pattern, arn string
		want         bool
	}{
		{"arn:aws:iam::*:role/relay/p/p-*-deploy", "arn:aws:iam::222222222222:role/relay/p/p-staging-deploy", true},
		// A "*" does not cross a colon: the account part must be one part.
		{"arn:aws:iam::*:role/x", "arn:aws:iam::2:2:role/x", false},
		{"arn:aws:iam::111111111111:role/*", "arn:aws:iam::222222222222:role/x", false},
		{"arn:aws:lambda:*:*:function:f", "arn:aws:lambda:us-east-1:111111111111:function:f", true},
		{"*", "arn:aws:iam::1:role/x", true},
		{"arn:aws:iam::111111111111:role/x", "not-an-arn", false},
		// An open part is never split, whatever it holds.
		{"arn:aws:kms:us-east-1:111111111111:key/*", "arn:aws:kms:us-east-1:111111111111:key/\uE000s|AWS::AccountId\uE001", true},
	}
	for _, tc := range tests {
		if got := ArnLike(tc.pattern, tc.arn); got != tc.want {
			t.Errorf("ArnLike(%q, %q) = %v, want %v", tc.pattern, tc.arn, got, tc.want)
		}
	}
}

func TestConditions(t *testing.T) {
	ctx := map[string][]string{
		"s3:x-amz-server-side-encryption": {"aws:kms"},
		"aws:PrincipalArn":                {"arn:aws:iam::222222222222:role/relay/p/p-staging-deploy"},
		"aws:SecureTransport":             {"true"},
		"kms:ResourceAliases":             {"alias/a", "alias/b"},
		"Count":                           {"3"},
	}
	tests := []struct {
		op, key string
		values  []string
		want    bool
	}{
		{"StringEquals", "s3:x-amz-server-side-encryption", []string{"aws:kms"}, true},
		{"StringEquals", "S3:X-Amz-Server-Side-Encryption", []string{"aws:kms"}, true}, // keys ignore case
		{"StringEquals", "s3:x-amz-server-side-encryption", []string{"AWS:KMS"}, false},
		{"StringEqualsIgnoreCase", "s3:x-amz-server-side-encryption", []string{"AWS:KMS"}, true},
		{"StringEquals", "missing", []string{"x"}, false},
		{"StringNotEquals", "s3:x-amz-server-side-encryption", []string{"AES256"}, true},
		{"StringNotEquals", "s3:x-amz-server-side-encryption", []string{"aws:kms", "AES256"}, false},
		// A negated operator holds when the key is absent.
		{"StringNotEquals", "missing", []string{"x"}, true},
		{"StringNotEqualsIfExists", "missing", []string{"x"}, true},
		{"StringNotEqualsIfExists", "s3:x-amz-server-side-encryption", []string{"aws:kms"}, false},
		{"StringEqualsIfExists", "missing", []string{"x"}, true},
		{"StringLike", "aws:PrincipalArn", []string{"arn:aws:iam::*:role/relay/p/*"}, true},
		{"StringNotLike", "aws:PrincipalArn", []string{"arn:aws:iam::*:role/relay/q/*"}, true},
		{"ArnLike", "aws:PrincipalArn", []string{"arn:aws:iam::*:role/relay/p/p-*-deploy"}, true},
		{"ArnEquals", "aws:PrincipalArn", []string{"arn:aws:iam::222222222222:role/relay/p/p-staging-deploy"}, true},
		{"ArnEquals", "aws:PrincipalArn", []string{"arn:aws:iam::333333333333:role/relay/p/p-staging-deploy"}, false},
		{"ArnNotLike", "aws:PrincipalArn", []string{"arn:aws:iam::*:role/relay/p/*"}, false},
		{"ArnLike", "missing", []string{"*"}, false},
		{"Bool", "aws:SecureTransport", []string{"false"}, false},
		{"Bool", "aws:SecureTransport", []string{"TRUE"}, true},
		{"Null", "missing", []string{"true"}, true},
		{"Null", "aws:SecureTransport", []string{"true"}, false},
		{"Null", "aws:SecureTransport", []string{"false"}, true},
		{"ForAnyValue:StringEquals", "kms:ResourceAliases", []string{"alias/b"}, true},
		{"ForAnyValue:StringEquals", "kms:ResourceAliases", []string{"alias/c"}, false},
		{"ForAnyValue:StringEquals", "missing", []string{"alias/c"}, false},
		{"ForAllValues:StringEquals", "kms:ResourceAliases", []string{"alias/a"}, false},
		{"ForAllValues:StringEquals", "kms:ResourceAliases", []string{"alias/a", "alias/b", "alias/c"}, true},
		{"ForAllValues:StringEquals", "missing", []string{"alias/a"}, true},
		{"ForAnyValue:StringNotEquals", "kms:ResourceAliases", []string{"alias/a"}, true},
		{"ForAllValues:StringNotEquals", "kms:ResourceAliases", []string{"alias/a"}, false},
		{"NumericLessThan", "Count", []string{"4"}, true},
		{"NumericGreaterThanEquals", "Count", []string{"4"}, false},
		{"NumericEquals", "Count", []string{"three"}, false},
	}
	for _, tc := range tests {
		c := Condition{Operator: tc.op, Key: tc.key, Values: tc.values}
		if got := c.holds(ctx); got != tc.want {
			t.Errorf("%s %s %v = %v, want %v", tc.op, tc.key, tc.values, got, tc.want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		doc, want string
	}{
		{`[]`, "a policy document is a JSON object"},
		{`{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}`, `condition operator "IpAddress" is not supported`},
		{`{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"ForSome:StringEquals": {"k": "v"}}}]}`, "the set operator must be ForAnyValue or ForAllValues"},
		{`{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:username}/*"}]}`, "policy variables are not supported"},
		{`{"Statement": [{"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}]}`, "must be Allow or Deny"},
		{`{"Statement": [{"Effect": "Allow", "Resource": "*"}]}`, "exactly one of Action and NotAction"},
		{`{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": "arn:aws:iam::1:root"}]}`, `a string principal must be "*"`},
		{`{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": {"Robot": "x"}}]}`, "must be AWS, Service, Federated or CanonicalUser"},
		{`{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Extra": 1}]}`, `unknown element "Extra"`},
		{`{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NullIfExists": {"k": "true"}}}]}`, "Null takes neither IfExists nor a set operator"},
	}
	for _, tc := range tests {
		_, err := ParseJSON("p", []byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseJSON(%s) = %v, want an error with %q", tc.doc, err, tc.want)
		}
	}
}

func mustParse(t *testing.T, name, doc string) *Policy {
	t.Helper()
	p, err := ParseJSON(name, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return &p
}

// TestAuthorize covers the evaluation logic: explicit deny wins, one
// account's identity or resource policy suffices, another account needs
// both, an account principal delegates to identity policies, a key policy
// must always allow, a boundary caps, a service has only the resource
// policy.
func TestAuthorize(t *testing.T) {
	const (
		tooling = "111111111111"
		target  = "222222222222"
	)
	pipelineRole := Principal{ARN: "arn:aws:iam::" + tooling + ":role/relay/p/p-pipeline"}
	deployRole := Principal{ARN: "arn:aws:iam::" + target + ":role/relay/p/p-staging-deploy", OrgID: "o-a1b2c3d4e5"}
	strangerRole := Principal{ARN: "arn:aws:iam::" + target + ":role/relay/p/intruder"}
	object := "arn:aws:s3:::p-artifacts/run/a.zip"

	readObjects := mustParse(t, "read policy", `{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::p-artifacts/*"}]}`)
	writeObjects := mustParse(t, "write policy", `{"Statement": [{"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "arn:aws:s3:::p-artifacts/*"}]}`)
	denyAll := mustParse(t, "deny policy", `{"Statement": [{"Sid": "No", "Effect": "Deny", "Action": "*", "Resource": "*"}]}`)
	bucketPolicy := mustParse(t, "bucket policy", `{"Statement": [
	  {"Sid": "DenyUploadsWithAnotherKey", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::p-artifacts/*",
	   "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-east-1:111111111111:key/k"}}},
	  {"Sid": "ReadArtifactsFromTargetRoles", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::p-artifacts/*",
	   "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/relay/p/p-*-deploy"}, "StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}`)
	accountBucket := mustParse(t, "account bucket policy", `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"}, "Action": "s3:GetObject", "Resource": "*"}]}`)
	rolePolicy := mustParse(t, "role bucket policy", `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/relay/p/p-pipeline"}, "Action": "s3:GetObject", "Resource": "*"}]}`)
	keyPolicy := mustParse(t, "key policy", `{"Statement": [
	  {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "kms:*", "Resource": "*"},
	  {"Sid": "Readers", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*",
	   "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/relay/p/p-*-deploy"}}}]}`)
	decrypt := mustParse(t, "decrypt policy", `{"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111111111111:key/*"}]}`)
	trust := mustParse(t, "trust policy", `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole",
	   "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/relay/p/p-pipeline"}}}]}`)
	serviceTrust := mustParse(t, "service trust", `{"Statement": [{"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}]}`)
	assume := mustParse(t, "assume policy", `{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/relay/p/p-*-deploy"}]}`)
	boundary := mustParse(t, "boundary", `{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`)
	key := "arn:aws:kms:us-east-1:111111111111:key/k"
	bucket := func(p *Policy) Resource { return Resource{Account: tooling, Policy: p} }
	put := func(pr Principal, keyID string) Request {
		ctx := map[string][]string{"s3:x-amz-server-side-encryption": {"aws:kms"}}
		if keyID != "" {
			ctx["s3:x-amz-server-side-encryption-aws-kms-key-id"] = []string{keyID}
		}
		return Request{Principal: pr, Action: "s3:PutObject", Resource: object, Context: ctx}
	}
	get := func(pr Principal) Request { return Request{Principal: pr, Action: "s3:GetObject", Resource: object} }

	tests := []struct {
		name string
		req  Request
		id   Identity
		res  Resource
		want bool
		why  string
	}{
		{"same account: identity policy alone", get(pipelineRole), Identity{Policies: []Policy{*readObjects}}, Resource{Account: tooling}, true, "read policy"},
		{"same account: nothing allows", get(pipelineRole), Identity{}, Resource{Account: tooling}, false, "no identity policy"},
		{"same account: resource policy naming the role", get(pipelineRole), Identity{}, bucket(rolePolicy), true, "role bucket policy"},
		{"upload with the key the guard names", put(pipelineRole, key), Identity{Policies: []Policy{*writeObjects}}, bucket(bucketPolicy), true, "write policy"},
		{"upload naming the key by alias: denied", put(pipelineRole, "arn:aws:kms:us-east-1:111111111111:alias/relay/p/artifacts"), Identity{Policies: []Policy{*writeObjects}}, bucket(bucketPolicy), false, "DenyUploadsWithAnotherKey"},
		// ...IfExists holds for an absent key: a Deny with it applies.
		{"upload without a key ID: denied too", put(pipelineRole, ""), Identity{Policies: []Policy{*writeObjects}}, bucket(bucketPolicy), false, "DenyUploadsWithAnotherKey"},
		{"explicit deny in an identity policy wins", get(pipelineRole), Identity{Policies: []Policy{*readObjects, *denyAll}}, Resource{Account: tooling}, false, "explicit deny in deny policy (No)"},
		{"cross account: both allow", get(deployRole), Identity{Policies: []Policy{*readObjects}}, bucket(bucketPolicy), true, "bucket policy (ReadArtifactsFromTargetRoles) and read policy"},
		{"cross account: resource policy alone is not enough", get(deployRole), Identity{}, bucket(bucketPolicy), false, "no identity policy"},
		{"cross account: identity policy alone is not enough", get(deployRole), Identity{Policies: []Policy{*readObjects}}, Resource{Account: tooling}, false, "no resource policy allows"},
		{"cross account: the ARN condition keeps another role out", get(strangerRole), Identity{Policies: []Policy{*readObjects}}, bucket(bucketPolicy), false, "no resource policy allows"},
		{"cross account: the organization condition keeps another organization out", get(Principal{ARN: deployRole.ARN, OrgID: "o-zzzzzzzzzz"}), Identity{Policies: []Policy{*readObjects}}, bucket(bucketPolicy), false, "no resource policy allows"},
		{"account principal delegates to identity policies", get(deployRole), Identity{Policies: []Policy{*readObjects}}, bucket(accountBucket), true, "account bucket policy"},
		{"account principal without identity policy", get(deployRole), Identity{}, bucket(accountBucket), false, "no identity policy"},
		{"KMS: key policy and identity policy across accounts", Request{Principal: deployRole, Action: "kms:Decrypt", Resource: key}, Identity{Policies: []Policy{*decrypt}}, Resource{Account: tooling, Policy: keyPolicy, KMSKey: true}, true, "key policy (Readers)"},
		{"KMS: the key policy must allow", Request{Principal: strangerRole, Action: "kms:Decrypt", Resource: key}, Identity{Policies: []Policy{*decrypt}}, Resource{Account: tooling, Policy: keyPolicy, KMSKey: true}, false, "the key policy does not allow"},
		{"KMS: same account through the root statement needs an identity policy", Request{Principal: pipelineRole, Action: "kms:Decrypt", Resource: key}, Identity{}, Resource{Account: tooling, Policy: keyPolicy, KMSKey: true}, false, "no identity policy"},
		{"KMS: same account through the root statement", Request{Principal: pipelineRole, Action: "kms:Decrypt", Resource: key}, Identity{Policies: []Policy{*decrypt}}, Resource{Account: tooling, Policy: keyPolicy, KMSKey: true}, true, "key policy (Root)"},
		{"trust: pinned role may assume across accounts", Request{Principal: pipelineRole, Action: "sts:AssumeRole", Resource: deployRole.ARN}, Identity{Policies: []Policy{*assume}}, Resource{Account: target, Policy: trust}, true, "trust policy"},
		{"trust: another role of the pipeline account may not", Request{Principal: Principal{ARN: "arn:aws:iam::111111111111:role/other"}, Action: "sts:AssumeRole", Resource: deployRole.ARN}, Identity{Policies: []Policy{*assume}}, Resource{Account: target, Policy: trust}, false, "no resource policy allows"},
		{"service trust", Request{Principal: Principal{Service: "codepipeline.amazonaws.com"}, Action: "sts:AssumeRole", Resource: pipelineRole.ARN}, Identity{}, Resource{Account: tooling, Policy: serviceTrust}, true, "service trust"},
		{"another service", Request{Principal: Principal{Service: "codebuild.amazonaws.com"}, Action: "sts:AssumeRole", Resource: pipelineRole.ARN}, Identity{}, Resource{Account: tooling, Policy: serviceTrust}, false, "no resource policy statement"},
		{"a service has no identity policy", Request{Principal: Principal{Service: "codebuild.amazonaws.com"}, Action: "s3:GetObject", Resource: object}, Identity{Policies: []Policy{*readObjects}}, Resource{Account: tooling}, false, "no resource policy statement"},
		{"boundary allows", get(pipelineRole), Identity{Policies: []Policy{*writeObjects}, Boundary: boundary}, Resource{Account: tooling}, true, "write policy"},
		{"boundary caps", put(pipelineRole, key), Identity{Policies: []Policy{*writeObjects}, Boundary: boundary}, Resource{Account: tooling}, false, "the permissions boundary boundary does not allow s3:PutObject"},
		{"boundary caps a resource policy naming the role", get(pipelineRole), Identity{Boundary: denyAll}, bucket(rolePolicy), false, "explicit deny in the permissions boundary"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Authorize(tc.req, tc.id, tc.res)
			if d.Allowed != tc.want || !strings.Contains(d.Reason, tc.why) {
				t.Errorf("Authorize = %v, want allowed=%v with a reason naming %q", d, tc.want, tc.why)
			}
		})
	}
}

// TestNotElements covers NotAction, NotResource and NotPrincipal.
func TestNotElements(t *testing.T) {
	p := mustParse(t, "p", `{"Statement": [
	  {"Sid": "AllButIAM", "Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"},
	  {"Sid": "NotTheAdmin", "Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::1:role/admin"}, "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}]}`)
	admin, other := Principal{ARN: "arn:aws:iam::111111111111:role/admin"}, Principal{ARN: "arn:aws:iam::111111111111:role/dev"}
	tests := []struct {
		req       Request
		allow, dn bool
	}{
		{Request{Principal: other, Action: "s3:GetObject", Resource: "arn:aws:s3:::open/x"}, true, false},
		{Request{Principal: other, Action: "IAM:CreateRole", Resource: "*"}, false, false},
		{Request{Principal: other, Action: "s3:GetObject", Resource: "arn:aws:s3:::secret/x"}, false, false},
		{Request{Principal: other, Action: "kms:ScheduleKeyDeletion", Resource: "k"}, true, true},
		{Request{Principal: Principal{ARN: "arn:aws:iam::1:role/admin"}, Action: "kms:ScheduleKeyDeletion", Resource: "k"}, true, false},
		{Request{Principal: admin, Action: "kms:ScheduleKeyDeletion", Resource: "k"}, true, true},
	}
	for _, tc := range tests {
		m := p.Match(tc.req)
		if m.Deny != tc.dn || (!tc.dn && m.Allow != tc.allow) {
			t.Errorf("%s %s on %s: %+v, want allow=%v deny=%v", tc.req.Principal, tc.req.Action, tc.req.Resource, m, tc.allow, tc.dn)
		}
	}
}
