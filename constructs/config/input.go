package config

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
)

// depthMessage is the error of a file that nests deeper than MaxDepth.
var depthMessage = fmt.Sprintf("lists and mappings nest deeper than %d levels here; a Relay configuration needs at most 6: remove the extra brackets, dashes or indentation", MaxDepth)

// Limits of a configuration file. Parse checks them on the bytes, before
// the YAML parser builds anything: go-yaml's parser takes time and memory
// that grow with the square of the nesting depth (a 400 KB file nesting
// 200,000 flow sequences ran for minutes past 20 GB), and about 1 KB of
// memory per node. Real configurations stay far below them: 1,000
// environments with two regions, approvals, parameters, waves and entry
// conditions take about 480 KB, 75,000 counted nodes (57,000 built) and 5
// levels; no Relay field nests deeper than 6.
const (
	// MaxBytes is the largest configuration file, in bytes (2 MiB).
	MaxBytes = 2 << 20
	// MaxDepth is the deepest nesting of lists and mappings, flow ([ ], { })
	// and block (indentation, "- ") together.
	MaxDepth = 64
	// MaxNodes is the most YAML nodes (keys, values, list items and
	// collections) a file may have, aliases counted as what they repeat.
	MaxNodes = 200_000
)

// utf8BOM is the byte-order mark some editors write at the start of a
// UTF-8 file.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// inputScan is what the pre-scan of a configuration file found.
type inputScan struct {
	// depth is the deepest nesting seen, nodes the nodes counted; both are
	// upper bounds of what the YAML parser builds from the same bytes.
	depth, nodes int
	// hidden is the first refused character outside comments (line 0:
	// none). Parse reports it when no text field holds it.
	hidden struct {
		line int
		r    rune
	}
}

// checkInput strips a UTF-8 byte-order mark from data and checks the
// limits and characters of the file before any YAML parsing: its size, that
// it is UTF-8, that no comment holds a control or bidirectional character,
// and the nesting depth and node count of its YAML (see MaxBytes, MaxDepth
// and MaxNodes). It works line by line in constant memory, and stops at the
// first line that breaks a limit.
func checkInput(name string, data []byte) ([]byte, *inputScan, error) {
	if len(data) > MaxBytes {
		return nil, nil, sizeError(name, int64(len(data)), data)
	}
	switch {
	case bytes.HasPrefix(data, utf8BOM):
		data = data[len(utf8BOM):]
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return nil, nil, &yamlError{file: name, line: 1,
			msg: fmt.Sprintf("the file starts with the byte-order mark % X of UTF-16 (or UTF-32); save it as UTF-8", data[:2])}
	}
	s := &scanner{lastValue: -1}
	for s.offset < len(data) || s.line == 0 {
		if err := s.scanLine(s.next(data)); err != nil {
			return nil, nil, &yamlError{file: name, line: s.line, msg: err.Error()}
		}
	}
	return data, &s.found, nil
}

// sizeError says that a file of size bytes, which starts with head, is
// larger than MaxBytes, naming the line on which it passes the limit.
func sizeError(name string, size int64, head []byte) error {
	line := 1 + bytes.Count(head[:min(len(head), MaxBytes)], []byte{'\n'})
	return &yamlError{file: name, line: line,
		msg: fmt.Sprintf("the file has %d bytes and passes the limit of %d bytes (2 MiB) on this line; a Relay configuration needs far less (1,000 environments take about 500 KB): split the environments across several configurations", size, MaxBytes)}
}

