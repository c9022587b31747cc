package sandbox

import (
	"slices"
	"strings"
	"unicode"
)

// customField is a contact or opportunity custom field. Its fieldKey is
// derived from the name when it is created and never changes after.
type customField struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	Model              string   `json:"model"`
	FieldKey           string   `json:"fieldKey"`
	Placeholder        string   `json:"placeholder"`
	DataType           string   `json:"dataType"`
	Position           float64  `json:"position"`
	ParentID           string   `json:"parentId"`
	LocationID         string   `json:"locationId"`
	DateAdded          string   `json:"dateAdded"`
	Options            []string `json:"picklistOptions,omitempty"`
	Description        string   `json:"description,omitempty"`
	AcceptedFormat     []string `json:"acceptedFormat,omitempty"`
	IsMultipleFile     bool     `json:"isMultipleFile,omitempty"`
	MaxNumberOfFiles   float64  `json:"maxNumberOfFiles,omitempty"`
	TextBoxListOptions []any    `json:"textBoxListOptions,omitempty"`
}

// dataTypes are the field types the server knows.
var dataTypes = []any{
	"TEXT", "LARGE_TEXT", "NUMERICAL", "PHONE", "MONETORY", "CHECKBOX", "SINGLE_OPTIONS",
	"MULTIPLE_OPTIONS", "DATE", "TEXTBOX_LIST", "FILE_UPLOAD", "RADIO", "EMAIL", "SIGNATURE",
}

// optionTypes are the types whose options are read back as picklistOptions.
var optionTypes = []string{"CHECKBOX", "SINGLE_OPTIONS", "MULTIPLE_OPTIONS", "RADIO"}

// createFieldBody is CreateCustomFieldsDTO plus what the server accepts
// without documenting it: options, parentId, fieldKey and description.
var createFieldBody = schema{
	pString("name").filled(), pString("dataType").filled().oneOf(dataTypes...),
	pString("placeholder"), pStrings("acceptedFormat"), pBool("isMultipleFile"),
	pNumber("maxNumberOfFiles"),
	pList("textBoxListOptions", pString("label"), pString("prefillValue")),
	pNumber("position"), pString("model").oneOf("contact", "opportunity"),
	pStrings("options"), pString("parentId"), pString("fieldKey"), pString("description"),
}

// updateFieldBody is the same minus dataType: a type never changes.
var updateFieldBody = createFieldBody.without("dataType")

const fieldsPath = "/locations/{locationId}/customFields"

func customFieldRoutes() []route {
	return []route{
		{method: "GET", path: fieldsPath, auth: locationToken, handle: listFields,
			query: schema{pString("model").oneOf("contact", "opportunity", "all")}},
		{method: "POST", path: fieldsPath, auth: locationToken,
			body: createFieldBody, handle: createField},
		{method: "GET", path: fieldsPath + "/{id}", auth: locationToken, handle: getField},
		{method: "PUT", path: fieldsPath + "/{id}", auth: locationToken, body: updateFieldBody,
			handle: updateField},
		{method: "DELETE", path: fieldsPath + "/{id}", auth: locationToken, handle: deleteField},
	}
}

// slug is how the server turns a name into a key: lowercase, each run of
// whitespace an underscore, anything outside [a-z0-9_] dropped.
func slug(name string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case space:
			b.WriteByte('_')
		}
		space = false
		if r == '_' || ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func listFields(c *call) response {
	a, fail := c.account(c.param("locationId"))
	if fail != nil {
		return *fail
	}
	model := c.query.Get("model")
	fields := slices.Clone(a.CustomFields)
	slices.SortStableFunc(fields, func(x, y *customField) int {
		switch {
		case x.Position < y.Position:
			return -1
		case x.Position > y.Position:
			return 1
		}
		return 0
	})
	items := []any{}
	for _, f := range fields {
		if model == "" || model == "all" || model == f.Model {
			items = append(items, f.view(false))
		}
	}
	return ok(obj{"customFields": items})
}

func createField(c *call) response {
	a, fail := c.account(c.param("locationId"))
	if fail != nil {
		return *fail
	}
	model := str(c.body, "model")
	if model == "" {
		model = "contact"
	}
	key, fail := a.newFieldKey(model, str(c.body, "name"), str(c.body, "fieldKey"))
	if fail != nil {
		return *fail
	}
	f := &customField{
		ID: c.db.newID(), Model: model, FieldKey: key, DataType: str(c.body, "dataType"),
		ParentID: a.FolderID, LocationID: a.Location.ID, DateAdded: c.stamp(),
	}
	if p := str(c.body, "parentId"); p != "" {
		f.ParentID = p
	}
	f.Position = a.nextPosition(f.ParentID)
	f.apply(c.body)
	a.CustomFields = append(a.CustomFields, f)
	return ok(obj{"customField": f.view(true)})
}

