package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/northwind/ghlctl/reconcile"
	"github.com/northwind/ghlctl/spec"
	"github.com/northwind/ghlctl/state"
	"github.com/spf13/cobra"
)

func newImport(g *globals) *cobra.Command {
	var files []string
	cmd := &cobra.Command{
		Use:   "import ADDRESS ID",
		Short: "Bind an existing live object to a manifest entry (location/kind/key)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.runImport(cmd.Context(), files, args[0], args[1])
		},
	}
	cmd.Flags().StringSliceVarP(&files, "file", "f", []string{"."}, "manifest files or folders")
	return cmd
}

func (g *globals) runImport(ctx context.Context, files []string, addr, id string) error {
	set, err := g.load(files)
	if err != nil {
		return err
	}
	loc, entry, err := findEntry(set, addr)
	if err != nil {
		return err
	}
	b, err := g.backend(set)
	if err != nil {
		return err
	}
	unlock, err := b.Lock(ctx, lockInfo("import"), []string{loc.Address})
	if err != nil {
		return err
	}
	defer unlock()
	sess, err := g.connect(ctx, set)
	if err != nil {
		return err
	}
	defer sess.Close()
	info, obj, err := findLive(ctx, sess, loc, entry.Kind, id)
	if err != nil {
		return err
	}
	st, err := b.Read(ctx)
	if err != nil {
		return err
	}
	if other, r := st.ByID(loc.Address, entry.Kind, id); r != nil && other != addr {
		return fmt.Errorf("%s is already bound to %s: run 'ghlctl state rm %s' first if it should move",
			id, other, other)
	}
	err = b.Put(ctx, addr, &state.Resource{
		Location: loc.Address, LocationID: info.ID, Kind: entry.Kind, Key: keyOf(addr), ID: obj.ID,
		Fingerprint: reconcile.Fingerprint(entry.Fields, func(f string) bool {
			return spec.Sensitive(entry, f)
		}),
		PreventDestroy: entry.PreventDestroy,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "Imported %s as %s.\n", id, addr)
	return nil
}

func keyOf(addr string) string {
	parts := strings.SplitN(addr, "/", 3)
	return parts[len(parts)-1]
}

// findEntry resolves location/kind/key to a manifest entry.
func findEntry(set *spec.Set, addr string) (*spec.Location, *spec.Entry, error) {
	parts := strings.SplitN(addr, "/", 3)
	if len(parts) != 3 {
		return nil, nil, fmt.Errorf("address %q: want location/kind/key, e.g. acme-dental/tags/vip", addr)
	}
	for _, loc := range set.Locations {
		if loc.Address != parts[0] {
			continue
		}
		for _, e := range loc.Lists[parts[1]] {
			if state.Address(loc.Address, e.Kind, addressKeyOf(e.Key)) == addr {
				return loc, e, nil
			}
		}
		return nil, nil, fmt.Errorf("address %q: location %s has no %s entry with key %q", addr, loc.Address,
			parts[1], parts[2])
	}
	return nil, nil, fmt.Errorf("address %q: no Location %q in the manifests", addr, parts[0])
}

func addressKeyOf(key string) string {
	if _, k, ok := strings.Cut(key, ":"); ok {
		return k
	}
	return key
}

// findLive looks up the live object with id.
func findLive(ctx context.Context, sess *session, loc *spec.Location, kind, id string) (reconcile.AccountInfo,
	reconcile.Object, error) {
	info, ok, err := sess.fleet.Find(ctx, loc)
	if err == nil && !ok {
		err = fmt.Errorf("location %s: no such sub-account yet", loc.Address)
	}
	if err != nil {
		return info, reconcile.Object{}, err
	}
	acct, err := sess.fleet.Open(loc, info)
	if err != nil {
		return info, reconcile.Object{}, err
	}
	prov, err := acct.Provider(kind)
	if err != nil {
		return info, reconcile.Object{}, err
	}
	live, err := prov.List(ctx)
	if err != nil {
		return info, reconcile.Object{}, err
	}
	for _, o := range live {
		if o.ID == id {
			return info, o, nil
		}
	}
	return info, reconcile.Object{}, fmt.Errorf("location %s has no %s with id %s", loc.Address, kind, id)
}
