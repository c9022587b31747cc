package spec

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
)

// decoder reads raw values against the field tables. It expands ${...}
// references as it reads each string, so every error it reports names the
// field's path and the value's place.
type decoder struct {
	d  *diag
	sc *scope
	// unresolved is set when a string kept a blueprint variable unresolved.
	unresolved bool
	// failed are the fields of the current entry that could not be decoded.
	failed map[string]bool
}

// draft is an entry on its way to the desired state: decoded, not yet merged
// with the entries of the same key from blueprints, checked or keyed.
type draft struct {
	*Entry
	// path is where the entry sits in its document, such as spec.tags[3].
	path string
	// keys are the entry's natural keys (see Keys).
	keys []string
	// app is the blueprint application the entry came from; nil for a
	// Location's own.
	app *application
	// own is set once a Location's own entry has been merged in.
	own bool
	// unresolved marks an entry of a blueprint checked on its own that uses a
	// variable without a value; checks that depend on values skip it.
	unresolved bool
	// failed are the fields that could not be decoded, already reported:
	// checks that need them skip them.
	failed map[string]bool
}

func typeName(t fieldType) string {
	switch t {
	case typeString:
		return "a string"
	case typeNumber:
		return "a number"
	case typeInteger:
		return "an integer"
	case typeBool:
		return "a bool"
	case typeList:
		return "a list"
	}
	return "a map"
}

func joinPath(base, name string) string {
	if base == "" {
		return name
	}
	return base + "." + name
}

// str decodes a string outside the field tables (ids, names, credentials).
func (dc *decoder) str(r *raw, path string) (string, bool) {
	if r.kind != rawString {
		dc.d.add(r.pos, path, "expected a string, got %s", r.kind)
		return "", false
	}
	return dc.expand(r, path)
}

// expand substitutes the references in a string value.
func (dc *decoder) expand(r *raw, path string) (string, bool) {
	s, left, err := dc.sc.expand(r.str)
	if err != nil {
		dc.d.add(r.pos, path, "%v", err)
		return "", false
	}
	dc.unresolved = dc.unresolved || left
	return s, true
}

// list decodes the resource list of one kind.
func (dc *decoder) list(ks *kindSpec, r *raw, path string) []*draft {
	if r.isNull() {
		return nil
	}
	if r.kind != rawList {
		dc.d.add(r.pos, path, "expected a list, got %s", r.kind)
		return nil
	}
	var out []*draft
	for i, item := range r.items {
		if d := dc.entry(ks, item, fmt.Sprintf("%s[%d]", path, i)); d != nil {
			out = append(out, d)
		}
	}
	return out
}

// entry decodes one resource entry, or a Location's settings.
func (dc *decoder) entry(ks *kindSpec, r *raw, path string) *draft {
	dc.unresolved, dc.failed = false, map[string]bool{}
	e := &Entry{Kind: ks.kind, Fields: map[string]any{}, Pos: r.pos, FieldPos: map[string]Pos{}}
	e.From, _ = strings.CutPrefix(r.comment, fromComment)
	if e.From == r.comment {
		e.From = ""
	}
	d := &draft{Entry: e, path: path, failed: dc.failed}
	switch {
	case ks.nameOnly && r.kind == rawString:
		dc.setField(ks.fields[0], r, path, e, "name")
	case r.kind == rawMap:
		dc.entryMap(ks, r, path, e)
	case r.kind == rawNull && ks.kind == KindSettings:
	default:
		want := "a map"
		if ks.nameOnly {
			want = "a string or a map"
		}
		dc.d.add(r.pos, path, "expected %s, got %s", want, r.kind)
		return nil
	}
	d.unresolved = dc.unresolved
	if !dc.checkName(d, r) {
		return nil
	}
	if ks.local != nil {
		ks.local(&checker{d: dc.d, e: e, path: path})
	}
	e.Fields = Normalize(ks.kind, e.Fields)
	d.keys = Keys(ks.kind, e.Fields)
	return d
}

// checkName refuses a blank name; an entry without one cannot be matched.
func (dc *decoder) checkName(d *draft, r *raw) bool {
	name, ok := d.Fields["name"].(string)
	if !ok || strings.TrimSpace(name) != "" || d.unresolved {
		return true
	}
	what := "name"
	if d.Kind == KindTags {
		what = "tag"
	}
	dc.d.add(d.fieldPos("name", r.pos), joinPath(d.path, "name"), "blank %s", what)
	return false
}

