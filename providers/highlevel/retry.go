package highlevel

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// RetryPolicy says how hard the client tries. The zero value means the
// defaults noted on each field.
type RetryPolicy struct {
	// Attempts bounds the tries of one idempotent request; 0 means 8.
	Attempts int
	// Backoff is the first wait between tries, doubled each time; 0 means 200ms.
	Backoff time.Duration
	// Burst and Window are the server's burst limit per token and resource;
	// 0 means 100 requests per 10 seconds.
	Burst  int
	Window time.Duration
	// DailyReserve stops new requests when the daily budget left falls to it;
	// 0 means 50.
	DailyReserve int
	// NoLimit turns client-side rate limiting off.
	NoLimit bool
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.Attempts == 0 {
		p.Attempts = 8
	}
	if p.Backoff == 0 {
		p.Backoff = 200 * time.Millisecond
	}
	if p.Burst == 0 {
		p.Burst = 100
	}
	if p.Window == 0 {
		p.Window = 10 * time.Second
	}
	if p.DailyReserve == 0 {
		p.DailyReserve = 50
	}
	return p
}

// Metrics counts what a client did.
type Metrics struct {
	Requests   int64 // HTTP attempts sent
	Retries    int64 // attempts after the first of one request
	RateLimits int64 // 429 answers
	Waited     time.Duration
}

type metrics struct {
	requests, retries, rateLimits, waited atomic.Int64
}

func (m *metrics) snapshot() Metrics {
	return Metrics{
		Requests:   m.requests.Load(),
		Retries:    m.retries.Load(),
		RateLimits: m.rateLimits.Load(),
		Waited:     time.Duration(m.waited.Load()),
	}
}

// limiterSet keeps one limiter per token and resource, the unit the server
// counts. A token bucket refilled slightly slower than the server's window
// never sends more than the window allows, whatever the phase of the window.
type limiterSet struct {
	policy RetryPolicy
	mu     sync.Mutex
	byKey  map[string]*limiter
}

type limiter struct {
	bucket *rate.Limiter
	mu     sync.Mutex
	until  time.Time // paused until, after a 429 or an empty window
	daily  int       // daily budget left, -1 when unknown
}

func newLimiterSet(p RetryPolicy) *limiterSet {
	return &limiterSet{policy: p, byKey: map[string]*limiter{}}
}

func (s *limiterSet) get(r Request) *limiter {
	sum := sha256.Sum256([]byte(r.Cred.Secret + "\x00" + r.Cred.Connection + "\x00" + r.Resource))
	key := hex.EncodeToString(sum[:8])
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.byKey[key]
	if !ok {
		burst := max(1, s.policy.Burst/10)
		perSecond := float64(s.policy.Burst-burst) / s.policy.Window.Seconds()
		l = &limiter{bucket: rate.NewLimiter(rate.Limit(perSecond), burst), daily: -1}
		s.byKey[key] = l
	}
	return l
}

