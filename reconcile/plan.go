// Package reconcile turns desired state and live state into a Plan, and carries
// a Plan out. It knows the Provider interface and nothing of HTTP or of any one
// kind: matching, diffing, safety rules and ordering are the same for tags and
// calendars alike.
//
// The Plan is a value. It is built once, then rendered (text, JSON, markdown),
// saved with a checksum, and applied; nothing recomputes it on the way, and
// apply never decides anything the plan did not show.
package reconcile

import (
	"strings"

	"github.com/northwind/ghlctl/spec"
)

// PlanFormatVersion is the version of the JSON plan document.
const PlanFormatVersion = 1

// Action is what a change does to a live object.
type Action string

// The actions of a plan.
const (
	Create  Action = "create"
	Update  Action = "update"
	Replace Action = "replace"
	Delete  Action = "delete"
	// Adopt binds an existing live object that matches an entry to the
	// state, with no write to the API.
	Adopt Action = "adopt"
)

// Plan is every change for every Location, in a stable order.
type Plan struct {
	FormatVersion int             `json:"formatVersion"`
	Locations     []*LocationPlan `json:"locations"`
	Summary       Summary         `json:"summary"`
	// Errors are problems that make the plan unappliable (a refused delete,
	// say). A plan with errors is shown, then refused.
	Errors []string `json:"errors,omitempty"`

	run *run
}

// LocationPlan is the changes of one Location.
type LocationPlan struct {
	Address string `json:"address"`
	Name    string `json:"name"`
	ID      string `json:"id,omitempty"`
	// Create is set when the sub-account itself does not exist yet.
	Create    bool           `json:"create,omitempty"`
	Changes   []*Change      `json:"changes"`
	Unmanaged map[string]int `json:"unmanaged,omitempty"`
	// Retired counts owned objects whose entries are gone, left in place
	// because the plan was made without pruning.
	Retired map[string]int `json:"retired,omitempty"`
	InStep  int            `json:"inStep"`
	// Warnings are differences the plan cannot act on.
	Warnings []string `json:"warnings,omitempty"`
}

// Change is one action on one object.
type Change struct {
	Action  Action `json:"action"`
	Kind    string `json:"kind"`
	Key     string `json:"key"`
	Name    string `json:"name"`
	Address string `json:"address"`
	ID      string `json:"id,omitempty"`
	// Detail is shown beside the name: a custom field's fieldKey, say.
	Detail string `json:"detail,omitempty"`
	// RenamedFrom is set on an update that renames the object.
	RenamedFrom string `json:"renamedFrom,omitempty"`
	// OldAddress is the state address the object was recorded under before
	// its entry was renamed; apply moves it.
	OldAddress string        `json:"oldAddress,omitempty"`
	Fields     []FieldChange `json:"fields,omitempty"`
	// Reason explains a replace or a refusal.
	Reason string `json:"reason,omitempty"`
	// LiveFingerprint is the hash of the live object the change was planned
	// against, so a saved plan can tell whether it moved since.
	LiveFingerprint string `json:"liveFingerprint,omitempty"`
	// Fingerprint is the hash of the managed fields after the change.
	Fingerprint string `json:"fingerprint,omitempty"`
	// PreventDestroy marks an entry that must not be deleted or replaced.
	PreventDestroy bool `json:"preventDestroy,omitempty"`

	desired map[string]any
	live    *Object
	entry   *spec.Entry
}

// FieldChange is one field's value before and after. Sensitive values are
// never stored: both sides read "(sensitive)".
type FieldChange struct {
	Field     string `json:"field"`
	Before    any    `json:"before"`
	After     any    `json:"after"`
	Sensitive bool   `json:"sensitive,omitempty"`
}

// Summary counts the changes of a plan.
type Summary struct {
	Add       int `json:"add"`
	Change    int `json:"change"`
	Replace   int `json:"replace"`
	Destroy   int `json:"destroy"`
	Adopt     int `json:"adopt"`
	Unchanged int `json:"unchangedLocations"`
	Locations int `json:"locations"`
	Unmanaged int `json:"unmanaged"`
}

// Empty reports whether the plan changes nothing live. Adoptions only
// record existing objects in the state, so a plan of adoptions alone is
// empty: the accounts already match the manifests.
func (p *Plan) Empty() bool {
	s := p.Summary
	return s.Add+s.Change+s.Replace+s.Destroy == 0 && !p.createsLocation()
}

func (p *Plan) createsLocation() bool {
	for _, l := range p.Locations {
		if l.Create {
			return true
		}
	}
	return false
}

// Count recomputes the summary from the changes.
func (p *Plan) Count() {
	s := Summary{Locations: len(p.Locations)}
	for _, l := range p.Locations {
		if len(l.Changes) == 0 && !l.Create {
			s.Unchanged++
		}
		for _, n := range l.Unmanaged {
			s.Unmanaged += n
		}
		for _, c := range l.Changes {
			switch c.Action {
			case Create:
				s.Add++
			case Update:
				s.Change++
			case Replace:
				s.Replace++
			case Delete:
				s.Destroy++
			case Adopt:
				s.Adopt++
			}
		}
	}
	p.Summary = s
}

// Singular is how plans name one object of a kind.
func Singular(kind string) string {
	switch kind {
	case "settings":
		return "settings"
	case "businesses":
		return "business"
	}
	return strings.TrimSuffix(kind, "s")
}

// Plural is how plans name n objects of a kind: the kind's list name is
// already its plural.
func Plural(kind string, n int) string {
	if n == 1 {
		return Singular(kind)
	}
	return kind
}
