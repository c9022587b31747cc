package sandbox

import (
	"slices"
	"strings"
)

// user is a member of the agency. It belongs to the locations listed in its
// role; agency users may belong to none.
type user struct {
	ID          string   `json:"id"`
	FirstName   string   `json:"firstName"`
	LastName    string   `json:"lastName"`
	Email       string   `json:"email"`
	Phone       string   `json:"phone"`
	Type        string   `json:"type"` // "account" or "agency"
	Role        string   `json:"role"` // "admin" or "user"
	LocationIDs []string `json:"locationIds"`
	DateAdded   string   `json:"dateAdded"`
}

func (u *user) name() string { return strings.TrimSpace(u.FirstName + " " + u.LastName) }

func (u *user) view() obj {
	return obj{
		"id": u.ID, "name": u.name(), "firstName": u.FirstName, "lastName": u.LastName, "email": u.Email,
		"phone": u.Phone, "extension": "", "permissions": userPermissions(), "scopes": []any{},
		"roles": obj{
			"type": u.Type, "role": u.Role, "locationIds": anyOf(u.LocationIDs), "restrictSubAccount": false,
		},
		"deleted": false, "lcPhone": obj{},
	}
}

// userPermissions are the spec's defaults for a user's feature switches.
func userPermissions() obj {
	out := obj{}
	off := []string{"campaignsReadOnly", "workflowsReadOnly", "websitesEnabled", "assignedDataOnly",
		"adwordsReportingEnabled", "membershipEnabled", "facebookAdsReportingEnabled",
		"attributionsReportingEnabled", "botService"}
	for _, k := range strings.Fields(`
		campaignsEnabled campaignsReadOnly contactsEnabled workflowsEnabled workflowsReadOnly
		triggersEnabled funnelsEnabled websitesEnabled opportunitiesEnabled dashboardStatsEnabled
		bulkRequestsEnabled appointmentsEnabled reviewsEnabled onlineListingsEnabled phoneCallEnabled
		conversationsEnabled assignedDataOnly adwordsReportingEnabled membershipEnabled
		facebookAdsReportingEnabled attributionsReportingEnabled settingsEnabled tagsEnabled
		leadValueEnabled marketingEnabled agentReportingEnabled botService socialPlanner
		bloggingEnabled invoiceEnabled affiliateManagerEnabled contentAiEnabled refundsEnabled
		recordPaymentEnabled cancelSubscriptionEnabled paymentsEnabled communitiesEnabled
		exportPaymentsEnabled`) {
		out[k] = !slices.Contains(off, k)
	}
	return out
}

var userSearchQuery = append(schema{pString("companyId").filled()},
	append(stringProps("query", "skip", "limit", "locationId", "type", "role", "ids", "sort",
		"sortDirection"), pBool("enabled2waySync"))...)

func userRoutes() []route {
	return []route{
		{method: "GET", path: "/users/search", auth: eitherToken,
			query: userSearchQuery, handle: searchUsers},
		{method: "GET", path: "/users", auth: locationToken, handle: listUsers,
			query: schema{pString("locationId").filled()}},
		{method: "GET", path: "/users/{userId}", auth: eitherToken, handle: getUser},
	}
}

// searchUsers filters the company's users; a sub-account token sees only
// its own location's. query is a case-insensitive substring match on name,
// email and phone. count is the number of matches before paging.
func searchUsers(c *call) response {
	if fail := c.ownCompany(c.query.Get("companyId")); fail != nil {
		return *fail
	}
	skip, limit, fail := c.page(25)
	if fail != nil {
		return *fail
	}
	matches := []*user{}
	for _, u := range c.db.Users {
		if c.userMatches(u) {
			matches = append(matches, u)
		}
	}
	sortUsers(matches, c.query.Get("sort"), c.query.Get("sortDirection"))
	items := make([]any, len(matches))
	for i, u := range matches {
		items[i] = u.view()
	}
	return ok(obj{"users": window(items, skip, limit), "count": len(matches)})
}

func (c *call) userMatches(u *user) bool {
	q := c.query
	location := q.Get("locationId")
	if c.who.class == locationToken {
		location = c.who.locationID
	}
	if location != "" && !slices.Contains(u.LocationIDs, location) {
		return false
	}
	for filter, value := range map[string]string{"type": u.Type, "role": u.Role} {
		if want := q.Get(filter); want != "" && want != value {
			return false
		}
	}
	if ids := q.Get("ids"); ids != "" && !slices.Contains(strings.Split(ids, ","), u.ID) {
		return false
	}
	text := strings.ToLower(q.Get("query"))
	fields := []string{u.name(), u.Email, u.Phone}
	return text == "" || slices.ContainsFunc(fields, func(s string) bool {
		return strings.Contains(strings.ToLower(s), text)
	})
}

// sortUsers orders by dateAdded (the default) or by name, email, firstName
// or lastName.
func sortUsers(users []*user, by, direction string) {
	key := func(u *user) string {
		switch by {
		case "name":
			return strings.ToLower(u.name())
		case "email":
			return strings.ToLower(u.Email)
		case "firstName":
			return strings.ToLower(u.FirstName)
		case "lastName":
			return strings.ToLower(u.LastName)
		}
		return u.DateAdded
	}
	slices.SortStableFunc(users, func(a, b *user) int { return compareStrings(key(a), key(b)) })
	if direction == "desc" {
		slices.Reverse(users)
	}
}

// listUsers is the deprecated per-location list.
func listUsers(c *call) response {
	a, fail := c.account(c.query.Get("locationId"))
	if fail != nil {
		return *fail
	}
	items := []any{}
	for _, u := range c.db.usersOf(a.Location.ID) {
		items = append(items, u.view())
	}
	return ok(obj{"users": items})
}

// getUser answers the user unwrapped. A sub-account token sees only users
// of its location.
func getUser(c *call) response {
	for _, u := range c.db.Users {
		if u.ID != c.param("userId") {
			continue
		}
		if c.who.class == locationToken && !slices.Contains(u.LocationIDs, c.who.locationID) {
			return forbidden(msgNoLocation)
		}
		return ok(u.view())
	}
	return notFound("User")
}
