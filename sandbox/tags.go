package sandbox

import "strings"

// tag is a location tag. Its name is stored the way the server stores it:
// trimmed and lowercased.
type tag struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	LocationID string `json:"locationId"`
}

func (t *tag) view() obj { return obj{"id": t.ID, "name": t.Name, "locationId": t.LocationID} }

var tagBody = schema{pString("name").filled()}

const tagsPath = "/locations/{locationId}/tags"

func tagRoutes() []route {
	return []route{
		{method: "GET", path: tagsPath, auth: locationToken, handle: listTags},
		{method: "POST", path: tagsPath, auth: locationToken, body: tagBody, handle: createTag},
		{method: "GET", path: tagsPath + "/{tagId}", auth: locationToken, handle: getTag},
		{method: "PUT", path: tagsPath + "/{tagId}", auth: locationToken,
			body: tagBody, handle: updateTag},
		{method: "DELETE", path: tagsPath + "/{tagId}", auth: locationToken, handle: deleteTag},
	}
}

// normalTagName is how the server stores a tag name.
func normalTagName(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

func listTags(c *call) response {
	a, fail := c.account(c.param("locationId"))
	if fail != nil {
		return *fail
	}
	items := make([]any, len(a.Tags))
	for i, t := range a.Tags {
		items[i] = t.view()
	}
	return ok(obj{"tags": items})
}

func createTag(c *call) response {
	a, fail := c.account(c.param("locationId"))
	if fail != nil {
		return *fail
	}
	name, fail := a.freeTagName(str(c.body, "name"), "")
	if fail != nil {
		return *fail
	}
	t := &tag{ID: c.db.newID(), Name: name, LocationID: a.Location.ID}
	a.Tags = append(a.Tags, t)
	return ok(obj{"tag": t.view()})
}

// freeTagName normalises a name and checks no other tag (than self) has it.
func (a *account) freeTagName(raw, self string) (string, *response) {
	name := normalTagName(raw)
	if name == "" {
		fail := unprocessable([]string{"name should not be empty"})
		return "", &fail
	}
	for _, t := range a.Tags {
		if t.Name == name && t.ID != self {
			fail := badRequest("Tag already exists")
			return "", &fail
		}
	}
	return name, nil
}

// findTag returns the location and the tag the path names.
func (c *call) findTag() (*account, *tag, *response) {
	a, fail := c.account(c.param("locationId"))
	if fail != nil {
		return nil, nil, fail
	}
	for _, t := range a.Tags {
		if t.ID == c.param("tagId") {
			return a, t, nil
		}
	}
	nf := notFound("Tag")
	return nil, nil, &nf
}

func getTag(c *call) response {
	_, t, fail := c.findTag()
	if fail != nil {
		return *fail
	}
	return ok(obj{"tag": t.view()})
}

func updateTag(c *call) response {
	a, t, fail := c.findTag()
	if fail != nil {
		return *fail
	}
	name, fail := a.freeTagName(str(c.body, "name"), t.ID)
	if fail != nil {
		return *fail
	}
	t.Name = name
	return ok(obj{"tag": t.view()})
}

func deleteTag(c *call) response {
	a, t, fail := c.findTag()
	if fail != nil {
		return *fail
	}
	a.Tags = removeByID(a.Tags, t.ID, func(t *tag) string { return t.ID })
	return ok(obj{"succeded": true})
}

// removeByID returns items without the one whose id is given.
func removeByID[T any](items []*T, id string, idOf func(*T) string) []*T {
	out := items[:0]
	for _, it := range items {
		if idOf(it) != id {
			out = append(out, it)
		}
	}
	clear(items[len(out):])
	return out
}
