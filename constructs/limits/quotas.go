package limits

import (
	"errors"
	"fmt"
	"strings"
)

// Quotas declares the adjustable AWS quotas of Table that Service Quotas
// raised above AWS's default in every account a configuration deploys to
// (tooling, target accounts, and every account of the organizational units
// an environment deploys to): a synth cannot see a raised quota, so Relay
// holds every account to the default unless told. The zero value holds
// each quota at its default (Table's Max); a field left 0 keeps its
// default. A declared value must be at least the default and at most the
// maximum AWS documents (see Adjustables; Validate).
//
// Pass it to the checks that read these quotas: Quotas.CheckDir and
// Quotas.CheckTemplate on the written templates, and the Quotas field of
// target.Props and codedeploy.ServerProps. It is a plain value: two Apps in
// one process may check against different Quotas.
type Quotas struct {
	// IAMManagedPoliciesPerRole is the number of managed policies IAM
	// attaches to one role (IAMRoleManagedPolicies; Service Quotas:
	// "Managed policies per role"): 10 by default, at most 25, the maximum
	// quota of IAM's quota page (older AWS pages, such as the knowledge
	// center's on policy size, still say 20). Default: 0, the default
	// quota.
	IAMManagedPoliciesPerRole int
	// IAMRoleTrustPolicyLength is the length of a role's trust policy in
	// characters, white space not counted (IAMTrustPolicy; Service Quotas:
	// "Role trust policy length"): 2,048 by default, at most 4,096, the
	// maximum quota of IAM's quota page
	// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
	// Some third-party pages give 8,192; Relay follows the official page
	// and refuses a larger value, which an account at 4,096 would fail to
	// deploy. Default: 0, the default quota.
	IAMRoleTrustPolicyLength int
	// CodeDeployAutoScalingGroups is the number of Auto Scaling groups in
	// one CodeDeploy deployment group (CodeDeployASGs; "Auto Scaling
	// groups in a deployment group"): 10 by default; CodeDeploy's quota
	// page lists it as adjustable and states no maximum, so any value of
	// at least 10 is taken as declared. It is a quota of each Region, raised
	// region by region. Default: 0, the default quota.
	CodeDeployAutoScalingGroups int
}

// Adjustable is a quota of Table that Service Quotas can raise in an
// account, and how Quotas declares it.
type Adjustable struct {
	// ID is the quota's Table row.
	ID string
	// Field is its field of the configuration's quotas section, such as
	// iamManagedPoliciesPerRole; GoField its field of Quotas.
	Field, GoField string
	// Most is the largest value AWS documents for it; 0 when AWS documents
	// none.
	Most int
	// Source is the AWS page that says it is adjustable (and Most).
	Source string
	// get reads its value from a Quotas.
	get func(Quotas) int
}

// Adjustables are the adjustable quotas that Quotas declares, in the order
// of its fields. The other rows of Table are fixed by AWS (character and
// size limits of IAM, KMS and S3 policies, CloudFormation's per-stack and
// template limits, CodePipeline's and CodeDeploy's API limits), or are a
// default Relay only stays well below (CodeBuildConcurrent).
var Adjustables = []Adjustable{
	{IAMRoleManagedPolicies, "iamManagedPoliciesPerRole", "IAMManagedPoliciesPerRole", 25, iamQuotas,
		func(q Quotas) int { return q.IAMManagedPoliciesPerRole }},
	{IAMTrustPolicy, "iamRoleTrustPolicyLength", "IAMRoleTrustPolicyLength", 4096, iamQuotas,
		func(q Quotas) int { return q.IAMRoleTrustPolicyLength }},
	{CodeDeployASGs, "codeDeployAutoScalingGroups", "CodeDeployAutoScalingGroups", 0, codeDeployQuotas,
		func(q Quotas) int { return q.CodeDeployAutoScalingGroups }},
}

// AdjustableByID is the Adjustables entry of the quota id, and whether
// there is one.
func AdjustableByID(id string) (Adjustable, bool) {
	for _, a := range Adjustables {
		if a.ID == id {
			return a, true
		}
	}
	return Adjustable{}, false
}

// Declared is the value q declares for the quota id: 0 when q keeps its
// default, or id is not adjustable.
func (q Quotas) Declared(id string) int {
	if a, ok := AdjustableByID(id); ok {
		return a.get(q)
	}
	return 0
}

// Max is the largest allowed value of the quota id in accounts with
// quotas q: the declared value, or Table's Max (see limits.Max).
func (q Quotas) Max(id string) int { return q.Limit(id).Max }

