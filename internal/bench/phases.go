package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/northwind/ghlctl/sandbox"
)

// Phase is what one measured step cost, as the sandbox counted it.
type Phase struct {
	Name     string `json:"name"`
	Requests int    `json:"requests"`
	// Minimum is the fewest requests the step can be done with.
	Minimum int `json:"minimum"`
	// ByKind splits Requests by the kind of object they touch; empty when
	// the sandbox's request log could not hold the whole step.
	ByKind        map[string]int `json:"byKind,omitempty"`
	MinimumByKind map[string]int `json:"minimumByKind,omitempty"`
	Writes        int            `json:"writes"`
	Wall          duration       `json:"wallSeconds"`
	// LowerBound is Requests × latency ÷ parallelism (or ÷ the number of
	// sub-accounts, when there are fewer): the wall time of keeping that
	// many requests in flight all the time.
	LowerBound duration `json:"lowerBoundSeconds"`
	Status429  int      `json:"status429"`
	// MaxRSSKiB is the peak resident memory of the ghlctl process; 0 for
	// steps that run inside the harness.
	MaxRSSKiB int64 `json:"maxRssKiB,omitempty"`
}

// duration is written to JSON as seconds.
type duration time.Duration

func (d duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).Round(time.Millisecond).Seconds())
}

func (d *duration) UnmarshalJSON(b []byte) error {
	var s float64
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*d = duration(s * float64(time.Second))
	return nil
}

// meter measures steps against the served sandbox.
type meter struct {
	sb          *sandbox.Server
	api         *api
	latency     time.Duration
	parallelism int
	sites       int
}

// measure runs step with fresh rate-limit windows (as after an idle spell)
// and returns what the sandbox served meanwhile. The admin reset also
// empties the request log, so the log holds only this step.
func (m *meter) measure(ctx context.Context, name string, minimum map[string]int,
	step func() (run, error)) (Phase, run, error) {
	if err := m.api.admin(ctx, http.MethodPost, "reset", nil); err != nil {
		return Phase{}, run{}, err
	}
	before := m.sb.Stats()
	r, err := step()
	after := m.sb.Stats()
	if err != nil {
		return Phase{}, r, fmt.Errorf("%s: %w", name, err)
	}
	p := Phase{
		Name:      name,
		Requests:  after.Requests - before.Requests,
		Writes:    after.Writes - before.Writes,
		Status429: after.Status429 - before.Status429,
		Wall:      duration(r.wall),
		MaxRSSKiB: r.maxRSS,
	}
	p.LowerBound = duration(time.Duration(p.Requests) * m.latency / time.Duration(m.parallelism))
	if m.sites > 0 && m.sites < m.parallelism {
		p.LowerBound = duration(time.Duration(p.Requests) * m.latency / time.Duration(m.sites))
	}
	p.MinimumByKind, p.Minimum = minimum, sum(minimum)
	if log := m.sb.Requests(); len(log) == p.Requests {
		p.ByKind = byKind(log)
	}
	return p, r, nil
}

// byKind counts requests by the kind of object their path names.
func byKind(log []sandbox.Request) map[string]int {
	out := map[string]int{}
	for _, r := range log {
		out[kindOf(r.Path)]++
	}
	return out
}

func kindOf(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch parts[0] {
	case "users":
		return "users"
	case "links":
		return "triggerLinks"
	case "businesses":
		return "businesses"
	case "calendars":
		if len(parts) > 1 && parts[1] == "groups" {
			return "calendarGroups"
		}
		return "calendars"
	case "locations":
		switch {
		case len(parts) > 2:
			return parts[2]
		case len(parts) == 2 && parts[1] != "search":
			return "location"
		}
		return "locationSearch"
	}
	return "other"
}

// minimumPlan is the fewest requests a plan of the sites can make: per
// sub-account its record, one request per page of each kind's list, and the
// users and calendar groups that calendars are read in terms of.
func minimumPlan(sites []site) map[string]int {
	out := map[string]int{}
	for _, s := range sites {
		c := contentOf(s)
		out["location"]++
		out["tags"]++
		out["customFields"]++
		out["customValues"]++
		out["triggerLinks"]++
		out["calendars"]++
		out["businesses"] += pages(len(c.businesses), 100)
		out["users"] += pages(0, 100)
		out["calendarGroups"]++
	}
	return out
}

// minimumApply adds the one write per sub-account to the plan's reads.
func minimumApply(sites []site) map[string]int {
	out := minimumPlan(sites)
	out["customValues"] += len(sites)
	return out
}

// pages is how many pages of size a list of n objects takes: an empty list
// still takes one request to learn that it is empty.
func pages(n, size int) int { return max(1, (n+size-1)/size) }

func sum(m map[string]int) int {
	total := 0
	for _, v := range m {
		total += v
	}
	return total
}