// scanner is a conservative YAML lexer that measures nesting and counts
// nodes without building anything. It follows YAML's lexical rules for
// comments, quoted scalars, plain scalars and block scalars, and counts
// every construct that may open a collection, so that what it reports is
// never below what the parser builds from the same bytes (FuzzParse checks
// this against go-yaml's syntax tree).
type scanner struct {
	offset int // of the next line in the data
	line   int
	found  inputScan
	// flow is the number of open flow collections; flowBase the block
	// depth when the outermost one opened (block levels are not closed
	// below it while a flow collection is open).
	flow, flowBase int
	// flows are the open flow collections, innermost last; inFlowExtra
	// is the sum of their extra levels.
	flows       []flowLevel
	inFlowExtra int
	// block are the open block collections, innermost last.
	block []blockLevel
	// quote is the quote character of a quoted scalar that continues on
	// the next line, 0 if none.
	quote byte
	// literal is true inside a block scalar (| or >). Its content lines
	// are indented more than literalParent, and at least as much as the
	// first of them (literalIndent, -1 until it is known).
	literal                      bool
	literalParent, literalIndent int
	// shadow is the bracket nesting inside the current scalar's text (see
	// text).
	shadow int
	// flowCol is the column where the last flow collection at block level
	// started (a flow collection may be a block mapping's key).
	flowCol int
	// dangling is true after a line that ends with an anchor, a tag, or a
	// "- " or "? " without its node: the node starts on the next line, and
	// go-yaml nests it there whatever its indentation, so that line closes
	// no collection.
	dangling bool
	// lastValue is the column of the scalar that ended the previous line as
	// a value in a block collection, -1 if none.
	lastValue int
}

// flowLevel is an open flow collection. extra counts the levels go-yaml
// nests inside it without brackets: a block sequence for each "- " written
// there (not YAML, but go-yaml reads it so), and, in a flow sequence, the
// single-pair mappings of entries such as [a: b] (once: they are siblings).
type flowLevel struct {
	seq   bool
	pair  bool
	extra int
	value bool // after the ':' of the current entry
}

// innerFlow is the innermost open flow collection, nil if none.
func (s *scanner) innerFlow() *flowLevel {
	if len(s.flows) == 0 {
		return nil
	}
	return &s.flows[len(s.flows)-1]
}

// flowExtra adds a level inside the innermost flow collection: a pair
// (counted once per flow sequence, none in a flow mapping), or a "- ".
func (s *scanner) flowExtra(pair bool) error {
	f := &s.flows[len(s.flows)-1]
	if pair {
		if !f.seq {
			return nil
		}
		s.found.nodes++ // each pair of a flow sequence is a mapping
		if f.pair {
			return nil
		}
		f.pair = true
	}
	f.extra++
	s.inFlowExtra++
	return s.deeper()
}

// blockLevel is an open block collection: the column of its entries and
// whether it is a sequence.
type blockLevel struct {
	col int
	seq bool
}

// next returns the next line of data, without its line break (\n, \r\n or
// \r, as YAML and go-yaml break lines).
func (s *scanner) next(data []byte) []byte {
	rest := data[s.offset:]
	i := bytes.IndexAny(rest, "\r\n")
	if i < 0 {
		s.offset = len(data)
		return rest
	}
	s.offset += i + 1
	if rest[i] == '\r' && i+1 < len(rest) && rest[i+1] == '\n' {
		s.offset++
	}
	return rest[:i]
}

func (s *scanner) scanLine(l []byte) error {
	s.line++
	if !utf8.Valid(l) {
		return fmt.Errorf("the line is not valid UTF-8; save the file as UTF-8")
	}
	if r, ok := firstUnprintable(l); ok {
		return fmt.Errorf("the line contains %s, which YAML allows only escaped; remove it", describeRune(r))
	}
	indent := 0
	for indent < len(l) && (l[indent] == ' ' || l[indent] == '\t') {
		indent++
	}
	blank := indent == len(l)
	if s.literal {
		switch {
		case blank:
			return s.text(l, true)
		case s.literalIndent < 0 && indent > s.literalParent:
			s.literalIndent = indent
			return s.text(l, true)
		case s.literalIndent >= 0 && indent >= s.literalIndent:
			return s.text(l, true)
		}
		s.literal = false
	}
	if s.quote != 0 {
		end, closed := closeQuote(l, 0, s.quote)
		if err := s.text(l[:end], true); err != nil {
			return err
		}
		if !closed {
			return nil
		}
		s.quote = 0
		return s.lex(l, end, false)
	}
	if blank {
		return nil
	}
	if l[indent] == '#' { // a comment line closes nothing
		return s.comment(l[indent:])
	}
	if s.flow == 0 && (bytes.HasPrefix(l, []byte("---")) || bytes.HasPrefix(l, []byte("..."))) {
		// A document marker. go-yaml also reads one that a token follows
		// without a space; the documents are then counted as one.
		s.found.nodes++
		s.lastValue, s.dangling = -1, false
		if sep(l, 3) {
			s.block = s.block[:0]
			return s.lex(l, 3, true)
		}
		return s.lex(l, 0, true)
	}
	if s.flow == 0 && s.lastValue >= 0 && !s.dangling && indent > s.parentCol() {
		return s.continuation(l)
	}
	if s.flow == 0 && l[indent] == ':' && s.valueIndicator(l, indent) {
		// go-yaml reads a ':' that starts a line as making the node before
		// it (a scalar, or a block scalar) a key, wherever it is.
		col := s.lastValue
		if col < 0 {
			col = indent
		}
		s.dangling = true
		if err := s.key(col); err != nil {
			return err
		}
	} else if !s.dangling {
		s.popAbove(indent)
	}
	s.lastValue = -1
	return s.lex(l, indent, true)
}

