package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/iampolicy"
)

// pipelineStages are the stages of one pipeline resource.
type pipelineStage struct {
	name    string
	actions []pipelineAction
}

type pipelineAction struct {
	name, category, provider string
	runOrder                 int
	roleArn                  string
}

func stagesOf(r resource) []pipelineStage {
	var out []pipelineStage
	for _, s := range asList(r.props["Stages"]) {
		sm, _ := s.(m)
		st := pipelineStage{name: text(sm["Name"])}
		for _, a := range asList(sm["Actions"]) {
			am, _ := a.(m)
			t, _ := am["ActionTypeId"].(m)
			order := 1
			if n, ok := am["RunOrder"].(float64); ok {
				order = int(n)
			}
			st.actions = append(st.actions, pipelineAction{name: text(am["Name"]), category: text(t["Category"]), provider: text(t["Provider"]), runOrder: order, roleArn: text(am["RoleArn"])})
		}
		out = append(out, st)
	}
	return out
}

// changeManagement: each pipeline's stages, the approval that gates its
// last deploy stage, who may approve, and change-set review.
func (f *facts) changeManagement() finding {
	var fd finding
	pipelines := f.ofType("AWS::CodePipeline::Pipeline")
	if len(pipelines) == 0 {
		fd.gap("no CodePipeline pipeline in the templates")
		return fd
	}
	for _, p := range pipelines {
		stages := stagesOf(p)
		var names []string
		lastDeploy := -1
		for i, s := range stages {
			names = append(names, s.name)
			for _, a := range s.actions {
				if a.category == "Deploy" {
					lastDeploy = i
				}
			}
		}
		fd.add(p, "pipeline stages, in order: %s; every change enters through the Source stage and is built before any deployment", strings.Join(names, " → "))
		for i, s := range stages {
			firstDeploy := 0
			changeSet := false
			for _, a := range s.actions {
				if a.category == "Deploy" && (firstDeploy == 0 || a.runOrder < firstDeploy) {
					firstDeploy = a.runOrder
				}
				if a.provider == "CloudFormation" && strings.HasPrefix(a.name, "Prepare") {
					changeSet = true
				}
			}
			if firstDeploy == 0 {
				continue
			}
			// An approval gates the deployments only when it runs before
			// the first of them: actions of one run order run in parallel.
			// Source: https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-pipeline-structure.html
			approval, late := "", ""
			for _, a := range s.actions {
				switch {
				case a.category != "Approval":
				case a.runOrder < firstDeploy && approval == "":
					approval = fmt.Sprintf("%s (run order %d)", a.name, a.runOrder)
				case a.runOrder >= firstDeploy && late == "":
					late = fmt.Sprintf("%s (run order %d)", a.name, a.runOrder)
				}
			}
			switch {
			case approval != "":
				fd.add(p, "stage %s: manual approval %s before its deployments", s.name, approval)
			case i == lastDeploy && late != "":
				fd.gap("the last deploy stage %s (production) deploys alongside or before its approval %s, not after it (first deployment at run order %d): give the approval a lower run order", s.name, late, firstDeploy)
			case i == lastDeploy:
				fd.gap("the last deploy stage %s (production) deploys without a manual approval: set approval on that environment", s.name)
			}
			if changeSet {
				fd.add(p, "stage %s: CloudFormation change sets are created (Prepare) before they are executed (Deploy)", s.name)
			}
		}
		approvers := f.approvers(p)
		if len(approvers) == 0 && hasApproval(stages) {
			fd.gap("who may approve is not pinned in the templates: any principal the tooling account's IAM policies allow codepipeline:PutApprovalResult may approve (set approval.principals to create an approver role)")
		}
		fd.evidence = append(fd.evidence, approvers...)
	}
	return fd
}

func hasApproval(stages []pipelineStage) bool {
	for _, s := range stages {
		for _, a := range s.actions {
			if a.category == "Approval" {
				return true
			}
		}
	}
	return false
}

