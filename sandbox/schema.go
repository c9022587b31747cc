package sandbox

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The real server validates bodies and queries with class-validator behind a
// whitelisting ValidationPipe: a property the DTO does not declare is an
// error, and each failed rule adds one message. A schema here is that DTO:
// the properties an endpoint accepts, their JSON types and the rules on them.

// kind is the JSON type a property must have.
type kind int

const (
	kString  kind = iota
	kNumber       // any JSON number
	kBool         // true or false
	kStrings      // array of strings
	kNumbers      // array of numbers
	kObject       // object validated against sub
	kObjects      // array of objects, each validated against sub
	kOpaque       // object accepted as it is
)

// prop is one accepted property.
type prop struct {
	name     string
	kind     kind
	required bool   // absent or null is an error
	notEmpty bool   // "" is an error ("should not be empty")
	enum     []any  // allowed values, when not empty
	sub      schema // properties of a nested object
}

// schema is the list of properties an endpoint accepts, in declaration order.
type schema []prop

func pString(name string) prop              { return prop{name: name, kind: kString} }
func pNumber(name string) prop              { return prop{name: name, kind: kNumber} }
func pBool(name string) prop                { return prop{name: name, kind: kBool} }
func pStrings(name string) prop             { return prop{name: name, kind: kStrings} }
func pNumbers(name string) prop             { return prop{name: name, kind: kNumbers} }
func pObject(name string, sub ...prop) prop { return prop{name: name, kind: kObject, sub: sub} }
func pList(name string, sub ...prop) prop   { return prop{name: name, kind: kObjects, sub: sub} }

// req marks the property required.
func (p prop) req() prop { p.required = true; return p }

// filled marks the property required and not empty.
func (p prop) filled() prop { p.required, p.notEmpty = true, true; return p }

// notBlank forbids the empty string without making the property required.
func (p prop) notBlank() prop { p.notEmpty = true; return p }

// oneOf restricts the property to the given values.
func (p prop) oneOf(values ...any) prop { p.enum = values; return p }

// without returns the schema minus the named properties.
func (s schema) without(names ...string) schema {
	var out schema
	for _, p := range s {
		if !slices.Contains(names, p.name) {
			out = append(out, p)
		}
	}
	return out
}

// with returns the schema plus more properties.
func (s schema) with(more ...prop) schema {
	return append(slices.Clip(s), more...)
}

func (s schema) lookup(name string) (prop, bool) {
	for _, p := range s {
		if p.name == name {
			return p, true
		}
	}
	return prop{}, false
}

// has reports whether the schema accepts the property.
func (s schema) has(name string) bool {
	_, ok := s.lookup(name)
	return ok
}

// check returns the messages for m, each prefixed with the path of m.
// Unknown properties come first, as class-validator's whitelist runs first.
func (s schema) check(m map[string]any, prefix string) []string {
	var msgs []string
	for _, k := range sortedKeys(m) {
		if !s.has(k) {
			msgs = append(msgs, prefix+"property "+k+" should not exist")
		}
	}
	for _, p := range s {
		msgs = append(msgs, p.check(m, prefix)...)
	}
	return msgs
}

func (p prop) check(m map[string]any, prefix string) []string {
	name := prefix + p.name
	v, present := m[p.name]
	if !present || v == nil {
		if p.required {
			return p.missing(name)
		}
		return nil
	}
	if msg := p.typeError(name, v); msg != "" {
		return p.withEnum(name, []string{msg})
	}
	if s, isString := v.(string); isString && s == "" && p.notEmpty {
		return []string{name + " should not be empty"}
	}
	if len(p.enum) > 0 && !slices.Contains(p.enum, v) {
		return []string{p.enumMessage(name)}
	}
	return p.checkNested(name, v)
}

// missing is what class-validator says about an absent required property.
func (p prop) missing(name string) []string {
	if p.kind == kObject || p.kind == kObjects {
		return []string{name + " should not be null or undefined"}
	}
	var msgs []string
	if p.notEmpty {
		msgs = append(msgs, name+" should not be empty")
	}
	return p.withEnum(name, append(msgs, p.typeMessage(name)))
}

func (p prop) withEnum(name string, msgs []string) []string {
	if len(p.enum) > 0 {
		msgs = append(msgs, p.enumMessage(name))
	}
	return msgs
}

func (p prop) enumMessage(name string) string {
	values := make([]string, len(p.enum))
	for i, v := range p.enum {
		values[i] = fmt.Sprint(v)
	}
	return name + " must be one of the following values: " + strings.Join(values, ", ")
}

func (p prop) typeMessage(name string) string {
	switch p.kind {
	case kNumber:
		return name + " must be a number conforming to the specified constraints"
	case kBool:
		return name + " must be a boolean value"
	case kStrings:
		return "each value in " + name + " must be a string"
	case kNumbers:
		return "each value in " + name + " must be a number conforming to the specified constraints"
	case kObject, kOpaque:
		return "nested property " + name + " must be either object or array"
	case kObjects:
		return name + " must be an array"
	}
	return name + " must be a string"
}

// typeError returns the message for a value of the wrong JSON type, or "".
func (p prop) typeError(name string, v any) string {
	good := false
	switch p.kind {
	case kString:
		_, good = v.(string)
	case kNumber:
		_, good = v.(float64)
	case kBool:
		_, good = v.(bool)
	case kObject, kOpaque:
		_, good = v.(map[string]any)
	case kStrings, kNumbers, kObjects:
		return p.arrayError(name, v)
	}
	if good {
		return ""
	}
	return p.typeMessage(name)
}

func (p prop) arrayError(name string, v any) string {
	items, isArray := v.([]any)
	if !isArray {
		return name + " must be an array"
	}
	for _, item := range items {
		good := false
		switch p.kind {
		case kStrings:
			_, good = item.(string)
		case kNumbers:
			_, good = item.(float64)
		case kObjects:
			_, good = item.(map[string]any)
		}
		if !good && p.kind == kObjects {
			return "nested property " + name + " must be either object or array"
		}
		if !good {
			return p.typeMessage(name)
		}
	}
	return ""
}

func (p prop) checkNested(name string, v any) []string {
	switch p.kind {
	case kObject:
		return p.sub.check(v.(map[string]any), name+".")
	case kObjects:
		var msgs []string
		for i, item := range v.([]any) {
			msgs = append(msgs, p.sub.check(item.(map[string]any), fmt.Sprintf("%s.%d.", name, i))...)
		}
		return msgs
	}
	return nil
}

// checkQuery validates query parameters. Values arrive as strings; numbers
// and booleans are converted first, as the server's transform pipe does.
func (s schema) checkQuery(q url.Values) []string {
	m := make(map[string]any, len(q))
	for k, vs := range q {
		v := vs[len(vs)-1]
		p, _ := s.lookup(k)
		m[k] = queryValue(p.kind, v)
	}
	return s.check(m, "")
}

func queryValue(k kind, v string) any {
	switch k {
	case kNumber:
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	case kBool:
		if b, err := strconv.ParseBool(v); err == nil && (v == "true" || v == "false") {
			return b
		}
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
