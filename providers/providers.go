// Package providers connects the reconciler to HighLevel: one file per kind,
// each knowing that kind's endpoints, body shapes and quirks, and turning live
// objects into the manifest's vocabulary so the reconciler can compare them
// with desired entries. They know nothing of plans or YAML.
//
// A Fleet finds and creates sub-accounts with the agency token; a Site is one
// sub-account, with its own token, and hands out a provider per kind.
package providers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/northwind/ghlctl/providers/highlevel"
	"github.com/northwind/ghlctl/reconcile"
	"github.com/northwind/ghlctl/spec"
)

// Tokens supplies credentials: the agency's, and each sub-account's.
type Tokens interface {
	// Agency returns the agency credential; ok is false when there is none.
	Agency() (cred highlevel.Credential, ok bool, err error)
	// Location returns the sub-account credential of a Location bound to id.
	Location(loc *spec.Location, id string) (highlevel.Credential, error)
}

// Fleet is the agency's sub-accounts.
type Fleet struct {
	Client    *highlevel.Client
	CompanyID string
	Tokens    Tokens

	mu       sync.Mutex // guards accounts and listed
	accounts []map[string]any
	listed   bool
	records  sync.Map // sub-account id -> *record
}

// AccountSummary is one sub-account as the agency's search lists it.
type AccountSummary struct {
	ID, Name, Email, City string
}

// Accounts lists every sub-account of the company (all pages).
func (f *Fleet) Accounts(ctx context.Context) ([]AccountSummary, error) {
	raw, err := f.search(ctx, false)
	if err != nil {
		return nil, err
	}
	out := make([]AccountSummary, 0, len(raw))
	for _, r := range raw {
		out = append(out, AccountSummary{ID: str(r["id"]), Name: str(r["name"]), Email: str(r["email"]),
			City: str(r["city"])})
	}
	return out, nil
}

// search lists the company's sub-accounts once per run, or again when fresh
// is set (after a create whose answer was lost).
func (f *Fleet) search(ctx context.Context, fresh bool) ([]map[string]any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.listed && !fresh {
		return f.accounts, nil
	}
	cred, ok, err := f.Tokens.Agency()
	if err == nil && !ok {
		err = fmt.Errorf("finding sub-accounts by name needs the Agency document and its token")
	}
	if err != nil {
		return nil, err
	}
	if f.CompanyID == "" {
		return nil, fmt.Errorf("finding sub-accounts needs the agency's companyId")
	}
	q := url.Values{"companyId": {f.CompanyID}}
	accounts, err := pages(ctx, f.Client, highlevel.Request{
		Method: http.MethodGet, Path: "/locations/search", Query: q, Cred: cred,
		Resource: f.CompanyID, What: "list the agency's sub-accounts",
	}, "locations", 100)
	if err != nil {
		return nil, err
	}
	f.accounts, f.listed = accounts, true
	return accounts, nil
}

// Find returns the sub-account a Location is bound to.
func (f *Fleet) Find(ctx context.Context, loc *spec.Location) (reconcile.AccountInfo, bool, error) {
	if loc.ID != "" {
		raw, err := f.location(ctx, loc, loc.ID)
		if highlevel.NotFound(err) {
			return reconcile.AccountInfo{}, false, fmt.Errorf("spec.id %s: no such sub-account", loc.ID)
		}
		if err != nil {
			return reconcile.AccountInfo{}, false, err
		}
		return reconcile.AccountInfo{ID: loc.ID, Name: str(raw["name"])}, true, nil
	}
	want := ""
	if loc.Settings != nil {
		want = strings.TrimSpace(loc.Settings.Name())
	}
	if want == "" {
		return reconcile.AccountInfo{}, false,
			fmt.Errorf("no spec.id and no settings.name: nothing to find the sub-account by")
	}
	return f.byName(ctx, want, false)
}

func (f *Fleet) byName(ctx context.Context, want string, fresh bool) (reconcile.AccountInfo, bool, error) {
	all, err := f.search(ctx, fresh)
	if err != nil {
		return reconcile.AccountInfo{}, false, err
	}
	var found []string
	for _, a := range all {
		if strings.EqualFold(strings.TrimSpace(str(a["name"])), want) {
			found = append(found, str(a["id"]))
		}
	}
	switch len(found) {
	case 0:
		return reconcile.AccountInfo{}, false, nil
	case 1:
		return reconcile.AccountInfo{ID: found[0], Name: want}, true, nil
	}
	return reconcile.AccountInfo{}, false, fmt.Errorf(
		"%d sub-accounts are named %q (%s): set spec.id to choose one",
		len(found), want, strings.Join(found, ", "))
}

// Open binds the providers of a sub-account.
func (f *Fleet) Open(loc *spec.Location, info reconcile.AccountInfo) (reconcile.Account, error) {
	cred, err := f.Tokens.Location(loc, info.ID)
	if err != nil {
		return nil, err
	}
	return &Site{fleet: f, loc: loc, ID: info.ID, cred: cred}, nil
}

