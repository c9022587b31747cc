package sandbox

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCustomValues(t *testing.T) {
	e := quiet(t)
	base := "/locations/" + AcmeDentalID + "/customValues"
	body := m{"name": "After-Hours Line", "value": "+1 512 555 0199"}
	v := sub(e.must(200, "POST", base, e.acme, body), "customValue")
	id := v["id"].(string)
	want := m{
		"id": id, "name": "After-Hours Line", "fieldKey": "{{ custom_values.afterhours_line }}",
		"value": "+1 512 555 0199", "locationId": AcmeDentalID, "documentType": "field",
	}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	if r := e.do("PUT", base+"/"+id, e.acme, m{"name": "Night Line"}); r.status != 422 ||
		!cmp.Equal(messages(r), []string{"value must be a string"}) {
		t.Errorf("update without value: %d %s", r.status, r.raw)
	}
	up := sub(e.must(200, "PUT", base+"/"+id, e.acme, m{"name": "Night Line", "value": ""}),
		"customValue")
	if up["fieldKey"] != want["fieldKey"] || up["name"] != "Night Line" || up["value"] != "" {
		t.Errorf("updated: %v", up)
	}
	if r := e.do("POST", base, e.acme, m{"name": "after-hours line", "value": "x"}); r.status != 400 {
		t.Errorf("colliding key: %d %s", r.status, r.raw)
	}
	got := sub(e.must(200, "GET", base+"/"+id, e.acme, nil), "customValue")
	if got["name"] != "Night Line" {
		t.Errorf("get: %v", got)
	}
	del := e.must(200, "DELETE", base+"/"+id, e.acme, nil)
	if del["succeeded"] != true || del["succeded"] != nil {
		t.Errorf("delete answered %v, want the correct spelling", del)
	}
}

func TestTriggerLinks(t *testing.T) {
	e := quiet(t)
	l := e.must(201, "POST", "/links/", e.acme, m{
		"locationId": AcmeDentalID, "name": "Spring Promo", "redirectTo": "https://acme.example/spring",
	})
	link := sub(l, "link")
	id := link["id"].(string)
	if link["fieldKey"] != "{{trigger_link."+id+"}}" || link["locationId"] != AcmeDentalID {
		t.Errorf("created: %v", link)
	}
	moved := m{"locationId": AcmeDentalID, "name": "x", "redirectTo": "y"}
	if r := e.do("PUT", "/links/"+id, e.acme, moved); r.status != 422 ||
		!cmp.Equal(messages(r), []string{"property locationId should not exist"}) {
		t.Errorf("update with locationId: %d %s", r.status, r.raw)
	}
	if r := e.do("PUT", "/links/"+id, e.acme, m{"name": "Summer Promo"}); r.status != 422 {
		t.Errorf("update without redirectTo: %d", r.status)
	}
	renamed := m{"name": "Summer Promo", "redirectTo": "https://a.example"}
	up := sub(e.must(201, "PUT", "/links/"+id, e.acme, renamed), "link")
	if up["name"] != "Summer Promo" || up["fieldKey"] != link["fieldKey"] {
		t.Errorf("updated: %v", up)
	}
	links := e.getList("/links?locationId="+AcmeDentalID, e.acme, "links")
	if len(links) != 3 {
		t.Errorf("%d links, want 3", len(links))
	}
	found := e.getList("/links/search?locationId="+AcmeDentalID+"&query=summer", e.acme,
		"links")
	if len(found) != 1 {
		t.Errorf("search found %d", len(found))
	}
	if r := e.do("GET", "/links/", e.acme, nil); r.status != 422 {
		t.Errorf("list without locationId: %d", r.status)
	}
	if del := e.must(201, "DELETE", "/links/"+id, e.acme, nil); del["succeded"] != true {
		t.Errorf("delete answered %v", del)
	}
}

func TestBusinesses(t *testing.T) {
	e := quiet(t)
	r := e.must(201, "POST", "/businesses/", e.acme, m{
		"name": "Acme Ortho LLC", "locationId": AcmeDentalID, "city": "Round Rock",
		"website": "https://ortho.example",
	})
	if r["success"] != true || r["buiseness"] == nil || r["business"] != nil {
		t.Fatalf("create answered %v", r)
	}
	b := sub(r, "buiseness")
	id := b["id"].(string)
	for _, k := range []string{"createdAt", "updatedAt", "createdBy", "updatedBy"} {
		if b[k] == nil {
			t.Errorf("created business lacks %s", k)
		}
	}
	if r := e.do("PUT", "/businesses/"+id, e.acme, m{"locationId": AcmeDentalID}); r.status != 422 {
		t.Errorf("update with locationId: %d", r.status)
	}
	up := e.must(200, "PUT", "/businesses/"+id, e.acme, m{"city": "Austin"})
	ub := sub(up, "buiseness")
	if up["success"] != true || ub["city"] != "Austin" || ub["name"] != "Acme Ortho LLC" ||
		ub["website"] != "https://ortho.example" {
		t.Errorf("partial update: %v", up)
	}
	got := sub(e.must(200, "GET", "/businesses/"+id, e.acme, nil), "business")
	if got["city"] != "Austin" {
		t.Errorf("get: %v", got)
	}
	all := e.getList("/businesses/?locationId="+AcmeDentalID+"&limit=1&skip=1", e.acme, "businesses")
	if len(all) != 1 || all[0].(map[string]any)["id"] != id {
		t.Errorf("second page: %v", all)
	}
	if del := e.must(200, "DELETE", "/businesses/"+id, e.acme, nil); del["success"] != true {
		t.Errorf("delete answered %v", del)
	}
}