// parentCol is the column of the innermost block collection, -1 if none.
func (s *scanner) parentCol() int {
	if n := len(s.block); n > 0 {
		return s.block[n-1].col
	}
	return -1
}

// continuation reads l as the next line of the plain scalar that ended the
// previous line (it is indented more than the collection that holds the
// scalar): text, unless a ':' makes the whole scalar a key.
func (s *scanner) continuation(l []byte) error {
	for p := 0; p < len(l); p++ {
		switch {
		case l[p] == '#' && (p == 0 || l[p-1] == ' ' || l[p-1] == '\t'):
			if err := s.text(l[:p], true); err != nil {
				return err
			}
			return s.comment(l[p:])
		case l[p] == ':' && sep(l, p+1):
			if err := s.text(l[:p], true); err != nil {
				return err
			}
			col := s.lastValue
			s.lastValue, s.dangling = -1, true
			if err := s.key(col); err != nil {
				return err
			}
			s.found.nodes += 2
			return s.lex(l, p+1, true)
		}
	}
	return s.text(l, true)
}

// lex reads the tokens of l from p; expect is true where a node may start.
func (s *scanner) lex(l []byte, p int, expect bool) error {
	// property is true while the last token is an anchor, a tag, or a "- "
	// or "? " without its node; tokens is false on a line of only a
	// comment, which changes nothing.
	property, tokens := false, false
	defer func() {
		if tokens {
			s.dangling = property && expect && s.flow == 0 && !s.literal && s.quote == 0
		}
	}()
	props := -1 // the column of the properties (anchor, tag, alias) of the next node
	for p < len(l) {
		c := l[p]
		if c != ' ' && c != '\t' && !(c == '#' && (p == 0 || l[p-1] == ' ' || l[p-1] == '\t')) {
			property, tokens = c == '&' || c == '!' || ((c == '-' || c == '?') && sep(l, p+1)), true
		}
		switch {
		case c == ' ' || c == '\t':
			p++
		case c == '#' && (p == 0 || l[p-1] == ' ' || l[p-1] == '\t'):
			return s.comment(l[p:])
		case c == '-' && expect && s.flow > 0 && sep(l, p+1):
			// Not YAML, but go-yaml nests a block sequence here: by
			// indentation at the start of a line, else in place.
			s.found.nodes++
			var err error
			if lineStart(l, p) {
				err = s.seqEntry(p)
			} else {
				err = s.flowExtra(false)
			}
			if err != nil {
				return err
			}
			p++
		case c == '?' && expect && sep(l, p+1):
			// An explicit mapping key: the pair, the key node, the key and
			// its value (null if none).
			s.found.nodes += 4
			if s.flow == 0 {
				if err := s.key(p); err != nil {
					return err
				}
			}
			p++
		case c == '-' && expect && s.flow == 0 && sep(l, p+1):
			// A block sequence entry (null if nothing follows).
			s.found.nodes++
			if err := s.seqEntry(p); err != nil {
				return err
			}
			p++
		case c == ':' && s.valueIndicator(l, p):
			if s.flow == 0 && (!expect || props >= 0) { // after a flow collection or properties used as a key
				col := s.flowCol
				if props >= 0 {
					col = props
				}
				if err := s.key(col); err != nil {
					return err
				}
			}
			if s.flow > 0 && !expect {
				if err := s.flowExtra(true); err != nil {
					return err
				}
			}
			s.found.nodes += 2 // the key-value pair, and its value (null if none)
			if f := s.innerFlow(); f != nil {
				f.value = true
			}
			p++
			expect = true
		case c == '[' || c == '{':
			if s.flow == 0 {
				s.flowBase, s.flowCol = len(s.block), p
			}
			s.flow++
			s.flows = append(s.flows, flowLevel{seq: c == '['})
			s.found.nodes++
			if err := s.deeper(); err != nil {
				return err
			}
			p++
			expect = true
		case s.closes(c):
			s.flow--
			s.inFlowExtra -= s.flows[len(s.flows)-1].extra
			s.flows = s.flows[:len(s.flows)-1]
			if s.flow == 0 {
				s.block = s.block[:s.flowBase] // levels opened inside it end with it
			}
			p++
			expect = false
		case c == ',' && s.flow > 0:
			s.innerFlow().value = false
			p++
			expect = true
		case c == '&' || c == '!': // anchor or tag: the node follows
			s.found.nodes += 2
			start := p
			if props < 0 {
				props = p
			}
			p = s.word(l, p)
			if err := s.text(l[start:p], false); err != nil {
				return err
			}
		case c == '*': // alias
			s.found.nodes += 2
			start := p
			if props < 0 {
				props = p // go-yaml may read what follows as part of this node
			}
			p = s.word(l, p)
			if err := s.text(l[start:p], false); err != nil {
				return err
			}
			var err error
			if p, expect, err = s.afterScalar(l, nodeStart(props, start), p); err != nil {
				return err
			}
		case (c == '|' || c == '>') && expect && s.flow == 0:
			s.found.nodes += 2
			s.literal, s.literalParent, s.literalIndent, s.shadow = true, -1, -1, 0
			if len(s.block) > 0 {
				s.literalParent = s.block[len(s.block)-1].col
			}
			if i := bytes.Index(l[p:], []byte(" #")); i >= 0 {
				return s.comment(l[p+i+1:])
			}
			return nil
		case c == '\'' || c == '"':
			s.found.nodes++
			end, closed := closeQuote(l, p+1, c)
			if err := s.text(l[p:end], false); err != nil {
				return err
			}
			if !closed {
				s.quote = c
				return nil
			}
			var err error
			if p, expect, err = s.afterScalar(l, nodeStart(props, p), end); err != nil {
				return err
			}
		default: // a plain scalar
			s.found.nodes++
			start := p
			p = s.plainEnd(l, p)
			if err := s.text(l[start:p], false); err != nil {
				return err
			}
			var err error
			if p, expect, err = s.afterScalar(l, nodeStart(props, start), p); err != nil {
				return err
			}
		}
		if c != ' ' && c != '\t' && c != '&' && c != '!' && c != '*' {
			props = -1
		}
		if s.found.nodes > MaxNodes {
			return fmt.Errorf("the file has more than %d YAML nodes (keys, values, list items and collections) by this line; a Relay configuration needs far fewer (1,000 environments take about 75,000): split the environments across several configurations", MaxNodes)
		}
	}
	return nil
}

