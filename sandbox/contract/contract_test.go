package contract

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/northwind/ghlctl/sandbox"
)

// specDir finds the published OpenAPI documents by walking up to the
// directory that contains "shared".
func specDir(t *testing.T) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		candidate := filepath.Join(dir, "shared", "highlevel-openapi")
		if _, err := os.Stat(candidate); err == nil {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("OpenAPI documents not found at ../../../shared/highlevel-openapi")
		}
		dir = parent
	}
}

// reports collects what a Checker reports.
type reports struct {
	mu   sync.Mutex
	errs []error
}

func (r *reports) add(err error) {
	r.mu.Lock()
	r.errs = append(r.errs, err)
	r.mu.Unlock()
}

func (r *reports) take() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.errs
	r.errs = nil
	return out
}

// rig is the seeded sandbox served through a Checker.
type rig struct {
	t       *testing.T
	base    string
	tokens  sandbox.Tokens
	reports *reports
	saved   map[string]string
}

func newRig(t *testing.T) *rig {
	c, err := Load(specDir(t))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sandbox.New(sandbox.Options{Seed: true, NoRateLimit: true})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, tokens: srv.Tokens(), reports: &reports{}, saved: map[string]string{}}
	hs := httptest.NewServer(c.Wrap(srv.Handler(), r.reports.add))
	t.Cleanup(func() { hs.Close(); srv.Close() })
	r.base = hs.URL
	return r
}

// step is one request of the tour. Path and body may name saved ids as
// {name}; save stores ids of the answer, as name → dotted path.
type step struct {
	method, path string
	agency       bool // use the agency token
	anonymous    bool // send no token
	body         string
	status       int
	save         map[string]string
}

func (r *rig) expand(s string) string {
	for name, id := range r.saved {
		s = strings.ReplaceAll(s, "{"+name+"}", id)
	}
	s = strings.ReplaceAll(s, "{company}", sandbox.DemoCompanyID)
	return strings.ReplaceAll(s, "{acme}", sandbox.AcmeDentalID)
}

func (r *rig) run(s step) {
	r.t.Helper()
	var body io.Reader
	if s.body != "" {
		body = strings.NewReader(r.expand(s.body))
	}
	req, _ := http.NewRequest(s.method, r.base+r.expand(s.path), body)
	token := r.tokens.Locations[0].Token
	if s.agency {
		token = r.tokens.AgencyToken
	}
	if !s.anonymous {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	version := "2021-07-28"
	if strings.HasPrefix(s.path, "/calendars") {
		version = "2021-04-15"
	}
	req.Header.Set("Version", version)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != s.status {
		r.t.Fatalf("%s %s: %d, want %d: %s", s.method, s.path, resp.StatusCode, s.status, raw)
	}
	var answer map[string]any
	_ = json.Unmarshal(raw, &answer)
	for name, path := range s.save {
		r.saved[name] = dig(answer, path)
	}
}

// dig follows a dotted path ("calendar.id", "users.0.id") into a JSON value.
func dig(v any, path string) string {
	for _, key := range strings.Split(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			v = node[key]
		case []any:
			if len(node) == 0 {
				return ""
			}
			v = node[0]
		}
	}
	s, _ := v.(string)
	return s
}

