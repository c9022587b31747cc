package spec

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// fromComment opens the comment Render writes above an entry that came from
// a blueprint; Load reads it back, so a rendering loads as it was rendered.
const fromComment = "# from blueprint "

// application is one blueprint applied to one Location, with the values of
// its variables.
type application struct {
	bd   *blueprintDoc
	vars map[string]string
}

// build checks the blueprints, expands every Location and assembles the Set.
func (l *loader) build() *Set {
	set := &Set{Agency: l.agency}
	for _, name := range slices.Sorted(maps.Keys(l.blueprints)) {
		bd := l.blueprints[name]
		l.checkBlueprint(bd)
		set.Blueprints = append(set.Blueprints, bd.bp)
	}
	ids, names := map[string]*Location{}, map[string]*Location{}
	for _, ld := range l.locations {
		l.expand(ld)
		set.Locations = append(set.Locations, ld.loc)
		if first, dup := ids[ld.loc.ID]; dup && ld.loc.ID != "" {
			l.d.add(ld.loc.Pos, "spec.id", "locations %s and %s (at %s) are bound to one sub-account %s",
				first.Address, ld.loc.Address, first.Pos, ld.loc.ID)
		}
		ids[ld.loc.ID] = ld.loc
		l.checkSameName(names, ld.loc)
		l.checkEntryIDs(ld.loc)
	}
	slices.SortFunc(set.Locations, func(a, b *Location) int { return strings.Compare(a.Address, b.Address) })
	return set
}

// checkEntryIDs refuses two entries of one kind bound to one live object.
func (l *loader) checkEntryIDs(loc *Location) {
	for _, kind := range ListKinds {
		seen := map[string]*Entry{}
		for _, e := range loc.Lists[kind] {
			if first, dup := seen[e.ID]; dup && e.ID != "" {
				l.d.add(e.Pos, "", "%q and %q (at %s) are both bound to id %s",
					first.Name(), e.Name(), first.Pos, e.ID)
			}
			seen[e.ID] = e
		}
	}
}

// checkBlueprint decodes a blueprint on its own, with its variables' defaults,
// and reports what is wrong whoever uses it.
func (l *loader) checkBlueprint(bd *blueprintDoc) {
	var d diag
	declared := map[string]bool{}
	for name := range bd.bp.Vars {
		declared[name] = true
	}
	app := &application{bd: bd, vars: defaults(bd.bp)}
	sc := &scope{env: l.env, vars: app.vars, declared: declared}
	for _, kind := range append([]string{KindSettings}, ListKinds...) {
		if r, ok := bd.lists[kind]; ok {
			m := &merger{d: &d, kind: kind}
			for _, dr := range decodeKind(&decoder{d: &d, sc: sc}, kind, r) {
				m.addBlueprint(dr, app)
			}
			for _, dr := range m.out {
				finish(dr, &d)
			}
		}
	}
	bd.checked = map[Error]bool{}
	for _, e := range d.errs {
		bd.checked[*e] = true
	}
	l.d.errs = append(l.d.errs, d.errs...)
}

func defaults(bp *Blueprint) map[string]string {
	vars := map[string]string{}
	for name, v := range bp.Vars {
		if v.Default != nil {
			vars[name] = *v.Default
		}
	}
	return vars
}

// decodeKind decodes a blueprint's list of kind, or its settings.
func decodeKind(dc *decoder, kind string, r *raw) []*draft {
	if kind == KindSettings {
		if d := dc.entry(settingsSpec, r, "spec.settings"); d != nil {
			return []*draft{d}
		}
		return nil
	}
	return dc.list(kindSpecs[kind], r, "spec."+kind)
}

// expand applies a Location's blueprints and merges their entries with its own.
func (l *loader) expand(ld *locationDoc) {
	loc := ld.loc
	apps := l.applications(ld)
	var d diag
	for _, kind := range append([]string{KindSettings}, ListKinds...) {
		m := &merger{d: &d, kind: kind}
		managed := false
		for _, app := range apps {
			if r, ok := app.bd.lists[kind]; ok {
				managed = true
				l.applyKind(m, app, kind, r, loc.Address)
			}
		}
		own, ok := ld.own[kind]
		if kind == KindSettings && ld.settings != nil {
			own, ok = []*draft{ld.settings}, true
		}
		if !managed && !ok {
			continue
		}
		for _, dr := range own {
			m.addOwn(dr)
		}
		entries := []*Entry{}
		for _, dr := range m.out {
			entries = append(entries, finish(dr, &d))
		}
		l.place(loc, kind, entries)
	}
	l.report(d.errs, apps, loc.Address)
}

