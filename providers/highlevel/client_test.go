package highlevel

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func testClient(t *testing.T, h http.HandlerFunc, log *bytes.Buffer) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := Config{BaseURL: srv.URL, UserAgent: "ghlctl/test", Retry: RetryPolicy{Backoff: time.Millisecond}}
	if log != nil {
		cfg.Logger = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var cred = Credential{Class: SubAccount, Secret: "pit-canary-secret", Source: "env ACME_PIT"}

func TestHeadersAndNoTokenInLog(t *testing.T) {
	var got http.Header
	var log bytes.Buffer
	c := testClient(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Write([]byte(`{"tags":[]}`))
	}, &log)
	err := c.Do(context.Background(), Request{Method: "GET", Path: "/locations/x/tags", Cred: cred,
		Version: CalendarVersion}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Get("Authorization") != "Bearer pit-canary-secret" || got.Get("Version") != CalendarVersion ||
		got.Get("User-Agent") != "ghlctl/test" {
		t.Errorf("headers = %v", got)
	}
	if strings.Contains(log.String(), "canary") {
		t.Errorf("token in log: %s", log.String())
	}
	if !strings.Contains(log.String(), "path=/locations/x/tags") ||
		!strings.Contains(log.String(), "status=200") {
		t.Errorf("log lacks the request: %s", log.String())
	}
}

func TestErrorsNameTheRequestTokenAndTrace(t *testing.T) {
	c := testClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(401)
		w.Write([]byte(`{"statusCode":401,"message":"This authClass type is not allowed","traceId":"t-1"}`))
	}, nil)
	err := c.Do(context.Background(), Request{Method: "GET", Path: "/locations/x/tags", Cred: cred,
		What: "list tags of acme"}, nil)
	var e *Error
	if !errors.As(err, &e) || e.Status != 401 {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"list tags of acme", "GET /locations/x/tags", "t-1",
		"needs a sub-account token", "env ACME_PIT"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "canary") {
		t.Errorf("token in error: %v", err)
	}
}

func TestRetriesIdempotentButNotPost(t *testing.T) {
	var calls atomic.Int32
	c := testClient(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			w.WriteHeader(503)
			return
		}
		w.Write([]byte(`{}`))
	}, nil)
	put := Request{Method: "PUT", Path: "/x", Cred: cred, Body: map[string]any{}}
	if err := c.Do(context.Background(), put, nil); err != nil {
		t.Fatalf("PUT after two 503s: %v", err)
	}
	calls.Store(0)
	err := c.Do(context.Background(),
		Request{Method: "POST", Path: "/x", Cred: cred, Body: map[string]any{}}, nil)
	if !IsUnknownOutcome(err) || calls.Load() != 1 {
		t.Fatalf("POST after a 503: err %v after %d calls, want an unknown outcome after 1",
			err, calls.Load())
	}
}

func TestWaitsOn429(t *testing.T) {
	var calls atomic.Int32
	c := testClient(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("X-RateLimit-Interval-Milliseconds", "50")
			w.WriteHeader(429)
			return
		}
		w.Write([]byte(`{}`))
	}, nil)
	post := Request{Method: "POST", Path: "/x", Cred: cred, Body: 1}
	if err := c.Do(context.Background(), post, nil); err != nil {
		t.Fatalf("POST after a 429: %v", err)
	}
	if m := c.Metrics(); m.RateLimits != 1 || m.Retries != 1 {
		t.Fatalf("metrics = %+v", m)
	}
}

func TestRefusesPlainHTTPOffLoopback(t *testing.T) {
	if _, err := New(Config{BaseURL: "http://example.com"}); err == nil {
		t.Fatal("http to a remote host was allowed")
	}
	if _, err := New(Config{BaseURL: "http://127.0.0.1:1"}); err != nil {
		t.Fatal(err)
	}
}

func TestGatewaySendsTheKeyAndNamesTheConnection(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL, Gateway: true, GatewayKey: "maton-key"})
	if err != nil {
		t.Fatal(err)
	}
	conn := Credential{Class: Agency, Connection: "conn-agency"}
	req := Request{Method: "GET", Path: "/locations/search", Cred: conn}
	if err := c.Do(context.Background(), req, nil); err != nil {
		t.Fatal(err)
	}
	if got.Get("Authorization") != "Bearer maton-key" || got.Get("Maton-Connection") != "conn-agency" {
		t.Fatalf("gateway headers = %v", got)
	}
	if _, err := New(Config{Gateway: true}); err == nil {
		t.Fatal("a gateway without MATON_API_KEY was accepted")
	}
}
