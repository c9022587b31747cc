package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestBlueprintFleet uses one blueprint from twenty Locations, each with its
// own variables: the first plan creates everything in each, the next plan is
// empty, and editing one blueprint entry plans exactly one update in each.
func TestBlueprintFleet(t *testing.T) {
	t.Parallel()
	sb := serve(t)
	w := newWorkspace(t)
	w.sb = sb
	writeFleet(w, 20)

	first := w.planJSON()
	perLocation := map[string]int{}
	for _, c := range first.changes() {
		if c.Action != "create" {
			t.Errorf("first plan: %s %s, want only creates", c.Action, c.Address)
		}
		perLocation[strings.SplitN(c.Address, "/", 2)[0]]++
	}
	if len(perLocation) != 20 {
		t.Fatalf("first plan touches %d locations, want 20", len(perLocation))
	}
	w.must("apply", "--auto-approve")
	fleetCounts(t, sb, 20)
	w.wantNoChanges()
	value := sb.mustFind(sb.idOf(t, "Fleet Gym 07"), "customValues", "Greeting")
	if value["value"] != "Welcome to Fleet Gym 07, {{contact.first_name}}!" {
		t.Errorf("gym-07's greeting is %q: variables or merge tags went wrong", value["value"])
	}

	w.edit("gym-base.yaml", "options: [Basic, Plus, Elite]", "options: [Basic, Plus, Elite, Founder]")
	changes := w.planJSON().changes()
	if len(changes) != 20 {
		t.Fatalf("after one blueprint edit: %d changes, want one per location", len(changes))
	}
	for _, c := range changes {
		if c.Action != "update" || !strings.HasSuffix(c.Address, "/customFields/contact/Membership Tier") {
			t.Errorf("unexpected change %s %s", c.Action, c.Address)
		}
	}
}

// TestLocationOverridesAndClientEdits checks that a Location's own entry
// overrides the blueprint's for that Location only, and that a client's edit
// of a field the manifests do not set survives every apply.
func TestLocationOverridesAndClientEdits(t *testing.T) {
	t.Parallel()
	sb := serve(t)
	w := newWorkspace(t)
	w.sb = sb
	writeFleet(w, 2)
	w.write("gym-01.yaml",
		fleetLocation(1, "  customValues:\n    - {name: Booking URL, value: \"https://gym1.example\"}\n"))
	w.must("apply", "--auto-approve")

	one, two := sb.idOf(t, "Fleet Gym 01"), sb.idOf(t, "Fleet Gym 02")
	if v := sb.mustFind(one, "customValues", "Booking URL")["value"]; v != "https://gym1.example" {
		t.Errorf("gym-01's own value lost: %v", v)
	}
	if v := sb.mustFind(two, "customValues", "Booking URL")["value"]; v != "https://gyms.example/02/book" {
		t.Errorf("gym-02 took gym-01's override: %v", v)
	}

	// The client fills in a placeholder, a field no manifest sets.
	field := sb.mustFind(one, "customFields", "Goals")
	path := fmt.Sprintf("/locations/%s/customFields/%s", one, field["id"])
	sb.api(one, http.MethodPut, path, map[string]any{"name": "Goals", "placeholder": "Run a 5k"})
	w.wantNoChanges()
	w.edit("gym-base.yaml", "- {name: Goals, dataType: LARGE_TEXT}",
		"- {name: Goals, dataType: LARGE_TEXT}\n    - {name: Shoe Size, dataType: NUMERICAL}")
	w.must("apply", "--auto-approve")
	if p := sb.mustFind(one, "customFields", "Goals")["placeholder"]; p != "Run a 5k" {
		t.Errorf("the client's placeholder did not survive apply: %v", p)
	}
}

// idOf finds a sub-account's id by its name, and learns its token, since
// sub-accounts made by an apply were not there when the sandbox started.
func (sb *served) idOf(t *testing.T, name string) string {
	t.Helper()
	var tk struct {
		Locations []struct{ ID, Name, Token string }
	}
	sb.admin(http.MethodGet, "tokens", &tk)
	for _, l := range tk.Locations {
		if l.Name == name {
			sb.tokens[l.ID] = l.Token
			return l.ID
		}
	}
	t.Fatalf("the sandbox has no sub-account named %q", name)
	return ""
}

// TestBlueprintErrors: conflicting blueprints, a missing required variable
// and an unknown blueprint fail validate and plan with file:line and send
// nothing.
func TestBlueprintErrors(t *testing.T) {
	t.Parallel()
	sb := serve(t)
	other := strings.ReplaceAll(fleetBlueprint, "gym-base", "gym-extra")
	other = strings.ReplaceAll(other, "[Basic, Plus, Elite]", "[Bronze, Silver]")
	cases := map[string]map[string]string{
		"conflicting blueprints": {
			"gym-base.yaml": fleetBlueprint, "gym-extra.yaml": other,
			"gym-01.yaml": strings.Replace(fleetLocation(1, ""), "    - name: gym-base\n",
				"    - name: gym-extra\n      vars: {gym_name: X}\n    - name: gym-base\n", 1),
		},
		"missing required variable": {
			"gym-base.yaml": fleetBlueprint,
			"gym-01.yaml":   strings.Replace(fleetLocation(1, ""), "gym_name: Fleet Gym 01, ", "", 1),
		},
		"unknown blueprint": {
			"gym-01.yaml": fleetLocation(1, ""),
		},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			w := newWorkspace(t)
			w.sb = sb
			for f, content := range files {
				w.write(f, content)
			}
			for _, args := range [][]string{{"validate"}, append([]string{"plan"}, w.sandboxFlags()...)} {
				sb.reset()
				r := w.run(args...)
				if r.code != 1 || !strings.Contains(r.stderr, "gym-") ||
					!strings.Contains(r.stderr, ".yaml:") {
					t.Errorf("want exit 1 naming the file and line:\n%s", r)
				}
				if n := len(sb.requests()); n != 0 {
					t.Errorf("%s sent %d requests", args[0], n)
				}
			}
		})
	}
}

// TestExportThenPlanIsEmpty exports each seeded sub-account, plainly and as
// a blueprint, and plans the result: nothing to change.
func TestExportThenPlanIsEmpty(t *testing.T) {
	t.Parallel()
	for _, id := range []string{acmeID, baysideID, cedarID} {
		for _, asBlueprint := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s blueprint=%v", id, asBlueprint), func(t *testing.T) {
				t.Parallel()
				w := newWorkspace(t)
				w.sb = serve(t)
				args := []string{"export", "--location", id, "--out", "exported"}
				if asBlueprint {
					args = append(args, "--as-blueprint", "base")
				}
				w.must(args...)
				w.wantNoChanges("-f", "exported")
				w.must("apply", "--auto-approve", "-f", "exported")
				w.wantNoChanges("-f", "exported")
			})
		}
	}
}
