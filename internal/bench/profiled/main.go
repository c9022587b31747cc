// Command profiled is ghlctl that profiles its own run, for
// `go run ./internal/bench -profile DIR`. GHLCTL_PROFILE names the files'
// common prefix: PREFIX.cpu.pprof (CPU), PREFIX.allocs.pprof (everything
// allocated) and PREFIX.peak.pprof (the heap in use when it was largest, so
// that a high peak RSS can be traced to what held the memory).
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

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
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() { watchPeak(prefix+".peak.pprof", stop); close(watched) }()
	code := cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	close(stop)
	<-watched
	pprof.StopCPUProfile()
	cpu.Close()
	if err := writeProfile("allocs", prefix+".allocs.pprof"); err != nil {
		fmt.Fprintf(os.Stderr, "profile: %v\n", err)
	}
	os.Exit(code)
}

// watchPeak samples the heap four times a second and writes a heap profile
// each time the heap in use has grown by a tenth since the last one.
func watchPeak(path string, stop <-chan struct{}) {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	var peak uint64
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > peak+peak/10 {
			peak = ms.HeapInuse
			if err := writeProfile("heap", path); err != nil {
				fmt.Fprintf(os.Stderr, "profile: %v\n", err)
				return
			}
		}
	}
}

func writeProfile(name, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup(name).WriteTo(f, 0)
}
