package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/northwind/ghlctl/reconcile"
	"github.com/northwind/ghlctl/spec"
	"github.com/northwind/ghlctl/state"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// planFlags are the flags of plan that apply shares.
type planFlags struct {
	files      []string
	prune      bool
	maxDeletes int
}

func (f *planFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringSliceVarP(&f.files, "file", "f", []string{"."}, "manifest files or folders")
	cmd.Flags().BoolVar(&f.prune, "prune", false, "delete owned objects whose entries are gone")
	cmd.Flags().IntVar(&f.maxDeletes, "max-deletes", 10, "refuse plans that delete more objects than this")
}

type planOptions struct {
	planFlags
	out      string
	output   string
	detailed bool
}

func newPlan(g *globals) *cobra.Command {
	o := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Read live state and show the changes apply would make (only reads)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return g.runPlan(cmd.Context(), o) },
	}
	o.register(cmd)
	cmd.Flags().StringVar(&o.out, "out", "", "save the plan to this file, for apply")
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "output format: text, json or markdown")
	cmd.Flags().BoolVar(&o.detailed, "detailed-exitcode", false, "exit 2 when there are changes")
	return cmd
}

// planned is a plan with what it was made from.
type planned struct {
	set     *spec.Set
	sess    *session
	backend state.Backend
	st      *state.State
	plan    *reconcile.Plan
}

// makePlan loads the manifests, reads state and live state, and plans.
func (g *globals) makePlan(ctx context.Context, f planFlags, lock string) (*planned, func(), error) {
	set, err := g.load(f.files)
	if err != nil {
		return nil, nil, err
	}
	p := &planned{set: set}
	p.backend, err = g.backend(set)
	if err != nil {
		return nil, nil, err
	}
	release := func() {}
	if lock != "" {
		unlock, err := p.backend.Lock(ctx, lockInfo(lock), addresses(set))
		if err != nil {
			return nil, nil, err
		}
		release = func() { _ = unlock() }
	}
	p.sess, err = g.connect(ctx, set)
	if err != nil {
		release()
		return nil, nil, err
	}
	done := func() { p.sess.Close(); release() }
	if p.st, err = p.backend.Read(ctx); err != nil {
		done()
		return nil, nil, err
	}
	planner := &reconcile.Planner{Dir: p.sess.fleet, State: p.st, Opts: reconcile.Options{
		Parallelism: g.parallelism, Prune: f.prune, MaxDeletes: f.maxDeletes,
		Progress: g.progress("reading", len(set.Locations)),
	}}
	if p.plan, err = planner.Plan(ctx, set); err != nil {
		done()
		return nil, nil, err
	}
	return p, done, nil
}

func addresses(set *spec.Set) []string {
	out := make([]string, len(set.Locations))
	for i, l := range set.Locations {
		out[i] = l.Address
	}
	return out
}

func (g *globals) runPlan(ctx context.Context, o *planOptions) error {
	if err := checkFormat(o.output); err != nil {
		return err
	}
	p, done, err := g.makePlan(ctx, o.planFlags, "plan")
	if err != nil {
		return err
	}
	defer done()
	if err := g.render(g.stdout, p.plan, o.output); err != nil {
		return err
	}
	if o.out != "" {
		if err := savePlan(o.out, p, o.planFlags, g); err != nil {
			return err
		}
		fmt.Fprintf(g.stderr, "Saved the plan to %s; apply it with: ghlctl apply %s\n", o.out, o.out)
	}
	if len(p.plan.Errors) > 0 {
		return &exitCode{code: exitError, err: fmt.Errorf("the plan cannot be applied: %d %s above",
			len(p.plan.Errors), plural("error", len(p.plan.Errors)))}
	}
	if o.detailed && !p.plan.Empty() {
		return &exitCode{code: exitChanges}
	}
	return nil
}

func checkFormat(f string) error {
	switch f {
	case "text", "json", "markdown":
		return nil
	}
	return fmt.Errorf("-o %s: want text, json or markdown", f)
}

// render writes a plan in the chosen format.
func (g *globals) render(w io.Writer, plan *reconcile.Plan, format string) error {
	switch format {
	case "json":
		return reconcile.WriteJSON(w, plan)
	case "markdown":
		return reconcile.WriteMarkdown(w, plan, reconcile.MarkdownOptions{})
	}
	return reconcile.WriteText(w, plan, reconcile.Style{Color: g.colour(w)})
}

// colour reports whether w is a terminal that may be coloured.
func (g *globals) colour(w io.Writer) bool {
	if g.noColor {
		return false
	}
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}
