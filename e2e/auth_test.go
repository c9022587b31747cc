package e2e

import (
	"strings"
	"testing"
)

// TestApplyWithoutTerminal checks that apply refuses to run unattended
// without --auto-approve, whatever stdin says, and writes nothing.
func TestApplyWithoutTerminal(t *testing.T) {
	t.Parallel()
	w := exampleWorkspace(t)
	w.sb = serve(t, "--no-rate-limit")
	for name, stdin := range map[string]string{"empty": "", "yes": "yes\n"} {
		w.sb.reset()
		r := w.runWith(strings.NewReader(stdin), append([]string{"apply"}, w.sandboxFlags()...)...)
		wantCode(t, r, 1)
		wantContains(t, "apply with stdin "+name, r.stderr, "--auto-approve")
		w.sb.wantNoWrites()
	}
	if w.exists("ghlctl.state.json") {
		t.Errorf("a refused apply wrote the state")
	}
}

// TestWrongTokenClass runs against a served sandbox the way ghlctl runs
// against HighLevel: no --sandbox, tokens in the environment variables the
// manifests name. A token of the wrong class is refused by the server, and
// the error says where, on which request, and which token is needed.
func TestWrongTokenClass(t *testing.T) {
	t.Parallel()
	sb := serve(t, "--no-rate-limit")
	cases := []struct {
		name     string
		env      map[string]string
		selector string
		want     []string
	}{{
		name:     "agency token for a sub-account",
		env:      map[string]string{"ACME_DENTAL_PIT": sb.agency},
		selector: "vertical=dental",
		want: []string{"location acme-dental", "GET /locations/" + acmeID + "/tags", "401",
			"needs a sub-account token", "ACME_DENTAL_PIT"},
	}, {
		name:     "sub-account token for the agency",
		env:      map[string]string{"GHL_AGENCY_TOKEN": sb.tokens[baysideID]},
		selector: "vertical=fitness",
		want: []string{"location bayside-fitness", "GET /locations/search", "401",
			"needs an agency token"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := exampleWorkspace(t)
			for k, v := range sb.exampleEnv() {
				w.env[k] = v
			}
			for k, v := range c.env {
				w.env[k] = v
			}
			for _, cmd := range [][]string{{"plan"}, {"apply", "--auto-approve"}} {
				sb.reset()
				r := w.run(append(cmd, "--endpoint", sb.url, "-l", c.selector)...)
				wantCode(t, r, 1)
				wantContains(t, strings.Join(cmd, " "), r.stderr, c.want...)
				sb.wantNoWrites()
			}
		})
	}
}