// place stores the merged entries of kind in the Location.
func (l *loader) place(loc *Location, kind string, entries []*Entry) {
	if kind != KindSettings {
		l.checkDerivedKeys(kind, entries)
		loc.Lists[kind] = entries
		return
	}
	loc.Settings = &Entry{Kind: KindSettings, Fields: map[string]any{}, Pos: loc.Pos,
		FieldPos: map[string]Pos{}}
	if len(entries) > 0 {
		loc.Settings = entries[0]
	}
}

// applyKind decodes one blueprint list for one Location and merges it in.
// Errors the blueprint has whoever uses it were reported when it was checked;
// the others are this Location's.
func (l *loader) applyKind(m *merger, app *application, kind string, r *raw, address string) {
	var d diag
	sc := &scope{env: l.env, vars: app.vars, declared: map[string]bool{}}
	for name := range app.bd.bp.Vars {
		sc.declared[name] = true
	}
	for _, dr := range decodeKind(&decoder{d: &d, sc: sc}, kind, r) {
		m.addBlueprint(dr, app)
	}
	l.report(d.errs, []*application{app}, address)
}

// report adds a Location's errors, dropping those its blueprints were found
// to have on their own and naming the Location in the rest that lie outside it.
func (l *loader) report(errs Errors, apps []*application, address string) {
	for _, e := range errs {
		known := false
		for _, app := range apps {
			known = known || app.bd.checked[*e]
		}
		if known {
			continue
		}
		if e.Pos.File != "" && !strings.HasPrefix(e.Msg, "in location ") && l.outside(e.Pos, address) {
			e.Msg = fmt.Sprintf("in location %s: %s", address, e.Msg)
		}
		l.d.errs = append(l.d.errs, e)
	}
}

// outside reports whether pos lies in a blueprint rather than in the Location
// itself: blueprints are where the same mistake can concern many Locations.
func (l *loader) outside(pos Pos, address string) bool {
	for _, bd := range l.blueprints {
		for _, r := range bd.lists {
			if r.pos.File == pos.File && r.pos.Line <= pos.Line && lastLine(r) >= pos.Line {
				return true
			}
		}
	}
	return false
}

// lastLine is the last line a raw value spans.
func lastLine(r *raw) int {
	last := r.pos.Line
	for _, it := range r.items {
		last = max(last, lastLine(it))
	}
	for _, v := range r.vals {
		last = max(last, lastLine(v))
	}
	return last
}

// finish fills defaults, normalises, applies the rules between fields and
// sets the key of a merged entry.
func finish(dr *draft, d *diag) *Entry {
	ks := kindSpecs[dr.Kind]
	for name, v := range ks.defaults {
		if _, set := dr.Fields[name]; !set {
			dr.Fields[name], dr.FieldPos[name] = v, dr.Pos
		}
	}
	dr.Fields = Normalize(dr.Kind, dr.Fields)
	c := &checker{d: d, e: dr.Entry, path: dr.path}
	c.checkRequired(ks, dr.failed)
	if ks.check != nil && !dr.unresolved && len(dr.failed) == 0 {
		ks.check(c)
	}
	dr.keys = Keys(dr.Kind, dr.Fields)
	dr.Key = ""
	if len(dr.keys) > 0 {
		dr.Key = dr.keys[0]
	}
	return dr.Entry
}

// merger merges the entries of one kind: blueprints' first, in the order they
// apply, then the Location's own.
type merger struct {
	d    *diag
	kind string
	out  []*draft
	// index finds drafts by each of their keys, so a list of many entries
	// merges in linear time. It may hold keys a draft no longer has;
	// find checks every candidate.
	index map[string][]int
	pos   map[*draft]int
}

// find returns the earliest draft that is the same entity as dr.
func (m *merger) find(dr *draft) *draft {
	if m.kind == KindSettings {
		if len(m.out) > 0 {
			return m.out[0]
		}
		return nil
	}
	best := -1
	for _, k := range dr.keys {
		for _, i := range m.index[k] {
			if (best < 0 || i < best) && sameEntity(m.out[i].keys, dr.keys) {
				best = i
			}
		}
	}
	if best < 0 {
		return nil
	}
	return m.out[best]
}

