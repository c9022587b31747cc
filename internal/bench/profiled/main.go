// Command profiled is ghlctl that writes a CPU profile and a heap profile
// of its run, for `go run ./internal/bench -profile DIR`. GHLCTL_PROFILE
// names the files' common prefix: PREFIX.cpu.pprof and PREFIX.heap.pprof.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/northwind/ghlctl/cli"
)

func main() {
	prefix := os.Getenv("GHLCTL_PROFILE")
	if prefix == "" {
		os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	cpu, err := os.Create(prefix + ".cpu.pprof")
	if err == nil {
		err = pprof.StartCPUProfile(cpu)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "profile: %v\n", err)
		os.Exit(1)
	}
	code := cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	pprof.StopCPUProfile()
	cpu.Close()
	if err := writeHeap(prefix + ".heap.pprof"); err != nil {
		fmt.Fprintf(os.Stderr, "profile: %v\n", err)
	}
	os.Exit(code)
}

// writeHeap writes the allocations of the whole run (the heap profile's
// alloc_space and alloc_objects views).
func writeHeap(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}
