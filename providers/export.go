package providers

import (
	"strings"

	"github.com/northwind/ghlctl/reconcile"
	"github.com/northwind/ghlctl/spec"
)

// Export turns a live object into the entry a person would write: the
// fields that differ from what the server fills in by itself, and no ids.
func Export(kind string, o reconcile.Object) map[string]any {
	f := dropEmpty(o.Fields)
	switch kind {
	case spec.KindCustomFields:
		exportCustomField(f)
	case spec.KindCalendars:
		exportCalendar(f, o.ID)
	case spec.KindSettings:
		delete(f, "email") // read-only through the API, so it could not be cloned
	}
	return f
}

func dropEmpty(in map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range in {
		switch t := v.(type) {
		case nil:
			continue
		case string:
			if t == "" {
				continue
			}
		case []any:
			if len(t) == 0 {
				continue
			}
		case map[string]any:
			if t = dropEmpty(t); len(t) == 0 {
				continue
			}
			v = t
		}
		out[k] = v
	}
	return out
}

// exportCustomField leaves out the server's position and folder, the model
// when it is the default, and the key when the name derives it.
func exportCustomField(f map[string]any) {
	delete(f, "position")
	model, _ := f["model"].(string)
	if model == "contact" {
		delete(f, "model")
	}
	if key, _ := f["key"].(string); key == model+"."+fieldSlug(str(f["name"])) {
		delete(f, "key")
	}
	if f["isMultipleFile"] == false {
		delete(f, "isMultipleFile")
	}
}

// fieldSlug is how the server derives a custom field's key from its name.
func fieldSlug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		switch {
		case r == ' ' || r == '\t':
			b.WriteRune('_')
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// calendarDefaults are the values HighLevel gives a calendar that its
// creator did not set (documented defaults and recorded answers).
var calendarDefaults = map[string]any{
	"widgetType": "classic", "eventTitle": "{{contact.name}}", "eventColor": "#039BE5",
	"slotDuration": 30.0, "slotDurationUnit": "mins", "slotInterval": 30.0, "slotIntervalUnit": "mins",
	"slotBuffer": 0.0, "slotBufferUnit": "mins", "preBuffer": 0.0, "preBufferUnit": "mins",
	"appoinmentPerSlot": 1.0, "appoinmentPerDay": 0.0, "autoConfirm": true, "allowReschedule": true,
	"allowCancellation": true, "isActive": true, "googleInvitationEmails": true, "enableRecurring": false,
	"stickyContact": false, "guestType": "collect_detail", "formSubmitType": "ThankYouMessage",
	"eventType": "RoundRobin_OptimizeForAvailability", "allowBookingAfter": 0.0, "allowBookingFor": 0.0,
	"formSubmitThanksMessage": "Thank you for your appointment request. We will contact you shortly to " +
		"confirm your request. Please call our office at {{contactMethod}} if you have any questions.",
	"consentLabel": "I confirm that I want to receive content from this company using any contact " +
		"information I provide.",
}

func exportCalendar(f map[string]any, id string) {
	delete(f, "extra")
	for k, def := range calendarDefaults {
		if v, ok := f[k]; ok && v == def {
			delete(f, k)
		}
	}
	if ws, _ := f["widgetSlug"].(string); ws == id || ws == f["slug"] {
		delete(f, "widgetSlug")
	}
	members, _ := f["teamMembers"].([]any)
	for _, m := range members {
		mm, _ := m.(map[string]any)
		if _, ok := mm["email"]; ok {
			delete(mm, "userId")
		}
		if mm["isPrimary"] == false {
			delete(mm, "isPrimary")
		}
	}
}
