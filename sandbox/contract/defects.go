package contract

import (
	"github.com/getkin/kin-openapi/openapi3"
)

// defect is a place where a published document is wrong, with the evidence.
// fix corrects a document and reports whether the defect was in it.
type defect struct {
	evidence string
	fix      func(doc *openapi3.T) bool
}

// defects are the corrections applied to the published documents. Each is
// proven by the recorded traffic in ../shared/recorded-highlevel (file named)
// or, where said, by the wire-format notes beside it. Two more need no
// correction here: no answer schema declares the traceId every answer
// carries, nor the many extra fields of a location, and answers are checked
// leniently anyway; and links.json refers to error schemas it lacks, which
// withCommonSchemas mends while the document is read.
var defects = []defect{
	{"create-custom-field.json: POST customFields answers 200, not 201",
		moveStatus("/locations/{locationId}/customFields", "POST", "201", "200")},
	{"create-custom-value.json: POST customValues answers 200, not 201",
		moveStatus("/locations/{locationId}/customValues", "POST", "201", "200")},
	{"delete-custom-value.json: DELETE customValues answers {succeeded}, spelled correctly",
		answerWith("/locations/{locationId}/customValues/{id}", "DELETE", "200",
			object(map[string]*openapi3.Schema{"succeeded": openapi3.NewBoolSchema()}))},
	{"notes §1.6: DELETE calendar answers {message, calendar} with the stored document",
		answerWith("/calendars/{calendarId}", "DELETE", "200", object(map[string]*openapi3.Schema{
			"message": openapi3.NewStringSchema(), "calendar": openapi3.NewObjectSchema(),
		}))},
	{"create-calendar.json, list-calendars.json: an unset openHours is {}, not an array",
		alsoObject("CalendarDTO", "openHours")},
	{"create-calendar.json: the Version header takes any value (2021-07-28 on calendar routes)",
		anyVersion},
	{"notes §4.2: custom fields accept options, parentId, fieldKey and description",
		withProperties(map[string]*openapi3.Schema{
			"options":     openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()),
			"parentId":    openapi3.NewStringSchema(),
			"fieldKey":    openapi3.NewStringSchema(),
			"description": openapi3.NewStringSchema(),
		}, "CreateCustomFieldsDTO", "UpdateCustomFieldsDTO")},
	{"notes §11: a user's scopes are an array of strings, not one string",
		replaceProperty("scopes", openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()),
			"UserSchema", "UserSuccessfulResponseDto")},
}

// correct applies the known defects, then makes request bodies strict. It
// returns the evidence of each defect it found in the document.
func correct(doc *openapi3.T) []string {
	var found []string
	for _, d := range defects {
		if d.fix(doc) {
			found = append(found, d.evidence)
		}
	}
	strictRequests(doc)
	return found
}

func operation(doc *openapi3.T, path, method string) *openapi3.Operation {
	item := doc.Paths.Value(path)
	if item == nil {
		return nil
	}
	return item.GetOperation(method)
}

// moveStatus documents an answer under the status the server really uses.
func moveStatus(path, method, from, to string) func(*openapi3.T) bool {
	return func(doc *openapi3.T) bool {
		op := operation(doc, path, method)
		if op == nil || op.Responses.Value(from) == nil {
			return false
		}
		op.Responses.Set(to, op.Responses.Value(from))
		op.Responses.Delete(from)
		return true
	}
}

// answerWith replaces the JSON schema of one answer.
func answerWith(path, method, status string, schema *openapi3.Schema) func(*openapi3.T) bool {
	return func(doc *openapi3.T) bool {
		op := operation(doc, path, method)
		if op == nil {
			return false
		}
		op.Responses.Set(status, &openapi3.ResponseRef{Value: openapi3.NewResponse().
			WithDescription("Successful response, as recorded").WithJSONSchema(schema)})
		return true
	}
}

func object(props map[string]*openapi3.Schema) *openapi3.Schema {
	s := openapi3.NewObjectSchema()
	for name, p := range props {
		s.WithProperty(name, p)
		s.Required = append(s.Required, name)
	}
	return s
}

// alsoObject lets a property be an object as well as what it was declared.
func alsoObject(schema, property string) func(*openapi3.T) bool {
	return func(doc *openapi3.T) bool {
		s := doc.Components.Schemas[schema]
		if s == nil || s.Value.Properties[property] == nil {
			return false
		}
		declared := s.Value.Properties[property]
		s.Value.Properties[property] = &openapi3.SchemaRef{Value: &openapi3.Schema{
			AnyOf: openapi3.SchemaRefs{declared, {Value: openapi3.NewObjectSchema()}},
		}}
		return true
	}
}

// replaceProperty gives a property of answers the type the server really uses.
func replaceProperty(property string, with *openapi3.Schema,
	schemas ...string) func(*openapi3.T) bool {
	return func(doc *openapi3.T) bool {
		found := false
		for _, name := range schemas {
			if s := doc.Components.Schemas[name]; s != nil && s.Value.Properties[property] != nil {
				s.Value.Properties[property] = &openapi3.SchemaRef{Value: with}
				found = true
			}
		}
		return found
	}
}

// withProperties declares properties the server accepts without documenting them.
func withProperties(props map[string]*openapi3.Schema, schemas ...string) func(*openapi3.T) bool {
	return func(doc *openapi3.T) bool {
		found := false
		for _, name := range schemas {
			s := doc.Components.Schemas[name]
			if s == nil {
				continue
			}
			for p, schema := range props {
				s.Value.WithProperty(p, schema)
			}
			found = true
		}
		return found
	}
}

// anyVersion drops the per-endpoint enum of the Version header.
func anyVersion(doc *openapi3.T) bool {
	found := false
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil && p.Value.In == openapi3.ParameterInHeader && p.Value.Name == "Version" &&
					p.Value.Schema != nil {
					relaxed := *p.Value.Schema.Value
					relaxed.Enum = nil
					p.Value.Schema = &openapi3.SchemaRef{Value: &relaxed}
					found = true
				}
			}
		}
	}
	return found
}
