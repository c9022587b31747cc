package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// target is one figure ghlctl must reach with the default flags.
type target struct {
	Name string `json:"name"`
	Want string `json:"want"`
	Got  string `json:"got"`
	Met  bool   `json:"met"`
}

// Limits of the targets.
const (
	wallSlack   = 1.3       // plan wall time ≤ this × the lower bound
	rssLimitKiB = 300 << 10 // peak memory below 300 MiB
)

// ghlctlPhases are the steps whose 429s and memory are held to the targets.
var ghlctlPhases = []string{"plan (no changes)", "apply (1 change each)"}

func targets(r *Results) []target {
	var out []target
	if p := r.phase("plan (no changes)"); p != nil {
		out = append(out,
			target{"plan requests", fmt.Sprintf("= %d (minimum)", p.Minimum), fmt.Sprint(p.Requests),
				p.Requests == p.Minimum},
			target{"plan wall time",
				fmt.Sprintf("≤ %.1fs (%.1f × bound)", wallSlack*seconds(p.LowerBound), wallSlack),
				fmt.Sprintf("%.1fs", seconds(p.Wall)), float64(p.Wall) <= wallSlack*float64(p.LowerBound)})
	}
	for _, name := range ghlctlPhases {
		p := r.phase(name)
		if p == nil {
			continue
		}
		out = append(out,
			target{name + " 429s", "0", fmt.Sprint(p.Status429), p.Status429 == 0},
			target{name + " peak memory", "< 300 MiB", mib(p.MaxRSSKiB), p.MaxRSSKiB < rssLimitKiB})
	}
	return out
}

// Missed returns the targets not met.
func (r *Results) Missed() []target {
	var out []target
	for _, t := range r.Targets {
		if !t.Met {
			out = append(out, t)
		}
	}
	return out
}

func seconds(d duration) float64 { return time.Duration(d).Seconds() }

func mib(kib int64) string {
	if kib == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f MiB", float64(kib)/1024)
}

// printTable writes the results for people.
func printTable(w io.Writer, r *Results) {
	c := r.Config
	fmt.Fprintf(w, "\nghlctl fleet benchmark: %d sub-accounts (%d objects), latency %s, "+
		"parallelism %d, %d CPUs\n", c.N, r.Seed.Objects, c.Latency, c.Parallelism, r.Machine.CPUs)
	fmt.Fprintf(w, "seeded over HTTP with %d requests in %.1fs\n\n", r.Seed.Requests,
		seconds(r.Seed.Wall))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "step\trequests\tminimum\twrites\twall\tbound\twall/bound\t429s\tpeak RSS\t")
	rows := slices.Clone(r.Phases)
	if r.PerObject != nil {
		rows = append(rows, *r.PerObject)
	}
	for _, p := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.1fs\t%.1fs\t%.2f\t%d\t%s\t\n", p.Name, p.Requests, p.Minimum,
			p.Writes, seconds(p.Wall), seconds(p.LowerBound), ratio(p.Wall, p.LowerBound), p.Status429,
			mib(p.MaxRSSKiB))
	}
	tw.Flush()
	fmt.Fprintln(w, "bound = requests × latency ÷ parallelism")
	if p := r.phase("plan (no changes)"); p != nil && p.ByKind != nil {
		fmt.Fprintf(w, "plan requests by kind: %s\n", kinds(p.ByKind))
	}
	if r.Ratios != nil {
		fmt.Fprintf(w, "per-object ÷ ghlctl plan: %.2f× the requests, %.2f× the wall time\n",
			r.Ratios.Requests, r.Ratios.Wall)
	}
	fmt.Fprintln(w, "\ntargets:")
	for _, t := range r.Targets {
		mark := "ok  "
		if !t.Met {
			mark = "MISS"
		}
		fmt.Fprintf(w, "  %s %-34s want %-22s got %s\n", mark, t.Name, t.Want, t.Got)
	}
}

func ratio(a, b duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func kinds(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(mapKeys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func mapKeys(m map[string]int) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// writeJSON writes the results to path, creating its folder.
func writeJSON(path string, r *Results) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
