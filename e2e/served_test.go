package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The ids of the demo agency the sandbox is seeded with.
const (
	companyID  = "nwAgency000000000001"
	acmeID     = "acmeDental0000000001"
	baysideID  = "baysideFitness000001"
	cedarID    = "cedarLegal0000000001"
	apiVersion = "2021-07-28"
	calVersion = "2021-04-15"
)

// served is a sandbox served over HTTP by `ghlctl sandbox serve` in a child
// process, and the tokens it printed.
type served struct {
	t      *testing.T
	url    string
	agency string            // the agency token
	tokens map[string]string // sub-account id -> token
	banner string            // what serve printed before it was ready
}

// serve starts `ghlctl sandbox serve` on a free port with its data in a
// temporary folder, waits for it to print its URL and tokens, and stops it
// when the test ends. extra flags (--faults, --no-rate-limit) are passed on.
func serve(t *testing.T, extra ...string) *served {
	t.Helper()
	data := filepath.Join(t.TempDir(), "sb.json")
	args := append([]string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--data", data}, extra...)
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { stopServe(t, cmd) })
	sb := &served{t: t, tokens: map[string]string{}}
	if err := sb.readBanner(out); err != nil {
		t.Fatalf("sandbox serve: %v\nprinted:\n%s\nstderr:\n%s", err, sb.banner, stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	sb.checkTokens()
	checkContract(t, sb, extra)
	return sb
}

// checkTokens fails the test unless the tokens the banner printed are the
// ones /_sandbox/tokens serves, which --sandbox --endpoint reads.
func (sb *served) checkTokens() {
	sb.t.Helper()
	var tk struct {
		CompanyID   string `json:"companyId"`
		AgencyToken string `json:"agencyToken"`
		Locations   []struct {
			ID    string `json:"id"`
			Token string `json:"token"`
		} `json:"locations"`
	}
	sb.admin(http.MethodGet, "tokens", &tk)
	served := map[string]string{}
	for _, l := range tk.Locations {
		served[l.ID] = l.Token
	}
	if tk.CompanyID != companyID || tk.AgencyToken != sb.agency || !maps.Equal(served, sb.tokens) {
		sb.t.Fatalf("/_sandbox/tokens does not serve the tokens the banner printed:\n%s", sb.banner)
	}
}

// stopServe interrupts the sandbox and waits for it, killing it if it lingers.
func stopServe(t *testing.T, cmd *exec.Cmd) {
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-done
		t.Errorf("sandbox serve did not stop on interrupt")
	}
}

// readBanner reads what serve prints on start, up to its "Use it with" line:
// the URL, the agency token and one token per sub-account.
func (sb *served) readBanner(r io.Reader) error {
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
			if strings.HasPrefix(sc.Text(), "Use it with") {
				break
			}
		}
		close(lines)
	}()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				return sb.checkBanner()
			}
			sb.banner += line + "\n"
			sb.parseLine(line)
			if strings.HasPrefix(line, "Use it with") {
				return sb.checkBanner()
			}
		case <-timeout:
			return fmt.Errorf("no banner after 10s")
		}
	}
}

// parseLine reads one banner line:
//
//	Sandbox listening on http://127.0.0.1:40123
//	Agency token: pit-...
//	Sub-account acmeDental0000000001 (Acme Dental) token: pit-...
func (sb *served) parseLine(line string) {
	switch {
	case strings.HasPrefix(line, "Sandbox listening on "):
		sb.url = strings.TrimPrefix(line, "Sandbox listening on ")
	case strings.HasPrefix(line, "Agency token: "):
		sb.agency = strings.TrimPrefix(line, "Agency token: ")
	case strings.HasPrefix(line, "Sub-account "):
		id, _, _ := strings.Cut(strings.TrimPrefix(line, "Sub-account "), " ")
		if _, token, ok := strings.Cut(line, " token: "); ok {
			sb.tokens[id] = token
		}
	}
}

func (sb *served) checkBanner() error {
	if !strings.HasPrefix(sb.url, "http://127.0.0.1:") || sb.agency == "" || len(sb.tokens) != 3 {
		return fmt.Errorf("incomplete banner: url %q, agency token set %v, %d sub-account tokens",
			sb.url, sb.agency != "", len(sb.tokens))
	}
	return nil
}

// exampleEnv is the environment the example manifests name their tokens in,
// filled with this sandbox's tokens.
func (sb *served) exampleEnv() map[string]string {
	return map[string]string{
		"GHL_AGENCY_TOKEN":    sb.agency,
		"ACME_DENTAL_PIT":     sb.tokens[acmeID],
		"BAYSIDE_FITNESS_PIT": sb.tokens[baysideID],
		"CEDAR_LEGAL_PIT":     sb.tokens[cedarID],
	}
}

