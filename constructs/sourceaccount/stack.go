package sourceaccount

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/audit"
	"github.com/relaycdk/relay/constructs/internal/hardening"
	"github.com/relaycdk/relay/constructs/internal/nag"
)

// SourceAccount is the source account's part: the source role, the
// forwarder role, a rule per source and, for S3 sources, the trail.
type SourceAccount struct {
	constructs.Construct
	role, forwarder awsiam.Role
	rules           []awsevents.CfnRule
	trail           *audit.Trail
}

// New creates the source account's resources in scope (a stack of the
// source account in the pipeline's region). It panics with every problem of
// props listed when props are invalid; call props.Validate first to handle
// the error yourself.
func New(scope constructs.Construct, id string, props *Props) *SourceAccount {
	if props == nil {
		props = &Props{}
	}
	if err := props.Validate(); err != nil {
		panic(err)
	}
	p := *props
	s := &SourceAccount{Construct: constructs.NewConstruct(scope, &id)}
	// The trail bucket's access logs are delivered under a bucket policy,
	// not an ACL.
	s.Node().SetContext(jsii.String("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"), true)

	s.role = awsiam.NewRole(s.Construct, jsii.String("Role"), &awsiam.RoleProps{
		RoleName:    jsii.String(p.RoleName),
		Path:        jsii.String(p.RolePath),
		Description: jsii.String("Assumed by the delivery pipeline in " + p.ToolingAccount + " to read its sources in this account"),
		// The account principal with an ARN condition: a principal ARN
		// would be refused before the pipeline role exists.
		AssumedBy: awsiam.NewAccountPrincipal(jsii.String(p.ToolingAccount)).WithConditions(&map[string]interface{}{
			"ArnEquals": map[string]interface{}{"aws:PrincipalArn": p.PipelineRoleArn},
		}),
	})
	addStatements(s.role, p.Statements())
	nag.InlinePolicy(s.role, "The source role of account "+p.Account+": the pipeline role of "+p.ToolingAccount+" assumes it to read this account's sources and write them to the pipeline's artifact store.")

	rules := sortedRules(&p)
	var ruleArns []string
	for _, r := range rules {
		ruleArns = append(ruleArns, p.RuleArn(r))
	}
	s.forwarder = awsiam.NewRole(s.Construct, jsii.String("ForwarderRole"), &awsiam.RoleProps{
		RoleName:    jsii.String(p.ForwarderRoleName),
		Path:        jsii.String(p.RolePath),
		Description: jsii.String("Forwards this account's source changes to the default event bus of " + p.ToolingAccount),
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil).WithConditions(&map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceAccount": p.Account},
			"ArnEquals":    map[string]interface{}{"aws:SourceArn": oneOrMany(ruleArns)},
		}),
	})
	addStatements(s.forwarder, p.ForwarderStatements())
	nag.InlinePolicy(s.forwarder, "The forwarder role of account "+p.Account+": EventBridge assumes it for this account's forwarding rules only, to put source change events on the default event bus of "+p.ToolingAccount+".")

	patterns := p.Patterns()
	for _, r := range rules {
		rule := awsevents.NewCfnRule(s.Construct, jsii.String("Forward-"+r), &awsevents.CfnRuleProps{
			Name:         jsii.String(r),
			Description:  jsii.String("Forwards changes of a pipeline source to the pipeline's account " + p.ToolingAccount),
			EventPattern: patterns[r],
			State:        jsii.String("ENABLED"),
			Targets: &[]*awsevents.CfnRule_TargetProperty{{
				Id:      jsii.String("ToolingEventBus"),
				Arn:     jsii.String(p.ToolingBusArn()),
				RoleArn: s.forwarder.RoleArn(),
			}},
		})
		s.rules = append(s.rules, rule)
	}

	if p.TrailName != "" {
		logs := hardening.AccessLogBucket(s.Construct, "TrailAccessLogs", "", 365)
		s.trail = audit.New(s.Construct, "Trail", &audit.Props{
			TrailName: p.TrailName, Partition: p.Partition, Account: p.Account, Region: p.Region,
			DataEventBuckets: p.TrailBuckets(), AccessLogBucket: logs,
		})
		hardening.EventBridgeNotifications(logs)
		const sseS3 = "The source trail bucket's server access logs: S3 delivers server access logs only to a target bucket encrypted with SSE-S3 (AES256), not SSE-KMS (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html); the bucket is TLS-only, not public, versioned and expired by lifecycle."
		nag.Each(logs, sseS3, "NIST.800.53.R5-S3DefaultEncryptionKMS", "PCI.DSS.321-S3DefaultEncryptionKMS", "HIPAA.Security-S3DefaultEncryptionKMS")
		nag.Replication(logs, "The source trail bucket's server access logs: S3 stores them redundantly across Availability Zones, versioned, and expires them by lifecycle; a copy in another account or region is the organization's log-archive decision, not one pipeline's.")
	}
	return s
}

