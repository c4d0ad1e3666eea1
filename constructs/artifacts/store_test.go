package artifacts_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/artifacts"
	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/internal/iameval"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

const pattern = "arn:aws:iam::*:role/relay/payments/payments-*-deploy"

func synth(t *testing.T, props *artifacts.StoreProps) (assertions.Template, map[string]interface{}) {
	t.Helper()
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Tooling"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
	relaytest.Do(t, "NewStore", func() { artifacts.NewStore(stack, "Artifacts", props) })
	tpl := relaytest.Template(t, stack)
	return tpl, *tpl.ToJSON()
}

func has(t *testing.T, tpl assertions.Template, what, typ string, props interface{}) {
	t.Helper()
	relaytest.Check(t, what, func() { tpl.HasResourceProperties(jsii.String(typ), props) })
}

func TestStoreSecureDefaults(t *testing.T) {
	tpl, _ := synth(t, &artifacts.StoreProps{BucketName: "payments-artifacts-111111111111-us-east-1", KeyAlias: "alias/relay/payments/artifacts"})

	has(t, tpl, "key rotates", "AWS::KMS::Key", map[string]interface{}{"EnableKeyRotation": true})
	relaytest.Check(t, "key is retained", func() {
		tpl.HasResource(jsii.String("AWS::KMS::Key"), map[string]interface{}{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
	})
	has(t, tpl, "alias", "AWS::KMS::Alias", map[string]interface{}{"AliasName": "alias/relay/payments/artifacts"})
	has(t, tpl, "bucket encrypted with the key, bucket key, versioned, not public", "AWS::S3::Bucket", map[string]interface{}{
		"BucketName": "payments-artifacts-111111111111-us-east-1",
		"BucketEncryption": map[string]interface{}{"ServerSideEncryptionConfiguration": []interface{}{map[string]interface{}{
			"BucketKeyEnabled": true,
			"ServerSideEncryptionByDefault": map[string]interface{}{
				"SSEAlgorithm":   "aws:kms",
				"KMSMasterKeyID": assertions.Match_ObjectLike(&map[string]interface{}{"Fn::GetAtt": []interface{}{assertions.Match_StringLikeRegexp(jsii.String("^ArtifactsKey")), "Arn"}}),
			},
		}}},
		"VersioningConfiguration": map[string]interface{}{"Status": "Enabled"},
		"PublicAccessBlockConfiguration": map[string]interface{}{
			"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
		},
		"LoggingConfiguration": assertions.Match_ObjectLike(&map[string]interface{}{"LogFilePrefix": "artifacts/"}),
		"LifecycleConfiguration": map[string]interface{}{"Rules": assertions.Match_ArrayWith(&[]interface{}{
			assertions.Match_ObjectLike(&map[string]interface{}{"NoncurrentVersionExpiration": map[string]interface{}{"NoncurrentDays": 30}, "Status": "Enabled"}),
		})},
	})
	relaytest.Check(t, "buckets are retained", func() {
		tpl.AllResources(jsii.String("AWS::S3::Bucket"), map[string]interface{}{"DeletionPolicy": "Retain"})
	})
	relaytest.Check(t, "both buckets are TLS-only", func() {
		tpl.AllResourcesProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]interface{}{
			"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
				assertions.Match_ObjectLike(&map[string]interface{}{
					"Effect":    "Deny",
					"Action":    "s3:*",
					"Condition": map[string]interface{}{"Bool": map[string]interface{}{"aws:SecureTransport": "false"}},
				}),
			})}),
		})
	})
	has(t, tpl, "uploads without the artifact key are denied", "AWS::S3::BucketPolicy", map[string]interface{}{
		"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
			assertions.Match_ObjectLike(&map[string]interface{}{
				"Sid": "DenyUploadsWithoutKms", "Effect": "Deny", "Action": "s3:PutObject",
				"Condition": map[string]interface{}{"StringNotEquals": map[string]interface{}{"s3:x-amz-server-side-encryption": "aws:kms"}},
			}),
			assertions.Match_ObjectLike(&map[string]interface{}{
				"Sid": "DenyUploadsWithAnotherKey", "Effect": "Deny", "Action": "s3:PutObject",
				"Condition": map[string]interface{}{"StringNotEqualsIfExists": map[string]interface{}{
					"s3:x-amz-server-side-encryption-aws-kms-key-id": assertions.Match_ArrayWith(&[]interface{}{
						assertions.Match_ObjectLike(&map[string]interface{}{"Fn::GetAtt": assertions.Match_AnyValue()}),
					}),
				}},
			}),
		})}),
	})
}

