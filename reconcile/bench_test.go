package reconcile

import (
	"context"
	"fmt"
	"testing"

	"github.com/northwind/ghlctl/spec"
)

// fleetFixture builds n sub-accounts of the size a typical agency runs (20
// tags, 15 custom fields, 10 custom values, 3 links, 2 calendars, a
// business), with live state already in step, so planning them finds
// nothing to do: the cost measured is matching and diffing.
func fleetFixture(n int) (*fakeServer, *spec.Set) {
	f := newFakeServer()
	set := &spec.Set{}
	for i := range n {
		addr := fmt.Sprintf("loc-%04d", i)
		lists := map[string][]*spec.Entry{}
		add := func(kind string, fields map[string]any) {
			e := entry(kind, fields)
			f.put(addr, kind, e.Fields)
			lists[kind] = append(lists[kind], e)
		}
		for j := range 20 {
			add(spec.KindTags, map[string]any{"name": fmt.Sprintf("tag %d", j)})
		}
		for j := range 15 {
			add(spec.KindCustomFields, map[string]any{"name": fmt.Sprintf("Field %d", j),
				"dataType": "SINGLE_OPTIONS", "model": "contact", "options": []any{"A", "B", "C"}})
		}
		for j := range 10 {
			add(spec.KindCustomValues, map[string]any{"name": fmt.Sprintf("Value %d", j), "value": "v"})
		}
		for j := range 3 {
			add(spec.KindTriggerLinks,
				map[string]any{"name": fmt.Sprintf("Link %d", j), "redirectTo": "https://x.example"})
		}
		for j := range 2 {
			add(spec.KindCalendars, map[string]any{
				"name": fmt.Sprintf("Calendar %d", j), "slotDuration": 30.0,
				"teamMembers": []any{map[string]any{"email": "a@x.example", "priority": 0.5}},
			})
		}
		add(spec.KindBusinesses, map[string]any{"name": "Business", "city": "Austin"})
		set.Locations = append(set.Locations, location(addr, lists))
	}
	return f, set
}

// BenchmarkPlan1000 plans 1,000 sub-accounts against an in-memory server.
func BenchmarkPlan1000(b *testing.B) {
	f, set := fleetFixture(1000)
	p := &Planner{Dir: f, Opts: Options{Parallelism: 8, MaxDeletes: 10}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		plan, err := p.Plan(context.Background(), set)
		if err != nil {
			b.Fatal(err)
		}
		if plan.Summary.Adopt != 51*1000 {
			b.Fatalf("adopt %d", plan.Summary.Adopt)
		}
	}
}
