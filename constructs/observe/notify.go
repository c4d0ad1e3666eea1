package observe

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awschatbot"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsevents"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/hardening"
	"github.com/relaycdk/relay/constructs/internal/nag"
)

// target is an EventBridge rule target that adds nothing to the target's
// resource policy: aws-cdk-lib's SnsTopic target grants events.amazonaws.com
// publish on the topic and use of its key without any condition, and its
// CloudWatchLogGroup and SfnStateMachine targets add a Lambda-backed custom
// resource or a role trusted without conditions. The Observer writes those
// policies itself (allowPublishers, newEventLog, newTimer).
type target struct {
	arn   string
	input awsevents.RuleTargetInput
	role  awsiam.IRole
}

// Bind implements awsevents.IRuleTarget.
func (t *target) Bind(rule interfacesawsevents.IRuleRef, id *string) *awsevents.RuleTargetConfig {
	return &awsevents.RuleTargetConfig{Arn: jsii.String(t.arn), Input: t.input, Role: t.role}
}

// newTopics creates the key and the topics, and subscribes the emails.
func (o *Observer) newTopics() {
	p := o.props
	keyProps := &awskms.KeyProps{
		Description:       jsii.String("Relay: encrypts the notification topics of pipeline " + p.PipelineName),
		EnableKeyRotation: jsii.Bool(true),
		PendingWindow:     awscdk.Duration_Days(jsii.Number(30)),
		// Retained: the key also encrypts the events log group, which
		// outlives the stack, and CloudWatch Logs needs the key for as long
		// as the events it encrypted are kept.
		// Source: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DisassociateKmsKey.html
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	}
	if p.KeyAlias != "" {
		keyProps.Alias = jsii.String(p.KeyAlias)
	}
	o.key = awskms.NewKey(o.Construct, jsii.String("Key"), keyProps)
	hardening.DenyGrants(o.key)
	o.alerts = awssns.NewTopic(o.Construct, jsii.String("Alerts"), &awssns.TopicProps{
		TopicName:   jsii.String(o.name("alerts")),
		DisplayName: jsii.String(displayName("Relay " + p.PipelineName + " alerts")),
		MasterKey:   o.key,
		EnforceSSL:  jsii.Bool(true),
	})
	for _, e := range p.Notifications.Emails {
		o.alerts.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(e), nil))
	}
	if p.Notifications.hasChat() {
		o.chat = awssns.NewTopic(o.Construct, jsii.String("Chat"), &awssns.TopicProps{
			TopicName:   jsii.String(o.name("chat")),
			DisplayName: jsii.String(displayName("Relay " + p.PipelineName + " chat")),
			MasterKey:   o.key,
			EnforceSSL:  jsii.Bool(true),
		})
	}
}

// displayName cuts s to SNS's 100 characters.
func displayName(s string) string {
	if len(s) > 100 {
		return s[:100]
	}
	return s
}

// notificationKinds are the announcing rule kinds, in creation order.
var notificationKinds = []string{ruleFailed, ruleFailedNoSummary, ruleSucceeded, ruleApprovalWaiting, ruleStopped}

// newNotificationRules creates a rule per announced event, which sends
// text to the alerts topic and a custom notification to the chat topic.
func (o *Observer) newNotificationRules() {
	p := o.props
	patterns := Patterns(p)
	field := func(path string) string { return *awsevents.EventField_FromPath(jsii.String(path)) }
	messages := Messages(p, field)
	descriptions := map[string]string{
		ruleFailed:          "Relay: announces failed actions of pipeline " + p.PipelineName + " with the provider's summary",
		ruleFailedNoSummary: "Relay: announces failed actions of pipeline " + p.PipelineName + " that carry no summary",
		ruleSucceeded:       "Relay: announces the deployments of pipeline " + p.PipelineName + " to chosen environments",
		ruleApprovalWaiting: "Relay: announces the approvals pipeline " + p.PipelineName + " waits for",
		ruleStopped:         "Relay: announces executions of pipeline " + p.PipelineName + " that were stopped, superseded or canceled",
	}
	for _, kind := range notificationKinds {
		pat, ok := patterns[kind]
		if !ok {
			continue
		}
		rule := o.newRule(kind, pat, descriptions[kind])
		m := messages[kind]
		rule.AddTarget(&target{arn: *o.alerts.TopicArn(), input: awsevents.RuleTargetInput_FromText(jsii.String(m.Text))})
		if o.chat != nil {
			rule.AddTarget(&target{arn: *o.chat.TopicArn(), input: awsevents.RuleTargetInput_FromObject(chatNotification(m, field(fieldExecution)))})
		}
	}
}

