package pipeline_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/pipeline"
)

// TestBuildInVPC checks that every CodeBuild project (build and test
// suites) runs in the VPC, that their roles get exactly the network
// statements the CodeBuild User Guide documents (ec2:CreateNetworkInterfacePermission
// only for the configured subnets and CodeBuild), and that each project
// waits for that policy.
func TestBuildInVPC(t *testing.T) {
	vpc := &pipeline.VPC{VpcID: "vpc-0a1b2c3d4e5f67890", Subnets: []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"}, SecurityGroups: []string{"sg-0a1b2c3d4e5f67890"}}
	s := synth(t, stagingAndProduction(), func(p *pipeline.Props) {
		p.Build.VPC = vpc
		p.Tests = []pipeline.Suite{{Name: "unit", Commands: []string{"make test"}}}
	})
	projects := s.resources("AWS::CodeBuild::Project")
	if len(projects) != 2 {
		t.Fatalf("%d projects, want the build and the unit suite", len(projects))
	}
	policies := s.resources("AWS::IAM::Policy")
	var networkID string
	for id, p := range policies {
		raw, _ := json.Marshal(p)
		if strings.Contains(string(raw), "ec2:CreateNetworkInterfacePermission") {
			if networkID != "" {
				t.Errorf("two network policies: %s and %s", networkID, id)
			}
			networkID = id
		}
	}
	if networkID == "" {
		t.Fatal("no policy grants ec2:CreateNetworkInterfacePermission")
	}
	network := obj(policies[networkID]["Properties"])
	wantStatements := []interface{}{
		map[string]interface{}{
			"Sid": "ManageBuildNetworkInterfaces", "Effect": "Allow", "Resource": "*",
			"Action": []interface{}{"ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeDhcpOptions",
				"ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"},
		},
		map[string]interface{}{
			"Sid": "AuthorizeBuildNetworkInterfaces", "Effect": "Allow", "Action": "ec2:CreateNetworkInterfacePermission",
			"Resource": "arn:aws:ec2:us-east-1:111111111111:network-interface/*",
			"Condition": map[string]interface{}{"StringEquals": map[string]interface{}{
				"ec2:AuthorizedService": "codebuild.amazonaws.com",
				"ec2:Subnet": []interface{}{"arn:aws:ec2:us-east-1:111111111111:subnet/subnet-0a1b2c3d4e5f67890",
					"arn:aws:ec2:us-east-1:111111111111:subnet/subnet-1a1b2c3d4e5f67890"},
			}},
		},
	}
	if diff := cmp.Diff(wantStatements, obj(network["PolicyDocument"])["Statement"]); diff != "" {
		t.Errorf("network policy statements (-want +got):\n%s", diff)
	}
	var attached []string
	for _, r := range network["Roles"].([]interface{}) {
		attached = append(attached, str(obj(r)["Ref"]))
	}
	for id, p := range projects {
		props := obj(p["Properties"])
		want := map[string]interface{}{
			"VpcId":            "vpc-0a1b2c3d4e5f67890",
			"Subnets":          []interface{}{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"},
			"SecurityGroupIds": []interface{}{"sg-0a1b2c3d4e5f67890"},
		}
		if diff := cmp.Diff(want, props["VpcConfig"]); diff != "" {
			t.Errorf("%s VpcConfig (-want +got):\n%s", id, diff)
		}
		role := str(obj(props["ServiceRole"])["Fn::GetAtt"].([]interface{})[0])
		if !slices.Contains(attached, role) {
			t.Errorf("%s: its role %s does not get the network policy (attached to %v)", id, role, attached)
		}
		var deps []string
		for _, d := range p["DependsOn"].([]interface{}) {
			deps = append(deps, d.(string))
		}
		if !slices.Contains(deps, networkID) {
			t.Errorf("%s DependsOn %v; want %s: CodeBuild checks the VPC with the role when the project is created", id, deps, networkID)
		}
	}
}