// approvers are the roles that may call codepipeline:PutApprovalResult on
// pipeline p, with the principals their trust admits.
func (f *facts) approvers(p resource) []Evidence {
	var out []Evidence
	for _, r := range f.ofType("AWS::IAM::Role") {
		if r.stack != p.stack {
			continue
		}
		approves := false
		for _, s := range f.policiesOf(r) {
			for _, a := range s.Actions {
				if a == "codepipeline:PutApprovalResult" && s.Effect == "Allow" {
					approves = true
				}
			}
		}
		if !approves {
			continue
		}
		var who []string
		for _, s := range statements(r.props["AssumeRolePolicyDocument"]) {
			w := strings.Join(s.Principals, ", ")
			if s.Conditions != "" {
				w += " when " + s.Conditions
			}
			who = append(who, w)
		}
		out = append(out, Evidence{Stack: r.stack.Name, Resource: r.id, Fact: "who may approve: role " + text(r.props["RoleName"]) + " may only approve or reject this pipeline's approvals; it trusts " + strings.Join(who, "; ")})
	}
	return out
}

// auditTrail: trails (or an existing organization trail named in an
// output), alarms and event rules.
func (f *facts) auditTrail() finding {
	var fd finding
	for _, t := range f.ofType("AWS::CloudTrail::Trail") {
		var data []string
		for _, sel := range asList(t.props["EventSelectors"]) {
			sm, _ := sel.(m)
			for _, d := range asList(sm["DataResources"]) {
				dm, _ := d.(m)
				data = append(data, strs(dm["Values"])...)
			}
		}
		key := refID(t.props["KMSKeyId"])
		if key == "" {
			key = text(t.props["KMSKeyId"])
		}
		if key == "" {
			fd.gap("trail %s: log files are not encrypted with a KMS key", text(t.props["TrailName"]))
			key = "no KMS key"
		}
		fd.add(t, "CloudTrail trail %s: logging %v, multi-region %v, log file validation %v, log files encrypted with KMS key %s; data events of %s",
			text(t.props["TrailName"]), t.props["IsLogging"] == true, t.props["IsMultiRegionTrail"] == true, t.props["EnableLogFileValidation"] == true,
			key, orNone(strings.Join(data, ", ")))
		// IsLogging is required, and false means the trail records nothing.
		// Source: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudtrail-trail.html
		if t.props["IsLogging"] != true {
			fd.gap("trail %s: logging is off (IsLogging is not true), so it records nothing: set IsLogging to true", text(t.props["TrailName"]))
		}
		if t.props["EnableLogFileValidation"] != true {
			fd.gap("trail %s: log file validation is off", text(t.props["TrailName"]))
		}
	}
	for _, s := range f.stacksWithOutput("AuditTrail") {
		if len(f.ofType("AWS::CloudTrail::Trail")) == 0 {
			fd.evidence = append(fd.evidence, Evidence{Stack: s.name, Fact: "the stack names an existing trail, not created here, as the recorder of the artifact buckets' data events: " + s.value})
			// The trail is outside the templates: what it records, and
			// how it validates and keeps its log files, is not shown here.
			fd.gap("trail %s is not in the templates: check in its account that it is logging, records the data events of the artifact buckets, validates its log files and keeps them 12 months", s.value)
		}
	}
	if len(fd.evidence) == 0 {
		fd.gap("no CloudTrail trail, and none named: set audit.trail, or audit.organizationTrail for an existing one")
	}
	alarms := f.ofType("AWS::CloudWatch::Alarm")
	recording, announcing := f.pipelineEventRules()
	if len(alarms) > 0 || recording > 0 || announcing > 0 {
		var names []string
		for _, a := range alarms {
			names = append(names, text(a.props["AlarmName"]))
		}
		fd.evidence = append(fd.evidence, Evidence{Fact: fmt.Sprintf("EventBridge rules on the pipeline's state changes: %d record them in CloudWatch Logs, %d announce them to SNS topics; %d alarms: %s", recording, announcing, len(alarms), orNone(strings.Join(uniq(names), ", ")))})
	}
	return fd
}