// TestStoreReaders pins issue 10's security item 4: the key and bucket
// policies admit Relay's roles by pattern only from the accounts that hold
// targets - the OUs (aws:PrincipalOrgPaths, one size however many
// accounts) or the listed accounts - never from any account of the
// organization.
func TestStoreReaders(t *testing.T) {
	orgPrincipal := map[string]interface{}{"AWS": "*"}
	arnLike := map[string]interface{}{"aws:PrincipalArn": pattern}
	root := func(a string) interface{} {
		return map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{"arn:", map[string]interface{}{"Ref": "AWS::Partition"}, ":iam::" + a + ":root"}}}
	}
	tests := []struct {
		name      string
		readers   artifacts.Readers
		principal interface{}
		condition interface{}
	}{
		{
			name:      "organizational units",
			readers:   artifacts.Readers{OrganizationID: "o-a1b2c3d4e5", OrganizationalUnits: []string{"ou-a1b2-bbbbbbbb", "ou-a1b2-aaaaaaaa"}, RoleArnPatterns: []string{pattern}},
			principal: orgPrincipal,
			condition: map[string]interface{}{
				"ArnLike":      arnLike,
				"StringEquals": map[string]interface{}{"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
				"ForAnyValue:StringLike": map[string]interface{}{"aws:PrincipalOrgPaths": []interface{}{
					"o-a1b2c3d4e5/*/ou-a1b2-aaaaaaaa/*", "o-a1b2c3d4e5/*/ou-a1b2-bbbbbbbb/*"}},
			},
		},
		{
			name:      "accounts of the organization",
			readers:   artifacts.Readers{OrganizationID: "o-a1b2c3d4e5", Accounts: []string{"222222222222"}, RoleArnPatterns: []string{pattern}},
			principal: orgPrincipal,
			condition: map[string]interface{}{
				"ArnLike":      arnLike,
				"StringEquals": map[string]interface{}{"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:PrincipalAccount": "222222222222"},
			},
		},
		{
			name:      "accounts, sorted and deduplicated",
			readers:   artifacts.Readers{Accounts: []string{"333333333333", "222222222222", "333333333333"}, RoleArnPatterns: []string{pattern}},
			principal: map[string]interface{}{"AWS": []interface{}{root("222222222222"), root("333333333333")}},
			condition: map[string]interface{}{"ArnLike": arnLike},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, _ := synth(t, &artifacts.StoreProps{Readers: tc.readers})
			has(t, tpl, "key policy lets the target roles decrypt", "AWS::KMS::Key", map[string]interface{}{
				"KeyPolicy": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
					map[string]interface{}{
						"Sid": "ReadArtifactsFromTargetRoles", "Effect": "Allow", "Resource": "*",
						"Action":    []interface{}{"kms:Decrypt", "kms:DescribeKey"},
						"Principal": tc.principal,
						"Condition": tc.condition,
					},
				})}),
			})
			has(t, tpl, "bucket policy lets the target roles read", "AWS::S3::BucketPolicy", map[string]interface{}{
				"PolicyDocument": assertions.Match_ObjectLike(&map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
					assertions.Match_ObjectLike(&map[string]interface{}{
						"Sid": "ReadArtifactsFromTargetRoles", "Effect": "Allow",
						"Action":    []interface{}{"s3:GetObject", "s3:GetObjectVersion", "s3:GetBucketLocation", "s3:ListBucket"},
						"Principal": tc.principal,
						"Condition": tc.condition,
					}),
				})}),
			})
		})
	}
}

