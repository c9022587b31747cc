package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// env is a seeded sandbox behind an httptest server, with its tokens.
type env struct {
	t      *testing.T
	srv    *Server
	base   string
	agency string
	acme   string // token of Acme Dental
	bay    string // token of Bayside Fitness
	http   *http.Client
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	if !opts.Seed {
		opts.Seed = true
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		hs.Close()
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	e := &env{t: t, srv: s, base: hs.URL, http: hs.Client()}
	toks := s.Tokens()
	e.agency = toks.AgencyToken
	for _, l := range toks.Locations {
		switch l.ID {
		case AcmeDentalID:
			e.acme = l.Token
		case BaysideFitnessID:
			e.bay = l.Token
		}
	}
	return e
}

// quiet is the usual test setup: seeded, no rate limit.
func quiet(t *testing.T) *env { return newEnv(t, Options{Seed: true, NoRateLimit: true}) }

// reply is a decoded answer.
type reply struct {
	status int
	body   map[string]any
	header http.Header
	raw    []byte
}

// do sends a request; body may be nil, a string (sent as is) or a value to
// encode as JSON.
func (e *env) do(method, path, token string, body any) reply {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.base+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Version", "2021-07-28")
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.http.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := reply{status: resp.StatusCode, header: resp.Header, raw: raw}
	if err := json.Unmarshal(raw, &out.body); err != nil {
		e.t.Fatalf("%s %s: answer is not a JSON object: %v: %s", method, path, err, raw)
	}
	return out
}

// must sends a request and fails the test unless the status is want.
func (e *env) must(want int, method, path, token string, body any) map[string]any {
	e.t.Helper()
	r := e.do(method, path, token, body)
	if r.status != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.raw)
	}
	return r.body
}

// m is a shorter name for a JSON object in tests.
type m = map[string]any

func sub(v any, key string) map[string]any {
	o, _ := v.(map[string]any)
	out, _ := o[key].(map[string]any)
	return out
}

func list(v any, key string) []any {
	o, _ := v.(map[string]any)
	out, _ := o[key].([]any)
	return out
}

// messages returns the message list of a 422.
func messages(r reply) []string {
	var out []string
	for _, v := range list(r.body, "message") {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

// doVersion sends a GET with the given Version header and returns the status.
func (e *env) doVersion(method, path, token, version string) int {
	e.t.Helper()
	req, err := http.NewRequest(method, e.base+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if version != "" {
		req.Header.Set("Version", version)
	}
	resp, err := e.http.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// getList GETs path and returns the list under key.
func (e *env) getList(path, token, key string) []any {
	e.t.Helper()
	return list(e.must(200, "GET", path, token, nil), key)
}
