package iameval

import (
	"fmt"
	"sort"
	"strings"

	"github.com/relaycdk/relay/constructs/wiring"
)

// World is the IAM side of a cloud assembly as it would be deployed: every
// role with its trust policy, identity policies and permissions boundary,
// every bucket and key with its resource policy, and the keys' aliases.
// Values are resolved by package wiring, so the policies say what
// CloudFormation would write.
type World struct {
	// Roles by ARN: those the templates create, and External ones that a
	// template attaches a policy to by name without creating them.
	Roles map[string]*Role
	// Buckets by name, Keys by ARN, Aliases by alias ARN (the key's ARN).
	Buckets map[string]*Bucket
	Keys    map[string]*Key
	Aliases map[string]string
	// Managed are the customer managed policies by ARN, attached or not.
	Managed map[string]Policy
	// OrgID is the organization of every account, added to requests as
	// aws:PrincipalOrgID; "" when the accounts are in none.
	OrgID string
	// OrgPaths are the organization entity paths of every account, added
	// to requests as aws:PrincipalOrgPaths (such as
	// o-a1b2c3d4e5/r-ab12/ou-ab12-cd34ef56/); none when nil.
	OrgPaths []string
}

// Role is one IAM role.
type Role struct {
	ARN, Name, Account string
	// Stack and LogicalID place the role; both "" for an external role.
	Stack, LogicalID string
	Trust            *Policy
	Policies         []Policy
	Boundary         *Policy
	// External is true for a role no template creates.
	External bool
}

// Bucket is one S3 bucket with its bucket policy (nil without one).
type Bucket struct {
	Name, Account, Region string
	Policy                *Policy
}

// Key is one KMS key with its key policy and alias names.
type Key struct {
	ARN, Account, Region string
	Policy               *Policy
	Aliases              []string
}

// FromAssembly reads the cloud assembly in dir (see wiring.ReadResolved).
func FromAssembly(dir string) (*World, error) {
	stacks, err := wiring.ReadResolved(dir)
	if err != nil {
		return nil, err
	}
	return FromStacks(stacks)
}

