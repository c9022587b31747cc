// Package spec reads ghlctl manifests: YAML documents of kind Agency, Location
// and Blueprint. It decodes them strictly, remembering where every value came
// from, validates them, expands blueprints and variables, and hands the
// reconciler one desired state per Location.
//
// Desired resources are kept generic: an Entry holds the fields the manifest
// sets, in the manifest's own vocabulary (the API's camelCase names), as plain
// values (string, float64, bool, []any, map[string]any). A field that is not in
// Fields is unmanaged. Providers turn live objects into the same vocabulary, so
// the reconciler can compare the two without knowing any one kind.
//
// Every kind is described once, by a field table (fields.go): name, type,
// enum, range, whether it is required. Decoding, the checks on single values
// and Schema are all read from the tables, so the JSON Schema an editor uses
// and the errors Load reports cannot disagree. Rules between fields (options
// belong to choice fields, a personal calendar has one team member) are small
// functions beside the tables.
//
// Loading runs in steps. YAML nodes become raw values that keep their
// file:line:column and refuse duplicate keys. Documents are decoded against
// the tables, expanding ${env:NAME} as each string is read. Blueprints are
// checked once on their own, then decoded again for every Location that uses
// them, with its variables; their entries are merged with the Location's own
// by natural key (see Keys), the Location's own winning field by field. Only
// then are defaults filled, required fields and cross-field rules checked and
// Normalize applied, so that an entry that completes a blueprint's need not
// repeat what the blueprint already says. Every mistake found along the way is
// collected: Load reports all of them at once, as Errors.
package spec

import "fmt"

// APIVersion is the only apiVersion a manifest may declare.
const APIVersion = "ghlctl/v1"

// Resource kinds, named as the Location lists them.
const (
	KindSettings     = "settings"
	KindTags         = "tags"
	KindCustomFields = "customFields"
	KindCustomValues = "customValues"
	KindTriggerLinks = "triggerLinks"
	KindCalendars    = "calendars"
	KindBusinesses   = "businesses"
)

// ListKinds are the kinds a Location holds as lists, in the order plans show them.
var ListKinds = []string{
	KindTags, KindCustomFields, KindCustomValues,
	KindTriggerLinks, KindCalendars, KindBusinesses,
}

// Pos is a place in a manifest file.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the place as file:line:col.
func (p Pos) String() string {
	if p.File == "" {
		return "(no file)"
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Credentials say where a token comes from: never the token itself.
type Credentials struct {
	TokenEnv        string `json:"tokenEnv,omitempty"`
	MatonConnection string `json:"matonConnection,omitempty"`
}

// Set is everything loaded from the manifest paths, expanded and validated.
type Set struct {
	Agency     *Agency
	Locations  []*Location // sorted by Address
	Blueprints []*Blueprint
	// Digest is a SHA-256 over the loaded files' paths and contents, so a saved
	// plan can tell whether the manifests it was made from have changed.
	Digest string
	// Root is the directory state and other files live beside: the first path
	// given, or its directory when it is a file.
	Root string
}

// Agency is the agency (company) that owns the sub-accounts.
type Agency struct {
	Name        string
	CompanyID   string
	Credentials Credentials
	Pos         Pos
}

// Location is one sub-account's desired configuration after blueprint expansion.
type Location struct {
	Address     string // metadata.name
	Labels      map[string]string
	ID          string // spec.id, empty when matched by settings.name
	Credentials Credentials
	// Settings is nil when the manifest leaves the sub-account's settings unmanaged.
	Settings *Entry
	// Lists holds the resource lists by kind. A kind missing from the map is
	// unmanaged at this Location; a kind present with no entries is managed and
	// empty.
	Lists      map[string][]*Entry
	Blueprints []BlueprintRef
	Pos        Pos
}

// Managed reports whether the Location manages kind.
func (l *Location) Managed(kind string) bool {
	if kind == KindSettings {
		return l.Settings != nil
	}
	_, ok := l.Lists[kind]
	return ok
}

// BlueprintRef is a Location's use of a blueprint, with its variables.
type BlueprintRef struct {
	Name string
	Vars map[string]string
	Pos  Pos
}

// Blueprint is a reusable set of resource lists.
type Blueprint struct {
	Name     string
	Selector map[string]string
	Vars     map[string]Var
	Pos      Pos
}

// Var declares a blueprint variable.
type Var struct {
	Required    bool
	Default     *string
	Description string
}

// Entry is one desired resource: a tag, a custom field, a calendar, or a
// Location's settings.
type Entry struct {
	Kind string
	// Fields are the fields the manifest sets, normalised the way the server
	// stores them (see Normalize).
	Fields map[string]any
	// Key is the natural key the entry is matched by (see Keys).
	Key string
	// ID pins the entry to a live object.
	ID             string
	Sensitive      bool
	PreventDestroy bool
	// From names the blueprint the entry came from; empty for the Location's
	// own. An entry two blueprints agree on lists both ("a, b"); a blueprint
	// entry the Location overrides keeps the blueprint's name.
	From string
	Pos  Pos
	// FieldPos has the place of each field by name, and of nested values by
	// their path in the manifest's order, such as "options[2]" or
	// "teamMembers[0].email". A field filled in by default has the entry's place.
	FieldPos map[string]Pos
}

// Name is the entry's display name: its name field.
func (e *Entry) Name() string {
	s, _ := e.Fields["name"].(string)
	return s
}
