package sandbox

import (
	"slices"
	"strconv"
	"strings"
)

// location is a sub-account's own settings.
type location struct {
	ID         string            `json:"id"`
	CompanyID  string            `json:"companyId"`
	BrandID    string            `json:"brandId"`
	Fields     map[string]string `json:"fields"` // name, phone, address, ... (locationStrings)
	Settings   map[string]bool   `json:"settings"`
	Social     map[string]string `json:"social"`
	SnapshotID string            `json:"snapshotId"`
	DateAdded  string            `json:"dateAdded"`
}

// locationStrings are the plain string fields of a location, in the order
// the server answers them.
var locationStrings = []string{
	"name", "address", "city", "state", "country", "postalCode", "website", "timezone",
	"firstName", "lastName", "email", "phone", "logoUrl",
}

var settingKeys = []string{
	"allowDuplicateContact", "allowDuplicateOpportunity", "allowFacebookNameMerge",
	"disableContactTimezone",
}

var socialKeys = []string{
	"facebookUrl", "googlePlus", "linkedIn", "foursquare", "twitter", "yelp", "instagram", "youtube",
	"pinterest", "blogRss", "googlePlacesId",
}

// countries is the ISO 3166 list the location DTOs accept, in the spec's order.
var countries = strings.Fields(`
AF AX AL DZ AS AD AO AI AQ AG AR AM AW AU AT AZ BS BH BD BB BY BE BZ BJ BM BT BO BA BW BV BR IO
BN BG BF BI KH CM CA CV KY CF TD CL CN CX CC CO KM CG CD CK CR CI HR CU CY CZ DK DJ DM DO EC EG
SV GQ ER EE ET FK FO FJ FI FR GF PF TF GA GM GE DE GH GI GR GL GD GP GU GT GG GN GW GY HT HM VA
HN HK HU IS IN ID IR IQ IE IM IL IT JM JP JE JO KZ KE KI KP KR XK KW KG LA LV LB LS LR LY LI LT
LU MO MK MG MW MY MV ML MT MH MQ MR MU YT MX FM MD MC MN ME MS MA MZ MM NA NR NP NL AN NC NZ NI
NE NG NU NF MP NO OM PK PW PS PA PG PY PE PH PN PL PT PR QA RE RO RU RW SH KN LC MF PM VC WS SM
ST SA SN RS SC SL SG SX SK SI SB SO ZA GS ES LK SD SR SJ SZ SE CH SY TW TJ TZ TH TL TG TK TO TT
TN TR TM TC TV UG GB UA AE US UM UY UZ VU VE VN VG VI WF EH YE ZM ZW`)

func stringProps(names ...string) schema {
	s := make(schema, len(names))
	for i, n := range names {
		s[i] = pString(n)
	}
	return s
}

func boolProps(names ...string) schema {
	s := make(schema, len(names))
	for i, n := range names {
		s[i] = pBool(n)
	}
	return s
}

