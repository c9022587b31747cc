package reconcile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/r3labs/diff/v3"
)

// The manifest manages only what it sets. project trims a live value down to
// the shape of the desired one: the keys of a desired map, element by element
// for lists of maps of the same length. A live calendar member then compares
// equal to a desired {email, priority} even though the server adds a dozen
// fields of its own.
func project(live, desired any) any {
	switch d := desired.(type) {
	case map[string]any:
		l, ok := live.(map[string]any)
		if !ok {
			return live
		}
		out := make(map[string]any, len(d))
		for k, dv := range d {
			if lv, ok := l[k]; ok {
				out[k] = project(lv, dv)
			}
		}
		return out
	case []any:
		l, ok := live.([]any)
		if !ok || len(l) != len(d) {
			return live
		}
		out := make([]any, len(l))
		for i := range l {
			out[i] = project(l[i], d[i])
		}
		return out
	}
	return live
}

// equal compares two values, taking absent, null and empty as the same: the
// server leaves out empty fields that a manifest may spell as "" or []. Empty
// values are pruned first, so go-cmp needs no options (which cost a
// reflective call per node on this hot path).
func equal(a, b any) bool {
	if isEmpty(a) && isEmpty(b) {
		return true
	}
	return cmp.Equal(pruneEmpty(a), pruneEmpty(b))
}

// pruneEmpty drops empty members of maps, recursively; lists keep their
// length, since a position in a list means something.
func pruneEmpty(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			if !isEmpty(x) {
				out[k] = pruneEmpty(x)
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = pruneEmpty(x)
		}
		return out
	}
	return v
}

func isEmpty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case []any:
		return len(t) == 0
	case map[string]any:
		for _, x := range t {
			if !isEmpty(x) {
				return false
			}
		}
		return true
	}
	return false
}

// changedFields lists, sorted, the desired fields whose live value differs.
func changedFields(desired, live map[string]any) []string {
	var out []string
	for _, f := range slices.Sorted(maps.Keys(desired)) {
		if !equal(project(live[f], desired[f]), desired[f]) {
			out = append(out, f)
		}
	}
	return out
}

// fieldChanges describes the changed fields for people: a list or a scalar
// before and after as a whole, a map by its changed leaves.
func fieldChanges(fields []string, desired, live map[string]any, sensitive func(string) bool) []FieldChange {
	var out []FieldChange
	for _, f := range fields {
		before, after := project(live[f], desired[f]), desired[f]
		if sensitive(f) {
			out = append(out, FieldChange{Field: f, Before: masked, After: masked, Sensitive: true})
			continue
		}
		bm, okB := before.(map[string]any)
		am, okA := after.(map[string]any)
		if okA && okB {
			out = append(out, mapChanges(f, bm, am)...)
			continue
		}
		out = append(out, FieldChange{Field: f, Before: before, After: after})
	}
	return out
}

// masked stands for a sensitive value wherever one would be shown or stored.
const masked = "(sensitive)"

func mapChanges(field string, before, after map[string]any) []FieldChange {
	log, err := diff.Diff(before, after)
	if err != nil || len(log) == 0 {
		return []FieldChange{{Field: field, Before: before, After: after}}
	}
	var out []FieldChange
	for _, c := range log {
		if c.Type == diff.DELETE {
			continue
		}
		if equal(c.From, c.To) {
			continue
		}
		path := field + "." + strings.Join(c.Path, ".")
		out = append(out, FieldChange{Field: path, Before: c.From, After: c.To})
	}
	slices.SortFunc(out, func(a, b FieldChange) int { return strings.Compare(a.Field, b.Field) })
	if len(out) == 0 {
		return []FieldChange{{Field: field, Before: before, After: after}}
	}
	return out
}

// Fingerprint hashes a set of fields. Sensitive fields are hashed as the
// mask, so no fingerprint can be used to guess a secret.
func Fingerprint(fields map[string]any, sensitive func(string) bool) string {
	clean := make(map[string]any, len(fields))
	for k, v := range fields {
		if sensitive != nil && sensitive(k) {
			v = masked
		}
		clean[k] = v
	}
	data, _ := json.Marshal(clean) // maps marshal with sorted keys
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:12])
}
