package sandbox

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseFaults(t *testing.T) {
	f, err := ParseFaults("latency=50ms, jitter=10ms,429=0.1,5xx=0.05,reset=0.02,lost=0.01,seed=7")
	if err != nil {
		t.Fatal(err)
	}
	want := Faults{Latency: 50 * time.Millisecond, Jitter: 10 * time.Millisecond,
		Rate429: 0.1, Rate5xx: 0.05, Reset: 0.02, Lost: 0.01, Seed: 7}
	if f != want {
		t.Errorf("got %+v, want %+v", f, want)
	}
	if back, _ := ParseFaults(f.String()); back != f {
		t.Errorf("String does not round-trip: %q", f.String())
	}
	if f, err := ParseFaults(""); err != nil || f != (Faults{}) {
		t.Errorf("empty spec: %+v %v", f, err)
	}
	for _, bad := range []string{
		"latency", "latency=fast", "429=2", "boom=1", "5xx=0.6,reset=0.6", "seed=x", "jitter=-1s",
	} {
		if _, err := ParseFaults(bad); err == nil {
			t.Errorf("ParseFaults(%q) accepted", bad)
		}
	}
}

func TestSameSeedSameFaults(t *testing.T) {
	spec := Faults{Rate429: 0.3, Rate5xx: 0.2, Jitter: time.Millisecond, Seed: 7}
	run := func() []int {
		e := newEnv(t, Options{Seed: true, NoRateLimit: true, Faults: spec})
		var statuses []int
		for range 40 {
			statuses = append(statuses, e.do("GET", "/locations/"+AcmeDentalID+"/tags", e.acme, nil).status)
		}
		return statuses
	}
	first, second := run(), run()
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("same seed, different faults (-first +second):\n%s", diff)
	}
	seen := map[int]bool{}
	for _, s := range first {
		seen[s] = true
	}
	if !seen[200] || !seen[429] || !(seen[500] || seen[502] || seen[503]) {
		t.Errorf("statuses %v lack a kind", first)
	}
	other := newInjector(Faults{Rate429: 0.3, Rate5xx: 0.2, Seed: 8})
	same := newInjector(Faults{Rate429: 0.3, Rate5xx: 0.2, Seed: 7})
	differ := false
	for range 40 {
		if other.next() != same.next() {
			differ = true
		}
	}
	if !differ {
		t.Error("seeds 7 and 8 gave the same sequence")
	}
}

// rawPost sends a POST on a fresh connection and returns the transport error.
func rawPost(t *testing.T, e *env, path, token, body string) (*http.Response, error) {
	t.Helper()
	req, _ := http.NewRequest("POST", e.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{
		Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second,
	}
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

func TestResetAndLost(t *testing.T) {
	for _, tt := range []struct {
		name      string
		faults    Faults
		committed bool
	}{
		{"reset drops the request", Faults{Reset: 1}, false},
		{"lost commits the request", Faults{Lost: 1}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Options{Seed: true, NoRateLimit: true, Faults: tt.faults})
			before := e.srv.Stats().Objects[AcmeDentalID]["tags"]
			_, err := rawPost(t, e, "/locations/"+AcmeDentalID+"/tags", e.acme, `{"name":"dropped"}`)
			if err == nil {
				t.Fatal("the request got an answer")
			}
			after := e.srv.Stats().Objects[AcmeDentalID]["tags"]
			if committed := after == before+1; committed != tt.committed {
				t.Errorf("tags %d -> %d, committed %v, want %v", before, after, committed, tt.committed)
			}
			reqs := e.srv.Requests()
			if len(reqs) != 1 || reqs[0].Fault == "" {
				t.Errorf("journal %+v", reqs)
			}
			if tt.committed && reqs[0].Status != 200 {
				t.Errorf("lost request journalled with status %d, want the committed 200", reqs[0].Status)
			}
			// Admin endpoints are never faulted.
			if resp, err := http.Get(e.base + "/_sandbox/stats"); err != nil || resp.StatusCode != 200 {
				t.Errorf("admin endpoint under faults: %v", err)
			}
		})
	}
}

func TestLatency(t *testing.T) {
	slow := Faults{Latency: 40 * time.Millisecond}
	e := newEnv(t, Options{Seed: true, NoRateLimit: true, Faults: slow})
	start := time.Now()
	e.must(200, "GET", "/locations/"+AcmeDentalID+"/tags", e.acme, nil)
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Errorf("answered in %v, want at least 40ms", d)
	}
	if e.srv.Stats().Faults["latency"] != 1 {
		t.Errorf("faults %v", e.srv.Stats().Faults)
	}
}

func TestInjectedServerErrorsHaveJSONBodies(t *testing.T) {
	e := newEnv(t, Options{Seed: true, Faults: Faults{Rate5xx: 1, Seed: 3}})
	r := e.do("GET", "/locations/"+AcmeDentalID+"/tags", e.acme, nil)
	if r.status < 500 || r.body["statusCode"] != float64(r.status) || r.body["traceId"] == nil {
		t.Errorf("injected 5xx: %d %s", r.status, r.raw)
	}
	if e.srv.Stats().Faults["5xx"] != 1 {
		t.Errorf("faults %v", e.srv.Stats().Faults)
	}
}
