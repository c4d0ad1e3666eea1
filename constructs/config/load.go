package config

import (
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

//go:embed example.yaml
var example []byte

// Example returns a complete, valid configuration file: one tooling account
// deploying to staging, then to production after a manual approval.
func Example() []byte {
	return slices.Clone(example)
}

// Load reads the configuration file at path and parses it; see Parse. It
// reads at most MaxBytes of it, and refuses a larger file. A path that
// names no file (the error wraps os.ErrNotExist) or a folder, or a file it
// cannot read, is an error that starts with the path and gives the fix.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, unreadable(path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s: a folder, not a configuration file: name the relay.yaml file itself (such as %s)", path, filepath.Join(path, "relay.yaml"))
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
	if err != nil {
		return nil, unreadable(path, err)
	}
	if len(data) > MaxBytes {
		size := int64(len(data))
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
		return nil, sizeError(path, size, data)
	}
	return Parse(path, data)
}

// unreadable words why the configuration file at path cannot be read.
func unreadable(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return missingFile(path + ": no such file: name an existing relay.yaml, absolute or relative to the folder the command runs in")
	}
	return fmt.Errorf("%s: cannot read the configuration file (%v): check its permissions", path, err)
}

// missingFile is Load's error for a path that names no file; it wraps
// fs.ErrNotExist.
type missingFile string

func (m missingFile) Error() string { return string(m) }
func (m missingFile) Unwrap() error { return fs.ErrNotExist }

// Parse decodes data, a single YAML document, applies defaults and validates
// the result. name, usually the file path, prefixes every message.
//
// Before the YAML parser runs, the bytes are checked in constant memory: at
// most MaxBytes, UTF-8 (a UTF-8 byte-order mark is stripped; UTF-16 is
// refused), no character that YAML allows only escaped, no control or
// bidirectional character in a comment, and at most MaxDepth levels and
// MaxNodes nodes. The syntax tree is then checked again, with aliases
// expanded, before anything is decoded.
//
// Decoding is strict. A syntax error, a duplicate or unknown key, a value of
// the wrong type, an empty input or a second document is returned alone, as
// `<name>:<line>: <message>`. Otherwise every remaining problem is returned at
// once: the errors.Join of *FieldError with File and Line set, sorted by line
// then path.
//
// A key written with an empty or zero value is an error, not a request for
// the default: omit the key to get the default.
func Parse(name string, data []byte) (*Config, error) {
	data, scan, err := checkInput(name, data)
	if err != nil {
		return nil, err
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, placeholderHint(decodeError(name, err), data)
	}
	root, err := document(name, file)
	if err != nil {
		return nil, err
	}
	if err := checkTree(name, root); err != nil {
		return nil, err
	}
	// Tags have no use in a configuration, and go-yaml v1.19.2 panics on a
	// tagged scalar where a list is expected.
	if tags := ast.Filter(ast.TagType, root); len(tags) > 0 {
		return nil, &yamlError{file: name, line: lineOf(tags[0]),
			msg: fmt.Sprintf("YAML tag %q is not supported; remove it, and quote the value if it must stay a string", text(tags[0]))}
	}
	var c Config
	if err := yaml.NodeToValue(root, &c, yaml.Strict()); err != nil {
		return nil, overflowField(colonHint(decodeError(name, err), data), root)
	}

	t := tree{root}
	errs := t.checkDecoded(&c)
	reported := map[string]bool{}
	for _, e := range errs {
		reported[e.Path] = true
	}
	c.applyDefaults(t.has)
	for _, e := range c.validate() {
		if !reported[e.Path] {
			errs = append(errs, e)
		}
	}
	if len(errs) == 0 && scan.hidden.line > 0 {
		// A refused character that no field holds, such as one in an
		// anchor's name.
		return nil, &yamlError{file: name, line: scan.hidden.line,
			msg: fmt.Sprintf("the line contains %s outside any text field; remove it", describeRune(scan.hidden.r))}
	}
	if len(errs) == 0 {
		return &c, nil
	}
	for _, e := range errs {
		e.File, e.Line = name, t.line(e.Path)
	}
	slices.SortStableFunc(errs, func(a, b *FieldError) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), strings.Compare(a.Path, b.Path))
	})
	return nil, joinErrors(errs)
}