// addStatements adds sts to role's policy, with the IAM5 suppression of
// each wildcard resource by its reason.
func addStatements(role awsiam.Role, sts []Statement) {
	reasons := map[string]string{}
	for _, st := range sts {
		role.AddToPolicy(st.PolicyStatement())
		for _, r := range st.Resources {
			if st.Reason != "" {
				reasons["Resource::"+r] = st.Reason
			}
		}
	}
	nag.Suppress(role, nag.ByReason(reasons)...)
}

// PolicyStatement is st as an aws-cdk-lib statement.
func (st Statement) PolicyStatement() awsiam.PolicyStatement {
	props := &awsiam.PolicyStatementProps{Sid: jsii.String(st.Sid), Actions: jsii.Strings(st.Actions...), Resources: jsii.Strings(st.Resources...)}
	if len(st.Conditions) > 0 {
		c := map[string]interface{}{}
		for op, kv := range st.Conditions {
			m := map[string]interface{}{}
			for k, v := range kv {
				m[k] = oneOrMany(v)
			}
			c[op] = m
		}
		props.Conditions = &c
	}
	return awsiam.NewPolicyStatement(props)
}

func oneOrMany(v []string) interface{} {
	if len(v) == 1 {
		return v[0]
	}
	return v
}

// Role is the source role.
func (s *SourceAccount) Role() awsiam.Role { return s.role }

// ForwarderRole is the role the rules forward events with.
func (s *SourceAccount) ForwarderRole() awsiam.Role { return s.forwarder }

// Rules are the forwarding rules, sorted by name.
func (s *SourceAccount) Rules() []awsevents.CfnRule { return s.rules }

// Trail is the trail of the S3 sources' data events, or nil (no S3
// source, or an existing trail).
func (s *SourceAccount) Trail() *audit.Trail { return s.trail }

// ReceiverProps configures the tooling account's part for one source
// account.
type ReceiverProps struct {
	// Source are the source account's props (validated).
	Source *Props
	// PipelineArn is the pipeline the rules start. Required.
	PipelineArn string
	// StatementID names the default event bus's policy statement (1 to 64
	// letters, digits, - and _), unique in the tooling account and region.
	// Required.
	StatementID string
	// StartRoleName names the role the rules start the pipeline with, at
	// Source.RolePath. Required.
	StartRoleName string
}

// Receiver is the tooling account's part: the bus policy statement, and a
// rule per source that starts the pipeline with its role.
type Receiver struct {
	constructs.Construct
	policy awscdk.CfnResource
	role   awsiam.Role
	rules  []awsevents.CfnRule
}

