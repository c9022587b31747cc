package spec

import (
	"cmp"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Normalize returns fields in the form the server stores them, so that a
// desired entry and a live object compare equal when the server would hold
// them equal. Load applies it to every entry; providers apply it to what they
// read. It never fails: values it does not understand are kept as they are,
// made JSON-like (numbers float64, lists []any, maps map[string]any).
//
// Names are trimmed; tags are lower-cased; a calendar's eventColor is
// upper-cased and its team members sorted by email or userId, emails
// lower-cased; a settings country is upper-cased.
func Normalize(kind string, fields map[string]any) map[string]any {
	if fields == nil {
		return nil
	}
	out := make(map[string]any, len(fields))
	for k, v := range fields {
		out[k] = canonical(v)
	}
	if name, ok := out["name"].(string); ok {
		out["name"] = strings.TrimSpace(name)
		if kind == KindTags {
			out["name"] = strings.ToLower(strings.TrimSpace(name))
		}
	}
	switch kind {
	case KindCalendars:
		if c, ok := out["eventColor"].(string); ok {
			out["eventColor"] = strings.ToUpper(c)
		}
		if m, ok := out["teamMembers"].([]any); ok {
			out["teamMembers"] = sortMembers(m)
		}
	case KindSettings:
		if c, ok := out["country"].(string); ok {
			out["country"] = strings.ToUpper(c)
		}
	}
	return out
}

// sortMembers lower-cases the members' emails and orders them by who they are.
func sortMembers(members []any) []any {
	out := slices.Clone(members)
	for i, m := range out {
		member, ok := m.(map[string]any)
		if !ok {
			continue
		}
		if email, ok := member["email"].(string); ok {
			member = maps.Clone(member)
			member["email"] = strings.ToLower(strings.TrimSpace(email))
			out[i] = member
		}
	}
	slices.SortStableFunc(out, func(a, b any) int { return cmp.Compare(memberKey(a), memberKey(b)) })
	return out
}

func memberKey(m any) string {
	member, _ := m.(map[string]any)
	if email, ok := member["email"].(string); ok {
		return email
	}
	id, _ := member["userId"].(string)
	return id
}

// canonical makes a value JSON-like: float64 numbers, []any, map[string]any.
func canonical(v any) any {
	switch x := v.(type) {
	case nil, string, bool, float64:
		return x
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = canonical(it)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, it := range x {
			out[k] = canonical(it)
		}
		return out
	}
	return canonicalReflect(reflect.ValueOf(v))
}

// canonicalReflect handles typed numbers, slices and maps, such as int or
// []string, that providers may build.
func canonicalReflect(rv reflect.Value) any {
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return rv.Bool()
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = canonical(rv.Index(i).Interface())
		}
		return out
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			break
		}
		out := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			out[it.Key().String()] = canonical(it.Value().Interface())
		}
		return out
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		return canonical(rv.Elem().Interface())
	}
	return rv.Interface()
}

// Keys returns the natural keys of an entry of kind with the given
// (normalised) fields, best first: an entry matches a live object, or another
// entry, when one's first key is among the other's keys.
//
//   - tags: "name:<lower-cased name>"
//   - customFields: "key:<fieldKey>" when the key is given, then always
//     "name:<model>/<name>" (model contact when unset)
//   - customValues, triggerLinks, calendars, businesses: "name:<name>"
//   - settings, and unknown kinds: nil
func Keys(kind string, fields map[string]any) []string {
	name, _ := fields["name"].(string)
	name = strings.TrimSpace(name)
	switch kind {
	case KindTags:
		return []string{"name:" + strings.ToLower(name)}
	case KindCustomFields:
		model, _ := fields["model"].(string)
		if model == "" {
			model = "contact"
		}
		byName := "name:" + model + "/" + name
		if key, _ := fields["key"].(string); key != "" {
			return []string{"key:" + key, byName}
		}
		if s := DerivedSlug(name); s != "" {
			return []string{byName, "key:" + model + "." + s}
		}
		return []string{byName}
	case KindCustomValues:
		if s := DerivedSlug(name); s != "" {
			return []string{"name:" + name, "slug:" + s}
		}
		return []string{"name:" + name}
	case KindTriggerLinks, KindCalendars, KindBusinesses:
		return []string{"name:" + name}
	}
	return nil
}

// DerivedSlug is the key HighLevel derives from a custom field's or custom
// value's name when it is created: lower-cased, each run of whitespace an
// underscore, every character but ASCII letters, digits and underscores
// dropped. Two names with one slug cannot both exist in a sub-account.
func DerivedSlug(name string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		switch {
		case r == ' ' || r == '\t' || r == '\n':
			if !space {
				b.WriteByte('_')
			}
			space = true
			continue
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		}
		space = false
	}
	return b.String()
}

// Sensitive reports whether the value of field must never be shown: a
// custom value's value when the entry is marked sensitive.
func Sensitive(e *Entry, field string) bool {
	return e != nil && e.Sensitive && e.Kind == KindCustomValues && field == "value"
}

// sameEntity reports whether two entries stand for one object: one's first
// key is among the other's keys.
func sameEntity(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	return slices.Contains(b, a[0]) || slices.Contains(a, b[0])
}
