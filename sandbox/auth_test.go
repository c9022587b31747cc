package sandbox

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAuthentication(t *testing.T) {
	e := quiet(t)
	acmeTags := "/locations/" + AcmeDentalID + "/tags"
	bayTags := "/locations/" + BaysideFitnessID + "/tags"
	tests := []struct {
		name         string
		method, path string
		token        string
		body         any
		status       int
		want         map[string]any // expected body, traceId aside
	}{
		{name: "no token", method: "GET", path: acmeTags, status: 401,
			want: m{"statusCode": 401.0, "message": msgInvalidJWT, "error": "Unauthorized"}},
		{name: "unknown token", method: "GET", path: acmeTags, token: "pit-nope", status: 401,
			want: m{"statusCode": 401.0, "message": msgInvalidJWT, "error": "Unauthorized"}},
		{name: "agency token on a sub-account route", method: "GET", path: acmeTags,
			token: e.agency, status: 401,
			want: m{"statusCode": 401.0, "message": msgWrongClass, "error": "Unauthorized"}},
		{name: "sub-account token on an agency route", method: "GET", token: e.acme, status: 401,
			path: "/locations/search?companyId=" + DemoCompanyID,
			want: m{"statusCode": 401.0, "message": msgWrongClass, "error": "Unauthorized"}},
		{name: "sub-account token creating a location", method: "POST", path: "/locations/",
			token: e.acme, body: m{"name": "X", "companyId": DemoCompanyID}, status: 401,
			want: m{"statusCode": 401.0, "message": msgWrongClass, "error": "Unauthorized"}},
		{name: "foreign location in the path", method: "GET", path: bayTags, token: e.acme, status: 403,
			want: m{"statusCode": 403.0, "message": msgNoLocation, "error": "Forbidden"}},
		{name: "foreign location in the query", method: "GET", token: e.acme, status: 403,
			path: "/calendars/?locationId=" + BaysideFitnessID,
			want: m{"statusCode": 403.0, "message": msgNoLocation, "error": "Forbidden"}},
		{name: "foreign location in the body", method: "POST", path: "/links/",
			token: e.acme, status: 403,
			body: m{"locationId": BaysideFitnessID, "name": "x", "redirectTo": "https://x.example"},
			want: m{"statusCode": 403.0, "message": msgNoLocation, "error": "Forbidden"}},
		{name: "other location read by id", method: "GET", path: "/locations/" + BaysideFitnessID,
			token: e.acme, status: 403,
			want: m{"statusCode": 403.0, "message": msgNoLocation, "error": "Forbidden"}},
		{name: "foreign company", method: "GET", path: "/users/search?companyId=someoneElse00000001",
			token: e.agency, status: 403,
			want: m{"statusCode": 403.0, "message": msgNoCompany, "error": "Forbidden"}},
		{name: "unknown route", method: "GET", path: "/nothing/here", token: e.acme, status: 404,
			want: m{"statusCode": 404.0, "message": "Cannot GET /nothing/here", "error": "Not Found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.method, tt.path, tt.token, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.raw)
			}
			if _, ok := r.body["traceId"].(string); !ok {
				t.Errorf("no traceId in %s", r.raw)
			}
			delete(r.body, "traceId")
			if diff := cmp.Diff(tt.want, r.body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestForeignObjectsByID(t *testing.T) {
	e := quiet(t)
	cals := e.getList("/calendars/?locationId="+BaysideFitnessID, e.bay, "calendars")
	calID := cals[0].(map[string]any)["id"].(string)
	links := e.getList("/links/?locationId="+BaysideFitnessID, e.bay, "links")
	linkID := links[0].(map[string]any)["id"].(string)
	biz := e.getList("/businesses/?locationId="+BaysideFitnessID, e.bay, "businesses")
	bizID := biz[0].(map[string]any)["id"].(string)
	for _, path := range []string{
		"/calendars/" + calID, "/links/id/" + linkID + "?locationId=" + BaysideFitnessID,
		"/businesses/" + bizID,
	} {
		if r := e.do("GET", path, e.acme, nil); r.status != 403 {
			t.Errorf("GET %s with another location's token: %d, want 403", path, r.status)
		}
	}
	for _, path := range []string{"/calendars/" + calID, "/links/" + linkID, "/businesses/" + bizID} {
		if r := e.do("DELETE", path, e.acme, nil); r.status != 403 {
			t.Errorf("DELETE %s with another location's token: %d, want 403", path, r.status)
		}
	}
	if r := e.do("GET", "/calendars/"+calID, e.bay, nil); r.status != 200 {
		t.Errorf("owner cannot read its calendar: %d", r.status)
	}
}

func TestUnknownIDs(t *testing.T) {
	e := quiet(t)
	acme := "/locations/" + AcmeDentalID
	for _, path := range []string{
		acme + "/tags/nope", acme + "/customFields/nope", acme + "/customValues/nope",
		"/calendars/nope", "/businesses/nope",
	} {
		r := e.do("GET", path, e.acme, nil)
		if r.status != 404 || r.body["statusCode"] != 404.0 || r.body["message"] == nil {
			t.Errorf("GET %s: %d %s, want a 404 body", path, r.status, r.raw)
		}
	}
	if r := e.do("GET", "/locations/nope00000000000000000", e.agency, nil); r.status != 404 {
		t.Errorf("unknown location with the agency token: %d, want 404", r.status)
	}
}

func TestAnyVersionHeaderAccepted(t *testing.T) {
	e := quiet(t)
	for _, v := range []string{"2021-04-15", "2021-07-28", "2023-02-21", ""} {
		r := e.doVersion("GET", "/calendars/?locationId="+AcmeDentalID, e.acme, v)
		if r != 200 {
			t.Errorf("Version %q: %d", v, r)
		}
	}
}
