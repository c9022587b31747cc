package reconcile

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/northwind/ghlctl/spec"
	"github.com/northwind/ghlctl/state"
)

var update = flag.Bool("update", false, "rewrite golden files")

func entry(kind string, fields map[string]any) *spec.Entry {
	f := spec.Normalize(kind, fields)
	return &spec.Entry{Kind: kind, Fields: f, Key: spec.Keys(kind, f)[0]}
}

func field(name, dataType string, options ...any) *spec.Entry {
	f := map[string]any{"name": name, "dataType": dataType, "model": "contact"}
	if len(options) > 0 {
		f["options"] = options
	}
	return entry(spec.KindCustomFields, f)
}

func location(addr string, lists map[string][]*spec.Entry) *spec.Location {
	return &spec.Location{Address: addr, ID: addr, Lists: lists}
}

func plan(t *testing.T, f *fakeServer, st *state.State, opts Options, locs ...*spec.Location) *Plan {
	t.Helper()
	if opts.MaxDeletes == 0 {
		opts.MaxDeletes = 10
	}
	p, err := (&Planner{Dir: f, State: st, Opts: opts}).Plan(context.Background(), &spec.Set{Locations: locs})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func actions(p *Plan) []string {
	var out []string
	for _, l := range p.Locations {
		for _, c := range l.Changes {
			out = append(out, string(c.Action)+" "+c.Address)
		}
	}
	return out
}

func apply(t *testing.T, p *Plan, b state.Backend, allowReplace bool) *Result {
	t.Helper()
	applier := &Applier{State: b, Parallelism: 2, AllowReplace: allowReplace}
	res, err := applier.Apply(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed) > 0 {
		t.Fatalf("failed: %v", res.Failed[0].Err)
	}
	return res
}

func readState(t *testing.T, b state.Backend) *state.State {
	st, err := b.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPlanMatchesCreatesUpdatesAndLeavesOthersAlone(t *testing.T) {
	f := newFakeServer()
	f.put("acme", spec.KindTags, map[string]any{"name": "vip"})
	f.put("acme", spec.KindTags, map[string]any{"name": "someone else's"})
	f.put("acme", spec.KindCustomFields, map[string]any{
		"name": "Insurance", "dataType": "SINGLE_OPTIONS", "model": "contact", "key": "contact.insurance",
		"options": []any{"Delta", "Aetna"}, "position": 50.0,
	})
	loc := location("acme", map[string][]*spec.Entry{
		spec.KindTags: {
			entry(spec.KindTags, map[string]any{"name": "VIP"}),
			entry(spec.KindTags, map[string]any{"name": "new lead"}),
		},
		spec.KindCustomFields: {field("Insurance", "SINGLE_OPTIONS", "Delta", "Aetna", "None")},
	})
	p := plan(t, f, nil, Options{}, loc)
	want := []string{
		"adopt acme/tags/vip",
		"create acme/tags/new lead",
		"update acme/customFields/contact/Insurance",
	}
	got := actions(p)
	if diff := cmp.Diff(want, sortedCopy(got)); diff != "" &&
		diff != cmp.Diff(sortedCopy(want), sortedCopy(got)) {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
	if p.Locations[0].Unmanaged[spec.KindTags] != 1 {
		t.Errorf("unmanaged tags = %d, want 1", p.Locations[0].Unmanaged[spec.KindTags])
	}
	var text bytes.Buffer
	if err := WriteText(&text, p, Style{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "options: [Delta, Aetna] -> [Delta, Aetna, None]") {
		t.Errorf("plan text lacks the option lists:\n%s", text.String())
	}
	golden(t, "plan-basic.txt", text.Bytes())
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if c[j] < c[i] {
				c[i], c[j] = c[j], c[i]
			}
		}
	}
	return c
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		_ = os.WriteFile(path+".ACTUAL", got, 0o644)
		t.Errorf("%s differs (-want +got):\n%s", name, diff)
	}
}

func TestApplyThenPlanIsEmpty(t *testing.T) {
	f := newFakeServer()
	b := state.NewFile(filepath.Join(t.TempDir(), "s.json"), 0)
	loc := location("acme", map[string][]*spec.Entry{
		spec.KindTags: {entry(spec.KindTags, map[string]any{"name": "vip"})},
		spec.KindCustomValues: {
			entry(spec.KindCustomValues, map[string]any{"name": "Phone", "value": "555"}),
		},
	})
	apply(t, plan(t, f, readState(t, b), Options{}, loc), b, false)
	p := plan(t, f, readState(t, b), Options{}, loc)
	if !p.Empty() {
		t.Fatalf("second plan not empty: %v", actions(p))
	}
}

func TestDataTypeChangeIsReplaceAndNeedsAllowReplace(t *testing.T) {
	f := newFakeServer()
	b := state.NewFile(filepath.Join(t.TempDir(), "s.json"), 0)
	f.put("acme", spec.KindCustomFields,
		map[string]any{"name": "Visits", "dataType": "TEXT", "model": "contact"})
	loc := location("acme", map[string][]*spec.Entry{spec.KindCustomFields: {field("Visits", "NUMERICAL")}})
	p := plan(t, f, readState(t, b), Options{}, loc)
	if got := actions(p); len(got) != 1 || !strings.HasPrefix(got[0], "replace") {
		t.Fatalf("actions = %v, want one replace", got)
	}
	if err := (&Applier{State: b}).Check(p); err == nil {
		t.Fatal("a replace was allowed without AllowReplace")
	}
	apply(t, p, b, true)
	if p := plan(t, f, readState(t, b), Options{}, loc); !p.Empty() {
		t.Fatalf("plan after replace: %v", actions(p))
	}
	if n := f.count("acme", spec.KindCustomFields); n != 1 {
		t.Fatalf("%d custom fields after replace, want 1", n)
	}
}

func TestPruneDeletesOnlyOwnedObjects(t *testing.T) {
	f := newFakeServer()
	b := state.NewFile(filepath.Join(t.TempDir(), "s.json"), 0)
	f.put("acme", spec.KindTags, map[string]any{"name": "not ours"})
	loc := location("acme", map[string][]*spec.Entry{spec.KindTags: {
		entry(spec.KindTags, map[string]any{"name": "a"}), entry(spec.KindTags, map[string]any{"name": "b"}),
	}})
	apply(t, plan(t, f, readState(t, b), Options{}, loc), b, false)
	loc.Lists[spec.KindTags] = loc.Lists[spec.KindTags][:1]
	if p := plan(t, f, readState(t, b), Options{}, loc); !p.Empty() {
		t.Fatalf("without prune: %v", actions(p))
	}
	p := plan(t, f, readState(t, b), Options{Prune: true}, loc)
	if diff := cmp.Diff([]string{"delete acme/tags/b"}, actions(p)); diff != "" {
		t.Fatalf("with prune (-want +got):\n%s", diff)
	}
	apply(t, p, b, false)
	if n := f.count("acme", spec.KindTags); n != 2 {
		t.Fatalf("%d tags left, want 2 (a and not ours)", n)
	}
}

func TestMaxDeletesAndPreventDestroy(t *testing.T) {
	f := newFakeServer()
	b := state.NewFile(filepath.Join(t.TempDir(), "s.json"), 0)
	var tags []*spec.Entry
	for i := range 11 {
		tags = append(tags, entry(spec.KindTags, map[string]any{"name": string(rune('a' + i))}))
	}
	tags[0].PreventDestroy = true
	loc := location("acme", map[string][]*spec.Entry{spec.KindTags: tags})
	apply(t, plan(t, f, readState(t, b), Options{}, loc), b, false)
	loc.Lists[spec.KindTags] = nil
	p := plan(t, f, readState(t, b), Options{Prune: true}, loc)
	if len(p.Errors) != 2 {
		t.Fatalf("errors = %q, want preventDestroy and max-deletes", p.Errors)
	}
	if !strings.Contains(strings.Join(p.Errors, "\n"), "--max-deletes 11") {
		t.Errorf("errors do not say how to raise the limit: %q", p.Errors)
	}
	tags[0].PreventDestroy = false
	loc.Lists[spec.KindTags] = tags[:1]
	p = plan(t, f, readState(t, b), Options{Prune: true, MaxDeletes: 11}, loc)
	if len(p.Errors) != 0 || p.Summary.Destroy != 10 {
		t.Fatalf("errors %q, destroy %d", p.Errors, p.Summary.Destroy)
	}
}

func TestLostCreateAnswerAdoptsInsteadOfDuplicating(t *testing.T) {
	f := newFakeServer()
	b := state.NewFile(filepath.Join(t.TempDir(), "s.json"), 0)
	loc := location("acme", map[string][]*spec.Entry{
		spec.KindTags: {entry(spec.KindTags, map[string]any{"name": "vip"})},
	})
	p := plan(t, f, readState(t, b), Options{}, loc)
	f.loseNext = true
	apply(t, p, b, false)
	if n := f.count("acme", spec.KindTags); n != 1 {
		t.Fatalf("%d tags after a lost answer, want 1", n)
	}
	if p := plan(t, f, readState(t, b), Options{}, loc); !p.Empty() {
		t.Fatalf("plan after: %v", actions(p))
	}
}

func TestSavedPlanRefusesMovedObjects(t *testing.T) {
	f := newFakeServer()
	f.put("acme", spec.KindCustomValues, map[string]any{"name": "Phone", "value": "1"})
	loc := location("acme", map[string][]*spec.Entry{
		spec.KindCustomValues: {entry(spec.KindCustomValues, map[string]any{"name": "Phone", "value": "2"})},
	})
	saved := plan(t, f, nil, Options{}, loc)
	if moved := Moved(saved, plan(t, f, nil, Options{}, loc)); len(moved) != 0 {
		t.Fatalf("unchanged world moved: %v", moved)
	}
	f.objects["acme"][spec.KindCustomValues][0].Fields["value"] = "3"
	moved := Moved(saved, plan(t, f, nil, Options{}, loc))
	if len(moved) != 1 || !strings.Contains(moved[0], "acme/customValues/Phone") {
		t.Fatalf("moved = %v", moved)
	}
}

func TestRenameAfterApplyIsAnUpdateInPlace(t *testing.T) {
	f := newFakeServer()
	b := state.NewFile(filepath.Join(t.TempDir(), "s.json"), 0)
	loc := location("acme", map[string][]*spec.Entry{
		spec.KindCustomFields: {field("Visits", "NUMERICAL"), field("Insurance", "SINGLE_OPTIONS", "A", "B")},
		spec.KindCustomValues: {
			entry(spec.KindCustomValues, map[string]any{"name": "Phone", "value": "555"}),
		},
		spec.KindTags: {entry(spec.KindTags, map[string]any{"name": "vip"})},
	})
	apply(t, plan(t, f, readState(t, b), Options{}, loc), b, false)
	loc.Lists[spec.KindCustomFields][0] = field("Visit Count", "NUMERICAL")
	loc.Lists[spec.KindCustomValues][0] = entry(spec.KindCustomValues,
		map[string]any{"name": "Main Phone", "value": "555"})
	loc.Lists[spec.KindTags][0] = entry(spec.KindTags, map[string]any{"name": "very important"})
	p := plan(t, f, readState(t, b), Options{Prune: true}, loc)
	want := []string{
		"update acme/tags/very important",
		"update acme/customFields/contact/Visit Count",
		"update acme/customValues/Main Phone",
	}
	if diff := cmp.Diff(sortedCopy(want), sortedCopy(actions(p))); diff != "" {
		t.Fatalf("renames (-want +got):\n%s", diff)
	}
	for _, l := range p.Locations {
		for _, c := range l.Changes {
			if c.RenamedFrom == "" {
				t.Errorf("%s does not say it renames", c.Address)
			}
		}
	}
	apply(t, p, b, false)
	if p := plan(t, f, readState(t, b), Options{Prune: true}, loc); !p.Empty() {
		t.Fatalf("plan after the renames: %v", actions(p))
	}
	if got := readState(t, b).Addresses("acme/customFields/"); len(got) != 2 {
		t.Fatalf("state holds %v, want the two fields once each", got)
	}
}