// FromStacks builds the World of resolved stacks. It fails on a policy
// Parse refuses, naming the stack and resource.
func FromStacks(stacks []wiring.ResolvedStack) (*World, error) {
	w := &World{Roles: map[string]*Role{}, Buckets: map[string]*Bucket{}, Keys: map[string]*Key{}, Aliases: map[string]string{}, Managed: map[string]Policy{}}
	managed := w.Managed
	type attach struct {
		stack   wiring.ResolvedStack
		names   []string
		policy  Policy
		managed bool
	}
	var attachments []attach
	var errs []string
	parse := func(st wiring.ResolvedStack, id, what string, doc interface{}) (Policy, bool) {
		name := fmt.Sprintf("%s of %s/%s", what, st.Name, id)
		p, err := Parse(name, doc)
		if err != nil {
			errs = append(errs, err.Error())
			return p, false
		}
		return p, true
	}
	for _, st := range stacks {
		for _, id := range sortedIDs(st.Resources) {
			r := st.Resources[id]
			switch r.Type {
			case "AWS::IAM::ManagedPolicy":
				if p, ok := parse(st, id, "managed policy", r.Properties["PolicyDocument"]); ok {
					managed[r.Ref] = p
					attachments = append(attachments, attach{st, strs(r.Properties["Roles"]), p, true})
				}
			case "AWS::IAM::Policy":
				if p, ok := parse(st, id, "policy", r.Properties["PolicyDocument"]); ok {
					attachments = append(attachments, attach{st, strs(r.Properties["Roles"]), p, false})
				}
			}
		}
	}
	for _, st := range stacks {
		for _, id := range sortedIDs(st.Resources) {
			r := st.Resources[id]
			props := r.Properties
			switch r.Type {
			case "AWS::IAM::Role":
				role := &Role{ARN: r.Arn, Name: r.Ref, Account: st.Account, Stack: st.Name, LogicalID: id}
				if role.Account == "" {
					role.Account = AccountOf(r.Arn)
				}
				if p, ok := parse(st, id, "trust policy", props["AssumeRolePolicyDocument"]); ok {
					role.Trust = &p
				}
				inline, _ := props["Policies"].([]interface{})
				for k, raw := range inline {
					m, _ := raw.(map[string]interface{})
					if p, ok := parse(st, id, fmt.Sprintf("inline policy %d", k), m["PolicyDocument"]); ok {
						role.Policies = append(role.Policies, p)
					}
				}
				for _, arn := range strs(props["ManagedPolicyArns"]) {
					if p, ok := managed[arn]; ok {
						role.Policies = append(role.Policies, p)
					}
				}
				if b, ok := props["PermissionsBoundary"].(string); ok {
					if p, found := managed[b]; found {
						role.Boundary = &p
					} else {
						errs = append(errs, fmt.Sprintf("%s/%s: permissions boundary %s is not a managed policy of the assembly", st.Name, id, wiring.Display(b)))
					}
				}
				w.Roles[role.ARN] = role
			case "AWS::S3::Bucket":
				b := w.bucket(r.Ref)
				b.Account, b.Region = st.Account, st.Region
			case "AWS::S3::BucketPolicy":
				name, _ := props["Bucket"].(string)
				if p, ok := parse(st, id, "bucket policy", props["PolicyDocument"]); ok {
					p.Name = "bucket policy of " + wiring.Display(name)
					w.bucket(name).Policy = &p
				}
			case "AWS::KMS::Key":
				k := w.key(r.Arn)
				k.Account, k.Region = st.Account, st.Region
				if p, ok := parse(st, id, "key policy", props["KeyPolicy"]); ok {
					k.Policy = &p
				}
			}
		}
	}
	for _, st := range stacks {
		for _, id := range sortedIDs(st.Resources) {
			r := st.Resources[id]
			if r.Type != "AWS::KMS::Alias" {
				continue
			}
			name, _ := r.Properties["AliasName"].(string)
			target, _ := r.Properties["TargetKeyId"].(string)
			keyArn := target
			if !strings.HasPrefix(target, "arn:") {
				for _, k := range st.Resources {
					if k.Type == "AWS::KMS::Key" && k.Ref == target {
						keyArn = k.Arn
					}
				}
			}
			parts, ok := ArnParts(keyArn)
			if !ok {
				errs = append(errs, fmt.Sprintf("%s/%s: alias %s targets %s, which is not a key of the assembly", st.Name, id, name, wiring.Display(target)))
				continue
			}
			aliasArn := fmt.Sprintf("arn:%s:kms:%s:%s:%s", parts[1], parts[3], parts[4], name)
			w.Aliases[aliasArn] = keyArn
			k := w.key(keyArn)
			k.Aliases = append(k.Aliases, name)
		}
	}
	for _, a := range attachments {
		for _, name := range a.names {
			role := w.roleNamed(a.stack.Account, name)
			if role == nil {
				arn := fmt.Sprintf("arn:%s:iam::%s:role/%s", partitionOf(a.stack.Region), a.stack.Account, name)
				role = &Role{ARN: arn, Name: name, Account: a.stack.Account, External: true}
				w.Roles[arn] = role
			}
			role.Policies = append(role.Policies, a.policy)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("iameval: %s", strings.Join(errs, "; "))
	}
	return w, nil
}

func (w *World) bucket(name string) *Bucket {
	if b, ok := w.Buckets[name]; ok {
		return b
	}
	b := &Bucket{Name: name}
	w.Buckets[name] = b
	return b
}

func (w *World) key(arn string) *Key {
	if k, ok := w.Keys[arn]; ok {
		return k
	}
	k := &Key{ARN: arn}
	w.Keys[arn] = k
	return k
}

// roleNamed is the role named name (at any path) in account, or nil.
func (w *World) roleNamed(account, name string) *Role {
	for _, r := range w.Roles {
		if r.Name == name && r.Account == account {
			return r
		}
	}
	return nil
}

// Authorize decides one request in the World: the principal's identity is
// its role's (none for a role the World does not hold, or a service); the
// resource's policy is the bucket policy of an S3 ARN, the key policy of a
// key or alias ARN (adding kms:ResourceAliases), the trust policy of a role
// ARN. A request on a bucket or key the World does not hold is denied:
// nothing is known of its policy.
func (w *World) Authorize(r Request) Decision {
	if r.Principal.OrgID == "" && r.Principal.Service == "" {
		r.Principal.OrgID = w.OrgID
	}
	if _, set := lookup(r.Context, "aws:PrincipalOrgPaths"); !set && len(w.OrgPaths) > 0 && r.Principal.Service == "" {
		ctx := make(map[string][]string, len(r.Context)+1)
		for k, v := range r.Context {
			ctx[k] = v
		}
		ctx["aws:PrincipalOrgPaths"] = w.OrgPaths
		r.Context = ctx
	}
	var id Identity
	if role, ok := w.Roles[r.Principal.ARN]; ok && r.Principal.Service == "" {
		id = Identity{Policies: role.Policies, Boundary: role.Boundary}
	}
	res := Resource{Account: AccountOf(r.Resource)}
	if r.Resource == "*" {
		// A call on "*" (an action with no resource-level permission) is
		// a call in the principal's own account.
		res.Account = r.Principal.Account()
	}
	parts, _ := ArnParts(r.Resource)
	switch parts[2] {
	case "s3":
		name, _, _ := strings.Cut(parts[5], "/")
		b, ok := w.Buckets[name]
		if !ok {
			return Decision{Reason: fmt.Sprintf("bucket %s is not in the assembly", wiring.Display(name))}
		}
		res = Resource{Account: b.Account, Policy: b.Policy}
	case "kms":
		keyArn := r.Resource
		if target, ok := w.Aliases[keyArn]; ok {
			keyArn = target
		}
		k, ok := w.Keys[keyArn]
		if !ok {
			return Decision{Reason: fmt.Sprintf("key %s is not in the assembly", wiring.Display(r.Resource))}
		}
		if _, set := lookup(r.Context, "kms:ResourceAliases"); !set && len(k.Aliases) > 0 {
			ctx := map[string][]string{"kms:ResourceAliases": k.Aliases}
			for key, v := range r.Context {
				ctx[key] = v
			}
			r.Context = ctx
		}
		r.Resource = keyArn
		res = Resource{Account: k.Account, Policy: k.Policy, KMSKey: true}
	case "iam":
		if role, ok := w.Roles[r.Resource]; ok {
			res = Resource{Account: role.Account, Policy: role.Trust}
		}
	}
	return Authorize(r, id, res)
}

// AuthorizePath decides the request of p as Authorize does, except that
// for an External path on a bucket or key the World does not hold it
// takes AWS's default for that resource instead of denying: a bucket with
// no bucket policy in the principal's account (the account the action's
// configuration places it in), a key whose key policy admits its own
// account's IAM policies (the default key policy,
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
func (w *World) AuthorizePath(p Path) Decision {
	r := p.Request
	if !p.External || r.Principal.Service != "" {
		return w.Authorize(r)
	}
	parts, _ := ArnParts(r.Resource)
	var res Resource
	switch parts[2] {
	case "s3":
		name, _, _ := strings.Cut(parts[5], "/")
		if _, ok := w.Buckets[name]; ok {
			return w.Authorize(r)
		}
		res = Resource{Account: r.Principal.Account()}
	case "kms":
		if w.KeyOf(r.Resource) != "" {
			return w.Authorize(r)
		}
		root := fmt.Sprintf("arn:%s:iam::%s:root", parts[1], parts[4])
		def := Policy{Name: "the default key policy of " + r.Resource, Statements: []Statement{{
			Principals: []PrincipalEntry{{Kind: "AWS", Value: root}}, Actions: []string{"kms:*"}, Resources: []string{"*"}}}}
		res = Resource{Account: parts[4], Policy: &def, KMSKey: true}
	default:
		return w.Authorize(r)
	}
	var id Identity
	if role, ok := w.Roles[r.Principal.ARN]; ok {
		id = Identity{Policies: role.Policies, Boundary: role.Boundary}
	}
	if r.Principal.OrgID == "" {
		r.Principal.OrgID = w.OrgID
	}
	return Authorize(r, id, res)
}

// KeyOf is the ARN of the key that id names (a key ARN or an alias ARN),
// or "" when the World holds no such key.
func (w *World) KeyOf(id string) string {
	if target, ok := w.Aliases[id]; ok {
		return target
	}
	if _, ok := w.Keys[id]; ok {
		return id
	}
	return ""
}

func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

func strs(v interface{}) []string {
	out, _ := stringList("", v)
	return out
}

func sortedIDs(m map[string]wiring.ResolvedResource) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