// TestNoRolePrincipals pins the rule that makes deploys order-independent:
// no resource policy names a role ARN as principal.
func TestNoRolePrincipals(t *testing.T) {
	_, tpl := synth(t, &artifacts.StoreProps{Readers: artifacts.Readers{Accounts: []string{"222222222222"}, RoleArnPatterns: []string{pattern}}})
	for id, r := range tpl["Resources"].(map[string]interface{}) {
		res := r.(map[string]interface{})
		for _, key := range []string{"KeyPolicy", "PolicyDocument"} {
			doc, ok := res["Properties"].(map[string]interface{})[key]
			if !ok {
				continue
			}
			raw, _ := json.Marshal(doc)
			for _, st := range doc.(map[string]interface{})["Statement"].([]interface{}) {
				p, _ := json.Marshal(st.(map[string]interface{})["Principal"])
				if strings.Contains(string(p), ":role/") {
					t.Errorf("%s names a role as principal: %s", id, raw)
				}
			}
		}
	}
}

func TestStorePropsValidate(t *testing.T) {
	tests := []struct {
		name  string
		props artifacts.StoreProps
		want  string
	}{
		{"zero value", artifacts.StoreProps{}, ""},
		{"negative days", artifacts.StoreProps{NoncurrentVersionDays: -1, AccessLogDays: -2},
			"artifacts.StoreProps: NoncurrentVersionDays -1: must be 0 (default 30) or more\nAccessLogDays -2: must be 0 (default 365) or more"},
		{"readers without patterns", artifacts.StoreProps{Readers: artifacts.Readers{Accounts: []string{"12345"}}},
			"artifacts.StoreProps: Readers.RoleArnPatterns []: required when Readers names OUs or accounts; name the reader roles, e.g. arn:aws:iam::*:role/relay/NAME/*\nReaders.Accounts[0] \"12345\": must be a 12-digit account ID"},
		{"a whole organization", artifacts.StoreProps{Readers: artifacts.Readers{OrganizationID: "o-a1b2c3d4e5", RoleArnPatterns: []string{pattern}}},
			"artifacts.StoreProps: Readers: OrganizationID \"o-a1b2c3d4e5\" alone would admit every account of the organization: name the OrganizationalUnits or Accounts that hold the reader roles"},
		{"OUs without the organization", artifacts.StoreProps{Readers: artifacts.Readers{OrganizationalUnits: []string{"ou-a1b2-aaaaaaaa", "ou-x"}, RoleArnPatterns: []string{pattern}}},
			"artifacts.StoreProps: Readers.OrganizationalUnits: need OrganizationID (aws:PrincipalOrgPaths starts with it)\nReaders.OrganizationalUnits[1] \"ou-x\": must be an OU ID such as ou-ab12-cd34ef56"},
		// Names aws-cdk-lib would refuse with a message that names no field,
		// or (a key alias without alias/) accept and break the replica's key
		// identifier, the pipeline role's kms:ResourceAliases condition and
		// the upload guard.
		{"names", artifacts.StoreProps{BucketName: "Orders_Artifacts", AccessLogBucketName: strings.Repeat("l", 64), KeyAlias: "relay/orders/artifacts"},
			"artifacts.StoreProps: BucketName \"Orders_Artifacts\": is not a valid S3 bucket name: lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit only (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)\n" +
				"AccessLogBucketName \"" + strings.Repeat("l", 64) + "\": has 64 characters; an S3 bucket name has at most 63 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)\n" +
				"KeyAlias \"relay/orders/artifacts\": is not a valid KMS alias name: alias/ then letters, digits and /_- only (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html)"},
		{"an alias AWS reserves", artifacts.StoreProps{KeyAlias: "alias/aws/orders"},
			"artifacts.StoreProps: KeyAlias \"alias/aws/orders\": starts with alias/aws/, which AWS reserves for its own KMS alias names (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html)"},
		{"names as tokens", artifacts.StoreProps{BucketName: "${Token[TOKEN.80]}", KeyAlias: "${Token[TOKEN.81]}"}, ""},
		// A reader pattern that is no role ARN admits nobody: a target of
		// another App would fail on its first run.
		{"reader patterns that match no role", artifacts.StoreProps{Readers: artifacts.Readers{Accounts: []string{"222222222222"},
			RoleArnPatterns: []string{"orders-*-deploy", "arn::iam::*:role/orders-*-deploy", "arn:aws:iam::*:user/orders", pattern, "${Token[TOKEN.80]}"}}},
			"artifacts.StoreProps: Readers.RoleArnPatterns[0] \"orders-*-deploy\": a role name, not an ARN pattern; write arn:aws:iam::ACCOUNT:role/PATH/orders-*-deploy (ACCOUNT may be *)\n" +
				"Readers.RoleArnPatterns[1] \"arn::iam::*:role/orders-*-deploy\": the partition is empty (arn::...); use arn:aws:..., arn:aws-cn:... or arn:aws-us-gov:...\n" +
				"Readers.RoleArnPatterns[2] \"arn:aws:iam::*:user/orders\": not an IAM role ARN pattern (arn:aws:iam::ACCOUNT:role/PATH/NAME)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if err := tc.props.Validate(); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("Validate() = %q, want %q", got, tc.want)
			}
		})
	}
	// Nil props are the zero StoreProps, as NewStore takes them (Validate
	// dereferenced them).
	var nilProps *artifacts.StoreProps
	if err := nilProps.Validate(); err != nil {
		t.Errorf("(*StoreProps)(nil).Validate() = %v, want nil", err)
	}
}

