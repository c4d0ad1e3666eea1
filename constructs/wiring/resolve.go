package wiring

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Resolved values are strings. A part that the templates do not fix at
// synth (a generated name, a key ID, a parameter, an unknown account) is a
// hole: holeStart, the scope it belongs to, "|", what it stands for, holeEnd.
// Two holes are equal only when they come from the same expression of the
// same stack, so equal strings still mean equal values. Display renders a
// hole as {what}.
const (
	holeStart = '\uE000'
	holeEnd   = '\uE001'
)

// Display renders a resolved value for people: each unresolved part as
// {what it stands for}, such as "arn:aws:iam::{AWS::AccountId}:role/x".
func Display(v string) string {
	if !strings.ContainsRune(v, holeStart) {
		return v
	}
	var b strings.Builder
	inHole, afterBar := false, false
	for _, r := range v {
		switch {
		case r == holeStart:
			inHole, afterBar = true, false
			b.WriteByte('{')
		case r == holeEnd:
			inHole = false
			b.WriteByte('}')
		case inHole && !afterBar:
			afterBar = r == '|'
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Resolved reports whether v has no unresolved part.
func Resolved(v string) bool { return !strings.ContainsRune(v, holeStart) }

func (s *scope) hole(what string) string {
	return string(holeStart) + s.st.key + "|" + what + string(holeEnd)
}

// scope resolves the intrinsic functions of one stack's template.
type scope struct {
	a     *assembly
	st    *tmplStack
	depth int
}

// maxDepth bounds resolution through exports and nested functions, so that
// a cycle of imports cannot loop.
const maxDepth = 32

// partition is the stack's partition: its region's, or the one all regions
// of a StackSet's instances share.
func (s *scope) partition() string {
	regions := s.st.regions
	if s.st.region != "" {
		regions = []string{s.st.region}
	}
	p := ""
	for i, r := range regions {
		if i > 0 && partitionOf(r) != p {
			return s.hole("AWS::Partition")
		}
		p = partitionOf(r)
	}
	if p == "" {
		return s.hole("AWS::Partition")
	}
	return p
}

func (s *scope) account() string {
	if s.st.account == "" && s.st.accountTag != "" {
		return s.hole(s.st.accountTag)
	}
	if s.st.account == "" {
		return s.hole("AWS::AccountId")
	}
	return s.st.account
}

func (s *scope) region() string {
	if s.st.region == "" {
		return s.hole("AWS::Region")
	}
	return s.st.region
}

// partitionOf is the partition of a region, by its documented prefix
// (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html).
func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "eu-isoe-"):
		return "aws-iso-e"
	case strings.HasPrefix(region, "us-isof-"):
		return "aws-iso-f"
	case strings.Count(region, "-") >= 2:
		return "aws"
	}
	return ""
}

func (s *scope) pseudo(name string) (string, bool) {
	switch name {
	case "AWS::Partition":
		return s.partition(), true
	case "AWS::AccountId":
		return s.account(), true
	case "AWS::Region":
		return s.region(), true
	case "AWS::StackName":
		if s.st.stackSet != "" {
			return s.hole("AWS::StackName"), true
		}
		return s.st.name, true
	case "AWS::URLSuffix":
		switch s.partition() {
		case "aws", "aws-us-gov":
			return "amazonaws.com", true
		case "aws-cn":
			return "amazonaws.com.cn", true
		}
		return s.hole("AWS::URLSuffix"), true
	case "AWS::NoValue":
		return "", true
	}
	if strings.HasPrefix(name, "AWS::") {
		return s.hole(name), true
	}
	return "", false
}

// str resolves v to a string; what cannot be resolved becomes a hole.
func (s *scope) str(v interface{}) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	case []interface{}:
		return s.hole("a list")
	case map[string]interface{}:
		if s.depth > maxDepth {
			return s.hole("too deeply nested")
		}
		s.depth++
		defer func() { s.depth-- }()
		if len(x) != 1 {
			return s.hole("an object")
		}
		for fn, arg := range x {
			return s.fn(fn, arg)
		}
	}
	return s.hole(fmt.Sprint(v))
}