// Limit is the quota id as it holds in accounts with quotas q: Table's
// row (ByID), with Max, What and Fix of the declared value when q declares
// one. It panics for an unknown id, as ByID.
func (q Quotas) Limit(id string) Limit {
	l := ByID(id)
	a, ok := AdjustableByID(id)
	if !ok {
		return l
	}
	v := a.get(q)
	if v == 0 {
		return l
	}
	l.Max = v
	switch {
	case strings.HasSuffix(l.What, " (default quota)"):
		l.What = strings.TrimSuffix(l.What, " (default quota)") + " (quota declared raised)"
	case strings.HasSuffix(l.What, ")"): // "(characters)"
		l.What = strings.TrimSuffix(l.What, ")") + "; quota declared raised)"
	default:
		l.What += " (quota declared raised)"
	}
	l.Fix = a.fixes()
	if a.Most == 0 || v < a.Most {
		l.Fix += fmt.Sprintf("; or raise the quota further in Service Quotas%s, in every account this deploys to, and declare the new value (%s)", a.upTo(), a.names())
	}
	return l
}

// upTo is " (up to <Most>)", or "" when AWS documents no maximum.
func (a Adjustable) upTo() string {
	if a.Most == 0 {
		return ""
	}
	return fmt.Sprintf(" (up to %d)", a.Most)
}

// names names a's field in both vocabularies.
func (a Adjustable) names() string {
	return fmt.Sprintf("quotas.%s in relay.yaml, limits.Quotas.%s in Go", a.Field, a.GoField)
}

// raiseAdvice starts the advice of Table's Fix to declare a raised quota.
const raiseAdvice = "; or, once Service Quotas raised"

// fixes are the fixes that hold whatever the quota: the part of Table's Fix
// before the advice to declare a raised quota (raiseAdvice).
func (a Adjustable) fixes() string {
	fix, _, _ := strings.Cut(ByID(a.ID).Fix, raiseAdvice)
	return fix
}

// Basis says where the number q.Max(id) comes from, for a message that
// names the declaring field as field (the caller's own vocabulary, such as
// quotas.iamManagedPoliciesPerRole or Quotas.IAMManagedPoliciesPerRole):
// "the default quota" or "the quota declared in <field>".
func (q Quotas) Basis(id, field string) string {
	if q.Declared(id) == 0 {
		return "the default quota"
	}
	return "the quota declared in " + field
}

// RaiseFix is the fix of declaring a raised quota id large enough for
// need, in a message that names the declaring field as field: "once
// Service Quotas raised the quota to at least <need> (AWS allows up to
// <Most>) in every account this deploys to, declare it in <field>". When
// need is within the quota q already holds (a finding near the limit, a
// warning), any raise makes room and the fix reads "raised the quota above
// <q.Max(id)>". It is "" when id is not adjustable, when need is more than
// AWS allows, or when q already holds the quota at AWS's maximum: no
// declaration would fit it, and a user who declared the maximum is never
// told to declare it again.
func (q Quotas) RaiseFix(id, field string, need int) string {
	a, ok := AdjustableByID(id)
	if !ok {
		return ""
	}
	held := q.Max(id)
	if a.Most > 0 && (need > a.Most || held >= a.Most) {
		return ""
	}
	allows := ""
	if a.Most > 0 {
		allows = fmt.Sprintf(" (AWS allows up to %d)", a.Most)
	}
	to := fmt.Sprintf("to at least %d", need)
	if need <= held {
		to = fmt.Sprintf("above %d", held)
	}
	return fmt.Sprintf("once Service Quotas raised the quota %s%s in every account this deploys to, declare it in %s", to, allows, field)
}

// Validate checks every declared value (Problems) and returns every
// problem at once (errors.Join), or nil.
func (q Quotas) Validate() error {
	var errs []error
	for _, p := range q.Problems() {
		errs = append(errs, errors.New(p))
	}
	return errors.Join(errs...)
}

// Problems are the declared values that AWS would not grant, each as
// "<GoField> <value>: <rule and fix>" (Adjustable.Rule, in Go's words: a
// field is left 0 for the default, not left out), in the order of
// Adjustables: a value must be at least AWS's default (Table's Max) and at
// most AWS's documented maximum.
func (q Quotas) Problems() []string {
	var out []string
	for _, a := range Adjustables {
		if msg := a.rule(a.get(q), "leave it 0"); msg != "" {
			out = append(out, fmt.Sprintf("%s %d: %s", a.GoField, a.get(q), msg))
		}
	}
	return out
}

// Rule is what is wrong with v as a declared value of a in a
// configuration's quotas section, or "": v (when not 0, the default) must
// be at least the default and at most AWS's documented maximum. Its fix
// ends "or leave it out for the default".
func (a Adjustable) Rule(v int) string { return a.rule(v, "leave it out") }

// rule is Rule, whose fix ends "or <leave> for the default".
func (a Adjustable) rule(v int, leave string) string {
	def := ByID(a.ID).Max
	switch {
	case v == 0:
		return ""
	case a.Most > 0 && (v < def || v > a.Most):
		return fmt.Sprintf("must be %d (AWS's default) to %d (the most Service Quotas grants, %s); declare the value Service Quotas shows in every account this deploys to, or %s for the default", def, a.Most, a.Source, leave)
	case v < def:
		return fmt.Sprintf("must be at least %d, AWS's default (%s); declare the value Service Quotas shows in every account this deploys to, or %s for the default", def, a.Source, leave)
	}
	return ""
}
