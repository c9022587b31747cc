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
	// From names the blueprint the entry came from; empty for the Location's own.
	From     string
	Pos      Pos
	FieldPos map[string]Pos
}

// Name is the entry's display name: its name field.
func (e *Entry) Name() string {
	s, _ := e.Fields["name"].(string)
	return s
}
