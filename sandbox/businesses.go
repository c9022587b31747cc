package sandbox

// business is a company record of a location (the CRM "Business" object).
type business struct {
	ID         string            `json:"id"`
	LocationID string            `json:"locationId"`
	Name       string            `json:"name"`
	Fields     map[string]string `json:"fields"` // the optional strings the client set
	CreatedAt  string            `json:"createdAt"`
	UpdatedAt  string            `json:"updatedAt"`
}

var businessStrings = []string{
	"phone", "email", "website", "address", "city", "postalCode", "state", "country", "description",
}

var (
	createBusinessBody = append(schema{pString("name").filled(), pString("locationId").filled()},
		stringProps(businessStrings...)...)
	// updateBusinessBody: everything optional, and no locationId.
	updateBusinessBody = append(schema{pString("name").notBlank()}, stringProps(businessStrings...)...)
)

func businessRoutes() []route {
	return []route{
		{method: "GET", path: "/businesses", auth: locationToken, handle: listBusinesses,
			query: schema{pString("locationId").filled(), pString("limit"), pString("skip")}},
		{method: "POST", path: "/businesses", auth: locationToken, body: createBusinessBody,
			handle: createBusiness},
		{method: "GET", path: "/businesses/{businessId}", auth: locationToken, handle: getBusiness},
		{method: "PUT", path: "/businesses/{businessId}", auth: locationToken, body: updateBusinessBody,
			handle: updateBusiness},
		{method: "DELETE", path: "/businesses/{businessId}", auth: locationToken, handle: deleteBusiness},
	}
}

// view renders the business. Reads also carry the (always empty, since the
// API cannot write them) custom fields.
func (b *business) view(read bool) obj {
	out := obj{
		"id": b.ID, "name": b.Name, "locationId": b.LocationID,
		"createdBy": b.actor(b.CreatedAt), "updatedBy": b.actor(b.UpdatedAt),
		"createdAt": b.CreatedAt, "updatedAt": b.UpdatedAt,
	}
	for k, v := range b.Fields {
		out[k] = v
	}
	if read {
		out["customFields"] = []any{}
	}
	return out
}

func (b *business) actor(when string) obj {
	return obj{"source": "INTEGRATION", "channel": "OAUTH", "timestamp": when}
}

func (b *business) apply(body map[string]any) {
	if name, isString := body["name"].(string); isString {
		b.Name = name
	}
	for _, k := range businessStrings {
		if v, isString := body[k].(string); isString {
			b.Fields[k] = v
		}
	}
}

// listBusinesses pages by skip and limit (strings, 100 by default).
func listBusinesses(c *call) response {
	a, fail := c.account(c.query.Get("locationId"))
	if fail != nil {
		return *fail
	}
	skip, limit, fail := c.page(100)
	if fail != nil {
		return *fail
	}
	items := make([]any, len(a.Businesses))
	for i, b := range a.Businesses {
		items[i] = b.view(true)
	}
	return ok(obj{"businesses": window(items, skip, limit)})
}

// createBusiness answers 201 with the object under "buiseness", misspelled
// as the spec has it.
func createBusiness(c *call) response {
	a, fail := c.account(str(c.body, "locationId"))
	if fail != nil {
		return *fail
	}
	b := &business{
		ID: c.db.newID(), LocationID: a.Location.ID, Fields: map[string]string{},
		CreatedAt: c.stamp(), UpdatedAt: c.stamp(),
	}
	b.apply(c.body)
	a.Businesses = append(a.Businesses, b)
	return created(obj{"success": true, "buiseness": b.view(false)})
}

// findBusiness finds a business by id in any location, then checks the
// caller owns it.
func (c *call) findBusiness() (*account, *business, *response) {
	for _, a := range c.db.Accounts {
		for _, b := range a.Businesses {
			if b.ID == c.param("businessId") {
				if fail := c.own(a.Location.ID); fail != nil {
					return nil, nil, fail
				}
				return c.uses(a), b, nil
			}
		}
	}
	nf := notFound("Business")
	return nil, nil, &nf
}

func getBusiness(c *call) response {
	_, b, fail := c.findBusiness()
	if fail != nil {
		return *fail
	}
	return ok(obj{"business": b.view(true)})
}

// updateBusiness is a partial update of the fields given.
func updateBusiness(c *call) response {
	_, b, fail := c.findBusiness()
	if fail != nil {
		return *fail
	}
	b.apply(c.body)
	b.UpdatedAt = c.stamp()
	return ok(obj{"success": true, "buiseness": b.view(false)})
}

func deleteBusiness(c *call) response {
	a, b, fail := c.findBusiness()
	if fail != nil {
		return *fail
	}
	a.Businesses = removeByID(a.Businesses, b.ID, func(b *business) string { return b.ID })
	return ok(obj{"success": true})
}
