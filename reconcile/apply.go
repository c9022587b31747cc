package reconcile

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/northwind/ghlctl/spec"
	"github.com/northwind/ghlctl/state"
)

// Applier carries out a plan.
type Applier struct {
	State        state.Backend
	Parallelism  int
	AllowReplace bool
	// OnChange, when set, is told of every change as it ends.
	OnChange func(ChangeResult)
	// Stop, when closed, stops new changes from starting; those in flight
	// finish and are recorded.
	Stop <-chan struct{}

	halt <-chan struct{} // closed when a failure means nothing more should start
}

// ChangeResult is the outcome of one change.
type ChangeResult struct {
	Location string
	Change   *Change
	Err      error
	Took     time.Duration
}

// Result is the outcome of an apply.
type Result struct {
	Applied     []ChangeResult
	Failed      []ChangeResult
	NotStarted  []*Change
	Interrupted bool
}

// ErrNotAppliable is returned for plans that carry errors or replaces that
// were not allowed.
var ErrNotAppliable = errors.New("plan cannot be applied")

// Check refuses, before any write, a plan that cannot be applied.
func (a *Applier) Check(plan *Plan) error {
	if len(plan.Errors) > 0 {
		return fmt.Errorf("%w: %s", ErrNotAppliable, plan.Errors[0])
	}
	if plan.run == nil {
		return fmt.Errorf("%w: it was not made in this run", ErrNotAppliable)
	}
	if a.AllowReplace {
		return nil
	}
	for _, l := range plan.Locations {
		for _, c := range l.Changes {
			if c.Action == Replace {
				return fmt.Errorf("%w: %s needs a replace (%s); run again with --allow-replace",
					ErrNotAppliable, c.Address, c.Reason)
			}
		}
	}
	return nil
}

// Apply carries out plan: each Location's settings first, then its kinds side
// by side, Locations up to Parallelism at a time. The state is written after
// every change, so a failed or interrupted apply leaves it true to what was
// done.
func (a *Applier) Apply(ctx context.Context, plan *Plan) (*Result, error) {
	if err := a.Check(plan); err != nil {
		return nil, err
	}
	res := &Result{}
	var mu sync.Mutex
	halt := make(chan struct{})
	var haltOnce sync.Once
	a.halt = halt
	record := func(cr ChangeResult) {
		mu.Lock()
		defer mu.Unlock()
		if cr.Err != nil {
			res.Failed = append(res.Failed, cr)
			if isStopping(cr.Err) {
				haltOnce.Do(func() { close(halt) })
			}
		} else {
			res.Applied = append(res.Applied, cr)
		}
		if a.OnChange != nil {
			a.OnChange(cr)
		}
	}
	skipped := make([][]*Change, len(plan.Locations))
	pl := &Planner{Opts: Options{Parallelism: a.Parallelism}}
	pl.forEach(len(plan.Locations), func(i int) {
		skipped[i] = a.applyLocation(ctx, plan, plan.Locations[i], record)
	})
	for _, s := range skipped {
		res.NotStarted = append(res.NotStarted, s...)
	}
	res.Interrupted = closed(a.Stop)
	return res, nil
}

func (a *Applier) stopped() bool {
	return closed(a.Stop) || closed(a.halt)
}