func (e *Entry) fieldPos(field string, fallback Pos) Pos {
	if p, ok := e.FieldPos[field]; ok {
		return p
	}
	return fallback
}

func (dc *decoder) entryMap(ks *kindSpec, r *raw, path string, e *Entry) {
	for i, k := range r.keys {
		v := r.vals[i]
		if slices.Contains(ks.meta, k.str) {
			dc.meta(k.str, v, joinPath(path, k.str), e)
			continue
		}
		f := ks.field(k.str)
		if f == nil {
			dc.d.add(k.pos, joinPath(path, k.str), "unknown field %q in %s", k.str, entryNoun(ks.kind))
			continue
		}
		dc.setField(f, v, path, e, k.str)
	}
}

// entryNoun names one entry of a kind in messages.
func entryNoun(kind string) string {
	switch kind {
	case KindSettings:
		return "settings"
	case KindCustomFields:
		return "a custom field"
	case KindCustomValues:
		return "a custom value"
	case KindTriggerLinks:
		return "a trigger link"
	case KindCalendars:
		return "a calendar"
	case KindBusinesses:
		return "a business"
	}
	return "a tag"
}

func (dc *decoder) setField(f *field, v *raw, path string, e *Entry, name string) {
	if v.isNull() && f.required {
		dc.d.add(v.pos, joinPath(path, name), "%s is required", name)
		dc.failed[name] = true
		return
	}
	val, ok := dc.value(f, v, joinPath(path, name), e, name)
	if !ok {
		dc.failed[name] = true
		return
	}
	e.Fields[name] = val
	e.FieldPos[name] = v.pos
}

func (dc *decoder) meta(key string, v *raw, path string, e *Entry) {
	switch key {
	case "id":
		if s, ok := dc.str(v, path); ok {
			e.ID = strings.TrimSpace(s)
		}
	case "sensitive":
		e.Sensitive = dc.boolean(v, path)
	case "preventDestroy":
		e.PreventDestroy = dc.boolean(v, path)
	}
}

func (dc *decoder) boolean(v *raw, path string) bool {
	if v.kind != rawBool {
		dc.d.add(v.pos, path, "expected a bool, got %s", v.kind)
	}
	return v.bool
}

// value decodes v against f. rel is the value's path inside its entry, under
// which FieldPos records nested values.
func (dc *decoder) value(f *field, v *raw, path string, e *Entry, rel string) (any, bool) {
	switch f.typ {
	case typeString:
		return dc.stringValue(f, v, path)
	case typeNumber, typeInteger:
		return dc.numberValue(f, v, path)
	case typeBool:
		if v.kind != rawBool {
			break
		}
		return v.bool, true
	case typeList:
		return dc.listValue(f, v, path, e, rel)
	case typeObject:
		return dc.objectValue(f, v, path, e, rel)
	case typeMap:
		if v.kind != rawMap {
			break
		}
		return dc.free(v, path)
	}
	dc.d.add(v.pos, path, "expected %s, got %s", typeName(f.typ), v.kind)
	return nil, false
}

func (dc *decoder) stringValue(f *field, v *raw, path string) (any, bool) {
	var s string
	switch {
	case v.kind == rawString:
		var left bool
		var err error
		if s, left, err = dc.sc.expand(v.str); err != nil {
			dc.d.add(v.pos, path, "%v", err)
			return nil, false
		}
		if left {
			dc.unresolved = true
			return s, true
		}
	case f.scalar && (v.kind == rawNumber || v.kind == rawBool):
		s = v.str
	default:
		dc.d.add(v.pos, path, "expected a string, got %s", v.kind)
		return nil, false
	}
	if msg := checkString(f, s); msg != "" {
		dc.d.add(v.pos, path, "%s", msg)
		return nil, false
	}
	return s, true
}

