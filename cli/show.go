package cli

import (
	"github.com/northwind/ghlctl/reconcile"
	"github.com/spf13/cobra"
)

func newShow(g *globals) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "show PLANFILE",
		Short: "Render a saved plan",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(output); err != nil {
				return err
			}
			saved, err := reconcile.ReadSavedPlan(args[0])
			if err != nil {
				return err
			}
			return g.render(g.stdout, saved.Plan, output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text, json or markdown")
	return cmd
}
