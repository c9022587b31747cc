package spec

import (
	"fmt"
	"slices"
	"strings"
)

// checker applies the rules of one kind that involve more than one field.
// Rules that look at one value only live in the field tables.
type checker struct {
	d    *diag
	e    *Entry
	path string
}

func (c *checker) fail(field, format string, args ...any) {
	c.d.add(c.e.fieldPos(field, c.e.Pos), joinPath(c.path, field), format, args...)
}

func (c *checker) has(field string) bool {
	_, ok := c.e.Fields[field]
	return ok
}

func (c *checker) str(field string) string {
	s, _ := c.e.Fields[field].(string)
	return s
}

func (c *checker) list(field string) []any {
	l, _ := c.e.Fields[field].([]any)
	return l
}

// checkRequired reports the required fields an entry lacks, once its
// blueprint entries and its own are merged.
func (c *checker) checkRequired(ks *kindSpec, failed map[string]bool) {
	for _, f := range ks.fields {
		if f.required && !c.has(f.name) && !failed[f.name] {
			c.d.add(c.e.Pos, joinPath(c.path, f.name), "%s is required", f.name)
		}
	}
}

// checkCustomField ties options and file settings to the data types that
// have them, and the key to the model.
func checkCustomField(c *checker) {
	dt := c.str("dataType")
	if dt == "" {
		return
	}
	switch takesOptions := slices.Contains(optionTypes, dt); {
	case takesOptions && len(c.list("options")) == 0:
		c.fail("options", "a %s field needs options", dt)
	case !takesOptions && c.has("options"):
		c.fail("options", "options are only for %s fields, not %s", strings.Join(optionTypes, ", "), dt)
	}
	if dt != "TEXTBOX_LIST" && c.has("textBoxListOptions") {
		c.fail("textBoxListOptions", "textBoxListOptions are only for TEXTBOX_LIST fields, not %s", dt)
	}
	if dt != "FILE_UPLOAD" && c.has("acceptedFormat") {
		c.fail("acceptedFormat", "acceptedFormat is only for FILE_UPLOAD fields, not %s", dt)
	}
	model, _ := c.e.Fields["model"].(string)
	if key := c.str("key"); key != "" && model != "" && !strings.HasPrefix(key, model+".") {
		c.fail("key", "key %q must start with %q, the field's model", key, model+".")
	}
	if !c.has("key") {
		checkKeyable(c)
	}
}

// checkKeyable refuses names the server cannot derive a key from: it keeps
// only ASCII letters, digits and underscores of a name, so a name without a
// letter or digit among them (an emoji alone, say) is refused by the API.
func checkKeyable(c *checker) {
	name := strings.ToLower(c.str("name"))
	if name != "" && !strings.ContainsFunc(name, func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
	}) {
		c.fail("name", "HighLevel derives a key from the name and keeps only ASCII letters, digits and "+
			"underscores: %q has no letter or digit to keep", c.str("name"))
	}
}

// checkOptions refuses blank and repeated choices.
func checkOptions(c *checker) {
	seen := map[string]bool{}
	for i, o := range c.list("options") {
		s, _ := o.(string)
		field := fmt.Sprintf("options[%d]", i)
		switch {
		case strings.TrimSpace(s) == "":
			c.fail(field, "blank option")
		case seen[s]:
			c.fail(field, "option %q is listed twice", s)
		}
		seen[s] = true
	}
}

// typesWithMembers are the calendar types that need at least one team member.
var typesWithMembers = []string{"round_robin", "collective", "class_booking", "service_booking"}

// checkCalendar counts team members against the calendar type.
func checkCalendar(c *checker) {
	typ, members := c.str("calendarType"), c.list("teamMembers")
	field := "teamMembers"
	if !c.has(field) {
		field = "calendarType"
	}
	switch {
	case typ == "personal" && len(members) != 1:
		c.fail(field, "a personal calendar needs exactly one team member, got %d", len(members))
	case slices.Contains(typesWithMembers, typ) && len(members) == 0:
		c.fail(field, "a %s calendar needs at least one team member", typ)
	}
}

// checkTeamMembers runs before normalisation sorts the members, while their
// indexes still match the manifest.
func checkTeamMembers(c *checker) {
	primaries := 0
	for i, m := range c.list("teamMembers") {
		member, _ := m.(map[string]any)
		field := fmt.Sprintf("teamMembers[%d]", i)
		_, byEmail := member["email"]
		_, byID := member["userId"]
		if byEmail == byID {
			c.fail(field, "a team member needs exactly one of email and userId")
		}
		if email, _ := member["email"].(string); byEmail && !strings.Contains(email, "@") {
			c.fail(field+".email", "%q is not an email address", email)
		}
		if member["isPrimary"] == true {
			primaries++
			if primaries == 2 {
				c.fail(field+".isPrimary", "only one team member can be primary")
			}
		}
	}
}
