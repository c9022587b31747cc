package reconcile

import (
	"fmt"
	"maps"
	"slices"

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
	for _, i := range m.byKey[e.Key] {
		if !m.claimed[i] {
			return m.claim(i), nil
		}
	}
	return nil, nil
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
