package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binary is the ghlctl built once for the whole suite.
var binary string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

// buildAndRun builds ghlctl from the module root into a temporary folder,
// runs the tests and removes the folder.
func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "ghlctl-e2e-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "ghlctl")
	build := exec.Command("go", "build", "-o", binary, "..")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: build ghlctl: %v\n", err)
		return 1
	}
	return m.Run()
}
