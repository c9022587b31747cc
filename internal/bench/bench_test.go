package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"
)

// TestSmallFleet runs the whole harness on 20 sub-accounts with 5 ms of
// latency. Wall-time targets mean little at that size (starting the process
// costs more than the bound), so only the counts are held to them.
func TestSmallFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds ghlctl and runs it against a served sandbox")
	}
	cfg, err := parseConfig([]string{"-n", "20", "-latency", "5ms",
		"-json", filepath.Join(t.TempDir(), "results.json")}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	res, err := runBench(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(cfg.JSON, res); err != nil {
		t.Fatal(err)
	}
	for _, p := range append(res.Phases, *res.PerObject) {
		if p.Requests != p.Minimum {
			t.Errorf("%s: %d requests, want %d: %v", p.Name, p.Requests, p.Minimum, p.ByKind)
		}
		if p.Status429 != 0 {
			t.Errorf("%s: %d answers were 429", p.Name, p.Status429)
		}
	}
	if apply := res.phase("apply (1 change each)"); apply == nil || apply.Writes != cfg.N {
		t.Errorf("apply: want %d writes, got %+v", cfg.N, apply)
	}
	if res.Ratios == nil || res.Ratios.Requests <= 1 {
		t.Errorf("per-object ratios: %+v", res.Ratios)
	}
}
