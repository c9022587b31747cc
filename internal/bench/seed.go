package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/northwind/ghlctl/sandbox"
)

// seedWorkers bounds the requests in flight while seeding. Each request
// waits out the injected latency, so seeding is as fast as it is wide; each
// sub-account's writes stay well under its own rate limit.
const seedWorkers = 256

// seedFleet creates n sub-accounts through the API with the agency token,
// then fills each through its own token with contentOf. The agency's budget
// (100 requests per 10 s) would make creating a thousand sub-accounts take
// minutes, so a 429 on a create resets the sandbox's rate-limit windows
// through its admin endpoint instead of waiting: seeding is not measured.
func seedFleet(ctx context.Context, a *api, n int) ([]site, sandbox.Tokens, error) {
	var tk sandbox.Tokens
	if err := a.admin(ctx, http.MethodGet, "tokens", &tk); err != nil {
		return nil, tk, err
	}
	sites, err := createSites(ctx, a, tk, n)
	if err != nil {
		return nil, tk, err
	}
	if err := a.admin(ctx, http.MethodGet, "tokens", &tk); err != nil {
		return nil, tk, err
	}
	tokens := map[string]string{}
	for _, l := range tk.Locations {
		tokens[l.ID] = l.Token
	}
	var jobs []func(context.Context) error
	for i := range sites {
		sites[i].Token = tokens[sites[i].ID]
		if sites[i].Token == "" {
			return nil, tk, fmt.Errorf("the sandbox lists no token for %s", sites[i].ID)
		}
		jobs = append(jobs, fillJobs(a, sites[i], contentOf(sites[i]))...)
	}
	return sites, tk, inParallel(ctx, seedWorkers, jobs)
}

// createSites creates the sub-accounts, in parallel, with the agency token.
func createSites(ctx context.Context, a *api, tk sandbox.Tokens, n int) ([]site, error) {
	limited := &api{base: a.base, http: a.http, onLimit: func(ctx context.Context) error {
		return a.admin(ctx, http.MethodPost, "reset", nil)
	}}
	sites := make([]site, n)
	jobs := make([]func(context.Context) error, n)
	for i := range sites {
		sites[i] = site{Index: i + 1, Address: fmt.Sprintf("bench-%04d", i+1)}
		s := &sites[i]
		jobs[i] = func(ctx context.Context) error {
			var out struct {
				ID string `json:"id"`
			}
			body := map[string]any{"name": s.name(), "companyId": tk.CompanyID,
				"timezone": "America/Chicago", "city": "Austin"}
			err := limited.do(ctx, request{method: http.MethodPost, path: "/locations/",
				token: tk.AgencyToken, body: body}, &out)
			s.ID = out.ID
			return err
		}
	}
	err := inParallel(ctx, 64, jobs)
	a.sent.Add(limited.sent.Load())
	return sites, err
}

// fillJobs are the creates that give one sub-account its content.
func fillJobs(a *api, s site, c content) []func(context.Context) error {
	var jobs []func(context.Context) error
	post := func(path string, calendar bool, body map[string]any) {
		jobs = append(jobs, func(ctx context.Context) error {
			return a.do(ctx, request{method: http.MethodPost, path: path, token: s.Token,
				calendar: calendar, body: body}, nil)
		})
	}
	loc := "/locations/" + s.ID
	for _, t := range c.tags {
		post(loc+"/tags", false, map[string]any{"name": t})
	}
	for _, f := range c.fields {
		post(loc+"/customFields", false, fieldBody(f))
	}
	for _, v := range c.values {
		post(loc+"/customValues", false, map[string]any{"name": v.name, "value": v.value})
	}
	for _, l := range c.links {
		post("/links/", false, map[string]any{"locationId": s.ID, "name": l.name,
			"redirectTo": l.redirectTo})
	}
	for _, cal := range c.calendars {
		post("/calendars/", true, map[string]any{"locationId": s.ID, "name": cal.name,
			"calendarType": "event", "slotDuration": cal.slotDuration})
	}
	for _, b := range c.businesses {
		post("/businesses/", false, map[string]any{"locationId": s.ID, "name": b.name, "city": b.city})
	}
	return jobs
}

func fieldBody(f field) map[string]any {
	body := map[string]any{"name": f.name, "dataType": f.dataType}
	if f.model != "" {
		body["model"] = f.model
	}
	if len(f.options) > 0 {
		body["options"] = f.options
	}
	return body
}

// inParallel runs jobs, at most width at a time, and returns the first error;
// after one, the jobs not yet started are skipped.
func inParallel(parent context.Context, width int, jobs []func(context.Context) error) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	next := make(chan func(context.Context) error)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for range min(width, len(jobs)) {
		wg.Go(func() {
			for job := range next {
				if err := job(ctx); err != nil {
					mu.Lock()
					if first == nil && !errors.Is(err, context.Canceled) {
						first = err
					}
					mu.Unlock()
					cancel()
				}
			}
		})
	}
feed:
	for _, job := range jobs {
		select {
		case next <- job:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	return parent.Err()
}

// listQuery is the locationId query most list endpoints take.
func listQuery(id string, extra ...string) url.Values {
	q := url.Values{"locationId": {id}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q
}
