// Package cli holds ghlctl's commands, one file each. A command is a short
// sequence: parse flags into an options struct, load manifests, build or load
// a plan, render it, return an exit code. This is the only package that
// prints to the terminal or reads flags and the environment.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

// Version is ghlctl's version, sent in the User-Agent header.
var Version = "0.1.0"

// Exit codes.
const (
	exitOK      = 0
	exitError   = 1
	exitChanges = 2
	exitSignal  = 130
)

// exitCode is an error that carries the process's exit code. With a nil err
// it is no failure, just a code (changes present).
type exitCode struct {
	code int
	err  error
}

func (e *exitCode) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

// globals are the flags every command takes.
type globals struct {
	sandbox      bool
	sandboxFault string
	endpoint     string
	gateway      string
	state        string
	lockTimeout  time.Duration
	parallelism  int
	selector     string
	shard        string
	noColor      bool
	verbose      bool

	sandboxLock *os.File // held while the in-process sandbox runs

	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
}

// memoryLimit is the soft limit the garbage collector keeps the heap under,
// unless GOMEMLIMIT says otherwise: a fleet's plan holds little at a time but
// allocates much, and without a limit the heap may grow to twice what is live.
const memoryLimit = 250 << 20

// Main runs ghlctl with args and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "Error: internal error: %v\n", scrub(fmt.Sprint(r)))
			code = exitError
		}
	}()
	root := newRoot(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	err := root.ExecuteContext(ctx)
	return report(stderr, err)
}

func report(stderr io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "Interrupted: nothing more was started.")
		return exitSignal
	}
	var ec *exitCode
	if errors.As(err, &ec) {
		if ec.err != nil {
			fmt.Fprintf(stderr, "Error: %s\n", scrub(ec.err.Error()))
		}
		return ec.code
	}
	fmt.Fprintf(stderr, "Error: %s\n", scrub(err.Error()))
	return exitError
}

func newRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:           "ghlctl",
		Version:       Version,
		Short:         "Manage HighLevel agency and sub-account configuration as code",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return g.setup()
		},
	}
	f := root.PersistentFlags()
	f.BoolVar(&g.sandbox, "sandbox", false,
		"run against the built-in HighLevel emulator (.ghlctl/sandbox.json)")
	f.StringVar(&g.sandboxFault, "sandbox-faults", "",
		"inject faults into the built-in sandbox (latency=50ms,429=0.1,...)")
	f.StringVar(&g.endpoint, "endpoint", "", "API base URL (default: the HighLevel API, or the gateway)")
	f.StringVar(&g.gateway, "gateway", "direct", "connection: direct or maton")
	f.StringVar(&g.state, "state", "",
		"state file, or a postgres:// URL (default: $GHLCTL_STATE, else ghlctl.state.json "+
			"beside the manifests)")
	f.DurationVar(&g.lockTimeout, "lock-timeout", 0, "how long to wait for the state lock")
	f.IntVar(&g.parallelism, "parallelism", 10, "sub-accounts read and changed at once")
	f.StringVarP(&g.selector, "selector", "l", "",
		"only Locations whose labels match (vertical=dental,region!=eu)")
	f.StringVar(&g.shard, "shard", "", "only shard I of N of the Locations (I/N, 1-based)")
	f.BoolVar(&g.noColor, "no-color", false, "never colour the output")
	f.BoolVarP(&g.verbose, "verbose", "v", false, "log each request on stderr")
	root.AddCommand(
		newValidate(g), newPlan(g), newApply(g), newLocations(g), newSandbox(g),
		newState(g), newImport(g), newShow(g), newRender(g), newSchema(g), newExport(g),
	)
	return root
}

func (g *globals) setup() error {
	level := slog.LevelInfo
	if g.verbose {
		level = slog.LevelDebug
	}
	g.log = slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: level}))
	if g.gateway != "direct" && g.gateway != "maton" {
		return fmt.Errorf("--gateway must be direct or maton, not %q", g.gateway)
	}
	if g.sandboxFault != "" && (!g.sandbox || g.endpoint != "") {
		return fmt.Errorf("--sandbox-faults works with the in-process --sandbox only; " +
			"for a served sandbox use 'ghlctl sandbox serve --faults'")
	}
	if g.parallelism < 1 {
		return fmt.Errorf("--parallelism must be at least 1")
	}
	if os.Getenv("NO_COLOR") != "" {
		g.noColor = true
	}
	return nil
}
