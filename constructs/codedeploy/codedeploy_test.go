package codedeploy_test

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/relaycdk/relay/constructs/codedeploy"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/relaytest"
)

func TestMain(m *testing.M) { os.Exit(relaytest.Main(m)) }

type obj = map[string]interface{}
type list = []interface{}

const (
	prodListener = "arn:aws:elasticloadbalancing:eu-west-1:222222222222:listener/app/orders/0123456789abcdef/1111111111111111"
	testListener = "arn:aws:elasticloadbalancing:eu-west-1:222222222222:listener/app/orders/0123456789abcdef/2222222222222222"
	blueTG       = "arn:aws:elasticloadbalancing:eu-west-1:222222222222:targetgroup/orders-blue/0123456789abcdef"
	greenTG      = "arn:aws:elasticloadbalancing:eu-west-1:222222222222:targetgroup/orders-green/fedcba9876543210"
	nlbProd      = "arn:aws:elasticloadbalancing:eu-west-1:222222222222:listener/net/orders-tcp/0123456789abcdef/3333333333333333"
	nlbTest      = "arn:aws:elasticloadbalancing:eu-west-1:222222222222:listener/net/orders-tcp/0123456789abcdef/4444444444444444"
	taskRole     = "arn:aws:iam::222222222222:role/orders-task"
	execRole     = "arn:aws:iam::222222222222:role/service/orders-exec"
)

func validECS() *codedeploy.ECSProps {
	return &codedeploy.ECSProps{
		ApplicationName:       "orders",
		DeploymentGroupName:   "orders-prod",
		ClusterName:           "orders",
		ServiceName:           "orders-api",
		ProductionListenerArn: prodListener,
		TestListenerArn:       testListener,
		BlueTargetGroupArn:    blueTG,
		GreenTargetGroupArn:   greenTG,
		TaskRoleArns:          []string{taskRole},
		ExecutionRoleArns:     []string{execRole},
	}
}

func validServer() *codedeploy.ServerProps {
	return &codedeploy.ServerProps{
		ApplicationName:     "billing",
		DeploymentGroupName: "billing-prod",
		InstanceTags:        map[string][]string{"app": {"billing"}},
	}
}

func validBlueGreenServer() *codedeploy.ServerProps {
	return &codedeploy.ServerProps{
		ApplicationName:       "billing",
		DeploymentGroupName:   "billing-prod",
		Style:                 codedeploy.BlueGreen,
		AutoScalingGroupNames: []string{"billing-asg"},
		TargetGroupNames:      []string{"billing-web"},
	}
}

// newStack is a stack in the target account, or an environment-agnostic one
// (the template of a StackSet) with agnostic set.
func newStack(agnostic bool) awscdk.Stack {
	app := relaytest.NewApp()
	props := &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("eu-west-1")}}
	if agnostic {
		props = nil
	}
	return awscdk.NewStack(app, jsii.String("Target"), props)
}

// managedPolicy is how CDK renders an AWS managed policy ARN.
func managedPolicy(name string) obj {
	return obj{"Fn::Join": list{"", list{"arn:", obj{"Ref": "AWS::Partition"}, ":iam::aws:policy/" + name}}}
}

// logicalID is the one resource of type typ in tpl.
func logicalID(t *testing.T, tpl assertions.Template, typ string) string {
	t.Helper()
	var ids []string
	relaytest.Check(t, "find "+typ, func() {
		for id := range *tpl.FindResources(jsii.String(typ), nil) {
			ids = append(ids, id)
		}
	})
	if len(ids) != 1 {
		t.Fatalf("%s resources: %v, want exactly one", typ, ids)
	}
	return ids[0]
}