func (s *scope) fn(fn string, arg interface{}) string {
	switch fn {
	case "Ref":
		name, _ := arg.(string)
		if v, ok := s.pseudo(name); ok {
			return v
		}
		return s.attr(name, "")
	case "Fn::GetAtt":
		var id, attr string
		switch a := arg.(type) {
		case []interface{}:
			if len(a) == 2 {
				id, attr = s.str(a[0]), s.str(a[1])
			}
		case string:
			id, attr, _ = strings.Cut(a, ".")
		}
		return s.attr(id, attr)
	case "Fn::Join":
		a, _ := arg.([]interface{})
		if len(a) != 2 {
			return s.hole("Fn::Join")
		}
		return strings.Join(s.strs(a[1]), s.str(a[0]))
	case "Fn::Select":
		a, _ := arg.([]interface{})
		if len(a) != 2 {
			return s.hole("Fn::Select")
		}
		i, err := strconv.Atoi(s.str(a[0]))
		list := s.strs(a[1])
		if err != nil || i < 0 || i >= len(list) {
			return s.hole("Fn::Select")
		}
		return list[i]
	case "Fn::Sub":
		return s.sub(arg)
	case "Fn::ImportValue":
		name := s.str(arg)
		if other, out, ok := s.a.export(name); ok && s.depth < maxDepth {
			o := &scope{a: s.a, st: other, depth: s.depth + 1}
			return o.str(out)
		}
		return s.hole("import " + Display(name))
	case "Fn::FindInMap":
		a, _ := arg.([]interface{})
		if len(a) >= 3 {
			m, _ := s.st.mappings[s.str(a[0])].(map[string]interface{})
			k1, _ := m[s.str(a[1])].(map[string]interface{})
			if v, ok := k1[s.str(a[2])]; ok {
				return s.str(v)
			}
		}
		return s.hole("Fn::FindInMap")
	case "Fn::If":
		a, _ := arg.([]interface{})
		if len(a) == 3 {
			return s.hole("if " + s.str(a[0]))
		}
	}
	return s.hole(fn)
}

// strs resolves v to a list: a string is a list of one, a JSON array is
// resolved element by element (AWS::NoValue dropped), Fn::Split splits.
func (s *scope) strs(v interface{}) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case []interface{}:
		var out []string
		for _, e := range x {
			if m, ok := e.(map[string]interface{}); ok && len(m) == 1 && m["Ref"] == "AWS::NoValue" {
				continue
			}
			out = append(out, s.str(e))
		}
		return out
	case map[string]interface{}:
		if a, ok := x["Fn::Split"].([]interface{}); ok && len(x) == 1 && len(a) == 2 {
			str := s.str(a[1])
			if !Resolved(str) {
				return []string{s.hole("Fn::Split")}
			}
			return strings.Split(str, s.str(a[0]))
		}
		if a, ok := x["Fn::If"].([]interface{}); ok && len(x) == 1 && len(a) == 3 {
			return []string{s.hole("if " + s.str(a[0]))}
		}
	}
	return []string{s.str(v)}
}

// sub resolves Fn::Sub: "${AWS::Region}", "${Resource}", "${Resource.Attr}",
// "${Var}" from its map, "${!Literal}".
func (s *scope) sub(arg interface{}) string {
	var tpl string
	vars := map[string]interface{}{}
	switch a := arg.(type) {
	case string:
		tpl = a
	case []interface{}:
		if len(a) != 2 {
			return s.hole("Fn::Sub")
		}
		tpl = s.str(a[0])
		vars, _ = a[1].(map[string]interface{})
	default:
		return s.hole("Fn::Sub")
	}
	var b strings.Builder
	for {
		i := strings.Index(tpl, "${")
		if i < 0 {
			b.WriteString(tpl)
			return b.String()
		}
		b.WriteString(tpl[:i])
		end := strings.IndexByte(tpl[i:], '}')
		if end < 0 {
			b.WriteString(tpl[i:])
			return b.String()
		}
		name := tpl[i+2 : i+end]
		tpl = tpl[i+end+1:]
		switch {
		case strings.HasPrefix(name, "!"):
			b.WriteString("${" + name[1:] + "}")
		case vars[name] != nil:
			b.WriteString(s.str(vars[name]))
		default:
			if v, ok := s.pseudo(name); ok {
				b.WriteString(v)
			} else if id, attr, dot := strings.Cut(name, "."); dot {
				b.WriteString(s.attr(id, attr))
			} else {
				b.WriteString(s.attr(name, ""))
			}
		}
	}
}

