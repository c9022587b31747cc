package contract

import "github.com/getkin/kin-openapi/openapi3"

// strictRequests makes every request body reject properties it does not
// declare, as the server's whitelisting validator does. The body schemas are
// copied first: they share component schemas with the answers, which stay
// lenient.
func strictRequests(doc *openapi3.T) {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			media := op.RequestBody.Value.Content.Get("application/json")
			if media == nil || media.Schema == nil {
				continue
			}
			body := *op.RequestBody.Value
			body.Content = openapi3.NewContentWithJSONSchema(strictCopy(media.Schema.Value, 0))
			op.RequestBody = &openapi3.RequestBodyRef{Value: &body}
		}
	}
}

// maxDepth bounds the copy of a (possibly recursive) schema.
const maxDepth = 16

// strictCopy copies a schema, closing every object that lists its
// properties. Wrappers without properties of their own (an allOf around a
// $ref, say) stay open: their members are closed instead.
func strictCopy(s *openapi3.Schema, depth int) *openapi3.Schema {
	if s == nil || depth > maxDepth {
		return s
	}
	c := *s
	if len(s.Properties) > 0 {
		c.Properties = make(openapi3.Schemas, len(s.Properties))
		for name, p := range s.Properties {
			c.Properties[name] = strictRef(p, depth)
		}
		if s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			c.AdditionalProperties = openapi3.AdditionalProperties{Has: openapi3.Ptr(false)}
		}
	}
	c.Items = strictRef(s.Items, depth)
	c.AllOf = strictRefs(s.AllOf, depth)
	c.AnyOf = strictRefs(s.AnyOf, depth)
	c.OneOf = strictRefs(s.OneOf, depth)
	return &c
}

func strictRef(r *openapi3.SchemaRef, depth int) *openapi3.SchemaRef {
	if r == nil {
		return nil
	}
	return &openapi3.SchemaRef{Value: strictCopy(r.Value, depth+1)}
}

func strictRefs(refs openapi3.SchemaRefs, depth int) openapi3.SchemaRefs {
	if refs == nil {
		return nil
	}
	out := make(openapi3.SchemaRefs, len(refs))
	for i, r := range refs {
		out[i] = strictRef(r, depth)
	}
	return out
}
