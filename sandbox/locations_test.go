package sandbox

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLocationLifecycle(t *testing.T) {
	e := quiet(t)
	created := e.must(200, "POST", "/locations/", e.agency, m{
		"name": "Delta Dental Care", "companyId": DemoCompanyID, "city": "Houston", "country": "US",
		"timezone": "America/Chicago", "prospectInfo": m{"firstName": "Ana", "lastName": "Diaz",
			"email": "ana@delta.example"}, "settings": m{"allowDuplicateContact": true},
	})
	id, _ := created["id"].(string)
	if len(id) != 20 || created["name"] != "Delta Dental Care" || created["location"] != nil {
		t.Fatalf("create answered %v, want the unwrapped location", created)
	}
	settings := sub(created, "settings")
	if created["email"] != "ana@delta.example" || settings["allowDuplicateContact"] != true {
		t.Errorf("prospectInfo or settings not applied: %v", created)
	}

	toks := e.srv.Tokens()
	var token string
	for _, l := range toks.Locations {
		if l.ID == id {
			token = l.Token
		}
	}
	if token == "" {
		t.Fatal("no token for the new location")
	}
	got := sub(e.must(200, "GET", "/locations/"+id, token, nil), "location")
	if got["city"] != "Houston" || got["companyId"] != DemoCompanyID {
		t.Errorf("own location with its token: %v", got)
	}
	e.must(200, "GET", "/locations/"+id+"/tags", token, nil)

	if r := e.do("PUT", "/locations/"+id, e.agency, m{"city": "Dallas"}); r.status != 422 ||
		!cmp.Equal(messages(r), []string{"companyId should not be empty", "companyId must be a string"}) {
		t.Errorf("update without companyId: %d %s", r.status, r.raw)
	}
	up := e.must(200, "PUT", "/locations/"+id, e.agency,
		m{"companyId": DemoCompanyID, "city": "Dallas"})
	if up["city"] != "Dallas" || up["name"] != "Delta Dental Care" ||
		up["timezone"] != "America/Chicago" {
		t.Errorf("partial update: %v", up)
	}
	for _, field := range []string{"snapshotId", "email"} {
		body := m{"companyId": DemoCompanyID, field: "x"}
		if r := e.do("PUT", "/locations/"+id, e.agency, body); r.status != 422 {
			t.Errorf("%s on update: %d", field, r.status)
		}
	}

	if r := e.do("DELETE", "/locations/"+id, e.agency, nil); r.status != 422 {
		t.Errorf("delete without deleteTwilioAccount: %d", r.status)
	}
	del := e.must(200, "DELETE", "/locations/"+id+"?deleteTwilioAccount=false", e.agency, nil)
	if del["success"] != true || del["message"] != "Deleted location with id: "+id {
		t.Errorf("delete answered %v", del)
	}
	if r := e.do("GET", "/locations/"+id+"/tags", token, nil); r.status != 401 {
		t.Errorf("token of a deleted location: %d, want 401", r.status)
	}
}

func TestLocationGetMatchesRecordedKeys(t *testing.T) {
	e := quiet(t)
	loc := sub(e.must(200, "GET", "/locations/"+AcmeDentalID, e.acme, nil), "location")
	for _, k := range []string{
		"id", "brandId", "companyId", "name", "address", "city", "state", "country", "postalCode",
		"website", "timezone", "firstName", "lastName", "email", "phone", "logoUrl",
		"automaticMobileAppInvite", "business", "social", "settings", "dateAdded", "domain", "currency",
		"isAgencySubAccount", "defaultEmailService", "permissions", "snapshotId",
	} {
		if _, has := loc[k]; !has {
			t.Errorf("location lacks %s", k)
		}
	}
	if sub(loc, "settings")["saasSettings"] == nil || loc["timezone"] != "America/Chicago" {
		t.Errorf("location: %v", loc)
	}
}

func TestLocationSearchPages(t *testing.T) {
	e := quiet(t)
	for i := range 12 {
		body := m{"name": fmt.Sprintf("Branch %02d", i), "companyId": DemoCompanyID}
		e.must(200, "POST", "/locations", e.agency, body)
	}
	search := func(q string) []any {
		return e.getList("/locations/search?companyId="+DemoCompanyID+q, e.agency,
			"locations")
	}
	first, rest := search(""), search("&skip=10&limit=10")
	if len(first) != 10 || len(rest) != 5 {
		t.Errorf("pages of %d and %d, want 10 and 5", len(first), len(rest))
	}
	if first[0].(map[string]any)["id"] != AcmeDentalID {
		t.Errorf("oldest first: %v", first[0])
	}
	if desc := search("&order=desc&limit=1"); desc[0].(map[string]any)["name"] != "Branch 11" {
		t.Errorf("desc: %v", desc)
	}
	if byMail := search("&email=hello@bayside.example"); len(byMail) != 1 {
		t.Errorf("email filter found %d", len(byMail))
	}
	if _, has := first[0].(map[string]any)["snapshotId"]; has {
		t.Error("search items carry snapshotId")
	}
	if r := e.do("GET", "/locations/search?limit=ten", e.agency, nil); r.status != 422 {
		t.Errorf("non-numeric limit: %d", r.status)
	}
}

func TestLocationCreateValidation(t *testing.T) {
	e := quiet(t)
	r := e.do("POST", "/locations/", e.agency,
		m{"country": "USA", "prospectInfo": m{"firstName": "A"}})
	want := []string{
		"name should not be empty", "name must be a string",
		"companyId should not be empty", "companyId must be a string",
		"country must be one of the following values: " + joinComma(countries),
		"prospectInfo.lastName must be a string", "prospectInfo.email must be a string",
	}
	if diff := cmp.Diff(want, messages(r)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	foreign := m{"name": "X", "companyId": "other0000000000000001"}
	if r := e.do("POST", "/locations/", e.agency, foreign); r.status != 403 {
		t.Errorf("foreign company: %d", r.status)
	}
}

func joinComma(items []string) string {
	out := ""
	for i, s := range items {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}
