// Command ghlctl manages HighLevel agency and sub-account configuration as
// code: YAML manifests, a plan of changes, and an approved apply.
package main

import (
	"os"
	"runtime/debug"

	"github.com/northwind/ghlctl/cli"
)

// memoryLimit is the soft limit the garbage collector keeps the heap under,
// unless GOMEMLIMIT says otherwise: a fleet's plan holds little at a time but
// allocates much, and without a limit the heap may grow to twice what is live.
const memoryLimit = 250 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
