package e2e

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// savedManifest changes one custom value and adds one tag at acme-dental.
var savedManifest = acme(`
tags: [vip, patient]
customValues:
  - {name: Office Phone, value: "+1 512 555 0100"}
  - {name: Office Hours, value: "Mon–Fri 8am–6pm"}
`)

// TestSavedPlan saves a plan, renders it with show, and applies it: refused,
// with nothing written, when an object it changes moved behind ghlctl's
// back; applied exactly when nothing moved.
func TestSavedPlan(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	w.sb = serve(t, "--no-rate-limit")
	w.write("acme.yaml", savedManifest)

	planned := w.must("plan", "--out", "p.json")
	wantContains(t, "plan --out", planned.stderr, "p.json")
	t.Run("show", func(t *testing.T) { showSaved(t, w, planned.stdout) })

	hours := w.sb.mustFind(acmeID, "customValues", "Office Hours")
	w.sb.api(acmeID, http.MethodPut, "/locations/"+acmeID+"/customValues/"+str(hours["id"]),
		map[string]any{"name": "Office Hours", "value": "Closed for renovation"})
	w.sb.reset()
	r := w.ghl("apply", "p.json")
	wantCode(t, r, 1)
	wantContains(t, "apply of a moved plan", r.stderr, "refusing the saved plan",
		"acme-dental/customValues/Office Hours")
	w.sb.wantNoWrites()
	if got := w.sb.mustFind(acmeID, "customValues", "Office Hours")["value"]; got != "Closed for renovation" {
		t.Errorf("Office Hours is %v after a refused apply", got)
	}

	w.must("plan", "--out", "p2.json")
	w.sb.reset()
	r = w.run("apply", "p2.json") // the plan remembers its sandbox
	wantCode(t, r, 0)
	want := []string{
		"POST /locations/" + acmeID + "/tags",
		"PUT /locations/" + acmeID + "/customValues/" + str(hours["id"]),
	}
	if diff := cmp.Diff(sorted(want), sorted(writeLines(w.sb.writes()))); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	w.wantNoChanges()
}

// showSaved checks that show renders a saved plan as plan showed it, as
// text and as JSON.
func showSaved(t *testing.T, w *workspace, planText string) {
	r := w.run("show", "p.json")
	wantCode(t, r, 0)
	if diff := cmp.Diff(planText, r.stdout); diff != "" {
		t.Errorf("show differs from plan (-plan +show):\n%s", diff)
	}
	shown := decodePlan(t, w.run("show", "p.json", "-o", "json").stdout)
	fresh := w.planJSON()
	if diff := cmp.Diff(sorted(fresh.actions()), sorted(shown.actions())); diff != "" {
		t.Errorf("show -o json differs from plan -o json (-plan +show):\n%s", diff)
	}
	md := w.run("show", "p.json", "-o", "markdown")
	wantCode(t, md, 0)
	wantContains(t, "show -o markdown", md.stdout, "+ tag \"patient\"", "~ customValue \"Office Hours\"")
	want := []string{
		"adopt customValues Office Phone", "adopt tags vip", "create tags patient",
		"update customValues Office Hours",
	}
	if diff := cmp.Diff(sorted(want), sorted(shown.actions())); diff != "" {
		t.Errorf("saved changes (-want +got):\n%s", diff)
	}
}
