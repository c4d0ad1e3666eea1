package wiring

import (
	"sort"
	"strconv"
	"strings"

	"github.com/relaycdk/relay/constructs/internal/cfnfile"
)

// Read reads the cloud assembly in dir (the folder `cdk synth` writes:
// manifest.json and the templates it names, nested assemblies included)
// and returns its wiring. It fails when dir holds no manifest.json, a
// template is not JSON, or the assembly has no stack; what it cannot show
// is listed in Model.Notes.
func Read(dir string) (*Model, error) {
	a, err := readAssembly(dir)
	if err != nil {
		return nil, err
	}
	b := &builder{
		a:        a,
		m:        &Model{Notes: a.notes},
		accounts: map[string]*Account{},
		res:      map[resKey]interface{}{},
		roleARN:  map[string]*Role{},
		subjects: map[string]*Subject{},
	}
	b.build()
	return b.m, nil
}

type resKey struct {
	st *tmplStack
	id string
}

type builder struct {
	a        *assembly
	m        *Model
	accounts map[string]*Account
	stacks   map[*tmplStack]*Stack
	res      map[resKey]interface{} // *Role, *Key, *Bucket by stack and logical ID
	roleARN  map[string]*Role
	roles    []*Role
	keys     []*Key
	buckets  []*Bucket
	subjects map[string]*Subject
	managed  map[string][]Statement
}

func (b *builder) build() {
	b.stacks = map[*tmplStack]*Stack{}
	for _, st := range b.a.stacks {
		b.addStack(st)
	}
	for _, st := range b.a.stacks {
		b.attachPolicies(st)
	}
	for _, st := range b.a.stacks {
		b.addPipelines(st)
	}
	b.trusts()
	b.storeGrants()
	b.matches()
	b.checkActions()
	b.sortAll()
}

func (b *builder) account(st *tmplStack) *Account {
	key, acct := "1:"+st.account, &Account{ID: st.account}
	switch {
	case st.account == "" && len(st.ous) > 0:
		key, acct = "2:"+strings.Join(st.ous, ","), &Account{OUs: st.ous}
	case st.account == "":
		key, acct = "3:"+st.key, &Account{Open: st.name}
	}
	return b.accountFor(key, acct)
}

func (b *builder) accountID(id string) *Account {
	if !isAccountID(id) {
		return b.accountFor("4:", &Account{})
	}
	return b.accountFor("1:"+id, &Account{ID: id})
}

func (b *builder) accountFor(key string, a *Account) *Account {
	if got, ok := b.accounts[key]; ok {
		return got
	}
	b.accounts[key] = a
	return a
}

func (b *builder) addStack(st *tmplStack) {
	s := &scope{a: b.a, st: st}
	stack := &Stack{Name: st.name, Region: st.region, StackSet: st.stackSet, DefinedIn: st.definedIn, Account: b.account(st)}
	if len(st.regions) > 1 {
		stack.Regions = st.regions
	}
	stack.Account.Stacks = append(stack.Account.Stacks, stack)
	b.stacks[st] = stack
	for _, id := range st.resourcesOfType("AWS::IAM::Role") {
		props := propsOf(st, id)
		r := &Role{Name: s.attr(id, ""), ARN: s.attr(id, "Arn"), Stack: stack, LogicalID: id, Account: stack.Account}
		r.Trust = s.parseStatements(props["AssumeRolePolicyDocument"])
		for _, p := range cfnfile.List(props["Policies"]) {
			pm, _ := p.(map[string]interface{})
			r.Policies = append(r.Policies, s.parseStatements(pm["PolicyDocument"])...)
		}
		stack.Roles = append(stack.Roles, r)
		b.addRole(r)
		b.res[resKey{st, id}] = r
	}
	for _, id := range st.resourcesOfType("AWS::IAM::User") {
		props := propsOf(st, id)
		r := &Role{Name: s.attr(id, ""), ARN: s.attr(id, "Arn"), Stack: stack, LogicalID: id, Account: stack.Account, User: true}
		for _, p := range cfnfile.List(props["Policies"]) {
			pm, _ := p.(map[string]interface{})
			r.Policies = append(r.Policies, s.parseStatements(pm["PolicyDocument"])...)
		}
		stack.Roles = append(stack.Roles, r)
		b.addRole(r)
		b.res[resKey{st, id}] = r
	}
	for _, id := range st.resourcesOfType("AWS::KMS::Key") {
		k := &Key{ARN: s.attr(id, "Arn"), LogicalID: id, Stack: stack}
		k.Policy = s.parseStatements(propsOf(st, id)["KeyPolicy"])
		stack.Keys = append(stack.Keys, k)
		b.keys = append(b.keys, k)
		b.res[resKey{st, id}] = k
	}
	for _, id := range st.resourcesOfType("AWS::KMS::Alias") {
		props := propsOf(st, id)
		if tst, tid, ok := s.target(props["TargetKeyId"]); ok {
			if k, ok := b.res[resKey{tst, tid}].(*Key); ok {
				name := s.str(props["AliasName"])
				k.Aliases = append(k.Aliases, name)
				k.aliasARNs = append(k.aliasARNs, "arn:"+s.partition()+":kms:"+s.region()+":"+s.account()+":"+name)
			}
		}
	}
	for _, id := range st.resourcesOfType("AWS::S3::Bucket") {
		bk := &Bucket{Name: s.attr(id, ""), ARN: s.attr(id, "Arn"), LogicalID: id, Stack: stack}
		stack.Buckets = append(stack.Buckets, bk)
		b.buckets = append(b.buckets, bk)
		b.res[resKey{st, id}] = bk
	}
}

