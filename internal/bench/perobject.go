package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// The per-object strategy is how a provider that manages single objects
// refreshes a plan (a Terraform provider, say): list each kind to learn the
// ids, then GET every object by its id. Terraform's -parallelism bounds the
// operations in flight, so here `parallelism` sub-accounts are read at once,
// each one request at a time.

// objectKind is how the per-object strategy lists and reads one kind.
type objectKind struct {
	key      string // the list's property in the answer
	calendar bool
	list     func(loc string) (string, url.Values)
	get      func(loc, id string) (string, url.Values)
}

var objectKinds = []objectKind{
	underLocation("tags"), underLocation("customFields"), underLocation("customValues"),
	{key: "links",
		list: func(l string) (string, url.Values) { return "/links/", listQuery(l) },
		get:  func(l, id string) (string, url.Values) { return "/links/id/" + id, listQuery(l) }},
	{key: "calendars", calendar: true,
		list: func(l string) (string, url.Values) { return "/calendars/", listQuery(l) },
		get:  func(l, id string) (string, url.Values) { return "/calendars/" + id, nil }},
	{key: "businesses",
		list: func(l string) (string, url.Values) {
			return "/businesses/", listQuery(l, "skip", "0", "limit", "100")
		},
		get: func(l, id string) (string, url.Values) { return "/businesses/" + id, nil }},
}

// underLocation is a kind listed at /locations/{id}/<key> and read by id
// beneath it.
func underLocation(key string) objectKind {
	return objectKind{key: key,
		list: func(l string) (string, url.Values) { return "/locations/" + l + "/" + key, nil },
		get: func(l, id string) (string, url.Values) {
			return "/locations/" + l + "/" + key + "/" + id, nil
		},
	}
}

// perObjectPlan reads every object of every site one by one and checks that
// it found them all.
func perObjectPlan(ctx context.Context, a *api, sites []site, companyID string,
	width int) (run, error) {
	start := time.Now()
	var found atomic.Int64
	jobs := make([]func(context.Context) error, len(sites))
	for i, s := range sites {
		jobs[i] = func(ctx context.Context) error {
			n, err := readByObject(ctx, a, s, companyID)
			found.Add(int64(n))
			return err
		}
	}
	err := inParallel(ctx, width, jobs)
	r := run{wall: time.Since(start)}
	if want := int64(len(sites) * objectsPerSite); err == nil && found.Load() != want {
		err = fmt.Errorf("per-object plan found %d objects, want %d", found.Load(), want)
	}
	return r, err
}

// readByObject reads one sub-account: its record, the users and calendar
// groups (as ghlctl does, to show calendars in the manifest's terms), then
// each kind's list and each of its objects.
func readByObject(ctx context.Context, a *api, s site, companyID string) (int, error) {
	get := func(path string, q url.Values, calendar bool, out any) error {
		return a.do(ctx, request{method: http.MethodGet, path: path, query: q, token: s.Token,
			calendar: calendar}, out)
	}
	if err := get("/locations/"+s.ID, nil, false, nil); err != nil {
		return 0, err
	}
	users := listQuery(s.ID, "companyId", companyID, "skip", "0", "limit", "100")
	if err := get("/users/search", users, false, nil); err != nil {
		return 0, err
	}
	if err := get("/calendars/groups", listQuery(s.ID), true, nil); err != nil {
		return 0, err
	}
	found := 0
	for _, k := range objectKinds {
		var list map[string]json.RawMessage
		path, q := k.list(s.ID)
		if err := get(path, q, k.calendar, &list); err != nil {
			return found, err
		}
		var objects []struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(list[k.key], &objects); err != nil {
			return found, fmt.Errorf("list %s of %s: %w", k.key, s.Address, err)
		}
		for _, o := range objects {
			path, q := k.get(s.ID, o.ID)
			if err := get(path, q, k.calendar, nil); err != nil {
				return found, err
			}
			found++
		}
	}
	return found, nil
}

// minimumPerObject is what the per-object strategy must send: the plan's
// reads plus one GET per object.
func minimumPerObject(sites []site) map[string]int {
	out := minimumPlan(sites)
	for _, s := range sites {
		c := contentOf(s)
		out["tags"] += len(c.tags)
		out["customFields"] += len(c.fields)
		out["customValues"] += len(c.values)
		out["triggerLinks"] += len(c.links)
		out["calendars"] += len(c.calendars)
		out["businesses"] += len(c.businesses)
	}
	return out
}