func TestNewECS(t *testing.T) {
	tests := []struct {
		name     string
		agnostic bool
		mutate   func(p *codedeploy.ECSProps)
		want     obj // properties of the AWS::CodeDeploy::DeploymentGroup
	}{
		{
			name:   "ALB with defaults",
			mutate: func(p *codedeploy.ECSProps) {},
			want: obj{
				"DeploymentGroupName":  "orders-prod",
				"DeploymentConfigName": "CodeDeployDefault.ECSAllAtOnce",
				"DeploymentStyle":      obj{"DeploymentType": "BLUE_GREEN", "DeploymentOption": "WITH_TRAFFIC_CONTROL"},
				"ECSServices":          list{obj{"ClusterName": "orders", "ServiceName": "orders-api"}},
				"LoadBalancerInfo": obj{"TargetGroupPairInfoList": list{obj{
					"TargetGroups":     list{obj{"Name": "orders-blue"}, obj{"Name": "orders-green"}},
					"ProdTrafficRoute": obj{"ListenerArns": list{prodListener}},
					"TestTrafficRoute": obj{"ListenerArns": list{testListener}},
				}}},
				"BlueGreenDeploymentConfiguration": obj{
					"DeploymentReadyOption":                     obj{"ActionOnTimeout": "CONTINUE_DEPLOYMENT", "WaitTimeInMinutes": 0},
					"TerminateBlueInstancesOnDeploymentSuccess": obj{"Action": "TERMINATE", "TerminationWaitTimeInMinutes": 5},
				},
				"AutoRollbackConfiguration": obj{"Enabled": true, "Events": list{"DEPLOYMENT_FAILURE"}},
			},
		},
		{
			name: "canary with approval wait, termination wait and alarms",
			mutate: func(p *codedeploy.ECSProps) {
				p.DeploymentConfig = "ECSCanary10Percent5Minutes"
				p.WaitMinutes = 30
				p.TerminationWaitMinutes = codedeploy.Minutes(60)
				p.AlarmNames = []string{"orders-5xx", "orders-latency"}
			},
			want: obj{
				"DeploymentConfigName": "CodeDeployDefault.ECSCanary10Percent5Minutes",
				"BlueGreenDeploymentConfiguration": obj{
					"DeploymentReadyOption":                     obj{"ActionOnTimeout": "STOP_DEPLOYMENT", "WaitTimeInMinutes": 30},
					"TerminateBlueInstancesOnDeploymentSuccess": obj{"Action": "TERMINATE", "TerminationWaitTimeInMinutes": 60},
				},
				"AlarmConfiguration":        obj{"Enabled": true, "Alarms": list{obj{"Name": "orders-5xx"}, obj{"Name": "orders-latency"}}},
				"AutoRollbackConfiguration": obj{"Enabled": true, "Events": list{"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"}},
			},
		},
		{
			name: "NLB, blue terminated at once",
			mutate: func(p *codedeploy.ECSProps) {
				p.ProductionListenerArn, p.TestListenerArn = nlbProd, nlbTest
				p.DeploymentConfig = "CodeDeployDefault.ECSAllAtOnce"
				p.TerminationWaitMinutes = codedeploy.Minutes(0)
			},
			want: obj{
				"LoadBalancerInfo": obj{"TargetGroupPairInfoList": list{obj{
					"TargetGroups":     list{obj{"Name": "orders-blue"}, obj{"Name": "orders-green"}},
					"ProdTrafficRoute": obj{"ListenerArns": list{nlbProd}},
					"TestTrafficRoute": obj{"ListenerArns": list{nlbTest}},
				}}},
				"BlueGreenDeploymentConfiguration": obj{
					"TerminateBlueInstancesOnDeploymentSuccess": obj{"Action": "TERMINATE", "TerminationWaitTimeInMinutes": 0},
				},
			},
		},
		{
			name:     "environment-agnostic stack keeps literal names",
			agnostic: true,
			mutate:   func(p *codedeploy.ECSProps) {},
			want: obj{
				"ECSServices": list{obj{"ClusterName": "orders", "ServiceName": "orders-api"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack := newStack(tt.agnostic)
			p := validECS()
			tt.mutate(p)
			var e *codedeploy.ECS
			relaytest.Do(t, "NewECS", func() { e = codedeploy.NewECS(stack, "Orders", p) })
			tpl := relaytest.Template(t, stack)
			app := logicalID(t, tpl, "AWS::CodeDeploy::Application")
			want := obj{"ApplicationName": obj{"Ref": app}}
			for k, v := range tt.want {
				want[k] = v
			}
			relaytest.Check(t, "deployment group", func() {
				tpl.HasResourceProperties(jsii.String("AWS::CodeDeploy::DeploymentGroup"), want)
			})
			relaytest.Check(t, "application", func() {
				tpl.HasResourceProperties(jsii.String("AWS::CodeDeploy::Application"), obj{"ApplicationName": "orders", "ComputePlatform": "ECS"})
			})
			relaytest.Check(t, "service role for CodeDeploy with AWSCodeDeployRoleForECS", func() {
				tpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), obj{
					"AssumeRolePolicyDocument": obj{"Statement": list{obj{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": obj{"Service": "codedeploy.amazonaws.com"}}}},
					"ManagedPolicyArns":        list{managedPolicy("AWSCodeDeployRoleForECS")},
				})
			})
			relaytest.Check(t, "only the application, the group and its role", func() {
				res := (*tpl.ToJSON())["Resources"].(map[string]interface{})
				var types []string
				for _, r := range res {
					types = append(types, r.(map[string]interface{})["Type"].(string))
				}
				sort.Strings(types)
				if diff := cmp.Diff([]string{"AWS::CodeDeploy::Application", "AWS::CodeDeploy::DeploymentGroup", "AWS::IAM::Role"}, types); diff != "" {
					t.Errorf("resource types (-want +got):\n%s", diff)
				}
			})
			if e.Application() == nil || e.DeploymentGroup() == nil {
				t.Error("Application() or DeploymentGroup() is nil")
			}
		})
	}
}

func TestNewServer(t *testing.T) {
	tests := []struct {
		name   string
		props  func() *codedeploy.ServerProps
		want   func(tpl assertions.Template) obj // properties of the deployment group
		config obj                               // properties of the custom AWS::CodeDeploy::DeploymentConfig, if any
	}{
		{
			name: "in place, EC2 and on-premises tags, group, target groups",
			props: func() *codedeploy.ServerProps {
				p := validServer()
				p.InstanceTags = map[string][]string{"env": {"prod", "staging"}, "app": {"billing"}, "": {"shared"}}
				p.OnPremisesTags = map[string][]string{"site": nil}
				p.AutoScalingGroupNames = []string{"billing-asg"}
				p.TargetGroupNames = []string{"billing-web", "billing-api"}
				p.DeploymentConfig = "HalfAtATime"
				return p
			},
			want: func(assertions.Template) obj {
				return obj{
					"DeploymentGroupName":  "billing-prod",
					"DeploymentConfigName": "CodeDeployDefault.HalfAtATime",
					"AutoScalingGroups":    list{"billing-asg"},
					"Ec2TagSet": obj{"Ec2TagSetList": list{obj{"Ec2TagGroup": list{
						obj{"Value": "shared", "Type": "VALUE_ONLY"},
						obj{"Key": "app", "Value": "billing", "Type": "KEY_AND_VALUE"},
						obj{"Key": "env", "Value": "prod", "Type": "KEY_AND_VALUE"},
						obj{"Key": "env", "Value": "staging", "Type": "KEY_AND_VALUE"},
					}}}},
					"OnPremisesTagSet":          obj{"OnPremisesTagSetList": list{obj{"OnPremisesTagGroup": list{obj{"Key": "site", "Type": "KEY_ONLY"}}}}},
					"DeploymentStyle":           obj{"DeploymentOption": "WITH_TRAFFIC_CONTROL"},
					"LoadBalancerInfo":          obj{"TargetGroupInfoList": list{obj{"Name": "billing-web"}, obj{"Name": "billing-api"}}},
					"AutoRollbackConfiguration": obj{"Enabled": true, "Events": list{"DEPLOYMENT_FAILURE"}},
				}
			},
		},
		{
			name:  "in place without target groups: no traffic control, default config",
			props: validServer,
			want: func(assertions.Template) obj {
				return obj{
					"DeploymentConfigName":             "CodeDeployDefault.OneAtATime",
					"DeploymentStyle":                  assertions.Match_Absent(),
					"LoadBalancerInfo":                 assertions.Match_Absent(),
					"BlueGreenDeploymentConfiguration": assertions.Match_Absent(),
				}
			},
		},
		{
			name: "in place, custom config and alarms",
			props: func() *codedeploy.ServerProps {
				p := validServer()
				p.MinimumHealthyHosts = &codedeploy.MinimumHealthyHosts{Type: codedeploy.FleetPercent, Value: 75}
				p.AlarmNames = []string{"billing-errors"}
				return p
			},
			want: func(tpl assertions.Template) obj {
				return obj{
					"DeploymentConfigName":      obj{"Ref": logicalID(t, tpl, "AWS::CodeDeploy::DeploymentConfig")},
					"AlarmConfiguration":        obj{"Enabled": true, "Alarms": list{obj{"Name": "billing-errors"}}},
					"AutoRollbackConfiguration": obj{"Enabled": true, "Events": list{"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"}},
				}
			},
			config: obj{"DeploymentConfigName": "billing-prod-fleet-percent-75", "MinimumHealthyHosts": obj{"Type": "FLEET_PERCENT", "Value": 75}},
		},
		{
			name:  "blue-green with defaults",
			props: validBlueGreenServer,
			want: func(tpl assertions.Template) obj {
				return obj{
					"DeploymentGroupName":  "billing-prod",
					"DeploymentConfigName": "CodeDeployDefault.OneAtATime",
					"ServiceRoleArn":       obj{"Fn::GetAtt": list{logicalID(t, tpl, "AWS::IAM::Role"), "Arn"}},
					"DeploymentStyle":      obj{"DeploymentType": "BLUE_GREEN", "DeploymentOption": "WITH_TRAFFIC_CONTROL"},
					"BlueGreenDeploymentConfiguration": obj{
						"DeploymentReadyOption":                     obj{"ActionOnTimeout": "CONTINUE_DEPLOYMENT", "WaitTimeInMinutes": assertions.Match_Absent()},
						"GreenFleetProvisioningOption":              obj{"Action": "COPY_AUTO_SCALING_GROUP"},
						"TerminateBlueInstancesOnDeploymentSuccess": obj{"Action": "TERMINATE", "TerminationWaitTimeInMinutes": 5},
					},
					"AutoScalingGroups":         list{"billing-asg"},
					"LoadBalancerInfo":          obj{"TargetGroupInfoList": list{obj{"Name": "billing-web"}}},
					"AutoRollbackConfiguration": obj{"Enabled": true, "Events": list{"DEPLOYMENT_FAILURE"}},
					"AlarmConfiguration":        assertions.Match_Absent(),
					"Ec2TagSet":                 assertions.Match_Absent(),
				}
			},
		},
		{
			name: "blue-green with approval wait, instant termination, tags, alarms, custom config",
			props: func() *codedeploy.ServerProps {
				p := validBlueGreenServer()
				p.WaitMinutes = 60
				p.TerminationWaitMinutes = codedeploy.Minutes(0)
				p.InstanceTags = map[string][]string{"app": {"billing"}}
				p.AlarmNames = []string{"billing-errors"}
				p.MinimumHealthyHosts = &codedeploy.MinimumHealthyHosts{Type: codedeploy.HostCount, Value: 2}
				return p
			},
			want: func(tpl assertions.Template) obj {
				return obj{
					"DeploymentConfigName": obj{"Ref": logicalID(t, tpl, "AWS::CodeDeploy::DeploymentConfig")},
					"BlueGreenDeploymentConfiguration": obj{
						"DeploymentReadyOption":                     obj{"ActionOnTimeout": "STOP_DEPLOYMENT", "WaitTimeInMinutes": 60},
						"TerminateBlueInstancesOnDeploymentSuccess": obj{"Action": "TERMINATE", "TerminationWaitTimeInMinutes": 0},
					},
					"Ec2TagSet":                 obj{"Ec2TagSetList": list{obj{"Ec2TagGroup": list{obj{"Key": "app", "Value": "billing", "Type": "KEY_AND_VALUE"}}}}},
					"AlarmConfiguration":        obj{"Enabled": true, "Alarms": list{obj{"Name": "billing-errors"}}},
					"AutoRollbackConfiguration": obj{"Enabled": true, "Events": list{"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"}},
				}
			},
			config: obj{"DeploymentConfigName": "billing-prod-host-count-2", "MinimumHealthyHosts": obj{"Type": "HOST_COUNT", "Value": 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack := newStack(false)
			var s *codedeploy.Server
			relaytest.Do(t, "NewServer", func() { s = codedeploy.NewServer(stack, "Billing", tt.props()) })
			tpl := relaytest.Template(t, stack)
			want := tt.want(tpl)
			want["ApplicationName"] = obj{"Ref": logicalID(t, tpl, "AWS::CodeDeploy::Application")}
			relaytest.Check(t, "deployment group", func() {
				tpl.HasResourceProperties(jsii.String("AWS::CodeDeploy::DeploymentGroup"), want)
			})
			relaytest.Check(t, "application", func() {
				tpl.HasResourceProperties(jsii.String("AWS::CodeDeploy::Application"), obj{"ApplicationName": "billing", "ComputePlatform": "Server"})
			})
			relaytest.Check(t, "service role for CodeDeploy with AWSCodeDeployRole", func() {
				tpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), obj{
					"AssumeRolePolicyDocument": obj{"Statement": list{obj{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": obj{"Service": "codedeploy.amazonaws.com"}}}},
					"ManagedPolicyArns":        list{managedPolicy("service-role/AWSCodeDeployRole")},
				})
			})
			relaytest.Check(t, "custom deployment config", func() {
				if tt.config == nil {
					tpl.ResourceCountIs(jsii.String("AWS::CodeDeploy::DeploymentConfig"), jsii.Number(0))
					return
				}
				tpl.HasResourceProperties(jsii.String("AWS::CodeDeploy::DeploymentConfig"), tt.config)
			})
			relaytest.Check(t, "Auto Scaling groups are referenced, not changed", func() {
				tpl.ResourceCountIs(jsii.String("AWS::AutoScaling::AutoScalingGroup"), jsii.Number(0))
				tpl.ResourceCountIs(jsii.String("AWS::IAM::Policy"), jsii.Number(0))
			})
			if s.Application() == nil || s.DeploymentGroup() == nil || s.Role() == nil {
				t.Error("Application(), DeploymentGroup() or Role() is nil")
			}
			if got, wantName := s.DeploymentConfigName(), "CodeDeployDefault."; tt.config == nil && !strings.HasPrefix(got, wantName) {
				t.Errorf("DeploymentConfigName() = %q, want a predefined config", got)
			}
		})
	}
}

// TestServerLogicalIDs pins the logical IDs of the named resources: a
// change would replace them, and a replacement fails on the physical name.
// Both styles share them, so switching Style updates the group in place.
func TestServerLogicalIDs(t *testing.T) {
	want := map[string]string{
		"AWS::CodeDeploy::Application":     "BillingApplication7BD7E8E6",
		"AWS::CodeDeploy::DeploymentGroup": "BillingDeploymentGroup26EDDE85",
		"AWS::IAM::Role":                   "BillingDeploymentGroupRole44C2A227",
	}
	for name, props := range map[string]*codedeploy.ServerProps{"in-place": validServer(), "blue-green": validBlueGreenServer()} {
		t.Run(name, func(t *testing.T) {
			stack := newStack(false)
			relaytest.Do(t, "NewServer", func() { codedeploy.NewServer(stack, "Billing", props) })
			tpl := relaytest.Template(t, stack)
			got := map[string]string{}
			for typ := range want {
				got[typ] = logicalID(t, tpl, typ)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("logical IDs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestECSLogicalIDs pins the logical IDs of the named resources.
func TestECSLogicalIDs(t *testing.T) {
	stack := newStack(false)
	relaytest.Do(t, "NewECS", func() { codedeploy.NewECS(stack, "Orders", validECS()) })
	tpl := relaytest.Template(t, stack)
	want := map[string]string{
		"AWS::CodeDeploy::Application":     "OrdersApplication956CC522",
		"AWS::CodeDeploy::DeploymentGroup": "OrdersDeploymentGroup6BCA55DC",
	}
	got := map[string]string{}
	for typ := range want {
		got[typ] = logicalID(t, tpl, typ)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("logical IDs (-want +got):\n%s", diff)
	}
}

func TestNewPanicsOnInvalidProps(t *testing.T) {
	stack := newStack(false)
	msg, ok := relaytest.Recover(func() {
		p := validECS()
		p.TestListenerArn = ""
		codedeploy.NewECS(stack, "Orders", p)
	})
	if ok || !strings.HasPrefix(msg, "codedeploy.ECSProps: TestListenerArn \"\": required") {
		t.Errorf("NewECS without a test listener: panic %q, %v", msg, ok)
	}
	msg, ok = relaytest.Recover(func() { codedeploy.NewServer(stack, "Billing", &codedeploy.ServerProps{}) })
	if ok || !strings.HasPrefix(msg, "codedeploy.ServerProps: ApplicationName \"\"") {
		t.Errorf("NewServer with empty props: panic %q, %v", msg, ok)
	}
}

func TestECSPropsValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *codedeploy.ECSProps)
		want   []string
	}{
		{"valid", func(p *codedeploy.ECSProps) {}, nil},
		{"valid NLB, short config name, execution role only", func(p *codedeploy.ECSProps) {
			p.ProductionListenerArn, p.TestListenerArn = nlbProd, nlbTest
			p.DeploymentConfig = "ECSAllAtOnce"
			p.TaskRoleArns = nil
		}, nil},
		{"valid other partition", func(p *codedeploy.ECSProps) {
			r := strings.NewReplacer("arn:aws:", "arn:aws-cn:", "eu-west-1", "cn-north-1")
			p.ProductionListenerArn, p.TestListenerArn = r.Replace(p.ProductionListenerArn), r.Replace(p.TestListenerArn)
			p.BlueTargetGroupArn, p.GreenTargetGroupArn = r.Replace(p.BlueTargetGroupArn), r.Replace(p.GreenTargetGroupArn)
			p.TaskRoleArns, p.ExecutionRoleArns = []string{r.Replace(taskRole)}, nil
		}, nil},
		{"missing test listener", func(p *codedeploy.ECSProps) { p.TestListenerArn = "" }, []string{
			`TestListenerArn "": required: the test listener is where the pipeline's validation hooks reach the green tasks before production traffic moves; add a listener on a test port of the same load balancer`,
		}},
		{"test listener is the production listener", func(p *codedeploy.ECSProps) { p.TestListenerArn = prodListener }, []string{
			`TestListenerArn "` + prodListener + `": must differ from ProductionListenerArn: test traffic needs its own port`,
		}},
		{"test listener on another load balancer", func(p *codedeploy.ECSProps) {
			p.TestListenerArn = strings.Replace(testListener, "/orders/", "/other/", 1)
		}, []string{
			`TestListenerArn "arn:aws:elasticloadbalancing:eu-west-1:222222222222:listener/app/other/0123456789abcdef/2222222222222222": must be on the load balancer of ProductionListenerArn (app/orders/0123456789abcdef): CodeDeploy reroutes the listeners of the service's one load balancer`,
		}},
		{"same blue and green target group", func(p *codedeploy.ECSProps) { p.GreenTargetGroupArn = blueTG }, []string{
			`GreenTargetGroupArn "` + blueTG + `": must differ from BlueTargetGroupArn: the green tasks register in their own target group while the blue tasks keep serving`,
		}},
		{"bad ARNs", func(p *codedeploy.ECSProps) {
			p.ProductionListenerArn = "arn:aws:elasticloadbalancing:eu-west-1:222222222222:listener/gwy/fw/0123/4567"
			p.TestListenerArn = "listener-2"
			p.BlueTargetGroupArn = "orders-blue"
			p.GreenTargetGroupArn = "arn:aws:elasticloadbalancing:eu-west-1:222222222222:loadbalancer/app/orders/0123456789abcdef"
		}, []string{
			`ProductionListenerArn "arn:aws:elasticloadbalancing:eu-west-1:222222222222:listener/gwy/fw/0123/4567": must be a listener ARN, arn:<partition>:elasticloadbalancing:<region>:<account>:listener/app|net/<load balancer>/<id>/<id>`,
			`TestListenerArn "listener-2": must be a listener ARN, arn:<partition>:elasticloadbalancing:<region>:<account>:listener/app|net/<load balancer>/<id>/<id>`,
			`BlueTargetGroupArn "orders-blue": must be a target group ARN, arn:<partition>:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>`,
			`GreenTargetGroupArn "arn:aws:elasticloadbalancing:eu-west-1:222222222222:loadbalancer/app/orders/0123456789abcdef": must be a target group ARN, arn:<partition>:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>`,
		}},
		{"target group in another account", func(p *codedeploy.ECSProps) {
			p.GreenTargetGroupArn = strings.Replace(greenTG, "222222222222", "333333333333", 1)
		}, []string{
			`GreenTargetGroupArn "arn:aws:elasticloadbalancing:eu-west-1:333333333333:targetgroup/orders-green/fedcba9876543210": must be in the account and region of ProductionListenerArn (222222222222, eu-west-1)`,
		}},
		{"unknown config name", func(p *codedeploy.ECSProps) { p.DeploymentConfig = "ECSCanary10Percent10Minutes" }, []string{
			`DeploymentConfig "ECSCanary10Percent10Minutes": unknown ECS deployment config; use one of ECSAllAtOnce, ECSLinear10PercentEvery1Minutes, ECSLinear10PercentEvery3Minutes, ECSCanary10Percent5Minutes, ECSCanary10Percent15Minutes (the CodeDeployDefault. prefix is optional)`,
		}},
		{"server config for ECS", func(p *codedeploy.ECSProps) { p.DeploymentConfig = "CodeDeployDefault.AllAtOnce" }, []string{
			`DeploymentConfig "CodeDeployDefault.AllAtOnce": unknown ECS deployment config; use one of ECSAllAtOnce, ECSLinear10PercentEvery1Minutes, ECSLinear10PercentEvery3Minutes, ECSCanary10Percent5Minutes, ECSCanary10Percent15Minutes (the CodeDeployDefault. prefix is optional)`,
		}},
		{"NLB shifts all at once only", func(p *codedeploy.ECSProps) {
			p.ProductionListenerArn, p.TestListenerArn = nlbProd, nlbTest
			p.DeploymentConfig = "ECSLinear10PercentEvery1Minutes"
		}, []string{
			`DeploymentConfig "ECSLinear10PercentEvery1Minutes": behind a Network Load Balancer CodeDeploy shifts ECS traffic all at once only; use ECSAllAtOnce`,
		}},
		{"wait times out of range", func(p *codedeploy.ECSProps) {
			p.WaitMinutes = 2881
			p.TerminationWaitMinutes = codedeploy.Minutes(-1)
		}, []string{
			`WaitMinutes 2881: must be 0-2880 (48 hours)`,
			`TerminationWaitMinutes -1: must be 0-2880 (48 hours)`,
		}},
		{"wait times at the limits", func(p *codedeploy.ECSProps) {
			p.WaitMinutes = 2880
			p.TerminationWaitMinutes = codedeploy.Minutes(2880)
		}, nil},
		{"PassRole wildcard", func(p *codedeploy.ECSProps) {
			p.TaskRoleArns = []string{"arn:aws:iam::222222222222:role/orders-*"}
			p.ExecutionRoleArns = []string{"*", "arn:aws:iam::222222222222:role/ecsTaskExecution?ole"}
		}, []string{
			`TaskRoleArns[0] "arn:aws:iam::222222222222:role/orders-*": must name one role, without * or ?: a wildcard would let the pipeline pass any matching role to ECS tasks`,
			`ExecutionRoleArns[0] "*": must name one role, without * or ?: a wildcard would let the pipeline pass any matching role to ECS tasks`,
			`ExecutionRoleArns[1] "arn:aws:iam::222222222222:role/ecsTaskExecution?ole": must name one role, without * or ?: a wildcard would let the pipeline pass any matching role to ECS tasks`,
		}},
		{"no roles, bad and foreign roles", func(p *codedeploy.ECSProps) {
			p.TaskRoleArns, p.ExecutionRoleArns = nil, nil
		}, []string{
			`TaskRoleArns, ExecutionRoleArns []: name the roles the task definition names (taskRoleArn, executionRoleArn); the deploy action may pass exactly these to ECS`,
		}},
		{"role ARNs of the wrong shape or account", func(p *codedeploy.ECSProps) {
			p.TaskRoleArns = []string{"orders-task", "arn:aws:iam::333333333333:role/orders-task"}
		}, []string{
			`TaskRoleArns[0] "orders-task": must be a role ARN, arn:<partition>:iam::<account>:role/<name>`,
			`TaskRoleArns[1] "arn:aws:iam::333333333333:role/orders-task": must be in account 222222222222, the account of ProductionListenerArn: a task definition names roles of its own account`,
		}},
		// Relay's own roles trust the principals Relay names, never
		// ecs-tasks.amazonaws.com; a team role at another path is its own.
		{"roles Relay creates", func(p *codedeploy.ECSProps) {
			p.TaskRoleArns = []string{"arn:aws:iam::222222222222:role/relay/orders/orders-prod-deploy", "arn:aws:iam::222222222222:role/relay/orders-task"}
			p.ExecutionRoleArns = []string{"arn:aws:iam::222222222222:role/relay/orders/orders-prod-cfn-exec"}
		}, []string{
			`TaskRoleArns[0] "arn:aws:iam::222222222222:role/relay/orders/orders-prod-deploy": is a role under Relay's IAM path /relay/<name>/, a role Relay creates for its pipeline that trusts only the principals Relay names, never ecs-tasks.amazonaws.com: ECS could not start the service's tasks with it; name the roles of the service's own task definition`,
			`ExecutionRoleArns[0] "arn:aws:iam::222222222222:role/relay/orders/orders-prod-cfn-exec": is a role under Relay's IAM path /relay/<name>/, a role Relay creates for its pipeline that trusts only the principals Relay names, never ecs-tasks.amazonaws.com: ECS could not start the service's tasks with it; name the roles of the service's own task definition`,
		}},
		{"names and alarms", func(p *codedeploy.ECSProps) {
			p.ApplicationName, p.DeploymentGroupName, p.ClusterName, p.ServiceName = "", "orders prod", "orders/x", ""
			p.AlarmNames = []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j\r", "a"}
		}, []string{
			`ApplicationName "": must be 1-100 characters of letters, digits and ._+=,@-`,
			`DeploymentGroupName "orders prod": must be 1-100 characters of letters, digits and ._+=,@-`,
			`ClusterName "orders/x": must be 1-255 characters of letters, digits, _ and -`,
			`ServiceName "": must be 1-255 characters of letters, digits, _ and -`,
			`AlarmNames: 11 alarms; CodeDeploy allows at most 10 per deployment group`,
			`AlarmNames[9] "j\r": must be 1-255 characters without control characters, the name of a CloudWatch alarm in the target account`,
			`AlarmNames[10] "a": listed twice`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validECS()
			tt.mutate(p)
			checkErr(t, p.Validate(), "codedeploy.ECSProps", tt.want)
		})
	}
}

func TestServerPropsValidate(t *testing.T) {
	tests := []struct {
		name  string
		props func() *codedeploy.ServerProps
		want  []string
	}{
		{"valid in place", validServer, nil},
		{"valid blue-green", validBlueGreenServer, nil},
		{"valid in place with everything", func() *codedeploy.ServerProps {
			p := validServer()
			p.Style = codedeploy.InPlace
			p.OnPremisesTags = map[string][]string{"site": nil, "": {"x"}}
			p.AutoScalingGroupNames = []string{"billing-asg"}
			p.TargetGroupNames = []string{"billing-web"}
			p.DeploymentConfig = "CodeDeployDefault.AllAtOnce"
			p.AlarmNames = []string{"billing-errors"}
			return p
		}, nil},
		{"blue-green without Auto Scaling groups and target groups", func() *codedeploy.ServerProps {
			p := validServer()
			p.Style = codedeploy.BlueGreen
			return p
		}, []string{
			`AutoScalingGroupNames []: required for blue-green: CodeDeploy builds the green fleet by copying the Auto Scaling group`,
			`TargetGroupNames []: required for blue-green: CodeDeploy moves traffic from the blue to the green instances through these target groups`,
		}},
		{"blue-green to on-premises instances", func() *codedeploy.ServerProps {
			p := validBlueGreenServer()
			p.OnPremisesTags = map[string][]string{"site": {"fra"}}
			return p
		}, []string{
			`OnPremisesTags: blue-green deploys to EC2 only; deploy on-premises instances in place`,
		}},
		{"blue-green wait times out of range", func() *codedeploy.ServerProps {
			p := validBlueGreenServer()
			p.WaitMinutes, p.TerminationWaitMinutes = 3000, codedeploy.Minutes(2881)
			return p
		}, []string{
			`WaitMinutes 3000: must be 0-2880 (48 hours)`,
			`TerminationWaitMinutes 2881: must be 0-2880 (48 hours)`,
		}},
		{"no instance selector", func() *codedeploy.ServerProps {
			p := validServer()
			p.InstanceTags = nil
			return p
		}, []string{
			`InstanceTags, OnPremisesTags, AutoScalingGroupNames: all empty; select the instances to deploy to (EC2 tags, on-premises tags or Auto Scaling groups)`,
		}},
		{"wait times in place", func() *codedeploy.ServerProps {
			p := validServer()
			p.WaitMinutes, p.TerminationWaitMinutes = 10, codedeploy.Minutes(0)
			return p
		}, []string{
			`WaitMinutes 10: applies to blue-green only; remove it or set Style "blue-green"`,
			`TerminationWaitMinutes 0: applies to blue-green only; remove it or set Style "blue-green"`,
		}},
		{"unknown style and config", func() *codedeploy.ServerProps {
			p := validServer()
			p.Style, p.DeploymentConfig = "canary", "ECSAllAtOnce"
			return p
		}, []string{
			`DeploymentConfig "ECSAllAtOnce": unknown EC2/on-premises deployment config; use one of OneAtATime, HalfAtATime, AllAtOnce (the CodeDeployDefault. prefix is optional), or set MinimumHealthyHosts for a custom config`,
			`Style "canary": must be in-place or blue-green`,
		}},
		{"custom config and a predefined one", func() *codedeploy.ServerProps {
			p := validServer()
			p.DeploymentConfig = "HalfAtATime"
			p.MinimumHealthyHosts = &codedeploy.MinimumHealthyHosts{Type: codedeploy.HostCount, Value: 1}
			return p
		}, []string{
			`DeploymentConfig "HalfAtATime": set either DeploymentConfig or MinimumHealthyHosts, not both`,
		}},
		{"custom config values", func() *codedeploy.ServerProps {
			p := validServer()
			p.MinimumHealthyHosts = &codedeploy.MinimumHealthyHosts{Type: codedeploy.FleetPercent, Value: 100}
			return p
		}, []string{
			`MinimumHealthyHosts.Value 100: must be 0-99 percent: at 100 no instance could be taken out of service`,
		}},
		{"custom config type and name length", func() *codedeploy.ServerProps {
			p := validServer()
			p.DeploymentGroupName = strings.Repeat("g", 94)
			p.MinimumHealthyHosts = &codedeploy.MinimumHealthyHosts{Type: "PERCENT", Value: 50}
			return p
		}, []string{
			`MinimumHealthyHosts.Type "PERCENT": must be HOST_COUNT or FLEET_PERCENT`,
			`DeploymentGroupName "` + strings.Repeat("g", 94) + `": must be at most 89 characters with MinimumHealthyHosts PERCENT 50: the custom config is named "<DeploymentGroupName>-percent-50", at most 100`,
		}},
		{"custom config name length at the limit", func() *codedeploy.ServerProps {
			p := validServer()
			p.DeploymentGroupName = strings.Repeat("g", 83) // + "-fleet-percent-75", 100 characters
			p.MinimumHealthyHosts = &codedeploy.MinimumHealthyHosts{Type: codedeploy.FleetPercent, Value: 75}
			return p
		}, nil},
		{"custom config name length over the limit", func() *codedeploy.ServerProps {
			p := validServer()
			p.DeploymentGroupName = strings.Repeat("g", 84)
			p.MinimumHealthyHosts = &codedeploy.MinimumHealthyHosts{Type: codedeploy.FleetPercent, Value: 75}
			return p
		}, []string{
			`DeploymentGroupName "` + strings.Repeat("g", 84) + `": must be at most 83 characters with MinimumHealthyHosts FLEET_PERCENT 75: the custom config is named "<DeploymentGroupName>-fleet-percent-75", at most 100`,
		}},
		// CodeDeploy's quotas: 10 tags in a tag group (a key alone counts
		// once), 10 Auto Scaling groups (the default) in a deployment group.
		{"ten tags of each kind and ten Auto Scaling groups", func() *codedeploy.ServerProps {
			p := validServer()
			p.InstanceTags = map[string][]string{"app": names("a", 9), "tier": nil}
			p.OnPremisesTags = map[string][]string{"": names("v", 10)}
			p.AutoScalingGroupNames = names("asg", 10)
			return p
		}, nil},
		{"eleven tags of each kind and eleven Auto Scaling groups", func() *codedeploy.ServerProps {
			p := validServer()
			p.InstanceTags = map[string][]string{"app": names("a", 10), "tier": nil}
			p.OnPremisesTags = map[string][]string{"site": names("s", 11)}
			p.AutoScalingGroupNames = names("asg", 11)
			return p
		}, []string{
			`InstanceTags: 11 tags (one per key and value); CodeDeploy selects instances by at most 10 tags in a tag group (https://docs.aws.amazon.com/codedeploy/latest/userguide/instances-tagging.html), so CloudFormation would fail to create the deployment group: tag the instances with one shared tag, or list their Auto Scaling groups in AutoScalingGroupNames instead`,
			`OnPremisesTags: 11 tags (one per key and value); CodeDeploy selects instances by at most 10 tags in a tag group (https://docs.aws.amazon.com/codedeploy/latest/userguide/instances-tagging.html), so CloudFormation would fail to create the deployment group: tag the instances with one shared tag, or list their Auto Scaling groups in AutoScalingGroupNames instead`,
			`AutoScalingGroupNames: 11 Auto Scaling groups; CodeDeploy takes at most 10 in a deployment group (the default quota, https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html), so CloudFormation would fail to create the group: deploy through at most 10, or select the other instances with InstanceTags, or, once Service Quotas raised the quota to at least 11 in every account this deploys to, declare it in Quotas.CodeDeployAutoScalingGroups`,
		}},
		// The quota is adjustable: declared raised in Quotas, the group
		// takes up to the declared value.
		{"fifteen Auto Scaling groups, 20 declared", func() *codedeploy.ServerProps {
			p := validServer()
			p.AutoScalingGroupNames = names("asg", 15)
			p.Quotas = limits.Quotas{CodeDeployAutoScalingGroups: 20}
			return p
		}, nil},
		{"fifteen Auto Scaling groups, 12 declared", func() *codedeploy.ServerProps {
			p := validServer()
			p.AutoScalingGroupNames = names("asg", 15)
			p.Quotas = limits.Quotas{CodeDeployAutoScalingGroups: 12}
			return p
		}, []string{
			`AutoScalingGroupNames: 15 Auto Scaling groups; CodeDeploy takes at most 12 in a deployment group (the quota declared in Quotas.CodeDeployAutoScalingGroups, https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html), so CloudFormation would fail to create the group: deploy through at most 12, or select the other instances with InstanceTags, or, once Service Quotas raised the quota to at least 15 in every account this deploys to, declare it in Quotas.CodeDeployAutoScalingGroups`,
		}},
		{"a declared quota below the default", func() *codedeploy.ServerProps {
			p := validServer()
			p.AutoScalingGroupNames = names("asg", 11)
			p.Quotas = limits.Quotas{CodeDeployAutoScalingGroups: 5}
			return p
		}, []string{
			`Quotas.CodeDeployAutoScalingGroups 5: must be at least 10, AWS's default (https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html); declare the value Service Quotas shows in every account this deploys to, or leave it 0 for the default`,
			`AutoScalingGroupNames: 11 Auto Scaling groups; CodeDeploy takes at most 10 in a deployment group (the default quota, https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html), so CloudFormation would fail to create the group: deploy through at most 10, or select the other instances with InstanceTags, or, once Service Quotas raised the quota to at least 11 in every account this deploys to, declare it in Quotas.CodeDeployAutoScalingGroups`,
		}},
		{"tags, groups and target group names", func() *codedeploy.ServerProps {
			p := validServer()
			p.InstanceTags = map[string][]string{"": nil, "app": {"billing", ""}}
			p.AutoScalingGroupNames = []string{"billing-asg", "billing-asg", ""}
			p.TargetGroupNames = []string{"-web", "billing_web", "arn:aws:elasticloadbalancing:eu-west-1:222222222222:targetgroup/web/0123"}
			return p
		}, []string{
			`InstanceTags[""]: a tag filter needs a key, values or both`,
			`InstanceTags["app"][1] "": an empty value matches no tag; leave the values out to match any value of the key`,
			`AutoScalingGroupNames[1] "billing-asg": listed twice`,
			`AutoScalingGroupNames[2] "": must be 1-255 characters, the name of an Auto Scaling group in the target account`,
			`TargetGroupNames[0] "-web": must be a target group name: 1-32 letters, digits and hyphens, not starting or ending with a hyphen`,
			`TargetGroupNames[1] "billing_web": must be a target group name: 1-32 letters, digits and hyphens, not starting or ending with a hyphen`,
			`TargetGroupNames[2] "arn:aws:elasticloadbalancing:eu-west-1:222222222222:targetgroup/web/0123": must be a target group name: 1-32 letters, digits and hyphens, not starting or ending with a hyphen`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, tt.props().Validate(), "codedeploy.ServerProps", tt.want)
		})
	}
}

// checkErr compares err with the error that lists want under prefix.
func checkErr(t *testing.T, err error, prefix string, want []string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("Validate() = %v, want nil", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("Validate() = nil, want:\n%s", strings.Join(want, "\n"))
	}
	if diff := cmp.Diff(prefix+": "+strings.Join(want, "\n"), err.Error()); diff != "" {
		t.Errorf("Validate() mismatch (-want +got):\n%s", diff)
	}
}

func TestConfigNames(t *testing.T) {
	tests := []struct {
		name    string
		f       func(string) (string, error)
		in      string
		want    string
		wantErr string
	}{
		{"ECS default", codedeploy.ECSConfigName, "", "CodeDeployDefault.ECSAllAtOnce", ""},
		{"ECS short", codedeploy.ECSConfigName, "ECSCanary10Percent15Minutes", "CodeDeployDefault.ECSCanary10Percent15Minutes", ""},
		{"ECS full", codedeploy.ECSConfigName, "CodeDeployDefault.ECSLinear10PercentEvery3Minutes", "CodeDeployDefault.ECSLinear10PercentEvery3Minutes", ""},
		{"ECS every predefined", codedeploy.ECSConfigName, "ECSLinear10PercentEvery1Minutes", "CodeDeployDefault.ECSLinear10PercentEvery1Minutes", ""},
		{"ECS canary 5", codedeploy.ECSConfigName, "ECSCanary10Percent5Minutes", "CodeDeployDefault.ECSCanary10Percent5Minutes", ""},
		{"ECS case matters", codedeploy.ECSConfigName, "ecsallatonce", "",
			`unknown ECS deployment config "ecsallatonce"; use one of ECSAllAtOnce, ECSLinear10PercentEvery1Minutes, ECSLinear10PercentEvery3Minutes, ECSCanary10Percent5Minutes, ECSCanary10Percent15Minutes (the CodeDeployDefault. prefix is optional)`},
		{"ECS Lambda config", codedeploy.ECSConfigName, "CodeDeployDefault.LambdaAllAtOnce", "",
			`unknown ECS deployment config "CodeDeployDefault.LambdaAllAtOnce"; use one of ECSAllAtOnce, ECSLinear10PercentEvery1Minutes, ECSLinear10PercentEvery3Minutes, ECSCanary10Percent5Minutes, ECSCanary10Percent15Minutes (the CodeDeployDefault. prefix is optional)`},
		{"server default", codedeploy.ServerConfigName, "", "CodeDeployDefault.OneAtATime", ""},
		{"server short", codedeploy.ServerConfigName, "HalfAtATime", "CodeDeployDefault.HalfAtATime", ""},
		{"server full", codedeploy.ServerConfigName, "CodeDeployDefault.AllAtOnce", "CodeDeployDefault.AllAtOnce", ""},
		{"server ECS config", codedeploy.ServerConfigName, "ECSAllAtOnce", "",
			`unknown EC2/on-premises deployment config "ECSAllAtOnce"; use one of OneAtATime, HalfAtATime, AllAtOnce (the CodeDeployDefault. prefix is optional), or set MinimumHealthyHosts for a custom config`},
		{"server prefix only", codedeploy.ServerConfigName, "CodeDeployDefault.", "",
			`unknown EC2/on-premises deployment config "CodeDeployDefault."; use one of OneAtATime, HalfAtATime, AllAtOnce (the CodeDeployDefault. prefix is optional), or set MinimumHealthyHosts for a custom config`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.f(tt.in)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if got != tt.want || gotErr != tt.wantErr {
				t.Errorf("(%q) = %q, %q; want %q, %q", tt.in, got, gotErr, tt.want, tt.wantErr)
			}
		})
	}
}

func TestDeployStatements(t *testing.T) {
	const cd = "arn:aws:codedeploy:eu-west-1:222222222222:"
	tests := []struct {
		name string
		got  []codedeploy.Statement
		want []codedeploy.Statement
	}{
		{
			name: "ECS",
			got: func() []codedeploy.Statement {
				p := validECS()
				p.ExecutionRoleArns = append(p.ExecutionRoleArns, taskRole) // listed twice, passed once
				return p.DeployStatements("aws", "eu-west-1", "222222222222")
			}(),
			want: []codedeploy.Statement{
				{Sid: "CreateDeployments", Actions: []string{"codedeploy:CreateDeployment", "codedeploy:GetDeployment"}, Resources: []string{cd + "deploymentgroup:orders/orders-prod"}},
				{Sid: "RegisterRevisions", Actions: []string{"codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"}, Resources: []string{cd + "application:orders"}},
				{Sid: "ReadDeploymentConfig", Actions: []string{"codedeploy:GetDeploymentConfig"}, Resources: []string{cd + "deploymentconfig:CodeDeployDefault.ECSAllAtOnce"}},
				{Sid: "RegisterTaskDefinitions", Actions: []string{"ecs:RegisterTaskDefinition"}, Resources: []string{"*"}},
				{
					Sid: "TagTaskDefinitionsOnCreate", Actions: []string{"ecs:TagResource"},
					Resources:  []string{"arn:aws:ecs:eu-west-1:222222222222:task-definition/*"},
					Conditions: map[string]map[string][]string{"StringEquals": {"ecs:CreateAction": {"RegisterTaskDefinition"}}},
				},
				{
					Sid: "PassTaskRoles", Actions: []string{"iam:PassRole"},
					Resources:  []string{taskRole, execRole},
					Conditions: map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}},
				},
			},
		},
		{
			name: "server, predefined config",
			got: func() []codedeploy.Statement {
				p := validServer()
				p.DeploymentConfig = "AllAtOnce"
				return p.DeployStatements("aws", "eu-west-1", "222222222222")
			}(),
			want: []codedeploy.Statement{
				{Sid: "CreateDeployments", Actions: []string{"codedeploy:CreateDeployment", "codedeploy:GetDeployment"}, Resources: []string{cd + "deploymentgroup:billing/billing-prod"}},
				{Sid: "RegisterRevisions", Actions: []string{"codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"}, Resources: []string{cd + "application:billing"}},
				{Sid: "ReadDeploymentConfig", Actions: []string{"codedeploy:GetDeploymentConfig"}, Resources: []string{cd + "deploymentconfig:CodeDeployDefault.AllAtOnce"}},
			},
		},
		{
			name: "server, custom config",
			got: func() []codedeploy.Statement {
				p := validBlueGreenServer()
				p.MinimumHealthyHosts = &codedeploy.MinimumHealthyHosts{Type: codedeploy.HostCount, Value: 1}
				return p.DeployStatements("aws-us-gov", "us-gov-west-1", "222222222222")
			}(),
			want: []codedeploy.Statement{
				{Sid: "CreateDeployments", Actions: []string{"codedeploy:CreateDeployment", "codedeploy:GetDeployment"}, Resources: []string{"arn:aws-us-gov:codedeploy:us-gov-west-1:222222222222:deploymentgroup:billing/billing-prod"}},
				{Sid: "RegisterRevisions", Actions: []string{"codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"}, Resources: []string{"arn:aws-us-gov:codedeploy:us-gov-west-1:222222222222:application:billing"}},
				{Sid: "ReadDeploymentConfig", Actions: []string{"codedeploy:GetDeploymentConfig"}, Resources: []string{"arn:aws-us-gov:codedeploy:us-gov-west-1:222222222222:deploymentconfig:billing-prod-host-count-1"}},
			},
		},
		{
			name: "existing ECS group",
			got: (&codedeploy.ExistingGroup{ApplicationName: "web", DeploymentGroupName: "web-prod", ECS: true, TaskRoleArns: []string{execRole, taskRole, execRole}}).
				DeployStatements("aws", "eu-west-1", "222222222222"),
			want: []codedeploy.Statement{
				{Sid: "CreateDeployments", Actions: []string{"codedeploy:CreateDeployment", "codedeploy:GetDeployment"}, Resources: []string{cd + "deploymentgroup:web/web-prod"}},
				{Sid: "RegisterRevisions", Actions: []string{"codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"}, Resources: []string{cd + "application:web"}},
				{Sid: "ReadDeploymentConfig", Actions: []string{"codedeploy:GetDeploymentConfig"}, Resources: []string{cd + "deploymentconfig:*"}},
				{Sid: "RegisterTaskDefinitions", Actions: []string{"ecs:RegisterTaskDefinition"}, Resources: []string{"*"}},
				{
					Sid: "TagTaskDefinitionsOnCreate", Actions: []string{"ecs:TagResource"},
					Resources:  []string{"arn:aws:ecs:eu-west-1:222222222222:task-definition/*"},
					Conditions: map[string]map[string][]string{"StringEquals": {"ecs:CreateAction": {"RegisterTaskDefinition"}}},
				},
				{
					Sid: "PassTaskRoles", Actions: []string{"iam:PassRole"},
					Resources:  []string{taskRole, execRole},
					Conditions: map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}},
				},
			},
		},
		{
			name: "existing server group",
			got:  (&codedeploy.ExistingGroup{ApplicationName: "web", DeploymentGroupName: "web-prod"}).DeployStatements("aws", "eu-west-1", "222222222222"),
			want: []codedeploy.Statement{
				{Sid: "CreateDeployments", Actions: []string{"codedeploy:CreateDeployment", "codedeploy:GetDeployment"}, Resources: []string{cd + "deploymentgroup:web/web-prod"}},
				{Sid: "RegisterRevisions", Actions: []string{"codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"}, Resources: []string{cd + "application:web"}},
				{Sid: "ReadDeploymentConfig", Actions: []string{"codedeploy:GetDeploymentConfig"}, Resources: []string{cd + "deploymentconfig:*"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got, cmpopts.IgnoreFields(codedeploy.Statement{}, "Reason")); diff != "" {
				t.Errorf("DeployStatements() mismatch (-want +got):\n%s", diff)
			}
			// A wildcard comes with the reason its cdk-nag suppression carries.
			for _, s := range tt.got {
				if strings.Contains(strings.Join(append(s.Actions, s.Resources...), " "), "*") && len(s.Reason) < 10 {
					t.Errorf("%s has a wildcard and no Reason", s.Sid)
				}
			}
		})
	}
}

// TestDeployStatementsPassRole pins the rule behind the PassRole statement: it
// is never on "*" or a pattern, for ECS only ever to ECS tasks, and the
// CodeDeploy (server) action has none at all.
func TestDeployStatementsPassRole(t *testing.T) {
	ecsVariants := map[string]*codedeploy.ECSProps{"valid": validECS()}
	taskOnly := validECS()
	taskOnly.ExecutionRoleArns = nil
	ecsVariants["task role only"] = taskOnly
	canary := validECS()
	canary.DeploymentConfig, canary.AlarmNames = "ECSCanary10Percent5Minutes", []string{"a"}
	ecsVariants["canary with alarms"] = canary

	cases := map[string][]codedeploy.Statement{}
	for name, p := range ecsVariants {
		if err := p.Validate(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cases["ECS "+name] = p.DeployStatements("aws", "eu-west-1", "222222222222")
	}
	for name, p := range map[string]*codedeploy.ServerProps{"in place": validServer(), "blue-green": validBlueGreenServer()} {
		cases["server "+name] = p.DeployStatements("aws", "eu-west-1", "222222222222")
	}
	for name, g := range map[string]*codedeploy.ExistingGroup{
		"ECS existing":    {ApplicationName: "web", DeploymentGroupName: "web", ECS: true, TaskRoleArns: []string{taskRole}},
		"server existing": {ApplicationName: "web", DeploymentGroupName: "web"},
	} {
		if err := g.Validate(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cases[name] = g.DeployStatements("aws", "eu-west-1", "222222222222")
	}
	for name, sts := range cases {
		passRoles := 0
		for _, s := range sts {
			for _, a := range s.Actions {
				if strings.HasPrefix(a, "iam:") && a != "iam:PassRole" || strings.Contains(a, "*") {
					t.Errorf("%s: statement %s has action %q", name, s.Sid, a)
				}
				if a != "iam:PassRole" {
					continue
				}
				passRoles++
				if strings.HasPrefix(name, "server") {
					t.Errorf("%s: statement %s passes roles; the CodeDeploy action needs none", name, s.Sid)
				}
				if len(s.Resources) == 0 {
					t.Errorf("%s: statement %s passes no role", name, s.Sid)
				}
				for _, r := range s.Resources {
					if strings.ContainsAny(r, "*?") {
						t.Errorf("%s: statement %s passes %q, a wildcard", name, s.Sid, r)
					}
				}
				if diff := cmp.Diff(map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}, s.Conditions); diff != "" {
					t.Errorf("%s: statement %s conditions (-want +got):\n%s", name, s.Sid, diff)
				}
			}
		}
		if want := map[bool]int{true: 1, false: 0}[strings.HasPrefix(name, "ECS")]; passRoles != want {
			t.Errorf("%s: %d PassRole statements, want %d", name, passRoles, want)
		}
	}
}

func TestStatementPolicyStatement(t *testing.T) {
	tests := []struct {
		name string
		in   codedeploy.Statement
		want obj
	}{
		{"one action, one resource", codedeploy.Statement{Sid: "A", Actions: []string{"ecs:RegisterTaskDefinition"}, Resources: []string{"*"}},
			obj{"Sid": "A", "Effect": "Allow", "Action": "ecs:RegisterTaskDefinition", "Resource": "*"}},
		{"lists and a condition", codedeploy.Statement{
			Sid: "PassTaskRoles", Actions: []string{"iam:PassRole"}, Resources: []string{taskRole, execRole},
			Conditions: map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}},
		}, obj{
			"Sid": "PassTaskRoles", "Effect": "Allow", "Action": "iam:PassRole", "Resource": list{taskRole, execRole},
			"Condition": obj{"StringEquals": obj{"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack := newStack(false)
			relaytest.Do(t, "PolicyStatement", func() {
				awsiam.NewManagedPolicy(stack, jsii.String("Policy"), &awsiam.ManagedPolicyProps{
					Statements: &[]awsiam.PolicyStatement{tt.in.PolicyStatement()},
				})
			})
			tpl := relaytest.Template(t, stack)
			relaytest.Check(t, "rendered statement", func() {
				tpl.HasResourceProperties(jsii.String("AWS::IAM::ManagedPolicy"), obj{
					"PolicyDocument": obj{"Statement": list{assertions.Match_Exact(tt.want)}},
				})
			})
		})
	}
}

// ExampleNewECS shows a team's platform stack in the target account adding
// the deployment group its pipeline deploys the orders service through.
func ExampleNewECS() {
	app := relaytest.NewApp()
	stack := awscdk.NewStack(app, jsii.String("OrdersDelivery"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("eu-west-1")},
	})
	props := &codedeploy.ECSProps{
		ApplicationName:       "orders",
		DeploymentGroupName:   "orders-prod",
		ClusterName:           "orders",
		ServiceName:           "orders-api",
		ProductionListenerArn: "arn:aws:elasticloadbalancing:eu-west-1:222222222222:listener/app/orders/0123456789abcdef/1111111111111111",
		TestListenerArn:       "arn:aws:elasticloadbalancing:eu-west-1:222222222222:listener/app/orders/0123456789abcdef/2222222222222222",
		BlueTargetGroupArn:    "arn:aws:elasticloadbalancing:eu-west-1:222222222222:targetgroup/orders-blue/0123456789abcdef",
		GreenTargetGroupArn:   "arn:aws:elasticloadbalancing:eu-west-1:222222222222:targetgroup/orders-green/fedcba9876543210",
		DeploymentConfig:      "ECSCanary10Percent5Minutes",
		AlarmNames:            []string{"orders-5xx"},
		ExecutionRoleArns:     []string{"arn:aws:iam::222222222222:role/orders-exec"},
	}
	if err := props.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	codedeploy.NewECS(stack, "Orders", props)

	tpl := assertions.Template_FromStack(stack, nil)
	for _, r := range *tpl.FindResources(jsii.String("AWS::CodeDeploy::DeploymentGroup"), nil) {
		p := (*r)["Properties"].(map[string]interface{})
		fmt.Println(p["DeploymentGroupName"], p["DeploymentConfigName"])
	}
	// Output:
	// orders-prod CodeDeployDefault.ECSCanary10Percent5Minutes
}

// ExampleECSProps_DeployStatements prints what the pipeline's deploy-action
// role needs in the target account; no jsii is involved.
func ExampleECSProps_DeployStatements() {
	p := &codedeploy.ECSProps{
		ApplicationName:     "orders",
		DeploymentGroupName: "orders-prod",
		ExecutionRoleArns:   []string{"arn:aws:iam::222222222222:role/orders-exec"},
	}
	for _, s := range p.DeployStatements("aws", "eu-west-1", "222222222222") {
		fmt.Println(s.Sid, s.Actions, s.Resources)
	}
	// Output:
	// CreateDeployments [codedeploy:CreateDeployment codedeploy:GetDeployment] [arn:aws:codedeploy:eu-west-1:222222222222:deploymentgroup:orders/orders-prod]
	// RegisterRevisions [codedeploy:GetApplication codedeploy:GetApplicationRevision codedeploy:RegisterApplicationRevision] [arn:aws:codedeploy:eu-west-1:222222222222:application:orders]
	// ReadDeploymentConfig [codedeploy:GetDeploymentConfig] [arn:aws:codedeploy:eu-west-1:222222222222:deploymentconfig:CodeDeployDefault.ECSAllAtOnce]
	// RegisterTaskDefinitions [ecs:RegisterTaskDefinition] [*]
	// TagTaskDefinitionsOnCreate [ecs:TagResource] [arn:aws:ecs:eu-west-1:222222222222:task-definition/*]
	// PassTaskRoles [iam:PassRole] [arn:aws:iam::222222222222:role/orders-exec]
}

// ExampleServerConfigName shows a config validator checking a name before
// synthesis.
func ExampleServerConfigName() {
	for _, s := range []string{"", "HalfAtATime", "OneAtATimePlease"} {
		name, err := codedeploy.ServerConfigName(s)
		fmt.Printf("%q: %s %v\n", s, name, err)
	}
	// Output:
	// "": CodeDeployDefault.OneAtATime <nil>
	// "HalfAtATime": CodeDeployDefault.HalfAtATime <nil>
	// "OneAtATimePlease":  unknown EC2/on-premises deployment config "OneAtATimePlease"; use one of OneAtATime, HalfAtATime, AllAtOnce (the CodeDeployDefault. prefix is optional), or set MinimumHealthyHosts for a custom config
}

// TestServiceRoleTrust pins issue 10's security item 9 for CodeDeploy:
// every style's service role admits CodeDeploy for its own deployment
// group only (aws:SourceAccount, aws:SourceArn, as CodeDeploy documents).
func TestServiceRoleTrust(t *testing.T) {
	trust := func(group string) obj {
		return obj{"Version": "2012-10-17", "Statement": list{obj{
			"Action": "sts:AssumeRole", "Effect": "Allow",
			"Principal": obj{"Service": "codedeploy.amazonaws.com"},
			"Condition": obj{
				"StringEquals": obj{"aws:SourceAccount": "222222222222"},
				"ArnLike": obj{"aws:SourceArn": obj{"Fn::Join": list{"", list{
					"arn:", obj{"Ref": "AWS::Partition"}, ":codedeploy:eu-west-1:222222222222:deploymentgroup:" + group,
				}}}},
			},
		}}}
	}
	for _, tc := range []struct {
		name  string
		build func(awscdk.Stack)
		group string
	}{
		{"ECS blue/green", func(s awscdk.Stack) { codedeploy.NewECS(s, "Deploy", validECS()) }, "orders/orders-prod"},
		{"server in place", func(s awscdk.Stack) { codedeploy.NewServer(s, "Deploy", validServer()) }, "billing/billing-prod"},
		{"server blue/green", func(s awscdk.Stack) { codedeploy.NewServer(s, "Deploy", validBlueGreenServer()) }, "billing/billing-prod"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := newStack(false)
			relaytest.Do(t, tc.name, func() { tc.build(stack) })
			tpl := relaytest.Template(t, stack)
			relaytest.Check(t, "service role trust", func() {
				tpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), obj{"AssumeRolePolicyDocument": trust(tc.group)})
			})
		})
	}
}

