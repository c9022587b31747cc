package spec

import (
	"errors"
	"strings"
	"testing"
)

// TestLoadRefuses covers the rules the broken fixtures do not, each with
// one small manifest.
func TestLoadRefuses(t *testing.T) {
	loc := func(name, body string) string {
		return "apiVersion: ghlctl/v1\nkind: Location\nmetadata: {name: " + name + "}\nspec:\n" + body
	}
	bp := "apiVersion: ghlctl/v1\nkind: Blueprint\nmetadata: {name: base}\nspec:\n" +
		"  vars: {x: {required: true, default: a}}\n  tags: [\"${x}\"]\n---\n"
	cases := map[string]struct{ text, want string }{
		"one sub-account twice": {loc("a", "  id: L1\n") + "---\n" + loc("b", "  id: L1\n"),
			"locations a and b"},
		"one id twice": {loc("a", "  tags: [{name: x, id: t1}, {name: y, id: t1}]\n"), `"x" and "y"`},
		"country case": {loc("a", "  settings: {country: us}\n"), `write "US"`},
		"unterminated ref": {loc("a", "  customValues: [{name: x, value: \"${env:A\"}]\n"),
			"unterminated ${"},
		"merge key":     {"base: &b {name: a}\n<<: *b\n", "merge keys (<<) are not supported"},
		"list document": {"- a\n- b\n", "a manifest document must be a map, got a list"},
		"no companyId": {"apiVersion: ghlctl/v1\nkind: Agency\nspec: {credentials: {tokenEnv: T}}\n",
			"companyId is required"},
		"bad tokenEnv": {loc("a", "  credentials: {tokenEnv: my-token}\n"),
			"is not an environment variable name"},
		"unknown credential": {loc("a", "  credentials: {token: abc}\n"),
			`unknown field "token" (want tokenEnv, matonConnection)`},
		"blank name": {loc("a", "  customValues: [{name: \" \", value: x}]\n"), "blank name"},
		"name against key": {loc("a", "  customFields:\n    - {name: A, key: contact.a, dataType: TEXT}\n"+
			"    - {name: A, dataType: TEXT}\n"), `duplicate custom field "A"`},
		"textbox options on TEXT": {loc("a", "  customFields: [{name: A, dataType: TEXT, "+
			"textBoxListOptions: [{label: x}]}]\n"), "textBoxListOptions are only for TEXTBOX_LIST"},
		"not a number": {loc("a", "  customFields: [{name: A, dataType: TEXT, position: .nan}]\n"),
			"finite number"},
		"hour out of range": {loc("a", "  calendars: [{name: C, openHours: [{daysOfTheWeek: [1], "+
			"hours: [{openHour: 25, openMinute: 0, closeHour: 1, closeMinute: 0}]}]}]\n"),
			"25 is out of range 0 to 23"},
		"half a day": {loc("a", "  calendars: [{name: C, openHours: "+
			"[{daysOfTheWeek: [1.5], hours: []}]}]\n"),
			"expected an integer"},
		"label list": {"apiVersion: ghlctl/v1\nkind: Location\nmetadata: {name: a, labels: {x: [1]}}\n",
			"expected a string, got a list"},
		"blueprint twice": {bp + loc("a", "  blueprints: [{name: base, vars: {x: b}}, {name: base}]\n"),
			"is used twice"},
		"required default": {bp + loc("a", "  blueprints: [{name: base, vars: {x: b}}]\n"),
			"a required variable has no default"},
		"ref in own value": {loc("a", "  blueprints: [{name: base, vars: {x: \"${y}\"}}]\n") + "---\n" + bp,
			"variables exist only in blueprints"},
		"two primaries": {loc("a", "  calendars: [{name: C, teamMembers: [{userId: a, isPrimary: true}, "+
			"{userId: b, isPrimary: true}]}]\n"), "only one team member can be primary"},
		"options twice": {loc("a", "  customFields: [{name: A, dataType: RADIO, options: [x, x]}]\n"),
			`option "x" is listed twice`},
		"missing metadata": {"apiVersion: ghlctl/v1\nkind: Location\nspec: {}\n",
			"metadata.name is required"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := loadText(t, map[string]string{"m.yaml": c.text})
			var errs Errors
			if !errors.As(err, &errs) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error saying %q", err, c.want)
			}
		})
	}
}