// add appends a draft and indexes its keys.
func (m *merger) add(dr *draft) {
	if m.index == nil {
		m.index, m.pos = map[string][]int{}, map[*draft]int{}
	}
	m.pos[dr] = len(m.out)
	m.out = append(m.out, dr)
	m.reindex(dr)
}

// reindex records a draft's keys, after they were computed anew.
func (m *merger) reindex(dr *draft) {
	i := m.pos[dr]
	for _, k := range dr.keys {
		if !slices.Contains(m.index[k], i) {
			m.index[k] = append(m.index[k], i)
		}
	}
}

func (m *merger) duplicate(dr, first *draft) {
	what := strings.TrimSuffix(entryNoun(m.kind), "s")
	what = strings.TrimPrefix(strings.TrimPrefix(what, "a "), "an ")
	m.d.add(dr.Pos, dr.path, "duplicate %s %q (also at %s)", what, dr.Name(), first.Pos)
}

// addBlueprint merges an entry of a blueprint. Entries of one key from two
// blueprints are merged field by field; a field they set differently is an
// error.
func (m *merger) addBlueprint(dr *draft, app *application) {
	dr.app, dr.From = app, app.bd.bp.Name
	x := m.find(dr)
	switch {
	case x == nil:
		m.add(dr)
		return
	case x.app == app:
		m.duplicate(dr, x)
		return
	}
	for _, name := range slices.Sorted(maps.Keys(dr.Fields)) {
		v := dr.Fields[name]
		if old, set := x.Fields[name]; set && !reflect.DeepEqual(old, v) {
			m.d.add(dr.fieldPos(name, dr.Pos), joinPath(dr.path, name),
				"blueprints %s and %s set %s differently (%s has %s at %s)",
				x.From, dr.From, name, x.From, shown(x, name, old), x.fieldPos(name, x.Pos))
			continue
		}
		x.Fields[name], x.FieldPos[name] = v, dr.fieldPos(name, dr.Pos)
	}
	if dr.ID != "" && x.ID != "" && dr.ID != x.ID {
		m.d.add(dr.Pos, joinPath(dr.path, "id"), "blueprints %s and %s bind %q to different ids (%s at %s)",
			x.From, dr.From, dr.Name(), x.From, x.Pos)
	}
	mergeMeta(x, dr)
	maps.Copy(x.failed, dr.failed)
	if !slices.Contains(strings.Split(x.From, ", "), dr.From) {
		x.From += ", " + dr.From
	}
	x.keys = Keys(m.kind, x.Fields)
	m.reindex(x)
	x.unresolved = x.unresolved || dr.unresolved
}

// addOwn merges a Location's own entry: it overrides a blueprint entry of
// the same key field by field.
func (m *merger) addOwn(dr *draft) {
	x := m.find(dr)
	switch {
	case x == nil:
		m.add(dr)
		return
	case x.app == nil || x.own:
		m.duplicate(dr, x)
		return
	}
	for name, v := range dr.Fields {
		x.Fields[name], x.FieldPos[name] = v, dr.fieldPos(name, dr.Pos)
	}
	for name, p := range dr.FieldPos {
		x.FieldPos[name] = p
	}
	x.Pos, x.path, x.own = dr.Pos, dr.path, true
	mergeMeta(x, dr)
	maps.Copy(x.failed, dr.failed)
	x.keys = Keys(m.kind, x.Fields)
	m.reindex(x)
}

// mergeMeta takes src's id when it has one, and keeps any protection either
// side asks for.
func mergeMeta(dst, src *draft) {
	if src.ID != "" {
		dst.ID = src.ID
	}
	dst.Sensitive = dst.Sensitive || src.Sensitive
	dst.PreventDestroy = dst.PreventDestroy || src.PreventDestroy
}

// shown shows a field's value in a message, unless it is secret.
func shown(dr *draft, field string, v any) string {
	if dr.Sensitive && dr.Kind == KindCustomValues {
		return "(sensitive)"
	}
	return brief(v)
}

