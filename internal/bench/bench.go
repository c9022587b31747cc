package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/northwind/ghlctl/sandbox"
)

// config is the harness's flags.
type config struct {
	N             int           `json:"subAccounts"`
	Latency       time.Duration `json:"-"`
	Parallelism   int           `json:"parallelism"`
	JSON          string        `json:"-"`
	SkipPerObject bool          `json:"skipPerObject"`
	LatencyText   string        `json:"latency"`
	Profile       string        `json:"profile,omitempty"`
}

// defaultParallelism is ghlctl's own default, so the figures are those a
// user gets without flags.
const defaultParallelism = 10

func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.N, "n", 1000, "sub-accounts in the fleet")
	fs.DurationVar(&c.Latency, "latency", 50*time.Millisecond,
		"latency the sandbox adds to every request")
	fs.IntVar(&c.Parallelism, "parallelism", defaultParallelism,
		"sub-accounts read at once, by ghlctl and by the per-object strategy alike")
	fs.StringVar(&c.JSON, "json", filepath.Join("bench-results", "latest.json"),
		"where to write the results")
	fs.BoolVar(&c.SkipPerObject, "skip-per-object", false, "do not time the per-object strategy")
	fs.StringVar(&c.Profile, "profile", "",
		"write CPU and memory profiles (and the output) of each ghlctl step into this folder")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.N < 1 || c.Parallelism < 1 || c.Latency < 0 {
		return c, errors.New("-n and -parallelism must be at least 1, -latency not negative")
	}
	c.LatencyText = c.Latency.String()
	return c, nil
}

// Results is everything one run measured; it is written as JSON.
type Results struct {
	Config    config    `json:"config"`
	Machine   machine   `json:"machine"`
	Started   time.Time `json:"started"`
	Seed      seeding   `json:"seed"`
	Phases    []Phase   `json:"phases"`
	PerObject *Phase    `json:"perObject,omitempty"`
	// Ratios are per-object ÷ ghlctl's plan.
	Ratios  *ratios  `json:"ratios,omitempty"`
	Targets []target `json:"targets"`
}

