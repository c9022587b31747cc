package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNotEmpty is returned by Migrate when the destination already holds a
// state and replacing it was not asked for.
var ErrNotEmpty = errors.New("destination already holds a state")

// replacer is a backend that can take a whole state at once.
type replacer interface {
	Backend
	replace(ctx context.Context, st *State) error
}

// Migrate copies the whole state of from into to: lineage, serial and every
// resource, so that a saved plan made against one still applies against the
// other. It holds the locks of both for the whole state while it copies, and
// reads the copy back to check it. It refuses a destination that holds a
// state unless force is set, and returns the state copied.
func Migrate(ctx context.Context, from, to Backend, info LockInfo, force bool) (*State, error) {
	dst, ok := to.(replacer)
	if !ok {
		return nil, fmt.Errorf("migrate state: cannot write a whole state to %s", to.Describe())
	}
	if same(from, to) {
		return nil, fmt.Errorf("migrate state: %s is both source and destination", from.Describe())
	}
	if err := mustExist(from); err != nil {
		return nil, err
	}

	unlockFrom, err := from.Lock(ctx, info, nil)
	if err != nil {
		return nil, err
	}
	defer unlockFrom()
	unlockTo, err := to.Lock(ctx, info, nil)
	if err != nil {
		return nil, err
	}
	defer unlockTo()

	st, err := readSource(ctx, from)
	if err != nil {
		return nil, err
	}
	if err := checkDestination(ctx, to, force); err != nil {
		return nil, err
	}
	if err := dst.replace(ctx, st); err != nil {
		return nil, fmt.Errorf("migrate state to %s: %w", to.Describe(), err)
	}
	return st, verify(ctx, to, st)
}

// same reports whether a and b are one store.
func same(a, b Backend) bool {
	fa, okA := a.(*File)
	fb, okB := b.(*File)
	if okA && okB {
		pa, errA := filepath.Abs(fa.Path)
		pb, errB := filepath.Abs(fb.Path)
		return errA == nil && errB == nil && pa == pb
	}
	return a.Describe() == b.Describe()
}

// mustExist refuses a source file that is not there, before locking it
// would create its folder.
func mustExist(b Backend) error {
	f, ok := b.(*File)
	if !ok {
		return nil
	}
	if _, err := os.Stat(f.Path); err != nil {
		return fmt.Errorf("migrate state: %w", err)
	}
	return nil
}

func readSource(ctx context.Context, from Backend) (*State, error) {
	st, err := from.Read(ctx)
	if err != nil {
		return nil, err
	}
	if st.Serial == 0 && len(st.Resources) == 0 {
		return nil, fmt.Errorf("migrate state: %s holds no state to copy", from.Describe())
	}
	return st, nil
}

func checkDestination(ctx context.Context, to Backend, force bool) error {
	old, err := to.Read(ctx)
	if err != nil {
		return err
	}
	if force || (old.Serial == 0 && len(old.Resources) == 0) {
		return nil
	}
	return fmt.Errorf("migrate state: %w: %s has lineage %s, serial %d, %d resources",
		ErrNotEmpty, to.Describe(), old.Lineage, old.Serial, len(old.Resources))
}

// verify reads the destination back and compares it with what was written.
func verify(ctx context.Context, to Backend, want *State) error {
	got, err := to.Read(ctx)
	if err != nil {
		return fmt.Errorf("migrate state: read back %s: %w", to.Describe(), err)
	}
	if diff := diffStates(want, got); diff != "" {
		return fmt.Errorf("migrate state: %s reads back differently: %s", to.Describe(), diff)
	}
	return nil
}

// diffStates describes the first difference between two states, or returns "".
// Times are compared as instants, whatever their zone.
func diffStates(a, b *State) string {
	switch {
	case a.Lineage != b.Lineage:
		return fmt.Sprintf("lineage %s != %s", a.Lineage, b.Lineage)
	case a.Serial != b.Serial:
		return fmt.Sprintf("serial %d != %d", a.Serial, b.Serial)
	case len(a.Resources) != len(b.Resources):
		return fmt.Sprintf("%d resources != %d", len(a.Resources), len(b.Resources))
	}
	for _, addr := range a.Addresses("") {
		ra, rb := a.Resources[addr], b.Resources[addr]
		if rb == nil {
			return addr + " is missing"
		}
		ca, cb := *ra, *rb
		ca.Updated, cb.Updated = ca.Updated.UTC(), cb.Updated.UTC()
		if ca != cb {
			return addr + " differs"
		}
	}
	return ""
}

// replace writes st as the whole file, and drops what was read before so
// the next Read sees the file.
func (f *File) replace(ctx context.Context, st *State) error {
	c := st.Clone()
	c.FormatVersion = FormatVersion
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	f.writeMu.Lock()
	defer f.writeMu.Unlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil {
		return err
	}
	if err := WriteAtomic(f.Path, append(data, '\n')); err != nil {
		return err
	}
	f.st = nil
	return nil
}
