package sandbox

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTags(t *testing.T) {
	e := quiet(t)
	base := "/locations/" + AcmeDentalID + "/tags"

	created := sub(e.must(200, "POST", base, e.acme, m{"name": "  Hot Lead "}), "tag")
	id, _ := created["id"].(string)
	want := m{"id": id, "name": "hot lead", "locationId": AcmeDentalID}
	if diff := cmp.Diff(want, created); diff != "" {
		t.Fatalf("created tag (-want +got):\n%s", diff)
	}
	if len(id) != 20 {
		t.Errorf("id %q is not 20 characters", id)
	}

	dup := e.do("POST", base, e.acme, m{"name": "HOT LEAD"})
	if dup.status != 400 || dup.body["message"] != "Tag already exists" {
		t.Errorf("duplicate tag: %d %s", dup.status, dup.raw)
	}

	got := sub(e.must(200, "GET", base+"/"+id, e.acme, nil), "tag")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("get (-want +got):\n%s", diff)
	}
	renamed := sub(e.must(200, "PUT", base+"/"+id, e.acme, m{"name": "Warm Lead"}), "tag")
	if renamed["name"] != "warm lead" || renamed["id"] != id {
		t.Errorf("renamed: %v", renamed)
	}
	if r := e.do("PUT", base+"/"+id, e.acme, m{"name": "VIP"}); r.status != 400 {
		t.Errorf("rename onto an existing tag: %d", r.status)
	}

	del := e.must(200, "DELETE", base+"/"+id, e.acme, nil)
	if del["succeded"] != true {
		t.Errorf("delete answered %v", del)
	}
	if r := e.do("GET", base+"/"+id, e.acme, nil); r.status != 404 {
		t.Errorf("deleted tag still answers %d", r.status)
	}
}

func TestTagListHoldsSeedAndUnicode(t *testing.T) {
	e := quiet(t)
	tags := e.getList("/locations/"+AcmeDentalID+"/tags", e.acme, "tags")
	names := map[string]bool{}
	for _, tg := range tags {
		names[tg.(map[string]any)["name"].(string)] = true
	}
	for _, n := range []string{"vip", "new lead", "café ☕"} {
		if !names[n] {
			t.Errorf("seeded tag %q missing from %v", n, names)
		}
	}
	upper := sub(e.must(200, "POST", "/locations/"+AcmeDentalID+"/tags", e.acme,
		m{"name": "ÉCOLE Ñ"}), "tag")
	if upper["name"] != "école ñ" {
		t.Errorf("unicode lowercasing: %v", upper["name"])
	}
}

func TestTagValidation(t *testing.T) {
	e := quiet(t)
	base := "/locations/" + AcmeDentalID + "/tags"
	tests := []struct {
		body any
		want []string
	}{
		{m{}, []string{"name should not be empty", "name must be a string"}},
		{m{"name": ""}, []string{"name should not be empty"}},
		{m{"name": 5}, []string{"name must be a string"}},
		{m{"name": "x", "locationId": AcmeDentalID}, []string{"property locationId should not exist"}},
		{m{"name": "   "}, []string{"name should not be empty"}},
	}
	for _, tt := range tests {
		r := e.do("POST", base, e.acme, tt.body)
		if r.status != 422 || r.body["error"] != "Unprocessable Entity" || r.body["statusCode"] != 422.0 {
			t.Errorf("POST %v: %d %s", tt.body, r.status, r.raw)
		}
		if diff := cmp.Diff(tt.want, messages(r)); diff != "" {
			t.Errorf("POST %v messages (-want +got):\n%s", tt.body, diff)
		}
	}
	if r := e.do("GET", base+"?limit=5", e.acme, nil); r.status != 422 {
		t.Errorf("unknown query parameter: %d", r.status)
	}
	if r := e.do("POST", base, e.acme, "{not json"); r.status != 400 {
		t.Errorf("bad JSON: %d", r.status)
	}
}
