package sandbox

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// userID returns the id of the seeded user with the email.
func (e *env) userID(email string) string {
	e.t.Helper()
	users := e.getList("/users/search?companyId="+DemoCompanyID+"&query="+email, e.agency, "users")
	for _, u := range users {
		if u.(map[string]any)["email"] == email {
			return u.(map[string]any)["id"].(string)
		}
	}
	e.t.Fatalf("no user %s", email)
	return ""
}

func TestCalendarDefaults(t *testing.T) {
	e := quiet(t)
	cal := sub(e.must(200, "POST", "/calendars/", e.acme, m{
		"locationId": AcmeDentalID, "name": "Whitening", "calendarType": "event", "eventColor": "#ff9900",
	}), "calendar")
	want := m{
		"locationId": AcmeDentalID, "name": "Whitening", "calendarType": "event",
		"eventTitle": "{{contact.name}}", "eventColor": "#FF9900", "slotDuration": 30.0,
		"slotDurationUnit": "mins", "slotInterval": 30.0, "slotIntervalUnit": "mins",
		"slotBufferUnit": "mins", "appoinmentPerSlot": 1.0, "appointmentPerSlot": 1.0,
		"openHours": m{}, "enableRecurring": false,
		"autoConfirm": true, "googleInvitationEmails": true, "allowReschedule": true,
		"allowCancellation": true, "formSubmitType": "ThankYouMessage",
		"formSubmitThanksMessage": thanksMessage, "availabilities": []any{},
		"consentLabel": consentLabel, "preBufferUnit": "mins", "isActive": true,
	}
	id := cal["id"].(string)
	delete(cal, "id")
	if diff := cmp.Diff(want, cal); diff != "" {
		t.Errorf("created calendar (-want +got):\n%s", diff)
	}

	update := m{"name": "Whitening Consult", "slotDuration": 45}
	up := sub(e.must(200, "PUT", "/calendars/"+id, e.acme, update), "calendar")
	for k, v := range map[string]any{
		"name": "Whitening Consult", "slotDuration": 45.0, "eventColor": "#FF9900",
		"widgetType": "classic", "guestType": "collect_detail", "preBuffer": 0.0, "slotBuffer": 0.0,
	} {
		if !cmp.Equal(up[k], v) {
			t.Errorf("update answer %s = %v, want %v", k, up[k], v)
		}
	}
	if !cmp.Equal(up["teamMembers"], []any{}) {
		t.Errorf("update answer teamMembers = %v", up["teamMembers"])
	}
	if _, has := up["availabilities"]; has {
		t.Error("update answer carries the empty availabilities")
	}
	got := sub(e.must(200, "GET", "/calendars/"+id, e.acme, nil), "calendar")
	if got["slotDuration"] != 45.0 || got["notifications"] == nil {
		t.Errorf("get after update: %v", got)
	}
	del := e.must(200, "DELETE", "/calendars/"+id, e.acme, nil)
	if del["message"] != "calendar deleted" || sub(del, "calendar")["name"] != "Whitening Consult" ||
		sub(del, "calendar")["dateAdded"] == nil || del["success"] != nil {
		t.Errorf("delete answered %v", del)
	}
	if r := e.do("GET", "/calendars/"+id, e.acme, nil); r.status != 404 {
		t.Errorf("deleted calendar answers %d", r.status)
	}
}

