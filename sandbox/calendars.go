package sandbox

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// calendar keeps its fields as the JSON document the server stores: what
// the client sent, normalised, plus the defaults the server fills in. The
// answers are projections of it that differ by verb (see the package doc).
type calendar struct {
	ID          string         `json:"id"`
	LocationID  string         `json:"locationId"`
	Doc         map[string]any `json:"doc"`
	DateAdded   string         `json:"dateAdded"`
	DateUpdated string         `json:"dateUpdated"`
}

const (
	thanksMessage = "Thank you for your appointment request. We will contact you shortly to confirm " +
		"your request. Please call our office at {{contactMethod}} if you have any questions."
	consentLabel = "I confirm that I want to receive content from this company using any contact " +
		"information I provide."
)

// createDefaults are the values a created calendar has when the client did
// not send them, as recorded from the real server.
func createDefaults() map[string]any {
	return map[string]any{
		"calendarType": "event", "eventTitle": "{{contact.name}}", "eventColor": "#039BE5",
		"slotDuration": 30.0, "slotDurationUnit": "mins", "slotInterval": 30.0,
		"slotIntervalUnit": "mins", "slotBufferUnit": "mins", "appoinmentPerSlot": 1.0,
		"openHours": map[string]any{}, "preBufferUnit": "mins", "isActive": true,
		"enableRecurring": false, "autoConfirm": true, "googleInvitationEmails": true,
		"allowReschedule": true, "allowCancellation": true, "formSubmitType": "ThankYouMessage",
		"formSubmitThanksMessage": thanksMessage, "availabilities": []any{},
		"consentLabel": consentLabel,
	}
}

// updateFills are the keys an update answer always has, filled when the
// stored calendar lacks them.
func updateFills() map[string]any {
	return map[string]any{
		"teamMembers": []any{}, "widgetType": "classic", "slotBuffer": 0.0,
		"guestType": "collect_detail", "preBuffer": 0.0,
	}
}

// Calendar types and what they require of team members.
var (
	calendarTypes = []any{
		"round_robin", "event", "class_booking", "collective", "service_booking", "personal",
	}
	teamTypes    = []string{"round_robin", "collective", "class_booking", "service_booking"}
	meetingKinds = []any{"custom", "zoom_conference", "google_conference", "inbound_call",
		"outbound_call", "physical", "booker", "ms_teams_conference"}
	units = []any{"mins", "hours"}
)

var (
	hourSchema = schema{
		pNumber("openHour").req(), pNumber("openMinute").req(), pNumber("closeHour").req(),
		pNumber("closeMinute").req(),
	}
	locationConfigSchema = schema{pString("kind").req().oneOf(meetingKinds...), pString("location")}
	teamMemberSchema     = schema{
		pString("userId").filled(), pNumber("priority").oneOf(0.0, 0.5, 1.0),
		pString("meetingLocationType").
			oneOf("custom", "zoom", "gmeet", "phone", "address", "teams", "booker"),
		pString("meetingLocation"), pBool("isPrimary"),
		pList("locationConfigurations", locationConfigSchema...),
	}
	notificationSchema = schema{
		pString("type").oneOf("email"), pBool("shouldSendToContact").req(),
		pBool("shouldSendToGuest").req(), pBool("shouldSendToUser").req(),
		pBool("shouldSendToSelectedUsers").req(),
		pString("selectedUsers").req(),
	}
	availabilitySchema = schema{
		pString("date").req(), pList("hours", hourSchema...).req(), pBool("deleted"),
	}
)

