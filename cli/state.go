package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/northwind/ghlctl/spec"
	"github.com/northwind/ghlctl/state"
	"github.com/spf13/cobra"
)

// stateFile is the state backend named by --state, else the file beside the
// manifests given with -f. It needs no valid manifests: state commands are
// for repairs.
func (g *globals) stateFile(files []string) state.Backend {
	path := g.state
	if path == "" {
		root := "."
		if len(files) > 0 {
			root = files[0]
			if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
				root = filepath.Dir(root)
			}
		}
		path = filepath.Join(root, "ghlctl.state.json")
	}
	return state.NewFile(path, g.lockTimeout)
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
	cmd.PersistentFlags().StringSliceVarP(&files, "file", "f", []string{"."}, "manifest folder the state is beside")
	cmd.AddCommand(
		&cobra.Command{
			Use: "list [PREFIX]", Short: "List the managed addresses", Args: cobra.MaximumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return g.stateList(cmd, g.stateFile(files), append(args, "")[0])
			},
		},
		&cobra.Command{
			Use: "show ADDRESS", Short: "Show one managed address", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return g.stateShow(cmd, g.stateFile(files), args[0])
			},
		},
		&cobra.Command{
			Use: "rm ADDRESS...", Short: "Forget addresses (the live objects stay)", Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return g.stateRm(cmd, g.stateFile(files), args)
			},
		},
		&cobra.Command{
			Use: "unlock", Short: "Clear a lock left by a command that is gone", Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				b := g.stateFile(files)
				if err := b.ForceUnlock(cmd.Context()); err != nil {
					return err
				}
				fmt.Fprintf(g.stdout, "Unlocked %s.\n", b.Describe())
				return nil
			},
		},
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
