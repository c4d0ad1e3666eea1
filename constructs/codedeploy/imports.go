package codedeploy

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscodedeploy"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawselasticloadbalancingv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// importedListener references an existing listener by ARN. It is a Go
// subclass of Resource, as aws-cdk-lib's own imports are, because
// aws-cdk-lib has no lookup-free import for an Application Load Balancer
// listener: ApplicationListener.fromApplicationListenerAttributes requires
// the load balancer's security group (which a deployment group never uses),
// and fromLookup needs context and credentials at synthesis. The deployment
// group reads nothing but the listener ARN.
type importedListener struct {
	awscdk.Resource
	arn string
}

// ListenerRef implements IListenerRef.
func (l *importedListener) ListenerRef() *interfacesawselasticloadbalancingv2.ListenerReference {
	return &interfacesawselasticloadbalancingv2.ListenerReference{ListenerArn: jsii.String(l.arn)}
}

// importListener references the listener at arn, of kind "app" or "net".
func importListener(scope constructs.Construct, id, arn, kind string) interfacesawselasticloadbalancingv2.IListenerRef {
	if kind == "net" {
		return awselasticloadbalancingv2.NetworkListener_FromNetworkListenerArn(scope, jsii.String(id), jsii.String(arn))
	}
	l := &importedListener{arn: arn}
	awscdk.NewResource_Override(l, scope, jsii.String(id), &awscdk.ResourceProps{EnvironmentFromArn: jsii.String(arn)})
	return l
}

// importTargetGroup references the target group at arn; kind ("app" or
// "net") comes from the listener, since a target group ARN does not say.
func importTargetGroup(scope constructs.Construct, id, arn, kind string) awselasticloadbalancingv2.ITargetGroup {
	attrs := &awselasticloadbalancingv2.TargetGroupAttributes{TargetGroupArn: jsii.String(arn)}
	if kind == "net" {
		return awselasticloadbalancingv2.NetworkTargetGroup_FromTargetGroupAttributes(scope, jsii.String(id), attrs)
	}
	return awselasticloadbalancingv2.ApplicationTargetGroup_FromTargetGroupAttributes(scope, jsii.String(id), attrs)
}

// targetGroupByName is a CodeDeploy load balancer given by target group name.
// CodeDeploy's EC2 deployment groups name target groups, not ARNs, and
// LoadBalancer.application/network need an imported target group, which
// needs the ARN; the deployment group reads only the generation and name.
type targetGroupByName struct {
	awscodedeploy.LoadBalancer
	name string
}

// Generation implements LoadBalancer: ALB and NLB target groups are both
// the second generation.
func (t *targetGroupByName) Generation() awscodedeploy.LoadBalancerGeneration {
	return awscodedeploy.LoadBalancerGeneration_SECOND
}

// Name implements LoadBalancer.
func (t *targetGroupByName) Name() *string { return jsii.String(t.name) }

func loadBalancerByTargetGroup(name string) awscodedeploy.LoadBalancer {
	lb := &targetGroupByName{name: name}
	awscodedeploy.NewLoadBalancer_Override(lb)
	return lb
}
