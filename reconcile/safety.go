package reconcile

import "fmt"

// safetyErrors lists what makes a plan unappliable: deletes or replaces of
// entries that forbid them, and more deletes than allowed.
func (p *Planner) safetyErrors(plan *Plan) []string {
	var errs []string
	deletes := 0
	for _, l := range plan.Locations {
		for _, c := range l.Changes {
			if c.Action == Delete || c.Action == Replace {
				deletes++
			}
			if c.PreventDestroy && (c.Action == Delete || c.Action == Replace) {
				errs = append(errs, fmt.Sprintf("%s: preventDestroy is set, so the plan may not %s it",
					c.Address, c.Action))
			}
		}
	}
	if limit := p.Opts.MaxDeletes; deletes > limit {
		errs = append(errs, fmt.Sprintf(
			"the plan deletes or replaces %d objects, more than --max-deletes allows (%d); "+
				"check the plan, then run again with --max-deletes %d", deletes, limit, deletes))
	}
	return errs
}
