package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/northwind/ghlctl/sandbox/contract"
)

// The official OpenAPI descriptions, loaded once for the whole suite.
var (
	contractOnce    sync.Once
	contractChecker *contract.Checker
	contractErr     error
)

func openAPIDir() string {
	return filepath.Join("..", "..", "shared", "highlevel-openapi")
}

// checkContract puts a checking proxy between ghlctl and a served sandbox:
// every request ghlctl sends is validated against the official OpenAPI
// files, and every answer against their response schemas (with the known
// defects of those files corrected, see sandbox/contract). Any departure
// fails the test. Sandboxes with faults injected are left unchecked: a reset
// or a lost answer is no answer to check.
func checkContract(t *testing.T, sb *served, extra []string) {
	t.Helper()
	if slices.Contains(extra, "--faults") {
		return
	}
	if _, err := os.Stat(openAPIDir()); err != nil {
		t.Logf("OpenAPI files not found at %s: contract checks skipped", openAPIDir())
		return
	}
	contractOnce.Do(func() { contractChecker, contractErr = contract.Load(openAPIDir()) })
	if contractErr != nil {
		t.Fatalf("load the OpenAPI files: %v", contractErr)
	}
	upstream, err := url.Parse(sb.url)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var problems []string
	report := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, err.Error())
	}
	proxy := httptest.NewServer(contractChecker.Wrap(httputil.NewSingleHostReverseProxy(upstream), report))
	sb.url = proxy.URL
	t.Cleanup(func() {
		proxy.Close()
		mu.Lock()
		defer mu.Unlock()
		if len(problems) > 0 {
			t.Errorf("%d requests or answers break the API contract:\n%s", len(problems),
				strings.Join(problems, "\n"))
		}
	})
}

// TestContractIsChecked makes sure the checking proxy is really in the way:
// a request the API does not accept is reported.
func TestContractIsChecked(t *testing.T) {
	if _, err := os.Stat(openAPIDir()); err != nil {
		t.Skipf("OpenAPI files not found at %s", openAPIDir())
	}
	c, err := contract.Load(openAPIDir())
	if err != nil {
		t.Fatal(err)
	}
	var reported []error
	h := c.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"tags":[]}`))
	}), func(err error) { reported = append(reported, err) })
	req := httptest.NewRequest(http.MethodGet, "/locations/x/tags?locationId=x", nil)
	req.Header.Set("Version", "2021-07-28")
	req.Header.Set("Authorization", "Bearer t")
	h.ServeHTTP(httptest.NewRecorder(), req)
	if len(reported) == 0 {
		t.Fatal("an undeclared query parameter went unreported")
	}
}