// afterScalar continues after a scalar that starts at start and ends at
// end: when a mapping value indicator follows, the scalar was a key.
func (s *scanner) afterScalar(l []byte, start, end int) (int, bool, error) {
	p := end
	for p < len(l) && (l[p] == ' ' || l[p] == '\t') {
		p++
	}
	isKey := p < len(l) && l[p] == ':' && s.valueIndicator(l, p)
	if f := s.innerFlow(); f != nil && !f.seq && !f.value && !isKey {
		s.found.nodes += 2 // a key of a flow mapping without ':': a pair with a null value
	}
	if isKey {
		if f := s.innerFlow(); f != nil {
			f.value = true
		}
		var err error
		switch {
		case s.flow == 0:
			err = s.key(start)
		case lineStart(l, start):
			// Not YAML, but go-yaml nests block mappings by indentation
			// inside flow collections.
			if err = s.key(start); err == nil {
				err = s.flowExtra(true)
			}
		default:
			err = s.flowExtra(true)
		}
		if err != nil {
			return 0, false, err
		}
		s.found.nodes += 2
		return p + 1, true, nil
	}
	if s.flow == 0 && (p == len(l) || l[p] == '#') {
		s.lastValue = start
	}
	return p, false, nil
}

// lineStart reports whether only spaces and tabs come before p in l.
func lineStart(l []byte, p int) bool {
	return len(bytes.TrimLeft(l[:p], " \t")) == 0
}

