package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"
)

// Version headers the API wants: calendars have their own.
const (
	apiVersion      = "2021-07-28"
	calendarVersion = "2021-04-15"
)

// api is a plain client of the sandbox's HTTP API, used to seed the fleet
// and to read it the per-object way. It knows nothing of ghlctl's client.
type api struct {
	base string
	http *http.Client
	// onLimit, when set, is called on a 429 instead of waiting out the
	// window; the request is then sent again.
	onLimit func(ctx context.Context) error

	sent    atomic.Int64
	limited atomic.Int64
}

func newAPI(base string, conns int) *api {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = conns, conns
	return &api{base: base, http: &http.Client{Transport: tr, Timeout: time.Minute}}
}

// request is one API call.
type request struct {
	method, path string
	query        url.Values
	token        string
	calendar     bool // send the calendar endpoints' Version header
	body         any
}

// statusError is an answer outside 2xx.
type statusError struct {
	status int
	what   string
	body   string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s: %d %s", e.what, e.status, e.body)
}

// do sends r and decodes the answer into out. A 429 is waited out (or
// handed to onLimit) and sent again, a few times at most.
func (a *api) do(ctx context.Context, r request, out any) error {
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return err
		}
	}
	for try := 1; ; try++ {
		status, h, data, err := a.send(ctx, r, body)
		if err != nil {
			return fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
		if status == http.StatusTooManyRequests && try < 5 {
			a.limited.Add(1)
			if err := a.waitOut(ctx, h); err != nil {
				return err
			}
			continue
		}
		if status/100 != 2 {
			return &statusError{status: status, what: r.method + " " + r.path, body: string(data)}
		}
		if out == nil {
			return nil
		}
		return json.Unmarshal(data, out)
	}
}

func (a *api) send(ctx context.Context, r request, body []byte) (int, http.Header, []byte, error) {
	u := a.base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	version := apiVersion
	if r.calendar {
		version = calendarVersion
	}
	req.Header.Set("Version", version)
	req.Header.Set("Authorization", "Bearer "+r.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	a.sent.Add(1)
	resp, err := a.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, data, err
}

// waitOut waits for the rate-limit window the headers describe to end.
func (a *api) waitOut(ctx context.Context, h http.Header) error {
	if a.onLimit != nil {
		return a.onLimit(ctx)
	}
	wait := time.Second
	if ms, err := strconv.Atoi(h.Get("X-RateLimit-Interval-Milliseconds")); err == nil && ms > 0 {
		wait = time.Duration(ms) * time.Millisecond
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// admin calls one of the sandbox's /_sandbox/ endpoints, which take no
// token and are neither rate limited, delayed nor journalled.
func (a *api) admin(ctx context.Context, method, name string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, a.base+"/_sandbox/"+name, nil)
	if err != nil {
		return err
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("sandbox %s: %w", name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sandbox %s: %s", name, resp.Status)
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