// BusStatement is the default event bus's policy statement that admits the
// source account's forwarding rules and nothing else of that account
// (ArnEquals aws:SourceArn on the rules' ARNs). Source: EventBridge User
// Guide, "Example policy: Send events from specific rules".
func (rp *ReceiverProps) BusStatement() map[string]interface{} {
	p := rp.Source
	var arns []string
	for _, r := range sortedRules(p) {
		arns = append(arns, p.RuleArn(r))
	}
	return map[string]interface{}{
		"Sid":       rp.StatementID,
		"Effect":    "Allow",
		"Principal": map[string]interface{}{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", p.Partition, p.Account)},
		"Action":    "events:PutEvents",
		"Resource":  p.ToolingBusArn(),
		"Condition": map[string]interface{}{"ArnEquals": map[string]interface{}{"aws:SourceArn": oneOrMany(arns)}},
	}
}

// StartRuleName is the name of the tooling account's rule that starts the
// pipeline for the source rule named rule: rule-<source account>. The
// rule's logical ID holds the source account (the Receiver's id, such as
// Sources-444444444444, is in its path), and so does its name: when a
// source moves to another account, its start rule gets another logical ID
// and another name, and CloudFormation replaces it. With the name alone,
// the new rule would claim a name the old one still holds ("already
// exists"), since CloudFormation creates a resource before it deletes the
// one it replaces.
func (rp *ReceiverProps) StartRuleName(rule string) string { return rule + "-" + rp.Source.Account }

// StartRuleArn is the ARN of the tooling rule that starts the pipeline for
// the source rule named rule (StartRuleName).
func (rp *ReceiverProps) StartRuleArn(rule string) string {
	p := rp.Source
	return fmt.Sprintf("arn:%s:events:%s:%s:rule/%s", p.Partition, p.Region, p.ToolingAccount, rp.StartRuleName(rule))
}

// StartPatterns are the tooling rules' patterns, by rule name: each
// source's pattern, from the source account only.
func (rp *ReceiverProps) StartPatterns() map[string]map[string]interface{} {
	out := rp.Source.Patterns()
	for _, pat := range out {
		pat["account"] = []string{rp.Source.Account}
	}
	return out
}

// NewReceiver creates the tooling account's part in scope (the tooling
// stack). It panics with the problems of props.Source when they are
// invalid.
func NewReceiver(scope constructs.Construct, id string, props *ReceiverProps) *Receiver {
	if err := props.Source.Validate(); err != nil {
		panic(err)
	}
	p := props.Source
	r := &Receiver{Construct: constructs.NewConstruct(scope, &id)}
	// The L1 class's deprecated Principal field draws a jsii deprecation
	// warning on every synth, and the L2 EventBusPolicy cannot render a
	// statement with an account principal (circular reference in
	// aws-cdk-lib 2.x): the resource is written as CloudFormation has it.
	r.policy = awscdk.NewCfnResource(r.Construct, jsii.String("BusPolicy"), &awscdk.CfnResourceProps{
		Type: jsii.String("AWS::Events::EventBusPolicy"),
		Properties: &map[string]interface{}{
			"EventBusName": "default",
			"StatementId":  props.StatementID,
			"Statement":    props.BusStatement(),
		},
	})
	patterns := props.StartPatterns()
	names := slices.Sorted(maps.Keys(patterns))
	var ruleArns []string
	for _, n := range names {
		ruleArns = append(ruleArns, props.StartRuleArn(n))
	}
	r.role = awsiam.NewRole(r.Construct, jsii.String("StartRole"), &awsiam.RoleProps{
		RoleName:    jsii.String(props.StartRoleName),
		Path:        jsii.String(p.RolePath),
		Description: jsii.String("Starts the delivery pipeline when a source in " + p.Account + " changes"),
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil).WithConditions(&map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceAccount": p.ToolingAccount},
			"ArnEquals":    map[string]interface{}{"aws:SourceArn": oneOrMany(ruleArns)},
		}),
	})
	addStatements(r.role, []Statement{{Sid: "StartPipeline", Actions: []string{"codepipeline:StartPipelineExecution"}, Resources: []string{props.PipelineArn}}})
	nag.InlinePolicy(r.role, "The start role of the pipeline's sources in "+p.Account+": EventBridge assumes it for the rules that start this one pipeline when a source there changes.")
	for _, n := range names {
		rule := awsevents.NewCfnRule(r.Construct, jsii.String("Start-"+n), &awsevents.CfnRuleProps{
			Name:         jsii.String(props.StartRuleName(n)),
			Description:  jsii.String("Starts the pipeline when its source in " + p.Account + " changes"),
			EventPattern: patterns[n],
			State:        jsii.String("ENABLED"),
			Targets: &[]*awsevents.CfnRule_TargetProperty{{
				Id:      jsii.String("Pipeline"),
				Arn:     jsii.String(props.PipelineArn),
				RoleArn: r.role.RoleArn(),
			}},
		})
		r.rules = append(r.rules, rule)
	}
	return r
}

// Policy is the default event bus's policy statement.
func (r *Receiver) Policy() awscdk.CfnResource { return r.policy }

// StartRole is the role the rules start the pipeline with.
func (r *Receiver) StartRole() awsiam.Role { return r.role }

// Rules are the rules that start the pipeline, sorted by name.
func (r *Receiver) Rules() []awsevents.CfnRule { return r.rules }
