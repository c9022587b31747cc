package spec

import "regexp"

// The field tables describe every resource kind once. Decoding, validation
// and the JSON Schema are all read from them, so the three cannot drift apart.

// fieldType is the JSON type a field holds.
type fieldType int

const (
	typeString fieldType = iota
	typeNumber
	typeInteger
	typeBool
	typeList   // a list of elem
	typeObject // a map with the fields listed in fields
	typeMap    // a free map, passed through as given
)

// field describes one field of a resource, or of an object inside one.
type field struct {
	name     string
	typ      fieldType
	doc      string
	required bool
	enum     []string  // the allowed strings
	numEnum  []float64 // the allowed numbers
	min, max *float64
	// pattern constrains a string; patternDoc says in words what it wants.
	pattern    *regexp.Regexp
	patternDoc string
	format     string // a JSON Schema format, such as uri
	elem       *field
	fields     []*field
	// scalar lets a number or bool stand for a string, taken as written.
	scalar bool
}

// kindSpec describes one resource kind.
type kindSpec struct {
	kind   string
	fields []*field
	// meta are the entry-level keys that are not fields: id, sensitive,
	// preventDestroy.
	meta []string
	// nameOnly lets an entry be written as just its name, as tags are.
	nameOnly bool
	// defaults are filled in when the manifest omits the field.
	defaults map[string]any
	// local applies rules within the entry as written, before it is
	// normalised; check applies the rules between fields once blueprint
	// entries and the Location's own are merged.
	local func(c *checker)
	check func(c *checker)
}

func (k *kindSpec) field(name string) *field {
	for _, f := range k.fields {
		if f.name == name {
			return f
		}
	}
	return nil
}

func num(f float64) *float64 { return &f }

func str(name, doc string) *field { return &field{name: name, typ: typeString, doc: doc} }
func number(name, doc string) *field {
	return &field{name: name, typ: typeNumber, doc: doc, min: num(0)}
}
func boolean(name, doc string) *field { return &field{name: name, typ: typeBool, doc: doc} }

func oneOf(name, doc string, values ...string) *field {
	return &field{name: name, typ: typeString, doc: doc, enum: values}
}

func required(f *field) *field { f.required = true; return f }

func listOf(name, doc string, elem *field) *field {
	return &field{name: name, typ: typeList, doc: doc, elem: elem}
}

func object(name, doc string, fields ...*field) *field {
	return &field{name: name, typ: typeObject, doc: doc, fields: fields}
}

func integer(name, doc string, lo, hi float64) *field {
	return &field{name: name, typ: typeInteger, doc: doc, min: num(lo), max: num(hi)}
}

func link(name, doc string) *field {
	return &field{name: name, typ: typeString, doc: doc, format: "uri"}
}

var (
	addressRe   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	colorRe     = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
	fieldKeyRe  = regexp.MustCompile(`^(contact|opportunity)\.[a-z0-9_]+$`)
	slotUnits   = []string{"mins", "hours"}
	optionTypes = []string{"SINGLE_OPTIONS", "MULTIPLE_OPTIONS", "RADIO", "CHECKBOX"}
	dataTypes   = []string{
		"TEXT", "LARGE_TEXT", "NUMERICAL", "PHONE", "MONETORY", "CHECKBOX", "SINGLE_OPTIONS",
		"MULTIPLE_OPTIONS", "DATE", "TEXTBOX_LIST", "FILE_UPLOAD", "RADIO", "EMAIL",
	}
	calendarTypes = []string{
		"round_robin", "event", "class_booking", "collective", "service_booking", "personal",
	}
)

// nameField is the name every resource has.
func nameField(doc string) *field { return required(str("name", doc)) }