func closed(ch <-chan struct{}) bool {
	if ch == nil {
		return false
	}
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// applyLocation applies one Location's changes and returns those it did not start.
func (a *Applier) applyLocation(ctx context.Context, plan *Plan, lp *LocationPlan,
	record func(ChangeResult)) []*Change {
	r := plan.run
	loc := r.locs[lp.Address]
	acct, err := a.openAccount(ctx, r, lp, loc, record)
	if err != nil {
		return remaining(lp.Changes, spec.KindSettings)
	}
	if err := a.bindLocation(ctx, r, lp); err != nil {
		record(ChangeResult{Location: lp.Address, Change: lp.Changes[0], Err: err})
		return lp.Changes
	}
	var first, rest, adopt []*Change
	for _, c := range lp.Changes {
		switch {
		case c.Kind == spec.KindSettings && c.Action != Create:
			first = append(first, c)
		case c.Action == Adopt && c.OldAddress == "":
			adopt = append(adopt, c)
		case c.Kind != spec.KindSettings:
			rest = append(rest, c)
		}
	}
	if left := a.adoptAll(ctx, lp, acct, adopt, record); len(left) > 0 {
		return append(left, rest...)
	}
	if left := a.applyKind(ctx, lp, acct, first, record); len(left) > 0 {
		return append(left, rest...)
	}
	return a.applyKinds(ctx, lp, acct, rest, record)
}

func remaining(changes []*Change, except string) []*Change {
	var out []*Change
	for _, c := range changes {
		if c.Kind != except {
			out = append(out, c)
		}
	}
	return out
}

// openAccount returns the Location's account, creating the sub-account first
// when the plan says so.
func (a *Applier) openAccount(ctx context.Context, r *run, lp *LocationPlan, loc *spec.Location,
	record func(ChangeResult)) (Account, error) {
	if !lp.Create {
		return r.accounts[lp.Address], nil
	}
	c := lp.Changes[0]
	if a.stopped() {
		return nil, errors.New("interrupted")
	}
	start := time.Now()
	info, err := r.dir.Create(ctx, loc)
	var acct Account
	if err == nil {
		lp.ID, c.ID = info.ID, info.ID
		acct, err = r.dir.Open(loc, info)
	}
	record(ChangeResult{Location: lp.Address, Change: c, Err: err, Took: time.Since(start)})
	return acct, err
}

func (a *Applier) bindLocation(ctx context.Context, r *run, lp *LocationPlan) error {
	addr := locationAddress(lp.Address)
	if known := r.st.Get(addr); known != nil && known.ID == lp.ID {
		return nil
	}
	return a.State.Put(ctx, addr, &state.Resource{
		Location: lp.Address, LocationID: lp.ID, Kind: "location", ID: lp.ID, Updated: time.Now().UTC(),
	})
}

// applyKinds runs each kind's changes in its own goroutine: kinds do not
// depend on each other.
func (a *Applier) applyKinds(ctx context.Context, lp *LocationPlan, acct Account, changes []*Change,
	record func(ChangeResult)) []*Change {
	byKind := map[string][]*Change{}
	for _, c := range changes {
		byKind[c.Kind] = append(byKind[c.Kind], c)
	}
	var mu sync.Mutex
	var left []*Change
	var wg sync.WaitGroup
	for _, kind := range sortedKeys(byKind) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := a.applyKind(ctx, lp, acct, byKind[kind], record)
			mu.Lock()
			left = append(left, l...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return left
}

// phase orders a kind's changes: deletes free names and derived keys that
// creates may need, so they go first.
func phase(a Action) int {
	switch a {
	case Delete:
		return 0
	case Replace:
		return 1
	case Update, Adopt:
		return 2
	}
	return 3
}

// applyKind runs one kind's changes in order and stops at the first failure:
// the rest are returned as not started.
func (a *Applier) applyKind(ctx context.Context, lp *LocationPlan, acct Account, changes []*Change,
	record func(ChangeResult)) []*Change {
	sort.SliceStable(changes, func(i, j int) bool {
		return phase(changes[i].Action) < phase(changes[j].Action)
	})
	for i, c := range changes {
		if a.stopped() {
			return changes[i:]
		}
		start := time.Now()
		err := a.applyChange(ctx, lp, acct, c)
		record(ChangeResult{Location: lp.Address, Change: c, Err: err, Took: time.Since(start)})
		if err != nil {
			return changes[i+1:]
		}
	}
	return nil
}

func (a *Applier) applyChange(ctx context.Context, lp *LocationPlan, acct Account, c *Change) error {
	prov, err := acct.Provider(c.Kind)
	if err != nil {
		return err
	}
	switch c.Action {
	case Adopt:
		if c.OldAddress != "" {
			if err := a.State.Remove(ctx, c.OldAddress); err != nil {
				return err
			}
		}
		return a.record(ctx, lp, c, c.live.ID)
	case Update:
		obj, err := prov.Update(ctx, *c.live, c.desired)
		if err != nil {
			return err
		}
		if c.OldAddress != "" {
			if err := a.State.Remove(ctx, c.OldAddress); err != nil {
				return err
			}
		}
		return a.record(ctx, lp, c, obj.ID)
	case Delete:
		if err := prov.Delete(ctx, *c.live); err != nil {
			return err
		}
		return a.State.Remove(ctx, c.Address)
	case Replace:
		if err := prov.Delete(ctx, *c.live); err != nil {
			return err
		}
		if err := a.State.Remove(ctx, c.Address); err != nil {
			return err
		}
	}
	obj, err := createOnce(ctx, prov, c)
	if err != nil {
		return err
	}
	if obj.ID == "" {
		return fmt.Errorf("create %s: the server's answer holds no id", c.Address)
	}
	c.ID = obj.ID
	return a.record(ctx, lp, c, obj.ID)
}

// createOnce creates the object of c. When the answer to a create is lost,
// the server may or may not have made it: the provider lists again, and the
// object is adopted if it is there, else created once more. A listing that
// fails ends the attempt, since creating blind could make a duplicate; the
// next apply finds out.
func createOnce(ctx context.Context, prov Provider, c *Change) (Object, error) {
	const attempts = 4
	var err error
	for range attempts {
		var obj Object
		if obj, err = prov.Create(ctx, c.desired); err == nil || !isOutcomeUnknown(err) {
			return obj, err
		}
		live, lerr := listNormalized(ctx, prov, c.Kind)
		if lerr != nil {
			return Object{}, fmt.Errorf("%w (and listing again failed: %v)", err, lerr)
		}
		if o, ok := findByKey(live, c.Kind, c.entry.Key); ok {
			return o, nil
		}
	}
	return Object{}, err
}

func findByKey(live []Object, kind, key string) (Object, bool) {
	for _, o := range live {
		if slices.Contains(spec.Keys(kind, o.Fields), key) {
			return o, true
		}
	}
	return Object{}, false
}

func (a *Applier) record(ctx context.Context, lp *LocationPlan, c *Change, id string) error {
	if c.Kind == spec.KindSettings {
		return nil
	}
	return a.State.Put(ctx, c.Address, resource(lp, c, id))
}

func resource(lp *LocationPlan, c *Change, id string) *state.Resource {
	return &state.Resource{
		Location: lp.Address, LocationID: lp.ID, Kind: c.Kind, Key: c.Key, ID: id,
		Fingerprint: c.Fingerprint, PreventDestroy: c.PreventDestroy, Updated: time.Now().UTC(),
	}
}

// adoptAll records a Location's adoptions, which write nothing to the API,
// in one write of the state when the backend can batch. It returns the
// adoptions left undone.
func (a *Applier) adoptAll(ctx context.Context, lp *LocationPlan, acct Account, adopt []*Change,
	record func(ChangeResult)) []*Change {
	b, ok := a.State.(state.Batcher)
	if len(adopt) == 0 || !ok {
		return a.applyKind(ctx, lp, acct, adopt, record)
	}
	if a.stopped() {
		return adopt
	}
	all := make(map[string]*state.Resource, len(adopt))
	for _, c := range adopt {
		all[c.Address] = resource(lp, c, c.live.ID)
	}
	err := b.PutAll(ctx, all)
	for _, c := range adopt {
		record(ChangeResult{Location: lp.Address, Change: c, Err: err})
	}
	return nil
}
