package sandbox

// group is a calendar group. Its slug is unique within the location.
type group struct {
	ID          string `json:"id"`
	LocationID  string `json:"locationId"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Slug        string `json:"slug"`
	IsActive    bool   `json:"isActive"`
}

func (g *group) view() obj {
	return obj{
		"id": g.ID, "locationId": g.LocationID, "name": g.Name, "description": g.Description,
		"slug": g.Slug, "isActive": g.IsActive,
	}
}

var (
	createGroupBody = schema{
		pString("locationId").filled(), pString("name").filled(), pString("description").req(),
		pString("slug").filled(), pBool("isActive"),
	}
	// updateGroupBody: locationId never changes and isActive has its own endpoint.
	updateGroupBody = createGroupBody.without("locationId", "isActive")
)

const groupsPath = "/calendars/groups"

func groupRoutes() []route {
	return []route{
		{method: "GET", path: groupsPath, auth: locationToken, handle: listGroups,
			query: schema{pString("locationId").filled()}},
		{method: "POST", path: groupsPath, auth: locationToken,
			body: createGroupBody, handle: createGroup},
		{method: "POST", path: groupsPath + "/validate-slug", auth: locationToken, handle: validateSlug,
			body: schema{pString("locationId").filled(), pString("slug").filled()}},
		{method: "PUT", path: groupsPath + "/{groupId}", auth: locationToken, body: updateGroupBody,
			handle: updateGroup},
		{method: "PUT", path: groupsPath + "/{groupId}/status", auth: locationToken,
			body: schema{pBool("isActive").req()}, handle: setGroupStatus},
		{method: "DELETE", path: groupsPath + "/{groupId}", auth: locationToken, handle: deleteGroup},
	}
}

// group returns the location's group with the id, or nil.
func (a *account) group(id string) *group {
	for _, g := range a.Groups {
		if g.ID == id {
			return g
		}
	}
	return nil
}

// slugTaken reports whether another group (than self) of the location has the slug.
func (a *account) slugTaken(slug, self string) bool {
	for _, g := range a.Groups {
		if g.Slug == slug && g.ID != self {
			return true
		}
	}
	return false
}

func listGroups(c *call) response {
	a, fail := c.account(c.query.Get("locationId"))
	if fail != nil {
		return *fail
	}
	items := make([]any, len(a.Groups))
	for i, g := range a.Groups {
		items[i] = g.view()
	}
	return ok(obj{"groups": items})
}

func createGroup(c *call) response {
	a, fail := c.account(str(c.body, "locationId"))
	if fail != nil {
		return *fail
	}
	if a.slugTaken(str(c.body, "slug"), "") {
		return badRequest("Slug %s is already in use", str(c.body, "slug"))
	}
	active, isBool := c.body["isActive"].(bool)
	g := &group{
		ID: c.db.newID(), LocationID: a.Location.ID, Name: str(c.body, "name"),
		Description: str(c.body, "description"), Slug: str(c.body, "slug"), IsActive: active || !isBool,
	}
	a.Groups = append(a.Groups, g)
	return created(obj{"group": g.view()})
}

func validateSlug(c *call) response {
	a, fail := c.account(str(c.body, "locationId"))
	if fail != nil {
		return *fail
	}
	return ok(obj{"available": !a.slugTaken(str(c.body, "slug"), "")})
}

// findGroup finds a group by id in any location, then checks the caller owns it.
func (c *call) findGroup() (*account, *group, *response) {
	for _, a := range c.db.Accounts {
		if g := a.group(c.param("groupId")); g != nil {
			if fail := c.own(a.Location.ID); fail != nil {
				return nil, nil, fail
			}
			return c.uses(a), g, nil
		}
	}
	nf := notFound("Calendar group")
	return nil, nil, &nf
}

func updateGroup(c *call) response {
	a, g, fail := c.findGroup()
	if fail != nil {
		return *fail
	}
	if a.slugTaken(str(c.body, "slug"), g.ID) {
		return badRequest("Slug %s is already in use", str(c.body, "slug"))
	}
	g.Name, g.Description = str(c.body, "name"), str(c.body, "description")
	g.Slug = str(c.body, "slug")
	return ok(obj{"group": g.view()})
}

func setGroupStatus(c *call) response {
	_, g, fail := c.findGroup()
	if fail != nil {
		return *fail
	}
	g.IsActive, _ = c.body["isActive"].(bool)
	return ok(obj{"success": true})
}

// deleteGroup also takes the group's calendars out of it.
func deleteGroup(c *call) response {
	a, g, fail := c.findGroup()
	if fail != nil {
		return *fail
	}
	for _, cal := range a.Calendars {
		if cal.Doc["groupId"] == g.ID {
			delete(cal.Doc, "groupId")
		}
	}
	a.Groups = removeByID(a.Groups, g.ID, func(g *group) string { return g.ID })
	return ok(obj{"success": true})
}
