package sandbox

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSlug(t *testing.T) {
	for name, want := range map[string]string{
		"NangoTestField":                       "nangotestfield",
		"Nango Dryrun Field":                   "nango_dryrun_field",
		"Workers' Comp Policy Expiration Date": "workers_comp_policy_expiration_date",
		"SDR responsável":                      "sdr_responsvel",
		"advisor-vimeo-video-1":                "advisorvimeovideo1",
		"Nango Test Value Save2":               "nango_test_value_save2",
		"  Spaced   Out  ":                     "spaced_out",
		"snake_case_kept":                      "snake_case_kept",
		"Horário 🕐":                            "horrio_",
		"☕":                                    "",
	} {
		if got := slug(name); got != want {
			t.Errorf("slug(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestCustomFieldLifecycle(t *testing.T) {
	e := quiet(t)
	base := "/locations/" + AcmeDentalID + "/customFields"

	f := sub(e.must(200, "POST", base, e.acme, m{
		"name": "Preferred Dentist", "dataType": "SINGLE_OPTIONS", "options": []string{"Lopez", "Kim"},
	}), "customField")
	id := f["id"].(string)
	for key, want := range map[string]any{
		"fieldKey": "contact.preferred_dentist", "model": "contact", "documentType": "field",
		"standard": false, "dataType": "SINGLE_OPTIONS", "placeholder": "",
	} {
		if f[key] != want {
			t.Errorf("created %s = %v, want %v", key, f[key], want)
		}
	}
	if diff := cmp.Diff([]any{"Lopez", "Kim"}, f["picklistOptions"]); diff != "" {
		t.Errorf("picklistOptions (-want +got):\n%s", diff)
	}
	if _, has := f["options"]; has {
		t.Error("options written back under their write name")
	}
	if f["parentId"] == "" || f["position"].(float64) <= 0 || f["dateAdded"] == "" {
		t.Errorf("server-assigned fields missing: %v", f)
	}
	if _, has := f["scopes"]; !has {
		t.Error("single field lacks scopes")
	}

	renamed := sub(e.must(200, "PUT", base+"/"+id, e.acme, m{
		"name": "Favourite Dentist", "options": []string{"Lopez", "Kim", "Shah"},
	}), "customField")
	if renamed["fieldKey"] != "contact.preferred_dentist" || renamed["name"] != "Favourite Dentist" {
		t.Errorf("rename changed the key or lost the name: %v", renamed)
	}
	if diff := cmp.Diff([]any{"Lopez", "Kim", "Shah"}, renamed["picklistOptions"]); diff != "" {
		t.Errorf("options after update (-want +got):\n%s", diff)
	}

	byKey := sub(e.must(200, "GET", base+"/contact.preferred_dentist", e.acme, nil), "customField")
	if byKey["id"] != id {
		t.Errorf("get by fieldKey found %v", byKey["id"])
	}
	if del := e.must(200, "DELETE", base+"/"+id, e.acme, nil); del["succeded"] != true {
		t.Errorf("delete answered %v", del)
	}
}

func TestCustomFieldRules(t *testing.T) {
	e := quiet(t)
	base := "/locations/" + AcmeDentalID + "/customFields"
	visit := sub(e.must(200, "GET", base+"/contact.visit_count", e.acme, nil), "customField")
	visitID := visit["id"].(string)

	clash := e.do("POST", base, e.acme, m{"name": "visit count", "dataType": "NUMERICAL"})
	if clash.status != 400 || clash.body["message"] != "contact.visit_count already exists" {
		t.Errorf("colliding key: %d %s", clash.status, clash.raw)
	}
	opp := sub(e.must(200, "POST", base, e.acme, m{"name": "Visit Count", "dataType": "TEXT",
		"model": "opportunity"}), "customField")
	if opp["fieldKey"] != "opportunity.visit_count" {
		t.Errorf("opportunity key %v", opp["fieldKey"])
	}

	tests := []struct {
		method, path string
		body         any
		want         []string
	}{
		{"PUT", base + "/" + visitID, m{"name": "Visits", "dataType": "NUMERICAL"},
			[]string{"property dataType should not exist"}},
		{"PUT", base + "/" + visitID, m{"placeholder": "n"},
			[]string{"name should not be empty", "name must be a string"}},
		{"POST", base, m{"name": "A"}, []string{
			"dataType should not be empty", "dataType must be a string",
			"dataType must be one of the following values: " +
				"TEXT, LARGE_TEXT, NUMERICAL, PHONE, MONETORY, CHECKBOX, SINGLE_OPTIONS, MULTIPLE_OPTIONS, " +
				"DATE, TEXTBOX_LIST, FILE_UPLOAD, RADIO, EMAIL, SIGNATURE"}},
		{"POST", base, m{"name": "A", "dataType": "TEXT", "options": "x", "standard": true},
			[]string{"property standard should not exist", "options must be an array"}},
		{"POST", base, m{"name": "A", "dataType": "TEXT", "picklistOptions": []string{"a"}},
			[]string{"property picklistOptions should not exist"}},
		{"GET", base + "?locationId=" + AcmeDentalID, nil,
			[]string{"property locationId should not exist"}},
	}
	for _, tt := range tests {
		r := e.do(tt.method, tt.path, e.acme, tt.body)
		if r.status != 422 {
			t.Errorf("%s %v: %d, want 422", tt.method, tt.body, r.status)
		}
		if diff := cmp.Diff(tt.want, messages(r)); diff != "" {
			t.Errorf("%s %v (-want +got):\n%s", tt.method, tt.body, diff)
		}
	}
	// Extra properties the server accepts without documenting them.
	ok := sub(e.must(200, "POST", base, e.acme, m{"name": "Chart Notes", "dataType": "LARGE_TEXT",
		"description": "free text", "parentId": "folder00000000000001", "fieldKey": "chart",
	}), "customField")
	if ok["fieldKey"] != "contact.chart" || ok["parentId"] != "folder00000000000001" ||
		ok["position"] != 50.0 {
		t.Errorf("explicit key and folder: %v", ok)
	}
}

func TestCustomFieldListFiltersByModel(t *testing.T) {
	e := quiet(t)
	base := "/locations/" + AcmeDentalID + "/customFields"
	all := e.getList(base, e.acme, "customFields")
	opp := e.getList(base+"?model=opportunity", e.acme, "customFields")
	contact := e.getList(base+"?model=contact", e.acme, "customFields")
	if len(all) != 8 || len(opp) != 1 || len(contact) != 7 {
		t.Errorf("all %d, opportunity %d, contact %d", len(all), len(opp), len(contact))
	}
	for _, f := range all {
		if _, has := f.(map[string]any)["scopes"]; has {
			t.Error("list items carry scopes")
		}
	}
	if r := e.do("GET", base+"?model=lead", e.acme, nil); r.status != 422 {
		t.Errorf("bad model: %d", r.status)
	}
}
