// Package highlevel is ghlctl's HTTP client for the HighLevel (LeadConnector)
// API v2. It knows the API's conventions that every endpoint shares: base
// URLs for direct and gateway connections, the Version header, bearer tokens
// of two classes (agency and sub-account), error bodies with trace ids, rate
// limit headers and retries. It knows nothing of any one resource kind.
package highlevel

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Base URLs and header values of the two ways to reach the API.
const (
	DirectURL  = "https://services.leadconnectorhq.com"
	GatewayURL = "https://api.maton.ai/highlevel-pit"

	// Version is the Version header most endpoints want.
	Version = "2021-07-28"
	// CalendarVersion is the Version header of the calendar endpoints.
	CalendarVersion = "2021-04-15"
)

// Class is the kind of token an endpoint needs.
type Class int

const (
	// SubAccount tokens manage one location's CRM resources.
	SubAccount Class = iota
	// Agency tokens manage the company's sub-accounts.
	Agency
)

func (c Class) String() string {
	if c == Agency {
		return "agency token"
	}
	return "sub-account token"
}

// Credential is a token, or the gateway connection that holds one. Source says
// where it came from (an environment variable's name, say) for messages; the
// secret itself is never printed.
type Credential struct {
	Class      Class
	Secret     string
	Connection string
	Source     string
}

// String describes the credential without revealing it.
func (c Credential) String() string {
	if c.Source == "" {
		return c.Class.String()
	}
	return fmt.Sprintf("%s (%s)", c.Class, c.Source)
}

// Config configures a Client.
type Config struct {
	// BaseURL defaults to DirectURL, or GatewayURL when Gateway is set.
	BaseURL string
	// Gateway sends requests through the Maton gateway: GatewayKey is the
	// bearer and each Credential's Connection names the HighLevel token.
	Gateway    bool
	GatewayKey string
	UserAgent  string
	Logger     *slog.Logger
	HTTP       *http.Client
	// Timeout bounds one attempt of one request; 0 means 30 seconds.
	Timeout time.Duration
	// Retry governs retries and rate limiting; the zero value is sensible.
	Retry RetryPolicy
}

// Client sends requests to the HighLevel API. It is safe for concurrent use.
type Client struct {
	base    *url.URL
	cfg     Config
	http    *http.Client
	log     *slog.Logger
	limits  *limiterSet
	metrics metrics
}

// New checks cfg and returns a Client. Endpoints other than https are refused
// unless they are on the loopback interface.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DirectURL
		if cfg.Gateway {
			cfg.BaseURL = GatewayURL
		}
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("endpoint %q: %w", cfg.BaseURL, err)
	}
	if err := checkScheme(base); err != nil {
		return nil, err
	}
	if cfg.Gateway && cfg.GatewayKey == "" {
		return nil, errors.New("the gateway needs MATON_API_KEY to be set")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "ghlctl/dev"
	}
	hc := cfg.HTTP
	if hc == nil {
		hc = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &Client{base: base, cfg: cfg, http: hc, log: logger}
	c.limits = newLimiterSet(cfg.Retry.withDefaults())
	return c, nil
}

func checkScheme(u *url.URL) error {
	if u.Scheme == "https" {
		return nil
	}
	if u.Scheme == "http" && isLoopback(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("endpoint %s refused: only https, or http on loopback, is allowed", u.Redacted())
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Request is one API call.
type Request struct {
	Method string
	Path   string // relative to the base URL, with its leading slash
	Query  url.Values
	Body   any
	Cred   Credential
	// Version is the Version header; empty means Version.
	Version string
	// Resource is what the server counts the call against for rate limits:
	// the location id, or the company id for agency calls.
	Resource string
	// What names the call in error messages ("list tags of acme-dental").
	What string
}

func (r Request) label() string {
	return r.Method + " " + r.Path
}

// Do sends r and decodes a successful response body into out (when out is not
// nil). Errors from the server are *Error values.
func (c *Client) Do(ctx context.Context, r Request, out any) error {
	var body []byte
	if r.Body != nil {
		b, err := json.Marshal(r.Body)
		if err != nil {
			return fmt.Errorf("%s: encode body: %w", r.label(), err)
		}
		body = b
	}
	resp, err := c.send(ctx, r, body)
	if err != nil {
		return err
	}
	if out == nil || len(resp) == 0 {
		return nil
	}
	if err := json.Unmarshal(resp, out); err != nil {
		return fmt.Errorf("%s: decode response: %w", r.label(), err)
	}
	return nil
}

// attempt sends one HTTP request and reads the whole answer.
func (c *Client) attempt(ctx context.Context, r Request, body []byte) (*http.Response, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()

	u := *c.base
	u.Path = c.base.Path + r.Path
	u.RawQuery = r.Query.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, u.String(), rd)
	if err != nil {
		return nil, nil, err
	}
	c.setHeaders(req, r)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return resp, nil, err
	}
	return resp, data, nil
}

func (c *Client) setHeaders(req *http.Request, r Request) {
	version := r.Version
	if version == "" {
		version = Version
	}
	req.Header.Set("Version", version)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cfg.Gateway {
		req.Header.Set("Authorization", "Bearer "+c.cfg.GatewayKey)
		req.Header.Set("Maton-Connection", r.Cred.Connection)
		return
	}
	req.Header.Set("Authorization", "Bearer "+r.Cred.Secret)
}

// Metrics returns counts of what the client has done so far.
func (c *Client) Metrics() Metrics {
	return c.metrics.snapshot()
}
