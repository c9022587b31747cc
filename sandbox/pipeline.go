package sandbox

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// maxBody bounds a request body; HighLevel's own limit is far above what
// configuration endpoints need.
const maxBody = 4 << 20

const adminPrefix = "/_sandbox/"

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		s.serveAdmin(w, r)
		return
	}
	s.serveAPI(w, r)
}

// serveAPI runs one API request through fault injection and the router, and
// records it in the journal whatever happens to the connection.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
	r.Body = io.NopCloser(bytes.NewReader(body))
	entry := Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Body: body, Time: time.Now(),
	}
	s.limiter.describe(w.Header(), nil)

	plan := s.faults.next()
	if plan.delay > 0 {
		s.journal.countLatency()
		time.Sleep(plan.delay)
	}
	entry.Fault = plan.name()

	switch plan.kind {
	case faultReset:
		s.record(entry)
		dropConnection(w)
		return
	case fault429:
		entry.Status = http.StatusTooManyRequests
		tooManyRequests().write(w)
	case fault5xx:
		entry.Status = plan.status
		serverError(plan.status).write(w)
	case faultLost:
		buf := &bufferedWriter{header: http.Header{}}
		s.route(buf, r)
		entry.Status = buf.status
		s.record(entry)
		dropConnection(w)
		return
	default:
		sw := &statusWriter{ResponseWriter: w}
		s.route(sw, r)
		entry.Status = sw.status
	}
	s.record(entry)
}

// record journals a request. A dropped connection is recorded before it is
// dropped, so whoever sees the drop also sees the entry.
func (s *Server) record(entry Request) {
	s.journal.add(entry)
	s.logf("sandbox: %s %s -> %d %s", entry.Method, entry.Path, entry.Status, entry.Fault)
}

// route dispatches to the API routes. The real server treats "/links" and
// "/links/" alike, so trailing slashes are dropped before matching.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
		u := *r.URL
		u.Path = strings.TrimRight(p, "/")
		u.RawPath = ""
		r2 := *r
		r2.URL = &u
		r = &r2
	}
	s.mux.ServeHTTP(w, r)
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2): abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // reset rather than a graceful close
	}
	_ = conn.Close()
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// bufferedWriter keeps an answer that will never be sent.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *bufferedWriter) Header() http.Header { return w.header }

func (w *bufferedWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *bufferedWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// Hijack is never reached on a bufferedWriter; it exists so the writer
// satisfies the interfaces handlers may probe for.
func (w *bufferedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, http.ErrNotSupported
}

// serveAdmin answers the /_sandbox/ endpoints: no auth, no rate limit, no
// faults, not journalled.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	var v any
	switch strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, adminPrefix), "/") + " " + r.Method {
	case "tokens GET":
		v = s.Tokens()
	case "requests GET":
		v = s.Requests()
	case "stats GET":
		v = s.Stats()
	case "reset POST":
		s.reset()
		v = map[string]bool{"success": true}
	default:
		routeNotFound(r.Method, r.URL.Path).write(w)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}
