package spec

import (
	"encoding/json"
	"fmt"
)

// schemaID names the manifest schema.
const schemaID = "https://github.com/northwind/ghlctl/schema/manifest-v1.json"

// obj is a JSON Schema object under construction.
type obj = map[string]any

// Schema returns the JSON Schema (draft 2020-12) of a manifest document, for
// editors. It is generated from the same field tables Load checks against,
// with one $defs entry per document kind and per resource kind.
//
// Only a resource's name is required by the schema: a Location's entry may
// complete an entry of one of its blueprints, so the other required fields
// and the rules between fields that need them are left to Load.
func Schema() ([]byte, error) {
	defs := obj{
		"credentials": credentialsSchema(),
		"labels":      obj{"type": "object", "additionalProperties": obj{"type": "string"}},
		"Agency":      agencySchema(),
		"Location":    locationSchema(),
		"Blueprint":   blueprintSchema(),
	}
	for kind, ks := range kindSpecs {
		defs[kind] = entrySchema(ks)
	}
	root := obj{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         schemaID,
		"title":       "ghlctl manifest",
		"description": "One document of a ghlctl manifest: an Agency, a Location or a Blueprint.",
		"type":        "object",
		"required":    []string{"apiVersion", "kind"},
		"oneOf":       []any{ref("Agency"), ref("Location"), ref("Blueprint")},
		"$defs":       defs,
	}
	out, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("build the manifest schema: %w", err)
	}
	return append(out, '\n'), nil
}

func ref(def string) obj { return obj{"$ref": "#/$defs/" + def} }

// document is the schema of a document of kind with the given metadata and spec.
func document(kind string, meta, spec obj, specRequired bool) obj {
	required := []string{"apiVersion", "kind"}
	if specRequired {
		required = append(required, "spec")
	}
	if _, ok := meta["required"]; ok {
		required = append(required, "metadata")
	}
	return closed(obj{
		"apiVersion": obj{"const": APIVersion},
		"kind":       obj{"const": kind},
		"metadata":   meta,
		"spec":       spec,
	}, required...)
}

