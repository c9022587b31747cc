package e2e

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLinksAndBusinesses plans one of each against live objects: a create,
// an update in place, an adoption of an existing match, and an object no
// entry names, which stays as it is.
func TestLinksAndBusinesses(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	w.sb = serve(t, "--no-rate-limit")
	w.sb.api(acmeID, http.MethodPost, "/links/",
		map[string]any{
			"locationId": acmeID, "name": "Spring Promo", "redirectTo": "https://acme.example/spring",
		})
	w.sb.api(acmeID, http.MethodPost, "/businesses/",
		map[string]any{"locationId": acmeID, "name": "Acme Realty"})
	w.sb.api(acmeID, http.MethodPost, "/businesses/",
		map[string]any{"locationId": acmeID, "name": "Acme Labs"})
	unnamed := map[string]map[string]any{
		"link":     w.sb.mustFind(acmeID, "triggerLinks", "Spring Promo"),
		"business": w.sb.mustFind(acmeID, "businesses", "Acme Labs"),
	}
	review := w.sb.mustFind(acmeID, "triggerLinks", "Leave a Review")
	llc := w.sb.mustFind(acmeID, "businesses", "Acme Dental LLC")

	w.write("acme.yaml", acme(`
triggerLinks:
  - {name: Book Now, redirectTo: "https://acme.example/book"}
  - {name: Leave a Review, redirectTo: "https://acme.example/review"}
  - {name: Financing Application, redirectTo: "https://acme.example/financing"}
businesses:
  - {name: Acme Dental LLC, city: Round Rock}
  - {name: Acme Realty}
  - {name: Acme Holdings, city: Austin}
`))
	p := w.planJSON()
	want := []string{
		"create triggerLinks Financing Application", "update triggerLinks Leave a Review",
		"adopt triggerLinks Book Now", "create businesses Acme Holdings",
		"update businesses Acme Dental LLC", "adopt businesses Acme Realty",
	}
	if diff := cmp.Diff(sorted(want), sorted(p.actions())); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}

	w.sb.reset()
	w.must("apply", "--auto-approve")
	wantWrites := []string{
		"POST /businesses", "POST /links",
		"PUT /businesses/" + str(llc["id"]), "PUT /links/" + str(review["id"]),
	}
	if diff := cmp.Diff(wantWrites, sorted(writeLines(w.sb.writes()))); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	checkLinkUpdateBody(t, w.sb.writes())

	if got := w.sb.mustFind(acmeID, "triggerLinks", "Leave a Review"); got["id"] != review["id"] ||
		got["redirectTo"] != "https://acme.example/review" {
		t.Errorf("Leave a Review was not updated in place: %v", got)
	}
	if got := w.sb.mustFind(acmeID, "businesses", "Acme Dental LLC"); got["id"] != llc["id"] ||
		got["city"] != "Round Rock" {
		t.Errorf("Acme Dental LLC was not updated in place: %v", got)
	}
	w.sb.mustFind(acmeID, "triggerLinks", "Financing Application")
	w.sb.mustFind(acmeID, "businesses", "Acme Holdings")
	for what, before := range unnamed {
		kind := map[string]string{"link": "triggerLinks", "business": "businesses"}[what]
		if diff := cmp.Diff(before, w.sb.find(acmeID, kind, str(before["name"]))); diff != "" {
			t.Errorf("the unnamed %s changed (-before +after):\n%s", what, diff)
		}
	}
	w.wantNoChanges()
}

// checkLinkUpdateBody fails the test if a link update carries locationId,
// which the endpoint refuses.
func checkLinkUpdateBody(t *testing.T, writes []sandboxRequest) {
	t.Helper()
	for _, req := range writes {
		if req.Method != http.MethodPut || len(req.Path) < 7 || req.Path[:7] != "/links/" {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(req.Body, &body); err != nil {
			t.Fatalf("%s body: %v", req, err)
		}
		if _, ok := body["locationId"]; ok {
			t.Errorf("%s carries locationId: %s", req, req.Body)
		}
	}
}

// writeLines names each write by method and path, trailing slash dropped.
func writeLines(reqs []sandboxRequest) []string {
	var out []string
	for _, r := range reqs {
		p := r.Path
		if len(p) > 1 && p[len(p)-1] == '/' {
			p = p[:len(p)-1]
		}
		out = append(out, r.Method+" "+p)
	}
	return out
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
