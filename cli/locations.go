package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/northwind/ghlctl/spec"
	"github.com/spf13/cobra"
)

func newLocations(g *globals) *cobra.Command {
	var files []string
	cmd := &cobra.Command{
		Use:   "locations",
		Short: "List the agency's sub-accounts and the manifest address bound to each",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := spec.Load(spec.LoadOptions{Paths: files})
			if err != nil && !g.sandbox {
				return err
			}
			sess, err := g.connect(cmd.Context(), set)
			if err != nil {
				return err
			}
			defer sess.Close()
			accounts, err := sess.fleet.Accounts(cmd.Context())
			if err != nil {
				return err
			}
			bound := boundAddresses(set, g)
			w := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tNAME\tADDRESS")
			for _, a := range accounts {
				addr := bound[a.ID]
				if addr == "" {
					addr = bound["name:"+a.Name]
				}
				if addr == "" {
					addr = "-"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\n", a.ID, a.Name, addr)
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringSliceVarP(&files, "file", "f", []string{"."}, "manifest files or folders")
	return cmd
}

// boundAddresses maps sub-account ids (and names, as "name:...") to the
// Location addresses that name them, through spec.id, the state, or the name.
func boundAddresses(set *spec.Set, g *globals) map[string]string {
	out := map[string]string{}
	if set == nil {
		return out
	}
	st, _ := readStateQuiet(g, set)
	for _, l := range set.Locations {
		if l.ID != "" {
			out[l.ID] = l.Address
		}
		if r := st.Get(l.Address + "/location"); r != nil {
			out[r.ID] = l.Address
		}
		if l.Settings != nil {
			out["name:"+l.Settings.Name()] = l.Address
		}
	}
	return out
}