// closed is an object schema that refuses properties it does not list.
func closed(props obj, required ...string) obj {
	s := obj{"type": "object", "additionalProperties": false, "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func credentialsSchema() obj {
	s := closed(obj{
		"tokenEnv": obj{"type": "string", "pattern": identRe.String(),
			"description": "Environment variable holding the token."},
		"matonConnection": obj{"type": "string",
			"description": "Gateway connection id naming the token."},
	})
	s["oneOf"] = []any{obj{"required": []string{"tokenEnv"}}, obj{"required": []string{"matonConnection"}}}
	return s
}

func agencySchema() obj {
	meta := closed(obj{"name": obj{"type": "string"}, "labels": ref("labels")})
	spec := closed(obj{"companyId": obj{"type": "string"}, "credentials": ref("credentials")},
		"companyId", "credentials")
	return document(DocAgency, meta, spec, true)
}

// lists adds the resource lists to spec properties; null manages a kind
// with no entries.
func lists(props obj) obj {
	for _, kind := range ListKinds {
		props[kind] = obj{"type": []string{"array", "null"}, "items": ref(kind)}
	}
	props["settings"] = ref(KindSettings)
	return props
}

func locationSchema() obj {
	meta := closed(obj{
		"name":   obj{"type": "string", "pattern": addressRe.String(), "maxLength": 63},
		"labels": ref("labels"),
	}, "name")
	scalars := obj{"type": []string{"string", "number", "boolean"}}
	use := closed(obj{
		"name": obj{"type": "string"},
		"vars": obj{"type": []string{"object", "null"}, "additionalProperties": scalars},
	}, "name")
	spec := closed(lists(obj{
		"id": obj{"type": "string",
			"description": "Binds the Location to an existing sub-account."},
		"credentials": ref("credentials"),
		"blueprints":  obj{"type": "array", "items": use},
	}))
	return document(DocLocation, meta, spec, false)
}

func blueprintSchema() obj {
	meta := closed(obj{"name": obj{"type": "string"}, "labels": ref("labels")}, "name")
	decl := closed(obj{
		"required":    obj{"type": "boolean"},
		"default":     obj{"type": []string{"string", "number", "boolean"}},
		"description": obj{"type": "string"},
	})
	decl["type"] = []string{"object", "null"}
	spec := closed(lists(obj{
		"selector": ref("labels"),
		"vars": obj{"type": "object", "additionalProperties": decl,
			"propertyNames": obj{"pattern": identRe.String()}},
	}))
	return document(DocBlueprint, meta, spec, false)
}

// entrySchema is the schema of one entry of a kind.
func entrySchema(ks *kindSpec) obj {
	props := obj{}
	for _, f := range ks.fields {
		props[f.name] = fieldSchema(f)
	}
	for _, m := range ks.meta {
		props[m] = obj{"type": "boolean"}
	}
	if _, ok := props["id"]; ok {
		props["id"] = obj{"type": "string", "description": "Binds the entry to this live object."}
	}
	var required []string
	if ks.kind != KindSettings {
		required = []string{"name"}
	}
	s := closed(props, required...)
	if rules := schemaRules[ks.kind]; rules != nil {
		s["allOf"] = rules
	}
	if ks.kind == KindSettings {
		s["type"] = []string{"object", "null"}
	}
	if ks.nameOnly {
		return obj{"oneOf": []any{obj{"type": "string", "pattern": `\S`}, s}}
	}
	return s
}

// fieldSchema is the schema of one field's value.
func fieldSchema(f *field) obj {
	s := obj{}
	if f.doc != "" {
		s["description"] = f.doc
	}
	switch f.typ {
	case typeString:
		stringSchema(f, s)
	case typeNumber, typeInteger:
		s["type"] = map[fieldType]string{typeNumber: "number", typeInteger: "integer"}[f.typ]
		if f.numEnum != nil {
			s["enum"] = f.numEnum
		}
		if f.min != nil {
			s["minimum"] = *f.min
		}
		if f.max != nil {
			s["maximum"] = *f.max
		}
	case typeBool:
		s["type"] = "boolean"
	case typeList:
		s["type"], s["items"] = "array", fieldSchema(f.elem)
	case typeObject:
		return objectSchema(f, s)
	case typeMap:
		s["type"] = "object"
	}
	return s
}

func stringSchema(f *field, s obj) {
	s["type"] = "string"
	if f.scalar {
		s["type"] = []string{"string", "number", "boolean"}
	}
	if f.enum != nil {
		s["enum"] = f.enum
	}
	if f.pattern != nil {
		s["pattern"] = f.pattern.String()
	}
	if f.format != "" {
		s["format"] = f.format
	}
}

func objectSchema(f *field, s obj) obj {
	props := obj{}
	var required []string
	for _, sub := range f.fields {
		props[sub.name] = fieldSchema(sub)
		if sub.required {
			required = append(required, sub.name)
		}
	}
	out := closed(props, required...)
	for k, v := range s {
		out[k] = v
	}
	if f.name == "" && fieldIn(f.fields, "userId") != nil {
		out["oneOf"] = []any{obj{"required": []string{"email"}}, obj{"required": []string{"userId"}}}
	}
	return out
}

// schemaRules are the rules between fields the schema can state: they hold
// whenever the fields they name are present.
var schemaRules = map[string][]any{
	KindCustomFields: {
		obj{
			"if": obj{"required": []string{"dataType"},
				"properties": obj{"dataType": obj{"enum": optionTypes}}},
			"then": obj{"required": []string{"options"}, "properties": obj{"options": obj{"minItems": 1}}},
		},
		obj{
			"if": obj{"required": []string{"dataType"},
				"properties": obj{"dataType": obj{"not": obj{"enum": optionTypes}}}},
			"then": obj{"not": obj{"required": []string{"options"}}},
		},
	},
	KindCalendars: {
		obj{
			"if": obj{"required": []string{"calendarType"},
				"properties": obj{"calendarType": obj{"const": "personal"}}},
			"then": obj{"properties": obj{"teamMembers": obj{"minItems": 1, "maxItems": 1}}},
		},
		obj{
			"if": obj{"required": []string{"calendarType"},
				"properties": obj{"calendarType": obj{"enum": typesWithMembers}}},
			"then": obj{"properties": obj{"teamMembers": obj{"minItems": 1}}},
		},
	},
}