// yamlError is an error found while reading the YAML itself, before any
// field is validated.
type yamlError struct {
	file string
	line int // 0 when unknown
	msg  string
	err  error // the go-yaml error, if any
}

func (e *yamlError) Error() string {
	switch {
	case e.file != "" && e.line > 0:
		return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg)
	case e.file != "":
		return fmt.Sprintf("%s: %s", e.file, e.msg)
	case e.line > 0:
		return fmt.Sprintf("line %d: %s", e.line, e.msg)
	}
	return e.msg
}

func (e *yamlError) Unwrap() error { return e.err }

// decodeError places a go-yaml error on its line and rewords the messages
// that speak of Go types.
func decodeError(name string, err error) error {
	var ye yaml.Error
	if !errors.As(err, &ye) || ye.GetToken() == nil {
		return &yamlError{file: name, msg: err.Error(), err: err}
	}
	msg := ye.GetMessage()
	switch e := ye.(type) {
	case *yaml.UnknownFieldError:
		msg += "; remove it or fix its spelling"
	case *yaml.TypeError:
		msg = fmt.Sprintf("wrong type: expected %s, found %s", describe(e.DstType), describe(e.SrcType))
	case *yaml.OverflowError:
		msg = fmt.Sprintf("number %s is too large", e.SrcNum)
	case *yaml.SyntaxError:
		if strings.Contains(msg, "already defined") {
			msg += "; keep only one of them"
		}
	}
	return &yamlError{file: name, line: ye.GetToken().Position.Line, msg: msg, err: err}
}

// placeholderHint adds the fix to a syntax error on a line where an unquoted
// ${...} placeholder sits inside a flow mapping or sequence ({...} or
// [...]): YAML ends a plain value there at the "{", and go-yaml only says
// "',' or '}' must be specified".
func placeholderHint(err error, data []byte) error {
	var ye *yamlError
	if !errors.As(err, &ye) || ye.line < 1 || !strings.HasSuffix(ye.msg, "must be specified") {
		return err
	}
	lines := strings.Split(string(data), "\n")
	if ye.line > len(lines) {
		return err
	}
	if !strings.Contains(quotedRE.ReplaceAllString(lines[ye.line-1], `""`), "${") {
		return err
	}
	ye.msg += `: inside {...} or [...] a plain value ends at "{", so quote a value that holds a ${...} placeholder, such as "config/${env}.json"`
	return ye
}

// colonHint adds the fix to "expected a string, found a mapping" on a line
// where an unquoted a:b sits in a flow sequence inside a flow mapping, as
// in {actions: [s3:GetObject]}: go-yaml v1.19.2 splits every ":" inside a
// flow mapping (the scanner fault of goccy/go-yaml#832), so it reads s3:GetObject there as the
// mapping {s3: GetObject}, where YAML has a string. Quoted, it is one.
func colonHint(err error, data []byte) error {
	var ye *yamlError
	if !errors.As(err, &ye) || ye.line < 1 || ye.msg != "wrong type: expected a string, found a mapping" {
		return err
	}
	lines := strings.Split(string(data), "\n")
	if ye.line > len(lines) {
		return err
	}
	line := quotedRE.ReplaceAllString(lines[ye.line-1], `""`)
	m := flowColonRE.FindStringSubmatch(line)
	if m == nil || !strings.Contains(line, "{") {
		return err
	}
	ye.msg += fmt.Sprintf(": inside {...}, the YAML reader takes the unquoted %s in [...] as a mapping; quote it: %q", m[1], m[1])
	return ye
}

