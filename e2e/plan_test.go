package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// jsonPlan is the part of `plan -o json` the tests read.
type jsonPlan struct {
	FormatVersion int `json:"formatVersion"`
	Locations     []struct {
		Address   string         `json:"address"`
		ID        string         `json:"id"`
		Changes   []jsonChange   `json:"changes"`
		Unmanaged map[string]int `json:"unmanaged"`
		Retired   map[string]int `json:"retired"`
	} `json:"locations"`
	Summary struct {
		Add       int `json:"add"`
		Change    int `json:"change"`
		Replace   int `json:"replace"`
		Destroy   int `json:"destroy"`
		Adopt     int `json:"adopt"`
		Unmanaged int `json:"unmanaged"`
	} `json:"summary"`
	Errors []string `json:"errors"`
}

// jsonChange is one change of a JSON plan.
type jsonChange struct {
	Action      string `json:"action"`
	Kind        string `json:"kind"`
	Key         string `json:"key"`
	Name        string `json:"name"`
	Address     string `json:"address"`
	ID          string `json:"id"`
	Detail      string `json:"detail"`
	RenamedFrom string `json:"renamedFrom"`
	Fields      []struct {
		Field  string `json:"field"`
		Before any    `json:"before"`
		After  any    `json:"after"`
	} `json:"fields"`
}

// changes lists every change of the plan, in order.
func (p jsonPlan) changes() []jsonChange {
	var out []jsonChange
	for _, l := range p.Locations {
		out = append(out, l.Changes...)
	}
	return out
}

// actions lists the changes as "action kind name", for comparisons.
func (p jsonPlan) actions() []string {
	var out []string
	for _, c := range p.changes() {
		out = append(out, c.Action+" "+c.Kind+" "+c.Name)
	}
	return out
}

// planJSON runs `plan -o json` against the workspace's sandbox and decodes
// it; exit 0 and 2 are both accepted.
func (w *workspace) planJSON(args ...string) jsonPlan {
	w.t.Helper()
	r := w.ghl(append([]string{"plan", "-o", "json"}, args...)...)
	if r.code != 0 && r.code != 2 {
		w.t.Fatalf("plan -o json failed:\n%s", r)
	}
	return decodePlan(w.t, r.stdout)
}

func decodePlan(t *testing.T, s string) jsonPlan {
	t.Helper()
	var p jsonPlan
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		t.Fatalf("decode JSON plan: %v\n%s", err, s)
	}
	return p
}

// wantNoChanges fails the test unless a plan with --detailed-exitcode exits 0
// and says "No changes." on a line of its own.
func (w *workspace) wantNoChanges(args ...string) {
	w.t.Helper()
	r := w.ghl(append([]string{"plan", "--detailed-exitcode"}, args...)...)
	if r.code != 0 || !hasLine(r.stdout, "No changes.") {
		w.t.Fatalf("want an empty plan (exit 0, \"No changes.\"), got:\n%s", r)
	}
}

// acme is a manifest of the Location acme-dental bound to the demo
// sub-account, with the given lines under spec (indented by two spaces).
func acme(spec string) string {
	return location("acme-dental", acmeID, "ACME_DENTAL_PIT", spec)
}

func location(address, id, tokenEnv, spec string) string {
	var b strings.Builder
	b.WriteString("apiVersion: ghlctl/v1\nkind: Location\nmetadata:\n  name: " + address + "\nspec:\n")
	b.WriteString("  id: " + id + "\n  credentials: {tokenEnv: " + tokenEnv + "}\n")
	for _, line := range strings.Split(strings.Trim(spec, "\n"), "\n") {
		b.WriteString("  " + line + "\n")
	}
	return b.String()
}
