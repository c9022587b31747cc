package contract

import (
	"encoding/json"
	"fmt"
	"regexp"
)

// commonFile is where the documents expect the shared error schemas.
const commonFile = "common/common-schemas.json"

// commonSchemas stands in for common/common-schemas.json of the published
// API documents, which every document refers to for its error answers but
// which is not in the folder. The shapes are those the notes give for the
// shared error bodies.
const commonSchemas = `{
  "openapi": "3.0.0",
  "info": {"title": "common schemas", "version": "1"},
  "paths": {},
  "components": {"schemas": {
    "BadRequestDTO": {"type": "object", "properties": {
      "statusCode": {"type": "number"}, "message": {"type": "string"}}},
    "UnauthorizedDTO": {"type": "object", "properties": {
      "statusCode": {"type": "number"}, "message": {"type": "string"},
      "error": {"type": "string"}}},
    "UnprocessableDTO": {"type": "object", "properties": {
      "statusCode": {"type": "number"},
      "message": {"type": "array", "items": {"type": "string"}},
      "error": {"type": "string"}}}
  }}
}`

var localRef = regexp.MustCompile(`"\$ref"\s*:\s*"#/components/schemas/([^"]+)"`)

// withCommonSchemas mends a defect of links.json: two of its operations
// refer to "#/components/schemas/BadRequestDTO" (and UnauthorizedDTO), which
// only the common file defines. The missing schemas are copied in.
func withCommonSchemas(data []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return data, nil // not JSON: let the loader say what is wrong
	}
	components, _ := doc["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	var common struct {
		Components struct{ Schemas map[string]any }
	}
	if err := json.Unmarshal([]byte(commonSchemas), &common); err != nil {
		return nil, fmt.Errorf("common schemas: %w", err)
	}
	mended := false
	for _, m := range localRef.FindAllSubmatch(data, -1) {
		name := string(m[1])
		if _, has := schemas[name]; has || common.Components.Schemas[name] == nil || schemas == nil {
			continue
		}
		schemas[name] = common.Components.Schemas[name]
		mended = true
	}
	if !mended {
		return data, nil
	}
	return json.Marshal(doc)
}