// closes reports whether c closes the innermost flow collection: ] a
// sequence, } a mapping (go-yaml reads the other one as text).
func (s *scanner) closes(c byte) bool {
	if s.flow == 0 {
		return false
	}
	if s.flows[len(s.flows)-1].seq {
		return c == ']'
	}
	return c == '}'
}

// nodeStart is where a node that starts at p begins: at its properties,
// if it has any (props >= 0).
func nodeStart(props, p int) int {
	if props >= 0 {
		return props
	}
	return p
}

// valueIndicator reports whether the ':' at p is a mapping value
// indicator: followed by a space or the end of the line, or, in a flow
// collection, by a flow indicator or a quote (go-yaml reads {a:'b'} as a
// pair).
func (s *scanner) valueIndicator(l []byte, p int) bool {
	return sep(l, p+1) || (s.flow > 0 && p+1 < len(l) && bytes.IndexByte([]byte(",[]{}'\""), l[p+1]) >= 0)
}

// plainEnd returns the end of the plain scalar that starts at p.
func (s *scanner) plainEnd(l []byte, p int) int {
	for p++; p < len(l); p++ {
		switch c := l[p]; {
		case (c == ' ' || c == '\t') && p+1 < len(l) && l[p+1] == '#':
			return p
		case c == ':' && s.valueIndicator(l, p):
			return p
		case s.flow > 0 && (c == ',' || c == '[' || c == '{' || s.closes(c)):
			return p
		}
	}
	return p
}

// word returns the end of the anchor, alias or tag that starts at p. An
// anchor or alias marker followed by spaces takes the next word as its name
// (go-yaml reads "& a" as "&a").
func (s *scanner) word(l []byte, p int) int {
	if l[p] != '!' {
		for p+1 < len(l) && (l[p+1] == ' ' || l[p+1] == '\t') {
			p++
		}
	}
	tag := l[p] == '!'
	for p++; p < len(l); p++ {
		c := l[p]
		switch {
		case c == ' ' || c == '\t', c == ',' && s.flow > 0:
			return p
		case tag: // go-yaml ends a tag only there
		case s.flow > 0 && bytes.IndexByte([]byte("[]{}"), c) >= 0, c == ':' && s.valueIndicator(l, p):
			return p
		}
	}
	return p
}

// closeQuote returns the end of the quoted scalar whose content starts at
// p (just after the closing quote) and true, or len(l) and false when it
// continues on the next line.
func closeQuote(l []byte, p int, q byte) (int, bool) {
	for ; p < len(l); p++ {
		switch {
		case q == '"' && l[p] == '\\':
			p++ // an escaped character
		case l[p] == q && q == '\'' && p+1 < len(l) && l[p+1] == '\'':
			p++ // '' is a quote inside single quotes
		case l[p] == q:
			return p + 1, true
		}
	}
	return len(l), false
}

// seqEntry opens or continues the block sequence whose "- " is at col.
func (s *scanner) seqEntry(col int) error {
	if s.dangling || (s.flow > 0 && len(s.block) == s.flowBase) {
		s.dangling = false
		return s.push(blockLevel{col, true})
	}
	s.popAbove(col)
	if n := len(s.block); n > 0 && s.block[n-1].col == col && s.block[n-1].seq {
		return nil
	}
	return s.push(blockLevel{col, true})
}

// key opens or continues the block mapping whose key starts at col. A key
// in the column of a sequence's "- " ends that sequence (a sequence may be
// written in the column of its parent's keys).
func (s *scanner) key(col int) error {
	if s.dangling || (s.flow > 0 && len(s.block) == s.flowBase) {
		s.dangling = false
		return s.push(blockLevel{col, false})
	}
	s.popAbove(col)
	if n := len(s.block); n > 0 && s.block[n-1].col == col && s.block[n-1].seq && n > s.floor() {
		s.block = s.block[:n-1]
	}
	if n := len(s.block); n > 0 && s.block[n-1].col == col && !s.block[n-1].seq {
		return nil
	}
	return s.push(blockLevel{col, false})
}

func (s *scanner) push(b blockLevel) error {
	s.block = append(s.block, b)
	s.found.nodes++
	return s.deeper()
}