// pipelineEventRules counts the EventBridge rules on CodePipeline's events
// (source aws.codepipeline) that record them (a CloudWatch Logs log group
// target) and that announce them (an SNS topic target); a rule that does
// neither, such as one that invokes a function, is not counted.
func (f *facts) pipelineEventRules() (recording, announcing int) {
	for _, r := range f.ofType("AWS::Events::Rule") {
		pattern, _ := r.props["EventPattern"].(m)
		if !contains(strs(pattern["source"]), "aws.codepipeline") {
			continue
		}
		logs, sns := false, false
		for _, t := range asList(r.props["Targets"]) {
			tm, _ := t.(m)
			arn := text(tm["Arn"])
			target := f.byID[r.stack.Name][refID(tm["Arn"])]
			logs = logs || strings.Contains(arn, ":log-group:") || target.typ == "AWS::Logs::LogGroup"
			sns = sns || strings.Contains(arn, ":sns:") || target.typ == "AWS::SNS::Topic"
		}
		if logs {
			recording++
		}
		if sns {
			announcing++
		}
	}
	return recording, announcing
}

type output struct{ name, value string }

func (f *facts) stacksWithOutput(key string) []output {
	var out []output
	seen := map[string]bool{}
	for _, r := range f.resources {
		s := r.stack
		if seen[s.Name] {
			continue
		}
		seen[s.Name] = true
		outs, _ := s.Template["Outputs"].(m)
		if o, ok := outs[key].(m); ok {
			out = append(out, output{s.Name, text(o["Value"])})
		}
	}
	return out
}

// logRetention: the audit trail, every log group's retention and the
// trail bucket's expiry; PCI DSS 10.5.1 asks for 12 months.
func (f *facts) logRetention(audit finding) finding {
	fd := finding{evidence: append([]Evidence(nil), audit.evidence...), gaps: append([]string(nil), audit.gaps...)}
	for _, g := range f.ofType("AWS::Logs::LogGroup") {
		days, ok := g.props["RetentionInDays"].(float64)
		switch {
		case !ok:
			fd.add(g, "log group %s: kept forever", orNone(text(g.props["LogGroupName"])))
		case days < 365:
			fd.gap("log group %s (%s): kept %d days, under the 12 months PCI DSS 10.5.1 asks", text(g.props["LogGroupName"]), g.id, int(days))
		default:
			fd.add(g, "log group %s: kept %d days", orNone(text(g.props["LogGroupName"])), int(days))
		}
	}
	for _, t := range f.ofType("AWS::CloudTrail::Trail") {
		if b, ok := f.byID[t.stack.Name][refID(t.props["S3BucketName"])]; ok {
			for _, days := range expirations(b) {
				if days < 365 {
					fd.gap("trail bucket %s: log files expire after %d days, under 12 months", b.id, days)
				} else {
					fd.add(b, "trail log files expire after %d days", days)
				}
			}
		}
	}
	return fd
}

func expirations(b resource) []int {
	var out []int
	lc, _ := b.props["LifecycleConfiguration"].(m)
	for _, r := range asList(lc["Rules"]) {
		rm, _ := r.(m)
		if d, ok := rm["ExpirationInDays"].(float64); ok {
			out = append(out, int(d))
		}
	}
	return out
}

