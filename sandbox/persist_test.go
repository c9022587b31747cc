package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPersistenceRoundTrip(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sub", "sandbox.json")
	s1, err := New(Options{DataFile: file, Seed: true, NoRateLimit: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("a fresh store is not written at once: %v", err)
	}
	base, err := s1.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: s1, base: base, http: http.DefaultClient}
	toks := s1.Tokens()
	e.acme = toks.Locations[0].Token
	e.must(200, "POST", "/locations/"+AcmeDentalID+"/tags", e.acme, m{"name": "Persisted"})

	data, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(data), `"persisted"`) {
		t.Errorf("the write is not on disk before Close: %v", err)
	}
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "sub", "*.tmp*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	s2, err := New(Options{DataFile: file, Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if diff := cmp.Diff(toks, s2.Tokens()); diff != "" {
		t.Errorf("tokens changed across a restart (-before +after):\n%s", diff)
	}
	if n := s2.Stats().Objects[AcmeDentalID]["tags"]; n != 11 {
		t.Errorf("%d tags after the restart, want the 10 seeded and 1 created", n)
	}
}

func TestCorruptDataFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sandbox.json")
	if err := os.WriteFile(file, []byte("{nope"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{DataFile: file}); err == nil {
		t.Error("a corrupt data file was accepted")
	}
}

func TestUnseededStoreHasAnAgency(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	toks := s.Tokens()
	if len(toks.CompanyID) != 20 || !strings.HasPrefix(toks.AgencyToken, "pit-") ||
		len(toks.Locations) != 0 {
		t.Errorf("tokens of an empty store: %+v", toks)
	}
}

func TestSeedIsReproducible(t *testing.T) {
	ids := func() []string {
		s, err := New(Options{Seed: true})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range s.db.sortedAccounts() {
			for _, tg := range a.Tags {
				out = append(out, tg.ID)
			}
			for _, c := range a.Calendars {
				out = append(out, c.ID)
			}
		}
		return out
	}
	if diff := cmp.Diff(ids(), ids()); diff != "" {
		t.Errorf("seeded ids differ between fresh stores:\n%s", diff)
	}
}