// newChatChannels creates the AWS Chatbot channel role, its guardrail and
// one channel configuration per Slack and Teams channel.
func (o *Observer) newChatChannels() {
	p := o.props
	// What the channel may do: read CloudWatch alarms and metrics, which
	// AWS Chatbot needs to render alarm notifications. The same policy is
	// the channel guardrail, so that no user role can do more through the
	// channel (without a guardrail Chatbot applies AdministratorAccess).
	// Source: https://docs.aws.amazon.com/chatbot/latest/adminguide/understanding-permissions.html
	guardrail := awsiam.NewManagedPolicy(o.Construct, jsii.String("ChatGuardrail"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("Relay: what the AWS Chatbot channels of pipeline " + p.PipelineName + " may do: read CloudWatch alarms and metrics"),
		Path:        jsii.String(p.RolePath),
		Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("ReadCloudWatchOnly"),
			Actions:   jsii.Strings(ChatActions...),
			Resources: jsii.Strings("*"),
		})},
	})
	findings := []string{"Resource::*"}
	for _, a := range ChatActions {
		findings = append(findings, "Action::"+a)
	}
	nag.Suppress(guardrail, nag.Findings("AWS Chatbot reads alarm details and metric graphs to render CloudWatch notifications; cloudwatch:Describe*, Get* and List* are read-only, and GetMetricData and ListMetrics support no resource-level permissions.",
		findings...))
	o.chatRole = awsiam.NewRole(o.Construct, jsii.String("ChatRole"), &awsiam.RoleProps{
		// AWS Chatbot documents no source condition keys for its role trust.
		AssumedBy:       awsiam.NewServicePrincipal(jsii.String("chatbot.amazonaws.com"), nil),
		Path:            jsii.String(p.RolePath),
		Description:     jsii.String("Relay: the AWS Chatbot channels of pipeline " + p.PipelineName + "; read-only CloudWatch"),
		ManagedPolicies: &[]awsiam.IManagedPolicy{guardrail},
	})
	topics := []awssns.ITopic{o.chat}
	arns := []*string{o.chat.TopicArn()}
	for i, a := range p.Notifications.ChatTopicArns {
		topics = append(topics, awssns.Topic_FromTopicArn(o.Construct, jsii.String(fmt.Sprintf("ChatTopic%d", i)), jsii.String(a)))
		arns = append(arns, jsii.String(a))
	}
	for i, s := range p.Notifications.Slack {
		awschatbot.NewSlackChannelConfiguration(o.Construct, jsii.String(fmt.Sprintf("Slack%d", i)), &awschatbot.SlackChannelConfigurationProps{
			SlackChannelConfigurationName: jsii.String(s.configName(p.Prefix)),
			SlackWorkspaceId:              jsii.String(s.WorkspaceID),
			SlackChannelId:                jsii.String(s.ChannelID),
			NotificationTopics:            &topics,
			Role:                          o.chatRole,
			GuardrailPolicies:             &[]awsiam.IManagedPolicy{guardrail},
			LoggingLevel:                  awschatbot.LoggingLevel_ERROR,
			UserRoleRequired:              jsii.Bool(false),
		})
	}
	for i, t := range p.Notifications.Teams {
		// aws-cdk-lib has no L2 construct for Teams channels.
		awschatbot.NewCfnMicrosoftTeamsChannelConfiguration(o.Construct, jsii.String(fmt.Sprintf("Teams%d", i)), &awschatbot.CfnMicrosoftTeamsChannelConfigurationProps{
			ConfigurationName: jsii.String(t.configName(p.Prefix, i)),
			IamRoleArn:        o.chatRole.RoleArn(),
			TeamId:            jsii.String(t.TeamID),
			TeamsTenantId:     jsii.String(t.TenantID),
			TeamsChannelId:    jsii.String(t.ChannelID),
			SnsTopicArns:      &arns,
			GuardrailPolicies: &[]*string{guardrail.ManagedPolicyArn()},
			LoggingLevel:      jsii.String("ERROR"),
			UserRoleRequired:  jsii.Bool(false),
		})
	}
}