// overflowField names the field of a value the decoder refuses for its
// type, which go-yaml places on a line only: a number no whole-number field
// holds ("number 99999999999999999999 is too large", the same of .inf and
// .nan) reads as a field error, with the value and the fix (quotas.codeDeployAutoScalingGroups
// "99999999999999999999": out of range for a whole number ...), and a
// value of the wrong kind ("wrong type: expected a whole number, found a
// list", "sequence was used where mapping is expected") is prefixed with
// its field.
func overflowField(err error, root ast.Node) error {
	var ye *yamlError
	if !errors.As(err, &ye) {
		return err
	}
	var tok *token.Token
	var oe *yaml.OverflowError
	var te *yaml.TypeError
	var ue *yaml.UnexpectedNodeTypeError
	switch {
	case errors.As(err, &oe):
		tok = oe.Token
	case errors.As(err, &te):
		tok = te.Token
	case errors.As(err, &ue):
		tok = ue.Token
	}
	if tok == nil || tok.Position == nil {
		return err
	}
	path := pathAt(root, "", tok)
	if path == "" {
		return err
	}
	path += aliasUses(root, tok)
	if oe == nil && ue != nil && ue.Expected == ast.SequenceType && scalarType(ue.Actual) {
		// One value where a list goes (regions: us-east-1,
		// cacheControl: max-age=60): the field, the value and the list
		// that holds it.
		ye.msg = fmt.Sprintf("%s %q: is one %s, and this field takes a list: write it as [%s]", path, tok.Value, ue.Actual.YAMLName(), tok.Value)
		return ye
	}
	if oe == nil {
		ye.msg = path + ": " + ye.msg
		return ye
	}
	rule := "out of range for a whole number; write the number this field takes (its range is in the configuration reference)"
	if strings.ContainsAny(strings.ToLower(oe.SrcNum), "in") { // +Inf, NaN
		rule = "must be a whole number written in decimal, without quotes, such as 30"
	}
	ye.msg = fmt.Sprintf("%s %q: %s", path, tok.Value, rule)
	return ye
}

// scalarType reports whether t is the type of a scalar value (a string,
// number or boolean), which YAML writes on one line.
func scalarType(t ast.NodeType) bool {
	switch t {
	case ast.StringType, ast.IntegerType, ast.FloatType, ast.BoolType, ast.LiteralType:
		return true
	}
	return false
}

// aliasUses is "" unless the value written at tok's position carries an
// anchor (&name) that aliases (*name) use elsewhere under root: go-yaml
// places an error in an aliased value at the anchor, whichever use of it
// the field does not take, so the message names every use too, as in
// " (anchor &n, also used as *n by quotas.iamManagedPoliciesPerRole on line 6)".
func aliasUses(root ast.Node, tok *token.Token) string {
	name := ""
	for _, n := range ast.Filter(ast.AnchorType, root) {
		if a, ok := n.(*ast.AnchorNode); ok && a.Name != nil && a.Value != nil && samePosition(unwrap(a.Value).GetToken(), tok) {
			name = a.Name.GetToken().Value
			break
		}
	}
	if name == "" {
		return ""
	}
	var uses []string
	for _, n := range ast.Filter(ast.AliasType, root) {
		a, ok := n.(*ast.AliasNode)
		if !ok || a.Value == nil || a.Value.GetToken() == nil || a.Value.GetToken().Value != name || a.Start == nil || a.Start.Position == nil {
			continue
		}
		if p := pathAt(root, "", a.Start); p != "" {
			uses = append(uses, fmt.Sprintf("%s on line %d", p, a.Start.Position.Line))
		}
	}
	if len(uses) == 0 {
		return ""
	}
	return fmt.Sprintf(" (anchor &%s, also used as *%s by %s)", name, name, strings.Join(uses, ", "))
}

// samePosition reports whether token t is written where tok is (the same
// line and column).
func samePosition(t, tok *token.Token) bool {
	return t != nil && t.Position != nil && t.Position.Line == tok.Position.Line && t.Position.Column == tok.Position.Column
}

