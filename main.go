// Command ghlctl manages HighLevel agency and sub-account configuration as
// code: YAML manifests, a plan of changes, and an approved apply.
package main

import (
	"os"

	"github.com/northwind/ghlctl/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
