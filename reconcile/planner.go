package reconcile

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/northwind/ghlctl/spec"
	"github.com/northwind/ghlctl/state"
)

// Options tune planning.
type Options struct {
	// Parallelism bounds how many sub-accounts are read at once.
	Parallelism int
	// Prune plans deletes of owned objects whose entries are gone.
	Prune bool
	// MaxDeletes refuses plans that delete more objects than this.
	MaxDeletes int
	// Progress, when set, is told each time a sub-account has been read.
	Progress func(done, total int)
}

// Planner builds plans.
type Planner struct {
	Dir   Directory
	State *state.State
	Opts  Options
}

// run is what a plan needs to be applied: the accounts it read.
type run struct {
	dir      Directory
	set      *spec.Set
	accounts map[string]Account
	locs     map[string]*spec.Location
	st       *state.State // the state the plan was made against
}

// Plan reads the live state of every Location of set and compares it with
// the desired state. It only reads.
func (p *Planner) Plan(ctx context.Context, set *spec.Set) (*Plan, error) {
	plan := &Plan{FormatVersion: PlanFormatVersion}
	p.State.Index()
	r := &run{
		dir: p.Dir, set: set, st: p.State,
		accounts: map[string]Account{}, locs: map[string]*spec.Location{},
	}
	results := make([]*LocationPlan, len(set.Locations))
	errs := make([]error, len(set.Locations))
	var mu sync.Mutex
	done := 0
	p.forEach(len(set.Locations), func(i int) {
		loc := set.Locations[i]
		lp, acct, err := p.planLocation(ctx, loc)
		mu.Lock()
		defer mu.Unlock()
		results[i], errs[i] = lp, err
		r.accounts[loc.Address], r.locs[loc.Address] = acct, loc
		done++
		if p.Opts.Progress != nil {
			p.Opts.Progress(done, len(set.Locations))
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	plan.Locations = results
	plan.run = r
	plan.Count()
	plan.Errors = p.safetyErrors(plan)
	return plan, nil
}

// forEach calls fn for 0..n-1, at most Parallelism at a time.
func (p *Planner) forEach(n int, fn func(int)) {
	par := max(1, p.Opts.Parallelism)
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

// locationAddress is the state address that binds a Location to its sub-account.
func locationAddress(loc string) string { return loc + "/location" }

func (p *Planner) planLocation(ctx context.Context, loc *spec.Location) (*LocationPlan, Account, error) {
	lp := &LocationPlan{Address: loc.Address, ID: loc.ID, Changes: []*Change{}}
	if loc.Settings != nil {
		lp.Name = loc.Settings.Name()
	}
	bound := *loc
	if bound.ID == "" {
		if r := p.State.Get(locationAddress(loc.Address)); r != nil {
			bound.ID = r.ID
		}
	}
	info, ok, err := p.Dir.Find(ctx, &bound)
	if err != nil {
		return nil, nil, fmt.Errorf("location %s: %w", loc.Address, err)
	}
	if !ok {
		return p.planNewLocation(lp, loc)
	}
	lp.ID, lp.Name = info.ID, info.Name
	acct, err := p.Dir.Open(loc, info)
	if err != nil {
		return nil, nil, fmt.Errorf("location %s: %w", loc.Address, err)
	}
	if err := p.planKinds(ctx, lp, loc, acct); err != nil {
		return nil, nil, err
	}
	return lp, acct, nil
}

// planNewLocation plans a sub-account that does not exist yet: it and every
// entry of it are created.
func (p *Planner) planNewLocation(lp *LocationPlan, loc *spec.Location) (*LocationPlan, Account, error) {
	if loc.Settings == nil || loc.Settings.Name() == "" {
		return nil, nil, fmt.Errorf(
			"location %s: no sub-account with id %q, and no settings.name to create one by",
			loc.Address, loc.ID)
	}
	for _, e := range loc.Lists[spec.KindCalendars] {
		if members, _ := e.Fields["teamMembers"].([]any); len(members) > 0 {
			return nil, nil, fmt.Errorf("%s: location %s: calendar %q names team members, "+
				"but the sub-account does not exist yet and has no users: create it first without them",
				e.Pos, loc.Address, e.Name())
		}
	}
	lp.Create = true
	lp.Changes = append(lp.Changes, newChange(Create, loc, loc.Settings))
	for _, kind := range spec.ListKinds {
		for _, e := range loc.Lists[kind] {
			lp.Changes = append(lp.Changes, newChange(Create, loc, e))
		}
	}
	return lp, nil, nil
}

func newChange(a Action, loc *spec.Location, e *spec.Entry) *Change {
	c := &Change{
		Action: a, Kind: e.Kind, Key: addressKey(e.Key), Name: e.Name(),
		Address:        state.Address(loc.Address, e.Kind, addressKey(e.Key)),
		PreventDestroy: e.PreventDestroy,
		desired:        e.Fields,
		entry:          e,
	}
	if e.Kind == spec.KindSettings {
		c.Address, c.Key = locationAddress(loc.Address), ""
	}
	c.Fingerprint = Fingerprint(e.Fields, sensitiveOf(e))
	if a == Create {
		c.Fields = createdFields(e)
	}
	return c
}

// createdFields shows what a create will write, sensitive values masked.
func createdFields(e *spec.Entry) []FieldChange {
	var out []FieldChange
	for _, f := range sortedKeys(e.Fields) {
		if f == "name" && e.Kind != spec.KindSettings {
			continue
		}
		fc := FieldChange{Field: f, After: e.Fields[f]}
		if spec.Sensitive(e, f) {
			fc.After, fc.Sensitive = masked, true
		}
		out = append(out, fc)
	}
	return out
}

// addressKey is the part of a natural key that goes into a state address.
func addressKey(key string) string {
	if _, k, ok := strings.Cut(key, ":"); ok {
		return k
	}
	return key
}

func sensitiveOf(e *spec.Entry) func(string) bool {
	return func(f string) bool { return e != nil && spec.Sensitive(e, f) }
}

// planKinds reads each managed kind of a sub-account, all at once, and
// plans its changes.
func (p *Planner) planKinds(ctx context.Context, lp *LocationPlan, loc *spec.Location, acct Account) error {
	kinds := managedKinds(loc)
	parts := make([]kindPlan, len(kinds))
	errs := make([]error, len(kinds))
	var wg sync.WaitGroup
	for i, kind := range kinds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[i], errs[i] = p.planKind(ctx, loc, kind, acct)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, part := range parts {
		lp.Changes = append(lp.Changes, part.changes...)
		lp.InStep += part.inStep
		lp.Warnings = append(lp.Warnings, part.warnings...)
		if part.unmanaged > 0 {
			if lp.Unmanaged == nil {
				lp.Unmanaged = map[string]int{}
			}
			lp.Unmanaged[part.kind] = part.unmanaged
		}
		if part.retired > 0 {
			if lp.Retired == nil {
				lp.Retired = map[string]int{}
			}
			lp.Retired[part.kind] = part.retired
		}
	}
	return nil
}

func managedKinds(loc *spec.Location) []string {
	var out []string
	if loc.Settings != nil {
		out = append(out, spec.KindSettings)
	}
	for _, k := range spec.ListKinds {
		if loc.Managed(k) {
			out = append(out, k)
		}
	}
	return out
}

// kindPlan is the plan of one kind at one sub-account.
type kindPlan struct {
	kind      string
	changes   []*Change
	inStep    int
	unmanaged int
	retired   int
	warnings  []string
}

func (p *Planner) planKind(ctx context.Context, loc *spec.Location, kind string,
	acct Account) (kindPlan, error) {
	kp := kindPlan{kind: kind}
	prov, err := acct.Provider(kind)
	if err != nil {
		return kp, fmt.Errorf("location %s: %w", loc.Address, err)
	}
	live, err := listNormalized(ctx, prov, kind)
	if err != nil {
		return kp, fmt.Errorf("location %s: %w", loc.Address, err)
	}
	entries := loc.Lists[kind]
	if kind == spec.KindSettings {
		entries = []*spec.Entry{loc.Settings}
	}
	if ch, ok := prov.(Checker); ok {
		if err := ch.Check(ctx, entries); err != nil {
			return kp, fmt.Errorf("location %s: %w", loc.Address, err)
		}
	}
	m := newMatcher(p, loc, kind, live)
	matched := make([]*Object, len(entries))
	for i, e := range entries {
		if matched[i], err = m.match(e); err != nil {
			return kp, err
		}
	}
	renamed := m.renames(entries, matched)
	for i, e := range entries {
		c, warnings := p.compare(loc, e, matched[i], prov)
		kp.warnings = append(kp.warnings, warnings...)
		if c == nil {
			kp.inStep++
			continue
		}
		c.OldAddress = renamed[i]
		if addr, r := p.State.ByID(loc.Address, kind, c.ID); c.OldAddress == "" && r != nil &&
			addr != c.Address {
			c.OldAddress = addr
		}
		kp.changes = append(kp.changes, c)
	}
	m.leftovers(&kp)
	sort.SliceStable(kp.changes, func(i, j int) bool { return kp.changes[i].Key < kp.changes[j].Key })
	return kp, nil
}

// compare plans one entry against its live match (nil when there is none).
// Differences in fields the API cannot write come back as warnings.
func (p *Planner) compare(loc *spec.Location, e *spec.Entry, live *Object,
	prov Provider) (*Change, []string) {
	if live == nil {
		return newChange(Create, loc, e), nil
	}
	changed, warnings := splitReadOnly(loc, e, changedFields(e.Fields, live.Fields), live, prov)
	owned := p.owns(loc, e, live)
	if len(changed) == 0 && owned && !p.renamedInState(loc, e, live) {
		return nil, warnings
	}
	c := newChange(Update, loc, e)
	c.ID, c.Detail, c.live = live.ID, live.Detail, live
	c.LiveFingerprint = Fingerprint(live.Fields, sensitiveOf(e))
	if len(changed) == 0 {
		c.Action = Adopt
		return c, warnings
	}
	c.Fields = fieldChanges(changed, e.Fields, live.Fields, sensitiveOf(e))
	if old, _ := live.Fields["name"].(string); old != "" && old != e.Name() && e.Kind != spec.KindSettings {
		c.RenamedFrom = old
	}
	immutable, cost := prov.Immutable()
	for _, f := range changed {
		if slices.Contains(immutable, f) {
			c.Action = Replace
			c.Reason = fmt.Sprintf("%s %v -> %v: %s", f, live.Fields[f], e.Fields[f], cost)
		}
	}
	return c, warnings
}

// splitReadOnly takes the fields the API cannot write out of changed, and
// says why each is left as it is.
func splitReadOnly(loc *spec.Location, e *spec.Entry, changed []string, live *Object,
	prov Provider) ([]string, []string) {
	ro, ok := prov.(ReadOnlyFields)
	if !ok {
		return changed, nil
	}
	fields, why := ro.ReadOnly()
	var keep, warnings []string
	for _, f := range changed {
		if !slices.Contains(fields, f) {
			keep = append(keep, f)
			continue
		}
		warnings = append(warnings, fmt.Sprintf("%s: %s %s: %s is %s in HighLevel and %s in the manifest, "+
			"left as it is: %s", e.FieldPos[f], loc.Address, Singular(e.Kind), f,
			FormatValue(live.Fields[f]), FormatValue(e.Fields[f]), why))
	}
	return keep, warnings
}

// renamedInState reports whether the state knows live under another address
// (the entry was renamed in a way the object already shows).
func (p *Planner) renamedInState(loc *spec.Location, e *spec.Entry, live *Object) bool {
	addr, r := p.State.ByID(loc.Address, e.Kind, live.ID)
	return r != nil && addr != state.Address(loc.Address, e.Kind, addressKey(e.Key))
}

// owns reports whether the state already binds this entry to this object.
func (p *Planner) owns(loc *spec.Location, e *spec.Entry, live *Object) bool {
	if e.Kind == spec.KindSettings {
		return true
	}
	if r := p.State.Get(state.Address(loc.Address, e.Kind, addressKey(e.Key))); r != nil && r.ID == live.ID {
		return true
	}
	_, r := p.State.ByID(loc.Address, e.Kind, live.ID)
	return r != nil
}

// listNormalized lists live objects and normalises their fields the way
// desired ones are, so that equal on the server compares equal here.
func listNormalized(ctx context.Context, prov Provider, kind string) ([]Object, error) {
	live, err := prov.List(ctx)
	if err != nil {
		return nil, err
	}
	for i := range live {
		live[i].Fields = spec.Normalize(kind, live[i].Fields)
	}
	return live, nil
}