// attr resolves Ref (attr "") or Fn::GetAtt of a resource or parameter of
// this stack to the value CloudFormation returns, as far as the template
// fixes it: names given in properties, ARNs built from them.
func (s *scope) attr(id, attr string) string {
	res, ok := s.st.resources[id]
	if !ok {
		if v, passed := s.st.parentParams[id]; passed && s.st.parent != nil {
			p := &scope{a: s.a, st: s.st.parent, depth: s.depth + 1}
			return p.str(v)
		}
		if _, param := s.st.params[id]; param {
			return s.hole("parameter " + id)
		}
		return s.hole("Ref " + id)
	}
	typ, _ := res["Type"].(string)
	props, _ := res["Properties"].(map[string]interface{})
	named := func(prop string) string {
		if v, ok := props[prop]; ok && v != nil {
			return s.str(v)
		}
		return s.hole("generated name of " + id)
	}
	p, acct, region := s.partition(), s.account(), s.region()
	switch typ + "." + attr {
	case "AWS::IAM::Role.", "AWS::IAM::User.", "AWS::IAM::Group.":
		return named(nameProp[typ])
	case "AWS::IAM::Role.Arn":
		return "arn:" + p + ":iam::" + acct + ":role" + rolePath(s.str(props["Path"])) + named("RoleName")
	case "AWS::IAM::User.Arn":
		return "arn:" + p + ":iam::" + acct + ":user" + rolePath(s.str(props["Path"])) + named("UserName")
	case "AWS::IAM::ManagedPolicy.", "AWS::IAM::ManagedPolicy.PolicyArn":
		return "arn:" + p + ":iam::" + acct + ":policy" + rolePath(s.str(props["Path"])) + named("ManagedPolicyName")
	case "AWS::S3::Bucket.":
		return named("BucketName")
	case "AWS::S3::Bucket.Arn":
		return "arn:" + p + ":s3:::" + named("BucketName")
	case "AWS::KMS::Key.", "AWS::KMS::Key.KeyId":
		return s.hole("key ID of " + id)
	case "AWS::KMS::Key.Arn":
		return "arn:" + p + ":kms:" + region + ":" + acct + ":key/" + s.hole("key ID of "+id)
	case "AWS::KMS::Alias.":
		return named("AliasName")
	case "AWS::SNS::Topic.", "AWS::SNS::Topic.TopicArn":
		return "arn:" + p + ":sns:" + region + ":" + acct + ":" + named("TopicName")
	case "AWS::SNS::Topic.TopicName":
		return named("TopicName")
	case "AWS::CodeBuild::Project.":
		return named("Name")
	case "AWS::CodeBuild::Project.Arn":
		return "arn:" + p + ":codebuild:" + region + ":" + acct + ":project/" + named("Name")
	case "AWS::Lambda::Function.":
		return named("FunctionName")
	case "AWS::Lambda::Function.Arn":
		return "arn:" + p + ":lambda:" + region + ":" + acct + ":function:" + named("FunctionName")
	case "AWS::CodePipeline::Pipeline.":
		return named("Name")
	case "AWS::CodeDeploy::Application.":
		return named("ApplicationName")
	case "AWS::CodeDeploy::DeploymentConfig.":
		return named("DeploymentConfigName")
	case "AWS::CodeDeploy::DeploymentGroup.":
		return named("DeploymentGroupName")
	case "AWS::CloudFormation::StackSet.":
		return named("StackSetName")
	}
	if out, ok := strings.CutPrefix(attr, "Outputs."); ok && typ == "AWS::CloudFormation::Stack" {
		if n := s.st.nested[id]; n != nil {
			o, _ := n.outputs[out].(map[string]interface{})
			if v, ok := o["Value"]; ok {
				ns := &scope{a: s.a, st: n, depth: s.depth + 1}
				return ns.str(v)
			}
		}
	}
	if attr == "" {
		return s.hole("Ref " + id)
	}
	return s.hole(id + "." + attr)
}

var nameProp = map[string]string{
	"AWS::IAM::Role":  "RoleName",
	"AWS::IAM::User":  "UserName",
	"AWS::IAM::Group": "GroupName",
}

// rolePath is an IAM path as it appears in an ARN: "/" by default.
func rolePath(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// target is the resource that v refers to by Ref or Fn::GetAtt, in this
// stack or, through Fn::ImportValue, in another stack of the assembly.
func (s *scope) target(v interface{}) (*tmplStack, string, bool) {
	m, ok := v.(map[string]interface{})
	if !ok || len(m) != 1 || s.depth > maxDepth {
		return nil, "", false
	}
	switch {
	case m["Ref"] != nil:
		id, _ := m["Ref"].(string)
		if _, ok := s.st.resources[id]; ok {
			return s.st, id, true
		}
		if v, passed := s.st.parentParams[id]; passed && s.st.parent != nil {
			p := &scope{a: s.a, st: s.st.parent, depth: s.depth + 1}
			return p.target(v)
		}
	case m["Fn::GetAtt"] != nil:
		switch a := m["Fn::GetAtt"].(type) {
		case []interface{}:
			if len(a) == 2 {
				id, _ := a[0].(string)
				attr, _ := a[1].(string)
				if out, ok := strings.CutPrefix(attr, "Outputs."); ok && s.st.nested[id] != nil {
					o, _ := s.st.nested[id].outputs[out].(map[string]interface{})
					ns := &scope{a: s.a, st: s.st.nested[id], depth: s.depth + 1}
					return ns.target(o["Value"])
				}
				if _, ok := s.st.resources[id]; ok {
					return s.st, id, true
				}
			}
		case string:
			id, _, _ := strings.Cut(a, ".")
			if _, ok := s.st.resources[id]; ok {
				return s.st, id, true
			}
		}
	case m["Fn::ImportValue"] != nil:
		if other, out, ok := s.a.export(s.str(m["Fn::ImportValue"])); ok {
			o := &scope{a: s.a, st: other, depth: s.depth + 1}
			return o.target(out)
		}
	}
	return nil, "", false
}

// resourcesOfType lists the logical IDs of a stack's resources of one type,
// sorted.
func (st *tmplStack) resourcesOfType(typ string) []string {
	var ids []string
	for id, r := range st.resources {
		if r["Type"] == typ {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}