// checkString applies a string field's enum, pattern and format.
func checkString(f *field, s string) string {
	switch {
	case f.enum != nil && !slices.Contains(f.enum, s):
		if up := strings.ToUpper(s); up != s && slices.Contains(f.enum, up) {
			return fmt.Sprintf("%q is not one of the allowed values: write %q", s, up)
		}
		if len(f.enum) > 20 {
			return fmt.Sprintf("%q is not one of the allowed values", s)
		}
		return fmt.Sprintf("%q is not one of %s", s, strings.Join(f.enum, ", "))
	case f.pattern != nil && !f.pattern.MatchString(s):
		return fmt.Sprintf("%q is not %s", s, f.patternDoc)
	case f.format == "uri" && s != "" && !isURL(s):
		return fmt.Sprintf("%q is not an absolute URL", s)
	}
	return ""
}

// isURL accepts absolute URLs, and values built from HighLevel merge tags,
// which only the server can expand.
func isURL(s string) bool {
	if strings.Contains(s, "{{") {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "")
}

func (dc *decoder) numberValue(f *field, v *raw, path string) (any, bool) {
	if v.kind != rawNumber {
		dc.d.add(v.pos, path, "expected %s, got %s", typeName(f.typ), v.kind)
		return nil, false
	}
	n := v.num
	switch {
	case f.typ == typeInteger && n != math.Trunc(n):
		dc.d.add(v.pos, path, "expected an integer, got %s", v.str)
	case f.numEnum != nil && !slices.Contains(f.numEnum, n):
		dc.d.add(v.pos, path, "%s is not one of %s", v.str, formatNums(f.numEnum))
	case f.min != nil && n < *f.min, f.max != nil && n > *f.max:
		dc.d.add(v.pos, path, "%s is out of range %s", v.str, rangeDoc(f))
	default:
		return n, true
	}
	return nil, false
}

func formatNums(ns []float64) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts, ", ")
}

func rangeDoc(f *field) string {
	if f.max == nil {
		return fmt.Sprintf("(at least %v)", *f.min)
	}
	return fmt.Sprintf("%v to %v", *f.min, *f.max)
}

func (dc *decoder) listValue(f *field, v *raw, path string, e *Entry, rel string) (any, bool) {
	if v.kind != rawList {
		dc.d.add(v.pos, path, "expected a list, got %s", v.kind)
		return nil, false
	}
	out := make([]any, 0, len(v.items))
	ok := true
	for i, item := range v.items {
		ip, irel := fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("%s[%d]", rel, i)
		val, good := dc.value(f.elem, item, ip, e, irel)
		if good {
			out = append(out, val)
			e.FieldPos[irel] = item.pos
		}
		ok = ok && good
	}
	return out, ok
}

func (dc *decoder) objectValue(f *field, v *raw, path string, e *Entry, rel string) (any, bool) {
	if v.kind != rawMap {
		dc.d.add(v.pos, path, "expected a map, got %s", v.kind)
		return nil, false
	}
	out := map[string]any{}
	ok := true
	for i, k := range v.keys {
		sub := fieldIn(f.fields, k.str)
		kp, krel := joinPath(path, k.str), joinPath(rel, k.str)
		if sub == nil {
			dc.d.add(k.pos, kp, "unknown field %q", k.str)
			ok = false
			continue
		}
		val, good := dc.value(sub, v.vals[i], kp, e, krel)
		if good {
			out[k.str] = val
			e.FieldPos[krel] = v.vals[i].pos
		}
		ok = ok && good
	}
	for _, sub := range f.fields {
		if _, set := out[sub.name]; sub.required && !set && v.get(sub.name) == nil {
			dc.d.add(v.pos, joinPath(path, sub.name), "%s is required", sub.name)
			ok = false
		}
	}
	return out, ok
}

func fieldIn(fields []*field, name string) *field {
	for _, f := range fields {
		if f.name == name {
			return f
		}
	}
	return nil
}

// free decodes a map passed through as given, expanding its strings.
func (dc *decoder) free(v *raw, path string) (any, bool) {
	switch v.kind {
	case rawString:
		return dc.expand(v, path)
	case rawNumber:
		return v.num, true
	case rawBool:
		return v.bool, true
	case rawNull:
		return nil, true
	case rawList:
		out := make([]any, len(v.items))
		for i, item := range v.items {
			out[i], _ = dc.free(item, fmt.Sprintf("%s[%d]", path, i))
		}
		return out, true
	}
	out := make(map[string]any, len(v.keys))
	for i, k := range v.keys {
		out[k.str], _ = dc.free(v.vals[i], joinPath(path, k.str))
	}
	return out, true
}