var settingsSpec = &kindSpec{
	kind: KindSettings,
	fields: []*field{
		str("name", "The sub-account's business name; matches it when spec.id is not given."),
		str("phone", "Phone number with country code."),
		str("email", "Business email."),
		str("address", "Street address."),
		str("city", "City."),
		str("state", "State or region."),
		{name: "postalCode", typ: typeString, doc: "Postal code.", scalar: true},
		{name: "country", typ: typeString, enum: countries,
			doc: "ISO-3166 alpha-2 country code, upper-case."},
		link("website", "Website URL."),
		str("timezone", "IANA time zone, such as America/Chicago."),
		object("social", "Social profile links.",
			str("facebookUrl", ""), str("googlePlus", ""), str("linkedIn", ""),
			str("foursquare", ""), str("twitter", ""), str("yelp", ""), str("instagram", ""),
			str("youtube", ""), str("pinterest", ""), str("blogRss", ""), str("googlePlacesId", "")),
	},
}

var tagSpec = &kindSpec{
	kind:     KindTags,
	fields:   []*field{nameField("The tag; HighLevel stores it lower-cased.")},
	meta:     []string{"id", "preventDestroy"},
	nameOnly: true,
}

var customFieldSpec = &kindSpec{
	kind: KindCustomFields,
	fields: []*field{
		nameField("The field's label."),
		{name: "key", typ: typeString, pattern: fieldKeyRe, patternDoc: "<model>.<slug> of a-z, 0-9 and _",
			doc: "The server's fieldKey, such as contact.insurance_provider: binds the entry to it."},
		required(oneOf("dataType", "The field's type; it cannot change once the field exists.",
			dataTypes...)),
		oneOf("model", "What the field belongs to; contact when omitted.", "contact", "opportunity"),
		str("placeholder", "Placeholder text."),
		{name: "position", typ: typeNumber, doc: "Position in its folder."},
		listOf("options", "The choices of SINGLE_OPTIONS, MULTIPLE_OPTIONS, RADIO and CHECKBOX fields.",
			str("", "")),
		listOf("textBoxListOptions", "The boxes of a TEXTBOX_LIST field.",
			object("", "", str("label", ""), str("prefillValue", ""))),
		listOf("acceptedFormat", "File extensions a FILE_UPLOAD field accepts, such as .pdf.", str("", "")),
		boolean("isMultipleFile", "Whether a FILE_UPLOAD field takes several files."),
		number("maxNumberOfFiles", "How many files a FILE_UPLOAD field takes."),
	},
	meta:     []string{"id", "preventDestroy"},
	defaults: map[string]any{"model": "contact"},
	local:    checkOptions,
	check:    checkCustomField,
}

var customValueSpec = &kindSpec{
	kind: KindCustomValues,
	fields: []*field{
		nameField("The custom value's name; its merge tag is derived from it at creation."),
		{name: "value", typ: typeString, required: true, scalar: true, doc: "The value."},
	},
	meta:  []string{"id", "sensitive", "preventDestroy"},
	check: checkKeyable,
}

var triggerLinkSpec = &kindSpec{
	kind: KindTriggerLinks,
	fields: []*field{
		nameField("The trigger link's name."),
		required(link("redirectTo", "Where the link sends the contact.")),
	},
	meta: []string{"id", "preventDestroy"},
}

var businessSpec = &kindSpec{
	kind: KindBusinesses,
	fields: []*field{
		nameField("The business's name."),
		str("phone", ""), str("email", ""), link("website", ""), str("address", ""), str("city", ""),
		str("state", ""), {name: "postalCode", typ: typeString, scalar: true}, str("country", ""),
		str("description", ""),
	},
	meta: []string{"id", "preventDestroy"},
}

// kindSpecs are the tables of every kind, settings included.
var kindSpecs = map[string]*kindSpec{
	KindSettings:     settingsSpec,
	KindTags:         tagSpec,
	KindCustomFields: customFieldSpec,
	KindCustomValues: customValueSpec,
	KindTriggerLinks: triggerLinkSpec,
	KindCalendars:    calendarSpec,
	KindBusinesses:   businessSpec,
}