// TestNewStoreNamesTheField: NewStore panics with Validate's message, which
// names the field, not with aws-cdk-lib's (which names none), and creates
// nothing.
func TestNewStoreNamesTheField(t *testing.T) {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Tooling"), nil)
	props := &artifacts.StoreProps{BucketName: "Orders_Artifacts"}
	err := props.Validate()
	if err == nil {
		t.Fatalf("Validate() = nil for BucketName %q", props.BucketName)
	}
	msg, ok := relaytest.Recover(func() { artifacts.NewStore(stack, "Artifacts", props) })
	if want := err.Error(); ok || msg != want {
		t.Errorf("NewStore panicked %v with %q, want %q", !ok, msg, want)
	}
	if stack.Node().TryFindChild(jsii.String("Artifacts")) != nil {
		t.Error("NewStore added a construct before it panicked")
	}
}

// TestNewStoreNilScope: a nil scope is refused naming the constructor and
// the parameter, as pipeline.New and target.New do, not with jsii's
// "parameter scope is required, but nil was provided".
func TestNewStoreNilScope(t *testing.T) {
	msg, ok := relaytest.Recover(func() { artifacts.NewStore(nil, "Artifacts", nil) })
	if want := "artifacts.NewStore: scope: nil; pass the stack (or a construct in it) that holds the store"; ok || msg != want {
		t.Errorf("NewStore(nil, ...) panicked %v with %q, want %q", !ok, msg, want)
	}
}

// TestStoreAdmits: the check a pipeline makes of the deploy roles it names
// follows the readers' scopes: an account listed, or any account when OUs
// are named (their membership is known only at request time), and a role
// pattern that matches.
func TestStoreAdmits(t *testing.T) {
	const role = "arn:aws:iam::222222222222:role/relay/orders/orders-prod-deploy"
	pattern := []string{"arn:aws:iam::*:role/relay/orders/orders-*-deploy"}
	tests := []struct {
		name    string
		readers artifacts.Readers
		role    string
		want    string // "" for admitted, else part of the error
	}{
		{"own account", artifacts.Readers{}, "arn:aws:iam::111111111111:role/x", ""},
		{"no readers", artifacts.Readers{}, role, "admits no reader from another account"},
		{"listed account", artifacts.Readers{Accounts: []string{"222222222222"}, RoleArnPatterns: pattern}, role, ""},
		{"unlisted account", artifacts.Readers{Accounts: []string{"333333333333"}, RoleArnPatterns: pattern}, role, "add it to Readers.Accounts, or its organizational unit"},
		{"OU path", artifacts.Readers{OrganizationID: "o-a1b2c3d4e5", OrganizationalUnits: []string{"ou-a1b2-w0rkl0ad"}, RoleArnPatterns: pattern}, role, ""},
		{"OU path, other role", artifacts.Readers{OrganizationID: "o-a1b2c3d4e5", OrganizationalUnits: []string{"ou-a1b2-w0rkl0ad"}, RoleArnPatterns: pattern},
			"arn:aws:iam::222222222222:role/other", "matches none"},
		// A pattern given as a token is known only at deploy time: accepted,
		// as tokens are wherever an ARN is.
		{"pattern as a token", artifacts.Readers{Accounts: []string{"222222222222"}, RoleArnPatterns: []string{"arn:aws:iam::*:role/other", "${Token[TOKEN.80]}"}}, role, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := relaytest.NewApp()
			stack := awscdk.NewStack(app, jsii.String("Tooling"), &awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
			})
			var store *artifacts.Store
			relaytest.Do(t, "NewStore", func() { store = artifacts.NewStore(stack, "Artifacts", &artifacts.StoreProps{Readers: tt.readers}) })
			err := store.Admits(tt.role)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Admits(%s) = %v, want nil", tt.role, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Admits(%s) = %v, want an error containing %q", tt.role, err, tt.want)
			}
		})
	}
}