// createCalendarBody is CalendarCreateDTO.
var createCalendarBody = schema{
	pBool("isActive"), pList("notifications", notificationSchema...), pString("locationId").filled(),
	pString("groupId"), pList("teamMembers", teamMemberSchema...),
	pString("eventType").
		oneOf("RoundRobin_OptimizeForAvailability", "RoundRobin_OptimizeForEqualDistribution"),
	pString("name").filled(), pString("description"), pString("slug"), pString("widgetSlug"),
	pString("calendarType").oneOf(calendarTypes...), pString("widgetType").oneOf("default", "classic"),
	pString("eventTitle"), pString("eventColor"), pString("meetingLocation"),
	pList("locationConfigurations", locationConfigSchema...),
	pNumber("slotDuration"), pString("slotDurationUnit").oneOf(units...),
	pNumber("slotInterval"), pString("slotIntervalUnit").oneOf(units...),
	pNumber("slotBuffer"), pString("slotBufferUnit").oneOf(units...),
	pNumber("preBuffer"), pString("preBufferUnit").oneOf(units...),
	pNumber("appoinmentPerSlot"), pNumber("appoinmentPerDay"),
	pNumber("allowBookingAfter"),
	pString("allowBookingAfterUnit").oneOf("hours", "days", "weeks", "months"),
	pNumber("allowBookingFor"), pString("allowBookingForUnit").oneOf("days", "weeks", "months"),
	pList("openHours", pNumbers("daysOfTheWeek").req(), pList("hours", hourSchema...).req()),
	pBool("enableRecurring"),
	pObject("recurring", pString("freq").oneOf("DAILY", "WEEKLY", "MONTHLY"), pNumber("count"),
		pString("bookingOption").oneOf("skip", "continue", "book_next"),
		pString("bookingOverlapDefaultStatus").oneOf("confirmed", "new")),
	pString("formId"), pBool("stickyContact"), pBool("isLivePaymentMode"), pBool("autoConfirm"),
	pBool("shouldSendAlertEmailsToAssignedMember"), pString("alertEmail"),
	pBool("googleInvitationEmails"),
	pBool("allowReschedule"), pBool("allowCancellation"), pBool("shouldAssignContactToTeamMember"),
	pBool("shouldSkipAssigningContactForExisting"), pString("notes"), pString("pixelId"),
	pString("formSubmitType").oneOf("RedirectURL", "ThankYouMessage"),
	pString("formSubmitRedirectURL"),
	pString("formSubmitThanksMessage"), pNumber("availabilityType").oneOf(0.0, 1.0),
	pList("availabilities", availabilitySchema...),
	pString("guestType").oneOf("count_only", "collect_detail"), pString("consentLabel"),
	pString("calendarCoverImage"),
	pObject("lookBusyConfig", pBool("enabled").req(), pNumber("LookBusyPercentage").req()),
}

// updateCalendarBody is CalendarUpdateDTO: nothing required; no locationId,
// calendarType or slotBufferUnit; availabilities may name the entry they change.
var updateCalendarBody = createCalendarBody.
	without("locationId", "calendarType", "slotBufferUnit", "availabilities", "name").
	with(pString("name").notBlank(),
		pList("availabilities", availabilitySchema.with(pString("id"))...))

func calendarRoutes() []route {
	return []route{
		{method: "GET", path: "/calendars", auth: locationToken, handle: listCalendars,
			query: schema{pString("locationId").filled(), pString("groupId"), pBool("showDrafted")}},
		{method: "POST", path: "/calendars", auth: locationToken, body: createCalendarBody,
			handle: createCalendar},
		{method: "GET", path: "/calendars/{calendarId}", auth: locationToken, handle: getCalendar},
		{method: "PUT", path: "/calendars/{calendarId}", auth: locationToken, body: updateCalendarBody,
			handle: updateCalendar},
		{method: "DELETE", path: "/calendars/{calendarId}", auth: locationToken, handle: deleteCalendar},
	}
}

func listCalendars(c *call) response {
	a, fail := c.account(c.query.Get("locationId"))
	if fail != nil {
		return *fail
	}
	group, drafts := c.query.Get("groupId"), c.query.Get("showDrafted") != "false"
	items := []any{}
	for _, cal := range a.Calendars {
		if group != "" && cal.Doc["groupId"] != group {
			continue
		}
		if !drafts && cal.Doc["isActive"] == false {
			continue
		}
		items = append(items, cal.view(viewStored))
	}
	return ok(obj{"calendars": items})
}