// sandboxRequest is one entry of the sandbox's request log.
type sandboxRequest struct {
	Method   string `json:"method"`
	Path     string `json:"path"`
	RawQuery string `json:"rawQuery"`
	Status   int    `json:"status"`
	Body     []byte `json:"body"`
	Fault    string `json:"fault"`
}

func (r sandboxRequest) String() string { return r.Method + " " + r.Path }

// requests is the sandbox's log of API requests since it started or was
// last reset, oldest first.
func (sb *served) requests() []sandboxRequest {
	sb.t.Helper()
	var out []sandboxRequest
	sb.admin(http.MethodGet, "requests", &out)
	return out
}

// writes are the logged requests other than GET and HEAD.
func (sb *served) writes() []sandboxRequest {
	sb.t.Helper()
	var out []sandboxRequest
	for _, r := range sb.requests() {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			out = append(out, r)
		}
	}
	return out
}

// wantNoWrites fails the test if the sandbox saw any write since the last reset.
func (sb *served) wantNoWrites() {
	sb.t.Helper()
	if w := sb.writes(); len(w) > 0 {
		sb.t.Errorf("the sandbox saw %d writes, want none: %v", len(w), w)
	}
}

// reset clears the request log, the counters and the rate-limit windows.
func (sb *served) reset() {
	sb.t.Helper()
	sb.admin(http.MethodPost, "reset", nil)
}

// stats are the sandbox's counters since it started or was last reset, and
// the objects it holds now, per sub-account and kind.
type stats struct {
	Requests  int                       `json:"requests"`
	Writes    int                       `json:"writes"`
	Status429 int                       `json:"status429"`
	Objects   map[string]map[string]int `json:"objects"`
}

func (sb *served) stats() stats {
	sb.t.Helper()
	var out stats
	sb.admin(http.MethodGet, "stats", &out)
	return out
}

// admin calls one of the /_sandbox/ endpoints.
func (sb *served) admin(method, name string, out any) {
	sb.t.Helper()
	req, err := http.NewRequest(method, sb.url+"/_sandbox/"+name, nil)
	if err != nil {
		sb.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		sb.t.Fatalf("sandbox %s: %v", name, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		sb.t.Fatalf("sandbox %s: %s: %s", name, resp.Status, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			sb.t.Fatalf("sandbox %s: %v: %s", name, err, data)
		}
	}
}

// api calls the sandbox's HighLevel API with a sub-account's token, the way
// someone editing the account in HighLevel would, and fails the test unless
// the answer is a success. It returns the decoded answer.
func (sb *served) api(location, method, path string, body any) map[string]any {
	sb.t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			sb.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, sb.url+path, rd)
	if err != nil {
		sb.t.Fatal(err)
	}
	version := apiVersion
	if strings.HasPrefix(path, "/calendars") {
		version = calVersion
	}
	req.Header.Set("Authorization", "Bearer "+sb.tokens[location])
	req.Header.Set("Version", version)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		sb.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		sb.t.Fatalf("%s %s: %s: %s", method, path, resp.Status, data)
	}
	out := map[string]any{}
	if err := json.Unmarshal(data, &out); err != nil {
		sb.t.Fatalf("%s %s: %v: %s", method, path, err, data)
	}
	return out
}

// listPaths are where each kind is listed, and the key of the list in the answer.
var listPaths = map[string][2]string{
	"tags":         {"/locations/{id}/tags", "tags"},
	"customFields": {"/locations/{id}/customFields?model=all", "customFields"},
	"customValues": {"/locations/{id}/customValues", "customValues"},
	"triggerLinks": {"/links/?locationId={id}", "links"},
	"calendars":    {"/calendars/?locationId={id}", "calendars"},
	"businesses":   {"/businesses/?locationId={id}", "businesses"},
}

// list returns the live objects of a kind at a sub-account, as the API shows them.
func (sb *served) list(location, kind string) []map[string]any {
	sb.t.Helper()
	p, ok := listPaths[kind]
	if !ok {
		sb.t.Fatalf("no list path for %s", kind)
	}
	answer := sb.api(location, http.MethodGet, strings.ReplaceAll(p[0], "{id}", location), nil)
	items, _ := answer[p[1]].([]any)
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// find returns the live object of a kind with the given name, or nil.
func (sb *served) find(location, kind, name string) map[string]any {
	sb.t.Helper()
	var found map[string]any
	for _, o := range sb.list(location, kind) {
		if o["name"] == name {
			if found != nil {
				sb.t.Errorf("%s has two %s named %q", location, kind, name)
			}
			found = o
		}
	}
	return found
}

// mustFind is find that fails the test when there is no such object.
func (sb *served) mustFind(location, kind, name string) map[string]any {
	sb.t.Helper()
	o := sb.find(location, kind, name)
	if o == nil {
		sb.t.Fatalf("%s has no %s named %q", location, kind, name)
	}
	return o
}