// wait blocks until the limiter allows one more request.
func (l *limiter) wait(ctx context.Context, reserve int) (time.Duration, error) {
	start := time.Now()
	l.mu.Lock()
	until, daily := l.until, l.daily
	l.mu.Unlock()
	if daily >= 0 && daily <= reserve {
		return 0, ErrDailyLimit
	}
	if d := time.Until(until); d > 0 {
		if err := sleep(ctx, d); err != nil {
			return 0, err
		}
	}
	if err := l.bucket.Wait(ctx); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// observe reads the rate limit headers of an answer.
func (l *limiter) observe(h http.Header, window time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if v, err := strconv.Atoi(h.Get("X-RateLimit-Daily-Remaining")); err == nil {
		l.daily = v
	}
	if v, err := strconv.Atoi(h.Get("X-RateLimit-Remaining")); err == nil && v <= 0 {
		l.pause(intervalOf(h, window))
	}
}

func (l *limiter) pause(d time.Duration) {
	if t := time.Now().Add(d); t.After(l.until) {
		l.until = t
	}
}

func intervalOf(h http.Header, fallback time.Duration) time.Duration {
	if ms, err := strconv.Atoi(h.Get("X-RateLimit-Interval-Milliseconds")); err == nil && ms > 0 {
		return time.Duration(ms) * time.Millisecond
	}
	return fallback
}

// retryAfter is how long a 429 asks us to wait: Retry-After when the server
// gives it; a whole interval when the headers say the window is spent, since
// the window's start is not reported; else (a 429 that the window does not
// explain) the ordinary backoff. Jitter keeps waiting workers from all
// returning at once.
func retryAfter(h http.Header, window, backoff time.Duration) time.Duration {
	d := backoff
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s >= 0 {
		d = time.Duration(s) * time.Second
	} else if h.Get("X-RateLimit-Remaining") == "0" {
		d = intervalOf(h, window)
	}
	return d + jitter(d/10+50*time.Millisecond)
}

func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// send runs r to completion: it waits for the rate limiter, retries what is
// safe to retry, and turns the final answer into a body or an error.
func (c *Client) send(ctx context.Context, r Request, body []byte) ([]byte, error) {
	p := c.limits.policy
	lim := c.limits.get(r)
	idempotent := r.Method != http.MethodPost
	for try := 1; ; try++ {
		if err := c.throttle(ctx, lim, p); err != nil {
			return nil, err
		}
		start := time.Now()
		resp, data, err := c.attempt(ctx, r, body)
		c.metrics.requests.Add(1)
		if try > 1 {
			c.metrics.retries.Add(1)
		}
		c.logAttempt(r, resp, err, start, try)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		retry, wait, final := c.judge(r, resp, data, err, lim, idempotent, try)
		if !retry {
			return data, final
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func (c *Client) throttle(ctx context.Context, lim *limiter, p RetryPolicy) error {
	if p.NoLimit {
		return nil
	}
	waited, err := lim.wait(ctx, p.DailyReserve)
	if waited > time.Millisecond {
		c.metrics.waited.Add(int64(waited))
	}
	return err
}

// judge decides what to do after one attempt: retry (and after how long), or
// stop with the body and error to return.
func (c *Client) judge(r Request, resp *http.Response, data []byte, err error,
	lim *limiter, idempotent bool, try int) (bool, time.Duration, error) {
	p := c.limits.policy
	if err != nil {
		if idempotent && try < p.Attempts {
			return true, c.backoff(try), nil
		}
		if !idempotent {
			return false, 0, &UnknownOutcome{Method: r.Method, Path: r.Path, Err: err}
		}
		return false, 0, errors.Join(errors.New(r.What+": "+r.label()), err)
	}
	lim.observe(resp.Header, p.Window)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		c.metrics.rateLimits.Add(1)
		if resp.Header.Get("X-RateLimit-Daily-Remaining") == "0" {
			return false, 0, fmt.Errorf("%w (%s)", ErrDailyLimit, decodeError(r, resp.StatusCode, data))
		}
		d := retryAfter(resp.Header, p.Window, c.backoff(min(try, 4)))
		lim.mu.Lock()
		lim.pause(d)
		lim.mu.Unlock()
		c.log.Debug("rate limited, waiting", "method", r.Method, "path", r.Path,
			"wait", d.Round(time.Millisecond), "attempt", try)
		if try < p.Attempts*3 {
			return true, 0, nil
		}
	case resp.StatusCode >= 500:
		if idempotent && try < p.Attempts {
			return true, c.backoff(try), nil
		}
		if !idempotent {
			return false, 0, &UnknownOutcome{Method: r.Method, Path: r.Path,
				Err: decodeError(r, resp.StatusCode, data)}
		}
	case resp.StatusCode < 300:
		return false, 0, nil
	}
	return false, 0, decodeError(r, resp.StatusCode, data)
}

// maxBackoff caps the wait between two tries.
const maxBackoff = 5 * time.Second

func (c *Client) backoff(try int) time.Duration {
	d := min(c.limits.policy.Backoff<<min(try-1, 10), maxBackoff)
	return d + jitter(d/2)
}

func (c *Client) logAttempt(r Request, resp *http.Response, err error, start time.Time, try int) {
	args := []any{"method", r.Method, "path", r.Path, "duration", time.Since(start).Round(time.Millisecond)}
	if try > 1 {
		args = append(args, "attempt", try)
	}
	if err != nil {
		c.log.Debug("request failed", append(args, "error", err.Error())...)
		return
	}
	c.log.Debug("request", append(args, "status", resp.StatusCode)...)
}