// pathAt is the field path of the value written at tok's position under n,
// the node at path (such as quotas.codeDeployAutoScalingGroups), or "".
func pathAt(n ast.Node, path string, tok *token.Token) string {
	found := ""
	walk(n, path, func(v ast.Node, p string, _ bool) bool {
		if v == nil || reflect.ValueOf(v).IsNil() {
			return true
		}
		if samePosition(v.GetToken(), tok) {
			found = p
			return false
		}
		return true
	})
	return found
}

// walk calls visit for every value under n, the node at path, depth first
// and in document order, with the value (anchors and tags unwrapped; nil
// for a key written with no value), its field path (parent.key for a
// mapping's value, parent[i] for a sequence's item; keys that are not
// scalars are skipped) and whether it is a mapping's value. visit returns
// false to stop the walk, and walk then returns false.
func walk(n ast.Node, path string, visit func(v ast.Node, path string, keyed bool) bool) bool {
	n = unwrap(n)
	if n == nil || reflect.ValueOf(n).IsNil() {
		return true
	}
	switch v := n.(type) {
	case ast.MapNode:
		for it := v.MapRange(); it.Next(); {
			kv := it.KeyValue()
			k, ok := kv.Key.(ast.ScalarNode)
			if !ok {
				continue
			}
			p := joinPath(path, fmt.Sprint(k.GetValue()))
			if !visit(unwrap(kv.Value), p, true) || !walk(kv.Value, p, visit) {
				return false
			}
		}
	case *ast.SequenceNode:
		for i, item := range v.Values {
			p := fmt.Sprintf("%s[%d]", path, i)
			if !visit(unwrap(item), p, false) || !walk(item, p, visit) {
				return false
			}
		}
	}
	return true
}

// flowColonRE matches an unquoted a:b entry of a flow sequence.
var flowColonRE = regexp.MustCompile(`[\[,]\s*([A-Za-z0-9][A-Za-z0-9_.-]*:[A-Za-z0-9*][^\s,\]}]*)`)

// quotedRE matches YAML's double- and single-quoted scalars on one line.
var quotedRE = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'`)

// describe names a Go type as YAML calls its values.
func describe(t reflect.Type) string {
	if t == nil {
		return "null"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	case reflect.Pointer:
		return describe(t.Elem())
	}
	return t.String()
}

// document returns the body of the only document of f.
func document(name string, f *ast.File) (ast.Node, error) {
	docs := slices.DeleteFunc(slices.Clone(f.Docs), func(d *ast.DocumentNode) bool {
		return d.Body != nil && d.Body.Type() == ast.DirectiveType // %YAML 1.2
	})
	if len(docs) > 1 {
		d := docs[1]
		line := lineOf(d.Body)
		if d.Start != nil {
			line = d.Start.Position.Line
		}
		return nil, &yamlError{file: name, line: line,
			msg: `a second YAML document starts here; a Relay configuration is one document: remove this "---" and what follows, or merge it into the first`}
	}
	if len(docs) == 0 || docs[0].Body == nil || docs[0].Body.Type() == ast.NullType {
		return nil, &yamlError{file: name, line: 1,
			msg: "empty configuration; write at least name, tooling, source, deploy.executionPolicy and environments (see config.Example)"}
	}
	return docs[0].Body, nil
}

var decimalRE = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)

