package cli

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/northwind/ghlctl/providers"
	"github.com/northwind/ghlctl/providers/highlevel"
	"github.com/northwind/ghlctl/sandbox"
	"github.com/northwind/ghlctl/spec"
	"github.com/northwind/ghlctl/state"
)

// load reads the manifests and keeps the Locations that the selector and
// shard flags choose.
func (g *globals) load(paths []string) (*spec.Set, error) {
	set, err := spec.Load(spec.LoadOptions{Paths: paths})
	if err != nil {
		return nil, err
	}
	for _, loc := range set.Locations {
		for _, e := range loc.Lists[spec.KindCustomValues] {
			if e.Sensitive {
				secrets.add(fmt.Sprint(e.Fields["value"]))
			}
		}
	}
	if g.selector != "" {
		sel, err := spec.ParseSelector(g.selector)
		if err != nil {
			return nil, fmt.Errorf("-l %s: %w", g.selector, err)
		}
		set.Locations = filter(set.Locations, func(l *spec.Location) bool { return sel.Matches(l.Labels) })
	}
	if g.shard != "" {
		i, n, err := parseShard(g.shard)
		if err != nil {
			return nil, err
		}
		set.Locations = filter(set.Locations, func(l *spec.Location) bool {
			return shardOf(l.Address, n) == i
		})
	}
	return set, nil
}

func filter(locs []*spec.Location, keep func(*spec.Location) bool) []*spec.Location {
	var out []*spec.Location
	for _, l := range locs {
		if keep(l) {
			out = append(out, l)
		}
	}
	return out
}

// parseShard reads "I/N" (1-based).
func parseShard(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return 0, 0, fmt.Errorf("--shard %q: want I/N with 1 <= I <= N", s)
	}
	return i, n, nil
}

// shardOf places an address in one of n shards by a hash of the address, so
// adding a Location moves no other.
func shardOf(address string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(address))
	return int(h.Sum32()%uint32(n)) + 1
}

// session is what a command that talks to HighLevel needs.
type session struct {
	client      *highlevel.Client
	fleet       *providers.Fleet
	sb          *sandbox.Server
	sandboxLock *os.File
}

func (s *session) Close() {
	if s.sb != nil {
		s.sb.Close()
	}
	if s.sandboxLock != nil {
		s.sandboxLock.Close()
	}
}

// connect builds the client and the fleet, starting the in-process sandbox
// when asked to.
func (g *globals) connect(ctx context.Context, set *spec.Set) (*session, error) {
	s := &session{}
	base := g.endpoint
	var tokens providers.Tokens
	companyID := ""
	if set != nil && set.Agency != nil {
		companyID = set.Agency.CompanyID
	}
	if g.sandbox {
		tk, url, sb, err := g.openSandbox(ctx)
		if err != nil {
			return nil, err
		}
		s.sb, base, companyID = sb, url, tk.CompanyID
		s.sandboxLock, g.sandboxLock = g.sandboxLock, nil
		tokens = &sandboxTokens{tk: tk, refresh: func() (sandbox.Tokens, error) {
			if sb != nil {
				next := sb.Tokens()
				secrets.addTokens(next)
				return next, nil
			}
			return remoteSandboxTokens(ctx, url)
		}}
	} else {
		tokens = envTokens{set: set, gateway: g.gateway == "maton"}
	}
	c, err := g.client(base)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.client = c
	s.fleet = &providers.Fleet{Client: c, CompanyID: companyID, Tokens: tokens}
	return s, nil
}

func (g *globals) client(base string) (*highlevel.Client, error) {
	cfg := highlevel.Config{
		BaseURL: base, UserAgent: "ghlctl/" + Version, Logger: g.log,
		Gateway: g.gateway == "maton" && !g.sandbox,
	}
	if cfg.Gateway {
		cfg.GatewayKey = os.Getenv("MATON_API_KEY")
		secrets.add(cfg.GatewayKey)
	}
	return highlevel.New(cfg)
}

// openSandbox starts the in-process sandbox, or reads the tokens of one
// served elsewhere when --endpoint is given.
func (g *globals) openSandbox(ctx context.Context) (sandbox.Tokens, string, *sandbox.Server, error) {
	if g.endpoint != "" {
		tk, err := remoteSandboxTokens(ctx, g.endpoint)
		return tk, g.endpoint, nil, err
	}
	faults, err := sandbox.ParseFaults(g.sandboxFault)
	if err != nil {
		return sandbox.Tokens{}, "", nil, fmt.Errorf("--sandbox-faults: %w", err)
	}
	if err := os.MkdirAll(".ghlctl", 0o755); err != nil {
		return sandbox.Tokens{}, "", nil, err
	}
	if err := g.holdSandbox(); err != nil {
		return sandbox.Tokens{}, "", nil, err
	}
	release := g.sandboxLock
	fail := func(err error) (sandbox.Tokens, string, *sandbox.Server, error) {
		release.Close()
		return sandbox.Tokens{}, "", nil, err
	}
	sb, err := sandbox.New(sandbox.Options{
		DataFile: filepath.Join(".ghlctl", "sandbox.json"), Seed: true, Faults: faults,
	})
	if err != nil {
		return fail(fmt.Errorf("sandbox: %w", err))
	}
	url, err := sb.Start("127.0.0.1:0")
	if err != nil {
		return fail(fmt.Errorf("sandbox: %w", err))
	}
	tk := sb.Tokens()
	secrets.addTokens(tk)
	return tk, url, sb, nil
}

// stateWhere is where the state lives: --state, else $GHLCTL_STATE, else
// the file beside the manifests. It may be a postgres:// URL with a password.
func (g *globals) stateWhere(set *spec.Set) string {
	if where := g.stateSetting(); where != "" {
		return where
	}
	root := "."
	if set != nil && set.Root != "" {
		root = set.Root
	}
	return filepath.Join(root, "ghlctl.state.json")
}

// stateSetting is the state named by --state, which wins, or by
// $GHLCTL_STATE, or "".
func (g *globals) stateSetting() string {
	if g.state != "" {
		return g.state
	}
	return os.Getenv("GHLCTL_STATE")
}

// statePath names the state for output and saved plans, without a password.
func (g *globals) statePath(set *spec.Set) string {
	return state.RedactURL(g.stateWhere(set))
}

func (g *globals) backend(set *spec.Set) (state.Backend, error) {
	return g.openBackend(g.stateWhere(set))
}

// openBackend opens the state at where: a PostgreSQL URL or a file path.
func (g *globals) openBackend(where string) (state.Backend, error) {
	if !state.IsPostgresURL(where) {
		return state.NewFile(where, g.lockTimeout), nil
	}
	if u, err := url.Parse(where); err == nil {
		pw, _ := u.User.Password()
		secrets.add(pw)
		secrets.add(u.Query().Get("password"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := state.NewPostgres(ctx, where, g.lockTimeout)
	if err != nil {
		return nil, err
	}
	p.Logger = g.log
	return p, nil
}

// closeBackend closes a backend that holds connections.
func closeBackend(b state.Backend) {
	if c, ok := b.(interface{ Close() }); ok {
		c.Close()
	}
}

// holdSandbox takes the in-process sandbox's lock until the session closes:
// two commands that each load .ghlctl/sandbox.json and write it back would
// lose one another's changes, so the second waits for the first.
func (g *globals) holdSandbox() error {
	f, err := os.OpenFile(filepath.Join(".ghlctl", "sandbox.lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	g.sandboxLock = f
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
		return nil
	}
	fmt.Fprintln(g.stderr, "Waiting for another ghlctl command that uses the sandbox in this folder...")
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
}