// tour calls every endpoint the sandbox serves, with bodies a client of
// the real API would send.
var tour = []step{
	{method: "GET", path: "/locations/{acme}", status: 200},
	{method: "GET", path: "/locations/search?companyId={company}&limit=2", agency: true,
		status: 200},
	{method: "POST", path: "/locations/", agency: true, status: 200,
		save: map[string]string{"loc": "id"},
		body: `{"name":"Tour","companyId":"{company}","country":"US",
			"prospectInfo":{"firstName":"A","lastName":"B","email":"a@b.example"},
			"settings":{"allowDuplicateContact":true},"social":{"yelp":"https://yelp.example"}}`},
	{method: "PUT", path: "/locations/{loc}", agency: true, status: 200,
		body: `{"companyId":"{company}","city":"Waco"}`},
	{method: "DELETE", path: "/locations/{loc}?deleteTwilioAccount=false", agency: true, status: 200},

	{method: "GET", path: "/locations/{acme}/tags", status: 200},
	{method: "POST", path: "/locations/{acme}/tags", body: `{"name":"Tour Tag"}`, status: 200,
		save: map[string]string{"tag": "tag.id"}},
	{method: "GET", path: "/locations/{acme}/tags/{tag}", status: 200},
	{method: "PUT", path: "/locations/{acme}/tags/{tag}", body: `{"name":"tour tag 2"}`, status: 200},
	{method: "DELETE", path: "/locations/{acme}/tags/{tag}", status: 200},

	{method: "GET", path: "/locations/{acme}/customFields?model=all", status: 200},
	{method: "POST", path: "/locations/{acme}/customFields", status: 200,
		body: `{"name":"Tour Field","dataType":"SINGLE_OPTIONS","options":["a","b"],"model":"contact"}`,
		save: map[string]string{"field": "customField.id"}},
	{method: "GET", path: "/locations/{acme}/customFields/{field}", status: 200},
	{method: "PUT", path: "/locations/{acme}/customFields/{field}", status: 200,
		body: `{"name":"Tour Field 2","options":["a","b","c"]}`},
	{method: "DELETE", path: "/locations/{acme}/customFields/{field}", status: 200},

	{method: "GET", path: "/locations/{acme}/customValues", status: 200},
	{method: "POST", path: "/locations/{acme}/customValues", body: `{"name":"Tour Value","value":"1"}`,
		status: 200, save: map[string]string{"value": "customValue.id"}},
	{method: "GET", path: "/locations/{acme}/customValues/{value}", status: 200},
	{method: "PUT", path: "/locations/{acme}/customValues/{value}",
		body: `{"name":"Tour Value","value":"2"}`, status: 200},
	{method: "DELETE", path: "/locations/{acme}/customValues/{value}", status: 200},

	{method: "GET", path: "/links/?locationId={acme}", status: 200},
	{method: "POST", path: "/links/", status: 201, save: map[string]string{"link": "link.id"},
		body: `{"locationId":"{acme}","name":"Tour","redirectTo":"https://t.example"}`},
	{method: "GET", path: "/links/id/{link}?locationId={acme}", status: 200},
	{method: "GET", path: "/links/search?locationId={acme}&query=tour&skip=0&limit=5", status: 200},
	{method: "PUT", path: "/links/{link}", status: 201,
		body: `{"name":"Tour 2","redirectTo":"https://t.example/2"}`},
	{method: "DELETE", path: "/links/{link}", status: 201},

	{method: "GET", path: "/users/search?companyId={company}&query=hygienist", status: 200,
		save: map[string]string{"user": "users.0.id"}},
	{method: "GET", path: "/users/?locationId={acme}", status: 200},
	{method: "GET", path: "/users/{user}", status: 200},

	{method: "GET", path: "/calendars/groups?locationId={acme}", status: 200},
	{method: "POST", path: "/calendars/groups", status: 201,
		save: map[string]string{"group": "group.id"},
		body: `{"locationId":"{acme}","name":"Tour","description":"d","slug":"tour"}`},
	{method: "POST", path: "/calendars/groups/validate-slug", status: 200,
		body: `{"locationId":"{acme}","slug":"tour"}`},
	{method: "PUT", path: "/calendars/groups/{group}", status: 200,
		body: `{"name":"Tour 2","description":"d","slug":"tour"}`},
	{method: "PUT", path: "/calendars/groups/{group}/status", body: `{"isActive":false}`, status: 200},
	{method: "GET", path: "/calendars/?locationId={acme}", status: 200},
	{method: "POST", path: "/calendars/", status: 200, save: map[string]string{"cal": "calendar.id"},
		body: `{"locationId":"{acme}","name":"Tour","calendarType":"round_robin","groupId":"{group}",
			"teamMembers":[{"userId":"{user}","priority":1,"locationConfigurations":[{"kind":"physical",
			"location":"Room 2"}]}],"openHours":[{"daysOfTheWeek":[1,2],"hours":[{"openHour":9,
			"openMinute":0,"closeHour":17,"closeMinute":0}]}],"slotDuration":45,"eventColor":"#aabbcc"}`},
	{method: "GET", path: "/calendars/{cal}", status: 200},
	{method: "PUT", path: "/calendars/{cal}", body: `{"name":"Tour 2","slotInterval":15}`,
		status: 200},
	{method: "DELETE", path: "/calendars/{cal}", status: 200},
	{method: "DELETE", path: "/calendars/groups/{group}", status: 200},

	{method: "GET", path: "/businesses/?locationId={acme}&limit=10&skip=0", status: 200},
	{method: "POST", path: "/businesses/", status: 201, save: map[string]string{"biz": "buiseness.id"},
		body: `{"locationId":"{acme}","name":"Tour LLC","city":"Austin"}`},
	{method: "GET", path: "/businesses/{biz}", status: 200},
	{method: "PUT", path: "/businesses/{biz}", body: `{"name":"Tour Inc"}`, status: 200},
	{method: "DELETE", path: "/businesses/{biz}", status: 200},
}