// ChatActions are the only actions of the chat channels' role and
// guardrail: reading CloudWatch.
var ChatActions = []string{"cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*"}

// allowPublishers writes the topic and key policies: EventBridge and this
// Observer's CloudWatch alarms may publish, nothing else.
//
// CloudWatch alarms are pinned by aws:SourceAccount and aws:SourceArn (the
// alarms' ARNs). EventBridge is not: its guide says SNS topic policies for
// EventBridge cannot use Condition blocks, and a KMS request made for an
// EventBridge delivery carries no aws:SourceAccount; its key grant is
// pinned instead to this Observer's topics by the encryption context that
// SNS sends (kms:EncryptionContext:aws:sns:topicArn), and its rules are
// watched by the notification-failures alarm.
// Sources: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions,
// https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
func (o *Observer) allowPublishers() {
	p := o.props
	var topicArns []string
	for _, t := range o.topicNames() {
		topicArns = append(topicArns, o.arn("sns", t))
	}
	var alarmArns []string
	var alarmTokens []*string
	for i, a := range o.alarms {
		alarmArns = append(alarmArns, o.arn("cloudwatch", "alarm:"+o.alarmNames[i]))
		alarmTokens = append(alarmTokens, a.AlarmArn())
	}
	for _, topic := range []awssns.Topic{o.alerts, o.chat} {
		if topic == nil {
			continue
		}
		topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("EventBridgeRulesPublish"),
			Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil)},
			Actions:    jsii.Strings("sns:Publish"),
			Resources:  &[]*string{topic.TopicArn()},
			// No Condition: EventBridge's guide says a topic policy for
			// EventBridge cannot use Condition blocks, so an aws:SourceArn
			// condition would risk refusing every notification (only the
			// notification-failures alarm would tell). The service
			// principal admits rules of this account only: EventBridge
			// delivers to a topic of another account through an execution
			// role, which a topic policy names as an AWS principal.
			// Sources: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions,
			// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-cross-account.html
		}))
		topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("AlarmsPublish"),
			Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
			Actions:    jsii.Strings("sns:Publish"),
			Resources:  &[]*string{topic.TopicArn()},
			Conditions: &map[string]interface{}{
				"ArnEquals":    map[string]interface{}{"aws:SourceArn": alarmTokens},
				"StringEquals": map[string]interface{}{"aws:SourceAccount": p.Account},
			},
		}))
	}
	ctx := map[string]interface{}{"kms:EncryptionContext:aws:sns:topicArn": topicArns}
	o.key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("EventBridgeEncryptsForTheTopics"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("events.amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{"StringEquals": ctx},
	}), jsii.Bool(false))
	o.key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AlarmsEncryptForTheTopics"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{
				"aws:SourceAccount":                      p.Account,
				"kms:EncryptionContext:aws:sns:topicArn": topicArns,
			},
			"ArnLike": map[string]interface{}{"aws:SourceArn": alarmArns},
		},
	}), jsii.Bool(false))
}