func (b *builder) addRole(r *Role) {
	if _, dup := b.roleARN[r.ARN]; !dup {
		b.roleARN[r.ARN] = r
	}
	b.roles = append(b.roles, r)
}

// attachPolicies adds what other resources say about a stack's roles,
// keys and buckets: attached policies, bucket policies, bucket keys.
func (b *builder) attachPolicies(st *tmplStack) {
	s := &scope{a: b.a, st: st}
	stack := b.stacks[st]
	managed := b.managedPolicies()
	for _, typ := range []string{"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"} {
		for _, id := range st.resourcesOfType(typ) {
			props := propsOf(st, id)
			stmts := s.parseStatements(props["PolicyDocument"])
			for _, ref := range cfnfile.List(props["Roles"]) {
				if r := b.roleRef(s, ref, stack.Account, false); r != nil {
					r.Policies = append(r.Policies, stmts...)
				}
			}
			for _, ref := range cfnfile.List(props["Users"]) {
				if r := b.roleRef(s, ref, stack.Account, true); r != nil {
					r.Policies = append(r.Policies, stmts...)
				}
			}
		}
	}
	for _, typ := range []string{"AWS::IAM::Role", "AWS::IAM::User"} {
		for _, id := range st.resourcesOfType(typ) {
			r := b.res[resKey{st, id}].(*Role)
			for _, arn := range s.strs(propsOf(st, id)["ManagedPolicyArns"]) {
				if stmts, ok := managed[arn]; ok {
					r.Policies = append(r.Policies, stmts...)
				} else {
					r.ManagedPolicyArns = append(r.ManagedPolicyArns, arn)
				}
			}
		}
	}
	for _, id := range st.resourcesOfType("AWS::S3::BucketPolicy") {
		props := propsOf(st, id)
		if bk := b.bucketRef(s, props["Bucket"]); bk != nil {
			bk.Policy = append(bk.Policy, s.parseStatements(props["PolicyDocument"])...)
		}
	}
	for _, id := range st.resourcesOfType("AWS::S3::Bucket") {
		bk := b.res[resKey{st, id}].(*Bucket)
		enc, _ := propsOf(st, id)["BucketEncryption"].(map[string]interface{})
		for _, rule := range cfnfile.List(enc["ServerSideEncryptionConfiguration"]) {
			rm, _ := rule.(map[string]interface{})
			def, _ := rm["ServerSideEncryptionByDefault"].(map[string]interface{})
			if def["KMSMasterKeyID"] != nil {
				bk.Key = b.keyRef(s, def["KMSMasterKeyID"], st.region, st.account)
			}
		}
	}
}

// managedPolicies are the statements of the assembly's customer managed
// policies, by ARN.
func (b *builder) managedPolicies() map[string][]Statement {
	if b.managed == nil {
		b.managed = map[string][]Statement{}
		for _, st := range b.a.stacks {
			s := &scope{a: b.a, st: st}
			for _, id := range st.resourcesOfType("AWS::IAM::ManagedPolicy") {
				b.managed[s.attr(id, "")] = s.parseStatements(propsOf(st, id)["PolicyDocument"])
			}
		}
	}
	return b.managed
}

