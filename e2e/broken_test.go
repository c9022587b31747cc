package e2e

import (
	"path"
	"strings"
	"testing"
)

// brokenCase is a manifest with one mistake, and where and how it is reported.
type brokenCase struct {
	files  map[string]string // file name -> content
	at     string            // file:line:column of the mistake
	phrase string            // what the message says
}

// brokenCases are bound to acme-dental with a credential, so that without
// the mistake each would be planned against the sandbox.
var brokenCases = map[string]brokenCase{
	"yaml syntax": {
		files:  one(acme("tags: [vip, \"new\ncustomValues:\n  - {name: x")),
		at:     "location.yaml:8:",
		phrase: "YAML syntax error",
	},
	"unknown key": {
		files:  one(acme("customFields:\n  - name: Insurance\n    dataType: TEXT\n    placeholdr: Who?")),
		at:     "location.yaml:11:7",
		phrase: `unknown field "placeholdr"`,
	},
	"wrong type": {
		files:  one(acme("customFields:\n  - name: [Insurance, Provider]\n    dataType: TEXT")),
		at:     "location.yaml:9:13",
		phrase: "expected a string, got a list",
	},
	"bad enum": {
		files:  one(acme("customFields:\n  - {name: Insurance, dataType: STRING}")),
		at:     "location.yaml:9:35",
		phrase: `"STRING" is not one of`,
	},
	"missing required field": {
		files:  one(acme("customFields:\n  - dataType: TEXT")),
		at:     "location.yaml:9:7",
		phrase: "name is required",
	},
	"duplicate after normalisation": {
		files:  one(acme("tags:\n  - VIP\n  - new lead\n  - \" vip\"")),
		at:     "location.yaml:11:7",
		phrase: `duplicate tag "vip"`,
	},
	"bad address": {
		files:  one(location("Acme_Dental", acmeID, "ACME_DENTAL_PIT", "tags: [vip]")),
		at:     "location.yaml:4:9",
		phrase: `bad address "Acme_Dental"`,
	},
	"options on a TEXT field": {
		files: one(acme(
			"customFields:\n  - name: Insurance\n    dataType: TEXT\n    options: [Delta, Aetna]")),
		at:     "location.yaml:11:16",
		phrase: "options are only for",
	},
	"unknown environment variable": {
		files: one(acme(
			"customValues:\n  - name: Stripe Secret\n    value: \"whsec-${env:NOPE}\"\n    sensitive: true")),
		at:     "location.yaml:10:14",
		phrase: "environment variable NOPE is not set",
	},
	"two Locations with one address": {
		files:  map[string]string{"a.yaml": acme("tags: [vip]"), "b.yaml": acme("tags: [patient]")},
		at:     "b.yaml:4:9",
		phrase: `location "acme-dental" is defined twice`,
	},
	"blank tag": {
		files:  one(acme(`tags: [vip, "  "]`)),
		at:     "location.yaml:8:15",
		phrase: "blank tag",
	},
	"custom value without a value": {
		files:  one(acme("customValues:\n  - {name: Office Phone}")),
		at:     "location.yaml:9:7",
		phrase: "value is required",
	},
	"personal calendar with two members": {
		files: one(acme("calendars:\n  - name: Consult\n    calendarType: personal\n    teamMembers:\n" +
			"      - {email: dr.lopez@acme.example}\n      - {email: hygienist@acme.example}")),
		at:     "location.yaml:12:9",
		phrase: "a personal calendar needs exactly one team member, got 2",
	},
	"priority 0.7": {
		files: one(acme("calendars:\n  - name: Cleaning\n    calendarType: round_robin\n    teamMembers:\n" +
			"      - {email: hygienist@acme.example, priority: 0.7}")),
		at:     "location.yaml:12:53",
		phrase: "0.7 is not one of 0, 0.5, 1",
	},
}

func one(content string) map[string]string { return map[string]string{"location.yaml": content} }

// TestBrokenManifests checks that each broken manifest fails validate and
// plan with exit 1 and a message at the mistake's file:line:column, and
// that plan sends nothing to the sandbox.
func TestBrokenManifests(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	w.sb = serve(t)
	w.write("good/location.yaml", acme("tags: [vip]"))
	for name, c := range brokenCases {
		for file, content := range c.files {
			w.write(path.Join(dirName(name), file), content)
		}
	}

	t.Run("cases", func(t *testing.T) {
		for name, c := range brokenCases {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				dir := dirName(name)
				for _, args := range [][]string{{"validate"}, append([]string{"plan"}, w.sandboxFlags()...)} {
					r := w.run(append(args, "-f", dir)...)
					wantCode(t, r, 1)
					if !hasErrorAt(r.stderr, dir+"/"+c.at, c.phrase) {
						t.Errorf("%s: no error at %s saying %q:\n%s", args[0], c.at, c.phrase, r.stderr)
					}
				}
			})
		}
	})
	if reqs := w.sb.requests(); len(reqs) > 0 {
		t.Errorf("plans of broken manifests sent %d requests: %v", len(reqs), reqs)
	}

	// The same plan of a good manifest is seen by the sandbox: the check
	// above can fail.
	wantCode(t, w.run("validate", "-f", "good"), 0)
	wantCode(t, w.ghl("plan", "-f", "good"), 0)
	if len(w.sb.requests()) == 0 {
		t.Errorf("the plan of a good manifest sent no request")
	}
}

func dirName(caseName string) string { return strings.ReplaceAll(caseName, " ", "-") }

// hasErrorAt reports whether some line of stderr names the place (a prefix of
// file:line:column) and says phrase after it.
func hasErrorAt(stderr, place, phrase string) bool {
	for _, line := range strings.Split(stderr, "\n") {
		i := strings.Index(line, place)
		if i >= 0 && strings.Contains(line[i+len(place):], phrase) {
			return true
		}
	}
	return false
}
