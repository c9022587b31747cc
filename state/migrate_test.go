package state

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var migrateInfo = LockInfo{Who: "tester", Operation: "state migrate"}

// fileState writes a state of a few resources to a new file and returns
// the file and the state as read back.
func fileState(t *testing.T) (*File, *State) {
	t.Helper()
	ctx := context.Background()
	f := NewFile(filepath.Join(t.TempDir(), "ghlctl.state.json"), 0)
	puts := map[string]*Resource{
		"acme/location/": {Location: "acme", LocationID: "loc1", Kind: "location", ID: "loc1",
			Updated: time.Date(2025, 1, 2, 3, 4, 5, 999999999, time.UTC)},
		"acme/tags/vip": {Location: "acme", LocationID: "loc1", Kind: "tags", Key: "vip", ID: "t1",
			Fingerprint: "sha256:aa", Updated: time.Date(2025, 1, 2, 3, 4, 6, 1, time.UTC)},
		"beta/customValues/office_hours": {Location: "beta", LocationID: "loc2", Kind: "customValues",
			Key: "office_hours", ID: "cv1", Fingerprint: "sha256:bb", PreventDestroy: true},
	}
	for addr, r := range puts {
		if err := f.Put(ctx, addr, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Remove(ctx, "gone/tags/x"); err != nil {
		t.Fatal(err)
	}
	st, err := NewFile(f.Path, 0).Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return f, st
}

func TestMigrateFileToPostgresToFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, want := fileState(t)
	pg := openPostgres(t, testPostgres(t), 0)
	back := NewFile(filepath.Join(t.TempDir(), "back.json"), 0)

	if _, err := Migrate(ctx, src, pg, migrateInfo, false); err != nil {
		t.Fatal(err)
	}
	if _, err := Migrate(ctx, pg, back, migrateInfo, false); err != nil {
		t.Fatal(err)
	}
	inPG, err := pg.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, inPG, cmpopts.IgnoreUnexported(State{})); diff != "" {
		t.Errorf("state in PostgreSQL (-want +got):\n%s", diff)
	}
	got, err := NewFile(back.Path, 0).Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(State{})); diff != "" {
		t.Errorf("state back in a file (-want +got):\n%s", diff)
	}

	_, err = Migrate(ctx, src, pg, migrateInfo, false)
	if !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("migrate onto a state: got %v, want ErrNotEmpty", err)
	}
	if _, err := Migrate(ctx, src, pg, migrateInfo, true); err != nil {
		t.Fatalf("migrate onto a state with force: %v", err)
	}
}

func TestMigrateFileToFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, want := fileState(t)
	dst := NewFile(filepath.Join(t.TempDir(), "sub", "copy.json"), 0)

	st, err := Migrate(ctx, src, dst, migrateInfo, false)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, st, cmpopts.IgnoreUnexported(State{})); diff != "" {
		t.Errorf("state returned (-want +got):\n%s", diff)
	}
	got, err := NewFile(dst.Path, 0).Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(State{})); diff != "" {
		t.Errorf("state copied (-want +got):\n%s", diff)
	}

	other, _ := fileState(t)
	if _, err := Migrate(ctx, other, dst, migrateInfo, false); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("migrate onto a state: got %v, want ErrNotEmpty", err)
	}
	if got, _ := NewFile(dst.Path, 0).Read(ctx); got.Lineage != want.Lineage {
		t.Fatal("a refused migration changed the destination")
	}
}

func TestMigrateRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, _ := fileState(t)
	dir := t.TempDir()
	empty := NewFile(filepath.Join(dir, "empty.json"), 0)
	if err := WriteAtomic(empty.Path, []byte(`{"formatVersion":1,"lineage":"x","serial":0}`)); err != nil {
		t.Fatal(err)
	}
	file := func(parts ...string) *File { return NewFile(filepath.Join(parts...), 0) }
	for name, c := range map[string]struct {
		from, to Backend
		want     string
	}{
		"same file":    {src, file(filepath.Dir(src.Path), ".", filepath.Base(src.Path)), "both source"},
		"missing file": {file(dir, "absent.json"), file(dir, "b.json"), "no such file"},
		"empty state":  {empty, file(dir, "c.json"), "holds no state to copy"},
	} {
		_, err := Migrate(ctx, c.from, c.to, migrateInfo, true)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error saying %q", name, err, c.want)
		}
	}
}
