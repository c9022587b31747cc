package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/northwind/ghlctl/reconcile"
	"github.com/northwind/ghlctl/state"
	"github.com/spf13/cobra"
)

// savePlan writes a plan, and what it was made from, to path.
func savePlan(path string, p *planned, f planFlags, g *globals) error {
	s := &reconcile.SavedPlan{
		FormatVersion: reconcile.PlanFormatVersion,
		Created:       time.Now().UTC(),
		Ghlctl:        Version,
		Manifests:     reconcile.ManifestsRef{Paths: f.files, Digest: p.set.Digest},
		State: reconcile.StateRef{
			Path: g.statePath(p.set), Lineage: p.st.Lineage, Serial: p.st.Serial,
		},
		Options: reconcile.SavedOptions{
			Prune: f.prune, MaxDeletes: f.maxDeletes, Selector: g.selector, Shard: g.shard,
			Sandbox: g.sandbox, Endpoint: g.endpoint,
		},
		Plan: p.plan,
	}
	return s.Write(path, state.WriteAtomic)
}

// savedPlanFlags refuses flags that a saved plan already decided: which
// manifests, which Locations, and the planning options.
func savedPlanFlags(cmd *cobra.Command, g *globals) error {
	for _, name := range []string{"file", "selector", "shard", "prune", "max-deletes"} {
		if cmd.Flags().Changed(name) {
			return fmt.Errorf("--%s cannot be given with a saved plan: the plan file already records it; "+
				"make a new plan to change it", name)
		}
	}
	return nil
}

// applySaved applies a saved plan exactly: it plans again with the same
// options and applies only when nothing moved since.
func (g *globals) applySaved(ctx context.Context, o *applyOptions, path string) error {
	saved, err := reconcile.ReadSavedPlan(path)
	if err != nil {
		if strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml") {
			return fmt.Errorf("%w\nto apply manifests, give them with -f: ghlctl apply -f %s", err, path)
		}
		return err
	}
	g.adopt(saved.Options)
	f := planFlags{
		files: saved.Manifests.Paths, prune: saved.Options.Prune, maxDeletes: saved.Options.MaxDeletes,
	}
	p, done, err := g.makePlan(ctx, f, "apply "+path)
	if err != nil {
		return err
	}
	defer done()
	if err := refuseMoved(saved, p); err != nil {
		return err
	}
	if err := g.render(g.stdout, p.plan, "text"); err != nil {
		return err
	}
	return g.execute(ctx, p, o, true)
}

// adopt takes the connection and selection the plan was made with.
func (g *globals) adopt(o reconcile.SavedOptions) {
	g.selector, g.shard = o.Selector, o.Shard
	if o.Sandbox {
		g.sandbox = true
	}
	if o.Endpoint != "" && g.endpoint == "" {
		g.endpoint = o.Endpoint
	}
}

func refuseMoved(saved *reconcile.SavedPlan, p *planned) error {
	var moved []string
	if saved.Manifests.Digest != p.set.Digest {
		moved = append(moved, "the manifests changed since the plan was made")
	}
	if saved.State.Lineage != p.st.Lineage && saved.State.Serial > 0 {
		moved = append(moved, "the state is not the one the plan was made against (lineage differs)")
	} else if saved.State.Serial != p.st.Serial {
		moved = append(moved, fmt.Sprintf("the state moved since the plan was made (serial %d -> %d): "+
			"the plan was applied already, or another command changed the state",
			saved.State.Serial, p.st.Serial))
	}
	changes := reconcile.Moved(saved.Plan, p.plan)
	if len(changes) > 10 {
		changes = append(changes[:10], fmt.Sprintf("... and %d more", len(changes)-10))
	}
	moved = append(moved, changes...)
	if len(moved) == 0 {
		return nil
	}
	return fmt.Errorf("refusing the saved plan, nothing was changed:\n  %s\nmake a new plan",
		strings.Join(moved, "\n  "))
}
