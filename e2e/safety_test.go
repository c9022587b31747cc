package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPinnedRenames renames entries bound to their live objects (a custom
// field by key, the others by id): each is one update in place, and the
// custom field keeps its fieldKey.
func TestPinnedRenames(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	w.sb = serve(t, "--no-rate-limit")
	ids := map[string]string{}
	for _, o := range []struct{ kind, name string }{
		{"tags", "vip"}, {"customFields", "Insurance Provider"}, {"customValues", "Office Phone"},
		{"calendars", "Cleaning"},
	} {
		ids[o.kind] = str(w.sb.mustFind(acmeID, o.kind, o.name)["id"])
	}
	manifest := func(tag, field, value, calendar string) string {
		return acme(fmt.Sprintf(`
tags:
  - {name: %s, id: %s}
customFields:
  - {name: %s, key: contact.insurance_provider, dataType: SINGLE_OPTIONS, options: [Delta, Aetna]}
customValues:
  - {name: %s, id: %s, value: "+1 512 555 0100"}
calendars:
  - {name: %s, id: %s, slotDuration: 60}
`, tag, ids["tags"], field, value, ids["customValues"], calendar, ids["calendars"]))
	}
	w.write("acme.yaml", manifest("vip", "Insurance Provider", "Office Phone", "Cleaning"))
	w.must("apply", "--auto-approve")
	w.wantNoChanges()

	w.write("acme.yaml", manifest("very important", "Insurance Carrier", "Main Phone", "Hygiene Visit"))
	p := w.planJSON()
	want := []string{
		"update calendars Hygiene Visit", "update customFields Insurance Carrier",
		"update customValues Main Phone", "update tags very important",
	}
	if diff := cmp.Diff(want, sorted(p.actions())); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	for _, c := range p.changes() {
		if c.ID != ids[c.Kind] || c.RenamedFrom == "" {
			t.Errorf("%s %q: want a rename of %s, got id %s renamed from %q",
				c.Kind, c.Name, ids[c.Kind], c.ID, c.RenamedFrom)
		}
	}
	for _, line := range changeLines(w.must("plan").stdout) {
		if !strings.HasPrefix(line, "~ ") {
			t.Errorf("want only in-place updates, got %q", line)
		}
	}

	w.must("apply", "--auto-approve")
	for kind, name := range map[string]string{
		"tags": "very important", "customFields": "Insurance Carrier", "customValues": "Main Phone",
		"calendars": "Hygiene Visit",
	} {
		if got := str(w.sb.mustFind(acmeID, kind, name)["id"]); got != ids[kind] {
			t.Errorf("%s %q has id %s, want %s (renamed in place)", kind, name, got, ids[kind])
		}
	}
	list := w.must("state", "list").stdout
	wantNotContains(t, "state list after the renames", list, "tags/vip", "customValues/Office Phone",
		"calendars/Cleaning")
	field := w.sb.mustFind(acmeID, "customFields", "Insurance Carrier")
	if field["fieldKey"] != "contact.insurance_provider" {
		t.Errorf("the renamed field's fieldKey is %v, want contact.insurance_provider", field["fieldKey"])
	}
	w.wantNoChanges()
	w.wantNoChanges("--prune")
}

// TestPrune removes an entry after apply: nothing is planned without
// --prune, a delete with it, and objects ghlctl never owned stay.
func TestPrune(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	w.sb = serve(t, "--no-rate-limit")
	w.write("acme.yaml", acme("tags: [vip, patient]"))
	w.must("apply", "--auto-approve")
	patient := w.sb.mustFind(acmeID, "tags", "patient")

	w.write("acme.yaml", acme("tags: [vip]"))
	w.wantNoChanges()
	wantContains(t, "plan", w.must("plan").stdout,
		"1 object no longer in the manifests, kept (delete with --prune)")

	r := w.ghl("plan", "--prune", "--detailed-exitcode")
	wantCode(t, r, 2)
	if diff := cmp.Diff([]string{`- tag "patient"`}, changeLines(r.stdout)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}

	w.sb.reset()
	w.must("apply", "--auto-approve", "--prune")
	want := []string{"DELETE /locations/" + acmeID + "/tags/" + str(patient["id"])}
	if diff := cmp.Diff(want, writeLines(w.sb.writes())); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	for _, name := range []string{"vip", "do not text", "2023 import", "café ☕"} {
		w.sb.mustFind(acmeID, "tags", name)
	}
	if w.sb.find(acmeID, "tags", "patient") != nil {
		t.Errorf("the pruned tag is still there")
	}
	w.wantNoChanges("--prune")
}

// TestMaxDeletes prunes eleven owned objects: refused by default, naming
// --max-deletes, and done with --max-deletes 11.
func TestMaxDeletes(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	w.sb = serve(t, "--no-rate-limit")
	var names []string
	for i := 1; i <= 11; i++ {
		names = append(names, fmt.Sprintf("batch %02d", i))
	}
	w.write("acme.yaml", acme("tags: [vip, "+strings.Join(names, ", ")+"]"))
	w.must("apply", "--auto-approve")
	w.write("acme.yaml", acme("tags: [vip]"))

	w.sb.reset()
	for _, args := range [][]string{{"plan", "--prune"}, {"apply", "--prune", "--auto-approve"}} {
		r := w.ghl(args...)
		wantCode(t, r, 1)
		wantContains(t, args[0], r.output(), "--max-deletes")
	}
	w.sb.wantNoWrites()

	w.must("apply", "--prune", "--auto-approve", "--max-deletes", "11")
	deletes := 0
	for _, req := range w.sb.writes() {
		if req.Method == http.MethodDelete {
			deletes++
		}
	}
	if deletes != 11 {
		t.Errorf("want 11 deletes, the sandbox saw %d", deletes)
	}
	for _, name := range names {
		if w.sb.find(acmeID, "tags", name) != nil {
			t.Errorf("tag %q is still there", name)
		}
	}
	w.wantNoChanges("--prune")
}

// TestPreventDestroy changes the dataType of a field that forbids its
// destruction: the replace is shown, and refused even with --allow-replace.
func TestPreventDestroy(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	w.sb = serve(t, "--no-rate-limit")
	w.write("acme.yaml", acme("customFields:\n  - {name: Visit Count, dataType: TEXT, preventDestroy: true}"))
	w.must("apply", "--auto-approve")
	w.edit("acme.yaml", "dataType: TEXT", "dataType: NUMERICAL")

	w.sb.reset()
	for _, args := range [][]string{{"plan"}, {"apply", "--auto-approve", "--allow-replace"}} {
		r := w.ghl(args...)
		wantCode(t, r, 1)
		wantContains(t, args[0], r.output(), `-/+ customField "Visit Count"`, "preventDestroy")
	}
	w.sb.wantNoWrites()
	if got := w.sb.mustFind(acmeID, "customFields", "Visit Count")["dataType"]; got != "TEXT" {
		t.Errorf("Visit Count is %v, want it left TEXT", got)
	}
}
