package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The recorded exchanges (real traffic against services.leadconnectorhq.com)
// are the contract: sent the same request, after the objects it names have
// been created, the sandbox must answer the same status and a body of the
// same shape. Each exchange runs in a fresh, empty sub-account so lists hold
// exactly what the recording's did.

// exchange is one recorded request and answer.
type exchange struct {
	Method          string            `json:"method"`
	Path            string            `json:"path"`
	Query           map[string]string `json:"query"`
	Version         string            `json:"version"`
	RequestBody     json.RawMessage   `json:"requestBody"`
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"responseHeaders"`
	ResponseBody    any               `json:"responseBody"`
}

// sharedDir finds the folder beside the repository that holds the API
// sources, by walking up to the directory that contains "shared".
func sharedDir(sub string) (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		candidate := filepath.Join(dir, "shared", sub)
		if info, err := os.Stat(candidate); err == nil && info.IsDir() {
			return candidate, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.Join("..", "..", "shared", sub), false
		}
		dir = parent
	}
}

func loadRecordings(t *testing.T) map[string][]exchange {
	t.Helper()
	dir, found := sharedDir("recorded-highlevel")
	if !found {
		t.Skip("recorded traffic not found at " + dir)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	out := map[string][]exchange{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var exs []exchange
		if err := json.Unmarshal(data, &exs); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(f)] = exs
	}
	return out
}

func TestRecordedTraffic(t *testing.T) {
	recordings := loadRecordings(t)
	names := make([]string, 0, len(recordings))
	for name := range recordings {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for i, ex := range recordings[name] {
			t.Run(fmt.Sprintf("%s/%d", strings.TrimSuffix(name, ".json"), i), func(t *testing.T) {
				replay(t, ex)
			})
		}
	}
}

// stage is a fresh sub-account in a seeded sandbox.
type stage struct {
	*env
	location, token string
}

func newStage(t *testing.T) *stage {
	e := quiet(t)
	created := e.must(200, "POST", "/locations/", e.agency,
		m{"name": "Recorded", "companyId": DemoCompanyID})
	st := &stage{env: e, location: created["id"].(string)}
	for _, l := range e.srv.Tokens().Locations {
		if l.ID == st.location {
			st.token = l.Token
		}
	}
	return st
}

// recipe prepares what one kind of recorded request refers to and returns
// the id of the object it created for the path, if any. The path pattern
// names the recorded location ("loc") and object ("obj") it contains.
type recipe struct {
	method string
	path   *regexp.Regexp
	setup  func(st *stage, ex exchange) string
}

// The path patterns of the recorded requests.
var (
	locationPath = `^/locations/(?P<loc>[^/]+)`
	fieldsList   = regexp.MustCompile(locationPath + `/customFields$`)
	fieldByID    = regexp.MustCompile(locationPath + `/customFields/(?P<obj>[^/]+)$`)
	valuesList   = regexp.MustCompile(locationPath + `/customValues$`)
	valueByID    = regexp.MustCompile(locationPath + `/customValues/(?P<obj>[^/]+)$`)
	calendarList = regexp.MustCompile(`^/calendars/?$`)
)

var recipes = []recipe{
	{method: "GET", path: regexp.MustCompile(locationPath + `$`), setup: nothingToCreate},
	{method: "GET", path: fieldsList, setup: recreateFields},
	{method: "POST", path: fieldsList, setup: nothingToCreate},
	{method: "PUT", path: fieldByID, setup: oneField},
	{method: "DELETE", path: fieldByID, setup: oneField},
	{method: "GET", path: valuesList, setup: recreateValues},
	{method: "POST", path: valuesList, setup: nothingToCreate},
	{method: "PUT", path: valueByID, setup: oneValue},
	{method: "DELETE", path: valueByID, setup: oneValue},
	{method: "GET", path: calendarList, setup: recreateCalendars},
	{method: "POST", path: calendarList, setup: nothingToCreate},
	{method: "PUT", path: regexp.MustCompile(`^/calendars/(?P<obj>[^/]+)$`), setup: oneCalendar},
	{method: "GET", path: regexp.MustCompile(`^/users/?$`), setup: nothingToCreate},
}

func nothingToCreate(*stage, exchange) string { return "" }

func (st *stage) create(path string, body m, wrapper string) string {
	st.t.Helper()
	r := st.do("POST", path, st.token, body)
	if r.status >= 300 {
		st.t.Fatalf("setup POST %s: %d %s", path, r.status, r.raw)
	}
	return sub(r.body, wrapper)["id"].(string)
}

// items returns the objects of the recorded answer's list.
func items(ex exchange, key string) []map[string]any {
	var out []map[string]any
	for _, it := range list(ex.ResponseBody, key) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func recreateFields(st *stage, ex exchange) string {
	for _, f := range items(ex, "customFields") {
		st.create("/locations/"+st.location+"/customFields",
			m{"name": f["name"], "dataType": f["dataType"], "model": f["model"]}, "customField")
	}
	return ""
}

func oneField(st *stage, ex exchange) string {
	return st.create("/locations/"+st.location+"/customFields",
		m{"name": "Recorded Field", "dataType": "TEXT"}, "customField")
}

func recreateValues(st *stage, ex exchange) string {
	for _, v := range items(ex, "customValues") {
		st.create("/locations/"+st.location+"/customValues", m{"name": v["name"], "value": v["value"]},
			"customValue")
	}
	return ""
}

func oneValue(st *stage, ex exchange) string {
	return st.create("/locations/"+st.location+"/customValues",
		m{"name": "Recorded Value", "value": "v"}, "customValue")
}

// recreateCalendars creates each listed calendar the way its keys show it
// was created: a widgetType when it has one, and an empty widgetSlug (which
// the server turns into the id) when its slug is its id.
func recreateCalendars(st *stage, ex exchange) string {
	for _, c := range items(ex, "calendars") {
		body := m{"locationId": st.location, "name": c["name"], "calendarType": c["calendarType"]}
		if wt, has := c["widgetType"]; has {
			body["widgetType"] = wt
		}
		if _, has := c["widgetSlug"]; has {
			body["widgetSlug"] = ""
		}
		st.create("/calendars/", body, "calendar")
	}
	return ""
}

func oneCalendar(st *stage, ex exchange) string {
	cal := sub(ex.ResponseBody, "calendar")
	return st.create("/calendars/", m{"locationId": st.location, "name": "Recorded Calendar",
		"calendarType": cal["calendarType"]}, "calendar")
}

// replay prepares, sends and compares one exchange.
func replay(t *testing.T, ex exchange) {
	rc, ids := findRecipe(ex)
	if rc == nil {
		if inScope(ex.Path) {
			t.Fatalf("no recipe to replay %s %s", ex.Method, ex.Path)
		}
		t.Skipf("%s %s is outside the sandbox's kinds", ex.Method, ex.Path)
	}
	st := newStage(t)
	recordedLocation := recordedLocationID(ex, ids["loc"])
	objectID := rc.setup(st, ex)

	swap := func(s string) string {
		if recordedLocation != "" {
			s = strings.ReplaceAll(s, recordedLocation, st.location)
		}
		if ids["obj"] != "" && objectID != "" {
			s = strings.ReplaceAll(s, ids["obj"], objectID)
		}
		return s
	}
	q := url.Values{}
	for k, v := range ex.Query {
		q.Set(k, swap(v))
	}
	target := st.base + swap(ex.Path)
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	var body io.Reader
	if len(ex.RequestBody) > 0 && string(ex.RequestBody) != "null" {
		body = bytes.NewReader([]byte(swap(string(ex.RequestBody))))
	}
	req, _ := http.NewRequest(ex.Method, target, body)
	req.Header.Set("Authorization", "Bearer "+st.token)
	req.Header.Set("Version", ex.Version)
	req.Header.Set("Content-Type", "application/json")
	resp, err := st.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	compareAnswer(t, ex, resp)
}

// findRecipe returns the recipe for the exchange and the ids its path names.
func findRecipe(ex exchange) (*recipe, map[string]string) {
	for i := range recipes {
		rc := &recipes[i]
		if rc.method != ex.Method {
			continue
		}
		if match := rc.path.FindStringSubmatch(ex.Path); match != nil {
			ids := map[string]string{}
			for j, name := range rc.path.SubexpNames() {
				if name != "" {
					ids[name] = match[j]
				}
			}
			return rc, ids
		}
	}
	return nil, nil
}

func inScope(path string) bool {
	for _, prefix := range []string{"/locations", "/links", "/calendars", "/businesses", "/users"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

// recordedLocationID is the location the recorded request names: in its
// path, its query or its body.
func recordedLocationID(ex exchange, inPath string) string {
	if inPath != "" {
		return inPath
	}
	if id := ex.Query["locationId"]; id != "" {
		return id
	}
	var body map[string]any
	_ = json.Unmarshal(ex.RequestBody, &body)
	return str(body, "locationId")
}

func compareAnswer(t *testing.T, ex exchange, resp *http.Response) {
	t.Helper()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != ex.Status {
		t.Fatalf("status %d, recorded %d: %s", resp.StatusCode, ex.Status, raw)
	}
	var got any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	for _, d := range shapeDiff(ex.ResponseBody, got, "$") {
		t.Error(d)
	}
	for name := range ex.ResponseHeaders {
		if resp.Header.Get(name) == "" {
			t.Errorf("header %s is missing", name)
		}
	}
}

// shapeDiff lists where got differs in shape from want: JSON types, the key
// sets of objects, and (pairwise) the items of arrays.
func shapeDiff(want, got any, at string) []string {
	if jsonType(want) != jsonType(got) {
		return []string{fmt.Sprintf("%s: %s, recorded %s", at, jsonType(got), jsonType(want))}
	}
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		var out []string
		for _, k := range unionKeys(w, g) {
			wv, inWant := w[k]
			gv, inGot := g[k]
			switch {
			case !inGot:
				out = append(out, fmt.Sprintf("%s.%s: missing", at, k))
			case !inWant:
				out = append(out, fmt.Sprintf("%s.%s: not in the recording", at, k))
			default:
				out = append(out, shapeDiff(wv, gv, at+"."+k)...)
			}
		}
		return out
	case []any:
		g := got.([]any)
		if len(w) != len(g) {
			return []string{fmt.Sprintf("%s: %d items, recorded %d", at, len(g), len(w))}
		}
		var out []string
		for i := range w {
			out = append(out, shapeDiff(w[i], g[i], fmt.Sprintf("%s[%d]", at, i))...)
		}
		return out
	}
	return nil
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}

func unionKeys(a, b map[string]any) []string {
	keys := sortedKeys(a)
	for k := range b {
		if _, has := a[k]; !has {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func TestShapeDiff(t *testing.T) {
	want := m{"a": 1.0, "b": []any{m{"c": "x"}}, "d": m{}}
	for _, tt := range []struct {
		got  any
		diff int
	}{
		{m{"a": 2.0, "b": []any{m{"c": "y"}}, "d": m{}}, 0},
		{m{"a": "2", "b": []any{m{"c": "y"}}, "d": m{}}, 1},
		{m{"a": 2.0, "b": []any{m{"c": "y", "e": true}}, "d": m{}}, 1},
		{m{"a": 2.0, "b": []any{}, "d": m{}}, 1},
		{m{"a": 2.0, "b": []any{m{"c": "y"}}, "d": []any{}}, 1},
		{m{"b": []any{m{"c": "y"}}, "d": m{}}, 1},
	} {
		if got := shapeDiff(want, tt.got, "$"); len(got) != tt.diff {
			t.Errorf("shapeDiff(%v) = %v, want %d differences", tt.got, got, tt.diff)
		}
	}
}
