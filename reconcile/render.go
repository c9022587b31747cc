package reconcile

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/fatih/color"
)

// Style says how text is rendered.
type Style struct {
	Color bool
}

type palette struct {
	add, change, replace, destroy, adopt, dim func(a ...any) string
}

func newPalette(on bool) palette {
	mk := func(attrs ...color.Attribute) func(a ...any) string {
		c := color.New(attrs...)
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c.SprintFunc()
	}
	return palette{
		add: mk(color.FgGreen), change: mk(color.FgYellow), replace: mk(color.FgMagenta),
		destroy: mk(color.FgRed), adopt: mk(color.FgCyan), dim: mk(color.Faint),
	}
}

// Symbol is the sign a plan shows before a change of this action.
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Replace:
		return "-/+"
	case Delete:
		return "-"
	case Adopt:
		return "<="
	}
	return "?"
}

func (pl palette) paint(a Action, s string) string {
	switch a {
	case Create:
		return pl.add(s)
	case Update:
		return pl.change(s)
	case Replace:
		return pl.replace(s)
	case Delete:
		return pl.destroy(s)
	}
	return pl.adopt(s)
}

// WriteText renders the plan for people.
func WriteText(w io.Writer, plan *Plan, st Style) error {
	pal := newPalette(st.Color)
	var b strings.Builder
	for _, l := range plan.Locations {
		if plan.Empty() || len(l.Changes) == 0 && !l.Create {
			continue
		}
		writeLocation(&b, l, pal)
	}
	if plan.Empty() {
		b.WriteString("No changes.\n")
		fmt.Fprintf(&b, "%s\n", pal.dim(restLine(plan)))
	} else {
		b.WriteString(SummaryLine(plan) + "\n")
	}
	for _, l := range plan.Locations {
		for _, w := range l.Warnings {
			fmt.Fprintf(&b, "%s %s\n", pal.change("Warning:"), w)
		}
	}
	for _, e := range plan.Errors {
		fmt.Fprintf(&b, "%s %s\n", pal.destroy("Error:"), e)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func restLine(plan *Plan) string {
	s := fmt.Sprintf("(%d %s in step", plan.Summary.Locations, plural("location", plan.Summary.Locations))
	if n := plan.Summary.Adopt; n > 0 {
		s += fmt.Sprintf("; %d existing %s already %s and will be recorded as managed on the next apply",
			n, plural("object", n), map[bool]string{true: "matches", false: "match"}[n == 1])
	}
	if n := plan.Summary.Unmanaged; n > 0 {
		s += fmt.Sprintf("; %d unmanaged %s left alone", n, plural("object", n))
	}
	if n := retired(plan); n > 0 {
		s += fmt.Sprintf("; %d %s no longer in the manifests, kept (delete with --prune)",
			n, plural("object", n))
	}
	return s + ")"
}

// retired counts the owned objects whose entries are gone, kept because the
// plan was made without pruning.
func retired(plan *Plan) int {
	n := 0
	for _, l := range plan.Locations {
		for _, k := range l.Retired {
			n += k
		}
	}
	return n
}

func plural(word string, n int) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// SummaryLine is the plan's closing line of counts.
func SummaryLine(plan *Plan) string {
	s := plan.Summary
	line := fmt.Sprintf("Plan: %d to add, %d to change, %d to replace, %d to destroy",
		s.Add, s.Change, s.Replace, s.Destroy)
	if s.Adopt > 0 {
		line += fmt.Sprintf(", %d to adopt", s.Adopt)
	}
	return line + fmt.Sprintf(" (%d %s unchanged).", s.Unchanged, plural("location", s.Unchanged))
}

func writeLocation(b *strings.Builder, l *LocationPlan, pal palette) {
	id := l.ID
	if l.Create {
		id = "to be created"
	}
	fmt.Fprintf(b, "location %s (%s, %s)\n", l.Address, l.Name, id)
	adopted := map[string][]string{}
	for _, c := range l.Changes {
		if c.Action == Adopt {
			adopted[c.Kind] = append(adopted[c.Kind], strconv.Quote(c.Name))
			continue
		}
		fmt.Fprintf(b, "  %s\n", pal.paint(c.Action, ChangeHeadline(c)))
		for _, f := range c.Fields {
			fmt.Fprintf(b, "      %s\n", FieldLine(c.Action, f))
		}
	}
	for _, kind := range sortedKeys(adopted) {
		names := adopted[kind]
		fmt.Fprintf(b, "  %s\n", pal.adopt(fmt.Sprintf("<= adopt %d existing %s already in step: %s",
			len(names), Plural(kind, len(names)), strings.Join(names, ", "))))
	}
	for _, kind := range sortedKeys(l.Unmanaged) {
		n := l.Unmanaged[kind]
		fmt.Fprintf(b, "  %s\n", pal.dim(fmt.Sprintf("%d unmanaged %s left alone", n, Plural(kind, n))))
	}
	for _, kind := range sortedKeys(l.Retired) {
		n := l.Retired[kind]
		fmt.Fprintf(b, "  %s\n", pal.dim(fmt.Sprintf(
			"%d %s no longer in the manifests, kept (delete with --prune)", n, Plural(kind, n))))
	}
}

// FieldLine shows one field of a change: the value a create writes, or the
// value before and after.
func FieldLine(a Action, f FieldChange) string {
	if a == Create {
		return f.Field + ": " + FormatValue(f.After)
	}
	return fmt.Sprintf("%s: %s -> %s", f.Field, FormatValue(f.Before), FormatValue(f.After))
}

// ChangeHeadline is one line naming a change: sign, kind, name and detail.
func ChangeHeadline(c *Change) string {
	s := fmt.Sprintf("%s %s", c.Action.Symbol(), Singular(c.Kind))
	if c.Kind != "settings" {
		s += " " + strconv.Quote(c.Name)
	}
	var notes []string
	if c.Detail != "" {
		notes = append(notes, c.Detail)
	}
	if c.Reason != "" {
		notes = append(notes, c.Reason)
	}
	if c.RenamedFrom != "" {
		notes = append(notes, "rename from "+strconv.Quote(c.RenamedFrom))
	}
	if c.Action == Adopt {
		notes = append(notes, "adopt existing "+c.ID+", no change")
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, "; ") + ")"
	}
	return s
}

// FormatValue renders a field value compactly: plain words bare, other
// strings quoted, lists in brackets, maps in braces with sorted keys.
func FormatValue(v any) string {
	switch t := v.(type) {
	case nil:
		return "(none)"
	case string:
		if plainWord(t) {
			return t
		}
		return strconv.Quote(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = FormatValue(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := sortedKeys(t)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + FormatValue(t[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

func plainWord(s string) bool {
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, ",[]{}:\"'#\n") {
		return false
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return false
	}
	return s != "true" && s != "false" && s != "null"
}

// WriteJSON renders the plan as its versioned JSON document.
func WriteJSON(w io.Writer, plan *Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(plan)
}