func anyOf(values []string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// createLocationBody is CreateLocationDto.
var createLocationBody = schema{
	pString("name").filled(), pString("phone"), pString("companyId").filled(),
	pString("address"), pString("city"), pString("state"),
	pString("country").oneOf(anyOf(countries)...),
	pString("postalCode"), pString("website"), pString("timezone"),
	pObject("prospectInfo",
		pString("firstName").req(), pString("lastName").req(), pString("email").req()),
	pObject("settings", boolProps(settingKeys...)...),
	pObject("social", stringProps(socialKeys...)...),
	pObject("twilio", pString("sid").req(), pString("authToken").req()),
	pObject("mailgun", pString("apiKey").req(), pString("domain").req()),
	pString("snapshotId"),
}

// updateLocationBody is UpdateLocationDto: name optional, snapshot instead
// of snapshotId.
var updateLocationBody = createLocationBody.without("name", "snapshotId").with(
	pString("name").notBlank(),
	pObject("snapshot", pString("id").req(), pBool("override")),
)

func locationRoutes() []route {
	return []route{
		{method: "POST", path: "/locations", auth: agencyToken,
			body: createLocationBody, handle: createLocation},
		{method: "GET", path: "/locations/search", auth: agencyToken, handle: searchLocations,
			query: stringProps("companyId", "skip", "limit", "order", "email")},
		{method: "GET", path: "/locations/{locationId}", auth: eitherToken, handle: getLocation},
		{method: "PUT", path: "/locations/{locationId}", auth: agencyToken, body: updateLocationBody,
			handle: updateLocation},
		{method: "DELETE", path: "/locations/{locationId}", auth: agencyToken, handle: deleteLocation,
			query: schema{pBool("deleteTwilioAccount").req()}},
	}
}

func createLocation(c *call) response {
	if fail := c.ownCompany(str(c.body, "companyId")); fail != nil {
		return *fail
	}
	loc := location{
		ID: c.db.newID(), CompanyID: c.db.Company.ID, BrandID: c.db.newID(),
		Fields: map[string]string{}, Settings: map[string]bool{}, Social: map[string]string{},
		DateAdded: c.stamp(),
	}
	loc.apply(c.body)
	c.db.addAccount(&account{Location: loc, Token: newToken(), FolderID: c.db.newID()})
	return ok(loc.summary())
}

// apply writes the given properties of a create or update body: a partial
// update, nested settings and social links merged key by key.
func (l *location) apply(body map[string]any) {
	for _, k := range locationStrings {
		if v, isString := body[k].(string); isString {
			l.Fields[k] = v
		}
	}
	if p, isObject := body["prospectInfo"].(map[string]any); isObject {
		for _, k := range []string{"firstName", "lastName", "email"} {
			l.Fields[k] = str(p, k)
		}
	}
	if m, isObject := body["settings"].(map[string]any); isObject {
		for k, v := range m {
			l.Settings[k], _ = v.(bool)
		}
	}
	if m, isObject := body["social"].(map[string]any); isObject {
		for k, v := range m {
			l.Social[k], _ = v.(string)
		}
	}
	if id, isString := body["snapshotId"].(string); isString {
		l.SnapshotID = id
	}
	if snap, isObject := body["snapshot"].(map[string]any); isObject {
		l.SnapshotID = str(snap, "id")
	}
}

func getLocation(c *call) response {
	a, fail := c.account(c.param("locationId"))
	if fail != nil {
		return *fail
	}
	return ok(obj{"location": a.Location.detail()})
}

func updateLocation(c *call) response {
	if fail := c.ownCompany(str(c.body, "companyId")); fail != nil {
		return *fail
	}
	a, fail := c.account(c.param("locationId"))
	if fail != nil {
		return *fail
	}
	a.Location.apply(c.body)
	return ok(a.Location.summary())
}

func deleteLocation(c *call) response {
	id := c.param("locationId")
	if _, fail := c.account(id); fail != nil {
		return *fail
	}
	delete(c.db.Accounts, id)
	for _, u := range c.db.Users {
		u.LocationIDs = slices.DeleteFunc(u.LocationIDs, func(l string) bool { return l == id })
	}
	return ok(obj{"success": true, "message": "Deleted location with id: " + id})
}

// searchLocations pages through the agency's sub-accounts by skip and limit
// (strings, limit 10 by default), oldest first unless order=desc. The answer
// has no total, as on the real server.
func searchLocations(c *call) response {
	if id := c.query.Get("companyId"); id != "" {
		if fail := c.ownCompany(id); fail != nil {
			return *fail
		}
	}
	skip, limit, fail := c.page(10)
	if fail != nil {
		return *fail
	}
	all := c.db.sortedAccounts()
	if c.query.Get("order") == "desc" {
		slices.Reverse(all)
	}
	email := strings.ToLower(c.query.Get("email"))
	items := []any{}
	for _, a := range all {
		if email == "" || strings.ToLower(a.Location.Fields["email"]) == email {
			items = append(items, a.Location.searchItem())
		}
	}
	return ok(obj{"locations": window(items, skip, limit)})
}

// page reads the skip and limit query parameters, numbers sent as strings.
func (c *call) page(defaultLimit int) (skip, limit int, fail *response) {
	read := func(name string, def int) int {
		v := c.query.Get(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			r := unprocessable([]string{name + " must be a number string"})
			fail = &r
		}
		return n
	}
	skip, limit = read("skip", 0), read("limit", defaultLimit)
	return skip, limit, fail
}

// window returns items[skip:skip+limit], clamped.
func window(items []any, skip, limit int) []any {
	if skip >= len(items) {
		return []any{}
	}
	return items[skip:min(len(items), skip+limit)]
}

func (l *location) text(k string) string { return l.Fields[k] }

func (l *location) settings() obj {
	out := obj{}
	for _, k := range settingKeys {
		out[k] = l.Settings[k]
	}
	return out
}

func (l *location) social() obj {
	out := obj{}
	for _, k := range socialKeys {
		out[k] = l.Social[k]
	}
	return out
}

// summary is the unwrapped location that create and update answer.
func (l *location) summary() obj {
	out := obj{
		"id": l.ID, "companyId": l.CompanyID, "domain": "",
		"settings": l.settings(), "social": l.social(),
	}
	for _, k := range []string{
		"name", "phone", "email", "address", "city", "state", "country", "postalCode", "website",
		"timezone",
	} {
		out[k] = l.text(k)
	}
	if out["country"] == "" {
		// An unset country is left out: "" is not one of the country codes
		// the answer's schema allows.
		delete(out, "country")
	}
	return out
}

// searchItem is one location as the search lists it: no snapshotId, no
// dateUpdated.
func (l *location) searchItem() obj {
	out := l.summary()
	delete(out, "domain")
	out["firstName"], out["lastName"] = l.text("firstName"), l.text("lastName")
	out["business"] = l.business()
	out["dateAdded"] = l.DateAdded
	return out
}

// business is the business profile the location answers with; the sandbox
// keeps it in step with the location's own fields.
func (l *location) business() obj {
	out := obj{}
	for _, k := range []string{"name", "address", "city", "state", "country", "postalCode", "website",
		"timezone", "email"} {
		out[k] = l.text(k)
	}
	return out
}

// detail is the location as GET /locations/{id} answers it, with the fields
// the recorded traffic shows beyond the spec.
func (l *location) detail() obj {
	out := obj{
		"id": l.ID, "brandId": l.BrandID, "companyId": l.CompanyID,
		"automaticMobileAppInvite": false, "business": l.business(), "social": l.social(),
		"dateAdded": l.DateAdded, "domain": "", "currency": "", "isAgencySubAccount": false,
		"defaultEmailService": "", "permissions": locationPermissions(), "snapshotId": l.SnapshotID,
	}
	for _, k := range locationStrings {
		out[k] = l.text(k)
	}
	settings := l.settings()
	settings["contactUniqueIdentifiers"] = []any{"email", "phone"}
	settings["crmSettings"] = obj{
		"deSyncOwners": true, "syncFollowers": obj{"contact": true, "opportunity": true},
	}
	settings["saasSettings"] = obj{
		"saasMode": "not_activated", "twilioRebilling": obj{"markup": 10, "enabled": false},
	}
	out["settings"] = settings
	return out
}

// locationPermissions are the feature switches of a sub-account; the sandbox
// has every feature on.
func locationPermissions() obj {
	out := obj{}
	for _, k := range strings.Fields(`
		dashboardStatsEnabled funnelsEnabled phoneCallEnabled formsEnabled quizzesEnabled
		textToPayEnabled gmbMessagingEnabled htmlBuilderEnabled contactsEnabled tagsEnabled
		botServiceEnabled websitesEnabled appointmentsEnabled proposalsEnabled qrCodesEnabled
		webChatEnabled facebookMessengerEnabled launchpadEnabled affiliateManagerEnabled
		gmbCallTrackingEnabled marketingEnabled emailBuilderEnabled attributionsReportingEnabled
		triggerLinksEnabled membershipEnabled settingsEnabled surveysEnabled opportunitiesEnabled
		reviewsEnabled smsEmailTemplatesEnabled facebookAdsReportingEnabled adManagerEnabled
		bloggingEnabled workflowsEnabled campaignsEnabled conversationsEnabled
		adwordsReportingEnabled bulkRequestsEnabled agentReportingEnabled triggersEnabled`) {
		out[k] = true
	}
	return out
}

// str returns m[k] when it is a string, else "".
func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}
