package spec

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// labelKeyRe is the shape of a label's key.
var labelKeyRe = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$`)

// Document kinds.
const (
	DocAgency    = "Agency"
	DocLocation  = "Location"
	DocBlueprint = "Blueprint"
)

// loader holds what one Load has read so far.
type loader struct {
	d          diag
	env        func(string) (string, bool)
	agency     *Agency
	locations  []*locationDoc
	blueprints map[string]*blueprintDoc
}

// locationDoc is a Location document before blueprints are applied.
type locationDoc struct {
	loc      *Location
	settings *draft // nil when the document has no settings
	own      map[string][]*draft
	// varPos are the places of the variables each blueprint reference sets.
	varPos []map[string]Pos
}

// blueprintDoc is a Blueprint document; its lists are decoded once for
// every Location it applies to, with that Location's variables.
type blueprintDoc struct {
	bp     *Blueprint
	lists  map[string]*raw // by kind, settings included
	varPos map[string]Pos
	// checked are the errors found checking the blueprint on its own, so
	// that applying it does not report them again for every Location.
	checked map[Error]bool
}

func newLoader(env func(string) (string, bool)) *loader {
	return &loader{env: env, blueprints: map[string]*blueprintDoc{}}
}

// envOnly is the scope of values outside blueprints: only ${env:...}.
func (l *loader) envOnly() *decoder {
	return &decoder{d: &l.d, sc: &scope{env: l.env}}
}

// fields checks that r is a map holding only the given keys, and returns its
// values by key. A null stands for an empty map.
func (l *loader) fields(r *raw, path string, keys ...string) (map[string]*raw, bool) {
	if r.isNull() {
		return map[string]*raw{}, true
	}
	if r.kind != rawMap {
		l.d.add(r.pos, path, "expected a map, got %s", r.kind)
		return nil, false
	}
	out := map[string]*raw{}
	for i, k := range r.keys {
		if !slices.Contains(keys, k.str) {
			l.d.add(k.pos, joinPath(path, k.str), "unknown field %q (want %s)",
				k.str, strings.Join(keys, ", "))
			continue
		}
		out[k.str] = r.vals[i]
	}
	return out, true
}

// document decodes one document by its kind.
func (l *loader) document(r *raw) {
	if r.kind != rawMap {
		l.d.add(r.pos, "", "a manifest document must be a map, got %s", r.kind)
		return
	}
	top, _ := l.fields(r, "", "apiVersion", "kind", "metadata", "spec")
	if !l.header(r, top) {
		return
	}
	kind := top["kind"].str
	meta, ok := l.fields(orNull(top["metadata"], r), "metadata", "name", "labels")
	if !ok {
		return
	}
	spec := orNull(top["spec"], r)
	switch kind {
	case DocAgency:
		l.agencyDoc(r, meta, spec)
	case DocLocation:
		l.locationDoc(r, meta, spec)
	case DocBlueprint:
		l.blueprintDoc(r, meta, spec)
	}
}

// orNull stands in a null at the document's place for a missing value.
func orNull(v, doc *raw) *raw {
	if v == nil {
		return &raw{pos: doc.pos}
	}
	return v
}

// header checks apiVersion and kind.
func (l *loader) header(doc *raw, top map[string]*raw) bool {
	av, kind := top["apiVersion"], top["kind"]
	switch {
	case av == nil:
		l.d.add(doc.pos, "apiVersion", "apiVersion is required (apiVersion: %s)", APIVersion)
		return false
	case av.kind != rawString || av.str != APIVersion:
		l.d.add(av.pos, "apiVersion", "unsupported apiVersion %q: want %s", av.str, APIVersion)
		return false
	case kind == nil:
		l.d.add(doc.pos, "kind", "kind is required (Agency, Location or Blueprint)")
		return false
	case kind.kind != rawString:
		l.d.add(kind.pos, "kind", "expected a string, got %s", kind.kind)
		return false
	case kind.str != DocAgency && kind.str != DocLocation && kind.str != DocBlueprint:
		l.d.add(kind.pos, "kind", "unknown kind %q: want Agency, Location or Blueprint", kind.str)
		return false
	}
	return true
}

// name decodes metadata.name, which Locations and Blueprints must have.
func (l *loader) name(doc *raw, meta map[string]*raw, needed bool) (string, Pos) {
	v := meta["name"]
	if v == nil {
		if needed {
			l.d.add(doc.pos, "metadata.name", "metadata.name is required")
		}
		return "", doc.pos
	}
	s, _ := l.envOnly().str(v, "metadata.name")
	return strings.TrimSpace(s), v.pos
}

func (l *loader) agencyDoc(doc *raw, meta map[string]*raw, specRaw *raw) {
	name, _ := l.name(doc, meta, false)
	spec, ok := l.fields(specRaw, "spec", "companyId", "credentials")
	if !ok {
		return
	}
	a := &Agency{Name: name, Pos: doc.pos}
	if v := spec["companyId"]; v == nil {
		l.d.add(specRaw.pos, "spec.companyId", "companyId is required")
	} else {
		a.CompanyID, _ = l.envOnly().str(v, "spec.companyId")
	}
	cred := spec["credentials"]
	if cred == nil {
		l.d.add(specRaw.pos, "spec.credentials", "credentials are required (tokenEnv or matonConnection)")
	} else {
		a.Credentials = l.credentials(cred, "spec.credentials")
	}
	if l.agency != nil {
		l.d.add(doc.pos, "", "a second Agency document (the first is at %s)", l.agency.Pos)
		return
	}
	l.agency = a
}

// credentials decodes {tokenEnv | matonConnection}: exactly one.
func (l *loader) credentials(r *raw, path string) Credentials {
	var c Credentials
	f, ok := l.fields(r, path, "tokenEnv", "matonConnection")
	if !ok {
		return c
	}
	dc := l.envOnly()
	if v := f["tokenEnv"]; v != nil {
		c.TokenEnv, _ = dc.str(v, path+".tokenEnv")
		if c.TokenEnv != "" && !identRe.MatchString(c.TokenEnv) {
			l.d.add(v.pos, path+".tokenEnv", "%q is not an environment variable name", c.TokenEnv)
		}
	}
	if v := f["matonConnection"]; v != nil {
		c.MatonConnection, _ = dc.str(v, path+".matonConnection")
	}
	if (c.TokenEnv == "") == (c.MatonConnection == "") {
		l.d.add(r.pos, path, "credentials need exactly one of tokenEnv and matonConnection")
	}
	return c
}

// labels decodes a map of strings to strings.
func (l *loader) labels(r *raw, path string) map[string]string {
	out := map[string]string{}
	if r.isNull() {
		return out
	}
	if r.kind != rawMap {
		l.d.add(r.pos, path, "expected a map of strings, got %s", r.kind)
		return out
	}
	dc := l.envOnly()
	for i, k := range r.keys {
		if !labelKeyRe.MatchString(k.str) {
			l.d.add(k.pos, joinPath(path, k.str), "bad label key %q", k.str)
		}
		if v, ok := dc.str(r.vals[i], joinPath(path, k.str)); ok {
			out[k.str] = v
		}
	}
	return out
}

func (l *loader) duplicateLocation(loc *Location) bool {
	for _, other := range l.locations {
		if other.loc.Address == loc.Address {
			l.d.add(loc.Pos, "metadata.name", "location %q is defined twice (first at %s)",
				loc.Address, other.loc.Pos)
			return true
		}
	}
	return false
}

func (l *loader) locationDoc(doc *raw, meta map[string]*raw, specRaw *raw) {
	keys := append([]string{"id", "credentials", "settings", "blueprints"}, ListKinds...)
	spec, ok := l.fields(specRaw, "spec", keys...)
	if !ok {
		return
	}
	address, pos := l.name(doc, meta, true)
	loc := &Location{Address: address, Pos: pos, Lists: map[string][]*Entry{}}
	if address != "" && (len(address) > 63 || !addressRe.MatchString(address)) {
		l.d.add(pos, "metadata.name", "bad address %q: lower-case letters, digits and dashes, "+
			"starting and ending with a letter or digit, at most 63 characters", address)
	}
	loc.Labels = l.labels(orNull(meta["labels"], doc), "metadata.labels")
	dc := l.envOnly()
	if v := spec["id"]; v != nil {
		id, _ := dc.str(v, "spec.id")
		loc.ID = strings.TrimSpace(id)
	}
	if v := spec["credentials"]; v != nil {
		loc.Credentials = l.credentials(v, "spec.credentials")
	}
	ld := &locationDoc{loc: loc, own: map[string][]*draft{}}
	if v, ok := spec["settings"]; ok {
		ld.settings = dc.entry(settingsSpec, v, "spec.settings")
	}
	for _, kind := range ListKinds {
		if v, ok := spec[kind]; ok {
			ld.own[kind] = dc.list(kindSpecs[kind], v, "spec."+kind)
		}
	}
	if v := spec["blueprints"]; v != nil {
		l.blueprintRefs(ld, v)
	}
	if address != "" && !l.duplicateLocation(loc) {
		l.locations = append(l.locations, ld)
	}
}

// blueprintRefs decodes spec.blueprints: [{name, vars}].
func (l *loader) blueprintRefs(ld *locationDoc, r *raw) {
	if r.kind != rawList {
		l.d.add(r.pos, "spec.blueprints", "expected a list, got %s", r.kind)
		return
	}
	dc := l.envOnly()
	for i, item := range r.items {
		path := fmt.Sprintf("spec.blueprints[%d]", i)
		f, ok := l.fields(item, path, "name", "vars")
		if !ok {
			continue
		}
		ref := BlueprintRef{Pos: item.pos, Vars: map[string]string{}}
		if v := f["name"]; v == nil {
			l.d.add(item.pos, path+".name", "name is required")
			continue
		} else if ref.Name, ok = dc.str(v, path+".name"); !ok {
			continue
		}
		varPos := map[string]Pos{}
		if v := f["vars"]; !v.isNull() {
			ref.Vars, varPos = l.refVars(v, path+".vars")
		}
		ld.loc.Blueprints = append(ld.loc.Blueprints, ref)
		ld.varPos = append(ld.varPos, varPos)
	}
}

// refVars decodes the variables a Location gives a blueprint. Numbers and
// bools are taken as written.
func (l *loader) refVars(r *raw, path string) (map[string]string, map[string]Pos) {
	vars, pos := map[string]string{}, map[string]Pos{}
	if r.kind != rawMap {
		l.d.add(r.pos, path, "expected a map, got %s", r.kind)
		return vars, pos
	}
	dc := l.envOnly()
	for i, k := range r.keys {
		v := r.vals[i]
		p := joinPath(path, k.str)
		if v.kind == rawNumber || v.kind == rawBool {
			vars[k.str], pos[k.str] = v.str, k.pos
		} else if s, ok := dc.str(v, p); ok {
			vars[k.str], pos[k.str] = s, k.pos
		}
	}
	return vars, pos
}

func (l *loader) blueprintDoc(doc *raw, meta map[string]*raw, specRaw *raw) {
	keys := append([]string{"selector", "vars", "settings"}, ListKinds...)
	spec, ok := l.fields(specRaw, "spec", keys...)
	if !ok {
		return
	}
	name, pos := l.name(doc, meta, true)
	bd := &blueprintDoc{
		bp:    &Blueprint{Name: name, Pos: pos, Vars: map[string]Var{}},
		lists: map[string]*raw{}, varPos: map[string]Pos{},
	}
	if v := spec["selector"]; v != nil {
		bd.bp.Selector = l.labels(v, "spec.selector")
	}
	if v := spec["vars"]; v != nil {
		l.varDecls(bd, v)
	}
	for _, kind := range append([]string{KindSettings}, ListKinds...) {
		if v, ok := spec[kind]; ok {
			bd.lists[kind] = v
		}
	}
	if name == "" {
		return
	}
	if other, dup := l.blueprints[name]; dup {
		l.d.add(pos, "metadata.name", "blueprint %q is defined twice (first at %s)", name, other.bp.Pos)
		return
	}
	l.blueprints[name] = bd
}

// varDecls decodes spec.vars: {name: {required, default, description}}.
func (l *loader) varDecls(bd *blueprintDoc, r *raw) {
	if r.kind != rawMap {
		l.d.add(r.pos, "spec.vars", "expected a map, got %s", r.kind)
		return
	}
	dc := l.envOnly()
	for i, k := range r.keys {
		path := joinPath("spec.vars", k.str)
		if !identRe.MatchString(k.str) {
			l.d.add(k.pos, path, "bad variable name %q: letters, digits and _", k.str)
			continue
		}
		f, ok := l.fields(r.vals[i], path, "required", "default", "description")
		if !ok {
			continue
		}
		var v Var
		if x := f["required"]; x != nil {
			v.Required = dc.boolean(x, path+".required")
		}
		if x := f["default"]; x != nil {
			def := x.str
			if x.kind == rawString {
				def, _ = dc.str(x, path+".default")
			} else if x.kind != rawNumber && x.kind != rawBool {
				l.d.add(x.pos, path+".default", "expected a string, got %s", x.kind)
			}
			v.Default = &def
		}
		if v.Required && v.Default != nil {
			l.d.add(f["default"].pos, path+".default", "a required variable has no default")
		}
		if x := f["description"]; x != nil {
			v.Description, _ = dc.str(x, path+".description")
		}
		bd.bp.Vars[k.str], bd.varPos[k.str] = v, k.pos
	}
}
