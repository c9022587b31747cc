package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"os/user"
	"strings"
	"sync"
	"time"

	"github.com/northwind/ghlctl/reconcile"
	"github.com/northwind/ghlctl/state"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

type applyOptions struct {
	planFlags
	autoApprove  bool
	allowReplace bool
}

func newApply(g *globals) *cobra.Command {
	o := &applyOptions{}
	cmd := &cobra.Command{
		Use:   "apply [PLANFILE]",
		Short: "Show the plan, ask, then make the changes (or apply a saved plan exactly)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if err := savedPlanFlags(cmd, g); err != nil {
					return err
				}
				return g.applySaved(cmd.Context(), o, args[0])
			}
			return g.runApply(cmd.Context(), o)
		},
	}
	o.register(cmd)
	cmd.Flags().BoolVar(&o.autoApprove, "auto-approve", false, "apply without asking")
	cmd.Flags().BoolVar(&o.allowReplace, "allow-replace", false,
		"allow changes that delete and recreate objects")
	return cmd
}

func lockInfo(op string) state.LockInfo {
	who := "unknown"
	if u, err := user.Current(); err == nil {
		who = u.Username
	}
	host, _ := os.Hostname()
	return state.LockInfo{Who: who, Operation: op, Started: time.Now().UTC(), PID: os.Getpid(), Host: host}
}

func (g *globals) runApply(ctx context.Context, o *applyOptions) error {
	p, done, err := g.makePlan(ctx, o.planFlags, "apply")
	if err != nil {
		return err
	}
	defer done()
	if err := g.render(g.stdout, p.plan, "text"); err != nil {
		return err
	}
	return g.execute(ctx, p, o, o.autoApprove)
}

// execute checks, confirms and applies a plan that has been shown.
func (g *globals) execute(ctx context.Context, p *planned, o *applyOptions, approved bool) error {
	if len(p.plan.Errors) > 0 {
		return fmt.Errorf("the plan cannot be applied: %d %s above", len(p.plan.Errors),
			plural("error", len(p.plan.Errors)))
	}
	applier := &reconcile.Applier{State: p.backend, Parallelism: g.parallelism, AllowReplace: o.allowReplace}
	if err := applier.Check(p.plan); err != nil {
		return err
	}
	if p.plan.Empty() {
		if p.plan.Summary.Adopt == 0 {
			return nil
		}
		approved = true // adoptions write only the state
	}
	if !approved {
		if err := g.confirm(); err != nil {
			return err
		}
	}
	stop, cancel, cleanup := interruptible(context.WithoutCancel(ctx), g.stderr)
	defer cleanup()
	applier.Stop = stop
	applier.OnChange = g.changePrinter()
	res, err := applier.Apply(cancel, p.plan)
	if err != nil {
		return err
	}
	m := p.sess.client.Metrics()
	fmt.Fprintf(g.stdout,
		"API: %d requests, %d retried, %d rate limited (time spent pacing requests, summed: %s).\n",
		m.Requests, m.Retries, m.RateLimits, m.Waited.Round(time.Millisecond))
	return g.summarise(res)
}

// confirm asks for approval on the terminal.
func (g *globals) confirm() error {
	f, ok := g.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return errors.New("refusing to apply without a terminal to ask on: " +
			"review the plan and pass --auto-approve, or apply a saved plan file")
	}
	fmt.Fprint(g.stdout, "\nApply these changes? Only 'yes' is accepted: ")
	line, _ := bufio.NewReader(g.stdin).ReadString('\n')
	if strings.TrimSpace(line) != "yes" {
		return errors.New("apply cancelled")
	}
	return nil
}

// interruptible turns the first Ctrl-C into "start nothing new" and the
// second into cancelling what is in flight.
func interruptible(ctx context.Context, stderr io.Writer) (<-chan struct{}, context.Context, func()) {
	stop := make(chan struct{})
	inner, cancel := context.WithCancel(ctx)
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt)
	var once sync.Once
	go func() {
		for range sig {
			select {
			case <-stop:
				cancel()
			default:
				once.Do(func() {
					fmt.Fprintln(stderr,
						"Interrupted: finishing the changes in flight; Ctrl-C again to abandon them.")
					close(stop)
				})
			}
		}
	}()
	return stop, inner, func() { signal.Stop(sig); cancel() }
}

func (g *globals) changePrinter() func(reconcile.ChangeResult) {
	var mu sync.Mutex
	return func(cr reconcile.ChangeResult) {
		mu.Lock()
		defer mu.Unlock()
		head := reconcile.ChangeHeadline(cr.Change)
		if cr.Err == nil && cr.Change.Action == reconcile.Adopt {
			return // recorded in the state only; the summary counts them
		}
		if cr.Err != nil {
			fmt.Fprintf(g.stdout, "%s: %s failed: %s\n", cr.Location, head, scrub(cr.Err.Error()))
			return
		}
		fmt.Fprintf(g.stdout, "%s: %s done (%s)\n", cr.Location, head, cr.Took.Round(time.Millisecond))
	}
}

// summarise prints what was and was not done, and picks the exit code.
func (g *globals) summarise(res *reconcile.Result) error {
	applied, failed, left := len(res.Applied), len(res.Failed), len(res.NotStarted)
	adopted := 0
	for _, cr := range res.Applied {
		if cr.Change.Action == reconcile.Adopt {
			adopted++
		}
	}
	if failed == 0 && left == 0 {
		fmt.Fprintf(g.stdout, "Apply complete: %d %s applied",
			applied-adopted, plural("change", applied-adopted))
		if adopted > 0 {
			fmt.Fprintf(g.stdout, ", %d existing %s recorded as managed", adopted, plural("object", adopted))
		}
		fmt.Fprintln(g.stdout, ".")
		return nil
	}
	fmt.Fprintf(g.stdout, "Apply incomplete: %d applied, %d failed, %d not started.\n", applied, failed, left)
	for _, c := range res.NotStarted {
		fmt.Fprintf(g.stdout, "  not started: %s %s\n", c.Address, reconcile.ChangeHeadline(c))
	}
	fmt.Fprintln(g.stdout, "The state records what was done; run apply again to finish.")
	if res.Interrupted {
		return &exitCode{code: exitSignal, err: errors.New("interrupted")}
	}
	return &exitCode{code: exitError, err: fmt.Errorf("%d %s failed", failed, plural("change", failed))}
}

func plural(word string, n int) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