func createCalendar(c *call) response {
	a, fail := c.account(str(c.body, "locationId"))
	if fail != nil {
		return *fail
	}
	now := c.stamp()
	cal := &calendar{ID: c.db.newID(), LocationID: a.Location.ID, DateAdded: now, DateUpdated: now}
	doc := createDefaults()
	if c.body["calendarType"] == "round_robin" {
		doc["eventType"] = "RoundRobin_OptimizeForAvailability"
	}
	for k, v := range c.body {
		if k != "locationId" && v != nil {
			doc[k] = v
		}
	}
	normaliseCalendar(cal.ID, doc)
	if fail := a.checkCalendar(c.db, doc); fail != nil {
		return *fail
	}
	cal.Doc = doc
	a.Calendars = append(a.Calendars, cal)
	return ok(obj{"calendar": cal.view(viewStored)})
}

// normaliseCalendar applies what the server does to what it is sent: colours
// upper-cased, the misspelled appoinmentPerSlot mirrored under its correct
// spelling, team members given their defaults, an empty widgetSlug replaced
// by the id.
func normaliseCalendar(id string, doc map[string]any) {
	if color, isString := doc["eventColor"].(string); isString {
		doc["eventColor"] = strings.ToUpper(color)
	}
	if n, has := doc["appoinmentPerSlot"]; has {
		doc["appointmentPerSlot"] = n
	}
	if slug, has := doc["widgetSlug"]; has && slug == "" {
		doc["widgetSlug"] = id
	}
	if members, isList := doc["teamMembers"].([]any); isList {
		doc["teamMembers"] = normaliseMembers(members)
	}
}

func normaliseMembers(members []any) []any {
	out := make([]any, len(members))
	for i, m := range members {
		member := maps.Clone(m.(map[string]any))
		if _, has := member["priority"]; !has {
			member["priority"] = 0.5
		}
		if _, has := member["isPrimary"]; !has {
			member["isPrimary"] = false
		}
		if configs, isList := member["locationConfigurations"].([]any); isList {
			member["locationConfigurations"] = withMeetingIDs(configs)
		}
		out[i] = member
	}
	return out
}

// withMeetingIDs gives each meeting location the id the server assigns.
func withMeetingIDs(configs []any) []any {
	out := make([]any, len(configs))
	for i, lc := range configs {
		config := maps.Clone(lc.(map[string]any))
		config["meetingId"] = fmt.Sprintf("%v_%d", config["kind"], i)
		out[i] = config
	}
	return out
}

// checkCalendar enforces the rules that depend on the calendar type and on
// other objects: team members per type, users of this location, one primary
// member on collective calendars, recurring only with one member, a group
// of this location.
func (a *account) checkCalendar(d *db, doc map[string]any) *response {
	fail := func(format string, args ...any) *response {
		r := badRequest(format, args...)
		return &r
	}
	members, _ := doc["teamMembers"].([]any)
	kind, _ := doc["calendarType"].(string)
	switch {
	case kind == "personal" && len(members) != 1:
		return fail("Personal calendar must have exactly one team member")
	case slices.Contains(teamTypes, kind) && len(members) == 0:
		return fail("Team members are required for calendars of type %s", kind)
	case doc["enableRecurring"] == true && len(members) > 1:
		return fail("Recurring appointments are allowed only with one team member")
	}
	if fail := a.checkMembers(d, kind, members); fail != nil {
		return fail
	}
	if group, _ := doc["groupId"].(string); group != "" && a.group(group) == nil {
		return fail("Calendar group %s not found in this location", group)
	}
	return nil
}

func (a *account) checkMembers(d *db, kind string, members []any) *response {
	users := d.usersOf(a.Location.ID)
	primaries := 0
	for _, m := range members {
		member := m.(map[string]any)
		id, _ := member["userId"].(string)
		if !slices.ContainsFunc(users, func(u *user) bool { return u.ID == id }) {
			r := badRequest("User %s is not a member of this location", id)
			return &r
		}
		if member["isPrimary"] == true {
			primaries++
		}
	}
	if kind == "collective" && primaries != 1 {
		r := badRequest("Collective calendars need exactly one primary team member")
		return &r
	}
	return nil
}

