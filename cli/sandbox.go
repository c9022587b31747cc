package cli

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/northwind/ghlctl/sandbox"
	"github.com/spf13/cobra"
)

func newSandbox(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "sandbox", Short: "The built-in HighLevel emulator"}
	var addr, data, faults string
	var noLimit bool
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Serve the emulator over HTTP and print the tokens it accepts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := sandbox.ParseFaults(faults)
			if err != nil {
				return fmt.Errorf("--faults: %w", err)
			}
			sb, err := sandbox.New(sandbox.Options{
				DataFile: data, Seed: true, Faults: f, NoRateLimit: noLimit,
			})
			if err != nil {
				return err
			}
			url, err := sb.Start(addr)
			if err != nil {
				return err
			}
			defer sb.Close()
			printTokens(g, url, sb.Tokens())
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
			select {
			case <-sig:
			case <-cmd.Context().Done():
			}
			return nil
		},
	}
	serve.Flags().StringVar(&addr, "addr", "127.0.0.1:8484", "address to listen on")
	serve.Flags().StringVar(&data, "data", ".ghlctl/sandbox.json", "file the sandbox keeps its data in")
	serve.Flags().StringVar(&faults, "faults", "",
		"fault injection: latency=50ms,jitter=10ms,429=0.1,5xx=0.05,reset=0.02,lost=0.01,seed=7")
	serve.Flags().BoolVar(&noLimit, "no-rate-limit", false, "turn the burst and daily limits off")
	cmd.AddCommand(serve)
	return cmd
}

func printTokens(g *globals, url string, tk sandbox.Tokens) {
	fmt.Fprintf(g.stdout, "Sandbox listening on %s\n", url)
	fmt.Fprintf(g.stdout, "Company %s\n", tk.CompanyID)
	fmt.Fprintf(g.stdout, "Agency token: %s\n", tk.AgencyToken)
	for _, l := range tk.Locations {
		fmt.Fprintf(g.stdout, "Sub-account %s (%s) token: %s\n", l.ID, l.Name, l.Token)
	}
	fmt.Fprintf(g.stdout, "Use it with: ghlctl plan --sandbox --endpoint %s\n", url)
}
