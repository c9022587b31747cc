package sandbox

import "strings"

// link is a trigger link. Its fieldKey comes from the id, not the name.
type link struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	RedirectTo string `json:"redirectTo"`
	LocationID string `json:"locationId"`
}

func (l *link) view() obj {
	return obj{
		"id": l.ID, "name": l.Name, "redirectTo": l.RedirectTo,
		"fieldKey": "{{trigger_link." + l.ID + "}}", "locationId": l.LocationID,
	}
}

var (
	createLinkBody = schema{
		pString("locationId").filled(), pString("name").filled(), pString("redirectTo").filled(),
	}
	// updateLinkBody has no locationId: a link never moves.
	updateLinkBody = createLinkBody.without("locationId")
	linkListQuery  = schema{pString("locationId").filled()}
)

func linkRoutes() []route {
	return []route{
		{method: "GET", path: "/links", auth: locationToken, query: linkListQuery, handle: listLinks},
		{method: "POST", path: "/links", auth: locationToken, body: createLinkBody, handle: createLink},
		{method: "GET", path: "/links/id/{linkId}", auth: locationToken,
			query: linkListQuery, handle: getLink},
		{method: "GET", path: "/links/search", auth: locationToken, handle: searchLinks,
			query: linkListQuery.with(pString("query"), pNumber("skip"), pNumber("limit"))},
		{method: "PUT", path: "/links/{linkId}", auth: locationToken,
			body: updateLinkBody, handle: updateLink},
		{method: "DELETE", path: "/links/{linkId}", auth: locationToken, handle: deleteLink},
	}
}

func listLinks(c *call) response {
	a, fail := c.account(c.query.Get("locationId"))
	if fail != nil {
		return *fail
	}
	items := make([]any, len(a.Links))
	for i, l := range a.Links {
		items[i] = l.view()
	}
	return ok(obj{"links": items})
}

// searchLinks matches the query against names, 20 to a page by default.
func searchLinks(c *call) response {
	a, fail := c.account(c.query.Get("locationId"))
	if fail != nil {
		return *fail
	}
	q := strings.ToLower(c.query.Get("query"))
	items := []any{}
	for _, l := range a.Links {
		if strings.Contains(strings.ToLower(l.Name), q) {
			items = append(items, l.view())
		}
	}
	skip, limit, fail := c.page(20)
	if fail != nil {
		return *fail
	}
	return ok(obj{"links": window(items, skip, limit)})
}

// createLink answers 201, as every link write does.
func createLink(c *call) response {
	a, fail := c.account(str(c.body, "locationId"))
	if fail != nil {
		return *fail
	}
	l := &link{
		ID: c.db.newID(), Name: str(c.body, "name"), RedirectTo: str(c.body, "redirectTo"),
		LocationID: a.Location.ID,
	}
	a.Links = append(a.Links, l)
	return created(obj{"link": l.view()})
}

// findLink finds a link by id in any location, then checks the caller owns it.
func (c *call) findLink() (*account, *link, *response) {
	for _, a := range c.db.Accounts {
		for _, l := range a.Links {
			if l.ID == c.param("linkId") {
				if fail := c.own(a.Location.ID); fail != nil {
					return nil, nil, fail
				}
				return c.uses(a), l, nil
			}
		}
	}
	nf := notFound("Link")
	return nil, nil, &nf
}

func getLink(c *call) response {
	_, l, fail := c.findLink()
	if fail != nil {
		return *fail
	}
	return ok(obj{"link": l.view()})
}

func updateLink(c *call) response {
	_, l, fail := c.findLink()
	if fail != nil {
		return *fail
	}
	l.Name, l.RedirectTo = str(c.body, "name"), str(c.body, "redirectTo")
	return created(obj{"link": l.view()})
}

func deleteLink(c *call) response {
	a, l, fail := c.findLink()
	if fail != nil {
		return *fail
	}
	a.Links = removeByID(a.Links, l.ID, func(l *link) string { return l.ID })
	return created(obj{"succeded": true})
}