// checkDecoded reports what the decoder accepts silently but the file did
// not mean:
//   - a whole-number field written as a fraction, a quoted or a non-decimal
//     number (30.5 would become 30, 0o36 would become 30, "25" would become
//     25);
//   - an unquoted account ID that YAML reads as another number (012345670123
//     is octal);
//   - a key written with no value (null), which would mean "absent" or zero:
//     "approval:" alone would silently drop the gate, "ecs:" the release
//     strategy, "terminationWaitMinutes:" would take the default;
//   - a required number left out of a block that is written;
//   - a field whose zero value Validate reads as left out, written with that
//     zero value (writtenZero).
func (t tree) checkDecoded(c *Config) []*FieldError {
	var errs []*FieldError
	for _, path := range wholeNumberPaths(reflect.ValueOf(c).Elem(), "") {
		if n, _, ok := t.find(path); ok && n.Type() != ast.NullType {
			if _, isInt := n.(*ast.IntegerNode); !isInt || !decimalRE.MatchString(text(n)) {
				errs = append(errs, &FieldError{Path: path, Value: text(n),
					Rule: "must be a whole number written in decimal, without quotes, such as 30"})
			}
		}
	}

	accounts := map[string]string{"tooling.account": c.Tooling.Account}
	for i, e := range c.Environments {
		accounts[envPath(i, "account")] = e.Account
		for k, a := range e.Accounts {
			accounts[envPath(i, fmt.Sprintf("accounts[%d]", k))] = a
		}
	}
	for _, path := range slices.Sorted(maps.Keys(accounts)) {
		n, _, ok := t.find(path)
		if !ok {
			continue
		}
		switch n.(type) {
		case *ast.IntegerNode, *ast.FloatNode:
			if w := text(n); w != accounts[path] {
				errs = append(errs, &FieldError{Path: path, Value: w,
					Rule: fmt.Sprintf(`YAML reads this unquoted number as %s; quote the account ID: "%s"`, accounts[path], w)})
			}
		}
	}

	errs = append(errs, t.nulls(t.root, "")...)
	errs = append(errs, t.writtenZero(c)...)

	if x := c.Deploy.CodeDeploy; x != nil && x.MinimumHealthyHosts != nil && !t.has("deploy.codeDeploy.minimumHealthyHosts.value") {
		errs = append(errs, &FieldError{Path: "deploy.codeDeploy.minimumHealthyHosts.value",
			Rule: "required: the number of hosts (HOST_COUNT) or the percentage of the fleet (FLEET_PERCENT) that stays healthy"})
	}
	return errs
}