// popAbove closes the block collections indented more than col, but none
// that holds an open flow collection.
func (s *scanner) popAbove(col int) {
	for n := len(s.block); n > s.floor() && s.block[n-1].col > col; n-- {
		s.block = s.block[:n-1]
	}
}

// floor is how many block levels must stay open: those around an open flow
// collection.
func (s *scanner) floor() int {
	if s.flow > 0 {
		return s.flowBase
	}
	return 0
}

// deeper records the current depth and refuses it over MaxDepth.
func (s *scanner) deeper() error {
	d := len(s.block) + s.flow + s.inFlowExtra
	s.found.depth = max(s.found.depth, d)
	if d > MaxDepth {
		return errors.New(depthMessage)
	}
	return nil
}

// comment checks the characters of a comment (or directive): a control
// or bidirectional character in it is refused, since no field holds it.
func (s *scanner) comment(c []byte) error {
	if r, ok := firstRefused(c); ok {
		return fmt.Errorf("the comment contains %s; remove it", describeRune(r))
	}
	return nil
}

// text remembers the first refused character in scalar text, which Parse
// reports with its field (or with its line, if no field holds it).
//
// It also measures the nesting that the text would have if it were YAML
// (brackets, and "- " at the start of a line), as a shadow of the scanner's
// own count: where go-yaml reads text as structure that the scanner reads
// as a scalar, the depth it builds stays bounded all the same. cont is
// true for the next line of the same scalar.
func (s *scanner) text(t []byte, cont bool) error {
	if s.found.hidden.line == 0 {
		if r, ok := firstRefused(t); ok {
			s.found.hidden.line, s.found.hidden.r = s.line, r
		}
	}
	if !cont {
		s.shadow = 0
	}
	dashes, lead := 0, true
	for i, c := range t {
		switch {
		case c == '[' || c == '{':
			s.shadow++
		case (c == ']' || c == '}') && s.shadow > 0:
			s.shadow--
		case c == '-' && lead && sep(t, i+1):
			dashes++
			continue
		case c == ' ' || c == '\t':
			continue
		}
		lead = false
		if s.shadow+dashes > 0 && len(s.block)+s.flow+s.inFlowExtra+s.shadow+dashes > MaxDepth {
			return errors.New(depthMessage)
		}
	}
	if dashes > 0 && len(s.block)+s.flow+s.inFlowExtra+s.shadow+dashes > MaxDepth {
		return errors.New(depthMessage)
	}
	return nil
}

// sep reports whether l[p] separates tokens: a space, a tab or the end of
// the line.
func sep(l []byte, p int) bool {
	return p >= len(l) || l[p] == ' ' || l[p] == '\t'
}

// refusedRune reports whether r is a character Relay refuses in a
// configuration: a control character other than tab and line breaks, or an
// invisible format character (bidirectional embeddings, overrides,
// isolates and marks, zero-width spaces, the byte-order mark, tag
// characters), which can make text display differently from what it is
// (Trojan Source, CVE-2021-42574). The zero-width joiner and non-joiner
// are allowed: some scripts and emoji need them.
func refusedRune(r rune) bool {
	switch r {
	case '\t', '\n', '\r', '\u200c', '\u200d':
		return false
	case '\u2028', '\u2029': // line and paragraph separators
		return true
	}
	return unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r)
}

