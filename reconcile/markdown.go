package reconcile

import (
	"fmt"
	"io"
	"strings"
)

// MarkdownOptions tune the markdown rendering.
type MarkdownOptions struct {
	// MaxBytes caps the output, for pull-request comments; 0 means 60,000
	// (GitHub refuses comments over 65,536 characters).
	MaxBytes int
}

// WriteMarkdown renders the plan for a pull-request comment: a summary table,
// then one collapsible section per sub-account with changes. Sections that
// would pass the size cap are left out, and a note says how many.
func WriteMarkdown(w io.Writer, plan *Plan, o MarkdownOptions) error {
	limit := o.MaxBytes
	if limit == 0 {
		limit = 60000
	}
	var b strings.Builder
	b.WriteString("### ghlctl plan\n\n")
	if plan.Empty() {
		fmt.Fprintf(&b, "No changes.\n\n%s\n", restLine(plan))
	} else {
		s := plan.Summary
		b.WriteString("| add | change | replace | destroy | adopt | unchanged locations |\n")
		b.WriteString("|---:|---:|---:|---:|---:|---:|\n")
		fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d |\n\n", s.Add, s.Change, s.Replace, s.Destroy, s.Adopt,
			s.Unchanged)
	}
	for _, e := range plan.Errors {
		fmt.Fprintf(&b, "> **Error:** %s\n\n", e)
	}
	cut := 0
	for _, l := range plan.Locations {
		if len(l.Changes) == 0 && !l.Create {
			continue
		}
		section := markdownSection(l)
		if b.Len()+len(section) > limit-200 {
			cut++
			continue
		}
		b.WriteString(section)
	}
	if cut > 0 {
		fmt.Fprintf(&b, "_%d more %s with changes not shown: the comment would pass %d bytes. "+
			"Run `ghlctl show` on the saved plan for all of it._\n", cut, plural("location", cut), limit)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func markdownSection(l *LocationPlan) string {
	var b strings.Builder
	counts := map[Action]int{}
	for _, c := range l.Changes {
		counts[c.Action]++
	}
	fmt.Fprintf(&b, "<details><summary><code>%s</code> (%s): %s</summary>\n\n```diff\n",
		l.Address, escapeHTML(l.Name), countWords(counts))
	adopted := map[string]int{}
	for _, c := range l.Changes {
		if c.Action == Adopt {
			adopted[c.Kind]++
			continue
		}
		fmt.Fprintf(&b, "%s\n", diffLine(c))
		for _, f := range c.Fields {
			fmt.Fprintf(&b, "%s     %s\n", fieldPrefix(c.Action), FieldLine(c.Action, f))
		}
	}
	for _, kind := range sortedKeys(adopted) {
		fmt.Fprintf(&b, "# <= adopt %d existing %s already in step\n",
			adopted[kind], Plural(kind, adopted[kind]))
	}
	b.WriteString("```\n\n</details>\n\n")
	return b.String()
}

// fieldPrefix keeps a change's field lines in its colour.
func fieldPrefix(a Action) string {
	if a == Create {
		return "+"
	}
	return "!"
}

// diffLine makes a headline a line GitHub's diff highlighting colours: creates
// and deletes already start with + and -, the rest get a "!".
func diffLine(c *Change) string {
	if c.Action == Create || c.Action == Delete {
		return ChangeHeadline(c)
	}
	return "! " + ChangeHeadline(c)
}

func countWords(counts map[Action]int) string {
	var parts []string
	for _, a := range []Action{Create, Update, Replace, Delete, Adopt} {
		if n := counts[a]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", n, a))
		}
	}
	return strings.Join(parts, ", ")
}

func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