// findCalendar finds a calendar by id in any location, then checks the
// caller owns it.
func (c *call) findCalendar() (*account, *calendar, *response) {
	for _, a := range c.db.Accounts {
		for _, cal := range a.Calendars {
			if cal.ID == c.param("calendarId") {
				if fail := c.own(a.Location.ID); fail != nil {
					return nil, nil, fail
				}
				return c.uses(a), cal, nil
			}
		}
	}
	nf := notFound("Calendar")
	return nil, nil, &nf
}

func getCalendar(c *call) response {
	_, cal, fail := c.findCalendar()
	if fail != nil {
		return *fail
	}
	return ok(obj{"calendar": cal.view(viewGet)})
}

// updateCalendar merges the body into the stored calendar: a partial update,
// where null removes a field.
func updateCalendar(c *call) response {
	a, cal, fail := c.findCalendar()
	if fail != nil {
		return *fail
	}
	doc := maps.Clone(cal.Doc)
	for k, v := range c.body {
		if v == nil {
			delete(doc, k)
		} else {
			doc[k] = v
		}
	}
	normaliseCalendar(cal.ID, doc)
	if fail := a.checkCalendar(c.db, doc); fail != nil {
		return *fail
	}
	cal.Doc, cal.DateUpdated = doc, c.stamp()
	return ok(obj{"calendar": cal.view(viewUpdate)})
}

// deleteCalendar answers with the whole stored document, as recorded.
func deleteCalendar(c *call) response {
	a, cal, fail := c.findCalendar()
	if fail != nil {
		return *fail
	}
	a.Calendars = removeByID(a.Calendars, cal.ID, func(cal *calendar) string { return cal.ID })
	return ok(obj{"message": "calendar deleted", "calendar": cal.view(viewDelete)})
}

// Projections of a calendar.
const (
	viewStored = iota // create and list
	viewGet
	viewUpdate
	viewDelete
)

func (cal *calendar) view(which int) obj {
	out := maps.Clone(cal.Doc)
	out["id"], out["locationId"] = cal.ID, cal.LocationID
	switch which {
	case viewGet:
		if _, has := out["notifications"]; !has {
			out["notifications"] = []any{}
		}
	case viewUpdate:
		for k, v := range updateFills() {
			if _, has := out[k]; !has {
				out[k] = v
			}
		}
		if list, _ := out["availabilities"].([]any); len(list) == 0 {
			delete(out, "availabilities")
		}
	case viewDelete:
		cal.addBookkeeping(out)
	}
	return out
}

// addBookkeeping adds the fields the server keeps for itself and shows only
// in the answer to a delete.
func (cal *calendar) addBookkeeping(out obj) {
	by := func(when string) obj {
		return obj{"channel": "OAUTH", "source": "INTEGRATION", "timestamp": when, "traceId": newUUID()}
	}
	extra := obj{
		"addServiceActiveStep": false, "deleted": false, "isSystemGenerated": false,
		"createdBy": by(cal.DateAdded), "lastUpdatedBy": by(cal.DateUpdated),
		"dateAdded": cal.DateAdded, "dateUpdated": cal.DateUpdated, "stripe": obj{},
		"enableConsentCheck": true, "enableOfficeHours": false, "enableSameUserAssignment": false,
		"enableSameUserAssignmentForReschedule": false, "reserveService": false,
		"order": 9999.0, "showSeatsPerSlot": false, "version": 2.0,
	}
	extra["linkedCalendars"] = obj{
		"clio": obj{}, "drchrono": obj{}, "google": obj{}, "calendly": obj{},
	}
	extra["locationConfigurations"] = []any{
		obj{"kind": "custom", "position": 0.0, "meetingId": "custom_0"},
	}
	for k, v := range extra {
		if _, has := out[k]; !has {
			out[k] = v
		}
	}
}
