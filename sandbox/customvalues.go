package sandbox

// customValue is a location-wide merge value. Its fieldKey
// ("{{ custom_values.<slug> }}", spaces inside the braces) is derived from
// the name when it is created and kept on rename.
type customValue struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	FieldKey   string `json:"fieldKey"`
	Value      string `json:"value"`
	LocationID string `json:"locationId"`
}

func (v *customValue) view() obj {
	return obj{
		"id": v.ID, "name": v.Name, "fieldKey": v.FieldKey, "value": v.Value,
		"locationId": v.LocationID, "documentType": "field",
	}
}

// customValueBody serves create and update alike: both need name and value.
var customValueBody = schema{pString("name").filled(), pString("value").req()}

const valuesPath = "/locations/{locationId}/customValues"

func customValueRoutes() []route {
	return []route{
		{method: "GET", path: valuesPath, auth: locationToken, handle: listValues},
		{method: "POST", path: valuesPath, auth: locationToken,
			body: customValueBody, handle: createValue},
		{method: "GET", path: valuesPath + "/{id}", auth: locationToken, handle: getValue},
		{method: "PUT", path: valuesPath + "/{id}", auth: locationToken, body: customValueBody,
			handle: updateValue},
		{method: "DELETE", path: valuesPath + "/{id}", auth: locationToken, handle: deleteValue},
	}
}

func valueKey(name string) string { return "{{ custom_values." + slug(name) + " }}" }

func listValues(c *call) response {
	a, fail := c.account(c.param("locationId"))
	if fail != nil {
		return *fail
	}
	items := make([]any, len(a.CustomValues))
	for i, v := range a.CustomValues {
		items[i] = v.view()
	}
	return ok(obj{"customValues": items})
}

func createValue(c *call) response {
	a, fail := c.account(c.param("locationId"))
	if fail != nil {
		return *fail
	}
	name := str(c.body, "name")
	if slug(name) == "" {
		return badRequest("Cannot derive a key from the name %q", name)
	}
	key := valueKey(name)
	for _, v := range a.CustomValues {
		if v.FieldKey == key {
			return badRequest("%s already exists", key)
		}
	}
	v := &customValue{
		ID: c.db.newID(), Name: name, FieldKey: key, Value: str(c.body, "value"),
		LocationID: a.Location.ID,
	}
	a.CustomValues = append(a.CustomValues, v)
	return ok(obj{"customValue": v.view()})
}

func (c *call) findValue() (*account, *customValue, *response) {
	a, fail := c.account(c.param("locationId"))
	if fail != nil {
		return nil, nil, fail
	}
	for _, v := range a.CustomValues {
		if v.ID == c.param("id") {
			return a, v, nil
		}
	}
	nf := notFound("Custom value")
	return nil, nil, &nf
}

func getValue(c *call) response {
	_, v, fail := c.findValue()
	if fail != nil {
		return *fail
	}
	return ok(obj{"customValue": v.view()})
}

func updateValue(c *call) response {
	_, v, fail := c.findValue()
	if fail != nil {
		return *fail
	}
	v.Name, v.Value = str(c.body, "name"), str(c.body, "value")
	return ok(obj{"customValue": v.view()})
}

// deleteValue answers "succeeded", spelled correctly, unlike the other
// deletes and unlike the spec: the recorded traffic shows it so.
func deleteValue(c *call) response {
	a, v, fail := c.findValue()
	if fail != nil {
		return *fail
	}
	a.CustomValues = removeByID(a.CustomValues, v.ID, func(v *customValue) string { return v.ID })
	return ok(obj{"succeeded": true})
}
