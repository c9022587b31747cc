package spec

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is one mistake in a manifest, at the place it was made.
type Error struct {
	Pos Pos
	// Field is the path of the offending value inside its document, such as
	// spec.customFields[2].dataType; empty when the mistake is the document's own.
	Field string
	Msg   string
}

// Error formats the mistake as "file:line:col: field: msg".
func (e *Error) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s: %s", e.Pos, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.Pos, e.Field, e.Msg)
}

// Errors are all the mistakes found in a set of manifests. Load returns them
// sorted by file, line and column, each once.
type Errors []*Error

// Error lists the mistakes, one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap gives the single mistakes to errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// sorted returns the errors in file, line, column order without duplicates.
func (es Errors) sorted() Errors {
	out := slices.Clone(es)
	slices.SortStableFunc(out, func(a, b *Error) int {
		return cmp.Or(
			comparePos(a.Pos, b.Pos),
			cmp.Compare(a.Field, b.Field),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	return slices.CompactFunc(out, func(a, b *Error) bool { return *a == *b })
}

func comparePos(a, b Pos) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
}

// diag collects the errors of one load.
type diag struct {
	errs Errors
}

func (d *diag) add(pos Pos, field, format string, args ...any) {
	d.errs = append(d.errs, &Error{Pos: pos, Field: field, Msg: fmt.Sprintf(format, args...)})
}
