// Package cfnfile reads the JSON files of a synthesized cloud assembly
// (manifest.json, templates, metadata, cdk-nag reports) for Relay's side
// programs, with errors a user can act on: each names the file, the field
// path inside it (such as Resources.Bucket) and the JSON type found where
// another is expected, never a Go type, and a folder or a file outside the
// assembly is refused by name.
package cfnfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
)

// ReadJSON decodes the JSON file path into v. Its errors start with path;
// a missing file wraps fs.ErrNotExist.
func ReadJSON(path string, v interface{}) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("%s: missing: %w", path, fs.ErrNotExist)
		case errors.As(err, &pe) && isDir(path):
			return fmt.Errorf("%s: a folder, not a JSON file", path)
		case errors.As(err, &pe):
			return fmt.Errorf("%s: cannot read it: %v", path, pe.Err)
		}
		return err
	}
	if err := Decode(raw, v); err != nil {
		return fmt.Errorf("%s: %s", path, err)
	}
	return nil
}

// Decode decodes raw into v, with Problem's wording on failure.
func Decode(raw []byte, v interface{}) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return errors.New(Problem(err))
	}
	return nil
}

// Problem words an encoding/json error for a user: "not JSON (...)" for a
// syntax error or a truncated file, "Resources.A is a JSON number, must be
// an object" for a value of the wrong JSON type.
func Problem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn) && syn.Error() == "unexpected end of JSON input":
		return "not JSON (unexpected end of JSON input: truncated?)"
	case errors.As(err, &syn):
		return fmt.Sprintf("not JSON (%v at byte %d)", syn, syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the document"
		}
		return fmt.Sprintf("%s is a JSON %s, must be %s", field, typ.Value, jsonKind(typ.Type))
	}
	return err.Error()
}

// Within prefixes the field of a Decode error with prefix, for a value
// decoded from inside a larger document: "artifacts.s is a JSON string".
func Within(prefix string, err error) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "the document "); ok {
		return prefix + " " + rest
	}
	if strings.HasPrefix(msg, "not JSON") {
		return prefix + ": " + msg
	}
	return prefix + "." + msg
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	case reflect.Interface:
		return "a JSON value"
	}
	return "a number"
}

// Template reads the CloudFormation template (JSON) at path: an object
// whose Resources, Outputs, Parameters, Mappings and Conditions, where
// present, are objects, and each resource an object. A template of
// another shape (null, an array, Resources as an array: a truncated or
// hand-edited file) is an error that names the field, not an empty
// template.
func Template(path string) (map[string]interface{}, error) {
	var tpl interface{}
	if err := ReadJSON(path, &tpl); err != nil {
		if rest, ok := strings.CutPrefix(err.Error(), path+": not JSON"); ok {
			return nil, fmt.Errorf("%s: not a JSON CloudFormation template%s", path, rest)
		}
		return nil, err
	}
	m, ok := tpl.(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("%s: not a JSON CloudFormation template (the document is %s, must be an object)", path, jsonType(tpl))
	}
	if err := CheckTemplate(m); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return m, nil
}

// templateSections are the sections of a template that must be objects.
var templateSections = []string{"Resources", "Outputs", "Parameters", "Mappings", "Conditions"}

// CheckTemplate checks the JSON types of a decoded template as Template
// does: nil (JSON null) is not a template.
func CheckTemplate(tpl map[string]interface{}) error {
	if tpl == nil {
		return errors.New("not a JSON CloudFormation template (null, must be an object)")
	}
	for _, sec := range templateSections {
		v, ok := tpl[sec]
		if !ok {
			continue
		}
		m, ok := v.(map[string]interface{})
		if !ok {
			return fmt.Errorf("%s is %s, must be an object", sec, jsonType(v))
		}
		if sec != "Resources" {
			continue
		}
		ids := make([]string, 0, len(m))
		for id := range m {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			if _, ok := m[id].(map[string]interface{}); !ok {
				return fmt.Errorf("Resources.%s is %s, must be an object", id, jsonType(m[id]))
			}
		}
	}
	return nil
}

// jsonType names the JSON type of a decoded value: "a JSON array".
func jsonType(v interface{}) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]interface{}:
		return "a JSON object"
	case []interface{}:
		return "a JSON array"
	case string:
		return "a JSON string"
	case bool:
		return "a JSON boolean"
	}
	return "a JSON number"
}

// Inside joins dir and the relative path rel that a manifest names, and
// fails when rel is empty, absolute, dir itself or leaves dir (such as
// ../x): a manifest names only files and folders (what) of its own
// assembly, and a nested assembly that is its own parent would be read
// forever.
func Inside(dir, rel, what string) (string, error) {
	if rel == "" {
		return "", errors.New("missing")
	}
	if !filepath.IsLocal(rel) || filepath.Clean(rel) == "." {
		return "", fmt.Errorf("%q: must name a %s inside the cloud assembly", rel, what)
	}
	return filepath.Join(dir, rel), nil
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// List is the template value v as a list, as CloudFormation and IAM read
// a field that takes one value or many (a statement's Action, Resource,
// Principal.AWS): a JSON array as it is, nil as none, anything else as a
// list of itself.
func List(v interface{}) []interface{} {
	switch x := v.(type) {
	case []interface{}:
		return x
	case nil:
		return nil
	}
	return []interface{}{v}
}
