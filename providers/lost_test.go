package providers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/northwind/ghlctl/providers/highlevel"
	"github.com/northwind/ghlctl/reconcile"
	"github.com/northwind/ghlctl/sandbox"
	"github.com/northwind/ghlctl/spec"
	"github.com/northwind/ghlctl/state"
)

// loseFirstAnswer lets the first POST to each path reach the server, which
// commits it, and then closes the connection without an answer: the client
// cannot know whether the object was made.
func loseFirstAnswer(next http.Handler) http.Handler {
	var mu sync.Mutex
	lost := map[string]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		drop := r.Method == http.MethodPost && !lost[r.URL.Path]
		lost[r.URL.Path] = true
		mu.Unlock()
		if !drop {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(httptest.NewRecorder(), r)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
}

type fixedTokens struct{ tk sandbox.Tokens }

func (t fixedTokens) Agency() (highlevel.Credential, bool, error) {
	return highlevel.Credential{Class: highlevel.Agency, Secret: t.tk.AgencyToken}, true, nil
}

func (t fixedTokens) Location(loc *spec.Location, id string) (highlevel.Credential, error) {
	for _, l := range t.tk.Locations {
		if l.ID == id {
			return highlevel.Credential{Class: highlevel.SubAccount, Secret: l.Token}, nil
		}
	}
	return highlevel.Credential{}, os.ErrNotExist
}

const lostManifest = `apiVersion: ghlctl/v1
kind: Location
metadata: {name: acme-dental}
spec:
  id: acmeDental0000000001
  tags: [brand new tag]
  customFields:
    - {name: Brand New Field, dataType: SINGLE_OPTIONS, options: [A, B]}
  customValues:
    - {name: Brand New Value, value: "42"}
  triggerLinks:
    - {name: Brand New Link, redirectTo: "https://acme.example/new"}
  calendars:
    - {name: Brand New Calendar, calendarType: event, slotDuration: 15}
  businesses:
    - {name: Brand New Business, city: Austin}
`

// TestLostCreateAnswersMakeNoDuplicates creates one object of every kind
// while the answer to each first create is lost, and finds each object
// exactly once afterwards.
func TestLostCreateAnswersMakeNoDuplicates(t *testing.T) {
	sb, err := sandbox.New(sandbox.Options{Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(loseFirstAnswer(sb.Handler()))
	defer srv.Close()
	before := sb.Stats().Objects[sandbox.AcmeDentalID]

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "acme.yaml"), []byte(lostManifest), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := spec.Load(spec.LoadOptions{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	client, err := highlevel.New(highlevel.Config{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	fleet := &Fleet{Client: client, CompanyID: sandbox.DemoCompanyID, Tokens: fixedTokens{sb.Tokens()}}
	backend := state.NewFile(filepath.Join(dir, "state.json"), 0)
	planner := &reconcile.Planner{Dir: fleet, State: state.New(), Opts: reconcile.Options{MaxDeletes: 10}}
	plan, err := planner.Plan(context.Background(), set)
	if err != nil {
		t.Fatal(err)
	}
	res, err := (&reconcile.Applier{State: backend, Parallelism: 1}).Apply(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Failed {
		t.Errorf("%s: %v", f.Change.Address, f.Err)
	}
	after := sb.Stats().Objects[sandbox.AcmeDentalID]
	for _, kind := range spec.ListKinds {
		if after[kind] != before[kind]+1 {
			t.Errorf("%s: %d before, %d after, want one more", kind, before[kind], after[kind])
		}
	}
	posts := 0
	for _, r := range sb.Requests() {
		if r.Method == http.MethodPost {
			posts++
		}
	}
	if posts != len(spec.ListKinds) {
		t.Errorf("%d creates reached the server, want one per kind: a lost answer is followed by a "+
			"listing that finds the object, not by a second create", posts)
	}
}

// TestLostSubAccountCreateMakesNoDuplicate creates a sub-account whose
// answer is lost, and finds it exactly once afterwards.
func TestLostSubAccountCreateMakesNoDuplicate(t *testing.T) {
	sb, err := sandbox.New(sandbox.Options{Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(loseFirstAnswer(sb.Handler()))
	defer srv.Close()
	client, err := highlevel.New(highlevel.Config{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	fleet := &Fleet{Client: client, CompanyID: sandbox.DemoCompanyID, Tokens: fixedTokens{sb.Tokens()}}
	loc := &spec.Location{Address: "new-clinic", Settings: &spec.Entry{Kind: spec.KindSettings,
		Fields: map[string]any{"name": "New Clinic", "timezone": "America/Chicago"}}}
	info, err := fleet.Create(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range sb.Tokens().Locations {
		if l.Name == "New Clinic" {
			n++
			if l.ID != info.ID {
				t.Errorf("created %s, the sandbox has %s", info.ID, l.ID)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d sub-accounts named New Clinic, want 1", n)
	}
}
