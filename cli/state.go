package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/northwind/ghlctl/spec"
	"github.com/northwind/ghlctl/state"
	"github.com/spf13/cobra"
)

// stateFile is the state backend named by --state or $GHLCTL_STATE, else
// the file beside the manifests given with -f. It needs no valid manifests:
// state commands are for repairs.
func (g *globals) stateFile(files []string) (state.Backend, error) {
	where := g.stateSetting()
	if where == "" {
		root := "."
		if len(files) > 0 {
			root = files[0]
			if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
				root = filepath.Dir(root)
			}
		}
		where = filepath.Join(root, "ghlctl.state.json")
	}
	return g.openBackend(where)
}

// withStateFile runs do with the backend of stateFile, closing it after.
func (g *globals) withStateFile(files []string, do func(state.Backend) error) error {
	b, err := g.stateFile(files)
	if err != nil {
		return err
	}
	defer closeBackend(b)
	return do(b)
}

func readStateQuiet(g *globals, set *spec.Set) (*state.State, error) {
	b, err := g.backend(set)
	if err != nil {
		return nil, err
	}
	return b.Read(context.Background())
}

func newState(g *globals) *cobra.Command {
	var files []string
	cmd := &cobra.Command{Use: "state", Short: "Inspect and repair the state"}
	cmd.PersistentFlags().StringSliceVarP(&files, "file", "f", []string{"."},
		"manifest folder the state is beside")
	cmd.AddCommand(
		&cobra.Command{
			Use: "list [PREFIX]", Short: "List the managed addresses", Args: cobra.MaximumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return g.withStateFile(files, func(b state.Backend) error {
					return g.stateList(cmd, b, append(args, "")[0])
				})
			},
		},
		&cobra.Command{
			Use: "show ADDRESS", Short: "Show one managed address", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return g.withStateFile(files, func(b state.Backend) error {
					return g.stateShow(cmd, b, args[0])
				})
			},
		},
		&cobra.Command{
			Use: "rm ADDRESS...", Short: "Forget addresses (the live objects stay)",
			Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return g.withStateFile(files, func(b state.Backend) error { return g.stateRm(cmd, b, args) })
			},
		},
		&cobra.Command{
			Use: "unlock", Short: "Clear a lock left by a command that is gone", Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				return g.withStateFile(files, func(b state.Backend) error {
					if err := b.ForceUnlock(cmd.Context()); err != nil {
						return err
					}
					fmt.Fprintf(g.stdout, "Unlocked %s.\n", b.Describe())
					return nil
				})
			},
		},
		newStateMigrate(g),
	)
	return cmd
}

func (g *globals) stateList(cmd *cobra.Command, b state.Backend, prefix string) error {
	st, err := b.Read(cmd.Context())
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	for _, a := range st.Addresses(prefix) {
		fmt.Fprintf(w, "%s\t%s\n", a, st.Resources[a].ID)
	}
	return w.Flush()
}

func (g *globals) stateShow(cmd *cobra.Command, b state.Backend, addr string) error {
	st, err := b.Read(cmd.Context())
	if err != nil {
		return err
	}
	r := st.Get(addr)
	if r == nil {
		return fmt.Errorf("%s is not in the state %s", addr, b.Describe())
	}
	out, _ := json.MarshalIndent(map[string]any{"address": addr, "resource": r}, "", "  ")
	_, err = fmt.Fprintf(g.stdout, "%s\n", out)
	return err
}

func (g *globals) stateRm(cmd *cobra.Command, b state.Backend, addrs []string) error {
	unlock, err := b.Lock(cmd.Context(), lockInfo("state rm"), nil)
	if err != nil {
		return err
	}
	defer unlock()
	st, err := b.Read(cmd.Context())
	if err != nil {
		return err
	}
	var missing []string
	for _, a := range addrs {
		if st.Get(a) == nil {
			missing = append(missing, a)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("not in the state: %s", strings.Join(missing, ", "))
	}
	for _, a := range addrs {
		if err := b.Remove(cmd.Context(), a); err != nil {
			return err
		}
		fmt.Fprintf(g.stdout, "Removed %s.\n", a)
	}
	return nil
}

func newStateMigrate(g *globals) *cobra.Command {
	var from, to string
	var force bool
	cmd := &cobra.Command{
		Use:   "migrate --from SRC --to DST",
		Short: "Copy the state, lineage, serial and all, between files and postgres:// URLs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.stateMigrate(cmd.Context(), from, to, force)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "state to copy: a file or a postgres:// URL")
	cmd.Flags().StringVar(&to, "to", "", "where to copy it: a file or a postgres:// URL")
	cmd.Flags().BoolVar(&force, "force", false, "replace a state already at the destination")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

func (g *globals) stateMigrate(ctx context.Context, from, to string, force bool) error {
	src, err := g.openBackend(from)
	if err != nil {
		return err
	}
	defer closeBackend(src)
	dst, err := g.openBackend(to)
	if err != nil {
		return err
	}
	defer closeBackend(dst)
	st, err := state.Migrate(ctx, src, dst, lockInfo("state migrate"), force)
	if errors.Is(err, state.ErrNotEmpty) {
		return fmt.Errorf("%w; pass --force to replace it", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "Copied %d resources (lineage %s, serial %d) from %s to %s.\n",
		len(st.Resources), st.Lineage, st.Serial, src.Describe(), dst.Describe())
	return nil
}
