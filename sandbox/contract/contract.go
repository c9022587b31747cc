// Package contract checks HTTP traffic against the official HighLevel OpenAPI
// descriptions, for tests: wrap a handler (the sandbox, or a recording proxy)
// and every request is validated against the operation it calls, and every
// answer against the response schema of its status.
//
// The descriptions are loaded as published, then corrected where the
// recorded traffic proves them wrong (see defects.go), so a report means
// the traffic disagrees with the best knowledge of the real API, not with a
// known mistake in its documentation.
//
// Requests are checked strictly, the way the server's whitelisting validator
// treats them: a body property or query parameter the operation does not
// declare is reported. Answers are checked leniently: the real server adds
// fields its schemas never mention (a traceId on every answer, for one), so
// undeclared answer fields are fine, but declared ones must have the declared
// types.
package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Checker validates traffic against a set of OpenAPI documents.
type Checker struct {
	routers   []routers.Router
	options   *openapi3filter.Options
	corrected map[string]bool // evidence of the defects found and corrected
}

// Load reads every *.json OpenAPI document in dir. References to the shared
// error schemas (../common/common-schemas.json), which the published folder
// lacks, are answered with a copy of them kept here.
func Load(dir string) (*Checker, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("load OpenAPI documents: none in %s", dir)
	}
	c := &Checker{corrected: map[string]bool{}, options: &openapi3filter.Options{
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		MultiError:         true,
	}}
	for _, f := range files {
		// One loader per document: a loader remembers what it resolved, and
		// the documents reuse the same schema names.
		loader := openapi3.NewLoader()
		loader.IsExternalRefsAllowed = true
		loader.ReadFromURIFunc = readDocument
		doc, err := loader.LoadFromFile(f)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", filepath.Base(f), err)
		}
		doc.Servers = nil // match any host: the traffic goes to a local server
		for _, evidence := range correct(doc) {
			c.corrected[evidence] = true
		}
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			return nil, fmt.Errorf("route %s: %w", filepath.Base(f), err)
		}
		c.routers = append(c.routers, router)
	}
	return c, nil
}

// readDocument reads the documents and the local files they refer to,
// standing in for the missing common schemas and mending documents that
// refer to them as if they were their own.
func readDocument(_ *openapi3.Loader, location *url.URL) ([]byte, error) {
	if location.Scheme != "" && location.Scheme != "file" {
		return nil, fmt.Errorf("refusing to fetch %s: only local files are read", location)
	}
	data, err := os.ReadFile(location.Path)
	if errors.Is(err, os.ErrNotExist) && strings.HasSuffix(location.Path, commonFile) {
		return []byte(commonSchemas), nil
	}
	if err != nil {
		return nil, err
	}
	return withCommonSchemas(data)
}

// Wrap returns a handler that serves next and reports, through report, every
// way a request or its answer departs from the documents. Paths under
// /_sandbox/ are passed through unchecked. report may be called from several
// goroutines at once.
func (c *Checker) Wrap(next http.Handler, report func(error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_sandbox/") {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		where := r.Method + " " + r.URL.Path

		in, err := c.checkRequest(r, body)
		if err != nil {
			report(fmt.Errorf("%s: request: %w", where, err))
		}
		tee := &teeWriter{ResponseWriter: w}
		next.ServeHTTP(tee, r)
		if in == nil || tee.status == 0 {
			return // no operation to check against, or the connection was dropped
		}
		if err := c.checkResponse(in, tee); err != nil {
			report(fmt.Errorf("%s: answer %d: %w", where, tee.status, err))
		}
	})
}

// checkRequest finds the operation and validates the request against it. The
// input it returns (nil when no operation matches) serves to check the answer.
func (c *Checker) checkRequest(r *http.Request, body []byte) (
	*openapi3filter.RequestValidationInput, error,
) {
	route, params, err := c.find(r)
	if err != nil {
		return nil, err
	}
	clone := r.Clone(r.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{
		Request: clone, PathParams: params, Route: route, Options: c.options,
	}
	errs := []error{openapi3filter.ValidateRequest(context.Background(), in)}
	errs = append(errs, undeclaredQuery(route.Operation, r)...)
	return in, errors.Join(errs...)
}

// find matches the request to an operation. The documents spell collection
// paths with a trailing slash ("/links/") and the server accepts both
// spellings, so both are tried.
func (c *Checker) find(r *http.Request) (*routers.Route, map[string]string, error) {
	paths := []string{r.URL.Path}
	if strings.HasSuffix(r.URL.Path, "/") {
		paths = append(paths, strings.TrimSuffix(r.URL.Path, "/"))
	} else {
		paths = append(paths, r.URL.Path+"/")
	}
	var firstErr error
	for _, p := range paths {
		probe := r.Clone(r.Context())
		probe.URL.Path, probe.URL.RawPath = p, ""
		for _, router := range c.routers {
			route, params, err := router.FindRoute(probe)
			if err == nil {
				return route, params, nil
			}
			if firstErr == nil || errors.Is(err, routers.ErrMethodNotAllowed) {
				firstErr = err
			}
		}
	}
	return nil, nil, fmt.Errorf("no documented operation: %w", firstErr)
}

// undeclaredQuery reports query parameters the operation does not declare:
// the server rejects them ("property X should not exist").
func undeclaredQuery(op *openapi3.Operation, r *http.Request) []error {
	var declared []string
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
			declared = append(declared, p.Value.Name)
		}
	}
	var errs []error
	for name := range r.URL.Query() {
		if !slices.Contains(declared, name) {
			errs = append(errs, fmt.Errorf("query parameter %q is not declared", name))
		}
	}
	return errs
}

func (c *Checker) checkResponse(in *openapi3filter.RequestValidationInput, tee *teeWriter) error {
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 tee.status,
		Header:                 tee.Header(),
		Body:                   io.NopCloser(bytes.NewReader(tee.body.Bytes())),
		Options:                c.options,
	}
	return openapi3filter.ValidateResponse(context.Background(), out)
}

// teeWriter passes an answer through and keeps a copy of it.
type teeWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *teeWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *teeWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection, so a wrapped
// server can still drop it.
func (w *teeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