// newFieldKey derives the key of a new field, or takes the one the client
// sent (prefixed with the model when it lacks it), and checks it is free.
func (a *account) newFieldKey(model, name, given string) (string, *response) {
	key := model + "." + slug(name)
	if given != "" {
		key = given
		if !strings.HasPrefix(given, model+".") {
			key = model + "." + given
		}
	}
	if strings.HasSuffix(key, ".") {
		fail := badRequest("Cannot derive a field key from the name %q", name)
		return "", &fail
	}
	for _, f := range a.CustomFields {
		if f.FieldKey == key {
			fail := badRequest("%s already exists", key)
			return "", &fail
		}
	}
	return key, nil
}

// nextPosition puts a new field after the last one of its folder, in the
// steps of 50 the server uses.
func (a *account) nextPosition(parentID string) float64 {
	last := 0.0
	for _, f := range a.CustomFields {
		if f.ParentID == parentID {
			last = max(last, f.Position)
		}
	}
	return last + 50
}

// apply writes the properties a create or update body may set. A position
// the client sends wins over the assigned one.
func (f *customField) apply(body map[string]any) {
	if name, isString := body["name"].(string); isString {
		f.Name = name
	}
	if v, isString := body["placeholder"].(string); isString {
		f.Placeholder = v
	}
	if v, isString := body["description"].(string); isString {
		f.Description = v
	}
	if v, isNumber := body["position"].(float64); isNumber {
		f.Position = v
	}
	if v, isBool := body["isMultipleFile"].(bool); isBool {
		f.IsMultipleFile = v
	}
	if v, isNumber := body["maxNumberOfFiles"].(float64); isNumber {
		f.MaxNumberOfFiles = v
	}
	if v, isList := body["textBoxListOptions"].([]any); isList {
		f.TextBoxListOptions = v
	}
	if v, isList := body["acceptedFormat"].([]any); isList {
		f.AcceptedFormat = toStrings(v)
	}
	if v, isList := body["options"].([]any); isList {
		f.Options = toStrings(v)
	}
}

// toStrings converts a validated []any of strings.
func toStrings(items []any) []string {
	out := make([]string, len(items))
	for i, v := range items {
		out[i], _ = v.(string)
	}
	return out
}

// view renders the field; a single field (not a list item) also has scopes.
func (f *customField) view(single bool) obj {
	out := obj{
		"id": f.ID, "model": f.Model, "name": f.Name, "fieldKey": f.FieldKey,
		"placeholder": f.Placeholder, "dataType": f.DataType, "position": f.Position,
		"documentType": "field", "parentId": f.ParentID, "locationId": f.LocationID,
		"dateAdded": f.DateAdded, "standard": false,
	}
	if single {
		out["scopes"] = []any{}
	}
	if slices.Contains(optionTypes, f.DataType) {
		out["picklistOptions"] = anyOf(f.Options)
	}
	if f.Description != "" {
		out["description"] = f.Description
	}
	if f.DataType == "FILE_UPLOAD" {
		out["isMultiFileAllowed"] = f.IsMultipleFile
		out["maxFileLimit"] = f.MaxNumberOfFiles
		out["acceptedFormat"] = anyOf(f.AcceptedFormat)
	}
	if f.DataType == "TEXTBOX_LIST" {
		out["textBoxListOptions"] = append([]any{}, f.TextBoxListOptions...)
	}
	return out
}

// findField returns the field the path names, by id or by fieldKey.
func (c *call) findField() (*account, *customField, *response) {
	a, fail := c.account(c.param("locationId"))
	if fail != nil {
		return nil, nil, fail
	}
	id := c.param("id")
	for _, f := range a.CustomFields {
		if f.ID == id || f.FieldKey == id {
			return a, f, nil
		}
	}
	nf := notFound("Custom field")
	return nil, nil, &nf
}

func getField(c *call) response {
	_, f, fail := c.findField()
	if fail != nil {
		return *fail
	}
	return ok(obj{"customField": f.view(true)})
}

// updateField renames and edits a field; the fieldKey and the model stay as
// they were created. Moving a field to another folder puts it last there.
func updateField(c *call) response {
	a, f, fail := c.findField()
	if fail != nil {
		return *fail
	}
	if p := str(c.body, "parentId"); p != "" && p != f.ParentID {
		f.Position = a.nextPosition(p)
		f.ParentID = p
		delete(c.body, "position")
	}
	f.apply(c.body)
	return ok(obj{"customField": f.view(true)})
}

func deleteField(c *call) response {
	a, f, fail := c.findField()
	if fail != nil {
		return *fail
	}
	a.CustomFields = removeByID(a.CustomFields, f.ID, func(f *customField) string { return f.ID })
	return ok(obj{"succeded": true})
}