// brief shows a value in a message.
func brief(v any) string {
	s := fmt.Sprintf("%v", v)
	if str, ok := v.(string); ok {
		s = fmt.Sprintf("%q", str)
	}
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// applications are the blueprints a Location uses: those it names, in order,
// then those whose selector matches its labels, by name.
func (l *loader) applications(ld *locationDoc) []*application {
	var apps []*application
	used := map[string]bool{}
	refs := ld.loc.Blueprints
	ld.loc.Blueprints = nil
	for i, ref := range refs {
		bd := l.blueprints[ref.Name]
		switch {
		case bd == nil:
			l.d.add(ref.Pos, fmt.Sprintf("spec.blueprints[%d].name", i), "unknown blueprint %q", ref.Name)
			continue
		case used[ref.Name]:
			l.d.add(ref.Pos, fmt.Sprintf("spec.blueprints[%d]", i), "blueprint %q is used twice", ref.Name)
			continue
		}
		used[ref.Name] = true
		apps = append(apps, l.bind(ld, bd, ref, ld.varPos[i], fmt.Sprintf("spec.blueprints[%d]", i)))
	}
	for _, name := range slices.Sorted(maps.Keys(l.blueprints)) {
		bd := l.blueprints[name]
		if used[name] || !selects(bd.bp.Selector, ld.loc.Labels) {
			continue
		}
		ref := BlueprintRef{Name: name, Pos: ld.loc.Pos, Vars: map[string]string{}}
		apps = append(apps, l.bind(ld, bd, ref, nil, "metadata.labels"))
	}
	return apps
}

// selects reports whether a blueprint's selector picks a Location with
// labels: every label it names has the value it gives. An empty selector
// picks nothing: such a blueprint applies only where it is named.
func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// bind gives a blueprint its variables at one Location: those the Location
// sets, then the defaults. It records the reference with every value used.
func (l *loader) bind(ld *locationDoc, bd *blueprintDoc, ref BlueprintRef, varPos map[string]Pos,
	path string) *application {
	vars := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(ref.Vars)) {
		if _, declared := bd.bp.Vars[name]; !declared {
			l.d.add(varPos[name], joinPath(path, "vars."+name),
				"blueprint %s declares no variable %q (at %s)", bd.bp.Name, name, bd.bp.Pos)
			continue
		}
		vars[name] = ref.Vars[name]
	}
	for _, name := range slices.Sorted(maps.Keys(bd.bp.Vars)) {
		v := bd.bp.Vars[name]
		if _, set := vars[name]; set {
			continue
		}
		if v.Default != nil && !v.Required {
			vars[name] = *v.Default
			continue
		}
		how := "uses"
		if path == "metadata.labels" {
			how = "applies by its selector to"
		}
		l.d.add(ref.Pos, path,
			"variable %s is not set: location %s %s blueprint %s, which declares it at %s",
			name, ld.loc.Address, how, bd.bp.Name, bd.varPos[name])
	}
	ref.Vars = vars
	ld.loc.Blueprints = append(ld.loc.Blueprints, ref)
	return &application{bd: bd, vars: vars}
}

// checkDerivedKeys refuses two entries whose names give one server-derived
// key ("Café" and "Caf" both give contact.caf): the server would refuse the
// second at apply time.
func (l *loader) checkDerivedKeys(kind string, entries []*Entry) {
	if kind != KindCustomFields && kind != KindCustomValues {
		return
	}
	seen := map[string]*Entry{}
	for _, e := range entries {
		keys := Keys(kind, e.Fields)
		if len(keys) < 2 || strings.HasPrefix(keys[0], "key:") {
			continue
		}
		derived := keys[1]
		if first, ok := seen[derived]; ok {
			l.d.add(e.Pos, "name", "%q and %q (at %s) would get one key, %s, which HighLevel refuses: "+
				"rename one", e.Name(), first.Name(), first.Pos, strings.TrimPrefix(strings.TrimPrefix(derived,
				"key:"), "slug:"))
			continue
		}
		seen[derived] = e
	}
}

// checkSameName refuses two Locations without spec.id that name one
// sub-account: both would be matched, or created, by that name.
func (l *loader) checkSameName(names map[string]*Location, loc *Location) {
	if loc.ID != "" || loc.Settings == nil {
		return
	}
	name := strings.ToLower(strings.TrimSpace(loc.Settings.Name()))
	if name == "" {
		return
	}
	if first, dup := names[name]; dup {
		l.d.add(loc.Settings.fieldPos("name", loc.Pos), "spec.settings.name",
			"locations %s and %s (at %s) are both found by the name %q: give each a spec.id or its own name",
			first.Address, loc.Address, first.Pos, loc.Settings.Name())
		return
	}
	names[name] = loc
}
