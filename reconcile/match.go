package reconcile

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/northwind/ghlctl/spec"
	"github.com/northwind/ghlctl/state"
)

// matcher pairs desired entries with live objects of one kind at one
// sub-account. An entry's pinned id wins, then the id the state recorded for
// its address, then its natural key. Each live object is claimed once.
type matcher struct {
	p       *Planner
	loc     *spec.Location
	kind    string
	live    []Object
	byID    map[string]int
	byKey   map[string][]int
	claimed map[int]bool
	wanted  map[string]bool // addresses of the desired entries
}

func newMatcher(p *Planner, loc *spec.Location, kind string, live []Object) *matcher {
	m := &matcher{
		p: p, loc: loc, kind: kind, live: live,
		byID: map[string]int{}, byKey: map[string][]int{}, claimed: map[int]bool{}, wanted: map[string]bool{},
	}
	for i, o := range live {
		m.byID[o.ID] = i
		for _, k := range spec.Keys(kind, o.Fields) {
			m.byKey[k] = append(m.byKey[k], i)
		}
	}
	return m
}

func (m *matcher) match(e *spec.Entry) (*Object, error) {
	m.wanted[state.Address(m.loc.Address, e.Kind, addressKey(e.Key))] = true
	if e.Kind == spec.KindSettings {
		if len(m.live) == 0 {
			return nil, nil
		}
		return m.claim(0), nil
	}
	if e.ID != "" {
		i, ok := m.byID[e.ID]
		if !ok || m.claimed[i] {
			return nil, fmt.Errorf("%s: %s %q is pinned to id %s, which %s does not have",
				e.Pos, Singular(e.Kind), e.Name(), e.ID, m.loc.Address)
		}
		return m.claim(i), nil
	}
	if r := m.p.State.Get(state.Address(m.loc.Address, e.Kind, addressKey(e.Key))); r != nil {
		if i, ok := m.byID[r.ID]; ok && !m.claimed[i] {
			return m.claim(i), nil
		}
	}
	for _, key := range matchKeys(e) {
		for _, i := range m.byKey[key] {
			if !m.claimed[i] {
				return m.claim(i), nil
			}
		}
	}
	return nil, nil
}

// matchKeys are the keys an entry is matched by, best first: its natural
// key, then, for an entry whose key the server derives from its name, that
// derived key. A live "Visit Count" then matches a desired "visit count":
// the server would refuse to create the second.
func matchKeys(e *spec.Entry) []string {
	keys := spec.Keys(e.Kind, e.Fields)
	if len(keys) == 0 {
		return []string{e.Key}
	}
	if strings.HasPrefix(keys[0], "key:") {
		return keys[:1] // a pinned key binds by that key only
	}
	return keys
}

func (m *matcher) claim(i int) *Object {
	m.claimed[i] = true
	return &m.live[i]
}

// leftovers plans the live objects no entry claimed: owned ones are deleted
// when pruning (or counted as retired), the others are left alone.
func (m *matcher) leftovers(kp *kindPlan) {
	if m.kind == spec.KindSettings {
		return
	}
	for i, o := range m.live {
		if m.claimed[i] {
			continue
		}
		addr, r := m.p.State.ByID(m.loc.Address, m.kind, o.ID)
		if r == nil || m.wanted[addr] {
			kp.unmanaged++
			continue
		}
		if !m.p.Opts.Prune {
			kp.retired++
			continue
		}
		kp.changes = append(kp.changes, m.deletion(addr, r, &m.live[i]))
	}
}

func (m *matcher) deletion(addr string, r *state.Resource, o *Object) *Change {
	name, _ := o.Fields["name"].(string)
	return &Change{
		Action: Delete, Kind: m.kind, Key: r.Key, Name: name, Address: addr, ID: o.ID,
		Detail: o.Detail, PreventDestroy: r.PreventDestroy, live: o,
		LiveFingerprint: Fingerprint(o.Fields, maskValues),
	}
}

// maskValues hides every value field from a fingerprint: the entry that said
// whether it was sensitive is gone.
func maskValues(field string) bool { return field == "value" }

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// renames pairs entries that found no live object with owned objects whose
// entries are gone: the same entry under a new name. An object pairs with
// the entry whose other fields it matches, or, when one entry and one object
// are left, with that one. It returns, per entry, the state address the
// paired object had.
func (m *matcher) renames(entries []*spec.Entry, matched []*Object) []string {
	out := make([]string, len(entries))
	if m.kind == spec.KindSettings {
		return out
	}
	orphans := m.orphans()
	var open []int
	for i := range entries {
		if matched[i] == nil && entries[i].ID == "" {
			open = append(open, i)
		}
	}
	for _, i := range open {
		if j, ok := m.pairing(entries[i], orphans, len(open)); ok {
			matched[i], out[i] = m.claim(j), orphans[j]
			delete(orphans, j)
		}
	}
	return out
}

// orphans are the unclaimed live objects the state owns under an address no
// entry wants, by index into live.
func (m *matcher) orphans() map[int]string {
	out := map[int]string{}
	for i, o := range m.live {
		if m.claimed[i] {
			continue
		}
		if addr, r := m.p.State.ByID(m.loc.Address, m.kind, o.ID); r != nil && !m.wanted[addr] {
			out[i] = addr
		}
	}
	return out
}

func (m *matcher) pairing(e *spec.Entry, orphans map[int]string, open int) (int, bool) {
	var alike []int
	for j := range orphans {
		if sameButName(e.Fields, m.live[j].Fields) {
			alike = append(alike, j)
		}
	}
	if len(alike) == 1 {
		return alike[0], true
	}
	if len(orphans) == 1 && open == 1 {
		for j := range orphans {
			return j, true
		}
	}
	return 0, false
}

// sameButName reports whether live holds every desired field but the name,
// and there is at least one such field to go by.
func sameButName(desired, live map[string]any) bool {
	n := 0
	for f, v := range desired {
		if f == "name" || f == "model" {
			continue
		}
		if !equal(project(live[f], v), v) {
			return false
		}
		n++
	}
	return n > 0
}