// leastPrivilege: every role, its trust conditions, and no
// AdministratorAccess or full-access statements.
func (f *facts) leastPrivilege() finding {
	var fd finding
	roles := f.ofType("AWS::IAM::Role")
	if len(roles) == 0 {
		fd.gap("no IAM role in the templates")
		return fd
	}
	conditioned, bounded := 0, 0
	for _, r := range roles {
		for _, arn := range strs(r.props["ManagedPolicyArns"]) {
			if strings.HasSuffix(arn, "/AdministratorAccess") {
				fd.gap("role %s (%s) has AdministratorAccess", text(r.props["RoleName"]), r.id)
			}
		}
		policies := f.policiesOf(r)
		if full := fullAccess(policies); len(full) > 0 {
			fd.gap("role %s (%s) is allowed whole services: %s", orNone(text(r.props["RoleName"])), r.id, strings.Join(full, ", "))
		}
		if w := unboundedIAMWrite(policies); len(w) > 0 {
			fd.gap("role %s (%s) may %s without an iam:PermissionsBoundary condition: a role it creates or changes could hold more than it does", orNone(text(r.props["RoleName"])), r.id, strings.Join(w, ", "))
		}
		// A customer managed policy of the account is not in the
		// templates: what it allows is not shown here.
		if outside := outsidePolicies(r); len(outside) > 0 {
			capped := ""
			if r.props["PermissionsBoundary"] != nil {
				capped = " (its permissions boundary, in the templates, caps them)"
			}
			fd.gap("role %s (%s) has managed policies that the templates do not hold: %s; what they allow is not shown here%s: check them in the account", orNone(text(r.props["RoleName"])), r.id, strings.Join(outside, ", "), capped)
		}
		trust := statements(r.props["AssumeRolePolicyDocument"])
		all := len(trust) > 0
		for _, s := range trust {
			if s.Conditions == "" && !onlyServices(s.Principals) {
				all = false
			}
		}
		if all {
			conditioned++
		}
		if r.props["PermissionsBoundary"] != nil {
			bounded++
		}
	}
	caps := f.boundaries()
	for _, p := range f.ofType("AWS::IAM::ManagedPolicy") {
		if caps[p.stack.Name+"/"+p.id] {
			continue
		}
		if full := fullAccess(statements(p.props["PolicyDocument"])); len(full) > 0 {
			fd.gap("managed policy %s allows whole services: %s", p.id, strings.Join(full, ", "))
		}
	}
	fd.evidence = append(fd.evidence, Evidence{Fact: fmt.Sprintf("%d IAM roles, none with AdministratorAccess or a whole-service (service:*) statement in the templates unless listed as a gap; %d trust only AWS services or principals pinned by a condition (such as aws:PrincipalArn or aws:SourceArn); %d have a permissions boundary", len(roles), conditioned, bounded)})
	for _, r := range roles {
		if name := text(r.props["RoleName"]); name != "" {
			var who []string
			for _, s := range statements(r.props["AssumeRolePolicyDocument"]) {
				w := strings.Join(s.Principals, ", ")
				if s.Conditions != "" {
					w += " when " + s.Conditions
				}
				who = append(who, w)
			}
			fd.add(r, "role %s trusts %s", name, strings.Join(who, "; "))
		}
	}
	return fd
}

// boundaries are the managed policies (by stack name and logical ID) that
// serve only as permissions boundaries: attached to no role, user or
// group, and named by a role's PermissionsBoundary (a Ref, or the ARN) or
// by an iam:PermissionsBoundary condition (the boundary that the roles a
// policy creates must carry). A boundary grants nothing: it caps what an
// identity's own policies grant (IAM User Guide, "Permissions boundaries
// for IAM entities",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html),
// so its Allow of * (Relay's CapWithoutGranting) is no whole-service grant.
func (f *facts) boundaries() map[string]bool {
	var named []string // the ARNs that roles and conditions give as a boundary
	refs := map[string]bool{}
	collect := func(sts []statement) {
		for _, s := range sts {
			cm, _ := s.rawConds.(m)
			for _, keys := range cm {
				km, _ := keys.(m)
				for k, v := range km {
					if strings.EqualFold(k, "iam:PermissionsBoundary") {
						named = append(named, strs(v)...)
					}
				}
			}
		}
	}
	for _, r := range f.resources {
		switch r.typ {
		case "AWS::IAM::Role", "AWS::IAM::User":
			if id := refID(r.props["PermissionsBoundary"]); id != "" {
				refs[r.stack.Name+"/"+id] = true
			} else if arn := text(r.props["PermissionsBoundary"]); arn != "" {
				named = append(named, arn)
			}
			for _, p := range asList(r.props["Policies"]) {
				pm, _ := p.(m)
				collect(statements(pm["PolicyDocument"]))
			}
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
			collect(statements(r.props["PolicyDocument"]))
		}
	}
	out := map[string]bool{}
	for _, p := range f.ofType("AWS::IAM::ManagedPolicy") {
		if p.props["Roles"] != nil || p.props["Users"] != nil || p.props["Groups"] != nil {
			continue
		}
		key := p.stack.Name + "/" + p.id
		name := text(p.props["ManagedPolicyName"])
		path := text(p.props["Path"])
		if path == "" {
			path = "/"
		}
		if refs[key] || (name != "" && slices.ContainsFunc(named, func(arn string) bool { return strings.HasSuffix(arn, ":policy"+path+name) })) {
			out[key] = true
		}
	}
	return out
}

