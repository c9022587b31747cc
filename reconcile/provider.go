package reconcile

import (
	"context"
	"errors"

	"github.com/northwind/ghlctl/spec"
)

// Object is a live object in the manifest's vocabulary: the provider has
// already normalised its fields the way spec.Normalize normalises desired
// ones, so equal means equal on the server.
type Object struct {
	ID     string
	Fields map[string]any
	// Detail is shown beside the object's name in plans.
	Detail string
}

// Provider manages one kind at one sub-account.
type Provider interface {
	// List returns every live object of the kind (all pages).
	List(ctx context.Context) ([]Object, error)
	// Create makes a new object from the desired fields.
	Create(ctx context.Context, fields map[string]any) (Object, error)
	// Update changes live so that the desired fields hold; fields the
	// manifest does not set keep their live values.
	Update(ctx context.Context, live Object, fields map[string]any) (Object, error)
	// Delete removes live. Deleting an object that is already gone succeeds.
	Delete(ctx context.Context, live Object) error
	// Immutable names the fields that cannot change in place, and what a
	// replace costs ("replaces the field and its data").
	Immutable() (fields []string, cost string)
}

// Checker is a Provider that can vet desired entries against what it read,
// before any write: a calendar's members must be users of the sub-account.
type Checker interface {
	Check(ctx context.Context, entries []*spec.Entry) error
}

// ReadOnlyFields is a Provider with fields it can read but not write, and
// why. A difference in one is reported as a warning, never planned.
type ReadOnlyFields interface {
	ReadOnly() (fields []string, why string)
}

// Account is one sub-account, with a provider per kind bound to it.
type Account interface {
	Provider(kind string) (Provider, error)
}

// AccountInfo identifies a live sub-account.
type AccountInfo struct {
	ID   string
	Name string
}

// Directory finds, opens and creates sub-accounts.
type Directory interface {
	// Find returns the sub-account a Location is bound to: by spec.id, else
	// by settings name among the agency's sub-accounts. ok is false when
	// there is none.
	Find(ctx context.Context, loc *spec.Location) (info AccountInfo, ok bool, err error)
	// Open binds providers to a sub-account.
	Open(loc *spec.Location, info AccountInfo) (Account, error)
	// Create makes the sub-account of a Location from its settings.
	Create(ctx context.Context, loc *spec.Location) (AccountInfo, error)
}

// outcomeUnknown matches errors of writes whose answer never arrived.
type outcomeUnknown interface{ OutcomeUnknown() bool }

func isOutcomeUnknown(err error) bool {
	var u outcomeUnknown
	return errors.As(err, &u) && u.OutcomeUnknown()
}

// stopsApply matches errors after which no new change should start, such as
// a spent daily API budget.
type stopsApply interface{ StopsApply() bool }

func isStopping(err error) bool {
	var s stopsApply
	return errors.As(err, &s) && s.StopsApply()
}
