package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// authClass is the kind of token a route accepts.
type authClass int

const (
	agencyToken   authClass = iota + 1 // the agency's Private Integration Token
	locationToken                      // a sub-account's token
	eitherToken                        // both, each within its own scope
)

// route is one API endpoint: what it accepts and what answers it.
type route struct {
	method string
	path   string // ServeMux pattern path, without a trailing slash
	auth   authClass
	query  schema
	body   schema // nil when the endpoint reads no body
	handle func(*call) response
}

// principal is who a token speaks for.
type principal struct {
	class      authClass // agencyToken or locationToken
	token      string
	companyID  string
	locationID string // for sub-account tokens
}

// resource is what the rate limit counts against: the location of a
// sub-account token, the company of the agency token.
func (p principal) resource() string {
	if p.class == locationToken {
		return p.locationID
	}
	return p.companyID
}

// call is one request on its way through a route.
type call struct {
	s       *Server
	db      *db
	r       *http.Request
	who     principal
	query   url.Values
	body    map[string]any
	now     time.Time
	touched []*account // the accounts the handler looked up, which a write may change
}

// uses records that the handler works on the account.
func (c *call) uses(a *account) *account {
	c.touched = append(c.touched, a)
	return a
}

func (c *call) param(name string) string { return c.r.PathValue(name) }

// stamp is the current time as the server writes dates.
func (c *call) stamp() string { return isoTime(c.now) }

// routes registers every endpoint, and a fallback that answers like NestJS
// does for a path it does not know.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	var all []route
	for _, group := range [][]route{
		locationRoutes(), tagRoutes(), customFieldRoutes(), customValueRoutes(), linkRoutes(),
		calendarRoutes(), groupRoutes(), businessRoutes(), userRoutes(),
	} {
		all = append(all, group...)
	}
	for i := range all {
		rt := &all[i]
		mux.HandleFunc(rt.method+" "+rt.path, func(w http.ResponseWriter, r *http.Request) {
			s.serveRoute(w, r, rt)
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		routeNotFound(r.Method, r.URL.Path).write(w)
	})
	return mux
}

// serveRoute runs the steps every endpoint shares, under the store lock, and
// answers a successful write only once it is on disk.
func (s *Server) serveRoute(w http.ResponseWriter, r *http.Request, rt *route) {
	s.mu.Lock()
	resp, c := s.run(w, r, rt)
	var gen uint64
	if !resp.failed() && r.Method != http.MethodGet && c != nil {
		gen = s.committed(c.touched)
	}
	s.mu.Unlock()
	if gen > 0 {
		s.durable(gen)
	}
	resp.write(w)
}

// run answers a request; the call is nil when it was refused before the
// handler ran.
func (s *Server) run(w http.ResponseWriter, r *http.Request, rt *route) (response, *call) {
	who, fail := s.authenticate(r, rt.auth)
	if fail != nil {
		return *fail, nil
	}
	now := time.Now()
	if !s.limiter.take(who, now, w.Header()) {
		return tooManyRequests(), nil
	}
	c := &call{s: s, db: s.db, r: r, who: who, query: r.URL.Query(), now: now}
	if fail := c.readBody(rt); fail != nil {
		return *fail, nil
	}
	if fail := c.checkScope(rt); fail != nil {
		return *fail, nil
	}
	msgs := rt.query.checkQuery(c.query)
	if rt.body != nil {
		msgs = append(msgs, rt.body.check(c.body, "")...)
	}
	if len(msgs) > 0 {
		return unprocessable(msgs), nil
	}
	return rt.handle(c), c
}

// authenticate finds the principal of the bearer token and checks its class.
func (s *Server) authenticate(r *http.Request, want authClass) (principal, *response) {
	token, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	token = strings.TrimSpace(token)
	who, known := s.db.principal(token)
	if !found || token == "" || !known {
		fail := unauthorized(msgInvalidJWT)
		return principal{}, &fail
	}
	if want != eitherToken && want != who.class {
		fail := unauthorized(msgWrongClass)
		return principal{}, &fail
	}
	return who, nil
}

// principal looks a token up among the agency's and the sub-accounts'.
func (d *db) principal(token string) (principal, bool) {
	if token == "" {
		return principal{}, false
	}
	if token == d.Company.Token {
		return principal{class: agencyToken, token: token, companyID: d.Company.ID}, true
	}
	for _, a := range d.Accounts {
		if a.Token == token {
			return principal{
				class: locationToken, token: token, companyID: d.Company.ID, locationID: a.Location.ID,
			}, true
		}
	}
	return principal{}, false
}

// readBody decodes the JSON body of a route that takes one. An empty body is
// an empty object, so required properties are reported as missing.
func (c *call) readBody(rt *route) *response {
	c.body = map[string]any{}
	if rt.body == nil {
		return nil
	}
	var raw []byte
	if c.r.Body != nil {
		raw, _ = io.ReadAll(c.r.Body)
	}
	if len(strings.TrimSpace(string(raw))) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		fail := badRequest("Invalid JSON body: %v", err)
		return &fail
	}
	m, isObject := v.(map[string]any)
	if !isObject {
		fail := badRequest("Invalid JSON body: expected an object")
		return &fail
	}
	c.body = m
	return nil
}

// checkScope refuses a sub-account token for a location other than its own,
// wherever the request names one: path, query or body.
func (c *call) checkScope(rt *route) *response {
	candidates := []string{c.param("locationId")}
	if rt.query.has("locationId") {
		candidates = append(candidates, c.query.Get("locationId"))
	}
	if rt.body.has("locationId") {
		if id, isString := c.body["locationId"].(string); isString {
			candidates = append(candidates, id)
		}
	}
	for _, id := range candidates {
		if id != "" {
			if fail := c.own(id); fail != nil {
				return fail
			}
		}
	}
	return nil
}

// own checks that the caller may act on the location.
func (c *call) own(locationID string) *response {
	if c.who.class == locationToken && c.who.locationID != locationID {
		fail := forbidden(msgNoLocation)
		return &fail
	}
	return nil
}

// ownCompany checks a companyId the request names.
func (c *call) ownCompany(companyID string) *response {
	if companyID != c.db.Company.ID {
		fail := forbidden(msgNoCompany)
		return &fail
	}
	return nil
}

// account returns the sub-account the request is about, checking scope;
// the result is nil with a 404 when the location does not exist.
func (c *call) account(locationID string) (*account, *response) {
	if fail := c.own(locationID); fail != nil {
		return nil, fail
	}
	a := c.db.Accounts[locationID]
	if a == nil {
		fail := notFound("Location")
		return nil, &fail
	}
	return c.uses(a), nil
}