// Create makes the sub-account of a Location from its settings.
func (f *Fleet) Create(ctx context.Context, loc *spec.Location) (reconcile.AccountInfo, error) {
	cred, ok, err := f.Tokens.Agency()
	if err == nil && !ok {
		err = fmt.Errorf("creating a sub-account needs the Agency document and its token")
	}
	if err != nil {
		return reconcile.AccountInfo{}, err
	}
	body := settingsBody(loc.Settings.Fields, nil)
	body["companyId"] = f.CompanyID
	req := highlevel.Request{
		Method: http.MethodPost, Path: "/locations/", Body: body, Cred: cred, Resource: f.CompanyID,
		What: "create sub-account " + loc.Address,
	}
	for range 4 {
		var out map[string]any
		err = f.Client.Do(ctx, req, &out)
		if err == nil {
			return reconcile.AccountInfo{ID: str(out["id"]), Name: str(out["name"])}, nil
		}
		if !highlevel.IsUnknownOutcome(err) {
			return reconcile.AccountInfo{}, err
		}
		// The answer was lost: the sub-account may exist. Look before
		// creating it a second time, and never create blind.
		info, ok, ferr := f.byName(ctx, loc.Settings.Name(), true)
		if ferr != nil {
			return reconcile.AccountInfo{}, fmt.Errorf("%w (and looking it up again failed: %v)", err, ferr)
		}
		if ok {
			return info, nil
		}
	}
	return reconcile.AccountInfo{}, err
}

// Site is one sub-account.
type Site struct {
	fleet *Fleet
	loc   *spec.Location
	ID    string
	cred  highlevel.Credential

	dirOnce sync.Once
	dir     *directory
	dirErr  error
}

// Provider returns the provider of kind bound to this sub-account.
func (s *Site) Provider(kind string) (reconcile.Provider, error) {
	switch kind {
	case spec.KindSettings:
		return &settingsProvider{site: s}, nil
	case spec.KindTags:
		return &tagProvider{site: s}, nil
	case spec.KindCustomFields:
		return &customFieldProvider{site: s}, nil
	case spec.KindCustomValues:
		return &customValueProvider{site: s}, nil
	case spec.KindTriggerLinks:
		return &linkProvider{site: s}, nil
	case spec.KindCalendars:
		return &calendarProvider{site: s}, nil
	case spec.KindBusinesses:
		return &businessProvider{site: s}, nil
	}
	return nil, fmt.Errorf("no provider for kind %q", kind)
}

// what names a call in error messages.
func (s *Site) what(verb string) string {
	return fmt.Sprintf("%s of %s (%s)", verb, s.loc.Address, s.ID)
}

// call sends a request with the sub-account's token.
func (s *Site) call(ctx context.Context, method, path string, q url.Values, body, out any,
	what string) error {
	return s.fleet.Client.Do(ctx, highlevel.Request{
		Method: method, Path: path, Query: q, Body: body, Cred: s.cred, Resource: s.ID,
		What: s.what(what),
	}, out)
}

// calendarCall is call with the calendar endpoints' Version header.
func (s *Site) calendarCall(ctx context.Context, method, path string, q url.Values, body, out any,
	what string) error {
	return s.fleet.Client.Do(ctx, highlevel.Request{
		Method: method, Path: path, Query: q, Body: body, Cred: s.cred, Resource: s.ID,
		Version: highlevel.CalendarVersion, What: s.what(what),
	}, out)
}

// Location returns the sub-account's own record, read once per run.
func (s *Site) Location(ctx context.Context) (map[string]any, error) {
	return s.fleet.location(ctx, s.loc, s.ID)
}

// location reads a sub-account's record once, with the sub-account's own
// token when it has one, so the read counts against that sub-account's rate
// limit rather than the agency's, else with the agency token.
func (f *Fleet) location(ctx context.Context, loc *spec.Location, id string) (map[string]any, error) {
	v, _ := f.records.LoadOrStore(id, &record{})
	rec := v.(*record)
	rec.once.Do(func() {
		cred, err := f.Tokens.Location(loc, id)
		if err != nil {
			agency, ok, aerr := f.Tokens.Agency()
			if aerr == nil && ok {
				cred, err = agency, nil
			}
		}
		if err != nil {
			rec.err = err
			return
		}
		var out struct {
			Location map[string]any `json:"location"`
		}
		rec.err = f.Client.Do(ctx, highlevel.Request{
			Method: http.MethodGet, Path: "/locations/" + id, Cred: cred, Resource: id,
			What: fmt.Sprintf("read sub-account %s (%s)", loc.Address, id),
		}, &out)
		rec.raw = out.Location
		if rec.err == nil && (rec.raw == nil || str(rec.raw["id"]) == "") {
			rec.err = fmt.Errorf("read sub-account %s (%s): the answer holds no location", loc.Address, id)
		}
	})
	return rec.raw, rec.err
}

// Forget drops the cached record of a sub-account after its settings change.
func (f *Fleet) Forget(id string) { f.records.Delete(id) }

type record struct {
	once sync.Once
	raw  map[string]any
	err  error
}

// pages reads a skip/limit paged list until a short page.
func pages(ctx context.Context, c *highlevel.Client, r highlevel.Request, key string,
	limit int) ([]map[string]any, error) {
	var all []map[string]any
	base := r.Query
	for skip := 0; ; skip += limit {
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		q.Set("skip", strconv.Itoa(skip))
		q.Set("limit", strconv.Itoa(limit))
		r.Query = q
		var out map[string]json.RawMessage
		if err := c.Do(ctx, r, &out); err != nil {
			return nil, err
		}
		var page []map[string]any
		if err := json.Unmarshal(out[key], &page); err != nil && out[key] != nil {
			return nil, fmt.Errorf("%s: %s: decode %s: %w", r.What, r.Path, key, err)
		}
		all = append(all, page...)
		if len(page) < limit {
			return all, nil
		}
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// pick copies the named keys that m has.
func pick(m map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		if v, ok := m[k]; ok && v != nil {
			out[k] = v
		}
	}
	return out
}

// merged returns live's values for keys, overridden by desired's.
func merged(desired, live map[string]any, keys ...string) map[string]any {
	out := pick(live, keys...)
	for k, v := range pick(desired, keys...) {
		out[k] = v
	}
	return out
}
