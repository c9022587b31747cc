package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Packages the harness builds: ghlctl, or ghlctl writing profiles.
const (
	ghlctlPackage   = "github.com/northwind/ghlctl"
	profiledPackage = "github.com/northwind/ghlctl/internal/bench/profiled"
)

// buildGhlctl builds a ghlctl binary of this module into dir, once.
func buildGhlctl(ctx context.Context, dir, pkg string) (string, error) {
	bin := filepath.Join(dir, "ghlctl")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, pkg)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build ghlctl: %w\n%s", err, stderr.String())
	}
	return bin, nil
}

// ghlctl runs the built binary against the served sandbox.
type ghlctl struct {
	bin         string
	endpoint    string
	manifests   string
	state       string
	logs        string // where each run's output is kept
	profiles    string // where each run's profiles go; "" for none
	parallelism int
}

// run is one finished ghlctl process.
type run struct {
	wall   time.Duration
	maxRSS int64 // KiB
	stdout string
}

// run runs `ghlctl <command> ...` and waits for it. The output goes to a
// file, since an apply of a thousand sub-accounts prints a line per change;
// an exit code other than 0 is an error that quotes the end of it.
func (g *ghlctl) run(ctx context.Context, name, command string, extra ...string) (run, error) {
	args := append([]string{command, "--sandbox", "--endpoint", g.endpoint,
		"--parallelism", strconv.Itoa(g.parallelism), "--state", g.state, "--no-color",
		"-f", g.manifests}, extra...)
	outPath := filepath.Join(g.logs, name+".out")
	out, err := os.Create(outPath)
	if err != nil {
		return run{}, err
	}
	defer out.Close()
	cmd := exec.CommandContext(ctx, g.bin, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	if g.profiles != "" {
		cmd.Env = append(cmd.Env, "GHLCTL_PROFILE="+filepath.Join(g.profiles, name))
	}
	start := time.Now()
	err = cmd.Run()
	r := run{wall: time.Since(start)}
	if cmd.ProcessState != nil {
		r.maxRSS = maxRSSKiB(cmd.ProcessState)
	}
	data, _ := os.ReadFile(outPath)
	r.stdout = string(data)
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			err = fmt.Errorf("ghlctl %s: %w\n%s", command, err, tail(r.stdout, 20))
		}
		return r, err
	}
	return r, nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