func TestSeedContents(t *testing.T) {
	s, err := New(Options{Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	st := s.Stats()
	for _, id := range []string{AcmeDentalID, BaysideFitnessID, CedarLegalID} {
		if len(id) != 20 {
			t.Errorf("%s is not 20 characters", id)
		}
		n := st.Objects[id]
		if n["tags"] < 8 || n["tags"] > 12 || n["customFields"] < 6 || n["customFields"] > 8 ||
			n["customValues"] != 5 || n["users"] < 3 || n["users"] > 4 || n["calendarGroups"] != 1 ||
			n["calendars"] != 2 || n["triggerLinks"] != 2 || n["businesses"] != 1 {
			t.Errorf("%s holds %v", id, n)
		}
	}
	if len(DemoCompanyID) != 20 {
		t.Error("DemoCompanyID is not 20 characters")
	}
}

func TestAdminEndpoints(t *testing.T) {
	e := quiet(t)
	get := func(path string, v any) {
		t.Helper()
		resp, err := http.Get(e.base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	var toks Tokens
	get("/_sandbox/tokens", &toks)
	if diff := cmp.Diff(e.srv.Tokens(), toks); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}

	e.must(200, "GET", "/locations/"+AcmeDentalID+"/tags?", e.acme, nil)
	e.must(200, "POST", "/locations/"+AcmeDentalID+"/tags", e.acme, m{"name": "logged"})
	var reqs []Request
	get("/_sandbox/requests", &reqs)
	if len(reqs) != 2 || reqs[0].Method != "GET" || reqs[1].Method != "POST" ||
		reqs[1].Status != 200 || string(reqs[1].Body) != `{"name":"logged"}` {
		t.Errorf("requests %+v", reqs)
	}
	var st Stats
	get("/_sandbox/stats", &st)
	if st.Requests != 2 || st.Writes != 1 || st.Objects[AcmeDentalID]["tags"] != 11 {
		t.Errorf("stats %+v", st)
	}
	resp, err := http.Post(e.base+"/_sandbox/reset", "application/json", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("reset: %v", err)
	}
	resp.Body.Close()
	if got := e.srv.Stats(); got.Requests != 0 || len(e.srv.Requests()) != 0 {
		t.Errorf("after reset: %+v", got)
	}
	resp, _ = http.Get(e.base + "/_sandbox/nothing")
	if resp.StatusCode != 404 {
		t.Errorf("unknown admin path: %d", resp.StatusCode)
	}
	resp.Body.Close()
}

// TestFileMatchesMemory writes every kind through the API, then checks the
// file equals a fresh encoding of the store: no account kept stale JSON.
func TestFileMatchesMemory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sandbox.json")
	e := newEnv(t, Options{DataFile: file, Seed: true, NoRateLimit: true})
	acme := "/locations/" + AcmeDentalID
	tag := sub(e.must(200, "POST", acme+"/tags", e.acme, m{"name": "a"}), "tag")["id"].(string)
	e.must(200, "PUT", acme+"/tags/"+tag, e.acme, m{"name": "b"})
	e.must(200, "PUT", acme+"/customFields/contact.visit_count", e.acme, m{"name": "Visits"})
	vals := e.getList(acme+"/customValues", e.acme, "customValues")
	e.must(200, "DELETE", acme+"/customValues/"+vals[0].(map[string]any)["id"].(string), e.acme, nil)
	links := e.getList("/links/?locationId="+BaysideFitnessID, e.bay, "links")
	e.must(201, "PUT", "/links/"+links[0].(map[string]any)["id"].(string), e.bay,
		m{"name": "Renamed", "redirectTo": "https://r.example"})
	cals := e.getList("/calendars/?locationId="+BaysideFitnessID, e.bay, "calendars")
	calID := cals[0].(map[string]any)["id"].(string)
	e.must(200, "PUT", "/calendars/"+calID, e.bay, m{"slotDuration": 90})
	biz := e.getList("/businesses/?locationId="+BaysideFitnessID, e.bay, "businesses")
	bizID := biz[0].(map[string]any)["id"].(string)
	e.must(200, "PUT", "/businesses/"+bizID, e.bay, m{"city": "La Jolla"})
	groups := e.getList("/calendars/groups?locationId="+BaysideFitnessID, e.bay, "groups")
	e.must(200, "PUT", "/calendars/groups/"+groups[0].(map[string]any)["id"].(string)+"/status", e.bay,
		m{"isActive": false})
	e.must(200, "PUT", "/locations/"+CedarLegalID, e.agency,
		m{"companyId": DemoCompanyID, "city": "Boulder"})
	e.must(200, "DELETE", "/locations/"+CedarLegalID+"?deleteTwilioAccount=true", e.agency, nil)

	onDisk, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	e.srv.mu.Lock()
	for _, a := range e.srv.db.Accounts {
		a.encoded = nil
	}
	fresh, err := e.srv.db.encode()
	e.srv.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if string(onDisk) != string(fresh) {
		t.Error("the file differs from a fresh encoding of the store")
	}
}

func TestParallelWritesAllPersist(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sandbox.json")
	e := newEnv(t, Options{DataFile: file, Seed: true, NoRateLimit: true})
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.do("POST", "/locations/"+AcmeDentalID+"/tags", e.acme, m{"name": fmt.Sprintf("p%d", i)})
			if r.status != 200 {
				t.Errorf("write %d: %d", i, r.status)
			}
		}()
	}
	wg.Wait()
	d, err := loadDB(file)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(d.Accounts[AcmeDentalID].Tags); n != 50 {
		t.Errorf("%d tags on disk, want 50", n)
	}
}
