package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// calendarsManifest is acme-dental's two demo calendars as they are.
var calendarsManifest = acme(`
tags: [vip]
calendars:
  - name: Cleaning
    calendarType: round_robin
    group: sales
    slotDuration: 60
    teamMembers:
      - {email: hygienist@acme.example, priority: 0.5}
      - {email: hygienist2@acme.example, priority: 0.5}
  - name: Dr. Lopez Consult
    calendarType: personal
    slotDuration: 30
    teamMembers: [{email: dr.lopez@acme.example}]
`)

// TestCalendars edits calendars after adopting them: one field is one update
// whose body carries nothing the update endpoint refuses; a member who is no
// user of the sub-account is refused before any write; a calendarType change
// is a replace.
func TestCalendars(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	w.sb = serve(t, "--no-rate-limit")
	w.write("acme.yaml", calendarsManifest)
	w.must("apply", "--auto-approve")
	w.wantNoChanges()

	t.Run("one field", func(t *testing.T) { calendarOneField(t, w) })
	t.Run("unknown member", func(t *testing.T) { calendarUnknownMember(t, w) })
	t.Run("calendarType", func(t *testing.T) { calendarReplace(t, w) })
}

func calendarOneField(t *testing.T, w *workspace) {
	w.edit("acme.yaml", "slotDuration: 60", "slotDuration: 45")
	p := w.planJSON()
	if diff := cmp.Diff([]string{"update calendars Cleaning"}, p.actions()); diff != "" {
		t.Fatalf("changes (-want +got):\n%s", diff)
	}
	c := p.changes()[0]
	if len(c.Fields) != 1 || c.Fields[0].Field != "slotDuration" || c.Fields[0].Before != 60.0 ||
		c.Fields[0].After != 45.0 {
		t.Errorf("want only slotDuration: 60 -> 45, got %+v", c.Fields)
	}
	r := w.must("plan")
	got := fieldLines(r.stdout, `~ calendar "Cleaning"`)
	if diff := cmp.Diff([]string{"slotDuration: 60 -> 45"}, got); diff != "" {
		t.Errorf("fields shown (-want +got):\n%s\n%s", diff, r.stdout)
	}

	w.sb.reset()
	w.must("apply", "--auto-approve")
	writes := w.sb.writes()
	if len(writes) != 1 || writes[0].Method != http.MethodPut || writes[0].Path != "/calendars/"+c.ID {
		t.Fatalf("want one PUT /calendars/%s, got %v", c.ID, writes)
	}
	var body map[string]any
	if err := json.Unmarshal(writes[0].Body, &body); err != nil {
		t.Fatalf("PUT body: %v: %s", err, writes[0].Body)
	}
	for _, refused := range []string{"locationId", "calendarType", "slotBufferUnit"} {
		if _, ok := body[refused]; ok {
			t.Errorf("the update body carries %s: %s", refused, writes[0].Body)
		}
	}
	if body["slotDuration"] != 45.0 {
		t.Errorf("the update body does not set slotDuration 45: %s", writes[0].Body)
	}
	w.wantNoChanges()
}

func calendarUnknownMember(t *testing.T, w *workspace) {
	good := w.read("acme.yaml")
	defer w.write("acme.yaml", good)
	w.edit("acme.yaml", "hygienist2@acme.example", "nobody@acme.example")
	w.edit("acme.yaml", "tags: [vip]", "tags: [vip, brand new tag]")

	w.sb.reset()
	for _, args := range [][]string{{"plan"}, {"apply", "--auto-approve"}} {
		r := w.ghl(args...)
		wantCode(t, r, 1)
		if !hasErrorAt(r.stderr, "acme-dental", "nobody@acme.example") {
			t.Errorf("%s: want an error naming acme-dental and nobody@acme.example:\n%s", args[0], r.stderr)
		}
	}
	w.sb.wantNoWrites()
}

func calendarReplace(t *testing.T, w *workspace) {
	before := w.sb.mustFind(acmeID, "calendars", "Dr. Lopez Consult")
	w.edit("acme.yaml", "calendarType: personal", "calendarType: round_robin")
	r := w.ghl("plan", "--detailed-exitcode")
	wantCode(t, r, 2)
	got := changeLines(r.stdout)
	if len(got) != 1 || !strings.HasPrefix(got[0], `-/+ calendar "Dr. Lopez Consult"`) {
		t.Errorf("want one replace of Dr. Lopez Consult, got %q:\n%s", got, r.stdout)
	}

	w.sb.reset()
	r = w.ghl("apply", "--auto-approve")
	wantCode(t, r, 1)
	wantContains(t, "apply", r.stderr, "--allow-replace")
	w.sb.wantNoWrites()

	w.must("apply", "--auto-approve", "--allow-replace")
	after := w.sb.mustFind(acmeID, "calendars", "Dr. Lopez Consult")
	if after["calendarType"] != "round_robin" || after["id"] == before["id"] {
		t.Errorf("want a new round_robin calendar, got id %v type %v (was id %v)",
			after["id"], after["calendarType"], before["id"])
	}
	w.wantNoChanges()
}
