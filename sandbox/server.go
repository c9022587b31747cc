package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options configure a Server.
type Options struct {
	DataFile    string        // JSON persistence file; "" keeps everything in memory
	Seed        bool          // seed the demo agency when the store is empty
	Faults      Faults        // fault injection (zero value: none)
	NoRateLimit bool          // turn off the burst and daily limits (on by default)
	Burst       int           // requests per window, per token and resource; 0 means 100
	Window      time.Duration // length of the burst window; 0 means 10s
	Daily       int           // requests per day, per token and resource; 0 means 200000

	// Logf, when set, gets one line per API request.
	Logf func(format string, args ...any)
}

// Server is one sandboxed HighLevel: an agency, its sub-accounts and their
// configuration, served over HTTP.
type Server struct {
	opts    Options
	mu      sync.Mutex // guards db, generation, limiter and saveErr
	db      *db
	saveErr error
	persist *persister // nil when the store is kept in memory only

	// generation counts the successful writes; the persister knows which
	// generation the file holds.
	generation uint64

	limiter *limiter
	faults  *injector
	mux     *http.ServeMux
	journal journal

	httpMu  sync.Mutex
	httpSrv *http.Server
}

// New loads the data file if it exists and seeds the demo agency when asked
// and the store is empty. A store without the seed still has an agency (with
// a generated id and token), so sub-accounts can be created through the API.
func New(opts Options) (*Server, error) {
	d := newDB()
	if opts.DataFile != "" {
		loaded, err := loadDB(opts.DataFile)
		if err != nil {
			return nil, err
		}
		d = loaded
	}
	fresh := d.empty()
	if fresh && opts.Seed {
		seedDemo(d)
	} else if fresh {
		d.Company = company{ID: randomID(), Name: "Sandbox Agency", Token: newToken()}
		d.Generated = isoTime(time.Now())
	}
	s := &Server{
		opts:    opts,
		db:      d,
		limiter: newLimiter(opts),
		faults:  newInjector(opts.Faults),
		journal: journal{faults: map[string]int{}},
	}
	s.mux = s.routes()
	if opts.DataFile != "" {
		s.persist = newPersister(opts.DataFile, s.snapshot)
	}
	if fresh && s.persist != nil {
		s.generation = 1
		if err := s.persist.wait(1); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// snapshot encodes the store for the persister.
func (s *Server) snapshot() ([]byte, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, err := s.db.encode()
	if err != nil {
		// The store holds only JSON values; failing here is a bug in the model.
		panic(err)
	}
	return data, s.generation
}

// Handler serves the API and the /_sandbox/ admin endpoints.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

// Start listens on addr (for example "127.0.0.1:0"), serves in the
// background and returns the base URL, such as "http://127.0.0.1:53127".
func (s *Server) Start(addr string) (string, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("start sandbox: %w", err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	s.httpMu.Lock()
	s.httpSrv = srv
	s.httpMu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logf("sandbox: serve: %v", err)
		}
	}()
	return "http://" + ln.Addr().String(), nil
}

// Close stops serving (if Start was called) and writes the store one last
// time. It returns the first persistence error seen, if any.
func (s *Server) Close() error {
	s.httpMu.Lock()
	srv := s.httpSrv
	s.httpSrv = nil
	s.httpMu.Unlock()
	var errs []error
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, srv.Close())
		}
	}
	if s.persist != nil {
		s.mu.Lock()
		gen := s.generation
		s.mu.Unlock()
		errs = append(errs, s.persist.wait(gen))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	errs = append(errs, s.saveErr)
	return errors.Join(errs...)
}

// Tokens are the bearer tokens of the agency and of each sub-account.
type Tokens struct {
	CompanyID   string          `json:"companyId"`
	AgencyToken string          `json:"agencyToken"`
	Locations   []LocationToken `json:"locations"`
}

// LocationToken is the token of one sub-account.
type LocationToken struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Token string `json:"token"`
}

// Tokens returns the current tokens, sub-accounts in creation order.
func (s *Server) Tokens() Tokens {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := Tokens{CompanyID: s.db.Company.ID, AgencyToken: s.db.Company.Token}
	for _, a := range s.db.sortedAccounts() {
		t.Locations = append(t.Locations, LocationToken{
			ID: a.Location.ID, Name: a.Location.Fields["name"], Token: a.Token,
		})
	}
	return t
}

// committed records a successful write, forgetting the JSON of the
// accounts it touched, and returns its generation. Called with the lock held.
func (s *Server) committed(touched []*account) uint64 {
	for _, a := range touched {
		a.encoded = nil
	}
	s.generation++
	return s.generation
}

// durable waits until the write of generation gen is on disk. A failure is
// logged and kept for Close: the change is already visible, and answering an
// error would invite a retry that repeats it.
func (s *Server) durable(gen uint64) {
	if s.persist == nil {
		return
	}
	if err := s.persist.wait(gen); err != nil {
		s.logf("sandbox: %v", err)
		s.mu.Lock()
		if s.saveErr == nil {
			s.saveErr = err
		}
		s.mu.Unlock()
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}
