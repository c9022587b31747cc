// Command bench measures ghlctl on a fleet of sub-accounts: how many requests
// a plan and an apply send, how long they take against a server that answers
// every request after a fixed latency, how close that is to the least the
// requests allow, and how much memory the ghlctl process needs.
//
// It serves a sandbox in its own process (in memory, rate limits on, latency
// injected), creates the fleet through the API as a user would, writes a
// Location manifest per sub-account that names everything in it, and runs
// the built ghlctl binary against it:
//
//  1. apply, which adopts every object (the plan says "No changes."; the
//     state records them all);
//  2. plan, with nothing to do: the figure that matters most, since it is
//     what every pull request runs;
//  3. apply of one changed custom value per sub-account.
//
// Then it reads the same fleet the way a per-object provider plans (a GET
// for every object) for comparison. Requests and 429s are counted by the
// sandbox, so they are what the server saw, retries included.
//
//	go run ./internal/bench [-n 1000] [-latency 50ms] [-parallelism 10]
//	    [-json FILE] [-skip-per-object] [-profile DIR]
//
// It prints a table, writes the results as JSON (bench-results/latest.json)
// and exits 1 when ghlctl misses one of its targets.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(benchMain(ctx, os.Args[1:]))
}

func benchMain(ctx context.Context, args []string) int {
	cfg, err := parseConfig(args, os.Stderr)
	if err != nil {
		return 2
	}
	res, err := runBench(ctx, cfg, os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		return 1
	}
	printTable(os.Stdout, res)
	if err := writeJSON(cfg.JSON, res); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		return 1
	}
	fmt.Printf("\nresults written to %s\n", cfg.JSON)
	if missed := res.Missed(); len(missed) > 0 {
		fmt.Fprintf(os.Stderr, "bench: ghlctl missed %d of its targets\n", len(missed))
		return 1
	}
	return 0
}