// iamWrite are the IAM actions that create or widen an identity's
// permissions.
var iamWrite = []string{"iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreateUser", "iam:PutUserPolicy", "iam:AttachUserPolicy"}

// unboundedIAMWrite are the iamWrite actions that Allow statements grant
// without the permissions boundary: neither does the Allow statement
// require iam:PermissionsBoundary (boundaryCondition), nor does a Deny
// statement of the same policies refuse the action when the request does
// not set it (deniedWithoutBoundary: Relay's DenyWritesWithoutTheBoundary).
func unboundedIAMWrite(sts []statement) []string {
	var out []string
	for _, s := range sts {
		if s.Effect != "Allow" || boundaryCondition(s.rawConds, false) {
			continue
		}
		for _, a := range s.Actions {
			if (contains(iamWrite, a) || a == "iam:*" || a == "*") && !contains(out, a) && !deniedWithoutBoundary(sts, a) {
				out = append(out, a)
			}
		}
		// NotAction allows every write it does not name.
		for _, a := range iamWrite {
			if len(s.NotActions) > 0 && !slices.ContainsFunc(s.NotActions, func(p string) bool { return iampolicy.Matches(p, a) }) &&
				!contains(out, a) && !deniedWithoutBoundary(sts, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// deniedWithoutBoundary reports whether a Deny statement of sts refuses
// action on every resource ("*") unless the request sets the permissions
// boundary: its only condition is a negated one on iam:PermissionsBoundary
// (boundaryCondition). A wildcard action (iam:*, *) is denied when every
// iamWrite action is.
func deniedWithoutBoundary(sts []statement, action string) bool {
	if action == "iam:*" || action == "*" {
		for _, a := range iamWrite {
			if !deniedWithoutBoundary(sts, a) {
				return false
			}
		}
		return true
	}
	for _, s := range sts {
		if s.Effect != "Deny" || !contains(s.Resources, "*") || !boundaryCondition(s.rawConds, true) {
			continue
		}
		for _, p := range s.Actions {
			if iampolicy.Matches(p, action) {
				return true
			}
		}
	}
	return false
}

// boundaryCondition reports whether the condition block conds (a
// statement's Condition) tests iam:PermissionsBoundary, the boundary that a
// request attaches (IAM User Guide, "Permissions boundaries for IAM
// entities",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
// Not negated, for an Allow: an operator that requires the key to equal or
// match (StringEquals, StringLike, ArnEquals, ArnLike; without IfExists,
// which would also allow a request without a boundary), among any others.
// Negated, for a Deny: the block is that one test, with StringNotEquals,
// StringNotLike, ArnNotEquals or ArnNotLike (IfExists or not: a request
// without the key is denied either way); another condition would narrow
// the Deny to some requests.
func boundaryCondition(conds interface{}, negated bool) bool {
	cm, _ := conds.(m)
	if negated && len(cm) != 1 {
		return false
	}
	for op, keys := range cm {
		km, _ := keys.(m)
		if negated && len(km) != 1 {
			return false
		}
		has := false
		for k := range km {
			has = has || strings.EqualFold(k, "iam:PermissionsBoundary")
		}
		if !has {
			continue
		}
		base := strings.TrimSuffix(op, "IfExists")
		if negated {
			return base == "StringNotEquals" || base == "StringNotLike" || base == "ArnNotEquals" || base == "ArnNotLike"
		}
		if op == base && (op == "StringEquals" || op == "StringLike" || op == "ArnEquals" || op == "ArnLike") {
			return true
		}
	}
	return false
}

func onlyServices(principals []string) bool {
	if len(principals) == 0 {
		return false
	}
	for _, p := range principals {
		if !strings.HasPrefix(p, "Service ") {
			return false
		}
	}
	return true
}

// keyManagement: every KMS key, its alias, rotation and deletion window.
func (f *facts) keyManagement() finding {
	var fd finding
	aliases := map[string]string{}
	for _, a := range f.ofType("AWS::KMS::Alias") {
		aliases[a.stack.Name+"/"+refID(a.props["TargetKeyId"])] = text(a.props["AliasName"])
	}
	keys := f.ofType("AWS::KMS::Key")
	if len(keys) == 0 {
		fd.gap("no KMS key in the templates")
	}
	for _, k := range keys {
		name := aliases[k.stack.Name+"/"+k.id]
		if name == "" {
			name = "(no alias)"
		}
		if k.props["EnableKeyRotation"] != true {
			fd.gap("key %s (%s) is not rotated", k.id, name)
			continue
		}
		window := "default 30"
		if d, ok := k.props["PendingWindowInDays"].(float64); ok {
			window = fmt.Sprint(int(d))
		}
		fd.add(k, "KMS key %s: %s; rotated yearly by KMS; deletion waits %s days", name, orNone(text(k.props["Description"])), window)
	}
	return fd
}

// logTarget reports whether another bucket of b's stack delivers its
// server access logs to b.
func (f *facts) logTarget(b resource) bool {
	for _, o := range f.byID[b.stack.Name] {
		if o.typ != "AWS::S3::Bucket" {
			continue
		}
		lc, _ := o.props["LoggingConfiguration"].(m)
		if lc != nil && refID(lc["DestinationBucketName"]) == b.id {
			return true
		}
	}
	return false
}

// encryptionAtRest: buckets, log groups, topics and build projects.
func (f *facts) encryptionAtRest() finding {
	var fd finding
	for _, b := range f.ofType("AWS::S3::Bucket") {
		enc, _ := b.props["BucketEncryption"].(m)
		var algs []string
		for _, r := range asList(enc["ServerSideEncryptionConfiguration"]) {
			rm, _ := r.(m)
			d, _ := rm["ServerSideEncryptionByDefault"].(m)
			a := text(d["SSEAlgorithm"])
			if k := refID(d["KMSMasterKeyID"]); k != "" {
				a += " with " + k
			}
			algs = append(algs, a)
		}
		switch {
		case len(algs) == 0:
			fd.gap("bucket %s has no default encryption", b.id)
		case algs[0] == "AES256" && f.logTarget(b):
			fd.add(b, "bucket %s: SSE-S3 (AES256); S3 delivers server access logs only to SSE-S3 buckets", orNone(text(b.props["BucketName"])))
		case algs[0] == "AES256":
			fd.add(b, "bucket %s: SSE-S3 (AES256)", orNone(text(b.props["BucketName"])))
		default:
			fd.add(b, "bucket %s: %s", orNone(text(b.props["BucketName"])), strings.Join(algs, ", "))
		}
	}
	for _, g := range f.ofType("AWS::Logs::LogGroup") {
		if k := refID(g.props["KmsKeyId"]); k != "" {
			fd.add(g, "log group %s: encrypted with KMS key %s", orNone(text(g.props["LogGroupName"])), k)
		} else {
			fd.gap("log group %s (%s) is not encrypted with a KMS key", text(g.props["LogGroupName"]), g.id)
		}
	}
	for _, t := range f.ofType("AWS::SNS::Topic") {
		if k := refID(t.props["KmsMasterKeyId"]); k != "" {
			fd.add(t, "topic %s: encrypted with KMS key %s", orNone(text(t.props["TopicName"])), k)
		} else {
			fd.gap("topic %s (%s) is not encrypted with a KMS key", text(t.props["TopicName"]), t.id)
		}
	}
	for _, p := range f.ofType("AWS::CodeBuild::Project") {
		if k := refID(p.props["EncryptionKey"]); k != "" {
			fd.add(p, "build project %s: artifacts encrypted with KMS key %s", orNone(text(p.props["Name"])), k)
		}
	}
	return fd
}

// encryptionInTransit: TLS-only bucket and topic policies.
func (f *facts) encryptionInTransit() finding {
	var fd finding
	tls := map[string]string{}
	for _, p := range f.ofType("AWS::S3::BucketPolicy") {
		secure, version := false, ""
		for _, s := range statements(p.props["PolicyDocument"]) {
			if s.Effect != "Deny" {
				continue
			}
			if strings.Contains(s.Conditions, "aws:SecureTransport: false") {
				secure = true
			}
			if strings.Contains(s.Conditions, "s3:TlsVersion") {
				version = " and TLS 1.2 or later"
			}
		}
		if secure {
			tls[p.stack.Name+"/"+refID(p.props["Bucket"])] = "HTTPS only" + version
		}
	}
	for _, b := range f.ofType("AWS::S3::Bucket") {
		if t, ok := tls[b.stack.Name+"/"+b.id]; ok {
			fd.add(b, "bucket %s: its policy denies requests that are not %s", orNone(text(b.props["BucketName"])), t)
		} else {
			fd.gap("bucket %s (%s) accepts requests without TLS", text(b.props["BucketName"]), b.id)
		}
	}
	topicTLS := map[string]bool{}
	for _, p := range f.ofType("AWS::SNS::TopicPolicy") {
		for _, s := range statements(p.props["PolicyDocument"]) {
			if s.Effect == "Deny" && strings.Contains(s.Conditions, "aws:SecureTransport: false") {
				for _, t := range asList(p.props["Topics"]) {
					topicTLS[p.stack.Name+"/"+refID(t)] = true
				}
			}
		}
	}
	for _, t := range f.ofType("AWS::SNS::Topic") {
		if topicTLS[t.stack.Name+"/"+t.id] {
			fd.add(t, "topic %s: its policy denies publishing without TLS", orNone(text(t.props["TopicName"])))
		} else {
			fd.gap("topic %s (%s) accepts publishing without TLS", text(t.props["TopicName"]), t.id)
		}
	}
	return fd
}

// separation: the accounts each deploy stage's actions run in.
func (f *facts) separation() finding {
	var fd finding
	for _, p := range f.ofType("AWS::CodePipeline::Pipeline") {
		accounts := map[string][]string{}
		var order []string
		for _, s := range stagesOf(p) {
			for _, a := range s.actions {
				if a.category != "Deploy" {
					continue
				}
				acct := accountOf(a.roleArn)
				if acct == "" {
					acct = p.stack.Account
				}
				if !contains(accounts[s.name], acct) {
					accounts[s.name] = append(accounts[s.name], acct)
				}
				if !contains(order, s.name) {
					order = append(order, s.name)
				}
			}
		}
		if len(order) == 0 {
			continue
		}
		var parts []string
		for _, s := range order {
			parts = append(parts, s+": account "+strings.Join(accounts[s], ", "))
		}
		fd.add(p, "deploy stages and the accounts they deploy to: %s", strings.Join(parts, "; "))
		last := order[len(order)-1]
		for _, s := range order[:len(order)-1] {
			for _, a := range accounts[s] {
				if contains(accounts[last], a) {
					fd.gap("stage %s deploys to account %s, as the last stage %s does: give production an account of its own", s, a, last)
				}
			}
		}
		if contains(accounts[last], p.stack.Account) {
			fd.gap("the last stage %s deploys into the pipeline's own account %s", last, p.stack.Account)
		}
	}
	if len(fd.evidence) == 0 {
		fd.gap("no deploy stage in the templates")
	}
	return fd
}

// accountOf is the account of a role ARN rendered by text, or "".
func accountOf(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) >= 5 && strings.HasPrefix(arn, "arn:") {
		return parts[4]
	}
	return ""
}

func contains(v []string, s string) bool {
	for _, x := range v {
		if x == s {
			return true
		}
	}
	return false
}

func orNone(s string) string {
	if s == "" {
		return "(generated name)"
	}
	return s
}
