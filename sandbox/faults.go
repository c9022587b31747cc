package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults make the sandbox misbehave the ways a real network and server do,
// so retries and recovery can be tested. Rates are probabilities per API
// request; at most one of 429, 5xx, reset and lost happens to a request.
type Faults struct {
	Latency time.Duration // added before every API request is handled
	Jitter  time.Duration // up to this much more, uniformly
	Rate429 float64       // answer 429 without handling the request
	Rate5xx float64       // answer 500, 502 or 503 without handling the request
	Reset   float64       // close the connection before handling the request
	Lost    float64       // handle and commit the request, then close the connection unanswered
	Seed    int64         // the same seed gives the same sequence; 0 seeds from the clock
}

// ParseFaults reads a fault spec: comma-separated name=value pairs, such as
// "latency=50ms,jitter=10ms,429=0.1,5xx=0.05,reset=0.02,lost=0.01,seed=7".
// An empty spec is no faults.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, value, found := strings.Cut(item, "=")
		if !found {
			return Faults{}, fmt.Errorf("fault %q: want name=value", item)
		}
		if err := f.set(strings.TrimSpace(name), strings.TrimSpace(value)); err != nil {
			return Faults{}, fmt.Errorf("fault %q: %w", item, err)
		}
	}
	if sum := f.Rate429 + f.Rate5xx + f.Reset + f.Lost; sum > 1 {
		return Faults{}, fmt.Errorf("faults: rates add up to %g, more than 1", sum)
	}
	return f, nil
}

func (f *Faults) set(name, value string) error {
	var err error
	switch name {
	case "latency":
		f.Latency, err = parseDuration(value)
	case "jitter":
		f.Jitter, err = parseDuration(value)
	case "429":
		f.Rate429, err = parseRate(value)
	case "5xx":
		f.Rate5xx, err = parseRate(value)
	case "reset":
		f.Reset, err = parseRate(value)
	case "lost":
		f.Lost, err = parseRate(value)
	case "seed":
		f.Seed, err = strconv.ParseInt(value, 10, 64)
	default:
		return fmt.Errorf("unknown fault %q (want latency, jitter, 429, 5xx, reset, lost or seed)", name)
	}
	return err
}

func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("want a duration such as 50ms, got %q", s)
	}
	return d, nil
}

func parseRate(s string) (float64, error) {
	r, err := strconv.ParseFloat(s, 64)
	if err != nil || r < 0 || r > 1 {
		return 0, fmt.Errorf("want a probability between 0 and 1, got %q", s)
	}
	return r, nil
}

// String renders the faults in the syntax ParseFaults reads.
func (f Faults) String() string {
	var parts []string
	add := func(name string, set bool, value string) {
		if set {
			parts = append(parts, name+"="+value)
		}
	}
	rate := func(r float64) string { return strconv.FormatFloat(r, 'g', -1, 64) }
	add("latency", f.Latency > 0, f.Latency.String())
	add("jitter", f.Jitter > 0, f.Jitter.String())
	add("429", f.Rate429 > 0, rate(f.Rate429))
	add("5xx", f.Rate5xx > 0, rate(f.Rate5xx))
	add("reset", f.Reset > 0, rate(f.Reset))
	add("lost", f.Lost > 0, rate(f.Lost))
	add("seed", f.Seed != 0, strconv.FormatInt(f.Seed, 10))
	return strings.Join(parts, ",")
}

type faultKind int

const (
	faultNone faultKind = iota
	faultReset
	fault429
	fault5xx
	faultLost
)

// decision is what happens to one request.
type decision struct {
	delay  time.Duration
	kind   faultKind
	status int // for fault5xx
}

func (d decision) name() string {
	return [...]string{"", "reset", "429", "5xx", "lost"}[d.kind]
}

// injector draws decisions from one seeded source, in request order.
type injector struct {
	f   Faults
	mu  sync.Mutex
	rng *rand.Rand
}

func newInjector(f Faults) *injector {
	seed := uint64(f.Seed)
	if f.Seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	return &injector{f: f, rng: rand.New(rand.NewPCG(seed, 0x5eed))}
}

// next decides the fate of the next request. The draws happen in a fixed
// order (jitter, fault, status) so a seed always gives the same sequence.
func (in *injector) next() decision {
	f := in.f
	if f == (Faults{Seed: f.Seed}) {
		return decision{}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	d := decision{delay: f.Latency}
	if f.Jitter > 0 {
		d.delay += time.Duration(in.rng.Int64N(int64(f.Jitter) + 1))
	}
	if f.Reset+f.Rate429+f.Rate5xx+f.Lost == 0 {
		return d
	}
	u := in.rng.Float64()
	for _, c := range []struct {
		rate float64
		kind faultKind
	}{{f.Reset, faultReset}, {f.Rate429, fault429}, {f.Rate5xx, fault5xx}, {f.Lost, faultLost}} {
		if u < c.rate {
			d.kind = c.kind
			break
		}
		u -= c.rate
	}
	if d.kind == fault5xx {
		d.status = [...]int{500, 502, 503}[in.rng.IntN(3)]
	}
	return d
}