// TestExistingGroupValidate checks the rules of an existing group, each with
// its message.
func TestExistingGroupValidate(t *testing.T) {
	tests := []struct {
		name string
		g    codedeploy.ExistingGroup
		want []string
	}{
		{"valid ECS", codedeploy.ExistingGroup{ApplicationName: "web", DeploymentGroupName: "web-prod", ECS: true, TaskRoleArns: []string{taskRole}}, nil},
		{"valid server", codedeploy.ExistingGroup{ApplicationName: "web", DeploymentGroupName: "web-prod"}, nil},
		{"no names", codedeploy.ExistingGroup{}, []string{`ApplicationName "": must be 1-100 characters`, `DeploymentGroupName "": must be 1-100 characters`}},
		{"ECS without task roles", codedeploy.ExistingGroup{ApplicationName: "web", DeploymentGroupName: "web", ECS: true},
			[]string{"TaskRoleArns: required for an ECS group"}},
		{"server with task roles", codedeploy.ExistingGroup{ApplicationName: "web", DeploymentGroupName: "web", TaskRoleArns: []string{taskRole}},
			[]string{"an EC2/on-premises deployment registers no task definition and passes no role"}},
		{"wildcard task role", codedeploy.ExistingGroup{ApplicationName: "web", DeploymentGroupName: "web", ECS: true, TaskRoleArns: []string{"arn:aws:iam::222222222222:role/*"}},
			[]string{`TaskRoleArns[0] "arn:aws:iam::222222222222:role/*": must be an IAM role ARN without wildcards`}},
		{"task role Relay creates", codedeploy.ExistingGroup{ApplicationName: "web", DeploymentGroupName: "web", ECS: true, TaskRoleArns: []string{"arn:aws:iam::222222222222:role/relay/web/web-prod-hook"}},
			[]string{`TaskRoleArns[0] "arn:aws:iam::222222222222:role/relay/web/web-prod-hook": is a role under Relay's IAM path /relay/<name>/, a role Relay creates for its pipeline that trusts only the principals Relay names, never ecs-tasks.amazonaws.com: ECS could not start the service's tasks with it; name the roles of the service's own task definition`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.g.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v, want it to contain %q", err, w)
				}
			}
		})
	}
}

// names are n distinct names with prefix.
func names(prefix string, n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("%s%d", prefix, i))
	}
	return out
}