// TestStoreUploadGuard evaluates the bucket and key policies as deployed
// (package iameval) for every way an upload names the key: the key ARN
// (CodeBuild's project key, the pipeline's own region) and the alias ARN
// (CodePipeline's replica stores) pass; another key, the alias of another
// account or region, no key ID at all, or no SSE-KMS are denied.
func TestStoreUploadGuard(t *testing.T) {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("Replica"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")},
	})
	writer := "arn:aws:iam::111111111111:role/writer"
	var dir string
	relaytest.Do(t, "synth", func() {
		store := artifacts.NewStore(stack, "Artifacts", &artifacts.StoreProps{BucketName: "p-artifacts-111111111111-eu-west-1", KeyAlias: "alias/relay/p/artifacts"})
		role := awsiam.NewRole(stack, jsii.String("Writer"), &awsiam.RoleProps{RoleName: jsii.String("writer"), AssumedBy: awsiam.NewServicePrincipal(jsii.String("codepipeline.amazonaws.com"), nil)})
		store.Bucket().GrantReadWrite(role, nil)
		dir = *app.Synth(nil).Directory()
	})
	t.Cleanup(func() { os.RemoveAll(dir) })
	w, err := iameval.FromAssembly(dir)
	if err != nil {
		t.Fatal(err)
	}
	alias := "arn:aws:kms:eu-west-1:111111111111:alias/relay/p/artifacts"
	keyArn := w.KeyOf(alias)
	if keyArn == "" {
		t.Fatalf("the alias %s names no key of the stack", alias)
	}
	tests := []struct {
		name, sse, keyID string
		want             bool
	}{
		{"key ARN (CodeBuild, the pipeline's region)", "aws:kms", keyArn, true},
		{"alias ARN (CodePipeline's replica store)", "aws:kms", alias, true},
		{"another key", "aws:kms", "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000000", false},
		{"the alias in another region", "aws:kms", "arn:aws:kms:us-east-1:111111111111:alias/relay/p/artifacts", false},
		{"the alias of another account", "aws:kms", "arn:aws:kms:eu-west-1:999999999999:alias/relay/p/artifacts", false},
		{"no key ID (the AWS managed key)", "aws:kms", "", false},
		{"SSE-S3", "AES256", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := map[string][]string{"s3:x-amz-server-side-encryption": {tc.sse}, "aws:SecureTransport": {"true"}}
			if tc.keyID != "" {
				ctx["s3:x-amz-server-side-encryption-aws-kms-key-id"] = []string{tc.keyID}
			}
			d := w.Authorize(iameval.Request{Principal: iameval.Principal{ARN: writer}, Action: "s3:PutObject",
				Resource: "arn:aws:s3:::p-artifacts-111111111111-eu-west-1/p/BuildArtif/abc", Context: ctx})
			if d.Allowed != tc.want {
				t.Errorf("upload: %v, want allowed=%v", d, tc.want)
			}
		})
	}
	if d := w.Authorize(iameval.Request{Principal: iameval.Principal{ARN: writer}, Action: "kms:GenerateDataKey", Resource: alias}); !d.Allowed {
		t.Errorf("the writer encrypts with the key through its alias: %v", d)
	}
}
