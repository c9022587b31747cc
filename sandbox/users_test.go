package sandbox

import (
	"testing"
)

func TestUserSearch(t *testing.T) {
	e := quiet(t)
	search := func(token, q string) map[string]any {
		return e.must(200, "GET", "/users/search?companyId="+DemoCompanyID+q, token, nil)
	}
	all := search(e.agency, "")
	if all["count"] != 12.0 || len(list(all, "users")) != 12 {
		t.Errorf("all users: count %v, %d listed", all["count"], len(list(all, "users")))
	}
	acme := search(e.agency, "&locationId="+AcmeDentalID)
	if acme["count"] != 4.0 {
		t.Errorf("acme users: %v", acme["count"])
	}
	own := search(e.acme, "")
	if own["count"] != 4.0 {
		t.Errorf("a sub-account token sees %v users, want its 4", own["count"])
	}
	fuzzy := search(e.acme, "&query=HYGIEN")
	if fuzzy["count"] != 2.0 {
		t.Errorf("query HYGIEN matched %v", fuzzy["count"])
	}
	byName := search(e.agency, "&query=lopez")
	u := list(byName, "users")[0].(map[string]any)
	roles := sub(u, "roles")
	if u["email"] != "dr.lopez@acme.example" || roles["locationIds"].([]any)[0] != AcmeDentalID {
		t.Errorf("user: %v", u)
	}
	page := search(e.agency, "&skip=10&limit=3")
	if page["count"] != 12.0 || len(list(page, "users")) != 2 {
		t.Errorf("page: count %v, %d listed", page["count"], len(list(page, "users")))
	}
	other := "/users/search?companyId=" + DemoCompanyID + "&locationId=" + BaysideFitnessID
	if r := e.do("GET", other, e.acme, nil); r.status != 403 {
		t.Errorf("other location's users: %d", r.status)
	}
	if r := e.do("GET", "/users/search", e.agency, nil); r.status != 422 {
		t.Errorf("without companyId: %d", r.status)
	}
	listed := e.getList("/users/?locationId="+AcmeDentalID, e.acme, "users")
	if len(listed) != 4 {
		t.Errorf("GET /users/: %d users", len(listed))
	}
	one := e.must(200, "GET", "/users/"+u["id"].(string), e.acme, nil)
	if one["email"] != "dr.lopez@acme.example" {
		t.Errorf("GET /users/{id}: %v", one)
	}
}
