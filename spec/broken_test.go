package spec

import (
	"errors"
	"path"
	"strings"
	"testing"
)

const brokenDir = "../testdata/manifests/broken"

// noEnv is an environment with nothing set.
func noEnv(string) (string, bool) { return "", false }

// TestBrokenManifests loads each case under testdata/manifests/broken and
// checks that the mistake is reported at its place, with a phrase that says
// what is wrong.
func TestBrokenManifests(t *testing.T) {
	type want struct{ at, phrase string }
	cases := map[string][]want{
		"yaml-syntax":           {{"location.yaml:6:1", "YAML syntax error"}},
		"unknown-key-top":       {{"location.yaml:5:1", `unknown field "specs"`}},
		"unknown-key-entry":     {{"location.yaml:9:7", `unknown field "placeholdr" in a custom field`}},
		"wrong-type":            {{"location.yaml:7:13", "name: expected a string, got a list"}},
		"bad-enum-datatype":     {{"location.yaml:7:35", `"STRING" is not one of TEXT`}},
		"bad-enum-model":        {{"location.yaml:7:48", `"company" is not one of contact, opportunity`}},
		"bad-enum-calendartype": {{"location.yaml:8:21", `"group_booking" is not one of round_robin`}},
		"missing-field-name":    {{"location.yaml:7:7", "name is required"}},
		"missing-value": {
			{"location.yaml:7:35", "value is required"},
			{"location.yaml:8:7", "value is required"},
		},
		"duplicate-tag": {{"location.yaml:9:7",
			`duplicate tag "vip" (also at ` + brokenDir + "/duplicate-tag/location.yaml:7:7)"}},
		"bad-address":     {{"location.yaml:4:9", `bad address "Acme_Dental"`}},
		"options-on-text": {{"location.yaml:9:16", "options are only for SINGLE_OPTIONS"}},
		"missing-options": {{"location.yaml:7:7", "a SINGLE_OPTIONS field needs options"}},
		"unknown-env":     {{"location.yaml:8:14", "environment variable NOPE is not set"}},
		"duplicate-location": {{"b.yaml:4:18",
			`location "acme-dental" is defined twice (first at ` +
				brokenDir + "/duplicate-location/a.yaml:4:9)"}},
		"blank-tag":      {{"location.yaml:6:15", "blank tag"}},
		"bad-apiversion": {{"location.yaml:1:13", `unsupported apiVersion "ghlctl/v2"`}},
		"unknown-kind":   {{"location.yaml:2:7", `unknown kind "Snapshot"`}},
		"personal-two-members": {{"location.yaml:10:9",
			"a personal calendar needs exactly one team member, got 2"}},
		"bad-priority": {{"location.yaml:10:45", "0.7 is not one of 0, 0.5, 1"}},
		"member-without-identity": {{"location.yaml:10:11",
			"teamMembers[0]: a team member needs exactly one of email and userId"}},
		"typed-calendar-without-members": {{"location.yaml:8:21",
			"a collective calendar needs at least one team member"}},
		"unknown-variable":   {{"location.yaml:7:32", "unknown variable ${booking_url}"}},
		"bad-url":            {{"location.yaml:7:32", "is not an absolute URL"}},
		"bad-color":          {{"location.yaml:7:36", `"blue" is not #rrggbb`}},
		"duplicate-yaml-key": {{"location.yaml:7:3", `duplicate key "tags"`}},
		"two-agencies": {
			{"location.yaml:5:1", "a second Agency document"},
			{"location.yaml:7:36", "exactly one of tokenEnv and matonConnection"},
		},
		"unknown-blueprint": {{"location.yaml:7:7", `unknown blueprint "dental-bse"`}},
		"bad-field-key":     {{"location.yaml:7:25", `must start with "opportunity."`}},
		"blueprint-missing-var": {{"acme.yaml:7:7",
			"variable booking_url is not set: location acme uses blueprint dental-base"}},
		"blueprint-undeclared-var": {{"acme.yaml:8:51",
			`blueprint dental-base declares no variable "bookingurl"`}},
		"blueprint-undeclared-ref": {{"base.yaml:6:29",
			"unknown variable ${clinic_name}: the blueprint does not declare it"}},
		"blueprint-conflict": {{"b.yaml:6:35",
			"in location acme: blueprints base-a and base-b set value differently"}},
	}
	for name, wants := range cases {
		t.Run(name, func(t *testing.T) {
			dir := path.Join(brokenDir, name)
			_, err := Load(LoadOptions{Paths: []string{dir}, Env: noEnv})
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Load = %v, want Errors", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(wants) {
				t.Errorf("got %d errors, want %d:\n%v", len(lines), len(wants), err)
			}
			for _, w := range wants {
				if !hasLine(lines, dir+"/"+w.at+": ", w.phrase) {
					t.Errorf("no error at %s saying %q; got:\n%v", w.at, w.phrase, err)
				}
			}
		})
	}
}

func hasLine(lines []string, prefix, phrase string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) && strings.Contains(l, phrase) {
			return true
		}
	}
	return false
}
