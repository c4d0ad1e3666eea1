package pipeline

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscodebuild"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/nag"
	"github.com/relaycdk/relay/constructs/plan"
)

// VPC places the pipeline's CodeBuild projects in a VPC (see plan.VPC).
type VPC = plan.VPC

// vpcActions are what CodeBuild does, as the project's service role, to
// give a build a network interface in the VPC; none of them takes a
// resource-level permission narrower than the one below. Source: AWS
// CodeBuild User Guide, "Allow CodeBuild access to AWS services required to
// create a VPC network interface".
var vpcActions = []string{
	"ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeDhcpOptions",
	"ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
}

// VPCStatements are the statements every CodeBuild project role needs to
// run builds in v, in the account and region of the projects, as the
// CodeBuild User Guide documents them: the network-interface calls on *,
// and ec2:CreateNetworkInterfacePermission on network interfaces of the
// account and region only for v's subnets (ec2:Subnet) and for CodeBuild
// (ec2:AuthorizedService). Pure Go: no jsii.
func VPCStatements(partition, region, account string, v *VPC) []awsiam.PolicyStatementProps {
	var subnets []string
	for _, s := range v.Subnets {
		subnets = append(subnets, fmt.Sprintf("arn:%s:ec2:%s:%s:subnet/%s", partition, region, account, s))
	}
	return []awsiam.PolicyStatementProps{
		{
			Sid:       jsii.String("ManageBuildNetworkInterfaces"),
			Actions:   jsii.Strings(vpcActions...),
			Resources: jsii.Strings("*"),
		},
		{
			Sid:       jsii.String("AuthorizeBuildNetworkInterfaces"),
			Actions:   jsii.Strings("ec2:CreateNetworkInterfacePermission"),
			Resources: jsii.Strings(fmt.Sprintf("arn:%s:ec2:%s:%s:network-interface/*", partition, region, account)),
			Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{
				"ec2:Subnet":            subnets,
				"ec2:AuthorizedService": "codebuild.amazonaws.com",
			}},
		},
	}
}

// placeInVPC puts every CodeBuild project of the pipeline (build, suites,
// EKS steps and CodeBuild steps) in Build.VPC:
// the projects' VpcConfig, and one policy with VPCStatements attached to
// each project's role, which each project waits for (CodeBuild checks the
// VPC with the role when the project is created).
func (pl *Pipeline) placeInVPC() {
	v := pl.plan.Input.Build.VPC
	if v == nil {
		return
	}
	var projects []awscodebuild.PipelineProject
	if pl.project != nil { // none without a Build stage (Props.NoBuild)
		projects = append(projects, pl.project)
	}
	projects = append(append(append(projects, pl.suiteProjects...), pl.stepProjects...), pl.RunProjects()...)
	if len(projects) == 0 {
		return
	}
	var roles []awsiam.IRole
	for _, p := range projects {
		roles = append(roles, p.Role())
	}
	var statements []awsiam.PolicyStatement
	for _, st := range VPCStatements(pl.props.Partition, pl.stackRegion(), pl.stackAccount(), v) {
		statements = append(statements, awsiam.NewPolicyStatement(&st))
	}
	policy := awsiam.NewPolicy(pl.Construct, jsii.String("BuildNetwork"), &awsiam.PolicyProps{
		Roles:      &roles,
		Statements: &statements,
	})
	nag.Suppress(policy, nag.Findings("CodeBuild creates, describes and deletes the build's network interfaces and reads the VPC's subnets, security groups and DHCP options: these EC2 calls take no resource-level permission (CodeBuild User Guide, VPC support); ec2:CreateNetworkInterfacePermission is limited to the configured subnets and to CodeBuild.",
		"Resource::*", fmt.Sprintf("Resource::arn:%s:ec2:%s:%s:network-interface/*", pl.props.Partition, pl.stackRegion(), pl.stackAccount())))
	nag.InlinePolicy(policy, "The network policy of the pipeline's CodeBuild projects in VPC "+v.VpcID+": attached to those projects' own roles only, for the network interfaces CodeBuild places in the VPC.")
	for _, p := range projects {
		cfn := p.Node().DefaultChild().(awscodebuild.CfnProject)
		cfn.AddPropertyOverride(jsii.String("VpcConfig"), map[string]interface{}{
			"VpcId":            v.VpcID,
			"Subnets":          v.Subnets,
			"SecurityGroupIds": v.SecurityGroups,
		})
		cfn.Node().AddDependency(policy)
	}
}
