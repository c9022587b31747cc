package providers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/northwind/ghlctl/providers/highlevel"
	"github.com/northwind/ghlctl/reconcile"
	"github.com/northwind/ghlctl/spec"
)

// exchange is one recorded request and answer of the real HighLevel API.
type exchange struct {
	Method       string          `json:"method"`
	Path         string          `json:"path"`
	Status       int             `json:"status"`
	ResponseBody json.RawMessage `json:"responseBody"`
}

// replay answers the recorded request with the recorded answer, and the
// look-ups a provider makes on the side (users, groups) with empty lists.
func replay(t *testing.T, ex exchange) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == ex.Method && r.URL.Path == ex.Path:
			w.WriteHeader(ex.Status)
			_, _ = w.Write(ex.ResponseBody)
		case r.URL.Path == "/users/search" && ex.Path == "/users/":
			_, _ = w.Write(ex.ResponseBody)
		case r.URL.Path == "/users/search":
			_, _ = w.Write([]byte(`{"users":[],"count":0}`))
		case r.URL.Path == "/calendars/groups":
			_, _ = w.Write([]byte(`{"groups":[]}`))
		default:
			t.Errorf("unexpected request %s %s for the recording of %s %s", r.Method, r.URL.Path,
				ex.Method, ex.Path)
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// recordedCall is what the providers do for a recording, and the check of
// what they decoded.
type recordedCall func(ctx context.Context, s *Site, id string) ([]reconcile.Object, error)

var recordedCalls = map[string]recordedCall{
	"create-calendar.json": create(spec.KindCalendars, map[string]any{"name": "Nango Test Calendar"}),
	"create-custom-field.json": create(spec.KindCustomFields,
		map[string]any{"name": "x", "dataType": "TEXT"}),
	"create-custom-value.json": create(spec.KindCustomValues, map[string]any{"name": "x", "value": "y"}),
	"update-calendar.json":     update(spec.KindCalendars, map[string]any{"name": "x"}),
	"update-custom-field.json": update(spec.KindCustomFields, map[string]any{"name": "x"}),
	"update-custom-value.json": update(spec.KindCustomValues, map[string]any{"name": "x", "value": "y"}),
	"delete-custom-field.json": remove(spec.KindCustomFields),
	"delete-custom-value.json": remove(spec.KindCustomValues),
	"list-calendars.json":      list(spec.KindCalendars),
	"list-custom-fields.json":  list(spec.KindCustomFields),
	"list-custom-values.json":  list(spec.KindCustomValues),
	"get-location.json":        list(spec.KindSettings),
	"list-users.json": func(ctx context.Context, s *Site, _ string) ([]reconcile.Object, error) {
		_, err := s.directory(ctx)
		return nil, err
	},
}

func create(kind string, fields map[string]any) recordedCall {
	return func(ctx context.Context, s *Site, _ string) ([]reconcile.Object, error) {
		p, _ := s.Provider(kind)
		o, err := p.Create(ctx, fields)
		return []reconcile.Object{o}, err
	}
}

func update(kind string, fields map[string]any) recordedCall {
	return func(ctx context.Context, s *Site, id string) ([]reconcile.Object, error) {
		p, _ := s.Provider(kind)
		o, err := p.Update(ctx, reconcile.Object{ID: id, Fields: map[string]any{}}, fields)
		return []reconcile.Object{o}, err
	}
}

func remove(kind string) recordedCall {
	return func(ctx context.Context, s *Site, id string) ([]reconcile.Object, error) {
		p, _ := s.Provider(kind)
		return nil, p.Delete(ctx, reconcile.Object{ID: id})
	}
}

func list(kind string) recordedCall {
	return func(ctx context.Context, s *Site, _ string) ([]reconcile.Object, error) {
		p, _ := s.Provider(kind)
		return p.List(ctx)
	}
}

// TestProvidersDecodeRecordedTraffic sends each provider call against the
// recorded answer of the real API and checks what it decoded: every object
// has its id and name.
func TestProvidersDecodeRecordedTraffic(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "recorded-highlevel")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skipf("recorded traffic not found at %s", dir)
	}
	for _, file := range files {
		name := filepath.Base(file)
		call, ok := recordedCalls[name]
		if !ok {
			t.Errorf("%s: no provider call replays it", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			var exchanges []exchange
			data, err := os.ReadFile(file)
			if err == nil {
				err = json.Unmarshal(data, &exchanges)
			}
			if err != nil || len(exchanges) == 0 {
				t.Fatalf("read %s: %v", file, err)
			}
			for _, ex := range exchanges {
				checkRecorded(t, ex, call)
			}
		})
	}
}

func checkRecorded(t *testing.T, ex exchange, call recordedCall) {
	t.Helper()
	srv := replay(t, ex)
	client, err := highlevel.New(highlevel.Config{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	const loc = "AYg6rIXHN1fXdXjGcYvI"
	fleet := &Fleet{Client: client, CompanyID: "company", Tokens: fixedTokens{}}
	site := &Site{fleet: fleet, loc: &spec.Location{Address: "recorded"}, ID: loc,
		cred: highlevel.Credential{Secret: "t"}}
	objs, err := call(context.Background(), site, filepath.Base(ex.Path))
	if err != nil {
		t.Fatalf("%s %s: %v", ex.Method, ex.Path, err)
	}
	for _, o := range objs {
		if o.ID == "" || o.Fields["name"] == nil {
			t.Errorf("%s %s: decoded %+v, want an id and a name", ex.Method, ex.Path, o)
		}
	}
}