func TestCalendarRules(t *testing.T) {
	e := quiet(t)
	hyg, lopez := e.userID("hygienist@acme.example"), e.userID("dr.lopez@acme.example")
	coach := e.userID("coach@bayside.example")
	create := func(extra m) reply {
		body := m{"locationId": AcmeDentalID, "name": "Test"}
		for k, v := range extra {
			body[k] = v
		}
		return e.do("POST", "/calendars/", e.acme, body)
	}
	member := func(id string) []any { return []any{m{"userId": id}} }
	tests := []struct {
		name   string
		extra  m
		status int
	}{
		{"personal without members", m{"calendarType": "personal"}, 400},
		{"personal with two", m{"calendarType": "personal",
			"teamMembers": []any{m{"userId": hyg}, m{"userId": lopez}}}, 400},
		{"personal with one", m{"calendarType": "personal", "teamMembers": member(lopez)}, 200},
		{"round robin without members", m{"calendarType": "round_robin"}, 400},
		{"round robin with one", m{"calendarType": "round_robin", "teamMembers": member(hyg)}, 200},
		{"collective without primary", m{"calendarType": "collective", "teamMembers": member(hyg)}, 400},
		{"collective with primary", m{"calendarType": "collective",
			"teamMembers": []any{m{"userId": hyg, "isPrimary": true}}}, 200},
		{"class booking without members", m{"calendarType": "class_booking"}, 400},
		{"service booking without members", m{"calendarType": "service_booking"}, 400},
		{"user of another location", m{"calendarType": "round_robin", "teamMembers": member(coach)}, 400},
		{"priority out of range", m{"calendarType": "round_robin",
			"teamMembers": []any{m{"userId": hyg, "priority": 0.7}}}, 422},
		{"slotDuration as a string", m{"slotDuration": "30"}, 422},
		{"unknown calendar type", m{"calendarType": "group"}, 422},
		{"correct spelling is not accepted", m{"appointmentPerSlot": 2}, 422},
		{"unknown group", m{"groupId": "nope"}, 400},
	}
	for _, tt := range tests {
		if r := create(tt.extra); r.status != tt.status {
			t.Errorf("%s: %d, want %d: %s", tt.name, r.status, tt.status, r.raw)
		}
	}
	r := create(m{"slotDuration": "30", "teamMembers": []any{m{"priority": 2, "color": "red"}}})
	want := []string{
		"teamMembers.0.property color should not exist",
		"teamMembers.0.userId should not be empty", "teamMembers.0.userId must be a string",
		"teamMembers.0.priority must be one of the following values: 0, 0.5, 1",
		"slotDuration must be a number conforming to the specified constraints",
	}
	if diff := cmp.Diff(want, messages(r)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

func TestCalendarUpdateRejectsCreateOnlyFields(t *testing.T) {
	e := quiet(t)
	cals := e.getList("/calendars/?locationId="+AcmeDentalID, e.acme, "calendars")
	id := cals[0].(map[string]any)["id"].(string)
	r := e.do("PUT", "/calendars/"+id, e.acme, m{
		"locationId": AcmeDentalID, "calendarType": "event", "slotBufferUnit": "mins", "name": "x",
	})
	want := []string{
		"property calendarType should not exist", "property locationId should not exist",
		"property slotBufferUnit should not exist",
	}
	if r.status != 422 || !cmp.Equal(want, messages(r)) {
		t.Errorf("update with create-only fields: %d %v", r.status, messages(r))
	}
	// A round robin cannot lose its last team member.
	if r := e.do("PUT", "/calendars/"+id, e.acme, m{"teamMembers": []any{}}); r.status != 400 {
		t.Errorf("emptying a round robin: %d %s", r.status, r.raw)
	}
}

func TestSeededCalendarsAndGroups(t *testing.T) {
	e := quiet(t)
	groups := e.getList("/calendars/groups?locationId="+AcmeDentalID, e.acme, "groups")
	if len(groups) != 1 || groups[0].(map[string]any)["slug"] != DemoGroupSlug {
		t.Fatalf("groups: %v", groups)
	}
	gid := groups[0].(map[string]any)["id"].(string)
	cals := e.getList("/calendars/?locationId="+AcmeDentalID, e.acme, "calendars")
	var names []string
	for _, c := range cals {
		cal := c.(map[string]any)
		names = append(names, cal["name"].(string)+"/"+cal["calendarType"].(string))
		if cal["name"] == "Cleaning" && (len(cal["teamMembers"].([]any)) != 2 || cal["groupId"] != gid) {
			t.Errorf("Cleaning: %v", cal)
		}
	}
	if !slices.Equal(names, []string{"Cleaning/round_robin", "Dr. Lopez Consult/personal"}) {
		t.Errorf("calendars %v", names)
	}
	inGroup := e.getList("/calendars/?locationId="+AcmeDentalID+"&groupId="+gid, e.acme,
		"calendars")
	if len(inGroup) != 1 {
		t.Errorf("%d calendars in the group, want 1", len(inGroup))
	}
}

func TestCalendarGroups(t *testing.T) {
	e := quiet(t)
	g := e.must(201, "POST", "/calendars/groups", e.acme, m{
		"locationId": AcmeDentalID, "name": "Ortho", "description": "", "slug": "ortho",
	})
	group := sub(g, "group")
	id := group["id"].(string)
	if group["isActive"] != true || group["slug"] != "ortho" {
		t.Errorf("created %v", group)
	}
	again := m{"locationId": AcmeDentalID, "name": "Again", "description": "", "slug": "ortho"}
	if r := e.do("POST", "/calendars/groups", e.acme, again); r.status != 400 {
		t.Errorf("duplicate slug: %d", r.status)
	}
	avail := e.must(200, "POST", "/calendars/groups/validate-slug", e.acme,
		m{"locationId": AcmeDentalID, "slug": "ortho"})
	if avail["available"] != false {
		t.Errorf("validate-slug: %v", avail)
	}
	if r := e.do("PUT", "/calendars/groups/"+id, e.acme, m{"name": "Orthodontics"}); r.status != 422 {
		t.Errorf("update without slug and description: %d", r.status)
	}
	up := sub(e.must(200, "PUT", "/calendars/groups/"+id, e.acme, m{
		"name": "Orthodontics", "description": "braces", "slug": "ortho"}), "group")
	if up["name"] != "Orthodontics" {
		t.Errorf("updated %v", up)
	}
	e.must(200, "PUT", "/calendars/groups/"+id+"/status", e.acme, m{"isActive": false})
	if del := e.must(200, "DELETE", "/calendars/groups/"+id, e.acme, nil); del["success"] != true {
		t.Errorf("delete answered %v", del)
	}
}
