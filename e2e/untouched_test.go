package e2e

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestUnnamedObjectsUntouched applies the example and checks that the
// objects of the sub-accounts that no manifest names are exactly as they
// were, and that no write was addressed to them.
func TestUnnamedObjectsUntouched(t *testing.T) {
	t.Parallel()
	w := exampleWorkspace(t)
	w.sb = serve(t, "--no-rate-limit")
	unnamed := []struct{ location, kind, name string }{
		{acmeID, "tags", "do not text"},
		{acmeID, "tags", "2023 import"},
		{acmeID, "customFields", "Treatment Plan Value"},
		{acmeID, "customValues", "Horário 🕐"},
		{baysideID, "tags", "corporate wellness"},
		{cedarID, "tags", "do not contact"},
		{cedarID, "tags", "2023 intake"},
		{cedarID, "customFields", "Billable Hours Estimate"},
	}
	before := make([]map[string]any, len(unnamed))
	for i, u := range unnamed {
		before[i] = w.sb.mustFind(u.location, u.kind, u.name)
	}

	w.must("apply", "--auto-approve")
	w.must("apply", "--auto-approve", "--prune")

	for i, u := range unnamed {
		after := w.sb.find(u.location, u.kind, u.name)
		if diff := cmp.Diff(before[i], after); diff != "" {
			t.Errorf("%s %s %q changed (-before +after):\n%s", u.location, u.kind, u.name, diff)
		}
		id, _ := before[i]["id"].(string)
		for _, req := range w.sb.writes() {
			if strings.Contains(req.Path, id) {
				t.Errorf("%s %q was written to: %s", u.kind, u.name, req)
			}
		}
	}
}