// roleRef finds the role a template value names: a Ref or Fn::GetAtt, an
// ARN, or (byName) a bare role name in account home. A role the assembly
// does not create becomes an external role.
func (b *builder) roleRef(s *scope, v interface{}, home *Account, user bool) *Role {
	if tst, tid, ok := s.target(v); ok {
		if r, ok := b.res[resKey{tst, tid}].(*Role); ok {
			return r
		}
	}
	str := s.str(v)
	if str == "" {
		return nil
	}
	if strings.HasPrefix(str, "arn:") {
		return b.roleByARN(str)
	}
	for _, r := range b.roles {
		if r.Account == home && r.Name == str && r.User == user {
			return r
		}
	}
	kind := "role"
	if user {
		kind = "user"
	}
	arn := "arn:" + s.partition() + ":iam::" + s.account() + ":" + kind + s.hole("IAM path of "+str) + str
	r := &Role{Name: str, ARN: arn, Account: home, User: user}
	home.External = append(home.External, r)
	b.addRole(r)
	return r
}

// roleByARN finds a role or user by ARN; one the assembly does not create
// becomes an external role in the ARN's account.
func (b *builder) roleByARN(arn string) *Role {
	if r, ok := b.roleARN[arn]; ok {
		return r
	}
	if rest, ok := strings.CutPrefix(arn, "arn:"); ok {
		parts := strings.SplitN(rest, ":", 5)
		if len(parts) == 5 && (parts[1] == "sts" && strings.HasPrefix(parts[4], "assumed-role/")) {
			// An assumed-role session is its role's: arn:…:sts::acct:assumed-role/name/session.
			name := strings.Split(strings.TrimPrefix(parts[4], "assumed-role/"), "/")[0]
			for _, r := range b.roles {
				if r.Account.ID == parts[3] && r.Name == name && !r.User {
					return r
				}
			}
		}
	}
	r := &Role{ARN: arn, Name: arnName(arn), Account: b.accountID(arnAccount(arn)), User: strings.Contains(arn, ":user/")}
	r.Account.External = append(r.Account.External, r)
	b.addRole(r)
	return r
}

// arnAccount is the account field of an ARN ("" when it has none).
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// arnName is the last path element of an IAM ARN's resource.
func arnName(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return arn
	}
	res := parts[5]
	return res[strings.LastIndexByte(res, '/')+1:]
}

func (b *builder) bucketRef(s *scope, v interface{}) *Bucket {
	if tst, tid, ok := s.target(v); ok {
		if bk, ok := b.res[resKey{tst, tid}].(*Bucket); ok {
			return bk
		}
	}
	name := s.str(v)
	name = strings.TrimPrefix(name, "arn:"+s.partition()+":s3:::")
	for _, bk := range b.buckets {
		if bk.Name == name {
			return bk
		}
	}
	return nil
}

// keyRef finds the key a template value names: a Ref or Fn::GetAtt, a key
// ARN, an alias ARN, or an alias name in region and account.
func (b *builder) keyRef(s *scope, v interface{}, region, account string) *Key {
	if tst, tid, ok := s.target(v); ok {
		if k, ok := b.res[resKey{tst, tid}].(*Key); ok {
			return k
		}
	}
	id := s.str(v)
	for _, k := range b.keys {
		if k.ARN == id {
			return k
		}
		for i, alias := range k.Aliases {
			if id == k.aliasARNs[i] || (id == alias && k.Stack.Region == region && k.Stack.Account.ID == account) {
				return k
			}
		}
	}
	return nil
}

