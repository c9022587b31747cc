package sandbox

import (
	"net/http"
	"sync"
	"time"
)

// Request is one API request as the sandbox handled it. Status is 0 when the
// connection was dropped before an answer was written; Fault names the
// injected fault, if any ("429", "5xx", "reset", "lost").
type Request struct {
	Method   string    `json:"method"`
	Path     string    `json:"path"`
	RawQuery string    `json:"rawQuery"`
	Status   int       `json:"status"`
	Body     []byte    `json:"body"`
	Time     time.Time `json:"time"`
	Fault    string    `json:"fault,omitempty"`
}

// Stats count what the sandbox has served since it started or was reset.
// Objects counts, per location id, the objects of each kind it holds now.
type Stats struct {
	Requests  int                       `json:"requests"`
	Writes    int                       `json:"writes"`
	Status429 int                       `json:"status429"`
	Faults    map[string]int            `json:"faults"`
	Objects   map[string]map[string]int `json:"objects"`
}

// maxJournal bounds the request log of a long-running sandbox; the oldest
// entries are dropped first.
const maxJournal = 50000

// journal is the request log and the counters derived from it.
type journal struct {
	mu        sync.Mutex
	requests  []Request
	total     int
	writes    int
	status429 int
	faults    map[string]int
}

func (j *journal) add(r Request) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.requests) == maxJournal {
		j.requests = append(j.requests[:0:0], j.requests[maxJournal/10:]...)
	}
	j.requests = append(j.requests, r)
	j.total++
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		j.writes++
	}
	if r.Status == http.StatusTooManyRequests {
		j.status429++
	}
	if r.Fault != "" {
		j.faults[r.Fault]++
	}
}

// countLatency records a delayed request; it is not a separate request.
func (j *journal) countLatency() {
	j.mu.Lock()
	j.faults["latency"]++
	j.mu.Unlock()
}

func (j *journal) reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.requests, j.total, j.writes, j.status429 = nil, 0, 0, 0
	j.faults = map[string]int{}
}

// Requests returns a copy of the log of API requests, oldest first.
func (s *Server) Requests() []Request {
	s.journal.mu.Lock()
	defer s.journal.mu.Unlock()
	out := make([]Request, len(s.journal.requests))
	copy(out, s.journal.requests)
	return out
}

// Stats returns the counters and the current object counts.
func (s *Server) Stats() Stats {
	s.journal.mu.Lock()
	st := Stats{
		Requests:  s.journal.total,
		Writes:    s.journal.writes,
		Status429: s.journal.status429,
		Faults:    make(map[string]int, len(s.journal.faults)),
	}
	for k, v := range s.journal.faults {
		st.Faults[k] = v
	}
	s.journal.mu.Unlock()

	s.mu.Lock()
	defer s.mu.Unlock()
	st.Objects = make(map[string]map[string]int, len(s.db.Accounts))
	for id, a := range s.db.Accounts {
		st.Objects[id] = map[string]int{
			"tags":           len(a.Tags),
			"customFields":   len(a.CustomFields),
			"customValues":   len(a.CustomValues),
			"triggerLinks":   len(a.Links),
			"calendars":      len(a.Calendars),
			"calendarGroups": len(a.Groups),
			"businesses":     len(a.Businesses),
			"users":          len(s.db.usersOf(id)),
		}
	}
	return st
}

// reset clears the log, the counters and the rate-limit windows.
func (s *Server) reset() {
	s.journal.reset()
	s.mu.Lock()
	s.limiter.reset()
	s.mu.Unlock()
}