func TestSandboxHonoursTheContract(t *testing.T) {
	r := newRig(t)
	for _, s := range tour {
		r.run(s)
		for _, err := range r.reports.take() {
			t.Errorf("%s %s: %v", s.method, s.path, err)
		}
	}
}

// TestErrorAnswersHonourTheContract sends requests the server refuses; the
// requests are reported (they break the contract), the answers must not be.
func TestErrorAnswersHonourTheContract(t *testing.T) {
	r := newRig(t)
	for _, s := range []step{
		{method: "POST", path: "/locations/{acme}/customValues", body: `{"name":"Only a name"}`,
			status: 422},
		{method: "GET", path: "/locations/{acme}/tags", anonymous: true, status: 401},
		{method: "GET", path: "/locations/{acme}/tags", agency: true, status: 401},
		{method: "POST", path: "/locations/{acme}/tags", body: `{"name":"vip"}`, status: 400},
	} {
		r.run(s)
		for _, err := range r.reports.take() {
			if strings.Contains(err.Error(), ": answer ") {
				t.Errorf("%s %s: %v", s.method, s.path, err)
			}
		}
	}
}

func TestCheckerReportsWhatTheServerWouldReject(t *testing.T) {
	r := newRig(t)
	for _, s := range []step{
		{method: "POST", path: "/locations/{acme}/tags", body: `{"name":"x","color":"red"}`, status: 422},
		{method: "GET", path: "/locations/{acme}/customFields?locationId={acme}", status: 422},
		{method: "PUT", path: "/links/nope", body: `{"name":"x","redirectTo":"y","locationId":"{acme}"}`,
			status: 422},
	} {
		r.run(s)
		if len(r.reports.take()) == 0 {
			t.Errorf("%s %s %s: not reported", s.method, s.path, s.body)
		}
	}
}

func TestCheckerReportsABadAnswer(t *testing.T) {
	c, err := Load(specDir(t))
	if err != nil {
		t.Fatal(err)
	}
	rep := &reports{}
	wrong := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"tags":[{"name":7,"id":"x","locationId":"y"}]}`))
	})
	hs := httptest.NewServer(c.Wrap(wrong, rep.add))
	defer hs.Close()
	req, _ := http.NewRequest("GET", hs.URL+"/locations/abc/tags", bytes.NewReader(nil))
	req.Header.Set("Version", "2021-07-28")
	req.Header.Set("Authorization", "Bearer x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if errs := rep.take(); len(errs) != 1 || !strings.Contains(errs[0].Error(), "answer 200") {
		t.Errorf("reports: %v", errs)
	}
}

func TestLoadFailsWithoutDocuments(t *testing.T) {
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("an empty folder loaded")
	}
}

// TestEveryDefectIsStillThere guards the corrections: one that no longer
// finds its defect means the published documents changed.
func TestEveryDefectIsStillThere(t *testing.T) {
	c, err := Load(specDir(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range defects {
		if !c.corrected[d.evidence] {
			t.Errorf("defect not found in any document: %s", d.evidence)
		}
	}
}
