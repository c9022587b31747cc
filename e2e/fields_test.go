package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCustomFieldEdits changes the example after it was applied: one option
// of one field is one in-place update; a dataType change is a replace that
// needs --allow-replace.
func TestCustomFieldEdits(t *testing.T) {
	t.Parallel()
	w := exampleWorkspace(t)
	w.sb = serve(t, "--no-rate-limit")
	w.must("apply", "--auto-approve")

	t.Run("one option", func(t *testing.T) { editOption(t, w) })
	t.Run("dataType", func(t *testing.T) { replaceDataType(t, w) })
}

func editOption(t *testing.T, w *workspace) {
	w.edit("acme-dental.yaml", "options: [Delta, Aetna, None]", "options: [Delta, Aetna, Other]")
	r := w.ghl("plan", "--detailed-exitcode")
	wantCode(t, r, 2)
	headline := `~ customField "Insurance Provider" (contact.insurance_provider)`
	if diff := cmp.Diff([]string{headline}, changeLines(r.stdout)); diff != "" {
		t.Errorf("changes (-want +got):\n%s\n%s", diff, r.stdout)
	}
	want := []string{"options: [Delta, Aetna, None] -> [Delta, Aetna, Other]"}
	if diff := cmp.Diff(want, fieldLines(r.stdout, headline)); diff != "" {
		t.Errorf("fields shown (-want +got):\n%s\n%s", diff, r.stdout)
	}
	wantContains(t, "plan", r.stdout, "Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy")

	w.sb.reset()
	w.must("apply", "--auto-approve")
	writes := w.sb.writes()
	if len(writes) != 1 || writes[0].Method != http.MethodPut ||
		!strings.HasPrefix(writes[0].Path, "/locations/"+acmeID+"/customFields/") {
		t.Errorf("want one PUT of the custom field, got %v", writes)
	}
	field := w.sb.mustFind(acmeID, "customFields", "Insurance Provider")
	if diff := cmp.Diff([]any{"Delta", "Aetna", "Other"}, field["picklistOptions"]); diff != "" {
		t.Errorf("live options (-want +got):\n%s", diff)
	}
	w.wantNoChanges()
}

func replaceDataType(t *testing.T, w *workspace) {
	before := w.sb.mustFind(acmeID, "customFields", "Visit Count")
	w.edit("acme-dental.yaml", "{name: Visit Count, dataType: TEXT}",
		"{name: Visit Count, dataType: NUMERICAL}")
	r := w.ghl("plan", "--detailed-exitcode")
	wantCode(t, r, 2)
	if got := changeLines(r.stdout); len(got) != 1 ||
		!strings.HasPrefix(got[0], `-/+ customField "Visit Count"`) ||
		!strings.Contains(got[0], "dataType TEXT -> NUMERICAL") {
		t.Errorf("want one replace of Visit Count, got %q:\n%s", got, r.stdout)
	}

	w.sb.reset()
	r = w.ghl("apply", "--auto-approve")
	wantCode(t, r, 1)
	wantContains(t, "apply", r.stderr, "--allow-replace")
	w.sb.wantNoWrites()
	if still := w.sb.mustFind(acmeID, "customFields", "Visit Count"); still["id"] != before["id"] {
		t.Errorf("the refused replace changed the field: %v -> %v", before, still)
	}

	w.must("apply", "--auto-approve", "--allow-replace")
	after := w.sb.mustFind(acmeID, "customFields", "Visit Count")
	if after["dataType"] != "NUMERICAL" || after["id"] == before["id"] {
		t.Errorf("want a new NUMERICAL field, got %v (was %v)", after, before)
	}
	w.wantNoChanges()
}
