package cli

import (
	"fmt"

	"github.com/northwind/ghlctl/spec"
	"github.com/spf13/cobra"
)

func newValidate(g *globals) *cobra.Command {
	var files []string
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Parse, expand and check manifests, without the network",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := g.load(files)
			if err != nil {
				return err
			}
			n := 0
			for _, l := range set.Locations {
				for _, entries := range l.Lists {
					n += len(entries)
				}
			}
			fmt.Fprintf(g.stdout, "Valid: %d %s, %d %s.\n",
				len(set.Locations), plural("location", len(set.Locations)),
				n, map[bool]string{true: "entry", false: "entries"}[n == 1])
			return nil
		},
	}
	cmd.Flags().StringSliceVarP(&files, "file", "f", []string{"."}, "manifest files or folders")
	return cmd
}

func newRender(g *globals) *cobra.Command {
	var files []string
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Print the fully expanded desired state as YAML",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := g.load(files)
			if err != nil {
				return err
			}
			out, err := spec.Render(set)
			if err != nil {
				return err
			}
			_, err = g.stdout.Write(out)
			return err
		},
	}
	cmd.Flags().StringSliceVarP(&files, "file", "f", []string{"."}, "manifest files or folders")
	return cmd
}

func newSchema(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the manifest format, for editors",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			out, err := spec.Schema()
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(g.stdout, "%s\n", out)
			return err
		},
	}
}
