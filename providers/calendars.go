package providers

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/northwind/ghlctl/reconcile"
	"github.com/northwind/ghlctl/spec"
)

// calendarProvider manages calendars.
//
// Manifests name team members by email and the group by slug or name; the
// provider reads the sub-account's users and groups once and translates both
// ways, so live calendars compare in the manifest's terms. The server fills
// some thirty defaults and spells the per-slot count two ways; only fields the
// manifest sets are compared, and `extra` carries any other property through.
type calendarProvider struct{ site *Site }

// calendarFields are the properties with a manifest field of their own.
var calendarFields = []string{
	"name", "description", "calendarType", "eventType", "slug", "widgetSlug", "widgetType",
	"eventTitle", "eventColor", "slotDuration", "slotDurationUnit", "slotInterval", "slotIntervalUnit",
	"slotBuffer", "slotBufferUnit", "preBuffer", "preBufferUnit", "appoinmentPerSlot", "appoinmentPerDay",
	"allowBookingAfter", "allowBookingAfterUnit", "allowBookingFor", "allowBookingForUnit", "openHours",
	"autoConfirm", "allowReschedule", "allowCancellation", "isActive", "stickyContact",
	"googleInvitationEmails", "guestType", "formSubmitType", "formSubmitRedirectURL",
	"formSubmitThanksMessage", "notes", "alertEmail", "consentLabel", "enableRecurring",
}

// calendarCreateOnly are refused by the update endpoint.
var calendarCreateOnly = []string{"locationId", "calendarType", "slotBufferUnit"}

// calendarReadOnly are server-made properties never offered as extra.
var calendarReadOnly = map[string]bool{
	"id": true, "locationId": true, "teamMembers": true, "groupId": true, "appointmentPerSlot": true,
	"dateAdded": true, "dateUpdated": true, "createdBy": true, "lastUpdatedBy": true, "deleted": true,
}

func (p *calendarProvider) object(raw map[string]any, d *directory) reconcile.Object {
	f := pick(raw, calendarFields...)
	if oh, ok := f["openHours"].(map[string]any); ok && len(oh) == 0 {
		delete(f, "openHours")
	}
	if _, ok := f["appoinmentPerSlot"]; !ok && raw["appointmentPerSlot"] != nil {
		f["appoinmentPerSlot"] = raw["appointmentPerSlot"]
	}
	if members, ok := raw["teamMembers"].([]any); ok {
		f["teamMembers"] = d.membersByEmail(members)
	}
	if gid := str(raw["groupId"]); gid != "" {
		f["group"] = d.groupName(gid)
	}
	extra := map[string]any{}
	for k, v := range raw {
		if !calendarReadOnly[k] && !slices.Contains(calendarFields, k) {
			extra[k] = v
		}
	}
	if len(extra) > 0 {
		f["extra"] = extra
	}
	return reconcile.Object{ID: str(raw["id"]), Fields: f}
}

// List reads the calendars and, side by side, the users and groups that
// translate them.
func (p *calendarProvider) List(ctx context.Context) ([]reconcile.Object, error) {
	type dirResult struct {
		d   *directory
		err error
	}
	dirs := make(chan dirResult, 1)
	go func() {
		d, err := p.site.directory(ctx)
		dirs <- dirResult{d, err}
	}()
	var out struct {
		Calendars []map[string]any `json:"calendars"`
	}
	q := url.Values{"locationId": {p.site.ID}}
	err := p.site.calendarCall(ctx, http.MethodGet, "/calendars/", q, nil, &out, "list calendars")
	dr := <-dirs
	if err == nil {
		err = dr.err
	}
	if err != nil {
		return nil, err
	}
	d := dr.d
	return objects(out.Calendars, func(raw map[string]any) reconcile.Object { return p.object(raw, d) }), nil
}

// Check makes sure every member and group a calendar names exists, before
// anything is written.
func (p *calendarProvider) Check(ctx context.Context, entries []*spec.Entry) error {
	d, err := p.site.directory(ctx)
	if err != nil {
		return err
	}
	var problems []string
	for _, e := range entries {
		if _, err := d.body(e.Fields); err != nil {
			problems = append(problems, fmt.Sprintf("%s: calendar %q: %v", e.Pos, e.Name(), err))
			continue
		}
		d.canonical(e)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return nil
}

func (p *calendarProvider) Create(ctx context.Context, fields map[string]any) (reconcile.Object, error) {
	return p.write(ctx, http.MethodPost, "/calendars/", fields, "create calendar", func(body map[string]any) {
		body["locationId"] = p.site.ID
	})
}

// Update sends only the managed fields: the endpoint changes what it is
// given and keeps the rest.
func (p *calendarProvider) Update(ctx context.Context, live reconcile.Object,
	fields map[string]any) (reconcile.Object, error) {
	return p.write(ctx, http.MethodPut, "/calendars/"+live.ID, fields, "update calendar",
		func(body map[string]any) {
			for _, k := range calendarCreateOnly {
				delete(body, k)
			}
		})
}

// write sends a calendar's fields, in the API's terms and adjusted for the
// endpoint, and reads back the calendar in the manifest's.
func (p *calendarProvider) write(ctx context.Context, method, path string, fields map[string]any,
	what string, adjust func(map[string]any)) (reconcile.Object, error) {
	d, err := p.site.directory(ctx)
	if err != nil {
		return reconcile.Object{}, err
	}
	body, err := d.body(fields)
	if err != nil {
		return reconcile.Object{}, err
	}
	adjust(body)
	var out struct {
		Calendar map[string]any `json:"calendar"`
	}
	err = p.site.calendarCall(ctx, method, path, nil, body, &out, what)
	return p.object(out.Calendar, d), err
}

func (p *calendarProvider) Delete(ctx context.Context, live reconcile.Object) error {
	return ignoreNotFound(p.site.calendarCall(ctx, http.MethodDelete, "/calendars/"+live.ID, nil, nil, nil,
		"delete calendar"))
}

func (p *calendarProvider) Immutable() ([]string, string) {
	return []string{"calendarType"}, "replaces the calendar"
}

// body turns manifest fields into an API body: members by user id, the group
// by id, and extra's properties at the top level.
func (d *directory) body(fields map[string]any) (map[string]any, error) {
	body := pick(fields, calendarFields...)
	if extra, ok := fields["extra"].(map[string]any); ok {
		maps.Copy(body, extra)
	}
	if members, ok := fields["teamMembers"].([]any); ok {
		ids, err := d.membersByID(members)
		if err != nil {
			return nil, err
		}
		body["teamMembers"] = ids
	}
	if g, ok := fields["group"].(string); ok && g != "" {
		id, err := d.groupID(g)
		if err != nil {
			return nil, err
		}
		body["groupId"] = id
	}
	return body, nil
}

// canonical rewrites an entry's references the way live calendars show them:
// members by email where the user is known, the group by slug.
func (d *directory) canonical(e *spec.Entry) {
	if members, ok := e.Fields["teamMembers"].([]any); ok {
		for _, m := range members {
			mm, _ := m.(map[string]any)
			if email, ok := d.byID[str(mm["userId"])]; ok && str(mm["email"]) == "" {
				delete(mm, "userId")
				mm["email"] = email
			}
		}
	}
	if g, ok := e.Fields["group"].(string); ok && g != "" {
		if id, err := d.groupID(g); err == nil {
			e.Fields["group"] = d.groupName(id)
		}
	}
	e.Fields = spec.Normalize(spec.KindCalendars, e.Fields)
}
