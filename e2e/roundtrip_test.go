package e2e

import (
	"net/http"
	"testing"
)

// TestExampleRoundTrip plans, applies and plans again the example agency,
// against the in-process sandbox and against a served one.
func TestExampleRoundTrip(t *testing.T) {
	t.Parallel()
	t.Run("in-process", func(t *testing.T) {
		t.Parallel()
		roundTrip(t, exampleWorkspace(t))
	})
	t.Run("served", func(t *testing.T) {
		t.Parallel()
		w := exampleWorkspace(t)
		w.sb = serve(t)
		roundTrip(t, w)
	})
}

func roundTrip(t *testing.T, w *workspace) {
	r := w.ghl("plan", "--detailed-exitcode")
	wantCode(t, r, 2)

	r = w.must("plan")
	wantContains(t, "plan", r.stdout,
		"location acme-dental (Acme Dental, "+acmeID+")\n",
		"  + tag \"emergency\"\n",
		"  ~ customField \"Insurance Provider\" (contact.insurance_provider)\n"+
			"      options: [Delta, Aetna] -> [Delta, Aetna, None]\n",
		"  <= adopt ",
		"location bayside-fitness (Bayside Fitness, "+baysideID+")\n",
		"\nPlan: ")
	p := w.planJSON()
	if p.Summary.Add == 0 || p.Summary.Change == 0 || p.Summary.Adopt == 0 {
		t.Errorf("want creates, updates and adoptions, got summary %+v", p.Summary)
	}
	if p.Summary.Replace != 0 || p.Summary.Destroy != 0 {
		t.Errorf("want no replace and no destroy, got summary %+v", p.Summary)
	}

	r = w.must("apply", "--auto-approve")
	wantContains(t, "apply", r.stdout, "Apply complete: ")

	w.wantNoChanges()
}

// TestPlanOnlyReads checks, from the sandbox's request log, that every form
// of plan sends only GET requests.
func TestPlanOnlyReads(t *testing.T) {
	t.Parallel()
	w := exampleWorkspace(t)
	w.sb = serve(t, "--no-rate-limit")
	for _, args := range [][]string{
		{"plan"},
		{"plan", "--detailed-exitcode"},
		{"plan", "-o", "json"},
		{"plan", "-o", "markdown"},
		{"plan", "--out", "p.json"},
		{"plan", "--prune", "-v"},
	} {
		w.sb.reset()
		r := w.ghl(args...)
		if r.code != 0 && r.code != 2 {
			t.Fatalf("plan failed:\n%s", r)
		}
		reqs := w.sb.requests()
		if len(reqs) == 0 {
			t.Fatalf("%v: the sandbox saw no request at all", args)
		}
		for _, req := range reqs {
			if req.Method != http.MethodGet {
				t.Errorf("%v sent %s", args, req)
			}
		}
		if st := w.sb.stats(); st.Writes != 0 || st.Requests != len(reqs) {
			t.Errorf("%v: the sandbox counted %d writes in %d requests, want 0 in %d", args, st.Writes,
				st.Requests, len(reqs))
		}
	}
}