type machine struct {
	CPUs      int    `json:"cpus"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	GoVersion string `json:"goVersion"`
}

type seeding struct {
	SubAccounts int      `json:"subAccounts"`
	Objects     int      `json:"objects"`
	Requests    int64    `json:"requests"`
	Wall        duration `json:"wallSeconds"`
}

type ratios struct {
	Requests float64 `json:"requests"`
	Wall     float64 `json:"wall"`
}

// fleet is the served sandbox, its sub-accounts and the ghlctl to run.
type fleet struct {
	sb    *sandbox.Server
	api   *api
	sites []site
	tk    sandbox.Tokens
	dir   string
	g     *ghlctl
}

// runBench sets the fleet up and measures every step.
func runBench(ctx context.Context, cfg config, log io.Writer) (*Results, error) {
	res := &Results{Config: cfg, Started: time.Now().UTC(), Machine: machine{
		CPUs: runtime.NumCPU(), OS: runtime.GOOS, Arch: runtime.GOARCH, GoVersion: runtime.Version(),
	}}
	f, err := setUp(ctx, cfg, log, res)
	if f != nil {
		defer f.close()
	}
	if err != nil {
		return nil, err
	}
	m := &meter{sb: f.sb, api: f.api, latency: cfg.Latency, parallelism: cfg.Parallelism, sites: cfg.N}
	if err := measureGhlctl(ctx, f, m, log, res); err != nil {
		return nil, err
	}
	if !cfg.SkipPerObject {
		if err := measurePerObject(ctx, f, m, log, res); err != nil {
			return nil, err
		}
	}
	res.Targets = targets(res)
	return res, nil
}

// setUp starts the sandbox with latency injected, seeds it over HTTP, writes
// the manifests and builds ghlctl.
func setUp(ctx context.Context, cfg config, log io.Writer, res *Results) (*fleet, error) {
	faults, err := sandbox.ParseFaults("latency=" + cfg.Latency.String())
	if err != nil {
		return nil, err
	}
	sb, err := sandbox.New(sandbox.Options{DataFile: "", Seed: false, Faults: faults})
	if err != nil {
		return nil, err
	}
	f := &fleet{sb: sb}
	url, err := sb.Start("127.0.0.1:0")
	if err != nil {
		return f, err
	}
	if f.dir, err = os.MkdirTemp("", "ghlctl-bench-"); err != nil {
		return f, err
	}
	f.api = newAPI(url, seedWorkers)
	fmt.Fprintf(log, "seeding %d sub-accounts through %s ...\n", cfg.N, url)
	start := time.Now()
	if f.sites, f.tk, err = seedFleet(ctx, f.api, cfg.N); err != nil {
		return f, fmt.Errorf("seed: %w", err)
	}
	res.Seed = seeding{SubAccounts: cfg.N, Objects: cfg.N * objectsPerSite,
		Requests: f.api.sent.Load(), Wall: duration(time.Since(start))}
	fmt.Fprintf(log, "seeded %d objects with %d requests in %s\n", res.Seed.Objects, res.Seed.Requests,
		time.Since(start).Round(time.Millisecond))
	manifests := filepath.Join(f.dir, "manifests")
	if err := writeManifests(manifests, f.sites, contentOf); err != nil {
		return f, err
	}
	pkg := ghlctlPackage
	if cfg.Profile != "" {
		pkg = profiledPackage
		if cfg.Profile, err = filepath.Abs(cfg.Profile); err != nil {
			return f, err
		}
		if err := os.MkdirAll(cfg.Profile, 0o755); err != nil {
			return f, err
		}
	}
	bin, err := buildGhlctl(ctx, f.dir, pkg)
	if err != nil {
		return f, err
	}
	f.g = &ghlctl{bin: bin, endpoint: url, manifests: manifests, parallelism: cfg.Parallelism,
		state: filepath.Join(f.dir, "ghlctl.state.json"), logs: f.dir, profiles: cfg.Profile}
	if cfg.Profile != "" {
		f.g.logs = cfg.Profile // keep what each step printed beside its profiles
	}
	return f, nil
}

func (f *fleet) close() {
	_ = f.sb.Close()
	if f.dir != "" {
		_ = os.RemoveAll(f.dir)
	}
}

// measureGhlctl times the adopting apply, the plan with nothing to do, and
// an apply of one change per sub-account.
//
// The timed plan runs after the adopting apply: a plan of objects that only
// need adopting already says "No changes.", but it is the plan of a fleet
// that ghlctl already manages, with every object in the state, that users
// run day after day.
func measureGhlctl(ctx context.Context, f *fleet, m *meter, log io.Writer, res *Results) error {
	steps := []struct {
		file, name string // file names the step's output and profiles
		command    string
		minimum    map[string]int
		before     func() error
		want       string
		args       []string
	}{
		{"adopt", "apply (adopt all)", "apply", minimumPlan(f.sites), nil,
			"Apply complete", []string{"--auto-approve"}},
		{"plan", "plan (no changes)", "plan", minimumPlan(f.sites), nil,
			"No changes.", []string{"--detailed-exitcode"}},
		{"apply", "apply (1 change each)", "apply", minimumApply(f.sites), editOneValue(f),
			fmt.Sprintf("Apply complete: %d changes applied.", len(f.sites)), []string{"--auto-approve"}},
	}
	for _, st := range steps {
		if st.before != nil {
			if err := st.before(); err != nil {
				return err
			}
		}
		fmt.Fprintf(log, "timing ghlctl %s ...\n", st.name)
		p, r, err := m.measure(ctx, st.name, st.minimum, func() (run, error) {
			return f.g.run(ctx, st.file, st.command, st.args...)
		})
		if err != nil {
			return err
		}
		if !strings.Contains(r.stdout, st.want) {
			return fmt.Errorf("ghlctl %s did not say %q:\n%s", st.name, st.want, tail(r.stdout, 20))
		}
		res.Phases = append(res.Phases, p)
	}
	return nil
}

// editOneValue rewrites the manifests with one changed custom value in each.
func editOneValue(f *fleet) func() error {
	return func() error {
		return writeManifests(f.g.manifests, f.sites, func(s site) content { return edited(contentOf(s)) })
	}
}

// measurePerObject times the per-object strategy and compares it with
// ghlctl's plan.
func measurePerObject(ctx context.Context, f *fleet, m *meter, log io.Writer, res *Results) error {
	fmt.Fprintf(log, "timing the per-object plan ...\n")
	reader := newAPI(f.api.base, m.parallelism)
	p, _, err := m.measure(ctx, "per-object plan", minimumPerObject(f.sites), func() (run, error) {
		return perObjectPlan(ctx, reader, f.sites, f.tk.CompanyID, m.parallelism)
	})
	if err != nil {
		return err
	}
	res.PerObject = &p
	if plan := res.phase("plan (no changes)"); plan != nil && plan.Requests > 0 && plan.Wall > 0 {
		res.Ratios = &ratios{
			Requests: float64(p.Requests) / float64(plan.Requests),
			Wall:     float64(p.Wall) / float64(plan.Wall),
		}
	}
	return nil
}

func (r *Results) phase(name string) *Phase {
	for i := range r.Phases {
		if r.Phases[i].Name == name {
			return &r.Phases[i]
		}
	}
	return nil
}