// firstRefused returns the first refused rune of b.
func firstRefused(b []byte) (rune, bool) {
	for i := 0; i < len(b); {
		c := b[i]
		if c >= 0x20 && c < 0x7F || c == '\t' {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if refusedRune(r) {
			return r, true
		}
		i += n
	}
	return 0, false
}

// firstUnprintable returns the first character of b that YAML does not
// allow unescaped in a file: C0 controls other than tab and line breaks,
// DEL, C1 controls other than NEL, surrogates, U+FFFE and U+FFFF (YAML
// 1.2, c-printable).
func firstUnprintable(b []byte) (rune, bool) {
	for i := 0; i < len(b); {
		c := b[i]
		if c >= 0x20 && c < 0x7F || c == '\t' {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r < 0x20 || r == 0x7F, r >= 0x80 && r <= 0x9F && r != 0x85, r == 0xFFFE || r == 0xFFFF:
			return r, true
		}
		i += n
	}
	return 0, false
}

// runeNames are the names of the refused characters most often met.
var runeNames = map[rune]string{
	0x00: "NULL", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE",
	0x200B: "ZERO WIDTH SPACE", 0x200E: "LEFT-TO-RIGHT MARK", 0x200F: "RIGHT-TO-LEFT MARK", 0x061C: "ARABIC LETTER MARK",
	0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING", 0x202C: "POP DIRECTIONAL FORMATTING",
	0x202D: "LEFT-TO-RIGHT OVERRIDE", 0x202E: "RIGHT-TO-LEFT OVERRIDE",
	0x2066: "LEFT-TO-RIGHT ISOLATE", 0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE", 0x2069: "POP DIRECTIONAL ISOLATE",
	0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR", 0x2060: "WORD JOINER", 0xFEFF: "ZERO WIDTH NO-BREAK SPACE (byte-order mark)",
}

// describeRune names a refused rune and says why it is refused.
func describeRune(r rune) string {
	name := ""
	if n, ok := runeNames[r]; ok {
		name = " (" + n + ")"
	}
	why := "an invisible format character, which can make text display differently from what it is"
	switch {
	case unicode.Is(unicode.Cc, r):
		why = "a control character"
	case unicode.In(r, unicode.Bidi_Control):
		why = "a bidirectional control character, which can make text display in another order than it is read (Trojan Source)"
	}
	return fmt.Sprintf("U+%04X%s, %s", r, name, why)
}

// nodeChildren are the nodes directly under n in go-yaml's syntax tree.
func nodeChildren(n ast.Node) []ast.Node {
	switch n := n.(type) {
	case *ast.DocumentNode:
		return []ast.Node{n.Body}
	case *ast.MappingNode:
		out := make([]ast.Node, len(n.Values))
		for i, v := range n.Values {
			out[i] = v
		}
		return out
	case *ast.MappingValueNode:
		return []ast.Node{n.Key, n.Value}
	case *ast.MappingKeyNode:
		return []ast.Node{n.Value}
	case *ast.SequenceNode:
		return n.Values
	case *ast.AnchorNode:
		return []ast.Node{n.Value}
	case *ast.TagNode:
		return []ast.Node{n.Value}
	}
	return nil
}

// checkTree checks the limits on the syntax tree that go-yaml built, before
// anything is decoded: the nesting depth (the pre-scan bounds the parser's
// work, but go-yaml reads a few malformed forms as one level deeper than the
// pre-scan counts), and the nodes with every alias expanded into what it
// repeats, which the decoder would build (a "billion laughs").
func checkTree(name string, root ast.Node) error {
	sizes := map[string]int{} // anchor name -> expanded nodes of its value
	var deep, big ast.Node
	var walk func(n ast.Node, depth int) int
	walk = func(n ast.Node, depth int) int {
		if n == nil || reflect.ValueOf(n).IsNil() || deep != nil || big != nil {
			return 0
		}
		switch v := n.(type) {
		case *ast.AliasNode:
			k := sizes[text(v.Value)]
			if k > MaxNodes {
				big = n
			}
			return k
		case *ast.AnchorNode:
			k := walk(v.Value, depth)
			sizes[text(v.Name)] = k
			return 1 + k
		case *ast.SequenceNode, *ast.MappingNode:
			depth++
		case *ast.MappingValueNode: // a pair is a mapping, unless in a MappingNode
			depth++
		}
		if depth > MaxDepth {
			deep = n
			return 0
		}
		total := 1
		for _, c := range nodeChildren(n) {
			if mv, ok := c.(*ast.MappingValueNode); ok {
				if _, inMapping := n.(*ast.MappingNode); inMapping {
					total += 1 + walk(mv.Key, depth) + walk(mv.Value, depth)
					continue
				}
			}
			total += walk(c, depth)
			if total > MaxNodes && big == nil {
				big = c
			}
		}
		return total
	}
	walk(root, 0)
	switch {
	case deep != nil:
		return &yamlError{file: name, line: lineOf(deep), msg: depthMessage}
	case big != nil:
		return &yamlError{file: name, line: lineOf(big),
			msg: fmt.Sprintf("aliases here expand the configuration to more than %d YAML nodes; write the repeated values out instead of nesting aliases", MaxNodes)}
	}
	return nil
}
