package sandbox

import (
	"testing"
	"time"
)

func TestBurstLimit(t *testing.T) {
	e := newEnv(t, Options{Seed: true, Burst: 3, Window: 150 * time.Millisecond})
	path := "/locations/" + AcmeDentalID + "/tags"
	for i, want := range []string{"2", "1", "0"} {
		r := e.do("GET", path, e.acme, nil)
		if r.status != 200 || r.header.Get("X-RateLimit-Remaining") != want {
			t.Fatalf("request %d: %d, remaining %q, want %s",
				i, r.status, r.header.Get("X-RateLimit-Remaining"), want)
		}
		for h, v := range map[string]string{
			"X-RateLimit-Max": "3", "X-RateLimit-Interval-Milliseconds": "150",
			"X-RateLimit-Limit-Daily": "200000",
		} {
			if r.header.Get(h) != v {
				t.Errorf("%s = %q, want %q", h, r.header.Get(h), v)
			}
		}
	}
	r := e.do("GET", path, e.acme, nil)
	if r.status != 429 || r.body["message"] != "Too many requests" || r.body["statusCode"] != 429.0 {
		t.Fatalf("over the burst: %d %s", r.status, r.raw)
	}
	if r.header.Get("Retry-After") != "" || r.body["traceId"] == nil {
		t.Errorf("429 headers %v body %s", r.header, r.raw)
	}
	if other := e.do("GET", "/locations/"+BaysideFitnessID+"/tags", e.bay, nil); other.status != 200 {
		t.Errorf("another token is limited too: %d", other.status)
	}
	if got := e.srv.Stats().Status429; got != 1 {
		t.Errorf("Stats.Status429 = %d, want 1", got)
	}
	time.Sleep(160 * time.Millisecond)
	if r := e.do("GET", path, e.acme, nil); r.status != 200 {
		t.Errorf("after the window: %d", r.status)
	}
}

func TestDailyLimit(t *testing.T) {
	e := newEnv(t, Options{Seed: true, Daily: 2})
	path := "/locations/search?companyId=" + DemoCompanyID
	e.must(200, "GET", path, e.agency, nil)
	r := e.do("GET", path, e.agency, nil)
	if r.header.Get("X-RateLimit-Daily-Remaining") != "0" {
		t.Errorf("daily remaining %q", r.header.Get("X-RateLimit-Daily-Remaining"))
	}
	if r := e.do("GET", path, e.agency, nil); r.status != 429 {
		t.Errorf("past the daily budget: %d", r.status)
	}
}

func TestNoRateLimit(t *testing.T) {
	e := newEnv(t, Options{Seed: true, Burst: 1, NoRateLimit: true})
	for range 3 {
		e.must(200, "GET", "/locations/"+AcmeDentalID+"/tags", e.acme, nil)
	}
}