// wholeNumberPaths are the paths of the whole-number fields set in v, the
// value at path.
func wholeNumberPaths(v reflect.Value, path string) []string {
	var out []string
	switch v.Kind() {
	case reflect.Int:
		out = append(out, path)
	case reflect.Pointer:
		if !v.IsNil() {
			out = append(out, wholeNumberPaths(v.Elem(), path)...)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			name, opts, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			if opts == "inline" {
				out = append(out, wholeNumberPaths(v.Field(i), path)...)
			} else if name != "" && name != "-" {
				out = append(out, wholeNumberPaths(v.Field(i), joinPath(path, name))...)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			out = append(out, wholeNumberPaths(v.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return out
}

// writtenZero reports the fields whose zero value Validate reads as left
// out (a default, or none) when the file writes them with that zero value,
// which it would otherwise take silently: a step approval's comment ""
// (its default is "Approve <step> of <environment>") and
// observability.alarms.maxExecutionMinutes 0 (no long-executions alarm).
func (t tree) writtenZero(c *Config) []*FieldError {
	written := func(path string) bool {
		n, _, ok := t.find(path)
		return ok && n.Type() != ast.NullType // null is reported by nulls
	}
	var errs []*FieldError
	if o := c.Observability; o != nil && o.Alarms != nil && o.Alarms.MaxExecutionMinutes == 0 && written("observability.alarms.maxExecutionMinutes") {
		errs = append(errs, &FieldError{Path: "observability.alarms.maxExecutionMinutes", Value: "0", Rule: maxExecutionMinutesRule})
	}
	steps := func(base string, list []Step) {
		for k, s := range list {
			if path := fmt.Sprintf("%s[%d].approval.comment", base, k); s.Approval != nil && s.Approval.Comment == "" && written(path) {
				errs = append(errs, &FieldError{Path: path, Rule: commentRuleWithDefault("", stepCommentDefault)})
			}
		}
	}
	steps("steps", c.Steps)
	for i, e := range c.Environments {
		steps(envPath(i, "steps"), e.Steps)
	}
	return errs
}

// nulls reports every key under n, the node at path, written with no
// value.
func (t tree) nulls(n ast.Node, path string) []*FieldError {
	var out []*FieldError
	walk(n, path, func(v ast.Node, p string, keyed bool) bool {
		if keyed && (v == nil || v.Type() == ast.NullType) {
			out = append(out, &FieldError{Path: p, Rule: "has no value; " + nullFix(p)})
		}
		return true
	})
	return out
}

// approvalPathRE matches the path of an environment's approval.
var approvalPathRE = regexp.MustCompile(`^environments\[[0-9]+\]\.approval$`)

// nullFix says how to fix a key written with no value at path.
func nullFix(path string) string {
	switch {
	case path == "organization":
		return "set organization.id, or remove the key"
	case path == "observability":
		return "write observability: {} for the defaults, or remove the key"
	case path == "audit":
		return "write audit: {} for a trail named <name>-audit, or remove the key"
	case approvalPathRE.MatchString(path):
		return "write approval: {} for a manual approval with defaults, or remove the key for none"
	}
	return "write its value, or remove the key (for the default, if it has one)"
}

// tree is the YAML document of a configuration, searched by field path to
// place errors on their lines.
type tree struct{ root ast.Node }

// has reports whether path is written in the file (possibly as null).
func (t tree) has(path string) bool {
	_, _, ok := t.find(path)
	return ok
}

// line returns the line of path, or of its deepest written ancestor.
func (t tree) line(path string) int {
	_, line, _ := t.find(path)
	return line
}

// find returns the value node at path (such as environments[1].regions[0]),
// the line where it is written (for a mapping entry, the line of its key)
// and true. When path is not written it returns its deepest written
// ancestor, that ancestor's line and false. Anchors and tags are looked
// through; aliases are not followed.
func (t tree) find(path string) (ast.Node, int, bool) {
	n, line := unwrap(t.root), lineOf(t.root)
	for _, part := range strings.Split(path, ".") {
		key, index, isIndexed := strings.Cut(part, "[")
		child, childLine, ok := entry(n, key)
		if !ok {
			return n, line, false
		}
		n, line = child, childLine
		if isIndexed {
			i, err := strconv.Atoi(strings.TrimSuffix(index, "]"))
			child, childLine, ok := item(n, i, err == nil)
			if !ok {
				return n, line, false
			}
			n, line = child, childLine
		}
	}
	return n, line, true
}

// entry returns the value of key in mapping n and the line of the key.
func entry(n ast.Node, key string) (ast.Node, int, bool) {
	m, ok := n.(ast.MapNode)
	if !ok {
		return nil, 0, false
	}
	for it := m.MapRange(); it.Next(); {
		kv := it.KeyValue()
		if k, ok := kv.Key.(ast.ScalarNode); ok && fmt.Sprint(k.GetValue()) == key {
			return unwrap(kv.Value), lineOf(kv.Key), true
		}
	}
	return nil, 0, false
}

// item returns element i of sequence n and its line.
func item(n ast.Node, i int, valid bool) (ast.Node, int, bool) {
	s, ok := n.(*ast.SequenceNode)
	if !ok || !valid || i < 0 || i >= len(s.Values) {
		return nil, 0, false
	}
	return unwrap(s.Values[i]), lineOf(s.Values[i]), true
}

// unwrap returns the node an anchor or a tag applies to.
func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
}

func lineOf(n ast.Node) int {
	if n == nil || reflect.ValueOf(n).IsNil() || n.GetToken() == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

// text is the scalar n as written, without quotes.
func text(n ast.Node) string {
	if n == nil || reflect.ValueOf(n).IsNil() || n.GetToken() == nil {
		return ""
	}
	return n.GetToken().Value
}
