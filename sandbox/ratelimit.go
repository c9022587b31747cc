package sandbox

import (
	"net/http"
	"strconv"
	"time"
)

// HighLevel counts requests per app (here: per token) per resource (the
// location of a sub-account token, the company of the agency token) in two
// budgets: a burst window (100 per 10 s) and a day (200,000). Every answer
// reports both in X-RateLimit-* headers; past either budget the answer is 429.

const (
	defaultBurst  = 100
	defaultWindow = 10 * time.Second
	defaultDaily  = 200000
	day           = 24 * time.Hour
)

// limiter holds the budgets. It is guarded by the server's lock.
type limiter struct {
	enabled bool
	burst   int
	window  time.Duration
	daily   int
	buckets map[string]*bucket
}

// bucket is one token's use of one resource, in fixed windows that start
// with the first request after the previous window ended.
type bucket struct {
	windowStart time.Time
	inWindow    int
	dayStart    time.Time
	inDay       int
}

func newLimiter(opts Options) *limiter {
	l := &limiter{
		enabled: !opts.NoRateLimit,
		burst:   opts.Burst,
		window:  opts.Window,
		daily:   opts.Daily,
		buckets: map[string]*bucket{},
	}
	if l.burst <= 0 {
		l.burst = defaultBurst
	}
	if l.window <= 0 {
		l.window = defaultWindow
	}
	if l.daily <= 0 {
		l.daily = defaultDaily
	}
	return l
}

// take counts one request of who and reports whether it is within budget.
// Requests over budget are refused and not counted. With the limiter off,
// requests are counted (the headers stay meaningful) but never refused.
func (l *limiter) take(who principal, now time.Time, h http.Header) bool {
	key := who.token + "|" + who.resource()
	b := l.buckets[key]
	if b == nil {
		b = &bucket{windowStart: now, dayStart: now}
		l.buckets[key] = b
	}
	if now.Sub(b.windowStart) >= l.window {
		b.windowStart, b.inWindow = now, 0
	}
	if now.Sub(b.dayStart) >= day {
		b.dayStart, b.inDay = now, 0
	}
	allowed := !l.enabled || (b.inWindow < l.burst && b.inDay < l.daily)
	if allowed {
		b.inWindow++
		b.inDay++
	}
	l.describe(h, b)
	return allowed
}

// describe writes the rate-limit headers for a bucket; nil describes an
// untouched budget (for answers given before the token is known).
func (l *limiter) describe(h http.Header, b *bucket) {
	if b == nil {
		b = &bucket{}
	}
	h.Set("X-RateLimit-Limit-Daily", strconv.Itoa(l.daily))
	h.Set("X-RateLimit-Daily-Remaining", strconv.Itoa(max(l.daily-b.inDay, 0)))
	h.Set("X-RateLimit-Interval-Milliseconds", strconv.FormatInt(l.window.Milliseconds(), 10))
	h.Set("X-RateLimit-Max", strconv.Itoa(l.burst))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(l.burst-b.inWindow, 0)))
}

func (l *limiter) reset() { l.buckets = map[string]*bucket{} }
