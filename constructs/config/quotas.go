package config

import (
	"strconv"

	"github.com/relaycdk/relay/constructs/limits"
)

// Quotas declares AWS quotas that Service Quotas raised above AWS's
// default. A synth cannot see an account's quotas, so Relay holds every
// account to AWS's default (limits.Table) unless the quota is declared
// here; declare one only after Service Quotas shows the raised value in
// every account this configuration deploys to: the tooling account, each
// environment's account and accounts, and every account of the
// organizational units of organizationalUnits environments. One value
// holds for all of them. Each field is optional and, when written, at
// least AWS's default and at most the largest value AWS documents
// (limits.Adjustables). Default: every quota at AWS's default.
type Quotas struct {
	// IAMManagedPoliciesPerRole is the number of managed policies IAM
	// attaches to one role (Service Quotas: IAM, "Managed policies per
	// role"): an execution role takes every ARN of its
	// managedPolicyArns. 10 to 25
	// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
	// Default: 10.
	IAMManagedPoliciesPerRole *int `yaml:"iamManagedPoliciesPerRole,omitempty" json:"iamManagedPoliciesPerRole,omitempty"`
	// IAMRoleTrustPolicyLength is the length of a role's trust policy in
	// characters (Service Quotas: IAM, "Role trust policy length"). 2048
	// to 4096 (the same page). Default: 2048.
	IAMRoleTrustPolicyLength *int `yaml:"iamRoleTrustPolicyLength,omitempty" json:"iamRoleTrustPolicyLength,omitempty"`
	// CodeDeployAutoScalingGroups is the number of Auto Scaling groups in
	// one CodeDeploy deployment group (Service Quotas: CodeDeploy, "Auto
	// Scaling groups in a deployment group"): at least 10; CodeDeploy's
	// quota page lists it adjustable and states no maximum
	// (https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html).
	// It is a quota of each Region: declare it once it is raised in every
	// region where an environment's CodeDeploy group is. Default: 10.
	CodeDeployAutoScalingGroups *int `yaml:"codeDeployAutoScalingGroups,omitempty" json:"codeDeployAutoScalingGroups,omitempty"`
}

// values are q's fields by their limits.Adjustable.Field.
func (q *Quotas) values() map[string]*int {
	return map[string]*int{
		"iamManagedPoliciesPerRole":   q.IAMManagedPoliciesPerRole,
		"iamRoleTrustPolicyLength":    q.IAMRoleTrustPolicyLength,
		"codeDeployAutoScalingGroups": q.CodeDeployAutoScalingGroups,
	}
}

// DeclaredQuotas are the quotas the configuration declares (quotas), as
// the constructs and limits.Quotas.CheckDir take them: the zero value,
// every quota at AWS's default, without a quotas section. A declared value
// that validation refuses counts as the default, so that the field alone
// reports it.
func (c *Config) DeclaredQuotas() limits.Quotas {
	var out limits.Quotas
	if c.Quotas == nil {
		return out
	}
	get := func(id string, v *int) int {
		a, _ := limits.AdjustableByID(id)
		if v == nil || a.Rule(*v) != "" {
			return 0
		}
		return *v
	}
	out.IAMManagedPoliciesPerRole = get(limits.IAMRoleManagedPolicies, c.Quotas.IAMManagedPoliciesPerRole)
	out.IAMRoleTrustPolicyLength = get(limits.IAMTrustPolicy, c.Quotas.IAMRoleTrustPolicyLength)
	out.CodeDeployAutoScalingGroups = get(limits.CodeDeployASGs, c.Quotas.CodeDeployAutoScalingGroups)
	return out
}

// validateQuotas checks quotas: each declared value at least AWS's default
// and at most AWS's documented maximum (limits.Adjustable.Rule; a written 0
// is refused, not the default), and at least one declared.
func (c *Config) validateQuotas(p *problems) {
	if c.Quotas == nil {
		return
	}
	values := c.Quotas.values()
	declared := 0
	for _, a := range limits.Adjustables {
		v := values[a.Field]
		if v == nil {
			continue
		}
		declared++
		rule := a.Rule(*v)
		if *v == 0 {
			rule = a.Rule(-1) // 0 is Rule's "default", and refused as written
		}
		p.add("quotas."+a.Field, strconv.Itoa(*v), rule)
	}
	if declared == 0 {
		p.add("quotas", "", "declares no quota; remove it for AWS's defaults, or declare iamManagedPoliciesPerRole, iamRoleTrustPolicyLength or codeDeployAutoScalingGroups")
	}
}

// quotaPath is the configuration field that declares the quota id.
func quotaPath(id string) string {
	a, _ := limits.AdjustableByID(id)
	return "quotas." + a.Field
}