func (b *builder) addPipelines(st *tmplStack) {
	s := &scope{a: b.a, st: st}
	stack := b.stacks[st]
	for _, id := range st.resourcesOfType("AWS::CodePipeline::Pipeline") {
		props := propsOf(st, id)
		p := &Pipeline{Name: s.attr(id, ""), LogicalID: id, Stack: stack}
		p.Role = b.roleRef(s, props["RoleArn"], stack.Account, false)
		stores := cfnfile.List(props["ArtifactStores"])
		if one, ok := props["ArtifactStore"]; ok {
			stores = append(stores, map[string]interface{}{"ArtifactStore": one, "Region": st.region})
		}
		for _, as := range stores {
			asm, _ := as.(map[string]interface{})
			store, _ := asm["ArtifactStore"].(map[string]interface{})
			enc, _ := store["EncryptionKey"].(map[string]interface{})
			region := s.str(asm["Region"])
			a := ArtifactStore{Region: region, BucketName: s.str(store["Location"]), Bucket: b.bucketRef(s, store["Location"])}
			if enc != nil {
				a.KeyID = s.str(enc["Id"])
				a.Key = b.keyRef(s, enc["Id"], region, st.account)
			}
			p.ArtifactStores = append(p.ArtifactStores, a)
		}
		sort.Slice(p.ArtifactStores, func(i, j int) bool { return p.ArtifactStores[i].Region < p.ArtifactStores[j].Region })
		disabled := map[string]string{}
		for _, d := range cfnfile.List(props["DisableInboundStageTransitions"]) {
			dm, _ := d.(map[string]interface{})
			disabled[s.str(dm["StageName"])] = s.str(dm["Reason"])
		}
		for _, sv := range cfnfile.List(props["Stages"]) {
			sm, _ := sv.(map[string]interface{})
			stage := &Stage{Name: s.str(sm["Name"])}
			stage.DisabledReason, stage.Disabled = disabled[stage.Name]
			if f, ok := sm["OnFailure"].(map[string]interface{}); ok {
				stage.OnFailure = s.str(f["Result"])
			}
			if be, ok := sm["BeforeEntry"].(map[string]interface{}); ok {
				for _, c := range cfnfile.List(be["Conditions"]) {
					cm, _ := c.(map[string]interface{})
					for _, r := range cfnfile.List(cm["Rules"]) {
						rm, _ := r.(map[string]interface{})
						rt, _ := rm["RuleTypeId"].(map[string]interface{})
						stage.BeforeEntry = append(stage.BeforeEntry, s.str(rt["Provider"]))
					}
				}
			}
			for _, av := range cfnfile.List(sm["Actions"]) {
				am, _ := av.(map[string]interface{})
				stage.Actions = append(stage.Actions, b.action(s, p, am))
			}
			p.Stages = append(p.Stages, stage)
		}
		b.m.Pipelines = append(b.m.Pipelines, p)
	}
}

func (b *builder) action(s *scope, p *Pipeline, am map[string]interface{}) *Action {
	typ, _ := am["ActionTypeId"].(map[string]interface{})
	cfg, _ := am["Configuration"].(map[string]interface{})
	a := &Action{
		Name:     s.str(am["Name"]),
		Category: s.str(typ["Category"]), Owner: s.str(typ["Owner"]), Provider: s.str(typ["Provider"]),
		RunOrder: 1, Region: s.str(am["Region"]), Account: p.Stack.Account.ID, Role: p.Role,
	}
	if n, err := strconv.Atoi(s.str(am["RunOrder"])); err == nil {
		a.RunOrder = n
	}
	if a.Region == "" {
		a.Region = p.Stack.Region
	}
	if am["RoleArn"] != nil {
		a.Role, a.OwnRole = b.roleRef(s, am["RoleArn"], p.Stack.Account, false), true
		a.Account = a.Role.Account.ID
		if a.Account == "" {
			a.Account = Display(arnAccount(a.Role.ARN))
		}
	}
	switch a.Provider {
	case "CloudFormation":
		if cfg["RoleArn"] != nil {
			a.ExecutionRole = b.roleRef(s, cfg["RoleArn"], p.Stack.Account, false)
		}
	case "CodeBuild":
		a.ProjectRole = b.projectRole(s, cfg["ProjectName"], p.Stack.Account)
	case "CloudFormationStackSet", "CloudFormationStackInstances":
		var parts []string
		if t := s.str(cfg["DeploymentTargets"]); t != "" {
			parts = append(parts, Display(t))
		}
		if r := s.str(cfg["Regions"]); r != "" {
			parts = append(parts, Display(r))
		}
		a.Targets = strings.Join(parts, " · ")
	}
	return a
}

// projectRole is the service role of the CodeBuild project an action runs.
func (b *builder) projectRole(s *scope, v interface{}, home *Account) *Role {
	pst, pid, ok := s.target(v)
	if !ok {
		name := s.str(v)
		for _, st := range b.a.stacks {
			if b.stacks[st].Account != home {
				continue
			}
			ss := &scope{a: b.a, st: st}
			for _, id := range st.resourcesOfType("AWS::CodeBuild::Project") {
				if ss.attr(id, "") == name {
					pst, pid, ok = st, id, true
				}
			}
		}
	}
	if !ok {
		return nil
	}
	return b.roleRef(&scope{a: b.a, st: pst}, propsOf(pst, pid)["ServiceRole"], b.stacks[pst].Account, false)
}

func propsOf(st *tmplStack, id string) map[string]interface{} {
	p, _ := st.resources[id]["Properties"].(map[string]interface{})
	return p
}

func joinList(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
